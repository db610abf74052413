"""A bank of stored pictures' grids, coarsened and stacked, so that the part of a
picture a scroll left visible (a view) is placed on all of them at once: the look-up for
a view that no region key can find."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tracer.media.align import _shares
from tracer.media.fingerprint import GRID_SIDE, ImagePrint
from tracer.media.lattice import at_points

BANK_SIDE = 16
"""A picture in a `Bank` keeps its grid at this many points a side (256 bytes)."""


@dataclass(frozen=True, slots=True)
class Bank:
    """Many stored pictures' grids, coarsened and stacked, to place one view on all of
    them at once (`scan_view`): the look-up for a view that no region key can find — a
    scroll left less than a region's height of the picture."""

    owners: np.ndarray
    """(N,) the post each picture belongs to."""
    grids: np.ndarray
    """(N, BANK_SIDE, BANK_SIDE) grey levels of each trimmed picture."""
    tall: np.ndarray
    """(N,) each whole picture's height over its width."""
    trims: np.ndarray
    """(N, 4) each trimmed box (what the grid covers) as shares of the whole picture."""


def bank_of(pictures: list[tuple[int, ImagePrint]]) -> Bank:
    """The bank of (post, picture) pairs; pictures without a grid are left out."""
    kept = [(owner, p, g) for owner, p in pictures if (g := p.grid_array()) is not None]
    step = GRID_SIDE // BANK_SIDE
    grids = np.array(
        [g.reshape(BANK_SIDE, step, BANK_SIDE, step).mean(axis=(1, 3)) for _, _, g in kept],
        np.uint8,
    ).reshape(-1, BANK_SIDE, BANK_SIDE)
    return Bank(
        np.array([owner for owner, _, _ in kept], np.int64),
        grids,
        np.array([p.height / max(1, p.width) for _, p, _ in kept], np.float64),
        np.array([_shares(p) for _, p, _ in kept], np.float64).reshape(-1, 4),
    )


BANK_ALIKE = 0.97
"""Two pictures of one family whose coarse grids correlate this well (and whose shapes
are within 2 %) are one variant in a bank."""


def distinct_pictures(
    pictures: list[tuple[int, ImagePrint]], group_of: dict[int, int]
) -> list[tuple[int, ImagePrint]]:
    """Of each group's pictures (a family's), those unlike the ones kept before them:
    re-encoded and resized copies add nothing to a bank, frames and crops do."""
    kept: dict[int, list[tuple[np.ndarray, float]]] = {}
    out: list[tuple[int, ImagePrint]] = []
    step = GRID_SIDE // BANK_SIDE
    for owner, picture in pictures:
        grid = picture.grid_array()
        if grid is None:
            continue
        coarse = grid.reshape(BANK_SIDE, step, BANK_SIDE, step).mean(axis=(1, 3)).ravel()
        coarse = coarse - coarse.mean()
        norm = float(np.sqrt((coarse * coarse).sum())) or 1.0
        shape = picture.height / max(1, picture.width)
        held = kept.setdefault(group_of.get(owner, owner), [])
        if any(
            abs(shape - s) <= 0.02 * s and float(coarse @ other) / norm >= BANK_ALIKE
            for other, s in held
        ):
            continue
        held.append((coarse / norm, shape))
        out.append((owner, picture))
    return out


def scan_view(view: ImagePrint, cut: tuple[bool, bool], bank: Bank) -> np.ndarray:
    """The correlation of the view with each banked picture, placed as `align_view`
    places it (its width on the picture's, its uncut edge on the picture's own; no
    jitter): -1 where it cannot sit (taller than the picture) or overlaps too little."""
    grid = view.grid_array()
    n = len(bank.owners)
    if grid is None or n == 0:
        return np.full(n, -1.0)
    vx0, vy0, vx1, vy1 = _shares(view)
    steps = (np.arange(BANK_SIDE) + 0.5) / BANK_SIDE
    u = vx0 + (vx1 - vx0) * steps  # (S,) the view's lattice, in its shares
    v = vy0 + (vy1 - vy0) * steps
    xs, ys = np.meshgrid(steps, steps)
    mine = at_points(grid.astype(np.float64), xs, ys)  # (S, S)
    tall = (view.height / max(1, view.width)) / bank.tall  # (N,) the view's height share
    start = 1 - tall if cut[0] and not cut[1] else np.zeros(n)
    if cut[0] and cut[1]:
        start = (1 - tall) / 2
    x0, y0, x1, y1 = (bank.trims[:, k][:, None] for k in range(4))
    px = (u[None, :] - x0) / (x1 - x0)  # (N, S)
    py = (start[:, None] + v[None, :] * tall[:, None] - y0) / (y1 - y0)
    inside = ((px >= 0) & (px <= 1))[:, None, :] & ((py >= 0) & (py <= 1))[:, :, None]
    cx = np.clip(np.rint(px * BANK_SIDE - 0.5), 0, BANK_SIDE - 1).astype(np.int64)
    cy = np.clip(np.rint(py * BANK_SIDE - 0.5), 0, BANK_SIDE - 1).astype(np.int64)
    theirs = bank.grids[np.arange(n)[:, None, None], cy[:, :, None], cx[:, None, :]].astype(
        np.float64
    )
    weight = inside.astype(np.float64)
    count = weight.sum(axis=(1, 2))
    safe = np.maximum(count, 1)
    ma = (mine[None] * weight).sum(axis=(1, 2)) / safe
    mb = (theirs * weight).sum(axis=(1, 2)) / safe
    da = (mine[None] - ma[:, None, None]) * weight
    db = (theirs - mb[:, None, None]) * weight
    norm = np.sqrt((da * da).sum(axis=(1, 2)) * (db * db).sum(axis=(1, 2)))
    corr = (da * db).sum(axis=(1, 2)) / np.maximum(norm, 1e-9)
    usable = (tall <= 1.06) & (count >= 0.5 * BANK_SIDE * BANK_SIDE) & (norm > 0)
    out: np.ndarray = np.where(usable, corr, -1.0)
    return out
