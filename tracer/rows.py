"""Rows the store exchanges with the linker and the cascade pass (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PostRow:
    """A new post as the linker hands it to the store."""

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
