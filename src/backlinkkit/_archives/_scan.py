"""Scanning archives for backlinks: one file (`scan_archive`), or many on one machine.

`scan_archives` is the one-machine path: the files are shared among worker processes, each
reads its files exactly as a Spark task does (the same functions), and the rows are merged as
the Spark job merges them, so both give the same rows and the same profiles.
"""

from __future__ import annotations

import enum
import math
import multiprocessing
import time
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TypeVar

import attrs

from .. import LinkProfile
from ._pages import PageRows, TargetIndex, own_targets, rows_of_page, site_of_page
from ._prefilter import Prefilter
from ._records import (
    SkippedRecord,
    SkipReason,
    UncheckedPage,
    WarcPage,
    WatPage,
    read_warc,
    read_warc_unchecked,
    read_wat,
)
from ._rows import BacklinkRow, merge_rows
from ._sources import (
    archive_format_of,
    is_archive_name,
    manifest_entries,
    open_input,
    read_manifest,
    resolve_entry,
)
from ._targets import Target

__all__ = [
    "ArchiveFormat",
    "ArchiveScan",
    "ArchiveStats",
    "ScanResult",
    "archive_locations",
    "profiles_of_rows",
    "scan_archive",
    "scan_archives",
    "scan_location",
]

_STATE_VERSION = 1
_Key = TypeVar("_Key")


class ArchiveFormat(enum.Enum):
    """The kind of archive: WARC (pages as served) or WAT (their metadata and links, as JSON)."""

    WARC = "warc"
    WAT = "wat"


def _reason_counts(value: Mapping[SkipReason, int]) -> Mapping[SkipReason, int]:
    return types.MappingProxyType({key: count for key, count in value.items() if count})


def _target_counts(value: Mapping[str, int]) -> Mapping[str, int]:
    return types.MappingProxyType({key: count for key, count in value.items() if count})


@attrs.frozen
class ArchiveStats:
    """What reading archives saw: files, records, pages, what was skipped and why, backlinks.

    Stats add up with `+`, in any order.

    Attributes:
        files: archive files read (or tried: an unreadable one counts, under `skipped`).
        records: records that describe a response (WARC `response`, WAT response metadata).
        pages: HTML pages whose links were read (parsed, for WARC).
        skipped: records skipped, by reason (`SkipReason.damaged` tells damage apart).
        own_site_pages: pages of each target's own site, by target domain (their links to it
            are own links, not backlinks, and give no rows).
        backlinks: backlink rows found, before the same link's captures are merged.
        cpu_seconds: the CPU time the reading took, in the processes that did it.
    """

    files: int = 0
    records: int = 0
    pages: int = 0
    skipped: Mapping[SkipReason, int] = attrs.field(factory=dict, converter=_reason_counts)
    own_site_pages: Mapping[str, int] = attrs.field(factory=dict, converter=_target_counts)
    backlinks: int = 0
    cpu_seconds: float = 0.0

    def __add__(self, other: object) -> ArchiveStats:
        if not isinstance(other, ArchiveStats):
            return NotImplemented
        return ArchiveStats(
            self.files + other.files,
            self.records + other.records,
            self.pages + other.pages,
            _added(self.skipped, other.skipped),
            _added(self.own_site_pages, other.own_site_pages),
            self.backlinks + other.backlinks,
            self.cpu_seconds + other.cpu_seconds,
        )

    # Stats travel between processes: versioned plain data, as every pickle of backlinkkit.
    def __getstate__(self) -> dict[str, object]:
        return {"version": _STATE_VERSION, **self.to_dict()}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        if state.get("version") != _STATE_VERSION:
            raise TypeError(f"cannot load ArchiveStats pickled with state {state.get('version')!r}")
        fresh = ArchiveStats.from_dict(state)
        for field in attrs.fields(ArchiveStats):
            object.__setattr__(self, field.name, getattr(fresh, field.name))

    @property
    def bad_records(self) -> Mapping[SkipReason, int]:
        """The skipped records that were damaged (truncated, corrupt, malformed...), by reason."""
        return types.MappingProxyType({r: n for r, n in self.skipped.items() if r.damaged})

    @property
    def skipped_by_prefilter(self) -> int:
        """Pages the prefilter skipped without parsing them."""
        return self.skipped.get(SkipReason.PREFILTER, 0)

    def to_dict(self) -> dict[str, object]:
        """The stats as JSON-ready plain data (reasons by their values)."""
        return {
            "files": self.files,
            "records": self.records,
            "pages_parsed": self.pages,
            "pages_skipped_by_prefilter": self.skipped_by_prefilter,
            "skipped": {r.value: n for r, n in sorted(self.skipped.items(), key=_by_value)},
            "bad_records": {r.value: n for r, n in sorted(self.bad_records.items(), key=_by_value)},
            "own_site_pages": dict(sorted(self.own_site_pages.items())),
            "backlinks_found": self.backlinks,
            "cpu_seconds": round(self.cpu_seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ArchiveStats:
        """Stats from `to_dict`'s output (how Spark tasks send theirs to the driver)."""
        skipped = data.get("skipped", {})
        own = data.get("own_site_pages", {})
        if not isinstance(skipped, Mapping) or not isinstance(own, Mapping):
            raise TypeError("not the output of ArchiveStats.to_dict")
        return cls(
            int(data["files"]),  # type: ignore[call-overload]
            int(data["records"]),  # type: ignore[call-overload]
            int(data["pages_parsed"]),  # type: ignore[call-overload]
            {SkipReason(reason): int(n) for reason, n in skipped.items()},
            {str(target): int(n) for target, n in own.items()},
            int(data["backlinks_found"]),  # type: ignore[call-overload]
            float(data["cpu_seconds"]),  # type: ignore[arg-type]
        )


def _by_value(item: tuple[SkipReason, int]) -> str:
    return item[0].value


def _added(a: Mapping[_Key, int], b: Mapping[_Key, int]) -> dict[_Key, int]:
    total = dict(a)
    for key, count in b.items():
        total[key] = total.get(key, 0) + count
    return total


@attrs.frozen
class ArchiveScan:
    """The backlinks one archive holds, as found (not yet merged), and what reading it saw."""

    rows: tuple[BacklinkRow, ...]
    stats: ArchiveStats


def _pages(
    stream: IO[bytes], archive: str, fmt: ArchiveFormat, prefilter: bool
) -> Iterator[WarcPage | WatPage | UncheckedPage | SkippedRecord]:
    if fmt is ArchiveFormat.WAT:
        return read_wat(stream, archive=archive)
    if prefilter:
        return read_warc_unchecked(stream, archive=archive)
    return read_warc(stream, archive=archive)


def _rows_or_skip(
    item: WarcPage | WatPage | UncheckedPage, index: TargetIndex, check: Prefilter | None
) -> tuple[str | None, PageRows | SkippedRecord]:
    """The page's site and its rows, or why it gave none (the site then None if damaged).

    The digest of a page the prefilter rules out is never checked: it is not read.
    """
    page = item.page if isinstance(item, UncheckedPage) else item
    site = site_of_page(page)
    result = rows_of_page(page, index, check, site)
    if isinstance(item, UncheckedPage) and (
        not isinstance(result, SkippedRecord) or result.reason is not SkipReason.PREFILTER
    ):
        damage = item.damage()
        if damage is not None:
            return None, damage
    return site, result


def scan_archive(
    stream: IO[bytes],
    targets: Sequence[Target],
    *,
    archive: str = "",
    format: ArchiveFormat = ArchiveFormat.WARC,  # noqa: A002 - the word users know
    prefilter: bool = False,
) -> ArchiveScan:
    """Every backlink to `targets` in one archive (WARC or WAT), and what reading it saw.

    Damaged records are counted and skipped; an error of the stream itself (a network failure
    halfway) ends the file, counted as `SkipReason.UNREADABLE`, keeping what was read.

    Args:
        stream: the archive, opened in binary mode.
        targets: the targets whose backlinks to collect.
        archive: the archive's name, carried into the rows.
        format: WARC or WAT.
        prefilter: skip, before parsing, pages whose bytes cannot hold a link to a target.

    Returns:
        The rows found (one per link and capture) and the stats.

    Raises:
        MissingDependencyError: FastWARC (the `warc` extra) is not installed.
    """
    started = time.process_time()
    targets = tuple(targets)
    check = Prefilter(targets) if prefilter else None
    index = TargetIndex(targets)
    rows: list[BacklinkRow] = []
    skipped: dict[SkipReason, int] = {}
    own: dict[str, int] = {}
    records = pages = 0
    items = _pages(stream, archive, format, prefilter)
    while True:
        try:
            item = next(items)
        except StopIteration:
            break
        except OSError:
            skipped[SkipReason.UNREADABLE] = skipped.get(SkipReason.UNREADABLE, 0) + 1
            break
        records += 1
        if not isinstance(item, SkippedRecord):
            site, result = _rows_or_skip(item, index, check)
            for domain in own_targets(site, index):
                own[domain] = own.get(domain, 0) + 1
            if isinstance(result, PageRows):
                pages += 1
                rows.extend(result.rows)
                continue
            item = result
        skipped[item.reason] = skipped.get(item.reason, 0) + 1
    stats = ArchiveStats(1, records, pages, skipped, own, len(rows), time.process_time() - started)
    return ArchiveScan(tuple(rows), stats)


def scan_location(
    location: str,
    targets: Sequence[Target],
    *,
    format: ArchiveFormat | None = None,  # noqa: A002
    prefilter: bool = False,
) -> ArchiveScan:
    """`scan_archive` on a file named by a path or URL (what each worker or Spark task runs).

    A file that cannot be opened counts as one `SkipReason.UNREADABLE`, never raises.
    """
    fmt = format or ArchiveFormat(archive_format_of(location))
    started = time.process_time()
    try:
        stream = open_input(location)
    except OSError:
        return ArchiveScan(
            (),
            ArchiveStats(
                files=1,
                skipped={SkipReason.UNREADABLE: 1},
                cpu_seconds=time.process_time() - started,
            ),
        )
    with stream:
        return scan_archive(stream, targets, archive=location, format=fmt, prefilter=prefilter)


def archive_locations(sources: Iterable[str], *, prefix: str | None = None) -> list[str]:
    """The archives that `sources` name: archives as they are, manifests by their entries.

    A source whose name ends in `.warc`, `.warc.gz`, `.wat` or `.wat.gz` is an archive; any
    other is a manifest (one path a line, gzip'd or not, like Common Crawl's `warc.paths.gz`).

    Raises:
        OSError: a manifest cannot be read.
    """
    locations: list[str] = []
    for source in sources:
        if is_archive_name(source):
            locations.append(source)
            continue
        with open_input(source) as stream:
            data = read_manifest(stream, source)
        locations.extend(resolve_entry(entry, prefix) for entry in manifest_entries(data))
    return locations


def profiles_of_rows(
    rows: Iterable[BacklinkRow], targets: Sequence[Target]
) -> dict[str, LinkProfile]:
    """One `LinkProfile` per target, fed with the rows of that target (every target has one)."""
    profiles = {target.domain: target.profile() for target in targets}
    for row in rows:
        profiles[row.target].add(row.backlink)
    return profiles


@attrs.frozen(eq=False)
class ScanResult:
    """What scanning many archives found: merged rows, a profile per target, and stats.

    Attributes:
        rows: one row per link (captures merged), sorted by target, then by source page.
        profiles: the `LinkProfile` of each target, by its domain, built from `rows`.
        stats: what reading the files saw.
    """

    rows: tuple[BacklinkRow, ...]
    profiles: Mapping[str, LinkProfile]
    stats: ArchiveStats


def row_order(row: BacklinkRow) -> tuple[object, ...]:
    """A total order on rows (None before any value), so outputs come out the same every time."""
    return tuple(
        (value is not None, str(value) if value is not None else "") for value in row.identity
    )


def _scan_task(task: tuple[str, tuple[Target, ...], ArchiveFormat | None, bool]) -> ArchiveScan:
    location, targets, fmt, prefilter = task
    return scan_location(location, targets, format=fmt, prefilter=prefilter)


def scan_archives(
    locations: Sequence[str],
    targets: Sequence[Target],
    *,
    format: ArchiveFormat | None = None,  # noqa: A002
    prefilter: bool = False,
    processes: int | None = None,
) -> ScanResult:
    """Scan many archives on this machine, in worker processes: the one-machine path.

    Its rows and profiles equal the Spark job's on the same files.

    Args:
        locations: archive paths or URLs (see `archive_locations` for manifests).
        targets: the targets.
        format: WARC or WAT for every file; by default each file's name tells.
        prefilter: skip pages whose bytes cannot hold a link to a target.
        processes: worker processes; the machine's CPU count by default; 1 runs in this process.

    Returns:
        The merged rows, a profile per target and the stats.
    """
    targets = tuple(targets)
    tasks = [(location, targets, format, prefilter) for location in locations]
    workers = min(processes or multiprocessing.cpu_count(), max(len(tasks), 1))
    if workers <= 1:
        scans = [_scan_task(task) for task in tasks]
    else:
        # spawn, not fork: the caller may have threads (a Spark driver, a web server).
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            scans = pool.map(
                _scan_task, tasks, chunksize=max(1, math.ceil(len(tasks) / (4 * workers)))
            )
    stats = sum((scan.stats for scan in scans), ArchiveStats())
    rows = sorted(merge_rows(row for scan in scans for row in scan.rows), key=row_order)
    return ScanResult(tuple(rows), profiles_of_rows(rows, targets), stats)
