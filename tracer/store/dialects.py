"""What differs between the databases the store runs on, in one place.

SQLite (the embedded default) gets its pragmas on every connection; PostgreSQL is
reached through psycopg 3 (`postgresql://` and `postgres://` URLs are read as
`postgresql+psycopg://`). Everything else is written in SQLAlchemy Core and runs on
both, with four differences kept here: the column types that fit each database
(`JsonText`, `RowId`), bulk loads (`bulk_insert`: `COPY` on PostgreSQL), bulk updates
(`bulk_update`: one statement over arrays on PostgreSQL) and the driver's parameter
marker. The one-writer lock has its own per-dialect
implementations (`tracer.store.writelock`).
"""

from __future__ import annotations

import operator
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine

from tracer.errors import StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
"""URLs without a driver; psycopg 3 is the one tracer installs (`pip install tracer[postgres]`)."""
COPY_MIN_ROWS = 64
"""Below this many rows a plain multi-row INSERT is as fast as COPY on PostgreSQL."""


def database_url(db: str | Path) -> str:
    """A URL as given (PostgreSQL through psycopg 3), or a path as an SQLite URL."""
    text = str(db)
    for scheme in POSTGRES_SCHEMES:
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


def shown_url(url: str) -> str:
    """`url` as it may be printed: without its password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


WAL_TRIES = 100
"""Tries, 20 ms apart, at switching a new file to WAL while another process does."""


def _wal(cur: Any) -> None:
    """Switch the file to WAL. On a new file two processes opening it at once race for
    the switch, and SQLite answers the loser "database is locked" at once, without the
    busy wait (seen: two first `tracer ingest`s into one new file): it tries again."""
    for attempt in range(WAL_TRIES):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_TRIES - 1:
                raise
            time.sleep(0.02)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    _wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA wal_autocheckpoint=20000")
    cur.close()


def create_engine(url: str) -> Engine:
    """The engine for `url`, set up for its dialect."""
    try:
        if url.startswith("postgresql"):
            # The pool covers a server's threads. No ping per check-out (a round trip
            # each: 6 % of an ingest): after a server restart the first statement on a
            # dead connection fails and the pool drops all its connections.
            engine = sa.create_engine(url, pool_size=8, max_overflow=16)
        else:
            engine = sa.create_engine(url)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise StoreError(f"cannot open database {shown_url(url)!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def placeholder(engine: Engine) -> str:
    """The driver's parameter marker, for statements sent to it directly."""
    return "?" if engine.dialect.paramstyle == "qmark" else "%s"


# --- types -----------------------------------------------------------------------


class _JsonbText(sa.types.UserDefinedType[str]):
    """JSONB in PostgreSQL, exchanged with Python as its JSON text: written as text
    (the server parses it), read back cast to text."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "JSONB"

    def column_expression(self, colexpr: Any) -> Any:
        return sa.cast(colexpr, sa.Text)


JsonText = sa.Text().with_variant(_JsonbText(), "postgresql")
"""A JSON document: TEXT in SQLite, JSONB in PostgreSQL (checked when written, queryable
there); the store writes and reads its text on both. JSONB keeps an object's keys in
its own order (shorter keys first), so code must not rely on the order of keys read."""
RowId = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
"""A post number or family key: INTEGER in SQLite (a primary key of this type is the
rowid, 64 bits already), BIGINT in PostgreSQL (INTEGER there stops at 2³¹)."""


# --- bulk loads ------------------------------------------------------------------


def bulk_insert(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (dicts with every column of `table`) inside the caller's
    transaction (`insert_values`)."""
    names = [c.name for c in table.columns]
    if len(names) == 1:
        insert_values(conn, table, [(row[names[0]],) for row in rows])
    else:
        insert_values(conn, table, list(map(operator.itemgetter(*names), rows)))  # in C


def insert_values(conn: Connection, table: sa.Table, rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` (every column's value, in the table's column order) inside the
    caller's transaction: `COPY … FROM STDIN` on PostgreSQL (several times faster than
    INSERTs for the thousands of posts, matches and media rows of an ingest batch), the
    driver's own executemany INSERT on SQLite (values as sqlite3 stores them)."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    columns = ", ".join(f'"{n}"' for n in names)
    if conn.dialect.name == "sqlite":
        # Straight to the driver: the values are already what sqlite3 stores (text,
        # integers, bytes, None), and SQLAlchemy's per-row parameter processing was a
        # third of a store-only ingest batch.
        marks = ", ".join(["?"] * len(names))
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
        conn.exec_driver_sql(sql, list(rows))
        return
    if len(rows) < COPY_MIN_ROWS:
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    driver: Any = conn.connection.driver_connection  # psycopg's, in the caller's transaction
    sql = f'COPY "{table.name}" ({columns}) FROM STDIN'
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def bulk_update(
    conn: Connection,
    table: sa.Table,
    key: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Set `columns` of the rows of `table` whose `key` is each row's first value (the
    columns' values follow), inside the caller's transaction. On PostgreSQL one
    `UPDATE … FROM unnest(arrays)`: an executemany of thousands of one-row UPDATEs
    (even pipelined) cost the server and psycopg's Python several times more per row.
    On SQLite (in process, no round trips) the executemany stays."""
    if not rows:
        return
    names = [key, *columns]
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS:
        types = [table.c[n].type.compile(dialect=conn.dialect) for n in names]
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        sets = ", ".join(f'"{c}" = v."{c}"' for c in columns)
        aliases = ", ".join(f'"{n}"' for n in names)
        sql = (
            f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({arrays}) AS v({aliases}) '
            f'WHERE t."{key}" = v."{key}"'
        )
        conn.exec_driver_sql(sql, tuple(list(values) for values in zip(*rows, strict=True)))
        return
    stmt = (
        table.update()
        .where(table.c[key] == sa.bindparam(f"b_{key}"))
        .values({c: sa.bindparam(f"b_{c}") for c in columns})
    )
    conn.execute(stmt, [{f"b_{n}": v for n, v in zip(names, row, strict=True)} for row in rows])


def among(
    dialect: str, column: sa.ColumnElement[Any], values: Sequence[Any], chunk: int = 900
) -> Iterator[sa.ColumnElement[bool]]:
    """Conditions that together select the rows whose `column` is one of `values`, one
    statement each: on SQLite `IN (…)` lists of `chunk` (its limit on parameters), on
    PostgreSQL one `= ANY(array)`, whose text is the same for any number of values
    (SQLAlchemy and psycopg built each long `IN` list's statement anew: 2.5 s of an
    ingest of 100k posts asking which of them were stored, against 0.5 s on SQLite)."""
    if dialect == "postgresql":
        yield column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(column.type)))
        return
    for start in range(0, len(values), chunk):
        yield column.in_(values[start : start + chunk])


def refresh_statistics(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load: PostgreSQL's autovacuum gets to a
    table loaded in one go only later, and meanwhile plans the read side's joins from
    none (a `/trace` took 7 ms instead of 4 at 100k posts). SQLite plans without them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(sa.text("ANALYZE posts, families, matches, media"))
