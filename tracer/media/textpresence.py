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

The same runs say where the lines are (`text_boxes`): OCR reads only them
(`tracer.media.ocr`), so tesseract neither lays out nor recognises a photo's texture.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

VERSION = 1
"""Bumped when the test's answer for a picture changes (stored readings then go stale)."""
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
WORD = 2
"""A stretch of this many dense cells in a row is read (a word), once the picture has a
line of `RUN`."""


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


Box = tuple[float, float, float, float]
"""left, top, right, bottom, as shares of the picture's width and height."""


def _dense(pairs: np.ndarray) -> np.ndarray | None:
    """Cells (of `CELL`) holding at least `CELL_STROKES` stroke pairs; None when the copy
    is too small to judge."""
    rows, cols = CELL
    h, w = pairs.shape[0] // rows * rows, pairs.shape[1] // cols * cols
    if h == 0 or w == 0:
        return None
    counts = pairs[:h, :w].reshape(h // rows, rows, w // cols, cols).sum(axis=(1, 3))
    dense: np.ndarray = counts >= CELL_STROKES
    return dense


def _has_run(dense: np.ndarray) -> bool:
    run = dense[:, : dense.shape[1] - RUN + 1].copy()
    for k in range(1, RUN):
        run &= dense[:, k : dense.shape[1] - RUN + 1 + k]
    return bool(run.any())


def has_text(image: Image.Image) -> bool:
    """True when the picture shows at least one line of text-like strokes."""
    dense = _dense(stroke_map(image))
    return True if dense is None else _has_run(dense)


def text_boxes(image: Image.Image) -> list[Box]:
    """Where the words are, when `has_text` finds a line: each stretch of at least `WORD`
    dense cells in a row of cells (a short word beside a line counts). Empty for a bare
    picture; the whole picture when it is too small to judge."""
    pairs = stroke_map(image)
    dense = _dense(pairs)
    if dense is None:
        return [(0.0, 0.0, 1.0, 1.0)]
    if not _has_run(dense):
        return []
    rows, cols = CELL
    height, width = pairs.shape[0], pairs.shape[1] + 1  # `pairs` lost a column to dx
    # Each stretch's first and last cell: where a row of cells turns dense and back.
    edges = np.diff(np.pad(dense.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    out: list[Box] = []
    for r in range(dense.shape[0]):
        starts, ends = np.flatnonzero(edges[r] == 1), np.flatnonzero(edges[r] == -1)
        for start, end in zip(starts, ends, strict=True):
            if end - start < WORD:
                continue
            left, right = float(start * cols / width), float(end * cols / width)
            out.append((left, r * rows / height, right, (r + 1) * rows / height))
    return out
