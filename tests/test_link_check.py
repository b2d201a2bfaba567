"""The fetcher's pure parts: results, verdict rules, targets, robots rules, politeness, addresses.

None of these needs requests or a network, so they run in both test runs.
"""

from __future__ import annotations

import itertools
import threading
import time

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    FetchErrorKind,
    FetchResult,
    InvalidURLError,
    Link,
    LinkCheck,
    LinkStatus,
    PageLinks,
    RedirectHop,
    Robots,
)
from backlinkkit._addresses import AddressRefusal, check_public
from backlinkkit._fetch_result import Headers
from backlinkkit._link_check import Target, check_page, check_response
from backlinkkit._politeness import HostGate
from backlinkkit._robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules

SOURCE = "https://blog.example/post"


def link(url: str | None, *, host: str | None = None, followed: bool = True) -> Link:
    return Link(href=url or "", url=url, host=host, followed=followed, text="t")


class TestTarget:
    @pytest.mark.parametrize(
        ("target", "url", "matches"),
        [
            ("https://t.example/page", "https://t.example/page", True),
            ("https://t.example/page", "https://t.example/page#x", True),
            ("https://T.EXAMPLE:443/a/../page#y", "https://t.example/page", True),
            ("https://t.example/page", "https://t.example/page/", False),
            ("https://t.example/page", "http://t.example/page", False),
            ("https://t.example/page", "https://www.t.example/page", False),
            ("https://t.example/page", "https://t.example/page?q=1", False),
            ("t.example", "https://t.example/", True),
            ("t.example", "http://www.t.example/any", True),
            ("t.example", "https://deep.sub.t.example/", True),
            ("t.example", "https://nott.example/", False),
            ("T.Example.", "https://shop.t.example/", True),
            ("www.t.example", "https://www.t.example/x", True),
            ("www.t.example", "https://t.example/x", False),
            ("t.co.uk", "https://www.t.co.uk/", True),
            ("foo.blogspot.com", "https://foo.blogspot.com/p", True),
            ("foo.blogspot.com", "https://bar.blogspot.com/p", False),
            ("bücher.example", "https://www.xn--bcher-kva.example/", True),
            ("t.example", "mailto:someone@t.example", False),
            ("t.example", None, False),
        ],
    )
    def test_matches(self, target, url, matches):
        """URL targets match that page (normalized, no fragment); hosts and sites match hosts."""
        assert Target.parse(target).matches(link(url)) is matches

    def test_uses_the_links_host(self):
        """The link's own host is used when the extractor gave one."""
        assert Target.parse("t.example").matches(link("https://t.example/", host="t.example"))

    @pytest.mark.parametrize(
        "target", ["", " ", "ftp://t.example/", "http://", "javascript://x", "a b.example", "a/b"]
    )
    def test_invalid(self, target):
        """Targets that are neither http(s) URLs nor host names raise InvalidURLError."""
        with pytest.raises(InvalidURLError):
            Target.parse(target)


def result(**fields) -> FetchResult:
    values = {"url": SOURCE, "status": 200, "headers": {"Content-Type": "text/html"}} | fields
    return FetchResult(**values)


HOP = RedirectHop(SOURCE, 301, "https://elsewhere.example/")


class TestCheckResponse:
    @pytest.mark.parametrize(
        ("fields", "status"),
        [
            ({"error": FetchErrorKind.BLOCKED_BY_ROBOTS, "status": None}, LinkStatus.BLOCKED),
            ({"error": FetchErrorKind.DNS, "status": None}, LinkStatus.ERROR),
            ({"error": FetchErrorKind.TOO_LARGE}, LinkStatus.ERROR),
            (
                {"redirects": (HOP,), "final_url": "https://elsewhere.example/"},
                LinkStatus.REDIRECTED_AWAY,
            ),
            (
                {"redirects": (HOP,), "final_url": "https://elsewhere.example/", "status": 404},
                LinkStatus.REDIRECTED_AWAY,
            ),
            ({"redirects": (HOP,), "final_url": "https://www.blog.example/post"}, None),
            ({"status": 404}, LinkStatus.PAGE_GONE),
            ({"status": 410}, LinkStatus.PAGE_GONE),
            ({"status": 500}, LinkStatus.ERROR),
            ({"status": 503}, LinkStatus.ERROR),
            ({"status": 403}, LinkStatus.ERROR),
            ({"status": 304}, LinkStatus.ERROR),
            ({"headers": {"Content-Type": "application/pdf"}}, LinkStatus.ERROR),
            ({"headers": {"Content-Type": "image/png"}}, LinkStatus.ERROR),
            ({"headers": {"Content-Type": "application/xhtml+xml"}}, None),
            ({"headers": {"content-type": "TEXT/HTML; charset=utf-8"}}, None),
            ({"headers": {}}, None),
            ({"status": 204}, None),
        ],
    )
    def test_verdict(self, fields, status):
        """Fetch failures, redirects away, statuses and media types decide before the links."""
        verdict = check_response(SOURCE, "t.example", result(**fields))
        assert (verdict.status if verdict else None) is status

    def test_error_carries_the_fetch(self):
        """An ERROR verdict carries the fetch's kind and message."""
        verdict = check_response(
            SOURCE, "t.example", result(error=FetchErrorKind.TIMEOUT, message="slow", status=None)
        )
        assert verdict is not None
        assert (verdict.error, verdict.message, verdict.final_url) == (
            FetchErrorKind.TIMEOUT,
            "slow",
            None,
        )

    def test_status_message(self):
        """An error status is named in the message and kept in http_status."""
        verdict = check_response(SOURCE, "t.example", result(status=502))
        assert verdict is not None
        assert (verdict.http_status, verdict.error, "502" in verdict.message) == (502, None, True)


class TestCheckPage:
    @pytest.mark.parametrize(
        ("links", "robots", "status", "count"),
        [
            ((link("https://t.example/"),), Robots(), LinkStatus.LIVE, 1),
            (
                (
                    link("https://t.example/"),
                    link("https://x.example/"),
                    link("https://t.example/b"),
                ),
                Robots(),
                LinkStatus.LIVE,
                2,
            ),
            ((link("https://x.example/"),), Robots(), LinkStatus.LINK_REMOVED, 0),
            ((), Robots(), LinkStatus.LINK_REMOVED, 0),
            ((link("https://t.example/"),), Robots(noindex=True), LinkStatus.NOINDEX, 1),
            ((link("https://x.example/"),), Robots(noindex=True), LinkStatus.LINK_REMOVED, 0),
        ],
    )
    def test_verdict(self, links, robots, status, count):
        """Links to the target decide LIVE or LINK_REMOVED; a noindex page with them is NOINDEX."""
        page = PageLinks(url=SOURCE, base_url=SOURCE, links=links, robots=robots)
        check = check_page(SOURCE, Target.parse("t.example"), "t.example", result(), page)
        assert (check.status, len(check.links), check.robots) == (status, count, robots)
        assert (check.final_url, check.http_status) == (SOURCE, 200)


class TestLinkCheck:
    @pytest.mark.parametrize(
        ("followed", "expected"),
        [
            ((), None),
            ((True,), True),
            ((False,), False),
            ((False, True), True),
            ((False, False), False),
        ],
    )
    def test_followed(self, followed, expected):
        """followed: any link to the target passes endorsement; None with no link."""
        links = tuple(link("https://t.example/", followed=f) for f in followed)
        check = LinkCheck(SOURCE, "t.example", LinkStatus.LIVE, links=links)
        assert check.followed is expected

    @pytest.mark.parametrize(("status", "live"), [(s, s is LinkStatus.LIVE) for s in LinkStatus])
    def test_live(self, status, live):
        """live is True for LIVE only."""
        assert LinkCheck(SOURCE, "t.example", status).live is live

    def test_frozen(self):
        """Checks are immutable values; changed copies come from attrs.evolve."""
        check = LinkCheck(SOURCE, "t.example", LinkStatus.LIVE)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            check.status = LinkStatus.ERROR  # type: ignore[misc]
        assert attrs.evolve(check, status=LinkStatus.ERROR).status is LinkStatus.ERROR


class TestFetchResult:
    @pytest.mark.parametrize(
        ("fields", "ok"),
        [
            ({"status": 200}, True),
            ({"status": 299}, True),
            ({"status": 301}, False),
            ({"status": 404}, False),
            ({"status": None, "error": FetchErrorKind.DNS}, False),
            ({"status": 200, "error": FetchErrorKind.TOO_LARGE}, False),
        ],
    )
    def test_ok(self, fields, ok):
        """ok: no failure and a 2xx status."""
        assert FetchResult(url=SOURCE, **fields).ok is ok

    @pytest.mark.parametrize(
        ("header", "content_type"),
        [
            ("text/html; charset=utf-8", "text/html"),
            ("Application/XHTML+XML", "application/xhtml+xml"),
            (";charset=utf-8", None),
            (None, None),
        ],
    )
    def test_content_type(self, header, content_type):
        """content_type: the media type alone, lower-cased."""
        headers = {} if header is None else {"Content-Type": header}
        assert FetchResult(url=SOURCE, headers=headers).content_type == content_type

    def test_defaults(self):
        """final_url defaults to url; values compare and hash by value."""
        one, two = FetchResult(url=SOURCE), FetchResult(url=SOURCE)
        assert (one.final_url, one == two, hash(one) == hash(two)) == (SOURCE, True, True)


class TestHeaders:
    @given(
        st.dictionaries(
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True), st.text(max_size=20)
        )
    )
    def test_lookups_ignore_case(self, pairs):
        """Any header can be found by its name in upper or lower case."""
        headers = Headers(pairs.items())
        for name in pairs:
            assert headers[name.upper()] == headers[name.lower()]
            assert name.swapcase() in headers

    def test_repeats_are_joined(self):
        """A repeated header folds into one value, joined by a comma, as HTTP allows."""
        headers = Headers([("X-Robots-Tag", "noindex"), ("x-robots-tag", "nofollow")])
        assert (headers["X-ROBOTS-TAG"], len(headers), list(headers)) == (
            "noindex, nofollow",
            1,
            ["X-Robots-Tag"],
        )

    def test_equality_and_hash(self):
        """Headers compare with any mapping, ignoring the names' case, and hash alike."""
        assert Headers({"A": "1"}) == {"a": "1"}
        assert Headers({"A": "1"}) != {"a": "2"}
        assert Headers({"A": "1"}) != ["A"]
        assert hash(Headers({"A": "1"})) == hash(Headers({"a": "1"}))
        assert 1 not in Headers({"A": "1"})
        assert repr(Headers({"A": "1"})) == "Headers([('A', '1')])"


UA = "backlinkkit/1.0"


class TestRobotsRules:
    @pytest.mark.parametrize(
        ("status", "body", "path", "allowed"),
        [
            (200, b"User-agent: *\nDisallow: /private\n", "/private/x", False),
            (200, b"User-agent: *\nDisallow: /private\n", "/public", True),
            (200, b"User-agent: backlinkkit\nDisallow: /\n", "/public", False),
            (200, b"User-agent: otherbot\nDisallow: /\n", "/public", True),
            (200, b"", "/anything", True),
            (200, b"\xef\xbb\xbfUser-agent: *\nDisallow: /x\n", "/x", False),
            (404, b"User-agent: *\nDisallow: /\n", "/x", True),
            (403, b"", "/x", True),
            (429, b"", "/x", False),
            (500, b"", "/x", False),
            (503, b"", "/x", False),
        ],
    )
    def test_allows(self, status, body, path, allowed):
        """robots.txt groups by user agent; 4xx allows all; 5xx and 429 disallow all."""
        rules = RobotsRules.from_response(status, body)
        assert rules.allows(f"https://t.example{path}", UA) is allowed

    def test_only_the_first_500_kib_count(self):
        """Rules past Google's 500 KiB limit are ignored."""
        body = b"User-agent: *\n" + b"#" * ROBOTS_MAX_BYTES + b"\nDisallow: /\n"
        assert RobotsRules.from_response(200, body).allows("https://t.example/x", UA)


class TestRobotsCache:
    def test_loaded_once_across_threads(self):
        """Twenty threads asking at once for two origins load each origin once."""
        cache, loads = RobotsCache(), []

        def load(origin):
            loads.append(origin)
            time.sleep(0.01)
            return RobotsRules(allow_all=True)

        origins = ["https://a.example", "https://b.example"] * 10
        threads = [
            threading.Thread(target=cache.get, args=(o, lambda o=o: load(o))) for o in origins
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert (sorted(loads), len(cache)) == (["https://a.example", "https://b.example"], 2)


class TestHostGate:
    def test_one_at_a_time_and_apart(self):
        """Threads through one host's gate never overlap, and start delay after the last end."""
        gate, spans, lock = HostGate(0.02), [], threading.Lock()

        def work():
            with gate.slot("h.example"):
                start = time.monotonic()
                time.sleep(0.005)
                with lock:
                    spans.append((start, time.monotonic()))

        threads = [threading.Thread(target=work) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        spans.sort()
        assert all(b[0] - a[1] >= 0.02 for a, b in itertools.pairwise(spans))

    def test_hosts_are_independent(self):
        """Another host's gate does not wait for this one's."""
        gate = HostGate(60.0)
        with gate.slot("a.example"):
            pass
        with gate.slot("b.example") as waited:
            assert waited < 60.0


class TestCheckPublic:
    @pytest.mark.parametrize(
        "host",
        [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "[::1]",
            "[fe80::1]",
            "[fc00::1]",
            "[::ffff:127.0.0.1]",
            "localhost",
        ],
    )
    def test_refused(self, host):
        """Private, loopback, link-local, shared, unspecified and multicast addresses are refused."""
        with pytest.raises(AddressRefusal) as refusal:
            check_public(host, 80)
        assert refusal.value.dns is False

    @pytest.mark.parametrize("host", ["93.184.215.14", "8.8.8.8", "[2606:4700::1111]"])
    def test_public(self, host):
        """Public addresses pass (IP literals: no name look-up involved)."""
        check_public(host, 443)


class TestTargetProperties:
    @given(st.text(max_size=40))
    def test_parse_never_crashes(self, text):
        """Any string is a target or an InvalidURLError, never another exception."""
        try:
            target = Target.parse(text)
        except InvalidURLError:
            return
        assert target.matches(link(None)) is False
