"""`tracer accounts import`: a spreadsheet of office handles → accounts with tiers and parents.

Analysts keep lists like "platform, handle, office" in spreadsheets with their own
column names and their own spelling of office names. Each row is matched to an office
of the registry (by Kemendagri code, or by name through `Registry.match`), which gives
the account's tier (province or regency) and region; a regency's parent is its
province's account on the same platform, from the same file or already in the store.
A row that cannot be matched is a `RecordError` (file, line, field, reason) and the
other rows are imported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import IO, Any

from tracer.errors import CorpusError, RecordError
from tracer.models import TIERS, Account, Tier
from tracer.offices.registry import Office, Registry, builtin_registry
from tracer.store import Store

# Canonical column → the header spellings accepted for it (after folding).
COLUMNS: dict[str, tuple[str, ...]] = {
    "account_id": ("account_id", "id", "account", "akun_id"),
    "platform": ("platform", "network", "site", "medsos", "media_sosial", "channel"),
    "handle": ("handle", "username", "user_name", "screen_name", "akun", "user"),
    "name": ("name", "display_name", "account_name", "nama", "nama_akun"),
    "office_code": (
        "office_code",
        "code",
        "kode",
        "kode_wilayah",
        "kode_kemendagri",
        "kemendagri",
        "region_code",
    ),
    "office": ("office", "office_name", "region", "wilayah", "daerah", "pemda", "instansi"),
    "tier": ("tier",),
    "parent_id": ("parent_id", "parent"),
}
PLATFORMS = {
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "twitter": "x",
    "tw": "x",
    "tt": "tiktok",
    "yt": "youtube",
    "wa": "whatsapp",
    "tg": "telegram",
}
_HEADER_NOISE = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class AccountsImportReport:
    """What an import did: rows inserted, rows already stored as they are, rows whose
    account differs from the stored one (conflicts, not overwritten), bad rows."""

    inserted: int = 0
    unchanged: int = 0
    conflicts: list[RecordError] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "inserted": self.inserted,
            "unchanged": self.unchanged,
            "conflicts": [str(c) for c in self.conflicts],
            "errors": [str(e) for e in self.errors],
        }


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    account: Account
    office: Office | None
    parent_given: bool


def _fold_header(name: str) -> str:
    return _HEADER_NOISE.sub("_", name.removeprefix("\ufeff").strip().lower()).strip("_")


def column_map(header: Iterable[str]) -> dict[str, str]:
    """Canonical column → the file's own header, for the columns the file has."""
    folded = {_fold_header(h): h for h in header}
    found: dict[str, str] = {}
    for column, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in folded:
                found[column] = folded[spelling]
                break
    return found


def _office(
    values: Mapping[str, str], registry: Registry, err: Callable[[str, str], RecordError]
) -> Office | None:
    code, name = values["office_code"], values["office"]
    if code:
        office = registry.by_code(code)
        if office is None:
            raise err(
                "office_code", f"{code!r} is not the Kemendagri code of a province, regency or city"
            )
        if name and office not in registry.match(name):
            raise err("office", f"{name!r} is not {office.name} ({office.code})")
        return office
    if not name:
        return None
    try:
        return registry.resolve(name)
    except LookupError as exc:
        if values["tier"].lower() in ("central", "other"):
            return None  # a national or private account: its region is free text
        raise err("office", str(exc)) from None


def _parse_row(line: int, values: Mapping[str, str], name: str, registry: Registry) -> _Row:
    def err(column: str, reason: str) -> RecordError:
        return RecordError(name, line, column, reason)

    platform = values["platform"].lower()
    platform = PLATFORMS.get(platform, platform)
    if not platform:
        raise err("platform", "empty")
    handle = values["handle"].removeprefix("@")
    account_id = values["account_id"] or (f"{platform}:{handle.lower()}" if handle else "")
    if not account_id:
        raise err("handle", "empty (give a handle or an account_id)")
    office = _office(values, registry, err)
    tier_given = values["tier"].lower()
    if tier_given and tier_given not in TIERS:
        raise err("tier", f"{values['tier']!r} is not one of {TIERS}")
    tier: Tier
    if tier_given in ("central", "other"):
        # A national or private account: an office, when named, is only its region.
        tier = "central" if tier_given == "central" else "other"
    elif office is not None:
        tier = office.tier
        if tier_given and tier_given != tier:
            raise err("tier", f"{tier_given!r}, but {office.name} is a {office.kind}: {tier}")
    else:
        raise err("office", "missing: give an office code or name (or tier central/other)")
    region = office.name if office else values["office"]
    placed = office if tier in ("province", "regency") else None  # parents follow offices
    return _Row(
        line,
        Account(
            account_id=account_id,
            platform=platform,
            handle=handle,
            name=values["name"] or (placed.name if placed else handle),
            tier=tier,
            region=region,
            parent_id=values["parent_id"] or None,
        ),
        placed,
        bool(values["parent_id"]),
    )


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


def plan_accounts(
    stream: IO[str],
    name: str,
    registry: Registry,
    known: Mapping[str, Account],
) -> tuple[list[tuple[int, Account]], list[RecordError]]:
    """The accounts a CSV file describes, with parents filled in, and its bad rows.

    Pure apart from reading `stream`; `known` are the accounts already stored, which
    may hold the province accounts a regency row's parent is taken from."""
    first = stream.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(_chain(first, stream), delimiter=delimiter)
    columns = column_map(reader.fieldnames or [])
    if "platform" not in columns or not {"handle", "account_id"} & columns.keys():
        raise CorpusError(
            f"{name}: the header needs a platform column and a handle or account_id column"
        )
    if not {"office_code", "office"} & columns.keys():
        raise CorpusError(f"{name}: the header needs an office code or office name column")
    rows: list[_Row] = []
    errors: list[RecordError] = []
    seen: set[str] = set()
    for raw in reader:
        line = reader.line_num
        values = {c: (raw.get(columns[c]) or "").strip() if c in columns else "" for c in COLUMNS}
        if not any(values.values()):
            continue
        try:
            row = _parse_row(line, values, name, registry)
        except RecordError as exc:
            errors.append(exc)
            continue
        if row.account.account_id in seen:
            errors.append(
                RecordError(name, line, "account_id", f"duplicate {row.account.account_id!r}")
            )
            continue
        seen.add(row.account.account_id)
        rows.append(row)
    parents = _province_accounts(rows, known, registry)
    planned: list[tuple[int, Account]] = []
    for row in rows:
        account = row.account
        if row.office is not None and row.office.kind != "province" and not row.parent_given:
            parent = parents.get((account.platform, row.office.province_code))
            if parent is not None:
                account = replace(account, parent_id=parent)
        planned.append((row.line, account))
    return planned, errors


def _province_accounts(
    rows: list[_Row], known: Mapping[str, Account], registry: Registry
) -> dict[tuple[str, str], str]:
    """(platform, province code) → the province's account id: the file's own rows first,
    then stored accounts whose region names the province; the first id in order wins."""
    found: dict[tuple[str, str], str] = {}
    for row in rows:
        if row.office is not None and row.office.kind == "province":
            found.setdefault((row.account.platform, row.office.code), row.account.account_id)
    for account_id in sorted(known):
        account = known[account_id]
        if account.tier != "province":
            continue
        offices = [o for o in registry.match(account.region) if o.kind == "province"]
        if len(offices) == 1:
            found.setdefault((account.platform, offices[0].code), account_id)
    return found


def import_accounts(
    store: Store, stream: IO[str], name: str, registry: Registry | None = None
) -> AccountsImportReport:
    """Read an accounts CSV and upsert its accounts; stored accounts are never changed."""
    registry = registry or builtin_registry()
    planned, errors = plan_accounts(stream, name, registry, store.accounts())
    report = AccountsImportReport(errors=errors)
    inserted, unchanged, conflicts = store.upsert_accounts([a for _, a in planned])
    report.inserted, report.unchanged = inserted, unchanged
    line_of = {a.account_id: line for line, a in planned}
    report.conflicts = [
        RecordError(name, line_of[a], "account_id", f"{a!r} differs from the stored account")
        for a in conflicts
    ]
    return report
