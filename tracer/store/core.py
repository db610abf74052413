"""The `Store`: opening a database, its schema version, and the write side of an
ingest (posts, media, matches, families, cascades) with the reads the facade needs.

SQLite by default (WAL, one transaction per batch, so an ingest killed at any moment
leaves the last committed batch and nothing half-written); SQLAlchemy Core keeps
PostgreSQL one URL away (`tracer.store.dialects`). The schema carries a version;
`tracer.store.migrations` are applied in order when a store is opened.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracer.errors import StoreError
from tracer.models import Account
from tracer.store.behind import Writes, WritesBehind, WritesInProcess
from tracer.store.dialects import (
    among,
    bulk_update,
    create_engine,
    database_url,
    insert_values,
    placeholder,
    refresh_statistics,
    shown_url,
)
from tracer.store.generation import Generation
from tracer.store.generation import bump as bump_generation
from tracer.store.generation import read as read_generation
from tracer.store.links import LinkReader, chunks, write_links
from tracer.store.media import MediaStore, insert_media
from tracer.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tracer.store.reads import Reads
from tracer.store.rows import (
    CascadeRow,
    MediaRow,
    PostRow,
    account_of,
    account_row,
    post_values,
)
from tracer.store.schema import (
    accounts,
    deferred_post_indexes,
    families,
    family_stats,
    matches,
    media,
    meta,
    posts,
)
from tracer.store.snapshots import Snapshots
from tracer.store.writelock import OnWait, writer_lock

ANALYSE_AFTER = 1_000
"""New posts after which the end of an ingest's cascade pass refreshes the statistics."""
ANALYSE_EVERY = 50_000
"""New posts after which a long ingest refreshes them on the way."""


class Store(Reads):
    """A database opened for tracer; the read side is `Reads`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._post_stmt: sa.Select[Any] | None = None
        self._unanalysed = 0
        """Posts this process stored since it last refreshed the planner's statistics."""

    @classmethod
    def on_url(cls, url: str) -> Store:
        """A store on an existing, current database: no migration, no lock (a writer
        process of a caller that holds the writer lock and migrated it)."""
        return cls(create_engine(url))

    @classmethod
    def open(cls, db: str | Path) -> Store:
        url = database_url(db)
        engine = create_engine(url)
        store = cls(engine)
        try:
            store.migrate()
        except sa.exc.OperationalError as exc:  # a folder that does not exist, a locked file
            engine.dispose()
            raise StoreError(f"cannot open database {shown_url(url)!r}: {exc.orig}") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    @property
    def in_process(self) -> bool:
        """Whether the database runs inside this process (SQLite), rather than on a
        server that each statement makes a round trip to (PostgreSQL)."""
        return self.engine.dialect.name == "sqlite"

    def writer(
        self, wait: float | None = None, on_wait: OnWait | None = None
    ) -> AbstractContextManager[None]:
        """The one-writer lock (see `tracer.store.writelock`); `wait` None: as long as it takes."""
        return writer_lock(self.engine, wait, on_wait)

    # --- schema -----------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema up to date; a change is made under the writer lock (two first
        ingests into a new file would both create it), a current schema takes no lock."""
        if self.schema_version(missing_ok=True) == SCHEMA_VERSION:
            return
        with self.writer(), self.engine.begin() as conn:
            meta.create(conn, checkfirst=True)
            row = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "schema_version")
            ).first()
            current = int(row[0]) if row else 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"database schema version {current} is newer than this tracer "
                    f"({SCHEMA_VERSION})"
                )
            for step in MIGRATIONS[current:]:
                step(conn)
            if current != SCHEMA_VERSION:
                values = {"key": "schema_version", "value": str(SCHEMA_VERSION)}
                if row:
                    conn.execute(meta.update().where(meta.c.key == "schema_version"), values)
                else:
                    conn.execute(meta.insert(), values)

    def generation(self) -> Generation:
        """Where the store's writes stand (`tracer.store.generation`): one look-up."""
        with self.reading() as conn:
            return read_generation(conn)

    def schema_version(self, missing_ok: bool = False) -> int:
        with self.engine.connect() as conn:
            if missing_ok and not sa.inspect(conn).has_table(meta.name):
                return 0
            row = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "schema_version")
            ).first()
            return int(row[0]) if row else 0

    def ensure_fingerprints(self, params: str, key: str = "fingerprints") -> None:
        """Record which fingerprints the database holds; refuse to mix in another kind,
        whose anchors would never match the stored ones. Text fingerprints (`key`
        "fingerprints") and media fingerprints ("media_fingerprints") are recorded apart:
        a database from before media fingerprints simply starts recording them."""
        with self.engine.begin() as conn:
            stored = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
            table = posts if key == "fingerprints" else media
            if stored is None and conn.execute(sa.select(table.c.idx).limit(1)).first():
                stored = "unversioned"  # rows from before fingerprints were recorded
            if stored is None:
                conn.execute(meta.insert(), {"key": key, "value": params})
            elif stored != params:
                raise StoreError(
                    f"the database holds {stored} fingerprints and this tracer makes {params}: "
                    "ingest into a new database"
                )

    # --- accounts ---------------------------------------------------------------

    def upsert_accounts(self, items: Sequence[Account]) -> tuple[int, int, list[str]]:
        """Insert new accounts; returns (inserted, unchanged, ids whose data differ)."""
        known = self.accounts()
        new = [a for a in items if a.account_id not in known]
        unchanged = sum(1 for a in items if known.get(a.account_id) == a)
        conflicts = [
            a.account_id for a in items if a.account_id in known and known[a.account_id] != a
        ]
        if new:
            with self.engine.begin() as conn:
                conn.execute(accounts.insert(), [account_row(a) for a in new])
        return len(new), unchanged, conflicts

    def accounts(self) -> dict[str, Account]:
        with self.reading() as conn:
            rows = conn.execute(sa.select(accounts)).mappings().all()
        return {r["account_id"]: account_of(r) for r in rows}

    # --- ingest -----------------------------------------------------------------

    def digests(self, post_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        with self.reading() as conn:
            for where in among(conn.dialect.name, posts.c.post_id, post_ids):
                stmt = sa.select(posts.c.post_id, posts.c.digest).where(where)
                out.update({r[0]: r[1] for r in conn.execute(stmt)})
        return out

    def max_idx(self) -> int:
        with self.reading() as conn:
            return int(
                conn.execute(sa.select(sa.func.coalesce(sa.func.max(posts.c.idx), 0))).scalar_one()
            )

    def iter_link_state(
        self, chunk: int = 50_000, after: int = 0
    ) -> Iterator[tuple[int, str, int, bytes]]:
        """(idx, account_id, family_id, indexed anchors) of every post numbered after
        `after`, in idx order. Straight from the driver, as the candidate reader does
        (`tracer.store.links`): a linker built from a million posts read them in 3.6 CPU-s
        through SQLAlchemy's rows, 1.6 s as the driver's tuples."""
        mark = placeholder(self.engine)
        sql = (
            "SELECT idx, account_id, family_id, indexed FROM posts"
            f" WHERE idx > {mark} ORDER BY idx LIMIT {mark}"
        )
        dbapi = self.engine.dialect.loaded_dbapi
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            last = after
            while True:
                try:
                    cursor.execute(sql, (last, chunk))
                    rows = cursor.fetchall()
                except dbapi.Error as exc:  # raised as SQLAlchemy's, like every other read
                    raise sa.exc.DBAPIError.instance(sql, (last, chunk), exc, dbapi.Error) from exc
                if not rows:
                    return
                yield from rows
                last = rows[-1][0]
        finally:
            raw.close()

    @property
    def media(self) -> MediaStore:
        return MediaStore(self.engine)

    @property
    def snapshots(self) -> Snapshots:
        return Snapshots(self.engine)

    def link_reader(self) -> LinkReader:
        """A reader of candidate rows for the linker, on a connection of its own."""
        return LinkReader(self.engine)

    def write_batch(
        self,
        rows: Sequence[PostRow],
        match_rows: Sequence[tuple[int, int, str, dict[str, Any]]],
        relabels: Sequence[tuple[int, int]],
        touched: Iterable[int],
        media_rows: Sequence[MediaRow] = (),
    ) -> None:
        """One transaction: new posts, their media, matches, family merges, families
        marked dirty."""
        with self.engine.begin() as conn:
            version = bump_generation(conn)
            insert_values(conn, posts, [post_values(r) for r in rows])
            insert_media(conn, media_rows)
            write_links(conn, match_rows, relabels, touched, version)
        self._unanalysed += len(rows)
        if self._unanalysed >= ANALYSE_EVERY:
            self._unanalysed = 0
            refresh_statistics(self.engine)

    @contextmanager
    def loading_posts(self, build_at_end: Callable[[], bool] = lambda: True) -> Iterator[bool]:
        """Around a load of posts: when the store holds none yet, its posts table's
        time, account and URL indexes are dropped and built once at the end (yields
        True). Kept up row by row, they cost a first ingest more than the rows
        themselves (100k posts: 3.2 s with them, 1.4 s and 0.4 s to build them after).
        A load that stops short still ends with them built; one killed outright leaves
        them to the next load (here) or relink (`ensure_indexes`), and so does one whose
        `build_at_end` says False when it ends: a relink follows, whose writer process
        builds them while it links (a million posts: ~7 s)."""
        with self.reading() as conn:
            empty = conn.execute(sa.select(posts.c.idx).limit(1)).first() is None
        if not empty:
            self.ensure_indexes()
            yield False
            return
        with self.engine.begin() as conn:
            for index in deferred_post_indexes():
                index.drop(conn, checkfirst=True)
        try:
            yield True
        except BaseException:
            # The load's own error is what the caller must see; indexes that cannot be
            # built now (a lost connection, say) are built by the next ingest or relink.
            with suppress(sa.exc.SQLAlchemyError):
                self.ensure_indexes()
            raise
        if build_at_end():
            self.ensure_indexes()

    def ensure_indexes(self) -> None:
        """Build any of the posts table's indexes that a load left unbuilt."""
        with self.engine.begin() as conn:
            for index in deferred_post_indexes():
                index.create(conn, checkfirst=True)

    def last_key(self) -> tuple[int, str] | None:
        """The (time, post id) of the latest stored post: posts linked after it, in time
        order, leave every family as a linking of all posts in time order would."""
        with self.reading() as conn:
            row = conn.execute(
                sa.select(posts.c.ts, posts.c.post_id)
                .order_by(posts.c.ts.desc(), posts.c.post_id.desc())
                .limit(1)
            ).first()
        return (int(row[0]), str(row[1])) if row else None

    def reset_links(self) -> list[int]:
        """Forget every link, family and cascade (the state a relink starts from); the
        posts' numbers are kept, so family ids and listing cursors stay valid. Returns
        the posts' numbers in time order (then post id): the order a relink follows."""
        with self.engine.begin() as conn:
            order = [
                int(r[0])
                for r in conn.execute(sa.select(posts.c.idx).order_by(posts.c.ts, posts.c.post_id))
            ]
            # Only the rows that hold links: after an ingest whose posts were only stored
            # (out of time order), none does, and rewriting every row cost a PostgreSQL
            # server 4 s per 100k posts (each row a new version in seven indexes).
            conn.execute(
                posts.update()
                .where(
                    sa.or_(
                        posts.c.family_id != posts.c.idx,
                        posts.c.parent_idx.is_not(None),
                        posts.c.lag_seconds.is_not(None),
                        posts.c.edge.is_not(None),
                    )
                )
                .values(family_id=posts.c.idx, parent_idx=None, lag_seconds=None, edge=None)
            )
            for table in (matches, families, family_stats):
                conn.execute(table.delete())
            bump_generation(conn, relinked=True)
        return order

    def writes_behind(
        self, *, own_process: bool = False, opener: Callable[[str], Any] | None = None
    ) -> Writes:
        """Writes that run while the caller goes on (`tracer.store.behind`): in a thread
        of their own on a database server; in SQLite at once, or with `own_process` (a
        caller that leaves a core idle) in a process of their own on the same file.
        There `opener(url)` (picklable; `Store.on_url` when None) opens what the writes
        are methods of."""
        on_file = self.engine.url.database not in (None, "", ":memory:")
        if self.in_process and own_process and on_file:
            url = self.engine.url.render_as_string(hide_password=False)
            return WritesInProcess(functools.partial(opener or Store.on_url, url))
        return WritesBehind(behind=not self.in_process)

    def write_links(
        self,
        links: Sequence[tuple[int, int, bytes]],
        match_rows: Sequence[tuple[int, int, str, dict[str, Any]]],
        relabels: Sequence[tuple[int, int]],
        touched: Iterable[int],
    ) -> None:
        """One transaction of a relink: (idx, family, indexed anchors) of stored posts,
        their matches, family merges, families marked dirty."""
        with self.engine.begin() as conn:
            bulk_update(conn, posts, "idx", ("family_id", "indexed"), links)
            version = bump_generation(conn, relinked=True)  # stored posts' anchors changed
            write_links(conn, match_rows, relabels, touched, version)

    # --- cascades ---------------------------------------------------------------

    def dirty_families(self, limit: int, after: int | None = None) -> list[int]:
        """Up to `limit` families marked dirty, by family key, after `after`: a caller
        whose writes clearing them run behind (`writes_behind`) goes on from there."""
        with self.reading() as conn:
            stmt = sa.select(families.c.family_id).where(families.c.dirty.is_(True))
            if after is not None:
                stmt = stmt.where(families.c.family_id > after)
            stmt = stmt.order_by(families.c.family_id).limit(limit)
            return [int(r[0]) for r in conn.execute(stmt)]

    def count_dirty(self) -> int:
        with self.reading() as conn:
            stmt = (
                sa.select(sa.func.count()).select_from(families).where(families.c.dirty.is_(True))
            )
            return int(conn.execute(stmt).scalar_one())

    def cascade_inputs(self, family_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Members of the given families with what cascade inference needs."""
        cols = (
            posts.c.idx,
            posts.c.post_id,
            posts.c.account_id,
            posts.c.ts,
            posts.c.anchors,
            posts.c.hashtags,
            posts.c.norm_text,
            posts.c.family_id,
            accounts.c.tier,
            accounts.c.parent_id,
        )
        out: list[dict[str, Any]] = []
        with self.reading() as conn:
            for chunk in chunks(family_ids, 900):
                stmt = (
                    sa.select(*cols)
                    .join(accounts, accounts.c.account_id == posts.c.account_id)
                    .where(posts.c.family_id.in_(chunk))
                )
                out.extend(dict(r) for r in conn.execute(stmt).mappings())
        return out

    def write_cascades(
        self, cascades: Sequence[CascadeRow], summaries: Sequence[dict[str, Any]]
    ) -> None:
        """One transaction: parents and edges of the members, family summaries, dirty
        cleared; then, after a bulk of new posts, fresh planner statistics."""
        with self.engine.begin() as conn:
            version = bump_generation(conn)
            bulk_update(
                conn,
                posts,
                "idx",
                ("parent_idx", "lag_seconds", "edge"),
                [
                    (
                        c.idx,
                        c.parent_idx,
                        c.lag_seconds,
                        orjson.dumps(c.edge).decode() if c.edge else None,
                    )
                    for c in cascades
                ],
            )
            bulk_update(
                conn,
                families,
                "family_id",
                ("size", "origin_idx", "release_idx", "dirty", "version"),
                [
                    (s["family_id"], s["size"], s["origin_idx"], s["release_idx"], False, version)
                    for s in summaries
                ],
            )
        if self._unanalysed >= ANALYSE_AFTER:
            self._unanalysed = 0
            refresh_statistics(self.engine)
