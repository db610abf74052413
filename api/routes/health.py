"""`/livez`, `/readyz` and `/metrics`: for orchestrators and Prometheus."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import MetricsDep, TracerDep
from api.errors import problems
from api.schemas import Live, Ready

router = APIRouter(tags=["health"])


@router.get("/livez", response_model=Live)
def livez() -> dict[str, Any]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready, responses=problems(503))
def readyz(request: Request, door: TracerDep) -> dict[str, Any]:
    """The database answers and holds the schema version this tracer expects, and the
    linker of `POST /search` and `POST /verify` is loaded (from the stored snapshot, or
    built from the posts)."""
    version = door.ready()
    if not request.app.state.warm.is_set():
        raise HTTPException(503, "warming up: loading the search index")
    return {"status": "ready", "schema_version": version}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
def metrics(door: TracerDep, collected: MetricsDep) -> Response:
    """Prometheus text format: requests and latency per route, posts and families, the
    graph cache."""
    counts = door.counts()
    collected.posts.set(counts["posts"])
    collected.families.set(counts["families"])
    for figure, value in door.graph_cache().items():
        collected.graph_cache.labels(figure).set(value)
    return Response(generate_latest(collected.registry), media_type=CONTENT_TYPE_LATEST)
