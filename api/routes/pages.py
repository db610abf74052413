"""`GET /`: the overview page for analysts — the families table, a timeline of releases
and their reposts, coverage by province, and links to each family's embed.

The page is a template and our own script (`/static/overview.js`), which fetches the
`/families` and `/accounts` lists and draws everything in the browser: no framework, no
inline script.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.routes.embed import page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """The overview; its data come from `GET /families` and `GET /accounts`."""
    return page(request, "overview.html")
