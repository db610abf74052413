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


def stroke_map(image: Image.Image, side: int = SIDE) -> np.ndarray:
    """Where a strong rise and a strong fall (or a fall and a rise) meet within a stroke's
    width, along each row: light strokes on dark ground and dark ones on light."""
    grey = image.convert("L")
    scale = side / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    a = np.asarray(grey, np.int16)
    dx = a[:, 1:] - a[:, :-1]
    rise, fall = dx >= EDGE, dx <= -EDGE
    pairs = np.zeros_like(rise)
    for s in range(1, STROKE + 1):
        pairs[:, :-s] |= (rise[:, :-s] & fall[:, s:]) | (fall[:, :-s] & rise[:, s:])
    return pairs


def has_text(image: Image.Image) -> bool:
    """True when the picture shows at least one line of text-like strokes."""
    pairs = stroke_map(image)
    rows, cols = CELL
    h, w = pairs.shape[0] // rows * rows, pairs.shape[1] // cols * cols
    if h == 0 or w == 0:
        return True  # too small to judge: let OCR decide
    counts = pairs[:h, :w].reshape(h // rows, rows, w // cols, cols).sum(axis=(1, 3))
    dense = counts >= CELL_STROKES
    run = dense[:, : dense.shape[1] - RUN + 1].copy()
    for k in range(1, RUN):
        run &= dense[:, k : dense.shape[1] - RUN + 1 + k]
    return bool(run.any())
