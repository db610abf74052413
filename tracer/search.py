"""Read-only content search: a text in, the nearest stored families out, with evidence.

The same candidates and the same verification as the linker (`tracer.linker`), without
placing anything: the text is normalised and fingerprinted, its anchors are looked up
in an anchor index rebuilt from the anchors each stored post added to the linker's
index (`posts.indexed`), the best-voted posts are scored against it, and the results
are grouped by family. The index is loaded on first use and topped up with the posts
stored since (a post's family is read from the store at query time, so merges show).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy
from tracer.store import Store
from tracer.store.generation import Generation
from tracer.text.fingerprint import U64, TextFingerprint, fingerprint_text
from tracer.text.index import AnchorIndex
from tracer.text.match import TextSide, accepts, score_pair

CANDIDATES = 32
"""Best-voted stored posts scored against the query."""
MAX_TEXT = 20_000
"""Characters of query text kept (a long caption is a few thousand)."""


class SearchIndex:
    """The anchor index of the stored posts, for one process; thread-safe."""

    def __init__(self) -> None:
        self._index = AnchorIndex()
        self._last = 0
        self._posts = 0
        self._seen: Generation | None = None
        self._lock = threading.Lock()

    def refresh(self, store: Store, chunk: int = 100_000) -> None:
        """Add the posts stored since the last refresh (vectorised: one array per chunk),
        by this process or another (the store's generation says whether there are any);
        after a relink, load them all again."""
        with self._lock:
            now = store.generation()
            if now == self._seen:
                return
            if self._seen is None or now.epoch != self._seen.epoch:
                self._index, self._last, self._posts = AnchorIndex(), 0, 0
            self._seen = now
            keys: list[U64] = []
            owners: list[npt.NDArray[np.int64]] = []
            added = 0
            while rows := store.indexed_anchors(self._last, chunk):
                blobs = [r[1] for r in rows]
                counts = np.fromiter((len(b) // 8 for b in blobs), np.int64, len(blobs))
                idxs = np.fromiter((r[0] for r in rows), np.int64, len(rows))
                keys.append(TextFingerprint.anchors_from_bytes(b"".join(blobs)))
                owners.append(np.repeat(idxs, counts))
                added += len(rows)
                self._last = rows[-1][0]
            if not added:
                return
            new_keys, new_owners = np.concatenate(keys), np.concatenate(owners)
            if self._posts == 0:
                self._index = AnchorIndex(new_keys, new_owners)
            else:
                for anchor, owner in zip(new_keys.tolist(), new_owners.tolist(), strict=True):
                    self._index.add(anchor, owner)
                self._index.compact()
            self._posts += added

    def lookup(self, anchors: np.ndarray, cap: int) -> list[list[int] | None]:
        with self._lock:
            return self._index.lookup(anchors, cap)

    @property
    def posts(self) -> int:
        return self._posts


@dataclass(frozen=True, slots=True)
class Hit:
    idx: int
    votes: int


def _votes(
    index: SearchIndex, anchors: np.ndarray, policy: MatchPolicy
) -> tuple[list[Hit], set[int]]:
    """Stored posts sharing the query's anchors, most shared first; and the anchors
    carried by too many families to count (boilerplate)."""
    cap = max(policy.common_families, int(index.posts * policy.common_share))
    postings = index.lookup(anchors, cap)
    boilerplate: set[int] = set()
    votes: dict[int, int] = defaultdict(int)
    for anchor, found in zip(anchors.tolist(), postings, strict=True):
        if found is None:
            boilerplate.add(anchor)
            continue
        for p in found:
            votes[p] += 1
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES]
    return [Hit(p, n) for p, n in ranked], boilerplate


def search_text(
    store: Store, index: SearchIndex, text: str, policy: MatchPolicy, limit: int = 10
) -> list[dict[str, Any]]:
    """Families whose posts share content with `text`, best first: the ones the
    linker would join first (`linked`), then by aligned share. Each result names the
    best-matching member and its scores."""
    index.refresh(store)
    norm = normalize_text(text[:MAX_TEXT])
    anchors = np.unique(fingerprint_text(norm).anchors)
    hits, boilerplate = _votes(index, anchors, policy)
    if not hits:
        return []
    query = TextSide("(query)", norm.tokens, frozenset(anchors.tolist()), norm.lines)
    best: dict[int, dict[str, Any]] = {}
    for row in store.candidate_rows([h.idx for h in hits]):
        side = TextSide(
            row.post.post_id,
            tuple(row.norm_text.split()),
            frozenset(TextFingerprint.anchors_from_bytes(row.anchors).tolist()),
            tuple(row.norm_text.split("\n")),
        )
        match = score_pair(query, side, boilerplate, policy)
        shorter = min(len(query.tokens), len(side.tokens))
        linked = match.shared_anchors > 0 and accepts(match, shorter, policy)
        rank = (not linked, -match.containment * match.density, -match.matched_tokens, row.idx)
        family = row.family
        if family in best and best[family]["_rank"] <= rank:
            continue
        post = row.post
        best[family] = {
            "_rank": rank,
            "family_id": post.family_id,
            "size": row.family_size,
            "linked": linked,
            "post": post.to_json(),
            "scores": match.scores,
        }
    ranked = sorted(best.values(), key=lambda r: r["_rank"])[:limit]
    return [{k: v for k, v in r.items() if k != "_rank"} for r in ranked]
