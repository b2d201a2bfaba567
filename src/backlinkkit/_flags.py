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

import attrs

from ._thresholds import Thresholds

__all__ = ["Flag", "FlagName", "ProfileFacts", "Severity", "evaluate_flags"]


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


def _anchor_flags(f: ProfileFacts, t: Thresholds) -> list[Flag]:
    flags: list[Flag] = []
    n = f.anchor_domains
    if f.has_keywords:
        share = f.exact_domains / n
        severity = _above(share, t.exact_match_share, t)
        if severity:
            flags.append(Flag(name=FlagName.EXACT_MATCH_SHARE, severity=severity, value=share,
                threshold=t.exact_match_share, explanation=(
                    f"{_pct(share)} of the sites linking to you use your exact keyword as "
                    f"anchor (threshold {_pct(t.exact_match_share)}): built links look like this."
                )))  # fmt: skip
        share = f.money_domains / n
        severity = _above(share, t.money_share, t)
        if severity:
            flags.append(Flag(name=FlagName.MONEY_SHARE, severity=severity, value=share,
                threshold=t.money_share, explanation=(
                    f"{_pct(share)} of the sites linking to you use keyword-rich anchors "
                    f"(threshold {_pct(t.money_share)}): earned links mostly name the brand or URL."
                )))  # fmt: skip
    share = f.branded_domains / n
    severity = _below(share, t.min_branded_share, t)
    if severity:
        flags.append(Flag(name=FlagName.LOW_BRANDED_SHARE, severity=severity, value=share,
            threshold=t.min_branded_share, explanation=(
                f"Only {_pct(share)} of the sites linking to you use your brand or URL as anchor "
                f"(minimum {_pct(t.min_branded_share)}): natural profiles are mostly branded."
            )))  # fmt: skip
    if f.dominant_anchor is not None:
        anchor, domains = f.dominant_anchor
        share = domains / n
        severity = _above(share, t.dominant_anchor_share, t)
        if severity:
            flags.append(Flag(name=FlagName.DOMINANT_ANCHOR, severity=severity, value=share,
                threshold=t.dominant_anchor_share, subject=anchor, explanation=(
                    f"The anchor {anchor!r} is used by {_pct(share)} of the sites linking to you "
                    f"(threshold {_pct(t.dominant_anchor_share)}): one phrase repeated that often "
                    f"looks placed."
                )))  # fmt: skip
    return flags


def _follow_flags(f: ProfileFacts, t: Thresholds) -> list[Flag]:
    share = f.nofollow_domains / f.follow_known_domains
    severity = _below(share, t.min_nofollow_share, t)
    if not severity:
        return []
    return [Flag(name=FlagName.FOLLOW_RATIO, severity=severity, value=share,
        threshold=t.min_nofollow_share, explanation=(
            f"Only {_pct(share)} of the sites linking to you have any nofollow, sponsored or ugc "
            f"link (minimum {_pct(t.min_nofollow_share)}): an all-followed profile looks built."
        ))]  # fmt: skip


def _distribution_flags(f: ProfileFacts, t: Thresholds) -> list[Flag]:
    flags: list[Flag] = []
    if f.backlinks:
        share = f.sitewide_links / f.backlinks
        severity = _above(share, t.sitewide_link_share, t)
        if severity:
            flags.append(Flag(name=FlagName.SITEWIDE_LINKS, severity=severity, value=share,
                threshold=t.sitewide_link_share, explanation=(
                    f"{_pct(share)} of your backlinks come from {f.sitewide_domains} sites that "
                    f"link from nearly every page (threshold {_pct(t.sitewide_link_share)}): "
                    f"sitewide links count little and can look paid."
                )))  # fmt: skip
        share = f.top_domains_links / f.backlinks
        severity = _above(share, t.top_domains_share, t)
        if severity:
            flags.append(Flag(name=FlagName.DOMAIN_CONCENTRATION, severity=severity,
                value=share, threshold=t.top_domains_share, explanation=(
                    f"{_pct(share)} of your backlinks come from your top {t.top_domains} "
                    f"referring domains (threshold {_pct(t.top_domains_share)}): the profile "
                    f"rests on a few sites."
                )))  # fmt: skip
    if f.biggest_subnet is not None and f.ip_domains:
        subnet, domains = f.biggest_subnet
        share = domains / f.ip_domains
        severity = _above(share, t.subnet_share, t)
        if domains >= t.subnet_min_domains and severity:
            flags.append(Flag(name=FlagName.SUBNET_CONCENTRATION, severity=severity,
                value=share, threshold=t.subnet_share, subject=subnet, explanation=(
                    f"{domains} of the sites linking to you ({_pct(share)}) are hosted on one "
                    f"network, {subnet} (threshold {_pct(t.subnet_share)}): link networks share "
                    f"hosting."
                )))  # fmt: skip
    return flags


def velocity_spikes(
    new_by_month: tuple[tuple[str, int], ...], t: Thresholds
) -> list[tuple[str, int, float]]:
    """The months whose new referring domains spike against the profile's own history.

    Args:
        new_by_month: (month, new referring domains), every month in order, gaps filled with 0.
        t: the settings (`velocity_factor`, `velocity_window`, `velocity_min_new`,
            `velocity_min_history`).

    Returns:
        (month, new referring domains, median of the `velocity_window` months before) for each
        spike.
    """
    spikes: list[tuple[str, int, float]] = []
    counts = [count for _, count in new_by_month]
    for i in range(t.velocity_min_history, len(counts)):
        median = statistics.median(counts[max(0, i - t.velocity_window) : i])
        if counts[i] >= t.velocity_min_new and counts[i] > t.velocity_factor * median:
            spikes.append((new_by_month[i][0], counts[i], float(median)))
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


_Rule = Callable[[ProfileFacts, Thresholds], list[Flag]]
# (what a rule needs known, how many referring domains have it, the rule)
_RULES: tuple[tuple[str | None, Callable[[ProfileFacts], int], _Rule], ...] = (
    ("anchor", lambda f: f.anchor_domains, _anchor_flags),
    ("rel value", lambda f: f.follow_known_domains, _follow_flags),
    (None, lambda f: f.referring_domains, _distribution_flags),
    (None, lambda f: f.referring_domains, _velocity_flags),
)


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
    for subject, known, rule in _RULES:
        if known(facts) < t.min_referring_domains:
            flags.append(_thin(subject, known(facts), t))
        else:
            flags.extend(rule(facts, t))
    return tuple(flags)
