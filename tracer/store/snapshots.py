"""Snapshots: derived state that one process builds and others open, as bytes in the
database (so replicas share nothing but the database), stamped with the generation
(`tracer.store.generation`) they are of and the last post they hold.

A snapshot is kept whole, in parts of `PART_BYTES` (PostgreSQL's `bytea` stops at 1 GB,
and a part at a time keeps a reader's memory to the snapshot plus one part): written in
one transaction that replaces the older one, read back by one statement, so a reader
never mixes the parts of two snapshots. Only a newer snapshot replaces a stored one:
two replicas that both built the indexes do not undo each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracer.store.generation import Generation
from tracer.store.schema import snapshots
from tracer.store.writelock import SNAPSHOTS_KEY, transaction_lock

PART_BYTES = 32 << 20
_READ_SQL = "SELECT epoch, writes, last_idx, body FROM snapshots WHERE name = %s ORDER BY part"


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a stored snapshot is of: the store's generation, and the last post it holds."""

    generation: Generation
    last_idx: int


class Snapshots:
    """The snapshots of one database, by name."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def stamp(self, name: str) -> Stamp | None:
        """The stamp of the stored snapshot `name`, or None: one look-up by key."""
        stmt = sa.select(snapshots.c.epoch, snapshots.c.writes, snapshots.c.last_idx).where(
            snapshots.c.name == name, snapshots.c.part == 0
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else _stamp(row)

    def read(self, name: str) -> tuple[Stamp, bytearray] | None:
        """The stored snapshot `name` with its stamp, or None when there is none. The
        parts are streamed into one buffer; from PostgreSQL in binary (as hex text,
        the default, the server encodes and the client decodes twice the bytes: 3-4
        times slower) through a server-side cursor, a part at a time."""
        stmt = (
            sa.select(snapshots.c.epoch, snapshots.c.writes, snapshots.c.last_idx, snapshots.c.body)
            .where(snapshots.c.name == name)
            .order_by(snapshots.c.part)
        )
        body = bytearray()
        stamp: Stamp | None = None
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                driver: Any = conn.connection.driver_connection
                with driver.cursor("tracer_snapshot", binary=True) as cursor:
                    cursor.itersize = 1
                    cursor.execute(_READ_SQL, (name,))
                    rows: Iterable[Any] = cursor
                    for row in rows:
                        stamp = stamp or _stamp(row)
                        body += row[3]
            else:
                for row in conn.execute(stmt):
                    stamp = stamp or _stamp(row)
                    body += row[3]
        return None if stamp is None else (stamp, body)

    def write(self, name: str, stamp: Stamp, body: bytes) -> bool:
        """Store `body` as snapshot `name`, replacing an older one; False (nothing
        written) when the stored one is of the same generation or newer."""
        view = memoryview(body)
        generation = stamp.generation
        rows = [
            {"name": name, "part": n, "epoch": generation.epoch, "writes": generation.writes,
             "last_idx": stamp.last_idx, "body": view[start : start + PART_BYTES]}
            for n, start in enumerate(range(0, max(len(body), 1), PART_BYTES))
        ]  # fmt: skip
        with self.engine.begin() as conn:
            transaction_lock(conn, SNAPSHOTS_KEY)  # replicas write one at a time
            held = conn.execute(
                sa.select(snapshots.c.epoch, snapshots.c.writes, snapshots.c.last_idx).where(
                    snapshots.c.name == name, snapshots.c.part == 0
                )
            ).first()
            if held is not None and _stamp(held).generation >= generation:
                return False
            conn.execute(snapshots.delete().where(snapshots.c.name == name))
            for row in rows:  # one part a statement: a few MB each
                conn.execute(snapshots.insert(), row)
        return True

    def drop(self, name: str, stamp: Stamp | None = None) -> None:
        """Forget snapshot `name`; with `stamp`, only if it is still the one of that
        stamp (one found unusable, not a good one written since)."""
        stmt = snapshots.delete().where(snapshots.c.name == name)
        if stamp is not None:
            stmt = stmt.where(
                snapshots.c.epoch == stamp.generation.epoch,
                snapshots.c.writes == stamp.generation.writes,
                snapshots.c.last_idx == stamp.last_idx,
            )
        with self.engine.begin() as conn:
            conn.execute(stmt)


def _stamp(row: Any) -> Stamp:
    return Stamp(Generation(int(row[0]), int(row[1])), int(row[2]))
