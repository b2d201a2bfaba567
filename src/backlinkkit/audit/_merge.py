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
from typing import Any, Final

from .._backlink import Backlink
from ._identity import PageKeys

__all__ = ["LinkMerger", "Tally"]

# Record layout: the target and anchor keys, then Backlink's fields in constructor order.
_TARGET_KEY, _ANCHOR_KEY = 0, 1
_SOURCE, _TARGET, _ANCHOR, _NOFOLLOW, _SPONSORED, _UGC, _KIND = 2, 3, 4, 5, 6, 7, 8
_FIRST, _LAST, _LOST, _IP, _SECTION = 9, 10, 11, 12, 13
_TITLE, _SPAM, _TOXICITY, _MARKERS, _SITEWIDE = 14, 15, 16, 17, 18
_SCORES = range(19, 28)  # domain_rating ... linked_domains: first known wins
_SIGNALS = 28  # the export columns the profile reads spam marks from, or None
_SCORE_NAMES: Final = (
    "domain_rating",
    "url_rating",
    "page_ascore",
    "trust_flow",
    "citation_flow",
    "domain_authority",
    "page_authority",
    "external_links",
    "linked_domains",
)
_FIRST_KNOWN_WINS: Final = (_ANCHOR, _NOFOLLOW, _SPONSORED, _UGC, _KIND, _IP, _SECTION, _TITLE)

# Export columns carrying spam marks, by name as `_export_headers.normalize_header` makes it
# (case folded, no whitespace): the profile reads them from `Backlink.extra` until the importers
# fill `Backlink.spam` / `toxicity` / `toxic_markers` / `sitewide` (issue 9). Only these cells
# of a tool's own columns are kept; the others are not needed by any output.
_SIGNAL_COLUMNS: Final = frozenset({"isspam", "toxicityscore", "toxicmarkers", "sitewide"})
_PROGRESS_EVERY: Final = 1 << 16


class Tally:
    """What one export gave: rows read, new links, duplicates merged (mutable while reading)."""

    __slots__ = ("duplicates", "links")

    def __init__(self) -> None:
        self.links = 0
        self.duplicates = 0


def _record(b: Backlink, target_key: str | None, anchor_key: str | None) -> list[Any]:
    return [
        target_key,
        anchor_key,
        b.source_url,
        b.target_url,
        b.anchor,
        b.nofollow,
        b.sponsored,
        b.ugc,
        b.kind,
        b.first_seen,
        b.last_seen,
        b.lost,
        b.source_ip,
        b.section,
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
        _signals(b.extra) if b.extra else None,
    ]


_SIGNAL_NAMES: dict[str, bool] = {}


def _signals(extra: Mapping[str, str]) -> dict[str, str] | None:
    kept = None
    names = _SIGNAL_NAMES
    for column, value in extra.items():
        wanted = names.get(column)
        if wanted is None:
            wanted = "".join(column.split()).casefold() in _SIGNAL_COLUMNS
            if len(names) < 4096:  # header names repeat: bounded, never grows per row
                names[column] = wanted
        if wanted and value:
            if kept is None:
                kept = {}
            kept[column] = value
    return kept


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _combine(
    record: list[Any], b: Backlink, target_key: str | None, anchor_key: str | None
) -> None:
    """Add what row `b` knows to the link `record` (see the module docstring for the rule)."""
    if record[_TARGET_KEY] is None and target_key is not None:
        record[_TARGET_KEY], record[_TARGET] = target_key, b.target_url
    if record[_ANCHOR_KEY] is None and anchor_key is not None:
        record[_ANCHOR_KEY] = anchor_key
    for index in _FIRST_KNOWN_WINS:
        if record[index] is None:
            record[index] = getattr(b, _FIELD_NAMES[index])
    for index, name in zip(_SCORES, _SCORE_NAMES, strict=True):
        if record[index] is None:
            record[index] = getattr(b, name)
    record[_FIRST] = _earliest(record[_FIRST], b.first_seen)
    seen_after_lost = (
        b.lost is None
        and b.last_seen is not None
        and record[_LOST] is not None
        and b.last_seen > record[_LOST]
    )
    if seen_after_lost:
        record[_LOST] = None
    elif b.lost is not None and not (record[_LAST] is not None and record[_LAST] > b.lost):
        record[_LOST] = _latest(record[_LOST], b.lost)
    record[_LAST] = _latest(record[_LAST], b.last_seen)
    if b.spam or record[_SPAM] is None:
        record[_SPAM] = b.spam if b.spam is not None else record[_SPAM]
    if b.sitewide or record[_SITEWIDE] is None:
        record[_SITEWIDE] = b.sitewide if b.sitewide is not None else record[_SITEWIDE]
    if b.toxicity is not None and (record[_TOXICITY] is None or b.toxicity > record[_TOXICITY]):
        record[_TOXICITY] = b.toxicity
    if b.toxic_markers:
        known = record[_MARKERS]
        record[_MARKERS] = (*known, *(m for m in b.toxic_markers if m not in known))
    if b.extra:
        signals = _signals(b.extra)
        if signals:
            mine = record[_SIGNALS]
            record[_SIGNALS] = signals if mine is None else {**signals, **mine}


_FIELD_NAMES: Final = {
    _ANCHOR: "anchor",
    _NOFOLLOW: "nofollow",
    _SPONSORED: "sponsored",
    _UGC: "ugc",
    _KIND: "kind",
    _IP: "source_ip",
    _SECTION: "section",
    _TITLE: "source_title",
}
_EMPTY: Final[Mapping[str, str]] = {}


def _backlink(r: list[Any]) -> Backlink:
    return Backlink(
        r[_SOURCE],
        r[_TARGET],
        r[_ANCHOR],
        r[_NOFOLLOW],
        r[_SPONSORED],
        r[_UGC],
        r[_KIND],
        r[_FIRST],
        r[_LAST],
        r[_LOST],
        r[_IP],
        r[_SECTION],
        source_title=r[_TITLE],
        spam=r[_SPAM],
        toxicity=r[_TOXICITY],
        toxic_markers=r[_MARKERS],
        sitewide=r[_SITEWIDE],
        domain_rating=r[19],
        url_rating=r[20],
        page_ascore=r[21],
        trust_flow=r[22],
        citation_flow=r[23],
        domain_authority=r[24],
        page_authority=r[25],
        external_links=r[26],
        linked_domains=r[27],
        extra=r[_SIGNALS] or _EMPTY,
    )


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
        self._pages: dict[str, list[Any] | tuple[list[Any], ...]] = {}
        # The first few links seen from each host key, as evidence for the report.
        self.samples: dict[str, list[tuple[str, str | None, str | None]]] = {}

    def add(
        self,
        rows: Iterable[Backlink],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> Tally:
        """Merge every row of one export; `progress` is called with the rows seen, now and then.

        Returns:
            How many new links and duplicates the export gave.
        """
        tally = Tally()
        pages, keys, samples = self._pages, self._keys, self.samples
        page_key, target_key_of = keys.page, keys.target
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
                pages[source] = _record(b, target, anchor)
                new += 1
                host = source.partition("/")[0]
                sample = samples.get(host)
                if sample is None:
                    samples[host] = [(url, b.anchor, b.target_url)]
                elif len(sample) < 3:
                    sample.append((url, b.anchor, b.target_url))
                continue
            records = (entry,) if type(entry) is list else entry
            if self._merge_row(records, b, target, anchor):  # type: ignore[arg-type]
                dup += 1
            else:
                pages[source] = (*records, _record(b, target, anchor))
                new += 1
        if progress is not None:
            progress(count)
        tally.links, tally.duplicates = new, dup
        return tally

    @staticmethod
    def _merge_row(
        records: tuple[list[Any], ...], b: Backlink, target: str | None, anchor: str | None
    ) -> bool:
        """Merge `b` into the links of its page it agrees with; False when there is none."""
        if target is not None and anchor is not None:
            # A fully known row is one link: the same one, else the first that knew less.
            for record in records:
                if record[_TARGET_KEY] == target and record[_ANCHOR_KEY] == anchor:
                    _combine(record, b, target, anchor)
                    return True
            for record in records:
                if record[_TARGET_KEY] in (None, target) and record[_ANCHOR_KEY] in (None, anchor):
                    _combine(record, b, target, anchor)
                    return True
            return False
        matched = False
        for record in records:
            if (target is None or record[_TARGET_KEY] in (None, target)) and (
                anchor is None or record[_ANCHOR_KEY] in (None, anchor)
            ):
                _combine(record, b, target, anchor)
                matched = True
        return matched

    def __len__(self) -> int:
        return sum(1 if type(e) is list else len(e) for e in self._pages.values())

    def backlinks(self) -> Iterator[Backlink]:
        """Each distinct link once, as a `Backlink`; the records are dropped as they go."""
        pages = self._pages
        while pages:
            _, entry = pages.popitem()
            if type(entry) is list:
                yield _backlink(entry)
            else:
                for record in entry:
                    yield _backlink(record)
