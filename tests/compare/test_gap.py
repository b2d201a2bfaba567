"""link_gap: who links to competitors and not to you; the intersection; each one's uniques."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    AnchorCategory,
    AuthorityBucket,
    AuthorityMetric,
    Backlink,
    ComparisonError,
    GapDomain,
    ImportedAuthority,
    LinkProfile,
    WebGraphRank,
    link_gap,
)


def profile(site: str, links: dict[str, int | list[str]], **settings: object) -> LinkProfile:
    """A profile of `site`: per referring domain, a number of links or the list of anchors."""
    p = LinkProfile(site, **settings)  # type: ignore[arg-type]
    for source, spec in links.items():
        anchors = spec if isinstance(spec, list) else ["read more"] * spec
        p.update(
            Backlink(f"https://www.{source}/p{i}", f"https://{site}/", anchor=anchor)
            for i, anchor in enumerate(anchors)
        )
    return p


def rank(name: str, position: int) -> WebGraphRank:
    return WebGraphRank(name=name, harmonic_position=position, harmonic_centrality=1.0,
                        pagerank_position=position, pagerank=1e-6, hosts=1)  # fmt: skip


ME = profile("me.test", {"news.test": 2, "common.test": 1})
A = profile(
    "a.test", {"news.test": 1, "blog.test": 3, "wiki.test": 1, "common.test": 4, "x.test": 1}
)
B = profile("b.test", {"blog.test": 1, "shop.test": 2, "common.test": 1, "x.test": 1})
C = profile("c.test", {"blog.test": 2, "forum.test": 5, "x.test": 1})


class TestLinkGap:
    def test_authority_from_the_competitors_profiles(self):
        """Without `authority=`, a row takes the first competitor profile's authority for it
        (its ranks, else an export score); a domain given in `authority=` takes that."""
        a = profile("a.test", {"blog.test": 1, "ranked.test": 1})
        a.add(Backlink("https://scored.test/p", "https://a.test/", domain_rating=50.0))
        b = profile("b.test", {"ranked.test": 1})
        b.authority = {"ranked.test": rank("ranked.test", 70)}
        gap = link_gap(ME, [a, b])
        assert {r.domain: r.bucket.value for r in gap.gap} == {
            "ranked.test": "top-10k", "scored.test": "top-1m", "blog.test": "unknown",
        }  # fmt: skip
        given = link_gap(ME, [a, b], authority={"scored.test": rank("scored.test", 3)})
        assert given.gap[1].domain == "scored.test"
        assert given.gap[1].authority == rank("scored.test", 3)

    def test_gap_lists(self):
        """The gap, intersection and uniques of three crafted competitors, exactly."""
        gap = link_gap(ME, [A, B, C])
        assert [(r.domain, r.competitors, r.links) for r in gap.gap] == [
            ("blog.test", ("a.test", "b.test", "c.test"), 6),
            ("x.test", ("a.test", "b.test", "c.test"), 3),
            ("forum.test", ("c.test",), 5),
            ("shop.test", ("b.test",), 2),
            ("wiki.test", ("a.test",), 1),
        ]
        assert [r.domain for r in gap.intersection] == ["blog.test", "x.test"]
        assert {name: [r.domain for r in rows] for name, rows in gap.unique.items()} == {
            "a.test": ["wiki.test"],
            "b.test": ["shop.test"],
            "c.test": ["forum.test"],
        }
        assert gap.target_domains == 2  # news.test and common.test link to me too
        assert gap.competitors == ("a.test", "b.test", "c.test")

    @pytest.mark.parametrize(
        ("k", "expected"),
        [
            (1, ["blog.test", "x.test", "forum.test", "shop.test", "wiki.test"]),
            (2, ["blog.test", "x.test"]),
            (3, ["blog.test", "x.test"]),
        ],
    )
    def test_min_competitors(self, k, expected):
        """`min_competitors` keeps the domains linking to at least k competitors."""
        assert [r.domain for r in link_gap(ME, [A, B, C], min_competitors=k).gap] == expected

    def test_per_competitor_links_and_anchors(self):
        """Links per competitor, and anchor categories summed, each classified for its site."""
        a = profile("a.test", {"blog.test": ["A Test", "running shoes"]}, keywords="running shoes")
        b = profile("b.test", {"blog.test": ["running shoes", "here"]}, brands="Bee")
        row = link_gap(ME, [a, b]).gap[0]
        assert dict(row.links_by_competitor) == {"a.test": 2, "b.test": 2}
        categories = {c: n for c, n in row.anchor_categories.items() if n}
        # "running shoes" is exact for a.test (its keyword), other text for b.test (none given).
        assert categories == {
            AnchorCategory.BRANDED: 1,
            AnchorCategory.EXACT_MATCH: 1,
            AnchorCategory.OTHER: 1,
            AnchorCategory.GENERIC: 1,
        }
        assert set(row.anchor_categories) == set(AnchorCategory)

    def test_work_order_by_authority_then_links(self):
        """Same competitor count: the better authority band first, unknown last, then links."""
        a = profile("a.test", {"big.test": 1, "mid.test": 9, "small.test": 2, "none.test": 50,
                               "tie.test": 3})  # fmt: skip
        authority = {
            "big.test": rank("big.test", 500),
            "mid.test": ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 75),
            "small.test": rank("small.test", 20_000_000),
            "tie.test": ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 72),
        }
        gap = link_gap(ME, [a], authority=authority)
        assert [r.domain for r in gap.gap] == [
            "big.test", "mid.test", "tie.test", "small.test", "none.test",
        ]  # fmt: skip
        assert [r.bucket for r in gap.gap] == [
            AuthorityBucket.TOP_10K,
            AuthorityBucket.TOP_100K,
            AuthorityBucket.TOP_100K,
            AuthorityBucket.BEYOND_10M,
            AuthorityBucket.UNKNOWN,
        ]

    def test_one_competitor(self):
        """With one competitor every gap domain is the intersection, and none is unique."""
        gap = link_gap(ME, [B])
        assert [r.domain for r in gap.intersection] == [r.domain for r in gap.gap]
        assert gap.unique == {"b.test": ()}

    def test_own_sites_are_no_prospects(self):
        """A competitor (or the target) linking to a competitor is left out of every list."""
        a = profile("a.test", {"b.test": 3, "blog.test": 1, "me.test": 2})
        gap = link_gap(ME, [a, B])
        domains = {r.domain for r in gap.gap}
        assert {"b.test", "me.test"}.isdisjoint(domains)
        assert gap.own_sites == {"me.test", "a.test", "b.test"}

    @pytest.mark.parametrize(
        ("competitors", "k", "message"),
        [
            ([], 1, "at least one competitor"),
            (["a.test", "a.test"], 1, "more than once: a.test"),
            (["me.test", "a.test"], 1, "among its own competitors"),
            (["a.test", "b.test"], 0, "from 1 to the number of competitors \\(2\\)"),
            (["a.test", "b.test"], 3, "not 3"),
        ],
    )
    def test_bad_calls(self, competitors, k, message):
        """Impossible comparisons are refused with the library's error, saying what is wrong."""
        profiles = [profile(site, {"blog.test": 1}) for site in competitors]
        with pytest.raises(ComparisonError, match=message):
            link_gap(ME, profiles, min_competitors=k)

    def test_records(self):
        """to_dict nests lists and dicts; table() gives flat CSV rows that pandas and csv read."""
        authority = {"blog.test": rank("blog.test", 42)}
        gap = link_gap(ME, [A, B, C], authority=authority)
        record = gap.gap[0].to_dict()
        assert record["competitors"] == ["a.test", "b.test", "c.test"]
        assert record["links_by_competitor"] == {"a.test": 3, "b.test": 1, "c.test": 2}
        assert record["anchor_categories"]["generic"] == 6  # type: ignore[index]
        assert record["authority"]["harmonic_position"] == 42  # type: ignore[index]
        assert record["authority_bucket"] == "top-10k"
        json.dumps(gap.to_dict())
        rows = gap.table()
        assert rows[0]["competitors"] == "a.test b.test c.test"
        assert rows[0]["authority_source"] == "common_crawl"
        assert rows[1]["authority_source"] is None
        assert [k for k in rows[0] if k.startswith("anchors_")] == [
            f"anchors_{c.value}" for c in AnchorCategory
        ]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        assert len(out.getvalue().splitlines()) == 1 + len(gap.gap)

    def test_imported_authority_record(self):
        """A tool score is recorded with its metric and score."""
        gap = link_gap(
            ME, [B], authority={"shop.test": ImportedAuthority(AuthorityMetric.TRUST_FLOW, 33)}
        )
        row = next(r for r in gap.table() if r["domain"] == "shop.test")
        assert (row["authority_source"], row["authority_metric"], row["authority_value"]) == (
            "import", "trust_flow", 33.0,
        )  # fmt: skip

    def test_profiles_are_not_measured(self):
        """The gap reads the profiles' counts: none of them is measured for it."""
        target = profile("me.test", {"news.test": 1, "x.test": 1})
        a, b = (profile(site, {"blog.test": 2, "x.test": 1}) for site in ("a.test", "b.test"))
        assert [r.domain for r in link_gap(target, [a, b]).gap] == ["blog.test"]
        assert [p._measures for p in (target, a, b)] == [None, None, None]

    def test_gap_domain_value(self):
        """GapDomain is an immutable value: its mappings cannot be changed."""
        row = link_gap(ME, [A]).gap[0]
        assert isinstance(row, GapDomain)
        with pytest.raises(TypeError):
            row.links_by_competitor["a.test"] = 0  # type: ignore[index]


# -- properties ----------------------------------------------------------------------------------

SOURCES = [f"s{i}.test" for i in range(12)]
link_maps = st.dictionaries(st.sampled_from(SOURCES), st.integers(1, 4), max_size=10)


@given(link_maps, st.lists(link_maps, min_size=1, max_size=5), st.integers(1, 5))
def test_gap_partition(target_links, competitor_links, k):
    """The documented partition, exactly, for any profiles and any k.

    Every competitor domain that does not link to the target is in the gap iff it links to at
    least k competitors; in the intersection iff it links to all; in one unique list iff it links
    to one competitor (and there are several); never in two of those. No list holds a domain
    that links to the target.
    """
    target = profile("me.test", target_links)
    rivals = [profile(f"c{i}.test", links) for i, links in enumerate(competitor_links)]
    n = len(rivals)
    k = min(k, n)
    gap = link_gap(target, rivals, min_competitors=k)
    mine = set(target_links)
    counts: dict[str, int] = {}
    for links in competitor_links:
        for source in links:
            counts[source] = counts.get(source, 0) + 1
    prospects = {d for d in counts if d not in mine}
    in_gap = {r.domain for r in gap.gap}
    in_all = {r.domain for r in gap.intersection}
    unique_lists = [{r.domain for r in rows} for rows in gap.unique.values()]
    assert not (in_gap | in_all | set().union(*unique_lists)) & mine
    assert in_gap == {d for d in prospects if counts[d] >= k}
    assert in_all == {d for d in prospects if counts[d] == n}
    for name, rows in gap.unique.items():
        assert {r.domain for r in rows} == {
            d for d in prospects
            if n > 1 and counts[d] == 1 and d in competitor_links[gap.competitors.index(name)]
        }  # fmt: skip
    for d in prospects:
        places = (d in in_all) + sum(d in u for u in unique_lists) + (1 < counts[d] < n)
        assert places == 1
    assert gap.target_domains == len(set(counts) & mine)
    for row in gap.gap:
        assert row.links == sum(competitor_links[gap.competitors.index(c)][row.domain]
                                for c in row.competitors)  # fmt: skip


@given(link_maps, st.lists(link_maps, min_size=1, max_size=4))
def test_gap_sorted_in_work_order(target_links, competitor_links):
    """The gap is sorted by competitors (descending), then links (no authority), then name."""
    target = profile("me.test", target_links)
    rivals = [profile(f"c{i}.test", links) for i, links in enumerate(competitor_links)]
    rows = link_gap(target, rivals).gap
    keys = [(-r.competitor_count, -r.links, r.domain) for r in rows]
    assert keys == sorted(keys)


ANCHORS = ["Me", "C0", "running shoes", "best running shoes", "click here", "c1.test", "", None]
link_records = st.lists(
    st.tuples(
        st.sampled_from(SOURCES[:6]),
        st.sampled_from(ANCHORS),
        st.one_of(st.none(), st.floats(0, 100)),
    ),
    max_size=12,
)


def scored_profile(site: str, records: list[tuple[str, str | None, float | None]]) -> LinkProfile:
    """A profile whose links carry anchors of every kind and, some, a Domain Rating."""
    p = LinkProfile(site, brands=["C0"], keywords=["running shoes"])
    p.update(
        Backlink(f"https://www.{source}/p{i}", f"https://{site}/", anchor=anchor,
                 domain_rating=score)
        for i, (source, anchor, score) in enumerate(records)
    )  # fmt: skip
    return p


@given(link_records, st.lists(link_records, min_size=1, max_size=4), st.integers(0, 5))
def test_rows_are_what_the_competitors_profiles_say(target_records, competitor_records, ranked):
    """Each row holds what the competitors' `referring_domains()` give for it: links per
    competitor, anchor categories summed, the first competitor's authority; and the gap is the
    same whether the profiles were measured before or not."""

    def sides() -> tuple[LinkProfile, list[LinkProfile]]:
        rivals = [scored_profile(f"c{i}.test", r) for i, r in enumerate(competitor_records)]
        rivals[0].authority = {SOURCES[ranked]: rank(SOURCES[ranked], 5)}
        return scored_profile("me.test", target_records), rivals

    target, rivals = sides()
    gap = link_gap(target, rivals)
    measured_target, measured_rivals = sides()
    rows_of = [{r.domain: r for r in p.referring_domains()} for p in measured_rivals]
    measured_target.referring_domains()
    assert link_gap(measured_target, measured_rivals) == gap
    for row in gap.gap:
        theirs = [rows_of[gap.competitors.index(name)][row.domain] for name in row.competitors]
        assert dict(row.links_by_competitor) == dict(
            zip(row.competitors, [r.links for r in theirs], strict=True)
        )
        assert dict(row.anchor_categories) == {
            category: sum(r.anchor_categories[category] for r in theirs)
            for category in AnchorCategory
        }
        assert row.authority == next((r.authority for r in theirs if r.authority is not None), None)
