"""Text read off pictures, with Debian's tesseract and its Indonesian model.

OCR is optional at run time: when tesseract or the language model is missing, tracer
says so once (a logged warning and a note in the ingest report) and matches pictures by
their hashes alone, more strictly (see `MatchPolicy.image_strict_radius`).
"""

from __future__ import annotations

import functools
import logging
import shutil

import pytesseract
from PIL import Image

from tracer.errors import MediaError

log = logging.getLogger(__name__)
LANG = "ind"
OCR_TIMEOUT = 30
"""Seconds tesseract may spend on one picture."""
OCR_SIDE = 640
"""Pictures are read at this size on their longer side: headlines stay legible and
tesseract takes about half the time it needs at 1080 pixels."""


@functools.cache
def unavailable(lang: str = LANG) -> str | None:
    """Why OCR cannot run here, or None when it can. Logged once per process."""
    reason: str | None = None
    if shutil.which("tesseract") is None:
        reason = "tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-ind)"
    else:
        try:
            languages = pytesseract.get_languages(config="")
        except pytesseract.TesseractError as exc:
            reason = f"tesseract does not run: {exc}"
        else:
            if lang not in languages:
                reason = f"tesseract has no {lang!r} model (Debian: tesseract-ocr-{lang})"
    if reason:
        log.warning("OCR is off: %s; pictures are matched by their hashes alone", reason)
    return reason


def read_text(image: Image.Image, lang: str = LANG) -> str:
    """The words on a picture, as tesseract reads them (raw; normalise before use); a
    `MediaError` when tesseract fails or runs out of time."""
    grey = image.convert("L")
    scale = OCR_SIDE / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    try:
        text: str = pytesseract.image_to_string(
            grey, lang=lang, config="--psm 3", timeout=OCR_TIMEOUT
        )
    except (pytesseract.TesseractError, RuntimeError) as exc:  # RuntimeError: the timeout
        raise MediaError("(ocr)", f"tesseract failed: {exc}") from None
    return text


def read_text_or_none(image: Image.Image, lang: str) -> str | None:
    """`read_text`, or None when tesseract fails on this picture (it is then matched as
    if OCR were off; the failure is logged, the picture's other evidence kept)."""
    try:
        return read_text(image, lang)
    except MediaError as exc:
        log.warning("OCR failed on a picture: %s", exc.reason)
        return None
