"""Writes, keys, limits and headers of the HTTP API: `POST /ingest`, 401, 413, 415, 429,
CORS and CSP, against real `tracer serve` processes configured through `TRACER_*`."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from .conftest import ACCOUNTS, RELEASE_TEXT, account, post_line, write_accounts
from .processes import serving
from .test_api_http import assert_problem

KEY = "test-key-1"
ORIGIN = "https://dash.example.org"
PORTAL = "https://portal.example.go.id"


@pytest.fixture(scope="module")
def writer(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("writes")
    db = folder / "copy.db"
    shutil.copy(scenario_db, db)
    settings = {
        "TRACER_API_KEYS": f"other-key,{KEY}",
        "TRACER_MAX_BODY_BYTES": "2000",
        "TRACER_MAX_UPLOAD_BYTES": "20000",
        "TRACER_RATE_LIMIT": "0",
        "TRACER_CORS_ORIGINS": ORIGIN,
        "TRACER_FRAME_ANCESTORS": f"'self',{PORTAL}",
    }
    with (
        serving(db, folder / "serve.log", settings) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        yield http


@pytest.fixture(scope="module")
def limited(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("limited")
    db = folder / "copy.db"
    shutil.copy(scenario_db, db)
    settings = {
        "TRACER_RATE_LIMIT": "6",
        "TRACER_RATE_BURST": "3",
        "TRACER_RATE_LIMIT_LOOPBACK": "1",
    }
    with (
        serving(db, folder / "serve.log", settings) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        yield http


def ndjson(*lines: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


NDJSON = {"content-type": "application/x-ndjson", "X-API-Key": KEY}
ZIP = {"content-type": "application/zip", "X-API-Key": KEY}


# --- keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_ingest_needs_a_known_key(writer: httpx.Client, headers: dict[str, str]) -> None:
    response = writer.post(
        "/ingest", content=b"{}\n", headers={"content-type": "application/x-ndjson", **headers}
    )
    assert "X-API-Key" in assert_problem(response, 401)["detail"]
    assert response.headers["www-authenticate"] == "ApiKey"


def test_without_configured_keys_writes_are_refused(limited: httpx.Client) -> None:
    response = limited.post("/ingest", content=b"{}\n", headers=NDJSON)
    assert "no API key is configured" in assert_problem(response, 401)["detail"]


def test_ingest_refuses_other_body_types(writer: httpx.Client) -> None:
    response = writer.post("/ingest", content=b"x", headers={**NDJSON, "content-type": "text/csv"})
    assert_problem(response, 415)


# --- ingest -----------------------------------------------------------------------------


def test_ingest_json_lines(writer: httpx.Client) -> None:
    body = (
        ndjson(
            post_line("bandung-late", "bandung", "2024-01-29T09:00:00+07:00", RELEASE_TEXT),
            post_line("ghost-1", "no-such-account", "2024-01-29T09:00:00+07:00", "x"),
            post_line("bandung-pic", "bandung", "2024-01-29T10:00:00+07:00", "y", media=["a.jpg"]),
        )
        + b"not json\n"
    )
    response = writer.post("/ingest", content=body, headers=NDJSON)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ingested"] == 1 and report["unchanged"] == 0
    assert [e.split(":")[0:3] for e in report["errors"]] == [
        ["posts.jsonl", "2", " account_id"],
        ["posts.jsonl", "3", " media"],
        ["posts.jsonl", "4", " (line)"],
    ]
    assert "/tmp" not in response.text and "tracer-upload" not in response.text
    trace = writer.get("/trace", params={"post": "bandung-late"}).json()
    assert trace["release"]["post_id"] == "kominfo-20240126"
    again = writer.post("/ingest", content=body, headers=NDJSON).json()
    assert again["ingested"] == 0 and again["unchanged"] == 1


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_ingest_a_zipped_corpus(writer: httpx.Client, tmp_path: Path) -> None:
    newcomer = account("cilegon", "regency", "Kota Cilegon", "banten")
    write_accounts(tmp_path, [*ACCOUNTS, newcomer])
    posts = ndjson(
        post_line("cilegon-1", "cilegon", "2024-01-28T10:00:00+07:00", RELEASE_TEXT, ["m/1.jpg"])
    )
    archive = zipped(
        {
            "corpus/accounts.csv": (tmp_path / "accounts.csv").read_bytes(),
            "corpus/posts.jsonl": posts,
            "corpus/m/1.jpg": b"\xff\xd8\xff\xe0fakejpeg",
        }
    )
    report = writer.post("/ingest", content=archive, headers=ZIP).json()
    assert report["ingested"] == 1 and report["accounts_added"] == 1, report
    assert writer.get("/accounts/cilegon").json()["province"] == "Banten"


@pytest.mark.parametrize(
    ("files", "detail"),
    [
        ({"../evil.txt": b"x"}, "leaves the corpus folder"),
        ({"/etc/evil.txt": b"x"}, "leaves the corpus folder"),
        ({"corpus/readme.txt": b"x"}, "no corpus folder"),
    ],
)
def test_ingest_refuses_bad_archives(
    writer: httpx.Client, files: dict[str, bytes], detail: str
) -> None:
    body = assert_problem(writer.post("/ingest", content=zipped(files), headers=ZIP), 400)
    assert detail in body["detail"]
    assert "/tmp" not in body["detail"]


def test_ingest_refuses_a_non_zip(writer: httpx.Client) -> None:
    body = assert_problem(writer.post("/ingest", content=b"PK?garbage", headers=ZIP), 400)
    assert "zip" in body["detail"]


# --- sizes ------------------------------------------------------------------------------


def test_body_over_the_read_limit_is_413(writer: httpx.Client) -> None:
    response = writer.post("/search", json={"text": "kata " * 1000})
    assert "2000 bytes" in assert_problem(response, 413)["detail"]


def test_upload_over_the_upload_limit_is_413(writer: httpx.Client) -> None:
    body = b"x" * 30_000
    assert_problem(writer.post("/ingest", content=body, headers=NDJSON), 413)


def test_streamed_upload_over_the_limit_is_413(writer: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"y" * 1000

    response = writer.post("/ingest", content=chunks(), headers=NDJSON)
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)


# --- rate limits ------------------------------------------------------------------------


def test_rate_limit_is_429_with_retry_after(limited: httpx.Client) -> None:
    statuses = [limited.get("/posts/serang-20240127").status_code for _ in range(6)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
    response = limited.get("/posts/serang-20240127")
    body = assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1
    assert "rate limit" in body["detail"]
    assert limited.get("/livez").status_code == 200  # probes are never limited
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


# --- headers ----------------------------------------------------------------------------


def test_cors_allow_list(writer: httpx.Client) -> None:
    allowed = writer.get("/livez", headers={"Origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    other = writer.get("/livez", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = writer.options(
        "/search",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_frame_ancestors_setting(writer: httpx.Client) -> None:
    csp = writer.get("/livez").headers["content-security-policy"]
    assert f"frame-ancestors 'self' {PORTAL}" in csp
