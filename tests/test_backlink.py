"""The `Link` and `Backlink` values: derived properties and the link-to-backlink bridge."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

from backlinkkit import Backlink, Link, LinkKind, Section


class TestLink:
    @pytest.mark.parametrize(
        ("text", "alts", "anchor"),
        [
            ("Shop", (), "Shop"),
            ("Shop", ("logo",), "Shop"),
            ("", ("Example", None, " logo "), "Example logo"),
            ("", (None, "", "  "), ""),
            ("", (), ""),
        ],
    )
    def test_anchor_is_text_else_alts(self, text, alts, anchor):
        """The anchor is the text, or the images' alt texts joined when there is no text."""
        assert Link(href="/", url=None, text=text, image_alts=alts).anchor == anchor

    @pytest.mark.parametrize(
        ("rel", "nofollow", "sponsored", "ugc"),
        [
            ((), False, False, False),
            (("nofollow",), True, False, False),
            (("sponsored", "nofollow"), True, True, False),
            (("ugc",), False, False, True),
            (("noopener", "noreferrer"), False, False, False),
        ],
    )
    def test_rel_flags(self, rel, nofollow, sponsored, ugc):
        """The rel booleans read the rel tokens."""
        link = Link(href="/", url=None, rel=rel)
        assert (link.nofollow, link.sponsored, link.ugc) == (nofollow, sponsored, ugc)

    @pytest.mark.parametrize(
        ("url", "scheme"),
        [
            ("https://example.com/", "https"),
            ("mailto:a@example.com", "mailto"),
            ("javascript:void(0)", "javascript"),
            (None, None),
        ],
    )
    def test_scheme(self, url, scheme):
        """The scheme comes from the resolved URL; an unparsable href has none."""
        assert Link(href="x", url=url).scheme == scheme

    def test_values_are_immutable_and_hashable(self):
        """Links are frozen values: equal by value, usable in sets, changed only by copy."""
        link = Link(href="/a", url="https://example.com/a")
        assert link == Link(href="/a", url="https://example.com/a")
        assert len({link, Link(href="/a", url="https://example.com/a")}) == 1
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            link.text = "changed"  # type: ignore[misc]
        assert attrs.evolve(link, text="new").text == "new"


class TestBacklinkFromLink:
    @pytest.mark.parametrize(
        ("rel", "followed", "nofollow", "sponsored", "ugc"),
        [
            ((), True, False, False, False),
            (("nofollow",), False, True, False, False),
            (("sponsored",), False, False, True, False),
            (("ugc", "nofollow"), False, True, False, True),
            # no rel, yet not followed: the page's robots said nofollow
            ((), False, True, False, False),
            # a rel that explains it: no extra nofollow invented
            (("ugc",), False, False, False, True),
        ],
    )
    def test_rel_and_page_robots(self, rel, followed, nofollow, sponsored, ugc):
        """A backlink's rel comes from the link; a nofollow page makes its links nofollow."""
        link = Link(href="/", url="https://example.com/", rel=rel, followed=followed)
        backlink = Backlink.from_link(link, "https://blog.test/post")
        assert (backlink.nofollow, backlink.sponsored, backlink.ugc) == (nofollow, sponsored, ugc)
        assert backlink.followed is followed

    def test_carries_what_the_link_knows(self):
        """URL, anchor (alt texts for an image link), kind and section carry over."""
        link = Link(
            href="/shoes",
            url="https://example.com/shoes",
            image_alts=("Example shoes",),
            kind=LinkKind.IMAGE,
            section=Section.FOOTER,
        )
        backlink = Backlink.from_link(link, "https://blog.test/post")
        assert backlink.source_url == "https://blog.test/post"
        assert backlink.target_url == "https://example.com/shoes"
        assert backlink.anchor == "Example shoes"
        assert backlink.kind is LinkKind.IMAGE
        assert backlink.section is Section.FOOTER
        assert backlink.first_seen is None


class TestBacklink:
    @pytest.mark.parametrize(
        ("flags", "followed"),
        [
            ((False, False, False), True),
            ((True, None, None), False),
            ((False, None, False), None),
            ((None, None, None), None),
            ((None, True, None), False),
        ],
    )
    def test_followed_is_unknown_when_any_rel_fact_is(self, flags, followed):
        """Followed needs all three rel facts; any True settles it; otherwise unknown stays None."""
        nofollow, sponsored, ugc = flags
        backlink = Backlink("https://a.test/", nofollow=nofollow, sponsored=sponsored, ugc=ugc)
        assert backlink.followed is followed

    @pytest.mark.parametrize(
        ("source_url", "host", "domain"),
        [
            ("https://WWW.Blog.example.co.uk/post", "www.blog.example.co.uk", "example.co.uk"),
            ("https://foo.blogspot.com/", "foo.blogspot.com", "foo.blogspot.com"),
            ("http://192.0.2.7/x", "192.0.2.7", "192.0.2.7"),
            ("not a url", None, None),
        ],
    )
    def test_source_host_and_domain(self, source_url, host, domain):
        """The referring host and domain come from the source URL, by the bundled PSL."""
        backlink = Backlink(source_url)
        assert (backlink.source_host, backlink.source_domain) == (host, domain)

    def test_extra_is_read_only_and_not_hashed(self):
        """The tool's own columns are kept read-only; they take no part in the hash."""
        columns = {"Domain rating": "71"}
        backlink = Backlink("https://a.test/", extra=columns)
        columns["Domain rating"] = "5"
        assert backlink.extra["Domain rating"] == "71"
        with pytest.raises(TypeError):
            backlink.extra["x"] = "y"  # type: ignore[index]
        assert hash(backlink) == hash(Backlink("https://a.test/", extra={"other": "1"}))
        assert backlink != Backlink("https://a.test/", extra={"other": "1"})

    def test_pickles(self):
        """Backlinks cross process boundaries (profiles are built in several processes)."""
        backlink = Backlink("https://a.test/", first_seen=dt.date(2026, 1, 2), extra={"k": "v"})
        assert pickle.loads(pickle.dumps(backlink)) == backlink
