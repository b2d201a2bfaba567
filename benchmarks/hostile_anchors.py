"""Hostile anchors for the anchor classifier: inputs built to be slow, and the time they take.

`cases()` yields `(name, input size in bytes, thunk)`: each thunk classifies one generated input
(one huge anchor, or many anchors of a kind) with a fresh `AnchorClassifier`, so the classifier's
cache never hides work. `benchmarks/hostile.py` times every thunk with the other readers' cases;
run alone, this module prints the worst seconds per MB of each case over a few runs:

    python benchmarks/hostile_anchors.py [--runs 3] [--scale 1.0]

The goal (issue 10) is at most 2 s per MB on every path. The cases: storms of combining marks
(alternating classes, the worst for Unicode normalization's reordering; a class-0 character that
decomposes to marks; marks beyond U+FFFF), invisible characters, NFKC expansions, many tiny
tokens, dotted words that look like host names, and huge brand and keyword lists.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterator

from backlinkkit import AnchorClassifier

MB = 1_000_000
DOMAIN = "https://www.stride-running.com/"
BRANDS = ["Stride Running", "StrideRun", "跑步"]
KEYWORDS = ["running shoes", "trail running shoes", "Bürgerservice", "跑步鞋", "laufschuhe"]


def _one_anchor(text: str) -> Callable[[], object]:
    def run() -> object:
        return AnchorClassifier(DOMAIN, brands=BRANDS, keywords=KEYWORDS).classify(text)

    return run


def _many_anchors(
    anchors: list[str], *, brands: list[str] = BRANDS, keywords: list[str] = KEYWORDS
) -> Callable[[], object]:
    def run() -> object:
        return AnchorClassifier(DOMAIN, brands=brands, keywords=keywords).classify_many(anchors)

    return run


def _size(texts: list[str]) -> int:
    return sum(len(text.encode("utf-8")) for text in texts)


def _repeat_to(unit: str, size: int) -> str:
    """`unit` repeated to about `size` bytes of UTF-8."""
    return unit * max(1, size // len(unit.encode("utf-8")))


def _single_anchor_cases(size: int) -> Iterator[tuple[str, str]]:
    yield "alternating marks (issue 10)", "a" + _repeat_to("\u0301\u0316", size)
    yield "alternating marks, kept script", "\u05d0" + _repeat_to("\u05b0\u05b4", size)
    yield "class-0 marks decomposing (U+0F73)", _repeat_to("\u0f73", size)
    yield "letter + U+0F73", _repeat_to("a\u0f73", size)
    yield "marks beyond U+FFFF", "x" + _repeat_to("\U0001d165\U0001d167", size)
    yield "Zalgo words", _repeat_to("".join(c + "\u0301\u0316" * 20 for c in "click here "), size)
    yield "soft hyphens only", _repeat_to("\u00ad", size)
    yield "letters joined by ZWJ", _repeat_to("x\u200d", size)
    yield "format characters mixed", _repeat_to("Bür\u00adger\u200bser\u2060vice\ufeff ", size)
    yield "NFKC formula ligature U+FDFA", _repeat_to("\ufdfa ", size)
    yield "NFKC fractions (1 token per byte)", _repeat_to("\u00bd", size)
    yield "NFKC squared words", _repeat_to("\u3316\u33af ", size)
    yield "one-letter tokens", _repeat_to("e ", size)
    yield "brand-prefix tokens", _repeat_to("s ", size)
    yield "CJK one-character tokens", _repeat_to("跑 ", size)
    yield "CJK run", _repeat_to("跑步鞋小米", size)
    yield "dotted word (host-name regex)", _repeat_to("a.", size) + "com!"
    yield "www prefix", "www." + _repeat_to("a.", size)
    yield "scheme URL", "https://" + _repeat_to("a", size)
    yield "elisions and apostrophes", _repeat_to("l'a qu'il ", size)
    yield "mixed European text", _repeat_to("Ünïcödé wörds 😀 ", size)


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not number:
            return digits


def _anchor_list_cases(size: int) -> Iterator[tuple[str, list[str]]]:
    count = max(1, size // 40)
    # The shortest distinct anchors: each costs a classification of its own (no cache hit).
    yield "distinct 4-letter ASCII anchors", [_base36(i).rjust(4, "a") for i in range(size // 4)]
    yield (
        "distinct 2-letter CJK anchors",
        [chr(0x4E00 + i // 200) + chr(0x4E00 + i % 200) for i in range(size // 6)],
    )
    yield (
        "distinct anchors, alternating marks of 40",
        [f"a{i}" + "\u0301\u0316" * 20 for i in range(count)],
    )
    yield (
        "distinct anchors of 31 marks each",
        [chr(0x4E00 + i % 20_000) + "\u05b0\u05b4" * 16 for i in range(count)],
    )
    yield (
        "distinct anchors with soft hyphens",
        [f"Bür\u00adger\u00adser\u00advice {i}" for i in range(count)],
    )
    yield ("distinct ligature anchors", [f"\ufdfa{i}\ufdfb" * 4 for i in range(count)])


def _huge_list_cases(
    size: int, rng: random.Random
) -> Iterator[tuple[str, int, Callable[[], object]]]:
    vocabulary = [f"w{i}" for i in range(2_000)]
    keyword_count = max(10, size // 40)
    keywords = [" ".join(rng.choices(vocabulary, k=3)) for _ in range(keyword_count)]
    anchors = [" ".join(rng.choices(vocabulary, k=5)) for _ in range(max(1, size // 40))]
    yield (
        "huge keyword list (Zipf-free words)",
        _size(keywords) + _size(anchors),
        _many_anchors(anchors, keywords=keywords),
    )
    shared = [f"best w{i} w{i + 1}" for i in range(keyword_count)]
    near = [f"best w{i}" for i in range(max(1, size // 40))]
    yield (
        "huge keyword list sharing one word",
        _size(shared) + _size(near),
        _many_anchors(near, keywords=shared),
    )
    cjk = [
        "".join(chr(0x4E00 + rng.randrange(2_000)) for _ in range(3)) for _ in range(keyword_count)
    ]
    cjk_anchors = ["".join(chr(0x4E00 + rng.randrange(2_000)) for _ in range(12)) for _ in anchors]
    yield (
        "huge CJK keyword list",
        _size(cjk) + _size(cjk_anchors),
        _many_anchors(cjk_anchors, keywords=cjk),
    )
    brands = [f"Brand{i} Name" for i in range(max(10, size // 20))]
    brand_anchors = [f"the brand{rng.randrange(len(brands))} name shop" for _ in anchors]
    yield (
        "huge brand list",
        _size(brands) + _size(brand_anchors),
        _many_anchors(brand_anchors, brands=brands),
    )
    cjk_brands = ["".join(chr(0x4E00 + rng.randrange(2_000)) for _ in range(2)) for _ in brands]
    yield (
        "huge CJK brand list",
        _size(cjk_brands) + _size(cjk_anchors),
        _many_anchors(cjk_anchors, brands=cjk_brands),
    )


def cases(scale: float = 1.0) -> Iterator[tuple[str, int, Callable[[], object]]]:
    """Yield (case name, input size in bytes, thunk classifying the generated input).

    Args:
        scale: the size of each input in MB (1.0: about one megabyte).
    """
    size = int(MB * scale)
    rng = random.Random(10)
    for name, text in _single_anchor_cases(size):
        yield f"anchor: {name}", len(text.encode("utf-8")), _one_anchor(text)
    for name, anchors in _anchor_list_cases(size):
        yield f"anchors: {name}", _size(anchors), _many_anchors(anchors)
    for name, size_in_bytes, thunk in _huge_list_cases(size, rng):
        yield f"settings: {name}", size_in_bytes, thunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the worst is shown")
    parser.add_argument("--scale", type=float, default=1.0, help="input size in MB")
    parser.add_argument("--corpus", help="ignored (nox passes it to every benchmark)")
    args = parser.parse_args()
    print(f"hostile_anchors: worst of {args.runs} runs per case; seconds per MB of input")
    print(f"{'case':58} {'bytes':>10} {'worst s':>8} {'s/MB':>6}")
    worst_overall = 0.0
    for name, size, thunk in cases(args.scale):
        worst = 0.0
        for _ in range(args.runs):
            start = time.perf_counter()
            thunk()
            worst = max(worst, time.perf_counter() - start)
        per_mb = worst / (size / MB)
        worst_overall = max(worst_overall, per_mb)
        print(f"{name:58} {size:>10,} {worst:8.3f} {per_mb:6.2f}")
    print(f"worst: {worst_overall:.2f} s/MB (goal: at most 2)")


if __name__ == "__main__":
    main()
