"""Uses of the comparison API (gap, diff, broken targets, authority) that mypy checks.

This file is type-checked, not run.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from backlinkkit import (
    AnchorCategory,
    AuthorityBucket,
    AuthorityMetric,
    Backlink,
    CategoryShift,
    DomainChange,
    FlagChange,
    GapDomain,
    GraphLevel,
    ImportedAuthority,
    LinkGap,
    LinkProfile,
    ProfileDiff,
    TargetCheck,
    TargetStatus,
    WebGraphRank,
    WebGraphRanks,
    check_targets,
    diff_profiles,
    link_gap,
    read_web_graph_ranks,
)

# -- authority --
ranks: WebGraphRanks = read_web_graph_ranks(io.BytesIO(b""), ["example.com"])
level: GraphLevel = ranks.level
rank: WebGraphRank | None = ranks.get("example.com")
as_mapping: Mapping[str, WebGraphRank] = ranks
missing: tuple[str, ...] = ranks.missing
bucket: AuthorityBucket = AuthorityBucket.of_position(42)
order: int = bucket.order
score = ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 64)
from_link: tuple[ImportedAuthority, ...] = ImportedAuthority.from_backlink(
    Backlink("https://a.test/")
)
band: AuthorityBucket = AuthorityMetric.TRUST_FLOW.bucket(30.0)

# -- gap --
me, rival = LinkProfile("me.test"), LinkProfile("rival.test")
authority: dict[str, WebGraphRank | ImportedAuthority] = {"blog.test": score}
gap: LinkGap = link_gap(me, [rival], min_competitors=1, authority=ranks)
gap_scores: LinkGap = link_gap(me, [rival], authority=authority)
row: GapDomain = gap.gap[0]
competitors: tuple[str, ...] = row.competitors
links: Mapping[str, int] = row.links_by_competitor
exact: int = row.anchor_categories[AnchorCategory.EXACT_MATCH]
unique: tuple[GapDomain, ...] = gap.unique["rival.test"]
records: list[dict[str, object]] = gap.table()

# -- diff --
diff: ProfileDiff = diff_profiles(me, me.copy())
gained: tuple[DomainChange, ...] = diff.gained
change: int = gained[0].change
shift: CategoryShift = diff.categories[0]
flag_change: FlagChange = diff.changed[0]
worse: bool = flag_change.worse

# -- broken targets --
checks: tuple[TargetCheck, ...] = check_targets([Backlink("https://a.test/", "https://me.test/x")])
by_map: tuple[TargetCheck, ...] = check_targets({"https://me.test/x": {"a.test": 2}}, workers=2)
status: TargetStatus = checks[0].status
broken: bool = status.broken
