"""Where a picture sits inside what an office put around it: a plain border or
letterboxing (`trim_box`), or a patterned frame with the office's name and emblem
(`framed_box`). Fingerprints are taken of what lies inside, so a framed copy is
compared with its source like with like."""

from __future__ import annotations

import numpy as np
from PIL import Image

BORDER_TOLERANCE = 18
BORDER_SHARE = 0.985
MAX_TRIM = 0.25


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
    rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"), dtype=np.int16)
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
