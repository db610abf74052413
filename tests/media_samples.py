"""Inputs for the media tests: the drawing helpers of `synthetic.sample_files.media`
and the edits a regional office makes to a picture.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from synthetic.sample_files import media as sm

OFFICE = "Diskominfo Kabupaten Lebak"
MAROON = (150, 20, 40)


def width(img: Image.Image, side: int = 1080) -> Image.Image:
    """The picture `side` pixels wide, as a regional office posts it."""
    return img.resize((side, round(img.height * side / img.width)), Image.Resampling.LANCZOS)


def encoded(img: Image.Image, fmt: str, **options: object) -> Image.Image:
    """Saved in `fmt` and decoded again."""
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, fmt, **options)
    buffer.seek(0)
    with Image.open(buffer) as out:
        return out.convert("RGB")


def jpeg50(img: Image.Image) -> Image.Image:
    return encoded(img, "JPEG", quality=50)


def png(img: Image.Image) -> Image.Image:
    return encoded(img, "PNG")


def webp(img: Image.Image) -> Image.Image:
    return encoded(img, "WEBP", quality=80)


def resize_03(img: Image.Image) -> Image.Image:
    size = (round(img.width * 0.3), round(img.height * 0.3))
    return img.resize(size, Image.Resampling.BILINEAR)


AREA_CUT = 0.15
"""Crops cut this share of the area."""


def crop_one_side(img: Image.Image) -> Image.Image:
    return img.crop((0, 0, round(img.width * (1 - AREA_CUT)), img.height))


def crop_two_sides(img: Image.Image) -> Image.Image:
    keep = (1 - AREA_CUT) ** 0.5
    return img.crop((0, 0, round(img.width * keep), round(img.height * keep)))


def crop_centred(img: Image.Image) -> Image.Image:
    keep = (1 - AREA_CUT) ** 0.5
    x, y = img.width * (1 - keep) / 2, img.height * (1 - keep) / 2
    return img.crop((round(x), round(y), round(img.width - x), round(img.height - y)))


def logo(img: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """A regional office's round logo drawn into `box` (in place)."""
    draw = ImageDraw.Draw(img)
    draw.ellipse(box, fill=sm.GOLD, outline=(255, 255, 255), width=max(2, (box[2] - box[0]) // 16))
    x0, y0, x1, y1 = box
    draw.rectangle(
        [x0 + (x1 - x0) // 3, y0 + (y1 - y0) // 3, x1 - (x1 - x0) // 3, y1 - (y1 - y0) // 3],
        fill=MAROON,
    )
    return img


def framed_with_logo(img: Image.Image) -> Image.Image:
    """The office's coloured frame with its name (`sample_media.framed`) and its logo in
    the frame's bottom right: a frame that is not uniform, so it cannot be trimmed."""
    out: Image.Image = sm.framed(OFFICE, MAROON)(img)
    band = out.height - round(out.height * 0.09)
    return logo(out, (out.width - 130, band, out.width - 30, band + 100))


def uniform_border(img: Image.Image) -> Image.Image:
    side = round(0.05 * max(img.size))
    out = Image.new("RGB", (img.width + 2 * side, img.height + 2 * side), (255, 255, 255))
    out.paste(img, (side, side))
    return out


def banner(img: Image.Image) -> Image.Image:
    out: Image.Image = sm.bannered(f"Pemerintah {OFFICE}")(img)
    return out


def corner_logo(img: Image.Image) -> Image.Image:
    """A logo in the bottom-right corner and the office's name at the top left: the
    overlay a regional office puts on a clip."""
    out = img.copy()
    r = round(img.height * 0.09)
    logo(out, (img.width - 3 * r, img.height - 3 * r, img.width - r, img.height - r))
    ImageDraw.Draw(out).text(
        (r, r), OFFICE.upper(), font=sm.font(round(img.height * 0.05)), fill=(255, 255, 255)
    )
    return out
