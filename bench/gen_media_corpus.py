"""Write the seeded media corpus of issue 10, with its ground truth (`truth.json`).

    python -m bench.gen_media_corpus OUT_DIR --posts 10000 --seed 7

Releases (photos, carousels, posters, clips, text) copied by province and regency
offices with picture, clip and caption edits, and hard negatives that look like copies
(see synthetic/media_scale.py and media_negatives.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from synthetic.media_corpus import plan_media_corpus
from synthetic.media_render import write_media_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="corpus folder to (re)write")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="processes drawing media")
    args = parser.parse_args(argv)
    if args.posts < 100:
        parser.error("--posts must be at least 100")
    started = time.perf_counter()
    plan = plan_media_corpus(args.seed, args.posts)
    planned = time.perf_counter() - started
    write_media_corpus(plan, args.out, args.workers)
    seconds = time.perf_counter() - started
    kinds = Counter(t["subtype"] or t["kind"] for t in plan.truth.values())
    files = Counter(j["kind"] for j in plan.jobs.values())
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(
        f"{len(plan.posts)} posts, {files['image']} pictures, {files['video']} clips, "
        f"{size / 1e6:.0f} MB, planned in {planned:.1f} s, written in {seconds:.1f} s"
        f" -> {args.out}",
        file=sys.stderr,
    )
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:24} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
