"""`disavow_candidates`: referring domains worth a human look before disavowing, with reasons.

The choice stays with a person: each candidate carries every reason it was proposed for, a score
that orders the review and a severity. The rules read the per-referring-domain aggregate a
`LinkProfile` keeps (anchor categories, rel, link counts, subnet, spam markers from the export).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from .._anchors._classifier import AnchorCategory, AnchorClassifier
from .._backlink import Backlink
from .._compare._authority import AuthorityBucket, ImportedAuthority, WebGraphRank
from .._disavow._file import DisavowEntry
from .._web._urls import hostname, normalize_host
from ._flags import Severity
from ._link_profile import LinkProfile
from ._referring_domain import ReferringDomain
from ._thresholds import Thresholds

__all__ = ["CandidateReason", "CandidateSignal", "DisavowCandidate", "disavow_candidates"]


class CandidateSignal(enum.Enum):
    """Why a referring domain is proposed for review."""

    SPAM_MARKED = "spam_marked"
    """An export marks its links as spam (Ahrefs "Is spam")."""
    TOXIC_SCORE = "toxic_score"
    """Semrush's Backlink Audit gives it a Toxicity Score at or above the threshold."""
    TOXIC_MARKERS = "toxic_markers"
    """Semrush's Backlink Audit lists toxic markers for it (weak alone)."""
    EXACT_MATCH_ANCHOR = "exact_match_anchor"
    """It links with the target's exact money keyword, and not only through nofollow links."""
    SITEWIDE = "sitewide"
    """It links from many pages (or an export marks it sitewide): weak alone."""
    SUBNET_CLUSTER = "subnet_cluster"
    """It shares a /24 subnet with other referring domains: weak alone (shared hosting)."""
    LINK_FARM = "link_farm"
    """A page of it that links to the target carries thousands of external links."""


# How much each reason weighs: strong signals 2-3, weak ones 1, so `candidate_min_score` (2)
# needs one strong or two weak reasons. backlinkkit's own ordering, for review, not a probability.
_WEIGHTS = {
    CandidateSignal.SPAM_MARKED: 3,
    CandidateSignal.TOXIC_SCORE: 3,
    CandidateSignal.EXACT_MATCH_ANCHOR: 2,
    CandidateSignal.LINK_FARM: 2,
    CandidateSignal.TOXIC_MARKERS: 1,
    CandidateSignal.SITEWIDE: 1,
    CandidateSignal.SUBNET_CLUSTER: 1,
}
# A score at least this high is CRITICAL (e.g. spam-marked and exact-match anchors).
_CRITICAL_SCORE = 4
# Authority as evidence on an exact-match anchor: from a site beyond the top 10 million (no
# standing of its own: the pattern of a made link) it weighs one more; from one of the best
# known sites (a Common Crawl harmonic centrality position up to 1,000, or a tool score in the
# top-10k band, the finest the scores' convention goes) one less, since such sites rarely sell
# keyword links and often use the words editorially.
_WELL_KNOWN_POSITION = 1_000
_AUTHORITY_WEIGHT = 1


def _standing(authority: WebGraphRank | ImportedAuthority | None) -> int:
    """+1 for a site beyond the top 10 million, -1 for a well-known one, else 0."""
    if authority is None:
        return 0
    if authority.bucket is AuthorityBucket.BEYOND_10M:
        return _AUTHORITY_WEIGHT
    if isinstance(authority, WebGraphRank):
        well_known = authority.harmonic_position <= _WELL_KNOWN_POSITION
    else:
        well_known = authority.bucket is AuthorityBucket.TOP_10K
    return -_AUTHORITY_WEIGHT if well_known else 0


@attrs.frozen(kw_only=True)
class CandidateReason:
    """One reason a domain is a candidate: what, how much it weighs, and the evidence.

    Attributes:
        signal: the kind of reason.
        weight: its part of the candidate's score.
        detail: the evidence in words (`"12 of 40 links marked spam by the export"`).
    """

    signal: CandidateSignal
    weight: int
    detail: str


@attrs.frozen(kw_only=True)
class DisavowCandidate:
    """A referring domain proposed for disavowing, for a person to accept or reject.

    Attributes:
        domain: the referring domain (registrable, punycode): what a `domain:` line would name.
        score: the sum of its reasons' weights (higher: review first).
        severity: `CRITICAL` from a score of 4, else `WARNING`.
        reasons: every reason, strongest first.
        links: its backlinks to the target.

    >>> c = DisavowCandidate(domain="spam.test", score=3, severity=Severity.WARNING, links=5,
    ...     reasons=(CandidateReason(signal=CandidateSignal.SPAM_MARKED, weight=3,
    ...                     detail="5 of 5 links marked spam by the export"),))
    >>> c.comment
    'score 3: 5 of 5 links marked spam by the export'
    """

    domain: str
    score: int
    severity: Severity
    reasons: tuple[CandidateReason, ...]
    links: int

    @property
    def comment(self) -> str:
        """The reasons in one line, for a comment in the disavow file."""
        return f"score {self.score}: " + "; ".join(r.detail for r in self.reasons)

    def to_entry(self) -> DisavowEntry:
        """The `domain:` entry for a disavow file, with the reasons as its comment.

        Raises:
            DisavowError: the domain cannot be a `domain:` entry (a public suffix itself).

        >>> c = DisavowCandidate(domain="spam.test", score=2, severity=Severity.WARNING,
        ...                      reasons=(), links=1)
        >>> str(c.to_entry())
        'domain:spam.test'
        """
        return DisavowEntry.domain(self.domain, comment=self.comment)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record (`reasons` as a list of `{signal, weight, detail}`)."""
        return {
            "domain": self.domain,
            "score": self.score,
            "severity": self.severity.value,
            "links": self.links,
            "reasons": [
                {"signal": r.signal.value, "weight": r.weight, "detail": r.detail}
                for r in self.reasons
            ],
        }


def _host(entry: str) -> str:
    entry = entry.strip()
    if entry.casefold().startswith("domain:"):
        entry = entry[len("domain:") :].strip()
    if "://" in entry:
        host = hostname(entry)
        if host is not None:
            return host
    return normalize_host(entry)


def _related(domain: str, host: str) -> bool:
    # A domain: line for `domain` would cover `host`, or `host` covers `domain`.
    return domain == host or domain.endswith(f".{host}") or host.endswith(f".{domain}")


def _reasons(
    row: ReferringDomain,
    clustered: dict[str, int],
    has_keywords: bool,
    t: Thresholds,
    authority: WebGraphRank | ImportedAuthority | None,
) -> list[CandidateReason]:
    found: list[tuple[CandidateSignal, str]] = []
    adjust: dict[CandidateSignal, int] = {}
    if row.spam_links:
        found.append(
            (CandidateSignal.SPAM_MARKED,
             f"{row.spam_links} of {row.links} links marked spam by the export")
        )  # fmt: skip
    if row.toxicity is not None and row.toxicity >= t.toxicity_score:
        found.append(
            (CandidateSignal.TOXIC_SCORE,
             f"toxicity score {row.toxicity:g} (threshold {t.toxicity_score:g})")
        )  # fmt: skip
    if row.toxic_markers:
        found.append(
            (CandidateSignal.TOXIC_MARKERS, "toxic markers: " + ", ".join(row.toxic_markers))
        )
    exact = row.anchor_categories[AnchorCategory.EXACT_MATCH]
    # Nofollow-only links pass nothing: disavowing them changes nothing.
    if has_keywords and exact and row.nofollow_links < row.links:
        detail = f"{exact} of {row.links} links use an exact-match keyword anchor"
        standing = _standing(authority)
        if authority is not None and standing > 0:
            detail += f", from a site beyond the top 10 million ({authority.evidence})"
        elif authority is not None and standing < 0:
            detail += f", from a well-known site ({authority.evidence}): weighs less"
        adjust[CandidateSignal.EXACT_MATCH_ANCHOR] = standing
        found.append((CandidateSignal.EXACT_MATCH_ANCHOR, detail))
    if row.is_sitewide(t):
        marked = f", {row.sitewide_marked} marked sitewide" if row.sitewide_marked else ""
        found.append((CandidateSignal.SITEWIDE, f"sitewide: {row.links} links{marked}"))
    if row.external_links is not None and row.external_links >= t.link_farm_external_links:
        found.append(
            (CandidateSignal.LINK_FARM,
             (f"a linking page has {row.external_links:,} external links "
              f"(threshold {t.link_farm_external_links:,})"))
        )  # fmt: skip
    clusters = sorted(s for s in row.subnets if clustered.get(s, 0) >= t.subnet_min_domains)
    if clusters:
        found.append(
            (CandidateSignal.SUBNET_CLUSTER,
             "; ".join(f"{s} hosts {clustered[s]} referring domains" for s in clusters))
        )  # fmt: skip
    reasons = [
        CandidateReason(
            signal=signal, weight=_WEIGHTS[signal] + adjust.get(signal, 0), detail=detail
        )
        for signal, detail in found
    ]
    reasons.sort(key=lambda r: -r.weight)  # stable: rule order among equals
    return reasons


def disavow_candidates(
    profile_or_backlinks: LinkProfile | Iterable[Backlink],
    *,
    domain: str | None = None,
    brands: Iterable[str] = (),
    keywords: Iterable[str] = (),
    generic_phrases: Iterable[str] | None = None,
    classifier: AnchorClassifier | None = None,
    allow: Iterable[str] = (),
    own_domains: Iterable[str] = (),
    thresholds: Thresholds | None = None,
    authority: Mapping[str, WebGraphRank | ImportedAuthority] | None = None,
) -> tuple[DisavowCandidate, ...]:
    """Referring domains worth reviewing for a disavow file, each with its reasons.

    Reasons and weights: spam marked by the export (Ahrefs "Is spam", 3), Semrush toxicity score
    at or above `Thresholds.toxicity_score` (3), exact-match keyword anchors on links that are
    not all nofollow (2), a linking page with at least `link_farm_external_links` external
    links (2), Semrush toxic markers (1), sitewide linking (1), a /24 subnet shared with at
    least `subnet_min_domains` referring domains (1). A domain is proposed when its
    score reaches `Thresholds.candidate_min_score` (2).

    Authority is evidence on exact-match anchors: from a site beyond the top 10 million
    (`AuthorityBucket.BEYOND_10M`) they weigh 3, from a well-known site (Common Crawl harmonic
    centrality position up to 1,000, or a tool score in the top-10k band) 1; the reason says
    which rank or score it went by. The authority is `ReferringDomain.authority` (the
    profile's `authority`, else the exports' scores), or the `authority` given here. Whether
    a site is topically related is not something the numbers know: that, and the decision,
    are the reviewer's.

    Args:
        profile_or_backlinks: a `LinkProfile`, or backlinks to profile (then `domain` is needed).
        domain: the target site, when backlinks are given (ignored for a profile).
        brands: the target's brands, when backlinks are given.
        keywords: the target's money keywords, when backlinks are given.
        generic_phrases: the classifier's generic phrases, when backlinks are given.
        classifier: the target's `AnchorClassifier`, when backlinks are given (instead of
            brands, keywords and generic phrases).
        allow: domains never to propose: an entry covers its subdomains, and a candidate whose
            `domain:` line would cover an allowed host is not proposed either. Hosts, URLs or
            `domain:` lines.
        own_domains: more domains of the site owner's (the target's own site is always out).
        thresholds: the settings; `Thresholds()` if None.
        authority: ranks by registrable domain (`read_web_graph_ranks`) to judge by instead
            of the profile's; a domain not listed keeps its own.

    Returns:
        The candidates, highest score first (then most links, then name).

    Raises:
        TypeError: backlinks were given without `domain`.
        InvalidURLError: an `allow` or `own_domains` entry is not a host, URL or domain line.

    >>> from backlinkkit import Backlink
    >>> links = [Backlink(f"https://spam.test/{i}", anchor="cheap shoes", nofollow=False,
    ...                   sponsored=False, ugc=False, spam=True)
    ...          for i in range(3)]
    >>> [c.domain for c in disavow_candidates(links, domain="example.com")]
    ['spam.test']
    >>> disavow_candidates(links, domain="example.com", allow=["spam.test"])
    ()

    An exact-match anchor from a site with a low score weighs more, and the reason says why:

    >>> from backlinkkit import AuthorityMetric, ImportedAuthority
    >>> money = [Backlink("https://pbn.test/1", anchor="cheap shoes", nofollow=False,
    ...                   sponsored=False, ugc=False)]
    >>> (c,) = disavow_candidates(money, domain="example.com", keywords=["cheap shoes"],
    ...     authority={"pbn.test": ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 3)})
    >>> c.score, c.reasons[0].detail.split(", ", 1)[1]
    (3, 'from a site beyond the top 10 million (domain_rating 3)')
    """
    t = thresholds or Thresholds()
    if isinstance(profile_or_backlinks, LinkProfile):
        profile = profile_or_backlinks
    else:
        if domain is None:
            raise TypeError("disavow_candidates needs domain= when given backlinks")
        profile = LinkProfile(
            domain,
            brands=brands,
            keywords=keywords,
            generic_phrases=generic_phrases,
            classifier=classifier,
        )
        profile.update(profile_or_backlinks)
    excluded = [_host(entry) for entry in (*allow, *own_domains)]
    excluded.append(profile.domain)
    measures = profile._measure()  # noqa: SLF001 - the profile's own measures
    rows = measures.domains
    clustered = {row.subnet: row.domains for row in measures.subnets}
    has_keywords = bool(profile.keywords)
    candidates = []
    for row in rows:
        if any(_related(row.domain, host) for host in excluded):
            continue
        rank = None if authority is None else authority.get(row.domain)
        reasons = _reasons(row, clustered, has_keywords, t, rank or row.authority)
        score = sum(r.weight for r in reasons)
        if score < t.candidate_min_score:
            continue
        candidates.append(
            DisavowCandidate(
                domain=row.domain,
                score=score,
                severity=Severity.CRITICAL if score >= _CRITICAL_SCORE else Severity.WARNING,
                reasons=tuple(reasons),
                links=row.links,
            )
        )
    candidates.sort(key=lambda c: (-c.score, -c.links, c.domain))
    return tuple(candidates)
