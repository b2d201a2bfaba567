"""How fast backlinks come out of web archives: reading, extraction, Spark, the prefilter.

Usage: python benchmarks/warc_scale.py [--corpus DIR] [--repeats N] [--copies N] [--no-spark]

From the 181 pages of the corpus (pages.json gives each page's URL), it builds in a temporary
folder (nothing is kept):

- a WARC: one gzip'd response record per page (with its request record, as crawlers write);
- a WAT of the same pages, its `Links` entries made by the rules of the WAT generator that
  Common Crawl uses (webarchive-commons' ExtractingParseObserver): every `<a href>` (`A@/href`,
  the raw href, its title and rel, its text nodes whitespace-collapsed and cut at 100
  characters, no image alts) and `<area href>` (`AREA@/href`, rel), `<base href>`, the title
  and the robots metas. The tree comes from lxml, so WARC and WAT see the same elements: what
  differs between them below is what the WAT format keeps, not a second parser.

Then it measures, as CPU seconds of the processes doing the work (`time.process_time`, and for
Spark the CPU of the JVM and of every Python worker, read from /proc), per core:

1. reading alone (records/s, MB/s of the file and of the bodies), WARC and WAT;
2. reading + backlinks to every site the corpus links to (`scan_archive`), WARC and WAT, and
   how WARC and WAT results differ on the same pages;
3. the Spark job in local mode on `--copies` copies of the WARC, against the one-process loop
   (`scan_archives(processes=1)`) on the same files: its CPU overhead (goal: at most 25%),
   as measured, and with the tasks' reading (the same code as the loop's) counted at the
   loop's reading CPU, since that CPU time moves with the machine's load between two runs;
4. the prefilter, with targets linked from about 1% of the pages: speedup (goal: at least 4x)
   and the same rows; and a soundness check on every (site, page) pair of the corpus: each page
   that links to a site passes that site's prefilter;
5. from those figures, the core-hours for one whole Common Crawl crawl (~3 billion pages).

Medians over `--repeats`. The machine may be shared: quote the medians with that said.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from base64 import b32encode
from pathlib import Path

from lxml import etree

from backlinkkit import extract_links, registrable_domain
from backlinkkit.warc import (
    ArchiveFormat,
    Prefilter,
    Target,
    WarcPage,
    WatPage,
    read_warc,
    read_wat,
    scan_archive,
    scan_archives,
    write_results,
)

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
# One Common Crawl crawl (e.g. CC-MAIN-2024-10): ~3.16 billion pages in 90,000 WARC files.
CRAWL_PAGES = 3.0e9
WAT_TEXT_LIMIT = 100
_WS = re.compile(r"\s+")


# -- building the archives ----------------------------------------------------------------


def _record(
    kind: str, uri: str, date: str, block: bytes, content_type: str, *, ip: str | None = None
) -> bytes:
    digest = "sha1:" + b32encode(hashlib.sha1(block).digest()).decode()
    headers = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + uri)}>"),
        ("WARC-Date", date),
        ("WARC-Target-URI", uri),
        *([("WARC-IP-Address", ip)] if ip else []),
        ("WARC-Block-Digest", digest),
        ("Content-Type", content_type),
        ("Content-Length", str(len(block))),
    ]
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return gzip.compress(head.encode() + block + b"\r\n\r\n", mtime=0)


def load_corpus(corpus: Path) -> list[tuple[str, bytes]]:
    urls = json.loads((corpus / "pages.json").read_text())
    return [
        (url, gzip.decompress((corpus / "pages" / name).read_bytes()))
        for name, url in sorted(urls.items())
    ]


def build_warc(pages: list[tuple[str, bytes]]) -> bytes:
    out = []
    for i, (url, body) in enumerate(pages):
        date = f"2024-05-{1 + i % 28:02d}T10:00:00Z"
        host = url.split("/")[2]
        out.append(
            _record(
                "request",
                url,
                date,
                f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(),
                "application/http; msgtype=request",
            )
        )
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(
            body
        )
        out.append(
            _record(
                "response",
                url,
                date,
                http + body,
                "application/http; msgtype=response",
                ip=f"192.0.2.{i % 250}",
            )
        )
    return b"".join(out)


def _wat_text(element: etree._Element) -> str:
    # The generator appends each text node (whitespace runs made one space) until 100 chars.
    text = ""
    for piece in element.itertext(with_tail=True):
        if len(text) >= WAT_TEXT_LIMIT:
            break
        text += _WS.sub(" ", piece)[: WAT_TEXT_LIMIT - len(text)]
    return _WS.sub(" ", text.strip())[:WAT_TEXT_LIMIT]


def wat_metadata(url: str, body: bytes) -> dict:
    page = extract_links(body, url)  # for the encoding the WARC path would decode with
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
    from backlinkkit._web._encoding import (
        decode,
    )  # the benchmark's own builder: the WARC path's decoding

    text = (
        decode(body, page.encoding) if page.encoding != "utf-8" else body.decode("utf-8", "replace")
    )
    root = etree.fromstring(text.encode("utf-8"), parser)
    head: dict = {}
    links = []
    metas = []
    if root is not None:
        for element in root.iter("a", "area", "base", "meta", "title"):
            tag = element.tag
            if tag == "title" and "Title" not in head:
                head["Title"] = _WS.sub(" ", "".join(element.itertext())).strip()
            elif tag == "base" and element.get("href") is not None and "Base" not in head:
                head["Base"] = element.get("href")
            elif tag == "meta" and element.get("name") is not None:
                metas.append({"name": element.get("name"), "content": element.get("content") or ""})
            elif tag in {"a", "area"} and element.get("href") is not None:
                entry = {
                    "path": "A@/href" if tag == "a" else "AREA@/href",
                    "url": element.get("href"),
                }
                for attribute in ("title", "rel") if tag == "a" else ("rel",):
                    if element.get(attribute) is not None:
                        entry[attribute] = element.get(attribute)
                if tag == "a":
                    text = _wat_text(element)
                    if text:
                        entry["text"] = text
                links.append(entry)
    if metas:
        head["Metas"] = metas
    return {
        "Envelope": {
            "WARC-Header-Metadata": {
                "WARC-Type": "response",
                "WARC-Target-URI": url,
                "WARC-Date": "2024-05-01T10:00:00Z",
            },
            "Payload-Metadata": {
                "HTTP-Response-Metadata": {
                    "Response-Message": {"Status": "200"},
                    "Headers": {"Content-Type": "text/html"},
                    "HTML-Metadata": {"Head": head, "Links": links},
                }
            },
        }
    }


def build_wat(pages: list[tuple[str, bytes]]) -> bytes:
    out = []
    for i, (url, body) in enumerate(pages):
        document = wat_metadata(url, body)
        document["Envelope"]["WARC-Header-Metadata"]["WARC-Date"] = (
            f"2024-05-{1 + i % 28:02d}T10:00:00Z"
        )
        document["Envelope"]["WARC-Header-Metadata"]["WARC-IP-Address"] = f"192.0.2.{i % 250}"
        out.append(
            _record(
                "metadata",
                url,
                "2024-05-01T10:00:00Z",
                json.dumps(document).encode(),
                "application/json",
            )
        )
    return b"".join(out)


# -- measuring ---------------------------------------------------------------------------


def cpu(function, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.process_time()
        result = function()
        times.append(time.process_time() - started)
    return statistics.median(times), result


def loop_job(paths: list[str], targets: list[Target], out: Path) -> object:
    """The one-process loop: `scan_archives(processes=1)` and `write_results` in a new folder."""
    result = scan_archives(paths, targets, processes=1)
    folder = out / uuid.uuid4().hex
    write_results(result, str(folder))
    return result


def read_all(data: bytes, fmt: ArchiveFormat) -> int:
    reader = read_wat if fmt is ArchiveFormat.WAT else read_warc
    pages = 0
    for item in reader(io.BytesIO(data)):
        if isinstance(item, (WarcPage, WatPage)):
            pages += 1
    return pages


def linked_sites(pages: list[tuple[str, bytes]]) -> dict[str, set[str]]:
    """Every site the corpus links to (other than the page's own), with the pages that do."""
    sites: dict[str, set[str]] = collections.defaultdict(set)
    for url, body in pages:
        own = registrable_domain(url)
        for link in extract_links(body, url):
            if link.domain and link.domain != own and link.host and not link.host[-1].isdigit():
                sites[link.domain].add(url)
    return sites


def adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants (Linux), so none's CPU is lost.

    Spark's Python workers and daemon can exit, or be orphaned, between two readings of /proc:
    as this process's adopted children their CPU still reaches `RUSAGE_CHILDREN` once reaped.
    """
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def tree_cpu_seconds() -> float:
    """CPU of every descendant of this process: the live ones (from /proc, with what their
    waited children used) plus every one that ended and was reaped here."""
    import resource

    while True:  # reap the adopted orphans that ended, so their CPU is in RUSAGE_CHILDREN
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    usage: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        usage[int(entry.name)] = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    me, total = os.getpid(), 0
    for pid, used in usage.items():
        ancestor = parents.get(pid)
        while ancestor not in (None, 0, 1, me):
            ancestor = parents.get(ancestor)
        if ancestor == me and pid != me:
            total += used
    return total / ticks + reaped.ru_utime + reaped.ru_stime


def spark_figures(
    sizes: dict[int, list[str]], targets: list[Target], repeats: int, tmp: Path, master: str
) -> dict:
    """Spark's CPU (JVM + Python workers + driver) per job size, in one warm session."""
    from backlinkkit.spark import run_job, spark_session

    adopt_orphans()
    started = time.monotonic()
    session = spark_session(master)
    start_seconds = time.monotonic() - started
    run_job(sizes[min(sizes)][:1], targets, str(tmp / "warmup"), spark=session)  # workers, JIT
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    for repeat in range(repeats):
        for size, paths in sizes.items():
            before_tree, before_driver, wall = (
                tree_cpu_seconds(),
                time.process_time(),
                time.monotonic(),
            )
            result = run_job(paths, targets, str(tmp / f"spark{size}-{repeat}"), spark=session)
            runs[size].append(
                {
                    "cpu": tree_cpu_seconds() - before_tree + time.process_time() - before_driver,
                    "task_cpu": result.stats.cpu_seconds,
                    "wall": time.monotonic() - wall,
                    "rows": result.backlinks_kept,
                    "profiles": result.profiles,
                }
            )
    session.stop()
    return {"start_seconds": start_seconds, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=8, help="WARC copies for the Spark job")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument(
        "--master", default="local[1]", help="Spark master (one core: CPU per core, no contention)"
    )
    parser.add_argument("--targets", type=int, default=0, help="the N most linked sites (0: all)")
    args = parser.parse_args()
    pages = load_corpus(args.corpus)
    warc, wat = build_warc(pages), build_wat(pages)
    bodies_mb = sum(len(body) for _, body in pages) / 1e6
    n = len(pages)
    print(
        f"{n} pages; WARC {len(warc) / 1e6:.1f} MB gzip ({bodies_mb:.1f} MB of bodies); WAT {len(wat) / 1e6:.1f} MB gzip"
    )
    figures: dict = {
        "pages": n,
        "warc_mb": len(warc) / 1e6,
        "wat_mb": len(wat) / 1e6,
        "bodies_mb": bodies_mb,
    }

    # 1. reading alone
    for name, data, fmt in (("WARC", warc, ArchiveFormat.WARC), ("WAT", wat, ArchiveFormat.WAT)):
        seconds, count = cpu(lambda data=data, fmt=fmt: read_all(data, fmt), args.repeats)
        assert count == n, count
        figures[f"read_{name}"] = seconds
        print(
            f"read {name:4}: {n / seconds:8.0f} records/s  {len(data) / 1e6 / seconds:7.1f} MB/s of file"
            + (f"  {bodies_mb / seconds:6.1f} MB/s of bodies" if name == "WARC" else "")
        )

    # 2. reading + backlinks to every site the corpus links to
    sites = linked_sites(pages)
    all_targets = [Target(site) for site in sorted(sites)]
    for name, data, fmt in (("WARC", warc, ArchiveFormat.WARC), ("WAT", wat, ArchiveFormat.WAT)):
        seconds, scan = cpu(
            lambda data=data, fmt=fmt: scan_archive(io.BytesIO(data), all_targets, format=fmt),
            args.repeats,
        )
        figures[f"scan_{name}"] = seconds
        figures[f"rows_{name}"] = len(scan.rows)
        print(
            f"read + backlinks {name:4} ({len(all_targets)} targets): {n / seconds:6.0f} records/s  {len(data) / 1e6 / seconds:6.2f} MB/s of file; {len(scan.rows)} rows"
        )
        figures[f"scan_result_{name}"] = scan
    compare_warc_wat(figures.pop("scan_result_WARC"), figures.pop("scan_result_WAT"))

    # 4. the prefilter: targets linked from about 1% of the pages
    rare = sorted(site for site, linking in sites.items() if len(linking) == 1)[
        :: max(1, len([s for s in sites.values() if len(s) == 1]) // 2)
    ][:2]
    rare_targets = [Target(site) for site in rare]
    linking = set().union(*(sites[site] for site in rare))
    plain_s, plain = cpu(lambda: scan_archive(io.BytesIO(warc), rare_targets), args.repeats)
    filtered_s, filtered = cpu(
        lambda: scan_archive(io.BytesIO(warc), rare_targets, prefilter=True), args.repeats
    )
    assert filtered.rows == plain.rows, "the prefilter changed the rows"
    kept = filtered.stats.pages
    print(
        f"prefilter, targets {rare} linked from {len(linking)} of {n} pages ({100 * len(linking) / n:.1f}%): "
        f"{plain_s:.3f} s -> {filtered_s:.3f} s CPU, {plain_s / filtered_s:.1f}x (goal >= 4x); "
        f"{kept} pages parsed, {filtered.stats.skipped_by_prefilter} skipped; same {len(plain.rows)} rows"
    )
    figures.update(
        prefilter_plain=plain_s,
        prefilter_filtered=filtered_s,
        prefilter_speedup=plain_s / filtered_s,
    )
    soundness(pages, sites, figures)

    # 3. Spark in local mode vs the one-process loop, on copies of the WARC, at two sizes: the
    #    difference between them is the per-record cost, without the job's fixed cost.
    if not args.no_spark:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            sizes: dict[int, list[str]] = {}
            for size in (args.copies, 2 * args.copies):
                sizes[size] = []
                for copy in range(size):
                    path = tmp / f"copy{copy}.warc.gz"
                    if not path.exists():
                        path.write_bytes(warc)
                    sizes[size].append(str(path))
            repeats = args.repeats
            job_targets = all_targets
            if args.targets:
                most = sorted(sites, key=lambda site: (-len(sites[site]), site))[: args.targets]
                job_targets = [Target(site) for site in sorted(most)]
            # The loop does the job's whole work: scan, merge, profiles, and the same outputs.
            loops = {
                size: cpu(
                    lambda paths=paths, size=size: loop_job(
                        paths, job_targets, tmp / f"loop{size}"
                    ),
                    repeats,
                )
                for size, paths in sizes.items()
            }
            spark = spark_figures(sizes, job_targets, repeats, tmp, args.master)
            for size, (loop_s, loop) in loops.items():
                runs = spark["runs"][size]
                assert all(run["profiles"] == loop.profiles for run in runs), (
                    "Spark's profiles differ"
                )
                assert all(run["rows"] == len(loop.rows) for run in runs)
                spark_cpu = statistics.median(run["cpu"] for run in runs)
                wall = statistics.median(run["wall"] for run in runs)
                task_cpu = statistics.median(run["task_cpu"] for run in runs)
                records = n * size
                loop_read = loop.stats.cpu_seconds
                # Beyond the reading: what Spark adds. The reading is the same code on both
                # sides, yet its CPU time moves by 10-20% between two runs on a shared machine;
                # counting Spark's reading at the loop's CPU keeps that noise out of the ratio.
                beyond = statistics.median(run["cpu"] - run["task_cpu"] for run in runs)
                print(
                    f"{size} copies ({records} records): loop {loop_s:.2f} s CPU ({records / loop_s:.0f} records/s/core; "
                    f"{loop_read:.2f} s reading, {loop_s - loop_read:.2f} s the rest); "
                    f"Spark {args.master} {spark_cpu:.2f} s CPU (JVM + workers + driver; {task_cpu:.2f} s in the tasks' reading, "
                    f"{beyond:.2f} s the rest), {wall:.1f} s wall: {100 * (spark_cpu / loop_s - 1):+.0f}% CPU over the loop; "
                    f"{100 * (loop_read + beyond) / loop_s - 100:+.0f}% with Spark's reading counted at the loop's CPU"
                )
                figures[f"loop_read_{size}"] = loop_read
                figures[f"spark_beyond_read_{size}"] = beyond
                figures[f"loop_cpu_{size}"] = loop_s
                figures[f"spark_cpu_{size}"] = spark_cpu
            small, large = sorted(sizes)
            marginal_loop = figures[f"loop_cpu_{large}"] - figures[f"loop_cpu_{small}"]
            marginal_spark = figures[f"spark_cpu_{large}"] - figures[f"spark_cpu_{small}"]
            fixed = figures[f"spark_cpu_{small}"] - figures[f"loop_cpu_{small}"] * (
                marginal_spark / marginal_loop
            )
            print(
                f"Spark per record: {marginal_spark:.2f} s CPU for {n * (large - small)} more records vs the loop's {marginal_loop:.2f} s: "
                f"{100 * (marginal_spark / marginal_loop - 1):+.0f}% (goal <= 25%); fixed cost per job ~{fixed:.1f} s CPU; "
                f"session start {spark['start_seconds']:.1f} s wall (not counted)"
            )
            figures.update(
                spark_marginal_overhead=marginal_spark / marginal_loop - 1,
                spark_fixed_cpu=fixed,
                spark_start=spark["start_seconds"],
            )

    # 5. one whole crawl
    warc_rate = n / figures["scan_WARC"]
    wat_rate = n / figures["scan_WAT"]
    print(
        f"one Common Crawl crawl ({CRAWL_PAGES:.0e} pages): WARC + extract_links {CRAWL_PAGES / warc_rate / 3600:,.0f} core-hours "
        f"({warc_rate:.0f} pages/s/core); WAT {CRAWL_PAGES / wat_rate / 3600:,.0f} core-hours ({wat_rate:.0f} pages/s/core); "
        f"WARC with the prefilter, rare targets: {CRAWL_PAGES / (n / figures['prefilter_filtered']) / 3600:,.0f} core-hours"
    )
    figures = {k: v for k, v in figures.items() if isinstance(v, (int, float))}
    print(json.dumps(figures, indent=1, sort_keys=True), file=sys.stderr)


def compare_warc_wat(warc_scan, wat_scan) -> None:
    """How the WARC and WAT rows of the same pages differ, counted by what differs."""

    def key(row):
        return (row.target, row.backlink.source_url, row.backlink.target_url)

    warc_rows = collections.Counter(key(r) for r in warc_scan.rows)
    wat_rows = collections.Counter(key(r) for r in wat_scan.rows)
    same = sum((warc_rows & wat_rows).values())
    anchors_warc = collections.Counter((key(r), r.backlink.anchor) for r in warc_scan.rows)
    anchors_wat = collections.Counter((key(r), r.backlink.anchor) for r in wat_scan.rows)
    same_anchor = sum((anchors_warc & anchors_wat).values())
    image = sum(
        1
        for r in warc_scan.rows
        if r.backlink.kind is not None and r.backlink.kind.value in {"image", "mixed"}
    )
    long_text = sum(
        1 for r in warc_scan.rows if r.backlink.anchor and len(r.backlink.anchor) > WAT_TEXT_LIMIT
    )
    sections = sum(1 for r in warc_scan.rows if r.backlink.section is not None)
    print(
        f"WARC vs WAT on the same pages: {sum(warc_rows.values())} vs {sum(wat_rows.values())} rows, "
        f"{same} links in both ({100 * same / max(1, sum(warc_rows.values())):.2f}% of WARC's); same anchor on {same_anchor} "
        f"({100 * same_anchor / max(1, sum(warc_rows.values())):.1f}%). WARC-only facts: {image} image/mixed links "
        f"(WAT: no alt, kind unknown), {long_text} anchors over 100 characters (cut in WAT), {sections} links with a section (none in WAT)"
    )


def soundness(pages, sites, figures) -> None:
    """Every page that links to a site passes that site's prefilter (no false negative)."""
    bodies = dict(pages)
    checks = misses = 0
    kept_elsewhere = 0
    for site, linking in sorted(sites.items()):
        check = Prefilter([Target(site)])
        for url in linking:
            checks += 1
            misses += not check.may_link(bodies[url])
    sample = sorted(sites)[:: max(1, len(sites) // 200)]
    for site in sample:
        check = Prefilter([Target(site)])
        kept_elsewhere += sum(check.may_link(body) for url, body in pages if url not in sites[site])
    others = sum(len(pages) - len(sites[site]) for site in sample)
    print(
        f"prefilter soundness: {checks} (site, linking page) pairs, {misses} missed (must be 0); "
        f"pages kept that do not link to the site: {100 * kept_elsewhere / max(1, others):.1f}% (over {len(sample)} sites)"
    )
    assert misses == 0
    figures["prefilter_pairs"] = checks


if __name__ == "__main__":
    main()
