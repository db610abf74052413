"""The OCR engine: tesserocr kept loaded reads exactly what the tesseract program reads,
one engine per thread, the model found where Debian puts it; the page it is handed
holds the picture's lines only, each dark on light."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tracer.media import ocr
from tracer.media.textpresence import text_boxes
from tracer.normalize import normalize_text

from ..media_samples import sm

pytestmark = pytest.mark.skipif(ocr.unavailable() is not None, reason="no tesseract 'ind'")


def test_the_loaded_engine_is_tesserocr() -> None:
    assert ocr.engine().name.startswith("tesserocr-")
    assert ocr.params().startswith(ocr.engine().name)


def test_tesserocr_reads_what_the_tesseract_program_reads() -> None:
    poster = sm.ministry_poster("Kopi lokal naik kelas lewat pemasaran digital", sm.photo("coffee"))
    grey = ocr.ocr_copy(poster)
    loaded = ocr.engine().read(grey)
    program = ocr.engine(prefer="tesseract").read(grey)
    assert ocr.engine(prefer="tesseract").name.startswith("tesseract-")
    assert "KOMUNIKASI" in loaded
    assert loaded == program


def test_each_thread_has_its_own_engine() -> None:
    mine = ocr.engine()
    theirs: list[ocr.Engine] = []
    worker = threading.Thread(target=lambda: theirs.append(ocr.engine()))
    worker.start()
    worker.join()
    assert theirs and theirs[0] is not mine
    assert ocr.engine() is mine


def test_resolution_is_the_pictures_own_when_credible() -> None:
    image = Image.new("L", (10, 10))
    assert ocr.resolution(image) == 70
    image.info["dpi"] = (300.0, 300.0)
    assert ocr.resolution(image) == 300
    image.info["dpi"] = (1, 1)  # JFIF's "no unit" density
    assert ocr.resolution(image) == 70


def test_the_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = ocr.tessdata_dir("ind")
    assert system is not None and Path(system, "ind.traineddata").is_file()
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert ocr.tessdata_dir("ind") == system  # no model there: the system's
    (tmp_path / "ind.traineddata").write_bytes(b"")
    assert ocr.tessdata_dir("ind") == f"{tmp_path}/"
    assert ocr.tessdata_dir("xx-none") is None


def _headline_band(ground: tuple[int, int, int], ink: tuple[int, int, int]) -> Image.Image:
    """A photo-free picture: one line of words on a band, the rest a flat ground."""
    picture = Image.new("RGB", (1080, 720), (200, 200, 200))
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 300, 1079, 420], fill=ground)
    draw.text((60, 325), "Waspada cuaca ekstrem di Merauke", font=sm.font(64), fill=ink)
    return picture


@pytest.mark.parametrize(
    ("ground", "ink"), [((20, 40, 110), (255, 255, 255)), ((250, 250, 250), (20, 40, 110))]
)
def test_the_page_turns_every_line_dark_on_light(
    ground: tuple[int, int, int], ink: tuple[int, int, int]
) -> None:
    picture = _headline_band(ground, ink)
    boxes = text_boxes(picture)
    grey = ocr.ocr_copy(picture)
    levels = np.asarray(ocr.page(grey, boxes))
    inside = levels[round(grey.height * 330 / 720) : round(grey.height * 390 / 720)]
    assert np.median(inside) == 255  # the band's ground, light or dark, is white
    assert inside.min() == 0  # and its letters black
    assert (levels[: round(grey.height * 0.3)] == 255).all()  # no line above: blank


def test_a_light_headline_is_read_off_the_page() -> None:
    words = normalize_text(ocr.read_text(_headline_band((20, 40, 110), (255, 255, 255)))).tokens
    assert words == ("waspada", "cuaca", "ekstrem", "di", "merauke")


def test_a_picture_without_lines_is_not_read() -> None:
    assert ocr.read_text(Image.new("RGB", (1080, 1080), (11, 42, 91))) == ""
    assert ocr.read_text(Image.new("RGB", (640, 640)), boxes=[]) == ""
