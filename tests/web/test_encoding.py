"""WHATWG encoding sniffing: labels, the meta prescan, the order of the steps, decoding."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit._web._encoding import (
    Sniffed,
    _charset_from_content_type,
    _charset_from_meta_content,
    decode,
    encoding_for_label,
    prescan,
    python_codec,
    sniff,
)


class TestEncodingForLabel:
    @pytest.mark.parametrize(
        ("label", "encoding"),
        [
            ("utf-8", "utf-8"),
            ("UTF8", "utf-8"),
            ("  unicode-1-1-utf-8\t", "utf-8"),
            # Latin-1 and ASCII labels mean windows-1252 in browsers.
            ("iso-8859-1", "windows-1252"),
            ("latin1", "windows-1252"),
            ("US-ASCII", "windows-1252"),
            ("ascii", "windows-1252"),
            ("iso-8859-9", "windows-1254"),
            ("tis-620", "windows-874"),
            ("gb2312", "gbk"),
            ("GB_2312-80", "gbk"),
            ("gb18030", "gb18030"),
            ("big5-hkscs", "big5"),
            ("x-sjis", "shift_jis"),
            ("windows-31j", "shift_jis"),
            ("ks_c_5601-1987", "euc-kr"),
            ("koi8_r", "koi8-r"),
            ("x-mac-ukrainian", "x-mac-cyrillic"),
            ("iso-2022-kr", "replacement"),
            ("hz-gb-2312", "replacement"),
            ("utf-16", "utf-16le"),
            ("unicodefffe", "utf-16be"),
            ("x-user-defined", "x-user-defined"),
        ],
    )
    def test_known_labels(self, label, encoding):
        """Labels map to their WHATWG encoding, ignoring case and surrounding whitespace."""
        assert encoding_for_label(label) == encoding

    @pytest.mark.parametrize("label", ["", "utf-7", "latin-1", "klingon", "utf 8", "iso-8859-12"])
    def test_unknown_labels(self, label):
        """Labels outside the Encoding Standard's table name no encoding (even Python aliases)."""
        assert encoding_for_label(label) is None


class TestPrescan:
    @pytest.mark.parametrize(
        ("data", "encoding"),
        [
            (b'<meta charset="utf-8">', "utf-8"),
            (b"<meta charset=utf-8>", "utf-8"),
            (b"<META CHARSET='Shift_JIS'>", "shift_jis"),
            (b'<meta charset = " koi8-r " >', "koi8-r"),
            (b"<meta/charset=big5>", "big5"),
            (b'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', "euc-kr"),
            (b'<meta content="text/html;charset=gb2312" http-equiv="content-type">', "gbk"),
            (
                b"<meta http-equiv=content-type content='text/html; charset=\"windows-1251\"'>",
                "windows-1251",
            ),
            # the first meta with an encoding wins; later ones are not read
            (b"<meta charset=iso-8859-2><meta charset=utf-8>", "iso-8859-2"),
            # a meta without a usable charset does not stop the scan
            (b"<meta name=x><meta charset=klingon><meta charset=euc-jp>", "euc-jp"),
            # the first charset attribute of one meta counts, duplicates are ignored
            (b"<meta charset=euc-jp charset=utf-8>", "euc-jp"),
            # UTF-16 declared in ASCII bytes means UTF-8; x-user-defined means windows-1252
            (b"<meta charset=utf-16le>", "utf-8"),
            (b"<meta charset=UTF-16>", "utf-8"),
            (b"<meta charset=x-user-defined>", "windows-1252"),
            # a '>' or '<meta' inside another tag's quoted attribute is not markup
            (b'<html data-x="a>b <meta charset=koi8-r>"><meta charset=euc-kr>', "euc-kr"),
            (b'<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">', "utf-8"),
            (b"<?xml version='1.0' encoding='iso-8859-5'?><meta charset=iso-8859-5>", "iso-8859-5"),
            (b"</p><meta charset=windows-1250>", "windows-1250"),
            (b"<meta itemprop charset=iso-8859-4>", "iso-8859-4"),
            # "charset" not followed by "=" is skipped, the next one is read
            (b'<meta http-equiv="Content-Type" content="charset; charset=koi8-u">', "koi8-u"),
            (b"<meta http-equiv=Content-Type content=text/html;charset=gbk;x=y>", "gbk"),
        ],
    )
    def test_declared(self, data, encoding):
        """A <meta charset> or http-equiv Content-Type found by the HTML prescan is read."""
        assert prescan(data) == encoding

    @pytest.mark.parametrize(
        "data",
        [
            b"",
            b"<p>no declaration</p>",
            b"<!-- <meta charset=koi8-r> --><p>",
            b"<!-- unterminated comment <meta charset=koi8-r>",
            # content= without http-equiv="Content-Type" is not a declaration
            b'<meta content="text/html; charset=koi8-r">',
            b'<meta http-equiv="refresh" content="0; charset=koi8-r">',
            b"<meta charset=koi8-r",  # the tag never ends within the bytes
            b'<meta charset="koi8-r',
            b"<p title='<meta charset=koi8-r>'>",  # inside a quoted attribute value
            b"<metacharset=koi8-r>",
            b"<meta charset=>",
            b"<meta charset=klingon>",
            b'<meta http-equiv="Content-Type" content="text/html; charset=">',
            b'<meta http-equiv="Content-Type" content="text/html; charset=\'koi8-r">',
            b"<meta charset ",  # an attribute name, whitespace, then the end of the bytes
            b"<!doctype html",  # a markup declaration that never ends
        ],
    )
    def test_not_declared(self, data):
        """Comments, unfinished tags, content= without the pragma and junk declare nothing."""
        assert prescan(data) is None

    def test_only_the_first_1024_bytes(self):
        """A declaration past the first 1024 bytes is not seen by the prescan."""
        padding = b"<p>" + b"x" * 1100 + b"</p>"
        assert prescan(b"<meta charset=koi8-r>" + padding) == "koi8-r"
        assert prescan(padding + b"<meta charset=koi8-r>") is None

    @given(st.binary(max_size=2048))
    def test_any_bytes(self, data):
        """The prescan never raises, and names a WHATWG encoding or nothing."""
        found = prescan(data)
        assert found is None or encoding_for_label(found) == found


class TestSniff:
    @pytest.mark.parametrize(
        ("data", "headers", "expected"),
        [
            # 1. a byte order mark beats everything
            (
                b"\xef\xbb\xbf<meta charset=koi8-r>",
                {"Content-Type": "text/html; charset=gbk"},
                Sniffed("utf-8", "bom", 3),
            ),
            (b"\xff\xfe<\x00p\x00", None, Sniffed("utf-16le", "bom", 2)),
            (b"\xfe\xff\x00<\x00p", None, Sniffed("utf-16be", "bom", 2)),
            # 2. the transport charset (header names in any case), then
            (
                b"<meta charset=koi8-r>",
                {"content-type": "text/html; charset=Shift_JIS"},
                Sniffed("shift_jis", "transport"),
            ),
            (
                b"<meta charset=koi8-r>",
                {"CONTENT-TYPE": 'text/html;charset="latin1"'},
                Sniffed("windows-1252", "transport"),
            ),
            # transport UTF-16 is honoured as it is (only a meta's UTF-16 means UTF-8)
            (
                b"<p>",
                {"Content-Type": "text/html; charset=utf-16"},
                Sniffed("utf-16le", "transport"),
            ),
            # an unknown or missing transport charset falls through to the meta prescan
            (
                b"<meta charset=koi8-r>",
                {"Content-Type": "text/html; charset=klingon"},
                Sniffed("koi8-r", "meta"),
            ),
            (b"<meta charset=koi8-r>", {"Content-Type": "text/html"}, Sniffed("koi8-r", "meta")),
            (b"<meta charset=koi8-r>", {"Server": "x"}, Sniffed("koi8-r", "meta")),
            # 4. beyond browsers: valid UTF-8 bytes are UTF-8
            ("<p>café</p>".encode(), None, Sniffed("utf-8", "utf-8")),
            (b"<p>plain ASCII</p>", None, Sniffed("utf-8", "utf-8")),
            (b"", None, Sniffed("utf-8", "utf-8")),
            # 5. otherwise windows-1252, as browsers default
            (b"<p>caf\xe9</p>", None, Sniffed("windows-1252", "default")),
            ("<p>café</p>".encode()[:-5], None, Sniffed("windows-1252", "default")),
        ],
    )
    def test_order(self, data, headers, expected):
        """BOM, then transport, then meta, then UTF-8 when valid, then windows-1252."""
        assert sniff(data, headers=headers) == expected

    def test_late_declaration(self):
        """A meta past 1024 bytes counts for non-UTF-8 bytes (browsers re-decode), not for UTF-8."""
        padding = b"<head><script>" + b"/* x */" * 200 + b"</script>"
        cyrillic = "<p>Привет</p>".encode("cp1251")
        assert sniff(padding + b"<meta charset=windows-1251>" + cyrillic) == Sniffed(
            "windows-1251", "meta"
        )
        assert sniff(padding + b"<meta charset=windows-1251>" + "<p>é".encode()) == Sniffed(
            "utf-8", "utf-8"
        )
        assert sniff(padding + b"<!-- <meta charset=koi8-r> -->" + cyrillic) == Sniffed(
            "windows-1252", "default"
        )


HTTP_WHITESPACE = "\t\n\r "
TOKEN = set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def quoted_string_oracle(value: str, position: int, *, extract: bool) -> tuple[str, int]:
    """Fetch's "collect an HTTP quoted string", step by step as the standard writes it."""
    start, text = position, ""
    position += 1
    while True:
        while position < len(value) and value[position] not in '"\\':
            text += value[position]
            position += 1
        if position >= len(value):
            break
        quote_or_backslash = value[position]
        position += 1
        if quote_or_backslash == "\\":
            if position >= len(value):
                text += "\\"
                break
            text += value[position]
            position += 1
        else:
            break
    return (text if extract else value[start:position]), position


def split_oracle(value: str) -> list[str]:
    """Fetch's "get, decode, and split", step by step."""
    values, temporary, position = [], "", 0
    while True:
        while position < len(value) and value[position] not in '",':
            temporary += value[position]
            position += 1
        if position < len(value) and value[position] == '"':
            quoted, position = quoted_string_oracle(value, position, extract=False)
            temporary += quoted
            if position < len(value):
                continue
        values.append(temporary.strip("\t "))
        temporary = ""
        if position >= len(value):
            return values
        position += 1


def mime_oracle(value: str) -> tuple[str, dict[str, str]] | None:
    """MIME Sniffing's "parse a MIME type", step by step."""
    value = value.strip(HTTP_WHITESPACE)
    position = 0
    kind = ""
    while position < len(value) and value[position] != "/":
        kind += value[position]
        position += 1
    if not kind or not set(kind) <= TOKEN or position >= len(value):
        return None
    position += 1
    subtype = ""
    while position < len(value) and value[position] != ";":
        subtype += value[position]
        position += 1
    subtype = subtype.rstrip(HTTP_WHITESPACE)
    if not subtype or not set(subtype) <= TOKEN:
        return None
    parameters: dict[str, str] = {}
    while position < len(value):
        position += 1
        while position < len(value) and value[position] in HTTP_WHITESPACE:
            position += 1
        name = ""
        while position < len(value) and value[position] not in ";=":
            name += value[position]
            position += 1
        name = name.lower()
        if position < len(value):
            if value[position] == ";":
                continue
            position += 1
        if position >= len(value):
            break
        if value[position] == '"':
            parameter, position = quoted_string_oracle(value, position, extract=True)
            while position < len(value) and value[position] != ";":
                position += 1
        else:
            parameter = ""
            while position < len(value) and value[position] != ";":
                parameter += value[position]
                position += 1
            parameter = parameter.rstrip(HTTP_WHITESPACE)
            if not parameter:
                continue
        quoted_ok = all(c == "\t" or " " <= c <= "~" or "\x80" <= c <= "\xff" for c in parameter)
        if name and set(name) <= TOKEN and quoted_ok and name not in parameters:
            parameters[name] = parameter
    return f"{kind}/{subtype}".lower(), parameters


def content_type_charset_oracle(value: str) -> str | None:
    """Fetch's "extract a MIME type", then its charset parameter."""
    charset = essence = mime = None
    for part in split_oracle(value):
        parsed = mime_oracle(part)
        if parsed is None or parsed[0] == "*/*":
            continue
        mime = parsed
        if parsed[0] != essence:
            charset = parsed[1].get("charset")
            essence = parsed[0]
        elif "charset" not in parsed[1] and charset is not None:
            parsed[1]["charset"] = charset
    return None if mime is None else mime[1].get("charset")


def meta_charset_oracle(value: str) -> str | None:
    """HTML's "extracting a character encoding from a meta element", as the standard loops."""
    position = 0
    while True:
        found = value.lower().find("charset", position)
        if found < 0:
            return None
        position = found + 7
        while position < len(value) and value[position] in "\t\n\x0c\r ":
            position += 1
        if position < len(value) and value[position] == "=":
            break
    position += 1
    while position < len(value) and value[position] in "\t\n\x0c\r ":
        position += 1
    if position >= len(value):
        return None
    if value[position] in "\"'":
        end = value.find(value[position], position + 1)
        return value[position + 1 : end] if end >= 0 else None
    end = position
    while end < len(value) and value[end] not in "\t\n\x0c\r ;":
        end += 1
    return value[position:end] or None


CONTENT_TYPE_PIECES = st.lists(
    st.sampled_from(
        ["text/html", "text/plain", "*/*", "TEXT/HTML", ";", ",", " ", "\t", "=", '"', "\\",
         "charset", "CharSet", "utf-8", "gbk", "x", "/", "\xe9", "\x00", "a b"]
    ),
    max_size=24,
).map("".join)  # fmt: skip


class TestContentTypeCharset:
    @pytest.mark.parametrize(
        ("value", "charset"),
        [
            ("text/html; charset=gbk", "gbk"),
            ('text/html;charset="latin1"', "latin1"),
            ('text/html; charset="a\\"b"', 'a"b'),
            ("text/html; charset=gbk; charset=utf-8", "gbk"),  # the first one counts
            # a repeated field (joined by ", "): the last valid MIME type counts...
            ("text/html; charset=gbk, text/html; charset=utf-8", "utf-8"),
            ("text/html; charset=gbk, text/plain", None),
            # ...keeping the charset of the same essence before it, and skipping */* and junk
            ("text/html; charset=gbk, text/html", "gbk"),
            ("text/html; charset=gbk, */*", "gbk"),
            ("text/html; charset=gbk, nonsense", "gbk"),
            ('text/html; charset="a,b", text/html', "a,b"),  # commas inside quotes do not split
            ('text/html; x="1"; ;y; charset=; charset=big5 ', "big5"),  # empty ones skipped
            ('text/html; x="1"; charset', None),
            # what is not a MIME type has no charset
            ("charset=utf-8", None),
            ("text/html; charset = utf-8", None),
            ("text/html; charset=", None),
            ("", None),
        ],
    )
    def test_examples(self, value, charset):
        """The header's charset is read as the Fetch standard's "extract a MIME type"."""
        assert _charset_from_content_type(value) == charset

    @given(CONTENT_TYPE_PIECES)
    def test_as_the_standard_steps(self, value):
        """Any value gives the charset the standard's step-by-step algorithm gives."""
        assert _charset_from_content_type(value) == content_type_charset_oracle(value)

    @given(
        st.lists(
            st.sampled_from(["charset", "CHARSET", "=", " ", "'", '"', ";", "x", "ſ", "\u212a"]),
            max_size=20,
        ).map("".join)
    )
    def test_meta_content_as_the_standard_loops(self, value):
        """A <meta content> charset is found as HTML's loop finds it (ASCII case only)."""
        assert _charset_from_meta_content(value) == meta_charset_oracle(value)

    @pytest.mark.parametrize(
        ("value", "content_type", "meta"),
        [
            ("charset" * 200_000, None, None),
            ("text/html; " + "charset" * 200_000 + "=koi8-r", None, "koi8-r"),
            ("text/html; charset=gbk, " * 50_000, "gbk", "gbk,"),
            ("a/b;" + '"' * 500_000, None, None),
            ("," * 500_000 + "text/html;charset=big5", "big5", "big5"),
            ('text/html; charset="' + '\\"' * 300_000, '"' * 300_000, "\\"),
        ],
    )
    def test_megabyte_values(self, value, content_type, meta):
        """Megabyte values are read like short ones (benchmarks/hostile_pages.py times them)."""
        assert (_charset_from_content_type(value), _charset_from_meta_content(value)) == (
            content_type,
            meta,
        )


class TestDecode:
    @pytest.mark.parametrize(
        ("data", "encoding", "text"),
        [
            (b"caf\xe9 \x80 \x9f", "windows-1252", "café € Ÿ"),
            # bytes Python's cp1252 leaves undefined are C1 controls in the Encoding Standard
            (b"\x81\x8d\x8f\x90\x9d", "windows-1252", "\x81\x8d\x8f\x90\x9d"),
            (b"a\x80\xff", "x-user-defined", "a\uf780\uf7ff"),
            (b"anything", "replacement", "\ufffd"),
            (b"", "replacement", ""),
            ("日本語".encode("cp932"), "shift_jis", "日本語"),
            ("한국어".encode("cp949"), "euc-kr", "한국어"),
            ("中文".encode("gb18030"), "gbk", "中文"),
            ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
            ("a€".encode("utf-16-le"), "utf-16le", "a€"),
            # bad bytes become U+FFFD, as browsers decode
            (b"ok \xff\xfe", "utf-8", "ok \ufffd\ufffd"),
            (b"\x82", "shift_jis", "\ufffd"),
        ],
    )
    def test_decode(self, data, encoding, text):
        """Each WHATWG encoding decodes with the browser's table; bad bytes become U+FFFD."""
        assert decode(data, encoding) == text

    @pytest.mark.parametrize(
        "encoding",
        sorted({name for name in (encoding_for_label(label) for label in (
            "utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5",
            "iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-8-i", "iso-8859-10",
            "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u",
            "macintosh", "windows-874", "windows-1250", "windows-1251", "windows-1252",
            "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257",
            "windows-1258", "x-mac-cyrillic", "gbk", "gb18030", "big5", "euc-jp",
            "iso-2022-jp", "shift_jis", "euc-kr", "replacement", "utf-16be", "utf-16le",
            "x-user-defined",
        )) if name}),
    )  # fmt: skip
    def test_every_encoding_has_a_codec(self, encoding):
        """Every WHATWG encoding decodes arbitrary bytes and has a codec for URL queries."""
        assert isinstance(decode(bytes(range(256)), encoding), str)
        codecs.lookup(python_codec(encoding))

    @given(
        st.binary(max_size=512),
        st.sampled_from(
            [
                "utf-8",
                "windows-1252",
                "shift_jis",
                "euc-kr",
                "gbk",
                "big5",
                "iso-2022-jp",
                "utf-16le",
                "x-user-defined",
            ]
        ),
    )
    def test_never_raises(self, data, encoding):
        """Decoding never raises, whatever the bytes."""
        assert isinstance(decode(data, encoding), str)
