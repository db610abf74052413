"""`POST /search`: the families nearest to a text, a picture or a clip."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.deps import SettingsDep, TracerDep
from api.errors import problems
from api.routes.verification import MAX_FILES, save_upload
from api.schemas import SearchIn, SearchOut
from tracer import Submission, Tracer

router = APIRouter(tags=["search"], responses=problems(400, 413, 415, 422, 429))
BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": SearchIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "maxLength": 20_000},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 50},
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
            }
        },
    },
}


@router.post("/search", response_model=SearchOut, openapi_extra={"requestBody": BODY})
async def search(request: Request, door: TracerDep, settings: SettingsDep) -> dict[str, Any]:
    """Families sharing content with a text (JSON), or with a text and/or uploaded
    pictures and clips (multipart), best first, with the closest member's scores;
    `linked` says whether the content would join that family."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _search_files(request, door)
    if kind not in ("application/json", ""):  # no body at all: the JSON checks say what lacks
        raise HTTPException(415, "send application/json or multipart/form-data")
    raw = await request.body()
    if len(raw) > settings.max_body_bytes:
        raise HTTPException(413, f"a JSON body may hold {settings.max_body_bytes} bytes")
    try:
        body = SearchIn.model_validate_json(raw)
    except ValidationError as exc:
        raise HTTPException(422, exc.errors(include_url=False, include_context=False)) from None
    hits = await run_in_threadpool(door.search, body.text, body.limit)
    return {"items": [hit.to_json() for hit in hits], "next": None}


async def _search_files(request: Request, door: Tracer) -> dict[str, Any]:
    form = await request.form()
    text = form.get("text") or ""
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    if not isinstance(text, str) or len(text) > 20_000:
        raise HTTPException(422, "text: a string of at most 20,000 characters")
    if len(uploads) > MAX_FILES:
        raise HTTPException(400, f"at most {MAX_FILES} files")
    try:
        limit = int(str(form.get("limit") or 10))
    except ValueError:
        raise HTTPException(422, "limit: an integer") from None
    if not 1 <= limit <= 50:
        raise HTTPException(422, "limit: between 1 and 50")
    with tempfile.TemporaryDirectory(prefix="tracer-search-") as tmp:
        paths = [await save_upload(u, Path(tmp), n) for n, u in enumerate(uploads)]
        submission = Submission(text, tuple(paths))
        hits = await run_in_threadpool(door.search_content, submission, limit)
    return {"items": [hit.to_json() for hit in hits], "next": None}
