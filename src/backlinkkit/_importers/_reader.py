"""Reading backlink exports (Search Console, Ahrefs, Semrush, Majestic, generic) into records.

One pass over the stream: the encoding is sniffed from the first bytes, the delimiter and the
format from the header row; then each row goes through a converter built once for that header
(`_plans`), or, when a `LinkProfile` reads the export, is counted straight from its cells
(`ExportReader` hands it the rows in batches, and converts only rows with something new).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, Generic, Literal, NoReturn, TypeVar

import attrs

from .._backlink import Backlink
from .._errors import ArgumentTypeError, ExportFormatError, SettingsError
from .._profile._aggregate import REJECTED, RowLayout, RowPart
from . import _cells as cells
from ._plans import Part, Plan, backlink_plan
from ._tool_headers import (
    NOT_BACKLINK_EXPORTS,
    SEARCH_CONSOLE_LANGUAGES,
    ExportFormat,
    normalize_header,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "ExportReader",
    "LinkingSite",
    "RejectedRow",
    "read_backlinks",
    "read_linking_sites",
]

_T = TypeVar("_T")
_Row = cells.Row
ErrorMode = Literal["raise", "collect"]

# Bytes read to sniff the encoding: enough for a header row and a few data rows.
_SNIFF_BYTES: Final = 4096
# Rows handed to a profile at a time: large enough to amortize, small enough to stay in cache.
_BATCH_ROWS: Final = 4096


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
        "_collect",
        "_gen",
        "_plan",
        "_rows",
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
        self._collect = False
        self._plan: Plan[_T] | None = None
        self._rows: _Rows = _Rows.empty()
        self._gen: Iterator[_T] = iter(())

    def _start(
        self,
        plan: Plan[_T],
        rows: _Rows,
        *,
        collect: bool,
        ahead: Sequence[tuple[int, _Row | None, str | None]] = (),
    ) -> None:
        self._plan, self._rows, self._collect = plan, rows, collect
        self._gen = self._records(plan, ahead)

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

    # -- the row loops ---------------------------------------------------------------------------

    def _records(
        self, plan: Plan[_T], ahead: Sequence[tuple[int, _Row | None, str | None]]
    ) -> Iterator[_T]:
        """Convert every row (those read ahead first); rows that fail are rejected."""
        convert, columns = plan.convert, plan.columns
        records = itertools.chain(ahead, self._rows) if ahead else self._rows
        for line, row, problem in records:
            # The usual row first: the right number of cells, converted without a fuss.
            if row is not None and len(row) == columns and (columns > 1 or row[0].strip()):
                try:
                    record = convert(row)
                except cells.CellError as exc:
                    self._reject(line, exc.column, exc.reason, row[:columns])
                    continue
                self._accepted += 1
                yield record
            else:
                self._odd_row(line, row, problem, columns)

    def _odd_row(self, line: int, row: _Row | None, problem: str | None, columns: int) -> None:
        """A row that is blank, not valid CSV or of the wrong width."""
        if row is None:
            self._reject(line, None, problem or "not valid CSV", [])
        elif not row or (len(row) == 1 and not row[0].strip()):
            self.blank_lines += 1
        else:
            self._reject(line, None, f"{len(row)} cells where the header has {columns}", row)

    def _reject(self, line: int, column: str | None, reason: str, row: Sequence[str]) -> None:
        rejected = RejectedRow(line, column, reason, tuple(row))
        if not self._collect:
            raise ExportFormatError(rejected.message)
        self.rejected.append(rejected)

    def _row_batches(self) -> Iterator[tuple[list[_Row], Sequence[int]]]:
        """The rows of the right width, in batches with their line numbers, for a profile.

        Rows are handed over in file order, so rejections (by the consumer, through `_checked`,
        or here for rows of the wrong width and bad CSV) come in file order too, and with
        errors="raise" the first bad row raises. What the consumer rejects is counted when it
        asks for the next batch, so `rows == accepted + len(rejected)` holds once it is done.
        """
        columns = self._plan.columns if self._plan is not None else 0
        source = self._rows
        while True:
            rows, lines, problems = source.batch(_BATCH_ROWS)
            if not rows and not problems:
                return
            if not problems and columns > 1 and set(map(len, rows)) == {columns}:
                parts: Iterator[tuple[list[_Row], Sequence[int]]] = iter(((rows, lines),))
            else:
                parts = self._usual_runs(rows, lines, problems, columns)
            for run, run_lines in parts:
                before = len(self.rejected)
                yield run, run_lines
                self._accepted += len(run) - (len(self.rejected) - before)

    def _usual_runs(
        self,
        rows: list[_Row],
        lines: Sequence[int],
        problems: list[tuple[int, str]],
        columns: int,
    ) -> Iterator[tuple[list[_Row], list[int]]]:
        """The runs of usual rows between odd ones (rejected or counted blank, in order)."""
        pending = sorted(problems, reverse=True)
        run: list[_Row] = []
        run_lines: list[int] = []
        for row, line in zip(rows, lines, strict=True):
            usual = len(row) == columns and (columns > 1 or row[0].strip())
            while pending and pending[-1][0] < line:
                yield run, run_lines
                run, run_lines = [], []
                bad_line, problem = pending.pop()
                self._odd_row(bad_line, None, problem, columns)
            if usual:
                run.append(row)
                run_lines.append(line)
                continue
            yield run, run_lines
            run, run_lines = [], []
            self._odd_row(line, row, None, columns)
        yield run, run_lines
        for bad_line, problem in reversed(pending):
            self._odd_row(bad_line, None, problem, columns)

    def _checked(self, get: Callable[[_Row], Any]) -> Callable[[_Row, int], Any]:
        """`get`, turning a bad cell into a rejection of the row (and `REJECTED`)."""
        columns = self._plan.columns if self._plan is not None else 0

        def value(row: _Row, line: int) -> Any:  # noqa: ANN401 - whatever `get` gives
            try:
                return get(row)
            except cells.CellError as exc:
                self._reject(line, exc.column, exc.reason, row[:columns])
                return REJECTED

        return value

    def _row_layout(self) -> RowLayout | None:
        """How a profile counts this export's rows from their cells; None if it cannot."""
        layout = None if self._plan is None else self._plan.layout
        if layout is None:
            return None

        def part(of: Part) -> RowPart:
            return RowPart(cells.picker(of.columns), self._checked(of.value))

        source = self._checked(layout.source.value)
        return RowLayout(
            source=layout.source.columns[0],
            check_source=lambda row, line: source(row, line) is not REJECTED,
            anchor=part(layout.anchor),
            facet=part(layout.facet),
            ip=part(layout.ip),
            target=part(layout.target),
            first_seen=part(layout.first_seen),
            last_seen=part(layout.last_seen),
            lost=part(layout.lost),
            metrics=None if layout.metrics is None else part(layout.metrics),
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
            if data is None:
                raise _would_block(self._rest)
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
        # UTF-16 without a BOM: ASCII-range text (delimiters, line ends, URLs, digits) puts a
        # NUL in the high byte of most code units, so one of the alternating positions is
        # mostly NUL and the other almost never. A NUL or two in UTF-8 text is no such pattern.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        units = len(head) // 2
        if odd * _UTF16_SHARE >= units and even * _UTF16_SHARE < odd:
            return "utf-16-le", 0
        if even * _UTF16_SHARE >= units and odd * _UTF16_SHARE < even:
            return "utf-16-be", 0
        if (even + odd) * _UTF16_SHARE >= units:
            # NULs everywhere, in no pattern: binary data, not text in any encoding.
            raise ExportFormatError("line 1: NUL bytes that are not UTF-16: not a text export")
    return "utf-8", 0


# UTF-16 is taken when at least 1 code unit in this many has a NUL high byte, and the other
# byte position holds this many times fewer NULs.
_UTF16_SHARE: Final = 4


def _read_head(stream: IO[bytes]) -> bytes:
    """The first `_SNIFF_BYTES` bytes (fewer at the end): reads until it has them."""
    parts: list[bytes] = []
    size = 0
    while size < _SNIFF_BYTES:
        part = stream.read(_SNIFF_BYTES - size)
        if part is None:
            raise _would_block(stream)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _would_block(stream: object) -> ArgumentTypeError:
    return ArgumentTypeError(
        f"the export must be read from a blocking stream: {type(stream).__name__} is "
        "non-blocking and has no data ready"
    )


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
    _check_stream(stream)
    if isinstance(stream.read(0), str):
        return _Source(stream)  # type: ignore[arg-type]
    binary: IO[bytes] = stream  # type: ignore[assignment]
    head = _read_head(binary)
    encoding, skip = _sniff_encoding(head)
    raw = _Prefixed(head[skip:], binary, skipped=skip)
    # No BufferedReader: TextIOWrapper reads blocks itself, and `consumed` stays exact.
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")  # type: ignore[type-var]
    return _Source(text, encoding, skip > 0 or encoding == "utf-8-sig", raw)


def _check_stream(stream: object) -> None:
    """Refuse what is not a readable stream (a path, the bytes themselves), saying what to pass."""
    if isinstance(stream, (str, bytes, bytearray, memoryview, os.PathLike)):
        wrap = "io.StringIO(text)" if isinstance(stream, str) else "io.BytesIO(data)"
        raise ArgumentTypeError(
            f"an export is read from an open stream (open(path, 'rb'), or {wrap} for data in "
            f"memory), not a {type(stream).__name__} {stream!r:.80}"
        )
    if not callable(getattr(stream, "read", None)) or not callable(
        getattr(stream, "readline", None)
    ):
        raise ArgumentTypeError(
            f"an export is read from a binary or text stream, not a {type(stream).__name__}"
        )


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
        if not line.strip():
            continue
        # Excel's hint line, `sep=;` (or `sep=,`, or `sep=` and a tab), names the delimiter;
        # only the line end is cut, as the delimiter may be a tab.
        hint = line.rstrip("\r\n").lstrip(" ")
        if delimiter is None and len(hint) == 5 and hint[:4].lower() == "sep=":
            delimiter = hint[4]
            continue
        break
    delimiter = delimiter or _sniff_delimiter(line)
    cells, problem = _split_line(line, delimiter)
    if cells is None:
        raise ExportFormatError(f"line {line_no}: the header row is {problem}")
    return cells, delimiter, line_no, bom


# -- plans -------------------------------------------------------------------------------------
def _linking_sites_plan(header: Sequence[str], language: str | None) -> Plan[LinkingSite]:
    positions = {normalize_header(cell): i for i, cell in reversed(list(enumerate(header)))}
    headers = SEARCH_CONSOLE_LANGUAGES.get(language or "")
    site: int | None
    pages: int | None
    targets: int | None

    def find(names: Sequence[str]) -> int | None:
        return next((positions[n] for n in map(normalize_header, names) if n in positions), None)

    if headers is None:
        site, pages, targets = 0, 1, (2 if len(header) > 2 else None)
    else:
        site = find(headers.site)
        pages = find(headers.linking_pages)
        targets = find(headers.target_pages)
    if site is None or pages is None:
        raise ExportFormatError("line 1: no 'Site' and 'Linking pages' columns")

    def count(row: _Row, i: int) -> int:
        try:
            return cells.parse_count(row[i])
        except ValueError as exc:
            raise cells.CellError(header[i], str(exc)) from None

    def convert(row: _Row) -> LinkingSite:
        name = row[site].strip()
        # A site is a host name: a URL (with "/") or words are no site.
        if not name or any(c.isspace() or c == "/" for c in name):
            raise cells.CellError(header[site], f"{row[site]!r} is not a site name")
        target_pages = None if targets is None else count(row, targets)
        return LinkingSite(name, count(row, pages), target_pages)

    return Plan(convert, len(header))


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
class _LineFeed:
    """The text's lines for the csv module, with a line read ahead put back first.

    While `taken` is a list, the lines handed out are kept in it: a record the csv module
    gives up on (a field over its size limit) is parsed again from them.
    """

    __slots__ = ("pending", "taken", "text")

    def __init__(self, text: Iterator[str]) -> None:
        self.text = text
        self.pending: str | None = None
        self.taken: list[str] | None = None

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line, self.pending = self.pending, None
        if line is None:
            line = next(self.text)
        if self.taken is not None:
            self.taken.append(line)
        return line


# The csv module's message for a field over `csv.field_size_limit()` (131,072 by default).
_FIELD_LIMIT_MESSAGE: Final = "field larger than field limit"


def _split_record(lines: Iterator[str], delimiter: str) -> tuple[list[str], int, str | None]:
    """One CSV record as `csv.reader` reads it (excel dialect), with no limit on a field's size.

    The csv module's limit is process-wide (`csv.field_size_limit`): raising it would change
    every other reader in the program, so a record it refuses for size is parsed here instead.
    Returns the cells, how many lines the record took, and a problem (or None): the same as
    the csv module for the same lines, quotes doubled inside quoted cells, a quote within an
    unquoted cell kept as it is, a quoted cell left open at the end of the text ending there.
    """
    cells_: list[str] = []
    field: list[str] = []
    quoted = False  # inside a quoted cell
    at_start = True  # at the first character of a cell (only there does a quote open one)
    used = 0
    for line in lines:
        used += 1
        pos, size = 0, len(line)
        # Where the unquoted text of this line ends (its first CR or LF at or after `pos`),
        # found again only once `pos` passes it: one scan per line, not one per cell.
        stop = -1
        while True:
            if quoted:
                # A quoted run (doubled quotes included) in one C-level match, not one step
                # per quote: it ends at the closing quote or the end of the line.
                end = _QUOTED_RUN.match(line, pos).end()  # type: ignore[union-attr]
                field.append(line[pos:end].replace('""', '"'))
                if end == size:
                    break  # the line end belongs to the cell
                quoted, pos = False, end + 1
                continue
            if at_start and line.startswith('"', pos):
                quoted, at_start, pos = True, False, pos + 1
                continue
            if stop < pos:
                found = _LINE_END.search(line, pos)
                stop = size if found is None else found.start()
            comma = line.find(delimiter, pos, stop)
            if comma >= 0:
                field.append(line[pos:comma])
                cells_.append("".join(field))
                field, at_start, pos = [], True, comma + 1
                continue
            field.append(line[pos:stop])
            cells_.append("".join(field))
            if line[stop:].strip("\r\n"):
                return cells_, used, "not valid CSV: new-line character seen in unquoted field"
            return cells_, used, None
    # The text ended inside a quoted cell: the csv module (not strict) ends the cell there.
    cells_.append("".join(field))
    return cells_, used, None


# A quoted cell's text up to its closing quote: anything but a quote, or a doubled quote.
_QUOTED_RUN: Final = re.compile(r'[^"]*(?:""[^"]*)*')
_LINE_END: Final = re.compile(r"[\r\n]")


def _split_line(line: str, delimiter: str) -> tuple[list[str] | None, str | None]:
    """One line as one CSV record (quotes never run on to the next line); or a problem."""
    try:
        return next(csv.reader((line,), delimiter=delimiter)), None
    except csv.Error as exc:
        if _FIELD_LIMIT_MESSAGE not in str(exc):
            return None, f"not valid CSV: {exc}"
    row, _, problem = _split_record(iter((line,)), delimiter)
    return (None, problem) if problem else (row, None)


class _Rows:
    """The records of the text after the header, one at a time or in batches, with their lines.

    Iterating gives (first physical line, cells, problem) per record, cells None when the CSV is
    bad there. A line without a quote is split on the delimiter, which is what the csv module
    would make of it, at a fraction of the cost; a line with a quote goes to the csv module,
    which reads on while a quoted cell spans lines (or, `single_line`, parses the line alone:
    Majestic writes rows with unbalanced quotes, and this confines the damage to one row).
    """

    def __init__(self, source: _Source, delimiter: str, base: int, *, single_line: bool) -> None:
        self._source = source
        self._text: Iterator[str] = iter(source.text)
        self._feed = _LineFeed(self._text)
        self._csv = csv.reader(self._feed, delimiter=delimiter)
        self._delimiter = delimiter
        self._single_line = single_line
        self._line = base  # the last physical line read

    @classmethod
    def empty(cls) -> _Rows:
        """A source of no rows (a reader not yet started)."""
        return cls(_Source(io.StringIO()), ",", 0, single_line=False)

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> tuple[int, _Row | None, str | None]:
        try:
            text_line = next(self._text)
        except UnicodeDecodeError as exc:
            raise self._source.decode_error(exc, self._line + 1) from exc
        self._line += 1
        if '"' not in text_line:
            return self._line, text_line.rstrip("\r\n").split(self._delimiter), None
        start = self._line
        row, problem = self._quoted(text_line)
        return start, row, problem

    def _quoted(self, text_line: str) -> tuple[_Row | None, str | None]:
        """Parse a record whose first line (already counted) holds a quote."""
        if self._single_line:
            return _split_line(text_line, self._delimiter)
        feed = self._feed
        feed.pending, feed.taken = text_line, []
        before = self._csv.line_num
        more = 0  # lines read past the csv module's, re-parsing a record too large for it
        try:
            row: _Row | None = next(self._csv)
            problem = None
        except csv.Error as exc:
            row, problem = None, f"not valid CSV: {exc}"
            if _FIELD_LIMIT_MESSAGE in str(exc):
                taken, feed.taken = feed.taken or [], None
                row, used, problem = _split_record(itertools.chain(taken, feed), self._delimiter)
                more = used - len(taken)
                if problem is not None:
                    row = None
        except UnicodeDecodeError as exc:
            raise self._source.decode_error(exc, self._line + 1) from exc
        finally:
            feed.taken = None
        self._line += self._csv.line_num - before - 1 + more  # the lines the cell went on over
        return row, problem

    def batch(self, size: int) -> tuple[list[_Row], list[int], list[tuple[int, str]]]:
        """Up to `size` records: (cells of each, the line each starts on, bad CSV by line)."""
        rows: list[_Row] = []
        lines: list[int] = []
        problems: list[tuple[int, str]] = []
        add_row, add_line = rows.append, lines.append
        delimiter = self._delimiter
        line = self._line
        try:
            for text_line in self._text:
                line += 1
                if '"' not in text_line:
                    add_row(text_line.rstrip("\r\n").split(delimiter))
                    add_line(line)
                else:
                    self._line = start = line
                    row, problem = self._quoted(text_line)
                    line = self._line
                    if row is None:
                        problems.append((start, problem or "not valid CSV"))
                        continue
                    add_row(row)
                    add_line(start)
                if len(rows) >= size:
                    break
        except UnicodeDecodeError as exc:
            raise self._source.decode_error(exc, line + 1) from exc
        self._line = line
        return rows, lines, problems


def _rows(plan: Plan[Any], source: _Source, delimiter: str, base: int) -> _Rows:
    return _Rows(source, delimiter, base, single_line=plan.single_line)


def _check_errors(errors: str) -> bool:
    if errors not in ("raise", "collect"):
        raise SettingsError(f"errors must be 'raise' or 'collect', not {errors!r}")
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
        SettingsError: `errors` is neither "raise" nor "collect".

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
    plan = backlink_plan(fmt, header, language)
    reader: ExportReader[Backlink] = ExportReader(
        format=fmt, encoding=source.encoding, bom=bom, delimiter=delimiter, header=tuple(header)
    )
    reader._start(plan, _rows(plan, source, delimiter, line), collect=collect)  # noqa: SLF001
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
        SettingsError: `errors` is neither "raise" nor "collect".

    >>> import io
    >>> data = 'Site,Linking pages,Target pages\nblog.test,"1,240",12\n'
    >>> list(read_linking_sites(io.StringIO(data)))
    [LinkingSite(site='blog.test', linking_pages=1240, target_pages=12)]
    """
    collect = _check_errors(errors)
    source, header, delimiter, line, bom = _start(stream)
    found = _search_console_kind([normalize_header(c) for c in header])
    ahead: list[tuple[int, _Row | None, str | None]] = []
    if found is not None and found[0] is ExportFormat.SEARCH_CONSOLE_SITES:
        language: str | None = found[1]
        plan = _linking_sites_plan(header, language)
        rows = _rows(plan, source, delimiter, line)
    else:
        _refuse_other_format(header, line)
        if len(header) not in (2, 3):
            _refuse_sites(header, line, "")
        # A header in an unlisted language is read by position, once its first row shows a
        # site and a count: anything else with two or three columns is refused here.
        language = None
        plan = _linking_sites_plan(header, language)
        rows = _rows(plan, source, delimiter, line)
        ahead = _first_rows(rows)
        first = ahead[-1][1] if ahead else None
        if ahead and not _is_site_row(first):
            shown = ", ".join(repr(cell[:40]) for cell in (first or [])[:3])
            _refuse_sites(header, line, f"; its first row ({shown}) is not a site and a count")
    reader: ExportReader[LinkingSite] = ExportReader(
        format=ExportFormat.SEARCH_CONSOLE_SITES,
        encoding=source.encoding,
        bom=bom,
        delimiter=delimiter,
        header=tuple(header),
    )
    reader._start(plan, rows, collect=collect, ahead=ahead)  # noqa: SLF001
    return reader


def _refuse_other_format(header: Sequence[str], line: int) -> None:
    """Refuse a header the format detector knows as another export, with its reason."""
    try:
        other, _ = _detect(header, line)
    except ExportFormatError as exc:
        norm = normalize_header(header[0]) if header else ""
        for first, what in NOT_BACKLINK_EXPORTS.items():
            if norm == normalize_header(first):
                raise ExportFormatError(
                    f"line {line}: this is {what}: it cannot be read as linking sites"
                ) from exc
        return
    _refuse_sites(
        header,
        line,
        f"; it is an export of backlinks ({other.value}): read it with read_backlinks()",
    )


def _first_rows(rows: _Rows) -> list[tuple[int, _Row | None, str | None]]:
    """The records up to and including the first that is not blank (all of them if none is)."""
    ahead = []
    for record in rows:
        ahead.append(record)
        row = record[1]
        if row is None or (row and (len(row) > 1 or row[0].strip())):
            return ahead
    return []


def _is_site_row(row: _Row | None) -> bool:
    """The row starts with a host-like site name and a count, as "Top linking sites" rows do."""
    if row is None or len(row) < 2:
        return False
    site = row[0].strip()
    if "." not in site or any(c.isspace() or c in "/:@" for c in site):
        return False
    try:
        cells.parse_count(row[1])
    except ValueError:
        return False
    return True


def _refuse_sites(header: Sequence[str], line: int, why: str) -> NoReturn:
    shown = ", ".join(repr(cell[:40]) for cell in header[:8])
    raise ExportFormatError(
        f"line {line}: not a Search Console 'Top linking sites' export (header {shown}){why}"
    )
