"""Preparing lines in worker processes gives what preparing them here gives, batch for
batch and in file order, however many batches the workers hold at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer import prepare
from tracer.corpus import ACCOUNTS_FILE, POSTS_FILE, PostRecord, parse_line, read_accounts
from tracer.errors import RecordError
from tracer.prepare import (
    PREPARE_WORKERS,
    LineContext,
    Prepared,
    in_time_order,
    prepared_batches,
)

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
    accounts, raw = _sample()
    ctx = LineContext(str(SAMPLE / POSTS_FILE), accounts, SAMPLE, None, ocr_lang=None)
    lines = [(n, line) for n, line in enumerate(raw, 1)]
    lines.insert(5, (0, b'{"post_id": "broken"'))  # a bad line is reported in its batch
    size = 7
    here = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=False)]
    there = [_seen(b) for b in prepared_batches(iter(lines), ctx, size, in_worker=True)]
    assert len(here) > PREPARE_WORKERS + 2  # more batches than the workers hold at once
    assert there == here
    assert [n for batch in here for n, *_ in batch] == [n for n, _ in lines]


def test_lines_in_time_order_keep_their_numbers_and_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's lines reversed, with a blank line and two that do not parse: read
    back earliest post first (the broken ones first, then by time and post id), each
    with its own number and bytes, by the workers as here."""
    accounts, raw = _sample()
    lines = raw[::-1]
    lines.insert(3, b"   ")
    lines.insert(10, b'{"post_id": "broken"')
    lines.insert(20, b"not json at all")
    path = tmp_path / POSTS_FILE
    path.write_bytes(b"\n".join(lines) + b"\n")
    ctx = LineContext(str(path), accounts, SAMPLE, None, ocr_lang=None)
    monkeypatch.setattr(prepare, "ORDER_CHUNK", 9)  # many chunks for the workers
    here = list(in_time_order(path, ctx, in_worker=False))
    there = list(in_time_order(path, ctx, in_worker=True))
    assert there == here
    assert [n for n, _ in here[:2]] == [11, 21]
    assert all(raw_line == lines[n - 1] + b"\n" for n, raw_line in here)
    assert len(here) == len(lines) - 1  # the blank line is skipped
    keys = [(r.post.timestamp, r.post.post_id) for r in _parsed(here[2:], ctx)]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def _sample() -> tuple[frozenset[str], list[bytes]]:
    with (SAMPLE / ACCOUNTS_FILE).open(newline="", encoding="utf-8") as stream:
        accounts = frozenset(
            r.account.account_id
            for r in read_accounts(stream, "a")
            if not isinstance(r, RecordError)
        )
    return accounts, (SAMPLE / POSTS_FILE).read_bytes().splitlines()


def _parsed(lines: list[tuple[int, bytes]], ctx: LineContext) -> list[PostRecord]:
    out = []
    for n, raw in lines:
        record = parse_line(n, raw, accounts=set(ctx.accounts), root=ctx.root)
        assert isinstance(record, PostRecord)
        out.append(record)
    return out
