r"""Backlinks from web archives (WARC and WAT files), with no Spark needed.

Read the pages of a WARC (`read_warc`) or WAT (`read_wat`) file from any binary stream, turn
them into backlink rows to a set of `Target` sites (`scan_archive`), or scan many files on one
machine with worker processes (`scan_archives`): the same rows and profiles the Spark job
(`backlinkkit.spark`) gives. Needs the `warc` extra (FastWARC, and pyarrow for Parquet)::

    pip install 'backlinkkit[warc]'

>>> import io
>>> from backlinkkit.warc import Target, scan_archive
>>> http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
...         b'<a href="https://example.com/shoes">running shoes</a>')
>>> record = (b"WARC/1.0\r\nWARC-Type: response\r\n"
...     b"WARC-Record-ID: <urn:uuid:7c0d7f56-4bd7-4d3b-a0aa-0a4bc6a4c1e1>\r\n"
...     b"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: https://blog.test/post\r\n"
...     b"Content-Type: application/http; msgtype=response\r\n"
...     b"Content-Length: %d\r\n\r\n%s\r\n\r\n" % (len(http), http))
>>> scan = scan_archive(io.BytesIO(record), [Target("example.com")], archive="one.warc")
>>> [(row.backlink.source_url, row.backlink.anchor, row.backlink.first_seen) for row in scan.rows]
[('https://blog.test/post', 'running shoes', datetime.date(2024, 5, 1))]
>>> scan.stats.pages, scan.stats.backlinks
(1, 1)
"""

from __future__ import annotations

from ._archives._errors import ArchiveJobError
from ._archives._output import job_summary, write_json, write_profiles, write_rows
from ._archives._pages import page_rows
from ._archives._prefilter import Prefilter
from ._archives._records import (
    SkippedRecord,
    SkipReason,
    WarcPage,
    WatLink,
    WatPage,
    read_warc,
    read_wat,
)
from ._archives._rows import BacklinkRow, Column, ColumnType, merge_rows, row_columns
from ._archives._scan import (
    ArchiveFormat,
    ArchiveScan,
    ArchiveStats,
    ScanResult,
    archive_locations,
    scan_archive,
    scan_archives,
)
from ._archives._targets import Target, targets_from_toml

__all__ = [
    "ArchiveFormat",
    "ArchiveJobError",
    "ArchiveScan",
    "ArchiveStats",
    "BacklinkRow",
    "Column",
    "ColumnType",
    "Prefilter",
    "ScanResult",
    "SkipReason",
    "SkippedRecord",
    "Target",
    "WarcPage",
    "WatLink",
    "WatPage",
    "archive_locations",
    "merge_rows",
    "page_rows",
    "read_warc",
    "read_wat",
    "row_columns",
    "scan_archive",
    "scan_archives",
    "targets_from_toml",
    "write_results",
]


def write_results(
    result: ScanResult, out: str, *, rows: bool = True, seconds: float | None = None
) -> None:
    """Write a `scan_archives` result as the Spark job writes its own (see `backlinkkit.spark`).

    `out/backlinks/` (Parquet rows, unless `rows` is False), `out/profiles/<target>.json` (each
    profile's `to_dict()`) and `out/job.json` (the stats).

    Raises:
        ArchiveJobError: `out` already holds a job's results.
        MissingDependencyError: pyarrow (in the `warc` extra) is not installed.
    """
    from ._archives._output import SUMMARY_FILE, check_output  # noqa: PLC0415
    from ._archives._sources import join_location  # noqa: PLC0415

    check_output(out)
    if rows:
        write_rows(result.rows, out)
    write_profiles(result.profiles, out)
    summary = job_summary(
        result.stats,
        targets=tuple(result.profiles),
        backlinks_kept=len(result.rows),
        seconds=seconds,
        engine="processes",
        rows=rows,
    )
    write_json(summary, join_location(out, SUMMARY_FILE))


# Public classes say they live here (reprs, tracebacks and pickles name backlinkkit.warc).
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value
