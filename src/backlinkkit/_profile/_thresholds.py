"""`Thresholds`: every limit a link-profile flag or disavow candidate is measured against.

No search engine publishes a safe anchor-text distribution, follow ratio or link velocity. The
defaults below are practitioners' rules of thumb (the ones ../shared/reference/seo-facts.md names,
cited as such) or backlinkkit's own starting points, marked "backlinkkit default": settings to tune
for a niche, never rules a search engine states. This class is the one place they live.
"""

from __future__ import annotations

import attrs

from .._errors import SettingsError

__all__ = ["Thresholds", "links_sitewide"]


def _share(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"Thresholds.{attribute.name} must be a share in [0, 1], got {value!r}")


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value <= 0:
        raise SettingsError(f"Thresholds.{attribute.name} must be positive, got {value!r}")


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise SettingsError(f"Thresholds.{attribute.name} must be at least 1, got {value!r}")


@attrs.frozen(kw_only=True)
class Thresholds:
    """The limits `LinkProfile.flags` and `disavow_candidates` apply; change any with `evolve`.

    Shares are fractions in [0, 1]. Anchor shares are per referring domain: the share of
    referring domains (with a known anchor) that use such an anchor at least once, so a sitewide
    footer link counts once, like one editorial link.

    Attributes:
        min_referring_domains: below this many referring domains no flag is computed (one
            `INSUFFICIENT_DATA` flag says so): a share of a handful of sites means little.
            backlinkkit default (10).
        exact_match_share: warn when more referring domains than this use an exact-match
            keyword anchor. Practitioners' rule of thumb: "exact match above 5-10% of referring
            domains" (seo-facts.md); the default takes the upper end, 0.10.
        money_share: warn when more referring domains than this use a money anchor (exact,
            partial or compound match). Semrush's Backlink Audit calls money and compound
            anchors risky but publishes no share; backlinkkit default (0.30).
        min_branded_share: warn when fewer referring domains than this use a branded or
            naked-URL anchor (LinkResearchTools counts URLs as brand). Practitioners quote
            "branded 40-60%" (seo-facts.md) as typical; the default warns well below that, 0.30.
        dominant_anchor_share: warn when one anchor that is not the brand or a URL is used by
            more than this share of referring domains. backlinkkit default (0.20).
        min_nofollow_share: warn when fewer referring domains than this have any nofollow,
            sponsored or ugc link (earned profiles carry some; an all-followed profile looks
            built). backlinkkit default (0.05).
        sitewide_min_links: a referring domain with at least this many links to the target is
            treated as sitewide (blogroll, footer), as is one an export marks `Sitewide`.
            backlinkkit default (100).
        sitewide_link_share: warn when more than this share of all backlinks come from sitewide
            domains. backlinkkit default (0.50).
        top_domains: how many referring domains the concentration measure takes (10).
        top_domains_share: warn when the `top_domains` biggest referring domains give more than
            this share of all backlinks. backlinkkit default (0.80).
        subnet_min_domains: a /24 subnet (class C) hosting at least this many referring domains
            is a cluster (private blog networks share hosting). backlinkkit default (3).
        subnet_share: warn when one /24 subnet hosts more than this share of the referring
            domains whose IP is known. backlinkkit default (0.10).
        velocity_factor: a month is a spike when its new referring domains exceed this many times
            the median of the profile's previous months (at most `velocity_window` of them).
            backlinkkit default (3.0).
        velocity_window: how many previous months the median takes: the recent past, so a site
            that grew steadily is judged against its current pace. backlinkkit default (12).
        velocity_min_new: ... and when that month has at least this many new referring domains.
            backlinkkit default (10).
        velocity_min_history: months of history, counted from the first month with a new
            referring domain, before any month is judged: a young site's first months are its
            start, not a spike. backlinkkit default (6).
        velocity_min_history_domains: ... and referring domains gained in that history: a
            handful of early links is no pace to compare with. backlinkkit default (30).
        critical_factor: a flag is `CRITICAL` (not just `WARNING`) when its value passes the
            threshold by this factor (twice the limit, or half of a minimum). backlinkkit
            default (2.0).
        toxicity_score: a Semrush Backlink Audit "Toxicity Score" at or above this marks a
            domain as spam for `disavow_candidates`. Semrush's audit has labelled 60-100
            "toxic"; default 60.
        candidate_min_score: `disavow_candidates` proposes a domain whose score reaches this.
            backlinkkit default (2: one strong reason, or two weak ones).
        link_farm_external_links: a referring domain one of whose linking pages has at least
            this many external links (Ahrefs and Semrush "External links") links from a link
            farm, for `disavow_candidates`. backlinkkit default (1000): editorial pages carry
            tens of outbound links, directories and link farms thousands.

    >>> Thresholds().exact_match_share
    0.1
    >>> import attrs
    >>> attrs.evolve(Thresholds(), exact_match_share=0.05).exact_match_share
    0.05
    """

    min_referring_domains: int = attrs.field(default=10, validator=_at_least_one)
    exact_match_share: float = attrs.field(default=0.10, validator=_share)
    money_share: float = attrs.field(default=0.30, validator=_share)
    min_branded_share: float = attrs.field(default=0.30, validator=_share)
    dominant_anchor_share: float = attrs.field(default=0.20, validator=_share)
    min_nofollow_share: float = attrs.field(default=0.05, validator=_share)
    sitewide_min_links: int = attrs.field(default=100, validator=_at_least_one)
    sitewide_link_share: float = attrs.field(default=0.50, validator=_share)
    top_domains: int = attrs.field(default=10, validator=_at_least_one)
    top_domains_share: float = attrs.field(default=0.80, validator=_share)
    subnet_min_domains: int = attrs.field(default=3, validator=_at_least_one)
    subnet_share: float = attrs.field(default=0.10, validator=_share)
    velocity_factor: float = attrs.field(default=3.0, validator=_positive)
    velocity_window: int = attrs.field(default=12, validator=_at_least_one)
    velocity_min_new: int = attrs.field(default=10, validator=_at_least_one)
    velocity_min_history: int = attrs.field(default=6, validator=_at_least_one)
    velocity_min_history_domains: int = attrs.field(default=30, validator=_at_least_one)
    critical_factor: float = attrs.field(default=2.0, validator=_positive)
    toxicity_score: float = attrs.field(default=60.0, validator=_positive)
    candidate_min_score: int = attrs.field(default=2, validator=_at_least_one)
    link_farm_external_links: int = attrs.field(default=1000, validator=_at_least_one)


def links_sitewide(links: int, marked: int, thresholds: Thresholds) -> bool:
    """The sitewide rule: `sitewide_min_links` links or more, or any marked so by an export."""
    return links >= thresholds.sitewide_min_links or marked > 0
