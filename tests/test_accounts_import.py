"""`tracer accounts import`: tolerant headers, office matching, tiers, parents, and bad
rows reported beside the good ones."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from tracer.accounts_import import column_map, import_accounts, plan_accounts
from tracer.errors import CorpusError, RecordError
from tracer.models import Account
from tracer.offices.registry import builtin_registry
from tracer.store import Store

from .processes import run_tracer

GOOD_AND_BAD = (
    "\ufeffPlatform,Username,Kode Wilayah,Wilayah,Nama\n"  # line 1
    "IG,@diskominfobanten,36,,Diskominfo Banten\n"  # 2: province by code
    "ig,diskominfoserangkab,,Kab. Serang,\n"  # 3: regency by name → parent from line 2
    "instagram,diskominfoserang,,Serang,\n"  # 4: ambiguous name
    "fb,diskominfotangsel,3674,,\n"  # 5: city by code, no facebook province account
    "fb,foo,99.99,,\n"  # 6: unknown code
    ",nobody,,KAB SERANG,\n"  # 7: no platform
    "x,kemkominfo,,,Kementerian Kominfo\n"  # 8: no office and no tier
    "instagram,diskominfoserangkab,,Kabupaten Serang,\n"  # 9: duplicate account
    "tiktok,diskominfokotaserang,36.73,Kabupaten Serang,\n"  # 10: code and name disagree
)


def plan(
    text: str, known: dict[str, Account] | None = None
) -> tuple[list[tuple[int, Account]], list[RecordError]]:
    return plan_accounts(io.StringIO(text), "offices.csv", builtin_registry(), known or {})


def test_good_rows_are_imported_beside_bad_rows() -> None:
    planned, errors = plan(GOOD_AND_BAD.removeprefix("\ufeff"))
    accounts = {a.account_id: (line, a) for line, a in planned}
    assert sorted(accounts) == [
        "facebook:diskominfotangsel",
        "instagram:diskominfobanten",
        "instagram:diskominfoserangkab",
    ]
    line, banten = accounts["instagram:diskominfobanten"]
    assert line == 2
    assert (banten.tier, banten.region, banten.name, banten.handle, banten.parent_id) == (
        "province",
        "Banten",
        "Diskominfo Banten",
        "diskominfobanten",
        None,
    )
    _, serang = accounts["instagram:diskominfoserangkab"]
    assert (serang.tier, serang.region, serang.parent_id) == (
        "regency",
        "Kabupaten Serang",
        "instagram:diskominfobanten",
    )
    _, tangsel = accounts["facebook:diskominfotangsel"]
    assert (tangsel.tier, tangsel.region, tangsel.parent_id) == (
        "regency",
        "Kota Tangerang Selatan",
        None,
    )
    assert [(e.file, e.line, e.field) for e in errors] == [
        ("offices.csv", 4, "office"),
        ("offices.csv", 6, "office_code"),
        ("offices.csv", 7, "platform"),
        ("offices.csv", 8, "office"),
        ("offices.csv", 9, "account_id"),
        ("offices.csv", 10, "office"),
    ]
    assert "ambiguous" in errors[0].reason and "Kota Serang (36.73)" in errors[0].reason
    assert str(errors[1]).startswith("offices.csv:6: office_code: '99.99'")


def test_parents_come_from_stored_province_accounts() -> None:
    stored = Account(
        "diskominfo_banten_fb",
        "facebook",
        "diskominfobanten",
        "Diskominfo Banten",
        "province",
        "Banten",
        None,
    )
    planned, errors = plan(
        "platform,handle,office\nfacebook,diskominfoserangkota,Kota Serang\n",
        {stored.account_id: stored},
    )
    assert errors == []
    assert planned[0][1].parent_id == "diskominfo_banten_fb"


def test_central_and_other_accounts_need_no_office() -> None:
    planned, errors = plan(
        "account_id;platform;handle;region;tier\n"
        "kemkominfo_ig;instagram;kemenkominfo;Nasional;central\n"
        "berita_ig;instagram;beritaku;;other\n"
        "bad_tier;instagram;x;Kab. Serang;province\n"
        "serang_news;instagram;serangnews;KAB SERANG;other\n"
    )
    assert [(a.account_id, a.tier, a.region, a.parent_id) for _, a in planned] == [
        ("kemkominfo_ig", "central", "Nasional", None),
        ("berita_ig", "other", "", None),
        ("serang_news", "other", "Kabupaten Serang", None),
    ]
    assert [(e.line, e.field) for e in errors] == [(4, "tier")]
    assert "Kabupaten Serang is a regency" in errors[0].reason


def test_headers_are_matched_tolerantly() -> None:
    columns = column_map(["\ufeffAccount ID", "Platform", "Screen-Name", "Kode Kemendagri"])
    assert columns == {
        "account_id": "\ufeffAccount ID",
        "platform": "Platform",
        "handle": "Screen-Name",
        "office_code": "Kode Kemendagri",
    }
    with pytest.raises(CorpusError, match="platform"):
        plan("handle,office\nx,Banten\n")
    with pytest.raises(CorpusError, match="office"):
        plan("platform,handle\nig,x\n")


def test_import_upserts_and_reports_conflicts(tmp_path: Path, store: Store) -> None:
    report = import_accounts(store, io.StringIO(GOOD_AND_BAD), "offices.csv")
    assert (report.inserted, report.unchanged, len(report.errors)) == (3, 0, 6)
    again = import_accounts(store, io.StringIO(GOOD_AND_BAD), "offices.csv")
    assert (again.inserted, again.unchanged, again.conflicts) == (0, 3, [])
    changed = "platform,handle,office,name\nig,diskominfobanten,Banten,Renamed\n"
    conflict = import_accounts(store, io.StringIO(changed), "changed.csv")
    assert [(c.line, c.field) for c in conflict.conflicts] == [(2, "account_id")]
    assert store.accounts()["instagram:diskominfobanten"].name == "Diskominfo Banten"


def test_the_cli_imports_and_prints_the_bad_rows(tmp_path: Path) -> None:
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text(GOOD_AND_BAD, encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = run_tracer("--db", db, "accounts", "import", str(csv_file), "--json")
    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert report["inserted"] == 3
    assert report["errors"][0].startswith(f"{csv_file}:4: office: 'Serang' is ambiguous")
    plain = run_tracer("--db", db, "accounts", "import", str(csv_file))
    assert plain.returncode == 0
    assert "unchanged 3" in plain.stdout and f"{csv_file}:6: office_code" in plain.stderr
    missing = run_tracer("--db", db, "accounts", "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
