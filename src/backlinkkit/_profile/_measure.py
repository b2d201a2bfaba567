"""`measure`: everything a link profile reports, computed from its aggregate in one pass.

A pure step: aggregate (and how to classify an anchor) in, named records out. Work is done once
per distinct value: each facet is read once (its anchor's category, rel, kind, IP network), then
each referring domain sums the counts of the facets it has. Sums run in a fixed order, so
profiles of the same links in any split measure alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
import types
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Final, NamedTuple, cast

import attrs

from .._anchors._classifier import AnchorCategory
from .._compare._authority import (
    AuthorityBucket,
    ImportedAuthority,
    WebGraphRank,
    imported_authority,
)
from .._web._urls import is_ip_address, is_site_root
from ._aggregate import METRIC_FIELDS, Aggregate, DomainStats
from ._referring_domain import ReferringDomain
from ._summary import AnchorDiversity, ProfileSummary

__all__ = [
    "BRAND_CATEGORIES",
    "MONEY_CATEGORIES",
    "UNPLACED_CATEGORIES",
    "AnchorRow",
    "DomainFacts",
    "Measures",
    "MonthRow",
    "SubnetRow",
    "TargetRow",
    "TldRow",
    "measure",
]

CATEGORIES: Final = tuple(AnchorCategory)
_CATEGORY_INDEX: Final = {category: i for i, category in enumerate(CATEGORIES)}
#: Keyword-rich anchors: Semrush's "money" and "compound", with partial matches.
MONEY_CATEGORIES: Final = frozenset(
    {AnchorCategory.EXACT_MATCH, AnchorCategory.PARTIAL_MATCH, AnchorCategory.COMPOUND}
)
#: LinkResearchTools counts URL anchors as brand anchors (seo-facts.md); so does backlinkkit.
BRAND_CATEGORIES: Final = frozenset({AnchorCategory.BRANDED, AnchorCategory.NAKED_URL})
#: Anchors that dominate a natural profile without anyone placing them: never "dominant".
UNPLACED_CATEGORIES: Final = BRAND_CATEGORIES | {AnchorCategory.EMPTY, AnchorCategory.GENERIC}
_MONEY: Final = tuple(_CATEGORY_INDEX[c] for c in MONEY_CATEGORIES)
_BRAND: Final = tuple(_CATEGORY_INDEX[c] for c in BRAND_CATEGORIES)
_NO_METRICS: Final = (None,) * len(METRIC_FIELDS)
_OCTET: Final = re.compile(r"25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]")


class AnchorRow(NamedTuple):
    """One distinct anchor (normalized), its category, links and referring domains."""

    anchor: str
    category: AnchorCategory
    links: int
    domains: int


class SubnetRow(NamedTuple):
    """One /24 (IPv4) or /48 (IPv6) network and the referring domains and links it hosts."""

    subnet: str
    domains: int
    links: int


class TldRow(NamedTuple):
    """One top-level domain (`(ip)` for IP addresses) and its referring domains and links."""

    tld: str
    domains: int
    links: int


class MonthRow(NamedTuple):
    """One month (`YYYY-MM`): links first seen and lost, referring domains gained and lost."""

    month: str
    new_links: int
    lost_links: int
    new_domains: int
    lost_domains: int


class TargetRow(NamedTuple):
    """One target page (None: unknown), its links and referring domains, and if it is home."""

    url: str | None
    links: int
    domains: int
    homepage: bool


class DomainFacts(NamedTuple):
    """One referring domain's sums, as its `ReferringDomain` gives them (fields named alike).

    Plain values only (tuples, not sets): these outlive the measuring, and containers kept
    alive would make the collector walk the whole profile again.
    """

    domain: str
    links: int
    followed_links: int
    nofollow_links: int
    follow_unknown_links: int
    categories: tuple[int, ...]  # links per category, in `AnchorCategory` order
    anchor_unknown_links: int
    ips: tuple[str, ...]
    subnets: tuple[str, ...]
    spam_links: int
    toxicity: float | None
    toxic_markers: tuple[str, ...]
    sitewide_marked: int
    lost: dt.date | None
    authority: WebGraphRank | ImportedAuthority | None


@attrs.frozen(kw_only=True)
class Measures:
    """Everything measured from one aggregate (a `LinkProfile` keeps the last one).

    `domains`, one record of some thirty fields per referring domain, is made when first read:
    the summary, the flags and the category table do not need it (a snapshot diff reads only
    those), and for 20,000 domains it is a good part of the measuring.
    """

    summary: ProfileSummary
    domain_facts: tuple[DomainFacts, ...]  # most links first, then by name, as `domains`
    anchors: tuple[AnchorRow, ...]  # most referring domains, then links, then text
    subnets: tuple[SubnetRow, ...]  # most referring domains, then links, then name
    tlds: tuple[TldRow, ...]  # most referring domains, then name
    months: tuple[MonthRow, ...]  # every month from the first to the last, gaps included
    targets: tuple[TargetRow, ...]  # most links, then URL
    anchor_domains: int  # referring domains with at least one known anchor
    money_domains: int
    branded_domains: int
    follow_known_domains: int  # referring domains with at least one link of known rel
    nofollow_domains: int
    ip_domains: int  # referring domains with at least one valid source IP
    # The counts the records are made from (the aggregate measured, not to be changed).
    _counts: Mapping[str, DomainStats] = attrs.field(alias="counts", eq=False, repr=False)

    @functools.cached_property
    def domains(self) -> tuple[ReferringDomain, ...]:
        """Every referring domain's record, in the order of `domain_facts`."""
        maps: dict[tuple[int, ...], Mapping[AnchorCategory, int]] = {}
        counts = self._counts
        return tuple(_record(facts, counts[facts.domain], maps) for facts in self.domain_facts)


def network(ip: str) -> tuple[str, str] | None:
    """(address, its /24 or /48 network) of an IP address as exports write it, or None."""
    # The common case, a dotted-quad IPv4 address, without the ipaddress module's cost.
    parts = ip.strip().split(".")
    if len(parts) == 4 and all(_OCTET.fullmatch(p) for p in parts):
        return ".".join(parts), ".".join(parts[:3]) + ".0/24"
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(address), str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_name(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


class _FacetInfo(NamedTuple):
    """What the measures read of one facet, worked out once per distinct facet."""

    follow: int  # 0 followed, 1 not followed, 2 unknown
    nofollow: bool
    sponsored: bool
    ugc: bool
    text: bool
    image: bool
    spam: bool
    sitewide: bool
    toxicity: float | None
    markers: tuple[str, ...]


def _facet_infos(agg: Aggregate) -> list[_FacetInfo]:
    infos = []
    for facet in agg.facets:
        nofollow, sponsored, ugc, kind, spam, sitewide, toxicity, markers = facet
        rel = (nofollow, sponsored, ugc)
        follow = 1 if any(rel) else 2 if None in rel else 0
        infos.append(
            _FacetInfo(
                follow=follow,
                nofollow=bool(nofollow),
                sponsored=bool(sponsored),
                ugc=bool(ugc),
                text=kind in {"text", "mixed"},
                image=kind == "image",
                spam=bool(spam),
                sitewide=bool(sitewide),
                toxicity=toxicity,
                markers=markers,
            )
        )
    return infos


class _Totals:
    """The profile-wide sums the per-domain pass adds to."""

    def __init__(self) -> None:
        self.followed = self.nofollow = self.sponsored = self.ugc = self.follow_unknown = 0
        self.text = self.image = self.anchor_unknown = self.hosts = 0
        self.by_link = [0] * len(CATEGORIES)
        self.by_domain = [0] * len(CATEGORIES)
        self.anchor_links: dict[str, int] = {}
        # Referring domains per anchor (None, the unknown anchor, is dropped at the end).
        self.anchor_domains: Counter[str | None] = Counter()
        self.subnet_domains: dict[str, int] = {}
        self.subnet_links: dict[str, int] = {}
        self.ips: set[str] = set()
        self.networks: dict[str, tuple[str, str] | None] = {}
        self.categories: dict[str, int] = {}  # anchor -> its category's index
        self.tlds: dict[str, list[int]] = {}
        self.targets: dict[str | None, list[int]] = {}
        self.new_domains: dict[int, int] = {}
        self.lost_domains: dict[int, int] = {}
        self.known_anchor = self.money = self.branded = 0
        self.follow_known = self.nofollow_domains = self.ip_domains = 0
        self.buckets = dict.fromkeys(AuthorityBucket, 0)


def _top_anchor(anchors: dict[str | None, int]) -> tuple[int, str] | None:
    """(links, anchor) of the most used known anchor, the first by text among equals."""
    known = cast("dict[str, int]", anchors)
    if None in anchors:  # the unknown anchor is never the top one
        known = {a: n for a, n in anchors.items() if a is not None}
    if not known:
        return None
    most = max(known.values())
    return most, min(a for a, n in known.items() if n == most)


def _domain(
    site: str,
    stats: DomainStats,
    infos: list[_FacetInfo],
    category_of: Callable[[str], int],
    t: _Totals,
    *,
    given: WebGraphRank | ImportedAuthority | None = None,
) -> DomainFacts:
    """One referring domain's sums; adds what it contributes to the totals."""
    followed = not_followed = unknown = spam = sitewide = unknown_anchor = 0
    toxicity: float | None = None
    markers: set[str] = set()
    categories = [0] * len(CATEGORIES)
    site_ips: set[str] = set()
    site_subnets: set[str] = set()
    for facet, n in stats.facets.items():
        info = infos[facet]
        if info.follow == 0:
            followed += n
        elif info.follow == 1:
            not_followed += n
        else:
            unknown += n
        if info.nofollow:
            t.nofollow += n
        if info.sponsored:
            t.sponsored += n
        if info.ugc:
            t.ugc += n
        if info.text:
            t.text += n
        elif info.image:
            t.image += n
        if info.spam:
            spam += n
        if info.sitewide:
            sitewide += n
        if info.toxicity is not None and (toxicity is None or info.toxicity > toxicity):
            toxicity = info.toxicity
        markers.update(info.markers)
    for ip, n in stats.ips.items():
        if ip is None:
            continue
        if ip in t.networks:
            found = t.networks[ip]
        else:
            found = t.networks[ip] = network(ip)
        if found is not None:
            address, subnet = found
            site_ips.add(address)
            site_subnets.add(subnet)
            t.subnet_links[subnet] = t.subnet_links.get(subnet, 0) + n
    t.followed += followed
    t.follow_unknown += unknown
    t.follow_known += bool(followed or not_followed)
    t.nofollow_domains += bool(not_followed)
    anchors = stats.anchors
    anchor_links, known_categories = t.anchor_links, t.categories
    for anchor, n in anchors.items():
        if anchor is None:
            unknown_anchor = n
            continue
        category = known_categories.get(anchor)
        if category is None:
            category = known_categories[anchor] = category_of(anchor)
        categories[category] += n
        anchor_links[anchor] = anchor_links.get(anchor, 0) + n
    # One more referring domain for each of its anchors, counted in C.
    t.anchor_domains.update(iter(anchors))
    t.anchor_unknown += unknown_anchor
    for i, n in enumerate(categories):
        if n:
            t.by_link[i] += n
            t.by_domain[i] += 1
    t.known_anchor += len(anchors) > (unknown_anchor > 0)
    t.money += any(categories[i] for i in _MONEY)
    t.branded += any(categories[i] for i in _BRAND)
    t.ips |= site_ips
    t.ip_domains += bool(site_ips)
    for subnet in site_subnets:
        t.subnet_domains[subnet] = t.subnet_domains.get(subnet, 0) + 1
    t.hosts += len(stats.hosts)
    tld = t.tlds.setdefault("(ip)" if is_ip_address(site) else site.rsplit(".", 1)[-1], [0, 0])
    tld[0] += 1
    tld[1] += stats.links
    for target, n in stats.targets.items():
        row = t.targets.get(target)
        if row is None:
            t.targets[target] = [n, 1]
        else:
            row[0] += n
            row[1] += 1
    if stats.first_seen is not None:
        month = _month(stats.first_seen)
        t.new_domains[month] = t.new_domains.get(month, 0) + 1
    lost = stats.lost if stats.lost_links >= stats.links else None
    if lost is not None:
        month = _month(lost)
        t.lost_domains[month] = t.lost_domains.get(month, 0) + 1
    authority = given
    if authority is None and stats.metrics is not None:
        (domain_rating, _, page_ascore, trust_flow, citation_flow, domain_authority,
         *_) = stats.metrics  # fmt: skip
        authority = imported_authority(
            domain_rating, domain_authority, page_ascore, trust_flow, citation_flow
        )
    t.buckets[AuthorityBucket.UNKNOWN if authority is None else authority.bucket] += 1
    return DomainFacts(site, stats.links, followed, not_followed, unknown, tuple(categories),
                       unknown_anchor, _sorted(site_ips), _sorted(site_subnets), spam, toxicity,
                       _sorted(markers), sitewide, lost, authority)  # fmt: skip


def _sorted(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(values)) if values else ()


def _record(
    facts: DomainFacts,
    stats: DomainStats,
    maps: dict[tuple[int, ...], Mapping[AnchorCategory, int]],
) -> ReferringDomain:
    """One referring domain's record (`maps`: the category maps made so far, to share)."""
    top = _top_anchor(stats.anchors)
    (domain_rating, url_rating, page_ascore, trust_flow, citation_flow, domain_authority,
     page_authority, external_links, linked_domains) = stats.metrics or _NO_METRICS  # fmt: skip
    return ReferringDomain(
        domain=facts.domain,
        links=facts.links,
        hosts=len(stats.hosts),
        followed_links=facts.followed_links,
        nofollow_links=facts.nofollow_links,
        follow_unknown_links=facts.follow_unknown_links,
        anchor_categories=_category_map(maps, facts.categories),
        anchor_unknown_links=facts.anchor_unknown_links,
        anchors=len(stats.anchors) - (facts.anchor_unknown_links > 0),
        top_anchor=None if top is None else top[1],
        top_anchor_links=0 if top is None else top[0],
        ips=facts.ips,
        subnets=facts.subnets,
        first_seen=stats.first_seen,
        last_seen=stats.last_seen,
        lost=facts.lost,
        lost_links=stats.lost_links,
        spam_links=facts.spam_links,
        toxicity=facts.toxicity,
        toxic_markers=facts.toxic_markers,
        sitewide_marked=facts.sitewide_marked,
        target_pages=len(stats.targets),
        domain_rating=domain_rating,
        url_rating=url_rating,
        page_ascore=page_ascore,
        trust_flow=trust_flow,
        citation_flow=citation_flow,
        domain_authority=domain_authority,
        page_authority=page_authority,
        external_links=None if external_links is None else int(external_links),
        linked_domains=None if linked_domains is None else int(linked_domains),
        authority=facts.authority,
    )


def _category_map(
    maps: dict[tuple[int, ...], Mapping[AnchorCategory, int]], counts: tuple[int, ...]
) -> Mapping[AnchorCategory, int]:
    # One read-only mapping per distinct list of category counts: domains repeat them.
    found = maps.get(counts)
    if found is None:
        found = maps[counts] = types.MappingProxyType(dict(zip(CATEGORIES, counts, strict=True)))
    return found


def _months(
    agg: Aggregate, new_domains: Mapping[int, int], lost_domains: Mapping[int, int]
) -> tuple[MonthRow, ...]:
    new_links: dict[int, int] = {}
    lost_links: dict[int, int] = {}
    for by_day, by_month in ((agg.new_by_day, new_links), (agg.lost_by_day, lost_links)):
        for day, n in by_day.items():
            month = _month(day)
            by_month[month] = by_month.get(month, 0) + n
    series = (new_links, lost_links, new_domains, lost_domains)
    months = set().union(*series)
    if not months:
        return ()
    return tuple(
        MonthRow(_month_name(m), *(s.get(m, 0) for s in series))
        for m in range(min(months), max(months) + 1)
    )


def _no_rank(_site: str) -> None:
    return None


def measure(
    agg: Aggregate,
    category_of: Callable[[str], int],
    authority: Mapping[str, WebGraphRank | ImportedAuthority] | None = None,
) -> Measures:
    """Measure `agg`; `category_of` gives an anchor's index in `AnchorCategory` order.

    `authority` (`LinkProfile.authority`) gives referring domains their rank; without it each
    one's authority is the first score its exports carry (nothing is looked up).

    Returns:
        The summary and every table's rows, sorted as the tables list them.
    """
    infos = _facet_infos(agg)
    t = _Totals()
    ranks: Callable[[str], WebGraphRank | ImportedAuthority | None] = (
        _no_rank if authority is None else authority.get
    )
    domains = sorted(
        (
            _domain(site, stats, infos, category_of, t, given=ranks(site))
            for site, stats in agg.domains.items()
        ),
        key=lambda facts: (-facts.links, facts.domain),
    )
    t.anchor_domains.pop(None, None)
    anchor_domains = cast("Counter[str]", t.anchor_domains)
    anchors = sorted(
        (
            AnchorRow(a, CATEGORIES[t.categories[a]], t.anchor_links[a], d)
            for a, d in anchor_domains.items()
        ),
        key=lambda row: (-row.domains, -row.links, row.anchor),
    )
    pages, exact = agg.pages.count()
    summary = ProfileSummary(
        backlinks=sum(facts.links for facts in domains),
        referring_pages=pages,
        referring_pages_exact=exact,
        referring_domains=len(domains),
        referring_hosts=t.hosts,
        referring_ips=len(t.ips),
        referring_subnets=len(t.subnet_domains),
        followed=t.followed,
        nofollow=t.nofollow,
        sponsored=t.sponsored,
        ugc=t.ugc,
        follow_unknown=t.follow_unknown,
        text_links=t.text,
        image_links=t.image,
        anchor_unknown=t.anchor_unknown,
        anchor_categories=dict(zip(CATEGORIES, t.by_domain, strict=True)),
        anchor_categories_by_link=dict(zip(CATEGORIES, t.by_link, strict=True)),
        diversity_by_link=AnchorDiversity.of(t.anchor_links.values()),
        diversity_by_domain=AnchorDiversity.of(anchor_domains.values()),
        own_links=agg.own_links,
        unparsed_links=agg.unparsed_links,
        authority_buckets=t.buckets,
    )
    return Measures(
        summary=summary,
        domain_facts=tuple(domains),
        counts=agg.domains,
        anchors=tuple(anchors),
        subnets=tuple(
            sorted(
                (SubnetRow(s, d, t.subnet_links[s]) for s, d in t.subnet_domains.items()),
                key=lambda row: (-row.domains, -row.links, row.subnet),
            )
        ),
        tlds=tuple(
            sorted((TldRow(k, d, n) for k, (d, n) in t.tlds.items()), key=lambda r: (-r[1], r[0]))
        ),
        months=_months(agg, t.new_domains, t.lost_domains),
        targets=tuple(
            sorted(
                (
                    TargetRow(url, n, d, url is not None and is_site_root(url))
                    for url, (n, d) in t.targets.items()
                ),
                key=lambda row: (-row.links, row.url or ""),
            )
        ),
        anchor_domains=t.known_anchor,
        money_domains=t.money,
        branded_domains=t.branded,
        follow_known_domains=t.follow_known,
        nofollow_domains=t.nofollow_domains,
        ip_domains=t.ip_domains,
    )
