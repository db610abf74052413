"""The public surface (`tracer.__all__`): sorted and complete, the only part of the
library the API imports, and the `Tracer` facade answers as the modules it ties
together do."""

from __future__ import annotations

import ast
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

import tracer
from tracer import tracing, verification
from tracer.store import Store

from .conftest import copy_db


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert tracer.__all__ == sorted(tracer.__all__)
    assert sorted(tracer._HOMES) == tracer.__all__
    for name in tracer.__all__:
        assert getattr(tracer, name) is not None


def _classes(hint: object) -> Iterator[type]:
    if isinstance(hint, type):
        yield hint
    for argument in typing.get_args(hint):
        yield from _classes(argument)


def test_every_type_the_facade_takes_or_returns_is_public() -> None:
    seen = set()
    for name, member in vars(tracer.Tracer).items():
        function = member.fget if isinstance(member, property) else member
        function = getattr(function, "__func__", function)
        if name.startswith("_") or not callable(function):
            continue
        for hint in typing.get_type_hints(function).values():
            seen |= {c.__name__ for c in _classes(hint) if c.__module__.startswith("tracer.")}
    assert {"Trace", "VerdictReport", "Submission", "Adoption", "Watch", "SearchHit"} <= seen
    assert "FamilyExport" in seen
    assert seen - set(tracer.__all__) == set()


def test_the_facade_answers_as_the_modules_do(
    sample_store: Store, sample_db_file: Path, tmp_path: Path
) -> None:
    post = "banten-ig-20240127"
    door = tracer.Tracer.open(copy_db(sample_db_file, tmp_path))
    try:
        assert door.trace(post).to_json() == tracing.trace(sample_store, post)
        assert door.verify(post).to_json() == verification.verify_post(sample_store, post).to_json()
        family = door.trace(post).family.family_id
        exported = door.export(family, "cytoscape").render()
        assert exported == tracing.export(sample_store, family, "cytoscape").render()
        assert door.search("Presiden punya hak politik")
        assert door.adoption(post).release
        assert door.card(post).report.verdict == "supported"
    finally:
        door.close()


def _tracer_modules_imported(tree: ast.AST) -> list[str]:
    """`import tracer.x` and `from tracer.x import …` (or `from tracer import x` of a
    module) in a parsed source file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("tracer.")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("tracer."):
                found.append(node.module)
            elif node.module == "tracer":
                found += [f"tracer.{a.name}" for a in node.names if a.name not in tracer.__all__]
    return found


def test_the_api_imports_only_the_public_surface() -> None:
    api = Path(__file__).resolve().parent.parent / "api"
    files = sorted(api.rglob("*.py"))
    assert files
    reached = {
        str(f.relative_to(api.parent)): _tracer_modules_imported(ast.parse(f.read_text("utf-8")))
        for f in files
    }
    assert {f: names for f, names in reached.items() if names} == {}


def test_the_door_reads_the_context_file_when_a_question_needs_it(
    sample_db_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "context.json"
    path.write_text('{"periods": [{"name": "x", "start": "2024-03-02", "end": "2024-03-01"}]}')
    settings = tracer.Settings(db=str(copy_db(sample_db_file, tmp_path)), context_file=path)
    door = tracer.Tracer.from_settings(settings, create=False)
    try:
        assert door.trace("banten-ig-20240127").family.family_id  # no flags: never read
        with pytest.raises(tracer.InputError, match="before start"):
            door.verify("banten-ig-20240127")
    finally:
        door.close()


def test_the_door_refuses_a_missing_database_unless_it_may_create_one(tmp_path: Path) -> None:
    settings = tracer.Settings(db=str(tmp_path / "typo.db"))
    with pytest.raises(tracer.InputError, match="no database"):
        tracer.Tracer.from_settings(settings, create=False)
    assert not (tmp_path / "typo.db").exists()
