"""Telegram's account-wide export ("Export Telegram data": `{"chats": {"list": […]}}`):
every channel and group read as its own account, personal chats left out by reason,
empty messages skipped, and conflicts named by the export's file and record."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from tracer import convert
from tracer.adapters import detect, telegram
from tracer.store import Store

from .adapters_support import FIXTURES, collect

ACCOUNT = FIXTURES / "telegram" / "account_export"
PHOTO = "chats/chat_001/photos/photo_1@26-01-2024_19-33-05.jpg"


def test_the_account_export_is_detected_as_a_folder_or_a_file() -> None:
    assert telegram.detect(ACCOUNT / "result.json")
    assert detect(ACCOUNT) == "telegram"


def test_every_channel_and_group_is_an_account_with_its_posts() -> None:
    out = collect(ACCOUNT, "telegram")
    assert [(a.account_id, a.name) for a in out.accounts] == [
        ("telegram:1234567890", "Kominfo Channel"),
        ("telegram:1800000001", "Diskominfo Se-Banten"),
        ("telegram:1700000001", "Kanal Lama"),
    ]
    assert [p.post_id for p in out.posts] == [
        "telegram:1234567890:2",
        "telegram:1234567890:3",
        "telegram:1800000001:10",
        "telegram:1700000001:7",
    ]
    release = out.posts[0]
    assert release.media == (PHOTO,)
    assert release.published_at == datetime(2024, 1, 26, 12, 33, 5, tzinfo=UTC)
    assert release.extra["chat_type"] == "public_channel"
    assert release.extra["source_record"] == 1
    assert out.errors == []


def test_personal_chats_empty_and_service_messages_are_skipped_by_reason() -> None:
    out = collect(ACCOUNT, "telegram")
    assert out.skips() == [
        ("result.json", 3, "a message with no text, picture or video"),
        ("result.json", 4, "a service message (pin_message)"),
        ("result.json", 5, "a personal chat (not read: it is not a channel or group)"),
    ]


def test_ingest_report_counts_skips_and_names_the_export_not_the_staging(
    store: Store, tmp_path: Path
) -> None:
    first = convert.ingest_export(store, ACCOUNT)
    assert first.ingested == 4
    assert first.skipped.counts["a personal chat (not read: it is not a channel or group)"] == 1
    # The same export with one message changed: a conflict named by file and record.
    changed = tmp_path / "again"
    shutil.copytree(ACCOUNT, changed)
    text = (ACCOUNT / "result.json").read_text(encoding="utf-8")
    (changed / "result.json").write_text(text.replace("Halo semua!", "Halo!"), "utf-8")
    again = convert.ingest_export(store, changed)
    assert [(c.file, c.line, c.field) for c in again.conflicts] == [
        (str(changed / "result.json"), 6, "post_id")
    ]
    assert "tracer-staging" not in str(again.to_json())
