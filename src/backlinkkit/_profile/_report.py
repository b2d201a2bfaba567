"""A profile's tables and its `to_dict`: plain records made from its measures.

Each table is a list of flat dicts (ready for `pandas.DataFrame`, CSV or JSON); `profile_dict`
puts the headline parts together with stable keys, for JSON reports and the audit.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._anchors._classifier import AnchorCategory
from ._flags import Flag
from ._measure import Measures

__all__ = [
    "anchor_table",
    "category_table",
    "domain_table",
    "month_table",
    "profile_dict",
    "subnet_table",
    "target_table",
    "tld_table",
]


def anchor_table(m: Measures, *, top: int | None = None) -> list[dict[str, object]]:
    """One record per distinct anchor, most referring domains first (the first `top` only)."""
    links = sum(row.links for row in m.anchors) or 1
    domains = m.anchor_domains or 1
    return [
        {
            "anchor": row.anchor,
            "category": row.category.value,
            "links": row.links,
            "referring_domains": row.domains,
            "link_share": row.links / links,
            "domain_share": row.domains / domains,
        }
        # Only the rows asked for: a to_dict of 260,000 anchors makes 20 records, not all.
        for row in (m.anchors if top is None else m.anchors[:top])
    ]


def category_table(m: Measures) -> list[dict[str, object]]:
    """One record per anchor category (enum order), counted per referring domain and link."""
    s = m.summary
    links = sum(s.anchor_categories_by_link.values()) or 1
    domains = m.anchor_domains or 1
    return [
        {
            "category": category.value,
            "referring_domains": s.anchor_categories[category],
            "domain_share": s.anchor_categories[category] / domains,
            "links": s.anchor_categories_by_link[category],
            "link_share": s.anchor_categories_by_link[category] / links,
        }
        for category in AnchorCategory
    ]


def domain_table(m: Measures) -> list[dict[str, object]]:
    """One record per referring domain (`ReferringDomain.to_dict`), most links first."""
    return [row.to_dict() for row in m.domains]


def month_table(m: Measures) -> list[dict[str, object]]:
    """One record per month from the first to the last dated one, gaps included."""
    return [row._asdict() for row in m.months]


def target_table(m: Measures) -> list[dict[str, object]]:
    """One record per target page: `target_url`, `links`, `referring_domains`, `homepage`."""
    return [
        {
            "target_url": row.url,
            "links": row.links,
            "referring_domains": row.domains,
            "homepage": row.homepage,
        }
        for row in m.targets
    ]


def tld_table(m: Measures) -> list[dict[str, object]]:
    """One record per top-level domain: `tld`, `referring_domains`, `links`."""
    return [
        {"tld": row.tld, "referring_domains": row.domains, "links": row.links} for row in m.tlds
    ]


def subnet_table(m: Measures) -> list[dict[str, object]]:
    """One record per /24 subnet (IPv4; /48 IPv6): `subnet`, `referring_domains`, `links`."""
    return [
        {"subnet": row.subnet, "referring_domains": row.domains, "links": row.links}
        for row in m.subnets
    ]


def profile_dict(
    m: Measures,
    *,
    target: dict[str, object],
    flags: Sequence[Flag],
    top: int,
) -> dict[str, object]:
    """Everything measured, JSON-ready, with stable keys (see `LinkProfile.to_dict`)."""
    home = sum(row.links for row in m.targets if row.homepage)
    known = sum(row.links for row in m.targets if row.url is not None)
    return {
        "target": target,
        "summary": m.summary.to_dict(),
        "anchor_categories": category_table(m),
        "top_anchors": anchor_table(m, top=top),
        "top_domains": [row.to_dict() for row in m.domains[:top]],
        "tlds": tld_table(m)[:top],
        "subnets": subnet_table(m)[:top],
        "target_pages": {
            "pages": sum(1 for row in m.targets if row.url is not None),
            "homepage_links": home,
            "deep_links": known - home,
            "unknown_links": m.summary.backlinks - known,
            "homepage_share": home / known if known else 0.0,
            "deep_link_ratio": (known - home) / known if known else 0.0,
        },
        "months": month_table(m),
        "flags": [flag.to_dict() for flag in flags],
    }
