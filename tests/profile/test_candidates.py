"""disavow_candidates: reasons, scores, the allow-list, the target's own site, disavow entries."""

from __future__ import annotations

import datetime as dt

import pytest

from backlinkkit import (
    AuthorityMetric,
    Backlink,
    CandidateSignal,
    DisavowFile,
    ImportedAuthority,
    InvalidURLError,
    LinkProfile,
    Severity,
    Thresholds,
    WebGraphRank,
    disavow_candidates,
)

S = CandidateSignal


def links_from(site: str, n: int = 1, anchor: str = "Example", **kwargs: object) -> list[Backlink]:
    kwargs = {"nofollow": False, "sponsored": False, "ugc": False} | kwargs
    return [Backlink(f"https://{site}/p{i}", anchor=anchor, **kwargs) for i in range(n)]  # type: ignore[arg-type]


def candidates(links: list[Backlink], **kwargs: object):
    kwargs.setdefault("keywords", ["running shoes"])
    return disavow_candidates(links, domain="example.com", **kwargs)  # type: ignore[arg-type]


def signals(links: list[Backlink], **kwargs: object) -> dict[str, list[CandidateSignal]]:
    return {c.domain: [r.signal for r in c.reasons] for c in candidates(links, **kwargs)}


class TestReasons:
    @pytest.mark.parametrize(
        ("links", "expected"),
        [
            (links_from("spam.test", spam=True), [S.SPAM_MARKED]),
            (links_from("spam.test", toxicity=60.0), [S.TOXIC_SCORE]),
            (links_from("spam.test", toxicity=59.0), None),
            (links_from("spam.test", toxic_markers=("Link network",)), None),
            (
                links_from("spam.test", toxicity=80.0, toxic_markers=("Spam",)),
                [S.TOXIC_SCORE, S.TOXIC_MARKERS],
            ),
            (links_from("spam.test", anchor="running shoes"), [S.EXACT_MATCH_ANCHOR]),
            (links_from("spam.test", anchor="running shoes", nofollow=True), None),
            (
                links_from("spam.test", anchor="running shoes", nofollow=None),
                [S.EXACT_MATCH_ANCHOR],
            ),
            (links_from("spam.test", anchor="best running shoes"), None),
            (links_from("blogroll.test", 100), None),
            (links_from("blogroll.test", 1, sitewide=True), None),
            (
                links_from("blogroll.test", 100, anchor="running shoes"),
                [S.EXACT_MATCH_ANCHOR, S.SITEWIDE],
            ),
            (links_from("good.test"), None),
            (links_from("farm.test", external_links=4000), [S.LINK_FARM]),
            (links_from("farm.test", external_links=999), None),
        ],
    )
    def test_signals(self, links, expected):
        """Each signal on its own: strong ones propose the domain, weak ones need company."""
        assert signals(links).get(links[0].source_domain) == expected

    def test_subnet_cluster_with_sitewide(self):
        """Three domains on one /24 are a cluster; with sitewide linking that is two reasons."""
        links = links_from("a.test", 100, source_ip="192.0.2.1")
        links += links_from("b.test", source_ip="192.0.2.2") + links_from(
            "c.test", source_ip="192.0.2.3"
        )
        found = signals(links)
        assert found == {"a.test": [S.SITEWIDE, S.SUBNET_CLUSTER]}
        (c,) = candidates(links)
        assert "192.0.2.0/24 hosts 3 referring domains" in c.comment

    def test_exact_match_needs_keywords(self):
        """Without keywords nothing is exact-match: no such reason."""
        assert signals(links_from("spam.test", anchor="running shoes"), keywords=()) == {}

    def test_score_severity_and_order(self):
        """Scores add weights; 4 or more is CRITICAL; highest score first, then most links."""
        links = links_from("both.test", anchor="running shoes", spam=True)
        links += links_from("spam.test", 3, spam=True)
        links += links_from("exact.test", anchor="running shoes")
        found = candidates(links)
        assert [(c.domain, c.score, c.severity) for c in found] == [
            ("both.test", 5, Severity.CRITICAL),
            ("spam.test", 3, Severity.WARNING),
            ("exact.test", 2, Severity.WARNING),
        ]
        assert [r.weight for r in found[0].reasons] == [3, 2]

    def test_min_score_is_a_setting(self):
        """With candidate_min_score 1, a weak reason alone proposes the domain."""
        links = links_from("blogroll.test", 100)
        assert signals(links, thresholds=Thresholds(candidate_min_score=1)) == {
            "blogroll.test": [S.SITEWIDE]
        }

    def test_reasons_carry_evidence(self):
        """Each reason says what was seen, in numbers."""
        (c,) = candidates(links_from("spam.test", 4, spam=True))
        assert c.reasons[0].detail == "4 of 4 links marked spam by the export"
        assert c.comment == "score 3: 4 of 4 links marked spam by the export"
        assert c.links == 4
        assert c.to_dict()["reasons"] == [
            {
                "signal": "spam_marked",
                "weight": 3,
                "detail": "4 of 4 links marked spam by the export",
            }
        ]


SPAM = {"spam": True}


class TestAllowAndOwn:
    @pytest.mark.parametrize(
        ("allow", "proposed"),
        [
            ([], ["other.test", "spam.test"]),
            (["other.test"], ["spam.test"]),
            (["OTHER.test."], ["spam.test"]),
            (["https://www.other.test/page"], ["spam.test"]),
            (["domain:other.test"], ["spam.test"]),
            (["test"], []),
            (["x.other.test"], ["spam.test"]),
            (["spam.test"], ["other.test"]),
            (["blog.spam.test"], ["other.test"]),
        ],
    )
    def test_allow_list(self, allow, proposed):
        """An allowed domain covers its subdomains; a candidate covering an allowed host is kept out."""
        links = links_from("www.other.test", **SPAM) + links_from("blog.spam.test", **SPAM)
        links += links_from("other.test", **SPAM)
        assert sorted(c.domain for c in candidates(links, allow=allow)) == proposed

    def test_never_the_target_itself(self):
        """The target's own site is never proposed, whatever its links carry."""
        links = links_from("www.example.com", **SPAM) + links_from("shop.example.com", **SPAM)
        assert candidates(links) == ()

    def test_own_domains(self):
        """More domains of the owner's are kept out with own_domains."""
        links = links_from("sister.test", **SPAM)
        assert candidates(links, own_domains=["sister.test"]) == ()

    def test_bad_allow_entry_raises(self):
        """An allow entry that is no host raises InvalidURLError naming it."""
        with pytest.raises(InvalidURLError, match="not a host"):
            candidates(links_from("a.test"), allow=["not a host"])


class TestInputs:
    def test_profile_and_backlinks_give_the_same(self):
        """A profile and the backlinks it was made of give the same candidates."""
        links = links_from("spam.test", 3, **SPAM) + links_from(
            "exact.test", anchor="running shoes"
        )
        p = LinkProfile("example.com", keywords=["running shoes"])
        p.update(links)
        assert disavow_candidates(p) == candidates(links)

    def test_backlinks_need_a_domain(self):
        """Backlinks without a target cannot be judged: TypeError."""
        with pytest.raises(TypeError, match="domain"):
            disavow_candidates(links_from("a.test"))

    def test_merged_profile(self):
        """Candidates from a merged profile see signals from every part."""
        first = LinkProfile("example.com")
        first.update(links_from("a.test", 60, source_ip="192.0.2.1"))
        second = LinkProfile("example.com")
        second.update(links_from("a.test", 40) + links_from("b.test", source_ip="192.0.2.9"))
        second.update(links_from("c.test", source_ip="192.0.2.7"))
        assert [c.domain for c in disavow_candidates(first | second)] == ["a.test"]
        assert disavow_candidates(first) == disavow_candidates(second) == ()


SEMRUSH_AUDIT = (
    "Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,"
    "Nofollow,Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,"
    "Lost link,Toxicity Score,Toxic markers\n"
    "3,Cheap,https://toxic.test/a,https://example.com/,cheap shoes,80,1,FALSE,FALSE,FALSE,TRUE,"
    'FALSE,FALSE,FALSE,TRUE,2024-01-01,2024-02-01,FALSE,FALSE,75,"Link network, Spam"\n'
    "40,News,https://news.test/story,https://example.com/,Example,3,20,FALSE,FALSE,FALSE,TRUE,"
    "FALSE,FALSE,FALSE,FALSE,2024-01-01,2024-02-01,FALSE,FALSE,12,\n"
)


class TestFromExports:
    def test_semrush_audit_export(self):
        """A Semrush Backlink Audit export's toxicity, markers and Sitewide column become reasons."""
        import io

        from backlinkkit import read_backlinks

        found = disavow_candidates(read_backlinks(io.StringIO(SEMRUSH_AUDIT)), domain="example.com")
        assert [(c.domain, [r.signal for r in c.reasons]) for c in found] == [
            ("toxic.test", [S.TOXIC_SCORE, S.TOXIC_MARKERS, S.SITEWIDE])
        ]
        assert "toxic markers: Link network, Spam" in found[0].comment


class TestDisavowFile:
    def test_accepted_candidates_become_domain_entries(self):
        """Candidates turn into `domain:` lines with their reasons as comments."""
        links = links_from("spam.test", 2, **SPAM) + links_from(
            "exact.test", anchor="running shoes"
        )
        file = DisavowFile(date=dt.date(2026, 11, 24))
        for candidate in candidates(links):
            file.add(candidate.to_entry())
        text = file.to_text()
        assert "domain:spam.test" in text
        assert "# score 3: 2 of 2 links marked spam by the export" in text
        assert "domain:exact.test" in text
        assert file.validate() == ()


def _rank(domain: str, position: int) -> WebGraphRank:
    return WebGraphRank(name=domain, harmonic_position=position, harmonic_centrality=1.0,
                        pagerank_position=position, pagerank=1e-9, hosts=1)  # fmt: skip


class TestAuthorityEvidence:
    @pytest.mark.parametrize(
        ("authority", "weight", "said"),
        [
            (None, 2, None),
            (_rank("money.test", 20_000_000), 3, "beyond the top 10 million (Common Crawl harmonic centrality position 20,000,000)"),
            (_rank("money.test", 10_000_000), 2, None),
            (_rank("money.test", 1_001), 2, None),
            (_rank("money.test", 1_000), 1, "well-known site (Common Crawl harmonic centrality position 1,000): weighs less"),
            (ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 20), 3, "beyond the top 10 million (domain_rating 20)"),
            (ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 21), 2, None),
            (ImportedAuthority(AuthorityMetric.DOMAIN_RATING, 81), 1, "well-known site (domain_rating 81)"),
            (ImportedAuthority(AuthorityMetric.TRUST_FLOW, 14), 3, "(trust_flow 14)"),
        ],
    )  # fmt: skip
    def test_exact_match_weight_by_authority(self, authority, weight, said):
        """Exact-match anchors weigh 3 from beyond the top 10M, 1 from a top-1,000 site (or a
        tool score in the top-10k band), else 2; the reason states the rank it went by."""
        links = links_from("money.test", anchor="running shoes") + links_from(
            "money.test", anchor="x", spam=True
        )
        ranks = None if authority is None else {"money.test": authority}
        (candidate,) = candidates(links, authority=ranks)
        exact = next(r for r in candidate.reasons if r.signal is S.EXACT_MATCH_ANCHOR)
        assert exact.weight == weight
        assert candidate.score == 3 + weight
        if said is None:
            assert exact.detail == "1 of 2 links use an exact-match keyword anchor"
        else:
            assert said in exact.detail

    def test_well_known_exact_match_alone_is_no_candidate(self):
        """From a top-1,000 site an exact-match anchor alone (weight 1) no longer proposes it."""
        links = links_from("news.test", anchor="running shoes")
        assert [c.domain for c in candidates(links)] == ["news.test"]
        assert candidates(links, authority={"news.test": _rank("news.test", 40)}) == ()

    def test_profile_authority_and_export_scores_are_used(self):
        """Without `authority=`, the profile's ranks count, else the exports' own scores."""
        links = links_from("low.test", anchor="running shoes", domain_rating=3.0)
        links += links_from("ranked.test", anchor="running shoes")
        profile = LinkProfile("example.com", keywords=["running shoes"])
        profile.update(links)
        profile.authority = {"ranked.test": _rank("ranked.test", 30_000_000)}
        scores = {c.domain: c.score for c in disavow_candidates(profile)}
        assert scores == {"low.test": 3, "ranked.test": 3}

    def test_given_authority_overrides_the_profile(self):
        """`authority=` wins over the domain's own authority; domains it lacks keep their own."""
        links = links_from("low.test", anchor="running shoes", domain_rating=3.0)
        found = candidates(links, authority={"low.test": _rank("low.test", 9)})
        assert found == ()
        assert [c.score for c in candidates(links, authority={})] == [3]
