"""Raw corpus lines → validated, normalised, fingerprinted records, ready to link.

This is the part of an ingest that needs no shared state, so a large corpus is
prepared in a worker process, one batch ahead of the linker: the two cores then
split the work instead of one waiting.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import tzinfo
from itertools import islice
from pathlib import Path

from tracer.corpus import PostRecord, parse_line
from tracer.errors import RecordError
from tracer.normalize import NormalText, normalize_text
from tracer.textfp import TextFingerprint, fingerprint_texts


@dataclass(frozen=True, slots=True)
class Prepared:
    record: PostRecord
    norm: NormalText
    fingerprint: TextFingerprint


@dataclass(frozen=True, slots=True)
class LineContext:
    """What validating a line needs to know (picklable, for the worker)."""

    name: str
    accounts: frozenset[str]
    root: Path
    assume: tzinfo | None


def prepare_lines(lines: list[tuple[int, bytes]], ctx: LineContext) -> list[Prepared | RecordError]:
    parsed = [
        parse_line(
            n, raw, name=ctx.name, accounts=set(ctx.accounts), root=ctx.root, assume=ctx.assume
        )
        for n, raw in lines
    ]
    records = [p for p in parsed if isinstance(p, PostRecord)]
    norms = [normalize_text(r.post.text) for r in records]
    prepared = iter(
        Prepared(r, n, f) for r, n, f in zip(records, norms, fingerprint_texts(norms), strict=True)
    )
    return [next(prepared) if isinstance(p, PostRecord) else p for p in parsed]


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
    # fork: the worker needs no re-import of the caller's main module (a script without
    # a `__main__` guard would otherwise break), and it holds no database connection.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pending: Future[list[Prepared | RecordError]] | None = None
        for chunk in chunks:
            submitted = pool.submit(prepare_lines, chunk, ctx)
            if pending is not None:
                yield pending.result()
            pending = submitted
        if pending is not None:
            yield pending.result()
