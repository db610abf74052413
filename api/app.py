"""The application factory: settings in, app out; nothing is built at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

import tracer
from api import errors, metrics, security
from api.routes import (
    accounts,
    docs,
    embed,
    families,
    health,
    ingest,
    pages,
    posts,
    search,
    trace,
    verification,
    watch,
)
from api.schemas import CytoscapeOut, GrafanaOut, Problem
from tracer import DEFAULT_POLICY, MatchPolicy, Settings, StoreError, Tracer, load_context

log = logging.getLogger("tracer.api")


def create_app(settings: Settings | None = None, policy: MatchPolicy = DEFAULT_POLICY) -> FastAPI:
    settings = settings or Settings()
    context = load_context(settings.context_file) if settings.context_file else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.tracer = Tracer.open(
            settings.db, policy, context, graph_cache_bytes=settings.graph_cache_mb * 1_000_000
        )
        app.state.warm = threading.Event()
        threading.Thread(target=_warm_up, args=(app,), name="tracer-warm-up", daemon=True).start()
        try:
            yield
        finally:
            app.state.tracer.close()

    app = FastAPI(
        title="tracer",
        version=tracer.__version__,
        description="Where did this post come from? Cascades and verdicts for re-posted "
        "government content.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(app)
    security.install(app, settings)
    metrics.install(app)
    for group in (trace, verification, posts, families, accounts, search, ingest, health, watch):
        app.include_router(group.router)
    docs.install(app, settings.node_modules)
    embed.install(app, settings.node_modules)
    app.include_router(pages.router)
    _declare_problem_schema(app)
    return app


def _warm_up(app: FastAPI) -> None:
    """Load the linker of `POST /search` and `POST /verify` in the background at
    start-up, from the stored snapshot (or from the posts: ~17 s at 1M posts), which
    their first caller would otherwise wait for; `/readyz` says ready once it is
    loaded. Then bring the family summaries up to date (a `/families` listing that
    comes first waits for them) and store the linker as the snapshot the next replica
    opens, if this one had to build it."""
    door = app.state.tracer
    try:
        door.warm(summaries=False)
    except StoreError as exc:  # the store closed under it, or is unusable: reads say so
        log.warning("%s", exc)
        return
    finally:
        app.state.warm.set()
    try:
        door.warm()
        door.share_indexes(built=True)
    except StoreError as exc:
        log.warning("%s", exc)


def _declare_problem_schema(app: FastAPI) -> None:
    """Add the models that responses refer to by hand (the Problem of every error, the
    graph formats) to the OpenAPI components."""
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        _, defs = models_json_schema(
            [(m, "serialization") for m in (Problem, CytoscapeOut, GrafanaOut)],
            ref_template="#/components/schemas/{model}",
        )
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
