"""How the whole audit scales: 1,000,000 export rows in, every output file out.

The input is the example's story at scale (`make_audit_example.py --links N`): an Ahrefs UTF-16
export, a Search Console export overlapping it, and a crawl with IPs, about 1,000,000 rows in
all (written once, cached in the temp directory). Each job runs in a fresh subprocess (so peak
RSS is the job's own), repeated; medians are quoted:

- baseline: what any audit does anyway: `read_backlinks` on each export and `LinkProfile.update`
  with every row (no merging), then the summary and the flags;
- audit: `backlinkkit.audit.audit` (read, merge into distinct links, profile, flags, candidates,
  disavow proposal) and `AuditResult.write` (summary.json, four CSV tables, disavow.txt,
  report.html), timed in parts.

The goal (issue 11): the audit takes at most 1.25x the baseline, and report.html stays under
6 MB (most of it plotly.js, quoted separately).

    python benchmarks/audit_scale.py [--rows N] [--repeat K] [--corpus DIR]

`--corpus` is accepted and unused (no HTML here).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import make_audit_example as example  # noqa: E402 - the generator beside this script

FILES = ("ahrefs-backlinks.tsv", "search-console-latest-links.csv", "crawl-ips.csv")
ROWS_PER_LINK = 1.72  # rows the generator writes per `--links` (three overlapping exports)

BASELINE = """
import json, resource, sys, time
from backlinkkit import LinkProfile, read_backlinks
folder, site, brands, keywords = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
start = time.perf_counter()
profile = LinkProfile(site, brands=brands, keywords=keywords)
rows = 0
for name in json.loads(sys.argv[5]):
    with open(f"{folder}/{name}", "rb") as stream:
        reader = read_backlinks(stream, errors="collect")
        profile.update(reader)
        rows += reader.rows
summary = profile.summary()
flags = profile.flags()
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu, "rows": rows,
                  "backlinks": summary.backlinks,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

AUDIT = """
import json, resource, sys, time
from backlinkkit.audit import audit
folder, site, brands, keywords = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
names, out = json.loads(sys.argv[5]), sys.argv[6]
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
start = time.perf_counter()
streams = [(name, open(f"{folder}/{name}", "rb")) for name in names]
with open(f"{folder}/allow.txt", "rb") as f:
    allow = f.read()
with open(f"{folder}/current-disavow.txt", "rb") as f:
    current = f.read()
result = audit(streams, site=site, brands=brands, keywords=keywords, allow=allow, current_disavow=current)
for _, stream in streams:
    stream.close()
core = time.perf_counter() - start
written = result.write(out, report=False)
tables = time.perf_counter() - start - core
from backlinkkit.audit import render_report
from backlinkkit.audit._write import atomic_write
from pathlib import Path
html = render_report(result)
atomic_write(Path(out) / "report.html", html.encode("utf-8"))
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu, "core": core, "tables": tables, "report": seconds - core - tables,
                  "rows": result.rows, "links": result.links, "duplicates": result.duplicates,
                  "backlinks": result.profile.summary().backlinks, "candidates": len(result.candidates),
                  "report_bytes": len(html.encode("utf-8")),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _data(rows: int) -> Path:
    source = (HERE / "make_audit_example.py").read_bytes()
    tag = hashlib.sha256(source + str(rows).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"backlinkkit-audit-{rows}-{tag}"
    if not (folder / "allow.txt").exists():
        started = time.perf_counter()
        counts = example.write_example(folder, links=round(rows / ROWS_PER_LINK))
        print(
            f"wrote {sum(counts.values()):,} rows in {time.perf_counter() - started:.0f} s: {folder}"
        )
    return folder


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", help="unused")
    args = parser.parse_args()
    folder = _data(args.rows)
    common = [
        str(folder),
        example.SITE,
        json.dumps(example.BRANDS),
        json.dumps(example.KEYWORDS),
        json.dumps(FILES),
    ]
    baselines, audits = [], []
    with tempfile.TemporaryDirectory() as out:
        for k in range(args.repeat):
            baselines.append(_run(BASELINE, *common))
            audits.append(_run(AUDIT, *common, out))
            b, a = baselines[-1], audits[-1]
            print(f"run {k + 1}: baseline {b['seconds']:.1f} s ({b['cpu']:.1f} s CPU), audit {a['seconds']:.1f} s "
                  f"({a['cpu']:.1f} s CPU) "
                  f"(core {a['core']:.1f}, tables {a['tables']:.1f}, report {a['report']:.1f})")  # fmt: skip
    from plotly.offline import get_plotlyjs

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    base, whole = median(baselines, "seconds"), median(audits, "seconds")
    a = audits[-1]
    library = len(get_plotlyjs().encode("utf-8"))
    print(f"\nrows {a['rows']:,} = links {a['links']:,} + duplicates {a['duplicates']:,} + rejected "
          f"{a['rows'] - a['links'] - a['duplicates']:,}; backlinks {a['backlinks']:,}, "
          f"candidates {a['candidates']:,}")  # fmt: skip
    print(f"baseline (read + profile, no merging): median {base:.2f} s, "
          f"{a['rows'] / base:,.0f} rows/s, peak RSS {median(baselines, 'rss_mb'):,.0f} MB")  # fmt: skip
    print(f"whole audit (+ merge, candidates, every file): median {whole:.2f} s "
          f"(core {median(audits, 'core'):.2f}, tables {median(audits, 'tables'):.2f}, "
          f"report {median(audits, 'report'):.2f}), peak RSS {median(audits, 'rss_mb'):,.0f} MB")  # fmt: skip
    cpu_ratio = median(audits, "cpu") / median(baselines, "cpu")
    print(f"audit / baseline: {whole / base:.2f}x wall clock, {cpu_ratio:.2f}x CPU time "
          f"(medians; goal: at most 1.25x)")  # fmt: skip
    ratios = ", ".join(
        f"{a['seconds'] / b['seconds']:.2f}" for a, b in zip(audits, baselines, strict=True)
    )
    print(f"per run (audit and baseline run back to back): {ratios}")
    print(f"report.html: {a['report_bytes'] / 1e6:.2f} MB (cap 6 MB), of which plotly.js "
          f"{library / 1e6:.2f} MB and the report itself {(a['report_bytes'] - library) / 1e3:.0f} kB")  # fmt: skip


if __name__ == "__main__":
    main()
