"""`write_backlinks`: records in backlinkkit's generic layout, which reads back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import os
from collections.abc import Callable, Iterable
from typing import IO

from .._backlink import Backlink
from .._errors import ArgumentTypeError, ExportFormatError
from .._web._links import LinkKind, Section
from ._cells import check_source_url
from ._tool_headers import GENERIC_COLUMNS

__all__ = ["write_backlinks"]


def _escape(value: str | None) -> str:
    """None is an empty cell; a value of only backslashes (the empty string too) gains one."""
    if value is None:
        return ""
    if not value.strip("\\"):
        return value + "\\"
    return value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _cell(name: str, value: object) -> str:
    """One field's value as the generic layout writes it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _escape(value) if name != "source_url" else value
    if isinstance(value, bool):
        return _flag(value)
    if isinstance(value, (LinkKind, Section)):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):  # toxic markers: a JSON list
        return json.dumps(list(value), ensure_ascii=False) if value else ""
    if isinstance(value, float):
        # The shortest text that reads back as the same float, never in exponent notation.
        return str(int(value)) if value.is_integer() else format(decimal.Decimal(repr(value)), "f")
    return str(value)


def write_backlinks(records: Iterable[Backlink], stream: IO[str] | IO[bytes]) -> int:
    r"""Write backlinks in the generic layout, with a header, so `read_backlinks` reads them back.

    Text cells keep None and "" apart: None is an empty cell, a value made only of backslashes
    (the empty string included) is written with one more backslash. `extra` is one JSON object.
    Each record is checked, and to a binary stream encoded, before any of it is written: when a
    record is refused, the header and every record before it have been written, and nothing of
    the refused one.

    Args:
        records: the backlinks to write.
        stream: a text stream (opened with `newline=""`) or a binary one (UTF-8 is written);
            an open stream, not a path.

    Returns:
        How many records were written.

    Raises:
        ExportFormatError: a record's `source_url` is not an absolute http(s) URL (it would not
            read back), its text holds a NUL character, or a lone surrogate that the stream's
            encoding cannot hold; the message names the record (1-based) and the field.
        ArgumentTypeError: `stream` is not a writable stream (a path, bytes), or is a
            non-blocking one that would block.

    >>> import io
    >>> out = io.StringIO()
    >>> write_backlinks([Backlink("https://blog.test/", anchor="")], out)
    1
    >>> out.getvalue().splitlines()[1]
    'https://blog.test/,,\\,,,,,,,,,,,,,,,,,,,,,,,,'
    """
    write, encoding = _sink(stream)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush_line(record: int, row: list[str] | tuple[str, ...]) -> None:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        text = buffer.getvalue()
        if encoding is not None and not text.isascii():
            try:
                text.encode(encoding)
            except UnicodeEncodeError as exc:
                field = _field_at(row, text, exc.start)
                raise ExportFormatError(
                    f"record {record}, field {field!r}: {exc.object[exc.start : exc.end]!r} "
                    f"cannot be written in {encoding} ({exc.reason}); nothing of this record "
                    "was written"
                ) from None
        write(text)

    flush_line(0, GENERIC_COLUMNS)
    count = 0
    for count, record in enumerate(records, start=1):
        reason = check_source_url(record.source_url)
        if reason is not None:
            raise ExportFormatError(f"record {count}: source_url cannot be written: {reason}")
        row = [_cell(name, getattr(record, name)) for name in GENERIC_COLUMNS[:-1]]
        row.append(
            json.dumps(dict(record.extra), ensure_ascii=False, sort_keys=True)
            if record.extra
            else ""
        )
        for name, cell in zip(GENERIC_COLUMNS, row, strict=True):
            if "\x00" in cell:
                raise ExportFormatError(
                    f"record {count}, field {name!r}: a NUL character cannot be written"
                )
        flush_line(count, row)
    return count


def _field_at(row: list[str] | tuple[str, ...], text: str, index: int) -> str:
    """The column of the CSV line `text` (of `row`) that holds character `index`."""
    # Quoting only adds characters, so the first cell holding the offending character is the
    # first whose own text cannot be encoded; search the cells rather than the line.
    bad = text[index]
    for name, cell in zip(GENERIC_COLUMNS, row, strict=False):
        if bad in cell:
            return name
    return GENERIC_COLUMNS[-1]


def _sink(stream: object) -> tuple[Callable[[str], object], str | None]:
    """A function writing text to `stream`, and the encoding that text must fit (None: any)."""
    if isinstance(stream, (str, bytes, bytearray, memoryview, os.PathLike)):
        raise ArgumentTypeError(
            f"write_backlinks writes to an open stream (open(path, 'w', newline='') or "
            f"open(path, 'wb')), not a {type(stream).__name__} {stream!r:.80}"
        )
    write = getattr(stream, "write", None)
    if not callable(write):
        raise ArgumentTypeError(
            f"write_backlinks writes to a text or binary stream, not a {type(stream).__name__}"
        )
    binary = isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(
        getattr(stream, "mode", "")
    )
    if not binary:
        encoding = getattr(stream, "encoding", None)
        errors = getattr(stream, "errors", "strict")
        # A stream that replaces or escapes what it cannot encode takes any text.
        checked = encoding if isinstance(encoding, str) and errors == "strict" else None
        return write, checked

    def write_bytes(text: str) -> None:
        data = memoryview(text.encode("utf-8"))
        while data:
            try:
                written = write(data)
            except BlockingIOError:
                written = None
            if written is None:
                raise ArgumentTypeError(
                    f"write_backlinks needs a blocking stream: {type(stream).__name__} is "
                    "non-blocking and would block"
                )
            data = data[written:]

    return write_bytes, "utf-8"
