"""The backlink job on Apache Spark: web archives in, Parquet rows and link profiles out.

`run_job` reads a list of WARC or WAT files (given directly, or by manifests like Common
Crawl's `warc.paths.gz`), one Spark task per file (or per few files), and writes:

- `OUT/backlinks/`: a Parquet dataset, one row per link to a target, the captures of the same
  link in several crawls or files merged into one row by Spark (`first_seen` / `last_seen` the
  earliest and latest capture): every `Backlink` field by its name, then `target`, `archive`,
  `archive_offset`, `occurrence`, `captures` (see `backlink_columns`);
- `OUT/profiles/<target>.json`: each target's `LinkProfile.to_dict()`, the profile built from
  those rows per partition and merged with `|`;
- `OUT/job.json`: files, records, pages parsed, pages skipped by the prefilter, bad records by
  reason, backlinks found and kept, time.

Needs the `spark` extra (pyspark, pyarrow, FastWARC) on the driver and on every executor::

    pip install 'backlinkkit[spark]'

The tasks are functions of backlinkkit itself (nothing is pickled by value), so a cluster needs
backlinkkit installed on each node (see the cluster page of the docs).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import LinkProfile, MissingDependencyError
from ._archives._arrow import arrow_schema
from ._archives._errors import ArchiveJobError
from ._archives._output import (
    ROWS_DIR,
    SUMMARY_FILE,
    check_output,
    job_summary,
    write_json,
    write_profiles,
)
from ._archives._rows import IDENTITY_COLUMNS, row_columns
from ._archives._scan import ArchiveFormat, ArchiveStats
from ._archives._sources import is_archive_name, join_location, resolve_entry
from ._archives._targets import Target
from ._archives._tasks import (
    STATS_COLUMN,
    PartsParam,
    extract_batches,
    extraction_schema,
    job_stats,
    merged_profiles,
    profile_batches,
)

__all__ = ["JobResult", "backlinks_schema", "main", "run_job", "spark_session"]

_LOCAL_JAVA_OPTIONS = "-XX:+UseSerialGC"

# Fields a later capture may change: the merged row takes them from the latest capture.
_DATES = ("first_seen", "last_seen")
_PLACE = ("archive", "archive_offset")


@contextlib.contextmanager
def _no_pandas_version_warning() -> Iterator[None]:
    """Silence pyspark's one FutureWarning about pandas >= 3 (the job uses Arrow, not pandas).

    pyspark 4.3 warns on every `mapInArrow` (and at start) that it "does not yet fully support
    pandas >= 3.0.0"; no pandas code runs here, so that one message, and only it, is ignored.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        yield


def _pyspark() -> Any:  # noqa: ANN401 - the pyspark.sql module
    try:
        import pyspark.sql  # noqa: PLC0415 - the extra is optional
    except ImportError as error:
        raise MissingDependencyError(
            "the Spark job needs pyspark: pip install 'backlinkkit[spark]' "
            "(or run `backlinkkit warc --processes N` without Spark)"
        ) from error
    return pyspark.sql


@attrs.frozen(eq=False)
class JobResult:
    """What `run_job` did: its summary (`job.json`), the profiles, where it wrote them.

    Attributes:
        out: the output folder.
        stats: what reading the archives saw.
        backlinks_kept: rows after the captures of each link were merged.
        profiles: the `LinkProfile` of each target, by domain.
        seconds: the job's wall time.
        summary: the content of `job.json`.
    """

    out: str
    stats: ArchiveStats
    backlinks_kept: int
    profiles: Mapping[str, LinkProfile]
    seconds: float
    summary: Mapping[str, object]


def backlinks_schema() -> Any:  # noqa: ANN401 - a pyspark StructType
    """The Spark schema of the `backlinks/` rows (from `backlinkkit.warc.row_columns`).

    >>> [field.name for field in backlinks_schema().fields][:3]  # doctest: +SKIP
    ['source_url', 'target_url', 'anchor']
    """
    _pyspark()
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    from ._archives._arrow import arrow_schema  # noqa: PLC0415

    return from_arrow_schema(arrow_schema())


def spark_session(master: str | None = None) -> Any:  # noqa: ANN401 - a SparkSession
    """The active Spark session, or a new one: `master` if given, else `local[*]`.

    Under `spark-submit` (or in a notebook) the session it made is used as it is. In local
    mode the executors run this Python (`sys.executable`), so a virtualenv just works, and the
    JVM uses the serial garbage collector (`-XX:+UseSerialGC`, the cheapest in CPU for one
    process with a small heap), unless `spark.driver.extraJavaOptions` is set in
    `spark-defaults.conf` or `PYSPARK_SUBMIT_ARGS` (those are used as they are).

    Raises:
        MissingDependencyError: pyspark (the `spark` extra) is not installed.
    """
    sql = _pyspark()
    active = sql.SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = sql.SparkSession.builder.appName("backlinkkit warc")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # the JVM that spark-submit started
    if master is not None or not submitted:
        master = master or "local[*]"
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # One machine: no web UI, and few shuffle partitions for the merge (not Spark's 200).
        builder = builder.config("spark.ui.enabled", "false")
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
        # One JVM does all the work with a small heap (1 GB by default): the serial collector
        # costs about a third less CPU per job than G1 here (docs/spark.md, "Spark's own cost").
        if not _java_options_set_elsewhere():
            builder = builder.config("spark.driver.extraJavaOptions", _LOCAL_JAVA_OPTIONS)
    builder = builder.config("spark.ui.showConsoleProgress", str(sys.stderr.isatty()).lower())
    with _no_pandas_version_warning():
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _java_options_set_elsewhere() -> bool:
    """Whether the user gives the driver's JVM options (which the builder's would replace).

    They can come from `PYSPARK_SUBMIT_ARGS` or from `spark-defaults.conf` in
    `SPARK_CONF_DIR` (by default `SPARK_HOME/conf`).
    """
    if "extraJavaOptions" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return True
    home = os.environ.get("SPARK_HOME")
    folder = os.environ.get("SPARK_CONF_DIR") or (str(Path(home) / "conf") if home else None)
    if folder is None:
        return False
    try:
        defaults = (Path(folder) / "spark-defaults.conf").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "spark.driver.extraJavaOptions" in defaults


def _locations(session: Any, sources: Sequence[str], prefix: str | None) -> list[str]:  # noqa: ANN401
    archives = [source for source in sources if is_archive_name(source)]
    manifests = [source for source in sources if not is_archive_name(source)]
    locations = list(archives)
    if manifests:
        # Spark reads the manifests itself: any Hadoop filesystem, gzip'd or not.
        lines = session.read.text(manifests).collect()
        for line in lines:
            entry = line.value.strip()
            if entry and not entry.startswith("#"):
                locations.append(resolve_entry(entry, prefix))
    return locations


def _merged(found: Any) -> Any:  # noqa: ANN401 - DataFrames in and out
    from pyspark.sql import functions as F  # noqa: N812, PLC0415 - Spark's own idiom

    names = [column.name for column in row_columns()]
    key = list(IDENTITY_COLUMNS)
    latest = [n for n in names if n not in key and n not in (*_DATES, *_PLACE, "captures")]
    # The files' stats rows are merged too (rows have no stats; see `extract_batches`).
    grouped = found.groupBy(*key, STATS_COLUMN).agg(
        F.min("first_seen").alias("first_seen"),
        F.max("last_seen").alias("last_seen"),
        F.min_by(F.struct(*_PLACE), F.struct("first_seen", *_PLACE)).alias("_first"),
        F.max_by(F.struct(*latest), F.struct("last_seen", *_PLACE)).alias("_latest"),
        F.sum("captures").alias("captures"),
    )
    columns = []
    for name in names:
        if name in key or name in _DATES or name == "captures":
            columns.append(F.col(name))
        elif name in _PLACE:
            columns.append(F.col(f"_first.{name}").alias(name))
        else:
            columns.append(F.col(f"_latest.{name}").alias(name))
    return grouped.select(*columns, STATS_COLUMN)


def run_job(
    sources: Sequence[str],
    targets: Sequence[Target],
    out: str,
    *,
    format: ArchiveFormat | None = None,  # noqa: A002 - the word users know
    prefilter: bool = False,
    rows: bool = True,
    files_per_task: int = 1,
    prefix: str | None = None,
    spark: Any = None,  # noqa: ANN401 - a SparkSession
    master: str | None = None,
) -> JobResult:
    """Run the backlink job on Spark and write `backlinks/`, `profiles/` and `job.json` in `out`.

    Args:
        sources: archives (`.warc[.gz]`, `.wat[.gz]`) and manifests listing them (any other
            name), as local paths or URLs Spark and pyarrow read (`file://`, `s3a://`,
            `hdfs://`, `gs://`).
        targets: the targets whose backlinks to collect.
        out: the output folder (local path or URL); it must not hold a job's results yet.
        format: WARC or WAT for every file; by default each file's name tells.
        prefilter: skip pages whose bytes cannot hold a link to a target (see `Prefilter`).
        rows: write the Parquet rows; with False only the profiles and `job.json` are written.
        files_per_task: how many archives one Spark task reads.
        prefix: put before relative manifest entries (`s3a://commoncrawl/` for Common Crawl's).
        spark: the session to use; by default `spark_session(master)`.
        master: the Spark master URL when a session is made (`local[*]` by default).

    Returns:
        The summary, the profiles, and where they went.

    Raises:
        ArchiveJobError: no targets, no archives, or `out` already holds results.
        MissingDependencyError: pyspark or pyarrow is not installed.
    """
    started = time.monotonic()
    targets = tuple(targets)
    if not targets:
        raise ArchiveJobError("no target: give at least one domain")
    if files_per_task < 1:
        raise ArchiveJobError(f"files_per_task must be at least 1, not {files_per_task}")
    check_output(out)
    session = spark if spark is not None else spark_session(master)
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    locations = _locations(session, sources, prefix)
    if not locations:
        raise ArchiveJobError("the sources list no archive")
    tasks = math.ceil(len(locations) / files_per_task)
    files = session.createDataFrame([(location,) for location in locations], "path string")
    files = files.repartition(tasks)
    extract = functools.partial(extract_batches, targets=targets, fmt=format, prefilter=prefilter)
    # One Spark job: read, merge, then profile the merged rows as they go to the Parquet
    # writer; the profiles and stats come back through an accumulator, not another pass.
    parts = session.sparkContext.accumulator([], PartsParam())
    profile = functools.partial(profile_batches, targets=targets, parts=parts, keep_rows=rows)
    with _no_pandas_version_warning():
        extracted = files.mapInArrow(extract, from_arrow_schema(extraction_schema()))
        profiled = _merged(extracted).mapInArrow(profile, from_arrow_schema(arrow_schema()))
    if rows:
        profiled.write.mode("errorifexists").parquet(join_location(out, ROWS_DIR))
    else:
        profiled.collect()  # no rows: the profiling tasks yield none
    found = list(parts.value)
    parts.value = []  # the driver's registry keeps the accumulator: free the pickles
    stats = job_stats(found)
    kept = sum(part.rows for part in found)
    profiles = merged_profiles(found, targets)
    write_profiles(profiles, out)
    seconds = time.monotonic() - started
    summary = job_summary(
        stats,
        targets=[target.domain for target in targets],
        backlinks_kept=kept,
        seconds=seconds,
        engine="spark",
        rows=rows,
    )
    write_json(summary, join_location(out, SUMMARY_FILE))
    return JobResult(out, stats, kept, profiles, seconds, summary)


def main(argv: Sequence[str] | None = None) -> int:
    """`backlinkkit warc` for `spark-submit`: the same options, the session spark-submit made.

    A driver script for a cluster is two lines::

        import sys, backlinkkit.spark
        sys.exit(backlinkkit.spark.main())

    Returns:
        The command's exit status.
    """
    from ._archives._command import run_from_argv  # noqa: PLC0415

    return run_from_argv(sys.argv[1:] if argv is None else list(argv))


JobResult.__module__ = __name__
