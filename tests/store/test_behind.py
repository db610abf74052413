"""Writes behind the caller: run in order, one at a time, their errors raised in the caller."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tracer.errors import StoreError
from tracer.store import Store
from tracer.store.behind import WritesBehind, WritesInProcess

from ..conftest import Db
from .writer_targets import Marks, Unreadable


class Boom(Exception):
    pass


@pytest.mark.parametrize("behind", [True, False])
def test_writes_run_in_the_order_handed_over(behind: bool) -> None:
    done: list[int] = []

    def write(n: int) -> None:
        time.sleep(0.01 if n % 2 else 0)  # a slow write is not overtaken
        done.append(n)

    with WritesBehind(behind) as writes:
        for n in range(6):
            writes.submit(write, n)
    assert done == list(range(6))


def test_behind_a_write_runs_in_another_thread_and_the_caller_goes_on() -> None:
    started, release = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []

    def write() -> None:
        threads.append(threading.current_thread())
        started.set()
        assert release.wait(5)

    with WritesBehind(True) as writes:
        writes.submit(write)  # returns while the write waits
        assert started.wait(5)
        release.set()
    assert threads[0] is not threading.current_thread()


def test_inline_a_write_runs_at_once_in_the_callers_thread() -> None:
    threads: list[threading.Thread] = []
    with WritesBehind(False) as writes:
        writes.submit(lambda: threads.append(threading.current_thread()))
        assert threads == [threading.current_thread()]


def test_a_failed_write_is_raised_by_the_next_submit_and_stops_the_rest() -> None:
    done: list[int] = []

    def fail() -> None:
        raise Boom

    with pytest.raises(Boom), WritesBehind(True) as writes:
        writes.submit(fail)
        writes.submit(done.append, 1)
    assert done == []


def test_a_failed_last_write_is_raised_on_leaving() -> None:
    def fail() -> None:
        raise Boom

    with pytest.raises(Boom), WritesBehind(True) as writes:
        writes.submit(fail)


def test_the_callers_own_error_wins_and_the_running_write_ends_first() -> None:
    done: list[str] = []

    def slow() -> None:
        time.sleep(0.05)
        done.append("written")

    with pytest.raises(KeyError), WritesBehind(True) as writes:
        writes.submit(slow)
        raise KeyError("the caller's")
    assert done == ["written"]


# --- a process of their own (SQLite, a relink) ---------------------------------------


def _store(path: Path) -> Store:
    Store.open(path).close()  # the schema, as the caller has it before writing
    return Store.open(path)


def _matches(path: Path) -> list[tuple[int, int, str]]:
    store = Store.open(path)
    try:
        with store.engine.connect() as conn:
            sql = "SELECT idx, other_idx, modality FROM matches ORDER BY idx, other_idx"
            rows = conn.exec_driver_sql(sql)
            return [(int(a), int(b), str(m)) for a, b, m in rows]
    finally:
        store.close()


def test_in_a_process_writes_run_in_order_on_the_same_file(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    try:
        with store.writes_behind(own_process=True) as writes:
            assert isinstance(writes, WritesInProcess)
            for n in range(1, 6):
                rows = [(n, m, "text", {"n": n}) for m in range(n)]
                writes.submit(store.write_links, [], rows, [], [])
                rows.clear()  # pickled when handed over: a later change is not written
        assert _matches(tmp_path / "t.db") == [
            (n, m, "text") for n in range(1, 6) for m in range(n)
        ]
    finally:
        store.close()
    marks = Marks(str(tmp_path / "marks.txt"))
    with WritesInProcess(functools.partial(Marks, str(tmp_path / "marks.txt")), 3) as writes:
        for n in range(8):
            writes.submit(marks.mark, str(n), 0.02 if n % 2 else 0.0)  # slow ones not overtaken
    assert (tmp_path / "marks.txt").read_text().split() == [str(n) for n in range(8)]


def test_in_a_process_a_failed_write_is_raised_as_the_databases_error(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    try:
        with (
            pytest.raises(sa.exc.IntegrityError, match="UNIQUE"),
            store.writes_behind(own_process=True) as writes,
        ):
            twice: list[tuple[int, int, str, dict[str, Any]]] = [(1, 2, "text", {})] * 2
            writes.submit(store.write_links, [], twice, [], [])
            writes.submit(store.write_links, [], [(3, 4, "text", {})], [], [])
        assert _matches(tmp_path / "t.db") == []  # neither the failed write nor the next
    finally:
        store.close()


def test_in_a_process_a_store_that_does_not_open_fails_the_first_write(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 't.db'}"
    named = _store(tmp_path / "t.db")  # the process runs the method of this name on its own
    named.close()
    with (
        pytest.raises(sa.exc.OperationalError, match="unable to open"),
        WritesInProcess(functools.partial(Store.on_url, missing)) as writes,
    ):
        writes.submit(named.write_links, [], [], [], [])
        writes.wait()


def test_in_a_process_a_writer_that_dies_is_a_store_error(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    url = f"sqlite:///{tmp_path / 't.db'}"
    try:
        with (
            pytest.raises(StoreError, match="writer process ended"),
            WritesInProcess(functools.partial(Store.on_url, url)) as writes,
        ):
            writes.submit(store.write_links, [], [], [], [])
            writes.wait()
            writes._process.kill()  # as the kernel's OOM killer would
            writes._process.wait()
            writes.submit(store.write_links, [], [(1, 2, "text", {})], [], [])
            writes.wait()
    finally:
        store.close()


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The writer process does not run the caller's main module again, as
    `multiprocessing`'s spawn would: a script that writes at import time."""
    script = tmp_path / "script.py"
    runs = tmp_path / "runs.txt"
    script.write_text(
        "from pathlib import Path\n"
        "from tracer.store import Store\n"
        f"runs = Path({str(runs)!r})\n"
        "runs.open('a').write('run\\n')\n"
        f"store = Store.open({str(tmp_path / 't.db')!r})\n"
        "with store.writes_behind(own_process=True) as writes:\n"
        "    writes.submit(store.write_links, [], [(7, 8, 'text', {})], [], [])\n"
        "store.close()\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert runs.read_text() == "run\n"
    assert _matches(tmp_path / "t.db") == [(7, 8, "text")]


def test_a_write_the_process_cannot_read_ends_it_as_a_store_error(tmp_path: Path) -> None:
    marks = Marks(str(tmp_path / "marks.txt"))
    with (
        pytest.raises(StoreError, match=r"writer process ended \(exit code 1\)"),
        WritesInProcess(functools.partial(Marks, str(tmp_path / "marks.txt"))) as writes,
    ):
        writes.submit(marks.mark, "first")
        writes.submit(marks.mark, Unreadable())  # type: ignore[arg-type]
        writes.submit(marks.mark, "after")
        writes.wait()
    assert (tmp_path / "marks.txt").read_text() == "first\n"


def test_a_caller_killed_leaves_only_the_running_write(tmp_path: Path) -> None:
    """Killed, the caller no longer holds the writer lock: what it handed over and the
    process has not begun is not written."""
    out = tmp_path / "marks.txt"
    script = tmp_path / "script.py"
    script.write_text(
        "import functools, os, sys\n"
        "from tests.store.writer_targets import Marks\n"
        "from tracer.store.behind import WritesInProcess\n"
        f"path = {str(out)!r}\n"
        "writes = WritesInProcess(functools.partial(Marks, path))\n"
        "marks = Marks(path)\n"
        "writes.submit(marks.mark, 'started', 0.0)\n"
        "writes.wait()\n"
        "for n in range(3):\n"
        "    writes.submit(marks.mark, f'queued {n}', 1.0)\n"
        "print(writes._process.pid, flush=True)\n"
        "os._exit(9)\n"
    )
    root = str(Path(__file__).resolve().parents[2])  # where `tests` is a package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *sys.path])}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 9, done.stderr
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()  # the process ended too
    assert out.read_text() in ("started\n", "started\nqueued 0\n")


@pytest.mark.databases
def test_only_an_sqlite_file_gets_a_process_of_its_own(new_db: Db, backend: str) -> None:
    store = Store.open(new_db)
    try:
        with store.writes_behind(own_process=True) as writes:
            assert isinstance(writes, WritesInProcess) == (backend == "sqlite")
    finally:
        store.close()
    memory = Store.open("sqlite://")
    try:
        with memory.writes_behind(own_process=True) as writes:
            assert isinstance(writes, WritesBehind)  # no file another process could open
    finally:
        memory.close()
