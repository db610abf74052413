"""What differs between the databases the store runs on, in one place.

SQLite (the embedded default) gets its pragmas on every connection; everything else
is written in SQLAlchemy Core and runs on PostgreSQL unchanged. The one-writer lock
has its own per-dialect implementations (`tracer.store.writelock`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracer.errors import StoreError


def database_url(db: str | Path) -> str:
    """A URL as given, or a path as an SQLite URL."""
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA wal_autocheckpoint=20000")
    cur.close()


def create_engine(url: str) -> Engine:
    """The engine for `url`, set up for its dialect."""
    try:
        engine = sa.create_engine(url)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise StoreError(f"cannot open database {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def placeholder(engine: Engine) -> str:
    """The driver's parameter marker, for statements sent to it directly."""
    return "?" if engine.dialect.paramstyle == "qmark" else "%s"
