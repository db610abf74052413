"""Raw corpus lines → validated, normalised, fingerprinted records, ready to link.

This is the part of an ingest that needs no shared state, so a large corpus is
prepared in a worker process, one batch ahead of the linker, and media files by the
workers of an engine (local processes, or a Dask cluster: `tracer.engines`), one run
ahead (`MediaPipeline`): the cores then split the work instead of one waiting.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from itertools import islice, repeat
from pathlib import Path
from typing import Any

from PIL import Image

from tracer.corpus import LinePlaces, PostRecord, parse_line
from tracer.engines import Engine, LocalPool, process_pool
from tracer.errors import MediaError, RecordError
from tracer.media import ocr, textpresence
from tracer.media.decode import MediaLimits, check_size, load_image, media_kind, sample_video
from tracer.media.fingerprint import WORK_SIDE, ImagePrint, fingerprint_image, work_copy
from tracer.media.match import MediaItem
from tracer.media.video import VideoPrint, fingerprint_frames
from tracer.normalize import NormalText, normalize_text, normalize_url
from tracer.text.fingerprint import TextFingerprint, fingerprint_texts

MEDIA_POOL_MIN = 4
"""A batch with at least this many media files fingerprints them on every core."""
PREPARE_WORKERS = 2
"""Processes that prepare a large corpus's lines: one could not keep up with the caller
storing the lines of a corpus that arrives out of time order (relinked at the end), which
costs ~60 us a post against preparing's ~150 (measured at 100k posts)."""
PREPARE_NICE = 5
"""How much lower the line-preparing processes' priority is than the ingest's: they work
ahead of its one linking thread, which sets the ingest's pace, and yield it their core
whenever both want one."""
MEDIA_BATCH = 128
"""Media files per ingest transaction at most: with OCR, ~25 s of work on two idle cores
and ~2 min under heavy load, which is all a crash can lose (5,000 lines of posts with
pictures were once half an hour of uncommitted work)."""


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
    ocr_params: str | None = None
    """What `ocr_text` depends on (`reading_params`); None: not to be reused."""
    ocr_calls: int = 0
    reused: bool = False
    """Copied from a file with the same SHA-256, not decoded again."""

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
    url_key: str | None
    """The post's URL, folded (`normalize_url`): what a trace by URL looks up; folded
    here, in the preparing worker, not by the process that stores it."""
    media: tuple[PreparedMedia, ...] = ()

    def __reduce__(self) -> tuple[type[Prepared], tuple[Any, ...]]:
        fields = (self.record, self.norm, self.fingerprint, self.url_key, self.media)
        return (Prepared, fields)  # as `Post.__reduce__`


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


THUMBNAIL_LONGEST = 512
"""A thumbnail is the fingerprints' work copy (`WORK_SIDE` on its shorter side), cut
down only when its longer side is over this (a tall infographic, a panorama)."""


def thumbnail(work: Image.Image) -> bytes:
    """A small JPEG of a picture or a clip's middle frame, kept for verification cards:
    the picture's work copy the fingerprints are computed on (a clip's frame as sampled,
    256 pixels wide), as it is. Resampling the picture to 240 pixels, as thumbnails were
    made before, cost ~2.4 ms a picture on the media corpus, where Pillow's resampling
    is most of a picture's preparation; encoding the work copy costs ~0.3. A square
    picture's thumbnail is 256² (was 240²), a 16:9 one 455×256 (was 240×135)."""
    small = work
    if max(work.size) > THUMBNAIL_LONGEST:
        small = work.copy()
        small.thumbnail((THUMBNAIL_LONGEST, THUMBNAIL_LONGEST), reducing_gap=1.0)
    out = io.BytesIO()
    (small if small.mode == "RGB" else small.convert("RGB")).save(out, "JPEG", quality=70)
    return out.getvalue()


OCR_OFF = "off"
StoredMedia = Callable[[Sequence[str], str], Mapping[str, PreparedMedia]]
"""The store's files by SHA-256, for the given `reading_params`."""


def reading_params(ocr_lang: str | None) -> str:
    """What a stored file's reading depends on: OCR off, or the engine, its settings and
    the text-presence test (a reading is reused only under the same ones)."""
    if ocr_lang is None or ocr.unavailable(ocr_lang) is not None:
        return OCR_OFF
    return f"{ocr.params(ocr_lang)}/presence{textpresence.VERSION}"


def read_picture(image: Image.Image, ocr_lang: str | None) -> tuple[str | None, int]:
    """The text on a picture and the OCR calls spent on it. A picture the text-presence
    test finds bare is not read: its text is "" (read, no words), never None (OCR did
    not run), which the matcher treats differently."""
    if ocr_lang is None or ocr.unavailable(ocr_lang) is not None:
        return None, 0
    grey = image.convert("L")  # once for the test and the reading
    if not textpresence.has_text(grey):
        return "", 0
    return ocr.read_text_or_none(grey, ocr_lang), 1


def identify(root: Path, path: str, limits: MediaLimits) -> tuple[str, str] | PreparedMedia:
    """A file's kind and SHA-256, or the error value for it."""
    full = root / path
    kind = "unknown"
    try:
        kind = media_kind(full)
        check_size(full, limits)
        with full.open("rb") as stream:
            return kind, hashlib.file_digest(stream, "sha256").hexdigest()
    except MediaError as exc:
        return PreparedMedia(path, kind, error=exc.reason)
    except OSError as exc:
        return PreparedMedia(path, kind, error=f"cannot read: {exc.strerror}")


def prepare_media(
    root: Path, path: str, limits: MediaLimits, ocr_lang: str | None, digest: str | None = None
) -> PreparedMedia:
    """Decode, fingerprint and (for pictures) read one file; a bad file is an error
    value for its post, never an exception that stops the batch."""
    full = root / path
    kind = "unknown"
    try:
        if digest is None:
            known = identify(root, path, limits)
            if isinstance(known, PreparedMedia):
                return known
            digest = known[1]
        kind = media_kind(full)
        if kind == "video":
            frames = sample_video(full, limits)
            video = fingerprint_frames(frames.times, frames.frames, frames.duration)
            # Frames are sampled 256 pixels wide: already a work copy's size.
            still = Image.fromarray(frames.frames[len(frames.frames) // 2])
            return PreparedMedia(
                path, kind, digest, MediaItem(path, video=video), thumbnail=thumbnail(still)
            )
        image = load_image(full, limits, min_side=512 if ocr_lang else WORK_SIDE)
        text, calls = read_picture(image, ocr_lang)
        tokens = normalize_text(text).tokens if text is not None else None
        work, _ = work_copy(image)
        item = MediaItem(path, image=fingerprint_image(image, work), ocr=tokens)
        params = reading_params(ocr_lang) if text is not None or ocr_lang is None else None
        return PreparedMedia(
            path,
            kind,
            digest,
            item,
            text,
            thumbnail=thumbnail(work),
            ocr_params=params,
            ocr_calls=calls,
        )
    except MediaError as exc:
        return PreparedMedia(path, kind, error=exc.reason)
    except OSError as exc:
        return PreparedMedia(path, kind, error=f"cannot read: {exc.strerror}")


def prepare_checked(
    root: Path, path: str, limits: MediaLimits, ocr_lang: str | None, digest: str
) -> PreparedMedia:
    """`prepare_media` on a worker that reads the corpus through its own mount: the
    file's SHA-256 is taken again there, and a file that is not the ingest's is an error
    for its post, never fingerprints stored under the ingest's digest."""
    found = prepare_media(root, path, limits, ocr_lang)
    if found.sha256 is not None and found.sha256 != digest:
        why = f"the worker reads another file at this path (SHA-256 {found.sha256[:12]}…)"
        return PreparedMedia(path, found.kind, error=why)
    return found


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
        Prepared(r, n, f, normalize_url(r.post.url) if r.post.url else None)
        for r, n, f in zip(records, norms, fingerprint_texts(norms), strict=True)
    )
    return [next(prepared) if isinstance(p, PostRecord) else p for p in parsed]


def prepare_at(places: LinePlaces, ctx: LineContext) -> list[Prepared | RecordError]:
    """`prepare_lines` of the lines at `places`, read here."""
    return prepare_lines(list(places), ctx)


@dataclass(slots=True)
class MediaRun:
    """One run of records submitted to a `MediaPipeline`, its files being prepared."""

    records: list[Prepared]
    ids: dict[str, tuple[str, str] | PreparedMedia]
    first: dict[str, str]
    """Each digest to prepare here, and the path of its first file."""
    known: dict[str, PreparedMedia]
    """Digests already prepared (the store's), by digest."""
    waiting: set[str]
    """Digests the run before this one is preparing: copied once it is collected."""
    found: Iterator[PreparedMedia] | None


class MediaPipeline:
    """Media files prepared one run ahead: `submit` a run (identify its files, look them
    up in the store, hand the new ones to the worker processes) and link the run before
    while the workers decode, fingerprint and read it; `collect` waits for it, and tells
    `done` of each file as it is finished.

    Runs are submitted after the store has set aside the posts it already holds:
    decoding and OCR are most of an ingest's cost, and a re-ingest of an unchanged corpus
    needs none of it. Each distinct file (by SHA-256) is decoded, fingerprinted and read
    once: a picture that 300 offices post is copied from its first copy, or from the
    store's.

    The caller writes each collected run to the store before it submits the run after the
    next: a run's files are then looked up either in the store or in the run before,
    whose files it copies when that run is collected, so each distinct file is still
    prepared once.

    `engine` runs the workers (`tracer.engines`): without one, a pool of local processes
    that lives as long as the pipeline (forked once, not once per run). A remote engine
    gets every run; a local one only runs of `MEDIA_POOL_MIN` files or more."""

    def __init__(
        self,
        ctx: LineContext,
        stored: StoredMedia | None = None,
        done: Callable[[int], None] | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.ctx, self.stored, self.done = ctx, stored, done
        self._engine = engine
        self._own: Engine | None = None
        self._ahead: set[str] = set()
        """Digests the last submitted run prepares."""
        self._last: dict[str, PreparedMedia] = {}
        """The last collected run's prepared files, by digest."""

    def __enter__(self) -> MediaPipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own is not None:  # an engine passed in is closed by its owner
            self._own.close()
            self._own = self._engine = None

    def submit(self, records: list[Prepared]) -> MediaRun:
        ctx = self.ctx
        jobs = sorted({m for p in records for m in p.record.post.media})
        ids = {j: identify(ctx.root, j, ctx.limits) for j in jobs}
        digests = sorted({v[1] for v in ids.values() if isinstance(v, tuple)})
        waiting = {d for d in digests if d in self._ahead}
        asked = [d for d in digests if d not in waiting]
        params = reading_params(ctx.ocr_lang)
        known = dict(self.stored(asked, params)) if self.stored and asked else {}
        first: dict[str, str] = {}
        for j, v in ids.items():
            if isinstance(v, tuple) and v[1] not in known and v[1] not in waiting:
                first.setdefault(v[1], j)
        self._ahead = set(first)
        found: Iterator[PreparedMedia] | None = None
        remote = self._engine is not None and self._engine.remote
        if first and (remote or len(first) >= MEDIA_POOL_MIN):
            if self._engine is None:
                self._engine = self._own = LocalPool(os.cpu_count() or 2)
            # A worker elsewhere has its own working folder: it is given the full path.
            task = prepare_checked if remote else prepare_media
            root = ctx.root.resolve() if remote else ctx.root
            limits, lang = repeat(ctx.limits), repeat(ctx.ocr_lang)
            found = self._engine.map(task, repeat(root), [*first.values()], limits, lang, [*first])
        return MediaRun(records, ids, first, known, waiting, found)

    def collect(self, run: MediaRun) -> list[Prepared]:
        """The run's records with their media prepared (after the run submitted before)."""
        ctx = self.ctx
        found = run.found
        if found is None:  # a few files: here, not worth a worker's round trip
            found = (
                prepare_media(ctx.root, j, ctx.limits, ctx.ocr_lang, d)
                for d, j in run.first.items()
            )
        fresh = dict(zip(run.first.values(), _counted(found, self.done), strict=True))
        known = {**run.known, **{d: self._last[d] for d in run.waiting}}
        self._last = {d: fresh[j] for d, j in run.first.items()}
        prepared: dict[str, PreparedMedia] = {}
        for j, v in run.ids.items():
            if isinstance(v, PreparedMedia):
                prepared[j] = v
            elif run.first.get(v[1]) == j:
                prepared[j] = fresh[j]
            else:
                prepared[j] = _copied(known.get(v[1]) or fresh[run.first[v[1]]], j)
        if self.done and len(run.ids) > len(run.first):
            self.done(len(run.ids) - len(run.first))  # read before, or copies of a file
        media = {j: prepared[j] for j in run.ids}
        return [
            replace(p, media=tuple(media[m] for m in p.record.post.media)) if p.record.post.media
            else p  # no media to add (`replace` costs ~2 µs a post)
            for p in run.records
        ]  # fmt: skip


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


def _copied(source: PreparedMedia, path: str) -> PreparedMedia:
    item = replace(source.item, path=path) if source.item is not None else None
    return replace(source, path=path, item=item, ocr_calls=0, reused=True)


def prepared_batches(
    lines: Iterable[tuple[int, bytes]] | LinePlaces,
    ctx: LineContext,
    batch_size: int,
    in_worker: bool,
) -> Iterator[list[Prepared | RecordError]]:
    """Batches in the order of `lines`; with `in_worker`, prepared by `PREPARE_WORKERS`
    processes while the caller links or stores the ones before (lines at `LinePlaces`
    are read there, not handed over)."""
    if in_worker and isinstance(lines, LinePlaces):
        jobs: Iterator[tuple[Callable[..., Any], Any]] = (
            (prepare_at, part) for part in lines.parts(batch_size)
        )
    else:
        it = iter(lines)
        chunks = iter(lambda: list(islice(it, batch_size)), [])
        if not in_worker:
            for chunk in chunks:
                yield prepare_lines(chunk, ctx)
            return
        jobs = ((prepare_lines, chunk) for chunk in chunks)
    with process_pool(PREPARE_WORKERS, PREPARE_NICE) as pool:
        pending: deque[Future[list[Prepared | RecordError]]] = deque()
        for job, chunk in jobs:
            pending.append(pool.submit(job, chunk, ctx))
            if len(pending) > PREPARE_WORKERS:  # every worker busy while one is linked
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
