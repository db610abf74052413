"""`GET /posts` (filtered, paginated) and `GET /posts/{post_id}`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Cursor, Limit, SettingsDep, TracerDep
from api.downloads import CSV_RESPONSE, Format, FormatQuery, csv_response
from api.errors import PROBLEM_RESPONSES
from api.responses import FastJSON
from api.schemas import PostOut, PostPage
from tracer import POSTS_TABLE, download_name

router = APIRouter(tags=["posts"], responses=PROBLEM_RESPONSES)


@router.get("/posts", response_model=PostPage, responses=CSV_RESPONSE)
def list_posts(
    door: TracerDep,
    settings: SettingsDep,
    account: Annotated[str | None, Query(max_length=256, description="Account id")] = None,
    since: Annotated[datetime | None, Query(description="From (inclusive), with offset")] = None,
    until: Annotated[datetime | None, Query(description="Before (exclusive), with offset")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words the normalised text contains")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Annotated[Format, FormatQuery] = "json",
) -> Any:
    """Posts in time order, optionally of one account, in a time range, holding words;
    `csv` gives every post of the filters (no pages)."""
    if format == "csv":
        # The first page is read before the answer starts, so a bad cursor or `q` is a
        # 400, not a broken download.
        first = door.posts(account=account, since=since, until=until, q=q, limit=500, cursor=cursor)

        def every() -> Iterator[dict[str, Any]]:
            page = first
            while True:
                yield from page.items
                if page.next is None:
                    return
                page = door.posts(
                    account=account, since=since, until=until, q=q, limit=500, cursor=page.next
                )

        name = download_name("posts", account or "")
        return csv_response(POSTS_TABLE, every(), settings.timezone, name)
    page = door.posts(account=account, since=since, until=until, q=q, limit=limit, cursor=cursor)
    return page.to_json()


@router.get("/posts/{post_id}", response_model=PostOut)
async def get_post(post_id: str, door: TracerDep) -> FastJSON:
    """A stored post by id."""
    return FastJSON(door.post(post_id).to_json())
