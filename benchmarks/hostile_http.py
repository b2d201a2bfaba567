"""Hostile servers against the fetcher and verify_backlink(s): how long each takes, and what it gives.

Every server runs on this machine (127.0.0.1 to 127.0.0.5); nothing leaves it. `cases()` yields
`(name, input_bytes, thunk)` for `benchmarks/hostile.py`, which times each thunk and reports any
exception that is not a BacklinkkitError; run alone, this script does the same and prints, per
case, the wall time against the fetch deadline and the kind of result.

Two sorts of case, named by their prefix:
  * `time/...`: the server sets the pace (one byte every 0.5 s, slow robots.txt, slow name
    look-ups). What the fetcher promises there is to stop at its deadline, whatever the input's
    size: the figure is the wall time against the deadline (`over` = wall - deadline), and
    seconds per MB of these tiny inputs mean nothing.
  * `size/...`: the server sends as fast as it can (header storms, a 250 KB Content-Type, gzip
    bombs, endless bodies, bad numbers, redirects into private addresses): the figure is seconds
    per MB of what the server offered, and these end well within the deadline too.
`input_bytes` is what the server offers in full: for an endless body, the bytes the fetcher may
read (`max_bytes`); for a gzip bomb, the compressed bytes sent.

    python benchmarks/hostile_http.py [--deadline S] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import signal
import socket
import socketserver
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator

from backlinkkit import BacklinkkitError, Fetcher, verify_backlink, verify_backlinks
from backlinkkit._http import _addresses

HARD_LIMIT_SECONDS = 600
ADDRESSES = [f"127.0.0.{n}" for n in range(1, 6)]
TARGET = "https://target.example/page"
MAX_BYTES = 5_000_000
Script = Callable[[socket.socket, bytes], None]


# -- servers -------------------------------------------------------------------------------------


class Handler(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        head = b""
        if not self.server.tls:
            sock.settimeout(10)
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = sock.recv(4096)
                if not data:
                    return
                head += data
        path = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b"/"
        script = self.server.routes.get(path, self.server.routes.get(b"*"))
        with contextlib.suppress(OSError):  # the client hung up: what most cases are about
            if script is not None:
                script(sock, head)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: str) -> None:
        super().__init__((address, 0), Handler)
        self.routes: dict[bytes, Script] = {}
        self.tls = False

    def url(self, path: str = "/", scheme: str = "http") -> str:
        host, port = self.server_address[:2]
        return f"{scheme}://{host}:{port}{path}"


def send(data: bytes) -> Script:
    return lambda sock, _head: sock.sendall(data)


def dribble(data: bytes, pause: float = 0.5, *, first: bytes = b"") -> Script:
    def script(sock: socket.socket, _head: bytes) -> None:
        sock.sendall(first)
        for byte in data:
            sock.sendall(bytes([byte]))
            time.sleep(pause)

    return script


def response(body: bytes = b"", *, status: bytes = b"200 OK", fields: bytes = b"") -> bytes:
    length = b"Content-Length: %d\r\n" % len(body)
    return (
        b"HTTP/1.1 "
        + status
        + b"\r\nContent-Type: text/html\r\n"
        + fields
        + length
        + b"\r\n"
        + body
    )


def gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([*(compressor.compress(block) for _ in range(size >> 20)), compressor.flush()])


def endless(first: bytes, block: bytes) -> Script:
    def script(sock: socket.socket, _head: bytes) -> None:
        sock.sendall(first)
        while True:
            sock.sendall(block)

    return script


@contextlib.contextmanager
def loopback_is_public() -> Iterator[None]:
    """Let 127.0.0.1 (only) pass the address check, so a local server stands for a public site
    while every other private address stays refused: the private-address cases need a first
    hop that is allowed. 127.0.0.2-5 stay private."""
    saved = _addresses._IPV4_ALLOWED  # noqa: SLF001 - the benchmark's stand-in for the internet
    _addresses._IPV4_ALLOWED = (*saved, ipaddress.IPv4Network("127.0.0.1/32"))  # noqa: SLF001
    try:
        yield
    finally:
        _addresses._IPV4_ALLOWED = saved  # noqa: SLF001


# -- cases ---------------------------------------------------------------------------------------

HTML = b'<!doctype html><a href="https://target.example/page">T</a>'
# 1 MB more after what makes a response hostile: what such a server would go on to send. Inputs
# of a few bytes would measure only the fixed cost of one request (a few ms) per MB.
PAD = b"<p>" * 333_334
# 1 MB more after what makes a response hostile: what such a server would go on to send. Inputs
# of a few bytes would measure only the fixed cost of one request (a few ms) per MB.
PAD = b"<p>" * 333_334
STATUS = b"HTTP/1.1 200 OK\r\n"
HEADERS = b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(HTML)


def fetcher(deadline: float, **settings: object) -> Fetcher:
    options: dict[str, object] = {
        "allow_private_addresses": True,
        "respect_robots": False,
        "per_host_delay": 0.0,
        "retries": 0,
        "timeout": (5.0, 5.0),  # longer than any pause: only the deadline can stop a trickle
        "deadline": deadline,
        "max_bytes": MAX_BYTES,
    }
    options.update(settings)
    return Fetcher(**options)


def cases(deadline: float = 2.0) -> Iterator[tuple[str, int, Callable[[], object]]]:
    """The hostile cases: (name, bytes the server offers, a thunk running the fetcher on it)."""
    servers = [Server(address) for address in ADDRESSES]
    for server in servers:
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
    main, tls = servers[0], Server("127.0.0.1")
    tls.tls = True
    threading.Thread(target=tls.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield from _cases(main, tls, servers, deadline)
    finally:
        for server in [*servers, tls]:
            server.shutdown()
            server.server_close()


def _fetch(url: str, deadline: float, **settings: object) -> Callable[[], object]:
    def thunk() -> object:
        with fetcher(deadline, **settings) as one:
            return one.fetch(url)

    return thunk


def _verify(url: str, deadline: float, **settings: object) -> Callable[[], object]:
    def thunk() -> object:
        with fetcher(deadline, **settings) as one:
            return verify_backlink(url, TARGET, fetcher=one)

    return thunk


def _cases(
    main: Server, tls: Server, servers: list[Server], deadline: float
) -> Iterator[tuple[str, int, Callable[[], object]]]:
    routes = main.routes

    # The server sets the pace: one byte every 0.5 s, wherever it hurts.
    trickles = {
        "status-line": (STATUS + HEADERS + HTML, b""),
        "headers": (b"X-Padding: " + b"a" * 200 + b"\r\n" + HEADERS + HTML, STATUS),
        "chunk-size-line": (
            b"0" * 200 + b"5\r\nhello\r\n0\r\n\r\n",
            STATUS + b"Transfer-Encoding: chunked\r\n\r\n",
        ),
        "body": (
            HTML * 10,
            STATUS + b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n" % (len(HTML) * 10),
        ),
    }
    for name, (data, first) in trickles.items():
        routes[f"/trickle-{name}".encode()] = dribble(data, first=first)
        yield (
            f"time/trickle {name}",
            len(first + data),
            _fetch(main.url(f"/trickle-{name}"), deadline),
        )
    tls.routes[b"*"] = dribble(b"\0" * 200, first=b"\x16\x03\x03\x40\x00")
    yield "time/trickle TLS handshake", 205, _fetch(tls.url(scheme="https"), deadline)

    # The case: a redirect chain over five origins, each robots.txt slow (0.8 s to answer).
    def slow_robots(sock: socket.socket, _head: bytes) -> None:
        time.sleep(0.8)
        sock.sendall(response(status=b"404 Not Found"))

    for here, there in zip(servers, [*servers[1:], None], strict=True):
        here.routes[b"/robots.txt"] = slow_robots
        hop = b"Location: " + there.url("/hop").encode() + b"\r\n" if there else b""
        here.routes[b"/hop"] = send(
            response(status=b"301 Moved", fields=hop) if there else response(HTML)
        )
    yield (
        "time/five slow robots.txt origins",
        5 * 200,
        _fetch(servers[0].url("/hop"), deadline, respect_robots=True),
    )

    # The server sends as fast as it can.
    # 96 fields of 64 KB: under http.client's limits (99 fields, 64 KiB a line), over 256 KiB.
    storm = (
        STATUS
        + b"".join(b"X-%d: " % n + b"a" * 65000 + b"\r\n" for n in range(96))
        + HEADERS
        + HTML
    )
    routes[b"/storm"] = send(storm)
    yield "size/96 headers of 64 KB", len(storm), _fetch(main.url("/storm"), deadline)
    many = STATUS + b"".join(b"X-%d: v\r\n" % n for n in range(101)) + HEADERS + HTML + PAD + PAD
    routes[b"/many"] = send(many)
    yield "size/101 headers", len(many), _fetch(main.url("/many"), deadline)
    long_line = STATUS + b"X-Long: " + b"a" * 100_000 + b"\r\n" + HEADERS + HTML
    routes[b"/long-line"] = send(long_line)
    yield "size/header line of 100 KB", len(long_line), _fetch(main.url("/long-line"), deadline)
    charset = b"".join(
        b"Content-Type: text/html; charset=" + b"a" * 60_000 + b"\r\n" for _ in range(4)
    )
    kept = STATUS + charset + b"Content-Length: %d\r\n\r\n" % len(HTML) + HTML
    routes[b"/content-type"] = send(kept)
    yield (
        "size/Content-Type of 240 KB to verify",
        len(kept),
        _verify(main.url("/content-type"), deadline),
    )
    over = STATUS + charset + charset[:60_100] + b"Content-Length: %d\r\n\r\n" % len(HTML) + HTML
    routes[b"/content-type-over"] = send(over)
    yield (
        "size/Content-Type of 300 KB (over the limit)",
        len(over),
        _verify(main.url("/content-type-over"), deadline),
    )
    bomb = gzip_bomb(256 << 20)
    routes[b"/bomb"] = send(response(bomb, fields=b"Content-Encoding: gzip\r\n"))
    yield "size/gzip bomb 256 MiB", len(bomb), _fetch(main.url("/bomb"), deadline)
    routes[b"/redirect-bomb"] = endless(
        b"HTTP/1.1 301 Moved\r\nLocation: /plain\r\nContent-Encoding: gzip\r\n\r\n", bomb
    )
    routes[b"/plain"] = send(response(HTML))
    yield (
        "size/redirect with an endless gzip-bomb body",
        len(bomb),
        _fetch(main.url("/redirect-bomb"), deadline),
    )
    routes[b"/endless"] = endless(STATUS + b"Content-Type: text/html\r\n\r\n", b"<p>" * 20_000)
    yield "size/endless body", MAX_BYTES, _fetch(main.url("/endless"), deadline)
    chunks = STATUS + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + PAD + b"\r\n0\r\n\r\n"
    routes[b"/bad-chunks"] = send(chunks)
    yield "size/bad chunked encoding", len(chunks), _fetch(main.url("/bad-chunks"), deadline)
    for path, (name, data) in {
        "/garbage": ("garbage status line", b"garbage\r\n\r\n" + PAD),
        "/http09": ("HTTP/0.9", HTML + PAD),
    }.items():
        routes[path.encode()] = send(data)
        yield f"size/{name}", len(data), _fetch(main.url(path), deadline)
    numbers = {
        "/superscript": ("Content-Length \u00b2", b"\xb2"),
        "/digits": ("Content-Length of 5,000 digits", b"9" * 5000),
        "/differing": ("Content-Length 5, 6", b"5, 6"),
    }
    for path, (name, value) in numbers.items():
        data = STATUS + b"Content-Length: " + value + b"\r\n\r\n" + PAD
        routes[path.encode()] = send(data)
        yield f"size/{name}", len(data), _verify(main.url(path), deadline)
    robots = b"User-agent: *\nCrawl-delay: \xc2\xb2\nDisallow: /private\n" + b"# padding\n" * 50_000
    servers[1].routes[b"/robots.txt"] = send(response(robots))
    servers[1].routes[b"/page"] = send(response(HTML))
    yield (
        "size/robots.txt Crawl-delay \u00b2 (500 KB)",
        len(robots),
        _verify(servers[1].url("/page"), deadline, respect_robots=True),
    )

    private = {
        "NAT64 metadata": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "6to4 loopback": "http://[2002:7f00:2::1]/",
        "IPv4-mapped metadata": "http://[::ffff:169.254.169.254]/",
        "Teredo private client": "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",
        "loopback 127.0.0.2": servers[1].url("/page"),
    }
    for number, (name, location) in enumerate(private.items()):
        path = f"/private-{number}"
        moved = b"Location: " + location.encode() + b"\r\n"
        routes[path.encode()] = send(response(PAD, status=b"302 Found", fields=moved))

        def thunk(url: str = main.url(path)) -> object:
            with loopback_is_public(), fetcher(deadline, allow_private_addresses=False) as one:
                return one.fetch(url)

        yield f"size/redirect to {name}", len(PAD), thunk

    # A batch: the quick hostile URLs above mixed with good pages, on 8 threads.
    routes[b"/good"] = send(response(HTML))
    hostile = ("/storm", "/many", "/bad-chunks", "/superscript", "/bomb", "/endless", "/garbage")
    batch = [main.url(path) for path in ("/good", *hostile, "/good", "/good")]
    offered = len(storm) + len(many) + len(chunks) + len(bomb) + MAX_BYTES + 2 * len(PAD)

    def run_batch() -> object:
        with fetcher(deadline) as one:
            return verify_backlinks([(url, TARGET) for url in batch], fetcher=one, workers=8)

    yield "size/batch of 10 with 7 hostile", offered, run_batch


# -- running alone -------------------------------------------------------------------------------


def kind_of(result: object) -> str:
    if isinstance(result, list):
        return ", ".join(sorted({kind_of(item) for item in result}))
    status = getattr(result, "status", None)
    error = getattr(result, "error", None)
    if hasattr(result, "live"):  # a LinkCheck
        return f"{status.name}" + (f"/{error.name}" if error else "")
    return error.name if error else f"HTTP {status}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--only", default="", help="run the cases whose name has this in it")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("hostile_http: hard time limit hit"))
    signal.alarm(HARD_LIMIT_SECONDS)
    print(f"hostile_http: fetch deadline {args.deadline:g} s; every server on 127.0.0.x")
    print(f"{'case':48} {'bytes':>10} {'wall s':>7} {'over':>7} {'s/MB':>7}  result")
    foreign, late = 0, 0
    for name, size, thunk in cases(args.deadline):
        if args.only not in name:
            continue
        start = time.perf_counter()
        try:
            outcome = kind_of(thunk())
        except BacklinkkitError as error:
            outcome = f"raised {type(error).__name__}"
        except Exception as error:  # noqa: BLE001 - what this benchmark hunts
            foreign += 1
            outcome = f"FOREIGN {type(error).__name__}: {error}"
        wall = time.perf_counter() - start
        over = wall - args.deadline
        late += over > 0.5
        per_mb = "" if name.startswith("time/") else f"{wall / (size / 1e6):7.2f}"
        print(f"{name:48} {size:10d} {wall:7.2f} {over:+7.2f} {per_mb:>7}  {outcome}")
    print(f"\nforeign exceptions: {foreign}; cases over the deadline by more than 0.5 s: {late}")
    return 1 if foreign or late else 0


if __name__ == "__main__":
    sys.exit(main())
