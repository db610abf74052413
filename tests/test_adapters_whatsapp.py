"""WhatsApp chat exports: both layouts (Android, iOS) in both locales (id, en), a zip,
system lines, deleted and omitted media, direction marks, broken lines; and the round
trip through the canonical corpus into the store."""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer import service
from tracer.adapters import _whatsapp_parse as wa
from tracer.adapters import whatsapp
from tracer.adapters.base import AdapterOptions
from tracer.errors import CorpusError
from tracer.store import Store

from .adapter_corpus import split, write_adapter_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "adapters" / "whatsapp"
ANDROID_ID = FIXTURES / "android_id" / "Chat WhatsApp dengan Grup Distribusi Konten Kominfo.txt"
ANDROID_EN = FIXTURES / "android_en" / "WhatsApp Chat with Kominfo Distribution.txt"
IOS_ID = FIXTURES / "ios_id" / "Chat WhatsApp dengan Grup Kominfo.txt"
ZIP_NAME = "WhatsApp Chat - Kominfo Releases.zip"
TITLE = "Presiden Punya Hak Politik, Acuannya UU Pemilu"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_zip(folder: Path) -> Path:
    """The iOS export as WhatsApp shares it: `_chat.txt` and the media in one zip."""
    path = folder / ZIP_NAME
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted((FIXTURES / "ios_en_zip").iterdir()):
            archive.write(file, file.name)
    return path


def read(path: Path, **kwargs: Any) -> tuple[Any, Counter[str]]:
    skipped: Counter[str] = Counter()
    options = kwargs.pop("options", AdapterOptions())
    return split(whatsapp.read(path, options, skipped=skipped, **kwargs)), skipped


# (line, UTC time, text, media, extra fields expected among the post's)
EXPECTED: dict[str, list[tuple[int, str, str, tuple[str, ...], dict[str, Any]]]] = {
    "android_id": [
        (
            4,
            "2024-01-26T12:33:00",
            f"{TITLE}\n\nPresiden Joko Widodo menegaskan bahwa presiden "
            "memiliki hak politik untuk berkampanye.\n#PemiluDamai",
            (),
            {},
        ),
        (
            8,
            "2024-01-26T12:34:00",
            "Poster: Presiden Punya Hak Politik",
            ("IMG-20240126-WA0001.jpg",),
            {},
        ),
        # line 10, `<Media tidak disertakan>` alone, is skipped: no text, picture or video
        (
            12,
            "2024-01-27T01:15:00",
            "Mohon disebarkan ya, terima kasih 🙏",
            (),
            {"sender": "+62 812-3456-7890"},
        ),
        (16, "2024-01-28T03:00:00", "Jadwal vaksinasi polio minggu ini", (), {}),
        (17, "2024-01-28T03:00:00", "Jadwal vaksinasi polio minggu ini", (), {}),
    ],
    "android_en": [
        (
            3,
            "2024-01-26T12:33:00",
            "The President Has Political Rights, Says Election Law\n"
            "The President affirmed that the election law allows campaigning.",
            (),
            {},
        ),
        (5, "2024-01-26T12:34:00", "", ("IMG-20240126-WA0002.jpg",), {}),
        (
            6,
            "2024-01-26T12:35:00",
            "Caption kept when the media is omitted",
            (),
            {"media_omitted": True},
        ),
        (9, "2024-01-26T17:05:00", "midnight check", (), {"sender": "Budi"}),
        (
            13,
            "2024-01-27T02:05:00",
            "Monthly report",
            (),
            {"files": ["Laporan.pdf"], "edited": True},
        ),
    ],
    "ios_id": [
        (3, "2024-01-26T12:33:05", f"{TITLE}\nPresiden menegaskan hak politiknya.", (), {}),
        (5, "2024-01-26T12:34:10", "", ("00000012-PHOTO-2024-01-26-19-34-10.jpg",), {}),
        # line 6 (media omitted) and line 11 (its photo not in the export) have no text:
        # skipped, each with its reason
        (8, "2024-01-27T01:15:00", "Mohon menambahkan tagar #PemiluDamai", (), {}),
    ],
}
PATHS = {"android_id": ANDROID_ID, "android_en": ANDROID_EN, "ios_id": IOS_ID}
SKIPPED = {
    "android_id": {"system": 4, "deleted": 1, "after_error": 1, "empty": 1},
    "android_en": {"system": 4, "deleted": 1},
    "ios_id": {"system": 3, "deleted": 1, "empty": 1, "missing": 1},
}
ERRORS = {"android_id": [(14, "date")], "android_en": [(12, "date")], "ios_id": [(10, "date")]}
ORDER = {"android_id": "dmy", "android_en": "mdy", "ios_id": "dmy"}


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_each_layout_and_locale_reads_every_message(layout: str) -> None:
    path = PATHS[layout]
    parts, skipped = read(path)
    got = [(p.post_id, p.published_at, p.text, p.media, p.extra) for p in parts.posts]
    assert len(got) == len(EXPECTED[layout])
    for (_, when, text, media, extra), (line, iso, e_text, e_media, e_extra) in zip(
        got, EXPECTED[layout], strict=True
    ):
        assert when == utc(iso), line
        assert text == e_text, line
        assert media == e_media, line
        assert {k: extra.get(k) for k in e_extra} == e_extra, line
        assert extra["tz"] == "Asia/Jakarta"
        assert extra["date_order"] == ORDER[layout]
        assert extra["date_order_from"] == "file"
        assert "\u200e" not in text and "\u202a" not in extra["sender"]
    assert [(e.line, e.field) for e in parts.errors] == ERRORS[layout]
    assert all(e.file == str(path) for e in parts.errors)
    assert dict(skipped) == SKIPPED[layout]
    assert len({p.post_id for p in parts.posts}) == len(parts.posts)
    [account] = parts.accounts
    assert account.platform == "whatsapp" and account.tier == "central"


def test_the_group_account_comes_from_the_file_name_or_the_options() -> None:
    parts, _ = read(ANDROID_ID)
    assert parts.accounts[0].account_id == "whatsapp:grup-distribusi-konten-kominfo"
    assert parts.accounts[0].name == "Grup Distribusi Konten Kominfo"
    assert parts.posts[0].account_id == "whatsapp:grup-distribusi-konten-kominfo"
    options = AdapterOptions(account="kominfo_wa", tier="other", region="Nasional")
    parts, _ = read(ANDROID_EN, options=options)
    account = parts.accounts[0]
    assert (account.account_id, account.tier, account.region) == ("kominfo_wa", "other", "Nasional")
    assert all(p.account_id == "kominfo_wa" for p in parts.posts)
    assert parts.posts[0].post_id.startswith("whatsapp:kominfo_wa:20240126T193300:")


def test_post_ids_are_deterministic_and_count_same_minute_messages() -> None:
    first = [p.post_id for p in read(ANDROID_ID)[0].posts]
    again = [p.post_id for p in read(ANDROID_ID)[0].posts]
    assert first == again
    assert first[-2].endswith(":1") and first[-1].endswith(":2")
    assert first[-2].rsplit(":", 1)[0] == first[-1].rsplit(":", 1)[0]


def test_the_zone_is_an_option_and_is_recorded() -> None:
    parts, _ = read(ANDROID_ID, options=AdapterOptions(tz=ZoneInfo("Asia/Makassar")))
    assert parts.posts[0].published_at == utc("2024-01-26T11:33:00")
    assert parts.posts[0].extra["tz"] == "Asia/Makassar"


def test_a_zip_export_is_read_and_its_media_extracted_beside_it(tmp_path: Path) -> None:
    path = make_zip(tmp_path)
    assert whatsapp.detect(path)
    parts, skipped = read(path)
    assert parts.errors == []
    assert dict(skipped) == {"system": 2, "empty": 1}  # `image omitted` alone
    assert parts.accounts[0].account_id == "whatsapp:kominfo-releases"
    assert [p.text for p in parts.posts] == [
        "The President Has Political Rights",
        "",
        "Please share, thanks",
    ]
    media = "WhatsApp Chat - Kominfo Releases/00000013-PHOTO-2024-01-26-19-40-00.jpg"
    assert parts.posts[1].media == (media,)
    assert (tmp_path / media).read_bytes() == (
        FIXTURES / "ios_en_zip" / "00000013-PHOTO-2024-01-26-19-40-00.jpg"
    ).read_bytes()
    assert parts.posts[0].published_at == utc("2024-01-26T12:33:05")
    assert [p.name for p in (tmp_path / "WhatsApp Chat - Kominfo Releases").iterdir()] == [
        "00000013-PHOTO-2024-01-26-19-40-00.jpg"
    ]
    again, _ = read(path)  # the extracted file is reused
    assert [p.media for p in again.posts] == [p.media for p in parts.posts]


def test_an_unzipped_ios_chat_takes_its_folders_name(tmp_path: Path) -> None:
    folder = tmp_path / "WhatsApp Chat - Kominfo Releases"
    shutil.copytree(FIXTURES / "ios_en_zip", folder)
    parts, _ = read(folder / "_chat.txt")
    assert parts.accounts[0].account_id == "whatsapp:kominfo-releases"
    assert parts.posts[1].media == ("00000013-PHOTO-2024-01-26-19-40-00.jpg",)


@pytest.mark.parametrize(
    ("lines", "day_first", "expected", "decided_by"),
    [
        (["01/02/24, 10:00 - A: x"], None, "2024-02-01T03:00:00", "clock"),
        (["01/02/24, 10:00 AM - A: x"], None, "2024-01-02T03:00:00", "clock"),
        (["01/02/24, 10:00 AM - A: x"], True, "2024-02-01T03:00:00", "option"),
        (
            ["01/02/24 10.00 - A: IMG-1.jpg (file terlampir)", "x"],
            None,
            "2024-02-01T03:00:00",
            "locale",
        ),
        (["01/02/24, 10:00 - A: x", "02/13/24, 10:00 - A: y"], True, "2024-01-02T03:00:00", "file"),
    ],
)
def test_day_month_order(
    tmp_path: Path, lines: list[str], day_first: bool | None, expected: str, decided_by: str
) -> None:
    path = tmp_path / "WhatsApp Chat with G.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts, _ = read(path, day_first=day_first)
    assert parts.posts[0].published_at == utc(expected)
    assert parts.posts[0].extra["date_order_from"] == decided_by


def test_text_before_the_first_message_and_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with G.txt"
    path.write_bytes(b"\xef\xbb\xbfstray line\n26/01/24 19.33 - A: caf\xe9\n")
    parts, _ = read(path)
    assert [(e.line, e.field) for e in parts.errors] == [(1, "(line)")]
    assert parts.posts[0].text == "caf\ufffd"


def test_files_that_are_not_chats(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.writestr("IMG-1.jpg", b"x")
    for name, reason in [
        ("none.txt", "no such file"),
        ("bad.zip", "not a zip file"),
        ("empty.zip", "no chat .txt"),
    ]:
        with pytest.raises(CorpusError, match=reason):
            list(whatsapp.read(tmp_path / name, AdapterOptions()))
        assert not whatsapp.detect(tmp_path / name)


def test_detect() -> None:
    assert whatsapp.detect(ANDROID_ID) and whatsapp.detect(IOS_ID)
    telegram = FIXTURES.parent / "telegram" / "kominfo_channel" / "result.json"
    assert not whatsapp.detect(telegram)
    assert not whatsapp.detect(Path(__file__))


@pytest.mark.parametrize(
    ("line", "fields", "time", "layout"),
    [
        ("26/01/24 19.33 - Nama: pesan", (26, 1, 24), (19, 33, None, None), "android"),
        ("26/01/2024, 19:33 - Nama: pesan", (26, 1, 2024), (19, 33, None, None), "android"),
        ("1/26/24, 7:33 PM - Name: message", (1, 26, 24), (7, 33, None, "pm"), "android"),
        ("1/26/24, 7:33\u202fp.m. - Name: message", (1, 26, 24), (7, 33, None, "pm"), "android"),
        ("[26/01/24 19.33.05] Nama: pesan", (26, 1, 24), (19, 33, 5, None), "ios"),
        ("[1/26/24, 7:33:05 PM] Name: message", (1, 26, 24), (7, 33, 5, "pm"), "ios"),
    ],
)
def test_headers(
    line: str, fields: tuple[int, int, int], time: tuple[Any, ...], layout: str
) -> None:
    header = wa.parse_header(line)
    assert header is not None
    assert header.fields == fields
    assert (header.hour, header.minute, header.second, header.ampm) == time
    assert header.layout == layout
    assert header.rest.endswith(("pesan", "message"))


def test_lines_that_are_not_headers() -> None:
    for line in ("pesan biasa", "Jam 19.33 - rapat", "26/01/24 - catatan", "[tautan] x"):
        assert wa.parse_header(line) is None


@pytest.mark.parametrize(
    ("rest", "marked", "kind"),
    [
        ("Budi: halo", False, "message"),
        ("Budi menambahkan Ani", False, "system"),
        ('Budi changed the subject from "A" to "B: C"', False, "system"),
        ("Budi: This message was deleted", False, "deleted"),
        ("Budi: Pesan ini telah dihapus.", False, "deleted"),
        ("Grup: Budi menambahkan Ani", True, "system"),
        ("Budi: mohon menambahkan tagar", False, "message"),
        ("Budi:", False, "message"),
    ],
)
def test_classify(rest: str, marked: bool, kind: str) -> None:
    assert wa.classify(rest, marked).kind == kind


def test_body_attachments_and_markers() -> None:
    body = wa.split_body(["IMG-1.jpg (file attached)", "caption", "<Media omitted>"])
    assert (body.text, body.attachments, body.omitted) == ("caption", ("IMG-1.jpg",), True)
    body = wa.split_body(["<attached: 0001-PHOTO.jpg> caption <This message was edited>"])
    assert (body.text, body.attachments, body.edited) == ("caption", ("0001-PHOTO.jpg",), True)
    body = wa.split_body(["Laporan Bulanan.pdf (file terlampir)"])
    assert body.attachments == ("Laporan Bulanan.pdf",) and body.text == ""


def test_chat_names() -> None:
    assert wa.chat_name("WhatsApp Chat with Kominfo") == "Kominfo"
    assert wa.chat_name("Chat WhatsApp dengan Grup A") == "Grup A"
    assert wa.chat_name("WhatsApp Chat - Grup B") == "Grup B"
    assert wa.chat_name("notes") is None


@pytest.mark.parametrize("source", ["android_id", "android_en", "ios_id", "zip"])
def test_round_trip_through_the_corpus_into_the_store(
    source: str, tmp_path: Path, store: Store
) -> None:
    path = make_zip(tmp_path) if source == "zip" else PATHS[source]
    parts, skipped = read(path)
    corpus = tmp_path / "corpus"
    written = write_adapter_corpus(whatsapp.read(path, AdapterOptions()), path.parent, corpus)
    report = service.ingest(store, corpus)
    assert report.errors == [] and report.conflicts == []
    assert report.ingested == len(parts.posts) and report.accounts_added == 1
    for post in written.posts:
        stored = store.find_post(post.post_id)
        assert stored is not None
        assert stored.published_at == post.published_at
        assert stored.text == post.text
        assert stored.media == post.media
        assert stored.tier == "central"
        for media in stored.media:
            assert (corpus / media).is_file()
    again = service.ingest(store, corpus)
    assert (again.ingested, again.unchanged, again.errors) == (0, len(parts.posts), [])
    # No unexplained skip: every header line is a post, a counted skip or an error.
    chat = FIXTURES / "ios_en_zip" / "_chat.txt" if source == "zip" else path
    headers = sum(
        1
        for line in chat.read_text(encoding="utf-8").splitlines()
        if wa.parse_header(wa.strip_marks(line))
    )
    dropped = skipped["system"] + skipped["deleted"] + skipped["empty"] + skipped["missing"]
    assert headers == len(parts.posts) + dropped + len(parts.errors)


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ,.!?#@é🙏", min_size=1, max_size=30)


def _an_ordinary_message(text: str) -> bool:
    """Not one of the texts WhatsApp writes in place of a message (Hypothesis once drew
    "pEsAn InI DIHApus", which an export means as a deleted message)."""
    return text.strip().rstrip(".").lower() not in wa.DELETED and not wa.ENCRYPTION_NOTICE.match(
        text.strip()
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Admin Kominfo", "Budi", "+62 812-3456-7890"]),
            st.lists(_WORDS.map(str.strip).filter(bool), min_size=1, max_size=3).filter(
                lambda text_lines: _an_ordinary_message(text_lines[0])
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_message_text_survives_the_export(messages: list[tuple[str, list[str]]]) -> None:
    """Write messages as an Android export and read them back: same senders, same text."""
    lines = []
    for minute, (sender, text_lines) in enumerate(messages):
        lines.append(f"26/01/24 19.{minute:02d} - \u202a{sender}\u202c: {text_lines[0]}")
        lines.extend(text_lines[1:])
    posts = [p for _, p in _read_lines(lines)]
    assert [(p.extra["sender"], p.text) for p in posts] == [
        (sender, "\n".join(text_lines).strip()) for sender, text_lines in messages
    ]


def _read_lines(lines: list[str]) -> list[tuple[int, Any]]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "WhatsApp Chat with G.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        parts, skipped = read(path)
    assert parts.errors == [] and not skipped
    return list(enumerate(parts.posts))
