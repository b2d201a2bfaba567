"""The report's sections: for each, a template and the data it reads, charts as plotly figures.

A section is plain data, so a later job (competitors, a previous audit, target checks) adds its
own: a template under `templates/sections/` and a `ReportSection` with what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from .. import AnchorCategory, AuthorityBucket
from .._profile._flags import Severity
from ._compare import bucket_counts
from ._core import AuditResult

__all__ = ["Chart", "ReportSection", "default_sections"]

# How many rows each long table shows in the report (the CSV files hold them all).
TOP_DOMAINS: Final = 50
TOP_ANCHORS: Final = 30
TOP_CANDIDATES: Final = 100
TOP_REJECTED: Final = 50
TOP_SPREAD: Final = 20
TOP_GAP: Final = 50
TOP_CHANGES: Final = 30
TOP_TARGETS: Final = 50
TOP_RANKED: Final = 30
CHART_DOMAINS: Final = 30

_GREEN, _RED, _BLUE, _ORANGE, _GREY, _PURPLE = (
    "#2f855a",
    "#c53030",
    "#2b6cb0",
    "#dd6b20",
    "#a0aec0",
    "#6b46c1",
)
_SEVERITY_ORDER: Final = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen(kw_only=True)
class Chart:
    """A chart in a report section: a plotly figure (`data` and `layout`, as plotly.js takes).

    Attributes:
        id: the chart's id in the page (letters, digits and dashes).
        figure: the figure as JSON-ready data: `{"data": [...], "layout": {...}}`.
        caption: a sentence under the chart saying what it shows.
    """

    id: str
    figure: Mapping[str, object]
    caption: str = ""


@attrs.frozen(kw_only=True)
class ReportSection:
    """One section of the report: the template that renders it and the data it reads.

    Attributes:
        id: the section's anchor in the page (letters, digits and dashes).
        title: its heading, also in the page's table of contents.
        template: the template's file name under the package's `templates/sections/`.
        data: what the template reads (as `data.<key>`).
        charts: the charts it draws, in order (as `section.charts`).

    >>> ReportSection(id="notes", title="Notes", template="notes.html.j2").charts
    ()
    """

    id: str
    title: str
    template: str
    data: Mapping[str, object] = attrs.field(factory=dict)
    charts: tuple[Chart, ...] = ()


def _layout(**extra: object) -> dict[str, object]:
    layout: dict[str, object] = {
        "height": 320,
        "margin": {"l": 56, "r": 24, "t": 16, "b": 48},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
        "legend": {"orientation": "h", "x": 0, "y": 1.12},
        "xaxis": {"automargin": True},
        "yaxis": {"gridcolor": "#e2e8f0", "automargin": True, "rangemode": "tozero"},
        "bargap": 0.2,
    }
    layout.update(extra)
    return layout


def _overview(result: AuditResult) -> ReportSection:
    s = result.profile.summary()
    accepted = sum(i.accepted for i in result.inputs)
    headline = [
        ("Backlinks", s.backlinks, "distinct links, merged over every export"),
        ("Referring domains", s.referring_domains, "sites linking to you"),
        ("Referring pages", s.referring_pages, "exact" if s.referring_pages_exact else "estimate"),
        ("Referring IPs", s.referring_ips, f"in {s.referring_subnets:,} /24 subnets"),
        ("Followed", s.followed, f"{s.follow_unknown:,} links of unknown rel"),
        ("Flags", len(result.flags), _flag_counts(result)),
        ("Disavow candidates", len(result.candidates), "domains to review"),
    ]
    totals = {
        "rows": result.rows,
        "accepted": accepted,
        "rejected": result.rows - accepted,
        "duplicates": result.duplicates,
        "links": result.links,
    }
    return ReportSection(
        id="overview",
        title="Inputs and headline counts",
        template="overview.html.j2",
        data={"headline": headline, "inputs": result.inputs, "totals": totals, "summary": s},
    )


def _flag_counts(result: AuditResult) -> str:
    counts = dict.fromkeys(Severity, 0)
    for flag in result.flags:
        counts[flag.severity] += 1
    return ", ".join(f"{counts[s]} {s.value}" for s in (Severity.CRITICAL, Severity.WARNING))


def _flags(result: AuditResult) -> ReportSection:
    flags = sorted(result.flags, key=lambda f: _SEVERITY_ORDER[f.severity])
    return ReportSection(id="flags", title="Flags", template="flags.html.j2", data={"flags": flags})


def _timeline(result: AuditResult) -> ReportSection:
    months = result.profile.month_table()
    total = 0
    rows = []
    for m in months:
        total += int(m["new_domains"]) - int(m["lost_domains"])  # type: ignore[call-overload]
        rows.append({**m, "total": total})
    charts: tuple[Chart, ...] = ()
    if rows:
        names = [r["month"] for r in rows]
        figure = {
            "data": [
                {
                    "type": "bar",
                    "name": "gained",
                    "x": names,
                    "y": [r["new_domains"] for r in rows],
                    "marker": {"color": _GREEN},
                },
                {
                    "type": "bar",
                    "name": "lost",
                    "x": names,
                    "y": [-int(r["lost_domains"]) for r in rows],
                    "marker": {"color": _RED},
                },
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": "running total",
                    "x": names,
                    "y": [r["total"] for r in rows],
                    "yaxis": "y2",
                    "line": {"color": _BLUE, "width": 2},
                    "marker": {"size": 4},
                },
            ],
            "layout": _layout(
                barmode="relative",
                xaxis={"type": "category", "automargin": True, "tickangle": -45},
                yaxis={
                    "title": {"text": "referring domains a month"},
                    "gridcolor": "#e2e8f0",
                    "zerolinecolor": "#718096",
                    "automargin": True,
                },
                yaxis2={
                    "title": {"text": "running total"},
                    "overlaying": "y",
                    "side": "right",
                    "rangemode": "tozero",
                    "showgrid": False,
                    "automargin": True,
                    "tickmode": "auto",
                    "nticks": 6,
                    "tickformat": ",d",
                },
            ),
        }
        charts = (
            Chart(
                id="chart-months",
                figure=figure,
                caption="Referring domains gained (first link first seen) and lost (every "
                "link lost) each month, and the running total.",
            ),
        )
    return ReportSection(
        id="timeline",
        title="Referring domains over time",
        template="timeline.html.j2",
        data={"months": rows},
        charts=charts,
    )


def _anchors(result: AuditResult) -> ReportSection:
    categories = result.profile.category_table()
    anchors = result.profile.anchor_table()
    charts: tuple[Chart, ...] = ()
    if any(c["links"] for c in categories):
        names = [str(c["category"]).replace("_", " ") for c in categories]
        figure = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": "per referring domain",
                    "y": names,
                    "x": [c["domain_share"] for c in categories],
                    "marker": {"color": _BLUE},
                },
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": "per link",
                    "y": names,
                    "x": [c["link_share"] for c in categories],
                    "marker": {"color": _GREY},
                },
            ],
            "layout": _layout(
                barmode="group",
                height=360,
                xaxis={"tickformat": ".0%", "gridcolor": "#e2e8f0", "rangemode": "tozero"},
                yaxis={"autorange": "reversed", "automargin": True},
            ),
        }
        charts = (
            Chart(
                id="chart-categories",
                figure=figure,
                caption="The share of referring domains that use each kind of anchor at least "
                "once, beside the share of links: a site with many links weighs once per domain.",
            ),
        )
    return ReportSection(
        id="anchors",
        title="Anchor texts",
        template="anchors.html.j2",
        data={
            "categories": categories,
            "anchors": anchors[:TOP_ANCHORS],
            "anchor_count": len(anchors),
            "keywords": result.profile.keywords,
            "brands": result.profile.brands,
        },
        charts=charts,
    )


def _rel(result: AuditResult) -> ReportSection:
    s = result.profile.summary()
    bars = [
        ("followed", s.followed, _GREEN),
        ("nofollow", s.nofollow, _GREY),
        ("sponsored", s.sponsored, _ORANGE),
        ("ugc", s.ugc, _PURPLE),
        ("unknown", s.follow_unknown, "#cbd5e0"),
    ]
    charts: tuple[Chart, ...] = ()
    if s.backlinks:
        figure = {
            "data": [
                {
                    "type": "bar",
                    "x": [b[0] for b in bars],
                    "y": [b[1] for b in bars],
                    "marker": {"color": [b[2] for b in bars]},
                    "text": [f"{b[1]:,}" for b in bars],
                    "textposition": "outside",
                    "cliponaxis": False,
                },
            ],
            "layout": _layout(height=280, showlegend=False),
        }
        charts = (
            Chart(
                id="chart-rel",
                figure=figure,
                caption="Links by rel value; a link may carry several (nofollow and ugc). "
                "Unknown: the export does not say (Search Console).",
            ),
        )
    return ReportSection(
        id="rel",
        title="Followed, nofollow, sponsored, ugc",
        template="rel.html.j2",
        data={"summary": s},
        charts=charts,
    )


def _domains(result: AuditResult) -> ReportSection:
    domains = result.profile.referring_domains()
    t = result.thresholds
    scores = {c.domain: c.score for c in result.candidates}
    rows = [
        {"domain": d, "sitewide": d.is_sitewide(t), "score": scores.get(d.domain)}
        for d in domains[:TOP_DOMAINS]
    ]
    charts: tuple[Chart, ...] = ()
    if domains:
        top = domains[:CHART_DOMAINS]
        sitewide = [d.is_sitewide(t) for d in top]
        figure = {
            "data": [
                {
                    "type": "bar",
                    "x": [d.domain for d in top],
                    "y": [d.links for d in top],
                    "marker": {"color": [_ORANGE if w else _BLUE for w in sitewide]},
                    "text": ["sitewide" if w else "" for w in sitewide],
                    "textposition": "outside",
                    "cliponaxis": False,
                    "hovertemplate": "%{x}: %{y:,} links<extra></extra>",
                },
            ],
            "layout": _layout(
                height=380,
                showlegend=False,
                xaxis={"type": "category", "tickangle": -45, "automargin": True},
                yaxis={"title": {"text": "links"}, "gridcolor": "#e2e8f0", "automargin": True},
            ),
        }
        charts = (
            Chart(
                id="chart-domains",
                figure=figure,
                caption=f"Links from the {len(top)} referring domains with the most; sitewide "
                f"sources (at least {t.sitewide_min_links:,} links, or marked so by the export) "
                "in orange.",
            ),
        )
    return ReportSection(
        id="domains",
        title="Links per referring domain",
        template="domains.html.j2",
        data={
            "rows": rows,
            "count": len(domains),
            "sitewide": sum(d.is_sitewide(t) for d in domains),
        },
        charts=charts,
    )


def _spread(result: AuditResult) -> ReportSection:
    tlds = result.profile.tld_table()
    subnets = result.profile.subnet_table()
    limit = result.thresholds.subnet_min_domains
    charts: tuple[Chart, ...] = ()
    if tlds:
        top = tlds[:15]
        figure = {
            "data": [
                {
                    "type": "bar",
                    "x": [f".{r['tld']}" for r in top],
                    "y": [r["referring_domains"] for r in top],
                    "marker": {"color": _BLUE},
                },
            ],
            "layout": _layout(height=280, showlegend=False, xaxis={"type": "category"}),
        }
        charts = (
            Chart(
                id="chart-tlds",
                figure=figure,
                caption="Referring domains by top-level domain.",
            ),
        )
    return ReportSection(
        id="spread",
        title="Top-level domains and /24 subnets",
        template="spread.html.j2",
        data={
            "tlds": tlds[:TOP_SPREAD],
            "tld_count": len(tlds),
            "subnets": [
                {**r, "cluster": int(r["referring_domains"]) >= limit}  # type: ignore[call-overload]
                for r in subnets[:TOP_SPREAD]
            ],
            "subnet_count": len(subnets),
            "cluster_min": limit,
            "ip_known": result.profile.summary().referring_ips,
        },
        charts=charts,
    )


def _candidates(result: AuditResult) -> ReportSection:
    return ReportSection(
        id="candidates",
        title="Disavow candidates",
        template="candidates.html.j2",
        data={
            "candidates": result.candidates[:TOP_CANDIDATES],
            "count": len(result.candidates),
            "evidence": result.evidence,
            "disavow": result.disavow,
            "allow": result.allow,
        },
    )


def _rejected(result: AuditResult) -> ReportSection:
    return ReportSection(
        id="rejected",
        title="Rejected rows",
        template="rejected.html.j2",
        data={"rows": result.rejected[:TOP_REJECTED], "count": len(result.rejected)},
    )


def _gap(result: AuditResult) -> ReportSection | None:
    gap = result.gap
    if gap is None:
        return None
    per_count: dict[int, int] = {}
    for row in gap.gap:
        per_count[row.competitor_count] = per_count.get(row.competitor_count, 0) + 1
    charts: tuple[Chart, ...] = ()
    if per_count:
        counts = sorted(per_count, reverse=True)
        figure = {
            "data": [
                {
                    "type": "bar",
                    "x": [f"{n} of {len(gap.competitors)}" for n in counts],
                    "y": [per_count[n] for n in counts],
                    "marker": {"color": _BLUE},
                    "hovertemplate": "%{x} competitors: %{y:,} domains<extra></extra>",
                },
            ],
            "layout": _layout(
                height=260,
                showlegend=False,
                xaxis={"type": "category", "title": {"text": "competitors linked to"}},
                yaxis={"title": {"text": "gap domains"}, "gridcolor": "#e2e8f0"},
            ),
        }
        charts = (
            Chart(
                id="chart-gap",
                figure=figure,
                caption="Gap domains by how many of the competitors they link to: a site "
                "linking to several of them is the likeliest to link to you.",
            ),
        )
    return ReportSection(
        id="gap",
        title="Link gap: competitors' links you lack",
        template="gap.html.j2",
        data={
            "rows": gap.gap[:TOP_GAP],
            "gap_count": len(gap.gap),
            "intersection_count": len(gap.intersection),
            "min_competitors": gap.min_competitors,
            "target_domains": gap.target_domains,
            "competitors": result.competitors,
            "unique": {name: len(rows) for name, rows in gap.unique.items()},
            "exact": AnchorCategory.EXACT_MATCH,
            "branded": AnchorCategory.BRANDED,
        },
        charts=charts,
    )


def _diff(result: AuditResult) -> ReportSection | None:
    diff = result.diff
    if diff is None:
        return None
    names = [c.category.value.replace("_", " ") for c in diff.categories]
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "before",
                "y": names,
                "x": [c.domain_share_before for c in diff.categories],
                "marker": {"color": _GREY},
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": "now",
                "y": names,
                "x": [c.domain_share_after for c in diff.categories],
                "marker": {"color": _BLUE},
            },
        ],
        "layout": _layout(
            barmode="group",
            height=360,
            xaxis={"tickformat": ".0%", "gridcolor": "#e2e8f0", "rangemode": "tozero"},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }
    drawn = any(c.domains_before or c.domains_after for c in diff.categories)
    charts = (
        (
            Chart(
                id="chart-diff-categories",
                figure=figure,
                caption="The share of referring domains using each kind of anchor, in the "
                "previous snapshot and now.",
            ),
        )
        if drawn
        else ()
    )
    return ReportSection(
        id="previous",
        title="Since the previous snapshot",
        template="diff.html.j2",
        data={
            "inputs": result.previous_inputs,
            "before": diff.before,
            "after": diff.after,
            "gained_count": len(diff.gained),
            "lost_count": len(diff.lost),
            "kept_count": len(diff.kept),
            "categories": diff.categories,
            "raised": diff.raised,
            "cleared": diff.cleared,
            "changed": diff.changed,
            "lists": [
                ("Referring domains gained", diff.gained[:TOP_CHANGES], len(diff.gained)),
                ("Referring domains lost", diff.lost[:TOP_CHANGES], len(diff.lost)),
                ("Kept, largest change first", diff.kept[:TOP_CHANGES], len(diff.kept)),
            ],
        },
        charts=charts,
    )


def _targets(result: AuditResult) -> ReportSection | None:
    checks = result.targets
    if checks is None:
        return None
    broken = [c for c in checks if c.broken]
    by_status: dict[str, int] = {}
    for check in checks:
        by_status[check.status.value] = by_status.get(check.status.value, 0) + 1
    return ReportSection(
        id="targets",
        title="Broken target pages",
        template="targets.html.j2",
        data={
            "rows": broken[:TOP_TARGETS],
            "count": len(checks),
            "broken_count": len(broken),
            "by_status": sorted(by_status.items(), key=lambda item: -item[1]),
        },
    )


def _authority(result: AuditResult) -> ReportSection | None:
    ranks = result.ranks
    if ranks is None:
        return None
    domains = result.profile.referring_domains()
    counts = bucket_counts((d.domain for d in domains), ranks)
    scores = {c.domain: c.score for c in result.candidates}
    found = sorted(
        (d for d in domains if d.domain in ranks), key=lambda d: ranks[d.domain].harmonic_position
    )
    ranked = [
        {"domain": d.domain, "rank": ranks[d.domain], "links": d.links,
         "score": scores.get(d.domain)}
        for d in found
    ]  # fmt: skip
    labels = [*(b.value for b in AuthorityBucket), "unknown"]
    figure = {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": [counts[label] for label in labels],
                "marker": {"color": [*([_BLUE] * len(AuthorityBucket)), _GREY]},
            },
        ],
        "layout": _layout(height=260, showlegend=False, xaxis={"type": "category"}),
    }
    charts = (
        (
            Chart(
                id="chart-authority",
                figure=figure,
                caption="Referring domains by Common Crawl harmonic centrality band; unknown: "
                "not in the ranks file.",
            ),
        )
        if domains
        else ()
    )
    return ReportSection(
        id="authority",
        title="Authority of referring domains",
        template="authority.html.j2",
        data={
            "level": ranks.level.value,
            "file_rows": ranks.rows,
            "rows": ranked[:TOP_RANKED],
            "found": len(ranked),
            "count": len(domains),
        },
        charts=charts,
    )


def default_sections(result: AuditResult) -> tuple[ReportSection, ...]:
    """The sections of the audit report, in the order it shows them.

    Returns:
        Inputs and counts, flags, time, anchors, rel, links per domain, TLDs and subnets,
        then those of the comparisons the audit made (authority, link gap, the previous
        snapshot, broken targets), candidates, rejected rows.
    """
    comparisons = (_authority(result), _gap(result), _diff(result), _targets(result))
    return (
        _overview(result),
        _flags(result),
        _timeline(result),
        _anchors(result),
        _rel(result),
        _domains(result),
        _spread(result),
        *(section for section in comparisons if section is not None),
        _candidates(result),
        _rejected(result),
    )
