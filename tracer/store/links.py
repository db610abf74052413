"""The linker's side of the store: candidate rows read straight from the driver, and
the matches, family merges and dirty marks written with each batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracer.store.dialects import bulk_insert, placeholder
from tracer.store.rows import LinkRow
from tracer.store.schema import families, matches, posts


class LinkReader:
    """Candidate look-ups by primary key: thousands per second during an ingest, so
    they go straight to the driver. SQLite gets an `IN (?, …)` list, one statement per
    size; PostgreSQL one array parameter (`= ANY(%s)`), so the statement's text is the
    same for every look-up: psycopg converted each long `IN` list's text anew and
    could not keep it prepared (a relink read its 5,000 rows a chunk 2× slower)."""

    COLUMNS = "idx, post_id, account_id, norm_text, anchors, media <> '[]'"
    """The last: whether the post lists media files (JSON text in SQLite, JSONB in
    PostgreSQL: compared there, not parsed here)."""

    def __init__(self, engine: Engine) -> None:
        self._raw = engine.raw_connection()
        self._mark = placeholder(engine)
        self._array = engine.dialect.name == "postgresql"
        self._sql: dict[int, str] = {}

    def rows(self, idxs: Iterable[int]) -> dict[int, LinkRow]:
        out: dict[int, LinkRow] = {}
        wanted = list(idxs)
        cursor = self._raw.cursor()
        try:
            if self._array:
                batches: Iterable[tuple[str, tuple[Any, ...]]] = (
                    (f"SELECT {self.COLUMNS} FROM posts WHERE idx = ANY(%s)", (wanted,)),
                )
            else:
                batches = ((self._in_list(len(c)), tuple(c)) for c in chunks(wanted, 500))
            for sql, params in batches:
                cursor.execute(sql, params)
                for r in cursor.fetchall():
                    out[int(r[0])] = LinkRow(int(r[0]), r[1], r[2], r[3], bytes(r[4]), bool(r[5]))
        finally:
            cursor.close()
        return out

    def _in_list(self, size: int) -> str:
        sql = self._sql.get(size)
        if sql is None:
            marks = ",".join([self._mark] * size)
            sql = self._sql[size] = f"SELECT {self.COLUMNS} FROM posts WHERE idx IN ({marks})"
        return sql

    def close(self) -> None:
        self._raw.close()


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_links(
    conn: Connection,
    match_rows: Sequence[tuple[int, int, str, dict[str, Any]]],
    relabels: Sequence[tuple[int, int]],
    touched: Iterable[int],
    version: int,
) -> None:
    """Matches, family merges and families marked dirty, inside the caller's transaction;
    the touched families are stamped with the transaction's `version`."""
    bulk_insert(
        conn,
        matches,
        [
            {"idx": a, "other_idx": b, "modality": m, "scores": orjson.dumps(s).decode()}
            for a, b, m, s in match_rows
        ],
    )
    for old, new in relabels:
        conn.execute(posts.update().where(posts.c.family_id == old).values(family_id=new))
        conn.execute(families.delete().where(families.c.family_id == old))
    ids = sorted(set(touched))
    for chunk in chunks(ids, 900):
        existing = {
            r[0]
            for r in conn.execute(
                sa.select(families.c.family_id).where(families.c.family_id.in_(chunk))
            )
        }
        fresh = [
            {
                "family_id": f,
                "size": 0,
                "origin_idx": None,
                "release_idx": None,
                "dirty": True,
                "version": version,
            }
            for f in chunk
            if f not in existing
        ]
        if fresh:
            conn.execute(families.insert(), fresh)
        if existing:
            conn.execute(
                families.update()
                .where(families.c.family_id.in_(existing))
                .values(dirty=True, version=version)
            )
