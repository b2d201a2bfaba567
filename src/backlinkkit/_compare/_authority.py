"""Authority: Common Crawl's web graph ranks, and buckets that put any authority score on one scale.

Common Crawl publishes, with every web graph release, a ranks file per graph level (hosts and
registrable domains): tab-separated, sorted by harmonic centrality, one row per host or domain
with its harmonic centrality and PageRank, values and positions, names written reversed
(`com.example`). A release holds 100-250 million rows, so `read_web_graph_ranks` keeps only the
names asked for and does no Python work per row it skips: the decompressed text is scanned a
block (a few hundred KB) at a time by one compiled pattern that both checks every row's shape
and pulls out its name, and the names are matched against the ones asked for with one set
intersection per block. Memory depends on the names asked for, not on the file.

Scores from the tools (Ahrefs DR, Moz DA, Semrush AS, Majestic TF/CF) go into the same
`AuthorityBucket`s through `AuthorityMetric.bucket`, by a documented convention.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import math
import queue
import re
import threading
import types
import zlib
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import IO, Any, cast

import attrs

from .._backlink import Backlink
from .._errors import AuthorityError
from .._web._urls import normalize_host

__all__ = [
    "AuthorityBucket",
    "AuthorityMetric",
    "GraphLevel",
    "ImportedAuthority",
    "WebGraphRank",
    "WebGraphRanks",
    "imported_authority",
    "read_web_graph_ranks",
]


class AuthorityBucket(enum.Enum):
    """How high a site ranks among all sites, in five bands (best first), or `UNKNOWN`.

    For Common Crawl ranks the band is the harmonic centrality position: `TOP_10K` is positions
    1-10,000, `TOP_100K` 10,001-100,000, `TOP_1M` up to 1,000,000, `TOP_10M` up to 10,000,000 and
    `BEYOND_10M` the rest (a domain graph release has about 100 million domains, a host graph
    several hundred million hosts). Powers of ten, because authority is spread over orders of
    magnitude and a person reads "top 100k" at a glance. Tool scores map onto the same bands
    through `AuthorityMetric.bucket`. `UNKNOWN` comes last: a referring domain the ranks file
    does not list and the exports give no score for.

    >>> AuthorityBucket.of_position(42_000)
    <AuthorityBucket.TOP_100K: 'top-100k'>
    >>> AuthorityBucket.TOP_10K.order < AuthorityBucket.BEYOND_10M.order
    True
    """

    TOP_10K = "top-10k"
    TOP_100K = "top-100k"
    TOP_1M = "top-1m"
    TOP_10M = "top-10m"
    BEYOND_10M = "beyond-10m"
    UNKNOWN = "unknown"
    """No authority known: no rank given for the site, and no score in the exports."""

    @classmethod
    def of_position(cls, position: int) -> AuthorityBucket:
        """The band of a rank position (1 is the best).

        Raises:
            AuthorityError: `position` is below 1.
        """
        if position < 1:
            raise AuthorityError(f"a rank position starts at 1, not {position!r}")
        for bucket, limit in _POSITION_LIMITS:
            if position <= limit:
                return bucket
        return cls.BEYOND_10M

    @property
    def order(self) -> int:
        """0 for the best band, 4 for `BEYOND_10M`, 5 for `UNKNOWN`: sort by it, best first."""
        return _ORDER[self]

    @property
    def limit(self) -> int | None:
        """The band's last position (10,000 for `TOP_10K`); None for `BEYOND_10M` and `UNKNOWN`."""
        return dict(_POSITION_LIMITS).get(self)


_POSITION_LIMITS: tuple[tuple[AuthorityBucket, int], ...] = (
    (AuthorityBucket.TOP_10K, 10_000),
    (AuthorityBucket.TOP_100K, 100_000),
    (AuthorityBucket.TOP_1M, 1_000_000),
    (AuthorityBucket.TOP_10M, 10_000_000),
)
_ORDER = {bucket: index for index, bucket in enumerate(AuthorityBucket)}


class AuthorityMetric(enum.Enum):
    """An authority score a backlink tool exports, on a 0-100 scale (see `bucket`).

    >>> AuthorityMetric("domain_rating").bucket(90).value
    'top-10k'
    """

    DOMAIN_RATING = "domain_rating"
    """Ahrefs' Domain Rating (DR) of the linking site."""
    DOMAIN_AUTHORITY = "domain_authority"
    """Moz's Domain Authority (DA) of the linking site."""
    AUTHORITY_SCORE = "authority_score"
    """Semrush's Authority Score (AS) of the linking page."""
    TRUST_FLOW = "trust_flow"
    """Majestic's Trust Flow (TF) of the linking page."""
    CITATION_FLOW = "citation_flow"
    """Majestic's Citation Flow (CF) of the linking page."""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The lowest scores of `TOP_10K`, `TOP_100K`, `TOP_1M` and `TOP_10M`, in that order.

        A convention, not a measurement of any tool's index. Domain Rating's bounds (81, 71, 46,
        21) follow the distribution Ahrefs published with its 2018 DR update: about 11,500
        domains at DR 81 or more, 98,000 at 71 or more, 990,000 at 46 or more and 8.7 million at
        21 or more. Domain Authority, Authority Score and Citation Flow are, like DR, link-volume
        scores on a logarithmic 0-100 scale, and take the same bounds. Trust Flow runs below
        Citation Flow for almost every site (it counts only links close to trusted seeds) and
        takes lower ones (65, 50, 30, 15; 15 is the floor practitioners commonly use for a
        "quality" domain).

        >>> AuthorityMetric.DOMAIN_RATING.bounds
        (81.0, 71.0, 46.0, 21.0)
        """
        return _SCORE_BOUNDS[self]

    def bucket(self, score: float) -> AuthorityBucket:
        """The band a score of this metric falls in, by the convention of `bounds`.

        Args:
            score: the tool's score, 0-100.

        Returns:
            The band: the first whose lowest score `score` reaches, else `BEYOND_10M`.

        Raises:
            AuthorityError: `score` is not a number from 0 to 100.

        >>> AuthorityMetric.DOMAIN_RATING.bucket(75)
        <AuthorityBucket.TOP_100K: 'top-100k'>
        >>> AuthorityMetric.TRUST_FLOW.bucket(12)
        <AuthorityBucket.BEYOND_10M: 'beyond-10m'>
        """
        value = _check_score(self, score)
        for (bucket, _), lowest in zip(_POSITION_LIMITS, self.bounds, strict=True):
            if value >= lowest:
                return bucket
        return AuthorityBucket.BEYOND_10M


_LINK_VOLUME_BOUNDS = (81.0, 71.0, 46.0, 21.0)
_SCORE_BOUNDS: Mapping[AuthorityMetric, tuple[float, float, float, float]] = {
    AuthorityMetric.DOMAIN_RATING: _LINK_VOLUME_BOUNDS,
    AuthorityMetric.DOMAIN_AUTHORITY: _LINK_VOLUME_BOUNDS,
    AuthorityMetric.AUTHORITY_SCORE: _LINK_VOLUME_BOUNDS,
    AuthorityMetric.CITATION_FLOW: _LINK_VOLUME_BOUNDS,
    AuthorityMetric.TRUST_FLOW: (65.0, 50.0, 30.0, 15.0),
}
# The `Backlink` field each metric is exported in.
_BACKLINK_FIELDS = {
    AuthorityMetric.DOMAIN_RATING: "domain_rating",
    AuthorityMetric.DOMAIN_AUTHORITY: "domain_authority",
    AuthorityMetric.AUTHORITY_SCORE: "page_ascore",
    AuthorityMetric.TRUST_FLOW: "trust_flow",
    AuthorityMetric.CITATION_FLOW: "citation_flow",
}


def _check_score(metric: AuthorityMetric, score: float) -> float:
    try:
        value = float(score)
    except (TypeError, ValueError):
        raise AuthorityError(f"a {metric.value} score must be a number, not {score!r}") from None
    if not 0.0 <= value <= 100.0:  # NaN fails this too
        raise AuthorityError(f"a {metric.value} score runs from 0 to 100, not {score!r}")
    return value


def _to_float(value: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AuthorityError(f"an authority score must be a number, not {value!r}") from None


@attrs.frozen
class ImportedAuthority:
    """One authority score a backlink tool exported, with its band.

    Attributes:
        metric: which tool's score it is.
        score: the score, 0-100.

    Raises:
        AuthorityError: `score` is not a number from 0 to 100.

    >>> ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 83).bucket
    <AuthorityBucket.TOP_10K: 'top-10k'>
    """

    metric: AuthorityMetric
    score: float = attrs.field(converter=_to_float)

    def __attrs_post_init__(self) -> None:
        _check_score(self.metric, self.score)

    @property
    def bucket(self) -> AuthorityBucket:
        """The band of the score (`AuthorityMetric.bucket`)."""
        return self.metric.bucket(self.score)

    @classmethod
    def from_backlink(cls, backlink: Backlink) -> tuple[ImportedAuthority, ...]:
        """The authority scores a backlink record carries, in `AuthorityMetric` order.

        That order (DR, DA, AS, TF, CF) is also the one to prefer when a site has several.

        Raises:
            AuthorityError: a score is outside 0-100 (a column read wrongly).

        >>> from backlinkkit import Backlink
        >>> link = Backlink("https://blog.test/", domain_rating=64.0, trust_flow=22.0)
        >>> [(a.metric.value, a.bucket.value) for a in ImportedAuthority.from_backlink(link)]
        [('domain_rating', 'top-1m'), ('trust_flow', 'top-10m')]
        """
        found = []
        for metric, field in _BACKLINK_FIELDS.items():
            score = getattr(backlink, field)
            if score is not None:
                found.append(cls(metric, score))
        return tuple(found)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: `source` ("import"), `metric`, `score`, `bucket`."""
        return {
            "source": "import",
            "metric": self.metric.value,
            "score": self.score,
            "bucket": self.bucket.value,
        }

    @property
    def evidence(self) -> str:
        """The score in words, for a reason or a report: `"domain_rating 12"`."""
        return f"{self.metric.value} {self.score:g}"

    # Versioned plain data: the pickle names only `backlinkkit.ImportedAuthority`.
    def __getstate__(self) -> dict[str, object]:
        return {"version": _VALUE_STATE_VERSION, "metric": self.metric.value, "score": self.score}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        _check_state("ImportedAuthority", state)
        object.__setattr__(self, "metric", AuthorityMetric(state["metric"]))
        object.__setattr__(self, "score", state["score"])


_VALUE_STATE_VERSION = 1


def _check_state(name: str, state: Mapping[str, object]) -> None:
    version = state.get("version")
    if version != _VALUE_STATE_VERSION:
        raise TypeError(f"cannot load {name} pickled with state version {version!r}")


def imported_authority(
    domain_rating: float | None,
    domain_authority: float | None,
    page_ascore: float | None,
    trust_flow: float | None,
    citation_flow: float | None,
) -> ImportedAuthority | None:
    """The score to judge a referring domain by, of those its exports carry: the first known.

    In `AuthorityMetric` order (DR, DA, AS, TF, CF): site-level scores before page-level ones.
    A score outside 0-100 (a column read wrongly) is passed over, not raised: the profile of a
    whole export should not fail for one bad cell.

    >>> imported_authority(None, 40.0, None, 9.0, None).evidence
    'domain_authority 40'
    >>> imported_authority(150.0, None, None, None, None) is None
    True
    """
    for metric, score in zip(
        AuthorityMetric,
        (domain_rating, domain_authority, page_ascore, trust_flow, citation_flow),
        strict=True,
    ):
        if score is not None and 0.0 <= score <= 100.0:
            return ImportedAuthority(metric, score)
    return None


class GraphLevel(enum.Enum):
    """Which graph of a Common Crawl web graph release a ranks file belongs to.

    `read_web_graph_ranks` tells them apart by the header (a domain graph has `#n_hosts`).

    >>> GraphLevel.DOMAIN.value
    'domain'
    """

    HOST = "host"
    """One row per host name (`www.example.com`)."""
    DOMAIN = "domain"
    """One row per registrable domain (`example.com`), with its number of hosts."""


@attrs.frozen(kw_only=True)
class WebGraphRank:
    """One host's or domain's row of a Common Crawl ranks file.

    Attributes:
        name: the host or domain, in normal order (`example.com`), lower-case punycode.
        harmonic_position: its position by harmonic centrality (1 is the most central).
        harmonic_centrality: its harmonic centrality.
        pagerank_position: its position by PageRank.
        pagerank: its PageRank.
        hosts: how many hosts it has (domain graphs); None in a host graph.

    The band (`bucket`) comes from the harmonic centrality position: harmonic centrality is the
    measure Common Crawl sorts its ranks by, and a link farm can raise its own PageRank far more
    easily than its closeness to the rest of the web.

    >>> rank = WebGraphRank(name="example.com", harmonic_position=5_120,
    ...                     harmonic_centrality=2.1e7, pagerank_position=9_800,
    ...                     pagerank=1.5e-6, hosts=12)
    >>> rank.bucket
    <AuthorityBucket.TOP_10K: 'top-10k'>
    """

    name: str
    harmonic_position: int
    harmonic_centrality: float
    pagerank_position: int
    pagerank: float
    hosts: int | None = None

    @property
    def bucket(self) -> AuthorityBucket:
        """The band of `harmonic_position`."""
        return AuthorityBucket.of_position(self.harmonic_position)

    @property
    def evidence(self) -> str:
        """The rank in words: `"Common Crawl harmonic centrality position 5,120"`."""
        return f"Common Crawl harmonic centrality position {self.harmonic_position:,}"

    # Versioned plain data: the pickle names only `backlinkkit.WebGraphRank`.
    def __getstate__(self) -> dict[str, object]:
        state: dict[str, object] = {name: getattr(self, name) for name in _RANK_FIELDS}
        state["version"] = _VALUE_STATE_VERSION
        return state

    def __setstate__(self, state: Mapping[str, object]) -> None:
        _check_state("WebGraphRank", state)
        for name in _RANK_FIELDS:
            object.__setattr__(self, name, state[name])

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record: `source` ("common_crawl"), every field, and `bucket`."""
        return {
            "source": "common_crawl",
            "name": self.name,
            "harmonic_position": self.harmonic_position,
            "harmonic_centrality": self.harmonic_centrality,
            "pagerank_position": self.pagerank_position,
            "pagerank": self.pagerank,
            "hosts": self.hosts,
            "bucket": self.bucket.value,
        }


def _frozen_ranks(value: Mapping[str, WebGraphRank]) -> Mapping[str, WebGraphRank]:
    return types.MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, repr=False)
class WebGraphRanks(Mapping[str, WebGraphRank]):
    """The rows `read_web_graph_ranks` kept: a mapping from name (normal order) to its rank.

    Attributes:
        level: the graph the file belongs to (hosts or domains).
        rows: how many data rows the file has (every one was checked).
        asked: the names asked for, normalized (lower-case punycode).

    >>> ranks = WebGraphRanks(level=GraphLevel.DOMAIN, rows=0, asked=frozenset({"a.test"}))
    >>> len(ranks), ranks.missing
    (0, ('a.test',))
    """

    level: GraphLevel
    rows: int
    asked: frozenset[str]
    _ranks: Mapping[str, WebGraphRank] = attrs.field(
        factory=dict, converter=_frozen_ranks, alias="ranks"
    )

    def __getitem__(self, name: str) -> WebGraphRank:
        return self._ranks[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ranks)

    def __len__(self) -> int:
        return len(self._ranks)

    def __repr__(self) -> str:
        return (
            f"<WebGraphRanks of a {self.level.value} graph: {len(self):,} of {len(self.asked):,} "
            f"names found in {self.rows:,} rows>"
        )

    # Reading a whole release takes minutes, so the result is worth keeping: pickles carry
    # versioned plain data (no private module, no mapping proxy).
    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "level": self.level.value,
            "rows": self.rows,
            "asked": sorted(self.asked),
            "ranks": [
                [getattr(rank, name) for name in _RANK_FIELDS] for rank in self._ranks.values()
            ],
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        version = state.get("version")
        if version != _STATE_VERSION:
            raise TypeError(f"cannot load WebGraphRanks pickled with state version {version!r}")
        rows = cast("list[list[Any]]", state["ranks"])
        ranks = {row[0]: WebGraphRank(**dict(zip(_RANK_FIELDS, row, strict=True))) for row in rows}
        object.__setattr__(self, "level", GraphLevel(state["level"]))
        object.__setattr__(self, "rows", state["rows"])
        object.__setattr__(self, "asked", frozenset(cast("list[str]", state["asked"])))
        object.__setattr__(self, "_ranks", types.MappingProxyType(ranks))

    @property
    def missing(self) -> tuple[str, ...]:
        """The names asked for that the file does not list, sorted.

        A domain missing from a domain graph had no link to or from it in the crawl: for a
        whole release that is a sign of a very small site, not of a reading error.
        """
        return tuple(sorted(self.asked.difference(self._ranks)))


_STATE_VERSION = 1
_RANK_FIELDS = tuple(field.name for field in attrs.fields(WebGraphRank))

# -- reading -----------------------------------------------------------------------------------

_HOST_HEADER = b"#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev"
_DOMAIN_HEADER = _HOST_HEADER + b"\t#n_hosts"
_COLUMNS = ("#harmonicc_pos", "#harmonicc_val", "#pr_pos", "#pr_val", "#host_rev", "#n_hosts")
# One row, from the newline before it to (not including) the newline after it, with its name as
# the group: positions (and the host count) are digits, the values and the name anything without
# a tab. Fields are `[^\t]+` rather than `[^\t\n]+`, and digits `[0-9]` rather than `\d`, on
# purpose: both run markedly faster in `re` (measured), and a match that ran over a newline would
# span two rows, which the count below catches. Matched from a row's leading newline, one match
# per row means every row has exactly the header's fields: matches never overlap and each starts
# at a row, so fewer matches than rows is the sign of a malformed row.
_ROW_PATTERNS = {
    GraphLevel.HOST: re.compile(rb"\n[0-9]+\t[^\t]+\t[0-9]+\t[^\t]+\t([^\t]+)(?=\n)"),
    GraphLevel.DOMAIN: re.compile(rb"\n[0-9]+\t[^\t]+\t[0-9]+\t[^\t]+\t([^\t]+)\t[0-9]+(?=\n)"),
}
# What `_problem` checks a malformed row's fields against, to say what is wrong with it.
_NUMBER = rb"[0-9]+"
_VALUE = rb"[0-9.eE+-]+"
_VALUE_PATTERN = re.compile(_VALUE)
# A host as URLs carry it: lower-case ASCII labels of letters, digits and hyphens.
_NORMAL_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")
# Compressed bytes read at a time: about 200 KB once inflated, small enough to stay in the CPU's
# cache while the pattern runs over it (larger reads measured slower here).
_GZIP_READ = 1 << 16
_PLAIN_READ = 1 << 18
# Decompressed blocks (about 200 KB each) the inflating thread may run ahead of the reader.
_PIPELINE_BLOCKS = 8
# From this many rows kept in one block on, the block is split once rather than searched per row.
_MANY_HITS = 12
# A "line" longer than this is not a ranks row: the file is something else (or corrupt).
_MAX_LINE = 1 << 20


def read_web_graph_ranks(stream: IO[bytes], names: Iterable[str]) -> WebGraphRanks:
    r"""Read the rows of `names` from a Common Crawl web graph ranks file (host or domain graph).

    The stream is read once, in blocks, gzip (one or several members) or plain text; memory
    depends on the names asked for, not on the file's size. Every row is checked, the ones not
    kept too: a row kept is parsed in full (whole-number positions of at least 1, finite
    non-negative numbers for the values, a host count for domain graphs); a row skipped must
    still have exactly the header's tab-separated fields, digits for the positions (and the host
    count) and a non-empty value and name. gzip's own checksum and length catch damaged
    compressed data and a truncated download. What the check of skipped rows does not see: a
    value field that is not a number, digits that are wrong but well-formed, a name that is not a
    valid host.

    A name listed twice keeps its first row (the better position: the files are sorted by it).

    Args:
        stream: the file opened in binary mode (`open(path, "rb")`), compressed or not.
        names: hosts (host graph) or registrable domains (domain graph) in normal order
            (`example.com`), as a profile's referring domains are; normalized here
            (lower-case punycode, no trailing dot).

    Returns:
        The rows of the names found, by name, with the graph level and the number of rows.

    Raises:
        AuthorityError: the stream is not a ranks file (wrong header, not text), gzip data is
            damaged or truncated, or a row is malformed (the message names the line).
        InvalidURLError: a name asked for is not a host name.

    >>> import gzip, io
    >>> data = gzip.compress(
    ...     b"#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n"
    ...     b"1\t3.1E7\t2\t0.0086\tcom.facebook\t6043\n"
    ...     b"2\t2.9E7\t1\t0.0095\tcom.google\t21000\n")
    >>> ranks = read_web_graph_ranks(io.BytesIO(data), ["google.com", "absent.test"])
    >>> ranks["google.com"].pagerank_position, ranks.level.value, ranks.missing
    (1, 'domain', ('absent.test',))
    """
    wanted: dict[bytes, str] = {}
    for name in names:
        # A profile's referring domains are normalized already: only others go through the URL
        # parser (lower-case, punycode, no trailing dot; raises for what is not a host).
        normal = name if _NORMAL_HOST.fullmatch(name) else normalize_host(name)
        wanted[".".join(reversed(normal.split("."))).encode("ascii")] = normal
    reader = _RanksReader(wanted)
    chunks = _decompressed(stream)
    try:
        reader.read(chunks)
    finally:
        chunks.close()  # stops the inflating thread at once if reading stopped early
    if reader.level is None:
        raise AuthorityError("the ranks file is empty: no header line")
    return WebGraphRanks(
        level=reader.level, rows=reader.rows, asked=frozenset(wanted.values()), ranks=reader.found
    )


def _decompressed(stream: IO[bytes]) -> Generator[bytes, None, None]:
    """The stream's bytes, inflated if they are gzip, in blocks."""
    first = stream.read(_GZIP_READ)
    if not isinstance(first, bytes | bytearray | memoryview):
        raise AuthorityError("read_web_graph_ranks needs a binary stream: open the file with 'rb'")
    first = bytes(first)
    while 0 < len(first) < 2:  # a stream may hand out one byte at a time
        more = stream.read(_GZIP_READ)
        if not more:
            break
        first += more
    if first[:2] == b"\x1f\x8b":
        yield from _in_thread(_gunzip(first, stream))
        return
    chunk = first
    while chunk:
        yield chunk
        chunk = stream.read(_PLAIN_READ)


def _gunzip(first: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj(31)  # 31: gzip framing, its CRC-32 and length checked
    data = first
    consumed = 0  # compressed bytes handed to zlib so far, to say where damage is
    while True:
        if not data:
            data = stream.read(_GZIP_READ)
            if not data:
                break
        try:
            out = inflater.decompress(data)
        except zlib.error as error:
            raise AuthorityError(
                f"the gzip data is damaged near compressed byte {consumed:,}: {error}"
            ) from None
        consumed += len(data) - len(inflater.unused_data)
        if out:
            yield out
        if not inflater.eof:
            data = b""
            continue
        # A member ended; another may follow (concatenated gzip files are one stream).
        data = inflater.unused_data or stream.read(_GZIP_READ)
        if not data:
            return
        inflater = zlib.decompressobj(31)
    raise AuthorityError(
        f"the gzip stream is truncated after {consumed:,} compressed bytes: the download is "
        "incomplete"
    )


def _in_thread(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks`, produced by a helper thread a few blocks ahead of the reader.

    zlib (and the file reads) release the GIL, so on a second core the next blocks inflate while
    this one is scanned; memory stays bounded by the queue. An error in the helper is raised
    here; when the reader stops early, the helper stops too.
    """
    handoff: queue.Queue[bytes | BaseException | None] = queue.Queue(_PIPELINE_BLOCKS)
    stop = threading.Event()

    def hand(item: bytes | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        last: BaseException | None = None
        try:
            for chunk in chunks:
                if not hand(chunk):
                    return
        except BaseException as error:  # noqa: BLE001 - raised again in the reading thread
            last = error
        hand(last)

    helper = threading.Thread(target=produce, name="backlinkkit-ranks-gunzip", daemon=True)
    helper.start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()


class _RanksReader:
    """The line-level work: the header, then rows one block at a time."""

    def __init__(self, wanted: dict[bytes, str]) -> None:
        self.wanted = wanted
        self.pending = set(wanted)
        self.found: dict[str, WebGraphRank] = {}
        self.level: GraphLevel | None = None
        self.pattern = _ROW_PATTERNS[GraphLevel.DOMAIN]  # set from the header
        self.rows = 0
        self.blocks = self.hit_blocks = 0  # blocks scanned, and those that held a name asked for

    def read(self, chunks: Iterator[bytes]) -> None:
        rest = self._read_header(chunks)
        if rest is None:
            return
        carry = b""
        for chunk in itertools.chain((rest,), chunks):
            end = chunk.rfind(b"\n")
            if end < 0:
                carry += chunk
                self._check_length(carry)
                continue
            # Every block starts with the newline that ends the line before its first row.
            self._block(b"".join((carry, memoryview(chunk)[: end + 1])))
            carry = chunk[end:]
        if len(carry) > 1:  # the last row has no newline after it
            self._block(carry + b"\n")

    def _read_header(self, chunks: Iterator[bytes]) -> bytes | None:
        """Read up to the header's newline; the rest from that newline on, or None at the end."""
        text = b""
        for chunk in chunks:
            text += chunk
            end = text.find(b"\n")
            if end >= 0:
                self._header(text[:end])
                return text[end:]
            self._check_length(text)
        if text:
            self._header(text)  # a header without a newline, and no rows
        return None

    def _check_length(self, carry: bytes) -> None:
        if len(carry) > _MAX_LINE:
            raise AuthorityError(
                f"line {self.rows + 2 if self.level else 1} is over {_MAX_LINE:,} bytes long: "
                "this is not a Common Crawl ranks file"
            )

    def _header(self, line: bytes) -> None:
        if line == _DOMAIN_HEADER:
            self.level = GraphLevel.DOMAIN
        elif line == _HOST_HEADER:
            self.level = GraphLevel.HOST
        else:
            shown = line[:200].decode("utf-8", "replace")
            raise AuthorityError(
                f"line 1 is not the header of a Common Crawl ranks file: {shown!r} (expected "
                f"{_DOMAIN_HEADER.decode()!r}, without '\\t#n_hosts' for a host graph)"
            )
        self.pattern = _ROW_PATTERNS[self.level]

    def _block(self, block: bytes) -> None:
        # `block` runs from a newline to a newline: as many rows as newlines, less one.
        first_line = self.rows + 2  # the header is line 1
        rows = block.count(b"\n") - 1
        names = self.pattern.findall(block)
        if len(names) != rows:
            self._raise_malformed(block, first_line)
        self.rows += rows
        pending = self.pending
        if not pending:
            return
        # Where most blocks hold no name asked for, isdisjoint says so without building a set;
        # where most do hold one, that is a wasted pass, so it is skipped.
        if self.hit_blocks * 2 < self.blocks and pending.isdisjoint(names):
            self.blocks += 1
            return
        hits = pending.intersection(names)
        self.blocks += 1
        self.hit_blocks += bool(hits)
        if len(hits) < _MANY_HITS:
            for name in hits:
                self._keep(name, first_line + names.index(name), self._row(block, name))
            return
        # Many rows kept from one block: index the block once instead of searching it per row.
        # The row of a name is its first occurrence (reversed, so that earlier rows win).
        index = dict(zip(reversed(names), range(len(names) - 1, -1, -1), strict=True))
        lines = block.split(b"\n")  # lines[0] is the empty text before the leading newline
        for name in hits:
            at = index[name]
            self._keep(name, first_line + at, lines[at + 1].split(b"\t"))

    def _row(self, block: bytes, name: bytes) -> list[bytes]:
        # The first row whose name field (the fifth: a tab follows it in a domain graph, else the
        # newline) is `name`; `findall` found one, so the search ends on it.
        needle = b"\t" + name + (b"\t" if self.level is GraphLevel.DOMAIN else b"\n")
        at = block.find(needle)
        while True:
            start = block.rfind(b"\n", 0, at) + 1
            fields = block[start : block.find(b"\n", at + 1)].split(b"\t")
            if fields[4] == name:
                return fields
            at = block.find(needle, at + 1)

    def _keep(self, name: bytes, line: int, fields: list[bytes]) -> None:
        self.found[self.wanted[name]] = self._parse(fields, line, self.wanted[name])
        self.pending.discard(name)

    def _parse(self, fields: list[bytes], line: int, name: str) -> WebGraphRank:
        where = f"line {line}"
        return WebGraphRank(
            name=name,
            harmonic_position=_position(fields[0], where, _COLUMNS[0]),
            harmonic_centrality=_value(fields[1], where, _COLUMNS[1]),
            pagerank_position=_position(fields[2], where, _COLUMNS[2]),
            pagerank=_value(fields[3], where, _COLUMNS[3]),
            hosts=(
                _position(fields[5], where, _COLUMNS[5])
                if self.level is GraphLevel.DOMAIN
                else None
            ),
        )

    def _raise_malformed(self, block: bytes, first_line: int) -> None:
        # The slow path, once: find the first row of the block that does not match, and say why.
        lines = block[1:-1].split(b"\n")
        for offset, line in enumerate(lines):
            match = self.pattern.match(b"\n" + line + b"\n")
            if match is None or match.end() != len(line) + 1:
                raise AuthorityError(f"line {first_line + offset}: {self._problem(line)}")
        raise AuthorityError(
            f"lines {first_line}-{first_line + len(lines) - 1}: malformed rows"
        )  # pragma: no cover

    def _problem(self, line: bytes) -> str:
        expected = 6 if self.level is GraphLevel.DOMAIN else 5
        fields = line.split(b"\t")
        if len(fields) != expected:
            return (
                f"expected {expected} tab-separated fields, found {len(fields)}: "
                f"{line[:120].decode('utf-8', 'replace')!r}"
            )
        for index, field in enumerate(fields):
            column = _COLUMNS[index]
            if index == 4:
                if not field:
                    return f"{column} is empty"
                continue
            kind = _VALUE if index in {1, 3} else _NUMBER
            if re.fullmatch(kind, field) is None:
                what = "a number" if index in {1, 3} else "a whole number"
                return f"{column} is not {what}: {field[:60].decode('utf-8', 'replace')!r}"
        return f"malformed row: {line[:120].decode('utf-8', 'replace')!r}"  # pragma: no cover


def _position(field: bytes, where: str, column: str) -> int:
    value = int(field)  # the row pattern let only digits through
    if value < 1:
        raise AuthorityError(f"{where}: {column} must be at least 1, not {value}")
    return value


def _value(field: bytes, where: str, column: str) -> float:
    value = math.nan
    if _VALUE_PATTERN.fullmatch(field) is not None:
        with contextlib.suppress(ValueError):  # "1.2.3": a number's characters, not a number
            value = float(field)
    if not math.isfinite(value) or value < 0:
        shown = field[:60].decode("utf-8", "replace")
        raise AuthorityError(f"{where}: {column} is not a number of at least 0: {shown!r}")
    return value
