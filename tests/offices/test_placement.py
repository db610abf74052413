"""Accounts → registry offices and provinces, one account per (platform, handle), and
what an ingest of an export says about accounts it matched, placed or left tier-less."""

from __future__ import annotations

from pathlib import Path

from tracer import convert
from tracer.models import Account
from tracer.offices.placement import (
    AccountMatcher,
    Offices,
    account_key,
    duplicate_accounts,
    normalize_handle,
)
from tracer.store import Store

from ..adapters_support import FIXTURES


def acc(
    account_id: str, tier: str, region: str = "", parent: str | None = None, **kw: str
) -> Account:
    return Account(
        account_id,
        kw.get("platform", "instagram"),
        kw.get("handle", account_id),
        kw.get("name", account_id),
        tier,  # type: ignore[arg-type]
        region,
        parent,
    )


def test_handles_fold_to_one_key() -> None:
    spellings = [
        "@DiskominfoBanten",
        "diskominfobanten ",
        "https://www.instagram.com/diskominfobanten/",
    ]
    assert {normalize_handle(h) for h in spellings} == {"diskominfobanten"}
    a = acc("a", "province", handle="@DiskominfoBanten")
    b = acc("instagram:diskominfobanten", "other", handle="diskominfobanten")
    c = acc("c", "province", handle="diskominfobanten", platform="facebook")
    assert account_key(a) == account_key(b) != account_key(c)
    assert [[x.account_id for x in g] for g in duplicate_accounts([a, b, c])] == [
        ["a", "instagram:diskominfobanten"]
    ]


def test_placement_by_region_code_name_handle_and_parent() -> None:
    accounts = {
        a.account_id: a
        for a in [
            acc("banten", "province", "36"),
            acc("kab", "regency", "Kab. Serang"),
            acc("kota", "regency", "", name="Diskominfo Kota Serang"),
            acc("by_handle", "regency", "", handle="diskominfokablebak"),
            acc("bare", "regency", "Serang"),  # the regency or the city: both in Banten
            acc("child", "regency", "Somewhere Unknown", parent="banten"),
            acc("news", "other", "Banten"),
        ]
    }
    offices = Offices(accounts)
    placed = {k: offices.place(k) for k in accounts}
    assert placed["banten"].office.name == "Banten"  # type: ignore[union-attr]
    assert placed["kab"].office.name == "Kabupaten Serang"  # type: ignore[union-attr]
    assert (placed["kota"].office.name, placed["kota"].how) == ("Kota Serang", "name")  # type: ignore[union-attr]
    assert placed["by_handle"].office.name == "Kabupaten Lebak"  # type: ignore[union-attr]
    assert placed["bare"].office is None and placed["bare"].province.code == "36"  # type: ignore[union-attr]
    assert (placed["child"].province.name, placed["child"].how) == ("Banten", "parent")  # type: ignore[union-attr]
    assert placed["news"].province is None


def test_matcher_maps_known_handles_and_places_named_offices() -> None:
    known = {"kemkominfo_ig": acc("kemkominfo_ig", "central", handle="KemenKominfo")}
    matcher = AccountMatcher(known)
    assert matcher.match(acc("instagram:kemenkominfo", "other", handle="kemenkominfo")) is None
    assert matcher.alias("instagram:kemenkominfo") == "kemkominfo_ig"
    placed = matcher.match(acc("instagram:pemkotserang", "other", name="Pemkot Serang"))
    assert placed is not None and (placed.tier, placed.region) == ("regency", "Kota Serang")
    private = matcher.match(acc("instagram:bali", "other", name="Bali"))
    assert private is not None and private.tier == "other"
    assert matcher.tierless == ["instagram:bali"] and matcher.placed == ["instagram:pemkotserang"]


def test_an_export_of_a_known_account_joins_it(store: Store) -> None:
    store.upsert_accounts(
        [acc("kemkominfo_ig", "central", "Nasional", handle="@KemenKominfo", name="Kominfo")]
    )
    report = convert.ingest_export(store, FIXTURES / "instaloader", "instaloader")
    assert report.ingested > 0
    assert set(store.accounts()) == {"kemkominfo_ig"}
    post = store.find_post("instagram:3287654321098765432")
    assert post is not None and post.account_id == "kemkominfo_ig" and post.tier == "central"
    assert any("instagram:kemenkominfo → kemkominfo_ig" in n for n in report.notes)


def test_the_report_counts_accounts_without_a_tier(store: Store, tmp_path: Path) -> None:
    report = convert.ingest_export(store, FIXTURES / "zeeschuimer" / "export.ndjson")
    tierless = [a for a in store.accounts().values() if a.tier == "other"]
    assert tierless
    note = next(n for n in report.notes if "created without a tier" in n)
    assert note.startswith(f"{len(tierless)} accounts") and "tracer accounts import" in note
