"""WhatsApp exports as phones write them beyond English and Indonesian: a Spanish
12-hour clock (`p. m.`, a 0–11 hour), the encryption notice written as the chat's own
message, empty messages, `--day-first`, and the folder of an unzipped export."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import convert
from tracer.adapters import _whatsapp_parse as wa
from tracer.adapters import detect, whatsapp
from tracer.adapters.base import AdapterOptions

from .adapters_support import FIXTURES, collect

SPANISH = FIXTURES / "whatsapp" / "android_es" / "Chat de WhatsApp con Kominfo Distribusi.txt"
UNZIPPED = FIXTURES / "whatsapp" / "Chat WhatsApp dengan Grup Distribusi"
EMPTY = "a message with no text, picture or video"


def test_spanish_clock_is_day_first_and_reads_hour_zero() -> None:
    out = collect(SPANISH, "whatsapp")
    assert out.errors == []
    first, second = out.posts
    # 9/10/22 10:38 p. m. WIB is 9 October (a Spanish phone), 15:38 UTC.
    assert first.published_at == datetime(2022, 10, 9, 15, 38, tzinfo=UTC)
    assert (first.extra["date_order"], first.extra["date_order_from"]) == ("dmy", "locale")
    assert first.text.startswith("Presiden Punya Hak Politik")
    # 00:08 a. m. is eight minutes past midnight on a 0–11 clock.
    assert second.published_at == datetime(2022, 10, 9, 17, 8, tzinfo=UTC)


def test_notices_deleted_and_empty_messages_are_skipped_by_reason() -> None:
    out = collect(SPANISH, "whatsapp")
    assert out.skips() == [
        (SPANISH.name, 1, "a WhatsApp notice, not a message"),
        (SPANISH.name, 5, EMPTY),
        (SPANISH.name, 6, "a deleted message"),
    ]


def test_month_first_when_the_user_says_so() -> None:
    out = collect(SPANISH, "whatsapp", AdapterOptions(day_first=False))
    assert out.posts[0].published_at == datetime(2022, 9, 10, 15, 38, tzinfo=UTC)
    assert out.posts[0].extra["date_order_from"] == "option"


def test_an_unzipped_export_folder_is_detected_and_read_with_its_media() -> None:
    assert whatsapp.detect(UNZIPPED)
    assert detect(UNZIPPED) == "whatsapp"
    out = collect(UNZIPPED, "whatsapp")
    assert [a.account_id for a in out.accounts] == ["whatsapp:grup-distribusi"]
    assert out.accounts[0].name == "Grup Distribusi"
    assert [(p.media, p.text[:16]) for p in out.posts] == [
        (("IMG-20240126-WA0003.jpg",), "Presiden Punya H"),
        (("VID-20240126-WA0004.mp4",), ""),
        ((), "Cuti Bersama Idu"),
    ]
    assert [(line, reason) for _, line, reason in out.skips()] == [
        (1, "a WhatsApp notice, not a message"),
        (7, EMPTY),
        (8, EMPTY),
    ]
    assert out.errors == []


def test_the_unzipped_folder_converts_with_its_media(tmp_path: Path) -> None:
    report = convert.convert(UNZIPPED, tmp_path / "out")
    assert (report.format, report.posts, report.media_linked + report.media_copied) == (
        "whatsapp",
        3,
        2,
    )
    assert (tmp_path / "out" / "media" / "VID-20240126-WA0004.mp4").is_file()
    assert report.skipped.counts == {EMPTY: 2, "a WhatsApp notice, not a message": 1}


@pytest.mark.parametrize(
    ("rest", "kind"),
    [
        ("Kominfo: Messages and calls are end-to-end encrypted. No one outside …", "system"),
        ("Grupo: Los mensajes y las llamadas están cifrados de extremo a extremo.", "system"),
        ("Gruppe: Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.", "system"),
        ("Groupe: Les messages et les appels sont chiffrés de bout en bout.", "system"),
        (
            "Grupo: As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta.",
            "system",
        ),
        # A message about encryption is a message: the notice's own opening words are needed.
        ("Rina: Hoaks! WhatsApp tidak membaca pesan, semua end-to-end encrypted.", "message"),
        ("Rina: Se eliminó este mensaje.", "deleted"),
    ],
)
def test_notices_in_other_locales(rest: str, kind: str) -> None:
    assert wa.classify(rest, marked=False).kind == kind


def test_a_zip_made_on_a_mac_reads_the_chat_not_its_resource_fork(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("__MACOSX/._chat.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
        archive.writestr("chat.txt", SPANISH.read_bytes())
    out = collect(path, "whatsapp")
    assert len(out.posts) == 2 and out.errors == []
