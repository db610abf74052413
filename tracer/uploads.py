"""Uploaded batches → a canonical corpus folder → `service.ingest`, as the CLI does.

Two upload kinds: JSON lines of posts (against the accounts already stored) and a zip
of a corpus folder. Archive members that would land outside the folder (absolute
names, `..`, links) are refused, and so is an archive that unpacks to far more than
was uploaded. Reports name files relative to the corpus, never the server's paths.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Literal

from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE, write_corpus
from tracer.errors import CorpusError, RecordError
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.service import IngestReport, ingest
from tracer.store import Store

UploadKind = Literal["ndjson", "zip"]
UNPACK_RATIO = 20
"""An archive may unpack to at most this many times the upload limit."""


def corpus_from_lines(store: Store, body: Path, folder: Path) -> Path:
    """A corpus of the uploaded JSON lines and the stored accounts."""
    write_corpus(folder, store.accounts().values(), ())
    os.replace(body, folder / POSTS_FILE)
    return folder


def corpus_from_zip(archive: Path, folder: Path, max_bytes: int) -> Path:
    """Unpack a zipped corpus folder; the corpus is the archive's root or its only
    top-level folder, whichever holds accounts.csv."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if sum(m.file_size for m in members) > max_bytes * UNPACK_RATIO:
                raise CorpusError("the archive unpacks to too much data")
            for member in members:
                _check_member(member)
            folder.mkdir(parents=True, exist_ok=True)
            for member in members:
                _extract(zipped, member, folder)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise CorpusError(f"not a readable zip archive: {exc}") from None
    if (folder / ACCOUNTS_FILE).is_file():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and (p / ACCOUNTS_FILE).is_file()]
    if len(inner) != 1:
        raise CorpusError(f"the archive holds no corpus folder ({ACCOUNTS_FILE} not found)")
    return inner[0]


def _extract(zipped: zipfile.ZipFile, member: zipfile.ZipInfo, folder: Path) -> None:
    """One member; a name too long for the file system is left out, and the post that
    names it is reported like any post whose media path cannot be opened."""
    try:
        zipped.extract(member, folder)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise


def _check_member(member: zipfile.ZipInfo) -> None:
    name = PurePosixPath(member.filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or ":" in member.filename:
        raise CorpusError(f"archive member {member.filename!r} leaves the corpus folder")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise CorpusError(f"archive member {member.filename!r} is a link")


def ingest_upload(
    store: Store,
    kind: UploadKind,
    body: Path,
    workdir: Path,
    *,
    max_bytes: int,
    policy: MatchPolicy = DEFAULT_POLICY,
    batch_size: int = 5000,
) -> IngestReport:
    """Ingest an uploaded batch saved at `body`, using `workdir` (empty) to unpack it."""
    folder = workdir / "corpus"
    try:
        if kind == "ndjson":
            root = corpus_from_lines(store, body, folder)
        else:
            root = corpus_from_zip(body, folder, max_bytes)
        report = ingest(store, root, policy=policy, batch_size=batch_size)
    except CorpusError as exc:
        raise CorpusError(str(exc).replace(f"{folder}{os.sep}", "")) from None
    return _relative(report, root)


def _relative(report: IngestReport, root: Path) -> IngestReport:
    def fix(errors: list[RecordError]) -> list[RecordError]:
        return [RecordError(_name(e.file, root), e.line, e.field, e.reason) for e in errors]

    return replace(
        report,
        errors=fix(report.errors),
        conflicts=fix(report.conflicts),
        media_errors=fix(report.media_errors),
    )


def _name(file: str, root: Path) -> str:
    path = Path(file)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
