"""`LinkProfile`: a mergeable aggregate of a site's backlinks, and everything measured from it.

The profile keeps counts, not rows: per referring domain a small record (links, hosts, anchors
used, rel and kind combinations, IPs, dates, spam markers), plus counts per target page and per
month. Memory grows with referring domains and the distinct anchors each uses, not with links;
distinct linking pages are counted exactly up to `_EXACT_PAGES` and then with a HyperLogLog
sketch. Every aggregate is a sum, a minimum, a maximum or a set union, so profiles of parts of an
input merge into exactly the profile of the whole, in any grouping and order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
import re
import types
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import attrs

from ._anchors import AnchorCategory, AnchorClassifier
from ._backlink import Backlink
from ._errors import ProfileMergeError
from ._flags import Flag, ProfileFacts, evaluate_flags
from ._links import LinkKind
from ._summary import AnchorDiversity, ProfileSummary
from ._thresholds import Thresholds
from ._urls import SuffixList, hostname, normalize_host

__all__ = ["LinkProfile", "ReferringDomain"]

MONEY_CATEGORIES = frozenset(
    {AnchorCategory.EXACT_MATCH, AnchorCategory.PARTIAL_MATCH, AnchorCategory.COMPOUND}
)
# LinkResearchTools counts URL anchors as brand anchors (seo-facts.md); so does backlinkkit.
BRAND_CATEGORIES = frozenset({AnchorCategory.BRANDED, AnchorCategory.NAKED_URL})
# Anchors that dominate a natural profile without anyone placing them: never "dominant" flags.
_UNPLACED = BRAND_CATEGORIES | {AnchorCategory.EMPTY, AnchorCategory.GENERIC}

# Scheme and authority of an http(s) URL: under WHATWG rules the authority of a special scheme
# ends at / \ ? #, so every URL with the same prefix has the same host (cached per prefix).
_AUTHORITY = re.compile(r"https?://[^/?#\\\s]+")
_EXACT_PAGES = 1 << 17
_HLL_BITS = 14
_HLL_SIZE = 1 << _HLL_BITS
_HLL_MASK = _HLL_SIZE - 1

# The spam signals backlink tools export, by normalized column name (casefolded, letters and
# digits only): Ahrefs "Is spam", Semrush Backlink Audit "Toxicity Score" and "Toxic markers",
# Semrush backlinks "Sitewide" (seo-facts.md).
_EXTRA_SIGNALS = {
    "isspam": "spam",
    "toxicityscore": "toxicity",
    "toxicmarkers": "markers",
    "sitewide": "sitewide",
}
_NOT_ALNUM = re.compile(r"[\W_]+")
_MARKER_SEPARATORS = re.compile(r"[,;|\n]")
_TRUE = frozenset({"true", "yes", "y", "1"})

# A link's (nofollow, sponsored, ugc, kind) are counted per combination, coded as one small int:
# nofollow + 3 * sponsored + 9 * ugc + 27 * kind, each rel value 0 (unknown), 1 (no), 2 (yes).
# Kinds are keyed by id(): enum members are singletons, and Enum.__hash__ is Python code that
# would otherwise run twice per link on the hot path.
_TRI = {None: 0, False: 1, True: 2}
_TRI_VALUES: tuple[bool | None, ...] = (None, False, True)
_KINDS: tuple[LinkKind | None, ...] = (None, *LinkKind)
_KIND_CODE = {id(kind): 27 * code for code, kind in enumerate(_KINDS)}


def _facet(code: int) -> tuple[bool | None, bool | None, bool | None, LinkKind | None]:
    return (
        _TRI_VALUES[code % 3],
        _TRI_VALUES[code // 3 % 3],
        _TRI_VALUES[code // 9 % 3],
        _KINDS[code // 27],
    )


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_name(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _min_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _max_date(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _add_counts(into: dict[object, int], other: Mapping[object, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


class _DomainStats:
    """The aggregate kept per referring domain: a handful of small dicts, no rows."""

    __slots__ = (
        "anchors",
        "facets",
        "first_seen",
        "hosts",
        "ips",
        "last_seen",
        "links",
        "lost",
        "lost_links",
        "markers",
        "sitewide_marked",
        "spam_links",
        "toxicity",
    )

    def __init__(self) -> None:
        self.links = 0
        self.hosts: set[str] = set()
        self.anchors: dict[str | None, int] = {}  # normalized anchor (None: unknown) -> links
        self.facets: dict[int, int] = {}  # facet code -> links
        self.ips: dict[str, int] = {}
        self.first_seen: dt.date | None = None
        self.last_seen: dt.date | None = None
        self.lost: dt.date | None = None  # the latest lost date among its links
        self.lost_links = 0
        self.spam_links = 0
        self.sitewide_marked = 0
        self.toxicity: float | None = None
        self.markers: set[str] = set()

    def _state(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DomainStats) and self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[object, ...]:
        return self._state()

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)

    def copy(self) -> _DomainStats:
        new = _DomainStats()
        new.absorb(self)
        return new

    def absorb(self, other: _DomainStats) -> None:
        self.links += other.links
        self.hosts |= other.hosts
        _add_counts(self.anchors, other.anchors)  # type: ignore[arg-type]
        _add_counts(self.facets, other.facets)  # type: ignore[arg-type]
        _add_counts(self.ips, other.ips)  # type: ignore[arg-type]
        self.first_seen = _min_date(self.first_seen, other.first_seen)
        self.last_seen = _max_date(self.last_seen, other.last_seen)
        self.lost = _max_date(self.lost, other.lost)
        self.lost_links += other.lost_links
        self.spam_links += other.spam_links
        self.sitewide_marked += other.sitewide_marked
        if other.toxicity is not None:
            self.toxicity = (
                other.toxicity if self.toxicity is None else max(self.toxicity, other.toxicity)
            )
        self.markers |= other.markers

    def scan_extra(self, extra: Mapping[str, str]) -> None:
        for column, value in extra.items():
            signal = _signal_of(column)
            if signal is None or not value:
                continue
            if signal == "spam":
                self.spam_links += value.strip().casefold() in _TRUE
            elif signal == "sitewide":
                self.sitewide_marked += value.strip().casefold() in _TRUE
            elif signal == "toxicity":
                try:
                    score = float(value.strip().replace(",", "."))
                except ValueError:
                    continue  # an unreadable score is no signal
                if math.isfinite(score) and (self.toxicity is None or score > self.toxicity):
                    self.toxicity = score
            else:
                self.markers.update(
                    part.strip() for part in _MARKER_SEPARATORS.split(value) if part.strip()
                )


_SIGNAL_CACHE: dict[str, str | None] = {}


def _signal_of(column: str) -> str | None:
    try:
        return _SIGNAL_CACHE[column]
    except KeyError:
        signal = _EXTRA_SIGNALS.get(_NOT_ALNUM.sub("", column.casefold()))
        if len(_SIGNAL_CACHE) < 4096:  # column names repeat: bounded, never grows per row
            _SIGNAL_CACHE[column] = signal
        return signal


def _frozen_counts(value: Mapping[AnchorCategory, int]) -> Mapping[AnchorCategory, int]:
    if type(value) is types.MappingProxyType and len(value) == len(_CATEGORIES):
        return value  # made complete by the profile: 20,000 rows need no second copy
    return types.MappingProxyType({c: value.get(c, 0) for c in _CATEGORIES})


@attrs.frozen(kw_only=True)
class ReferringDomain:
    """What a profile knows about one referring domain (site), as `LinkProfile.referring_domains`.

    Attributes:
        domain: the registrable domain, lower-case punycode (`blog.example.co.uk` ->
            `example.co.uk`; an IP address stands for itself).
        links: backlinks from it.
        hosts: distinct linking hosts under it.
        followed_links: links that pass endorsement.
        nofollow_links: links with nofollow, sponsored or ugc.
        follow_unknown_links: links whose rel the export does not give.
        anchor_categories: links per anchor category (every category present).
        anchor_unknown_links: links whose anchor the export does not give.
        anchors: distinct anchors it uses.
        top_anchor: its most used anchor (normalized: whitespace collapsed, case folded).
        top_anchor_links: links with `top_anchor`.
        ips: its valid source IP addresses, sorted.
        subnets: their /24 (IPv4) or /48 (IPv6) networks, sorted.
        first_seen: the earliest first-seen date of its links.
        last_seen: the latest last-seen date of its links.
        lost: when it was lost: the latest lost date, if every one of its links is lost.
        lost_links: links reported lost.
        spam_links: links an export marks as spam (Ahrefs "Is spam").
        toxicity: the highest Semrush "Toxicity Score" seen on its links, or None.
        toxic_markers: Semrush "Toxic markers" seen on its links, sorted.
        sitewide_marked: links an export marks as sitewide (Semrush "Sitewide").
    """

    domain: str
    links: int
    hosts: int
    followed_links: int
    nofollow_links: int
    follow_unknown_links: int
    anchor_categories: Mapping[AnchorCategory, int] = attrs.field(
        converter=_frozen_counts, hash=False
    )
    anchor_unknown_links: int
    anchors: int
    top_anchor: str | None
    top_anchor_links: int
    ips: tuple[str, ...]
    subnets: tuple[str, ...]
    first_seen: dt.date | None
    last_seen: dt.date | None
    lost: dt.date | None
    lost_links: int
    spam_links: int
    toxicity: float | None
    toxic_markers: tuple[str, ...]
    sitewide_marked: int

    @property
    def categories(self) -> frozenset[AnchorCategory]:
        """The anchor categories it uses at least once."""
        return frozenset(c for c, n in self.anchor_categories.items() if n)

    def is_sitewide(self, thresholds: Thresholds | None = None) -> bool:
        """Whether it links sitewide: `sitewide_min_links` links or more, or marked so."""
        limit = (thresholds or Thresholds()).sitewide_min_links
        return self.links >= limit or self.sitewide_marked > 0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: dates in ISO format, categories by their values."""
        return {
            "domain": self.domain,
            "links": self.links,
            "hosts": self.hosts,
            "followed_links": self.followed_links,
            "nofollow_links": self.nofollow_links,
            "follow_unknown_links": self.follow_unknown_links,
            "anchor_categories": {c.value: n for c, n in self.anchor_categories.items()},
            "anchor_unknown_links": self.anchor_unknown_links,
            "anchors": self.anchors,
            "top_anchor": self.top_anchor,
            "top_anchor_links": self.top_anchor_links,
            "ips": list(self.ips),
            "subnets": list(self.subnets),
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "lost": _iso(self.lost),
            "lost_links": self.lost_links,
            "spam_links": self.spam_links,
            "toxicity": self.toxicity,
            "toxic_markers": list(self.toxic_markers),
            "sitewide_marked": self.sitewide_marked,
        }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class _Row(NamedTuple):
    """One referring domain as measured, before it is made a `ReferringDomain` (on demand)."""

    site: str
    stats: _DomainStats
    followed: int
    not_followed: int
    follow_unknown: int
    categories: list[int]  # links per category, in _CATEGORIES order
    anchor_unknown: int
    top: tuple[int, str] | None  # (links, anchor)
    ips: tuple[str, ...]
    subnets: tuple[str, ...]
    lost: dt.date | None


_CATEGORIES: tuple[AnchorCategory, ...] = tuple(AnchorCategory)
_CATEGORY_INDEX = {category: i for i, category in enumerate(_CATEGORIES)}
_MONEY_INDEXES = tuple(_CATEGORY_INDEX[c] for c in MONEY_CATEGORIES)
_BRAND_INDEXES = tuple(_CATEGORY_INDEX[c] for c in BRAND_CATEGORIES)


@attrs.define
class _Derived:
    """Everything measured from the aggregates at once (recomputed after a change)."""

    summary: ProfileSummary
    rows: tuple[_Row, ...]  # by links, descending, then name
    anchors: tuple[tuple[str, AnchorCategory, int, int], ...]  # (anchor, cat, links, domains)
    anchor_domains: int  # referring domains with at least one known anchor
    money_domains: int
    branded_domains: int
    follow_known_domains: int
    nofollow_domains: int
    subnets: tuple[tuple[str, int, int], ...]  # (subnet, domains, links)
    ip_domains: int
    tlds: tuple[tuple[str, int, int], ...]  # (tld, domains, links)
    months: tuple[tuple[str, int, int, int, int], ...]  # month, new/lost links, new/lost RDs
    targets: tuple[tuple[str | None, int, bool], ...]  # (target url, links, is homepage)
    domains: tuple[ReferringDomain, ...] | None = None  # made on first use


def _referring_domain(row: _Row) -> ReferringDomain:
    stats = row.stats
    return ReferringDomain(
        domain=row.site,
        links=stats.links,
        hosts=len(stats.hosts),
        followed_links=row.followed,
        nofollow_links=row.not_followed,
        follow_unknown_links=row.follow_unknown,
        anchor_categories=types.MappingProxyType(
            dict(zip(_CATEGORIES, row.categories, strict=True))
        ),
        anchor_unknown_links=row.anchor_unknown,
        anchors=len(stats.anchors) - (row.anchor_unknown > 0),
        top_anchor=None if row.top is None else row.top[1],
        top_anchor_links=0 if row.top is None else row.top[0],
        ips=row.ips,
        subnets=row.subnets,
        first_seen=stats.first_seen,
        last_seen=stats.last_seen,
        lost=row.lost,
        lost_links=stats.lost_links,
        spam_links=stats.spam_links,
        toxicity=stats.toxicity,
        toxic_markers=tuple(sorted(stats.markers)),
        sitewide_marked=stats.sitewide_marked,
    )


_OCTET = re.compile(r"25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]")


def _network(ip: str) -> tuple[str, str] | None:
    # The common case, a dotted-quad IPv4 address, without the ipaddress module's cost.
    parts = ip.strip().split(".")
    if len(parts) == 4 and all(_OCTET.fullmatch(p) for p in parts):
        return ".".join(parts), ".".join(parts[:3]) + ".0/24"
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(address), str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _is_homepage(url: str) -> bool:
    # The site root: nothing after the authority but "/" (a query makes another page).
    match = _AUTHORITY.match(url)
    if match is None:
        return False
    return url[match.end() :] in {"", "/"}


class LinkProfile:
    """The link profile of one target site: counts, anchors, time, flags, mergeable.

    Feed it backlinks (`add`, `update`); read it with `summary`, `flags`, `to_dict` and the
    `*_table` methods (lists of plain dicts, ready for `pandas.DataFrame`). Links from the
    target's own site are skipped (counted in `summary().own_links`), as are links whose source
    has no host (`unparsed_links`). The same link given twice counts twice: the profile keeps
    no rows to recognize it by, so deduplicate upstream when an export repeats rows.

    Args:
        domain: the target site (a host such as `example.com`, or a URL on it).
        brands: its brand names, besides the domain's label (a single string is one name).
        keywords: its money keywords (without them no anchor is exact, partial or compound).
        generic_phrases: the classifier's generic phrases, to replace its own table.

    Raises:
        InvalidURLError: `domain` is not a host name or URL.

    >>> from backlinkkit import Backlink
    >>> p = LinkProfile("example.com", keywords=["running shoes"])
    >>> p.update([
    ...     Backlink("https://blog.test/a", "https://example.com/", anchor="Example"),
    ...     Backlink("https://blog.test/b", "https://example.com/", anchor="running shoes"),
    ...     Backlink("https://news.test/x", "https://example.com/shop", anchor="example.com"),
    ... ])
    >>> s = p.summary()
    >>> s.backlinks, s.referring_domains, s.referring_pages
    (3, 2, 3)
    """

    __slots__ = (
        "_anchor_keys",
        "_authorities",
        "_brands",
        "_categories",
        "_classifier",
        "_derived",
        "_domain",
        "_domains",
        "_generic_phrases",
        "_keywords",
        "_lost_by_day",
        "_new_by_day",
        "_own",
        "_own_links",
        "_pages",
        "_registers",
        "_suffixes",
        "_targets",
        "_unparsed_links",
    )

    def __init__(
        self,
        domain: str,
        *,
        brands: str | Iterable[str] = (),
        keywords: str | Iterable[str] = (),
        generic_phrases: Iterable[str] | None = None,
    ) -> None:
        host = hostname(domain.strip()) if "://" in domain else None
        self._domain = host or normalize_host(domain)
        # A single string is one name, as for the classifier.
        self._brands = (brands,) if isinstance(brands, str) else tuple(brands)
        self._keywords = (keywords,) if isinstance(keywords, str) else tuple(keywords)
        self._generic_phrases = None if generic_phrases is None else tuple(generic_phrases)
        self._domains: dict[str, _DomainStats] = {}
        self._targets: dict[str | None, int] = {}
        self._new_by_day: dict[dt.date, int] = {}  # links first seen per day
        self._lost_by_day: dict[dt.date, int] = {}
        self._own_links = 0
        self._unparsed_links = 0
        self._pages: set[int] | None = set()
        self._registers: bytearray | None = None
        self._setup()

    def _setup(self) -> None:
        # Derived helpers and caches: rebuilt after unpickling, never part of the state.
        self._suffixes = SuffixList.bundled()
        self._own = frozenset({self._suffixes.registrable_domain(self._domain)})
        self._classifier = AnchorClassifier(
            self._domain,
            brands=self._brands,
            keywords=self._keywords,
            generic_phrases=self._generic_phrases,
        )
        self._authorities: dict[str, tuple[str, str]] = {}
        self._anchor_keys: dict[str, str] = {}
        self._categories: dict[str, int] = {}  # anchor -> index in _CATEGORIES
        self._derived: _Derived | None = None

    # -- settings -------------------------------------------------------------------------

    @property
    def domain(self) -> str:
        """The target's host, lower-case punycode."""
        return self._domain

    @property
    def brands(self) -> tuple[str, ...]:
        """The brand names given."""
        return self._brands

    @property
    def keywords(self) -> tuple[str, ...]:
        """The money keywords given."""
        return self._keywords

    @property
    def classifier(self) -> AnchorClassifier:
        """The anchor classifier the profile uses, built from its target."""
        return self._classifier

    def _settings(self) -> tuple[object, ...]:
        return (self._domain, self._brands, self._keywords, self._generic_phrases)

    # -- feeding ----------------------------------------------------------------------------

    def add(self, backlink: Backlink) -> None:
        """Count one backlink.

        >>> from backlinkkit import Backlink
        >>> p = LinkProfile("example.com")
        >>> p.add(Backlink("https://blog.test/post", anchor="Example"))
        >>> p.summary().referring_domains
        1
        """
        self.update((backlink,))

    def update(self, backlinks: Iterable[Backlink]) -> None:
        """Count every backlink of `backlinks` (any iterable; consumed once, in one pass).

        >>> from backlinkkit import Backlink
        >>> p = LinkProfile("example.com")
        >>> p.update(Backlink(f"https://site{i}.test/", anchor="here") for i in range(3))
        >>> p.summary().referring_domains
        3
        """
        self._derived = None
        domains = self._domains
        authorities = self._authorities
        anchor_keys = self._anchor_keys
        targets = self._targets
        new_by_day = self._new_by_day
        lost_by_day = self._lost_by_day
        own = self._own
        tri = _TRI
        kind_code = _KIND_CODE
        last_url = None
        blake2b = hashlib.blake2b
        from_bytes = int.from_bytes
        pages = self._pages
        registers = self._registers
        for link in backlinks:
            url = link.source_url
            # The cache key is everything before the first "/" after "scheme://": only keys
            # that `_site_of` checked to be a whole authority are ever stored.
            cut = url.find("/", 8)
            site_info = authorities.get(url if cut < 0 else url[:cut])
            if site_info is None:
                site_info = self._site_of(url)
                if site_info is None:
                    self._unparsed_links += 1
                    continue
            host, site = site_info
            if site in own:
                self._own_links += 1
                continue
            stats = domains.get(site)
            if stats is None:
                stats = domains[site] = _DomainStats()
            stats.links += 1
            stats.hosts.add(host)
            anchor = link.anchor
            key = None
            if anchor is not None:
                key = anchor_keys.get(anchor)
                if key is None:
                    key = anchor_keys[anchor] = " ".join(anchor.split()).casefold()
            stats.anchors[key] = stats.anchors.get(key, 0) + 1
            facet = (
                tri[link.nofollow]
                + 3 * tri[link.sponsored]
                + 9 * tri[link.ugc]
                + kind_code.get(id(link.kind), 0)
            )
            stats.facets[facet] = stats.facets.get(facet, 0) + 1
            target = link.target_url
            targets[target] = targets.get(target, 0) + 1
            if link.source_ip is not None:
                stats.ips[link.source_ip] = stats.ips.get(link.source_ip, 0) + 1
            day = link.first_seen
            if day is not None:
                new_by_day[day] = new_by_day.get(day, 0) + 1
                if stats.first_seen is None or day < stats.first_seen:
                    stats.first_seen = day
            day = link.last_seen
            if day is not None and (stats.last_seen is None or day > stats.last_seen):
                stats.last_seen = day
            day = link.lost
            if day is not None:
                lost_by_day[day] = lost_by_day.get(day, 0) + 1
                stats.lost_links += 1
                if stats.lost is None or day > stats.lost:
                    stats.lost = day
            if link.extra:
                stats.scan_extra(link.extra)
            if url == last_url:  # links from one page often come in a row: hash it once
                continue
            last_url = url
            digest = blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            page = from_bytes(digest, "little")
            if pages is not None:
                pages.add(page)
                if len(pages) > _EXACT_PAGES:
                    self._to_sketch()
                    pages, registers = None, self._registers
            else:
                rank = 51 - (page >> _HLL_BITS).bit_length()
                index = page & _HLL_MASK
                if registers[index] < rank:  # type: ignore[index]  # noqa: PLR1730 - no call
                    registers[index] = rank  # type: ignore[index]

    def _site_of(self, url: str) -> tuple[str, str] | None:
        host = hostname(url)
        if host is None:
            return None
        site_info = (host, self._suffixes.registrable_domain(host))
        match = _AUTHORITY.match(url)
        if match is not None:
            authority = match.group()
            cut = url.find("/", 8)
            # Cached under the key the hot path looks up, when that key is this authority.
            if authority == (url if cut < 0 else url[:cut]):
                self._authorities[authority] = site_info
        return site_info

    def _to_sketch(self) -> None:
        registers = self._registers or bytearray(_HLL_SIZE)
        for page in self._pages or ():
            rank = 51 - (page >> _HLL_BITS).bit_length()
            index = page & _HLL_MASK
            registers[index] = max(registers[index], rank)
        self._pages = None
        self._registers = registers

    def _referring_pages(self) -> tuple[int, bool]:
        if self._pages is not None:
            return len(self._pages), True
        registers = self._registers or bytearray(_HLL_SIZE)
        m = _HLL_SIZE
        alpha = 0.7213 / (1 + 1.079 / m)
        estimate = alpha * m * m / math.fsum(2.0**-r for r in registers)
        zeros = registers.count(0)
        if estimate <= 2.5 * m and zeros:  # small range: linear counting
            estimate = m * math.log(m / zeros)
        return round(estimate), False

    # -- merging and pickling ---------------------------------------------------------------

    def copy(self) -> LinkProfile:
        """An independent copy: changing one does not change the other."""
        new: LinkProfile = LinkProfile.__new__(LinkProfile)
        new.__setstate__(self.__getstate__())
        new._domains = {site: stats.copy() for site, stats in self._domains.items()}
        new._targets = dict(self._targets)
        new._new_by_day = dict(self._new_by_day)
        new._lost_by_day = dict(self._lost_by_day)
        new._pages = None if self._pages is None else set(self._pages)
        new._registers = None if self._registers is None else bytearray(self._registers)
        return new

    def merge(self, *others: LinkProfile) -> LinkProfile:
        """The profile of this profile's links and `others`' links together (a new profile).

        Merging is associative and commutative: `(a | b) | c == a | (b | c) == c | b | a`.

        Raises:
            ProfileMergeError: a profile is of another target, or has other brands, keywords
                or generic phrases.

        >>> from backlinkkit import Backlink
        >>> a, b = LinkProfile("example.com"), LinkProfile("example.com")
        >>> a.add(Backlink("https://one.test/", anchor="Example"))
        >>> b.add(Backlink("https://two.test/", anchor="here"))
        >>> (a | b).summary().referring_domains
        2
        """
        result: LinkProfile = self.copy()
        for other in others:
            result._absorb(other)
        return result

    def __or__(self, other: object) -> LinkProfile:
        if not isinstance(other, LinkProfile):
            return NotImplemented
        return self.merge(other)

    def _absorb(self, other: LinkProfile) -> None:
        if not isinstance(other, LinkProfile):
            raise TypeError(f"can only merge a LinkProfile, not {type(other).__name__}")
        if other._settings() != self._settings():
            names = ("domain", "brands", "keywords", "generic_phrases")
            differ = [
                n
                for n, a, b in zip(names, self._settings(), other._settings(), strict=True)
                if a != b
            ]
            raise ProfileMergeError(
                f"cannot merge the profile of {other._domain!r} into that of {self._domain!r}: "
                f"they differ in {', '.join(differ)}"
            )
        self._derived = None
        for site, stats in other._domains.items():
            mine = self._domains.get(site)
            if mine is None:
                self._domains[site] = stats.copy()
            else:
                mine.absorb(stats)
        _add_counts(self._targets, other._targets)  # type: ignore[arg-type]
        _add_counts(self._new_by_day, other._new_by_day)  # type: ignore[arg-type]
        _add_counts(self._lost_by_day, other._lost_by_day)  # type: ignore[arg-type]
        self._own_links += other._own_links
        self._unparsed_links += other._unparsed_links
        if self._pages is not None and other._pages is not None:
            self._pages |= other._pages
            if len(self._pages) > _EXACT_PAGES:
                self._to_sketch()
            return
        self._to_sketch()
        registers = self._registers
        assert registers is not None  # noqa: S101 - _to_sketch just made it
        if other._registers is not None:
            for index, rank in enumerate(other._registers):
                registers[index] = max(registers[index], rank)
        for page in other._pages or ():
            rank = 51 - (page >> _HLL_BITS).bit_length()
            index = page & _HLL_MASK
            registers[index] = max(registers[index], rank)

    _STATE = (
        "_domain",
        "_brands",
        "_keywords",
        "_generic_phrases",
        "_domains",
        "_targets",
        "_new_by_day",
        "_lost_by_day",
        "_own_links",
        "_unparsed_links",
        "_pages",
        "_registers",
    )

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self._STATE}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in self._STATE:
            setattr(self, name, state[name])
        self._setup()

    def __eq__(self, other: object) -> bool:
        # Equal state, equal links seen: the page set (or sketch) is a function of the pages.
        if not isinstance(other, LinkProfile):
            return NotImplemented
        return self.__getstate__() == other.__getstate__()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<LinkProfile {self._domain!r}: {sum(s.links for s in self._domains.values())} "
            f"backlinks from {len(self._domains)} referring domains>"
        )

    # -- measuring --------------------------------------------------------------------------

    def _category_index(self, anchor: str) -> int:
        index = self._categories.get(anchor)
        if index is None:
            category = self._classifier.classify(anchor).category
            index = self._categories[anchor] = _CATEGORY_INDEX[category]
        return index

    def _measure(self) -> _Derived:
        if self._derived is None:
            self._derived = self._compute()
        return self._derived

    def _compute(self) -> _Derived:
        category_of = self._category_index
        known_categories = self._categories
        anchor_links: dict[str, int] = {}
        anchor_domains: dict[str, int] = {}
        networks: dict[str, tuple[str, str] | None] = {}
        subnet_domains: dict[str, int] = {}
        subnet_links: dict[str, int] = {}
        ips: set[str] = set()
        tlds: dict[str, list[int]] = {}
        new_domains: dict[int, int] = {}
        lost_domains: dict[int, int] = {}
        # followed, nofollow, sponsored, ugc, follow unknown, text, image
        totals = [0] * 7
        by_link = [0] * len(_CATEGORIES)
        by_domain = [0] * len(_CATEGORIES)
        money_domains = branded_domains = known_anchor_domains = 0
        follow_known = nofollow_domains = ip_domains = anchor_unknown = hosts = 0
        rows: list[_Row] = []
        for site, stats in self._domains.items():
            hosts += len(stats.hosts)
            followed = not_followed = unknown = 0
            for code, n in stats.facets.items():
                nofollow, sponsored, ugc, kind = _facet(code)
                if nofollow or sponsored or ugc:
                    not_followed += n
                elif nofollow is None or sponsored is None or ugc is None:
                    unknown += n
                else:
                    followed += n
                totals[1] += n if nofollow else 0
                totals[2] += n if sponsored else 0
                totals[3] += n if ugc else 0
                if kind is LinkKind.TEXT or kind is LinkKind.MIXED:
                    totals[5] += n
                elif kind is LinkKind.IMAGE:
                    totals[6] += n
            totals[0] += followed
            totals[4] += unknown
            follow_known += bool(followed or not_followed)
            nofollow_domains += bool(not_followed)
            categories = [0] * len(_CATEGORIES)
            unknown_anchor = 0
            top: tuple[int, str] | None = None
            for anchor, n in stats.anchors.items():
                if anchor is None:
                    unknown_anchor = n
                    continue
                index = known_categories.get(anchor)
                if index is None:
                    index = category_of(anchor)
                categories[index] += n
                anchor_links[anchor] = anchor_links.get(anchor, 0) + n
                anchor_domains[anchor] = anchor_domains.get(anchor, 0) + 1
                if top is None or n > top[0] or (n == top[0] and anchor < top[1]):
                    top = (n, anchor)
            anchor_unknown += unknown_anchor
            for i, n in enumerate(categories):
                if n:
                    by_link[i] += n
                    by_domain[i] += 1
            known_anchor_domains += top is not None
            money_domains += any(categories[i] for i in _MONEY_INDEXES)
            branded_domains += any(categories[i] for i in _BRAND_INDEXES)
            site_ips: set[str] = set()
            site_subnets: set[str] = set()
            for ip, n in stats.ips.items():
                if ip not in networks:
                    networks[ip] = _network(ip)
                network = networks[ip]
                if network is not None:
                    site_ips.add(network[0])
                    site_subnets.add(network[1])
                    subnet_links[network[1]] = subnet_links.get(network[1], 0) + n
            ips |= site_ips
            ip_domains += bool(site_ips)
            for subnet in site_subnets:
                subnet_domains[subnet] = subnet_domains.get(subnet, 0) + 1
            tld_name = site.rsplit(".", 1)[-1] if site[-1:].isalpha() else "(ip)"
            tld = tlds.setdefault(tld_name, [0, 0])
            tld[0] += 1
            tld[1] += stats.links
            if stats.first_seen is not None:
                month = _month(stats.first_seen)
                new_domains[month] = new_domains.get(month, 0) + 1
            lost = stats.lost if stats.lost_links >= stats.links else None
            if lost is not None:
                month = _month(lost)
                lost_domains[month] = lost_domains.get(month, 0) + 1
            rows.append(
                _Row(site, stats, followed, not_followed, unknown, categories, unknown_anchor,
                     top, tuple(sorted(site_ips)), tuple(sorted(site_subnets)), lost)
            )  # fmt: skip
        rows.sort(key=lambda r: (-r.stats.links, r.site))
        anchors = sorted(
            (
                (a, _CATEGORIES[category_of(a)], anchor_links[a], d)
                for a, d in anchor_domains.items()
            ),
            key=lambda row: (-row[3], -row[2], row[0]),
        )
        pages, exact = self._referring_pages()
        summary = ProfileSummary(
            backlinks=sum(r.stats.links for r in rows),
            referring_pages=pages,
            referring_pages_exact=exact,
            referring_domains=len(rows),
            referring_hosts=hosts,
            referring_ips=len(ips),
            referring_subnets=len(subnet_domains),
            followed=totals[0],
            nofollow=totals[1],
            sponsored=totals[2],
            ugc=totals[3],
            follow_unknown=totals[4],
            text_links=totals[5],
            image_links=totals[6],
            anchor_unknown=anchor_unknown,
            anchor_categories=dict(zip(_CATEGORIES, by_domain, strict=True)),
            anchor_categories_by_link=dict(zip(_CATEGORIES, by_link, strict=True)),
            diversity_by_link=AnchorDiversity.of(anchor_links.values()),
            diversity_by_domain=AnchorDiversity.of(anchor_domains.values()),
            own_links=self._own_links,
            unparsed_links=self._unparsed_links,
        )
        return _Derived(
            summary=summary,
            rows=tuple(rows),
            anchors=tuple(anchors),
            anchor_domains=known_anchor_domains,
            money_domains=money_domains,
            branded_domains=branded_domains,
            follow_known_domains=follow_known,
            nofollow_domains=nofollow_domains,
            subnets=tuple(
                sorted(
                    ((s, d, subnet_links[s]) for s, d in subnet_domains.items()),
                    key=lambda row: (-row[1], -row[2], row[0]),
                )
            ),
            ip_domains=ip_domains,
            tlds=tuple(
                sorted(((t, d, n) for t, (d, n) in tlds.items()), key=lambda r: (-r[1], r[0]))
            ),
            months=self._months(new_domains, lost_domains),
            targets=tuple(
                sorted(
                    ((t, n, t is not None and _is_homepage(t)) for t, n in self._targets.items()),
                    key=lambda row: (-row[1], row[0] or ""),
                )
            ),
        )

    def _months(
        self, new_domains: dict[int, int], lost_domains: dict[int, int]
    ) -> tuple[tuple[str, int, int, int, int], ...]:
        new_links: dict[int, int] = {}
        lost_links: dict[int, int] = {}
        for by_day, by_month in ((self._new_by_day, new_links), (self._lost_by_day, lost_links)):
            for day, n in by_day.items():
                month = _month(day)
                by_month[month] = by_month.get(month, 0) + n
        series = (new_links, lost_links, new_domains, lost_domains)
        months = set().union(*series)
        if not months:
            return ()
        return tuple(
            (_month_name(m), *(s.get(m, 0) for s in series))  # type: ignore[misc]
            for m in range(min(months), max(months) + 1)
        )

    def summary(self) -> ProfileSummary:
        """The headline counts, as a frozen value; equal for the same links in any split.

        >>> from backlinkkit import AnchorCategory, Backlink
        >>> p = LinkProfile("example.com")
        >>> p.update([Backlink("https://a.test/1", anchor="Example", nofollow=True,
        ...                    sponsored=False, ugc=False)])
        >>> s = p.summary()
        >>> s.nofollow, s.followed, s.anchor_categories[AnchorCategory.BRANDED]
        (1, 0, 1)
        """
        return self._measure().summary

    def referring_domains(self) -> tuple[ReferringDomain, ...]:
        """Every referring domain's aggregate, most links first (then by name)."""
        d = self._measure()
        if d.domains is None:
            d.domains = tuple(map(_referring_domain, d.rows))
        return d.domains

    def _facts(self, thresholds: Thresholds | None = None) -> ProfileFacts:
        """What the flag rules measure, for `thresholds` (the defaults if None)."""
        t = thresholds or Thresholds()
        d = self._measure()
        dominant = next(((a, n) for a, c, _, n in d.anchors if c not in _UNPLACED), None)
        sitewide = [
            r.stats.links
            for r in d.rows
            if r.stats.links >= t.sitewide_min_links or r.stats.sitewide_marked
        ]
        return ProfileFacts(
            referring_domains=len(d.rows),
            anchor_domains=d.anchor_domains,
            has_keywords=bool(self._keywords),
            exact_domains=d.summary.anchor_categories[AnchorCategory.EXACT_MATCH],
            money_domains=d.money_domains,
            branded_domains=d.branded_domains,
            dominant_anchor=dominant,
            follow_known_domains=d.follow_known_domains,
            nofollow_domains=d.nofollow_domains,
            backlinks=d.summary.backlinks,
            sitewide_domains=len(sitewide),
            sitewide_links=sum(sitewide),
            top_domains_links=sum(r.stats.links for r in d.rows[: t.top_domains]),
            ip_domains=d.ip_domains,
            biggest_subnet=(d.subnets[0][0], d.subnets[0][1]) if d.subnets else None,
            new_domains_by_month=tuple((m, new) for m, _, _, new, _ in d.months),
        )

    def flags(self, thresholds: Thresholds | None = None) -> tuple[Flag, ...]:
        """The patterns worth a look, each with its value, threshold, severity and explanation.

        Args:
            thresholds: the settings to judge by; `Thresholds()` if None.

        Returns:
            The flags raised (empty when nothing passes a threshold). With fewer than
            `min_referring_domains` referring domains, one `INSUFFICIENT_DATA` flag only.
        """
        return evaluate_flags(self._facts(thresholds), thresholds or Thresholds())

    # -- tables -----------------------------------------------------------------------------

    def anchor_table(self) -> list[dict[str, object]]:
        """One record per distinct anchor, most referring domains first.

        Keys: `anchor` (whitespace collapsed, case folded), `category`, `links`,
        `referring_domains`, `link_share` (of links with a known anchor), `domain_share` (of
        referring domains with a known anchor).
        """
        d = self._measure()
        links = sum(row[2] for row in d.anchors) or 1
        domains = d.anchor_domains or 1
        return [
            {
                "anchor": anchor,
                "category": category.value,
                "links": n_links,
                "referring_domains": n_domains,
                "link_share": n_links / links,
                "domain_share": n_domains / domains,
            }
            for anchor, category, n_links, n_domains in d.anchors
        ]

    def category_table(self) -> list[dict[str, object]]:
        """One record per anchor category (enum order), counted per referring domain and link."""
        d = self._measure()
        s = d.summary
        links = sum(s.anchor_categories_by_link.values()) or 1
        domains = d.anchor_domains or 1
        return [
            {
                "category": category.value,
                "referring_domains": s.anchor_categories[category],
                "domain_share": s.anchor_categories[category] / domains,
                "links": s.anchor_categories_by_link[category],
                "link_share": s.anchor_categories_by_link[category] / links,
            }
            for category in AnchorCategory
        ]

    def domain_table(self) -> list[dict[str, object]]:
        """One record per referring domain (`ReferringDomain.to_dict`), most links first."""
        return [row.to_dict() for row in self.referring_domains()]

    def month_table(self) -> list[dict[str, object]]:
        """One record per month from the first to the last dated one, gaps included.

        Keys: `month` (`YYYY-MM`), `new_links` (first seen that month), `lost_links`,
        `new_domains` (referring domains whose first link was first seen that month),
        `lost_domains` (referring domains whose every link is lost, by the last loss).
        """
        keys = ("month", "new_links", "lost_links", "new_domains", "lost_domains")
        return [dict(zip(keys, row, strict=True)) for row in self._measure().months]

    def target_table(self) -> list[dict[str, object]]:
        """One record per target page: `target_url` (None: unknown), `links`, `homepage`."""
        return [
            {"target_url": url, "links": n, "homepage": home}
            for url, n, home in self._measure().targets
        ]

    def tld_table(self) -> list[dict[str, object]]:
        """One record per top-level domain: `tld`, `referring_domains`, `links`."""
        return [
            {"tld": tld, "referring_domains": d, "links": n} for tld, d, n in self._measure().tlds
        ]

    def subnet_table(self) -> list[dict[str, object]]:
        """One record per /24 subnet (IPv4; /48 IPv6): `subnet`, `referring_domains`, `links`."""
        return [
            {"subnet": subnet, "referring_domains": d, "links": n}
            for subnet, d, n in self._measure().subnets
        ]

    def to_dict(self, *, top: int = 20, thresholds: Thresholds | None = None) -> dict[str, object]:
        """Everything measured, JSON-ready, with stable keys.

        Args:
            top: how many anchors, referring domains, subnets and TLDs to list.
            thresholds: the settings for the flags; the defaults if None.

        Returns:
            Keys `target`, `summary`, `anchor_categories`, `top_anchors`, `top_domains`,
            `tlds`, `subnets`, `target_pages`, `months`, `flags`.
        """
        d = self._measure()
        home = sum(n for _, n, is_home in d.targets if is_home)
        known = sum(n for url, n, _ in d.targets if url is not None)
        return {
            "target": {
                "domain": self._domain,
                "brands": list(self._brands),
                "keywords": list(self._keywords),
            },
            "summary": d.summary.to_dict(),
            "anchor_categories": self.category_table(),
            "top_anchors": self.anchor_table()[:top],
            "top_domains": [_referring_domain(row).to_dict() for row in d.rows[:top]],
            "tlds": self.tld_table()[:top],
            "subnets": self.subnet_table()[:top],
            "target_pages": {
                "pages": sum(1 for url, _, _ in d.targets if url is not None),
                "homepage_links": home,
                "deep_links": known - home,
                "unknown_links": d.summary.backlinks - known,
                "homepage_share": home / known if known else 0.0,
                "deep_link_ratio": (known - home) / known if known else 0.0,
            },
            "months": self.month_table(),
            "flags": [flag.to_dict() for flag in self.flags(thresholds)],
        }
