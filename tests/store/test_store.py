"""The store: schema and migrations, look-ups, and an ingest killed half-way then resumed."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracer import tracing
from tracer.corpus import write_corpus
from tracer.errors import StoreError
from tracer.store import Store, database_url
from tracer.store.dialects import among, bulk_update
from tracer.store.migrations import SCHEMA_VERSION
from tracer.store.rows import PostRow, post_values
from tracer.store.schema import deferred_post_indexes, families, posts

from ..conftest import ACCOUNTS, SCENARIO
from ..processes import TRACER, run_tracer

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL


def test_a_new_store_has_the_current_schema(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.db")
    assert store.schema_version() == SCHEMA_VERSION
    assert store.counts() == {"accounts": 0, "posts": 0, "families": 0, "matches": 0, "media": 0}
    store.close()
    again = Store.open(tmp_path / "new.db")  # migrating twice is harmless
    assert again.schema_version() == SCHEMA_VERSION
    again.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    with pytest.raises(StoreError, match="newer"):
        Store.open(db)


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "wal.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_database_url() -> None:
    assert database_url("tracer.db") == "sqlite:///tracer.db"
    assert database_url(Path("/data/tracer.db")) == "sqlite:////data/tracer.db"
    # PostgreSQL through psycopg 3, whichever way the URL names it
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u:pw@h:5433/db") == "postgresql+psycopg://u:pw@h:5433/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_accounts_upsert(store: Store) -> None:
    assert store.upsert_accounts(list(ACCOUNTS)) == (len(ACCOUNTS), 0, [])
    changed = dataclasses.replace(ACCOUNTS[2], name="Renamed")
    assert store.upsert_accounts([*ACCOUNTS[:2], changed]) == (0, 2, [changed.account_id])
    assert store.accounts()[changed.account_id] == ACCOUNTS[2]
    assert store.accounts()["serang"].parent_id == "banten"


def test_lookups_after_ingest(scenario_store: Store) -> None:
    counts = scenario_store.counts()
    assert counts["posts"] == len(SCENARIO)
    assert counts["accounts"] == len(ACCOUNTS)
    assert counts["families"] == 4  # only families of two or more posts get a row
    assert scenario_store.count_dirty() == 0
    post = scenario_store.find_post("serang-20240127")
    assert post is not None
    assert (post.account_id, post.tier, post.account_parent_id) == ("serang", "regency", "banten")
    assert post.parent_id == "banten-ig-20240127"
    assert post.published_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert scenario_store.find_post("nope") is None
    assert (
        scenario_store.find_post("nope", "instagram.com/p/C2bantenPemilu").post_id
        == "banten-ig-20240127"
    )  # type: ignore[union-attr]
    digests = scenario_store.digests(["serang-20240127", "nope"])
    assert list(digests) == ["serang-20240127"]
    assert len(digests["serang-20240127"]) == 64


def test_link_state_rows_come_in_post_order_from_any_point(scenario_store: Store) -> None:
    with scenario_store.engine.connect() as conn:
        stored = conn.execute(
            sa.select(posts.c.idx, posts.c.account_id, posts.c.family_id, posts.c.indexed)
        ).all()
    expected = sorted((int(i), a, int(f), bytes(b)) for i, a, f, b in stored)
    rows = list(scenario_store.iter_link_state(chunk=3))  # several chunks
    assert [(i, a, f, bytes(b)) for i, a, f, b in rows] == expected
    middle = expected[len(expected) // 2][0]
    assert [r[0] for r in scenario_store.iter_link_state(after=middle)] == [
        r[0] for r in expected if r[0] > middle
    ]


def test_link_state_rows_fail_as_sqlalchemy_errors(tmp_path: Path) -> None:
    """Read straight from the driver, a failure is still SQLAlchemy's `DatabaseError`,
    which callers turn into a `StoreError`."""
    store = Store.open(tmp_path / "t.db")
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE posts"))
    with pytest.raises(sa.exc.DatabaseError, match="no such table"):
        list(store.iter_link_state())
    store.close()


def test_family_posts_are_in_time_order(scenario_store: Store) -> None:
    post = scenario_store.find_post("serang-20240127")
    assert post is not None and post.family_id is not None
    members = scenario_store.family_posts(int(post.family_id[1:]))
    stamps = [(p.timestamp, p.post_id) for p, _ in members]
    assert stamps == sorted(stamps)
    edges = {p.post_id: e for p, e in members}
    assert edges["kominfo-20240126"] is None
    assert edges["serang-20240127"]["reason"] == "shared_edits"  # type: ignore[index]


def test_evidence_lists_verified_matches_both_ways(scenario_store: Store) -> None:
    evidence = scenario_store.evidence("kominfo-20240126")
    others = {e["post_id"] for e in evidence}
    assert "banten-ig-20240127" in others
    assert all(e["modality"] == "text" for e in evidence)
    assert all(0 < e["scores"]["containment"] <= 1 for e in evidence)


# --- killed, then resumed ------------------------------------------------------------------

N_POSTS = 3000
BAD_LINES = (b'{"post_id": "torn', b'{"post_id": "x", "account_id": "ghost"}', b"[]")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    from synthetic import make_scale_corpus

    folder = tmp_path_factory.mktemp("generated") / "corpus"
    accounts, posts, _truth = make_scale_corpus(11, N_POSTS)
    write_corpus(folder, accounts, posts)
    lines = (folder / "posts.jsonl").read_bytes().splitlines()
    for at, bad in zip((5, 1500, 2900), BAD_LINES, strict=True):
        lines.insert(at, bad)
    (folder / "posts.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return folder, len({p.post_id for p in posts})


def snapshot(db: Path) -> dict[str, object]:
    with closing(sqlite3.connect(db)) as conn:
        ids = [r[0] for r in conn.execute("SELECT post_id FROM posts")]
        families: dict[int, set[str]] = {}
        for post_id, family in conn.execute("SELECT post_id, family_id FROM posts"):
            families.setdefault(family, set()).add(post_id)
        parents = dict(
            conn.execute(
                "SELECT p.post_id, q.post_id FROM posts p LEFT JOIN posts q ON q.idx = p.parent_idx"
            ).fetchall()
        )
        lags = dict(conn.execute("SELECT post_id, lag_seconds FROM posts").fetchall())
        summaries = {
            (size, origin, release)
            for size, origin, release in conn.execute(
                "SELECT f.size, o.post_id, r.post_id FROM families f "
                "JOIN posts o ON o.idx = f.origin_idx LEFT JOIN posts r ON r.idx = f.release_idx"
            )
        }
        matches = set(
            conn.execute(
                "SELECT a.post_id, b.post_id FROM matches m JOIN posts a ON a.idx = m.idx "
                "JOIN posts b ON b.idx = m.other_idx"
            ).fetchall()
        )
        dirty = conn.execute("SELECT count(*) FROM families WHERE dirty").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM posts WHERE family_id IS NULL").fetchone()[0]
    return {
        "ids": ids,
        "partition": {frozenset(f) for f in families.values()},
        "parents": parents,
        "lags": lags,
        "summaries": summaries,
        "matches": matches,
        "dirty": dirty,
        "orphans": orphans,
    }


def _count_posts(db: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or the schema is not there yet


@pytest.mark.slow
def test_an_ingest_killed_half_way_resumes_to_the_same_result(
    generated: tuple[Path, int], tmp_path: Path
) -> None:
    folder, n_valid = generated
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env["TRACER_BATCH_SIZE"] = "200"

    clean = tmp_path / "clean.db"
    result = run_tracer(
        "--db",
        str(clean),
        "ingest",
        str(folder),
        "--json",
        env={"TRACER_BATCH_SIZE": "200"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    killed = tmp_path / "killed.db"
    process = subprocess.Popen(
        [TRACER, "--db", str(killed), "ingest", str(folder), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen = 0
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        seen = _count_posts(killed)
        if seen > 0:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    assert process.wait(timeout=30) == -signal.SIGKILL, "the ingest finished before it was killed"
    partial = _count_posts(killed)
    assert 0 < partial < n_valid
    assert _post_indexes(killed) < _post_indexes(clean)  # killed while loading without them

    resumed = run_tracer(
        "--db",
        str(killed),
        "ingest",
        str(folder),
        "--json",
        env={"TRACER_BATCH_SIZE": "200"},
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr

    got, want = snapshot(killed), snapshot(clean)
    ids = got["ids"]
    assert isinstance(ids, list)
    assert len(ids) == n_valid
    assert len(set(ids)) == len(ids)
    assert got["orphans"] == 0 and got["dirty"] == 0
    assert got["partition"] == want["partition"]
    assert got["parents"] == want["parents"]
    assert got["lags"] == want["lags"]
    assert got["summaries"] == want["summaries"]
    assert got["matches"] == want["matches"]
    # Every post belongs to a family: a trace answers for each of a sample of them.
    with closing(sqlite3.connect(killed)) as conn:
        some = [r[0] for r in conn.execute("SELECT post_id FROM posts ORDER BY idx LIMIT 3")]
        shared = conn.execute("SELECT count(*) FROM families").fetchone()[0]
    assert shared > 50
    store = Store.open(killed)
    for post_id in some:
        assert tracing.trace(store, post_id)["post"]["post_id"] == post_id
    store.close()
    # Killed while loading into an empty store, without its deferred indexes: the
    # resumed ingest built them.
    assert _post_indexes(killed) == _post_indexes(clean)


def _post_indexes(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts'"
            )
        }


def _index_names(store: Store) -> set[str]:
    return {str(ix["name"]) for ix in sa.inspect(store.engine).get_indexes("posts")}


def test_a_load_into_an_empty_store_builds_its_post_indexes_at_the_end(store: Store) -> None:
    every = _index_names(store)
    deferred = {str(ix.name) for ix in deferred_post_indexes()}
    assert deferred < every and "ix_posts_family_id" in every - deferred
    with store.loading_posts() as unindexed:
        assert unindexed
        assert _index_names(store) == every - deferred
    assert _index_names(store) == every
    with pytest.raises(RuntimeError), store.loading_posts():
        raise RuntimeError("a load that stops short")
    assert _index_names(store) == every
    with store.engine.begin() as conn:  # a load killed outright
        deferred_post_indexes()[0].drop(conn)
    store.ensure_indexes()
    assert _index_names(store) == every


def test_a_load_into_a_store_with_posts_keeps_its_indexes(scenario_store: Store) -> None:
    every = _index_names(scenario_store)
    with scenario_store.loading_posts() as unindexed:
        assert not unindexed
        assert _index_names(scenario_store) == every
    with scenario_store.engine.begin() as conn:  # one a killed first load left out
        deferred_post_indexes()[0].drop(conn)
    with scenario_store.loading_posts() as unindexed:
        assert not unindexed
        assert _index_names(scenario_store) == every  # built before the load


def test_post_values_follow_the_tables_columns() -> None:
    row = PostRow(
        7, "p7", "acct", datetime(2024, 1, 26, 12, 33, tzinfo=UTC), "Teks", ("a.jpg",),
        "https://x.id/p7", "x.id/p7", {"likes": 3}, "d", "teks", ("tag",), b"a", b"i", 5,
    )  # fmt: skip
    values = dict(zip([c.name for c in posts.columns], post_values(row), strict=True))
    assert values == {
        "idx": 7, "post_id": "p7", "account_id": "acct",
        "published_at": "2024-01-26T12:33:00+00:00", "ts": 1706272380, "text": "Teks",
        "media": '["a.jpg"]', "url": "https://x.id/p7", "url_key": "x.id/p7",
        "extra": '{"likes":3}', "digest": "d", "norm_text": "teks", "hashtags": '["tag"]',
        "anchors": b"a", "indexed": b"i", "family_id": 5,
        "parent_idx": None, "lag_seconds": None, "edge": None,
    }  # fmt: skip


def test_store_url_setting_accepts_a_sqlalchemy_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    store = Store.open(url)
    assert store.counts()["posts"] == 0
    with store.engine.connect() as conn:
        assert conn.execute(
            sa.text("SELECT value FROM meta WHERE key='schema_version'")
        ).scalar() == str(SCHEMA_VERSION)
    store.close()
    assert (tmp_path / "by-url.db").is_file()


def test_media_items_page_without_splitting_a_post(sample_store: Store) -> None:
    everything = dict(sample_store.media.iter_items())
    assert everything == dict(sample_store.media.iter_items(chunk=1))
    assert everything == sample_store.media.items_for(everything)


@pytest.mark.parametrize("rows", [3, 200])  # below and above the size of one statement
def test_bulk_update_sets_the_columns_of_the_rows_by_key(store: Store, rows: int) -> None:
    fresh = [
        {"family_id": f, "size": 0, "origin_idx": None, "release_idx": None, "dirty": True}
        for f in range(1, rows + 2)
    ]
    with store.engine.begin() as conn:
        conn.execute(families.insert(), fresh)
        bulk_update(
            conn,
            families,
            "family_id",
            ("size", "origin_idx", "release_idx", "dirty"),
            [(f, f * 2, f if f % 2 else None, None, False) for f in range(1, rows + 1)],
        )
    with store.engine.connect() as conn:
        got = {
            r[0]: tuple(r[1:])
            for r in conn.execute(
                sa.select(
                    families.c.family_id,
                    families.c.size,
                    families.c.origin_idx,
                    families.c.release_idx,
                    families.c.dirty,
                )
            )
        }
        wanted = list(range(rows, rows + 3))  # one absent
        (where,) = among(conn.dialect.name, families.c.family_id, wanted, chunk=len(wanted))
        found = sorted(r[0] for r in conn.execute(sa.select(families.c.family_id).where(where)))
    expected = {f: (f * 2, f if f % 2 else None, None, False) for f in range(1, rows + 1)}
    expected[rows + 1] = (0, None, None, True)  # not in the update: unchanged
    assert got == expected
    assert found == [rows, rows + 1]
