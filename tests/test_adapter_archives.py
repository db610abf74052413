"""Account archives offices hand over: Meta's "Download your information" (Instagram,
Facebook) and the X archive, unzipped or as the zip they came in."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import convert
from tracer.adapters import detect, meta_archive
from tracer.errors import InputError
from tracer.store import Store

from .adapters_support import FIXTURES, collect

INSTAGRAM = FIXTURES / "meta" / "instagram-kemenkominfo-20240130"
FACEBOOK = FIXTURES / "meta" / "facebook-diskominfobanten-2024-01-30-Xy12Ab"
HTML = FIXTURES / "meta" / "instagram-kemenkominfo-20240130-html"
X = FIXTURES / "x" / "twitter-2024-01-30-5f3a9c"
RELEASE_START = "Presiden Punya Hak Politik, Acuannya UU Pemilu\n\nPresiden menegaskan"


def zipped(folder: Path, into: Path, wrap: bool = False) -> Path:
    """The archive as it is downloaded (`wrap`: re-zipped by a user on a Mac, inside a
    folder, with the `__MACOSX/` entries the Finder adds)."""
    path = into / f"{folder.name}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        if wrap:
            archive.writestr(f"__MACOSX/{folder.name}/._posts_1.json", b"\x00\x05\x16\x07")
            archive.writestr(f"{folder.name}/.DS_Store", b"\x00\x00\x00\x01Bud1")
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                name = file.relative_to(folder.parent if wrap else folder).as_posix()
                archive.write(file, name)
    return path


def test_meta_unmangles_what_meta_writes() -> None:
    written = "Indonésia 🇮🇩".encode().decode("latin-1")
    assert meta_archive.unmangle(written) == "Indonésia 🇮🇩"
    assert meta_archive.unmangle("Indonésia") == "Indonésia"  # already right: kept
    assert meta_archive.unmangle("plain") == "plain"


def test_instagram_posts_reels_and_stories() -> None:
    assert detect(INSTAGRAM) == "meta-archive"
    out = collect(INSTAGRAM, "meta-archive")
    assert [(a.account_id, a.name) for a in out.accounts] == [
        ("instagram:kemenkominfo", "Kominfo 🇮🇩")
    ]
    release = out.post("instagram:kemenkominfo:1706272380")
    assert release.text.startswith(RELEASE_START)
    assert release.text.endswith(" 🙏 Kominfo—Indonésia")
    assert release.published_at == datetime(2024, 1, 26, 12, 33, tzinfo=UTC)
    assert release.media == (f"{INSTAGRAM.name}/media/posts/202401/17900000000000001.jpg",)
    assert release.extra["cross_post_source"] == ["FB"]
    carousel = out.post("instagram:kemenkominfo:1706324400")
    assert carousel.text.startswith("Cuti Bersama")
    assert [Path(m).suffix for m in carousel.media] == [".jpg", ".mp4"]
    kept = out.post("instagram:kemenkominfo:1706331600")
    assert kept.media == () and kept.extra["media_missing"] == [
        "media/posts/202401/17900000000000004.jpg"
    ]
    same = [p.post_id for p in out.posts if p.text in ("A", "B")]
    assert same == ["instagram:kemenkominfo:1706403600", "instagram:kemenkominfo:1706403600:2"]
    kinds = {p.extra["archive_kind"] for p in out.posts}
    assert kinds == {"posts", "reels", "stories"}
    assert out.where() == [("posts_1.json", 5, "creation_timestamp")]
    assert out.skips() == [("posts_1.json", 4, meta_archive.MISSING)]


def test_facebook_posts_with_photos_and_links() -> None:
    out = collect(FACEBOOK, "meta-archive")
    assert [a.account_id for a in out.accounts] == ["facebook:diskominfo.banten"]
    first, second = out.posts
    assert first.text.startswith("Halo Sahabat Banten! 👋\n\nPresiden Punya Hak Politik")
    assert first.media == (
        f"{FACEBOOK.name}/your_facebook_activity/posts/media/TimelinePhotos_1234/"
        "406000000000001.jpg",
    )
    assert first.published_at == datetime(2024, 1, 27, 3, 40, tzinfo=UTC)
    assert second.extra["links"] == ["https://www.komdigi.go.id/berita"]
    assert out.skips() == [
        ("your_posts__check_ins__photos_and_videos_1.json", 3, meta_archive.EMPTY)
    ]


def test_the_html_form_is_refused_with_what_to_ask_for() -> None:
    assert detect(HTML) == "meta-archive"
    with pytest.raises(InputError, match=r"HTML form of Meta's export.*Format: JSON"):
        collect(HTML, "meta-archive")


def test_x_archive_tweets_parts_deleted_and_media() -> None:
    assert detect(X) == "x-archive"
    out = collect(X, "x-archive")
    assert [(a.account_id, a.name) for a in out.accounts] == [("x:kemkominfo", "KEMKOMINFO")]
    first = out.post("x:1750000000000000011")
    assert first.text == "Presiden Punya Hak Politik & Acuannya UU Pemilu"  # media link gone
    assert first.media == (f"{X.name}/data/tweets_media/1750000000000000011-GEabcPhoto1.jpg",)
    assert first.url == "https://x.com/kemkominfo/status/1750000000000000011"
    assert out.post("x:1750000000000000012").text.endswith("https://www.komdigi.go.id/berita")
    assert out.post("x:1750000000000000013").extra["retweet_of"] == "jabarprov"
    reply = out.post("x:1750000000000000016")
    assert reply.extra["in_reply_to_status_id"] == "1750000000000000011"
    assert reply.extra["media_missing"] == ["https://pbs.twimg.com/media/GEabcGone.jpg"]
    assert out.post("x:1750000000000000015").media[0].endswith(".mp4")  # tweets-part1.js
    long_post = out.post("x:1750000000000000018")  # its whole text from note-tweet.js
    assert long_post.text.startswith(RELEASE_START) and long_post.text.endswith(
        "bagi aparatur sipil negara."
    )
    assert long_post.extra["long_post"] is True
    deleted = out.post("x:1750000000000000017")
    assert deleted.extra["deleted_at"] == "Sun Jan 28 06:00:00 +0000 2024"
    assert out.where() == [("tweets.js", 4, "created_at")]


def test_without_account_js_the_account_option_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "tweets.js").write_bytes((X / "data" / "tweets.js").read_bytes())
    out = collect(folder, "x-archive")
    assert out.posts == [] and out.where() == [("account.js", 1, "username")]
    assert "--account" in out.errors[0].reason


@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize(("folder", "fmt"), [(INSTAGRAM, "meta-archive"), (X, "x-archive")])
def test_a_zip_is_read_like_its_folder(tmp_path: Path, folder: Path, fmt: str, wrap: bool) -> None:
    archive = zipped(folder, tmp_path, wrap)
    assert detect(archive) == fmt
    from_zip, from_folder = collect(archive, fmt), collect(folder, fmt)
    # The same posts, media under the same paths (the zip's extracted beside it).
    assert [(p.post_id, p.text, p.media) for p in from_zip.posts] == [
        (p.post_id, p.text, p.media) for p in from_folder.posts
    ]
    for post in from_zip.posts:
        for media in post.media:
            assert (tmp_path / media).read_bytes() == (folder.parent / media).read_bytes()


@pytest.mark.parametrize("folder", [INSTAGRAM, FACEBOOK, X])
def test_round_trip_into_the_store(folder: Path, store: Store, tmp_path: Path) -> None:
    fmt = detect(folder)
    expected = collect(folder, fmt)
    report = convert.ingest_export(store, folder)
    assert report.ingested == len(expected.posts) and report.conflicts == []
    assert len(report.skipped) == len(expected.skipped)
    for post in expected.posts:
        stored = store.find_post(post.post_id)
        assert stored is not None and stored.text == post.text
        assert stored.media == tuple(f"media/{m}" for m in post.media)
    # The zip it came as is the same posts: nothing new, no conflict.
    again = convert.ingest_export(store, zipped(folder, tmp_path))
    assert (again.ingested, again.unchanged, again.conflicts) == (0, len(expected.posts), [])
