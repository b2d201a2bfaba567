"""Hostile exports: `read_backlinks`, `read_linking_sites` and `write_backlinks` on worst cases.

The goal (issue 10): at most 2 seconds per MB of input on every path, and no exception but
backlinkkit's own. Each input is generated, about 1 MB: huge cells (quoted and not, a 1 MB
header cell), 10,000 columns, repeated header names, NUL floods, UTF-16 of odd length, lone
CRs, a quote never closed, rows made only of delimiters, every tool's header over garbage rows,
Excel `sep=` lines. Each "read" thunk reads every row and rejection (`errors="collect"`) as
backlinks and as linking sites; where records come out, a "write, read back" thunk writes them
with `write_backlinks` and reads them back (its size is the bytes written, which it reads). `benchmarks/hostile.py --reader importers` runs
`cases()` with the other readers; run alone, this prints CPU seconds per MB per case, worst
first, and every exception that is not a `BacklinkkitError`.

Run: python benchmarks/hostile_importers.py [--repeat 3] [--only NAME]
"""

from __future__ import annotations

import argparse
import codecs
import io
import random
import statistics
import string
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from backlinkkit import (
    Backlink,
    BacklinkkitError,
    read_backlinks,
    read_linking_sites,
    write_backlinks,
)

MB = 1_000_000
GOAL_SECONDS_PER_MB = 2.0

# Header rows as the tools write them (the fixtures of tests/fixtures/exports).
TOOL_HEADERS = {
    "generic": "source_url,target_url,anchor,nofollow,kind,first_seen,extra",
    "ahrefs": (
        "Referring page title\tReferring page URL\tDomain rating\tUR\tTarget URL\tLeft context"
        "\tAnchor\tRight context\tType\tNofollow\tUGC\tSponsored\tIs spam\tFirst seen"
        "\tLast seen\tLost"
    ),
    "semrush": (
        "Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,"
        "Nofollow,Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,"
        "Lost link"
    ),
    "semrush audit": (
        "Source url,Source title,Target url,Anchor,Toxicity Score,Toxic markers,Nofollow,"
        "Sponsored,Ugc,Text,Image,First seen,Last seen,Lost link"
    ),
    "majestic download": (
        "Target URL,Source URL,Anchor Text,Source Crawl Date,Source First Found Date,"
        "FlagNoFollow,FlagImageLink,FlagRedirect,FlagFrame,FlagOldCrawl,FlagAltText,"
        "FlagMention,SourceCitationFlow,SourceTrustFlow"
    ),
    "majestic site explorer": (
        "SourceURL,AnchorText,SourceCrawlDate,SourceFirstFoundDate,FlagNoFollow,FlagImageLink,"
        "FlagRedirect,FlagFrame,FlagOldCrawl,FlagAltText,FlagMention,SourceCitationFlow,"
        "SourceTrustFlow,TargetURL,TargetCitationFlow,TargetTrustFlow,FirstIndexedDate,"
        "LastSeenDate,DateLost,FlagImages,SourceTopicalTrustFlow_Topic_0"
    ),
    "search console links": "Linking page,Last crawled",
    "search console links de": "Verweisende Seite;Zuletzt gecrawlt",
    "search console sites": "Site,Linking pages,Target pages",
    "search console sites de": "Website;Verweisende Seiten;Zielseiten",
    "search console linking text": "Top linking text,Linking pages",
}


def read_all(data: bytes) -> int:
    """Every row of `data` as backlinks, then as linking sites (each may refuse the file)."""
    seen = 0
    for read in (read_backlinks, read_linking_sites):
        try:
            reader = read(io.BytesIO(data), errors="collect")  # type: ignore[operator]
        except BacklinkkitError:
            continue  # a refusal at the header is an answer
        seen += sum(1 for _ in reader) + len(reader.rejected)
        assert reader.rows == reader.accepted + len(reader.rejected)  # the promise
    return seen


def _round_trip(data: bytes) -> tuple[int, Callable[[], object]]:
    """The bytes `write_backlinks` makes of the records read from `data`, and a thunk that
    writes them and reads them back, checking the same records come back (the reading of
    `data` itself is its own case)."""
    records = list(read_backlinks(io.BytesIO(data), errors="collect"))
    written = io.BytesIO()
    write_backlinks(records, written)

    def run() -> int:
        out = io.BytesIO()
        write_backlinks(records, out)
        again = list(read_backlinks(io.BytesIO(out.getvalue())))
        if again != records:
            raise AssertionError(f"{len(records)} records written, not the same read back")
        return len(again)

    return len(written.getvalue()), run


def _fill(header: str, row: Callable[[int], str], size: int = MB, *, end: str = "\n") -> str:
    """`header` then rows `row(0), row(1), ...` up to about `size` characters."""
    out = [header]
    total = len(header)
    while total < size:
        text = row(len(out))
        out.append(text)
        total += len(text) + len(end)
    return end.join(out) + end


def _garbage(rng: random.Random, size: int) -> str:
    """Printable text with delimiters, quotes and line breaks: what a corrupted export holds."""
    alphabet = string.printable + '",;\t\r\n\x00\u00e9\u4e2d\ufeff'
    return "".join(rng.choices(alphabet, k=size))


def _exports() -> Iterator[tuple[str, bytes, bool]]:
    """(case name, bytes, whether a write round trip applies) for every hostile export."""
    rng = random.Random(10)
    utf8 = "utf-8"
    big = "x" * 200_000
    yield (
        "200 KB unquoted cells",
        _fill("source_url,anchor", lambda i: f"https://a.test/{i},{big}").encode(utf8),
        True,
    )
    quoted = ('a""b,\n' * 33_000)[:200_000]
    yield (
        "200 KB quoted cells with quotes, commas, breaks",
        _fill("source_url,anchor", lambda i: f'https://a.test/{i},"{quoted}"').encode(utf8),
        True,
    )
    yield (
        "1 MB unquoted header cell",
        ("source_url," + "h" * MB + "\nhttps://a.test/,x\n").encode(utf8),
        True,
    )
    yield (
        "1 MB quoted header cell",
        ('source_url,"' + 'h"",' * (MB // 4) + '"\nhttps://a.test/,x\n').encode(utf8),
        True,
    )
    wide = "source_url," + ",".join(f"c{i}" for i in range(10_000))
    yield (
        "10,000 columns",
        _fill(wide, lambda i: f"https://a.test/{i}," + ",".join(["v"] * 10_000)).encode(utf8),
        True,
    )
    yield (
        "10,000 repeated column names",
        _fill(
            "source_url," + ",".join(["foo"] * 10_000),
            lambda i: f"https://a.test/{i}," + ",".join(["v"] * 10_000),
        ).encode(utf8),
        True,
    )
    yield (
        "repeated tool columns (Domain rating x 3, extra)",
        _fill(
            "source_url,Domain rating,Domain rating,Domain rating,extra,extra,anchor,anchor",
            lambda i: f'https://a.test/{i},1,2,3,"{{""k"": ""v""}}",x,a,b',
        ).encode(utf8),
        True,
    )
    yield "NUL flood after a header", b"source_url,anchor\n" + b"\x00" * MB, False
    yield (
        "NULs in every cell",
        _fill("source_url,anchor", lambda i: f"https://a.test/{i}\x00,\x00\x00x").encode(utf8),
        False,
    )
    yield "NUL flood, no header", b"\x00" * MB, False
    body = _fill("source_url,anchor", lambda i: f"https://a.test/{i},caf\u00e9")
    yield (
        "UTF-16 LE with BOM, odd length",
        codecs.BOM_UTF16_LE + body.encode("utf-16-le") + b"x",
        True,
    )
    yield "UTF-16 BE without BOM, odd length", body.encode("utf-16-be") + b"\x00", True
    yield (
        "UTF-16 LE, 1 MB of one surrogate half",
        codecs.BOM_UTF16_LE + b"\x00\xd8" * (MB // 2),
        False,
    )
    yield (
        "lone CRs as line ends",
        _fill("source_url,anchor", lambda i: f"https://a.test/{i},a", end="\r").encode(utf8),
        True,
    )
    yield (
        "lone CRs inside cells",
        _fill("source_url,anchor", lambda i: f"https://a.test/{i},a\rb\r\rc").encode(utf8),
        False,
    )
    yield (
        "a quote never closed",
        ('source_url,anchor\nhttps://a.test/,"' + "never closed,\n" * (MB // 14)).encode(utf8),
        False,
    )
    yield (
        "a quote never closed, tab export",
        (TOOL_HEADERS["ahrefs"] + '\n"' + "t\tu\n" * (MB // 4)).encode("utf-16"),
        False,
    )
    yield "rows of only commas", _fill("source_url,anchor", lambda _: "," * 60).encode(utf8), False
    yield (
        "rows of only delimiters, 10,000 wide",
        _fill("source_url;anchor", lambda _: ";" * 10_000).encode(utf8),
        False,
    )
    yield (
        "sep=; then rows",
        _fill("sep=;\nsource_url;anchor", lambda i: f"https://a.test/{i};a").encode(utf8),
        True,
    )
    yield "sep= lines repeated", ("sep=,\n" * (MB // 6)).encode(utf8), False
    yield (
        "sep= line with a 1 MB delimiter",
        ("sep=" + ";" * MB + "\nsource_url;anchor\nhttps://a.test/;a\n").encode(utf8),
        False,
    )
    for tool, header in TOOL_HEADERS.items():
        delimiter = "\t" if "\t" in header else (";" if ";" in header else ",")
        width = header.count(delimiter) + 1
        yield (
            f"{tool} header, garbage rows",
            _fill(header, lambda _: _garbage(rng, 200)).encode(utf8),
            False,
        )

        def plausible(_: int, delimiter: str = delimiter, width: int = width) -> str:
            cells = [rng.choice(["https://a.test/", "1,240", "TRUE", "-", "", "x" * 30, "12.5"])]
            return delimiter.join(cells * width)

        yield f"{tool} header, plausible wrong rows", _fill(header, plausible).encode(utf8), False


def _write_huge_anchors() -> tuple[int, Callable[[], object]]:
    """Records with 200 KB anchors of quotes and breaks, written and read back."""
    anchor = ('"a,b"\r\n\\' * 25_000)[:200_000]
    records = [Backlink(f"https://a.test/{i}", anchor=anchor) for i in range(5)]

    def run() -> int:
        out = io.BytesIO()
        write_backlinks(records, out)
        again = list(read_backlinks(io.BytesIO(out.getvalue())))
        if again != records:
            raise AssertionError("200 KB anchors did not read back")
        return len(again)

    return 5 * len(anchor), run


def cases() -> Iterator[tuple[str, int, Callable[[], object]]]:
    """(case name, input bytes, a thunk doing the work) for every hostile export case."""
    for name, data, writes in _exports():
        yield f"{name}: read", len(data), lambda data=data: read_all(data)
        if writes:
            try:
                size, thunk = _round_trip(data)
            except BacklinkkitError:
                continue  # the export itself is refused: nothing to write
            yield f"{name}: write, read back", size, thunk
    yield "write 200 KB anchors, read back", *_write_huge_anchors()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()

    rows = []
    foreign = []
    for name, size, thunk in cases():
        if args.only and args.only not in name:
            continue
        seconds = []
        outcome = "ok"
        for _ in range(args.repeat):
            start = time.process_time()
            try:
                thunk()
            except BacklinkkitError as error:
                outcome = type(error).__name__
            except Exception as error:  # noqa: BLE001 - the point is to catch anything foreign
                where = traceback.extract_tb(error.__traceback__)[-1]
                outcome = (
                    f"FOREIGN {type(error).__name__}: {error!s:.100}"
                    f" ({Path(where.filename).name}:{where.lineno})"
                )
                foreign.append((name, outcome))
                break
            seconds.append(time.process_time() - start)
        median = statistics.median(seconds) if seconds else 0.0
        rows.append((median / (size / MB), name, size, median, outcome))
    rows.sort(reverse=True)
    print(f"{'case':<60} {'input':>11} {'cpu s':>8} {'s/MB':>7}  outcome")
    for per_mb, name, size, seconds, outcome in rows:
        # Tiny inputs: timer noise (as in hostile.py).
        flag = "  OVER" if per_mb > GOAL_SECONDS_PER_MB and seconds > 0.05 else ""
        print(f"{name[:60]:<60} {size:>11,} {seconds:>8.3f} {per_mb:>7.3f}  {outcome}{flag}")
    if rows:
        print(
            f"worst: {rows[0][0]:.3f} s/MB ({rows[0][1]}); goal {GOAL_SECONDS_PER_MB} s/MB; "
            f"foreign exceptions: {len(foreign)}"
        )


if __name__ == "__main__":
    main()
