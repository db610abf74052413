"""Dependencies as `Annotated` aliases: the store, the settings and the read-side
caches live on `app.state`, built by `create_app`."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, HTTPException, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from api.metrics import Metrics
from tracer.config import Settings
from tracer.context import Context
from tracer.matching import MatchPolicy
from tracer.search import SearchIndex
from tracer.store import Store
from tracer.store.listings import FamilyStats

P = ParamSpec("P")
T = TypeVar("T")
API_KEY = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="One of the keys in TRACER_API_KEYS; write routes require it.",
)


async def read(store: Store, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a read of the store from an `async` route: in the route itself on SQLite (an
    in-process read of a millisecond costs less than a hop to a thread), in the thread
    pool on a database server (PostgreSQL), whose round trips would otherwise hold the
    event loop and serialise the replica's requests (/trace at 100k posts, 16 clients:
    133 -> 293 requests/s)."""
    if store.in_process:
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_policy(request: Request) -> MatchPolicy:
    policy: MatchPolicy = request.app.state.policy
    return policy


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def get_context(request: Request) -> Context | None:
    """The context rules of `TRACER_CONTEXT_FILE`, or None for the shipped ones."""
    context: Context | None = request.app.state.context
    return context


def get_search_index(request: Request) -> SearchIndex:
    index: SearchIndex = request.app.state.search_index
    return index


def fresh_family_stats(request: Request) -> Store:
    """The store, with its family summaries brought up to date first."""
    store = get_store(request)
    stats: FamilyStats = request.app.state.family_stats
    stats.ensure_fresh(store)
    return store


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    key: Annotated[str | None, Security(API_KEY)],
) -> None:
    if not settings.api_keys:
        raise HTTPException(401, "writes are disabled: no API key is configured")
    if not key or not any(hmac.compare_digest(key, known) for known in settings.api_keys):
        raise HTTPException(401, "missing or unknown X-API-Key", {"WWW-Authenticate": "ApiKey"})


StoreDep = Annotated[Store, Depends(get_store)]
FamilyStoreDep = Annotated[Store, Depends(fresh_family_stats)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PolicyDep = Annotated[MatchPolicy, Depends(get_policy)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
SearchIndexDep = Annotated[SearchIndex, Depends(get_search_index)]
ContextDep = Annotated[Context | None, Depends(get_context)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="The `next` value of the previous page (opaque)"),
]
