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
from collections.abc import Callable, Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import orjson
from PIL import Image, ImageDraw, ImageFont, ImageOps
from skimage import data

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
FPS = 10
SIZE = (640, 360)
NAVY, BLUE, GOLD = (11, 42, 91), (20, 70, 140), (245, 190, 40)

Variant = Callable[[Image.Image], Image.Image]


def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font: the same glyphs on every machine with this Pillow."""
    loaded = ImageFont.load_default(size=size)
    assert isinstance(loaded, ImageFont.FreeTypeFont)
    return loaded


def wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font(size)) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def photo(name: str) -> Image.Image:
    array = getattr(data, name)()
    if array.ndim == 2:  # grayscale: tint it blue like the ministry's templates
        tint = np.stack([array * 0.55, array * 0.75, array * 1.0], axis=-1)
        array = np.clip(tint + 20, 0, 255).astype(np.uint8)
    return Image.fromarray(array).convert("RGB")


# --- posters ------------------------------------------------------------------------


def ministry_poster(headline: str, picture: Image.Image | None, art: str = "") -> Image.Image:
    """The ministry's template: header, picture box, headline, footer.

    Posters made from it share background and layout; only the picture box and the
    headline tell them apart, which is what a matcher must look at.
    """
    img = Image.new("RGB", (1080, 1080), NAVY)
    draw = ImageDraw.Draw(img)
    for y in range(1080):  # vertical gradient
        t = y / 1079
        draw.line(
            [(0, y), (1079, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(NAVY, BLUE, strict=True)),
        )
    draw.rectangle([0, 0, 1079, 110], fill=(255, 255, 255))
    draw.ellipse([30, 20, 100, 90], fill=NAVY, outline=GOLD, width=6)
    draw.text((125, 36), "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA", font=font(38), fill=NAVY)
    box = (80, 150, 1000, 640)
    if picture is not None:
        fitted = ImageOps.fit(picture, (box[2] - box[0], box[3] - box[1]))
        img.paste(fitted, box[:2])
    else:
        draw.rectangle(box, fill=(235, 240, 248))
        if art == "ballot":
            draw.rectangle([380, 330, 700, 600], fill=(250, 250, 250), outline=NAVY, width=8)
            draw.rectangle([470, 310, 610, 340], fill=NAVY)
            draw.polygon(
                [(500, 200), (600, 200), (600, 320), (500, 320)], fill=(255, 255, 255), outline=NAVY
            )
            draw.line([(515, 240), (545, 280), (590, 215)], fill=(200, 30, 30), width=10)
            draw.text((420, 520), "TPS", font=font(60), fill=NAVY)
        elif art == "stamp":
            stamp = Image.new("RGBA", (620, 220), (0, 0, 0, 0))
            sd = ImageDraw.Draw(stamp)
            sd.rectangle([6, 6, 613, 213], outline=(210, 30, 30), width=14)
            sd.text((70, 40), "HOAKS", font=font(150), fill=(210, 30, 30))
            stamp = stamp.rotate(12, expand=True, resample=Image.Resampling.BICUBIC)
            img.paste(stamp, (200, 260), stamp)
    draw.rectangle([box[0], box[3] + 20, box[0] + 160, box[3] + 32], fill=GOLD)
    y = box[3] + 60
    for line in wrap(draw, headline.upper(), 62, 900):
        draw.text((80, y), line, font=font(62), fill=(255, 255, 255))
        y += 74
    draw.rectangle([0, 990, 1079, 1079], fill=GOLD)
    draw.text((80, 1015), "#SobatKominfo  #IndonesiaMaju  kominfo.go.id", font=font(36), fill=NAVY)
    return img


def photo_post(picture: Image.Image, headline: str) -> Image.Image:
    """A photo with the ministry's headline band under it."""
    width = 1080
    scaled = picture.resize(
        (width, round(picture.height * width / picture.width)), Image.Resampling.LANCZOS
    )
    draw_probe = ImageDraw.Draw(scaled)
    lines = wrap(draw_probe, headline, 48, width - 100)
    band = 40 + 60 * len(lines)
    img = Image.new("RGB", (width, scaled.height + band), NAVY)
    img.paste(scaled, (0, 0))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((50, scaled.height + 20 + 60 * i), line, font=font(48), fill=(255, 255, 255))
    return img


def regional_poster(headline: str, office: str) -> Image.Image:
    """A regency's own template (green), for the regional original."""
    img = Image.new("RGB", (1080, 1350), (22, 110, 70))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 1079, 140], fill=(255, 255, 255))
    draw.text((60, 45), office.upper(), font=font(46), fill=(22, 110, 70))
    for i in range(9):  # stylised water
        y = 420 + 38 * i
        draw.arc([-100 + 60 * (i % 2), y, 600, y + 90], 200, 340, fill=(120, 190, 230), width=12)
        draw.arc([480 - 60 * (i % 2), y, 1180, y + 90], 200, 340, fill=(120, 190, 230), width=12)
    draw.polygon([(350, 420), (540, 250), (730, 420)], fill=(240, 230, 200))
    draw.rectangle([390, 420, 690, 600], fill=(240, 230, 200))
    y = 820
    for line in wrap(draw, headline.upper(), 70, 960):
        draw.text((60, y), line, font=font(70), fill=(255, 255, 255))
        y += 84
    draw.text((60, 1260), "Siaga Bencana  |  Call Center 112", font=font(40), fill=GOLD)
    return img


# --- derived copies -----------------------------------------------------------------


def resized(width: int) -> Variant:
    def apply(img: Image.Image) -> Image.Image:
        return img.resize((width, round(img.height * width / img.width)), Image.Resampling.BILINEAR)

    return apply


def cropped(img: Image.Image) -> Image.Image:
    """About 15 % of the area cut from the right and the bottom."""
    return img.crop((0, 0, round(img.width * 0.92), round(img.height * 0.92)))


def framed(label: str, colour: tuple[int, int, int]) -> Variant:
    """A coloured border with the office's name in it, as Banten did."""

    def apply(img: Image.Image) -> Image.Image:
        side, bottom = 48, 130
        out = Image.new("RGB", (img.width + 2 * side, img.height + side + bottom), colour)
        out.paste(img, (side, side))
        draw = ImageDraw.Draw(out)
        draw.text(
            (side, img.height + side + 35), label.upper(), font=font(58), fill=(255, 255, 255)
        )
        return out.resize((1080, round(out.height * 1080 / out.width)), Image.Resampling.LANCZOS)

    return apply


def bannered(label: str) -> Variant:
    """An office banner laid over the bottom of the picture."""

    def apply(img: Image.Image) -> Image.Image:
        out = img.copy()
        draw = ImageDraw.Draw(out)
        draw.rectangle([0, out.height - 110, out.width, out.height], fill=(150, 20, 40))
        draw.text((40, out.height - 85), label, font=font(52), fill=(255, 255, 255))
        return out

    return apply


def same(img: Image.Image) -> Image.Image:
    return img


def save_jpeg(img: Image.Image, path: Path, quality: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, "JPEG", quality=quality, subsampling=2, optimize=False)


# --- video --------------------------------------------------------------------------


def clip_frames(seconds: float) -> Iterator[np.ndarray]:
    """The ministry's clip: a slow pan over a photo, a sliding title, a moving marker."""
    background = photo("camera").resize((1024, 1024), Image.Resampling.BILINEAR)
    n = round(seconds * FPS)
    for i in range(n):
        t = i / max(1, n - 1)
        x, y = round(40 + 300 * t), round(300 - 120 * t)
        frame = background.crop((x, y, x + 640, y + 360))
        draw = ImageDraw.Draw(frame)
        band_x = round(-640 + min(1.0, t * 2.5) * 660)
        draw.rectangle([band_x, 250, band_x + 620, 330], fill=NAVY)
        draw.text((band_x + 15, 262), "PRESIDEN PUNYA HAK POLITIK", font=font(34), fill=GOLD)
        draw.text((band_x + 15, 300), "Acuannya UU Pemilu", font=font(22), fill=(255, 255, 255))
        cx = round(60 + 520 * t)
        draw.ellipse([cx - 18, 40, cx + 18, 76], fill=GOLD, outline=NAVY, width=4)
        draw.rectangle([0, 0, 639, 24], fill=(255, 255, 255))
        draw.text((8, 3), f"KOMINFO  |  00:0{int(i / FPS)}", font=font(16), fill=NAVY)
        yield np.asarray(frame)


def intro_card(label: str, seconds: float) -> Iterator[np.ndarray]:
    for i in range(round(seconds * FPS)):
        card = Image.new("RGB", SIZE, (22, 110, 70))
        draw = ImageDraw.Draw(card)
        draw.text((40, 140), label, font=font(40), fill=(255, 255, 255))
        draw.rectangle([40, 200, 40 + 40 * (i + 1), 210], fill=GOLD)
        yield np.asarray(card)


def decoded(path: Path) -> Iterator[np.ndarray]:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            # to_ndarray may share a buffer that the decoder reuses: copy before yielding.
            yield frame.to_ndarray(format="rgb24").copy()


def yuv420p(rgb: np.ndarray) -> np.ndarray:
    """BT.601 limited-range planes computed in numpy, not by swscale, whose SIMD paths
    are not bit-exact from one CPU to another; the sample must be byte-stable."""
    x = rgb.astype(np.float32)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    h, w = y.shape

    def half(plane: np.ndarray) -> np.ndarray:
        pooled: np.ndarray = plane.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
        return pooled

    planes = [y.reshape(-1), half(u).reshape(-1), half(v).reshape(-1)]
    flat = np.clip(np.rint(np.concatenate(planes)), 0, 255).astype(np.uint8)
    out: np.ndarray = flat.reshape(h * 3 // 2, w)
    return out


def write_mp4(
    path: Path, frames: Iterator[np.ndarray], size: tuple[int, int] = SIZE, crf: int = 26
) -> None:
    """H.264 in MP4, one encoder thread and bit-exact muxing, so reruns give equal bytes.

    The width must be a multiple of 128: otherwise the chroma rows carry alignment
    padding that is never initialised, and x264's output changed from run to run.
    """
    if size[0] % 128 or size[1] % 2:
        raise ValueError(f"{size}: width must be a multiple of 128 and height even")
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w", format="mp4", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.thread_count = 1
        stream.codec_context.flags |= 1 << 23  # AV_CODEC_FLAG_BITEXACT
        stream.options = {"crf": str(crf), "preset": "medium", "threads": "1", "g": str(FPS)}
        for index, array in enumerate(frames):
            image = Image.fromarray(array)
            if image.size != size:
                image = image.resize(size, Image.Resampling.BILINEAR)
            frame = av.VideoFrame.from_ndarray(yuv420p(np.asarray(image)), format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, FPS)  # never left to a clock
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


# --- the plan -----------------------------------------------------------------------


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
