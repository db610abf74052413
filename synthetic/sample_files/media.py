"""Pictures and clips for the sample corpus: posters, photo posts, the variants a
regional office makes of them (resized, cropped, framed, bannered) and H.264 clips,
all drawn and encoded deterministically."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageOps
from skimage import data

from synthetic.clips import encode_h264
from synthetic.posters import font, wrap

FPS = 10
SIZE = (640, 360)
NAVY, BLUE, GOLD = (11, 42, 91), (20, 70, 140), (245, 190, 40)

Variant = Callable[[Image.Image], Image.Image]


def photo(name: str) -> Image.Image:
    array = getattr(data, name)()
    if array.ndim == 2:  # grayscale: tint it blue like the ministry's templates
        tint = np.stack([array * 0.55, array * 0.75, array * 1.0], axis=-1)
        array = np.clip(tint + 20, 0, 255).astype(np.uint8)
    return Image.fromarray(array).convert("RGB")


# --- posters ------------------------------------------------------------------------


def ministry_poster(
    headline: str, picture: Image.Image | None, art: str = "", body: str = ""
) -> Image.Image:
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
        elif art:
            _stock_art(draw, art)
    draw.rectangle([box[0], box[3] + 20, box[0] + 160, box[3] + 32], fill=GOLD)
    y = box[3] + 60
    size = 62 if not body else 52
    for line in wrap(draw, headline.upper(), size, 900):
        draw.text((80, y), line, font=font(size), fill=(255, 255, 255))
        y += size + 12
    for line in wrap(draw, body, 32, 900):
        draw.text((80, y + 8), line, font=font(32), fill=(220, 230, 245))
        y += 42
    draw.rectangle([0, 990, 1079, 1079], fill=GOLD)
    draw.text((80, 1015), "#SobatKominfo  #IndonesiaMaju  kominfo.go.id", font=font(36), fill=NAVY)
    return img


def _stock_art(draw: ImageDraw.ImageDraw, art: str) -> None:
    """The ministry's clip-art for the picture box: a megaphone, a chart, a shield."""
    if art == "megaphone":
        draw.polygon([(330, 330), (640, 220), (640, 560), (330, 450)], fill=GOLD, outline=NAVY)
        draw.rectangle([250, 330, 330, 450], fill=NAVY)
        draw.rectangle([300, 450, 340, 560], fill=NAVY)
        for r in (60, 110, 160):
            draw.arc([640 - r, 390 - r, 640 + r + 60, 390 + r], -40, 40, fill=NAVY, width=12)
    elif art == "chart":
        for i, height in enumerate((120, 190, 160, 260, 330)):
            x = 260 + 110 * i
            draw.rectangle([x, 600 - height, x + 70, 600], fill=(40, 120, 200), outline=NAVY)
        draw.line([(260, 470), (480, 400), (700, 300), (760, 260)], fill=(210, 30, 30), width=10)
    elif art == "shield":
        draw.polygon(
            [(540, 190), (720, 250), (700, 470), (540, 600), (380, 470), (360, 250)],
            fill=(40, 150, 90),
            outline=NAVY,
        )
        draw.line([(460, 390), (520, 460), (640, 320)], fill=(255, 255, 255), width=22)
    else:
        raise ValueError(f"unknown stock art {art!r}")


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


def regional_poster(headline: str, office: str, body: str = "") -> Image.Image:
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
    y = 820 if not body else 830
    size = 70 if not body else 52
    for line in wrap(draw, headline.upper(), size, 960):
        draw.text((60, y), line, font=font(size), fill=(255, 255, 255))
        y += size + 14
    for line in wrap(draw, body, 34, 960):
        draw.text((60, y + 10), line, font=font(34), fill=(235, 245, 235))
        y += 44
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
    """H.264 in MP4 with equal bytes on every run (`synthetic.clips.encode_h264`)."""

    def planes() -> Iterator[np.ndarray]:
        for array in frames:
            image = Image.fromarray(array)
            if image.size != size:
                image = image.resize(size, Image.Resampling.BILINEAR)
            yield yuv420p(np.asarray(image))

    encode_h264(path, planes(), size, crf, "medium")


# --- the plan -----------------------------------------------------------------------
