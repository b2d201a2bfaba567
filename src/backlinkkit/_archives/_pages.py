"""From an archived page to its backlinks: the rows of the links that point to a target.

A WARC page goes through `extract_links` with its HTTP headers (charset, `X-Robots-Tag`); a WAT
page's links are resolved here by the WHATWG URL standard (ada-url) against `<base href>` or
the page's URL. Pages of a target's own site give no rows for that target: their links to it
are own links, not backlinks (the job counts such pages per target instead).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import ada_url
import attrs

from .. import (
    Backlink,
    ExtractionError,
    InvalidURLError,
    LinkKind,
    SuffixList,
    extract_links,
)
from .._web._headers import header_value
from ._prefilter import Prefilter
from ._records import SkippedRecord, SkipReason, WarcPage, WatLink, WatPage
from ._rows import BacklinkRow
from ._targets import Target

__all__ = [
    "PageRows",
    "TargetIndex",
    "own_targets",
    "page_rows",
    "rows_of_page",
    "site_of_page",
]


@attrs.frozen
class PageRows:
    """The backlink rows one page gave (one per link to a target, numbered by occurrence)."""

    rows: tuple[BacklinkRow, ...]


def _hostname(url: str) -> str | None:
    """The host of a URL as ada serializes it (lower-case punycode), None if it has none."""
    if url.startswith(("https://", "http://")):
        # A serialized http(s) URL: the host runs to the first "/", "?" or "#" after "://",
        # after any "user:pass@", before any ":port" (IPv6 hosts keep their brackets).
        start = url.index("://") + 3
        end = len(url)
        for stop in "/?#":
            found = url.find(stop, start)
            if 0 <= found < end:
                end = found
        authority = url[start:end]
        host = authority.rpartition("@")[2]
        if host.startswith("["):
            return host[: host.index("]") + 1] if "]" in host else host
        return host.partition(":")[0] or None
    try:
        parsed: str = ada_url.parse_url(url, attributes=("hostname",))["hostname"]
    except ValueError:
        return None
    return parsed or None


def _join(base: str, href: str) -> str | None:
    try:
        joined: str = ada_url.join_url(base, href)
    except ValueError:
        return None
    return joined


def page_rows(
    page: WarcPage | WatPage, targets: Sequence[Target], *, prefilter: Prefilter | None = None
) -> PageRows | SkippedRecord:
    """The backlink rows of one archived page, for every target it links to.

    Args:
        page: a page read by `read_warc` or `read_wat`.
        targets: the targets.
        prefilter: if given, pages it rules out are skipped before parsing.

    Returns:
        The rows (one per link to a target, with its occurrence); or a `SkippedRecord` when the
        page is on every target's own site, when the prefilter rules it out, or when it cannot
        be read at all.
    """
    return rows_of_page(page, TargetIndex(tuple(targets)), prefilter, site_of_page(page))


def site_of_page(page: WarcPage | WatPage) -> str | None:
    """The registrable domain of the page's host; None if its URL has no host."""
    host = _hostname(_absolute(page.url))
    return None if host is None else SuffixList.bundled().registrable_domain(host)


def rows_of_page(
    page: WarcPage | WatPage, index: TargetIndex, prefilter: Prefilter | None, site: str | None
) -> PageRows | SkippedRecord:
    """`page_rows`, with the page's site (`site_of_page`) already found by the caller."""
    if site is None:
        return SkippedRecord(SkipReason.MALFORMED, page.archive, page.offset, page.url, "bad URL")
    if len(index.own.get(site, ())) == len(index.sites):
        return SkippedRecord(SkipReason.OWN_SITE, page.archive, page.offset, page.url, site)
    if prefilter is not None and not _may_link(prefilter, page):
        return SkippedRecord(SkipReason.PREFILTER, page.archive, page.offset, page.url)
    if isinstance(page, WarcPage):
        backlinks = _warc_backlinks(page, index, site)
    else:
        backlinks = _wat_backlinks(page, index, site)
    if isinstance(backlinks, SkippedRecord):
        return backlinks
    return PageRows(_numbered(backlinks, page))


def own_targets(site: str | None, index: TargetIndex) -> tuple[str, ...]:
    """The domains of the targets whose own site `site` is (a page there links to them as own)."""
    return index.own.get(site, ()) if site is not None else ()


def _absolute(url: str) -> str:
    # The record's URI as written (not serialized): ada makes it the URL a browser would use.
    try:
        href: str = ada_url.URL(url).href
    except (ValueError, TypeError):
        return url
    return href


def _may_link(check: Prefilter, page: WarcPage | WatPage) -> bool:
    if isinstance(page, WarcPage):
        content_type = header_value(page.headers, "content-type")
        return check.may_link(page.body, content_type=content_type)
    # A WAT's links are what the page's bytes were for: search the hrefs and the base.
    hrefs = [page.base or "", *(link.href for link in page.links)]
    return check.may_link("\n".join(hrefs).encode("utf-8", "surrogatepass"))


def _numbered(
    backlinks: Iterable[tuple[Target, Backlink]], page: WarcPage | WatPage
) -> tuple[BacklinkRow, ...]:
    counts: dict[tuple[object, ...], int] = {}
    rows = []
    for target, backlink in backlinks:
        row = BacklinkRow(target.domain, backlink, page.archive, page.offset)
        key = row.identity
        occurrence = counts.get(key, 0)
        counts[key] = occurrence + 1
        rows.append(attrs.evolve(row, occurrence=occurrence) if occurrence else row)
    return tuple(rows)


class TargetIndex:
    """The targets a host belongs to, looked up by the host's suffixes (not target by target)."""

    def __init__(self, targets: tuple[Target, ...]) -> None:
        self.targets = targets
        self.sites = {target.domain: target.site for target in targets}
        own: dict[str, list[str]] = {}
        for domain, site in self.sites.items():
            own.setdefault(site, []).append(domain)
        self.own = {site: tuple(domains) for site, domains in own.items()}
        self._by_domain: dict[str, list[Target]] = {}
        for target in targets:
            self._by_domain.setdefault(target.domain, []).append(target)
        self._cache: dict[str, tuple[Target, ...]] = {}

    def __call__(self, host: str | None) -> tuple[Target, ...]:
        """The targets `host` is on (none for None)."""
        if host is None:
            return ()
        found = self._cache.get(host)
        if found is None:
            matches: list[Target] = []
            suffix = host
            while True:
                matches.extend(self._by_domain.get(suffix, ()))
                dot = suffix.find(".")
                if dot < 0:
                    break
                suffix = suffix[dot + 1 :]
            found = tuple(matches)
            if len(self._cache) < _INDEX_CACHE_SIZE:
                self._cache[host] = found
        return found


_INDEX_CACHE_SIZE = 1 << 16


def _warc_backlinks(
    page: WarcPage, matching: TargetIndex, site: str
) -> list[tuple[Target, Backlink]] | SkippedRecord:
    try:
        links = extract_links(page.body, page.url, headers=page.headers)
    except (ExtractionError, InvalidURLError) as error:
        return SkippedRecord(SkipReason.MALFORMED, page.archive, page.offset, page.url, str(error))
    sites = matching.sites
    found: list[tuple[Target, Backlink]] = []
    facts: _PageFacts | None = None
    for link in links:
        for target in matching(link.host):
            if sites[target.domain] == site:
                continue  # an own link of the target's site, not a backlink
            if facts is None:
                external = [link for link in links if link.is_external]
                domains = {link.domain for link in external if link.domain}
                facts = _PageFacts(page, links.title, len(external), len(domains))
            found.append((target, facts.applied(Backlink.from_link(link, page.url))))
    return found


@attrs.frozen
class _PageFacts:
    """What every backlink of a page shares: the capture, the title, the outbound counts."""

    page: WarcPage | WatPage
    title: str | None
    external_links: int
    linked_domains: int

    def applied(self, backlink: Backlink) -> Backlink:
        day = self.page.date.date()
        return attrs.evolve(
            backlink,
            first_seen=day,
            last_seen=day,
            source_ip=self.page.ip,
            source_title=self.title,
            external_links=self.external_links,
            linked_domains=self.linked_domains,
        )


def _page_nofollow(page: WatPage) -> bool:
    """Whether the page's robots metas or `X-Robots-Tag` say nofollow (read by extract_links)."""
    x_robots = header_value(page.headers, "x-robots-tag")
    if not page.robots and x_robots is None:
        return False
    metas = "".join(f'<meta name="robots" content="{html.escape(c)}">' for c in page.robots)
    headers = None if x_robots is None else {"X-Robots-Tag": x_robots}
    try:
        return extract_links(metas, page.url, headers=headers).robots.nofollow
    except (ExtractionError, InvalidURLError):
        return False


def _wat_backlinks(
    page: WatPage, matching: TargetIndex, site: str
) -> list[tuple[Target, Backlink]] | SkippedRecord:
    base = page.url
    if page.base:
        base = _join(page.url, page.base) or page.url
    sites = matching.sites
    resolved = [(link, _join(base, link.href)) for link in page.links]
    found: list[tuple[Target, Backlink]] = []
    nofollow_page = False
    facts: _PageFacts | None = None
    for link, url in resolved:
        for target in matching(None if url is None else _hostname(url)):
            if sites[target.domain] == site:
                continue
            if facts is None:
                nofollow_page = _page_nofollow(page)
                facts = _wat_facts(page, resolved, site)
            found.append((target, facts.applied(_wat_backlink(link, url, page, nofollow_page))))
    return found


def _wat_backlink(link: WatLink, url: str | None, page: WatPage, nofollow_page: bool) -> Backlink:
    rel = link.rel.replace(",", " ").lower().split() if link.rel else []
    return Backlink(
        page.url,
        url,
        anchor=link.text,
        nofollow="nofollow" in rel or nofollow_page,
        sponsored="sponsored" in rel,
        ugc="ugc" in rel,
        # The WAT keeps no image alts: a link without text may be an image or empty.
        kind=LinkKind.TEXT if link.text else None,
    )


def _wat_facts(page: WatPage, resolved: list[tuple[WatLink, str | None]], site: str) -> _PageFacts:
    psl = SuffixList.bundled()
    domains: list[str] = []
    for _link, url in resolved:
        host = None if url is None else _hostname(url)
        if host is not None:
            domain = psl.registrable_domain(host)
            if domain != site:
                domains.append(domain)
    return _PageFacts(page, page.title, len(domains), len(set(domains)))
