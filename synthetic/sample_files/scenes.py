"""Pictures no file holds: seeded, procedurally drawn scenes (landscapes, streets,
markets, fields from above), the stock photos of `skimage.data` made RGB, and the
frames of the ministry's bridge clip. Nothing is downloaded; a seed gives the same
pixels on every machine with this Pillow and numpy."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import pairwise

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from skimage import data

from synthetic.posters import font
from synthetic.sample_files.media import FPS, GOLD, NAVY, SIZE

Colour = tuple[int, int, int]


def stock(name: str) -> Image.Image:
    """A picture bundled with scikit-image (never one it would download), as RGB."""
    source = data.stereo_motorcycle if name == "motorcycle" else getattr(data, name)
    loaded = source()[0] if name == "motorcycle" else source()
    array = np.asarray(loaded)
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    elif array.dtype.kind == "f":
        array = (np.clip(array, 0.0, 1.0) * 255).astype(np.uint8)
    if array.ndim == 3 and array.shape[2] == 4:  # a logo with transparency: on white
        rgba = Image.fromarray(array, "RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if array.ndim == 2:  # grayscale: a warm tint, unlike the ministry's blue
        tint = np.stack([array * 1.0, array * 0.85, array * 0.6], axis=-1)
        array = np.clip(tint + 15, 0, 255).astype(np.uint8)
    return Image.fromarray(array).convert("RGB")


def _colour(rng: random.Random, low: int = 0, high: int = 255) -> Colour:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _gradient(size: tuple[int, int], a: Colour, b: Colour, angle: float) -> Image.Image:
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = xs / w * np.cos(angle) + ys / h * np.sin(angle)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    rgb = np.stack([a[i] + (b[i] - a[i]) * t for i in range(3)], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def _texture(img: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Soft blotches and grain, so a drawn scene has the spectrum of a photo."""
    noise = np.random.default_rng(rng.randrange(2**32))
    w, h = img.size
    coarse = noise.normal(0, 1, (h // 90 + 2, w // 90 + 2, 3)).astype(np.float32)
    blotch = Image.fromarray(np.clip(128 + 40 * coarse, 0, 255).astype(np.uint8))
    blotch_arr = np.asarray(blotch.resize((w, h), Image.Resampling.BICUBIC), np.float32) - 128
    grain = noise.normal(0, 1.5, (h, w, 1)).astype(np.float32)
    out = np.asarray(img, np.float32) + strength * blotch_arr + grain
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def _landscape(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    horizon = rng.uniform(0.35, 0.7) * h
    sun = rng.uniform(0.1, 0.9) * w, rng.uniform(0.05, 0.3) * h
    r = rng.uniform(0.04, 0.1) * w
    draw.ellipse([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], fill=_colour(rng, 200))
    for layer in range(rng.randint(2, 4)):
        xs = sorted(rng.uniform(-0.1, 1.1) * w for _ in range(rng.randint(3, 7)))
        peaks = [(x, horizon - rng.uniform(0.05, 0.35) * h) for x in xs]
        base = horizon + layer * 0.05 * h
        draw.polygon(
            [(-10, base), *peaks, (w + 10, base), (w + 10, h), (-10, h)], fill=_colour(rng, 20, 160)
        )
    for _ in range(rng.randint(4, 14)):  # trees
        x, y = rng.uniform(0, w), rng.uniform(horizon, h)
        s = rng.uniform(0.02, 0.08) * w
        draw.rectangle([x - s / 8, y - s, x + s / 8, y + s / 2], fill=_colour(rng, 40, 110))
        draw.ellipse([x - s, y - 2.2 * s, x + s, y - 0.4 * s], fill=_colour(rng, 10, 140))


def _street(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    ground = rng.uniform(0.6, 0.85) * h
    x = rng.uniform(-0.1, 0) * w
    while x < w:
        bw, bh = rng.uniform(0.08, 0.2) * w, rng.uniform(0.2, 0.55) * h
        colour = _colour(rng, 60, 230)
        draw.rectangle([x, ground - bh, x + bw, ground], fill=colour)
        for wy in range(int(ground - bh + 12), int(ground - 20), 28):
            for wx in range(int(x + 8), int(x + bw - 14), 24):
                if rng.random() < 0.7:
                    draw.rectangle([wx, wy, wx + 12, wy + 14], fill=_colour(rng, 150))
        x += bw + rng.uniform(0, 0.03) * w
    draw.rectangle([0, ground, w, h], fill=_colour(rng, 40, 110))
    for _ in range(rng.randint(2, 6)):  # vehicles
        cx, cy = rng.uniform(0, w), rng.uniform(ground + 10, h - 20)
        s = rng.uniform(0.05, 0.12) * w
        draw.rounded_rectangle([cx - s, cy - s / 3, cx + s, cy + s / 3], s / 6, fill=_colour(rng))


def _market(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    cols, rows = rng.randint(3, 6), rng.randint(2, 4)
    for i in range(cols * rows):
        cx = (i % cols + rng.uniform(0.2, 0.8)) * w / cols
        cy = (i // cols + rng.uniform(0.2, 0.8)) * h / rows
        s = rng.uniform(0.3, 0.6) * w / cols
        draw.pieslice([cx - s, cy - s / 2, cx + s, cy + s], 180, 360, fill=_colour(rng))
        for _ in range(rng.randint(3, 9)):  # goods
            gx, gy = cx + rng.uniform(-s, s) * 0.8, cy + rng.uniform(0, s / 2)
            g = rng.uniform(6, 22)
            draw.ellipse([gx - g, gy - g, gx + g, gy + g], fill=_colour(rng, 80))


def _fields(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    x_cuts = sorted(rng.uniform(0, w) for _ in range(rng.randint(2, 5)))
    y_cuts = sorted(rng.uniform(0, h) for _ in range(rng.randint(2, 5)))
    xs, ys = [0.0, *x_cuts, float(w)], [0.0, *y_cuts, float(h)]
    for x0, x1 in pairwise(xs):
        for y0, y1 in pairwise(ys):
            draw.rectangle([x0, y0, x1, y1], fill=_colour(rng, 30, 220))
            for k in range(int(y0) + 6, int(y1), rng.randint(10, 24)):  # furrows
                draw.line([(x0, k), (x1, k + rng.uniform(-8, 8))], fill=_colour(rng, 20, 200))
    pts = [(rng.uniform(0, w), rng.uniform(0, h)) for _ in range(rng.randint(3, 5))]
    draw.line(pts, fill=_colour(rng, 150), width=rng.randint(10, 30))  # a road or river


SCENES = (_landscape, _street, _market, _fields)


def scene(seed: int, size: tuple[int, int] = (1080, 810)) -> Image.Image:
    """A photo-like picture drawn from `seed`: one of four kinds of scene, its layout,
    colours and light all drawn afresh, so two seeds give unrelated pictures."""
    rng = random.Random(f"sample-scene-{seed}")
    w, h = size
    img = _gradient(size, _colour(rng), _colour(rng), rng.uniform(0, 2 * np.pi))
    draw = ImageDraw.Draw(img)
    SCENES[seed % len(SCENES)](draw, rng, w, h)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.6)))
    img = _texture(img, rng, rng.uniform(0.15, 0.4))
    if rng.random() < 0.5:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return img


# --- the bridge clip ----------------------------------------------------------------


def bridge_clip(seconds: float = 16.0, seed: int = 500) -> Iterator[np.ndarray]:
    """The ministry's clip: four shots of equal length, each a pan over its own scene,
    with a car crossing, a sliding title and a running clock, so that every second
    looks different from the one before."""
    shots = [scene(seed + k, (1280, 720)) for k in range(4)]
    per_shot = round(seconds * FPS / len(shots))
    for i in range(round(seconds * FPS)):
        shot, j = divmod(i, per_shot)
        t = j / (per_shot - 1)
        background = shots[shot % len(shots)]
        x = round(640 * t) if shot % 2 == 0 else round(640 * (1 - t))
        y = round(120 + 180 * np.sin(np.pi * t) * (1 if shot % 2 else -0.5))
        frame = background.crop((x, y, x + SIZE[0], y + SIZE[1]))
        draw = ImageDraw.Draw(frame)
        cx = round(-120 + 880 * t)
        draw.rounded_rectangle([cx, 250, cx + 110, 290], 10, fill=(200, 40, 40), outline=NAVY)
        draw.ellipse([cx + 12, 280, cx + 34, 302], fill=(20, 20, 20))
        draw.ellipse([cx + 76, 280, cx + 98, 302], fill=(20, 20, 20))
        band_x = round(-600 + min(1.0, t * 3) * 620)
        draw.rectangle([band_x, 300, band_x + 600, 350], fill=NAVY)
        draw.text(
            (band_x + 12, 310), f"JEMBATAN BARU  |  BAGIAN {shot + 1}", font=font(26), fill=GOLD
        )
        draw.rectangle([540, 8, 632, 34], fill=(255, 255, 255))
        draw.text((548, 10), f"00:{i // FPS:02d}", font=font(20), fill=NAVY)
        yield np.asarray(frame)


def street_clip(seconds: float = 8.0, seed: int = 900) -> Iterator[np.ndarray]:
    """An office's own clip of a market street, unrelated to any release: a slow zoom."""
    background = scene(seed, (1280, 720))
    n = round(seconds * FPS)
    for i in range(n):
        t = i / max(1, n - 1)
        w, h = round(1280 - 560 * t), round(720 - 315 * t)
        x, y = round((1280 - w) * 0.3), round((720 - h) * 0.6)
        frame = background.crop((x, y, x + w, y + h)).resize(SIZE, Image.Resampling.BILINEAR)
        draw = ImageDraw.Draw(frame)
        bx = round(40 + 500 * t)
        draw.ellipse([bx, 60 + round(40 * np.sin(6 * t)), bx + 50, 110], fill=(250, 220, 60))
        yield np.asarray(frame)
