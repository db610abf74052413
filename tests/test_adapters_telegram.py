"""Telegram Desktop `result.json`: entity lists, service and forwarded messages, broken
messages and files, times from `date_unixtime`; and the round trip into the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import service
from tracer.adapters import telegram
from tracer.adapters.base import AdapterOptions
from tracer.errors import CorpusError
from tracer.store import Store

from .adapter_corpus import split, write_adapter_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "adapters" / "telegram"
CHANNEL = FIXTURES / "kominfo_channel" / "result.json"
TRUNCATED = FIXTURES / "truncated" / "result.json"
PHOTO = "photos/photo_1@26-01-2024_19-33-05.jpg"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_messages_become_posts_and_bad_messages_errors() -> None:
    parts = split(telegram.read(CHANNEL, AdapterOptions()))
    [account] = parts.accounts
    assert (account.account_id, account.platform, account.name, account.tier) == (
        "telegram:1234567890",
        "telegram",
        "Kominfo Channel",
        "other",
    )
    assert [p.post_id for p in parts.posts] == [f"telegram:1234567890:{n}" for n in (2, 3, 4, 8, 9)]
    assert [(e.line, e.field) for e in parts.errors] == [
        (5, "date_unixtime"),
        (6, "date_unixtime"),
        (7, "text"),
        (10, "(message)"),
    ]
    assert all("message id" in e.reason for e in parts.errors[:3])
    release = parts.posts[0]
    assert release.text == (
        "Presiden Punya Hak Politik, Acuannya UU Pemilu\n\nPresiden Joko Widodo menegaskan "
        "bahwa presiden memiliki hak politik untuk berkampanye. #PemiluDamai Selengkapnya"
    )
    assert release.published_at == utc("2024-01-26T12:33:05")
    assert release.media == (PHOTO,)
    assert release.url is None
    assert release.extra["links"] == ["https://www.komdigi.go.id/berita/pemilu"]
    assert release.extra["from_id"] == "channel1234567890"


def test_extra_fields_keep_edits_forwards_files_and_omitted_media() -> None:
    posts = {
        p.post_id.rsplit(":", 1)[1]: p
        for p in split(telegram.read(CHANNEL, AdapterOptions())).posts
    }
    assert posts["3"].extra["edited_at"] == "2024-01-26T12:43:20Z"
    assert posts["4"].extra["forwarded_from"] == "Kementerian Kesehatan RI"
    assert posts["8"].media == () and posts["8"].extra["files"] == ["files/Siaran Pers.pdf"]
    assert posts["9"].extra["media_omitted"] is True and posts["9"].media == ()


def test_the_offset_less_date_is_never_used() -> None:
    """`date` is local wall-clock time; a message without `date_unixtime` is refused."""
    posts = split(telegram.read(CHANNEL, AdapterOptions())).posts
    raw = json.loads(CHANNEL.read_text(encoding="utf-8"))["messages"]
    by_id = {m["id"]: m for m in raw if isinstance(m, dict)}
    for post in posts:
        message = by_id[int(post.post_id.rsplit(":", 1)[1])]
        assert post.timestamp == int(message["date_unixtime"])
        assert post.published_at.isoformat()[:19] != message["date"]


def test_a_username_gives_urls_and_the_account() -> None:
    parts = split(telegram.read(CHANNEL, AdapterOptions(account="@kemkominfo", tier="central")))
    assert parts.accounts[0].account_id == "kemkominfo"
    assert parts.accounts[0].handle == "kemkominfo"
    assert parts.accounts[0].tier == "central"
    assert parts.posts[0].url == "https://t.me/kemkominfo/2"
    assert parts.posts[0].account_id == "kemkominfo"


def test_a_username_in_the_export_is_used(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    doc = {
        "name": "K",
        "type": "public_channel",
        "id": 7,
        "username": "kanal",
        "messages": [{"id": 1, "type": "message", "date_unixtime": "1706272385", "text": "x"}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    [post] = split(telegram.read(path, AdapterOptions(account="k_tg"))).posts
    assert post.url == "https://t.me/kanal/1" and post.account_id == "k_tg"


def test_a_truncated_file_keeps_the_messages_before_the_break() -> None:
    parts = split(telegram.read(TRUNCATED, AdapterOptions()))
    assert [p.post_id for p in parts.posts] == ["telegram:1234567890:2", "telegram:1234567890:3"]
    [error] = parts.errors
    assert error.field == "(file)" and "invalid JSON" in error.reason
    # The photo is not beside this export: the post keeps its text and says so.
    assert parts.posts[0].media == () and parts.posts[0].extra["media_missing"] == [PHOTO]


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"name": "K", "type": "public_channel", "messages": []}, "id"),
        ("[1, 2", "(file)"),
    ],
)
def test_files_that_cannot_be_read(tmp_path: Path, doc: object, field: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    parts = split(telegram.read(path, AdapterOptions()))
    assert [e.field for e in parts.errors] == [field] and parts.posts == []


def test_a_path_that_leaves_the_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    message = {"id": 1, "type": "message", "date_unixtime": "1", "text": "", "photo": "../x.jpg"}
    path.write_text(json.dumps({"name": "K", "id": 7, "type": "t", "messages": [message]}))
    [error] = split(telegram.read(path, AdapterOptions())).errors
    assert error.field == "photo" and "leaves" in error.reason


def test_text_parts() -> None:
    assert telegram.message_text("plain") == "plain"
    assert telegram.message_text(["a ", {"type": "bold", "text": "b"}]) == "a b"
    with pytest.raises(ValueError):
        telegram.message_text(["a", {"type": "bold"}])


def test_a_missing_export(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        list(telegram.read(tmp_path, AdapterOptions()))


def test_detect(tmp_path: Path) -> None:
    other = tmp_path / "video.info.json"
    other.write_text(json.dumps({"id": "x", "title": "t", "_type": "video", "name": "n"}))
    assert not telegram.detect(other)
    assert telegram.detect(CHANNEL)
    assert telegram.detect(CHANNEL.parent)
    assert not telegram.detect(FIXTURES.parent / "whatsapp" / "ios_en_zip" / "_chat.txt")
    assert not telegram.detect(FIXTURES)


def test_round_trip_through_the_corpus_into_the_store(tmp_path: Path, store: Store) -> None:
    corpus = tmp_path / "corpus"
    written = write_adapter_corpus(
        telegram.read(CHANNEL, AdapterOptions(account="@kemkominfo", tier="central")),
        CHANNEL.parent,
        corpus,
    )
    report = service.ingest(store, corpus)
    assert report.errors == [] and report.conflicts == []
    assert report.ingested == len(written.posts) == 5
    for post in written.posts:
        stored = store.find_post(post.post_id)
        assert stored is not None
        assert (stored.published_at, stored.text, stored.media, stored.url) == (
            post.published_at,
            post.text,
            post.media,
            post.url,
        )
    assert store.find_post("telegram:1234567890:2").media == (f"media/{PHOTO}",)  # type: ignore[union-attr]
    assert (corpus / "media" / PHOTO).is_file()
    again = service.ingest(store, corpus)
    assert (again.ingested, again.unchanged, again.errors) == (0, 5, [])
    # No unexplained skip: every message is a post, a service message or an error.
    raw = json.loads(CHANNEL.read_text(encoding="utf-8"))["messages"]
    service_messages = sum(1 for m in raw if isinstance(m, dict) and m.get("type") == "service")
    assert len(raw) == len(written.posts) + service_messages + len(written.errors)
