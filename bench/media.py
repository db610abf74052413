"""Media benchmark: image and video fingerprint throughput against the decode-only floor,
and media-index look-ups against numpy brute force, all measured in the same run.

    .venv/bin/python -m bench.media [--images 400] [--keys 1000000] [--queries 5000]

Images are 1080×1080 JPEGs (quality 85) cut from scikit-image's sample photos with
seeded noise; the clip is 30 s of 1280×720 H.264 at 25 fps with moving content. Both
rates use every core (a process pool), as an ingest does. OCR is excluded.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image
from skimage import data

from tracer.media.decode import MediaLimits, load_image, sample_video
from tracer.media.fingerprint import WORK_SIDE, fingerprint_image
from tracer.media.index import EXACT_RADIUS, MediaIndex
from tracer.media.video import fingerprint_frames

OUT = Path(__file__).resolve().parent / "out" / "media"
LIMITS = MediaLimits()
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry")


def make_images(folder: Path, n: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sources = [Image.fromarray(getattr(data, name)()).convert("RGB") for name in PHOTOS]
    paths = []
    for i in range(n):
        path = folder / f"img{i:05d}.jpg"
        paths.append(path)
        if path.exists():
            continue
        src = sources[i % len(sources)].resize((1400, 1400), Image.Resampling.BILINEAR)
        x, y = (int(v) for v in rng.integers(0, 320, 2))
        tile = np.asarray(src.crop((x, y, x + 1080, y + 1080)), np.int16)
        noisy = np.clip(tile + rng.integers(-12, 13, tile.shape), 0, 255).astype(np.uint8)
        Image.fromarray(noisy).save(path, "JPEG", quality=85)
    return paths


def make_clip(path: Path, seconds: int = 30, fps: int = 25) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    base = np.asarray(
        Image.fromarray(data.astronaut()).resize((1800, 1400), Image.Resampling.BILINEAR)
    )
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 1280, 720, "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        for i in range(seconds * fps):
            x, y = (i * 3) % 500, (i * 2) % 600
            frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(base[y : y + 720, x : x + 1280]), format="rgb24"
            )
            frame.pts, frame.time_base = i, Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def decode_only(path: Path) -> int:
    return load_image(path, LIMITS, min_side=WORK_SIDE).width


def fingerprint(path: Path) -> int:
    return len(fingerprint_image(load_image(path, LIMITS, min_side=WORK_SIDE)).regions)


def rate(func: object, paths: list[Path], workers: int) -> float:
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(func, paths[:8]))  # warm the workers
        started = time.perf_counter()
        list(pool.map(func, paths, chunksize=8))  # type: ignore[arg-type]
        return len(paths) / (time.perf_counter() - started)


def bench_images(n: int) -> None:
    paths = make_images(OUT / "images", n)
    workers = os.cpu_count() or 2
    floor = rate(decode_only, paths, workers)
    full = rate(fingerprint, paths, workers)
    print(f"images ({n} × 1080×1080 JPEG, {workers} processes)")
    print(f"  decode only (draft to ≥256 px): {floor:8.0f} images/s")
    print(f"  PDQ + pHash regions:            {full:8.0f} images/s   ratio {full / floor:.2f}")
    print("  target: ≥ 300 images/s and ≥ 0.5 of decode-only")


def bench_video() -> None:
    clip = make_clip(OUT / "clip720p30s.mp4")
    decode_times, fp_times = [], []
    for _ in range(3):
        started = time.perf_counter()
        frames = sample_video(clip, LIMITS)
        decode_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        frames = sample_video(clip, LIMITS)
        fingerprint_frames(frames.times, frames.frames, frames.duration)
        fp_times.append(time.perf_counter() - started)
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        started = time.perf_counter()
        every = sum(1 for _ in container.decode(stream))
        full_decode = time.perf_counter() - started
    print("video (30 s, 1280×720 H.264, 25 fps)")
    print(f"  decode every frame ({every}):      {full_decode:6.2f} s")
    print(f"  sample 2/s, reference frames only: {min(decode_times):6.2f} s (the floor)")
    print(f"  sample + fingerprint:              {min(fp_times):6.2f} s   target ≤ 0.7 s")


def bench_index(n: int, queries: int, radius: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 1 << 63, n, dtype=np.int64).astype(np.uint64) << np.uint64(1)
    keys |= rng.integers(0, 2, n).astype(np.uint64)
    started = time.perf_counter()
    index = MediaIndex(keys, np.arange(n, dtype=np.int64))
    build = time.perf_counter() - started
    picks = rng.integers(0, n, queries)
    q = keys[picks].copy()
    for i in range(queries):  # each query is a key with `radius` bits flipped
        for bit in rng.choice(64, radius, replace=False):
            q[i] ^= np.uint64(1) << np.uint64(int(bit))
    started = time.perf_counter()
    found = sum(int(picks[i]) in index.search([int(q[i])], radius) for i in range(queries))
    single = queries / (time.perf_counter() - started)
    started = time.perf_counter()
    batch_found: set[tuple[int, int]] = set()
    for start in range(0, queries, 256):  # as the linker looks up a post's 21 keys at once
        qid, owners, _ = index.search_batch(q[start : start + 256], radius)
        batch_found.update(zip((qid + start).tolist(), owners.tolist(), strict=True))
    batch = queries / (time.perf_counter() - started)
    batch_recall = len(batch_found & set(enumerate(picks.tolist()))) / queries
    brute_n = min(queries, 300)
    started = time.perf_counter()
    brute_found = 0
    for i in range(brute_n):
        near = np.flatnonzero(np.bitwise_count(keys ^ q[i]) <= radius)
        brute_found += int(picks[i]) in set(near.tolist())
    brute = brute_n / (time.perf_counter() - started)
    print(f"media index ({n:,} keys, radius {radius}, exact up to {EXACT_RADIUS})")
    print(f"  build:            {build:6.2f} s")
    print(f"  multi-index, one at a time: {single:8.0f} queries/s   recall {found / queries:.4f}")
    print(f"  multi-index, 256 at a time: {batch:8.0f} queries/s   recall {batch_recall:.4f}")
    brute_recall = brute_found / brute_n
    print(f"  numpy brute force:          {brute:8.0f} queries/s   recall {brute_recall:.4f}")
    print(f"  speed-up: {single / brute:.1f}× one at a time, {batch / brute:.1f}× batched")
    print("  target: ≥ 2,000 queries/s and ≥ 50× brute force")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--radius", type=int, default=EXACT_RADIUS)
    args = parser.parse_args()
    bench_images(args.images)
    bench_video()
    bench_index(args.keys, args.queries, args.radius)


if __name__ == "__main__":
    main()
