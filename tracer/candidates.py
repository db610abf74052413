"""What the linker compares: a post as a candidate (its text and media fingerprints),
the keys its media are found by (`MediaLookup`), and the runs of words read off pictures that
are too common to tell contents apart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice

import numpy as np

from tracer.media.index import MediaIndex
from tracer.media.match import MediaItem, MediaMatch, runs_of
from tracer.models import TextMatch
from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy
from tracer.text.fingerprint import U64, fingerprint_text
from tracer.text.index import AnchorIndex

Match = TextMatch | MediaMatch
CACHE_SIZE = 30_000
"""Built candidates a long-lived linker keeps (a service's searcher): ~1.5 KB each."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored (or pending) post as the verifier sees it."""

    idx: int
    post_id: str
    account_id: str
    tokens: tuple[str, ...]
    keys: U64
    """Shingle anchors and line keys (see `tracer.text.fingerprint`), sorted and unique:
    an array, not a set of Python ints, which made a cached candidate ~3.9 KB rather
    than ~1.5 (`tracer.text.overlap`)."""
    lines: tuple[str, ...]
    media: tuple[MediaItem, ...] = ()


Fetch = Callable[[Iterable[int]], Mapping[int, Candidate]]


class Candidates:
    """Candidates by post number: this batch's, held until the batch is stored, then
    fetched from the store through `fetch`. Recently verified ones are kept, least
    recently used first: a popular release is fetched once, not per copy, and memory
    stays bounded (`size`). With `recent`, the last `recent` stored ones are kept
    apart, as they were built (a copy published soon after asks for them), so that the
    posts of every batch do not push the asked-for ones out. Thread-safe: the
    service's threads share one."""

    def __init__(self, fetch: Fetch, size: int = CACHE_SIZE, recent: int = 0) -> None:
        self._fetch = fetch
        self._size = size
        self._recent_size = recent
        self._pending: dict[int, Candidate] = {}
        self._behind: dict[int, Candidate] = {}
        """The batch before, handed to writes that may still be running (`stored`)."""
        self._recent: dict[int, Candidate] = {}
        """Oldest stored first."""
        self._cache: dict[int, Candidate] = {}
        """Least recently asked for first."""
        self._lock = threading.Lock()

    def hold(self, candidate: Candidate) -> None:
        self._pending[candidate.idx] = candidate

    def stored(self, behind: bool = False) -> None:
        """The batch held so far is stored: its candidates are fetched like any other
        from now on. With `behind`, it was handed to writes that may still be running:
        they stay held until the next call, by when the caller has seen that write done
        (as it has the one before, which is released now)."""
        with self._lock:
            written = [self._behind] if behind else [self._behind, self._pending]
            if self._recent_size:
                for batch in written:
                    self._recent.update(batch)
                _trim(self._recent, self._recent_size)
            self._behind = self._pending if behind else {}
            self._pending = {}

    def get(self, idxs: Iterable[int]) -> dict[int, Candidate]:
        out: dict[int, Candidate] = {}
        missing: list[int] = []
        with self._lock:
            pending, behind = self._pending, self._behind
            cache, recent = self._cache, self._recent
            for p in idxs:
                found = pending.get(p) or behind.get(p)
                if found is None:
                    found = cache.pop(p, None) or recent.pop(p, None)
                    if found is None:
                        missing.append(p)
                        continue
                    cache[p] = found  # most recently asked for last
                out[p] = found
        if missing:
            fetched = self._fetch(missing)
            with self._lock:
                self._cache.update(fetched)
            out.update(fetched)
        with self._lock:
            _trim(self._cache, self._size)
        return out


def _trim(kept: dict[int, Candidate], size: int) -> None:
    """Drop the first quarter of `kept` once it holds more than `size`."""
    if len(kept) > size:
        for stale in list(islice(kept, len(kept) - size * 3 // 4)):
            del kept[stale]


def media_keys(items: tuple[MediaItem, ...]) -> list[int]:
    """The keys a post's media are found by: picture regions and video frame regions."""
    keys: list[int] = []
    for item in items:
        if item.image is not None:
            keys.extend(item.image.regions)
        if item.video is not None:
            keys.extend(k for frame in item.video.frames for k in frame)
    return keys


def ocr_anchors(items: tuple[MediaItem, ...], min_tokens: int) -> list[int]:
    """Anchors of the text read off a post's pictures, when there is enough of it."""
    anchors: set[int] = set()
    for item in items:
        if item.ocr is not None and len(item.ocr) >= min_tokens:
            norm = normalize_text(" ".join(item.ocr))
            anchors.update(fingerprint_text(norm).anchors.tolist())
    return sorted(anchors)


class CommonRuns:
    """Counts, for every run of `OCR_RUN` words read off a picture, the families it was
    seen in; a run of more than `cap` families is template or frame text from then on
    (a header, a footer, an office's name).

    Runs, not words: a poster's own words recur across unrelated posters (the same
    officials, places and phrases), while its sentences do not. And one of its copies
    that failed to link (redrawn, misread) must not make its words template words for
    every later copy: a sentence needs `cap` families to become common."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.common: frozenset[str] = frozenset()
        self._families: dict[str, set[int]] = {}

    def seen(self) -> dict[str, list[int]]:
        """Each run with the families it was seen in (what a snapshot keeps)."""
        return {run: sorted(held) for run, held in self._families.items()}

    def restore(self, seen: Mapping[str, Iterable[int]], common: Iterable[str]) -> None:
        """The state `seen` gave, with the runs that were common."""
        self._families = {run: set(held) for run, held in seen.items()}
        self.common = frozenset(common)

    def note(self, family: int, items: tuple[MediaItem, ...]) -> None:
        grown: list[str] = []
        for run in sorted({r for item in items if item.ocr for r in runs_of(item.ocr)}):
            held = self._families.setdefault(run, set())
            if len(held) <= self.cap and family not in held:
                held.add(family)
                if len(held) > self.cap:
                    grown.append(run)
        if grown:
            self.common = self.common | frozenset(grown)


class MediaLookup:
    """The linker's media look-ups: the region keys of pictures and clip frames, the
    anchors of words read off pictures (a poster redrawn with the same words), and the
    runs of words read off pictures of too many families to tell posters apart."""

    def __init__(self, policy: MatchPolicy) -> None:
        self.policy = policy
        self.media_index = MediaIndex()
        self.ocr_index = AnchorIndex()
        self.runs = CommonRuns(policy.ocr_common_families)

    def load(
        self, rows: Iterable[tuple[int, tuple[MediaItem, ...]]], family_of: Mapping[int, int]
    ) -> None:
        """Rebuild the indexes from stored (idx, media items) rows."""
        keys: list[int] = []
        owners: list[int] = []
        ocr_keys: list[np.ndarray] = []
        ocr_owners: list[np.ndarray] = []
        for idx, items in rows:
            self.runs.note(family_of[idx], items)
            found = media_keys(items)
            keys.extend(found)
            owners.extend([idx] * len(found))
            anchors = ocr_anchors(items, self.policy.ocr_alone_tokens)
            if anchors:
                ocr_keys.append(np.array(anchors, np.uint64))
                ocr_owners.append(np.full(len(anchors), idx, np.int64))
        self.media_index = MediaIndex(np.array(keys, np.uint64), np.array(owners, np.int64))
        if ocr_keys:
            self.ocr_index = AnchorIndex(np.concatenate(ocr_keys), np.concatenate(ocr_owners))

    def add(self, idx: int, family: int, items: tuple[MediaItem, ...]) -> None:
        self.runs.note(family, items)
        found = media_keys(items)
        if found:
            self.media_index.add(found, idx)
        self.ocr_index.add_all(ocr_anchors(items, self.policy.ocr_alone_tokens), idx)

    def compact(self) -> None:
        self.media_index.compact()
        self.ocr_index.compact()

    def near(
        self, items: tuple[MediaItem, ...], family_of: np.ndarray, cap: int
    ) -> dict[int, tuple[int, int]]:
        """Posts whose media come near these: how many of the keys they come near (a
        region key, or an anchor of the words read off a picture), and their best
        region distance. A key near the keys of more than `cap` families (a logo, a
        template's header, a stock photo) is boilerplate and dropped, like a common
        anchor; the post's other keys count. `family_of[idx]` is post idx's family."""
        radius = max(self.policy.image_radius, self.policy.video_frame_radius)
        near = self._near_keys(np.array(media_keys(items), np.uint64), radius, cap, family_of)
        anchors = np.array(ocr_anchors(items, self.policy.ocr_alone_tokens), np.uint64)
        if len(anchors):
            for found in self.ocr_index.lookup(anchors, cap):
                for p in found or ():
                    hits, best = near.get(p, (0, radius + 1))
                    near[p] = (hits + 1, best)
        return near

    def _near_keys(
        self, keys: U64, radius: int, cap: int, family_of: np.ndarray
    ) -> dict[int, tuple[int, int]]:
        """Per post: its keys' hits and their best distance, keys of more than `cap`
        families set aside. In arrays: a template's header can come near thousands of
        posts' keys."""
        qids, owners, distances = self.media_index.search_batch(keys, radius)
        if not len(qids):
            return {}
        families = family_of[owners]
        span = int(families.max()) + 1
        # Distinct (query, family) pairs as one number each, then counted per query.
        per_query = np.bincount(np.unique(qids * span + families) // span, minlength=len(keys))
        kept = per_query[qids] <= cap
        # A (query, owner) pair comes once (`search_batch`): an owner's rows are its hits.
        posts, at, hits = np.unique(owners[kept], return_inverse=True, return_counts=True)
        best = np.full(len(posts), radius + 1, np.int64)
        np.minimum.at(best, at, distances[kept])
        found = zip(hits.tolist(), best.tolist(), strict=True)
        return dict(zip(posts.tolist(), found, strict=True))
