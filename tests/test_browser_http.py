"""The pages over HTTP, without a browser: status codes, headers, escaping, assets.

The embed page must never carry data inside a `<script>`: its scripts are files, and the
one place data may sit in the HTML (a lone post's elements) is an escaped attribute.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tracer import service
from tracer.store import Store

from .browser_support import tracer_server
from .conftest import RELEASE_FAMILY, CorpusBuilder, account, post_line

PROBLEM = "application/problem+json"
EVIL = '"><script>alert(1)</script>'
EVIL_REGION = "<script>alert(2)</script>"  # no quote: accounts.csv is written unquoted


class Page(HTMLParser):
    """Every start tag with its attributes, and the text inside each `<script>`."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def find(self, element_id: str) -> dict[str, str | None]:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == element_id)


@pytest.fixture(scope="module")
def client(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("pages") / "serve.log"
    with (
        tracer_server(scenario_db, log, frame_ancestors="'self',https://dashboard.example") as base,
        httpx.Client(base_url=base, timeout=10) as http,
    ):
        yield http


def release_family(client: httpx.Client) -> str:
    family_id = client.get("/trace", params={"post": "serang-20240127"}).json()["family_id"]
    assert isinstance(family_id, str)
    return family_id


def assert_safe_page(response: httpx.Response) -> Page:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'self' https://dashboard.example" in csp
    page = Page(response.text)
    assert page.scripts and all(not body.strip() for body in page.scripts)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert all(str(attrs.get("src", "")).startswith("/") for attrs in scripts)
    assert not any("style" in attrs for _, attrs in page.tags)  # the CSP blocks them
    return page


# --- embed -------------------------------------------------------------------------


def test_embed_family_page(client: httpx.Client) -> None:
    family_id = release_family(client)
    page = assert_safe_page(client.get(f"/embed/families/{family_id}"))
    root = page.find("tracer-embed")
    assert root["data-graph-url"] == f"/families/{family_id}/graph?format=cytoscape"
    assert root["data-legend"] == "on"
    assert "data-elements" not in root
    graph = client.get(str(root["data-graph-url"])).json()
    assert {n["data"]["id"] for n in graph["nodes"]} == RELEASE_FAMILY


def test_embed_parameters_are_escaped(client: httpx.Client) -> None:
    family_id = release_family(client)
    response = client.get(
        f"/embed/families/{family_id}", params={"highlight": EVIL, "legend": "false"}
    )
    page = assert_safe_page(response)
    assert "<script>alert" not in response.text
    root = page.find("tracer-embed")
    assert root["data-highlight"] == EVIL
    assert root["data-legend"] == "off"


def test_embed_trace_of_a_family_post(client: httpx.Client) -> None:
    family_id = release_family(client)
    page = assert_safe_page(client.get("/embed/trace", params={"post": "lebak-20240127"}))
    root = page.find("tracer-embed")
    assert root["data-highlight"] == "lebak-20240127"
    assert root["data-graph-url"] == f"/families/{family_id}/graph?format=cytoscape"


def test_embed_trace_of_a_lone_post_carries_its_node(client: httpx.Client) -> None:
    response = client.get("/embed/trace", params={"post": "pandeglang-kerjabakti"})
    page = assert_safe_page(response)
    root = page.find("tracer-embed")
    assert '{"' not in response.text  # the JSON is escaped inside the attribute
    elements = orjson.loads(str(root["data-elements"]))
    assert [n["data"]["id"] for n in elements["nodes"]] == ["pandeglang-kerjabakti"]
    assert elements["edges"] == []


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/embed/families/F999999", {}, 404),
        ("/embed/families/banana", {}, 404),
        ("/embed/trace", {"post": "no-such-post"}, 404),
        ("/embed/trace", {}, 422),
        ("/embed/trace", {"post": "x" * 5000}, 422),
        ("/embed/families/F1", {"legend": "maybe"}, 422),
    ],
)
def test_embed_errors_are_problems(
    client: httpx.Client, path: str, params: dict[str, Any], status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    assert response.json()["status"] == status


# --- overview and assets -------------------------------------------------------------


def test_overview_page(client: httpx.Client) -> None:
    page = assert_safe_page(client.get("/"))
    root = page.find("tracer-overview")
    assert root["data-families-url"] == "/families"
    assert root["data-accounts-url"] == "/accounts"
    assert root["data-embed-url"] == "/embed/families/"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/embed.js", "javascript"),
        ("/static/overview.js", "javascript"),
        ("/static/tracer.css", "text/css"),
        ("/static/favicon.svg", "image/svg+xml"),
        ("/assets/cytoscape/cytoscape.min.js", "javascript"),
    ],
)
def test_assets_are_served(client: httpx.Client, path: str, kind: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert kind in response.headers["content-type"]


def test_pages_are_not_in_the_api_schema(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith("/embed")]


# --- hostile data and a missing viewer -------------------------------------------------


def test_hostile_text_in_a_lone_post_stays_data(tmp_path: Path) -> None:
    builder = CorpusBuilder(tmp_path / "corpus", accounts=[account("evil", "other", EVIL_REGION)])
    builder.add(
        post_line("evil-1", "evil", "2024-01-01T00:00:00Z", "hello", url=f"https://x.test/{EVIL}")
    )
    db = tmp_path / "evil.db"
    store = Store.open(db)
    try:
        service.ingest(store, builder.write())
    finally:
        store.close()
    with tracer_server(db, tmp_path / "serve.log") as base:
        response = httpx.get(f"{base}/embed/trace", params={"post": "evil-1"}, timeout=10)
    page = Page(response.text)
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert len(page.scripts) == 2
    node = orjson.loads(str(page.find("tracer-embed")["data-elements"]))["nodes"][0]["data"]
    assert node["region"] == EVIL_REGION
    assert node["url"] == f"https://x.test/{EVIL}"


def test_embed_says_when_the_viewer_is_not_installed(scenario_db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "node_modules"
    empty.mkdir()
    with tracer_server(scenario_db, tmp_path / "serve.log", node_modules=str(empty)) as base:
        response = httpx.get(f"{base}/embed/families/F1", timeout=10)
    assert response.status_code == 503
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    assert "npm install" in response.json()["detail"]
