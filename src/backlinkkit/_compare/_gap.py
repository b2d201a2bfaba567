"""Link gap: the sites that link to competitors but not to you, their intersection, their uniques.

Reads of each profile only what it reports (`_profile_counts`): the names of its referring
domains and, for the domains listed, their links, anchor categories and authority, exactly as
`LinkProfile.referring_domains()` gives them, without measuring the rest. The profiles may come
from exports, a crawl or web archives, merged or not.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping

import attrs

from .._anchors._classifier import AnchorCategory
from .._errors import ComparisonError
from .._profile._aggregate import DomainStats
from .._profile._link_profile import LinkProfile
from .._web._urls import registrable_domain
from . import _profile_counts as counts
from ._authority import AuthorityBucket, ImportedAuthority, WebGraphRank

__all__ = ["GapDomain", "LinkGap", "link_gap"]

_CATEGORIES = tuple(AnchorCategory)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _frozen_lists(
    value: Mapping[str, tuple[GapDomain, ...]],
) -> Mapping[str, tuple[GapDomain, ...]]:
    return types.MappingProxyType(dict(value))


def _frozen_ints(value: Mapping[str, int]) -> Mapping[str, int]:
    return types.MappingProxyType(dict(value))


def _frozen_categories(value: Mapping[AnchorCategory, int]) -> Mapping[AnchorCategory, int]:
    if type(value) is types.MappingProxyType and tuple(value) == _CATEGORIES:
        return value  # complete and in order already (link_gap makes them so): no second copy
    return types.MappingProxyType({c: value.get(c, 0) for c in _CATEGORIES})


@attrs.frozen(kw_only=True)
class GapDomain:
    """One referring domain of the competitors, as `link_gap` reports it.

    Attributes:
        domain: the registrable domain, lower-case punycode.
        competitors: the competitors it links to, in the order they were given.
        links: its links to those competitors, in all.
        links_by_competitor: its links to each of them.
        anchor_categories: its links by anchor category, summed over the competitors (each
            competitor's anchors classified for that competitor: an exact-match anchor is one
            of that competitor's keywords); every category present.
        authority: its authority where known (Common Crawl rank or a tool's score): from the
            `authority` given to `link_gap`, else the competitors' profiles'
            (`ReferringDomain.authority`, the first competitor's that has one), else None.

    >>> from backlinkkit import AnchorCategory
    >>> row = GapDomain(domain="blog.test", competitors=("a.test", "b.test"), links=3,
    ...                 links_by_competitor={"a.test": 2, "b.test": 1},
    ...                 anchor_categories={AnchorCategory.BRANDED: 3})
    >>> row.competitor_count, row.to_record()["competitors"]
    (2, 'a.test b.test')
    """

    domain: str
    competitors: tuple[str, ...] = attrs.field(converter=_names)
    links: int
    links_by_competitor: Mapping[str, int] = attrs.field(converter=_frozen_ints, hash=False)
    anchor_categories: Mapping[AnchorCategory, int] = attrs.field(
        converter=_frozen_categories, hash=False
    )
    authority: WebGraphRank | ImportedAuthority | None = None

    @property
    def competitor_count(self) -> int:
        """How many of the competitors it links to."""
        return len(self.competitors)

    @property
    def bucket(self) -> AuthorityBucket:
        """The band of its authority; `AuthorityBucket.UNKNOWN` when there is none."""
        return AuthorityBucket.UNKNOWN if self.authority is None else self.authority.bucket

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: lists and nested dicts, categories by their values."""
        return {
            "domain": self.domain,
            "competitors": list(self.competitors),
            "competitor_count": self.competitor_count,
            "links": self.links,
            "links_by_competitor": dict(self.links_by_competitor),
            "anchor_categories": {c.value: n for c, n in self.anchor_categories.items()},
            "authority": None if self.authority is None else self.authority.to_dict(),
            "authority_bucket": self.bucket.value,
        }

    def to_record(self) -> dict[str, object]:
        """A flat record for a CSV row or a DataFrame: scalars only.

        Keys: `domain`, `competitors` (space-separated: domain names hold no spaces),
        `competitor_count`, `links`, one `anchors_<category>` per anchor category,
        `authority_bucket`, `authority_source` (`common_crawl`, `import` or None),
        `authority_metric` (`harmonic_position` or the tool's metric) and `authority_value`.
        """
        record: dict[str, object] = {
            "domain": self.domain,
            "competitors": " ".join(self.competitors),
            "competitor_count": self.competitor_count,
            "links": self.links,
        }
        for category, count in self.anchor_categories.items():
            record[f"anchors_{category.value}"] = count
        authority = self.authority
        record["authority_bucket"] = self.bucket.value
        source: str | None
        metric: str | None
        value: float | None
        if isinstance(authority, WebGraphRank):
            source, metric, value = "common_crawl", "harmonic_position", authority.harmonic_position
        elif isinstance(authority, ImportedAuthority):
            source, metric, value = "import", authority.metric.value, authority.score
        else:
            source = metric = value = None
        record.update(authority_source=source, authority_metric=metric, authority_value=value)
        return record


def _work_order(row: GapDomain) -> tuple[int, int, int, str]:
    return (-row.competitor_count, row.bucket.order, -row.links, row.domain)


@attrs.frozen(kw_only=True)
class LinkGap:
    """What `link_gap` found: the gap, the intersection and each competitor's unique domains.

    Every list is in work order: most competitors first, then the best authority band (unknown
    last), then most links, then by name. Bands rather than exact positions, because within a
    band the difference between two sites' ranks says little, while links to the competitors
    say how much a site links out in this niche.

    Attributes:
        target: the target's domain (`LinkProfile.domain`).
        competitors: the competitors' domains, in the order given.
        min_competitors: the `k` of the gap.
        gap: the referring domains that link to at least `min_competitors` competitors and not
            to the target.
        intersection: the referring domains that link to every competitor and not to the
            target (the gap for `k` = the number of competitors).
        unique: per competitor, the referring domains that link to it alone (to no other
            competitor, and not to the target); empty lists with a single competitor, whose
            domains all form the intersection.
        target_domains: how many of the competitors' referring domains link to the target
            too (left out of every list).
        own_sites: the sites of the target and the competitors themselves, which are never
            prospects (a competitor linking to another is left out of every list).

    How the lists relate, exactly: every referring domain of a competitor that does not link to
    the target and is not in `own_sites` links to some number n of the N competitors; it is in
    the intersection when n = N, in the unique list of its one competitor when n = 1 < N, and
    in neither when 1 < n < N; it is in the gap when n >= `min_competitors`. So with
    `min_competitors` = 1 the gap is exactly those domains, split without overlap into the
    intersection, the unique lists and the domains shared by some but not all competitors.

    See `link_gap` for an example.
    """

    target: str
    competitors: tuple[str, ...]
    min_competitors: int
    gap: tuple[GapDomain, ...]
    intersection: tuple[GapDomain, ...]
    unique: Mapping[str, tuple[GapDomain, ...]] = attrs.field(converter=_frozen_lists, hash=False)
    target_domains: int
    own_sites: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: the settings, and each list as `GapDomain.to_dict` records."""
        return {
            "target": self.target,
            "competitors": list(self.competitors),
            "min_competitors": self.min_competitors,
            "target_domains": self.target_domains,
            "gap": [row.to_dict() for row in self.gap],
            "intersection": [row.to_dict() for row in self.intersection],
            "unique": {name: [row.to_dict() for row in rows] for name, rows in self.unique.items()},
        }

    def table(self) -> list[dict[str, object]]:
        """The gap as flat records (`GapDomain.to_record`), in work order: a CSV or DataFrame."""
        return [row.to_record() for row in self.gap]


def link_gap(
    target: LinkProfile,
    competitors: Iterable[LinkProfile],
    *,
    min_competitors: int = 1,
    authority: Mapping[str, WebGraphRank | ImportedAuthority] | None = None,
) -> LinkGap:
    """The referring domains that link to competitors and not to the target.

    Profiles are told apart by their `domain`; each competitor's anchors are classified for that
    competitor (its own brands and keywords), so "exact match" means exact for the site linked.

    Args:
        target: the target's profile.
        competitors: the competitors' profiles (any number; commercial tools allow about ten).
        min_competitors: the `k` of the gap: how many competitors a domain must link to.
        authority: each referring domain's authority, by registrable domain: the result of
            `read_web_graph_ranks` over a domain graph, or tool scores (`ImportedAuthority`).
            A domain it does not list keeps the authority the competitors' profiles give it.

    Returns:
        The gap, the intersection and the unique domains, in work order (see `LinkGap`).

    Raises:
        ComparisonError: no competitor, a competitor given twice or the target among them, or
            `min_competitors` below 1 or above the number of competitors.

    >>> from backlinkkit import Backlink, LinkProfile
    >>> def profile(site, *sources):
    ...     p = LinkProfile(site)
    ...     p.update(Backlink(f"https://{s}/post", f"https://{site}/") for s in sources)
    ...     return p
    >>> me = profile("me.test", "news.test")
    >>> a = profile("a.test", "news.test", "blog.test", "wiki.test")
    >>> b = profile("b.test", "blog.test", "shop.test")
    >>> gap = link_gap(me, [a, b])
    >>> [(row.domain, row.competitors) for row in gap.gap]
    [('blog.test', ('a.test', 'b.test')), ('shop.test', ('b.test',)), ('wiki.test', ('a.test',))]
    >>> [row.domain for row in gap.intersection], gap.target_domains
    (['blog.test'], 1)
    """
    rivals = tuple(competitors)
    names = tuple(profile.domain for profile in rivals)
    _check_competitors(target.domain, names, min_competitors)
    ranks = authority or {}
    return _gap(target, rivals, names, min_competitors, ranks)


def _gap(
    target: LinkProfile,
    rivals: tuple[LinkProfile, ...],
    names: tuple[str, ...],
    min_competitors: int,
    ranks: Mapping[str, WebGraphRank | ImportedAuthority],
) -> LinkGap:
    own_sites = frozenset(registrable_domain(p.domain) for p in (target, *rivals))
    linked = counts.domain_counts(target)
    # Which competitors each domain links to, as bits of an int: no container per domain.
    stats_by_rival = [counts.domain_counts(p) for p in rivals]
    linking: dict[str, int] = {}
    for bit, stats_of in enumerate(stats_by_rival):
        flag = 1 << bit
        for domain in stats_of:
            linking[domain] = linking.get(domain, 0) | flag
    everyone = (1 << len(rivals)) - 1
    gap: list[GapDomain] = []
    intersection: list[GapDomain] = []
    unique: dict[str, list[GapDomain]] = {name: [] for name in names}
    shared_with_target = 0
    categories: dict[tuple[int, ...], Mapping[AnchorCategory, int]] = {}
    for domain, mask in linking.items():
        if domain in own_sites:
            continue
        if domain in linked:
            shared_with_target += 1
            continue
        n = mask.bit_count()
        if n < min_competitors and n != 1:
            continue  # in no list: neither the gap, nor the intersection, nor a unique list
        indexes = [i for i in range(len(rivals)) if mask >> i & 1]
        its_stats = [(i, stats_by_rival[i][domain]) for i in indexes]
        rank = ranks.get(domain)
        if rank is None:  # the competitors' own: a rank their profiles hold, or an export score
            rank = next(
                (
                    found
                    for i, stats in its_stats
                    if (found := counts.authority(rivals[i], domain, stats)) is not None
                ),
                None,
            )
        record = _record(domain, its_stats, rivals, names, authority=rank, categories=categories)
        if n >= min_competitors:
            gap.append(record)
        if mask == everyone:
            intersection.append(record)
        elif n == 1:
            unique[names[indexes[0]]].append(record)
    return LinkGap(
        target=target.domain,
        competitors=names,
        min_competitors=min_competitors,
        gap=tuple(sorted(gap, key=_work_order)),
        intersection=tuple(sorted(intersection, key=_work_order)),
        unique={name: tuple(sorted(rows, key=_work_order)) for name, rows in unique.items()},
        target_domains=shared_with_target,
        own_sites=own_sites,
    )


def _check_competitors(target: str, names: tuple[str, ...], min_competitors: int) -> None:
    if not names:
        raise ComparisonError("link_gap needs at least one competitor")
    if target in names:
        raise ComparisonError(f"the target {target!r} is among its own competitors")
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise ComparisonError(f"competitors given more than once: {', '.join(twice)}")
    if not 1 <= min_competitors <= len(names):
        raise ComparisonError(
            f"min_competitors must be from 1 to the number of competitors ({len(names)}), "
            f"not {min_competitors!r}"
        )


def _record(
    domain: str,
    its_stats: list[tuple[int, DomainStats]],
    rivals: tuple[LinkProfile, ...],
    names: tuple[str, ...],
    *,
    authority: WebGraphRank | ImportedAuthority | None,
    categories: dict[tuple[int, ...], Mapping[AnchorCategory, int]],
) -> GapDomain:
    links_by_competitor = {names[index]: stats.links for index, stats in its_stats}
    first, *others = [counts.category_counts(rivals[index], stats) for index, stats in its_stats]
    for these in others:  # each competitor's anchors classified for that competitor
        for position, n in enumerate(these):
            first[position] += n
    key = tuple(first)
    mapping = categories.get(key)
    if mapping is None:
        # Rows with the same counts share one immutable mapping: most rows are small domains
        # with a few links, and a mapping keyed by enum members costs a Python-level hash per key.
        mapping = categories[key] = types.MappingProxyType(dict(zip(_CATEGORIES, key, strict=True)))
    return GapDomain(
        domain=domain,
        competitors=tuple(links_by_competitor),
        links=sum(links_by_competitor.values()),
        links_by_competitor=links_by_competitor,
        anchor_categories=mapping,
        authority=authority,
    )
