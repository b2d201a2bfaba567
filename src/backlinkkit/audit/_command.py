"""`backlinkkit audit`: exports in; report.html, summary.json, tables and disavow.txt out.

Exit status: 0 done; 1 an input was refused (unknown export format, undecodable bytes, a bad
thresholds file, allow list or ranks file), with the reason; 2 usage (bad arguments, a --site
or competitor that is not a host name, --check-targets without the fetch extra, a file that
cannot be read, an output directory that cannot be written); 3 `--fail-on` was given and a
flag of that severity or worse was raised. Progress goes to standard error, only on a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, TextIO

from .. import LinkProfile
from .._cli import Console, subcommand
from .._errors import BacklinkkitError, InvalidURLError
from .._profile._flags import Severity
from ._compare import TARGETS_PROGRESS
from ._core import AuditResult, audit
from ._example import EXAMPLE
from ._settings import load_thresholds, parse_allow_list
from ._write import WrittenOutputs

if TYPE_CHECKING:
    from ..fetch import Fetcher

__all__ = ["EXIT_FLAGGED", "EXIT_REFUSED", "EXIT_USAGE", "run"]

EXIT_REFUSED: Final = 1
EXIT_USAGE: Final = 2
EXIT_FLAGGED: Final = 3
_PROG: Final = "backlinkkit audit"


_DESCRIPTION: Final = (
    "Read backlink exports (Search Console, Ahrefs, Semrush, Majestic, backlinkkit's generic "
    "layout), merge them into distinct links, and write report.html, summary.json, domains.csv, "
    "anchors.csv, candidates.csv, rejected.csv and disavow.txt into the output directory. "
    "Exit status 3: --fail-on matched. Example: backlinkkit audit --example"
)


def _arguments(parser: argparse.ArgumentParser) -> None:
    """The `audit` subcommand's arguments."""
    parser.add_argument("exports", nargs="*", metavar="EXPORT", help="an export file")
    parser.add_argument(
        "--example", action="store_true", help="audit the example exports that ship with it"
    )
    parser.add_argument("--site", metavar="DOMAIN", help="the audited site, e.g. example.com")
    parser.add_argument(
        "--brand", action="append", default=[], metavar="NAME", help="a brand name (repeatable)"
    )
    parser.add_argument(
        "--keyword",
        action="append",
        default=[],
        metavar="PHRASE",
        help="a money keyword (repeatable)",
    )
    parser.add_argument(
        "--allow", metavar="FILE", help="domains or URLs never to propose (disavow-file syntax)"
    )
    parser.add_argument(
        "--disavow", metavar="CURRENT.txt", help="the site's current disavow file, to merge into"
    )
    parser.add_argument(
        "--thresholds", metavar="FILE.toml", help="Thresholds settings to change (TOML)"
    )
    parser.add_argument(
        "--out",
        default="backlinkkit-audit",
        metavar="DIR",
        help="the output directory (default: backlinkkit-audit/)",
    )
    parser.add_argument(
        "--fail-on",
        choices=[Severity.WARNING.value, Severity.CRITICAL.value],
        help="exit with status 3 when a flag of this severity or worse is raised",
    )
    parser.add_argument(
        "--competitor",
        action="append",
        default=[],
        metavar="DOMAIN=EXPORT",
        help="a competitor's export, for the link gap (repeatable; repeat a DOMAIN for several)",
    )
    parser.add_argument(
        "--min-competitors",
        type=int,
        default=1,
        metavar="K",
        help="the competitors a domain must link to, to be in the gap (default 1)",
    )
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="EXPORT",
        help="an export of an earlier snapshot, for what changed since (repeatable)",
    )
    parser.add_argument(
        "--check-targets",
        action="store_true",
        help="fetch each target URL once, to find broken pages (needs backlinkkit[fetch])",
    )
    parser.add_argument(
        "--ranks",
        metavar="FILE",
        help="a Common Crawl web graph ranks file (.txt or .gz), for the domains' authority",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


@subcommand(
    "audit",
    summary="audit a site's backlinks: report, tables and a disavow file",
    description=_DESCRIPTION,
    arguments=_arguments,
)
def _audit(args: argparse.Namespace, console: Console) -> int:
    # Its files are what an audit is for: a closed or broken standard output does not stop it
    # (`run` prints the summary if it can), so it gets the stream itself, not `console.out`.
    del console
    return run(args, sys.stdout)


class _CommandError(Exception):
    """Stop with a message and an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise _CommandError(f"cannot read {what} {path}: {error.strerror}", EXIT_USAGE) from None


def _check_usage(args: argparse.Namespace) -> None:
    if args.example:
        given = [
            name
            for name, value in (
                ("EXPORT", args.exports),
                ("--site", args.site),
                ("--brand", args.brand),
                ("--keyword", args.keyword),
                ("--allow", args.allow),
                ("--disavow", args.disavow),
                ("--competitor", args.competitor),
                ("--previous", args.previous),
                ("--check-targets", args.check_targets),
                ("--ranks", args.ranks),
            )
            if value
        ]
        if given:
            raise _CommandError(f"--example takes no {', '.join(given)}", EXIT_USAGE)
        return
    if not args.exports:
        raise _CommandError("give at least one EXPORT file, or --example", EXIT_USAGE)
    if not args.site:
        raise _CommandError("--site is required (the domain the backlinks point to)", EXIT_USAGE)
    for flag, domain in (
        ("--site", args.site),
        *(("--competitor", d) for d in _competitors(args.competitor)),
    ):
        try:
            LinkProfile(domain)
        except InvalidURLError as error:
            raise _CommandError(f"{flag} {domain!r}: {error}", EXIT_USAGE) from None
    site = LinkProfile(args.site).domain
    competitors = _competitors(args.competitor)
    for domain in competitors:
        if LinkProfile(domain).domain == site:
            raise _CommandError(f"--competitor {domain} is the site itself (--site)", EXIT_USAGE)
    if competitors and not 1 <= args.min_competitors <= len(competitors):
        raise _CommandError(
            f"--min-competitors must be from 1 to the number of competitors "
            f"({len(competitors)}), not {args.min_competitors}",
            EXIT_USAGE,
        )
    if args.check_targets and importlib.util.find_spec("requests") is None:
        raise _CommandError(
            "--check-targets needs the fetch extra: pip install 'backlinkkit[fetch]'", EXIT_USAGE
        )


def _competitors(values: Sequence[str]) -> dict[str, list[str]]:
    """`--competitor DOMAIN=EXPORT` values, grouped by domain (in the order first given)."""
    grouped: dict[str, list[str]] = {}
    for value in values:
        domain, equals, path = value.partition("=")
        if not equals or not domain.strip() or not path:
            raise _CommandError(
                f"--competitor takes DOMAIN=EXPORT (e.g. rival.com=rival-ahrefs.csv): {value!r}",
                EXIT_USAGE,
            )
        grouped.setdefault(domain.strip(), []).append(path)
    return grouped


def _target_fetcher() -> Fetcher | None:
    """The fetcher `--check-targets` uses: None, for `check_targets`' own polite default."""
    return None


class _Progress:
    """Rows read and rows a second, per export, on one terminal line each."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._name: str | None = None
        self._start = time.perf_counter()

    def __call__(self, name: str, rows: int) -> None:
        if name != self._name:
            self.close()
            self._name, self._start = name, time.perf_counter()
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        unit = "URLs checked" if name == TARGETS_PROGRESS else "rows"
        self._stream.write(f"\r  {name}: {rows:,} {unit}, {rows / elapsed:,.0f} {unit}/s")
        self._stream.flush()

    def close(self) -> None:
        if self._name is not None:
            self._stream.write("\n")
            self._stream.flush()
            self._name = None


def _run_audit(
    args: argparse.Namespace, progress: Callable[[str, int], None] | None
) -> AuditResult:
    thresholds = None
    if args.thresholds:
        data = _read(args.thresholds, "thresholds file")
        thresholds = load_thresholds(data, name=args.thresholds)
    if args.example:
        exports: list[tuple[str, IO[bytes]]] = [
            (name, io.BytesIO(EXAMPLE.read(name))) for name in EXAMPLE.exports
        ]
        return audit(
            exports,
            site=EXAMPLE.site,
            brands=EXAMPLE.brands,
            keywords=EXAMPLE.keywords,
            allow=EXAMPLE.read("allow.txt"),
            current_disavow=EXAMPLE.read("current-disavow.txt"),
            thresholds=thresholds,
            progress=progress,
        )
    allow_entries: tuple[str, ...] = ()
    if args.allow:
        allow_entries = parse_allow_list(_read(args.allow, "allow list"), name=args.allow)
    current = _read(args.disavow, "disavow file") if args.disavow else None
    with contextlib.ExitStack() as stack:

        def opened(paths: Sequence[str]) -> list[tuple[str, IO[bytes]]]:
            streams: list[tuple[str, IO[bytes]]] = []
            for path in paths:
                try:
                    streams.append((path, stack.enter_context(Path(path).open("rb"))))
                except OSError as error:
                    raise _CommandError(
                        f"cannot read {path}: {error.strerror}", EXIT_USAGE
                    ) from None
            return streams

        exports = opened(args.exports)
        competitors = {
            domain: opened(paths) for domain, paths in _competitors(args.competitor).items()
        }
        previous = opened(args.previous)
        ranks = opened([args.ranks])[0][1] if args.ranks else None
        try:
            return audit(
                exports,
                site=args.site,
                brands=args.brand,
                keywords=args.keyword,
                allow=allow_entries,
                current_disavow=current,
                thresholds=thresholds,
                progress=progress,
                competitors=competitors,
                min_competitors=args.min_competitors,
                previous=previous,
                ranks=ranks,
                check_targets=args.check_targets,
                fetcher=_target_fetcher() if args.check_targets else None,
            )
        except OSError as error:
            raise _CommandError(f"cannot read an export: {error}", EXIT_USAGE) from None


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def summary_lines(result: AuditResult, written: WrittenOutputs) -> list[str]:
    """The short summary the command prints: counts, flags by severity, where the files are."""
    s = result.profile.summary()
    rejected = sum(i.rejected for i in result.inputs)
    lines = [
        f"backlinkkit audit of {result.site} ({result.date.isoformat()})",
        (
            f"inputs   {_plural(len(result.inputs), 'export')}: {result.rows:,} rows = "
            f"{result.links:,} links + {result.duplicates:,} duplicates + {rejected:,} rejected"
        ),
    ]
    width = max([len("export"), *(len(i.name) for i in result.inputs)])
    lines.append(
        f"  {'export':<{width}}  {'format':<20} {'rows':>10} {'links':>10} {'duplicates':>10} "
        f"{'rejected':>9}"
    )
    lines.extend(
        f"  {i.name:<{width}}  {i.format.value:<20} {i.rows:>10,} {i.links:>10,} "
        f"{i.duplicates:>10,} {i.rejected:>9,}"
        for i in result.inputs
    )
    skipped = ""
    if s.own_links or s.unparsed_links:
        skipped = (
            f"; skipped: {_plural(s.own_links, 'link')} from the site itself, "
            f"{s.unparsed_links:,} not from an http(s) page"
        )
    lines.append(
        f"profile  {_plural(s.backlinks, 'backlink')} from "
        f"{_plural(s.referring_domains, 'referring domain')}{skipped}"
    )
    counts = dict.fromkeys(Severity, 0)
    for flag in result.flags:
        counts[flag.severity] += 1
    lines.append(
        f"flags    {counts[Severity.CRITICAL]} critical, {counts[Severity.WARNING]} warning, "
        f"{counts[Severity.INFO]} info"
    )
    order = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for flag in sorted(result.flags, key=lambda f: order[f.severity]):
        about = f" {flag.subject}" if flag.subject else ""
        lines.append(f"  {flag.severity.value:<8} {flag.name.value}{about}")
    p = result.disavow
    if p.content is None:
        state = "not written: " + "; ".join(str(problem) for problem in p.problems[-1:])
    else:
        state = (
            f"{_plural(p.kept, 'entry')} kept, {len(p.added):,} added; review it before uploading"
        ).replace("entrys", "entries")
    lines.append(f"disavow  {_plural(len(result.candidates), 'candidate')}; disavow.txt: {state}")
    report = written.report
    lines.append(f"files    {written.directory.resolve()}{os.sep}")
    if report is not None:
        lines.append(f"report   {report.resolve()}")
    return lines


def _print(out: TextIO | None, lines: Sequence[str]) -> None:
    if out is None:  # standard output closed (`>&-`): nothing to print to
        return
    try:
        out.write("\n".join(lines) + "\n")
        out.flush()
    except OSError as error:
        # The reader went away (`| head`, a broken pipe) or the device is full: say so unless
        # it is a pipe, and keep Python's own flush at exit from failing on the same stream.
        if not isinstance(error, BrokenPipeError):
            _error(f"cannot write to standard output: {error.strerror}")
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())


def _error(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"{_PROG}: {message}\n")


def run(args: argparse.Namespace, out: TextIO | None) -> int:
    """Run `backlinkkit audit` with parsed arguments; the exit status (see the module)."""
    progress = None
    stderr = sys.stderr
    if not args.quiet and stderr is not None and stderr.isatty():
        progress = _Progress(stderr)
    try:
        _check_usage(args)
        try:
            result = _run_audit(args, progress)
        finally:
            if progress is not None:
                progress.close()
        try:
            written = result.write(args.out)
        except OSError as error:
            where = error.filename or args.out
            raise _CommandError(f"cannot write to {where}: {error.strerror}", EXIT_USAGE) from None
    except _CommandError as refusal:
        _error(str(refusal))
        return refusal.status
    except BacklinkkitError as error:
        _error(str(error))
        return EXIT_REFUSED
    if written.report_missing is not None:
        _error(f"report.html not written: {written.report_missing} (the other files are)")
    _print(out, summary_lines(result, written))
    if args.fail_on and result.flags_at_least(Severity(args.fail_on)):
        return EXIT_FLAGGED
    return 0
