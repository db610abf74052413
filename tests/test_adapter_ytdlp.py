"""yt-dlp .info.json files: timestamp before upload_date, media beside, broken files."""

from __future__ import annotations

from datetime import UTC, datetime

from tracer.adapters import ytdlp

from .adapters_support import FIXTURES, collect

FOLDER = FIXTURES / "ytdlp"


def test_detects_info_json() -> None:
    assert ytdlp.detect(FOLDER)
    assert not ytdlp.detect(FIXTURES / "instaloader")


def test_videos_with_their_media_and_times() -> None:
    out = collect(FOLDER, "ytdlp")
    video = out.post("youtube:dQw4w9WgXc1")
    assert video.published_at == datetime(2024, 1, 26, 12, 40, tzinfo=UTC)  # not upload_date
    assert video.text == "Presiden Punya Hak Politik, Acuannya UU Pemilu\n\n" + (
        "Pernyataan Presiden di Istana Bogor."
    )
    assert video.media == ("Presiden Punya Hak Politik [dQw4w9WgXc1].mp4",)  # not the .jpg
    assert video.account_id == "youtube:kemenkominfo"
    assert video.url == "https://www.youtube.com/watch?v=dQw4w9WgXc1"
    day = out.post("tiktok:7328000000000000003")
    assert day.published_at == datetime(2024, 1, 27, tzinfo=UTC)
    assert day.extra["time_precision"] == "day"
    assert out.post("youtube:Jx0000000a1").media == ()


def test_every_skip_names_file_field_and_reason() -> None:
    out = collect(FOLDER, "ytdlp")
    assert out.where() == [
        ("Jembatan Cibeber [Jx0000000a1].info.json", 1, "media"),
        ("Tanpa Waktu [Jx0000000a2].info.json", 1, "timestamp"),
        ("Terpotong [Jx0000000a3].info.json", 1, "(file)"),
    ]


PLAYLISTS = FIXTURES / "ytdlp_playlists"


def test_playlist_files_old_and_new_are_skipped_not_bad() -> None:
    """A 2021 yt-dlp wrote a channel tab's file without `_type`; both kinds are counted
    as skipped, with their reason, and the video beside them is read."""
    out = collect(PLAYLISTS, "ytdlp")
    assert [p.post_id for p in out.posts] == ["youtube:dQw4w9WgXc2"]
    assert out.errors == []
    assert [(name.split(" [")[0], line, reason) for name, line, reason in out.skips()] == [
        ("Kementerian Kominfo - Videos", 1, "a playlist or channel, not a video"),
        ("Siaran Pers", 1, "a playlist or channel, not a video"),
    ]
