"""CrowdTangle CSV downloads, Facebook and Instagram column sets; a file, or a folder
of them.

CrowdTangle wrote `Post Created` as a wall-clock time followed by the zone of the
dashboard (`2024-01-27 12:00:00 WIB`, `… BRT`, `… NZDT`), read with `tracer.adapters.zones`;
a time without one is read in `options.tz`, and so is one whose zone is unknown or
ambiguous when the user gives `--tz`. Without `Post Created`, the `Post Created Date` and
`Post Created Time` columns are read the same way. Column names are matched without
regard to case, spacing or a byte-order mark. Rows are read one at a time with the csv
module, so memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, urlsplit

from tracer.adapters import zones
from tracer.adapters.base import AdapterOptions, Item, media_root
from tracer.adapters.common import (
    AccountBook,
    FieldError,
    emit,
    from_local,
    instagram_post_id,
    platform_id,
    provenance,
    zone_of,
)
from tracer.errors import InputError, RecordError
from tracer.models import Account, Post

NAME = "crowdtangle"
LOCAL_LAYOUTS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
)
_CREATED = re.compile(
    r"(.+?\d(?:\s*[AaPp][Mm])?)"
    r"(?:\s*((?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?"
)
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def key(column: str) -> str:
    """A column name folded for matching: no BOM, case or repeated spaces."""
    return " ".join(column.replace("\ufeff", "").split()).casefold()


def _open(path: Path) -> IO[str]:
    """The file as text: UTF-16 or UTF-8 by its byte-order mark, else UTF-8 with bad
    bytes kept as surrogates so each row can be judged on its own."""
    raw = path.open("rb")
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return io.TextIOWrapper(raw, encoding="utf-16", newline="")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _header(path: Path) -> list[str] | None:
    try:
        with _open(path) as stream:
            return next(csv.reader(stream), None)
    except (UnicodeError, csv.Error):
        return None


def _is_export(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    header = {key(c) for c in _header(path) or []}
    timed = "post created" in header or "post created date" in header
    return timed and bool({"page name", "account", "user name", "url"} & header)


def _files(path: Path) -> list[Path]:
    """The export itself, or the CrowdTangle CSV files of a folder (not its subfolders)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if _is_export(p))
    return [path] if path.is_file() else []


def detect(path: Path) -> bool:
    return bool(_files(path)) if path.is_dir() else _is_export(path)


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    files = _files(path)
    if not files:
        raise InputError(
            f"{path}: no CrowdTangle .csv here (a header with `Post Created` and `URL`)"
        )
    book = AccountBook(options)
    for file in files:
        yield from _read_file(file, media_root(path), options, book)


def _read_file(
    path: Path, root: Path, options: AdapterOptions, book: AccountBook
) -> Iterator[Item]:
    name = str(path)
    with _open(path) as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return
        columns = {key(c): i for i, c in enumerate(header)}
        if "post created" not in columns and "post created date" not in columns:
            yield RecordError(
                name, 1, "(header)", "no `Post Created` column; is it a CrowdTangle export?"
            )
            return
        default = "facebook" if {"page name", "facebook id"} & columns.keys() else "instagram"
        start = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(name, start, "(row)", f"unreadable CSV: {exc}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            values = {k: row[i] if i < len(row) else "" for k, i in columns.items()}
            bad = next((k for k, v in values.items() if _NOT_UTF8.search(v)), None)
            if bad is not None:
                byte = ord(_NOT_UTF8.findall(values[bad])[0]) - 0xDC00
                reason = f"not UTF-8 text (byte 0x{byte:02X}); re-export the file as UTF-8"
                yield RecordError(name, line, header[columns[bad]].strip(), reason)
                continue
            try:
                post, account = _post(values, default, options, book, path, line, root)
            except FieldError as exc:
                yield RecordError(name, line, exc.field, exc.reason)
                continue
            yield from emit(line, post, account)


def _post(
    values: dict[str, str],
    default: str,
    options: AdapterOptions,
    book: AccountBook,
    path: Path,
    line: int,
    root: Path,
) -> tuple[Post, Account | None]:
    url = values.get("url", "").strip()
    if not url:
        raise FieldError("URL", "missing (the post's id is read from it)")
    host = urlsplit(url).netloc.lower()
    platform = "instagram" if "instagram" in host else "facebook" if "facebook" in host else default
    post_id = _post_id(platform, url)
    published, assumed, written = _created(values, options)
    handle = (
        values.get("user name", "").strip()
        or values.get("facebook id", "").strip()
        or _page_in_url(platform, url)
    )
    display = values.get("page name") or values.get("account") or values.get("name") or ""
    account_id, account = book.resolve(platform, handle, display)
    if platform == "instagram":
        text = values.get("description", "") or values.get("title", "")
    else:
        text = values.get("message", "")
    extra = provenance(NAME, path, line, root, assumed)
    if written:
        extra["zone_written"] = written
    for column, field in (("image text", "ocr_text"), ("link", "link"), ("type", "post_type")):
        if values.get(column, "").strip():
            extra[field] = values[column].strip()
    return Post(post_id, account_id, published, text, (), url, extra), account


def _post_id(platform: str, url: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if platform == "instagram":
        for marker in ("p", "reel", "tv"):
            if marker in segments[:-1]:
                return instagram_post_id(shortcode=segments[segments.index(marker) + 1])
        raise FieldError("URL", f"{url!r} is not an Instagram post URL")
    story = parse_qs(parts.query).get("story_fbid") or parse_qs(parts.query).get("fbid")
    if story:
        return platform_id("facebook", story[0], "URL")
    for segment in reversed(segments):
        if segment.isdigit() or segment.startswith("pfbid"):
            return platform_id("facebook", segment, "URL")
    raise FieldError("URL", f"{url!r} holds no Facebook post id")


_NOT_A_PAGE = frozenset({"permalink.php", "photo.php", "story.php", "watch", "groups", "p", "reel"})


def _page_in_url(platform: str, url: str) -> str:
    """The page a Facebook post URL names (`/diskominfo.banten/posts/…`,
    `/100064000000001/posts/…`, `permalink.php?…&id=100064000000001`), else empty."""
    if platform != "facebook":
        return ""
    parts = urlsplit(url)
    owner = parse_qs(parts.query).get("id")
    if owner and owner[0].strip():
        return owner[0].strip()
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].casefold() not in _NOT_A_PAGE:
        return segments[0]
    return ""


Created = tuple[datetime, tzinfo | None, str | None]
"""The time in UTC, the zone assumed for it (when the file named none that tracer could
use), and the zone the file wrote when `--tz` overrode it."""


def _created(values: dict[str, str], options: AdapterOptions) -> Created:
    field = "Post Created"
    raw = values.get("post created", "").strip()
    if not raw and values.get("post created date", "").strip():
        field = "Post Created Date"
        raw = f"{values['post created date'].strip()} {values.get('post created time', '').strip()}"
    if not raw.strip():
        raise FieldError("Post Created", "missing (nor `Post Created Date`)")
    match = _CREATED.fullmatch(raw.strip())
    if match is None:
        raise FieldError(field, f"{raw!r} is not a time in a known layout")
    clock, zone_text = match.groups()
    if zone_text is None:
        zone = zone_of(options)
        return from_local(clock, zone, field, LOCAL_LAYOUTS), zone, None
    year = re.search(r"\d{4}", clock)
    try:
        zone_value = zones.numeric(zone_text) or zones.lookup(
            zone_text, int(year.group()) if year else 2020
        )
        problem = f"unknown zone {zone_text!r} in {raw!r}"
    except zones.Ambiguous as exc:
        zone_value, problem = None, f"ambiguous zone in {raw!r}: {exc}"
    if zone_value is not None:
        return from_local(clock, zone_value, field, LOCAL_LAYOUTS), None, None
    if options.tz is None:
        raise FieldError(field, f"{problem}; pass --tz with the dashboard's zone")
    return from_local(clock, options.tz, field, LOCAL_LAYOUTS), options.tz, zone_text
