"""The fetcher and backlink verification, against a real HTTP server on 127.0.0.1 (no mocks).

The server runs in a thread (the standard library's ThreadingHTTPServer); each test puts its
routes in place. `127.0.0.1` and `localhost` reach the same server but are two sites. Skipped
as a whole when requests is not installed.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import http.client
import http.server
import ipaddress
import itertools
import socket
import socketserver
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import pytest

requests = pytest.importorskip("requests")
import urllib3.exceptions  # noqa: E402 - only once requests is known to be there

import backlinkkit  # noqa: E402
from backlinkkit import (  # noqa: E402
    Fetcher,
    FetchErrorKind,
    LinkStatus,
    verify_backlink,
    verify_backlinks,
)
from backlinkkit._http import _addresses  # noqa: E402
from backlinkkit._http._transport import RefusedConnection  # noqa: E402
from backlinkkit.fetch import error_kind  # noqa: E402

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


# -- the server ----------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        self.server.arrive(host, self.path)
        try:
            route = self.server.routes.get((host, self.path)) or self.server.routes.get(
                ("*", self.path)
            )
            if route is None:
                send(self, 404, b"not found")
            else:
                route(self)
        except OSError:
            pass  # the client hung up (deadline, size cap): what those tests are about
        finally:
            self.server.leave(host)

    def log_message(self, fmt: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: list[tuple[str, str, float]] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.lock = threading.Lock()

    def arrive(self, host: str, path: str) -> None:
        with self.lock:
            self.hits.append((host, path, time.monotonic()))
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self.in_flight[host])

    def leave(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] -= 1

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.server_address[1]}{path}"

    def count(self, path: str) -> int:
        return sum(1 for _, p, _ in self.hits if p == path)


@pytest.fixture
def server() -> Iterator[_Server]:
    """A fresh server per test: handlers left trickling by one test cannot skew the next."""
    live = _Server()
    thread = threading.Thread(
        target=live.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield live
    live.shutdown()
    live.server_close()


# -- raw servers: bytes on a socket, for what http.server cannot be made to send ----------------

Script = Callable[[socket.socket, bytes], None]


class _RawHandler(socketserver.BaseRequestHandler):
    server: RawServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        head = b""
        if not self.server.before_request:
            sock.settimeout(5)
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = sock.recv(4096)
                if not data:
                    return
                head += data
        with self.server.lock:
            self.server.heads.append(head)
        with contextlib.suppress(OSError):  # the client hung up: what these tests are about
            self.server.script(sock, head)


class RawServer(socketserver.ThreadingTCPServer):
    """A TCP server on 127.0.0.1 that runs `script(socket, request_head)` per connection."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: str = "127.0.0.1") -> None:
        super().__init__((address, 0), _RawHandler)
        self.script: Script = lambda sock, head: None
        self.before_request = False  # run the script at once (TLS tests: no request to read)
        self.heads: list[bytes] = []
        self.lock = threading.Lock()

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.server_address[1]}{path}"


@pytest.fixture
def raw() -> Iterator[RawServer]:
    live = RawServer()
    thread = threading.Thread(
        target=live.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield live
    live.shutdown()
    live.server_close()


def answer(data: bytes) -> Script:
    """Send `data` as the whole response, then close."""
    return lambda sock, head: sock.sendall(data)


def dribble(sock: socket.socket, data: bytes, pause: float = 0.5) -> None:
    """Send `data` one byte every `pause` seconds: never idle long enough for a read timeout."""
    for byte in data:
        sock.sendall(bytes([byte]))
        time.sleep(pause)


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> list[str]:
    """Answer look-ups of invented names from `names`; IP literals resolve to themselves, and
    any other name fails: nothing is ever asked of a name server. Gives the names looked up."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host in names:
            return [_info(address, port) for address in names[host]]
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise socket.gaierror(-2, "Name or service not known") from None
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _info(address: str, port: int) -> tuple:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 (only) plays a public address, so the test servers stand for the internet
    while every other private address, 127.0.0.2 included, stays refused."""
    monkeypatch.setattr(
        _addresses,
        "_IPV4_ALLOWED",
        (*_addresses._IPV4_ALLOWED, ipaddress.IPv4Network("127.0.0.1/32")),
    )


def fetcher(**settings: object) -> Fetcher:
    """A fetcher that may reach the local server, fast and without retries unless told."""
    options: dict[str, object] = {
        "allow_private_addresses": True,
        "per_host_delay": 0.0,
        "retries": 0,
        "timeout": (2.0, 2.0),
        "deadline": 5.0,
    }
    options.update(settings)
    return Fetcher(**options)


# -- routes --------------------------------------------------------------------------------------


def send(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    length: bool = True,
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def page(
    body: str | bytes,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    **headers: str,
) -> Route:
    data = body.encode() if isinstance(body, str) else body
    extra = {"Content-Type": content_type} | {k.replace("_", "-"): v for k, v in headers.items()}
    return lambda h: send(h, status, data, extra)


def redirect(location: str, status: int = 301) -> Route:
    return lambda h: send(h, status, b"", {"Location": location})


def html(*links: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}<title>t</title></head><body>{''.join(links)}</body></html>"


def trickle(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Promise 100 bytes, then send one every 0.1 s: never idle long enough for a read timeout."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


def stall(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Send the headers, then nothing for 3 s."""
    handler.send_response(200)
    handler.send_header("Content-Length", "10")
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(3)


def pause_then_close(protocol: str) -> Route:
    """Promise 10 bytes; send one at once, one at 0.75 s, then hang up at 1.9 s."""

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        # HTTP/1.1 keeps the connection open (the client holds its socket); 1.0 closes it.
        handler.protocol_version = protocol
        _pause_then_close(handler)

    return route


def _pause_then_close(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "10")
    handler.end_headers()
    for pause in (0.0, 0.75):
        time.sleep(pause)
        handler.wfile.write(b"x")
        handler.wfile.flush()
    time.sleep(1.15)


def _gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    block = b"\0" * (1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    return b"".join([*parts, compressor.flush()])


GZIP_BOMB = _gzip_bomb(64 << 20)  # 64 MiB of zeros in about 64 KiB


def fails_then(status: int, then: Route) -> Route:
    calls = []

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        calls.append(1)
        if len(calls) == 1:
            send(handler, status, b"try again")
        else:
            then(handler)

    return route


# -- fetch ---------------------------------------------------------------------------------------


class TestFetch:
    def test_page(self, server):
        """A plain page: status, body, headers looked up in any case, no redirects."""
        server.routes["*", "/a"] = page("<p>hi</p>", X_Thing="1")
        result = fetcher().fetch(server.url("/a"))
        assert (result.ok, result.status, result.error, result.body) == (
            True,
            200,
            None,
            b"<p>hi</p>",
        )
        assert result.headers["x-thing"] == "1"
        assert result.content_type == "text/html"
        assert (result.final_url, result.redirects) == (server.url("/a"), ())

    @pytest.mark.parametrize("status", [404, 410, 500])
    def test_error_status_is_not_a_failure(self, server, status):
        """A server's error status is an answer: `error` stays None, `ok` is False."""
        server.routes["*", "/x"] = page("gone", status=status)
        result = fetcher().fetch(server.url("/x"))
        assert (result.status, result.error, result.ok) == (status, None, False)

    def test_gzip_body_is_decompressed(self, server):
        """A gzip-encoded body comes back decompressed."""
        server.routes["*", "/z"] = page(gzip.compress(b"<p>zipped</p>"), Content_Encoding="gzip")
        assert fetcher().fetch(server.url("/z")).body == b"<p>zipped</p>"

    def test_redirect_chain(self, server):
        """Redirects are followed one by one; each hop's status and resolved Location is kept."""
        server.routes["*", "/r1"] = redirect("/r2", 301)
        server.routes["*", "/r2"] = redirect(server.url("/end", host="localhost"), 302)
        server.routes["*", "/end"] = page("end")
        result = fetcher().fetch(server.url("/r1"))
        assert (result.status, result.body, result.final_url) == (
            200,
            b"end",
            server.url("/end", host="localhost"),
        )
        assert [(h.status, h.location) for h in result.redirects] == [
            (301, server.url("/r2")),
            (302, server.url("/end", host="localhost")),
        ]

    @pytest.mark.parametrize(
        ("routes", "max_redirects", "message"),
        [
            ({"/loop1": "/loop2", "/loop2": "/loop1"}, 10, "loop"),
            ({"/self": "/self"}, 10, "loop"),
            ({"/c1": "/c2", "/c2": "/c3", "/c3": "/c4", "/c4": "/c5"}, 2, "more than 2"),
        ],
    )
    def test_redirect_limits(self, server, routes, max_redirects, message):
        """A redirect loop, or a chain longer than `max_redirects`, is TOO_MANY_REDIRECTS."""
        for path, location in routes.items():
            server.routes["*", path] = redirect(location)
        result = fetcher(max_redirects=max_redirects).fetch(server.url(next(iter(routes))))
        assert result.error is FetchErrorKind.TOO_MANY_REDIRECTS
        assert message in result.message

    def test_cookie_check_redirect_comes_back_once(self, server):
        """A -> B (sets a cookie) -> A is no loop: the second visit to A is answered."""

        def check_cookie(handler):
            if "seen=1" in (handler.headers.get("Cookie") or ""):
                send(handler, 200, b"welcome")
            else:
                send(handler, 302, b"", {"Location": "/set-cookie"})

        server.routes["*", "/a"] = check_cookie
        server.routes["*", "/set-cookie"] = lambda h: send(
            h, 302, b"", {"Location": "/a", "Set-Cookie": "seen=1; Path=/"}
        )
        result = fetcher().fetch(server.url("/a"))
        assert (result.body, len(result.redirects)) == (b"welcome", 2)

    @pytest.mark.parametrize(
        ("url", "kind"),
        [
            ("ftp://example.com/file", FetchErrorKind.NOT_HTTP),
            ("file:///etc/passwd", FetchErrorKind.NOT_HTTP),
            ("javascript:alert(1)", FetchErrorKind.NOT_HTTP),
            ("mailto:a@example.com", FetchErrorKind.NOT_HTTP),
            ("not a url", FetchErrorKind.INVALID_URL),
            ("/relative/path", FetchErrorKind.INVALID_URL),
            ("http://[::1/", FetchErrorKind.INVALID_URL),
        ],
    )
    def test_refused_urls(self, url, kind):
        """Only absolute http(s) URLs are fetched; anything else fails before any request."""
        result = fetcher().fetch(url)
        assert (result.error, result.status) == (kind, None)

    def test_redirect_to_another_scheme_is_refused(self, server):
        """Each hop is checked: a redirect to file: stops there, as NOT_HTTP."""
        server.routes["*", "/to-file"] = redirect("file:///etc/passwd")
        result = fetcher().fetch(server.url("/to-file"))
        assert result.error is FetchErrorKind.NOT_HTTP
        assert [h.location for h in result.redirects] == ["file:///etc/passwd"]

    @pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
    def test_private_addresses_refused_by_default(self, server, host):
        """By default a host resolving to loopback is refused, and the server never sees it."""
        server.routes["*", "/secret"] = page("secret")
        result = Fetcher(respect_robots=False).fetch(server.url("/secret", host=host))
        assert result.error is FetchErrorKind.PRIVATE_ADDRESS
        assert server.hits == []

    def test_redirect_to_an_invalid_url(self, server):
        """A Location that does not parse is INVALID_URL."""
        server.routes["*", "/bad"] = redirect("http://[oops/")
        result = fetcher().fetch(server.url("/bad"))
        assert (result.error, result.redirects) == (FetchErrorKind.INVALID_URL, ())

    @pytest.mark.parametrize(
        ("content_length", "body_kept"), [(True, 0), (False, 1000)], ids=["declared", "streamed"]
    )
    def test_oversized_body(self, server, content_length, body_kept):
        """A body over max_bytes is TOO_LARGE: refused on its Content-Length, or cut while read."""
        big = b"a" * 5000
        server.routes["*", "/big"] = lambda h: send(
            h, 200, big, {"Content-Type": "text/html"}, length=content_length
        )
        result = fetcher(max_bytes=1000).fetch(server.url("/big"))
        assert (result.error, len(result.body)) == (FetchErrorKind.TOO_LARGE, body_kept)

    def test_gzip_bomb(self, server):
        """64 MiB of zeros in 64 KiB of gzip: the decompressed size is capped, TOO_LARGE."""
        server.routes["*", "/bomb"] = page(GZIP_BOMB, Content_Encoding="gzip")
        result = fetcher(max_bytes=1_000_000).fetch(server.url("/bomb"))
        assert result.error is FetchErrorKind.TOO_LARGE
        assert len(result.body) == 1_000_000

    def test_trickle_hits_the_deadline(self, server):
        """A server trickling bytes never trips the read timeout; the overall deadline stops it."""
        server.routes["*", "/slow"] = trickle
        result = fetcher(timeout=(2.0, 2.0), deadline=0.5).fetch(server.url("/slow"))
        assert result.error is FetchErrorKind.TIMEOUT
        assert "deadline" in result.message
        assert 0 < len(result.body) < 100

    @pytest.mark.parametrize("protocol", ["HTTP/1.0", "HTTP/1.1"])
    def test_deadline_holds_mid_read(self, server, protocol):
        """A read that starts with little time left is bounded by what is left, not by the read
        timeout: here the server would end the body short (PROTOCOL) before a read begun at
        0.75 s with the full 1.5 s socket timeout gave up; the deadline (1.5 s) comes first."""
        server.routes["*", "/pause"] = pause_then_close(protocol)
        result = fetcher(timeout=(2.0, 10.0), deadline=1.5).fetch(server.url("/pause"))
        assert result.error is FetchErrorKind.TIMEOUT
        assert "deadline" in result.message

    def test_stall_hits_the_read_timeout(self, server):
        """A server that goes quiet mid-body is TIMEOUT once the read timeout passes."""
        server.routes["*", "/stall"] = stall
        result = fetcher(timeout=(2.0, 0.3)).fetch(server.url("/stall"))
        assert result.error is FetchErrorKind.TIMEOUT

    def test_connection_refused(self):
        """Nothing listening on the port: CONNECT."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = fetcher().fetch(f"http://127.0.0.1:{port}/")
        assert result.error is FetchErrorKind.CONNECT

    def test_tls_handshake_failure(self, server):
        """https to a server that speaks plain HTTP fails the handshake: TLS."""
        server.routes["*", "/"] = page("plain")
        result = fetcher().fetch(server.url("/", scheme="https"))
        assert result.error is FetchErrorKind.TLS

    @pytest.mark.parametrize(("retries", "status"), [(0, 503), (1, 200)])
    def test_retries_after_server_error(self, server, retries, status):
        """A 503 is tried again `retries` times (after the per-host pause)."""
        server.routes["*", "/flaky"] = fails_then(503, page("ok"))
        result = fetcher(retries=retries).fetch(server.url("/flaky"))
        assert (result.status, server.count("/flaky")) == (status, retries + 1)

    def test_per_host_delay_between_requests(self, server):
        """Requests to one host (robots.txt, then two pages) reach it per_host_delay apart."""
        server.routes["*", "/p"] = page("p")
        polite = fetcher(per_host_delay=0.2)
        polite.fetch(server.url("/p"))
        polite.fetch(server.url("/p"))
        times = [t for _, _, t in server.hits]
        assert [p for _, p, _ in server.hits] == ["/robots.txt", "/p", "/p"]
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.2

    def test_user_agent_sent(self, server):
        """The fetcher's user agent goes with every request."""
        seen = []

        def route(handler):
            seen.append(handler.headers["User-Agent"])
            send(handler, 200)

        server.routes["*", "/ua"] = route
        fetcher(user_agent="checker/1.0").fetch(server.url("/ua"))
        assert seen == ["checker/1.0"]

    def test_repr(self):
        """The repr names the settings that matter when reading logs."""
        assert repr(Fetcher(per_host_delay=2)).startswith("Fetcher(user_agent='backlinkkit/")

    @pytest.mark.parametrize("own", [True, False], ids=["own-session", "callers-session"])
    def test_close(self, own):
        """close (or leaving a with block) closes the session only if the fetcher made it."""
        session = requests.Session()
        closed = []
        session.close = lambda: closed.append(True)
        with Fetcher(session=None if own else session) as made:
            if own:
                made.session.close = lambda: closed.append(True)
        assert closed == ([True] if own else [])

    @pytest.mark.parametrize(
        "settings",
        [
            {"timeout": 0},
            {"deadline": -1},
            {"max_bytes": 0},
            {"per_host_delay": -0.1},
            {"retries": -1},
            {"max_redirects": -1},
            {"user_agent": "checker/1.0\r\nX-Injected: 1"},
        ],
    )
    def test_bad_settings(self, settings):
        """Settings out of range raise SettingsError (a ValueError) at construction."""
        with pytest.raises(backlinkkit.SettingsError, match="must"):
            Fetcher(**settings)
        with pytest.raises(ValueError):
            Fetcher(**settings)


# -- robots.txt ----------------------------------------------------------------------------------


class TestRobots:
    @pytest.mark.parametrize(
        ("robots", "path", "kind"),
        [
            (
                page("User-agent: *\nDisallow: /private\n", content_type="text/plain"),
                "/private/p",
                FetchErrorKind.BLOCKED_BY_ROBOTS,
            ),
            (
                page("User-agent: *\nDisallow: /private\n", content_type="text/plain"),
                "/public",
                None,
            ),
            (
                page("User-agent: backlinkkit\nDisallow: /\n", content_type="text/plain"),
                "/public",
                FetchErrorKind.BLOCKED_BY_ROBOTS,
            ),
            (
                page("User-agent: otherbot\nDisallow: /\n", content_type="text/plain"),
                "/public",
                None,
            ),
            (page("oops", status=500), "/public", FetchErrorKind.BLOCKED_BY_ROBOTS),
            (page("slow down", status=503), "/public", FetchErrorKind.BLOCKED_BY_ROBOTS),
            (page("no", status=403), "/public", None),
            (page("no", status=404), "/public", None),
            (redirect("/robots.txt"), "/public", None),
        ],
        ids=[
            "disallowed",
            "allowed",
            "our-agent",
            "other-agent",
            "500",
            "503",
            "403",
            "404",
            "redirect-loop",
        ],
    )
    def test_robots_rules(self, server, robots, path, kind):
        """robots.txt rules for our agent; 5xx means disallow all, 4xx (or no file) allow all."""
        server.routes["*", "/robots.txt"] = robots
        server.routes["*", path] = page("page")
        result = fetcher().fetch(server.url(path))
        assert result.error is kind
        assert server.count(path) == (0 if kind else 1)

    def test_robots_not_obeyed_when_told(self, server):
        """respect_robots=False never asks for robots.txt."""
        server.routes["*", "/robots.txt"] = page("User-agent: *\nDisallow: /\n")
        server.routes["*", "/p"] = page("p")
        assert fetcher(respect_robots=False).fetch(server.url("/p")).ok
        assert server.count("/robots.txt") == 0

    def test_robots_checked_on_each_hop(self, server):
        """A redirect into a disallowed path is blocked at that hop."""
        server.routes["*", "/robots.txt"] = page("User-agent: *\nDisallow: /private\n")
        server.routes["*", "/go"] = redirect("/private/x")
        result = fetcher().fetch(server.url("/go"))
        assert result.error is FetchErrorKind.BLOCKED_BY_ROBOTS
        assert server.count("/private/x") == 0

    def test_robots_fetched_once_per_origin(self, server):
        """Many threads, two origins: robots.txt is asked for once per origin."""
        server.routes["*", "/robots.txt"] = page("User-agent: *\nAllow: /\n")
        server.routes["*", "/p"] = page("p")
        shared = fetcher()
        urls = [server.url("/p", host=h) for h in ("127.0.0.1", "localhost")] * 5
        threads = [threading.Thread(target=shared.fetch, args=(u,)) for u in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(h for h, p, _ in server.hits if p == "/robots.txt") == [
            "127.0.0.1",
            "localhost",
        ]
        assert server.count("/p") == 10

    def test_unreachable_robots_gives_the_fetch_error(self):
        """When robots.txt cannot be reached at all, the page's result carries that error."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = fetcher().fetch(f"http://127.0.0.1:{port}/p")
        assert result.error is FetchErrorKind.CONNECT
        assert result.message.startswith("robots.txt")


# -- error kinds ---------------------------------------------------------------------------------


def _max_retry(reason: Exception) -> Exception:
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))


def _aborted(cause: Exception) -> Exception:
    """What requests raises when urllib3 gives up on a response: ConnectionError(ProtocolError)."""
    return requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.", cause))


def _bad_status_line() -> Exception:
    """http.client's BadStatusLine for a status code that is no number: raised `from None` over
    the ValueError of int(), which must not make it INVALID_URL."""
    try:
        try:
            int("2x0")
        except ValueError:
            raise http.client.BadStatusLine("HTTP/1.1 2x0 OK") from None
    except http.client.BadStatusLine as error:
        return error
    raise AssertionError("unreachable")


class TestErrorKind:
    @pytest.mark.parametrize(
        ("error", "kind"),
        [
            (requests.exceptions.SSLError("certificate verify failed"), FetchErrorKind.TLS),
            (_max_retry(urllib3.exceptions.SSLError("wrong version number")), FetchErrorKind.TLS),
            (ssl.SSLCertVerificationError("hostname mismatch"), FetchErrorKind.TLS),
            (
                _max_retry(
                    urllib3.exceptions.NameResolutionError(
                        "x.invalid", None, socket.gaierror(-2, "Name or service not known")
                    )
                ),
                FetchErrorKind.DNS,
            ),
            (socket.gaierror(-2, "Name or service not known"), FetchErrorKind.DNS),
            (requests.exceptions.ConnectTimeout("connect timed out"), FetchErrorKind.TIMEOUT),
            (requests.exceptions.ReadTimeout("read timed out"), FetchErrorKind.TIMEOUT),
            (
                requests.ConnectionError(
                    urllib3.exceptions.ReadTimeoutError(None, "/", "read timed out")
                ),
                FetchErrorKind.TIMEOUT,
            ),
            (_max_retry(ConnectionRefusedError(111, "Connection refused")), FetchErrorKind.CONNECT),
            (requests.ConnectionError("connection reset"), FetchErrorKind.CONNECT),
            (requests.exceptions.ChunkedEncodingError("broken chunk"), FetchErrorKind.PROTOCOL),
            (requests.exceptions.ContentDecodingError("bad gzip"), FetchErrorKind.PROTOCOL),
            (urllib3.exceptions.DecodeError("bad deflate"), FetchErrorKind.PROTOCOL),
            (
                requests.exceptions.TooManyRedirects("30 redirects"),
                FetchErrorKind.TOO_MANY_REDIRECTS,
            ),
            (requests.exceptions.InvalidURL("bad url"), FetchErrorKind.INVALID_URL),
            (requests.exceptions.InvalidSchema("no adapter"), FetchErrorKind.INVALID_URL),
            (ValueError("Invalid IPv6 URL"), FetchErrorKind.INVALID_URL),
            (UnicodeError("label too long"), FetchErrorKind.INVALID_URL),
            (requests.exceptions.InvalidHeader("bad header"), FetchErrorKind.PROTOCOL),
            (OSError("something else"), FetchErrorKind.CONNECT),
            # What http.client raises for malformed responses, as requests hands it over.
            (_aborted(_bad_status_line()), FetchErrorKind.PROTOCOL),
            (_aborted(http.client.BadStatusLine("<html>")), FetchErrorKind.PROTOCOL),
            (_aborted(http.client.UnknownProtocol("HTTP/7.0")), FetchErrorKind.PROTOCOL),
            (_aborted(http.client.LineTooLong("header line")), FetchErrorKind.PROTOCOL),
            (
                _aborted(http.client.HTTPException("got more than 100 headers")),
                FetchErrorKind.PROTOCOL,
            ),
            (_aborted(http.client.IncompleteRead(b"", 10)), FetchErrorKind.PROTOCOL),
            (
                urllib3.exceptions.InvalidHeader(
                    "Content-Length contained multiple unmatching values"
                ),
                FetchErrorKind.PROTOCOL,
            ),
            (
                _aborted(http.client.RemoteDisconnected("closed without response")),
                FetchErrorKind.CONNECT,
            ),
            (
                _aborted(ConnectionResetError(104, "Connection reset by peer")),
                FetchErrorKind.CONNECT,
            ),
            # The transport's own refusals carry their kind.
            (
                RefusedConnection("10.0.0.1", FetchErrorKind.PRIVATE_ADDRESS),
                FetchErrorKind.PRIVATE_ADDRESS,
            ),
            (_max_retry(RefusedConnection("slow", FetchErrorKind.TIMEOUT)), FetchErrorKind.TIMEOUT),
            (RefusedConnection("x.test", FetchErrorKind.DNS), FetchErrorKind.DNS),
        ],
    )
    def test_error_kind(self, error, kind):
        """Exceptions from requests, urllib3 and the socket map to kinds through their chain."""
        assert error_kind(error) is kind

    def test_chained_cause(self):
        """A cause raised `from` another is looked at too."""
        outer = requests.ConnectionError("wrapped")
        outer.__cause__ = ssl.SSLError("handshake")
        assert error_kind(outer) is FetchErrorKind.TLS


# -- verify_backlink -----------------------------------------------------------------------------


TARGET = "https://target.example/page"


class TestVerifyBacklink:
    @pytest.mark.parametrize(
        ("route", "status", "followed"),
        [
            (page(html(f'<a href="{TARGET}">Target</a>')), LinkStatus.LIVE, True),
            (
                page(html('<a href="https://other.example/">Other</a>')),
                LinkStatus.LINK_REMOVED,
                None,
            ),
            (page(html(f'<a rel="nofollow" href="{TARGET}">Target</a>')), LinkStatus.LIVE, False),
            (
                page(html(f'<a rel="UGC sponsored" href="{TARGET}">Target</a>')),
                LinkStatus.LIVE,
                False,
            ),
            (
                page(html(f'<a href="{TARGET}">Target</a>'), X_Robots_Tag="nofollow"),
                LinkStatus.LIVE,
                False,
            ),
            (
                page(
                    html(
                        f'<a href="{TARGET}">Target</a>',
                        head='<meta name="robots" content="noindex">',
                    )
                ),
                LinkStatus.NOINDEX,
                True,
            ),
            (
                page(html(f'<a href="{TARGET}">Target</a>'), X_Robots_Tag="noindex"),
                LinkStatus.NOINDEX,
                True,
            ),
            (
                page(
                    html(
                        '<a href="https://other.example/">x</a>',
                        head='<meta name="robots" content="noindex">',
                    )
                ),
                LinkStatus.LINK_REMOVED,
                None,
            ),
        ],
        ids=[
            "live",
            "removed",
            "rel-nofollow",
            "rel-ugc-sponsored",
            "header-nofollow",
            "meta-noindex",
            "header-noindex",
            "noindex-removed",
        ],
    )
    def test_page_verdicts(self, server, route, status, followed):
        """The page's links and robots directives (meta and X-Robots-Tag) decide the verdict."""
        server.routes["*", "/src"] = route
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.status, check.followed) == (status, followed)

    def test_live_link_details(self, server):
        """A live check carries each matching link, its anchor, the final URL and status."""
        server.routes["*", "/src"] = page(
            html(
                f'<a href="{TARGET}#top">One</a> <a href="/x">x</a> <a href="{TARGET}"><img alt="Two"></a>'
            )
        )
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.live, check.anchors, check.http_status, check.final_url) == (
            True,
            ("One", "Two"),
            200,
            server.url("/src"),
        )
        assert check.robots is not None

    @pytest.mark.parametrize(
        ("target", "status"),
        [
            ("https://target.example/page", LinkStatus.LIVE),
            ("https://TARGET.example:443/page#section", LinkStatus.LIVE),
            ("https://target.example/other", LinkStatus.LINK_REMOVED),
            ("http://target.example/page", LinkStatus.LINK_REMOVED),
            ("target.example", LinkStatus.LIVE),
            ("TARGET.EXAMPLE.", LinkStatus.LIVE),
            ("www.target.example", LinkStatus.LINK_REMOVED),
            ("blog.target.example", LinkStatus.LINK_REMOVED),
        ],
    )
    def test_target_forms(self, server, target, status):
        """A URL target is that page (normalized, fragment ignored); a host or a site otherwise."""
        server.routes["*", "/src"] = page(html('<a href="https://target.example/page#frag">T</a>'))
        assert verify_backlink(server.url("/src"), target, fetcher=fetcher()).status is status

    @pytest.mark.parametrize(
        ("route", "status", "http_status"),
        [
            (page("gone", status=404), LinkStatus.PAGE_GONE, 404),
            (page("gone", status=410), LinkStatus.PAGE_GONE, 410),
            (page("oops", status=500), LinkStatus.ERROR, 500),
            (page("no", status=403), LinkStatus.ERROR, 403),
            (page(b"%PDF-1.4", content_type="application/pdf"), LinkStatus.ERROR, 200),
        ],
    )
    def test_status_verdicts(self, server, route, status, http_status):
        """404/410 is PAGE_GONE; another status outside 2xx, or a page that is not HTML, ERROR."""
        server.routes["*", "/src"] = route
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.status, check.http_status, check.links) == (status, http_status, ())

    def test_redirect_to_another_site(self, server):
        """A 301 chain ending on another site (127.0.0.1 -> localhost) is REDIRECTED_AWAY."""
        server.routes["127.0.0.1", "/src"] = redirect("/moved")
        server.routes["127.0.0.1", "/moved"] = redirect(server.url("/new", host="localhost"))
        server.routes["localhost", "/new"] = page(html(f'<a href="{TARGET}">T</a>'))
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert check.status is LinkStatus.REDIRECTED_AWAY
        assert (check.final_url, len(check.redirects)) == (server.url("/new", host="localhost"), 2)

    def test_redirect_within_the_site(self, server):
        """A redirect on the same site is followed and the final page judged."""
        server.routes["*", "/src"] = redirect("/final")
        server.routes["*", "/final"] = page(html(f'<a href="{TARGET}">T</a>'))
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.status, check.final_url) == (LinkStatus.LIVE, server.url("/final"))

    def test_redirect_loop(self, server):
        """A redirect loop is ERROR, with the fetch's TOO_MANY_REDIRECTS."""
        server.routes["*", "/src"] = redirect("/src2")
        server.routes["*", "/src2"] = redirect("/src")
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.status, check.error) == (LinkStatus.ERROR, FetchErrorKind.TOO_MANY_REDIRECTS)

    @pytest.mark.parametrize(
        "robots",
        [
            page("User-agent: *\nDisallow: /src\n", content_type="text/plain"),
            page("down", status=503),
        ],
        ids=["disallow", "5xx"],
    )
    def test_blocked_by_robots(self, server, robots):
        """robots.txt disallowing the page, or answering 5xx, is BLOCKED."""
        server.routes["*", "/robots.txt"] = robots
        server.routes["*", "/src"] = page(html(f'<a href="{TARGET}">T</a>'))
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert (check.status, check.error) == (LinkStatus.BLOCKED, FetchErrorKind.BLOCKED_BY_ROBOTS)
        assert server.count("/src") == 0

    @pytest.mark.parametrize(
        ("body", "charset", "anchor"),
        [
            ("café".encode(), "utf-8", "café"),
            ("café".encode("windows-1252"), "windows-1252", "café"),
            # The header is wrong (the bytes are UTF-8): a browser believes it, and so do we.
            ("café".encode(), "windows-1252", "cafÃ©"),
        ],
        ids=["utf-8", "windows-1252", "wrong-header"],
    )
    def test_charset_from_the_header(self, server, body, charset, anchor):
        """The response's charset decides how the page is decoded, as in a browser."""
        doc = b'<html><body><a href="' + TARGET.encode() + b'">' + body + b"</a></body></html>"
        server.routes["*", "/src"] = page(doc, content_type=f"text/html; charset={charset}")
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher())
        assert check.anchors == (anchor,)

    def test_default_fetcher_is_safe(self, server):
        """Without a fetcher, a default one is used: it refuses the loopback server."""
        server.routes["*", "/src"] = page(html(f'<a href="{TARGET}">T</a>'))
        check = verify_backlink(server.url("/src"), TARGET)
        assert (check.status, check.error) == (LinkStatus.ERROR, FetchErrorKind.PRIVATE_ADDRESS)
        assert server.hits == []

    def test_fetch_error(self, server):
        """A fetch that fails is ERROR with its kind and message."""
        server.routes["*", "/src"] = page("x" * 5000)
        check = verify_backlink(server.url("/src"), TARGET, fetcher=fetcher(max_bytes=100))
        assert (check.status, check.error) == (LinkStatus.ERROR, FetchErrorKind.TOO_LARGE)
        assert check.message

    @pytest.mark.parametrize("target", ["", "   ", "ftp://example.com/", "http://", "exa mple.com"])
    def test_bad_target(self, target):
        """A target that is neither an http(s) URL nor a host is a programming error: raises."""
        with pytest.raises(backlinkkit.InvalidURLError):
            verify_backlink("https://example.com/", target, fetcher=fetcher())


# -- verify_backlinks ----------------------------------------------------------------------------


class TestVerifyBacklinks:
    def test_order_progress_and_politeness(self, server):
        """Results come in input order; progress counts up to the total; one request at a time
        per host, per_host_delay apart; robots.txt once per host."""
        for n in range(4):
            server.routes["*", f"/s{n}"] = page(
                html(f'<a href="{TARGET}">T{n}</a>' if n % 2 == 0 else "")
            )
        hosts = ("127.0.0.1", "localhost")
        pairs = [(server.url(f"/s{n}", host=h), TARGET) for h in hosts for n in range(4)]
        seen = []
        checks = verify_backlinks(
            pairs,
            fetcher=fetcher(per_host_delay=0.05),
            workers=4,
            progress=lambda done, total: seen.append((done, total)),
        )
        assert [c.source_url for c in checks] == [s for s, _ in pairs]
        assert [c.status for c in checks] == [LinkStatus.LIVE, LinkStatus.LINK_REMOVED] * 4
        assert seen == [(n, 8) for n in range(1, 9)]
        assert server.max_in_flight == dict.fromkeys(hosts, 1)
        for host in hosts:
            times = [t for h, _, t in server.hits if h == host]
            assert len(times) == 5  # robots.txt and four pages
            assert min(b - a for a, b in itertools.pairwise(times)) >= 0.05

    def test_backlink_records(self, server):
        """Backlink records are checked against their target URL."""
        server.routes["*", "/s"] = page(html(f'<a href="{TARGET}">T</a>'))
        checks = verify_backlinks(
            [backlinkkit.Backlink(source_url=server.url("/s"), target_url=TARGET)],
            fetcher=fetcher(),
        )
        assert [c.status for c in checks] == [LinkStatus.LIVE]

    @pytest.mark.parametrize(
        "items",
        [[("https://example.com/", "")], [backlinkkit.Backlink(source_url="https://example.com/")]],
        ids=["empty-target", "backlink-without-target"],
    )
    def test_bad_items_raise_before_fetching(self, server, items):
        """A bad target raises InvalidURLError before anything is fetched."""
        with pytest.raises(backlinkkit.InvalidURLError):
            verify_backlinks(items, fetcher=fetcher())
        assert server.hits == []

    def test_unfetchable_sources_are_results(self, server):
        """Sources that cannot be fetched give ERROR results in place; the batch goes on."""
        server.routes["*", "/s"] = page(html(f'<a href="{TARGET}">T</a>'))
        pairs = [("not a url", TARGET), ("ftp://x.example/", TARGET), (server.url("/s"), TARGET)]
        checks = verify_backlinks(pairs, fetcher=fetcher(), workers=2)
        assert [(c.status, c.error) for c in checks] == [
            (LinkStatus.ERROR, FetchErrorKind.INVALID_URL),
            (LinkStatus.ERROR, FetchErrorKind.NOT_HTTP),
            (LinkStatus.LIVE, None),
        ]

    def test_no_workers(self):
        """workers must be at least 1: SettingsError, a BacklinkkitError and a ValueError."""
        with pytest.raises(backlinkkit.SettingsError, match="workers=0"):
            verify_backlinks([], workers=0)

    def test_empty(self):
        """Nothing in, nothing out, no progress call."""
        calls = []
        assert verify_backlinks([], progress=lambda d, t: calls.append(d)) == []
        assert calls == []


# -- hostile servers: numbers --------------------------------------------------------------------


def with_length(value: bytes, body: bytes = b"hello") -> Script:
    return answer(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
        + value
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )


class TestHostileNumbers:
    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            (b"5", None),
            (b"5, 5", None),
            (b"\xb2", FetchErrorKind.PROTOCOL),  # "²" in latin-1: isdigit() but not int()
            (b"\xb9", FetchErrorKind.PROTOCOL),
            (b"+5", FetchErrorKind.PROTOCOL),
            (b"-5", FetchErrorKind.PROTOCOL),
            (b"5_0", FetchErrorKind.PROTOCOL),
            (b"0x5", FetchErrorKind.PROTOCOL),
            (b"5, 6", FetchErrorKind.PROTOCOL),
            (b"9" * 30, FetchErrorKind.TOO_LARGE),
            (b"9" * 5000, FetchErrorKind.TOO_LARGE),  # int() refuses over 4,300 digits
        ],
    )
    def test_content_length(self, raw, value, kind):
        """A Content-Length that is not ASCII digits (or a list of the same ones) is PROTOCOL,
        an absurd one TOO_LARGE: a result, never an exception."""
        raw.script = with_length(value)
        result = fetcher(respect_robots=False).fetch(raw.url())
        assert result.error is kind
        assert result.body == (b"hello" if kind is None else b"")

    def test_robots_numbers(self, server):
        """A robots.txt whose Crawl-delay int() refuses still gives its rules."""
        server.routes["*", "/robots.txt"] = page(
            "User-agent: *\nCrawl-delay: \u00b2\nDisallow: /private\n".encode(),
            content_type="text/plain",
        )
        server.routes["*", "/public"] = page("ok")
        shared = fetcher()
        assert shared.fetch(server.url("/public")).ok
        assert shared.fetch(server.url("/private")).error is FetchErrorKind.BLOCKED_BY_ROBOTS

    def test_one_bad_server_does_not_stop_the_batch(self, server, raw):
        """verify_backlinks with one server sending a Unicode-digit Content-Length: that URL is
        ERROR (PROTOCOL), the others are checked as usual."""
        raw.script = with_length(b"\xb2")
        server.routes["*", "/s"] = page(html(f'<a href="{TARGET}">T</a>'))
        pairs = [(server.url("/s"), TARGET), (raw.url("/bad"), TARGET), (server.url("/s"), TARGET)]
        checks = verify_backlinks(pairs, fetcher=fetcher(respect_robots=False), workers=3)
        assert [(c.status, c.error) for c in checks] == [
            (LinkStatus.LIVE, None),
            (LinkStatus.ERROR, FetchErrorKind.PROTOCOL),
            (LinkStatus.LIVE, None),
        ]


# -- hostile servers: time -----------------------------------------------------------------------

STATUS_LINE = b"HTTP/1.1 200 OK\r\n"
HEADERS = b"Content-Type: text/html\r\nContent-Length: 5\r\n\r\n"


def slow_status_line(sock: socket.socket, head: bytes) -> None:
    dribble(sock, STATUS_LINE + HEADERS + b"hello")


def slow_headers(sock: socket.socket, head: bytes) -> None:
    sock.sendall(STATUS_LINE)
    dribble(sock, b"X-Padding: " + b"a" * 40 + b"\r\n" + HEADERS + b"hello")


def slow_chunk_line(sock: socket.socket, head: bytes) -> None:
    # A chunk-size line is read with readline(): one long line, trickled, is one long read.
    sock.sendall(STATUS_LINE + b"Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
    dribble(sock, b"0" * 40 + b"5\r\nhello\r\n0\r\n\r\n")


def slow_body(sock: socket.socket, head: bytes) -> None:
    sock.sendall(STATUS_LINE + b"Content-Type: text/html\r\nContent-Length: 40\r\n\r\n")
    dribble(sock, b"x" * 40)


def slow_handshake(sock: socket.socket, head: bytes) -> None:
    # A TLS record header announcing 16 KiB of handshake, then its bytes one by one.
    sock.sendall(b"\x16\x03\x03\x40\x00")
    dribble(sock, b"\x00" * 100)


class TestDeadline:
    @pytest.mark.parametrize(
        ("script", "scheme"),
        [
            (slow_status_line, "http"),
            (slow_headers, "http"),
            (slow_chunk_line, "http"),
            (slow_body, "http"),
            (slow_handshake, "https"),
        ],
        ids=["status-line", "headers", "chunk-size-line", "body", "tls-handshake"],
    )
    def test_trickle_anywhere(self, raw, script, scheme):
        """One byte every 0.5 s (a read timeout of 2 s never trips) in the TLS handshake, the
        status line, the headers, a chunk-size line or the body: the deadline (1 s) ends the
        fetch as TIMEOUT, long before the response could complete (20 s and more)."""
        raw.script = script
        raw.before_request = scheme == "https"
        result = fetcher(respect_robots=False, timeout=(2.0, 2.0), deadline=1.0).fetch(
            raw.url(scheme=scheme)
        )
        assert (result.error, result.status if scheme == "https" else None) == (
            FetchErrorKind.TIMEOUT,
            None,
        )
        assert "deadline" in result.message

    def test_robots_on_the_way_count(self, server, monkeypatch):
        """A redirect chain over five origins whose robots.txt each take 0.8 s: the deadline
        (2 s) covers the robots.txt requests too, so the fetch stops on the way (TIMEOUT)
        instead of taking five robots.txt and more."""
        names = [f"{letter}.test" for letter in "abcde"]
        fake_dns(monkeypatch, {name: ["127.0.0.1"] for name in names})

        def slow_robots(handler):
            time.sleep(0.8)
            send(handler, 404, b"")

        server.routes["*", "/robots.txt"] = slow_robots
        for here, there in itertools.pairwise(names):
            server.routes[here, "/hop"] = redirect(server.url("/hop", host=there))
        server.routes[names[-1], "/hop"] = page("end")
        result = fetcher(timeout=(2.0, 2.0), deadline=2.0).fetch(server.url("/hop", host="a.test"))
        assert result.error is FetchErrorKind.TIMEOUT
        assert "deadline" in result.message
        assert server.count("/robots.txt") < len(names)

    def test_robots_cut_short_is_not_kept(self, server):
        """A robots.txt load cut short by one page's deadline is not cached as the origin's
        answer: the next fetch, with a full deadline, reads it."""
        calls = []

        def robots(handler):
            calls.append(1)
            if len(calls) == 1:
                time.sleep(1.5)
            send(handler, 200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})

        server.routes["*", "/robots.txt"] = robots
        server.routes["*", "/p"] = page("p")
        shared = fetcher(timeout=(2.0, 2.0), deadline=1.0)
        assert shared.fetch(server.url("/p")).error is FetchErrorKind.TIMEOUT
        assert shared.fetch(server.url("/p")).ok
        assert len(calls) == 2

    def test_politeness_waits_do_not_count(self, server):
        """Waiting for the fetcher's own per-host delay (1.2 s) is not held against the
        deadline (1 s): the second fetch of the host succeeds."""
        server.routes["*", "/p"] = page("p")
        polite = fetcher(respect_robots=False, per_host_delay=1.2, deadline=1.0)
        assert polite.fetch(server.url("/p")).ok
        second = polite.fetch(server.url("/p"))
        assert (second.ok, second.error) == (True, None)
        assert second.elapsed > 1.0  # elapsed includes the wait: what the caller sees

    def test_slow_dns_counts(self, server, monkeypatch):
        """A name server that does not answer costs the deadline, not the resolver's own
        timeouts: TIMEOUT."""
        release = threading.Event()

        def hanging(*args, **kwargs):
            release.wait(10)
            raise socket.gaierror(-2, "Name or service not known")

        monkeypatch.setattr(socket, "getaddrinfo", hanging)
        try:
            result = fetcher(respect_robots=False, deadline=0.5).fetch("http://slow-dns.test/")
        finally:
            release.set()
        assert result.error is FetchErrorKind.TIMEOUT


# -- hostile servers: addresses ------------------------------------------------------------------


class TestAddressChecks:
    @pytest.mark.parametrize(
        "location",
        [
            "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
            "http://[64:ff9b:1::a9fe:a9fe]/",
            "http://[2002:a9fe:a9fe::1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::127.0.0.2]/",
            "http://[fec0::1]/",
            "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",
            "http://10.0.0.1/",
            "http://169.254.169.254/",
            "http://0x7f.2/",  # 127.0.0.2: loopback, however spelled
        ],
    )
    def test_redirect_to_a_private_address(self, server, public_loopback, location):
        """A redirect into a private address, however spelled, stops there: PRIVATE_ADDRESS,
        the hop recorded, nothing connected to."""
        server.routes["*", "/go"] = redirect(location)
        result = Fetcher(respect_robots=False, per_host_delay=0, retries=0).fetch(server.url("/go"))
        assert result.error is FetchErrorKind.PRIVATE_ADDRESS
        assert len(result.redirects) == 1

    def test_name_with_one_private_answer(self, server, public_loopback, monkeypatch):
        """A redirect to a name whose look-up mixes a public and a private address is refused."""
        fake_dns(monkeypatch, {"mixed.test": ["127.0.0.1", "10.0.0.1"]})
        server.routes["*", "/go"] = redirect(server.url("/x", host="mixed.test"))
        result = Fetcher(respect_robots=False, per_host_delay=0, retries=0).fetch(server.url("/go"))
        assert result.error is FetchErrorKind.PRIVATE_ADDRESS
        assert server.count("/x") == 0

    def test_robots_redirect_to_a_private_address(self, server, public_loopback):
        """robots.txt goes through the same check: one redirecting to the metadata address
        leaves the origin unreachable, and the page is not fetched."""
        server.routes["*", "/robots.txt"] = redirect("http://[64:ff9b::a9fe:a9fe]/robots.txt")
        server.routes["*", "/p"] = page("p")
        result = Fetcher(per_host_delay=0, retries=0).fetch(server.url("/p"))
        assert result.error is FetchErrorKind.PRIVATE_ADDRESS
        assert result.message.startswith("robots.txt")
        assert server.count("/p") == 0

    def test_rebinding_is_caught_when_connecting(self, public_loopback, monkeypatch):
        """A name that answers a public address to the check and a private one afterwards
        (DNS rebinding): the address connected to is checked too, so the private server
        (on 127.0.0.2) never sees the request."""
        inside = _Server.__new__(_Server)
        http.server.ThreadingHTTPServer.__init__(inside, ("127.0.0.2", 0), _Handler)
        inside.routes, inside.hits, inside.in_flight, inside.max_in_flight = {}, [], {}, {}
        inside.lock = threading.Lock()
        inside.routes["*", "/admin"] = page("secret")
        threading.Thread(
            target=inside.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])
        real = socket.getaddrinfo

        def rebinding(host, port, *args, **kwargs):
            if host == "rebind.test":
                return [_info(address, port) for address in next(answers)]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        try:
            port = inside.server_address[1]
            result = Fetcher(respect_robots=False, per_host_delay=0, retries=0).fetch(
                f"http://rebind.test:{port}/admin"
            )
        finally:
            inside.shutdown()
            inside.server_close()
        assert result.error is FetchErrorKind.PRIVATE_ADDRESS
        assert "127.0.0.2" in result.message
        assert inside.hits == []


# -- hostile servers: protocol errors ------------------------------------------------------------


def many_headers(count: int) -> bytes:
    fields = b"".join(b"X-H%d: v\r\n" % n for n in range(count))
    return STATUS_LINE + fields + b"Content-Length: 2\r\n\r\nok"


def bad_chunks() -> bytes:
    return STATUS_LINE + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"


class TestProtocolErrors:
    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (b"garbage\r\n\r\n", FetchErrorKind.PROTOCOL),
            (b"<html><body>HTTP/0.9 has no status line</body></html>", FetchErrorKind.PROTOCOL),
            (b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", FetchErrorKind.PROTOCOL),
            (b"HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", FetchErrorKind.PROTOCOL),
            (b"HTTP/7.0 200 OK\r\nContent-Length: 0\r\n\r\n", FetchErrorKind.PROTOCOL),
            (b"HTTP/1.1 200 " + b"x" * 100_000 + b"\r\n\r\n", FetchErrorKind.PROTOCOL),
            (many_headers(101), FetchErrorKind.PROTOCOL),
            (STATUS_LINE + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n", FetchErrorKind.PROTOCOL),
            (
                STATUS_LINE
                + b"".join(b"X-%d: " % n + b"a" * 60_000 + b"\r\n" for n in range(5))
                + b"\r\n",
                FetchErrorKind.PROTOCOL,
            ),
            (bad_chunks(), FetchErrorKind.PROTOCOL),
            (STATUS_LINE + b"Content-Length: 100\r\n\r\nonly this", FetchErrorKind.PROTOCOL),
            (
                STATUS_LINE + b"Content-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!",
                FetchErrorKind.PROTOCOL,
            ),
            (
                b"HTTP/1.1 301 Moved\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
                FetchErrorKind.PROTOCOL,
            ),
            (b"", FetchErrorKind.CONNECT),
            (many_headers(98), None),  # with Content-Length: 99 fields, http.client's most
            (
                STATUS_LINE
                + b"".join(b"X-%d: " % n + b"a" * 60_000 + b"\r\n" for n in range(4))
                + b"Content-Length: 0\r\n\r\n",
                None,
            ),
        ],
        ids=[
            "garbage-status-line",
            "http-0.9",
            "status-not-a-number",
            "status-two-digits",
            "unknown-version",
            "status-line-100-kb",
            "101-headers",
            "header-line-100-kb",
            "headers-300-kb",
            "bad-chunked-encoding",
            "truncated-body",
            "bad-gzip",
            "two-locations",
            "closed-without-answer",
            "99-headers",
            "headers-240-kb",
        ],
    )
    def test_server_sends(self, raw, data, kind):
        """Each way of breaking HTTP maps to its documented kind: PROTOCOL for a malformed
        response (status line, header count or size, framing, encoding), CONNECT for a
        connection closed without any answer."""
        raw.script = answer(data)
        result = fetcher(respect_robots=False).fetch(raw.url())
        assert result.error is kind, result.message

    def test_headers_reaching_the_extractor_are_bounded(self, raw):
        """What passes the header limit (here 180 KB of Content-Type, in three fields) reaches
        extract_links joined, and is read: the check is an ERROR only if the page is not HTML."""
        fields = b"".join(
            b"Content-Type: text/html; x=" + b"a" * 60_000 + b"\r\n" for _ in range(3)
        )
        body = f'<a href="{TARGET}">T</a>'.encode()
        raw.script = answer(STATUS_LINE + fields + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        check = verify_backlink(raw.url(), TARGET, fetcher=fetcher(respect_robots=False))
        assert check.status is LinkStatus.LIVE


# -- redirects, cookies, containment -------------------------------------------------------------


class TestRedirectBodies:
    @pytest.mark.parametrize(
        "encoding", [b"", b"Content-Encoding: gzip\r\n"], ids=["endless", "gzip-bomb"]
    )
    def test_redirect_body_is_never_read(self, raw, encoding):
        """A 301 whose body never ends (or is a gzip bomb): the redirect is followed at once, the
        body left unread (requests' own Session.send would read it all, without limit)."""
        sent = []

        def script(sock, head):
            if head.startswith(b"GET /end"):
                sock.sendall(STATUS_LINE + b"Content-Length: 3\r\n\r\nend")
                return
            sock.sendall(b"HTTP/1.1 301 Moved\r\nLocation: /end\r\n" + encoding + b"\r\n")
            block = GZIP_BOMB if encoding else b"x" * 65536
            for _ in range(10_000):  # 640 MB, or 64 GiB inflated
                sock.sendall(block)
                sent.append(len(block))

        raw.script = script
        result = fetcher(respect_robots=False, deadline=10.0).fetch(raw.url("/start"))
        assert (result.status, result.body, len(result.redirects)) == (200, b"end", 1)
        assert sum(sent) < 32 << 20  # what socket buffers took before the client hung up


class TestCookies:
    def test_cookies_last_one_fetch(self, server):
        """A cookie set during one fetch's redirect chain is sent along that chain, never to a
        later fetch: fetches are stateless, as a crawler's are."""
        seen = []

        def check(handler):
            seen.append(handler.headers.get("Cookie"))
            send(handler, 200, b"ok")

        server.routes["*", "/set"] = lambda h: send(
            h, 302, b"", {"Location": "/check", "Set-Cookie": "seen=1; Path=/"}
        )
        server.routes["*", "/check"] = check
        shared = fetcher(respect_robots=False)
        shared.fetch(server.url("/set"))
        shared.fetch(server.url("/check"))
        assert seen == ["seen=1", None]
        assert len(shared.session.cookies) == 0

    def test_session_cookies_are_sent_not_written(self, server):
        """A session's own cookies go with every request; cookies servers set do not land in
        it (no jar shared and written by many threads)."""
        seen = []

        def route(handler):
            seen.append(handler.headers.get("Cookie"))
            send(handler, 200, b"ok", {"Set-Cookie": "tracker=1; Path=/"})

        server.routes["*", "/p"] = route
        session = requests.Session()
        session.cookies.set("consent", "yes", domain="127.0.0.1", path="/")
        fetcher(respect_robots=False, session=session).fetch(server.url("/p"))
        assert seen == ["consent=yes"]
        assert [c.name for c in session.cookies] == ["consent"]


class TestContainment:
    def test_unexpected_error_is_that_urls_verdict(self, server, monkeypatch):
        """An exception nobody expected on one URL (here the extractor failing on one page) is
        that URL's ERROR verdict, naming the exception; the other URLs are checked."""
        import backlinkkit.fetch as fetch_module

        real = fetch_module.extract_links

        def flaky(data, url, **kwargs):
            if url.endswith("/boom"):
                raise RuntimeError("the extractor broke")
            return real(data, url, **kwargs)

        monkeypatch.setattr(fetch_module, "extract_links", flaky)
        server.routes["*", "/ok"] = page(html(f'<a href="{TARGET}">T</a>'))
        server.routes["*", "/boom"] = page(html(f'<a href="{TARGET}">T</a>'))
        pairs = [(server.url(p), TARGET) for p in ("/ok", "/boom", "/ok")]
        checks = verify_backlinks(pairs, fetcher=fetcher(respect_robots=False), workers=2)
        assert [c.status for c in checks] == [LinkStatus.LIVE, LinkStatus.ERROR, LinkStatus.LIVE]
        assert "RuntimeError: the extractor broke" in checks[1].message
        single = verify_backlink(server.url("/boom"), TARGET, fetcher=fetcher(respect_robots=False))
        assert single.status is LinkStatus.ERROR


def client_sockets(port: int) -> list[socket.socket]:
    """Open sockets of this process connected to `port` (the client ends of connections)."""
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, socket.socket) and obj.fileno() != -1:
            try:
                if obj.getpeername()[1] == port:
                    found.append(obj)
            except OSError:
                pass
    return found


class TestSocketsWithoutGC:
    @pytest.mark.parametrize("gc_on", [False, True], ids=["gc-off", "gc-on"])
    def test_batch_frees_its_sockets_itself(self, server, gc_on):
        """With the cyclic garbage collector off for a whole 8-thread batch (as extract_links
        switches it off while it runs), every client socket, watchdog duplicates included, is
        closed by the time the fetcher is: nothing waits for the collector. The collector's
        state is left as it was."""
        server.routes["*", "/p"] = page(html(f'<a href="{TARGET}">T</a>'))
        server.routes["*", "/r"] = redirect("/p")
        was_enabled = gc.isenabled()
        gc.enable() if gc_on else gc.disable()
        try:
            with fetcher() as shared:
                checks = verify_backlinks(
                    [(server.url(p), TARGET) for p in ("/p", "/r") * 10], fetcher=shared, workers=8
                )
            leftover = client_sockets(server.server_address[1])
            state = gc.isenabled()
        finally:
            gc.enable() if was_enabled else gc.disable()
        assert {c.status for c in checks} == {LinkStatus.LIVE}
        assert leftover == []
        assert state is gc_on


# -- the transport -------------------------------------------------------------------------------


def keep_alive(first: bytes, then: Callable[[socket.socket], None]) -> Script:
    """Answer the first request on a connection with `first`, keep it open, run `then` for the
    second request on the same connection."""

    def script(sock: socket.socket, head: bytes) -> None:
        sock.sendall(first)
        rest = b""
        while b"\r\n\r\n" not in rest:
            data = sock.recv(4096)
            if not data:
                return
            rest += data
        then(sock)

    return script


class TestTransport:
    def test_reused_connection_is_bounded_too(self, raw):
        """The page request reuses robots.txt's kept-alive connection, and trickles its status
        line: the deadline holds on a pooled connection as on a new one."""
        robots = b"User-agent: *\nAllow: /\n"
        raw.script = keep_alive(
            STATUS_LINE
            + b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(robots)
            + robots,
            lambda sock: dribble(sock, STATUS_LINE + HEADERS + b"hello"),
        )
        result = fetcher(timeout=(2.0, 2.0), deadline=1.0).fetch(raw.url("/page"))
        assert (result.error, len(raw.heads)) == (FetchErrorKind.TIMEOUT, 1)  # one connection

    def test_through_a_proxy(self, raw, monkeypatch):
        """Through an http proxy the user chose (on 127.0.0.1), private addresses refused: the
        proxy is not address-checked, the target's name is (a fake resolver makes it public), and
        the deadline holds on the proxy connection."""
        fake_dns(monkeypatch, {"far.test": ["93.184.215.14"]})  # never connected to: the proxy is
        raw.script = lambda sock, head: dribble(sock, STATUS_LINE + HEADERS + b"hello")
        session = requests.Session()
        session.proxies = {"http": raw.url()}
        session.trust_env = False
        result = Fetcher(
            session=session, respect_robots=False, per_host_delay=0, retries=0, deadline=1.0
        ).fetch("http://far.test/page")
        assert result.error is FetchErrorKind.TIMEOUT
        assert raw.heads[0].startswith(b"GET http://far.test/page HTTP/1.1")

    def test_own_adapters_are_kept(self):
        """An adapter of its own class that the session's owner mounted is used as it is;
        requests' own adapters are replaced by the fetcher's, their settings carried over."""

        class Mine(requests.adapters.HTTPAdapter):
            pass

        session = requests.Session()
        mine = Mine()
        session.mount("https://", mine)
        session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=3, max_retries=2))
        Fetcher(session=session)
        replaced = session.adapters["http://"]
        assert session.adapters["https://"] is mine
        assert (type(replaced).__name__, replaced._pool_maxsize, replaced.max_retries.total) == (
            "FetchAdapter",
            3,
            2,
        )

    def test_adapter_outside_a_fetch(self, server):
        """The fetcher's adapter, used by other code on the session, behaves as requests' own."""
        server.routes["*", "/p"] = page("p")
        session = Fetcher().session
        assert session.get(server.url("/p"), timeout=5).text == "p"


class TestExchange:
    def test_fire_shuts_watched_connections(self):
        """When the deadline passes, a read blocked on a watched socket returns at once."""
        from backlinkkit._http._transport import Exchange

        ours, theirs = socket.socketpair()
        with ours, theirs:
            exchange = Exchange(time.monotonic() + 60, allow_private=False)
            exchange.watch(ours)
            exchange.fire()
            assert (exchange.fired, ours.recv(10)) == (True, b"")
            exchange.close()

    def test_watch_after_fire_shuts_at_once(self):
        """A socket watched after the deadline passed is shut at once."""
        from backlinkkit._http._transport import Exchange

        ours, theirs = socket.socketpair()
        with ours, theirs:
            exchange = Exchange(time.monotonic(), allow_private=False)
            exchange.fire()
            exchange.watch(ours)
            assert ours.recv(10) == b""
            exchange.close()

    def test_closed_exchange_touches_nothing(self):
        """After the exchange is over, watching or firing leaves sockets alone, and a closed
        socket is simply not watched."""
        from backlinkkit._http._transport import Exchange

        ours, theirs = socket.socketpair()
        closed = socket.socket()
        closed.close()
        with ours, theirs:
            exchange = Exchange(time.monotonic() + 60, allow_private=False)
            exchange.watch(closed)
            exchange.close()
            exchange.watch(ours)
            exchange.fire()
            theirs.sendall(b"x")
            assert (exchange.fired, ours.recv(10)) == (False, b"x")
