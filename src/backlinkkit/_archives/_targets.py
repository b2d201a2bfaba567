"""`Target`: a site whose backlinks a job collects, with its brands and keywords; TOML files."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping

import ada_url
import attrs

from .. import LinkProfile, SuffixList
from .._errors import InvalidURLError
from ._errors import ArchiveJobError

__all__ = ["Target", "targets_from_toml"]

_STATE_VERSION = 1


def _host(value: str) -> str:
    """`value` (a host in any case or script, or a URL) as URLs carry it: lower-case punycode."""
    text = value.strip()
    if "://" not in text:
        if not text or any(c in text for c in "/?#@ "):
            raise InvalidURLError(f"not a host name: {value!r}")
        text = f"http://{text.rstrip('.')}/"
    try:
        host: str = ada_url.parse_url(text, attributes=("hostname",))["hostname"]
    except ValueError:
        host = ""
    if not host:
        raise InvalidURLError(f"not a host name or URL with a host: {value!r}")
    return host


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    # A single string is one name, as for LinkProfile and AnchorClassifier.
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Target:
    """A site whose backlinks an archive job collects.

    A target is a registrable domain (`example.com`: every host of the site) or a host
    (`blog.example.com`: that host and the hosts below it). Its brands and keywords go to its
    `LinkProfile`, which classifies anchors with them.

    Args:
        domain: the registrable domain or host, in any case or script, or a URL on it.
        brands: brand names besides the domain's own label.
        keywords: money keywords (without them no anchor is exact, partial or compound).

    Raises:
        InvalidURLError: `domain` is not a host name or a URL with a host.

    >>> target = Target("Bücher.example", brands=["Bücher"])
    >>> target.domain, target.site
    ('xn--bcher-kva.example', 'xn--bcher-kva.example')
    >>> target.matches("shop.xn--bcher-kva.example"), target.matches("other.example")
    (True, False)
    """

    domain: str = attrs.field(converter=_host)
    brands: tuple[str, ...] = attrs.field(default=(), converter=_names, kw_only=True)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_names, kw_only=True)

    @property
    def site(self) -> str:
        """The registrable domain the target belongs to: links from it are the site's own."""
        return SuffixList.bundled().registrable_domain(self.domain)

    def matches(self, host: str | None) -> bool:
        """Whether a link to `host` (lower-case punycode, as `Link.host`) is a link to the target.

        >>> Target("example.com").matches("www.example.com")
        True
        >>> Target("example.com").matches("notexample.com")
        False
        """
        if host is None:
            return False
        domain = self.domain
        return host == domain or (host.endswith(domain) and host[-len(domain) - 1] == ".")

    def profile(self) -> LinkProfile:
        """A new, empty `LinkProfile` of the target, with its brands and keywords.

        >>> Target("example.com", keywords=["shoes"]).profile().keywords
        ('shoes',)
        """
        return LinkProfile(self.domain, brands=self.brands, keywords=self.keywords)

    # Targets travel to Spark's executors: plain, versioned state, as every pickle here.
    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "domain": self.domain,
            "brands": list(self.brands),
            "keywords": list(self.keywords),
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        if state.get("version") != _STATE_VERSION:
            raise TypeError(f"cannot load a Target pickled with state {state.get('version')!r}")
        domain, brands, keywords = state["domain"], state["brands"], state["keywords"]
        if not isinstance(domain, str) or not isinstance(brands, list | tuple):
            raise TypeError("not the state of a Target")
        if not isinstance(keywords, list | tuple):
            raise TypeError("not the state of a Target")
        object.__setattr__(self, "domain", domain)
        object.__setattr__(self, "brands", tuple(brands))
        object.__setattr__(self, "keywords", tuple(keywords))


def targets_from_toml(text: str) -> tuple[Target, ...]:
    """Read targets from TOML: one `[[target]]` table each, with `domain`, `brands`, `keywords`.

    Args:
        text: the TOML document, e.g. the content of `targets.toml`.

    Returns:
        The targets, in the file's order.

    Raises:
        ArchiveJobError: the TOML is malformed, a table lacks `domain`, a value has the wrong
            type, a key is unknown, or two targets have the same domain (the message says which).

    >>> targets_from_toml('''
    ... [[target]]
    ... domain = "example.com"
    ... brands = ["Example Inc"]
    ... keywords = ["running shoes"]
    ... ''')
    (Target(domain='example.com', brands=('Example Inc',), keywords=('running shoes',)),)
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ArchiveJobError(f"targets file: {error}") from error
    unknown = set(document) - {"target"}
    if unknown:
        raise ArchiveJobError(f"targets file: unknown key {min(unknown)!r} (use [[target]])")
    tables = document.get("target", [])
    if not isinstance(tables, list) or not tables:
        raise ArchiveJobError("targets file: no [[target]] table")
    targets: list[Target] = []
    for number, table in enumerate(tables, start=1):
        targets.append(_target_of_table(table, number))
    domains = [target.domain for target in targets]
    for domain in domains:
        if domains.count(domain) > 1:
            raise ArchiveJobError(f"targets file: {domain!r} is listed twice")
    return tuple(targets)


def _target_of_table(table: object, number: int) -> Target:
    where = f"targets file, [[target]] #{number}"
    if not isinstance(table, dict):
        raise ArchiveJobError(f"{where}: not a table")
    unknown = set(table) - {"domain", "brands", "keywords"}
    if unknown:
        raise ArchiveJobError(f"{where}: unknown key {min(unknown)!r}")
    domain = table.get("domain")
    if not isinstance(domain, str):
        raise ArchiveJobError(f"{where}: 'domain' must be a string")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("brands", "keywords"):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ArchiveJobError(f"{where}: {key!r} must be a list of strings")
        lists[key] = tuple(value)
    try:
        return Target(domain, brands=lists["brands"], keywords=lists["keywords"])
    except InvalidURLError as error:
        raise ArchiveJobError(f"{where}: {error}") from error
