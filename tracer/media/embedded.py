"""The picture inside a screenshot of a post, found from pixels alone (no OCR), so
that it can be fingerprinted on its own."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tracer.media.border import BORDER_TOLERANCE
from tracer.media.fingerprint import work_copy

EMBED_MIN_SHARE = 0.12
"""An embedded picture covers at least this share of a screenshot."""


def embedded_picture(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The picture inside a screenshot of a post (an app's frame around it: status bar,
    account name, buttons, caption), as a crop box, or None.

    Rows of a photo or a poster are mostly not the app's background colour; rows of
    interface text are mostly background. The longest run of such rows, and then the
    columns inside it, bound the picture."""
    work, scale = work_copy(image)
    grey = np.asarray(work.convert("L"), dtype=np.int16)
    h, w = grey.shape
    edge = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = int(np.bincount(edge.astype(np.int64), minlength=256).argmax())
    busy = np.abs(grey - background) > BORDER_TOLERANCE
    rows = busy.mean(axis=1) > 0.5
    best, start = (0, 0), None
    for y, flag in enumerate([*rows.tolist(), False]):
        if flag and start is None:
            start = y
        elif not flag and start is not None:
            best = max(best, (y - start, start))
            start = None
    height, top = best
    if height == 0:
        return None
    cols = busy[top : top + height].mean(axis=0) > 0.5
    xs = np.flatnonzero(cols)
    if len(xs) == 0:
        return None
    left, right = int(xs[0]), int(xs[-1]) + 1
    if height * (right - left) < EMBED_MIN_SHARE * h * w or (height == h and right - left == w):
        return None
    return (
        round(left / scale),
        round(top / scale),
        min(image.width, round(right / scale)),
        min(image.height, round((top + height) / scale)),
    )
