"""Telegram Desktop chat export (`result.json`, "Export chat history" as JSON).

The file is one object: the chat's `name`, `type` and `id`, then `messages`. It can
run to gigabytes, so it is parsed as a stream of events (ijson) and each message is
built, converted and dropped in turn: memory stays flat. Times come from
`date_unixtime` (epoch seconds); the `date` beside it is local time without an offset
and is never used. A malformed message is a `RecordError` naming its position in
`messages` (1-based) and its id; a syntax error ends the file, keeping what came before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import ijson

from tracer.adapters.base import AdapterOptions, Item, media_root
from tracer.corpus import PostRecord, content_digest
from tracer.errors import CorpusError, RecordError
from tracer.models import Account, Post, iso_utc

NAME = "telegram"
MEDIA_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".mp4", ".mov", ".webm"})
NOT_MEDIA_TYPES = frozenset({"sticker", "voice_message", "audio_file"})
_HEADER_KEYS = ("name", "type", "id", "username")


def detect(path: Path) -> bool:
    """A `.json` object that opens with a chat's keys and its `messages`."""
    file = _export_file(path)
    if file.suffix.lower() != ".json" or not file.is_file():
        return False
    with file.open("rb") as stream:
        head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"messages"' in head and b'"id"' in head


def _export_file(path: Path) -> Path:
    return path / "result.json" if path.is_dir() else path


def read_header(stream: IO[bytes]) -> dict[str, Any]:
    """The chat's top-level scalars (`name`, `type`, `id`, `username` when present);
    stops at `messages` once it has them, which in Telegram's own files come first."""
    header: dict[str, Any] = {}
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if prefix in _HEADER_KEYS and event in ("string", "number"):
            header[prefix] = value
        complete = all(k in header for k in ("name", "type", "id"))
        if complete and ("username" in header or (prefix, value) == ("", "messages")):
            break
    return header


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    """Yield the chat's account, then each message as a post (service messages skipped)."""
    file = _export_file(path)
    name = str(file)
    if not file.is_file():
        raise CorpusError(f"{file}: no such file")
    try:
        with file.open("rb") as stream:
            header = read_header(stream)
    except ijson.JSONError as exc:
        yield RecordError(name, 0, "(file)", f"invalid JSON: {_first_line(exc)}")
        return
    chat_id = header.get("id")
    if not isinstance(chat_id, int | str) or chat_id == "":
        yield RecordError(name, 0, "id", "the export has no chat id")
        return
    username = _username(header, options)
    account = Account(
        account_id=options.account.removeprefix("@") if options.account else f"telegram:{chat_id}",
        platform="telegram",
        handle=username or str(chat_id),
        name=str(header.get("name") or chat_id),
        tier=options.tier or "other",
        region=options.region or "",
        parent_id=None,
    )
    yield account
    root = media_root(path)
    index = 0
    with file.open("rb") as stream:
        try:
            for index, message in _messages(stream):
                if not isinstance(message, dict):
                    yield RecordError(name, index, "(message)", "not a JSON object")
                    continue
                if message.get("type") == "service":
                    continue
                try:
                    post = message_post(message, chat_id, account, username, root, name, index)
                except RecordError as exc:
                    yield exc
                    continue
                yield PostRecord(index, post, content_digest(post))
        except ijson.JSONError as exc:
            yield RecordError(
                name, index + 1, "(file)", f"invalid JSON after message {index}: {exc}"
            )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _username(header: dict[str, Any], options: AdapterOptions) -> str | None:
    """The channel's public username: `--account @name`, or a `username` in the export."""
    if options.account and options.account.startswith("@"):
        return options.account[1:]
    value = header.get("username")
    return value.removeprefix("@") if isinstance(value, str) and value else None


def _messages(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """(1-based position, decoded value) of each item of the top-level `messages` array."""
    builder: Any = None
    index = 0
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix == "messages.item" and event in ("end_map", "end_array"):
                yield index, builder.value
                builder = None
        elif prefix == "messages.item":
            index += 1
            if event in ("start_map", "start_array"):
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            else:
                yield index, value


def message_text(value: Any) -> str:
    """A message's text: a string, or a list of strings and `{type, text}` entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise ValueError(f"text part {part!r} is neither a string nor an entity")
        return "".join(parts)
    raise ValueError("neither a string nor a list of parts")


def _links(message: dict[str, Any]) -> list[str]:
    """Targets of `text_link` entities, whose visible text is not the URL."""
    entities = message.get("text_entities")
    if not isinstance(entities, list):
        text = message.get("text")
        entities = text if isinstance(text, list) else []
    return [
        e["href"]
        for e in entities
        if isinstance(e, dict) and e.get("type") == "text_link" and isinstance(e.get("href"), str)
    ]


def _epoch(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{value!r} is not epoch seconds")
    return datetime.fromtimestamp(int(value), UTC)


def message_post(
    message: dict[str, Any],
    chat_id: int | str,
    account: Account,
    username: str | None,
    root: Path,
    name: str,
    index: int,
) -> Post:
    """One message as a post; raises `RecordError` for the first bad field."""
    message_id = message.get("id")
    where = f"(message id {message_id})"

    def bad(field: str, reason: str) -> RecordError:
        return RecordError(name, index, field, f"{reason} {where}")

    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise bad("id", "missing or not an integer")
    if "date_unixtime" not in message:
        raise bad("date_unixtime", "missing (the offset-less `date` is not used)")
    try:
        published = _epoch(message["date_unixtime"])
    except (ValueError, OverflowError, OSError) as exc:
        raise bad("date_unixtime", str(exc)) from None
    raw_text = message.get("text", message.get("text_entities", ""))
    try:
        text = message_text(raw_text if raw_text is not None else "")
    except ValueError as exc:
        raise bad("text", str(exc)) from None
    media, extra = _media(message, root, bad)
    for key in ("from", "from_id", "author", "forwarded_from", "saved_from", "reply_to_message_id"):
        if message.get(key) is not None:
            extra[key] = message[key]
    if "edited_unixtime" in message:
        try:
            extra["edited_at"] = iso_utc(_epoch(message["edited_unixtime"]))
        except (ValueError, OverflowError, OSError) as exc:
            raise bad("edited_unixtime", str(exc)) from None
    links = _links(message)
    if links:
        extra["links"] = links
    url = f"https://t.me/{username}/{message_id}" if username else None
    return Post(
        f"telegram:{chat_id}:{message_id}", account.account_id, published, text, media, url, extra
    )


def _media(
    message: dict[str, Any], root: Path, bad: Callable[[str, str], RecordError]
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Photo and media files that exist beside the export; what is left out and why goes
    into the extra fields (`media_omitted` when the export did not include files)."""
    media: list[str] = []
    extra: dict[str, Any] = {}
    media_type = message.get("media_type")
    if isinstance(media_type, str):
        extra["media_type"] = media_type
    for key in ("photo", "file"):
        value = message.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise bad(key, "not a path")
        if value.startswith("(File"):
            extra["media_omitted"] = True  # "(File not included. Change data exporting settings…)"
            continue
        relative = Path(value)
        if relative.is_absolute() or ".." in relative.parts:
            raise bad(key, f"{value!r} leaves the export folder")
        if key == "file" and (
            relative.suffix.lower() not in MEDIA_SUFFIXES or media_type in NOT_MEDIA_TYPES
        ):
            extra.setdefault("files", []).append(relative.as_posix())
        elif not (root / relative).is_file():
            extra.setdefault("media_missing", []).append(relative.as_posix())
        else:
            media.append(relative.as_posix())
    return tuple(media), extra
