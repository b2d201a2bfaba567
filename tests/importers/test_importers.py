"""Tests for read_backlinks, read_linking_sites and write_backlinks (backlinkkit._importers._reader)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import string

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import (
    Backlink,
    ExportFormat,
    ExportFormatError,
    LinkingSite,
    LinkKind,
    Section,
    SettingsError,
    read_backlinks,
    read_linking_sites,
    write_backlinks,
)
from backlinkkit._importers._cells import parse_count as _parse_count
from backlinkkit._importers._cells import parse_date as _parse_date
from backlinkkit._importers._reader import _split_record
from conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
D = dt.date


def read(text: str, **kwargs: object) -> list[Backlink]:
    return list(read_backlinks(io.StringIO(text), **kwargs))  # type: ignore[arg-type]


def read_file(name: str, **kwargs: object) -> backlinkkit.ExportReader[Backlink]:
    return read_backlinks(io.BytesIO((EXPORTS / name).read_bytes()), **kwargs)  # type: ignore[arg-type]


GENERIC_TEXT = (
    'source_url,anchor,nofollow\r\nhttps://blog.test/ü,Grüße, "x"\r\nhttps://b.test/,,true\r\n'
)
GENERIC_TEXT = 'source_url,anchor,nofollow\r\nhttps://blog.test/ü,"Grüße, ""x""",false\r\nhttps://b.test/,,true\r\n'
GENERIC_RECORDS = [
    Backlink("https://blog.test/ü", anchor='Grüße, "x"', nofollow=False),
    Backlink("https://b.test/", anchor=None, nofollow=True),
]


class TestEncoding:
    @pytest.mark.parametrize(
        ("encoded", "encoding", "bom"),
        [
            (GENERIC_TEXT.encode("utf-8"), "utf-8", False),
            (codecs.BOM_UTF8 + GENERIC_TEXT.encode("utf-8"), "utf-8-sig", True),
            (codecs.BOM_UTF16_LE + GENERIC_TEXT.encode("utf-16-le"), "utf-16-le", True),
            (codecs.BOM_UTF16_BE + GENERIC_TEXT.encode("utf-16-be"), "utf-16-be", True),
            (GENERIC_TEXT.encode("utf-16-le"), "utf-16-le", False),
            (GENERIC_TEXT.encode("utf-16-be"), "utf-16-be", False),
        ],
    )
    def test_bytes_in_every_encoding_read_the_same(self, encoded, encoding, bom):
        """UTF-8 and UTF-16 (either byte order, BOM or not) are sniffed and decoded alike."""
        reader = read_backlinks(io.BytesIO(encoded))
        assert list(reader) == GENERIC_RECORDS
        assert (reader.encoding, reader.bom) == (encoding, bom)

    def test_text_stream_with_a_bom_character(self):
        """A text stream that kept the BOM as U+FEFF still has its header recognised."""
        reader = read_backlinks(io.StringIO("\ufeff" + GENERIC_TEXT))
        assert list(reader) == GENERIC_RECORDS
        assert (reader.encoding, reader.bom) == (None, True)

    def test_long_file_decodes_across_the_sniffed_block(self):
        """Bytes read to sniff the encoding are given back: no row is lost at the seam."""
        body = "".join(f"https://s{i}.test/ä,{'ü' * (i % 7)},\r\n" for i in range(3000))
        encoded = ("source_url,anchor,nofollow\r\n" + body).encode("utf-16-le")
        assert len(list(read_backlinks(io.BytesIO(encoded)))) == 3000

    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            (
                b"source_url\r\nhttps://a.test/\xff\xfe\xfa\r\n",
                "line 1 or after, byte 27: the export is not valid utf-8",
            ),
            (
                b"source_url\r\n" + b"https://a.test/\r\n" * 5000 + b"\xff\r\n",
                r"line \d+ or after, byte 85012: the export is not valid utf-8",
            ),
            (b"", "line 1: the export is empty"),
            (b"\r\n\r\n", "line 3: the export is empty"),
            (b"\x00\x00\x00\x00ab\x00\x00\x00\x00", "NUL bytes that are not UTF-16"),
        ],
    )
    def test_undecodable_input_is_a_library_error(self, data, fragment):
        """Bad bytes raise ExportFormatError naming the line, never a raw UnicodeDecodeError."""
        with pytest.raises(ExportFormatError, match=fragment):
            list(read_backlinks(io.BytesIO(data), errors="collect"))


class TestDelimiter:
    @pytest.mark.parametrize(
        ("text", "delimiter"),
        [
            ("source_url,anchor\nhttps://a.test/,x y\n", ","),
            ("source_url\tanchor\nhttps://a.test/\tx y\n", "\t"),
            ("source_url;anchor\nhttps://a.test/;x y\n", ";"),
            ("sep=;\nsource_url;anchor\nhttps://a.test/;x y\n", ";"),
            ("\n\nsource_url,anchor\nhttps://a.test/,x y\n", ","),
        ],
    )
    def test_delimiter_is_found_from_the_header(self, text, delimiter):
        """Comma, tab and semicolon are sniffed; Excel's `sep=` line and leading blanks are honoured."""
        reader = read_backlinks(io.StringIO(text))
        assert [b.anchor for b in reader] == ["x y"]
        assert reader.delimiter == delimiter


class TestDetection:
    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("source_url,target_url", ExportFormat.GENERIC),
            (" Source_URL ,anchor", ExportFormat.GENERIC),
            ("Linking page,Last crawled", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("LINKING  PAGE,last crawled", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Linking page", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Verweisende Seite,Zuletzt gecrawlt", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Page de provenance du lien,Dernière exploration", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Página que enlaza,Último rastreo", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Pagina che rimanda,Ultima scansione", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Linkende pagina,Laatst gecrawld", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("リンク元ページ,前回のクロール", ExportFormat.SEARCH_CONSOLE_LINKS),
            ("Referring page title,Referring page URL,Target URL,Anchor", ExportFormat.AHREFS),
            ("referring page url,anchor", ExportFormat.AHREFS),
            ("Page ascore,Source title,Source url,Target url,Anchor", ExportFormat.SEMRUSH),
            (
                "Source url,Target url,Anchor,Toxicity Score,Toxic markers",
                ExportFormat.SEMRUSH_AUDIT,
            ),
            ("SourceURL,AnchorText,FlagNoFollow,TargetURL", ExportFormat.MAJESTIC),
            ("Target URL,Source URL,Anchor Text,FlagNoFollow", ExportFormat.MAJESTIC),
        ],
    )
    def test_format_from_header(self, header, expected):
        """Each format is told from its header row, whatever the case and spacing of the names."""
        assert read_backlinks(io.StringIO(header + "\n")).format is expected

    @pytest.mark.parametrize(
        ("header", "fragment"),
        [
            ("Site,Linking pages,Target pages", "read_linking_sites"),
            ("Website,Verweisende Seiten,Zielseiten", "read_linking_sites"),
            ("Top linking text,Linking pages", "'Top linking text' export"),
            ("Target page,Incoming links,Linking sites", "'Top linked pages' export"),
            ("url,date", "unknown export format"),
        ],
    )
    def test_files_that_are_not_links_are_refused(self, header, fragment):
        """Sites with counts, anchor counts and unknown layouts raise; no link is invented."""
        with pytest.raises(ExportFormatError, match=fragment):
            read_backlinks(io.StringIO(header + "\nx,1,2\n"))


class TestExplicitFormat:
    @pytest.mark.parametrize("fmt", [ExportFormat.AHREFS, "ahrefs"])
    def test_enum_or_string(self, fmt):
        """`format` takes the enum or its string value."""
        reader = read_backlinks(io.StringIO("Referring page URL\nhttps://a.test/\n"), format=fmt)
        assert reader.format is ExportFormat.AHREFS

    def test_unknown_format_name(self):
        """An unknown format name is refused with the list of known ones."""
        with pytest.raises(ExportFormatError, match=r"unknown format 'ahref'.*auto, generic"):
            read_backlinks(io.StringIO("x\n"), format="ahref")

    def test_search_console_in_an_unlisted_language_reads_by_position(self):
        """Named Search Console exports in another UI language are read in Google's column order."""
        text = "Связанная страница,Последнее сканирование\nhttps://a.test/p,2024-03-01\n"
        (link,) = read(text, format="search_console_links")
        assert (link.source_url, link.last_seen, link.anchor) == (
            "https://a.test/p",
            D(2024, 3, 1),
            None,
        )

    @pytest.mark.parametrize(
        ("fmt", "header", "fragment"),
        [
            ("generic", "url,anchor", "needs a 'source_url' column"),
            ("semrush", "url,anchor", "no source URL column for semrush"),
            ("search_console_sites", "Site,Linking pages", "read_linking_sites"),
        ],
    )
    def test_named_format_that_does_not_fit(self, fmt, header, fragment):
        """A named format whose source column is missing is refused at the header."""
        with pytest.raises(ExportFormatError, match=fragment):
            read_backlinks(io.StringIO(header + "\n"), format=fmt)

    def test_bad_errors_mode(self):
        """`errors` is "raise" or "collect": another is a bad setting, not a bad file."""
        with pytest.raises(SettingsError, match="errors must be") as raised:
            read_backlinks(io.StringIO("source_url\n"), errors="ignore")  # type: ignore[arg-type]
        assert not isinstance(raised.value, ExportFormatError)


class TestFixtures:
    @pytest.mark.parametrize(
        ("name", "fmt", "encoding", "accepted", "rejected"),
        [
            (
                "generic_awkward.csv",
                ExportFormat.GENERIC,
                "utf-8-sig",
                4,
                [(7, "nofollow"), (8, "source_url"), (9, "first_seen")],
            ),
            (
                "search_console_latest_links.csv",
                ExportFormat.SEARCH_CONSOLE_LINKS,
                "utf-8",
                3,
                [(5, "Linking page")],
            ),
            (
                "search_console_latest_links_de.csv",
                ExportFormat.SEARCH_CONSOLE_LINKS,
                "utf-8-sig",
                2,
                [],
            ),
            (
                "search_console_latest_links_fr.csv",
                ExportFormat.SEARCH_CONSOLE_LINKS,
                "utf-8",
                2,
                [],
            ),
            (
                "search_console_latest_links_es.csv",
                ExportFormat.SEARCH_CONSOLE_LINKS,
                "utf-8",
                1,
                [],
            ),
            ("ahrefs_utf16_tab.tsv", ExportFormat.AHREFS, "utf-16-le", 3, [(6, "First seen")]),
            ("semrush_backlinks.csv", ExportFormat.SEMRUSH, "utf-8", 2, [(4, "Nofollow")]),
            ("semrush_backlink_audit.csv", ExportFormat.SEMRUSH_AUDIT, "utf-8", 2, []),
            ("majestic_site_explorer.csv", ExportFormat.MAJESTIC, "utf-8", 2, [(3, None)]),
            ("majestic_download.csv", ExportFormat.MAJESTIC, "utf-8", 2, []),
        ],
    )
    def test_each_export_reads_with_its_bad_rows_named(
        self, name, fmt, encoding, accepted, rejected
    ):
        """Every fixture is detected, decoded, and its bad rows are listed by line and column."""
        reader = read_file(name, errors="collect")
        records = list(reader)
        assert (reader.format, reader.encoding) == (fmt, encoding)
        assert len(records) == reader.accepted == accepted
        assert [(r.line, r.column) for r in reader.rejected] == rejected
        assert reader.rows == reader.accepted + len(reader.rejected)

    def test_generic_awkward_cells(self):
        """Generic: quoted commas, quotes and newlines, `\\` for an empty anchor, extra from JSON and columns."""
        a, b, c, f = read_file("generic_awkward.csv", errors="collect")
        assert a.anchor == 'Shoes, boots and "more"'
        assert dict(a.extra) == {"Domain rating": "41", "note": "hand-checked"}
        assert (a.source_ip, a.section, a.kind) == ("192.0.2.10", Section.MAIN, LinkKind.TEXT)
        assert (b.anchor, b.nofollow, b.sponsored, b.first_seen) == (
            "two\nlines",
            True,
            None,
            D(2024, 3, 1),
        )
        assert (c.anchor, c.nofollow, c.sponsored, c.ugc, c.lost) == (
            "",
            False,
            True,
            True,
            D(2024, 6, 30),
        )
        assert (f.anchor, f.nofollow, f.section) == ("last", None, Section.ASIDE)

    def test_generic_blank_line_is_counted_apart(self):
        """A blank line is no row: passed over, counted in `blank_lines`, not in `rows`."""
        reader = read_file("generic_awkward.csv", errors="collect")
        list(reader)
        assert (reader.rows, reader.blank_lines) == (7, 1)

    def test_search_console_links_know_no_anchor_or_rel(self):
        """Search Console gives no anchor, rel or target: those stay None (unknown), never False."""
        first, quoted, last = read_file("search_console_latest_links.csv", errors="collect")
        assert (first.anchor, first.nofollow, first.followed, first.target_url) == (
            None,
            None,
            None,
            None,
        )
        assert quoted.source_url == "https://news.test/a,b?x=1,2"
        assert last.last_seen == D(2024, 2, 26)

    @pytest.mark.parametrize(
        ("name", "dates"),
        [
            ("search_console_latest_links_de.csv", [D(2024, 3, 1), D(2024, 4, 3)]),
            ("search_console_latest_links_fr.csv", [D(2024, 4, 3), D(2024, 4, 5)]),
            ("search_console_latest_links_es.csv", [D(2024, 2, 28)]),
        ],
    )
    def test_localized_search_console_dates_are_day_first(self, name, dates):
        """German, French and Spanish exports write day/month: the header's language says so."""
        assert [b.last_seen for b in read_file(name)] == dates

    def test_ahrefs_utf16_tab(self):
        """Ahrefs: rel flags, type to kind, an empty anchor kept as "", quoted tab and newline."""
        text, image, redirect = read_file("ahrefs_utf16_tab.tsv", errors="collect")
        assert (text.anchor, text.nofollow, text.kind, text.first_seen) == (
            "Acme shoes",
            False,
            LinkKind.TEXT,
            D(2023, 11, 2),
        )
        assert (image.anchor, image.nofollow, image.ugc, image.lost) == (
            "",
            True,
            True,
            D(2024, 2, 15),
        )
        assert image.source_title == "Quoted\ttitle\nsecond line"
        assert (redirect.kind, redirect.sponsored, redirect.extra["Type"]) == (
            None,
            True,
            "redirect",
        )
        assert redirect.anchor is None  # a redirect has no anchor: unknown, not empty
        assert (redirect.domain_rating, text.domain_rating, text.url_rating) == (10.0, 41.0, 12.0)
        assert "Domain rating" not in redirect.extra

    def test_semrush_flags_and_lost_link(self):
        """Semrush: TRUE/FALSE, Image/Text to kind, "Lost link" dated by "Last seen"."""
        text, image = read_file("semrush_backlinks.csv", errors="collect")
        assert (text.kind, text.lost, text.external_links) == (LinkKind.TEXT, None, 1240)
        assert (text.source_title, text.page_ascore, text.sitewide) == (
            "Shoes, boots & more",
            35.0,
            True,
        )
        assert (image.kind, image.nofollow, image.ugc, image.first_seen) == (
            LinkKind.IMAGE,
            True,
            True,
            D(2023, 6, 14),
        )
        assert image.lost == image.last_seen == D(2024, 2, 2)

    def test_semrush_audit_keeps_toxicity(self):
        """Backlink Audit: toxicity score and markers fill the typed fields."""
        toxic, _ = read_file("semrush_backlink_audit.csv")
        assert toxic.toxicity == 87.0
        assert toxic.toxic_markers == ("Link Network", "Low Trust Domain")
        assert "Toxicity Score" not in toxic.extra

    def test_majestic_unbalanced_quote_damages_one_row_only(self):
        """Majestic's row with an unbalanced quote is rejected alone; the next row still reads."""
        reader = read_file("majestic_site_explorer.csv", errors="collect")
        good, image = reader
        assert reader.rejected[0].reason == "2 cells where the header has 21"
        assert (image.source_url, image.nofollow, image.kind, image.lost) == (
            "https://pics.test/img",
            True,
            LinkKind.IMAGE,
            D(2024, 2, 20),
        )
        assert (good.trust_flow, good.citation_flow) == (22.0, 31.0)

    def test_majestic_download_layout(self):
        """Majestic's download layout (Target URL first, spaced names) maps to the same fields."""
        first, second = read_file("majestic_download.csv")
        assert (first.anchor, first.first_seen, first.last_seen) == (
            "acme, the shoe shop",
            D(2023, 1, 5),
            D(2024, 3, 1),
        )
        assert (second.source_url, second.nofollow, second.anchor) == (
            "https://news.test/n",
            True,
            "",
        )


class TestDerivedKind:
    @pytest.mark.parametrize(
        ("image", "text", "kind"),
        [
            ("TRUE", "FALSE", LinkKind.IMAGE),
            ("FALSE", "TRUE", LinkKind.TEXT),
            ("TRUE", "TRUE", LinkKind.MIXED),
            ("FALSE", "FALSE", None),
            ("", "", None),
        ],
    )
    def test_semrush_image_and_text_flags(self, image, text, kind):
        """Semrush's Image and Text flags give the kind; neither set is unknown, not text."""
        data = f"Source url,Target url,Anchor,Image,Text\nhttps://a.test/,https://t.test/,x,{image},{text}\n"
        (link,) = read(data)
        assert link.kind is kind
        assert (link.extra["Image"], link.extra["Text"]) == (image, text)

    @pytest.mark.parametrize(
        ("cell", "kind"),
        [("text", LinkKind.TEXT), ("Image", LinkKind.IMAGE), ("frame", None), ("", None)],
    )
    def test_ahrefs_type(self, cell, kind):
        """Ahrefs' Type gives text or image; other types (frame, redirect) are no LinkKind."""
        (link,) = read(f"Referring page URL,Type\nhttps://a.test/,{cell}\n")
        assert link.kind is kind

    @pytest.mark.parametrize(
        ("cell", "anchor"),
        [("redirect", None), ("Canonical", None), ("canonical", None), ("text", "")],
    )
    def test_ahrefs_anchorless_types(self, cell, anchor):
        """Redirect and canonical rows have no anchor: unknown (None), not an empty one."""
        (link,) = read(f"Referring page URL,Anchor,Type\nhttps://a.test/,,{cell}\n")
        assert link.anchor == anchor

    def test_reader_repr_tells_progress(self):
        """The reader's repr shows its format and counts."""
        reader = read_backlinks(io.StringIO("source_url\nhttps://a.test/\n"))
        list(reader)
        assert repr(reader) == "<ExportReader format=generic encoding=None accepted=1 rejected=0>"


class TestErrors:
    def test_raise_names_line_and_column(self):
        """errors="raise" stops at the first bad row, naming its physical line and header."""
        text = 'source_url,anchor,nofollow\nhttps://a.test/,"multi\nline",false\nhttps://b.test/,x,nope\n'
        reader = read_backlinks(io.StringIO(text))
        assert next(reader).anchor == "multi\nline"
        with pytest.raises(
            ExportFormatError, match=r"^line 4, column 'nofollow': 'nope' is not a boolean"
        ):
            next(reader)

    @pytest.mark.parametrize(
        ("row", "column", "reason"),
        [
            (",x", "source_url", "no source URL"),
            ("ftp://a.test/,x", "source_url", "is not an absolute http(s) URL"),
            ("ws://a.test/,x", "source_url", "is not an absolute http(s) URL"),
            ("http://,x", "source_url", "is not a URL with a host"),
            ("https://,x", "source_url", "is not a URL with a host"),
            ("http:// not a url,x", "source_url", "is not a URL with a host"),
            ("https://a.test/", None, "1 cells where the header has 2"),
            ("https://a.test/,x,y", None, "3 cells where the header has 2"),
        ],
    )
    def test_rejected_row_reasons(self, row, column, reason):
        """A row without a source URL or with the wrong number of cells is rejected, not skipped."""
        reader = read_backlinks(io.StringIO(f"source_url,anchor\n{row}\n"), errors="collect")
        assert list(reader) == []
        (rejected,) = reader.rejected
        assert (rejected.line, rejected.column) == (2, column)
        assert reason in rejected.reason
        assert rejected.cells == tuple(row.split(","))

    @given(
        st.lists(
            st.sampled_from(
                [
                    "https://a.test/,true",
                    "https://a.test/,",
                    ",true",
                    "https://a.test/,maybe",
                    "nonsense",
                    "",
                    '"unclosed,true',
                    "https://a.test/,1,extra",
                ]
            ),
            max_size=30,
        )
    )
    def test_rows_in_equal_rows_out_plus_rejected(self, lines):
        """Whatever the rows, collect mode accounts for each one: rows = accepted + rejected."""
        text = "source_url,nofollow\n" + "\n".join(lines) + "\n"
        reader = read_backlinks(io.StringIO(text), errors="collect")
        records = list(reader)
        assert reader.rows == len(records) + len(reader.rejected)
        assert reader.rows + reader.blank_lines >= 1 if lines else reader.rows == 0


class TestNeverCrashes:
    @given(
        st.sampled_from(
            [
                b"source_url,anchor,nofollow,first_seen,kind,extra\n",
                b"Linking page,Last crawled\n",
                b"SourceURL\tFlagNoFollow\n",
                b"",
            ]
        ),
        st.binary(max_size=200),
        st.sampled_from(["utf-8", "utf-16-le", "utf-16-be"]),
    )
    def test_any_bytes_give_records_or_a_library_error(self, header, body, encoding):
        """Whatever the bytes, reading yields records or raises ExportFormatError, nothing else."""
        data = header.decode().encode(encoding) + body
        try:
            reader = read_backlinks(io.BytesIO(data), errors="collect")
            records = list(reader)
        except ExportFormatError:
            return
        assert reader.rows == len(records) + len(reader.rejected)

    @given(st.text(max_size=200))
    def test_any_text_gives_records_or_a_library_error(self, body):
        """Any text after a generic header is read or rejected row by row, never a raw error."""
        reader = read_backlinks(
            io.StringIO("source_url,anchor,ugc,last_seen,section\n" + body), errors="collect"
        )
        records = list(reader)
        assert reader.rows == len(records) + len(reader.rejected)


class TestCells:
    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ("", None),
            ("true", True),
            ("TRUE", True),
            ("True", True),
            ("1", True),
            ("yes", True),
            (" Yes ", True),
            ("false", False),
            ("FALSE", False),
            ("0", False),
            ("no", False),
        ],
    )
    def test_booleans(self, cell, value):
        """Booleans as the tools write them; an empty cell is unknown (None)."""
        (link,) = read(f"source_url,nofollow\nhttps://a.test/,{cell}\n")
        assert link.nofollow is value

    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ("", None),
            ("\\", ""),
            ("\\\\", "\\"),
            ("\\\\\\", "\\\\"),
            ("a\\", "a\\"),
            ("\\a", "\\a"),
            ("x", "x"),
            (" x ", " x "),
        ],
    )
    def test_generic_text_escape(self, cell, value):
        """Generic text: an empty cell is None; a cell of only backslashes loses one."""
        (link,) = read(f"source_url,anchor\nhttps://a.test/,{cell}\n")
        assert link.anchor == value

    @pytest.mark.parametrize(
        ("cell", "kind"),
        [("text", LinkKind.TEXT), ("IMAGE", LinkKind.IMAGE), ("mixed", LinkKind.MIXED), ("", None)],
    )
    def test_kind(self, cell, kind):
        """`kind` takes LinkKind values, any case."""
        (link,) = read(f"source_url,kind\nhttps://a.test/,{cell}\n")
        assert link.kind is kind

    def test_bad_kind_section_and_extra(self):
        """Unknown kinds and sections, and extra that is not a JSON object of strings, are rejected."""
        text = 'source_url,kind,section,extra\nhttps://a.test/,photo,,\nhttps://a.test/,,body,\nhttps://a.test/,,,[1]\nhttps://a.test/,,,"{""a"": 1}"\nhttps://a.test/,,,{\n'
        reader = read_backlinks(io.StringIO(text), errors="collect")
        assert list(reader) == []
        assert [(r.line, r.column) for r in reader.rejected] == [
            (2, "kind"),
            (3, "section"),
            (4, "extra"),
            (5, "extra"),
            (6, "extra"),
        ]

    @pytest.mark.parametrize(
        ("text", "day_first", "value"),
        [
            ("2024-03-01", None, D(2024, 3, 1)),
            ("2024-03-01 12:00:00", None, D(2024, 3, 1)),
            ("2024-03-01T12:00:00Z", None, D(2024, 3, 1)),
            ("2024-03-01 10:22:33 UTC", None, D(2024, 3, 1)),
            ("2024/03/01", None, D(2024, 3, 1)),
            ("01.03.2024", None, D(2024, 3, 1)),
            ("1.3.2024", None, D(2024, 3, 1)),
            ("13/03/2024", None, D(2024, 3, 13)),
            ("03/13/2024", None, D(2024, 3, 13)),
            ("03/04/2024", True, D(2024, 4, 3)),
            ("03/04/2024", False, D(2024, 3, 4)),
            ("Mar 1, 2024", None, D(2024, 3, 1)),
            ("March 1 2024", None, D(2024, 3, 1)),
            ("1 Mar 2024", None, D(2024, 3, 1)),
            ("Sept 9, 2024", None, D(2024, 9, 9)),
            ("", None, None),
            ("  ", None, None),
        ],
    )
    def test_dates(self, text, day_first, value):
        """Dates in the forms the tools write; numeric ones day- or month-first as told."""
        assert _parse_date(text, day_first=day_first) == value

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("03/04/2024", "ambiguous"),
            ("2024-02-30", "day is out of range"),
            ("yesterday", "is not a date"),
            ("1.3.24", "four-digit year"),
            ("Foo 1, 2024", "is not a date"),
            ("2024-03-01x", "is not a date"),
        ],
    )
    def test_bad_dates(self, text, fragment):
        """Ambiguous or impossible dates raise with the text in the message."""
        with pytest.raises(ValueError, match=fragment):
            _parse_date(text)

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("1,240", 1240),
            ("1.240", 1240),
            ("1 240", 1240),
            ("1\u00a0240", 1240),
            ("1'240", 1240),
            ("7", 7),
            (" 12 ", 12),
            ("1,240.00", 1240),  # a whole number written with decimals, as spreadsheets do
        ],
    )
    def test_counts_with_thousands_separators(self, text, value):
        """Counts carry thousands separators of any locale."""
        assert _parse_count(text) == value

    @given(
        st.integers(min_value=0, max_value=10**15),
        st.sampled_from([",", ".", " ", "\u00a0", "'"]),
        st.sampled_from(["", ".00", ",00", ".0"]),
    )
    def test_any_grouped_count_reads_back(self, n, separator, decimals):
        """A whole number grouped by threes reads as itself, with or without a zero decimal
        part; only a decimal written with the grouping mark itself is refused."""
        grouped = f"{n:,}".replace(",", separator) + decimals
        if n >= 1000 and decimals[:1] == separator:
            with pytest.raises(ValueError, match="is not a count"):
                _parse_count(grouped)
        else:
            assert _parse_count(grouped) == n

    @given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
    def test_a_fraction_is_never_a_count(self, n, cents):
        """A count with a non-zero decimal part is refused, never rounded or read as digits."""
        for text in (f"{n}.{cents:02d}", f"{n},{cents:02d}", f"{n:,}.{cents:02d}"):
            with pytest.raises(ValueError, match="is not a count"):
                _parse_count(text)

    @pytest.mark.parametrize(
        "text", ["", "many", "-3", "1,5e3", "٣", "1.240,5", "12.5", "1,2,3,4", "1,240.5"]
    )
    def test_bad_counts(self, text):
        """Anything but a non-negative whole number is refused."""
        with pytest.raises(ValueError, match="is not a count"):
            _parse_count(text)


class TestReadLinkingSites:
    def test_english_with_thousands_and_a_bad_row(self):
        """Top linking sites: counts with separators; a bad count is rejected with its column."""
        reader = read_linking_sites(
            io.BytesIO((EXPORTS / "search_console_top_linking_sites.csv").read_bytes()),
            errors="collect",
        )
        assert list(reader) == [
            LinkingSite("big-blog.test", 1240, 12),
            LinkingSite("small.test", 3, 1),
        ]
        assert [(r.line, r.column) for r in reader.rejected] == [(4, "Linking pages")]
        assert reader.format is ExportFormat.SEARCH_CONSOLE_SITES

    def test_german_with_semicolons_and_dots(self):
        """German: BOM, semicolons, `1.240`."""
        data = (EXPORTS / "search_console_top_linking_sites_de.csv").read_bytes()
        assert list(read_linking_sites(io.BytesIO(data))) == [
            LinkingSite("big-blog.test", 1240, 12)
        ]

    def test_unlisted_language_by_position(self):
        """Three columns in an unlisted language are read in Search Console's order."""
        text = "Сайт,Ссылающиеся страницы,Целевые страницы\nblog.test,5,2\n"
        assert list(read_linking_sites(io.StringIO(text))) == [LinkingSite("blog.test", 5, 2)]

    @pytest.mark.parametrize(
        "header", ["Linking page,Last crawled", "source_url,anchor", "a,b,c,d"]
    )
    def test_other_exports_are_refused(self, header):
        """A links export (or anything wider) is not read as linking sites."""
        with pytest.raises(
            ExportFormatError, match="not a Search Console 'Top linking sites' export"
        ):
            read_linking_sites(io.StringIO(header + "\n"))

    def test_site_with_spaces_is_rejected(self):
        """A site cell that is not a host name is rejected, not read."""
        reader = read_linking_sites(
            io.StringIO("Site,Linking pages\nnot a site,3\n"), errors="collect"
        )
        assert list(reader) == []
        assert reader.rejected[0].column == "Site"


# -- the generic round trip ----------------------------------------------------------------------
texts = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        max_size=20,
    ),
    st.sampled_from(
        ["", "\\", "\\\\", ",", '"', "\n", "\r\n", "\r", " ", "a,b", 'say "hi"', "日本語"]
    ),
)
dates = st.none() | st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
flags = st.none() | st.booleans()
backlinks = st.builds(
    Backlink,
    source_url=st.builds(
        lambda scheme, host, path: f"{scheme}://{host}.test/{path}",
        st.sampled_from(["http", "https", "HTTPS"]),
        st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8),
        st.text(
            alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
            max_size=10,
        ),
    ).filter(lambda url: url == url.strip()),
    target_url=texts,
    anchor=texts,
    nofollow=flags,
    sponsored=flags,
    ugc=flags,
    kind=st.none() | st.sampled_from(LinkKind),
    first_seen=dates,
    last_seen=dates,
    lost=dates,
    source_ip=texts,
    section=st.none() | st.sampled_from(Section),
    extra=st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


class TestWriteBacklinks:
    @given(st.lists(backlinks, max_size=8))
    def test_round_trip(self, records):
        """Written in the generic layout and read back, every record comes back equal, extra too."""
        out = io.StringIO(newline="")
        assert write_backlinks(records, out) == len(records)
        back = list(read_backlinks(io.StringIO(out.getvalue(), newline="")))
        assert back == records
        assert [dict(b.extra) for b in back] == [dict(r.extra) for r in records]

    def test_round_trip_through_bytes(self):
        """A binary stream gets UTF-8, and the stream is left open and usable."""
        records = [
            Backlink("https://a.test/é", anchor="", extra={"k": "v"}),
            Backlink("https://b.test/", anchor=None),
        ]
        out = io.BytesIO()
        write_backlinks(records, out)
        assert not out.closed
        assert list(read_backlinks(io.BytesIO(out.getvalue()))) == records

    def test_none_and_empty_are_written_apart(self):
        """None is an empty cell; "" is written as one backslash."""
        out = io.StringIO()
        write_backlinks([Backlink("https://a.test/", anchor=""), Backlink("https://a.test/")], out)
        rows = out.getvalue().splitlines()
        assert rows[0] == ",".join(backlinkkit._importers._tool_headers.GENERIC_COLUMNS)
        assert rows[1].split(",")[2] == "\\"
        assert rows[2].split(",")[2] == ""

    @pytest.mark.parametrize(
        ("record", "fragment"),
        [
            (Backlink(""), "no source URL"),
            (Backlink("blog.test/post"), "not an absolute http"),
            (Backlink(" https://a.test/"), "not an absolute http"),
            (Backlink("https://a.test/", anchor="a\x00b"), "NUL"),
        ],
    )
    def test_records_that_would_not_read_back_are_refused(self, record, fragment):
        """A record the reader would reject (or change) is refused when written, naming it."""
        with pytest.raises(ExportFormatError, match=rf"record 1\b.*{fragment}"):
            write_backlinks([record], io.StringIO())


# -- issue 10: importers that lost or misread data -----------------------------------------------
_CELL_LIMIT = 131_072  # csv.field_size_limit()'s default
_safe_text = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
    max_size=12,
)
# Cells over the csv module's field limit, made of what makes CSV hard: quotes, line ends,
# delimiters; hypothesis cannot draw 200 KB texts fast, so they are sampled.
_long_texts = st.sampled_from(
    [
        "x" * (_CELL_LIMIT + 1),
        "a" * 200_000,
        '"' * (_CELL_LIMIT + 5),
        'say "hi",\r\nthen;\tgo\n' * 9_000,
        "\r" * (_CELL_LIMIT + 2),
        "é日本" * 50_000,
    ]
)
all_texts = st.none() | _safe_text | _long_texts
scores = st.none() | st.floats(min_value=0, max_value=100, allow_nan=False)
counts = st.none() | st.integers(min_value=0, max_value=10**12)
every_field = st.builds(
    Backlink,
    source_url=st.sampled_from(["https://a.test/", "http://b.test/p?q=1,2", 'https://c.test/"x"']),
    target_url=all_texts,
    anchor=all_texts,
    nofollow=flags,
    sponsored=flags,
    ugc=flags,
    kind=st.none() | st.sampled_from(LinkKind),
    first_seen=dates,
    last_seen=dates,
    lost=dates,
    source_ip=all_texts,
    section=st.none() | st.sampled_from(Section),
    source_title=all_texts,
    spam=flags,
    toxicity=scores,
    toxic_markers=st.lists(_safe_text.filter(str.strip), max_size=3).map(tuple),
    sitewide=flags,
    domain_rating=scores,
    url_rating=scores,
    page_ascore=scores,
    trust_flow=scores,
    citation_flow=scores,
    domain_authority=scores,
    page_authority=scores,
    external_links=counts,
    linked_domains=counts,
    # Keys equal to column names stay in `extra`: the JSON object holds them apart.
    extra=st.dictionaries(
        st.sampled_from(backlinkkit._importers._tool_headers.GENERIC_COLUMNS) | _safe_text,
        all_texts.filter(lambda v: v is not None),
        max_size=3,
    ),
)


class TestLongCells:
    @settings(max_examples=30, deadline=None)  # each example writes and reads up to 3 MB
    @given(st.lists(every_field, min_size=1, max_size=4))
    def test_every_field_round_trips_through_text_and_bytes(self, records):
        """write -> read gives every record back, cells past csv's field limit included."""
        text = io.StringIO(newline="")
        write_backlinks(records, text)
        binary = io.BytesIO()
        write_backlinks(records, binary)
        for stream in (io.StringIO(text.getvalue(), newline=""), io.BytesIO(binary.getvalue())):
            reader = read_backlinks(stream, errors="collect")
            back = list(reader)
            assert reader.rejected == []
            assert back == records
            assert [dict(b.extra) for b in back] == [dict(r.extra) for r in records]

    def test_a_long_record_does_not_swallow_the_next_rows(self):
        """A 200 KB quoted anchor is one record; the rows after it keep their line numbers."""
        out = io.StringIO()
        write_backlinks([Backlink("https://a.test/", anchor='x"\n' * 70_000)], out)
        text = out.getvalue() + "ftp://b.test/" + "," * 26 + "\r\nhttps://c.test/" + "," * 26
        reader = read_backlinks(io.StringIO(text), errors="collect")
        assert [b.source_url for b in reader] == ["https://a.test/", "https://c.test/"]
        assert [r.line for r in reader.rejected] == [70_003]  # header, then 70,001 lines

    @pytest.mark.parametrize(
        "header",
        [
            "source_url," + "h" * 200_000,
            'source_url,"' + 'h""' * 70_000 + '"',
            "source_url\t" + "h" * 200_000,
        ],
    )
    def test_a_long_header_cell_is_read(self, header):
        """A header cell over csv's field limit is read, not a raw `_csv.Error`."""
        reader = read_backlinks(io.StringIO(header + "\nhttps://a.test/,x\n"), errors="collect")
        assert len(reader.header) == 2
        assert len(reader.header[1]) >= 140_000

    @pytest.mark.parametrize("single_line", ["majestic", "generic"])
    def test_the_field_limit_is_left_alone(self, single_line):
        """The process-wide `csv.field_size_limit` is never changed by reading."""
        import csv

        before = csv.field_size_limit()
        header = "SourceURL,TargetURL,FlagNoFollow" if single_line == "majestic" else "source_url"
        list(
            read_backlinks(
                io.StringIO(f'{header}\n"https://a.test/{"x" * 140_000}"\n'), errors="collect"
            )
        )
        assert csv.field_size_limit() == before

    @settings(max_examples=300)
    @given(
        st.text(alphabet='ab",;\t\r\n', max_size=60),
        st.sampled_from([",", ";", "\t"]),
        st.sampled_from(["", "\n"]),
    )
    def test_the_long_cell_splitter_reads_as_csv_does(self, text, delimiter, newline):
        """The splitter used past csv's field limit reads a record as `csv.reader` would (its
        quoted runs are matched whole, doubled quotes and line ends at any place)."""
        import csv

        text = '"' + text  # a record the splitter is given starts with a quoted line
        lines = list(io.StringIO(text, newline=newline or None))
        expected_lines = list(io.StringIO(text, newline=newline or None))
        try:
            expected = next(csv.reader(iter(expected_lines), delimiter=delimiter))
        except (csv.Error, StopIteration):
            return  # the csv module refuses it or there is no record: nothing to compare
        row, used, problem = _split_record(iter(lines), delimiter)
        assert problem is None
        assert row == expected
        assert used >= 1

    def test_the_splitter_is_linear_in_cells_and_quotes(self):
        """A 200 KB cell of doubled quotes beside 10,000 unquoted cells reads whole (the
        splitter once took a step per quote and a scan of the line per cell)."""
        cell = '"' + 'k""' * 70_000 + '"'
        line = "https://a.test/," + cell + "," + ",".join(["v"] * 10_000) + "\r\n"
        row, used, problem = _split_record(iter([line]), ",")
        assert (used, problem, len(row)) == (1, None, 10_002)
        assert row[1] == 'k"' * 70_000


class TestDuplicateColumns:
    @pytest.mark.parametrize(
        ("text", "extra"),
        [
            ("source_url,foo,foo\nhttps://a.test/,1,2\n", {"foo": "1", "foo (2)": "2"}),
            (
                "source_url,foo,Foo,foo (2)\nhttps://a.test/,1,2,3\n",
                {"foo": "1", "Foo (2)": "2", "foo (2)": "3"},
            ),
            ("source_url,anchor,anchor\nhttps://a.test/,a,b\n", {"anchor (2)": "b"}),
            (
                'source_url,extra,foo\nhttps://a.test/,"{""foo"": ""j""}",c\n',
                {"foo": "j", "foo (2)": "c"},
            ),
            (
                "Referring page URL,Domain rating,Domain rating\nhttps://a.test/,10,20\n",
                {"Domain rating (2)": "20"},
            ),
        ],
    )
    def test_repeated_names_keep_every_cell(self, text, extra):
        """A repeated column name keeps both cells: the later one as `extra["name (2)"]`."""
        assert [dict(b.extra) for b in read(text)] == [extra]

    @given(
        st.lists(
            st.sampled_from(["foo", "Foo ", "foo (2)", "bar", "anchor", "x"]),
            min_size=1,
            max_size=8,
        )
    )
    def test_no_cell_is_lost(self, names):
        """Whatever names repeat, every cell of the row is in a field or in `extra`."""
        values = [f"v{i}" for i in range(len(names))]
        text = ",".join(["source_url", *names]) + "\nhttps://a.test/," + ",".join(values) + "\n"
        (record,) = read(text)
        kept = [*record.extra.values(), *([record.anchor] if record.anchor else [])]
        assert sorted(kept) == sorted(values)


class OneByteFirst(io.RawIOBase):
    """A binary stream whose first read gives one byte, the next ones `chunk` bytes at most."""

    def __init__(self, data: bytes, chunk: int = 1) -> None:
        self._data = memoryview(data)
        self._chunk = chunk
        self._first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if not len(buffer):
            return 0
        size = 1 if self._first else min(len(buffer), self._chunk)
        self._first = False
        part = self._data[:size]
        buffer[: len(part)] = part
        self._data = self._data[len(part) :]
        return len(part)


class NonBlocking(io.RawIOBase):
    """A raw stream with no data ready (a non-blocking pipe): reads give None."""

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer) -> None:  # type: ignore[no-untyped-def]
        return None

    def write(self, data) -> None:  # type: ignore[no-untyped-def]
        return None


rows_text = st.lists(
    st.tuples(
        st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    ),
    max_size=5,
)


def _export(rows: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    write_backlinks(
        [Backlink(f"https://{host}.test/", anchor=anchor) for host, anchor in rows], out
    )
    return out.getvalue()


class TestEncodingSniffing:
    @given(
        rows_text,
        st.sampled_from(["utf-16-le", "utf-16-be", "utf-8"]),
        st.integers(min_value=1, max_value=7),
    )
    def test_short_reads_do_not_change_the_encoding(self, rows, encoding, chunk):
        """A stream giving one byte, then a few at a time, decodes as one giving all at once."""
        data = _export(rows).encode(encoding)
        reader = read_backlinks(OneByteFirst(data, chunk))
        assert reader.encoding == encoding
        assert list(reader) == list(read_backlinks(io.BytesIO(data)))

    @given(rows_text, st.lists(st.integers(min_value=0), min_size=1, max_size=3))
    def test_a_few_nuls_keep_utf8(self, rows, positions):
        """NULs in a few places of a UTF-8 file make no UTF-16: only a pattern over alternating
        positions does (they end up in cells or make rows bad, they do not re-decode the file)."""
        text = list("source_url,anchor\r\n" + _export(rows))
        for position in positions:
            text.insert(19 + position % max(1, len(text) - 19), "\x00")
        reader = read_backlinks(io.BytesIO("".join(text).encode()), errors="collect")
        assert reader.encoding == "utf-8"
        list(reader)
        assert reader.rows == reader.accepted + len(reader.rejected)

    @pytest.mark.parametrize(
        ("text", "delimiter"),
        [
            ("sep=\t\r\nsource_url\tanchor\r\nhttps://a.test/\tx, y\r\n", "\t"),
            ("sep=;\nsource_url;anchor\nhttps://a.test/;x, y\n", ";"),
            ('sep=,\nsource_url,anchor\nhttps://a.test/,"x, y"\n', ","),
            ("SEP=|\nsource_url|anchor\nhttps://a.test/|x, y\n", "|"),
        ],
    )
    def test_excel_sep_line(self, text, delimiter):
        """Excel's `sep=` first line is skipped and names the delimiter, a tab included."""
        for stream in (io.StringIO(text), io.BytesIO(text.encode("utf-16"))):
            reader = read_backlinks(stream)
            assert reader.delimiter == delimiter
            assert [b.anchor for b in reader] == ["x, y"]


class TestStreamTypes:
    @pytest.mark.parametrize(
        ("stream", "fragment"),
        [
            ("exports/backlinks.csv", "not a str 'exports/backlinks.csv'"),
            (b"source_url\n", r"io.BytesIO\(data\).*not a bytes"),
            (bytearray(b"source_url\n"), "not a bytearray"),
            (__import__("pathlib").Path("x.csv"), "not a PosixPath|not a WindowsPath"),
            (42, "binary or text stream, not a int"),
            (NonBlocking(), "non-blocking"),
        ],
    )
    def test_readers_refuse_what_is_not_a_stream(self, stream, fragment):
        """A path, the data itself or a non-blocking stream is a TypeError saying what to pass."""
        for read_it in (read_backlinks, read_linking_sites):
            with pytest.raises(backlinkkit.ArgumentTypeError, match=fragment):
                read_it(stream)

    @pytest.mark.parametrize(
        ("stream", "fragment"),
        [
            ("out.csv", "open stream .* not a str 'out.csv'"),
            (b"", "not a bytes"),
            (42, "text or binary stream, not a int"),
            (NonBlocking(), "non-blocking"),
        ],
    )
    def test_writer_refuses_what_is_not_a_stream(self, stream, fragment):
        """write_backlinks names what it was given and what it needs."""
        with pytest.raises(backlinkkit.ArgumentTypeError, match=fragment):
            write_backlinks([Backlink("https://a.test/")], stream)

    @given(
        st.lists(every_field.filter(lambda b: len(repr(b)) < 5_000), max_size=4),
        st.sampled_from(["anchor", "target_url", "source_ip", "source_title", "extra"]),
        st.integers(min_value=0, max_value=4),
    )
    def test_a_lone_surrogate_is_refused_before_its_record(self, records, field, at):
        """A lone surrogate to a binary stream raises naming record and field; what was written
        is exactly the header and the records before it."""
        at = min(at, len(records))
        value = {"k": "\udc80"} if field == "extra" else "a\ud800b"
        bad = attrs.evolve(Backlink("https://a.test/"), **{field: value})
        out = io.BytesIO()
        with pytest.raises(ExportFormatError, match=rf"record {at + 1}, field '{field}'"):
            write_backlinks([*records[:at], bad, *records[at:]], out)
        before = io.BytesIO()
        write_backlinks(records[:at], before)
        assert out.getvalue() == before.getvalue()

    def test_a_surrogate_goes_to_a_text_stream_that_holds_any_text(self):
        """StringIO holds lone surrogates: they are written and read back."""
        out = io.StringIO()
        write_backlinks([Backlink("https://a.test/", anchor="a\ud800")], out)
        assert [b.anchor for b in read_backlinks(io.StringIO(out.getvalue()))] == ["a\ud800"]


class TestLinkingSitesRefusals:
    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("Target page,Internal links\nhttps://a.test/,3\n", "'Top linked pages' export"),
            ("Rank,Link text\n1,foo\n", r"first row \('1', 'foo'\) is not a site"),
            ("Seite,Links\nhttps://a.test/p,3\n", "is not a site and a count"),
            ("Sitio,Enlaces\n\nblog.test,many\n", "is not a site and a count"),
            (
                "source_url,anchor\nhttps://a.test/,x\n",
                r"backlinks \(generic\): read it with read_backlinks",
            ),
            ("Referring page URL,Anchor\nhttps://a.test/,x\n", r"backlinks \(ahrefs\)"),
        ],
    )
    def test_refused_at_the_header(self, text, fragment):
        """Other exports are refused by read_linking_sites itself, with the reason."""
        with pytest.raises(ExportFormatError, match=fragment):
            read_linking_sites(io.StringIO(text))

    @given(
        st.sampled_from(["Сайт,Страницы", "Κόμβος,Σελίδες,Στόχοι", "A,B"]),
        st.text(alphabet=string.ascii_lowercase + "/:", min_size=1, max_size=10),
    )
    def test_unlisted_headers_need_a_site_first(self, header, name):
        """An unlisted header is read by position only if its first row starts with a host."""
        text = f"{header}\n{name},3\n"
        site_like = "." in name or False
        if "/" in name or ":" in name or not site_like:
            with pytest.raises(ExportFormatError, match="not a site and a count"):
                read_linking_sites(io.StringIO(text))
        else:
            assert [s.site for s in read_linking_sites(io.StringIO(text))] == [name]

    def test_urls_are_no_sites(self):
        """A URL in the site column of a recognised header is rejected, not a site."""
        reader = read_linking_sites(
            io.StringIO("Site,Linking pages\nhttps://a.test/,3\nb.test,2\n"), errors="collect"
        )
        assert [s.site for s in reader] == ["b.test"]
        assert [r.column for r in reader.rejected] == ["Site"]
