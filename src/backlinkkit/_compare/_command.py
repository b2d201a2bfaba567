"""`backlinkkit gap` and `backlinkkit diff`: competitors' links and snapshots, from exports.

`gap` profiles the target's exports and each competitor's (`--competitor DOMAIN=EXPORT`,
repeatable, several exports per competitor allowed) and writes `gap.json` and `gap.csv`
(`link_gap`); `diff` profiles an old and a new set of exports of one site (`--old F... --new
F...`, or `OLD NEW` for one export each) and writes `diff.json` and `diff.csv`
(`diff_profiles`). Each side's exports are read and merged into distinct links as the audit
reads them (`backlinkkit.audit.audit`: the same link from two tools counts once, bad rows are
counted, not fatal). Files are written atomically; CSV text cells are neutralized against
formula injection as the audit's tables are. Failures are one line and an exit status of
`ExitStatus` (see docs/cli.md).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Final

from .. import (
    GapDomain,
    LinkGap,
    LinkProfile,
    ProfileDiff,
    Thresholds,
    WebGraphRanks,
    diff_profiles,
    link_gap,
    read_web_graph_ranks,
)
from .._cli import CommandError, Console, ExitStatus, subcommand
from ..audit import AuditInput, audit, load_thresholds, neutralize
from ..audit._command import _Progress  # the audit's terminal progress line, shared
from ..audit._write import atomic_write  # the audit's own atomic write, shared (see the report)
from ._profile_counts import domain_counts

__all__ = ["DIFF_FILES", "GAP_FILES", "gap_outputs", "read_profile"]

_MIB: Final = 1 << 20
# A thresholds file is a few lines of TOML.
_SETTINGS_LIMIT: Final = 1 * _MIB
GAP_FILES: Final = ("gap.json", "gap.csv")
DIFF_FILES: Final = ("diff.json", "diff.csv")


# -- reading -----------------------------------------------------------------------------------


def _progress(quiet: bool) -> _Progress | None:
    stream = sys.stderr
    if quiet or stream is None or not stream.isatty():
        return None
    return _Progress(stream)


def read_profile(
    paths: Sequence[str],
    *,
    site: str,
    brands: Iterable[str] = (),
    keywords: Iterable[str] = (),
    thresholds: Thresholds | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[LinkProfile, tuple[AuditInput, ...]]:
    """The profile of `site` from its export files, merged as the audit merges them.

    Raises:
        CommandError: a file cannot be opened or read (USAGE).
        BacklinkkitError: an export is refused (its format, its bytes), or `site` is not a host.
    """
    with contextlib.ExitStack() as stack:
        opened: list[tuple[str, IO[bytes]]] = []
        for path in paths:
            try:
                opened.append((path, stack.enter_context(Path(path).open("rb"))))
            except OSError as error:
                raise CommandError(
                    f"cannot read {path}: {error.strerror or error}", ExitStatus.USAGE
                ) from None
        try:
            result = audit(
                opened, site=site, brands=brands, keywords=keywords, thresholds=thresholds,
                progress=progress,
            )  # fmt: skip
        except OSError as error:
            raise CommandError(
                f"cannot read an export of {site}: {error.strerror or error}", ExitStatus.USAGE
            ) from None
    return result.profile, result.inputs


def _read_ranks(path: str, names: Iterable[str]) -> WebGraphRanks:
    try:
        with Path(path).open("rb") as stream:
            return read_web_graph_ranks(stream, names)
    except OSError as error:
        raise CommandError(
            f"cannot read {path}: {error.strerror or error}", ExitStatus.USAGE
        ) from None


def _read_thresholds(path: str | None) -> Thresholds | None:
    if path is None:
        return None
    data = Console(None, None).read(path, limit=_SETTINGS_LIMIT)
    return load_thresholds(data, name=path)


# -- writing -----------------------------------------------------------------------------------


def _csv(header: Sequence[str], records: Iterable[Mapping[str, object]]) -> bytes:
    """UTF-8 CSV with a header row; text cells neutralized (numbers and None as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(
        [neutralize(value) if isinstance(value, str) else value for value in record.values()]
        for record in records
    )
    return out.getvalue().encode("utf-8")


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def _write(directory: Path, files: Mapping[str, bytes]) -> list[Path]:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in files.items():
            path = directory / name
            atomic_write(path, data)
            written.append(path)
    except OSError as error:
        where = error.filename or directory
        raise CommandError(
            f"cannot write {where}: {error.strerror or error}", ExitStatus.OUTPUT_FAILED
        ) from None
    return written


_GAP_HEADER: Final = tuple(
    GapDomain(
        domain="", competitors=(), links=0, links_by_competitor={}, anchor_categories={}
    ).to_record()
)
_DIFF_HEADER: Final = ("domain", "status", "links_before", "links_after", "change")


def gap_outputs(
    gap: LinkGap, inputs: Mapping[str, Sequence[AuditInput]], ranks: WebGraphRanks | None
) -> dict[str, bytes]:
    """gap.json's and gap.csv's bytes."""
    record = gap.to_dict()
    record["inputs"] = {site: [i.to_dict() for i in given] for site, given in inputs.items()}
    record["ranks"] = None if ranks is None else _ranks_record(ranks)
    return {
        "gap.json": _json(record),
        "gap.csv": _csv(_GAP_HEADER, gap.table()),
    }


def _ranks_record(ranks: WebGraphRanks) -> dict[str, object]:
    return {
        "level": ranks.level.value,
        "rows": ranks.rows,
        "asked": len(ranks.asked),
        "found": len(ranks),
    }


def _diff_outputs(
    diff: ProfileDiff, inputs: Mapping[str, Sequence[AuditInput]]
) -> dict[str, bytes]:
    record = diff.to_dict()
    record["inputs"] = {side: [i.to_dict() for i in given] for side, given in inputs.items()}
    return {"diff.json": _json(record), "diff.csv": _csv(_DIFF_HEADER, diff.table())}


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


# -- gap ---------------------------------------------------------------------------------------

_GAP_DESCRIPTION: Final = """\
Who links to your competitors and not to you. Reads the target's exports (TARGET_EXPORT...) and
each competitor's (--competitor DOMAIN=EXPORT, repeatable: repeat a DOMAIN for several of its
exports), and writes DIR/gap.json (the gap, the intersection, each competitor's unique domains,
the inputs) and DIR/gap.csv (one row per referring domain of the gap, in work order). A domain
is in the gap when it links to at least K competitors (--min-competitors, default 1) and not to
the target. --keyword applies to every site, --brand to yours. --ranks reads a Common Crawl
domain-graph ranks file for the domains' authority; without it, the exports' own scores (DR,
DA, AS, TF, CF) are used where they have them.
Example: backlinkkit gap me.csv --site me.example --competitor a.example=a.csv --out gap/"""


def _common_arguments(parser: argparse.ArgumentParser, default_out: str) -> None:
    parser.add_argument("--site", required=True, metavar="DOMAIN", help="your site")
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
        "--out",
        default=default_out,
        metavar="DIR",
        help=f"output directory (default {default_out})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _gap_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exports", nargs="+", metavar="TARGET_EXPORT", help="an export of yours")
    parser.add_argument(
        "--competitor",
        action="append",
        default=[],
        required=True,
        metavar="DOMAIN=EXPORT",
        help="a competitor's domain and one of its exports (repeatable)",
    )
    parser.add_argument(
        "--min-competitors",
        type=int,
        default=1,
        metavar="K",
        help="the competitors a domain must link to (default 1)",
    )
    parser.add_argument(
        "--ranks", metavar="FILE", help="a Common Crawl domain ranks file (.txt or .txt.gz)"
    )
    _common_arguments(parser, "backlinkkit-gap")


def _competitors(site: str, given: Sequence[str]) -> dict[str, list[str]]:
    """Each competitor's exports, by its domain (normalized as profiles normalize it)."""
    by_domain: dict[str, list[str]] = {}
    for item in given:
        domain, equals, path = item.partition("=")
        if not equals or not domain.strip() or not path:
            raise CommandError(f"--competitor takes DOMAIN=EXPORT, not {item!r}", ExitStatus.USAGE)
        name = LinkProfile(domain.strip()).domain  # raises for what is not a host
        if name == site:
            raise CommandError(
                f"--competitor {domain.strip()} is the site itself (--site)", ExitStatus.USAGE
            )
        by_domain.setdefault(name, []).append(path)
    return by_domain


@subcommand(
    "gap",
    summary="who links to your competitors and not to you: gap.json, gap.csv",
    description=_GAP_DESCRIPTION,
    arguments=_gap_arguments,
)
def _gap(args: argparse.Namespace, console: Console) -> int:
    competitors = _competitors(LinkProfile(args.site).domain, args.competitor)
    if not 1 <= args.min_competitors <= len(competitors):
        raise CommandError(
            f"--min-competitors must be from 1 to the number of competitors "
            f"({len(competitors)}), not {args.min_competitors}",
            ExitStatus.USAGE,
        )
    progress = _progress(args.quiet)
    try:
        target, target_inputs = read_profile(
            args.exports, site=args.site, brands=args.brand, keywords=args.keyword,
            progress=progress,
        )  # fmt: skip
        inputs = {target.domain: target_inputs}
        rivals = []
        for domain, paths in competitors.items():
            rival, rival_inputs = read_profile(
                paths, site=domain, keywords=args.keyword, progress=progress
            )
            inputs[rival.domain] = rival_inputs
            rivals.append(rival)
    finally:
        if progress is not None:
            progress.close()
    ranks = None
    if args.ranks:
        names = {name for rival in rivals for name in domain_counts(rival)}
        ranks = _read_ranks(args.ranks, sorted(names))
    gap = link_gap(target, rivals, min_competitors=args.min_competitors, authority=ranks)
    written = _write(Path(args.out), gap_outputs(gap, inputs, ranks))
    console.out.write(
        f"gap of {gap.target} against {_plural(len(gap.competitors), 'competitor')}: "
        f"{len(gap.gap):,} referring domains link to at least {gap.min_competitors} and not "
        f"to {gap.target}, {len(gap.intersection):,} to all; {gap.target_domains:,} link to "
        f"{gap.target} too\n"
    )
    console.out.write("".join(f"wrote {path}\n" for path in written))
    return ExitStatus.OK


# -- diff --------------------------------------------------------------------------------------

_DIFF_DESCRIPTION: Final = """\
What changed between two snapshots of your site's backlinks. Give the old exports and the new
ones as --old F... --new F... (several exports per side, merged as the audit merges them), or
as two positional files OLD NEW for one export each. Writes DIR/diff.json (referring domains
gained, lost and kept with their links before and after, anchor categories' shares before and
after, flags raised, cleared and changed, the inputs) and DIR/diff.csv (one row per referring
domain: gained, lost or kept). Example: backlinkkit diff --old oct.csv --new nov.csv --site
example.com --out diff/"""


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "pair", nargs="*", metavar="OLD NEW", help="the old and the new export (one each)"
    )
    parser.add_argument("--old", nargs="+", default=[], metavar="F", help="the old exports")
    parser.add_argument("--new", nargs="+", default=[], metavar="F", help="the new exports")
    parser.add_argument(
        "--thresholds", metavar="FILE.toml", help="Thresholds settings for the flags (TOML)"
    )
    _common_arguments(parser, "backlinkkit-diff")


def _sides(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    if args.pair:
        if args.old or args.new:
            raise CommandError("give OLD NEW, or --old and --new, not both", ExitStatus.USAGE)
        if len(args.pair) != 2:
            raise CommandError(
                f"give two exports, OLD NEW, not {len(args.pair)} (use --old F... --new F... "
                "for several per side)",
                ExitStatus.USAGE,
            )
        return [args.pair[0]], [args.pair[1]]
    if not args.old or not args.new:
        raise CommandError("give OLD NEW, or --old F... and --new F...", ExitStatus.USAGE)
    return list(args.old), list(args.new)


@subcommand(
    "diff",
    summary="what changed between two snapshots of your backlinks: diff.json, diff.csv",
    description=_DIFF_DESCRIPTION,
    arguments=_diff_arguments,
)
def _diff(args: argparse.Namespace, console: Console) -> int:
    old_paths, new_paths = _sides(args)
    thresholds = _read_thresholds(args.thresholds)
    progress = _progress(args.quiet)
    try:
        old, old_inputs = read_profile(
            old_paths, site=args.site, brands=args.brand, keywords=args.keyword,
            thresholds=thresholds, progress=progress,
        )  # fmt: skip
        new, new_inputs = read_profile(
            new_paths, site=args.site, brands=args.brand, keywords=args.keyword,
            thresholds=thresholds, progress=progress,
        )  # fmt: skip
    finally:
        if progress is not None:
            progress.close()
    diff = diff_profiles(old, new, thresholds=thresholds)
    written = _write(Path(args.out), _diff_outputs(diff, {"old": old_inputs, "new": new_inputs}))
    console.out.write(
        f"diff of {diff.target}: {diff.before.referring_domains:,} -> "
        f"{diff.after.referring_domains:,} referring domains ({len(diff.gained):,} gained, "
        f"{len(diff.lost):,} lost, {len(diff.kept):,} kept); flags {len(diff.raised)} raised, "
        f"{len(diff.cleared)} cleared, {len(diff.changed)} changed\n"
    )
    console.out.write("".join(f"wrote {path}\n" for path in written))
    return ExitStatus.OK
