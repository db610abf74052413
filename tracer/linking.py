"""The linker over the store: building it from stored posts, the rows its matches are
stored as, what an ingest and a relink keep while they link (`tracer.relinking`
links every stored post again in time order), and the `Searcher`, the service's one
linker for searching, kept up to date with the store.

Linking is incremental, but its answer must not depend on the order posts arrived in:
posts linked in time order (then post id) give one partition and one set of parents.
An ingest whose posts all come after the stored ones keeps that order; one that brings
older posts (a backfill, an export read newest first) is settled by a relink.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from tracer.candidates import CACHE_SIZE, Candidate, Match
from tracer.errors import SnapshotError
from tracer.evidence import Evidence
from tracer.linker import Linker, LinkResult
from tracer.linkstate import pack, unpack
from tracer.media.item import MediaItem
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.store import LinkReader, Store
from tracer.store.generation import Generation
from tracer.store.rows import LinkRow
from tracer.store.snapshots import Stamp
from tracer.text.fingerprint import TextFingerprint

ROWS_ASKED = 300_000
"""Rows an ingest or a relink keeps once a post asked for them as a candidate: ~1 KB
each. Half of a large corpus's posts are asked for again and again, months of posts
apart (the best post of a family that shares a phrase), further back than any cache
of built candidates reaches: reading one again costs several times rebuilding it."""
BATCH_CANDIDATES = 250_000
"""Built candidates an ingest or a relink keeps (~1.5 KB each), where a long-lived
searcher keeps `CACHE_SIZE`: the memory is given back when the ingest ends. At 300k
posts, 30k -> 100k (with `ROWS_ASKED`) took the relink's candidate texts from 125 to
~40 µs a post; at 1M, 100k -> 250k from 62 to 38 µs, in the memory 100k took when a
candidate's anchors were a set (bench/README, "Text linking speed")."""
RECENT_CANDIDATES = 30_000
"""Candidates an ingest or a relink keeps as it built them once their batch is stored,
apart from the asked-for ones (`Candidates`): ~10 days of a year's national posting
(1M posts), more than the lag of nearly every copy."""
SNAPSHOT = "linker"
"""The name the searcher's linker is stored under (`tracer.store.snapshots`)."""
SNAPSHOT_BEHIND = 20_000
"""Posts the stored snapshot may lack before a replica's warm-up or an ingest stores a
newer one: at most what a starting replica tops it up with."""

log = logging.getLogger("tracer.linking")


def candidate_from_row(
    idx: int,
    post_id: str,
    account_id: str,
    norm_text: str,
    anchors: bytes,
    media: tuple[MediaItem, ...] = (),
    *,
    intern: bool = True,
) -> Candidate:
    # Words are interned: the linker caches thousands of candidates written in one
    # vocabulary, and one copy of each word keeps that cache a fraction of the size.
    # (A third of the cost of a candidate: `intern` False for one used once and dropped.)
    words = norm_text.split()
    return Candidate(
        idx,
        post_id,
        account_id,
        tuple(map(sys.intern, words)) if intern else tuple(words),
        TextFingerprint.anchors_from_bytes(anchors),
        tuple(norm_text.split("\n")),
        media,
    )


class RowReader(Protocol):
    """Where the linker's candidates come from: a `LinkReader`, or one per call."""

    def rows(self, idxs: Iterable[int]) -> dict[int, LinkRow]: ...


def candidate_fetcher(
    store: Store, reader: RowReader, *, intern: bool = True
) -> Callable[[Iterable[int]], dict[int, Candidate]]:
    def fetch(idxs: Iterable[int]) -> dict[int, Candidate]:
        rows = reader.rows(idxs)
        media = store.media.items_for(i for i, r in rows.items() if r.has_media)
        return {
            i: candidate_from_row(
                r.idx, r.post_id, r.account_id, r.norm_text, r.anchors, media.get(i, ()),
                intern=intern,
            )
            for i, r in rows.items()
        }  # fmt: skip

    return fetch


def central_accounts(store: Store) -> frozenset[str]:
    """The accounts of tier `central`: their posts are releases."""
    return frozenset(a for a, account in store.accounts().items() if account.tier == "central")


def make_linker(
    store: Store,
    policy: MatchPolicy,
    reader: RowReader,
    *,
    load: bool = True,
    cache_size: int = CACHE_SIZE,
    recent: int = 0,
) -> Linker:
    """A linker over the stored posts (`load` False: an empty one, for a relink) that
    keeps `cache_size` built candidates asked for and the `recent` last it linked."""
    linker = Linker(
        policy, candidate_fetcher(store, reader), central_accounts(store), cache_size, recent
    )
    if load:
        linker.load(store.iter_link_state())
        linker.load_media(store.media.iter_items())
    return linker


@dataclass(slots=True)
class LinkedBatch:
    """What linking a batch of posts leaves to write besides the posts' own rows: their
    matches, the family merges, and the shared families to mark dirty."""

    matches: list[tuple[int, int, str, dict[str, Any]]] = field(default_factory=list)
    relabels: list[tuple[int, int]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)

    def note(self, linker: Linker, idx: int, result: LinkResult) -> None:
        """Take in what linking post `idx` gave."""
        for old, new in result.merged:
            self.relabels.append((old, new))
            self.touched.discard(old)
        if linker.is_shared(result.family_id):
            self.touched.add(result.family_id)
        self.matches.extend(match_rows_of(idx, result.matches, result.joined_by))


def match_rows_of(
    idx: int, found: Sequence[tuple[int, Match]], joined_by: Mapping[int, str] | None = None
) -> list[tuple[int, int, str, dict[str, Any]]]:
    """One row per pair of posts: a pair linked by text and by media has both modalities
    (`text+image`, text first) and both sets of scores (`Evidence.combine`). A match
    that corroborated a merge of two families says so (`join`)."""
    by_other: dict[int, list[Match]] = {}
    for other, m in found:
        by_other.setdefault(other, []).append(m)
    rows = []
    for other, matches in by_other.items():
        evidence = Evidence.combine(sorted(matches, key=lambda m: m.modality != "text"))
        scores = evidence.stored_scores()
        if joined_by and other in joined_by:
            scores["join"] = joined_by[other]
        rows.append((idx, other, evidence.modality, scores))
    return rows


GC_THRESHOLDS = (100_000, 50, 1000)
"""The collector's thresholds while linking (Python's defaults: 700, 10, 10)."""
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Cyclic garbage collection seldom while linking. The linker allocates millions of
    small containers (candidates, postings, votes, sets of anchors) that are freed by
    reference counting, and the collector's passes over a heap of that many objects
    cost ~12 % of a relink's CPU (100k posts). The process's thresholds come back
    when the last user leaves."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLDS)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


class KeptRows:
    """An ingest's or a relink's reader that keeps rows it read: a post's row read for
    its own turn (the last `recent` of them: a copy published soon after asks for it as
    a candidate), and the rows asked for as candidates (the last `asked` used): the
    same posts are asked for again and again. A look-up of a few rows costs several
    times what reading them in a chunk did. What a row holds (text, anchors, whether it
    has media) does not change while one writer links; its family, which does, is not
    in it."""

    def __init__(self, reader: LinkReader, recent: int = 0, asked: int | None = None) -> None:
        self._reader = reader
        self._recent_size = recent
        self._asked_size = ROWS_ASKED if asked is None else asked
        self._recent: dict[int, LinkRow] = {}
        """Oldest read first."""
        self._asked: dict[int, LinkRow] = {}
        """Least recently asked for first."""

    def rows(self, idxs: Iterable[int]) -> dict[int, LinkRow]:
        """Rows asked for as candidates."""
        out: dict[int, LinkRow] = {}
        missing: list[int] = []
        asked, recent = self._asked, self._recent
        for i in idxs:
            row = asked.pop(i, None) or recent.get(i)
            if row is None:
                missing.append(i)
            else:
                out[i] = row
        if missing:
            out.update(self._reader.rows(missing))
        asked.update(out)  # most recently asked for last
        _trim(asked, self._asked_size, self._asked_size * 3 // 4)
        return out

    def turn(self) -> RowReader:
        """The reader of posts' rows for their own turn."""
        return _Turns(self)

    def _own(self, idxs: Iterable[int]) -> dict[int, LinkRow]:
        read = self._reader.rows(idxs)
        self._recent.update(read)
        _trim(self._recent, self._recent_size, self._recent_size)
        return read

    def close(self) -> None:
        self._reader.close()


class _Turns:
    def __init__(self, kept: KeptRows) -> None:
        self._kept = kept

    def rows(self, idxs: Iterable[int]) -> dict[int, LinkRow]:
        return self._kept._own(idxs)


def _trim(rows: dict[int, LinkRow], size: int, keep: int) -> None:
    """Drop the first rows of `rows` down to `keep` once there are more than `size`."""
    if len(rows) > size:
        for stale in list(islice(rows, len(rows) - keep)):
            del rows[stale]


class Searcher:
    """The service's one linker, loaded from the store and kept for searching: `POST
    /search`, `POST /verify` and the cards of outside content search it without
    reloading every anchor per request. Kept up to date with what any process stored:
    topped up with the posts stored since (and the merges of families they made),
    loaded again after a relink. Loaded from the stored snapshot when there is one of
    the store's epoch (then topped up like any other), built from every post when
    there is none or it cannot be used; `share` stores it for other processes.
    Thread-safe: searches share it, a top-up waits for them and they for it
    (`reading`)."""

    def __init__(self, policy: MatchPolicy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self._linker: Linker | None = None
        self._built_at: Generation | None = None
        self._last = 0
        """The highest post number the linker holds."""
        self._building = threading.Lock()
        self._gate = Gate()
        self.opened = ""
        """How the linker was last loaded: "snapshot", "built" ("": not yet)."""

    @contextmanager
    def reading(self, store: Store) -> Iterator[Linker]:
        """The linker, up to date with the store, held for reading."""
        latest = store.generation()  # any write, by this process or another
        if latest != self._built_at:
            self._update(store, latest)
        with self._gate.reading():
            assert self._linker is not None
            yield self._linker

    def warm(self, store: Store) -> None:
        """Load (or top up) the linker now rather than on the first search."""
        with self.reading(store):
            pass

    def due(self, store: Store, behind: int = SNAPSHOT_BEHIND) -> bool:
        """Whether the stored snapshot should be replaced: there is none (and the store
        holds `behind` posts or more), it is of an earlier epoch (a relink), or it lacks
        `behind` posts or more of the store's."""
        stamp = store.snapshots.stamp(SNAPSHOT)
        if stamp is None:
            return store.max_idx() >= behind
        if stamp.generation.epoch != store.generation().epoch:
            return True
        return store.max_idx() - stamp.last_idx >= max(behind, 1)

    def share(self, store: Store) -> bool:
        """Store the linker, brought up to date, as the snapshot other processes open
        (unless the stored one is as new); True when stored."""
        with self.reading(store) as linker:
            assert self._built_at is not None
            stamp = Stamp(self._built_at, self._last)
            about = {"last": self._last, "posts": len(linker), "policy": _policy_key(self.policy)}
            body = pack(linker.state(), about)
        return store.snapshots.write(SNAPSHOT, stamp, body)

    def _update(self, store: Store, latest: Generation) -> None:
        with self._building:
            held = self._built_at
            if latest == held:
                return  # another thread brought it up to date meanwhile
            if self._linker is None or held is None or latest.epoch != held.epoch:
                linker, held = self._open(store, latest)
                with self._gate.writing():
                    self._linker, self._built_at, self._last = linker, held, linker.newest
                if held == latest:
                    return
            self._top_up(store, latest)

    def _open(self, store: Store, latest: Generation) -> tuple[Linker, Generation]:
        """The linker from the stored snapshot of `latest`'s epoch with its generation,
        or built from every stored post (as of `latest`)."""
        reader = _PerCallReader(store)
        found = None
        try:
            stamp = store.snapshots.stamp(SNAPSHOT)
            if stamp is not None and stamp.generation.epoch == latest.epoch:
                found = store.snapshots.read(SNAPSHOT)  # None: dropped in between
            if found is not None and found[0].generation.epoch == latest.epoch:
                state, about = unpack(found[1])
                if about.get("policy") != _policy_key(self.policy):
                    raise SnapshotError("snapshot made under other media rules")
                linker = make_linker(store, self.policy, reader, load=False)
                linker.open_state(state)
                self.opened = "snapshot"
                return linker, found[0].generation
        except SnapshotError as exc:
            log.warning("linker snapshot not used (%s): building it from the posts", exc)
            if found is not None:  # dropped: the linker built now can take its place
                store.snapshots.drop(SNAPSHOT, found[0])
        linker = make_linker(store, self.policy, reader)
        self.opened = "built"
        return linker, latest

    def _top_up(self, store: Store, latest: Generation) -> None:
        """Take in the posts stored since the linker's generation."""
        assert self._linker is not None
        # Rows and matches are read up to one post number. A later write that merged
        # families may already show in the rows' families: its own post, and the
        # matches that made the merge, come with the next top-up.
        rows = list(store.iter_link_state(after=self._last))
        last = rows[-1][0] if rows else self._last
        media = store.media.items_for([r[0] for r in rows])
        matched = store.matched_pairs(self._last, last)
        fresh = any(not self._linker.knows(r[1]) for r in rows)
        central = central_accounts(store) if fresh else None
        with self._gate.writing():
            self._linker.extend(rows, media, matched, central)
            self._built_at, self._last = latest, last


def _policy_key(policy: MatchPolicy) -> dict[str, int]:
    """The rules a loaded linker's state depends on (the media look-ups')."""
    return {
        "ocr_alone_tokens": policy.ocr_alone_tokens,
        "ocr_common_families": policy.ocr_common_families,
    }


class Gate:
    """Many readers at a time, or one writer; a waiting writer goes before new readers.
    Not re-entrant: a reader that asks again while a writer waits would wait forever."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._waiting = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._waiting and not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            self._waiting += 1
            self._changed.wait_for(lambda: not self._readers and not self._writing)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class _PerCallReader:
    """A `LinkReader` that opens a connection per look-up, so that threads of a server
    can share one linker (SQLite connections belong to the thread that made them)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def rows(self, idxs: Iterable[int]) -> dict[int, LinkRow]:
        reader = self._store.link_reader()
        try:
            return reader.rows(idxs)
        finally:
            reader.close()

    def close(self) -> None:
        """Nothing is held between look-ups."""
