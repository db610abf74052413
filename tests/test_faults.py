"""Fault suite, input half (issue 12): extreme but valid input is a reported line or a
4xx problem naming the field, never an aborted ingest, a 500 or a traceback, and no
answer shows a server path, SQL or a stack. Through the CLI (subprocesses) and HTTP (a
real server); hypothesis looks for extreme times and paths the examples miss."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.corpus import PostRecord, parse_line
from tracer.errors import RecordError
from tracer.normalize import local_time, parse_instant

from .conftest import RELEASE_TEXT, CorpusBuilder, post_line
from .processes import run_tracer, serving
from .test_api_http import assert_problem

KEY = "fault-key"
OVERFLOWING = ("9999-12-31T23:00:00-14:00", "0001-01-01T00:00:00+14:00")
LEAKS = ("Traceback", "SELECT ", "INSERT ", "sqlalchemy", "sqlite3")
SERVER_PATHS = ("tracer-verify-", "tracer-upload-", "/tmp/")
"""What a server's answers must not show (the CLI shows the user's own paths)."""
HUGE_FAMILY = "F" + "9" * 24


def no_leak(text: str, server: bool = True) -> None:
    for leak in LEAKS + SERVER_PATHS if server else LEAKS:
        assert leak not in text, f"{leak!r} in {text[:500]!r}"


# --- properties of the one time parser and the line reader -----------------------------


@st.composite
def extreme_times(draw: st.DrawFn) -> str:
    """ISO 8601 with an offset, at the edges of what `datetime` holds."""
    year = draw(st.sampled_from([1, 2, 1970, 9998, 9999]) | st.integers(1, 9999))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    offset = draw(st.integers(-14 * 60, 14 * 60))
    sign = "-" if offset < 0 else "+"
    zone = draw(st.sampled_from(["Z", f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"]))
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00{zone}"


@given(extreme_times())
def test_a_time_is_an_instant_shown_in_any_zone_or_a_value_error(value: str) -> None:
    try:
        moment = parse_instant(value)
    except ValueError as exc:
        assert repr(value) in str(exc)
        return
    for zone in ("Asia/Jakarta", "Asia/Jayapura", "+14:00", "-12:00"):
        assert local_time(moment, zone)


path_parts = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1)


@st.composite
def extreme_paths(draw: st.DrawFn) -> str:
    """Relative paths with components up to 300 characters (up to 1,200 bytes) and up to
    5,000 characters in all: past NAME_MAX and PATH_MAX."""
    long_part = st.text(st.sampled_from("aé媒"), min_size=200, max_size=300)
    parts = draw(st.lists(path_parts | long_part, min_size=1, max_size=20))
    return "/".join(parts)


@given(st.lists(extreme_paths(), min_size=1, max_size=3))
def test_a_media_path_is_accepted_or_reported_never_raised(
    tmp_path_factory: pytest.TempPathFactory, paths: list[str]
) -> None:
    root = tmp_path_factory.getbasetemp()
    line = orjson.dumps(post_line("p", "kominfo", "2024-01-26T10:00:00+07:00", "t", paths))
    result = parse_line(1, line, accounts={"kominfo"}, root=root)
    assert isinstance(result, PostRecord | RecordError)
    if isinstance(result, RecordError):
        assert result.field == "media" and len(str(result)) < 400


# --- the CLI ------------------------------------------------------------------------


def fault_corpus(builder: CorpusBuilder) -> Path:
    """Two good lines around every bad kind of issue 12."""
    builder.add(post_line("good-1", "kominfo", "2024-01-26T10:00:00+07:00", RELEASE_TEXT))
    for n, when in enumerate(OVERFLOWING):
        builder.add(post_line(f"late-{n}", "kominfo", when, "a time past UTC's range"))
    builder.add(
        post_line("name", "kominfo", "2024-01-26T11:00:00+07:00", "x", ["a" * 300 + ".jpg"])
    )
    deep = "/".join(["d" * 250] * 20) + "/x.jpg"
    builder.add(post_line("deep", "kominfo", "2024-01-26T11:00:00+07:00", "x", [deep]))
    builder.raw(
        '{"post_id": 123456789012345678901234567890, "account_id": "kominfo", '
        '"published_at": "2024-01-26T12:00:00+07:00", "text": "a big integer id"}'
    )
    builder.add(post_line("good-2", "banten", "2024-01-26T13:00:00+07:00", "Halo Banten"))
    return builder.write()


def test_cli_ingest_reports_each_bad_line_and_keeps_the_rest(
    corpus_builder: CorpusBuilder, tmp_path: Path
) -> None:
    corpus = fault_corpus(corpus_builder)
    done = run_tracer("--db", str(tmp_path / "t.db"), "ingest", str(corpus), "--no-ocr", "--json")
    assert done.returncode == 0, done.stderr
    no_leak(done.stdout + done.stderr, server=False)
    report = orjson.loads(done.stdout)
    assert report["ingested"] == 3
    errors = report["errors"]
    assert [e.split(": ")[1] for e in errors] == ["published_at"] * 2 + ["media"] * 2
    assert all("outside 0001-01-02 … 9999-12-30 UTC" in e for e in errors[:2])
    assert all("File name too long" in e and len(e) < 300 for e in errors[2:])
    shown = run_tracer("--db", str(tmp_path / "t.db"), "trace", "123456789012345678901234567890")
    assert shown.returncode == 0, shown.stderr


def test_cli_database_in_a_missing_folder_is_a_clear_error(
    corpus_builder: CorpusBuilder, tmp_path: Path
) -> None:
    corpus = fault_corpus(corpus_builder)
    done = run_tracer("--db", str(tmp_path / "nowhere" / "t.db"), "ingest", str(corpus))
    assert done.returncode == 2
    assert "cannot open database" in done.stderr
    no_leak(done.stderr, server=False)


def test_cli_verify_at_past_utc_range_is_a_clear_error(scenario_db: Path) -> None:
    for when in OVERFLOWING:
        done = run_tracer("--db", str(scenario_db), "verify", "--text", "x", "--at", when)
        assert done.returncode == 2
        assert "--at:" in done.stderr and "outside" in done.stderr
        no_leak(done.stderr, server=False)


def test_cli_ingest_of_an_export_reports_a_time_past_utc_range(tmp_path: Path) -> None:
    """An export's wall-clock time in WIB can be valid and still have no UTC year."""
    fixture = Path(__file__).parent / "fixtures/adapters/crowdtangle/facebook.csv"
    export = tmp_path / "facebook.csv"
    first = b"2024-01-27 10:40:00 WIB,2024-01-27,10:40:00"
    export.write_bytes(
        fixture.read_bytes().replace(first, b"0001-01-01 01:00:00 WIB,0001-01-01,01:00:00", 1)
    )
    done = run_tracer("--db", str(tmp_path / "t.db"), "ingest", str(export), "--no-ocr", "--json")
    assert done.returncode == 0, done.stderr
    report = orjson.loads(done.stdout)
    assert report["ingested"] >= 1
    assert any("Post Created: '0001-01-01 01:00:00' is out of range" in e for e in report["errors"])


@pytest.mark.parametrize("family", [HUGE_FAMILY, "F١", "F" + "9" * 5000])
def test_cli_export_of_an_impossible_family_is_not_found(scenario_db: Path, family: str) -> None:
    done = run_tracer("--db", str(scenario_db), "export", family)
    assert done.returncode == 1
    assert "no family" in done.stderr and len(done.stderr) < 300
    no_leak(done.stderr, server=False)


# --- HTTP ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server with the default rate limits (its client is on loopback)."""
    folder = tmp_path_factory.mktemp("faults")
    db = folder / "copy.db"
    shutil.copy(scenario_db, db)
    with (
        serving(db, folder / "serve.log", {"TRACER_API_KEYS": KEY}) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        yield client


def test_post_ingest_reports_overflowing_times_and_keeps_the_rest(http: httpx.Client) -> None:
    lines = [
        post_line("http-good", "kominfo", "2024-02-01T10:00:00+07:00", "Satu berita baru"),
        *(post_line(f"http-late-{n}", "kominfo", w, "x") for n, w in enumerate(OVERFLOWING)),
        post_line("http-name", "kominfo", "2024-02-01T10:00:00+07:00", "x", ["b" * 300]),
    ]
    body = b"".join(orjson.dumps(line) + b"\n" for line in lines)
    response = http.post(
        "/ingest",
        content=body,
        headers={"Content-Type": "application/x-ndjson", "X-API-Key": KEY},
    )
    assert response.status_code == 200, response.text
    no_leak(response.text)
    report = response.json()
    assert report["ingested"] == 1
    assert [e.split(": ")[1] for e in report["errors"]] == ["published_at"] * 2 + ["media"]
    assert all(e.startswith("posts.jsonl:") for e in report["errors"])


def test_post_ingest_of_a_zip_with_an_over_long_member_reports_its_post(
    http: httpx.Client,
) -> None:
    long_name = "media/" + "z" * 300 + ".jpg"
    lines = [
        post_line("zip-long", "kominfo", "2024-02-02T10:00:00Z", "x", [long_name]),
        post_line("zip-good", "kominfo", "2024-02-02T10:00:00Z", "Kabar dari arsip zip"),
    ]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "corpus/accounts.csv", "account_id,platform,handle,name,tier,region,parent_id\n"
        )
        zipped.writestr("corpus/posts.jsonl", b"".join(orjson.dumps(x) + b"\n" for x in lines))
        zipped.writestr(f"corpus/{long_name}", b"\xff\xd8\xff")
    response = http.post(
        "/ingest",
        content=archive.getvalue(),
        headers={"Content-Type": "application/zip", "X-API-Key": KEY},
    )
    assert response.status_code == 200, response.text
    no_leak(response.text)
    report = response.json()
    assert report["ingested"] == 1
    assert report["errors"][0].startswith("posts.jsonl:1: media: ")
    assert "File name too long" in report["errors"][0]


@pytest.mark.parametrize("when", OVERFLOWING)
def test_post_verify_claimed_at_past_utc_range_is_a_400_naming_it(
    http: httpx.Client, when: str
) -> None:
    response = http.post("/verify", data={"text": "Presiden punya hak politik", "claimed_at": when})
    assert assert_problem(response, 400)["detail"].startswith("claimed_at:")


def test_post_verify_errors_show_no_server_path(http: httpx.Client) -> None:
    for name, content in (("shot.png", b"not a picture"), ("clip.mp4", b"\x00" * 64)):
        response = http.post("/verify", files={"files": (name, content)})
        body = assert_problem(response, 400)
        no_leak(response.text)
        assert "upload0" in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        f"/families/{HUGE_FAMILY}",
        f"/families/{HUGE_FAMILY}/graph",
        f"/families/{HUGE_FAMILY}/graph?format=gexf",
        f"/embed/families/{HUGE_FAMILY}",
        "/families/F١",
    ],
)
def test_impossible_family_ids_are_404(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert_problem(response, 404)
    no_leak(response.text)


def test_a_loopback_client_is_not_rate_limited_by_default(http: httpx.Client) -> None:
    statuses = {http.get("/families", params={"limit": 1}).status_code for _ in range(90)}
    assert statuses == {200}


def test_a_405_allows_every_method_of_the_path(http: httpx.Client) -> None:
    response = http.options("/verify")
    assert_problem(response, 405)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


def test_post_search_without_a_body_is_a_422(http: httpx.Client) -> None:
    assert_problem(http.post("/search"), 422)
