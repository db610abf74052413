"""Ingest: read a corpus, prepare (normalise, fingerprint) its posts, link them into
families and store them, then settle the cascades; one writer per database."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from tracer.candidates import Candidate
from tracer.cascades.stored import refresh_cascades
from tracer.corpus import (
    AccountRecord,
    LinePlaces,
    open_corpus,
    read_accounts,
    read_lines,
    time_order,
)
from tracer.engines import Engine
from tracer.errors import RecordError
from tracer.linker import Linker
from tracer.linking import (
    BATCH_CANDIDATES,
    RECENT_CANDIDATES,
    KeptRows,
    LinkedBatch,
    fewer_collections,
    make_linker,
)
from tracer.media import ocr
from tracer.media.signals import media_params
from tracer.offices.placement import duplicates_note
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.prepare import (
    MEDIA_BATCH,
    LineContext,
    MediaPipeline,
    MediaRun,
    Prepared,
    media_bounded,
    prepared_batches,
)
from tracer.relinking import (
    OWN_WRITER_POSTS,
    SETTLED_CHUNKS,
    RelinkWrites,
    SettledFamilies,
    relink,
)
from tracer.remote import check_workers
from tracer.store import Store
from tracer.store.behind import Writes
from tracer.store.rows import MediaRow, PostRow
from tracer.text.fingerprint import fingerprint_params

P = ParamSpec("P")
Progress = Callable[[int], None]
WORKER_THRESHOLD = 4 << 20
"""posts.jsonl files larger than this (bytes) are prepared in a worker process."""


@dataclass(slots=True)
class IngestReport:
    """What an ingest did; `errors` are per line and never stop the run."""

    ingested: int = 0
    unchanged: int = 0
    conflicts: list[RecordError] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    media_errors: list[RecordError] = field(default_factory=list)
    """Media files that could not be read; their posts are ingested without them."""
    media_files: int = 0
    pictures: int = 0
    """Pictures among `media_files` (fingerprinted; the rest are clips or errors)."""
    ocr_calls: int = 0
    """Pictures OCR read: not those the text-presence test found bare, nor copies."""
    media_reused: int = 0
    """Files copied from one with the same SHA-256 instead of being decoded again."""
    notes: list[str] = field(default_factory=list)
    accounts_added: int = 0
    families_touched: int = 0
    relinked: bool = False
    """Whether posts arrived out of time order and every post was linked again."""
    seconds: float = 0.0

    def ocr_per_picture(self) -> float | None:
        return round(self.ocr_calls / self.pictures, 3) if self.pictures else None

    def errors_by_kind(self) -> dict[str, int]:
        kinds: dict[str, int] = defaultdict(int)
        for e in self.errors:
            kinds[f"{Path(e.file).name}: {e.field}"] += 1
        return dict(kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "conflicts": [str(c) for c in self.conflicts],
            "errors": [str(e) for e in self.errors],
            "errors_by_kind": self.errors_by_kind(),
            "media_files": self.media_files,
            "media_errors": [str(e) for e in self.media_errors],
            "pictures": self.pictures,
            "ocr_calls": self.ocr_calls,
            "ocr_calls_per_picture": self.ocr_per_picture(),
            "media_reused": self.media_reused,
            "notes": self.notes,
            "accounts_added": self.accounts_added,
            "families_touched": self.families_touched,
            "relinked": self.relinked,
            "seconds": round(self.seconds, 3),
        }


def _one_writer(
    run: Callable[Concatenate[Store, P], IngestReport],
) -> Callable[Concatenate[Store, P], IngestReport]:
    """Run an ingest under its store's writer lock (`tracer.store.writelock`), from its first
    read of the store's state to its last commit; a caller that holds the lock already
    (to bound the wait) keeps it. Garbage is collected seldom meanwhile, as in a relink
    (`fewer_collections`)."""

    @functools.wraps(run)
    def locked(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> IngestReport:
        with store.writer(), fewer_collections():
            return run(store, *args, **kwargs)

    return locked


@_one_writer
def ingest(
    store: Store,
    folder: Path,
    *,
    policy: MatchPolicy = DEFAULT_POLICY,
    assume_tz: tzinfo | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    ocr_lang: str | None = ocr.LANG,
    media_progress: Progress | None = None,
    media_batch: int = MEDIA_BATCH,
    engine: Engine | None = None,
) -> IngestReport:
    """Read a canonical corpus, link every new post and store it, one batch per transaction
    (`batch_size` lines, fewer when they hold more than `media_batch` media files).

    `progress` counts lines done, `media_progress` media files fingerprinted and read.
    `ocr_lang` None turns reading text off pictures off. `engine` prepares the media
    files (`tracer.engines.open_engine`; default: local processes); its workers are
    checked first. Waits for any other ingest into the same database to finish (hold
    `store.writer(wait)` around it to bound the wait)."""
    started = time.perf_counter()
    report = IngestReport()
    if ocr_lang is not None and (why := ocr.unavailable(ocr_lang)):
        report.notes.append(f"OCR is off ({why}): pictures are matched by their hashes alone")
        ocr_lang = None
    accounts_path, posts_path = open_corpus(folder)
    if engine is not None and engine.remote:
        check_workers(engine, folder, ocr_lang)
        report.notes.append(f"media files prepared by {engine.name}")
    store.ensure_fingerprints(fingerprint_params())
    store.ensure_fingerprints(media_params(), "media_fingerprints")
    with accounts_path.open(newline="", encoding="utf-8") as stream:
        valid: list[AccountRecord] = []
        for item in read_accounts(stream, str(accounts_path)):
            if isinstance(item, RecordError):
                report.errors.append(item)
            else:
                valid.append(item)
    added, _unchanged, account_conflicts = store.upsert_accounts([r.account for r in valid])
    report.accounts_added = added
    line_of = {r.account.account_id: r.line for r in valid}
    report.conflicts.extend(
        RecordError(
            str(accounts_path), line_of[a], "account_id", f"{a!r} differs from the stored account"
        )
        for a in account_conflicts
    )
    known = set(store.accounts())
    reader = KeptRows(store.link_reader())
    try:
        linker = make_linker(
            store, policy, reader, cache_size=BATCH_CANDIDATES, recent=RECENT_CANDIDATES
        )
        ctx = LineContext(str(posts_path), frozenset(known), folder, assume_tz, ocr_lang=ocr_lang)
        in_worker = posts_path.stat().st_size > WORKER_THRESHOLD
        with posts_path.open("rb") as scan:
            arrival = time_order(scan, assume_tz)
        latest = store.last_key()
        # A large ingest into an SQLite file writes through a process of its own, which
        # also infers the cascades of the families the ingest has left behind (as a
        # large relink does): the linking keeps this process's core.
        own = RelinkWrites(store, policy)
        settled = SettledFamilies(SETTLED_CHUNKS)
        opener = functools.partial(RelinkWrites.on_url, policy)
        with (
            # Left last: the writes behind are done by then. A relink that follows builds
            # the indexes a first load leaves out.
            store.loading_posts(build_at_end=lambda: not report.relinked),
            posts_path.open("rb") as posts_stream,
            MediaPipeline(ctx, store.media.stored_files, media_progress, engine) as media,
            store.writes_behind(
                own_process=arrival.lines >= OWN_WRITER_POSTS, opener=opener
            ) as writes,
        ):
            next_idx = store.max_idx() + 1
            unwritten: dict[str, str] = {}
            """Post id → digest of the posts of the last write handed over."""
            # The run whose media files the workers prepare while the one before is linked.
            ahead: tuple[MediaRun, bool] | None = None

            def link_ahead() -> None:
                nonlocal next_idx, ahead
                if ahead is not None:
                    run, link = ahead
                    fresh = media.collect(run)
                    ahead = None
                    next_idx, linked = _link_batch(
                        store, linker, writes, fresh, next_idx, report, str(posts_path), link=link
                    )
                    unwritten.clear()
                    unwritten.update((p.record.post.post_id, p.record.digest) for p in fresh)
                    report.families_touched += settled.hand_over(linked, writes, own)
                    if progress:
                        progress(len(fresh))

            # Earliest post first: posts that arrive in time order are linked as they come.
            lines = (
                read_lines(posts_stream)
                if arrival.order is None
                else LinePlaces(str(posts_path), arrival.order)
            )
            for batch in prepared_batches(lines, ctx, batch_size, in_worker):
                left = len(batch)
                # The store is asked which posts (and below, which media files) it holds:
                # the writes before are done but for the last one handed over, whose
                # posts are known (writes run behind while the next batch is prepared
                # and linked).
                writes.wait(most=1)
                new = _new_records(store, batch, report, str(posts_path), unwritten)
                for part in media_bounded(new, media_batch):
                    if part:
                        first = (part[0].record.post.timestamp, part[0].record.post.post_id)
                        report.relinked |= latest is not None and first < latest
                        last = (part[-1].record.post.timestamp, part[-1].record.post.post_id)
                        latest = last if latest is None else max(latest, last)
                    if any(p.media for p in part):
                        writes.wait()
                    submitted = media.submit(part)
                    link_ahead()
                    # Once posts arrive out of time order a relink settles everything at
                    # the end: from then on posts are only stored, never linked twice.
                    ahead = (submitted, not report.relinked)
                    left -= len(part)
                link_ahead()
                if progress:
                    progress(left)  # lines reported, unchanged or in conflict
    finally:
        reader.close()
    for found in (report.errors, report.conflicts, report.media_errors):
        _by_line(found, str(posts_path))
    if report.relinked:
        # Posts older than stored ones were linked after them: settle, so that the
        # families and parents are those of every post linked in time order.
        relink(store, policy)
        report.notes.append(
            "posts older than already linked ones arrived: every post was linked again "
            "in time order (as `tracer relink` does)"
        )
    report.families_touched += refresh_cascades(store, policy)
    report.notes.extend(duplicates_note(store.accounts().values()))
    report.seconds = time.perf_counter() - started
    return report


def _by_line(found: list[RecordError], name: str) -> None:
    """The posts file's entries of `found` by line (a file read in time order meets them
    out of it), after the others (the accounts file's), which keep their order."""
    found.sort(key=lambda e: (e.file == name, e.line if e.file == name else 0))


def _new_records(
    store: Store,
    batch: list[Prepared | RecordError],
    report: IngestReport,
    name: str,
    unwritten: dict[str, str],
) -> list[Prepared]:
    """The batch's valid records not yet stored, earliest first; the rest are counted as
    errors, unchanged or conflicts. Earlier batches are committed, so the store knows them,
    but for the last one handed over (`unwritten`: post id → digest)."""
    prepared = [item for item in batch if isinstance(item, Prepared)]
    report.errors.extend(item for item in batch if isinstance(item, RecordError))
    known = store.digests([p.record.post.post_id for p in prepared])
    for p in prepared:
        pid = p.record.post.post_id
        if pid not in known and pid in unwritten:
            known[pid] = unwritten[pid]
    fresh: list[Prepared] = []
    for p in prepared:
        r = p.record
        pid = r.post.post_id
        digest = known.get(pid)
        if digest is None:
            known[pid] = r.digest
            fresh.append(p)
        elif digest == r.digest:
            report.unchanged += 1
        else:
            report.conflicts.append(
                RecordError(
                    name,
                    r.line,
                    "post_id",
                    f"{pid!r} is already stored with different content; kept the stored one",
                )
            )
    fresh.sort(key=lambda p: (p.record.post.timestamp, p.record.post.post_id))
    return fresh


def _link_batch(
    store: Store,
    linker: Linker,
    writes: Writes,
    records: Sequence[Prepared],
    next_idx: int,
    report: IngestReport,
    name: str,
    link: bool = True,
) -> tuple[int, LinkedBatch]:
    """Link and store one batch; with `link` False (a relink will follow) only store it,
    each post alone, so no post is linked twice. `writes` write it behind: the linker
    holds its posts until the next batch's write is handed over. Returns the next post
    number and what linking gave besides the posts' rows."""
    rows: list[PostRow] = []
    media_rows: list[MediaRow] = []
    batch = LinkedBatch()
    for prepared in records:
        r, norm, fp = prepared.record, prepared.norm, prepared.fingerprint
        post = r.post
        idx = next_idx
        next_idx += 1
        if not link:
            media_rows.extend(_media_rows(idx, prepared, report, name))
            rows.append(_post_row(idx, prepared, idx, b""))
            continue
        result = linker.link(
            Candidate(
                idx,
                post.post_id,
                post.account_id,
                norm.tokens,
                fp.anchors,
                norm.lines,
                tuple(m.item for m in prepared.media if m.item is not None),
            )
        )
        media_rows.extend(_media_rows(idx, prepared, report, name))
        batch.note(linker, idx, result)
        rows.append(
            _post_row(idx, prepared, result.family_id, result.indexed.astype("<u8").tobytes())
        )
    # Families merged later in the batch relabel posts linked earlier in it.
    final_rows = [
        row._replace(family_id=linker.family_of(row.idx))
        if link and linker.family_of(row.idx) != row.family_id
        else row
        for row in rows
    ]
    writes.submit(
        store.write_batch, final_rows, batch.matches, batch.relabels, batch.touched, media_rows
    )
    if link:
        # The write before this one is done: its posts are now read from the store.
        writes.wait(most=1)
    linker.end_batch(behind=link)
    report.ingested += len(rows)
    return next_idx, batch


def _post_row(idx: int, prepared: Prepared, family: int, indexed: bytes) -> PostRow:
    r, norm, fp = prepared.record, prepared.norm, prepared.fingerprint
    post = r.post
    return PostRow(
        idx=idx,
        post_id=post.post_id,
        account_id=post.account_id,
        published_at=post.published_at,
        text=post.text,
        media=post.media,
        url=post.url,
        url_key=prepared.url_key,
        extra=post.extra,
        digest=r.digest,
        norm_text="\n".join(norm.lines),
        hashtags=norm.hashtags,
        anchors=fp.to_bytes(),
        indexed=indexed,
        family_id=family,
    )


def _media_rows(idx: int, prepared: Prepared, report: IngestReport, name: str) -> list[MediaRow]:
    out: list[MediaRow] = []
    for ordinal, m in enumerate(prepared.media):
        report.media_files += 1
        report.pictures += m.kind == "image" and m.item is not None
        report.ocr_calls += m.ocr_calls
        report.media_reused += m.reused
        if m.error is not None:
            report.media_errors.append(
                RecordError(name, prepared.record.line, "media", f"{m.path}: {m.error}")
            )
        out.append(
            MediaRow(
                idx,
                ordinal,
                m.path,
                m.sha256,
                m.kind,
                m.algorithm,
                m.fingerprint,
                m.ocr_text,
                m.error,
                m.thumbnail,
                m.ocr_params,
            )
        )
    return out


# --- reading ---------------------------------------------------------------------
