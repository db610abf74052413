"""Instaloader downloads: one `.json.xz` (or `.json`) file per post, media beside it.

Instaloader saves each post's GraphQL node under `node` (with `instaloader.node_type`
saying Post, StoryItem or Profile) and names the media after the same stem:
`2024-01-27_12-00-00_UTC.json.xz` beside `2024-01-27_12-00-00_UTC.jpg`, or `…_1.jpg`,
`…_2.mp4` for the items of a sidecar. Times are epoch seconds, so UTC.
"""

from __future__ import annotations

import lzma
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tracer.adapters.base import AdapterOptions, Item, Skipped, media_root
from tracer.adapters.common import (
    AccountBook,
    FieldError,
    emit,
    from_epoch,
    instagram_post_id,
    instagram_url,
    json_problem,
    media_by_stem,
    provenance,
    text_of,
)
from tracer.errors import RecordError
from tracer.models import Account, Post

NAME = "instaloader"
SUFFIXES = (".json.xz", ".json")
POST_TYPES = frozenset({"Post", "StoryItem"})
DETECT_BYTES = 4096


def _stem(name: str) -> str | None:
    """The record stem of a file name, or None for files that are not post records."""
    lowered = name.lower()
    if lowered.endswith((".info.json", "_comments.json", "_comments.json.xz")):
        return None
    for suffix in SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return None


def _record_folders(path: Path) -> Iterator[tuple[Path, list[str]]]:
    """Folders holding record files, with those files' names, in a stable order."""
    if path.is_file():
        if _stem(path.name) is not None:
            yield path.parent, [path.name]
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        names = sorted(f for f in files if _stem(f) is not None)
        if names:
            yield Path(folder), names


def detect(path: Path) -> bool:
    """An `.json.xz` file, or a `.json` whose start carries Instaloader's envelope."""
    for folder, names in _record_folders(path):
        for name in names:
            if name.lower().endswith(".json.xz"):
                return True
            with (folder / name).open("rb") as stream:
                head = stream.read(DETECT_BYTES)
            return b'"node"' in head
    return False


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    root = media_root(path)
    book = AccountBook(options)
    for folder, names in _record_folders(path):
        media = media_by_stem(folder)
        for name in names:
            yield from _read_file(folder / name, root, media, book)


def _load(file: Path) -> bytes:
    if file.name.lower().endswith(".xz"):
        with lzma.open(file) as stream:
            return stream.read()
    return file.read_bytes()


def _read_file(
    file: Path, root: Path, media: dict[str, list[str]], book: AccountBook
) -> Iterator[Item]:
    name = str(file)
    try:
        raw = _load(file)
    except (lzma.LZMAError, EOFError) as exc:
        yield RecordError(name, 1, "(file)", f"truncated or corrupt xz file: {exc}")
        return
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        yield RecordError(name, 1, "(file)", json_problem(raw, exc))
        return
    if not isinstance(obj, dict) or not isinstance(obj.get("node"), dict):
        yield RecordError(name, 1, "node", "no `node` object (not an Instaloader post file)")
        return
    meta = obj.get("instaloader")
    node_type = meta.get("node_type") if isinstance(meta, dict) else None
    if node_type is not None and node_type not in POST_TYPES:
        yield Skipped(name, 1, f"not a post (Instaloader {node_type} file)")
        return
    stem = _stem(file.name) or file.stem
    found = media.get(stem, [])
    paths = tuple((file.parent / n).relative_to(root).as_posix() for n in found)
    try:
        post, account = _post(obj["node"], file, root, paths, book)
    except FieldError as exc:
        yield RecordError(name, 1, exc.field, exc.reason)
        return
    expected = _expected_media(obj["node"])
    if len(found) < expected:
        yield RecordError(
            name,
            1,
            "media",
            f"{len(found)} of {expected} media files beside it (named {stem}.* or "
            f"{stem}_N.*); post kept with those that exist",
        )
    yield from emit(1, post, account)


def _expected_media(node: dict[str, Any]) -> int:
    children = node.get("edge_sidecar_to_children")
    if isinstance(children, dict) and isinstance(children.get("edges"), list):
        return max(1, len(children["edges"]))
    carousel = node.get("carousel_media")
    if isinstance(carousel, list):
        return max(1, len(carousel))
    return 1


def _caption(node: dict[str, Any]) -> str:
    edges = node.get("edge_media_to_caption")
    if isinstance(edges, dict) and isinstance(edges.get("edges"), list) and edges["edges"]:
        first = edges["edges"][0]
        if isinstance(first, dict):
            return text_of(first.get("node"))
    return text_of(node.get("caption"))


def _post(
    node: dict[str, Any], file: Path, root: Path, media: tuple[str, ...], book: AccountBook
) -> tuple[Post, Account | None]:
    shortcode = node.get("shortcode") or node.get("code")
    post_id = instagram_post_id(node.get("id") or node.get("pk"), shortcode)
    when = next(
        (node[k] for k in ("taken_at_timestamp", "date", "taken_at") if node.get(k) is not None),
        None,
    )
    if when is None:
        raise FieldError("taken_at_timestamp", "missing (nor `date`)")
    published = from_epoch(when, "taken_at_timestamp")
    owner = node.get("owner") or node.get("user") or {}
    if not isinstance(owner, dict):
        owner = {}
    handle = owner.get("username")
    if not isinstance(handle, str) or not handle:
        # Instaloader names the folder after the profile it downloaded.
        handle = file.parent.name
    account_id, account = book.resolve("instagram", handle, str(owner.get("full_name") or ""))
    extra = provenance(NAME, file, 1, root)
    if isinstance(node.get("__typename"), str):
        extra["instagram_type"] = node["__typename"]
    if owner.get("id") is not None:
        extra["owner_id"] = str(owner["id"])
    post = Post(
        post_id, account_id, published, _caption(node), media, instagram_url(shortcode), extra
    )
    return post, account
