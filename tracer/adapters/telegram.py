"""Telegram Desktop exports: one chat ("Export chat history", JSON) or the whole account
("Export Telegram data": `chats.list` and `left_chats.list`, each a chat like the first).

A chat is an object: its `name`, `type` and `id`, then `messages`. An export can run to
gigabytes, so it is parsed as a stream of events (ijson) and each message is built,
converted and dropped in turn: memory stays flat. Times come from `date_unixtime`
(epoch seconds); the `date` beside it is local time without an offset and is never
used. A message's record number is its 1-based position among the file's messages, in
file order (every chat counted); a malformed message is a `RecordError` naming it and
its id; a syntax error ends the file, keeping what came before. Personal and bot chats
of an account export are not read: tracer follows channels and groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import ijson

from tracer.adapters.base import AdapterOptions, Item, Skipped, media_root
from tracer.adapters.common import provenance
from tracer.corpus import PostRecord, content_digest
from tracer.errors import CorpusError, RecordError
from tracer.models import Account, Post, iso_utc

NAME = "telegram"
MEDIA_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".mp4", ".mov", ".webm"})
NOT_MEDIA_TYPES = frozenset({"sticker", "voice_message", "audio_file"})
PRIVATE_CHATS = frozenset({"personal_chat", "bot_chat"})
EMPTY = "a message with no text, picture or video"
PRIVATE = "a personal chat (not read: it is not a channel or group)"
_HEADER_KEYS = ("name", "type", "id", "username")
_CHAT_LISTS = ("chats.list.item", "left_chats.list.item")


def detect(path: Path) -> bool:
    """A `.json` object that opens with a chat's keys and its `messages`, or with the
    account export's `about` and `personal_information`."""
    file = _export_file(path)
    if file.suffix.lower() != ".json" or not file.is_file():
        return False
    with file.open("rb") as stream:
        head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    one_chat = b'"messages"' in head and b'"id"' in head
    return one_chat or (b'"about"' in head and b'"personal_information"' in head)


def _export_file(path: Path) -> Path:
    return path / "result.json" if path.is_dir() else path


def read_header(stream: IO[bytes]) -> dict[str, Any]:
    """The first chat's top-level scalars (`name`, `type`, `id`, `username`)."""
    for event in _events(stream):
        if event[0] == "chat":
            return dict(event[1])
    return {}


_CHATS = frozenset({"", *_CHAT_LISTS})
_MESSAGES = frozenset({"messages.item", *(f"{c}.messages.item" for c in _CHAT_LISTS)})
_HEADERS = {
    (f"{c}.{k}" if c else k): k for c in ("", *_CHAT_LISTS) for k in _HEADER_KEYS
}  # fmt: skip


def _events(stream: IO[bytes]) -> Iterator[Any]:
    """`("chat", header)` as each chat's `messages` begin (Telegram writes a chat's
    name, type and id first), then `("message", position, value)` for each message.
    Most events fall inside a message: that branch is tested first, by set look-ups."""
    builder: Any = None
    index = 0
    header: dict[str, Any] = {}
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix in _MESSAGES and (event == "end_map" or event == "end_array"):
                yield "message", index, builder.value
                builder = None
        elif prefix in _MESSAGES:
            index += 1
            if event == "start_map" or event == "start_array":
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            else:
                yield "message", index, value
        elif prefix in _HEADERS and (event == "string" or event == "number"):
            header[_HEADERS[prefix]] = value
        elif event == "map_key" and value == "messages" and prefix in _CHATS:
            yield "chat", header
            header = {}


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    """Yield each chat's account, then its messages as posts (service messages, empty
    messages and private chats skipped with their reason)."""
    file = _export_file(path)
    name = str(file)
    if not file.is_file():
        raise CorpusError(f"{file}: no such file")
    root = media_root(path)
    where = provenance(NAME, file, 0, root)
    seen: set[str] = set()
    chat: _Chat | None = None
    index = 0
    with file.open("rb") as stream:
        try:
            for event in _events(stream):
                if event[0] == "chat":
                    chat = _Chat.of(event[1], options)
                    if chat.account is None:
                        chat.reported = True
                        yield RecordError(name, index + 1, "id", "the chat has no id")
                    elif not chat.private and chat.account.account_id not in seen:
                        seen.add(chat.account.account_id)
                        yield chat.account
                    continue
                _, index, message = event
                if chat is None or chat.account is None:
                    continue  # reported once, with the chat
                if chat.private:
                    if not chat.reported:
                        chat.reported = True
                        yield Skipped(name, index, PRIVATE)
                    continue
                yield _item(message, chat, root, where, name, index)
        except ijson.JSONError as exc:
            yield RecordError(
                name, index + 1, "(file)", f"invalid JSON after message {index}: {_first(exc)}"
            )


class _Chat:
    """One chat of the export: its account (None without an id) and how it is read."""

    def __init__(self, header: dict[str, Any], account: Account | None) -> None:
        self.header = header
        self.account = account
        self.private = header.get("type") in PRIVATE_CHATS
        self.reported = False
        self.username = _username(header, None)

    @classmethod
    def of(cls, header: dict[str, Any], options: AdapterOptions) -> _Chat:
        chat_id = header.get("id")
        if not isinstance(chat_id, int | str) or chat_id == "":
            return cls(header, None)
        username = _username(header, options)
        account = Account(
            account_id=options.account.removeprefix("@")
            if options.account
            else f"telegram:{chat_id}",
            platform="telegram",
            handle=username or str(chat_id),
            name=str(header.get("name") or chat_id),
            tier=options.tier or "other",
            region=options.region or "",
            parent_id=None,
        )
        chat = cls(header, account)
        chat.username = username
        return chat


def _item(
    message: Any, chat: _Chat, root: Path, where: dict[str, Any], name: str, index: int
) -> Item:
    if not isinstance(message, dict):
        return RecordError(name, index, "(message)", "not a JSON object")
    if message.get("type") == "service":
        return Skipped(name, index, f"a service message ({message.get('action', 'no action')})")
    assert chat.account is not None
    try:
        post = message_post(
            message, chat.header["id"], chat.account, chat.username, root, name, index
        )
    except RecordError as exc:
        return exc
    if not post.text.strip() and not post.media:
        return Skipped(name, index, EMPTY)
    post.extra.update(where)
    post.extra["source_record"] = index
    if isinstance(chat.header.get("type"), str):
        post.extra["chat_type"] = chat.header["type"]
    return PostRecord(index, post, content_digest(post))


def _first(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _username(header: dict[str, Any], options: AdapterOptions | None) -> str | None:
    """The channel's public username: `--account @name`, or a `username` in the export."""
    if options and options.account and options.account.startswith("@"):
        return options.account[1:]
    value = header.get("username")
    return value.removeprefix("@") if isinstance(value, str) and value else None


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
