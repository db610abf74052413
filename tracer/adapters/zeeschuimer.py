"""Zeeschuimer NDJSON exports (and 4CAT's NDJSON download of the same items).

Zeeschuimer writes one JSON object per line: the item as the platform's web app
received it under `data`, beside `source_platform`, `source_url`, `timestamp_collected`
(epoch milliseconds) and the like. 4CAT's NDJSON download is the bare item with that
envelope moved under `__import_meta`. Instagram, TikTok and X items are read; times come
as epoch seconds, epoch milliseconds or RFC 2822 strings, all with a zone.
"""

from __future__ import annotations

import contextlib
import gzip
import lzma
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

import orjson

from tracer.adapters.base import AdapterOptions, Item, media_root
from tracer.adapters.common import (
    AccountBook,
    FieldError,
    any_time,
    emit,
    from_epoch,
    instagram_post_id,
    instagram_url,
    json_problem,
    platform_id,
    provenance,
    text_of,
)
from tracer.errors import RecordError
from tracer.models import Account, Post, iso_utc

NAME = "zeeschuimer"
SUFFIXES = (".ndjson", ".jsonl", ".json")
COMPRESSED = (".gz", ".xz")
FIRST_LINE_LIMIT = 16 << 20

Mapper = Callable[[dict[str, Any], AccountBook], tuple[Post, Account | None]]


def _bare_suffix(file: Path) -> str:
    """The suffix under a compression suffix: `.ndjson` for `export.ndjson.gz`."""
    name = file.name.lower()
    for packed in COMPRESSED:
        name = name.removesuffix(packed)
    return Path(name).suffix


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and _bare_suffix(p) == ".ndjson")


def _open(file: Path) -> IO[bytes]:
    """The file's bytes, decompressed on the fly when it ends in `.gz` or `.xz`."""
    name = file.name.lower()
    if name.endswith(".gz"):
        return cast(IO[bytes], gzip.open(file, "rb"))
    if name.endswith(".xz"):
        return cast(IO[bytes], lzma.open(file, "rb"))
    return file.open("rb")


def detect(path: Path) -> bool:
    """A file (or a folder of `.ndjson` files) whose first line carries the envelope."""
    for file in _files(path):
        if _bare_suffix(file) not in SUFFIXES:
            return False
        try:
            with _open(file) as stream:
                while raw := stream.readline(FIRST_LINE_LIMIT):
                    if raw.strip():
                        return b'"source_platform"' in raw or b'"__import_meta"' in raw
        except (EOFError, lzma.LZMAError, gzip.BadGzipFile):
            return False
    return False


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    """Every line of every file, streamed; a compressed file that ends early is reported
    at the line where it broke off, after the lines before it."""
    root = media_root(path)
    book = AccountBook(options)
    for file in _files(path):
        number = 0
        try:
            with _open(file) as stream:
                for number, raw in enumerate(stream, start=1):
                    if raw.strip():
                        yield from _read_line(file, number, raw, root, book)
        except (EOFError, lzma.LZMAError, gzip.BadGzipFile, zlib.error) as exc:
            yield RecordError(str(file), number + 1, "(file)", f"truncated or corrupt: {exc}")


def _read_line(
    file: Path, number: int, raw: bytes, root: Path, book: AccountBook
) -> Iterator[Item]:
    name = str(file)
    try:
        obj = orjson.loads(raw.strip())
    except orjson.JSONDecodeError as exc:
        yield RecordError(name, number, "(line)", json_problem(raw, exc))
        return
    if not isinstance(obj, dict):
        yield RecordError(name, number, "(line)", "not a JSON object")
        return
    if isinstance(obj.get("data"), dict):
        envelope, item = obj, obj["data"]
    elif isinstance(obj.get("__import_meta"), dict):
        envelope, item = obj["__import_meta"], obj
    else:
        yield RecordError(name, number, "data", "no `data` object (nor 4CAT's `__import_meta`)")
        return
    source = str(envelope.get("source_platform") or "")
    mapper = _mapper(source)
    if mapper is None:
        reason = f"platform {source!r} is not read (instagram, tiktok, x)"
        yield RecordError(name, number, "source_platform", reason)
        return
    try:
        post, account = mapper(item, book)
    except FieldError as exc:
        yield RecordError(name, number, exc.field, exc.reason)
        return
    extra = {**provenance(NAME, file, number, root), **post.extra}
    if envelope.get("timestamp_collected") is not None:
        # The collection time is a courtesy: a bad one does not spoil the post.
        with contextlib.suppress(FieldError):
            extra["collected_at"] = iso_utc(from_epoch(envelope["timestamp_collected"], "-"))
    if isinstance(envelope.get("source_url"), str):
        extra["collected_from"] = envelope["source_url"]
    post = Post(post.post_id, post.account_id, post.published_at, post.text, (), post.url, extra)
    yield from emit(number, post, account)


def _mapper(source: str) -> Mapper | None:
    host = source.lower()
    if "instagram" in host:
        return _instagram
    if "tiktok" in host:
        return _tiktok
    if "twitter" in host or host in {"x.com", "x"}:
        return _x
    return None


def _instagram(data: dict[str, Any], book: AccountBook) -> tuple[Post, Account | None]:
    code = data.get("code") or data.get("shortcode")
    post_id = instagram_post_id(data.get("pk") or data.get("id"), code)
    when = data.get("taken_at", data.get("taken_at_timestamp"))
    if when is None:
        raise FieldError("data.taken_at", "missing")
    published = any_time(when, "data.taken_at")
    caption = data.get("caption")
    if caption is None and isinstance(data.get("edge_media_to_caption"), dict):
        edges = data["edge_media_to_caption"].get("edges") or [{}]
        caption = edges[0].get("node") if isinstance(edges[0], dict) else None
    user = data.get("user") or data.get("owner") or {}
    if not isinstance(user, dict):
        user = {}
    account_id, account = book.resolve(
        "instagram", str(user.get("username") or ""), str(user.get("full_name") or "")
    )
    post = Post(post_id, account_id, published, text_of(caption), (), instagram_url(code))
    return post, account


def _tiktok(data: dict[str, Any], book: AccountBook) -> tuple[Post, Account | None]:
    post_id = platform_id("tiktok", data.get("id"), "data.id")
    if data.get("createTime") is None:
        raise FieldError("data.createTime", "missing")
    published = any_time(data["createTime"], "data.createTime")
    author = data.get("author")
    if isinstance(author, dict):
        handle, name = str(author.get("uniqueId") or ""), str(author.get("nickname") or "")
    else:
        handle, name = str(author or ""), ""
    account_id, account = book.resolve("tiktok", handle, name)
    url = f"https://www.tiktok.com/@{handle}/video/{post_id.split(':', 1)[1]}"
    text = data.get("desc") if isinstance(data.get("desc"), str) else ""
    return Post(post_id, account_id, published, str(text), (), url), account


def _x(data: dict[str, Any], book: AccountBook) -> tuple[Post, Account | None]:
    if isinstance(data.get("tweet"), dict):  # TweetWithVisibilityResults wraps the tweet
        data = data["tweet"]
    legacy = data.get("legacy")
    if not isinstance(legacy, dict):
        raise FieldError("data.legacy", "missing")
    post_id = platform_id("x", data.get("rest_id") or legacy.get("id_str"), "data.rest_id")
    if legacy.get("created_at") is None:
        raise FieldError("data.legacy.created_at", "missing")
    published = any_time(legacy["created_at"], "data.legacy.created_at")
    user = _dig(data, "core", "user_results", "result")
    handle = _dig(user, "legacy", "screen_name") or _dig(user, "core", "screen_name") or ""
    name = _dig(user, "legacy", "name") or _dig(user, "core", "name") or ""
    account_id, account = book.resolve("x", str(handle), str(name))
    long_text = _dig(data, "note_tweet", "note_tweet_results", "result", "text")
    text = long_text if isinstance(long_text, str) else str(legacy.get("full_text") or "")
    url = f"https://x.com/{handle}/status/{post_id.split(':', 1)[1]}"
    return Post(post_id, account_id, published, text, (), url), account


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
