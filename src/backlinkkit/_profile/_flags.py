"""Link-profile flags: `Flag`, `FlagName`, `Severity`, and the rules that raise them.

Every rule compares one measured value with one `Thresholds` setting and explains itself in a line
a site owner understands. Rules run only on enough data: below `min_referring_domains` referring
domains (or referring domains with known anchors, or known rel values, for the rules that need
them) the rule is skipped and one `INSUFFICIENT_DATA` flag says what was skipped and why.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable
from typing import NamedTuple

import attrs

from .._anchors._classifier import AnchorCategory
from ._measure import UNPLACED_CATEGORIES, Measures
from ._thresholds import Thresholds, links_sitewide

__all__ = ["Flag", "FlagName", "ProfileFacts", "Severity", "evaluate_flags", "profile_facts"]


class Severity(enum.Enum):
    """How much a flag matters: a note, a warning, or a pattern far past its threshold."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class FlagName(enum.Enum):
    """What a flag is about; the values are stable strings for reports and JSON."""

    INSUFFICIENT_DATA = "insufficient_data"
    EXACT_MATCH_SHARE = "exact_match_share"
    MONEY_SHARE = "money_share"
    LOW_BRANDED_SHARE = "low_branded_share"
    DOMINANT_ANCHOR = "dominant_anchor"
    FOLLOW_RATIO = "follow_ratio"
    SITEWIDE_LINKS = "sitewide_links"
    DOMAIN_CONCENTRATION = "domain_concentration"
    SUBNET_CONCENTRATION = "subnet_concentration"
    VELOCITY_SPIKE = "velocity_spike"


@attrs.frozen(kw_only=True)
class Flag:
    """One pattern in a link profile worth a look, with the numbers behind it.

    Attributes:
        name: what the flag is about.
        severity: `INFO` (data too thin to judge), `WARNING` (past the threshold) or `CRITICAL`
            (past it by `Thresholds.critical_factor`).
        value: the measured value (a share in [0, 1], or a count).
        threshold: the setting it was compared with.
        explanation: one line for a site owner: what was measured and why it matters.
        subject: what the flag is about in particular (an anchor, a subnet, a month), or None.

    >>> flag = Flag(name=FlagName.MONEY_SHARE, severity=Severity.WARNING, value=0.4,
    ...             threshold=0.3, explanation="...")
    >>> flag.name.value, flag.severity.value
    ('money_share', 'warning')
    """

    name: FlagName
    severity: Severity
    value: float
    threshold: float
    explanation: str
    subject: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The flag as a JSON-ready dict (enums by their values)."""
        return {
            "name": self.name.value,
            "severity": self.severity.value,
            "value": self.value,
            "threshold": self.threshold,
            "explanation": self.explanation,
            "subject": self.subject,
        }


@attrs.frozen(kw_only=True)
class ProfileFacts:
    """What the flag rules measure, as a `LinkProfile` computes it for one `Thresholds` value.

    Counts of referring domains unless named otherwise. Internal: the profile builds it.
    """

    referring_domains: int
    anchor_domains: int
    has_keywords: bool
    exact_domains: int
    money_domains: int
    branded_domains: int
    dominant_anchor: tuple[str, int] | None
    follow_known_domains: int
    nofollow_domains: int
    backlinks: int
    sitewide_domains: int
    sitewide_links: int
    top_domains_links: int
    ip_domains: int
    biggest_subnet: tuple[str, int] | None
    new_domains_by_month: tuple[tuple[str, int], ...]


def profile_facts(
    measures: Measures, *, has_keywords: bool, thresholds: Thresholds
) -> ProfileFacts:
    """The facts the rules read, from a profile's measures, for `thresholds`."""
    t = thresholds
    dominant = next(
        ((row.anchor, row.domains) for row in measures.anchors
         if row.category not in UNPLACED_CATEGORIES),
        None,
    )  # fmt: skip
    sitewide = [row.links for row in measures.domain_facts
                if links_sitewide(row.links, row.sitewide_marked, t)]  # fmt: skip
    subnets = measures.subnets
    return ProfileFacts(
        referring_domains=len(measures.domain_facts),
        anchor_domains=measures.anchor_domains,
        has_keywords=has_keywords,
        exact_domains=measures.summary.anchor_categories[AnchorCategory.EXACT_MATCH],
        money_domains=measures.money_domains,
        branded_domains=measures.branded_domains,
        dominant_anchor=dominant,
        follow_known_domains=measures.follow_known_domains,
        nofollow_domains=measures.nofollow_domains,
        backlinks=measures.summary.backlinks,
        sitewide_domains=len(sitewide),
        sitewide_links=sum(sitewide),
        top_domains_links=sum(row.links for row in measures.domain_facts[: t.top_domains]),
        ip_domains=measures.ip_domains,
        biggest_subnet=(subnets[0].subnet, subnets[0].domains) if subnets else None,
        new_domains_by_month=tuple((row.month, row.new_domains) for row in measures.months),
    )


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _above(value: float, limit: float, t: Thresholds) -> Severity | None:
    if value <= limit:
        return None
    return Severity.CRITICAL if value > limit * t.critical_factor else Severity.WARNING


def _below(value: float, limit: float, t: Thresholds) -> Severity | None:
    if value >= limit:
        return None
    return Severity.CRITICAL if value < limit / t.critical_factor else Severity.WARNING


class _Measured(NamedTuple):
    """What one rule measured: the value, and what the flag is about (None: the profile)."""

    value: float
    subject: str | None = None


@attrs.frozen
class _Rule:
    """One flag rule: a share measured, compared with one `Thresholds` setting, explained.

    Attributes:
        name: the flag it raises.
        needs: what the rule needs known (`"anchor"`, `"rel value"`) or None; with fewer than
            `min_referring_domains` referring domains knowing it, an INSUFFICIENT_DATA flag says
            the rule was skipped.
        measure: the measured value, or None when the rule does not apply.
        setting: the `Thresholds` attribute compared with.
        above: True when a value above the setting is raised, False when one below it is.
        sentence: the explanation, formatted with `value`, `limit` (as percentages),
            `subject`, the facts' fields and the thresholds (`t`).
    """

    name: FlagName
    needs: str | None
    measure: Callable[[ProfileFacts, Thresholds], _Measured | None]
    setting: str
    above: bool
    sentence: str


def _share(part: int, whole: int, subject: str | None = None) -> _Measured | None:
    return _Measured(part / whole, subject) if whole else None


def _subnet(f: ProfileFacts, t: Thresholds) -> _Measured | None:
    if f.biggest_subnet is None or f.biggest_subnet[1] < t.subnet_min_domains:
        return None
    return _share(f.biggest_subnet[1], f.ip_domains, f.biggest_subnet[0])


# The rules, in the order flags are listed: anchors, rel, how links spread. Velocity spikes,
# which raise one flag per month, follow them (`_velocity_flags`).
_RULES: tuple[_Rule, ...] = (
    _Rule(FlagName.EXACT_MATCH_SHARE, "anchor",
          lambda f, _t: _share(f.exact_domains, f.anchor_domains) if f.has_keywords else None,
          "exact_match_share", above=True,
          sentence="{value} of the sites linking to you use your exact keyword as anchor "
                   "(threshold {limit}): built links look like this."),
    _Rule(FlagName.MONEY_SHARE, "anchor",
          lambda f, _t: _share(f.money_domains, f.anchor_domains) if f.has_keywords else None,
          "money_share", above=True,
          sentence="{value} of the sites linking to you use keyword-rich anchors "
                   "(threshold {limit}): earned links mostly name the brand or URL."),
    _Rule(FlagName.LOW_BRANDED_SHARE, "anchor",
          lambda f, _t: _share(f.branded_domains, f.anchor_domains),
          "min_branded_share", above=False,
          sentence="Only {value} of the sites linking to you use your brand or URL as anchor "
                   "(minimum {limit}): natural profiles are mostly branded."),
    _Rule(FlagName.DOMINANT_ANCHOR, "anchor",
          lambda f, _t: None if f.dominant_anchor is None
          else _share(f.dominant_anchor[1], f.anchor_domains, f.dominant_anchor[0]),
          "dominant_anchor_share", above=True,
          sentence="The anchor {subject!r} is used by {value} of the sites linking to you "
                   "(threshold {limit}): one phrase repeated that often looks placed."),
    _Rule(FlagName.FOLLOW_RATIO, "rel value",
          lambda f, _t: _share(f.nofollow_domains, f.follow_known_domains),
          "min_nofollow_share", above=False,
          sentence="Only {value} of the sites linking to you have any nofollow, sponsored or "
                   "ugc link (minimum {limit}): an all-followed profile looks built."),
    _Rule(FlagName.SITEWIDE_LINKS, None,
          lambda f, _t: _share(f.sitewide_links, f.backlinks),
          "sitewide_link_share", above=True,
          sentence="{value} of your backlinks come from {f.sitewide_domains} sites that link "
                   "from nearly every page (threshold {limit}): sitewide links count little "
                   "and can look paid."),
    _Rule(FlagName.DOMAIN_CONCENTRATION, None,
          lambda f, _t: _share(f.top_domains_links, f.backlinks),
          "top_domains_share", above=True,
          sentence="{value} of your backlinks come from your top {t.top_domains} referring "
                   "domains (threshold {limit}): the profile rests on a few sites."),
    _Rule(FlagName.SUBNET_CONCENTRATION, None, _subnet, "subnet_share", above=True,
          sentence="{f.biggest_subnet[1]} of the sites linking to you ({value}) are hosted on "
                   "one network, {subject} (threshold {limit}): link networks share hosting."),
)  # fmt: skip


def _thin(subject: str | None, have: int, t: Thresholds) -> Flag:
    if subject is None:
        explanation = (
            f"Only {have} sites link to you: the flags need at least {t.min_referring_domains} "
            f"referring domains to mean anything, so none were computed."
        )
    else:
        explanation = (
            f"Only {have} of the sites linking to you have a known {subject} in this data: the "
            f"{subject} checks need at least {t.min_referring_domains}, so they were skipped."
        )
    return Flag(
        name=FlagName.INSUFFICIENT_DATA,
        severity=Severity.INFO,
        value=float(have),
        threshold=float(t.min_referring_domains),
        explanation=explanation,
        subject=subject,
    )


def _apply(rule: _Rule, f: ProfileFacts, t: Thresholds) -> Flag | None:
    measured = rule.measure(f, t)
    if measured is None:
        return None
    limit: float = getattr(t, rule.setting)
    severity = (_above if rule.above else _below)(measured.value, limit, t)
    if severity is None:
        return None
    explanation = rule.sentence.format(
        value=_pct(measured.value), limit=_pct(limit), subject=measured.subject, f=f, t=t
    )
    return Flag(name=rule.name, severity=severity, value=measured.value, threshold=limit,
                explanation=explanation, subject=measured.subject)  # fmt: skip


def velocity_spikes(
    new_by_month: tuple[tuple[str, int], ...], t: Thresholds
) -> list[tuple[str, int, float]]:
    """The months whose new referring domains spike against the profile's own history.

    The history starts at the first month with a new referring domain; a month is judged once
    `velocity_min_history` months of history and `velocity_min_history_domains` referring
    domains precede it, against the median of at most `velocity_window` months before it.

    Args:
        new_by_month: (month, new referring domains), every month in order, gaps filled with 0.
        t: the settings (`velocity_factor`, `velocity_window`, `velocity_min_new`,
            `velocity_min_history`, `velocity_min_history_domains`).

    Returns:
        (month, new referring domains, median of the months before) for each spike.
    """
    counts = [count for _, count in new_by_month]
    start = next((i for i, count in enumerate(counts) if count), len(counts))
    spikes: list[tuple[str, int, float]] = []
    seen = sum(counts[start : start + t.velocity_min_history])
    for i in range(start + t.velocity_min_history, len(counts)):
        history = counts[max(start, i - t.velocity_window) : i]
        median = statistics.median(history)
        if (
            seen >= t.velocity_min_history_domains
            and counts[i] >= t.velocity_min_new
            and counts[i] > t.velocity_factor * median
        ):
            spikes.append((new_by_month[i][0], counts[i], float(median)))
        seen += counts[i]
    return spikes


def _velocity_flags(f: ProfileFacts, t: Thresholds) -> list[Flag]:
    flags: list[Flag] = []
    for month, count, median in velocity_spikes(f.new_domains_by_month, t):
        limit = max(t.velocity_factor * median, float(t.velocity_min_new))
        critical = count > t.velocity_factor * t.critical_factor * median
        flags.append(Flag(name=FlagName.VELOCITY_SPIKE,
            severity=Severity.CRITICAL if critical else Severity.WARNING, value=float(count),
            threshold=limit, subject=month, explanation=(
                f"{count} new sites started linking to you in {month}, against a median of "
                f"{median:g} a month before: a sudden burst often means bought or automated links."
            )))  # fmt: skip
    return flags


_KNOWN: dict[str | None, Callable[[ProfileFacts], int]] = {
    "anchor": lambda f: f.anchor_domains,
    "rel value": lambda f: f.follow_known_domains,
    None: lambda f: f.referring_domains,
}


def evaluate_flags(facts: ProfileFacts, thresholds: Thresholds) -> tuple[Flag, ...]:
    """Run every rule on `facts`; the flags in rule order (anchors, rel, spread, time).

    Args:
        facts: what the profile measured.
        thresholds: the settings to compare with.

    Returns:
        The flags raised; a lone `INSUFFICIENT_DATA` flag when there are too few referring
        domains for any rule.
    """
    t = thresholds
    if facts.referring_domains < t.min_referring_domains:
        return (_thin(None, facts.referring_domains, t),)
    flags: list[Flag] = []
    skipped: set[str] = set()
    for rule in _RULES:
        if rule.needs is not None and _KNOWN[rule.needs](facts) < t.min_referring_domains:
            if rule.needs not in skipped:
                skipped.add(rule.needs)
                flags.append(_thin(rule.needs, _KNOWN[rule.needs](facts), t))
            continue
        flag = _apply(rule, facts, t)
        if flag is not None:
            flags.append(flag)
    flags.extend(_velocity_flags(facts, t))
    return tuple(flags)
