"""Alignment of two pictures under the transform a pair of their region keys proposes.

A region-key hit between two pictures is only a candidate: unrelated pictures share a
close region now and then (a collage tile, a textured area, a logo band, a smooth sky).
The boxes of the two regions say how one picture would sit on the other (a frame, a
crop, a resize); the small grey grids both prints keep say whether the whole overlap
agrees under that transform, and how much of each picture the overlap holds.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from tracer.media.fingerprint import DCT32, ImagePrint, hamming64
from tracer.media.lattice import at_points, bilinear, correlations, jittered

ALIGN_LATTICE = 32
"""The overlap of two aligned pictures is compared on this many points a side (and
hashed like a pHash: the 8×8 lowest DCT frequencies of the 32×32 lattice)."""
ALIGN_TRIES = 8
"""Region pairs within the radius tried as transforms, closest first."""
ALIGN_CACHE = 4096
"""Alignments remembered, by pair of prints: the cascades re-match the parent edges the
linker has just aligned (each costs a few milliseconds; an entry, a few hundred bytes
beside prints held anyway)."""
COVER_BONUS = 0.15
"""Correlation a transform may give up for each unit of overlap it adds."""


def _jitter(scale: float, shift_x: float, shift_y: float) -> np.ndarray:
    """(dx, dy, scale) rows: every combination of no change and ± each amount."""
    return np.array(
        [
            (dx, dy, s)
            for s in (1 - scale, 1.0, 1 + scale)
            for dx in (-shift_x, 0.0, shift_x)
            for dy in (-shift_y, 0.0, shift_y)
        ]
    )


_JITTER = _jitter(0.03, 0.02, 0.02)
"""Small shifts and scales around each proposed transform: region keys sit on a fixed
grid of boxes, a real frame or crop falls between them."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two pictures agree under the transform one of their region pairs proposes."""

    region_distance: int
    distance: int
    """pHash bits (of 64) between the two pictures' overlaps, aligned."""
    correlation: float
    """Pearson correlation of the aligned overlaps' grey levels."""
    cover: tuple[float, float]
    """Share of each picture (the first, the second) inside the overlap."""
    overlap: tuple[tuple[float, float, float, float], tuple[float, float, float, float]] = (
        (0.0, 0.0, 1.0, 1.0),
        (0.0, 0.0, 1.0, 1.0),
    )
    """The overlap as a box of each picture, in shares of its sides."""
    chroma: float | None = None
    """How far apart the aligned overlaps' colours are (`chroma_distance`); None when
    either picture is grey or keeps no colour grid."""


def _lattice_hash(patch: np.ndarray) -> int:
    low = (DCT32 @ patch @ DCT32.T)[:8, :8].reshape(64)
    middle = np.sort(low)[31:33]
    bits = low > (middle[0] + middle[1]) / 2  # the median, as np.median takes it
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def _try_transform(
    ga: np.ndarray,
    gb: np.ndarray,
    box_a: tuple[float, float, float, float],
    box_b: tuple[float, float, float, float],
    min_cover: float,
) -> (
    tuple[
        float,
        np.ndarray,
        np.ndarray,
        tuple[float, float],
        tuple[tuple[float, float, float, float], tuple[float, float, float, float]],
    ]
    | None
):
    """The best jittered version of the transform that maps `box_b` onto `box_a`: its
    correlation, both aligned patches and both covers; None when no version overlaps
    enough of both pictures."""
    # A box's corner may come as an int: one signature.
    bx0, by0, bx1, by1 = (float(v) for v in box_b)
    overlap, placed, cover, ok = jittered(
        (float(box_a[0]), float(box_a[1]), float(box_a[2]), float(box_a[3])),
        (bx0, by0, bx1, by1),
        _JITTER,
        min_cover,
    )
    if not ok.any():
        return None
    corr, k, pa, pb = correlations(ga, gb, overlap, placed, (bx0, by0), ok, ALIGN_LATTICE)
    ox0, oy0, ox1, oy1 = (float(v) for v in overlap[k])
    jx0, jy0, sx, sy = (float(v) for v in placed[k])
    box_b = (
        bx0 + (ox0 - jx0) / sx,
        by0 + (oy0 - jy0) / sy,
        bx0 + (ox1 - jx0) / sx,
        by0 + (oy1 - jy0) / sy,
    )
    covers = (float(cover[k, 0]), float(cover[k, 1]))
    return float(corr[k]), pa, pb, covers, ((ox0, oy0, ox1, oy1), box_b)


CHROMA_LATTICE = 12
"""The aligned overlaps' colours are compared on this many points a side."""
CHROMA_GREY = 4.0
"""Mean distance from grey (in Cb, Cr levels, of 255) under which a picture's colour says
nothing: a black-and-white photo, a grey copy of a colour one."""


def chroma_distance(
    a: ImagePrint,
    b: ImagePrint,
    boxes: tuple[tuple[float, float, float, float], tuple[float, float, float, float]],
) -> float | None:
    """The median distance (in Cb, Cr levels) between the colours of two aligned
    overlaps, point by point: about 0 for a copy (a sticker or a banner changes only
    the points it covers), tens for two different photos laid out alike. None when
    either picture is grey or keeps no colour grid."""
    ca, cb = a.chroma_array(), b.chroma_array()
    if ca is None or cb is None:
        return None
    steps = (np.arange(CHROMA_LATTICE) + 0.5) / CHROMA_LATTICE

    def sample(planes: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
        x0, y0, x1, y1 = box
        xs = (x0 + (x1 - x0) * steps)[None, :]
        ys = (y0 + (y1 - y0) * steps)[None, :]
        return np.stack([bilinear(plane, xs, ys)[0] for plane in planes])

    pa, pb = sample(ca, boxes[0]), sample(cb, boxes[1])
    if min(np.hypot(*pa).mean(), np.hypot(*pb).mean()) < CHROMA_GREY:
        return None
    return round(float(np.median(np.hypot(*(pa - pb)))), 2)


@functools.lru_cache(maxsize=ALIGN_CACHE)
def align_pictures(a: ImagePrint, b: ImagePrint, radius: int, min_cover: float) -> Alignment | None:
    """The best agreement of two pictures under a transform proposed by one of their
    close region pairs: a region-key hit is only a candidate, the whole overlap decides
    (a shared logo band, a collage tile or a texture covers too little, or disagrees
    around the shared part). None when the pictures keep no grids or nothing overlaps.
    A pure function of equal prints, so its answers are remembered (`ALIGN_CACHE`)."""
    ga, gb = a.grid_array(), b.grid_array()
    if ga is None or gb is None:
        return None
    x = np.array(a.regions, np.uint64)[:, None] ^ np.array(b.regions, np.uint64)[None, :]
    d = np.bitwise_count(x)
    ii, jj = np.nonzero(d <= radius)
    if not len(ii):
        return None
    order = np.lexsort((jj, ii, d[ii, jj]))[:ALIGN_TRIES]
    fa, fb = ga.astype(np.float64), gb.astype(np.float64)
    best: Alignment | None = None
    for k in order.tolist():
        i, j = int(ii[k]), int(jj[k])
        found = _try_transform(fa, fb, a.region_box(i), b.region_box(j), min_cover)
        if found is None:
            continue
        corr, pa, pb, cover, boxes = found
        # The best agreement, with a bonus for a larger overlap: on smooth pictures a
        # deeper crop or a stretch agrees nearly as well, and would hide what was kept.
        if best is not None and corr + COVER_BONUS * min(cover) <= (
            best.correlation + COVER_BONUS * min(best.cover)
        ):
            continue
        distance = hamming64(_lattice_hash(pa), _lattice_hash(pb))
        best = Alignment(int(d[i, j]), distance, round(corr, 4), cover, boxes)
    if best is None:
        return None
    return dataclasses.replace(best, chroma=chroma_distance(a, b, best.overlap))


def continuity(grid: np.ndarray, box: tuple[float, float, float, float]) -> float | None:
    """How well the picture outside `box` continues what is inside it, across the box's
    edges that lie inside the picture: the correlation of the grey levels just outside
    and just inside them — 0 when the step across the edge is much larger than the
    steps inside (a flat band, a frame's colour, a banner), near 1 for a wider shot of
    the same scene. None when no edge lies far enough inside the picture to look across."""
    side = grid.shape[0]
    x0, y0, x1, y1 = (round(v * side) for v in box)
    lines: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # outside, inside, deeper
    tall, wide = y1 - y0 > 8, x1 - x0 > 8
    if y0 >= 2 and wide and tall:
        lines.append((grid[y0 - 2, x0:x1], grid[y0 + 1, x0:x1], grid[y0 + 4, x0:x1]))
    if side - y1 >= 2 and wide and tall:
        lines.append((grid[y1 + 1, x0:x1], grid[y1 - 2, x0:x1], grid[y1 - 5, x0:x1]))
    if x0 >= 2 and wide and tall:
        lines.append((grid[y0:y1, x0 - 2], grid[y0:y1, x0 + 1], grid[y0:y1, x0 + 4]))
    if side - x1 >= 2 and wide and tall:
        lines.append((grid[y0:y1, x1 + 1], grid[y0:y1, x1 - 2], grid[y0:y1, x1 - 5]))
    if not lines:
        return None
    out, inn, deeper = (
        np.concatenate(part).astype(np.float64) for part in zip(*lines, strict=True)
    )
    across = float(np.abs(out - inn).mean())
    within = float(np.abs(inn - deeper).mean())
    if across > 2 * within + 8 or out.std() < 1e-6 or inn.std() < 1e-6:
        return 0.0  # a step at the edge, or a flat band: a frame, not more of the scene
    return float(np.corrcoef(out, inn)[0, 1])


VIEW_STEPS = 41
"""Where a view cut at both ends may sit along the stored picture: this many offsets."""
_VIEW_JITTER = _jitter(0.02, 0.01, 0.015)
"""Small shifts and scales around each placement: the view's edges are found to a few
pixels, and an app may show a picture a few pixels narrower than its frame."""


VIEW_CORRELATION = 0.9
"""A view placed on a stored picture agrees when the grey levels of the overlap
correlate this well…"""
VIEW_DISTANCE = 8
"""…and their lattice hashes (bits of 64) are this close,"""
VIEW_COVER = 0.85
"""…with this share of the view inside the stored picture,"""
VIEW_SHOWN = 0.35
"""…showing at least this share of it."""


def placed(alignment: Alignment) -> bool:
    """Whether an alignment places a view (a scrolled picture's visible part) on a
    stored picture by the two shapes, no region pair proposing it, and the whole
    overlap agrees (`align_view`'s placement, as `tracer.outside.match_view` asks)."""
    return (
        alignment.region_distance == 0
        and alignment.correlation >= VIEW_CORRELATION
        and alignment.distance <= VIEW_DISTANCE
        and alignment.cover[0] >= VIEW_COVER
        and alignment.cover[1] >= VIEW_SHOWN
    )


def _shares(print_: ImagePrint) -> tuple[float, float, float, float]:
    """The trimmed box (what the grid covers) as shares of the whole picture."""
    x0, y0, x1, y1 = print_.trimmed
    w, h = max(1, print_.width), max(1, print_.height)
    return x0 / w, y0 / h, max(x1, x0 + 1) / w, max(y1, y0 + 1) / h


def align_view(
    view: ImagePrint, stored: ImagePrint, cut: tuple[bool, bool], shown: float = 1.0
) -> Alignment | None:
    """The part of a picture a screenshot shows (`view`), placed on the whole `stored`
    picture: the view spans the width the app shows (`shown`, a share of the stored
    picture's width, centred: Instagram shows a very wide picture cropped), and its
    edges that a scroll did not cut (`cut` = top, bottom) are the picture's own. So the
    placement is fixed by the two pictures' shapes — no region key needs to line up —
    up to where a view cut at both ends sits. None when the view is taller than the
    stored picture could show, or either print keeps no grid.

    `Alignment.cover` is (share of the view, share of the stored picture) inside the
    overlap; `region_distance` is 0 (no region pair proposed the placement)."""
    gv, gs = view.grid_array(), stored.grid_array()
    if gv is None or gs is None:
        return None
    tall = (view.height / max(1, view.width)) * (stored.width * shown) / max(1, stored.height)
    if tall > 1.06:
        return None
    cut_top, cut_bottom = cut
    if cut_top and cut_bottom:
        starts = np.linspace(0.0, max(0.0, 1 - tall), VIEW_STEPS)
    elif cut_top:
        starts = np.array([max(0.0, 1 - tall)])
    else:
        starts = np.array([0.0])
    jitter = np.repeat(_VIEW_JITTER, len(starts), axis=0)
    y_start = np.tile(starts, len(_VIEW_JITTER))
    scale = jitter[:, 2]
    # The view's whole box (shares 0–1) placed on the stored picture: X = ax + u·kx,
    # Y = ay + v·ky; centred across, its uncut edge on the picture's own.
    kx, ky = shown * scale, tall * scale
    ax = (1 - kx) / 2 + jitter[:, 0]
    if cut_top and cut_bottom:
        ay = y_start - (ky - tall) / 2 + jitter[:, 1]
    elif cut_top:
        ay = 1 - ky + jitter[:, 1]
    else:
        ay = jitter[:, 1]
    vx0, vy0, vx1, vy1 = _shares(view)
    sx0, sy0, sx1, sy1 = _shares(stored)
    # The overlap, in the view's shares: its trimmed box, and the stored trimmed box
    # mapped back onto the view.
    ox0 = np.maximum(vx0, (sx0 - ax) / kx)
    ox1 = np.minimum(vx1, (sx1 - ax) / kx)
    oy0 = np.maximum(vy0, (sy0 - ay) / ky)
    oy1 = np.minimum(vy1, (sy1 - ay) / ky)
    area = np.clip(ox1 - ox0, 0, None) * np.clip(oy1 - oy0, 0, None)
    cover_v = area / ((vx1 - vx0) * (vy1 - vy0))
    cover_s = area * kx * ky / ((sx1 - sx0) * (sy1 - sy0))
    ok = area > 0
    if not ok.any():
        return None
    steps = (np.arange(ALIGN_LATTICE) + 0.5) / ALIGN_LATTICE
    u = ox0[:, None] + (ox1 - ox0)[:, None] * steps[None, :]  # (placements, L)
    v = oy0[:, None] + (oy1 - oy0)[:, None] * steps[None, :]
    n = len(u)
    shape = (n, ALIGN_LATTICE, ALIGN_LATTICE)
    pv = at_points(
        gv.astype(np.float64),
        np.broadcast_to(((u - vx0) / (vx1 - vx0))[:, None, :], shape),
        np.broadcast_to(((v - vy0) / (vy1 - vy0))[:, :, None], shape),
    )
    xs = (ax[:, None] + u * kx[:, None] - sx0) / (sx1 - sx0)
    ys = (ay[:, None] + v * ky[:, None] - sy0) / (sy1 - sy0)
    ps = at_points(
        gs.astype(np.float64),
        np.broadcast_to(xs[:, None, :], shape),
        np.broadcast_to(ys[:, :, None], shape),
    )
    dv = pv - pv.mean(axis=(1, 2), keepdims=True)
    ds = ps - ps.mean(axis=(1, 2), keepdims=True)
    norm = np.sqrt((dv * dv).sum(axis=(1, 2)) * (ds * ds).sum(axis=(1, 2)))
    corr = np.where((norm > 0) & ok, (dv * ds).sum(axis=(1, 2)) / np.maximum(norm, 1e-9), -1.0)
    k = int(np.argmax(corr))
    box_v = (float(ox0[k]), float(oy0[k]), float(ox1[k]), float(oy1[k]))
    box_s = (
        float(ax[k] + ox0[k] * kx[k]),
        float(ay[k] + oy0[k] * ky[k]),
        float(ax[k] + ox1[k] * kx[k]),
        float(ay[k] + oy1[k] * ky[k]),
    )
    return Alignment(
        0,
        hamming64(_lattice_hash(pv[k]), _lattice_hash(ps[k])),
        round(float(corr[k]), 4),
        (float(cover_v[k]), float(cover_s[k])),
        (box_v, box_s),
    )
