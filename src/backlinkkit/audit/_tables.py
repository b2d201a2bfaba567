"""The audit's full tables as CSV: UTF-8, a header row, formula-looking cells neutralized.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return) as a formula, and anchors and URLs in backlink exports are text anyone can
write. As the OWASP CSV-injection advice says, such a text cell is written with a `'` in front,
which spreadsheets show as text; numbers backlinkkit computed are written as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from .. import DomainChange, GapDomain, TargetCheck, TargetStatus, WebGraphRank
from .._anchors._classifier import AnchorCategory
from ._core import AuditResult

__all__ = ["COMPARISON_TABLES", "TABLES", "neutralize", "table_csv"]

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A text cell made safe to open in a spreadsheet (OWASP: a `'` before a formula start).

    >>> neutralize("=1+2"), neutralize("plain"), neutralize("-1"), neutralize("@user")
    ("'=1+2", 'plain', "'-1", "'@user")
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    # Rows come with their text cells neutralized already (numbers need nothing; None is an
    # empty cell): a 200,000-domain table is not worth a function call per cell.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


_CATEGORIES: Final = tuple(category.value for category in AnchorCategory)


def domains_csv(result: AuditResult) -> str:
    """Every referring domain: `ReferringDomain` fields, categories as columns, sitewide."""
    candidates = {c.domain: c for c in result.candidates}
    header = [
        "domain", "links", "hosts", "followed_links", "nofollow_links", "follow_unknown_links",
        *(f"anchors_{name}" for name in _CATEGORIES), "anchor_unknown_links", "anchors",
        "top_anchor", "top_anchor_links", "ips", "subnets", "first_seen", "last_seen", "lost",
        "lost_links", "spam_links", "toxicity", "toxic_markers", "sitewide_marked", "sitewide",
        "candidate_score", "authority_bucket", "harmonic_position",
    ]  # fmt: skip
    ranks: Mapping[str, WebGraphRank] = result.ranks or {}
    rows = []
    # `anchor_categories` holds every category, in the enum's order: the columns' order.
    for d in result.profile.referring_domains():
        candidate = candidates.get(d.domain)
        rows.append(
            [
                neutralize(d.domain), d.links, d.hosts, d.followed_links, d.nofollow_links,
                d.follow_unknown_links, *d.anchor_categories.values(),
                d.anchor_unknown_links, d.anchors,
                None if d.top_anchor is None else neutralize(d.top_anchor), d.top_anchor_links,
                " ".join(d.ips), " ".join(d.subnets), _day(d.first_seen), _day(d.last_seen),
                _day(d.lost), d.lost_links, d.spam_links, d.toxicity,
                neutralize("; ".join(d.toxic_markers)), d.sitewide_marked,
                _flag(d.is_sitewide(result.thresholds)),
                None if candidate is None else candidate.score,
                *_rank_cells(ranks.get(d.domain)),
            ]
        )  # fmt: skip
    return _write(header, rows)


def _rank_cells(rank: WebGraphRank | None) -> tuple[str | None, int | None]:
    return (None, None) if rank is None else (rank.bucket.value, rank.harmonic_position)


def _day(value: object) -> str | None:
    return None if value is None else str(value)


def anchors_csv(result: AuditResult) -> str:
    """Every distinct anchor (`LinkProfile.anchor_table`), most referring domains first."""
    header = ["anchor", "category", "links", "referring_domains", "link_share", "domain_share"]
    rows = (
        [neutralize(str(r["anchor"])), *(r[k] for k in header[1:])]
        for r in result.profile.anchor_table()
    )
    return _write(header, rows)


def candidates_csv(result: AuditResult) -> str:
    """Every disavow candidate with its reasons and a few of its links."""
    header = ["domain", "score", "severity", "links", "signals", "reasons", "example_links"]
    rows = [
        [
            neutralize(c.domain),
            c.score,
            c.severity.value,
            c.links,
            " ".join(r.signal.value for r in c.reasons),
            neutralize("; ".join(r.detail for r in c.reasons)),
            neutralize(" ".join(e.source_url for e in result.evidence.get(c.domain, ()))),
        ]
        for c in result.candidates
    ]
    return _write(header, rows)


def rejected_csv(result: AuditResult) -> str:
    """Every rejected row: the export, line, column, reason and the cells (a JSON array)."""
    header = ["input", "line", "column", "reason", "cells"]
    rows = [
        [
            neutralize(r.input),
            r.row.line,
            None if r.row.column is None else neutralize(r.row.column),
            neutralize(r.row.reason),
            json.dumps(list(r.row.cells), ensure_ascii=False),
        ]
        for r in result.rejected
    ]
    return _write(header, rows)


TABLES: Final = {
    "domains.csv": domains_csv,
    "anchors.csv": anchors_csv,
    "candidates.csv": candidates_csv,
    "rejected.csv": rejected_csv,
}
"""The CSV files `AuditResult.write` makes, by name, with the function that makes each."""


def _records(records: list[dict[str, object]], empty: dict[str, object]) -> str:
    # An empty table still has its header (taken from a record of the same kind).
    header = list(records[0] if records else empty)
    rows = (
        [neutralize(v) if isinstance(v, str) else v for v in record.values()] for record in records
    )
    return _write(header, rows)


def gap_csv(result: AuditResult) -> str | None:
    """The whole link gap (`LinkGap.table`), in work order; None without competitors."""
    if result.gap is None:
        return None
    empty = GapDomain(
        domain="", competitors=(), links=0, links_by_competitor={}, anchor_categories={}
    )
    return _records(result.gap.table(), empty.to_record())


def diff_csv(result: AuditResult) -> str | None:
    """Every referring domain gained, lost and kept (`ProfileDiff.table`); None without one."""
    if result.diff is None:
        return None
    empty = DomainChange(domain="", links_before=0, links_after=0)
    return _records(result.diff.table(), empty.to_dict())


def targets_csv(result: AuditResult) -> str | None:
    """Every target URL checked (`TargetCheck.to_record`), broken first; None when not asked."""
    if result.targets is None:
        return None
    empty = TargetCheck(url="", status=TargetStatus.OK, referring_domains={})
    return _records([check.to_record() for check in result.targets], empty.to_record())


COMPARISON_TABLES: Final = {
    "gap.csv": gap_csv,
    "diff.csv": diff_csv,
    "targets.csv": targets_csv,
}
"""The CSV files of the optional comparisons, written only when the audit made them."""


def table_csv(result: AuditResult, name: str) -> str | None:
    """The text of one of the `TABLES` or `COMPARISON_TABLES` files (None: not made)."""
    if name in COMPARISON_TABLES:
        return COMPARISON_TABLES[name](result)
    return TABLES[name](result)
