"""The documentation is tested: every CLI command and option, every setting and every
HTTP route must be named in its page under docs/, and the README's set-up commands
must be the first code block of README.md."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import fastapi.routing
import pytest
import typer.main
from fastapi import FastAPI
from starlette.routing import Mount

from api.app import create_app
from tracer.cli import app as cli_app
from tracer.config import Settings
from tracer.policy import MatchPolicy

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def read(name: str) -> str:
    path = DOCS / name
    assert path.is_file(), f"docs/{name} is missing"
    return path.read_text(encoding="utf-8")


def sections(markdown: str) -> dict[str, str]:
    """Level-2 sections of a page: heading text → body (up to the next `## `)."""
    parts = re.split(r"^## +(.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


# --- CLI -------------------------------------------------------------------------

# Typer may bundle its own copy of click, so commands and parameters are read by their
# attributes (`commands`, `param_type_name`, `opts`) rather than by click's classes.
ROOT_COMMAND: Any = typer.main.get_command(cli_app)
COMMANDS = sorted(getattr(ROOT_COMMAND, "commands", {}))


def _documented_params(command: Any) -> list[str]:
    """How each parameter is spelled on the command line: options by every flag
    (`--json`), arguments by their upper-case name (`CORPUS_DIR`)."""
    names: list[str] = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "option":
            names.extend(o for o in (*param.opts, *param.secondary_opts) if o != "--help")
        elif param.param_type_name == "argument" and param.name:
            names.append(param.name.upper())
    return names


def test_cli_has_commands() -> None:
    assert {"ingest", "trace", "verify", "export", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_section_naming_its_arguments_and_options(name: str) -> None:
    page = sections(read("cli.md"))
    titled = [body for heading, body in page.items() if f"tracer {name}" in heading]
    assert titled, f"docs/cli.md has no '## `tracer {name}`' section"
    body = titled[0]
    missing = [p for p in _documented_params(ROOT_COMMAND.commands[name]) if p not in body]
    assert not missing, f"docs/cli.md, section tracer {name}: {missing} not documented"


def test_global_options_are_documented() -> None:
    text = read("cli.md")
    missing = [p for p in _documented_params(ROOT_COMMAND) if p not in text]
    assert not missing, f"docs/cli.md: global options {missing} not documented"


def test_cli_page_states_the_db_rule_and_exit_codes() -> None:
    text = read("cli.md")
    assert "TRACER_DB" in text
    assert "tracer.db" in text
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in text, f"docs/cli.md: exit status row {status!r} missing"


# --- settings ---------------------------------------------------------------------

PREFIX = str(Settings.model_config.get("env_prefix", ""))
FIELDS = sorted(Settings.model_fields)


@pytest.mark.parametrize("field", FIELDS)
def test_every_setting_is_documented_with_its_variable(field: str) -> None:
    variable = f"{PREFIX}{field}".upper()
    rows = [line for line in read("configuration.md").splitlines() if f"`{variable}`" in line]
    assert rows, f"docs/configuration.md does not mention `{variable}`"
    assert any(f"`{field}`" in row for row in rows), (
        f"docs/configuration.md: no row names both `{field}` and `{variable}`"
    )


def _machine_independent(default: object) -> bool:
    return not (isinstance(default, Path) and default.is_absolute())


@pytest.mark.parametrize(
    "field", [f for f in FIELDS if _machine_independent(Settings.model_fields[f].default)]
)
def test_setting_defaults_are_current(field: str) -> None:
    variable = f"{PREFIX}{field}".upper()
    default = f"`{Settings.model_fields[field].default}`"
    rows = [line for line in read("configuration.md").splitlines() if f"`{variable}`" in line]
    assert any(default in row for row in rows), (
        f"docs/configuration.md: the row of `{variable}` does not show its default {default}"
    )


# --- matching policy ----------------------------------------------------------------


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(MatchPolicy)])
def test_every_policy_field_is_documented_with_its_default(field: str) -> None:
    default = next(f.default for f in dataclasses.fields(MatchPolicy) if f.name == field)
    rows = [line for line in read("matching.md").splitlines() if line.startswith(f"| `{field}`")]
    assert rows, f"docs/matching.md: MatchPolicy.{field} has no row in the policy table"
    assert f"`{default}`" in rows[0], f"docs/matching.md: MatchPolicy.{field} default is {default}"


def test_matching_page_keeps_the_calibration_section() -> None:
    page = sections(read("matching.md"))
    assert "Calibration" in page, "docs/matching.md lacks '## Calibration'"


# --- HTTP routes --------------------------------------------------------------------


def _framework_paths(app: FastAPI) -> set[str]:
    """Routes FastAPI adds on its own from its settings (OpenAPI, Swagger, ReDoc)."""
    urls = (app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)
    return {u for u in urls if u}


def route_paths(app: FastAPI) -> set[str]:
    # FastAPI ≥ 0.13x keeps included routers as wrappers; iter_route_contexts flattens them.
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    routes = list(flatten(app.routes)) if flatten else list(app.routes)
    paths = {r.path for r in routes if isinstance(getattr(r, "path", None), str)}
    paths |= {r.path for r in app.routes if isinstance(r, Mount)}
    return {p for p in paths if p} - _framework_paths(app)


@pytest.fixture(scope="module")
def http_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    # create_app opens nothing: the store is opened by the lifespan, which is not run.
    db = tmp_path_factory.mktemp("docs") / "unused.db"
    return create_app(Settings(db=str(db)))


def test_app_has_routes(http_app: FastAPI) -> None:
    assert {"/trace", "/verify", "/posts/{post_id}"} <= route_paths(http_app)


def test_every_route_is_documented(http_app: FastAPI) -> None:
    text = read("http-api.md")
    missing = sorted(p for p in route_paths(http_app) if p not in text)
    assert not missing, f"docs/http-api.md does not document {missing}"


def test_openapi_url_is_documented(http_app: FastAPI) -> None:
    assert http_app.openapi_url
    assert http_app.openapi_url in read("http-api.md")


def test_http_errors_are_documented() -> None:
    text = read("http-api.md")
    assert "application/problem+json" in text
    for status in ("404", "422", "400", "500", "503"):
        assert f"| {status} |" in text, f"docs/http-api.md: no row for status {status}"


# --- README ---------------------------------------------------------------------------


def _commands(block: str) -> list[str]:
    out = []
    for line in block.splitlines():
        command = line.split("#", 1)[0].strip()
        if command:
            out.append(command)
    return out


def test_readme_first_code_block_is_the_set_up() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert blocks, "README.md has no code block"
    assert _commands(blocks[0]) == ["make demo", "make test"]


def test_readme_links_to_docs_pages_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert linked
    missing = [link for link in linked if not (ROOT / link).is_file()]
    assert not missing, f"README.md links to missing pages: {missing}"
