"""diff_profiles: referring domains gained, lost and kept; categories and flags before and after."""

from __future__ import annotations

import json
from importlib.util import find_spec

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    AnchorCategory,
    Backlink,
    ComparisonError,
    DomainChange,
    DomainChangeKind,
    FlagName,
    LinkProfile,
    Severity,
    Thresholds,
    diff_profiles,
    read_backlinks,
    write_backlinks,
)


def snapshot(
    links: dict[str, int | list[str]], site: str = "example.com", **settings: object
) -> LinkProfile:
    """A profile: per referring domain, a number of links or the list of their anchors."""
    settings.setdefault("keywords", ["running shoes"])
    p = LinkProfile(site, **settings)  # type: ignore[arg-type]
    for source, spec in links.items():
        anchors = spec if isinstance(spec, list) else ["Example"] * spec
        p.update(
            Backlink(f"https://{source}/p{i}", f"https://{site}/", anchor=anchor)
            for i, anchor in enumerate(anchors)
        )
    return p


class TestDomains:
    def test_gained_lost_kept(self):
        """Each list, its order and its link counts, on two crafted snapshots."""
        old = snapshot({"a.test": 5, "b.test": 1, "c.test": 2, "d.test": 3, "e.test": 1})
        new = snapshot(
            {"a.test": 1, "c.test": 2, "d.test": 6, "f.test": 4, "g.test": 4, "h.test": 1}
        )
        d = diff_profiles(old, new)
        assert [(r.domain, r.links_after) for r in d.gained] == [
            ("f.test", 4), ("g.test", 4), ("h.test", 1),
        ]  # fmt: skip
        assert [(r.domain, r.links_before) for r in d.lost] == [("b.test", 1), ("e.test", 1)]
        # The largest change first, either way; then most links after.
        assert [(r.domain, r.links_before, r.links_after, r.change) for r in d.kept] == [
            ("a.test", 5, 1, -4),
            ("d.test", 3, 6, 3),
            ("c.test", 2, 2, 0),
        ]
        assert {r.kind for r in d.gained} == {DomainChangeKind.GAINED}
        assert {r.kind for r in d.lost} == {DomainChangeKind.LOST}
        assert {r.kind for r in d.kept} == {DomainChangeKind.KEPT}
        assert (d.before.referring_domains, d.after.referring_domains) == (5, 6)

    def test_identical_snapshots(self):
        """Two equal profiles: nothing gained or lost, everything kept unchanged."""
        p = snapshot({"a.test": 2, "b.test": 1})
        d = diff_profiles(p, p.copy())
        assert (d.gained, d.lost) == ((), ())
        assert [r.change for r in d.kept] == [0, 0]
        assert d.raised == d.cleared == d.changed == ()

    def test_from_exports(self):
        """Profiles read back from generic exports compare like the profiles written."""
        old_links = [Backlink("https://a.test/1", "https://example.com/", anchor="x")]
        new_links = [Backlink("https://b.test/1", "https://example.com/", anchor="y")]
        profiles = []
        for links in (old_links, new_links):
            import io

            text = io.StringIO()
            write_backlinks(links, text)
            text.seek(0)
            p = LinkProfile("example.com")
            p.update(read_backlinks(text))
            profiles.append(p)
        d = diff_profiles(*profiles)
        assert ([r.domain for r in d.gained], [r.domain for r in d.lost]) == (
            ["b.test"],
            ["a.test"],
        )

    @pytest.mark.parametrize(
        ("new", "message"),
        [
            (lambda: snapshot({"a.test": 1}, site="other.com"), "two sites"),
            (lambda: snapshot({"a.test": 1}, keywords=["trail shoes"]), "differ in keywords"),
            (lambda: snapshot({"a.test": 1}, brands=["Ex"]), "differ in brands"),
        ],
    )
    def test_not_comparable(self, new, message):
        """Snapshots of another site, or with other anchor settings, are refused."""
        with pytest.raises(ComparisonError, match=message):
            diff_profiles(snapshot({"a.test": 1}), new())

    def test_same_site_other_host(self):
        """www and the bare domain are the same site: their profiles compare."""
        d = diff_profiles(snapshot({"a.test": 1}), snapshot({"a.test": 2}, site="www.example.com"))
        assert [r.change for r in d.kept] == [1]


class TestCategories:
    def test_shares_before_and_after(self):
        """Each category's domains and links, with shares, before and after, in enum order."""
        old = snapshot({"a.test": ["running shoes"], "b.test": ["Example"], "c.test": ["Example"]})
        new = snapshot({"a.test": ["running shoes"] * 3, "d.test": ["running shoes"]})
        d = diff_profiles(old, new)
        assert [s.category for s in d.categories] == list(AnchorCategory)
        exact = d.categories[0]
        assert exact.category is AnchorCategory.EXACT_MATCH
        assert (exact.domains_before, exact.domains_after) == (1, 2)
        assert (exact.domain_share_before, exact.domain_share_after) == (pytest.approx(1 / 3), 1.0)
        assert (exact.links_before, exact.links_after) == (1, 4)
        assert (exact.link_share_before, exact.link_share_after) == (pytest.approx(1 / 3), 1.0)
        assert exact.domain_share_change == pytest.approx(2 / 3)
        branded = next(s for s in d.categories if s.category is AnchorCategory.BRANDED)
        assert (branded.domains_before, branded.domains_after, branded.domain_share_after) == (
            2,
            0,
            0.0,
        )

    def test_snapshots_classifying_alike_share_their_anchors_categories(self):
        """Equal classifiers classify each anchor once for both sides; the shares are unchanged."""
        links = {"a.test": ["running shoes", "click here"], "b.test": ["Example"]}
        old, new = snapshot(links), snapshot({**links, "c.test": ["zzz deal"]})
        expected = [
            (s.links_before, s.links_after)
            for s in diff_profiles(old.copy(), new.copy()).categories
        ]
        d = diff_profiles(old, new)
        assert [(s.links_before, s.links_after) for s in d.categories] == expected
        assert old._categories is new._categories

    def test_other_generic_phrases_keep_their_own_categories(self):
        """A side whose classifier reads an anchor otherwise keeps its own reading of it."""
        phrases = frozenset({"zzz deal"})
        old = snapshot({"a.test": ["zzz deal"]}, generic_phrases=phrases)
        new = snapshot({"a.test": ["zzz deal"]})
        generic = next(
            s for s in diff_profiles(old, new).categories if s.category is AnchorCategory.GENERIC
        )
        assert (generic.links_before, generic.links_after) == (1, 0)
        assert old._categories is not new._categories


class TestFlags:
    def test_raised_cleared_changed(self):
        """Flags compare by name and subject; a severity change is `changed`, not raised."""
        t = Thresholds(min_referring_domains=2)
        clean = snapshot({f"s{i}.test": ["Example"] for i in range(20)})
        # 3 of 20 exact (15%): past the 10% exact-match share, a warning; 8 of 20, critical.
        some = snapshot(
            {f"s{i}.test": ["running shoes" if i < 3 else "Example"] for i in range(20)}
        )
        most = snapshot(
            {f"s{i}.test": ["running shoes" if i < 8 else "Example"] for i in range(20)}
        )
        raised = diff_profiles(clean, some, thresholds=t)
        assert FlagName.EXACT_MATCH_SHARE in {f.name for f in raised.raised}
        cleared = diff_profiles(some, clean, thresholds=t)
        assert FlagName.EXACT_MATCH_SHARE in {f.name for f in cleared.cleared}
        assert not cleared.raised or FlagName.EXACT_MATCH_SHARE not in {
            f.name for f in cleared.raised
        }
        worse = diff_profiles(some, most, thresholds=t)
        change = next(c for c in worse.changed if c.name is FlagName.EXACT_MATCH_SHARE)
        assert (change.before.severity, change.after.severity, change.worse) == (
            Severity.WARNING, Severity.CRITICAL, True,
        )  # fmt: skip
        assert FlagName.EXACT_MATCH_SHARE not in {f.name for f in worse.raised}
        eased = diff_profiles(most, some, thresholds=t)
        assert not next(c for c in eased.changed if c.name is FlagName.EXACT_MATCH_SHARE).worse

    def test_same_severity_is_unchanged(self):
        """A flag raised by both at the same severity is `unchanged`, whatever its value did."""
        t = Thresholds(min_referring_domains=2)
        # 15% and 20% exact-match: both past 10%, neither past the critical 20%.
        a = snapshot({f"s{i}.test": ["running shoes" if i < 3 else "Example"] for i in range(20)})
        b = snapshot({f"s{i}.test": ["running shoes" if i < 4 else "Example"] for i in range(20)})
        d = diff_profiles(a, b, thresholds=t)
        assert FlagName.EXACT_MATCH_SHARE in {f.name for f in d.unchanged}
        assert all(f.name is not FlagName.EXACT_MATCH_SHARE for f in (*d.raised, *d.cleared))

    def test_subject_tells_flags_apart(self):
        """The same flag name about another subject (a new dominant anchor) is raised + cleared."""
        t = Thresholds(min_referring_domains=2)
        old = snapshot({f"s{i}.test": ["best trail"] for i in range(5)})
        new = snapshot({f"s{i}.test": ["cheap trail"] for i in range(5)})
        d = diff_profiles(old, new, thresholds=t)
        raised = [(f.name, f.subject) for f in d.raised]
        cleared = [(f.name, f.subject) for f in d.cleared]
        assert (FlagName.DOMINANT_ANCHOR, "cheap trail") in raised
        assert (FlagName.DOMINANT_ANCHOR, "best trail") in cleared


class TestRecords:
    def test_to_dict_and_table(self):
        """to_dict is JSON-ready with the documented keys; table() is one flat row per domain."""
        d = diff_profiles(
            snapshot({"a.test": 2, "b.test": 1}), snapshot({"a.test": 1, "c.test": 3})
        )
        data = json.loads(json.dumps(d.to_dict()))
        assert set(data) == {"target", "referring_domains", "backlinks", "gained", "lost", "kept",
                             "categories", "flags"}  # fmt: skip
        assert data["referring_domains"] == {
            "before": 2,
            "after": 2,
            "gained": 1,
            "lost": 1,
            "kept": 1,
        }
        assert set(data["flags"]) == {"raised", "cleared", "changed", "unchanged"}
        assert d.table() == [
            {
                "domain": "c.test",
                "status": "gained",
                "links_before": 0,
                "links_after": 3,
                "change": 3,
            },
            {
                "domain": "b.test",
                "status": "lost",
                "links_before": 1,
                "links_after": 0,
                "change": -1,
            },
            {
                "domain": "a.test",
                "status": "kept",
                "links_before": 2,
                "links_after": 1,
                "change": -1,
            },
        ]

    def test_domain_change_value(self):
        """DomainChange says its kind and change."""
        assert (
            DomainChange(domain="a.test", links_before=0, links_after=2).kind
            is DomainChangeKind.GAINED
        )


SOURCES = [f"s{i}.test" for i in range(15)]
link_maps = st.dictionaries(st.sampled_from(SOURCES), st.integers(1, 5), max_size=12)


@given(link_maps, link_maps)
def test_diff_applied_to_old_gives_new(old_links, new_links):
    """Old's referring domains, less the lost, plus the gained, with kept ones' new counts, are new's."""
    old, new = snapshot(old_links), snapshot(new_links)
    d = diff_profiles(old, new)
    applied = {r.domain: r.links for r in old.referring_domains()}
    for row in d.lost:
        assert applied.pop(row.domain) == row.links_before
    for row in d.kept:
        assert applied[row.domain] == row.links_before
        applied[row.domain] = row.links_after
    for row in d.gained:
        assert row.domain not in applied
        applied[row.domain] = row.links_after
    assert applied == {r.domain: r.links for r in new.referring_domains()}
    assert len(d.gained) + len(d.kept) == len(new_links)
    assert len(d.lost) + len(d.kept) == len(old_links)


@pytest.mark.skipif(find_spec("fastwarc") is None, reason="needs the warc extra")
def test_snapshots_from_web_archives(tmp_path):
    """Two crawls' archives give two profiles of the target, and the diff reads them as any."""
    from backlinkkit.warc import Target, scan_archives
    from warc_builders import Page, warc_file

    def page(host: str, date: str, links: int) -> Page:
        anchors = "".join(f'<a href="https://example.com/p{i}">Example</a>' for i in range(links))
        return Page(f"https://{host}/post", f"<html><body>{anchors}</body></html>", date=date)

    may, june = tmp_path / "may.warc.gz", tmp_path / "june.warc.gz"
    may.write_bytes(warc_file([page("a.test", "2024-05-01T10:00:00Z", 2),
                               page("gone.test", "2024-05-02T10:00:00Z", 1)]))  # fmt: skip
    june.write_bytes(warc_file([page("a.test", "2024-06-01T10:00:00Z", 3),
                                page("new.test", "2024-06-02T10:00:00Z", 1)]))  # fmt: skip
    target = Target("example.com")
    old = scan_archives([str(may)], [target], processes=1).profiles["example.com"]
    new = scan_archives([str(june)], [target], processes=1).profiles["example.com"]
    diff = diff_profiles(old, new)
    assert [(c.domain, c.links_before, c.links_after) for c in diff.gained] == [("new.test", 0, 1)]
    assert [(c.domain, c.links_before, c.links_after) for c in diff.lost] == [("gone.test", 1, 0)]
    assert [(c.domain, c.links_before, c.links_after) for c in diff.kept] == [("a.test", 2, 3)]
    assert diff.before == old.summary()
    assert diff.after == new.summary()
