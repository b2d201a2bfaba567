"""Broken targets: the pages your backlinks point at, checked once each, most valuable first.

A backlink to a page that answers 404, or that redirects to the home page or to another site,
passes little or nothing: fixing the page (or redirecting it to its replacement) reclaims the
link. `check_targets` fetches each distinct target URL once with the `Fetcher` (its per-host
delay, robots.txt and safety caps), says what became of it, and lists the referring domains and
links pointing at it. It needs requests (the `fetch` extra), imported when it is called.
"""

from __future__ import annotations

import concurrent.futures
import enum
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import ada_url
import attrs

from .._backlink import Backlink
from .._errors import InvalidURLError, SettingsError
from .._http._fetch_result import FetchErrorKind, FetchResult, RedirectHop
from .._profile._link_profile import LinkProfile
from .._web._urls import join_url, registrable_domain
from ._authority import AuthorityBucket

if TYPE_CHECKING:
    from ..fetch import Fetcher

__all__ = ["TargetCheck", "TargetStatus", "check_targets"]


class TargetStatus(enum.Enum):
    """What a target URL answered, as `check_targets` found it.

    >>> TargetStatus.REDIRECTS_HOME.broken, TargetStatus.REDIRECTED.broken
    (True, False)
    """

    OK = "ok"
    """It answers 2xx directly."""
    REDIRECTED = "redirected"
    """It redirects, within its site, to another page that answers 2xx (links still count;
    pointing them at the final URL saves a hop)."""
    NOT_FOUND = "not-found"
    """It answers 404 Not Found (directly or at the end of redirects within the site)."""
    GONE = "gone"
    """It answers 410 Gone."""
    REDIRECTS_HOME = "redirects-home"
    """It redirects to its site's home page: search engines treat that as a soft 404."""
    REDIRECTS_OFF_SITE = "redirects-off-site"
    """It redirects to another site (another registrable domain): the links serve that site."""
    REDIRECT_LOOP = "redirect-loop"
    """Its redirects loop, or go on past the fetcher's `max_redirects`."""
    BLOCKED = "blocked"
    """robots.txt forbids the fetcher to check it (or answered 5xx): not verified."""
    HTTP_ERROR = "http-error"
    """It answers another status outside 2xx (403, 500, 503...): `http_status` says which."""
    FAILED = "failed"
    """No answer: the name does not resolve, the connection or TLS failed, it timed out."""

    @property
    def broken(self) -> bool:
        """Anything but `OK` and `REDIRECTED`: the links' value is lost or cannot be verified."""
        return self not in {TargetStatus.OK, TargetStatus.REDIRECTED}


# Statuses that say the page is not there (RFC 9110, 15.5.5 and 15.5.11).
_GONE = {404: TargetStatus.NOT_FOUND, 410: TargetStatus.GONE}


def _frozen_domains(value: Mapping[str, int]) -> Mapping[str, int]:
    return types.MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class TargetCheck:
    """One target URL, what it answered, and the backlinks that point at it.

    Attributes:
        url: the target URL (without a fragment: the server never sees it).
        status: what it answered.
        http_status: the final HTTP status, or None when no response came.
        final_url: where its redirects ended (`url` when there were none).
        redirects: each redirect followed.
        error: why the fetch failed, if it did.
        message: the fetcher's account of a failure ("" when none).
        referring_domains: links pointing at it, per referring domain.
        links: those links in all.
        authority_bucket: the best authority band among those referring domains (known when
            `check_targets` was given a `LinkProfile`: `ReferringDomain.authority_bucket`).

    >>> check = TargetCheck(url="https://example.com/old", status=TargetStatus.NOT_FOUND,
    ...                     http_status=404, referring_domains={"blog.test": 3, "news.test": 1})
    >>> check.broken, check.links, check.referring_domain_count
    (True, 4, 2)
    """

    url: str
    status: TargetStatus
    http_status: int | None = None
    final_url: str = attrs.field()
    redirects: tuple[RedirectHop, ...] = ()
    error: FetchErrorKind | None = None
    message: str = ""
    referring_domains: Mapping[str, int] = attrs.field(
        factory=dict, converter=_frozen_domains, hash=False
    )
    links: int = attrs.field()
    authority_bucket: AuthorityBucket = AuthorityBucket.UNKNOWN

    @final_url.default
    def _final_url_default(self) -> str:
        return self.url

    @links.default
    def _links_default(self) -> int:
        return sum(self.referring_domains.values())

    @property
    def broken(self) -> bool:
        """The status is anything but `OK` and `REDIRECTED` (`TargetStatus.broken`)."""
        return self.status.broken

    @property
    def referring_domain_count(self) -> int:
        """How many referring domains link to it."""
        return len(self.referring_domains)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: referring domains as a dict, most links first."""
        return {
            "url": self.url,
            "status": self.status.value,
            "broken": self.broken,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": [[hop.url, hop.status, hop.location] for hop in self.redirects],
            "error": None if self.error is None else self.error.value,
            "message": self.message,
            "referring_domain_count": self.referring_domain_count,
            "links": self.links,
            "authority_bucket": self.authority_bucket.value,
            "referring_domains": dict(_by_links(self.referring_domains)),
        }

    def to_record(self) -> dict[str, object]:
        """A flat record for a CSV row: referring domains space-separated, most links first."""
        return {
            "url": self.url,
            "status": self.status.value,
            "broken": self.broken,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": len(self.redirects),
            "error": None if self.error is None else self.error.value,
            "referring_domain_count": self.referring_domain_count,
            "links": self.links,
            "authority_bucket": self.authority_bucket.value,
            "referring_domains": " ".join(d for d, _ in _by_links(self.referring_domains)),
        }


def _by_links(domains: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(domains.items(), key=lambda item: (-item[1], item[0]))


def _site(url: str) -> str | None:
    try:
        return registrable_domain(url)
    except InvalidURLError:
        return None


def _is_homepage(url: str) -> bool:
    try:
        parts = ada_url.parse_url(url, attributes=("pathname", "search"))
    except ValueError:
        return False
    return parts["pathname"] in {"", "/"} and not parts["search"]


def classify(url: str, result: FetchResult) -> TargetStatus:
    """What a fetch of the target `url` says about it (a pure function of the result).

    The rules, in order: a redirect loop (or too many redirects); redirects that end on
    another site; robots.txt refusing the check; any other failure without a response; a
    redirect to the home page from a page that is not it; 404; 410; 2xx (`REDIRECTED` when
    redirects led there); any other status.
    """
    error = result.error
    if error is FetchErrorKind.TOO_MANY_REDIRECTS:
        return TargetStatus.REDIRECT_LOOP
    if result.redirects and _site(result.final_url) != _site(url):
        return TargetStatus.REDIRECTS_OFF_SITE
    if error is FetchErrorKind.BLOCKED_BY_ROBOTS:
        return TargetStatus.BLOCKED
    # A body over the fetcher's cap still came with a status: judge by it.
    if result.status is None or (error is not None and error is not FetchErrorKind.TOO_LARGE):
        return TargetStatus.FAILED
    if result.redirects and _is_homepage(result.final_url) and not _is_homepage(url):
        return TargetStatus.REDIRECTS_HOME
    if result.status in _GONE:
        return _GONE[result.status]
    if 200 <= result.status < 300:
        return TargetStatus.REDIRECTED if result.redirects else TargetStatus.OK
    return TargetStatus.HTTP_ERROR


def _value_order(check: TargetCheck) -> tuple[bool, int, int, int, str]:
    return (
        not check.broken,
        -check.referring_domain_count,
        check.authority_bucket.order,
        -check.links,
        check.url,
    )


def _normalized(url: str) -> str:
    # Parsing "" against the URL gives it back serialized, without its fragment.
    return join_url(url, "") or url


def _targets(
    links: Iterable[Backlink] | Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    targets: dict[str, dict[str, int]] = {}
    if isinstance(links, Mapping):
        for url, domains in links.items():
            into = targets.setdefault(_normalized(url), {})
            for domain, n in domains.items():
                into[domain] = into.get(domain, 0) + n
        return targets
    for backlink in links:
        if backlink.target_url is None:
            continue  # nothing to check
        domain = backlink.source_domain
        if domain is None:
            continue  # a source without a host: no referring domain to report
        into = targets.setdefault(_normalized(backlink.target_url), {})
        into[domain] = into.get(domain, 0) + 1
    return targets


def check_targets(
    links: LinkProfile | Iterable[Backlink] | Mapping[str, Mapping[str, int]],
    *,
    fetcher: Fetcher | None = None,
    workers: int = 8,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[TargetCheck, ...]:
    """Check every distinct target URL of a set of backlinks once, most valuable to fix first.

    Each URL (fragment dropped) is fetched once with `fetcher`, on a pool of threads that
    takes hosts in turn; the fetcher's rules hold across threads (one request at a time per
    host, `per_host_delay` apart, robots.txt obeyed, private addresses refused unless allowed,
    body and time capped). Bodies are read up to the fetcher's `max_bytes` and dropped: a
    fetcher with a small `max_bytes` saves bandwidth (an answer over it is judged by its status).

    Args:
        links: a `LinkProfile` (what it already counts per target page: the links of each
            referring domain, and the domains' authority), `Backlink` records (the target URL
            and the source's registrable domain of each; records without a target URL are
            skipped), or a mapping from target URL to `{referring domain: links}`.
        fetcher: the fetcher to use; a new default one (closed afterwards) when None.
        workers: the number of threads.
        progress: called as `progress(done, total)` after each URL, from the calling thread.

    Returns:
        One `TargetCheck` per distinct URL: broken ones first, and within each group the most
        referring domains first, then the best authority band among them, then the most
        links, then by URL. A link from one more site is worth more than one more link from
        the same site, so a page that twenty sites link to comes before one that a single site
        links to from every page.

    Raises:
        MissingDependencyError: requests is not installed (the `fetch` extra).
        SettingsError: `workers` is less than 1 (a `ValueError` too).

    >>> check_targets([], workers=1)
    ()
    """
    from .. import fetch  # noqa: PLC0415 - requests is optional: imported on use

    if workers < 1:
        raise SettingsError(f"workers must be at least 1: {workers!r}")
    bands: dict[str, AuthorityBucket] = {}
    if isinstance(links, LinkProfile):
        bands = {row.domain: row.authority_bucket for row in links.referring_domains()}
        targets = _targets(links._target_links())  # noqa: SLF001 - the profile's own counts
    else:
        targets = _targets(links)
    own = fetcher if fetcher is not None else fetch.Fetcher()
    try:
        results = _fetch_all(own, list(targets), workers, progress)
    finally:
        if fetcher is None:
            own.close()
    checks = [
        TargetCheck(
            url=url,
            status=classify(url, result),
            http_status=result.status,
            final_url=result.final_url,
            redirects=result.redirects,
            error=result.error,
            message=result.message,
            referring_domains=targets[url],
            authority_bucket=_best_band(targets[url], bands),
        )
        for url, result in zip(targets, results, strict=True)
    ]
    return tuple(sorted(checks, key=_value_order))


def _best_band(domains: Mapping[str, int], bands: Mapping[str, AuthorityBucket]) -> AuthorityBucket:
    if not bands:
        return AuthorityBucket.UNKNOWN
    return min(
        (bands.get(d, AuthorityBucket.UNKNOWN) for d in domains),
        key=lambda band: band.order,
        default=AuthorityBucket.UNKNOWN,
    )


def _host(url: str) -> str:
    try:
        return str(ada_url.parse_url(url, attributes=("hostname",))["hostname"])
    except ValueError:
        return ""


def _fetch_all(
    fetcher: Fetcher,
    urls: list[str],
    workers: int,
    progress: Callable[[int, int], object] | None,
) -> list[FetchResult]:
    by_host: dict[str, list[int]] = {}
    for index, url in enumerate(urls):
        by_host.setdefault(_host(url), []).append(index)
    # Hosts in turn (the first URL of each, then the second...), so threads do not all queue
    # behind one host's politeness delay.
    order = [index for rank in _round_robin(by_host.values()) for index in rank]
    results: list[FetchResult | None] = [None] * len(urls)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(fetcher.fetch, urls[index]): index for index in order}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(urls))
    return [result for result in results if result is not None]


def _round_robin(groups: Iterable[list[int]]) -> Iterator[list[int]]:
    lists = list(groups)
    for rank in range(max((len(g) for g in lists), default=0)):
        yield [g[rank] for g in lists if rank < len(g)]
