"""Helpers the export-format adapters share: times, accounts, ids and media files.

Every adapter turns a platform's own notion of an author, an id and a time into the
canonical one the same way, so the same post read from two exports gets the same id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tracer.adapters.base import AdapterOptions
from tracer.corpus import PostRecord, content_digest
from tracer.models import Account, Post
from tracer.normalize import EARLIEST, LATEST

DEFAULT_ZONE = "Asia/Jakarta"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".webm", ".mkv", ".m4v"})
MEDIA_SUFFIXES = IMAGE_SUFFIXES | VIDEO_SUFFIXES
MILLISECONDS_FROM = 100_000_000_000
"""Epoch values at or above this are milliseconds (as seconds it would be year 5138)."""


class FieldError(ValueError):
    """A bad value in a named field of one record; the adapter turns it into a
    `RecordError` with the file and line it knows."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


def zone_of(options: AdapterOptions) -> tzinfo:
    return options.tz if options.tz is not None else ZoneInfo(DEFAULT_ZONE)


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


# --- times ---------------------------------------------------------------------------


def from_epoch(value: Any, field: str) -> datetime:
    """Epoch seconds or milliseconds (int, float or digits in a string) as UTC."""
    if isinstance(value, bool) or value is None:
        raise FieldError(field, "missing")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise FieldError(field, f"{value!r} is not an epoch time") from None
    if not isinstance(value, int | float):
        raise FieldError(field, f"{value!r} is not an epoch time")
    seconds = value / 1000 if abs(value) >= MILLISECONDS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise FieldError(field, f"{value!r} is out of range") from None


def in_utc(moment: datetime, value: Any, field: str) -> datetime:
    """An aware time in UTC, or a `FieldError` when it lies outside the instants tracer
    accepts (`normalize.EARLIEST` … `LATEST`): `0001-01-01 01:00 WIB` is valid, yet has
    no UTC year."""
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise FieldError(field, f"{value!r} is out of range") from None
    if not EARLIEST <= utc <= LATEST:
        raise FieldError(field, f"{value!r} is out of range")
    return utc


def from_rfc2822(value: str, field: str) -> datetime:
    """`Wed, 24 Jan 2024 12:00:00 +0000` and X's `Wed Jan 24 12:00:00 +0000 2024`."""
    text = value.strip()
    moved = re.fullmatch(r"(\w{3}) (\w{3}) (\d{1,2}) ([\d:]{8}) ([+-]\d{4}) (\d{4})", text)
    if moved:
        day, month, date, clock, offset, year = moved.groups()
        text = f"{day}, {date} {month} {year} {clock} {offset}"
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise FieldError(field, f"{value!r} is not an RFC 2822 time") from None
    if moment.tzinfo is None:
        raise FieldError(field, f"{value!r} has no UTC offset")
    return in_utc(moment, value, field)


def from_local(text: str, zone: tzinfo, field: str, formats: Iterable[str]) -> datetime:
    """A wall-clock time written without an offset, read in `zone`."""
    for fmt in formats:
        try:
            naive = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return in_utc(naive.replace(tzinfo=zone), text, field)
    raise FieldError(field, f"{text!r} is not a time in a known layout")


def any_time(value: Any, field: str) -> datetime:
    """An epoch number, an ISO 8601 string with an offset, or an RFC 2822 string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch(value, field)
    if not isinstance(value, str) or not value.strip():
        raise FieldError(field, "missing")
    text = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return from_epoch(text, field)
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise FieldError(field, f"{value!r} is not an ISO 8601 time") from None
        if moment.tzinfo is None:
            raise FieldError(field, f"{value!r} has no UTC offset")
        return in_utc(moment, value, field)
    return from_rfc2822(text, field)


# --- ids and accounts -------------------------------------------------------------------

_SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def instagram_post_id(media_id: Any = None, shortcode: Any = None) -> str:
    """`instagram:<numeric media id>`, whichever of id or shortcode an export carries:
    a public shortcode is the media id written in base 64, so both give the same id."""
    if isinstance(media_id, int | str) and not isinstance(media_id, bool):
        text = str(media_id).split("_", 1)[0].strip()
        if text.isdigit():
            return f"instagram:{text}"
    if isinstance(shortcode, str) and shortcode:
        if len(shortcode) <= 11 and all(c in _SHORTCODE_ALPHABET for c in shortcode):
            number = 0
            for char in shortcode:
                number = number * 64 + _SHORTCODE_ALPHABET.index(char)
            return f"instagram:{number}"
        return f"instagram:{shortcode}"
    raise FieldError("id", "no media id or shortcode")


def instagram_url(shortcode: Any) -> str | None:
    return f"https://www.instagram.com/p/{shortcode}/" if isinstance(shortcode, str) else None


def platform_id(platform: str, value: Any, field: str) -> str:
    """`platform:id`, ids always strings (JSON numbers lose digits past 2⁵³ elsewhere)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        raise FieldError(field, "missing")
    return f"{platform}:{str(value).strip()}"


class AccountBook:
    """One `Account` per author, handed out once, before the author's first post."""

    def __init__(self, options: AdapterOptions) -> None:
        self.options = options
        self.seen: set[str] = set()

    def account_id(self, platform: str, handle: str) -> str:
        if self.options.account:
            return self.options.account
        return f"{platform}:{handle.strip().lstrip('@').casefold()}"

    def resolve(self, platform: str, handle: str, name: str = "") -> tuple[str, Account | None]:
        """The author's account id, and its `Account` the first time it is seen; with
        `--account`, every post is that account's whatever the record says."""
        if not handle.strip() and self.options.account:
            handle = self.options.account
        if not handle.strip():
            raise FieldError("author", "no handle or author id (pass --account)")
        account_id = self.account_id(platform, handle)
        if account_id in self.seen:
            return account_id, None
        self.seen.add(account_id)
        account = Account(
            account_id=account_id,
            platform=platform,
            handle=handle.strip().lstrip("@"),
            name=name.strip(),
            tier=self.options.tier or "other",
            region=self.options.region or "",
            parent_id=None,
        )
        return account_id, account


def record(line: int, post: Post) -> PostRecord:
    return PostRecord(line, post, content_digest(post))


def emit(line: int, post: Post, account: Account | None) -> Iterator[Account | PostRecord]:
    """The account (when new) and then the post."""
    if account is not None:
        yield account
    yield record(line, post)


# --- media beside a record ----------------------------------------------------------------


def media_by_stem(folder: Path) -> dict[str, list[str]]:
    """Media file names of a folder, by the stem they share with a record: `X.jpg`,
    `X_1.jpg` and `X_2.mp4` all belong to `X` (Instaloader numbers sidecar items)."""
    found: dict[str, list[str]] = {}
    for entry in sorted(p.name for p in folder.iterdir() if p.is_file()):
        suffix = Path(entry).suffix.lower()
        if suffix not in MEDIA_SUFFIXES:
            continue
        stem = entry[: -len(suffix)]
        found.setdefault(stem, []).append(entry)
        numbered = re.fullmatch(r"(.+)_(\d+)", stem)
        if numbered:
            found.setdefault(numbered.group(1), []).append(entry)
    for names in found.values():
        names.sort(key=_sidecar_order)
    return found


def _sidecar_order(name: str) -> tuple[int, str]:
    stem = name.rsplit(".", 1)[0]
    numbered = re.fullmatch(r".+_(\d+)", stem)
    return (int(numbered.group(1)) if numbered else 0, name)


def text_of(value: Any) -> str:
    """A caption that may be a string, null, or an object holding `text`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return str(value["text"])
    return ""


def provenance(
    fmt: str, file: Path, line: int, root: Path, assumed: tzinfo | None = None
) -> dict[str, Any]:
    """Extra fields saying where a post was read from, and the zone assumed for its time
    when the format gave none."""
    where = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
    extra: dict[str, Any] = {"source_format": fmt, "source_file": where, "source_record": line}
    if assumed is not None:
        extra["assumed_tz"] = zone_name(assumed)
    return extra


def json_problem(raw: bytes, exc: ValueError) -> str:
    """Why a JSON record could not be read, naming a bad byte when it is not UTF-8
    (orjson's own message speaks of surrogates)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not UTF-8 (byte 0x{raw[bad.start]:02X} at offset {bad.start})"
    return f"invalid JSON: {exc}"
