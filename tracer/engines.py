"""Where the fingerprint stage runs: a pool of this machine's processes (the default),
or the workers of a Dask cluster (`dask://HOST:PORT`), so that decoding, hashing and
reading media files — most of an ingest's cost — can use more cores than one machine has.

An engine runs a pure function over columns of picklable arguments and hands the
results back in order; which function runs, and what every worker must share with the
ingest for its results to be the same, belong to the stage (`tracer.prepare`). Linking
never runs here: it stays one writer per database. Why Dask rather than a task queue
(Celery, Dramatiq): docs/deployment.md.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tracer.errors import EngineError

T = TypeVar("T")
LOCAL = "local"
"""The default engine: a pool of local processes, one per core."""
DASK_SCHEMES = ("dask", "tcp")
"""`dask://HOST[:PORT]`, or the `tcp://HOST:PORT` that `dask scheduler` prints."""
DASK_PORT = 8786
CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler, and again for it to have a worker."""
CHUNK = 4
"""Calls a worker takes at a time (fewer round trips, still balanced); a Dask cluster
takes fewer when that leaves a worker thread fewer than `CHUNK` tasks of a map."""
PR_SET_PDEATHSIG = 1


class Engine(ABC):
    """Runs the stage's function; `with engine:` closes it."""

    name: str
    remote = False
    """Whether the workers are other processes than forks of this one: they may run
    another tracer, other libraries, or see other files."""

    @abstractmethod
    def map(self, fn: Callable[..., T], *columns: Iterable[Any]) -> Iterator[T]:
        """`fn` over the columns (as the built-in `map`), results in order."""

    @abstractmethod
    def require_same(self, probe: Callable[..., Mapping[str, str]], *args: Any) -> None:
        """Refuse (`EngineError`) when a worker's `probe(*args)` differs from this
        process's: what the results depend on, named so that a person can fix it."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scheduler_address(spec: str) -> str | None:
    """The `tcp://HOST:PORT` of a Dask engine spec; None for the local pool. A
    ValueError says what is wrong with the spec."""
    text = spec.strip()
    if text in ("", LOCAL):
        return None
    scheme, sep, rest = text.partition("://")
    usage = f"{spec!r} is not an engine: use {LOCAL!r} or dask://HOST:PORT (a Dask scheduler)"
    if not sep or scheme.lower() not in DASK_SCHEMES or not rest:
        raise ValueError(usage)
    try:
        parts = urlsplit(f"//{rest}")
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ValueError(f"{usage}: bad port") from None
    if not host or parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ValueError(usage)
    shown = f"[{host}]" if ":" in host else host
    return f"tcp://{shown}:{port or DASK_PORT}"


def open_engine(spec: str = LOCAL, timeout: float = CONNECT_TIMEOUT) -> Engine:
    """The engine a spec names (`local`, `dask://HOST:PORT`), connected and with a worker;
    `EngineError` when it cannot be used."""
    try:
        address = scheduler_address(spec)
    except ValueError as exc:
        raise EngineError(str(exc)) from None
    return LocalPool() if address is None else DaskEngine(address, timeout)


# --- the local pool -------------------------------------------------------------------


def _die_with_parent(parent: int, nice: int = 0) -> None:
    """A worker's initializer: the worker ends when the ingest that forked it ends, however
    it ends (a `kill -9` included). On Linux the kernel sends it SIGKILL; everywhere, a
    watchdog thread notices the parent is gone within a second. `nice`: how much lower
    the worker's priority is than the ingest's."""
    if nice:
        os.nice(nice)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="tracer-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def process_pool(workers: int, nice: int = 0) -> ProcessPoolExecutor:
    """Forked worker processes that die with this one, `nice` steps below it in priority."""
    # fork: a worker needs no re-import of the caller's main module (a script without a
    # `__main__` guard would otherwise break), and it holds no database connection.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent,
        initargs=(os.getpid(), nice),
    )


class LocalPool(Engine):
    """One process per core, forked on first use (an ingest of a few files forks none)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 2
        self.name = f"{self.workers} local processes"
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[..., T], *columns: Iterable[Any]) -> Iterator[T]:
        if self._pool is None:
            self._pool = process_pool(self.workers)
        return self._pool.map(fn, *columns, chunksize=CHUNK)

    def require_same(self, probe: Callable[..., Mapping[str, str]], *args: Any) -> None:
        """Nothing to check: the workers are forks of this process."""

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


# --- a Dask cluster ---------------------------------------------------------------------


class DaskEngine(Engine):
    """The workers of a Dask scheduler: a few calls a task (`CHUNK`), each task handed to a
    worker as one frees up, and handed again to another when its worker dies."""

    remote = True

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT) -> None:
        self.address = address
        self._pending: dict[Any, Any] = {}
        """Futures handed out and not yet collected, by key."""
        self._client = _connect(address, timeout)
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            self.close()
            raise EngineError(
                f"the Dask scheduler at {address} has no workers (waited {timeout:g} s): "
                f"start some with `dask worker {address}`"
            ) from None
        workers = self._client.scheduler_info()["workers"].values()
        threads = sum(w.get("nthreads", 1) for w in workers)
        self.name = f"Dask at {address} ({len(workers)} workers, {threads} threads)"
        self._probe: tuple[Callable[..., Mapping[str, str]], tuple[Any, ...]] | None = None
        self._checked: set[str] = set()
        """Workers whose probe answered as this process's."""

    def map(self, fn: Callable[..., T], *columns: Iterable[Any]) -> Iterator[T]:
        rows = list(zip(*columns, strict=False))  # columns may repeat a value forever
        if not rows:
            return iter(())
        if self._probe is not None:  # workers that joined since: checked before the run
            self.require_same(self._probe[0], *self._probe[1])
        workers = self._client.scheduler_info()["workers"].values()
        threads = sum(w.get("nthreads", 1) for w in workers) or 1
        size = max(1, min(CHUNK, len(rows) // (CHUNK * threads)))
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
        futures = self._client.map(_apply, [fn] * len(chunks), chunks, pure=False)
        self._pending.update((f.key, f) for f in futures)
        return self._results(futures, chunks)

    def _results(self, futures: list[Any], chunks: list[list[tuple[Any, ...]]]) -> Iterator[Any]:
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError

        for future, chunk in zip(futures, chunks, strict=True):
            try:
                yield from future.result()
            except KilledWorker:
                shown = "; ".join(", ".join(str(a) for a in row) for row in chunk)[:400]
                raise EngineError(
                    f"Dask workers at {self.address} died, one after another, running "
                    f"{future.key} on ({shown}): see the workers' logs"
                ) from None
            except (FutureCancelledError, CommClosedError) as exc:
                raise EngineError(f"lost the Dask scheduler at {self.address}: {exc}") from None
            finally:
                self._pending.pop(future.key, None)
                future.release()

    def require_same(self, probe: Callable[..., Mapping[str, str]], *args: Any) -> None:
        """Also for each worker that joins later, before the next `map`."""
        self._probe = (probe, args)
        joined = set(self._client.scheduler_info()["workers"]) - self._checked
        if not joined:
            return
        here = dict(probe(*args))
        there = self._client.run(probe, *args, workers=sorted(joined), on_error="return")
        for worker, found in sorted(there.items()):
            if isinstance(found, OSError):  # gone: checked again if it comes back
                continue
            if isinstance(found, BaseException):  # e.g. no module named 'tracer' there
                raise EngineError(
                    f"the Dask worker {worker} cannot run tracer's check ({found}): "
                    "install the same tracer on every worker"
                )
            keys = sorted(here.keys() | found.keys())
            differ = [
                f"{k} {here.get(k)!r} here, {found.get(k)!r} there"
                for k in keys
                if here.get(k) != found.get(k)
            ]
            if differ:
                raise EngineError(
                    f"the Dask worker {worker} would not compute what this ingest computes "
                    f"({'; '.join(differ)}): every worker needs the same tracer and libraries, "
                    "and the corpus at the same path"
                )
            self._checked.add(worker)

    def close(self) -> None:
        if self._pending:
            self._client.cancel(list(self._pending.values()))
            self._pending.clear()
        self._client.close()


def _apply(fn: Callable[..., T], rows: list[tuple[Any, ...]]) -> list[T]:
    """One task: `fn` over a few rows, on a worker."""
    return [fn(*row) for row in rows]


def _connect(address: str, timeout: float) -> Any:
    """A client of the scheduler (`Any`: distributed is only partly typed), or
    `EngineError` within `2 * timeout` seconds: Dask's own client retries a refused
    connection until its timeout, and waits forever on a port that answers something
    else than Dask."""
    try:
        import distributed
    except ImportError:
        raise EngineError(
            "the Dask engine needs the `distributed` package: pip install 'tracer[dask]'"
        ) from None
    parts = urlsplit(address)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()
    except OSError as exc:
        raise EngineError(
            f"cannot reach a Dask scheduler at {address}: {exc.strerror or exc}"
        ) from None
    found: dict[str, Any] = {}
    lock = threading.Lock()
    client_of: Any = distributed.Client

    def start() -> None:
        try:
            client = client_of(address, timeout=timeout, set_as_default=False)
        except (OSError, ValueError) as exc:
            found["error"] = exc
            return
        with lock:
            late = found.setdefault("client", client) is not client
        if late:  # given up on: nobody will close it
            client.close()

    threading.Thread(target=start, name="tracer-dask-connect", daemon=True).start()
    deadline = time.monotonic() + 2 * timeout
    while time.monotonic() < deadline and not found:
        time.sleep(0.05)
    with lock:
        client = found.setdefault("client", None)
    if client is not None:
        return client
    reason = found.get("error") or "no answer"
    raise EngineError(f"{address} does not answer as a Dask scheduler ({reason})")
