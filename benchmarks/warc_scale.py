"""How fast backlinks come out of web archives: reading, extraction, Spark, the prefilter.

Usage: python benchmarks/warc_scale.py [--corpus DIR] [--repeats N] [--copies N] [--files N] [--no-spark]
       python benchmarks/warc_scale.py --check-sampler SECONDS

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
Spark the CPU of the JVM and of every Python worker, sampled from /proc every 50 ms through each
job, see `TreeCpu`), per core:

1. reading alone (records/s, MB/s of the file and of the bodies), WARC and WAT;
2. reading + backlinks to every site the corpus links to (`scan_archive`), WARC and WAT, and
   how WARC and WAT results differ on the same pages;
3. the Spark job in local mode on `--copies` (then twice as many) copies of the WARC, written
   one after the other into `--files` files (default one: Common Crawl's WARCs hold ~30,000
   pages each, a Spark task per file; 0: a file per copy), against the one-process loop
   (`scan_archives(processes=1)`) on the same files, each loop run just before the Spark run
   of the same size, so that the machine's load falls on both: its CPU overhead (goal: at most 25%),
   as measured, and with the tasks' reading (the same code as the loop's) counted at the
   loop's reading CPU, since that CPU time moves with the machine's load between two runs;
4. the prefilter, with targets linked from about 1% of the pages: speedup (goal: at least 4x)
   and the same rows; and a soundness check on every (site, page) pair of the corpus: each page
   that links to a site passes that site's prefilter;
5. from those figures, the core-hours for one whole Common Crawl crawl (~3 billion pages).

Medians over `--repeats`. The machine may be shared: quote the medians with that said (each
Spark job prints the load at its end).

For each Spark job it also prints how many processes ended during it and how many of those no
one collected (a parent ignoring SIGCHLD, as pyspark's daemon does): their CPU after their last
sample is the only part the figure can miss, at most one sampling interval each. With
`--check-sampler SECONDS` it only checks the sampler: a process tree like pyspark's (workers
under a parent that ignores SIGCHLD, a parent that waits for its child, an orphan, processes
shorter than an interval), each process reporting the CPU it used, against what `TreeCpu` and
two readings (start and end, the former method) count.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import gzip
import hashlib
import io
import json
import os
import re
import resource
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from base64 import b32encode
from collections.abc import Callable
from pathlib import Path
from typing import Self

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

    Spark's Python workers and daemon can be orphaned: as this process's adopted children they
    stay in /proc as zombies until `TreeCpu` reaps them, and their CPU reaches `RUSAGE_CHILDREN`.
    """
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


_TICKS = os.sysconf("SC_CLK_TCK")
_SIGCHLD_MASK = 1 << (signal.SIGCHLD - 1)


@dataclasses.dataclass
class _Process:
    base: int  # ticks (own + waited-for children) when the measure began; 0 if born since
    last: int  # the same, at the last sample that saw the process
    parent: int
    uncollected: bool  # its parent ignored SIGCHLD at that sample: no one gets its CPU at exit


class TreeCpu:
    """The CPU this process and all its descendants use while it is entered (Linux /proc).

    A background thread reads /proc/<pid>/stat of every descendant every `interval` seconds
    (utime + stime + cutime + cstime, keyed by pid and start time, so a reused pid is another
    process) and keeps each one's last-seen value; it reaps the zombies of this process (the
    benchmark makes itself the subreaper of orphans, see `adopt_orphans`). At the end, each
    process counts its last-seen value minus its value at the start (0 if born since), except
    one that ended whose CPU someone else collects: its parent's cutime (a parent that waits,
    which the next samples of that parent see) or this process's `RUSAGE_CHILDREN` (read at
    start and end: every process this one reaped, seen in /proc or not, counted once there).
    pyspark's daemon ignores SIGCHLD, so its workers are reaped by the kernel and their CPU
    reaches no one: for those the last sample is all there is. The undercount is therefore at
    most one sampling interval of CPU per core per such process that ended (`lost`, printed,
    bound `lost * max_gap`), plus any such process born and ended between two samples (it is
    never seen; pyspark's workers live for the job). The driver's CPU (`time.process_time`)
    is added without the sampling thread's own.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.me = os.getpid()
        self.seen: dict[tuple[int, int], _Process] = {}
        self.names: dict[tuple[int, int], str] = {}  # the command of each, for the breakdown
        self.samples = 0
        self.max_gap = 0.0
        self.sampler_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _scan(self) -> dict[tuple[int, int], tuple[int, int]]:
        """{(pid, start time): (parent pid, ticks)} of every live or zombie descendant."""
        table: dict[int, tuple[int, int, int]] = {}
        names: dict[int, str] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with Path(f"/proc/{entry.name}/stat").open("rb") as file:
                    stat = file.read()
            except OSError:  # it ended meanwhile
                continue
            fields = stat[stat.rindex(b")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            table[int(entry.name)] = (int(fields[1]), int(fields[19]), ticks)
            names[int(entry.name)] = stat[stat.index(b"(") + 1 : stat.rindex(b")")].decode()
        children: dict[int, list[int]] = collections.defaultdict(list)
        for pid, (parent, _, _) in table.items():
            children[parent].append(pid)
        found: dict[tuple[int, int], tuple[int, int]] = {}
        stack = list(children.get(self.me, ()))
        while stack:
            pid = stack.pop()
            parent, started, ticks = table[pid]
            found[pid, started] = (parent, ticks)
            self.names[pid, started] = names[pid]
            stack.extend(children.get(pid, ()))
        return found

    @staticmethod
    def _ignores_sigchld(pid: int) -> bool:
        try:
            with Path(f"/proc/{pid}/status").open("rb") as file:
                for line in file:
                    if line.startswith(b"SigIgn:"):
                        return bool(int(line.split()[1], 16) & _SIGCHLD_MASK)
        except OSError:
            pass
        return False

    def _reap(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    def _sample(self) -> dict[tuple[int, int], tuple[int, int]]:
        found = self._scan()
        parents = {parent for parent, _ in found.values()} - {self.me}
        ignoring = {pid for pid in parents if self._ignores_sigchld(pid)}
        for key, (parent, ticks) in found.items():
            process = self.seen.get(key)
            if process is None:
                self.seen[key] = _Process(0, ticks, parent, parent in ignoring)
            else:
                process.last, process.parent = ticks, parent
                process.uncollected = parent in ignoring
        self.samples += 1
        return found

    def _run(self) -> None:
        started = time.thread_time()
        last = time.monotonic()
        while not self._stop.wait(self.interval):
            self._sample()
            self._reap()  # after the sample: a zombie's final CPU was read, now RUSAGE_CHILDREN's
            now = time.monotonic()
            self.max_gap, last = max(self.max_gap, now - last), now
        self.sampler_cpu = time.thread_time() - started

    def __enter__(self) -> Self:
        self._reap()  # zombies from before the measure: their CPU goes in the start's reading
        self._children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for key, (parent, ticks) in self._scan().items():
            self.seen[key] = _Process(ticks, ticks, parent, self._ignores_sigchld(parent))
        self._naive_before = sum(p.base for p in self.seen.values())
        self._driver_before = time.process_time()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        driver = time.process_time() - self._driver_before - self.sampler_cpu
        self._reap()  # before the last sample: a zombie is either reaped or counted from /proc
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        final = self._sample()
        reaped = (
            after.ru_utime
            + after.ru_stime
            - self._children_before.ru_utime
            - self._children_before.ru_stime
        )
        by_name: collections.Counter[str] = collections.Counter()
        self.ended = self.lost = 0
        for key, process in self.seen.items():
            if key in final:
                by_name[self.names[key]] += process.last - process.base
            else:
                self.ended += 1
                if process.uncollected:
                    self.lost += 1
                    by_name[self.names[key]] += process.last - process.base
                else:  # its whole CPU is in its parent's or in `reaped`
                    by_name[self.names[key]] -= process.base
        self.by_name = {name: ticks / _TICKS for name, ticks in by_name.items()}
        self.by_name["reaped here"] = reaped
        self.descendants = sum(self.by_name.values())
        self.driver = driver
        self.cpu = self.descendants + driver
        # What two readings, at the start and the end, would have said (the former method).
        self.naive = (sum(final[key][1] for key in final) - self._naive_before) / _TICKS + reaped


# A process tree like pyspark's, each process reporting its own CPU (getrusage) as it ends.
_CHECK_TREE = r"""
import os, resource, signal, sys, time

report = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)


def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def done(name):
    used = resource.getrusage(resource.RUSAGE_SELF)
    os.write(report, f"{name} {used.ru_utime + used.ru_stime}\n".encode())


def child(name, seconds, before=lambda: None):
    pid = os.fork()
    if pid == 0:
        before()
        burn(seconds)
        done(name)
        os._exit(0)
    return pid


def waits_for_its_child():
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.waitpid(child("grandchild", 0.3), 0)


def outlives_its_parent(parent=os.getpid()):
    while os.getppid() == parent:
        time.sleep(0.01)


signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # as pyspark's daemon does: the kernel reaps
for i in range(4):
    child(f"worker{i}", 0.3)
    time.sleep(0.05)
child("waiting", 0.1, waits_for_its_child)  # its CPU holds the grandchild's (cutime)
for i in range(5):
    child(f"short{i}", 0.002)  # born and ended between two samples, most of them
child("orphan", 0.4, outlives_its_parent)  # adopted by the benchmark, its subreaper
time.sleep(1.5)
burn(0.1)
done("parent")
"""


def check_sampler(interval: float) -> None:
    """`TreeCpu` against what each process of a pyspark-like tree says it used (by hand)."""
    import subprocess

    adopt_orphans()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report"
        report.touch()
        with TreeCpu(interval) as tree:
            parent = subprocess.Popen([sys.executable, "-c", _CHECK_TREE, str(report)])
            parent.wait()
            while "orphan" not in report.read_text():
                time.sleep(0.01)
            time.sleep(0.1)  # the orphan's exit
        used = dict(line.split() for line in report.read_text().splitlines())
    truth = sum(float(v) for v in used.values())
    print(
        f"sampling every {interval * 1000:.0f} ms: {len(used)} processes used {truth:.3f} s CPU "
        f"(their own getrusage); counted {tree.descendants:.3f} s ({tree.descendants - truth:+.3f}); "
        f"{tree.ended} ended, {tree.lost} of them uncollected (bound {tree.lost * tree.max_gap:.3f} s, "
        f"max gap {tree.max_gap * 1000:.0f} ms), {tree.samples} samples, sampler {tree.sampler_cpu:.3f} s CPU; "
        f"two readings only (the former method): {tree.naive:.3f} s ({tree.naive - truth:+.3f})"
    )


def spark_figures(
    sizes: dict[int, list[str]],
    targets: list[Target],
    repeats: int,
    tmp: Path,
    master: str,
    *,
    loop: Callable[[int], object],
) -> dict:
    """Spark's CPU (JVM + Python workers + driver) per job size, in one warm session, and the
    one-process loop's (`loop(size)`), run just before each Spark job of the same size.

    Alternating the two puts a change of load on the shared machine on both sides of the ratio,
    where running every loop first and then every Spark job put it on one side only.
    """
    from backlinkkit.spark import run_job, spark_session

    adopt_orphans()
    started = time.monotonic()
    session = spark_session(master)
    start_seconds = time.monotonic() - started
    run_job(sizes[min(sizes)][:1], targets, str(tmp / "warmup"), spark=session)  # workers, JIT
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    loops: dict[int, list[float]] = {size: [] for size in sizes}
    loop_reads: dict[int, list[float]] = {size: [] for size in sizes}
    loop_results: dict[int, object] = {}
    for repeat in range(repeats):
        for size, paths in sizes.items():
            started = time.process_time()
            loop_results[size] = loop(size)
            loops[size].append(time.process_time() - started)
            loop_reads[size].append(loop_results[size].stats.cpu_seconds)
            wall = time.monotonic()
            with TreeCpu() as tree:
                result = run_job(paths, targets, str(tmp / f"spark{size}-{repeat}"), spark=session)
            runs[size].append(
                {
                    "cpu": tree.cpu,
                    "naive_cpu": tree.naive + tree.driver,
                    "ended": tree.ended,
                    "lost": tree.lost,
                    "lost_bound": tree.lost * tree.max_gap,
                    "samples": tree.samples,
                    "by_name": tree.by_name,
                    "driver": tree.driver,
                    "sampler_cpu": tree.sampler_cpu,
                    "load": os.getloadavg()[0],
                    "task_cpu": result.stats.cpu_seconds,
                    "wall": time.monotonic() - wall,
                    "rows": result.backlinks_kept,
                    "profiles": result.profiles,
                }
            )
    session.stop()
    return {
        "start_seconds": start_seconds,
        "runs": runs,
        "loops": loops,
        "loop_results": loop_results,
        "loop_reads": loop_reads,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=8, help="WARC copies for the Spark job")
    parser.add_argument(
        "--files",
        type=int,
        default=1,
        help="files the copies of each size are written to (1: one file, as a Common Crawl WARC;"
        " 0: a file per copy)",
    )
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument(
        "--master", default="local[1]", help="Spark master (one core: CPU per core, no contention)"
    )
    parser.add_argument("--targets", type=int, default=0, help="the N most linked sites (0: all)")
    parser.add_argument(
        "--check-sampler",
        type=float,
        metavar="SECONDS",
        help="only check the CPU sampler on a pyspark-like process tree, sampling so often",
    )
    args = parser.parse_args()
    if args.check_sampler:
        check_sampler(args.check_sampler)
        return
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
                files = min(args.files, size) if args.files > 0 else size
                for number in range(files):
                    # gzip members one after the other: one file holding its share of copies
                    path = tmp / f"size{size}-file{number}.warc.gz"
                    with path.open("wb") as file:
                        for _ in range(size // files + (number < size % files)):
                            file.write(warc)
                    sizes[size].append(str(path))
            repeats = args.repeats
            job_targets = all_targets
            if args.targets:
                most = sorted(sites, key=lambda site: (-len(sites[site]), site))[: args.targets]
                job_targets = [Target(site) for site in sorted(most)]
            # The loop does the job's whole work: scan, merge, profiles, and the same outputs.
            spark = spark_figures(
                sizes,
                job_targets,
                repeats,
                tmp,
                args.master,
                loop=lambda size: loop_job(sizes[size], job_targets, tmp / f"loop{size}"),
            )
            loops = {
                size: (statistics.median(spark["loops"][size]), spark["loop_results"][size])
                for size in sizes
            }
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
                loop_cpus, loop_reads = spark["loops"][size], spark["loop_reads"][size]
                loop_read = statistics.median(loop_reads)
                # Beyond the reading: what Spark adds. The reading is the same code on both
                # sides, yet its CPU time moves by 10-20% between two runs on a shared machine;
                # counting Spark's reading at the loop's CPU keeps that noise out of the ratio.
                # Each Spark run is paired with the loop run just before it.
                beyond = statistics.median(run["cpu"] - run["task_cpu"] for run in runs)
                paired = statistics.median(
                    run["cpu"] / loop_cpu - 1 for run, loop_cpu in zip(runs, loop_cpus, strict=True)
                )
                strict = statistics.median(
                    (read + run["cpu"] - run["task_cpu"]) / loop_cpu - 1
                    for run, loop_cpu, read in zip(runs, loop_cpus, loop_reads, strict=True)
                )
                print(
                    f"{size} copies in {len(sizes[size])} file(s) ({records} records): loop {loop_s:.2f} s CPU ({records / loop_s:.0f} records/s/core; "
                    f"{loop_read:.2f} s reading, medians); "
                    f"Spark {args.master} {spark_cpu:.2f} s CPU (JVM + workers + driver; {task_cpu:.2f} s in the tasks' reading, "
                    f"{beyond:.2f} s the rest), {wall:.1f} s wall: {100 * (spark_cpu / loop_s - 1):+.0f}% CPU over the loop "
                    f"(median of the pairs of runs {100 * paired:+.0f}%); "
                    f"{100 * strict:+.0f}% with Spark's reading counted at the loop's CPU (median of the pairs)"
                )

                def listed(key, runs=runs, form="{:.2f}"):
                    return ", ".join(form.format(run[key]) for run in runs)

                loop_runs = ", ".join(
                    f"{seconds:.2f} ({read:.2f} reading)"
                    for seconds, read in zip(loop_cpus, loop_reads, strict=True)
                )
                print(f"  loop runs (each just before a Spark run): {loop_runs} s CPU")
                print(f"  Spark runs, tasks' reading: {listed('task_cpu')} s CPU")
                print(
                    f"  Spark runs: {listed('cpu')} s CPU; processes ended per job {listed('ended', form='{}')}, "
                    f"uncollected {listed('lost', form='{}')} (their CPU after their last sample, at most "
                    f"{max(run['lost_bound'] for run in runs):.2f} s, is missing); "
                    f"{statistics.median(run['samples'] for run in runs)} samples, the sampler's "
                    f"{statistics.median(run['sampler_cpu'] for run in runs):.2f} s CPU not counted; "
                    f"two readings only would say {listed('naive_cpu')} s; "
                    f"load {listed('load', form='{:.1f}')} (1-min, at each job's end)"
                )
                names = sorted({name for run in runs for name in run["by_name"]})
                shares = {
                    name: statistics.median(run["by_name"].get(name, 0.0) for run in runs)
                    for name in names
                }
                print(
                    "  by process (medians): "
                    + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in shares.items())
                    + f", driver {statistics.median(run['driver'] for run in runs):.2f} s"
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
