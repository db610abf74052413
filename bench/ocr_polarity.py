"""Mostly dark pictures read as their negative: CPU and readings, against reading them
as they are, in the same run, on the same pictures.

    .venv/bin/python -m bench.ocr_polarity [--posts 10000] [--seed 7] [--pictures 600]

Takes `--pictures` pictures at random (seeded) from the media corpus
`bench/out/media-<posts>-<seed>/` (generated as `bench/media_accuracy.py` does), keeps
those the text-presence test sends to OCR, and reads each twice with the loaded engine:
the grey copy as it is, and as `ocr.ocr_copy` gives it (its negative when more than
`ocr.DARK_SHARE` of it is darker than mid-grey). Prints the CPU a call each way, for
all read pictures and for the texty ones (`MIN_TOKENS` or more words), and how the
readings differ: identical, and the words of four letters or more (what the matcher
compares) found on one side only.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.media_accuracy import corpus
from tracer.media import ocr, textpresence
from tracer.media.decode import MediaLimits, load_image
from tracer.normalize import normalize_text

MIN_TOKENS = 6
"""Texty as the matcher counts it (`MatchPolicy.ocr_min_tokens`)."""


def read(grey: Image.Image) -> tuple[tuple[str, ...], float]:
    start = time.process_time()
    tokens = normalize_text(ocr.engine().read(grey)).tokens
    return tokens, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pictures", type=int, default=600)
    args = parser.parse_args()
    if ocr.unavailable() is not None:
        sys.exit("OCR is not available here")
    folder = corpus(args.posts, args.seed)
    files = sorted(p for p in (folder / "media").iterdir() if p.suffix != ".mp4")
    random.Random(1).shuffle(files)
    rows = []
    for path in files[: args.pictures]:
        image = load_image(path, MediaLimits(), min_side=512)
        if not textpresence.has_text(image):
            continue
        grey = ocr.grey_copy(image)
        before, cpu_before = read(grey)
        after, cpu_after = read(ocr.ocr_copy(image))
        rows.append((before, after, cpu_before, cpu_after, ocr.mostly_dark(grey)))
    texty = [r for r in rows if len(r[0]) >= MIN_TOKENS]
    for label, group in (("all read", rows), ("texty", texty)):
        if not group:
            continue
        b, a = sum(r[2] for r in group), sum(r[3] for r in group)
        print(
            f"{label}: {len(group)} pictures ({sum(r[4] for r in group)} mostly dark), "
            f"{b / len(group) * 1000:.1f} -> {a / len(group) * 1000:.1f} ms a call "
            f"(x{b / a:.2f})"
        )
    same = sum(r[0] == r[1] for r in rows)
    long_words = Counter[str]()
    changed = 0
    for before, after, *_ in rows:
        one_side = (Counter(before) - Counter(after)) + (Counter(after) - Counter(before))
        words = [w for w in one_side.elements() if len(w) >= 4]
        changed += bool(words)
        long_words.update(words)
    print(f"readings identical: {same} of {len(rows)}")
    print(f"pictures with a word of 4+ letters on one side only: {changed} of {len(rows)}")
    print("those words, most frequent:", ", ".join(w for w, _ in long_words.most_common(12)))


if __name__ == "__main__":
    main()
