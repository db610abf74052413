"""Pure parsing of WhatsApp chat export lines: headers, system lines, attachments.

A message starts with a header line, in one of two layouts and in the phone's locale:

    Android  26/01/24 19.33 - Nama: pesan          1/26/24, 7:33 PM - Name: message
    iOS      [26/01/24 19.33.05] Nama: pesan       [1/26/24, 7:33:05 PM] Name: message

and goes on over the following lines that have no header. Exports carry invisible
direction marks (U+200E …) that are stripped first. Lines without a sender, and a
few fixed texts (deleted messages, iOS notices), are WhatsApp's own system lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DateOrder = Literal["dmy", "mdy", "ymd"]

DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_DATE = r"(?P<d1>\d{1,4})[./-](?P<d2>\d{1,2})[./-](?P<d3>\d{1,4})"
_TIME = r"(?P<h>\d{1,2})[.:](?P<mi>\d{2})(?:[.:](?P<s>\d{2}))?"
_AMPM = r"(?:\s?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
ANDROID = re.compile(rf"^{_DATE},?\s{_TIME}{_AMPM}\s-\s(?P<rest>.*)$")
IOS = re.compile(rf"^\[{_DATE},?\s{_TIME}{_AMPM}\]\s(?P<rest>.*)$")
_ATTACHED_LINE = re.compile(
    r"^(?P<file>\S.*?\.[A-Za-z0-9]{2,5})\s\((?:file terlampir|file attached)\)$", re.IGNORECASE
)
_ATTACHED_TAG = re.compile(
    r"<(?:terlampir|attached|lampiran):\s*(?P<file>[^<>]+?)\s*>", re.IGNORECASE
)
_OMITTED = re.compile(
    r"^(?:<media (?:tidak disertakan|omitted|dihilangkan)>|<multimedia omitido>|<mídia oculta>"
    r"|(?:image|video|audio|gif|sticker|document|contact card|gambar|stiker|dokumen|kartu kontak)"
    r" (?:omitted|tidak disertakan|dihilangkan))$",
    re.IGNORECASE,
)
_EDITED = re.compile(r"\s*<(?:pesan ini diedit|this message was edited)>$", re.IGNORECASE)
DELETED = frozenset(
    {
        "pesan ini telah dihapus",
        "pesan ini dihapus",
        "anda menghapus pesan ini",
        "this message was deleted",
        "you deleted this message",
        "se eliminó este mensaje",
        "eliminaste este mensaje",
        "mensagem apagada",
        "você apagou esta mensagem",
    }
)
# The encryption notice, which some phones write as a message of the chat itself
# ("Kominfo: Messages and calls are end-to-end encrypted. …"): its opening words and
# the encryption words after them, in the locales seen.
ENCRYPTION_NOTICE = re.compile(
    r"^(?:messages and calls|messages to this (?:group|chat)|messages you send|"
    r"pesan dan panggilan|pesan yang|los mensajes|as mensagens|mensagens e|"
    r"nachrichten und anrufe|les messages et (?:les )?appels)\b.{0,60}?"
    r"(?:end-to-end|extremo a extremo|ponta a ponta|ende-zu-ende|de bout en bout)",
    re.IGNORECASE,
)
# Phrases of WhatsApp's own notices; looked for where a notice can pass for a message:
# before a colon that would otherwise end a sender's name, and in iOS's marked lines.
SYSTEM_PHRASES = (
    "end-to-end",
    "dienkripsi",
    "terenkripsi",
    "encrypted",
    "menambahkan",
    " added ",
    "mengeluarkan",
    " removed ",
    "tautan undangan",
    "invite link",
    "membuat grup",
    "created group",
    "created this group",
    "mengubah subjek",
    "changed the subject",
    "mengubah ikon",
    "changed this group's icon",
    "mengubah deskripsi",
    "changed the group description",
    "changed their phone number",
    "mengganti nomor",
    "sekarang admin",
    "now an admin",
    "mengubah setelan",
    "changed this group's settings",
    "changed the settings",
    "pesan sementara",
    "disappearing messages",
    "kode keamanan",
    "security code",
)
MEDIA_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".mp4", ".mov", ".webm"})


def strip_marks(line: str) -> str:
    return line if line.isascii() else DIRECTION_MARKS.sub("", line)


@dataclass(frozen=True, slots=True)
class Header:
    """A message's first line, split; `fields` are the date's three numbers as written."""

    fields: tuple[int, int, int]
    hour: int
    minute: int
    second: int | None
    ampm: str | None
    rest: str
    layout: Literal["android", "ios"]
    dotted: bool = False
    """The 12-hour mark was written with dots (`p. m.`, `p.m.`): a Spanish or other
    day-first locale, not the US phone's `PM`."""


def parse_header(line: str) -> Header | None:
    """The header of a line that starts a message (marks already stripped), else None."""
    if not line[:1].isdigit() and not line.startswith("["):
        return None
    match = ANDROID.match(line) or IOS.match(line)
    if match is None:
        return None
    ampm = match.group("ampm")
    return Header(
        (int(match.group("d1")), int(match.group("d2")), int(match.group("d3"))),
        int(match.group("h")),
        int(match.group("mi")),
        int(match.group("s")) if match.group("s") else None,
        ampm.replace(".", "").replace(" ", "").lower() if ampm else None,
        match.group("rest"),
        "ios" if line.startswith("[") else "android",
        bool(ampm and "." in ampm),
    )


@dataclass(frozen=True, slots=True)
class FileTraits:
    """What a first pass over a file's headers says about its layout and locale."""

    order: DateOrder | None
    """Decided by a field that can only be a day (> 12) or a four-digit year; else None."""
    indonesian: bool
    twelve_hour: bool
    """AM/PM written as a US phone writes it (no dots)."""
    dotted_clock: bool = False
    """`a. m.`/`p. m.` (Spanish and other day-first locales)."""


def survey(lines: Iterable[str]) -> FileTraits:
    """Read every line once: which date order and which locale the export uses."""
    first_max = second_max = 0
    year_first = False
    indonesian = english = twelve_hour = dotted = False
    for raw in lines:
        line = strip_marks(raw)
        header = parse_header(line)
        if header is not None:
            a, b, _ = header.fields
            year_first = year_first or a > 31
            first_max, second_max = max(first_max, a), max(second_max, b)
            twelve_hour = twelve_hour or (header.ampm is not None and not header.dotted)
            dotted = dotted or header.dotted
        else:
            continue  # the locale's words are on header lines: notices, markers
        low = header.rest.lower()
        if (
            "terlampir" in low
            or "tidak disertakan" in low
            or "dihapus" in low
            or "dienkripsi" in low
        ):
            indonesian = True
        if "attached" in low or "omitted" in low or "was deleted" in low or "encrypted" in low:
            english = True
    order: DateOrder | None = None
    if year_first:
        order = "ymd"
    elif first_max > 12 >= second_max:
        order = "dmy"
    elif second_max > 12 >= first_max:
        order = "mdy"
    return FileTraits(order, indonesian and not english, twelve_hour, dotted)


def local_datetime(header: Header, order: DateOrder) -> datetime:
    """The header's wall-clock time (naive); `ValueError` when it is no real date."""
    a, b, c = header.fields
    if order == "ymd":
        year, month, day = a, b, c
    elif order == "dmy":
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    if year < 100:
        year += 2000
    hour = header.hour
    if header.ampm is not None:
        if not 0 <= hour <= 12:  # 0–11 clocks (`00:08 a. m.`) as well as 1–12 ones
            raise ValueError(f"hour {hour} with {header.ampm}")
        hour = hour % 12 + (12 if header.ampm.startswith("p") else 0)
    return datetime(year, month, day, hour, header.minute, header.second or 0)


Kind = Literal["message", "system", "deleted"]


@dataclass(frozen=True, slots=True)
class Opening:
    """A header line's content: who wrote it and the first line of the message."""

    kind: Kind
    sender: str
    text: str


def classify(rest: str, marked: bool) -> Opening:
    """Sender and first text line of a header's remainder, or a system/deleted line.

    `marked`: the raw line had a direction mark right after the sender's colon, which
    iOS puts before its own notices (and before attachments)."""
    sender, sep, text = rest.partition(": ")
    if not sep:
        if rest.endswith(":"):  # an empty message ("Nama:")
            return Opening("message", rest[:-1].strip(), "")
        return Opening("system", "", rest)
    low_sender = sender.lower()
    if any(p in low_sender for p in SYSTEM_PHRASES) or '"' in sender:
        return Opening("system", "", rest)
    if text.strip().rstrip(".").lower() in DELETED:
        return Opening("deleted", sender.strip(), "")
    if marked and any(p in text.lower() for p in SYSTEM_PHRASES):
        return Opening("system", sender.strip(), text)
    if ENCRYPTION_NOTICE.match(text.strip()):
        return Opening("system", sender.strip(), text)
    return Opening("message", sender.strip(), text)


@dataclass(frozen=True, slots=True)
class Body:
    """A message's lines, taken apart: text, attachments, omitted media, edit mark."""

    text: str
    attachments: tuple[str, ...]
    omitted: bool
    edited: bool


def split_body(lines: list[str]) -> Body:
    attachments: list[str] = []
    kept: list[str] = []
    omitted = edited = False
    for line in lines:
        stripped = line.strip()
        attached = _ATTACHED_LINE.match(stripped) if stripped.endswith(")") else None
        if attached:
            attachments.append(attached.group("file"))
            continue
        tags = _ATTACHED_TAG.findall(stripped) if "<" in stripped else None
        if tags:
            attachments.extend(t.strip() for t in tags)
            stripped = _ATTACHED_TAG.sub("", stripped).strip()
            if not stripped:
                continue
            line = stripped
        if len(stripped) < 40 and _OMITTED.match(stripped):
            omitted = True
            continue
        kept.append(line)
    text = "\n".join(kept).strip()
    if text.endswith(">") and _EDITED.search(text):
        edited = True
        text = _EDITED.sub("", text)
    return Body(text, tuple(attachments), omitted, edited)


_CHAT_NAME = re.compile(
    r"^(?:whatsapp chat (?:with|-)|chat whatsapp (?:dengan|-)|percakapan whatsapp dengan"
    r"|chat de whatsapp con|conversa do whatsapp com)"
    r"\s*(?P<name>.+)$",
    re.IGNORECASE,
)


def chat_name(stem: str) -> str | None:
    """The group's name in an export's file name ("WhatsApp Chat with X", "Chat WhatsApp
    dengan X", "WhatsApp Chat - X"), or None."""
    match = _CHAT_NAME.match(stem.strip())
    return match.group("name").strip() if match else None
