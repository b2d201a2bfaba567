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
from importlib import resources

import ada_url
import attrs
from publicsuffix2 import PublicSuffixList as _Matcher

from ._errors import InvalidURLError, SuffixListError

__all__ = [
    "SuffixList",
    "hostname",
    "join_url",
    "normalize_host",
    "registrable_domain",
]

_VERSION_LINE = re.compile(r"^//\s*VERSION:\s*(\S+)", re.MULTILINE)
_HOST_CACHE_SIZE = 1 << 17


def join_url(base: str, href: str) -> str | None:
    """Resolve `href` against `base` as a browser's `element.href` does.

    Returns:
        The serialized URL, or None when `href` does not parse against `base`.
    """
    try:
        return ada_url.join_url(base, href)
    except ValueError:
        return None


@functools.lru_cache(maxsize=_HOST_CACHE_SIZE)
def hostname(url: str) -> str | None:
    """The host of an absolute URL, lower-cased and in punycode; None for hostless URLs.

    IPv6 hosts keep their brackets (`[::1]`), as the WHATWG serializer writes them.
    """
    try:
        host: str = ada_url.parse_url(url, attributes=("hostname",))["hostname"]
    except ValueError:
        return None
    return host or None


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
    looks_like_url = any(c in stripped for c in "/?#@") or (
        ":" in stripped and not stripped.startswith("[")
    )
    parsed = None if looks_like_url or not stripped else hostname(f"http://{stripped}/")
    if parsed is None:
        raise InvalidURLError(f"not a host name: {host!r}")
    return parsed


def _is_ip_address(host: str) -> bool:
    # WHATWG: a host whose last label is numeric is an IPv4 address; brackets mean IPv6.
    return host.startswith("[") or host.rsplit(".", 1)[-1].isdigit()


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
        if _is_ip_address(host):
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
