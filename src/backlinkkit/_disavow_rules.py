"""Google's disavow-file rules: the limits, the problem codes, and the reading of one line.

Everything here follows Search Console help "Disavow links to your site" (answer 2648487), as
summarized in ../shared/reference/seo-facts.md. Where Google documents nothing (case of the
`domain:` prefix, surrounding spaces), the rule takes the safe side and says so.
"""

from __future__ import annotations

import enum
import functools
import re

import ada_url
import attrs

from ._errors import InvalidURLError
from ._urls import normalize_host, serialized_http_host

__all__ = [
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_URL_LENGTH",
    "NORMAL_DOMAIN_LINE",
    "DisavowLineKind",
    "DisavowProblem",
    "DisavowProblemCode",
    "classify_line",
    "comment_text",
    "domain_key",
    "escape_ascii",
    "url_key",
]

# -- Google's limits (Search Console help, answer 2648487) --------------------------------------
#: At most 100,000 lines per file; blank and comment lines count.
MAX_LINES = 100_000
#: At most 2 MB per file, read as 2,000,000 bytes (the smaller reading, so always safe).
MAX_BYTES = 2_000_000
#: A URL entry is at most 2,048 characters.
MAX_URL_LENGTH = 2_048

DOMAIN_PREFIX = "domain:"
_URL_CACHE_SIZE = 1 << 17
# A host as `normalize_host` returns it, the common case, recognized without calling ada.
# Labels of letters, digits, '-' and '_', and a non-numeric last label (numeric ones are IPv4).
_HOST_PATTERN = r"(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z_-][a-z0-9_-]*"
_NORMAL_HOST = re.compile(_HOST_PATTERN)
#: A `domain:` line exactly as backlinkkit would write it (no spaces around).
NORMAL_DOMAIN_LINE = re.compile(DOMAIN_PREFIX + _HOST_PATTERN)
# Controls Google's line reader might trip over: C0 (bar tab), DEL, and a carriage return that
# is not part of a CRLF line end.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s")
_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09}


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
    """``domain:`` followed by a scheme, a port, nothing, or no valid host."""
    URL_NO_SCHEME = "url-no-scheme"
    """A URL written without ``http://`` or ``https://``."""
    URL_INVALID = "url-invalid"
    """A URL that does not parse, is not http(s), or holds spaces."""
    URL_TOO_LONG = "url-too-long"
    """A URL longer than 2,048 characters."""
    NON_ASCII = "non-ascii"
    """A non-ASCII character in an entry: hosts go in punycode, paths percent-encoded."""
    NOT_UTF8 = "not-utf8"
    """Bytes that are not UTF-8: Google refuses a file in another encoding whole."""
    CONTROL_CHARACTER = "control-character"
    """A control character (other than tab), or a stray carriage return."""
    TOO_MANY_LINES = "too-many-lines"
    """More than 100,000 lines in the file."""
    TOO_MANY_BYTES = "too-many-bytes"
    """More than 2,000,000 bytes in the file."""
    DUPLICATE = "duplicate"
    """An entry already present earlier in the file (reported by ``redundant()`` only)."""
    REDUNDANT = "redundant"
    """An entry covered by a ``domain:`` entry (reported by ``redundant()`` only)."""


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


def escape_ascii(text: str) -> str:
    """`text` with non-ASCII characters, undecodable bytes and controls as backslash escapes."""
    if not text.isascii():
        if _SURROGATE.search(text):
            text = _show_bytes(text, "backslashreplace")  # undecodable bytes as \\xNN
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    if _CONTROL.search(text):
        text = text.translate(_ESCAPES)
    return text


def comment_text(line: str) -> str:
    """The words of a comment line: without the `#` and the spaces around them."""
    return line.strip(" \t").removeprefix("#").strip(" \t")


def _fast_url_key(url: str) -> str | None:
    """`url_key(url)` when `url` is already normalized (checked without ada), else None."""
    # Keys carry no fragment: a URL with one goes the slow way, which drops it; so does a "*",
    # which the rules flag as a wildcard.
    if "#" not in url and "*" not in url and serialized_http_host(url) is not None:
        return url
    return None


@functools.lru_cache(maxsize=_URL_CACHE_SIZE)
def url_key(url: str) -> str:
    """The WHATWG-normalized form of an http(s) URL, without its fragment, in ASCII.

    Raises:
        ValueError: `url` is not an absolute http(s) URL, or not ASCII once normalized.
    """
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


def domain_key(host: str) -> str:
    """The normalized form of a bare host (lower case, punycode, no trailing dot).

    Raises:
        InvalidURLError: `host` is not a host name.
    """
    if _NORMAL_HOST.fullmatch(host):
        return host
    return normalize_host(host)


def _problem(code: DisavowProblemCode, reason: str) -> tuple[DisavowProblemCode, str]:
    return (code, reason)


def _domain_problems(text: str, stripped: str) -> list[tuple[DisavowProblemCode, str]]:
    problems = []
    rest = stripped[len(DOMAIN_PREFIX) :]
    host = rest.strip(" \t")
    if not stripped.startswith(DOMAIN_PREFIX):
        problems.append(
            _problem(
                DisavowProblemCode.NOT_AN_ENTRY,
                f"{stripped[:7]!r} in {text!r}: Google documents the prefix as lower-case "
                f"'domain:'",
            )
        )
    if rest[:1] in {" ", "\t"}:
        problems.append(
            _problem(
                DisavowProblemCode.DOMAIN_SPACE,
                f"space after 'domain:' in {text!r}: write domain:{host} with no space",
            )
        )
    if "*" in host:
        bare = host.replace("*.", "").replace("*", "") or "example.com"
        problems.append(
            _problem(
                DisavowProblemCode.WILDCARD,
                f"wildcard '*' in {text!r}: Google takes no wildcards; domain:{bare} covers "
                f"every subdomain of {bare}",
            )
        )
    if "://" in host:
        problems.append(
            _problem(
                DisavowProblemCode.DOMAIN_INVALID,
                f"scheme after 'domain:' in {text!r}: write the bare host, or a full URL on "
                f"its own line without 'domain:'",
            )
        )
    elif any(c in host for c in "/?#"):
        problems.append(
            _problem(
                DisavowProblemCode.DOMAIN_PATH,
                f"path after the host in {text!r}: Google cannot disavow part of a site; "
                f"write the bare host, or each URL on its own line",
            )
        )
    if not host:
        problems.append(
            _problem(DisavowProblemCode.DOMAIN_INVALID, f"no host after 'domain:' in {text!r}")
        )
    elif _WHITESPACE.search(host):
        problems.append(
            _problem(DisavowProblemCode.DOMAIN_INVALID, f"space inside the host in {text!r}")
        )
    elif ":" in host and "://" not in host and not host.startswith("["):
        problems.append(
            _problem(
                DisavowProblemCode.DOMAIN_INVALID,
                f"port after the host in {text!r}: write the bare host",
            )
        )
    if not host.isascii():
        problems.append(_non_ascii(text, _suggest_host(host)))
    if not problems:
        try:
            normalize_host(host)
        except InvalidURLError:
            problems.append(
                _problem(DisavowProblemCode.DOMAIN_INVALID, f"not a valid host in {text!r}")
            )
    return problems


def _suggest_host(host: str) -> str | None:
    try:
        return DOMAIN_PREFIX + normalize_host(host)
    except InvalidURLError:
        return None


def _suggest_url(url: str) -> str | None:
    try:
        return url_key(url)
    except ValueError:
        return None


def _non_ascii(text: str, suggestion: str | None) -> tuple[DisavowProblemCode, str]:
    fix = f"write {suggestion}" if suggestion else "use punycode and percent-encoding"
    return _problem(DisavowProblemCode.NON_ASCII, f"non-ASCII character in entry {text!r}: {fix}")


def _url_problems(text: str, stripped: str) -> list[tuple[DisavowProblemCode, str]]:
    problems = []
    scheme = stripped.partition("://")[0]
    if "*" in stripped:
        problems.append(
            _problem(
                DisavowProblemCode.WILDCARD,
                f"wildcard '*' in {text!r}: Google takes no wildcards; list each URL, or "
                f"disavow the whole host with domain:",
            )
        )
    if len(stripped) > MAX_URL_LENGTH:
        problems.append(
            _problem(
                DisavowProblemCode.URL_TOO_LONG,
                f"URL of {len(stripped):,} characters at {text[:60]!r}...: Google takes at "
                f"most {MAX_URL_LENGTH:,}; disavow its host with domain: instead",
            )
        )
    if scheme.lower() not in {"http", "https"}:
        problems.append(
            _problem(
                DisavowProblemCode.URL_INVALID,
                f"not an http(s) URL: {text!r}",
            )
        )
    elif _WHITESPACE.search(stripped):
        problems.append(_problem(DisavowProblemCode.URL_INVALID, f"space inside the URL {text!r}"))
    if not stripped.isascii():
        problems.append(_non_ascii(text, _suggest_url(stripped)))
    if not problems:
        try:
            url_key(stripped)
        except ValueError:
            problems.append(_problem(DisavowProblemCode.URL_INVALID, f"not a valid URL: {text!r}"))
    return problems


def _other_problems(text: str, stripped: str) -> list[tuple[DisavowProblemCode, str]]:
    if "*" in stripped and not _WHITESPACE.search(stripped):
        bare = stripped.replace("*.", "").replace("*", "") or "example.com"
        return [
            _problem(
                DisavowProblemCode.WILDCARD,
                f"wildcard '*' in {text!r}: Google takes no wildcards; domain:{bare} covers "
                f"every subdomain",
            )
        ]
    colon, dot = stripped.find(":"), stripped.find(".")
    # A host or path without a scheme (`example.com/page`), not `site:example.com`.
    if dot != -1 and not (-1 < colon < dot) and not _WHITESPACE.search(stripped):
        return [
            _problem(
                DisavowProblemCode.URL_NO_SCHEME,
                f"no scheme in {text!r}: a URL entry needs http:// or https://; for a whole "
                f"site write domain:host",
            )
        ]
    return [
        _problem(
            DisavowProblemCode.NOT_AN_ENTRY,
            f"neither a comment, a domain: entry nor a URL: {text!r}",
        )
    ]


def _show_bytes(text: str, errors: str) -> str:
    """`text` with its undecodable bytes (surrogate escapes) as `errors` decodes them."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate of a str input: no bytes to show
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", errors)


def classify_line(
    text: str,
) -> tuple[DisavowLineKind, str | None, tuple[tuple[DisavowProblemCode, str], ...]]:
    """Read one line (without its line end).

    Returns:
        The line's kind; its entry key (`domain:host` or the normalized URL) for entries; and
        its problems as (code, reason) pairs, empty unless the kind is INVALID.
    """
    stripped = text.strip(" \t")
    # Fast path for the lines a real file is made of: normalized domains, comments, blanks.
    if stripped.startswith(DOMAIN_PREFIX) and _NORMAL_HOST.fullmatch(stripped, 7):
        return DisavowLineKind.DOMAIN, stripped, ()
    if stripped.startswith("http") and len(stripped) <= MAX_URL_LENGTH:
        key = _fast_url_key(stripped)
        if key is not None:
            return DisavowLineKind.URL, key, ()
    problems: list[tuple[DisavowProblemCode, str]] = []
    shown = text  # the line as messages quote it
    if not text.isascii() and _SURROGATE.search(text):
        shown = _show_bytes(text, "replace")
        problems.append(
            _problem(
                DisavowProblemCode.NOT_UTF8,
                f"bytes that are not UTF-8 in {shown!r}: Google refuses a file in another encoding",
            )
        )
    if _CONTROL.search(stripped):
        problems.append(
            _problem(DisavowProblemCode.CONTROL_CHARACTER, f"control character in {shown!r}")
        )
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
        return kind, DOMAIN_PREFIX + domain_key(stripped[7:]), ()
    if kind is DisavowLineKind.URL:
        return kind, url_key(stripped), ()
    return kind, None, ()
