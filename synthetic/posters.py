"""Posters of the media corpus: the ministry's one template and the regions' own.

Posters are where whole-picture hashes fail: two posters on the ministry's template
with different headlines sit closer than a cropped copy of one poster. The ministry's
template (header, picture box, headline, body, footer) is used by the ministry for its
releases and by regional offices for their own content; each province also has a
template of its own, on which its offices redraw releases with the same words.
"""

from __future__ import annotations

import functools
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

Colour = tuple[int, int, int]
NAVY, BLUE, GOLD, WHITE = (11, 42, 91), (20, 70, 140), (245, 190, 40), (255, 255, 255)
ART = ("megaphone", "chart", "shield", "phone", "house", "calendar")
"""The ministry's clip-art for picture boxes: many posters share one of these."""


@functools.lru_cache(maxsize=64)
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


def _words(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    size: int,
    width: int,
    fill: Colour,
    limit: int = 6,
) -> int:
    """Wrapped text from `xy`; returns the y below it."""
    x, y = xy
    for line in wrap(draw, text, size, width)[:limit]:
        draw.text((x, y), line, font=font(size), fill=fill)
        y += size + 12
    return y


def art(draw: ImageDraw.ImageDraw, name: str, box: tuple[int, int, int, int]) -> None:
    """One of the ministry's clip-art pictures, drawn inside `box`."""
    x0, y0, x1, y1 = box
    cx, cy, s = (x0 + x1) // 2, (y0 + y1) // 2, min(x1 - x0, y1 - y0) // 2
    draw.rectangle(box, fill=(235, 240, 248))
    if name == "megaphone":
        draw.polygon(
            [
                (cx - s, cy - s // 3),
                (cx + s // 2, cy - s),
                (cx + s // 2, cy + s),
                (cx - s, cy + s // 3),
            ],
            fill=GOLD,
            outline=NAVY,
        )
        draw.rectangle([cx - s - 60, cy - s // 3, cx - s, cy + s // 3], fill=NAVY)
    elif name == "chart":
        for i, height in enumerate((0.3, 0.5, 0.45, 0.7, 0.9)):
            x = cx - s + i * s * 2 // 5
            draw.rectangle([x, cy + s - int(2 * s * height), x + s // 4, cy + s], fill=BLUE)
    elif name == "shield":
        draw.polygon(
            [
                (cx, cy - s),
                (cx + s, cy - s // 2),
                (cx + s * 4 // 5, cy + s // 2),
                (cx, cy + s),
                (cx - s * 4 // 5, cy + s // 2),
                (cx - s, cy - s // 2),
            ],
            fill=(40, 150, 90),
        )
        draw.line(
            [(cx - s // 3, cy), (cx - s // 10, cy + s // 3), (cx + s // 2, cy - s // 3)],
            fill=WHITE,
            width=22,
        )
    elif name == "phone":
        draw.rounded_rectangle([cx - s // 2, cy - s, cx + s // 2, cy + s], 40, fill=NAVY)
        draw.rectangle([cx - s // 2 + 20, cy - s + 50, cx + s // 2 - 20, cy + s - 70], fill=GOLD)
    elif name == "house":
        draw.polygon([(cx - s, cy), (cx, cy - s), (cx + s, cy)], fill=(200, 60, 50))
        draw.rectangle([cx - s * 3 // 4, cy, cx + s * 3 // 4, cy + s], fill=(240, 220, 180))
    else:  # calendar
        draw.rectangle([cx - s, cy - s * 3 // 4, cx + s, cy + s], fill=WHITE, outline=NAVY, width=8)
        draw.rectangle([cx - s, cy - s * 3 // 4, cx + s, cy - s // 3], fill=(200, 40, 40))
        for i in range(12):
            gx, gy = cx - s + 30 + (i % 4) * s // 2, cy - s // 4 + (i // 4) * s // 3
            draw.rectangle([gx, gy, gx + s // 4, gy + s // 6], fill=(200, 210, 225))


def ministry_poster(
    headline: str,
    body: str,
    picture: Image.Image | None,
    art_name: str = "",
    size: tuple[int, int] = (1080, 1080),
) -> Image.Image:
    """The ministry's template: white header, picture box, headline, body, gold footer.

    Posters made from it share background, header, footer and layout; only the picture
    box and the words tell them apart.
    """
    w, h = size
    img = Image.new("RGB", size, NAVY)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / (h - 1)
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(NAVY, BLUE, strict=True)),
        )
    draw.rectangle([0, 0, w, 110], fill=WHITE)
    draw.ellipse([30, 20, 100, 90], fill=NAVY, outline=GOLD, width=6)
    draw.text((125, 36), "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA", font=font(38), fill=NAVY)
    box = (80, 150, w - 80, 150 + int((h - 150) * 0.5))
    if picture is not None:
        img.paste(ImageOps.fit(picture, (box[2] - box[0], box[3] - box[1])), box[:2])
    else:
        art(draw, art_name or "megaphone", box)
    draw.rectangle([box[0], box[3] + 20, box[0] + 160, box[3] + 32], fill=GOLD)
    y = _words(draw, (80, box[3] + 55), headline.upper(), 52, w - 160, WHITE, 3)
    _words(draw, (80, y + 8), body, 32, w - 160, (220, 230, 245), 4)
    draw.rectangle([0, h - 90, w, h], fill=GOLD)
    draw.text(
        (80, h - 65), "#SobatKominfo  #IndonesiaMaju  kominfo.go.id", font=font(36), fill=NAVY
    )
    return img


def regional_poster(
    template: int, office: str, headline: str, body: str, picture: Image.Image | None
) -> Image.Image:
    """A province's own template (its colours, header, ornament and layout), seeded by
    `template`; the province's offices draw their own posters and redraw releases on it."""
    rng = random.Random(f"regional-template-{template}")
    base = (rng.randint(10, 120), rng.randint(60, 160), rng.randint(30, 140))
    accent = (rng.randint(180, 255), rng.randint(150, 255), rng.randint(0, 120))
    w, h = 1080, rng.choice((1080, 1350))
    img = Image.new("RGB", (w, h), base)
    draw = ImageDraw.Draw(img)
    header = rng.randint(110, 170)
    draw.rectangle([0, 0, w, header], fill=WHITE)
    draw.text((60, header // 2 - 24), office.upper()[:38], font=font(44), fill=base)
    for i in range(rng.randint(4, 10)):  # the template's ornament
        y = header + 40 + 30 * i
        draw.arc([-100 + 60 * (i % 2), y, 600, y + 90], 200, 340, fill=accent, width=10)
    top = header + rng.randint(40, 120)
    if picture is not None:
        pic_h = int(h * 0.35)
        img.paste(ImageOps.fit(picture, (w - 120, pic_h)), (60, top))
        top += pic_h + 30
    else:
        top += int(h * 0.2)
    y = _words(draw, (60, top), headline.upper(), 58, w - 120, WHITE, 4)
    _words(draw, (60, y + 10), body, 34, w - 120, (235, 245, 235), 4)
    draw.rectangle([0, h - 80, w, h], fill=accent)
    draw.text((60, h - 60), "Call Center 112  |  " + office[:30], font=font(34), fill=base)
    return img


def photo_post(picture: Image.Image, headline: str) -> Image.Image:
    """A photo with the ministry's headline band under it (a photo release's style)."""
    w = 1080
    scaled = picture.resize(
        (w, round(picture.height * w / picture.width)), Image.Resampling.BILINEAR
    )
    lines = wrap(ImageDraw.Draw(scaled), headline, 44, w - 100)[:3]
    band = 40 + 56 * len(lines)
    img = Image.new("RGB", (w, scaled.height + band), NAVY)
    img.paste(scaled, (0, 0))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((50, scaled.height + 20 + 56 * i), line, font=font(44), fill=WHITE)
    return img
