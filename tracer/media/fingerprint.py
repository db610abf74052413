"""Image and video fingerprints: pure functions of decoded pictures.

An image keeps three things (DESIGN.md, "what whole-image hashes can and cannot do"):

- **PDQ** (256 bits, with its quality) of the picture after uniform borders are
  trimmed: the precise whole-image comparison, trusted only when its quality is high;
- **pHash** (64 bits) of the trimmed picture;
- **region keys**: pHashes of the centre and the four corners at several scales. A copy
  with a frame, a banner or a crop no longer looks like the original as a whole, but one
  of its regions looks like one of the original's: the best pair of regions is our
  crop-resistant distance, and the region keys are what the media index looks up.

A video keeps, for each frame sampled twice a second, the centred region keys of
that frame; two videos match when enough frames of each find a match in the other.

Values are frozen, carry `ALGORITHM`/`VERSION`, and encode to bytes and back exactly.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import imagehash
import numpy as np
import pdqhash
from PIL import Image

from tracer.errors import InputError

VERSION = 5
REGION_SCALES = (1.0, 0.92, 0.85, 0.78, 0.7)
"""Region sizes as a share of each side; 1.0 is the whole trimmed picture."""
REGION_ANCHORS = (
    (0.5, 0.5), (0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.5, 0.0), (0.5, 1.0),
)  # fmt: skip
"""Where a smaller region sits: centre, the four corners, top and bottom centre (a frame
is usually thicker at the bottom, where the office writes its name)."""
SIDE_CUT = 0.85
"""Pictures also keep regions with one side cut by this share: a crop from one side
changes the aspect ratio, and no uniformly scaled region lines up with it."""
FRAME_SCALES = (1.0, 0.85, 0.7)
FRAME_ANCHORS = ((0.5, 0.5), (0.5, 0.0))
"""Video frames keep centred and top-centred regions (a logo band at the bottom): 5 keys
a frame, 600 for a minute of clip."""
WORK_SIDE = 256
"""Fingerprints are computed on a copy this long on its shorter side."""
PDQ_SIDE = 128
"""PDQ reads a copy about this long (it reduces to 64×64 itself; 10× faster than at 256)."""
GRID_SIDE = 48
"""The trimmed picture is also kept as a GRID_SIDE × GRID_SIDE grey grid (2.3 KB): a
region-key hit proposes a transform, and the grids say whether the whole overlap agrees
under it (`tracer.media.match.align_pictures`)."""
"""PDQ reads a copy about this long (it reduces to 64×64 itself; 10× faster than at 256)."""
BORDER_TOLERANCE = 18
BORDER_SHARE = 0.985
MAX_TRIM = 0.25


def hamming64(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def phash64(image: Image.Image) -> int:
    """imagehash's pHash (8×8 DCT bits of a 32×32 grey picture) as a 64-bit integer."""
    bits = imagehash.phash(image).hash.reshape(-1)
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


@dataclass(frozen=True, slots=True)
class PDQ:
    """A 256-bit PDQ hash and its quality (0–100; below ~50 the hash says little)."""

    bits: bytes
    quality: int

    def __sub__(self, other: PDQ) -> int:
        return (int.from_bytes(self.bits, "big") ^ int.from_bytes(other.bits, "big")).bit_count()

    def to_hex(self) -> str:
        return self.bits.hex()


def pdq(image: Image.Image) -> PDQ:
    bits, quality = pdqhash.compute(np.asarray(image.convert("RGB")))
    return PDQ(np.packbits(bits.astype(np.uint8)).tobytes(), int(quality))


def trim_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The picture inside uniform borders (a plain frame, letterboxing), as a crop box.

    A row or column is border when nearly all its pixels are within a tolerance of the
    corner colour; at most a quarter of each side is trimmed, so a picture with a plain
    sky is not eaten away."""
    grey = np.asarray(image.convert("L"), dtype=np.int16)
    h, w = grey.shape
    corner = int(np.median([grey[0, 0], grey[0, -1], grey[-1, 0], grey[-1, -1]]))
    near = np.abs(grey - corner) <= BORDER_TOLERANCE
    rows = near.mean(axis=1) >= BORDER_SHARE
    cols = near.mean(axis=0) >= BORDER_SHARE

    def run(flags: np.ndarray, limit: int) -> int:
        n = 0
        while n < limit and flags[n]:
            n += 1
        return n

    top, bottom = run(rows, int(h * MAX_TRIM)), run(rows[::-1], int(h * MAX_TRIM))
    left, right = run(cols, int(w * MAX_TRIM)), run(cols[::-1], int(w * MAX_TRIM))
    return left, top, w - right, h - bottom


def region_boxes(
    size: tuple[int, int],
    scales: tuple[float, ...],
    anchors: tuple[tuple[float, float], ...],
    side_cuts: bool,
) -> list[tuple[float, float, float, float]]:
    """The whole picture first, then each smaller scale at each anchor, then (with
    `side_cuts`) the picture with one side cut by `SIDE_CUT`."""
    w, h = size
    boxes = [(0.0, 0.0, float(w), float(h))]
    for scale in scales[1:]:
        cw, ch = w * scale, h * scale
        for fx, fy in anchors:
            x0, y0 = (w - cw) * fx, (h - ch) * fy
            boxes.append((x0, y0, x0 + cw, y0 + ch))
    if side_cuts:
        cut_w, cut_h = w * (1 - SIDE_CUT), h * (1 - SIDE_CUT)
        boxes += [(0, 0, w - cut_w, h), (cut_w, 0, w, h), (0, 0, w, h - cut_h), (0, cut_h, w, h)]
    return boxes


STANDARD_BOXES = tuple(region_boxes((1, 1), REGION_SCALES, REGION_ANCHORS, side_cuts=True))
"""Each standard region key's box, as shares of the trimmed picture."""
FRAMED_SCALES = (1.0, 0.92)
FRAMED_BOXES = tuple(region_boxes((1, 1), FRAMED_SCALES, ((0.5, 0.5),), side_cuts=False))
"""The boxes of the two keys of a framed picture's inside, as shares of that inside."""


_N = np.arange(32)
DCT32 = 2 * np.cos(np.pi * _N[:, None] * (2 * _N[None, :] + 1) / 64)
"""The unnormalised DCT-II that imagehash's pHash applies (via scipy) along each axis."""


def region_keys(
    grey: Image.Image,
    scales: tuple[float, ...] = (),
    anchors: tuple[tuple[float, float], ...] = (),
    side_cuts: bool = False,
) -> tuple[int, ...]:
    """A pHash of each region: its 32×32 box-filtered means (from one integral image, for
    all regions at once), the 8×8 lowest DCT frequencies, each bit set where a frequency
    is above their median — imagehash's pHash, with a box filter for the reduction."""
    boxes = region_boxes(grey.size, scales or REGION_SCALES, anchors or REGION_ANCHORS, side_cuts)
    return box_keys(grey, boxes)


def box_keys(
    grey: Image.Image, boxes: Sequence[tuple[float, float, float, float]]
) -> tuple[int, ...]:
    """The pHash-like key of each box (left, top, right, bottom in pixels) of a grey
    picture, computed as `region_keys` computes them."""
    if not boxes:
        return ()
    at = np.array(boxes, np.float64)
    pixels = np.asarray(grey, np.int64)
    h, w = pixels.shape
    integral = np.zeros((h + 1, w + 1), np.int64)
    # Rows, then columns as rows of the transpose: cumulative sums along the contiguous
    # axis are several times faster than down the strided one.
    across = pixels.cumsum(1, dtype=np.int64)
    integral[1:, 1:] = np.ascontiguousarray(across.T).cumsum(1).T
    steps = np.linspace(0.0, 1.0, 33)
    xs = np.rint(at[:, 0:1] + (at[:, 2:3] - at[:, 0:1]) * steps).astype(np.int64)
    ys = np.rint(at[:, 1:2] + (at[:, 3:4] - at[:, 1:2]) * steps).astype(np.int64)
    xs = np.clip(xs, 0, w)
    ys = np.clip(ys, 0, h)
    # Every cell spans at least one pixel, even in a tiny picture.
    xs[:, 1:] = np.maximum(xs[:, 1:], np.minimum(xs[:, :-1] + 1, w))
    ys[:, 1:] = np.maximum(ys[:, 1:], np.minimum(ys[:, :-1] + 1, h))
    y0, y1 = ys[:, :-1, None], ys[:, 1:, None]
    x0, x1 = xs[:, None, :-1], xs[:, None, 1:]
    sums = integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]
    means = sums / np.maximum((y1 - y0) * (x1 - x0), 1)
    low = (DCT32 @ means @ DCT32.T)[:, :8, :8].reshape(len(at), 64)
    bits = low > np.median(low, axis=1, keepdims=True)
    packed = np.packbits(bits, axis=1)
    return tuple(int.from_bytes(row.tobytes(), "big") for row in packed)


def work_copy(image: Image.Image) -> tuple[Image.Image, float]:
    """A copy `WORK_SIDE` pixels on its shorter side (never enlarged), and its scale."""
    scale = min(1.0, WORK_SIDE / min(image.size))
    if scale == 1.0:
        return image, 1.0
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0), scale


@dataclass(frozen=True, slots=True)
class ImagePrint:
    """What tracer keeps of an image."""

    ALGORITHM: ClassVar[str] = "pdq+phash-regions"
    pdq: PDQ
    phash: int
    """imagehash's pHash of the whole trimmed picture."""
    regions: tuple[int, ...]
    """Region keys; `regions[0]` covers the whole trimmed picture."""
    width: int
    height: int
    trimmed: tuple[int, int, int, int]
    framed: tuple[float, float, float, float] | None = None
    """The inside of a patterned frame, as shares of the trimmed picture (its two region
    keys follow the standard ones), or None."""
    grid: bytes = b""
    """The trimmed picture as `GRID_SIDE`² grey bytes, row by row (empty: not kept)."""

    def grid_array(self) -> np.ndarray | None:
        if not self.grid:
            return None
        return np.frombuffer(self.grid, np.uint8).reshape(GRID_SIDE, GRID_SIDE)

    def to_bytes(self) -> bytes:
        head = struct.pack(
            "<BHII4IBQ",
            VERSION,
            len(self.regions),
            self.width,
            self.height,
            *self.trimmed,
            self.pdq.quality,
            self.phash,
        )
        framed = (
            struct.pack("<B4H", 1, *(round(v * 65535) for v in self.framed))
            if self.framed is not None
            else struct.pack("<B", 0)
        )
        return (
            head
            + self.pdq.bits
            + struct.pack(f"<{len(self.regions)}Q", *self.regions)
            + framed
            + struct.pack("<H", len(self.grid))
            + self.grid
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> ImagePrint:
        try:
            return cls._decode(data)
        except struct.error as exc:
            raise InputError(f"image fingerprint: truncated or corrupt ({exc})") from None

    @classmethod
    def _decode(cls, data: bytes) -> ImagePrint:
        size = struct.calcsize("<BHII4IBQ")
        version, n, width, height, x0, y0, x1, y1, quality, phash = struct.unpack_from(
            "<BHII4IBQ", data
        )
        if version != VERSION:
            raise InputError(f"image fingerprint version {version}, expected {VERSION}")
        bits = data[size : size + 32]
        offset = size + 32
        regions = struct.unpack_from(f"<{n}Q", data, offset)
        offset += 8 * n
        (has_framed,) = struct.unpack_from("<B", data, offset)
        offset += 1
        framed: tuple[float, float, float, float] | None = None
        if has_framed:
            raw = struct.unpack_from("<4H", data, offset)
            framed = (raw[0] / 65535, raw[1] / 65535, raw[2] / 65535, raw[3] / 65535)
            offset += 8
        (grid_len,) = struct.unpack_from("<H", data, offset)
        grid = data[offset + 2 : offset + 2 + grid_len]
        if len(grid) != grid_len or grid_len not in (0, GRID_SIDE * GRID_SIDE):
            raise struct.error("grid of the wrong size")
        return cls(
            PDQ(bits, quality),
            phash,
            tuple(regions),
            width,
            height,
            (x0, y0, x1, y1),
            framed,
            grid,
        )

    def region_box(self, index: int) -> tuple[float, float, float, float]:
        """Where region key `index` sits, as shares of the trimmed picture."""
        if index < len(STANDARD_BOXES):
            return STANDARD_BOXES[index]
        fx0, fy0, fx1, fy1 = self.framed or (0.0, 0.0, 1.0, 1.0)
        x0, y0, x1, y1 = FRAMED_BOXES[(index - len(STANDARD_BOXES)) % len(FRAMED_BOXES)]
        w, h = fx1 - fx0, fy1 - fy0
        return (fx0 + x0 * w, fy0 + y0 * h, fx0 + x1 * w, fy0 + y1 * h)


FRAME_EDGE = 0.5
"""Share of a row (or column) that must change sharply for it to be a frame's inner edge."""
FRAME_CONTRAST = 40


def _sharp(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where two neighbouring lines of pixels differ sharply in any colour channel (the
    channels taken one by one: numpy's reductions over a last axis of 3 are slow)."""
    d = np.abs(a - b)
    found: np.ndarray = (
        (d[..., 0] > FRAME_CONTRAST) | (d[..., 1] > FRAME_CONTRAST) | (d[..., 2] > FRAME_CONTRAST)
    )
    return found


def framed_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The picture inside a frame that is not uniform (stripes, an office's name and
    emblem), as a crop box, or None.

    A frame's inner edge is a straight line where most of a row (or column) changes
    sharply; in the outer bands, the edge closest to the centre is taken (the office's
    name sits further out). At least two edges must be found and the inside must hold
    35–95 % of the picture."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    h, w, _ = rgb.shape
    if h < 16 or w < 16:
        return None
    # Only the middle three fifths of each line are compared: the office's name and
    # emblem sit towards a corner.
    middle_cols = rgb[:, w // 5 : 4 * w // 5]
    middle_rows = rgb[h // 5 : 4 * h // 5, :]
    rows = _sharp(middle_cols[1:], middle_cols[:-1]).mean(axis=1)
    cols = _sharp(middle_rows[:, 1:], middle_rows[:, :-1]).mean(axis=0)

    def edge(score: np.ndarray, lo: int, hi: int, inner_last: bool) -> int | None:
        found = np.flatnonzero(score[lo:hi] >= FRAME_EDGE)
        if len(found) == 0:
            return None
        return lo + int(found[-1] if inner_last else found[0]) + 1

    top = edge(rows, 0, int(h * 0.35), inner_last=True)
    bottom = edge(rows, int(h * 0.6), h - 1, inner_last=False)
    left = edge(cols, 0, int(w * 0.25), inner_last=True)
    right = edge(cols, int(w * 0.75), w - 1, inner_last=False)
    if sum(e is not None for e in (top, bottom, left, right)) < 2:
        return None
    box = (left or 0, top or 0, right or w, bottom or h)
    area = (box[2] - box[0]) * (box[3] - box[1]) / (w * h)
    return box if 0.35 <= area <= 0.95 else None


def fingerprint_image(image: Image.Image) -> ImagePrint:
    """Everything is computed on a `WORK_SIDE` copy: pHash looks at 32×32 pixels and PDQ
    at 64×64 anyway, and copies at any resolution are then compared like with like."""
    work, _ = work_copy(image)
    box = trim_box(work)
    inner = work.crop(box) if box != (0, 0, *work.size) else work
    width, height = image.info.get("source_size", image.size)  # before a reduced decode
    sx, sy = width / work.width, height / work.height
    x0, x1 = (min(width, round(v * sx)) for v in (box[0], box[2]))
    y0, y1 = (min(height, round(v * sy)) for v in (box[1], box[3]))
    if box[2] == work.width:  # an untrimmed side stays exactly the picture's edge
        x1 = width
    if box[3] == work.height:
        y1 = height
    grey = inner.convert("L")
    regions = region_keys(grey, REGION_SCALES, REGION_ANCHORS, side_cuts=True)
    framed = framed_box(inner)
    framed_share: tuple[float, float, float, float] | None = None
    if framed is not None:  # the picture inside a patterned frame, as two more keys
        regions += region_keys(inner.crop(framed).convert("L"), FRAMED_SCALES, ((0.5, 0.5),))
        iw, ih = inner.size
        # Kept to 1/65535 of a side, as stored: a print equals its decoded bytes.
        framed_share = (
            round(framed[0] / iw * 65535) / 65535,
            round(framed[1] / ih * 65535) / 65535,
            round(framed[2] / iw * 65535) / 65535,
            round(framed[3] / ih * 65535) / 65535,
        )
    grid = grey.resize((GRID_SIDE, GRID_SIDE), Image.Resampling.BOX)
    return ImagePrint(
        pdq(inner.reduce(2) if min(inner.size) >= 2 * PDQ_SIDE else inner),
        phash64(grey),
        regions,
        width,
        height,
        (x0, y0, x1, y1),
        framed_share,
        grid.tobytes(),
    )


def best_region_distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """The smallest distance between any region of `a` and any region of `b`."""
    x = np.array(a, np.uint64)[:, None] ^ np.array(b, np.uint64)[None, :]
    return int(np.bitwise_count(x).min())
