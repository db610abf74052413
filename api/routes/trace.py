"""`GET /trace` and `GET /verify`: the analysts' and fact-checkers' questions about one post."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import TracerDep, read
from api.errors import PROBLEM_RESPONSES
from api.responses import NOT_MODIFIED, FastJSON, rendered
from api.schemas import TraceOut, VerifyOut

router = APIRouter(tags=["trace"], responses=PROBLEM_RESPONSES)
PostRef = Annotated[str, Query(min_length=1, max_length=2048, description="Post id or post URL")]


@router.get("/trace", response_model=TraceOut, responses=NOT_MODIFIED)
async def trace(post: PostRef, door: TracerDep, request: Request) -> Response:
    """Where a post came from: its family's cascade, origin, release, parent and path.
    Tagged with the family's version (`ETag`): `If-None-Match` with it answers 304
    until the family changes."""
    known = request.headers.get("if-none-match")
    return rendered(await read(door, door.trace_document, post, known))


@router.get("/verify", response_model=VerifyOut)
async def verify(post: PostRef, door: TracerDep) -> FastJSON:
    """The verdict on "this post was a ministry release", with release, lag and evidence."""
    return FastJSON((await read(door, door.verify, post)).to_json())
