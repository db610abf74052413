"""The one mapping from errors to `application/problem+json` responses.

Library errors (`tracer.errors`) and HTTP-level refusals (401, 413, 429, raised as
`HTTPException` by the security layer) all leave as one shape; 5xx answers say nothing
about internals (no paths, SQL or tracebacks), the log has them.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from tracer import BusyError, InputError, NotFoundError, StoreError, TracerError

log = logging.getLogger("tracer.api")
PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request: the library refused the input",
    401: "Missing or unknown API key",
    404: "Not found",
    409: "Another ingest is writing to the database; see Retry-After",
    413: "Request body too large",
    415: "Unsupported body type",
    422: "Invalid parameters",
    429: "Too many requests; see Retry-After",
    503: "Service unavailable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring problem+json bodies for the given statuses."""
    return {
        status: {
            "model": None,
            "description": TITLES[status],
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


BUSY_RETRY_SECONDS = 30
"""What a 409 of a busy database suggests in Retry-After."""
PROBLEM_RESPONSES = problems(400, 404, 422, 429)
"""What every read route may answer besides its 200."""


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return problem(404, "Not Found", str(exc))

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return problem(400, "Bad Request", str(exc))

    @app.exception_handler(BusyError)
    async def busy(_: Request, exc: BusyError) -> JSONResponse:
        return problem(409, "Conflict", str(exc), {"Retry-After": str(BUSY_RETRY_SECONDS)})

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return problem(503, "Service Unavailable", "the database cannot be used")

    @app.exception_handler(TracerError)
    async def tracer_error(_: Request, exc: TracerError) -> JSONResponse:
        log.error("unexpected tracer error: %s", exc)
        return problem(500, "Internal Server Error", "the request could not be completed")

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return problem(422, "Unprocessable Content", details or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem(exc.status_code, title(exc.status_code), str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "Internal Server Error", "the request could not be completed")


def allowed_methods(request: Request) -> str:
    """Every method some route at the path accepts: the router's 405 names only the first
    route's (`GET /verify` hid `POST /verify`)."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    )


def title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
