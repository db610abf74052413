"""Write a seeded synthetic corpus of any size, with its ground truth, for benchmarks.

    python -m bench.gen_corpus OUT_DIR --posts 100000 --seed 7

Streams: posts go to `posts.jsonl` as they are generated, so a million posts never sit
in memory. `truth.csv` says, for every post, the release it copies (a release names
itself; an unrelated post has an empty release_id).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import orjson

from synthetic import accounts_of, iter_scale_corpus, post_json_local, scale_offices
from tracer.corpus import POSTS_FILE, write_corpus


def generate(out: Path, posts: int, seed: int) -> tuple[int, int]:
    """Write the corpus; returns (posts written, bytes of posts.jsonl)."""
    write_corpus(out, accounts_of(scale_offices(seed)), ())
    written = 0
    with (
        (out / POSTS_FILE).open("wb") as lines,
        (out / "truth.csv").open("w", newline="", encoding="utf-8") as truth_file,
    ):
        truth = csv.writer(truth_file)
        truth.writerow(("post_id", "release_id"))
        for post, release in iter_scale_corpus(seed, posts):
            lines.write(orjson.dumps(post_json_local(post)) + b"\n")
            truth.writerow((post.post_id, release or ""))
            written += 1
    return written, (out / POSTS_FILE).stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="corpus folder to (re)write")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    started = time.perf_counter()
    written, size = generate(args.out, args.posts, args.seed)
    seconds = time.perf_counter() - started
    print(
        f"{written} posts, {size / 1e6:.1f} MB posts.jsonl, {seconds:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
