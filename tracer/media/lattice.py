"""Small grids sampled at fractional points, and the agreement of two samples: the
arithmetic under picture alignments (`tracer.media.align`) and a placed view's check
(`tracer.media.bank`). The lattice loops are compiled (numba) and take the same
operations in the same order as the numpy forms they replaced, so their numbers are equal
bit for bit (`tests/media/test_align.py`)."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def bilinear(grid: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """`grid` sampled on lattices: `out[k, r, c]` at shares `xs[k, c]` of its width and
    `ys[k, r]` of its height (`xs`, `ys` of one shape, a lattice per row).

    Compiled: the alignments of a linking pass spent most of their time here, in numpy's
    temporaries. Each point takes the same operations in the same order as the vectorised
    form it replaced (interpolate across the two grid rows, then blend them down), so the
    samples are equal bit for bit (`tests/media/test_align.py`)."""
    side = grid.shape[0]
    lattices, points = xs.shape
    out = np.empty((lattices, ys.shape[1], points))
    x0 = np.empty(points, np.int64)
    fx = np.empty(points)
    for k in range(lattices):
        for c in range(points):
            px = min(max(xs[k, c] * side - 0.5, 0.0), side - 1.0)
            x0[c] = min(np.int64(px), side - 2)
            fx[c] = px - x0[c]
        for r in range(ys.shape[1]):
            py = min(max(ys[k, r] * side - 0.5, 0.0), side - 1.0)
            y0 = min(np.int64(py), side - 2)
            fy = py - y0
            for c in range(points):
                x, f = x0[c], fx[c]
                top = grid[y0, x] * (1 - f) + grid[y0, x + 1] * f
                bottom = grid[y0 + 1, x] * (1 - f) + grid[y0 + 1, x + 1] * f
                out[k, r, c] = top * (1 - fy) + bottom * fy
    return out


@nb.njit(cache=True)
def _block_sum(v: np.ndarray, start: int, n: int) -> float:
    """numpy's sum of a block of at most 128 values: eight running sums (fewer than
    eight values: one)."""
    if n < 8:
        total = -0.0
        for i in range(start, start + n):
            total += v[i]
        return total
    r0, r1, r2, r3 = v[start], v[start + 1], v[start + 2], v[start + 3]
    r4, r5, r6, r7 = v[start + 4], v[start + 5], v[start + 6], v[start + 7]
    i = start + 8
    stop = start + n - n % 8
    while i < stop:
        r0, r1, r2, r3 = r0 + v[i], r1 + v[i + 1], r2 + v[i + 2], r3 + v[i + 3]
        r4, r5, r6, r7 = r4 + v[i + 4], r5 + v[i + 5], r6 + v[i + 6], r7 + v[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < start + n:
        total += v[i]
        i += 1
    return float(total)


@nb.njit(cache=True)
def numpy_sum(v: np.ndarray) -> float:
    """The sum of `v` (1-D) in numpy's own order, its pairwise summation: blocks of up
    to 128 values (`_block_sum`), halved above that (each half a multiple of 8 long) and
    added up the halving tree. Compiled statistics then equal numpy's bit for bit. A loop
    over an explicit stack, not recursion: numba's cache cannot hold a recursive
    function."""
    n = len(v)
    if n <= 128:
        return 0.0 + _block_sum(v, 0, n)
    # The spans still being summed, outermost first; a first half's sum waits in
    # `firsts` for its second half's.
    starts = np.empty(64, np.int64)
    lengths = np.empty(64, np.int64)
    firsts = np.empty(64)
    top = 0
    starts[0], lengths[0] = 0, n
    while True:
        span = lengths[top]
        if span > 128:
            half = span // 2 - span // 2 % 8
            top += 1
            starts[top], lengths[top] = starts[top - 1], half
            continue
        total = _block_sum(v, starts[top], span)
        while True:  # hand the sum up the tree
            top -= 1
            if top < 0:
                return 0.0 + total
            if starts[top + 1] == starts[top]:  # a first half: now its second
                half = lengths[top] // 2 - lengths[top] // 2 % 8
                firsts[top] = total
                top += 1
                starts[top], lengths[top] = starts[top - 1] + half, lengths[top - 1] - half
                break
            total = firsts[top] + total


@nb.njit(cache=True, error_model="numpy")  # a division by zero gives inf, as in numpy
def jittered(
    box_a: tuple[float, float, float, float],
    box_b: tuple[float, float, float, float],
    jitter: np.ndarray,
    min_cover: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The transforms that map `box_b` onto `box_a`, each shifted and scaled by a row of
    `jitter` (dx, dy, scale): for each, the overlap (x0, y0, x1, y1) in a's shares, where
    b's picture starts in them and its scale (x, y, sx, sy), both pictures' covers, and
    whether both reach `min_cover`.

    Compiled: in numpy, ~20 small arrays cost ~35 us, a sixth of a transform's time.
    Each number takes the vectorised form's operations in its order, and
    `maximum`, `minimum` and `clip` keep numpy's NaNs, so they are equal
    (`tests/media/test_align.py`; of two equal zeros numpy 2 keeps the second, as here,
    and no sign of a zero reaches an alignment)."""
    ax0, ay0, ax1, ay1 = box_a
    bx0, by0, bx1, by1 = box_b
    cx, cy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
    n = len(jitter)
    overlap, placed = np.empty((n, 4)), np.empty((n, 4))
    cover, ok = np.empty((n, 2)), np.empty(n, np.bool_)
    for k in range(n):
        half_w = (ax1 - ax0) / 2 * jitter[k, 2]
        half_h = (ay1 - ay0) / 2 * jitter[k, 2]
        jx0 = cx + jitter[k, 0] * (ax1 - ax0) - half_w
        jy0 = cy + jitter[k, 1] * (ay1 - ay0) - half_h
        sx = 2 * half_w / (bx1 - bx0)
        sy = 2 * half_h / (by1 - by0)
        # b's whole picture in a's shares, cut to a's picture: the overlap.
        ox0 = _maximum(0.0, jx0 - bx0 * sx)
        oy0 = _maximum(0.0, jy0 - by0 * sy)
        ox1 = _minimum(1.0, jx0 + (1 - bx0) * sx)
        oy1 = _minimum(1.0, jy0 + (1 - by0) * sy)
        cover_a = _maximum(ox1 - ox0, 0.0) * _maximum(oy1 - oy0, 0.0)
        cover_b = cover_a / (sx * sy)
        overlap[k, 0], overlap[k, 1], overlap[k, 2], overlap[k, 3] = ox0, oy0, ox1, oy1
        placed[k, 0], placed[k, 1], placed[k, 2], placed[k, 3] = jx0, jy0, sx, sy
        cover[k, 0], cover[k, 1] = cover_a, cover_b
        ok[k] = _minimum(cover_a, cover_b) >= min_cover
    return overlap, placed, cover, ok


@nb.njit(cache=True)
def _maximum(a: float, b: float) -> float:
    """`np.maximum`: the larger, a NaN from either side, the second of equals."""
    return a if a > b or np.isnan(a) else b


@nb.njit(cache=True)
def _minimum(a: float, b: float) -> float:
    """`np.minimum`: the smaller, a NaN from either side, the second of equals."""
    return a if a < b or np.isnan(a) else b


@nb.njit(cache=True)
def correlations(
    ga: np.ndarray,
    gb: np.ndarray,
    overlap: np.ndarray,
    placed: np.ndarray,
    origin_b: tuple[float, float],
    ok: np.ndarray,
    points: int,
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """Each jittered transform's overlap sampled on a lattice in both grids, and the
    Pearson correlation of the two samples (-1 where not `ok`, or where either is
    flat); the best transform (the first of equals) and its two samples. `overlap[k]` is
    the overlap (x0, y0, x1, y1) in a's shares, `placed[k]` where b's picture starts in
    them and its scale (x, y, sx, sy), `origin_b` b's region's corner; `points` the
    lattice's side.

    Compiled: in numpy's temporaries they cost more than the sampling. Each number takes
    the same operations as the vectorised form it replaced, and the sums numpy's order
    (`numpy_sum`), so the correlations are equal bit for bit
    (`tests/media/test_align.py`)."""
    lattices = len(overlap)
    xa, ya = np.empty((lattices, points)), np.empty((lattices, points))
    xb, yb = np.empty((lattices, points)), np.empty((lattices, points))
    for k in range(lattices):
        x0, y0, x1, y1 = overlap[k, 0], overlap[k, 1], overlap[k, 2], overlap[k, 3]
        jx, jy, sx, sy = placed[k, 0], placed[k, 1], placed[k, 2], placed[k, 3]
        for c in range(points):
            step = (c + 0.5) / points
            xa[k, c] = x0 + (x1 - x0) * step
            ya[k, c] = y0 + (y1 - y0) * step
            xb[k, c] = origin_b[0] + (xa[k, c] - jx) / sx
            yb[k, c] = origin_b[1] + (ya[k, c] - jy) / sy
    corr = np.full(lattices, -1.0)
    size = points * points
    da, db = np.empty(size), np.empty(size)
    aa, bb, ab = np.empty(size), np.empty(size), np.empty(size)
    for k in range(lattices):
        if not ok[k]:
            continue
        a = bilinear(ga, xa[k : k + 1], ya[k : k + 1]).ravel()
        b = bilinear(gb, xb[k : k + 1], yb[k : k + 1]).ravel()
        mean_a, mean_b = numpy_sum(a) / size, numpy_sum(b) / size
        for i in range(size):
            da[i] = a[i] - mean_a
            db[i] = b[i] - mean_b
            aa[i] = da[i] * da[i]
            bb[i] = db[i] * db[i]
            ab[i] = da[i] * db[i]
        norm = np.sqrt(numpy_sum(aa) * numpy_sum(bb))
        if norm > 0:
            corr[k] = numpy_sum(ab) / max(norm, 1e-9)
    best = int(np.argmax(corr))  # the first of equals, as numpy's
    pa = bilinear(ga, xa[best : best + 1], ya[best : best + 1])[0]
    pb = bilinear(gb, xb[best : best + 1], yb[best : best + 1])[0]
    return corr, best, pa, pb


def warm_up() -> None:
    """Compile `bilinear` for the grids alignments sample (a grey grid, contiguous, and
    a colour plane, a strided view of the chroma grid), `jittered` and `correlations`."""
    lattice = np.full((1, 2), 0.5)
    bilinear(np.zeros((4, 4)), lattice, lattice)
    bilinear(np.zeros((4, 4, 2)).transpose(2, 0, 1)[0], lattice, lattice)
    unit = np.array([[0.0, 0.0, 1.0, 1.0]])
    correlations(
        np.zeros((4, 4)), np.zeros((4, 4)), unit, unit, (0.0, 0.0), np.ones(1, np.bool_), 2
    )
    box = (0.0, 0.0, 1.0, 1.0)
    jittered(box, box, np.ones((1, 3)), 0.5)


def at_points(grid: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """`grid` sampled at shares `xs`, `ys` of its width and height (any equal shapes):
    for point sets that are not lattices (a view placed on a picture)."""
    side = grid.shape[0]
    px = np.clip(xs * side - 0.5, 0, side - 1)
    py = np.clip(ys * side - 0.5, 0, side - 1)
    x0 = np.minimum(px.astype(np.int64), side - 2)
    y0 = np.minimum(py.astype(np.int64), side - 2)
    fx, fy = px - x0, py - y0
    top = grid[y0, x0] * (1 - fx) + grid[y0, x0 + 1] * fx
    bottom = grid[y0 + 1, x0] * (1 - fx) + grid[y0 + 1, x0 + 1] * fx
    out: np.ndarray = top * (1 - fy) + bottom * fy
    return out
