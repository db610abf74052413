"""Writes that run behind the caller: an ingest hands a batch it only stores to the
store and reads the next, a relink hands over a chunk's links and links the next, the
cascade pass a chunk of parents and infers the next, while the write runs.

On a database server a write is mostly the server's work, and a caller that waits for
it leaves the server's core and its own taking turns: a relink of 100k posts into
PostgreSQL waited ~9 s for its writes. Here the writes run in a thread of their own
(on the engine's pool), in the order they were handed over, one at a time: the caller
waits for a write only when it hands over the next. A write's failure is raised in the
caller by the next `submit` or at the end. SQLite runs in this process, where a second
thread would only share the caller's core: its writes run at once, in the caller's
thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import ParamSpec

P = ParamSpec("P")


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

    def wait(self) -> None:
        """Wait for the writes submitted so far; raise the error of one that failed."""
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
