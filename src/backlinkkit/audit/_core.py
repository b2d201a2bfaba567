"""`audit()`: several exports in, one `AuditResult` out (profile, flags, candidates, disavow)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Final, TypeAlias

import attrs

from .. import (
    LinkGap,
    ProfileDiff,
    TargetCheck,
    WebGraphRanks,
    diff_profiles,
    link_gap,
    read_web_graph_ranks,
)
from .._backlink import Backlink
from .._compare._profile_counts import domain_counts
from .._disavow._file import DisavowEntry, DisavowFile, InvalidLines
from .._disavow._rules import DisavowProblem, DisavowProblemCode
from .._errors import DisavowError, DisavowLimitError, ExportFormatError
from .._importers._reader import ExportReader, RejectedRow, read_backlinks
from .._importers._tool_headers import ExportFormat, normalize_header
from .._profile._candidates import DisavowCandidate, disavow_candidates
from .._profile._flags import Flag, Severity
from .._profile._link_profile import LinkProfile
from .._profile._thresholds import Thresholds
from ._compare import (
    TARGETS_PROGRESS,
    Competitor,
    TargetCollector,
    authority_dict,
    diff_dict,
    gap_dict,
    targets_dict,
)
from ._merge import LinkMerger, signal_columns
from ._settings import parse_allow_list

if TYPE_CHECKING:
    from ..fetch import Fetcher
    from ._write import WrittenOutputs

__all__ = [
    "SCHEMA",
    "AuditInput",
    "AuditResult",
    "DisavowProposal",
    "Evidence",
    "Export",
    "Rejection",
    "audit",
]

SCHEMA: Final = "backlinkkit.audit/1"
"""The `schema` value of `summary.json`: a new one when a key changes meaning or goes away."""

Stream: TypeAlias = "IO[bytes] | IO[str]"
Export: TypeAlias = "IO[bytes] | IO[str] | tuple[str, IO[bytes] | IO[str]]"
"""An export for `audit`: a stream, or a (name, stream) pair naming it in the accounting."""

# How many rows of each kind summary.json lists: the full tables are the CSV files.
_JSON_TOP: Final = 20
_SEVERITY_ORDER: Final = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


@attrs.frozen(kw_only=True)
class AuditInput:
    """One export of an audit and its accounting: `rows == links + duplicates + rejected`.

    Attributes:
        name: the export's name (its path, for the command).
        format: the export format detected.
        encoding: the codec its bytes were read with (None for a text stream).
        rows: data rows read (blank lines are not rows).
        accepted: rows read as backlinks.
        rejected: rows that could not be read (see `AuditResult.rejected`).
        duplicates: accepted rows that were a link already read (from this export or another),
            merged into it.
        links: accepted rows that were a new link.
    """

    name: str
    format: ExportFormat
    encoding: str | None
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    links: int

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record (`path` is the name; format by its value)."""
        return {
            "path": self.name,
            "format": self.format.value,
            "encoding": self.encoding,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "links": self.links,
        }


@attrs.frozen(kw_only=True)
class Rejection:
    """A row an export's reader refused, and the export it was in.

    Attributes:
        input: the export's name.
        row: the row, with its line, column and reason.
    """

    input: str
    row: RejectedRow


@attrs.frozen(kw_only=True)
class Evidence:
    """A link behind a disavow candidate, to look at before deciding.

    Attributes:
        source_url: the linking page, as the export wrote it.
        anchor: its anchor text, when known.
        target_url: the page it links to, when known.
    """

    source_url: str
    anchor: str | None
    target_url: str | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record."""
        return {"source_url": self.source_url, "anchor": self.anchor, "target_url": self.target_url}


@attrs.frozen(kw_only=True)
class DisavowProposal:
    """The disavow file the audit proposes: the current file (if any) with the candidates added.

    Attributes:
        content: the file to review and upload, as bytes (the current file's lines exactly as
            they were, new entries appended), or None when it cannot be made (see `problems`).
        kept: entries of the current file, all kept.
        added: entries added for candidates (each under a comment with its reasons).
        problems: what Google would refuse in it (lines of the current file, which are written
            commented out, and candidates that cannot be an entry), or why there is no file.
    """

    content: bytes | None
    kept: int
    added: tuple[DisavowEntry, ...]
    problems: tuple[DisavowProblem, ...]

    @property
    def text(self) -> str | None:
        """`content` as text (undecodable bytes of the current file shown as U+FFFD)."""
        return None if self.content is None else self.content.decode("utf-8", "replace")

    def to_dict(self) -> dict[str, object]:
        """The `disavow` record of summary.json."""
        return {
            "file": None if self.content is None else "disavow.txt",
            "kept": self.kept,
            "added": len(self.added),
            "entries_added": [entry.line for entry in self.added],
            "problems": [
                {"line": p.line, "code": p.code.value, "reason": p.reason, "text": p.text}
                for p in self.problems
            ],
        }


@attrs.frozen(kw_only=True, eq=False)
class AuditResult:
    """What an audit found: the inputs' accounting, the profile, flags, candidates, disavow file.

    Render it with `write` (every output file) or `render_report` (the HTML report alone).
    The profile is the audit's own: read it, do not update it.

    Attributes:
        site: the audited site (host, lower-case punycode).
        inputs: each export's accounting, in the order given.
        profile: the link profile of the merged, distinct links.
        thresholds: the settings the flags and candidates were judged by.
        flags: the profile's flags.
        candidates: the disavow candidates, allowed domains left out.
        allow: the allow-list entries that were applied.
        evidence: for each candidate domain, the first few links seen from it.
        disavow: the proposed disavow file.
        rejected: every rejected row, by export (competitors' and previous exports' too).
        date: the audit's date (on the disavow file's comments and the report).
        competitors: the competitors given, with their exports' accounting and profiles.
        gap: the link gap against them (`link_gap`), or None without competitors.
        previous_inputs: the previous snapshot's exports' accounting.
        diff: what changed since the previous snapshot (`diff_profiles(previous, profile)`),
            or None without one.
        targets: the site's target URLs checked (`check_targets`), or None when not asked.
        ranks: the Common Crawl web graph ranks read for the referring domains (the site's and
            the competitors'), or None without a ranks file.
    """

    site: str
    inputs: tuple[AuditInput, ...]
    profile: LinkProfile
    thresholds: Thresholds
    flags: tuple[Flag, ...]
    candidates: tuple[DisavowCandidate, ...]
    allow: tuple[str, ...]
    evidence: Mapping[str, tuple[Evidence, ...]]
    disavow: DisavowProposal
    rejected: tuple[Rejection, ...]
    date: dt.date
    competitors: tuple[Competitor, ...] = ()
    gap: LinkGap | None = None
    previous_inputs: tuple[AuditInput, ...] = ()
    diff: ProfileDiff | None = None
    targets: tuple[TargetCheck, ...] | None = None
    ranks: WebGraphRanks | None = None

    @property
    def rows(self) -> int:
        """Data rows read over every export."""
        return sum(i.rows for i in self.inputs)

    @property
    def links(self) -> int:
        """Distinct links after merging (backlinks, plus any from the site itself)."""
        return sum(i.links for i in self.inputs)

    @property
    def duplicates(self) -> int:
        """Rows merged into a link already read."""
        return sum(i.duplicates for i in self.inputs)

    def flags_at_least(self, severity: Severity) -> tuple[Flag, ...]:
        """The flags of `severity` or worse (`INFO` < `WARNING` < `CRITICAL`)."""
        floor = _SEVERITY_ORDER[severity]
        return tuple(f for f in self.flags if _SEVERITY_ORDER[f.severity] >= floor)

    def write(self, directory: str | os.PathLike[str], *, report: bool = True) -> WrittenOutputs:
        """Write every output file into `directory` (made if missing), each one atomically.

        See `write_outputs`, which this calls.
        """
        from ._write import write_outputs  # noqa: PLC0415 - the writer imports this module

        return write_outputs(self, directory, report=report)

    def to_dict(self) -> dict[str, object]:
        """The content of summary.json (schema `backlinkkit.audit/1`), JSON-ready, stable keys."""
        accepted = sum(i.accepted for i in self.inputs)
        return {
            "schema": SCHEMA,
            "date": self.date.isoformat(),
            "site": self.site,
            "inputs": [i.to_dict() for i in self.inputs],
            "totals": {
                "rows": self.rows,
                "accepted": accepted,
                "rejected": self.rows - accepted,
                "duplicates": self.duplicates,
                "links": self.links,
            },
            "thresholds": attrs.asdict(self.thresholds),
            "profile": self.profile.to_dict(top=_JSON_TOP, thresholds=self.thresholds),
            "candidates": [
                {
                    **c.to_dict(),
                    "evidence": [e.to_dict() for e in self.evidence.get(c.domain, ())],
                }
                for c in self.candidates
            ],
            "allow": list(self.allow),
            "disavow": self.disavow.to_dict(),
            "gap": None if self.gap is None else gap_dict(self.gap, self.competitors),
            "previous": None if self.diff is None else diff_dict(self.diff, self.previous_inputs),
            "targets": None if self.targets is None else targets_dict(self.targets),
            "authority": None if self.ranks is None else authority_dict(self.ranks, self.profile),
        }


def _named(exports: Iterable[Export]) -> list[tuple[str, Stream]]:
    named: list[tuple[str, Stream]] = []
    for number, export in enumerate(exports, 1):
        if isinstance(export, tuple):
            name, stream = export
        else:
            name, stream = str(getattr(export, "name", f"export {number}")), export
        named.append((name, stream))
    return named


def _knows_anchors(reader: ExportReader[Backlink]) -> bool:
    if reader.format is ExportFormat.SEARCH_CONSOLE_LINKS:
        return False
    if reader.format is ExportFormat.GENERIC:
        return "anchor" in {normalize_header(cell) for cell in reader.header}
    return True


def _signal_columns(reader: ExportReader[Backlink]) -> tuple[str, ...] | None:
    # The generic layout's `extra` column holds JSON objects of any keys: look in each row.
    if reader.format is ExportFormat.GENERIC and "extra" in (
        h.strip().lower() for h in reader.header
    ):
        return None
    return signal_columns(reader.header)


def _open(named: list[tuple[str, Stream]]) -> list[tuple[int, str, ExportReader[Backlink]]]:
    opened = []
    for index, (name, stream) in enumerate(named):
        try:
            reader = read_backlinks(stream, errors="collect")
        except ExportFormatError as error:
            raise ExportFormatError(f"{name}: {error}") from None
        opened.append((index, name, reader))
    # Exports that know anchors first: a row that knows less then meets the links it joins.
    opened.sort(key=lambda item: not _knows_anchors(item[2]))
    return opened


def _evidence(
    merger: LinkMerger, candidates: tuple[DisavowCandidate, ...]
) -> dict[str, tuple[Evidence, ...]]:
    wanted = {c.domain for c in candidates}
    found: dict[str, list[Evidence]] = {}
    for host, links in merger.samples.items():
        # A candidate is a registrable domain: the host itself, or one of its parents.
        labels = host.split(".")
        parents = (".".join(labels[i:]) for i in range(len(labels)))
        domain = next((d for d in parents if d in wanted), None)
        if domain is not None:
            bucket = found.setdefault(domain, [])
            bucket.extend(Evidence(source_url=u, anchor=a, target_url=t) for u, a, t in links)
    return {domain: tuple(links[:5]) for domain, links in found.items()}


def _propose(
    candidates: tuple[DisavowCandidate, ...], current: str | bytes | None, date: dt.date
) -> DisavowProposal:
    entries: list[DisavowEntry] = []
    problems: list[DisavowProblem] = []
    for candidate in candidates:
        try:
            entries.append(candidate.to_entry())
        except DisavowError as error:
            problems.append(DisavowProblem(None, DisavowProblemCode.DOMAIN_INVALID, str(error)))
    if current is None:
        file = DisavowFile.from_entries(entries, date=date)
        kept, added = 0, tuple(file)
    else:
        file = DisavowFile.parse(current, date=date)
        kept = len(file)
        added = file.merge(DisavowFile.from_entries(entries, date=date)).added
    problems[:0] = file.validate()
    try:
        content: bytes | None = file.to_bytes(invalid=InvalidLines.COMMENT_OUT)
    except DisavowLimitError as error:
        content = None
        problems.append(DisavowProblem(None, DisavowProblemCode.TOO_MANY_LINES, str(error)))
    return DisavowProposal(content=content, kept=kept, added=added, problems=tuple(problems))


def audit(
    exports: Iterable[Export],
    *,
    site: str,
    brands: str | Iterable[str] = (),
    keywords: str | Iterable[str] = (),
    allow: str | bytes | Iterable[str] = (),
    current_disavow: str | bytes | None = None,
    thresholds: Thresholds | None = None,
    date: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
    competitors: Mapping[str, Iterable[Export]] | None = None,
    min_competitors: int = 1,
    previous: Iterable[Export] = (),
    ranks: IO[bytes] | None = None,
    check_targets: bool = False,
    fetcher: Fetcher | None = None,
) -> AuditResult:
    r"""Audit a site's backlinks from exports of one or several tools.

    Each export is read with format detection (`read_backlinks`, bad rows collected), the rows
    of all of them merged into distinct links (the identity rule is in the docs: the same link
    from two tools, or twice from one, counts once, and what each tool knows is combined), the
    links profiled, flagged and searched for disavow candidates, and the candidates merged into
    the current disavow file. Nothing is opened or written here: see `AuditResult.write`.

    The comparisons are optional: competitors' exports (each merged the same way) give the link
    gap (`link_gap`); a previous snapshot's exports give what changed (`diff_profiles`); a
    Common Crawl ranks file gives the referring domains' authority (`read_web_graph_ranks`);
    `check_targets` fetches each target URL of the site once (`check_targets`, with the
    `fetch` extra), the only part of the audit that uses the network.

    Args:
        exports: the exports, as binary or text streams, or (name, stream) pairs.
        site: the audited site (a host, or a URL on it).
        brands: its brand names.
        keywords: its money keywords.
        allow: domains or URLs never to propose: the text of a file in disavow-file syntax
            (`domain:` lines, URLs, `#` comments), or the entries themselves.
        current_disavow: the site's current disavow file (its text), kept and merged into.
        thresholds: the settings; `Thresholds()` if None.
        date: the audit's date (for the disavow file's comments); today (UTC) if None.
        progress: called with (export name, rows read so far) while an export is read, and
            with (`TARGETS_PROGRESS`, URLs checked so far) while targets are checked.
        competitors: each competitor's site and its exports, for the link gap.
        min_competitors: the gap's `k`: how many competitors a domain must link to.
        previous: the exports of an earlier snapshot of the site, for the diff.
        ranks: a Common Crawl web graph ranks file (binary stream, gzip or plain), read for
            the referring domains of the site and its competitors.
        check_targets: check the site's target URLs for broken pages and redirects.
        fetcher: the `Fetcher` for the checks; a default one if None.

    Returns:
        The immutable result.

    Raises:
        ExportFormatError: an export cannot be read at all (unknown format, undecodable bytes);
            the message starts with the export's name.
        AuditError: the allow list has a line that is not an entry.
        InvalidURLError: `site` (or a competitor's) is not a host name or URL.
        ComparisonError: a competitor is the site itself or given twice, or `min_competitors`
            is out of range.
        AuthorityError: the ranks file is not one, or has a malformed row.
        MissingDependencyError: `check_targets` without the `fetch` extra.

    >>> import io
    >>> tool = io.StringIO("source_url,target_url,anchor\nhttps://blog.test/p,https://site.test/,Site\n")
    >>> console = io.StringIO("Linking page,Last crawled\nhttps://blog.test/p,2026-11-02\n")
    >>> result = audit([("tool.csv", tool), ("console.csv", console)], site="site.test")
    >>> [(i.name, i.rows, i.links, i.duplicates) for i in result.inputs]
    [('tool.csv', 1, 1, 0), ('console.csv', 1, 0, 1)]
    >>> result.profile.referring_domains()[0].last_seen
    datetime.date(2026, 11, 2)
    """
    t = thresholds or Thresholds()
    day = date or dt.datetime.now(dt.UTC).date()
    allowed = parse_allow_list(allow) if isinstance(allow, (str, bytes)) else tuple(allow)
    if check_targets:
        from .. import check_targets as check  # noqa: PLC0415 - needs the fetch extra

    profile = LinkProfile(site, brands=brands, keywords=keywords)
    collector = TargetCollector(profile.domain) if check_targets else None
    inputs, rejected, merger = _read_into(profile, exports, progress, collector)
    rivals = []
    for name, rival_exports in (competitors or {}).items():
        # The site's money keywords classify the competitors' anchors too, as `gap` does:
        # the gap compares how each site is linked for the same market.
        rival = LinkProfile(name, keywords=keywords)
        rival_inputs, rival_rejected, _ = _read_into(rival, rival_exports, progress, None)
        rejected.extend(rival_rejected)
        rivals.append(Competitor(domain=rival.domain, inputs=tuple(rival_inputs), profile=rival))
    previous_inputs: tuple[AuditInput, ...] = ()
    diff = None
    previous_exports = list(previous)
    if previous_exports:
        before = LinkProfile(site, brands=brands, keywords=keywords)
        before_inputs, before_rejected, _ = _read_into(before, previous_exports, progress, None)
        rejected.extend(before_rejected)
        previous_inputs = tuple(before_inputs)
        diff = diff_profiles(before, profile, thresholds=t)
    read_ranks = None
    if ranks is not None:
        # The names alone, from the counts: measuring every competitor is the gap's to skip.
        names = {name for p in (profile, *(r.profile for r in rivals)) for name in domain_counts(p)}
        read_ranks = read_web_graph_ranks(ranks, names)
    gap = None
    if rivals:
        gap = link_gap(
            profile,
            [r.profile for r in rivals],
            min_competitors=min_competitors,
            authority=read_ranks,
        )
    checks = None
    if collector is not None:
        report = None
        if progress is not None:
            report = _target_reporter(progress)
        checks = check(collector.targets, fetcher=fetcher, progress=report)
    candidates = disavow_candidates(profile, allow=allowed, thresholds=t, authority=read_ranks)
    return AuditResult(
        site=profile.domain,
        inputs=tuple(inputs),
        profile=profile,
        thresholds=t,
        flags=profile.flags(t),
        candidates=candidates,
        allow=allowed,
        evidence=_evidence(merger, candidates),
        disavow=_propose(candidates, current_disavow, day),
        rejected=tuple(rejected),
        date=day,
        competitors=tuple(rivals),
        gap=gap,
        previous_inputs=previous_inputs,
        diff=diff,
        targets=checks,
        ranks=read_ranks,
    )


def _read_into(
    profile: LinkProfile,
    exports: Iterable[Export],
    progress: Callable[[str, int], None] | None,
    collector: TargetCollector | None,
) -> tuple[list[AuditInput], list[Rejection], LinkMerger]:
    """Read and merge `exports` into `profile`: each export's accounting, its rejected rows."""
    named = _named(exports)
    merger = LinkMerger()
    tallies = {}
    for index, name, reader in _open(named):
        report = None if progress is None else _reporter(progress, name, reader)
        try:
            tally = merger.add(reader, signal_columns=_signal_columns(reader), progress=report)
            tallies[index] = (reader, tally)
        except ExportFormatError as error:
            raise ExportFormatError(f"{name}: {error}") from None
    backlinks = merger.backlinks()
    profile.update(backlinks if collector is None else collector.watch(backlinks))
    inputs = []
    rejected: list[Rejection] = []
    for index, (name, _) in enumerate(named):
        reader, tally = tallies[index]
        inputs.append(
            AuditInput(
                name=name,
                format=reader.format,
                encoding=reader.encoding,
                rows=reader.rows,
                accepted=reader.accepted,
                rejected=len(reader.rejected),
                duplicates=tally.duplicates,
                links=tally.links,
            )
        )
        rejected.extend(Rejection(input=name, row=row) for row in reader.rejected)
    return inputs, rejected, merger


def _reporter(
    progress: Callable[[str, int], None], name: str, reader: ExportReader[Backlink]
) -> Callable[[int], None]:
    def report(_accepted: int) -> None:
        progress(name, reader.rows)

    return report


def _target_reporter(progress: Callable[[str, int], None]) -> Callable[[int, int], None]:
    def report(done: int, _total: int) -> None:
        progress(TARGETS_PROGRESS, done)

    return report
