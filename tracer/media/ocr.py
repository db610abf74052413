"""Text read off pictures, with tesseract and Debian's Indonesian model.

The engine is kept loaded, one per process and thread: `tesserocr` (its wheels bundle
libtesseract) reads Debian's `ind` model in memory, twice as fast per picture as
`pytesseract`, which spawns a tesseract process for each one. `pytesseract` is the
fallback when `tesserocr` cannot load. Either runs on one thread (`OMP_THREAD_LIMIT=1`,
set before the engine loads): the prepare workers already use every core, and
tesseract's own OpenMP threads on top of them made OCR slower, not faster.

OCR is optional at run time: when tesseract or the language model is missing, tracer
says so once (a logged warning and a note in the ingest report) and matches pictures by
their hashes alone, more strictly (see `MatchPolicy.image_strict_radius`).
"""

from __future__ import annotations

import functools
import glob
import logging
import os
import shutil
import threading
from typing import Protocol

import pytesseract
from PIL import Image, ImageOps

from tracer.errors import MediaError

log = logging.getLogger("tracer.ocr")
LANG = "ind"
OCR_TIMEOUT = 30
"""Seconds the tesseract process may spend on one picture (the `pytesseract` fallback)."""
OCR_SIDE = 640
"""Pictures are read at this size on their longer side: headlines stay legible and
tesseract takes about half the time it needs at 1080 pixels (smaller sizes: see
docs/media.md)."""
DARK_SHARE = 0.5
"""A picture darker than mid-grey over more than this share of it is read as its
negative. Posters print their headlines light on a dark ground, and tesseract reads a
line it is unsure of a second time, inverted: given the negative, it reads those
headlines once and the few dark-on-light lines twice: 15 % less CPU a call on the media
corpus's pictures, the same words but for noise fragments (`bench/ocr_polarity.py`)."""
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
"""Where the system's models are looked for when `TESSDATA_PREFIX` does not say."""


class Engine(Protocol):
    name: str

    def read(self, grey: Image.Image) -> str: ...

    def lines(self, grey: Image.Image) -> list[tuple[float, str]]:
        """Each text line read, with the row of its middle (pixels of `grey`)."""
        ...


class _Tesserocr:
    """libtesseract in this process, its model loaded once."""

    def __init__(self, tessdata: str, lang: str) -> None:
        import tesserocr  # here, not at the top: after OMP_THREAD_LIMIT is set

        self._api = tesserocr.PyTessBaseAPI(path=tessdata, lang=lang, psm=tesserocr.PSM.AUTO)
        version = tesserocr.tesseract_version().split()[1]
        self.name = f"tesserocr-{version}"

    def read(self, grey: Image.Image) -> str:
        self._api.SetImage(grey)
        # What the tesseract program assumes of the PNG `pytesseract` hands it; left to
        # itself, the library guesses a resolution and reads some pictures differently.
        self._api.SetSourceResolution(resolution(grey))
        text: str = self._api.GetUTF8Text()
        return text

    def lines(self, grey: Image.Image) -> list[tuple[float, str]]:
        import tesserocr

        self._api.SetImage(grey)
        self._api.SetSourceResolution(resolution(grey))
        self._api.Recognize()
        level = tesserocr.RIL.TEXTLINE
        out: list[tuple[float, str]] = []
        for line in tesserocr.iterate_level(self._api.GetIterator(), level):
            box = line.BoundingBox(level)
            text = line.GetUTF8Text(level) if box else ""
            if text and text.strip():
                out.append(((box[1] + box[3]) / 2, " ".join(text.split())))
        return out


class _Pytesseract:
    """A tesseract process per picture: the fallback."""

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self.name = f"tesseract-{pytesseract.get_tesseract_version()}"

    def read(self, grey: Image.Image) -> str:
        try:
            text: str = pytesseract.image_to_string(
                grey, lang=self._lang, config="--psm 3", timeout=OCR_TIMEOUT
            )
        except (pytesseract.TesseractError, RuntimeError) as exc:  # RuntimeError: timeout
            raise MediaError("(ocr)", f"tesseract failed: {exc}") from None
        return text

    def lines(self, grey: Image.Image) -> list[tuple[float, str]]:
        try:
            data = pytesseract.image_to_data(
                grey,
                lang=self._lang,
                config="--psm 3",
                output_type=pytesseract.Output.DICT,
                timeout=OCR_TIMEOUT,
            )
        except (pytesseract.TesseractError, RuntimeError) as exc:
            raise MediaError("(ocr)", f"tesseract failed: {exc}") from None
        found: dict[tuple[int, int, int], list[tuple[float, str]]] = {}
        for n, word in enumerate(data["text"]):
            if word.strip():
                key = (data["block_num"][n], data["par_num"][n], data["line_num"][n])
                middle = data["top"][n] + data["height"][n] / 2
                found.setdefault(key, []).append((middle, word))
        return [
            (sorted(m for m, _ in words)[len(words) // 2], " ".join(w for _, w in words))
            for words in found.values()
        ]


def resolution(image: Image.Image) -> int:
    """The picture's dots per inch as tesseract takes them: its own when credible (70 to
    2400), else 70."""
    dpi = image.info.get("dpi")
    value = round(float(dpi[0])) if isinstance(dpi, tuple) and dpi else 0
    return value if 70 <= value <= 2400 else 70


def tessdata_dir(lang: str, candidates: tuple[str, ...] = TESSDATA_DIRS) -> str | None:
    """The folder holding `lang`'s model: `$TESSDATA_PREFIX`, else the system's."""
    dirs = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    dirs += sorted((d for pattern in candidates for d in glob.glob(pattern)), reverse=True)
    for folder in dirs:
        if os.path.isfile(os.path.join(folder, f"{lang}.traineddata")):
            return folder.rstrip("/") + "/"
    return None


_local = threading.local()


def engine(lang: str = LANG, prefer: str = "tesserocr") -> Engine:
    """This thread's engine for `lang` (loaded on first use); a `MediaError` when
    neither `tesserocr` nor a tesseract program can read `lang`."""
    engines: dict[tuple[str, str], Engine] = _local.__dict__.setdefault("engines", {})
    key = (lang, prefer)
    if key not in engines:
        engines[key] = _load(lang, prefer)
    return engines[key]


def _load(lang: str, prefer: str) -> Engine:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    tessdata = tessdata_dir(lang)
    if prefer == "tesserocr" and tessdata is not None:
        try:
            return _Tesserocr(tessdata, lang)
        except (ImportError, RuntimeError) as exc:
            _warn_fallback(str(exc))
    if shutil.which("tesseract") is None:
        raise MediaError("(ocr)", "tesseract is not installed (Debian: tesseract-ocr)")
    try:
        languages = pytesseract.get_languages(config="")
    except pytesseract.TesseractError as exc:
        raise MediaError("(ocr)", f"tesseract does not run: {exc}") from None
    if lang not in languages:
        raise MediaError("(ocr)", f"tesseract has no {lang!r} model (Debian: tesseract-ocr-{lang})")
    return _Pytesseract(lang)


@functools.cache
def _warn_fallback(reason: str) -> None:
    log.warning("tesserocr cannot load (%s): OCR runs a tesseract process per picture", reason)


@functools.cache
def unavailable(lang: str = LANG) -> str | None:
    """Why OCR cannot run here, or None when it can. Logged once per process; loads
    the engine, so that worker processes forked afterwards start with it loaded."""
    try:
        engine(lang)
    except MediaError as exc:
        log.warning("OCR is off: %s; pictures are matched by their hashes alone", exc.reason)
        return exc.reason
    return None


def params(lang: str = LANG) -> str:
    """What the text read off a picture depends on, stored beside it: a stored reading
    is reused only when these are the same."""
    return f"{engine(lang).name}/{lang}/side{OCR_SIDE}/dark-negative"


def ocr_copy(image: Image.Image, side: int = OCR_SIDE) -> Image.Image:
    """The grey copy tesseract reads: `grey_copy`, turned negative when most of it is
    dark (`DARK_SHARE`)."""
    grey = grey_copy(image, side)
    return ImageOps.invert(grey) if mostly_dark(grey) else grey


def grey_copy(image: Image.Image, side: int = OCR_SIDE) -> Image.Image:
    """The picture in grey, `side` pixels on its longer side at most (the picture itself
    when it is grey and small enough: it is only read)."""
    grey = image if image.mode == "L" else image.convert("L")
    scale = side / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return grey


def mostly_dark(grey: Image.Image) -> bool:
    """More than `DARK_SHARE` of the picture below mid-grey."""
    histogram = grey.histogram()
    return sum(histogram[:128]) > DARK_SHARE * grey.width * grey.height


def read_text(image: Image.Image, lang: str = LANG, side: int = OCR_SIDE) -> str:
    """The words on a picture, as tesseract reads them (raw; normalise before use); a
    `MediaError` when tesseract fails or runs out of time."""
    grey = ocr_copy(image, side)
    try:
        return engine(lang).read(grey)
    except RuntimeError as exc:  # tesserocr's failures
        raise MediaError("(ocr)", f"tesseract failed: {exc}") from None


def read_text_or_none(image: Image.Image, lang: str) -> str | None:
    """`read_text`, or None when tesseract fails on this picture (it is then matched as
    if OCR were off; the failure is logged, the picture's other evidence kept)."""
    try:
        return read_text(image, lang)
    except MediaError as exc:
        log.warning("OCR failed on a picture: %s", exc.reason)
        return None
