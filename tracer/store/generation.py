"""The store's generation: how a process notices what another process wrote.

Every committed write that changes what readers see (posts stored, links, cascades, a
relink) adds one to `writes`; a relink (which re-numbers no post but re-links them all)
also adds one to `epoch`. Both live in `meta`, so a replica that keeps in-memory state
built from the store (the search index, the searcher's linker, the family summaries)
reads them with one primary-key look-up per request and refreshes only when they
moved: new posts since the last look (`writes`), or everything again (`epoch`).

A write also stamps its `writes` on each family it changes (`families.version`), so a
family's cascade graph is cached per (family, version) and rebuilt only when that
family changed (`tracer.graphcache`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracer.store.schema import meta

WRITES = "generation"
EPOCH = "link_epoch"


@dataclass(frozen=True, slots=True, order=True)
class Generation:
    epoch: int
    """Relinks so far: state built before a change of epoch is rebuilt, not topped up."""
    writes: int
    """Committed writes so far."""


def start(conn: Connection) -> None:
    """The counters of a store that has none yet (a migration)."""
    stmt = sa.select(meta.c.key).where(meta.c.key.in_([WRITES, EPOCH]))
    present = set(conn.execute(stmt).scalars())
    for key in (WRITES, EPOCH):
        if key not in present:
            conn.execute(meta.insert(), {"key": key, "value": "0"})


def bump(conn: Connection, relinked: bool = False) -> int:
    """Count a write, inside the writer's transaction (so it commits with it); returns
    the new `writes`, the version the write stamps on the families it changes (unique:
    one writer at a time, and the counter row stays locked until the commit)."""
    keys = [WRITES, EPOCH] if relinked else [WRITES]
    conn.execute(
        meta.update()
        .where(meta.c.key.in_(keys))
        .values(value=sa.cast(sa.cast(meta.c.value, sa.BigInteger) + 1, sa.Text))
    )
    return read(conn).writes


def read(conn: Connection) -> Generation:
    stmt = sa.select(meta.c.key, meta.c.value).where(meta.c.key.in_([WRITES, EPOCH]))
    values = {str(key): str(value) for key, value in conn.execute(stmt)}
    return Generation(int(values.get(EPOCH, 0)), int(values.get(WRITES, 0)))
