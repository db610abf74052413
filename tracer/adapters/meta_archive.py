"""Meta's "Download your information" export of an Instagram or Facebook account, JSON
form, as a zip or unzipped: what an office can hand over to show what it posted, when.

Instagram keeps posts in `posts_1.json` (…`_2`, …), reels in `reels.json`, stories in
`stories.json`, IGTV in `igtv_videos.json` and archived posts in `archived_posts.json`,
under `your_instagram_activity/content/` (2023–24), `your_instagram_activity/media/`
(2024–) or `content/` (before); each post is `{"media": [{"uri", "creation_timestamp",
"title"}], "title", "creation_timestamp"}` (a one-picture post keeps its caption and
time on the picture), a story is the media item alone. Facebook keeps a profile's posts
in `your_posts…_1.json` (under `posts/`, `your_activity_across_facebook/posts/` or
`your_facebook_activity/posts/`): `{"timestamp", "data": [{"post": text}],
"attachments": [{"data": [{"media": {"uri", …}}, {"external_context": {"url"}}]}]}`.
Media `uri`s are relative to the export's root. The export carries no public post id:
a post's id is the account and its creation time. Meta writes every string's UTF-8
bytes as if each were a Latin-1 character (`Ã©` for `é`); `unmangle` undoes that.
Each file is streamed (ijson), one post at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import ijson

from tracer.adapters._archive import Archive, is_archive
from tracer.adapters._archive import media_root as media_root  # the format's media root
from tracer.adapters.base import AdapterOptions, Item, Skipped
from tracer.adapters.common import (
    MEDIA_SUFFIXES,
    AccountBook,
    FieldError,
    emit,
    from_epoch,
    provenance,
)
from tracer.errors import CorpusError, InputError, RecordError
from tracer.models import Post

NAME = "meta-archive"
_INSTAGRAM = re.compile(
    r"(?:^|/)(?P<kind>posts|reels|stories|igtv_videos|archived_posts)(?:_\d+)?\.json$"
)
_FACEBOOK = re.compile(r"(?:^|/)posts/(?P<kind>your_posts|profile_posts)[a-z_]*?(?:_\d+)?\.json$")
_HTML = re.compile(r"(?:^|/)(?:posts_\d+|your_posts[a-z_]*_\d+)\.html$")
_ARCHIVE_NAME = re.compile(r"^(instagram|facebook)-(.+?)-(?:\d{4}-?\d{2}-?\d{2})(?:-\w+)?$")
EMPTY = "a post with no caption, picture or video"
MISSING = "a post with no caption whose pictures and videos are not in the export"


def unmangle(text: str) -> str:
    """A string Meta wrote as Latin-1 code points of its UTF-8 bytes, decoded; any
    other string as it is."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _content_files(names: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """The network (`instagram` or `facebook`) and its content files with their kind,
    in file-name order; empty when the archive is not a Meta JSON export."""
    instagram = [
        (n, m["kind"]) for n in names if (m := _INSTAGRAM.search(n)) and _under_instagram_content(n)
    ]
    if instagram:
        return "instagram", sorted(instagram, key=lambda f: _numbered(f[0]))
    facebook = [(n, "posts") for n in names if _FACEBOOK.search(n)]
    return ("facebook", sorted(facebook, key=lambda f: _numbered(f[0]))) if facebook else ("", [])


def _under_instagram_content(name: str) -> bool:
    parent = PurePosixPath(name).parent.name
    return parent in ("content", "media") or PurePosixPath(name).parent.as_posix() == "."


def _numbered(name: str) -> tuple[str, int]:
    match = re.search(r"_(\d+)\.json$", name)
    return (re.sub(r"_\d+\.json$", "", name), int(match.group(1)) if match else 0)


def detect(path: Path) -> bool:
    """A folder or zip holding Meta's content files, or the HTML form of the export
    (detected so that reading it says what to ask Meta for instead)."""
    if not is_archive(path):
        return False
    tops = ("your_instagram_activity", "your_facebook_activity", "personal_information")
    if path.is_dir() and not any((path / t).is_dir() for t in (*tops, "content", "posts")):
        return False  # a folder is walked only when it looks like Meta's export
    try:
        with Archive(path) as archive:
            meta = any("personal_information" in n or "your_" in n for n in archive.names)
            html = meta and any(_HTML.search(n) for n in archive.names)
            return bool(_content_files(archive.names)[1]) or html
    except CorpusError:
        return False


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    with Archive(path) as archive:
        network, files = _content_files(archive.names)
        if not files:
            if any(_HTML.search(n) for n in archive.names):
                raise InputError(
                    f"{path}: this is the HTML form of Meta's export; download your "
                    "information again with Format: JSON"
                )
            raise InputError(f"{path}: no Instagram or Facebook posts file in this export")
        handle, display = _owner(archive, network)
        handle = handle or options.account or ""
        if not handle:
            yield RecordError(
                archive.where(files[0][0]),
                1,
                "account",
                "the export names no username (no personal_information file, and the "
                "archive's name is not `instagram-NAME-DATE…`): pass --account",
            )
            return
        book = AccountBook(options)
        same_second: Counter[str] = Counter()
        for file, kind in files:
            yield from _read_file(
                archive, file, kind, network, (handle, display), book, same_second
            )


def _owner(archive: Archive, network: str) -> tuple[str, str]:
    """The account's username and name, from its profile file or the archive's name."""
    for name in archive.names:
        base = PurePosixPath(name).name
        if base not in ("personal_information.json", "profile_information.json"):
            continue
        try:
            profile = ijson_load(archive, name)
        except ValueError:
            continue
        found = _profile_names(profile)
        if found[0]:
            return found
    match = _ARCHIVE_NAME.match(archive.path.name.removesuffix(".zip"))
    return (match.group(2), "") if match and match.group(1) == network else ("", "")


def _profile_names(profile: Any) -> tuple[str, str]:
    if not isinstance(profile, dict):
        return "", ""
    users = profile.get("profile_user")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        data = users[0].get("string_map_data") or {}

        def value(key: str) -> str:
            entry = data.get(key)
            return unmangle(str(entry.get("value") or "")) if isinstance(entry, dict) else ""

        return value("Username"), value("Name")
    v2 = profile.get("profile_v2")
    if isinstance(v2, dict):
        name: Any = v2.get("name")
        full = name.get("full_name") if isinstance(name, dict) else ""
        return unmangle(str(v2.get("username") or "")), unmangle(str(full or ""))
    return "", ""


def ijson_load(archive: Archive, name: str) -> Any:
    """A whole small JSON member (a profile file)."""
    with archive.open(name) as stream:
        return next(ijson.items(stream, ""), None)


def _items_prefix(archive: Archive, name: str) -> str:
    """Where a file's records are: the top-level array, or the first array under the
    top-level object (`ig_reels_media`, `ig_stories`, …)."""
    key = ""
    with archive.open(name) as stream:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "" and event == "start_array":
                return "item"
            if prefix == "" and event == "map_key":
                key = value
            elif event == "start_array" and prefix and "." not in prefix:
                return f"{key}.item"
    return "item"


def _read_file(
    archive: Archive,
    file: str,
    kind: str,
    network: str,
    owner: tuple[str, str],
    book: AccountBook,
    same_second: Counter[str],
) -> Iterator[Item]:
    where = archive.where(file)
    index = 0
    try:
        prefix = _items_prefix(archive, file)
        with archive.open(file) as stream:
            for index, record in enumerate(ijson.items(stream, prefix, use_float=True), 1):
                try:
                    post, account = _post(record, kind, network, owner, archive, book)
                except FieldError as exc:
                    yield RecordError(where, index, exc.field, exc.reason)
                    continue
                if not post.text and not post.media:
                    missing = "media_missing" in post.extra
                    yield Skipped(where, index, MISSING if missing else EMPTY)
                    continue
                same_second[post.post_id] += 1
                if same_second[post.post_id] > 1:
                    post = replace(post, post_id=f"{post.post_id}:{same_second[post.post_id]}")
                post.extra.update(
                    provenance(NAME, archive.path / file, index, media_root(archive.path))
                )
                yield from emit(index, post, account)
    except (ijson.JSONError, ValueError) as exc:
        yield RecordError(where, index + 1, "(file)", f"unreadable after record {index}: {exc}")


def _post(
    record: Any,
    kind: str,
    network: str,
    owner: tuple[str, str],
    archive: Archive,
    book: AccountBook,
) -> tuple[Post, Any]:
    if not isinstance(record, dict):
        raise FieldError("(record)", "not a JSON object")
    if network == "facebook":
        text, when, uris, extra = _facebook(record)
    else:
        text, when, uris, extra = _instagram(record)
    published = from_epoch(when, "creation_timestamp" if network == "instagram" else "timestamp")
    handle, display = owner
    account_id, account = book.resolve(network, handle, display)
    media: list[str] = []
    for uri in uris:
        if PurePosixPath(uri).suffix.lower() not in MEDIA_SUFFIXES or "://" in uri:
            continue
        found = archive.media(uri.lstrip("/"))
        if found is None:
            extra.setdefault("media_missing", []).append(uri)
        else:
            media.append(found)
    extra["archive_kind"] = kind
    post_id = f"{network}:{handle.casefold()}:{int(published.timestamp())}"
    return Post(post_id, account_id, published, text, tuple(media), None, extra), account


def _instagram(record: dict[str, Any]) -> tuple[str, Any, list[str], dict[str, Any]]:
    listed: Any = record.get("media")
    items = [m for m in (listed if isinstance(listed, list) else [record]) if isinstance(m, dict)]
    titles = [str(m.get("title") or "") for m in items]
    text = unmangle(str(record.get("title") or next((t for t in titles if t), ""))).strip()
    when = record.get("creation_timestamp")
    if when is None and items:
        when = items[0].get("creation_timestamp")
    extra: dict[str, Any] = {}
    sources = {
        str(m["cross_post_source"].get("source_app"))
        for m in items
        if isinstance(m.get("cross_post_source"), dict) and m["cross_post_source"].get("source_app")
    }
    if sources:
        extra["cross_post_source"] = sorted(sources)
    return text, when, [str(m.get("uri") or "") for m in items if m.get("uri")], extra


def _facebook(record: dict[str, Any]) -> tuple[str, Any, list[str], dict[str, Any]]:
    texts = [
        str(d["post"]) for d in record.get("data") or [] if isinstance(d, dict) and d.get("post")
    ]
    uris: list[str] = []
    links: list[str] = []
    captions: list[str] = []
    for attachment in record.get("attachments") or []:
        for data in attachment.get("data") or [] if isinstance(attachment, dict) else []:
            media = data.get("media") if isinstance(data, dict) else None
            if isinstance(media, dict) and media.get("uri"):
                uris.append(str(media["uri"]))
                if media.get("description"):
                    captions.append(str(media["description"]))
            context = data.get("external_context") if isinstance(data, dict) else None
            if isinstance(context, dict) and context.get("url"):
                links.append(str(context["url"]))
    text = unmangle("\n\n".join(texts) if texts else next(iter(captions), "")).strip()
    extra: dict[str, Any] = {}
    if links:
        extra["links"] = links
    if record.get("title"):
        extra["title"] = unmangle(str(record["title"]))
    return text, record.get("timestamp"), uris, extra
