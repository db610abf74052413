"""The post inside a phone screenshot: where its picture is, and which words are its
caption rather than the app's own (issue 14).

Takes a decoded screenshot; tesseract (`media.ocr`) reads its parts. A picture is found by its own
content — rows that vary along their length, or whose colour is not the app's — and,
because a poster's white band can merge with a white app (or a scroll can cut it),
as a few hypotheses: the rows found, and those rows extended to the shapes pictures are
posted in. Each hypothesis is fingerprinted and looked up; the best match wins.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image

from tracer.errors import MediaError
from tracer.media import ocr
from tracer.media.fingerprint import STANDARD_BOXES, box_keys, fingerprint_image
from tracer.media.match import MediaItem
from tracer.media.textpresence import has_text
from tracer.normalize import normalize_text
from tracer.prepare import PreparedMedia
from tracer.screen_text import caption_lines

Box = tuple[int, int, int, int]

WORK_WIDTH = 270
"""The screenshot is analysed at this width (a phone screen is ~1080 px wide)."""
BUSY_SHARE = 0.25
"""A row varies along its length when this share of it differs from its own median."""
TONE = 24
"""Grey levels by which a pixel differs from a colour."""
MIN_SHARE = 0.08
"""A picture covers at least this share of the screenshot."""
FRAME_STRIP = 0.03
"""Width (share of the picture's) of the strips along its edges that say a row lies
between the picture's own margins."""
BUBBLE_SHARE = 0.3
"""Inside a chat bubble, the picture is the longest run of picture rows when it holds
at least this share of the bubble (a scroll may leave little of it above the text)."""
BAND_SHARES = (0.08, 0.16)
"""Heights (shares of the width) of a band of the app's colour that may belong to the
picture: a poster's white header band on a white app."""
STATUS_SHARE = 0.03
"""The status bar's share of a screenshot's height (at least)."""
UNDER_STATUS = 0.11
"""A picture that starts this close to the top (as a share of the screen's width)
starts under the status bar (24 dp of a 360–410 dp wide phone): the scroll cut it. An
uncut picture has its post's header (the account, a chat's name) above it."""
SHAPES = (1.91, 1.5, 4 / 3, 1.0, 0.8, 0.75, 9 / 16)
"""Width/height of the shapes pictures are posted in (Instagram's 1.91:1 … 4:5, photos,
video frames)."""


@dataclass(frozen=True, slots=True)
class Located:
    """Where the picture may be: `boxes` best first (the first is the rows found), each
    as (left, top, right, bottom) in the screenshot's pixels — a box may reach past the
    screenshot's edge where a scroll cut the picture."""

    boxes: tuple[Box, ...]
    core: Box
    cut: tuple[bool, bool] = (False, False)
    """Whether the screen's top (under the status bar) or bottom cuts the picture."""
    views: int = 1
    """How many of the first boxes are the visible part itself (the rows found, with or
    without a band of the app's colour that may be the picture's own)."""


@dataclass(frozen=True, slots=True)
class View:
    """The part of the post's picture that a scrolled screenshot shows: the picture
    hypothesis it is (its print and the words read off it), which of its edges the
    screen cut (top, bottom), and keys of the stored regions it may hold, by which
    stored pictures are looked up (`view_keys`)."""

    item: MediaItem
    cut: tuple[bool, bool]
    keys: tuple[int, ...]


VIEW_CUTS = tuple(n / 50 for n in range(16))
"""Shares of the whole picture's height a scroll may have cut (0–30 %, 2 % apart): only
stored regions inside what is left can be looked up, and a region key holds at least
70 % of the height."""


def view_keys(grey: Image.Image, cut: tuple[bool, bool]) -> tuple[int, ...]:
    """Keys of the stored picture's standard regions that lie inside the visible part,
    for each share `VIEW_CUTS` the scroll may have cut: the visible part spans the
    picture's width, so its height fixes where each region would sit."""
    w, h = grey.size
    boxes: list[tuple[float, float, float, float]] = []
    for share in VIEW_CUTS if any(cut) else (0.0,):
        whole = h / (1 - share)
        offset = share * whole if cut[0] else 0.0
        for x0, y0, x1, y1 in STANDARD_BOXES:
            top, bottom = y0 * whole - offset, y1 * whole - offset
            if top >= -0.01 * h and bottom <= 1.01 * h:
                boxes.append((x0 * w, max(0.0, top), x1 * w, min(float(h), bottom)))
    return tuple(dict.fromkeys(box_keys(grey, boxes)))


def _runs(flags: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of true values, bridging gaps of up to `gap` false ones."""
    runs: list[tuple[int, int]] = []
    start, last = None, -gap - 2
    for i, flag in enumerate(flags.tolist()):
        if not flag:
            continue
        if start is None or i - last > gap + 1:
            if start is not None:
                runs.append((start, last + 1))
            start = i
        last = i
    if start is not None:
        runs.append((start, last + 1))
    return runs


def locate(image: Image.Image) -> Located | None:
    """The embedded picture's candidate boxes, or None when there is no picture (the
    screenshot is all text, or is the picture itself)."""
    scale = WORK_WIDTH / image.width
    size = (WORK_WIDTH, max(1, round(image.height * scale)))
    rgb = np.asarray(image.convert("RGB").resize(size, Image.Resampling.BILINEAR), np.int16)
    h, w, _ = rgb.shape
    # The app's colour: the commonest colour of the status bar (a picture can fill most
    # of the screen's edges, never the status bar).
    bar = rgb[: max(2, round(h * STATUS_SHARE))].reshape(-1, 3)
    packed = (bar[:, 0] // 8) * 1024 + (bar[:, 1] // 8) * 32 + bar[:, 2] // 8
    common = int(np.bincount(packed).argmax())
    app = bar[packed == common].mean(axis=0)
    median = np.median(rgb, axis=1)  # each row's own colour
    varied = (np.abs(rgb - median[:, None, :]).max(axis=2) > TONE).mean(axis=1) > BUSY_SHARE
    tinted = np.abs(median - app).max(axis=1) > TONE
    # Rows of a picture: they vary along their length (a photo, a poster's words over a
    # colour) or have a colour that is not the app's (a sky, a poster's band).
    rows = varied | tinted
    runs = [r for r in _runs(rows, max(1, h // 100)) if r[1] - r[0] >= 0.12 * w]
    if not runs:
        return None
    top, bottom = max(runs, key=lambda r: r[1] - r[0])
    inside = rgb[top:bottom]
    cols = (np.abs(inside - app).max(axis=2) > TONE).mean(axis=0) > 0.3
    xs = np.flatnonzero(cols)
    if len(xs) == 0:
        return None
    left, right = int(xs[0]), int(xs[-1]) + 1
    if right - left < 0.5 * w:
        left, right = 0, w
    # Rows between the picture's own margins (a poster's pale box between darker sides)
    # are the picture's too, whatever their middle looks like.
    # Needed where the scroll cut the picture, which gets no shape hypotheses; an uncut
    # picture keeps the rows found, and its hypotheses try what lies around them.
    sides = _runs(rows | _framed(rgb, left, right, app), max(1, h // 100))
    whole = next(((a, b) for a, b in sides if a <= top < b), (top, bottom))
    if whole[0] <= round(w * UNDER_STATUS) or whole[1] >= h - 2:
        top, bottom = whole
    if left >= 2 and right <= w - 2:  # inset in a bubble or a card, not full width
        top, bottom, left, right = _inside_bubble(rgb, top, bottom, left, right)
    if (bottom - top) * (right - left) < MIN_SHARE * h * w or (bottom - top >= h - 2):
        return None
    boxes = [(left, top, right, bottom)]
    width = right - left
    cut_top, cut_bottom = top <= round(w * UNDER_STATUS), bottom >= h - 2
    # A band of the app's colour may be the picture's own (a poster's white band).
    bands = [round(width * f) for f in BAND_SHARES]
    tops = [top] if cut_top else [top, *(top - b for b in bands)]
    bottoms = [bottom] if cut_bottom else [bottom, *(bottom + b for b in bands)]
    boxes += [(left, t, right, bottom) for t in tops[1:]]
    boxes += [(left, top, right, b) for b in bottoms[1:]]
    views = len(boxes)
    # An uncut picture may have more of its own above or below the rows found (a band
    # of the app's colour): the shapes pictures are posted in. A cut picture's shape
    # cannot be seen; its views are placed on stored pictures instead (`View`).
    for shape in () if cut_top or cut_bottom else SHAPES:
        tall = round(width / shape)
        if tall <= (bottom - top) * 1.04 or tall > 2.5 * (bottom - top):
            continue
        boxes += [(left, top, right, top + tall), (left, bottom - tall, right, bottom)]
    unique = list(dict.fromkeys(boxes))
    back = 1 / scale
    full = [
        (round(a * back), round(b * back), round(c * back), round(d * back))
        for a, b, c, d in unique
    ]
    return Located(tuple(full), full[0], (cut_top, cut_bottom), views)


def _inside_bubble(
    rgb: np.ndarray, top: int, bottom: int, left: int, right: int
) -> tuple[int, int, int, int]:
    """A picture inside a chat bubble or a card: the rows found may hold the bubble's own
    lines ("Forwarded", the time). The bubble's colour is that of the run's side
    margins; rows of that colour that do not vary are taken off the top and bottom."""
    edge = np.abs(rgb[top:bottom, left + 1] - rgb[top:bottom, min(right - 1, left + 6)])
    if (edge.max(axis=1) > TONE).mean() < 0.5:
        return top, bottom, left, right  # no margin of another colour: the picture's edge
    margin = rgb[top:bottom, left : left + 2].reshape(-1, 3)
    bubble = np.median(margin, axis=0)
    inner = rgb[top:bottom, left + 3 : max(left + 4, right - 3)]
    median = np.median(inner, axis=1)
    # A line of the bubble's text varies along a smaller share than a picture's row.
    busy = (np.abs(inner - median[:, None, :]).max(axis=2) > TONE).mean(axis=1) > 2 * BUSY_SHARE
    tinted = np.abs(median - bubble).max(axis=1) > TONE
    framed = _framed(inner, 0, inner.shape[1], bubble)
    runs = _runs(busy | tinted | framed, 2)
    if not runs:
        return top, bottom, left, right
    first, last = max(runs, key=lambda r: r[1] - r[0])
    if (last - first) < BUBBLE_SHARE * (bottom - top):
        return top, bottom, left, right
    return top + first, top + last, left, right


def _framed(rgb: np.ndarray, left: int, right: int, colour: np.ndarray) -> np.ndarray:
    """Rows whose strips along both edges (`FRAME_STRIP` of the width, inside `left` and
    `right`) are mostly not `colour`: inside a picture's own margins."""
    strip = max(1, round((right - left) * FRAME_STRIP))
    near = np.abs(rgb[:, left:right] - colour).max(axis=2) > TONE
    framed: np.ndarray = (near[:, :strip].mean(axis=1) > 0.5) & (
        near[:, -strip:].mean(axis=1) > 0.5
    )
    return framed


def crop_or_pad(image: Image.Image, box: Box, seed: int = 0) -> Image.Image:
    """The box's pixels; parts past the screenshot's edge (a scroll cut the picture)
    are noise, so that only regions inside what is visible can match."""
    left, top, right, bottom = box
    inner = (max(0, left), max(0, top), min(image.width, right), min(image.height, bottom))
    crop = image.crop(inner).convert("RGB")
    crop.info.pop("source_size", None)  # the crop's own size, not the screenshot's
    if inner == box:
        return crop
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, (bottom - top, right - left, 3), dtype=np.uint8)
    canvas = Image.fromarray(noise, "RGB")
    canvas.paste(crop, (inner[0] - left, inner[1] - top))
    return canvas


def bands(image: Image.Image, core: Box) -> list[Box]:
    """The parts of the screenshot above and below the picture, where a caption sits
    (under the status bar's height, which holds only the clock and icons)."""
    status = round(image.height * 0.04)
    out = []
    if core[1] - status > 0.03 * image.height:
        out.append((0, status, image.width, core[1]))
    if image.height - core[3] > 0.03 * image.height:
        out.append((0, core[3], image.width, image.height))
    return out


def read_lines(image: Image.Image, boxes: list[Box], lang: str) -> list[tuple[int, str]]:
    """The text lines in `boxes` (bands of the screenshot), each with the screenshot row
    of its middle: the bands are stacked for one tesseract run (as `ocr.read_text`
    reads, at `ocr.OCR_SIDE` on the longer side, capped at the screen's width)."""
    if not boxes:
        return []
    gap = 16
    stack = Image.new("L", (image.width, sum(b[3] - b[1] + gap for b in boxes)), 255)
    offsets = []
    y = 0
    for box in boxes:
        stack.paste(image.crop(box).convert("L"), (0, y))
        offsets.append((y, box[1]))
        y += box[3] - box[1] + gap
    scale = min(1.0, max(ocr.OCR_SIDE / image.width, ocr.OCR_SIDE / max(stack.size)))
    if scale < 1:
        size = (round(stack.width * scale), max(1, round(stack.height * scale)))
        stack = stack.resize(size, Image.Resampling.LANCZOS)
    try:
        read = ocr.engine(lang).lines(stack)
    except (MediaError, RuntimeError):
        return []
    out = []
    for row, text in read:
        middle = round(row / scale)
        start, top = max((o for o in offsets if o[0] <= middle), default=offsets[0])
        out.append((middle - start + top, text))
    return sorted(out)


@functools.cache
def _readers() -> ThreadPoolExecutor:
    """The two threads that read screenshots, kept for the process: each keeps its OCR
    engine loaded (`ocr.engine` is one per thread), so a request does not load one."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="screenshot-ocr")


def _picture_words(picture: Image.Image, lang: str) -> str | None:
    """The words on the picture; "" without reading it when it shows no text-like
    strokes (`textpresence.has_text`: a photo)."""
    if not has_text(picture):
        return ""
    return ocr.read_text_or_none(picture, lang)


def _reduced(image: Image.Image) -> tuple[Image.Image, float]:
    """The screenshot at half size when it is phone-sized: the picture inside keeps
    more than the 256 pixels fingerprints are computed on, at a quarter of the cost."""
    if image.width < 1000:
        return image, 1.0
    return image.reduce(2), 0.5


def _words(picture: str | None, more: list[str], lang: str | None) -> tuple[str, ...] | None:
    """Normalised words on the picture; `()` when OCR ran and found none, None when it
    is off."""
    if lang is None:
        return None
    return normalize_text("\n".join([picture or "", *more])).tokens


def _clip(image: Image.Image, box: Box) -> Box:
    return (max(0, box[0]), max(0, box[1]), min(image.width, box[2]), min(image.height, box[3]))


def screenshot_media(
    image: Image.Image, name: str, digest: str, lang: str | None
) -> tuple[list[PreparedMedia], list[View]] | None:
    """A screenshot of a post as media items: the whole screenshot, then each hypothesis
    of the picture inside it (`name#embedded<n>`), all carrying the words read off the
    picture; the caption read around it is the whole item's `ocr_text`. With them, when
    a scroll cut the picture, the views of its visible part (see `View`). None when no
    picture is found inside (the file is then a picture, not a screenshot)."""
    located = locate(image)
    if located is None:
        return None
    boxes = [*located.boxes, (0, 0, image.width, image.height)]
    pool = _readers()
    # Tesseract reads while the hypotheses are fingerprinted (it releases the GIL).
    core = crop_or_pad(image, _clip(image, located.core))
    picture = pool.submit(_picture_words, core, lang) if lang else None
    around = bands(image, located.core)
    band_lines = pool.submit(read_lines, image, around, lang) if lang else None
    small, k = _reduced(image)
    crops = [crop_or_pad(small, tuple(round(v * k) for v in b)) for b in boxes]  # type: ignore[arg-type]
    prints = [fingerprint_image(crop) for crop in crops]
    cut = located.cut
    keys = (
        [view_keys(crop.convert("L"), cut) for crop in crops[: located.views]] if any(cut) else []
    )
    picture_words = picture.result() if picture else None
    lines = band_lines.result() if band_lines else []
    whole = prints.pop()
    items = [
        PreparedMedia(
            name,
            "image",
            digest,
            MediaItem(name, image=whole, ocr=_words(picture_words, [], lang)),
            "\n".join(caption_lines("\n".join(t for _, t in lines))),
        )
    ]
    views: list[View] = []
    for n, (box, found) in enumerate(zip(boxes, prints, strict=False)):
        # If this box is the picture, the lines inside it are its words, the rest caption.
        inside = [t for y, t in lines if box[1] <= y <= box[3]]
        outside = [t for y, t in lines if not box[1] <= y <= box[3]]
        inner = f"{name}#embedded{n}"
        item = MediaItem(inner, found, ocr=_words(picture_words, inside, lang))
        caption = "\n".join(caption_lines("\n".join(outside)))
        items.append(PreparedMedia(inner, "image", digest, item, caption))
        if n < len(keys):
            views.append(View(item, cut, keys[n]))
    return items, views
