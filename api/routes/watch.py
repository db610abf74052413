"""`GET /watch`: the neutrality watch — government posts inside a sensitive period that
carry the context flags, each with its verdict (`tracer.watch`) — as JSON, as CSV, or,
for a browser, as a page; and `GET /embed/watch`, the same page for an iframe.

The page is a template and our own script (`/static/watch.js`), which fetches this
route's JSON with the page's own query and draws a sortable, filterable table.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SettingsDep, TracerDep
from api.downloads import csv_response
from api.errors import PROBLEM_RESPONSES
from api.routes.embed import note_framing, page
from api.schemas import WatchOut
from tracer import WATCH_SORTS, WATCH_STATUSES, WATCH_TABLE, download_name

router = APIRouter(tags=["watch"], responses=PROBLEM_RESPONSES)
Bound = Annotated[
    str | None,
    Query(max_length=64, description="A day (YYYY-MM-DD, whole local day) or a time with offset"),
]
FlagParam = Annotated[
    list[Literal["campaign_period", "political_terms"]] | None,
    Query(description="Flags a post must carry (repeatable; default both)"),
]
WATCH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON (`WatchOut`); `format=csv`: a table; a browser (`Accept: "
        "text/html`) or `format=html`: the watch page",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


def _wants_page(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept.split(",")[0]


@router.get("/watch", response_model=WatchOut, responses=WATCH_RESPONSES)
def get_watch(
    request: Request,
    door: TracerDep,
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", max_length=64)] = None,
    to: Bound = None,
    flag: FlagParam = None,
    province: Annotated[str | None, Query(max_length=100, description="Name or code")] = None,
    tier: Annotated[Literal["central", "province", "regency"] | None, Query()] = None,
    status: Annotated[Literal[WATCH_STATUSES] | None, Query()] = None,  # type: ignore[valid-type]
    sort: Annotated[Literal[WATCH_SORTS], Query()] = "published_at",  # type: ignore[valid-type]
    order: Literal["asc", "desc"] = "asc",
    format: Annotated[Literal["json", "csv", "html"] | None, Query()] = None,
) -> Any:
    """Government posts inside a sensitive period carrying the context flags (default:
    the campaign period and political terms), with their verdict: traced to a release
    (and its lag), the office's own content, or posted before any release."""
    if _wants_page(request, format):
        return _page(request, embed=False)
    zone = settings.timezone
    result = door.watch(
        from_, to, flag, zone, province=province, tier=tier, status=status, sort=sort, order=order
    ).to_json()
    if format == "csv":
        name = download_name("watch", from_ or "", to or "")
        return csv_response(WATCH_TABLE, result["items"], zone, name)
    return result


@router.get("/embed/watch", response_class=HTMLResponse, include_in_schema=False)
def embed_watch(request: Request) -> Response:
    """The watch page without its form, for an iframe; it takes `/watch`'s query."""
    note_framing(request)
    return _page(request, embed=True)


def _page(request: Request, *, embed: bool) -> HTMLResponse:
    root = str(request.scope.get("root_path", ""))
    return page(
        request,
        "watch.html",
        watch_url=f"{root}/watch",
        query=request.url.query,
        embed=embed,
    )
