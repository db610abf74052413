"""`GET /families`, `GET /families/{family_id}` and its cascade graph in several formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Cursor, FamilyStoreDep, Limit, PolicyDep, SettingsDep, StoreDep
from api.errors import PROBLEM_RESPONSES
from api.responses import FastJSON
from api.schemas import FamilyDetailOut, FamilyPage
from tracer import queries, service

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
        },
    }
}


@router.get("/families", response_model=FamilyPage)
def list_families(
    store: FamilyStoreDep,
    sort: Literal["size", "first_seen", "last_seen", "median_lag"] = "last_seen",
    order: Literal["asc", "desc"] = "desc",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Families with their release, size, accounts, regions, first and last post, lag."""
    page = queries.list_families(store, sort=sort, order=order, limit=limit, cursor=cursor)
    return page.to_json()


@router.get("/families/{family_id}", response_model=FamilyDetailOut)
def get_family(family_id: str, store: FamilyStoreDep) -> dict[str, Any]:
    """One family's summary, with its accounts counted per tier."""
    return queries.family_summary(store, family_id)


@router.get("/families/{family_id}/graph", response_model=None, responses=GRAPH_RESPONSES)
async def family_graph(
    family_id: str,
    store: StoreDep,
    policy: PolicyDep,
    settings: SettingsDep,
    format: Annotated[Literal["json", "cytoscape", "graphml", "gexf", "grafana"], Query()] = "json",
) -> Response:
    """The family's cascade, as node-link JSON or converted for a graph tool."""
    result = service.export(store, family_id, format, policy, zone=settings.timezone)
    if isinstance(result, str):
        return Response(result, media_type=XML[format])
    return FastJSON(result)
