"""Dependencies as `Annotated` aliases: the one `Tracer` (the store, the policy, the
context rules and the warm caches) and the settings live on `app.state`, built by
`create_app`."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, HTTPException, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from api.metrics import Metrics
from tracer import Settings, Tracer

P = ParamSpec("P")
T = TypeVar("T")
API_KEY = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="One of the keys in TRACER_API_KEYS; write routes require it.",
)


def get_tracer(request: Request) -> Tracer:
    door: Tracer = request.app.state.tracer
    return door


async def read(door: Tracer, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a read of the store from an `async` route: in the route itself on SQLite (an
    in-process read of a millisecond costs less than a hop to a thread), in the thread
    pool on a database server (PostgreSQL), whose round trips would otherwise hold the
    event loop and serialise the replica's requests (/trace at 100k posts, 16 clients:
    133 -> 293 requests/s)."""
    if door.store.in_process:
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    key: Annotated[str | None, Security(API_KEY)],
) -> None:
    if not settings.api_keys:
        raise HTTPException(401, "writes are disabled: no API key is configured")
    if not key or not any(hmac.compare_digest(key, known) for known in settings.api_keys):
        raise HTTPException(401, "missing or unknown X-API-Key", {"WWW-Authenticate": "ApiKey"})


TracerDep = Annotated[Tracer, Depends(get_tracer)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="The `next` value of the previous page (opaque)"),
]
