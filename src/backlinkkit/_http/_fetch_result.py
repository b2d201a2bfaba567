"""What one fetch gave: `FetchResult`, its `RedirectHop`s and, when it failed, a `FetchErrorKind`.

These values hold no reference to requests, so they can be made, stored and compared without the
`fetch` extra installed; `backlinkkit.fetch.Fetcher` is what makes them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

import attrs

from .._errors import PickleStateError
from .._web._headers import Headers, split_values, to_headers

__all__ = ["FetchErrorKind", "FetchResult", "RedirectHop", "media_type"]

_STATE_VERSION = 1
# A token (RFC 9110, 5.6.2): what a MIME type's type and subtype are made of.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HTTP_WHITESPACE = " \t\r\n"


class FetchErrorKind(enum.Enum):
    """Why a fetch failed. An HTTP status (404, 503) is not a failure: the server answered."""

    INVALID_URL = "invalid-url"
    """The URL (or a redirect's `Location`) does not parse, or has no host."""
    NOT_HTTP = "not-http"
    """The URL's scheme is not http or https (ftp, file, javascript, mailto...)."""
    DNS = "dns"
    """The host name does not resolve."""
    PRIVATE_ADDRESS = "private-address"
    """The host resolves to a private, loopback, link-local or reserved address (refused)."""
    CONNECT = "connect"
    """No connection could be made (refused, reset, unreachable)."""
    TIMEOUT = "timeout"
    """The connect or read timeout, or the overall deadline of the fetch, ran out."""
    TLS = "tls"
    """The TLS handshake failed (bad certificate, wrong host name, old protocol)."""
    PROTOCOL = "protocol"
    """The server broke HTTP: a malformed response, a truncated body, bad compressed data."""
    TOO_LARGE = "too-large"
    """The body, once decompressed, is larger than the fetcher's `max_bytes`."""
    TOO_MANY_REDIRECTS = "too-many-redirects"
    """More redirects than `max_redirects`, or a redirect loop."""
    BLOCKED_BY_ROBOTS = "blocked-by-robots"
    """robots.txt disallows the URL for the fetcher's user agent (or answers 5xx)."""


# The redirect statuses that carry a `Location` to follow (RFC 9110, section 15.4).
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@attrs.frozen
class RedirectHop:
    """One redirect the fetcher followed.

    Attributes:
        url: the URL that answered with a redirect.
        status: its status (301, 302, 303, 307 or 308).
        location: where it sent the fetcher: its `Location` resolved against `url`.
    """

    url: str
    status: int
    location: str

    def __getstate__(self) -> dict[str, object]:
        return {"version": _STATE_VERSION, "hop": [self.url, self.status, self.location]}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        _check_version(state, "RedirectHop")
        hop = state["hop"]
        if not isinstance(hop, list) or len(hop) != 3:
            raise PickleStateError(f"cannot load a RedirectHop from {hop!r}")
        _fill(self, RedirectHop(str(hop[0]), int(hop[1]), str(hop[2])))


@attrs.frozen
class FetchResult:
    """What fetching one URL gave: the response, or why there is none.

    A failure is a result with `error` set, never an exception, so a batch never stops on one bad
    URL. A server's error status (404, 503) is not a failure: `error` is None and `status` says it.

    Attributes:
        url: the URL asked for.
        final_url: the URL that answered last, after redirects (`url` when there were none).
        status: the final HTTP status, or None when no response came.
        headers: the final response's headers (look-ups ignore case).
        body: the body, decompressed; at most the fetcher's `max_bytes` (cut there when
            `error` is `TOO_LARGE`).
        elapsed: seconds the fetch took, waits for per-host politeness included.
        redirects: each redirect followed, in order.
        error: why the fetch failed, or None.
        message: a human-readable account of the failure ("" when there is none).

    >>> result = FetchResult(url="ftp://example.com/", error=FetchErrorKind.NOT_HTTP)
    >>> result.ok, result.final_url
    (False, 'ftp://example.com/')
    """

    url: str
    final_url: str = attrs.field()
    status: int | None = None
    headers: Headers = attrs.field(factory=Headers, converter=to_headers)
    body: bytes = attrs.field(default=b"", repr=False)
    elapsed: float = 0.0
    redirects: tuple[RedirectHop, ...] = ()
    error: FetchErrorKind | None = None
    message: str = ""

    @final_url.default
    def _final_url_default(self) -> str:
        return self.url

    @property
    def ok(self) -> bool:
        """The fetch succeeded and the server answered 2xx."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str | None:
        """The media type of the body, lower-cased, without parameters (`text/html`), or None.

        Read as browsers do (`media_type`): of several values, the last valid one counts.
        """
        value = self.headers.get("content-type")
        return None if value is None else media_type(value)

    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": self.body,
            "elapsed": self.elapsed,
            "redirects": [[hop.url, hop.status, hop.location] for hop in self.redirects],
            "error": None if self.error is None else self.error.value,
            "message": self.message,
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        _check_version(state, "FetchResult")
        error = state["error"]
        _fill(
            self,
            FetchResult(
                url=state["url"],  # type: ignore[arg-type]
                final_url=state["final_url"],  # type: ignore[arg-type]
                status=state["status"],  # type: ignore[arg-type]
                headers=[(name, value) for name, value in state["headers"]],  # type: ignore[attr-defined]
                body=state["body"],  # type: ignore[arg-type]
                elapsed=state["elapsed"],  # type: ignore[arg-type]
                redirects=tuple(RedirectHop(*hop) for hop in state["redirects"]),  # type: ignore[attr-defined]
                error=None if error is None else FetchErrorKind(error),
                message=state["message"],  # type: ignore[arg-type]
            ),
        )


def _check_version(state: Mapping[str, object], name: str) -> None:
    version = state.get("version")
    if version != _STATE_VERSION:
        raise PickleStateError(f"cannot load a {name} pickled with state version {version!r}")


def _fill(blank: attrs.AttrsInstance, made: attrs.AttrsInstance) -> None:
    """Fill a frozen instance being unpickled from one made by __init__ (its converters run)."""
    for field in attrs.fields(type(made)):
        object.__setattr__(blank, field.name, getattr(made, field.name))


def media_type(value: str) -> str | None:
    r"""The essence (`type/subtype`, lower-cased) of a `Content-Type` value, or None.

    WHATWG Fetch, "extract a MIME type": a repeated field, or one with several comma-separated
    values, counts by its last valid MIME type; `*/*` and values that are no MIME type at all
    are skipped.

    >>> media_type("text/html; charset=utf-8"), media_type("text/plain, text/html;x=\"a,b\"")
    ('text/html', 'text/html')
    >>> media_type("nonsense") is None
    True
    """
    found = None
    for part in split_values(value):
        essence = part.split(";", 1)[0].strip(_HTTP_WHITESPACE)
        kind, slash, subtype = essence.partition("/")
        if slash and _TOKEN.fullmatch(kind) and _TOKEN.fullmatch(subtype) and essence != "*/*":
            found = essence.lower()
    return found
