"""Read-side queries of the HTTP API: listings with keyset cursors, family summaries.

Every listing is ordered by a unique key (a value and a row id) and continues *after*
the last key it returned, never at an OFFSET: a page costs one index range scan however
deep it is, and posts inserted meanwhile neither repeat nor shift later pages. Cursors
are that key, encoded; they are opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import logging
import statistics
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import sqlalchemy as sa

from tracer.errors import InputError, NotFoundError
from tracer.models import iso_utc
from tracer.normalize import normalize_text
from tracer.store import Store
from tracer.store.family_id import FamilyId
from tracer.store.generation import Generation
from tracer.store.rows import stored_post
from tracer.store.schema import accounts, families, family_stats, posts
from tracer.store.writelock import SUMMARIES_KEY, transaction_lock

log = logging.getLogger("tracer.store.listings")
FamilySort = Literal["size", "first_seen", "last_seen", "median_lag"]
Order = Literal["asc", "desc"]
Q_SCAN_ROWS = 20_000
"""Posts a page with `q` looks at, at most (a LIKE per word over each)."""
MAX_QUERY_WORDS = 8
"""`q` keeps this many words; each is one more LIKE over the scanned rows."""


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next: str | None

    def to_json(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next}


def encode_cursor(kind: str, key: Sequence[Any]) -> str:
    raw = orjson.dumps([kind, *key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str, types: Sequence[type]) -> list[Any]:
    """The key a cursor carries, checked against the listing it was made for."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = orjson.loads(raw)
    except (binascii.Error, ValueError):
        raise InputError("invalid cursor") from None
    if (
        not isinstance(value, list)
        or len(value) != len(types) + 1
        or value[0] != kind
        or not all(
            isinstance(v, t) and not isinstance(v, bool)
            for v, t in zip(value[1:], types, strict=True)
        )
    ):
        raise InputError("invalid cursor")
    return value[1:]


def _utc_seconds(moment: datetime | None, name: str) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise InputError(f"{name} needs a UTC offset (e.g. 2024-01-27T00:00:00Z)")
    return int(moment.timestamp())


def _like_words(q: str) -> list[str]:
    """`q` folded by the one normaliser, as LIKE patterns (wildcards escaped)."""
    words = list(dict.fromkeys(normalize_text(q).tokens))[:MAX_QUERY_WORDS]
    if not words:
        raise InputError("q has no words once normalised")
    escaped = (w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
    return [f"%{w}%" for w in escaped]


def list_posts(
    store: Store,
    *,
    account: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Posts in time order (`since` inclusive, `until` exclusive). `q` keeps posts whose
    normalised text holds every word of it (substring match), looking at no more than
    `Q_SCAN_ROWS` posts of the other filters' range per page: a page with `q` may hold
    fewer than `limit` posts, even none, and still have a `next`."""
    key = sa.tuple_(posts.c.ts, posts.c.idx)
    where: list[sa.ColumnElement[bool]] = []
    if account is not None:
        where.append(posts.c.account_id == account)
    low, high = _utc_seconds(since, "since"), _utc_seconds(until, "until")
    if low is not None:
        where.append(posts.c.ts >= low)
    if high is not None:
        where.append(posts.c.ts < high)
    if cursor:
        ts, idx = decode_cursor("posts", cursor, (int, int))
        where.append(key > sa.tuple_(ts, idx))
    stmt = store._post_select().where(*where)
    window: sa.Subquery | None = None
    if q:
        window = (
            sa.select(posts.c.ts, posts.c.idx)
            .where(*where)
            .order_by(posts.c.ts, posts.c.idx)
            .limit(Q_SCAN_ROWS)
            .subquery()
        )
        stmt = stmt.where(posts.c.idx.in_(sa.select(window.c.idx)))
        for pattern in _like_words(q):
            stmt = stmt.where(posts.c.norm_text.like(pattern, escape="\\"))
    stmt = stmt.order_by(posts.c.ts, posts.c.idx).limit(limit + 1)
    with store.reading() as conn:
        rows = conn.execute(stmt).mappings().all()
        last_key: tuple[int, int] | None = None
        if len(rows) > limit:
            last = rows[limit - 1]
            last_key = (_seconds(last["published_at"]), int(last["idx"]))
        elif window is not None:
            scanned = conn.execute(sa.select(sa.func.count()).select_from(window)).scalar_one()
            if scanned == Q_SCAN_ROWS:  # more rows beyond the window: continue after it
                edge = conn.execute(
                    sa.select(window.c.ts, window.c.idx)
                    .order_by(window.c.ts.desc(), window.c.idx.desc())
                    .limit(1)
                ).one()
                last_key = (int(edge[0]), int(edge[1]))
    items = [stored_post(r).to_json() for r in rows[:limit]]
    return Page(items, encode_cursor("posts", last_key) if last_key else None)


def _seconds(published_at: str) -> int:
    return int(datetime.fromisoformat(published_at).timestamp())


# --- families --------------------------------------------------------------------


def _family_stats_rows(store: Store, family_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Summaries of the given (non-dirty) families, computed from their members."""
    out: list[dict[str, Any]] = []
    with store.reading() as conn:
        for start in range(0, len(family_ids), 500):
            chunk = family_ids[start : start + 500]
            heads = {
                int(r.family_id): r
                for r in conn.execute(sa.select(families).where(families.c.family_id.in_(chunk)))
            }
            stmt = (
                sa.select(
                    posts.c.family_id,
                    posts.c.idx,
                    posts.c.ts,
                    posts.c.account_id,
                    accounts.c.region,
                )
                .join(accounts, accounts.c.account_id == posts.c.account_id)
                .where(posts.c.family_id.in_(chunk))
            )
            members: dict[int, list[Any]] = {}
            for r in conn.execute(stmt):
                members.setdefault(int(r.family_id), []).append(r)
            for family_id, rows in members.items():
                head = heads.get(family_id)
                if head is None:
                    continue
                ref_idx = head.release_idx or head.origin_idx
                ref_ts = next((r.ts for r in rows if r.idx == ref_idx), min(r.ts for r in rows))
                lags = [r.ts - ref_ts for r in rows if r.idx != ref_idx and r.ts >= ref_ts]
                out.append(
                    {
                        "family_id": family_id,
                        "version": head.size,
                        "size": len(rows),
                        "accounts": len({r.account_id for r in rows}),
                        "regions": orjson.dumps(
                            sorted({r.region for r in rows if r.region})
                        ).decode(),
                        "first_ts": min(r.ts for r in rows),
                        "last_ts": max(r.ts for r in rows),
                        "median_lag": int(statistics.median(lags)) if lags else None,
                        "origin_idx": head.origin_idx,
                        "release_idx": head.release_idx,
                    }
                )
    return out


class FamilyStats:
    """Keeps `family_stats` in step with the families; cheap to call before each read.

    A summary is recomputed when its family's size changed (a post joined, families
    merged) and dropped when its family is gone; families still being ingested (dirty)
    keep their last summary until their cascade is stored. When the database is busy
    (an ingest's transaction), the stored summaries are served and the refresh is tried
    again on the next call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: Generation | None = None

    def ensure_fresh(self, store: Store) -> int:
        key = store.generation()  # moves with every write, this process's or another's
        if key == self._generation:
            return 0
        with self._lock:
            try:
                done = refresh_family_stats(store)
            except sa.exc.OperationalError as exc:  # a long ingest holds the database
                log.warning("family summaries left as they are for now: %s", exc.orig)
                return 0
            self._generation = key
        return done


def refresh_family_stats(store: Store) -> int:
    """Recompute the stale summaries; returns how many were written."""
    stats = family_stats
    stale_stmt = (
        sa.select(families.c.family_id)
        .outerjoin(stats, stats.c.family_id == families.c.family_id)
        .where(families.c.dirty.is_(False), families.c.size > 1)
        .where(
            sa.or_(
                stats.c.family_id.is_(None),
                stats.c.version != families.c.size,
                stats.c.release_idx.is_distinct_from(families.c.release_idx),
            )
        )
    )
    with store.reading() as conn:
        stale = [int(r[0]) for r in conn.execute(stale_stmt)]
    rows = _family_stats_rows(store, stale)
    with store.engine.begin() as conn:
        transaction_lock(conn, SUMMARIES_KEY)  # replicas refresh one at a time
        gone = ~sa.exists().where(families.c.family_id == stats.c.family_id)
        conn.execute(stats.delete().where(gone))
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            conn.execute(
                stats.delete().where(stats.c.family_id.in_([r["family_id"] for r in chunk]))
            )
            conn.execute(stats.insert(), chunk)
    return len(rows)


_SORT_COLUMNS = {
    "size": family_stats.c.size,
    "first_seen": family_stats.c.first_ts,
    "last_seen": family_stats.c.last_ts,
    "median_lag": family_stats.c.median_lag,
}


def list_families(
    store: Store,
    *,
    sort: FamilySort = "last_seen",
    order: Order = "desc",
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Family summaries, sorted; ties and pages are broken by family id. Families
    without a median lag (no post after the release) sort as lag -1."""
    column = _SORT_COLUMNS[sort]
    value = sa.func.coalesce(column, -1) if sort == "median_lag" else column
    stmt = _family_select()
    if cursor:
        last_value, last_id = decode_cursor(f"families:{sort}:{order}", cursor, (int, int))
        key, bound = sa.tuple_(value, family_stats.c.family_id), sa.tuple_(last_value, last_id)
        stmt = stmt.where(key > bound if order == "asc" else key < bound)
    if order == "asc":
        stmt = stmt.order_by(value.asc(), family_stats.c.family_id.asc())
    else:
        stmt = stmt.order_by(value.desc(), family_stats.c.family_id.desc())
    with store.reading() as conn:
        rows = conn.execute(stmt.limit(limit + 1)).mappings().all()
        items = _family_items(conn, store, rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        sort_value = last[column.name]
        key_value = -1 if sort_value is None else int(sort_value)
        next_cursor = encode_cursor(f"families:{sort}:{order}", (key_value, last["family_id"]))
    return Page(items, next_cursor)


def _family_select() -> sa.Select[Any]:
    return sa.select(family_stats)


def _family_items(conn: sa.Connection, store: Store, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Summaries as JSON, with their release and origin posts fetched in one query."""
    wanted = {i for r in rows for i in (r["release_idx"], r["origin_idx"]) if i is not None}
    found: dict[int, dict[str, Any]] = {}
    if wanted:
        stmt = store._post_select().where(posts.c.idx.in_(sorted(wanted)))
        found = {r["idx"]: stored_post(r).to_json() for r in conn.execute(stmt).mappings()}
    return [
        {
            "family_id": str(FamilyId(row["family_id"])),
            "size": row["size"],
            "accounts": row["accounts"],
            "regions": orjson.loads(row["regions"]),
            "first_seen": _iso(row["first_ts"]),
            "last_seen": _iso(row["last_ts"]),
            "median_lag_seconds": row["median_lag"],
            "release": found.get(row["release_idx"]),
            "origin": found.get(row["origin_idx"]),
        }
        for row in rows
    ]


def _iso(ts: int) -> str:
    return iso_utc(datetime.fromtimestamp(ts, UTC))


def parse_family_id(family_id: str) -> int:
    """`F12` → 12; anything else is an unknown family (`FamilyId.parse`)."""
    return FamilyId.parse(family_id).number


def family_summary(store: Store, family_id: str) -> dict[str, Any]:
    """One family's summary, with its accounts counted per tier."""
    numeric = parse_family_id(family_id)
    with store.reading() as conn:
        row = (
            conn.execute(_family_select().where(family_stats.c.family_id == numeric))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"no family {family_id!r}")
        summary = _family_items(conn, store, [row])[0]
        tiers = conn.execute(
            sa.select(accounts.c.tier, sa.func.count(sa.distinct(posts.c.account_id)))
            .join(accounts, accounts.c.account_id == posts.c.account_id)
            .where(posts.c.family_id == numeric)
            .group_by(accounts.c.tier)
        ).all()
    summary["by_tier"] = {str(t): int(n) for t, n in sorted(tiers)}
    return summary
