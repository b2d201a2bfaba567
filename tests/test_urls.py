"""Hosts, registrable domains and the bundled public suffix list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import InvalidURLError, SuffixList, SuffixListError, registrable_domain
from backlinkkit._urls import hostname, join_url, normalize_host


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
