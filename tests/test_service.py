"""The facade: ingest (validation, idempotence, incremental linking), trace, verify, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer import service, tracing, verification
from tracer.errors import NotFoundError
from tracer.normalize import normalize_text
from tracer.store import Store

from .conftest import (
    ADDED_SENTENCE,
    BANTEN_GREETING,
    BANTEN_URL,
    RELEASE_FAMILY,
    RELEASE_TEXT,
    SCENARIO,
    TITLE,
    CorpusBuilder,
    partition,
    post_line,
)

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL

# --- the scenario: trace and verify ------------------------------------------------------

EXPECTED = {
    # post: (verdict, release, parent, reason of the edge into it)
    "kominfo-20240126": ("supported", "kominfo-20240126", None, None),
    "banten-ig-20240127": ("supported", "kominfo-20240126", "kominfo-20240126", "central"),
    "serang-20240127": ("supported", "kominfo-20240126", "banten-ig-20240127", "shared_edits"),
    "lebak-20240127": ("supported", "kominfo-20240126", "banten-ig-20240127", "province"),
    "jabar-20240127": ("supported", "kominfo-20240126", "kominfo-20240126", "central"),
    "bandung-20240127": ("supported", "kominfo-20240126", "jabar-20240127", "shared_edits"),
    "detik-20240127": ("supported", "kominfo-20240126", "kominfo-20240126", "central"),
    "pandeglang-20240128": ("supported", "kominfo-20240126", "banten-ig-20240127", "province"),
    "kominfo-20240125": ("supported", "kominfo-20240125", None, None),
    "jabar-20240125": ("supported", "kominfo-20240125", "kominfo-20240125", "central"),
    "serang-jembatan": ("not_found", None, None, None),
    "lebak-jembatan": ("contradicted", None, "serang-jembatan", "recency"),
    "detik-cuti": ("contradicted", "kominfo-wa-cuti", None, None),
    # A central post is a release itself, though a news site published the text first.
    "kominfo-wa-cuti": ("supported", "kominfo-wa-cuti", "detik-cuti", "recency"),
    "banten-cuti": ("supported", "kominfo-wa-cuti", "kominfo-wa-cuti", "central"),
    "pandeglang-kerjabakti": ("not_found", None, None, None),
}


def test_scenario_families(scenario_store: Store) -> None:
    assert partition(scenario_store) == {
        frozenset(RELEASE_FAMILY),
        frozenset({"kominfo-20240125", "jabar-20240125"}),
        frozenset({"serang-jembatan", "lebak-jembatan"}),
        frozenset({"detik-cuti", "kominfo-wa-cuti", "banten-cuti"}),
        frozenset({"pandeglang-kerjabakti"}),
    }
    assert set(EXPECTED) == {line["post_id"] for line in SCENARIO}


@pytest.mark.parametrize("post_id", sorted(EXPECTED))
def test_scenario_verdicts_and_parents(scenario_store: Store, post_id: str) -> None:
    verdict, release, parent, reason = EXPECTED[post_id]
    report = verification.verify_post(scenario_store, post_id)
    assert report.verdict == verdict
    assert (report.release.post_id if report.release else None) == release
    traced = tracing.trace(scenario_store, post_id)
    assert traced["parent"] == parent
    into = [e for e in traced["graph"]["edges"] if e["target"] == post_id]
    assert [e["reason"] for e in into] == ([reason] if reason else [])


def test_trace_of_the_serang_copy(scenario_store: Store) -> None:
    traced = tracing.trace(scenario_store, "serang-20240127")
    assert traced["path"] == ["kominfo-20240126", "banten-ig-20240127", "serang-20240127"]
    assert traced["origin"]["post_id"] == "kominfo-20240126"
    assert traced["release"]["post_id"] == "kominfo-20240126"
    assert traced["release"]["published_at"] == "2024-01-26T12:33:00Z"
    assert traced["post"]["published_at"] == "2024-01-27T03:02:00Z"
    assert traced["post"]["family_id"] == traced["family_id"]
    graph = traced["graph"]
    assert graph["directed"] is True
    assert {n["id"] for n in graph["nodes"]} == RELEASE_FAMILY
    assert len(graph["edges"]) == len(RELEASE_FAMILY) - 1
    edge = next(e for e in graph["edges"] if e["target"] == "serang-20240127")
    assert edge["source"] == "banten-ig-20240127"
    assert edge["lag_seconds"] == (3 * 60 + 2 - 1 * 60 - 15) * 60  # 01:15Z → 03:02Z
    assert edge["modality"] == "text"
    assert edge["scores"]["containment"] == 1.0
    # Nodes are in time order.
    stamps = [n["timestamp"] for n in graph["nodes"]]
    assert stamps == sorted(stamps)


def test_trace_by_url_ignores_tracking_parameters(scenario_store: Store) -> None:
    by_id = tracing.trace(scenario_store, "banten-ig-20240127")
    for ref in (
        BANTEN_URL,
        "https://www.instagram.com/p/C2bantenPemilu/",
        "instagram.com/p/C2bantenPemilu",
        "https://instagram.com/p/C2bantenPemilu/?igsh=zzz",
    ):
        assert tracing.trace(scenario_store, ref) == by_id


def test_unknown_post(scenario_store: Store) -> None:
    with pytest.raises(NotFoundError, match="no post 'nope'"):
        tracing.trace(scenario_store, "nope")
    with pytest.raises(NotFoundError):
        verification.verify_post(scenario_store, "https://www.instagram.com/p/unknown/")


def test_single_post_has_no_family(tmp_path: Path, corpus_builder: CorpusBuilder) -> None:
    folder = corpus_builder.add(
        post_line(
            "alone",
            "serang",
            "2024-02-02T09:00:00+07:00",
            "Kerja bakti minggu pagi di alun-alun bersama warga dan aparat desa setempat",
        )
    ).write()
    store = Store.open(tmp_path / "alone.db")
    service.ingest(store, folder)
    traced = tracing.trace(store, "alone")
    assert traced["family_id"] is None
    assert traced["post"]["family_id"] is None
    assert traced["origin"]["post_id"] == "alone"  # a family of one is its own origin
    assert traced["release"] is None and traced["parent"] is None
    assert traced["path"] == ["alone"]
    assert [n["id"] for n in traced["graph"]["nodes"]] == ["alone"]
    assert traced["graph"]["edges"] == []
    report = verification.verify_post(store, "alone")
    assert report.verdict == "not_found"
    store.close()


def test_verify_altered_copy_with_an_added_sentence(scenario_store: Store) -> None:
    report = verification.verify_post(scenario_store, "banten-ig-20240127")
    assert report.verdict == "supported"
    assert report.lag_seconds == 12 * 3600 + 42 * 60  # 19:33 WIB → 08:15 WIB next day
    assert report.altered is True
    assert normalize_text(ADDED_SENTENCE).text in report.changes["added_text"]
    assert normalize_text(BANTEN_GREETING).text in report.changes["added_text"]
    assert report.changes["removed_text"] == []
    assert report.changes["hashtags_added"] == ["bantenjawara", "pemiludamai2024"]
    assert report.evidence[0]["against"] == "kominfo-20240126"
    assert report.evidence[0]["scores"]["containment"] == 1.0
    corroboration = report.corroboration
    # Who else carried it: neither Kominfo nor Banten itself.
    assert corroboration["accounts"] == 6
    assert corroboration["regions"] == [
        "Jawa Barat",
        "Kabupaten Bandung",
        "Kabupaten Lebak",
        "Kabupaten Pandeglang",
        "Kabupaten Serang",
    ]
    assert corroboration["by_tier"] == {"province": 1, "regency": 4, "other": 1}
    assert corroboration["first_lag_seconds"] == 12 * 3600 + 27 * 60  # detik, 01:00Z


def test_verify_title_only_copy(scenario_store: Store) -> None:
    report = verification.verify_post(scenario_store, "pandeglang-20240128")
    assert report.verdict == "supported"
    assert report.altered is True
    assert report.changes["added_text"] == []
    assert report.changes["removed_text"] == [
        normalize_text(RELEASE_TEXT).text.removeprefix(normalize_text(TITLE).text + " ")
    ]


def test_export_is_node_link(scenario_store: Store) -> None:
    family_id = tracing.trace(scenario_store, "serang-20240127")["family_id"]
    graph = tracing.export(scenario_store, family_id, "json").render()
    assert graph == tracing.trace(scenario_store, "lebak-20240127")["graph"]
    assert graph["graph"] == {"family_id": family_id}
    assert {(e["source"], e["target"]) for e in graph["edges"]} >= {
        ("banten-ig-20240127", "serang-20240127"),
        ("jabar-20240127", "bandung-20240127"),
    }
    with pytest.raises(NotFoundError):
        tracing.export(scenario_store, "F999999", "json")
    with pytest.raises(NotFoundError):
        tracing.export(scenario_store, "banana", "json")


def test_export_of_a_single_post_family_is_not_found(scenario_store: Store) -> None:
    # Single posts have no family (trace says family_id null), so there is nothing to export.
    with pytest.raises(NotFoundError):
        tracing.export(scenario_store, "F0", "json")


# --- ingest: validation -------------------------------------------------------------------
