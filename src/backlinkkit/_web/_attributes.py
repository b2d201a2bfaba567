"""A bound on attributes per element, applied to the bytes before libxml2 parses them.

libxml2 builds an element's attributes in quadratic time (each new one is compared with every
one before it): one element with 100,000 attributes takes about 20 s. Browsers have no bound;
real pages stay far below one (a few dozen at most). `capped` keeps the first
`MAX_ATTRIBUTES` attributes of every start tag, as written, and drops the rest.

The scan is linear: one pass of a regular expression whose every quantifier is possessive (no
backtracking), over start tags only; tags too short to hold `MAX_ATTRIBUTES` attributes are
left alone without looking inside, so normal pages come back as the same bytes object.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ATTRIBUTES", "capped"]

MAX_ATTRIBUTES = 1_000
"""Attributes kept per element, in the order written; the rest of that tag's are dropped."""

# One attribute as the HTML tokenizer splits them (names end at whitespace, "/", "=" or ">";
# a value is quoted, or runs to whitespace or ">"); an unclosed quote is read as unquoted.
_ATTRIBUTE = (
    rb"[\t\n\f\r /]*+[^\t\n\f\r />][^\t\n\f\r /=>]*+"
    rb"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+))?+"""
)
_START_TAG = re.compile(rb"(<[A-Za-z][^\t\n\f\r />]*+)(?:" + _ATTRIBUTE + rb")*+")
_ATTRIBUTES = re.compile(_ATTRIBUTE)
# An attribute takes at least two bytes (a separator and a name): shorter tags cannot be over.
_SHORTEST_OVER = 2 * MAX_ATTRIBUTES
# A tag that long either has no ">" in its first bytes, or a quoted value holding one: pages with
# neither (most) are not scanned tag by tag. Both searches are linear (possessive, or one class).
_NO_END_SOON = re.compile(rb"<[A-Za-z][^>]{%d}" % _SHORTEST_OVER)
_QUOTED_END = re.compile(rb"""=[\t\n\f\r ]*+(?:"[^">]*+>|'[^'>]*+>)""")


def capped(data: bytes) -> tuple[bytes, int]:
    """`data` with at most `MAX_ATTRIBUTES` attributes per start tag, and how many were dropped.

    Returns `data` itself when no tag is over the bound.
    """
    if len(data) <= _SHORTEST_OVER or not (_NO_END_SOON.search(data) or _QUOTED_END.search(data)):
        return data, 0
    parts: list[bytes] = []
    kept_until = 0
    dropped = 0
    for tag in _START_TAG.finditer(data):
        start, end = tag.span()
        if end - start <= _SHORTEST_OVER:
            continue
        cut = None
        count = 0
        for attribute in _ATTRIBUTES.finditer(data, tag.end(1), end):
            count += 1
            if count == MAX_ATTRIBUTES:
                cut = attribute.end()
        if cut is None or count <= MAX_ATTRIBUTES:
            continue
        parts += [data[kept_until:cut]]
        kept_until = end
        dropped += count - MAX_ATTRIBUTES
    if not parts:
        return data, 0
    parts.append(data[kept_until:])
    return b"".join(parts), dropped
