"""Instaloader folders: captions in both places, sidecars, media by stem, broken files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tracer.adapters import instaloader
from tracer.adapters.base import AdapterOptions

from .adapters_support import FIXTURES, collect

FOLDER = FIXTURES / "instaloader"


def test_detects_a_folder_and_a_single_file() -> None:
    assert instaloader.detect(FOLDER)
    assert instaloader.detect(FOLDER / "kemenkominfo" / "2024-01-27_05-00-00_UTC.json")
    assert not instaloader.detect(FIXTURES / "ytdlp")
    assert not instaloader.detect(FIXTURES / "zeeschuimer")


def test_posts_ids_times_captions_and_media() -> None:
    out = collect(FOLDER, "instaloader")
    assert [a.account_id for a in out.accounts] == ["instagram:kemenkominfo"]
    assert out.accounts[0].name == "Kementerian Kominfo"
    assert out.accounts[0].tier == "other"
    single = out.post("instagram:3287654321098765432")
    assert single.published_at == datetime(2024, 1, 26, 12, 33, tzinfo=UTC)
    assert single.text.startswith("Presiden Punya Hak Politik")
    assert single.media == ("kemenkominfo/2024-01-26_12-33-00_UTC.jpg",)
    assert single.url is not None and single.url.startswith("https://www.instagram.com/p/")
    assert single.extra["source_file"] == "kemenkominfo/2024-01-26_12-33-00_UTC.json.xz"
    sidecar = out.post("instagram:3288000000000000001")
    assert sidecar.media == (
        "kemenkominfo/2024-01-27_03-00-00_UTC_1.jpg",
        "kemenkominfo/2024-01-27_03-00-00_UTC_2.mp4",
    )
    plain = out.post("instagram:3288100000000000002")  # .json, plain caption, `date`
    assert plain.text.startswith("Bupati Serang")
    assert plain.published_at == datetime(2024, 1, 27, 5, 0, tzinfo=UTC)
    assert plain.account_id == "instagram:kemenkominfo"  # handle from the folder name
    kept = out.post("instagram:3289000000000000003")
    assert (kept.text, kept.media) == ("", ())


def test_every_skip_names_file_field_and_reason() -> None:
    out = collect(FOLDER, "instaloader")
    assert out.where() == [
        ("2024-01-28_01-00-00_UTC.json.xz", 1, "media"),
        ("2024-01-28_02-00-00_UTC.json.xz", 1, "(file)"),
        ("2024-01-28_03-00-00_UTC.json.xz", 1, "taken_at_timestamp"),
        ("2024-01-28_04-00-00_UTC.json", 1, "(file)"),
    ]
    reasons = [e.reason for e in out.errors]
    assert "post kept" in reasons[0]
    assert "truncated" in reasons[1]
    assert "missing" in reasons[2]
    assert reasons[3].startswith("not UTF-8 (byte 0xE9")
    # The profile file and the comments file are not posts and not errors; the profile
    # file is counted as skipped, with why.
    assert len(out.posts) == 4
    assert out.skips() == [
        ("kemenkominfo_1067259270.json.xz", 1, "not a post (Instaloader Profile file)")
    ]


def test_account_option_overrides_the_owner(tmp_path: Path) -> None:
    options = AdapterOptions(account="kominfo-ig", tier="central", region="Indonesia")
    out = collect(FOLDER, "instaloader", options)
    assert [(a.account_id, a.handle, a.tier, a.region) for a in out.accounts] == [
        ("kominfo-ig", "kemenkominfo", "central", "Indonesia")
    ]
    assert {p.account_id for p in out.posts} == {"kominfo-ig"}
