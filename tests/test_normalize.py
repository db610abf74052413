"""The one normaliser: text folding, feature extraction, times and URLs."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracer.normalize import (
    local_time,
    normalize_text,
    normalize_url,
    parse_instant,
    resolve_zone,
    zone_label,
)

# --- text: table -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        # NFKC: full-width letters, ligatures, superscripts and circled digits fold.
        ("ＰＥＭＩＬＵ Ｄａｍａｉ", "pemilu damai"),
        ("ﬁnal ﬂow", "final flow"),
        ("x²", "x2"),
        ("①②", "12"),
        # Case-fold, not lower(): ß becomes ss.
        ("STRASSE Straße", "strasse strasse"),
        ("JAKARTA Jakarta jakarta", "jakarta jakarta jakarta"),
        # Zero-width characters and the soft hyphen join what they split.
        ("Peme\u200brintah Pro\u200dvinsi Ban\u00adten\ufeff", "pemerintah provinsi banten"),
        # Emoji and pictographs are stripped.
        ("Halo 👋 Sahabat 🇮🇩 Banten ❤️", "halo sahabat banten"),
        ("🙏🙏🙏", ""),
        # Indonesian reduplication; digits that are part of a name stay.
        ("kata2", "kata kata"),
        ("Anak2 sekolah", "anak anak sekolah"),
        ("covid19 g20 2024", "covid19 g20 2024"),
        ("COVID-19 di G20 tahun 2024", "covid 19 di g20 tahun 2024"),
        ("pasal 2 ayat 2", "pasal 2 ayat 2"),
        # Punctuation and whitespace fold to single spaces.
        (
            "Jakarta – Presiden,  menegaskan:\n\n\t“hak politik”!!!",
            "jakarta presiden menegaskan hak politik",
        ),
        ("Undang-Undang Nomor 7/2017", "undang undang nomor 7 2017"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_normalize_text_table(raw: str, text: str) -> None:
    norm = normalize_text(raw)
    assert norm.text == text
    assert norm.tokens == tuple(text.split())


def test_urls_mentions_hashtags_are_extracted_and_removed() -> None:
    norm = normalize_text(
        "Simak di https://www.Kominfo.go.id/berita?utm_source=ig&id=7 bersama @Kemkominfo "
        "dan @diskominfo.banten #PemiluDamai2024 #BantenJawara #PemiluDamai2024"
    )
    assert norm.text == "simak di bersama dan"
    assert norm.urls == ("kominfo.go.id/berita?id=7",)
    assert norm.mentions == ("kemkominfo", "diskominfo.banten")
    assert norm.hashtags == ("pemiludamai2024", "bantenjawara")  # unique, in order
    assert norm.truncated is False


def test_numeric_hashtag_and_email_are_not_features() -> None:
    norm = normalize_text("Nomor #1 hubungi humas@banten.go.id")
    assert norm.hashtags == ()
    assert norm.mentions == ()
    assert "1" in norm.tokens


@pytest.mark.parametrize(
    "raw",
    [
        "Presiden punya hak politik… more",
        "Presiden punya hak politik ... more",
        "Presiden punya hak politik...more",
        "Presiden punya hak politik... selengkapnya",
        "Presiden punya hak politik… lihat selengkapnya",
        "Presiden punya hak politik ... Baca Selengkapnya",
        "Presiden punya hak politik… lainnya  ",
        "Presiden punya hak politik…",
    ],
)
def test_truncation_marker_dropped(raw: str) -> None:
    norm = normalize_text(raw)
    assert norm.truncated is True
    assert norm.text == "presiden punya hak politik"


@pytest.mark.parametrize(
    "raw",
    [
        "Informasi lebih lanjut klik more",
        "Baca selengkapnya di laman resmi",
        "tiga… titik di tengah",
    ],
)
def test_words_without_an_ellipsis_are_not_truncation(raw: str) -> None:
    norm = normalize_text(raw)
    assert norm.truncated is False
    assert norm.tokens[-1] == raw.split()[-1].casefold()


def test_truncation_with_trailing_hashtags_still_drops_marker() -> None:
    # The marker is at the end once the caption is cut: nothing follows it.
    norm = normalize_text("Presiden punya hak politik #Pemilu… more")
    assert norm.truncated is True
    assert "more" not in norm.tokens


# --- text: properties --------------------------------------------------------------

_pieces = st.sampled_from(
    [
        "kata",
        "2",
        "Kata2",
        "#",
        "#Pemilu",
        "@",
        "@kominfo",
        "…",
        "...",
        " ",
        "\n",
        "_",
        "-",
        "😀",
        "\u200b",
        "http://",
        "https://x.id/a?utm_source=1",
        "www.",
        "more",
        "selengkapnya",
        "covid19",
        "G20",
        "ß",
        "²",
        "ǰ",
        "ΐ",
        "\u0301",
        ".",
        "İ",
        "ﬀ",
        "Ⅻ",
        "①",
        "ｈ",
        "lainnya",
    ]
)
_captions = st.one_of(st.text(), st.lists(_pieces, max_size=14).map("".join))


@given(_captions)
@example("kata2_")
@example("Sahabat2_Banten")
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    twice = normalize_text(once.text)
    assert twice.text == once.text
    assert twice.tokens == once.tokens
    assert twice.hashtags == () and twice.mentions == () and twice.urls == ()


_TRUNCATION = (
    r"(?:\.\.\.|…)\s*"
    r"(?:more|lainnya|selengkapnya|lihat selengkapnya|see more|baca selengkapnya)?\s*$"
)
_URL = r"(?:https?://|www\.)[^\s<>\"]+"
_HASHTAG = r"(?<![\w#&])#(\w*[^\W\d_]\w*)"
_MENTION = r"(?<![\w@])@([\w.]{1,64}\w)"


def _folded_pass_by_pass(raw: str) -> tuple[object, ...]:
    """What `normalize_text` gave before its words were folded in one pass (the oracle):
    each feature found, then removed, by passes of its own; the underscore,
    reduplication and every other non-word character folded by one pass each."""
    text = raw
    if "\ufe0f" in text or "\u20e3" in text:
        text = re.sub(".\ufe0f\u20e3?|.\u20e3", " ", text)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]", "", text)
    urls = []
    if "http" in text or "www." in text or "HTTP" in text or "WWW." in text:
        urls = re.findall(_URL, text, re.IGNORECASE)
        text = re.sub(_URL, " ", text, flags=re.IGNORECASE)
    text = text.casefold().rstrip()
    truncated = text.endswith(("…", "...", "more", "lainnya", "selengkapnya")) and bool(
        re.search(_TRUNCATION, text)
    )
    if truncated:
        text = re.sub(_TRUNCATION, " ", text)
    hashtags, mentions = re.findall(_HASHTAG, text), []
    text = re.sub(_HASHTAG, " ", text)
    if "@" in text:
        mentions = re.findall(_MENTION, text)
        text = re.sub(_MENTION, " ", text)
    text = re.sub(r"\b([^\W\d_]{2,})2\b", r"\1 \1", re.sub("_+", " ", text))
    text = re.sub(r"[^\w\n]+", " ", text)
    tokens = tuple(text.split())
    return (
        " ".join(tokens),
        tokens,
        tuple(" ".join(words) for line in text.split("\n") if (words := line.split())),
        tuple(dict.fromkeys(hashtags)),
        tuple(dict.fromkeys(mentions)),
        tuple(dict.fromkeys(normalize_url(u) for u in urls)),
        truncated,
    )


@given(_captions)
@example("kata2 ²2 ٢2 x_2 ab2_c ǅa2 İİ2\u2028cd2\x1cef2 ↂↂ2 ab፲2")
@example("ↂↂ2 ፲፲2")  # a "2" after letters that are numerals only
@example("#tag2 @me2 http://x.id/a2 mata2. Https://x.id/b Www.x.id hTTP://x.id/c")
@example("ℹ️ Info2 1️⃣ … selengkapnya")
def test_one_pass_folds_as_one_pass_per_step(raw: str) -> None:
    norm = normalize_text(raw)
    assert (
        norm.text, norm.tokens, norm.lines, norm.hashtags, norm.mentions, norm.urls,
        norm.truncated,
    ) == _folded_pass_by_pass(raw)  # fmt: skip


@given(_captions)
def test_tokens_are_never_empty(raw: str) -> None:
    norm = normalize_text(raw)
    assert all(norm.tokens)
    assert all(t == t.strip() and " " not in t for t in norm.tokens)
    assert norm.text == " ".join(norm.tokens)


@given(_captions)
def test_features_are_unique(raw: str) -> None:
    norm = normalize_text(raw)
    for feature in (norm.hashtags, norm.mentions, norm.urls):
        assert len(set(feature)) == len(feature)


# --- URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.instagram.com/p/C2abc/", "instagram.com/p/C2abc"),
        ("http://instagram.com/p/C2abc", "instagram.com/p/C2abc"),
        ("HTTPS://WWW.INSTAGRAM.COM/p/C2abc/", "instagram.com/p/C2abc"),
        ("instagram.com/p/C2abc/?utm_source=ig_web_copy_link&igsh=MWQ1", "instagram.com/p/C2abc"),
        ("https://www.instagram.com/p/C2abc/?igshid=YmMy", "instagram.com/p/C2abc"),
        (
            "https://m.facebook.com/story.php?story_fbid=10&id=20&fbclid=IwAR",
            "facebook.com/story.php?story_fbid=10&id=20",
        ),
        ("https://x.com/kemkominfo/status/175?s=20&si=abc", "x.com/kemkominfo/status/175?s=20"),
        ("https://www.kominfo.go.id/berita#komentar", "kominfo.go.id/berita"),
        ("https://www.kominfo.go.id", "kominfo.go.id"),
    ],
)
def test_normalize_url(url: str, key: str) -> None:
    assert normalize_url(url) == key


def test_normalize_url_without_a_path_still_drops_tracking_parameters() -> None:
    # A site-root link with a query: the query must not be read as part of the host.
    assert normalize_url("https://www.kominfo.go.id?utm_source=ig") == "kominfo.go.id"
    assert normalize_url("https://kominfo.go.id/?utm_source=ig") == "kominfo.go.id"


def test_normalize_url_drops_fragment_after_a_query() -> None:
    # The fragment never names another page; it is dropped without a query, so it must be
    # dropped with one too, or the same post looked up by a shared link is not found.
    assert (
        normalize_url("https://www.kominfo.go.id/berita?id=5#komentar")
        == "kominfo.go.id/berita?id=5"
    )


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/._-?=&", min_size=1, max_size=40))
@example("?/")
def test_normalize_url_is_idempotent(path: str) -> None:
    once = normalize_url("https://www.example.go.id/" + path)
    assert normalize_url(once) == once


# --- times -------------------------------------------------------------------------

RELEASE_UTC = datetime(2024, 1, 26, 12, 33, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-26T12:33:00Z",
        "2024-01-26T12:33:00z",
        "2024-01-26T12:33:00+00:00",
        "2024-01-26T19:33:00+07:00",
        "2024-01-26T20:33:00+08:00",
        "2024-01-26T21:33:00+09:00",
        "2024-01-26 19:33:00+07:00",
        "2024-01-26T19:33:00.000+07:00",
    ],
)
def test_offsets_give_the_same_utc_instant(value: str) -> None:
    moment = parse_instant(value)
    assert moment == RELEASE_UTC
    assert moment.utcoffset() == timedelta(0)


def test_naive_time_is_refused_without_assume() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_instant("2024-01-26T19:33:00")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("WIB", RELEASE_UTC),
        ("wib", RELEASE_UTC),
        ("Asia/Jakarta", RELEASE_UTC),
        ("+07:00", RELEASE_UTC),
        ("WITA", RELEASE_UTC - timedelta(hours=1)),
        ("WIT", RELEASE_UTC - timedelta(hours=2)),
        ("UTC", RELEASE_UTC + timedelta(hours=7)),
    ],
)
def test_naive_time_with_assumed_zone(zone: str, expected: datetime) -> None:
    assert parse_instant("2024-01-26T19:33:00", resolve_zone(zone)) == expected


def test_assume_does_not_override_an_explicit_offset() -> None:
    assert parse_instant("2024-01-26T12:33:00Z", resolve_zone("WIT")) == RELEASE_UTC


@pytest.mark.parametrize("value", ["yesterday", "26/01/2024 19:33", "", "2024-13-01T00:00:00Z"])
def test_unparseable_time_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(value)


def test_resolve_zone() -> None:
    assert resolve_zone("-03:30").utcoffset(None) == -timedelta(hours=3, minutes=30)
    assert resolve_zone("Z") is UTC
    assert resolve_zone("WITA").utcoffset(datetime(2024, 1, 1)) == timedelta(hours=8)
    with pytest.raises(ValueError, match="unknown time zone"):
        resolve_zone("Mars/Olympus")


def test_local_time_labels_indonesian_zones() -> None:
    assert local_time(RELEASE_UTC) == "2024-01-26 19:33:00 WIB"
    assert local_time(RELEASE_UTC, "Asia/Makassar") == "2024-01-26 20:33:00 WITA"
    assert local_time(RELEASE_UTC, "Asia/Jayapura") == "2024-01-26 21:33:00 WIT"
    assert local_time(RELEASE_UTC, "Europe/Berlin") == "2024-01-26 13:33:00 Europe/Berlin"
    assert zone_label("Asia/Jakarta") == "WIB"


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from([0, 7, 8, 9, -5]),
)
def test_parse_instant_round_trips_any_offset(moment: datetime, hours: int) -> None:
    shown = moment.astimezone(timezone(timedelta(hours=hours))).isoformat()
    assert parse_instant(shown) == moment


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Warga Diminta Waspada ℹ️", "warga diminta waspada"),  # NFKC alone: "... waspada i"
        ("Ⓜ️ Info Pemilu", "info pemilu"),
        ("Langkah 1️⃣ daftar, 2️⃣ pilih", "langkah daftar pilih"),
        ("#️⃣ Pemilu ©️ 2024", "pemilu 2024"),
    ],
)
def test_characters_shown_as_emoji_leave_no_letters(raw: str, text: str) -> None:
    assert normalize_text(raw).text == text


def test_stylised_letters_without_emoji_presentation_stay_letters() -> None:
    assert normalize_text("ⓘ Ⓜ Info").text == "i m info"
