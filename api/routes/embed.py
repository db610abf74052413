"""`GET /embed/families/{id}` and `GET /embed/trace?post=…`: the cascade as an interactive
graph that other sites put in an iframe.

The page is a jinja2 template plus our own script (`/static/embed.js`) and the `cytoscape`
npm package, served from `node_modules/` (no CDN). Data never go into a `<script>`: the
page fetches the family's Cytoscape elements, or, for a post that is alone, carries them
in an HTML-escaped `data-` attribute. Everything fits a `default-src 'self'` CSP.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

import orjson
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import SettingsDep, TracerDep
from api.errors import problem
from tracer import InputError, NotFoundError, Settings

HERE = Path(__file__).resolve().parent.parent
STATIC = "/static"
CYTOSCAPE = "/assets/cytoscape"

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tracer.api")


def install(app: FastAPI, node_modules: Path) -> None:
    """Templates, our static files and cytoscape's (when installed), and the routes."""
    app.state.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    app.mount(STATIC, StaticFiles(directory=HERE / "static"), name="static")
    folder = node_modules / "cytoscape" / "dist"
    app.state.cytoscape = (folder / "cytoscape.min.js").is_file()
    if app.state.cytoscape:
        app.mount(CYTOSCAPE, StaticFiles(directory=folder), name="cytoscape")
    app.include_router(router)
    settings: Settings = app.state.settings
    app.state.framing_noted = set()
    log.info(
        "embeds may be shown in frames of: %s; to embed them on another site, add its "
        "origin to TRACER_FRAME_ANCESTORS (e.g. TRACER_FRAME_ANCESTORS=\"'self' "
        'https://news.example"); see docs/embedding.md',
        " ".join(settings.frame_ancestors) or "no site ('none')",
    )


def note_framing(request: Request) -> None:
    """Say in the log, once per site, that a page asked for an embed in a frame that the
    CSP's `frame-ancestors` will make the browser refuse, and how to allow it: the
    browser shows only an error, which the embedding site's author cannot explain."""
    if request.headers.get("sec-fetch-dest") not in ("iframe", "frame"):
        return
    if request.headers.get("sec-fetch-site") in ("same-origin", "none"):
        return
    referer = urlsplit(request.headers.get("referer", ""))
    origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else "(unknown site)"
    settings: Settings = request.app.state.settings
    allowed = set(settings.frame_ancestors)
    if origin in allowed or "*" in allowed or origin in request.app.state.framing_noted:
        return
    request.app.state.framing_noted.add(origin)
    wanted = " ".join([*settings.frame_ancestors, origin])
    log.warning(
        "%s embeds %s in a frame, but TRACER_FRAME_ANCESTORS (%s) does not allow it: the "
        "browser will refuse to show it. To allow it, restart with "
        "TRACER_FRAME_ANCESTORS=\"%s\"",
        origin, request.url.path, " ".join(settings.frame_ancestors) or "'none'", wanted,
    )  # fmt: skip


def in_frame(request: Request) -> bool:
    """A frame or a browser's navigation, which should get an HTML error page."""
    if request.headers.get("sec-fetch-dest") in ("iframe", "frame", "document"):
        return True
    return "text/html" in request.headers.get("accept", "").split(",")[0]


def embed_error(request: Request, status: int, detail: str) -> HTMLResponse:
    title = "Not found" if status == 404 else "Cannot draw this view"
    response = page(request, "embed_error.html", status=status, title=title, detail=detail)
    response.status_code = status
    return response


def page(request: Request, template: str, **context: Any) -> HTMLResponse:
    """Render one of `api/templates/`; links are made relative to the app's root path."""
    root = str(request.scope.get("root_path", ""))
    environment: Environment = request.app.state.templates
    html = environment.get_template(template).render(
        root=root, static=root + STATIC, cytoscape=root + CYTOSCAPE, **context
    )
    return HTMLResponse(html)


def graph_url(root: str, family_id: str) -> str:
    return f"{root}/families/{quote(family_id, safe='')}/graph?{urlencode({'format': 'cytoscape'})}"


Highlight = Annotated[
    str | None, Query(max_length=2048, description="A post id to mark in the graph")
]
Legend = Annotated[bool, Query(description="Show the legend")]


def _missing_viewer() -> HTMLResponse:
    return problem(  # type: ignore[return-value]
        503,
        "Service Unavailable",
        "the graph viewer (cytoscape) is not installed: run `npm install` (make demo does it)",
    )


@router.get("/embed/families/{family_id}", response_class=HTMLResponse)
def embed_family(
    request: Request,
    family_id: str,
    door: TracerDep,
    highlight: Highlight = None,
    legend: Legend = True,
) -> HTMLResponse:
    """A family's cascade, drawn from `/families/{id}/graph?format=cytoscape`."""
    note_framing(request)
    if not request.app.state.cytoscape:
        return _missing_viewer()
    try:
        family = door.family(family_id)
    except NotFoundError as exc:  # in a frame, a page that says so; else a problem
        if in_frame(request):
            return embed_error(request, 404, str(exc))
        raise
    root = str(request.scope.get("root_path", ""))
    return page(
        request,
        "embed.html",
        title=f"family {family.family_id}",
        graph_url=graph_url(root, family_id),
        elements=None,
        highlight=highlight or "",
        legend=legend,
    )


@router.get("/embed/trace", response_class=HTMLResponse)
def embed_trace(
    request: Request,
    post: Annotated[str, Query(min_length=1, max_length=2048, description="Post id or URL")],
    door: TracerDep,
    settings: SettingsDep,
    legend: Legend = True,
) -> HTMLResponse:
    """The cascade of the post's family with the post marked; a post that is alone is
    drawn by itself, its one node carried in the page."""
    note_framing(request)
    if not request.app.state.cytoscape:
        return _missing_viewer()
    try:
        found = door.post(post)
    except (NotFoundError, InputError) as exc:
        if in_frame(request):
            return embed_error(request, 404 if isinstance(exc, NotFoundError) else 400, str(exc))
        raise
    root = str(request.scope.get("root_path", ""))
    elements = None
    url = ""
    if found.family_id is None:
        lone = door.lone_graph(found, settings.timezone)
        elements = orjson.dumps(lone).decode()
    else:
        url = graph_url(root, found.family_id)
    return page(
        request,
        "embed.html",
        title=f"trace of {found.post_id}",
        graph_url=url,
        elements=elements,
        highlight=found.post_id,
        legend=legend,
    )
