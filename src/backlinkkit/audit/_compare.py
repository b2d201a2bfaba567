"""The audit's comparison sections: competitors (gap), a previous snapshot, targets, authority.

Each is optional and built on the public comparison API (`link_gap`, `diff_profiles`,
`check_targets`, `read_web_graph_ranks`); what summary.json says of each is bounded (the top
rows), the full tables are CSV files beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final

import attrs

from .. import (
    AuthorityBucket,
    Backlink,
    LinkGap,
    LinkProfile,
    ProfileDiff,
    TargetCheck,
    TargetStatus,
    WebGraphRanks,
    registrable_domain,
)
from .._errors import InvalidURLError

__all__ = [
    "TARGETS_PROGRESS",
    "Competitor",
    "TargetCollector",
    "authority_dict",
    "bucket_counts",
    "diff_dict",
    "gap_dict",
    "targets_dict",
]

TARGETS_PROGRESS: Final = "target URLs"
"""The name `audit` passes to its `progress` callback while it checks target URLs."""

# How many rows of each list summary.json holds (the CSV files hold them all).
_TOP: Final = 20


@attrs.frozen(kw_only=True, eq=False)
class Competitor:
    """A competitor of the audit: its exports' accounting and its profile.

    Attributes:
        domain: the competitor's site (`LinkProfile.domain`).
        inputs: each of its exports' accounting (`AuditInput`), in the order given.
        profile: the profile of its merged, distinct links.
    """

    domain: str
    inputs: tuple[object, ...]
    profile: LinkProfile

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: `domain`, `inputs`, `backlinks`, `referring_domains`."""
        s = self.profile.summary()
        return {
            "domain": self.domain,
            "inputs": [i.to_dict() for i in self.inputs],  # type: ignore[attr-defined]
            "backlinks": s.backlinks,
            "referring_domains": s.referring_domains,
        }


class TargetCollector:
    """Counts, while backlinks stream into the profile, the links to each target URL of the site.

    Only backlinks whose target is on the site (its registrable domain) and whose source is
    another site count: those are the links a broken target page wastes.
    """

    __slots__ = ("_on_site", "_site", "targets")

    def __init__(self, site: str) -> None:
        self._site = registrable_domain(site)
        self._on_site: dict[str, bool] = {}
        self.targets: dict[str, dict[str, int]] = {}

    def _is_on_site(self, url: str) -> bool:
        known = self._on_site.get(url)
        if known is None:
            try:
                known = "://" in url and registrable_domain(url) == self._site
            except InvalidURLError:
                known = False
            if len(self._on_site) < 1 << 16:
                self._on_site[url] = known
        return known

    def watch(self, backlinks: Iterable[Backlink]) -> Iterator[Backlink]:
        """Pass `backlinks` through, counting each one's target URL and referring domain."""
        targets, site = self.targets, self._site
        for b in backlinks:
            url = b.target_url
            if url is not None and self._is_on_site(url):
                source = b.source_domain
                if source is not None and source != site:
                    per = targets.setdefault(url, {})
                    per[source] = per.get(source, 0) + 1
            yield b


def bucket_counts(domains: Iterable[str], ranks: Mapping[str, object]) -> dict[str, int]:
    """Referring domains per authority band (`AuthorityBucket` values, then `unknown`)."""
    counts = {bucket.value: 0 for bucket in AuthorityBucket}
    counts["unknown"] = 0
    for domain in domains:
        rank = ranks.get(domain)
        bucket = getattr(rank, "bucket", None)
        counts["unknown" if bucket is None else bucket.value] += 1
    return counts


def authority_dict(ranks: WebGraphRanks, profile: LinkProfile) -> dict[str, object]:
    """summary.json's `authority`: the ranks file read, and referring domains per band."""
    domains = [d.domain for d in profile.referring_domains()]
    ranked = sorted((ranks[d] for d in domains if d in ranks), key=lambda r: r.harmonic_position)
    return {
        "source": "common_crawl",
        "level": ranks.level.value,
        "rows": ranks.rows,
        "referring_domains": len(domains),
        "found": len(ranked),
        "buckets": bucket_counts(domains, ranks),
        "top": [r.to_dict() for r in ranked[:_TOP]],
    }


def gap_dict(gap: LinkGap, competitors: tuple[Competitor, ...]) -> dict[str, object]:
    """summary.json's `gap`: the competitors, the counts, and the first rows of each list."""
    return {
        "file": "gap.csv",
        "competitors": [c.to_dict() for c in competitors],
        "min_competitors": gap.min_competitors,
        "target_domains": gap.target_domains,
        "counts": {
            "gap": len(gap.gap),
            "intersection": len(gap.intersection),
            "unique": {name: len(rows) for name, rows in gap.unique.items()},
        },
        "gap": [row.to_dict() for row in gap.gap[:_TOP]],
        "intersection": [row.to_dict() for row in gap.intersection[:_TOP]],
    }


def diff_dict(diff: ProfileDiff, inputs: tuple[object, ...]) -> dict[str, object]:
    """summary.json's `previous`: its exports, the counts, shares, flags and the first rows."""
    full = diff.to_dict()
    return {
        "file": "diff.csv",
        "inputs": [i.to_dict() for i in inputs],  # type: ignore[attr-defined]
        "referring_domains": full["referring_domains"],
        "backlinks": full["backlinks"],
        "gained": full["gained"][:_TOP],  # type: ignore[index]
        "lost": full["lost"][:_TOP],  # type: ignore[index]
        "kept": full["kept"][:_TOP],  # type: ignore[index]
        "categories": full["categories"],
        "flags": full["flags"],
    }


def targets_dict(checks: tuple[TargetCheck, ...]) -> dict[str, object]:
    """summary.json's `targets`: URLs checked, by status, and the first broken ones."""
    by_status = {status.value: 0 for status in TargetStatus}
    for check in checks:
        by_status[check.status.value] += 1
    broken = [c for c in checks if c.broken]
    return {
        "file": "targets.csv",
        "checked": len(checks),
        "broken": len(broken),
        "by_status": by_status,
        "broken_targets": [c.to_dict() for c in broken[:_TOP]],
    }
