"""`POST /ingest`: a batch in the canonical format, behind an API key."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import PolicyDep, SettingsDep, StoreDep, require_api_key
from api.errors import problems
from api.schemas import IngestOut
from tracer.config import Settings
from tracer.matching import MatchPolicy
from tracer.service import IngestReport
from tracer.store import Store
from tracer.uploads import UploadKind, ingest_upload

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
async def ingest(
    request: Request, store: StoreDep, settings: SettingsDep, policy: PolicyDep
) -> dict[str, Any]:
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
        report = await run_in_threadpool(_ingest, store, kind, body, Path(tmp), settings, policy)
    return report.to_json()


def _ingest(
    store: Store,
    kind: UploadKind,
    body: Path,
    tmp: Path,
    settings: Settings,
    policy: MatchPolicy,
) -> IngestReport:
    # One writer per database (any replica's, or a CLI's); past the wait, a 409; a
    # wait shorter than that is said in the report's notes.
    holders: list[str] = []
    asked = time.monotonic()
    with store.writer(settings.ingest_wait, on_wait=holders.append):
        waited = time.monotonic() - asked
        report = ingest_upload(
            store,
            kind,
            body,
            tmp,
            max_bytes=settings.max_upload_bytes,
            policy=policy,
            batch_size=settings.batch_size,
        )
    if holders:
        report.notes.append(f"waited {waited:.1f} s for {holders[0]} to finish writing")
    return report
