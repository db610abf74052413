"""The read side of the store: posts with their account, parent and family, families,
evidence, and the look-ups of search, the watch and the account summaries.

A mixin of `Store` (which holds the engine), kept apart because reads are most of the
API's traffic and none of an ingest's writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracer.models import Account, StoredPost
from tracer.store.rows import account_of, json_document, stored_post
from tracer.store.schema import accounts, families, matches, media, posts


@dataclass(frozen=True, slots=True)
class FoundPost:
    """A stored post a search found, with the size of its family."""

    post: StoredPost
    family_size: int
    """Posts in its family (1 for a post alone)."""


@dataclass(frozen=True, slots=True)
class AccountPost:
    """One post of an account with its cascade parent and its family's release."""

    post_id: str
    ts: int
    lag_seconds: int | None
    family: int
    shared: bool
    """In a family of more than one post."""
    parent_post: str | None
    parent_account: str | None
    release_post: str | None
    release_ts: int | None


class Reads:
    engine: Engine
    _post_stmt: sa.Select[Any] | None

    def reading(self) -> Connection:
        """A connection for reads (`with store.reading() as conn`). On PostgreSQL in
        autocommit: a read of one statement costs one round trip instead of three
        (BEGIN, the statement, and the pool's ROLLBACK when it is returned), and the
        statements psycopg prepares after a few uses stay prepared on the pooled
        connection (a ROLLBACK discards them). Each statement reads committed data, as
        a transaction at PostgreSQL's default READ COMMITTED would."""
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        return conn

    def _post_select(self) -> sa.Select[Any]:
        """Posts with their account, parent and family; built once per store, because
        building it (an alias and its column proxies) costs more than a look-up by key.
        Selects are immutable: `.where()` makes a new one."""
        if self._post_stmt is None:
            self._post_stmt = self._build_post_select()
        return self._post_stmt

    def _build_post_select(self) -> sa.Select[Any]:
        parent = posts.alias("parent")
        return (
            sa.select(
                posts.c.idx,
                posts.c.post_id,
                posts.c.account_id,
                posts.c.published_at,
                posts.c.text,
                posts.c.media,
                posts.c.url,
                posts.c.family_id,
                posts.c.lag_seconds,
                posts.c.edge,
                posts.c.norm_text,
                accounts.c.tier,
                accounts.c.region,
                accounts.c.parent_id.label("account_parent_id"),
                parent.c.post_id.label("parent_post_id"),
                families.c.family_id.label("shared_family"),
                families.c.version.label("family_version"),
            )
            .join(accounts, accounts.c.account_id == posts.c.account_id)
            .outerjoin(parent, parent.c.idx == posts.c.parent_idx)
            .outerjoin(families, families.c.family_id == posts.c.family_id)
        )

    def find_post(self, ref: str, url_key: str | None = None) -> StoredPost | None:
        found = self.find_post_versioned(ref, url_key)
        return found[0] if found else None

    def find_post_versioned(
        self, ref: str, url_key: str | None = None
    ) -> tuple[StoredPost, int | None] | None:
        """A post by id (or by normalised URL) with its family's version, read in one
        statement; the version is None for a post alone."""
        with self.reading() as conn:
            row = conn.execute(self._post_select().where(posts.c.post_id == ref)).mappings().first()
            if row is None and url_key:
                stmt = self._post_select().where(posts.c.url_key == url_key).order_by(posts.c.ts)
                row = conn.execute(stmt.limit(1)).mappings().first()
        if row is None:
            return None
        version = row["family_version"]
        return stored_post(row), None if version is None else int(version)

    def family_version(self, family_id: int) -> int | None:
        """A family's version (`families.version`): one look-up by key; None when there
        is no such family of two or more posts."""
        with self.reading() as conn:
            stmt = sa.select(families.c.version).where(families.c.family_id == family_id)
            value = conn.execute(stmt).scalar_one_or_none()
        return None if value is None else int(value)

    def family_posts(self, family_id: int) -> list[tuple[StoredPost, dict[str, Any] | None]]:
        """Members of a family with their stored edge, earliest first."""
        stmt = (
            self._post_select()
            .where(posts.c.family_id == family_id)
            .order_by(posts.c.ts, posts.c.post_id)
        )
        with self.reading() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [(stored_post(r), json_document(r["edge"]) if r["edge"] else None) for r in rows]

    def family_dirty(self, family_id: int) -> bool:
        with self.reading() as conn:
            stmt = sa.select(families.c.dirty).where(families.c.family_id == family_id)
            value = conn.execute(stmt).scalar_one_or_none()
        return bool(value)

    def evidence(self, post_id: str) -> list[dict[str, Any]]:
        """Verified matches that link this post to others, both directions."""
        this, other = posts.alias("this"), posts.alias("other")
        out: list[dict[str, Any]] = []
        with self.reading() as conn:
            for mine, theirs in (
                (matches.c.idx, matches.c.other_idx),
                (matches.c.other_idx, matches.c.idx),
            ):
                stmt = (
                    sa.select(other.c.post_id, matches.c.modality, matches.c.scores)
                    .join(this, this.c.idx == mine)
                    .join(other, other.c.idx == theirs)
                    .where(this.c.post_id == post_id)
                )
                for r in conn.execute(stmt):
                    out.append({"post_id": r[0], "modality": r[1], "scores": json_document(r[2])})
        return sorted(out, key=lambda e: e["post_id"])

    def counts(self) -> dict[str, int]:
        with self.reading() as conn:
            return {
                name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in (
                    ("accounts", accounts),
                    ("posts", posts),
                    ("families", families),
                    ("matches", matches),
                    ("media", media),
                )
            }

    # --- search, the watch, accounts ---------------------------------------------------

    def matched_pairs(self, after: int, upto: int) -> list[tuple[int, int]]:
        """(post, earlier post it matched) of the posts numbered after `after`, up to
        `upto` included: what a reader that holds the linker's state up to `after`
        needs to follow the merges of families since."""
        stmt = sa.select(matches.c.idx, matches.c.other_idx).where(
            matches.c.idx > after, matches.c.idx <= upto
        )
        with self.reading() as conn:
            return [(int(r[0]), int(r[1])) for r in conn.execute(stmt)]

    def found_posts(self, idxs: Sequence[int]) -> dict[int, FoundPost]:
        """The given posts (by number) with their families' sizes."""
        stmt = (
            self._post_select()
            .add_columns(families.c.size.label("family_size"))
            .where(posts.c.idx.in_(list(idxs)))
        )
        with self.reading() as conn:
            rows = conn.execute(stmt).mappings().all()
        out: dict[int, FoundPost] = {}
        for row in rows:
            post = stored_post(row)
            size = int(row["family_size"]) if post.family_id else 1
            out[int(row["idx"])] = FoundPost(post, size)
        return out

    def posts_in_windows(
        self,
        tiers: Sequence[str],
        start: int | None,
        end: int | None,
        windows: Sequence[tuple[int, int]] | None = None,
        family_words: Sequence[str] | None = None,
    ) -> list[StoredPost]:
        """Posts of accounts of `tiers` from `start` (inclusive) to `end` (exclusive, UTC
        seconds), in time order; with `windows`, only inside one of them; with
        `family_words`, only those whose family holds a post with one of the words."""
        where: list[sa.ColumnElement[bool]] = [accounts.c.tier.in_(list(tiers))]
        if start is not None:
            where.append(posts.c.ts >= start)
        if end is not None:
            where.append(posts.c.ts < end)
        if windows is not None:
            inside = (sa.and_(posts.c.ts >= low, posts.c.ts < high) for low, high in windows)
            where.append(sa.or_(*inside, sa.false()))
        if family_words is not None:
            carriers = sa.select(posts.c.family_id).where(
                sa.or_(*(posts.c.norm_text.like(f"%{w}%") for w in family_words), sa.false())
            )
            where.append(posts.c.family_id.in_(carriers))
        stmt = self._post_select().where(*where).order_by(posts.c.ts, posts.c.post_id)
        with self.reading() as conn:
            return [stored_post(r) for r in conn.execute(stmt).mappings()]

    def family_members(self, family_ids: Sequence[int]) -> dict[str, list[StoredPost]]:
        """The members of the given families by public id, earliest first, in one query
        per 500 families."""
        wanted = sorted(set(family_ids))
        out: dict[str, list[StoredPost]] = {}
        with self.reading() as conn:
            for start in range(0, len(wanted), 500):
                stmt = (
                    self._post_select()
                    .where(posts.c.family_id.in_(wanted[start : start + 500]))
                    .order_by(posts.c.ts, posts.c.post_id)
                )
                for row in conn.execute(stmt).mappings():
                    member = stored_post(row)
                    out.setdefault(member.family_id or "", []).append(member)
        return out

    def accounts_after(self, tier: str | None, after: str | None, limit: int) -> list[Account]:
        """Up to `limit` accounts by id after `after`, of `tier` when given."""
        stmt = sa.select(accounts).order_by(accounts.c.account_id)
        if tier is not None:
            stmt = stmt.where(accounts.c.tier == tier)
        if after is not None:
            stmt = stmt.where(accounts.c.account_id > after)
        with self.reading() as conn:
            return [account_of(r) for r in conn.execute(stmt.limit(limit)).mappings()]

    def post_counts(self, account_ids: Sequence[str]) -> dict[str, int]:
        stmt = (
            sa.select(posts.c.account_id, sa.func.count())
            .where(posts.c.account_id.in_(list(account_ids)))
            .group_by(posts.c.account_id)
        )
        with self.reading() as conn:
            return {str(a): int(n) for a, n in conn.execute(stmt).all()}

    def account_posts(self, account_id: str) -> list[AccountPost]:
        """An account's posts, latest first, with their parents and releases."""
        parent, release = posts.alias("parent"), posts.alias("release")
        stmt = (
            sa.select(
                posts.c.post_id,
                posts.c.ts,
                posts.c.lag_seconds,
                posts.c.family_id,
                parent.c.account_id.label("parent_account"),
                parent.c.post_id.label("parent_post"),
                release.c.post_id.label("release_post"),
                release.c.ts.label("release_ts"),
                families.c.family_id.label("shared"),
            )
            .outerjoin(parent, parent.c.idx == posts.c.parent_idx)
            .outerjoin(families, families.c.family_id == posts.c.family_id)
            .outerjoin(release, release.c.idx == families.c.release_idx)
            .where(posts.c.account_id == account_id)
            .order_by(posts.c.ts.desc(), posts.c.idx.desc())
        )
        with self.reading() as conn:
            rows = conn.execute(stmt).all()
        return [
            AccountPost(
                r.post_id,
                int(r.ts),
                r.lag_seconds,
                int(r.family_id),
                r.shared is not None,
                r.parent_post,
                r.parent_account,
                r.release_post,
                None if r.release_ts is None else int(r.release_ts),
            )
            for r in rows
        ]
