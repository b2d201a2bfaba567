"""Hostile pages for `extract_links` and the encoding sniffer: how long each takes per MB.

Usage: python benchmarks/hostile_pages.py [--only SUBSTRING] [--scale FACTOR]

`cases()` yields (name, input bytes, thunk) for generated pages of about 1-2 MB, one per class of
input that has made (or could make) the extraction grow faster than its input: deep nesting past
libxml2's 2,048 levels with prefixed tags and control characters, random bytes, nested
landmarks, roles and noscripts, attribute storms, entity storms, long URLs and attribute values,
thousands of `<base>`, `<meta>` and `<template>` elements, quadratic-looking Content-Type
headers. benchmarks/hostile.py times every thunk; run alone, this script times each once and
prints the seconds per MB, worst first, and any exception that is not a BacklinkkitError. The
goal is at most 2 s per MB on every case (CPU time, `time.process_time`).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator

from backlinkkit import BacklinkkitError, extract_links
from backlinkkit._web._encoding import prescan, sniff

PAGE = "https://www.example.com/dir/page.html"
MB = 1_000_000
GOAL = 2.0  # seconds per MB of input


def _links(count: int, prefix: str = "/p") -> str:
    return "".join(f'<a href="{prefix}{i}">link {i}</a>' for i in range(count))


def _page_cases(scale: float) -> Iterator[tuple[str, bytes, dict[str, str] | None]]:
    """(name, page bytes, headers) for every hostile page."""
    n = max(1, int(scale * 100_000))  # about 1.8 MB of links at scale 1
    rng = random.Random(2026)
    yield "random bytes", rng.randbytes(int(scale * 2 * MB)), None
    yield "random bytes, 10 MB", rng.randbytes(int(scale * 10 * MB)), None
    yield "random markup bytes", bytes(rng.choice(b"<>/=\"' ax:\x01\n&;#") for _ in range(int(scale * MB))), None  # fmt: skip
    yield "control characters", (("\x01\x02<a href=/x\x03>t\x1f</a>\x0b" * (n // 2)).encode()), None
    deep = "<div>" * 2100
    yield "deep 2,100 then <x:y>", (deep + "<x:y>" + _links(n // 2)).encode(), None
    yield "deep 2,100 then \\x01", (deep + "\x01" + _links(n // 2)).encode(), None
    yield "deep 2,100 prefixed tags", ("<x:y>" * 2100 + _links(n // 2)).encode(), None
    yield "deep 20,000 <b>", ("<b>" * 20_000 + _links(n // 2)).encode(), None
    yield "deep 2,000 <div>, many end tags", ("<div>" * 2000 + "</p></span>" * n).encode(), None
    yield "deep 300,000 <div>", ("<div>" * 300_000).encode(), None
    yield "deep 2,000 <a> nesting", ("<a href=/x><span>" * 2000 + "text" * n).encode(), None
    for opening in ("<nav>", "<div role=navigation>", "<noscript>", "<section role='main x'>"):
        name = f"2,000 nested {opening} around {n:,} links"
        yield name, (opening * 2000 + _links(n)).encode(), None
    yield "deep 2,100 <nav> (depth-capped)", ("<nav>" * 2100 + _links(n // 2)).encode(), None
    yield "1,000 nested <template>", ("<template>" * 1000 + _links(n // 2)).encode(), None
    yield "templates, each with links", ("<template>" + _links(5) + "</template>") .encode() * (n // 10), None  # fmt: skip
    yield "many <base>", ('<base href="https://b.example/">' * (n // 2)).encode() + _links(100).encode(), None  # fmt: skip
    yield "many robots <meta>", ('<meta name=robots content="noindex, nofollow">' * (n // 2)).encode(), None  # fmt: skip
    yield "many <meta charset> late", (b"\xe9" + b"<p>" * 600 + b"<meta charset=koi8-r>" * (n // 3)), None  # fmt: skip
    yield "meta prescan, long tags", (b"<meta " + b"a " * (n * 5)) + b">", None
    yield "meta content charset storm", (b'<meta http-equiv=content-type content="' + b"charset" * (n * 2) + b'">'), None  # fmt: skip
    yield "many <link rel=canonical>", ('<link rel=canonical href="/c">' * (n // 2)).encode(), None
    yield "distinct hrefs", _links(n, "https://h.example/").encode(), None
    yield "distinct hosts", "".join(f'<a href="http://h{i}.example/">x</a>' for i in range(n)).encode(), None  # fmt: skip
    yield "long URL", f'<a href="/{"x" * (2 * MB)}">x</a>'.encode(), None
    yield "long URL, many dots", f'<a href="https://{"a." * MB}example/">x</a>'.encode(), None
    yield "long non-ASCII query, windows-1252", b'<a href="/?q=' + b"\xe9" * (2 * MB) + b'">x</a>', None  # fmt: skip
    yield "long attribute value", f'<a href="/x" title="{"t " * MB}">x</a>'.encode(), None
    yield "long rel", f'<a href="/x" rel="{"nofollow " * (MB // 5)}">x</a>'.encode(), None
    yield "long text in a link", f'<a href="/x">{"word " * (MB // 3)}</a>'.encode(), None
    yield "many images in a link", ('<a href="/x">' + '<img alt="a">' * (n // 2) + "</a>").encode(), None  # fmt: skip
    yield "entity storm", ("&amp;&#x41;&lt;&eacute;&#999999;" * (n // 2)).encode(), None
    yield (
        "entity storm in href",
        ('<a href="/' + "&amp;&#x41;" * (n * 2) + '">x</a>').encode(),
        None,
    )
    yield "comment storm", ("<!-- <a href=/c> -->" * n).encode(), None
    yield "unclosed comment", ("<!--" + "<a href=/c>" * n).encode(), None
    # libxml2 builds an element's attributes in quadratic time (100,000 took about 20 s): the
    # extraction keeps the first 1,000 of each element; values holding ">" or "<a" must not let
    # a tag escape that bound or make its pre-scan quadratic.
    for count in (1_000, 10_000, 30_000, 100_000):
        storm = " ".join(f"a{i}" for i in range(count))
        yield f"one element, {count:,} attributes", f'<a href="/x" {storm}>x</a>'.encode(), None
    storm = " ".join(f'a{i}=">"' for i in range(100_000))
    yield 'one element, 100,000 attributes a=">"', f"<a href=/x {storm}>x</a>".encode(), None
    tag = "<a href=/x " + " ".join(f'q{i}="<a a="' for i in range(999)) + ">x</a>"
    yield 'tags of 999 attributes q="<a a="', tag.encode() * max(1, int(scale * 90)), None
    tag = "<a href=/x " + " ".join(f"q{i}=<a" for i in range(999)) + ">x</a>"
    yield "tags of 999 attributes q=<a", tag.encode() * max(1, int(scale * 120)), None
    yield "many elements, 500 attributes each", ("<a href=/x " + " ".join(f"a{i}" for i in range(500)) + ">x</a>").encode() * max(1, int(scale * 250)), None  # fmt: skip
    header = "text/html; " + "charset" * int(scale * 230_000)
    yield "Content-Type: 'charset' x 230,000", b"<a href=/x>x</a>", {"Content-Type": header}
    header = "text/html; charset=x, " * int(scale * 70_000)
    yield "Content-Type: 70,000 MIME types", b"<a href=/x>x</a>", {"Content-Type": header}
    header = 'text/html; charset="' + '\\"' * int(scale * 500_000)
    yield "Content-Type: escaped quotes", b"<a href=/x>x</a>", {"Content-Type": header}
    header = "text/html" + ";" * int(scale * MB)
    yield "Content-Type: semicolons", b"<a href=/x>x</a>", {"Content-Type": header}
    header = "noindex, " * int(scale * 200_000)
    yield "X-Robots-Tag: 200,000 directives", b"<a href=/x>x</a>", {"X-Robots-Tag": header}


def cases(scale: float = 1.0) -> Iterator[tuple[str, int, Callable[[], object]]]:
    """(case name, input bytes, a thunk running extract_links and the sniffer) per hostile page.

    The input size counts the page and its headers. Each thunk runs `sniff` (BOM, transport
    charset, meta prescan), the late 64 KB prescan, and `extract_links`.
    """
    for name, page, headers in _page_cases(scale):
        size = len(page) + sum(len(k) + len(v) for k, v in (headers or {}).items())

        def run(page: bytes = page, headers: dict[str, str] | None = headers) -> object:
            sniff(page, headers=headers)
            prescan(page, length=65536)
            return extract_links(page, PAGE, headers=headers)

        yield name, size, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--scale", type=float, default=1.0, help="input sizes times this")
    parser.add_argument("--corpus", help="ignored (nox -s bench passes it to every script)")
    args = parser.parse_args(argv)
    results: list[tuple[float, str, int, float, str]] = []
    for name, size, run in cases(args.scale):
        if args.only not in name:
            continue
        start = time.process_time()
        outcome = "ok"
        try:
            run()
        except BacklinkkitError as error:
            outcome = f"{type(error).__name__} (a backlinkkit error)"
        except Exception as error:  # noqa: BLE001 - reporting foreign exceptions is the point
            outcome = f"FOREIGN {type(error).__name__}: {str(error)[:80]}"
        seconds = time.process_time() - start
        results.append((seconds / (size / MB), name, size, seconds, outcome))
        print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)
    print(f"{'case':<48} {'MB':>6} {'s':>7} {'s/MB':>7}  outcome")
    for per_mb, name, size, seconds, outcome in sorted(results, reverse=True):
        flag = " OVER" if per_mb > GOAL else ""
        print(f"{name:<48} {size / MB:6.2f} {seconds:7.2f} {per_mb:7.2f}{flag}  {outcome}")
    worst = max(results, default=(0.0, "", 0, 0.0, ""))
    foreign = [r for r in results if r[4].startswith("FOREIGN")]
    print(
        f"\nworst {worst[0]:.2f} s/MB ({worst[1]}); goal {GOAL:g} s/MB; foreign exceptions: {len(foreign)}"
    )
    return 1 if foreign or worst[0] > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
