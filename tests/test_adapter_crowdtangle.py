"""CrowdTangle CSV: both column sets, zone abbreviations, OCR text, bad rows."""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.adapters import crowdtangle
from tracer.adapters.base import AdapterOptions

from .adapters_support import FIXTURES, collect

FACEBOOK = FIXTURES / "crowdtangle" / "facebook.csv"
INSTAGRAM = FIXTURES / "crowdtangle" / "instagram.csv"


def test_detects_both_column_sets() -> None:
    assert crowdtangle.detect(FACEBOOK)
    assert crowdtangle.detect(INSTAGRAM)
    assert not crowdtangle.detect(FIXTURES / "zeeschuimer" / "export.ndjson")


def test_facebook_rows_with_zones_and_ocr_text() -> None:
    out = collect(FACEBOOK, "crowdtangle")
    assert [a.account_id for a in out.accounts] == ["facebook:diskominfo.banten"]
    assert out.accounts[0].name == "Diskominfo Provinsi Banten"
    wib = out.post("facebook:789000000000001")
    assert wib.published_at == datetime(2024, 1, 27, 3, 40, tzinfo=UTC)
    assert wib.text.startswith("Halo Sahabat Banten!\n\nPresiden Punya")  # multi-line cell
    assert wib.extra["ocr_text"] == "PRESIDEN PUNYA HAK POLITIK"
    assert "assumed_tz" not in wib.extra
    est = out.post("facebook:789000000000002")  # story_fbid in a permalink
    assert est.published_at == datetime(2024, 1, 27, 3, 0, tzinfo=UTC)
    bare = out.post("facebook:789000000000003")
    assert bare.published_at == datetime(2024, 1, 28, 1, 0, tzinfo=UTC)
    assert bare.extra["assumed_tz"] == "Asia/Jakarta"
    assert [p.extra["source_record"] for p in out.posts] == [2, 7, 10]


def test_every_skip_names_line_column_and_reason() -> None:
    out = collect(FACEBOOK, "crowdtangle")
    assert out.where() == [
        ("facebook.csv", 11, "Post Created"),
        ("facebook.csv", 12, "Post Created"),
        ("facebook.csv", 13, "URL"),
        ("facebook.csv", 14, "Message"),
    ]
    assert "XYZ" in out.errors[1].reason
    assert "not UTF-8" in out.errors[3].reason


def test_zone_option_for_times_without_one() -> None:
    options = AdapterOptions(tz=ZoneInfo("Asia/Makassar"))
    out = collect(FACEBOOK, "crowdtangle", options)
    bare = out.post("facebook:789000000000003")
    assert bare.published_at == datetime(2024, 1, 28, 0, 0, tzinfo=UTC)
    assert bare.extra["assumed_tz"] == "Asia/Makassar"


def test_instagram_columns_matched_tolerantly_and_ids_from_shortcodes() -> None:
    out = collect(INSTAGRAM, "crowdtangle")
    assert [a.account_id for a in out.accounts] == [
        "instagram:kemenkominfo",
        "instagram:diskominfojabar",
    ]
    # The shortcode in the URL is the media id Instaloader and Zeeschuimer give.
    release = out.post("instagram:3287654321098765432")
    assert release.published_at == datetime(2024, 1, 26, 12, 33, tzinfo=UTC)
    assert release.extra["ocr_text"] == "HAK POLITIK PRESIDEN"
    assert out.post("instagram:3288000000000000001").text.startswith("Cuti Bersama")
    assert out.errors == []


def test_utf16_export(tmp_path: Path) -> None:
    copy = tmp_path / "utf16.csv"
    copy.write_bytes(INSTAGRAM.read_text(encoding="utf-8").encode("utf-16"))
    out = collect(copy, "crowdtangle")
    assert len(out.posts) == 2 and out.errors == []


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
)


@settings(max_examples=60)
@given(messages=st.lists(TEXT, min_size=1, max_size=5))
def test_any_message_survives_the_csv_round_trip(messages: list[str]) -> None:
    """Commas, quotes, line breaks and any script in a cell come back unchanged, and each
    row's reported line is the line it starts on."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as stream:
            writer = csv.writer(stream)
            writer.writerow(["Page Name", "User Name", "Post Created", "URL", "Message"])
            for i, message in enumerate(messages):
                url = f"https://www.facebook.com/banten/posts/{1000 + i}"
                writer.writerow(["Banten", "banten", "2024-01-27 10:00:00 WIB", url, message])
        out = collect(path, "crowdtangle")
    assert out.errors == []
    assert [p.text for p in out.posts] == messages
    starts = [2]
    for message in messages[:-1]:
        breaks = message.count("\n") + message.count("\r") - message.count("\r\n")
        starts.append(starts[-1] + 1 + breaks)
    assert [p.extra["source_record"] for p in out.posts] == starts
