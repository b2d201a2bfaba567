"""The identity of a link across exports: which spellings of a page count as the same page.

Backlink tools write the same page in different ways: Ahrefs with `https://www.`, Search
Console without, one with a trailing slash, another with the fragment it found the link under.
A page key is the WHATWG serialization of the URL (through backlinkkit's URL code, ada-url)
with the differences tools are known to disagree on taken out: the scheme (http and https), a
leading `www.`, the fragment, a trailing slash and an empty query. The query otherwise stays:
`?page=2` is another page.

Keys are built on the hot path of a million-row audit, so a URL that is already in serialized
form (the usual case: tools export serialized URLs) is cut with string operations, and only
the rest goes through ada-url; hosts are normalized once per distinct authority.
"""

from __future__ import annotations

import re
from typing import Final

import ada_url

__all__ = ["PageKeys", "anchor_key"]

# Characters WHATWG serialization leaves as they are in both the path and the query of an http(s)
# URL (so not `'`, encoded in special queries, nor `^` or `|`): most exported URLs are made of
# these alone. Anything else goes through ada-url.
_SERIALIZED_REST: Final = re.compile(r"[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*")
_CACHE_LIMIT: Final = 1 << 16
_WWW: Final = "www."


def anchor_key(anchor: str | None) -> str | None:
    """The anchor as links are compared: whitespace collapsed, case folded; None stays None.

    >>> anchor_key("  Example   SHOP ")
    'example shop'
    """
    return None if anchor is None else " ".join(anchor.split()).casefold()


def _host_key(host: str) -> str:
    return host[len(_WWW) :] if host.startswith(_WWW) and host.count(".") > 1 else host


def _trim(path: str, query: str) -> str:
    path = path.removesuffix("/")
    return path if query in ("", "?") else path + query


class PageKeys:
    """Turns page URLs into page keys, caching what repeats (hosts, target pages).

    >>> keys = PageKeys()
    >>> keys.page("https://www.Blog.test/post/#comments") == keys.page("http://blog.test/post")
    True
    >>> keys.page("https://blog.test/post?page=2") == keys.page("https://blog.test/post")
    False
    >>> keys.page("mailto:someone@blog.test") is None
    True
    """

    __slots__ = ("_hosts", "_targets")

    def __init__(self) -> None:
        # "scheme://authority" as written -> the host part of the key (None: no host).
        self._hosts: dict[str, str | None] = {}
        self._targets: dict[str, str | None] = {}

    def page(self, url: str) -> str | None:
        """The key of the page `url`, or None when it is not an absolute URL with a host."""
        cut = url.find("/", 8)
        authority = url if cut < 0 else url[:cut]
        host = self._hosts.get(authority, "")
        if host == "":
            host = self._authority_host(authority)
        if host is None:
            return self._slow(url)
        rest = "" if cut < 0 else url[cut:]
        hash_at = rest.find("#")
        if hash_at >= 0:
            rest = rest[:hash_at]
        if "/." in rest or not _SERIALIZED_REST.fullmatch(rest):
            return self._slow(url)
        path, mark, query = rest.partition("?")
        return host + _trim(path, mark + query)

    def target(self, url: str | None) -> str | None:
        """The key of a target page (cached: exports repeat a few target pages)."""
        if url is None:
            return None
        key = self._targets.get(url, "")
        if key == "":
            key = self.page(url)
            if len(self._targets) < _CACHE_LIMIT:
                self._targets[url] = key
        return key

    def _authority_host(self, authority: str) -> str | None:
        # Only an "http(s)://host[:port]" prefix is cached as an authority; a prefix that
        # parses to more than a host (a backslash, a query) takes the slow path every time.
        host: str | None = None
        if authority.startswith(("http://", "https://")):
            try:
                parsed = ada_url.parse_url(
                    authority + "/", attributes=("host", "pathname", "search", "hash")
                )
            except ValueError:
                parsed = None
            if (
                parsed is not None
                and parsed["host"]
                and parsed["pathname"] == "/"
                and not parsed["search"]
                and not parsed["hash"]
            ):
                host = _host_key(parsed["host"])
        if host is not None and len(self._hosts) < _CACHE_LIMIT:
            self._hosts[authority] = host
        return host

    @staticmethod
    def _slow(url: str) -> str | None:
        try:
            parsed = ada_url.parse_url(url.strip(), attributes=("host", "pathname", "search"))
        except ValueError:
            return None
        if not parsed["host"]:
            return None
        return _host_key(parsed["host"]) + _trim(parsed["pathname"], parsed["search"])
