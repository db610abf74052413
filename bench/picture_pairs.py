"""Picture pairs: how the picture matcher's thresholds separate copies from look-alikes.

    .venv/bin/python -m bench.picture_pairs --posts 10000 --seed 7 [--corpus DIR]

Every picture of the seeded media corpus is fingerprinted (no OCR), every pair whose
region keys come within `image_radius` is aligned, and each pair is labelled from the
corpus plan: a *copy* derives from the same drawn original; a *template sibling* is
another poster on the same template (words, not pixels, tell those apart); anything
else is a *look-alike* (collages sharing a tile, photos laid out alike, shots of one
scene). Printed: how many pairs of each kind pass the grey-level alignment test, and
how many the colour test then keeps, at several `align_max_chroma` values — the
calibration behind `tracer.policy.MatchPolicy`'s defaults (docs/media.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from synthetic.media_corpus import plan_media_corpus
from tracer.media.align import align_pictures
from tracer.media.decode import MediaLimits, load_image
from tracer.media.fingerprint import ImagePrint, fingerprint_image
from tracer.media.index import MediaIndex
from tracer.policy import MatchPolicy

OUT = Path(__file__).resolve().parent / "out"
CHROMA_STEPS = (6.0, 8.0, 10.0, 12.0, 15.0, 20.0, 30.0)


def _print_of(path: str) -> bytes | None:
    try:
        image = load_image(Path(path), MediaLimits(), min_side=512)
    except Exception:  # a file the corpus failed to write is skipped
        return None
    return fingerprint_image(image).to_bytes()


def fingerprint_all(root: Path, paths: list[str], workers: int) -> dict[str, ImagePrint]:
    with ProcessPoolExecutor(workers) as pool:
        found = pool.map(_print_of, [str(root / p) for p in paths], chunksize=16)
        return {
            p: ImagePrint.from_bytes(data)
            for p, data in zip(paths, found, strict=True)
            if data is not None
        }


def label(files: dict[str, dict], a: str, b: str) -> str:
    fa, fb = files[a], files[b]
    if fa["root"] == fb["root"] and "redesign" not in (fa["variant"], fb["variant"]):
        return "copy"
    if fa["template_group"] is not None and fa["template_group"] == fb["template_group"]:
        return "template sibling"
    return "look-alike"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--copy-pairs", type=int, default=20000, help="copy pairs aligned")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    corpus = args.corpus or OUT / f"media-{args.posts}-{args.seed}"
    plan = plan_media_corpus(args.seed, args.posts)
    files = {p: f for p, f in plan.files.items() if f["kind"] == "image"}
    paths = sorted(p for p in files if (corpus / p).exists())
    started = time.perf_counter()
    prints = fingerprint_all(corpus, paths, args.workers)
    names = sorted(prints)
    print(f"{len(names)} pictures fingerprinted in {time.perf_counter() - started:.0f} s")
    policy = MatchPolicy()
    index = MediaIndex()
    for n, name in enumerate(names):
        index.add(list(prints[name].regions), n)
    index.compact()
    pairs: set[tuple[int, int]] = set()
    for n, name in enumerate(names):
        for other in index.search(list(prints[name].regions), policy.image_radius):
            if other != n:
                pairs.add((min(n, other), max(n, other)))
    labelled = [(i, j, label(files, names[i], names[j])) for i, j in sorted(pairs)]
    kinds = Counter(kind for _, _, kind in labelled)
    copies = [p for p in labelled if p[2] == "copy"]
    if len(copies) > args.copy_pairs:  # a release's 100 copies make 5,000 pairs
        keep = set(random.Random(args.seed).sample(range(len(copies)), args.copy_pairs))
        labelled = [p for p in labelled if p[2] != "copy"] + [
            p for n, p in enumerate(copies) if n in keep
        ]
    grey_ok: Counter[str] = Counter()
    kept: dict[float, Counter[str]] = {c: Counter() for c in CHROMA_STEPS}
    chromas: dict[str, list[float]] = {}
    for i, j, kind in labelled:
        a, b = prints[names[i]], prints[names[j]]
        found = align_pictures(a, b, policy.image_radius, policy.align_min_cover)
        if found is None or not (
            min(found.cover) >= policy.align_min_cover
            and found.distance <= policy.align_max_distance
            and found.correlation >= policy.align_min_correlation
        ):
            continue
        grey_ok[kind] += 1
        if found.chroma is not None:
            chromas.setdefault(kind, []).append(found.chroma)
        for limit in CHROMA_STEPS:
            if found.chroma is None or found.chroma <= limit:
                kept[limit][kind] += 1
    result: dict[str, object] = {"pairs": dict(kinds), "grey_agree": dict(grey_ok)}
    print(f"candidate pairs (a region within {policy.image_radius} bits): {dict(kinds)}")
    print(f"aligned: {len(labelled)} (copy pairs sampled to --copy-pairs)")
    print(f"pass the grey-level alignment: {dict(grey_ok)}")
    for kind, values in sorted(chromas.items()):
        q = np.percentile(values, [1, 5, 50, 95, 99]).round(1).tolist()
        print(f"  chroma distance of {kind} pairs (1/5/50/95/99 %): {q}")
        result[f"chroma_percentiles_{kind}"] = q
    print("align_max_chroma  copies kept  look-alikes kept  template siblings kept")
    for limit in CHROMA_STEPS:
        k = kept[limit]
        copies = k["copy"] / max(1, grey_ok["copy"])
        print(
            f"{limit:>16.0f}  {k['copy']:>6} ({copies:.4f})  {k['look-alike']:>16}"
            f"  {k['template sibling']:>22}"
        )
        result[f"kept_at_{limit:.0f}"] = dict(k)
    out = OUT / f"picture-pairs-{args.posts}-{args.seed}.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"written {out}")


if __name__ == "__main__":
    main()
