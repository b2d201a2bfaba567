"""The audit's comparisons: competitors (link gap), a previous snapshot, ranks, target checks.

Target checks run against a real HTTP server on 127.0.0.1 (the fetcher allowed private
addresses for the test); nothing here resolves a name or leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import importlib.util
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from backlinkkit import (
    AnchorCategory,
    AuthorityBucket,
    AuthorityError,
    ComparisonError,
    FlagName,
    TargetStatus,
)
from backlinkkit._cli import main
from backlinkkit.audit import COMPARISON_TABLES, AuditResult, audit

D = dt.date
HEADER = "source_url,target_url,anchor\n"
RANKS_HEADER = "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n"


def export(site: str, *rows: tuple[str, str]) -> io.StringIO:
    """A generic export: (source host, anchor) pairs, each linking to the site's home page."""
    lines = "".join(f"https://{host}/post,https://{site}/,{anchor}\n" for host, anchor in rows)
    return io.StringIO(HEADER + lines)


def ranks_file(*rows: tuple[int, str]) -> io.BytesIO:
    """A gzip domain-graph ranks file: (harmonic position, domain) rows, names reversed."""
    body = "".join(
        f"{pos}\t{1 / pos:.6f}\t{pos}\t{1 / pos / 10:.8f}\t{'.'.join(reversed(d.split('.')))}\t1\n"
        for pos, d in rows
    )
    return io.BytesIO(gzip.compress((RANKS_HEADER + body).encode()))


def site_audit(**kwargs) -> AuditResult:
    mine = export("site.test", ("news.test", "Site"), ("blog.test", "Site"))
    return audit([("mine.csv", mine)], site="site.test", date=D(2026, 11, 30), **kwargs)


def competitors() -> dict[str, list[tuple[str, io.StringIO]]]:
    return {
        "a.test": [
            ("a-1.csv", export("a.test", ("blog.test", "A"), ("wiki.test", "A"))),
            ("a-2.csv", export("a.test", ("wiki.test", "A"), ("shared.test", "A"))),
        ],
        "b.test": [("b.csv", export("b.test", ("shared.test", "B"), ("shop.test", "B")))],
    }


class TestGap:
    def test_gap_intersection_and_unique(self):
        """Competitors' exports merge per competitor; the gap leaves out the site's domains."""
        result = site_audit(competitors=competitors())
        assert result.gap is not None
        assert [(r.domain, r.competitors) for r in result.gap.gap] == [
            ("shared.test", ("a.test", "b.test")),
            ("shop.test", ("b.test",)),
            ("wiki.test", ("a.test",)),
        ]
        assert [r.domain for r in result.gap.intersection] == ["shared.test"]
        assert result.gap.target_domains == 1  # blog.test links to the site already
        a = result.competitors[0]
        assert [(i.name, i.rows, i.links, i.duplicates) for i in a.inputs] == [
            ("a-1.csv", 2, 2, 0),
            ("a-2.csv", 2, 1, 1),
        ]

    def test_min_competitors(self):
        """`min_competitors` is the gap's k."""
        result = site_audit(competitors=competitors(), min_competitors=2)
        assert result.gap is not None
        assert [r.domain for r in result.gap.gap] == ["shared.test"]

    def test_competitors_anchors_are_read_for_the_sites_keywords(self):
        """A competitor's keyword anchor is an exact match, as `backlinkkit gap` counts it."""
        rival = {"a.test": [("a.csv", export("a.test", ("wiki.test", "running shoes")))]}
        result = site_audit(competitors=rival, keywords=["running shoes"])
        assert result.gap is not None
        (row,) = result.gap.gap
        assert row.anchor_categories[AnchorCategory.EXACT_MATCH] == 1

    def test_min_competitors_on_the_command_line(self, tmp_path, capsys, monkeypatch):
        """`audit --min-competitors K` is the gap's k, as `audit(min_competitors=K)`."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setitem(sys.modules, "jinja2", None)
        (tmp_path / "mine.csv").write_text(export("site.test", ("news.test", "Site")).getvalue())
        for name, rows in competitors().items():
            for i, (_, stream) in enumerate(rows):
                (tmp_path / f"{name}-{i}.csv").write_text(stream.getvalue())
        rivals = [f"{p.stem.rsplit('-', 1)[0]}={p.name}" for p in sorted(tmp_path.glob("?.test-*"))]
        argv = ["audit", "mine.csv", "--site", "site.test", "--min-competitors", "2", "--out", "o"]
        for rival in rivals:
            argv += ["--competitor", rival]
        assert main(argv) == 0
        summary = json.loads((tmp_path / "o" / "summary.json").read_text())
        assert summary["gap"]["min_competitors"] == 2
        assert summary["gap"]["counts"]["gap"] == 1  # shared.test, linking to both

    def test_site_among_competitors_is_refused(self):
        """The site given as its own competitor is refused with the library's error."""
        with pytest.raises(ComparisonError):
            site_audit(competitors={"site.test": [export("site.test", ("x.test", "X"))]})

    def test_summary_and_csv(self, tmp_path):
        """summary.json's `gap` holds counts and the first rows; gap.csv holds every row."""
        result = site_audit(competitors=competitors())
        result.write(tmp_path, report=False)
        summary = json.loads((tmp_path / "summary.json").read_text())
        gap = summary["gap"]
        assert gap["file"] == "gap.csv"
        assert gap["counts"] == {"gap": 3, "intersection": 1,
                                 "unique": {"a.test": 1, "b.test": 1}}  # fmt: skip
        assert [c["domain"] for c in gap["competitors"]] == ["a.test", "b.test"]
        assert gap["competitors"][0]["inputs"][1]["duplicates"] == 1
        lines = (tmp_path / "gap.csv").read_text().splitlines()
        assert lines[0].startswith("domain,competitors,competitor_count,links,anchors_")
        assert lines[1].startswith("shared.test,a.test b.test,2,2,")
        assert summary["previous"] is None
        assert summary["targets"] is None
        assert summary["authority"] is None


class TestPrevious:
    def test_gained_lost_kept_and_flags(self):
        """The previous snapshot's exports give domains gained, lost and kept, flags raised."""
        old = export("site.test", ("news.test", "Site"), ("gone.test", "Site"))
        new = [
            ("new.csv", export("site.test", *[(f"s{i}.test", "cheap shoes") for i in range(9)],
                               ("news.test", "Site")))
        ]  # fmt: skip
        result = audit(new, site="site.test", keywords=["cheap shoes"],
                       previous=[("old.csv", old)], date=D(2026, 11, 30))  # fmt: skip
        diff = result.diff
        assert diff is not None
        assert [r.domain for r in diff.lost] == ["gone.test"]
        assert [r.domain for r in diff.kept] == ["news.test"]
        assert len(diff.gained) == 9
        assert FlagName.EXACT_MATCH_SHARE in {f.name for f in diff.raised}
        assert [(i.name, i.rows, i.links) for i in result.previous_inputs] == [("old.csv", 2, 2)]
        summary = result.to_dict()["previous"]
        assert summary["referring_domains"] == {"before": 2, "after": 10, "gained": 9,
                                                "lost": 1, "kept": 1}  # fmt: skip
        assert summary["flags"]["raised"]
        exact = next(c for c in summary["categories"] if c["category"] == "exact_match")
        assert (exact["domain_share_before"], exact["domain_share_after"]) == (0.0, 0.9)

    def test_diff_csv(self, tmp_path):
        """diff.csv: every referring domain with its status and links before and after."""
        old = export("site.test", ("gone.test", "Site"))
        result = site_audit(previous=[("old.csv", old)])
        result.write(tmp_path, report=False)
        rows = (tmp_path / "diff.csv").read_text().splitlines()
        assert rows[0] == "domain,status,links_before,links_after,change"
        assert sorted(rows[1:]) == ["blog.test,gained,0,1,1", "gone.test,lost,1,0,-1",
                                    "news.test,gained,0,1,1"]  # fmt: skip


class TestRanks:
    def test_authority_of_site_and_competitor_domains(self, tmp_path):
        """One pass over the ranks file serves the site's and the competitors' domains."""
        ranks = ranks_file((5, "news.test"), (250_000, "shop.test"), (9, "unrelated.test"))
        result = site_audit(competitors=competitors(), ranks=ranks)
        assert result.ranks is not None
        assert set(result.ranks) == {"news.test", "shop.test"}
        assert result.gap is not None
        shop = next(r for r in result.gap.gap if r.domain == "shop.test")
        assert shop.bucket is AuthorityBucket.TOP_1M
        authority = result.to_dict()["authority"]
        assert authority["found"] == 1
        assert authority["buckets"]["top-10k"] == 1
        assert authority["buckets"]["unknown"] == 1
        result.write(tmp_path, report=False)
        header, *rows = (tmp_path / "domains.csv").read_text().splitlines()
        assert header.endswith(",authority_bucket,harmonic_position")
        assert any(r.startswith("news.test,") and r.endswith(",top-10k,5") for r in rows)

    @pytest.mark.parametrize(
        ("position", "weight", "evidence"),
        [
            (None, 2, None),
            (20_000_000, 3, "beyond the top 10 million"),
            (500, None, None),  # a top-1,000 site: one exact-match link is no longer a candidate
        ],
    )
    def test_ranks_weigh_exact_match_candidates(self, position, weight, evidence):
        """An exact-match anchor weighs more from a site ranked beyond 10M, less from a top one."""
        mine = export("site.test", ("spam.test", "running shoes"), ("news.test", "Site"))
        ranks = None if position is None else ranks_file((position, "spam.test"))
        result = audit([("mine.csv", mine)], site="site.test", keywords=["running shoes"],
                       date=D(2026, 11, 30), ranks=ranks)  # fmt: skip
        spam = [c for c in result.candidates if c.domain == "spam.test"]
        if weight is None:
            assert spam == []
            return
        (reason,) = spam[0].reasons
        assert reason.weight == weight
        assert evidence in reason.detail if evidence else "top" not in reason.detail

    def test_malformed_ranks_file_names_the_line(self):
        """A malformed row is refused with its line (the library's AuthorityError)."""
        bad = io.BytesIO((RANKS_HEADER + "1\t0.5\tx\t0.1\ttest.news\t1\n").encode())
        with pytest.raises(AuthorityError, match="line 2"):
            site_audit(ranks=bad)


# -- target checks, on a local server ----------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path in {"/robots.txt", "/"}:
            code, headers = 200, {}
        elif self.path == "/gone":
            code, headers = 410, {}
        elif self.path == "/moved":
            code, headers = 301, {"Location": "/"}
        else:
            code, headers = 404, {}
        body = b"ok"
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """An HTTP server on 127.0.0.1: `/` answers, `/gone` 410, `/moved` goes home, else 404."""
    pytest.importorskip("requests")
    live = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    live.daemon_threads = True
    thread = threading.Thread(target=live.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    yield f"127.0.0.1:{live.server_address[1]}"
    live.shutdown()
    live.server_close()


def local_fetcher():
    from backlinkkit import Fetcher

    return Fetcher(allow_private_addresses=True, per_host_delay=0.0, retries=0,
                   timeout=(2.0, 2.0), deadline=5.0)  # fmt: skip


def target_export(site: str) -> io.StringIO:
    rows = [
        ("blog.test", "/"), ("news.test", "/gone"), ("wiki.test", "/gone"),
        ("shop.test", "/moved"), ("blog.test", "/missing"), ("other.test", "https://else.test/"),
    ]  # fmt: skip
    lines = "".join(
        f"https://{host}/p{i},{path if path.startswith('https') else f'http://{site}{path}'},Site\n"
        for i, (host, path) in enumerate(rows)
    )
    return io.StringIO(HEADER + lines)


class TestTargets:
    def test_broken_targets_first(self, server):
        """Each target URL of the site checked once; off-site targets are not the site's to fix."""
        result = audit([("t.csv", target_export(server))], site="127.0.0.1",
                       check_targets=True, fetcher=local_fetcher())  # fmt: skip
        assert result.targets is not None
        found = [(c.url.removeprefix(f"http://{server}"), c.status, c.referring_domain_count)
                 for c in result.targets]  # fmt: skip
        assert found == [
            ("/gone", TargetStatus.GONE, 2),
            ("/missing", TargetStatus.NOT_FOUND, 1),
            ("/moved", TargetStatus.REDIRECTS_HOME, 1),
            ("/", TargetStatus.OK, 1),
        ]
        summary = result.to_dict()["targets"]
        assert (summary["checked"], summary["broken"]) == (4, 3)
        assert summary["by_status"]["gone"] == 1
        assert next(t["url"] for t in summary["broken_targets"]).endswith("/gone")

    def test_command(self, server, tmp_path, capsys, monkeypatch):
        """`--check-targets` writes targets.csv and the summary's `targets`."""
        from backlinkkit.audit import _command

        monkeypatch.setattr(_command, "_target_fetcher", local_fetcher)
        monkeypatch.setitem(sys.modules, "jinja2", None)  # the report is tested on its own
        path = tmp_path / "t.csv"
        path.write_text(target_export(server).getvalue())
        status = main(["audit", str(path), "--site", "127.0.0.1", "--check-targets", "--quiet",
                       "--out", str(tmp_path / "out")])  # fmt: skip
        assert status == 0
        rows = (tmp_path / "out" / "targets.csv").read_text().splitlines()
        assert rows[0].startswith("url,status,broken,http_status,")
        assert rows[1].startswith(f"http://{server}/gone,gone,True,410,")
        summary = json.loads((tmp_path / "out" / "summary.json").read_text())
        assert summary["targets"]["broken"] == 3

    def test_without_the_fetch_extra(self):
        """Without requests (blocked in a fresh interpreter), asking for checks names the extra."""
        code = (
            "import io, sys\n"
            "sys.modules['requests'] = None\n"
            "from backlinkkit import MissingDependencyError\n"
            "from backlinkkit.audit import audit\n"
            "try:\n"
            "    audit([io.StringIO('source_url\\nhttps://a.test/\\n')], site='site.test',\n"
            "          check_targets=True)\n"
            "except MissingDependencyError as error:\n"
            "    print(error)\n"
            "else:\n"
            "    raise SystemExit('no error')\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "pip install 'backlinkkit[fetch]'" in done.stdout

    def test_command_without_the_fetch_extra(self, tmp_path, capsys, monkeypatch):
        """The command refuses --check-targets before reading anything: usage error 2."""
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "requests" else real(name, *a),
        )
        path = tmp_path / "x.csv"
        path.write_text(HEADER)
        assert main(["audit", str(path), "--site", "site.test", "--check-targets",
                     "--out", str(tmp_path / "out")]) == 2  # fmt: skip
        assert "pip install 'backlinkkit[fetch]'" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()


class TestCommand:
    @pytest.fixture
    def files(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)  # relative paths in the messages
        (tmp_path / "mine.csv").write_text(export("site.test", ("news.test", "Site")).getvalue())
        (tmp_path / "a.csv").write_text(export("a.test", ("wiki.test", "A")).getvalue())
        (tmp_path / "old.csv").write_text(export("site.test", ("gone.test", "Site")).getvalue())
        (tmp_path / "ranks.gz").write_bytes(ranks_file((7, "news.test")).getvalue())
        return tmp_path

    def test_every_comparison(self, files, capsys, monkeypatch):
        """--competitor, --previous and --ranks: their CSV files and summary.json keys."""
        monkeypatch.setitem(sys.modules, "jinja2", None)
        status = main(["audit", str(files / "mine.csv"), "--site", "site.test",
                       "--competitor", f"a.test={files / 'a.csv'}",
                       "--previous", str(files / "old.csv"), "--ranks", str(files / "ranks.gz"),
                       "--out", str(files / "out")])  # fmt: skip
        assert status == 0
        summary = json.loads((files / "out" / "summary.json").read_text())
        assert summary["gap"]["counts"]["gap"] == 1
        assert summary["previous"]["referring_domains"]["lost"] == 1
        assert summary["authority"]["buckets"]["top-10k"] == 1
        written = {p.name for p in (files / "out").iterdir()}
        assert {"gap.csv", "diff.csv"} <= written
        assert "targets.csv" not in written
        assert set(COMPARISON_TABLES) == {"gap.csv", "diff.csv", "targets.csv"}

    @pytest.mark.parametrize(
        ("argv", "status", "message"),
        [
            (["--competitor", "a.test"], 2, "--competitor takes DOMAIN=EXPORT"),
            (["--competitor", "=a.csv"], 2, "--competitor takes DOMAIN=EXPORT"),
            (["--competitor", "a.test=missing.csv"], 2, "cannot read missing.csv"),
            (["--previous", "missing.csv"], 2, "cannot read missing.csv"),
            (["--ranks", "missing.gz"], 2, "cannot read missing.gz"),
            (["--ranks", "mine.csv"], 1, "ranks"),
            (["--competitor", "site.test=a.csv"], 2, "--competitor site.test is the site itself"),
            (["--competitor", "SITE.test=a.csv"], 2, "is the site itself"),
            (["--competitor", "a.test=a.csv", "--min-competitors", "2"], 2, "from 1 to the number"),
            (["--competitor", "a.test=a.csv", "--min-competitors", "0"], 2, "not 0"),
        ],
    )
    def test_errors(self, files, capsys, argv, status, message):
        """Bad comparison arguments: one line, the documented status, no output directory."""
        got = main(["audit", "mine.csv", "--site", "site.test", "--out", "out", *argv])
        err = capsys.readouterr().err
        assert got == status
        assert message in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert not (files / "out").exists()

    @pytest.mark.parametrize(
        "flag", [["--competitor", "a.test=a.csv"], ["--previous", "a.csv"], ["--check-targets"],
                 ["--ranks", "r.gz"]],
    )  # fmt: skip
    def test_example_takes_none(self, capsys, flag):
        """--example runs on its own exports: a comparison flag with it is a usage error."""
        assert main(["audit", "--example", *flag]) == 2
        assert "--example takes no" in capsys.readouterr().err
