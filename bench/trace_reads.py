"""`/trace`'s reads on a database server: one round trip (autocommit, statements kept
prepared) against three (BEGIN, the statement, the pool's ROLLBACK, which also makes
psycopg forget its prepared statements), in this process, alternately, same run.

    python -m bench.trace_reads --db postgresql://postgres@127.0.0.1/tracer_bench --posts 500

The graphs of the sampled posts are cached first, so each trace is the look-up of the
post and its family's version (what most `/trace` requests cost); the baseline is the
same loop with the store's reads on a plain pooled connection (`Reads.reading` as it
was), measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracer import Tracer
from tracer.store.reads import Reads


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pooled(self: Reads) -> Connection:
    """The reads as they were: a pooled connection in a transaction."""
    return self.engine.connect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    door = Tracer.open(args.db)
    with door.store.engine.connect() as conn:
        stmt = sa.text("SELECT post_id FROM posts ORDER BY random() LIMIT :n")
        ids = [r[0] for r in conn.execute(stmt, {"n": args.posts})]
    for post in ids:
        door.trace_document(post)  # the graphs cached
    modes: dict[str, Callable[[Reads], Connection]] = {
        "transaction (before)": _pooled,
        "autocommit (now)": Reads.reading,
    }
    figures: dict[str, list[tuple[float, float, float]]] = {m: [] for m in modes}
    load_before = os.getloadavg()[0]
    try:
        for _ in range(args.rounds):
            for mode, reading in modes.items():
                Reads.reading = reading  # type: ignore[method-assign]
                latencies, cpu, started = [], _cpu(), time.perf_counter()
                for post in ids:
                    at = time.perf_counter()
                    door.trace_document(post)
                    latencies.append((time.perf_counter() - at) * 1000)
                q = statistics.quantiles(latencies, n=100)
                per = (time.perf_counter() - started) * 1000 / len(ids)
                figures[mode].append((q[49], q[94], (_cpu() - cpu) * 1000 / len(ids)))
                print(f"{mode:22} p50 {q[49]:6.2f} ms  p95 {q[94]:6.2f} ms  {per:6.2f} ms/trace")
    finally:
        Reads.reading = modes["autocommit (now)"]  # type: ignore[method-assign]
        door.close()
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    med = {
        m: [statistics.median(f[i] for f in runs) for i in range(3)] for m, runs in figures.items()
    }
    before, now = med["transaction (before)"], med["autocommit (now)"]
    print(
        f"median p50 {before[0]:.2f} -> {now[0]:.2f} ms ({before[0] / now[0]:.2f}x), "
        f"p95 {before[1]:.2f} -> {now[1]:.2f} ms, "
        f"client CPU {before[2]:.2f} -> {now[2]:.2f} ms/trace"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
