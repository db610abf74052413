"""Migrations: small named functions applied in order when a store is opened.

The version stored in `meta` is the number applied. Add a function to `MIGRATIONS`,
never edit an applied one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracer.store.generation import read as read_generation
from tracer.store.generation import start as start_generation
from tracer.store.schema import (
    accounts,
    families,
    family_stats,
    ix_posts_account_ts,
    ix_posts_ts,
    ix_stats,
    matches,
    media,
    posts,
    snapshots,
)


def _v1_initial(conn: Connection) -> None:
    for table in (accounts, posts, families, matches):  # with their indexes
        table.create(conn, checkfirst=True)


def _v2_media(conn: Connection) -> None:
    """Media fingerprints and the text read off pictures, one row per file of a post."""
    media.create(conn, checkfirst=True)


def _v3_read_side(conn: Connection) -> None:
    """Time-ordered post listings and the families table of the HTTP API."""
    family_stats.create(conn, checkfirst=True)
    for index in (ix_posts_ts, ix_posts_account_ts, *ix_stats):
        index.create(conn, checkfirst=True)


def _v4_reading_params(conn: Connection) -> None:
    """What each stored reading depends on, so that a file known by its SHA-256 is not
    decoded or read again (rows from before are read again once: their column is NULL)."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("media")}
    if "ocr_params" not in columns:
        conn.execute(sa.text("ALTER TABLE media ADD COLUMN ocr_params TEXT"))


def _v5_postgres_types(conn: Connection) -> None:
    """PostgreSQL databases made before PostgreSQL was first-class hold JSON as TEXT and
    post numbers as INTEGER: convert them to the schema's JSONB and BIGINT (SQLite's
    types are unchanged, so nothing to do there)."""
    if conn.dialect.name != "postgresql":
        return
    inspector = sa.inspect(conn)
    for table in (posts, families, matches, media, family_stats):
        current = {
            c["name"]: c["type"].compile(dialect=conn.dialect)
            for c in inspector.get_columns(table.name)
        }
        for column in table.columns:
            wanted = column.type.compile(dialect=conn.dialect)
            if column.name in current and current[column.name] != wanted:
                conn.execute(
                    sa.text(
                        f'ALTER TABLE "{table.name}" ALTER COLUMN "{column.name}" '
                        f'TYPE {wanted} USING "{column.name}"::{wanted}'
                    )
                )


def _v6_generation(conn: Connection) -> None:
    """The counters replicas read to notice other processes' writes
    (`tracer.store.generation`)."""
    start_generation(conn)


def _v7_family_versions(conn: Connection) -> None:
    """Each family's version (`families.version`), the generation of its last change:
    existing families start at the current one."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("families")}
    if "version" not in columns:
        conn.execute(sa.text("ALTER TABLE families ADD COLUMN version BIGINT NOT NULL DEFAULT 0"))
    conn.execute(families.update().values(version=read_generation(conn).writes))


def _v8_snapshots(conn: Connection) -> None:
    """Snapshots of the linker's indexes that replicas open instead of rebuilding them.
    On PostgreSQL stored uncompressed: the server's compression of hundreds of MB
    costs more CPU, at every write and read, than the disk it saves."""
    snapshots.create(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE snapshots ALTER COLUMN body SET STORAGE EXTERNAL"))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _v1_initial,
    _v2_media,
    _v3_read_side,
    _v4_reading_params,
    _v5_postgres_types,
    _v6_generation,
    _v7_family_versions,
    _v8_snapshots,
]
SCHEMA_VERSION = len(MIGRATIONS)
