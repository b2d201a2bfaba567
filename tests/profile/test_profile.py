"""LinkProfile: counts, anchors, time, tables, merging and pickling."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backlinkkit
from backlinkkit import (
    AnchorCategory,
    AnchorDiversity,
    Backlink,
    FlagName,
    InvalidURLError,
    LinkKind,
    LinkProfile,
    ProfileMergeError,
    Thresholds,
)
from backlinkkit._profile import _pages as pages_module

E, B, G, M = (
    AnchorCategory.EXACT_MATCH,
    AnchorCategory.BRANDED,
    AnchorCategory.GENERIC,
    AnchorCategory.EMPTY,
)


def link(source: str, anchor: str | None = "Example", **kwargs: object) -> Backlink:
    """A backlink to example.com from `source` (a host or a URL)."""
    url = source if "://" in source else f"https://{source}/"
    kwargs.setdefault("target_url", "https://example.com/")
    return Backlink(url, anchor=anchor, **kwargs)  # type: ignore[arg-type]


def followed(source: str, anchor: str | None = "Example", **kwargs: object) -> Backlink:
    return link(source, anchor, nofollow=False, sponsored=False, ugc=False, **kwargs)


def profile_of(links: list[Backlink], **kwargs: object) -> LinkProfile:
    kwargs.setdefault("keywords", ["running shoes"])
    p = LinkProfile("example.com", **kwargs)  # type: ignore[arg-type]
    p.update(links)
    return p


class TestConstruction:
    @pytest.mark.parametrize(
        ("domain", "expected"),
        [
            ("example.com", "example.com"),
            ("WWW.Example.COM.", "www.example.com"),
            ("https://shop.example.co.uk/path", "shop.example.co.uk"),
            ("Bücher.de", "xn--bcher-kva.de"),
        ],
    )
    def test_domain_is_normalized(self, domain, expected):
        """The target is kept as a lower-case punycode host, from a host or a URL."""
        assert LinkProfile(domain).domain == expected

    @pytest.mark.parametrize("domain", ["", "not a host", "http://", "a/b"])
    def test_bad_domain_raises(self, domain):
        """A target that is no host raises InvalidURLError, a ValueError too."""
        with pytest.raises(InvalidURLError):
            LinkProfile(domain)

    def test_single_string_is_one_keyword(self):
        """A lone string is one keyword (as for the classifier), not its characters."""
        p = LinkProfile("example.com", keywords="running shoes", brands="Acme")
        assert (p.keywords, p.brands) == (("running shoes",), ("Acme",))

    def test_owns_a_classifier_of_its_target(self):
        """The profile's classifier is built from the same target and settings."""
        p = LinkProfile("example.com", keywords=["running shoes"])
        assert p.classifier.classify("running shoes").category is E


class TestCounts:
    def test_empty_profile(self):
        """A profile that saw nothing counts zeros everywhere and flags too little data."""
        s = LinkProfile("example.com").summary()
        assert (s.backlinks, s.referring_domains, s.referring_pages) == (0, 0, 0)
        assert s.diversity_by_link == AnchorDiversity.of([])
        assert [f.name.value for f in LinkProfile("example.com").flags()] == ["insufficient_data"]

    @pytest.mark.parametrize(
        ("sources", "backlinks", "pages", "domains", "hosts"),
        [
            (["https://a.test/1"], 1, 1, 1, 1),
            (["https://a.test/1", "https://a.test/1"], 2, 1, 1, 1),
            (["https://a.test/1", "https://a.test/2"], 2, 2, 1, 1),
            (["https://a.test/1", "https://www.a.test/1"], 2, 2, 1, 2),
            (["https://a.test/", "https://b.test/", "http://c.a.test/"], 3, 3, 2, 3),
            (["https://x.blogspot.com/", "https://y.blogspot.com/"], 2, 2, 2, 2),
            (["https://a.co.uk/", "https://b.a.co.uk/"], 2, 2, 1, 2),
            (["http://192.0.2.1/page", "http://192.0.2.1:8080/"], 2, 2, 1, 1),
        ],
    )
    def test_links_pages_domains_hosts(self, sources, backlinks, pages, domains, hosts):
        """Backlinks count every link; pages distinct URLs; domains registrable domains."""
        s = profile_of([link(u) for u in sources]).summary()
        assert (s.backlinks, s.referring_pages, s.referring_domains, s.referring_hosts) == (
            backlinks,
            pages,
            domains,
            hosts,
        )
        assert s.referring_pages_exact

    @pytest.mark.parametrize(
        ("source", "own", "unparsed"),
        [
            ("https://example.com/blog", 1, 0),
            ("https://blog.example.com/", 1, 0),
            ("HTTPS://WWW.EXAMPLE.COM/", 1, 0),
            ("mailto:someone@example.org", 0, 1),
            ("not a url", 0, 1),
            ("https://", 0, 1),
            ("ftp://files.test/x", 0, 1),  # not a web page: no backlink, whatever its host
            ("ws://chat.test/", 0, 1),
            ("wss://chat.test/", 0, 1),
            ("file:///home/a.html", 0, 1),
            ("ftp://example.com/", 0, 1),
        ],
    )
    def test_own_and_hostless_links_are_skipped_and_counted(self, source, own, unparsed):
        """Links from the target's own site, or not from an http(s) page, are counted apart."""
        s = profile_of([Backlink(source, anchor="x")]).summary()
        assert (s.backlinks, s.own_links, s.unparsed_links) == (0, own, unparsed)

    def test_extra_slashes_are_hosts_as_browsers_read_them(self):
        """WHATWG skips extra slashes after a special scheme: no host is cached for `https://`."""
        links = [
            Backlink("https:///a.test/x"),
            Backlink("https:////b.test/"),
            Backlink("https://c.test"),
        ]
        assert [r.domain for r in profile_of(links).referring_domains()] == [
            "a.test",
            "b.test",
            "c.test",
        ]

    @pytest.mark.parametrize(
        ("rel", "expected"),
        [
            ((False, False, False), (1, 0, 0, 0, 0)),
            ((True, False, False), (0, 1, 0, 0, 0)),
            ((False, True, False), (0, 0, 1, 0, 0)),
            ((False, False, True), (0, 0, 0, 1, 0)),
            ((True, True, True), (0, 1, 1, 1, 0)),
            ((None, None, None), (0, 0, 0, 0, 1)),
            ((False, None, None), (0, 0, 0, 0, 1)),
            ((True, None, None), (0, 1, 0, 0, 0)),
        ],
    )
    def test_rel_counts_with_unknowns(self, rel, expected):
        """Followed needs all three rel values known and false; any true one makes it unfollowed."""
        nofollow, sponsored, ugc = rel
        s = profile_of([link("a.test", nofollow=nofollow, sponsored=sponsored, ugc=ugc)]).summary()
        assert (s.followed, s.nofollow, s.sponsored, s.ugc, s.follow_unknown) == expected

    @pytest.mark.parametrize(
        ("kind", "text", "image"),
        [
            (LinkKind.TEXT, 1, 0),
            (LinkKind.MIXED, 1, 0),
            (LinkKind.IMAGE, 0, 1),
            (LinkKind.EMPTY, 0, 0),
            (None, 0, 0),
        ],
    )
    def test_kinds(self, kind, text, image):
        """Text links include mixed ones; image links are image-only."""
        s = profile_of([link("a.test", kind=kind)]).summary()
        assert (s.text_links, s.image_links) == (text, image)

    @pytest.mark.parametrize(
        ("ips", "n_ips", "n_subnets"),
        [
            (["192.0.2.1"], 1, 1),
            (["192.0.2.1", "192.0.2.200"], 2, 1),
            (["192.0.2.1", "198.51.100.1"], 2, 2),
            (["not an ip", "999.1.1.1", "01.2.3.4"], 0, 0),
            (["2001:db8::1", "2001:db8:0:1::2"], 2, 1),
            ([None], 0, 0),
        ],
    )
    def test_ips_and_subnets(self, ips, n_ips, n_subnets):
        """IPs count when valid; subnets are /24 for IPv4 and /48 for IPv6."""
        s = profile_of([link(f"s{i}.test", source_ip=ip) for i, ip in enumerate(ips)]).summary()
        assert (s.referring_ips, s.referring_subnets) == (n_ips, n_subnets)

    def test_subnet_table_counts_domains_per_subnet(self):
        """The subnet table lists each /24 with its referring domains, biggest first."""
        links = [link(f"s{i}.test", source_ip=f"192.0.2.{i + 1}") for i in range(3)]
        links.append(link("other.test", source_ip="198.51.100.7"))
        rows = profile_of(links).subnet_table()
        assert rows[0] == {"subnet": "192.0.2.0/24", "referring_domains": 3, "links": 3}
        assert rows[1]["subnet"] == "198.51.100.0/24"

    def test_tlds_per_referring_domain(self):
        """TLDs count referring domains (and their links) by last label."""
        links = [link("a.de"), link("b.de"), link("b.de"), link("c.co.uk"), link("192.0.2.1")]
        rows = profile_of(links).tld_table()
        assert rows == [
            {"tld": "de", "referring_domains": 2, "links": 3},
            {"tld": "(ip)", "referring_domains": 1, "links": 1},
            {"tld": "uk", "referring_domains": 1, "links": 1},
        ]

    @pytest.mark.parametrize(
        ("target", "homepage"),
        [
            ("https://example.com/", True),
            ("https://example.com", True),
            ("http://www.example.com/", True),
            ("https://example.com/?ref=1", False),
            ("https://example.com/shop", False),
            ("https://example.com/#top", True),  # a fragment never reaches the server
            ("ftp://example.com/", False),
        ],
    )
    def test_homepage_targets(self, target, homepage):
        """The homepage is the site root with nothing after it; the rest are deep links."""
        rows = profile_of([link("a.test", target_url=target)]).target_table()
        assert rows == [
            {"target_url": target, "links": 1, "referring_domains": 1, "homepage": homepage}
        ]

    def test_homepage_share_and_deep_link_ratio(self):
        """to_dict reports the homepage share and deep-link ratio of links with a known target."""
        links = [link("a.test"), link("b.test", target_url="https://example.com/p")]
        links += [link("c.test", target_url=None)]
        pages = profile_of(links).to_dict()["target_pages"]
        assert pages == {
            "pages": 2,
            "homepage_links": 1,
            "deep_links": 1,
            "unknown_links": 1,
            "homepage_share": 0.5,
            "deep_link_ratio": 0.5,
        }

    def test_referring_domain_record(self):
        """A referring domain's record gathers its links, rel, anchors, IPs, dates and markers."""
        links = [
            followed("https://www.a.test/1", "running shoes", source_ip="192.0.2.1",
                     first_seen=dt.date(2024, 3, 5), spam=True, domain_rating=41.0,
                     external_links=120),
            link("https://blog.a.test/2", "Example", nofollow=True, lost=dt.date(2024, 6, 1),
                 first_seen=dt.date(2024, 1, 1), toxicity=71.0,
                 toxic_markers=("Spam", "Link network"), domain_rating=43.0, url_rating=12.0),
            link("https://a.test/3", None, last_seen=dt.date(2024, 7, 1), sitewide=True,
                 target_url="https://example.com/shop"),
        ]  # fmt: skip
        (row,) = profile_of(links).referring_domains()
        assert row.domain == "a.test"
        assert (row.links, row.hosts) == (3, 3)
        assert (row.followed_links, row.nofollow_links, row.follow_unknown_links) == (1, 1, 1)
        assert (row.anchor_categories[E], row.anchor_categories[B], row.anchor_unknown_links) == (
            1,
            1,
            1,
        )
        assert row.categories == {E, B}
        assert (row.ips, row.subnets) == (("192.0.2.1",), ("192.0.2.0/24",))
        assert (row.first_seen, row.last_seen) == (dt.date(2024, 1, 1), dt.date(2024, 7, 1))
        assert (row.lost, row.lost_links) == (None, 1)
        assert (row.spam_links, row.toxicity, row.toxic_markers) == (
            1,
            71.0,
            ("Link network", "Spam"),
        )
        assert row.sitewide_marked == 1
        assert row.is_sitewide()
        assert (row.domain_rating, row.url_rating, row.external_links) == (43.0, 12.0, 120)
        assert row.target_pages == 2

    @pytest.mark.parametrize(
        "extra", [{"Is spam": "TRUE"}, {"Toxicity Score": "90"}, {"Sitewide": "TRUE"}]
    )
    def test_tool_columns_left_in_extra_are_not_signals(self, extra):
        """Signals come from the typed fields the importers fill, never from `extra` names."""
        (row,) = profile_of([link("a.test", extra=extra)]).referring_domains()
        assert (row.spam_links, row.toxicity, row.sitewide_marked) == (0, None, 0)

    def test_unreadable_scores_are_no_signal(self):
        """A toxicity that is no finite number (from a caller's record) counts as unknown."""
        (row,) = profile_of([link("a.test", toxicity=float("nan"))]).referring_domains()
        assert row.toxicity is None


class TestAnchors:
    def test_sitewide_link_does_not_outweigh_editorial_links(self):
        """Per referring domain, 100 footer links from one site count once, like one article."""
        links = [link(f"https://footer.test/p{i}", "running shoes") for i in range(100)]
        links += [link(f"site{i}.test", "Example") for i in range(3)]
        s = profile_of(links).summary()
        assert s.anchor_categories_by_link[E] == 100
        assert s.anchor_categories[E] == 1
        assert s.anchor_categories[B] == 3

    def test_domain_counts_once_per_category_it_uses(self):
        """A referring domain using two categories counts once in each."""
        links = [link("a.test", "Example"), link("a.test", "Example"), link("a.test", "here")]
        s = profile_of(links).summary()
        assert (s.anchor_categories[B], s.anchor_categories[G]) == (1, 1)
        assert (s.anchor_categories_by_link[B], s.anchor_categories_by_link[G]) == (2, 1)

    def test_unknown_anchor_is_not_empty(self):
        """An unknown anchor (None) is counted apart; an empty one ("") is EMPTY."""
        s = profile_of([link("a.test", None), link("b.test", "")]).summary()
        assert s.anchor_unknown == 1
        assert s.anchor_categories[M] == 1
        assert sum(s.anchor_categories_by_link.values()) == 1

    def test_summary_lists_every_category(self):
        """Both category mappings hold every category, in the enum's order."""
        s = profile_of([link("a.test")]).summary()
        assert list(s.anchor_categories) == list(AnchorCategory)
        assert list(s.anchor_categories_by_link) == list(AnchorCategory)

    @pytest.mark.parametrize(
        ("anchors", "expected"),
        [
            (["Click  Here", "click here", " CLICK HERE "], ["click here"]),
            (["Example", "example"], ["example"]),
            (["a", "b"], ["a", "b"]),
        ],
    )
    def test_anchors_grouped_by_collapsed_casefolded_text(self, anchors, expected):
        """Anchors are grouped after collapsing whitespace and folding case."""
        rows = profile_of([link(f"s{i}.test", a) for i, a in enumerate(anchors)]).anchor_table()
        assert [r["anchor"] for r in rows] == expected

    def test_anchor_table_orders_by_domains_then_links(self):
        """Top anchors: most referring domains first, then most links, then text."""
        links = [link("a.test", "zeta")] * 5 + [link("b.test", "alpha"), link("c.test", "alpha")]
        rows = profile_of(links).anchor_table()
        assert [(r["anchor"], r["referring_domains"], r["links"]) for r in rows] == [
            ("alpha", 2, 2),
            ("zeta", 1, 5),
        ]
        assert rows[0]["domain_share"] == 2 / 3
        assert rows[1]["link_share"] == 5 / 7

    def test_category_table_shares(self):
        """The category table gives per-domain and per-link counts and shares."""
        links = [link("a.test", "running shoes"), link("a.test", "Example"), link("b.test")]
        rows = {r["category"]: r for r in profile_of(links).category_table()}
        assert rows["branded"] == {
            "category": "branded",
            "referring_domains": 2,
            "domain_share": 1.0,
            "links": 2,
            "link_share": 2 / 3,
        }
        assert rows["exact_match"]["domain_share"] == 0.5

    @pytest.mark.parametrize(
        ("weights", "entropy", "herfindahl", "top1", "top10"),
        [
            ([], 0.0, 0.0, 0.0, 0.0),
            ([5], 0.0, 1.0, 1.0, 1.0),
            ([1, 1], 1.0, 0.5, 0.5, 1.0),
            ([1, 1, 1, 1], 1.0, 0.25, 0.25, 1.0),
            ([1] * 20, 1.0, 0.05, 0.05, 0.5),
            ([3, 1], 0.811278, 0.625, 0.75, 1.0),
        ],
    )
    def test_diversity_measures(self, weights, entropy, herfindahl, top1, top10):
        """Normalized entropy, Herfindahl index and top-1/top-10 shares, on known inputs."""
        d = AnchorDiversity.of(weights)
        assert (d.distinct, d.total) == (len(weights), sum(weights))
        assert d.entropy == pytest.approx(entropy, abs=1e-6)
        assert d.herfindahl == pytest.approx(herfindahl)
        assert (d.top1_share, d.top10_share) == (pytest.approx(top1), pytest.approx(top10))

    def test_diversity_by_link_and_by_domain_differ_for_sitewide(self):
        """A sitewide anchor dominates per link, not per referring domain."""
        links = [link(f"https://big.test/{i}", "footer") for i in range(98)]
        links += [link("a.test", "one"), link("b.test", "two")]
        s = profile_of(links).summary()
        assert s.diversity_by_link.top1_share == 0.98
        assert s.diversity_by_domain.top1_share == pytest.approx(1 / 3)


class TestTime:
    def test_month_table_new_and_lost(self):
        """Months run from the first dated one to the last, gaps filled with zeros."""
        links = [
            link("a.test", first_seen=dt.date(2024, 1, 10)),
            link("a.test", first_seen=dt.date(2024, 3, 2), lost=dt.date(2024, 3, 20)),
            link("b.test", first_seen=dt.date(2024, 3, 5), lost=dt.date(2024, 4, 1)),
        ]
        assert profile_of(links).month_table() == [
            {"month": "2024-01", "new_links": 1, "lost_links": 0, "new_domains": 1, "lost_domains": 0},
            {"month": "2024-02", "new_links": 0, "lost_links": 0, "new_domains": 0, "lost_domains": 0},
            {"month": "2024-03", "new_links": 2, "lost_links": 1, "new_domains": 1, "lost_domains": 0},
            {"month": "2024-04", "new_links": 0, "lost_links": 1, "new_domains": 0, "lost_domains": 1},
        ]  # fmt: skip

    def test_no_dates_no_months(self):
        """Without dates there is no month table (not a row of zeros)."""
        assert profile_of([link("a.test")]).month_table() == []

    def test_domain_lost_only_when_every_link_is(self):
        """A referring domain is lost when all its links are, at the last loss."""
        links = [
            link("a.test", lost=dt.date(2024, 1, 5)),
            link("https://a.test/2", lost=dt.date(2024, 2, 5)),
            link("b.test", lost=dt.date(2024, 1, 5)),
            link("https://b.test/2"),
        ]
        rows = {r.domain: r for r in profile_of(links).referring_domains()}
        assert rows["a.test"].lost == dt.date(2024, 2, 5)
        assert rows["b.test"].lost is None


# -- merging ---------------------------------------------------------------------------------

HOSTS = ["a.test", "www.a.test", "b.test", "c.co.uk", "x.blogspot.com", "example.com", "192.0.2.9"]
ANCHORS = [None, "", "Example", "running shoes", "best running shoes", "click here", "Ünï x"]
DATES = [None, dt.date(2024, 1, 31), dt.date(2024, 2, 1), dt.date(2024, 7, 15)]

backlinks = st.builds(
    Backlink,
    source_url=st.builds(
        "https://{}/{}".format, st.sampled_from(HOSTS), st.integers(0, 3).map(str)
    ),
    target_url=st.sampled_from([None, "https://example.com/", "https://example.com/p"]),
    anchor=st.sampled_from(ANCHORS),
    nofollow=st.sampled_from([None, False, True]),
    sponsored=st.sampled_from([None, False, True]),
    ugc=st.sampled_from([None, False]),
    kind=st.sampled_from([None, *LinkKind]),
    first_seen=st.sampled_from(DATES),
    last_seen=st.sampled_from(DATES),
    lost=st.sampled_from(DATES),
    source_ip=st.sampled_from([None, "192.0.2.1", "192.0.2.77", "bad", "2001:db8::1"]),
    extra=st.sampled_from([{}, {"Is spam": "TRUE"}, {"Toxicity Score": "65"}, {"Sitewide": "1"}]),
)


def split(links: list[Backlink], cuts: list[int]) -> list[list[Backlink]]:
    """Three consecutive parts (maybe empty) of `links`, cut at the two positions given."""
    first, second = sorted(min(c, len(links)) for c in cuts)
    return [links[:first], links[first:second], links[second:]]


class TestMerge:
    @given(st.lists(backlinks, max_size=30), st.lists(st.integers(0, 30), min_size=2, max_size=2))
    def test_associative_and_equal_to_one_pass(self, links, cuts):
        """(a | b) | c == a | (b | c) == the profile of all the links in one pass."""
        a, b, c = (profile_of(part) for part in split(links, cuts))
        whole = profile_of(links)
        assert (a | b) | c == a | (b | c) == whole
        assert ((a | b) | c).summary() == whole.summary()
        assert ((a | b) | c).to_dict() == whole.to_dict()

    @given(st.lists(backlinks, max_size=30), st.randoms(use_true_random=False))
    def test_order_does_not_change_results(self, links, rng):
        """The same links in another order, and merged in another order, give equal results."""
        shuffled = list(links)
        rng.shuffle(shuffled)
        half = len(links) // 2
        a, b = profile_of(shuffled[:half]), profile_of(shuffled[half:])
        whole = profile_of(links)
        assert b | a == a | b == whole
        assert (b | a).summary() == whole.summary()
        assert (b | a).to_dict() == whole.to_dict()
        assert (b | a).domain_table() == whole.domain_table()

    def test_merge_does_not_change_its_inputs(self):
        """merge and | return a new profile; the inputs keep their counts."""
        a, b = profile_of([link("a.test")]), profile_of([link("b.test")])
        merged = a.merge(b)
        merged.add(link("c.test"))
        assert (a.summary().backlinks, b.summary().backlinks) == (1, 1)
        assert merged.summary().backlinks == 3

    def test_merge_many(self):
        """merge takes any number of profiles."""
        parts = [profile_of([link(f"s{i}.test")]) for i in range(4)]
        assert parts[0].merge(*parts[1:]).summary().referring_domains == 4

    @pytest.mark.parametrize(
        "other",
        [
            {"domain": "other.com"},
            {"domain": "www.example.com"},
            {"keywords": ["trail shoes"]},
            {"brands": ["Acme"]},
            {"generic_phrases": ["here"]},
        ],
    )
    def test_different_targets_refuse_to_merge(self, other):
        """Profiles of another target or other settings raise ProfileMergeError naming them."""
        settings = {"domain": "example.com", "keywords": ["running shoes"]} | other
        with pytest.raises(ProfileMergeError, match="differ"):
            profile_of([]).merge(LinkProfile(**settings))  # type: ignore[arg-type]

    def test_other_types_do_not_merge_or_compare(self):
        """`profile | 3` and `merge(3)` are TypeErrors; a profile never equals another type."""
        with pytest.raises(TypeError):
            profile_of([]) | 3  # type: ignore[operator]
        with pytest.raises(TypeError, match="int"):
            profile_of([]).merge(3)  # type: ignore[arg-type]
        assert profile_of([]) != 3

    def test_exact_parts_past_the_limit_together_become_a_sketch(self, monkeypatch):
        """Two exact page sets whose union passes the limit merge into the sketch of the whole."""
        monkeypatch.setattr(pages_module, "EXACT_PAGES", 50)
        links = [link(f"https://s.test/{i}") for i in range(80)]
        a, b = profile_of(links[:40]), profile_of(links[40:])
        assert a.summary().referring_pages_exact
        assert a | b == profile_of(links)
        assert not (a | b).summary().referring_pages_exact

    def test_past_exact_limit_pages_are_estimated_and_still_merge(self, monkeypatch):
        """Past the exact limit, referring pages come from a sketch that merges exactly."""
        monkeypatch.setattr(pages_module, "EXACT_PAGES", 50)
        links = [link(f"https://s{i % 40}.test/{i}") for i in range(2000)]
        whole = profile_of(links)
        parts = [profile_of(links[i::3]) for i in range(3)]
        small = profile_of(links[:10])  # still exact: merged into sketches
        s = whole.summary()
        assert not s.referring_pages_exact
        assert s.referring_pages == pytest.approx(2000, rel=0.03)
        assert parts[0] | parts[1] | parts[2] == whole
        assert (parts[2] | parts[0] | parts[1]).summary() == s
        assert (small | whole).summary().referring_pages == s.referring_pages
        assert (
            parts[0] | small | parts[1] | parts[2]
        ).summary().referring_pages == s.referring_pages


class TestPickle:
    @given(st.lists(backlinks, max_size=20))
    def test_round_trip(self, links):
        """A pickled profile comes back equal, with equal results, and still takes links."""
        p = profile_of(links)
        q = pickle.loads(pickle.dumps(p))
        assert q == p
        assert q.summary() == p.summary()
        q.add(link("new.test"))
        assert q.summary().backlinks == p.summary().backlinks + 1

    def test_summary_pickles(self):
        """A ProfileSummary survives pickling (its mappings are read-only views)."""
        s = profile_of([link("a.test")]).summary()
        assert pickle.loads(pickle.dumps(s)) == s


class TestOutputs:
    def test_to_dict_is_json_with_stable_keys(self):
        """to_dict is JSON-serializable and has the documented top-level keys."""
        links = [followed(f"s{i}.test", source_ip="192.0.2.1", first_seen=dt.date(2024, 1, 1))
                 for i in range(3)]  # fmt: skip
        d = profile_of(links).to_dict()
        assert list(d) == [
            "target",
            "summary",
            "anchor_categories",
            "top_anchors",
            "top_domains",
            "tlds",
            "subnets",
            "target_pages",
            "months",
            "flags",
        ]
        assert json.loads(json.dumps(d)) == d

    @pytest.mark.parametrize(
        "table",
        ["anchor_table", "category_table", "domain_table", "month_table", "target_table",
         "tld_table", "subnet_table"],
    )  # fmt: skip
    def test_tables_are_lists_of_flat_records(self, table):
        """Each table is a list of dicts with the same keys, JSON-ready."""
        links = [followed(f"s{i}.test", source_ip="192.0.2.1", first_seen=dt.date(2024, 1, 1))
                 for i in range(3)]  # fmt: skip
        rows = getattr(profile_of(links), table)()
        assert rows
        assert all(list(row) == list(rows[0]) for row in rows)
        assert json.loads(json.dumps(rows)) == rows

    def test_tables_make_dataframes(self):
        """pandas.DataFrame(profile.anchor_table()) just works."""
        pandas = pytest.importorskip("pandas")
        frame = pandas.DataFrame(profile_of([link("a.test"), link("b.test", "x")]).anchor_table())
        assert list(frame["anchor"]) == ["example", "x"]

    def test_results_follow_new_links(self):
        """Results computed once are recomputed after more links arrive."""
        p = profile_of([link("a.test")])
        assert p.summary().backlinks == 1
        p.add(link("b.test"))
        assert p.summary().backlinks == 2
        assert len(p.referring_domains()) == 2

    def test_repr_names_target_and_size(self):
        """The repr says whose profile it is and how big."""
        assert repr(profile_of([link("a.test"), link("b.test")])) == (
            "<LinkProfile 'example.com': 2 backlinks from 2 referring domains>"
        )

    def test_referring_domain_fills_missing_categories(self):
        """A ReferringDomain made by hand gets every category, missing ones at zero."""
        (row,) = profile_of([link("a.test")]).referring_domains()
        made = attrs.evolve(row, anchor_categories={B: 1})
        assert made.anchor_categories == row.anchor_categories
        assert list(made.anchor_categories) == list(AnchorCategory)

    def test_exported_from_the_package(self):
        """The profile's public names come from `backlinkkit`."""
        for name in ("LinkProfile", "ProfileSummary", "AnchorDiversity", "ReferringDomain"):
            assert name in backlinkkit.__all__


class TestRecordsWhenFirstRead:
    @given(st.lists(backlinks, max_size=30))
    def test_same_results_whichever_is_asked_first(self, links):
        """Flags read per-domain sums, not records: asked before or after the records, alike."""
        records_first, flags_first = profile_of(links), profile_of(links)
        domains = records_first.referring_domains()
        thresholds = Thresholds(sitewide_min_links=2, top_domains=2, min_referring_domains=1)
        flags = flags_first.flags(thresholds)
        summary = flags_first.summary()
        assert flags == records_first.flags(thresholds)
        assert summary == records_first.summary()
        assert flags_first.referring_domains() == domains
        assert flags_first.to_dict() == records_first.to_dict()

    def test_sitewide_facts_are_the_records(self):
        """The flags' sitewide counts are those of `ReferringDomain.is_sitewide`."""
        links = [followed(f"https://a.test/{i}") for i in range(3)]
        links += [followed("https://b.test/", extra={"Sitewide": "1"}, sitewide=True)]
        links += [followed("https://c.test/")]
        profile = profile_of(links)
        t = Thresholds(sitewide_min_links=3, sitewide_link_share=0.01, min_referring_domains=1)
        (flag,) = [f for f in profile.flags(t) if f.name is FlagName.SITEWIDE_LINKS]
        sitewide = [d for d in profile.referring_domains() if d.is_sitewide(t)]
        assert [d.domain for d in sitewide] == ["a.test", "b.test"]
        assert flag.value == pytest.approx(sum(d.links for d in sitewide) / 5)
