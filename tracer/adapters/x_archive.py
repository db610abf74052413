"""The X (Twitter) account archive: `data/tweets.js` with `data/tweets_media/`, as a zip
or unzipped.

Each `.js` file is one JavaScript assignment, `window.YTD.tweets.part0 = [ … ]`, of a
JSON array of `{"tweet": {…}}` items (the API's v1.1 tweet object as the account's own
archive keeps it; archives before 2020 name the file `tweet.js`). The array is streamed
(ijson) after the assignment, so a large archive is read in flat memory. Big archives
split into `tweets-part1.js`, …; deleted tweets come in `deleted-tweets.js` with their
`deleted_at`. A tweet's media are the files of `tweets_media/` named `<tweet id>-…`.
The account is `data/account.js` (`username`, `accountId`, `accountDisplayName`). A
post longer than 280 characters keeps only its start in `tweets.js`; its whole text is
in `note-tweet.js`, joined to it by creation time and that start (the note carries no
tweet id).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import ijson

from tracer.adapters._archive import Archive, is_archive
from tracer.adapters._archive import media_root as media_root  # the format's media root
from tracer.adapters.base import AdapterOptions, Item
from tracer.adapters.common import (
    MEDIA_SUFFIXES,
    AccountBook,
    FieldError,
    any_time,
    emit,
    from_rfc2822,
    platform_id,
    provenance,
)
from tracer.errors import CorpusError, RecordError
from tracer.models import Post

NAME = "x-archive"
_TWEETS = re.compile(r"(?:^|.*/)(?P<kind>deleted-tweets|tweets?)(?:-part(?P<part>\d+))?\.js$")
_MEDIA_DIRS = ("tweets_media", "tweet_media", "deleted_tweets_media")


def _tweet_files(names: list[str]) -> list[str]:
    """The tweet files at the archive's `data/` (or its root, for the `data` folder
    itself), in part order; deleted tweets after the others."""
    found = []
    for name in names:
        match = _TWEETS.fullmatch(name)
        if match and PurePosixPath(name).parent.as_posix() in ("data", "."):
            order = (match["kind"] == "deleted-tweets", int(match["part"] or 0), name)
            found.append((order, name))
    return [name for _, name in sorted(found)]


def detect(path: Path) -> bool:
    """A zip or a folder holding `data/tweets.js` (or `tweet.js`), or the `data` folder;
    a folder is judged by those names alone, without walking it."""
    if path.is_dir():
        data = path / "data" if (path / "data").is_dir() else path
        return any((data / f).is_file() for f in ("tweets.js", "tweet.js", "tweets-part1.js"))
    if not is_archive(path):
        return False
    try:
        with Archive(path) as archive:
            return bool(_tweet_files(archive.names))
    except CorpusError:
        return False


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    with Archive(path) as archive:
        files = _tweet_files(archive.names)
        if not files:
            raise CorpusError(f"{path}: no data/tweets.js here; is it an X archive?")
        base = PurePosixPath(files[0]).parent
        book = AccountBook(options)
        account = _account(archive, str(base / "account.js"))
        handle = account.get("username") or options.account or ""
        if not handle:
            yield RecordError(
                archive.where(str(base / "account.js")),
                1,
                "username",
                "no account.js with the account's username: pass --account",
            )
            return
        media = _media_index(archive, base)
        notes = _notes(archive, str(base / "note-tweet.js"))
        for file in files:
            yield from _read_file(archive, file, account, handle, (media, notes), book)


def _account(archive: Archive, name: str) -> dict[str, str]:
    """`account.js`'s fields; empty when it is absent or unreadable (then `--account`)."""
    name = name.removeprefix("./")
    if name not in archive.names:
        return {}
    with archive.open(name) as stream:
        try:
            for item in ijson.items(_after_assignment(stream), "item"):
                if isinstance(item, dict) and isinstance(item.get("account"), dict):
                    return {k: str(v) for k, v in item["account"].items() if v is not None}
        except (ijson.JSONError, ValueError):
            return {}
    return {}


Notes = dict[int, list[str]]
"""The whole texts of long posts, by their creation time in epoch seconds."""


def _notes(archive: Archive, name: str) -> Notes:
    name = name.removeprefix("./")
    notes: Notes = {}
    if name not in archive.names:
        return notes
    with archive.open(name) as stream:
        try:
            for item in ijson.items(_after_assignment(stream), "item"):
                note: Any = item.get("noteTweet") if isinstance(item, dict) else None
                core = note.get("core") if isinstance(note, dict) else None
                if not isinstance(core, dict) or not isinstance(core.get("text"), str):
                    continue
                try:
                    when = any_time(note.get("createdAt"), "createdAt")
                except FieldError:
                    continue
                notes.setdefault(int(when.timestamp()), []).append(html.unescape(core["text"]))
        except (ijson.JSONError, ValueError):
            return notes  # a broken note file costs the long texts, not the tweets
    return notes


def _whole_text(text: str, published: datetime, notes: Notes) -> str | None:
    """The long post's whole text when `text` is the start of a note of that second."""
    start = " ".join(re.sub(r"https://t\.co/\S+", "", text).rstrip("…. ").split())[:200]
    second = int(published.timestamp())
    candidates: list[str] = [t for s in (second, second - 1, second + 1) for t in notes.get(s, [])]
    return next((t for t in candidates if start and " ".join(t.split()).startswith(start)), None)


def _media_index(archive: Archive, base: PurePosixPath) -> dict[str, list[str]]:
    """Media member names by the tweet id that starts them (`<id>-<name>.jpg`)."""
    folders = {(base / d).as_posix().removeprefix("./") for d in _MEDIA_DIRS}
    index: dict[str, list[str]] = {}
    for name in archive.names:
        parent = PurePosixPath(name).parent.as_posix()
        if parent in folders and PurePosixPath(name).suffix.lower() in MEDIA_SUFFIXES:
            tweet_id = PurePosixPath(name).name.split("-", 1)[0]
            index.setdefault(tweet_id, []).append(name)
    return index


class _Rest:
    """A byte stream from just after the `=` of `window.YTD.x.part0 = [`."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        head = stream.read(512)
        cut = head.find(b"=")
        if cut < 0 or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"window.YTD."):
            raise ValueError("it does not start with `window.YTD.….part0 =`")
        self.pending = head[cut + 1 :]

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing first, to learn the stream gives bytes
            return b""
        if self.pending:
            out, self.pending = self.pending, b""
            return out
        return self.stream.read(size)


def _after_assignment(stream: IO[bytes]) -> Any:
    return _Rest(stream)


def _read_file(
    archive: Archive,
    file: str,
    account: dict[str, str],
    handle: str,
    beside: tuple[dict[str, list[str]], Notes],
    book: AccountBook,
) -> Iterator[Item]:
    where = archive.where(file)
    index = 0
    with archive.open(file) as stream:
        try:
            for index, item in enumerate(ijson.items(_after_assignment(stream), "item"), 1):
                tweet = item.get("tweet", item) if isinstance(item, dict) else None
                if not isinstance(tweet, dict):
                    yield RecordError(where, index, "(tweet)", "not a JSON object")
                    continue
                try:
                    post, new = _post(tweet, account, handle, beside, archive, book)
                except FieldError as exc:
                    yield RecordError(where, index, exc.field, exc.reason)
                    continue
                post.extra.update(
                    provenance(NAME, archive.path / file, index, media_root(archive.path))
                )
                yield from emit(index, post, new)
        except (ijson.JSONError, ValueError) as exc:  # a broken file, a missing assignment
            yield RecordError(where, index + 1, "(file)", f"unreadable after tweet {index}: {exc}")


def _post(
    tweet: dict[str, Any],
    account: dict[str, str],
    handle: str,
    beside: tuple[dict[str, list[str]], Notes],
    archive: Archive,
    book: AccountBook,
) -> tuple[Post, Any]:
    media, notes = beside
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    post_id = platform_id("x", tweet_id, "id_str")
    published = from_rfc2822(str(tweet.get("created_at") or ""), "created_at")
    account_id, new = book.resolve("x", handle, account.get("accountDisplayName", ""))
    text = _text(tweet)
    extra: dict[str, Any] = {}
    whole = _whole_text(text, published, notes) if notes else None
    if whole is not None:
        text, extra["long_post"] = whole, True
    paths = [m for m in (archive.media(n) for n in media.get(tweet_id, [])) if m]
    if account.get("accountId"):
        extra["author_id"] = account["accountId"]
    if text.startswith("RT @"):
        extra["retweet_of"] = text[4:].split(":", 1)[0]
    for key in ("in_reply_to_status_id_str", "in_reply_to_screen_name", "deleted_at", "lang"):
        if isinstance(tweet.get(key), str):
            extra[key.removesuffix("_str")] = tweet[key]
    promised = _media_entities(tweet)
    if len(paths) < len(promised):
        extra["media_missing"] = [str(m.get("media_url_https", "")) for m in promised][len(paths) :]
    url = f"https://x.com/{handle.lstrip('@')}/status/{tweet_id}"
    return Post(post_id, account_id, published, text, tuple(paths), url, extra), new


def _media_entities(tweet: dict[str, Any]) -> list[dict[str, Any]]:
    for holder in ("extended_entities", "entities"):
        value = tweet.get(holder)
        if isinstance(value, dict) and isinstance(value.get("media"), list):
            return [m for m in value["media"] if isinstance(m, dict)]
    return []


def _text(tweet: dict[str, Any]) -> str:
    """`full_text` with its t.co links written out (`expanded_url`), the media link
    (which only points back at the tweet's pictures) removed, and HTML entities
    (`&amp;`) decoded, as the tweet reads on X."""
    text = str(tweet.get("full_text") or tweet.get("text") or "")
    entities: Any = tweet.get("entities")
    for link in (entities.get("urls") if isinstance(entities, dict) else None) or []:
        if isinstance(link, dict) and link.get("url") and link.get("expanded_url"):
            text = text.replace(str(link["url"]), str(link["expanded_url"]))
    for item in _media_entities(tweet):
        if item.get("url"):
            text = text.replace(str(item["url"]), "")
    return html.unescape(text).strip()
