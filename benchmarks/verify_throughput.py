"""How fast verify_backlinks checks real pages, and proof that it stays polite per host.

A local server (the standard library's ThreadingHTTPServer, one per loopback address) serves the
corpus pages under several host names: 127.0.0.1, 127.0.0.2, 127.0.0.3 and localhost (all
loopback; nothing leaves the machine). Each page is checked for a link to its own original site.

Compared in the same run (medians of --repeat runs):
  * baseline: a plain loop, `requests.Session.get` + `extract_links`, one thread, no checks;
  * the Fetcher with one worker and no delay (what the safety checks cost per page);
  * the Fetcher with --workers threads and no delay (what threads buy, on 2 shared cores);
  * the Fetcher with --workers threads and --delay per host (the polite configuration), against
    its floor: the busiest host's requests need (n - 1) delays.
The server records when each request arrives, per host name; for the polite runs the smallest gap
between two requests to one host is printed beside the delay (it must not be smaller).

    python benchmarks/verify_throughput.py [--corpus DIR] [--pages N] [--workers N]
                                           [--delay S] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import itertools
import json
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

from backlinkkit import Fetcher, LinkStatus, extract_links, registrable_domain, verify_backlinks

ADDRESSES = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
# Host names served: each of the three addresses, and localhost (the first address again, but a
# host of its own for politeness and robots.txt).
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "localhost")
HARD_LIMIT_SECONDS = 900  # the whole run stops by itself, whatever happens


class Handler(http.server.BaseHTTPRequestHandler):
    server: PageServer

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        self.server.recorder.arrive(host)
        status, ctype = 200, "text/html"
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path.startswith("/p/") and self.path[3:].isdigit():
            body = self.server.pages[int(self.path[3:]) % len(self.server.pages)]
        else:
            status, body, ctype = 404, b"not found", "text/plain"
        self.send_response(status)
        # No charset: the page's own bytes decide, as when the corpus was made.
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt: str, *args: object) -> None:
        pass


class Recorder:
    """Arrival times of requests, per host name."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrivals: dict[str, list[float]] = {}

    def arrive(self, host: str) -> None:
        with self.lock:
            self.arrivals.setdefault(host, []).append(time.monotonic())

    def reset(self) -> None:
        with self.lock:
            self.arrivals = {}

    def min_gaps(self) -> dict[str, tuple[int, float]]:
        with self.lock:
            return {
                host: (
                    len(times),
                    min(
                        (b - a for a, b in itertools.pairwise(sorted(times))), default=float("inf")
                    ),
                )
                for host, times in sorted(self.arrivals.items())
            }


class PageServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: str, pages: list[bytes], recorder: Recorder) -> None:
        super().__init__((address, 0), Handler)
        self.pages = pages
        self.recorder = recorder


def load_corpus(corpus: Path) -> tuple[list[bytes], list[str]]:
    manifest = json.loads((corpus / "pages.json").read_text(encoding="utf-8"))
    names = sorted(manifest)
    pages = [gzip.decompress((corpus / "pages" / name).read_bytes()) for name in names]
    sites = [registrable_domain(manifest[name]) for name in names]
    return pages, sites


def jobs(ports: dict[str, int], sites: list[str], count: int) -> list[tuple[str, str]]:
    """`count` (page URL, target site) pairs, spread over the hosts in turn."""
    pairs = []
    for i in range(count):
        host = HOSTS[i % len(HOSTS)]
        pairs.append((f"http://{host}:{ports[host]}/p/{i}", sites[i % len(sites)]))
    return pairs


def baseline(pairs: list[tuple[str, str]]) -> float:
    """A plain loop: requests.get + extract_links, no robots, no checks, one thread."""
    session = requests.Session()
    start = time.perf_counter()
    for url, _ in pairs:
        response = session.get(url, timeout=10)
        extract_links(response.content, url, headers=response.headers)
    return time.perf_counter() - start


def run_fetcher(pairs: list[tuple[str, str]], *, workers: int, delay: float) -> tuple[float, list]:
    fetcher = Fetcher(
        allow_private_addresses=True,  # loopback only: the pages are served from 127.0.0.x
        per_host_delay=delay,
        retries=0,
        timeout=(5.0, 10.0),
        deadline=20.0,
    )
    start = time.perf_counter()
    checks = verify_backlinks(pairs, fetcher=fetcher, workers=workers)
    return time.perf_counter() - start, checks


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=root.parent / "shared" / "corpus")
    parser.add_argument("--pages", type=int, default=200, help="backlinks verified per run")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.05, help="per-host delay, seconds")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (args.corpus / "pages.json").exists():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 1
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("verify_throughput: hard time limit hit"))
    signal.alarm(HARD_LIMIT_SECONDS)

    pages, sites = load_corpus(args.corpus)
    recorder = Recorder()
    servers = {address: PageServer(address, pages, recorder) for address in ADDRESSES}
    for server in servers.values():
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
    ports = {host: servers.get(host, servers["127.0.0.1"]).server_address[1] for host in HOSTS}
    pairs = jobs(ports, sites, args.pages)
    megabytes = sum(len(pages[i % len(pages)]) for i in range(args.pages)) / 1e6

    configs = [
        ("baseline: requests.get + extract_links", None, 1, 0.0),
        ("Fetcher, 1 worker, no delay", "fetcher", 1, 0.0),
        (f"Fetcher, {args.workers} workers, no delay", "fetcher", args.workers, 0.0),
        (
            f"Fetcher, {args.workers} workers, delay {args.delay:g} s",
            "fetcher",
            args.workers,
            args.delay,
        ),
    ]
    times: dict[str, list[float]] = {name: [] for name, *_ in configs}
    gaps: list[dict[str, tuple[int, float]]] = []
    statuses: dict[LinkStatus, int] = {}
    try:
        for run in range(args.repeat):
            # Rotate the order each run, so no configuration always runs first (cold) or last.
            for name, kind, workers, delay in configs[run % 4 :] + configs[: run % 4]:
                recorder.reset()
                if kind is None:
                    times[name].append(baseline(pairs))
                    continue
                seconds, checks = run_fetcher(pairs, workers=workers, delay=delay)
                times[name].append(seconds)
                if delay > 0:
                    gaps.append(recorder.min_gaps())
                    statuses = {s: sum(c.status is s for c in checks) for s in LinkStatus}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()

    print(
        f"verify_throughput: {args.pages} backlinks ({megabytes:.1f} MB of corpus HTML) over "
        f"{len(HOSTS)} host names, median of {args.repeat} runs"
    )
    base = statistics.median(times[configs[0][0]])
    print(f"\n{'configuration':44} {'median s':>9} {'pages/s':>9} {'vs baseline':>12}")
    for name, *_ in configs:
        median = statistics.median(times[name])
        print(f"{name:44} {median:9.3f} {args.pages / median:9.1f} {base / median:11.2f}x")
    polite = statistics.median(times[configs[-1][0]])
    # The floor: the busiest host's requests (its pages and robots.txt) need (n - 1) delays.
    busiest = max(run[host][0] for run in gaps for host in run)
    floor = (busiest - 1) * args.delay
    print(
        f"\npoliteness floor: {busiest} requests to the busiest host need (n - 1) x "
        f"{args.delay:g} s = {floor:.2f} s; the polite run took {polite:.2f} s "
        f"({polite / floor:.2f}x the floor; ceiling {len(HOSTS) / args.delay:.0f} requests/s)"
    )

    print(
        f"\npoliteness, server side (delay {args.delay:g} s; smallest gap over the {len(gaps)} polite runs):"
    )
    print(f"{'host':12} {'requests/run':>13} {'min gap s':>10} {'>= delay':>9}")
    ok = True
    for host in HOSTS:
        counts = [run[host][0] for run in gaps if host in run]
        smallest = min(run[host][1] for run in gaps if host in run)
        ok &= smallest >= args.delay
        print(
            f"{host:12} {statistics.median(counts):13.0f} {smallest:10.4f} {'yes' if smallest >= args.delay else 'NO':>9}"
        )
    print(
        "\nverdicts (last polite run): "
        + ", ".join(f"{s.name} {n}" for s, n in statuses.items() if n)
    )
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
