"""PostgreSQL as a first-class store: the same answers as SQLite on the sample, the
types that fit, bulk loads, the migration of a database made before, and the generation
that replicas read (the writer lock from other processes: tests/test_faults_processes.py
and tests/test_replicas.py).

The tests of the store, ingest, linking, search, verdicts and the sample's golden
results run on both databases too (their modules are marked `databases`)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from tracer import service
from tracer.policy import MatchPolicy
from tracer.relinking import relink
from tracer.store import SCHEMA_VERSION, Store
from tracer.store.dialects import bulk_insert
from tracer.store.schema import matches
from tracer.verification import verify_post

from .conftest import Databases, Db, _ingest_sample, partition, scenario_corpus
from .processes import run_tracer

pytestmark = pytest.mark.databases


def answers(store: Store) -> dict[str, Any]:
    """Everything the sample's users see of families, parents and verdicts, by post."""
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text("SELECT post_id FROM posts ORDER BY idx"))]
    parents: dict[str, Any] = {}
    for post_id in ids:
        post = store.find_post(post_id)
        assert post is not None
        if post.family_id is not None and post.family_id not in parents:
            number = int(post.family_id[1:])
            for member, edge in store.family_posts(number):
                parents[member.post_id] = (member.family_id, member.parent_id, edge)
    return {
        "partition": partition(store),
        "parents": parents,
        "verdicts": {p: verify_post(store, p).to_json() for p in ids},
    }


def test_the_sample_gives_the_same_answers_on_both(databases: Databases, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("compares SQLite with PostgreSQL: runs once, as the postgresql case")
    got = {}
    for kind in ("sqlite", "postgresql"):
        store = Store.open(databases.shared(kind, "sample", _ingest_sample))
        try:
            got[kind] = answers(store)
        finally:
            store.close()
    sqlite, postgres = got["sqlite"], got["postgresql"]
    assert len(sqlite["partition"]) > 10 and len(sqlite["verdicts"]) == 191
    assert postgres["partition"] == sqlite["partition"]
    assert postgres["parents"] == sqlite["parents"]
    for post_id, verdict in sqlite["verdicts"].items():
        # byte for byte, keys in the same order too
        assert orjson.dumps(postgres["verdicts"][post_id]) == orjson.dumps(verdict), post_id


def query(store: Store, sql: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql)).all())


def column_types(store: Store) -> dict[str, str]:
    rows = query(
        store,
        "SELECT table_name || '.' || column_name, data_type "
        "FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    return {str(name): str(kind) for name, kind in rows}


def test_postgres_columns_have_the_types_that_fit(store: Store, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's types")
    types = column_types(store)
    for column in ("posts.anchors", "posts.indexed", "media.fingerprint", "media.thumbnail"):
        assert types[column] == "bytea", column
    for column in ("posts.ts", "posts.lag_seconds", "family_stats.first_ts"):
        assert types[column] == "bigint", column
    for column in ("posts.idx", "posts.family_id", "posts.parent_idx", "matches.other_idx"):
        assert types[column] == "bigint", column
    for column in ("posts.media", "posts.extra", "posts.edge", "matches.scores"):
        assert types[column] == "jsonb", column


def test_bulk_insert_round_trips_on_both(store: Store) -> None:
    rows = [
        {"idx": i, "other_idx": i + 1, "modality": "text", "scores": f'{{"b": {i}, "a": "é"}}'}
        for i in range(200)  # past COPY_MIN_ROWS: COPY on PostgreSQL
    ]
    with store.engine.begin() as conn:
        bulk_insert(conn, matches, rows)
        bulk_insert(conn, matches, [{**rows[0], "idx": 1000}])  # a few: INSERT
    with store.engine.connect() as conn:
        back = conn.execute(sa.select(matches).order_by(matches.c.idx)).mappings().all()
    assert len(back) == 201
    assert [orjson.loads(r["scores"]) for r in back[:2]] == [{"a": "é", "b": 0}, {"a": "é", "b": 1}]


def test_json_documents_read_the_same_on_both(scenario_store: Store) -> None:
    evidence = scenario_store.evidence("banten-ig-20240127")
    assert evidence
    for entry in evidence:  # keys sorted whatever order the database kept them in
        assert list(entry["scores"]) == sorted(entry["scores"])


def test_the_generation_moves_with_writes_and_relinks(new_db: Db, tmp_path: Any) -> None:
    store = Store.open(new_db)
    try:
        start = store.generation()
        assert (start.epoch, start.writes) == (0, 0)
        service.ingest(store, scenario_corpus(tmp_path / "corpus"))
        ingested = store.generation()
        assert ingested.epoch == 0 and ingested.writes > 0
        relink(store, MatchPolicy())
        relinked = store.generation()
        assert relinked.epoch > 0 and relinked.writes > ingested.writes
    finally:
        store.close()


def test_a_postgres_database_from_before_is_migrated(
    new_db: Db, backend: str, tmp_path: Any
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's own migration")
    store = Store.open(new_db)
    service.ingest(store, scenario_corpus(tmp_path / "corpus"))
    before = partition(store)
    # As a tracer from before PostgreSQL was first-class made it: JSON as TEXT, INTEGER
    # post numbers, schema version 4, no generation.
    with store.engine.begin() as conn:
        for table, column, kind in (
            ("posts", "media", "TEXT"),
            ("posts", "edge", "TEXT"),
            ("matches", "scores", "TEXT"),
            ("posts", "idx", "INTEGER"),
            ("posts", "family_id", "INTEGER"),
        ):
            conn.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {kind}"))
        conn.execute(sa.text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
        conn.execute(sa.text("DELETE FROM meta WHERE key IN ('generation', 'link_epoch')"))
    store.close()
    again = Store.open(new_db)  # opening migrates
    try:
        assert again.schema_version() == SCHEMA_VERSION
        types = column_types(again)
        assert types["posts.media"] == "jsonb"
        assert types["posts.edge"] == types["matches.scores"] == "jsonb"
        assert types["posts.idx"] == types["posts.family_id"] == "bigint"
        assert partition(again) == before
        assert verify_post(again, "banten-ig-20240127").verdict == "supported"
        assert again.generation().writes == 0
    finally:
        again.close()


def test_every_command_takes_the_database_from_tracer_db_too(scenario_db: Db) -> None:
    env = {"TRACER_DB": str(scenario_db)}
    traced = run_tracer("trace", "banten-ig-20240127", "--json", env=env)
    assert traced.returncode == 0, traced.stderr
    assert orjson.loads(traced.stdout)["release"]["post_id"] == "kominfo-20240126"
    listed = run_tracer("accounts", "list", "--tier", "central", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "kominfo" in listed.stdout


def test_an_ingest_refreshes_the_planners_statistics(
    new_db: Db, backend: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    monkeypatch.setattr("tracer.store.core.ANALYSE_AFTER", 10)  # the scenario has 16 posts
    store = Store.open(new_db)
    try:
        service.ingest(store, scenario_corpus(tmp_path / "corpus"))
        analysed = query(
            store,
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'posts' AND schemaname = current_schema()",
        )
        assert analysed == [(True,)]
    finally:
        store.close()
