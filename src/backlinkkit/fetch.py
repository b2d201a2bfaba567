"""The fetcher: polite, bounded HTTP fetches, and backlink verification on top of them.

This is the one module of backlinkkit that does I/O. It needs requests, installed with the `fetch`
extra (`pip install 'backlinkkit[fetch]'`); `import backlinkkit` works without it, and naming
`backlinkkit.Fetcher` without it raises `MissingDependencyError`.

Safety, by default: only http and https; every hop of a redirect is checked again (scheme,
address, robots.txt); bodies are capped while streaming, after decompression (a gzip bomb is a
`TOO_LARGE` result); connect and read timeouts plus an overall deadline per fetch; hosts that
resolve to private, loopback, link-local or reserved addresses are refused; robots.txt is obeyed.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import importlib.metadata
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Self

import ada_url

from ._errors import BacklinkkitError, InvalidURLError, MissingDependencyError

try:
    import requests
    import urllib3.exceptions
except ImportError as _error:  # pragma: no cover - the run without requests checks the message
    raise MissingDependencyError(
        "backlinkkit.fetch needs requests: install the `fetch` extra, "
        "pip install 'backlinkkit[fetch]'"
    ) from _error

from ._addresses import AddressRefusal, check_public
from ._backlink import Backlink
from ._extract import extract_links
from ._fetch_result import REDIRECT_STATUSES, FetchErrorKind, FetchResult, RedirectHop
from ._headers import Headers
from ._link_check import LinkCheck, LinkStatus, Target, check_page, check_response
from ._politeness import HostGate
from ._robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from ._urls import hostname, join_url

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


# -- error kinds ---------------------------------------------------------------------------------


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and everything it wraps: causes, contexts, urllib3 reasons, exception arguments."""
    todo, seen = [error], set()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        reason = getattr(current, "reason", None)
        linked = [current.__cause__, current.__context__, reason, *current.args]
        todo.extend(e for e in linked if isinstance(e, BaseException))


# Checked in this order: the first kind one of whose classes appears in the chain wins.
_KIND_CLASSES: tuple[tuple[FetchErrorKind, tuple[type[BaseException], ...]], ...] = (
    (
        FetchErrorKind.TLS,
        (requests.exceptions.SSLError, urllib3.exceptions.SSLError, ssl.SSLError),
    ),
    (FetchErrorKind.DNS, (urllib3.exceptions.NameResolutionError, socket.gaierror)),
    # urllib3 makes NewConnectionError (refused, unreachable) a ConnectTimeoutError: not a timeout.
    (FetchErrorKind.CONNECT, (urllib3.exceptions.NewConnectionError,)),
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
            urllib3.exceptions.IncompleteRead,
            urllib3.exceptions.InvalidChunkLength,
            http.client.IncompleteRead,
            http.client.LineTooLong,
        ),
    ),
    # Last: requests raises a bare ValueError for a Location it cannot parse (it prepares the
    # next hop even when not following), and UnicodeError for a host IDNA refuses.
    (FetchErrorKind.INVALID_URL, (ValueError,)),
)


def error_kind(error: BaseException) -> FetchErrorKind:
    """The kind of failure an exception from requests, urllib3 or the socket layer stands for.

    requests wraps urllib3's errors, which wrap the socket's: the whole chain is looked at, so a
    `requests.ConnectionError` caused by a failed name look-up is `DNS`, one caused by a failed
    handshake `TLS`. What matches nothing more specific is `CONNECT`.

    Args:
        error: the exception raised while fetching.

    Returns:
        The matching kind.

    >>> error_kind(requests.exceptions.SSLError("certificate verify failed"))
    <FetchErrorKind.TLS: 'tls'>
    >>> error_kind(requests.exceptions.ReadTimeout("read timed out"))
    <FetchErrorKind.TIMEOUT: 'timeout'>
    """
    chain = tuple(_causes(error))
    for kind, classes in _KIND_CLASSES:
        if any(isinstance(e, classes) for e in chain):
            return kind
    return FetchErrorKind.CONNECT


# -- the fetcher ---------------------------------------------------------------------------------


class _Clock:
    """The overall deadline of one fetch; time spent waiting for politeness does not count."""

    def __init__(self, deadline: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + deadline

    def exclude(self, seconds: float) -> None:
        self.end += seconds

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


class Fetcher:
    """Fetches pages politely and safely, over one `requests.Session`; reuse one for a batch.

    Every hop of a redirect chain is checked on its own (scheme, address, robots.txt), and waits
    its turn at its host: one request at a time per host, `per_host_delay` seconds apart. It is
    safe to share one fetcher between threads. Use it as a context manager (or call `close`) to
    release its pooled connections.

    Args:
        user_agent: sent with every request, and matched against robots.txt groups.
        timeout: seconds to wait for a connection and between bytes read: `(connect, read)`,
            or one number for both.
        deadline: seconds one `fetch` may take in all (redirects, retries and the slowest
            trickle included; waits for politeness excluded).
        max_bytes: the largest body read, counted after decompression; a larger one is
            `TOO_LARGE`.
        max_redirects: the most redirects followed.
        respect_robots: obey robots.txt (fetched once per origin and cached).
        per_host_delay: seconds from the end of one request to a host to the start of the next.
        retries: further tries after a connect error, a timeout, or 429/500/502/503/504.
        allow_private_addresses: reach hosts that resolve to private, loopback, link-local or
            reserved addresses (off by default: a service fetching users' URLs must not reach
            its own network).
        session: the `requests.Session` to use (its proxies, certificates, adapters); a new one
            by default.

    Raises:
        ValueError: a setting is out of range (a negative delay, a zero timeout).

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
            raise ValueError(f"timeouts and deadline must be positive: {timeout!r}, {deadline!r}")
        if max_bytes <= 0 or max_redirects < 0 or per_host_delay < 0 or retries < 0:
            raise ValueError(
                "max_bytes must be positive; max_redirects, per_host_delay and retries must not "
                f"be negative: {max_bytes!r}, {max_redirects!r}, {per_host_delay!r}, {retries!r}"
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
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            robots=self.respect_robots,
        )

    def _fetch(self, url: str, *, max_bytes: int, max_redirects: int, robots: bool) -> FetchResult:
        clock = _Clock(self.deadline)
        hops: list[RedirectHop] = []
        current = url
        while True:
            answer = self._fetch_one(current, clock, max_bytes=max_bytes, robots=robots)
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

    def _fetch_one(self, url: str, clock: _Clock, *, max_bytes: int, robots: bool) -> _Answer:
        """One URL, no redirects followed: checks, robots.txt, then the request (with retries)."""
        try:
            parts = ada_url.parse_url(url, attributes=("protocol", "hostname", "port", "origin"))
        except ValueError:
            return _Answer(error=FetchErrorKind.INVALID_URL, message=f"not a URL: {url!r}")
        scheme = parts["protocol"].rstrip(":")
        if scheme not in {"http", "https"}:
            return _Answer(error=FetchErrorKind.NOT_HTTP, message=f"not an http(s) URL: {url}")
        host = parts["hostname"]  # never empty: http(s) URLs without a host do not parse
        if not self.allow_private_addresses:
            port = int(parts["port"] or (443 if scheme == "https" else 80))
            try:
                check_public(host, port)
            except AddressRefusal as refusal:
                kind = FetchErrorKind.DNS if refusal.dns else FetchErrorKind.PRIVATE_ADDRESS
                return _Answer(error=kind, message=f"{url}: {refusal}")
        if robots:
            start = time.monotonic()
            rules = self._robots.get(parts["origin"], lambda: self._load_robots(parts["origin"]))
            clock.exclude(time.monotonic() - start)  # the robots.txt fetch has its own deadline
            if rules.error is not None:
                return _Answer(error=rules.error, message=f"robots.txt: {rules.message}")
            if not rules.allows(url, self.user_agent):
                return _Answer(
                    error=FetchErrorKind.BLOCKED_BY_ROBOTS,
                    message=f"robots.txt of {parts['origin']} disallows {url}"
                    + (" (it answered a server error)" if rules.disallow_all else ""),
                )
        answer = _Answer()
        for attempt in range(self.retries + 1):
            with self._gate.slot(host) as waited:
                clock.exclude(waited)
                answer = self._exchange(url, clock, max_bytes=max_bytes)
            retry = answer.error in _RETRY_ERRORS or answer.status in _RETRY_STATUSES
            if not retry or attempt == self.retries or clock.remaining() <= 0:
                break
        return answer

    def _load_robots(self, origin: str) -> RobotsRules:
        result = self._fetch(
            f"{origin}/robots.txt",
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

    def _exchange(self, url: str, clock: _Clock, *, max_bytes: int) -> _Answer:
        """Send one GET and read its body, within the timeouts, the deadline and `max_bytes`."""
        remaining = clock.remaining()
        if remaining <= 0:
            return _Answer(
                error=FetchErrorKind.TIMEOUT, message=f"deadline of {self.deadline:g} s passed"
            )
        connect, read = self.timeout
        try:
            response = self.session.get(
                url,
                headers={"User-Agent": self.user_agent, "Accept": _ACCEPT},
                stream=True,
                allow_redirects=False,
                timeout=(min(connect, remaining), min(read, remaining)),
            )
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            OSError,
            ValueError,
        ) as error:
            return _Answer(error=error_kind(error), message=f"{url}: {error}")
        with response:
            answer = _Answer(status=response.status_code, headers=Headers(response.headers.items()))
            if answer.status in REDIRECT_STATUSES and "location" in answer.headers:
                return answer  # its body is never read: the connection is dropped with it
            declared = answer.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                answer.error = FetchErrorKind.TOO_LARGE
                answer.message = f"{url} declares {declared} bytes, over the {max_bytes} allowed"
                return answer
            self._read_body(response, answer, clock, max_bytes=max_bytes, url=url)
            return answer

    def _read_body(
        self,
        response: requests.Response,
        answer: _Answer,
        clock: _Clock,
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
            while True:
                remaining = clock.remaining()
                if remaining <= 0:
                    answer.error = FetchErrorKind.TIMEOUT
                    answer.message = f"{url}: deadline of {self.deadline:g} s passed mid-body"
                    break
                _limit_wait(raw, min(self.timeout[1], remaining))
                chunk = read(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                    answer.error = FetchErrorKind.TOO_LARGE
                    answer.message = f"{url}: body over {max_bytes} bytes (decompressed)"
                    break
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            answer.error = error_kind(error)
            answer.message = f"{url}: {error}"
            if answer.error is FetchErrorKind.TIMEOUT and clock.remaining() <= 0:
                answer.message = f"{url}: deadline of {self.deadline:g} s passed mid-body"
        answer.body = b"".join(chunks)


def _limit_wait(raw: object, seconds: float) -> None:
    """Bound the next socket read by `seconds`, so the deadline holds even mid-read."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        # A response that closes its connection keeps only http.client's file over the socket.
        file = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(file, "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        # A socket closed under us makes the read itself say so.
        with contextlib.suppress(OSError):
            sock.settimeout(max(seconds, 0.001))


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
        outside 2xx, or a page that is not HTML).

    Raises:
        InvalidURLError: `target` is neither an http(s) URL nor a host name.

    >>> verify_backlink("gopher://example.com/", "example.org").status
    <LinkStatus.ERROR: 'error'>
    """
    parsed = Target.parse(target)
    if fetcher is not None:
        return _verify(fetcher, source_url, parsed, target)
    with Fetcher() as own:
        return _verify(own, source_url, parsed, target)


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
    across hosts in turn, so the threads do not all queue behind one host.

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
        ValueError: `workers` is less than 1.

    >>> verify_backlinks([("mailto:someone@example.com", "example.org")], workers=1)[0].status
    <LinkStatus.ERROR: 'error'>
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1: {workers!r}")
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
        futures = {pool.submit(_verify, shared, *jobs[i]): i for i in order}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(jobs))
    return [result for result in results if result is not None]


def _zip_longest(groups: Iterable[list[int]]) -> Iterator[list[int]]:
    lists = list(groups)
    for rank in range(max((len(g) for g in lists), default=0)):
        yield [g[rank] for g in lists if rank < len(g)]
