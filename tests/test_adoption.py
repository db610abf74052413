"""Adoption of the sample's release by every one of the 38 provinces, over HTTP and from
the CLI, checked against the sample's truth: which posts belong to the release's family
(`sample_data/truth.json`) and which province each office belongs to (the generator's
own roster, not the registry the code under test uses)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from synthetic.vocabulary import vocabulary

from .conftest import SAMPLE_CORPUS
from .processes import run_tracer

TRUTH = json.loads((SAMPLE_CORPUS.parent / "truth.json").read_text(encoding="utf-8"))
GOVERNMENT = ("province", "regency")
# The generator's short province names, as the registry spells them.
OFFICIAL = {
    "DKI Jakarta": "Daerah Khusus Ibukota Jakarta",
    "DI Yogyakarta": "Daerah Istimewa Yogyakarta",
}


def _roster() -> dict[str, str]:
    """Region (a province or a regency/city name) → its province, from the generator."""
    out: dict[str, str] = {}
    for _, province, _, regencies in vocabulary().provinces:
        name = OFFICIAL.get(province, province)
        out[province] = name
        out.update({r: name for r in regencies})
    return out


def _accounts() -> dict[str, dict[str, str]]:
    with (SAMPLE_CORPUS / "accounts.csv").open(encoding="utf-8", newline="") as stream:
        return {row["account_id"]: row for row in csv.DictReader(stream)}


def _expected(release: str) -> dict[str, tuple[set[str], set[str]]]:
    """Province → (accounts that posted the family, known accounts that did not)."""
    authors = {}
    with (SAMPLE_CORPUS / "posts.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            post = json.loads(line)
            authors[post["post_id"]] = post["account_id"]
    family = TRUTH["posts"][release]["family"]
    posted = {authors[p] for p, v in TRUTH["posts"].items() if v["family"] == family}
    roster = _roster()
    out: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for account_id, row in _accounts().items():
        if row["tier"] in GOVERNMENT:
            province = roster[row["region"]]
            out[province][0 if account_id in posted else 1].add(account_id)
    return out


@pytest.fixture(scope="module")
def client(sample_client: httpx.Client) -> httpx.Client:
    return sample_client


def test_all_38_provinces_match_the_truth(client: httpx.Client) -> None:
    release = TRUTH["cases"]["release"]
    body = client.get("/adoption", params={"post": TRUTH["cases"]["banten_repost"]}).json()
    assert body["release"]["post_id"] == release
    expected = _expected(release)
    assert len(body["by_province"]) == 38
    assert [p["code"] for p in body["by_province"]] == sorted(
        p["code"] for p in body["by_province"]
    )
    assert {p["province"] for p in body["by_province"]} == set(_roster().values())
    for row in body["by_province"]:
        adopted, missing = expected.get(row["province"], (set(), set()))
        got = {a["account_id"] for a in body["adopters"] if a["province"] == row["province"]}
        left = {m["account_id"] for m in body["missing"] if m["province"] == row["province"]}
        assert (got, left) == (adopted, missing), row["province"]
        assert (row["adopted"], row["missing"]) == (len(adopted), len(missing)), row["province"]
        assert (
            row["offices_adopted"] + row["offices_missing"] + row["offices_no_account"]
            == (row["offices_total"])
        )
    assert body["unplaced"] == []
    assert sum(p["offices_total"] for p in body["by_province"]) == 552
    banten = next(p for p in body["by_province"] if p["province"] == "Banten")
    assert {"Banten", "Kabupaten Serang", "Kota Serang"} <= set(banten["adopted_offices"])


def test_regency_without_its_province_account_still_counts(client: httpx.Client) -> None:
    """A regency whose parent account is not in the corpus counts for its province."""
    accounts = _accounts()
    body = client.get("/adoption", params={"post": TRUTH["cases"]["release"]}).json()
    orphans = [
        a for a in body["adopters"]
        if a["tier"] == "regency" and accounts[a["account_id"]]["parent_id"] not in accounts
    ]  # fmt: skip
    assert orphans, "the sample has regencies whose province account is not stored"
    roster = _roster()
    for a in orphans:
        assert a["province"] == roster[accounts[a["account_id"]]["region"]]


def test_adoption_csv_tables(client: httpx.Client) -> None:
    ref = TRUTH["cases"]["serang_copy_of_banten"]
    body = client.get("/adoption", params={"post": ref}).json()
    response = client.get("/adoption", params={"post": ref, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv; charset=utf-8")
    name = f"adoption-{TRUTH['cases']['release']}.csv"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == len(body["adopters"]) + len(body["missing"])
    assert {r["status"] for r in rows} == {"adopted", "missing"}
    banten = next(r for r in rows if r["post_id"] == TRUTH["cases"]["banten_repost"])
    assert banten["published_at_utc"] == "2024-01-27T02:15:00Z"
    assert banten["published_at_local"] == "2024-01-27 09:15:00 WIB"
    assert banten["province"] == "Banten" and banten["lag_seconds"] == "49320"
    provinces = client.get(
        f"/releases/{ref}/adoption", params={"format": "csv", "table": "provinces"}
    )
    table = list(csv.DictReader(io.StringIO(provinces.text)))
    assert len(table) == 38 and table[0]["code"] == "11"


def test_cli_adoption_prints_every_province(sample_db_file: Path) -> None:
    done = run_tracer(
        "--db", str(sample_db_file), "adoption", TRUTH["cases"]["kota_serang_copy_of_banten"]
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"release: {TRUTH['cases']['release']}")
    assert len([line for line in lines if line[:2].isdigit()]) == 38
    as_csv = run_tracer(
        "--db", str(sample_db_file), "adoption", TRUTH["cases"]["release"], "--csv", "--provinces"
    )
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == 38
    as_json: dict[str, Any] = json.loads(
        run_tracer(
            "--db", str(sample_db_file), "adoption", TRUTH["cases"]["release"], "--json"
        ).stdout
    )
    assert len(as_json["by_province"]) == 38
