"""`GET /trace` and `GET /verify`: the analysts' and fact-checkers' questions about one post."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import TracerDep, read
from api.errors import PROBLEM_RESPONSES
from api.responses import FastJSON
from api.schemas import TraceOut, VerifyOut

router = APIRouter(tags=["trace"], responses=PROBLEM_RESPONSES)
PostRef = Annotated[str, Query(min_length=1, max_length=2048, description="Post id or post URL")]


@router.get("/trace", response_model=TraceOut)
async def trace(post: PostRef, door: TracerDep) -> FastJSON:
    """Where a post came from: its family's cascade, origin, release, parent and path."""
    return FastJSON((await read(door, door.trace, post)).to_json())


@router.get("/verify", response_model=VerifyOut)
async def verify(post: PostRef, door: TracerDep) -> FastJSON:
    """The verdict on "this post was a ministry release", with release, lag and evidence."""
    return FastJSON((await read(door, door.verify, post)).to_json())
