"""docs/http-api.md against the OpenAPI schema: every field a route's section documents
in its `| field | … |` table must be in the route's response schema, and every field of
that schema must be documented, so the page cannot drift from the API again.

A section is `## METHOD /path` (several routes may share one: `## GET /livez and GET
/readyz`); its field tables list the response object's fields by their backticked name,
or, for a list (`{"items", "next"}`), the fields of an item. Request fields are in
tables headed `| form field |` or `| parameter |` and are not compared here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from api.app import create_app
from tracer.config import Settings

DOC = (Path(__file__).resolve().parent.parent / "docs" / "http-api.md").read_text("utf-8")
ROUTE = re.compile(r"\b(GET|POST) (/[^\s`?]*)")
NAME = re.compile(r"`([a-z_][a-z0-9_]*)`")


def _sections() -> dict[str, str]:
    parts = re.split(r"^## +(.+)$", DOC, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _tables(body: str) -> list[list[str]]:
    """The field tables of a section: each as the names of its rows."""
    tables: list[list[str]] = []
    current: list[str] | None = None
    for line in body.splitlines():
        if re.match(r"^\|\s*field\s*\|", line):
            current = []
            tables.append(current)
        elif current is not None and line.startswith("|"):
            first = line.split("|")[1]
            current.extend(NAME.findall(first))
        else:
            current = None
    return tables


DOCUMENTED = [
    (tuple(ROUTE.findall(heading)), heading, table)
    for heading, body in _sections().items()
    if ROUTE.search(heading)
    for table in _tables(body)[:1]
]
"""(routes of the heading, heading, names of its first field table); a table under a
heading of several routes (`GET /livez and GET /readyz`) documents their union."""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app: FastAPI = create_app(Settings(db=str(tmp_path_factory.mktemp("d") / "unused.db")))
    return app.openapi()


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _response_fields(schema: dict[str, Any], method: str, path: str, names: list[str]) -> set[str]:
    operation = schema["paths"][path][method.lower()]
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    node = _resolve(schema, content)
    if "anyOf" in node:
        node = _resolve(schema, node["anyOf"][0])
    props = node.get("properties", {})
    if set(props) == {"items", "next"} and "items" not in names:
        props = _resolve(schema, props["items"]["items"]).get("properties", {})
    return set(props)


def test_sections_have_field_tables() -> None:
    routes = {route for routes, _, _ in DOCUMENTED for route in routes}
    for route in [("GET", "/adoption"), ("GET", "/watch"), ("GET", "/readyz"), ("GET", "/verify")]:
        assert route in routes, f"docs/http-api.md has no field table for {route}"


@pytest.mark.parametrize(("routes", "heading", "names"), DOCUMENTED)
def test_documented_fields_are_the_schema_fields(
    schema: dict[str, Any], routes: tuple[tuple[str, str], ...], heading: str, names: list[str]
) -> None:
    actual: set[str] = set()
    for method, path in routes:
        if path not in schema["paths"]:
            pytest.fail(f"'{heading}' documents {method} {path}, which the API does not have")
        actual |= _response_fields(schema, method, path, names)
    assert set(names) == actual, (
        f"{heading}: documented but not in the schema: {sorted(set(names) - actual)}; "
        f"in the schema but not documented: {sorted(actual - set(names))}"
    )


def test_post_objects_are_the_post_schema(schema: dict[str, Any]) -> None:
    (names,) = _tables(_sections()["Post objects"])
    assert set(names) == set(schema["components"]["schemas"]["PostOut"]["properties"])
