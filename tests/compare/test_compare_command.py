"""`backlinkkit gap` and `backlinkkit diff`: files written, exact records, exit statuses."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlinkkit import Backlink, write_backlinks
from backlinkkit._cli import main


def export(path: Path, links: list[Backlink]) -> str:
    """Write `links` as a generic-layout export; return its path as the command takes it."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_backlinks(links, stream)
    return str(path)


def links(site: str, sources: dict[str, list[str]], **fields: object) -> list[Backlink]:
    """Per referring host, one link per anchor listed (each from its own page)."""
    return [
        Backlink(f"https://{source}/p{i}", f"https://{site}/", anchor=anchor, **fields)  # type: ignore[arg-type]
        for source, anchors in sources.items()
        for i, anchor in enumerate(anchors)
    ]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def gap_inputs(tmp_path: Path) -> dict[str, str]:
    return {
        "me": export(tmp_path / "me.csv", links("me.test", {"news.test": ["Me"]})),
        "a": export(
            tmp_path / "a.csv",
            links(
                "a.test",
                {
                    "news.test": ["A"],
                    "blog.test": ["running shoes", "A test"],
                    "wiki.test": ["source"],
                },
            ),
        ),
        "b": export(
            tmp_path / "b.csv",
            links("b.test", {"blog.test": ["here"]})
            + links("b.test", {"shop.test": ["B"]}, domain_rating=75.0),
        ),
    }


class TestGap:
    def test_writes_gap_json_and_csv(self, tmp_path, gap_inputs, capsys):
        """The gap's records, in work order, in both files; the summary line on stdout."""
        out = tmp_path / "out"
        status, stdout, err = run(
            [
                "gap", gap_inputs["me"], "--site", "me.test", "--keyword", "running shoes",
                "--competitor", f"a.test={gap_inputs['a']}",
                "--competitor", f"b.test={gap_inputs['b']}", "--out", str(out),
            ],
            capsys,
        )  # fmt: skip
        assert (status, err) == (0, "")
        assert stdout.splitlines()[0] == (
            "gap of me.test against 2 competitors: 3 referring domains link to at least 1 and "
            "not to me.test, 1 to all; 1 link to me.test too"
        )
        rows = read_csv(out / "gap.csv")
        assert [(r["domain"], r["competitors"], r["links"], r["authority_bucket"]) for r in rows] == [
            ("blog.test", "a.test b.test", "3", "unknown"),
            ("shop.test", "b.test", "1", "top-100k"),
            ("wiki.test", "a.test", "1", "unknown"),
        ]  # fmt: skip
        assert rows[0]["anchors_exact_match"] == "1"
        assert rows[1]["authority_metric"] == "domain_rating"
        record = json.loads((out / "gap.json").read_text(encoding="utf-8"))
        assert record["competitors"] == ["a.test", "b.test"]
        assert record["target_domains"] == 1
        assert [r["domain"] for r in record["intersection"]] == ["blog.test"]
        assert {k: [r["domain"] for r in v] for k, v in record["unique"].items()} == {
            "a.test": ["wiki.test"], "b.test": ["shop.test"],
        }  # fmt: skip
        first = record["gap"][0]
        assert first["competitors"] == ["a.test", "b.test"]
        assert first["links_by_competitor"] == {"a.test": 2, "b.test": 1}
        assert first["anchor_categories"]["exact_match"] == 1
        assert record["gap"][1]["authority"] == {
            "source": "import", "metric": "domain_rating", "score": 75.0, "bucket": "top-100k",
        }  # fmt: skip
        assert [i["links"] for i in record["inputs"]["b.test"]] == [2]
        assert record["ranks"] is None
        assert sorted(p.name for p in out.iterdir()) == ["gap.csv", "gap.json"]  # no temp files

    def test_min_competitors(self, tmp_path, gap_inputs, capsys):
        """`--min-competitors 2` keeps the domains that link to both."""
        status, _, _ = run(
            ["gap", gap_inputs["me"], "--site", "me.test", "--competitor",
             f"a.test={gap_inputs['a']}", "--competitor", f"b.test={gap_inputs['b']}",
             "--min-competitors", "2", "--out", str(tmp_path / "o")],
            capsys,
        )  # fmt: skip
        assert status == 0
        assert [r["domain"] for r in read_csv(tmp_path / "o" / "gap.csv")] == ["blog.test"]

    def test_several_exports_per_competitor_merge(self, tmp_path, gap_inputs, capsys):
        """A competitor given twice has its exports merged: the same link counts once."""
        again = export(tmp_path / "a2.csv", links("a.test", {"wiki.test": ["source"],
                                                             "forum.test": ["A"]}))  # fmt: skip
        status, _, _ = run(
            ["gap", gap_inputs["me"], "--site", "me.test", "--competitor",
             f"a.test={gap_inputs['a']}", "--competitor", f"A.Test={again}",
             "--out", str(tmp_path / "o")],
            capsys,
        )  # fmt: skip
        assert status == 0
        record = json.loads((tmp_path / "o" / "gap.json").read_text(encoding="utf-8"))
        assert record["competitors"] == ["a.test"]
        assert {r["domain"]: r["links"] for r in record["gap"]} == {
            "blog.test": 2, "wiki.test": 1, "forum.test": 1,
        }  # fmt: skip
        assert [(i["links"], i["duplicates"]) for i in record["inputs"]["a.test"]] == [
            (4, 0), (1, 1),
        ]  # fmt: skip

    def test_ranks_file(self, tmp_path, gap_inputs, capsys):
        """`--ranks` gives the domains Common Crawl's rank, over the exports' scores."""
        ranks = tmp_path / "ranks.txt.gz"
        ranks.write_bytes(gzip.compress(
            b"#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n"
            b"12\t3.1E7\t20\t0.001\ttest.shop\t4\n"
            b"20000000\t1.0E5\t30000000\t1E-9\ttest.wiki\t1\n"
        ))  # fmt: skip
        status, _, err = run(
            ["gap", gap_inputs["me"], "--site", "me.test", "--competitor",
             f"a.test={gap_inputs['a']}", "--competitor", f"b.test={gap_inputs['b']}",
             "--ranks", str(ranks), "--out", str(tmp_path / "o")],
            capsys,
        )  # fmt: skip
        assert (status, err) == (0, "")
        rows = {r["domain"]: r for r in read_csv(tmp_path / "o" / "gap.csv")}
        assert (rows["shop.test"]["authority_source"], rows["shop.test"]["authority_value"]) == (
            "common_crawl", "12",
        )  # fmt: skip
        assert rows["wiki.test"]["authority_bucket"] == "beyond-10m"
        record = json.loads((tmp_path / "o" / "gap.json").read_text(encoding="utf-8"))
        assert record["ranks"] == {"level": "domain", "rows": 2, "asked": 4, "found": 2}

    def test_csv_cells_neutralized(self, tmp_path, capsys):
        """A domain that a spreadsheet would take for a formula is written with a `'`."""
        me = export(tmp_path / "me.csv", links("me.test", {"news.test": ["Me"]}))
        rival = export(tmp_path / "a.csv", links("a.test", {"-2+3.test": ["x"]}))
        status, _, _ = run(
            ["gap", me, "--site", "me.test", "--competitor", f"a.test={rival}",
             "--out", str(tmp_path / "o")],
            capsys,
        )  # fmt: skip
        assert status == 0
        assert [r["domain"] for r in read_csv(tmp_path / "o" / "gap.csv")] == ["'-2+3.test"]
        record = json.loads((tmp_path / "o" / "gap.json").read_text(encoding="utf-8"))
        assert record["gap"][0]["domain"] == "-2+3.test"  # JSON keeps the value itself

    def test_files_replaced_atomically(self, tmp_path, gap_inputs, capsys):
        """A second run replaces the files whole; the directory holds nothing else."""
        args = ["gap", gap_inputs["me"], "--site", "me.test", "--competitor",
                f"a.test={gap_inputs['a']}", "--out", str(tmp_path / "o")]  # fmt: skip
        (tmp_path / "o").mkdir()
        (tmp_path / "o" / "gap.csv").write_text("old", encoding="utf-8")
        assert run(args, capsys)[0] == 0
        assert run(args, capsys)[0] == 0
        assert (tmp_path / "o" / "gap.csv").read_text(encoding="utf-8").startswith("domain,")
        assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["gap.csv", "gap.json"]


def _gap_args(tmp_path: Path, *extra: str) -> list[str]:
    me = export(tmp_path / "me.csv", links("me.test", {"news.test": ["Me"]}))
    return ["gap", me, "--site", "me.test", "--out", str(tmp_path / "o"), *extra]


class TestGapFailures:
    @pytest.mark.parametrize(
        ("extra", "status", "message"),
        [
            (["--competitor", "a.test=missing.csv"], 2, "cannot read missing.csv"),
            (["--competitor", "a.test"], 2, "takes DOMAIN=EXPORT"),
            (["--competitor", "=x.csv"], 2, "takes DOMAIN=EXPORT"),
            (["--competitor", "ME.test=x.csv"], 2, "is the site itself"),
            (["--competitor", "a.test=x.csv", "--min-competitors", "2"], 2, "from 1 to the number"),
            (["--competitor", "a.test=x.csv", "--min-competitors", "0"], 2, "from 1 to the number"),
            (["--competitor", "bad host!=x.csv"], 1, "not a host name"),
            (["--competitor", "a.test=x.csv", "--ranks", "missing.gz"], 2, "cannot read missing.gz"),
            (["--competitor", "a.test=junk.bin"], 1, "junk.bin"),
            (["--competitor", "a.test=x.csv", "--ranks", "bad-ranks.txt"], 1, "line 1 is not"),
            (["--competitor", "a.test=x.csv", "--ranks", "bad-row.txt"], 1, "line 2: expected 6"),
            (["--competitor", "a.test=x.csv", "--out", "file/sub"], 4, "cannot write"),
            ([], 2, "--competitor"),
        ],
    )  # fmt: skip
    def test_one_line_and_status(self, tmp_path, monkeypatch, capsys, *, extra, status, message):
        """Every failure is one line on stderr with its documented status, no traceback."""
        monkeypatch.chdir(tmp_path)
        export(tmp_path / "x.csv", links("a.test", {"blog.test": ["A"]}))
        (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 4)
        (tmp_path / "bad-ranks.txt").write_text("not a ranks file\n", encoding="utf-8")
        (tmp_path / "bad-row.txt").write_text(
            "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n1\t2\t3\n",
            encoding="utf-8",
        )
        (tmp_path / "file").write_text("", encoding="utf-8")
        code, _, err = run(_gap_args(tmp_path, *extra), capsys)
        assert code == status
        assert message in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1 or code == 2  # argparse's usage + one line


@pytest.fixture
def snapshots(tmp_path: Path) -> dict[str, str]:
    return {
        "oct1": export(tmp_path / "oct-ahrefs.csv",
                       links("example.com", {"a.test": ["Example"], "b.test": ["Example"] * 3})),
        "oct2": export(tmp_path / "oct-semrush.csv",
                       links("example.com", {"b.test": ["Example"], "d.test": ["here"]})),
        "nov": export(tmp_path / "nov.csv",
                      links("example.com", {"b.test": ["Example"], "c.test": ["buy shoes"] * 2,
                                            "d.test": ["here"]})),
    }  # fmt: skip


class TestDiff:
    def test_several_exports_per_side(self, tmp_path, snapshots, capsys):
        """`--old F F --new F`: gained, lost, kept with links, categories and flags, both files."""
        out = tmp_path / "o"
        status, stdout, err = run(
            ["diff", "--old", snapshots["oct1"], snapshots["oct2"], "--new", snapshots["nov"],
             "--site", "example.com", "--keyword", "buy shoes", "--out", str(out)],
            capsys,
        )  # fmt: skip
        assert (status, err) == (0, "")
        assert stdout.startswith("diff of example.com: 3 -> 3 referring domains (1 gained, 1 lost")
        record = json.loads((out / "diff.json").read_text(encoding="utf-8"))
        assert [(r["domain"], r["links_after"]) for r in record["gained"]] == [("c.test", 2)]
        assert [(r["domain"], r["links_before"]) for r in record["lost"]] == [("a.test", 1)]
        # b.test/p0 is in both October exports: one link; p1, p2 are the Ahrefs export's own.
        assert [(r["domain"], r["links_before"], r["links_after"]) for r in record["kept"]] == [
            ("b.test", 3, 1), ("d.test", 1, 1),
        ]  # fmt: skip
        exact = next(c for c in record["categories"] if c["category"] == "exact_match")
        assert (exact["domains_before"], exact["domains_after"]) == (0, 1)
        assert set(record["flags"]) == {"raised", "cleared", "changed", "unchanged"}
        assert [len(record["inputs"][side]) for side in ("old", "new")] == [2, 1]
        assert record["inputs"]["old"][1]["duplicates"] == 1
        assert read_csv(out / "diff.csv") == [
            {"domain": "c.test", "status": "gained", "links_before": "0", "links_after": "2",
             "change": "2"},
            {"domain": "a.test", "status": "lost", "links_before": "1", "links_after": "0",
             "change": "-1"},
            {"domain": "b.test", "status": "kept", "links_before": "3", "links_after": "1",
             "change": "-2"},
            {"domain": "d.test", "status": "kept", "links_before": "1", "links_after": "1",
             "change": "0"},
        ]  # fmt: skip

    def test_pair_form(self, tmp_path, snapshots, capsys):
        """`diff OLD NEW` is one export per side."""
        status, _, _ = run(
            ["diff", snapshots["oct1"], snapshots["nov"], "--site", "example.com",
             "--out", str(tmp_path / "o")],
            capsys,
        )  # fmt: skip
        assert status == 0
        rows = read_csv(tmp_path / "o" / "diff.csv")
        assert [(r["domain"], r["status"]) for r in rows] == [
            ("c.test", "gained"), ("d.test", "gained"), ("a.test", "lost"), ("b.test", "kept"),
        ]  # fmt: skip

    def test_thresholds_file(self, tmp_path, snapshots, capsys):
        """`--thresholds` sets what the flags of both sides are judged by."""
        settings_file = tmp_path / "t.toml"
        settings_file.write_text("min_referring_domains = 1\n", encoding="utf-8")
        names = []
        for extra in ([], ["--thresholds", str(settings_file)]):
            status, _, err = run(
                ["diff", snapshots["oct1"], snapshots["nov"], "--site", "example.com",
                 *extra, "--out", str(tmp_path / "o")],
                capsys,
            )  # fmt: skip
            assert (status, err) == (0, "")
            record = json.loads((tmp_path / "o" / "diff.json").read_text(encoding="utf-8"))
            flags = record["flags"]["unchanged"] + record["flags"]["raised"]
            names.append({f["name"] for f in flags})
        # By default 3 referring domains are too few to judge; from 1 on, the rules run.
        assert "domain_concentration" not in names[0]
        assert "domain_concentration" in names[1]

    @pytest.mark.parametrize(
        ("args", "status", "message"),
        [
            (["only.csv"], 2, "give two exports"),
            (["a", "b", "c"], 2, "give two exports"),
            (["--old", "x.csv"], 2, "--old F... and --new F..."),
            (["x.csv", "x.csv", "--new", "x.csv"], 2, "not both"),
            (["--old", "x.csv", "--new", "missing.csv"], 2, "cannot read missing.csv"),
            (["x.csv", "x.csv", "--thresholds", "bad.toml"], 1, "bad.toml"),
            (["x.csv", "x.csv", "--thresholds", "missing.toml"], 2, "cannot read missing.toml"),
            (["x.csv", "junk.bin"], 1, "junk.bin"),
            (["x.csv", "x.csv", "--out", "file"], 4, "cannot write"),
        ],
    )
    def test_failures(self, tmp_path, monkeypatch, capsys, *, args, status, message):
        """Every failure is one line on stderr with its documented status, no traceback."""
        monkeypatch.chdir(tmp_path)
        export(tmp_path / "x.csv", links("example.com", {"blog.test": ["A"]}))
        (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 4)
        (tmp_path / "bad.toml").write_text("min_referring_domains = 'many'\n", encoding="utf-8")
        (tmp_path / "file").write_text("", encoding="utf-8")
        code, _, err = run(["diff", *args, "--site", "example.com"], capsys)
        assert code == status
        assert message in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_any_export_bytes_fail_cleanly(tmp_path_factory, data):
    """Whatever bytes an export holds, the commands finish with 0 or 1 and at most one line."""
    folder = tmp_path_factory.mktemp("any")
    (folder / "in.csv").write_bytes(data)
    good = export(folder / "good.csv", links("example.com", {"blog.test": ["A"]}))
    for args in (
        ["diff", good, str(folder / "in.csv"), "--site", "example.com"],
        ["gap", good, "--site", "example.com", "--competitor", f"a.test={folder / 'in.csv'}"],
    ):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main([*args, "--out", str(folder / "o")])
        assert code in {0, 1}
        assert len(err.getvalue().splitlines()) <= 1
        assert "Traceback" not in err.getvalue()
