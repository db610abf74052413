"""`GET /posts/{post_id}`: one stored post."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import StoreDep
from api.errors import PROBLEM_RESPONSES
from api.schemas import PostOut
from tracer import service

router = APIRouter(tags=["posts"], responses=PROBLEM_RESPONSES)


@router.get("/posts/{post_id}", response_model=PostOut)
def get_post(post_id: str, store: StoreDep) -> dict[str, Any]:
    """A stored post by id."""
    return service.find_post(store, post_id).to_json()
