"""`POST /verify` with a phone screenshot: latency at 100k posts (issue 5), against
`GET /verify` of a stored post measured in the same run.

    .venv/bin/python -m bench.verify [--posts 100000] [--requests 30] [--generated]

The database is the scale corpus (`bench/run.py` builds it) plus `sample_data/`, whose
ministry poster the screenshot shows (`--posts 0`: the sample alone); with
`--generated`, each request sends another seeded phone screenshot of a sample copy
(`synthetic.screenshots`: apps, themes, cuts, WhatsApp's JPEG). The server is
`tracer serve` in a child process (with OCR), and requests go one at a time over
loopback. A fresh copy of the database is used, so the run does not change `bench/out`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

from synthetic.posters import font
from tracer.service import ingest
from tracer.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

BIN = Path(sys.executable).parent
POSTER = ROOT / "sample_data" / "corpus" / "media" / "hak_politik_poster.jpg"
RELEASE = "kominfo-wa-20240126-hakpolitik"


def screenshot() -> bytes:
    """1080×2340: status bar, account, the poster, likes and a caption (as the tests)."""
    shot = Image.new("RGB", (1080, 2340), (255, 255, 255))
    draw = ImageDraw.Draw(shot)
    draw.text((40, 25), "09.41   4G  87%", font=font(36), fill=(0, 0, 0))
    draw.text((130, 150), "diskominfo.banten", font=font(40), fill=(0, 0, 0))
    with Image.open(POSTER) as poster:
        shot.paste(poster.convert("RGB").resize((1080, 1080)), (0, 240))
    draw.text((30, 1360), "1.234 suka", font=font(40), fill=(0, 0, 0))
    draw.text((30, 1420), "Halo Sahabat Banten! Presiden punya hak politik ...", font=font(38))
    out = io.BytesIO()
    shot.save(out, "PNG")
    return out.getvalue()


def generated(n: int) -> list[bytes]:
    """`n` seeded phone screenshots of the sample's copies (as bench/screenshots.py)."""
    import random

    from bench.screenshots import copies

    cases = copies(random.Random(14), 1)
    return [shot.jpeg for _, shot, _ in cases[:n]]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--generated", action="store_true")
    args = parser.parse_args()
    source = HERE / "out" / f"bench-{args.posts}.db"
    if args.posts and not source.is_file():
        sys.exit(f"{source} is missing: run `bench/run.py --posts {args.posts}` first")
    db = HERE / "out" / f"verify-{args.posts}.db"
    (HERE / "out").mkdir(exist_ok=True)
    if args.posts:
        shutil.copy(source, db)
    store = Store.open(db)
    started = time.perf_counter()
    ingest(store, ROOT / "sample_data" / "corpus")
    print(f"sample corpus added to {args.posts:,} posts in {time.perf_counter() - started:.1f} s")
    store.close()
    port = 8765
    server = subprocess.Popen(
        [str(BIN / "tracer"), "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"TRACER_RATE_LIMIT": "0", "PATH": str(BIN) + ":/usr/bin:/bin"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            body = screenshot()
            form = {"claimed_at": "2024-01-27T12:00:00+07:00"}
            files = {"files": ("screenshot.png", body, "image/png")}
            first = client.post("/verify", data=form, files=files)  # warms the searcher
            assert first.status_code == 200, first.text
            assert first.json()["release"]["post_id"] == RELEASE, first.json()
            shots = generated(args.requests) if args.generated else []
            posted: list[float] = []
            for n in range(args.requests):
                if shots:
                    files = {"files": ("shot.jpg", shots[n % len(shots)], "image/jpeg")}
                started = time.perf_counter()
                answer = client.post("/verify", data=form, files=files)
                posted.append(time.perf_counter() - started)
                assert answer.status_code == 200
            stored: list[float] = []
            for _ in range(args.requests):
                started = time.perf_counter()
                assert client.get("/verify", params={"post": "banten-ig-20240127"}).is_success
                stored.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
        db.unlink(missing_ok=True)
    what = "generated phone screenshots" if args.generated else "1080×2340 screenshot"
    print(f"POST /verify, {what}, {args.posts:,} posts + sample, {args.requests} requests")
    print(f"  p50 {statistics.median(posted):.3f} s   p95 {percentile(posted, 0.95):.3f} s")
    print(f"GET /verify of a stored post (baseline): p50 {statistics.median(stored):.3f} s")
    print("target: POST /verify p95 ≤ 1 s at 100k posts")


if __name__ == "__main__":
    main()
