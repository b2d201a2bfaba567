"""check_targets: each target URL checked once, against a real HTTP server on 127.0.0.1.

Names under `.test` (`shop.test`, `www.shop.test`) resolve to 127.0.0.1 through a fake resolver
installed for the test: nothing is looked up outside the machine. The verdict rules themselves
(`classify`) are tested on `FetchResult` values, without requests.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

import backlinkkit
from backlinkkit import (
    Backlink,
    FetchErrorKind,
    FetchResult,
    RedirectHop,
    TargetCheck,
    TargetStatus,
)
from backlinkkit._compare._target_check import classify

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


# -- the verdict rules, without a network --------------------------------------------------------

URL = "https://shop.test/old"


def rank(name: str, position: int) -> backlinkkit.WebGraphRank:
    return backlinkkit.WebGraphRank(name=name, harmonic_position=position, harmonic_centrality=1.0,
                                    pagerank_position=position, pagerank=1e-9)  # fmt: skip


def hop(url: str, location: str, status: int = 301) -> RedirectHop:
    return RedirectHop(url, status, location)


class TestClassify:
    @pytest.mark.parametrize(
        ("result", "status"),
        [
            (FetchResult(url=URL, status=200), TargetStatus.OK),
            (FetchResult(url=URL, status=204), TargetStatus.OK),
            (FetchResult(url=URL, status=404), TargetStatus.NOT_FOUND),
            (FetchResult(url=URL, status=410), TargetStatus.GONE),
            (FetchResult(url=URL, status=403), TargetStatus.HTTP_ERROR),
            (FetchResult(url=URL, status=503), TargetStatus.HTTP_ERROR),
            (FetchResult(url=URL, status=200, error=FetchErrorKind.TOO_LARGE), TargetStatus.OK),
            (FetchResult(url=URL, error=FetchErrorKind.DNS), TargetStatus.FAILED),
            (FetchResult(url=URL, error=FetchErrorKind.TIMEOUT), TargetStatus.FAILED),
            (FetchResult(url=URL, status=200, error=FetchErrorKind.PROTOCOL), TargetStatus.FAILED),
            (FetchResult(url=URL, error=FetchErrorKind.BLOCKED_BY_ROBOTS), TargetStatus.BLOCKED),
            (FetchResult(url=URL, error=FetchErrorKind.TOO_MANY_REDIRECTS,
                         redirects=(hop(URL, "https://shop.test/a"),)), TargetStatus.REDIRECT_LOOP),
            (FetchResult(url=URL, final_url="https://shop.test/", status=200,
                         redirects=(hop(URL, "https://shop.test/"),)), TargetStatus.REDIRECTS_HOME),
            (FetchResult(url=URL, final_url="https://www.shop.test", status=200,
                         redirects=(hop(URL, "https://www.shop.test"),)), TargetStatus.REDIRECTS_HOME),
            (FetchResult(url=URL, final_url="https://shop.test/?from=old", status=200,
                         redirects=(hop(URL, "https://shop.test/?from=old"),)), TargetStatus.REDIRECTED),
            (FetchResult(url=URL, final_url="https://shop.test/new", status=200,
                         redirects=(hop(URL, "https://shop.test/new"),)), TargetStatus.REDIRECTED),
            (FetchResult(url=URL, final_url="https://shop.test/new", status=404,
                         redirects=(hop(URL, "https://shop.test/new"),)), TargetStatus.NOT_FOUND),
            (FetchResult(url=URL, final_url="https://other.test/", status=200,
                         redirects=(hop(URL, "https://other.test/"),)), TargetStatus.REDIRECTS_OFF_SITE),
            # Off the site even when the other site's robots.txt keeps the fetcher out.
            (FetchResult(url=URL, final_url="https://other.test/x", error=FetchErrorKind.BLOCKED_BY_ROBOTS,
                         redirects=(hop(URL, "https://other.test/x"),)), TargetStatus.REDIRECTS_OFF_SITE),
            (FetchResult(url="https://shop.test/", final_url="https://www.shop.test/", status=200,
                         redirects=(hop("https://shop.test/", "https://www.shop.test/"),)), TargetStatus.REDIRECTED),
        ],
    )  # fmt: skip
    def test_rules(self, result, status):
        """Each documented rule, in its order of precedence."""
        assert classify(result.url, result) is status

    @pytest.mark.parametrize(
        ("status", "broken"),
        [(TargetStatus.OK, False), (TargetStatus.REDIRECTED, False)]
        + [(s, True) for s in TargetStatus if s not in {TargetStatus.OK, TargetStatus.REDIRECTED}],
    )
    def test_broken(self, status, broken):
        """Every status but OK and REDIRECTED is broken (lost or not verifiable)."""
        assert status.broken is broken

    def test_check_records(self):
        """A check counts its links per referring domain; its records are JSON- and CSV-ready."""
        check = TargetCheck(
            url=URL,
            status=TargetStatus.REDIRECTS_HOME,
            http_status=200,
            final_url="https://shop.test/",
            redirects=(hop(URL, "https://shop.test/"),),
            referring_domains={"b.test": 1, "a.test": 4},
        )
        assert (check.links, check.referring_domain_count, check.broken) == (5, 2, True)
        assert check.to_dict()["referring_domains"] == {"a.test": 4, "b.test": 1}
        assert check.to_dict()["redirects"] == [[URL, 301, "https://shop.test/"]]
        assert check.to_record()["referring_domains"] == "a.test b.test"
        assert check.to_record()["status"] == "redirects-home"


# -- against a server ----------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        with self.server.lock:
            self.server.hits.append((host, self.path))
        route = self.server.routes.get((host, self.path)) or self.server.routes.get(
            ("*", self.path)
        )
        try:
            if route is None:
                send(self, 404)
            else:
                route(self)
        except OSError:
            pass

    def log_message(self, fmt: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.server_address[1]}{path}"

    def count(self, path: str) -> int:
        return sum(1 for _, p in self.hits if p == path)


def send(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    headers: dict[str, str] | None = None,
    body: bytes = b"x",
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def status(code: int) -> Route:
    return lambda h: send(h, code)


def redirect(location: str) -> Route:
    return lambda h: send(h, 301, {"Location": location}, b"")


@pytest.fixture
def server(monkeypatch) -> Iterator[_Server]:
    """A server on 127.0.0.1, and `.test` names resolving to it (never leaving the machine)."""
    pytest.importorskip("requests")
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".test"):
            host = "127.0.0.1"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    live = _Server()
    thread = threading.Thread(
        target=live.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield live
    live.shutdown()
    live.server_close()


def fetcher(**settings: object) -> backlinkkit.Fetcher:
    options: dict[str, object] = {
        "allow_private_addresses": True,
        "per_host_delay": 0.0,
        "retries": 0,
        "timeout": (2.0, 2.0),
        "deadline": 5.0,
    }
    options.update(settings)
    return backlinkkit.Fetcher(**options)


def backlinks(
    server: _Server, targets: dict[str, list[str]], host: str = "127.0.0.1"
) -> list[Backlink]:
    """One backlink per (path, referring page) pair, pointing at `host` on the server."""
    return [
        Backlink(f"https://{source}/page", server.url(path, host))
        for path, sources in targets.items()
        for source in sources
    ]


class TestCheckTargets:
    def test_every_verdict(self, server):
        """404, 410, redirect home, redirect away, loop, robots-blocked, errors, and the fine ones."""
        server.routes["*", "/robots.txt"] = lambda h: send(h, 200, {"Content-Type": "text/plain"},
                                                           b"User-agent: *\nDisallow: /private\n")  # fmt: skip
        server.routes["*", "/ok"] = status(200)
        server.routes["*", "/renamed"] = redirect("/new-name")
        server.routes["*", "/new-name"] = status(200)
        server.routes["*", "/gone404"] = status(404)
        server.routes["*", "/gone410"] = status(410)
        server.routes["*", "/old"] = redirect("/")
        server.routes["*", "/"] = status(200)
        server.routes["*", "/moved"] = redirect(server.url("/elsewhere", host="localhost"))
        server.routes["*", "/elsewhere"] = status(200)
        server.routes["*", "/loop"] = redirect("/loop2")
        server.routes["*", "/loop2"] = redirect("/loop")
        server.routes["*", "/private"] = status(200)
        server.routes["*", "/broken"] = status(500)
        paths = [
            "/ok",
            "/renamed",
            "/gone404",
            "/gone410",
            "/old",
            "/moved",
            "/loop",
            "/private",
            "/broken",
        ]
        links = backlinks(server, {path: ["blog.test"] for path in paths})
        links.append(Backlink("https://blog.test/page", "http://127.0.0.1:1/refused"))
        checks = {c.url: c for c in backlinkkit.check_targets(links, fetcher=fetcher())}
        assert {url.rsplit("/", 1)[-1]: c.status for url, c in checks.items()} == {
            "ok": TargetStatus.OK,
            "renamed": TargetStatus.REDIRECTED,
            "gone404": TargetStatus.NOT_FOUND,
            "gone410": TargetStatus.GONE,
            "old": TargetStatus.REDIRECTS_HOME,
            "moved": TargetStatus.REDIRECTS_OFF_SITE,
            "loop": TargetStatus.REDIRECT_LOOP,
            "private": TargetStatus.BLOCKED,
            "broken": TargetStatus.HTTP_ERROR,
            "refused": TargetStatus.FAILED,
        }
        assert server.count("/private") == 0  # robots.txt obeyed: never requested
        gone = checks[server.url("/gone404")]
        assert (gone.http_status, gone.error, gone.final_url) == (404, None, server.url("/gone404"))
        moved = checks[server.url("/moved")]
        assert moved.final_url == server.url("/elsewhere", host="localhost")
        assert [h.status for h in moved.redirects] == [301]
        assert checks[server.url("/loop")].error is FetchErrorKind.TOO_MANY_REDIRECTS
        assert checks["http://127.0.0.1:1/refused"].error is FetchErrorKind.CONNECT

    def test_home_of_the_same_site_on_another_host(self, server):
        """A redirect from www.shop.test to the home page of shop.test is a redirect home."""
        server.routes["www.shop.test", "/old-page"] = redirect(server.url("/", host="shop.test"))
        server.routes["shop.test", "/"] = status(200)
        links = backlinks(server, {"/old-page": ["blog.test"]}, host="www.shop.test")
        (check,) = backlinkkit.check_targets(links, fetcher=fetcher())
        assert check.status is TargetStatus.REDIRECTS_HOME

    def test_each_target_once_with_its_referring_domains(self, server):
        """A URL linked many times (fragments aside) is fetched once; its links are counted."""
        server.routes["*", "/gone404"] = status(404)
        links = backlinks(server, {"/gone404": ["a.test", "www.a.test", "b.test"]})
        links.append(Backlink("https://c.test/x", server.url("/gone404") + "#section"))
        links.append(Backlink("https://c.test/x", None))  # no target: nothing to check
        (check,) = backlinkkit.check_targets(links, fetcher=fetcher())
        assert server.count("/gone404") == 1
        assert dict(check.referring_domains) == {"a.test": 2, "b.test": 1, "c.test": 1}
        assert (check.links, check.referring_domain_count) == (4, 3)

    def test_most_valuable_first(self, server):
        """Broken first; then the most referring domains, the most links, the URL."""
        for path in ("/one", "/many", "/sitewide"):
            server.routes["*", path] = status(404)
        server.routes["*", "/fine"] = status(200)
        targets = {
            server.url("/fine"): {f"s{i}.test": 1 for i in range(9)},
            server.url("/one"): {"a.test": 1},
            server.url("/many"): {f"s{i}.test": 1 for i in range(5)},
            server.url("/sitewide"): {"big.test": 400},
        }
        checks = backlinkkit.check_targets(targets, fetcher=fetcher(), workers=2)
        assert [c.url.rsplit("/", 1)[-1] for c in checks] == ["many", "sitewide", "one", "fine"]

    def test_profile_input_most_valuable_first(self, server):
        """A `LinkProfile` gives its own counts per target page; among pages with as many
        referring domains, the best authority band of those domains comes before links."""
        for path in ("/a", "/b", "/c", "/ok"):
            server.routes["*", path] = status(200 if path == "/ok" else 404)
        profile = backlinkkit.LinkProfile("127.0.0.1")
        profile.update(
            backlinks(server, {"/a": ["low.test"] * 3, "/b": ["top.test"],
                               "/c": ["x.test", "y.test"], "/ok": ["z.test"] * 5})
        )  # fmt: skip
        profile.authority = {"top.test": rank("top.test", 50),
                             "low.test": rank("low.test", 50_000_000)}  # fmt: skip
        checks = backlinkkit.check_targets(profile, fetcher=fetcher(), workers=1)
        assert [
            (c.url.rsplit("/", 1)[-1], dict(c.referring_domains), c.authority_bucket.value)
            for c in checks
        ] == [
            ("c", {"x.test": 1, "y.test": 1}, "unknown"),
            ("b", {"top.test": 1}, "top-10k"),
            ("a", {"low.test": 3}, "beyond-10m"),
            ("ok", {"z.test": 5}, "unknown"),
        ]
        assert checks[1].to_record()["authority_bucket"] == "top-10k"
        assert sorted(server.count(p) for p in ("/a", "/b", "/c", "/ok")) == [1, 1, 1, 1]

    def test_mapping_input_and_progress(self, server):
        """Targets may come as {url: {domain: links}}; progress counts every URL."""
        server.routes["*", "/a"] = status(410)
        seen: list[tuple[int, int]] = []
        checks = backlinkkit.check_targets(
            {server.url("/a"): {"x.test": 2}, server.url("/b"): {"y.test": 1}},
            fetcher=fetcher(),
            workers=1,
            progress=lambda done, total: seen.append((done, total)),
        )
        assert [c.status for c in checks] == [TargetStatus.GONE, TargetStatus.NOT_FOUND]
        assert seen == [(1, 2), (2, 2)]

    def test_default_fetcher_is_safe(self, server):
        """Without a fetcher a default one is used: it refuses the loopback server."""
        (check,) = backlinkkit.check_targets({server.url("/x"): {"a.test": 1}}, workers=1)
        assert (check.status, check.error) == (TargetStatus.FAILED, FetchErrorKind.PRIVATE_ADDRESS)
        assert server.hits == []

    def test_politeness_holds(self, server):
        """One host's targets are fetched one at a time, with the fetcher's delay between them."""
        import time

        arrivals: list[float] = []

        def record(handler):
            arrivals.append(time.monotonic())
            send(handler, 404)

        for i in range(3):
            server.routes["*", f"/p{i}"] = record
        targets = {server.url(f"/p{i}"): {"a.test": 1} for i in range(3)}
        backlinkkit.check_targets(targets, fetcher=fetcher(per_host_delay=0.3), workers=3)
        gaps = [b - a for a, b in zip(sorted(arrivals), sorted(arrivals)[1:], strict=False)]
        assert len(arrivals) == 3
        assert min(gaps) >= 0.29

    def test_bad_workers(self, server):
        """Zero workers is refused before anything is fetched."""
        with pytest.raises(backlinkkit.SettingsError, match="workers"):
            backlinkkit.check_targets({server.url("/x"): {"a.test": 1}}, workers=0)
        assert server.hits == []


class TestOptionalRequests:
    def test_lazy_and_explained(self):
        """`check_targets` is named lazily: values import without requests, the function says which extra it needs."""
        code = (
            "import sys\n"
            "sys.modules['requests'] = None  # what an absent package looks like to import\n"
            "import backlinkkit\n"
            "backlinkkit.TargetStatus.OK, backlinkkit.TargetCheck(url='https://a.test/', status=backlinkkit.TargetStatus.OK)\n"
            "try:\n"
            "    backlinkkit.check_targets\n"
            "except backlinkkit.MissingDependencyError as error:\n"
            "    print(error)\n"
            "else:\n"
            "    raise SystemExit('no error')\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert "pip install 'backlinkkit[fetch]'" in result.stdout
        assert "check_targets" not in backlinkkit.__all__
