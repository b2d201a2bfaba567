"""One disavow entry, `domain:host` or a URL: normalized from what users write, held to the rules.

The factories normalize spelling (case, punycode, `www.`, fragments, credentials); whatever
normalization cannot fix is refused with the reasons `DisavowFile.validate` gives for the same
line, since both ask the rules module (`_disavow_rules`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from .._errors import DisavowError, InvalidURLError
from ._rules import (
    DOMAIN_PREFIX,
    DisavowProblemCode,
    Problem,
    check_state_version,
    classify_line,
    copy_fields,
    domain_key,
    escape_ascii,
    host_name_problems,
    host_problems,
    is_public_suffix,
    public_suffix_problem,
    quote,
    url_host,
    url_key,
    url_shape_problems,
)

__all__ = ["DisavowEntry", "DisavowEntryKind", "entry_of_key"]

_WWW = "www."
_STATE_VERSION = 1
# A line break of any kind inside a comment would start a new line (str.splitlines' set).
_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", " "))


class DisavowEntryKind(enum.Enum):
    """The two kinds of disavow entries Google takes."""

    DOMAIN = "domain"
    """``domain:host``: every link from that host and all its subdomains."""
    URL = "url"
    """A full URL: links from exactly that page."""


def _clean_comment(comment: str | None) -> str | None:
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise TypeError(f"a comment must be a str or None, not {type(comment).__name__}")
    cleaned = escape_ascii(" ".join(comment.translate(_LINE_BREAKS).split()))
    # The very object when nothing changed: an unpickled entry then shares it as the pickled
    # one did, and pickles to the same bytes.
    if not cleaned:
        return None
    return comment if cleaned == comment else cleaned


def _refuse(problems: list[Problem], hint: str = "") -> None:
    if problems:
        raise DisavowError("; ".join(reason for _, reason in problems) + hint)


def _check_value(entry: DisavowEntry, _attribute: object, value: str) -> None:
    kind = entry.kind
    try:
        normal = domain_key(value) if kind is DisavowEntryKind.DOMAIN else url_key(value)
    except ValueError:
        normal = None
    if normal != value:
        raise DisavowError(
            f"not a normalized {kind.value} entry: {quote(value)}; make it with "
            f"DisavowEntry.{kind.value}({quote(value)})"
        )
    # A public suffix is the caller's choice (DisavowEntry.domain(allow_public_suffix=True)).
    if kind is DisavowEntryKind.DOMAIN:
        _refuse(host_name_problems(value, f"'domain:{value}'", DisavowProblemCode.DOMAIN_INVALID))
    else:
        shown = quote(value)
        _refuse(
            url_shape_problems(value, shown)
            + host_name_problems(url_host(value), shown, DisavowProblemCode.URL_INVALID)
        )


@attrs.frozen
class DisavowEntry:
    """One disavow entry: a `domain:` host or a URL, normalized, with an optional comment.

    Make entries with `DisavowEntry.domain` and `DisavowEntry.url`, which normalize what they
    are given; the constructor takes values already normalized and refuses others. Two entries
    are equal when their kind and value are: the comment is a note, not part of the identity.

    Attributes:
        kind: domain or URL.
        value: the host (lower case, punycode, no trailing dot) or the URL (WHATWG-normalized,
            ASCII, without fragment or credentials).
        comment: the note written on the comment line above the entry (ASCII: other characters
            are backslash-escaped), or None.

    >>> entry = DisavowEntry.domain("WWW.Bücher.example.", comment="paid links")
    >>> entry
    DisavowEntry(kind=<DisavowEntryKind.DOMAIN: 'domain'>, value='xn--bcher-kva.example', comment='paid links')
    >>> str(entry)
    'domain:xn--bcher-kva.example'
    >>> entry == DisavowEntry.domain("bücher.example")
    True
    """  # noqa: E501 - a doctest output line cannot wrap

    kind: DisavowEntryKind = attrs.field(validator=attrs.validators.instance_of(DisavowEntryKind))
    value: str = attrs.field(
        validator=[attrs.validators.instance_of(str), _check_value]  # a TypeError, then the rules
    )
    comment: str | None = attrs.field(
        default=None, converter=_clean_comment, eq=False, kw_only=True
    )

    @classmethod
    def domain(
        cls,
        host: str,
        *,
        comment: str | None = None,
        keep_www: bool = False,
        allow_public_suffix: bool = False,
    ) -> DisavowEntry:
        """A `domain:` entry for `host`: links from it and every subdomain.

        Args:
            host: a host as users write it (`WWW.Bücher.de.`); a `domain:` prefix, or a scheme
                with nothing after the host but `/`, is accepted and dropped.
            comment: a note to write above the entry.
            keep_www: keep a leading `www.` (by default it is dropped, so the entry covers the
                whole site: `domain:www.example.com` would cover only the `www` host).
            allow_public_suffix: accept a public suffix such as `blogspot.com` or `co.uk`,
                which disavows every site under it (refused by default).

        Returns:
            The normalized entry.

        Raises:
            DisavowError: `host` is not a host name: it holds a path, a port, a wildcard or
                nothing, breaks the rules of host names (empty labels, a label starting or
                ending with `-`, over 63 or 253 characters), or is a public suffix when that is
                not allowed. The message is the one `DisavowFile.validate` gives for the line.

        >>> DisavowEntry.domain("https://www.Spam.example/").value
        'spam.example'
        >>> DisavowEntry.domain("www.spam.example", keep_www=True).value
        'www.spam.example'
        """
        if not isinstance(host, str):
            raise TypeError(f"a host must be a str, not {type(host).__name__}")
        host = host.strip()
        if host[:7].lower() == DOMAIN_PREFIX:
            host = host[7:].strip()
        scheme, sep, rest = host.partition("://")
        if sep and scheme.lower() in {"http", "https"}:
            host = rest.removesuffix("/")
        shown = quote(DOMAIN_PREFIX + host)
        _refuse(host_problems(host, shown))
        try:
            normal = domain_key(host)
        except InvalidURLError:
            raise DisavowError(f"not a valid host in {shown}") from None
        _refuse(host_name_problems(normal, shown, DisavowProblemCode.DOMAIN_INVALID))
        if not keep_www and normal.startswith(_WWW) and not is_public_suffix(normal[4:]):
            normal = normal[len(_WWW) :]
        if not allow_public_suffix:
            problem = public_suffix_problem(normal)
            hint = "; pass allow_public_suffix=True if that is meant"
            _refuse([] if problem is None else [problem], hint)
        return cls(DisavowEntryKind.DOMAIN, normal, comment=comment)

    @classmethod
    def url(cls, url: str, *, comment: str | None = None) -> DisavowEntry:
        """A URL entry: links from exactly the page `url`.

        Args:
            url: an absolute http(s) URL; it is WHATWG-normalized (host in punycode, path
                percent-encoded, dot segments resolved), and its fragment and credentials (a
                user name or password, which must not reach Google) are dropped.
            comment: a note to write above the entry.

        Returns:
            The normalized entry.

        Raises:
            DisavowError: `url` is not an absolute http(s) URL, holds a wildcard, has a host
                that is not a host name, or is longer than 2,048 characters once normalized.

        >>> DisavowEntry.url("HTTPS://Spam.example/a/../Seite ä#top").value
        'https://spam.example/Seite%20%C3%A4'
        >>> DisavowEntry.url("https://user:secret@spam.example/page").value
        'https://spam.example/page'
        """
        if not isinstance(url, str):
            raise TypeError(f"a URL must be a str, not {type(url).__name__}")
        try:
            normal = url_key(url.strip())
        except ValueError:
            hint = "" if "://" in url else " (a URL needs http:// or https://)"
            raise DisavowError(f"not an absolute http(s) URL: {quote(url)}{hint}") from None
        shown = quote(normal)
        _refuse(
            url_shape_problems(normal, shown)
            + host_name_problems(url_host(normal), shown, DisavowProblemCode.URL_INVALID)
        )
        return cls(DisavowEntryKind.URL, normal, comment=comment)

    @classmethod
    def parse(cls, line: str, *, comment: str | None = None) -> DisavowEntry:
        """The entry a disavow-file line holds (`domain:host` or a URL), normalized.

        Raises:
            DisavowError: the line is not an entry Google would accept; the message gives the
                reasons `DisavowFile.validate` would.

        >>> DisavowEntry.parse("domain:Spam.Example").value
        'spam.example'
        """
        if not isinstance(line, str):
            raise TypeError(f"a line must be a str, not {type(line).__name__}")
        kind, key, problems = classify_line(line)
        if key is not None:
            return entry_of_key(key, comment)
        _refuse(list(problems))
        raise DisavowError(f"not an entry but a {kind.value} line: {quote(line)}")

    @property
    def line(self) -> str:
        """The entry as a disavow-file line: `domain:host` or the URL."""
        if self.kind is DisavowEntryKind.DOMAIN:
            return DOMAIN_PREFIX + self.value
        return self.value

    def __str__(self) -> str:
        return self.line

    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "kind": self.kind.value,
            "value": self.value,
            "comment": self.comment,
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        check_state_version(state, "DisavowEntry")
        fresh = DisavowEntry(
            DisavowEntryKind(state["kind"]),
            state["value"],  # type: ignore[arg-type]
            comment=state["comment"],  # type: ignore[arg-type]
        )
        copy_fields(fresh, self)


def entry_of_key(key: str, comment: str | None = None) -> DisavowEntry:
    """The entry of a key (`domain:host` or a normalized URL) as `classify_line` gives them."""
    if key.startswith(DOMAIN_PREFIX):
        return DisavowEntry(DisavowEntryKind.DOMAIN, key[len(DOMAIN_PREFIX) :], comment=comment)
    return DisavowEntry(DisavowEntryKind.URL, key, comment=comment)
