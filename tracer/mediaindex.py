"""Hamming-radius look-ups over millions of 64-bit media keys, without all-pairs.

Multi-index hashing (Norouzi, Punjani and Fleet, 2012): each key is cut into four
16-bit bands, and each band is kept sorted beside the key's owner. Two keys within
7 bits of each other differ by at most one bit in some band, so probing each band's
value and its 16 one-bit neighbours finds every key within radius 7 exactly (and most
at 8); candidates are then checked on the full 64 bits. Like `tracer.index`, new keys
go to a small unsorted delta that is merged into the sorted arrays now and then.
"""

from __future__ import annotations

import numpy as np

BANDS = 4
BAND_BITS = 16
EXACT_RADIUS = BANDS * 2 - 1
"""Radius up to which a look-up is exact (with one-bit probes per band)."""
FLIPS = np.array([0] + [1 << b for b in range(BAND_BITS)], np.uint16)
DELTA_LIMIT = 1 << 16


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
        self._bands: list[tuple[np.ndarray, np.ndarray]] = []
        for band in range(BANDS):
            values = band_values(self._keys, band)
            order = np.argsort(values, kind="stable")
            self._bands.append((values[order], order))

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
        pairs = [self._probe(q, band) for band in range(BANDS) if len(self._keys)]
        qids = [p[0] for p in pairs]
        positions = [p[1] for p in pairs]
        qid = np.concatenate(qids) if qids else np.empty(0, np.int64)
        pos = np.concatenate(positions) if positions else np.empty(0, np.int64)
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
        # A key found through several bands is reported once per query.
        unique = np.unique(np.stack([qid, owners, distance]), axis=1)
        return unique[0], unique[1], unique[2]

    def _probe(self, q: np.ndarray, band: int) -> tuple[np.ndarray, np.ndarray]:
        values, order = self._bands[band]
        probes = (band_values(q, band)[:, None] ^ FLIPS[None, :]).reshape(-1)
        lo = np.searchsorted(values, probes, "left")
        hi = np.searchsorted(values, probes, "right")
        counts = hi - lo
        total = int(counts.sum())
        qid = np.repeat(np.arange(len(probes)) // len(FLIPS), counts)
        # Positions lo..hi-1 of every probe, without a Python loop.
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        hits: np.ndarray = order[starts + np.arange(total)]
        return qid, hits
