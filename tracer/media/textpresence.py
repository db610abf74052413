"""Does a picture carry words? A fast test on a small copy, so that OCR runs only
where it can decide something.

Printed words are rows of strokes: along a line of text the brightness jumps up and
back down every few pixels, with a contrast that photographs rarely keep up over a
run that long. The test counts such stroke pairs (a strong rise and a strong fall a
stroke's width apart) in small cells of a copy `SIDE` pixels long, and calls a picture
texty when enough neighbouring cells in one row are dense with them: a line of words.

It errs towards yes: a false yes costs one OCR call, a false no loses the words (the
picture is then matched as if it had been read and found empty). Its misses are
measured in bench/ocr.py and docs/media.md.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from PIL import Image

VERSION = 1
SIDE = 400
"""The test reads a copy this long on its longer side (about 1 ms)."""
EDGE = 48
"""A rise or fall of at least this much (of 255) between neighbouring pixels."""
STROKE = 7
"""A stroke is at most this wide at `SIDE` (a letter's stem, headline sizes included)."""
CELL = (8, 16)
"""Rows and columns of a cell."""
CELL_STROKES = 6
"""A cell with at least this many stroke pairs is part of a line of text."""
RUN = 3
"""This many such cells side by side in one row make a line of text."""


def small_grey(image: Image.Image, side: int = SIDE) -> np.ndarray:
    """The picture in grey, `side` pixels on its longer side at most, as an array."""
    grey = image if image.mode == "L" else image.convert("L")
    scale = side / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(grey)


def has_text(image: Image.Image) -> bool:
    """True when the picture shows at least one line of text-like strokes."""
    return bool(_has_line(small_grey(image)))


def warm_up() -> None:
    """Compile `_has_line` (numba's cache) for the arrays it meets: a picture's, which
    numpy reads from Pillow as read-only (numba's own type), and a writable one."""
    has_text(Image.new("L", (2, 2)))
    _has_line(np.zeros((2, 2), np.uint8))


@nb.njit(cache=True)
def _has_line(grey: np.ndarray) -> bool:
    """Along each row, a stroke pair where a strong rise and a strong fall (or a fall and
    a rise) meet within `STROKE` pixels (light strokes on dark ground and dark ones on
    light); counted in `CELL`s; a line of text where `RUN` cells side by side in one row
    hold at least `CELL_STROKES` pairs each.

    Compiled: in numpy, the stroke pairs' masks cost ~0.6 ms a picture, a third of
    the test. `tests/media/test_textpresence.py` checks it against that numpy form."""
    height, width = grey.shape
    rows, cols = CELL
    steps = width - 1  # the differences between neighbours along a row
    cell_rows, cell_cols = height // rows, steps // cols
    if cell_rows <= 0 or cell_cols <= 0:
        return True  # too small to judge: let OCR decide
    counts = np.zeros((cell_rows, cell_cols), np.int32)
    step = np.empty(steps, np.int8)  # +1 a strong rise, -1 a strong fall, 0 neither
    for y in range(cell_rows * rows):
        for x in range(steps):
            d = np.int16(grey[y, x + 1]) - np.int16(grey[y, x])
            step[x] = 1 if d >= EDGE else (-1 if d <= -EDGE else 0)
        for x in range(cell_cols * cols):
            if step[x] == 0:
                continue
            for s in range(1, min(STROKE, steps - 1 - x) + 1):
                if step[x + s] == -step[x]:
                    counts[y // rows, x // cols] += 1
                    break
    for r in range(cell_rows):
        side_by_side = 0
        for c in range(cell_cols):
            side_by_side = side_by_side + 1 if counts[r, c] >= CELL_STROKES else 0
            if side_by_side >= RUN:
                return True
    return False
