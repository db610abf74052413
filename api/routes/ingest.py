"""`POST /ingest`: a batch in the canonical format, behind an API key."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import SettingsDep, TracerDep, require_api_key
from api.errors import problems
from api.schemas import IngestOut
from tracer import UploadKind

router = APIRouter(tags=["ingest"], responses=problems(400, 401, 409, 413, 415, 422, 429))
KINDS: dict[str, UploadKind] = {"application/x-ndjson": "ndjson", "application/zip": "zip"}
BODY = {
    "required": True,
    "content": {
        "application/x-ndjson": {"schema": {"type": "string"}},
        "application/zip": {"schema": {"type": "string", "format": "binary"}},
    },
}


@router.post(
    "/ingest",
    response_model=IngestOut,
    dependencies=[Depends(require_api_key)],
    openapi_extra={"requestBody": BODY},
)
async def ingest(request: Request, door: TracerDep, settings: SettingsDep) -> dict[str, Any]:
    """Ingest JSON lines of posts (accounts must be known) or a zipped corpus folder,
    with the CLI's validation and report."""
    kind = KINDS.get(request.headers.get("content-type", "").split(";")[0].strip().lower())
    if kind is None:
        raise HTTPException(415, f"send one of {', '.join(KINDS)}")
    with tempfile.TemporaryDirectory(prefix="tracer-upload-") as tmp:
        body = Path(tmp) / "upload"
        with body.open("wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
        # One writer per database, this server's or a CLI's; past the wait, a 409.
        report = await run_in_threadpool(
            lambda: door.ingest_upload(
                kind,
                body,
                Path(tmp),
                max_bytes=settings.max_upload_bytes,
                batch_size=settings.batch_size,
                wait=settings.ingest_wait,
            )
        )
    return report.to_json()
