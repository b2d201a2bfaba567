"""Google's disavow-file rules: the limits, the problem codes, the entry rules, one line read.

Everything here follows Search Console help "Disavow links to your site" (answer 2648487), as
summarized in ../shared/reference/seo-facts.md. Where Google documents nothing (case of the
`domain:` prefix, surrounding spaces, what a host may hold), the rule takes the safe side and
says so.

This is the one place for the entry rules: `classify_line` (what `DisavowFile.validate` reports)
and the factories `DisavowEntry.domain` / `DisavowEntry.url` call the same checks
(`host_problems`, `host_name_problems`, `public_suffix_problem`, `url_shape_problems`), so a
rule says the same thing wherever it refuses.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

import ada_url
import attrs
from attrs import AttrsInstance

from .._errors import InvalidURLError
from .._web._urls import SuffixList, is_ip_address, normalize_host, serialized_http_host

__all__ = [
    "DOMAIN_PREFIX",
    "MAX_BYTES",
    "MAX_HOST_LENGTH",
    "MAX_LINES",
    "MAX_URL_LENGTH",
    "NORMAL_DOMAIN_LINE",
    "RULES_VERSION",
    "DisavowLineKind",
    "DisavowProblem",
    "DisavowProblemCode",
    "Problem",
    "classify_line",
    "comment_text",
    "domain_key",
    "escape_ascii",
    "host_name_problems",
    "host_problems",
    "is_normal_host",
    "is_public_suffix",
    "public_suffix_problem",
    "public_suffixes",
    "quote",
    "redact_credentials",
    "rules_fingerprint",
    "slot_setters",
    "url_host",
    "url_key",
    "url_shape_problems",
]

# -- Google's limits (Search Console help, answer 2648487) --------------------------------------
#: At most 100,000 lines per file; blank and comment lines count.
MAX_LINES = 100_000
#: At most 2 MB per file, read as 2,000,000 bytes (the smaller reading, so always safe).
MAX_BYTES = 2_000_000
#: A URL entry is at most 2,048 characters.
MAX_URL_LENGTH = 2_048
# -- host names (RFC 1035 section 2.3.4, RFC 1123 section 2.1): Google documents none -----------
#: A host name is at most 253 characters (255 octets on the wire, less the length bytes).
MAX_HOST_LENGTH = 253
_MAX_LABEL_LENGTH = 63

DOMAIN_PREFIX = "domain:"
_URL_CACHE_SIZE = 1 << 17
# Characters of a line a message quotes: a 2 MB line makes a useless message (`text` has it all).
_QUOTED = 100
# A host name as `normalize_host` returns it, the common case, recognized without calling ada:
# two or more labels of letters, digits, '-' and '_' (what real hosts hold), none starting or
# ending with '-'; a last label (the TLD) of letters, digits and '-' that starts with a letter
# (a numeric one makes an IPv4 address). `is_normal_host` adds the lengths (labels of at most 63
# characters, at most 253 in all) and leaves punycode labels ("xn--"), which need decoding, to
# `host_name_problems`, which also says what is wrong with anything else.
_HOST_PATTERN = r"(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+[a-z][a-z0-9-]*(?<!-)"
_NORMAL_HOST = re.compile(_HOST_PATTERN)
#: A `domain:` line as backlinkkit would write it (no spaces around); `is_normal_domain_line`
#: says whether a line matching it is an entry as it stands.
NORMAL_DOMAIN_LINE = re.compile(DOMAIN_PREFIX + _HOST_PATTERN)
# Up to this length no label can be longer than 63 characters.
_SHORT_HOST = _MAX_LABEL_LENGTH
# Characters readers may take for a line end or trip over: C0 controls (bar tab), DEL, the C1
# controls (NEL among them), the Unicode line and paragraph separators. A carriage return not
# part of a CRLF line end is one of them: some readers split lines there, some do not.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s")
_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09}
_NOT_HOST_CHARACTER = re.compile(r"[^a-z0-9_.-]")
_HYPHEN_AT_LABEL_END = re.compile(r"(?:^|\.)-|-(?:\.|$)")
_LONG_LABEL = re.compile(rf"[^.]{{{_MAX_LABEL_LENGTH + 1},}}")


def is_normal_host(host: str) -> bool:
    """Whether `host` is a host name as `normalize_host` returns it, and valid (no ada call)."""
    return (
        len(host) <= MAX_HOST_LENGTH
        and _NORMAL_HOST.fullmatch(host) is not None
        and "xn--" not in host
        and (len(host) <= _SHORT_HOST or _LONG_LABEL.search(host) is None)
    )


_TLD_SHAPE = re.compile(r"[a-z][a-z0-9-]*")

#: A problem as the rules give it: its code and the sentence saying what and how to fix it.
Problem = tuple["DisavowProblemCode", str]


class DisavowLineKind(enum.Enum):
    """What one line of a disavow file is."""

    DOMAIN = "domain"
    """A ``domain:`` entry: every link from that host and its subdomains."""
    URL = "url"
    """A URL entry: links from exactly that page."""
    COMMENT = "comment"
    """A line starting with ``#`` (after optional spaces)."""
    BLANK = "blank"
    """An empty line, or one of spaces and tabs only."""
    INVALID = "invalid"
    """A line Google may not accept; its ``problems`` say why."""


class DisavowProblemCode(enum.Enum):
    """Why a line or a whole file would trouble a Google upload (or, for the last two, is waste)."""

    NOT_AN_ENTRY = "not-an-entry"
    """Neither a comment, a ``domain:`` entry nor a URL."""
    WILDCARD = "wildcard"
    """A ``*``: Google takes no wildcards."""
    DOMAIN_SPACE = "domain-space"
    """A space after ``domain:``."""
    DOMAIN_PATH = "domain-path"
    """A path, query or fragment after ``domain:``: Google cannot disavow a subtree."""
    DOMAIN_INVALID = "domain-invalid"
    """``domain:`` followed by a scheme, a port, nothing, or no valid host name."""
    PUBLIC_SUFFIX = "public-suffix"
    """``domain:`` with a public suffix (``org.br``, ``blogspot.com``): every site under it."""
    URL_NO_SCHEME = "url-no-scheme"
    """A URL written without ``http://`` or ``https://``."""
    URL_INVALID = "url-invalid"
    """A URL that does not parse, is not http(s), holds spaces, or has no valid host name."""
    URL_CREDENTIALS = "url-credentials"
    """A URL with a user name or password (``https://user:pass@host/``): never upload those."""
    URL_TOO_LONG = "url-too-long"
    """A URL longer than 2,048 characters."""
    NON_ASCII = "non-ascii"
    """A non-ASCII character in an entry: hosts go in punycode, paths percent-encoded."""
    NOT_UTF8 = "not-utf8"
    """Bytes that are not UTF-8 (or a lone surrogate in a str): Google refuses such a file whole."""
    CONTROL_CHARACTER = "control-character"
    """A control character (other than tab), a stray carriage return, or a line separator."""
    TOO_MANY_LINES = "too-many-lines"
    """More than 100,000 lines in the file."""
    TOO_MANY_BYTES = "too-many-bytes"
    """More than 2,000,000 bytes in the file."""
    DUPLICATE = "duplicate"
    """An entry already present earlier in the file (reported by ``redundant()`` only)."""
    REDUNDANT = "redundant"
    """An entry covered by a ``domain:`` entry (reported by ``redundant()`` only)."""


_STATE_VERSION = 1
#: The version of the line rules (kinds, keys, problems and their messages): see
#: `rules_fingerprint`.
RULES_VERSION = 1


@attrs.frozen
class DisavowProblem:
    r"""One problem with a disavow file: where it is, what it is, why it matters.

    Attributes:
        line: the 1-based number of the line in the text that was parsed; None for a line added
            since, and for problems of the whole file (its size).
        code: the kind of problem.
        reason: a sentence saying what is wrong and how to fix it.
        text: the offending line, or None for a whole-file problem.

    >>> from backlinkkit import DisavowFile
    >>> problem = DisavowFile.parse("# spam\nexample.com\n").validate()[0]
    >>> problem.line, problem.code
    (2, <DisavowProblemCode.URL_NO_SCHEME: 'url-no-scheme'>)
    """

    line: int | None
    code: DisavowProblemCode
    reason: str
    text: str | None = None

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"

    def __getstate__(self) -> dict[str, object]:
        return {
            "version": _STATE_VERSION,
            "line": self.line,
            "code": self.code.value,
            "reason": self.reason,
            "text": self.text,
        }

    def __setstate__(self, state: Mapping[str, object]) -> None:
        check_state_version(state, "DisavowProblem")
        fresh = DisavowProblem(
            line=state["line"],  # type: ignore[arg-type]
            code=DisavowProblemCode(state["code"]),
            reason=state["reason"],  # type: ignore[arg-type]
            text=state["text"],  # type: ignore[arg-type]
        )
        copy_fields(fresh, self)


def check_state_version(
    state: object, name: str, versions: tuple[int, ...] = (_STATE_VERSION,)
) -> int:
    """Refuse pickled state of an unknown version (a newer backlinkkit's, or not ours).

    Returns:
        The state's version, one of `versions`.

    Raises:
        TypeError: the state is not a version this backlinkkit reads.
    """
    version = state.get("version") if isinstance(state, Mapping) else None
    if version not in versions:
        raise TypeError(f"cannot load a {name} pickled with state version {version!r}")
    return versions[versions.index(version)]


def rules_fingerprint() -> str:
    """What the reading of a line depends on: these rules, and the bundled public suffix list.

    A pickled file carries its lines' readings with this; one made under other rules is read
    again. Bump `RULES_VERSION` with any change to what `classify_line` makes of a line.
    """
    return f"{RULES_VERSION} {SuffixList.bundled().version}"


def slot_setters(cls: type[AttrsInstance]) -> tuple[Callable[[object, object], None], ...]:
    """The setters of a frozen attrs class's slots, in field order, to make values in bulk.

    `DisavowFile.validate` and `lines` make one value per problem or line: `object.__new__` and
    these setters cost a quarter less than `__init__`'s frozen-attribute calls. Only for a
    class whose `__init__` does nothing more (no validator, converter or default factory).

    Raises:
        TypeError: `cls` checks or converts a field: make its values with `__init__`.
    """
    fields = attrs.fields(cls)
    for field in fields:
        if field.validator is not None or field.converter is not None or field.on_setattr:
            raise TypeError(f"{cls.__name__}.{field.name} is checked: make it with __init__")
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            raise TypeError(f"{cls.__name__}.{field.name} has a factory: make it with __init__")
    return tuple(getattr(cls, field.name).__set__ for field in fields)


def copy_fields(source: AttrsInstance, target: object) -> None:
    """Fill a frozen attrs instance being unpickled from a fresh one (validators have run)."""
    for field in attrs.fields(type(source)):
        object.__setattr__(target, field.name, getattr(source, field.name))


# -- showing lines in messages -----------------------------------------------------------------


def quote(text: str) -> str:
    """`text` as messages quote it: its repr, cut after 100 characters."""
    if len(text) <= _QUOTED:
        return repr(text)
    return f"{text[:_QUOTED]!r}... ({len(text):,} characters)"


def _cut(text: str) -> str:
    """`text` as messages show a piece of it: cut after 100 characters."""
    return text if len(text) <= _QUOTED else f"{text[:_QUOTED]}..."


def escape_ascii(text: str, *, undecodable: bool = False) -> str:
    r"""`text` in ASCII: other characters, controls and lone surrogates as backslash escapes.

    Args:
        text: the text.
        undecodable: its surrogates stand for undecodable bytes (PEP 383), shown as `\xNN`;
            otherwise a lone surrogate is shown as what it is, `\udXXX`.
    """
    if not text.isascii():
        if undecodable:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    if _CONTROL.search(text):
        text = text.translate(_ESCAPES)
    return text


def redact_credentials(url: str) -> str:
    """`url` with its user name and password, if any, shown as `***`: never write them out."""
    start = url.find("://")
    if start == -1:
        return url
    start += 3
    end = len(url)
    for stop in "/\\?#":  # where the authority ends (`\` too, in http(s) URLs)
        found = url.find(stop, start, end)
        if found != -1:
            end = found
    at = url.rfind("@", start, end)
    return url if at == -1 else f"{url[:start]}***{url[at:]}"


def comment_text(line: str) -> str:
    """The words of a comment line: without the `#` and the spaces around them."""
    return line.strip(" \t").removeprefix("#").strip(" \t")


# -- normalizing entries -----------------------------------------------------------------------


def _fast_url_key(url: str) -> str | None:
    """`url_key(url)` when `url` is already normalized (checked without ada), else None."""
    # Keys carry no fragment: a URL with one goes the slow way, which drops it; so does a "*",
    # which the rules flag as a wildcard.
    if "#" not in url and "*" not in url and serialized_http_host(url) is not None:
        return url
    return None


def _authority_end(url: str, start: int) -> int:
    """Where the authority of a serialized http(s) URL ends: its path always starts with '/'."""
    end = url.find("/", start)
    return len(url) if end == -1 else end


def _normalized_url(url: str) -> str:
    """The WHATWG-normalized http(s) URL without its fragment, credentials kept (ValueError)."""
    fast = _fast_url_key(url)
    if fast is not None:
        return fast
    normalized: str = ada_url.normalize_url(url)  # ValueError when it does not parse
    if not normalized.startswith(("http://", "https://")):
        raise ValueError("not an http(s) URL")
    # A fragment never reaches the server: the linking page is the URL without it.
    normalized = normalized.partition("#")[0]
    if not normalized.isascii():  # pragma: no cover - WHATWG serializes http(s) URLs in ASCII
        raise ValueError("not ASCII once normalized")
    return normalized


def _credentials_end(normalized: str) -> int:
    """In a normalized URL, the index of the '@' ending its credentials, or -1 (none)."""
    start = normalized.find("://") + 3
    return normalized.rfind("@", start, _authority_end(normalized, start))


@functools.lru_cache(maxsize=_URL_CACHE_SIZE)
def url_key(url: str) -> str:
    """The WHATWG-normalized form of an http(s) URL, without fragment and credentials, in ASCII.

    The page a link comes from is the URL without its fragment (never sent) and without a user
    name or password (not part of the page, and never to be uploaded).

    Raises:
        ValueError: `url` is not an absolute http(s) URL.
    """
    normalized = _normalized_url(url)
    at = _credentials_end(normalized)
    if at != -1:
        start = normalized.find("://") + 3
        normalized = normalized[:start] + normalized[at + 1 :]
    return normalized


def url_host(normalized: str) -> str:
    """The host of a normalized URL (as `url_key` returns them), brackets kept for IPv6."""
    start = normalized.find("://") + 3
    authority = normalized[start : _authority_end(normalized, start)]
    authority = authority[authority.rfind("@") + 1 :]
    if authority.startswith("["):
        return authority[: authority.find("]") + 1]
    return authority.partition(":")[0]


def domain_key(host: str) -> str:
    """The normalized form of a bare host (lower case, punycode, no trailing dot).

    Raises:
        InvalidURLError: `host` is not a host name.
    """
    if _NORMAL_HOST.fullmatch(host) and "xn--" not in host:
        return host
    return normalize_host(host)


def is_public_suffix(host: str) -> bool:
    """Whether a normalized host is a public suffix of the bundled list (private ones included)."""
    return SuffixList.bundled().is_public_suffix(host)


def public_suffixes(hosts: AbstractSet[str]) -> set[str]:
    """The hosts of a set that are public suffixes of the bundled list (set operations)."""
    return SuffixList.bundled().public_suffixes(hosts)


# -- the entry rules: one place, for validate() and the DisavowEntry factories -----------------


def host_problems(host: str, shown: str) -> list[Problem]:
    """What keeps `host` (as written after `domain:`) from being a bare host at all.

    Wildcards, a scheme, a path, nothing, spaces, a port: normalization cannot fix these.
    """
    problems: list[Problem] = []
    if "*" in host:
        bare = host.replace("*.", "").replace("*", "") or "example.com"
        problems.append(
            (
                DisavowProblemCode.WILDCARD,
                (
                    f"wildcard '*' in {shown}: Google takes no wildcards; "
                    f"domain:{_cut(bare)} covers every subdomain of {_cut(bare)}"
                ),
            )
        )
    if "://" in host:
        problems.append(
            (
                DisavowProblemCode.DOMAIN_INVALID,
                (
                    f"scheme after 'domain:' in {shown}: write the bare host, or a full URL on "
                    f"its own line without 'domain:'"
                ),
            )
        )
    elif "/" in host or "?" in host or "#" in host:
        problems.append(
            (
                DisavowProblemCode.DOMAIN_PATH,
                (
                    f"path after the host in {shown}: Google cannot disavow part of a site; "
                    f"write the bare host, or each URL on its own line"
                ),
            )
        )
    if not host:
        problems.append((DisavowProblemCode.DOMAIN_INVALID, f"no host after 'domain:' in {shown}"))
    elif _WHITESPACE.search(host):
        problems.append((DisavowProblemCode.DOMAIN_INVALID, f"space inside the host in {shown}"))
    elif ":" in host and "://" not in host and not host.startswith("["):
        problems.append(
            (
                DisavowProblemCode.DOMAIN_INVALID,
                f"port after the host in {shown}: write the bare host",
            )
        )
    return problems


def host_name_problems(host: str, shown: str, code: DisavowProblemCode) -> list[Problem]:
    """What keeps a normalized host from being a host name (an IP address has nothing wrong).

    WHATWG URL parsing takes hosts DNS never would (`a..example`, `-a-.example`, `a$b.example`);
    these rules are those of host names (RFC 1123): labels of letters, digits and hyphens (and
    underscores, which real hosts use), none empty, starting or ending with a hyphen, or longer
    than 63 characters; at most 253 in all; a top-level domain that starts with a letter;
    punycode labels that decode. At most one problem of each kind, whatever the host's length.
    """
    if is_ip_address(host) or is_normal_host(host):
        return []
    reasons = []
    if len(host) > MAX_HOST_LENGTH:
        reasons.append(
            f"a host of {len(host):,} characters in {shown}: host names have at most 253"
        )
    if not host or host.startswith(".") or host.endswith(".") or ".." in host:
        reasons.append(f"an empty label in the host of {shown}: labels are joined by single dots")
    bad = _NOT_HOST_CHARACTER.search(host)
    if bad:
        reasons.append(
            f"{bad.group()!r} in the host of {shown}: host names hold letters, digits, '-' and '_'"
        )
    if _HYPHEN_AT_LABEL_END.search(host):
        reasons.append(f"a label starting or ending with '-' in the host of {shown}")
    long_label = _LONG_LABEL.search(host)
    if long_label:
        reasons.append(
            f"a label of {len(long_label.group()):,} characters in the host of {shown}: labels "
            f"have at most 63"
        )
    tld = host.rpartition(".")[2]
    if tld and not _TLD_SHAPE.fullmatch(tld) and not reasons:
        reasons.append(
            f"top-level domain {quote(tld)} in {shown}: top-level domains are letters, digits "
            f"and '-', starting with a letter"
        )
    if not reasons and "xn--" in host:
        bad_label = _bad_punycode(host)
        if bad_label is not None:
            reasons.append(f"{quote(bad_label)} in the host of {shown} is not valid punycode")
    return [(code, reason) for reason in reasons]


def _bad_punycode(host: str) -> str | None:
    """The first `xn--` label of `host` that does not decode, or None."""
    # ada's IDNA decoder (C; Python's punycode codec costs 50 us a label) leaves a label it
    # cannot decode as it was.
    for label in ada_url.idna.decode(host).split("."):
        if label.startswith("xn--"):
            return label
    return None


def public_suffix_problem(host: str) -> Problem | None:
    """The problem of a `domain:` entry naming a public suffix itself, or None.

    `domain:org.br` or `domain:blogspot.com` disavows every site under it (the bundled public
    suffix list, private section included: blogspot.com's blogs are sites of their own); a host
    of one label is a top-level domain by the list's default rule.
    """
    if is_ip_address(host) or not is_public_suffix(host):
        return None
    what = "a public suffix" if "." in host else "a top-level domain"
    return (
        DisavowProblemCode.PUBLIC_SUFFIX,
        f"{quote(host)} is {what}: domain:{_cut(host)} would disavow every site under it",
    )


def url_shape_problems(url: str, shown: str) -> list[Problem]:
    """What Google refuses in a URL entry whatever its spelling: wildcards, and length."""
    problems: list[Problem] = []
    if "*" in url:
        problems.append(
            (
                DisavowProblemCode.WILDCARD,
                (
                    f"wildcard '*' in {shown}: Google takes no wildcards; list each URL, or "
                    f"disavow the whole host with domain:"
                ),
            )
        )
    if len(url) > MAX_URL_LENGTH:
        problems.append(
            (
                DisavowProblemCode.URL_TOO_LONG,
                (
                    f"URL of {len(url):,} characters at {quote(url[:60])}...: Google takes at most "
                    f"{MAX_URL_LENGTH:,}; disavow its host with domain: instead"
                ),
            )
        )
    return problems


# -- reading one line --------------------------------------------------------------------------


def _suggest_host(host: str) -> str | None:
    # A lone surrogate is no character, and a C0 control (but tab, LF and CR, which URL parsing
    # drops) or DEL inside a host is a forbidden domain code point (WHATWG URL): no host comes
    # of either, so the URL parser is not asked (a refusal costs an exception).
    if _SURROGATE.search(host) is not None or _FORBIDDEN_IN_HOST.search(host.strip()):
        return None
    try:
        return DOMAIN_PREFIX + normalize_host(host)
    except InvalidURLError:
        return None


def _suggest_url(url: str) -> str | None:
    if _SURROGATE.search(url) is not None:  # as in `_suggest_host`
        return None
    try:
        return url_key(url)
    except ValueError:
        return None


def _non_ascii(shown: str, suggestion: str | None) -> Problem:
    fix = f"write {_cut(suggestion)}" if suggestion else "use punycode and percent-encoding"
    return (DisavowProblemCode.NON_ASCII, f"non-ASCII character in entry {shown}: {fix}")


def _domain_problems(shown: str, stripped: str) -> list[Problem]:
    problems: list[Problem] = []
    rest = stripped[len(DOMAIN_PREFIX) :]
    host = rest.strip(" \t")
    if not stripped.startswith(DOMAIN_PREFIX):
        problems.append(
            (
                DisavowProblemCode.NOT_AN_ENTRY,
                f"{stripped[:7]!r} in {shown}: Google documents the prefix as lower-case 'domain:'",
            )
        )
    if rest[:1] in {" ", "\t"}:
        problems.append(
            (
                DisavowProblemCode.DOMAIN_SPACE,
                f"space after 'domain:' in {shown}: write domain:{_cut(host)} with no space",
            )
        )
    problems.extend(host_problems(host, shown))
    if not host.isascii():
        problems.append(_non_ascii(shown, _suggest_host(host)))
    if problems:
        return problems
    try:
        normal = normalize_host(host)
    except InvalidURLError:
        return [(DisavowProblemCode.DOMAIN_INVALID, f"not a valid host in {shown}")]
    problems = host_name_problems(normal, shown, DisavowProblemCode.DOMAIN_INVALID)
    if not problems and host.lower().removesuffix(".") != normal:
        # `domain:1.1.1` is the IPv4 address 1.1.0.1, `domain:a%41.example` is aa.example:
        # Google's reading of such spellings is not documented; write the host it is.
        problems.append(
            (
                DisavowProblemCode.DOMAIN_INVALID,
                f"{shown} names the host {normal}: write domain:{normal}",
            )
        )
    suffix = None if problems else public_suffix_problem(normal)
    if suffix is not None:
        problems.append(suffix)
    return problems


def _url_problems(shown: str, stripped: str) -> list[Problem]:
    problems = url_shape_problems(stripped, shown)
    scheme = stripped.partition("://")[0]
    if scheme.lower() not in {"http", "https"}:
        problems.append((DisavowProblemCode.URL_INVALID, f"not an http(s) URL: {shown}"))
    elif _WHITESPACE.search(stripped):
        problems.append((DisavowProblemCode.URL_INVALID, f"space inside the URL {shown}"))
    if not stripped.isascii():
        problems.append(_non_ascii(shown, _suggest_url(stripped)))
    if redact_credentials(stripped) != stripped:
        suggestion = _suggest_url(stripped)
        fix = f"write {_cut(suggestion)}" if suggestion else "remove them"
        problems.append(
            (
                DisavowProblemCode.URL_CREDENTIALS,
                f"user name or password in {shown}: the file goes to Google; {fix}",
            )
        )
    if problems:
        return problems
    try:
        normalized = url_key(stripped)
    except ValueError:
        return [(DisavowProblemCode.URL_INVALID, f"not a valid URL: {shown}")]
    return host_name_problems(url_host(normalized), shown, DisavowProblemCode.URL_INVALID)


def _other_problems(shown: str, stripped: str) -> list[Problem]:
    if "*" in stripped and not _WHITESPACE.search(stripped):
        bare = stripped.replace("*.", "").replace("*", "") or "example.com"
        return [
            (
                DisavowProblemCode.WILDCARD,
                (
                    f"wildcard '*' in {shown}: Google takes no wildcards; "
                    f"domain:{_cut(bare)} covers every subdomain"
                ),
            )
        ]
    colon, dot = stripped.find(":"), stripped.find(".")
    # A host or path without a scheme (`example.com/page`), not `site:example.com`.
    if dot != -1 and not (-1 < colon < dot) and not _WHITESPACE.search(stripped):
        return [
            (
                DisavowProblemCode.URL_NO_SCHEME,
                (
                    f"no scheme in {shown}: a URL entry needs http:// or https://; for a whole "
                    f"site write domain:host"
                ),
            )
        ]
    return [
        (
            DisavowProblemCode.NOT_AN_ENTRY,
            f"neither a comment, a domain: entry nor a URL: {shown}",
        )
    ]


def _encoding_problem(text: str, undecodable: bool, shown: str) -> Problem:
    # `shown`: the line quoted as it would print, undecodable bytes as U+FFFD.
    if undecodable:
        return (
            DisavowProblemCode.NOT_UTF8,
            (f"bytes that are not UTF-8 in {shown}: Google refuses a file in another encoding"),
        )
    surrogate = _SURROGATE.search(text)
    return (
        DisavowProblemCode.NOT_UTF8,
        (
            f"lone surrogate {surrogate.group() if surrogate else ''!r} in {quote(text)}: not a "
            f"character, so no UTF-8 file can hold it"
        ),
    )


def classify_line(
    text: str, *, undecodable: bool = False
) -> tuple[DisavowLineKind, str | None, tuple[Problem, ...]]:
    r"""Read one line (without its line end).

    Args:
        text: the line.
        undecodable: its surrogates are undecodable bytes of a parsed `bytes` input (PEP 383's
            `surrogateescape`); otherwise they are lone surrogates of a str.

    Returns:
        The line's kind; its entry key (`domain:host` or the normalized URL) for entries; and
        its problems as (code, reason) pairs, empty unless the kind is INVALID.
    """
    stripped = text.strip(" \t")
    # Fast path for the lines a real file is made of: normalized domains, comments, blanks.
    if (
        stripped.startswith(DOMAIN_PREFIX)
        and is_normal_host(stripped[7:])
        and not is_public_suffix(stripped[7:])
    ):
        return DisavowLineKind.DOMAIN, stripped, ()
    if stripped.startswith("http") and len(stripped) <= MAX_URL_LENGTH:
        host = serialized_http_host(stripped)
        if (
            host is not None
            and "#" not in stripped
            and "*" not in stripped
            and is_normal_host(host)
        ):
            return DisavowLineKind.URL, stripped, ()
    problems: list[Problem] = []
    surrogates = not text.isascii() and _SURROGATE.search(text) is not None
    control = _CONTROL.search(stripped) is not None
    if not (surrogates or control) and (not stripped or stripped[0] == "#"):
        return (DisavowLineKind.COMMENT if stripped else DisavowLineKind.BLANK), None, ()
    if surrogates:
        # Messages quote the line as it would print: undecodable bytes as U+FFFD.
        shown_text = text.encode("utf-8", "surrogateescape" if undecodable else "surrogatepass")
        shown = quote(shown_text.decode("utf-8", "replace"))
        problems.append(_encoding_problem(text, undecodable, shown))
    else:
        shown = quote(redact_credentials(text) if "@" in text else text)
    if control:
        problems.append((DisavowProblemCode.CONTROL_CHARACTER, f"control character in {shown}"))
    if not stripped:
        kind = DisavowLineKind.BLANK
    elif stripped[0] == "#":
        kind = DisavowLineKind.COMMENT
    elif stripped[:7].lower() == DOMAIN_PREFIX:
        kind = DisavowLineKind.DOMAIN
        problems.extend(_domain_problems(shown, stripped))
    elif "://" in stripped:
        kind = DisavowLineKind.URL
        problems.extend(_url_problems(shown, stripped))
    else:
        kind = DisavowLineKind.INVALID
        problems.extend(_other_problems(shown, stripped))
    if problems:
        return DisavowLineKind.INVALID, None, tuple(problems)
    if kind is DisavowLineKind.DOMAIN:
        return kind, DOMAIN_PREFIX + domain_key(stripped[7:].strip(" \t")), ()
    if kind is DisavowLineKind.URL:
        return kind, url_key(stripped), ()
    return kind, None, ()
