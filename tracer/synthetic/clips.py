"""Clips of the media corpus: the ministry's short videos, their edited copies, and
unrelated clips, drawn frame by frame and encoded as H.264 with PyAV.

A clip is a spec (scene seeds, title, length, style) plus a list of edits, the same
shape as pictures (`media_edits`): the plan chooses, this module draws. Clips are small
(640 × 360 at most, 10 frames per second) so that a corpus of hundreds decodes fast.
"""

from __future__ import annotations

import functools
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image, ImageDraw

from tracer.synthetic.media_edits import logo
from tracer.synthetic.photos import draw_scene
from tracer.synthetic.posters import GOLD, NAVY, WHITE, font

FPS = 10
SIZE = (640, 360)
SIZES = ((640, 360), (512, 288), (384, 216))
"""Widths are multiples of 128: x264 then never reads uninitialised chroma padding, so
a seed gives the same bytes on every run."""
Op = dict[str, Any]
Frames = list[np.ndarray]


@functools.lru_cache(maxsize=16)
def _backdrop(seed: int) -> Image.Image:
    return draw_scene(seed, (1024, 600))


def base_frames(spec: dict[str, Any]) -> Frames:
    """The original clip: pans over one or more scenes, a sliding title, a moving mark."""
    scenes = [int(s) for s in spec["scenes"]]
    n = round(float(spec["seconds"]) * FPS)
    rng = random.Random(f"clip-{scenes[0]}-{spec.get('title', '')}")
    paths = [(rng.randint(0, 380), rng.randint(0, 240), rng.randint(0, 380), rng.randint(0, 240))
             for _ in scenes]  # fmt: skip
    out: Frames = []
    title = str(spec.get("title", ""))
    for i in range(n):
        shot = min(len(scenes) - 1, i * len(scenes) // n)
        t = (i - shot * n / len(scenes)) / max(1, n / len(scenes) - 1)
        x0, y0, x1, y1 = paths[shot]
        x, y = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
        frame = _backdrop(scenes[shot]).crop((x, y, x + SIZE[0], y + SIZE[1]))
        draw = ImageDraw.Draw(frame)
        if title:
            band = round(-640 + min(1.0, i / n * 3) * 660)
            draw.rectangle([band, 260, band + 620, 330], fill=NAVY)
            draw.text((band + 15, 275), title[:34].upper(), font=font(30), fill=GOLD)
        cx = round(60 + 520 * i / max(1, n - 1))
        draw.ellipse([cx - 14, 40, cx + 14, 68], fill=GOLD, outline=NAVY, width=3)
        if spec.get("brand", True):
            draw.rectangle([0, 0, SIZE[0], 22], fill=WHITE)
            draw.text((8, 3), f"{spec.get('brand_text', 'KOMINFO')}  |  00:{i // FPS:02d}",
                      font=font(15), fill=NAVY)  # fmt: skip
        out.append(np.asarray(frame))
    return out


def intro_card(op: Op) -> Frames:
    """An office's intro card: its colour, logo and name, with a growing bar."""
    frames: Frames = []
    mark = logo(int(op["logo"]), 110)
    for i in range(round(float(op["seconds"]) * FPS)):
        card = Image.new("RGB", SIZE, tuple(op["colour"]))
        card.paste(mark, (40, 110), mark)
        draw = ImageDraw.Draw(card)
        draw.text((170, 140), str(op["label"])[:26], font=font(34), fill=WHITE)
        draw.rectangle([40, 250, 40 + 14 * (i + 1), 258], fill=GOLD)
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
                inner = img.resize((img.width - 2 * width, img.height - 2 * width), Image.Resampling.BILINEAR)
                out = Image.new("RGB", img.size, tuple(op["colour"]))
                out.paste(inner, (width, width))
                return out

            return _each(frames, pad)
        case "rescale" | "encode":
            return frames
    raise ValueError(f"unknown clip edit {op['op']!r}")


def _yuv420p(rgb: np.ndarray) -> np.ndarray:
    """BT.601 limited-range planes in numpy (swscale's SIMD paths are not bit-exact
    from one CPU to another, and the corpus must be byte-stable)."""
    x = rgb.astype(np.float32)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    h, w = y.shape
    halves = [p.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)).reshape(-1) for p in (u, v)]
    flat = np.clip(np.rint(np.concatenate([y.reshape(-1), *halves])), 0, 255).astype(np.uint8)
    out: np.ndarray = flat.reshape(h * 3 // 2, w)
    return out


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
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w", format="mp4", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.thread_count = 1
        stream.codec_context.flags |= 1 << 23  # AV_CODEC_FLAG_BITEXACT
        stream.options = {"crf": str(crf), "preset": "veryfast", "threads": "1", "g": str(FPS)}
        for index, array in enumerate(frames):
            image = Image.fromarray(array)
            if image.size != size:
                image = image.resize(size, Image.Resampling.BILINEAR)
            frame = av.VideoFrame.from_ndarray(_yuv420p(np.asarray(image)), format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return {"size": list(size), "seconds": len(frames) / FPS}
