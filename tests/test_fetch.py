"""The fetcher and backlink verification, against a real HTTP server on 127.0.0.1 (no mocks).

The server runs in a thread (the standard library's ThreadingHTTPServer); each test puts its
routes in place. `127.0.0.1` and `localhost` reach the same server but are two sites. Skipped
as a whole when requests is not installed.
"""

from __future__ import annotations

import gzip
import http.server
import itertools
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import pytest

requests = pytest.importorskip("requests")
import urllib3.exceptions  # noqa: E402 - only once requests is known to be there

import backlinkkit  # noqa: E402
from backlinkkit import Fetcher, FetchErrorKind, LinkStatus, verify_backlink, verify_backlinks  # noqa: E402
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
        ],
    )
    def test_bad_settings(self, settings):
        """Settings out of range raise ValueError at construction."""
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
        """workers must be at least 1."""
        with pytest.raises(ValueError):
            verify_backlinks([], workers=0)

    def test_empty(self):
        """Nothing in, nothing out, no progress call."""
        calls = []
        assert verify_backlinks([], progress=lambda d, t: calls.append(d)) == []
        assert calls == []
