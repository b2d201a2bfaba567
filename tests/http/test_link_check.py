"""The fetcher's pure parts: results, verdict rules, targets, robots rules, politeness, addresses.

None of these needs requests or a network, so they run in both test runs.
"""

from __future__ import annotations

import ipaddress
import itertools
import pickle
import pickletools
import socket
import threading
import time

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    FetchErrorKind,
    FetchResult,
    Headers,
    InvalidURLError,
    Link,
    LinkCheck,
    LinkStatus,
    PageLinks,
    RedirectHop,
    Robots,
)
from backlinkkit._http._addresses import AddressRefusal, address_refusal, check_public
from backlinkkit._http._fetch_result import media_type
from backlinkkit._http._link_check import Target, check_page, check_response
from backlinkkit._http._politeness import HostGate
from backlinkkit._http._robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from backlinkkit._web._headers import content_length

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
            return RobotsRules(allow_all=True), True

        origins = ["https://a.example", "https://b.example"] * 10
        threads = [
            threading.Thread(target=cache.get, args=(o, lambda o=o: load(o)), kwargs={"timeout": 5})
            for o in origins
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert (sorted(loads), len(cache)) == (["https://a.example", "https://b.example"], 2)

    def test_rules_not_kept_are_loaded_again(self):
        """Rules the loader says not to keep (cut short by a page's deadline) are asked again."""
        cache, loads = RobotsCache(), []

        def load():
            loads.append(1)
            return RobotsRules(error=FetchErrorKind.TIMEOUT), len(loads) > 1

        first = cache.get("https://a.example", load, timeout=1)
        second = cache.get("https://a.example", load, timeout=1)
        third = cache.get("https://a.example", load, timeout=1)
        assert (first.error, second.error, third.error, len(loads)) == (
            FetchErrorKind.TIMEOUT,
            FetchErrorKind.TIMEOUT,
            FetchErrorKind.TIMEOUT,
            2,
        )

    def test_waiting_for_another_load_is_bounded(self):
        """A thread waiting for another thread's load of the same origin gives up at its
        timeout, with None, and the load goes on for whoever started it."""
        cache, started, release = RobotsCache(), threading.Event(), threading.Event()

        def slow_load():
            started.set()
            release.wait(10)
            return RobotsRules(allow_all=True), True

        loader = threading.Thread(
            target=cache.get, args=("https://a.example", slow_load), kwargs={"timeout": 10}
        )
        loader.start()
        started.wait(10)
        waited = cache.get("https://a.example", slow_load, timeout=0.05)
        release.set()
        loader.join()
        assert (waited, len(cache)) == (None, 1)


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


# Every IPv4 range that is not globally reachable (IANA special-purpose registry, multicast,
# reserved), written out here rather than read from the module under test.
PRIVATE_IPV4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/29",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
]
PUBLIC_IPV4 = ["1.0.0.0/8", "8.8.8.0/24", "93.184.0.0/16", "151.101.0.0/16", "185.0.0.0/8"]


def ipv4_in(networks):
    """Any address of any of `networks`."""
    nets = [ipaddress.IPv4Network(n) for n in networks]
    return st.sampled_from(nets).flatmap(
        lambda net: st.integers(int(net.network_address), int(net.broadcast_address)).map(
            ipaddress.IPv4Address
        )
    )


def embed(form, ipv4, rest):
    """`ipv4` inside an IPv6 address of the given form; `rest` fills the free bits."""
    v4 = int(ipv4)
    if form == "nat64":  # 64:ff9b::/96 (RFC 6052)
        value = (0x64FF9B << 96) | v4
    elif form == "mapped":  # ::ffff:0:0/96
        value = (0xFFFF << 32) | v4
    elif form == "compatible":  # ::/96
        value = v4
    elif form == "6to4":  # 2002:V4::/48, any subnet and interface
        value = (0x2002 << 112) | (v4 << 80) | (rest & ((1 << 80) - 1))
    else:  # Teredo 2001::/32: a public server, flags and port in the middle, the client XOR-ed
        server = 0x08080808
        value = (
            (0x20010000 << 96) | (server << 64) | ((rest & 0xFFFFFFFF) << 32) | (~v4 & 0xFFFFFFFF)
        )
    return ipaddress.IPv6Address(value)


FORMS = ["nat64", "mapped", "compatible", "6to4", "teredo"]


class TestAddressRefusal:
    @given(ipv4_in(PRIVATE_IPV4))
    def test_private_ipv4_refused(self, address):
        """Every address of every non-global IPv4 range is refused."""
        assert address_refusal(address) is not None

    @given(ipv4_in(PRIVATE_IPV4), st.sampled_from(FORMS), st.integers(0, (1 << 80) - 1))
    def test_private_ipv4_refused_in_every_ipv6_form(self, address, form, rest):
        """A private IPv4 address embedded in NAT64, mapped, compatible, 6to4 or Teredo form is
        refused too: packets to it end up at the IPv4 address."""
        embedded = embed(form, address, rest)
        assert address_refusal(embedded) is not None, str(embedded)

    @given(
        ipv4_in(PUBLIC_IPV4),
        st.sampled_from(["nat64", "mapped", "6to4", "teredo"]),
        st.integers(0, (1 << 80) - 1),
    )
    def test_public_ipv4_passes_in_translating_forms(self, address, form, rest):
        """A public IPv4 address behind NAT64 (what DNS64 gives IPv6-only networks), mapped,
        6to4 or Teredo is a public destination."""
        assert address_refusal(address) is None
        assert address_refusal(embed(form, address, rest)) is None

    @pytest.mark.parametrize(
        "address",
        [
            "64:ff9b::a9fe:a9fe",  # NAT64 of the cloud metadata address
            "64:ff9b::7f00:1",
            "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 (RFC 8215): not global at all
            "64:ff9b:1::808:808",
            "2002:a9fe:a9fe::1",
            "2002:7f00:1::",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
            "::",
            "::1",
            "fe80::1",
            "fec0::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "100::1",
            "2001:db8::1",
            "3fff::1",
            "2001:2::1",
            "5f00::1",
            "4000::1",
            "::ffff:0:7f00:1",
        ],
    )
    def test_refused_ipv6(self, address):
        """Embedded private IPv4, and the non-global IPv6 ranges, are refused."""
        assert address_refusal(ipaddress.ip_address(address)) is not None

    @pytest.mark.parametrize(
        "address",
        [
            "2606:4700::1111",
            "2001:4860:4860::8888",
            "2a00:1450:4001::200e",
            "64:ff9b::808:808",
            "192.0.0.9",
            "2001:3::1",
        ],
    )
    def test_public(self, address):
        """Public unicast addresses, and the registry's globally reachable exceptions, pass."""
        assert address_refusal(ipaddress.ip_address(address)) is None

    def test_message_names_the_embedded_address(self):
        """The refusal says which IPv4 address an IPv6 one stands for, and why it is refused."""
        why = address_refusal(ipaddress.ip_address("2002:a9fe:a9fe::1"))
        assert why == "6to4 form of 169.254.169.254: link-local (cloud metadata services live here)"


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
            "[64:ff9b::a9fe:a9fe]",
            "localhost",
        ],
    )
    def test_refused(self, host):
        """Private, loopback, link-local, shared, unspecified and multicast addresses are refused."""
        with pytest.raises(AddressRefusal) as refusal:
            check_public(host, 80, timeout=5)
        assert refusal.value.kind is FetchErrorKind.PRIVATE_ADDRESS

    @pytest.mark.parametrize("host", ["93.184.215.14", "8.8.8.8", "[2606:4700::1111]"])
    def test_public(self, host):
        """Public addresses pass (IP literals: no name look-up involved)."""
        check_public(host, 443, timeout=5)

    @pytest.mark.parametrize(
        ("answers", "refused"),
        [
            (["93.184.215.14"], False),
            (["93.184.215.14", "151.101.1.1"], False),
            (["93.184.215.14", "10.0.0.1"], True),
            (["2606:4700::1111", "::ffff:169.254.169.254"], True),
            (["2606:4700::1111", "64:ff9b::a00:1"], True),
        ],
    )
    def test_every_answer_counts(self, monkeypatch, answers, refused):
        """A name is refused when any of its addresses is not public (a fake resolver answers
        for the invented name)."""
        monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo({"site.test": answers}))
        if refused:
            with pytest.raises(AddressRefusal):
                check_public("site.test", 443, timeout=5)
        else:
            check_public("site.test", 443, timeout=5)

    def test_unknown_name(self, monkeypatch):
        """A name that does not resolve is DNS."""
        monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo({}))
        with pytest.raises(AddressRefusal) as refusal:
            check_public("nowhere.test", 443, timeout=5)
        assert refusal.value.kind is FetchErrorKind.DNS

    def test_slow_name_server(self, monkeypatch):
        """A look-up that takes longer than the time left is TIMEOUT, not a wait."""
        release = threading.Event()

        def hanging(*args, **kwargs):
            release.wait(10)
            raise socket.gaierror(-2, "Name or service not known")

        monkeypatch.setattr(socket, "getaddrinfo", hanging)
        try:
            with pytest.raises(AddressRefusal) as refusal:
                check_public("slow.test", 443, timeout=0.05)
        finally:
            release.set()
        assert refusal.value.kind is FetchErrorKind.TIMEOUT


def fake_getaddrinfo(names):
    """A resolver for invented names only: nothing leaves the machine. IP literals resolve to
    themselves."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            infos = []
            for address in names[host]:
                if ":" in address:
                    infos.append(
                        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
                    )
                else:
                    infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
            return infos
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise socket.gaierror(-2, "Name or service not known") from None
        return real(host, port, *args, **kwargs)

    return getaddrinfo


class TestContentLength:
    @pytest.mark.parametrize(
        ("value", "length"),
        [
            ("0", 0),
            ("1024", 1024),
            ("000123", 123),
            ("42, 42", 42),
            ("42,42,42", 42),
            (" 7 ", 7),
            ("42, 43", None),
            ("", None),
            (" ", None),
            ("+5", None),
            ("-1", None),
            ("1_000", None),
            ("1 000", None),
            ("0x10", None),
            ("1e3", None),
            ("\u00b2", None),  # superscript two: str.isdigit() is True, int() refuses it
            ("\u0663", None),  # Arabic-Indic three: int() would take it
            ("\uff15", None),  # fullwidth five
            ("5,", None),
            ("99999999999999999999", 10**18 - 1),
            ("9" * 5000, 10**18 - 1),  # over int()'s 4,300-digit limit
            ("0" * 5000 + "12", 12),
        ],
    )
    def test_values(self, value, length):
        """ASCII digits, or a list of the same ones; anything else is no length at all."""
        assert content_length(value) == length

    @given(st.text(max_size=60))
    def test_never_raises(self, value):
        """Any text gives a length or None, never an exception."""
        length = content_length(value)
        assert length is None or length >= 0


class TestMediaType:
    @pytest.mark.parametrize(
        ("value", "essence"),
        [
            ("text/html", "text/html"),
            ("Text/HTML; Charset=UTF-8", "text/html"),
            ("text/plain, text/html", "text/html"),
            ("text/html, */*", "text/html"),
            ("text/html, nonsense", "text/html"),
            ('text/html; q="a,text/plain"', "text/html"),
            ('text/plain; q="a\\",b", text/html', "text/html"),
            ("nonsense", None),
            ("", None),
            ("/html", None),
            ("text/", None),
            ("te xt/html", None),
            (";charset=utf-8", None),
        ],
    )
    def test_values(self, value, essence):
        """The last valid MIME type's essence, as browsers read Content-Type."""
        assert media_type(value) == essence

    @given(st.text(max_size=80))
    def test_never_raises(self, value):
        """Any header value gives an essence or None."""
        essence = media_type(value)
        assert essence is None or "/" in essence


class TestPickles:
    @pytest.mark.parametrize(
        "value",
        [
            Headers([("Content-Type", "text/html"), ("X-Robots-Tag", "noindex")]),
            RedirectHop("https://a.example/", 301, "https://b.example/"),
            FetchResult(
                url="https://a.example/",
                final_url="https://b.example/",
                status=200,
                headers={"Content-Type": "text/html"},
                body=b"<p>",
                elapsed=0.5,
                redirects=(RedirectHop("https://a.example/", 301, "https://b.example/"),),
            ),
            FetchResult(url="https://a.example/", error=FetchErrorKind.TIMEOUT, message="slow"),
            LinkCheck(
                SOURCE,
                "t.example",
                LinkStatus.NOINDEX,
                links=(link("https://t.example/"),),
                final_url=SOURCE,
                http_status=200,
                redirects=(HOP,),
                robots=Robots(noindex=True),
            ),
            LinkCheck(SOURCE, "t.example", LinkStatus.ERROR, error=FetchErrorKind.DNS, message="x"),
        ],
        ids=["headers", "hop", "result", "failed-result", "check", "failed-check"],
    )
    def test_round_trip_names_no_private_module(self, value):
        """Fetch values pickle as versioned plain data that names only `backlinkkit`."""
        data = pickle.dumps(value)
        assert pickle.loads(data) == value
        modules = {
            arg.split(" ")[0] for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL"
        }
        strings = [arg for op, arg, _ in pickletools.genops(data) if isinstance(arg, str)]
        assert modules <= {"backlinkkit"}
        assert not [s for s in strings if s.startswith(("backlinkkit.", "_"))]
        assert type(value).__reduce_ex__(value, 2)[2]["version"] == 1

    @pytest.mark.parametrize("cls", [Headers, RedirectHop, FetchResult, LinkCheck])
    def test_unknown_version_refused(self, cls):
        """State of an unknown version is refused with a clear TypeError, not misread."""
        blank = cls.__new__(cls)
        with pytest.raises(TypeError, match="version"):
            blank.__setstate__({"version": 99})


class TestRobotsRulesProperties:
    @pytest.mark.parametrize(
        "body",
        [
            b"User-agent: *\nCrawl-delay: \xc2\xb2\nDisallow: /x\n",
            b"User-agent: *\nRequest-rate: \xc2\xb2/5\nDisallow: /x\n",
            b"User-agent: *\nCrawl-delay: " + b"1" * 5000 + b"\nDisallow: /x\n",
            b"User-agent: *\nDisallow: //[\nDisallow: /x\n",
            b"User-agent: *\nDisallow: //%5B\nDisallow: /x\n",
            b"User-agent: *\nAllow: http://[::1\nDisallow: /x\n",
        ],
        ids=[
            "crawl-delay-superscript",
            "request-rate",
            "crawl-delay-5000-digits",
            "ipv6-path",
            "quoted-ipv6-path",
            "ipv6-url",
        ],
    )
    def test_lines_robotparser_chokes_on_are_dropped(self, body):
        """Numbers that int() refuses and paths that urlparse refuses drop their line only: the
        rules around them still hold."""
        rules = RobotsRules.from_response(200, body)
        assert rules.allows("https://t.example/x", UA) is False
        assert rules.allows("https://t.example/y", UA) is True

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "User-agent",
                        "Disallow",
                        "Allow",
                        "Crawl-delay",
                        "Request-rate",
                        "Sitemap",
                        "crawl-DELAY",
                        "x",
                    ]
                ),
                st.text(max_size=30),
            ),
            max_size=12,
        ),
        st.from_regex(r"/[a-z0-9/%._~-]{0,20}", fullmatch=True),
    )
    def test_any_file_is_read(self, lines, path):
        """Any robots.txt gives rules, and any page URL an answer: a stranger's file cannot
        raise."""
        body = "\n".join(f"{name}: {value}" for name, value in lines).encode(
            "utf-8", "surrogatepass"
        )
        rules = RobotsRules.from_response(200, body)
        assert rules.allows(f"https://t.example{path}", UA) in {True, False}

    @given(st.binary(max_size=300))
    def test_any_bytes_are_read(self, body):
        """Arbitrary bytes as robots.txt never raise."""
        rules = RobotsRules.from_response(200, b"User-agent: *\n" + body)
        assert rules.allows("https://t.example/", UA) in {True, False}


class TestTargetProperties:
    @given(st.text(max_size=40))
    def test_parse_never_crashes(self, text):
        """Any string is a target or an InvalidURLError, never another exception."""
        try:
            target = Target.parse(text)
        except InvalidURLError:
            return
        assert target.matches(link(None)) is False
