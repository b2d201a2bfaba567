"""Is a backlink still there? `LinkStatus`, `LinkCheck`, and the rules that judge a fetched page.

The rules are pure functions over a `FetchResult` and the page's `PageLinks`; the fetching and
parsing happen in `backlinkkit.fetch`, so everything here works (and is tested) without requests.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from .._errors import InvalidURLError, PickleStateError
from .._web._links import Link, PageLinks, Robots
from .._web._urls import SuffixList, hostname, join_url, normalize_host
from ._fetch_result import FetchErrorKind, FetchResult, RedirectHop

__all__ = ["LinkCheck", "LinkStatus", "Target", "check_page", "check_response"]

_STATE_VERSION = 1

# Statuses that say the page is gone for good, or is simply not there (RFC 9110, 15.5.5 and
# 15.5.11); search engines drop such pages, and every link on them with them.
_GONE_STATUSES = frozenset({404, 410})
# Media types the extractor reads as HTML (WHATWG MIME sniffing: an HTML MIME type, or XHTML).
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class LinkStatus(enum.Enum):
    """What became of a backlink, as `verify_backlink` found it."""

    LIVE = "live"
    """The page links to the target (see the check's `links` for their rel and anchors)."""
    LINK_REMOVED = "link-removed"
    """The page is there but no longer links to the target."""
    PAGE_GONE = "page-gone"
    """The page answers 404 Not Found or 410 Gone."""
    REDIRECTED_AWAY = "redirected-away"
    """The page redirects to another site (another registrable domain)."""
    NOINDEX = "noindex"
    """The page still links to the target but asks not to be indexed (meta or header)."""
    BLOCKED = "blocked"
    """robots.txt forbids the fetcher to read the page (or answered 5xx: assumed forbidden)."""
    ERROR = "error"
    """No verdict: the fetch failed, the server answered another error, or it is not HTML."""


class _TargetKind(enum.Enum):
    URL = "url"
    HOST = "host"
    SITE = "site"


@attrs.frozen
class Target:
    """What a backlink must point to: one page, one host, or a whole site.

    `parse` decides: a string with `://` is a URL (that page, fragment ignored); otherwise a host
    name, which stands for the whole site when it is its own registrable domain (`example.com`
    matches `www.example.com` and `shop.example.com`), and for that host alone when it is not
    (`blog.example.com` matches only `blog.example.com`).
    """

    kind: _TargetKind
    value: str

    @classmethod
    def parse(cls, target: str) -> Target:
        """Read a target URL, host or site.

        Raises:
            InvalidURLError: `target` is neither an http(s) URL with a host nor a host name.
        """
        text = target.strip()
        if "://" in text:
            # Parsing "" against the URL gives it back serialized, without its fragment.
            url = join_url(text, "")
            if url is None or not url.startswith(("http://", "https://")) or not hostname(url):
                raise InvalidURLError(f"not an http(s) URL with a host: {target!r}")
            return cls(_TargetKind.URL, url)
        host = normalize_host(text)
        if SuffixList.bundled().registrable_domain(host) == host:
            return cls(_TargetKind.SITE, host)
        return cls(_TargetKind.HOST, host)

    def matches(self, link: Link) -> bool:
        """The link points to this target."""
        if link.url is None:
            return False
        if self.kind is _TargetKind.URL:
            return link.url.split("#", 1)[0] == self.value
        host = link.host or hostname(link.url)
        if host is None:
            return False
        if self.kind is _TargetKind.HOST:
            return host == self.value
        return SuffixList.bundled().registrable_domain(host) == self.value


@attrs.frozen
class LinkCheck:
    """The verdict on one backlink: does `source_url` still link to `target`?

    Attributes:
        source_url: the page that should carry the link.
        target: the target as given (a URL, a host, or a registrable domain).
        status: the verdict.
        links: the page's links to the target, in document order (for `LIVE` and `NOINDEX`).
        final_url: the URL that answered last, after redirects, when there was an answer.
        http_status: the final HTTP status, when there was one.
        redirects: each redirect followed on the way.
        robots: the page's robots directives, when the page was read.
        error: for `ERROR` and `BLOCKED`, the fetch's failure, when the fetch failed.
        message: for `ERROR` and `BLOCKED`, what went wrong, for people ("" otherwise).

    >>> from backlinkkit import Link
    >>> link = Link(href="https://example.com/", url="https://example.com/", text="Example",
    ...             rel=("nofollow",), followed=False)
    >>> check = LinkCheck("https://blog.test/post", "example.com", LinkStatus.LIVE, links=(link,))
    >>> check.live, check.followed, check.anchors
    (True, False, ('Example',))
    """

    source_url: str
    target: str
    status: LinkStatus
    links: tuple[Link, ...] = ()
    final_url: str | None = None
    http_status: int | None = None
    redirects: tuple[RedirectHop, ...] = ()
    robots: Robots | None = None
    error: FetchErrorKind | None = None
    message: str = ""

    @property
    def live(self) -> bool:
        """The link is there and the page may be indexed (status `LIVE`)."""
        return self.status is LinkStatus.LIVE

    @property
    def followed(self) -> bool | None:
        """Some link to the target passes endorsement; None when no link was found."""
        if not self.links:
            return None
        return any(link.followed for link in self.links)

    @property
    def anchors(self) -> tuple[str, ...]:
        """The anchor text of each link to the target, in document order."""
        return tuple(link.anchor for link in self.links)

    def __getstate__(self) -> dict[str, object]:
        # Versioned plain data; the links and robots directives pickle as their own classes do.
        return {
            "version": _STATE_VERSION,
            "source_url": self.source_url,
            "target": self.target,
            "status": self.status.value,
            "links": list(self.links),
            "final_url": self.final_url,
            "http_status": self.http_status,
            "redirects": [[hop.url, hop.status, hop.location] for hop in self.redirects],
            "robots": self.robots,
            "error": None if self.error is None else self.error.value,
            "message": self.message,
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        version = state.get("version")
        if version != _STATE_VERSION:
            raise PickleStateError(
                f"cannot load a LinkCheck pickled with state version {version!r}"
            )
        error = state["error"]
        made = LinkCheck(
            state["source_url"],  # type: ignore[arg-type]
            state["target"],  # type: ignore[arg-type]
            LinkStatus(state["status"]),
            links=tuple(state["links"]),  # type: ignore[arg-type]
            final_url=state["final_url"],  # type: ignore[arg-type]
            http_status=state["http_status"],  # type: ignore[arg-type]
            redirects=tuple(RedirectHop(*hop) for hop in state["redirects"]),  # type: ignore[attr-defined]
            robots=state["robots"],  # type: ignore[arg-type]
            error=None if error is None else FetchErrorKind(error),
            message=state["message"],  # type: ignore[arg-type]
        )
        for field in attrs.fields(LinkCheck):
            object.__setattr__(self, field.name, getattr(made, field.name))


def _site(url: str) -> str | None:
    host = hostname(url)
    return None if host is None else SuffixList.bundled().registrable_domain(host)


def check_response(source_url: str, target: str, result: FetchResult) -> LinkCheck | None:
    """The verdict that needs no look at the page's links, or None when they decide.

    In order: a failed fetch (`BLOCKED` for robots.txt, else `ERROR`); a redirect to another site
    (`REDIRECTED_AWAY`, whatever that site answers); 404 or 410 (`PAGE_GONE`); any other status
    outside 2xx (`ERROR`, the status in `http_status`); a body that is not HTML (`ERROR`).
    """
    base = LinkCheck(
        source_url,
        target,
        LinkStatus.ERROR,
        final_url=result.final_url if result.status is not None else None,
        http_status=result.status,
        redirects=result.redirects,
        error=result.error,
        message=result.message,
    )
    if result.error is FetchErrorKind.BLOCKED_BY_ROBOTS:
        return attrs.evolve(base, status=LinkStatus.BLOCKED)
    if result.error is not None:
        return base
    if result.redirects and _site(result.final_url) != _site(source_url):
        return attrs.evolve(base, status=LinkStatus.REDIRECTED_AWAY)
    status = result.status
    if status in _GONE_STATUSES:
        return attrs.evolve(base, status=LinkStatus.PAGE_GONE)
    if status is None or not 200 <= status < 300:
        return attrs.evolve(base, message=f"the page answered HTTP {status}")
    content_type = result.content_type
    if content_type is not None and content_type not in _HTML_TYPES:
        return attrs.evolve(base, message=f"not an HTML page: {content_type}")
    return None


def check_page(
    source_url: str, target: Target, given: str, result: FetchResult, page: PageLinks
) -> LinkCheck:
    """The verdict from the page's links: `LINK_REMOVED`, `NOINDEX` or `LIVE`.

    A page that no longer links to the target is `LINK_REMOVED`, whatever its robots directives;
    one that does but asks not to be indexed is `NOINDEX`.
    """
    links = tuple(link for link in page.links if target.matches(link))
    if not links:
        status = LinkStatus.LINK_REMOVED
    elif page.robots.noindex:
        status = LinkStatus.NOINDEX
    else:
        status = LinkStatus.LIVE
    return LinkCheck(
        source_url,
        given,
        status,
        links=links,
        final_url=result.final_url,
        http_status=result.status,
        redirects=result.redirects,
        robots=page.robots,
    )
