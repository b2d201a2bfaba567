"""`ProfileSummary` and `AnchorDiversity`: the headline numbers of a link profile, as values.

A summary is computed from a profile's aggregates only, with every sum taken in a fixed order, so
profiles that saw the same links (in any split or order, merged) have equal summaries.
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterable, Mapping

import attrs

from .._anchors._classifier import AnchorCategory
from .._compare._authority import AuthorityBucket

__all__ = ["AnchorDiversity", "ProfileSummary"]


def _bucket_mapping(value: Mapping[AuthorityBucket, int]) -> Mapping[AuthorityBucket, int]:
    return types.MappingProxyType({bucket: value.get(bucket, 0) for bucket in AuthorityBucket})


def _category_mapping(value: Mapping[AnchorCategory, int]) -> Mapping[AnchorCategory, int]:
    # Every category present, in the enum's order: equal summaries compare and print alike.
    return types.MappingProxyType({category: value.get(category, 0) for category in AnchorCategory})


@attrs.frozen(kw_only=True)
class AnchorDiversity:
    """How varied a set of anchor texts is, over one way of counting them.

    Counted per link, every link weighs one; counted per referring domain, every distinct
    (referring domain, anchor) pair weighs one, so a sitewide link counts like one editorial link.

    Attributes:
        distinct: how many distinct anchors (after collapsing whitespace and case).
        total: the total weight (links, or domain-anchor pairs).
        entropy: Shannon entropy divided by its maximum, log(distinct): 0 when one anchor is all
            there is, 1 when every anchor weighs the same. 0.0 for fewer than two anchors.
        herfindahl: the Herfindahl index, the sum of squared shares: 1 for a single anchor,
            1/distinct when all weigh the same. 0.0 when there is nothing.
        top1_share: the biggest anchor's share of the total.
        top10_share: the ten biggest anchors' share of the total.

    >>> d = AnchorDiversity.of([3, 1])
    >>> d.distinct, d.herfindahl, d.top1_share
    (2, 0.625, 0.75)
    >>> round(d.entropy, 3)
    0.811
    """

    distinct: int
    total: int
    entropy: float
    herfindahl: float
    top1_share: float
    top10_share: float

    @classmethod
    def of(cls, weights: Iterable[int]) -> AnchorDiversity:
        """Measure the diversity of anchors that weigh `weights` (one positive count each).

        Args:
            weights: one count per distinct anchor, in any order.

        Returns:
            The measures; all 0.0 for no anchors.
        """
        # Sorted, so the float sums are the same whatever order the counts arrive in.
        counts = sorted((w for w in weights if w > 0), reverse=True)
        total = sum(counts)
        if not total:
            return cls(distinct=0, total=0, entropy=0.0, herfindahl=0.0, top1_share=0.0,
                       top10_share=0.0)  # fmt: skip
        shares = [c / total for c in counts]
        entropy = 0.0
        if len(counts) > 1:
            entropy = -math.fsum(s * math.log(s) for s in shares) / math.log(len(counts))
        return cls(
            distinct=len(counts),
            total=total,
            entropy=entropy,
            herfindahl=math.fsum(s * s for s in shares),
            top1_share=shares[0],
            top10_share=sum(counts[:10]) / total,
        )

    def to_dict(self) -> dict[str, float | int]:
        """The measures as a JSON-ready dict (keys as the attribute names)."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class ProfileSummary:
    """The headline counts of a `LinkProfile`, as `LinkProfile.summary` gives them.

    Attributes:
        backlinks: links counted (links from the target's own site are not: see `own_links`).
        referring_pages: distinct linking pages; exact up to 131,072, then a HyperLogLog
            estimate (about 0.8% standard error), which `referring_pages_exact` tells.
        referring_pages_exact: whether `referring_pages` is an exact count.
        referring_domains: distinct registrable domains linking (sites).
        referring_hosts: distinct linking hosts.
        referring_ips: distinct valid source IP addresses (where the export gives them).
        referring_subnets: distinct /24 subnets (class C) of IPv4 addresses (/48 for IPv6).
        followed: links that pass endorsement (none of nofollow, sponsored, ugc).
        nofollow: links with rel nofollow; `sponsored`, `ugc` likewise (a link may carry several).
        sponsored: links with rel sponsored.
        ugc: links with rel ugc.
        follow_unknown: links whose export does not say whether they are followed.
        text_links: links whose content is text (or text and images).
        image_links: links whose content is images only.
        anchor_unknown: links whose anchor the export does not give (Search Console).
        anchor_categories: per referring domain: for each category, how many referring domains
            use an anchor of it at least once.
        anchor_categories_by_link: for each category, how many links.
        diversity_by_link: anchor diversity, each link weighing one.
        diversity_by_domain: anchor diversity, each (referring domain, anchor) pair weighing one.
        own_links: links given whose source is the target's own site (not backlinks; skipped).
        unparsed_links: links given whose source is not an http(s) URL with a host (skipped).
        authority_buckets: referring domains per authority band (`ReferringDomain.authority`),
            every band present, `UNKNOWN` last.
    """

    backlinks: int
    referring_pages: int
    referring_pages_exact: bool
    referring_domains: int
    referring_hosts: int
    referring_ips: int
    referring_subnets: int
    followed: int
    nofollow: int
    sponsored: int
    ugc: int
    follow_unknown: int
    text_links: int
    image_links: int
    anchor_unknown: int
    anchor_categories: Mapping[AnchorCategory, int] = attrs.field(
        converter=_category_mapping, hash=False
    )
    anchor_categories_by_link: Mapping[AnchorCategory, int] = attrs.field(
        converter=_category_mapping, hash=False
    )
    diversity_by_link: AnchorDiversity
    diversity_by_domain: AnchorDiversity
    own_links: int = 0
    unparsed_links: int = 0
    authority_buckets: Mapping[AuthorityBucket, int] = attrs.field(
        factory=dict, converter=_bucket_mapping, hash=False
    )

    def __reduce__(self) -> tuple[object, ...]:
        # MappingProxyType does not pickle: rebuild from plain dicts.
        fields = attrs.asdict(self, recurse=False)
        for name in ("anchor_categories", "anchor_categories_by_link", "authority_buckets"):
            fields[name] = dict(fields[name])
        return (_rebuild_summary, (fields,))

    def to_dict(self) -> dict[str, object]:
        """The summary as a JSON-ready dict: categories keyed by their enum value."""
        out: dict[str, object] = {}
        for field in attrs.fields(ProfileSummary):
            value = getattr(self, field.name)
            if isinstance(value, AnchorDiversity):
                value = value.to_dict()
            elif isinstance(value, Mapping):
                value = {category.value: count for category, count in value.items()}
            out[field.name] = value
        return out


def _rebuild_summary(fields: dict[str, object]) -> ProfileSummary:
    return ProfileSummary(**fields)  # type: ignore[arg-type]
