"""HTTP header fields: `Headers`, a case-insensitive mapping, and one look-up for any mapping.

Header names are case-insensitive (RFC 9110, 5.1) and a repeated field is the same as one field
whose values are joined by ", " (5.3). Every part of backlinkkit that reads headers (the
extractor's charset and X-Robots-Tag, the fetcher) looks them up through `header_value`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

__all__ = ["Headers", "content_length", "header_value", "split_values", "to_headers"]

_STATE_VERSION = 1
# Content-Length values of more digits than this are all "larger than anything we read": int()
# would take them (up to its 4,300-digit limit), but no body that size is ever read.
_MAX_LENGTH_DIGITS = 18


class Headers(Mapping[str, str]):
    """Response headers: an immutable mapping whose look-ups ignore the name's case.

    Repeated headers arrive joined by `", "`, as HTTP allows. Iteration gives the names as the
    server wrote them.

    >>> headers = Headers([("Content-Type", "text/html"), ("X-Robots-Tag", "noindex")])
    >>> headers["content-type"], "x-robots-tag" in headers
    ('text/html', True)
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            seen = self._items.get(key)
            # A repeated header folds into the first, as HTTP allows (RFC 9110, 5.3).
            self._items[key] = (name, value) if seen is None else (seen[0], f"{seen[1]}, {value}")

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k: v for k, (_, v) in self._items.items()} == {
            str(k).lower(): v for k, v in other.items()
        }

    def __hash__(self) -> int:
        return hash(frozenset((k, v) for k, (_, v) in self._items.items()))

    def __repr__(self) -> str:
        return f"Headers({list(self.items())!r})"

    def __getstate__(self) -> dict[str, object]:
        # Versioned plain data: the fields as the server named them, in order.
        return {"version": _STATE_VERSION, "fields": [list(pair) for pair in self._items.values()]}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        version = state.get("version")
        fields = state.get("fields")
        if version != _STATE_VERSION or not isinstance(fields, list):
            raise TypeError(f"cannot load Headers pickled with state version {version!r}")
        self._items = {str(name).lower(): (str(name), str(value)) for name, value in fields}


def to_headers(value: Iterable[tuple[str, str]] | Mapping[str, str]) -> Headers:
    """`value` as `Headers` (itself when it already is)."""
    return value if isinstance(value, Headers) else Headers(value)


def content_length(value: str) -> int | None:
    """The body length a `Content-Length` field value declares, or None when it is not valid.

    RFC 9110, 8.6: the value is one or more ASCII digits. A list of identical values (the field
    repeated, or one field with commas) stands for that value; anything else is invalid: signs,
    spaces or underscores inside, digits of other scripts (`str.isdigit` is true for "²"),
    differing values. A length of more than 18 digits is reported as 10**18 - 1, larger than any
    body anyone reads, without converting it.

    >>> content_length("1024"), content_length("42, 42"), content_length("42, 43")
    (1024, 42, None)
    >>> content_length("+5"), content_length("\u00b2"), content_length("1" * 5000)
    (None, None, 999999999999999999)
    """
    lengths = set()
    for part in value.split(","):
        digits = part.strip(" \t")
        if not (digits.isascii() and digits.isdigit()):
            return None
        lengths.add(digits.lstrip("0") or "0")
    if len(lengths) != 1:
        return None
    digits = lengths.pop()
    return int(digits) if len(digits) <= _MAX_LENGTH_DIGITS else 10**_MAX_LENGTH_DIGITS - 1


def header_value(headers: Mapping[str, str] | None, name: str) -> str | None:
    """The value of header `name` (lower case) in any mapping, names compared without case.

    Fields that differ only in case are joined by ", ", as a repeated field is (RFC 9110, 5.3).

    >>> header_value({"Content-Type": "text/html"}, "content-type")
    'text/html'
    >>> header_value({"X-Robots-Tag": "noindex", "x-robots-tag": "nofollow"}, "x-robots-tag")
    'noindex, nofollow'
    """
    if not headers:
        return None
    if isinstance(headers, Headers):
        return headers.get(name)
    values = [value for key, value in headers.items() if key.lower() == name]
    return ", ".join(values) if values else None


def split_values(value: str) -> Iterator[str]:
    """A field value's comma-separated values; commas in quoted strings do not split.

    The Fetch standard's "get, decode, and split": a quoted string runs to its closing quote,
    past any backslash-escaped character. The values keep their surrounding whitespace.

    >>> list(split_values('text/plain, text/html; q="a,b"'))
    ['text/plain', ' text/html; q="a,b"']
    """
    if '"' not in value:
        yield from value.split(",")
        return
    start, quoted, escaped = 0, False, False
    for index, char in enumerate(value):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            yield value[start:index]
            start = index + 1
    yield value[start:]
