"""A picture match is a match of the picture, not of a piece of it.

Collages and diptychs that share a tile, and different photos under one office's logo
band, must not match; framed, cropped and re-encoded copies still do. Drawn from
scikit-image's sample photos (`sample_data/sample_media.py`).
"""

from __future__ import annotations

import itertools

import pytest
from PIL import Image, ImageDraw

from tracer.media.fingerprint import fingerprint_image
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
