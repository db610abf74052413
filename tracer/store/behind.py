"""Writes that run behind the caller: an ingest hands a batch it only stores to the
store and reads the next, a relink hands over a chunk's links and links the next, the
cascade pass a chunk of parents and infers the next, while the write runs.

On a database server a write is mostly the server's work, and a caller that waits for
it leaves the server's core and its own taking turns: a relink of 100k posts into
PostgreSQL waited ~9 s for its writes. Here the writes run in a thread of their own
(on the engine's pool), in the order they were handed over, one at a time: the caller
waits for a write only when it hands over the next. A write's failure is raised in the
caller by the next `submit` or at the end. SQLite runs in this process, where a second
thread would only share the caller's core (tried twice, sessions 16 and 17: the
interpreter handed back and forth ate the gain): its writes run at once, in the
caller's thread, or, for a caller that leaves a core idle (a large relink or ingest
links on one), in a process of their own (`WritesInProcess`).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, NoReturn, ParamSpec, Protocol

from tracer.errors import StoreError

P = ParamSpec("P")
PENDING = 8
"""Writes that may wait in a writer process before the caller waits (a relink's chunk of
links is ~1–3 MB pickled)."""
WRITER_NICE = 5
"""How much lower the writer process's priority is than its caller's: the caller's one
thread (a relink's, an ingest's linking) sets the pace, the writes have slack."""
WRITER_END_SECONDS = 60.0
"""How long a writer process may take to end once told to (or once it closed the pipe)."""


class Writes(Protocol):
    """What a caller hands its writes to (`WritesBehind`, `WritesInProcess`)."""

    def submit(self, write: Callable[P, None], /, *args: P.args, **kwargs: P.kwargs) -> None: ...

    def wait(self, most: int = 0) -> None: ...

    def __enter__(self) -> Writes: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class WritesBehind:
    """Runs writes in order, behind the caller (`behind` True) or at once."""

    def __init__(self, behind: bool) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="tracer-writes") if behind else None
        self._running: Future[None] | None = None

    def submit(self, write: Callable[P, None], /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Run `write(*args, **kwargs)` after the writes submitted before it; its
        arguments must not change afterwards."""
        if self._pool is None:
            write(*args, **kwargs)
            return
        self.wait()
        self._running = self._pool.submit(write, *args, **kwargs)

    def wait(self, most: int = 0) -> None:
        """Wait for the writes submitted so far, all but the last `most`; raise the error
        of one that failed. (One runs at a time: the last one handed over.)"""
        if most >= 1:
            return
        running, self._running = self._running, None
        if running is not None:
            running.result()

    def __enter__(self) -> WritesBehind:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Every write done (or failed) before leaving; a failure of the caller's own
        goes before a failed write's."""
        try:
            if kind is None:
                self.wait()
            elif self._running is not None:
                self._running.exception()  # done, whatever its outcome: the caller's error wins
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


class WritesInProcess:
    """Writes to an SQLite file run by a process of its own, in the order handed over,
    while the caller goes on: methods of what `opener` opens there (the store, or an
    object that writes through one), named by the caller's own copy's method, their
    arguments pickled to the process. For a caller that keeps one core busy and the
    other idle (a relink), the SQL of its writes (SQLAlchemy's statements, SQLite's
    B-trees) moves to the idle one. Up to `pending` writes may wait there: the caller
    waits only when more do. A write's failure is raised in the caller once its answer
    is in: by a later `submit`, by `wait` or at the end, as the same exception where it
    pickles, a `StoreError` naming it where not; the writes handed over after it are
    not run. A process that dies is a `StoreError`.

    The process is a new interpreter, neither forked (the caller may be a server with
    threads, and a fork would copy their locks and its open connections) nor started
    by `multiprocessing` (whose "spawn" runs the caller's main module again: a script
    without a `__main__` guard would ingest twice)."""

    def __init__(self, opener: Callable[[], Any], pending: int = PENDING) -> None:
        """`opener`: picklable; opens, in the process, what the writes are methods of."""
        self._most = max(1, pending)
        self._pending = 0
        self._conn, child = multiprocessing.Pipe()
        try:
            # The caller's import path, as it is (a checkout, a test's, a worktree's).
            self._process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(child.fileno()), json.dumps(sys.path)],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        except BaseException:
            self._conn.close()
            raise
        finally:
            child.close()
        try:
            self._send(opener)
        except BaseException:
            self._end()
            raise

    def submit(self, write: Callable[P, None], /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Hand `write` (a method of the caller's copy of what the process opened) to
        the process, after the writes before it; its arguments are pickled now, so they
        may change afterwards."""
        if getattr(write, "__self__", None) is None:
            raise TypeError(f"a writer process runs methods of what it opened, not {write!r}")
        while self._pending and self._conn.poll(0):
            self._answer()  # a failure already answered is raised before more is sent
        while self._pending >= self._most:
            self._answer()
        self._send((write.__name__, args, kwargs))
        self._pending += 1

    def wait(self, most: int = 0) -> None:
        """Wait for the writes handed over so far, all but the last `most`; raise the
        error of one that failed."""
        while self._pending > most:
            self._answer()

    def _send(self, message: object) -> None:
        try:
            self._conn.send(message)
        except OSError:  # the process is gone (killed, out of memory)
            self._ended()

    def _answer(self) -> None:
        """One write's answer: None, or its failure (raised)."""
        try:
            failure = self._conn.recv()
        except (EOFError, OSError):  # the process is gone (a reset, when it left unread data)
            self._ended()
        self._pending -= 1
        if failure is not None:
            raise failure

    def _ended(self) -> NoReturn:
        self._pending = 0
        code = self._process.wait(WRITER_END_SECONDS)
        raise StoreError(f"the writer process ended (exit code {code})") from None

    def __enter__(self) -> WritesInProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Every write done (or failed) and the process ended before leaving; a failure
        of the caller's own goes before a failed write's."""
        try:
            if kind is None:
                self.wait()
            else:
                while self._pending:
                    with contextlib.suppress(Exception):  # the caller's error wins
                        self._answer()
        finally:
            self._end()

    def _end(self) -> None:
        """Tell the process to end, and wait for it (killed past `WRITER_END_SECONDS`)."""
        with contextlib.suppress(OSError):  # the process ended already
            self._conn.send(None)
        self._conn.close()
        try:
            self._process.wait(WRITER_END_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


_CHILD = """import json, sys
sys.path[:] = json.loads(sys.argv[2])
from tracer.store.behind import write_in_process
write_in_process(sys.argv[1])
"""


_UNREADABLE = "unreadable"
"""What the writer process's reader thread queues in place of a write it cannot read."""


def write_in_process(fd: str) -> None:
    """The writer process (`WritesInProcess`), on the pipe at file descriptor `fd`: what
    the caller's opener opens, then its methods named by the caller, in order; after
    each, None or the error sent back. After a failure, every later write is answered
    with that failure, not run. A thread reads the pipe meanwhile, so the caller's
    hand-over never waits for the write before it.

    Only the caller ends the writes. An interrupt (Ctrl-C reaches the whole process
    group) is ignored here: the caller's `__exit__` ends them. A caller gone without
    saying so (killed: its writer lock is released) leaves the writes it handed over
    unrun, but for the one running then. A write that cannot be read ends the process
    with status 1 once the writes before it are done, which the caller reports as a
    `StoreError`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WRITER_NICE)  # the caller's linking is the pace: it keeps its core
    conn = Connection(int(fd))
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    gone = threading.Event()

    def read() -> None:
        try:
            while (message := conn.recv()) is not None:
                inbox.put(message)
        except EOFError:  # the caller's end closed: what it handed over is not run
            gone.set()
        except BaseException as exc:  # a write that cannot be read: the ones before it are
            print(f"tracer's writer process cannot read a write: {exc!r}", file=sys.stderr)
            inbox.put(_UNREADABLE)
        inbox.put(None)

    threading.Thread(target=read, name="tracer-writes-inbox", daemon=True).start()
    opener = inbox.get()
    if opener is None:
        sys.exit(1 if gone.is_set() else 0)
    failure: Exception | None = None
    target: Any = None
    try:
        target = opener()
    except Exception as exc:  # every write is answered with why it did not open
        failure = _sendable(exc)
    try:
        while (message := inbox.get()) is not None and not gone.is_set():
            if message is _UNREADABLE:
                sys.exit(1)
            name, args, kwargs = message
            answer = failure
            if failure is None:
                try:
                    getattr(target, name)(*args, **kwargs)
                except Exception as exc:  # sent back, raised in the caller
                    answer = failure = _sendable(exc)
            try:
                conn.send(answer)
            except OSError:  # the caller is gone
                break
    finally:
        if target is not None:
            target.close()
    if gone.is_set():
        sys.exit(1)


def _sendable(exc: Exception) -> Exception:
    """`exc`, or a `StoreError` that names it where it does not survive pickling."""
    try:
        copy: Any = pickle.loads(pickle.dumps(exc))
    except Exception:  # any failure to pickle
        return StoreError(f"{type(exc).__name__}: {exc}")
    return copy if isinstance(copy, Exception) else StoreError(str(exc))
