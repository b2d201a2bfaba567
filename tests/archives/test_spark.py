"""backlinkkit.spark: the Spark job equals the one-machine path and plain extraction.

One local Spark session serves every test (it takes 8-25 s to start); `nox -s spark` runs this
file. Without pyspark these tests are skipped.
"""

from __future__ import annotations

import collections
import dataclasses
import gzip
import json
import warnings

import pytest

pytest.importorskip("pyspark", reason="the Spark tests need the spark extra (nox -s spark)")
pytest.importorskip("fastwarc", reason="the Spark tests need the warc extra")

from backlinkkit._archives._arrow import rows_of_batch
from backlinkkit._cli import main
from backlinkkit.spark import backlinks_schema, run_job, spark_session
from backlinkkit.warc import (
    ArchiveFormat,
    ArchiveJobError,
    SkipReason,
    Target,
    row_columns,
    scan_archives,
    write_results,
)
from warc_builders import (
    TARGET_DOMAINS,
    TEST_PAGES,
    Page,
    WatEntry,
    WatPageSpec,
    plain_backlinks,
    plain_profiles,
    warc_file,
    warc_response,
    wat_file,
)

TARGETS = tuple(Target(domain) for domain in TARGET_DOMAINS)
LATER = dataclasses.replace(TEST_PAGES[0], date="2025-02-03T04:05:06Z", ip="192.0.2.99")


@pytest.fixture(scope="session")
def spark():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # py4j's sockets, at the JVM's start
        session = spark_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "4")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """Three WARCs: the test pages in two files, and a later capture of the first page."""
    folder = tmp_path_factory.mktemp("archives")
    paths = []
    for name, pages in (("one", TEST_PAGES[:5]), ("two", TEST_PAGES[5:]), ("later", [LATER])):
        path = folder / f"{name}.warc.gz"
        path.write_bytes(warc_file(pages))
        paths.append(str(path))
    return paths


def parquet_rows(out):
    import pyarrow.parquet as pq

    return list(rows_of_batch(pq.read_table(out / "backlinks")))


def counted(rows):
    return collections.Counter(rows)


def comparable(summary):
    return {k: v for k, v in summary.items() if k not in {"engine", "seconds", "cpu_seconds"}}


class TestSparkJob:
    def test_spark_equals_one_process_equals_plain(self, spark, archives, tmp_path):
        """Spark's rows and profiles equal the one-machine path's; without repeats, plain extraction's."""
        result = run_job(archives, TARGETS, str(tmp_path / "out"), spark=spark)
        local = scan_archives(archives, TARGETS, processes=1)
        assert counted(parquet_rows(tmp_path / "out")) == counted(local.rows)
        assert result.profiles == local.profiles
        assert result.backlinks_kept == len(local.rows)
        summary = json.loads((tmp_path / "out" / "job.json").read_text())
        assert summary["engine"] == "spark"
        assert comparable(summary) == comparable(
            {
                **local.stats.to_dict(),
                "backlinks_kept": len(local.rows),
                "rows_written": True,
                "targets": ["example.com", "xn--bcher-kva.example", "blog.shop.test"],
            }
        )
        single = run_job(archives[:2], TARGETS, str(tmp_path / "single"), spark=spark)
        assert single.profiles == plain_profiles(TEST_PAGES, TARGETS)
        plain = collections.Counter(plain_backlinks(TEST_PAGES, TARGETS))
        assert (
            collections.Counter((r.target, r.backlink) for r in parquet_rows(tmp_path / "single"))
            == plain
        )

    def test_grouping_and_order_change_nothing(self, spark, archives, tmp_path):
        """Several files per task, or the files in reverse order, give the same rows and profiles."""
        first = run_job(archives, TARGETS, str(tmp_path / "a"), spark=spark, files_per_task=3)
        second = run_job(archives[::-1], TARGETS, str(tmp_path / "b"), spark=spark)
        assert counted(parquet_rows(tmp_path / "a")) == counted(parquet_rows(tmp_path / "b"))
        assert first.profiles == second.profiles

    def test_duplicates_across_files_become_one_row(self, spark, archives, tmp_path):
        """A page in two files: one row per link, earliest and latest dates, the latest capture's IP."""
        run_job(archives, [Target("example.com")], str(tmp_path / "out"), spark=spark)
        rows = [r for r in parquet_rows(tmp_path / "out") if r.backlink.source_url == LATER.url]
        assert len(rows) == 5
        assert {
            (
                r.captures,
                str(r.backlink.first_seen),
                str(r.backlink.last_seen),
                r.backlink.source_ip,
                r.archive,
            )
            for r in rows
        } == {(2, "2024-05-01", "2025-02-03", "192.0.2.99", archives[0])}

    def test_damage_is_counted_not_fatal(self, spark, tmp_path):
        """A truncated file, a non-HTML record and a corrupt gzip member are counted in job.json."""
        good = [
            warc_response(Page(f"https://a.test/{i}", '<a href="https://example.com/">x</a>' * 20))
            for i in range(3)
        ]
        members = [gzip.compress(record, mtime=0) for record in good]
        corrupt = tmp_path / "corrupt.warc.gz"
        corrupt.write_bytes(members[0] + members[1][:40] + bytes(30) + members[1][70:] + members[2])
        truncated = tmp_path / "cut.warc.gz"
        truncated.write_bytes(b"".join(members)[:-50])
        image = tmp_path / "image.warc.gz"
        image.write_bytes(
            warc_file([Page("https://a.test/p.png", b"\x89PNG", content_type="image/png")])
        )
        sources = [str(corrupt), str(truncated), str(image), str(tmp_path / "missing.warc.gz")]
        result = run_job(sources, [Target("example.com")], str(tmp_path / "out"), spark=spark)
        summary = json.loads((tmp_path / "out" / "job.json").read_text())
        assert summary["bad_records"] == {"corrupt_gzip": 1, "truncated": 1, "unreadable": 1}
        assert summary["skipped"]["not_html"] == 1
        assert (summary["files"], summary["pages_parsed"]) == (4, 4)
        # Pages 0 and 2 of the corrupt file, 0 and 1 of the cut one, 20 links each; page 0's
        # two captures are one capture twice (the same date): 3 pages' links are kept.
        assert (summary["backlinks_found"], result.backlinks_kept) == (80, 60)

    def test_files_with_the_same_stats_each_count(self, spark, archives, tmp_path):
        """A file listed twice, and two missing files (the same stats each time), count per file."""
        sources = [
            archives[0],
            archives[0],
            str(tmp_path / "a.warc.gz"),
            str(tmp_path / "b.warc.gz"),
        ]
        for rows in (True, False):
            result = run_job(sources, TARGETS, str(tmp_path / f"out{rows}"), spark=spark, rows=rows)
            local = scan_archives(sources, TARGETS, processes=1)
            assert comparable(result.stats.to_dict()) == comparable(local.stats.to_dict())
            assert (result.stats.files, result.stats.skipped[SkipReason.UNREADABLE]) == (4, 2)
            assert result.backlinks_kept == len(local.rows)
            assert result.profiles == local.profiles

    def test_no_rows_gives_the_same_profiles(self, spark, archives, tmp_path):
        """--no-rows writes no backlinks/ and the same profiles (merged from partitions with |)."""
        with_rows = run_job(archives, TARGETS, str(tmp_path / "a"), spark=spark, prefilter=True)
        without = run_job(archives, TARGETS, str(tmp_path / "b"), spark=spark, rows=False)
        assert not (tmp_path / "b" / "backlinks").exists()
        assert without.profiles == with_rows.profiles
        profile = json.loads((tmp_path / "b" / "profiles" / "example.com.json").read_text())
        assert profile == json.loads(json.dumps(with_rows.profiles["example.com"].to_dict()))
        assert with_rows.stats.skipped_by_prefilter > 0

    def test_gzip_manifest_and_file_urls(self, spark, archives, tmp_path):
        """A gzip'd manifest of file:// URLs is read by Spark and gives what the paths give."""
        manifest = tmp_path / "warc.paths.gz"
        manifest.write_bytes(gzip.compress("".join(f"file://{p}\n" for p in archives).encode()))
        result = run_job([str(manifest)], TARGETS, str(tmp_path / "out"), spark=spark)
        assert result.stats.files == 3
        assert result.profiles == scan_archives(archives, TARGETS, processes=1).profiles

    def test_wat_files(self, spark, tmp_path):
        """WAT files go through Spark as they go through the one-machine path."""
        spec = WatPageSpec(
            "https://blog.test/",
            [WatEntry("https://example.com/a", "Example", "ugc"), WatEntry("/x", "x")],
            base="https://example.com/",
        )
        path = tmp_path / "pages.warc.wat.gz"
        path.write_bytes(wat_file([spec, dataclasses.replace(spec, date="2024-08-01T00:00:00Z")]))
        result = run_job(
            [str(path)],
            [Target("example.com")],
            str(tmp_path / "out"),
            spark=spark,
            format=ArchiveFormat.WAT,
        )
        local = scan_archives([str(path)], [Target("example.com")], processes=1)
        assert counted(parquet_rows(tmp_path / "out")) == counted(local.rows)
        assert result.profiles == local.profiles
        assert result.backlinks_kept == 2

    def test_refusals(self, spark, archives, tmp_path):
        """No target, no archive, or an output with results: ArchiveJobError before any work."""
        (tmp_path / "used").mkdir()
        (tmp_path / "used" / "job.json").write_text("{}")
        empty = tmp_path / "empty.txt"
        empty.write_text("# nothing\n")
        with pytest.raises(ArchiveJobError, match="already exists"):
            run_job(archives, TARGETS, str(tmp_path / "used"), spark=spark)
        with pytest.raises(ArchiveJobError, match="no target"):
            run_job(archives, [], str(tmp_path / "x"), spark=spark)
        with pytest.raises(ArchiveJobError, match="no archive"):
            run_job([str(empty)], TARGETS, str(tmp_path / "y"), spark=spark)


class TestSession:
    def test_local_session_runs_the_serial_collector(self, spark):
        """A local session's JVM collects with the serial collector, not G1 (its CPU cost)."""
        management = spark.sparkContext._jvm.java.lang.management.ManagementFactory
        names = {bean.getName() for bean in management.getGarbageCollectorMXBeans()}
        assert names == {"Copy", "MarkSweepCompact"}

    def test_the_users_own_java_options_are_kept(self, monkeypatch, tmp_path):
        """JVM options given in spark-defaults.conf or PYSPARK_SUBMIT_ARGS are not replaced."""
        from backlinkkit.spark import _java_options_set_elsewhere

        monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
        monkeypatch.delenv("SPARK_HOME", raising=False)
        monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
        assert not _java_options_set_elsewhere()  # no spark-defaults.conf
        (tmp_path / "spark-defaults.conf").write_text("spark.driver.memory 2g\n")
        assert not _java_options_set_elsewhere()
        (tmp_path / "spark-defaults.conf").write_text(
            "spark.driver.extraJavaOptions -Dhttp.proxyHost=proxy.test\n"
        )
        assert _java_options_set_elsewhere()
        monkeypatch.delenv("SPARK_CONF_DIR")
        monkeypatch.setenv(
            "PYSPARK_SUBMIT_ARGS",
            "--conf spark.driver.extraJavaOptions=-Xss4m pyspark-shell",
        )
        assert _java_options_set_elsewhere()


class TestSchema:
    def test_parquet_schema_is_the_one_process_paths(self, spark, archives, tmp_path):
        """Spark's Parquet has the columns, types and nullability the one-process path writes."""
        import pyarrow.parquet as pq

        run_job(archives, TARGETS, str(tmp_path / "spark"), spark=spark)
        write_results(scan_archives(archives, TARGETS, processes=1), str(tmp_path / "local"))

        def fields(out):
            schema = pq.read_schema(next((out / "backlinks").glob("*.parquet")))
            return [(f.name, str(f.type), f.nullable) for f in schema]

        spark_fields = fields(tmp_path / "spark")
        assert spark_fields == fields(tmp_path / "local")
        assert [(name, nullable) for name, _, nullable in spark_fields] == [
            (c.name, c.nullable) for c in row_columns()
        ]

    def test_spark_schema_follows_the_rows(self, spark):
        """The Spark schema of backlinks/ has the row columns, by name and in order."""
        assert [field.name for field in backlinks_schema().fields] == [
            c.name for c in row_columns()
        ]


class TestCommandOnSpark:
    def test_backlinkkit_warc_runs_in_local_mode(self, spark, archives, tmp_path, capsys):
        """`backlinkkit warc FILES --target D` runs on Spark and writes rows, profiles and job.json."""
        out = tmp_path / "out"
        status = main(
            [
                "warc",
                *archives,
                "--target",
                "example.com",
                "--out",
                str(out),
                "--master",
                "local[2]",
            ]
        )
        captured = capsys.readouterr()
        assert (status, captured.err) == (0, "")
        assert "backlinks kept" in captured.out
        assert json.loads((out / "job.json").read_text())["engine"] == "spark"
        assert (out / "profiles" / "example.com.json").exists()
        assert any(p.suffix == ".parquet" for p in (out / "backlinks").iterdir())

    def test_skip_reasons_name_their_values(self):
        """job.json's reasons are SkipReason values (what the docs list)."""
        assert {reason.value for reason in SkipReason} >= {"truncated", "corrupt_gzip", "not_html"}
