"""Snapshots of the searcher's linker (docs/deployment.md): a process that opens the
stored snapshot answers `/search` and `/verify` as one that built its linker from the
posts; a stale one is topped up with the posts stored since; a corrupt, truncated,
missing or relinked one is built again, never served. On SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
import sqlalchemy as sa

from synthetic import accounts_of, iter_scale_corpus, post_json_local, scale_offices
from tracer import Tracer, service
from tracer.corpus import POSTS_FILE, write_corpus
from tracer.errors import SnapshotError
from tracer.linking import SNAPSHOT
from tracer.linkstate import LinkState, about_of, pack, unpack
from tracer.media.index import MediaIndex
from tracer.outside import Submission
from tracer.store import Store
from tracer.store.schema import snapshots
from tracer.text.index import AnchorIndex

from .conftest import RELEASE_TEXT, TITLE, Db

pytestmark = pytest.mark.databases

POSTS = 600
CLAIMED = datetime(2024, 7, 1, tzinfo=UTC)
"""When the searched content was seen (else now: its lag would move between answers)."""
QUERIES = 12


def corpus(folder: Path, lines: list[bytes]) -> Path:
    write_corpus(folder, accounts_of(scale_offices(7)), ())
    (folder / POSTS_FILE).write_bytes(b"".join(lines))
    return folder


def scale_lines() -> list[bytes]:
    """The scale corpus in time order: an ingest of its second half links after the
    first's posts (no relink, which would start a new epoch)."""
    posts = sorted(
        (p for p, _ in iter_scale_corpus(7, POSTS)), key=lambda p: (p.published_at, p.post_id)
    )
    return [orjson.dumps(post_json_local(p)) + b"\n" for p in posts]


def queries(lines: list[bytes]) -> list[str]:
    """Texts to search: stored posts' own (copies and releases), a title, and a release
    of the hand-written scenario that the scale corpus does not hold."""
    texts = [str(orjson.loads(line)["text"]) for line in lines[:: len(lines) // QUERIES]]
    return [*texts, TITLE, RELEASE_TEXT]


def answers(door: Tracer, texts: list[str]) -> list[Any]:
    """What `POST /search` and `POST /verify` answer for each text."""
    out: list[Any] = []
    for text in texts:
        out.append([hit.to_json() for hit in door.search(text)])
        report = door.verify_content(Submission(text=text, claimed_at=CLAIMED)).to_json()
        out.append({k: report[k] for k in ("verdict", "release", "lag_seconds", "evidence")})
    return out


def same_state(a: LinkState, b: LinkState) -> bool:
    def equal(x: Any, y: Any) -> bool:
        if isinstance(x, np.ndarray):
            return bool(np.array_equal(x, y))
        if isinstance(x, tuple) and x and isinstance(x[0], np.ndarray):
            return all(np.array_equal(p, q) for p, q in zip(x, y, strict=True))
        return bool(x == y)

    return all(equal(getattr(a, f), getattr(b, f)) for f in LinkState.__dataclass_fields__)


def state_of(door: Tracer) -> LinkState:
    with door._searcher.reading(door.store) as linker:
        return linker.state()


def opened(door: Tracer) -> str:
    door.warm()
    return door._searcher.opened


def test_a_snapshot_answers_as_the_built_linker_and_a_stale_one_is_topped_up(
    new_db: Db, tmp_path: Path
) -> None:
    lines = scale_lines()
    texts = queries(lines)
    store = Store.open(new_db)
    try:
        service.ingest(store, corpus(tmp_path / "first", lines[: POSTS // 2]))
        builder = Tracer(store)
        assert opened(builder) == "built"
        assert builder.share_indexes(built=True)
        assert store.snapshots.stamp(SNAPSHOT) is not None
        assert not builder.share_indexes(built=True)  # as new as the stored one: kept

        reader = Tracer(store)
        assert opened(reader) == "snapshot"
        assert same_state(state_of(reader), state_of(builder))
        assert answers(reader, texts) == answers(builder, texts)

        # The second half stored since: a process opening the snapshot tops it up.
        service.ingest(store, corpus(tmp_path / "second", lines[POSTS // 2 :]))
        stale = Tracer(store)
        assert opened(stale) == "snapshot"
        store.snapshots.drop(SNAPSHOT)
        fresh = Tracer(store)
        assert opened(fresh) == "built"
        assert same_state(state_of(stale), state_of(fresh))
        assert answers(stale, texts) == answers(fresh, texts)
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["flip", "truncate", "format"])
def test_a_damaged_snapshot_is_built_again_with_a_log_line(
    new_db: Db, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    lines = scale_lines()[:200]
    store = Store.open(new_db)
    try:
        service.ingest(store, corpus(tmp_path / "c", lines))
        builder = Tracer(store)
        builder.warm()
        assert builder.share_indexes(built=True)
        with store.engine.begin() as conn:
            body = bytearray(conn.execute(sa.select(snapshots.c.body)).scalar_one())
            if damage == "flip":  # a run of bytes in the arrays (padding is not checked)
                for at in range(len(body) // 3, len(body) // 3 + 64):
                    body[at] ^= 0xFF
            elif damage == "truncate":
                body = body[: len(body) // 2]
            else:
                body[4] += 1  # the format number
            conn.execute(snapshots.update().values(body=bytes(body)))
        door = Tracer(store)
        with caplog.at_level(logging.WARNING, logger="tracer.linking"):
            assert opened(door) == "built"
        assert any("snapshot not used" in r.message for r in caplog.records)
        assert store.snapshots.stamp(SNAPSHOT) is None  # dropped: the next one replaces it
        assert door.share_indexes(built=True)
        assert opened(Tracer(store)) == "snapshot"
        texts = queries(lines)
        assert answers(door, texts) == answers(builder, texts)
    finally:
        store.close()


def test_a_relink_makes_the_snapshot_stale(new_db: Db, tmp_path: Path) -> None:
    store = Store.open(new_db)
    try:
        service.ingest(store, corpus(tmp_path / "c", scale_lines()[:200]))
        door = Tracer(store)
        door.warm()
        assert door.share_indexes(built=True)
        before = store.snapshots.stamp(SNAPSHOT)
        door.relink()  # the facade's relink stores a new snapshot of the new epoch
        after = store.snapshots.stamp(SNAPSHOT)
        assert before is not None and after is not None
        assert after.generation.epoch == store.generation().epoch > before.generation.epoch
        store.snapshots.drop(SNAPSHOT)
        store.snapshots.write(SNAPSHOT, before, _packed(door))  # an old-epoch snapshot
        assert opened(Tracer(store)) == "built"
    finally:
        store.close()


def _packed(door: Tracer) -> bytes:
    return pack(state_of(door), {"last": 0, "posts": 0, "policy": {}})


def test_pack_refuses_what_it_did_not_write() -> None:
    state = LinkState(
        np.arange(1, 4, dtype=np.int64),
        np.array([1, 1, 3], np.int64),
        np.array([0, 1, 0], np.int32),
        ("a", "b"),
        np.array([[1, 1]], np.int64),
        AnchorIndex(np.array([9, 5], np.uint64), np.array([2, 1], np.int64)).arrays(),
        MediaIndex(np.array([7], np.uint64), np.array([3], np.int64)).arrays(),
        AnchorIndex().arrays(),
        {"run of words": [1, 3]},
        ("run of words",),
    )
    body = pack(state, {"last": 3})
    back, about = unpack(body)
    assert about == about_of(body) == {"last": 3}
    assert back.runs == state.runs and back.account_names == state.account_names
    assert np.array_equal(back.families, state.families)
    for bad in (b"", body[:10], b"XXXX" + body[4:], body[:-3], body[:-1] + bytes([body[-1] ^ 1])):
        with pytest.raises(SnapshotError):
            unpack(bad)


def test_opened_families_share_the_posts_int_objects_or_fall_back() -> None:
    from tracer.held import _shared

    posts = np.array([1000, 2000, 3000], np.int32)
    objects = posts.tolist()
    shared = _shared(objects, posts, np.array([1000, 1000, 3000], np.int32))
    assert shared == [1000, 1000, 3000]
    assert shared[1] is objects[0] and shared[2] is objects[2]
    assert _shared(objects, posts, np.array([1000, 4000, 2500], np.int32)) == [1000, 4000, 2500]
    assert _shared([], posts[:0], posts[:0]) == []
