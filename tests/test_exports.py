"""Graph exports: Cytoscape.js elements, GraphML, GEXF and Grafana frames, read back by the
tools' own parsers (networkx for the XML formats) and checked node by node."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx
import orjson
import pytest

from tracer import exports, tracing
from tracer.errors import InputError
from tracer.models import Edge, StoredPost
from tracer.store import Store

from .conftest import RELEASE_FAMILY
from .processes import run_tracer

RELEASE = "kominfo-20240126"


def family_id(store: Store) -> str:
    value = tracing.trace(store, "serang-20240127")["family_id"]
    assert isinstance(value, str)
    return value


def as_dict(value: dict[str, Any] | str) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value


def as_text(value: dict[str, Any] | str) -> str:
    assert isinstance(value, str)
    return value


def stored(post_id: str, account_id: str, tier: str, at: str, url: str | None = None) -> StoredPost:
    moment = datetime.fromisoformat(at).astimezone(UTC)
    return StoredPost(
        post_id,
        account_id,
        tier,
        "Banten",
        None,
        moment,
        "",
        (),
        url,
        "F1",
        None,
        None,  # type: ignore[arg-type]
    )


# Numeric-looking platform ids must stay strings in every format.
TINY_POSTS = [
    stored(
        "1234567890", "0042", "central", "2024-01-26T12:00:00+00:00", "https://x.test/?a=1&b=<2>"
    ),
    stored("1234567891", "0043", "province", "2024-01-26T13:00:00+00:00"),
    stored("1234567892", "0044", "regency", "2024-01-26T15:30:00+00:00"),
]
TINY_EDGES = [
    Edge("1234567890", "1234567891", 3600, "text", {"containment": 1.0, "ratio": 97.5}, "central"),
    Edge("1234567891", "1234567892", 9000, "text", {"containment": 0.8, "ratio": 80.0}, "province"),
]


# --- reach ------------------------------------------------------------------------


def test_reach_counts_every_descendant() -> None:
    assert exports.reach(TINY_POSTS, TINY_EDGES) == {
        "1234567890": 2,
        "1234567891": 1,
        "1234567892": 0,
    }


def test_reach_of_the_sample_release_is_the_whole_family(scenario_store: Store) -> None:
    graph = as_dict(tracing.export(scenario_store, family_id(scenario_store), "cytoscape").render())
    data = {n["data"]["id"]: n["data"] for n in graph["nodes"]}
    assert data[RELEASE]["reach"] == len(RELEASE_FAMILY) - 1
    assert data["banten-ig-20240127"]["reach"] >= 1
    assert data["pandeglang-20240128"]["reach"] == 0


# --- Cytoscape --------------------------------------------------------------------


def test_cytoscape_elements(scenario_store: Store) -> None:
    fid = family_id(scenario_store)
    names = {a.account_id: a.name for a in scenario_store.accounts().values()}
    graph = as_dict(tracing.export(scenario_store, fid, "cytoscape").render())
    plain = as_dict(tracing.export(scenario_store, fid, "json").render())
    assert graph["family_id"] == fid
    assert {n["data"]["id"] for n in graph["nodes"]} == RELEASE_FAMILY
    assert len(graph["edges"]) == len(plain["edges"])
    ids = [e["data"]["id"] for e in graph["edges"]]
    assert len(set(ids)) == len(ids)
    for n in graph["nodes"]:
        data = n["data"]
        assert "parent" not in data  # Cytoscape would read it as a compound parent
        assert data["label"] == names[data["account_id"]]  # the office's name
        assert isinstance(data["timestamp"], int)
        assert data["local_time"].endswith(" WIB")
        assert data["color"] == exports.TIER_COLORS[data["tier"]]
    release = next(n["data"] for n in graph["nodes"] if n["data"]["id"] == RELEASE)
    assert release["local_time"] == "2024-01-26 19:33:00 WIB"
    assert release["copied_from"] is None
    for e in graph["edges"]:
        data = e["data"]
        assert {"id", "source", "target", "lag_seconds", "modality", "scores", "reason"} <= set(
            data
        )
        assert data["lag"].startswith("+")


def test_cytoscape_shows_times_in_the_zone_asked_for() -> None:
    graph = exports.to_cytoscape("F1", TINY_POSTS, TINY_EDGES, zone="Asia/Makassar")
    assert graph["nodes"][0]["data"]["local_time"] == "2024-01-26 20:00:00 WITA"


# --- GraphML ----------------------------------------------------------------------


def read_graphml(text: str) -> nx.DiGraph:
    graph = nx.read_graphml(io.BytesIO(text.encode()))
    assert isinstance(graph, nx.DiGraph)
    return graph


def test_graphml_reads_back_with_typed_attributes(scenario_store: Store) -> None:
    fid = family_id(scenario_store)
    text = as_text(tracing.export(scenario_store, fid, "graphml").render())
    plain = as_dict(tracing.export(scenario_store, fid, "json").render())
    graph = read_graphml(text)
    assert set(graph.nodes) == RELEASE_FAMILY
    assert {(e["source"], e["target"]) for e in plain["edges"]} == set(graph.edges)
    assert graph.graph["family_id"] == fid
    by_id = {n["id"]: n for n in plain["nodes"]}
    for node_id, attrs in graph.nodes(data=True):
        assert attrs["timestamp"] == by_id[node_id]["timestamp"]
        assert isinstance(attrs["timestamp"], int)
        assert attrs["tier"] == by_id[node_id]["tier"]
        assert attrs["published_at"] == by_id[node_id]["published_at"]
        assert isinstance(attrs["reach"], int)
    for e in plain["edges"]:
        attrs = graph.edges[e["source"], e["target"]]
        assert attrs["lag_seconds"] == e["lag_seconds"]
        assert attrs["modality"] == e["modality"]
        assert attrs["score_containment"] == pytest.approx(e["scores"]["containment"])
    keys = {k.get("attr.name"): k.get("attr.type") for k in ET.fromstring(text).iter()}
    assert keys["timestamp"] == "long"
    assert keys["score_ratio"] == "double"
    assert keys["account_id"] == "string"


def test_graphml_keeps_numeric_ids_as_strings_and_escapes_text() -> None:
    graph = read_graphml(exports.to_graphml("F1", TINY_POSTS, TINY_EDGES))
    assert set(graph.nodes) == {"1234567890", "1234567891", "1234567892"}
    first = graph.nodes["1234567890"]
    assert first["account_id"] == "0042"
    assert first["url"] == "https://x.test/?a=1&b=<2>"
    assert "url" not in graph.nodes["1234567891"]  # a missing value is left out
    assert graph.edges["1234567891", "1234567892"]["score_ratio"] == 80.0


# --- GEXF -------------------------------------------------------------------------


def read_gexf(text: str) -> nx.DiGraph:
    graph = nx.read_gexf(io.BytesIO(text.encode()))
    assert isinstance(graph, nx.DiGraph)
    return graph


def test_gexf_reads_back_with_typed_attributes(scenario_store: Store) -> None:
    fid = family_id(scenario_store)
    text = as_text(tracing.export(scenario_store, fid, "gexf").render())
    plain = as_dict(tracing.export(scenario_store, fid, "json").render())
    graph = read_gexf(text)
    assert set(graph.nodes) == RELEASE_FAMILY
    assert {(e["source"], e["target"]) for e in plain["edges"]} == set(graph.edges)
    by_id = {n["id"]: n for n in plain["nodes"]}
    names = {a.account_id: a.name for a in scenario_store.accounts().values()}
    for node_id, attrs in graph.nodes(data=True):
        assert attrs["label"] == names[by_id[node_id]["account_id"]]
        color = exports.TIER_COLORS[by_id[node_id]["tier"]]
        rgb = {k: int(color[i : i + 2], 16) for k, i in (("r", 1), ("g", 3), ("b", 5))}
        assert {k: attrs["viz"]["color"][k] for k in "rgb"} == rgb
        assert attrs["timestamp"] == by_id[node_id]["timestamp"]
        assert isinstance(attrs["timestamp"], int)
        assert attrs["start"] == float(by_id[node_id]["timestamp"])
    for e in plain["edges"]:
        attrs = graph.edges[e["source"], e["target"]]
        assert attrs["lag_seconds"] == e["lag_seconds"]
        assert attrs["reason"] == e["reason"]
        assert attrs["score_density"] == pytest.approx(e["scores"]["density"])


def test_gexf_keeps_numeric_ids_as_strings() -> None:
    graph = read_gexf(exports.to_gexf("F1", TINY_POSTS, TINY_EDGES))
    assert set(graph.nodes) == {"1234567890", "1234567891", "1234567892"}
    assert graph.nodes["1234567890"]["account_id"] == "0042"
    assert graph.nodes["1234567890"]["url"] == "https://x.test/?a=1&b=<2>"


# --- Grafana ----------------------------------------------------------------------


def frame_rows(frame: dict[str, Any]) -> list[dict[str, Any]]:
    names = [f["name"] for f in frame["schema"]["fields"]]
    columns = frame["data"]["values"]
    assert len(names) == len(columns)
    assert len({len(c) for c in columns}) <= 1
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def test_grafana_frames_use_the_node_graph_field_names(scenario_store: Store) -> None:
    fid = family_id(scenario_store)
    result = as_dict(tracing.export(scenario_store, fid, "grafana").render())
    nodes_frame, edges_frame = result["frames"]
    assert nodes_frame["schema"]["name"] == "nodes"
    assert edges_frame["schema"]["name"] == "edges"
    for frame in (nodes_frame, edges_frame):
        assert frame["schema"]["meta"]["preferredVisualisationType"] == "nodeGraph"
        for field in frame["schema"]["fields"]:
            assert field["name"] == field["name"].lower()
            assert field["type"] in {"string", "number"}
    node_fields = {f["name"] for f in nodes_frame["schema"]["fields"]}
    assert {"id", "title", "subtitle", "mainstat", "secondarystat", "color"} <= node_fields
    assert any(name.startswith("detail__") for name in node_fields)
    edge_fields = {f["name"] for f in edges_frame["schema"]["fields"]}
    assert {"id", "source", "target", "mainstat", "secondarystat"} <= edge_fields
    nodes = frame_rows(nodes_frame)
    edges = frame_rows(edges_frame)
    assert {n["id"] for n in nodes} == RELEASE_FAMILY
    assert all(isinstance(n["id"], str) for n in nodes)
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    release = next(n for n in nodes if n["id"] == RELEASE)
    assert release["mainstat"] == len(RELEASE_FAMILY) - 1
    assert release["secondarystat"] == 0
    assert release["color"] == exports.TIER_COLORS["central"]
    assert release["detail__published"] == "2024-01-26 19:33:00 WIB"


# --- formats and the CLI ------------------------------------------------------------


def test_unknown_format_is_an_input_error(scenario_store: Store) -> None:
    with pytest.raises(InputError, match="graphml"):
        tracing.export(scenario_store, family_id(scenario_store), "pdf")
    with pytest.raises(InputError):
        exports.render("dot", "F1", TINY_POSTS, TINY_EDGES)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_cli_exports_every_format(
    scenario_db: Path, scenario_store: Store, tmp_path: Path, fmt: str
) -> None:
    fid = family_id(scenario_store)
    out = tmp_path / f"family.{fmt}"
    result = run_tracer("--db", str(scenario_db), "export", fid, "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    if fmt in {"graphml", "gexf"}:
        reader = read_graphml if fmt == "graphml" else read_gexf
        assert set(reader(out.read_text(encoding="utf-8")).nodes) == RELEASE_FAMILY
    else:
        assert orjson.loads(out.read_bytes())
    printed = run_tracer("--db", str(scenario_db), "export", fid, "--format", fmt)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.encode() == out.read_bytes()
