"""Fault suite, process half (issue 12): two writers are serialised (the second waits,
saying so, or fails at once with exit 2 / a 409), a killed ingest leaves no worker
running, and an ingest commits as it goes however many pictures a batch of lines holds.
Real subprocesses, a real server and real SQLite files (and PostgreSQL for the waiting
writer, tests/test_replicas.py for more); nothing is timed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import orjson
import psutil
import pytest
from PIL import Image, ImageDraw

from tracer import service
from tracer.store import Store

from .conftest import RELEASE_TEXT, SCENARIO, CorpusBuilder, Db, post_line, scenario_corpus
from .processes import TRACER, run_tracer, serving, start_ingest
from .test_api_http import assert_problem

KEY = "writer-key"


def stored(db: Path) -> int:
    store = Store.open(db)
    try:
        return store.counts()["posts"]
    finally:
        store.close()


def until(condition: object, what: str, limit: float = 60) -> None:
    """Poll `condition` (a callable) until it holds; a bound against hanging, not a timing."""
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


# --- two writers -----------------------------------------------------------------


@pytest.mark.databases  # a lock file beside SQLite, an advisory lock on PostgreSQL
def test_a_second_cli_ingest_fails_at_once_or_waits_and_loses_nothing(
    tmp_path: Path, new_db: Db
) -> None:
    corpus = scenario_corpus(tmp_path / "corpus")
    db = new_db
    holder = Store.open(db)
    with holder.writer():  # another ingest, as far as the CLI can tell
        refused = run_tracer("--db", str(db), "ingest", str(corpus), "--wait", "0")
        assert refused.returncode == 2
        assert "is writing to this database: try again" in refused.stderr
        assert "Traceback" not in refused.stderr and len(refused.stderr) < 400
        waiting = start_ingest(db, corpus)
        assert waiting.stderr is not None
        said = waiting.stderr.readline()
        assert said.startswith("waiting: an ingest (pid") and str(os.getpid()) in said
        assert stored(db) == 0
    out, err = waiting.communicate(timeout=120)
    holder.close()
    assert waiting.returncode == 0, err
    assert orjson.loads(out)["ingested"] == len(SCENARIO) == stored(db)


def test_two_concurrent_cli_ingests_both_store_everything(tmp_path: Path) -> None:
    corpora = []
    for n in range(2):
        builder = CorpusBuilder(tmp_path / f"corpus{n}")
        for i in range(1000):
            text = f"{RELEASE_TEXT} nomor {n}-{i}" if i % 3 else f"Berita {n} ke-{i} hari ini"
            builder.add(post_line(f"p{n}-{i}", "kominfo", f"2024-01-{1 + i % 28:02d}T10:00Z", text))
        corpora.append(builder.write())
    db = tmp_path / "t.db"
    # many commits: the two runs overlap
    runs = [start_ingest(db, c, TRACER_BATCH_SIZE="50") for c in corpora]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert orjson.loads(out)["ingested"] == 1000
    assert stored(db) == 2000


def test_post_ingest_answers_409_while_another_ingest_writes(
    scenario_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(scenario_db, db)
    line = (
        orjson.dumps(post_line("busy-1", "kominfo", "2024-03-01T10:00:00Z", "Berita baru")) + b"\n"
    )
    headers = {"Content-Type": "application/x-ndjson", "X-API-Key": KEY}
    settings = {"TRACER_API_KEYS": KEY, "TRACER_INGEST_WAIT": "0"}
    with serving(db, tmp_path / "serve.log", settings) as base, httpx.Client(base_url=base) as http:
        holder = Store.open(db)
        with holder.writer():
            body = assert_problem(http.post("/ingest", content=line, headers=headers), 409)
            assert "try again" in body["detail"] and str(tmp_path) not in body["detail"]
        holder.close()
        response = http.post("/ingest", content=line, headers=headers, timeout=60)
        assert response.status_code == 200 and response.json()["ingested"] == 1


# --- workers die with their ingest -------------------------------------------------------


def picture(path: Path, n: int) -> None:
    image = Image.new("RGB", (1200, 1200), (n * 37 % 255, 90, 160))
    draw = ImageDraw.Draw(image)
    for row in range(40):
        draw.text((20, 20 + row * 28), f"Pengumuman {n} baris {row} " * 6, fill="white")
    image.save(path, quality=90)


def test_kill_9_of_an_ingest_leaves_no_worker_running(tmp_path: Path) -> None:
    builder = CorpusBuilder(tmp_path / "corpus")
    (builder.root / "media").mkdir(parents=True)
    for n in range(24):
        picture(builder.root / "media" / f"p{n}.jpg", n)
        builder.add(post_line(f"m{n}", "kominfo", "2024-01-26T10:00Z", "x", [f"media/p{n}.jpg"]))
    corpus = builder.write()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    ingest = subprocess.Popen(
        [TRACER, "--db", str(tmp_path / "t.db"), "ingest", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    parent = psutil.Process(ingest.pid)

    def workers() -> list[psutil.Process]:
        return [p for p in parent.children() if "tesseract" not in p.name()]

    until(lambda: len(workers()) >= 2, "the ingest's media workers")
    forked = workers()
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    _, alive = psutil.wait_procs(forked, timeout=5)
    assert not alive, f"workers still running: {[p.pid for p in alive]}"


# --- bounded batches ---------------------------------------------------------------


def test_an_ingest_commits_every_few_pictures_and_counts_them(
    corpus_builder: CorpusBuilder, store: Store
) -> None:
    (corpus_builder.root / "media").mkdir(parents=True)
    for n in range(12):
        Image.new("RGB", (64, 64), (n * 20, 40, 90)).save(corpus_builder.root / f"media/{n}.png")
        corpus_builder.add(
            post_line(f"m{n}", "kominfo", f"2024-01-26T1{n % 10}:00Z", "x", [f"media/{n}.png"])
        )
    corpus = corpus_builder.write()
    seen: list[tuple[int, int]] = []
    pictures: list[int] = []

    def lines_done(n: int) -> None:
        seen.append((n, store.counts()["posts"]))

    report = service.ingest(
        store,
        corpus,
        batch_size=5000,
        media_batch=4,
        progress=lines_done,
        media_progress=pictures.append,
        ocr_lang=None,
    )
    assert report.ingested == 12 and sum(pictures) == 12
    committed = [count for n, count in seen if n]
    assert committed == [4, 8, 12], seen
