"""Hamming-radius look-ups over millions of 64-bit media keys, without all-pairs.

Multi-index hashing (Norouzi, Punjani and Fleet, 2012): each key is cut into four
16-bit bands, and each band is kept sorted beside the key's owner. Two keys within
7 bits of each other differ by at most one bit in some band, so probing each band's
value and its 16 one-bit neighbours finds every key within radius 7 exactly (and most
at 8); candidates are then checked on the full 64 bits. Like `tracer.text.index`, new keys
go to a small unsorted delta that is merged into the sorted arrays now and then.
"""

from __future__ import annotations

import numpy as np

BANDS = 4
BAND_BITS = 16
EXACT_RADIUS = BANDS * 2 - 1
"""Radius up to which a look-up is exact (with one-bit probes per band)."""
BUCKETS = 1 << BAND_BITS
FLIPS = np.array([0] + [1 << b for b in range(BAND_BITS)], np.uint64)
SHIFTS = np.arange(BANDS, dtype=np.uint64) * np.uint64(BAND_BITS)
MASK = np.uint64(BUCKETS - 1)
OFFSETS = (np.arange(BANDS, dtype=np.int64) * BUCKETS)[None, :, None]
DELTA_LIMIT = 1 << 13
"""Keys the unsorted delta holds before a merge: every query compares them all."""


def band_values(keys: np.ndarray, band: int) -> np.ndarray:
    shifted: np.ndarray = (keys >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)
    return shifted.astype(np.uint16)


class MediaIndex:
    """Keys (uint64) and their owners (int64 post numbers), searchable by Hamming radius."""

    def __init__(self, keys: np.ndarray | None = None, owners: np.ndarray | None = None) -> None:
        self._keys = np.empty(0, np.uint64) if keys is None else keys.astype(np.uint64)
        self._owners = np.empty(0, np.int64) if owners is None else owners.astype(np.int64)
        self._delta_keys: list[int] = []
        self._delta_owners: list[int] = []
        self._sort()

    def _sort(self) -> None:
        """One bucket table for all bands: bucket `band * 2**16 + value` holds the
        positions `order[starts[bucket]:starts[bucket + 1]]`, so a probe is two reads."""
        buckets = np.concatenate(
            [
                band_values(self._keys, band).astype(np.int64) + band * BUCKETS
                for band in range(BANDS)
            ]
        )
        self._order = np.argsort(buckets, kind="stable") % max(1, len(self._keys))
        counts = np.bincount(buckets, minlength=BANDS * BUCKETS)
        self._starts = np.zeros(BANDS * BUCKETS + 1, np.int64)
        np.cumsum(counts, out=self._starts[1:])

    @classmethod
    def opened(
        cls, keys: np.ndarray, owners: np.ndarray, order: np.ndarray, starts: np.ndarray
    ) -> MediaIndex:
        """An index from the arrays `arrays` gave (a snapshot), without sorting again."""
        index = cls.__new__(cls)
        index._keys, index._owners, index._order, index._starts = keys, owners, order, starts
        index._delta_keys, index._delta_owners = [], []
        return index

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Keys, owners and the bucket table, recent additions merged in (on a copy)."""
        if not self._delta_keys:
            return self._keys, self._owners, self._order, self._starts
        keys = np.concatenate([self._keys, np.array(self._delta_keys, np.uint64)])
        owners = np.concatenate([self._owners, np.array(self._delta_owners, np.int64)])
        merged = MediaIndex(keys, owners)
        return merged._keys, merged._owners, merged._order, merged._starts

    def __len__(self) -> int:
        return len(self._keys) + len(self._delta_keys)

    def add(self, keys: np.ndarray | list[int], owner: int) -> None:
        for key in np.asarray(keys, np.uint64).tolist():
            self._delta_keys.append(int(key))
            self._delta_owners.append(owner)
        if len(self._delta_keys) >= DELTA_LIMIT:
            self.compact()

    def compact(self) -> None:
        if not self._delta_keys:
            return
        self._keys = np.concatenate([self._keys, np.array(self._delta_keys, np.uint64)])
        self._owners = np.concatenate([self._owners, np.array(self._delta_owners, np.int64)])
        self._delta_keys, self._delta_owners = [], []
        self._sort()

    def search(self, queries: np.ndarray | list[int], radius: int) -> dict[int, int]:
        """Owners with a key within `radius` bits of any query key, and the best distance.

        Exact for `radius` ≤ `EXACT_RADIUS`; above it, keys that differ in two or more
        bits of every band can be missed."""
        _, owners, distances = self.search_batch(np.asarray(queries, np.uint64), radius)
        best: dict[int, int] = {}
        for owner, d in zip(owners.tolist(), distances.tolist(), strict=True):
            if d < best.get(owner, 65):
                best[owner] = d
        return best

    def search_batch(
        self, queries: np.ndarray, radius: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (query number, owner, distance) within `radius`, for many queries at once:
        the vectorised form that makes a million-key index answer thousands per second."""
        q = np.asarray(queries, np.uint64)
        qid, pos = self._probe(q)
        keys, owners = self._keys[pos], self._owners[pos]
        if self._delta_keys:  # the unsorted delta is small: compare it with every query
            dk = np.array(self._delta_keys, np.uint64)
            do = np.array(self._delta_owners, np.int64)
            qid = np.concatenate([qid, np.repeat(np.arange(len(q)), len(dk))])
            keys = np.concatenate([keys, np.tile(dk, len(q))])
            owners = np.concatenate([owners, np.tile(do, len(q))])
        distance = np.bitwise_count(keys ^ q[qid]).astype(np.int64)
        near = distance <= radius
        qid, owners, distance = qid[near], owners[near], distance[near]
        # Each (query, owner) once, with its best distance: a key is found through
        # several bands, and an owner has several keys.
        order = np.lexsort((distance, owners, qid))
        qid, owners, distance = qid[order], owners[order], distance[order]
        first = np.ones(len(qid), bool)
        first[1:] = (qid[1:] != qid[:-1]) | (owners[1:] != owners[:-1])
        return qid[first], owners[first], distance[first]

    def _probe(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query number, key position) for every key sharing a band, give or take one
        bit, with a query."""
        if len(self._keys) == 0 or len(q) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        values = (q[:, None] >> SHIFTS[None, :]) & MASK  # (n, 4): each band's value
        probes = (values[:, :, None] ^ FLIPS[None, None, :]).astype(np.int64)  # (n, 4, 17)
        flat = (probes + OFFSETS).reshape(-1)
        lo, hi = self._starts[flat], self._starts[flat + 1]
        counts = hi - lo
        total = int(counts.sum())
        qid = np.repeat(np.arange(len(flat)) // (BANDS * len(FLIPS)), counts)
        # Positions lo..hi-1 of every probe, without a Python loop.
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        hits: np.ndarray = self._order[starts + np.arange(total)]
        return qid, hits
