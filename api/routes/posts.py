"""`GET /posts` (filtered, paginated) and `GET /posts/{post_id}`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Cursor, Limit, StoreDep
from api.errors import PROBLEM_RESPONSES
from api.responses import FastJSON
from api.schemas import PostOut, PostPage
from tracer import queries, service

router = APIRouter(tags=["posts"], responses=PROBLEM_RESPONSES)


@router.get("/posts", response_model=PostPage)
def list_posts(
    store: StoreDep,
    account: Annotated[str | None, Query(max_length=256, description="Account id")] = None,
    since: Annotated[datetime | None, Query(description="From (inclusive), with offset")] = None,
    until: Annotated[datetime | None, Query(description="Before (exclusive), with offset")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words the normalised text contains")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Posts in time order, optionally of one account, in a time range, holding words."""
    page = queries.list_posts(
        store, account=account, since=since, until=until, q=q, limit=limit, cursor=cursor
    )
    return page.to_json()


@router.get("/posts/{post_id}", response_model=PostOut)
async def get_post(post_id: str, store: StoreDep) -> FastJSON:
    """A stored post by id."""
    return FastJSON(service.find_post(store, post_id).to_json())
