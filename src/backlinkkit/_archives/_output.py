"""The job's outputs: `backlinks/` (Parquet rows), `profiles/<target>.json`, `job.json`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .. import LinkProfile
from ._arrow import arrow_schema, batch_of_rows, pyarrow
from ._errors import ArchiveJobError
from ._rows import BacklinkRow
from ._scan import ArchiveStats
from ._sources import exists, join_location, open_output

__all__ = ["check_output", "job_summary", "write_json", "write_profiles", "write_rows"]

ROWS_DIR = "backlinks"
PROFILES_DIR = "profiles"
SUMMARY_FILE = "job.json"


def check_output(out: str) -> None:
    """Refuse an output folder that already holds a job's results (nothing is overwritten).

    Raises:
        ArchiveJobError: `out` has `backlinks/`, `profiles/` or `job.json` already.
    """
    for name in (ROWS_DIR, PROFILES_DIR, SUMMARY_FILE):
        if exists(join_location(out, name)):
            raise ArchiveJobError(
                f"{join_location(out, name)} already exists: choose another --out, or remove it"
            )


def write_rows(rows: Sequence[BacklinkRow], out: str) -> str:
    """Write the rows as one Parquet file in `out/backlinks/`; return its location."""
    import pyarrow.parquet as pq  # noqa: PLC0415 - optional

    pa = pyarrow()
    location = join_location(out, ROWS_DIR, "part-00000.parquet")
    table = pa.Table.from_batches([batch_of_rows(rows)], schema=arrow_schema())
    with open_output(location) as stream:
        pq.write_table(table, stream)
    return location


def write_json(data: object, location: str) -> None:
    """Write `data` as indented UTF-8 JSON."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    with open_output(location) as stream:
        stream.write(text.encode("utf-8"))


def write_profiles(profiles: Mapping[str, LinkProfile], out: str) -> list[str]:
    """Write each profile's `to_dict()` as `out/profiles/<target>.json`; return the locations."""
    locations = []
    for domain, profile in sorted(profiles.items()):
        location = join_location(out, PROFILES_DIR, f"{domain}.json")
        write_json(profile.to_dict(), location)
        locations.append(location)
    return locations


def job_summary(
    stats: ArchiveStats,
    *,
    targets: Sequence[str],
    backlinks_kept: int,
    seconds: float | None,
    engine: str,
    rows: bool,
) -> dict[str, object]:
    """The content of `job.json`: the stats, the rows kept, the time, how the job ran."""
    return {
        "engine": engine,
        "targets": list(targets),
        **stats.to_dict(),
        "backlinks_kept": backlinks_kept,
        "rows_written": rows,
        "seconds": None if seconds is None else round(seconds, 3),
    }
