"""The fingerprint stage through Dask gives what the local pool gives, byte for byte: a
Dask scheduler and two worker processes, started as docs/deployment.md says, prepare a
small media corpus (pictures with and without words, clips, a copy under another name,
a broken file), and an ingest through them stores the same fingerprints, readings,
matches, families and parents. An engine that cannot be used is refused with a message,
never a traceback or a hang."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE
from tracer.engines import LocalPool, open_engine, scheduler_address
from tracer.errors import EngineError
from tracer.media import ocr
from tracer.media.decode import MediaLimits
from tracer.prepare import (
    LineContext,
    MediaPipeline,
    Prepared,
    PreparedMedia,
    prepare_checked,
    prepare_lines,
)
from tracer.remote import check_workers

from .processes import run_tracer

try:
    import distributed
except ImportError:  # the `dask` extra is not installed: only the tests without it run
    distributed = None
needs_dask = pytest.mark.skipif(distributed is None, reason="distributed is not installed")
DASK = str(Path(sys.executable).with_name("dask"))

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "corpus"
RELEASE = "kominfo-wa-20240126-hakpolitik"
"""The sample's release with a clip and a poster, and its copies of 26-27 January."""


def small_corpus(folder: Path) -> Path:
    """The sample's hak-politik release and its copies (pictures, clips), one copy's
    picture posted again under another name, and a post with a broken picture."""
    lines = (SAMPLE / POSTS_FILE).read_bytes().splitlines()
    start = next(n for n, line in enumerate(lines) if RELEASE.encode() in line)
    posts = [orjson.loads(line) for line in lines[start : start + 16]]
    (folder / "media").mkdir(parents=True)
    for post in posts:
        for name in post.get("media", ()):
            (folder / name).write_bytes((SAMPLE / name).read_bytes())
    copy = next(p for p in posts[1:] if p.get("media", [""])[0].endswith(".jpg"))
    again = dict(copy, post_id="again-1", media=["media/again.jpg"])
    (folder / "media/again.jpg").write_bytes((SAMPLE / copy["media"][0]).read_bytes())
    broken = dict(copy, post_id="broken-1", media=["media/broken.jpg"])
    (folder / "media/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    body = b"".join(orjson.dumps(p) + b"\n" for p in [*posts, again, broken])
    (folder / POSTS_FILE).write_bytes(body)
    (folder / ACCOUNTS_FILE).write_bytes((SAMPLE / ACCOUNTS_FILE).read_bytes())
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_corpus(tmp_path_factory.mktemp("engines") / "corpus")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """docs/deployment.md's recipe on this machine: `dask scheduler`, and `dask worker`
    with two worker processes of one thread, started in a folder of their own."""
    if distributed is None:
        pytest.skip("distributed is not installed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    elsewhere = tmp_path_factory.mktemp("workers")
    commands = [
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
         "--no-dashboard"],
        [DASK, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
         "--local-directory", str(elsewhere)],
    ]  # fmt: skip
    started = [
        subprocess.Popen(c, cwd=elsewhere, start_new_session=True, stderr=subprocess.DEVNULL)
        for c in commands
    ]
    try:
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _prepared(corpus: Path, engine: Any) -> list[PreparedMedia]:
    lines = (corpus / POSTS_FILE).read_bytes().splitlines()
    accounts = frozenset(r.split(",")[0] for r in (corpus / ACCOUNTS_FILE).read_text().splitlines())
    ctx = LineContext(str(corpus / POSTS_FILE), accounts, corpus, None)
    records = [p for p in prepare_lines(list(enumerate(lines, 1)), ctx) if isinstance(p, Prepared)]
    assert len(records) == len(lines)
    with MediaPipeline(ctx, engine=engine) as pipeline:
        done = pipeline.collect(pipeline.submit(records))
    return [m for p in done for m in p.media]


def test_the_stage_through_dask_gives_the_local_pools_bytes(corpus: Path, scheduler: str) -> None:
    local = _prepared(corpus, LocalPool(2))
    with open_engine(scheduler) as engine:
        assert engine.remote and "2 workers" in engine.name
        check_workers(engine, corpus, ocr.LANG)
        dask = _prepared(corpus, engine)
    assert [m.path for m in dask] == [m.path for m in local]
    assert [m.fingerprint for m in dask] == [m.fingerprint for m in local]
    assert dask == local  # readings, thumbnails, errors, reuse: every field
    kinds = {m.kind for m in local if m.fingerprint}
    assert kinds == {"image", "video"}
    copies = {"media/again.jpg", "media/kab-garut-ig-20240127.jpg"}
    assert len([m for m in local if m.reused]) == 1 and {m.path for m in local if m.reused} < copies
    assert [m.path for m in local if m.error] == ["media/broken.jpg"]
    if ocr.unavailable() is None:
        assert any(m.ocr_text for m in local)


def _stored(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        media = conn.execute(
            "SELECT p.post_id, m.ordinal, m.path, m.sha256, m.kind, m.algorithm, "
            "m.fingerprint, m.ocr, m.thumbnail, m.error, m.ocr_params "
            "FROM media m JOIN posts p ON p.idx = m.idx ORDER BY p.post_id, m.ordinal"
        ).fetchall()
        matches = conn.execute(
            "SELECT a.post_id, b.post_id, x.modality, x.scores FROM matches x "
            "JOIN posts a ON a.idx = x.idx JOIN posts b ON b.idx = x.other_idx "
            "ORDER BY a.post_id, b.post_id"
        ).fetchall()
        posts = conn.execute(
            "SELECT p.post_id, p.family_id, q.post_id, p.edge FROM posts p "
            "LEFT JOIN posts q ON q.idx = p.parent_idx ORDER BY p.post_id"
        ).fetchall()
    return {"media": media, "matches": matches, "posts": posts}


@pytest.mark.slow
def test_an_ingest_through_dask_stores_what_a_local_one_stores(
    corpus: Path, scheduler: str, tmp_path: Path
) -> None:
    local = run_tracer("--db", str(tmp_path / "local.db"), "ingest", str(corpus), timeout=300)
    assert local.returncode == 0, local.stderr
    engine = scheduler.replace("tcp://", "dask://")
    dask = run_tracer(
        "--db", str(tmp_path / "dask.db"), "ingest", str(corpus), "--engine", engine, timeout=300
    )
    assert dask.returncode == 0, dask.stderr
    assert f"media files prepared by Dask at {scheduler} (2 workers" in dask.stderr
    on_dask, on_local = _stored(tmp_path / "dask.db"), _stored(tmp_path / "local.db")
    assert len(on_local["media"]) == 11 and len(on_local["matches"]) >= 10
    assert on_dask == on_local


def test_a_worker_that_differs_is_refused_by_name(scheduler: str) -> None:
    with open_engine(scheduler) as engine, pytest.raises(EngineError) as refused:
        engine.require_same(lambda: {"process": str(os.getpid())})
    assert "would not compute what this ingest computes" in str(refused.value)
    assert "process" in str(refused.value) and "tcp://127.0.0.1:" in str(refused.value)


def test_a_worker_that_joins_later_is_checked_before_it_gets_a_file(
    scheduler: str, tmp_path: Path
) -> None:
    with open_engine(scheduler) as engine:
        # A lambda travels by value: the workers need not import this module.
        engine.require_same(lambda: {"mark": os.environ.get("TRACER_TEST_MARK", "")})
        assert list(engine.map(abs, [-1, -2])) == [1, 2]
        late = subprocess.Popen(
            [DASK, "worker", scheduler, "--nthreads", "1", "--no-dashboard", "--name", "late"],
            cwd=tmp_path,
            env={**os.environ, "TRACER_TEST_MARK": "other"},
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )
        try:
            with distributed.Client(scheduler, set_as_default=False) as client:
                client.wait_for_workers(3, timeout=60)
            with pytest.raises(EngineError, match="mark '' here, 'other' there"):
                engine.map(abs, [-3])
        finally:
            os.killpg(late.pid, signal.SIGTERM)
            late.wait(timeout=30)


def test_a_file_that_differs_where_it_is_read_is_an_error_not_a_fingerprint(
    corpus: Path,
) -> None:
    found = prepare_checked(corpus, "media/again.jpg", MediaLimits(), None, "0" * 64)
    assert found.fingerprint is None and found.sha256 is None
    assert found.error is not None and "reads another file at this path" in found.error


@needs_dask
def test_an_unreachable_scheduler_is_a_message_not_a_traceback(
    corpus: Path, tmp_path: Path
) -> None:
    port = _free_port()  # nothing listens there
    done = run_tracer(
        "--db",
        str(tmp_path / "t.db"),
        "ingest",
        str(corpus),
        "--engine",
        f"dask://127.0.0.1:{port}",
    )
    assert done.returncode == 2
    assert f"error: cannot reach a Dask scheduler at tcp://127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "t.db").exists()


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["--engine", "celery://x"], {}, "--engine: 'celery://x' is not an engine"),
        (["--engine", "dask://host:99999"], {}, "bad port"),
        ([], {"TRACER_ENGINE": "ray"}, "TRACER_ENGINE: 'ray' is not an engine"),
    ],
)
def test_a_bad_engine_is_refused_before_anything_is_read(
    corpus: Path, tmp_path: Path, args: list[str], env: dict[str, str], said: str
) -> None:
    done = run_tracer("--db", str(tmp_path / "t.db"), "ingest", str(corpus), *args, env=env)
    assert done.returncode == 2 and said in done.stderr
    assert "Traceback" not in done.stderr


@needs_dask
def test_a_scheduler_without_workers_and_a_port_that_is_not_dask_are_refused() -> None:
    with (
        distributed.LocalCluster(
            n_workers=0,
            processes=False,
            protocol="tcp://",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as empty,
        pytest.raises(EngineError, match="has no workers"),
    ):
        open_engine(empty.scheduler_address, timeout=1)
    with socket.socket() as mute:  # accepts connections, never answers
        mute.bind(("127.0.0.1", 0))
        mute.listen()
        port = mute.getsockname()[1]
        held: list[socket.socket] = []
        accepting = threading.Thread(target=lambda: held.append(mute.accept()[0]), daemon=True)
        accepting.start()
        with pytest.raises(EngineError, match="does not answer as a Dask scheduler"):
            open_engine(f"dask://127.0.0.1:{port}", timeout=1)
        for conn in held:
            conn.close()


def test_without_distributed_the_dask_engine_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were absent
    with pytest.raises(EngineError, match=r"pip install 'tracer\[dask\]'"):
        open_engine("dask://127.0.0.1:8786")


@pytest.mark.parametrize(
    ("spec", "address"),
    [
        ("local", None),
        ("", None),
        ("dask://10.0.0.5", "tcp://10.0.0.5:8786"),
        ("dask://sched.internal:9000", "tcp://sched.internal:9000"),
        ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
        ("dask://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_engine_specs(spec: str, address: str | None) -> None:
    assert scheduler_address(spec) == address


@pytest.mark.parametrize(
    "spec", ["ray://x", "dask://", "dask://h:port", "dask://h:1/path", "dask://u@h", "h:8786"]
)
def test_specs_that_name_no_engine(spec: str) -> None:
    with pytest.raises(ValueError, match="is not an engine"):
        scheduler_address(spec)
