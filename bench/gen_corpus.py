"""Write a seeded synthetic corpus of any size, with its ground truth, for benchmarks.

    python -m bench.gen_corpus OUT_DIR --posts 100000 --seed 7
    python -m bench.gen_corpus OUT_DIR --posts 10000 --big-families 4 --big-size 600

Streams: posts go to `posts.jsonl` as they are generated, so a million posts never sit
in memory. `--big-families K` adds K releases that `--big-size` regional accounts each
re-post (`synthetic.big_families`), after the scale corpus. `truth.csv` says, for every
post, the release it copies (a release names itself; an unrelated post has an empty
release_id).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from pathlib import Path

import orjson

from synthetic import accounts_of, iter_scale_corpus, post_json_local, scale_offices
from synthetic.big_families import iter_big_families
from tracer.corpus import POSTS_FILE, write_corpus


def generate(
    out: Path, posts: int, seed: int, big_families: int = 0, big_size: int = 600
) -> tuple[int, int]:
    """Write the corpus; returns (posts written, bytes of posts.jsonl)."""
    write_corpus(out, accounts_of(scale_offices(seed)), ())
    written = 0
    with (
        (out / POSTS_FILE).open("wb") as lines,
        (out / "truth.csv").open("w", newline="", encoding="utf-8") as truth_file,
    ):
        truth = csv.writer(truth_file)
        truth.writerow(("post_id", "release_id"))
        big = iter_big_families(seed, big_families, big_size)
        for post, release in itertools.chain(iter_scale_corpus(seed, posts), big):
            lines.write(orjson.dumps(post_json_local(post)) + b"\n")
            truth.writerow((post.post_id, release or ""))
            written += 1
    return written, (out / POSTS_FILE).stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="corpus folder to (re)write")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--big-families", type=int, default=0, help="releases every office re-posts"
    )
    parser.add_argument("--big-size", type=int, default=600, help="copies of each big release")
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    started = time.perf_counter()
    written, size = generate(args.out, args.posts, args.seed, args.big_families, args.big_size)
    seconds = time.perf_counter() - started
    print(
        f"{written} posts, {size / 1e6:.1f} MB posts.jsonl, {seconds:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
