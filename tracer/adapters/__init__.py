"""Readers for the export formats analysts hold, each yielding canonical values.

`FORMATS` names each format's module; modules are imported only when used, so a format
whose module is not installed yet is simply not offered by `detect`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from tracer.adapters.base import Adapter, AdapterOptions, Item, media_root
from tracer.errors import InputError

FORMATS: dict[str, str] = {
    "canonical": "tracer.adapters.canonical",
    "instaloader": "tracer.adapters.instaloader",
    "zeeschuimer": "tracer.adapters.zeeschuimer",
    "crowdtangle": "tracer.adapters.crowdtangle",
    "ytdlp": "tracer.adapters.ytdlp",
    "telegram": "tracer.adapters.telegram",
    "whatsapp": "tracer.adapters.whatsapp",
    "meta-archive": "tracer.adapters.meta_archive",
    "x-archive": "tracer.adapters.x_archive",
}


def adapter(name: str) -> Adapter:
    """The adapter module of a format, or an `InputError` listing the formats."""
    module_name = FORMATS.get(name)
    if module_name is None:
        raise InputError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise InputError(f"format {name!r} is not available in this tracer") from None
    return cast(Adapter, module)


def available() -> list[str]:
    """Formats whose module can be imported."""
    names = []
    for name in FORMATS:
        try:
            adapter(name)
        except InputError:
            continue
        names.append(name)
    return names


def detect(path: Path) -> str:
    """The one format `path` looks like; an `InputError` naming the candidates when there
    are none or several."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    candidates = [name for name in available() if _looks_like(name, path)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InputError(
            f"{path}: cannot tell its format; pass --format ({', '.join(available())})"
        )
    raise InputError(f"{path}: looks like several formats ({', '.join(candidates)}); pass --format")


def _looks_like(name: str, path: Path) -> bool:
    """One adapter's guess; a file it cannot even open or decode is not its format."""
    try:
        return adapter(name).detect(path)
    except (OSError, ValueError):
        return False


def read(path: Path, format: str, options: AdapterOptions | None = None) -> Iterator[Item]:
    """Stream a file or folder of `format` as accounts, posts and record errors."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return adapter(format).read(path, options or AdapterOptions())


def root_of(path: Path, format: str) -> Path:
    """The folder a format's media paths are relative to: the adapter's own
    `media_root(path)` when it has one (archives: the folder holding the archive, so an
    archive and its unzipped folder give the same paths), else `base.media_root`."""
    own = getattr(adapter(format), "media_root", None)
    return Path(own(path)) if callable(own) else media_root(path)
