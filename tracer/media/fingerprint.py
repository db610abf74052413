"""Image and video fingerprints: pure functions of decoded pictures.

An image keeps (DESIGN.md, "what whole-image hashes can and cannot do"):

- **PDQ** (256 bits, with its quality) of the picture after uniform borders are
  trimmed: the precise whole-image comparison, trusted only when its quality is high;
- **pHash** (64 bits) of the trimmed picture;
- **region keys**: pHashes of the centre and the four corners at several scales. A copy
  with a frame, a banner or a crop no longer looks like the original as a whole, but one
  of its regions looks like one of the original's: the best pair of regions is our
  crop-resistant distance, and the region keys are what the media index looks up;
- **a grey grid and a colour grid** of the trimmed picture: a region-key hit is only a
  candidate, and the grids say whether the whole overlap agrees, in grey levels and in
  colour (`tracer.media.align`).

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
import numba as nb
import numpy as np
import pdqhash
from PIL import Image

from tracer.errors import InputError
from tracer.media.border import framed_box, trim_box

VERSION = 6
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
CHROMA_SIDE = 16
"""And as a CHROMA_SIDE × CHROMA_SIDE grid of its colour (YCbCr's Cb and Cr, 512 bytes):
two photos laid out alike (sky over roofs, a hall of people) agree in grey levels under
an alignment, but rarely in colour, which no copy edit of ours changes."""


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
    bits, quality = pdqhash.compute(
        np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    )
    return PDQ(np.packbits(bits.astype(np.uint8)).tobytes(), int(quality))


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
    (mode "L") picture, computed as `region_keys` computes them."""
    if not boxes:
        return ()
    return stack_keys(np.asarray(grey, np.uint8)[None], boxes)[0]


def stack_keys(
    pixels: np.ndarray, boxes: Sequence[tuple[float, float, float, float]]
) -> list[tuple[int, ...]]:
    """`box_keys` of each of a stack of grey pictures of one size (n × height × width,
    bytes), in one pass: a clip's frames cost half of what they cost one by one."""
    at = np.array(boxes, np.float64)
    n, h, w = pixels.shape
    integral = _integrals(np.ascontiguousarray(pixels, np.uint8))
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
    sums = integral[:, y1, x1] - integral[:, y0, x1] - integral[:, y1, x0] + integral[:, y0, x0]
    means = sums / np.maximum((y1 - y0) * (x1 - x0), 1)
    low = (DCT32 @ means @ DCT32.T)[..., :8, :8].reshape(n * len(at), 64)
    bits = low > np.median(low, axis=1, keepdims=True)
    packed = np.packbits(bits, axis=1)
    keys = [int.from_bytes(row.tobytes(), "big") for row in packed]
    return [tuple(keys[i * len(at) : (i + 1) * len(at)]) for i in range(n)]


@nb.njit(cache=True)
def _integrals(pixels: np.ndarray) -> np.ndarray:
    """Each picture's integral image (a zero row and column first), in one pass: sums of
    integers, the same whatever their order."""
    n, h, w = pixels.shape
    out = np.zeros((n, h + 1, w + 1), np.int64)
    for k in range(n):
        for y in range(h):
            row = 0
            for x in range(w):
                row += pixels[k, y, x]
                out[k, y + 1, x + 1] = out[k, y, x + 1] + row
    return out


def warm_up() -> None:
    """Compile `_integrals` (numba's cache) for the arrays it meets: a picture's, read
    from Pillow as read-only (numba's own type), and a clip's stacked frames."""
    box_keys(Image.new("L", (2, 2)), [(0.0, 0.0, 2.0, 2.0)])
    _integrals(np.zeros((1, 2, 2), np.uint8))


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
    chroma: bytes = b""
    """The trimmed picture's colour as `CHROMA_SIDE`² (Cb, Cr) byte pairs, row by row
    (empty: not kept)."""

    def grid_array(self) -> np.ndarray | None:
        if not self.grid:
            return None
        return np.frombuffer(self.grid, np.uint8).reshape(GRID_SIDE, GRID_SIDE)

    def chroma_array(self) -> np.ndarray | None:
        """The colour grid as (Cb, Cr) planes centred on 0 (grey), or None."""
        if not self.chroma:
            return None
        pairs = np.frombuffer(self.chroma, np.uint8).reshape(CHROMA_SIDE, CHROMA_SIDE, 2)
        return pairs.transpose(2, 0, 1).astype(np.float64) - 128.0

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
            + struct.pack("<H", len(self.chroma))
            + self.chroma
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
        offset += 2 + grid_len
        (chroma_len,) = struct.unpack_from("<H", data, offset)
        chroma = data[offset + 2 : offset + 2 + chroma_len]
        if len(chroma) != chroma_len or chroma_len not in (0, 2 * CHROMA_SIDE * CHROMA_SIDE):
            raise struct.error("colour grid of the wrong size")
        return cls(
            PDQ(bits, quality),
            phash,
            tuple(regions),
            width,
            height,
            (x0, y0, x1, y1),
            framed,
            grid,
            chroma,
        )

    def region_box(self, index: int) -> tuple[float, float, float, float]:
        """Where region key `index` sits, as shares of the trimmed picture."""
        if index < len(STANDARD_BOXES):
            return STANDARD_BOXES[index]
        fx0, fy0, fx1, fy1 = self.framed or (0.0, 0.0, 1.0, 1.0)
        x0, y0, x1, y1 = FRAMED_BOXES[(index - len(STANDARD_BOXES)) % len(FRAMED_BOXES)]
        w, h = fx1 - fx0, fy1 - fy0
        return (fx0 + x0 * w, fy0 + y0 * h, fx0 + x1 * w, fy0 + y1 * h)


def fingerprint_image(image: Image.Image, work: Image.Image | None = None) -> ImagePrint:
    """Everything is computed on a `WORK_SIDE` copy: pHash looks at 32×32 pixels and PDQ
    at 64×64 anyway, and copies at any resolution are then compared like with like.
    `work` is that copy when the caller made it already (`work_copy(image)`)."""
    if work is None:
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
    rgb = inner if inner.mode == "RGB" else inner.convert("RGB")
    colour = rgb.resize((CHROMA_SIDE, CHROMA_SIDE), Image.Resampling.BOX)
    chroma = np.asarray(colour.convert("YCbCr"))[:, :, 1:].tobytes()
    return ImagePrint(
        pdq(inner.reduce(2) if min(inner.size) >= 2 * PDQ_SIDE else inner),
        phash64(grey),
        regions,
        width,
        height,
        (x0, y0, x1, y1),
        framed_share,
        grid.tobytes(),
        chroma,
    )


def best_region_distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """The smallest distance between any region of `a` and any region of `b`."""
    x = np.array(a, np.uint64)[:, None] ^ np.array(b, np.uint64)[None, :]
    return int(np.bitwise_count(x).min())
