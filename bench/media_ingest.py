"""Where a media ingest's time goes: `tracer ingest` of the seeded media corpus of issue
10, stage by stage, in wall and CPU seconds.

    .venv/bin/python -m bench.media_ingest [--posts 2000] [--seed 7] [--lines N] [--compare-no-ocr]

Runs `tracer.service.ingest` in this process on `bench/out/media-<posts>-<seed>/`
(generated once, as `bench/media_accuracy.py` does; `--lines` ingests only the first N
lines, from a hard-linked copy) into a fresh database, with timers around the stages:

- **prepare** (the worker processes): CPU seconds of `prepare_media` for pictures and
  for clips, and inside it the OCR calls and their CPU seconds;
- **waiting**: wall seconds the main process waits for the workers' run (`collect`);
- **link**: wall and CPU seconds of linking and writing the runs (`_link_batch`);
- **cascades**: `refresh_cascades` (and `relink` when posts came out of time order).

The main process links a run while the workers prepare the next, so the stages overlap:
their sum exceeds the wall time by what the overlap saved. `--compare-no-ocr` ingests
the corpus a second time with OCR off, in the same run, and prints the ratios (what the
words read off pictures cost). The machine's load average is printed beside every
figure: on shared cores, compare CPU seconds. Writes
bench/out/media-ingest-<posts>[-first<N>].json.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.media_accuracy import OUT, corpus
from tracer import prepare, service
from tracer.media import ocr
from tracer.store import Store

COUNTERS = ("picture_cpu", "pictures", "clip_cpu", "clips", "ocr_cpu", "ocr_calls")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def patched(owner: Any, name: str, wrap: Callable[[Any], Any]) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def timed_ingest(folder: Path, db: Path, ocr_lang: str | None) -> dict[str, Any]:
    """One ingest with its stages timed. The worker processes are forked after the
    timers are in place, so they count into counters shared with this process."""
    shared = {k: multiprocessing.Value("d", 0.0) for k in COUNTERS}
    main: dict[str, float] = dict.fromkeys(
        ("wait_s", "link_s", "link_cpu", "cascades_s", "cascades_cpu"), 0.0
    )

    def add(key: str, value: float) -> None:
        with shared[key].get_lock():
            shared[key].value += value

    def in_worker(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(root: Path, path: str, *args: Any) -> Any:
            started = time.process_time()
            out = fn(root, path, *args)
            kind = "clip" if out.kind == "video" else "picture"
            add(f"{kind}_cpu", time.process_time() - started)
            add(f"{kind}s", 1)
            return out

        return run

    def reading(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any) -> Any:
            started = time.process_time()
            out = fn(*args)
            add("ocr_cpu", time.process_time() - started)
            add("ocr_calls", 1)
            return out

        return run

    def in_main(wall: str, cpu: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(fn)
            def run(*args: Any, **kwargs: Any) -> Any:
                started, cpu_started = time.perf_counter(), time.process_time()
                try:
                    return fn(*args, **kwargs)
                finally:
                    main[wall] += time.perf_counter() - started
                    if cpu:
                        main[cpu] += time.process_time() - cpu_started

            return run

        return wrap

    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    ocr.unavailable(ocr_lang or ocr.LANG)  # the engine loaded before the clock starts
    store = Store.open(db)
    load_before = os.getloadavg()[0]
    children_before, self_before = _children_cpu(), _self_cpu()
    started = time.perf_counter()
    try:
        with (
            patched(prepare, "prepare_media", in_worker),
            patched(ocr, "read_text_or_none", reading),
            patched(prepare.MediaPipeline, "collect", in_main("wait_s", None)),
            patched(service, "_link_batch", in_main("link_s", "link_cpu")),
            patched(service, "refresh_cascades", in_main("cascades_s", "cascades_cpu")),
            patched(service, "relink", in_main("cascades_s", "cascades_cpu")),
        ):
            report = service.ingest(store, folder, ocr_lang=ocr_lang)
    finally:
        store.close()
    seconds = time.perf_counter() - started
    counts = {k: v.value for k, v in shared.items()}
    # `collect` includes preparing a run of a few files in this process: that is work,
    # not waiting, and it is counted in the workers' figures too.
    return {
        "ocr": ocr_lang is not None,
        "posts": report.ingested,
        "files": report.media_files,
        "seconds": round(seconds, 1),
        "posts_per_s": round(report.ingested / seconds, 2),
        "cpu_main_s": round(_self_cpu() - self_before, 1),
        "cpu_workers_s": round(_children_cpu() - children_before, 1),
        "prepare_picture_cpu_s": round(counts["picture_cpu"], 1),
        "pictures_prepared": int(counts["pictures"]),
        "prepare_clip_cpu_s": round(counts["clip_cpu"], 1),
        "clips_prepared": int(counts["clips"]),
        "ocr_calls": int(counts["ocr_calls"]),
        "ocr_cpu_s": round(counts["ocr_cpu"], 1),
        "ocr_calls_per_picture": report.to_json().get("ocr_calls_per_picture"),
        "wait_for_workers_s": round(main["wait_s"], 1),
        "link_s": round(main["link_s"], 1),
        "link_cpu_s": round(main["link_cpu"], 1),
        "cascades_s": round(main["cascades_s"], 1),
        "cascades_cpu_s": round(main["cascades_cpu"], 1),
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def first_lines(folder: Path, lines: int, into: Path) -> Path:
    """The corpus cut to its first `lines` posts (media hard-linked: no copy on disk)."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(folder, into, copy_function=os.link)
    posts = (folder / "posts.jsonl").read_bytes().splitlines(keepends=True)[:lines]
    (into / "posts.jsonl").unlink()
    (into / "posts.jsonl").write_bytes(b"".join(posts))
    return into


def show(run: dict[str, Any]) -> None:
    label = "OCR on" if run["ocr"] else "OCR off"
    print(
        f"{label}: {run['posts']} posts, {run['files']} files in {run['seconds']} s"
        f" ({run['posts_per_s']} posts/s), load {run['load_before']} -> {run['load_after']}"
    )
    print(f"  CPU: main {run['cpu_main_s']} s, workers {run['cpu_workers_s']} s")
    pics, clips = run["pictures_prepared"], run["clips_prepared"]
    per_pic = 1000 * run["prepare_picture_cpu_s"] / max(pics, 1)
    per_clip = 1000 * run["prepare_clip_cpu_s"] / max(clips, 1)
    per_call = 1000 * run["ocr_cpu_s"] / max(run["ocr_calls"], 1)
    print(
        f"  prepare: {pics} pictures {run['prepare_picture_cpu_s']} CPU-s ({per_pic:.0f} ms each),"
        f" {clips} clips {run['prepare_clip_cpu_s']} CPU-s ({per_clip:.0f} ms each)"
    )
    print(
        f"  OCR: {run['ocr_calls']} calls ({run['ocr_calls_per_picture']} per picture),"
        f" {run['ocr_cpu_s']} CPU-s ({per_call:.0f} ms a call)"
    )
    print(
        f"  main: waiting for the workers {run['wait_for_workers_s']} s,"
        f" link {run['link_s']} s ({run['link_cpu_s']} CPU-s),"
        f" cascades {run['cascades_s']} s ({run['cascades_cpu_s']} CPU-s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lines", type=int, default=None, help="ingest the first N lines")
    parser.add_argument("--compare-no-ocr", action="store_true")
    args = parser.parse_args(argv)
    folder = corpus(args.posts, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        if args.lines:
            folder = first_lines(folder, args.lines, OUT / f"media-{args.posts}-{args.seed}-head")
        runs = [timed_ingest(folder, Path(tmp) / "ocr.db", ocr.LANG)]
        show(runs[0])
        if args.compare_no_ocr:
            runs.append(timed_ingest(folder, Path(tmp) / "no-ocr.db", None))
            show(runs[1])
            on, off = runs
            print(
                f"OCR on / off: wall {on['seconds'] / max(off['seconds'], 1e-9):.2f}×,"
                f" worker CPU {on['cpu_workers_s'] / max(off['cpu_workers_s'], 1e-9):.2f}×"
            )
    head = f"-first{args.lines}" if args.lines else ""
    out = OUT / f"media-ingest-{args.posts}{head}.json"
    out.write_text(json.dumps(runs, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
