"""Preparing lines in worker processes gives what preparing them here gives, batch for
batch and in file order, however many batches the workers hold at once."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE, read_accounts
from tracer.errors import RecordError
from tracer.normalize import normalize_text
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


def _context() -> LineContext:
    with (SAMPLE / ACCOUNTS_FILE).open(newline="", encoding="utf-8") as stream:
        accounts = frozenset(
            r.account.account_id
            for r in read_accounts(stream, "a")
            if not isinstance(r, RecordError)
        )
    return LineContext(str(SAMPLE / POSTS_FILE), accounts, SAMPLE, None, ocr_lang=None)


def test_workers_prepare_every_batch_in_file_order() -> None:
    ctx = _context()
    raw = (SAMPLE / POSTS_FILE).read_bytes().splitlines()
    lines = [(n, line) for n, line in enumerate(raw, 1)]
    lines.insert(5, (0, b'{"post_id": "broken"'))  # a bad line is reported in its batch
    size = 7
    here = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=False)]
    there = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=True)]
    assert len(here) > PREPARE_WORKERS + 2  # more batches than the workers hold at once
    assert there == here
    assert [n for batch in here for n, *_ in batch] == [n for n, _ in lines]


@given(st.text())
def test_a_normal_text_pickles_to_itself(raw: str) -> None:
    norm = normalize_text(raw)
    assert pickle.loads(pickle.dumps(norm)) == norm  # its tokens split again from its text


def test_a_prepared_post_pickles_to_itself() -> None:
    raw = (SAMPLE / POSTS_FILE).read_bytes().splitlines()
    batch = prepared_batches(iter(enumerate(raw, 1)), _context(), len(raw), in_worker=False)
    prepared = [p for p in next(batch) if isinstance(p, Prepared)]
    assert len(prepared) == len(raw)
    assert sum(p.url_key is not None for p in prepared) > len(raw) // 2
    for item in prepared:
        back = pickle.loads(pickle.dumps(item))
        assert (back.record, back.record.post.extra, back.norm, back.media) == (
            item.record, item.record.post.extra, item.norm, item.media,
        )  # fmt: skip
        anchors = back.fingerprint.anchors
        assert anchors.dtype == np.uint64 and anchors.flags.writeable
        assert anchors.tolist() == item.fingerprint.anchors.tolist()
        assert back.fingerprint.token_count == item.fingerprint.token_count
        assert back.fingerprint.params == item.fingerprint.params
        assert back.url_key == item.url_key
