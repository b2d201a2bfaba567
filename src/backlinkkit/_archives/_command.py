"""`backlinkkit warc`: backlinks to targets from WARC or WAT files, on Spark or on this machine.

`_cli.py` only registers the command (`add_warc_command`); its code is here, with the job.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from .._cli import CommandError, Console, ExitStatus, main, subcommand
from .._errors import BacklinkkitError
from ._scan import ArchiveFormat, ArchiveStats, archive_locations, scan_archives
from ._sources import check_manifests
from ._targets import Target, targets_from_toml

__all__ = ["run_from_argv"]

_EXIT_REFUSED = ExitStatus.INPUT_REFUSED
_EXIT_USAGE = ExitStatus.USAGE
_DEFAULT_OUT = "backlinkkit-out"

_DESCRIPTION = """\
Find the backlinks to your target sites in web archives (WARC or WAT files, such as Common
Crawl's), and write OUT/backlinks/ (Parquet rows), OUT/profiles/<target>.json (a link profile
per target) and OUT/job.json (what was read, skipped and kept). Runs on Spark, in local mode
by default (--master for a cluster), or without Spark in N processes (--processes N).
Exit status: 0 done, 1 refused (bad targets, no archives, a source that is neither an
archive nor a text manifest, OUT has results, Spark failed), 2 bad usage or unreadable file,
4 standard output failed."""


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="MANIFEST_OR_FILE",
        help="an archive (.warc, .warc.gz, .wat, .wat.gz) or a manifest listing them "
        "(e.g. warc.paths.gz); local paths or URLs (file://, s3a://, hdfs://)",
    )
    targets = parser.add_mutually_exclusive_group(required=True)
    targets.add_argument(
        "--target", action="append", metavar="DOMAIN", help="a target domain or host (repeatable)"
    )
    targets.add_argument(
        "--targets",
        metavar="FILE.toml",
        help="targets with brands and keywords ([[target]] tables)",
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in ArchiveFormat],
        help="the archives' format (default: by file name)",
    )
    parser.add_argument(
        "--out", default=_DEFAULT_OUT, metavar="DIR", help=f"output folder (default {_DEFAULT_OUT})"
    )
    parser.add_argument(
        "--prefilter", action="store_true", help="skip pages whose bytes cannot link to a target"
    )
    parser.add_argument("--no-rows", action="store_true", help="write profiles and job.json only")
    parser.add_argument("--master", metavar="URL", help="Spark master (default local[*])")
    parser.add_argument(
        "--processes", type=int, metavar="N", help="run without Spark, in N worker processes"
    )
    parser.add_argument(
        "--prefix", metavar="URL", help="put before relative manifest entries (s3a://commoncrawl/)"
    )
    parser.add_argument(
        "--files-per-task",
        type=int,
        default=1,
        metavar="N",
        help="archives per Spark task (default 1)",
    )


def _fail(message: str, status: ExitStatus) -> int:
    # `main` writes the one line (or drops it when standard error is closed or full).
    raise CommandError(message, status)


def _targets(args: argparse.Namespace) -> tuple[Target, ...]:
    if args.targets is not None:
        return targets_from_toml(Path(args.targets).read_text(encoding="utf-8"))
    return tuple(Target(domain) for domain in dict.fromkeys(args.target))


@subcommand(
    "warc",
    summary="find backlinks to target sites in WARC/WAT archives (Spark or local processes)",
    description=_DESCRIPTION,
    arguments=_arguments,
)
def _warc(args: argparse.Namespace, console: Console) -> int:
    return _warc_command(args, console)


def _warc_command(args: argparse.Namespace, console: Console) -> int:
    if args.processes is not None and args.processes < 1:
        return _fail("--processes must be at least 1", _EXIT_USAGE)
    if args.files_per_task < 1:
        return _fail("--files-per-task must be at least 1", _EXIT_USAGE)
    if args.processes is not None and args.master is not None:
        return _fail("--processes runs without Spark: it cannot take --master", _EXIT_USAGE)
    try:
        targets = _targets(args)
    except OSError as error:
        return _fail(f"cannot read {args.targets}: {error.strerror or error}", _EXIT_USAGE)
    except BacklinkkitError as error:
        return _fail(str(error), _EXIT_REFUSED)
    try:
        check_manifests(args.sources)
    except OSError as error:
        return _fail(f"cannot read {getattr(error, 'filename', None) or error}", _EXIT_USAGE)
    except BacklinkkitError as error:
        return _fail(str(error), _EXIT_REFUSED)
    fmt = None if args.format is None else ArchiveFormat(args.format)
    started = time.monotonic()
    try:
        if args.processes is not None:
            stats, kept = _run_processes(args, targets, fmt, started)
        else:
            stats, kept = _run_spark(args, targets, fmt)
    except OSError as error:
        return _fail(f"cannot read {getattr(error, 'filename', None) or error}", _EXIT_USAGE)
    except BacklinkkitError as error:
        return _fail(str(error), _EXIT_REFUSED)
    console.out.write(_report(stats, kept, args.out))
    return ExitStatus.OK


def _run_processes(
    args: argparse.Namespace, targets: Sequence[Target], fmt: ArchiveFormat | None, started: float
) -> tuple[ArchiveStats, int]:
    from ..warc import write_results  # noqa: PLC0415 - the public writer
    from ._output import check_output  # noqa: PLC0415

    check_output(args.out)
    locations = archive_locations(args.sources, prefix=args.prefix)
    if not locations:
        from ._errors import ArchiveJobError  # noqa: PLC0415

        raise ArchiveJobError("the sources list no archive")
    result = scan_archives(
        locations, targets, format=fmt, prefilter=args.prefilter, processes=args.processes
    )
    write_results(result, args.out, rows=not args.no_rows, seconds=time.monotonic() - started)
    return result.stats, len(result.rows)


def _run_spark(
    args: argparse.Namespace, targets: Sequence[Target], fmt: ArchiveFormat | None
) -> tuple[ArchiveStats, int]:
    from .. import spark  # noqa: PLC0415 - pyspark is imported only when Spark runs

    try:
        result = spark.run_job(
            args.sources,
            targets,
            args.out,
            format=fmt,
            prefilter=args.prefilter,
            rows=not args.no_rows,
            files_per_task=args.files_per_task,
            prefix=args.prefix,
            master=args.master,
        )
    except (BacklinkkitError, OSError):
        raise
    except Exception as error:  # Spark's own errors (no Java, a failed stage): one line
        from ._errors import ArchiveJobError  # noqa: PLC0415

        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        raise ArchiveJobError(f"Spark failed: {first_line}") from error
    return result.stats, result.backlinks_kept


def _report(stats: ArchiveStats, kept: int, out: str) -> str:
    bad = ", ".join(
        f"{reason.value} {n}"
        for reason, n in sorted(stats.bad_records.items(), key=lambda i: i[0].value)
    )
    return (
        f"files {stats.files}, records {stats.records}, pages parsed {stats.pages}"
        f" ({stats.skipped_by_prefilter} skipped by the prefilter)\n"
        f"bad records {sum(stats.bad_records.values())}{f' ({bad})' if bad else ''}\n"
        f"backlinks kept {kept} (of {stats.backlinks} found) -> {out}\n"
    )


def run_from_argv(argv: Sequence[str]) -> int:
    """Run `backlinkkit warc` with these arguments (the command without `warc`).

    It runs through the command line's `main`: the same one-line failures and exit statuses.
    """
    return main(["warc", *argv])
