"""What the comparisons read of a profile, straight from the counts it keeps.

A profile's first `referring_domains()` measures everything about every referring domain (rel,
IPs and subnets, targets, months, the anchor table...), which takes about as long as a fifth of
building the profile. `link_gap` needs far less: the names of the referring domains and, for the
domains it lists, their links, anchor categories and authority; `diff_profiles` needs the links
of every domain (and the measures it reports: summary, categories, flags). Reading those from the
profile's aggregate leaves the rest unmeasured. They come out exactly as `ReferringDomain` gives
them: the same counts, summed the same way, the same classification (the profile's own cache of
anchor categories, which its measurement then reuses).

The one place that knows the profile's private layout (`LinkProfile._aggregate` and its
`DomainStats`, the anchor categories' memo `LinkProfile._categories` and `_category_index`,
which fills it): read only, but for that memo, filled as the profile's measurement fills it.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

from .._anchors._classifier import AnchorCategory
from .._profile._aggregate import METRIC_FIELDS, DomainStats
from .._profile._link_profile import LinkProfile
from ._authority import ImportedAuthority, WebGraphRank, imported_authority

__all__ = [
    "authority",
    "category_counts",
    "domain_counts",
    "domain_links",
    "share_anchor_categories",
]

_CATEGORIES = tuple(AnchorCategory)
# Where `imported_authority`'s scores sit among the kept metric maxima.
_SCORE_AT = tuple(
    METRIC_FIELDS.index(name)
    for name in ("domain_rating", "domain_authority", "page_ascore", "trust_flow", "citation_flow")
)


def domain_counts(profile: LinkProfile) -> Mapping[str, DomainStats]:
    """The profile's referring domains (the names of `referring_domains()`), with their counts.

    A view of the profile's own mapping: to be read, never changed.
    """
    return types.MappingProxyType(profile._aggregate.domains)  # noqa: SLF001


def domain_links(profile: LinkProfile) -> dict[str, int]:
    """Each referring domain's links (`ReferringDomain.links`), by name."""
    return {site: stats.links for site, stats in profile._aggregate.domains.items()}  # noqa: SLF001


def category_counts(profile: LinkProfile, stats: DomainStats) -> list[int]:
    """One referring domain's links per anchor category (`ReferringDomain.anchor_categories`).

    Counts in `AnchorCategory` order; links of unknown anchor left out. A list, not a mapping:
    the gap sums these, and a mapping keyed by enum members costs a Python-level hash per key.
    """
    counts = [0] * len(_CATEGORIES)
    # The profile's memo of each distinct anchor's category, read directly: one dict look-up
    # per anchor of the domain, the classifier asked only for anchors not met yet.
    known = profile._categories.get  # noqa: SLF001
    for anchor, n in stats.anchors.items():
        if anchor is not None:
            index = known(anchor)
            if index is None:
                index = profile._category_index(anchor)  # noqa: SLF001 - classifies, memoizes
            counts[index] += n
    return counts


def authority(
    profile: LinkProfile, site: str, stats: DomainStats
) -> WebGraphRank | ImportedAuthority | None:
    """One referring domain's `ReferringDomain.authority`: the profile's rank, else a score."""
    ranks = profile.authority
    given = None if ranks is None else ranks.get(site)
    if given is not None or stats.metrics is None:
        return given
    metrics = stats.metrics
    return imported_authority(*(metrics[at] for at in _SCORE_AT))


def share_anchor_categories(a: LinkProfile, b: LinkProfile) -> None:
    """Let two profiles that classify alike share what their anchors' categories are."""
    a._share_categories(b)  # noqa: SLF001
