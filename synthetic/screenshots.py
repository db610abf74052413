"""Seeded phone screenshots of posts, as fact-checkers receive them (issue 14).

A picture of a post is drawn into an app's frame — Instagram, Facebook, X or a
WhatsApp-forwarded message, light or dark — with a status bar, the account's header,
counters and buttons, with or without the caption band, scrolled so that part of the
picture or the header is cut, then recompressed as WhatsApp does (JPEG, ~1,600 px on
the long side). Built from any corpus's posts; never from real screenshots.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

App = Literal["instagram", "facebook", "x", "whatsapp"]
Theme = Literal["light", "dark"]
Cut = Literal["none", "header", "picture_top", "picture_bottom"]
APPS: tuple[App, ...] = ("instagram", "facebook", "x", "whatsapp")
THEMES: tuple[Theme, ...] = ("light", "dark")
CUTS: tuple[Cut, ...] = ("none", "header", "picture_top", "picture_bottom")

SCREEN_W = 1080
LONG_SIDE = 1600
"""WhatsApp sends pictures at about this many pixels on the long side."""
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)

_COLOURS = {
    ("instagram", "light"): ((255, 255, 255), (0, 0, 0), (115, 115, 115)),
    ("instagram", "dark"): ((0, 0, 0), (245, 245, 245), (168, 168, 168)),
    ("facebook", "light"): ((255, 255, 255), (5, 5, 5), (101, 103, 107)),
    ("facebook", "dark"): ((36, 37, 38), (228, 230, 235), (176, 179, 184)),
    ("x", "light"): ((255, 255, 255), (15, 20, 25), (83, 100, 113)),
    ("x", "dark"): ((0, 0, 0), (231, 233, 234), (113, 118, 123)),
    ("whatsapp", "light"): ((239, 234, 226), (17, 27, 33), (102, 119, 129)),
    ("whatsapp", "dark"): ((11, 20, 26), (233, 237, 239), (134, 150, 160)),
}
"""(background, text, secondary text) of each app and theme."""
_BUBBLE = {"light": (255, 255, 255), "dark": (32, 44, 51)}


@dataclass(frozen=True, slots=True)
class ScreenshotSpec:
    """How one screenshot is drawn."""

    app: App
    theme: Theme
    cut: Cut
    caption_band: bool
    handle: str
    caption: str
    seed: int


@dataclass(frozen=True, slots=True)
class Screenshot:
    """A drawn screenshot (JPEG bytes), where the picture sits on it, and its spec."""

    jpeg: bytes
    picture_box: tuple[int, int, int, int]
    """The visible part of the post's picture, in the screenshot's pixels."""
    spec: ScreenshotSpec


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.splitlines():
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if font.getlength(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _shown(picture: Image.Image, app: App, width: int) -> Image.Image:
    """The picture as the app shows it: Instagram crops to 1.91:1 … 4:5, others keep
    the picture's own shape."""
    w, h = picture.size
    ratio = w / h
    if app == "instagram" and not 0.8 <= ratio <= 1.91:
        keep = (w, round(w / 0.8)) if ratio < 0.8 else (round(h * 1.91), h)
        x0, y0 = (w - keep[0]) // 2, (h - keep[1]) // 2
        picture = picture.crop((x0, y0, x0 + keep[0], y0 + keep[1]))
    height = round(width * picture.height / picture.width)
    return picture.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)


def _status_bar(draw: ImageDraw.ImageDraw, rng: random.Random, fg: tuple[int, ...]) -> int:
    font = _font(34)
    draw.text((48, 22), f"{rng.randint(6, 23):02d}.{rng.randint(0, 59):02d}", fill=fg, font=font)
    for n in range(4):  # signal bars, wifi and battery as shapes
        draw.rectangle((880 + n * 14, 52 - n * 8, 890 + n * 14, 60), fill=fg)
    draw.rectangle((960, 30, 1030, 62), outline=fg, width=3)
    draw.rectangle((966, 36, 966 + rng.randint(20, 58), 56), fill=fg)
    return 90


def render(picture: Image.Image, spec: ScreenshotSpec) -> Screenshot:
    """Draw `picture` with `spec.caption` under `spec.handle` in the app's frame."""
    rng = random.Random(spec.seed)
    bg, fg, dim = _COLOURS[(spec.app, spec.theme)]
    text_font, small, bold = _font(38), _font(32), _font(40)
    canvas = Image.new("RGB", (SCREEN_W, 4200), bg)
    draw = ImageDraw.Draw(canvas)
    y = _status_bar(draw, rng, fg)
    header_top = y
    margin = {"instagram": 0, "facebook": 0, "x": 150, "whatsapp": 90}[spec.app]
    pic_w = {"instagram": SCREEN_W, "facebook": SCREEN_W, "x": SCREEN_W - margin - 40}.get(
        spec.app, SCREEN_W - 2 * margin - 170
    )
    room = SCREEN_W - 2 * max(margin + (20 if spec.app == "whatsapp" else 0), 40)
    if spec.app == "instagram":  # the first line starts with the handle
        caption_lines = _wrap(f"{spec.handle} {spec.caption}", text_font, room)
        caption_lines[0] = caption_lines[0].removeprefix(spec.handle).lstrip()
    else:
        caption_lines = _wrap(spec.caption, text_font, room)
    caption_lines = [line for line in caption_lines if line][: rng.randint(2, 5)]
    if len(caption_lines) > 1:
        caption_lines[-1] += " ... lainnya" if rng.random() < 0.5 else "… more"

    def avatar(x: int, yy: int, r: int) -> None:
        draw.ellipse((x, yy, x + 2 * r, yy + 2 * r), fill=(rng.randrange(256), 90, 160))

    if spec.app in ("instagram", "facebook"):
        avatar(30, y + 20, 40)
        draw.text((130, y + 24), spec.handle, fill=fg, font=bold)
        sub = "Bersponsor" if spec.app == "instagram" and rng.random() < 0.1 else "2 j · 🌐"
        draw.text((130, y + 70), sub if spec.app == "facebook" else "", fill=dim, font=small)
        draw.text((980, y + 30), "•••", fill=fg, font=bold)
        y += 130
    elif spec.app == "x":
        avatar(30, y + 20, 50)
        draw.text((margin, y + 20), spec.handle.replace("_", " ").title(), fill=fg, font=bold)
        draw.text((margin, y + 70), f"@{spec.handle} · 5j", fill=dim, font=small)
        y += 130
    else:
        draw.rectangle(
            (0, y, SCREEN_W, y + 120), fill=(0, 92, 75) if spec.theme == "light" else (31, 44, 52)
        )
        draw.text((140, y + 36), "Grup Info Warga", fill=(255, 255, 255), font=bold)
        y += 160
    if spec.app in ("facebook", "x") and spec.caption_band:  # the text sits above
        for line in caption_lines:
            draw.text((max(margin, 40), y), line, fill=fg, font=text_font)
            y += 50
        y += 20
    shown = _shown(picture, spec.app, pic_w)
    if spec.app == "whatsapp":
        bubble_h = shown.height + 90 + (len(caption_lines) * 50 + 30 if spec.caption_band else 40)
        draw.rounded_rectangle(
            (margin, y, margin + pic_w + 24, y + bubble_h), 24, fill=_BUBBLE[spec.theme]
        )
        draw.text((margin + 20, y + 14), "↪ Diteruskan", fill=dim, font=small)
        y += 70
        px = margin + 12
    else:
        px = margin
    canvas.paste(shown, (px, y))
    pic_box = (px, y, px + shown.width, y + shown.height)
    y += shown.height + 20
    if spec.app == "instagram":
        for n, x in enumerate((40, 130, 220)):
            draw.ellipse((x, y + 10, x + 56, y + 66), outline=fg, width=5 if n else 6)
        draw.rectangle((990, y + 10, 1036, y + 66), outline=fg, width=5)
        y += 90
        draw.text((30, y), f"{rng.randint(1, 9)}.{rng.randint(100, 999)} suka", fill=fg, font=bold)
        y += 60
    if spec.app in ("instagram", "whatsapp") and spec.caption_band:
        for n, line in enumerate(caption_lines):
            text = f"{spec.handle} {line}" if n == 0 and spec.app == "instagram" else line
            draw.text((max(margin + 20, 30), y), text, fill=fg, font=text_font)
            y += 50
    if spec.app == "whatsapp":
        draw.text(
            (margin + pic_w - 90, y),
            f"{rng.randint(6, 23):02d}.{rng.randint(0, 59):02d}",
            fill=dim,
            font=small,
        )
        y += 60
    if spec.app == "instagram":
        draw.text((30, y + 10), f"Lihat semua {rng.randint(3, 300)} komentar", fill=dim, font=small)
        y += 70
    if spec.app == "facebook":
        draw.text((30, y), f"👍 {rng.randint(1, 9)},{rng.randint(1, 9)} rb", fill=dim, font=small)
        draw.text(
            (640, y),
            f"{rng.randint(2, 99)} komentar  {rng.randint(2, 50)} kali dibagikan",
            fill=dim,
            font=small,
        )
        y += 60
        draw.line((30, y, SCREEN_W - 30, y), fill=dim, width=2)
        for x, word in ((90, "Suka"), (430, "Komentari"), (800, "Bagikan")):
            draw.text((x, y + 20), word, fill=dim, font=text_font)
        y += 90
    if spec.app == "x":
        for n, x in enumerate((margin, margin + 220, margin + 440, margin + 660)):
            draw.text((x, y), f"◯ {rng.randint(1, 999)}" if n < 3 else "↑", fill=dim, font=small)
        y += 70
    y += 40
    return _crop(canvas, spec, rng, header_top, pic_box, y)


def _crop(
    canvas: Image.Image,
    spec: ScreenshotSpec,
    rng: random.Random,
    header_top: int,
    pic: tuple[int, int, int, int],
    end: int,
) -> Screenshot:
    """The phone's screen (about 9:19.5) over the post, scrolled as `spec.cut` says,
    then recompressed as WhatsApp does."""
    screen_h = round(SCREEN_W * 2.0)
    top = 0
    if spec.cut == "header":
        top = header_top + rng.randint(40, 110)
    elif spec.cut == "picture_top":
        top = pic[1] + round((pic[3] - pic[1]) * rng.uniform(0.1, 0.3))
    bottom = max(end, top + 900)
    if spec.cut == "picture_bottom":
        bottom = pic[3] - round((pic[3] - pic[1]) * rng.uniform(0.1, 0.3))
    bottom = min(bottom, top + screen_h)
    screen = canvas.crop((0, top, SCREEN_W, bottom))
    if spec.cut in ("picture_top", "header"):  # the status bar stays on top of the scroll
        bar = canvas.crop((0, 0, SCREEN_W, 90))
        screen.paste(bar, (0, 0))
    scale = LONG_SIDE / max(screen.size)
    if scale < 1:
        screen = screen.resize(
            (round(screen.width * scale), round(screen.height * scale)), Image.Resampling.LANCZOS
        )
    else:
        scale = 1.0
    out = io.BytesIO()
    screen.save(out, "JPEG", quality=rng.randint(70, 82))
    covered = 90 if spec.cut in ("picture_top", "header") else 0  # under the status bar
    y0, y1 = max(pic[1] - top, covered), min(pic[3], bottom) - top
    box = tuple(round(v * scale) for v in (pic[0], y0, pic[2], y1))
    return Screenshot(out.getvalue(), box, spec)  # type: ignore[arg-type]


def pick_spec(rng: random.Random, handle: str, caption: str) -> ScreenshotSpec:
    """A random app, theme, cut and caption band (seeded)."""
    return ScreenshotSpec(
        rng.choice(APPS),
        rng.choice(THEMES),
        rng.choice(CUTS),
        rng.random() < 0.7,
        handle,
        caption,
        rng.randrange(1 << 30),
    )
