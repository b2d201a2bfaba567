"""`PageCounter`: distinct linking pages, counted exactly, then with a HyperLogLog sketch.

A profile counts referring pages without keeping them: each page URL becomes a 64-bit hash
(BLAKE2b, the same in every process, so counters of parts of an input merge). Up to
`EXACT_PAGES` hashes are kept and the count is exact; past that they fold into a HyperLogLog
sketch of 2**14 registers (about 0.8% standard error, Flajolet et al. 2007), which still merges
exactly: the sketch of a union is the register-wise maximum of the sketches.
"""

from __future__ import annotations

import functools
import hashlib
import math
import operator
from collections.abc import Iterable, Iterator
from itertools import repeat
from typing import cast

__all__ = ["EXACT_PAGES", "PageCounter"]

#: Distinct pages counted exactly before the counter turns into a sketch.
EXACT_PAGES = 1 << 17
_BITS = 14
_SIZE = 1 << _BITS
_MASK = _SIZE - 1
_STATE_VERSION = 1


def page_hash(url: str) -> int:
    """The 64-bit hash a page URL is counted by (stable across processes and machines)."""
    digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


# `page_hash` as a chain of C callables: a million URLs make no Python frame each.
_ENCODE = operator.methodcaller("encode", "utf-8", "surrogatepass")
_BLAKE2B = functools.partial(hashlib.blake2b, digest_size=8)
_DIGEST = operator.methodcaller("digest")
_TO_INT = functools.partial(int.from_bytes, byteorder="little")


def page_hashes(urls: Iterable[str]) -> Iterator[int]:
    """`page_hash` of each URL of `urls`, lazily."""
    return map(_TO_INT, map(_DIGEST, map(_BLAKE2B, map(_ENCODE, urls))))


class PageCounter:
    """Counts distinct pages: exact up to `EXACT_PAGES`, then a HyperLogLog estimate.

    >>> pages = PageCounter()
    >>> pages.add_urls(["https://a.test/1", "https://a.test/2", "https://a.test/1"])
    >>> pages.count()
    (2, True)
    """

    __slots__ = ("_hashes", "_pending", "_registers")

    def __init__(self) -> None:
        self._hashes: set[int] | None = set()
        self._registers: bytearray | None = None  # the sketch, once exact counting stopped
        # Hashes not yet folded into the sketch: folding costs a pass over its registers, so
        # it is done once per `EXACT_PAGES` new hashes, not once per batch of a few thousand.
        self._pending: set[int] = set()

    def add_urls(self, urls: Iterable[str]) -> None:
        """Count each URL of `urls` as a page (repeats count once)."""
        self.add_hashes(page_hashes(urls))

    def add_hashes(self, hashes: Iterable[int]) -> None:
        """Count pages given by their `page_hash`."""
        if self._hashes is not None:
            self._hashes.update(hashes)
            if len(self._hashes) > EXACT_PAGES:
                self._to_sketch()
            return
        self._pending.update(hashes)
        if len(self._pending) > EXACT_PAGES:
            self._flush()

    def absorb(self, other: PageCounter) -> None:
        """Count `other`'s pages too: the counter of both inputs together."""
        if other._registers is None:
            self.add_hashes(other._hashes or ())
            return
        self._to_sketch()
        other._flush()
        registers = self._registers
        assert registers is not None  # noqa: S101 - _to_sketch made it
        registers[:] = bytes(map(max, registers, other._registers))

    def count(self) -> tuple[int, bool]:
        """(distinct pages, whether the count is exact)."""
        if self._hashes is not None:
            return len(self._hashes), True
        self._flush()
        registers = self._registers or bytearray(_SIZE)
        alpha = 0.7213 / (1 + 1.079 / _SIZE)
        estimate = alpha * _SIZE * _SIZE / math.fsum(2.0**-rank for rank in registers)
        zeros = registers.count(0)
        if estimate <= 2.5 * _SIZE and zeros:  # small range: linear counting
            estimate = _SIZE * math.log(_SIZE / zeros)
        return round(estimate), False

    def copy(self) -> PageCounter:
        """An independent copy."""
        self._flush()
        new = PageCounter()
        new._hashes = None if self._hashes is None else set(self._hashes)
        new._registers = None if self._registers is None else bytearray(self._registers)
        return new

    def state(self) -> dict[str, object]:
        """The counter as versioned plain data (sorted hashes, or the sketch's registers)."""
        self._flush()
        return {
            "version": _STATE_VERSION,
            "hashes": None if self._hashes is None else sorted(self._hashes),
            "registers": None if self._registers is None else bytes(self._registers),
        }

    @classmethod
    def from_state(cls, state: dict[str, object]) -> PageCounter:
        """The counter `state()` describes."""
        if state.get("version") != _STATE_VERSION:
            raise TypeError(f"unknown page counter state version {state.get('version')!r}")
        new = cls()
        hashes, registers = state["hashes"], state["registers"]
        new._hashes = None if hashes is None else set(cast("list[int]", hashes))
        new._registers = None if registers is None else bytearray(cast("bytes", registers))
        return new

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageCounter):
            return NotImplemented
        self._flush()
        other._flush()
        return self._hashes == other._hashes and self._registers == other._registers

    __hash__ = None  # type: ignore[assignment]

    def _flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, set()
            self._fold(pending)

    def _to_sketch(self) -> None:
        if self._registers is None:
            self._registers = bytearray(_SIZE)
        hashes, self._hashes = self._hashes or (), None
        self._fold(hashes)

    def _fold(self, hashes: Iterable[int]) -> None:
        # The one register update: the register picked by the low bits keeps the largest rank,
        # the position of the first 1 bit in the remaining 50. Written as C-level maps: each
        # hash becomes index << 6 | rank (a rank is at most 51), and the largest per register
        # is the last one a sorted list of them gives a dict.
        registers = self._registers
        assert registers is not None  # noqa: S101 - only called on a sketch
        values = hashes if isinstance(hashes, (list, set)) else list(hashes)
        ranks = map(operator.sub, repeat(51),
                    map(int.bit_length, map(operator.rshift, values, repeat(_BITS))))  # fmt: skip
        indexes = map(operator.and_, values, repeat(_MASK))
        keys = sorted(set(map(operator.or_, map(operator.lshift, indexes, repeat(6)), ranks)))
        at = map(operator.rshift, keys, repeat(6))
        best = dict(zip(at, map(operator.and_, keys, repeat(63)), strict=True))
        registers[:] = bytes(map(max, registers, map(best.get, range(_SIZE), repeat(0))))
