"""Disavow files at Google's limit: parse, merge and validate a 100,000-line file.

The issue's goal: parse, merge and validate a 100,000-line file "in well under a second". The
file is synthetic (a disavow file holds no page content, so the corpus is not used; `--corpus` is
accepted and ignored): 100,000 lines just under 2,000,000 bytes, mostly `domain:` entries, some
URLs, comments and blank lines, as a file at the limit would be. The update merged into it has
5,000 entries, half of them already in the file, so the merged file breaks the 100,000-line
limit and validate must say so.

Baselines, measured in the same run: the floor any reader pays (split the text into lines and
put the stripped lines in a set), and the goal itself (1 second).

Run: python benchmarks/disavow_scale.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from collections.abc import Callable

from backlinkkit import DisavowFile, InvalidLines

LINES = 100_000
UPDATE = 5_000
GOAL_SECONDS = 1.0
KEEP = InvalidLines.KEEP
TLDS = ["com", "net", "org", "ru", "xyz", "info", "top"]


def _label(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(low, high)))


def make_file(rng: random.Random) -> str:
    lines = ["# Disavow file for example.com, kept by hand since 2019"]
    while len(lines) < LINES:
        roll = rng.random()
        if roll < 0.90:
            lines.append(f"domain:{_label(rng, 4, 8)}.{rng.choice(TLDS)}")
        elif roll < 0.95:
            lines.append(f"https://{_label(rng, 4, 7)}.com/{_label(rng, 3, 8)}")
        elif roll < 0.98:
            lines.append(f"# batch {_label(rng, 3, 8)}")
        else:
            lines.append("")
    return "".join(f"{line}\n" for line in lines)


def make_update(rng: random.Random, base: DisavowFile) -> str:
    known = [str(entry) for entry in base]
    old = rng.sample(known, UPDATE // 2)
    new = [f"domain:new{_label(rng, 6, 10)}.example" for _ in range(UPDATE // 2)]
    return "# audit of this month\n" + "".join(f"{line}\n" for line in old + new)


def floor(text: str) -> None:
    set(line.strip() for line in text.split("\n"))  # noqa: C401 - the plain loop is the point


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU time is steadier on a shared machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/corpus", help="ignored: not used here")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args()

    rng = random.Random(2648487)
    text = make_file(rng)
    raw = text.encode()
    base = DisavowFile.parse(text)
    update_text = make_update(rng, base)
    update = DisavowFile.parse(update_text)
    assert base.validate() == (), "the synthetic file must be within Google's limits"

    def parse_merge_validate() -> None:
        file = DisavowFile.parse(text)
        file.merge(DisavowFile.parse(update_text))
        file.validate()

    def merge_only() -> None:
        DisavowFile.parse(text).merge(update)

    parse_seconds = timed(lambda: DisavowFile.parse(text), args.repeat)
    merged = DisavowFile.parse(text)
    added = merged.merge(update).added
    urls = [f"https://www.{entry.value}/page" for entry in list(base)[:10_000]]
    rows = [
        ("floor: split + set of stripped lines", timed(lambda: floor(text), args.repeat)),
        ("parse (str)", parse_seconds),
        ("parse (bytes)", timed(lambda: DisavowFile.parse(raw), args.repeat)),
        ("parse + merge 5,000", timed(merge_only, args.repeat)),
        ("validate (merged file)", timed(merged.validate, args.repeat)),
        (
            "to_bytes (merged file, unchecked)",
            timed(lambda: merged.to_bytes(invalid=KEEP), args.repeat),
        ),
        ("to_bytes (unchanged, byte for byte)", timed(base.to_bytes, args.repeat)),
        ("covers x 10,000 URLs", timed(lambda: [base.covers(u) for u in urls], args.repeat)),
        ("parse + merge + validate", timed(parse_merge_validate, args.repeat)),
    ]
    floor_seconds = rows[0][1][0]

    print(
        f"disavow file: {LINES:,} lines, {len(raw):,} bytes, {len(base):,} entries; update: "
        f"{len(update):,} entries, {len(added):,} new; merged file: "
        f"{len(merged.lines):,} lines, problems: {[p.code.value for p in merged.validate()]}; "
        f"median of {args.repeat} runs"
    )
    print(f"{'operation':<40} {'wall ms':>9} {'cpu ms':>9} {'x floor':>9} {'x goal (1 s)':>13}")
    for name, (seconds, cpu) in rows:
        print(
            f"{name:<40} {seconds * 1000:>9.1f} {cpu * 1000:>9.1f} "
            f"{seconds / floor_seconds:>9.1f} {seconds / GOAL_SECONDS:>13.3f}"
        )


if __name__ == "__main__":
    main()
