"""Merging several exports into one set of links: the identity rule and the accounting.

A link is a (linking page, target page, anchor) triple, pages compared by their page keys (see
`_identity`) and anchors with whitespace collapsed and case folded. A row that does not say
its target or its anchor (Search Console says neither) matches every link from the same page
that agrees with what it does say, and adds what it knows to each of them; a row that matches
nothing is a link of its own. Rows of exports that know the anchor are read before rows of
exports that do not, so a Search Console row meets the links it belongs to.

What each row knows is combined into the link: the first known value wins for the anchor, rel,
kind, IP and the tools' scores (exports listed first win), the earliest first-seen and the
latest last-seen date are kept, a spam or sitewide mark from any tool stands, and a lost date
holds unless another row saw the link after it.

Memory: while reading, one small record per distinct link (the fields the profile reads, not the
tool's other columns), never a `Backlink` per row; the records become `Backlink` values one at a
time as the profile takes them, and are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TypeAlias

from .._backlink import Backlink
from .._web._links import LinkKind, Section
from ._identity import PageKeys

__all__ = ["LinkMerger", "Record", "Tally", "signal_columns"]

# Record layout: the target and anchor keys, then Backlink's fields in constructor order. A
# record is a tuple of atoms (strings, numbers, dates, None), so the cyclic garbage collector
# stops tracking it: a million records cost no collector passes (lists would, on every pass).
_TARGET_KEY, _ANCHOR_KEY = 0, 1
_SOURCE, _TARGET, _ANCHOR = 2, 3, 4
_KIND, _FIRST, _LAST, _LOST, _SECTION = 8, 9, 10, 11, 13
_SPAM, _TOXICITY, _MARKERS, _SITEWIDE = 15, 16, 17, 18
_SIGNALS = 28  # the export columns the profile reads spam marks from, or None
# Fields where the first known value wins (exports listed first win), by record index.
_FIRST_KNOWN_WINS: Final = (
    (4, "anchor"), (5, "nofollow"), (6, "sponsored"), (7, "ugc"),
    (12, "source_ip"), (14, "source_title"), (19, "domain_rating"),
    (20, "url_rating"), (21, "page_ascore"), (22, "trust_flow"), (23, "citation_flow"),
    (24, "domain_authority"), (25, "page_authority"), (26, "external_links"),
    (27, "linked_domains"),
)  # fmt: skip

Record: TypeAlias = tuple[Any, ...]

# Kinds and sections are kept by value: enum members are objects the collector tracks, and one
# in a tuple keeps the whole record tracked.
_KIND_OF: Final[Mapping[str | None, LinkKind | None]] = {
    None: None,
    **{k.value: k for k in LinkKind},
}
_SECTION_OF: Final[Mapping[str | None, Section | None]] = {
    None: None,
    **{s.value: s for s in Section},
}


def _value(member: LinkKind | Section | None) -> str | None:
    return None if member is None else member.value


# Export columns carrying spam marks, by name as `_export_headers.normalize_header` makes it
# (case folded, no whitespace): the profile reads them from `Backlink.extra` until the importers
# fill `Backlink.spam` / `toxicity` / `toxic_markers` / `sitewide` (issue 9). Only these cells
# of a tool's own columns are kept; the others are not needed by any output.
_SIGNAL_COLUMNS: Final = frozenset({"isspam", "toxicityscore", "toxicmarkers", "sitewide"})
_PROGRESS_EVERY: Final = 1 << 16
_SAMPLES: Final = 3


def signal_columns(header: Iterable[str]) -> tuple[str, ...]:
    """The columns of an export's header that carry spam marks (kept in `Backlink.extra`)."""
    return tuple(name for name in header if "".join(name.split()).casefold() in _SIGNAL_COLUMNS)


class Tally:
    """What one export gave: new links and duplicates merged (mutable while reading)."""

    __slots__ = ("duplicates", "links")

    def __init__(self) -> None:
        self.links = 0
        self.duplicates = 0


def _signals(extra: Mapping[str, str], columns: tuple[str, ...] | None) -> dict[str, str] | None:
    if columns is None:
        columns = signal_columns(extra)
    kept = {name: value for name in columns if (value := extra.get(name))}
    return kept or None


def _record(
    b: Backlink, target_key: str | None, anchor_key: str | None, columns: tuple[str, ...] | None
) -> Record:
    return (
        target_key,
        anchor_key,
        b.source_url,
        b.target_url,
        b.anchor,
        b.nofollow,
        b.sponsored,
        b.ugc,
        _value(b.kind),
        b.first_seen,
        b.last_seen,
        b.lost,
        b.source_ip,
        _value(b.section),
        b.source_title,
        b.spam,
        b.toxicity,
        b.toxic_markers,
        b.sitewide,
        b.domain_rating,
        b.url_rating,
        b.page_ascore,
        b.trust_flow,
        b.citation_flow,
        b.domain_authority,
        b.page_authority,
        b.external_links,
        b.linked_domains,
        _signals(b.extra, columns) if b.extra and columns != () else None,
    )


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _combine(
    record: Record,
    b: Backlink,
    target_key: str | None,
    anchor_key: str | None,
    columns: tuple[str, ...] | None,
) -> Record:
    """The link `record` with what row `b` knows added (see the module docstring for the rule)."""
    m = list(record)
    if m[_TARGET_KEY] is None and target_key is not None:
        m[_TARGET_KEY], m[_TARGET] = target_key, b.target_url
    if m[_ANCHOR_KEY] is None and anchor_key is not None:
        m[_ANCHOR_KEY] = anchor_key
    for index, name in _FIRST_KNOWN_WINS:
        if m[index] is None:
            m[index] = getattr(b, name)
    if m[_KIND] is None:
        m[_KIND] = _value(b.kind)
    if m[_SECTION] is None:
        m[_SECTION] = _value(b.section)
    m[_FIRST] = _earliest(m[_FIRST], b.first_seen)
    last, lost = b.last_seen, b.lost
    if lost is None:
        if last is not None and m[_LOST] is not None and last > m[_LOST]:
            m[_LOST] = None  # seen after it was reported lost
    elif not (m[_LAST] is not None and m[_LAST] > lost):
        m[_LOST] = _latest(m[_LOST], lost)
    m[_LAST] = _latest(m[_LAST], last)
    if b.spam is not None and (b.spam or m[_SPAM] is None):
        m[_SPAM] = b.spam
    if b.sitewide is not None and (b.sitewide or m[_SITEWIDE] is None):
        m[_SITEWIDE] = b.sitewide
    if b.toxicity is not None and (m[_TOXICITY] is None or b.toxicity > m[_TOXICITY]):
        m[_TOXICITY] = b.toxicity
    if b.toxic_markers:
        known = m[_MARKERS]
        m[_MARKERS] = (*known, *(marker for marker in b.toxic_markers if marker not in known))
    if b.extra and columns != ():
        signals = _signals(b.extra, columns)
        if signals:
            mine = m[_SIGNALS]
            m[_SIGNALS] = signals if mine is None else {**signals, **mine}
    return tuple(m)


_EMPTY: Final[Mapping[str, str]] = {}


def _backlink(r: Record) -> Backlink:
    return Backlink(
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        _KIND_OF[r[8]],
        r[9],
        r[10],
        r[11],
        r[12],
        _SECTION_OF[r[13]],
        source_title=r[14],
        spam=r[15],
        toxicity=r[16],
        toxic_markers=r[17],
        sitewide=r[18],
        domain_rating=r[19],
        url_rating=r[20],
        page_ascore=r[21],
        trust_flow=r[22],
        citation_flow=r[23],
        domain_authority=r[24],
        page_authority=r[25],
        external_links=r[26],
        linked_domains=r[27],
        extra=r[28] or _EMPTY,
    )


def _several(entry: Record | tuple[Record, ...]) -> bool:
    # A page's entry is its one record, or a tuple of records (whose first item is a tuple).
    return type(entry[0]) is tuple


class LinkMerger:
    """Collects rows of several exports as distinct links, counting what it merged.

    Feed it each export's rows with `add`, in the order the exports should win; then
    `backlinks()` gives each distinct link once, as a `Backlink`, and forgets them.

    >>> from backlinkkit import Backlink
    >>> merger = LinkMerger()
    >>> tool = merger.add([Backlink("https://www.blog.test/p", "https://site.test/",
    ...                             anchor="Site", nofollow=False)])
    >>> console = merger.add([Backlink("https://blog.test/p#x", last_seen=dt.date(2026, 5, 1))])
    >>> (tool.links, tool.duplicates), (console.links, console.duplicates)
    ((1, 0), (0, 1))
    >>> [(b.anchor, b.nofollow, b.last_seen) for b in merger.backlinks()]
    [('Site', False, datetime.date(2026, 5, 1))]
    """

    __slots__ = ("_keys", "_pages", "samples")

    def __init__(self) -> None:
        self._keys = PageKeys()
        # page key -> the record of its one link, or a tuple of records when it has several.
        self._pages: dict[str, Record | tuple[Record, ...]] = {}
        # The first few links seen from each host key, as evidence for the report.
        self.samples: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {}

    def add(
        self,
        rows: Iterable[Backlink],
        *,
        signal_columns: Iterable[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Tally:
        """Merge every row of one export.

        Args:
            rows: the export's backlinks.
            signal_columns: the `extra` columns that carry spam marks, when the export's header
                tells (see `signal_columns`); None to look in every row's `extra`.
            progress: called with the rows seen, now and then, and at the end.

        Returns:
            How many new links and duplicates the export gave.
        """
        tally = Tally()
        columns = None if signal_columns is None else tuple(signal_columns)
        pages, samples = self._pages, self.samples
        page_key, target_key_of = self._keys.page, self._keys.target
        anchor_keys: dict[str, str] = {}
        new = dup = 0
        count = 0
        for count, b in enumerate(rows, 1):
            if progress is not None and not count % _PROGRESS_EVERY:
                progress(count)
            url = b.source_url
            source = page_key(url)
            if source is None:
                source = url  # no host: the profile counts it as unparsed; keep it apart
            target = target_key_of(b.target_url)
            anchor = b.anchor
            if anchor is not None:
                key = anchor_keys.get(anchor)
                if key is None:
                    key = " ".join(anchor.split()).casefold()
                    if len(anchor_keys) < _PROGRESS_EVERY:
                        anchor_keys[anchor] = key
                anchor = key
            entry = pages.get(source)
            if entry is None:
                pages[source] = _record(b, target, anchor, columns)
                new += 1
                host = source.partition("/")[0]
                sample = samples.get(host, ())
                if len(sample) < _SAMPLES:
                    samples[host] = (*sample, (url, b.anchor, b.target_url))
                continue
            records: tuple[Record, ...] = entry if _several(entry) else (entry,)
            merged = _merge_row(records, b, target, anchor, columns)
            if merged is not None:
                dup += 1
                pages[source] = merged if len(merged) > 1 else merged[0]
            else:
                pages[source] = (*records, _record(b, target, anchor, columns))
                new += 1
        if progress is not None:
            progress(count)
        tally.links, tally.duplicates = new, dup
        return tally

    def __len__(self) -> int:
        return sum(len(e) if _several(e) else 1 for e in self._pages.values())

    def backlinks(self) -> Iterator[Backlink]:
        """Each distinct link once, as a `Backlink`; the records are dropped as they go."""
        pages = self._pages
        while pages:
            _, entry = pages.popitem()
            if _several(entry):
                for record in entry:
                    yield _backlink(record)
            else:
                yield _backlink(entry)


def _merge_row(
    records: tuple[Record, ...],
    b: Backlink,
    target: str | None,
    anchor: str | None,
    columns: tuple[str, ...] | None,
) -> tuple[Record, ...] | None:
    """The page's records with `b` merged into those it agrees with; None when there is none."""
    if target is not None and anchor is not None:
        # A fully known row is one link: the same one, else the first that knew less.
        chosen = next(
            (
                i
                for i, r in enumerate(records)
                if r[_TARGET_KEY] == target and r[_ANCHOR_KEY] == anchor
            ),
            None,
        )
        if chosen is None:
            chosen = next(
                (
                    i
                    for i, r in enumerate(records)
                    if r[_TARGET_KEY] in (None, target) and r[_ANCHOR_KEY] in (None, anchor)
                ),
                None,
            )
        if chosen is None:
            return None
        merged = list(records)
        merged[chosen] = _combine(records[chosen], b, target, anchor, columns)
        return tuple(merged)
    matched = False
    out = []
    for record in records:
        if (target is None or record[_TARGET_KEY] in (None, target)) and (
            anchor is None or record[_ANCHOR_KEY] in (None, anchor)
        ):
            out.append(_combine(record, b, target, anchor, columns))
            matched = True
        else:
            out.append(record)
    return tuple(out) if matched else None
