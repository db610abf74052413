"""The database schema: SQLAlchemy Core tables and their indexes (the migrations that
create them are in `tracer.store.migrations`). Written once for both databases; the
types that differ (`JsonText`, `RowId`) come from `tracer.store.dialects`: fingerprints
are BLOB / bytea, times BIGINT, JSON documents TEXT / JSONB, post numbers INTEGER /
BIGINT."""

from __future__ import annotations

import sqlalchemy as sa

from tracer.store.dialects import JsonText, RowId

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("account_id", sa.Text, primary_key=True),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("handle", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("tier", sa.Text, nullable=False),
    sa.Column("region", sa.Text, nullable=False),
    sa.Column("parent_id", sa.Text),
)
posts = sa.Table(
    "posts",
    metadata,
    sa.Column("idx", RowId, primary_key=True, autoincrement=False),
    sa.Column("post_id", sa.Text, nullable=False, unique=True),
    sa.Column("account_id", sa.Text, nullable=False, index=True),
    sa.Column("published_at", sa.Text, nullable=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("media", JsonText, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("url_key", sa.Text, index=True),
    sa.Column("extra", JsonText, nullable=False),
    sa.Column("digest", sa.Text, nullable=False),
    sa.Column("norm_text", sa.Text, nullable=False),
    sa.Column("hashtags", JsonText, nullable=False),
    sa.Column("anchors", sa.LargeBinary, nullable=False),
    sa.Column("indexed", sa.LargeBinary, nullable=False),
    sa.Column("family_id", RowId, nullable=False, index=True),
    sa.Column("parent_idx", RowId),
    sa.Column("lag_seconds", sa.BigInteger),
    sa.Column("edge", JsonText),
)
families = sa.Table(
    "families",
    metadata,
    sa.Column("family_id", RowId, primary_key=True, autoincrement=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("origin_idx", RowId),
    sa.Column("release_idx", RowId),
    sa.Column("dirty", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
)
"""`version`: the store's generation (`tracer.store.generation`) of the last write that
changed the family (members, links, parents): a family's content is a function of
(family_id, version), so readers cache what they build from it under that key."""
matches = sa.Table(
    "matches",
    metadata,
    sa.Column("idx", RowId, primary_key=True, autoincrement=False),
    sa.Column("other_idx", RowId, primary_key=True, autoincrement=False),
    sa.Column("modality", sa.Text, nullable=False),
    sa.Column("scores", JsonText, nullable=False),
)
media = sa.Table(
    "media",
    metadata,
    sa.Column("idx", RowId, primary_key=True, autoincrement=False),
    sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("algorithm", sa.Text),
    sa.Column("fingerprint", sa.LargeBinary),
    sa.Column("ocr", sa.Text),
    sa.Column("thumbnail", sa.LargeBinary),
    sa.Column("error", sa.Text),
    sa.Column("ocr_params", sa.Text),
)
sa.Index("ix_media_sha256", media.c.sha256)
family_stats = sa.Table(
    "family_stats",
    metadata,
    sa.Column("family_id", RowId, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("accounts", sa.Integer, nullable=False),
    sa.Column("regions", JsonText, nullable=False),
    sa.Column("first_ts", sa.BigInteger, nullable=False),
    sa.Column("last_ts", sa.BigInteger, nullable=False),
    sa.Column("median_lag", sa.BigInteger),
    sa.Column("origin_idx", RowId),
    sa.Column("release_idx", RowId),
)
"""Read-side summaries of families for the listing (`tracer.store.listings`); derived, so a
row is recomputed whenever `version` (the family's size) no longer matches."""
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("part", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("epoch", sa.BigInteger, nullable=False),
    sa.Column("writes", sa.BigInteger, nullable=False),
    sa.Column("last_idx", sa.BigInteger, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
)
"""Derived state that processes build once and share (`tracer.store.snapshots`): the
linker's indexes as of a generation (`epoch`, `writes`), holding the posts up to
`last_idx`, in parts of a few MB."""
sa.Index("ix_families_dirty", families.c.dirty)
sa.Index("ix_matches_other", matches.c.other_idx)
ix_posts_ts = sa.Index("ix_posts_ts", posts.c.ts, posts.c.idx)
ix_posts_account_ts = sa.Index("ix_posts_account_ts", posts.c.account_id, posts.c.ts, posts.c.idx)
ix_stats = [
    sa.Index(f"ix_family_stats_{name}", family_stats.c[name], family_stats.c.family_id)
    for name in ("size", "first_ts", "last_ts", "median_lag")
]


def deferred_post_indexes() -> list[sa.Index]:
    """The posts table's indexes that a load into an empty table builds once at its end
    (`Store.loading_posts`): by time, account and URL, each filled in another order than
    the posts are numbered in. The primary key, the unique post id (which a load asks
    for its duplicates) and the family (which linking rewrites by) are kept."""
    return sorted(
        (ix for ix in posts.indexes if ix.name != "ix_posts_family_id"), key=lambda ix: str(ix.name)
    )
