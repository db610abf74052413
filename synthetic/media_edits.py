"""What regional admins do to a picture before posting it, as data and as pixels.

An edit is a plain dict (`{"op": "crop", "style": "two_sides", ...}`) chosen by the
plan with the corpus's random generator and recorded verbatim in the truth; `apply`
turns it into pixels. Keeping the choice apart from the drawing lets the plan stay
pure and fast while the drawing runs in a process pool, in any order.
"""

from __future__ import annotations

import functools
import io
import random
from typing import Any

from PIL import Image, ImageDraw

from synthetic.posters import font

Op = dict[str, Any]
Colour = tuple[int, int, int]


@functools.lru_cache(maxsize=256)
def logo(seed: int, size: int = 120) -> Image.Image:
    """An office's round logo (RGBA): a ring, a shape and two letters, seeded."""
    rng = random.Random(f"logo-{seed}")
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ring = (rng.randint(0, 200), rng.randint(0, 200), rng.randint(0, 200), 255)
    draw.ellipse(
        [2, 2, size - 3, size - 3], fill=(255, 255, 255, 255), outline=ring, width=size // 12
    )
    inner = (rng.randint(100, 255), rng.randint(0, 200), rng.randint(0, 120), 255)
    if rng.random() < 0.5:
        draw.polygon(
            [(size / 2, size * 0.2), (size * 0.8, size * 0.75), (size * 0.2, size * 0.75)],
            fill=inner,
        )
    else:
        draw.rectangle([size * 0.28, size * 0.28, size * 0.72, size * 0.72], fill=inner)
    letters = "".join(rng.choice("ABDKMPRST") for _ in range(2))
    draw.text((size * 0.32, size * 0.38), letters, font=font(size // 4), fill=(255, 255, 255, 255))
    return img


def office_branding(rng: random.Random, label: str, seed: int) -> dict[str, Any]:
    """An office's fixed frame and banner style: it puts the same on everything it posts."""
    return {
        "label": label,
        "logo": seed,
        "colour": [rng.randint(0, 180), rng.randint(0, 180), rng.randint(0, 180)],
        "side": rng.choice((24, 36, 48, 60)),
        "bottom": rng.choice((100, 120, 140)),
        "banner_at": rng.choice(("top", "bottom")),
    }


def pick_crop(rng: random.Random) -> Op:
    """A crop of 3–15 % of the area: from one side, from two sides, or centred."""
    style = rng.choice(("one_side", "two_sides", "centred"))
    removed = rng.uniform(0.03, 0.15)
    keep = 1 - removed
    if style == "one_side":
        side = rng.randrange(4)
        box = [[1 - keep, 0, 1, 1], [0, 1 - keep, 1, 1], [0, 0, keep, 1], [0, 0, 1, keep]][side]
    elif style == "two_sides":
        k = keep**0.5
        left, top = rng.random() < 0.5, rng.random() < 0.5
        box = [1 - k if left else 0, 1 - k if top else 0, 1 if left else k, 1 if top else k]
    else:
        k = keep**0.5
        box = [(1 - k) / 2, (1 - k) / 2, 1 - (1 - k) / 2, 1 - (1 - k) / 2]
    return {
        "op": "crop",
        "style": style,
        "area_removed": round(removed, 3),
        "box": [round(v, 4) for v in box],
    }


def _resize(img: Image.Image, scale: float) -> Image.Image:
    size = (max(16, round(img.width * scale)), max(16, round(img.height * scale)))
    return img.resize(size, Image.Resampling.BILINEAR)


def _frame(img: Image.Image, op: Op) -> Image.Image:
    side, bottom = int(op["side"]), int(op["bottom"])
    colour = tuple(op["colour"])
    out = Image.new("RGB", (img.width + 2 * side, img.height + side + bottom), colour)
    out.paste(img, (side, side))
    mark = logo(int(op["logo"]), bottom - 30)
    out.paste(mark, (side, img.height + side + 15), mark)
    draw = ImageDraw.Draw(out)
    draw.text(
        (side + bottom, img.height + side + bottom // 2 - 24),
        str(op["label"]).upper()[:34],
        font=font(44),
        fill=(255, 255, 255),
    )
    return out.resize((1080, round(out.height * 1080 / out.width)), Image.Resampling.BILINEAR)


def _banner(img: Image.Image, op: Op) -> Image.Image:
    out = img.copy()
    draw = ImageDraw.Draw(out)
    height = max(60, out.height // 10)
    top = 0 if op.get("banner_at") == "top" else out.height - height
    draw.rectangle([0, top, out.width, top + height], fill=tuple(op["colour"]))
    mark = logo(int(op["logo"]), height - 16)
    out.paste(mark, (12, top + 8), mark)
    draw.text(
        (height + 20, top + height // 2 - 20),
        str(op["label"])[:40],
        font=font(40),
        fill=(255, 255, 255),
    )
    return out


def _sticker(img: Image.Image, op: Op) -> Image.Image:
    out = img.copy()
    mark = logo(int(op["logo"]), max(48, round(img.width * float(op.get("share", 0.12)))))
    corner = int(op.get("corner", 1))
    x = 20 if corner % 2 == 0 else out.width - mark.width - 20
    y = 20 if corner < 2 else out.height - mark.height - 20
    out.paste(mark, (x, y), mark)
    return out


def encode(img: Image.Image, op: Op) -> bytes:
    """The file's bytes for an `encode` op (format and quality)."""
    buf = io.BytesIO()
    fmt = op["format"]
    if fmt == "jpeg":
        img.convert("RGB").save(buf, "JPEG", quality=int(op["quality"]), subsampling=2)
    elif fmt == "webp":
        img.convert("RGB").save(buf, "WEBP", quality=int(op["quality"]), method=0)
    else:
        img.convert("RGB").save(buf, "PNG", compress_level=3)
    return buf.getvalue()


def apply(img: Image.Image, op: Op) -> Image.Image:
    """One edit on a decoded picture; an `encode` in the middle of a chain is a round
    trip through the format, as when a regency downloads its province's post."""
    match op["op"]:
        case "resize":
            return _resize(img, float(op["scale"]))
        case "whatsapp":
            longest = max(img.size)
            return _resize(img, 1600 / longest) if longest > 1600 else img
        case "crop":
            left, t, r, b = op["box"]
            return img.crop(
                (
                    round(left * img.width),
                    round(t * img.height),
                    round(r * img.width),
                    round(b * img.height),
                )
            )
        case "frame":
            return _frame(img, op)
        case "border":
            width = int(op["width"])
            out = Image.new(
                "RGB", (img.width + 2 * width, img.height + 2 * width), tuple(op["colour"])
            )
            out.paste(img, (width, width))
            return out
        case "banner":
            return _banner(img, op)
        case "sticker":
            return _sticker(img, op)
        case "encode":
            return Image.open(io.BytesIO(encode(img, op))).convert("RGB")
    raise ValueError(f"unknown picture edit {op['op']!r}")


def apply_all(img: Image.Image, ops: list[Op]) -> Image.Image:
    for op in ops:
        img = apply(img, op)
    return img
