"""The functions Spark runs on its executors, over Arrow record batches.

They live in an importable module (not in a script's `__main__`, which Spark would pickle by
value and could not rebuild on a cluster), take plain values, and need no pyspark: the same
reading and merging code as the one-machine path.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from .. import LinkProfile
from ._arrow import arrow_schema, backlinks_of_batch, batch_of_rows, pyarrow
from ._scan import ArchiveFormat, ArchiveStats, scan_location
from ._targets import Target

__all__ = [
    "STATS_COLUMN",
    "PartsParam",
    "TaskPart",
    "extract_batches",
    "extraction_schema",
    "job_stats",
    "merged_profiles",
    "profile_batches",
]

STATS_COLUMN = "_stats"
_ROWS_PER_BATCH = 4096


def extraction_schema() -> Any:  # noqa: ANN401 - a pyarrow.Schema
    """The rows' schema, every column nullable, plus the stats column (one row per file)."""
    pa = pyarrow()
    schema = arrow_schema(all_nullable=True)
    return schema.append(pa.field(STATS_COLUMN, pa.string(), nullable=True))


def _with_stats(batch: Any, stats: str | None) -> Any:  # noqa: ANN401
    pa = pyarrow()
    column = pa.nulls(batch.num_rows, pa.string()) if stats is None else pa.array([stats])
    return pa.RecordBatch.from_arrays([*batch.columns, column], schema=extraction_schema())


def extract_batches(
    batches: Iterator[Any],
    targets: Sequence[Target],
    fmt: ArchiveFormat | None,
    prefilter: bool,
) -> Iterator[Any]:
    """Read every archive named in the `path` column; yield its rows, then one stats row.

    A stats row has the file's `ArchiveStats` as JSON, `captures` 1 and every other row column
    null: it goes through the merge with the rows (the stats are one of its keys, so files with
    the very same stats add up their `captures`), to the pass that profiles the merged rows.
    """
    pa = pyarrow()
    schema = arrow_schema(all_nullable=True)
    for batch in batches:
        for location in batch.column("path").to_pylist():
            scan = scan_location(location, targets, format=fmt, prefilter=prefilter)
            for start in range(0, len(scan.rows), _ROWS_PER_BATCH):
                chunk = scan.rows[start : start + _ROWS_PER_BATCH]
                yield _with_stats(batch_of_rows(chunk, all_nullable=True), None)
            nulls = pa.RecordBatch.from_arrays(
                [
                    pa.array([1], type=field.type)
                    if field.name == "captures"
                    else pa.nulls(1, type=field.type)
                    for field in schema
                ],
                schema=schema,
            )
            yield _with_stats(nulls, json.dumps(scan.stats.to_dict()))


class PartsParam:
    """How Spark adds up the tasks' `TaskPart`s in an accumulator: into one list.

    An accumulator (not a second Spark job) brings the profiles and stats to the driver, from
    the same pass that writes the rows. It is updated in the job's last (result) stage, whose
    accumulator updates Spark applies once per partition, whatever the retries or speculative
    copies of a task: each partition's part arrives exactly once.
    """

    def zero(self, value: list[TaskPart]) -> list[TaskPart]:  # noqa: ARG002 - Spark's API
        return []

    def addInPlace(self, value: list[TaskPart], more: list[TaskPart]) -> list[TaskPart]:  # noqa: N802
        value.extend(more)
        return value


@attrs.frozen
class TaskPart:
    """What one partition of the merged rows gives the driver besides its rows.

    Attributes:
        rows: the merged rows the partition held.
        profiles: a pickled `LinkProfile` per target with rows in the partition.
        stats: the files' `ArchiveStats` as JSON, each with how many files read the same.
    """

    rows: int
    profiles: tuple[tuple[str, bytes], ...]
    stats: tuple[tuple[str, int], ...]


def profile_batches(
    batches: Iterator[Any],
    targets: Sequence[Target],
    parts: Any,  # noqa: ANN401 - a pyspark Accumulator of `PartsParam`
    keep_rows: bool,
) -> Iterator[Any]:
    """Profile a partition of merged rows; yield its rows (if `keep_rows`) for Spark to write.

    The batches have the rows' columns and the stats column; a row with stats is no backlink
    but a file's `ArchiveStats` (its `captures`: how many files had those very stats). The
    partition's profiles, row count and stats go to `parts` as one `TaskPart`.
    """
    pa = pyarrow()
    from pyarrow import compute  # noqa: PLC0415 - optional, as pyarrow

    schema = arrow_schema()
    by_domain = {target.domain: target for target in targets}
    profiles: dict[str, LinkProfile] = {}
    stats: list[tuple[str, int]] = []
    count = 0
    for merged in batches:
        is_stats = compute.is_valid(merged.column(STATS_COLUMN))
        found = merged
        if compute.any(is_stats).as_py():
            files = merged.filter(is_stats)
            stats.extend(
                zip(
                    files.column(STATS_COLUMN).to_pylist(),
                    files.column("captures").to_pylist(),
                    strict=True,
                )
            )
            found = merged.filter(compute.invert(is_stats))
        rows = pa.RecordBatch.from_arrays(
            [found.column(field.name) for field in schema], schema=schema
        )
        count += rows.num_rows
        for domain, backlink in backlinks_of_batch(rows):
            profile = profiles.get(domain)
            if profile is None:
                profile = profiles[domain] = by_domain[domain].profile()
            profile.add(backlink)
        if keep_rows and rows.num_rows:
            yield rows
    pickles = tuple(
        (domain, pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL))
        for domain, profile in profiles.items()
    )
    parts.add([TaskPart(count, pickles, tuple(stats))])


def job_stats(parts: Sequence[TaskPart]) -> ArchiveStats:
    """The stats of every file the job read, from the partitions' parts."""
    total = ArchiveStats()
    for part in parts:
        for text, files in part.stats:
            stats = ArchiveStats.from_dict(_json_object(text))
            for _ in range(files):
                total += stats
    return total


def _json_object(text: str) -> Mapping[str, object]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise TypeError("a stats row that is not a JSON object")
    return data


def merged_profiles(parts: Sequence[TaskPart], targets: Sequence[Target]) -> dict[str, LinkProfile]:
    """The partitions' profiles of each target merged with `|` (every target gets one)."""
    found_in: dict[str, list[LinkProfile]] = {target.domain: [] for target in targets}
    for part in parts:
        for domain, data in part.profiles:
            found_in[domain].append(pickle.loads(data))  # noqa: S301 - our own executors' output
    profiles = {}
    for target in targets:
        found = found_in[target.domain]
        if not found:
            profiles[target.domain] = target.profile()
        elif len(found) == 1:
            profiles[target.domain] = found[0]
        else:
            profiles[target.domain] = found[0].merge(*found[1:])
    return profiles
