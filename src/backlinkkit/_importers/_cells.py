"""Cells of backlink exports: the parsers for their values, and getters built once per column.

A getter reads one field from a row (a list of cells) and raises `CellError`, naming the column,
when the cell cannot be read. Getters look the usual spellings up in a table first and parse only
what they have not seen, so a million rows cost a dict look-up per cell.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from .._web._links import LinkKind, Section
from .._web._urls import HTTP_PREFIXES, hostname

__all__ = [
    "CellError",
    "Getter",
    "Row",
    "boolean",
    "check_source_url",
    "columns_dict",
    "count",
    "date",
    "enum_getter",
    "extra_json",
    "markers",
    "markers_json",
    "none",
    "parse_count",
    "parse_date",
    "parse_score",
    "picker",
    "score",
    "source_url",
    "stripped_or_none",
]

Row = list[str]
Getter = Callable[[Row], Any]
# Distinct values remembered per column and read; exports repeat a few thousand dates.
_VALUE_CACHE_SIZE: Final = 65536


class CellError(Exception):
    """A cell's value cannot be read: carries the column name and the reason."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(column, reason)
        self.column = column
        self.reason = reason


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


def parse_date(text: str, *, day_first: bool | None = None) -> dt.date | None:
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


# A count as tools write it: plain digits, or digits grouped by threes with one separator used
# throughout ("1,240", "1.240.000", "1 240"), optionally with a zero decimal part written with
# the other mark ("1,240.00", "1.240,0"). Anything else ("12.5", "1,2,3,4", "1.240,5") is refused.
_GROUPED_COUNT: Final = re.compile(
    r"(?P<lead>[0-9]{1,3})"
    r"(?P<groups>(?P<sep>[,. \u00a0\u202f'\u2019])[0-9]{3}(?:(?P=sep)[0-9]{3})*)?"
    r"(?:(?P<dec>[.,])0+)?"
)
_SCORE: Final = re.compile(r"[0-9]{1,3}(?:[.,][0-9]+)?")
_NO_VALUE: Final = frozenset({"", "-", "n/a", "na", "none", "null"})


def parse_count(text: str) -> int:
    """Parse a count written with or without thousands separators (`1,240`, `1.240`, `1 240`).

    A decimal part is allowed only when it is zero and written with the other mark
    (`1,240.00`); separators that do not group by threes, or a fraction, are refused.

    Raises:
        ValueError: the text is not a non-negative whole number.

    >>> parse_count("1,240"), parse_count("1.240.000"), parse_count("1,240.00"), parse_count("7")
    (1240, 1240000, 1240, 7)
    """
    digits = text.strip()
    if digits.isascii() and digits.isdigit():
        return int(digits)
    match = _GROUPED_COUNT.fullmatch(digits)
    if match is None or (match["dec"] is not None and match["dec"] == match["sep"]):
        raise ValueError(f"{text!r} is not a count")
    return int(match["lead"] + "".join(c for c in match["groups"] or "" if c.isdigit()))


def parse_score(text: str) -> float | None:
    """Parse a tool's score (toxicity, Domain Rating, Trust Flow...): a number from 0 to 100.

    A decimal comma reads as a decimal point (`12,5`); an empty cell, `-` or `n/a` is None.

    Raises:
        ValueError: the text is not a number from 0 to 100.

    >>> parse_score("12,5"), parse_score("41"), parse_score("n/a")
    (12.5, 41.0, None)
    """
    value = text.strip()
    if value.casefold() in _NO_VALUE:
        return None
    number = float(value.replace(",", ".")) if _SCORE.fullmatch(value) else -1.0
    if not 0.0 <= number <= 100.0:
        raise ValueError(f"{text!r} is not a score (a number from 0 to 100)")
    return number


def check_source_url(value: str) -> str | None:
    """None if `value` is usable as a source URL (http or https, with a host); else the reason."""
    if not value:
        return "no source URL"
    if not value[:8].lower().startswith(HTTP_PREFIXES):
        return f"{value[:80]!r} is not an absolute http(s) URL"
    if hostname(value) is None:
        return f"{value[:80]!r} is not a URL with a host"
    return None


# -- getters: one per field, built once per header -----------------------------------------------
def none(_row: Row) -> None:
    """The getter of a field the export does not have."""
    return


def source_url(i: int, name: str, *, strip: bool) -> Getter:
    """The source URL: an absolute http(s) URL with a host."""

    def get(row: Row) -> str:
        value = row[i].strip() if strip else row[i]
        reason = check_source_url(value)
        if reason is not None:
            raise CellError(name, reason)
        return value

    return get


def stripped_or_none(i: int) -> Getter:
    """A text cell, trimmed; empty is None."""

    def get(row: Row) -> str | None:
        return row[i].strip() or None

    return get


def boolean(i: int, name: str) -> Getter:
    """A boolean cell in any of the tools' spellings; empty is None."""
    fast = _BOOLEANS_FAST

    def get(row: Row) -> bool | None:
        value = fast.get(row[i], _MISSING)
        if value is _MISSING:
            value = _BOOLEANS.get(row[i].strip().casefold(), _MISSING)
            if value is _MISSING:
                raise CellError(name, f"{row[i]!r} is not a boolean (true/false, 1/0, yes/no)")
        return value  # type: ignore[return-value]

    return get


def _cached(i: int, name: str, parse: Callable[[str], Any]) -> Getter:
    """A getter parsing column `i` with `parse`, each distinct cell once (bounded)."""
    cache: dict[str, Any] = {}

    def get(row: Row) -> Any:  # noqa: ANN401 - whatever `parse` gives
        text = row[i]
        try:
            return cache[text]
        except KeyError:
            pass
        try:
            value = parse(text)
        except ValueError as exc:
            raise CellError(name, str(exc)) from None
        if len(cache) < _VALUE_CACHE_SIZE:
            cache[text] = value
        return value

    return get


def date(i: int, name: str, day_first: bool | None) -> Getter:
    """A date cell in the forms `parse_date` reads; empty is None."""
    return _cached(i, name, lambda text: parse_date(text, day_first=day_first))


def enum_getter(i: int, name: str, enum: type[LinkKind | Section]) -> Getter:
    """A cell holding an enum's value (`text`, `nav`), in any case; empty is None."""
    by_value = {member.value: member for member in enum}

    def parse(text: str) -> LinkKind | Section | None:
        if not text:
            return None
        member = by_value.get(text) or by_value.get(text.strip().casefold())
        if member is None:
            raise ValueError(f"{text!r} is not one of {', '.join(by_value)}")
        return member

    return _cached(i, name, parse)


def score(i: int, name: str) -> Getter:
    """A score column (0-100, decimal comma or point); empty is None."""
    return _cached(i, name, parse_score)


def _count_or_none(text: str) -> int | None:
    return None if not text.strip() else parse_count(text)


def count(i: int, name: str) -> Getter:
    """A count column (`1,240`); empty is None."""
    return _cached(i, name, _count_or_none)


_MARKER_SEPARATORS: Final = re.compile(r"[,;|\n]")


def _split_markers(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _MARKER_SEPARATORS.split(text) if part.strip())


def markers(i: int, name: str) -> Getter:
    """A list column as tools write it (`Link network; Spam`): the parts, in order."""
    return _cached(i, name, _split_markers)


def _json_list(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError("not a JSON list") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a JSON list of strings")
    return tuple(value)


def markers_json(i: int, name: str) -> Getter:
    """The generic layout's list column: a JSON list of strings; empty is no item."""
    return _cached(i, name, _json_list)


def extra_json(i: int, name: str) -> Getter:
    """The generic layout's `extra` column: a JSON object of strings; empty is none."""
    empty: Mapping[str, str] = {}

    def get(row: Row) -> Mapping[str, str]:
        text = row[i]
        if not text:
            return empty
        try:
            value = json.loads(text)
        except ValueError:
            raise CellError(name, "not a JSON object") from None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise CellError(name, "not a JSON object of strings")
        return value

    return get


def columns_dict(indexes: Sequence[int], names: Sequence[str]) -> Getter:
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


# The "cells" of a part an export has no column for: a C callable of one argument that always
# gives the same value (0: how often the row is in an empty tuple), cheaper than a Python one.
_NO_CELLS: Final = ().count


def picker(indexes: Sequence[int]) -> Callable[[Row], Any]:
    """The cells at `indexes` as one hashable value (a tuple, a lone cell, or a constant)."""
    if not indexes:
        return _NO_CELLS
    return operator.itemgetter(*indexes)
