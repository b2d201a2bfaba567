"""Flags: thresholds, each rule at and past its limit, too little data, and on real profiles."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from backlinkkit import Backlink, Flag, FlagName, LinkProfile, Severity, Thresholds
from backlinkkit._profile._flags import ProfileFacts, evaluate_flags, velocity_spikes

N = FlagName


def facts(**changes: object) -> ProfileFacts:
    """Facts of a healthy 100-domain profile, with `changes`."""
    base = ProfileFacts(
        referring_domains=100,
        anchor_domains=100,
        has_keywords=True,
        exact_domains=2,
        money_domains=10,
        branded_domains=60,
        dominant_anchor=("best running shoes", 5),
        follow_known_domains=100,
        nofollow_domains=30,
        backlinks=1000,
        sitewide_domains=1,
        sitewide_links=100,
        top_domains_links=400,
        ip_domains=80,
        biggest_subnet=("192.0.2.0/24", 2),
        new_domains_by_month=(("2024-01", 4), ("2024-02", 5), ("2024-03", 4), ("2024-04", 6)),
    )
    return attrs.evolve(base, **changes)


def raised(f: ProfileFacts, **settings: object) -> dict[FlagName, Flag]:
    return {flag.name: flag for flag in evaluate_flags(f, Thresholds(**settings))}  # type: ignore[arg-type]


class TestThresholds:
    @pytest.mark.parametrize(
        ("setting", "value"),
        [
            ("exact_match_share", 1.5),
            ("money_share", -0.1),
            ("min_branded_share", 2),
            ("min_referring_domains", 0),
            ("sitewide_min_links", 0),
            ("velocity_factor", 0),
            ("critical_factor", -1),
            ("toxicity_score", 0),
        ],
    )
    def test_out_of_range_settings_raise(self, setting, value):
        """A share outside [0, 1], or a count or factor that is not positive, is refused."""
        with pytest.raises(ValueError, match=setting):
            Thresholds(**{setting: value})

    def test_keyword_only_and_frozen(self):
        """Settings are named, and a Thresholds value cannot change (evolve makes a copy)."""
        with pytest.raises(TypeError):
            Thresholds(10)  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            Thresholds().money_share = 0.5  # type: ignore[misc]


class TestRules:
    def test_healthy_profile_raises_nothing(self):
        """Nothing past a threshold, no flag."""
        assert evaluate_flags(facts(), Thresholds()) == ()

    @pytest.mark.parametrize(
        ("changes", "name", "severity", "value"),
        [
            ({"exact_domains": 10}, None, None, None),
            ({"exact_domains": 11}, N.EXACT_MATCH_SHARE, Severity.WARNING, 0.11),
            ({"exact_domains": 21}, N.EXACT_MATCH_SHARE, Severity.CRITICAL, 0.21),
            ({"money_domains": 30}, None, None, None),
            ({"money_domains": 31}, N.MONEY_SHARE, Severity.WARNING, 0.31),
            ({"money_domains": 61}, N.MONEY_SHARE, Severity.CRITICAL, 0.61),
            ({"branded_domains": 30}, None, None, None),
            ({"branded_domains": 29}, N.LOW_BRANDED_SHARE, Severity.WARNING, 0.29),
            ({"branded_domains": 14}, N.LOW_BRANDED_SHARE, Severity.CRITICAL, 0.14),
            ({"dominant_anchor": ("cheap shoes", 21)}, N.DOMINANT_ANCHOR, Severity.WARNING, 0.21),
            ({"dominant_anchor": ("cheap shoes", 41)}, N.DOMINANT_ANCHOR, Severity.CRITICAL, 0.41),
            ({"dominant_anchor": None}, None, None, None),
            ({"nofollow_domains": 5}, None, None, None),
            ({"nofollow_domains": 4}, N.FOLLOW_RATIO, Severity.WARNING, 0.04),
            ({"nofollow_domains": 2}, N.FOLLOW_RATIO, Severity.CRITICAL, 0.02),
            ({"sitewide_links": 501}, N.SITEWIDE_LINKS, Severity.WARNING, 0.501),
            ({"top_domains_links": 801}, N.DOMAIN_CONCENTRATION, Severity.WARNING, 0.801),
            (
                {"biggest_subnet": ("192.0.2.0/24", 9)},
                N.SUBNET_CONCENTRATION,
                Severity.WARNING,
                9 / 80,
            ),
            (
                {"biggest_subnet": ("192.0.2.0/24", 17)},
                N.SUBNET_CONCENTRATION,
                Severity.CRITICAL,
                17 / 80,
            ),
            ({"biggest_subnet": ("192.0.2.0/24", 2), "ip_domains": 10}, None, None, None),
            ({"biggest_subnet": None}, None, None, None),
        ],
    )
    def test_each_rule_at_and_past_its_threshold(self, changes, name, severity, value):
        """At the threshold nothing; past it WARNING; past it by the critical factor CRITICAL."""
        flags = raised(facts(**changes))
        if name is None:
            assert flags == {}
        else:
            assert list(flags) == [name]
            assert flags[name].severity is severity
            assert flags[name].value == pytest.approx(value)

    def test_flag_carries_threshold_subject_and_explanation(self):
        """A flag names its threshold, what it is about, and explains itself in one line."""
        flag = raised(facts(dominant_anchor=("cheap shoes", 30)))[N.DOMINANT_ANCHOR]
        assert (flag.threshold, flag.subject) == (0.2, "cheap shoes")
        assert "'cheap shoes'" in flag.explanation
        assert "30.0%" in flag.explanation
        assert "\n" not in flag.explanation

    def test_keyword_rules_need_keywords(self):
        """Without keywords no anchor can be exact or money: those rules are skipped."""
        assert raised(facts(has_keywords=False, exact_domains=90, money_domains=90)) == {}

    def test_thresholds_are_settings(self):
        """Changing a setting changes what is flagged."""
        assert N.EXACT_MATCH_SHARE in raised(facts(), exact_match_share=0.01)
        assert raised(facts(exact_domains=15), exact_match_share=0.2) == {}

    @pytest.mark.parametrize(
        ("changes", "subjects"),
        [
            ({"referring_domains": 9}, [None]),
            ({"anchor_domains": 3}, ["anchor"]),
            ({"follow_known_domains": 0}, ["rel value"]),
            ({"anchor_domains": 0, "follow_known_domains": 9}, ["anchor", "rel value"]),
        ],
    )
    def test_too_little_data_says_so(self, changes, subjects):
        """Below `min_referring_domains` a rule is skipped and an INFO flag says which and why."""
        flags = evaluate_flags(facts(**changes, exact_domains=90), Thresholds())
        thin = [f for f in flags if f.name is N.INSUFFICIENT_DATA]
        assert [f.subject for f in thin] == subjects
        assert all(f.severity is Severity.INFO for f in thin)
        anchors_judged = N.EXACT_MATCH_SHARE in {f.name for f in flags}
        assert anchors_judged == (subjects == ["rel value"])

    def test_flag_to_dict(self):
        """Flags serialize with their enums as stable strings."""
        flag = raised(facts(money_domains=40))[N.MONEY_SHARE]
        assert flag.to_dict()["name"] == "money_share"
        assert flag.to_dict()["severity"] == "warning"


class TestVelocity:
    @pytest.mark.parametrize(
        ("counts", "spikes"),
        [
            ([5, 5, 5, 30], [("m3", 30, 5.0)]),
            ([5, 5, 5, 15], []),
            ([5, 5, 5, 16], [("m3", 16, 5.0)]),
            ([1, 1, 1, 9], []),
            ([0, 0, 0, 10], []),  # the history starts with the first month that has links
            ([0, 0, 1, 0, 0, 10], [("m5", 10, 0.0)]),
            ([5, 5, 30], []),
            ([5, 5, 5, 40, 40, 40, 40], [("m3", 40, 5.0), ("m4", 40, 5.0), ("m5", 40, 5.0)]),
            ([], []),
            ([100] * 13 + [5] * 12 + [20], [("m25", 20, 5.0)]),
        ],
    )
    def test_spikes_against_own_history(self, counts, spikes):
        """A spike beats k x the median of the last 12 months, with a minimum count and history."""
        months = tuple((f"m{i}", n) for i, n in enumerate(counts))
        short = Thresholds(velocity_min_history=3, velocity_min_history_domains=1)
        assert velocity_spikes(months, short) == spikes

    @pytest.mark.parametrize(
        ("counts", "spikes"),
        [
            # A young site: its first months are its start, not a burst against a history.
            ([0] * 12 + [2, 30, 40, 45], []),
            ([5, 40, 60, 80, 90, 100], []),
            ([5, 40, 60, 80, 90, 100, 400], [("m6", 400, 70.0)]),
            # Six months and 30 referring domains of history, counted from the first link.
            ([0, 0, 0, 5, 5, 5, 5, 5, 5, 40], [("m9", 40, 5.0)]),
            ([0, 0, 0, 4, 4, 4, 4, 4, 4, 40], []),  # 24 domains of history: too few
        ],
    )
    def test_spikes_need_a_history(self, counts, spikes):
        """By default a month is judged after 6 months and 30 referring domains of history."""
        months = tuple((f"m{i}", n) for i, n in enumerate(counts))
        assert velocity_spikes(months, Thresholds()) == spikes

    def test_spike_flags_name_the_month(self):
        """Each spiking month is one VELOCITY_SPIKE flag, its month the subject."""
        months = (("2024-01", 4), ("2024-02", 5), ("2024-03", 4), ("2024-04", 60))
        short = Thresholds(velocity_min_history=3, velocity_min_history_domains=1)
        (flag,) = evaluate_flags(facts(new_domains_by_month=months), short)
        assert (flag.name, flag.subject, flag.value) == (N.VELOCITY_SPIKE, "2024-04", 60.0)
        assert flag.severity is Severity.CRITICAL
        assert flag.threshold == 12.0


def profile(anchors: list[str], **kwargs: object) -> LinkProfile:
    p = LinkProfile("example.com", keywords=["running shoes"])
    p.update(
        Backlink(f"https://site{i}.test/", anchor=a, nofollow=i % 3 == 0, sponsored=False,
                 ugc=False, **kwargs)  # type: ignore[arg-type]
        for i, a in enumerate(anchors)
    )  # fmt: skip
    return p


class TestOnProfiles:
    def test_natural_profile(self):
        """Brand, URL and generic anchors with some nofollow: no flag."""
        p = profile(["Example"] * 12 + ["example.com"] * 5 + ["click here"] * 3)
        assert p.flags() == ()

    def test_over_optimized_profile(self):
        """Exact-match anchors on most domains raise exact, money, branded and dominance flags."""
        p = profile(["running shoes"] * 15 + ["Example"] * 5)
        names = {f.name for f in p.flags()}
        assert {N.EXACT_MATCH_SHARE, N.MONEY_SHARE, N.LOW_BRANDED_SHARE, N.DOMINANT_ANCHOR} <= names

    def test_few_domains_only_insufficient_data(self):
        """Five referring domains, however skewed, give only INSUFFICIENT_DATA."""
        (flag,) = profile(["running shoes"] * 5).flags()
        assert flag.name is N.INSUFFICIENT_DATA

    def test_search_console_export_skips_anchor_rules(self):
        """Unknown anchors and rel (Search Console) skip those rules, saying so."""
        p = LinkProfile("example.com", keywords=["running shoes"])
        p.update(Backlink(f"https://site{i}.test/") for i in range(20))
        assert [f.subject for f in p.flags()] == ["anchor", "rel value"]

    def test_velocity_spike_on_a_profile(self):
        """A burst of new referring domains in one month is flagged with that month."""
        p = LinkProfile("example.com")
        days = [dt.date(2024, m, 1) for m in range(1, 7) for _ in range(6)] + [
            dt.date(2024, 7, 2)
        ] * 40
        p.update(
            Backlink(f"https://s{i}.test/", anchor="Example", first_seen=d)
            for i, d in enumerate(days)
        )
        spikes = [f for f in p.flags() if f.name is N.VELOCITY_SPIKE]
        assert [f.subject for f in spikes] == ["2024-07"]

    def test_subnet_cluster_on_a_profile(self):
        """Many referring domains on one /24 raise SUBNET_CONCENTRATION naming the subnet."""
        p = LinkProfile("example.com")
        p.update(
            Backlink(f"https://s{i}.test/", anchor="Example", source_ip=f"192.0.2.{i}")
            for i in range(1, 6)
        )
        p.update(
            Backlink(f"https://t{i}.test/", anchor="Example", source_ip=f"10.{i}.0.1")
            for i in range(10)
        )
        (flag,) = [f for f in p.flags() if f.name is N.SUBNET_CONCENTRATION]
        assert (flag.subject, flag.value) == ("192.0.2.0/24", 5 / 15)

    def test_sitewide_on_a_profile(self):
        """Most links from a site linking from every page raise SITEWIDE_LINKS."""
        p = profile(["Example"] * 12)
        p.update(Backlink(f"https://footer.test/{i}", anchor="Example") for i in range(200))
        flags = {f.name: f for f in p.flags()}
        assert flags[N.SITEWIDE_LINKS].value == pytest.approx(200 / 212)
        assert N.DOMAIN_CONCENTRATION in flags
