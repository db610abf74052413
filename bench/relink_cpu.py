"""Where a relink spends its CPU: `relink` of a copy of an ingested database, timed in
CPU seconds (`time.process_time`) as a whole and per stage, so that two versions of the
linker can be compared on one database without a profiler's overhead.

    python -m bench.relink_cpu tracer.db
    python -m bench.relink_cpu tracer.db --profile bench/out/relink.prof

Each stage's function is wrapped by a CPU timer (~0.3 µs a call: verification, called
~6 times a post, carries ~0.2 s of it at 100k posts). Stages nest: `link one post`
holds the votes (the look-ups and the choice compiled with them; a whole line of several
families is looked up again in Python), candidate texts and verification, and the media
look-ups and verification of a corpus with pictures and clips (alignments and words read
are also timed when the cascades re-match their edges). A relink of `OWN_WRITER_POSTS`
posts or more writes through a process of its own: its CPU is printed apart, and
"relink writes" is then only the hand-over. The copy is deleted afterwards; the
database given is not changed.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tracer.media.match as media_match
import tracer.nearest as nearest
import tracer.relinking as relinking
from tracer.candidates import MediaLookup
from tracer.facade import Tracer
from tracer.linker import Linker
from tracer.store import Store
from tracer.text.index import AnchorIndex

CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def _timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # its name too: a writer process runs a store method by name
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - start
            CALLS[label] += 1

    return timed


STAGES: tuple[tuple[Any, str, str], ...] = (
    (Linker, "link", "link one post"),
    (nearest.LinkedPosts, "_vote", "  votes: look-ups, votes, choice (compiled)"),
    (AnchorIndex, "lookup", "  anchor look-ups left to Python"),
    (nearest.LinkedPosts, "_choose", "  best post per family, left to Python"),
    (nearest.LinkedPosts, "_texts", "  candidate texts (cache, store)"),
    (nearest, "pair_counts", "  anchors shared, each candidate (compiled)"),
    (nearest, "verify_pair", "  verification (text), pairs not ruled out"),
    (nearest.LinkedPosts, "_media_matches", "  media: look-ups and verification"),
    (MediaLookup, "near", "    look-ups (region keys, words read off pictures)"),
    (nearest, "match_media", "    verification (media)"),
    (media_match, "align_pictures", "      alignments of pictures (remembered)"),
    (media_match, "containment", "      words read off pictures, compared"),
    (relinking, "refresh_cascades", "cascades"),
    (Store, "write_links", "relink writes"),
)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children: a large relink's writer process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--profile", type=Path, help="cProfile instead; write it here")
    args = parser.parse_args()
    if not args.profile:
        for owner, name, label in STAGES:
            setattr(owner, name, _timed(label, getattr(owner, name)))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "relink.db"
        shutil.copy(args.db, copy)
        tracer = Tracer.open(copy)
        profile = cProfile.Profile(time.process_time) if args.profile else None
        children = _children_cpu()
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        posts = relinking.relink(tracer.store, tracer.policy)
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        children = _children_cpu() - children
        tracer.close()
    print(f"relink of {posts:,} posts: {cpu:.1f} CPU-s, {wall:.1f} s wall")
    if children:
        print(f"its writer process (SQLite, `OWN_WRITER_POSTS` and over): {children:.1f} CPU-s")
    print(f"CPU per post: {cpu / max(posts, 1) * 1e6:.0f} µs" + (" (profiled)" if profile else ""))
    if profile:
        profile.dump_stats(str(args.profile))
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return
    print("\nstage" + " " * 41 + "CPU s   µs/post      calls")
    for _owner, _name, label in STAGES:
        print(f"{label:44} {CPU[label]:6.2f} {CPU[label] / posts * 1e6:9.1f} {CALLS[label]:10,}")


if __name__ == "__main__":
    main()
