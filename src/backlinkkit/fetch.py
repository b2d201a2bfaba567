"""The fetcher: polite, bounded HTTP fetches, and backlink verification on top of them.

This is the one public module of backlinkkit that does I/O. It needs requests, installed with the
`fetch` extra (`pip install 'backlinkkit[fetch]'`); `import backlinkkit` works without it, and
naming `backlinkkit.Fetcher` without it raises `MissingDependencyError`.

Safety, by default: only http and https; every hop of a redirect is checked again (scheme,
address, robots.txt); bodies are capped while streaming, after decompression (a gzip bomb is a
`TOO_LARGE` result); one deadline bounds each fetch from start to end (robots.txt, redirects,
retries, handshake, status line, headers and body), however slowly a server sends; hosts that
resolve to private, loopback, link-local or reserved addresses are refused, before the request
and again for the address connected to; robots.txt is obeyed.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import importlib.metadata
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Self

from ._errors import BacklinkkitError, InvalidURLError, MissingDependencyError, SettingsError

try:
    import requests
    import requests.cookies
    import urllib3.exceptions
except ImportError as _error:  # pragma: no cover - the run without requests checks the message
    raise MissingDependencyError(
        "backlinkkit.fetch needs requests: install the `fetch` extra, "
        "pip install 'backlinkkit[fetch]'"
    ) from _error

from ._backlink import Backlink
from ._http._addresses import AddressRefusal, check_public
from ._http._fetch_result import REDIRECT_STATUSES, FetchErrorKind, FetchResult, RedirectHop
from ._http._link_check import LinkCheck, LinkStatus, Target, check_page, check_response
from ._http._politeness import HostGate
from ._http._robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from ._http._transport import Exchange, RefusedConnection, exchange, install
from ._web._extract import extract_links
from ._web._headers import Headers, content_length
from ._web._urls import host_of_serialized, hostname, join_url, parse_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchErrorKind",
    "FetchResult",
    "Fetcher",
    "LinkCheck",
    "LinkStatus",
    "RedirectHop",
    "verify_backlink",
    "verify_backlinks",
]


def _user_agent() -> str:
    try:
        version = importlib.metadata.version("backlinkkit")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
        version = "0"
    return f"backlinkkit/{version} (+https://pypi.org/project/backlinkkit/)"


DEFAULT_USER_AGENT = _user_agent()
"""The user agent sent (and matched against robots.txt) unless a `Fetcher` is given another."""

# Bytes asked of the socket per read. read1 returns what has arrived, so a trickling server is
# seen byte by byte and the deadline is checked between reads; decompression is bounded by it.
_CHUNK = 64 * 1024
# Statuses worth one more try after the per-host pause (RFC 9110: 429 Too Many Requests,
# 500/502/503/504 server-side trouble that often passes).
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_RETRY_ERRORS = frozenset({FetchErrorKind.CONNECT, FetchErrorKind.TIMEOUT})
# Google follows up to 5 redirects for robots.txt (Search Central, robots.txt specification).
_ROBOTS_MAX_REDIRECTS = 5
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
# The most header bytes a response may carry, as Chromium allows (ERR_RESPONSE_HEADERS_TOO_BIG at
# 256 KiB). http.client stops at 100 fields of 64 KiB each; this bounds what reaches the
# extractor's charset and X-Robots-Tag parsing well below that.
_MAX_HEADER_BYTES = 256 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


# -- error kinds ---------------------------------------------------------------------------------


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and everything it wraps: causes, contexts, urllib3 reasons, exception arguments.

    A context the code chose to hide (`raise ... from None`) is not followed: http.client turns
    the `ValueError` of an unparsable status code into `BadStatusLine` that way.
    """
    todo, seen = [error], set()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        context = None if current.__suppress_context__ else current.__context__
        reason = getattr(current, "reason", None)
        linked = [current.__cause__, context, reason, *current.args]
        todo.extend(e for e in linked if isinstance(e, BaseException))


# Checked in this order: the first kind one of whose classes appears in the chain wins.
_KIND_CLASSES: tuple[tuple[FetchErrorKind, tuple[type[BaseException], ...]], ...] = (
    (
        FetchErrorKind.TLS,
        (requests.exceptions.SSLError, urllib3.exceptions.SSLError, ssl.SSLError),
    ),
    (FetchErrorKind.DNS, (urllib3.exceptions.NameResolutionError, socket.gaierror)),
    # urllib3 makes NewConnectionError (refused, unreachable) a ConnectTimeoutError: not a timeout.
    # A server that hangs up before answering anything resets the connection: no response at all.
    (
        FetchErrorKind.CONNECT,
        (urllib3.exceptions.NewConnectionError, http.client.RemoteDisconnected),
    ),
    (
        FetchErrorKind.TIMEOUT,
        (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError),
    ),
    (FetchErrorKind.TOO_MANY_REDIRECTS, (requests.exceptions.TooManyRedirects,)),
    (
        FetchErrorKind.INVALID_URL,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            urllib3.exceptions.LocationParseError,
        ),
    ),
    (
        FetchErrorKind.PROTOCOL,
        (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            requests.exceptions.InvalidHeader,
            urllib3.exceptions.DecodeError,
            urllib3.exceptions.InvalidHeader,
            urllib3.exceptions.IncompleteRead,
            urllib3.exceptions.InvalidChunkLength,
            # A bad status line (HTTP/0.9, garbage), more than 100 header fields, a line over
            # 64 KiB, a truncated body: all of http.client's parsing errors.
            http.client.HTTPException,
        ),
    ),
    # Last: requests raises a bare ValueError for a URL it cannot prepare, and UnicodeError for a
    # host IDNA refuses.
    (FetchErrorKind.INVALID_URL, (ValueError,)),
)


def error_kind(error: BaseException) -> FetchErrorKind:
    """The kind of failure an exception from requests, urllib3 or the socket layer stands for.

    requests wraps urllib3's errors, which wrap the socket's: the whole chain is looked at, so a
    `requests.ConnectionError` caused by a failed name look-up is `DNS`, one caused by a failed
    handshake `TLS`, one caused by a malformed status line `PROTOCOL`. What matches nothing more
    specific is `CONNECT`.

    Args:
        error: the exception raised while fetching.

    Returns:
        The matching kind.

    >>> error_kind(requests.exceptions.SSLError("certificate verify failed"))
    <FetchErrorKind.TLS: 'tls'>
    >>> error_kind(http.client.BadStatusLine("ICY 200 OK"))
    <FetchErrorKind.PROTOCOL: 'protocol'>
    """
    chain = tuple(_causes(error))
    for cause in chain:
        if isinstance(cause, RefusedConnection):
            return cause.kind
    for kind, classes in _KIND_CLASSES:
        if any(isinstance(e, classes) for e in chain):
            return kind
    return FetchErrorKind.CONNECT


# -- the fetcher ---------------------------------------------------------------------------------


class _Clock:
    """The deadline of one fetch; waits for politeness push it back.

    A child clock (robots.txt on the way to a page) ends no later than its parent, and its
    politeness waits push both back.
    """

    def __init__(self, seconds: float, parent: _Clock | None = None) -> None:
        self.start = time.monotonic()
        self.parent = parent
        self._end = self.start + seconds

    @property
    def end(self) -> float:
        """When the fetch must be over (a `time.monotonic()` reading)."""
        return self._end if self.parent is None else min(self._end, self.parent.end)

    @property
    def cut_short(self) -> bool:
        """The parent's deadline, not this clock's own, is the one that binds."""
        return self.parent is not None and self.parent.end < self._end

    def exclude(self, seconds: float) -> None:
        self._end += seconds
        if self.parent is not None:
            self.parent.exclude(seconds)

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start


class _Answer:
    """One HTTP exchange: the response's status, headers and body, or why there is none."""

    __slots__ = ("body", "error", "headers", "message", "status")

    def __init__(
        self,
        *,
        status: int | None = None,
        headers: Headers | None = None,
        body: bytes = b"",
        error: FetchErrorKind | None = None,
        message: str = "",
    ) -> None:
        self.status = status
        self.headers = headers if headers is not None else Headers()
        self.body = body
        self.error = error
        self.message = message

    def fail(self, error: FetchErrorKind, message: str) -> _Answer:
        self.error = error
        self.message = message
        return self


class _HTTPTarget:
    """An http(s) URL as the fetcher needs it: serialized, with its host, port and origin."""

    __slots__ = ("host", "origin", "port", "url")

    def __init__(self, url: str, host: str, port: int, origin: str) -> None:
        self.url = url
        self.host = host
        self.port = port
        self.origin = origin

    @classmethod
    def parse(cls, url: str) -> _HTTPTarget | _Answer:
        serialized = parse_url(url)
        if serialized is None:
            return _Answer(error=FetchErrorKind.INVALID_URL, message=f"not a URL: {url!r}")
        scheme = serialized.split(":", 1)[0]
        if scheme not in _DEFAULT_PORTS:
            return _Answer(error=FetchErrorKind.NOT_HTTP, message=f"not an http(s) URL: {url}")
        # A serialized http(s) URL always has a host and a path: scheme://[user@]host[:port]/...
        host = host_of_serialized(serialized) or ""
        authority = serialized[len(scheme) + 3 :].split("/", 1)[0].rpartition("@")[2]
        port = authority[len(host) + 1 :]  # the serializer writes only ASCII digits, or nothing
        return cls(
            serialized,
            host,
            int(port) if port else _DEFAULT_PORTS[scheme],
            f"{scheme}://{authority}",
        )


class Fetcher:
    """Fetches pages politely and safely, over one `requests.Session`; reuse one for a batch.

    Every hop of a redirect chain is checked on its own (scheme, address, robots.txt), and waits
    its turn at its host: one request at a time per host, `per_host_delay` seconds apart. It is
    safe to share one fetcher between threads. Use it as a context manager (or call `close`) to
    release its pooled connections.

    Each fetch is stateless, as a search engine's crawler is: cookies a server sets last for that
    fetch's redirect chain only, so they neither leak from one site's page to the next nor pile
    up over a batch.

    Args:
        user_agent: sent with every request, and matched against robots.txt groups.
        timeout: seconds to wait for a connection and between bytes read: `(connect, read)`,
            or one number for both.
        deadline: seconds one `fetch` may take in all: robots.txt on the way, every redirect
            and retry, the handshake, status line, headers and body, however slowly they come.
            Waits for the fetcher's own per-host politeness are not counted.
        max_bytes: the largest body read, counted after decompression; a larger one is
            `TOO_LARGE`.
        max_redirects: the most redirects followed.
        respect_robots: obey robots.txt (fetched once per origin and cached).
        per_host_delay: seconds from the end of one request to a host to the start of the next.
        retries: further tries after a connect error, a timeout, or 429/500/502/503/504.
        allow_private_addresses: reach hosts that resolve to private, loopback, link-local or
            reserved addresses (off by default: a service fetching users' URLs must not reach
            its own network).
        session: the `requests.Session` to use (its headers, cookies, auth, proxies,
            certificates); a new one by default. The fetcher mounts its own adapter in place of
            requests' `HTTPAdapter` (same settings); adapters of other classes are kept.

    Raises:
        SettingsError: a setting is out of range (a negative delay, a zero timeout, a user
            agent of several lines).

    >>> fetcher = Fetcher(per_host_delay=0.5)
    >>> fetcher.fetch("ftp://example.com/file").error
    <FetchErrorKind.NOT_HTTP: 'not-http'>
    >>> fetcher.fetch("http://127.0.0.1/").error
    <FetchErrorKind.PRIVATE_ADDRESS: 'private-address'>
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float | tuple[float, float] = (5.0, 15.0),
        deadline: float = 30.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = 10,
        respect_robots: bool = True,
        per_host_delay: float = 1.0,
        retries: int = 1,
        allow_private_addresses: bool = False,
        session: requests.Session | None = None,
    ) -> None:
        connect, read = (timeout, timeout) if isinstance(timeout, int | float) else timeout
        if min(connect, read, deadline) <= 0:
            raise SettingsError(
                f"timeouts and deadline must be positive: timeout={timeout!r}, "
                f"deadline={deadline!r}"
            )
        if "\r" in user_agent or "\n" in user_agent:
            raise SettingsError(f"user_agent must be one line: user_agent={user_agent!r}")
        if max_bytes <= 0 or max_redirects < 0 or per_host_delay < 0 or retries < 0:
            raise SettingsError(
                "max_bytes must be positive; max_redirects, per_host_delay and retries must not "
                f"be negative: max_bytes={max_bytes!r}, max_redirects={max_redirects!r}, "
                f"per_host_delay={per_host_delay!r}, retries={retries!r}"
            )
        self.user_agent = user_agent
        self.timeout = (float(connect), float(read))
        self.deadline = float(deadline)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self.per_host_delay = float(per_host_delay)
        self.retries = retries
        self.allow_private_addresses = allow_private_addresses
        self.session = session if session is not None else requests.Session()
        install(self.session)
        self._owns_session = session is None
        self._gate = HostGate(self.per_host_delay)
        self._robots = RobotsCache()

    def __repr__(self) -> str:
        return (
            f"Fetcher(user_agent={self.user_agent!r}, timeout={self.timeout!r}, "
            f"deadline={self.deadline!r}, max_bytes={self.max_bytes!r}, "
            f"per_host_delay={self.per_host_delay!r})"
        )

    def close(self) -> None:
        """Close the session's pooled connections, if the fetcher made the session itself."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch(self, url: str) -> FetchResult:
        """Fetch `url`, following redirects, and say what came back or why nothing did.

        Args:
            url: an absolute http or https URL.

        Returns:
            The result; a failure sets its `error` (and `message`) instead of raising.
        """
        return self._fetch(
            url,
            _Clock(self.deadline),
            set(),
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            robots=self.respect_robots,
        )

    def _fetch(
        self,
        url: str,
        clock: _Clock,
        checked: set[str],
        *,
        max_bytes: int,
        max_redirects: int,
        robots: bool,
    ) -> FetchResult:
        """Fetch `url` and follow its redirects.

        `checked` holds the hosts whose addresses this fetch (its robots.txt requests included)
        has checked already.
        """
        hops: list[RedirectHop] = []
        cookies = requests.cookies.RequestsCookieJar()  # this fetch's own
        current = url
        while True:
            answer = self._fetch_one(
                current, clock, checked, cookies, max_bytes=max_bytes, robots=robots
            )
            location = answer.headers.get("location")
            status = answer.status
            if answer.error is not None or status not in REDIRECT_STATUSES or not location:
                break
            target = join_url(current, location)
            if target is None:
                answer = _Answer(
                    error=FetchErrorKind.INVALID_URL,
                    message=f"{current} redirects to an invalid URL: {location!r}",
                )
                break
            hops.append(RedirectHop(current, status, target))
            # A URL may come back once (a cookie set on the way can change its answer); a third
            # visit is a loop, cut short instead of spending the whole redirect budget on it.
            if sum(hop.url == target for hop in hops) >= 2:
                answer = _Answer(
                    error=FetchErrorKind.TOO_MANY_REDIRECTS,
                    message=f"redirect loop: {target} keeps redirecting back",
                )
                break
            if len(hops) > max_redirects:
                answer = _Answer(
                    error=FetchErrorKind.TOO_MANY_REDIRECTS,
                    message=f"more than {max_redirects} redirects from {url}",
                )
                break
            current = target
        return FetchResult(
            url=url,
            final_url=current,
            status=answer.status,
            headers=answer.headers,
            body=answer.body,
            elapsed=clock.elapsed(),
            redirects=tuple(hops),
            error=answer.error,
            message=answer.message,
        )

    def _fetch_one(
        self,
        url: str,
        clock: _Clock,
        checked: set[str],
        cookies: requests.cookies.RequestsCookieJar,
        *,
        max_bytes: int,
        robots: bool,
    ) -> _Answer:
        """One URL, no redirects followed: checks, robots.txt, then the request (with retries)."""
        target = _HTTPTarget.parse(url)
        if isinstance(target, _Answer):
            return target
        if not self.allow_private_addresses and target.host not in checked:
            # Refused before robots.txt and the queue, once per host and fetch; the transport
            # checks the addresses it connects to again, every time.
            try:
                check_public(target.host, target.port, timeout=clock.remaining())
            except AddressRefusal as refusal:
                return _Answer(error=refusal.kind, message=f"{url}: {refusal}")
            checked.add(target.host)
        if robots:
            refused = self._robots_refusal(target, clock, checked)
            if refused is not None:
                return refused
        answer = _Answer()
        for attempt in range(self.retries + 1):
            with self._gate.slot(target.host) as waited:
                clock.exclude(waited)
                answer = self._exchange(target.url, clock, cookies, max_bytes=max_bytes)
            retry = answer.error in _RETRY_ERRORS or answer.status in _RETRY_STATUSES
            if not retry or attempt == self.retries or clock.remaining() <= 0:
                break
        return answer

    def _robots_refusal(
        self, target: _HTTPTarget, clock: _Clock, checked: set[str]
    ) -> _Answer | None:
        """Why robots.txt keeps the fetcher from `target`, or None when it may go ahead."""
        origin = target.origin

        def load() -> tuple[RobotsRules, bool]:
            own = _Clock(self.deadline, parent=clock)
            rules = self._load_robots(origin, own, checked)
            # A robots.txt cut short by the page's own deadline says nothing about the origin:
            # the next page on it asks again.
            return rules, not (rules.error is FetchErrorKind.TIMEOUT and own.cut_short)

        rules = self._robots.get(origin, load, timeout=clock.remaining())
        if rules is None:
            return _Answer(
                error=FetchErrorKind.TIMEOUT,
                message=f"deadline of {self.deadline:g} s passed waiting for robots.txt of "
                f"{origin}",
            )
        if rules.error is not None:
            return _Answer(error=rules.error, message=f"robots.txt: {rules.message}")
        if not rules.allows(target.url, self.user_agent):
            return _Answer(
                error=FetchErrorKind.BLOCKED_BY_ROBOTS,
                message=f"robots.txt of {origin} disallows {target.url}"
                + (" (it answered a server error)" if rules.disallow_all else ""),
            )
        return None

    def _load_robots(self, origin: str, clock: _Clock, checked: set[str]) -> RobotsRules:
        result = self._fetch(
            f"{origin}/robots.txt",
            clock,
            checked,
            max_bytes=ROBOTS_MAX_BYTES,
            max_redirects=_ROBOTS_MAX_REDIRECTS,
            robots=False,
        )
        if result.status is not None and result.error in {None, FetchErrorKind.TOO_LARGE}:
            return RobotsRules.from_response(result.status, result.body)  # cut at the limit
        if result.error in {
            FetchErrorKind.TOO_MANY_REDIRECTS,
            FetchErrorKind.INVALID_URL,
            FetchErrorKind.NOT_HTTP,
        }:
            return RobotsRules(allow_all=True)  # Google: a robots.txt never reached is a 404
        return RobotsRules(error=result.error, message=result.message)

    def _exchange(
        self,
        url: str,
        clock: _Clock,
        cookies: requests.cookies.RequestsCookieJar,
        *,
        max_bytes: int,
    ) -> _Answer:
        """Send one GET and read its body, within the timeouts, the deadline and `max_bytes`."""
        answer = _Answer()
        remaining = clock.remaining()
        if remaining <= 0:
            return answer.fail(FetchErrorKind.TIMEOUT, f"deadline of {self.deadline:g} s passed")
        try:
            request = self.session.prepare_request(
                requests.Request(
                    "GET",
                    url,
                    headers={"User-Agent": self.user_agent, "Accept": _ACCEPT},
                    cookies=cookies,
                )
            )
        except (requests.RequestException, ValueError) as error:
            return answer.fail(FetchErrorKind.INVALID_URL, f"{url}: {error}")
        connect, read = self.timeout
        timeout = (min(connect, remaining), min(read, remaining))
        with exchange(clock.end, allow_private=self.allow_private_addresses) as current:
            try:
                response = self._send(request, timeout)
            except Exception as error:  # noqa: BLE001 - whatever a server provokes is a result
                return answer.fail(*self._failure(url, error, current))
            with response:
                try:
                    requests.cookies.extract_cookies_to_jar(cookies, request, response.raw)  # type: ignore[no-untyped-call]
                    self._read_response(response, answer, current, max_bytes=max_bytes, url=url)
                except Exception as error:  # noqa: BLE001 - as above
                    answer.fail(*self._failure(url, error, current))
        return answer

    def _send(
        self, request: requests.PreparedRequest, timeout: tuple[float, float]
    ) -> requests.Response:
        """Send through the session's adapter, as `Session.send` does, minus what it adds.

        `Session.send` reads a redirect's whole body, without a limit of size or time, to
        prepare a next hop the fetcher makes itself; and it stores every cookie in the session,
        shared by all threads.
        """
        assert request.url is not None  # noqa: S101 - prepare_request always sets it
        settings = self.session.merge_environment_settings(request.url, {}, True, None, None)  # noqa: FBT003
        adapter = self.session.get_adapter(request.url)
        verify = settings["verify"]
        return adapter.send(
            request,
            stream=True,
            timeout=timeout,
            verify=True if verify is None else verify,
            cert=settings["cert"],
            proxies=settings["proxies"],
        )

    def _failure(
        self, url: str, error: BaseException, current: Exchange
    ) -> tuple[FetchErrorKind, str]:
        if current.fired:
            return FetchErrorKind.TIMEOUT, f"{url}: deadline of {self.deadline:g} s passed"
        return error_kind(error), f"{url}: {type(error).__name__}: {error}"

    def _read_response(
        self,
        response: requests.Response,
        answer: _Answer,
        current: Exchange,
        *,
        max_bytes: int,
        url: str,
    ) -> None:
        """Check the status and headers, then read the body if there is one to read."""
        answer.status = response.status_code
        fields = response.raw.headers  # urllib3's: repeated fields apart
        answer.headers = Headers(response.headers.items())
        header_bytes = sum(len(name) + len(value) + 4 for name, value in fields.items())
        if header_bytes > _MAX_HEADER_BYTES:
            answer.fail(
                FetchErrorKind.PROTOCOL,
                f"{url}: {header_bytes} bytes of headers, over the {_MAX_HEADER_BYTES} allowed",
            )
            return
        if answer.status in REDIRECT_STATUSES and "location" in answer.headers:
            if len(set(fields.getlist("location"))) > 1:  # as browsers refuse it
                answer.fail(FetchErrorKind.PROTOCOL, f"{url}: several different Location fields")
            return  # its body is never read: the connection is dropped with it
        declared = answer.headers.get("content-length")
        if declared is not None and "transfer-encoding" not in answer.headers:
            length = content_length(declared)
            if length is None:
                answer.fail(
                    FetchErrorKind.PROTOCOL, f"{url}: invalid Content-Length {declared[:40]!r}"
                )
                return
            if length > max_bytes:
                answer.fail(
                    FetchErrorKind.TOO_LARGE,
                    f"{url} declares {declared} bytes, over the {max_bytes} allowed",
                )
                return
        self._read_body(response, answer, current, max_bytes=max_bytes, url=url)

    def _read_body(
        self,
        response: requests.Response,
        answer: _Answer,
        current: Exchange,
        *,
        max_bytes: int,
        url: str,
    ) -> None:
        raw = response.raw
        # urllib3 2 has read1 (returns what has arrived); older ones only read (blocks for it all).
        read = getattr(raw, "read1", None) or raw.read
        chunks: list[bytes] = []
        size = 0
        try:
            while current.left() > 0:
                chunk = read(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                    answer.fail(
                        FetchErrorKind.TOO_LARGE,
                        f"{url}: body over {max_bytes} bytes (decompressed)",
                    )
                    break
                chunks.append(chunk)
        finally:
            answer.body = b"".join(chunks)
        # The watchdog's shutdown can look like the end of a body sent until the connection
        # closes; and a read may have returned just as the deadline passed.
        if answer.error is None and (current.fired or current.left() <= 0):
            answer.fail(
                FetchErrorKind.TIMEOUT, f"{url}: deadline of {self.deadline:g} s passed mid-body"
            )


# -- verifying backlinks -------------------------------------------------------------------------


def _verify(fetcher: Fetcher, source_url: str, target: Target, given: str) -> LinkCheck:
    result = fetcher.fetch(source_url)
    verdict = check_response(source_url, given, result)
    if verdict is not None:
        return verdict
    try:
        page = extract_links(result.body, result.final_url, headers=result.headers)
    except BacklinkkitError as error:
        return LinkCheck(
            source_url,
            given,
            LinkStatus.ERROR,
            final_url=result.final_url,
            http_status=result.status,
            redirects=result.redirects,
            message=f"cannot read {result.final_url}: {error}",
        )
    return check_page(source_url, target, given, result, page)


def _verify_contained(fetcher: Fetcher, source_url: str, target: Target, given: str) -> LinkCheck:
    """`_verify`, with whatever goes wrong on this one URL turned into its ERROR verdict.

    Failures on the network are results already; what is caught here is everything else (a bug
    here or in a dependency that one hostile page provokes), so that it costs that URL's verdict
    and not the batch's.
    """
    try:
        return _verify(fetcher, source_url, target, given)
    except Exception as error:  # noqa: BLE001 - the point: one URL's failure is its own
        return LinkCheck(
            source_url,
            given,
            LinkStatus.ERROR,
            message=f"checking {source_url} failed unexpectedly: {type(error).__name__}: {error}",
        )


def verify_backlink(source_url: str, target: str, *, fetcher: Fetcher | None = None) -> LinkCheck:
    """Check that the page `source_url` still links to `target`.

    The page is fetched (obeying robots.txt), read with `extract_links` (the response's charset
    and `X-Robots-Tag` count) and its links matched against `target`.

    Args:
        source_url: the page that should carry the link.
        target: what the link must point to. With `://` it is a URL: that page (compared
            after WHATWG normalization, fragment ignored). Otherwise a host name: when it is its
            own registrable domain (`example.com`) the whole site matches, subdomains included;
            when not (`blog.example.com`) only that host.
        fetcher: the fetcher to use (its limits, politeness, robots.txt cache); a new default
            one when None.

    Returns:
        The verdict: `LIVE`, `LINK_REMOVED`, `PAGE_GONE` (404/410), `REDIRECTED_AWAY` (another
        site), `NOINDEX`, `BLOCKED` (robots.txt) or `ERROR` (a failed fetch, another status
        outside 2xx, a page that is not HTML, or anything else that went wrong on that page).

    Raises:
        InvalidURLError: `target` is neither an http(s) URL nor a host name.

    >>> verify_backlink("gopher://example.com/", "example.org").status
    <LinkStatus.ERROR: 'error'>
    """
    parsed = Target.parse(target)
    if fetcher is not None:
        return _verify_contained(fetcher, source_url, parsed, target)
    with Fetcher() as own:
        return _verify_contained(own, source_url, parsed, target)


def _pair(item: tuple[str, str] | Backlink) -> tuple[str, str]:
    if isinstance(item, Backlink):
        if item.target_url is None:
            raise InvalidURLError(f"the backlink from {item.source_url} has no target URL")
        return item.source_url, item.target_url
    source_url, target = item
    return source_url, target


def verify_backlinks(
    backlinks: Iterable[tuple[str, str] | Backlink],
    *,
    fetcher: Fetcher | None = None,
    workers: int = 8,
    progress: Callable[[int, int], object] | None = None,
) -> list[LinkCheck]:
    """Check many backlinks at once, on a pool of threads, politely.

    The fetcher's per-host rules hold across threads: one request at a time per host, its
    `per_host_delay` between them, robots.txt fetched once per origin. Work is handed out
    across hosts in turn, so the threads do not all queue behind one host. Nothing that happens
    on one URL stops the others: whatever goes wrong there is that URL's `ERROR` verdict.

    Args:
        backlinks: `(source_url, target)` pairs (`target` as for `verify_backlink`), or
            `Backlink` records (their `target_url` is the target).
        fetcher: the fetcher to share; a new default one when None.
        workers: the number of threads.
        progress: called as `progress(done, total)` after each check, from the calling thread.

    Returns:
        One `LinkCheck` per backlink, in input order.

    Raises:
        InvalidURLError: a target is neither a URL nor a host name, or a `Backlink` has no
            target URL (raised before anything is fetched).
        SettingsError: `workers` is less than 1.

    >>> verify_backlinks([("mailto:someone@example.com", "example.org")], workers=1)[0].status
    <LinkStatus.ERROR: 'error'>
    """
    if workers < 1:
        raise SettingsError(f"workers must be at least 1: workers={workers!r}")
    jobs = []
    for item in backlinks:
        source_url, target = _pair(item)
        jobs.append((source_url, Target.parse(target), target))
    shared = fetcher if fetcher is not None else Fetcher()
    try:
        return _run_pool(jobs, shared, workers, progress)
    finally:
        if fetcher is None:
            shared.close()


def _run_pool(
    jobs: list[tuple[str, Target, str]],
    shared: Fetcher,
    workers: int,
    progress: Callable[[int, int], object] | None,
) -> list[LinkCheck]:
    by_host: dict[str, list[int]] = {}
    for index, (source_url, _, _) in enumerate(jobs):
        by_host.setdefault((hostname(source_url) or ""), []).append(index)
    # Round-robin over hosts: the first page of each host, then the second of each...
    order = [i for rank in _zip_longest(by_host.values()) for i in rank]
    results: list[LinkCheck | None] = [None] * len(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_verify_contained, shared, *jobs[i]): i for i in order}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(jobs))
    return [result for result in results if result is not None]


def _zip_longest(groups: Iterable[list[int]]) -> Iterator[list[int]]:
    lists = list(groups)
    for rank in range(max((len(g) for g in lists), default=0)):
        yield [g[rank] for g in lists if rank < len(g)]
