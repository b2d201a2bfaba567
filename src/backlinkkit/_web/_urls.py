"""URLs and sites: WHATWG parsing and joining (ada-url), hosts, registrable domains (the PSL).

Browsers resolve links by the WHATWG URL standard, so this module does too, through ada-url;
`urllib.parse` is not used (it disagrees with browsers on about one link in twenty). Registrable
domains come from a bundled, dated copy of the public suffix list, private section included, read
with publicsuffix2's matcher behind a thin wrapper that applies the PSL's default rule `*`.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Set as AbstractSet
from importlib import resources

import ada_url
import attrs
from publicsuffix2 import PublicSuffixList as _Matcher

from .._errors import InvalidURLError, SuffixListError

__all__ = [
    "HTTP_PREFIXES",
    "SuffixList",
    "host_of_serialized",
    "hostname",
    "is_ip_address",
    "is_site_root",
    "join_url",
    "normalize_host",
    "parse_url",
    "registrable_domain",
    "serialized_http_host",
]

_VERSION_LINE = re.compile(r"^//\s*VERSION:\s*(\S+)", re.MULTILINE)
_HOST_CACHE_SIZE = 1 << 17

#: The schemes whose URLs are links to web pages, as their serialized prefixes.
HTTP_PREFIXES = ("https://", "http://")

# http(s) URLs that the WHATWG URL parser serializes exactly as written, so parsing them can be
# skipped: a host of lower-case ASCII labels (no punycode "xn--" label, which needs checking;
# the last label starting with a letter or "_", so not an IPv4 address), no port or
# credentials, a path of characters outside the path percent-encode set with no segment
# starting with "." or "%2e" (no dot segments), and a query and fragment of characters outside
# their percent-encode sets (WHATWG URL, "percent-encode sets"; the query excludes "'", which
# special schemes encode). tests/test_urls.py checks it against ada-url with hypothesis.
_SERIALIZED_HTTP_URL = re.compile(
    r"https?://((?:(?!xn--)[a-z0-9_-]+\.)*(?!xn--)[a-z_][a-z0-9_-]*)"
    r"(?:/(?![.]|%2[eE])[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+"
    r"(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?"
    r"(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?"
)
_serialized_match = _SERIALIZED_HTTP_URL.fullmatch


def serialized_http_host(url: str) -> str | None:
    """The host of `url` when it is an http(s) URL already in WHATWG serialized form, else None.

    A None says only that the fast check does not know: parse such a URL (`parse_url`).

    >>> serialized_http_host("https://blog.example.com/a/b?q=1#top")
    'blog.example.com'
    >>> serialized_http_host("HTTPS://Example.com/") is None  # would be lower-cased
    True
    """
    match = _serialized_match(url)
    return None if match is None else match.group(1)


def host_of_serialized(url: str) -> str | None:
    """The host of a URL that is already WHATWG-serialized (as `join_url` returns them).

    String slicing only, no parsing: the input must come from the URL serializer. None for
    hostless URLs (`mailto:`, `javascript:`). IPv6 hosts keep their brackets.

    >>> host_of_serialized("https://user@example.com:8080/x"), host_of_serialized("mailto:a@b.c")
    ('example.com', None)
    """
    # The common case first: http(s) URLs, whose serialization always has a path after the host.
    if url.startswith("https://"):
        start = 8
    elif url.startswith("http://"):
        start = 7
    else:
        scheme_end = url.find(":")
        if not url.startswith("//", scheme_end + 1):
            return None  # mailto:, javascript:, tel:, data:...: no host
        start = scheme_end + 3
    end = len(url)
    for stop in "/?#":
        found = url.find(stop, start, end)
        if found >= 0:
            end = found
    authority = url[start:end]
    if "@" in authority:
        authority = authority[authority.rfind("@") + 1 :]
    if authority.startswith("["):
        return authority[: authority.find("]") + 1] or None
    return authority.partition(":")[0] or None


@functools.lru_cache(maxsize=_HOST_CACHE_SIZE)
def hostname(url: str) -> str | None:
    """The host of an absolute URL, lower-cased and in punycode; None for hostless URLs.

    IPv6 hosts keep their brackets (`[::1]`), as the WHATWG serializer writes them.

    >>> hostname("HTTPS://WWW.Bücher.de/x"), hostname("mailto:a@example.com")
    ('www.xn--bcher-kva.de', None)
    """
    fast = serialized_http_host(url)
    if fast is not None:
        return fast
    serialized = parse_url(url)
    return None if serialized is None else host_of_serialized(serialized)


def http_hostname(url: str) -> str | None:
    """`hostname`, for http(s) URLs only: None for hostless and for other schemes' URLs.

    >>> http_hostname("HTTPS://Blog.Example.com/"), http_hostname("ftp://files.example.com/")
    ('blog.example.com', None)
    """
    host = hostname(url)
    if host is None or serialized_http_host(url) is not None:
        return host  # the fast check admits http(s) URLs only
    return host if (parse_url(url) or "").startswith(("http://", "https://")) else None


def is_ip_address(host: str) -> bool:
    """Whether the host of an http(s) URL (as `hostname` returns it) is an IP address.

    WHATWG: a host whose last label is numeric is an IPv4 address (the parser rewrites every
    IPv4 spelling to dotted decimal); brackets mean IPv6.

    >>> is_ip_address("192.0.2.1"), is_ip_address("[2001:db8::1]"), is_ip_address("a.example")
    (True, True, False)
    """
    return host.startswith("[") or host.rsplit(".", 1)[-1].isdigit()


def is_site_root(url: str) -> bool:
    """Whether a serialized http(s) URL is a site's home page: nothing after the host but "/".

    A query (even an empty "?") makes another URL; a fragment never reaches the server.

    >>> is_site_root("https://example.com/"), is_site_root("https://example.com/?p=1")
    (True, False)
    """
    for prefix in HTTP_PREFIXES:
        if url.startswith(prefix):
            slash = url.find("/", len(prefix))
            rest = "" if slash < 0 else url[slash:].partition("#")[0]
            return rest in {"", "/"}
    return False


def _ada_join_public(base: str, href: str) -> str | None:
    try:
        return ada_url.join_url(base, href)
    except ValueError:
        return None


def _ada_parse_public(text: str) -> str | None:
    try:
        return ada_url.URL(text).href
    except ValueError:
        return None


try:
    # ada-url's own functions, minus their per-call garbage-collector hook: the extractor joins
    # every distinct href once, and this is 40% faster (measured). Should ada-url's cffi module
    # move, the public functions do the same job (a test checks both agree).
    from ada_url._ada_wrapper import ffi as _ffi  # type: ignore[import-not-found]
    from ada_url._ada_wrapper import lib as _lib
except ImportError:  # pragma: no cover - depends on ada-url's internals
    _ada_join = _ada_join_public
    _ada_parse = _ada_parse_public
else:

    def _unpack(url: object) -> str | None:
        # An invalid URL serializes to nothing, and a valid one never does: no ada_is_valid call.
        serialized = _lib.ada_get_href(url)
        length = serialized.length
        text = _ffi.unpack(serialized.data, length).decode() if length else None
        _lib.ada_free(url)
        return text

    def _ada_join(base: str, href: str) -> str | None:
        try:
            href_bytes = href.encode()
            base_bytes = base.encode()
        except UnicodeEncodeError:  # lone surrogates: not a URL
            return None
        return _unpack(_lib.ada_parse_with_base(href_bytes, len(href_bytes), base_bytes,
                                                len(base_bytes)))  # fmt: skip

    def _ada_parse(text: str) -> str | None:
        try:
            text_bytes = text.encode()
        except UnicodeEncodeError:  # lone surrogates: not a URL
            return None
        return _unpack(_lib.ada_parse(text_bytes, len(text_bytes)))


def parse_url(text: str) -> str | None:
    """An absolute URL in WHATWG serialized form (what a browser's `new URL(text).href` gives).

    Returns:
        The serialized URL, or None when `text` is not an absolute URL.

    >>> parse_url("HTTP://Example.COM:80/a/../b c"), parse_url("/relative")
    ('http://example.com/b%20c', None)
    """
    if _serialized_match(text):
        return text  # what ada would give, in half the time (measured)
    return _ada_parse(text)


def join_url(base: str, href: str) -> str | None:
    """Resolve `href` against `base` as a browser's `element.href` does.

    Returns:
        The serialized URL, or None when `href` does not parse against `base`.

    >>> join_url("https://example.com/blog/post", "../about?x=1")
    'https://example.com/about?x=1'
    """
    return _ada_join(base, href)


# What makes a "host" a URL or a path: searched once, not once per character.
_URL_MARK = re.compile(r"[/?#@\\]")


def normalize_host(host: str) -> str:
    """Lower-case `host`, turn it into punycode and drop a trailing dot.

    Args:
        host: a host name as users write it (`Bücher.DE.`), or an IP address.

    Returns:
        The host as URLs carry it (`xn--bcher-kva.de`).

    Raises:
        InvalidURLError: `host` is empty or is not a valid host name.

    >>> normalize_host("Bücher.DE.")
    'xn--bcher-kva.de'
    """
    stripped = host.strip().rstrip(".")
    # '/', '?', '#', '@' or a ':' outside brackets make a URL or a port, not a bare host.
    looks_like_url = _URL_MARK.search(stripped) is not None or (
        ":" in stripped and not stripped.startswith("[")
    )
    parsed = None if looks_like_url or not stripped else hostname(f"http://{stripped}/")
    if parsed is None:
        raise InvalidURLError(f"not a host name: {host!r}")
    return parsed


@attrs.frozen(eq=False)
class SuffixList:
    """A public suffix list, and the registrable domains (sites) it defines.

    The bundled list is a dated copy of publicsuffix.org's list, private section included, so
    `a.blogspot.com` and `b.blogspot.com` are different sites. Load your own copy with
    `SuffixList.from_text`; nothing is ever fetched.

    Attributes:
        version: the list's `VERSION` header (its date), or None when it has none.

    >>> psl = SuffixList.bundled()
    >>> psl.registrable_domain("www.bbc.co.uk")
    'bbc.co.uk'
    >>> psl.registrable_domain("shop.x.vercel.app")
    'x.vercel.app'
    """

    version: str | None
    _matcher: _Matcher = attrs.field(repr=False, alias="matcher")
    _cache: dict[str, str] = attrs.field(factory=dict, repr=False, init=False)
    # For `is_public_suffix`, filled on first use: each name in the matcher's trie -> whether it
    # is an exception rule (`!www.ck`), and the parents of wildcard rules (`*.ck` -> `ck`).
    _trie_names: dict[str, bool] = attrs.field(factory=dict, repr=False, init=False)
    _wildcard_parents: set[str] = attrs.field(factory=set, repr=False, init=False)

    @classmethod
    def from_text(cls, text: str) -> SuffixList:
        """Read a list in publicsuffix.org's format (`public_suffix_list.dat`).

        Raises:
            SuffixListError: the text holds no rule.
        """
        if not any(line.strip() and not line.startswith("//") for line in text.splitlines()):
            raise SuffixListError("the public suffix list holds no rule")
        match = _VERSION_LINE.search(text)
        return cls(
            version=match.group(1) if match else None,
            matcher=_Matcher(psl_file=io.StringIO(text), idna=True),
        )

    @staticmethod
    @functools.cache
    def bundled() -> SuffixList:
        """The list that ships with backlinkkit (see `version` for its date)."""
        text = resources.files(__package__).joinpath("_psl/public_suffix_list.dat")
        return SuffixList.from_text(text.read_text(encoding="utf-8"))

    def public_suffix(self, host: str) -> str:
        """The public suffix of a normalized host (`co.uk` for `www.bbc.co.uk`).

        Hosts under a top-level domain the list lacks get the default rule `*`: their last label.
        """
        suffix: str | None = self._matcher.get_tld(host, wildcard=True, strict=True)
        return suffix if suffix is not None else host.rsplit(".", 1)[-1]

    def known_suffix(self, host: str) -> str | None:
        """The public suffix of a normalized host, or None when the list lacks its top-level domain.

        Unlike `public_suffix` there is no default rule: this tells a host name under a real
        top-level domain (`wsj.com`) from a word with a dot in it (`node.js`, `e.g`).

        >>> SuffixList.bundled().known_suffix("shop.example.co.uk")
        'co.uk'
        >>> SuffixList.bundled().known_suffix("node.js") is None
        True
        """
        suffix: str | None = self._matcher.get_tld(host, wildcard=True, strict=True)
        return suffix

    def is_public_suffix(self, host: str) -> bool:
        """Whether a normalized host is itself a public suffix (`public_suffix(host) == host`).

        Two set look-ups instead of a walk of the list: fast enough to ask of every line of a
        100,000-line disavow file. A host of one label is a suffix by the default rule `*`.

        >>> psl = SuffixList.bundled()
        >>> psl.is_public_suffix("blogspot.com"), psl.is_public_suffix("spam.blogspot.com")
        (True, False)
        """
        names = self._trie_names
        if not names:
            self._index_rules()
        exception = names.get(host)
        if exception is not None:
            return not exception
        head, dot, parent = host.partition(".")
        return not dot or (parent in self._wildcard_parents and head != "")

    def public_suffixes(self, hosts: AbstractSet[str]) -> set[str]:
        """The hosts of a set that are public suffixes: `is_public_suffix` for many at once.

        Set operations rather than a call per host: 100,000 hosts cost a few milliseconds.

        >>> sorted(SuffixList.bundled().public_suffixes({"co.uk", "bbc.co.uk", "blogspot.com"}))
        ['blogspot.com', 'co.uk']
        """
        names = self._trie_names
        if not names:
            self._index_rules()
        # The wildcard rules (`*.ck`) ask for each host's parent; only hosts whose parent is a
        # wildcard's need a closer look. A dotless host is its own "parent" here, so the hosts
        # among the parents take in those (a suffix by the default rule `*`).
        parents = {host[host.find(".") + 1 :] for host in hosts}
        candidates = (hosts & names.keys()) | (parents & hosts)
        found = {host for host in candidates if self.is_public_suffix(host)}
        near = parents & self._wildcard_parents
        if near:
            found.update(
                host
                for host in hosts
                if host[host.find(".") + 1 :] in near and self.is_public_suffix(host)
            )
        return found

    def _index_rules(self) -> None:
        # As publicsuffix2 builds its trie: every name along a rule is a node that matches
        # (a rule `a.b.c` makes `b.c` match too), the rule's own node carrying its negation.
        names = self._trie_names
        for line in self._matcher.tlds:
            rule = line.split()[0].lstrip(".")
            exception = rule.startswith("!")
            rule = rule.removeprefix("!")
            labels = rule.split(".")
            for start in range(len(labels) - 1, 0, -1):
                names.setdefault(".".join(labels[start:]), False)
            names[rule] = exception
            if labels[0] == "*" and len(labels) > 1:
                self._wildcard_parents.add(".".join(labels[1:]))

    def registrable_domain(self, host: str) -> str:
        """The registrable domain (the site) of a normalized host.

        IP addresses are their own site, and so is a host that is itself a public suffix
        (`github.io`): neither has a registrable domain, and counting it as its own keeps such
        hosts apart instead of lumping them under one suffix.

        >>> SuffixList.bundled().registrable_domain("a.b.example")
        'b.example'
        >>> SuffixList.bundled().registrable_domain("127.0.0.1")
        '127.0.0.1'
        """
        cached = self._cache.get(host)
        if cached is not None:
            return cached
        if is_ip_address(host):
            site = host
        else:
            suffix = self.public_suffix(host)
            if len(host) <= len(suffix):
                site = host
            else:
                label = host[: -len(suffix) - 1].rsplit(".", 1)[-1]
                site = f"{label}.{suffix}"
        if len(self._cache) < _HOST_CACHE_SIZE:
            self._cache[host] = site
        return site


def registrable_domain(host: str, *, suffix_list: SuffixList | None = None) -> str:
    """The registrable domain (the site) of a host or URL.

    Args:
        host: a host name in any case or script (`WWW.Bücher.de`), or an absolute URL.
        suffix_list: the public suffix list to use; the bundled one by default.

    Returns:
        The registrable domain, lower-cased, in punycode.

    Raises:
        InvalidURLError: `host` is neither a host name nor an absolute URL with a host.

    >>> registrable_domain("https://WWW.Example.co.uk/shop")
    'example.co.uk'
    >>> registrable_domain("foo.blogspot.com") != registrable_domain("bar.blogspot.com")
    True
    """
    psl = suffix_list or SuffixList.bundled()
    if "://" in host:
        parsed = hostname(host.strip())
        if parsed is None:
            raise InvalidURLError(f"not an absolute URL with a host: {host!r}")
        return psl.registrable_domain(parsed)
    return psl.registrable_domain(normalize_host(host))
