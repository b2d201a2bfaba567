"""`BacklinkRow`: one backlink found in archives, the columns it is stored in, deduplication.

The row schema follows `Backlink`: every field of `attrs.fields(Backlink)`, by its name and in
its order, then the archive job's own columns. Adding a field to `Backlink` adds a column; a
field of a type this table does not know fails loudly (`row_columns`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections.abc import Iterable, Mapping

import attrs

from .. import Backlink, LinkKind, Section

__all__ = [
    "BacklinkRow",
    "Column",
    "merge_rows",
    "row_columns",
]


class ColumnType(enum.Enum):
    """The logical type of a row column (mapped to Arrow, Spark and Parquet types)."""

    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    DOUBLE = "double"
    LONG = "long"
    STRINGS = "array<string>"
    STRING_MAP = "map<string,string>"


@attrs.frozen
class Column:
    """One column of the backlink rows: its name, logical type, nullability and meaning."""

    name: str
    type: ColumnType
    nullable: bool = attrs.field(kw_only=True)
    doc: str = attrs.field(kw_only=True)


# Backlink field annotations -> column types. `str` alone is the one non-null string.
_TYPE_OF_ANNOTATION: dict[object, tuple[ColumnType, bool]] = {
    str: (ColumnType.STRING, False),
    str | None: (ColumnType.STRING, True),
    bool | None: (ColumnType.BOOLEAN, True),
    LinkKind | None: (ColumnType.STRING, True),
    Section | None: (ColumnType.STRING, True),
    dt.date | None: (ColumnType.DATE, True),
    float | None: (ColumnType.DOUBLE, True),
    int | None: (ColumnType.LONG, True),
    tuple[str, ...]: (ColumnType.STRINGS, False),
    Mapping[str, str]: (ColumnType.STRING_MAP, False),
}

# The archive job's own columns, after Backlink's.
JOB_COLUMNS = (
    Column(
        "target",
        ColumnType.STRING,
        nullable=False,
        doc="the target (its domain) the link points to",
    ),
    Column(
        "archive", ColumnType.STRING, nullable=False, doc="the archive file of the first capture"
    ),
    Column(
        "archive_offset",
        ColumnType.LONG,
        nullable=False,
        doc="the first capture's record offset in it",
    ),
    Column(
        "occurrence",
        ColumnType.LONG,
        nullable=False,
        doc="0 for the page's first link of this identity, 1 for a second",
    ),
    Column("captures", ColumnType.LONG, nullable=False, doc="how many captures had the link"),
)


@functools.cache
def row_columns() -> tuple[Column, ...]:
    """Every column of the backlink rows: `Backlink`'s fields, then the job's own.

    Raises:
        TypeError: a `Backlink` field has a type the row table does not know.
    """
    # Backlink says it lives in `backlinkkit`, whose namespace lacks the names its (string)
    # annotations use: resolve them in one that has them, wherever Backlink is defined.
    namespace = {
        **vars(typing),
        "dt": dt,
        "datetime": dt,
        "Mapping": Mapping,
        "LinkKind": LinkKind,
        "Section": Section,
    }
    hints = typing.get_type_hints(Backlink, globalns=namespace)
    columns = []
    for field in attrs.fields(Backlink):
        known = _TYPE_OF_ANNOTATION.get(hints[field.name])
        if known is None:
            raise TypeError(
                f"Backlink.{field.name} has type {hints[field.name]!r}, which backlinkkit's "
                "archive rows cannot store: add it to _archives._rows._TYPE_OF_ANNOTATION"
            )
        column_type, nullable = known
        columns.append(
            Column(field.name, column_type, nullable=nullable, doc=f"Backlink.{field.name}")
        )
    return (*columns, *JOB_COLUMNS)


@attrs.frozen
class BacklinkRow:
    """One backlink found in web archives: the link, its target, and where it was captured.

    The same link in several captures (crawls, files) is one row after `merge_rows`: its
    identity is the target, the linking page, the link's URL, anchor, rel flags, kind and
    section, and its occurrence (the second identical link on a page is another link).

    Attributes:
        target: the domain of the target the link points to.
        backlink: the link, with `first_seen` / `last_seen` its earliest and latest capture.
        archive: the archive file of the first capture.
        archive_offset: the first capture's record offset in that file.
        occurrence: 0 for the page's first link of this identity, 1 for the second...
        captures: how many captures had the link.
    """

    target: str
    backlink: Backlink
    archive: str
    archive_offset: int
    occurrence: int = 0
    captures: int = 1

    @property
    def identity(self) -> tuple[object, ...]:
        """What makes two rows the same link (see the class docstring)."""
        b = self.backlink
        return (
            self.target,
            b.source_url,
            b.target_url,
            b.anchor,
            b.nofollow,
            b.sponsored,
            b.ugc,
            b.kind,
            b.section,
            self.occurrence,
        )

    @property
    def first_capture(self) -> tuple[dt.date, str, int]:
        """The order captures are told apart by: date, archive name, record offset."""
        return (self.backlink.first_seen or dt.date.min, self.archive, self.archive_offset)

    @property
    def last_capture(self) -> tuple[dt.date, str, int]:
        """The latest capture's date, archive name and record offset."""
        return (self.backlink.last_seen or dt.date.min, self.archive, self.archive_offset)


# The columns of a link's identity, named as the row columns (for Spark's groupBy).
IDENTITY_COLUMNS = (
    "target",
    "source_url",
    "target_url",
    "anchor",
    "nofollow",
    "sponsored",
    "ugc",
    "kind",
    "section",
    "occurrence",
)


def merge_rows(rows: Iterable[BacklinkRow]) -> list[BacklinkRow]:
    """One row per link: captures of the same link merged, as the Spark job merges them.

    `first_seen` is the earliest capture's date and `archive` / `archive_offset` point to that
    capture; `last_seen` is the latest's, and the fields a capture can change (source IP, page
    title, the page's outbound link counts) come from the latest capture; `captures` adds up.
    Captures of the same day are ordered by archive name, then offset, so the result does not
    depend on the order of `rows`.

    Returns:
        The merged rows, in the order of each link's first appearance in `rows`.
    """
    # Per link: its earliest capture, its latest, and the captures counted so far.
    merged: dict[tuple[object, ...], list[BacklinkRow | int]] = {}
    for row in rows:
        key = row.identity
        seen = merged.get(key)
        if seen is None:
            merged[key] = [row, row, row.captures]
            continue
        first, last, captures = seen
        assert isinstance(first, BacklinkRow)  # noqa: S101 - the list's shape, for mypy
        assert isinstance(last, BacklinkRow)  # noqa: S101
        assert isinstance(captures, int)  # noqa: S101
        if row.first_capture < first.first_capture:
            seen[0] = row
        if row.last_capture > last.last_capture:
            seen[1] = row
        seen[2] = captures + row.captures
    return [_merged(*entry) for entry in merged.values()]  # type: ignore[arg-type]


def _merged(first: BacklinkRow, last: BacklinkRow, captures: int) -> BacklinkRow:
    if first is last and captures == first.captures:
        return first
    backlink = attrs.evolve(
        last.backlink,
        first_seen=first.backlink.first_seen,
        last_seen=last.backlink.last_seen,
    )
    return BacklinkRow(
        first.target, backlink, first.archive, first.archive_offset, first.occurrence, captures
    )
