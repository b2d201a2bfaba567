"""HTTP header fields: `Headers`, a case-insensitive mapping, and one look-up for any mapping.

Header names are case-insensitive (RFC 9110, 5.1) and a repeated field is the same as one field
whose values are joined by ", " (5.3). Every part of backlinkkit that reads headers (the
extractor's charset and X-Robots-Tag, the fetcher) looks them up through `header_value`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

__all__ = ["Headers", "header_value", "to_headers"]


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


def to_headers(value: Iterable[tuple[str, str]] | Mapping[str, str]) -> Headers:
    return value if isinstance(value, Headers) else Headers(value)


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
