"""The public surface (`tracer.__all__`): sorted, complete, and the `Tracer` facade
answers as the modules it ties together do."""

from __future__ import annotations

from pathlib import Path

import tracer
from tracer import tracing, verification
from tracer.store import Store

from .conftest import copy_db


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert tracer.__all__ == sorted(tracer.__all__)
    for name in tracer.__all__:
        assert getattr(tracer, name) is not None


def test_the_facade_answers_as_the_modules_do(
    sample_store: Store, sample_db_file: Path, tmp_path: Path
) -> None:
    post = "banten-ig-20240127"
    door = tracer.Tracer.open(copy_db(sample_db_file, tmp_path))
    try:
        assert door.trace(post) == tracing.trace(sample_store, post)
        assert door.verify(post).to_json() == verification.verify_post(sample_store, post).to_json()
        family = door.trace(post)["family_id"]
        assert door.export(family, "cytoscape") == tracing.export(sample_store, family, "cytoscape")
        assert door.search("Presiden punya hak politik")
        assert door.adoption(post)["release"]
        assert door.card(post).report.verdict == "supported"
    finally:
        door.close()
