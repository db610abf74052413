"""OCR benchmark: pictures/s read the old way (pytesseract on every picture, tesseract's
default threads) against the new way (tesserocr kept loaded, one thread per worker, OCR
only where the text-presence test finds text), in the same run, on the same pictures;
and the text-presence test's misses, with the old way's reading as the truth.

    .venv/bin/python -m bench.ocr [--generated 200] [--workers 2] [--side 640]

Pictures: the sample corpus's pictures and `--generated` seeded posters and photos
(ministry and regional posters, photo posts with a headline band, bare photos, photos
framed or bannered by an office). Both ways decode each picture as an ingest does
(`load_image`, ≥ 512 px); fingerprints are left out (the same in both ways).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from synthetic.sample_files import media as sm
from tracer.media import ocr, textpresence
from tracer.media.decode import MediaLimits, load_image
from tracer.normalize import normalize_text

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "bench" / "out" / "ocr"
SAMPLE = ROOT / "sample_data" / "corpus" / "media"
LIMITS = MediaLimits()
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "camera", "coins", "hubble_deep_field")
PHOTOS += ("immunohistochemistry", "moon", "brick", "grass", "gravel", "retina", "cat")
PHOTOS += ("horse", "colorwheel", "page", "text")
VOCABULARY = (
    "pemerintah kabupaten warga diminta waspada banjir vaksinasi gratis sekolah puskesmas "
    "internet pemilu damai ayo ke tps lapor pajak stunting imunisasi polio anak pangan murah "
    "pasar digital kopi lokal naik kelas jalan tol bantuan sosial beasiswa kesehatan hewan"
)
MIN_TOKENS = 6
"""Texty as the matcher counts it (`MatchPolicy.ocr_min_tokens`)."""


def generate(folder: Path, n: int, seed: int = 11) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    photos = [sm.photo(name) for name in PHOTOS]
    vocabulary = VOCABULARY.split()

    def words(k: int) -> str:
        return " ".join(rng.choice(vocabulary, k))

    paths = []
    for i in range(n):
        path = folder / f"g{i:04d}.jpg"
        paths.append(path)
        src = photos[int(rng.integers(len(photos)))]
        kind, quality = i % 6, int(rng.integers(70, 92))
        if path.exists():
            continue
        img: Image.Image
        if kind < 2:  # a bare photo, cut and scaled
            w, h = src.size
            s = rng.uniform(0.6, 1.0)
            cw, ch = int(w * s), int(h * s)
            x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
            img = src.crop((x, y, x + cw, y + ch)).resize((1080, round(1080 * ch / cw)))
        elif kind == 2:
            body = words(8) if rng.random() < 0.4 else ""
            picture = src if rng.random() < 0.6 else None
            img = sm.ministry_poster(words(int(rng.integers(4, 12))), picture, body=body)
        elif kind == 3:
            img = sm.regional_poster(words(int(rng.integers(4, 10))), "Diskominfo " + words(1))
        elif kind == 4:
            img = sm.photo_post(src, words(int(rng.integers(5, 12))))
        else:
            base = src.resize((1080, round(1080 * src.height / src.width)))
            label = "Diskominfo Kab " + words(1).title()
            edit = sm.framed(label, (20, 90, 60)) if rng.random() < 0.5 else sm.bannered(label)
            img = edit(base)
        img.convert("RGB").save(path, "JPEG", quality=quality)
    return paths


def _default_threads() -> None:
    """The old way's workers: tesseract's own OpenMP threads, as before."""
    os.environ.pop("OMP_THREAD_LIMIT", None)


def old_way(path: Path) -> tuple[str, int]:
    image = load_image(path, LIMITS, min_side=512)
    return " ".join(
        normalize_text(ocr.engine(prefer="tesseract").read(ocr.ocr_copy(image))).tokens
    ), 1


def new_way(path: Path, side: int = ocr.OCR_SIDE) -> tuple[str, int]:
    image = load_image(path, LIMITS, min_side=512)
    if not textpresence.has_text(image):
        return "", 0
    return " ".join(normalize_text(ocr.read_text(image, side=side)).tokens), 1


def run(func: object, paths: list[Path], workers: int, old: bool) -> tuple[float, list]:
    init = _default_threads if old else ocr.unavailable
    with ProcessPoolExecutor(workers, initializer=init) as pool:
        list(pool.map(func, paths[: workers * 2]))  # warm: engines loaded, files cached
        started = time.perf_counter()
        out = list(pool.map(func, paths, chunksize=2))
        return len(paths) / (time.perf_counter() - started), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if why := ocr.unavailable():
        sys.exit(f"OCR is off: {why}")
    sample = sorted(p for p in SAMPLE.iterdir() if p.suffix.lower() in {".jpg", ".png", ".webp"})
    paths = sample + generate(OUT / "pictures", args.generated)
    old_rate, old = run(old_way, paths, args.workers, old=True)
    new_rate, new = run(new_way, paths, args.workers, old=False)
    calls = sum(c for _, c in new)
    truth = [len(text.split()) for text, _ in old]
    found = [c == 1 for _, c in new]
    texty = [f for f, t in zip(found, truth, strict=True) if t >= MIN_TOKENS]
    some = [f for f, t in zip(found, truth, strict=True) if t >= 3]
    same = sum(a == b for (a, _), (b, c) in zip(old, new, strict=True) if c)
    misses = Counter(t for f, t in zip(found, truth, strict=True) if not f and t)
    figures = {
        "pictures": len(paths),
        "sample_pictures": len(sample),
        "workers": args.workers,
        "old_pictures_per_s": round(old_rate, 2),
        "new_pictures_per_s": round(new_rate, 2),
        "speedup": round(new_rate / old_rate, 2),
        "ocr_calls_per_picture_old": 1.0,
        "ocr_calls_per_picture_new": round(calls / len(paths), 3),
        "skipped_share": round(1 - calls / len(paths), 3),
        "texty_pictures": len(texty),
        "recall_texty": round(sum(texty) / len(texty), 4),
        "recall_3_tokens": round(sum(some) / len(some), 4),
        "skipped_with_tokens": dict(sorted(misses.items())),
        "read_identically": f"{same}/{calls}",
    }
    print(f"OCR ({len(paths)} pictures: {len(sample)} of the sample, {args.generated} generated;")
    print(f"     decode + OCR, {args.workers} processes, side {ocr.OCR_SIDE})")
    print(f"  old: pytesseract on every picture, default threads: {old_rate:6.2f} pictures/s")
    print(f"  new: tesserocr, 1 thread, text-presence test first: {new_rate:6.2f} pictures/s")
    per = calls / len(paths)
    print(f"  speed-up {new_rate / old_rate:.1f}×; OCR calls per picture 1.00 → {per:.2f}")
    print(f"  text-presence recall: {figures['recall_texty']:.4f} of {len(texty)} pictures with")
    print(f"    ≥ {MIN_TOKENS} tokens, {figures['recall_3_tokens']:.4f} with ≥ 3;")
    print(f"    skipped pictures by tokens the old way read: {figures['skipped_with_tokens']}")
    print(f"  pictures read by both ways read identically: {same}/{calls}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
