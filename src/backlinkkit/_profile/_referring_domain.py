"""`ReferringDomain`: what a link profile knows about one site that links to the target."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping

import attrs

from .._anchors._classifier import AnchorCategory
from .._compare._authority import AuthorityBucket, ImportedAuthority, WebGraphRank
from .._errors import PickleStateError
from ._thresholds import Thresholds, links_sitewide

__all__ = ["ReferringDomain"]

_STATE_VERSION = 1


def _frozen_counts(value: Mapping[AnchorCategory, int]) -> Mapping[AnchorCategory, int]:
    if type(value) is types.MappingProxyType and len(value) == len(AnchorCategory):
        return value  # made complete by the profile: 20,000 rows need no second copy
    return types.MappingProxyType({c: value.get(c, 0) for c in AnchorCategory})


@attrs.frozen(kw_only=True)
class ReferringDomain:
    """What a profile knows about one referring domain (site), as `LinkProfile.referring_domains`.

    Attributes:
        domain: the registrable domain, lower-case punycode (`blog.example.co.uk` ->
            `example.co.uk`; an IP address stands for itself).
        links: backlinks from it.
        hosts: distinct linking hosts under it.
        followed_links: links that pass endorsement.
        nofollow_links: links with nofollow, sponsored or ugc.
        follow_unknown_links: links whose rel the export does not give.
        anchor_categories: links per anchor category (every category present).
        anchor_unknown_links: links whose anchor the export does not give.
        anchors: distinct anchors it uses.
        top_anchor: its most used anchor (normalized: whitespace collapsed, case folded).
        top_anchor_links: links with `top_anchor`.
        ips: its valid source IP addresses, sorted.
        subnets: their /24 (IPv4) or /48 (IPv6) networks, sorted.
        first_seen: the earliest first-seen date of its links.
        last_seen: the latest last-seen date of its links.
        lost: when it was lost: the latest lost date, if every one of its links is lost.
        lost_links: links reported lost.
        spam_links: links an export marks as spam (Ahrefs "Is spam").
        toxicity: the highest Semrush "Toxicity Score" seen on its links, or None.
        toxic_markers: Semrush "Toxic markers" seen on its links, sorted.
        sitewide_marked: links an export marks as sitewide (Semrush "Sitewide").
        target_pages: distinct target pages it links to.
        domain_rating: the highest Ahrefs Domain Rating its links carry, or None.
        url_rating: the highest Ahrefs URL Rating of its linking pages, or None.
        page_ascore: the highest Semrush page Authority Score of its linking pages, or None.
        trust_flow: the highest Majestic Trust Flow of its linking pages, or None.
        citation_flow: the highest Majestic Citation Flow of its linking pages, or None.
        domain_authority: the highest Moz Domain Authority its links carry, or None.
        page_authority: the highest Moz Page Authority of its linking pages, or None.
        external_links: the most external links any of its linking pages has, or None: a page
            with thousands is a link farm's.
        linked_domains: the most sites any of its linking pages links to, or None.
        authority: what it weighs: its rank from `LinkProfile.authority` (Common Crawl's, or a
            tool score given there), else the first score its exports carry (DR, DA, AS, TF,
            CF, in that order), else None.
    """

    domain: str
    links: int
    hosts: int
    followed_links: int
    nofollow_links: int
    follow_unknown_links: int
    anchor_categories: Mapping[AnchorCategory, int] = attrs.field(
        converter=_frozen_counts, hash=False
    )
    anchor_unknown_links: int
    anchors: int
    top_anchor: str | None
    top_anchor_links: int
    ips: tuple[str, ...]
    subnets: tuple[str, ...]
    first_seen: dt.date | None
    last_seen: dt.date | None
    lost: dt.date | None
    lost_links: int
    spam_links: int
    toxicity: float | None
    toxic_markers: tuple[str, ...]
    sitewide_marked: int
    target_pages: int = 0
    domain_rating: float | None = None
    url_rating: float | None = None
    page_ascore: float | None = None
    trust_flow: float | None = None
    citation_flow: float | None = None
    domain_authority: float | None = None
    page_authority: float | None = None
    external_links: int | None = None
    linked_domains: int | None = None
    authority: WebGraphRank | ImportedAuthority | None = None

    def __getstate__(self) -> dict[str, object]:
        # Versioned plain data (categories by value): the pickle names only backlinkkit.
        state = {field.name: getattr(self, field.name) for field in attrs.fields(ReferringDomain)}
        state["anchor_categories"] = {c.value: n for c, n in self.anchor_categories.items()}
        state["version"] = _STATE_VERSION
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        if state.get("version") != _STATE_VERSION:
            raise PickleStateError(
                f"cannot load a ReferringDomain of state version {state.get('version')!r}"
            )
        counts = state.get("anchor_categories")
        if not isinstance(counts, dict):
            raise PickleStateError("not the state of a ReferringDomain: no anchor categories")
        for field in attrs.fields(ReferringDomain):
            value = state.get(field.name, field.default)
            if field.name == "anchor_categories":
                value = _frozen_counts({AnchorCategory(c): n for c, n in counts.items()})
            object.__setattr__(self, field.name, value)

    @property
    def authority_bucket(self) -> AuthorityBucket:
        """The band of `authority`; `AuthorityBucket.UNKNOWN` when there is none."""
        return AuthorityBucket.UNKNOWN if self.authority is None else self.authority.bucket

    @property
    def categories(self) -> frozenset[AnchorCategory]:
        """The anchor categories it uses at least once."""
        return frozenset(c for c, n in self.anchor_categories.items() if n)

    def is_sitewide(self, thresholds: Thresholds | None = None) -> bool:
        """Whether it links sitewide: `sitewide_min_links` links or more, or marked so."""
        return links_sitewide(self.links, self.sitewide_marked, thresholds or Thresholds())

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: dates in ISO format, categories by their values."""
        return {
            "domain": self.domain,
            "links": self.links,
            "hosts": self.hosts,
            "followed_links": self.followed_links,
            "nofollow_links": self.nofollow_links,
            "follow_unknown_links": self.follow_unknown_links,
            "anchor_categories": {c.value: n for c, n in self.anchor_categories.items()},
            "anchor_unknown_links": self.anchor_unknown_links,
            "anchors": self.anchors,
            "top_anchor": self.top_anchor,
            "top_anchor_links": self.top_anchor_links,
            "ips": list(self.ips),
            "subnets": list(self.subnets),
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "lost": _iso(self.lost),
            "lost_links": self.lost_links,
            "spam_links": self.spam_links,
            "toxicity": self.toxicity,
            "toxic_markers": list(self.toxic_markers),
            "sitewide_marked": self.sitewide_marked,
            "target_pages": self.target_pages,
            "domain_rating": self.domain_rating,
            "url_rating": self.url_rating,
            "page_ascore": self.page_ascore,
            "trust_flow": self.trust_flow,
            "citation_flow": self.citation_flow,
            "domain_authority": self.domain_authority,
            "page_authority": self.page_authority,
            "external_links": self.external_links,
            "linked_domains": self.linked_domains,
            "authority": None if self.authority is None else self.authority.to_dict(),
            "authority_bucket": self.authority_bucket.value,
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
