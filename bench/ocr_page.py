"""OCR page benchmark (issue 17): tesseract reading the whole picture (before December
2026) against reading the page of its lines (`ocr.page`), on the same pictures, in the
same process, one after the other picture by picture (a loaded machine slows both alike).

    .venv/bin/python -m bench.ocr_page [--posts 1000] [--seed 5] [--pictures 300]

Pictures: the distinct pictures of the media corpus of `bench/media_accuracy.py` that
the text-presence test sends to OCR (the first `--pictures` of them, in file order),
decoded as an ingest does. Prints CPU milliseconds a picture each way and their ratio,
by the kind of post the picture belongs to (`truth.json`), how many words the page keeps
of the whole picture's reading, and how many pictures change sides of the matcher's
six-word line (`MatchPolicy.ocr_min_tokens`). Writes bench/out/ocr-page-<posts>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.media_accuracy import OUT, corpus
from synthetic.media_render import TRUTH_FILE
from tracer.media import ocr, textpresence
from tracer.media.decode import MediaLimits, load_image
from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy

TEXTY = MatchPolicy().ocr_min_tokens


def whole_picture(image: Any) -> str:
    """The reading before the page: the grey copy as it is, tesseract left to find the
    lines (and to read light ones twice)."""
    return ocr.engine().read(ocr.ocr_copy(image))


def pictures(folder: Path, limit: int) -> list[tuple[str, str]]:
    """(path, kind of post) of each distinct picture, in file order."""
    truth = json.loads((folder / TRUTH_FILE).read_text("utf-8"))["posts"]
    seen: dict[str, tuple[str, str]] = {}
    for post in truth.values():
        for media in post["media"]:
            if media["kind"] == "image":
                digest = hashlib.sha256((folder / media["path"]).read_bytes()).hexdigest()
                seen.setdefault(digest, (media["path"], post["kind"]))
    return sorted(seen.values())[:limit] if limit else sorted(seen.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--pictures", type=int, default=300, help="0: all")
    args = parser.parse_args(argv)
    if why := ocr.unavailable():
        sys.exit(f"OCR is off: {why}")
    folder = corpus(args.posts, args.seed)
    ms: dict[str, Counter[str]] = defaultdict(Counter)
    kept = total = flipped = read = 0
    for path, kind in pictures(folder, args.pictures):
        image = load_image(folder / path, MediaLimits(), min_side=512)
        boxes = textpresence.text_boxes(image)
        if not boxes:
            continue
        read += 1
        started = time.process_time()
        before = normalize_text(whole_picture(image)).tokens
        middle = time.process_time()
        after = normalize_text(ocr.read_text(image, boxes=boxes)).tokens
        ended = time.process_time()
        for group in (kind, "all"):
            ms[group].update(n=1, whole=1000 * (middle - started), page=1000 * (ended - middle))
        kept += sum((Counter(before) & Counter(after)).values())
        total += len(before)
        flipped += (len(before) >= TEXTY) != (len(after) >= TEXTY)
    print(f"{read} pictures read ({folder.name}), CPU ms a picture:")
    rows = {}
    for group, c in sorted(ms.items(), key=lambda kv: -kv[1]["whole"]):
        n = c["n"]
        rows[group] = {"pictures": n, "whole_ms": c["whole"] / n, "page_ms": c["page"] / n}
        print(
            f"  {group:18} {n:4} pictures: whole {c['whole'] / n:6.1f}, page {c['page'] / n:6.1f}"
            f"  (ratio {c['page'] / max(c['whole'], 1e-9):.2f})"
        )
    print(f"words of the whole picture's reading kept on the page: {kept}/{total}")
    print(f"pictures that changed sides of the {TEXTY}-word line: {flipped}/{read}")
    figures = {"by_kind": rows, "words_kept": [kept, total], "texty_flipped": [flipped, read]}
    out = OUT / f"ocr-page-{args.posts}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
