"""Plans: an export's header turned, once, into the getters that read its rows.

A plan knows, for every `Backlink` field the export has, the getter that reads it and the columns
that getter looks at; from that it makes the row converter (`convert`) and tells the profile which
cells each part of its aggregate depends on (`layout`), so rows can be counted without a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from .._backlink import Backlink
from .._errors import ExportFormatError
from .._profile._aggregate import METRIC_FIELDS
from .._web._links import LinkKind, Section
from . import _cells as cells
from ._tool_headers import (
    AHREFS_ANCHORLESS_TYPES,
    FIELD_KINDS,
    GENERIC_COLUMNS,
    SEARCH_CONSOLE_LANGUAGES,
    TOOL_HEADERS,
    ExportFormat,
    normalize_header,
)

__all__ = ["Layout", "Part", "Plan", "backlink_plan"]

_T = TypeVar("_T")
_Row = cells.Row
_Getter = cells.Getter

# Backlink's fields, positional ones first (up to `section`), then the keyword-only ones.
_POSITIONAL = GENERIC_COLUMNS[:12]
_KEYWORD = GENERIC_COLUMNS[12:-1]
# The fields of a link's facet, in the aggregate's `Facet` order, and the fields the importer
# checks that no part keeps (they join the facet's cells, so every check happens).
_FACET_FIELDS = ("nofollow", "sponsored", "ugc", "kind", "spam", "sitewide", "toxicity",
                 "toxic_markers")  # fmt: skip
_CHECKED_FIELDS = ("section", "extra")


@attrs.frozen
class Part:
    """The columns one part of a profile's aggregate depends on, and the getter of its value."""

    columns: tuple[int, ...]
    value: Callable[[_Row], Any]


@attrs.frozen
class Layout:
    """Which columns each part of a profile's aggregate depends on (see `RowLayout`)."""

    source: Part
    anchor: Part
    facet: Part
    ip: Part
    target: Part
    first_seen: Part
    last_seen: Part
    lost: Part
    metrics: Part | None


@attrs.frozen
class Plan(Generic[_T]):
    """How to read the rows of one export: the converter, and what it looks at."""

    convert: Callable[[_Row], _T]
    columns: int
    single_line: bool = False  # cells never hold newlines: parse line by line (Majestic)
    layout: Layout | None = None


# A field's getter and the columns it reads.
_Field = tuple[_Getter, tuple[int, ...]]


def _converter(fields: Mapping[str, _Field]) -> Callable[[_Row], Backlink]:
    """One straight-line converter over the fields' getters, in `Backlink` order."""
    getters: list[_Getter] = [
        fields[name][0] if name in fields else cells.none for name in _POSITIONAL
    ]
    src, tgt, anc, nof, spo, ugc, kin, fir, las, los, ipa, sec = getters
    ext = fields["extra"][0]
    keyword = [(name, fields[name][0]) for name in _KEYWORD if name in fields]
    if not keyword:

        def convert(row: _Row) -> Backlink:
            return Backlink(src(row), tgt(row), anc(row), nof(row), spo(row), ugc(row), kin(row),
                            fir(row), las(row), los(row), ipa(row), sec(row), ext(row))  # fmt: skip

        return convert

    def convert_all(row: _Row) -> Backlink:
        return Backlink(src(row), tgt(row), anc(row), nof(row), spo(row), ugc(row), kin(row),
                        fir(row), las(row), los(row), ipa(row), sec(row), ext(row),
                        **{name: get(row) for name, get in keyword})  # fmt: skip

    return convert_all


def _layout(fields: Mapping[str, _Field]) -> Layout:
    def columns(names: Iterable[str]) -> tuple[int, ...]:
        return tuple(sorted({i for name in names if name in fields for i in fields[name][1]}))

    def getter(name: str) -> _Getter:
        return fields[name][0] if name in fields else cells.none

    def one(name: str) -> Part:
        return Part(columns([name]), getter(name))

    facet_getters = [getter(name) for name in _FACET_FIELDS]
    checked = [getter(name) for name in _CHECKED_FIELDS if name in fields]

    def facet(row: _Row) -> tuple[Any, ...]:
        values = tuple(get(row) for get in facet_getters)
        for check in checked:
            check(row)
        return values

    metric_getters = [getter(name) for name in METRIC_FIELDS]
    metric_columns = columns(METRIC_FIELDS)
    return Layout(
        source=one("source_url"),
        anchor=one("anchor"),
        facet=Part(columns((*_FACET_FIELDS, *_CHECKED_FIELDS)), facet),
        ip=one("source_ip"),
        target=one("target_url"),
        first_seen=one("first_seen"),
        last_seen=one("last_seen"),
        lost=one("lost"),
        metrics=Part(metric_columns, lambda row: tuple(get(row) for get in metric_getters))
        if metric_columns
        else None,
    )


def _plan(fields: Mapping[str, _Field], columns: int, *, single_line: bool = False) -> Plan[Any]:
    return Plan(_converter(fields), columns, single_line, _layout(fields))


def _typed(kind: str, i: int, name: str) -> _Getter:
    """The getter for a typed field's column, by the kind of value it holds."""
    if kind == "text":
        return cells.stripped_or_none(i)
    if kind == "boolean":
        return cells.boolean(i, name)
    if kind == "score":
        return cells.score(i, name)
    if kind == "count":
        return cells.count(i, name)
    return cells.markers(i, name)


def _positions(header: Sequence[str], normalize: Callable[[str], str]) -> dict[str, int]:
    """Normalized header name -> the first column with that name."""
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        positions.setdefault(normalize(cell), i)
    return positions


def _others(header: Sequence[str], used: set[int]) -> _Field:
    """The columns no field takes, as `extra` ({header name: cell}).

    A name the header repeats (Ahrefs writes "Domain rating" twice) keeps every column: the
    second is `extra["Domain rating (2)"]`, the third "(3)", so no cell is lost to a later one.
    """
    others = [i for i in range(len(header)) if i not in used]
    names = extra_names(header)
    return cells.columns_dict(others, [names[i] for i in others]), tuple(others)


def extra_names(header: Sequence[str]) -> list[str]:
    """Each column's name as an `extra` key: a repeated name gains " (2)", " (3)"...

    Repeats are found after `normalize_header` (as columns are matched), and a made-up name
    never equals another column's.

    >>> extra_names(["source_url", "foo", "Foo ", "foo (2)"])
    ['source_url', 'foo', 'Foo (2)', 'foo (2)']
    """
    taken = set(header)
    seen: dict[str, int] = {}
    names = []
    for cell in header:
        key = normalize_header(cell)
        seen[key] = count = seen.get(key, 0) + 1
        name = cell
        while count > 1 and name in taken:
            name = f"{cell.strip()} ({count})"
            count += 1
        taken.add(name)
        names.append(name)
    return names


def _with_columns(
    from_json: Callable[[_Row], Mapping[str, str]],
    from_columns: Callable[[_Row], Mapping[str, str]],
) -> Callable[[_Row], Mapping[str, str]]:
    """The `extra` JSON object, plus the extra columns; a column named as a key gets " (2)"."""

    def get(row: _Row) -> Mapping[str, str]:
        merged = dict(from_json(row))
        for name, value in from_columns(row).items():
            key, count = name, 2
            while key in merged:
                key, count = f"{name} ({count})", count + 1
            merged[key] = value
        return merged

    return get


# -- the generic layout ------------------------------------------------------------------------
def _generic_text(i: int) -> _Getter:
    def get(row: _Row) -> str | None:
        value = row[i]
        if not value:
            return None
        # Only a cell made of backslashes is escaped (None and "" kept apart): it loses one.
        return value[1:] if value[0] == "\\" and not value.strip("\\") else value

    return get


def _generic_field(name: str, i: int) -> _Getter:
    if name == "source_url":
        return cells.source_url(i, name, strip=False)
    if name in {"target_url", "anchor", "source_ip", "source_title"}:
        return _generic_text(i)
    if name in {"nofollow", "sponsored", "ugc", "spam", "sitewide"}:
        return cells.boolean(i, name)
    if name in {"first_seen", "last_seen", "lost"}:
        return cells.date(i, name, None)
    if name == "kind":
        return cells.enum_getter(i, name, LinkKind)
    if name == "section":
        return cells.enum_getter(i, name, Section)
    if name == "toxic_markers":
        return cells.markers_json(i, name)
    return _typed(FIELD_KINDS[name], i, name)


def _generic_plan(header: Sequence[str]) -> Plan[Backlink]:
    # Generic names are matched exactly after trimming and lower-casing (underscores matter).
    positions = _positions(header, lambda cell: cell.strip().lower())
    if "source_url" not in positions:
        raise ExportFormatError("line 1: the generic layout needs a 'source_url' column")
    fields: dict[str, _Field] = {
        name: (_generic_field(name, positions[name]), (positions[name],))
        for name in GENERIC_COLUMNS[:-1]
        if name in positions
    }
    used = {i for _, columns in fields.values() for i in columns}
    from_columns, others = _others(header, used | {positions.get("extra", -1)})
    extra_at = positions.get("extra")
    if extra_at is None:
        fields["extra"] = (from_columns, others)
    else:
        from_json = cells.extra_json(extra_at, "extra")
        if not others:
            fields["extra"] = (from_json, (extra_at,))
        else:
            fields["extra"] = (_with_columns(from_json, from_columns), (extra_at, *others))
    return _plan(fields, len(header))


# -- the tools ---------------------------------------------------------------------------------
def _find(positions: Mapping[str, int], names: Iterable[str]) -> int | None:
    for name in names:
        i = positions.get(normalize_header(name))
        if i is not None:
            return i
    return None


def _tool_plan(fmt: ExportFormat, header: Sequence[str]) -> Plan[Backlink]:
    table = TOOL_HEADERS[fmt]
    positions = _positions(header, normalize_header)
    at = {field: _find(positions, names) for field, names in table.items()}
    source = at.get("source_url")
    if source is None:
        raise ExportFormatError(
            f"line 1: no source URL column for {fmt.value} (looked for "
            f"{', '.join(repr(n) for n in table['source_url'])})"
        )
    fields: dict[str, _Field] = {
        "source_url": (cells.source_url(source, header[source], strip=True), (source,))
    }

    def add(field: str, make: Callable[[int, str], _Getter]) -> None:
        i = at.get(field)
        if i is not None:
            fields[field] = (make(i, header[i]), (i,))

    add("target_url", lambda i, _name: cells.stripped_or_none(i))
    add("nofollow", cells.boolean)
    add("sponsored", cells.boolean)
    add("ugc", cells.boolean)
    date_of = _date_getter(None)
    add("first_seen", date_of)
    add("last_seen", date_of)
    add("lost", date_of)
    for field, kind in FIELD_KINDS.items():
        add(field, _typed_getter(kind))
    _add_anchor_and_kind(fields, at, header)
    flag = at.get("lost_flag")
    if flag is not None and "last_seen" in fields:
        # Semrush says only *that* a link was lost: the nearest date it gives is "Last seen".
        lost_flag = cells.boolean(flag, header[flag])
        last_seen, last_columns = fields["last_seen"]
        fields["lost"] = (
            lambda row: last_seen(row) if lost_flag(row) else None,
            (flag, *last_columns),
        )
    # Columns mapped straight to a field leave `extra`; the rest (and derived inputs) stay.
    derived = {"type", "image_flag", "text_flag", "lost_flag"}
    used = {i for field, i in at.items() if i is not None and field not in derived}
    fields["extra"] = _others(header, used)
    return _plan(fields, len(header), single_line=fmt is ExportFormat.MAJESTIC)


def _typed_getter(kind: str) -> Callable[[int, str], _Getter]:
    def make(i: int, name: str) -> _Getter:
        return _typed(kind, i, name)

    return make


def _date_getter(day_first: bool | None) -> Callable[[int, str], _Getter]:
    def make(i: int, name: str) -> _Getter:
        return cells.date(i, name, day_first)

    return make


_AHREFS_TYPES = {"text": LinkKind.TEXT, "image": LinkKind.IMAGE}


def _add_anchor_and_kind(
    fields: dict[str, _Field], at: Mapping[str, int | None], header: Sequence[str]
) -> None:
    """The anchor and LinkKind: from Ahrefs' Type, or Semrush's Text/Image, Majestic's flags."""
    anchor_at, type_at = at.get("anchor"), at.get("type")
    if type_at is not None:
        # Other Ahrefs types (frame, form...) are no LinkKind: None, kept in extra. Redirects
        # and canonicals have no anchor at all: None (unknown), not "" (an empty anchor).
        def kind(row: _Row) -> LinkKind | None:
            return _AHREFS_TYPES.get(row[type_at].strip().casefold())

        fields["kind"] = (kind, (type_at,))
        if anchor_at is not None:

            def anchor(row: _Row) -> str | None:
                if row[type_at].strip().casefold() in AHREFS_ANCHORLESS_TYPES:
                    return None
                return row[anchor_at]

            fields["anchor"] = (anchor, (anchor_at, type_at))
        return
    if anchor_at is not None:
        # A tool that has an anchor column knows the anchor: an empty cell is an empty anchor.
        fields["anchor"] = (lambda row: row[anchor_at], (anchor_at,))
    image_at, text_at = at.get("image_flag"), at.get("text_flag")
    if image_at is None and text_at is None:
        return
    image = cells.none if image_at is None else cells.boolean(image_at, header[image_at])
    text = cells.none if text_at is None else cells.boolean(text_at, header[text_at])

    def flags_kind(row: _Row) -> LinkKind | None:
        is_image, is_text = image(row), text(row)
        if is_image and is_text:
            return LinkKind.MIXED
        if is_image:
            return LinkKind.IMAGE
        return LinkKind.TEXT if is_text else None

    columns = tuple(i for i in (image_at, text_at) if i is not None)
    fields["kind"] = (flags_kind, columns)


# -- Search Console ------------------------------------------------------------------------------
def _search_console_links_plan(header: Sequence[str], language: str | None) -> Plan[Backlink]:
    positions = _positions(header, normalize_header)
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
    fields: dict[str, _Field] = {
        "source_url": (cells.source_url(page, header[page], strip=True), (page,))
    }
    if crawled is not None:
        fields["last_seen"] = (cells.date(crawled, header[crawled], day_first), (crawled,))
    fields["extra"] = _others(header, {page} if crawled is None else {page, crawled})
    return _plan(fields, len(header))


def backlink_plan(fmt: ExportFormat, header: Sequence[str], language: str | None) -> Plan[Backlink]:
    """The plan reading rows of `fmt` under `header` as `Backlink` records.

    Raises:
        ExportFormatError: the header lacks a column the format needs.
    """
    if fmt is ExportFormat.GENERIC:
        return _generic_plan(header)
    if fmt is ExportFormat.SEARCH_CONSOLE_LINKS:
        return _search_console_links_plan(header, language)
    return _tool_plan(fmt, header)
