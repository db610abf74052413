"""Family graphs as data: node-link JSON (the one shape the API and the CLI share), and
the same cascade for other tools: Cytoscape.js elements, GraphML, GEXF and Grafana's
Node Graph data frames.

Pure: every function takes the family's posts (earliest first) and cascade edges and
returns a value (a dict, or an XML document as text). Times go out as numbers (epoch
seconds) beside their ISO 8601 form, so graph tools can sort and filter on them; ids
are always strings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from tracer.errors import InputError
from tracer.models import Edge, StoredPost, iso_utc
from tracer.normalize import local_time

FORMATS = ("json", "cytoscape", "graphml", "gexf", "grafana")
MEDIA_TYPES = {
    "json": "application/json",
    "cytoscape": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "grafana": "application/json",
}
TIER_COLORS = {
    "central": "#c0392b",
    "province": "#2471a3",
    "regency": "#239b56",
    "other": "#7f8c8d",
}
"""One colour per tier, shared by the embed page (through the data) and Grafana."""

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ_NS = "http://www.gexf.net/1.2draft/viz"


def node(post: StoredPost) -> dict[str, Any]:
    return {
        "id": post.post_id,
        "account_id": post.account_id,
        "tier": post.tier,
        "region": post.region,
        "published_at": iso_utc(post.published_at),
        "timestamp": post.timestamp,
        "url": post.url,
    }


def edge(e: Edge) -> dict[str, Any]:
    out = {
        "source": e.source,
        "target": e.target,
        "lag_seconds": e.lag_seconds,
        "modality": e.modality,
        "scores": e.scores,
        "reason": e.reason,
    }
    if e.evidence:
        out["evidence"] = e.evidence
    return out


def node_link(
    family_id: str | None, posts: Sequence[StoredPost], edges: Sequence[Edge]
) -> dict[str, Any]:
    """networkx-compatible node-link data (`edges` key), directed parent → copy."""
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"family_id": family_id},
        "nodes": [node(p) for p in posts],
        "edges": [edge(e) for e in edges],
    }


def reach(posts: Sequence[StoredPost], edges: Sequence[Edge]) -> dict[str, int]:
    """How many posts descend from each post in the cascade (copies of copies included)."""
    children: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        children[e.source].append(e.target)
    counts: dict[str, int] = {}
    # Posts are earliest first and every edge points forward in time, so walking the
    # list backwards sees each child before its parent.
    for post in reversed(posts):
        counts[post.post_id] = sum(1 + counts.get(c, 0) for c in children[post.post_id])
    return counts


def edge_id(e: Edge) -> str:
    return f"{e.source}->{e.target}"


def _lag_text(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    return f"{'-' if seconds < 0 else '+'}{hours}h{rest // 60:02d}m"


# --- Cytoscape.js -----------------------------------------------------------------


def to_cytoscape(
    family_id: str | None,
    posts: Sequence[StoredPost],
    edges: Sequence[Edge],
    zone: str = "Asia/Jakarta",
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Cytoscape.js elements, grouped: `{"nodes": [{"data": …}], "edges": [{"data": …}]}`.
    Nodes are labelled with their office's name (`names`: account id → name), else the
    account id.

    Node data never use the key `parent`: Cytoscape reads it as a compound parent.
    """
    counts = reach(posts, edges)
    copied_from = {e.target: e.source for e in edges}
    nodes = [
        {
            "data": {
                **node(p),
                "label": (names or {}).get(p.account_id) or p.account_id,
                "local_time": local_time(p.published_at, zone),
                "reach": counts[p.post_id],
                "copied_from": copied_from.get(p.post_id),
                "color": TIER_COLORS[p.tier],
            }
        }
        for p in posts
    ]
    links = [
        {"data": {"id": edge_id(e), **edge(e), "lag": _lag_text(e.lag_seconds)}} for e in edges
    ]
    return {
        "family_id": family_id,
        "zone": zone,
        "tier_colors": TIER_COLORS,
        "nodes": nodes,
        "edges": links,
    }


# --- GraphML and GEXF -------------------------------------------------------------

Attribute = tuple[str, str, Callable[[Any], Any]]
"""(name, XML type, how to read the value from a node's or an edge's dict)."""


def _node_attributes() -> list[Attribute]:
    return [
        ("account_id", "string", lambda n: n["account_id"]),
        ("tier", "string", lambda n: n["tier"]),
        ("region", "string", lambda n: n["region"]),
        ("published_at", "string", lambda n: n["published_at"]),
        ("timestamp", "long", lambda n: n["timestamp"]),
        ("url", "string", lambda n: n["url"]),
        ("reach", "int", lambda n: n["reach"]),
    ]


def _edge_attributes(edges: Sequence[Edge]) -> list[Attribute]:
    fixed: list[Attribute] = [
        ("lag_seconds", "long", lambda e: e["lag_seconds"]),
        ("modality", "string", lambda e: e["modality"]),
        ("reason", "string", lambda e: e["reason"]),
    ]
    score_names = sorted({name for e in edges for name in e.scores})
    return fixed + [
        (f"score_{name}", "double", lambda e, name=name: e["scores"].get(name))
        for name in score_names
    ]


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "NaN"
    return str(value)


def _node_dicts(posts: Sequence[StoredPost], edges: Sequence[Edge]) -> list[dict[str, Any]]:
    counts = reach(posts, edges)
    return [{**node(p), "reach": counts[p.post_id]} for p in posts]


def _document(root: ET.Element) -> str:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def to_graphml(family_id: str | None, posts: Sequence[StoredPost], edges: Sequence[Edge]) -> str:
    """GraphML with every attribute declared by a typed `<key>`; missing values left out."""
    # Tags stay unqualified and the root declares the default namespace as a plain
    # attribute: ElementTree's prefix registry is process-wide state, shared by threads.
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    node_attrs, edge_attrs = _node_attributes(), _edge_attributes(edges)
    for scope, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        for name, kind, _ in attrs:
            ET.SubElement(
                root,
                "key",
                {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": kind},
            )
    ET.SubElement(
        root,
        "key",
        {"id": "g_family_id", "for": "graph", "attr.name": "family_id", "attr.type": "string"},
    )
    graph = ET.SubElement(root, "graph", {"id": family_id or "", "edgedefault": "directed"})
    ET.SubElement(graph, "data", {"key": "g_family_id"}).text = family_id or ""

    def data(parent: ET.Element, prefix: str, attrs: list[Attribute], item: Any) -> None:
        for name, _, read in attrs:
            value = read(item)
            if value is not None:
                ET.SubElement(parent, "data", {"key": f"{prefix}_{name}"}).text = _xml_value(value)

    for n in _node_dicts(posts, edges):
        data(ET.SubElement(graph, "node", {"id": n["id"]}), "n", node_attrs, n)
    for e in edges:
        element = ET.SubElement(
            graph, "edge", {"id": edge_id(e), "source": e.source, "target": e.target}
        )
        data(element, "e", edge_attrs, edge(e))
    return _document(root)


_GEXF_TYPES = {"string": "string", "long": "long", "int": "integer", "double": "double"}


def to_gexf(
    family_id: str | None,
    posts: Sequence[StoredPost],
    edges: Sequence[Edge],
    names: Mapping[str, str] | None = None,
) -> str:
    """GEXF 1.2 (Gephi): a directed graph whose nodes start at the post's epoch second
    (`mode="dynamic"`, `timeformat="double"`), so Gephi's timeline can play the cascade;
    nodes are labelled with their office's name and coloured by tier (`viz:color`)."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": GEXF_VIZ_NS, "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "tracer"
    ET.SubElement(meta, "description").text = f"cascade of family {family_id}"
    graph = ET.SubElement(
        root, "graph", {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "double"}
    )
    node_attrs, edge_attrs = _node_attributes(), _edge_attributes(edges)
    for scope, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        declared = ET.SubElement(graph, "attributes", {"class": scope})
        for i, (name, kind, _) in enumerate(attrs):
            ET.SubElement(
                declared, "attribute", {"id": str(i), "title": name, "type": _GEXF_TYPES[kind]}
            )

    def values(parent: ET.Element, attrs: list[Attribute], item: Any) -> None:
        holder = ET.SubElement(parent, "attvalues")
        for i, (_, _, read) in enumerate(attrs):
            value = read(item)
            if value is not None:
                ET.SubElement(holder, "attvalue", {"for": str(i), "value": _xml_value(value)})

    nodes = ET.SubElement(graph, "nodes")
    for n in _node_dicts(posts, edges):
        label = (names or {}).get(n["account_id"]) or n["account_id"]
        element = ET.SubElement(
            nodes, "node", {"id": n["id"], "label": label, "start": str(n["timestamp"])}
        )
        values(element, node_attrs, n)
        color = TIER_COLORS[n["tier"]]
        rgb = {c: str(int(color[i : i + 2], 16)) for c, i in (("r", 1), ("g", 3), ("b", 5))}
        ET.SubElement(element, "viz:color", rgb)
    links = ET.SubElement(graph, "edges")
    for e in edges:
        element = ET.SubElement(
            links, "edge", {"id": edge_id(e), "source": e.source, "target": e.target}
        )
        values(element, edge_attrs, edge(e))
    return _document(root)


# --- Grafana Node Graph -----------------------------------------------------------


def _frame(name: str, fields: Iterable[tuple[str, str, str | None, list[Any]]]) -> dict[str, Any]:
    """A Grafana data frame in its JSON wire form (schema + columnar values)."""
    schema_fields: list[dict[str, Any]] = []
    values: list[list[Any]] = []
    for field_name, kind, display, column in fields:
        spec: dict[str, Any] = {"name": field_name, "type": kind}
        if display:
            spec["config"] = {"displayName": display}
        schema_fields.append(spec)
        values.append(column)
    return {
        "schema": {
            "name": name,
            "refId": name,
            "meta": {"preferredVisualisationType": "nodeGraph"},
            "fields": schema_fields,
        },
        "data": {"values": values},
    }


def to_grafana(
    family_id: str | None,
    posts: Sequence[StoredPost],
    edges: Sequence[Edge],
    zone: str = "Asia/Jakarta",
) -> dict[str, Any]:
    """The two data frames of Grafana's Node Graph panel, with its lowercase field names:
    `nodes` (id, title, subtitle, mainstat, secondarystat, color, detail__*) and `edges`
    (id, source, target, mainstat, secondarystat, detail__*)."""
    counts = reach(posts, edges)
    origin = posts[0].timestamp if posts else 0
    nodes = _frame(
        "nodes",
        [
            ("id", "string", None, [p.post_id for p in posts]),
            ("title", "string", None, [p.account_id for p in posts]),
            ("subtitle", "string", None, [f"{p.tier} · {p.region}" for p in posts]),
            ("mainstat", "number", "copies downstream", [counts[p.post_id] for p in posts]),
            (
                "secondarystat",
                "number",
                "hours after the origin",
                [round((p.timestamp - origin) / 3600, 2) for p in posts],
            ),
            ("color", "string", None, [TIER_COLORS[p.tier] for p in posts]),
            (
                "detail__published",
                "string",
                "published",
                [local_time(p.published_at, zone) for p in posts],
            ),
            ("detail__timestamp", "number", "epoch seconds", [p.timestamp for p in posts]),
            ("detail__tier", "string", "tier", [p.tier for p in posts]),
            ("detail__url", "string", "url", [p.url or "" for p in posts]),
        ],
    )
    score_names = sorted({name for e in edges for name in e.scores})
    links = _frame(
        "edges",
        [
            ("id", "string", None, [edge_id(e) for e in edges]),
            ("source", "string", None, [e.source for e in edges]),
            ("target", "string", None, [e.target for e in edges]),
            ("mainstat", "string", "lag", [_lag_text(e.lag_seconds) for e in edges]),
            ("secondarystat", "string", "evidence", [f"{e.modality} · {e.reason}" for e in edges]),
            ("detail__lag_seconds", "number", "lag (s)", [e.lag_seconds for e in edges]),
            *(
                (f"detail__{name}", "number", name, [e.scores.get(name) for e in edges])
                for name in score_names
            ),
        ],
    )
    return {"family_id": family_id, "frames": [nodes, links]}


def render(
    fmt: str,
    family_id: str | None,
    posts: Sequence[StoredPost],
    edges: Sequence[Edge],
    zone: str = "Asia/Jakarta",
    names: Mapping[str, str] | None = None,
) -> dict[str, Any] | str:
    """The family in one of `FORMATS`: a dict for the JSON formats, text for XML ones;
    `names` (account id → office name) label the nodes of Cytoscape and GEXF."""
    if fmt == "json":
        return node_link(family_id, posts, edges)
    if fmt == "cytoscape":
        return to_cytoscape(family_id, posts, edges, zone, names)
    if fmt == "graphml":
        return to_graphml(family_id, posts, edges)
    if fmt == "gexf":
        return to_gexf(family_id, posts, edges, names)
    if fmt == "grafana":
        return to_grafana(family_id, posts, edges, zone)
    raise InputError(f"unsupported export format {fmt!r} (supported: {', '.join(FORMATS)})")
