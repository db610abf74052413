"""(Re)write `sample_data/corpus/` and `sample_data/truth.json`, byte for byte the same.

    python -m synthetic.sample_files.generate     # from the repository root; or: make sample

The text side comes from `synthetic.make_sample_text`; this script adds the
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
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from PIL import Image

from synthetic import (
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
from synthetic.sample_files.edits import save_image
from synthetic.sample_files.media import (
    FPS,
    SIZE,
    bannered,
    clip_frames,
    cropped,
    decoded,
    intro_card,
    ministry_poster,
    photo,
    photo_post,
    regional_poster,
    write_mp4,
)
from synthetic.sample_files.media_cases import Edit, e_frame, e_width, make_media_cases, run
from tracer.corpus import POSTS_FILE, write_corpus
from tracer.models import Post

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CORPUS = SAMPLE / "corpus"
MEDIA = "media"
TEMPLATE = "ministry_poster"
CROPPED: Edit = (
    cropped,
    {
        "op": "crop",
        "style": "two_sides",
        "cut": {"left": 0, "top": 0, "right": 0.08, "bottom": 0.08},
    },
)


def e_bottom_banner(label: str) -> Edit:
    return bannered(label), {"op": "banner", "label": label, "at": "bottom"}


class Media:
    """Writes media files under the corpus and remembers where each came from.

    Per file: `derived_from` (the file it was made from), `variant`, `root` (the
    original it ultimately derives from), `transform` (the steps from `derived_from`,
    encoding last), `template_group` (the poster template it is drawn on, inherited by
    its copies) and, for clips, `segments` (time ranges shared with `derived_from`).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_post: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.files: dict[str, dict[str, Any]] = {}

    def _record(
        self,
        post_id: str,
        rel: str,
        derived_from: str | None,
        variant: str,
        transform: list[dict[str, Any]],
        template: str | None,
        **extra: Any,
    ) -> None:
        parent = self.files.get(derived_from) if derived_from else None
        if template is None and parent is not None:
            template = parent["template_group"]
        entry = {
            "path": rel,
            "derived_from": derived_from,
            "variant": variant,
            "kind": "video" if rel.endswith(".mp4") else "image",
            "root": parent["root"] if parent is not None else rel,
            "transform": transform,
            "template_group": template,
        } | extra
        self.files[rel] = entry
        self.by_post[post_id].append(entry)

    def image(
        self,
        post_id: str,
        name: str,
        img: Image.Image,
        quality: int,
        derived_from: str | None,
        variant: str,
        steps: Sequence[dict[str, Any]] = (),
        template: str | None = None,
    ) -> Image.Image:
        rel = f"{MEDIA}/{name}"
        encode = save_image(img, self.root / rel, quality)
        transform = [*steps, encode] if derived_from else []
        self._record(post_id, rel, derived_from, variant, transform, template)
        return img

    def video(
        self,
        post_id: str,
        name: str,
        frames: Iterator[np.ndarray],
        derived_from: str | None,
        variant: str,
        steps: Sequence[dict[str, Any]] = (),
        segments: Sequence[dict[str, list[float]]] = (),
        **encode: Any,
    ) -> Path:
        rel = f"{MEDIA}/{name}"
        write_mp4(self.root / rel, frames, **encode)
        size = list(encode.get("size", SIZE))
        last = {"op": "encode", "format": "h264", "crf": encode.get("crf", 26), "size": size}
        transform = [*steps, last] if derived_from else []
        self._record(post_id, rel, derived_from, variant, transform, None, segments=list(segments))
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
    media.image(
        CASE_RELEASE_ID, "hak_politik_poster.jpg", poster, 88, None, "original", (), TEMPLATE
    )
    src = f"{MEDIA}/hak_politik_poster.jpg"
    banten, steps = run(poster, [e_frame("Pemprov Banten", (232, 120, 30))])
    media.image(CASE_BANTEN_ID, "banten_hak_politik.jpg", banten, 85, src, "framed", steps)
    banten_src = f"{MEDIA}/banten_hak_politik.jpg"
    serang, steps = run(banten, [e_width(720)])
    media.image(
        CASE_SERANG_ID, f"{CASE_SERANG_ID}.jpg", serang, 80, banten_src, "reencoded_resized", steps
    )
    media.image(
        CASE_KOTA_SERANG_ID, f"{CASE_KOTA_SERANG_ID}.jpg", banten, 70, banten_src, "reencoded"
    )
    by_account = {p.account_id: p.post_id for p in family_copies(posts, truth, "hak_politik")}
    poster_variants: list[tuple[str, list[Edit], int, str]] = [
        ("diskominfo_jabar_ig", [e_width(720)], 75, "reencoded_resized"),
        ("diskominfo_jatim_fb", [], 60, "reencoded"),
        ("diskominfo_bali_ig", [CROPPED], 85, "cropped"),
        ("diskominfo_papua_ig", [e_bottom_banner("Diskominfo Provinsi Papua")], 80, "bannered"),
        (
            "diskominfo_kab_garut_ig",
            [e_frame("Diskominfo Kab. Garut", (22, 110, 70))],
            82,
            "framed",
        ),
    ]
    for account_id, edits, quality, label in poster_variants:
        post_id = by_account[account_id]
        img, steps = run(poster, edits)
        media.image(post_id, f"{post_id}.jpg", img, quality, src, label, steps)
    clip_src = f"{MEDIA}/hak_politik.mp4"
    media.video(
        by_account["diskominfo_jateng_ig"],
        f"{by_account['diskominfo_jateng_ig']}.mp4",
        decoded(clip),
        clip_src,
        "reencoded_downscaled",
        [{"op": "rescale", "size": [512, 288]}, {"op": "reencode", "crf": 32}],
        [{"copy": [0.0, 6.0], "release": [0.0, 6.0]}],
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
        [{"op": "intro", "seconds": 1.5}],
        [{"copy": [1.5, 7.5], "release": [0.0, 6.0]}],
    )
    media.video(
        by_account["diskominfo_kab_sleman_ig"],
        f"{by_account['diskominfo_kab_sleman_ig']}.mp4",
        _take(decoded(clip), 4 * FPS),
        clip_src,
        "trimmed",
        [{"op": "trim", "start": 0.0, "end": 4.0}],
        [{"copy": [0.0, 4.0], "release": [0.0, 4.0]}],
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
    copy_variants: dict[str, list[tuple[list[Edit], int, str]]] = {
        "satelit": [([e_width(640)], 75, "reencoded_resized"), ([CROPPED], 85, "cropped")],
        "kopi": [([], 65, "reencoded"), ([e_width(480)], 80, "resized")],
        "rabies": [([e_bottom_banner("Info Kesehatan Hewan")], 80, "bannered")],
        "tps": [([], 70, "reencoded"), ([e_width(720)], 80, "reencoded_resized")],
        "hoaks": [([e_width(800)], 75, "reencoded_resized")],
    }
    for family, img in originals.items():
        release = next(
            p
            for p in posts
            if truth[p.post_id].family == family and truth[p.post_id].release == p.post_id
        )
        name = f"{family}.jpg"
        template = TEMPLATE if family in ("tps", "hoaks") else None
        media.image(release.post_id, name, img, 88, None, "original", (), template)
        copies = family_copies(posts, truth, family)
        for copy, (edits, quality, label) in zip(copies, copy_variants[family], strict=False):
            out, steps = run(img, edits)
            media.image(
                copy.post_id, f"{copy.post_id}.jpg", out, quality, f"{MEDIA}/{name}", label, steps
            )
        if family in ("satelit", "tps"):  # and the latest copy framed by its office
            last = copies[-1]
            out, steps = run(img, [e_frame(names[last.account_id], (30, 90, 160))])
            media.image(
                last.post_id, f"{last.post_id}.jpg", out, 82, f"{MEDIA}/{name}", "framed", steps
            )

    # The regional original and its neighbour's copy; an unrelated photo.
    garut = regional_poster("Banjir bandang: warga diminta waspada", "Diskominfo Kab. Garut")
    media.image(
        REGIONAL_ORIGIN_ID, "garut_banjir.jpg", garut, 85, None, "original", (), "regional_poster"
    )
    neighbour = family_copies(posts, truth, "garut_banjir")[0]
    out, steps = run(garut, [e_width(720)])
    media.image(
        neighbour.post_id,
        f"{neighbour.post_id}.jpg",
        out,
        78,
        f"{MEDIA}/garut_banjir.jpg",
        "reencoded_resized",
        steps,
    )
    unrelated = next(p for p in posts if truth[p.post_id].family is None)
    media.image(
        unrelated.post_id, f"{unrelated.post_id}.jpg", photo("astronaut"), 85, None, "original"
    )

    # The media cases: photo releases, template posters, distinct photos, the bridge clip.
    make_media_cases(posts, truth, names, media)


def _chain(*parts: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    for part in parts:
        yield from part


def _take(frames: Iterator[np.ndarray], n: int) -> Iterator[np.ndarray]:
    for i, frame in enumerate(frames):
        if i >= n:
            return
        yield frame


# --- main ---------------------------------------------------------------------------


def generate(root: Path = CORPUS, truth_path: Path = SAMPLE / "truth.json") -> dict[str, Any]:
    accounts, posts, truth = make_sample_text(SAMPLE_SEED)
    if root.exists():
        shutil.rmtree(root)
    media = Media(root)
    names = {a.account_id: a.name.removeprefix("Diskominfo ") for a in accounts}
    make_media(posts, truth, names, media)
    posts = [replace(p, media=tuple(m["path"] for m in media.by_post[p.post_id])) for p in posts]
    write_corpus(root, accounts, ())
    with (root / POSTS_FILE).open("wb") as out:
        for post in posts:
            out.write(orjson.dumps(post_json_local(post)) + b"\n")
    document = {
        "about": "Expected trace and verify results for sample_data/corpus "
        "(written by synthetic/sample_files/generate.py; do not edit by hand). "
        "parent: the post really copied; altered: the copy changed the message of "
        "its family's release (else its origin): sentences added or removed, title only, "
        "a different caption; greetings, hashtags, closing lines, emoji, case, typos and "
        "truncation are cosmetic; media: how each file was derived. "
        "link: what ties a copy to its family (text, media or text+media; null for "
        "origins and unrelated posts): a media copy keeps the picture or clip under a "
        "completely new caption and only media matching can find it. "
        "case: the media case a post belongs to (photo_release, photo_copy, "
        "photo_text_copy, caption_kept, poster_release, poster_repost, poster_redesign, "
        "distinct_photo, video_release, video_copy, unrelated_video; null for the text "
        "cases). Per media file: kind (image or video); root: the original file it "
        "ultimately derives from; transform: the steps made from derived_from, in order, "
        "the encoding last (resize with scale, crop with style one_side/two_sides/centred "
        "and area_removed, frame with label/logo/uniform, border, banner, redesign, "
        "intro, trim, overlay, rescale, reencode; encode with format and quality or crf); "
        "template_group: the poster template the picture is drawn on (files of one group "
        "with different roots share only the template and must not link); segments "
        "(videos): the time ranges in seconds of this file (copy) that come from "
        "derived_from (release).",
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
            p.post_id: _post_truth(truth[p.post_id], media.by_post[p.post_id]) for p in posts
        },
    }
    truth_path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    return document


def _post_truth(info: SampleTruth, files: list[dict[str, Any]]) -> dict[str, Any]:
    """A post's truth and its media; a text copy that also copied its media is linked by
    both (the text cases' copies of the case poster, clip and photos)."""
    out = info.to_json() | {"media": files}
    if info.link == "text" and any(f["derived_from"] for f in files):
        out["link"] = "text+media"
    return out


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
    size = sum(p.stat().st_size for p in files) + (SAMPLE / "truth.json").stat().st_size
    print(f"sample corpus: {CORPUS.relative_to(SAMPLE.parent)}")
    print(
        f"  posts {len(document['posts'])}, media files {len(files) - 2}, "
        f"{size / 1e6:.2f} MB, digest {digest(CORPUS)}"
    )
    print("  verdicts " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    cases: dict[str, int] = defaultdict(int)
    for info in document["posts"].values():
        cases[info["case"] or "text"] += 1
    print("  cases " + ", ".join(f"{k} {v}" for k, v in sorted(cases.items())))
    for label, post_id in document["cases"].items():
        print(f"  {label:28} {post_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
