"""The text-presence test: lines of words are found, bare photos and plain grounds are
not (its misses over many pictures are measured in bench/ocr.py, not here)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from tracer.media import textpresence as tp
from tracer.media.textpresence import has_text

from ..media_samples import banner, framed_with_logo, sm, width

BARE = ("rocket", "chelsea", "camera")


@pytest.mark.parametrize("name", BARE)
def test_a_photo_without_words_is_bare(name: str) -> None:
    assert not has_text(width(sm.photo(name), 720))


@pytest.mark.parametrize("name", BARE)
def test_the_same_photo_with_an_office_banner_or_frame_carries_text(name: str) -> None:
    photo = width(sm.photo(name), 720)
    assert has_text(banner(photo))
    assert has_text(framed_with_logo(photo))


def test_template_posters_carry_text() -> None:
    assert has_text(sm.ministry_poster("Ayo ke TPS 14 Februari", None, art="ballot"))
    assert has_text(sm.regional_poster("Banjir bandang", "Diskominfo Kabupaten Garut"))


def test_plain_grounds_are_bare() -> None:
    assert not has_text(Image.new("RGB", (1080, 1080), (11, 42, 91)))
    assert not has_text(Image.linear_gradient("L").resize((1080, 720)).convert("RGB"))


def test_a_picture_too_small_to_judge_is_left_to_ocr() -> None:
    assert has_text(Image.new("RGB", (12, 6)))


def _has_line_numpy(grey: np.ndarray) -> bool:
    """The test as numpy masks, the form the compiled loop replaced."""
    a = grey.astype(np.int16)
    dx = a[:, 1:] - a[:, :-1]
    rise, fall = dx >= tp.EDGE, dx <= -tp.EDGE
    pairs = np.zeros_like(rise)
    for s in range(1, tp.STROKE + 1):
        pairs[:, :-s] |= (rise[:, :-s] & fall[:, s:]) | (fall[:, :-s] & rise[:, s:])
    rows, cols = tp.CELL
    h, w = pairs.shape[0] // rows * rows, pairs.shape[1] // cols * cols
    if h == 0 or w == 0:
        return True
    counts = pairs[:h, :w].reshape(h // rows, rows, w // cols, cols).sum(axis=(1, 3))
    dense = counts >= tp.CELL_STROKES
    run = dense[:, : dense.shape[1] - tp.RUN + 1].copy()
    for k in range(1, tp.RUN):
        run &= dense[:, k : dense.shape[1] - tp.RUN + 1 + k]
    return bool(run.any())


@st.composite
def striped(draw: st.DrawFn) -> np.ndarray:
    """Grounds with bars of a few widths and contrasts: some rows dense with stroke
    pairs, some not, at sizes around the cells'."""
    height = draw(st.integers(0, 40))
    width = draw(st.integers(0, 90))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    ground = rng.integers(0, 256)
    grey = np.full((height, width), ground, np.int16)
    if not grey.size:
        return grey.astype(np.uint8)
    for _ in range(draw(st.integers(0, 60))):
        y, x = rng.integers(0, height), rng.integers(0, width)
        grey[y : y + rng.integers(1, 12), x : x + rng.integers(1, 10)] = rng.integers(0, 256)
    grey += rng.integers(-20, 21, grey.shape)
    return np.clip(grey, 0, 255).astype(np.uint8)


def _spikes(step: int) -> np.ndarray:
    """An 8×64 ground with, at the start of three cells side by side, one row of three
    spikes `step` high: five pixels a cell begin a stroke pair, under `CELL_STROKES`,
    but a rise meets several falls within a stroke's width: nine pairs a cell if each
    were counted."""
    grey = np.zeros((8, 64), np.uint8)
    for cell in range(3):
        grey[0, 16 * cell : 16 * cell + 7] = [0, step, 0, step, 0, step, 0]
    return grey


@settings(max_examples=400, deadline=None)
@given(striped())
@example(_spikes(255))  # counted once a pixel, as the masks are: not a line
@example(np.tile(np.array([0, 48] * 32, np.uint8), (8, 1)))  # an edge of exactly `EDGE`
@example(np.tile(np.array([0, 47] * 32, np.uint8), (8, 1)))  # one level under it
def test_the_compiled_test_answers_as_the_numpy_masks(grey: np.ndarray) -> None:
    assert tp._has_line(grey) == _has_line_numpy(grey)


def test_both_answers_are_possible() -> None:
    """Both answers come out of both forms: bars of strokes are a line, a flat ground
    is not (the property above compares them on drawn grounds; most are too small to
    judge or bare)."""
    rng = np.random.default_rng(3)
    bars = np.zeros((16, 64), np.uint8)
    bars[:, ::4] = 255
    assert tp._has_line(bars) and _has_line_numpy(bars)
    flat = rng.integers(100, 110, (16, 64)).astype(np.uint8)
    assert not tp._has_line(flat) and not _has_line_numpy(flat)
