"""(Re)write `sample_data/corpus/` and `sample_data/truth.json`, byte for byte the same.

    python sample_data/generate.py

The text side comes from `tracer.synthetic.make_sample_text`; this script adds the
media: a ministry clip and poster for the January 2024 "Presiden Punya Hak Politik"
release, Banten's framed poster, re-encoded, resized, cropped, bannered and framed
copies, a clip with a regional intro card, photos from `skimage.data` for the other
releases, and ministry template posters that share a layout but not a headline (they
must not match). Deterministic: fixed seeds, JPEG quality and subsampling set, x264 on
one thread, no timestamps written anywhere.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from PIL import Image
from sample_media import (  # the sibling module; this folder is on sys.path when run
    FPS,
    Variant,
    bannered,
    clip_frames,
    cropped,
    decoded,
    framed,
    intro_card,
    ministry_poster,
    photo,
    photo_post,
    regional_poster,
    resized,
    same,
    save_jpeg,
    write_mp4,
)

from tracer.corpus import POSTS_FILE, write_corpus
from tracer.models import Post
from tracer.synthetic import (
    CASE_BANTEN_ID,
    CASE_KOTA_SERANG_ID,
    CASE_RELEASE_ID,
    CASE_SERANG_ID,
    CASE_TITLE,
    LATE_RELEASE_ID,
    PREDATING_ID,
    REGIONAL_ORIGIN_ID,
    SAMPLE_SEED,
    SampleTruth,
    make_sample_text,
    post_json_local,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
MEDIA = "media"


class Media:
    """Writes media files under the corpus and remembers where each came from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_post: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def image(
        self,
        post_id: str,
        name: str,
        img: Image.Image,
        quality: int,
        derived_from: str | None,
        variant: str,
    ) -> Image.Image:
        rel = f"{MEDIA}/{name}"
        save_jpeg(img, self.root / rel, quality)
        self.by_post[post_id].append(
            {"path": rel, "derived_from": derived_from, "variant": variant}
        )
        return img

    def video(
        self,
        post_id: str,
        name: str,
        frames: Iterator[np.ndarray],
        derived_from: str | None,
        variant: str,
        **encode: Any,
    ) -> Path:
        rel = f"{MEDIA}/{name}"
        write_mp4(self.root / rel, frames, **encode)
        self.by_post[post_id].append(
            {"path": rel, "derived_from": derived_from, "variant": variant}
        )
        return self.root / rel


def family_copies(posts: list[Post], truth: dict[str, SampleTruth], family: str) -> list[Post]:
    """A family's copies in time order (the release is not one of them)."""
    return [
        p
        for p in posts
        if truth[p.post_id].family == family and truth[p.post_id].parent is not None
    ]


def make_media(
    posts: list[Post], truth: dict[str, SampleTruth], names: dict[str, str], media: Media
) -> None:
    """Every media file of the sample, with its derivation recorded for truth.json."""
    # The case: clip and poster in the distribution group.
    clip = media.video(CASE_RELEASE_ID, "hak_politik.mp4", clip_frames(6.0), None, "original")
    poster = ministry_poster(CASE_TITLE, photo("camera"))
    media.image(CASE_RELEASE_ID, "hak_politik_poster.jpg", poster, 88, None, "original")
    src = f"{MEDIA}/hak_politik_poster.jpg"
    banten = framed("Pemprov Banten", (232, 120, 30))(poster)
    media.image(CASE_BANTEN_ID, "banten_hak_politik.jpg", banten, 85, src, "framed")
    banten_src = f"{MEDIA}/banten_hak_politik.jpg"
    media.image(
        CASE_SERANG_ID,
        f"{CASE_SERANG_ID}.jpg",
        resized(720)(banten),
        80,
        banten_src,
        "reencoded_resized",
    )
    media.image(
        CASE_KOTA_SERANG_ID, f"{CASE_KOTA_SERANG_ID}.jpg", banten, 70, banten_src, "reencoded"
    )
    by_account = {p.account_id: p.post_id for p in family_copies(posts, truth, "hak_politik")}
    poster_variants: list[tuple[str, Variant, int, str]] = [
        ("diskominfo_jabar_ig", resized(720), 75, "reencoded_resized"),
        ("diskominfo_jatim_fb", same, 60, "reencoded"),
        ("diskominfo_bali_ig", cropped, 85, "cropped"),
        ("diskominfo_papua_ig", bannered("Diskominfo Provinsi Papua"), 80, "bannered"),
        ("diskominfo_kab_garut_ig", framed("Diskominfo Kab. Garut", (22, 110, 70)), 82, "framed"),
    ]
    for account_id, variant, quality, label in poster_variants:
        post_id = by_account[account_id]
        media.image(post_id, f"{post_id}.jpg", variant(poster), quality, src, label)
    clip_src = f"{MEDIA}/hak_politik.mp4"
    media.video(
        by_account["diskominfo_jateng_ig"],
        f"{by_account['diskominfo_jateng_ig']}.mp4",
        decoded(clip),
        clip_src,
        "reencoded_downscaled",
        size=(512, 288),
        crf=32,
    )
    intro = names["diskominfo_kota_surabaya_ig"]
    media.video(
        by_account["diskominfo_kota_surabaya_ig"],
        f"{by_account['diskominfo_kota_surabaya_ig']}.mp4",
        _chain(intro_card(intro, 1.5), decoded(clip)),
        clip_src,
        "intro_card",
    )
    media.video(
        by_account["diskominfo_kab_sleman_ig"],
        f"{by_account['diskominfo_kab_sleman_ig']}.mp4",
        _take(decoded(clip), 4 * FPS),
        clip_src,
        "trimmed",
    )

    # Other releases: photos from skimage.data and two template posters.
    originals = {
        "satelit": photo_post(
            photo("rocket"), "Internet satelit untuk sekolah dan puskesmas di daerah 3T"
        ),
        "kopi": photo_post(photo("coffee"), "Kopi lokal naik kelas lewat pemasaran digital"),
        "rabies": photo_post(photo("chelsea"), "Vaksinasi rabies gratis untuk hewan peliharaan"),
        "tps": ministry_poster("Ayo ke TPS 14 Februari, suaramu menentukan", None, "ballot"),
        "hoaks": ministry_poster("Tidak ada pembagian bansos lewat tautan berantai", None, "stamp"),
    }
    copy_variants: dict[str, list[tuple[Variant, int, str]]] = {
        "satelit": [(resized(640), 75, "reencoded_resized"), (cropped, 85, "cropped")],
        "kopi": [(same, 65, "reencoded"), (resized(480), 80, "resized")],
        "rabies": [(bannered("Info Kesehatan Hewan"), 80, "bannered")],
        "tps": [(same, 70, "reencoded"), (resized(720), 80, "reencoded_resized")],
        "hoaks": [(resized(800), 75, "reencoded_resized")],
    }
    for family, img in originals.items():
        release = next(
            p
            for p in posts
            if truth[p.post_id].family == family and truth[p.post_id].release == p.post_id
        )
        name = f"{family}.jpg"
        media.image(release.post_id, name, img, 88, None, "original")
        copies = family_copies(posts, truth, family)
        for copy, (variant, quality, label) in zip(copies, copy_variants[family], strict=False):
            media.image(
                copy.post_id, f"{copy.post_id}.jpg", variant(img), quality, f"{MEDIA}/{name}", label
            )
        if family in ("satelit", "tps"):  # and the latest copy framed by its office
            last = copies[-1]
            media.image(
                last.post_id,
                f"{last.post_id}.jpg",
                framed(names[last.account_id], (30, 90, 160))(img),
                82,
                f"{MEDIA}/{name}",
                "framed",
            )

    # The regional original and its neighbour's copy; an unrelated photo.
    garut = regional_poster("Banjir bandang: warga diminta waspada", "Diskominfo Kab. Garut")
    media.image(REGIONAL_ORIGIN_ID, "garut_banjir.jpg", garut, 85, None, "original")
    neighbour = family_copies(posts, truth, "garut_banjir")[0]
    media.image(
        neighbour.post_id,
        f"{neighbour.post_id}.jpg",
        resized(720)(garut),
        78,
        f"{MEDIA}/garut_banjir.jpg",
        "reencoded_resized",
    )
    unrelated = next(p for p in posts if truth[p.post_id].family is None)
    media.image(
        unrelated.post_id, f"{unrelated.post_id}.jpg", photo("astronaut"), 85, None, "original"
    )


def _chain(*parts: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    for part in parts:
        yield from part


def _take(frames: Iterator[np.ndarray], n: int) -> Iterator[np.ndarray]:
    for i, frame in enumerate(frames):
        if i >= n:
            return
        yield frame


# --- main ---------------------------------------------------------------------------


def generate(root: Path = CORPUS, truth_path: Path = HERE / "truth.json") -> dict[str, Any]:
    accounts, posts, truth = make_sample_text(SAMPLE_SEED)
    if root.exists():
        shutil.rmtree(root)
    media = Media(root)
    names = {a.account_id: a.name.removeprefix("Diskominfo ") for a in accounts}
    make_media(posts, truth, names, media)
    posts = [
        replace(p, media=tuple(m["path"] for m in media.by_post.get(p.post_id, ()))) for p in posts
    ]
    write_corpus(root, accounts, ())
    with (root / POSTS_FILE).open("wb") as out:
        for post in posts:
            out.write(orjson.dumps(post_json_local(post)) + b"\n")
    document = {
        "about": "Expected trace and verify results for sample_data/corpus "
        "(written by sample_data/generate.py; do not edit by hand). "
        "parent: the post really copied; altered: text differs from the family's "
        "release (else its origin); media: how each file was derived.",
        "seed": SAMPLE_SEED,
        "cases": {
            "release": CASE_RELEASE_ID,
            "banten_repost": CASE_BANTEN_ID,
            "serang_copy_of_banten": CASE_SERANG_ID,
            "kota_serang_copy_of_banten": CASE_KOTA_SERANG_ID,
            "regional_origin": REGIONAL_ORIGIN_ID,
            "contradicted": PREDATING_ID,
            "late_release": LATE_RELEASE_ID,
        },
        "posts": {
            p.post_id: truth[p.post_id].to_json() | {"media": media.by_post.get(p.post_id, [])}
            for p in posts
        },
    }
    truth_path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    return document


def digest(root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(path.relative_to(root).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def main() -> int:
    document = generate()
    verdicts: dict[str, int] = defaultdict(int)
    for info in document["posts"].values():
        verdicts[info["verdict"]] += 1
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) + (HERE / "truth.json").stat().st_size
    print(f"sample corpus: {CORPUS.relative_to(HERE.parent)}")
    print(
        f"  posts {len(document['posts'])}, media files {len(files) - 2}, "
        f"{size / 1e6:.2f} MB, digest {digest(CORPUS)}"
    )
    print("  verdicts " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    for label, post_id in document["cases"].items():
        print(f"  {label:28} {post_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
