"""`Aggregate`: the counts a link profile keeps, fed by records or straight from export rows.

It keeps counts, not rows: per referring domain a small record (links, hosts, and links per
normalized anchor, per "facet", per source IP and per target page, dates, the highest authority
scores the export gives), plus new and lost links per day and the referring-page counter. A facet
is the rest of what the measures read of a link: rel values, kind and the tool's spam signals.
Facets repeat a lot, so each distinct one is stored once and counted by a small id.

Every aggregate is a sum, a minimum, a maximum or a set union, so the aggregates of parts of an
input absorb into exactly the aggregate of the whole, in any grouping and order. Work is done
once per distinct value where it can be: hosts become sites once per authority, anchors are
normalized once per distinct text, and rows an importer hands over (`add_rows`) are counted from
their cells through caches of what each distinct cell means, with no `Backlink` made for them.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Final, Literal

import attrs

from .._backlink import Backlink
from .._web._urls import SuffixList, http_hostname
from ._pages import PageCounter

__all__ = [
    "METRIC_FIELDS",
    "REJECTED",
    "Aggregate",
    "DomainStats",
    "Facet",
    "RowLayout",
    "RowPart",
    "anchor_key",
]

# A facet, in this order: (nofollow, sponsored, ugc, kind value or None, spam, sitewide,
# toxicity, toxic markers). Kinds are kept by their value: a str hashes once, an Enum member
# re-runs Python code every time a tuple holding it is hashed.
Facet = tuple[
    bool | None,
    bool | None,
    bool | None,
    str | None,
    bool | None,
    bool | None,
    float | None,
    tuple[str, ...],
]
#: The authority and outbound-link columns kept per referring domain (the highest value seen).
METRIC_FIELDS: Final = (
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
Metrics = tuple[float | int | None, ...]
_NO_METRICS: Final[Metrics] = (None,) * len(METRIC_FIELDS)
_STATE_VERSION: Final = 1
#: What a `RowPart`'s value gives for a row the importer rejected.
REJECTED: Final = object()
_UNSEEN: Final = object()

# Scheme and authority of an http(s) URL: under WHATWG rules the authority of a special scheme
# ends at / \ ? #, so every URL with the same such prefix has the same host.
_AUTHORITY: Final = re.compile(r"https?://[^/?#\\\s]+", re.IGNORECASE)
_ANCHOR_KEY_CACHE: Final = 1 << 17
_FACET_FIELDS: Final = operator.attrgetter(
    "nofollow", "sponsored", "ugc", "kind", "spam", "sitewide", "toxicity", "toxic_markers"
)
_METRIC_VALUES: Final = operator.attrgetter(*METRIC_FIELDS)


def anchor_key(anchor: str) -> str:
    """The form anchors are grouped by: whitespace collapsed, case folded.

    >>> anchor_key("  Running   SHOES ")
    'running shoes'
    """
    return " ".join(anchor.split()).casefold()


def _metrics(values: Metrics) -> Metrics:
    if values == _NO_METRICS:
        return _NO_METRICS
    return tuple(None if v is None or not math.isfinite(v) else v for v in values)


def _min_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _max_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _max_metrics(a: Metrics | None, b: Metrics) -> Metrics:
    if a is None:
        return b
    return tuple(
        y if x is None else x if y is None else max(x, y) for x, y in zip(a, b, strict=True)
    )


def _add_counts(into: dict[Any, int], other: dict[Any, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


class DomainStats:
    """What an aggregate keeps for one referring domain (site)."""

    __slots__ = (
        "anchors",
        "facets",
        "first_seen",
        "hosts",
        "ips",
        "last_metrics",
        "last_seen",
        "links",
        "lost",
        "lost_links",
        "metrics",
        "targets",
    )

    def __init__(self) -> None:
        self.links = 0
        self.hosts: set[str] = set()
        self.anchors: dict[str | None, int] = {}  # anchor key (None: unknown) -> links
        self.facets: dict[int, int] = {}  # facet id -> links
        self.ips: dict[str | None, int] = {}  # source IP (None: unknown) -> links
        self.targets: dict[str | None, int] = {}  # target URL (None: unknown) -> links
        self.first_seen: dt.date | None = None
        self.last_seen: dt.date | None = None
        self.lost: dt.date | None = None  # the latest lost date among its links
        self.lost_links = 0
        self.metrics: Metrics | None = None  # the highest of each METRIC_FIELDS value seen
        self.last_metrics: Metrics | None = None  # the last folded in: rows of a page repeat it

    def add_metrics(self, metrics: Metrics) -> None:
        """Fold one link's authority and outbound-link values into the maxima."""
        self.last_metrics = metrics
        self.metrics = _max_metrics(self.metrics, metrics)


@attrs.frozen
class RowPart:
    """The cells of a row that one part of the aggregate depends on, and what they mean.

    Attributes:
        cells: picks those cells from a row, as one hashable value (the cache key).
        value: what they mean, given the row and its line: a checked value (the raw anchor, the
            facet's fields in `Facet` order with a `LinkKind`, a URL, a date, the metric
            values), or `REJECTED` when the importer rejects the row for one of these cells.
    """

    cells: Callable[[list[str]], Hashable]
    value: Callable[[list[str], int], Any]


@attrs.frozen
class RowLayout:
    """How an importer's rows carry what the aggregate counts (made by the importer).

    The aggregate learns what each distinct value of a part's cells means the first time it
    meets it, through the part's `value` (which also checks the cells), and counts later rows
    from their cells alone. Every cell the importer checks belongs to some part (the facet part
    takes the checked cells that no other part uses), so no row skips a check it would fail.

    Attributes:
        source: the column of the source URL.
        check_source: whether the row's source URL is usable (False: the importer rejected it).
        anchor, facet, ip, target, first_seen, last_seen, lost, metrics: the parts, in the
            order the importer checks them.
    """

    source: int
    check_source: Callable[[list[str], int], bool]
    anchor: RowPart
    facet: RowPart
    ip: RowPart
    target: RowPart
    first_seen: RowPart
    last_seen: RowPart
    lost: RowPart
    metrics: RowPart | None


class Aggregate:
    """The counts of a target's backlinks, grouped by referring domain; see the module doc.

    `own` is the target's own site: links from it are not backlinks (counted in `own_links`).
    """

    __slots__ = (
        "_anchor_keys",
        "_authorities",
        "_facet_ids",
        "_suffixes",
        "domains",
        "facets",
        "lost_by_day",
        "new_by_day",
        "own",
        "own_links",
        "pages",
        "unparsed_links",
    )

    def __init__(self, own: str) -> None:
        self.own = own
        self.domains: dict[str, DomainStats] = {}
        self.facets: list[Facet] = []  # facet id -> facet
        self.new_by_day: dict[dt.date, int] = {}  # links first seen per day
        self.lost_by_day: dict[dt.date, int] = {}
        self.own_links = 0
        self.unparsed_links = 0
        self.pages = PageCounter()
        self._suffixes = SuffixList.bundled()
        self._facet_ids: dict[Facet, int] = {}
        # Authority prefix ("https://www.a.test") -> its domain's stats, or None for the own site.
        self._authorities: dict[str, DomainStats | None] = {}
        self._anchor_keys: dict[str, str] = {}

    # -- sites, anchors and facets -------------------------------------------------------------

    def _stats_for(self, url: str) -> DomainStats | Literal[False] | None:
        """The stats of `url`'s site; None for the own site; False when it is no web page's.

        A backlink's source is a web page: an http(s) URL with a host (an `ftp:` or `ws:`
        source, or one without a host, is counted in `unparsed_links`).
        """
        cut = url.find("/", 8)
        key = url if cut < 0 else url[:cut]
        try:
            return self._authorities[key]
        except KeyError:
            pass
        host = http_hostname(url)
        if host is None:
            return False
        site = self._suffixes.registrable_domain(host)
        stats: DomainStats | None = None
        if site != self.own:
            stats = self.domains.get(site)
            if stats is None:
                stats = self.domains[site] = DomainStats()
            stats.hosts.add(host)
        match = _AUTHORITY.match(url)
        # Cached under the key the lookup above makes, when that key is a whole authority.
        if match is not None and match.group() == key:
            self._authorities[key] = stats
        return stats

    def anchor_key(self, anchor: str | None) -> str | None:
        """The key `anchor` is counted by (None stays None: an unknown anchor)."""
        if anchor is None:
            return None
        key = self._anchor_keys.get(anchor)
        if key is None:
            key = anchor_key(anchor)
            if len(self._anchor_keys) < _ANCHOR_KEY_CACHE:
                self._anchor_keys[anchor] = key
        return key

    def facet_id(self, facet: Facet) -> int:
        """The id of `facet`, registered on first sight."""
        found = self._facet_ids.get(facet)
        if found is None:
            found = self._facet_ids[facet] = len(self.facets)
            self.facets.append(facet)
        return found

    def _facet(self, values: Sequence[Any]) -> int:
        """The id of the facet of these field values (`Facet` order, with a `LinkKind`)."""
        nofollow, sponsored, ugc, kind, spam, sitewide, toxicity, markers = values
        if toxicity is not None and not math.isfinite(toxicity):
            toxicity = None  # a score that is no number is no signal
        kind_value = None if kind is None else kind.value
        markers = tuple(markers) if markers else ()
        return self.facet_id((nofollow, sponsored, ugc, kind_value, spam, sitewide, toxicity,
                              markers))  # fmt: skip

    # -- feeding -------------------------------------------------------------------------------

    def add_many(self, records: Iterable[Backlink]) -> None:
        """Count every backlink of `records` (any iterable; consumed once)."""
        pages: set[str] = set()
        last_url = None
        facet_ids: dict[tuple[Any, ...], int] = {}
        for record in records:
            url = record.source_url
            stats = self._stats_for(url)
            if stats is None:
                self.own_links += 1
                continue
            if stats is False:
                self.unparsed_links += 1
                continue
            assert isinstance(stats, DomainStats)  # noqa: S101 - narrowed for mypy
            values = _FACET_FIELDS(record)
            facet = facet_ids.get(values)
            if facet is None:
                facet = facet_ids[values] = self._facet(values)
            self._count(stats, self.anchor_key(record.anchor), facet, record)
            metrics = _metrics(_METRIC_VALUES(record))
            if metrics is not _NO_METRICS:
                stats.add_metrics(metrics)
            if url != last_url:  # links from one page often come in a row
                last_url = url
                pages.add(url)
                if len(pages) >= 1 << 16:
                    self.pages.add_urls(pages)
                    pages.clear()
        self.pages.add_urls(pages)

    def _count(self, stats: DomainStats, anchor: str | None, facet: int, record: Backlink) -> None:
        stats.links += 1
        stats.anchors[anchor] = stats.anchors.get(anchor, 0) + 1
        stats.facets[facet] = stats.facets.get(facet, 0) + 1
        ip, target = record.source_ip, record.target_url
        stats.ips[ip] = stats.ips.get(ip, 0) + 1
        stats.targets[target] = stats.targets.get(target, 0) + 1
        first_seen, last_seen, lost = record.first_seen, record.last_seen, record.lost
        if first_seen is not None:
            self.new_by_day[first_seen] = self.new_by_day.get(first_seen, 0) + 1
            if stats.first_seen is None or first_seen < stats.first_seen:
                stats.first_seen = first_seen
        if last_seen is not None and (stats.last_seen is None or last_seen > stats.last_seen):
            stats.last_seen = last_seen
        if lost is not None:
            self.lost_by_day[lost] = self.lost_by_day.get(lost, 0) + 1
            stats.lost_links += 1
            if stats.lost is None or lost > stats.lost:
                stats.lost = lost

    def add_rows(
        self,
        batches: Iterable[tuple[Sequence[list[str]], Sequence[int]]],
        layout: RowLayout,
    ) -> None:
        """Count an export's rows (batches of (rows, line numbers)), straight from their cells.

        A row whose parts have all been met before is counted from the caches; for a part met
        for the first time, its `value` is asked once (and checks it; a rejected row is not
        counted) and remembered.
        """
        parts = (layout.anchor, layout.facet, layout.ip, layout.target, layout.first_seen,
                 layout.last_seen, layout.lost)  # fmt: skip
        meanings: tuple[dict[Hashable, Any], ...] = tuple({} for _ in parts)
        anchors, facets, ips, targets, firsts, lasts, losts = meanings
        anchor_cells, facet_cells, ip_cells, target_cells, first_cells, last_cells, lost_cells = (
            part.cells for part in parts
        )
        metric_cells = None if layout.metrics is None else layout.metrics.cells
        metric_values: dict[Hashable, Metrics] = {}
        source_at = layout.source
        authorities = self._authorities
        new_by_day = self.new_by_day
        lost_by_day = self.lost_by_day
        pages: set[str] = set()
        add_page = pages.add
        last_url = None
        metrics = _NO_METRICS
        for rows, lines in batches:
            for index, row in enumerate(rows):
                url = row[source_at]
                cut = url.find("/", 8)
                # Anchors are the part with the most distinct values: one is learnt on its own.
                anchor_raw = anchor_cells(row)
                anchor = anchors.get(anchor_raw, _UNSEEN)
                if anchor is _UNSEEN:
                    anchor = self._learn_anchor(row, lines[index], layout.anchor, anchors)
                    if anchor is REJECTED:
                        continue
                try:
                    stats = authorities[url if cut < 0 else url[:cut]]
                    facet = facets[facet_cells(row)]
                    ip = ips[ip_cells(row)]
                    target = targets[target_cells(row)]
                    first_seen = firsts[first_cells(row)]
                    last_seen = lasts[last_cells(row)]
                    lost = losts[lost_cells(row)]
                    if metric_cells is not None:
                        metrics = metric_values[metric_cells(row)]
                except KeyError:
                    # Something new in this row: learn what it means (and check it).
                    learnt = self._learn(row, lines[index], layout, meanings, metric_values)
                    if learnt is None:
                        continue  # rejected by the importer
                    stats, (anchor, facet, ip, target, first_seen, last_seen, lost), metrics = (
                        learnt
                    )
                if stats is None:
                    self.own_links += 1
                    continue
                # Inline: this is the loop a million-row export goes through.
                stats.links += 1
                counts = stats.anchors
                counts[anchor] = counts.get(anchor, 0) + 1
                by_facet = stats.facets
                by_facet[facet] = by_facet.get(facet, 0) + 1
                by_ip = stats.ips
                by_ip[ip] = by_ip.get(ip, 0) + 1
                by_target = stats.targets
                by_target[target] = by_target.get(target, 0) + 1
                if first_seen is not None:
                    new_by_day[first_seen] = new_by_day.get(first_seen, 0) + 1
                    if stats.first_seen is None or first_seen < stats.first_seen:
                        stats.first_seen = first_seen
                if last_seen is not None and (
                    stats.last_seen is None or last_seen > stats.last_seen
                ):
                    stats.last_seen = last_seen
                if lost is not None:
                    lost_by_day[lost] = lost_by_day.get(lost, 0) + 1
                    stats.lost_links += 1
                    if stats.lost is None or lost > stats.lost:
                        stats.lost = lost
                if metrics is not _NO_METRICS and metrics is not stats.last_metrics:
                    stats.add_metrics(metrics)
                if url != last_url:  # links from one page often come in a row
                    last_url = url
                    add_page(url)
            self.pages.add_urls(pages)
            pages.clear()

    def _learn_anchor(
        self, row: list[str], line: int, part: RowPart, anchors: dict[Hashable, Any]
    ) -> Any:  # noqa: ANN401 - the anchor's key, or REJECTED
        """The key of a row's anchor met for the first time, or REJECTED."""
        value = part.value(row, line)
        if value is REJECTED:
            return REJECTED
        key = anchors[part.cells(row)] = self.anchor_key(value)
        return key

    def _learn(
        self,
        row: list[str],
        line: int,
        layout: RowLayout,
        meanings: tuple[dict[Hashable, Any], ...],
        metric_values: dict[Hashable, Metrics],
    ) -> tuple[DomainStats | None, list[Any], Metrics] | None:
        """The meanings of a row's parts, asking for those not met yet; None if it is rejected.

        Parts are checked in the importer's field order (source, anchor, facet, IP, target,
        dates, metrics), so a row with several bad cells is rejected for the first, as when it
        is converted to a record.
        """
        url = row[layout.source]
        cut = url.find("/", 8)
        key = url if cut < 0 else url[:cut]
        new_site = key not in self._authorities
        if new_site and not layout.check_source(row, line):
            return None
        parts = (layout.anchor, layout.facet, layout.ip, layout.target, layout.first_seen,
                 layout.last_seen, layout.lost)  # fmt: skip
        values: list[Any] = []
        for index, (part, known) in enumerate(zip(parts, meanings, strict=True)):
            cells = part.cells(row)
            if cells in known:
                values.append(known[cells])
                continue
            value = part.value(row, line)
            if value is REJECTED:
                return None
            if index == 0:
                value = self.anchor_key(value)
            elif index == 1:
                value = self._facet(value)
            known[cells] = value
            values.append(value)
        metrics = _NO_METRICS
        if layout.metrics is not None:
            cells = layout.metrics.cells(row)
            if cells in metric_values:
                metrics = metric_values[cells]
            else:
                value = layout.metrics.value(row, line)
                if value is REJECTED:
                    return None
                metrics = metric_values[cells] = _metrics(value)
        # The site is registered only now: a row rejected for a later cell adds no domain.
        if not new_site:
            return self._authorities[key], values, metrics
        found = self._stats_for(url)
        if found is False:  # pragma: no cover - importers refuse hostless sources
            return None
        return found, values, metrics

    # -- merging -------------------------------------------------------------------------------

    def absorb(self, other: Aggregate) -> None:
        """Count `other`'s links too (its facet ids are mapped to this aggregate's)."""
        ids = [self.facet_id(facet) for facet in other.facets]
        for site, theirs in other.domains.items():
            mine = self.domains.get(site)
            if mine is None:
                mine = self.domains[site] = DomainStats()
            mine.links += theirs.links
            mine.hosts |= theirs.hosts
            _add_counts(mine.anchors, theirs.anchors)
            for facet, count in theirs.facets.items():
                mapped = ids[facet]
                mine.facets[mapped] = mine.facets.get(mapped, 0) + count
            _add_counts(mine.ips, theirs.ips)
            _add_counts(mine.targets, theirs.targets)
            mine.first_seen = _min_date(mine.first_seen, theirs.first_seen)
            mine.last_seen = _max_date(mine.last_seen, theirs.last_seen)
            mine.lost = _max_date(mine.lost, theirs.lost)
            mine.lost_links += theirs.lost_links
            if theirs.metrics is not None:
                mine.metrics = _max_metrics(mine.metrics, theirs.metrics)
        _add_counts(self.new_by_day, other.new_by_day)
        _add_counts(self.lost_by_day, other.lost_by_day)
        self.own_links += other.own_links
        self.unparsed_links += other.unparsed_links
        self.pages.absorb(other.pages)

    def copy(self) -> Aggregate:
        """An independent copy."""
        new = Aggregate(self.own)
        new.absorb(self)
        return new

    # -- state -----------------------------------------------------------------------------

    def state(self) -> dict[str, object]:
        """The aggregate as versioned plain data: lists, dicts, str, int, float, bool, None.

        Facets are listed once and referred to by their index; dates are ISO strings.
        """
        domains = {}
        for site, stats in self.domains.items():
            domains[site] = {
                "links": stats.links,
                "hosts": sorted(stats.hosts),
                "anchors": [[a, n] for a, n in stats.anchors.items()],
                "facets": [[i, n] for i, n in stats.facets.items()],
                "ips": [[ip, n] for ip, n in stats.ips.items()],
                "targets": [[t, n] for t, n in stats.targets.items()],
                "first_seen": _iso(stats.first_seen),
                "last_seen": _iso(stats.last_seen),
                "lost": _iso(stats.lost),
                "lost_links": stats.lost_links,
                "metrics": None if stats.metrics is None else list(stats.metrics),
            }
        return {
            "version": _STATE_VERSION,
            "own": self.own,
            "facets": [_plain_facet(facet) for facet in self.facets],
            "domains": domains,
            "new_by_day": {d.isoformat(): n for d, n in self.new_by_day.items()},
            "lost_by_day": {d.isoformat(): n for d, n in self.lost_by_day.items()},
            "own_links": self.own_links,
            "unparsed_links": self.unparsed_links,
            "pages": self.pages.state(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Aggregate:
        """The aggregate `state()` describes.

        Raises:
            TypeError: the state is of an unknown version.
        """
        if state.get("version") != _STATE_VERSION:
            raise TypeError(f"unknown link profile state version {state.get('version')!r}")
        new = cls(state["own"])
        ids = [new.facet_id(_facet_from_plain(plain)) for plain in state["facets"]]
        for site, data in state["domains"].items():
            stats = new.domains[site] = DomainStats()
            stats.links = data["links"]
            stats.hosts = set(data["hosts"])
            stats.anchors = dict(data["anchors"])
            for i, n in data["facets"]:
                stats.facets[ids[i]] = stats.facets.get(ids[i], 0) + n
            stats.ips = dict(data["ips"])
            stats.targets = dict(data["targets"])
            stats.first_seen = _date(data["first_seen"])
            stats.last_seen = _date(data["last_seen"])
            stats.lost = _date(data["lost"])
            stats.lost_links = data["lost_links"]
            stats.metrics = None if data["metrics"] is None else tuple(data["metrics"])
        new.new_by_day = {dt.date.fromisoformat(d): n for d, n in state["new_by_day"].items()}
        new.lost_by_day = {dt.date.fromisoformat(d): n for d, n in state["lost_by_day"].items()}
        new.own_links = state["own_links"]
        new.unparsed_links = state["unparsed_links"]
        new.pages = PageCounter.from_state(state["pages"])
        return new

    def _canonical(self) -> tuple[object, ...]:
        # What equality compares: facets by value, nothing by insertion order.
        facets = self.facets
        domains = {
            site: (
                s.links,
                s.hosts,
                s.anchors,
                {facets[i]: n for i, n in s.facets.items()},
                s.ips,
                s.targets,
                s.first_seen,
                s.last_seen,
                s.lost,
                s.lost_links,
                s.metrics,
            )
            for site, s in self.domains.items()
        }
        return (
            self.own,
            domains,
            self.new_by_day,
            self.lost_by_day,
            self.own_links,
            self.unparsed_links,
            self.pages,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Aggregate):
            return NotImplemented
        return self._canonical() == other._canonical()

    __hash__ = None  # type: ignore[assignment]


def _plain_facet(facet: Facet) -> list[object]:
    *values, markers = facet
    return [*values, list(markers)]


def _facet_from_plain(plain: Sequence[Any]) -> Facet:
    nofollow, sponsored, ugc, kind, spam, sitewide, toxicity, markers = plain
    return (nofollow, sponsored, ugc, kind, spam, sitewide, toxicity, tuple(markers))


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)
