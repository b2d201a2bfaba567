"""Backlink rows as Arrow record batches and back: what Parquet, Spark and DuckDB read."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import Backlink, LinkKind, MissingDependencyError, Section
from ._rows import BacklinkRow, Column, ColumnType, row_columns

__all__ = [
    "arrow_schema",
    "backlinks_of_batch",
    "batch_of_rows",
    "pyarrow",
    "rows_of_batch",
    "rows_of_batches",
]


def pyarrow() -> Any:  # noqa: ANN401 - the pyarrow module
    """The pyarrow module, or a `MissingDependencyError` naming the extra."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional
    except ImportError as error:
        raise MissingDependencyError(
            "writing backlink rows needs pyarrow: pip install 'backlinkkit[warc]'"
        ) from error
    return pa


def _arrow_type(pa: Any, column_type: ColumnType) -> Any:  # noqa: ANN401
    return {
        ColumnType.STRING: pa.string(),
        ColumnType.BOOLEAN: pa.bool_(),
        ColumnType.DATE: pa.date32(),
        ColumnType.DOUBLE: pa.float64(),
        ColumnType.LONG: pa.int64(),
        ColumnType.STRINGS: pa.list_(pa.string()),
        ColumnType.STRING_MAP: pa.map_(pa.string(), pa.string()),
    }[column_type]


@functools.cache
def arrow_schema(*, all_nullable: bool = False) -> Any:  # noqa: ANN401 - a pyarrow.Schema
    """The rows' Arrow schema: one field per `row_columns()` entry, with its description."""
    pa = pyarrow()
    fields = [
        pa.field(
            column.name,
            _arrow_type(pa, column.type),
            nullable=all_nullable or column.nullable,
            metadata={"description": column.doc},
        )
        for column in row_columns()
    ]
    return pa.schema(fields)


_ENUMS: dict[str, type[LinkKind | Section]] = {"kind": LinkKind, "section": Section}
_JOB_NAMES = ("target", "archive", "archive_offset", "occurrence", "captures")


def _column_values(
    rows: Sequence[BacklinkRow], backlinks: Sequence[Backlink], column: Column
) -> list[Any]:
    # Column by column, not cell by cell: one Python call per column, not per value.
    name = column.name
    if name in _JOB_NAMES:
        return [getattr(row, name) for row in rows]
    values = [getattr(backlink, name) for backlink in backlinks]
    if name in _ENUMS:
        return [None if value is None else value.value for value in values]
    if column.type is ColumnType.STRING_MAP:
        return [list(value.items()) for value in values]
    if column.type is ColumnType.STRINGS:
        return [list(value) for value in values]
    return values


def batch_of_rows(rows: Sequence[BacklinkRow], *, all_nullable: bool = False) -> Any:  # noqa: ANN401
    """The rows as one `pyarrow.RecordBatch` of `arrow_schema()`."""
    pa = pyarrow()
    schema = arrow_schema(all_nullable=all_nullable)
    backlinks = [row.backlink for row in rows]
    arrays = [
        pa.array(_column_values(rows, backlinks, column), type=field.type)
        for column, field in zip(row_columns(), schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _backlink_values(name: str, values: list[Any]) -> list[Any]:
    enum_type = _ENUMS.get(name)
    if enum_type is not None:
        return [None if value is None else enum_type(value) for value in values]
    if name == "extra":
        return [dict(value or ()) for value in values]
    if name == "toxic_markers":
        return [tuple(value or ()) for value in values]
    return values


def backlinks_of_batch(batch: Any) -> Iterator[tuple[str, Backlink]]:  # noqa: ANN401
    """The (target, backlink) pairs of a batch with the row columns: what a profile counts.

    Cheaper than `rows_of_batch` (no `BacklinkRow`, values converted column by column).
    """
    names = [c.name for c in row_columns() if c.name not in _JOB_NAMES]
    columns = [_backlink_values(name, batch.column(name).to_pylist()) for name in names]
    rows = zip(*columns, strict=True)
    for target, values in zip(batch.column("target").to_pylist(), rows, strict=True):
        yield target, Backlink(**dict(zip(names, values, strict=True)))


def rows_of_batch(batch: Any) -> Iterator[BacklinkRow]:  # noqa: ANN401 - a RecordBatch or Table
    """The rows of a record batch (or table) with the row columns (extra columns are ignored)."""
    places = zip(
        batch.column("archive").to_pylist(),
        batch.column("archive_offset").to_pylist(),
        batch.column("occurrence").to_pylist(),
        batch.column("captures").to_pylist(),
        strict=True,
    )
    for (target, backlink), place in zip(backlinks_of_batch(batch), places, strict=True):
        yield BacklinkRow(target, backlink, *place)


def rows_of_batches(batches: Iterable[Any]) -> Iterator[BacklinkRow]:
    """The rows of every batch, in order."""
    for batch in batches:
        yield from rows_of_batch(batch)
