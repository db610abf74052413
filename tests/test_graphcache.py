"""Family graphs cached per family version (`tracer.graphcache`): the cached answers are
the answers built afresh; an ingest into a family moves its version and nothing else's,
and a second `Tracer` on the same database (a replica) serves the new graph; entity
tags name the answers; the cache holds to its bound. On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tracer import Tracer, tracing
from tracer.exports import FORMATS
from tracer.graphcache import family_bytes, not_modified
from tracer.store import Store
from tracer.tables import EDGES, NODES, csv_lines

from .conftest import RELEASE_FAMILY, RELEASE_TEXT, CorpusBuilder, Db, post_line, scenario_corpus

pytestmark = pytest.mark.databases

IN_FAMILY = "banten-ig-20240127"
OTHER = "jabar-20240125"  # the other release's family
ALONE = "pandeglang-kerjabakti"


def family_of(door: Tracer, post: str) -> str:
    family = door.post(post).family_id
    assert family is not None
    return family


def test_cached_answers_are_the_answers_built_afresh(scenario_db: Db) -> None:
    door = Tracer.open(scenario_db)
    store = door.store
    try:
        refs = [IN_FAMILY, OTHER, ALONE, "https://www.instagram.com/p/C2kominfoPemilu/"]
        for _ in range(2):  # built, then served from the cache
            for ref in refs:
                fresh = orjson.dumps(tracing.trace(store, ref))
                assert door.trace_document(ref).body == fresh
                assert door.trace(ref).to_json() == orjson.loads(fresh)
            family = family_of(door, IN_FAMILY)
            for fmt in FORMATS:
                built = tracing.export(store, family, fmt, zone="Asia/Makassar").render()
                expected = built.encode() if isinstance(built, str) else orjson.dumps(built)
                served = door.graph_document(family, fmt, "Asia/Makassar")
                assert served.body == expected, fmt
                assert door.export(family, fmt, "Asia/Makassar").render() == built
            elements = tracing.export(store, family, "cytoscape").render()
            assert isinstance(elements, dict)
            for name, table in (("nodes", NODES), ("edges", EDGES)):
                rows = [e["data"] for e in elements[name]]
                csv = "".join(csv_lines(table, rows, "Asia/Jakarta")).encode()
                assert door.graph_document(family, "csv", table=name).body == csv
        stats = door.graph_cache()
        assert stats["entries"] == 2  # the two families; a post alone is not kept
        assert stats["hits"] > stats["misses"]
    finally:
        door.close()


def test_an_ingest_into_a_family_moves_its_version_only_and_every_replica_sees_it(
    new_db: Db, tmp_path: Path
) -> None:
    writer = Tracer.open(new_db)
    replica = Tracer.open(new_db)  # another process on the same database
    try:
        writer.ingest(scenario_corpus(tmp_path / "corpus"))
        family, other = family_of(replica, IN_FAMILY), family_of(replica, OTHER)
        before = replica.trace_document(IN_FAMILY)
        graph = replica.graph_document(family)
        untouched = replica.trace_document(OTHER)
        assert before.body and len(orjson.loads(before.body)["graph"]["nodes"]) == 8
        versions = {f: replica.store.family_version(int(f[1:])) for f in (family, other)}
        misses = replica.graph_cache()["misses"]

        more = CorpusBuilder(tmp_path / "more").add(
            post_line("lebak-ulang", "lebak", "2024-03-05T08:00:00+07:00", RELEASE_TEXT),
            post_line(
                "bandung-ulang", "bandung", "2024-03-05T09:00:00+07:00", RELEASE_TEXT + "\n#Ulang"
            ),
        )
        report = writer.ingest(more.write())
        assert report.ingested == 2 and not report.relinked

        assert replica.store.family_version(int(family[1:])) != versions[family]
        assert replica.store.family_version(int(other[1:])) == versions[other]
        after = replica.trace_document(IN_FAMILY, if_none_match=before.etag)
        assert after.body is not None and after.etag != before.etag
        nodes = {n["id"] for n in orjson.loads(after.body)["graph"]["nodes"]}
        assert nodes == RELEASE_FAMILY | {"lebak-ulang", "bandung-ulang"}
        regraphed = replica.graph_document(family, if_none_match=graph.etag)
        assert regraphed.body is not None and regraphed.etag != graph.etag
        assert len(replica.family(family).posts) == 10
        # The other family is served as it was: not modified, not rebuilt.
        assert replica.trace_document(OTHER, if_none_match=untouched.etag).body is None
        assert replica.trace_document(OTHER).body == untouched.body
        assert replica.graph_cache()["misses"] == misses + 1
    finally:
        writer.close()
        replica.close()


def test_entity_tags_name_the_answer(scenario_db: Db) -> None:
    door = Tracer.open(scenario_db, graph_cache_bytes=0)  # tags do not need the cache
    try:
        family = family_of(door, IN_FAMILY)
        first = door.graph_document(family, "gexf")
        assert first.etag and first.etag.startswith('W/"')
        assert door.graph_document(family, "gexf").etag == first.etag
        others = {door.graph_document(family, f).etag for f in FORMATS}
        others.add(door.graph_document(family, "cytoscape", "Asia/Jayapura").etag)
        others.add(door.graph_document(family, "csv", table="edges").etag)
        assert len(others) == len(FORMATS) + 2  # each format, zone and table its own
        assert door.graph_document(family, "gexf", if_none_match=first.etag).body is None
        assert door.trace_document(IN_FAMILY).etag != door.trace_document("lebak-20240127").etag
        assert door.trace_document(ALONE, if_none_match="*").body is None
        assert door.graph_cache()["entries"] == 0
    finally:
        door.close()


def test_if_none_match_weak_comparison() -> None:
    tag = 'W/"abc"'
    assert not_modified(tag, 'W/"abc"')
    assert not_modified(tag, '"abc"')
    assert not_modified(tag, '"x", W/"abc"')
    assert not_modified(tag, "*")
    assert not not_modified(tag, None)
    assert not not_modified(tag, '"abcd"')
    assert not not_modified(tag, "")


def test_the_cache_holds_to_its_bound(scenario_db: Db) -> None:
    store = Store.open(scenario_db)
    try:
        sizes = [family_bytes(tracing.trace_of(store, p).family) for p in (IN_FAMILY, OTHER)]
    finally:
        store.close()
    bound = max(sizes) + min(sizes) // 2  # room for either family, not for both
    door = Tracer.open(scenario_db, graph_cache_bytes=bound)
    try:
        for _ in range(2):
            door.trace(IN_FAMILY)
            door.trace(OTHER)
        stats = door.graph_cache()
        assert stats["bytes"] <= bound
        assert stats["evictions"] == 3 and stats["entries"] == 1
        assert stats["misses"] == 4
    finally:
        door.close()


def test_a_store_from_before_family_versions_is_migrated(new_db: Db, tmp_path: Path) -> None:
    store = Store.open(new_db)
    door = Tracer(store)
    try:
        door.ingest(scenario_corpus(tmp_path / "corpus"))
        expected = orjson.dumps(tracing.trace(store, IN_FAMILY))
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE families DROP COLUMN version")
            conn.exec_driver_sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    finally:
        door.close()
    again = Tracer.open(new_db)
    try:
        writes = again.store.generation().writes
        family = family_of(again, IN_FAMILY)
        assert again.store.family_version(int(family[1:])) == writes
        assert again.trace_document(IN_FAMILY).body == expected
    finally:
        again.close()
