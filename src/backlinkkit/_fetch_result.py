"""What one fetch gave: `FetchResult`, its `RedirectHop`s and, when it failed, a `FetchErrorKind`.

These values hold no reference to requests, so they can be made, stored and compared without the
`fetch` extra installed; `backlinkkit.fetch.Fetcher` is what makes them.
"""

from __future__ import annotations

import enum

import attrs

from ._headers import Headers, to_headers

__all__ = ["FetchErrorKind", "FetchResult", "RedirectHop"]


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
        """The media type of the body, lower-cased, without parameters (`text/html`), or None."""
        value = self.headers.get("content-type")
        if value is None:
            return None
        return value.split(";", 1)[0].strip().lower() or None
