"""Reading backlink exports (Search Console, Ahrefs, Semrush, Majestic, generic) into records.

One pass over the stream: the encoding is sniffed from the first bytes, the delimiter and the
format from the header row; then each row goes through a converter built once for that header
(column positions looked up once, dates parsed through a cache), so a row costs one csv parse
and one `Backlink`. `write_backlinks` writes the generic layout, which reads back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, Generic, Literal, NoReturn, TypeVar, cast

import attrs

from ._backlink import Backlink
from ._errors import ExportFormatError
from ._export_headers import (
    GENERIC_COLUMNS,
    NOT_BACKLINK_EXPORTS,
    SEARCH_CONSOLE_LANGUAGES,
    TOOL_HEADERS,
    ExportFormat,
    normalize_header,
)
from ._links import LinkKind, Section

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "ExportReader",
    "LinkingSite",
    "RejectedRow",
    "read_backlinks",
    "read_linking_sites",
    "write_backlinks",
]

_T = TypeVar("_T")
_Row = list[str]
_Getter = Callable[[_Row], Any]
ErrorMode = Literal["raise", "collect"]

# Bytes read to sniff the encoding: enough for a header row and a few data rows.
_SNIFF_BYTES: Final = 4096
# Distinct date strings remembered per read; exports repeat a few thousand days.
_DATE_CACHE_SIZE: Final = 65536
_HTTP_PREFIXES: Final = ("http://", "https://")


# -- values --------------------------------------------------------------------------------------
@attrs.frozen
class RejectedRow:
    """A row `read_backlinks` could not turn into a record, with where and why.

    Attributes:
        line: the physical line (1-based) the row starts on in the file.
        column: the header name of the offending column, or None when the row as a whole is bad
            (wrong number of cells, broken quoting).
        reason: what is wrong, in words.
        cells: the row's cells as read (empty when the CSV itself could not be parsed).
    """

    line: int
    column: str | None
    reason: str
    cells: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """The line, column and reason in one sentence (the text `errors="raise"` raises).

        >>> RejectedRow(line=3, column="nofollow", reason="'maybe' is not a boolean").message
        "line 3, column 'nofollow': 'maybe' is not a boolean"
        """
        if self.column is None:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}, column {self.column!r}: {self.reason}"


@attrs.frozen
class LinkingSite:
    """One row of Search Console's "Top linking sites": a site and how much it links to you.

    These are sites with counts, not links: `read_linking_sites` reads them, never
    `read_backlinks`, so no backlink is invented from a count.

    Attributes:
        site: the linking site as Search Console names it (a registrable domain, e.g. `blog.test`).
        linking_pages: how many of its pages link to the target site.
        target_pages: how many target pages it links to, or None when the export omits the column.

    >>> LinkingSite("blog.test", linking_pages=1240, target_pages=12).linking_pages
    1240
    """

    site: str
    linking_pages: int
    target_pages: int | None = None


class _CellError(Exception):
    """A cell's value cannot be read: carries the column name and the reason."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(column, reason)
        self.column = column
        self.reason = reason


class ExportReader(Iterator[_T], Generic[_T]):
    r"""The records of one export, read lazily, and what was learnt reading it.

    Returned by `read_backlinks` and `read_linking_sites`; iterate it once. The format,
    encoding and delimiter are known as soon as it is returned (the header row is read then).
    With `errors="collect"`, `rejected` fills as the iteration goes; when it is done,
    `rows == accepted + len(rejected)` always holds.

    Attributes:
        format: the export format, detected or named by the caller.
        encoding: the codec used to decode a binary stream ("utf-8", "utf-8-sig", "utf-16-le",
            "utf-16-be"), or None for a text stream (decoded by the caller).
        bom: the stream started with a byte order mark.
        delimiter: the cell delimiter found in the header row.
        header: the header row's cells as written.
        rejected: the rows not turned into records, in file order (always empty with
            `errors="raise"`, which raises at the first one instead).
        blank_lines: blank lines passed over (they hold no row, so they are not rows).

    >>> import io
    >>> reader = read_backlinks(io.StringIO("source_url\nhttps://a.test/\n\nftp://b.test/\n"),
    ...                         errors="collect")
    >>> [b.source_url for b in reader], reader.rows, reader.blank_lines
    (['https://a.test/'], 2, 1)
    >>> reader.rejected[0].message
    "line 4, column 'source_url': 'ftp://b.test/' is not an absolute http(s) URL"
    """

    __slots__ = (
        "_accepted",
        "_gen",
        "blank_lines",
        "bom",
        "delimiter",
        "encoding",
        "format",
        "header",
        "rejected",
    )

    def __init__(
        self,
        *,
        format: ExportFormat,  # noqa: A002 - the public name of the thing
        encoding: str | None,
        bom: bool,
        delimiter: str,
        header: tuple[str, ...],
    ) -> None:
        self.format = format
        self.encoding = encoding
        self.bom = bom
        self.delimiter = delimiter
        self.header = header
        self.rejected: list[RejectedRow] = []
        self.blank_lines = 0
        self._accepted = 0
        self._gen: Iterator[_T] = iter(())

    @property
    def accepted(self) -> int:
        """How many records have been produced so far."""
        return self._accepted

    @property
    def rows(self) -> int:
        """How many data rows have been read so far: accepted plus rejected."""
        return self._accepted + len(self.rejected)

    def __iter__(self) -> Iterator[_T]:  # noqa: PYI034 - the generator runs a `for` loop faster
        return self._gen

    def __next__(self) -> _T:
        return next(self._gen)

    def __repr__(self) -> str:
        return (
            f"<ExportReader format={self.format.value} encoding={self.encoding} "
            f"accepted={self._accepted} rejected={len(self.rejected)}>"
        )


# -- decoding ------------------------------------------------------------------------------------
class _Prefixed(io.RawIOBase):
    """A binary stream that first gives back the bytes already read to sniff, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes], *, skipped: int) -> None:
        self._head = memoryview(head)
        self._rest = rest
        # Bytes handed on so far (BOM included), to place a decoding error in the file.
        self.consumed = skipped

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        out = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(out), len(self._head))
            out[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(out))
            n = len(data)
            out[:n] = data
        self.consumed += n
        return n


def _sniff_encoding(head: bytes) -> tuple[str, int]:
    """Return the codec for these first bytes and how many BOM bytes to skip."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 0
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    if b"\x00" in head:
        # UTF-16 without a BOM: ASCII-range text puts a NUL in every other byte.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > 2 * even:
            return "utf-16-le", 0
        if even > 2 * odd:
            return "utf-16-be", 0
        raise ExportFormatError("line 1: NUL bytes that are not UTF-16: not a text export")
    return "utf-8", 0


@attrs.frozen
class _Source:
    """The text being read, and how it was decoded."""

    text: IO[str]
    encoding: str | None = None
    bom: bool = False
    raw: _Prefixed | None = None

    def decode_error(self, exc: UnicodeDecodeError, line: int) -> ExportFormatError:
        """The error for undecodable bytes met while reading `line` (or the lines after it)."""
        where = f"line {line}"
        if self.raw is not None and isinstance(exc.object, bytes):
            # The decoder fails on the block just read: the block ends where `consumed` is.
            where += f" or after, byte {self.raw.consumed - len(exc.object) + exc.start}"
        return ExportFormatError(
            f"{where}: the export is not valid {self.encoding or 'text'} ({exc.reason}); "
            "re-save it as UTF-8 or UTF-16"
        )


def _open_text(stream: IO[bytes] | IO[str]) -> _Source:
    """A text stream over `stream`, decoding bytes in the encoding their first bytes show."""
    if isinstance(stream.read(0), str):
        return _Source(stream)  # type: ignore[arg-type]
    binary: IO[bytes] = stream  # type: ignore[assignment]
    head = binary.read(_SNIFF_BYTES)
    encoding, skip = _sniff_encoding(head)
    raw = _Prefixed(head[skip:], binary, skipped=skip)
    # No BufferedReader: TextIOWrapper reads blocks itself, and `consumed` stays exact.
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")  # type: ignore[type-var]
    return _Source(text, encoding, skip > 0 or encoding == "utf-8-sig", raw)


def _sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of tab, semicolon and comma."""
    counts = {"\t": line.count("\t"), ";": line.count(";"), ",": line.count(",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_header(source: _Source) -> tuple[list[str], str, int, bool]:
    """Read up to the header row: its cells, the delimiter, its line number, a text BOM seen."""
    text = source.text
    line_no = 0
    delimiter: str | None = None
    bom = False
    while True:
        try:
            line = text.readline()
        except UnicodeDecodeError as exc:
            raise source.decode_error(exc, line_no + 1) from exc
        line_no += 1
        if not line:
            raise ExportFormatError(f"line {line_no}: the export is empty (no header row)")
        if line_no == 1 and line.startswith("\ufeff"):
            line, bom = line[1:], True
        stripped = line.strip()
        if not stripped:
            continue
        # Excel's hint line, `sep=;`, names the delimiter.
        if delimiter is None and len(stripped) == 5 and stripped[:4].lower() == "sep=":
            delimiter = stripped[4]
            continue
        break
    delimiter = delimiter or _sniff_delimiter(line)
    cells = next(csv.reader([line], delimiter=delimiter))
    return cells, delimiter, line_no, bom


# -- cell parsers --------------------------------------------------------------------------------
_BOOLEANS: Final[Mapping[str, bool | None]] = {
    "": None,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "+": True,  # Majestic's flag columns
    "-": False,
}
_BOOLEANS_FAST: Final[Mapping[str, bool | None]] = {
    **_BOOLEANS,
    "TRUE": True,
    "FALSE": False,
    "True": True,
    "False": False,
}
_MISSING: Final = object()

_MONTHS: Final[Mapping[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE: Final = re.compile(r"(\d{1,4})([./])(\d{1,2})\2(\d{1,4})(?:[ T].*)?")
_MONTH_FIRST: Final = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})(?: .*)?")
_DAY_FIRST: Final = re.compile(r"(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})(?: .*)?")


def _parse_date(text: str, *, day_first: bool | None = None) -> dt.date | None:
    """Parse a date as the backlink tools write it; None for an empty cell.

    Accepted: ISO (`2024-03-01`, `2024-03-01 12:00:00`, `2024-03-01T12:00:00Z`, any time part is
    dropped), `2024/03/01`, `01.03.2024` (day first), `Mar 1, 2024`, `1 Mar 2024`, and
    `01/03/2024`, which is read day-first or month-first as `day_first` says; when it is None,
    such a date is refused unless one part is above 12.

    Raises:
        ValueError: the text is not a date in one of those forms, or is ambiguous.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return _date_forms(text, day_first)
    except ValueError as exc:
        if str(exc).startswith(repr(text)):
            raise
        raise ValueError(f"{text!r} is not a date ({exc})") from None


def _date_forms(text: str, day_first: bool | None) -> dt.date:
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[10:11] in ("", " ", "T"):
        return dt.date.fromisoformat(text[:10])
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        a, sep, b, c = match.group(1), match.group(2), int(match.group(3)), match.group(4)
        if len(a) == 4:  # year first: 2024/03/01
            return dt.date(int(a), b, int(c))
        if len(c) != 4:
            raise ValueError(f"{text!r}: a numeric date needs a four-digit year")
        first, year = int(a), int(c)
        if sep == "." or first > 12:
            return dt.date(year, b, first)
        if b > 12:
            return dt.date(year, first, b)
        if day_first is None:
            raise ValueError(f"{text!r} is ambiguous: day/month or month/day?")
        return dt.date(year, b, first) if day_first else dt.date(year, first, b)
    match = _MONTH_FIRST.fullmatch(text)
    if match and match.group(1).lower() in _MONTHS:
        return dt.date(int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2)))
    match = _DAY_FIRST.fullmatch(text)
    if match and match.group(2).lower() in _MONTHS:
        return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    raise ValueError(f"{text!r} is not a date")


def _parse_count(text: str) -> int:
    """Parse a count written with or without thousands separators (`1,240`, `1.240`, `1 240`).

    Raises:
        ValueError: the text is not a non-negative whole number.
    """
    digits = text.strip()
    for separator in (",", ".", " ", "\u00a0", "\u202f", "'", "\u2019"):
        digits = digits.replace(separator, "")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"{text!r} is not a count")
    return int(digits)


def _check_source_url(value: str) -> str | None:
    """None if `value` is usable as a source URL; else the reason it is not."""
    if not value:
        return "no source URL"
    if not value.startswith(_HTTP_PREFIXES) and not value[:8].lower().startswith(_HTTP_PREFIXES):
        return f"{value[:80]!r} is not an absolute http(s) URL"
    return None


# -- getters: one per field, built once per header -----------------------------------------------
def _none(_row: _Row) -> None:
    return None


def _source_url(i: int, name: str, *, strip: bool) -> _Getter:
    def get(row: _Row) -> str:
        value = row[i].strip() if strip else row[i]
        if value.startswith(_HTTP_PREFIXES):
            return value
        reason = _check_source_url(value)
        if reason is not None:
            raise _CellError(name, reason)
        return value

    return get


def _stripped_or_none(i: int) -> _Getter:
    def get(row: _Row) -> str | None:
        return row[i].strip() or None

    return get


def _boolean(i: int, name: str) -> _Getter:
    fast = _BOOLEANS_FAST

    def get(row: _Row) -> bool | None:
        value = fast.get(row[i], _MISSING)
        if value is _MISSING:
            value = _BOOLEANS.get(row[i].strip().casefold(), _MISSING)
            if value is _MISSING:
                raise _CellError(name, f"{row[i]!r} is not a boolean (true/false, 1/0, yes/no)")
        return value  # type: ignore[return-value]

    return get


def _date(
    i: int, name: str, day_first: bool | None, *, cache: dict[str, dt.date | None] | None = None
) -> _Getter:
    if cache is None:
        cache = {"": None}

    def get(row: _Row) -> dt.date | None:
        text = row[i]
        try:
            return cache[text]
        except KeyError:
            pass
        try:
            value = _parse_date(text, day_first=day_first)
        except ValueError as exc:
            raise _CellError(name, str(exc)) from None
        if len(cache) < _DATE_CACHE_SIZE:
            cache[text] = value
        return value

    return get


def _enum_getter(i: int, name: str, enum: type[LinkKind | Section]) -> _Getter:
    by_value = {member.value: member for member in enum}

    def get(row: _Row) -> Any:  # noqa: ANN401 - a LinkKind or a Section
        text = row[i]
        if not text:
            return None
        member = by_value.get(text) or by_value.get(text.strip().casefold())
        if member is None:
            raise _CellError(name, f"{text!r} is not one of {', '.join(by_value)}")
        return member

    return get


def _extra_json(i: int, name: str) -> _Getter:
    empty: Mapping[str, str] = {}

    def get(row: _Row) -> Mapping[str, str]:
        text = row[i]
        if not text:
            return empty
        try:
            value = json.loads(text)
        except ValueError:
            raise _CellError(name, "not a JSON object") from None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise _CellError(name, "not a JSON object of strings")
        return value

    return get


def _columns_dict(indexes: Sequence[int], names: Sequence[str]) -> _Getter:
    """The given columns as a {header name: cell} dict (the tool's own columns)."""
    if not indexes:
        empty: Mapping[str, str] = {}
        return lambda _row: empty
    names = tuple(names)
    if len(indexes) == 1:
        (only,), (key,) = indexes, names
        return lambda row: {key: row[only]}
    pick = operator.itemgetter(*indexes)
    return lambda row: dict(zip(names, pick(row), strict=True))


# -- plans: a format's header turned into a row converter -----------------------------------------
@attrs.frozen
class _Plan(Generic[_T]):
    convert: Callable[[_Row], _T]
    columns: int
    single_line: bool = False  # cells never hold newlines: parse line by line (Majestic)


def _index(header: Sequence[str]) -> dict[str, int]:
    """Normalized header name -> the first column with that name."""
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        positions.setdefault(normalize_header(cell), i)
    return positions


def _find(positions: Mapping[str, int], names: Iterable[str]) -> int | None:
    for name in names:
        i = positions.get(normalize_header(name))
        if i is not None:
            return i
    return None


def _build(getters: Sequence[_Getter]) -> Callable[[_Row], Backlink]:
    """One straight-line converter over the thirteen field getters, in `Backlink` order."""
    src, tgt, anc, nof, spo, ugc, kin, fir, las, los, ipa, sec, ext = getters

    def convert(row: _Row) -> Backlink:
        return Backlink(
            src(row),
            tgt(row),
            anc(row),
            nof(row),
            spo(row),
            ugc(row),
            kin(row),
            fir(row),
            las(row),
            los(row),
            ipa(row),
            sec(row),
            ext(row),
        )

    return convert


def _generic_plan(header: Sequence[str]) -> _Plan[Backlink]:
    # Generic names are matched exactly after trimming and lower-casing (underscores matter).
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        positions.setdefault(cell.strip().lower(), i)
    if "source_url" not in positions:
        raise ExportFormatError("line 1: the generic layout needs a 'source_url' column")
    known = {positions[n] for n in GENERIC_COLUMNS if n in positions}
    others = [i for i in range(len(header)) if i not in known]
    from_columns = _columns_dict(others, [header[i] for i in others])
    extra_at = positions.get("extra")
    extra: _Getter
    if extra_at is None:
        extra = from_columns
    elif not others:
        extra = _extra_json(extra_at, "extra")
    else:
        from_json = _extra_json(extra_at, "extra")
        extra = lambda row: {**from_json(row), **from_columns(row)}  # noqa: E731
    return _Plan(_generic_converter(positions, extra), len(header))


def _generic_converter(positions: Mapping[str, int], extra: _Getter) -> Callable[[_Row], Backlink]:
    """The generic layout's row converter: the common cells inline, anything else the slow way.

    This is the path the million-row benchmark takes, so it avoids a call per cell: every value
    is first looked up in a table of the usual spellings (booleans, kinds, sections, dates seen
    before); only a miss goes through the full parser, which also names the column on error.
    """
    # An absent column reads index -1, which the converter makes an empty cell (= None).
    s_i, t_i, a_i, nf_i, sp_i, ug_i, k_i, fs_i, ls_i, lo_i, ip_i, se_i = (
        positions.get(name, -1) for name in GENERIC_COLUMNS[:-1]
    )
    dates: dict[str, dt.date | None] = {"": None}
    slow: dict[int, _Getter] = {-1: _none}
    for name, i in positions.items():
        if name in ("nofollow", "sponsored", "ugc"):
            slow[i] = _boolean(i, name)
        elif name in ("first_seen", "last_seen", "lost"):
            slow[i] = _date(i, name, None, cache=dates)
        elif name == "kind":
            slow[i] = _enum_getter(i, name, LinkKind)
        elif name == "section":
            slow[i] = _enum_getter(i, name, Section)
    source = _source_url(s_i, "source_url", strip=False)
    flags, missing, prefixes = _BOOLEANS_FAST, _MISSING, _HTTP_PREFIXES
    kinds: dict[str, LinkKind | None] = {"": None, **{k.value: k for k in LinkKind}}
    sections: dict[str, Section | None] = {"": None, **{s.value: s for s in Section}}
    backlink = Backlink

    def unescape(value: str) -> str:
        # Only a cell made of backslashes is escaped: it loses one.
        return value if value.strip("\\") else value[1:]

    def convert(row: _Row) -> Backlink:
        row.append("")
        src = row[s_i]
        if not src.startswith(prefixes):
            src = source(row)
        # Text: an empty cell is None; a leading backslash may be the escape.
        target = row[t_i] or None
        if target is not None and target[0] == "\\":
            target = unescape(target)
        anchor = row[a_i] or None
        if anchor is not None and anchor[0] == "\\":
            anchor = unescape(anchor)
        source_ip = row[ip_i] or None
        if source_ip is not None and source_ip[0] == "\\":
            source_ip = unescape(source_ip)
        nofollow = flags.get(row[nf_i], missing)
        if nofollow is missing:
            nofollow = slow[nf_i](row)
        sponsored = flags.get(row[sp_i], missing)
        if sponsored is missing:
            sponsored = slow[sp_i](row)
        ugc = flags.get(row[ug_i], missing)
        if ugc is missing:
            ugc = slow[ug_i](row)
        kind = kinds.get(row[k_i], missing)
        if kind is missing:
            kind = slow[k_i](row)
        first_seen = dates.get(row[fs_i], missing)
        if first_seen is missing:
            first_seen = slow[fs_i](row)
        last_seen = dates.get(row[ls_i], missing)
        if last_seen is missing:
            last_seen = slow[ls_i](row)
        lost = dates.get(row[lo_i], missing)
        if lost is missing:
            lost = slow[lo_i](row)
        section = sections.get(row[se_i], missing)
        if section is missing:
            section = slow[se_i](row)
        return backlink(
            src,
            target,
            anchor,
            nofollow,  # type: ignore[arg-type]
            sponsored,  # type: ignore[arg-type]
            ugc,  # type: ignore[arg-type]
            kind,  # type: ignore[arg-type]
            first_seen,  # type: ignore[arg-type]
            last_seen,  # type: ignore[arg-type]
            lost,  # type: ignore[arg-type]
            source_ip,
            section,  # type: ignore[arg-type]
            extra(row),
        )

    return convert


def _tool_plan(fmt: ExportFormat, header: Sequence[str]) -> _Plan[Backlink]:
    table = TOOL_HEADERS[fmt]
    positions = _index(header)
    at = {field: _find(positions, names) for field, names in table.items()}
    source = at.get("source_url")
    if source is None:
        raise ExportFormatError(
            f"line 1: no source URL column for {fmt.value} (looked for "
            f"{', '.join(repr(n) for n in table['source_url'])})"
        )

    def name(field: str) -> str:
        return header[at[field]]  # type: ignore[index]

    def text(field: str, *, empty_is_none: bool) -> _Getter:
        i = at.get(field)
        if i is None:
            return _none
        return _stripped_or_none(i) if empty_is_none else operator.itemgetter(i)

    def boolean(field: str) -> _Getter:
        i = at.get(field)
        return _none if i is None else _boolean(i, name(field))

    def date(field: str) -> _Getter:
        i = at.get(field)
        return _none if i is None else _date(i, name(field), None)

    kind = _kind_getter(at, header)
    last_seen = date("last_seen")
    lost = date("lost")
    if at.get("lost_flag") is not None:
        # Semrush says only *that* a link was lost: the nearest date it gives is "Last seen".
        lost = _lost_on_last_seen(boolean("lost_flag"), last_seen)

    # Columns mapped straight to a field leave `extra`; the rest (and derived inputs) stay.
    derived = {"type", "image_flag", "text_flag", "lost_flag"}
    used = {i for field, i in at.items() if i is not None and field not in derived}
    others = [i for i in range(len(header)) if i not in used]
    getters = [
        _source_url(source, header[source], strip=True),
        text("target_url", empty_is_none=True),
        # A tool that has an anchor column knows the anchor: an empty cell is an empty anchor.
        text("anchor", empty_is_none=False),
        boolean("nofollow"),
        boolean("sponsored"),
        boolean("ugc"),
        kind,
        date("first_seen"),
        last_seen,
        lost,
        _none,
        _none,
        _columns_dict(others, [header[i] for i in others]),
    ]
    return _Plan(_build(getters), len(header), single_line=fmt is ExportFormat.MAJESTIC)


def _lost_on_last_seen(flag: _Getter, last_seen: _Getter) -> _Getter:
    def get(row: _Row) -> dt.date | None:
        return last_seen(row) if flag(row) else None

    return get


_AHREFS_TYPES: Final[Mapping[str, LinkKind]] = {"text": LinkKind.TEXT, "image": LinkKind.IMAGE}


def _kind_getter(at: Mapping[str, int | None], header: Sequence[str]) -> _Getter:
    """LinkKind from Ahrefs' Type, or from Semrush's Text/Image and Majestic's image flags."""
    type_at = at.get("type")
    if type_at is not None:
        # Other Ahrefs types (redirect, frame, form, ...) are no LinkKind: None, kept in extra.
        return lambda row: _AHREFS_TYPES.get(row[type_at].strip().casefold())
    image_at, text_at = at.get("image_flag"), at.get("text_flag")
    image = _none if image_at is None else _boolean(image_at, header[image_at])
    text = _none if text_at is None else _boolean(text_at, header[text_at])
    if image_at is None and text_at is None:
        return _none

    def get(row: _Row) -> LinkKind | None:
        is_image, is_text = image(row), text(row)
        if is_image and is_text:
            return LinkKind.MIXED
        if is_image:
            return LinkKind.IMAGE
        return LinkKind.TEXT if is_text else None

    return get


def _search_console_links_plan(header: Sequence[str], language: str | None) -> _Plan[Backlink]:
    positions = _index(header)
    headers = SEARCH_CONSOLE_LANGUAGES.get(language or "")
    page: int | None
    crawled: int | None
    day_first: bool | None
    if headers is None:  # named by the caller, headers unknown: Search Console's column order
        page, crawled, day_first = 0, (1 if len(header) > 1 else None), None
    else:
        page = _find(positions, headers.linking_page)
        crawled = _find(positions, headers.last_crawled)
        day_first = headers.day_first
    if page is None:
        raise ExportFormatError("line 1: no 'Linking page' column")
    used = {page, crawled}
    others = [i for i in range(len(header)) if i not in used]
    getters = [
        _source_url(page, header[page], strip=True),
        *[_none] * 7,
        _none if crawled is None else _date(crawled, header[crawled], day_first),
        _none,
        _none,
        _none,
        _columns_dict(others, [header[i] for i in others]),
    ]
    return _Plan(_build(getters), len(header))


def _linking_sites_plan(header: Sequence[str], language: str | None) -> _Plan[LinkingSite]:
    positions = _index(header)
    headers = SEARCH_CONSOLE_LANGUAGES.get(language or "")
    site: int | None
    pages: int | None
    targets: int | None
    if headers is None:
        site, pages, targets = 0, 1, (2 if len(header) > 2 else None)
    else:
        site = _find(positions, headers.site)
        pages = _find(positions, headers.linking_pages)
        targets = _find(positions, headers.target_pages)
    if site is None or pages is None:
        raise ExportFormatError("line 1: no 'Site' and 'Linking pages' columns")

    def count(row: _Row, i: int) -> int:
        try:
            return _parse_count(row[i])
        except ValueError as exc:
            raise _CellError(header[i], str(exc)) from None

    def convert(row: _Row) -> LinkingSite:
        name = row[site].strip()
        if not name or any(c.isspace() for c in name):
            raise _CellError(header[site], f"{row[site]!r} is not a site name")
        target_pages = None if targets is None else count(row, targets)
        return LinkingSite(name, count(row, pages), target_pages)

    return _Plan(convert, len(header))


# -- detection -----------------------------------------------------------------------------------
def _search_console_kind(norm: Sequence[str]) -> tuple[ExportFormat, str] | None:
    for language, headers in SEARCH_CONSOLE_LANGUAGES.items():
        first = {normalize_header(n) for n in headers.linking_page}
        if norm[0] in first:
            return ExportFormat.SEARCH_CONSOLE_LINKS, language
        sites = {normalize_header(n) for n in headers.site}
        pages = {normalize_header(n) for n in headers.linking_pages}
        if norm[0] in sites and len(norm) > 1 and norm[1] in pages:
            return ExportFormat.SEARCH_CONSOLE_SITES, language
    return None


def _detect(header: Sequence[str], line: int) -> tuple[ExportFormat, str | None]:
    """The format (and Search Console UI language) a header row belongs to."""
    norm = [normalize_header(cell) for cell in header]
    names = set(norm)
    if "source_url" in {cell.strip().lower() for cell in header}:
        return ExportFormat.GENERIC, None
    if "sourceurl" in names and "toxicityscore" in names:
        return ExportFormat.SEMRUSH_AUDIT, None
    if "sourceurl" in names and any(n.startswith("flag") for n in names):
        return ExportFormat.MAJESTIC, None
    if "referringpageurl" in names:
        return ExportFormat.AHREFS, None
    if "sourceurl" in names and "targeturl" in names:
        return ExportFormat.SEMRUSH, None
    search_console = _search_console_kind(norm)
    if search_console is not None:
        return search_console
    for first, what in NOT_BACKLINK_EXPORTS.items():
        if norm[0] == normalize_header(first):
            raise ExportFormatError(f"line {line}: this is {what}: it cannot be read as backlinks")
    shown = ", ".join(repr(cell) for cell in header[:8])
    raise ExportFormatError(
        f"line {line}: unknown export format (header {shown}); name it with format=, one of "
        f"{', '.join(f.value for f in ExportFormat)}"
    )


def _coerce_format(value: ExportFormat | str) -> ExportFormat | None:
    if isinstance(value, ExportFormat):
        return value
    if value == "auto":
        return None
    try:
        return ExportFormat(value)
    except ValueError:
        choices = ", ".join(["auto", *(f.value for f in ExportFormat)])
        raise ExportFormatError(f"unknown format {value!r}; one of {choices}") from None


# -- the row loop --------------------------------------------------------------------------------
def _single_line_rows(
    source: _Source, delimiter: str, base: int
) -> Iterator[tuple[int, _Row | None, str | None]]:
    """(line, cells, None) per physical line, each line parsed as a CSV row of its own."""
    # Majestic writes some rows with unbalanced quotes; one line per row confines the damage.
    line = base
    try:
        for physical in source.text:
            line += 1
            yield line, next(csv.reader((physical,), delimiter=delimiter)), None
    except UnicodeDecodeError as exc:
        raise source.decode_error(exc, line + 1) from exc


def _csv_rows(
    source: _Source, delimiter: str, base: int
) -> Iterator[tuple[int, _Row | None, str | None]]:
    """(first physical line, cells, problem) per CSV record; cells None when the CSV is bad."""
    reader = csv.reader(source.text, delimiter=delimiter)
    previous = 0
    while True:
        try:
            for cells in reader:
                yield base + previous + 1, cells, None
                previous = reader.line_num
        except csv.Error as exc:
            yield base + previous + 1, None, f"not valid CSV: {exc}"
            previous = reader.line_num
            continue
        except UnicodeDecodeError as exc:
            raise source.decode_error(exc, base + previous + 1) from exc
        return


def _run(
    reader: ExportReader[_T],
    plan: _Plan[_T],
    source: _Source,
    base: int,
    *,
    collect: bool,
) -> Iterator[_T]:
    """Convert every row; rows that fail go to `_reject` (raised, or collected)."""
    convert, columns = plan.convert, plan.columns
    rows = (_single_line_rows if plan.single_line else _csv_rows)(source, reader.delimiter, base)
    for line, cells, csv_problem in rows:
        # The usual row first: the right number of cells, converted without a fuss.
        if cells is not None and len(cells) == columns and (columns > 1 or cells[0].strip()):
            try:
                record = convert(cells)
            except _CellError as exc:
                _reject(reader, line, exc.column, exc.reason, cells[:columns], collect=collect)
            else:
                reader._accepted += 1  # noqa: SLF001 - the reader's own loop
                yield record
            continue
        if cells is None:
            _reject(reader, line, None, csv_problem or "not valid CSV", [], collect=collect)
        elif not cells or (len(cells) == 1 and not cells[0].strip()):
            reader.blank_lines += 1
        else:
            problem = f"{len(cells)} cells where the header has {columns}"
            _reject(reader, line, None, problem, cells, collect=collect)


def _reject(
    reader: ExportReader[Any],
    line: int,
    column: str | None,
    reason: str,
    cells: Sequence[str],
    *,
    collect: bool,
) -> None:
    rejected = RejectedRow(line, column, reason, tuple(cells))
    if not collect:
        raise ExportFormatError(rejected.message)
    reader.rejected.append(rejected)


def _check_errors(errors: str) -> bool:
    if errors not in ("raise", "collect"):
        raise ExportFormatError(f"errors must be 'raise' or 'collect', not {errors!r}")
    return errors == "collect"


def _start(stream: IO[bytes] | IO[str]) -> tuple[_Source, list[str], str, int, bool]:
    """Open the stream and read the header: source, cells, delimiter, line, BOM seen."""
    source = _open_text(stream)
    header, delimiter, line, text_bom = _read_header(source)
    return source, header, delimiter, line, source.bom or text_bom


# -- public functions ----------------------------------------------------------------------------
def read_backlinks(
    stream: IO[bytes] | IO[str],
    *,
    format: ExportFormat | str = "auto",  # noqa: A002 - the public name of the thing
    errors: ErrorMode = "raise",
) -> ExportReader[Backlink]:
    r"""Read a backlink export as `Backlink` records, lazily, detecting what it is.

    The encoding (UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM), the delimiter
    (comma, tab, semicolon, or an Excel `sep=` line) and the format (from the header row) are
    found from the data. The header is read at once, so an unknown format raises here; rows are
    read as the result is iterated.

    Args:
        stream: a binary stream (decoded here) or a text stream (opened with `newline=""`).
        format: an `ExportFormat` or its value, or "auto" to detect it from the header.
        errors: "raise" raises at the first bad row; "collect" keeps going and lists the bad
            rows in the reader's `rejected` (rows = accepted + rejected).

    Returns:
        An `ExportReader` yielding `Backlink` values, with the format, encoding and rejections.

    Raises:
        ExportFormatError: the format is unknown or not a list of links (Search Console's
            "Top linking sites": use `read_linking_sites`), the bytes do not decode, or (with
            errors="raise") a row is bad; the message names the line and the column.

    >>> import io
    >>> data = "source_url,anchor,nofollow\nhttps://blog.test/post,Example,false\n"
    >>> [(b.source_url, b.anchor, b.nofollow) for b in read_backlinks(io.StringIO(data))]
    [('https://blog.test/post', 'Example', False)]
    """
    collect = _check_errors(errors)
    wanted = _coerce_format(format)
    source, header, delimiter, line, bom = _start(stream)
    if wanted is None:
        fmt, language = _detect(header, line)
    else:
        fmt, language = wanted, None
        if fmt in (ExportFormat.SEARCH_CONSOLE_LINKS, ExportFormat.SEARCH_CONSOLE_SITES):
            found = _search_console_kind([normalize_header(c) for c in header])
            language = found[1] if found is not None and found[0] is fmt else None
    if fmt is ExportFormat.SEARCH_CONSOLE_SITES:
        raise ExportFormatError(
            f"line {line}: this is Search Console's 'Top linking sites' export: sites with "
            "counts, not links; read it with read_linking_sites()"
        )
    plan: _Plan[Backlink]
    if fmt is ExportFormat.GENERIC:
        plan = _generic_plan(header)
    elif fmt is ExportFormat.SEARCH_CONSOLE_LINKS:
        plan = _search_console_links_plan(header, language)
    else:
        plan = _tool_plan(fmt, header)
    reader: ExportReader[Backlink] = ExportReader(
        format=fmt, encoding=source.encoding, bom=bom, delimiter=delimiter, header=tuple(header)
    )
    reader._gen = _run(reader, plan, source, line, collect=collect)  # noqa: SLF001
    return reader


def read_linking_sites(
    stream: IO[bytes] | IO[str], *, errors: ErrorMode = "raise"
) -> ExportReader[LinkingSite]:
    r"""Read Search Console's "Top linking sites" export as `LinkingSite` values.

    Counts may carry thousands separators (`"1,240"`). Headers are recognised in the languages
    of the header table; in another language the columns are taken in Search Console's order
    (site, linking pages, target pages).

    Args:
        stream: a binary or text stream, as for `read_backlinks`.
        errors: "raise" or "collect", as for `read_backlinks`.

    Returns:
        An `ExportReader` yielding `LinkingSite` values.

    Raises:
        ExportFormatError: the export is another format, or (errors="raise") a row is bad.

    >>> import io
    >>> data = 'Site,Linking pages,Target pages\nblog.test,"1,240",12\n'
    >>> list(read_linking_sites(io.StringIO(data)))
    [LinkingSite(site='blog.test', linking_pages=1240, target_pages=12)]
    """
    collect = _check_errors(errors)
    source, header, delimiter, line, bom = _start(stream)
    found = _search_console_kind([normalize_header(c) for c in header])
    if found is not None and found[0] is ExportFormat.SEARCH_CONSOLE_SITES:
        language: str | None = found[1]
    else:
        try:
            other, _ = _detect(header, line)
        except ExportFormatError:
            other = None
        if other is not None or len(header) not in (2, 3):
            _refuse_sites(header, line)
        language = None
    plan = _linking_sites_plan(header, language)
    reader: ExportReader[LinkingSite] = ExportReader(
        format=ExportFormat.SEARCH_CONSOLE_SITES,
        encoding=source.encoding,
        bom=bom,
        delimiter=delimiter,
        header=tuple(header),
    )
    reader._gen = _run(reader, plan, source, line, collect=collect)  # noqa: SLF001
    return reader


def _refuse_sites(header: Sequence[str], line: int) -> NoReturn:
    shown = ", ".join(repr(cell) for cell in header[:8])
    raise ExportFormatError(
        f"line {line}: not a Search Console 'Top linking sites' export (header {shown})"
    )


# -- writing the generic layout ------------------------------------------------------------------
def _escape(value: str | None) -> str:
    """None is an empty cell; a value of only backslashes (the empty string too) gains one."""
    if value is None:
        return ""
    if not value.strip("\\"):
        return value + "\\"
    return value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def write_backlinks(records: Iterable[Backlink], stream: IO[str] | IO[bytes]) -> int:
    r"""Write backlinks in the generic layout, with a header, so `read_backlinks` reads them back.

    Text cells keep None and "" apart: None is an empty cell, a value made only of backslashes
    (the empty string included) is written with one more backslash. `extra` is one JSON object.

    Args:
        records: the backlinks to write.
        stream: a text stream (opened with `newline=""`) or a binary one (UTF-8 is written).

    Returns:
        How many records were written.

    Raises:
        ExportFormatError: a record's `source_url` is not an absolute http(s) URL (it would not
            read back), or its text holds a NUL character.

    >>> import io
    >>> out = io.StringIO()
    >>> write_backlinks([Backlink("https://blog.test/", anchor="")], out)
    1
    >>> out.getvalue().splitlines()[1]
    'https://blog.test/,,\\,,,,,,,,,,'
    """
    binary = isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(
        stream, "mode", ""
    )
    text: IO[str] = (
        io.TextIOWrapper(cast("IO[bytes]", stream), encoding="utf-8", newline="")
        if binary
        else cast("IO[str]", stream)
    )
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(GENERIC_COLUMNS)
    count = 0
    try:
        for count, record in enumerate(records, start=1):
            reason = _check_source_url(record.source_url)
            if reason is not None:
                raise ExportFormatError(f"record {count}: source_url cannot be written: {reason}")
            row = (
                record.source_url,
                _escape(record.target_url),
                _escape(record.anchor),
                _flag(record.nofollow),
                _flag(record.sponsored),
                _flag(record.ugc),
                "" if record.kind is None else record.kind.value,
                _day(record.first_seen),
                _day(record.last_seen),
                _day(record.lost),
                _escape(record.source_ip),
                "" if record.section is None else record.section.value,
                json.dumps(dict(record.extra), ensure_ascii=False, sort_keys=True)
                if record.extra
                else "",
            )
            if any("\x00" in cell for cell in row):
                raise ExportFormatError(f"record {count}: a NUL character cannot be written")
            writer.writerow(row)
    finally:
        if binary:
            text.flush()
            text.detach()  # type: ignore[attr-defined]
    return count
