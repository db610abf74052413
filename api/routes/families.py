"""`GET /families`, `GET /families/{family_id}` and its cascade graph in several formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Cursor, Limit, SettingsDep, TracerDep
from api.downloads import CSV_RESPONSE, Format, FormatQuery, csv_response, disposition
from api.errors import PROBLEM_RESPONSES
from api.responses import FastJSON
from api.schemas import FamilyDetailOut, FamilyPage
from tracer import EDGES_TABLE, FAMILIES_TABLE, NODES_TABLE, Tracer, download_name

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


@router.get("/families/{family_id}/graph", response_model=None, responses=GRAPH_RESPONSES)
async def family_graph(
    family_id: str,
    door: TracerDep,
    settings: SettingsDep,
    format: Annotated[
        Literal["json", "cytoscape", "graphml", "gexf", "grafana", "csv"], Query()
    ] = "json",
    table: Annotated[
        Literal["nodes", "edges"], Query(description="With `format=csv`: posts or links")
    ] = "nodes",
) -> Response:
    """The family's cascade, as node-link JSON or converted for a graph tool; `csv`
    gives its nodes (posts) or its edges (who copied whom) as a table."""
    zone = settings.timezone
    if format == "csv":
        elements = door.export(family_id, "cytoscape", zone=zone).render()
        assert isinstance(elements, dict)
        spec = NODES_TABLE if table == "nodes" else EDGES_TABLE
        rows = [e["data"] for e in elements[table]]
        return csv_response(spec, rows, zone, download_name(family_id, table))
    result = door.export(family_id, format, zone=zone).render()
    name = download_name(family_id, ext=_EXTENSIONS[format])
    if isinstance(result, str):
        return Response(result, media_type=XML[format], headers=disposition(name))
    return FastJSON(result, headers=disposition(name, inline=True))


_EXTENSIONS = {
    "json": "json",
    "cytoscape": "cytoscape.json",
    "grafana": "grafana.json",
    "graphml": "graphml",
    "gexf": "gexf",
}
