"""The media of the sample's media cases (`synthetic.sample_media_case` wrote
their posts): photo releases and their transformed copies, template posters, re-drawn
posters, distinct photos and the bridge clip with its copies.

Each copy is made the way an office makes it, from the decoded file it copied, and
its transform is recorded step by step (`truth.json`, media `transform`) so a test can
check that every transform of issue 3 is covered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from synthetic import SampleTruth
from synthetic.sample_files.edits import (
    banner_across,
    bordered,
    crop_sides,
    framed_logo,
    overlaid,
    scaled,
)
from synthetic.sample_files.media import (
    FPS,
    Variant,
    decoded,
    framed,
    intro_card,
    ministry_poster,
    regional_poster,
    resized,
    same,
)
from synthetic.sample_files.scenes import bridge_clip, scene, stock, street_clip
from synthetic.sample_media_case import (
    POSTER_RELEASES,
    VIDEO_RELEASE,
)
from tracer.models import Post

Step = dict[str, Any]
Edit = tuple[Variant, Step]
MEDIA = "media"

PHOTOS = {"mudik": "motorcycle", "labkesda": "immunohistochemistry", "bansos_tahap2": "coins"}
DISTINCT_STOCK = (
    "hubble_deep_field",
    "retina",
    "clock",
    "page",
    "text",
    "moon",
    "grass",
    "gravel",
    "brick",
    "cell",
    "colorwheel",
    "logo",
    "horse",
    "shepp_logan_phantom",
)
POSTER_ART: dict[str, tuple[str, int | None]] = {  # stock art, or the seed of a scene
    "poster_stunting": ("", 200),
    "poster_inflasi": ("chart", None),
    "poster_pajak": ("megaphone", None),
    "poster_sekolah": ("megaphone", None),  # the same stock art as poster_pajak
    "poster_pangan": ("", 201),
    "poster_imunisasi": ("shield", None),
}
PHOTO_WIDTH, DISTINCT_WIDTH = 640, 640
CLIP_CRF = 30
CLIP_SECONDS = 16.0
COLOURS = ((22, 110, 70), (150, 20, 40), (30, 90, 160), (120, 60, 140), (200, 110, 20))


# --- edits with their descriptions --------------------------------------------------


def run(img: Image.Image, edits: Sequence[Edit]) -> tuple[Image.Image, list[Step]]:
    """Apply the edits in order; describe each with the sizes it really produced."""
    steps: list[Step] = []
    for variant, desc in edits:
        out = variant(img)
        step = dict(desc)
        if step["op"] in ("resize", "crop"):
            step |= {"from": list(img.size), "to": list(out.size)}
        if step["op"] == "resize":
            step["scale"] = round(out.width / img.width, 3)
        if step["op"] == "crop":
            step["area_removed"] = round(1 - out.width * out.height / (img.width * img.height), 4)
        steps.append(step)
        img = out
    return img, steps


def e_scale(factor: float) -> Edit:
    return scaled(factor), {"op": "resize"}


def e_width(width: int) -> Edit:
    return resized(width), {"op": "resize"}


def e_crop(left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> Edit:
    cut = {"left": left, "top": top, "right": right, "bottom": bottom}
    sides = [side for side, f in cut.items() if f > 0]
    style = {1: "one_side", 2: "two_sides", 4: "centred"}[len(sides)]
    return crop_sides(left, top, right, bottom), {"op": "crop", "style": style, "cut": cut}


def e_frame_logo(label: str, colour: tuple[int, int, int]) -> Edit:
    desc = {"op": "frame", "label": label, "logo": True, "uniform": False}
    return framed_logo(label, colour), desc


def e_frame(label: str, colour: tuple[int, int, int]) -> Edit:
    return framed(label, colour), {"op": "frame", "label": label, "logo": False, "uniform": True}


def e_border(width: int, colour: tuple[int, int, int]) -> Edit:
    desc = {"op": "border", "width": width, "colour": "#{:02x}{:02x}{:02x}".format(*colour)}
    return bordered(width, colour), desc | {"uniform": True}


def e_banner(label: str, at: float) -> Edit:
    return banner_across(label, at), {"op": "banner", "label": label, "at": at}


def opened(root: Path, rel: str) -> Image.Image:
    """The file as an office downloads it: decoded, RGB."""
    with Image.open(root / rel) as img:
        return img.convert("RGB")


# --- the cases ----------------------------------------------------------------------


def make_media_cases(
    posts: list[Post], truth: dict[str, SampleTruth], names: dict[str, str], media: Any
) -> None:
    by_kind: dict[str, list[tuple[Post, Any]]] = {}
    for post in posts:
        plan = truth[post.post_id].plan
        if plan is None:
            continue
        by_kind.setdefault(plan.kind, []).append((post, plan))
    sources: dict[str, str] = {}  # post id -> the path of its (first) media file

    def save(
        post: Post,
        img: Image.Image,
        ext: str,
        quality: int,
        src: str | None,
        variant: str,
        steps: list[Step],
        template: str | None = None,
    ) -> None:
        name = f"{post.post_id}.{ext}"
        media.image(post.post_id, name, img, quality, src, variant, steps, template)
        sources.setdefault(post.post_id, f"{MEDIA}/{name}")

    # 1. Photo releases and their media-only copies.
    releases = {p.post_id: i for i, (p, _) in enumerate(by_kind["photo_release"])}
    for post, plan in by_kind["photo_release"]:
        photo = stock(PHOTOS[plan.key])
        size = (PHOTO_WIDTH, round(photo.height * PHOTO_WIDTH / photo.width))
        photo = photo.resize(size, Image.Resampling.LANCZOS)
        save(post, photo, "jpg", 88, None, "original", [])
    for post, plan in by_kind["photo_copy"] + by_kind["photo_text_copy"]:
        src = sources[plan.source]
        r = releases.get(plan.source, 0)
        name = names[post.account_id]
        colour = COLOURS[(r + len(name)) % len(COLOURS)]
        edits, ext, quality = photo_edits(plan.step, r, name, colour)
        img, steps = run(opened(media.root, src), edits)
        save(post, img, ext, quality, src, plan.step, steps)

    # 2. Captions kept over other photos.
    for post, plan in by_kind["caption_kept"]:
        save(post, scene(100 + int(plan.step)), "jpg", 85, None, "original", [])

    # 3. Template posters and their reposts; 4. posters re-drawn with the same words.
    specs = {s.key: s for s in POSTER_RELEASES}
    for post, plan in by_kind["poster_release"]:
        spec = specs[plan.key]
        art, seed = POSTER_ART[plan.key]
        picture = scene(seed, (920, 490)) if seed is not None else None
        img = ministry_poster(spec.title, picture, art, spec.body)
        save(post, img, "jpg", 88, None, "original", [], "ministry_poster")
    for post, plan in by_kind["poster_repost"]:
        src = sources[plan.source]
        name = names[post.account_id]
        edit: Edit = {
            "reencode": (same, {"op": "none"}),
            "resize": e_width(720),
            "frame_name": e_frame(name, COLOURS[len(name) % len(COLOURS)]),
        }[plan.step]
        img, steps = run(opened(media.root, src), [edit] if plan.step != "reencode" else [])
        save(post, img, "jpg", 65 if plan.step == "reencode" else 80, src, plan.step, steps)
    for post, plan in by_kind["poster_redesign"]:
        spec = specs[plan.key]
        office = f"Diskominfo {names[post.account_id]}"
        img = regional_poster(spec.title, office, spec.body)
        step = {"op": "redesign", "template": "regional_poster", "kept": "headline and body words"}
        save(post, img, "jpg", 85, sources[plan.source], "redesigned", [step], "regional_poster")

    # 5. Distinct photos.
    for j, (post, _plan) in enumerate(by_kind["distinct_photo"]):
        if j < len(DISTINCT_STOCK):
            img = stock(DISTINCT_STOCK[j])
            size = (DISTINCT_WIDTH, round(img.height * DISTINCT_WIDTH / img.width))
            img = img.resize(size, Image.Resampling.LANCZOS)
        else:
            img = scene(300 + j, (DISTINCT_WIDTH, DISTINCT_WIDTH * 3 // 4))
        save(post, img, "jpg", 85, None, "original", [])

    # 6. The clip, its copies, an unrelated clip.
    ((rel_post, _),) = by_kind["video_release"]
    clip = media.video(
        rel_post.post_id,
        f"{VIDEO_RELEASE.key}.mp4",
        bridge_clip(CLIP_SECONDS),
        None,
        "original",
        crf=CLIP_CRF,
    )
    src = f"{MEDIA}/{VIDEO_RELEASE.key}.mp4"
    for post, plan in by_kind["video_copy"]:
        name = names[post.account_id]
        colour = COLOURS[len(name) % len(COLOURS)]
        frames, steps, segments, encode = video_copy(plan.step, clip, name, colour)
        media.video(
            post.post_id, f"{post.post_id}.mp4", frames, src, plan.step, steps, segments, **encode
        )
    for post, _plan in by_kind["unrelated_video"]:
        media.video(
            post.post_id, f"{post.post_id}.mp4", street_clip(8.0), None, "original", crf=CLIP_CRF
        )


def photo_edits(
    step: str, r: int, name: str, colour: tuple[int, int, int]
) -> tuple[list[Edit], str, int]:
    """A copy's edits, file type and quality; `r` varies the parameters by release."""
    match step:
        case "reencode":
            return [], "jpg", (50, 60, 70)[r]
        case "resize":
            return [e_scale((0.3, 0.4, 0.5)[r])], "jpg", 80
        case "crop_one_side":
            return [(e_crop(left=0.14), e_crop(top=0.13), e_crop(right=0.15))[r]], "jpg", 82
        case "crop_two_sides":
            crops = (
                e_crop(right=0.07, bottom=0.07),
                e_crop(left=0.075, top=0.07),
                e_crop(left=0.07, bottom=0.075),
            )
            return [crops[r]], "jpg", 82
        case "crop_centred":
            f = (0.03, 0.035, 0.038)[r]
            return [e_crop(f, f, f, f)], "jpg", 82
        case "frame_logo":
            return [e_frame_logo(name, colour)], "jpg", 85
        case "border":
            border = ((255, 255, 255), (10, 10, 10), (11, 42, 91))[r]
            return [e_border((24, 40, 60)[r], border)], "jpg", 85
        case "banner":
            return [e_banner(f"Info {name}", (0.82, 0.45, 0.04)[r])], "jpg", 85
        case "png":
            return [], "png", 0
        case "webp":
            return [], "webp", (75, 80, 85)[r]
        case "chain_resize":
            return [e_scale(0.5)], "jpg", 72
        case "reencode_resize":
            return [e_width(720)], "jpg", 80
    raise ValueError(f"unknown photo step {step!r}")


def _slice(frames: Iterator[np.ndarray], start: int, stop: int) -> Iterator[np.ndarray]:
    for i, frame in enumerate(frames):
        if i >= stop:
            return
        if i >= start:
            yield frame


def _chain(*parts: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    for part in parts:
        yield from part


def video_copy(
    step: str, clip: Path, name: str, colour: tuple[int, int, int]
) -> tuple[Iterator[np.ndarray], list[Step], list[dict[str, list[float]]], dict[str, Any]]:
    """A copy of the clip: its frames, steps, the time ranges it shares with the release
    (`copy` seconds in this file, `release` seconds in the release) and its encoding."""
    length = CLIP_SECONDS
    intro, start, stop = 0.0, 0.0, length
    size, crf, overlay = (640, 360), CLIP_CRF, False
    match step:
        case "intro":
            intro = 2.0
        case "trim":
            start, stop = 3.0, 14.0
        case "reencode":
            crf = 35
        case "rescale_up_trim":
            start, stop, size, crf = 4.0, 12.0, (1280, 720), 33
        case "rescale_down_reencode":
            size, crf = (384, 216), 26
        case "overlay_intro":
            intro, overlay = 3.0, True
        case "overlay_trim_reencode":
            start, stop, crf, overlay = 2.0, 13.0, 32, True
        case "intro_rescale_overlay":
            intro, size, crf, overlay = 1.5, (512, 288), 28, True
        case _:
            raise ValueError(f"unknown video step {step!r}")
    steps: list[Step] = []
    body = _slice(decoded(clip), round(start * FPS), round(stop * FPS))
    if overlay:
        body = overlaid(body, name, colour)
        steps.append({"op": "overlay", "label": name, "logo": True})
    if (start, stop) != (0.0, length):
        steps.append({"op": "trim", "start": start, "end": stop})
    frames: Iterator[np.ndarray] = body
    if intro:
        frames = _chain(intro_card(name, intro), body)
        steps.insert(0, {"op": "intro", "seconds": intro})
    if size != (640, 360):
        steps.append({"op": "rescale", "size": list(size)})
    if crf != CLIP_CRF:
        steps.append({"op": "reencode", "crf": crf})
    segments = [{"copy": [intro, intro + stop - start], "release": [start, stop]}]
    return frames, steps, segments, {"size": size, "crf": crf}
