"""Tests for the page counter's hashing and its HyperLogLog sketch (the batch paths)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backlinkkit._profile._pages import EXACT_PAGES, PageCounter, page_hash, page_hashes

_BITS = 14
# A counter just past the exact limit (a sketch now), made once: each example copies it.
_SKETCH = PageCounter()
_SKETCH.add_hashes(range(EXACT_PAGES + 1))


def _reference_registers(hashes: list[int]) -> bytearray:
    # The register update written out one hash at a time: the batch fold must match it.
    registers = bytearray(1 << _BITS)
    for value in hashes:
        index = value & ((1 << _BITS) - 1)
        registers[index] = max(registers[index], 51 - (value >> _BITS).bit_length())
    return registers


class TestPageHashes:
    @given(st.lists(st.text()))
    def test_batch_hashes_equal_one_at_a_time(self, urls: list[str]) -> None:
        """`page_hashes` gives each URL the hash `page_hash` gives it, lone surrogates too."""
        assert list(page_hashes(urls)) == [page_hash(url) for url in urls]


class TestSketch:
    @given(st.lists(st.integers(min_value=0, max_value=(1 << 64) - 1), max_size=300))
    def test_fold_keeps_the_largest_rank_per_register(self, hashes: list[int]) -> None:
        """Folding a batch of hashes sets every register to its largest rank, as one by one."""
        counter = _SKETCH.copy()
        counter.add_hashes(iter(hashes))
        assert counter.state()["registers"] == bytes(
            max(a, b)
            for a, b in zip(
                _SKETCH.state()["registers"],  # type: ignore[arg-type]
                _reference_registers(hashes),
                strict=True,
            )
        )
