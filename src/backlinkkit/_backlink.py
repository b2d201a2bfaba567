"""`Backlink`: one link from another page to the target site, whatever tool reported it."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping

import attrs

from ._links import Link, LinkKind, Section
from ._urls import SuffixList, hostname

__all__ = ["Backlink"]


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return types.MappingProxyType(dict(value))


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
    toxic_markers: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=tuple)
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
        version = state.get("version")
        if version != _STATE_VERSION:
            raise TypeError(f"cannot load a Backlink pickled with state version {version!r}")
        values = {name: state[name] for name in _FIELD_NAMES if name in state}
        kind, section = values.get("kind"), values.get("section")
        values["kind"] = None if kind is None else LinkKind(kind)
        values["section"] = None if section is None else Section(section)
        # A frozen instance is filled as __init__ would, through a fresh one's fields.
        fresh = Backlink(**values)  # type: ignore[arg-type]
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
_FIELD_NAMES = tuple(field.name for field in attrs.fields(Backlink))
