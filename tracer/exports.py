"""Family graphs as data: node-link JSON (the one shape the API and the CLI share)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracer.models import Edge, StoredPost, iso_utc


def node(post: StoredPost) -> dict[str, Any]:
    return {
        "id": post.post_id,
        "account_id": post.account_id,
        "tier": post.tier,
        "region": post.region,
        "published_at": iso_utc(post.published_at),
        "timestamp": post.timestamp,
        "url": post.url,
    }


def edge(e: Edge) -> dict[str, Any]:
    return {
        "source": e.source,
        "target": e.target,
        "lag_seconds": e.lag_seconds,
        "modality": e.modality,
        "scores": e.scores,
        "reason": e.reason,
    }


def node_link(
    family_id: str | None, posts: Sequence[StoredPost], edges: Sequence[Edge]
) -> dict[str, Any]:
    """networkx-compatible node-link data (`edges` key), directed parent → copy."""
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"family_id": family_id},
        "nodes": [node(p) for p in posts],
        "edges": [edge(e) for e in edges],
    }
