"""Tests for the disavow file: parse, normalize, merge, diff, cover, validate, write."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import pickle
import re
from pathlib import Path

import ada_url
import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import (
    DisavowDiff,
    DisavowEntry,
    DisavowEntryKind,
    DisavowError,
    DisavowFile,
    DisavowLimitError,
    DisavowLine,
    DisavowLineKind,
    DisavowProblem,
    DisavowProblemCode,
    InvalidLines,
    InvalidURLError,
    SuffixList,
)
from backlinkkit._disavow._rules import (
    _FORBIDDEN_IN_HOST,
    _SURROGATE,
    _fast_url_key,
    rules_fingerprint,
    slot_setters,
    url_key,
)
from backlinkkit._web._urls import is_ip_address, normalize_host
from conftest import FIXTURES

DAY = dt.date(2026, 11, 24)
DISAVOW = FIXTURES / "disavow"
KEEP, COMMENT_OUT = InvalidLines.KEEP, InvalidLines.COMMENT_OUT
P = DisavowProblemCode


def codes(text: str | bytes) -> list[str]:
    return [problem.code.value for problem in DisavowFile.parse(text).validate()]


def entries(file: DisavowFile) -> list[str]:
    return [str(entry) for entry in file]


# -- strategies ----------------------------------------------------------------------------------

LABELS = st.sampled_from(["a", "b", "spam", "www", "xn--bcher-kva", "links", "0"])
HOSTS = st.lists(LABELS, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "example"]))
PATHS = st.sampled_from(["/", "/p", "/p?x=1", "/a/b", "/%7Euser", "/p?q", "/P"])
URLS = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["http", "https"]),
    HOSTS,
    PATHS,
)
ENTRY_LINES = st.one_of(HOSTS.map(lambda host: f"domain:{host}"), URLS)
COMMENT_LINES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
    lambda text: f"# {text}"
)
INVALID_LINES = st.sampled_from(
    ["domain: x.example", "*.x.example", "x.example/page", "words", "domain:x.example/en/"]
)
LINES = st.one_of(ENTRY_LINES, ENTRY_LINES, COMMENT_LINES, INVALID_LINES, st.just(""))
FILES = st.lists(LINES, max_size=12).map(lambda lines: "".join(f"{line}\n" for line in lines))


def brute_covers(file: DisavowFile, url: str) -> bool:
    key = url_key(url)
    host = key.split("/")[2]
    for entry in file:
        if entry.kind is DisavowEntryKind.URL and entry.value == key:
            return True
        if entry.kind is DisavowEntryKind.DOMAIN and (
            host == entry.value or host.endswith("." + entry.value)
        ):
            return True
    return False


# -- entries -------------------------------------------------------------------------------------


class TestDisavowEntry:
    @pytest.mark.parametrize(
        ("given", "value"),
        [
            ("example.com", "example.com"),
            ("EXAMPLE.com.", "example.com"),
            ("www.example.com", "example.com"),
            ("WWW.Example.COM", "example.com"),
            ("domain:example.com", "example.com"),
            ("  example.com  ", "example.com"),
            ("https://www.example.com/", "example.com"),
            ("http://example.com", "example.com"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("sub.www.example.com", "sub.www.example.com"),
            ("www.co.uk", "www.co.uk"),
            ("192.0.2.1", "192.0.2.1"),
        ],
    )
    def test_domain_normalizes(self, given, value):
        """Hosts are lower-cased, punycode, without scheme, trailing dot or leading www."""
        entry = DisavowEntry.domain(given)
        assert (entry.kind, entry.value) == (DisavowEntryKind.DOMAIN, value)

    def test_domain_keeps_www_when_asked(self):
        """`keep_www=True` keeps `www.`, which covers only that host."""
        assert DisavowEntry.domain("www.example.com", keep_www=True).value == "www.example.com"

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ("", "no host after 'domain:'"),
            ("*.example.com", "wildcard"),
            ("example.com/en/", "path"),
            ("https://example.com/page", "path"),
            ("example.com:8080", "port after the host"),
            ("exa mple.com", "space inside the host"),
            ("a@b.example", "not a valid host"),
            ("com", "top-level domain"),
            ("localhost", "top-level domain"),
            ("co.uk", "public suffix"),
            ("org.br", "public suffix"),
            ("blogspot.com", "public suffix"),
            ("a.ck", "public suffix"),
            ("a..example", "empty label"),
            (".example.com", "empty label"),
            ("-a-.example", "starting or ending with '-'"),
            ("a-.example", "starting or ending with '-'"),
            ("a" * 64 + ".example", "at most 63"),
            (("a" * 60 + ".") * 5 + "com", "at most 253"),
            ("a$b.example", "hold letters, digits"),
            ("example.1a", "top-level domain '1a'"),
            ("xn--zz.example", "not valid punycode"),
        ],
    )
    def test_domain_refuses(self, given, message):
        """Input that is not a host name Google takes raises DisavowError saying why."""
        with pytest.raises(DisavowError, match=message):
            DisavowEntry.domain(given)

    def test_domain_public_suffix_when_allowed(self):
        """A public suffix is taken when the caller says so."""
        assert DisavowEntry.domain("blogspot.com", allow_public_suffix=True).value == "blogspot.com"

    @pytest.mark.parametrize(
        "host",
        ["*.example.com", "example.com/en/", "a..example", "-a-.example", "org.br", "a$b.example"],
    )
    def test_domain_refuses_as_validate_does(self, host):
        """The factory's refusal is the reason validate() gives for the same line."""
        reasons = "; ".join(p.reason for p in DisavowFile.parse(f"domain:{host}").validate())
        with pytest.raises(DisavowError) as info:
            DisavowEntry.domain(host, keep_www=True)
        assert str(info.value).split("; pass allow_public_suffix")[0] == reasons

    @pytest.mark.parametrize(
        ("given", "value"),
        [
            ("https://example.com", "https://example.com/"),
            ("HTTPS://Example.COM/Page", "https://example.com/Page"),
            ("https://example.com:443/a", "https://example.com/a"),
            ("https://example.com/a/../b/./c", "https://example.com/b/c"),
            ("https://example.com/p?q=1#frag", "https://example.com/p?q=1"),
            ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
            ("http://www.example.com/", "http://www.example.com/"),
            ("  https://example.com/x  ", "https://example.com/x"),
            ("https://user:pass@example.com/x", "https://example.com/x"),
            ("https://user@example.com:8080/x", "https://example.com:8080/x"),
            ("https://a:b%40c@example.com/", "https://example.com/"),
        ],
    )
    def test_url_normalizes(self, given, value):
        """URLs are WHATWG-normalized, ASCII, without fragment; www and scheme are kept."""
        entry = DisavowEntry.url(given)
        assert (entry.kind, entry.value) == (DisavowEntryKind.URL, value)
        assert value.isascii()

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ("example.com/page", "needs http"),
            ("ftp://example.com/", "not an absolute http"),
            ("https://", "not an absolute http"),
            ("mailto:a@example.com", "not an absolute http"),
            ("https://example.com/" + "a" * 2100, "at most 2,048"),
            ("https://example.com/*", "wildcard"),
            ("https://-a-.example/", "starting or ending with '-'"),
            ("https://a..example/", "empty label"),
        ],
    )
    def test_url_refuses(self, given, message):
        """URLs without scheme, of other schemes, or too long raise DisavowError naming them."""
        with pytest.raises(DisavowError, match=message):
            DisavowEntry.url(given)

    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            (DisavowEntryKind.DOMAIN, "Example.com"),
            (DisavowEntryKind.DOMAIN, "example.com/"),
            (DisavowEntryKind.URL, "https://Example.com/"),
            (DisavowEntryKind.URL, "example.com"),
            (DisavowEntryKind.URL, "https://u:p@example.com/"),
        ],
    )
    def test_constructor_takes_normalized_values_only(self, kind, value):
        """The constructor refuses values the factories would have changed."""
        with pytest.raises(DisavowError, match="not a normalized"):
            DisavowEntry(kind, value)

    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            (DisavowEntryKind.DOMAIN, "a..example"),
            (DisavowEntryKind.DOMAIN, "-a-.example"),
            (DisavowEntryKind.URL, "https://a..example/"),
            (DisavowEntryKind.URL, "https://example.com/*"),
        ],
    )
    def test_constructor_holds_values_to_the_rules(self, kind, value):
        """A normalized value that breaks an entry rule is refused too."""
        with pytest.raises(DisavowError):
            DisavowEntry(kind, value)

    def test_constructor_takes_a_public_suffix(self):
        """A public suffix is the caller's choice: the constructor leaves it to the factory."""
        assert DisavowEntry(DisavowEntryKind.DOMAIN, "blogspot.com").value == "blogspot.com"

    def test_comment_is_not_identity(self):
        """Entries compare and hash by kind and value: comments are notes."""
        one = DisavowEntry.domain("a.example", comment="x")
        other = DisavowEntry.domain("a.example", comment="y")
        assert one == other
        assert len({one, other}) == 1

    @pytest.mark.parametrize(
        ("comment", "stored"),
        [
            ("paid links", "paid links"),
            ("  two\nlines\r\n ", "two lines"),
            ("José – audit", "Jos\\xe9 \\u2013 audit"),
            ("tab\there", "tab here"),
            ("", None),
            ("   ", None),
            (None, None),
        ],
    )
    def test_comment_is_one_ascii_line(self, comment, stored):
        """Comments become one line of ASCII: line breaks collapse, others are escaped."""
        assert DisavowEntry.domain("a.example", comment=comment).comment == stored

    @pytest.mark.parametrize(
        ("line", "kind", "value"),
        [
            ("domain:A.example", DisavowEntryKind.DOMAIN, "a.example"),
            ("https://a.example/x", DisavowEntryKind.URL, "https://a.example/x"),
        ],
    )
    def test_parse_and_str(self, line, kind, value):
        """An entry reads from and writes to its file line."""
        entry = DisavowEntry.parse(line)
        assert (entry.kind, entry.value) == (kind, value)
        assert DisavowEntry.parse(str(entry)) == entry

    @pytest.mark.parametrize("line", ["# comment", "", "domain: a.example", "a.example/x"])
    def test_parse_refuses_non_entries(self, line):
        """A line that is no valid entry raises DisavowError."""
        with pytest.raises(DisavowError):
            DisavowEntry.parse(line)


# -- reading -------------------------------------------------------------------------------------


class TestParse:
    @pytest.mark.parametrize(
        ("text", "kinds"),
        [
            ("", []),
            ("\n", ["blank"]),
            ("domain:a.example", ["domain"]),
            (
                "# c\n\ndomain:a.example\nhttps://a.example/\n",
                ["comment", "blank", "domain", "url"],
            ),
            ("  # indented comment\n \t \n", ["comment", "blank"]),
            ("domain:a.example\r\nwords\r\n", ["domain", "invalid"]),
            ("\ufeffdomain:a.example\n", ["domain"]),
        ],
    )
    def test_kinds_in_order(self, text, kinds):
        """Every line is kept, in order, with its kind."""
        assert [line.kind.value for line in DisavowFile.parse(text).lines] == kinds

    def test_line_numbers_and_endings(self):
        """Lines carry their 1-based number and their own line end."""
        lines = DisavowFile.parse("a\r\nb\nc").lines
        assert [(line.number, line.ending) for line in lines] == [(1, "\r\n"), (2, "\n"), (3, "")]

    def test_invalid_lines_keep_their_reason(self):
        """An invalid line is kept, with its problems naming its line number."""
        line = DisavowFile.parse("# x\ndomain: a.example\n").lines[1]
        assert line.kind is DisavowLineKind.INVALID
        assert line.text == "domain: a.example"
        assert [(p.line, p.code) for p in line.problems] == [(2, P.DOMAIN_SPACE)]

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("domain: a.example\n" * 3, P.DOMAIN_SPACE),
            ("domain:co.uk\n" * 3, P.PUBLIC_SUFFIX),
            ("domain:a.example\x01\n" * 3, P.CONTROL_CHARACTER),
        ],
    )
    def test_repeated_invalid_lines_each_name_their_number(self, text, code):
        """A line repeated (read once per text) gives each copy its own line number."""
        problems = DisavowFile.parse(text).validate()
        assert [(p.line, p.code) for p in problems if p.code is code] == [
            (1, code),
            (2, code),
            (3, code),
        ]

    def test_lines_is_a_read_only_sequence_equal_to_the_tuple(self):
        """`lines` indexes, slices and reverses like the tuple of its lines, and equals it."""
        lines = DisavowFile.parse("# x\ndomain:a.example\nhttp://\n").lines
        as_tuple = tuple(lines)
        assert (lines == as_tuple, as_tuple == lines, len(lines)) == (True, True, 3)
        assert (lines[-1], lines[1:], list(reversed(lines))) == (
            as_tuple[-1],
            as_tuple[1:],
            list(reversed(as_tuple)),
        )
        assert (hash(lines), repr(lines)) == (hash(as_tuple), repr(as_tuple))

    def test_lines_are_those_of_the_moment_asked(self):
        """A change to the file after `lines` was taken does not show in it."""
        file = DisavowFile.parse("domain:a.example\n", date=dt.date(2026, 1, 2))
        before = file.lines
        file.remove("domain:a.example")
        file.add_domain("b.example")
        assert [line.text for line in before] == ["domain:a.example"]

    @pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
    def test_lines_pickle_as_a_tuple(self, protocol):
        """`lines` pickled loads as the tuple of its lines."""
        lines = DisavowFile.parse("# x\ndomain: a.example\n").lines
        loaded = pickle.loads(pickle.dumps(lines, protocol=protocol))
        assert (type(loaded), loaded) == (tuple, tuple(lines))

    def test_entries_are_normalized_but_lines_are_not(self):
        """The entry of `domain:A.Example.` is `a.example`; the line stays as written."""
        file = DisavowFile.parse("domain:A.Example.\nHTTPS://A.example/x#y\n")
        assert entries(file) == ["domain:a.example", "https://a.example/x"]
        assert [line.text for line in file.lines] == ["domain:A.Example.", "HTTPS://A.example/x#y"]

    def test_parsed_www_is_kept(self):
        """Parsing never widens an entry: `domain:www.x` stays `www.x`."""
        assert entries(DisavowFile.parse("domain:www.a.example\n")) == ["domain:www.a.example"]

    def test_duplicates_count_once(self):
        """`len` and iteration count each entry once; the duplicate line stays."""
        file = DisavowFile.parse("domain:a.example\ndomain:A.example\n")
        assert (len(file), len(file.lines)) == (1, 2)

    def test_comment_directly_above_is_the_entry_comment(self):
        """The comment lines directly above an entry are its comment; a blank line ends them."""
        file = DisavowFile.parse("# head\n\n# paid\n# 2024\ndomain:a.example\ndomain:b.example\n")
        assert [entry.comment for entry in file] == ["paid; 2024", None]

    @pytest.mark.parametrize(
        "name",
        [
            "search_console_crlf_bom.txt",
            "trailing_spaces_no_final_newline.txt",
            "comments_and_invalid.txt",
            "latin1_bytes.txt",
            "utf8_non_ascii.txt",
        ],
    )
    def test_fixture_round_trips_byte_for_byte(self, name):
        """An unchanged file writes back byte for byte: BOM, CRLF, spaces, bad bytes and all."""
        raw = (DISAVOW / name).read_bytes()
        file = DisavowFile.parse(raw)
        assert file.to_bytes(invalid=KEEP) == raw
        assert DisavowFile.parse(raw.decode("utf-8", "replace")).to_text(invalid=KEEP) == (
            raw.decode("utf-8", "replace")
        )

    def test_valid_file_round_trips_with_checks_on(self):
        """A valid file needs no option: the default write gives it back exactly."""
        raw = (DISAVOW / "search_console_crlf_bom.txt").read_bytes()
        file = DisavowFile.parse(raw)
        assert file.validate() == ()
        assert file.to_bytes() == raw
        assert file.to_text() == raw.decode("utf-8")
        assert str(file) == raw.decode("utf-8")

    def test_latin1_bytes_are_not_utf8(self):
        """Latin-1 bytes are kept, reported as not UTF-8, and shown as U+FFFD in text."""
        file = DisavowFile.parse((DISAVOW / "latin1_bytes.txt").read_bytes())
        assert [(p.line, p.code) for p in file.validate()][:1] == [(1, P.NOT_UTF8)]
        assert {p.line for p in file.validate()} == {1, 3}
        assert "\ufffd" in file.to_text(invalid=KEEP)
        assert entries(file) == ["domain:spam.example"]

    def test_utf16_file_is_named_once(self):
        """A UTF-16 file (Notepad's "Unicode") gets one whole-file problem saying so first."""
        problems = DisavowFile.parse("domain:a.example\r\n".encode("utf-16")).validate()
        assert (problems[0].line, problems[0].code) == (None, P.NOT_UTF8)
        assert "UTF-16" in problems[0].reason
        assert len(problems) > 1

    def test_utf8_comments_pass_but_non_ascii_entries_do_not(self):
        """Google takes UTF-8: a comment may hold it; an entry must be punycode/percent-encoded."""
        problems = DisavowFile.parse((DISAVOW / "utf8_non_ascii.txt").read_bytes()).validate()
        assert [(p.line, p.code) for p in problems] == [(2, P.NON_ASCII), (3, P.NON_ASCII)]
        assert "domain:xn--bcher-kva.example" in problems[0].reason
        assert "https://spam.example/%C3%A4" in problems[1].reason


# -- validating ----------------------------------------------------------------------------------


class TestValidate:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("domain:example.com", []),
            ("domain:sub.example.com", []),
            ("domain:Example.COM.", []),
            ("domain:192.0.2.1", []),
            ("https://example.com/page?x=1", []),
            ("HTTP://EXAMPLE.com/a/../b", []),
            ("  domain:example.com  ", []),
            ("# any comment: *, domain: x, ünïcode", []),
            ("", []),
            ("domain: example.com", ["domain-space"]),
            ("domain:\texample.com", ["domain-space"]),
            ("domain:*.example.com", ["wildcard"]),
            ("*.example.com", ["wildcard"]),
            ("https://example.com/*", ["wildcard"]),
            ("domain:example.com/en/", ["domain-path"]),
            ("domain:example.com?x", ["domain-path"]),
            ("domain:https://example.com", ["domain-invalid"]),
            ("domain:", ["domain-invalid"]),
            ("domain:example.com:80", ["domain-invalid"]),
            ("domain:exa mple.com", ["domain-invalid"]),
            ("Domain:example.com", ["not-an-entry"]),
            ("DOMAIN:example.com", ["not-an-entry"]),
            ("example.com", ["url-no-scheme"]),
            ("www.example.com/page", ["url-no-scheme"]),
            ("disavow everything", ["not-an-entry"]),
            ("site:example.com", ["not-an-entry"]),
            ("ftp://example.com/", ["url-invalid"]),
            ("https://exa mple.com/", ["url-invalid"]),
            ("https://", ["url-invalid"]),
            ("https://example.com/" + "a" * 2030, ["url-too-long"]),
            ("domain:bücher.example", ["non-ascii"]),
            ("https://example.com/ä", ["non-ascii"]),
            ("domain:bü.example/x", ["domain-path", "non-ascii"]),
            ("domain:example.com\x00", ["control-character", "domain-invalid"]),
            ("# bell \x07", ["control-character"]),
            ("domain:a.example\rdomain:b.example", ["control-character", "domain-invalid"]),
            ("# nel \x85 in a comment", ["control-character"]),
            ("# line\u2028separator", ["control-character"]),
            ("domain:org.br", ["public-suffix"]),
            ("domain:blogspot.com", ["public-suffix"]),
            ("domain:com", ["public-suffix"]),
            ("domain:localhost", ["public-suffix"]),
            ("domain:a.ck", ["public-suffix"]),
            ("domain:www.ck", []),
            ("domain:sub.blogspot.com", []),
            ("domain:a..example", ["domain-invalid"]),
            ("domain:.example.com", ["domain-invalid"]),
            ("domain:-a-.example", ["domain-invalid"]),
            ("domain:a-.example", ["domain-invalid"]),
            ("-a-.example", ["url-no-scheme"]),
            ("domain:a_b.example", []),
            ("domain:a$b.example", ["domain-invalid"]),
            ("domain:" + "a" * 63 + ".example", []),
            ("domain:" + "a" * 64 + ".example", ["domain-invalid"]),
            ("domain:" + ("a" * 62 + ".") * 4 + "com", ["domain-invalid"]),
            ("domain:1.1.1", ["domain-invalid"]),
            ("domain:a%41.example", ["domain-invalid"]),
            ("domain:example.1a", ["domain-invalid"]),
            ("domain:xn--bcher-kva.example", []),
            ("domain:xn--zz.example", ["domain-invalid"]),
            ("domain:[2001:db8::1]", []),
            ("https://user:pass@example.com/", ["url-credentials"]),
            ("https://user@example.com/p", ["url-credentials"]),
            ("https://-a-.example/", ["url-invalid"]),
            ("https://a..example/", ["url-invalid"]),
            ("https://" + "a" * 64 + ".example/", ["url-invalid"]),
            ("http://localhost/x", []),
            ("https://blogspot.com/p", []),
        ],
    )
    def test_line_rules(self, line, expected):
        """Each rule of Google's (and each safe-side rule where Google is silent) is checked."""
        assert codes(line + "\n") == expected

    def test_url_of_exactly_2048_characters_passes(self):
        """2,048 characters is within the limit; 2,049 is not."""
        base = "https://example.com/"
        assert codes(base + "a" * (2048 - len(base))) == []
        assert codes(base + "a" * (2049 - len(base))) == ["url-too-long"]

    def test_problems_name_their_line(self):
        """Problems carry the 1-based line number and the line; their str starts with it."""
        problem = DisavowFile.parse("# ok\n\nexample.com\n").validate()[0]
        assert (problem.line, problem.text) == (3, "example.com")
        assert str(problem).startswith("line 3: no scheme in 'example.com'")

    def test_fixture_of_invalid_lines(self):
        """Every wrong line of the fixture is reported, on its own line number."""
        problems = DisavowFile.parse((DISAVOW / "comments_and_invalid.txt").read_bytes()).validate()
        assert sorted({p.line for p in problems}) == list(range(4, 12))

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("\n" * 100_001, P.TOO_MANY_LINES),
            ("# " + "x" * 2_000_000 + "\n", P.TOO_MANY_BYTES),
        ],
    )
    def test_whole_file_limits(self, text, code):
        """More than 100,000 lines or 2,000,000 bytes is a whole-file problem (line None)."""
        problems = DisavowFile.parse(text).validate()
        assert [(p.line, p.code) for p in problems] == [(None, code)]

    @pytest.mark.parametrize(
        "text", ["\n" * 100_000, "\n" * 99_999 + "x" * 10, "# " + "x" * 1_999_997 + "\n"]
    )
    def test_at_the_limits_passes(self, text):
        """Exactly 100,000 lines, or exactly 2,000,000 bytes, is within Google's limits."""
        assert not [p for p in DisavowFile.parse(text).validate() if p.line is None]

    def test_added_lines_are_measured_too(self):
        """Limits count the file as it would be written, added lines and header included."""
        file = DisavowFile.parse("\n" * 99_999, date=DAY)
        file.add_domain("a.example")
        assert [p.code for p in file.validate()] == [P.TOO_MANY_LINES]


# -- writing -------------------------------------------------------------------------------------


class TestWrite:
    def test_refuses_invalid_lines_by_default(self):
        """The default write refuses a file Google may reject, listing the problems."""
        file = DisavowFile.parse("domain:a.example\n*.b.example\nexample.com\n")
        with pytest.raises(DisavowError, match=r"2 lines Google may refuse") as info:
            file.to_text()
        assert "line 2: wildcard" in str(info.value)
        assert "line 3: no scheme" in str(info.value)
        assert "InvalidLines.COMMENT_OUT" in str(info.value)
        with pytest.raises(DisavowError):
            file.to_bytes()

    def test_refusal_message_is_bounded(self):
        """A file of many invalid lines gets a message of ten, then a count."""
        file = DisavowFile.parse("words\n" * 50)
        with pytest.raises(DisavowError, match=r"and 40 more"):
            file.to_text()

    def test_comment_out_keeps_every_line(self):
        """COMMENT_OUT writes each invalid line as an ASCII comment naming why: none is lost."""
        file = DisavowFile.parse(
            b"\xef\xbb\xbfdomain:a.example\r\ndomain: b.example\r\n\xe9t\xe9\r\n"
        )
        assert file.to_bytes(invalid=COMMENT_OUT) == (
            b"domain:a.example\n"
            b"# invalid (domain-space): domain: b.example\n"
            b"# invalid (not-utf8, not-an-entry): \\xe9t\\xe9\n"
        )

    def test_commented_out_output_validates(self):
        """What COMMENT_OUT writes passes validation."""
        raw = (DISAVOW / "comments_and_invalid.txt").read_bytes()
        out = DisavowFile.parse(raw).to_bytes(invalid=COMMENT_OUT)
        assert DisavowFile.parse(out).validate() == ()
        assert out.isascii()

    def test_keep_writes_without_checks(self):
        """KEEP writes the lines as they are, invalid ones and all."""
        assert DisavowFile.parse("words").to_text(invalid=KEEP) == "words"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("\n" * 100_001, r"100,001 lines: Google takes at most 100,000"),
            ("# " + "x" * 2_000_000, r"2,000,002 bytes: Google takes at most 2,000,000"),
        ],
    )
    def test_refuses_files_over_the_limits(self, text, message):
        """Over Google's limits the writers raise DisavowLimitError, saying what to do."""
        file = DisavowFile.parse(text)
        with pytest.raises(DisavowLimitError, match=message) as info:
            file.to_text()
        assert "compact()" in str(info.value)
        with pytest.raises(DisavowLimitError):
            file.to_text(invalid=COMMENT_OUT)
        assert file.to_text(invalid=KEEP) == text

    def test_changed_file_is_written_anew(self):
        """A changed file loses its BOM and CRLF: ASCII, `\\n` line ends, final newline."""
        file = DisavowFile.parse(b"\xef\xbb\xbf# x\r\ndomain:a.example", date=DAY)
        file.add_domain("b.example")
        assert file.to_bytes() == (
            b"# x\ndomain:a.example\n\n# Added by backlinkkit on 2026-11-24\n\ndomain:b.example\n"
        )

    def test_generated_file_is_sorted_and_dated(self):
        """A new file: dated header, domains sorted first, then URLs sorted, comments above."""
        file = DisavowFile(date=DAY)
        file.add_url("https://z.example/b")
        file.add_url("https://a.example/")
        file.add_domain("z.example")
        file.add_domain("b.example", "paid")
        file.add_domain("a.example")
        assert file.to_text() == (
            "# Disavow file generated by backlinkkit on 2026-11-24\n"
            "\n"
            "domain:a.example\n"
            "# paid\n"
            "domain:b.example\n"
            "domain:z.example\n"
            "\n"
            "https://a.example/\n"
            "https://z.example/b\n"
        )

    def test_empty_generated_file(self):
        """An empty new file is its header alone, and valid."""
        text = DisavowFile(date=DAY).to_text()
        assert text == "# Disavow file generated by backlinkkit on 2026-11-24\n"
        assert DisavowFile.parse(text).validate() == ()

    def test_date_defaults_to_today(self):
        """Without a date, the header carries today's (UTC) date."""
        today = dt.datetime.now(dt.UTC).date().isoformat()
        assert today in DisavowFile().to_text()


# -- changing ------------------------------------------------------------------------------------


class TestChange:
    def test_add_appends_under_a_dated_comment_once(self):
        """Entries added to a parsed file go at its end, under one dated comment."""
        file = DisavowFile.parse("domain:a.example\n\n", date=DAY)
        file.add_domain("b.example", "paid")
        file.add_url("https://c.example/x")
        assert file.to_text() == (
            "domain:a.example\n\n# Added by backlinkkit on 2026-11-24\n\n"
            "# paid\ndomain:b.example\nhttps://c.example/x\n"
        )

    def test_add_duplicate_is_no_change(self):
        """Adding an entry already there (no new comment) leaves the file unchanged."""
        raw = b"domain:a.example\r\n"
        file = DisavowFile.parse(raw)
        file.add_domain("WWW.A.example")
        assert file.to_bytes() == raw
        assert len(file) == 1

    def test_add_duplicate_keeps_the_new_comment(self):
        """A duplicate collapses; its new comment goes directly above the existing entry."""
        file = DisavowFile.parse("# old\ndomain:a.example\n")
        file.add_domain("a.example", "new")
        file.add_domain("a.example", "new")
        assert file.to_text() == "# old\n# new\ndomain:a.example\n"
        assert [entry.comment for entry in file] == ["old; new"]

    def test_generated_duplicate_keeps_each_comment(self):
        """In a new file too, each comment of an entry is a line above it, each once."""
        file = DisavowFile(date=DAY)
        file.add_domain("a.example", "one")
        file.add_domain("a.example", "two")
        file.add_domain("a.example", "one")
        assert "\n# one\n# two\ndomain:a.example\n" in file.to_text()
        assert [entry.comment for entry in file] == ["one; two"]

    @pytest.mark.parametrize(
        "target",
        ["domain:a.example", "domain:A.EXAMPLE", DisavowEntry.domain("a.example")],
    )
    def test_remove(self, target):
        """remove takes an entry or its line, and drops every line holding it."""
        file = DisavowFile.parse("# c\ndomain:a.example\ndomain:b.example\ndomain:a.example\n")
        file.remove(target)
        assert file.to_text() == "# c\ndomain:b.example\n"
        assert "domain:a.example" not in file

    def test_remove_missing(self):
        """Removing an absent entry raises, unless missing_ok."""
        file = DisavowFile.parse("domain:a.example\n")
        with pytest.raises(DisavowError, match=r"not in the disavow file: domain:b\.example"):
            file.remove("domain:b.example")
        file.remove("domain:b.example", missing_ok=True)
        assert len(file) == 1

    def test_remove_from_generated_file(self):
        """A new file forgets a removed entry and its comment."""
        file = DisavowFile.from_entries([DisavowEntry.domain("a.example", comment="x")])
        file.remove("domain:a.example")
        assert (len(file), "# x" in file.to_text()) == (0, False)

    def test_remove_then_cover(self):
        """A removed domain no longer covers its URLs."""
        file = DisavowFile.parse("domain:a.example\n")
        file.remove("domain:a.example")
        assert not file.covers("https://a.example/")

    @pytest.mark.parametrize(
        ("make", "expected"),
        [
            (DisavowFile, "<DisavowFile (new): 0 entries>"),
            (lambda: DisavowFile.parse("domain:a.example\n"), "<DisavowFile (parsed): 1 entries>"),
        ],
    )
    def test_repr(self, make, expected):
        """The repr says where the file came from and how many entries it holds."""
        assert repr(make()) == expected

    def test_contains(self):
        """`in` takes entries and lines, normalizing them; other values are never in."""
        file = DisavowFile.parse("domain:a.example\n")
        assert "domain:A.example" in file
        assert DisavowEntry.domain("a.example") in file
        assert "domain: a.example" not in file
        assert 3 not in file


class TestMerge:
    def test_appends_new_entries_with_their_comments(self):
        """New entries come with the comment lines directly above them, under a dated comment."""
        mine = DisavowFile.parse("# mine\ndomain:a.example\n", date=DAY)
        diff = mine.merge(DisavowFile.parse("# theirs\n\n# paid\ndomain:b.example\n"))
        assert [str(entry) for entry in diff.added] == ["domain:b.example"]
        assert mine.to_text() == (
            "# mine\ndomain:a.example\n\n# Added by backlinkkit on 2026-11-24\n\n"
            "# theirs\n# paid\ndomain:b.example\n"
        )

    def test_existing_entry_gains_the_other_comment(self):
        """An entry both files hold stays in place and gains the other's new comment."""
        mine = DisavowFile.parse("domain:a.example\ndomain:b.example\n", date=DAY)
        mine.merge(DisavowFile.parse("# why b\ndomain:B.example\n"))
        assert mine.to_text() == "domain:a.example\n# why b\ndomain:b.example\n"

    def test_a_comment_shared_by_two_entries_reaches_both(self):
        """A comment above a new entry and an existing one is written above each."""
        mine = DisavowFile.parse("domain:a.example\n", date=DAY)
        mine.merge(DisavowFile.parse("# score 2\ndomain:b.example\n# score 2\ndomain:a.example\n"))
        assert [entry.comment for entry in mine] == ["score 2", "score 2"]

    def test_merging_itself_changes_nothing(self):
        """Merging a file into itself (or its copy) is a no-op, byte for byte."""
        raw = (DISAVOW / "comments_and_invalid.txt").read_bytes()
        mine = DisavowFile.parse(raw)
        assert mine.merge(mine).is_empty
        assert mine.merge(DisavowFile.parse(raw)).is_empty
        assert mine.to_bytes(invalid=KEEP) == raw

    def test_carries_invalid_lines(self):
        """The other's invalid lines come along, still invalid: never dropped silently."""
        mine = DisavowFile.parse("domain:a.example\n", date=DAY)
        mine.merge(DisavowFile.parse("domain: b.example\n"))
        assert [p.code for p in mine.validate()] == [P.DOMAIN_SPACE]

    def test_parsed_into_generated(self):
        """Merging into a new file sorts the entries; loose comments follow the header."""
        mine = DisavowFile(date=DAY)
        mine.add_domain("z.example")
        mine.merge(DisavowFile.parse("# loose\n\n# paid\ndomain:b.example\nhttps://c.example/\n"))
        assert mine.to_text() == (
            "# Disavow file generated by backlinkkit on 2026-11-24\n\n# loose\n\n"
            "# paid\ndomain:b.example\ndomain:z.example\n\nhttps://c.example/\n"
        )

    def test_generated_into_parsed_leaves_its_header(self):
        """A generated file's header is not content: it is not merged."""
        mine = DisavowFile.parse("domain:a.example\n", date=DAY)
        theirs = DisavowFile.from_entries([DisavowEntry.domain("b.example")], date=DAY)
        mine.merge(theirs)
        assert "generated" not in mine.to_text()
        assert entries(mine) == ["domain:a.example", "domain:b.example"]

    @given(FILES, FILES)
    def test_merge_loses_nothing(self, mine_text, theirs_text):
        """Merge keeps every entry, comment and invalid line of both sides."""
        mine, theirs = DisavowFile.parse(mine_text, date=DAY), DisavowFile.parse(theirs_text)
        before = set(entries(mine)) | set(entries(theirs))
        wanted = {
            line.text.strip()
            for file in (mine, theirs)
            for line in file.lines
            if line.kind in (DisavowLineKind.COMMENT, DisavowLineKind.INVALID)
        }
        mine.merge(theirs)
        assert set(entries(mine)) == before
        written = {line.strip() for line in mine.to_text(invalid=KEEP).split("\n")}
        assert wanted <= written

    @given(FILES, FILES)
    def test_merge_into_generated_loses_nothing(self, first, second):
        """Merging into a new file keeps every entry, and every comment's words."""
        mine = DisavowFile(date=DAY)
        sources = [DisavowFile.parse(first), DisavowFile.parse(second)]
        for source in sources:
            mine.merge(source)
        assert set(entries(mine)) == {e for source in sources for e in entries(source)}
        text = mine.to_text(invalid=KEEP)
        for source in sources:
            for line in source.lines:
                if line.kind is DisavowLineKind.COMMENT:
                    assert line.text.strip().lstrip("#").strip() in text
                elif line.kind is DisavowLineKind.INVALID:
                    assert line.text in text

    @given(FILES, FILES)
    def test_merge_is_idempotent(self, mine_text, theirs_text):
        """Merging the same file twice adds nothing the second time."""
        mine = DisavowFile.parse(mine_text, date=DAY)
        mine.merge(DisavowFile.parse(theirs_text))
        once = mine.to_text(invalid=KEEP)
        assert mine.merge(DisavowFile.parse(theirs_text)).is_empty
        assert mine.to_text(invalid=KEEP) == once


class TestDiff:
    def test_added_and_removed(self):
        """diff names what the new file adds and removes, each in its file's order."""
        old = DisavowFile.parse("domain:a.example\nhttps://x.example/1\ndomain:b.example\n")
        new = DisavowFile.parse("domain:b.example\ndomain:c.example\nhttps://x.example/2\n")
        diff = old.diff(new)
        assert [str(e) for e in diff.added] == ["domain:c.example", "https://x.example/2"]
        assert [str(e) for e in diff.removed] == ["domain:a.example", "https://x.example/1"]
        assert not diff.is_empty

    def test_normalization_and_comments_are_no_change(self):
        """Spelling, order, duplicates and comments do not make a difference."""
        old = DisavowFile.parse("domain:a.example\nhttps://b.example/x\n")
        new = DisavowFile.parse(
            "# new\nHTTPS://B.example/x#f\ndomain:A.example.\ndomain:a.example\n"
        )
        assert old.diff(new).is_empty

    @given(FILES, FILES)
    def test_diff_agrees_with_sets(self, old_text, new_text):
        """diff is the set difference of the entries, both ways."""
        old, new = DisavowFile.parse(old_text), DisavowFile.parse(new_text)
        diff = old.diff(new)
        assert {str(e) for e in diff.added} == set(entries(new)) - set(entries(old))
        assert {str(e) for e in diff.removed} == set(entries(old)) - set(entries(new))


class TestCovers:
    @pytest.mark.parametrize(
        ("url", "covered"),
        [
            ("https://spam.example/", True),
            ("http://spam.example/any/page?q=1", True),
            ("https://www.spam.example/", True),
            ("https://a.b.spam.example/", True),
            ("https://SPAM.example./x", True),
            ("https://notspam.example/", False),
            ("https://spam.example.org/", False),
            ("https://blog.example/p", True),
            ("https://blog.example/p#comment-5", True),
            ("HTTPS://BLOG.example/q/../p", True),
            ("http://blog.example/p", False),
            ("https://www.blog.example/p", False),
            ("https://blog.example/p?x=1", False),
            ("https://blog.example/p/", False),
            ("https://192.0.2.1/x", True),
            ("https://10.192.0.2.1.example/x", False),
            ("https://198.51.100.7/x", False),
        ],
    )
    def test_covers(self, url, covered):
        """Domains cover their subdomains; a URL entry covers exactly that URL, normalized."""
        file = DisavowFile.parse("domain:spam.example\nhttps://blog.example/p\ndomain:192.0.2.1\n")
        assert file.covers(url) is covered

    def test_subdomain_entry_covers_only_below_it(self):
        """`domain:sub.x` covers sub.x and below, not x itself."""
        file = DisavowFile.parse("domain:sub.spam.example\n")
        assert file.covers("https://a.sub.spam.example/")
        assert not file.covers("https://spam.example/")

    @pytest.mark.parametrize("url", ["spam.example/", "", "mailto:x@spam.example"])
    def test_covers_refuses_non_urls(self, url):
        """covers takes absolute http(s) URLs only."""
        with pytest.raises(DisavowError, match="not an absolute http"):
            DisavowFile().covers(url)

    @given(FILES, URLS)
    def test_covers_agrees_with_brute_force(self, text, url):
        """covers answers as a check of every entry, one by one, would."""
        file = DisavowFile.parse(text)
        assert file.covers(url) is brute_covers(file, url)


class TestRedundantAndCompact:
    TEXT = (
        "domain:spam.example\n"
        "https://www.spam.example/x\n"
        "domain:a.spam.example\n"
        "https://other.example/\n"
        "domain:spam.example\n"
        "domain:spam.example.org\n"
    )

    def test_redundant(self):
        """redundant names duplicates and entries covered by a domain, with their lines."""
        problems = DisavowFile.parse(self.TEXT).redundant()
        assert [(p.line, p.code) for p in problems] == [
            (2, P.REDUNDANT),
            (3, P.REDUNDANT),
            (5, P.DUPLICATE),
        ]
        assert "covered by domain:spam.example" in problems[0].reason

    def test_ip_addresses_have_no_parent(self):
        """An IP address is never under another domain entry, nor covers a name."""
        file = DisavowFile.parse("domain:1.1.1.1\ndomain:[2001:db8::1]\nhttps://1.1.1.1/x\n")
        assert file.validate() == ()
        assert [(p.line, p.code) for p in file.redundant()] == [(3, P.REDUNDANT)]
        assert file.covers("https://[2001:db8::1]/x")
        assert not file.covers("https://2.1.1.1.1.example/")

    def test_redundant_is_not_a_google_problem(self):
        """Redundant entries do no harm: validate does not report them."""
        assert DisavowFile.parse(self.TEXT).validate() == ()

    def test_compact(self):
        """compact drops what redundant names, and says which entries went."""
        file = DisavowFile.parse(self.TEXT)
        assert [str(e) for e in file.compact().removed] == [
            "https://www.spam.example/x",
            "domain:a.spam.example",
        ]
        assert file.to_text() == (
            "domain:spam.example\nhttps://other.example/\ndomain:spam.example.org\n"
        )
        assert file.redundant() == ()

    def test_compact_keeps_comments(self):
        """Comments above a dropped entry stay."""
        file = DisavowFile.parse("domain:spam.example\n# why\nhttps://spam.example/x\n")
        file.compact()
        assert file.to_text() == "domain:spam.example\n# why\n"

    @given(st.lists(ENTRY_LINES, max_size=15))
    def test_generated_and_compacted_output_validates(self, lines):
        """What a new file writes, compacted or not, always passes validation."""
        file = DisavowFile.from_entries([DisavowEntry.parse(line) for line in lines], date=DAY)
        for _ in range(2):
            written = DisavowFile.parse(file.to_text())
            assert written.validate() == ()
            assert set(entries(written)) == set(entries(file))
            file.compact()
        assert file.redundant() == ()


# -- properties of reading and writing ----------------------------------------------------------


class TestRoundTrip:
    @given(st.text())
    def test_any_text(self, text):
        """Parse then write gives back any text, exactly."""
        file = DisavowFile.parse(text)
        assert file.to_text(invalid=KEEP) == text
        assert str(file) == text
        assert file.to_bytes(invalid=KEEP) == text.encode("utf-8")

    def test_lone_surrogates_of_a_str(self):
        """A str's lone surrogate: reported, kept in text, refused as bytes, escaped if asked."""
        file = DisavowFile.parse("# a\ud800\n")
        assert [p.code for p in file.validate()] == [P.NOT_UTF8]
        assert "lone surrogate '\\ud800'" in file.validate()[0].reason
        assert file.to_text(invalid=KEEP) == "# a\ud800\n"
        with pytest.raises(DisavowError, match=r"line 1 holds a lone surrogate \('\\ud800'\)"):
            file.to_bytes(invalid=KEEP)
        assert file.to_text(invalid=COMMENT_OUT) == "# invalid (not-utf8): # a\\ud800\n"
        assert file.to_bytes(invalid=COMMENT_OUT) == b"# invalid (not-utf8): # a\\ud800\n"

    @given(st.binary())
    def test_any_bytes(self, raw):
        """Parse then write gives back any bytes, exactly, BOM and bad bytes included."""
        assert DisavowFile.parse(raw).to_bytes(invalid=KEEP) == raw

    @given(FILES.map(lambda text: text.replace("\n", "\r\n")))
    def test_default_write_of_a_valid_file(self, text):
        """A valid unchanged file needs no option to round-trip; an invalid one is refused."""
        file = DisavowFile.parse(text)
        if file.validate():
            with pytest.raises(DisavowError):
                file.to_text()
        else:
            assert file.to_text() == text

    @given(st.text(st.characters(codec="ascii"), max_size=40))
    def test_comment_out_always_validates(self, text):
        """Whatever was parsed, the COMMENT_OUT write passes validation."""
        written = DisavowFile.parse(text).to_text(invalid=COMMENT_OUT)
        assert DisavowFile.parse(written).validate() == ()


@attrs.frozen
class _Converted:
    value: int = attrs.field(converter=int)


@attrs.frozen
class _Made:
    values: list[int] = attrs.field(factory=list)


class TestFastPaths:
    @given(
        st.from_regex(
            re.compile(
                r"https?://[a-z0-9.\-_]{1,12}/[a-zA-Z0-9\-._~!$&'()+,;=:@%/.]{0,12}"
                r"(\?[a-zA-Z0-9\-._~!$&()+,;=:@%/?]{0,8})?"
            ),
            fullmatch=True,
        )
    )
    def test_fast_url_key_agrees_with_ada(self, url):
        """The URL fast path answers only when ada-url would answer the same."""
        fast = _fast_url_key(url)
        if fast is not None:
            assert ada_url.normalize_url(url) == fast

    @given(
        st.lists(
            st.sampled_from(["a", "ü", ".", "-", " ", "\x85", "\u2028", "\ud800", "例"])
            | st.sampled_from([*map(chr, range(0x20)), "\x7f"]),
            min_size=1,
            max_size=8,
        ).map("".join)
    )
    def test_no_suggestion_is_what_the_parser_says(self, host):
        """A host the suggestion skips (a surrogate, a forbidden control inside) has none."""
        if _SURROGATE.search(host) or _FORBIDDEN_IN_HOST.search(host.strip()):
            with pytest.raises(InvalidURLError):
                normalize_host(host)

    @given(FILES)
    def test_lines_and_problems_as_init_makes_them(self, text):
        """`lines` and `validate` make their values without `__init__`: the same values."""
        file = DisavowFile.parse(text)
        for line in file.lines:
            made = DisavowLine(
                line.text, line.ending, line.kind, line.number, line.entry, line.problems
            )
            assert (made, hash(made), repr(made)) == (line, hash(line), repr(line))
        for problem in file.validate():
            made = DisavowProblem(problem.line, problem.code, problem.reason, problem.text)
            assert (made, hash(made), repr(made)) == (problem, hash(problem), repr(problem))

    @pytest.mark.parametrize("cls", [DisavowEntry, _Converted, _Made])
    def test_slot_setters_refuse_checked_classes(self, cls):
        """A class that checks or converts its fields is made by `__init__`, never around it."""
        with pytest.raises(TypeError, match="make it with __init__"):
            slot_setters(cls)


# -- host names: what Google's `domain:` takes ----------------------------------------------------

HOST_ALPHABET = st.sampled_from([*"abz09-_.", "xn--", "A", "%41", "$", "é", " "])
RAW_HOSTS = st.lists(HOST_ALPHABET, min_size=1, max_size=12).map("".join)


def reference_host_ok(host: str) -> bool:
    """Host-name rules written out plainly, label by label (RFC 1123, as the docs list them)."""
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or any(not label for label in labels):
        return False
    for label in labels:
        if len(label) > 63 or label[0] == "-" or label[-1] == "-":
            return False
        if any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-_" for c in label):
            return False
        if label.startswith("xn--") and ada_url.idna.decode(label) == label:
            return False  # not punycode that decodes (by ada, the WHATWG reference)
    tld = labels[-1]
    return tld[0].isalpha() and "_" not in tld and not SuffixList.bundled().is_public_suffix(host)


class TestHostRules:
    @given(RAW_HOSTS)
    def test_validate_agrees_with_the_plain_rules(self, host):
        """A `domain:` line with a written-normalized host is valid exactly by the plain rules."""
        line = f"domain:{host}"
        valid = not DisavowFile.parse(line).validate()
        if valid:  # (letter case, a trailing dot and spaces after the line are no problem:
            # normalizing drops them)
            host = host.rstrip(" \t")
            assert reference_host_ok(host.lower().removesuffix(".")) or is_ip_address(host)
        elif host == host.lower() and host.isascii() and reference_host_ok(host):
            # Only spelling may refuse a host the rules take: ada reads it as another host.
            assert codes(line) == ["domain-invalid"]
            assert "names the host" in DisavowFile.parse(line).validate()[0].reason

    @given(RAW_HOSTS)
    def test_factory_takes_what_validate_takes(self, host):
        """DisavowEntry.domain refuses a host exactly when validate refuses its normal form."""
        try:
            normal = normalize_host(host)
        except InvalidURLError:
            normal = None  # no host at all: the factory must refuse it
        try:
            entry = DisavowEntry.domain(host, keep_www=True)
        except DisavowError as error:
            refusal = str(error)
        else:
            refusal = None
            assert entry.value == normal
            assert reference_host_ok(entry.value) or is_ip_address(entry.value)
        if normal is None:
            assert refusal
        else:
            assert (refusal is None) is (codes(f"domain:{normal}") == [])

    @given(
        st.lists(
            st.sampled_from(
                [
                    "com",
                    "co",
                    "uk",
                    "blogspot",
                    "ck",
                    "www",
                    "jp",
                    "kawasaki",
                    "city",
                    "a",
                    "amazonaws",
                    "compute",
                    "s3",
                    "br",
                    "org",
                ]
            ),
            min_size=1,
            max_size=4,
        ).map(".".join)
    )
    def test_public_suffix_test_agrees_with_the_list(self, host):
        """The fast public-suffix test answers as SuffixList.public_suffix does."""
        psl = SuffixList.bundled()
        assert psl.is_public_suffix(host) is (psl.public_suffix(host) == host)


# -- credentials never go to Google -------------------------------------------------------------


class TestCredentials:
    URL = "https://admin:hunter2@spam.example/page"

    def test_add_url_drops_them(self):
        """add_url writes the page without user name or password."""
        file = DisavowFile(date=DAY)
        assert file.add_url(self.URL).value == "https://spam.example/page"
        assert "hunter2" not in file.to_text()

    def test_validate_flags_them_and_hides_them(self):
        """A parsed line with credentials is a problem, and no message repeats the password."""
        file = DisavowFile.parse(f"{self.URL}\n")
        problem = file.validate()[0]
        assert problem.code is P.URL_CREDENTIALS
        assert "hunter2" not in problem.reason
        assert "write https://spam.example/page" in problem.reason
        with pytest.raises(DisavowError) as info:
            file.to_text()
        assert "hunter2" not in str(info.value)

    def test_comment_out_hides_them(self):
        """COMMENT_OUT keeps the line, less its credentials: comments are uploaded too."""
        written = DisavowFile.parse(f"{self.URL}\n").to_text(invalid=COMMENT_OUT)
        assert written == "# invalid (url-credentials): https://***@spam.example/page\n"

    def test_covers_ignores_them(self):
        """A link from the page is covered whatever credentials its URL carries."""
        assert DisavowFile.parse("https://spam.example/page\n").covers(self.URL)

    @given(
        st.text(st.characters(codec="ascii", exclude_characters=":@/?#\\ "), min_size=1),
        st.sampled_from(["", "domain: x.example", "*", "#frag"]),
    )
    def test_no_password_in_any_output(self, password, extra):
        """Whatever else is wrong with the line, the password is in no reason and no output."""
        password = f"pw{password}pw"
        file = DisavowFile.parse(f"https://user:{password}@spam.example/p{extra}\n")
        outputs = [file.to_text(invalid=COMMENT_OUT)]
        outputs += [problem.reason for problem in file.validate()]
        assert not any(password in output for output in outputs)


# -- every line's bytes are the ones it came from ----------------------------------------------

BYTE_LINES = st.lists(
    st.one_of(
        st.binary(max_size=8),
        st.sampled_from([b"# caf\xe9", b"domain:a.example", b"\xff", b"# \xc3\xa9t\xc3\xa9"]),
    ),
    max_size=6,
).map(lambda lines: [line.replace(b"\n", b"") for line in lines])
TEXT_LINES = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n"), max_size=8),
        st.sampled_from(["# \ud800", "\udcff", "# caf\udce9"]),  # lone surrogates of a str
    ),
    max_size=6,
)


def line_bytes(lines) -> set[bytes]:
    """The bytes of lines, less the spaces around them (a text line's bytes are its UTF-8)."""
    return {line.text.strip(" \t").encode("utf-8", "surrogateescape") for line in lines}


class TestByteProvenance:
    def test_a_str_surrogate_cannot_rewrite_another_files_bytes(self):
        """Merging a str with a lone surrogate never turns the other file's \\xff into text."""
        mine = DisavowFile.parse(b"# caf\xe9\ndomain:a.example\n", date=DAY)
        mine.merge(DisavowFile.parse("# \ud800\ndomain:b.example\n"))
        with pytest.raises(DisavowError, match=r"lone surrogate \('\\ud800'\)"):
            mine.to_bytes(invalid=KEEP)
        assert b"# caf\\xe9\n" in mine.to_bytes(invalid=COMMENT_OUT)
        assert "\\ud800" in mine.to_text(invalid=COMMENT_OUT)

    def test_a_str_surrogate_escape_is_not_a_byte(self):
        """A str's '\\udcff' looks like an escaped \\xff but is text: refused, never guessed."""
        mine = DisavowFile.parse(b"# \xff\n")
        mine.merge(DisavowFile.parse("# \udcff x\n"))
        with pytest.raises(DisavowError, match="the line '# \\\\udcff x'"):
            mine.to_bytes(invalid=KEEP)
        today = dt.datetime.now(dt.UTC).date().isoformat()
        expected = f"# \ufffd\n\n# Added by backlinkkit on {today}\n\n# \udcff x\n"
        assert mine.to_text(invalid=KEEP) == expected

    @given(BYTE_LINES, TEXT_LINES, st.booleans())
    def test_merged_lines_keep_their_bytes(self, byte_lines, text_lines, into_new):
        """After merges, every comment and invalid line is written as the bytes it came from."""
        mine = DisavowFile(date=DAY) if into_new else DisavowFile.parse(b"# mine\n", date=DAY)
        sources = [
            DisavowFile.parse(b"\n".join(byte_lines)),
            DisavowFile.parse("\n".join(text_lines)),
        ]
        for source in sources:
            mine.merge(source)
        if any(re.search("[\ud800-\udfff]", line) for line in text_lines):
            # No bytes hold a str's lone surrogate: refused, never made up.
            with pytest.raises(DisavowError, match="lone surrogate"):
                mine.to_bytes(invalid=KEEP)
            return
        written = DisavowFile.parse(mine.to_bytes(invalid=KEEP))
        assert line_bytes(written.lines) >= line_bytes(
            line
            for source in sources
            for line in source.lines
            if line.kind in (DisavowLineKind.COMMENT, DisavowLineKind.INVALID)
        )

    @given(st.binary(max_size=60))
    def test_pickled_bytes_stay_bytes(self, raw):
        """A pickled file writes the same bytes, undecodable ones included."""
        file = DisavowFile.parse(raw)
        assert pickle.loads(pickle.dumps(file)).to_bytes(invalid=KEEP) == raw


# -- writing never changes how a reader splits the lines ---------------------------------------

NASTY_LINES = st.lists(
    st.one_of(
        LINES,
        st.sampled_from(
            ["domain:a.example\r", "\r", "\ufeffdomain:b.example", "# \x85", "x\ry", "\ufeff"]
        ),
    ),
    max_size=8,
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), ENTRY_LINES),
        st.tuples(st.just("remove"), ENTRY_LINES),
        st.tuples(st.just("merge"), FILES),
        st.tuples(st.just("compact"), st.just("")),
    ),
    max_size=4,
)


def apply(file: DisavowFile, operations: list[tuple[str, str]]) -> None:
    for name, argument in operations:
        if name == "add":
            file.add(DisavowEntry.parse(argument, comment="added"))
        elif name == "remove":
            file.remove(argument, missing_ok=True)
        elif name == "merge":
            file.merge(DisavowFile.parse(argument))
        else:
            file.compact()


def seen(file: DisavowFile) -> list[tuple[str, str]]:
    return [(line.text, line.kind.value) for line in file.lines]


class TestLineEnds:
    def test_stray_cr_stays_invalid_after_a_change(self):
        """A last line ending in a stray CR stays that line, invalid, when lines follow it."""
        file = DisavowFile.parse("domain:a.example\ndomain:b.example\r", date=DAY)
        file.add_domain("c.example")
        written = file.to_text(invalid=KEEP)
        assert "domain:b.example\r\r\n" in written
        assert DisavowFile.parse(written).lines[1].kind is DisavowLineKind.INVALID
        assert "domain:b.example" not in entries(DisavowFile.parse(written))

    def test_first_line_keeps_its_own_bom(self):
        """A first line starting with U+FEFF keeps it when the file's BOM is dropped."""
        file = DisavowFile.parse("\ufeff\ufeffdomain:a.example\n", date=DAY)
        file.add_domain("b.example")
        assert seen(DisavowFile.parse(file.to_text(invalid=KEEP)))[0] == (
            "\ufeffdomain:a.example",
            "invalid",
        )

    @given(NASTY_LINES, OPERATIONS, st.booleans())
    def test_written_file_reads_back_the_same_lines(self, lines, operations, crlf):
        """Whatever was read and done, what is written reads back as the same lines."""
        ending = "\r\n" if crlf else "\n"
        file = DisavowFile.parse(ending.join(lines), date=DAY)
        apply(file, operations)
        assert seen(DisavowFile.parse(file.to_text(invalid=KEEP))) == seen(file)
        assert seen(DisavowFile.parse(file.to_bytes(invalid=KEEP))) == seen(file)
        written = DisavowFile.parse(file.to_text(invalid=COMMENT_OUT))
        assert written.validate() == ()
        assert set(entries(written)) == set(entries(file))


# -- wrong types say so ---------------------------------------------------------------------------


class TestTypes:
    @pytest.mark.parametrize(
        "data",
        [bytearray(b"domain:a.example\r\n\xff\n"), memoryview(b"domain:a.example\r\n\xff\n")],
    )
    def test_parse_takes_bytes_like(self, data):
        """A bytearray or memoryview is read as its bytes."""
        assert DisavowFile.parse(data).to_bytes(invalid=KEEP) == bytes(data)
        assert seen(DisavowFile.parse(data)) == seen(DisavowFile.parse(bytes(data)))

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (None, "not NoneType"),
            (42, "not int"),
            (["domain:a.example"], "not list"),
            (Path("disavow.txt"), r"path\.read_bytes\(\)"),
            (io.BytesIO(b"domain:a.example"), r"stream\.read\(\)"),
        ],
    )
    def test_parse_refuses_other_types(self, data, message):
        """Anything else is a TypeError naming the type (and what to do for paths, streams)."""
        with pytest.raises(TypeError, match=message):
            DisavowFile.parse(data)

    @pytest.mark.parametrize(
        "call",
        [
            lambda: DisavowEntry.domain(None),
            lambda: DisavowEntry.url(b"https://a.example/"),
            lambda: DisavowEntry.parse(1),
            lambda: DisavowEntry.domain("a.example", comment=3),
            lambda: DisavowEntry("domain", "a.example"),
            lambda: DisavowFile().add("domain:a.example"),
            lambda: DisavowFile().merge("domain:a.example"),
            lambda: DisavowFile().diff(None),
            lambda: DisavowFile().remove(3),
            lambda: DisavowFile().covers(b"https://a.example/"),
            lambda: DisavowFile().to_text(invalid="keep"),
            lambda: DisavowFile(date="2026-11-24"),
        ],
    )
    def test_wrong_types_are_type_errors(self, call):
        """A wrong type is a TypeError, never an AttributeError from deep inside."""
        with pytest.raises(TypeError):
            call()

    def test_a_datetime_is_its_date(self):
        """A datetime as `date` stands for its date: no time in the header."""
        file = DisavowFile(date=dt.datetime(2026, 11, 24, 13, 5, tzinfo=dt.UTC))
        assert file.to_text() == "# Disavow file generated by backlinkkit on 2026-11-24\n"


# -- hostile input: only backlinkkit errors -----------------------------------------------------


class TestHostile:
    @given(st.one_of(st.binary(max_size=200), st.text(max_size=200)), OPERATIONS)
    def test_only_backlinkkit_errors(self, data, operations):
        """Any input, any edit: every call returns, or raises a DisavowError."""
        file = DisavowFile.parse(data, date=DAY)
        apply(file, operations)
        file.validate()
        file.redundant()
        str(file)
        list(file)
        file.merge(DisavowFile.parse(data))
        for invalid in InvalidLines:
            with contextlib.suppress(DisavowError):
                file.to_bytes(invalid=invalid)
        file.compact()
        assert DisavowFile.parse(file.to_text(invalid=COMMENT_OUT)).validate() == ()

    @pytest.mark.parametrize(
        "url",
        ["https://" + "a." * 100_000 + "example/", "https://" + "a" * 300 + ".example/"],
    )
    def test_covers_with_huge_hosts(self, url):
        """Hosts longer than any entry's are answered without walking all their parents."""
        assert not DisavowFile.parse("domain:b.example\n").covers(url)


# -- pickles: versioned plain data, loadable by later versions ----------------------------------

PICKLES = FIXTURES / "pickles"


def build_pickled_values() -> dict[str, object]:
    """The values the checked-in pickles hold, made afresh (the same steps, the same date)."""
    downloaded = DisavowFile.parse(
        b"\xef\xbb\xbf# team file\r\ndomain:spam.example\r\nhttps://a.example/p\r\n"
        b"\xff junk \xfe\r\ndomain: bad.example\r\ndomain:spam.example\r\n# last",
        date=DAY,
    )
    changed = DisavowFile.parse(
        "# mine\ndomain:a.example\nhttps://b.example/x\n\n# loose\nwords\ndomain:c.example\r",
        date=DAY,
    )
    changed.merge(
        DisavowFile.parse(b"# theirs\n# paid\ndomain:d.example\n# why a\ndomain:A.example\n\xe9\n")
    )
    changed.add_domain("a.example", "audit 2026")
    changed.add_url("https://e.example/page", "one page")
    changed.remove("https://b.example/x")
    new = DisavowFile(date=DAY)
    new.add_domain("z.example", "z")
    new.add_url("https://y.example/")
    new.merge(DisavowFile.parse("# loose\n\n# paid\ndomain:b.example\ndomain: x\n"))
    new.add_domain("b.example", "again")
    new.remove("https://y.example/")
    compacted = DisavowFile.parse(
        "domain:spam.example\nhttps://www.spam.example/x\ndomain:a.spam.example\n"
        "domain:spam.example\n# end\n"
    )
    compacted.compact()
    entry = DisavowEntry.domain("Bücher.example", comment="paid")
    values = (
        entry,
        DisavowEntry.url("https://spam.example/p#x"),
        downloaded.lines,
        downloaded.validate(),
        changed.merge(DisavowFile.parse("domain:f.example\n")),
        compacted.compact(),
        DisavowDiff(added=(entry,)),
    )
    return {
        "disavow_downloaded": downloaded,
        "disavow_changed": changed,
        "disavow_new": new,
        "disavow_compacted": compacted,
        "disavow_values": values,
    }


def observed(value: object) -> object:
    """What can be seen of a value: for a file, everything its public API tells."""
    if isinstance(value, DisavowFile):
        try:
            raw: object = value.to_bytes(invalid=KEEP)
        except DisavowError as error:
            raw = str(error)
        return (
            repr(value),
            value.date,
            value.lines,
            [(entry, entry.comment) for entry in value],
            value.validate(),
            value.redundant(),
            value.to_text(invalid=KEEP),
            raw,
        )
    if isinstance(value, tuple):
        return tuple(observed(item) for item in value)
    if isinstance(value, DisavowEntry):
        return (value, value.comment)
    return value


class _NameRecorder(pickle.Unpickler):
    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.names: set[tuple[str, str]] = set()

    def find_class(self, module: str, name: str) -> object:
        self.names.add((module, name))
        return super().find_class(module, name)


def pickled_names(data: bytes) -> set[tuple[str, str]]:
    recorder = _NameRecorder(data)
    recorder.load()
    return recorder.names


# The fixtures of each state version: version 1's are named after their value; a file's state
# of a later version adds a file named `<value>_v<version>` beside them.
FILE_STATE_VERSION = 2
FIXTURE_VALUES = {
    **{name: name for name in build_pickled_values()},
    **{
        f"{name}_v{FILE_STATE_VERSION}": name
        for name, value in build_pickled_values().items()
        if isinstance(value, DisavowFile)
    },
}


def is_latest(fixture: str) -> bool:
    """Whether a fixture holds the state this version writes (so it pickles to those bytes)."""
    value = FIXTURE_VALUES[fixture]
    return fixture != value or not isinstance(build_pickled_values()[value], DisavowFile)


def write_pickle_fixtures() -> None:
    """Write the missing tests/fixtures/pickles/disavow_*.pickle (never rewrite one)."""
    PICKLES.mkdir(parents=True, exist_ok=True)
    values = build_pickled_values()
    for fixture, name in FIXTURE_VALUES.items():
        path = PICKLES / f"{fixture}.pickle"
        if is_latest(fixture) and not path.exists():
            path.write_bytes(pickle.dumps(values[name], protocol=PICKLE_PROTOCOL))


PICKLE_PROTOCOL = 4  # the fixtures' protocol: the default of Python 3.8 to 3.13


class TestPickle:
    @pytest.mark.parametrize("name", sorted(build_pickled_values()))
    @pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
    def test_pickles_name_only_public_classes(self, name, protocol):
        """A pickle names backlinkkit's public classes only: no private module, no function.

        (And the built-in tuple: `DisavowFile.lines`, a read-only sequence, pickles as one.)
        """
        data = pickle.dumps(build_pickled_values()[name], protocol=protocol)
        names = pickled_names(data) - {("builtins", "tuple"), ("__builtin__", "tuple")}
        assert names
        assert all(module == "backlinkkit" and cls in backlinkkit.__all__ for module, cls in names)
        assert b"_disavow" not in data

    @pytest.mark.parametrize("fixture", sorted(FIXTURE_VALUES))
    def test_checked_in_pickles_load(self, fixture):
        """A pickle of an earlier version loads as the same value; one of this version pickles
        to the same bytes (an older file's state is written as this version's)."""
        data = (PICKLES / f"{fixture}.pickle").read_bytes()
        loaded = pickle.loads(data)
        assert observed(loaded) == observed(build_pickled_values()[FIXTURE_VALUES[fixture]])
        # (Once the rules or the bundled suffix list change, a file's readings are read again and
        # it pickles with the new fingerprint: its bytes differ then, its value does not.)
        if is_latest(fixture):
            if not isinstance(loaded, DisavowFile) or rules_fingerprint().encode() in data:
                assert pickle.dumps(loaded, protocol=PICKLE_PROTOCOL) == data
        else:
            assert loaded.__getstate__()["version"] == FILE_STATE_VERSION
            assert observed(pickle.loads(pickle.dumps(loaded))) == observed(loaded)

    def test_file_state_carries_readings(self, monkeypatch):
        """A file of this version loads without reading a line again; its readings are the
        parse's (the round trip below checks them against the file's own)."""
        file = DisavowFile.parse(b"domain:a.example\n domain:B.example\n\xff\nhttp://x\n# c\n")
        data = pickle.dumps(file)

        def no_reading(*_args, **_kwargs):
            raise AssertionError("a line was read again")

        monkeypatch.setattr("backlinkkit._disavow._lines.read_line", no_reading)
        monkeypatch.setattr("backlinkkit._disavow._lines.classify_line", no_reading)
        loaded = pickle.loads(data)
        assert loaded.lines == file.lines
        assert loaded.validate() == file.validate()
        assert list(loaded) == list(file)

    def test_readings_of_other_rules_are_read_again(self):
        """Readings pickled under other rules (or another suffix list) are not taken."""
        file = DisavowFile.parse("domain:a.example\ndomain:co.uk\nhttp://x\n", date=DAY)
        file.add_domain("b.example", "why")
        state = file.__getstate__()
        assert state["rules"] == rules_fingerprint()
        # As a backlinkkit whose rules read every line as blank would have pickled it:
        stale = {**state, "rules": "0 other", "kinds": "b" * len(state["kinds"]), "keys": []}
        stale["problems"] = []
        loaded = DisavowFile()
        loaded.__setstate__(stale)
        assert observed(loaded) == observed(file)

    @pytest.mark.parametrize(
        "change",
        [
            {"kinds": "b"},
            {"kinds": 3},
            {"keys": [[0, "domain:x.example"]]},
            {"keys": [[99, "domain:x.example"]]},
            {"problems": [[1, (("not-an-entry", "x"),)]]},
            {"problems": [[2, [["not-an-entry", "x"]]]]},
            {"problems": [[2, (("not-an-entry", "x"),)]]},
            {"problems": [[2, ("not-an-entry",)]]},
            {"problems": [[2, ("not-an-entry", 3)]]},
        ],
    )
    def test_bad_readings_are_refused(self, change):
        """A version-2 state whose readings do not fit its lines is a TypeError."""
        state = DisavowFile.parse("# c\ndomain:a.example\nhttp://x\n").__getstate__()
        with pytest.raises(TypeError):
            DisavowFile().__setstate__({**state, **change})

    @given(FILES, OPERATIONS, st.booleans())
    def test_round_trip(self, text, operations, as_bytes):
        """Any file, after any edit, pickles and loads as the same file."""
        file = DisavowFile.parse(text.encode() if as_bytes else text, date=DAY)
        apply(file, operations)
        loaded = pickle.loads(pickle.dumps(file))
        assert observed(loaded) == observed(file)
        apply(loaded, [("add", "domain:new.example")])
        apply(file, [("add", "domain:new.example")])
        assert observed(loaded) == observed(file)

    @pytest.mark.parametrize(
        "state",
        [
            {"version": 99},
            {"version": 1, "text": 3},
            {},
            {"version": 1, "layout": "x"},
            {"version": 2, "text": 3},
        ],
    )
    def test_unknown_state_is_refused(self, state):
        """State of another version or shape is a TypeError, not a half-made file."""
        file = DisavowFile()
        with pytest.raises(TypeError):
            file.__setstate__(state)


if __name__ == "__main__":  # python tests/disavow/test_disavow.py: write the pickle fixtures anew
    write_pickle_fixtures()
