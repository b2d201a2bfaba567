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
        extra: the tool's own columns, by their header names (not used for hashing).
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
    extra: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False, repr=False
    )

    def __reduce__(self) -> tuple[type[Backlink], tuple[object, ...]]:
        # A read-only mapping view does not pickle: rebuild through the constructor, which makes
        # one again from a plain dict (records cross processes when profiles are built in parts).
        *fields, extra = attrs.astuple(self, recurse=False)
        return (Backlink, (*fields, dict(extra)))

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
