"""Clips of the media corpus: the ministry's short videos, their edited copies, and
unrelated clips, drawn frame by frame and encoded as H.264 with PyAV.

A clip is a spec (scene seeds, title, length, style) plus a list of edits, the same
shape as pictures (`media_edits`): the plan chooses, this module draws. Clips are small
(640 × 360 at most, 10 frames per second) so that a corpus of hundreds decodes fast.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image, ImageDraw

from synthetic.media_edits import logo
from synthetic.photos import draw_scene
from synthetic.posters import GOLD, NAVY, WHITE, font

FPS = 10
SIZE = (512, 288)
SIZES = ((512, 288), (640, 360), (384, 216), (256, 144))
"""Widths are multiples of 128: x264 then never reads uninitialised chroma padding, so
a seed gives the same bytes on every run."""
Op = dict[str, Any]
Frames = list[np.ndarray]
Colour = tuple[int, int, int]


@functools.lru_cache(maxsize=16)
def _backdrop(seed: int) -> Image.Image:
    return draw_scene(seed, (900, 520))


def base_frames(spec: dict[str, Any]) -> Frames:
    """The original clip: pans over one or more scenes, a sliding title, a moving mark."""
    return list(_base_frames(json.dumps(spec, sort_keys=True)))


@functools.lru_cache(maxsize=2)
def _strip(text: str, size: int, width: int, height: int, back: Colour, ink: Colour) -> Image.Image:
    """A band of text, drawn once and pasted on every frame (text drawing is slow)."""
    band = Image.new("RGB", (width, height), back)
    ImageDraw.Draw(band).text((10, (height - size) // 2 - 2), text, font=font(size), fill=ink)
    return band


@functools.lru_cache(maxsize=2)
def _base_frames(key: str) -> tuple[np.ndarray, ...]:
    spec = json.loads(key)
    scenes = [int(s) for s in spec["scenes"]]
    n = round(float(spec["seconds"]) * FPS)
    rng = random.Random(f"clip-{scenes[0]}-{spec.get('title', '')}")
    paths = [
        (rng.randint(0, 380), rng.randint(0, 230), rng.randint(0, 380), rng.randint(0, 230))
        for _ in scenes
    ]
    out: list[np.ndarray] = []
    title = str(spec.get("title", ""))[:30].upper()
    for i in range(n):
        shot = min(len(scenes) - 1, i * len(scenes) // n)
        t = (i - shot * n / len(scenes)) / max(1, n / len(scenes) - 1)
        x0, y0, x1, y1 = paths[shot]
        x, y = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
        frame = _backdrop(scenes[shot]).crop((x, y, x + SIZE[0], y + SIZE[1]))
        if title:
            frame.paste(
                _strip(title, 26, 500, 60, NAVY, GOLD),
                (round(-500 + min(1.0, i / n * 3) * 520), 200),
            )
        if spec.get("brand", True):
            label = f"{spec.get('brand_text', 'KOMINFO')}  |  00:{i // FPS:02d}"
            frame.paste(_strip(label, 15, SIZE[0], 22, WHITE, NAVY), (0, 0))
        cx = round(50 + 410 * i / max(1, n - 1))
        ImageDraw.Draw(frame).ellipse([cx - 14, 40, cx + 14, 68], fill=GOLD, outline=NAVY, width=3)
        out.append(np.asarray(frame))
    return tuple(out)


def intro_card(op: Op) -> Frames:
    """An office's intro card: its colour, logo and name, with a growing bar."""
    frames: Frames = []
    mark = logo(int(op["logo"]), 110)
    for i in range(round(float(op["seconds"]) * FPS)):
        card = Image.new("RGB", SIZE, tuple(op["colour"]))
        card.paste(mark, (40, 110), mark)
        draw = ImageDraw.Draw(card)
        draw.text((160, 140), str(op["label"])[:22], font=font(28), fill=WHITE)
        draw.rectangle([40, 240, 40 + 14 * (i + 1), 248], fill=GOLD)
        frames.append(np.asarray(card))
    return frames


def _each(frames: Frames, fn: Any) -> Frames:
    return [np.asarray(fn(Image.fromarray(f))) for f in frames]


def apply(frames: Frames, op: Op) -> Frames:
    """One edit on a clip's frames (`encode` and `rescale` act when the file is written)."""
    match op["op"]:
        case "trim":
            start, end = round(float(op["start"]) * FPS), round(float(op["end"]) * FPS)
            return frames[start : len(frames) - end]
        case "intro":
            return intro_card(op) + frames
        case "overlay":
            mark = logo(int(op["logo"]), 64)
            corner = int(op["corner"])
            xy = (16 if corner % 2 == 0 else SIZE[0] - 80, 30 if corner < 2 else SIZE[1] - 80)

            def stamp(img: Image.Image) -> Image.Image:
                img.paste(mark, xy, mark)
                return img

            return _each(frames, stamp)
        case "frame":
            width = int(op["width"])

            def pad(img: Image.Image) -> Image.Image:
                inner = img.resize(
                    (img.width - 2 * width, img.height - 2 * width), Image.Resampling.BILINEAR
                )
                out = Image.new("RGB", img.size, tuple(op["colour"]))
                out.paste(inner, (width, width))
                return out

            return _each(frames, pad)
        case "rescale" | "encode":
            return frames
    raise ValueError(f"unknown clip edit {op['op']!r}")


_LUMA = [round(16 + v * 219 / 255) for v in range(256)]
_CHROMA = [round(16 + v * 224 / 255) for v in range(256)]


def _yuv420p(img: Image.Image) -> np.ndarray:
    """BT.601 limited-range planes by Pillow's integer conversion, not by swscale, whose
    SIMD paths are not bit-exact from one CPU to another (the corpus must be byte-stable)."""
    y, cb, cr = img.convert("YCbCr").split()
    planes = [y.point(_LUMA), cb.reduce(2).point(_CHROMA), cr.reduce(2).point(_CHROMA)]
    flat = np.frombuffer(b"".join(p.tobytes() for p in planes), np.uint8)
    return flat.reshape(img.height * 3 // 2, img.width)


def _sized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image if image.size == size else image.resize(size, Image.Resampling.BILINEAR)


def encode_h264(
    path: Path, planes: Iterable[np.ndarray], size: tuple[int, int], crf: int, preset: str
) -> None:
    """H.264 in MP4 from YUV 4:2:0 planes: one encoder thread, bit-exact muxing and
    times set from the frame index (never a clock), so reruns give equal bytes.

    The width must be a multiple of 128: otherwise the chroma rows carry alignment
    padding that is never initialised, and x264's output changes from run to run.
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
        stream.options = {"crf": str(crf), "preset": preset, "threads": "1", "g": str(FPS)}
        for index, plane in enumerate(planes):
            frame = av.VideoFrame.from_ndarray(plane, format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def write_clip(path: Path, spec: dict[str, Any], ops: list[Op]) -> dict[str, Any]:
    """Draw the clip of `spec` with `ops` applied and write it as H.264 MP4; returns
    its size and length for the truth."""
    frames = base_frames(spec)
    size, crf = SIZE, 26
    for op in ops:
        frames = apply(frames, op)
        if op["op"] == "rescale":
            size = (int(op["size"][0]), int(op["size"][1]))
        elif op["op"] == "encode":
            crf = int(op["crf"])
    planes = (_yuv420p(_sized(Image.fromarray(array), size)) for array in frames)
    encode_h264(path, planes, size, crf, "ultrafast")
    return {"size": list(size), "seconds": len(frames) / FPS}
