"""CrowdTangle CSV downloads, Facebook and Instagram column sets.

CrowdTangle wrote `Post Created` as a wall-clock time followed by the zone of the
dashboard (`2024-01-27 12:00:00 WIB`, `… EST`, `… UTC`); a time without one is read in
`options.tz`. Column names are matched without regard to case, spacing or a byte-order
mark. Rows are read one at a time with the csv module, so memory stays flat.
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

from tracer.adapters.base import AdapterOptions, Item, media_root
from tracer.adapters.common import (
    ZONE_ABBREVIATIONS,
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
from tracer.normalize import resolve_zone

NAME = "crowdtangle"
LOCAL_LAYOUTS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")
_CREATED = re.compile(r"(.+?\d)(?:\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?")
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


def detect(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    header = {key(c) for c in _header(path) or []}
    return "post created" in header and bool({"page name", "account", "user name"} & header)


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    if not path.is_file():
        raise InputError(f"{path}: a CrowdTangle export is a .csv file")
    root = media_root(path)
    book = AccountBook(options)
    name = str(path)
    with _open(path) as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return
        columns = {key(c): i for i, c in enumerate(header)}
        if "post created" not in columns and "post created date" not in columns:
            raise InputError(f"{path}: no `Post Created` column; is it a CrowdTangle export?")
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
    published, assumed = _created(values, options)
    handle = values.get("user name", "").strip() or values.get("facebook id", "").strip()
    display = values.get("page name") or values.get("account") or values.get("name") or ""
    account_id, account = book.resolve(platform, handle, display)
    if platform == "instagram":
        text = values.get("description", "") or values.get("title", "")
    else:
        text = values.get("message", "")
    extra = provenance(NAME, path, line, root, assumed)
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


def _created(values: dict[str, str], options: AdapterOptions) -> tuple[datetime, tzinfo | None]:
    raw = values.get("post created", "").strip()
    if not raw and values.get("post created date"):
        raw = f"{values['post created date'].strip()} {values.get('post created time', '').strip()}"
    if not raw.strip():
        raise FieldError("Post Created", "missing")
    match = _CREATED.fullmatch(raw.strip())
    if match is None:
        raise FieldError("Post Created", f"{raw!r} is not a time in a known layout")
    clock, zone_text = match.groups()
    if zone_text is None:
        zone = zone_of(options)
        return from_local(clock, zone, "Post Created", LOCAL_LAYOUTS), zone
    zone_value = ZONE_ABBREVIATIONS.get(zone_text.upper())
    if zone_value is None and re.fullmatch(r"[+-]\d{2}:?\d{2}", zone_text):
        zone_value = resolve_zone(zone_text)
    if zone_value is None:
        raise FieldError("Post Created", f"unknown zone {zone_text!r} in {raw!r}")
    return from_local(clock, zone_value, "Post Created", LOCAL_LAYOUTS), None
