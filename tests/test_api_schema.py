"""The OpenAPI schema: complete (models, problem+json errors, the key scheme) and true
to the server, which schemathesis checks against a live server on the sample corpus."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import copy_db
from .processes import BIN, serving

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = "application/problem+json"
KEY = "schema-key"


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory, sample_db_file: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("schema")
    db = copy_db(sample_db_file, folder)
    shutil.copy(db, folder / "pristine.db")
    settings = {"TRACER_RATE_LIMIT": "0", "TRACER_API_KEYS": KEY}
    with serving(db, folder / "serve.log", settings) as base:
        yield base


@pytest.fixture(scope="module")
def schema(sample_server: str) -> dict[str, Any]:
    response = httpx.get(f"{sample_server}/openapi.json", timeout=10)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_has_a_response_model(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        ok = operation["responses"]["200"]["content"]
        assert ok, f"{method} {path}: no 200 content"
        for media, content in ok.items():
            assert content.get("schema"), f"{method} {path} {media}: no schema"


def test_errors_are_declared_as_problems(schema: dict[str, Any]) -> None:
    declared: set[str] = set()
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == [PROBLEM], f"{method} {path} {status}"
                declared.add(status)
        if path not in {"/livez", "/readyz", "/metrics"}:
            assert {"422", "429"} <= set(operation["responses"]), f"{method} {path}"
    assert {"400", "401", "404", "413", "422", "429"} <= declared
    assert "Problem" in schema["components"]["schemas"]


def test_ingest_declares_its_key_and_bodies(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/ingest"]["post"]
    assert {"application/x-ndjson", "application/zip"} == set(operation["requestBody"]["content"])
    assert operation["security"]
    scheme = next(iter(schema["components"]["securitySchemes"].values()))
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": scheme["description"],
    }


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    sample_server: str, tmp_path: Path
) -> None:
    """Bounded: a few examples per operation (~10 s), and a timeout. `POST /ingest` is left out
    (schemathesis cannot generate JSON-lines or zip bodies); test_api_limits covers it."""
    command = [
        str(BIN / "st"),
        "run",
        f"{sample_server}/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance,content_type_conformance,"
        "status_code_conformance",
        "--max-examples",
        "12",
        "--exclude-path",
        "/ingest",
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "7",
        "--request-timeout",
        "10",
        "--no-color",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert " passed" in output, output[-2000:]


def test_schemathesis_is_installed() -> None:
    assert (BIN / "st").is_file(), f"schemathesis is missing from {sys.prefix}"
