"""Procedurally drawn photos for the media corpus: scenes, views of one scene, collages.

A matcher is only tested by pictures that look alike without being copies: the same
kind of scene (sky over roofs, people in a hall, rice fields from above), shots of one
scene from a shifted viewpoint, and collages that reuse a tile of another picture. Every
picture is a pure function of its integer seed (layout from `random.Random`, texture
from a numpy `Generator`), so the corpus is reproducible without any file.
"""

from __future__ import annotations

import functools
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

Colour = tuple[int, int, int]
Size = tuple[int, int]

SCENES = ("landscape", "street", "crowd", "fields", "hall", "market", "coast")


def _colour(rng: random.Random, low: int = 0, high: int = 255) -> Colour:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _vertical(h: int, top: Colour, bottom: Colour, start: float, stop: float) -> np.ndarray:
    """A vertical gradient between rows `start` and `stop` (fractions of the height)."""
    t = np.clip((np.arange(h, dtype=np.float32) / h - start) / max(1e-3, stop - start), 0, 1)
    return np.stack([top[i] + (bottom[i] - top[i]) * t for i in range(3)], axis=-1)


def _backdrop(rng: random.Random, size: Size, horizon: float) -> Image.Image:
    """Sky above the horizon, ground below, each a gradient of its own colours."""
    w, h = size
    sky = _vertical(h, _colour(rng, 60, 230), _colour(rng, 120, 255), 0.0, horizon)
    ground = _vertical(h, _colour(rng, 30, 170), _colour(rng, 10, 120), horizon, 1.0)
    column = np.where((np.arange(h) < horizon * h)[:, None], sky, ground).astype(np.uint8)
    return Image.fromarray(column[:, None, :]).resize((w, h), Image.Resampling.NEAREST)


def _buildings(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, base: float) -> None:
    x = rng.uniform(-0.1, 0.05) * w
    while x < w:
        bw, bh = rng.uniform(0.06, 0.22) * w, rng.uniform(0.15, 0.55) * h
        top = base * h - bh
        draw.rectangle([x, top, x + bw, base * h], fill=_colour(rng, 40, 230))
        if rng.random() < 0.5:  # a roof
            draw.polygon(
                [(x - 5, top), (x + bw / 2, top - bh * 0.25), (x + bw + 5, top)],
                fill=_colour(rng, 60, 200),
            )
        win = _colour(rng, 150, 255)
        step = rng.uniform(0.025, 0.05) * w
        for wy in np.arange(top + step * 0.5, base * h - step, step * 1.3):
            for wx in np.arange(x + step * 0.4, x + bw - step * 0.6, step):
                if rng.random() < 0.8:
                    draw.rectangle([wx, wy, wx + step * 0.5, wy + step * 0.6], fill=win)
        x += bw + rng.uniform(0.0, 0.05) * w


def _people(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, band: float) -> None:
    """Heads and shoulders in rows, nearer ones larger: a crowd, a queue, a meeting."""
    for _ in range(rng.randint(5, 40)):
        y = rng.uniform(band, 1.0) * h
        s = (0.02 + 0.09 * (y / h - band) / max(0.05, 1 - band)) * w
        x = rng.uniform(-0.05, 1.05) * w
        draw.rounded_rectangle(
            [x - s, y - s * 0.2, x + s, y + s * 2.0],
            radius=int(s * 0.6),
            fill=_colour(rng, 20, 240),
        )
        skin = rng.choice([(224, 172, 105), (198, 134, 66), (141, 85, 36), (241, 194, 125)])
        draw.ellipse([x - s * 0.55, y - s * 1.4, x + s * 0.55, y - s * 0.1], fill=skin)
        if rng.random() < 0.5:  # a headscarf or a cap
            draw.chord(
                [x - s * 0.6, y - s * 1.5, x + s * 0.6, y - s * 0.3],
                180,
                360,
                fill=_colour(rng, 0, 255),
            )


def _vegetation(img: Image.Image, rng: random.Random, gen: np.random.Generator) -> Image.Image:
    """Plots of crops seen from above: stripes of one green each, with leafy noise."""
    w, h = img.size
    arr = np.asarray(img, np.float32).copy()
    n = rng.randint(3, 9)
    edges = sorted(rng.uniform(0, 1) for _ in range(n - 1))
    angle = rng.uniform(-0.6, 0.6)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (ys / h) * np.cos(angle) + (xs / w) * np.sin(angle)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    plot = np.searchsorted(np.array(edges, np.float32), t)
    greens = np.array(
        [[rng.randint(30, 140), rng.randint(90, 200), rng.randint(20, 90)] for _ in range(n)],
        np.float32,
    )
    period = rng.uniform(6, 18)
    rows = 0.5 + 0.5 * np.sin((xs * np.cos(angle) - ys * np.sin(angle)) / period)
    arr = greens[plot] * (0.75 + 0.35 * rows[..., None]) + gen.normal(0, 10, (h, w, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _stalls(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int) -> None:
    for _ in range(rng.randint(3, 8)):
        x, y = rng.uniform(-0.1, 0.9) * w, rng.uniform(0.35, 0.75) * h
        sw, sh = rng.uniform(0.12, 0.3) * w, rng.uniform(0.1, 0.25) * h
        awning = _colour(rng, 80, 255)
        for i in range(6):
            fill = awning if i % 2 else (245, 245, 240)
            draw.rectangle([x + i * sw / 6, y, x + (i + 1) * sw / 6, y + sh * 0.25], fill=fill)
        draw.rectangle([x, y + sh * 0.25, x + sw, y + sh], fill=_colour(rng, 60, 160))
        for _ in range(rng.randint(4, 14)):  # goods on the table
            gx, gy = rng.uniform(x, x + sw), rng.uniform(y + sh * 0.3, y + sh * 0.6)
            r = rng.uniform(0.006, 0.02) * w
            draw.ellipse([gx - r, gy - r, gx + r, gy + r], fill=_colour(rng, 100, 255))


def _coast(draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, horizon: float) -> None:
    sea = _colour(rng, 20, 120)
    draw.rectangle([0, horizon * h, w, h], fill=(sea[0] // 2, sea[1], min(255, sea[2] + 100)))
    shore = rng.uniform(0.6, 0.9)
    points = [(x * w / 8, (shore + rng.uniform(-0.06, 0.06)) * h) for x in range(9)]
    draw.polygon([*points, (w, h), (0, h)], fill=_colour(rng, 180, 240))
    for _ in range(rng.randint(1, 5)):  # boats
        x, y = rng.uniform(0.05, 0.9) * w, rng.uniform(horizon + 0.03, shore - 0.05) * h
        s = rng.uniform(0.03, 0.09) * w
        draw.polygon(
            [(x, y), (x + 2 * s, y), (x + 1.6 * s, y + s * 0.4), (x + 0.4 * s, y + s * 0.4)],
            fill=_colour(rng, 0, 255),
        )


def _landscape(
    draw: ImageDraw.ImageDraw, rng: random.Random, w: int, h: int, horizon: float
) -> None:
    for layer in range(rng.randint(2, 4)):
        xs = sorted(rng.uniform(-0.1, 1.1) * w for _ in range(rng.randint(3, 7)))
        peaks = [(x, horizon * h - rng.uniform(0.05, 0.35) * h) for x in xs]
        base = horizon * h + layer * 0.05 * h
        draw.polygon(
            [(-10, base), *peaks, (w + 10, base), (w + 10, h), (-10, h)], fill=_colour(rng, 20, 160)
        )
    for _ in range(rng.randint(4, 16)):  # trees
        x, y = rng.uniform(0, w), rng.uniform(horizon, 1.0) * h
        s = rng.uniform(0.02, 0.08) * w
        draw.rectangle([x - s / 8, y - s, x + s / 8, y + s / 2], fill=_colour(rng, 40, 110))
        draw.ellipse([x - s, y - 2.2 * s, x + s, y - 0.4 * s], fill=_colour(rng, 10, 140))


def _light(arr: np.ndarray, rng: random.Random, gen: np.random.Generator) -> np.ndarray:
    """Blotches, grain, a light direction and a vignette: the spectrum of a photo."""
    h, w = arr.shape[:2]
    coarse = gen.normal(0, 1, (h // 60 + 2, w // 60 + 2, 3)).astype(np.float32)
    blotch = Image.fromarray(np.clip(128 + 40 * coarse, 0, 255).astype(np.uint8))
    blotch_arr = np.asarray(blotch.resize((w, h), Image.Resampling.BILINEAR), np.float32) - 128
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0.05, 0.3) * (
        (xs / w - 0.5) * np.cos(angle) + (ys / h - 0.5) * np.sin(angle)
    )
    vignette = 1 - rng.uniform(0.0, 0.35) * (((xs / w - 0.5) ** 2 + (ys / h - 0.5) ** 2) * 2)
    grain = gen.normal(0, rng.uniform(1.0, 5.0), (h, w, 1)).astype(np.float32)
    out = arr * (light * vignette)[..., None] + rng.uniform(0.2, 0.6) * blotch_arr + grain
    lit: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return lit


def draw_scene(seed: int, size: Size = (1080, 1080), scene: str | None = None) -> Image.Image:
    """One distinct photo: a scene kind, its layout and its light, all from `seed`.

    Drawn at half the size and scaled up, with grain added at full size: a phone photo
    posted at 1,080 pixels is no sharper, and it is four times cheaper.
    """
    rng = random.Random(f"scene-{seed}")
    gen = np.random.default_rng(rng.randrange(2**32))
    kind = scene or rng.choice(SCENES)
    full = size
    size = (max(16, size[0] // 2), max(16, size[1] // 2))
    w, h = size
    horizon = rng.uniform(0.3, 0.6)
    img = _backdrop(rng, size, horizon)
    if kind == "fields":
        img = _vegetation(img, rng, gen)
    draw = ImageDraw.Draw(img)
    if kind == "landscape":
        _landscape(draw, rng, w, h, horizon)
    elif kind == "street":
        _buildings(draw, rng, w, h, horizon + 0.2)
        _people(draw, rng, w, h, horizon + 0.15)
    elif kind == "crowd":
        _buildings(draw, rng, w, h, horizon)
        _people(draw, rng, w, h, horizon - 0.1)
        _people(draw, rng, w, h, horizon + 0.1)
    elif kind == "hall":
        draw.rectangle([0, 0, w, horizon * h], fill=_colour(rng, 120, 240))
        draw.rectangle([0.1 * w, 0.08 * h, 0.9 * w, horizon * h * 0.8], fill=_colour(rng, 20, 200))
        _people(draw, rng, w, h, horizon)
    elif kind == "market":
        _stalls(draw, rng, w, h)
        _people(draw, rng, w, h, 0.5)
    elif kind == "coast":
        _coast(draw, rng, w, h, horizon)
    else:
        for _ in range(rng.randint(10, 40)):  # field from above: huts and paths
            x, y, s = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.01, 0.05) * w
            draw.rectangle([x, y, x + s, y + s * rng.uniform(0.5, 2)], fill=_colour(rng, 90, 250))
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    lit = Image.fromarray(_light(np.asarray(img, np.float32), rng, gen))
    big = np.asarray(lit.resize(full, Image.Resampling.BILINEAR), np.int16)
    grain = gen.integers(-3, 4, (full[1], full[0], 1), dtype=np.int16)
    return Image.fromarray(np.clip(big + grain, 0, 255).astype(np.uint8))


@functools.lru_cache(maxsize=8)
def scene_canvas(seed: int) -> Image.Image:
    """The wide scene a photo series is shot from (1.6 times a 1080 × 810 shot)."""
    return draw_scene(seed, (1728, 1296))


def series_view(seed: int, view: int, size: Size = (1080, 810)) -> Image.Image:
    """Shot `view` of scene `seed`: its own viewpoint (shift) and zoom over the canvas.

    Shots of one scene share most of what they show and none of them is a copy of
    another, as when a photographer takes five pictures of one ceremony.
    """
    canvas = scene_canvas(seed)
    rng = random.Random(f"view-{seed}-{view}")
    zoom = rng.uniform(0.6, 0.95)
    cw, ch = round(canvas.width * zoom), round(canvas.width * zoom * size[1] / size[0])
    ch = min(ch, canvas.height)
    x, y = rng.randint(0, canvas.width - cw), rng.randint(0, canvas.height - ch)
    return canvas.crop((x, y, x + cw, y + ch)).resize(size, Image.Resampling.BILINEAR)


def collage(
    tiles: list[Image.Image],
    layout: str,
    size: Size = (1080, 1080),
    gap: int = 12,
    background: Colour = (255, 255, 255),
) -> Image.Image:
    """Tiles in a grid: `grid` (2 × 2), `row` (side by side), `column`, `diptych`."""
    w, h = size
    out = Image.new("RGB", size, background)
    cols, rows = {
        "grid": (2, 2),
        "row": (len(tiles), 1),
        "diptych": (2, 1),
        "column": (1, len(tiles)),
    }[layout]
    tw, th = (w - gap * (cols + 1)) // cols, (h - gap * (rows + 1)) // rows
    for i, tile in enumerate(tiles[: cols * rows]):
        c, r = i % cols, i // cols
        out.paste(ImageOps.fit(tile, (tw, th)), (gap + c * (tw + gap), gap + r * (th + gap)))
    return out


def inset(base: Image.Image, small: Image.Image, corner: int, share: float = 0.3) -> Image.Image:
    """`small` laid into a corner of `base`, with a white edge (picture in picture)."""
    out = base.copy()
    sw = round(base.width * share)
    sh = round(small.height * sw / small.width)
    tile = ImageOps.expand(small.resize((sw, sh), Image.Resampling.BILINEAR), 8, (255, 255, 255))
    x = 30 if corner % 2 == 0 else base.width - tile.width - 30
    y = 30 if corner < 2 else base.height - tile.height - 30
    out.paste(tile, (x, y))
    return out
