"""The edits regional offices make to what they copy, beyond those of `media`:
scaling by a factor, crops from any side, a patterned frame with the office's emblem,
a plain border, a banner across the picture, a framed overlay on every frame of a
clip, and saving as JPEG, PNG or WEBP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from synthetic.posters import font
from synthetic.sample_files.media import GOLD, Variant, save_jpeg


def scaled(factor: float) -> Variant:
    def apply(img: Image.Image) -> Image.Image:
        size = (round(img.width * factor), round(img.height * factor))
        return img.resize(size, Image.Resampling.LANCZOS)

    return apply


def crop_sides(left: float, top: float, right: float, bottom: float) -> Variant:
    """Cut these fractions of the width (left, right) and height (top, bottom) away."""

    def apply(img: Image.Image) -> Image.Image:
        w, h = img.size
        return img.crop(
            (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
        )

    return apply


def logo(size: int, colour: tuple[int, int, int], initials: str) -> Image.Image:
    """A regional office's emblem: a shield with rays and its initials (RGBA)."""
    emblem = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(emblem)
    c = size / 2
    for k in range(12):
        a = k * np.pi / 6
        draw.line(
            [(c, c), (c + c * np.cos(a), c + c * np.sin(a))], fill=GOLD, width=max(2, size // 24)
        )
    draw.ellipse(
        [size * 0.12, size * 0.12, size * 0.88, size * 0.88],
        fill=colour,
        outline=GOLD,
        width=max(2, size // 20),
    )
    draw.polygon(
        [(c, size * 0.25), (size * 0.7, size * 0.4), (c, size * 0.75), (size * 0.3, size * 0.4)],
        fill=(255, 255, 255),
    )
    draw.text((c, c), initials, font=font(size // 5), fill=colour, anchor="mm")
    return emblem


def framed_logo(label: str, colour: tuple[int, int, int]) -> Variant:
    """A patterned frame (not one colour: diagonal stripes over a gradient) with the
    office's emblem in a corner and its name along the bottom."""

    def apply(img: Image.Image) -> Image.Image:
        side, top, bottom = 40, 90, 120
        w, h = img.width + 2 * side, img.height + top + bottom
        out = Image.new("RGB", (w, h), colour)
        draw = ImageDraw.Draw(out)
        for y in range(h):
            t = y / max(1, h - 1)
            shade = tuple(round(v * (0.55 + 0.45 * t)) for v in colour)
            draw.line([(0, y), (w, y)], fill=shade)
        for x in range(-h, w, 36):
            draw.line([(x, 0), (x + h, h)], fill=tuple(min(255, v + 40) for v in colour), width=8)
        out.paste(img, (side, top))
        emblem = logo(top - 10, colour, "".join(word[0] for word in label.split()[:3]).upper())
        out.paste(emblem, (side, 5), emblem)
        draw.text((side + top + 10, 22), label.upper(), font=font(44), fill=(255, 255, 255))
        draw.text(
            (side, top + img.height + 30), f"#{label.replace(' ', '')}", font=font(52), fill=GOLD
        )
        return out

    return apply


def bordered(width: int, colour: tuple[int, int, int]) -> Variant:
    """A plain border of one colour all round."""

    def apply(img: Image.Image) -> Image.Image:
        return ImageOps.expand(img, border=width, fill=colour)

    return apply


def banner_across(label: str, at: float) -> Variant:
    """A band of text laid across the picture, its top at `at` of the height."""

    def apply(img: Image.Image) -> Image.Image:
        out = img.convert("RGBA")
        band = Image.new("RGBA", out.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(band)
        top = round(out.height * at)
        height = max(60, out.height // 8)
        draw.rectangle([0, top, out.width, top + height], fill=(180, 20, 40, 215))
        size = round(height * 0.5)
        draw.text(
            (30, top + height // 2),
            label.upper(),
            font=font(size),
            fill=(255, 255, 255, 255),
            anchor="lm",
        )
        return Image.alpha_composite(out, band).convert("RGB")

    return apply


def save_image(img: Image.Image, path: Path, quality: int) -> dict[str, object]:
    """Save in the format the file name says; returns the encoding step for truth.json.

    PNG is an 8-bit palette PNG (what chat apps and editors make of a photo), so the
    sample stays small; WEBP is lossy at `quality`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        save_jpeg(img, path, quality)
        return {"op": "encode", "format": "jpeg", "quality": quality}
    if suffix == ".png":
        palette = img.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        palette.save(path, "PNG", optimize=False, compress_level=9)
        return {"op": "encode", "format": "png", "quality": None, "mode": "P256"}
    if suffix == ".webp":
        img.convert("RGB").save(path, "WEBP", quality=quality, method=4, exact=False)
        return {"op": "encode", "format": "webp", "quality": quality}
    raise ValueError(f"{path.name}: no encoder for {suffix}")


def overlaid(
    frames: Iterator[np.ndarray], label: str, colour: tuple[int, int, int]
) -> Iterator[np.ndarray]:
    """Every frame shrunk into the office's frame, its emblem and name beside it."""
    emblem = logo(56, colour, "".join(word[0] for word in label.split()[:3]).upper())
    for array in frames:
        frame = Image.fromarray(array)
        out = Image.new("RGB", frame.size, colour)
        inner = frame.resize((frame.width - 24, frame.height - 84), Image.Resampling.BILINEAR)
        out.paste(inner, (12, 12))
        out.paste(emblem, (12, frame.height - 66), emblem)
        draw = ImageDraw.Draw(out)
        draw.text((80, frame.height - 50), label.upper(), font=font(24), fill=(255, 255, 255))
        yield np.asarray(out)
