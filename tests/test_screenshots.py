"""Phone screenshots: the seeded generator, and the locator on every app, theme and cut."""

from __future__ import annotations

import io
import itertools
import random
from pathlib import Path

import pytest
from PIL import Image

from synthetic.screenshots import (
    APPS,
    CUTS,
    LONG_SIDE,
    THEMES,
    ScreenshotSpec,
    pick_spec,
    render,
)
from tracer.screen_text import caption_lines, without_handles
from tracer.screenshot import crop_or_pad, locate

MEDIA = Path(__file__).resolve().parent.parent / "sample_data" / "corpus" / "media"
PICTURES = ("hak_politik_poster.jpg", "garut_banjir.jpg", "banten_hak_politik.jpg")
CAPTION = (
    "Halo Sahabat Banten! PRESIDEN PUNYA HAK POLITIK. Presiden Joko Widodo menegaskan "
    "bahwa presiden memiliki hak politik. Pemerintah memastikan ASN, TNI dan Polri netral."
)


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area else 0.0


def test_the_generator_is_seeded_and_recompresses_as_whatsapp_does() -> None:
    with Image.open(MEDIA / PICTURES[0]) as picture:
        spec = pick_spec(random.Random(3), "diskominfo_banten", CAPTION)
        one, two = render(picture, spec), render(picture, spec)
        other = render(picture, pick_spec(random.Random(4), "diskominfo_banten", CAPTION))
    assert one.jpeg == two.jpeg and one.jpeg != other.jpeg
    shot = Image.open(io.BytesIO(one.jpeg))
    assert shot.format == "JPEG" and max(shot.size) <= LONG_SIDE
    x0, y0, x1, y1 = one.picture_box
    assert 0 <= x0 < x1 <= shot.width and 0 <= y0 < y1 <= shot.height


@pytest.mark.parametrize(("app", "theme", "cut"), list(itertools.product(APPS, THEMES, CUTS)))
def test_the_locator_finds_the_picture(app: str, theme: str, cut: str) -> None:
    # Whatever the app and theme — the poster's white band on a white app included —
    # one hypothesis is the visible picture.
    for n, name in enumerate(PICTURES):
        with Image.open(MEDIA / name) as picture:
            spec = ScreenshotSpec(app, theme, cut, n != 1, "diskominfo_banten", CAPTION, n)  # type: ignore[arg-type]
            shot = render(picture, spec)
        image = Image.open(io.BytesIO(shot.jpeg))
        found = locate(image)
        assert found is not None, (name, spec)
        clipped = [
            (max(0, a), max(0, b), min(image.width, c), min(image.height, d))
            for a, b, c, d in found.boxes
        ]
        best = max(_iou(box, shot.picture_box) for box in clipped)
        assert best >= 0.85, (name, spec, shot.picture_box, found.boxes)


def test_a_bare_photo_is_not_a_screenshot() -> None:
    rng = random.Random(5)
    noise = bytes(rng.randrange(256) for _ in range(300 * 200 * 3))
    assert locate(Image.frombytes("RGB", (300, 200), noise)) is None


def test_a_cut_picture_is_padded_with_noise_not_with_the_app() -> None:
    image = Image.new("RGB", (100, 100), "white")
    padded = crop_or_pad(image, (0, -50, 100, 100))
    assert padded.size == (100, 150)
    assert padded.getpixel((50, 75)) == (255, 255, 255)
    colours = padded.crop((0, 0, 100, 50)).getcolors(maxcolors=10_000)
    assert colours is not None and len(colours) > 100


def test_the_apps_own_lines_stay_out_of_the_caption() -> None:
    read = "\n".join(
        [
            "12.00 4G 87%",
            "Diskominfo Banten",
            "1.204 suka",
            "diskominfo_banten Halo Sahabat Banten! Presiden punya hak politik.",
            "Lihat semua 34 komentar",
            "↪ Diteruskan",
            "Suka Komentari Bagikan",
            "Pemerintah memastikan ASN netral selama pemilu.",
        ]
    )
    assert caption_lines(read) == [
        "Halo Sahabat Banten! Presiden punya hak politik.",
        "Pemerintah memastikan ASN netral selama pemilu.",
    ]
    assert without_handles("diskominfo banten Halo semua", ["diskominfo_banten"]) == ("Halo semua")
