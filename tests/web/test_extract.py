"""extract_links: every link of a page, as a browser's DOM has it, and what the page says."""

from __future__ import annotations

import codecs
import gzip
import json
import pickle
import random
import threading

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import backlinkkit
from backlinkkit import (
    BacklinkkitError,
    ExtractionError,
    InvalidURLError,
    Link,
    LinkKind,
    PageLinks,
    Robots,
    Section,
    extract_links,
)
from backlinkkit._web._attributes import MAX_ATTRIBUTES, capped
from backlinkkit._web._extract import (
    _SECTION_FOR_ROLE,
    _SECTION_FOR_TAG,
    _DepthCappedBuilder,
    _encode_query,
    _join_to_valid_base,
    _outermost,
    _parser,
    _robots,
)
from backlinkkit._web._urls import _ada_join_public, host_of_serialized
from conftest import CORPUS, FIXTURES

PAGE = "https://www.example.com/dir/page.html"
EXTRACT = FIXTURES / "extract"


def links_of(html: str | bytes, url: str = PAGE, **kwargs) -> list[Link]:
    return list(extract_links(html, url, **kwargs))


def one(html: str | bytes, url: str = PAGE, **kwargs) -> Link:
    (link,) = links_of(html, url, **kwargs)
    return link


def fixture(name: str) -> PageLinks:
    return extract_links((EXTRACT / name).read_bytes(), PAGE)


class TestWhichLinks:
    def test_every_link_in_document_order(self):
        """Duplicates, fragments and every scheme stay; only elements with an href are links."""
        html = (
            '<a href="/x">1</a><a href="/x">2</a><a name="anchor">no href</a><a href="">self</a>'
            '<a href="#top">top</a><a href="mailto:a@example.com">m</a><a href="tel:+1">t</a>'
            '<a href="javascript:void(0)">j</a><a href="/doc.pdf">pdf</a>'
            '<map><area href="/area" alt="region"></map><link href="/not-a-link">'
        )
        assert [(link.tag, link.href, link.position) for link in links_of(html)] == [
            ("a", "/x", 0),
            ("a", "/x", 1),
            ("a", "", 2),
            ("a", "#top", 3),
            ("a", "mailto:a@example.com", 4),
            ("a", "tel:+1", 5),
            ("a", "javascript:void(0)", 6),
            ("a", "/doc.pdf", 7),
            ("area", "/area", 8),
        ]

    def test_links_are_ordinary_links(self):
        """Extracted Links are the same values the constructor makes: equal, hashable, copyable."""
        html = '<nav><a href="/x" rel="nofollow" title="t"><img alt="i">x</a></nav><a href=y>y</a>'
        for link in links_of(html):
            made = Link(**attrs.asdict(link, recurse=False))
            assert (link == made, hash(link) == hash(made), repr(link) == repr(made)) == (
                True,
                True,
                True,
            )
            assert pickle.loads(pickle.dumps(link)) == link
            assert attrs.evolve(link, text="other").text == "other"
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                link.text = "other"  # type: ignore[misc]

    def test_template_contents_are_not_links(self):
        """<template> contents live outside the document in browsers, nested ones too."""
        page = fixture("template_and_noscript.html")
        assert [link.href for link in page] == ["/visible", "/noscript-link", "/after"]

    def test_noscript_links_are_kept_and_marked(self):
        """Links inside <noscript> are parsed as markup (scripting off) and flagged."""
        page = fixture("template_and_noscript.html")
        assert [(link.href, link.in_noscript) for link in page] == [
            ("/visible", False),
            ("/noscript-link", True),
            ("/after", False),
        ]

    def test_block_content_inside_links(self):
        """Cards (block elements inside <a>, allowed in HTML5) stay one link with all their text."""
        page = fixture("card_blocks_inside_links.html")
        assert [(link.href, link.text, link.image_alts) for link in page] == [
            ("/story/1", "First story It has a summary.", ("Photo one",)),
            ("/story/2", "Second story", ()),
            ("/story/3", "Third story in a paragraph", ()),
            ("/outer", "outer", ()),
            ("/inner", "inner", ()),
        ]

    @pytest.mark.parametrize(
        ("html", "hrefs"),
        [
            ("<a href=/1>x</a><!-- <a href=/comment>c</a> --><a href=/2>y</a>", ["/1", "/2"]),
            ("<a href=/1><![CDATA[<a href=/cdata>]]></a>", ["/1"]),
            ("<script>'<a href=/script>'</script><a href=/2>y</a>", ["/2"]),
            ("<textarea><a href=/textarea></textarea><a href=/2>y</a>", ["/2"]),
            ("<svg><a href=/svg><text>s</text></a></svg>", ["/svg"]),
            (
                "<table><a href=/in-table>t</a><tr><td><a href=/cell>c</a></table>",
                ["/in-table", "/cell"],
            ),
            ("<a href=/unclosed>never closed", ["/unclosed"]),
            ("<A HREF=/upper>UPPER</A>", ["/upper"]),
        ],
    )
    def test_markup_oddities(self, html, hrefs):
        """Comments, CDATA, raw-text elements, SVG links, tables and sloppy markup."""
        assert [link.href for link in links_of(html)] == hrefs


class TestURLs:
    @pytest.mark.parametrize(
        ("href", "url"),
        [
            ("/a/b", "https://www.example.com/a/b"),
            ("other.html", "https://www.example.com/dir/other.html"),
            ("../up", "https://www.example.com/up"),
            ("?q=1", "https://www.example.com/dir/page.html?q=1"),
            ("#frag", "https://www.example.com/dir/page.html#frag"),
            ("", "https://www.example.com/dir/page.html"),
            ("//cdn.example.net/x", "https://cdn.example.net/x"),
            # leading/trailing ASCII whitespace goes, tabs and newlines inside are removed
            ("  \n/spaced\t ", "https://www.example.com/spaced"),
            ("/li\tne\nbreak", "https://www.example.com/linebreak"),
            ("HTTPS://WWW.Example.COM:443/X", "https://www.example.com/X"),
            ("https://bücher.example/ü", "https://xn--bcher-kva.example/%C3%BC"),
            ("/a b<c>", "https://www.example.com/a%20b%3Cc%3E"),
            ("mailto:Someone@Example.com?subject=it's", "mailto:Someone@Example.com?subject=it's"),
            ("javascript:void(0)", "javascript:void(0)"),
            ("data:text/plain,hi", "data:text/plain,hi"),
            # what does not parse is None (the raw href stays)
            ("http://exa mple.com/", None),
            ("https://[::1", None),
            ("http://", None),
        ],
    )
    def test_resolution(self, href, url):
        """hrefs resolve by the WHATWG URL standard (ada-url), as element.href does."""
        link = one(f'<a href="{href}">x</a>'.replace("\n", "&#10;").replace("\t", "&#9;"))
        assert (link.href, link.url) == (href, url)

    def test_first_base_href_wins_for_the_whole_document(self):
        """The first <base href> (resolved against the page) is the base, even for earlier links."""
        page = fixture("base_href_after_links.html")
        assert page.base_url == "https://cdn.example.net/docs/"
        assert [link.url for link in page] == [
            "https://cdn.example.net/docs/before.html",
            "https://cdn.example.net/docs/after.html",
            "https://cdn.example.net/root",
            "https://cdn.example.net/docs/#top",
        ]

    @pytest.mark.parametrize(
        ("base", "expected"),
        [
            ("sub/", "https://www.example.com/dir/sub/x"),
            ("https://other.example.org/", "https://other.example.org/x"),
            ("", "https://www.example.com/dir/x"),
            # a base that does not parse, or is data:/javascript:, is ignored (HTML frozen base)
            ("http://exa mple.com/", "https://www.example.com/dir/x"),
            ("javascript:alert(1)", "https://www.example.com/dir/x"),
            ("data:text/html,hi", "https://www.example.com/dir/x"),
        ],
    )
    def test_base_href(self, base, expected):
        """<base href> resolves against the page URL; unusable bases fall back to the page."""
        assert one(f'<base href="{base}"><a href="x">x</a>').url == expected

    def test_base_without_href_is_skipped(self):
        """A <base> without href (only target) does not set the base; a later one can."""
        page = extract_links('<base target="_blank"><base href="/b/"><a href="x">x</a>', PAGE)
        assert page.base_url == "https://www.example.com/b/"

    def test_query_in_the_documents_encoding(self):
        """Non-UTF-8 pages percent-encode a special URL's query in their encoding (WHATWG)."""
        page = fixture("shift_jis_query.html")
        assert page.encoding == "shift_jis"
        assert [link.url for link in page] == [
            # the query in Shift_JIS, the fragment always in UTF-8
            "https://www.example.com/search?q=%93%FA%96%7B#%E6%97%A5",
            # non-special URLs (mailto:) keep UTF-8
            "mailto:x@example.jp?subject=%E6%97%A5",
        ]

    def test_undeclared_windows_1252(self):
        """Undeclared non-UTF-8 bytes are windows-1252: path in UTF-8, query in windows-1252."""
        page = fixture("windows1252_undeclared.html")
        assert (page.encoding, page.encoding_source, page.title) == (
            "windows-1252",
            "default",
            "Café",
        )
        assert [(link.url, link.text) for link in page] == [
            ("https://www.example.com/caf%C3%A9?q=cr%E8me", "Café crème"),
            ("https://www.example.com/x", "“quoted”"),
        ]

    @pytest.mark.parametrize(
        ("href", "codec", "encoded"),
        [
            ("/p?q=é", "cp1252", "/p?q=%E9"),
            ("/p?q=é#é", "cp1252", "/p?q=%E9#é"),
            ("/p?a=1&b=日本", "cp932", "/p?a=1&b=%93%FA%96%7B"),
            ("/p?q=€", "iso8859-2", "/p?q=%26%238364%3B"),  # not in the encoding: &#8364;
            ("/p?q=ascii", "cp932", "/p?q=ascii"),
            ("/p#?q=é", "cp1252", "/p#?q=é"),  # a '?' in the fragment starts no query
            ("/é", "cp1252", "/é"),
        ],
    )
    def test_encode_query(self, href, codec, encoded):
        """Only the query's non-ASCII characters are encoded; unencodable ones as &#N;."""
        assert _encode_query(href, codec) == encoded

    @given(
        st.text(st.sampled_from("aé€日本ü?#&=\u3042\U0001f600"), max_size=40),
        st.sampled_from(["cp1252", "cp932", "iso2022-jp", "gb18030", "koi8-r", "cp949"]),
    )
    def test_encode_query_character_by_character(self, href, codec):
        """The query is encoded as each of its characters alone would be (linear, memoized)."""
        end = href.find("#") if "#" in href else len(href)
        start = href.find("?", 0, end)
        expected = href
        if start >= 0:
            query = "".join(
                char if char.isascii() else self._encoded(char, codec)
                for char in href[start + 1 : end]
            )
            expected = href[: start + 1] + query + href[end:]
        assert _encode_query(href, codec) == expected

    @staticmethod
    def _encoded(char: str, codec: str) -> str:
        try:
            return "".join(f"%{byte:02X}" for byte in codecs.encode(char, codec))
        except UnicodeEncodeError:
            return f"%26%23{ord(char)}%3B"

    @pytest.mark.parametrize(
        "base",
        [
            "https://www.example.com/dir/",
            "http://user:pa%20ss@example.com:8080/dir/",
            "https://[2001:db8::1]/dir/",
            "https://xn--bcher-kva.example/dir/",
            "https://192.168.0.1/",
            "file:///c:/dir/",
            "foo://host/dir/",
        ],
    )
    @pytest.mark.parametrize("href", ["/", "/a/./b/../c?q=1#f", "/a b^c", "/?q='", "/é"])
    def test_path_absolute_hrefs_keep_the_base_origin(self, base, href):
        """A path-absolute href resolves as ada resolves it against any base, its host kept."""
        link = one(f'<base href="{base}"><a href="{href}">x</a>')
        assert link.url == _ada_join_public(base, href)
        assert link.host == host_of_serialized(base)

    def test_str_input_queries_are_utf8(self):
        """Already-decoded text has no byte encoding: queries are UTF-8."""
        page = extract_links('<meta charset="shift_jis"><a href="/s?q=日">x</a>', PAGE)
        assert (page.encoding, page.encoding_source) == ("utf-8", "str")
        assert page.links[0].url == "https://www.example.com/s?q=%E6%97%A5"

    @pytest.mark.parametrize(
        "href",
        ["https://b.example/x?y#z", "HTTPS://B.example:443/./a", "https:other", "../x", "https://"],
    )
    def test_join_to_valid_base(self, href):
        """The extractor's shortcut for absolute hrefs gives what joining to its base gives."""
        assert _join_to_valid_base(PAGE, href) == _ada_join_public(PAGE, href)


class TestText:
    @pytest.mark.parametrize(
        ("html", "text", "alts", "kind"),
        [
            ("<a href=/>  Hello \n\t world  </a>", "Hello world", (), LinkKind.TEXT),
            ("<a href=/><b>Bold</b> and <i>italic</i></a>", "Bold and italic", (), LinkKind.TEXT),
            ("<a href=/>line<br>break</a>", "linebreak", (), LinkKind.TEXT),
            ("<a href=/><img src=a.png alt='Logo'></a>", "", ("Logo",), LinkKind.IMAGE),
            ("<a href=/><img src=a.png></a>", "", (None,), LinkKind.IMAGE),
            ("<a href=/><img alt=''></a>", "", ("",), LinkKind.IMAGE),
            ("<a href=/><img alt=A><span><img alt=B></span></a>", "", ("A", "B"), LinkKind.IMAGE),
            ("<a href=/>Shop <img alt='cart'></a>", "Shop", ("cart",), LinkKind.MIXED),
            ("<a href=/></a>", "", (), LinkKind.EMPTY),
            ("<a href=/>   </a>", "", (), LinkKind.EMPTY),
            ("<a href=/><span> </span></a>", "", (), LinkKind.EMPTY),
            ("<a href=/>caf&eacute; &amp; &lt;tea&gt;</a>", "café & <tea>", (), LinkKind.TEXT),
            ("<a href=/>x<!-- hidden -->y</a>", "xy", (), LinkKind.TEXT),
            # textContent includes script and style text inside the link, as in browsers
            ("<a href=/>a<style>.c{}</style>b</a>", "a.c{}b", (), LinkKind.TEXT),
            # only ASCII whitespace collapses: a no-break space is text
            ("<a href=/>Read&nbsp;more</a>", "Read\xa0more", (), LinkKind.TEXT),
            ("<a href=/>\u3000全角\u3000</a>", "\u3000全角\u3000", (), LinkKind.TEXT),
            ("<a href=/>mixed\xa0 \n space</a>", "mixed\xa0 space", (), LinkKind.TEXT),
        ],
    )
    def test_text_alts_kind(self, html, text, alts, kind):
        """Text is textContent with ASCII whitespace collapsed; alts of every <img> inside."""
        link = one(html)
        assert (link.text, link.image_alts, link.kind) == (text, alts, kind)

    @pytest.mark.parametrize(
        ("html", "anchor"),
        [
            ("<a href=/>Text <img alt=Alt></a>", "Text"),
            ("<a href=/><img alt=' One '><img><img alt=Two></a>", "One Two"),
            ("<a href=/><img></a>", ""),
        ],
    )
    def test_anchor(self, html, anchor):
        """The anchor is the text, else the images' alt texts."""
        assert one(html).anchor == anchor

    @pytest.mark.parametrize(
        ("html", "title"),
        [("<a href=/ title='  Tip  '>x</a>", "  Tip  "), ("<a href=/>x</a>", None)],
    )
    def test_title_attribute(self, html, title):
        """The title attribute as written, or None."""
        assert one(html).title == title


class TestRelAndRobots:
    @pytest.mark.parametrize(
        ("rel", "tokens", "followed"),
        [
            (None, (), True),
            ("", (), True),
            ("noopener noreferrer", ("noopener", "noreferrer"), True),
            ("NoFollow", ("nofollow",), False),
            ("ugc,nofollow", ("ugc", "nofollow"), False),
            (" sponsored ,  external\tnoopener ", ("sponsored", "external", "noopener"), False),
            ("UGC", ("ugc",), False),
            ("external", ("external",), True),
            ("no-follow", ("no-follow",), True),
        ],
    )
    def test_rel(self, rel, tokens, followed):
        """rel tokens are lower-cased and split on whitespace and commas; any of three unfollows."""
        attribute = "" if rel is None else f' rel="{rel}"'
        link = one(f"<a href=/{attribute}>x</a>")
        assert (link.rel, link.followed) == (tokens, followed)
        assert (link.nofollow, link.sponsored, link.ugc) == (
            "nofollow" in tokens,
            "sponsored" in tokens,
            "ugc" in tokens,
        )

    @pytest.mark.parametrize(
        ("meta", "noindex", "nofollow"),
        [
            ('<meta name="robots" content="nofollow">', False, True),
            ('<meta name="ROBOTS" content="NOINDEX, NOFOLLOW">', True, True),
            ('<meta name="googlebot" content="none">', True, True),
            ('<meta name="robots" content="noindex">', True, False),
            ('<meta name="robots" content="index,follow">', False, False),
            ('<meta name="bingbot" content="nofollow">', False, False),
            ('<meta name="description" content="nofollow">', False, False),
            ('<meta name="robots">', False, False),
        ],
    )
    def test_meta_robots(self, meta, noindex, nofollow):
        """Meta robots/googlebot (any case) set page-level directives; other names do not."""
        page = extract_links(f"<head>{meta}</head><a href=/>x</a>", PAGE)
        assert (page.robots.noindex, page.robots.nofollow) == (noindex, nofollow)
        assert page.links[0].followed is not nofollow

    @pytest.mark.parametrize(
        ("header", "noindex", "nofollow", "directives"),
        [
            ("nofollow", False, True, ("nofollow",)),
            ("NoIndex, NoFollow", True, True, ("noindex", "nofollow")),
            ("none", True, True, ("none",)),
            ("googlebot: nofollow", False, True, ("nofollow",)),
            ("GoogleBot: noindex, nofollow", True, True, ("noindex", "nofollow")),
            ("otherbot: noindex, nofollow", False, False, ()),
            ("otherbot: noindex, googlebot: nofollow", False, True, ("nofollow",)),
            (
                "unavailable_after: 25 Jun 2010 15:00:00 PST",
                False,
                False,
                ("unavailable_after: 25 jun 2010 15:00:00 pst",),
            ),
            ("max-snippet: 20, nofollow", False, True, ("max-snippet: 20", "nofollow")),
            ("", False, False, ()),
        ],
    )
    def test_x_robots_tag(self, header, noindex, nofollow, directives):
        """X-Robots-Tag: comma-separated, case-insensitive, user-agent prefixes scope what follows."""
        page = extract_links("<a href=/>x</a>", PAGE, headers={"X-Robots-Tag": header})
        assert page.robots == Robots(noindex=noindex, nofollow=nofollow, directives=directives)
        assert page.links[0].followed is not nofollow

    def test_header_names_any_case(self):
        """Header names match in any case."""
        page = extract_links("<a href=/>x</a>", PAGE, headers={"x-ROBOTS-tag": "nofollow"})
        assert page.robots.nofollow

    def test_meta_and_header_combine(self):
        """Meta and header directives add up, each once, in order of appearance."""
        robots = _robots(["noindex, noarchive"], "noarchive, nofollow")
        assert robots == Robots(True, True, ("noindex", "noarchive", "nofollow"))

    def test_page_facts(self):
        """Title (collapsed), first canonical (resolved) and robots directives of a page."""
        page = fixture("robots_meta_nofollow.html")
        assert page.title == "A page that asks not to be followed"
        assert page.canonical == "https://www.example.com/canonical-page?x=1"
        assert page.robots == Robots(False, True, ("nofollow", "max-snippet:-1", "noarchive"))
        assert [(link.href, link.followed) for link in page] == [("/a", False), ("/b", False)]


class TestSections:
    def test_nearest_landmark(self):
        """The nearest enclosing landmark element or ARIA landmark role (any case) wins."""
        page = fixture("landmarks_and_roles.html")
        assert [(link.href, link.section) for link in page] == [
            ("/logo", Section.HEADER),
            ("/menu", Section.NAV),
            ("/nav-in-header", Section.NAV),
            ("/header", Section.HEADER),
            ("/article", Section.MAIN),
            ("/aside-in-article", Section.ASIDE),
            ("/article-footer", Section.FOOTER),
            ("/complementary", Section.ASIDE),
            ("/still-main", Section.MAIN),
            ("/contentinfo", Section.FOOTER),
            ("/nowhere", None),
        ]

    @pytest.mark.parametrize(
        ("html", "section"),
        [
            ("<nav><a href=/>x</a></nav>", Section.NAV),
            ("<main><a href=/>x</a></main>", Section.MAIN),
            ("<article><a href=/>x</a></article>", Section.MAIN),
            ("<div role=article><a href=/>x</a></div>", Section.MAIN),
            ("<div role='region'><a href=/>x</a></div>", None),
            # an explicit role beats the element's own meaning (ARIA)
            ("<nav role=main><a href=/>x</a></nav>", Section.MAIN),
            ("<main><div role=navigation><a href=/>x</a></div></main>", Section.NAV),
            ("<div role=navigation><main><a href=/>x</a></main></div>", Section.MAIN),
            (
                "<div role=navigation><div role=contentinfo><a href=/>x</a></div></div>",
                Section.FOOTER,
            ),
            ("<section><a href=/>x</a></section>", None),
            ("<a href=/>x</a>", None),
        ],
    )
    def test_each_landmark(self, html, section):
        """Each landmark maps to its Section; other regions to none."""
        assert one(html).section == section


LANDMARK_TAGS = [*_SECTION_FOR_TAG, "noscript", "div", "section", "span", "p"]
ROLES = [None, None, *_SECTION_FOR_ROLE, "region", "NAVIGATION", "banner contentinfo", "button"]


@st.composite
def landmark_trees(draw, depth: int = 0) -> str:
    """Properly nested markup of landmarks, roles, noscripts and links."""
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 5 else 0))):
        if draw(st.booleans()):
            role = draw(st.sampled_from(ROLES))
            attribute = "" if role is None else f' role="{role}"'
            parts.append(f'<a href="/{len(parts)}"{attribute}>x</a>')
        else:
            tag = draw(st.sampled_from(LANDMARK_TAGS))
            role = draw(st.sampled_from(ROLES))
            attribute = "" if role is None else f' role="{role}"'
            parts.append(f"<{tag}{attribute}>{draw(landmark_trees(depth + 1))}</{tag}>")
    return "".join(parts)


def nearest_region(anchor: etree._Element) -> tuple[Section | None, bool]:
    """The rules written plainly: walk every ancestor, the nearest landmark (role first) wins."""
    section = None
    in_noscript = False
    node: etree._Element | None = anchor
    while node is not None:
        if section is None:
            for token in (node.get("role") or "").lower().split():
                if token in _SECTION_FOR_ROLE:
                    section = _SECTION_FOR_ROLE[token]
                    break
            else:
                section = _SECTION_FOR_TAG.get(node.tag)
        in_noscript = in_noscript or node.tag == "noscript"
        node = node.getparent()
    return section, in_noscript


class TestRegions:
    @given(landmark_trees())
    def test_nearest_landmark_and_noscript(self, html):
        """Every link's section and noscript flag are those of a plain walk up its ancestors."""
        root = etree.fromstring(html.encode() or b"<p>", _parser())
        anchors = [] if root is None else list(root.iter("a"))
        expected = [nearest_region(anchor) for anchor in anchors]
        assert [(link.section, link.in_noscript) for link in links_of(html)] == expected

    @pytest.mark.parametrize("opening", ["<nav>", "<div role=navigation>", "<noscript>", "<main role='x main'>"])  # fmt: skip
    def test_thousands_of_nested_landmarks(self, opening):
        """2,000 nested landmarks around 5,000 links: each link gets the innermost (linear)."""
        links = links_of(opening * 2000 + "<a href=/x>x</a>" * 5000)
        assert len(links) == 5000
        assert len({(link.section, link.in_noscript) for link in links}) == 1

    def test_nested_templates(self):
        """Links inside nested templates are dropped once, however deep; those after are kept."""
        html = (
            "<template>" * 500
            + "<a href=/in>x</a>" * 100
            + "</template>" * 500
            + "<a href=/out>y</a>"
        )
        assert [link.href for link in links_of(html)] == ["/out"]

    def test_outermost_templates(self):
        """Only templates that no other template contains are cleared."""
        root = etree.fromstring(
            b"<template><template></template></template><p><template>", _parser()
        )
        templates = list(root.iter("template"))
        assert _outermost(templates) == [templates[0], templates[2]]


class TestSites:
    @pytest.mark.parametrize(
        ("href", "host", "domain", "external"),
        [
            ("/same", "www.example.com", "example.com", False),
            ("https://shop.example.com/", "shop.example.com", "example.com", False),
            ("https://shop.example.com/a?b#c", "shop.example.com", "example.com", False),
            ("https://Shop.Example.com/a?b#c", "shop.example.com", "example.com", False),
            ("https://shop.example.com", "shop.example.com", "example.com", False),
            ("https://user:pw@Example.COM:8443/x", "example.com", "example.com", False),
            ("https://other.example.org/", "other.example.org", "example.org", True),
            ("https://a.blogspot.com/", "a.blogspot.com", "a.blogspot.com", True),
            ("https://bücher.de/", "xn--bcher-kva.de", "xn--bcher-kva.de", True),
            ("http://192.168.0.1:8080/", "192.168.0.1", "192.168.0.1", True),
            ("http://[::1]/", "[::1]", "[::1]", True),
            ("ftp://files.example.net/f", "files.example.net", "example.net", True),
            ("mailto:a@other.example.org", None, None, False),
            ("javascript:void(0)", None, None, False),
            ("tel:+123", None, None, False),
            ("file:///etc/hosts", None, None, False),
            ("http://exa mple.com/", None, None, False),
            # a leading slash is not always a path on the page's host
            ("/\\evil.example.org/x", "evil.example.org", "example.org", True),
            ("/&#9;/evil.example.org/x", "evil.example.org", "example.org", True),
            ("/&#10;/evil.example.org/x", "evil.example.org", "example.org", True),
            ("/", "www.example.com", "example.com", False),
        ],
    )
    def test_host_domain_external(self, href, host, domain, external):
        """Host and registrable domain of each link; hostless and unparsable links are internal."""
        link = one(f'<a href="{href}">x</a>')
        assert (link.host, link.domain, link.is_external) == (host, domain, external)

    def test_page_without_a_site(self):
        """On a page without a host (file:), every link with a host is external."""
        links = links_of(
            '<a href="/x">x</a><a href="https://example.com/">e</a>', "file:///tmp/p.html"
        )
        assert [(link.url, link.is_external) for link in links] == [
            ("file:///x", False),
            ("https://example.com/", True),
        ]


class TestEncodings:
    @pytest.mark.parametrize(
        ("data", "headers", "encoding", "source", "text"),
        [
            ("<a href=/>café</a>".encode(), None, "utf-8", "utf-8", "café"),
            (b"\xef\xbb\xbf<a href=/>caf\xc3\xa9</a>", None, "utf-8", "bom", "café"),
            (
                "<a href=/>Привет</a>".encode("koi8-r"),
                {"Content-Type": "text/html; charset=KOI8-R"},
                "koi8-r",
                "transport",
                "Привет",
            ),
            (
                b'<meta charset="windows-1251"><a href=/>' + "Привет".encode("cp1251") + b"</a>",
                None,
                "windows-1251",
                "meta",
                "Привет",
            ),
            # a meta that lies about UTF-8 is believed: bad bytes become U+FFFD
            (b'<meta charset="utf-8"><a href=/>caf\xe9</a>', None, "utf-8", "meta", "caf\ufffd"),
            (
                "<meta charset=euc-jp><a href=/>日本</a>".encode("euc-jp"),
                None,
                "euc-jp",
                "meta",
                "日本",
            ),
            (
                "<a href=/>日本</a>".encode("utf-16-be"),
                {"Content-Type": "text/html; charset=utf-16be"},
                "utf-16be",
                "transport",
                "日本",
            ),
        ],
    )
    def test_bytes_are_decoded_as_sniffed(self, data, headers, encoding, source, text):
        """Bytes decode with the sniffed encoding, which PageLinks reports with its source."""
        page = extract_links(data, PAGE, headers=headers)
        assert (page.encoding, page.encoding_source, page.links[0].text) == (encoding, source, text)

    def test_utf16_bom(self):
        """A UTF-16 page with a byte order mark."""
        page = fixture("utf16le_bom.html")
        assert (page.encoding, page.encoding_source) == ("utf-16le", "bom")
        assert [(link.url, link.text) for link in page] == [
            ("https://www.example.com/%C3%BCn%C3%AF", "Ünïcode")
        ]

    def test_meta_charset_does_not_switch_the_parser(self):
        """The parser gets UTF-8 only: a meta inside cannot make it decode twice."""
        data = '<meta charset="iso-8859-5"><a href=/>ÐŸ</a>'.encode("cp1252")
        page = extract_links(data, PAGE, headers={"Content-Type": "text/html; charset=cp1252"})
        assert page.links[0].text == "ÐŸ"

    def test_bytearray_and_memoryview(self):
        """Any bytes-like input works like bytes."""
        data = b"<a href=/x>x</a>"
        expected = extract_links(data, PAGE)
        assert extract_links(bytearray(data), PAGE) == expected
        assert extract_links(memoryview(data), PAGE) == expected


class TestPositionsAndLines:
    def test_lines(self):
        """Each link knows the source line it starts on."""
        html = "<html>\n<body>\n<a href=/1>one</a>\n\n<p><a href=/2>\ntwo</a>"
        assert [(link.position, link.line) for link in links_of(html)] == [(0, 3), (1, 5)]


class TestRobustness:
    @pytest.mark.parametrize(
        "html",
        [b"", "", b"   ", b"<!-- only a comment -->", b"<?xml version='1.0'?>", b"\xef\xbb\xbf"],
    )
    def test_empty_documents(self, html):
        """An empty document is a PageLinks without links, not an error."""
        page = extract_links(html, PAGE)
        assert (page.links, page.base_url, page.title) == ((), PAGE, None)

    def test_empty_document_keeps_header_robots(self):
        """Even an empty document reports the X-Robots-Tag it came with."""
        page = extract_links(b"", PAGE, headers={"X-Robots-Tag": "noindex"})
        assert page.robots.noindex

    def test_nul_bytes(self):
        """NUL bytes neither end the document nor lose links (U+FFFD, as in attributes)."""
        page = fixture("nul_bytes.html")
        assert [(link.url, link.text) for link in page] == [
            ("https://www.example.com/one", "o\ufffdne"),
            ("https://www.example.com/t%EF%BF%BDwo", "two"),
            ("https://www.example.com/three", "three"),
        ]

    @pytest.mark.parametrize("depth", [300, 3000, 20_000])
    def test_absurd_nesting(self, depth):
        """Nesting beyond libxml2's limits loses no link: deep elements become siblings."""
        html = (
            "<a href=/first>f</a>" + "<div>" * depth + "<a href=/deep>deep</a>" + "</div>" * depth
        )
        html += "<nav><a href=/after>after</a></nav>"
        links = links_of(html)
        assert [(link.href, link.text) for link in links] == [
            ("/first", "f"),
            ("/deep", "deep"),
            ("/after", "after"),
        ]
        assert links[2].section == Section.NAV

    def test_absurd_nesting_of_links(self):
        """Thousands of unclosed inline elements around links keep every link."""
        html = "<span>" * 5000 + "".join(f"<a href=/{i}>{i}</a>" for i in range(3))
        assert [link.text for link in links_of(html)] == ["0", "1", "2"]

    def test_depth_capped_builder_closes_what_is_open(self):
        """Elements the parser left open are closed when the tree is finished."""
        target = _DepthCappedBuilder()
        target.start("p", {})
        target.data("x")
        assert etree.tostring(target.close()) == b"<p>x</p>"

    def test_depth_capped_builder_flattens(self):
        """The fallback tree builder keeps every element, flattening those beyond the cap."""
        target = _DepthCappedBuilder()
        parser = etree.HTMLParser(target=target)
        html = "<b>" * 600 + "<!-- dropped --><i>x</i>" + "</b>" * 600
        root = etree.fromstring(html.encode(), parser)
        assert max(sum(1 for _ in element.iterancestors()) for element in root.iter()) <= 514
        assert "".join(root.itertext()) == "x"
        assert target.comment("ignored") is None  # comments are dropped, as by the main parser

    def test_megabyte_attributes_and_text(self):
        """Attributes and text over libxml2's 10 MB default limit are kept whole."""
        href = "/" + "x" * 11_000_000
        link = one(f'<a href="{href}">{"y" * 11_000_000}</a><p>'.encode())
        assert (len(link.href), len(link.text)) == (len(href), 11_000_000)

    @pytest.mark.parametrize(
        "url", ["", "not a url", "/relative/path", "http://", "https://exa mple.com/", "\ud800"]
    )
    def test_invalid_page_url(self, url):
        """An invalid page URL is an InvalidURLError (also a ValueError), naming the URL."""
        with pytest.raises(InvalidURLError, match="not an absolute URL"):
            extract_links(b"<a href=/>x</a>", url)

    def test_wrong_input_type(self):
        """Neither bytes nor str is a TypeError, as for any mistyped argument."""
        with pytest.raises(TypeError, match="bytes or str"):
            extract_links(123, PAGE)  # type: ignore[arg-type]

    def test_lone_surrogates_in_str(self):
        """A str with lone surrogates (from a careless decode) still extracts."""
        link = one("<a href='/x\ud800'>t\udc80</a>")
        assert link.url is not None
        assert link.url.startswith("https://www.example.com/x%EF%BF%BD")
        assert link.text.startswith("t\ufffd")

    def test_threads(self):
        """Concurrent extractions in threads give the same results as one at a time."""
        html = (EXTRACT / "landmarks_and_roles.html").read_bytes()
        expected = extract_links(html, PAGE)
        results: list[PageLinks] = []

        def work() -> None:
            results.extend(extract_links(html, PAGE) for _ in range(20))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 80
        assert all(result == expected for result in results)

    def test_error_classes(self):
        """The library's errors are BacklinkkitErrors and ValueErrors."""
        assert issubclass(ExtractionError, BacklinkkitError)
        assert issubclass(ExtractionError, ValueError)

    @given(st.binary(max_size=4096))
    def test_arbitrary_bytes(self, data):
        """Any bytes give a PageLinks, never an error (a browser shows any bytes as a page)."""
        page = extract_links(data, PAGE)
        assert all(link.position == index for index, link in enumerate(page))

    @given(st.text(max_size=2048))
    def test_arbitrary_text(self, text):
        """Any str gives a PageLinks, never an error."""
        assert isinstance(extract_links(text, PAGE), PageLinks)

    @settings(max_examples=30)
    @given(st.binary(max_size=2048) | st.text(max_size=1024).map(str.encode))
    @example(b"<?")  # a bogus comment that swallows the last link, in a browser too
    def test_arbitrary_bytes_past_libxml2_depth(self, data):
        """Past libxml2's 2,048 levels (the depth-capped re-parse) any bytes still give a page."""
        page = extract_links(b"<div>" * 2100 + data + b"<a href=/last>x</a>", PAGE)
        assert all(link.position == index for index, link in enumerate(page))
        if (
            b"<" not in data
        ):  # with a `<`, the data may open a comment or `<plaintext>`, as in a browser
            assert page.links[-1].href == "/last"

    @pytest.mark.parametrize(
        "tail",
        [
            b"<x:y><a href=/deep>d</a>",
            b"\x01<a href=/deep>d</a>",
            b"<a x:y=1 href=/deep>d</a>",
            b'<a href=/deep title="t\x02">d\x1f</a>',
            b"<a href=/deep \x01=1 a<b=2>d</a>",
            b"<\xef\xbf\xbe><a href=/deep>d</a>",
        ],
    )
    def test_prefixed_tags_and_control_characters_past_libxml2_depth(self, tail):
        """The depth-capped re-parse takes names lxml refuses and characters trees cannot hold."""
        (link,) = links_of(b"<div>" * 2100 + tail)
        assert (link.href, link.text.strip("\ufffd")) == ("/deep", "d")

    def test_control_characters_in_deep_text_become_replacement_characters(self):
        """Where lxml's tree refuses a character (the depth-capped path), U+FFFD stands for it."""
        link = one(b"<div>" * 2100 + b"<a href=/d title='a\x01b'>x\x02y</a>")
        assert (link.title, link.text) == ("a\ufffdb", "x\ufffdy")

    def test_megabytes_of_random_bytes(self):
        """Megabytes of random bytes (deep nesting of random tags included) give a page."""
        data = random.Random(10).randbytes(3_000_000)
        assert isinstance(extract_links(data, PAGE), PageLinks)

    def test_extraction_error_is_no_longer_raised(self):
        """The class stays for code that catches it; no input makes extract_links raise it."""
        assert issubclass(ExtractionError, BacklinkkitError)

    @pytest.mark.parametrize("headers", [123, ["Content-Type"], {"Content-Type": b"text/html"}])
    def test_wrong_headers_type(self, headers):
        """Headers that are not a mapping of str are a TypeError, as any mistyped argument."""
        with pytest.raises(TypeError, match="headers"):
            extract_links(b"<a href=/>x</a>", PAGE, headers=headers)

    @given(
        st.lists(
            st.sampled_from(
                [
                    "<a href='",
                    "/x",
                    "'>",
                    "</a>",
                    "<div>",
                    "</div>",
                    "<template>",
                    "</template>",
                    "<base href=",
                    "<noscript>",
                    "<table>",
                    "<nav role=main>",
                    "\x00",
                    "é",
                    "<!--",
                    "-->",
                    "<meta charset=koi8-r>",
                    "&amp;",
                    "<img alt=",
                    ">",
                    " ",
                    "\n",
                ]
            ),
            max_size=60,
        )
    )
    def test_markup_soup(self, parts):
        """Random markup built from tricky pieces always extracts, links in order."""
        page = extract_links("".join(parts).encode(), PAGE)
        assert [link.position for link in page] == list(range(len(page)))


def _corpus_pages() -> list[tuple[bytes, str]]:
    pages_json = CORPUS / "pages.json"
    if not pages_json.exists():
        return []
    pages = json.loads(pages_json.read_text())
    chosen = sorted(pages.items())[::30]  # a handful, for speed
    return [(gzip.decompress((CORPUS / "pages" / name).read_bytes()), url) for name, url in chosen]


CORPUS_PAGES = _corpus_pages()


@pytest.mark.skipif(not CORPUS_PAGES, reason="the corpus (../shared/corpus) is absent")
class TestCorpus:
    @settings(
        max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    @given(
        st.sampled_from(range(len(CORPUS_PAGES)) if CORPUS_PAGES else [0]),
        st.lists(
            st.tuples(st.floats(0, 1), st.integers(0, 64), st.binary(max_size=16)),
            min_size=1,
            max_size=8,
        ),
    )
    def test_mutated_real_pages(self, index, mutations):
        """Real pages with random slices replaced still give a PageLinks or a library error."""
        data, url = CORPUS_PAGES[index]
        mutated = bytearray(data)
        for where, length, replacement in mutations:
            start = int(where * len(mutated))
            mutated[start : start + length] = replacement
        try:
            page = extract_links(bytes(mutated), url)
        except BacklinkkitError:
            return
        assert isinstance(page, PageLinks)

    def test_real_pages_have_links(self):
        """Every sampled real page gives links, each with a URL or its raw href."""
        for data, url in CORPUS_PAGES:
            page = extract_links(data, url)
            assert len(page) > 0
            assert all(link.url is not None or link.href for link in page)


def test_exported():
    """extract_links is public API."""
    assert "extract_links" in backlinkkit.__all__
    assert backlinkkit.extract_links is extract_links


HTML_WITH_GT = b'<a href="/x" onclick="if (a > b) go()" title=\'1 > 0\'>x</a>' * 300


class TestAttributeCap:
    """One element's attributes past `MAX_ATTRIBUTES` are dropped before libxml2 parses them."""

    def test_page_with_100000_attributes_keeps_its_link(self):
        """href and rel before 100,000 other attributes: the link is there, rel and all."""
        storm = " ".join(f"a{i}" for i in range(100_000))
        page = extract_links(f'<a href="/x" rel="nofollow" {storm}>x</a><a href=/y>y</a>', PAGE)
        assert [(link.url, link.rel, link.text) for link in page] == [
            ("https://www.example.com/x", ("nofollow",), "x"),
            ("https://www.example.com/y", (), "y"),
        ]

    def test_counts_what_is_dropped(self):
        """The first MAX_ATTRIBUTES are kept as written, the rest dropped and counted."""
        names = [f"a{i}" for i in range(MAX_ATTRIBUTES + 5)]
        tag = "<p " + " ".join(f'{name}="{">" if i % 2 else ""}"' for i, name in enumerate(names))
        data, dropped = capped(f"{tag} />text".encode())
        kept = tag[: tag.index(f" {names[MAX_ATTRIBUTES]}=")]
        assert (data, dropped) == (f"{kept} />text".encode(), 5)

    def test_normal_page_is_the_same_bytes(self):
        """A page under the cap comes back as the very same bytes object, unscanned or not."""
        for data in (HTML_WITH_GT, b"<a href=/x>x</a>" * 500):
            assert capped(data) == (data, 0)
            assert capped(data)[0] is data

    @pytest.mark.parametrize("count", [MAX_ATTRIBUTES - 1, MAX_ATTRIBUTES])
    def test_a_tag_at_the_cap_is_left_alone(self, count):
        """Up to MAX_ATTRIBUTES attributes (values holding ">", so the tag is scanned): as is."""
        data = ("<a href=/x " + " ".join(f'a{i}=">"' for i in range(count - 1)) + ">x</a>").encode()
        assert capped(data) == (data, 0)

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "p", "area", "link", "x-y"]),
                st.lists(
                    st.tuples(
                        st.sampled_from(["href", "rel", "title", "x", "d", "data-v"]),
                        st.sampled_from(["", "/a", ">", "'", '"', "<b>", "a b", "=", "/"]),
                        st.sampled_from(['"', "'", ""]),
                    ),
                    max_size=40,
                ),
                st.sampled_from(["text", "", " <b>bold</b>", ">"]),
            ),
            max_size=80,
        )
    )
    def test_pages_under_the_cap_give_the_same_links(self, elements):
        """Any page whose tags stay under the cap: the same bytes, so the same links."""
        html = "".join(
            f"<{tag} "
            + " ".join(f"{name}={quote}{value}{quote}" for name, value, quote in attributes)
            + f">{text}</{tag}>"
            for tag, attributes, text in elements
        ).encode()
        assert capped(html) == (html, 0)
