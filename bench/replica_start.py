"""A replica's warm-up: the searcher's linker built from every stored post against the
same linker opened from the stored snapshot (`tracer.linkstate`), each in a fresh
process, alternately, with wall and CPU seconds and the memory the linker added.

    python -m bench.replica_start --db postgresql://postgres@127.0.0.1/tracer_bench --rounds 3

The snapshot is stored first if the database has none of its current generation (the
time that takes, and its size, are reported). The baseline is the build, measured in
the same run: the ratio says how many times faster a replica opens the snapshot.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss / 1e6)


def child(db: str, mode: str) -> dict[str, Any]:
    """One warm-up in this process: `build` (snapshot ignored) or `open`."""
    from tracer.linking import Searcher, make_linker
    from tracer.store import Store

    store = Store.open(db)
    try:
        before, cpu, started = _rss_mb(), _cpu(), time.perf_counter()
        if mode == "build":
            reader = store.link_reader()
            posts = len(make_linker(store, Searcher().policy, reader))
            reader.close()
        else:
            searcher = Searcher()
            searcher.warm(store)
            if searcher.opened != "snapshot":
                raise SystemExit(f"no usable snapshot: the linker was {searcher.opened}")
            with searcher.reading(store) as held:
                posts = len(held)
        return {
            "mode": mode,
            "posts": posts,
            "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(_cpu() - cpu, 3),
            "linker_mb": round(_rss_mb() - before, 1),
        }
    finally:
        store.close()


def ensure_snapshot(db: str) -> dict[str, Any]:
    """Store the snapshot if the stored one is missing or stale; what it took."""
    from tracer import Tracer
    from tracer.linking import SNAPSHOT

    door = Tracer.open(db)
    try:
        started, cpu = time.perf_counter(), _cpu()
        door.warm(summaries=False)
        warmed = time.perf_counter() - started
        stored = door.share_indexes(built=True)
        found = door.store.snapshots.read(SNAPSHOT)
        return {
            "stored_now": stored,
            "warm_seconds": round(warmed, 2),
            "store_seconds": round(time.perf_counter() - started - warmed, 2),
            "cpu_seconds": round(_cpu() - cpu, 2),
            "snapshot_mb": round(len(found[1]) / 1e6, 1) if found else None,
        }
    finally:
        door.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", type=int, default=0, help="then start `tracer serve` N times")
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--child", choices=["build", "open"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.db, args.child)))
        return 0
    load_before = os.getloadavg()[0]
    prepared = ensure_snapshot(args.db)
    runs: dict[str, list[dict[str, Any]]] = {"build": [], "open": []}
    for _ in range(args.rounds):  # alternately: a burst of other load hits both
        for mode in runs:
            command = [sys.executable, "-m", "bench.replica_start", "--db", args.db]
            out = subprocess.run(
                [*command, "--child", mode], capture_output=True, text=True, check=True
            )
            runs[mode].append(json.loads(out.stdout))
    figures = ("seconds", "cpu_seconds", "linker_mb")
    medians = {
        mode: {k: statistics.median(r[k] for r in done) for k in figures}
        for mode, done in runs.items()
    }
    load_after = os.getloadavg()[0]
    posts = runs["open"][0]["posts"]
    print(
        f"db={args.db.rsplit('/', 1)[-1]} posts={posts} rounds={args.rounds}; load average "
        f"{load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores"
    )
    print(f"snapshot: {prepared}")
    for mode, figures in medians.items():
        print(f"{mode:6} {figures}")
    ratio = medians["build"]["seconds"] / max(medians["open"]["seconds"], 1e-9)
    cpu_ratio = medians["build"]["cpu_seconds"] / max(medians["open"]["cpu_seconds"], 1e-9)
    print(f"open vs build: {ratio:.1f}x faster (wall), {cpu_ratio:.1f}x less CPU")
    for n in range(args.serve):  # whole replicas, one after the other
        serve(args.db, args.port + n)
    return 0


def serve(db: str, port: int) -> None:
    """Start `tracer serve` on `db`: when it first answered, when `/readyz` said 200,
    its CPU seconds by then and its memory when ready."""
    from bench.http_load import ROOT, _rss_mb, start_server

    log = ROOT / "bench" / "out" / f"replica-start-{port}.serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = start_server(db, port, 1, log)
    try:
        rss = _rss_mb(started.process.pid)
    finally:
        started.process.terminate()
        started.process.wait(timeout=30)
    print(
        f"serve: first answer {started.answered:.2f} s, ready {started.ready:.2f} s, "
        f"{started.cpu} CPU s by then, RSS {rss} MB (load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
