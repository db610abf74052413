"""Read and write the canonical corpus (DESIGN.md, "the input contract").

Readers take file objects and yield either a valid value or a `RecordError` naming
file, line, field and reason, so one bad line never hides the good lines beside it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson

from tracer.errors import CorpusError, RecordError
from tracer.models import TIERS, Account, Post, Tier, iso_utc
from tracer.normalize import parse_instant

ACCOUNT_FIELDS = ("account_id", "platform", "handle", "name", "tier", "region", "parent_id")
POST_FIELDS = ("post_id", "account_id", "published_at", "text", "media", "url")
ACCOUNTS_FILE = "accounts.csv"
POSTS_FILE = "posts.jsonl"


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A valid post line, with where it came from and a digest of its content."""

    line: int
    post: Post
    digest: str

    def __reduce__(self) -> tuple[type[PostRecord], tuple[int, Post, str]]:
        return (PostRecord, (self.line, self.post, self.digest))  # as `Post.__reduce__`


def content_digest(post: Post) -> str:
    """SHA-256 over what a post says, so a changed re-delivery is a conflict.

    Extra fields (like counts, scraper metadata) are left out: they change between
    exports of the same post without changing its content."""
    body = {
        "account_id": post.account_id,
        "published_at": iso_utc(post.published_at),
        "text": post.text,
        "media": list(post.media),
        "url": post.url,
    }
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """A valid accounts.csv row and its line."""

    line: int
    account: Account


def read_accounts(
    stream: IO[str], name: str = ACCOUNTS_FILE
) -> Iterator[AccountRecord | RecordError]:
    reader = csv.DictReader(_without_bom(stream))
    missing = [f for f in ACCOUNT_FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise CorpusError(f"{name}: header lacks {', '.join(missing)}")
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        values = {k: (row.get(k) or "").strip() for k in ACCOUNT_FIELDS}
        if not values["account_id"]:
            yield RecordError(name, line, "account_id", "empty")
            continue
        if values["account_id"] in seen:
            yield RecordError(name, line, "account_id", f"duplicate {values['account_id']!r}")
            continue
        tier = values["tier"].lower()
        if tier not in TIERS:
            yield RecordError(name, line, "tier", f"{values['tier']!r} is not one of {TIERS}")
            continue
        seen.add(values["account_id"])
        account = Account(
            account_id=values["account_id"],
            platform=values["platform"],
            handle=values["handle"],
            name=values["name"],
            tier=_as_tier(tier),
            region=values["region"],
            parent_id=values["parent_id"] or None,
        )
        yield AccountRecord(line, account)


def _without_bom(stream: IO[str]) -> Iterator[str]:
    """Lines of a CSV file, minus the byte-order mark spreadsheet programs write."""
    for number, line in enumerate(stream):
        yield line.removeprefix("\ufeff") if number == 0 else line


def _as_tier(value: str) -> Tier:
    for tier in TIERS:
        if tier == value:
            return tier
    raise ValueError(value)


def _confined_media(value: Any, root: Path | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of relative paths")
    paths: list[str] = []
    for item in value:
        relative = Path(item)
        if relative.is_absolute() or not item.strip():
            raise ValueError(f"{_shown(item)} is not a relative path")
        if root is not None:
            try:
                resolved = (root / relative).resolve()
                inside, exists = resolved.is_relative_to(root.resolve()), resolved.is_file()
            except OSError as exc:  # a name too long for the file system, say
                raise ValueError(f"{_shown(item)} cannot be opened: {exc.strerror}") from None
            if not inside:
                raise ValueError(f"{_shown(item)} leaves the corpus folder")
            if not exists:
                raise ValueError(f"{_shown(item)} does not exist")
        elif ".." in relative.parts:
            raise ValueError(f"{_shown(item)} leaves the corpus folder")
        paths.append(relative.as_posix())
    return tuple(paths)


def _shown(item: str, limit: int = 80) -> str:
    """A path as a report shows it: a 10 kB name would drown the line it is reported on."""
    return repr(item if len(item) <= limit else item[:limit] + "…")


def parse_post(
    obj: Any,
    *,
    name: str,
    line: int,
    accounts: set[str] | None,
    root: Path | None,
    assume: tzinfo | None,
) -> Post:
    """Validate one decoded line; raises `RecordError` for the first bad field."""

    def bad(field: str, reason: str) -> RecordError:
        return RecordError(name, line, field, reason)

    if not isinstance(obj, dict):
        raise bad("(line)", "not a JSON object")
    post_id = _post_id(obj.get("post_id"))
    if post_id is None:
        raise bad("post_id", "missing, or not a non-empty string or an integer")
    account_id = obj.get("account_id")
    if not isinstance(account_id, str) or not account_id:
        raise bad("account_id", "missing or not a string")
    if accounts is not None and account_id not in accounts:
        raise bad("account_id", f"{account_id!r} is not in accounts.csv")
    published = obj.get("published_at")
    if not isinstance(published, str):
        raise bad("published_at", "missing or not a string")
    try:
        moment = parse_instant(published, assume)
    except ValueError as exc:
        raise bad("published_at", str(exc)) from None
    text = obj.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise bad("text", "not a string")
    try:
        media = _confined_media([] if obj.get("media") is None else obj["media"], root)
    except ValueError as exc:
        raise bad("media", str(exc)) from None
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise bad("url", "not a string or null")
    extra = {k: v for k, v in obj.items() if k not in POST_FIELDS}
    return Post(post_id, account_id, moment, text, media, url or None, extra)


def _post_id(value: object) -> str | None:
    """A line's post id as stored (platform ids are strings; numeric JSON is tolerated),
    or None when it has none."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def read_posts(
    stream: IO[bytes],
    *,
    name: str = POSTS_FILE,
    accounts: set[str] | None = None,
    root: Path | None = None,
    assume: tzinfo | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Stream `posts.jsonl`: one value per non-blank line, in file order."""
    for number, raw in read_lines(stream):
        yield parse_line(number, raw, name=name, accounts=accounts, root=root, assume=assume)


def read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers: the cheap part of reading, which the
    ingest does in its own process while workers parse."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw


@dataclass(frozen=True, slots=True)
class LineOrder:
    """Where a posts file's non-blank lines are, in the order they are linked."""

    lines: int
    """Non-blank lines in the file."""
    order: np.ndarray | None
    """(line number, offset, length) of each, a row each, earliest post first; None when
    the file is in that order already."""


def time_order(stream: IO[bytes], assume: tzinfo | None = None) -> LineOrder:
    """The order in which a posts file's lines are linked: by publication time, then post
    id, as the store orders posts. An export written account by account or release by
    release is read this way so that each post is linked once, as it comes, rather than
    stored and all linked again at the end (`tracer.relinking.relink`: a second pass
    over every post). Each line's time and id are read alone, without the rest of the
    validation; a line they cannot be read from keeps its place before the others (its
    error is reported as it would be), and any ordering this gets wrong is caught by the
    ingest, which then relinks as before. A file that repeats a post id is left in file
    order: which copy is stored first ("kept the stored one") is the file's."""
    keyed: list[tuple[int, str, int, int, int]] = []
    seen: set[str] = set()
    repeated = False
    offset = 0
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            time, post_id = _time_key(raw, assume)
            keyed.append((time, post_id, number, offset, len(raw)))
            if post_id:
                repeated = repeated or post_id in seen
                seen.add(post_id)
        offset += len(raw)
    if repeated or all(a <= b for a, b in pairwise(keyed)):
        return LineOrder(len(keyed), None)
    keyed.sort()
    order = np.array([k[2:] for k in keyed], dtype=np.int64).reshape(-1, 3)
    return LineOrder(len(keyed), order)


_UNREADABLE_TIME = -(1 << 62)


def _time_key(raw: bytes, assume: tzinfo | None) -> tuple[int, str]:
    """A line's (timestamp, post id) as the store orders posts; lines whose time or id
    cannot be read sort first, in file order (their own number breaks the tie)."""
    try:
        obj = orjson.loads(raw)
        post_id = _post_id(obj.get("post_id"))
        if post_id is None:
            return _UNREADABLE_TIME, ""
        return int(parse_instant(obj["published_at"], assume).timestamp()), post_id
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
        return _UNREADABLE_TIME, ""


@dataclass(frozen=True, slots=True)
class LinePlaces:
    """Lines of a posts file at `order`'s places (`LineOrder.order`), in that order,
    with their numbers, as `read_lines` gives them. Picklable: a preparing worker reads
    its own batch's lines."""

    path: str
    order: np.ndarray

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        with open(self.path, "rb") as stream:
            for start in range(0, len(self.order), 10_000):  # as lists, a slice at a time
                for number, at, size in self.order[start : start + 10_000].tolist():
                    stream.seek(at)
                    yield number, stream.read(size)

    def __len__(self) -> int:
        return len(self.order)

    def parts(self, size: int) -> Iterator[LinePlaces]:
        """The places `size` lines at a time."""
        for start in range(0, len(self.order), size):
            yield LinePlaces(self.path, self.order[start : start + size])


def parse_line(
    number: int,
    raw: bytes,
    *,
    name: str = POSTS_FILE,
    accounts: set[str] | None = None,
    root: Path | None = None,
    assume: tzinfo | None = None,
) -> PostRecord | RecordError:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return RecordError(name, number, "(line)", f"invalid JSON: {exc}")
    if isinstance(obj, dict) and isinstance(obj.get("post_id"), float):
        try:  # orjson reads an integer past 64 bits as a float: its digits are lost
            obj = json.loads(raw)
        except ValueError:  # over the interpreter's 4,300-digit limit
            return RecordError(name, number, "post_id", "an integer too long to read")
    try:
        post = parse_post(obj, name=name, line=number, accounts=accounts, root=root, assume=assume)
    except RecordError as err:
        return err
    return PostRecord(number, post, content_digest(post))


def open_corpus(folder: Path) -> tuple[Path, Path]:
    """The two files of a corpus folder, or a `CorpusError` saying what is missing."""
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder")
    accounts, posts = folder / ACCOUNTS_FILE, folder / POSTS_FILE
    for path in (accounts, posts):
        if not path.is_file():
            raise CorpusError(f"{path}: missing")
    return accounts, posts


def write_corpus(folder: Path, accounts: Iterable[Account], posts: Iterable[Post]) -> None:
    """Write a canonical corpus (media files are the caller's business)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ACCOUNTS_FILE).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(ACCOUNT_FIELDS)
        for a in accounts:
            writer.writerow(
                [a.account_id, a.platform, a.handle, a.name, a.tier, a.region, a.parent_id or ""]
            )
    with (folder / POSTS_FILE).open("wb") as out:
        for p in posts:
            out.write(orjson.dumps(post_to_json(p)) + b"\n")


def post_to_json(post: Post) -> dict[str, Any]:
    return {
        "post_id": post.post_id,
        "account_id": post.account_id,
        "published_at": iso_utc(post.published_at),
        "text": post.text,
        "media": list(post.media),
        "url": post.url,
        **post.extra,
    }
