"""Snapshots: what changed between two link profiles of one site (last month's and this month's).

Reads each side's referring domains and their links from the counts the profile keeps
(`_profile_counts`), and its measures (`category_table`, `flags`, `summary`) through its public
API, so either side may be built from exports, a crawl or web archives.
"""

from __future__ import annotations

import enum
from typing import cast

import attrs

from .._anchors._classifier import AnchorCategory
from .._errors import ComparisonError
from .._profile._flags import Flag, FlagName, Severity
from .._profile._link_profile import LinkProfile
from .._profile._summary import ProfileSummary
from .._profile._thresholds import Thresholds
from .._web._urls import registrable_domain
from . import _profile_counts as counts

__all__ = ["CategoryShift", "DomainChange", "DomainChangeKind", "FlagChange", "ProfileDiff",
           "diff_profiles"]  # fmt: skip

_SEVERITY_ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class DomainChangeKind(enum.Enum):
    """Whether a referring domain is new, gone, or in both snapshots.

    >>> DomainChange(domain="a.test", links_before=2, links_after=0).kind
    <DomainChangeKind.LOST: 'lost'>
    """

    GAINED = "gained"
    LOST = "lost"
    KEPT = "kept"


@attrs.frozen(kw_only=True)
class DomainChange:
    """One referring domain's links before and after.

    Attributes:
        domain: the registrable domain.
        links_before: its links in the old profile (0 when gained).
        links_after: its links in the new profile (0 when lost).

    >>> DomainChange(domain="blog.test", links_before=3, links_after=1).change
    -2
    """

    domain: str
    links_before: int
    links_after: int

    @property
    def kind(self) -> DomainChangeKind:
        """Gained (no links before), lost (none after) or kept."""
        if not self.links_before:
            return DomainChangeKind.GAINED
        if not self.links_after:
            return DomainChangeKind.LOST
        return DomainChangeKind.KEPT

    @property
    def change(self) -> int:
        """`links_after - links_before`."""
        return self.links_after - self.links_before

    def to_dict(self) -> dict[str, object]:
        """A flat JSON-ready (and CSV-ready) record, with `status` and `change`."""
        return {
            "domain": self.domain,
            "status": self.kind.value,
            "links_before": self.links_before,
            "links_after": self.links_after,
            "change": self.change,
        }


@attrs.frozen(kw_only=True)
class CategoryShift:
    """One anchor category's weight before and after, per referring domain and per link.

    Shares are those of `LinkProfile.category_table`: of the referring domains with a known
    anchor (a domain counts once per category it uses), and of the links with a known anchor.

    >>> from backlinkkit import AnchorCategory
    >>> shift = CategoryShift(category=AnchorCategory.EXACT_MATCH, domains_before=2,
    ...                       domains_after=5, domain_share_before=0.1, domain_share_after=0.25,
    ...                       links_before=3, links_after=9, link_share_before=0.05,
    ...                       link_share_after=0.2)
    >>> round(shift.domain_share_change, 2)
    0.15
    """

    category: AnchorCategory
    domains_before: int
    domains_after: int
    domain_share_before: float
    domain_share_after: float
    links_before: int
    links_after: int
    link_share_before: float
    link_share_after: float

    @property
    def domain_share_change(self) -> float:
        """`domain_share_after - domain_share_before`."""
        return self.domain_share_after - self.domain_share_before

    def to_dict(self) -> dict[str, object]:
        """A flat JSON-ready record (category by its value)."""
        return {
            "category": self.category.value,
            "domains_before": self.domains_before,
            "domains_after": self.domains_after,
            "domain_share_before": self.domain_share_before,
            "domain_share_after": self.domain_share_after,
            "links_before": self.links_before,
            "links_after": self.links_after,
            "link_share_before": self.link_share_before,
            "link_share_after": self.link_share_after,
        }


@attrs.frozen(kw_only=True)
class FlagChange:
    """A flag raised in both snapshots (same name and subject) at another severity.

    Attributes:
        before: the flag in the old profile.
        after: the flag in the new profile.

    >>> from backlinkkit import Flag, FlagName, Severity
    >>> def flag(severity):
    ...     return Flag(name=FlagName.MONEY_SHARE, severity=severity, value=0.4,
    ...                 threshold=0.3, explanation="...")
    >>> FlagChange(before=flag(Severity.WARNING), after=flag(Severity.CRITICAL)).worse
    True
    """

    before: Flag
    after: Flag

    @property
    def name(self) -> FlagName:
        """What the flag is about."""
        return self.after.name

    @property
    def subject(self) -> str | None:
        """Its subject (an anchor, a subnet, a month), or None."""
        return self.after.subject

    @property
    def worse(self) -> bool:
        """The severity rose (INFO < WARNING < CRITICAL)."""
        return _SEVERITY_ORDER[self.after.severity] > _SEVERITY_ORDER[self.before.severity]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: name, subject, both severities and values, and `worse`."""
        return {
            "name": self.name.value,
            "subject": self.subject,
            "severity_before": self.before.severity.value,
            "severity_after": self.after.severity.value,
            "value_before": self.before.value,
            "value_after": self.after.value,
            "worse": self.worse,
        }


@attrs.frozen(kw_only=True)
class ProfileDiff:
    """What changed between two profiles of one site, as `diff_profiles` found it.

    Attributes:
        target: the site's domain (the new profile's `domain`).
        gained: referring domains only in the new profile, most links first (then by name).
        lost: referring domains only in the old profile, most links (before) first.
        kept: referring domains in both, the largest change in links first (by size, either
            way), then most links after, then by name.
        categories: each anchor category before and after, in `AnchorCategory` order.
        raised: flags of the new profile that the old one did not raise (compared by name and
            subject), in the new profile's order.
        cleared: flags of the old profile that the new one no longer raises.
        changed: flags raised by both at different severities (`FlagChange.worse` says which
            way); flags raised by both at the same severity are in `unchanged`, whatever their
            values did.
        unchanged: the new profile's flags raised by both at the same severity.
        before: the old profile's summary.
        after: the new profile's summary.

    See `diff_profiles` for an example.
    """

    target: str
    gained: tuple[DomainChange, ...]
    lost: tuple[DomainChange, ...]
    kept: tuple[DomainChange, ...]
    categories: tuple[CategoryShift, ...]
    raised: tuple[Flag, ...]
    cleared: tuple[Flag, ...]
    changed: tuple[FlagChange, ...]
    unchanged: tuple[Flag, ...]
    before: ProfileSummary
    after: ProfileSummary

    def to_dict(self) -> dict[str, object]:
        """Everything as JSON-ready records, with the headline counts before and after."""
        return {
            "target": self.target,
            "referring_domains": {
                "before": self.before.referring_domains,
                "after": self.after.referring_domains,
                "gained": len(self.gained),
                "lost": len(self.lost),
                "kept": len(self.kept),
            },
            "backlinks": {"before": self.before.backlinks, "after": self.after.backlinks},
            "gained": [row.to_dict() for row in self.gained],
            "lost": [row.to_dict() for row in self.lost],
            "kept": [row.to_dict() for row in self.kept],
            "categories": [row.to_dict() for row in self.categories],
            "flags": {
                "raised": [flag.to_dict() for flag in self.raised],
                "cleared": [flag.to_dict() for flag in self.cleared],
                "changed": [change.to_dict() for change in self.changed],
                "unchanged": [flag.to_dict() for flag in self.unchanged],
            },
        }

    def table(self) -> list[dict[str, object]]:
        """One flat record per referring domain (`DomainChange.to_dict`): gained, lost, kept."""
        return [row.to_dict() for row in (*self.gained, *self.lost, *self.kept)]


def diff_profiles(
    old: LinkProfile, new: LinkProfile, *, thresholds: Thresholds | None = None
) -> ProfileDiff:
    """Compare two snapshots of one site's link profile.

    Args:
        old: the earlier profile.
        new: the later one.
        thresholds: the settings both sides' flags are judged by; `Thresholds()` if None.

    Returns:
        Referring domains gained, lost and kept with their links, anchor categories before and
        after, and flags raised, cleared and changed.

    Raises:
        ComparisonError: the profiles are of different sites (registrable domains), or have
            other brands or keywords (their anchor categories would not compare).

    >>> from backlinkkit import Backlink, LinkProfile
    >>> def snapshot(*sources):
    ...     p = LinkProfile("example.com")
    ...     p.update(Backlink(f"https://{s}/post", "https://example.com/") for s in sources)
    ...     return p
    >>> d = diff_profiles(snapshot("a.test", "b.test", "b.test"), snapshot("b.test", "c.test"))
    >>> [row.domain for row in d.gained], [row.domain for row in d.lost]
    (['c.test'], ['a.test'])
    >>> [(row.domain, row.links_before, row.links_after) for row in d.kept]
    [('b.test', 2, 1)]
    """
    _check_comparable(old, new)
    return _diff(old, new, thresholds or Thresholds())


def _diff(old: LinkProfile, new: LinkProfile, t: Thresholds) -> ProfileDiff:
    counts.share_anchor_categories(old, new)  # both measure below: each anchor classified once
    before = counts.domain_links(old)
    after = counts.domain_links(new)
    gained = [DomainChange(domain=d, links_before=0, links_after=n) for d, n in after.items()
              if d not in before]  # fmt: skip
    lost = [DomainChange(domain=d, links_before=n, links_after=0) for d, n in before.items()
            if d not in after]  # fmt: skip
    kept = [
        DomainChange(domain=d, links_before=n, links_after=after[d])
        for d, n in before.items()
        if d in after
    ]
    gained.sort(key=lambda r: (-r.links_after, r.domain))
    lost.sort(key=lambda r: (-r.links_before, r.domain))
    kept.sort(key=lambda r: (-abs(r.change), -r.links_after, r.domain))
    raised, cleared, changed, unchanged = _compare_flags(old.flags(t), new.flags(t))
    return ProfileDiff(
        target=new.domain,
        gained=tuple(gained),
        lost=tuple(lost),
        kept=tuple(kept),
        categories=_category_shifts(old, new),
        raised=raised,
        cleared=cleared,
        changed=changed,
        unchanged=unchanged,
        before=old.summary(),
        after=new.summary(),
    )


def _check_comparable(old: LinkProfile, new: LinkProfile) -> None:
    sites = registrable_domain(old.domain), registrable_domain(new.domain)
    if sites[0] != sites[1]:
        raise ComparisonError(
            f"cannot diff profiles of two sites: {old.domain!r} and {new.domain!r} (use "
            "link_gap to compare sites)"
        )
    differ = [
        name
        for name, a, b in (("brands", old.brands, new.brands), ("keywords", old.keywords,
                                                                  new.keywords))
        if a != b
    ]  # fmt: skip
    if differ:
        raise ComparisonError(
            f"the two profiles of {new.domain!r} differ in {' and '.join(differ)}: their anchor "
            "categories would change for that reason alone; build both with the same settings"
        )


def _category_shifts(old: LinkProfile, new: LinkProfile) -> tuple[CategoryShift, ...]:
    # category_table's records hold ints and floats under documented keys.
    shifts = []
    for a, b in zip(old.category_table(), new.category_table(), strict=True):
        shifts.append(
            CategoryShift(
                category=AnchorCategory(a["category"]),
                domains_before=cast("int", a["referring_domains"]),
                domains_after=cast("int", b["referring_domains"]),
                domain_share_before=cast("float", a["domain_share"]),
                domain_share_after=cast("float", b["domain_share"]),
                links_before=cast("int", a["links"]),
                links_after=cast("int", b["links"]),
                link_share_before=cast("float", a["link_share"]),
                link_share_after=cast("float", b["link_share"]),
            )
        )
    return tuple(shifts)


def _compare_flags(
    old: tuple[Flag, ...], new: tuple[Flag, ...]
) -> tuple[tuple[Flag, ...], tuple[Flag, ...], tuple[FlagChange, ...], tuple[Flag, ...]]:
    def key(flag: Flag) -> tuple[FlagName, str | None]:
        return flag.name, flag.subject

    earlier = {key(flag): flag for flag in old}
    later = {key(flag): flag for flag in new}
    raised = tuple(flag for flag in new if key(flag) not in earlier)
    cleared = tuple(flag for flag in old if key(flag) not in later)
    changed = tuple(
        FlagChange(before=earlier[key(flag)], after=flag)
        for flag in new
        if key(flag) in earlier and earlier[key(flag)].severity is not flag.severity
    )
    unchanged = tuple(
        flag
        for flag in new
        if key(flag) in earlier and earlier[key(flag)].severity is flag.severity
    )
    return raised, cleared, changed, unchanged
