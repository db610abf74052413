"""A platform's account archive as handed over: a folder, or the zip it came as.

Meta's "Download your information" and X's account archive arrive as a zip that users
often unzip first; both are read the same way through `Archive`: member names are POSIX
paths relative to the archive's root (a zip's single top folder, when it has one, is
looked through), members open as byte streams, and a media file is made available under
`media_root(path)`, the folder that holds the archive: in place for a folder
(`x/data/a.jpg`); for a zip, extracted on demand into a folder named after the zip beside
it, whole files only, reused when present (`x.zip` → `x/data/a.jpg`). So an archive and
the folder it unzips to give the same media paths, and the same posts.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from tracer.errors import CorpusError


class Archive:
    """Names, streams and media of a folder or a zip (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if path.is_dir():
            self.names = sorted(_walk(path))
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise CorpusError(f"{path}: not a readable zip ({exc})") from None
            members = [n for n in self._zip.namelist() if _is_content(n)]
            tops = {n.split("/", 1)[0] for n in members}
            if len(tops) == 1 and all("/" in n for n in members):
                self._prefix = f"{tops.pop()}/"
            self.names = sorted(n[len(self._prefix) :] for n in members)
        else:
            raise CorpusError(f"{path}: neither a folder nor a zip file")
        self._known = frozenset(self.names)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def label(self) -> str:
        """The archive's name in messages: the folder's or the zip's."""
        return self.path.name

    def where(self, name: str) -> str:
        """A member as the user can find it: a path, or `archive.zip/member`."""
        return str(self.path / name)

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self._zip is None:
            with (self.path / name).open("rb") as stream:
                yield stream
        else:
            with self._zip.open(self._prefix + name) as stream:
                yield stream

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            return stream.read()

    def media(self, name: str) -> str | None:
        """The member's path relative to `media_root(self.path)`, made to exist there;
        None when the archive does not hold it."""
        if name not in self._known:
            return None
        if self._zip is None:
            return f"{self.path.name}/{name}"
        target = self.path.parent / self.path.stem / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.part")
            with self._zip.open(self._prefix + name) as src, partial.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            partial.replace(target)
        return f"{self.path.stem}/{name}"


def _is_content(name: str) -> bool:
    """Not a folder entry, nor what macOS adds to a zip it makes (`__MACOSX/`,
    `.DS_Store`), which would hide the archive's single top folder."""
    return (
        not name.endswith("/")
        and not name.startswith("__MACOSX/")
        and (PurePosixPath(name).name != ".DS_Store")
    )


def _walk(root: Path) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder).relative_to(root)
        for file in files:
            yield PurePosixPath(*base.parts, file).as_posix()


def media_root(path: Path) -> Path:
    """Where an archive's media paths start: the folder holding the archive."""
    return path.parent


def is_archive(path: Path) -> bool:
    """A folder, or a file that is a zip."""
    return path.is_dir() or (path.is_file() and zipfile.is_zipfile(path))
