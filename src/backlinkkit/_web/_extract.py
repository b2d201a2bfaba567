"""`extract_links`: every link of an HTML page, as a browser's DOM has it.

The hot path is written for speed (benchmarks/extract_speed.py measures it): one lxml (libxml2)
parse of UTF-8 bytes; one C-level `iter(*tags)` scan for links, landmarks, `<noscript>` and head
elements instead of a Python walk over every node; each link's landmark found up its ancestors,
each element looked at once; URLs joined once per distinct href (and not parsed at all when
already in serialized form), sites looked up once per host. Every path takes time in proportion
to its input (benchmarks/hostile_pages.py): libxml2 builds an element's attributes in quadratic
time, so a linear pre-scan keeps the first `MAX_ATTRIBUTES` (1,000) of each (`_attributes`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

from lxml import etree

from .._errors import InvalidURLError
from ._attributes import capped
from ._encoding import decode, python_codec, sniff
from ._headers import header_value
from ._links import Link, LinkKind, PageLinks, Robots, Section
from ._urls import (
    HTTP_PREFIXES,
    SuffixList,
    host_of_serialized,
    join_url,
    parse_url,
    serialized_http_host,
)

__all__ = ["extract_links"]

# Landmark elements and the ARIA roles that mean the same (WAI-ARIA 1.2 landmark roles; HTML-AAM
# maps nav/header/footer/aside/main/article to them). `Section.MAIN` covers main and article.
_SECTION_FOR_TAG: dict[str, Section] = {
    "nav": Section.NAV,
    "header": Section.HEADER,
    "footer": Section.FOOTER,
    "aside": Section.ASIDE,
    "main": Section.MAIN,
    "article": Section.MAIN,
}
_SECTION_FOR_ROLE: dict[str, Section] = {
    "navigation": Section.NAV,
    "banner": Section.HEADER,
    "contentinfo": Section.FOOTER,
    "complementary": Section.ASIDE,
    "main": Section.MAIN,
    "article": Section.MAIN,
}
# rel tokens that withhold endorsement (Google, "Qualify your outbound links", 2019).
_UNFOLLOWED_REL = frozenset({"nofollow", "sponsored", "ugc"})
# <meta name> values whose robots directives apply to Google (robots meta tag docs).
_ROBOTS_META_NAMES = frozenset({"robots", "googlebot"})
# X-Robots-Tag directives that carry a value after a colon, so "name: value" is not a user agent.
_VALUED_DIRECTIVES = frozenset(
    {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}
)
# Special schemes (WHATWG URL): only their queries are encoded in the document's encoding.
_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})
# Encodings whose URL queries are UTF-8 anyway (WHATWG URL: "get an output encoding").
_UTF8_QUERY_ENCODINGS = frozenset({"utf-8", "utf-16be", "utf-16le", "replacement"})
# Chromium caps its DOM depth at 512 (kMaximumHTMLParserDOMTreeDepth) and appends deeper
# elements as siblings; libxml2 stops parsing at 2048 (with huge_tree), so deeper documents are
# rebuilt with this cap (see _DepthCappedBuilder).
_MAX_DEPTH = 512
_ASCII_WHITESPACE = "\t\n\x0c\r "
# After a leading "/", what makes an href something other than a path on the base's host:
# "//" and "/\\" start a host, and tabs and newlines are removed before parsing.
_NOT_PATH = frozenset({"/", "\\", "\t", "\n", "\r"})
# Every element the extraction looks at, for one scan of the tree.
_SCANNED_TAGS = (
    "a",
    "area",
    *_SECTION_FOR_TAG,
    "noscript",
    "template",
    "base",
    "meta",
    "link",
    "title",
)
_ASCII_WHITESPACE_RUN = re.compile("[\t\n\x0c\r ]+")
_local = threading.local()


def _parser() -> etree.HTMLParser:
    # lxml parsers are not meant to be shared between threads, and their error log is read
    # after each parse: one parser per thread, made once.
    parser: etree.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8",
            # Beyond libxml2's default limits: attributes over 10 MB and nesting deeper than 256.
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            default_doctype=False,  # type: ignore[call-arg]  # lxml-stubs lag lxml here
            compact=True,
            # No table of id attributes: nothing here looks elements up by id, and building it
            # costs 7% of the parse (measured on the corpus).
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def _text_content(element: etree._Element) -> str:
    """The DOM's textContent: every descendant text node, in order (comments are not kept)."""
    text: str = etree.tostring(element, method="text", encoding=str, with_tail=False)
    return text


def _collapse(text: str) -> str:
    """Collapse runs of ASCII whitespace to one space and trim (HTML's "strip and collapse")."""
    if text.isascii():
        # The fast path; str.split() also splits on U+000B and U+001C-U+001F, control
        # characters that do not occur in link text.
        return " ".join(text.split())
    return " ".join(_ASCII_WHITESPACE_RUN.split(text)).strip(_ASCII_WHITESPACE)


def extract_links(
    html: bytes | str, url: str, *, headers: Mapping[str, str] | None = None
) -> PageLinks:
    """Every `<a href>` and `<area href>` of an HTML page, resolved as a browser resolves them.

    Args:
        html: the page as bytes (decoded by WHATWG sniffing: BOM, the `Content-Type` charset in
            `headers`, `<meta>` prescan, UTF-8 when valid, else windows-1252), or as text.
        url: the page's address: the base for relative links unless the page has `<base href>`.
        headers: the HTTP response headers, if any (names in any case): `Content-Type` gives the
            charset, `X-Robots-Tag` page-level robots directives.

    Returns:
        The page's links in document order, with its base URL, canonical URL, robots directives,
        title and encoding. Any bytes or text make a page, as in a browser (random bytes, absurd
        nesting, control characters): at worst one without links.

    Raises:
        InvalidURLError: `url` is not an absolute URL.
        TypeError: `html` is neither bytes nor str, or `headers` is not a mapping of str to str.

    >>> page = extract_links(
    ...     b'<nav><a href="/about">About us</a></nav>'
    ...     b'<p><a href="https://example.org/x" rel="nofollow ugc">them</a>',
    ...     "https://www.example.com/blog/post",
    ... )
    >>> [(link.url, link.text, link.section, link.followed, link.is_external) for link in page]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('https://www.example.com/about', 'About us', <Section.NAV: 'nav'>, True, False),
     ('https://example.org/x', 'them', None, False, True)]
    """
    _check_headers(headers)
    # str(): a URL of another type is refused below like any text that is not a URL.
    page_url = parse_url(str(url))
    if page_url is None:
        raise InvalidURLError(f"not an absolute URL: {url!r}")
    if isinstance(html, str):
        # Lone surrogates (from a careless decode) go through as invalid UTF-8, which the
        # parser turns into U+FFFD, as a browser's DOM would.
        data = html.encode("utf-8", errors="surrogatepass")
        encoding, encoding_source = "utf-8", "str"
    elif isinstance(html, (bytes, bytearray, memoryview)):
        raw = bytes(html)
        sniffed = sniff(raw, headers=headers)
        encoding, encoding_source = sniffed.encoding, sniffed.source
        data = raw[sniffed.bom_length :] if sniffed.bom_length else raw
        if encoding != "utf-8":
            # libxml2 is fed UTF-8 only: its own decoders and encoding switches differ from the
            # Encoding Standard's, and a <meta> must not make it change its mind.
            data = decode(data, encoding).encode("utf-8", errors="replace")
    else:
        raise TypeError(f"html must be bytes or str, not {type(html).__name__}")
    data, _ = capped(data)  # the attributes past 1,000 of one element are dropped
    root = _parse(data)
    x_robots = header_value(headers, "x-robots-tag")
    if root is None:
        robots = _robots([], x_robots)
        return PageLinks(
            url=url,
            base_url=page_url,
            robots=robots,
            encoding=encoding,
            encoding_source=encoding_source,
        )
    extraction = _Extraction(
        root,
        url,
        page_url=page_url,
        encoding=encoding,
        encoding_source=encoding_source,
        x_robots=x_robots,
    )
    return extraction.run()


def _check_headers(headers: object) -> None:
    if headers is None:
        return
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping of str to str, not {type(headers).__name__}")
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"headers must be a mapping of str to str, not {name!r}: {value!r}")


def _parse(data: bytes) -> etree._Element | None:
    """The document's tree (None when it has no element at all); never raises for any bytes.

    libxml2 (recover mode) makes a tree of anything, as a browser does; what it would refuse or
    choke on is taken care of first (`_attributes.capped`) or after (`_parse_depth_capped`).
    """
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):  # pragma: no cover - recover=True parses all
        # A browser shows an empty document for what it cannot read; so does the extraction.
        return None
    if root is not None and _depth_exceeded(parser):
        root = _parse_depth_capped(data)
    return root


def _depth_exceeded(parser: etree.HTMLParser) -> bool:
    log = parser.error_log
    return bool(log) and any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in log)


# Characters an lxml tree cannot hold (XML 1.0's Char production): the main parse keeps them,
# since libxml2 builds its tree directly, but a tree built through lxml's API refuses them.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INVALID_NAME = "_"  # an element name lxml accepts, and none the extraction looks for


def _xml_text(text: str) -> str:
    return _NOT_XML_CHARS.sub("\ufffd", text)


def _valid_tag(tag: str) -> str:
    try:
        etree.QName(tag)
    except ValueError:  # "x:y", "a<b", control characters...
        return _INVALID_NAME
    return tag if ":" not in tag else _INVALID_NAME


def _text(value: str | bytes) -> str:
    # The parser decodes UTF-8 and hands over str; bytes only satisfy the target protocol.
    if isinstance(value, str):
        return value
    return value.decode("utf-8", "replace")  # pragma: no cover - encoding="utf-8" gives str


def _valid_attributes(attrib: dict[str | bytes, str | bytes]) -> dict[str | bytes, str | bytes]:
    # Names lxml refuses ("x:y", "a<b", '"') are none the extraction reads: they go.
    kept: dict[str | bytes, str | bytes] = {}
    for raw_name, value in attrib.items():
        name = _text(raw_name)
        if ":" in name or _valid_tag(name) is _INVALID_NAME:
            continue
        kept[name] = _xml_text(_text(value))
    return kept


class _DepthCappedBuilder:
    """A parser target that builds the tree but never nests deeper than `_MAX_DEPTH`.

    libxml2 gives up at 2048 levels and drops the rest of the document; browsers keep every
    element, appending those beyond their limit as siblings. This target does the same: an
    element that would open deeper than the cap closes the element open at the cap first, so an
    absurdly nested page still yields all its links (their text may be split, their sections and
    lines differ).

    Whatever libxml2 hands over, the tree takes: names lxml refuses (prefixed `x:y`, odd
    characters) become `_INVALID_NAME` (attributes with such names are dropped), and characters
    an lxml tree cannot hold become U+FFFD.
    """

    def __init__(self) -> None:
        self._builder = etree.TreeBuilder()
        self._open: list[str] = []  # the (valid) tags really open in the tree being built
        self._depth = 0  # the depth the markup asks for

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        self._depth += 1
        if len(self._open) > _MAX_DEPTH:
            self._builder.end(self._open.pop())
        name = _valid_tag(_text(tag))
        try:
            self._builder.start(name, dict(attrib))
        except ValueError:  # an attribute name or value lxml refuses
            self._builder.start(name, _valid_attributes(attrib))
        self._open.append(name)

    def end(self, tag: str | bytes) -> None:
        # Below the cap the markup's depth is the tree's. Beyond it, an end tag closes the
        # flattened element it names (if still open): text after a deep link stays out of it.
        open_tags = self._open
        if open_tags and (
            self._depth == len(open_tags)
            or (len(open_tags) > _MAX_DEPTH and open_tags[-1] == _valid_tag(_text(tag)))
        ):
            self._builder.end(open_tags.pop())
        self._depth -= 1

    def data(self, data: str | bytes) -> None:
        # (checked here: the builder refuses bad text only later, when it adds the text node)
        self._builder.data(_xml_text(_text(data)))

    def comment(self, text: str | bytes) -> None:
        """Comments are not kept (as with the main parser's remove_comments)."""

    def close(self) -> etree._Element:
        while self._open:
            self._builder.end(self._open.pop())
        return self._builder.close()


def _parse_depth_capped(data: bytes) -> etree._Element | None:
    target = _DepthCappedBuilder()
    parser = etree.HTMLParser(
        encoding="utf-8", target=target, huge_tree=True, remove_comments=True, remove_pis=True
    )
    try:
        root: etree._Element | None = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):  # pragma: no cover - recover=True parses all
        return None
    return root


def _robots(metas: list[str], header: str | None) -> Robots:
    """Robots directives from `<meta>` contents and an `X-Robots-Tag` value (Google's rules)."""
    directives: list[str] = []
    for content in metas:
        directives.extend(part for part in (p.strip().lower() for p in content.split(",")) if part)
    if header:
        agent: str | None = None
        for raw_part in header.split(","):
            part = raw_part.strip().lower()
            name, colon, value = part.partition(":")
            if colon and name.strip() not in _VALUED_DIRECTIVES:
                # "googlebot: nofollow": a user-agent prefix; it holds for what follows it.
                agent, part = name.strip(), value.strip()
            if part and agent in (None, "googlebot"):
                directives.append(part)
    unique = tuple(dict.fromkeys(directives))
    return Robots(
        noindex="noindex" in unique or "none" in unique,
        nofollow="nofollow" in unique or "none" in unique,
        directives=unique,
    )


def _encode_query(href: str, codec: str) -> str:
    """Percent-encode the non-ASCII characters of an href's query in the document's encoding.

    WHATWG URL parsing encodes a special URL's query with the document's encoding; ada-url always
    uses UTF-8. Characters the encoding lacks become `&#NNNN;`, percent-encoded (as browsers do).
    """
    fragment_start = href.find("#")
    end = len(href) if fragment_start < 0 else fragment_start
    query_start = href.find("?", 0, end)
    if query_start < 0:
        return href
    query = href[query_start + 1 : end]
    if query.isascii():
        return href
    # Character by character (so a stateful encoding such as ISO-2022-JP encodes each alone, as
    # before), each distinct character once: linear in the query, however long.
    encoded: dict[str, str] = {}
    parts = []
    for char in query:
        part = encoded.get(char)
        if part is None:
            part = encoded[char] = _encode_query_char(char, codec)
        parts.append(part)
    return f"{href[: query_start + 1]}{''.join(parts)}{href[end:]}"


def _encode_query_char(char: str, codec: str) -> str:
    if char.isascii():
        return char
    try:
        encoded = char.encode(codec)
    except UnicodeEncodeError:
        return f"%26%23{ord(char)}%3B"
    return "".join(f"%{byte:02X}" for byte in encoded)


def _outermost(templates: list[etree._Element]) -> list[etree._Element]:
    """The templates (in document order) that no other template contains.

    Clearing one clears those inside it; clearing those again would move their live contents
    once per enclosing template (quadratic in nested templates). Each element is looked at once.
    """
    inside: dict[etree._Element, bool] = {}  # element -> it is or sits in a template
    outermost = []
    for template in templates:
        chain = []
        node = template.getparent()
        in_template = False
        while node is not None:
            known = inside.get(node)
            if known is not None:
                in_template = known
                break
            chain.append(node)
            node = node.getparent()
        for element in reversed(chain):
            in_template = in_template or element.tag == "template"
            inside[element] = in_template
        if not in_template:
            outermost.append(template)
        inside[template] = True
    return outermost


class _Scan:
    """One pass over the elements of interest, collecting what the extraction needs.

    lxml's tag-filtered `iter(*tags)` walks the tree in C and makes Python objects only for the
    elements asked for: cheaper than a Python loop over every element (measured on the corpus).
    """

    __slots__ = (
        "anchors",
        "base_href",
        "canonical",
        "hrefs",
        "marks",
        "metas",
        "tags",
        "templates",
        "title",
    )

    def __init__(self, root: etree._Element) -> None:
        self.anchors: list[etree._Element] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []  # "a" or "area", for each of anchors
        self.templates: list[etree._Element] = []
        # landmark elements (nav, header...) and <noscript> (None), for _Regions
        self.marks: dict[etree._Element, Section | None] = {}
        self.base_href: str | None = None
        self.canonical: str | None = None
        self.title: str | None = None
        self.metas: list[str] = []
        anchors = self.anchors
        hrefs = self.hrefs
        tags = self.tags
        for element in root.iter(*_SCANNED_TAGS):
            tag = element.tag
            if tag == "a" or tag == "area":  # noqa: PLR1714 - the common case, tested first
                href = element.get("href")
                if href is not None:
                    anchors.append(element)
                    hrefs.append(href)
                    tags.append(tag)
            else:
                self._other(element, tag)

    def _other(self, element: etree._Element, tag: str) -> None:
        # Ordered by how often each tag comes (meta and link fill most heads).
        if tag == "meta":
            name = element.get("name")
            if name and name.strip().lower() in _ROBOTS_META_NAMES:
                content = element.get("content")
                if content:
                    self.metas.append(content)
        elif tag == "link":
            if self.canonical is None:
                rel = element.get("rel")
                if rel and "canonical" in rel.lower().split():
                    # resolved by the caller, once the base is known
                    self.canonical = element.get("href")
        elif tag in _SECTION_FOR_TAG:
            self.marks[element] = _SECTION_FOR_TAG[tag]
        elif tag == "noscript":
            self.marks[element] = None
        elif tag == "template":
            self.templates.append(element)
        elif tag == "base":
            if self.base_href is None:
                self.base_href = element.get("href")
        elif self.title is None:  # title
            self.title = _collapse(_text_content(element))


# What a link's surroundings make of it: its nearest landmark and whether it sits in <noscript>.
# Every combination is made once, so that remembering one per element allocates nothing.
_Region = tuple[Section | None, bool]
_REGIONS: dict[_Region, _Region] = {
    (section, in_noscript): (section, in_noscript)
    for section in (None, *Section)
    for in_noscript in (False, True)
}
_OUTSIDE: _Region = _REGIONS[None, False]


def _role_section(role: str) -> Section | None:
    """The landmark an ARIA `role` value names: its first token that is a landmark role."""
    for token in role.lower().split():
        section = _SECTION_FOR_ROLE.get(token)
        if section is not None:
            return section
    return None


class _Regions:
    """The nearest landmark and `<noscript>` around each element, remembered per element.

    A link looks up its parent; an element not seen yet walks up to the nearest element that has
    been (or to the root) and fills in every element on the way. So every element is visited at
    most once per page, however deeply landmarks nest, and elements outside any link's ancestry
    never are. The nearest landmark wins; on one element an ARIA landmark role beats the tag's
    own meaning (`<nav role=main>` is main), as in ARIA.
    """

    __slots__ = ("known", "marks", "roles")

    def __init__(self, marks: dict[etree._Element, Section | None]) -> None:
        self.known: dict[etree._Element, _Region] = {}
        self.marks = marks  # landmark element -> its section; <noscript> -> None
        self.roles: dict[str, Section | None] = {}

    def of(self, element: etree._Element) -> _Region:
        """The region of `element` (not known yet: look in `known` first), itself included."""
        known = self.known
        region: _Region | None = None
        chain = [element]
        parent = element.getparent()
        while parent is not None:
            region = known.get(parent)
            if region is not None:
                break
            chain.append(parent)
            parent = parent.getparent()
        else:
            region = _OUTSIDE
        marks = self.marks
        for node in reversed(chain):
            role = node.get("role")
            if role is not None or node in marks:
                region = self._inside(region, node, role)
            known[node] = region
        return region

    def _inside(self, around: _Region, node: etree._Element, role: str | None) -> _Region:
        section = None if role is None else self.role(role)
        if section is None:
            section = self.marks.get(node)
        in_noscript = around[1] or (node in self.marks and self.marks[node] is None)
        return _REGIONS[section or around[0], in_noscript]

    def role(self, role: str) -> Section | None:
        """`_role_section`, once per distinct value."""
        try:
            return self.roles[role]
        except KeyError:
            section = self.roles[role] = _role_section(role)
            return section


class _Extraction:
    """One page's extraction: the parsed tree, the page's base and site, and per-page caches."""

    def __init__(
        self,
        root: etree._Element,
        url: str,
        *,
        page_url: str,
        encoding: str,
        encoding_source: str,
        x_robots: str | None,
    ) -> None:
        self.root = root
        self.url = url
        self.page_url = page_url
        self.encoding = encoding
        self.encoding_source = encoding_source
        self.x_robots = x_robots
        self.suffixes = SuffixList.bundled()
        page_host = host_of_serialized(page_url)
        self.page_domain = self.suffixes.registrable_domain(page_host) if page_host else None
        self.query_codec = None if encoding in _UTF8_QUERY_ENCODINGS else python_codec(encoding)

    def run(self) -> PageLinks:
        scan = _Scan(self.root)
        if scan.templates:
            # <template> contents live outside the document in browsers: drop them, look again.
            for template in _outermost(scan.templates):
                template.clear(keep_tail=True)  # type: ignore[call-arg]  # stubs lag lxml
            scan = _Scan(self.root)
        base_url = self.page_url if scan.base_href is None else self._base(scan.base_href)
        robots = _robots(scan.metas, self.x_robots)
        canonical = None if scan.canonical is None else self._join(base_url, scan.canonical)
        links = self._links(scan, base_url, robots.nofollow) if scan.anchors else ()
        return PageLinks(
            url=self.url,
            base_url=base_url,
            links=links,
            robots=robots,
            canonical=canonical,
            title=scan.title,
            encoding=self.encoding,
            encoding_source=self.encoding_source,
        )

    def _base(self, href: str) -> str:
        # HTML "frozen base URL": a base that fails to parse, or is data:/javascript:, is ignored.
        joined = self._join(self.page_url, href)
        if joined is None or joined.startswith(("data:", "javascript:")):
            return self.page_url
        return joined

    def _join(self, base: str, href: str) -> str | None:
        joined = _join_to_valid_base(base, href)
        if self.query_codec is not None and joined is not None and not href.isascii():
            encoded = _encode_query(href, self.query_codec)
            if encoded is not href and joined.split(":", 1)[0] in _SPECIAL_SCHEMES:
                # Only a special URL's query takes the document's encoding; others stay UTF-8.
                return join_url(base, encoded)
        return joined

    def _links(self, scan: _Scan, base_url: str, page_nofollow: bool) -> tuple[Link, ...]:
        resolved: dict[str, tuple[str | None, str | None, str | None, bool]] = {}
        rels: dict[str | None, tuple[tuple[str, ...], bool]] = {None: ((), True), "": ((), True)}
        registrable_domain = self.suffixes.registrable_domain
        page_domain = self.page_domain
        sites: dict[str, tuple[str, bool]] = {}  # host -> (registrable domain, is external)
        base_host = host_of_serialized(base_url)
        base_site = None
        if base_host is not None:
            base_domain = registrable_domain(base_host)
            base_site = sites[base_host] = (base_domain, base_domain != page_domain)
        page_followed = not page_nofollow
        join = _join_to_valid_base if self.query_codec is None else self._join
        # A path-absolute href ("/about") on an http(s) base is the base's origin and the path:
        # parsing that text is parsing the href against the base, without parsing the base again.
        # (Not for other encodings: their queries are encoded apart, see _join.)
        origin = None
        if self.query_codec is None and base_url.startswith(HTTP_PREFIXES):
            origin = base_url[: base_url.find("/", base_url.find("//") + 2)]
        kept_as_written = serialized_http_host
        collapse = _collapse
        # Enum members as locals: looking one up on its class costs more than the rest of a
        # short link's text handling.
        kind_text, kind_image, kind_mixed, kind_empty = (
            LinkKind.TEXT,
            LinkKind.IMAGE,
            LinkKind.MIXED,
            LinkKind.EMPTY,
        )
        regions = _Regions(scan.marks)
        region_of = regions.of
        known_regions = regions.known
        role_section = regions.role
        links = []
        for position, (element, href, tag) in enumerate(
            zip(scan.anchors, scan.hrefs, scan.tags, strict=True)
        ):
            target = resolved.get(href)
            if target is None:
                host: str | None
                if base_site is not None and href[:1] == "/" and href[1:2] not in _NOT_PATH:
                    # A path-absolute href ("/about") keeps the base's host: no need to look.
                    url = join(base_url, href) if origin is None else parse_url(origin + href)
                    host = None if url is None else base_host
                elif (host := kept_as_written(href)) is not None:
                    # Already serialized (and ASCII, so no query to encode): no parse at all.
                    url = href
                else:
                    url = join(base_url, href)
                    host = None if url is None else host_of_serialized(url)
                if host is None:
                    target = (url, None, None, False)
                else:
                    site = sites.get(host)
                    if site is None:
                        found = registrable_domain(host)
                        site = sites[host] = (found, found != page_domain)
                    target = (url, host, site[0], site[1])
                resolved[href] = target
            url, host, domain, is_external = target
            rel_value = element.get("rel")
            rel_followed = rels.get(rel_value)
            if rel_followed is None:
                tokens = tuple(rel_value.lower().replace(",", " ").split())  # type: ignore[union-attr]
                rel_followed = rels[rel_value] = (tokens, _UNFOLLOWED_REL.isdisjoint(tokens))
            rel, followed = rel_followed
            if len(element):
                # tostring(method="text") is the fastest textContent lxml has (C, one call).
                text = collapse(_text_content(element))
                image_alts = tuple([image.get("alt") for image in element.iter("img")])
                if text:
                    kind = kind_mixed if image_alts else kind_text
                else:
                    kind = kind_image if image_alts else kind_empty
            else:
                raw_text = element.text
                if not raw_text:
                    text = ""
                elif raw_text.isascii():
                    text = " ".join(raw_text.split())  # _collapse's fast path, inlined
                else:
                    text = collapse(raw_text)
                image_alts = ()
                kind = kind_text if text else kind_empty
            parent = element.getparent()
            section, in_noscript = (
                _OUTSIDE if parent is None else (known_regions.get(parent) or region_of(parent))
            )
            role = element.get("role")
            if role is not None:
                # a landmark role on the link itself (its tag is no landmark)
                section = role_section(role) or section
            links.append(
                Link(
                    href, url, tag, text, image_alts, element.get("title"), kind, rel,
                    page_followed and followed, in_noscript, section, host, domain,
                    is_external, position, element.sourceline,  # type: ignore[arg-type]  # stubs: int | None
                )
            )  # fmt: skip
        return tuple(links)


def _join_to_valid_base(base: str, href: str) -> str | None:
    """`join_url` for a base known to parse (the page's or its base element's serialized URL)."""
    if href.startswith(HTTP_PREFIXES):
        # The base plays no part in parsing "http(s)://..." once it is valid: spare parsing it.
        return parse_url(href)
    return join_url(base, href)
