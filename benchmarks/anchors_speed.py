"""How fast AnchorClassifier sorts anchors, on one core (issue 3).

Two workloads, for one realistic target (a domain brand, two more brands, eight money keywords):

- a stream of 1,000,000 anchors drawn Zipf-like (s = 1) from 50,000 distinct ones, as in real
  link profiles where most anchors recur (brand names, URLs, "click here");
- 200,000 all-distinct anchors, mixing every category and many languages.

The distinct anchors are the real link texts of the corpus (../shared/corpus, when present) and
generated ones. Measured in the same run, for comparison: the issue's goals (1,000,000/s with
repeats, 100,000/s all distinct; ratios by wall clock and by CPU time), the same stream without the cache, one `classify` call per
anchor instead of `classify_many`, and a floor (`text.lower().split()` alone). Each figure is the
median of several runs, each on a fresh classifier (cold cache).

    python benchmarks/anchors_speed.py [--corpus DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from backlinkkit import GENERIC_PHRASES, AnchorCategory, AnchorClassifier

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

DOMAIN = "https://www.stride-running.com/"
BRANDS = ["Stride Running", "StrideRun"]
KEYWORDS = [
    "running shoes",
    "trail running shoes",
    "best running shoes for women",
    "marathon training plan",
    "gps running watch",
    "laufschuhe",
    "chaussures de course",
    "跑步鞋",
]

WORDS = [
    "the",
    "best",
    "new",
    "how",
    "to",
    "why",
    "guide",
    "review",
    "news",
    "blog",
    "post",
    "report",
    "study",
    "data",
    "price",
    "buy",
    "cheap",
    "online",
    "free",
    "top",
    "list",
    "city",
    "world",
    "people",
    "life",
    "home",
    "team",
    "game",
    "music",
    "film",
    "health",
    "food",
    "travel",
    "school",
    "market",
    "business",
    "science",
    "sport",
    "video",
    "photo",
    "story",
    "week",
    "year",
    "day",
    "today",
    "update",
    "official",
    "local",
    "global",
    "small",
    "big",
    "old",
    "young",
    "first",
    "last",
    "open",
    "tech",
    "design",
    "style",
    "shop",
    "store",
    "deal",
    "sale",
]
FOREIGN = [
    "über",
    "straße",
    "café",
    "équipe",
    "niño",
    "ação",
    "zdjęcie",
    "новости",
    "спорт",
    "東京",
    "ニュース",
    "新闻",
    "뉴스",
    "αθλητισμός",
    "köpa",
    "løbesko",
    "ciência",
]
TLDS = ["com", "org", "net", "co.uk", "de", "fr", "io", "com.au", "jp", "blogspot.com"]


def corpus_anchors(corpus: Path) -> list[str]:
    """The distinct link texts (or image alt texts) of the corpus pages; none when it is absent."""
    path = corpus / "chromium-links.json.gz"
    if not path.exists():
        return []
    pages = json.loads(gzip.decompress(path.read_bytes()))
    texts = (
        link["text"] or " ".join(alt for alt in link["imgs"] if alt)
        for links in pages.values()
        for link in links
    )
    return list(dict.fromkeys(texts))


def generated_anchor(rng: random.Random, serial: int) -> str:
    """One anchor of a random category; `serial` keeps generated anchors apart."""
    words = rng.sample(WORDS, rng.randint(1, 6))
    kind = rng.random()
    if kind < 0.15:  # branded and compound
        brand = rng.choice(["Stride Running", "stride-running", "StrideRun's", "STRIDE RUNNING"])
        extra = rng.choice(["", *KEYWORDS, " ".join(words)])
        return f"{brand} {extra} {serial}".strip()
    if kind < 0.30:  # URLs of every shape
        host = f"{rng.choice(WORDS)}{serial}.{rng.choice(TLDS)}"
        return rng.choice([f"https://{host}/{words[0]}", f"www.{host}", host, f"{host}/{serial}"])
    if kind < 0.45:  # exact and partial keyword matches, decorated so that they are distinct
        keyword = rng.choice(KEYWORDS)
        return rng.choice(
            [
                f"{keyword.title()}{'!' * (serial % 4)}{' »' * (serial // 4 % 4)}",
                f"{' '.join(words)} {keyword} {serial}",
                f"{words[0]} {serial}",
            ]
        )
    if kind < 0.55:  # generic phrases, decorated
        phrase = rng.choice(sorted(GENERIC_PHRASES))
        return rng.choice([f"{phrase.capitalize()}{' »' * (serial % 5)}", f"{phrase} #{serial}"])
    if kind < 0.70:  # other languages and scripts
        return f"{' '.join(rng.sample(FOREIGN, rng.randint(1, 4)))} {serial}"
    if kind < 0.72:  # emoji and punctuation
        return "👍" * (1 + serial % 5) + "!" * (serial % 9) + "→" * (serial // 9 % 13)
    return f"{' '.join(words).capitalize()} {serial}"  # descriptive text


def distinct_anchors(count: int, seed: int, real: list[str]) -> list[str]:
    """`count` distinct anchors: the corpus's real ones first (up to half), then generated ones."""
    rng = random.Random(seed)
    pool = dict.fromkeys(real[: count // 2])
    for serial in itertools.count(seed * 10_000_000):
        if len(pool) >= count:
            break
        pool.setdefault(generated_anchor(rng, serial))
    anchors = list(pool)
    rng.shuffle(anchors)
    return anchors


def zipf_stream(pool: list[str], length: int, seed: int) -> list[str]:
    """`length` anchors drawn from `pool` with Zipf weights 1/rank."""
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(pool) + 1)))
    return random.Random(seed).choices(pool, cum_weights=weights, k=length)


def rates(work: Callable[[], object], items: int) -> tuple[float, float]:
    """Items per second for one run of `work`: by the wall clock, and by this process's CPU time.

    The machine is shared: CPU time counts only the time this process ran.
    """
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return items / (time.perf_counter() - wall), items / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stream", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=50_000)
    parser.add_argument("--unique", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    real = corpus_anchors(args.corpus)
    pool = distinct_anchors(args.pool, args.seed, real)
    stream = zipf_stream(pool, args.stream, args.seed)
    unique = distinct_anchors(args.unique, args.seed + 1, [])
    distinct_in_stream = len(set(stream))

    def classifier(**options: int) -> AnchorClassifier:
        return AnchorClassifier(DOMAIN, brands=BRANDS, keywords=KEYWORDS, **options)

    def per_call(items: list[str]) -> Callable[[], object]:
        def run() -> None:
            classify = classifier().classify
            for anchor in items:
                classify(anchor)

        return run

    workloads: list[tuple[str, int, Callable[[], object], float | None]] = [
        ("stream, classify_many", len(stream), lambda: classifier().classify_many(stream), 1e6),
        ("stream, classify per call", len(stream), per_call(stream), 1e6),
        (
            "stream, no cache (baseline)",
            len(stream),
            lambda: classifier(cache_size=0).classify_many(stream),
            None,
        ),
        ("distinct, classify_many", len(unique), lambda: classifier().classify_many(unique), 1e5),
    ]
    if real:
        workloads.append(
            (
                f"distinct corpus anchors ({len(real):,})",
                len(real),
                lambda: classifier().classify_many(real),
                1e5,
            )
        )
    workloads.append(
        (
            "floor: text.lower().split()",
            len(unique),
            lambda: [a.lower().split() for a in unique],
            None,
        )
    )

    print(f"anchors_speed: {args.runs} runs per figure, medians; one process, one core")
    print(
        f"stream: {len(stream):,} anchors, {distinct_in_stream:,} distinct in it, pool of "
        f"{len(pool):,} (Zipf s=1; {min(len(real), args.pool // 2):,} real corpus anchors); "
        f"distinct: {len(unique):,} generated anchors"
    )
    counts = dict.fromkeys(AnchorCategory, 0)
    for result in classifier().classify_many(pool):
        counts[result.category] += 1
    print("pool by category: " + ", ".join(f"{c.value} {n:,}" for c, n in counts.items()))
    print()
    header = (
        f"{'workload':40} {'wall anchors/s':>15} {'(min-max)':>21} {'CPU anchors/s':>14} "
        f"{'vs goal (wall, CPU)':>20}"
    )
    print(header)
    print("-" * len(header))
    medians: dict[str, float] = {}
    for name, items, work, goal in workloads:
        runs = [rates(work, items) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        medians[name] = cpu
        spread = f"{min(r[0] for r in runs):,.0f}-{max(r[0] for r in runs):,.0f}"
        versus = f"{wall / goal:.2f}x, {cpu / goal:.2f}x" if goal else ""
        print(f"{name:40} {wall:>15,.0f} {spread:>21} {cpu:>14,.0f} {versus:>20}")
    print()
    cached = medians["stream, classify_many"] / medians["stream, no cache (baseline)"]
    floor = medians["floor: text.lower().split()"] / medians["distinct, classify_many"]
    print(f"the cache makes the stream {cached:.1f}x faster than classifying every anchor anew")
    print(
        f"the floor (lower + split only) is {floor:.1f}x faster than classifying distinct anchors"
    )


if __name__ == "__main__":
    main()
