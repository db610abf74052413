"""Hamming-radius look-ups over millions of 64-bit media keys, without all-pairs.

Multi-index hashing (Norouzi, Punjani and Fleet, 2012): each key is cut into four
16-bit bands, and each band is kept sorted beside the key's owner. Two keys within
7 bits of each other differ by at most one bit in some band, so probing each band's
value and its 16 one-bit neighbours finds every key within radius 7 exactly, and above
7 those with one band off by one bit at most; candidates are then checked on the full
64 bits. Like `tracer.text.index`, new keys go to a small unsorted delta that is merged
into the sorted arrays now and then.
"""

from __future__ import annotations

import numba as nb
import numpy as np

BANDS = 4
BAND_BITS = 16
EXACT_RADIUS = BANDS * 2 - 1
"""Radius up to which a look-up is exact (with one-bit probes per band)."""
BUCKETS = 1 << BAND_BITS
FLIPS = np.array([0] + [1 << b for b in range(BAND_BITS)], np.uint64)
SHIFTS = np.arange(BANDS, dtype=np.uint64) * np.uint64(BAND_BITS)
MASK = np.uint64(BUCKETS - 1)
DELTA_LIMIT = 1 << 13
"""Keys the unsorted delta holds before a merge: every query compares them all."""


def band_values(keys: np.ndarray, band: int) -> np.ndarray:
    shifted: np.ndarray = (keys >> np.uint64(band * BAND_BITS)) & np.uint64(0xFFFF)
    return shifted.astype(np.uint16)


def _buckets(keys: np.ndarray) -> np.ndarray:
    """Each key's bucket in every band, band after band (`BANDS` × the keys)."""
    return np.concatenate(
        [band_values(keys, band).astype(np.int64) + band * BUCKETS for band in range(BANDS)]
    )


_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@nb.njit(cache=True)
def _bits(x: np.uint64) -> int:
    """Set bits of a 64-bit word (numba has no `np.bitwise_count`)."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


@nb.njit(cache=True)
def _probed(x: np.uint64) -> bool:
    """Whether two keys `x` apart share a band give or take one bit: the keys a probe of
    the sorted bands can reach."""
    for band in range(BANDS):  # noqa: SIM110 (numba compiles the loop, not a generator)
        if _bits((x >> SHIFTS[band]) & MASK) <= 1:
            return True
    return False


@nb.njit(cache=True)
def near_pairs(
    queries: np.ndarray, keys: np.ndarray, radius: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (query number, key position, distance) within `radius` that the sorted
    bands' probes would find too, comparing each query with each key (the unsorted
    delta), without the matrix of all distances. Above `EXACT_RADIUS` a key that
    differs in two or more bits of every band is left out here as it is there: whether a
    key was found must not depend on whether it had been merged yet (besides when it
    fills, an ingest merges after every batch, a relink after thousands of posts: when
    only the delta found such keys, 68 of an ingest's 6,187 matches at 10,000 posts named
    another source post than its relink's)."""
    qids: list[int] = []
    found: list[int] = []
    apart: list[int] = []
    for i in range(len(queries)):
        q = queries[i]
        for j in range(len(keys)):
            x = q ^ keys[j]
            d = _bits(x)
            if d <= radius and (d <= EXACT_RADIUS or _probed(x)):
                qids.append(i)
                found.append(j)
                apart.append(d)
    return np.array(qids, np.int64), np.array(found, np.int64), np.array(apart, np.int64)


@nb.njit(cache=True)
def probe_pairs(
    queries: np.ndarray, keys: np.ndarray, order: np.ndarray, starts: np.ndarray, radius: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query number, key position, distance) for every sorted key within `radius` of a
    query that shares one of its bands, give or take one bit (a key found through two
    bands comes twice). Compiled: a look-up probes 68 buckets a query, and the arrays of
    every probed position cost more than the comparisons."""
    qids: list[int] = []
    found: list[int] = []
    apart: list[int] = []
    for i in range(len(queries)):  # an empty index's buckets are all empty
        q = queries[i]
        for band in range(BANDS):
            value = (q >> SHIFTS[band]) & MASK
            for flip in FLIPS:
                bucket = band * BUCKETS + np.int64(value ^ flip)
                for at in range(starts[bucket], starts[bucket + 1]):
                    pos = order[at]
                    d = _bits(q ^ keys[pos])
                    if d <= radius:
                        qids.append(i)
                        found.append(pos)
                        apart.append(d)
    return np.array(qids, np.int64), np.array(found, np.int64), np.array(apart, np.int64)


class MediaIndex:
    """Keys (uint64) and their owners (int64 post numbers), searchable by Hamming radius."""

    def __init__(self, keys: np.ndarray | None = None, owners: np.ndarray | None = None) -> None:
        self._keys = np.empty(0, np.uint64) if keys is None else keys.astype(np.uint64)
        self._owners = np.empty(0, np.int64) if owners is None else owners.astype(np.int64)
        self._clear_delta()
        self._sort()

    def _clear_delta(self) -> None:
        """The delta as arrays filled up to `_delta_size` (a look-up compares the queries
        with all of it at once; lists of ints were converted again at every look-up)."""
        self._delta_keys = np.empty(DELTA_LIMIT, np.uint64)
        self._delta_owners = np.empty(DELTA_LIMIT, np.int64)
        self._delta_size = 0

    def _delta(self) -> tuple[np.ndarray, np.ndarray]:
        return self._delta_keys[: self._delta_size], self._delta_owners[: self._delta_size]

    def _sort(self) -> None:
        """One bucket table for all bands: bucket `band * 2**16 + value` holds the
        positions `order[starts[bucket]:starts[bucket + 1]]`, so a probe is two reads."""
        buckets = _buckets(self._keys)
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
        index._clear_delta()
        return index

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Keys, owners and the bucket table, recent additions merged in (on a copy)."""
        if not self._delta_size:
            return self._keys, self._owners, self._order, self._starts
        delta_keys, delta_owners = self._delta()
        keys = np.concatenate([self._keys, delta_keys])
        owners = np.concatenate([self._owners, delta_owners])
        merged = MediaIndex(keys, owners)
        return merged._keys, merged._owners, merged._order, merged._starts

    def __len__(self) -> int:
        return len(self._keys) + self._delta_size

    def add(self, keys: np.ndarray | list[int], owner: int) -> None:
        new = np.asarray(keys, np.uint64)
        start, end = self._delta_size, self._delta_size + len(new)
        if end > len(self._delta_keys):  # one post's keys past the limit (a long clip)
            self._delta_keys = np.resize(self._delta_keys, end)
            self._delta_owners = np.resize(self._delta_owners, end)
        self._delta_keys[start:end] = new
        self._delta_owners[start:end] = owner
        self._delta_size = end
        if end >= DELTA_LIMIT:
            self.compact()

    def compact(self) -> None:
        """Merge the delta into the sorted bands. Its keys come after every sorted one,
        so each goes at the end of its buckets: the bucket table is the one `_sort`
        would build, made in one pass over it instead of sorting all keys again (a full
        sort per merge made an ingest's merges grow with the square of its keys)."""
        if not self._delta_size:
            return
        delta_keys, delta_owners = self._delta()
        first = len(self._keys)
        buckets = _buckets(delta_keys)
        by_bucket = np.argsort(buckets, kind="stable")
        positions = np.tile(np.arange(first, first + len(delta_keys), dtype=np.int64), BANDS)
        ends = self._starts[buckets[by_bucket] + 1]  # insert before: at the bucket's end
        self._order = np.insert(self._order, ends, positions[by_bucket].astype(self._order.dtype))
        added = np.bincount(buckets, minlength=BANDS * BUCKETS)
        starts = np.zeros(BANDS * BUCKETS + 1, np.int64)
        np.cumsum(added, out=starts[1:])
        self._starts = self._starts + starts
        self._keys = np.concatenate([self._keys, delta_keys])
        self._owners = np.concatenate([self._owners, delta_owners])
        self._clear_delta()

    def search(self, queries: np.ndarray | list[int], radius: int) -> dict[int, int]:
        """Owners with a key within `radius` bits of any query key, and the best distance.

        Exact for `radius` ≤ `EXACT_RADIUS`; above it, keys that differ in two or more
        bits of every band are not found, merged or not (`near_pairs`)."""
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
        qid, pos, distance = probe_pairs(q, self._keys, self._order, self._starts, radius)
        owners = self._owners[pos]
        if self._delta_size:  # the unsorted delta is small: compare it with every query
            delta_keys, delta_owners = self._delta()
            dq, dpos, apart = near_pairs(q, delta_keys, radius)
            qid = np.concatenate([qid, dq])
            owners = np.concatenate([owners, delta_owners[dpos]])
            distance = np.concatenate([distance, apart])
        return closest_per_owner(qid, owners, distance)


def closest_per_owner(
    qid: np.ndarray, owners: np.ndarray, distance: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (query, owner) once, with its best distance, by query, then owner: a key is
    found through several bands, and an owner has several keys.

    The three columns are packed into one sort key when they fit (queries below 2²⁴,
    owners below 2³²; a distance is at most 64 bits, within its 8): one stable sort of
    it orders the rows as `np.lexsort` of the three does, ~7× faster at 2,000 rows."""
    if len(qid) and (qid.max() >= 1 << 24 or owners.min() < 0 or owners.max() >= 1 << 32):
        order = np.lexsort((distance, owners, qid))
    else:
        key = (qid.astype(np.uint64) << np.uint64(40)) | (owners.astype(np.uint64) << np.uint64(8))
        order = np.argsort(key | distance.astype(np.uint64), kind="stable")
    qid, owners, distance = qid[order], owners[order], distance[order]
    first = np.ones(len(qid), bool)
    first[1:] = (qid[1:] != qid[:-1]) | (owners[1:] != owners[:-1])
    return qid[first], owners[first], distance[first]
