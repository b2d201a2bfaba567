"""`Backlink`: one link from another page to the target site, whatever tool reported it."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from ._errors import ArgumentTypeError, PickleStateError
from ._web._links import Link, LinkKind, Section
from ._web._urls import SuffixList, hostname

__all__ = ["Backlink"]


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    # Typed callers pass a mapping of str; untyped ones may not, hence checks on objects.
    given: object = value
    if not isinstance(given, Mapping):
        raise ArgumentTypeError(
            f"Backlink extra must be a mapping of str to str, not {type(given).__name__}"
        )
    columns: dict[object, object] = dict(given)
    # Exact str keys and cells (what the importers give) pass with two C-level type scans.
    if columns and not set(map(type, columns)) | set(map(type, columns.values())) <= _STR:
        for key, cell in columns.items():
            if not isinstance(key, str) or not isinstance(cell, str):
                raise ArgumentTypeError(
                    f"Backlink extra must map str to str, not {type(key).__name__} {key!r:.80}"
                    f" to {type(cell).__name__} {cell!r:.80}"
                )
    return types.MappingProxyType(columns)  # type: ignore[arg-type]  # all str, checked


def _markers_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # A lone string is one marker mistyped, not a tuple of its characters (typed callers
    # cannot pass one; untyped ones can).
    given: object = value
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise ArgumentTypeError(
            f"Backlink toxic_markers must be an iterable of str, not {type(value).__name__}"
            f" {value!r:.80}"
        )
    return tuple(value)


@attrs.frozen
class Backlink:
    """One backlink: a link on `source_url` pointing to `target_url`.

    Exports do not all know everything: Search Console gives no anchor and no rel, Majestic no
    `sponsored` or `ugc`. What a source does not say is None ("unknown"), never a guessed False.

    Attributes:
        source_url: the linking page.
        target_url: the page linked to, or None when the export does not say.
        anchor: the anchor text (alt texts for image links), or None when unknown.
        nofollow: the link carries rel nofollow (or sits on a nofollow page); None if unknown.
        sponsored: the link carries rel sponsored; None if unknown.
        ugc: the link carries rel ugc; None if unknown.
        kind: text, image, mixed or empty; None if unknown.
        first_seen: when the link was first seen, if known.
        last_seen: when the link was last seen, if known.
        lost: when the link was found gone, if it was.
        source_ip: the linking host's IP address, if known.
        section: the page region the link sits in, if known.
        source_title: the linking page's title, if the export gives it.
        spam: the tool marks the link as spam (Ahrefs "Is spam"); None if it does not say.
        toxicity: the tool's toxicity score for the link (Semrush Backlink Audit, 0-100).
        toxic_markers: the toxic markers the tool lists for it (Semrush Backlink Audit).
        sitewide: the tool marks the link as sitewide (Semrush "Sitewide").
        domain_rating: Ahrefs' Domain Rating of the linking site (0-100).
        url_rating: Ahrefs' URL Rating of the linking page (0-100).
        page_ascore: Semrush's Authority Score of the linking page (0-100).
        trust_flow: Majestic's Trust Flow of the linking page (0-100).
        citation_flow: Majestic's Citation Flow of the linking page (0-100).
        domain_authority: Moz's Domain Authority of the linking site (1-100).
        page_authority: Moz's Page Authority of the linking page (1-100).
        external_links: how many external links the linking page itself has (Ahrefs and
            Semrush "External links"): thousands of them mark a link farm.
        linked_domains: how many distinct sites the linking page links to (Ahrefs "Linked
            domains").
        extra: the tool's own columns, by their header names (not used for hashing).

    Every field after `section` is keyword-only: exports fill them where they have the column.
    """

    source_url: str
    target_url: str | None = None
    anchor: str | None = None
    nofollow: bool | None = None
    sponsored: bool | None = None
    ugc: bool | None = None
    kind: LinkKind | None = None
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    lost: dt.date | None = None
    source_ip: str | None = None
    section: Section | None = None
    source_title: str | None = attrs.field(default=None, kw_only=True)
    spam: bool | None = attrs.field(default=None, kw_only=True)
    toxicity: float | None = attrs.field(default=None, kw_only=True)
    toxic_markers: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_markers_tuple)
    sitewide: bool | None = attrs.field(default=None, kw_only=True)
    domain_rating: float | None = attrs.field(default=None, kw_only=True)
    url_rating: float | None = attrs.field(default=None, kw_only=True)
    page_ascore: float | None = attrs.field(default=None, kw_only=True)
    trust_flow: float | None = attrs.field(default=None, kw_only=True)
    citation_flow: float | None = attrs.field(default=None, kw_only=True)
    domain_authority: float | None = attrs.field(default=None, kw_only=True)
    page_authority: float | None = attrs.field(default=None, kw_only=True)
    external_links: int | None = attrs.field(default=None, kw_only=True)
    linked_domains: int | None = attrs.field(default=None, kw_only=True)
    extra: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        # One set comparison per group of fields: the profile builds many backlinks, so the
        # usual case (exact types, mostly None) costs a few hundred nanoseconds; only a value of
        # another type takes the slow path that finds and names it.
        if not (
            type(self.source_url) is str
            and {
                type(self.target_url),
                type(self.anchor),
                type(self.source_ip),
                type(self.source_title),
            }
            <= _TEXT_TYPES
            and {
                type(self.nofollow),
                type(self.sponsored),
                type(self.ugc),
                type(self.spam),
                type(self.sitewide),
            }
            <= _FLAG_TYPES
            and {type(self.first_seen), type(self.last_seen), type(self.lost)} <= _DATE_TYPES
            # Apart: one set would let a Section pass as a kind and a LinkKind as a section.
            and type(self.kind) in _KIND_TYPES
            and type(self.section) in _SECTION_TYPES
            and {
                type(self.toxicity),
                type(self.domain_rating),
                type(self.url_rating),
                type(self.page_ascore),
                type(self.trust_flow),
                type(self.citation_flow),
                type(self.domain_authority),
                type(self.page_authority),
            }
            <= _SCORE_TYPES
            and {type(self.external_links), type(self.linked_domains)} <= _COUNT_TYPES
            and (not self.toxic_markers or {type(m) for m in self.toxic_markers} == {str})
        ):
            _check_types(self)

    # Pickles carry versioned plain data (enums by value, `extra` as a dict), so a pickle names
    # no private module and survives the code moving; fields a newer version adds get their
    # defaults when an older pickle is loaded.
    def __getstate__(self) -> dict[str, object]:
        state: dict[str, object] = {"version": _STATE_VERSION}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, (LinkKind, Section)):
                value = value.value
            state[name] = value
        state["extra"] = dict(self.extra)
        return state

    def __setstate__(self, state: Mapping[str, object]) -> None:
        if not isinstance(state, Mapping):
            raise PickleStateError(
                f"cannot load a Backlink from {type(state).__name__} state: a mapping is expected"
            )
        version = state.get("version")
        if version != _STATE_VERSION:
            raise PickleStateError(f"cannot load a Backlink pickled with state version {version!r}")
        values = {name: state[name] for name in _FIELD_NAMES if name in state}
        if "source_url" not in values:
            raise PickleStateError("cannot load a Backlink: its state has no source_url")
        values["kind"] = _enum_state(LinkKind, "kind", values.get("kind"))
        values["section"] = _enum_state(Section, "section", values.get("section"))
        # A frozen instance is filled as __init__ would, through a fresh one's fields (which
        # checks their types: a wrong-typed field is bad state, named in the message).
        try:
            fresh = Backlink(**values)  # type: ignore[arg-type]
        except ArgumentTypeError as error:
            raise PickleStateError(f"cannot load a Backlink: {error}") from None
        for name in _FIELD_NAMES:
            object.__setattr__(self, name, getattr(fresh, name))

    @classmethod
    def from_link(cls, link: Link, source_url: str) -> Backlink:
        """Make a backlink of a link extracted (by `extract_links`) from the page `source_url`.

        A link on a page whose robots directives say nofollow counts as nofollow: it passes no
        endorsement, whatever its own rel says.

        >>> from backlinkkit import Link
        >>> link = Link(href="/", url="https://example.com/", text="Example", rel=("ugc",),
        ...             followed=False)
        >>> Backlink.from_link(link, "https://blog.test/post").ugc
        True
        """
        # Unfollowed without a rel that says why: the page's robots made it so.
        page_nofollow = not link.followed and not (link.nofollow or link.sponsored or link.ugc)
        return cls(
            source_url=source_url,
            target_url=link.url,
            anchor=link.anchor,
            nofollow=link.nofollow or page_nofollow,
            sponsored=link.sponsored,
            ugc=link.ugc,
            kind=link.kind,
            section=link.section,
        )

    @property
    def source_host(self) -> str | None:
        """The linking page's host, lower-cased punycode, or None if the URL has none."""
        return hostname(self.source_url)

    @property
    def source_domain(self) -> str | None:
        """The linking page's registrable domain (the referring domain), or None."""
        host = self.source_host
        return None if host is None else SuffixList.bundled().registrable_domain(host)

    @property
    def followed(self) -> bool | None:
        """The link passes endorsement (none of nofollow, sponsored, ugc); None if unknown."""
        flags = (self.nofollow, self.sponsored, self.ugc)
        if any(flags):
            return False
        if None in flags:
            return None
        return True


_STATE_VERSION = 1
_STR: frozenset[type] = frozenset({str})
_FIELD_NAMES = tuple(field.name for field in attrs.fields(Backlink))
_TEXT_TYPES: frozenset[type] = frozenset({str, type(None)})
_FLAG_TYPES: frozenset[type] = frozenset({bool, type(None)})
_DATE_TYPES: frozenset[type] = frozenset({dt.date, type(None)})
_KIND_TYPES: frozenset[type] = frozenset({LinkKind, type(None)})
_SECTION_TYPES: frozenset[type] = frozenset({Section, type(None)})
_SCORE_TYPES: frozenset[type] = frozenset({float, int, type(None)})
_COUNT_TYPES: frozenset[type] = frozenset({int, type(None)})

# What each typed field takes, for the slow path that names a wrong value (subclasses pass:
# a numpy float is a float).
_EXPECTED: Mapping[str, tuple[tuple[type, ...], str]] = {
    "source_url": ((str,), "a str"),
    **dict.fromkeys(
        ("target_url", "anchor", "source_ip", "source_title"), ((str, type(None)), "a str or None")
    ),
    **dict.fromkeys(
        ("nofollow", "sponsored", "ugc", "spam", "sitewide"), ((bool, type(None)), "a bool or None")
    ),
    **dict.fromkeys(
        ("first_seen", "last_seen", "lost"), ((dt.date, type(None)), "a datetime.date or None")
    ),
    "kind": ((LinkKind, type(None)), "a LinkKind or None"),
    "section": ((Section, type(None)), "a Section or None"),
    **dict.fromkeys(
        (
            "toxicity",
            "domain_rating",
            "url_rating",
            "page_ascore",
            "trust_flow",
            "citation_flow",
            "domain_authority",
            "page_authority",
        ),
        ((float, int, type(None)), "a number (float or int) or None"),
    ),
    **dict.fromkeys(("external_links", "linked_domains"), ((int, type(None)), "an int or None")),
}


def _check_types(backlink: Backlink) -> None:
    """Raise `ArgumentTypeError` naming the first field whose value is of a wrong type."""
    for name, (types_, expected) in _EXPECTED.items():
        value = getattr(backlink, name)
        # bool is an int, but True is no rating or count.
        if not isinstance(value, types_) or (isinstance(value, bool) and bool not in types_):
            raise ArgumentTypeError(
                f"Backlink {name} must be {expected}, not {type(value).__name__} {value!r:.80}"
            )
    for marker in backlink.toxic_markers:
        if not isinstance(marker, str):
            raise ArgumentTypeError(
                f"Backlink toxic_markers must hold str, not {type(marker).__name__} {marker!r:.80}"
            )


_E = TypeVar("_E", LinkKind, Section)


def _enum_state(enum: type[_E], name: str, value: object) -> _E | None:
    """A pickled enum field (held by its value) back as the enum; bad values name the field."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        raise PickleStateError(
            f"cannot load a Backlink: {name} {value!r:.80} is not a {enum.__name__} value"
        ) from None
