"""`relink`: every stored post linked again, in time order, from the stored
fingerprints. A large one into an SQLite file links on one core and hands its writes,
the posts' deferred indexes and the cascades of the families it has left behind to a
writer process on the other (`RelinkWrites`, `tracer.store.behind.WritesInProcess`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Any

from tracer.cascades.stored import family_cascades, refresh_cascades
from tracer.linking import (
    BATCH_CANDIDATES,
    RECENT_CANDIDATES,
    KeptRows,
    LinkedBatch,
    candidate_fetcher,
    fewer_collections,
    make_linker,
)
from tracer.policy import MatchPolicy
from tracer.store import DatabaseError, Store
from tracer.store.behind import Writes, WritesInProcess

RELINK_CHUNK = 5000
RELINK_ROWS_KEPT = 100_000
"""Rows a relink keeps after reading them for their own turn (`KeptRows`): ~1 KB each."""
OWN_WRITER_POSTS = 20_000
"""Posts from which a relink in SQLite hands its writes to a process of its own
(`tracer.store.behind.WritesInProcess`): below, starting it (~1 s of imports) costs
more than the writes it takes over (~20 µs a post, 12 % of a 1M relink)."""


def relink(store: Store, policy: MatchPolicy, *, own_writer: bool | None = None) -> int:
    """Link every stored post again, in time order, under `policy`: from the stored
    fingerprints (nothing is decoded again), matches, families and cascades rebuilt,
    under the store's writer lock. Returns the number of posts. `own_writer`: whether
    an SQLite file is written by a process of its own (None: from `OWN_WRITER_POSTS`
    posts on; a database server's writes run in a thread whatever it says). A relink
    that fails still leaves the posts' indexes built (a first load leaves them to it)."""
    with store.writer(), fewer_collections():
        try:
            return _relink(store, policy, own_writer)
        except BaseException:
            with suppress(DatabaseError):  # the relink's own error is what the caller sees
                store.ensure_indexes()
            raise


def _relink(store: Store, policy: MatchPolicy, own_writer: bool | None = None) -> int:
    order = store.reset_links()
    if own_writer is None:
        own_writer = len(order) >= OWN_WRITER_POSTS
    # A chunk's links are written while the next is linked: on a database server by
    # its own core, in SQLite by a process of its own for a large relink, which links
    # on one core and leaves the other idle; that process also infers the cascades of
    # the families the relink has left behind. What the linker reads of stored posts
    # (texts, anchors, media) is not what is written.
    own = RelinkWrites(store, policy)
    settled = SettledFamilies(SETTLED_CHUNKS)
    opener = functools.partial(RelinkWrites.on_url, policy)
    with store.writes_behind(own_process=own_writer, opener=opener) as writes:
        # The posts' indexes a first load leaves out, before the writes (the relink
        # itself needs none of them).
        writes.submit(store.ensure_indexes)
        reader = KeptRows(store.link_reader(), RELINK_ROWS_KEPT)
        try:
            linker = make_linker(
                store, policy, reader, load=False, cache_size=BATCH_CANDIDATES,
                recent=RECENT_CANDIDATES,
            )  # fmt: skip
            fetch = candidate_fetcher(store, reader.turn(), intern=False)  # each post, for its turn
            for start in range(0, len(order), RELINK_CHUNK):
                idxs = order[start : start + RELINK_CHUNK]
                rows = fetch(idxs)
                links: list[tuple[int, int, bytes]] = []
                batch = LinkedBatch()
                for idx in idxs:
                    result = linker.link(rows[idx])
                    batch.note(linker, idx, result)
                    links.append((idx, result.family_id, result.indexed.astype("<u8").tobytes()))
                final = [(i, linker.family_of(i), a) for i, _, a in links]
                writes.submit(
                    store.write_links, final, batch.matches, batch.relabels, batch.touched
                )
                settled.hand_over(batch, writes, own)
                linker.end_batch()
        finally:
            reader.close()
        writes.wait()  # every family marked dirty before the cascades ask which are
        refresh_cascades(store, policy, writes=writes)
    return len(order)


SETTLED_CHUNKS = 10
"""Chunks of a relink (50,000 posts, weeks of a year's national posting) after which a
family no post has joined since is left behind: its cascade is inferred on the way."""


class SettledFamilies:
    """The families a relink has left behind: touched (joined, merged into) in a chunk
    and in none of the `after` chunks since. Most families are complete days after their
    release, so a relink's writer process infers their cascades while the linking goes
    on; one joined again later is marked dirty again and inferred again at the end."""

    def __init__(self, after: int) -> None:
        self._after = after
        self._last: dict[int, int] = {}
        """Each family touched and not yet left behind: the last chunk that touched it."""
        self._chunks: list[list[int]] = []

    def note(self, touched: Iterable[int], merged_away: Iterable[int]) -> list[int]:
        """Take in one chunk's touched families and those it merged into others; returns
        the families left behind now, in order."""
        chunk = len(self._chunks)
        for family in merged_away:
            self._last.pop(family, None)
        now = list(touched)
        for family in now:
            self._last[family] = chunk
        self._chunks.append(now)
        due = chunk - self._after
        if due < 0:
            return []
        then, self._chunks[due] = self._chunks[due], []
        left = sorted(f for f in then if self._last.get(f) == due)
        for family in left:
            del self._last[family]
        return left

    def hand_over(self, batch: LinkedBatch, writes: Writes, own: RelinkWrites) -> int:
        """`note` a linked batch; where `writes` run in a process of their own (on the
        idle core), hand it the families left behind now, to infer and write their
        cascades (`RelinkWrites.settle`). Returns how many it was handed."""
        left = self.note(batch.touched, (old for old, _ in batch.relabels))
        if not left or not isinstance(writes, WritesInProcess):
            return 0
        writes.submit(own.settle, left)
        return len(left)


class RelinkWrites:
    """What the writer process of a large relink (or ingest) runs: the store's own
    writes, asked for by their names (`write_links`, `write_batch`, `write_cascades`,
    `ensure_indexes`: handed over as the caller's store's methods), and `settle`. In
    SQLite a large relink's or ingest's copy of it runs in a writer process
    (`Store.writes_behind`)."""

    def __init__(self, store: Store, policy: MatchPolicy) -> None:
        self.store = store
        self.policy = policy

    @classmethod
    def on_url(cls, policy: MatchPolicy, url: str) -> RelinkWrites:
        """The writer process's copy, on a store of its own."""
        return cls(Store.on_url(url), policy)

    def __getattr__(self, name: str) -> Any:
        if name == "store":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.store, name)  # the store's writes, and its `close`

    def settle(self, family_ids: Sequence[int]) -> None:
        """Infer and write the cascades of families left behind (`SettledFamilies`)."""
        cascades, summaries, _ = family_cascades(self.store, self.policy, family_ids)
        self.store.write_cascades(cascades, summaries)
