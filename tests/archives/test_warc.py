"""backlinkkit.warc: reading WARC and WAT files, targets, the prefilter, rows, the one-machine path.

The archives are built here (tests/warc_builders.py) from pages written for the tests.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import gzip
import io
import json
import pickle
import sys
from importlib.util import find_spec

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlinkkit import (
    Backlink,
    InvalidURLError,
    LinkKind,
    LinkProfile,
    MissingDependencyError,
    Section,
    extract_links,
)
from backlinkkit._cli import main
from backlinkkit.warc import (
    ArchiveFormat,
    ArchiveJobError,
    ArchiveStats,
    BacklinkRow,
    Prefilter,
    SkippedRecord,
    SkipReason,
    Target,
    WarcPage,
    WatPage,
    archive_locations,
    merge_rows,
    read_warc,
    read_wat,
    row_columns,
    scan_archive,
    scan_archives,
    targets_from_toml,
    write_results,
)
from warc_builders import (
    TARGET_DOMAINS,
    TEST_PAGES,
    Page,
    WatEntry,
    WatPageSpec,
    members,
    plain_backlinks,
    plain_profiles,
    warc_file,
    warc_record,
    warc_response,
    wat_file,
)

needs_fastwarc = pytest.mark.skipif(find_spec("fastwarc") is None, reason="needs the warc extra")
needs_pyarrow = pytest.mark.skipif(find_spec("pyarrow") is None, reason="needs the warc extra")

TARGETS = tuple(Target(domain) for domain in TARGET_DOMAINS)


def pages_of(data: bytes, **kwargs):
    return list(read_warc(io.BytesIO(data), archive="test.warc.gz", **kwargs))


def rows_as_pairs(rows):
    return collections.Counter((row.target, row.backlink) for row in rows)


class TestTarget:
    @pytest.mark.parametrize(
        ("given", "domain"),
        [
            ("example.com", "example.com"),
            ("WWW.Example.COM.", "www.example.com"),
            ("Bücher.example", "xn--bcher-kva.example"),
            ("https://Shop.Example.com/path?q", "shop.example.com"),
            (" example.org ", "example.org"),
        ],
    )
    def test_domain_is_normalized(self, given, domain):
        """A target's domain is the host as URLs carry it: lower-case punycode, no dot at the end."""
        assert Target(given).domain == domain

    @pytest.mark.parametrize(
        "given", ["", "  ", "a b.com", "example.com/path", "http://", "user@example.com"]
    )
    def test_bad_domain_is_refused(self, given):
        """Something that is no host name raises InvalidURLError, naming it."""
        with pytest.raises(InvalidURLError, match="host"):
            Target(given)

    @pytest.mark.parametrize(
        ("target", "host", "matches"),
        [
            ("example.com", "example.com", True),
            ("example.com", "www.example.com", True),
            ("example.com", "a.b.example.com", True),
            ("example.com", "notexample.com", False),
            ("example.com", "example.com.evil.test", False),
            ("blog.shop.test", "blog.shop.test", True),
            ("blog.shop.test", "shop.test", False),
            ("blog.shop.test", "www.blog.shop.test", True),
            ("example.com", None, False),
        ],
    )
    def test_matches_host_and_below(self, target, host, matches):
        """A target matches its host and every host below it, never a host that only ends alike."""
        assert Target(target).matches(host) is matches

    def test_site_of_a_host_target(self):
        """A host target's site is its registrable domain (links from there are own links)."""
        assert Target("blog.shop.test").site == "shop.test"

    def test_profile_has_brands_and_keywords(self):
        """`profile()` is an empty LinkProfile of the domain with the target's brands and keywords."""
        profile = Target("example.com", brands="Example", keywords=["running shoes"]).profile()
        assert (profile.domain, profile.brands, profile.keywords) == (
            "example.com",
            ("Example",),
            ("running shoes",),
        )

    def test_pickles_as_plain_versioned_data(self):
        """A target pickles (to Spark executors) without naming a private module, and loads equal."""
        target = Target("example.com", brands=["Ex"], keywords=["k"])
        data = pickle.dumps(target)
        assert b"_archives" not in data
        assert pickle.loads(data) == target

    def test_unknown_pickle_version_is_refused(self):
        """A pickle of an unknown state version is refused, not half-loaded."""
        target = Target.__new__(Target)
        with pytest.raises(TypeError, match="state"):
            target.__setstate__({"version": 99})


class TestTargetsFromToml:
    def test_reads_tables_in_order(self):
        """Each [[target]] table is one target, with its brands and keywords, in file order."""
        targets = targets_from_toml(
            '[[target]]\ndomain = "example.com"\nbrands = ["Example"]\nkeywords = "shoes"\n'
            '[[target]]\ndomain = "rival.test"\n'
        )
        assert targets == (
            Target("example.com", brands=["Example"], keywords=["shoes"]),
            Target("rival.test"),
        )

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[[target]\n", "targets file"),
            ("", "no \\[\\[target\\]\\] table"),
            ('[target]\ndomain = "a.test"\n', "no \\[\\[target\\]\\] table"),
            ('[[target]]\ndomain = "a.test"\ncolour = 1\n', "unknown key 'colour'"),
            ("[[target]]\nbrands = []\n", "'domain' must be a string"),
            ('[[target]]\ndomain = "a.test"\nbrands = [1]\n', "'brands' must be a list of strings"),
            ('[[target]]\ndomain = "a.test"\n[[target]]\ndomain = "A.test"\n', "listed twice"),
            ('[[target]]\ndomain = "a b"\n', "#1: not a host name"),
            ('domain = "a.test"\n', "unknown key 'domain'"),
        ],
    )
    def test_bad_file_is_refused_with_where(self, text, message):
        """A malformed targets file raises ArchiveJobError saying what and which table."""
        with pytest.raises(ArchiveJobError, match=message):
            targets_from_toml(text)


class TestPrefilter:
    CHECK = Prefilter([Target("example.com"), Target("bücher.example")])

    @pytest.mark.parametrize(
        "body",
        [
            b'<a href="https://example.com/">',
            b'<a href="https://WWW.EXAMPLE.COM/">',
            b'<a href="https://shop.Example.com/">',
            b'<a href="https://example&#46;com/">',
            b'<a href="https://example%2Ecom/">',
            '<a href="https://example。com/">'.encode(),
            b'<a href="https://exa&#109;ple.com/">',
            b'<a href="https://exa&#x6D;ple.com/">',
            b'<a href="https://exa&#X6d;ple.com/">',
            b'<a href="https://exa%6Dple.com/">',
            b'<a href="https://xn--bcher-kva.example/">',
            b'<a href="https://XN--BCHER-KVA.example/">',
            '<a href="https://bücher.example/">'.encode(),
            '<a href="https://BÜCHER.example/">'.encode(),
            b'<a href="https://b%C3%BCcher.example/">',
            b'<a href="https://b&#252;cher.example/">',
            '<a href="https://bücher.example/">'.encode("latin-1"),
        ],
    )
    def test_every_spelling_of_a_target_is_kept(self, body):
        """A page that spells a target's host in any way a browser still reads is never skipped."""
        assert self.CHECK.may_link(body)

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b'<a href="https://other.test/">x</a>',
            b"<p>Tom &amp; Jerry &#39;quoted&#39; &#160; 50%20off %3D</p>",
            "<p>Café in UTF-8, no target</p>".encode(),
        ],
    )
    def test_pages_without_any_spelling_are_skipped(self, body):
        """A page with no spelling of any target's label (in an ASCII-compatible encoding) is skipped."""
        assert not self.CHECK.may_link(body)

    @pytest.mark.parametrize(
        ("body", "content_type"),
        [
            ("<a href=x>".encode("utf-16-le"), None),
            ("\ufeff<a href=x>".encode("utf-16-be"), None),
            ("\ufeff<a href=x>".encode("utf-32-le"), None),
            ("<a href=x>".encode("utf-16-be"), "text/html"),
            (b"<p>plain</p>", "text/html; charset=UTF-16"),
            (b'<meta charset="utf-16"><p>plain</p>', None),
            (b"<meta http-equiv=content-type content='text/html; charset=ucs-2'>", None),
        ],
    )
    def test_pages_not_ascii_compatible_are_never_skipped(self, body, content_type):
        """UTF-16/32 pages (by BOM, NUL bytes or a declared charset) are never skipped."""
        assert self.CHECK.may_link(body, content_type=content_type)

    def test_legacy_encoded_page_is_kept_for_idn_targets(self):
        """For an IDN target, a page that is not valid UTF-8 is kept: it may spell the label its own way."""
        assert self.CHECK.may_link("Bücher".encode("cp1252") + b" and other.test")
        assert not Prefilter([Target("example.com")]).may_link("Bücher".encode("cp1252"))

    @pytest.mark.parametrize("domain", ["192.0.2.7", "github.io", "[2001:db8::1]"])
    def test_targets_without_a_label_turn_it_off(self, domain):
        """An IP or public-suffix target cannot be searched for: every page is kept."""
        assert Prefilter([Target(domain)]).may_link(b"<p>nothing</p>")

    @given(
        host=st.lists(
            st.sampled_from(["plain", "upper", "decimal", "hex", "percent"]),
            min_size=11,
            max_size=11,
        ),
        dot=st.sampled_from([".", "&#46;", "&#x2e;", "%2E", "&period;"]),
    )
    @settings(max_examples=200, deadline=None)
    def test_never_skips_a_page_extract_links_finds_a_backlink_on(self, host, dot):
        """Property: whenever extract_links sees a link to the target, the prefilter kept the page."""
        encoders = {
            "plain": lambda c: c,
            "upper": str.upper,
            "decimal": lambda c: f"&#{ord(c)};",
            "hex": lambda c: f"&#x{ord(c):x};",
            "percent": lambda c: f"%{ord(c):02X}",
        }
        label = "example"
        spelled = "".join(encoders[way](char) for way, char in zip(host, label, strict=False))
        body = f'<a href="https://{spelled}{dot}com/page">x</a>'.encode()
        links = extract_links(body, "https://page.test/")
        if any(Target("example.com").matches(link.host) for link in links):
            assert Prefilter([Target("example.com")]).may_link(body)

    @needs_fastwarc
    def test_same_backlinks_with_and_without_it(self):
        """On the test pages, the prefilter skips pages and loses no backlink."""
        data = warc_file(TEST_PAGES)
        plain = scan_archive(io.BytesIO(data), TARGETS, archive="a")
        filtered = scan_archive(io.BytesIO(data), TARGETS, archive="a", prefilter=True)
        assert filtered.rows == plain.rows
        assert filtered.stats.skipped_by_prefilter == 2
        assert filtered.stats.pages == plain.stats.pages - 2

    @needs_fastwarc
    def test_digest_checked_only_for_pages_read(self):
        """A damaged page the prefilter rules out is skipped as such; one it keeps is damaged."""
        kept = Page("https://a.test/kept", '<a href="https://example.com/">x</a> original')
        ruled_out = Page("https://a.test/out", "<p>original, no link</p>")
        records = [
            warc_response(page).replace(b"original", b"tampered") for page in (kept, ruled_out)
        ]
        data = members(records)
        targets = [Target("example.com")]
        filtered = scan_archive(io.BytesIO(data), targets, archive="a", prefilter=True)
        plain = scan_archive(io.BytesIO(data), targets, archive="a")
        assert filtered.rows == plain.rows == ()
        assert plain.stats.skipped == {SkipReason.DIGEST_MISMATCH: 2}
        assert filtered.stats.skipped == {
            SkipReason.DIGEST_MISMATCH: 1,
            SkipReason.PREFILTER: 1,
        }


@needs_fastwarc
class TestReadWarc:
    PAGE = Page(
        "https://blog.test/post",
        "<p>hello</p>",
        headers=(("X-Robots-Tag", "noarchive"), ("x-robots-tag", "nofollow")),
    )

    @pytest.mark.parametrize("compress", [True, False])
    def test_reads_pages_with_their_record_fields(self, compress):
        """A response record gives its URL, date (UTC), IP, status, headers and body."""
        data = warc_file([self.PAGE], compress=compress)
        (page,) = pages_of(data)
        assert isinstance(page, WarcPage)
        assert (page.url, page.date, page.ip, page.status, page.body) == (
            "https://blog.test/post",
            dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC),
            "203.0.113.7",
            200,
            b"<p>hello</p>",
        )
        assert page.archive == "test.warc.gz"

    def test_repeated_headers_are_joined(self):
        """A header sent twice is one value, joined with ', ' (so both X-Robots-Tag count)."""
        (page,) = pages_of(warc_file([self.PAGE]))
        assert page.headers["X-Robots-Tag"] == "noarchive, nofollow"

    def test_angle_bracket_uri_and_fractional_date(self):
        """WARC 1.0's <uri> form is unwrapped; a date with fractions and an offset is read in UTC."""
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>"
        record = warc_record(
            "response",
            "<https://a.test/>",
            "2024-05-01T12:00:00.5+02:00",
            http,
            content_type="application/http; msgtype=response",
        )
        (page,) = pages_of(members([record]))
        assert page.url == "https://a.test/"
        assert page.date == dt.datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=dt.UTC)

    def test_chunked_and_gzip_bodies_are_decoded(self):
        """A body stored with chunked transfer and gzip content encoding is decoded for parsing."""
        packed = gzip.compress(b"<a href='https://example.com/'>x</a>")
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
        page = Page(
            "https://c.test/",
            chunked,
            headers=(("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")),
        )
        (read,) = pages_of(warc_file([page]))
        assert read.body == b"<a href='https://example.com/'>x</a>"

    @pytest.mark.parametrize(
        ("page", "reason"),
        [
            (
                Page("https://a.test/x.png", b"\x89PNG", content_type="image/png"),
                SkipReason.NOT_HTML,
            ),
            (
                Page("https://a.test/x.pdf", b"%PDF", content_type="application/pdf"),
                SkipReason.NOT_HTML,
            ),
            (Page("https://a.test/gone", "<p>gone</p>", status=404), SkipReason.HTTP_STATUS),
            (Page("https://a.test/moved", "", status=301), SkipReason.HTTP_STATUS),
            (
                Page("https://a.test/br", b"\x0b\x02", headers=(("Content-Encoding", "br"),)),
                SkipReason.CONTENT_ENCODING,
            ),
            (
                Page("https://a.test/bad", b"not gzip", headers=(("Content-Encoding", "gzip"),)),
                SkipReason.CONTENT_ENCODING,
            ),
        ],
    )
    def test_records_that_are_no_html_page_are_skipped_with_a_reason(self, page, reason):
        """Non-HTML, non-2xx and undecodable responses come out as SkippedRecord, not pages."""
        (item,) = pages_of(warc_file([page]))
        assert isinstance(item, SkippedRecord)
        assert (item.reason, item.url) == (reason, page.url)

    def test_untyped_html_is_sniffed(self):
        """A response without Content-Type counts as HTML when it starts like an HTML document."""
        pages = [
            Page("https://a.test/1", "<!DOCTYPE html><p>x</p>", content_type=None),
            Page("https://a.test/2", "just text", content_type=None),
        ]
        kinds = [type(item) for item in pages_of(warc_file(pages))]
        assert kinds == [WarcPage, SkippedRecord]

    def test_non_http_and_dateless_records(self):
        """A dns: record is not HTML; a response without a valid WARC-Date is malformed."""
        dns = warc_record(
            "response",
            "dns:a.test",
            "2024-05-01T00:00:00Z",
            b"a.test. 60 IN A 192.0.2.1\n",
            content_type="text/dns",
        )
        dateless = warc_record(
            "response",
            "https://a.test/",
            "yesterday",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nx",
            content_type="application/http; msgtype=response",
        )
        reasons = [item.reason for item in pages_of(members([dns, dateless]))]
        assert reasons == [SkipReason.NOT_HTML, SkipReason.MALFORMED]

    def test_truncated_file_keeps_earlier_pages_and_counts_the_cut(self):
        """A file cut inside its last record: earlier pages come out, the cut one is TRUNCATED."""
        pages = [Page(f"https://a.test/{i}", "<p>page</p>" * 50) for i in range(3)]
        data = warc_file(pages, with_requests=False)
        items = pages_of(data[:-60])
        assert [type(item) for item in items] == [WarcPage, WarcPage, SkippedRecord]
        assert items[-1].reason is SkipReason.TRUNCATED

    def test_truncated_plain_file(self):
        """An uncompressed file cut short gives TRUNCATED for its last record too."""
        data = warc_file(
            [Page("https://a.test/", "<p>x</p>" * 100)], compress=False, with_requests=False
        )
        assert [
            item.reason for item in pages_of(data[:-150]) if isinstance(item, SkippedRecord)
        ] == [SkipReason.TRUNCATED]

    def test_corrupt_gzip_member_is_skipped_and_reading_goes_on(self):
        """A gzip member that does not decompress is counted; the members after it are read."""
        records = [warc_response(Page(f"https://a.test/{i}", "<p>page</p>" * 40)) for i in range(3)]
        parts = [gzip.compress(record, mtime=0) for record in records]
        broken = parts[1][:30] + bytes(20) + parts[1][50:]
        items = pages_of(parts[0] + broken + parts[2])
        assert [getattr(item, "url", None) for item in items if isinstance(item, WarcPage)] == [
            "https://a.test/0",
            "https://a.test/2",
        ]
        assert [item.reason for item in items if isinstance(item, SkippedRecord)] == [
            SkipReason.CORRUPT_GZIP
        ]

    def test_member_cut_in_the_middle_of_a_file(self):
        """A member cut short, followed by good members: the cut one is counted, the rest read."""
        records = [warc_response(Page(f"https://a.test/{i}", "<p>page</p>" * 40)) for i in range(3)]
        parts = [gzip.compress(record, mtime=0) for record in records]
        items = pages_of(parts[0] + parts[1][: len(parts[1]) // 2] + parts[2])
        urls = [item.url for item in items if isinstance(item, WarcPage)]
        assert urls[0] == "https://a.test/0"
        assert urls[-1] == "https://a.test/2"
        assert any(isinstance(item, SkippedRecord) and item.reason.damaged for item in items)

    def test_digest_mismatch_is_detected(self):
        """A block that does not match its WARC-Block-Digest is DIGEST_MISMATCH, not a page."""
        record = warc_response(Page("https://a.test/", "<p>original</p>"))
        (item,) = pages_of(record.replace(b"original", b"tampered"))
        assert item.reason is SkipReason.DIGEST_MISMATCH

    def test_garbage_is_not_fatal(self):
        """Bytes that are no WARC at all end reading quietly, with no page and no exception."""
        items = pages_of(b"\x1f\x8b\x08" + bytes(200))
        assert not any(isinstance(item, WarcPage) for item in items)

    def test_stream_that_cannot_seek(self):
        """A stream without seek (a pipe, a socket) is read all the same."""

        class Pipe(io.RawIOBase):
            def __init__(self, data):
                self._data = io.BytesIO(data)

            def readable(self):
                return True

            def readinto(self, buffer):
                chunk = self._data.read(len(buffer))
                buffer[: len(chunk)] = chunk
                return len(chunk)

        data = warc_file([Page("https://a.test/", "<p>x</p>")])
        pages = [
            item
            for item in read_warc(io.BufferedReader(Pipe(data)), archive="p")
            if isinstance(item, WarcPage)
        ]
        assert [page.url for page in pages] == ["https://a.test/"]

    def test_without_fastwarc_the_extra_is_named(self, monkeypatch):
        """Without FastWARC, reading raises MissingDependencyError naming the warc extra."""
        monkeypatch.setitem(sys.modules, "fastwarc", None)
        with pytest.raises(MissingDependencyError, match=r"backlinkkit\[warc\]"):
            next(read_warc(io.BytesIO(b"")))


def wat_spec(**kwargs):
    defaults = {
        "url": "https://blog.test/post",
        "links": [
            WatEntry("https://example.com/a", "Example", "nofollow"),
            WatEntry("/local", "local"),
            WatEntry("shop", path="AREA@/href"),
            WatEntry("https://example.com/img.png", path="IMG@/src"),
        ],
        "base": "https://example.com/dir/",
        "title": "A post",
    }
    return WatPageSpec(**{**defaults, **kwargs})


@needs_fastwarc
class TestReadWat:
    def test_reads_page_metadata_and_link_entries(self):
        """A WAT response record gives URL, date, IP, title, base and its A/AREA link entries."""
        (page,) = list(read_wat(io.BytesIO(wat_file([wat_spec()])), archive="t.wat.gz"))
        assert isinstance(page, WatPage)
        assert (page.url, page.title, page.base, page.ip) == (
            "https://blog.test/post",
            "A post",
            "https://example.com/dir/",
            "203.0.113.7",
        )
        assert [(link.tag, link.href, link.text, link.rel) for link in page.links] == [
            ("a", "https://example.com/a", "Example", "nofollow"),
            ("a", "/local", "local", None),
            ("area", "shop", "", None),
        ]

    def test_request_records_are_passed_over(self):
        """Metadata of request records is no page: not yielded, not counted."""
        items = list(read_wat(io.BytesIO(wat_file([wat_spec(), wat_spec(url="https://b.test/")]))))
        assert [item.url for item in items] == ["https://blog.test/post", "https://b.test/"]

    @pytest.mark.parametrize(
        ("spec", "reason"),
        [
            (wat_spec(html=False, headers={"Content-Type": "image/png"}), SkipReason.NOT_HTML),
            (wat_spec(status=404), SkipReason.HTTP_STATUS),
            (wat_spec(date="not a date"), SkipReason.MALFORMED),
        ],
    )
    def test_responses_without_an_html_page(self, spec, reason):
        """A WAT response without HTML metadata, with a non-2xx status or no date is skipped."""
        (item,) = list(read_wat(io.BytesIO(wat_file([spec]))))
        assert item.reason is reason

    def test_bad_json_is_malformed(self):
        """A metadata record whose JSON does not parse is MALFORMED, never an exception."""
        record = warc_record(
            "metadata",
            "https://a.test/",
            "2024-05-01T00:00:00Z",
            b"{not json",
            content_type="application/json",
        )
        (item,) = list(read_wat(io.BytesIO(members([record]))))
        assert item.reason is SkipReason.MALFORMED


@needs_fastwarc
class TestPageRows:
    def scan(self, pages, targets=TARGETS, **kwargs):
        return scan_archive(io.BytesIO(warc_file(pages)), targets, archive="t.warc.gz", **kwargs)

    def test_warc_rows_equal_plain_extraction(self):
        """The rows' backlinks are exactly extract_links + Backlink.from_link on each page."""
        scan = self.scan(TEST_PAGES)
        assert rows_as_pairs(scan.rows) == collections.Counter(plain_backlinks(TEST_PAGES, TARGETS))

    def test_profiles_equal_plain_profiles(self):
        """Profiles built from the rows equal LinkProfiles fed with the plain backlinks."""
        scan = self.scan(TEST_PAGES)
        profiles = {t.domain: t.profile() for t in TARGETS}
        for row in scan.rows:
            profiles[row.target].add(row.backlink)
        assert profiles == plain_profiles(TEST_PAGES, TARGETS)

    def test_headers_reach_the_extractor(self):
        """Content-Type's charset decodes the page, and a repeated X-Robots-Tag's nofollow counts."""
        rows = self.scan([TEST_PAGES[3]]).rows
        assert [(row.backlink.anchor, row.backlink.nofollow) for row in rows] == [
            ("café crème", True)
        ]

    def test_fields_from_the_record_and_page(self):
        """Dates from WARC-Date, IP from WARC-IP-Address, title and outbound counts from the page."""
        row = self.scan([TEST_PAGES[0]]).rows[0]
        backlink = row.backlink
        assert (
            backlink.first_seen,
            backlink.last_seen,
            backlink.source_ip,
            backlink.source_title,
        ) == (
            dt.date(2024, 5, 1),
            dt.date(2024, 5, 1),
            "203.0.113.7",
            "A story",
        )
        assert (backlink.external_links, backlink.linked_domains) == (6, 2)
        assert (backlink.section, backlink.kind) == (Section.NAV, LinkKind.TEXT)

    def test_identical_links_on_a_page_are_numbered(self):
        """The same link twice on a page is two rows, occurrence 0 and 1 (two links, not captures)."""
        rows = [r for r in self.scan([TEST_PAGES[0]]).rows if r.backlink.anchor == "running shoes"]
        assert [row.occurrence for row in rows] == [0, 1]

    def test_own_site_pages_give_no_rows_and_are_counted(self):
        """A target's own pages give no rows for it (own links) and count in own_site_pages."""
        own = Page(
            "https://www.example.com/",
            '<a href="https://example.com/x">own</a><a href="https://blog.shop.test/">b</a>',
        )
        scan = self.scan([own])
        assert [row.target for row in scan.rows] == ["blog.shop.test"]
        assert dict(scan.stats.own_site_pages) == {"example.com": 1}
        only = self.scan([own], targets=[Target("example.com")])
        assert (only.rows, dict(only.stats.skipped)) == ((), {SkipReason.OWN_SITE: 1})

    def test_wat_rows(self):
        """WAT links resolve against Head.Base by WHATWG rules, with rel flags, text and no kind for empty text."""
        data = wat_file([wat_spec()])
        scan = scan_archive(
            io.BytesIO(data), [Target("example.com")], archive="t.wat.gz", format=ArchiveFormat.WAT
        )
        got = [
            (r.backlink.target_url, r.backlink.anchor, r.backlink.nofollow, r.backlink.kind)
            for r in scan.rows
        ]
        assert got == [
            ("https://example.com/a", "Example", True, LinkKind.TEXT),
            ("https://example.com/local", "local", False, LinkKind.TEXT),
            ("https://example.com/dir/shop", "", False, None),
        ]
        assert scan.rows[0].backlink.source_title == "A post"
        assert (scan.rows[0].backlink.external_links, scan.rows[0].backlink.linked_domains) == (
            3,
            1,
        )

    @pytest.mark.parametrize(
        ("href", "url"),
        [
            ("https://EXAMPLE.com/a b", "https://example.com/a%20b"),
            ("https:\\\\example.com\\x", "https://example.com/x"),
            ("https://exa\tmple.com/", "https://example.com/"),
            ("//example.com", "https://example.com/"),
            ("https://example.com:443/", "https://example.com/"),
        ],
    )
    def test_wat_hrefs_resolve_as_browsers_do(self, href, url):
        """WAT hrefs are raw: they are resolved by the WHATWG URL standard, as extract_links does."""
        data = wat_file([wat_spec(links=[WatEntry(href, "x")], base=None)])
        scan = scan_archive(io.BytesIO(data), [Target("example.com")], format=ArchiveFormat.WAT)
        assert [row.backlink.target_url for row in scan.rows] == [url]

    @given(
        st.from_regex(
            r"https?://(user(:pw)?@)?([a-z0-9-]{1,8}\.){0,3}[a-z]{1,6}(:[0-9]{1,5})?([/?#][a-z0-9/?#=&.%-]{0,20})?",
            fullmatch=True,
        )
    )
    def test_host_of_serialized_urls_is_adas(self, url):
        """Property: the host read off a serialized URL without parsing it is the one ada-url parses."""
        import ada_url

        from backlinkkit._archives._pages import _hostname

        try:
            serialized = ada_url.URL(url).href
        except ValueError:
            return
        expected = ada_url.parse_url(serialized, attributes=("hostname",))["hostname"] or None
        assert _hostname(serialized) == expected

    @pytest.mark.parametrize(
        ("robots", "headers", "nofollow"),
        [
            ("nofollow", {}, True),
            ("noindex", {}, False),
            (None, {"X-Robots-Tag": "none"}, True),
            (None, {"X-Robots-Tag": "otherbot: nofollow"}, False),
        ],
    )
    def test_wat_page_robots(self, robots, headers, nofollow):
        """The page's robots meta and X-Robots-Tag make every WAT link nofollow, read as extract_links reads them."""
        spec = wat_spec(
            links=[WatEntry("https://example.com/", "x")],
            robots=robots,
            headers={"Content-Type": "text/html", **headers},
        )
        scan = scan_archive(
            io.BytesIO(wat_file([spec])), [Target("example.com")], format=ArchiveFormat.WAT
        )
        assert [row.backlink.nofollow for row in scan.rows] == [nofollow]

    def test_warc_and_wat_of_the_same_page_differ_as_documented(self):
        """Same page: WARC and WAT agree on text links; WAT has no alt text, no section, text cut at 100."""
        long_text = "word " * 30
        html = (
            f'<nav><a href="https://example.com/a">Example</a></nav>'
            f'<a href="https://example.com/b"><img alt="Logo" src="l.png"></a>'
            f'<a href="https://example.com/c">{long_text}</a>'
        )
        warc_rows = self.scan([Page("https://p.test/", html)], targets=[Target("example.com")]).rows
        collapsed = " ".join(long_text.split())
        spec = wat_spec(
            url="https://p.test/",
            base=None,
            links=[
                WatEntry("https://example.com/a", "Example"),
                WatEntry("https://example.com/b", ""),
                WatEntry("https://example.com/c", collapsed[:100]),  # may end in a space: trimmed
            ],
        )
        wat_rows = scan_archive(
            io.BytesIO(wat_file([spec])), [Target("example.com")], format=ArchiveFormat.WAT
        ).rows
        warc_view = [(r.backlink.anchor, r.backlink.kind, r.backlink.section) for r in warc_rows]
        wat_view = [(r.backlink.anchor, r.backlink.kind, r.backlink.section) for r in wat_rows]
        assert warc_view == [
            ("Example", LinkKind.TEXT, Section.NAV),
            ("Logo", LinkKind.IMAGE, None),
            (collapsed, LinkKind.TEXT, None),
        ]
        assert wat_view == [
            ("Example", LinkKind.TEXT, None),
            ("", None, None),
            (collapsed[:100].strip(), LinkKind.TEXT, None),
        ]


def row(source, *, seen, archive="a.warc.gz", offset=0, ip=None, anchor="x", target="example.com"):
    day = dt.date.fromisoformat(seen)
    backlink = Backlink(
        source, "https://example.com/", anchor=anchor, first_seen=day, last_seen=day, source_ip=ip
    )
    return BacklinkRow(target, backlink, archive, offset)


class TestMergeRows:
    def test_captures_of_one_link_become_one_row(self):
        """The same link in three captures: one row, earliest and latest dates, first capture's place."""
        rows = [
            row(
                "https://a.test/", seen="2024-03-01", archive="b.warc.gz", offset=7, ip="192.0.2.2"
            ),
            row(
                "https://a.test/", seen="2023-01-01", archive="c.warc.gz", offset=9, ip="192.0.2.1"
            ),
            row(
                "https://a.test/", seen="2024-09-01", archive="a.warc.gz", offset=3, ip="192.0.2.3"
            ),
        ]
        (merged,) = merge_rows(rows)
        assert (merged.backlink.first_seen, merged.backlink.last_seen) == (
            dt.date(2023, 1, 1),
            dt.date(2024, 9, 1),
        )
        assert (merged.archive, merged.archive_offset, merged.captures) == ("c.warc.gz", 9, 3)
        assert merged.backlink.source_ip == "192.0.2.3"

    def test_other_links_stay_apart(self):
        """Another anchor, page, target or occurrence is another link."""
        rows = [
            row("https://a.test/", seen="2024-01-01"),
            row("https://a.test/", seen="2024-01-01", anchor="y"),
            row("https://b.test/", seen="2024-01-01"),
            row("https://a.test/", seen="2024-01-01", target="rival.test"),
            attrs.evolve(row("https://a.test/", seen="2024-01-01"), occurrence=1),
        ]
        assert len(merge_rows(rows)) == 5

    @given(st.permutations(range(6)))
    def test_order_does_not_matter(self, order):
        """Property: any order of the captures merges to the same rows, ties broken by archive and offset."""
        rows = [
            row(
                "https://a.test/",
                seen="2024-01-01",
                archive=f"{i % 2}.warc.gz",
                offset=i,
                ip=f"192.0.2.{i}",
            )
            for i in range(4)
        ] + [row("https://b.test/", seen=f"2024-0{i}-01", offset=i) for i in (1, 2)]
        shuffled = [rows[i] for i in order]
        assert sorted(merge_rows(shuffled), key=repr) == sorted(merge_rows(rows), key=repr)


@needs_pyarrow
class TestRowColumns:
    def test_columns_follow_backlink_fields_then_job_columns(self):
        """The row schema is every Backlink field by name and in order, then the job's columns."""
        names = [column.name for column in row_columns()]
        fields = [field.name for field in attrs.fields(Backlink)]
        assert names == [*fields, "target", "archive", "archive_offset", "occurrence", "captures"]

    def test_arrow_round_trip(self):
        """Rows written to an Arrow batch and read back are the same rows."""
        from backlinkkit._archives._arrow import batch_of_rows, rows_of_batch

        rows = [
            BacklinkRow(
                "example.com",
                Backlink(
                    "https://a.test/",
                    "https://example.com/",
                    anchor="a",
                    nofollow=True,
                    kind=LinkKind.IMAGE,
                    section=Section.FOOTER,
                    first_seen=dt.date(2024, 1, 2),
                    toxic_markers=("m",),
                    extra={"k": "v"},
                    external_links=3,
                    toxicity=1.5,
                ),
                "x.warc.gz",
                12,
                1,
                2,
            ),
            BacklinkRow("example.com", Backlink("https://b.test/"), "y.warc.gz", 0),
        ]
        assert list(rows_of_batch(batch_of_rows(rows))) == rows


@needs_fastwarc
class TestScanArchives:
    @pytest.fixture
    def archives(self, tmp_path):
        first = tmp_path / "one.warc.gz"
        first.write_bytes(warc_file(TEST_PAGES[:5]))
        second = tmp_path / "two.warc.gz"
        second.write_bytes(warc_file(TEST_PAGES[5:]))
        later = tmp_path / "later.warc.gz"
        later.write_bytes(
            warc_file(
                [dataclasses.replace(TEST_PAGES[0], date="2025-02-03T04:05:06Z", ip="192.0.2.99")]
            )
        )
        return [str(first), str(second), str(later)]

    def test_one_process_and_many_give_the_same(self, archives):
        """Worker processes and one process give the same rows, profiles and counts."""
        one = scan_archives(archives, TARGETS, processes=1)
        two = scan_archives(archives, TARGETS, processes=2)
        assert one.rows == two.rows
        assert one.profiles == two.profiles
        assert attrs.evolve(one.stats, cpu_seconds=0) == attrs.evolve(two.stats, cpu_seconds=0)

    def test_grouping_and_order_change_nothing(self, archives):
        """Files in another order, or split into other runs and merged, give the same rows."""
        whole = scan_archives(archives, TARGETS, processes=1)
        reverse = scan_archives(archives[::-1], TARGETS, processes=1)
        parts = [scan_archives([a], TARGETS, processes=1) for a in archives]
        assert reverse.rows == whole.rows
        assert sorted(merge_rows(r for p in parts for r in p.rows), key=repr) == sorted(
            whole.rows, key=repr
        )

    def test_duplicates_across_files_become_one_row(self, archives):
        """A page captured in two files gives one row per link with both dates and the latest IP."""
        rows = [
            r
            for r in scan_archives(archives, TARGETS, processes=1).rows
            if r.backlink.source_url == "https://news.test/2024/story"
        ]
        assert len(rows) == 5
        assert all(r.captures == 2 for r in rows)
        assert {
            (r.backlink.first_seen, r.backlink.last_seen, r.backlink.source_ip) for r in rows
        } == {(dt.date(2024, 5, 1), dt.date(2025, 2, 3), "192.0.2.99")}
        assert {r.archive for r in rows} == {archives[0]}

    def test_equals_plain_profiles_without_duplicates(self, archives):
        """Over files without repeated captures, profiles equal the plain extract_links profiles."""
        result = scan_archives(archives[:2], TARGETS, processes=2)
        assert result.profiles == plain_profiles(TEST_PAGES, TARGETS)
        assert result.stats.files == 2
        assert result.stats.records == len(TEST_PAGES)

    def test_unreadable_file_is_counted(self, tmp_path):
        """A listed file that does not exist counts as UNREADABLE; the job goes on."""
        result = scan_archives([str(tmp_path / "missing.warc.gz")], TARGETS, processes=1)
        assert dict(result.stats.skipped) == {SkipReason.UNREADABLE: 1}

    def test_write_results(self, archives, tmp_path):
        """write_results writes Parquet rows, one profile JSON per target and job.json; never overwrites."""
        import pyarrow.parquet as pq

        result = scan_archives(archives, TARGETS, processes=1)
        out = tmp_path / "out"
        write_results(result, str(out), seconds=1.5)
        table = pq.read_table(out / "backlinks")
        assert table.num_rows == len(result.rows)
        assert table.column_names == [column.name for column in row_columns()]
        summary = json.loads((out / "job.json").read_text())
        assert (summary["backlinks_kept"], summary["engine"], summary["seconds"]) == (
            len(result.rows),
            "processes",
            1.5,
        )
        profile = json.loads((out / "profiles" / "example.com.json").read_text())
        assert profile == json.loads(json.dumps(result.profiles["example.com"].to_dict()))
        with pytest.raises(ArchiveJobError, match="already exists"):
            write_results(result, str(out))


class TestArchiveLocations:
    def test_archives_and_manifests(self, tmp_path):
        """Archives are taken as named; manifests (gzip'd or not) give their entries, relative ones under the prefix."""
        plain = tmp_path / "paths.txt"
        plain.write_text("# comment\n/data/a.warc.gz\n\ncrawl-data/b.warc.gz\n")
        packed = tmp_path / "wat.paths.gz"
        packed.write_bytes(gzip.compress(b"crawl-data/c.warc.wat.gz\n"))
        got = archive_locations(["x.warc", str(plain), str(packed)], prefix="s3a://commoncrawl/")
        assert got == [
            "x.warc",
            "/data/a.warc.gz",
            "s3a://commoncrawl/crawl-data/b.warc.gz",
            "s3a://commoncrawl/crawl-data/c.warc.wat.gz",
        ]

    def test_file_urls(self, tmp_path):
        """A file:// manifest is read like a path."""
        manifest = tmp_path / "paths.txt"
        manifest.write_text("a.warc.gz\n")
        assert archive_locations([manifest.as_uri()]) == ["a.warc.gz"]


class TestStats:
    def test_add_and_round_trip(self):
        """Stats add up key by key, and survive to_dict/from_dict and pickling."""
        a = ArchiveStats(1, 10, 8, {SkipReason.NOT_HTML: 2}, {"example.com": 1}, 5, 0.5)
        b = ArchiveStats(1, 4, 3, {SkipReason.NOT_HTML: 1, SkipReason.TRUNCATED: 1}, {}, 1, 0.25)
        total = a + b
        assert dict(total.skipped) == {SkipReason.NOT_HTML: 3, SkipReason.TRUNCATED: 1}
        assert dict(total.bad_records) == {SkipReason.TRUNCATED: 1}
        assert ArchiveStats.from_dict(total.to_dict()) == total
        assert pickle.loads(pickle.dumps(total)) == total
        assert b"_archives" not in pickle.dumps(total)


@needs_fastwarc
class TestWarcCommand:
    def run(self, capsys, *args):
        status = main(["warc", *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    def test_writes_rows_profiles_and_summary(self, tmp_path, capsys):
        """`backlinkkit warc FILE --target D --processes 1` writes the three outputs and says what it did."""
        archive = tmp_path / "pages.warc.gz"
        archive.write_bytes(warc_file(TEST_PAGES))
        out = tmp_path / "out"
        status, stdout, stderr = self.run(
            capsys,
            str(archive),
            "--target",
            "example.com",
            "--processes",
            "1",
            "--out",
            str(out),
            "--prefilter",
        )
        assert (status, stderr) == (0, "")
        assert "backlinks kept 11" in stdout
        assert (out / "backlinks" / "part-00000.parquet").exists()
        assert json.loads((out / "job.json").read_text())["pages_skipped_by_prefilter"] == 1
        assert (out / "profiles" / "example.com.json").exists()

    def test_targets_file_and_no_rows(self, tmp_path, capsys):
        """--targets reads a TOML file; --no-rows writes profiles and job.json only."""
        archive = tmp_path / "pages.warc"
        archive.write_bytes(warc_file(TEST_PAGES, compress=False))
        targets = tmp_path / "targets.toml"
        targets.write_text(
            '[[target]]\ndomain = "example.com"\nbrands = ["Example"]\n[[target]]\ndomain = "bücher.example"\n'
        )
        out = tmp_path / "out"
        status, _, _ = self.run(
            capsys,
            str(archive),
            "--targets",
            str(targets),
            "--processes",
            "2",
            "--out",
            str(out),
            "--no-rows",
        )
        assert status == 0
        assert sorted(p.name for p in (out / "profiles").iterdir()) == [
            "example.com.json",
            "xn--bcher-kva.example.json",
        ]
        assert not (out / "backlinks").exists()

    @pytest.mark.parametrize(
        ("args", "status", "message"),
        [
            (["--targets", "missing.toml"], 2, "cannot read missing.toml"),
            (["--target", "a b"], 1, "not a host name"),
            (["--target", "example.com", "--processes", "0"], 2, "--processes must be at least 1"),
            (
                ["--target", "example.com", "--processes", "1", "--master", "local"],
                2,
                "cannot take --master",
            ),
        ],
    )
    def test_failures_are_one_line_with_a_status(self, tmp_path, capsys, args, status, message):
        """Bad usage exits 2, refused input 1: one line on stderr, no traceback."""
        archive = tmp_path / "a.warc.gz"
        archive.write_bytes(warc_file(TEST_PAGES[:1]))
        got, _, stderr = self.run(capsys, str(archive), *args, "--out", str(tmp_path / "o"))
        assert got == status
        assert message in stderr
        assert stderr.count("\n") == 1

    def test_without_pyspark_the_extra_and_processes_are_named(self, tmp_path, capsys, monkeypatch):
        """Without pyspark, the Spark path exits 1 naming the spark extra and --processes."""
        monkeypatch.setitem(sys.modules, "pyspark", None)
        monkeypatch.setitem(sys.modules, "pyspark.sql", None)
        archive = tmp_path / "a.warc.gz"
        archive.write_bytes(warc_file(TEST_PAGES[:1]))
        status, _, stderr = self.run(
            capsys, str(archive), "--target", "example.com", "--out", str(tmp_path / "o")
        )
        assert status == 1
        assert "backlinkkit[spark]" in stderr
        assert "--processes" in stderr

    def test_existing_output_and_unreadable_manifest(self, tmp_path, capsys):
        """An output folder with results is refused (1); a manifest that cannot be read is 2."""
        (tmp_path / "o").mkdir()
        (tmp_path / "o" / "job.json").write_text("{}")
        archive = tmp_path / "a.warc.gz"
        archive.write_bytes(warc_file(TEST_PAGES[:1]))
        assert (
            self.run(
                capsys,
                str(archive),
                "--target",
                "example.com",
                "--processes",
                "1",
                "--out",
                str(tmp_path / "o"),
            )[0]
            == 1
        )
        status, _, stderr = self.run(
            capsys,
            str(tmp_path / "nope.txt"),
            "--target",
            "example.com",
            "--processes",
            "1",
            "--out",
            str(tmp_path / "p"),
        )
        assert status == 2
        assert "nope.txt" in stderr


def test_link_profile_api_is_what_the_job_uses():
    """The job uses LinkProfile only through its public API: a profile per target merges with `|`."""
    a, b = Target("example.com").profile(), Target("example.com").profile()
    a.add(Backlink("https://a.test/", "https://example.com/"))
    b.add(Backlink("https://b.test/", "https://example.com/"))
    assert isinstance(a | b, LinkProfile)
    assert (a | b).summary().referring_domains == 2
