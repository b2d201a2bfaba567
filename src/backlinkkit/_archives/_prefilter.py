"""`Prefilter`: skip pages whose bytes cannot hold a link to any target, before parsing them.

Extraction is ~90% of an archive job's CPU; when targets are rare, most pages cannot link to
them, and a byte search is a hundred times cheaper than a parse. The search must never miss a
page a link could come from, so it looks for every spelling a browser would still read as the
target's host:

- the target's site label (`example` of `www.example.co.uk`), not the whole host, so that a dot
  written `&#46;`, `%2E` or `。` and any subdomain are still found; in any ASCII case;
- an IDN label in punycode and in UTF-8, in any case of its letters;
- a label letter hidden in a character reference (`&#101;`, `&#x65;`) or a percent escape
  (`%65`), which HTML and the URL parser decode: such a page is kept.

Pages whose encoding is not ASCII-compatible are never skipped: a byte order mark for UTF-16
or UTF-32, a NUL byte, or a declared UTF-16/32 charset (header or the first 1024 bytes). For an
IDN target, a page that is not valid UTF-8 is kept too (it may spell the label in a legacy
encoding).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ada_url
import attrs

from .. import SuffixList
from ._targets import Target

__all__ = ["Prefilter"]

# Charset labels of encodings that are not ASCII-compatible (Encoding Standard's UTF-16 labels,
# and UTF-32, which browsers do not support but servers still declare).
_WIDE_CHARSETS = (b"utf-16", b"utf16", b"utf-32", b"utf32", b"ucs-2", b"ucs-4", b"unicode")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_PRESCAN_BYTES = 1024


def _target_tuple(targets: Iterable[Target]) -> tuple[Target, ...]:
    return tuple(targets)


def _label(target: Target) -> str | None:
    """The target's site label (`example` of `example.co.uk`), or None for IPs and suffixes."""
    psl = SuffixList.bundled()
    site = target.site
    suffix = psl.public_suffix(site)
    if site.startswith("[") or site.rsplit(".", 1)[-1].isdigit():
        return None  # an IP address: written in hex, octal or as one number, it has no label
    if len(site) <= len(suffix):
        return None  # the target is itself a public suffix (`github.io`)
    return site[: -len(suffix) - 1]


def _unicode(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    decoded: str = ada_url.idna_to_unicode(label)
    return decoded or label


def _hidden_letters(letters: Iterable[str]) -> tuple[re.Pattern[bytes], ...]:
    """Regexes for any of `letters`, any case, hidden in a character reference or percent escapes.

    They run on ASCII-lowered bytes; each starts with a literal (`&#`, `%`), which the regex
    engine scans for at memchr speed (one pattern with both would test every position).
    """
    codes = sorted({ord(v) for c in letters for v in (c, c.upper(), c.lower()) if len(v) == 1})
    if not codes:
        return ()
    decimal = b"|".join(b"%d" % code for code in codes)
    hexadecimal = b"|".join(b"%x" % code for code in codes)
    # UTF-8 bytes as escapes, without the first "%" (the patterns' shared literal start).
    percent = b"|".join(
        sorted({b"%".join(b"%02x" % byte for byte in chr(code).encode()) for code in codes})
    )
    references = re.compile(
        rb"&#(?:x0*(?:" + hexadecimal + rb")(?![0-9a-f])|0*(?:" + decimal + rb")(?![0-9]))"
    )
    escapes = re.compile(rb"%(?:" + percent + rb")")
    return (references, escapes)


def _case_variants(text: str) -> bytes:
    """A regex matching `text` in UTF-8 with any case of each letter, on ASCII-lowered bytes."""
    parts: list[bytes] = []
    for char in text:
        variants = sorted({v.encode("utf-8").lower() for v in (char, char.upper(), char.lower())})
        if len(variants) == 1:
            parts.append(re.escape(variants[0]))
        else:
            parts.append(b"(?:" + b"|".join(re.escape(v) for v in variants) + b")")
    return b"".join(parts)


@attrs.frozen(eq=False)
class Prefilter:
    """Tells whether a page's bytes could hold a link to any of the targets.

    `may_link` is False only when no spelling of any target's site label can be in the page:
    a page it passes is parsed as usual, so the backlinks found are the same as without it, as
    long as no link spells the host in a way it cannot see. It cannot see: a host whose label
    is broken by tabs or newlines (raw or as `&Tab;`/`&#10;`; the URL parser removes them), by
    code points IDNA ignores (soft hyphens) or written with compatibility characters IDNA maps
    to ASCII (full-width letters); an IPv4 target (a number has many spellings: any IP target
    turns the prefilter off, as does a target that is a public suffix); links that only
    scripts write (which `extract_links` does not see either).

    Args:
        targets: the targets whose links matter.

    >>> from backlinkkit.warc import Target
    >>> check = Prefilter([Target("example.com")])
    >>> check.may_link(b'<a href="https://WWW.EXAMPLE.COM/">x</a>')
    True
    >>> check.may_link(b'<a href="https://ex&#97;mple.com/">x</a>')
    True
    >>> check.may_link(b'<a href="https://other.test/">x</a>')
    False
    """

    targets: tuple[Target, ...] = attrs.field(converter=_target_tuple)
    _needles: tuple[bytes, ...] = attrs.field(init=False, repr=False)
    _unicode_labels: re.Pattern[bytes] | None = attrs.field(init=False, repr=False)
    _hidden: tuple[re.Pattern[bytes], ...] = attrs.field(init=False, repr=False)
    _off: bool = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        labels: list[str] = []
        off = not self.targets
        for target in self.targets:
            label = _label(target)
            if label is None:
                off = True
            else:
                labels.append(label)
        unicode_labels = [_unicode(label) for label in labels]
        wide = [u for u, label in zip(unicode_labels, labels, strict=True) if u != label]
        letters = sorted({char for text in (*labels, *unicode_labels) for char in text})
        object.__setattr__(self, "_off", off)
        object.__setattr__(self, "_needles", tuple(dict.fromkeys(la.encode() for la in labels)))
        object.__setattr__(
            self,
            "_unicode_labels",
            re.compile(b"|".join(_case_variants(u) for u in wide)) if wide else None,
        )
        object.__setattr__(self, "_hidden", _hidden_letters(letters))

    def may_link(self, body: bytes, *, content_type: str | None = None) -> bool:
        """Whether `body` could hold a link to a target (False: it certainly cannot).

        Args:
            body: the page's bytes, as served (after any content-encoding is undone).
            content_type: the HTTP `Content-Type` header, whose charset is looked at.

        Returns:
            False when no spelling of any target's label is in the page and its encoding is
            ASCII-compatible; True otherwise.
        """
        if self._off or self._wide(body, content_type):
            return True
        lowered = body.lower()
        for needle in self._needles:
            if needle in lowered:
                return True
        if self._unicode_labels is not None:
            if self._unicode_labels.search(lowered) is not None:
                return True
            if not body.isascii() and not _is_utf8(body):
                return True
        return any(pattern.search(lowered) is not None for pattern in self._hidden)

    @staticmethod
    def _wide(body: bytes, content_type: str | None) -> bool:
        if body.startswith(_WIDE_BOMS) or b"\x00" in body:
            return True
        if content_type is not None:
            declared = content_type.lower().encode("latin-1", "replace")
            if any(label in declared for label in _WIDE_CHARSETS):
                return True
        head = body[:_PRESCAN_BYTES].lower()
        return any(label in head for label in _WIDE_CHARSETS)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
