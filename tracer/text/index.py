"""The anchor index: from an anchor hash to the posts that first carried it in each family.

Postings are two sorted numpy arrays (hash, post) plus a small dict of recent additions
that is merged in from time to time, so a million posts cost ~12 bytes per posting
instead of the kilobytes per document of an object-per-document LSH. A strong copy adds
only the anchors its family lacks (see `Linker.link`), so the length of a posting list
approximates the anchor's *document frequency counted in families*: a release copied by
500 offices stays rare, while a greeting or slogan used across unrelated posts becomes
common and stops linking.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tracer.text.fingerprint import U64

I64 = npt.NDArray[np.int64]


class AnchorIndex:
    def __init__(self, keys: U64 | None = None, posts: I64 | None = None) -> None:
        if keys is None or posts is None:
            keys, posts = np.empty(0, np.uint64), np.empty(0, np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys: U64 = keys[order]
        self._posts: I64 = posts[order]
        self._delta: dict[int, list[int]] = {}
        self._delta_size = 0
        self._build_offsets()

    @classmethod
    def opened(cls, keys: U64, posts: I64) -> AnchorIndex:
        """An index from the sorted arrays `arrays` gave (a snapshot): no sort, one
        pass for the offsets."""
        index = cls.__new__(cls)
        index._keys, index._posts = keys, posts
        index._delta, index._delta_size = {}, 0
        index._build_offsets()
        return index

    def arrays(self) -> tuple[U64, I64]:
        """Keys and posts in key order, recent additions merged in (on a copy: the index
        itself is left as it is)."""
        if not self._delta_size:
            return self._keys, self._posts
        merged = AnchorIndex.opened(self._keys, self._posts)
        merged._delta = {k: list(v) for k, v in self._delta.items()}
        merged._delta_size = self._delta_size
        merged.compact(min_size=0)
        return merged._keys, merged._posts

    def _build_offsets(self) -> None:
        """Distinct keys and where each one's postings start: one binary search a look-up."""
        keys = self._keys
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        self._uniq: U64 = keys[first]
        self._starts: I64 = np.append(np.flatnonzero(first), len(keys)).astype(np.int64)

    def __len__(self) -> int:
        return len(self._keys) + self._delta_size

    def lookup(self, anchors: U64, cap: int) -> list[list[int] | None]:
        """Postings of each anchor; None where more than `cap` families carry it."""
        if len(self._uniq):
            at = np.minimum(np.searchsorted(self._uniq, anchors), len(self._uniq) - 1)
            hit = self._uniq[at] == anchors
            lo = np.where(hit, self._starts[at], 0)
            hi = np.where(hit, self._starts[at + 1], 0)
        else:
            lo = hi = np.zeros(len(anchors), np.int64)
        out: list[list[int] | None] = []
        base = self._posts
        recent_of = self._delta.get
        for a, start, stop in zip(anchors.tolist(), lo.tolist(), hi.tolist(), strict=True):
            if stop - start > cap:  # over the cap before recent additions: most anchors
                out.append(None)
                continue
            recent = recent_of(a)
            if recent is None:
                out.append(base[start:stop].tolist() if stop > start else [])
            elif stop - start + len(recent) > cap:
                out.append(None)
            else:
                out.append(base[start:stop].tolist() + recent if stop > start else list(recent))
        return out

    def add(self, anchor: int, post: int) -> None:
        self._delta.setdefault(anchor, []).append(post)
        self._delta_size += 1

    def add_all(self, anchors: list[int], post: int) -> None:
        """`add` of each anchor (one call a post, not one an anchor)."""
        held = self._delta.setdefault
        for anchor in anchors:
            held(anchor, []).append(post)
        self._delta_size += len(anchors)

    def compact(self, min_size: int = 200_000) -> None:
        """Merge recent additions into the sorted arrays once there are enough of them
        (each merge copies the arrays, so merging rarely keeps the cost amortised)."""
        if self._delta_size < max(min_size, 1):
            return
        keys = np.fromiter(
            (k for k, v in self._delta.items() for _ in v), np.uint64, self._delta_size
        )
        posts = np.fromiter(
            (p for v in self._delta.values() for p in v), np.int64, self._delta_size
        )
        order = np.argsort(keys, kind="stable")
        keys, posts = keys[order], posts[order]
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._posts = np.insert(self._posts, at, posts)
        self._delta.clear()
        self._delta_size = 0
        self._build_offsets()
