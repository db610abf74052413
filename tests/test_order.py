"""The same answer whatever the order: families and parents are a function of the set of
stored posts, not of line order, batch size, ingests split in two, or hash seeds.

A seeded text corpus (releases, edited copies, regency copies of province copies and
unrelated local posts) is ingested in many orders; each store must give the partition
into families and the parent of every post that the time-ordered ingest gives.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa

from synthetic import accounts_of, iter_scale_corpus, post_json_local, scale_offices
from tracer import linking, relinking, service
from tracer.corpus import POSTS_FILE, write_corpus
from tracer.policy import MatchPolicy
from tracer.relinking import relink
from tracer.store import Store
from tracer.store.schema import deferred_post_indexes

from .conftest import Databases, Db
from .store import writer_targets

SEED = 11
POSTS = 800
Snapshot = tuple[frozenset[frozenset[str]], dict[str, str | None]]


def _write(folder: Path, lines: list[bytes]) -> Path:
    write_corpus(folder, accounts_of(scale_offices(SEED)), ())
    (folder / POSTS_FILE).write_bytes(b"".join(lines))
    return folder


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    """The corpus's lines, in time order."""
    return [orjson.dumps(post_json_local(p)) + b"\n" for p, _ in iter_scale_corpus(SEED, POSTS)]


def snapshot(db: Db) -> Snapshot:
    """Families of two or more posts, as sets of post ids, and every post's parent."""
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT p.post_id, p.family_id, q.post_id FROM posts p "
                "LEFT JOIN posts q ON q.idx = p.parent_idx"
            ).all()
    finally:
        store.close()
    families: dict[int, set[str]] = {}
    for post_id, family, _ in rows:
        families.setdefault(family, set()).add(post_id)
    partition = frozenset(frozenset(m) for m in families.values() if len(m) > 1)
    return partition, {post_id: parent for post_id, _, parent in rows}


def ingest(db: Db, *folders: Path, batch_size: int = 5000) -> Snapshot:
    store = Store.open(db)
    try:
        for folder in folders:
            service.ingest(store, folder, batch_size=batch_size, ocr_lang=None)
    finally:
        store.close()
    return snapshot(db)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]) -> Snapshot:
    root = tmp_path_factory.mktemp("reference")
    found = ingest(root / "t.db", _write(root / "corpus", lines))
    partition, parents = found
    assert len(partition) >= 10 and sum(p is not None for p in parents.values()) >= 100
    return found


def test_shuffled_lines_and_small_batches(
    tmp_path: Path, lines: list[bytes], reference: Snapshot
) -> None:
    shuffled = lines[:]
    random.Random(1).shuffle(shuffled)
    assert ingest(tmp_path / "t.db", _write(tmp_path / "c", shuffled), batch_size=97) == reference


def test_a_shuffled_file_is_linked_as_it_is_read(tmp_path: Path, lines: list[bytes]) -> None:
    """Read in time order, its posts are linked once: no relink follows."""
    shuffled = lines[:]
    random.Random(6).shuffle(shuffled)
    store = Store.open(tmp_path / "t.db")
    try:
        report = service.ingest(store, _write(tmp_path / "c", shuffled), ocr_lang=None)
    finally:
        store.close()
    assert report.ingested == len(lines) and not report.relinked


@pytest.mark.databases  # the same answer on PostgreSQL as one SQLite ingest
def test_an_ingest_split_in_two_in_either_order(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, databases: Databases, backend: str
) -> None:
    half = len(lines) // 2
    early = _write(tmp_path / "early", lines[:half])
    late = _write(tmp_path / "late", lines[half:])
    assert ingest(databases.new(backend, "a"), early, late) == reference
    assert ingest(databases.new(backend, "b"), late, early) == reference


def test_interleaved_deliveries(tmp_path: Path, lines: list[bytes], reference: Snapshot) -> None:
    odd = _write(tmp_path / "odd", lines[1::2])
    even = _write(tmp_path / "even", lines[0::2])
    assert ingest(tmp_path / "t.db", odd, even, batch_size=400) == reference


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_hash_seeds(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, hash_seed: str
) -> None:
    shuffled = lines[:]
    random.Random(2).shuffle(shuffled)
    corpus = _write(tmp_path / "c", shuffled)
    db = tmp_path / "t.db"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TRACER_DB": str(db)}
    subprocess.run(
        [str(Path(sys.executable).parent / "tracer"), "ingest", str(corpus), "--no-ocr", "--json"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert snapshot(db) == reference


@pytest.mark.databases
def test_relink_gives_the_same_answer_and_changes_nothing_twice(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, new_db: Db
) -> None:
    db = new_db
    ingest(db, _write(tmp_path / "c", lines))
    store = Store.open(db)
    try:
        assert relink(store, MatchPolicy()) == len(lines)
        assert snapshot(db) == reference
        relink(store, MatchPolicy())
        assert snapshot(db) == reference
    finally:
        store.close()


def _index_names(store: Store) -> set[str]:
    return {str(ix["name"]) for ix in sa.inspect(store.engine).get_indexes("posts")}


def _written(db: Db) -> list[list[tuple[object, ...]]]:
    """Every row a relink writes: posts' links, matches, families and their summaries."""
    queries = (
        "SELECT idx, family_id, parent_idx, lag_seconds, edge, indexed FROM posts ORDER BY idx",
        "SELECT idx, other_idx, modality, scores FROM matches ORDER BY idx, other_idx",
        "SELECT family_id, size, origin_idx, release_idx, dirty FROM families ORDER BY 1",
    )
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            return [[tuple(r) for r in conn.exec_driver_sql(q)] for q in queries]
    finally:
        store.close()


def test_a_relink_written_by_a_process_of_its_own(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large relink into SQLite hands its writes to a process of its own, which also
    infers the cascades of the families left behind on the way: it stores every row
    that one writing in its own process stores, chunk after chunk."""
    monkeypatch.setattr(relinking, "RELINK_CHUNK", 37)
    monkeypatch.setattr(relinking, "SETTLED_CHUNKS", 2)
    touched: list[set[int]] = []  # each chunk's, and those it left behind
    left: list[list[int]] = []
    note = relinking.SettledFamilies.note

    def noted(
        self: relinking.SettledFamilies, now: Iterable[int], merged: Iterable[int]
    ) -> list[int]:
        touched.append(set(now := list(now)))
        left.append(note(self, now, merged))
        return left[-1]

    monkeypatch.setattr(relinking.SettledFamilies, "note", noted)
    shuffled = lines[:]
    random.Random(4).shuffle(shuffled)
    db = tmp_path / "t.db"
    assert ingest(db, _write(tmp_path / "c", shuffled)) == reference  # linked as read
    before = _written(db)
    store = Store.open(db)
    try:
        every = _index_names(store)
        assert {str(ix.name) for ix in deferred_post_indexes()} < every  # built at the end
        with store.engine.begin() as conn:  # as a first load leaves them
            for index in deferred_post_indexes():
                index.drop(conn)
        assert relink(store, MatchPolicy(), own_writer=True) == len(lines)
        assert _index_names(store) == every  # built by the writer process
    finally:
        store.close()
    assert snapshot(db) == reference
    assert _written(db) == before
    # Families were left behind on the way, and some of them joined again after.
    assert sum(map(len, left)) >= 10
    assert any(f in later for n, fs in enumerate(left) for f in fs for later in touched[n + 1 :])


def test_an_ingest_written_by_a_process_of_its_own(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large ingest into SQLite hands its writes to a process of its own, which also
    infers the cascades of the families left behind on the way, while the next batches
    are linked: it stores every row that an ingest writing them itself stores."""
    shuffled = lines[:]
    random.Random(5).shuffle(shuffled)
    corpus = _write(tmp_path / "c", shuffled)
    assert ingest(tmp_path / "inline.db", corpus, batch_size=37) == reference
    left: list[list[int]] = []
    note = relinking.SettledFamilies.note

    def noted(
        self: relinking.SettledFamilies, now: Iterable[int], merged: Iterable[int]
    ) -> list[int]:
        left.append(note(self, now, merged))
        return left[-1]

    monkeypatch.setattr(relinking.SettledFamilies, "note", noted)
    monkeypatch.setattr(service, "OWN_WRITER_POSTS", 1)
    monkeypatch.setattr(service, "SETTLED_CHUNKS", 2)
    db = tmp_path / "t.db"
    assert ingest(db, corpus, batch_size=37) == reference
    assert _written(db) == _written(tmp_path / "inline.db")
    assert sum(map(len, left)) >= 10  # inferred on the way, by the process


def test_a_post_repeated_in_the_batch_still_being_written(
    tmp_path: Path, lines: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is asked which posts it holds while the last batch handed over may
    still be written: a post repeated in the next batch is still found (unchanged, or
    in conflict), never stored twice."""
    monkeypatch.setattr(service, "OWN_WRITER_POSTS", 1)
    monkeypatch.setattr(service, "RelinkWrites", writer_targets.SlowBatches)
    changed = orjson.loads(lines[0])
    changed["text"] += " (disunting)"
    repeated = [*lines[:40], lines[0], orjson.dumps(changed) + b"\n", *lines[40:80]]
    store = Store.open(tmp_path / "t.db")
    try:
        report = service.ingest(
            store, _write(tmp_path / "c", repeated), batch_size=40, ocr_lang=None
        )
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one()
    finally:
        store.close()
    assert (report.ingested, report.unchanged, len(report.conflicts), stored) == (80, 1, 1, 80)
    assert report.conflicts[0].line == 42


def test_the_linkers_caches_do_not_change_the_answer(
    tmp_path: Path, lines: list[bytes], reference: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caches a few rows and candidates deep: every look-up past them goes to the store,
    in an ingest of later posts then earlier ones (stored, then relinked) and in one of
    shuffled lines (read in time order, linked as they are read), as in the reference's."""
    monkeypatch.setattr(relinking, "RELINK_ROWS_KEPT", 3)
    monkeypatch.setattr(linking, "ROWS_ASKED", 5)
    monkeypatch.setattr(relinking, "BATCH_CANDIDATES", 4)
    monkeypatch.setattr(service, "BATCH_CANDIDATES", 4)
    monkeypatch.setattr(relinking, "RECENT_CANDIDATES", 2)
    monkeypatch.setattr(service, "RECENT_CANDIDATES", 2)
    half = len(lines) // 2
    early = _write(tmp_path / "early", lines[:half])
    late = _write(tmp_path / "late", lines[half:])
    assert ingest(tmp_path / "t.db", late, early, batch_size=300) == reference
    shuffled = lines[:]
    random.Random(3).shuffle(shuffled)
    assert ingest(tmp_path / "b.db", _write(tmp_path / "b", shuffled), batch_size=300) == reference


def test_rows_asked_for_are_read_once(tmp_path: Path, lines: list[bytes]) -> None:
    db = tmp_path / "t.db"
    ingest(db, _write(tmp_path / "c", lines[:50]))
    store = Store.open(db)
    try:
        reader = store.link_reader()
        read: list[list[int]] = []
        inner = reader.rows
        reader.rows = lambda idxs: read.append(sorted(idxs)) or inner(idxs)  # type: ignore[method-assign]
        kept = linking.KeptRows(reader, recent=1, asked=4)
        assert set(kept.turn().rows([1, 2, 3])) == {1, 2, 3}
        assert set(kept.rows([3, 4])) == {3, 4}  # 3 read for its turn, the last kept
        assert set(kept.rows([4, 5, 6])) == {4, 5, 6}  # 4 asked for before
        assert read == [[1, 2, 3], [4], [5, 6]]
        kept.rows([2])  # past `asked`: the least recently asked for (3, 4) are dropped
        kept.rows([3, 4])  # 3 is still the last read for its turn
        assert read[3:] == [[2], [4]]
        kept.close()
    finally:
        store.close()
