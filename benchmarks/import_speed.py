"""How fast `read_backlinks` reads the generic layout: rows per second on a synthetic export.

Builds a generic-layout CSV of N rows (default 1,000,000) with realistic repetition (20,000
referring domains, 50,000 anchors, a few hundred days), then times, in the same run:
- `read_backlinks` over the UTF-8 bytes (decode + csv + conversion to `Backlink`),
- the floor it cannot beat: `csv.reader` alone over the same bytes, no conversion,
- pandas `read_csv` of the same bytes (columns only, no records), when pandas is installed.
They take turns, each repeated, and the medians are quoted. `--corpus` is accepted and unused (no HTML here).

    /work/venv/bin/python benchmarks/import_speed.py [--rows N] [--repeat K]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import io
import random
import statistics
import time
from pathlib import Path

import backlinkkit
from backlinkkit._importers._tool_headers import GENERIC_COLUMNS

COLUMNS = [*GENERIC_COLUMNS[:12], "extra"]  # the documented generic layout: 12 fields, extra


def synthetic_export(rows: int, *, seed: int = 4) -> bytes:
    rng = random.Random(seed)
    domains = [f"site{i}.example{'' if i % 7 else '.co.uk'}" for i in range(20_000)]
    anchors = [f"anchor text {i}" for i in range(49_990)] + [
        "",
        'he said "buy, now"',
        "line\nbreak",
        "Brand",
        "https://target.example/",
        "click here",
        "Ünïcödé 日本語",
        "x, y",
        "\\",
        "a;b",
    ]
    start = dt.date(2022, 1, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(900)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n in range(rows):
        domain = domains[int(rng.paretovariate(1.2)) % len(domains)]
        anchor = anchors[int(rng.paretovariate(1.1) * 3) % len(anchors)]
        lost = days[rng.randrange(600, 900)] if n % 10 == 0 else ""
        writer.writerow(
            (
                f"https://www.{domain}/post/{n % 997}",
                f"https://target.example/p/{n % 50}",
                anchor,
                "true" if n % 5 == 0 else "false",
                "false",
                "true" if n % 23 == 0 else "",
                "image" if n % 9 == 0 else "text",
                days[rng.randrange(0, 600)],
                days[rng.randrange(600, 900)],
                lost,
                f"10.{n % 250}.{n % 199}.{n % 7}",
                "main" if n % 3 else "footer",
                "",
            )
        )
    return out.getvalue().encode("utf-8")


def time_all(cases, data: bytes, repeat: int) -> list[tuple[str, float, int]]:
    """Median seconds per case; the cases take turns so machine noise hits them alike."""
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for name, fn in cases:
            t0 = time.perf_counter()
            counts[name] = fn(data)
            times[name].append(time.perf_counter() - t0)
    return [(name, statistics.median(times[name]), counts[name]) for name, _ in cases]


def read_records(data: bytes) -> int:
    reader = backlinkkit.read_backlinks(io.BytesIO(data))
    n = 0
    for _ in reader:
        n += 1
    return n


def csv_only(data: bytes) -> int:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    return sum(1 for _ in csv.reader(text)) - 1


def pandas_read(data: bytes) -> int:
    import pandas as pd

    return len(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"), help="unused")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = synthetic_export(args.rows)
    print(
        f"synthetic generic export: {args.rows:,} rows, {len(data) / 1e6:.1f} MB "
        f"(built in {time.perf_counter() - t0:.1f} s); median of {args.repeat} runs\n"
    )
    cases = [
        ("read_backlinks (bytes -> Backlink)", read_records),
        ("csv.reader only (floor)", csv_only),
    ]
    if importlib.util.find_spec("pandas") is None:
        print("pandas not installed: its baseline is skipped")
    else:
        cases.append(("pandas.read_csv (baseline)", pandas_read))
    results = []
    for name, seconds, count in time_all(cases, data, args.repeat):
        if count != args.rows:
            raise SystemExit(f"{name}: read {count} rows, expected {args.rows}")
        results.append((name, seconds))
    ours = results[0][1]
    print(f"{'reader':<38}{'median s':>10}{'rows/s':>14}{'vs read_backlinks':>20}")
    for name, seconds in results:
        print(f"{name:<38}{seconds:>10.2f}{args.rows / seconds:>14,.0f}{seconds / ours:>19.2f}x")


if __name__ == "__main__":
    main()
