"""A picture match is a match of the picture, not of a piece of it.

Collages and diptychs that share a tile, and different photos under one office's logo
band, must not match; framed, cropped and re-encoded copies still do. Drawn from
scikit-image's sample photos (`sample_data/sample_media.py`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from tracer.media.align import _JITTER, ALIGN_LATTICE, _lattice_hash
from tracer.media.fingerprint import DCT32, GRID_SIDE, fingerprint_image
from tracer.media.lattice import at_points, bilinear, correlations, jittered, numpy_sum
from tracer.media.match import MediaItem, match_images
from tracer.policy import MatchPolicy

from ..media_samples import crop_one_side, jpeg50, sm, width

POLICY = MatchPolicy()
NAMES = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry")


def photo(name: str) -> Image.Image:
    return sm.photo(name).resize((720, 540), Image.Resampling.LANCZOS)


def item(picture: Image.Image, path: str = "x.jpg") -> MediaItem:
    """A picture as the linker sees it; OCR ran and found no words (photos)."""
    return MediaItem(path, fingerprint_image(jpeg50(picture)), ocr=())


def grid(tiles: list[Image.Image], columns: int, gutter: int = 12) -> Image.Image:
    """Tiles laid out `columns` a row on a white sheet, as collage apps do."""
    w, h = 540, 405
    rows = -(-len(tiles) // columns)
    sheet = Image.new("RGB", (columns * w + (columns + 1) * gutter, rows * h + (rows + 1) * gutter))
    sheet.paste((255, 255, 255), (0, 0, *sheet.size))
    for n, tile in enumerate(tiles):
        x = gutter + (n % columns) * (w + gutter)
        y = gutter + (n // columns) * (h + gutter)
        sheet.paste(tile.resize((w, h), Image.Resampling.LANCZOS), (x, y))
    return sheet


def logo_band(picture: Image.Image, share: float = 0.22) -> Image.Image:
    """An office's own band under a picture: its colour, name and emblem."""
    band = round(picture.height * share)
    out = Image.new("RGB", (picture.width, picture.height + band), (150, 20, 40))
    out.paste(picture, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.ellipse((20, picture.height + 15, 20 + band - 30, picture.height + band - 15), "gold")
    draw.text((band + 10, picture.height + band // 3), "DISKOMINFO KAB. LEBAK", fill="white",
              font=sm.font(40))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def photos() -> dict[str, Image.Image]:
    return {name: photo(name) for name in NAMES}


def test_collages_sharing_a_tile_do_not_match(photos: dict[str, Image.Image]) -> None:
    a = grid([photos[n] for n in NAMES[:4]], 2)
    b = grid([photos[NAMES[0]], *(photos[n] for n in NAMES[4:]), photos[NAMES[3]]], 2)
    assert match_images(item(a), item(b), POLICY) is None
    # Nor does a collage match one of its tiles posted alone.
    assert match_images(item(a), item(photos[NAMES[0]]), POLICY) is None


def test_a_diptych_does_not_match_its_halves(photos: dict[str, Image.Image]) -> None:
    diptych = grid([photos["coffee"], photos["chelsea"]], 2)
    for name in ("coffee", "chelsea"):
        assert match_images(item(diptych), item(photos[name]), POLICY) is None


def test_different_photos_under_one_logo_band_do_not_match(
    photos: dict[str, Image.Image],
) -> None:
    for x, y in itertools.pairwise(NAMES):
        assert match_images(item(logo_band(photos[x])), item(logo_band(photos[y])), POLICY) is None


@pytest.mark.parametrize("edit", ["logo_band", "frame", "crop", "resize"])
def test_copies_still_match(photos: dict[str, Image.Image], edit: str) -> None:
    for name in ("astronaut", "coffee", "rocket"):
        original = photos[name]
        copy = {
            "logo_band": lambda p: logo_band(p),
            "frame": sm.framed("Diskominfo Kabupaten Lebak", (150, 20, 40)),
            "crop": crop_one_side,
            "resize": lambda p: width(p, 480),
        }[edit](original)
        found = match_images(item(copy, "copy.jpg"), item(original, "o.jpg"), POLICY)
        assert found is not None and found.alignment is not None, (name, edit)
        assert min(found.alignment.cover) >= POLICY.align_min_cover


def _bilinear_vectorised(grid: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The numpy form the compiled `bilinear` replaced: every point of each lattice
    sampled as `at_points` samples a point set (the same operations, in numpy)."""
    shape = (len(xs), ys.shape[1], xs.shape[1])
    return at_points(
        grid, np.broadcast_to(xs[:, None, :], shape), np.broadcast_to(ys[:, :, None], shape)
    )


@settings(max_examples=200, deadline=None)
@given(
    side=st.integers(2, 40),
    lattices=st.integers(1, 27),
    points=st.integers(1, 33),
    as_bytes=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_compiled_sampling_equals_the_vectorised_form_bit_for_bit(
    side: int, lattices: int, points: int, as_bytes: bool, seed: int
) -> None:
    """Alignments decide matches on these samples: compiling them must not move one bit
    (points outside the picture included: they are clamped to its edge)."""
    rng = np.random.default_rng(seed)
    grid = (
        rng.integers(0, 256, (side, side)).astype(np.uint8)
        if as_bytes
        else rng.random((side, side)) * 255
    )
    xs = rng.random((lattices, points)) * 1.4 - 0.2
    ys = rng.random((lattices, points)) * 1.4 - 0.2
    got, want = bilinear(grid, xs, ys), _bilinear_vectorised(grid, xs, ys)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), levels=st.sampled_from([2, 4, 256, 0]))
def test_lattice_hash_splits_at_numpys_median(seed: int, levels: int) -> None:
    """The hash's bits split the 64 low frequencies at their median, taken as
    `np.median` takes it (ties and flat patches included)."""
    rng = np.random.default_rng(seed)
    patch = rng.integers(0, levels, (32, 32)).astype(np.float64) if levels else np.ones((32, 32))
    low = (DCT32 @ patch @ DCT32.T)[:8, :8].reshape(64)
    want = int.from_bytes(np.packbits(low > np.median(low)).tobytes(), "big")
    assert _lattice_hash(patch) == want


def _correlations_vectorised(
    ga: np.ndarray,
    gb: np.ndarray,
    overlap: np.ndarray,
    placed: np.ndarray,
    origin_b: tuple[float, float],
    ok: np.ndarray,
    points: int,
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """The numpy form the compiled `correlations` replaced inside `_try_transform`."""
    ox0, oy0, ox1, oy1 = overlap.T
    jx0, jy0, sx, sy = placed.T
    steps = (np.arange(points) + 0.5) / points
    xa = ox0[:, None] + (ox1 - ox0)[:, None] * steps[None, :]
    ya = oy0[:, None] + (oy1 - oy0)[:, None] * steps[None, :]
    xb = origin_b[0] + (xa - jx0[:, None]) / sx[:, None]
    yb = origin_b[1] + (ya - jy0[:, None]) / sy[:, None]
    pa = _bilinear_vectorised(ga, xa, ya)
    pb = _bilinear_vectorised(gb, xb, yb)
    da = pa - pa.mean(axis=(1, 2), keepdims=True)
    db = pb - pb.mean(axis=(1, 2), keepdims=True)
    norm = np.sqrt((da * da).sum(axis=(1, 2)) * (db * db).sum(axis=(1, 2)))
    corr = np.where((norm > 0) & ok, (da * db).sum(axis=(1, 2)) / np.maximum(norm, 1e-9), -1.0)
    k = int(np.argmax(corr))
    return corr, k, pa[k], pb[k]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    lattices=st.integers(1, len(_JITTER)),
    flat=st.sampled_from(["no", "a", "both"]),
    kept=st.sampled_from(["all", "some", "none"]),
)
def test_compiled_correlations_equal_the_vectorised_form_bit_for_bit(
    seed: int, lattices: int, flat: str, kept: str
) -> None:
    """The correlations decide which transform wins and whether two pictures agree:
    compiling them (the lattices, the samples, the sums in numpy's pairwise order) must
    not move one bit, flat grids (no correlation), overlaps reaching past the picture
    and jitters left out included."""
    rng = np.random.default_rng(seed)
    ga = rng.integers(0, 256, (GRID_SIDE, GRID_SIDE)).astype(np.float64)
    gb = rng.integers(0, 256, (GRID_SIDE, GRID_SIDE)).astype(np.float64)
    if flat != "no":
        ga[:] = 7.0
        if flat == "both":
            gb[:] = 9.0
    corner = rng.random((lattices, 2)) * 0.6
    overlap = np.hstack([corner, corner + 0.05 + rng.random((lattices, 2)) * 0.5])
    placed = np.hstack([rng.random((lattices, 2)) - 0.3, 0.3 + rng.random((lattices, 2)) * 1.7])
    origin_b = (float(rng.random() * 0.5), float(rng.random() * 0.5))
    ok = {"all": np.ones, "none": np.zeros}.get(kept, lambda n, t: rng.random(n) < 0.5)(
        lattices, np.bool_
    )
    got = correlations(ga, gb, overlap, placed, origin_b, ok, ALIGN_LATTICE)
    want = _correlations_vectorised(ga, gb, overlap, placed, origin_b, ok, ALIGN_LATTICE)
    assert np.array_equal(got[0], want[0]) and got[1] == want[1]
    assert np.array_equal(got[2], want[2]) and np.array_equal(got[3], want[3])


def _jittered_vectorised(
    box_a: tuple[float, float, float, float],
    box_b: tuple[float, float, float, float],
    jitter: np.ndarray,
    min_cover: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The numpy form the compiled `jittered` replaced inside `_try_transform`."""
    ax0, ay0, ax1, ay1 = box_a
    bx0, by0, bx1, by1 = box_b
    cx, cy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
    half_w = (ax1 - ax0) / 2 * jitter[:, 2]
    half_h = (ay1 - ay0) / 2 * jitter[:, 2]
    jx0 = cx + jitter[:, 0] * (ax1 - ax0) - half_w
    jy0 = cy + jitter[:, 1] * (ay1 - ay0) - half_h
    sx = 2 * half_w / (bx1 - bx0)
    sy = 2 * half_h / (by1 - by0)
    ox0 = np.maximum(0.0, jx0 - bx0 * sx)
    oy0 = np.maximum(0.0, jy0 - by0 * sy)
    ox1 = np.minimum(1.0, jx0 + (1 - bx0) * sx)
    oy1 = np.minimum(1.0, jy0 + (1 - by0) * sy)
    cover_a = np.clip(ox1 - ox0, 0, None) * np.clip(oy1 - oy0, 0, None)
    cover_b = cover_a / (sx * sy)
    ok = np.minimum(cover_a, cover_b) >= min_cover
    overlap = np.stack([ox0, oy0, ox1, oy1], axis=1)
    placed = np.stack([jx0, jy0, sx, sy], axis=1)
    return overlap, placed, np.stack([cover_a, cover_b], axis=1), ok


_shares = st.floats(-0.2, 1.2, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0, 0.5])


@settings(max_examples=400, deadline=None)
@given(
    a=st.tuples(_shares, _shares, _shares, _shares),
    b=st.tuples(_shares, _shares, _shares, _shares),
    min_cover=st.floats(0.0, 1.0),
)
def test_compiled_jitters_equal_the_vectorised_form_bit_for_bit(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float], min_cover: float
) -> None:
    """Which jitters are tried, and the overlaps they are sampled on, decide alignments:
    compiling them must not move one bit (boxes reaching past the picture, flat and
    inverted boxes, NaNs included; zeros compare equal whatever their sign)."""
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    if bx1 == bx0 or by1 == by0:
        bx1, by1 = bx0 + 0.25, by0 + 0.25  # a region has an extent
    box_a, box_b = (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1)
    with np.errstate(all="ignore"):
        want = _jittered_vectorised(box_a, box_b, _JITTER, min_cover)
    got = jittered(box_a, box_b, _JITTER, min_cover)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape
        assert np.array_equal(g, w, equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 3000), seed=st.integers(0, 2**32 - 1))
def test_compiled_sum_is_numpys_to_the_bit(size: int, seed: int) -> None:
    """`numpy_sum` adds in numpy's pairwise order, halving included (above 128)."""
    values = np.random.default_rng(seed).normal(0, 1e6, size) ** 3
    assert numpy_sum(values) == values.sum()
