"""WhatsApp chat export: the `.txt` file, alone or in the `.zip` WhatsApp makes with
media, or the folder that zip unzips to.

Each message with its attachments becomes a post of the group's account (tier
`central` unless told otherwise: the ministry's distribution group is where releases
are published). Times are wall-clock without a zone: they are read in `options.tz`
(default Asia/Jakarta, WIB) and the zone is recorded in each post's `tz` field. The
day/month order is read off the file when a field decides it (a first field above 12),
else it is `day_first` when given, else day-first for an Indonesian export or a
`p. m.` clock (Spanish and other day-first locales), else month-first when the phone
wrote a US `AM`/`PM` and day-first when it wrote 24-hour times.

The file is read twice, line by line (flat memory): a survey of its dates, then the
messages. System lines, deleted messages and messages left with no text, picture or
video are yielded as `Skipped` (and counted in `skipped`), not reported as errors; a
line that looks like a header but holds no real date is a `RecordError` with its
line number. Attachments inside a zip are extracted on demand to a folder named after
the zip beside it, so that media paths stay relative to `media_root(path)`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any
from zoneinfo import ZoneInfo

from tracer.adapters import _whatsapp_parse as wa
from tracer.adapters.base import AdapterOptions, Item, Skipped
from tracer.adapters.common import provenance
from tracer.corpus import PostRecord, content_digest
from tracer.errors import CorpusError, RecordError
from tracer.models import Account, Post

NAME = "whatsapp"
DEFAULT_TZ = "Asia/Jakarta"
_SLUG = re.compile(r"[^a-z0-9]+")
REASONS = {
    "system": "a WhatsApp notice, not a message",
    "deleted": "a deleted message",
    "empty": "a message with no text, picture or video",
    "missing": "a message with no text whose picture or video is not in the export",
}


def chat_file(path: Path) -> Path:
    """The chat itself: `path`, or the chat `.txt` of an unzipped export's folder
    (`_chat.txt`, or one named like `WhatsApp Chat with X.txt`)."""
    if not path.is_dir():
        return path
    texts = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    named = [p for p in texts if p.name == "_chat.txt" or wa.chat_name(p.stem)]
    if len(named) == 1:
        return named[0]
    if not named and len(texts) == 1:
        return texts[0]
    found = ", ".join(p.name for p in named or texts) or "none"
    raise CorpusError(f"{path}: a WhatsApp export folder holds one chat .txt (found: {found})")


def detect(path: Path) -> bool:
    """A `.txt` (or a `.zip` holding one, or a folder holding one) whose first header
    line is WhatsApp's."""
    if path.is_dir():
        try:
            path = chat_file(path)
        except CorpusError:
            return False
    if path.suffix.lower() not in (".txt", ".zip") or not path.is_file():
        return False
    try:
        with _chat_lines(path) as (_name, lines, _media):
            for number, line in enumerate(lines, start=1):
                if wa.parse_header(wa.strip_marks(line)) is not None:
                    return True
                if number >= 5:
                    return False
    except (OSError, CorpusError):
        return False
    return False


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-") or "chat"


def group_name(path: Path) -> str:
    """The group's name from the export's file name (the zip's when there is one; the
    folder's for an unzipped iOS `_chat.txt`)."""
    named = path.parent if path.name == "_chat.txt" else path
    return wa.chat_name(named.stem) or named.stem


@dataclass(frozen=True, slots=True)
class _Media:
    """Where a chat's attachments are and how to make one available under the root."""

    prefix: str
    fetch: Callable[[str], bool]
    """Make the named attachment exist under `prefix`; False when it is not there."""


def _zip_media(path: Path, archive: zipfile.ZipFile, folder: str) -> _Media:
    members = {PurePosixPath(n).name: n for n in archive.namelist() if not n.endswith("/")}
    target = path.parent / path.stem

    def fetch(name: str) -> bool:
        member = members.get(name)
        if member is None:
            return False
        out = target / name
        if not out.is_file():
            target.mkdir(exist_ok=True)
            partial = target / f".{name}.part"  # renamed when whole: no half file is reused
            with archive.open(member) as src, partial.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            partial.replace(out)
        return True

    return _Media(folder, fetch)


@contextmanager
def _chat_lines(path: Path) -> Iterator[tuple[str, Iterator[str], _Media]]:
    """The chat's name for errors, its decoded lines, and its attachments."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"{path}: not a zip file ({exc})") from None
        with archive:
            texts = [
                n
                for n in archive.namelist()
                if n.lower().endswith(".txt") and not n.startswith("__MACOSX/")
            ]
            chosen = [n for n in texts if n == "_chat.txt" or wa.chat_name(Path(n).stem)]
            picked = (chosen or texts)[:1]
            if not picked:
                raise CorpusError(f"{path}: the zip holds no chat .txt file")
            with archive.open(picked[0]) as stream:
                yield (
                    f"{path}/{picked[0]}",
                    _decoded(stream),
                    _zip_media(path, archive, path.stem),
                )
        return
    root = path.parent
    with path.open("rb") as stream:
        yield str(path), _decoded(stream), _Media("", lambda n: (root / n).is_file())


def _decoded(stream: IO[bytes]) -> Iterator[str]:
    """Lines without their ending; bytes that are not UTF-8 become U+FFFD, so one bad
    byte costs a character, not the message."""
    for number, raw in enumerate(stream):
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        yield line.removeprefix("\ufeff") if number == 0 else line


@dataclass(slots=True)
class _Pending:
    line: int
    when: datetime
    sender: str
    lines: list[str] = field(default_factory=list)


def read(
    path: Path,
    options: AdapterOptions,
    *,
    day_first: bool | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[Item]:
    """Yield the group's account, then one post per message, in file order.

    `skipped` (when given) counts what is left out on purpose: `system` lines and
    `deleted` messages (each with its continuation lines), and `after_error`: the
    continuation lines of a header already reported as a `RecordError`."""
    skipped = skipped if skipped is not None else Counter()
    zone = options.tz or ZoneInfo(DEFAULT_TZ)
    root = path if path.is_dir() else path.parent
    path = chat_file(path)
    group = group_name(path)
    account_id = options.account or f"whatsapp:{slug(group)}"
    with _chat_lines(path) as (_name, lines, _media):
        traits = wa.survey(lines)
    yield Account(
        account_id=account_id,
        platform="whatsapp",
        handle=group,
        name=group,
        tier=options.tier or "central",
        region=options.region or "",
        parent_id=None,
    )
    if day_first is None:
        day_first = options.day_first
    order, decided_by = _date_order(traits, day_first)
    base = account_id if account_id.startswith("whatsapp:") else f"whatsapp:{account_id}"
    counters: Counter[tuple[str, str]] = Counter()
    context = {"tz": str(zone), "date_order": order, "date_order_from": decided_by}
    where = provenance(NAME, path, 0, root)
    with _chat_lines(path) as (name, lines, media):

        def finish(pending: _Pending) -> Item:
            done = _post(pending, base, account_id, media, name, counters, context)
            if isinstance(done, PostRecord):
                if not done.post.text and not done.post.media:
                    why = "missing" if "media_missing" in done.post.extra else "empty"
                    skipped[why] += 1
                    return Skipped(name, pending.line, REASONS[why])
                done.post.extra.update(where)
                done.post.extra["source_record"] = pending.line
            return done

        pending: _Pending | None = None
        orphans: str | None = None  # what the continuation lines of a skipped line count as
        for number, raw in enumerate(lines, start=1):
            line = wa.strip_marks(raw)
            header = wa.parse_header(line)
            if header is None:
                if pending is not None:
                    pending.lines.append(line)
                elif orphans is not None:
                    skipped[orphans] += 1
                elif line.strip():
                    yield RecordError(name, number, "(line)", "text before the first message")
                continue
            if pending is not None:
                yield finish(pending)
                pending = None
            orphans = None
            try:
                when = wa.local_datetime(header, order)
            except ValueError as exc:
                yield RecordError(name, number, "date", f"{line[:40]!r}: {exc}")
                orphans = "after_error"
                continue
            opening = wa.classify(header.rest, marked=": \u200e" in raw)
            if opening.kind != "message":
                skipped[opening.kind] += 1
                yield Skipped(name, number, REASONS[opening.kind])
                orphans = opening.kind  # a notice's own continuation lines are not a message
                continue
            pending = _Pending(number, when.replace(tzinfo=zone), opening.sender, [opening.text])
        if pending is not None:
            yield finish(pending)


def _date_order(traits: wa.FileTraits, day_first: bool | None) -> tuple[wa.DateOrder, str]:
    """The order and what decided it: the `file`, the `option`, the `locale`, the `clock`."""
    if traits.order is not None:
        return traits.order, "file"
    if day_first is not None:
        return ("dmy" if day_first else "mdy"), "option"
    if traits.indonesian or (traits.dotted_clock and not traits.twelve_hour):
        return "dmy", "locale"
    return ("mdy" if traits.twelve_hour else "dmy"), "clock"


def _post(
    pending: _Pending,
    base: str,
    account_id: str,
    media: _Media,
    name: str,
    counters: Counter[tuple[str, str]],
    context: dict[str, Any],
) -> PostRecord | RecordError:
    body = wa.split_body(pending.lines)
    stamp = pending.when.strftime("%Y%m%dT%H%M%S")
    sender_key = hashlib.sha256(pending.sender.encode()).hexdigest()[:8]
    counters[(stamp, sender_key)] += 1
    post_id = f"{base}:{stamp}:{sender_key}:{counters[(stamp, sender_key)]}"
    extra: dict[str, Any] = {"sender": pending.sender, **context}
    paths: list[str] = []
    for attachment in body.attachments:
        relative = PurePosixPath(attachment)
        if relative.is_absolute() or ".." in relative.parts or len(relative.parts) != 1:
            return RecordError(
                name, pending.line, "attachment", f"{attachment!r} is not a file name"
            )
        if relative.suffix.lower() not in wa.MEDIA_SUFFIXES:
            extra.setdefault("files", []).append(attachment)
        elif media.fetch(attachment):
            paths.append(f"{media.prefix}/{attachment}" if media.prefix else attachment)
        else:
            extra.setdefault("media_missing", []).append(attachment)
    if body.omitted:
        extra["media_omitted"] = True
    if body.edited:
        extra["edited"] = True
    published = pending.when.astimezone(UTC)
    post = Post(post_id, account_id, published, body.text, tuple(paths), None, extra)
    return PostRecord(pending.line, post, content_digest(post))
