"""Response schemas at the HTTP boundary (the library hands out plain dicts and dataclasses)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class PostOut(BaseModel):
    post_id: str
    account_id: str
    tier: Literal["central", "province", "regency", "other"]
    region: str
    published_at: str = Field(description="ISO 8601, UTC")
    text: str
    media: list[str]
    url: str | None
    family_id: str | None


class NodeOut(BaseModel):
    id: str
    account_id: str
    tier: str
    region: str
    published_at: str
    timestamp: int
    url: str | None


class EdgeOut(BaseModel):
    source: str = Field(description="The parent post (copied from)")
    target: str = Field(description="The copy")
    lag_seconds: int
    modality: str
    scores: dict[str, float]
    reason: str


class GraphOut(BaseModel):
    directed: bool
    multigraph: bool
    graph: dict[str, Any]
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class TraceOut(BaseModel):
    post: PostOut
    family_id: str | None
    origin: PostOut | None
    release: PostOut | None
    parent: str | None
    path: list[str] = Field(description="Post ids from the origin to this post")
    graph: GraphOut


class VerifyOut(BaseModel):
    post_id: str
    verdict: Literal["supported", "contradicted", "not_found"]
    reason: str
    release: PostOut | None
    lag_seconds: int | None
    altered: bool
    changes: dict[str, Any]
    evidence: list[dict[str, Any]]
    corroboration: dict[str, Any]
    first_seen: PostOut | None
    times: dict[str, Any]
    """Release and post times in UTC and in the zone of the post's region."""
    flags: list[dict[str, Any]]
    """Context: a campaign period, political terms; each with its source."""


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
