"""The anchor index: from an anchor hash to the posts that first carried it in each family.

Postings are two sorted numpy arrays (hash, post) plus the recent additions, merged in
from time to time, so a million posts cost ~12 bytes per posting instead of the
kilobytes per document of an object-per-document LSH. A strong copy adds only the
anchors its family lacks (see `Linker.link`), so the length of a posting list
approximates the anchor's *document frequency counted in families*: a release copied by
500 offices stays rare, while a greeting or slogan used across unrelated posts becomes
common and stops linking.

The recent additions are arrays too: each addition points back to the previous one of
its anchor, and an open-addressing table holds each anchor's newest. Linking reads
postings in compiled loops (`postings_of`, used by `tracer.text.votes`), which a dict of
Python lists would keep out of reach. Not safe against a concurrent writer: the loops
read the arrays without bounds checks, and an addition or a compaction replaces them
one by one. The service's searcher excludes writers while it reads (`Searcher`'s gate).
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from tracer.text.fingerprint import U64

I64 = npt.NDArray[np.int64]

I32 = npt.NDArray[np.int32]

_EMPTY = -1
MAX_BUCKET_BITS = 28
"""At most 2**28 buckets (1 GB of starts): keys beyond ~2**28 share buckets."""
_FIRST_TABLE = 1 << 10
_FIRST_RECENT = 1 << 10


class Recent:
    """The additions since the last compaction, as arrays a compiled loop can read."""

    def __init__(self) -> None:
        self.keys: U64 = np.empty(_FIRST_RECENT, np.uint64)
        self.posts: I64 = np.empty(_FIRST_RECENT, np.int64)
        self.prev: I64 = np.empty(_FIRST_RECENT, np.int64)
        """Each addition's previous one of the same anchor (`_EMPTY`: its first)."""
        self.slot_keys: U64 = np.zeros(_FIRST_TABLE, np.uint64)
        self.slot_newest: I64 = np.full(_FIRST_TABLE, _EMPTY, np.int64)
        self.slot_count: I64 = np.zeros(_FIRST_TABLE, np.int64)
        self.size = 0
        self.distinct = 0

    def add(self, anchors: U64, post: int) -> None:
        need = self.size + len(anchors)
        if need > len(self.keys):
            size = max(need, 2 * len(self.keys))
            self.keys = grown(self.keys, size)
            self.posts = grown(self.posts, size)
            self.prev = grown(self.prev, size)
        if 2 * (self.distinct + len(anchors)) > len(self.slot_keys):
            self._rehash(2 * (self.distinct + len(anchors)))
        self.distinct += _insert(
            self.slot_keys, self.slot_newest, self.slot_count,
            self.keys, self.posts, self.prev, self.size, anchors, post,
        )  # fmt: skip
        self.size = need

    def _rehash(self, at_least: int) -> None:
        size = len(self.slot_keys)
        while size < at_least:
            size *= 2
        self.slot_keys = np.zeros(size, np.uint64)
        self.slot_newest = np.full(size, _EMPTY, np.int64)
        self.slot_count = np.zeros(size, np.int64)
        keys, posts = self.keys[: self.size].copy(), self.posts[: self.size].copy()
        self.distinct = _insert_all(
            self.slot_keys, self.slot_newest, self.slot_count, self.keys, self.posts,
            self.prev, keys, posts,
        )  # fmt: skip

    def arrays(self) -> tuple[U64, I64]:
        """Keys and posts in the order they were added."""
        return self.keys[: self.size], self.posts[: self.size]

    def distinct_keys(self) -> U64:
        return self.slot_keys[self.slot_newest != _EMPTY]  # type: ignore[no-any-return]


def grown(a: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """`a` longer, its new places `fill`."""
    out = np.full(size, fill, a.dtype)
    out[: len(a)] = a
    return out


class AnchorIndex:
    def __init__(self, keys: U64 | None = None, posts: I64 | None = None) -> None:
        if keys is None or posts is None:
            keys, posts = np.empty(0, np.uint64), np.empty(0, np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys: U64 = keys[order]
        self._posts: I64 = posts[order]
        self.recent = Recent()
        self._build_offsets()

    @classmethod
    def opened(cls, keys: U64, posts: I64) -> AnchorIndex:
        """An index from the sorted arrays `arrays` gave (a snapshot): no sort, one
        pass for the offsets."""
        index = cls.__new__(cls)
        index._keys, index._posts = keys, posts
        index.recent = Recent()
        index._build_offsets()
        return index

    def arrays(self) -> tuple[U64, I64]:
        """Keys and posts in key order, recent additions merged in (on a copy: the index
        itself is left as it is)."""
        if not self.recent.size:
            return self._keys, self._posts
        return _merged(self._keys, self._posts, *self.recent.arrays())

    def _build_offsets(self) -> None:
        """Distinct keys and where each one's postings start: one binary search a look-up."""
        keys = self._keys
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        self.uniq: U64 = keys[first]
        self.starts: I64 = np.append(np.flatnonzero(first), len(keys)).astype(np.int64)
        # Where each bucket of keys sharing their top bits starts in `uniq`, about one key
        # a bucket: a look-up reads one bucket instead of ~22 levels of a binary search,
        # which at a million posts miss the cache (`bench/README.md`, session 10).
        bits = min(MAX_BUCKET_BITS, max(1, len(self.uniq).bit_length()))
        self.shift = 64 - bits
        top = (self.uniq >> np.uint64(self.shift)).astype(np.int64)
        self.buckets: I32 = np.zeros((1 << bits) + 1, np.int32)
        np.cumsum(np.bincount(top, minlength=1 << bits), out=self.buckets[1:])

    @property
    def posts(self) -> I64:
        """The compacted postings, in key order (`starts` says where each key's begin)."""
        return self._posts

    def __len__(self) -> int:
        return len(self._keys) + self.recent.size

    def distinct_keys(self) -> U64:
        """Every anchor held, once, ascending."""
        return np.union1d(self.uniq, self.recent.distinct_keys())

    def lookup(self, anchors: U64, cap: int) -> list[list[int] | None]:
        """Postings of each anchor, compacted ones first, each part in the order added;
        None where more than `cap` families carry it."""
        r = self.recent
        flat, ends = _lookup_all(
            np.ascontiguousarray(anchors, np.uint64), cap,
            self.uniq, self.buckets, self.shift, self.starts, self._posts,
            r.slot_keys, r.slot_newest, r.slot_count, r.posts, r.prev,
        )  # fmt: skip
        found = flat.tolist()
        out: list[list[int] | None] = []
        start = 0
        for end in ends.tolist():
            if end < 0:
                out.append(None)
            else:
                out.append(found[start:end])
                start = end
        return out

    def add(self, anchor: int, post: int) -> None:
        self.recent.add(np.array([anchor], np.uint64), post)

    def add_all(self, anchors: U64 | list[int], post: int) -> None:
        """`add` of each anchor (one call a post, not one an anchor)."""
        if len(anchors):
            self.recent.add(np.asarray(anchors, np.uint64), post)

    def compact(self, min_size: int = 200_000) -> None:
        """Merge recent additions into the sorted arrays once there are enough of them
        (each merge copies the arrays, so merging rarely keeps the cost amortised)."""
        if self.recent.size < max(min_size, 1):
            return
        self._keys, self._posts = _merged(self._keys, self._posts, *self.recent.arrays())
        self.recent = Recent()
        self._build_offsets()


def _merged(keys: U64, posts: I64, new_keys: U64, new_posts: I64) -> tuple[U64, I64]:
    """Sorted arrays with additions put after the postings already held for their key,
    in the order added."""
    order = np.argsort(new_keys, kind="stable")
    at = np.searchsorted(keys, new_keys[order], side="right")
    return np.insert(keys, at, new_keys[order]), np.insert(posts, at, new_posts[order])


# --- compiled loops ----------------------------------------------------------------
# Anchors are 64-bit hashes: their low bits pick a table slot. (Their top bits, which
# pick a bucket of compacted keys, lean low: anchors are the minima of windows.)


@nb.njit(cache=True)
def _slot(slot_keys: U64, slot_newest: I64, key: np.uint64) -> int:
    mask = np.uint64(len(slot_keys) - 1)
    at = int(key & mask)
    while slot_newest[at] != _EMPTY and slot_keys[at] != key:
        at = int((np.uint64(at) + np.uint64(1)) & mask)
    return at


@nb.njit(cache=True)
def _append(
    slot_keys: U64, slot_newest: I64, slot_count: I64,
    keys: U64, posts: I64, prev: I64, entry: int, key: np.uint64, post: int,
) -> bool:  # fmt: skip
    """Writes (key, post) as addition `entry`, chained to its key's newest; True when
    the key is new."""
    at = _slot(slot_keys, slot_newest, key)
    new = slot_newest[at] == _EMPTY
    if new:
        slot_keys[at] = key
    keys[entry] = key
    posts[entry] = post
    prev[entry] = slot_newest[at]
    slot_newest[at] = entry
    slot_count[at] += 1
    return bool(new)


@nb.njit(cache=True)
def _insert(
    slot_keys: U64, slot_newest: I64, slot_count: I64,
    keys: U64, posts: I64, prev: I64, size: int, anchors: U64, post: int,
) -> int:  # fmt: skip
    """Adds (anchor, post) for each anchor at `size` on; returns how many anchors are new."""
    new = 0
    for i in range(len(anchors)):
        new += _append(
            slot_keys, slot_newest, slot_count, keys, posts, prev, size + i, anchors[i], post
        )
    return new


@nb.njit(cache=True)
def _insert_all(
    slot_keys: U64, slot_newest: I64, slot_count: I64,
    keys: U64, posts: I64, prev: I64, new_keys: U64, new_posts: I64,
) -> int:  # fmt: skip
    """Adds every (key, post) from the start; returns how many keys are distinct."""
    new = 0
    for i in range(len(new_keys)):
        new += _append(
            slot_keys, slot_newest, slot_count, keys, posts, prev, i, new_keys[i], new_posts[i]
        )
    return new


@nb.njit(cache=True)
def postings_of(
    key: np.uint64, cap: int, out: I64,
    uniq: U64, buckets: I32, shift: int, starts: I64, posts: I64,
    slot_keys: U64, slot_newest: I64, slot_count: I64, recent_posts: I64, recent_prev: I64,
) -> int:  # fmt: skip
    """Writes `key`'s postings into `out` (compacted ones first, each part in the order
    added) and returns how many; -1, writing nothing, when there are more than `cap`.
    `out` holds at least `cap` posts."""
    lo = hi = 0
    bucket = int(key >> np.uint64(shift))
    at, end = buckets[bucket], buckets[bucket + 1]
    while at < end and uniq[at] < key:
        at += 1
    if at < end and uniq[at] == key:
        lo, hi = starts[at], starts[at + 1]
    held = hi - lo
    if held > cap:
        return -1
    newest = _EMPTY
    extra = 0
    if len(slot_keys):
        slot = _slot(slot_keys, slot_newest, key)
        newest = slot_newest[slot]
        if newest != _EMPTY:
            extra = slot_count[slot]
    if held + extra > cap:
        return -1
    for i in range(held):
        out[i] = posts[lo + i]
    entry = newest
    for i in range(held + extra - 1, held - 1, -1):  # the chain runs newest first
        out[i] = recent_posts[entry]
        entry = recent_prev[entry]
    return held + extra


@nb.njit(cache=True)
def _lookup_all(
    anchors: U64, cap: int,
    uniq: U64, buckets: I32, shift: int, starts: I64, posts: I64,
    slot_keys: U64, slot_newest: I64, slot_count: I64, recent_posts: I64, recent_prev: I64,
) -> tuple[I64, I64]:  # fmt: skip
    """Every anchor's postings, one after another, and where each one's end (-1: over
    the cap)."""
    ends = np.empty(len(anchors), np.int64)
    flat = np.empty(max(16, len(anchors) * min(cap, 64)), np.int64)
    buf = np.empty(min(cap, len(posts) + len(recent_posts)), np.int64)  # a key's most
    size = 0
    for i in range(len(anchors)):
        n = postings_of(
            anchors[i], cap, buf, uniq, buckets, shift, starts, posts,
            slot_keys, slot_newest, slot_count, recent_posts, recent_prev,
        )  # fmt: skip
        if n < 0:
            ends[i] = -1
            continue
        if size + n > len(flat):
            flat = grown_ints(flat, max(size + n, 2 * len(flat)))
        flat[size : size + n] = buf[:n]
        size += n
        ends[i] = size
    return flat[:size], ends


@nb.njit(cache=True)
def grown_ints(a: I64, size: int) -> I64:
    out = np.empty(size, np.int64)
    out[: len(a)] = a
    return out
