"""A least-recently-used map bounded by bytes, shared by the threads of one process.

What a server caches (a family's cascade graph and its exports) ranges from a few
kilobytes to a few megabytes per entry, so a bound on entries says little about memory:
each entry is charged the bytes its owner estimates, entries can grow (another export
format rendered later), and the least recently used go when the total passes the
bound. A bound of 0 caches nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class LruStats:
    entries: int
    bytes: int
    max_bytes: int
    hits: int
    misses: int
    evictions: int


class SizedLru(Generic[K, V]):
    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be 0 or more")
        self.max_bytes = max_bytes
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._hits = self._misses = self._evictions = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self._misses += 1
                return None
            self._items.move_to_end(key)
            self._hits += 1
            return found[0]

    def peek(self, key: K) -> V | None:
        """As `get`, but neither counted nor made recent (a second look while building)."""
        with self._lock:
            found = self._items.get(key)
            return None if found is None else found[0]

    def put(self, key: K, value: V, size: int) -> None:
        """Keep `value`, charged `size` bytes; one larger than the whole bound is not kept."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self._bytes += size
            self._evict()

    def grow(self, key: K, size: int) -> None:
        """Charge a kept entry `size` more bytes (it holds more than when it was put)."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return
            self._items[key] = (found[0], found[1] + size)
            self._items.move_to_end(key)
            self._bytes += size
            self._evict()

    def _evict(self) -> None:
        while self._bytes > self.max_bytes and self._items:
            _, (_, size) = self._items.popitem(last=False)
            self._bytes -= size
            self._evictions += 1

    def stats(self) -> LruStats:
        with self._lock:
            return LruStats(
                len(self._items),
                self._bytes,
                self.max_bytes,
                self._hits,
                self._misses,
                self._evictions,
            )
