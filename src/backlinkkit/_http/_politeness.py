"""Per-host politeness: one request at a time to each host, and a pause between them."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

__all__ = ["HostGate"]


class _Slot:
    __slots__ = ("last_end", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_end = float("-inf")


class HostGate:
    """Lets one request at a time through to each host, `delay` seconds after the last one ended.

    The delay counts from the end of one request (its body read) to the start of the next, so
    the server sees the requests at least `delay` seconds apart however long each one took.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[float]:
        """Hold `host` for one request; gives the seconds spent waiting for it."""
        with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = _Slot()
        start = time.monotonic()
        with slot.lock:
            pause = slot.last_end + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                yield time.monotonic() - start
            finally:
                slot.last_end = time.monotonic()
