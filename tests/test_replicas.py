"""Several processes on one database (docs/deployment.md): two `tracer ingest` at once
store every line once and leave what one ingest of all of them leaves; two `tracer
serve` replicas answer for posts that came in through the other one, or through the
CLI beside them. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from synthetic import accounts_of, iter_scale_corpus, post_json_local, scale_offices
from tracer import service
from tracer.corpus import POSTS_FILE, write_corpus
from tracer.linking import SNAPSHOT
from tracer.store import Store
from tracer.store.snapshots import Stamp

from .conftest import RELEASE_TEXT, Databases, Db, partition, post_line, scenario_corpus
from .processes import run_tracer, serving, start_ingest

pytestmark = pytest.mark.databases

KEY = "replica-key"
POSTS = 1200


def scale_corpus(folder: Path, lines: list[bytes]) -> Path:
    write_corpus(folder, accounts_of(scale_offices(7)), ())
    (folder / POSTS_FILE).write_bytes(b"".join(lines))
    return folder


def parents(store: Store) -> dict[str, str | None]:
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT p.post_id, q.post_id FROM posts p LEFT JOIN posts q ON q.idx = p.parent_idx"
        ).all()
    return {str(p): q for p, q in rows}


def test_two_concurrent_ingests_store_every_line_once_as_one_ingest_would(
    databases: Databases, backend: str, tmp_path: Path
) -> None:
    lines = [orjson.dumps(post_json_local(p)) + b"\n" for p, _ in iter_scale_corpus(7, POSTS)]
    whole = scale_corpus(tmp_path / "whole", lines)
    halves = [  # overlapping: the middle third is in both
        scale_corpus(tmp_path / "first", lines[: 2 * POSTS // 3]),
        scale_corpus(tmp_path / "second", lines[POSTS // 3 :]),
    ]
    reference = Store.open(databases.new(backend, "reference"))
    try:
        assert service.ingest(reference, whole).ingested == POSTS
        want = (partition(reference), parents(reference))
    finally:
        reference.close()

    db = databases.new(backend, "concurrent")
    holder = Store.open(db)
    with holder.writer():  # both start while a third writer holds the database
        runs = [start_ingest(db, half, TRACER_BATCH_SIZE="100") for half in halves]
        for run in runs:  # each says it waits, then the two race for the lock
            assert run.stderr is not None
            said = run.stderr.readline()
            assert said.startswith("waiting: an ingest (pid"), said
    reports = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        reports.append(orjson.loads(out))
    try:
        assert sum(r["ingested"] for r in reports) == POSTS
        assert sum(r["unchanged"] for r in reports) == POSTS // 3
        assert all(r["conflicts"] == [] and r["errors"] == [] for r in reports)
        assert holder.counts()["posts"] == POSTS
        assert (partition(holder), parents(holder)) == want
    finally:
        holder.close()


NEW_RELEASE = (
    "Pemerintah Buka Pendaftaran Beasiswa Vokasi 2024\n\n"
    "Kementerian membuka pendaftaran beasiswa vokasi bagi lulusan sekolah menengah "
    "kejuruan di seluruh provinsi mulai 4 Maret hingga 30 April 2024. Peserta memilih "
    "satu dari empat puluh program studi di politeknik negeri, dengan biaya kuliah dan "
    "biaya hidup ditanggung negara selama tiga tahun masa pendidikan."
)


def ndjson(*lines: dict[str, Any]) -> bytes:
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


def test_a_replica_answers_for_posts_ingested_through_another(new_db: Db, tmp_path: Path) -> None:
    store = Store.open(new_db)
    try:
        service.ingest(store, scenario_corpus(tmp_path / "corpus"))
    finally:
        store.close()
    settings = {"TRACER_API_KEYS": KEY, "TRACER_RATE_LIMIT": "0"}
    with (
        serving(new_db, tmp_path / "a.log", settings) as a,  # type: ignore[arg-type]
        serving(new_db, tmp_path / "b.log", settings) as b,  # type: ignore[arg-type]
        httpx.Client(base_url=a, timeout=60) as first,
        httpx.Client(base_url=b, timeout=60) as second,
    ):
        # The second replica has loaded its indexes, searcher and summaries before.
        assert second.post("/search", json={"text": NEW_RELEASE}).json()["items"] == []
        assert second.post("/verify", data={"text": NEW_RELEASE}).json()["verdict"] == "not_found"
        assert second.get("/trace", params={"post": "kominfo-beasiswa"}).status_code == 404
        sizes = {f["family_id"]: f["size"] for f in second.get("/families").json()["items"]}
        # The release family's graph, now in the second replica's cache, with its tag.
        cached = second.get("/trace", params={"post": "lebak-20240127"})
        tag = cached.headers["etag"]
        assert (
            second.get(
                "/trace", params={"post": "lebak-20240127"}, headers={"If-None-Match": tag}
            ).status_code
            == 304
        )

        body = ndjson(
            post_line("kominfo-beasiswa", "kominfo", "2024-03-04T09:00:00+07:00", NEW_RELEASE),
            post_line(
                "banten-beasiswa",
                "banten",
                "2024-03-04T11:00:00+07:00",
                "Halo Sahabat Banten! " + NEW_RELEASE + "\n#BantenJawara",
            ),
            post_line("lebak-ulang", "lebak", "2024-03-05T08:00:00+07:00", RELEASE_TEXT),
        )
        headers = {"Content-Type": "application/x-ndjson", "X-API-Key": KEY}
        report = first.post("/ingest", content=body, headers=headers)
        assert report.status_code == 200, report.text
        assert report.json()["ingested"] == 3

        traced = second.get("/trace", params={"post": "banten-beasiswa"})
        assert traced.status_code == 200
        answer = traced.json()
        assert answer["release"]["post_id"] == "kominfo-beasiswa"
        assert answer["path"] == ["kominfo-beasiswa", "banten-beasiswa"]
        family = answer["family_id"]
        old = second.get("/trace", params={"post": "lebak-ulang"}).json()
        assert old["release"]["post_id"] == "kominfo-20240126"
        # The cached graph was not served: the family's version moved in the database.
        again = second.get(
            "/trace", params={"post": "lebak-20240127"}, headers={"If-None-Match": tag}
        )
        assert again.status_code == 200 and again.headers["etag"] != tag
        grown = len(cached.json()["graph"]["nodes"]) + 1
        assert len(again.json()["graph"]["nodes"]) == grown == len(old["graph"]["nodes"])

        found = second.post("/search", json={"text": NEW_RELEASE}).json()["items"]
        assert found and found[0]["family_id"] == family and found[0]["linked"]
        verdict = second.post("/verify", data={"text": NEW_RELEASE}).json()
        assert verdict["release"]["post_id"] == "kominfo-beasiswa"
        listed = {f["family_id"]: f["size"] for f in second.get("/families").json()["items"]}
        assert listed[family] == 2
        assert listed[old["family_id"]] == sizes[old["family_id"]] + 1

        # The CLI beside the replicas: both see what it stored.
        more = tmp_path / "more"
        (more / "posts.jsonl").parent.mkdir()
        (more / "posts.jsonl").write_bytes(
            ndjson(
                post_line(
                    "jabar-beasiswa",
                    "jabar",
                    "2024-03-04T13:00:00+07:00",
                    "Sampurasun! " + NEW_RELEASE,
                )
            )
        )
        (more / "accounts.csv").write_text(
            (tmp_path / "corpus" / "accounts.csv").read_text(encoding="utf-8"), encoding="utf-8"
        )
        cli = run_tracer("--db", str(new_db), "ingest", str(more), "--json", timeout=120)
        assert cli.returncode == 0, cli.stderr
        for replica in (first, second):
            members = replica.get("/trace", params={"post": "jabar-beasiswa"}).json()
            assert members["family_id"] == family
            assert len(members["graph"]["nodes"]) == 3

        # A replica's warm-up stored the linker it built; a third replica opens that
        # snapshot, tops it up with the posts stored since, and answers as the others.
        assert stored_snapshot(new_db) is not None
        searched = second.post("/search", json={"text": NEW_RELEASE}).json()
        claim = {"text": NEW_RELEASE, "claimed_at": "2024-03-06T10:00:00+07:00"}
        verdict = second.post("/verify", data=claim).json()
        with (
            serving(new_db, tmp_path / "c.log", settings) as c,  # type: ignore[arg-type]
            httpx.Client(base_url=c, timeout=60) as third,
        ):
            assert third.post("/search", json={"text": NEW_RELEASE}).json() == searched
            assert third.post("/verify", data=claim).json() == verdict
        assert "snapshot not used" not in (tmp_path / "c.log").read_text()


def stored_snapshot(db: Db, wait: float = 60) -> Stamp | None:
    """The stamp of the stored linker snapshot, once a replica has stored it."""
    store = Store.open(db)
    try:
        deadline = time.monotonic() + wait
        while (stamp := store.snapshots.stamp(SNAPSHOT)) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        return stamp
    finally:
        store.close()


def test_post_ingest_that_waited_says_so_in_its_report(new_db: Db, tmp_path: Path) -> None:
    store = Store.open(new_db)
    try:
        service.ingest(store, scenario_corpus(tmp_path / "corpus"))
        settings = {"TRACER_API_KEYS": KEY, "TRACER_RATE_LIMIT": "0"}
        headers = {"Content-Type": "application/x-ndjson", "X-API-Key": KEY}
        line = ndjson(post_line("kominfo-beasiswa", "kominfo", "2024-03-04T09:00Z", NEW_RELEASE))
        with (
            serving(new_db, tmp_path / "serve.log", settings) as base,  # type: ignore[arg-type]
            httpx.Client(base_url=base, timeout=60) as http,
            ThreadPoolExecutor(1) as pool,
        ):
            with store.writer():  # another ingest holds the database for a moment
                sent = pool.submit(http.post, "/ingest", content=line, headers=headers)
                time.sleep(1.5)
                assert not sent.done()
            report = sent.result(timeout=60).json()
        assert report["ingested"] == 1
        assert any(
            n.startswith("waited ") and f"for an ingest (pid {os.getpid()}" in n
            for n in report["notes"]
        ), report["notes"]
    finally:
        store.close()
