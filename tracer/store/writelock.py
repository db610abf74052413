"""One writer per database, and what a second writer is told.

An ingest reads the store's state once (the next post number, the linker's families)
and writes batch after batch from it: two at once would number posts alike and link
against families the other is changing. So each holds the writer lock from its first
read to its last commit; a second one waits for it or, past its wait, gets a
`BusyError` saying who holds it.

- SQLite file: a POSIX lock (`fcntl.lockf`) on `DB.lock` beside the database. The
  kernel drops it when the process ends, however it ends (a `kill -9` leaves no stale
  lock to clear by hand), and forked workers do not inherit it.
- PostgreSQL: a session advisory lock (per database: every process writing to it, on
  any machine, takes the same one) on a connection held open meanwhile, which the
  server likewise drops when the session ends.

POSIX locks do not exclude two threads of one process (two `POST /ingest` of one
server), so a process-wide table does that; it also lets the thread that holds the
lock take it again (the CLI takes it to choose the wait, then `service.ingest` does).
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracer.errors import BusyError, StoreError

OnWait = Callable[[str], None]
"""Told once, with who holds the lock, when a writer has to wait."""
POLL_SECONDS = 0.2
ADVISORY_KEY = 0x7472616365
"""PostgreSQL advisory lock id of tracer's writer ("trace" in ASCII)."""
SUMMARIES_KEY = 0x7472616373
"""PostgreSQL advisory lock id of the read side's family summaries ("tracs")."""
SNAPSHOTS_KEY = 0x747261636E
"""PostgreSQL advisory lock id of the stored snapshots ("tracn")."""

_table = threading.Condition()
_held: dict[str, tuple[int, int]] = {}
"""Database → (thread holding its writer lock, how many times it took it)."""


@contextmanager
def writer_lock(
    engine: Engine, wait: float | None = None, on_wait: OnWait | None = None
) -> Iterator[None]:
    """Hold the database's writer lock; `wait` None waits as long as it takes."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database:
        key = os.path.realpath(database)
    else:
        key = engine.url.render_as_string()
    waiting = _Wait(None if wait is None else time.monotonic() + wait, on_wait)
    me = threading.get_ident()
    with _table:
        owner, depth = _held.get(key, (me, 0))
        while owner != me:
            waiting.again("another ingest of this process")
            _table.wait(POLL_SECONDS)
            owner, depth = _held.get(key, (me, 0))
        _held[key] = (me, depth + 1)
    try:
        if depth:
            yield
        else:
            with _os_lock(engine, waiting):
                yield
    finally:
        with _table:
            if depth:
                _held[key] = (me, depth)
            else:
                del _held[key]
                _table.notify_all()


class _Wait:
    """A writer's wait for the lock: told once who holds it, refused past the deadline."""

    def __init__(self, deadline: float | None, on_wait: OnWait | None) -> None:
        self.deadline = deadline
        self.on_wait = on_wait

    def again(self, holder: str) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            # who holds the lock, never where the database is (the API says this too)
            raise BusyError(f"{holder} is writing to this database: try again when it has finished")
        if self.on_wait is not None:
            self.on_wait(holder)
            self.on_wait = None


def _os_lock(engine: Engine, waiting: _Wait) -> AbstractContextManager[None]:
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return _file_lock(Path(f"{database}.lock"), waiting)
    if engine.dialect.name == "postgresql":
        return _advisory_lock(engine, waiting)
    return nullcontext()  # an in-memory database has one process: the table suffices


@contextmanager
def _file_lock(path: Path, waiting: _Wait) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot open the writer lock {path}: {exc.strerror}") from None
    try:
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise StoreError(f"cannot lock {path}: {exc.strerror}") from None
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            waiting.again(holder or "another ingest")
            time.sleep(POLL_SECONDS)
        since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"an ingest (pid {os.getpid()}, since {since})".encode(), 0)
        yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def _advisory_lock(engine: Engine, waiting: _Wait) -> Iterator[None]:
    """A session advisory lock, on a connection of its own in autocommit (never idle in
    a transaction for the length of an ingest, which a server's
    `idle_in_transaction_session_timeout` would end). The holder names itself in its
    session's `application_name`, which a waiting writer reads from `pg_stat_activity`."""
    take = sa.text("SELECT pg_try_advisory_lock(:k)").bindparams(k=ADVISORY_KEY)
    with engine.connect() as opened:
        conn = opened.execution_options(isolation_level="AUTOCOMMIT")
        while not conn.execute(take).scalar():
            waiting.again(_pg_holder(conn) or "another ingest")
            time.sleep(POLL_SECONDS)
        since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        name = f"an ingest (pid {os.getpid()} on {socket.gethostname()}, since {since})"
        conn.execute(sa.text("SELECT set_config('application_name', :n, false)"), {"n": name})
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)").bindparams(k=ADVISORY_KEY))
            conn.execute(sa.text("RESET application_name"))


_HOLDER = sa.text(
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :hi AND l.objid = :lo "
    "AND l.objsubid = 1 AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database())"
).bindparams(hi=ADVISORY_KEY >> 32, lo=ADVISORY_KEY & 0xFFFFFFFF)


def _pg_holder(conn: Connection) -> str | None:
    """Who holds the writer lock, as its session names itself; None if it is gone."""
    name = conn.execute(_HOLDER).scalar()
    return str(name) if name and str(name).startswith("an ingest") else None


def transaction_lock(conn: Connection, key: int) -> None:
    """Serialise the caller's transaction with others taking `key`, across processes:
    on PostgreSQL a transaction advisory lock, released at commit or rollback (two
    replicas refreshing the same derived rows would otherwise both insert them); SQLite
    serialises its writers itself."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)").bindparams(k=key))
