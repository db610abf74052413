"""Content search: the linker's candidates and verification, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer import search, service
from tracer.policy import MatchPolicy
from tracer.store import Store

from .conftest import (
    LEAK_TEXT,
    OTHER_RELEASE_TEXT,
    RELEASE_FAMILY,
    RELEASE_TEXT,
    SCENARIO,
    TITLE,
    CorpusBuilder,
    partition,
    post_line,
)

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL


def test_a_copy_finds_its_family_first(scenario_store: Store) -> None:
    index = search.SearchIndex()
    text = "Halo warga! " + RELEASE_TEXT[:350] + "… more"
    hits = search.search_text(scenario_store, index, text, MatchPolicy())
    assert hits[0]["linked"] is True
    assert hits[0]["post"]["post_id"] in RELEASE_FAMILY
    assert hits[0]["size"] == len(RELEASE_FAMILY)
    # The sibling release written from the same templates is not a match.
    assert all(h["family_id"] != hits[0]["family_id"] for h in hits[1:])
    assert not any(h["linked"] for h in hits[1:])


def test_title_only_text_finds_the_release(scenario_store: Store) -> None:
    hits = search.search_text(scenario_store, search.SearchIndex(), TITLE, MatchPolicy())
    assert hits and hits[0]["linked"] and hits[0]["post"]["post_id"] in RELEASE_FAMILY


def test_each_release_finds_its_own_family(scenario_store: Store) -> None:
    index = search.SearchIndex()
    for text, member in ((OTHER_RELEASE_TEXT, "kominfo-20240125"), (LEAK_TEXT, "detik-cuti")):
        hits = search.search_text(scenario_store, index, text, MatchPolicy(), limit=1)
        family = next(f for f in partition(scenario_store) if member in f)
        assert [h["post"]["post_id"] in family for h in hits] == [True]


def test_search_writes_nothing(scenario_store: Store) -> None:
    before = scenario_store.counts()
    search.search_text(scenario_store, search.SearchIndex(), RELEASE_TEXT, MatchPolicy())
    assert scenario_store.counts() == before


def test_unrelated_or_empty_text_finds_nothing(scenario_store: Store) -> None:
    index = search.SearchIndex()
    assert search.search_text(scenario_store, index, "🙏🙏 !!", MatchPolicy()) == []
    text = "Lomba layang-layang tingkat kelurahan digelar Minggu pagi di lapangan bola."
    assert not any(
        h["linked"] for h in search.search_text(scenario_store, index, text, MatchPolicy())
    )


def test_the_index_takes_in_new_posts(store: Store, tmp_path: Path) -> None:
    index = search.SearchIndex()
    service.ingest(store, CorpusBuilder(tmp_path / "a").add(*SCENARIO[:8]).write())
    assert search.search_text(store, index, LEAK_TEXT, MatchPolicy()) == []
    loaded = index.posts
    service.ingest(store, CorpusBuilder(tmp_path / "b").add(*SCENARIO).write())
    hits = search.search_text(store, index, LEAK_TEXT, MatchPolicy())
    assert index.posts == len(SCENARIO) > loaded
    assert hits[0]["linked"] and hits[0]["size"] == 3
    extra = post_line("lebak-cuti", "lebak", "2024-03-02T08:00:00+07:00", LEAK_TEXT)
    service.ingest(store, CorpusBuilder(tmp_path / "c").add(*SCENARIO, extra).write())
    assert search.search_text(store, index, LEAK_TEXT, MatchPolicy())[0]["size"] == 4
