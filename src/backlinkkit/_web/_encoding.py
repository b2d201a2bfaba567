"""WHATWG encoding sniffing for HTML bytes: BOM, transport charset, `<meta>` prescan, fallback.

Browsers decide how to decode a page in a fixed order (HTML standard, "determining the character
encoding"): a byte order mark, then the charset of the HTTP `Content-Type`, then a `<meta charset>`
or `<meta http-equiv="Content-Type">` found by a prescan of the first 1024 bytes, then a default.
backlinkkit adds one step before the default, beyond what browsers do: bytes that are valid UTF-8
are read as UTF-8 (the browser's windows-1252 default turns such pages into mojibake).

Labels are read with the Encoding Standard's label table, so `latin1` and `us-ascii` mean
windows-1252 and `gb2312` means GBK, exactly as in a browser.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

import attrs

from ._headers import header_value

__all__ = [
    "Sniffed",
    "decode",
    "encoding_for_label",
    "prescan",
    "python_codec",
    "sniff",
]

# The Encoding Standard's label table (https://encoding.spec.whatwg.org/encodings.json), as
# WHATWG name -> labels. Names are given lower-cased, as `PageLinks.encoding` reports them.
_LABELS: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
    ),
    "ibm866": ("866", "cp866", "csibm866", "ibm866"),
    "iso-8859-2": (
        "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
        "iso_8859-2:1987", "l2", "latin2",
    ),
    "iso-8859-3": (
        "csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
        "iso_8859-3:1988", "l3", "latin3",
    ),
    "iso-8859-4": (
        "csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
        "iso_8859-4:1988", "l4", "latin4",
    ),
    "iso-8859-5": (
        "csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
        "iso_8859-5", "iso_8859-5:1988",
    ),
    "iso-8859-6": (
        "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
        "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
        "iso_8859-6", "iso_8859-6:1987",
    ),
    "iso-8859-7": (
        "csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
        "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek",
    ),
    "iso-8859-8": (
        "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
        "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual",
    ),
    "iso-8859-8-i": ("csiso88598i", "iso-8859-8-i", "logical"),
    "iso-8859-10": (
        "csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6",
    ),
    "iso-8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso-8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso-8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    "iso-8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "macintosh": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "windows-874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "windows-1250": ("cp1250", "windows-1250", "x-cp1250"),
    "windows-1251": ("cp1251", "windows-1251", "x-cp1251"),
    "windows-1252": (
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
        "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
        "us-ascii", "windows-1252", "x-cp1252",
    ),
    "windows-1253": ("cp1253", "windows-1253", "x-cp1253"),
    "windows-1254": (
        "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
        "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254",
    ),
    "windows-1255": ("cp1255", "windows-1255", "x-cp1255"),
    "windows-1256": ("cp1256", "windows-1256", "x-cp1256"),
    "windows-1257": ("cp1257", "windows-1257", "x-cp1257"),
    "windows-1258": ("cp1258", "windows-1258", "x-cp1258"),
    "x-mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gbk": (
        "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
        "iso-ir-58", "x-gbk",
    ),
    "gb18030": ("gb18030",),
    "big5": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc-jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso-2022-jp": ("csiso2022jp", "iso-2022-jp"),
    "shift_jis": (
        "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
        "x-sjis",
    ),
    "euc-kr": (
        "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
        "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949",
    ),
    "replacement": (
        "csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr",
        "replacement",
    ),
    "utf-16be": ("unicodefffe", "utf-16be"),
    "utf-16le": (
        "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le",
    ),
    "x-user-defined": ("x-user-defined",),
}  # fmt: skip

_NAME_FOR_LABEL: dict[str, str] = {
    label: name for name, labels in _LABELS.items() for label in labels
}

# WHATWG name -> the Python codec that decodes it. The Encoding Standard's legacy CJK encodings
# are the Windows supersets (EUC-KR is code page 949, Shift_JIS is 932, Big5 includes HKSCS, GBK
# decodes as gb18030); windows-1252 and x-user-defined get exact tables below.
_PYTHON_CODEC: dict[str, str] = {
    "utf-8": "utf-8",
    "ibm866": "cp866",
    "iso-8859-8-i": "iso8859-8",
    "koi8-r": "koi8-r",
    "koi8-u": "koi8-u",
    "macintosh": "mac-roman",
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "euc-jp": "euc-jp",
    "iso-2022-jp": "iso2022-jp",
    "shift_jis": "cp932",
    "euc-kr": "cp949",
    "utf-16be": "utf-16-be",
    "utf-16le": "utf-16-le",
}
_PYTHON_CODEC.update({f"iso-8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13)})
_PYTHON_CODEC.update({f"iso-8859-{n}": f"iso8859-{n}" for n in (14, 15, 16)})
_PYTHON_CODEC.update({f"windows-125{n}": f"cp125{n}" for n in range(9)})


def _windows_1252_table() -> str:
    # Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; the Encoding Standard maps
    # them to the C1 controls of the same value (as ISO-8859-1 does).
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_DECODING_TABLES: dict[str, str] = {
    "windows-1252": _windows_1252_table(),
    # x-user-defined: ASCII bytes as they are, 0x80-0xFF to U+F780-U+F7FF (Encoding Standard).
    "x-user-defined": "".join(chr(b) for b in range(128))
    + "".join(chr(0xF780 + b) for b in range(128)),
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
)

_PRESCAN_LENGTH = 1024
# Browsers also switch encoding on a <meta charset> their parser meets later (HTML, "change the
# encoding"); for bytes that are not UTF-8 the prescan looks this far for one.
_LATE_PRESCAN_LENGTH = 65536
_ASCII_WHITESPACE = b"\t\n\x0c\r "
_ASCII_WHITESPACE_STR = "\t\n\x0c\r "


@attrs.frozen
class Sniffed:
    """The encoding chosen for a document's bytes, and what chose it.

    Attributes:
        encoding: the WHATWG encoding name, lower-cased (`"utf-8"`, `"windows-1252"`).
        source: `"bom"`, `"transport"`, `"meta"`, `"utf-8"` or `"default"`.
        bom_length: how many leading bytes are a byte order mark (skipped when decoding).
    """

    encoding: str
    source: str
    bom_length: int = 0


def encoding_for_label(label: str) -> str | None:
    """The WHATWG encoding a label names, or None for an unknown label.

    >>> encoding_for_label(" Latin1 ")
    'windows-1252'
    >>> encoding_for_label("GB2312")
    'gbk'
    >>> encoding_for_label("klingon") is None
    True
    """
    return _NAME_FOR_LABEL.get(label.strip(_ASCII_WHITESPACE_STR).lower())


def python_codec(encoding: str) -> str:
    """The Python codec that encodes text for a WHATWG encoding (for URL queries).

    >>> python_codec("shift_jis")
    'cp932'
    """
    if encoding in ("windows-1252", "x-user-defined"):
        return "cp1252"
    return _PYTHON_CODEC.get(encoding, "utf-8")


def decode(data: bytes, encoding: str) -> str:
    r"""Decode bytes as a browser does with a WHATWG encoding: bad bytes become U+FFFD.

    Args:
        data: the bytes, without their byte order mark.
        encoding: a WHATWG encoding name (as `Sniffed.encoding` gives it).

    Returns:
        The text; never raises for bad bytes.

    >>> decode(b"caf\xe9 \x80", "windows-1252")
    'café €'
    >>> decode(b"abc", "replacement")
    '\ufffd'
    """
    table = _DECODING_TABLES.get(encoding)
    if table is not None:
        return codecs.charmap_decode(data, "replace", table)[0]
    if encoding == "replacement":
        # The replacement encoding decodes any non-empty input to one U+FFFD (Encoding Standard).
        return "\ufffd" if data else ""
    return data.decode(_PYTHON_CODEC.get(encoding, "utf-8"), errors="replace")


# "charset", ASCII whitespace, "=", ASCII whitespace (ASCII case-insensitive: IGNORECASE alone
# would also fold U+017F to "s" and the Kelvin sign to "k").
_META_CHARSET = re.compile("charset[\t\n\x0c\r ]*=[\t\n\x0c\r ]*", re.IGNORECASE | re.ASCII)
_UNQUOTED_LABEL = re.compile("[^\t\n\x0c\r ;]*")


def _charset_from_meta_content(value: str) -> str | None:
    # "extracting a character encoding from a meta element" (HTML standard): the first "charset"
    # followed by "=", then a quoted or unquoted label. One search: linear in the value.
    match = _META_CHARSET.search(value)
    if match is None:
        return None
    start = match.end()
    if start >= len(value):
        return None
    if value[start] in "\"'":
        end = value.find(value[start], start + 1)
        return value[start + 1 : end] if end > 0 else None
    label = _UNQUOTED_LABEL.match(value, start)
    assert label is not None  # noqa: S101 - the pattern matches the empty string
    return label.group() or None


# Content-Type as the Fetch standard reads it ("extract a MIME type") and MIME Sniffing parses
# it ("parse a MIME type"). Each step moves forward through the value: linear in its length.
_HTTP_WHITESPACE = "\t\n\r "
_TOKEN = re.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_QUOTED_STRING_TOKEN = re.compile("[\t\x20-\x7e\x80-\xff]*")
# '"', then runs and backslash escapes, then a lone backslash ending the value, then the '"'.
_QUOTED_STRING = re.compile('"((?:[^"\\\\]++|\\\\[\\s\\S])*+)(\\\\?)"?')
_ESCAPED = re.compile("\\\\([\\s\\S])")
# One value of a comma-separated field: runs and quoted strings up to a comma outside quotes.
_HEADER_VALUE = re.compile('(?:[^",]++|"(?:[^"\\\\]++|\\\\[\\s\\S])*+\\\\?"?)*+')
_HTTP_WHITESPACE_RUN = re.compile("[\t\n\r ]*")
_PARAMETER_NAME = re.compile("[^;=]*")


def _quoted_string(value: str, position: int) -> tuple[str, int]:
    """Fetch's "collect an HTTP quoted string" at `value[position] == '"'`: (its value, end)."""
    match = _QUOTED_STRING.match(value, position)
    assert match is not None  # noqa: S101 - a '"' starts one
    text = _ESCAPED.sub(r"\1", match.group(1))
    return text + match.group(2), match.end()  # a backslash ending the value stays


def _split_header_values(value: str) -> list[str]:
    """Fetch's "get, decode, and split": a field's values, split on commas outside quotes."""
    if '"' not in value:
        return [part.strip("\t ") for part in value.split(",")]
    values = []
    position, length = 0, len(value)
    while True:
        match = _HEADER_VALUE.match(value, position)
        assert match is not None  # noqa: S101 - the pattern matches the empty string
        values.append(match.group().strip("\t "))
        position = match.end() + 1  # past the comma
        if position > length:
            return values


def _parse_mime_type(value: str) -> tuple[str, str | None] | None:
    """MIME Sniffing's "parse a MIME type": (essence, charset parameter), or None for failure."""
    value = value.strip(_HTTP_WHITESPACE)
    slash = value.find("/")
    if slash < 0:
        return None
    semicolon = value.find(";", slash)
    end = len(value) if semicolon < 0 else semicolon
    kind, subtype = value[:slash], value[slash + 1 : end].rstrip(_HTTP_WHITESPACE)
    if not _TOKEN.fullmatch(kind) or not _TOKEN.fullmatch(subtype):
        return None
    essence = f"{kind}/{subtype}".lower()
    if '"' not in value:
        # Without quoted strings a ";" always ends a parameter: split in one go.
        for parameter in value[end + 1 :].split(";"):
            name, equals, label = parameter.lstrip(_HTTP_WHITESPACE).partition("=")
            label = label.rstrip(_HTTP_WHITESPACE)
            valid = equals and label and _QUOTED_STRING_TOKEN.fullmatch(label)
            if valid and name.lower() == "charset":
                return essence, label
        return essence, None
    charset: str | None = None
    position, length = end, len(value)
    while position < length:
        run = _HTTP_WHITESPACE_RUN.match(value, position + 1)  # past the ";"
        assert run is not None  # noqa: S101 - the pattern matches the empty string
        name_run = _PARAMETER_NAME.match(value, run.end())
        assert name_run is not None  # noqa: S101 - the pattern matches the empty string
        name, position = name_run.group().lower(), name_run.end()
        if position < length and value[position] == ";":
            continue
        position += 1  # past the "="
        if position >= length:
            break
        if value[position] == '"':
            parameter, position = _quoted_string(value, position)
            stop = value.find(";", position)
            position = length if stop < 0 else stop
        else:
            stop = value.find(";", position)
            stop = length if stop < 0 else stop
            parameter, position = value[position:stop].rstrip(_HTTP_WHITESPACE), stop
            if not parameter:
                continue
        # The first valid charset parameter counts (a parameter is never set twice).
        if name == "charset" and charset is None and _QUOTED_STRING_TOKEN.fullmatch(parameter):
            charset = parameter
    return essence, charset


def _charset_from_content_type(value: str) -> str | None:
    """The charset of a `Content-Type` field value, by the Fetch standard's "extract a MIME type".

    A repeated field arrives joined by ", " (as `header_value` gives it): of its MIME types the
    last valid one that is not `*/*` counts, keeping the charset of an earlier one of the same
    essence when it has none itself (`text/html; charset=gbk, text/html` is GBK, and
    `text/html; charset=gbk, text/plain` has no charset).
    """
    charset: str | None = None
    essence: str | None = None
    for part in _split_header_values(value):
        parsed = _parse_mime_type(part)
        if parsed is None or parsed[0] == "*/*":
            continue
        if parsed[0] != essence:
            essence, charset = parsed
        elif parsed[1] is not None:
            charset = parsed[1]
    return charset


def _transport_encoding(headers: Mapping[str, str] | None) -> str | None:
    content_type = header_value(headers, "content-type")
    if content_type is None:
        return None
    label = _charset_from_content_type(content_type)
    return None if label is None else encoding_for_label(label)


# The prescan's "get an attribute" (HTML standard), as patterns over the bytes: leading
# whitespace and slashes, then a name (it may start with '='), then the value's forms.
_ATTRIBUTE_NAME = re.compile(rb"[\t\n\x0c\r /]*(=?[^\t\n\x0c\r />=]*)")
_WHITESPACE_RUN = re.compile(rb"[\t\n\x0c\r ]*")
_UNQUOTED_VALUE = re.compile(rb"[^\t\n\x0c\r >]*")


def _get_attribute(data: bytes, position: int) -> tuple[bytes, bytes, int] | None:
    """One step of the prescan's "get an attribute": (name, value, next position), or None."""
    match = _ATTRIBUTE_NAME.match(data, position)
    assert match is not None  # noqa: S101 - the pattern matches the empty string
    name = match.group(1).lower()
    position = match.end()
    length = len(data)
    if not name or position >= length:
        return None  # '>' (no more attributes) or the end of the bytes
    byte = data[position]
    if byte in _ASCII_WHITESPACE:
        position = _skip_whitespace(data, position)
        if position >= length:
            return None
        if data[position] != 0x3D:  # no '=': an attribute without a value
            return name, b"", position
    elif byte != 0x3D:  # '/' or '>'
        return name, b"", position
    position = _skip_whitespace(data, position + 1)
    if position >= length:
        return None
    byte = data[position]
    if byte in b"\"'":
        end = data.find(data[position : position + 1], position + 1)
        if end < 0:
            return None
        return name, data[position + 1 : end].lower(), end + 1
    if byte == 0x3E:  # '>'
        return name, b"", position
    end = _unquoted_end(data, position)
    if end >= length:
        return None
    return name, data[position:end].lower(), end


def _skip_whitespace(data: bytes, position: int) -> int:
    match = _WHITESPACE_RUN.match(data, position)
    assert match is not None  # noqa: S101 - the pattern matches the empty string
    return match.end()


def _unquoted_end(data: bytes, position: int) -> int:
    match = _UNQUOTED_VALUE.match(data, position)
    assert match is not None  # noqa: S101 - the pattern matches the empty string
    return match.end()


def _meta_encoding(data: bytes, position: int) -> tuple[str | None, int]:
    """Read one `<meta` tag's attributes (the prescan's meta branch): (encoding, next position)."""
    seen: set[bytes] = set()
    got_pragma = False
    need_pragma: bool | None = None
    charset: str | None = None
    while True:
        attribute = _get_attribute(data, position)
        if attribute is None:
            break
        name, value, position = attribute
        if name in seen:
            continue
        seen.add(name)
        if name == b"http-equiv":
            got_pragma = got_pragma or value == b"content-type"
        elif name == b"content" and charset is None:
            label = _charset_from_meta_content(value.decode("latin-1"))
            if label is not None:
                charset = encoding_for_label(label)
                need_pragma = True
        elif name == b"charset" and charset is None:
            charset = encoding_for_label(value.decode("latin-1"))
            need_pragma = False
    if need_pragma is None or (need_pragma and not got_pragma) or charset is None:
        return None, position
    # A page cannot declare itself UTF-16 in ASCII-compatible bytes: such a declaration means
    # UTF-8; x-user-defined declared in a page means windows-1252 (HTML standard).
    if charset in ("utf-16be", "utf-16le"):
        charset = "utf-8"
    elif charset == "x-user-defined":
        charset = "windows-1252"
    return charset, position


def prescan(data: bytes, *, length: int = _PRESCAN_LENGTH) -> str | None:
    """The encoding a `<meta>` declares in the first 1024 bytes (the HTML prescan), or None.

    Args:
        data: the document's bytes.
        length: how many of its first bytes to read (the standard's 1024 by default).

    Returns:
        The WHATWG encoding name, or None when no usable declaration is found.

    >>> prescan(b'<!doctype html><meta charset="ISO-8859-1">')
    'windows-1252'
    >>> prescan(b'<meta http-equiv=Content-Type content="text/html; charset=Shift_JIS">')
    'shift_jis'
    >>> prescan(b'<!-- <meta charset=koi8-r> --><p>') is None
    True
    """
    data = data[:length]
    length = len(data)
    position = data.find(b"<")
    while 0 <= position < length:
        if data.startswith(b"<!--", position):
            end = data.find(b"-->", position + 2)
            if end < 0:
                return None
            position = end + 3
        elif (
            data[position + 1 : position + 5].lower() == b"meta"
            and position + 5 < length
            and data[position + 5] in b"\t\n\x0c\r /"
        ):
            encoding, position = _meta_encoding(data, position + 5)
            if encoding is not None:
                return encoding
        elif data[position + 1 : position + 2].isalpha() or (
            data[position + 1 : position + 2] == b"/"
            and data[position + 2 : position + 3].isalpha()
        ):
            position = _skip_tag(data, position)
        elif data[position + 1 : position + 2] in (b"!", b"/", b"?"):
            end = data.find(b">", position + 1)
            if end < 0:
                return None
            position = end + 1
        else:
            position += 1
        position = data.find(b"<", position)
    return None


def _skip_tag(data: bytes, position: int) -> int:
    # A start or end tag: skip its name, then its attributes, as the prescan does (so that a '>'
    # inside a quoted attribute value does not end the tag).
    length = len(data)
    while position < length and data[position] not in b"\t\n\x0c\r >":
        position += 1
    attribute = _get_attribute(data, position)
    while attribute is not None:
        position = attribute[2]
        attribute = _get_attribute(data, position)
    return position + 1 if position < length else length


def sniff(data: bytes, *, headers: Mapping[str, str] | None = None) -> Sniffed:
    r"""Choose the encoding of HTML bytes: BOM, transport, meta prescan, UTF-8, windows-1252.

    Args:
        data: the document's bytes.
        headers: the HTTP response headers; a `charset` in `Content-Type` (any case) counts.

    Returns:
        The encoding and the step that chose it.

    >>> sniff(b"\xef\xbb\xbf<p>hi")
    Sniffed(encoding='utf-8', source='bom', bom_length=3)
    >>> sniff(b"<p>caf\xe9", headers={"content-type": "text/html; charset=latin1"}).source
    'transport'
    >>> sniff("<p>café".encode()).source
    'utf-8'
    >>> sniff(b"<p>caf\xe9")
    Sniffed(encoding='windows-1252', source='default', bom_length=0)
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Sniffed(name, "bom", len(bom))
    transport = _transport_encoding(headers)
    if transport is not None:
        return Sniffed(transport, "transport")
    declared = prescan(data)
    if declared is not None:
        return Sniffed(declared, "meta")
    if data.isascii():
        return Sniffed("utf-8", "utf-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Sniffed("utf-8", "utf-8")
    if len(data) > _PRESCAN_LENGTH:
        late = prescan(data, length=_LATE_PRESCAN_LENGTH)
        if late is not None:
            return Sniffed(late, "meta")
    return Sniffed("windows-1252", "default")
