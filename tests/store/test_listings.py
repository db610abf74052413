"""Read-side queries: keyset pages stay consistent while posts arrive; family
summaries follow ingests; cursors are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer import service
from tracer.errors import InputError, NotFoundError
from tracer.store import Store
from tracer.store import listings as queries

from ..conftest import RELEASE_TEXT, SCENARIO, CorpusBuilder, post_line

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL


def all_posts(store: Store, limit: int, **filters: object) -> list[str]:
    out: list[str] = []
    cursor = None
    while True:
        page = queries.list_posts(store, limit=limit, cursor=cursor, **filters)  # type: ignore[arg-type]
        out.extend(p["post_id"] for p in page.items)
        if page.next is None:
            return out
        cursor = page.next


def test_pages_are_stable_under_inserts(store: Store, tmp_path: Path) -> None:
    first = CorpusBuilder(tmp_path / "a").add(*SCENARIO).write()
    service.ingest(store, first)
    page1 = queries.list_posts(store, limit=6)
    seen = [p["post_id"] for p in page1.items]
    last_time = page1.items[-1]["published_at"]
    late = post_line("bandung-late", "bandung", "2024-12-01T00:00:00Z", RELEASE_TEXT)
    early = post_line("bandung-early", "bandung", "2023-01-01T00:00:00Z", "Rapat pagi ini.")
    service.ingest(store, CorpusBuilder(tmp_path / "b").add(*SCENARIO, late, early).write())
    rest: list[str] = []
    cursor = page1.next
    while cursor:
        page = queries.list_posts(store, limit=6, cursor=cursor)
        rest.extend(p["post_id"] for p in page.items)
        assert all(p["published_at"] >= last_time for p in page.items)
        cursor = page.next
    assert not set(seen) & set(rest)  # nothing repeats
    assert "bandung-late" in rest and "bandung-early" not in rest  # before the cursor
    assert sorted(seen + rest + ["bandung-early"]) == sorted(all_posts(store, 100))


def test_page_size_does_not_change_the_listing(scenario_store: Store) -> None:
    assert (
        all_posts(scenario_store, 1)
        == all_posts(scenario_store, 7)
        == all_posts(scenario_store, 500)
    )


def test_query_words_are_normalised_and_escaped(scenario_store: Store) -> None:
    found = all_posts(scenario_store, 50, q="JEMBATAN   gantung!")
    assert set(found) == {"serang-jembatan", "lebak-jembatan"}
    assert all_posts(scenario_store, 50, q="100%") == []
    assert set(all_posts(scenario_store, 50, q="jembatan_gantung")) == set(found)


@pytest.mark.parametrize("cursor", ["", "%%%", "eyJ4IjoxfQ", "WyJwb3N0cyIsMSwidHdvIl0"])
def test_bad_cursors_are_input_errors(scenario_store: Store, cursor: str) -> None:
    with pytest.raises(InputError, match="cursor"):
        queries.decode_cursor("posts", cursor or "x", (int, int))


def test_cursor_round_trip() -> None:
    cursor = queries.encode_cursor("posts", [1706320800, 42])
    assert queries.decode_cursor("posts", cursor, (int, int)) == [1706320800, 42]
    with pytest.raises(InputError):
        queries.decode_cursor("families:size:desc", cursor, (int, int))


def test_family_summaries_follow_ingests(store: Store, tmp_path: Path) -> None:
    stats = queries.FamilyStats()
    service.ingest(store, CorpusBuilder(tmp_path / "a").add(*SCENARIO[:3]).write())
    assert stats.ensure_fresh(store) == 1
    assert stats.ensure_fresh(store) == 0  # nothing changed: not even a query of stale rows
    (family,) = queries.list_families(store).items
    assert family["size"] == 3 and family["accounts"] == 3
    service.ingest(store, CorpusBuilder(tmp_path / "b").add(*SCENARIO).write())
    stats.ensure_fresh(store)
    sizes = sorted(f["size"] for f in queries.list_families(store, sort="size").items)
    assert sizes == [2, 2, 3, 8]
    summary = queries.family_summary(store, family["family_id"])
    assert summary["size"] == 8 and summary["by_tier"]["central"] == 1


def test_unknown_family(scenario_store: Store) -> None:
    with pytest.raises(NotFoundError):
        queries.family_summary(scenario_store, "F424242")
    with pytest.raises(NotFoundError):
        queries.family_summary(scenario_store, "family-1")


def test_word_search_looks_at_a_bounded_window_per_page(
    scenario_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = all_posts(scenario_store, 50, q="presiden")
    assert len(whole) >= 5
    monkeypatch.setattr(queries, "Q_SCAN_ROWS", 3)
    first = queries.list_posts(scenario_store, q="presiden", limit=50)
    assert len(first.items) <= 3 and first.next is not None
    assert all_posts(scenario_store, 50, q="presiden") == whole
    assert all_posts(scenario_store, 2, q="presiden") == whole
