"""yt-dlp downloads: `NAME.info.json` beside the media file `NAME.mp4` (or .webm, .mkv).

`timestamp` is epoch seconds (UTC); when only `upload_date` (YYYYMMDD, a UTC day) is
known the post is placed at midnight UTC and `time_precision: day` says so. A file that
describes a playlist or a channel rather than one video is skipped: `_type: playlist`
says so since 2022; a 2021 yt-dlp wrote no `_type`, and its extractor (`YoutubeTab`,
`…Playlist`, `…Channel`, `…User`) and the absence of formats tell instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from tracer.adapters.base import AdapterOptions, Item, Skipped, media_root
from tracer.adapters.common import (
    MEDIA_SUFFIXES,
    VIDEO_SUFFIXES,
    AccountBook,
    FieldError,
    emit,
    from_epoch,
    json_problem,
    platform_id,
    provenance,
)
from tracer.errors import RecordError
from tracer.models import Account, Post

NAME = "ytdlp"
SUFFIX = ".info.json"
PLATFORMS = {"youtube": "youtube", "youtubetab": "youtube", "twitter": "x"}
PLAYLIST = "a playlist or channel, not a video"
_LIST_EXTRACTORS = ("tab", "playlist", "channel", "user", "album", "search")


def _records(path: Path) -> Iterator[Path]:
    if path.is_file():
        if path.name.lower().endswith(SUFFIX):
            yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(SUFFIX):
                yield Path(folder) / name


def detect(path: Path) -> bool:
    return next(_records(path), None) is not None


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    root = media_root(path)
    book = AccountBook(options)
    for file in _records(path):
        yield from _read_file(file, root, book)


def _read_file(file: Path, root: Path, book: AccountBook) -> Iterator[Item]:
    name = str(file)
    raw = file.read_bytes()
    try:
        info = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        yield RecordError(name, 1, "(file)", json_problem(raw, exc))
        return
    if not isinstance(info, dict):
        yield RecordError(name, 1, "(file)", "not a JSON object")
        return
    if is_playlist(info):
        yield Skipped(name, 1, PLAYLIST)
        return
    media = _media_beside(file)
    try:
        post, account = _post(info, file, root, media, book)
    except FieldError as exc:
        yield RecordError(name, 1, exc.field, exc.reason)
        return
    if not media:
        stem = file.name[: -len(SUFFIX)]
        yield RecordError(
            name,
            1,
            "media",
            f"no media file {stem}.mp4 (or .webm, .mkv, …) beside it; post kept without media",
        )
    yield from emit(1, post, account)


def is_playlist(info: dict[str, Any]) -> bool:
    """A playlist's or channel's own description, written beside its entries."""
    if info.get("_type") in {"playlist", "multi_video"} or "entries" in info:
        return True
    if info.get("_type") not in (None, "video"):
        return False
    extractor = str(info.get("extractor_key") or info.get("extractor") or "").casefold()
    is_video_like = any(k in info for k in ("formats", "url", "duration", "timestamp"))
    return extractor.endswith(_LIST_EXTRACTORS) and not is_video_like


def _media_beside(file: Path) -> tuple[Path, ...]:
    """The downloaded file sharing the record's stem; videos before images (thumbnails)."""
    stem = file.name[: -len(SUFFIX)]
    found = [
        p
        for p in file.parent.glob(f"{_glob_escape(stem)}.*")
        if p.suffix.lower() in MEDIA_SUFFIXES and p.name[: -len(p.suffix)] == stem
    ]
    videos = sorted(p for p in found if p.suffix.lower() in VIDEO_SUFFIXES)
    return tuple(videos) if videos else tuple(sorted(found))


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def _post(
    info: dict[str, Any], file: Path, root: Path, media: tuple[Path, ...], book: AccountBook
) -> tuple[Post, Account | None]:
    extractor = str(info.get("extractor_key") or info.get("extractor") or "web").casefold()
    platform = PLATFORMS.get(extractor, extractor.split(":", 1)[0])
    post_id = platform_id(platform, info.get("id"), "id")
    extra = provenance(NAME, file, 1, root)
    if info.get("timestamp") is not None:
        published = from_epoch(info["timestamp"], "timestamp")
    elif isinstance(info.get("upload_date"), str):
        try:
            published = datetime.strptime(info["upload_date"], "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            raise FieldError("upload_date", f"{info['upload_date']!r} is not YYYYMMDD") from None
        extra["time_precision"] = "day"
    else:
        raise FieldError("timestamp", "missing (nor `upload_date`)")
    handle = str(info.get("uploader_id") or info.get("channel_id") or "")
    name = str(info.get("uploader") or info.get("channel") or "")
    account_id, account = book.resolve(platform, handle, name)
    title = str(info.get("title") or "").strip()
    description = str(info.get("description") or "").strip()
    text = "\n\n".join(part for part in (title, description) if part)
    if info.get("channel_id"):
        extra["channel_id"] = str(info["channel_id"])
    paths = tuple(p.relative_to(root).as_posix() for p in media)
    url = info.get("webpage_url") if isinstance(info.get("webpage_url"), str) else None
    return Post(post_id, account_id, published, text, paths, url, extra), account
