"""The OCR engine: tesserocr kept loaded reads exactly what the tesseract program reads,
one engine per thread, the model found where Debian puts it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image

from tracer.media import ocr

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
