"""`GET /families`, `GET /families/{family_id}` and its cascade graph in several formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import Cursor, Limit, SettingsDep, TracerDep, read
from api.downloads import CSV_RESPONSE, Format, FormatQuery, csv_response, disposition
from api.errors import PROBLEM_RESPONSES
from api.responses import NOT_MODIFIED, rendered
from api.schemas import FamilyDetailOut, FamilyPage
from tracer import CSV_MEDIA_TYPE, FAMILIES_TABLE, Tracer, download_name

router = APIRouter(tags=["families"], responses=PROBLEM_RESPONSES)
XML = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
GRAPH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`json`: node-link (`GraphOut`); `cytoscape`: Cytoscape.js "
        "elements; `grafana`: Node Graph data frames; `graphml`, `gexf`: XML documents.",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"$ref": f"#/components/schemas/{name}"}
                        for name in ("GraphOut", "CytoscapeOut", "GrafanaOut")
                    ]
                }
            },
            XML["graphml"]: {"schema": {"type": "string"}},
            XML["gexf"]: {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


Sort = Literal["size", "first_seen", "last_seen", "median_lag"]


def _all_families(door: Tracer, sort: Sort, order: Literal["asc", "desc"]) -> Any:
    cursor = None
    while True:
        page = door.families(sort=sort, order=order, limit=500, cursor=cursor)
        yield from page.items
        if page.next is None:
            return
        cursor = page.next


@router.get("/families", response_model=FamilyPage, responses=CSV_RESPONSE)
def list_families(
    door: TracerDep,
    settings: SettingsDep,
    sort: Sort = "last_seen",
    order: Literal["asc", "desc"] = "desc",
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Annotated[Format, FormatQuery] = "json",
) -> Any:
    """Families with their release, size, accounts, regions, first and last post, lag;
    `csv` gives every family (no pages)."""
    if format == "csv":
        rows = _all_families(door, sort, order)
        return csv_response(FAMILIES_TABLE, rows, settings.timezone, "families.csv")
    page = door.families(sort=sort, order=order, limit=limit, cursor=cursor)
    return page.to_json()


@router.get("/families/{family_id}", response_model=FamilyDetailOut)
def get_family(family_id: str, door: TracerDep) -> dict[str, Any]:
    """One family's summary, with its accounts counted per tier."""
    return door.family_summary(family_id)


@router.get(
    "/families/{family_id}/graph",
    response_model=None,
    responses=GRAPH_RESPONSES | NOT_MODIFIED,
)
async def family_graph(
    family_id: str,
    door: TracerDep,
    settings: SettingsDep,
    request: Request,
    format: Annotated[
        Literal["json", "cytoscape", "graphml", "gexf", "grafana", "csv"], Query()
    ] = "json",
    table: Annotated[
        Literal["nodes", "edges"], Query(description="With `format=csv`: posts or links")
    ] = "nodes",
) -> Response:
    """The family's cascade, as node-link JSON or converted for a graph tool; `csv`
    gives its nodes (posts) or its edges (who copied whom) as a table. Tagged with the
    family's version (`ETag`): `If-None-Match` with it answers 304 until it changes."""
    csv = format == "csv"
    answer = await read(
        door,
        door.graph_document,
        family_id,
        format,
        settings.timezone,
        table if csv else None,
        request.headers.get("if-none-match"),
    )
    if csv:
        name = download_name(family_id, table)
        return rendered(answer, disposition(name), CSV_MEDIA_TYPE)
    name = download_name(family_id, ext=_EXTENSIONS[format])
    json = answer.media_type == "application/json"
    return rendered(answer, disposition(name, inline=json), XML.get(format))


_EXTENSIONS = {
    "json": "json",
    "cytoscape": "cytoscape.json",
    "grafana": "grafana.json",
    "graphml": "graphml",
    "gexf": "gexf",
}
