"""Rows the store exchanges with the linker and the cascade pass (plain values), and
the conversions between table rows and the values of `tracer.models`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from tracer.models import Account, StoredPost, Tier
from tracer.store.family_id import FamilyId


class PostRow(NamedTuple):
    """A new post as the linker hands it to the store: a named tuple, built for every
    post of an ingest (a frozen dataclass's `__init__` costs several times more)."""

    idx: int
    post_id: str
    account_id: str
    published_at: datetime
    text: str
    media: tuple[str, ...]
    url: str | None
    url_key: str | None
    extra: dict[str, Any]
    digest: str
    norm_text: str
    hashtags: tuple[str, ...]
    anchors: bytes
    indexed: bytes
    family_id: int


@dataclass(frozen=True, slots=True)
class LinkRow:
    """What the linker needs of a stored post: enough to verify a candidate against it."""

    idx: int
    post_id: str
    account_id: str
    norm_text: str
    anchors: bytes
    has_media: bool = True
    """Whether the post lists media files (False: no media rows to read for it)."""


@dataclass(frozen=True, slots=True)
class CascadeRow:
    idx: int
    parent_idx: int | None
    lag_seconds: int | None
    edge: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class MediaRow:
    """One media file of a post: its fingerprint, the text read off it, or why not."""

    idx: int
    ordinal: int
    path: str
    sha256: str | None
    kind: str
    algorithm: str | None
    fingerprint: bytes | None
    ocr: str | None
    error: str | None
    thumbnail: bytes | None = None
    """A small JPEG for verification cards."""
    ocr_params: str | None = None
    """What `ocr` depends on (`tracer.prepare.reading_params`); None: not to be reused."""


def json_document(text: str) -> Any:
    """A stored JSON document as a value, its objects' keys sorted: the same on every
    database (PostgreSQL's JSONB does not keep the order they were written in)."""
    return orjson.loads(orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS))


def account_row(a: Account) -> dict[str, Any]:
    """An account as the `accounts` table holds it."""
    return {
        "account_id": a.account_id,
        "platform": a.platform,
        "handle": a.handle,
        "name": a.name,
        "tier": a.tier,
        "region": a.region,
        "parent_id": a.parent_id,
    }


def account_of(r: Any) -> Account:
    """An `accounts` row as a value."""
    tier: Tier = r["tier"]
    return Account(
        r["account_id"], r["platform"], r["handle"], r["name"], tier, r["region"], r["parent_id"]
    )


def post_values(r: PostRow) -> tuple[Any, ...]:
    """A new post as the `posts` table holds it, in the table's column order (cascade
    columns filled later): a tuple, as the driver takes it, rather than a dict for each
    of an ingest's posts."""
    return (
        r.idx,
        r.post_id,
        r.account_id,
        r.published_at.astimezone(UTC).isoformat(),
        int(r.published_at.timestamp()),
        r.text,
        orjson.dumps(r.media).decode(),
        r.url,
        r.url_key,
        orjson.dumps(r.extra).decode(),
        r.digest,
        r.norm_text,
        orjson.dumps(r.hashtags).decode(),
        r.anchors,
        r.indexed,
        r.family_id,
        None,  # parent_idx
        None,  # lag_seconds
        None,  # edge
    )


def stored_post(r: Any) -> StoredPost:
    """A row of `Store`'s post select (post, account, parent, family) as a value."""
    tier: Tier = r["tier"]
    return StoredPost(
        post_id=r["post_id"],
        account_id=r["account_id"],
        tier=tier,
        region=r["region"],
        account_parent_id=r["account_parent_id"],
        published_at=datetime.fromisoformat(r["published_at"]),
        text=r["text"],
        media=tuple(orjson.loads(r["media"])),
        url=r["url"],
        family_id=str(FamilyId(r["family_id"])) if r["shared_family"] is not None else None,
        parent_id=r["parent_post_id"],
        lag_seconds=r["lag_seconds"],
    )
