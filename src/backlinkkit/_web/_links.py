"""What a page's links are: `Link`, its `LinkKind` and `Section`, the page's `Robots`, `PageLinks`.

These are the values `extract_links` returns; they live apart from the extractor so the other
pieces (classifier, profile, fetcher) can use them without the parsing machinery.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

__all__ = ["Link", "LinkKind", "PageLinks", "Robots", "Section"]

# rel tokens that withhold endorsement (Google, "Qualify your outbound links", 2019).
_NOFOLLOW = "nofollow"
_SPONSORED = "sponsored"
_UGC = "ugc"


class LinkKind(enum.Enum):
    """What a link's content is: words, images, both, or nothing."""

    TEXT = "text"
    IMAGE = "image"
    MIXED = "mixed"
    EMPTY = "empty"


class Section(enum.Enum):
    """The page region a link sits in: the nearest enclosing landmark.

    `MAIN` covers `<main>` and `<article>` (and `role="main"` / `role="article"`): the content.
    """

    NAV = "nav"
    HEADER = "header"
    FOOTER = "footer"
    ASIDE = "aside"
    MAIN = "main"


@attrs.frozen
class Robots:
    """A page's robots directives, from `<meta name="robots|googlebot">` and `X-Robots-Tag`.

    Attributes:
        noindex: the page asks not to be indexed (`noindex` or `none`).
        nofollow: the page asks that none of its links be followed (`nofollow` or `none`).
        directives: every directive seen, lower-cased, in order of appearance.
    """

    noindex: bool = False
    nofollow: bool = False
    directives: tuple[str, ...] = ()


@attrs.frozen
class Link:
    """One `<a href>` or `<area href>` of a page, as a browser and a search engine see it.

    Attributes:
        href: the attribute value as written in the page.
        url: `href` resolved against the document's base URL by the WHATWG URL standard (what a
            browser's `element.href` gives); None where it does not parse.
        tag: `"a"` or `"area"`.
        text: the text content, whitespace collapsed and trimmed.
        image_alts: the `alt` of each `<img>` inside, in order; None for an image without one.
        title: the `title` attribute, or None.
        kind: text, image, mixed or empty.
        rel: the rel tokens, lower-cased, split on whitespace and commas, in order.
        followed: False when the link's rel or the page's robots directives withhold endorsement.
        in_noscript: the link sits inside `<noscript>` (which search engines mostly ignore).
        section: the nearest enclosing landmark region, or None.
        host: the URL's host, lower-cased punycode; None for hostless URLs (`mailto:`).
        domain: the registrable domain (site) of `host`, or None.
        is_external: the link points to another site than the page's.
        position: the link's index among the page's links, in document order.
        line: the source line the link starts on, when the parser knows it.
    """

    href: str
    url: str | None
    tag: str = "a"
    text: str = ""
    image_alts: tuple[str | None, ...] = ()
    title: str | None = None
    kind: LinkKind = LinkKind.EMPTY
    rel: tuple[str, ...] = ()
    followed: bool = True
    in_noscript: bool = False
    section: Section | None = None
    host: str | None = None
    domain: str | None = None
    is_external: bool = False
    position: int = 0
    line: int | None = None

    @property
    def anchor(self) -> str:
        """The anchor text: the text, or the images' alt texts joined by a space when none."""
        if self.text:
            return self.text
        return " ".join(alt.strip() for alt in self.image_alts if alt and alt.strip())

    @property
    def nofollow(self) -> bool:
        """The link carries `rel="nofollow"`."""
        return _NOFOLLOW in self.rel

    @property
    def sponsored(self) -> bool:
        """The link carries `rel="sponsored"` (paid or advertising)."""
        return _SPONSORED in self.rel

    @property
    def ugc(self) -> bool:
        """The link carries `rel="ugc"` (user-generated content)."""
        return _UGC in self.rel

    @property
    def scheme(self) -> str | None:
        """The resolved URL's scheme (`https`, `mailto`, `javascript`...), or None."""
        if self.url is None:
            return None
        return self.url.split(":", 1)[0]


@attrs.frozen
class PageLinks:
    """Every link of one page, with what the page says about itself.

    Iterating a `PageLinks` iterates its links, in document order.

    Attributes:
        url: the page's address, as given.
        base_url: the base its links resolve against (the first `<base href>`, else `url`).
        links: every `<a href>` and `<area href>`, in document order.
        robots: the page-level robots directives (meta tags and `X-Robots-Tag`).
        canonical: the `<link rel="canonical">` URL, resolved, or None.
        title: the `<title>` text, whitespace collapsed, or None.
        encoding: the encoding the bytes were decoded with (WHATWG name, e.g. `"utf-8"`).
        encoding_source: what decided it: `"bom"`, `"transport"`, `"meta"`, `"utf-8"`
            (the bytes were valid UTF-8), `"default"` (windows-1252), or `"str"` (already text).
    """

    url: str
    base_url: str
    links: tuple[Link, ...] = ()
    robots: Robots = Robots()
    canonical: str | None = None
    title: str | None = None
    encoding: str = "utf-8"
    encoding_source: str = "str"

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)
