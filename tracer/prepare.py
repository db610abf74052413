"""Raw corpus lines → validated, normalised, fingerprinted records, ready to link.

This is the part of an ingest that needs no shared state, so a large corpus is
prepared in a worker process, one batch ahead of the linker: the two cores then
split the work instead of one waiting.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from itertools import islice, repeat
from pathlib import Path

from PIL import Image

from tracer import ocr
from tracer.corpus import PostRecord, parse_line
from tracer.errors import MediaError, RecordError
from tracer.media import MediaLimits, check_size, load_image, media_kind, sample_video
from tracer.mediafp import (
    WORK_SIDE,
    ImagePrint,
    VideoPrint,
    fingerprint_frames,
    fingerprint_image,
)
from tracer.mediamatch import MediaItem
from tracer.normalize import NormalText, normalize_text
from tracer.textfp import TextFingerprint, fingerprint_texts

MEDIA_POOL_MIN = 4
"""A batch with at least this many media files fingerprints them on every core."""
MEDIA_BATCH = 128
"""Media files per ingest transaction at most: with OCR, ~25 s of work on two idle cores
and ~2 min under heavy load, which is all a crash can lose (5,000 lines of posts with
pictures were once half an hour of uncommitted work)."""
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class PreparedMedia:
    """One media file of a post, fingerprinted, or the reason it could not be."""

    path: str
    kind: str
    sha256: str | None = None
    item: MediaItem | None = None
    ocr_text: str | None = None
    error: str | None = None
    thumbnail: bytes | None = None

    @property
    def algorithm(self) -> str | None:
        if self.item is None:
            return None
        return ImagePrint.ALGORITHM if self.item.image is not None else VideoPrint.ALGORITHM

    @property
    def fingerprint(self) -> bytes | None:
        if self.item is None:
            return None
        value = self.item.image or self.item.video
        return value.to_bytes() if value is not None else None


@dataclass(frozen=True, slots=True)
class Prepared:
    record: PostRecord
    norm: NormalText
    fingerprint: TextFingerprint
    media: tuple[PreparedMedia, ...] = ()


@dataclass(frozen=True, slots=True)
class LineContext:
    """What validating a line needs to know (picklable, for the worker)."""

    name: str
    accounts: frozenset[str]
    root: Path
    assume: tzinfo | None
    limits: MediaLimits = field(default_factory=MediaLimits)
    ocr_lang: str | None = ocr.LANG
    """None: do not read text off pictures."""


THUMBNAIL_SIDE = 240


def thumbnail(image: Image.Image) -> bytes:
    """A small JPEG of a picture or a clip's middle frame, kept for verification cards."""
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    small.convert("RGB").save(out, "JPEG", quality=70)
    return out.getvalue()


def prepare_media(
    root: Path, path: str, limits: MediaLimits, ocr_lang: str | None
) -> PreparedMedia:
    """Decode, fingerprint and (for pictures) read one file; a bad file is an error
    value for its post, never an exception that stops the batch."""
    full = root / path
    kind = "unknown"
    try:
        kind = media_kind(full)
        check_size(full, limits)
        with full.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        if kind == "video":
            frames = sample_video(full, limits)
            video = fingerprint_frames(frames.times, frames.frames, frames.duration)
            still = Image.fromarray(frames.frames[len(frames.frames) // 2])
            return PreparedMedia(
                path, kind, digest, MediaItem(path, video=video), thumbnail=thumbnail(still)
            )
        image = load_image(full, limits, min_side=512 if ocr_lang else WORK_SIDE)
        text: str | None = None
        tokens: tuple[str, ...] | None = None
        if ocr_lang is not None and ocr.unavailable(ocr_lang) is None:
            text = ocr.read_text_or_none(image, ocr_lang)
            tokens = normalize_text(text).tokens if text is not None else None
        item = MediaItem(path, image=fingerprint_image(image), ocr=tokens)
        return PreparedMedia(path, kind, digest, item, text, thumbnail=thumbnail(image))
    except MediaError as exc:
        return PreparedMedia(path, kind, error=exc.reason)
    except OSError as exc:
        return PreparedMedia(path, kind, error=f"cannot read: {exc.strerror}")


def _die_with_parent(parent: int) -> None:
    """A worker's initializer: the worker ends when the ingest that forked it ends, however
    it ends (a `kill -9` included). On Linux the kernel sends it SIGKILL; everywhere, a
    watchdog thread notices the parent is gone within a second."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="tracer-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    # fork: a worker needs no re-import of the caller's main module (a script without a
    # `__main__` guard would otherwise break), and it holds no database connection.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )


def _prepare_all_media(
    jobs: list[str], ctx: LineContext, done: Callable[[int], None] | None
) -> list[PreparedMedia]:
    if len(jobs) < MEDIA_POOL_MIN:
        here = (prepare_media(ctx.root, j, ctx.limits, ctx.ocr_lang) for j in jobs)
        return list(_counted(here, done))
    with _worker_pool(os.cpu_count() or 2) as pool:
        limits, lang = repeat(ctx.limits), repeat(ctx.ocr_lang)
        found = pool.map(prepare_media, repeat(ctx.root), jobs, limits, lang, chunksize=4)
        return list(_counted(found, done))


def _counted(
    items: Iterable[PreparedMedia], done: Callable[[int], None] | None
) -> Iterator[PreparedMedia]:
    for item in items:
        yield item
        if done:
            done(1)


def prepare_lines(lines: list[tuple[int, bytes]], ctx: LineContext) -> list[Prepared | RecordError]:
    accounts = set(ctx.accounts)  # once per batch, not per line
    parsed = [
        parse_line(n, raw, name=ctx.name, accounts=accounts, root=ctx.root, assume=ctx.assume)
        for n, raw in lines
    ]
    records = [p for p in parsed if isinstance(p, PostRecord)]
    norms = [normalize_text(r.post.text) for r in records]
    prepared = iter(
        Prepared(r, n, f) for r, n, f in zip(records, norms, fingerprint_texts(norms), strict=True)
    )
    return [next(prepared) if isinstance(p, PostRecord) else p for p in parsed]


def with_media(
    records: list[Prepared], ctx: LineContext, done: Callable[[int], None] | None = None
) -> list[Prepared]:
    """The records with their media files fingerprinted (and pictures read); `done` is
    told of each file as it is finished.

    Done after the store has set aside the posts it already holds: decoding and OCR are
    most of an ingest's cost, and a re-ingest of an unchanged corpus needs none of it."""
    jobs = sorted({m for p in records for m in p.record.post.media})
    if not jobs:
        return records
    prepared = dict(zip(jobs, _prepare_all_media(jobs, ctx, done), strict=True))
    return [replace(p, media=tuple(prepared[m] for m in p.record.post.media)) for p in records]


def media_bounded(records: list[Prepared], limit: int = MEDIA_BATCH) -> Iterator[list[Prepared]]:
    """The records in order, cut into runs of at most `limit` media files (a post with
    more is a run of its own): each run is one transaction of the ingest."""
    run: list[Prepared] = []
    files = 0
    for p in records:
        count = len(p.record.post.media)
        if run and files + count > limit:
            yield run
            run, files = [], 0
        run.append(p)
        files += count
    if run:
        yield run


def prepared_batches(
    lines: Iterable[tuple[int, bytes]], ctx: LineContext, batch_size: int, in_worker: bool
) -> Iterator[list[Prepared | RecordError]]:
    """Batches in file order; with `in_worker`, each is prepared while the caller links
    the one before."""
    it = iter(lines)
    chunks = iter(lambda: list(islice(it, batch_size)), [])
    if not in_worker:
        for chunk in chunks:
            yield prepare_lines(chunk, ctx)
        return
    with _worker_pool(1) as pool:
        pending: Future[list[Prepared | RecordError]] | None = None
        for chunk in chunks:
            submitted = pool.submit(prepare_lines, chunk, ctx)
            if pending is not None:
                yield pending.result()
            pending = submitted
        if pending is not None:
            yield pending.result()
