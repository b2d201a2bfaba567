"""Hosts, registrable domains and the bundled public suffix list."""

from __future__ import annotations

import ada_url
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import InvalidURLError, SuffixList, SuffixListError, registrable_domain
from backlinkkit._web._headers import Headers, header_value
from backlinkkit._web._urls import (
    _SERIALIZED_HTTP_URL,
    _ada_join_public,
    _ada_parse_public,
    host_of_serialized,
    hostname,
    is_ip_address,
    is_site_root,
    join_url,
    normalize_host,
    parse_url,
    serialized_http_host,
)


class TestRegistrableDomain:
    @pytest.mark.parametrize(
        ("host", "site"),
        [
            ("example.com", "example.com"),
            ("WWW.Example.COM", "example.com"),
            ("www.bbc.co.uk", "bbc.co.uk"),
            ("www.bbc.co.uk.", "bbc.co.uk"),
            ("https://shop.example.co.uk/path?q=1", "example.co.uk"),
            # private-section suffixes: each customer is a site of its own
            ("foo.blogspot.com", "foo.blogspot.com"),
            ("x.vercel.app", "x.vercel.app"),
            ("deep.y.pages.dev", "y.pages.dev"),
            ("z.netlify.app", "z.netlify.app"),
            # the PSL's default rule `*` for TLDs the list lacks
            ("a.b.example", "b.example"),
            ("a.b.test", "b.test"),
            ("printer.local", "printer.local"),
            # IP addresses and bare suffixes are their own site
            ("127.0.0.1", "127.0.0.1"),
            ("http://[::1]:8080/", "[::1]"),
            ("github.io", "github.io"),
            ("localhost", "localhost"),
            # wildcard and exception rules
            ("a.b.c.kawasaki.jp", "b.c.kawasaki.jp"),
            ("www.city.kawasaki.jp", "city.kawasaki.jp"),
            # internationalized names come out in punycode
            ("Bücher.de", "xn--bcher-kva.de"),
            ("www.xn--bcher-kva.de", "xn--bcher-kva.de"),
        ],
    )
    def test_site_of_host(self, host, site):
        """The registrable domain follows the PSL, private section and default rule included."""
        assert registrable_domain(host) == site

    @pytest.mark.parametrize("bad", ["", "   ", "a/b", "a b", "x:80", "user@x.com", "http://"])
    def test_rejects_what_is_no_host(self, bad):
        """Anything that is not a host (or a URL with one) is an InvalidURLError naming it."""
        with pytest.raises(InvalidURLError, match="not a"):
            registrable_domain(bad)

    def test_error_is_also_value_error(self):
        """Callers may catch the library's root error or the built-in one."""
        with pytest.raises(ValueError):
            registrable_domain("")
        with pytest.raises(backlinkkit.BacklinkkitError):
            registrable_domain("")

    @given(
        st.from_regex(
            r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,4}\.(com|co\.uk|blogspot\.com|zz)", fullmatch=True
        )
    )
    def test_site_is_a_suffix_of_host(self, host):
        """The site is always the host itself or a dot-separated tail of it."""
        site = registrable_domain(host)
        assert host == site or host.endswith("." + site)


class TestSuffixList:
    def test_bundled_list_is_dated(self):
        """The bundled list says which version of publicsuffix.org's list it is."""
        version = SuffixList.bundled().version
        assert version is not None
        assert version.startswith("2026-")

    def test_users_own_list(self):
        """A user's list replaces the bundled one; its default rule still applies."""
        psl = SuffixList.from_text("// VERSION: test\ncom\nshop.com\n")
        assert psl.version == "test"
        assert psl.registrable_domain("a.b.shop.com") == "b.shop.com"
        assert psl.registrable_domain("a.b.co.uk") == "co.uk"  # co.uk is not in this list
        assert registrable_domain("a.b.shop.com", suffix_list=psl) == "b.shop.com"

    def test_empty_list_is_refused(self):
        """A list without a single rule is an error, not a silent everything-is-a-site."""
        with pytest.raises(SuffixListError, match="no rule"):
            SuffixList.from_text("// only a comment\n\n")

    def test_public_suffix(self):
        """The public suffix is the longest matching rule, or the last label by default."""
        psl = SuffixList.bundled()
        assert psl.public_suffix("www.bbc.co.uk") == "co.uk"
        assert psl.public_suffix("a.b.example") == "example"


class TestURLHelpers:
    @pytest.mark.parametrize(
        ("base", "href", "url"),
        [
            ("https://a.com/b/c", "../d?q=é#x", "https://a.com/d?q=%C3%A9#x"),
            ("https://a.com/b/c", "//cdn.a.com/x", "https://cdn.a.com/x"),
            ("https://a.com/b/c", "mailto:x@y.com", "mailto:x@y.com"),
            ("https://a.com/b/c", "  /x  ", "https://a.com/x"),
            ("https://a.com/b/c", "http://[bad", None),
        ],
    )
    def test_join(self, base, href, url):
        """Joining follows WHATWG; what does not parse is None."""
        assert join_url(base, href) == url

    @pytest.mark.parametrize(
        ("url", "host"),
        [
            ("https://WWW.A.com/x", "www.a.com"),
            ("mailto:x@y.com", None),
            ("not a url", None),
            ("http://[::1]/", "[::1]"),
        ],
    )
    def test_hostname(self, url, host):
        """Hosts come lower-cased, in punycode; hostless and invalid URLs give None."""
        assert hostname(url) == host

    def test_normalize_host(self):
        """Case, script and a trailing dot are normalized away."""
        assert normalize_host(" Bücher.DE. ") == "xn--bcher-kva.de"


# URL-like text built from the pieces the fast paths look at: scheme case, credentials, ports,
# punycode, IPv4 and IPv6 hosts, dot segments, percent signs and characters that get encoded.
_HOST_LABELS = st.sampled_from(
    ["a", "b-c", "x_y", "xn--bcher-kva", "Ex", "1", "255", "0x7f", "bücher", "-", "", "a.", "c0m"]
)
_HOSTS = st.one_of(
    st.lists(_HOST_LABELS, min_size=1, max_size=4).map(".".join),
    st.sampled_from(["[::1]", "[2001:DB8::1]", "127.1", "1.2.3.4", "[bad", "user@h.test"]),
)
_PATH_PIECES = st.sampled_from(
    [
        "/",
        "a",
        ".",
        "..",
        "%2e",
        "%2E",
        "%zz",
        "%41",
        " ",
        "^",
        "|",
        "'",
        "*",
        "\\",
        "é",
        "~",
        "@",
        ":",
    ]
)
_TAILS = st.sampled_from(
    ["", "?", "?q=1", "?a'b", "?x y", "#f", "#a'b", "#x y", "?q#f", ":80", ":8080/"]
)
_URLS = st.builds(
    lambda scheme, creds, host, path, tail: f"{scheme}://{creds}{host}{path}{tail}",
    st.sampled_from(["http", "https", "HTTP", "Https", "ftp", "foo"]),
    st.sampled_from(["", "u@", "u:p@"]),
    _HOSTS,
    st.lists(_PATH_PIECES, max_size=8).map("".join),
    _TAILS,
)


def _ada_href(text):
    try:
        return ada_url.URL(text).href
    except ValueError:
        return None


def _ada_host(text):
    try:
        return ada_url.parse_url(text, attributes=("hostname",))["hostname"] or None
    except ValueError:
        return None


class TestFastPathsAgreeWithAda:
    """Each fast path of `_urls` gives what ada-url (the WHATWG parser) gives, or declines."""

    @given(_URLS)
    def test_serialized_check_admits_only_what_ada_keeps(self, url):
        """A URL the fast check calls serialized is serialized as written, with that host."""
        host = serialized_http_host(url)
        if host is not None:
            assert _ada_href(url) == url
            assert _ada_host(url) == host

    @given(st.one_of(_URLS, st.text(max_size=40)))
    def test_hostname(self, url):
        """`hostname` is ada's hostname (None for none), fast path or not."""
        assert hostname(url) == _ada_host(url)

    @given(_URLS)
    def test_host_of_serialized(self, url):
        """On serialized URLs, string slicing finds ada's host."""
        href = _ada_href(url)
        if href is not None:
            assert host_of_serialized(href) == _ada_host(href)

    @given(_URLS)
    def test_ip_test(self, url):
        """A host is an IP address exactly when ada says its type is IPv4 or IPv6."""
        try:
            parsed = ada_url.parse_url(url, attributes=("hostname", "host_type"))
        except ValueError:
            return
        # Only special schemes parse IP addresses; other hosts are opaque strings.
        if parsed["hostname"] and url.lower().startswith("http"):
            assert is_ip_address(parsed["hostname"]) == (int(parsed["host_type"]) != 0)

    @given(_URLS, st.one_of(_URLS, st.sampled_from(["", "/x", "../y?z", "//h.test/", "#f", "é"])))
    def test_join_and_parse(self, base, href):
        """`join_url` and `parse_url` are ada's public functions, through whichever route."""
        assert join_url(base, href) == _ada_join_public(base, href)
        assert parse_url(href) == _ada_parse_public(href)

    @given(_URLS)
    def test_site_root(self, url):
        """A site root is an http(s) URL whose path is "/" and which has no query, not even "?"."""
        href = _ada_href(url)
        if href is not None:
            parsed = ada_url.parse_url(href, attributes=("protocol", "pathname", "search"))
            expected = (
                parsed["protocol"] in ("http:", "https:")
                and parsed["pathname"] == "/"
                and "?" not in href.partition("#")[0]  # even an empty query is another URL
            )
            assert is_site_root(href) == expected


class TestHeaderLookup:
    @pytest.mark.parametrize(
        ("headers", "value"),
        [
            (None, None),
            ({}, None),
            ({"Content-Type": "text/html"}, "text/html"),
            ({"content-type": "a", "CONTENT-TYPE": "b"}, "a, b"),
            (Headers([("Content-Type", "a"), ("content-type", "b")]), "a, b"),
            ({"X-Other": "x"}, None),
        ],
    )
    def test_any_mapping(self, headers, value):
        """Names compare without case; repeated fields join with ", " (RFC 9110, 5.3)."""
        assert header_value(headers, "content-type") == value


PAGE = "https://www.example.com/dir/page.html"


def _url_chars(common: str, rare: str, *, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text mostly of `common` characters, now and then one of the `rare` (tricky) ones."""
    return st.text(
        alphabet=st.sampled_from(list(common) * 8 + list(rare)), min_size=min_size, max_size=6
    )


class TestFastPathCases:
    """Hand-picked cases on both sides of each fast path."""

    @pytest.mark.parametrize(
        ("base", "href"),
        [
            (PAGE, "../x?q=é#f"),
            (PAGE, "https://[::1"),
            (PAGE, "mailto:x@example.com"),
            ("https://a.example/", ""),
            ("https://a.example/", "//b.example/\\c"),
            # http(s)://... does not depend on the base, whatever its scheme
            (PAGE, "https://b.example/x?y#z"),
            ("file:///c:/dir/", "http://b.example/"),
            ("mailto:x@example.com", "https://B.example:443/./a/../b"),
            (PAGE, "https://"),
            # ...but a scheme without "//" is relative to a base of the same scheme
            (PAGE, "https:other"),
            (PAGE, "http:other"),
            (PAGE, "HTTPS://b.example/"),
            (PAGE, " https://b.example/"),
        ],
    )
    def test_fast_join_matches_ada_url(self, base, href):
        """The fast join gives exactly what ada-url's public join_url gives."""
        assert join_url(base, href) == _ada_join_public(base, href)

    def test_join_lone_surrogate(self):
        """An href that cannot be encoded (lone surrogate) does not parse."""
        assert join_url(PAGE, "/\ud800") is None
        assert join_url(PAGE, "https://a.example/\ud800") is None
        assert parse_url("https://a.example/\ud800") is None

    @pytest.mark.parametrize(
        ("text", "as_written"),
        [
            ("https://www.example.com/", True),
            ("http://a-b.example.co.uk/dir/page.html?q=1&r=a%20b;c#frag/?x", True),
            ("https://example.com/a//b/c.d/x%41y/@:!$&'()*+,;=~", True),
            ("https://example.com/?a=b/c?d%2e", True),
            ("https://localhost/x", True),
            ("https://-a-.example/", True),
            ("https://a1/", True),
            ("https://example.com", False),  # the parser adds the path "/"
            ("https://Example.com/", False),  # hosts are lower-cased
            ("https://xn--bcher-kva.example/", False),  # punycode is checked
            ("https://example.xn--p1ai/", False),
            ("https://1.2.3.4/", False),  # IPv4
            ("https://example.0x1/", False),  # the last label is a number: IPv4
            ("https://example.com:8080/", False),
            ("https://user@example.com/", False),
            ("https://[::1]/", False),
            ("https://example.com/a/./b", False),  # dot segments
            ("https://example.com/a/../b", False),
            ("https://example.com/a/%2e%2E/b", False),
            ("https://example.com/.well-known", False),
            ("https://example.com/a^b", False),  # percent-encoded in paths
            ("https://example.com/a`b", False),
            ("https://example.com/a{b}", False),
            ("https://example.com/a|b", False),
            ("https://example.com/a b", False),
            ("https://example.com/a\\b", False),
            ("https://example.com/a\tb", False),
            ("https://example.com/?q='", False),  # percent-encoded in special queries
            ("https://example.com/?q=<", False),
            ("https://example.com/#`", False),
            ("https://example.com/é", False),
            ("ftp://example.com/", False),
            ("HTTPS://example.com/", False),
        ],
    )
    def test_urls_kept_as_written(self, text, as_written):
        """The URLs that skip the parser are exactly those it would not change."""
        assert (serialized_http_host(text) is not None) == as_written
        assert parse_url(text) == _ada_parse_public(text)
        if as_written:
            assert _ada_parse_public(text) == text

    @given(st.from_regex(_SERIALIZED_HTTP_URL, fullmatch=True))
    def test_urls_kept_as_written_are_what_ada_gives(self, text):
        """Every URL the fast path keeps as written is what ada-url gives, on any base."""
        assert _ada_parse_public(text) == text
        assert _ada_join_public(PAGE, text) == text

    @given(
        st.sampled_from(["http://", "https://", "https:", "HTTP://"]),
        st.lists(_url_chars("abcnx-", "09A.%", min_size=1), min_size=1, max_size=3).map(".".join),
        st.lists(_url_chars("ab.-_~!$&'()*+,;=:@%", "2eE^`{}|é \\\t"), max_size=4).map(
            lambda segments: "".join(f"/{segment}" for segment in segments)
        ),
        st.tuples(st.sampled_from(["", "?", "#"]), _url_chars("ab=&%/?#", "'<`2eE ")).map("".join),
    )
    def test_near_misses_agree_with_ada(self, scheme, host, path, rest):
        """URL-like text on either side of the fast path resolves exactly as ada-url resolves it."""
        text = f"{scheme}{host}{path}{rest}"
        assert parse_url(text) == _ada_parse_public(text)
        base = "https://u:p@www.example.com:8443/x/y"
        assert join_url(base, text) == _ada_join_public(base, text)

    @pytest.mark.parametrize(
        ("url", "host"),
        [
            ("https://example.com/", "example.com"),
            ("http://a:b@example.com:81/p?q#f", "example.com"),
            ("https://[2001:db8::1]:8080/", "[2001:db8::1]"),
            ("ws://chat.example.com/socket", "chat.example.com"),
            ("foo://opaque.example/x", "opaque.example"),
            ("mailto:x@example.com", None),
            ("file:///x", None),
            ("blob:https://example.com/uuid", None),
        ],
    )
    def test_host_of_serialized_urls(self, url, host):
        """The host is read off the serialized URL, userinfo and port removed."""
        assert host_of_serialized(url) == host
