"""The fingerprint stage through Dask: files/s with 1 and 2 local workers, beside the
default local process pool, on the seeded media corpus of issue 10.

    .venv/bin/python -m bench.engine_scaling [--posts 600] [--seed 3] [--rounds 2] [--no-ocr]

Prepares every distinct media file of `bench/out/media-<posts>-<seed>/` (generated once,
as `bench/media_accuracy.py` does) the way an ingest does — `MediaPipeline` runs of at
most 128 files, the next run submitted before the last is collected — with no store
(nothing is reused from an earlier ingest) and no linking: what is timed is the stage
that the engine distributes, decode + fingerprint + OCR, and the ingest process's own
share of it (hashing each file). Each configuration gets its own cluster, started and
checked (`check_workers`, which also loads the OCR engine in each worker) before the
clock starts:

- **local**: the default engine, a pool of one process per core (`LocalPool`);
- **dask-1**, **dask-2**: a `distributed.LocalCluster` of 1 or 2 worker processes with
  one thread each, reached through `tracer.engines.open_engine("dask://…")`.

Rounds run the configurations in turn (local, dask-1, dask-2, local, …); the scaling
figure is the median over rounds of dask-1's wall time over dask-2's in the same round.
Every run's results are checked to be identical, byte for byte, to the first run's.

On shared cores the wall times measure the CPU other processes leave over (at `nice 10`
behind a busy machine, one worker and two get about the same leftover), so each run
also prints its processes' CPU seconds — every worker's, and the ingest process's
(where a `LocalCluster` runs the scheduler) — and the wall time they would take alone
on the cores (`cpu_bound`): the workers' CPU seconds spread over the workers, or all
those CPU seconds spread over the cores, whichever is longer. Its ratio is the scaling
figure that does not depend on the neighbours; quote the wall-time one from an idle
machine. Writes
bench/out/engine-scaling-<posts>-<seed>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench.media_accuracy import OUT, corpus
from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE
from tracer.engines import Engine, LocalPool, open_engine
from tracer.media import ocr
from tracer.prepare import (
    LineContext,
    MediaPipeline,
    Prepared,
    PreparedMedia,
    media_bounded,
    prepare_lines,
)
from tracer.remote import check_workers

TARGET = 1.7
"""Issue 17: 2 workers ≥ 1.7× one worker on the fingerprint stage."""


def records(folder: Path, ocr_lang: str | None) -> tuple[LineContext, list[Prepared]]:
    with (folder / ACCOUNTS_FILE).open(newline="", encoding="utf-8") as stream:
        accounts = frozenset(row["account_id"] for row in csv.DictReader(stream))
    ctx = LineContext(str(folder / POSTS_FILE), accounts, folder, None, ocr_lang=ocr_lang)
    lines = list(enumerate((folder / POSTS_FILE).read_bytes().splitlines(), 1))
    prepared = [p for p in prepare_lines(lines, ctx) if isinstance(p, Prepared)]
    prepared.sort(key=lambda p: (p.record.post.timestamp, p.record.post.post_id))
    return ctx, prepared


def run_stage(ctx: LineContext, posts: list[Prepared], engine: Engine) -> list[PreparedMedia]:
    """Every run through the engine, as `service.ingest` submits and collects them."""
    out: list[Prepared] = []
    with MediaPipeline(ctx, engine=engine) as pipeline:
        ahead = None
        for part in media_bounded(posts):
            submitted = pipeline.submit(part)
            if ahead is not None:
                out += pipeline.collect(ahead)
            ahead = submitted
        if ahead is not None:
            out += pipeline.collect(ahead)
    return [m for p in out for m in p.media]


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> dict[str, float]:
    """CPU seconds of this process's live children (the local pool's workers), by pid."""
    found = {}
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = child.cpu_times()
            found[str(child.pid)] = times.user + times.system
    return found


def cpu_bound(per_worker: list[float], main: float, cores: int) -> float:
    """The wall seconds the run would take if its processes had the cores to themselves:
    the workers' CPU seconds spread evenly over the workers (one thread each; a task is
    at most 4 files and the next run is queued before the last is collected, so a
    worker that has a core to itself is never idle for long), or all the CPU seconds
    (the ingest process's too: in this bench the scheduler runs there) spread over the
    cores, whichever is longer. On shared cores the workers' own split follows the CPU
    each was left, not the engine."""
    workers = [t for t in per_worker if t > 0.05] or [0.0]
    return max(sum(workers) / len(workers), main, (sum(workers) + main) / cores)


def timed(
    name: str,
    ctx: LineContext,
    posts: list[Prepared],
    engine: Engine,
    worker_cpu: Callable[[], dict[str, float]],
) -> tuple[dict[str, Any], list[PreparedMedia]]:
    load, cpu_main, cpu_before = os.getloadavg()[0], _process_cpu(), worker_cpu()
    started = time.perf_counter()
    media = run_stage(ctx, posts, engine)
    seconds = time.perf_counter() - started
    cpu_after, main = worker_cpu(), _process_cpu() - cpu_main
    per_worker = sorted(t - cpu_before.get(w, 0.0) for w, t in cpu_after.items())
    fresh = [m for m in media if not m.reused]
    run = {
        "engine": name,
        "files": len(fresh),
        "seconds": round(seconds, 2),
        "files_per_s": round(len(fresh) / seconds, 2),
        "cpu_workers_s": round(sum(per_worker), 1),
        "cpu_per_worker_s": [round(t, 1) for t in per_worker],
        "cpu_main_s": round(main, 1),
        "cpu_bound_s": round(cpu_bound(per_worker, main, os.cpu_count() or 2), 1),
        "ocr_calls": sum(m.ocr_calls for m in media),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }
    print(
        f"  {name:7} {run['files']} files in {run['seconds']:6.1f} s = {run['files_per_s']:6.2f}"
        f" files/s; CPU s: workers {run['cpu_per_worker_s']}, main {run['cpu_main_s']}"
        f" (alone on the cores: {run['cpu_bound_s']} s); load {run['load_before']} ->"
        f" {run['load_after']}",
        flush=True,
    )
    return run, media


def local_run(
    ctx: LineContext, posts: list[Prepared]
) -> tuple[dict[str, Any], list[PreparedMedia]]:
    with LocalPool() as pool:  # forked on first use, inside the clock, as in an ingest
        return timed("local", ctx, posts, pool, _children_cpu)


def dask_run(
    workers: int, ctx: LineContext, posts: list[Prepared]
) -> tuple[dict[str, Any], list[PreparedMedia]]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as probe,
        open_engine(cluster.scheduler_address) as engine,
    ):
        check_workers(engine, ctx.root, ctx.ocr_lang)  # and the OCR engine loaded

        def worker_cpu() -> dict[str, float]:
            found: dict[str, float] = probe.run(_process_cpu)
            return found

        return timed(f"dask-{workers}", ctx, posts, engine, worker_cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-ocr", action="store_true", help="prepare without reading text")
    args = parser.parse_args(argv)
    folder = corpus(args.posts, args.seed)
    lang = None if args.no_ocr or ocr.unavailable() else ocr.LANG
    ctx, posts = records(folder, lang)
    print(f"{folder}: {len(posts)} posts, OCR {'on' if lang else 'off'}, {os.cpu_count()} cores")
    runs: list[dict[str, Any]] = []
    first: list[PreparedMedia] | None = None
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_}")
        for measure in (
            lambda: local_run(ctx, posts),
            lambda: dask_run(1, ctx, posts),
            lambda: dask_run(2, ctx, posts),
        ):
            run, media = measure()
            first = first if first is not None else media
            run["identical"] = media == first
            runs.append({**run, "round": round_})
            if not run["identical"]:
                print(f"  {run['engine']}: results differ from the first run's", file=sys.stderr)

    def median(name: str, key: str = "seconds") -> float:
        return float(statistics.median(r[key] for r in runs if r["engine"] == name))

    def paired(key: str) -> float:
        """The median over rounds of dask-1 / dask-2 within a round (same load)."""
        one = [r[key] for r in runs if r["engine"] == "dask-1"]
        two = [r[key] for r in runs if r["engine"] == "dask-2"]
        return float(statistics.median(a / b for a, b in zip(one, two, strict=True)))

    scaling, bound = paired("seconds"), paired("cpu_bound_s")
    identical = all(r["identical"] for r in runs)
    files = runs[0]["files"]
    local_ms, dask_ms = (1000 * median(n, "cpu_workers_s") / files for n in ("local", "dask-1"))
    print(
        f"medians: local {median('local'):.1f} s, dask-1 {median('dask-1'):.1f} s, "
        f"dask-2 {median('dask-2'):.1f} s; worker CPU a file: local {local_ms:.0f} ms,"
        f" dask {dask_ms:.0f} ms"
    )
    print(f"dask 2 workers / 1 worker, wall, same round: {scaling:.2f}× (target ≥ {TARGET}×)")
    print(f"dask 2 workers / 1 worker, alone on the cores (from CPU seconds): {bound:.2f}×")
    print(f"dask 2 workers / local pool: {median('local') / median('dask-2'):.2f}× the speed")
    print(f"results identical in every run: {'yes' if identical else 'NO'}")
    out = OUT / f"engine-scaling-{args.posts}-{args.seed}.json"
    summary = {
        "median_s": {n: median(n) for n in ("local", "dask-1", "dask-2")},
        "scaling_2_over_1": round(scaling, 3),
        "scaling_2_over_1_cpu_bound": round(bound, 3),
        "identical": identical,
    }
    out.write_text(json.dumps({"runs": runs, **summary}, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
