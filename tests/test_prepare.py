"""Preparing lines in worker processes gives what preparing them here gives, batch for
batch and in file order, however many batches the workers hold at once."""

from __future__ import annotations

from pathlib import Path

from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE, read_accounts
from tracer.errors import RecordError
from tracer.prepare import PREPARE_WORKERS, LineContext, Prepared, prepared_batches

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "corpus"


def _seen(batch: list[Prepared | RecordError]) -> list[tuple[object, ...]]:
    """A batch as comparable values (anchors are numpy arrays)."""
    return [
        (item.line, item.field)
        if isinstance(item, RecordError)
        else (item.record.line, item.record.digest, item.norm, item.fingerprint.to_bytes())
        for item in batch
    ]


def test_workers_prepare_every_batch_in_file_order() -> None:
    with (SAMPLE / ACCOUNTS_FILE).open(newline="", encoding="utf-8") as stream:
        accounts = frozenset(
            r.account.account_id
            for r in read_accounts(stream, "a")
            if not isinstance(r, RecordError)
        )
    ctx = LineContext(str(SAMPLE / POSTS_FILE), accounts, SAMPLE, None, ocr_lang=None)
    raw = (SAMPLE / POSTS_FILE).read_bytes().splitlines()
    lines = [(n, line) for n, line in enumerate(raw, 1)]
    lines.insert(5, (0, b'{"post_id": "broken"'))  # a bad line is reported in its batch
    size = 7
    here = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=False)]
    there = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=True)]
    assert len(here) > PREPARE_WORKERS + 2  # more batches than the workers hold at once
    assert there == here
    assert [n for batch in here for n, *_ in batch] == [n for n, _ in lines]
