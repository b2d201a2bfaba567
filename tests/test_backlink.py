"""The `Link` and `Backlink` values: derived properties and the link-to-backlink bridge."""

from __future__ import annotations

import datetime as dt
import enum
import math
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlinkkit import (
    ArgumentTypeError,
    Backlink,
    BacklinkkitError,
    Link,
    LinkKind,
    PickleStateError,
    Section,
)


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


class _Text(str):
    """A str subclass (as pandas and ORMs hand out): a text all the same."""

    __slots__ = ()


class _Count(enum.IntEnum):
    """An int subclass that is not a bool: a count all the same."""

    TEN = 10


class _Moment(dt.datetime):
    """A date subclass twice removed: a date all the same."""


# Each typed field's group: the values it takes (subclasses included) and values it refuses.
_TEXT_FIELDS = ("target_url", "anchor", "source_ip", "source_title")
_FLAG_FIELDS = ("nofollow", "sponsored", "ugc", "spam", "sitewide")
_DATE_FIELDS = ("first_seen", "last_seen", "lost")
_SCORE_FIELDS = (
    "toxicity",
    "domain_rating",
    "url_rating",
    "page_ascore",
    "trust_flow",
    "citation_flow",
    "domain_authority",
    "page_authority",
)
_COUNT_FIELDS = ("external_links", "linked_domains")
_ANY_WRONG = (b"https://a.test/", bytearray(b"x"), object(), [1], {"a": 1}, 1j)
_GROUPS = [
    (
        ("source_url",),
        ("https://a.test/", _Text("https://a.test/")),
        (None, 1, 1.5, True, dt.date(2026, 1, 2), LinkKind.TEXT, *_ANY_WRONG),
    ),
    (
        _TEXT_FIELDS,
        (None, "x", "", _Text("x")),
        (1, 1.5, True, dt.date(2026, 1, 2), LinkKind.TEXT, *_ANY_WRONG),
    ),
    (
        _FLAG_FIELDS,
        (None, True, False),
        ("false", "true", 0, 1, 1.0, dt.date(2026, 1, 2), LinkKind.TEXT, *_ANY_WRONG),
    ),
    (
        _DATE_FIELDS,
        (
            None,
            dt.date(2026, 1, 2),
            dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
            _Moment(2026, 1, 2, tzinfo=dt.UTC),
        ),
        ("2026-01-02", 20260102, 1.5, True, dt.time(1, 2), *_ANY_WRONG),
    ),
    (
        ("kind",),
        (None, LinkKind.TEXT, LinkKind.IMAGE),
        ("text", 1, True, Section.FOOTER, *_ANY_WRONG),
    ),
    (
        ("section",),
        (None, Section.FOOTER),
        ("footer", 1, True, LinkKind.TEXT, *_ANY_WRONG),
    ),
    (
        _SCORE_FIELDS,
        (None, 0, 71, 71.5, _Count.TEN, float("nan")),
        ("71", True, False, dt.date(2026, 1, 2), LinkKind.TEXT, *_ANY_WRONG),
    ),
    (
        _COUNT_FIELDS,
        (None, 0, 12_000, _Count.TEN),
        ("12", 1.5, 12.0, True, False, dt.date(2026, 1, 2), LinkKind.TEXT, *_ANY_WRONG),
    ),
]
_RIGHT = st.sampled_from([(f, v) for fields, right, _ in _GROUPS for f in fields for v in right])
_WRONG = st.sampled_from([(f, v) for fields, _, wrong in _GROUPS for f in fields for v in wrong])


def _backlink(field: str, value: object) -> Backlink:
    """A backlink with `value` in `field` (source_url given by position when it is the field)."""
    if field == "source_url":
        return Backlink(value)  # type: ignore[arg-type]
    return Backlink("https://a.test/", **{field: value})  # type: ignore[arg-type]


class TestBacklinkFieldTypes:
    def test_groups_cover_every_typed_field(self):
        """The tables below name every field but the two converted ones (markers and extra)."""
        named = {f for fields, _, _ in _GROUPS for f in fields}
        assert named == {f.name for f in attrs.fields(Backlink)} - {"toxic_markers", "extra"}

    @given(_WRONG, _WRONG)
    def test_wrong_types_raise_naming_the_field(self, wrong, other):
        """A wrong-typed value raises ArgumentTypeError (a BacklinkkitError and a TypeError)
        naming its field, whatever else is set right or wrong beside it."""
        field, value = wrong
        with pytest.raises(ArgumentTypeError, match=rf"^Backlink {field} must be ") as raised:
            _backlink(field, value)
        assert isinstance(raised.value, BacklinkkitError)
        assert isinstance(raised.value, TypeError)
        assert type(value).__name__ in str(raised.value)
        # With two wrong fields, one of the two is named.
        kwargs = {wrong[0]: wrong[1], other[0]: other[1]}
        source = kwargs.pop("source_url", "https://a.test/")
        with pytest.raises(ArgumentTypeError) as raised:
            Backlink(source, **kwargs)  # type: ignore[arg-type]
        assert {wrong[0], other[0]} & set(str(raised.value).split())

    @given(st.lists(_RIGHT, max_size=6))
    def test_right_types_pass_subclasses_included(self, settings):
        """Values of the right types, or their subclasses (a datetime is a date), are kept."""
        kwargs = dict(settings)
        source = kwargs.pop("source_url", "https://a.test/")
        backlink = Backlink(source, **kwargs)  # type: ignore[arg-type]
        for field, value in kwargs.items():
            assert getattr(backlink, field) is value

    @pytest.mark.parametrize("field", _SCORE_FIELDS + _COUNT_FIELDS)
    @pytest.mark.parametrize("flag", [True, False])
    def test_a_bool_is_no_rating_or_count(self, field, flag):
        """bool is an int to Python, but True is no Domain Rating nor a count of links."""
        with pytest.raises(ArgumentTypeError, match=f"{field} must be .* not bool {flag}"):
            _backlink(field, flag)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"toxic_markers": "Spam"}, "toxic_markers must be an iterable of str, not str"),
            ({"toxic_markers": b"Spam"}, "toxic_markers must be an iterable of str, not bytes"),
            ({"toxic_markers": 3}, "toxic_markers must be an iterable of str, not int"),
            ({"toxic_markers": ["Spam", 3]}, "toxic_markers must hold str, not int 3"),
            ({"extra": 3}, "extra must be a mapping of str to str, not int"),
            ({"extra": [("a", "b")]}, "extra must be a mapping of str to str, not list"),
            (
                {"extra": {"Domain rating": 71}},
                "extra must map str to str, not str 'Domain rating' to int 71",
            ),
            ({"extra": {1: "a"}}, "extra must map str to str, not int 1 to str 'a'"),
        ],
    )
    def test_markers_and_extra_are_checked(self, kwargs, message):
        """The converted fields refuse wrong types too; a lone string is not split in letters."""
        with pytest.raises(ArgumentTypeError, match=message):
            Backlink("https://a.test/", **kwargs)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"toxic_markers": ["Spam", _Text("Link network")]},
            {"toxic_markers": iter(("Spam",))},
            {"extra": {"Domain rating": "71", _Text("Ref"): _Text("x")}},
        ],
    )
    def test_markers_and_extra_take_iterables_and_subclasses(self, kwargs):
        """Any iterable of str makes the markers; str subclasses are str in extra."""
        backlink = Backlink("https://a.test/", **kwargs)
        assert all(isinstance(m, str) for m in backlink.toxic_markers)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in backlink.extra.items())


def _state(**changes: object) -> dict[str, object]:
    """A good pickled state of a backlink with `changes` applied (a value of None drops a key)."""
    state = Backlink("https://a.test/", kind=LinkKind.TEXT, domain_rating=71).__getstate__()
    state.update(changes)
    return {k: v for k, v in state.items() if v is not _DROP}


_DROP = object()


def _is_nan(value: object) -> bool:
    """The value is a float NaN (equal to nothing, itself included)."""
    return isinstance(value, float) and math.isnan(value)


class TestBacklinkState:
    def test_state_is_plain_versioned_data(self):
        """The state holds a version and enums by value: no private name in the pickle."""
        state = _state()
        assert (state["version"], state["kind"]) == (1, "text")
        assert b"backlinkkit._" not in pickle.dumps(Backlink("https://a.test/", kind=LinkKind.TEXT))

    @pytest.mark.parametrize(
        ("state", "message"),
        [
            (["https://a.test/"], "from list state: a mapping is expected"),
            (None, "from NoneType state: a mapping is expected"),
            (_state(version=2), "state version 2"),
            (_state(version=_DROP), "state version None"),
            (_state(version="1"), "state version '1'"),
            (_state(source_url=_DROP), "its state has no source_url"),
            (_state(kind="TEXT"), "kind 'TEXT' is not a LinkKind value"),
            (_state(kind=1), "kind 1 is not a LinkKind value"),
            (_state(section="sidebar-ish"), "section 'sidebar-ish' is not a Section value"),
            (_state(source_url=b"https://a.test/"), "source_url must be a str, not bytes"),
            (_state(domain_rating="71"), "domain_rating must be a number .* not str '71'"),
            (_state(external_links=True), "external_links must be an int or None, not bool"),
            (_state(first_seen="2026-01-02"), "first_seen must be a datetime.date or None"),
            (_state(extra=[("a", "b")]), "extra must be a mapping of str to str, not list"),
        ],
    )
    def test_bad_states_raise(self, state, message):
        """A state this version cannot load raises PickleStateError (a BacklinkkitError and a
        TypeError, as pickle's own) saying what is wrong; nothing half-loaded escapes."""
        backlink = Backlink.__new__(Backlink)
        with pytest.raises(PickleStateError, match=message) as raised:
            backlink.__setstate__(state)  # type: ignore[arg-type]
        assert isinstance(raised.value, TypeError)
        assert str(raised.value).startswith("cannot load a Backlink")

    def test_an_older_state_without_newer_fields_loads_with_defaults(self):
        """Fields a later version added are absent from older states: they get defaults."""
        backlink = Backlink.__new__(Backlink)
        backlink.__setstate__({"version": 1, "source_url": "https://a.test/"})
        assert backlink == Backlink("https://a.test/")

    @given(st.lists(_RIGHT, max_size=6))
    def test_round_trip(self, settings):
        """Any backlink of right-typed fields comes back equal from its pickle."""
        kwargs = dict(settings)
        source = kwargs.pop("source_url", "https://a.test/")
        kwargs = {k: v for k, v in kwargs.items() if not _is_nan(v)}  # NaN is never equal
        backlink = Backlink(source, **kwargs, extra={"Ref": "x"})  # type: ignore[arg-type]
        loaded = pickle.loads(pickle.dumps(backlink))
        assert loaded == backlink
        assert loaded.extra == {"Ref": "x"}
