"""Phone screenshots as fact-checkers receive them (issue 14): verdict and release right
for copies, by app, theme and cut; hard negatives never `supported`.

    .venv/bin/python -m bench.screenshots [--db PATH] [--per-post 2] [--negatives 36]
        [--regional 0]

Copies: every stored sample post with a picture whose family has a release (the
release itself included), drawn by `synthetic.screenshots` in `--per-post`
random apps, themes, cuts and caption bands. Hard negatives, never stored: posters on
the ministry's template with other headlines, photos of the same kinds of scene, frames
of unrelated clips — under a local office's own caption, or none. Each is verified as
`POST /verify` does (`verify_content` with a loaded searcher), timed one by one.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from PIL import Image

from synthetic.sample_files.media import ministry_poster, regional_poster
from synthetic.sample_files.scenes import bridge_clip, scene
from synthetic.screenshots import Screenshot, pick_spec, render
from tracer.linking import make_linker
from tracer.media.decode import IMAGE_SUFFIXES
from tracer.policy import DEFAULT_POLICY
from tracer.service import ingest
from tracer.store import Store
from tracer.verification import Submission, verify_content

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CORPUS = ROOT / "sample_data" / "corpus"
TRUTH = json.loads((ROOT / "sample_data" / "truth.json").read_text(encoding="utf-8"))["posts"]
HEADLINES = (
    "Vaksinasi Gratis untuk Lansia Dimulai Pekan Depan",
    "Waspada Cuaca Ekstrem di Musim Hujan",
    "Pendaftaran Beasiswa Dibuka hingga Akhir Bulan",
    "Jaga Kebersihan Lingkungan, Cegah Demam Berdarah",
    "Program Makan Bergizi untuk Anak Sekolah",
    "Layanan Adminduk Kini Bisa Diakses Daring",
)
CAPTIONS = (
    "Kegiatan kerja bakti warga Desa Sukamaju berlangsung meriah pagi ini.",
    "Bupati meninjau pembangunan jalan desa yang ditargetkan selesai bulan depan.",
    "Pasar murah digelar di halaman kantor kecamatan hingga sore hari.",
)


def copies(rng: random.Random, per_post: int) -> list[tuple[str, Screenshot, dict[str, Any]]]:
    """Screenshots of stored posts whose truth has a release."""
    posts = [json.loads(line) for line in (CORPUS / "posts.jsonl").open(encoding="utf-8")]
    handles = {}
    for line in (CORPUS / "accounts.csv").read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split(",")
        handles[fields[0]] = fields[2]
    out = []
    for post in posts:
        truth = TRUTH[post["post_id"]]
        pictures = [m for m in post["media"] if Path(m).suffix.lower() in IMAGE_SUFFIXES]
        if not pictures or truth["release"] is None or truth["verdict"] != "supported":
            continue
        with Image.open(CORPUS / pictures[0]) as picture:
            for _ in range(per_post):
                spec = pick_spec(rng, handles[post["account_id"]], post["text"])
                out.append((post["post_id"], render(picture, spec), truth))
    return out


def negatives(
    rng: random.Random, n: int, regional: int = 0
) -> list[tuple[str, Screenshot, dict[str, Any]]]:
    """Posters on the ministry's template, same-kind scenes, frames of unrelated clips;
    then `regional` posters on the template of the stored regional original (Garut's),
    with other headlines."""
    frames = [f for i, f in enumerate(bridge_clip(12.0, seed=4242)) if i % 25 == 0]
    out = []
    for i in range(regional):
        picture = regional_poster(HEADLINES[i % len(HEADLINES)], "Diskominfo Kab. Garut")
        spec = pick_spec(rng, "warga_desa", rng.choice(CAPTIONS))
        out.append(("regional_poster", render(picture, spec), {"verdict": None, "release": None}))
    for i in range(n):
        kind = ("template_poster", "same_topic_photo", "clip_frame")[i % 3]
        if kind == "template_poster":
            headline = HEADLINES[i % len(HEADLINES)] + f" {2024 + i % 3}"
            picture = ministry_poster(headline, scene(7000 + i, (920, 490)) if i % 2 else None)
        elif kind == "same_topic_photo":
            picture = scene(5000 + i)
        else:
            picture = Image.fromarray(frames[i % len(frames)])
        caption = rng.choice(CAPTIONS)
        spec = pick_spec(rng, "warga_desa", caption)
        out.append((kind, render(picture, spec), {"verdict": None, "release": None}))
    return out


def sample_db(path: Path) -> Path:
    if not path.is_file():
        store = Store.open(path)
        try:
            ingest(store, CORPUS)
        finally:
            store.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=HERE / "out" / "screenshots-sample.db")
    parser.add_argument("--per-post", type=int, default=2)
    parser.add_argument("--negatives", type=int, default=36)
    parser.add_argument(
        "--regional", type=int, default=0, help="regional template posters, besides"
    )
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--cuts", default="", help="only these cuts (comma-separated)")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(sample_db(args.db))
    linker = make_linker(store, DEFAULT_POLICY, store.link_reader())  # loaded once, as a server
    rng = random.Random(args.seed)
    cases = copies(rng, args.per_post) + negatives(rng, args.negatives)
    cases += negatives(random.Random(args.seed + 1), 0, args.regional)
    if args.cuts:
        cases = [c for c in cases if c[1].spec.cut in args.cuts.split(",")]
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    times: list[float] = []
    wrong: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (label, shot, truth) in enumerate(cases):
            path = Path(tmp) / f"shot{n}.jpg"
            path.write_bytes(shot.jpeg)
            started = time.perf_counter()
            report = verify_content(store, Submission("", (path,)), linker=linker)
            times.append(time.perf_counter() - started)
            release = report.release.post_id if report.release else None
            spec = shot.spec
            keys = [f"app={spec.app}", f"theme={spec.theme}", f"cut={spec.cut}"]
            keys.append(f"caption={'yes' if spec.caption_band else 'no'}")
            if truth["verdict"] is None:
                ok = report.verdict in ("not_found", "inconclusive")
                keys = ["negatives", f"negative={label}"]
                if report.verdict == "supported":
                    wrong.append(f"{label} {spec} → supported {release}")
            else:
                ok = report.verdict == truth["verdict"] and release == truth["release"]
                keys.append("copies")
                if not ok:
                    wrong.append(
                        f"{label} {spec.app}/{spec.theme}/{spec.cut} → {report.verdict} {release}"
                    )
            for key in keys:
                tally[key]["right" if ok else "wrong"] += 1
    for key in sorted(tally):
        right, total = tally[key]["right"], sum(tally[key].values())
        print(f"{key:28} {right:4}/{total:<4} {right / total:.3f}")
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"verify_content per screenshot: p50 {statistics.median(times):.3f} s  p95 {p95:.3f} s")
    for line in wrong[:40]:
        print("  wrong:", line)
    store.close()


if __name__ == "__main__":
    main()
