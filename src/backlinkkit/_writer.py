"""`write_backlinks`: records in backlinkkit's generic layout, which reads back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from collections.abc import Iterable
from typing import IO, cast

from ._backlink import Backlink
from ._cells import check_source_url
from ._errors import ExportFormatError
from ._export_headers import GENERIC_COLUMNS
from ._links import LinkKind, Section

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
    'https://blog.test/,,\\,,,,,,,,,,,,,,,,,,,,,,,,'
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
            reason = check_source_url(record.source_url)
            if reason is not None:
                raise ExportFormatError(f"record {count}: source_url cannot be written: {reason}")
            row = [_cell(name, getattr(record, name)) for name in GENERIC_COLUMNS[:-1]]
            row.append(
                json.dumps(dict(record.extra), ensure_ascii=False, sort_keys=True)
                if record.extra
                else ""
            )
            if any("\x00" in cell for cell in row):
                raise ExportFormatError(f"record {count}: a NUL character cannot be written")
            writer.writerow(row)
    finally:
        if binary:
            text.flush()
            text.detach()  # type: ignore[attr-defined]
    return count
