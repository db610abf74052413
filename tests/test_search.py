"""Content search: the linker's candidates and verification, read-only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tracer import search, service
from tracer.linking import Gate, Searcher, make_linker
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


def search_text(
    store: Store, searcher: Searcher, text: str, limit: int = 10
) -> list[dict[str, Any]]:
    """`POST /search`'s items for a text, with the searcher's linker."""
    with searcher.reading(store) as linker:
        hits = search.search(store, linker, search.text_candidate(text), limit)
    return [hit.to_json() for hit in hits]


def held(store: Store, searcher: Searcher) -> int:
    """Posts the searcher's linker holds."""
    with searcher.reading(store) as linker:
        return len(linker)


def test_a_copy_finds_its_family_first(scenario_store: Store) -> None:
    searcher = Searcher()
    text = "Halo warga! " + RELEASE_TEXT[:350] + "… more"
    hits = search_text(scenario_store, searcher, text)
    assert hits[0]["linked"] is True
    assert hits[0]["post"]["post_id"] in RELEASE_FAMILY
    assert hits[0]["size"] == len(RELEASE_FAMILY)
    # The sibling release written from the same templates is not a match.
    assert all(h["family_id"] != hits[0]["family_id"] for h in hits[1:])
    assert not any(h["linked"] for h in hits[1:])


def test_title_only_text_finds_the_release(scenario_store: Store) -> None:
    hits = search_text(scenario_store, Searcher(), TITLE)
    assert hits and hits[0]["linked"] and hits[0]["post"]["post_id"] in RELEASE_FAMILY


def test_each_release_finds_its_own_family(scenario_store: Store) -> None:
    searcher = Searcher()
    for text, member in ((OTHER_RELEASE_TEXT, "kominfo-20240125"), (LEAK_TEXT, "detik-cuti")):
        hits = search_text(scenario_store, searcher, text, limit=1)
        family = next(f for f in partition(scenario_store) if member in f)
        assert [h["post"]["post_id"] in family for h in hits] == [True]


def test_search_writes_nothing(scenario_store: Store) -> None:
    before = scenario_store.counts()
    search_text(scenario_store, Searcher(), RELEASE_TEXT)
    assert scenario_store.counts() == before


def test_unrelated_or_empty_text_finds_nothing(scenario_store: Store) -> None:
    searcher = Searcher()
    assert search_text(scenario_store, searcher, "🙏🙏 !!") == []
    text = "Lomba layang-layang tingkat kelurahan digelar Minggu pagi di lapangan bola."
    assert not any(h["linked"] for h in search_text(scenario_store, searcher, text))


def test_the_index_takes_in_new_posts(store: Store, tmp_path: Path) -> None:
    searcher = Searcher()
    service.ingest(store, CorpusBuilder(tmp_path / "a").add(*SCENARIO[:8]).write())
    assert search_text(store, searcher, LEAK_TEXT) == []
    loaded = held(store, searcher)
    service.ingest(store, CorpusBuilder(tmp_path / "b").add(*SCENARIO).write())
    hits = search_text(store, searcher, LEAK_TEXT)
    assert held(store, searcher) == len(SCENARIO) > loaded
    assert hits[0]["linked"] and hits[0]["size"] == 3
    extra = post_line("lebak-cuti", "lebak", "2024-03-02T08:00:00+07:00", LEAK_TEXT)
    service.ingest(store, CorpusBuilder(tmp_path / "c").add(*SCENARIO, extra).write())
    assert search_text(store, searcher, LEAK_TEXT)[0]["size"] == 4


LATE_TITLE = "Pemerintah Luncurkan Beasiswa Digital bagi Seratus Ribu Pelajar Daerah Tertinggal"
LATE_BODY = (
    "Kementerian Komunikasi dan Informatika membuka pendaftaran beasiswa pelatihan digital "
    "gratis mulai 3 Juni 2024 bagi pelajar SMA dan SMK di 62 kabupaten daerah tertinggal. "
    "Peserta mendapat kelas daring pemrograman, desain grafis dan keamanan siber selama "
    "enam bulan, sertifikat resmi, serta bantuan kuota internet 50 GB setiap bulan. "
    "Pendaftaran dibuka hingga 30 Juni 2024 melalui laman resmi digitalent dan kuota "
    "terbatas untuk 100.000 peserta."
)


def _state(linker: Any) -> tuple[Any, ...]:
    """What a linker holds, in comparable form: families, members, releases, accounts
    and every anchor's postings."""
    keys = linker.index.distinct_keys()
    postings = [sorted(p or ()) for p in linker.index.lookup(keys, 1 << 30)]
    members = {f: sorted(m) for f, m in linker._members.items()}
    return (
        linker._family_of,
        members,
        linker._release_of,
        linker._account_of,
        keys.tolist(),
        postings,
    )


def test_a_topped_up_searcher_holds_what_a_fresh_load_holds(store: Store, tmp_path: Path) -> None:
    """Posts another writer stored since, and the families they merged: the searcher's
    linker, topped up, holds what a linker loaded afresh holds."""
    title = post_line("pandeglang-late", "pandeglang", "2024-06-01T08:00:00+07:00", LATE_TITLE)
    body = post_line("lebak-late", "lebak", "2024-06-01T09:00:00+07:00", LATE_BODY)
    body_copy = post_line(
        "serang-late", "serang", "2024-06-01T09:30:00+07:00", "Salam sehat! " + LATE_BODY
    )
    release = post_line(
        "kominfo-late", "kominfo", "2024-06-01T10:00:00+07:00", LATE_TITLE + "\n\n" + LATE_BODY
    )
    searcher = Searcher()
    steps = (SCENARIO, (title, body, body_copy), (release,))
    lines: list[dict[str, Any]] = []
    for n, step in enumerate(steps):
        lines += step
        report = service.ingest(store, CorpusBuilder(tmp_path / str(n)).add(*lines).write())
        assert not report.relinked
        assert held(store, searcher) == len(lines)
    families = {frozenset(f) for f in partition(store)}
    assert frozenset({"pandeglang-late", "lebak-late", "serang-late", "kominfo-late"}) in families
    with searcher.reading(store) as linker:
        assert linker.top_ups == 2
        topped = _state(linker)
    reader = store.link_reader()
    try:
        assert topped == _state(make_linker(store, MatchPolicy(), reader))
    finally:
        reader.close()
    hits = search_text(store, searcher, LATE_BODY)
    assert hits[0]["linked"] and hits[0]["size"] == 4


def test_a_top_up_waits_for_the_searches_under_way() -> None:
    """Searches share the searcher's linker; a top-up changes it only between them."""
    gate = Gate()
    order: list[str] = []

    def top_up() -> None:
        with gate.writing():
            order.append("top-up")

    with gate.reading(), gate.reading():  # two searches at once
        writer = threading.Thread(target=top_up)
        writer.start()
        writer.join(0.2)
        assert writer.is_alive() and order == []
        order.append("searched")
    writer.join(5)
    assert order == ["searched", "top-up"]
    with gate.reading():
        order.append("searched again")
    assert order[-1] == "searched again"
