"""The read routes of the HTTP API (listings, families, accounts, adoption, search,
health) against a real `tracer serve` process on the scenario corpus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import BANTEN_URL, RELEASE_FAMILY, RELEASE_TEXT, SCENARIO, Db, copy_db
from .processes import serving
from .test_api_http import assert_post, assert_problem

pytestmark = pytest.mark.databases  # the routes on SQLite and on PostgreSQL


@pytest.fixture(scope="module")
def client(scenario_db: Db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("routes")
    db = copy_db(scenario_db, folder)  # the routes keep derived family summaries up to date
    settings = {"TRACER_RATE_LIMIT": "0"}
    with (
        serving(db, folder / "serve.log", settings) as base,
        httpx.Client(base_url=base, timeout=20) as http,
    ):
        yield http


def pages(client: httpx.Client, path: str, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of a listing, following `next`."""
    out: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next"}
        out.append(body["items"])
        cursor = body["next"]
        if cursor is None:
            return out
        assert len(out) < 100


# --- /posts -----------------------------------------------------------------------------


def test_posts_pages_cover_every_post_once_in_time_order(client: httpx.Client) -> None:
    got = pages(client, "/posts", limit=5)
    assert [len(p) for p in got] == [5, 5, 5, 1]
    items = [i for p in got for i in p]
    for item in items:
        assert_post(item)
    assert sorted(i["post_id"] for i in items) == sorted(p["post_id"] for p in SCENARIO)
    times = [i["published_at"] for i in items]
    assert times == sorted(times)


def test_posts_filters(client: httpx.Client) -> None:
    banten = client.get("/posts", params={"account": "banten"}).json()["items"]
    assert [p["post_id"] for p in banten] == ["banten-ig-20240127", "banten-cuti"]
    words = client.get("/posts", params={"q": "Jembatan GANTUNG"}).json()["items"]
    assert {p["post_id"] for p in words} == {"serang-jembatan", "lebak-jembatan"}
    window = client.get(
        "/posts", params={"since": "2024-03-01T00:00:00Z", "until": "2024-03-01T11:00:00+07:00"}
    ).json()["items"]
    assert [p["post_id"] for p in window] == ["detik-cuti", "kominfo-wa-cuti"]
    none = client.get("/posts", params={"account": "no-such-account"}).json()
    assert none == {"items": [], "next": None}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cursor": "not-a-cursor"}, 400),
        ({"since": "2024-01-01T00:00:00"}, 400),
        ({"q": "!!!"}, 400),
        ({"limit": "0"}, 422),
        ({"limit": "501"}, 422),
        ({"since": "yesterday"}, 422),
    ],
)
def test_posts_bad_parameters(client: httpx.Client, params: dict[str, str], status: int) -> None:
    assert_problem(client.get("/posts", params=params), status)


def test_a_cursor_belongs_to_its_listing(client: httpx.Client) -> None:
    cursor = client.get("/families", params={"limit": 1}).json()["next"]
    assert cursor
    assert_problem(client.get("/posts", params={"cursor": cursor}), 400)
    other_sort = client.get("/families", params={"limit": 1, "sort": "size", "cursor": cursor})
    assert_problem(other_sort, 400)


# --- /families --------------------------------------------------------------------------


def test_families_sorted_by_size(client: httpx.Client) -> None:
    items = [i for p in pages(client, "/families", sort="size", order="desc", limit=2) for i in p]
    assert [i["size"] for i in items] == [8, 3, 2, 2]
    top = items[0]
    assert top["accounts"] == 8
    assert top["release"]["post_id"] == "kominfo-20240126"
    assert top["origin"]["post_id"] == "kominfo-20240126"
    assert top["first_seen"] == "2024-01-26T12:33:00Z"
    assert "Banten" in top["regions"] and "Jawa Barat" in top["regions"]
    assert isinstance(top["median_lag_seconds"], int) and top["median_lag_seconds"] > 0
    ascending = client.get("/families", params={"sort": "size", "order": "asc"}).json()
    assert [i["size"] for i in ascending["items"]] == [2, 2, 3, 8]


@pytest.mark.parametrize("sort", ["first_seen", "last_seen", "median_lag"])
def test_families_other_sorts(client: httpx.Client, sort: str) -> None:
    key = {"first_seen": "first_seen", "last_seen": "last_seen", "median_lag": "median_lag_seconds"}
    items = [i for p in pages(client, "/families", sort=sort, order="asc", limit=3) for i in p]
    assert len(items) == 4
    values = [-1 if i[key[sort]] is None else i[key[sort]] for i in items]
    assert values == sorted(values)


def test_family_detail_and_graph(client: httpx.Client) -> None:
    family_id = client.get("/trace", params={"post": "serang-20240127"}).json()["family_id"]
    body = client.get(f"/families/{family_id}").json()
    assert body["family_id"] == family_id and body["size"] == len(RELEASE_FAMILY)
    assert body["by_tier"] == {"central": 1, "other": 1, "province": 2, "regency": 4}
    graph = client.get(f"/families/{family_id}/graph").json()
    assert {n["id"] for n in graph["nodes"]} == RELEASE_FAMILY
    cytoscape = client.get(f"/families/{family_id}/graph", params={"format": "cytoscape"})
    assert len(cytoscape.json()["nodes"]) == len(RELEASE_FAMILY)
    grafana = client.get(f"/families/{family_id}/graph", params={"format": "grafana"}).json()
    assert grafana["frames"]
    for fmt, root in (("graphml", b"<graphml"), ("gexf", b"<gexf")):
        response = client.get(f"/families/{family_id}/graph", params={"format": fmt})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
        assert root in response.content


def test_trace_and_graph_are_tagged_and_answer_304_when_unchanged(client: httpx.Client) -> None:
    traced = client.get("/trace", params={"post": "banten-ig-20240127"})
    family_id = traced.json()["family_id"]
    tag = traced.headers["etag"]
    assert tag.startswith('W/"') and traced.headers["cache-control"] == "no-cache"
    for path, params in (
        ("/trace", {"post": "banten-ig-20240127"}),
        (f"/families/{family_id}/graph", {}),
        (f"/families/{family_id}/graph", {"format": "gexf"}),
        (f"/families/{family_id}/graph", {"format": "csv", "table": "edges"}),
    ):
        first = client.get(path, params=params)
        assert first.status_code == 200 and first.content
        etag = first.headers["etag"]
        unchanged = client.get(path, params=params, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["etag"] == etag
        strong = etag.removeprefix("W/")  # If-None-Match compares weakly
        assert client.get(path, params=params, headers={"If-None-Match": strong}).status_code == 304
        other = client.get(path, params=params, headers={"If-None-Match": '"elsewhere"'})
        assert other.status_code == 200 and other.content == first.content
    graph = client.get(f"/families/{family_id}/graph")
    assert graph.headers["etag"] != tag
    assert graph.headers["content-disposition"].startswith("inline")


@pytest.mark.parametrize("path", ["/families/F999999", "/families/nope", "/families/F1x/graph"])
def test_unknown_family_is_404(client: httpx.Client, path: str) -> None:
    assert "no family" in assert_problem(client.get(path), 404)["detail"]


def test_unknown_graph_format_is_422(client: httpx.Client) -> None:
    family_id = client.get("/families", params={"limit": 1}).json()["items"][0]["family_id"]
    assert_problem(client.get(f"/families/{family_id}/graph", params={"format": "dot"}), 422)


# --- /accounts and adoption -------------------------------------------------------------


def test_accounts_listing(client: httpx.Client) -> None:
    items = [i for p in pages(client, "/accounts", limit=4) for i in p]
    assert [i["account_id"] for i in items] == sorted(i["account_id"] for i in items)
    assert len(items) == 9
    serang = next(i for i in items if i["account_id"] == "serang")
    assert serang["province"] == "Banten" and serang["posts"] == 2
    regencies = client.get("/accounts", params={"tier": "regency"}).json()["items"]
    assert {i["account_id"] for i in regencies} == {"serang", "lebak", "pandeglang", "bandung"}
    assert_problem(client.get("/accounts", params={"tier": "mayor"}), 422)


def test_account_detail(client: httpx.Client) -> None:
    body = client.get("/accounts/serang").json()
    assert body["posts"] == 2 and body["reposts"] == 1 and body["families"] == 2
    assert body["sources"] == [
        {"account_id": "banten", "tier": "province", "posts": 1, "median_lag_seconds": 6420}
    ]
    assert body["median_lag_seconds"] == 6420
    assert body["median_release_lag_seconds"] == 14 * 3600 + 29 * 60
    assert body["recent_reposts"][0]["post_id"] == "serang-20240127"
    assert body["recent_reposts"][0]["parent"] == "banten-ig-20240127"
    assert body["recent_reposts"][0]["published_at"] == "2024-01-27T03:02:00Z"
    assert_problem(client.get("/accounts/nobody"), 404)


def test_release_adoption(client: httpx.Client) -> None:
    body = client.get("/releases/kominfo-20240125/adoption").json()
    assert_post(body["release"], "kominfo-20240125")
    assert [(a["account_id"], a["lag_seconds"]) for a in body["adopters"]] == [("jabar", 10800)]
    assert body["by_tier"] == {"province": 1}
    assert {m["account_id"] for m in body["missing"]} == {
        "banten",
        "serang",
        "lebak",
        "pandeglang",
        "bandung",
    }
    provinces = {p["province"]: p for p in body["by_province"]}
    assert len(body["by_province"]) == 38  # every province, whoever posted
    assert {k: provinces["Banten"][k] for k in ("code", "adopted", "missing")} == {
        "code": "36",
        "adopted": 0,
        "missing": 4,
    }
    assert provinces["Jawa Barat"]["adopted"] == 1 and provinces["Jawa Barat"]["missing"] == 1
    assert provinces["Jawa Barat"]["median_lag_seconds"] == 10800
    assert provinces["Jawa Barat"]["adopted_offices"] == ["Jawa Barat"]
    assert provinces["Jawa Barat"]["missing_offices"] == ["Kabupaten Bandung"]
    assert provinces["Aceh"]["adopted"] == 0 and provinces["Aceh"]["offices_no_account"] == 24
    full = client.get("/releases/kominfo-20240126/adoption").json()
    assert {a["account_id"] for a in full["adopters"]} == {
        "banten",
        "serang",
        "lebak",
        "jabar",
        "bandung",
        "detik",
        "pandeglang",
    }
    assert full["missing"] == []


def test_adoption_from_any_post_of_the_family(client: httpx.Client) -> None:
    by_release = client.get("/releases/kominfo-20240126/adoption").json()
    by_copy = client.get("/adoption", params={"post": "banten-ig-20240127"}).json()
    by_url = client.get("/adoption", params={"post": BANTEN_URL}).json()
    assert by_copy["post_id"] == by_url["post_id"] == "banten-ig-20240127"
    for other in (by_copy, by_url):
        assert {k: v for k, v in other.items() if k != "post_id"} == {
            k: v for k, v in by_release.items() if k != "post_id"
        }
    assert client.get("/releases/banten-ig-20240127/adoption").json() == by_copy
    lone = assert_problem(client.get("/adoption", params={"post": "serang-jembatan"}), 400)
    assert "no release" in lone["detail"]
    assert_problem(client.get("/releases/nope/adoption"), 404)
    assert_problem(client.get("/adoption", params={"post": "nope"}), 404)


# --- /search ----------------------------------------------------------------------------


def test_search_finds_the_release_family(client: httpx.Client) -> None:
    response = client.post("/search", json={"text": "Salam! " + RELEASE_TEXT[:400], "limit": 3})
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["linked"] is True
    assert items[0]["post"]["post_id"] in RELEASE_FAMILY
    assert items[0]["size"] == len(RELEASE_FAMILY)
    assert items[0]["scores"]["containment"] > 0.9


def test_search_of_unrelated_text_links_nothing(client: httpx.Client) -> None:
    text = "Lomba layang-layang tingkat kelurahan digelar Minggu pagi di lapangan bola desa."
    items = client.post("/search", json={"text": text}).json()["items"]
    assert not any(i["linked"] for i in items)


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x", "limit": 0}, {"txt": "a"}])
def test_search_bad_bodies_are_422(client: httpx.Client, body: dict[str, Any]) -> None:
    assert_problem(client.post("/search", json=body), 422)


def test_search_invalid_json_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/search", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422)


# --- health and metrics -----------------------------------------------------------------


def test_health(client: httpx.Client) -> None:
    assert client.get("/livez").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and isinstance(ready["schema_version"], int)


def test_metrics(client: httpx.Client) -> None:
    client.get("/posts/banten-ig-20240127")
    client.get("/no/such/route")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'route="/posts/{post_id}",status="200"' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "banten-ig" not in text  # templates, not raw paths
    assert f"tracer_posts {float(len(SCENARIO))}" in text
    assert "tracer_families 4.0" in text
    assert 'tracer_graph_cache{figure="max_bytes"} 6.4e+07' in text
    assert 'tracer_graph_cache{figure="misses"}' in text
    assert 'tracer_http_request_duration_seconds_bucket{le="0.05",method="GET"' in text


def test_security_headers_on_every_answer(client: httpx.Client) -> None:
    for response in (client.get("/livez"), client.get("/families/nope")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        "access-control-allow-origin"
        not in client.get("/livez", headers={"Origin": "https://example.org"}).headers
    )
