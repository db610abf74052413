"""`POST /search`: the families nearest to a text (media search comes with media
fingerprints)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.deps import PolicyDep, SearchIndexDep, StoreDep
from api.errors import problems
from api.schemas import SearchIn, SearchOut
from tracer.search import search_text

router = APIRouter(tags=["search"], responses=problems(400, 413, 422, 429))


@router.post("/search", response_model=SearchOut)
async def search(
    body: SearchIn, store: StoreDep, index: SearchIndexDep, policy: PolicyDep
) -> dict[str, Any]:
    """Families sharing content with the text, best first, with the closest member's
    scores; `linked` says whether ingesting the text would join that family."""
    items = await run_in_threadpool(search_text, store, index, body.text, policy, body.limit)
    return {"items": items, "next": None}
