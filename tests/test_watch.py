"""The neutrality watch on the sample corpus, over HTTP (JSON, CSV, the page's HTML) and
from the CLI: the seed case (Banten's repost of the January 2024 release) must be on it
with its release and lag; nothing outside the period, of a non-government account, or
without political terms may be."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tracer.models import StoredPost
from tracer.normalize import normalize_text
from tracer.watch import _status

from .conftest import SAMPLE_CORPUS
from .processes import run_tracer
from .test_api_http import assert_problem

TRUTH = json.loads((SAMPLE_CORPUS.parent / "truth.json").read_text(encoding="utf-8"))
BANTEN = TRUTH["cases"]["banten_repost"]
RELEASE = TRUTH["cases"]["release"]
PERIOD = {"from": "2023-11-28", "to": "2024-02-10"}
TERMS = ("pemilu", "kampanye", "hak politik", "netralitas asn", "kpu", "partai", "capres")


@pytest.fixture(scope="module")
def client(sample_client: httpx.Client) -> httpx.Client:
    return sample_client


def _sample_posts() -> dict[str, dict[str, Any]]:
    with (SAMPLE_CORPUS / "posts.jsonl").open(encoding="utf-8") as stream:
        return {p["post_id"]: p for p in map(json.loads, stream)}


def test_banten_post_is_listed_with_its_release_and_lag(client: httpx.Client) -> None:
    body = client.get("/watch", params=PERIOD).json()
    item = next(i for i in body["items"] if i["post_id"] == BANTEN)
    assert item["status"] == "traced" and item["verdict"] == "supported"
    assert item["release"]["post_id"] == RELEASE
    assert item["lag_seconds"] == 13 * 3600 + 42 * 60
    assert item["province"] == "Banten" and item["tier"] == "province"
    assert item["local_time"] == "2024-01-27 09:15:00 WIB"
    assert "hak politik" in item["terms"] and item["period"].startswith("Masa kampanye")
    assert body["counts"]["posts"] == len(body["items"])


def test_every_item_is_a_government_post_in_the_period_with_political_terms(
    client: httpx.Client,
) -> None:
    body = client.get("/watch", params=PERIOD).json()
    posts = _sample_posts()
    assert body["items"]
    for item in body["items"]:
        assert item["tier"] in ("central", "province", "regency")
        when = datetime.fromisoformat(item["published_at"].replace("Z", "+00:00"))
        assert "2023-11-27T17:00:00+00:00" <= when.isoformat() < "2024-02-10T17:00:00+00:00"
        words = " ".join(normalize_text(posts[item["post_id"]]["text"]).tokens)
        source = item["release"] or item["first_seen"]
        source_words = " ".join(normalize_text(source["text"]).tokens) if source else ""
        assert any(t in words or t in source_words for t in item["terms"])
    # Every copy of the release by a government account in the period is listed.
    family = TRUTH["posts"][RELEASE]["family"]
    listed = {i["post_id"] for i in body["items"]}
    members = {p for p, v in TRUTH["posts"].items() if v["family"] == family}
    with (SAMPLE_CORPUS / "accounts.csv").open(encoding="utf-8", newline="") as stream:
        accounts = {r["account_id"]: r["tier"] for r in csv.DictReader(stream)}
    government = {
        p for p in members
        if accounts[posts[p]["account_id"]] != "other" and posts[p]["published_at"] < "2024-02-11"
    }  # fmt: skip
    assert government <= listed


def test_a_period_outside_the_campaign_is_empty(client: httpx.Client) -> None:
    body = client.get("/watch", params={"from": "2024-03-01", "to": "2024-04-30"}).json()
    assert body["items"] == [] and body["counts"]["posts"] == 0
    wider = client.get(
        "/watch", params={"from": "2024-03-01", "to": "2024-04-30", "flag": "political_terms"}
    ).json()
    assert all("campaign" not in (i["period"] or "") for i in wider["items"])


def test_filters_and_sorting(client: httpx.Client) -> None:
    everything = client.get("/watch", params=PERIOD).json()["items"]
    banten = client.get("/watch", params={**PERIOD, "province": "36"}).json()["items"]
    assert banten and {i["province_code"] for i in banten} == {"36"}
    assert {i["post_id"] for i in banten} == {
        i["post_id"] for i in everything if i["province"] == "Banten"
    }
    by_name = client.get("/watch", params={**PERIOD, "province": "Banten"}).json()["items"]
    assert by_name == banten
    regencies = client.get("/watch", params={**PERIOD, "tier": "regency"}).json()["items"]
    assert regencies and {i["tier"] for i in regencies} == {"regency"}
    lag = client.get("/watch", params={**PERIOD, "sort": "lag", "order": "desc"}).json()["items"]
    lags = [i["lag_seconds"] for i in lag if i["lag_seconds"] is not None]
    assert lags == sorted(lags, reverse=True) and len(lag) == len(everything)
    assert_problem(client.get("/watch", params={"province": "Atlantis"}), 400)
    assert_problem(client.get("/watch", params={"from": "yesterday"}), 400)
    assert_problem(client.get("/watch", params={"from": "2024-02-10", "to": "2024-01-01"}), 400)
    assert_problem(client.get("/watch", params={"flag": "gossip"}), 422)


def test_watch_csv(client: httpx.Client) -> None:
    body = client.get("/watch", params=PERIOD).json()
    response = client.get("/watch", params={**PERIOD, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv; charset=utf-8")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="watch-2023-11-28-2024-02-10.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [r["post_id"] for r in rows] == [i["post_id"] for i in body["items"]]
    banten = next(r for r in rows if r["post_id"] == BANTEN)
    assert banten["release_post_id"] == RELEASE and banten["lag_seconds"] == "49320"
    assert banten["published_at_utc"] == "2024-01-27T02:15:00Z"
    assert banten["release_published_at_local"] == "2024-01-26 19:33:00 WIB"


def test_a_browser_gets_the_page_and_an_embed(client: httpx.Client) -> None:
    page = client.get("/watch", params=PERIOD, headers={"Accept": "text/html,*/*"})
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="tracer-watch"' in page.text and "/static/watch.js" in page.text
    hostile = client.get("/embed/watch", params={"province": '"><script>alert(1)</script>'})
    assert "<script>alert" not in hostile.text
    assert 'data-query="province=%22%3E%3Cscript%3E' in hostile.text
    assert client.get("/watch", params=PERIOD).headers["content-type"] == "application/json"


def test_cli_watch(sample_db_file: Path) -> None:
    db = str(sample_db_file)
    done = run_tracer("--db", db, "watch", "--from", PERIOD["from"], "--to", PERIOD["to"])
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if BANTEN in line)
    assert "2024-01-27 09:15 WIB" in line and RELEASE in line and "+13h42m" in line
    table = run_tracer("--db", db, "watch", "--from", PERIOD["from"], "--to", PERIOD["to"], "--csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert BANTEN in {r["post_id"] for r in rows}
    bad = run_tracer("--db", db, "watch", "--tier", "other")
    assert bad.returncode == 2 and "tier must be one of" in bad.stderr


def test_every_status_agrees_with_the_verdict(scenario_client: httpx.Client) -> None:
    """In the campaign period without the terms filter, the scenario's posts take every
    kind of status; each agrees with `/verify` on the same post."""
    body = scenario_client.get("/watch", params={"flag": "campaign_period"}).json()
    statuses = {i["status"] for i in body["items"]}
    assert {"release", "traced", "own_content", "regional"} <= statuses
    for item in body["items"]:
        verdict = scenario_client.get("/verify", params={"post": item["post_id"]}).json()
        assert item["verdict"] == verdict["verdict"], item["post_id"]
        if item["status"] in ("release", "traced"):
            assert item["release"]["post_id"] == verdict["release"]["post_id"]
            assert item["lag_seconds"] == verdict["lag_seconds"]
        else:
            assert item["release"] is None and item["lag_seconds"] is None
    own = next(i for i in body["items"] if i["post_id"] == "serang-jembatan")
    assert own["status"] == "own_content" and own["first_seen"]["post_id"] == "serang-jembatan"
    # Lebak copied Serang's post; no central account posted it.
    copied = next(i for i in body["items"] if i["post_id"] == "lebak-jembatan")
    assert copied["status"] == "regional" and copied["verdict"] == "contradicted"
    assert copied["first_seen"]["post_id"] == "serang-jembatan"


def test_a_copy_of_another_office_without_a_release_is_regional() -> None:
    def post(post_id: str, account: str, hour: int, tier: str = "regency") -> StoredPost:
        moment = datetime(2024, 1, 27, hour, tzinfo=UTC)
        return StoredPost(post_id, account, tier, "x", None, moment, "t", (), None,  # type: ignore[arg-type]
                          "F1", None, None)  # fmt: skip

    origin, copy, again = post("a", "serang", 1), post("b", "lebak", 2), post("c", "serang", 3)
    family = [origin, copy, again]
    assert _status(copy, family)[:2] == ("regional", "contradicted")
    assert _status(again, family)[:2] == ("own_content", "contradicted")
    assert _status(origin, family)[0] == "own_content"
    release = post("r", "kominfo", 0, "central")
    assert _status(copy, [release, *family])[0] == "traced"
    assert _status(release, [release, *family])[0] == "release"
    late = post("l", "kominfo", 5, "central")
    assert _status(copy, [*family, late])[:2] == ("before_release", "contradicted")
