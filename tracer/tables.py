"""Tables for analysts: the JSON answers of the API and the CLI as CSV.

Pure: a `Table` names its columns (dotted paths into the JSON item) and which of them
are instants; `csv_lines` turns items into UTF-8 CSV text with one header row. Every
instant is written twice: `…_utc` (ISO 8601, `Z`) and `…_local` in the viewer's zone
with its label (WIB, WITA, WIT), so a table can be sorted and read as it is. Lists are
joined with "; ", objects written as JSON. A text cell that a spreadsheet would run as
a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from tracer.normalize import local_time, parse_instant

MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Table:
    """One kind of table: `columns` are dotted paths into an item (`release.post_id`)."""

    name: str
    columns: tuple[str, ...]
    times: frozenset[str] = frozenset()

    def header(self) -> list[str]:
        out: list[str] = []
        for column in self.columns:
            name = column.replace(".", "_")
            out.extend([f"{name}_utc", f"{name}_local"] if column in self.times else [name])
        return out


def _get(item: Mapping[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def cell(value: Any) -> str:
    """One value as CSV text: empty for null, lists joined, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _instant(value: Any, zone: str) -> list[str]:
    if not value:
        return ["", ""]
    moment = value if isinstance(value, datetime) else parse_instant(str(value))
    return [moment.strftime("%Y-%m-%dT%H:%M:%SZ"), local_time(moment, zone)]


def row(table: Table, item: Mapping[str, Any], zone: str) -> list[str]:
    out: list[str] = []
    for column in table.columns:
        value = _get(item, column)
        out.extend(_instant(value, zone) if column in table.times else [cell(value)])
    return out


def csv_lines(table: Table, items: Iterable[Mapping[str, Any]], zone: str) -> Iterator[str]:
    """The header line, then one line per item (each ends with CRLF, as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header())
    for item in items:
        writer.writerow(row(table, item, zone))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_text(table: Table, items: Iterable[Mapping[str, Any]], zone: str) -> str:
    return "".join(csv_lines(table, items, zone))


def file_name(*parts: str, ext: str = "csv") -> str:
    """A download's file name from its parts: `adoption-kominfo-wa-20240126.csv`; only
    letters, digits, `-`, `_` and `.` survive, so it is safe in a header."""
    safe = "-".join(
        "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in p).strip("-")
        for p in parts
        if p
    )
    return f"{safe[:120] or 'tracer'}.{ext}"


ADOPTION_ACCOUNTS = Table(
    "adoption",
    (
        "status", "account_id", "name", "platform", "tier", "province_code", "province",
        "office_code", "office", "region", "post_id", "published_at", "lag_seconds",
        "same_as", "release_post_id", "family_id",
    ),
    frozenset({"published_at"}),
)  # fmt: skip
ADOPTION_PROVINCES = Table(
    "adoption-provinces",
    (
        "code", "province", "adopted", "missing", "median_lag_seconds", "offices_total",
        "offices_adopted", "offices_missing", "offices_no_account", "adopted_offices",
        "missing_offices",
    ),
)  # fmt: skip
NODES = Table(
    "nodes",
    (
        "id", "account_id", "label", "tier", "region", "published_at", "timestamp",
        "copied_from", "reach", "url",
    ),
    frozenset({"published_at"}),
)  # fmt: skip
EDGES = Table("edges", ("source", "target", "lag_seconds", "modality", "reason", "scores"))
FAMILIES = Table(
    "families",
    (
        "family_id", "size", "accounts", "regions", "first_seen", "last_seen",
        "median_lag_seconds", "release.post_id", "release.account_id", "release.published_at",
        "origin.post_id", "origin.account_id", "origin.published_at",
    ),
    frozenset({"first_seen", "last_seen", "release.published_at", "origin.published_at"}),
)  # fmt: skip
POSTS = Table(
    "posts",
    ("post_id", "account_id", "tier", "region", "published_at", "family_id", "url", "media",
     "text"),
    frozenset({"published_at"}),
)  # fmt: skip
ACCOUNTS = Table(
    "accounts",
    (
        "account_id", "platform", "handle", "name", "tier", "region", "parent_id",
        "province_code", "province", "office_code", "office", "posts",
    ),
)  # fmt: skip


def adoption_rows(result: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The adoption answer as one row per account: adopters first, then missing ones."""
    common = {"release_post_id": result["release"]["post_id"], "family_id": result["family_id"]}
    for item in result["adopters"]:
        yield {**item, **common, "status": "adopted"}
    for item in result["missing"]:
        yield {**item, **common, "status": "missing"}
