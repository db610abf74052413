"""The HTTP API against a real `tracer serve` (uvicorn) process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BANTEN_URL, RELEASE_FAMILY, VERIFY_KEYS
from .processes import serving

PROBLEM = "application/problem+json"
POST_KEYS = {"post_id", "account_id", "tier", "published_at", "text", "media", "url"}


@pytest.fixture(scope="module")
def client(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "copy.db"  # the server keeps derived family summaries in its database
    shutil.copy(scenario_db, db)
    with serving(db, folder / "serve.log") as base, httpx.Client(base_url=base, timeout=10) as http:
        yield http


def assert_post(value: Any, post_id: str | None = None) -> None:
    assert isinstance(value, dict)
    assert set(value) >= POST_KEYS
    assert isinstance(value["post_id"], str)
    assert isinstance(value["account_id"], str)
    assert value["tier"] in {"central", "province", "regency", "other"}
    assert isinstance(value["published_at"], str) and value["published_at"].endswith("Z")
    assert isinstance(value["text"], str)
    assert isinstance(value["media"], list)
    assert value["url"] is None or isinstance(value["url"], str)
    if post_id is not None:
        assert value["post_id"] == post_id


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- /trace ---------------------------------------------------------------------------


def test_trace_shape(client: httpx.Client) -> None:
    response = client.get("/trace", params={"post": "serang-20240127"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"post", "family_id", "origin", "release", "parent", "path", "graph"}
    assert_post(body["post"], "serang-20240127")
    assert isinstance(body["family_id"], str)
    assert_post(body["origin"], "kominfo-20240126")
    assert_post(body["release"], "kominfo-20240126")
    assert body["release"]["published_at"] == "2024-01-26T12:33:00Z"
    assert body["parent"] == "banten-ig-20240127"
    assert body["path"] == ["kominfo-20240126", "banten-ig-20240127", "serang-20240127"]
    graph = body["graph"]
    assert {"nodes", "edges"} <= set(graph)
    assert {n["id"] for n in graph["nodes"]} == RELEASE_FAMILY
    assert len(graph["edges"]) == len(RELEASE_FAMILY) - 1
    for edge in graph["edges"]:
        assert {"source", "target", "lag_seconds", "modality", "scores"} <= set(edge)
        assert isinstance(edge["source"], str) and isinstance(edge["target"], str)
        assert isinstance(edge["lag_seconds"], int) and edge["lag_seconds"] >= 0
        assert edge["modality"] == "text"
        assert isinstance(edge["scores"], dict) and edge["scores"]
        assert all(isinstance(v, int | float) for v in edge["scores"].values())
    targets = sorted(e["target"] for e in graph["edges"])
    assert targets == sorted(RELEASE_FAMILY - {"kominfo-20240126"})


def test_trace_by_post_url(client: httpx.Client) -> None:
    by_id = client.get("/trace", params={"post": "banten-ig-20240127"}).json()
    for url in (BANTEN_URL, "https://www.instagram.com/p/C2bantenPemilu/"):
        response = client.get("/trace", params={"post": url})
        assert response.status_code == 200
        assert response.json() == by_id


def test_trace_of_a_post_without_family(client: httpx.Client) -> None:
    body = client.get("/trace", params={"post": "pandeglang-kerjabakti"}).json()
    assert body["family_id"] is None
    assert body["post"]["family_id"] is None
    assert body["release"] is None and body["parent"] is None
    assert body["path"] == ["pandeglang-kerjabakti"]
    assert [n["id"] for n in body["graph"]["nodes"]] == ["pandeglang-kerjabakti"]
    assert body["graph"]["edges"] == []


def test_trace_of_a_regional_original(client: httpx.Client) -> None:
    body = client.get("/trace", params={"post": "serang-jembatan"}).json()
    assert isinstance(body["family_id"], str)
    assert body["release"] is None
    assert body["parent"] is None
    assert body["path"] == ["serang-jembatan"]
    assert [e["target"] for e in body["graph"]["edges"]] == ["lebak-jembatan"]


# --- /verify --------------------------------------------------------------------------


def test_verify_shape(client: httpx.Client) -> None:
    response = client.get("/verify", params={"post": "banten-ig-20240127"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= VERIFY_KEYS
    assert body["post_id"] == "banten-ig-20240127"
    assert body["verdict"] == "supported"
    assert_post(body["release"], "kominfo-20240126")
    assert body["lag_seconds"] == 12 * 3600 + 42 * 60
    assert body["altered"] is True
    assert isinstance(body["changes"], dict) and body["changes"]["added_text"]
    assert isinstance(body["evidence"], list) and body["evidence"]
    assert isinstance(body["corroboration"], dict)
    assert body["corroboration"]["accounts"] == 6


@pytest.mark.parametrize(
    ("post_id", "verdict", "release"),
    [
        ("detik-cuti", "contradicted", "kominfo-wa-cuti"),
        ("lebak-jembatan", "contradicted", None),
        ("serang-jembatan", "not_found", None),
    ],
)
def test_verify_verdicts(
    client: httpx.Client, post_id: str, verdict: str, release: str | None
) -> None:
    body = client.get("/verify", params={"post": post_id}).json()
    assert body["verdict"] == verdict
    if release is None:
        assert body["release"] is None
        assert body["lag_seconds"] is None
    else:
        assert_post(body["release"], release)
        assert isinstance(body["lag_seconds"], int)


# --- /posts ---------------------------------------------------------------------------


def test_get_post(client: httpx.Client) -> None:
    response = client.get("/posts/banten-ig-20240127")
    assert response.status_code == 200
    body = response.json()
    assert_post(body, "banten-ig-20240127")
    assert body["account_id"] == "banten"
    assert body["tier"] == "province"
    assert body["published_at"] == "2024-01-27T01:15:00Z"
    assert body["url"] == BANTEN_URL


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/trace", {"post": "no-such-post"}),
        ("/verify", {"post": "no-such-post"}),
        ("/trace", {"post": "https://www.instagram.com/p/unknown/"}),
        ("/posts/no-such-post", {}),
    ],
)
def test_unknown_post_is_a_404_problem(
    client: httpx.Client, path: str, params: dict[str, str]
) -> None:
    body = assert_problem(client.get(path, params=params), 404)
    assert "no post" in body["detail"]


@pytest.mark.parametrize("path", ["/trace", "/verify"])
def test_missing_parameter_is_a_422_problem(client: httpx.Client, path: str) -> None:
    body = assert_problem(client.get(path), 422)
    assert "post" in body["detail"]


def test_empty_and_too_long_parameters_are_422(client: httpx.Client) -> None:
    assert_problem(client.get("/trace", params={"post": ""}), 422)
    assert_problem(client.get("/verify", params={"post": "x" * 5000}), 422)


def test_unknown_route_is_a_404_problem(client: httpx.Client) -> None:
    assert_problem(client.get("/no/such/route"), 404)


def test_wrong_method_is_a_405_problem(client: httpx.Client) -> None:
    assert_problem(client.post("/trace", params={"post": "serang-20240127"}), 405)


# --- OpenAPI --------------------------------------------------------------------------


def test_openapi_lists_the_routes(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert {"/trace", "/verify", "/posts/{post_id}"} <= set(paths)
    for path in ("/trace", "/verify", "/posts/{post_id}"):
        responses = paths[path]["get"]["responses"]
        assert "200" in responses
        assert PROBLEM in responses["404"]["content"]
    params = {p["name"]: p for p in paths["/trace"]["get"]["parameters"]}
    assert params["post"]["required"] is True
    assert "Problem" in schema["components"]["schemas"]
