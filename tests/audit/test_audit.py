"""Tests for the audit job (backlinkkit.audit): merging exports, accounting, settings, outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import ada_url
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    AuditError,
    Backlink,
    ExportFormat,
    ExportFormatError,
    FlagName,
    InvalidURLError,
    Severity,
    Thresholds,
)
from backlinkkit._cli import main
from backlinkkit.audit import (
    COMPARISON_TABLES,
    EXAMPLE,
    OUTPUT_FILES,
    SCHEMA,
    AuditResult,
    audit,
    load_thresholds,
    neutralize,
    parse_allow_list,
)
from backlinkkit.audit._identity import PageKeys, anchor_key
from backlinkkit.audit._merge import LinkMerger
from conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
REPO = Path(__file__).parents[2]
D = dt.date
GENERIC = (
    "source_url,target_url,anchor,nofollow,sponsored,ugc,first_seen,last_seen,lost,source_ip\n"
)


def generic(*rows: str) -> io.StringIO:
    return io.StringIO(GENERIC + "".join(row + "\n" for row in rows))


def console(*rows: str) -> io.StringIO:
    return io.StringIO("Linking page,Last crawled\n" + "".join(row + "\n" for row in rows))


def run_audit(*exports, site="site.test", **kwargs) -> AuditResult:
    named = [
        (f"export{i}.csv", e) if not isinstance(e, tuple) else e for i, e in enumerate(exports)
    ]
    return audit(named, site=site, date=D(2026, 11, 30), **kwargs)


def example_result(**kwargs) -> AuditResult:
    return audit(
        [(name, io.BytesIO(EXAMPLE.read(name))) for name in EXAMPLE.exports],
        site=EXAMPLE.site,
        brands=EXAMPLE.brands,
        keywords=EXAMPLE.keywords,
        allow=EXAMPLE.read("allow.txt"),
        current_disavow=EXAMPLE.read("current-disavow.txt"),
        date=D(2026, 11, 30),
        **kwargs,
    )


@pytest.fixture(scope="module")
def example() -> AuditResult:
    return example_result()


class TestPageKeys:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("https://www.blog.test/post", "https://blog.test/post"),
            ("http://blog.test/post", "https://blog.test/post"),
            ("https://blog.test/post#comments", "https://blog.test/post"),
            ("https://blog.test/post/", "https://blog.test/post"),
            ("https://blog.test/", "https://blog.test"),
            ("https://blog.test/post?", "https://blog.test/post"),
            ("https://blog.test/a b", "https://blog.test/a%20b"),
            ("https://blog.test/x/../post", "https://blog.test/post"),
            ("https://BLOG.Test/post", "https://blog.test/post"),
            ("HTTPS://blog.test/post", "https://blog.test/post"),
            ("https://blog.test:443/post", "https://blog.test/post"),
            ("https://bücher.test/seite", "https://xn--bcher-kva.test/seite"),
            ("https://blog.test\\post", "https://blog.test/post"),
        ],
    )
    def test_same_page(self, a, b):
        """Spellings tools disagree on (scheme, www, fragment, trailing slash, WHATWG) match."""
        keys = PageKeys()
        assert keys.page(a) == keys.page(b) is not None

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("https://blog.test/post?page=2", "https://blog.test/post"),
            ("https://blog.test/Post", "https://blog.test/post"),
            ("https://shop.blog.test/post", "https://blog.test/post"),
            ("https://blog.test:8080/post", "https://blog.test/post"),
            ("https://blog.test/a/b", "https://blog.test/a"),
        ],
    )
    def test_other_page(self, a, b):
        """The query, path case, another host and a port name another page."""
        keys = PageKeys()
        assert keys.page(a) != keys.page(b)

    @pytest.mark.parametrize(
        "url", ["mailto:a@blog.test", "//blog.test/x", "not a url", "https://"]
    )
    def test_no_page(self, url):
        """What is not an absolute URL with a host has no page key."""
        assert PageKeys().page(url) is None

    @given(
        host=st.sampled_from(["blog.test", "www.blog.test", "BLOG.test", "xn--bcher-kva.test"]),
        path=st.text(alphabet="ab/.%?#= é~!$&'()*+,;:@|^[]\\", max_size=20),
        scheme=st.sampled_from(["http", "https"]),
    )
    def test_fast_path_agrees_with_ada(self, host, path, scheme):
        """The string fast path gives the key ada-url's WHATWG serialization of the URL gives."""
        url = f"{scheme}://{host}/{path}"
        try:
            href = ada_url.parse_url(url)["href"]
        except ValueError:
            return
        assert PageKeys().page(url) == PageKeys._slow(href) == PageKeys().page(href)

    @pytest.mark.parametrize(
        ("anchor", "key"), [("  Two   Words ", "two words"), ("ÉTÉ", "été"), ("", ""), (None, None)]
    )
    def test_anchor_key(self, anchor, key):
        """Anchors compare with whitespace collapsed and case folded; unknown stays unknown."""
        assert anchor_key(anchor) == key


class TestMerge:
    def test_same_link_twice_in_one_export(self):
        """A row repeated in one export is one link and one duplicate."""
        row = "https://blog.test/p,https://site.test/,Site,false,false,false,,,,"
        result = run_audit(generic(row, row))
        assert (result.inputs[0].links, result.inputs[0].duplicates) == (1, 1)
        assert result.profile.summary().backlinks == 1

    def test_console_row_joins_every_link_of_its_page(self):
        """A Search Console row (no target, no anchor) merges into each link from its page."""
        tool = generic(
            "https://www.blog.test/p,https://site.test/,Site,false,false,false,2026-01-02,2026-03-01,,",
            "https://www.blog.test/p,https://site.test/shop,shop,false,false,false,2026-01-02,2026-03-01,,",
        )
        result = run_audit(tool, console("http://blog.test/p/,2026-11-02"))
        assert [(i.links, i.duplicates) for i in result.inputs] == [(2, 0), (0, 1)]
        (domain,) = result.profile.referring_domains()
        assert (domain.links, domain.last_seen) == (2, D(2026, 11, 2))

    def test_console_page_no_tool_saw_is_a_link(self):
        """A page only Search Console knows is a link of its own, anchor and rel unknown."""
        result = run_audit(console("https://other.test/x,2026-11-02"))
        s = result.profile.summary()
        assert (s.backlinks, s.anchor_unknown, s.follow_unknown) == (1, 1, 1)

    def test_console_first_still_meets_tool_links(self):
        """Exports that know anchors are read first, whatever the order they are given in."""
        tool = generic("https://blog.test/p,https://site.test/,Site,false,false,false,,,,")
        result = run_audit(console("https://blog.test/p,2026-11-02"), tool)
        assert [(i.name, i.links, i.duplicates) for i in result.inputs] == [
            ("export0.csv", 0, 1),
            ("export1.csv", 1, 0),
        ]

    def test_different_anchor_is_another_link(self):
        """Two anchors from one page to one target are two links."""
        result = run_audit(
            generic(
                "https://blog.test/p,https://site.test/,Site,,,,,,,",
                "https://blog.test/p,https://site.test/,here,,,,,,,",
            )
        )
        assert result.links == 2

    def test_what_each_tool_knows_is_combined(self):
        """First known value wins, earliest first seen, latest last seen, IP from the crawl."""
        ahrefs = generic(
            "https://blog.test/p,https://site.test/,Site,,false,false,2026-02-01,2026-05-01,,"
        )
        semrush = generic(
            "https://blog.test/p,https://site.test/,site,true,true,false,2026-01-01,2026-04-01,,"
        )
        crawl = io.StringIO(
            "source_url,last_seen,source_ip\nhttps://blog.test/p,2026-11-20,203.0.113.5\n"
        )
        result = run_audit(ahrefs, semrush, crawl)
        (d,) = result.profile.referring_domains()
        s = result.profile.summary()
        assert (d.first_seen, d.last_seen, d.ips) == (
            D(2026, 1, 1),
            D(2026, 11, 20),
            ("203.0.113.5",),
        )
        # nofollow was unknown in the first export: the second's `true` fills it in.
        assert (s.nofollow, s.sponsored, s.backlinks) == (1, 0, 1)

    @pytest.mark.parametrize(
        ("rows", "lost"),
        [
            ((("2026-03-01", "2026-04-01"), ("2026-11-01", "")), None),  # seen after it was lost
            ((("2026-03-01", "2026-04-01"), ("2026-02-01", "")), D(2026, 4, 1)),  # seen before
            ((("2026-11-01", ""), ("2026-03-01", "2026-04-01")), None),  # lost reported later
            ((("2026-01-01", ""), ("2026-03-01", "2026-04-01")), D(2026, 4, 1)),
            ((("2026-03-01", "2026-04-01"), ("2026-05-01", "2026-06-01")), D(2026, 6, 1)),
        ],
    )
    def test_lost_holds_unless_seen_after(self, rows, lost):
        """A lost date stands unless another row saw the link after it (rows: last seen, lost)."""
        lines = [
            f"https://blog.test/p,https://site.test/,Site,,,,,{last},{gone}," for last, gone in rows
        ]
        (d,) = run_audit(generic(*lines)).profile.referring_domains()
        assert d.lost == lost

    def test_spam_mark_from_any_tool_stands(self):
        """A spam column's mark survives the merge (kept from the export's own columns)."""
        merger = LinkMerger()
        merger.add(
            [Backlink("https://spam.test/p", anchor="x", extra={"Is spam": "TRUE", "UR": "3"})]
        )
        merger.add([Backlink("https://spam.test/p", anchor="x", spam=True)])
        (b,) = merger.backlinks()
        assert (b.spam, dict(b.extra)) == (True, {"Is spam": "TRUE"})

    def test_backlinks_forgets_records(self):
        """The records are dropped as the backlinks are taken."""
        merger = LinkMerger()
        merger.add([Backlink(f"https://a{i}.test/", anchor="x") for i in range(3)])
        assert len(merger) == 3
        assert len(list(merger.backlinks())) == 3
        assert len(merger) == 0

    @given(
        st.lists(
            st.lists(
                st.tuples(
                    st.sampled_from(
                        [
                            "https://a.test/1",
                            "http://www.a.test/1/",
                            "https://b.test/x",
                            "https://c.test/",
                            "ftp://bad.test/",
                            "https://site.test/own",
                        ]
                    ),
                    st.sampled_from(["", "https://site.test/", "https://site.test/shop"]),
                    st.sampled_from(["", "Site", "site ", "here"]),
                    st.sampled_from(["", "true", "false", "maybe"]),
                    st.sampled_from(["", "2026-01-01", "2026-13-01"]),
                ),
                max_size=12,
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_accounting_adds_up(self, files):
        """Per export and in total: rows = links + duplicates + rejected; links all profiled."""
        exports = []
        for rows in files:
            text = "source_url,target_url,anchor,nofollow,first_seen\n" + "".join(
                ",".join(row) + "\n" for row in rows
            )
            exports.append(io.StringIO(text))
        result = run_audit(*exports)
        for i in result.inputs:
            assert i.rows == i.links + i.duplicates + i.rejected == i.accepted + i.rejected
        assert result.rows == result.links + result.duplicates + len(result.rejected)
        s = result.profile.summary()
        assert s.backlinks + s.own_links + s.unparsed_links == result.links


class TestAudit:
    def test_every_tool_together(self):
        """Exports of every supported tool in one audit: each detected, accounted, merged."""
        names = [
            "ahrefs_utf16_tab.tsv", "semrush_backlinks.csv", "semrush_backlink_audit.csv",
            "majestic_site_explorer.csv", "majestic_download.csv", "search_console_latest_links.csv",
            "search_console_latest_links_de.csv", "generic_awkward.csv",
        ]  # fmt: skip
        exports = [(name, (EXPORTS / name).open("rb")) for name in names]
        # Search Console, spelling three pages of the tools' exports its own way.
        pages = console("http://blog.test/best-shoes/,2026-11-02", "https://www.blog.test/shoes,2026-11-02",
                        "https://blog.test/a#x,2026-11-02")  # fmt: skip
        try:
            result = audit(
                [*exports, ("console.csv", pages)], site="shop.example", date=D(2026, 11, 30)
            )
        finally:
            for _, stream in exports:
                stream.close()
        formats = {i.format for i in result.inputs}
        assert formats >= {
            ExportFormat.AHREFS, ExportFormat.SEMRUSH, ExportFormat.SEMRUSH_AUDIT,
            ExportFormat.MAJESTIC, ExportFormat.SEARCH_CONSOLE_LINKS, ExportFormat.GENERIC,
        }  # fmt: skip
        assert [i.name for i in result.inputs] == [*names, "console.csv"]
        for i in result.inputs:
            assert i.rows == i.links + i.duplicates + i.rejected
        assert (result.inputs[-1].links, result.inputs[-1].duplicates) == (0, 3)
        s = result.profile.summary()
        assert s.backlinks + s.own_links + s.unparsed_links == result.links

    def test_duplicates_across_tools(self):
        """The same link in an Ahrefs and a Semrush export counts once."""
        ahrefs = (
            "Referring page URL\tTarget URL\tAnchor\tNofollow\tUGC\tSponsored\tFirst seen\tLast seen\tLost\n"
            "https://www.blog.test/a\thttps://site.test/\tSite\tfalse\tfalse\tfalse\t2026-01-01\t2026-02-01\t\n"
        ).encode("utf-16")
        semrush = (
            "Source url,Target url,Anchor,Nofollow,Sponsored,Ugc,Text,Image,First seen,Last seen,Lost link\n"
            "http://blog.test/a/,https://site.test/,SITE,FALSE,FALSE,FALSE,TRUE,FALSE,2025-12-01,2026-03-01,FALSE\n"
        )
        result = run_audit(
            ("ahrefs.tsv", io.BytesIO(ahrefs)), ("semrush.csv", io.StringIO(semrush))
        )
        assert [(i.format, i.links, i.duplicates) for i in result.inputs] == [
            (ExportFormat.AHREFS, 1, 0),
            (ExportFormat.SEMRUSH, 0, 1),
        ]
        (d,) = result.profile.referring_domains()
        assert (d.first_seen, d.last_seen) == (D(2025, 12, 1), D(2026, 3, 1))

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ((EXPORTS / "search_console_top_linking_sites.csv").read_bytes(), "sites.csv: line 1"),
            (b"", "sites.csv: line 1: the export is empty"),
            (b"a,b\n1,2\n", "sites.csv: line 1: unknown export format"),
            (b"\x00\x01\x02\x00\x00", "sites.csv: line 1: NUL bytes"),
            (
                b"source_url\nhttps://a.test/\xff\xfe\n",
                "sites.csv: line 1 or after, byte 26: the export is not valid utf-8",
            ),
        ],
    )
    def test_refused_export_is_named(self, data, message):
        """An export that cannot be read at all refuses the audit, naming the file."""
        with pytest.raises(ExportFormatError) as caught:
            run_audit(("sites.csv", io.BytesIO(data)))
        assert str(caught.value).startswith(message)

    def test_bad_site(self):
        """A site that is no host name is refused before anything is read."""
        with pytest.raises(InvalidURLError):
            run_audit(generic(), site="not a host")

    def test_empty_profile(self):
        """No rows: no links, one insufficient-data flag, no candidate, an empty disavow file."""
        result = run_audit(generic())
        assert (result.rows, result.links, result.candidates) == (0, 0, ())
        assert [f.name for f in result.flags] == [FlagName.INSUFFICIENT_DATA]
        assert result.disavow.text.startswith(
            "# Disavow file generated by backlinkkit on 2026-11-30"
        )

    def test_rejected_rows_are_kept_with_their_export(self):
        """Bad rows are collected, each with its export, line, column and reason."""
        result = run_audit(
            ("bad.csv", generic("ftp://x.test/,,,,,,,,,", "https://a.test/,,,maybe,,,,,,"))
        )
        assert [(r.input, r.row.line, r.row.column) for r in result.rejected] == [
            ("bad.csv", 2, "source_url"),
            ("bad.csv", 3, "nofollow"),
        ]

    def test_progress(self):
        """The progress callback hears each export's name and rows read."""
        seen = []
        run_audit(
            ("a.csv", generic("https://a.test/,,,,,,,,,")),
            progress=lambda n, r: seen.append((n, r)),
        )
        assert seen == [("a.csv", 1)]

    def test_thresholds_are_used(self, example):
        """Custom thresholds change the flags and are recorded in the result."""
        lenient = Thresholds(velocity_factor=50.0, subnet_share=0.5, exact_match_share=0.5)
        result = example_result(thresholds=lenient)
        assert result.thresholds == lenient
        assert {f.name for f in example.flags} - {f.name for f in result.flags} == {
            FlagName.VELOCITY_SPIKE, FlagName.SUBNET_CONCENTRATION, FlagName.EXACT_MATCH_SHARE,
        }  # fmt: skip

    @pytest.mark.parametrize(
        "allow", [b"# partner\ndomain:blog.test\n", ["blog.test"], "https://www.blog.test/x\n"]
    )
    def test_allow(self, allow):
        """Allowed domains are never proposed, given as a file's text or as entries."""
        spam = "https://blog.test/p{},https://site.test/,cheap shoes,false,false,false,,,,"
        rows = [spam.format(i) for i in range(3)]
        plain = run_audit(generic(*rows), keywords=["cheap shoes"])
        assert [c.domain for c in plain.candidates] == ["blog.test"]
        allowed = run_audit(generic(*rows), keywords=["cheap shoes"], allow=allow)
        assert allowed.candidates == ()

    def test_allow_list_errors_name_the_line(self):
        """An allow list line that is not an entry is refused with its line."""
        with pytest.raises(AuditError, match="allow list: line 2: "):
            run_audit(generic(), allow="domain:ok.test\nexample.com/page\n")


class TestDisavowProposal:
    def test_current_file_kept_byte_for_byte(self, example):
        """The current file's lines come first, as they were; candidates are appended."""
        current = EXAMPLE.read("current-disavow.txt")
        assert example.disavow.content.startswith(current)
        assert example.disavow.kept == 3
        assert len(example.disavow.added) == len(example.candidates)
        assert example.disavow.problems == ()

    def test_each_new_entry_under_its_reasons(self, example):
        """Every added entry has the candidate's reasons on the comment line above it."""
        lines = example.disavow.text.splitlines()
        for candidate in example.candidates:
            at = lines.index(f"domain:{candidate.domain}")
            assert lines[at - 1] == f"# {candidate.comment}"

    def test_already_disavowed_entry_stays(self):
        """A candidate already in the current file is not added twice."""
        rows = [
            f"https://spam.test/p{i},https://site.test/,cheap shoes,false,false,false,,,,"
            for i in range(2)
        ]
        result = run_audit(
            generic(*rows), keywords=["cheap shoes"], current_disavow=b"domain:spam.test\n"
        )
        assert (result.disavow.kept, result.disavow.added) == (1, ())
        assert result.disavow.text.count("domain:spam.test") == 1

    def test_invalid_current_lines_are_reported_and_commented_out(self):
        """Lines Google would refuse are listed as problems and written commented out."""
        result = run_audit(generic(), current_disavow=b"domain: spaced.test\ndomain:ok.test\n")
        assert [p.code.value for p in result.disavow.problems] == ["domain-space"]
        assert result.disavow.text.splitlines()[0].startswith("# invalid (domain-space)")

    def test_proposal_validates(self, example):
        """What the audit proposes passes the disavow file's own checks."""
        from backlinkkit import DisavowFile

        assert DisavowFile.parse(example.disavow.content).validate() == ()


class TestExample:
    def test_story(self, example):
        """The example: a healthy profile, then a burst of exact-match links on one /24."""
        s = example.profile.summary()
        assert 1800 <= s.backlinks <= 2200
        flags = {(f.name, f.subject): f.severity for f in example.flags}
        assert flags[(FlagName.VELOCITY_SPIKE, "2026-08")] is Severity.CRITICAL
        assert flags[(FlagName.SUBNET_CONCENTRATION, "203.0.113.0/24")] is Severity.WARNING
        assert (FlagName.EXACT_MATCH_SHARE, None) in flags
        cluster = [c for c in example.candidates if c.domain.endswith(".test")]
        # Those with the exact keyword; the few with only "best self watering planters" score 1.
        assert 60 <= len(cluster) <= 70
        assert all("subnet_cluster" in {r.signal.value for r in c.reasons} for c in cluster)
        assert len({i.format for i in example.inputs}) == 3
        assert all(i.duplicates for i in example.inputs)

    def test_allowed_partner_is_not_proposed(self, example):
        """The example's allow list keeps its partner out of the candidates."""
        (partner,) = parse_allow_list(EXAMPLE.read("allow.txt"))
        domain = partner.removeprefix("domain:")
        assert domain in {d.domain for d in example.profile.referring_domains()}
        assert domain not in {c.domain for c in example.candidates}

    @pytest.mark.skipif(not (REPO / "benchmarks").is_dir(), reason="needs the source tree")
    def test_files_are_the_generators_output(self, tmp_path):
        """The shipped example files are exactly what the generator writes (deterministic)."""
        script = REPO / "benchmarks" / "make_audit_example.py"
        subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                       capture_output=True)  # fmt: skip
        for path in sorted(tmp_path.iterdir()):
            assert path.read_bytes() == EXAMPLE.read(path.name), path.name


class TestThresholdsFile:
    def test_settings(self):
        """Named settings change; the others keep their defaults; ints are fine for floats."""
        t = load_thresholds(
            "exact_match_share = 0.05\ncritical_factor = 3\nvelocity_min_new = 20\n"
        )
        assert (t.exact_match_share, t.critical_factor, t.velocity_min_new) == (0.05, 3.0, 20)
        assert t.money_share == Thresholds().money_share

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "exact_match = 0.1",
                "t.toml: unknown setting 'exact_match' (did you mean 'exact_match_share'?)",
            ),
            ("zzz = 1", "t.toml: unknown setting 'zzz'; known: min_referring_domains,"),
            (
                "exact_match_share = 'high'",
                "t.toml: exact_match_share must be a number, not 'high'",
            ),
            ("velocity_min_new = 2.5", "t.toml: velocity_min_new must be a whole number, not 2.5"),
            (
                "velocity_min_new = true",
                "t.toml: velocity_min_new must be a whole number, not True",
            ),
            (
                "exact_match_share = 1.5",
                "t.toml: Thresholds.exact_match_share must be a share in [0, 1], got 1.5",
            ),
            (
                "min_referring_domains = 0",
                "t.toml: Thresholds.min_referring_domains must be at least 1",
            ),
            ("exact_match_share = ", "t.toml: not valid TOML: "),
            ("[thresholds]\nexact_match_share = 0.1", "t.toml: unknown setting 'thresholds'"),
            (b"\xff\xfe", "t.toml: not UTF-8 text"),
        ],
    )
    def test_errors_name_file_and_setting(self, text, message):
        """A bad file says which file, which setting and what is wrong."""
        with pytest.raises(AuditError) as caught:
            load_thresholds(text, name="t.toml")
        assert str(caught.value).startswith(message)


class TestTables:
    @pytest.mark.parametrize(
        ("cell", "safe"),
        [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("", ""),
            ("https://a.test/", "https://a.test/"),
        ],
    )
    def test_neutralize(self, cell, safe):
        """Cells a spreadsheet would run as formulas get a leading quote (OWASP)."""
        assert neutralize(cell) == safe

    def test_hostile_anchor_is_neutralized_in_csv(self, tmp_path):
        """An anchor that is a formula reaches anchors.csv as text, not as a formula."""
        rows = [
            'https://a.test/,https://site.test/,"=HYPERLINK(""http://evil.test"",""x"")",,,,,,,'
        ]
        result = run_audit(generic(*rows))
        result.write(tmp_path, report=False)
        with (tmp_path / "anchors.csv").open(encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
        assert records[0]["anchor"] == '\'=hyperlink("http://evil.test","x")'

    def test_tables_load_in_pandas(self, example, tmp_path):
        """Each CSV has a header row and one row per record; pandas reads them."""
        pandas = pytest.importorskip("pandas")
        example.write(tmp_path, report=False)
        domains = pandas.read_csv(tmp_path / "domains.csv")
        assert len(domains) == example.profile.summary().referring_domains
        assert list(domains.columns[:3]) == ["domain", "links", "hosts"]
        assert len(pandas.read_csv(tmp_path / "anchors.csv")) == len(example.profile.anchor_table())
        candidates = pandas.read_csv(tmp_path / "candidates.csv")
        assert list(candidates["domain"]) == [c.domain for c in example.candidates]
        rejected = pandas.read_csv(tmp_path / "rejected.csv")
        assert list(rejected["line"]) == [r.row.line for r in example.rejected]


class TestSummaryJSON:
    def test_schema_and_keys(self, example, tmp_path):
        """summary.json: the documented schema and top-level keys, in a stable order."""
        example.write(tmp_path, report=False)
        data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
        assert data["schema"] == SCHEMA == "backlinkkit.audit/1"
        assert list(data) == ["schema", "date", "site", "inputs", "totals", "thresholds",
                              "profile", "candidates", "allow", "disavow", "gap", "previous",
                              "targets", "authority"]  # fmt: skip
        assert data["gap"] is data["previous"] is data["targets"] is data["authority"] is None
        assert list(data["inputs"][0]) == ["path", "format", "encoding", "rows", "accepted",
                                           "rejected", "duplicates", "links"]  # fmt: skip
        assert list(data["disavow"]) == ["file", "kept", "added", "entries_added", "problems"]
        assert data["totals"]["rows"] == (
            data["totals"]["links"] + data["totals"]["duplicates"] + data["totals"]["rejected"]
        )
        assert data["candidates"][0]["evidence"][0]["source_url"].startswith("https://")

    def test_same_input_same_summary(self, example):
        """The summary is a function of the inputs (and date): two runs give the same JSON."""
        assert json.dumps(example_result().to_dict()) == json.dumps(example.to_dict())


class TestWrite:
    def test_files_and_nothing_else(self, example, tmp_path):
        """Every output is written; other files in the directory stay; no temporary is left."""
        (tmp_path / "notes.txt").write_text("mine")
        written = example.write(tmp_path / "out", report=False)
        names = sorted(p.name for p in (tmp_path / "out").iterdir())
        # Without comparisons, their tables (gap.csv, diff.csv, targets.csv) are not written.
        expected = [n for n in OUTPUT_FILES if n != "report.html" and n not in COMPARISON_TABLES]
        assert names == sorted(expected)
        assert [p.name for p in written.files] == expected
        (tmp_path / "out" / "notes.txt").write_text("mine")
        example.write(tmp_path / "out", report=False)
        assert (tmp_path / "out" / "notes.txt").read_text() == "mine"
        assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]

    def test_interrupted_write_leaves_old_file(self, example, tmp_path, monkeypatch):
        """A write that fails leaves the previous file whole and no temporary behind."""
        (tmp_path / "summary.json").write_text("old")

        def fail(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OSError):
            example.write(tmp_path, report=False)
        assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]
        assert (tmp_path / "summary.json").read_text() == "old"

    def test_files_are_readable_by_others(self, example, tmp_path):
        """Written files get the usual permissions (not the temporary file's private ones)."""
        example.write(tmp_path, report=False)
        mask = os.umask(0)
        os.umask(mask)
        assert (tmp_path / "summary.json").stat().st_mode & 0o777 == 0o666 & ~mask

    def test_report_extra_missing(self, example, tmp_path, monkeypatch):
        """Without Jinja2 the report is skipped with the extra's name; the rest is written."""
        monkeypatch.setitem(sys.modules, "jinja2", None)
        written = example.write(tmp_path)
        assert "pip install 'backlinkkit[report]'" in written.report_missing
        assert written.report is None
        assert (tmp_path / "summary.json").exists()
        assert not (tmp_path / "report.html").exists()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def quick(monkeypatch):
    """Commands here skip the HTML report unless a test wants it (it is tested on its own)."""
    monkeypatch.setitem(sys.modules, "jinja2", None)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in the test's own directory (relative paths in messages)."""
    monkeypatch.chdir(tmp_path)


class TestCommand:
    def test_example(self, capsys, tmp_path, quick):
        """`audit --example` writes the outputs and prints counts, flags and where they are."""
        status, out, err = cli(capsys, "audit", "--example", "--out", str(tmp_path))
        assert status == 0
        assert out.startswith("backlinkkit audit of balconyharvest.example")
        assert "inputs   3 exports: " in out
        assert "flags    1 critical, 2 warning, 0 info" in out
        assert f"files    {tmp_path.resolve()}" in out
        assert "pip install 'backlinkkit[report]'" in err
        assert (tmp_path / "disavow.txt").exists()

    @pytest.mark.parametrize(("fail_on", "status"), [("warning", 3), ("critical", 3)])
    def test_fail_on(self, capsys, tmp_path, quick, fail_on, status):
        """--fail-on exits 3 when a flag of that severity or worse was raised."""
        assert (
            cli(capsys, "audit", "--example", "--out", str(tmp_path), "--fail-on", fail_on)[0]
            == status
        )

    def test_fail_on_clean_profile(self, capsys, tmp_path, quick):
        """--fail-on exits 0 when no flag reaches the severity (an info flag does not)."""
        export = tmp_path / "links.csv"
        export.write_text("source_url,anchor\nhttps://a.test/,Site\n")
        status, out, _ = cli(capsys, "audit", str(export), "--site", "site.test", "--out",
                             str(tmp_path / "out"), "--fail-on", "warning")  # fmt: skip
        assert status == 0
        assert "0 critical, 0 warning, 1 info" in out

    def test_files_and_settings(self, capsys, tmp_path, quick):
        """Exports, brands, keywords, allow list, current disavow file and thresholds from files."""
        export = tmp_path / "links.csv"
        export.write_text(
            "source_url,target_url,anchor\n"
            + "".join(
                f"https://spam{i % 2}.test/{i},https://site.test/,cheap shoes\n" for i in range(4)
            )
        )
        (tmp_path / "allow.txt").write_text("# ours\ndomain:spam1.test\n")
        (tmp_path / "current.txt").write_text("domain:old.test\n")
        (tmp_path / "t.toml").write_text("candidate_min_score = 2\n")
        status, out, _ = cli(
            capsys, "audit", str(export), "--site", "site.test", "--brand", "Site",
            "--keyword", "cheap shoes", "--allow", str(tmp_path / "allow.txt"),
            "--disavow", str(tmp_path / "current.txt"), "--thresholds", str(tmp_path / "t.toml"),
            "--out", str(tmp_path / "out"),
        )  # fmt: skip
        assert status == 0, out
        text = (tmp_path / "out" / "disavow.txt").read_text()
        assert text.startswith("domain:old.test\n")
        assert "domain:spam0.test" in text
        assert "spam1" not in text
        assert "disavow  1 candidate; disavow.txt: 1 entry kept, 1 added" in out

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            ([], "give at least one EXPORT file, or --example"),
            (["x.csv"], "--site is required"),
            (["--example", "x.csv"], "--example takes no EXPORT"),
            (["--example", "--site", "a.test"], "--example takes no --site"),
            (["missing.csv", "--site", "a.test"], "cannot read missing.csv: No such file"),
            (["--example", "--thresholds", "nope.toml"], "cannot read thresholds file nope.toml"),
            (["x.csv", "--site", "not a host"], "--site 'not a host': not a host name"),
            (["x.csv", "--site", "a.test", "--competitor", "b b=x.csv"], "--competitor 'b b':"),
        ],
    )
    @pytest.mark.usefixtures("quick", "in_tmp")
    def test_usage_errors(self, capsys, tmp_path, argv, message):
        """Usage errors exit 2 with one line naming the problem."""
        (tmp_path / "x.csv").write_text("source_url\n")
        status, _, err = cli(capsys, "audit", *argv)
        assert status == 2
        assert err.startswith("backlinkkit audit: ")
        assert message in err
        assert err.count("\n") == 1

    def test_argparse_usage(self, capsys):
        """A bad --fail-on value is argparse's usage error (2)."""
        assert main(["audit", "--example", "--fail-on", "info"]) == 2

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "sites.csv",
                (EXPORTS / "search_console_top_linking_sites.csv").read_bytes(),
                "sites.csv: line 1: this is Search Console's 'Top linking sites'",
            ),
            ("t.toml", b"exact_match = 1", "t.toml: unknown setting 'exact_match'"),
            ("allow.txt", b"example.com/page\n", "allow.txt: line 1: "),
        ],
    )
    @pytest.mark.usefixtures("quick", "in_tmp")
    def test_refused(self, capsys, tmp_path, name, content, message):
        """An input that cannot be used exits 1, with the reason and the file."""
        (tmp_path / name).write_bytes(content)
        (tmp_path / "ok.csv").write_text("source_url\nhttps://a.test/\n")
        option = {"t.toml": ["--thresholds", name], "allow.txt": ["--allow", name]}.get(
            name, [name]
        )
        exports = [] if name == "sites.csv" else ["ok.csv"]
        status, out, err = cli(capsys, "audit", *exports, *option, "--site", "site.test")
        assert status == 1
        assert err.startswith(f"backlinkkit audit: {message}")
        assert out == ""

    def test_unwritable_output(self, capsys, tmp_path, quick):
        """An output directory that cannot be made is a usage error, not a traceback."""
        (tmp_path / "file").write_text("")
        status, _, err = cli(capsys, "audit", "--example", "--out", str(tmp_path / "file" / "out"))
        assert status == 2
        assert "cannot write to" in err

    def test_progress_only_on_a_terminal(self, capsys, tmp_path, monkeypatch, quick):
        """Progress goes to stderr on a terminal, never otherwise, and not with --quiet."""

        class Terminal(io.StringIO):
            def isatty(self):
                return True

        assert cli(capsys, "audit", "--example", "--out", str(tmp_path))[2].count("rows/s") == 0
        for quiet, expected in (([], 3), (["--quiet"], 0)):
            terminal = Terminal()
            monkeypatch.setattr(sys, "stderr", terminal)
            main(["audit", "--example", "--out", str(tmp_path), *quiet])
            assert terminal.getvalue().count("rows/s") == expected
            assert ("ahrefs-backlinks.tsv: 1,8" in terminal.getvalue()) is bool(expected)

    @pytest.mark.parametrize("shell", ["{cmd} | head -1", "{cmd} >&-", "{cmd} > /dev/full"])
    def test_no_traceback_on_closed_output(self, tmp_path, shell):
        """A closed standard output or a broken pipe gives no traceback."""
        cmd = f"{sys.executable} -m backlinkkit audit --example --quiet --out {tmp_path}"
        done = subprocess.run(
            ["bash", "-c", shell.format(cmd=cmd)],
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in done.stderr
        assert (tmp_path / "summary.json").exists()

    @given(st.binary(max_size=300))
    def test_any_bytes_never_crash_the_library(self, data):
        """Whatever the bytes, the audit gives a result or a library error, never a crash."""
        try:
            result = audit([("x", io.BytesIO(data))], site="site.test", date=D(2026, 1, 1))
        except ExportFormatError:
            return
        assert result.rows == result.links + result.duplicates + len(result.rejected)


class TestPackageData:
    def test_templates_static_and_example_ship(self, example):
        """The installed package holds every template a section names, its CSS and script, and
        the example's files (package data the wheel must carry)."""
        from importlib import resources

        from backlinkkit.audit import default_sections

        audit_files = resources.files("backlinkkit.audit")
        for section in default_sections(example):
            assert audit_files.joinpath("templates", "sections", section.template).is_file()
        for name in ("gap", "diff", "targets", "authority"):  # the comparisons' sections
            assert audit_files.joinpath("templates", "sections", f"{name}.html.j2").is_file()
        for name in ("report.html.j2", "chart.html.j2", "more.html.j2", "inputs.html.j2"):
            assert audit_files.joinpath("templates", name).is_file()
        for name in ("report.css", "report.js"):
            assert audit_files.joinpath("static", name).read_text(encoding="utf-8")
        for name in (*EXAMPLE.exports, "allow.txt", "current-disavow.txt"):
            assert EXAMPLE.read(name)
