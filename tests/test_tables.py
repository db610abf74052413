"""CSV tables (`tracer.tables`) and every `format=csv` of the HTTP API, against a real
`tracer serve` on the scenario corpus: a header row, UTF-8, times in UTC and in the
viewer's zone, a file name on every download, the whole list rather than a page."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tracer.tables import Table, cell, csv_text, file_name

from .conftest import RELEASE_FAMILY, SCENARIO


def test_cells_times_and_formulas() -> None:
    table = Table("t", ("name", "when", "tags", "meta.x"), frozenset({"when"}))
    text = csv_text(
        table,
        [{"name": "=HYPERLINK(1)", "when": "2024-01-27T02:15:00Z", "tags": ["a", "b"],
          "meta": {"x": -5}}],
        "Asia/Makassar",
    )  # fmt: skip
    assert text.splitlines() == [
        "name,when_utc,when_local,tags,meta_x",
        "'=HYPERLINK(1),2024-01-27T02:15:00Z,2024-01-27 10:15:00 WITA,a; b,-5",
    ]
    assert text.endswith("\r\n")
    assert cell(None) == "" and cell(True) == "true" and cell({"b": 1, "a": 2}) == '{"a":2,"b":1}'
    assert cell("Sulawesi Selatan — ąę") == "Sulawesi Selatan — ąę"


def test_file_names_are_safe() -> None:
    assert file_name("adoption", "kominfo-wa-20240126") == "adoption-kominfo-wa-20240126.csv"
    assert file_name("posts", 'a"b/../c;d') == "posts-a-b-..-c-d.csv"
    assert file_name("F5", ext="gexf") == "F5.gexf"


@pytest.fixture(scope="module")
def client(scenario_client: httpx.Client) -> httpx.Client:
    return scenario_client


def table(response: httpx.Response, name: str) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_posts_csv_is_every_post_not_a_page(client: httpx.Client) -> None:
    rows = table(client.get("/posts", params={"format": "csv", "limit": 2}), "posts.csv")
    assert sorted(r["post_id"] for r in rows) == sorted(p["post_id"] for p in SCENARIO)
    banten = next(r for r in rows if r["post_id"] == "banten-ig-20240127")
    assert banten["published_at_local"].endswith(" WIB")
    assert banten["published_at_utc"].endswith("Z")
    serang = table(
        client.get("/posts", params={"format": "csv", "account": "serang"}), "posts-serang.csv"
    )
    assert {r["account_id"] for r in serang} == {"serang"} and len(serang) == 2
    assert client.get("/posts", params={"format": "csv", "cursor": "junk"}).status_code == 400


def test_families_and_accounts_csv(client: httpx.Client) -> None:
    families = table(client.get("/families", params={"format": "csv"}), "families.csv")
    listed = client.get("/families", params={"limit": 500}).json()["items"]
    assert [r["family_id"] for r in families] == [f["family_id"] for f in listed]
    assert {"release_post_id", "first_seen_utc", "first_seen_local"} <= set(families[0])
    accounts = table(client.get("/accounts", params={"format": "csv"}), "accounts.csv")
    serang = next(r for r in accounts if r["account_id"] == "serang")
    assert (serang["province"], serang["office"], serang["office_code"]) == (
        "Banten",
        "Kabupaten Serang",
        "36.04",
    )
    regencies = table(
        client.get("/accounts", params={"format": "csv", "tier": "regency"}),
        "accounts-regency.csv",
    )
    assert {r["tier"] for r in regencies} == {"regency"}


def test_cascade_nodes_and_edges_csv(client: httpx.Client) -> None:
    family = client.get("/trace", params={"post": "banten-ig-20240127"}).json()
    fid = family["family_id"]
    nodes = table(
        client.get(f"/families/{fid}/graph", params={"format": "csv"}), f"{fid}-nodes.csv"
    )
    assert {r["id"] for r in nodes} == RELEASE_FAMILY
    assert next(r for r in nodes if r["id"] == "serang-20240127")["label"] == "Serang"
    edges = table(
        client.get(f"/families/{fid}/graph", params={"format": "csv", "table": "edges"}),
        f"{fid}-edges.csv",
    )
    assert {(e["source"], e["target"]) for e in edges} == {
        (e["source"], e["target"]) for e in family["graph"]["edges"]
    }
    gexf = client.get(f"/families/{fid}/graph", params={"format": "gexf"})
    assert gexf.headers["content-disposition"] == f'attachment; filename="{fid}.gexf"'
    cyto = client.get(f"/families/{fid}/graph", params={"format": "cytoscape"})
    assert cyto.headers["content-disposition"] == f'inline; filename="{fid}.cytoscape.json"'
