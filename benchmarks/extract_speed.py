"""How fast `extract_links` runs on real pages, against the bare parse and what users use instead.

Usage: python benchmarks/extract_speed.py [--corpus DIR] [--repeats N]

In one run, on every page of the corpus (default ../shared/corpus), each repeat times, in turn:

- bare lxml: `lxml.etree.fromstring(bytes, HTMLParser())`, the parse and nothing else: the ceiling
  (and the same with the parser options extract_links uses, which parse about 7% faster);
- extract_links: the full extraction (sniffing, parse, URLs, text, sections, sites);
- Scrapy: `LinkExtractor()` on an `HtmlResponse` built from the bytes, as users write it (it
  drops duplicates and links to files with known extensions), and
  `LinkExtractor(unique=False, deny_extensions=[])`, which keeps every link as extract_links does;
- BeautifulSoup (lxml): `find_all(["a", "area"], href=True)`, `urljoin` and `get_text`, as a
  user would write it.

It prints the median MB/s of each over the repeats and the ratios the goals name: extract_links at
least 0.5x the bare parse, 3x Scrapy, 8x BeautifulSoup. Times are the CPU time of this process
(`time.process_time`), which other work on a shared machine disturbs less than the wall clock.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from lxml import etree

from backlinkkit import extract_links

# extract_links's parser settings (backlinkkit._web._extract._parser), for the second ceiling.
PARSER_OPTIONS = {
    "encoding": "utf-8",
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
    "no_network": True,
    "default_doctype": False,
    "compact": True,
    "collect_ids": False,
}
GOALS = {
    "bare lxml parse": 0.5,
    "bare parse, our options": 0.5,
    "Scrapy LinkExtractor()": 3.0,
    "Scrapy, every link": 3.0,
    "BeautifulSoup (lxml)": 8.0,
}


def bare_parse(**options: object) -> Callable[[bytes, str], object]:
    parser = etree.HTMLParser(**options)
    return lambda data, _url: etree.fromstring(data, parser)


def backlinkkit_extract() -> Callable[[bytes, str], object]:
    return extract_links


def scrapy_extract(**options: object) -> Callable[[bytes, str], object] | None:
    try:
        from scrapy.http import HtmlResponse
        from scrapy.linkextractors import LinkExtractor
    except ImportError:
        return None
    extractor = LinkExtractor(**options)

    def run(data: bytes, url: str) -> object:
        return extractor.extract_links(HtmlResponse(url=url, body=data))

    return run


def soup_extract() -> Callable[[bytes, str], object] | None:
    try:
        from bs4 import BeautifulSoup
    except ImportError:
        return None

    def run(data: bytes, url: str) -> object:
        soup = BeautifulSoup(data, "lxml")
        return [
            (urljoin(url, str(tag["href"])), tag.get_text(" ", strip=True))
            for tag in soup.find_all(["a", "area"], href=True)
        ]

    return run


def load(corpus: Path) -> list[tuple[bytes, str]]:
    pages = json.loads((corpus / "pages.json").read_text())
    return [
        (gzip.decompress((corpus / "pages" / name).read_bytes()), url)
        for name, url in sorted(pages.items())
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if not (args.corpus / "pages.json").exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")  # bs4 and scrapy warn about odd pages; not our subject
    pages = load(args.corpus)
    megabytes = sum(len(data) for data, _ in pages) / 1e6
    contenders = {
        "bare lxml parse": bare_parse(),
        # the same, with the parser options extract_links uses (no comments, no id table...)
        "bare parse, our options": bare_parse(**PARSER_OPTIONS),
        "extract_links": backlinkkit_extract(),
        "Scrapy LinkExtractor()": scrapy_extract(),
        "Scrapy, every link": scrapy_extract(unique=False, deny_extensions=[]),
        "BeautifulSoup (lxml)": soup_extract(),
    }
    runs: dict[str, list[float]] = {name: [] for name, run in contenders.items() if run}
    for run in contenders.values():  # warm up: imports, caches, the suffix list
        if run is not None:
            run(*pages[0])
    for _ in range(args.repeats):
        # Interleaved, so that the noise of a shared machine falls on every contender alike.
        for name, run in contenders.items():
            if run is None:
                continue
            start = time.process_time()
            for data, url in pages:
                run(data, url)
            runs[name].append(megabytes / (time.process_time() - start))
    speed = {name: statistics.median(values) for name, values in runs.items()}
    ours = speed["extract_links"]
    print(f"{len(pages)} pages, {megabytes:.1f} MB, {args.repeats} repeats (medians)\n")
    print(f"{'contender':<24} {'MB/s':>8} {'min':>8} {'max':>8}  extract_links ratio  goal")
    for name, value in speed.items():
        ratio = ours / value
        goal = GOALS.get(name)
        verdict = "" if goal is None else f">= {goal:g}x {'ok' if ratio >= goal else 'MISSED'}"
        print(
            f"{name:<24} {value:8.1f} {min(runs[name]):8.1f} {max(runs[name]):8.1f}  "
            f"{ratio:19.2f}x  {verdict}"
        )
    missing = [name for name, run in contenders.items() if run is None]
    if missing:
        print(f"\nnot installed, not measured: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
