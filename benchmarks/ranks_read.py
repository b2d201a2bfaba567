"""How fast `read_web_graph_ranks` reads a Common Crawl ranks file, against `gzip -dc`.

Builds (once, cached in the temp directory) a domain-graph ranks file of --rows rows, gzip at
gzip's default level, with Common Crawl's header, rows sorted by harmonic centrality position,
names reversed and Java-style number formatting (`3.0166492E7`, `1.1786060963196784E-8`), and
its first tenth as a second file. Then, for each file and --repeat times (medians quoted):

- `gzip -dc FILE > /dev/null`: the floor the issue measures against (wall and CPU seconds);
- `read_web_graph_ranks` in a fresh process asking for 20,000 registrable domains (half of them
  in the file, half not), as for a profile's referring domains: wall and CPU seconds, peak RSS.

The goal: the large file read in at most 2x the time `gzip -dc` takes on it, and peak memory
the same for both files (independent of the file's size).

    python benchmarks/ranks_read.py [--rows N] [--repeat K] [--corpus DIR]

`--corpus` is accepted and unused (no HTML here).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HEADER = b"#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\t#n_hosts\n"
TLDS = (
    ["com"] * 46
    + ["org"] * 7
    + ["net"] * 6
    + ["de"] * 6
    + ["co.uk"] * 4
    + ["ru"] * 4
    + ["com.br"] * 3
    + ["fr", "jp", "it", "pl", "nl", "io", "info", "es", "xn--p1ai", "blogspot.com"] * 2
)
SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ro", "bi", "web", "net", "shop", "blog",
             "news", "art", "data", "cloud", "tech", "home", "best", "my", "run", "sport")  # fmt: skip
WANTED = 20_000


def domain_name(index: int) -> str:
    """The registrable domain of row `index` (1-based): deterministic, so names can be asked."""
    rng = random.Random(index * 7919)
    label = "".join(rng.choice(SYLLABLES) for _ in range(2 + index % 3))
    return f"{label}{index}.{TLDS[index % len(TLDS)]}"


def java_float(value: float, digits: int = 16) -> str:
    """Java's `Double.toString` layout: plain from 1e-3 to 1e7, else `d.dddE[-]x`."""
    if 1e-3 <= value < 1e7:
        return repr(round(value, digits))
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    mantissa = mantissa.rstrip("0")
    return (
        f"{mantissa}0E{int(exponent)}" if mantissa.endswith(".") else f"{mantissa}E{int(exponent)}"
    )


def build(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip's default level and framing
    pagerank_positions = list(range(1, rows + 1))
    rng.shuffle(pagerank_positions)
    with path.open("wb") as out:
        out.write(compressor.compress(HEADER))
        harmonic = 3.1e7
        lines = []
        for index in range(1, rows + 1):
            harmonic *= 1 - 2.5e-7
            pagerank = 1e-2 / (index**0.85 + rng.random())
            reversed_name = ".".join(reversed(domain_name(index).split(".")))
            lines.append(
                f"{index}\t{java_float(harmonic, 7)}\t{pagerank_positions[index - 1]}\t"
                f"{java_float(pagerank)}\t{reversed_name}\t{1 + int(rng.expovariate(0.2))}\n"
            )
            if len(lines) == 100_000:
                out.write(compressor.compress("".join(lines).encode()))
                lines = []
        out.write(compressor.compress("".join(lines).encode()))
        out.write(compressor.flush())


def wanted_names(rows: int) -> list[str]:
    """Half of the names from the file (spread over it), half absent from it."""
    rng = random.Random(5)
    present = [domain_name(i) for i in rng.sample(range(1, rows + 1), WANTED // 2)]
    absent = [f"absent{i}.example" for i in range(WANTED - len(present))]
    return present + absent


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB.

    Not `ru_maxrss`: after fork and exec Linux keeps the parent's peak in it, and the parent
    here has just built the input.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def worker(path: str, rows: int) -> dict[str, object]:
    from backlinkkit import read_web_graph_ranks

    names = wanted_names(rows)
    wall, cpu = time.perf_counter(), time.process_time()
    with Path(path).open("rb") as stream:
        ranks = read_web_graph_ranks(stream, names)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "found": len(ranks),
        "rows": ranks.rows,
        "maxrss_mb": peak_rss_mb(),
    }


def gzip_floor(path: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    with Path("/dev/null").open("wb") as null:
        subprocess.run(["gzip", "-dc", str(path)], stdout=null, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - wall, cpu


def run_worker(path: Path, rows: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", str(path), "--rows", str(rows)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus", help="ignored: no HTML here")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows)))
        return

    cache = Path(tempfile.gettempdir()) / "backlinkkit-bench"
    cache.mkdir(exist_ok=True)
    sizes = (args.rows // 10, args.rows)
    paths = {}
    for rows in sizes:
        path = cache / f"ranks_{rows}.txt.gz"
        if not path.exists():
            started = time.perf_counter()
            build(path, rows)
            print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB gzip) in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        paths[rows] = path

    results: dict[int, dict[str, list[float]]] = {}
    for _ in range(args.repeat):
        for rows, path in paths.items():
            floor_wall, floor_cpu = gzip_floor(path)
            read = run_worker(path, rows)
            assert read["rows"] == rows, read
            runs = results.setdefault(rows, {})
            for key, value in (
                ("gzip_wall", floor_wall),
                ("gzip_cpu", floor_cpu),
                ("read_wall", read["seconds"]),
                ("read_cpu", read["cpu"]),
                ("maxrss_mb", read["maxrss_mb"]),
                ("found", read["found"]),
            ):
                runs.setdefault(key, []).append(float(value))  # type: ignore[arg-type]

    print(
        f"\nread_web_graph_ranks asking for {WANTED:,} domains (half present); medians of "
        f"{args.repeat} runs, each read in a fresh process"
    )
    print(f"{'rows':>12}{'gzip -dc s':>12}{'read s':>9}{'ratio':>7}{'gzip CPU':>10}"
          f"{'read CPU':>10}{'ratio':>7}{'peak RSS MB':>13}{'found':>8}")  # fmt: skip
    for rows, runs in results.items():
        med = {key: statistics.median(values) for key, values in runs.items()}
        print(
            f"{rows:>12,}{med['gzip_wall']:>12.2f}{med['read_wall']:>9.2f}"
            f"{med['read_wall'] / med['gzip_wall']:>7.2f}{med['gzip_cpu']:>10.2f}"
            f"{med['read_cpu']:>10.2f}{med['read_cpu'] / med['gzip_cpu']:>7.2f}"
            f"{med['maxrss_mb']:>13.0f}{med['found']:>8.0f}"
        )
    spread = {
        rows: {k: [round(v, 2) for v in runs[k]] for k in ("gzip_wall", "read_wall")}
        for rows, runs in results.items()
    }
    print(f"all runs (seconds): {spread}")


if __name__ == "__main__":
    main()
