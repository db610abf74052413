"""Where a text ingest spends its CPU: `tracer ingest` of a corpus in this process under
cProfile, timed in CPU seconds (`time.process_time`), so that a run on a machine shared
with other jobs still says which stage costs what.

    python -m bench.ingest_profile bench/out/corpus-100000
    python -m bench.ingest_profile bench/out/corpus-100000 --top 40 --save bench/out/ingest.prof

Prints the CPU seconds of this process and of the preparing worker (a corpus over 4 MB
is parsed, normalised and fingerprinted there, unprofiled), CPU seconds per 100k posts,
the stages' cumulative CPU (`STAGES`), and the functions with the most CPU of their own.
The profiler roughly doubles the cost of Python calls: compare stages within one run,
and rates with `bench.run` or `/usr/bin/time`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import tempfile
import time
from pathlib import Path

from tracer.facade import Tracer

STAGES = (
    ("ingest batches (link or store)", "service.py", "_link_batch"),
    ("  their write (one transaction a batch)", "core.py", "write_batch"),
    ("  stored digests asked", "core.py", "digests"),
    ("prepared batches, waited for", "prepare.py", "prepared_batches"),
    ("relink, in time order", "linking.py", "_relink"),
    ("  link one post", "linker.py", "link"),
    ("    votes: look-ups, votes, choice (compiled)", "nearest.py", "_vote"),
    ("      in the compiled loop", "votes.py", "vote"),
    ("    anchor look-ups left to Python", "index.py", "lookup"),
    ("    best post per family, left to Python", "nearest.py", "_choose"),
    ("    candidates fetched or cached", "candidates.py", "get"),
    ("    verification (text)", "match.py", "verify_pair"),
    ("  candidate rows read", "links.py", "rows"),
    ("  media rows read", "media.py", "items_for"),
    ("  relink writes", "core.py", "write_links"),
    ("cascades", "stored.py", "refresh_cascades"),
    ("  their inputs read", "core.py", "cascade_inputs"),
    ("  their writes", "core.py", "write_cascades"),
    ("planner statistics", "dialects.py", "refresh_statistics"),
)


def stage_seconds(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Cumulative CPU of each stage's function (summed over files of that name)."""
    table = stats.stats  # type: ignore[attr-defined]
    out = []
    for label, file, name in STAGES:
        total = sum(
            v[3] for (path, _line, func), v in table.items() if path.endswith(file) and func == name
        )
        out.append((label, total))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, help="write the raw profile here")
    parser.add_argument("--db", help="a new, empty database (default: a temporary SQLite file)")
    parser.add_argument(
        "--wall",
        action="store_true",
        help="time by the wall clock: a stage's waits on a database server count too",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tracer = Tracer.open(args.db or Path(tmp) / "profile.db")
        profile = cProfile.Profile(time.perf_counter if args.wall else time.process_time)
        wall = time.perf_counter()
        cpu = time.process_time()
        profile.enable()
        report = tracer.ingest(args.corpus, ocr_lang=None)
        profile.disable()
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        tracer.close()
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = worker.ru_utime + worker.ru_stime
    posts = report.ingested
    print(f"posts {posts:,}; wall {wall:.1f} s (profiled)")
    print(f"CPU: this process {cpu:.1f} s, preparing worker {worker_cpu:.1f} s")
    if posts:
        print(f"CPU per 100k posts: {(cpu + worker_cpu) / posts * 1e5:.1f} s (profiled)")
    stats = pstats.Stats(profile)
    if args.save:
        stats.dump_stats(str(args.save))
    clock, whole = ("wall s", wall) if args.wall else ("CPU s", cpu)
    print(f"\nstage                                {clock:>6}   share")
    for label, seconds in stage_seconds(stats):
        print(f"{label:36} {seconds:7.1f}  {seconds / whole:6.1%}")
    print()
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
