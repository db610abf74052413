"""Export → canonical corpus → store: the round trip every format takes, its report of
skipped records, and the `convert` and `ingest --format` commands."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import orjson
import pytest

from tracer import convert
from tracer.adapters.base import AdapterOptions
from tracer.corpus import AccountRecord, PostRecord, read_accounts, read_posts
from tracer.errors import InputError
from tracer.store import Store

from .adapters_support import FIXTURES, collect
from .conftest import scenario_corpus
from .processes import run_tracer

CASES = [
    ("instaloader", "instaloader"),
    ("zeeschuimer", "zeeschuimer/export.ndjson"),
    ("crowdtangle", "crowdtangle/facebook.csv"),
    ("crowdtangle", "crowdtangle/instagram.csv"),
    ("ytdlp", "ytdlp"),
]


@pytest.mark.parametrize(("fmt", "path"), CASES)
def test_convert_writes_a_valid_corpus_with_its_media(fmt: str, path: str, tmp_path: Path) -> None:
    source = FIXTURES / path
    expected = collect(source, fmt)
    report = convert.convert(source, tmp_path / "out")  # format detected
    assert report.format == fmt
    assert report.posts == len(expected.posts)
    assert [(Path(e.file).name, e.line, e.field) for e in report.errors] == expected.where()
    out = tmp_path / "out"
    with (out / "accounts.csv").open(newline="", encoding="utf-8") as stream:
        accounts = list(read_accounts(stream))
    assert all(isinstance(a, AccountRecord) for a in accounts)
    known = {a.account.account_id for a in accounts if isinstance(a, AccountRecord)}
    with (out / "posts.jsonl").open("rb") as stream:
        posts = list(read_posts(stream, accounts=known, root=out))
    assert all(isinstance(p, PostRecord) for p in posts), posts
    media = [m for p in posts if isinstance(p, PostRecord) for m in p.post.media]
    assert report.media_linked + report.media_copied == len(media)
    root = source if source.is_dir() else source.parent
    for staged, original in zip(media, [m for p in expected.posts for m in p.media], strict=True):
        assert staged == f"media/{original}"
        assert (out / staged).read_bytes() == (root / original).read_bytes()


def test_convert_hard_links_on_one_file_system(tmp_path: Path) -> None:
    source = tmp_path / "ytdlp"
    source.mkdir()
    for file in (FIXTURES / "ytdlp").iterdir():
        (source / file.name).write_bytes(file.read_bytes())
    report = convert.convert(source, tmp_path / "out", "ytdlp")
    assert (report.media_linked, report.media_copied) == (2, 0)
    staged = tmp_path / "out" / "media" / "Cuti Bersama [7328000000000000003].mp4"
    assert staged.stat().st_ino == (source / staged.name).stat().st_ino
    again = convert.convert(source, tmp_path / "out", "ytdlp")  # into the same folder
    assert again.posts == report.posts


def test_convert_refuses_to_write_into_its_input() -> None:
    with pytest.raises(InputError, match="must not be the input folder"):
        convert.convert(FIXTURES / "ytdlp", FIXTURES / "ytdlp", "ytdlp")


@pytest.mark.parametrize(("fmt", "path"), CASES)
def test_round_trip_into_the_store(fmt: str, path: str, store: Store) -> None:
    source = FIXTURES / path
    expected = collect(source, fmt)
    report = convert.ingest_export(store, source, fmt)
    assert report.ingested == len(expected.posts)
    assert report.conflicts == []
    # Every skip is the adapter's, explained with file, record, field and reason.
    assert [(Path(e.file).name, e.line, e.field) for e in report.errors] == expected.where()
    for post in expected.posts:
        stored = store.find_post(post.post_id)
        assert stored is not None
        assert stored.published_at == post.published_at
        assert stored.published_at.utcoffset() is not None
        assert stored.published_at.astimezone(UTC) == post.published_at
        assert stored.text == post.text
        assert stored.media == tuple(f"media/{m}" for m in post.media)
        assert stored.url == post.url
    again = convert.ingest_export(store, source, fmt)
    assert (again.ingested, again.unchanged, again.conflicts) == (0, len(expected.posts), [])


def test_conflicts_are_traced_back_to_the_export(store: Store) -> None:
    convert.ingest_export(store, FIXTURES / "zeeschuimer" / "export.ndjson")
    report = convert.ingest_export(store, FIXTURES / "crowdtangle" / "instagram.csv")
    # The release is the same post in both (same id, time, text); the second row names
    # another account for a post Zeeschuimer saw under kemenkominfo.
    assert report.unchanged == 1
    assert [(Path(c.file).name, c.line, c.field) for c in report.conflicts] == [
        ("instagram.csv", 5, "post_id")
    ]
    assert str(FIXTURES / "crowdtangle" / "instagram.csv") == report.conflicts[0].file


def test_accounts_the_store_knows_are_kept(store: Store) -> None:
    options = AdapterOptions(tier="central", region="Indonesia")
    convert.ingest_export(store, FIXTURES / "instaloader", "instaloader", options)
    report = convert.ingest_export(store, FIXTURES / "zeeschuimer" / "export.ndjson")
    # kemenkominfo is not restaged as tier "other"; the two Instagram posts Instaloader
    # stored with their media differ from Zeeschuimer's media-less copies: conflicts.
    assert [(Path(c.file).name, c.line, c.field) for c in report.conflicts] == [
        ("export.ndjson", 1, "post_id"),
        ("export.ndjson", 11, "post_id"),
    ]
    assert store.accounts()["instagram:kemenkominfo"].tier == "central"
    assert store.accounts()["x:kemkominfo"].tier == "other"


def test_a_canonical_corpus_goes_straight_to_the_ingest(tmp_path: Path, store: Store) -> None:
    corpus = scenario_corpus(tmp_path / "corpus")
    assert convert.resolve_format(corpus, None) == "canonical"
    assert convert.resolve_format(tmp_path / "absent", None) == "canonical"
    report = convert.ingest_export(store, corpus)
    assert report.ingested > 0 and report.errors == []


# --- the commands -------------------------------------------------------------------------


def test_cli_convert(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = run_tracer("convert", str(FIXTURES / "instaloader"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert (report["format"], report["posts"], len(report["errors"])) == ("instaloader", 4, 4)
    assert (out / "posts.jsonl").is_file() and (out / "media" / "kemenkominfo").is_dir()
    table = run_tracer("convert", str(FIXTURES / "instaloader"), "--out", str(out))
    assert "bad or partial records" in table.stdout
    assert "2024-01-28_03-00-00_UTC.json.xz:1: taken_at_timestamp: missing" in table.stderr


def test_cli_ingest_of_an_export(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    export = str(FIXTURES / "zeeschuimer" / "export.ndjson")
    result = run_tracer(
        "--db", db, "ingest", export, "--tier", "province", "--tz", "WITA", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert (report["ingested"], len(report["errors"])) == (6, 4)
    assert report["errors"][0].startswith(f"{export}:6: (line): invalid JSON")
    trace = run_tracer("--db", db, "trace", "x:1750000000000000002", "--json")
    post = orjson.loads(trace.stdout)["post"]
    assert (post["published_at"], post["tier"]) == ("2024-01-27T03:15:00Z", "province")
    again = run_tracer("--db", db, "ingest", export, "--format", "zeeschuimer", "--json")
    assert orjson.loads(again.stdout)["unchanged"] == 6


def test_cli_refuses_export_options_for_a_canonical_corpus(tmp_path: Path) -> None:
    corpus = scenario_corpus(tmp_path / "corpus")
    result = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(corpus), "--tier", "central")
    assert result.returncode == 2
    assert "apply to exports" in result.stderr
    bad = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(corpus), "--tier", "boss")
    assert bad.returncode == 2 and "boss" in bad.stderr


def test_cli_refuses_an_unknown_format_before_creating_a_database(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run_tracer("--db", str(db), "ingest", str(FIXTURES / "ytdlp"), "--format", "vine")
    assert result.returncode == 2
    assert "unknown format 'vine'" in result.stderr
    assert not db.exists()


def test_cli_names_the_candidates_when_it_cannot_tell(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    result = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(tmp_path / "notes.txt"))
    assert result.returncode == 2
    assert "cannot tell its format; pass --format (canonical, instaloader" in result.stderr


def test_progress_counts_every_record(tmp_path: Path) -> None:
    counted: list[int] = []
    report = convert.convert(
        FIXTURES / "zeeschuimer" / "export.ndjson", tmp_path / "out", progress=counted.append
    )
    assert sum(counted) == report.posts + len(report.errors) == 10
