"""The functions Spark runs on its executors, over Arrow record batches.

They live in an importable module (not in a script's `__main__`, which Spark would pickle by
value and could not rebuild on a cluster), take plain values, and need no pyspark: the same
reading and merging code as the one-machine path.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Sequence
from typing import Any

from .. import LinkProfile
from ._arrow import arrow_schema, batch_of_rows, pyarrow, rows_of_batch
from ._scan import ArchiveFormat, scan_location
from ._targets import Target

__all__ = [
    "PROFILE_SCHEMA",
    "STATS_COLUMN",
    "extract_batches",
    "extraction_schema",
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
    column = pa.array([stats] * batch.num_rows, type=pa.string())
    return pa.RecordBatch.from_arrays([*batch.columns, column], schema=extraction_schema())


def extract_batches(
    batches: Iterator[Any],
    targets: Sequence[Target],
    fmt: ArchiveFormat | None,
    prefilter: bool,
) -> Iterator[Any]:
    """Read every archive named in the `path` column; yield its rows, then one stats row.

    A stats row has every row column null and the file's `ArchiveStats` as JSON.
    """
    pa = pyarrow()
    empty = pa.RecordBatch.from_pylist([], schema=arrow_schema(all_nullable=True))
    for batch in batches:
        for location in batch.column("path").to_pylist():
            scan = scan_location(location, targets, format=fmt, prefilter=prefilter)
            for start in range(0, len(scan.rows), _ROWS_PER_BATCH):
                chunk = scan.rows[start : start + _ROWS_PER_BATCH]
                yield _with_stats(batch_of_rows(chunk, all_nullable=True), None)
            nulls = pa.RecordBatch.from_arrays(
                [pa.nulls(1, type=field.type) for field in empty.schema], schema=empty.schema
            )
            yield _with_stats(nulls, json.dumps(scan.stats.to_dict()))


PROFILE_SCHEMA = "target string, profile binary, rows long"


def profile_batches(batches: Iterator[Any], targets: Sequence[Target]) -> Iterator[Any]:
    """A pickled `LinkProfile` per target that has rows in this partition, and the row count.

    The count rides on the first output row (the others carry 0), so the driver learns how many
    rows were kept without another pass over them.
    """
    pa = pyarrow()
    by_domain = {target.domain: target for target in targets}
    profiles: dict[str, LinkProfile] = {}
    count = 0
    for batch in batches:
        for row in rows_of_batch(batch):
            count += 1
            profile = profiles.get(row.target)
            if profile is None:
                profile = profiles[row.target] = by_domain[row.target].profile()
            profile.add(row.backlink)
    domains: list[str | None] = [*profiles] or [None]
    pickles = [
        None if d is None else pickle.dumps(profiles[d], protocol=pickle.HIGHEST_PROTOCOL)
        for d in domains
    ]
    schema = pa.schema(
        [
            pa.field("target", pa.string()),
            pa.field("profile", pa.binary()),
            pa.field("rows", pa.int64()),
        ]
    )
    counts = [count] + [0] * (len(domains) - 1)
    yield pa.RecordBatch.from_pydict(
        {"target": domains, "profile": pickles, "rows": counts}, schema=schema
    )


def merged_profiles(
    pickles: Sequence[tuple[str | None, bytes | None]], targets: Sequence[Target]
) -> dict[str, LinkProfile]:
    """The partitions' profiles of each target merged with `|` (every target gets one)."""
    parts: dict[str, list[LinkProfile]] = {target.domain: [] for target in targets}
    for domain, data in pickles:
        if domain is not None and data is not None:
            parts[domain].append(pickle.loads(data))  # noqa: S301 - our own executors' output
    profiles = {}
    for target in targets:
        found = parts[target.domain]
        if not found:
            profiles[target.domain] = target.profile()
        elif len(found) == 1:
            profiles[target.domain] = found[0]
        else:
            profiles[target.domain] = found[0].merge(*found[1:])
    return profiles
