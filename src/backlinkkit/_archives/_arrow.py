"""Backlink rows as Arrow record batches and back: what Parquet, Spark and DuckDB read."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import Backlink, LinkKind, MissingDependencyError, Section
from ._rows import BacklinkRow, Column, ColumnType, row_columns

__all__ = ["arrow_schema", "batch_of_rows", "pyarrow", "rows_of_batch", "rows_of_batches"]


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


def _cell(row: BacklinkRow, column: Column) -> object:
    name = column.name
    if name == "target":
        return row.target
    if name == "archive":
        return row.archive
    if name == "archive_offset":
        return row.archive_offset
    if name == "occurrence":
        return row.occurrence
    if name == "captures":
        return row.captures
    value = getattr(row.backlink, name)
    if isinstance(value, (LinkKind, Section)):
        return value.value
    if column.type is ColumnType.STRING_MAP:
        return list(value.items())
    if column.type is ColumnType.STRINGS:
        return list(value)
    return value


def batch_of_rows(rows: Sequence[BacklinkRow], *, all_nullable: bool = False) -> Any:  # noqa: ANN401
    """The rows as one `pyarrow.RecordBatch` of `arrow_schema()`."""
    pa = pyarrow()
    schema = arrow_schema(all_nullable=all_nullable)
    columns = row_columns()
    arrays = [
        pa.array([_cell(row, column) for row in rows], type=field.type)
        for column, field in zip(columns, schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


_ENUMS: dict[str, type[LinkKind | Section]] = {"kind": LinkKind, "section": Section}
_JOB_NAMES = ("target", "archive", "archive_offset", "occurrence", "captures")


def rows_of_batch(batch: Any) -> Iterator[BacklinkRow]:  # noqa: ANN401 - a RecordBatch or Table
    """The rows of a record batch (or table) with the row columns (extra columns are ignored)."""
    columns = row_columns()
    data = {column.name: batch.column(column.name).to_pylist() for column in columns}
    backlink_names = [c.name for c in columns if c.name not in _JOB_NAMES]
    for index in range(batch.num_rows):
        values: dict[str, Any] = {}
        for name in backlink_names:
            value = data[name][index]
            enum_type = _ENUMS.get(name)
            if enum_type is not None and value is not None:
                value = enum_type(value)
            elif name == "extra":
                value = dict(value or ())
            elif name == "toxic_markers":
                value = tuple(value or ())
            values[name] = value
        yield BacklinkRow(
            data["target"][index],
            Backlink(**values),
            data["archive"][index],
            data["archive_offset"][index],
            data["occurrence"][index],
            data["captures"][index],
        )


def rows_of_batches(batches: Iterable[Any]) -> Iterator[BacklinkRow]:
    """The rows of every batch, in order."""
    for batch in batches:
        yield from rows_of_batch(batch)
