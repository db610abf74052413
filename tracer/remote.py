"""What a worker elsewhere must share with the ingest for its fingerprints to be the
ones this process would compute: the same tracer code, the same decoding and hashing
libraries, the same OCR engine and model, and the corpus at the same path. Checked on
every worker before a remote engine is given a file, so that a cluster half-upgraded
or mounted elsewhere is refused by name instead of storing fingerprints that never
match the ones stored before.
"""

from __future__ import annotations

import functools
import hashlib
import platform
from importlib import metadata
from pathlib import Path

from tracer.engines import Engine
from tracer.media.signals import media_params
from tracer.prepare import reading_params

STAGE_PACKAGES = (
    "av",
    "imagehash",
    "numpy",
    "pdqhash",
    "pillow",
    "pytesseract",
    "scipy",
    "tesserocr",
    "xxhash",
)
"""The libraries that decode, hash and read media files (their versions move values)."""


@functools.cache
def code_digest() -> str:
    """A digest of tracer's own modules: the version number moves only on releases."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def stage_identity(root: Path, ocr_lang: str | None) -> dict[str, str]:
    """What the fingerprint stage's results depend on in this process, and whether it
    sees the corpus folder; each worker's must be the ingest's."""
    found = {name: _version(name) for name in STAGE_PACKAGES}
    found.update(
        {
            "python": ".".join(platform.python_version_tuple()[:2]),
            "tracer code": code_digest(),
            "media fingerprints": media_params(),
            "reading": reading_params(ocr_lang),
            "corpus folder": "found" if root.is_dir() else "not found",
        }
    )
    return found


def check_workers(engine: Engine, root: Path, ocr_lang: str | None) -> None:
    """`EngineError` naming the first worker of a remote engine that differs."""
    if engine.remote:
        engine.require_same(stage_identity, root.resolve(), ocr_lang)
