"""What convert and ingest tell the user about an export: skipped records by reason
(counts and the first places), and conflicts named by the export's own file and
record, never by the temporary staging corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from tracer import convert
from tracer.adapters.base import AdapterOptions
from tracer.store import Store

from .adapters_support import FIXTURES
from .processes import run_tracer

UNZIPPED = FIXTURES / "whatsapp" / "Chat WhatsApp dengan Grup Distribusi"
SPANISH = FIXTURES / "whatsapp" / "android_es" / "Chat de WhatsApp con Kominfo Distribusi.txt"
EMPTY = "a message with no text, picture or video"


def test_a_changed_chat_is_a_conflict_at_its_line_in_the_export(
    store: Store, tmp_path: Path
) -> None:
    first = convert.ingest_export(store, UNZIPPED)
    assert first.ingested == 3
    changed = tmp_path / UNZIPPED.name
    shutil.copytree(UNZIPPED, changed)
    chat = changed / f"{UNZIPPED.name}.txt"
    chat.write_text(chat.read_text("utf-8").replace("Cuti Bersama", "Cuti bersama"), "utf-8")
    again = convert.ingest_export(store, changed)
    assert [(c.file, c.line, c.field) for c in again.conflicts] == [(str(chat), 9, "post_id")]
    assert "tracer-staging" not in orjson.dumps(again.to_json()).decode()


def test_an_account_described_anew_is_a_conflict_named_by_the_export(store: Store) -> None:
    export = FIXTURES / "crowdtangle_field" / "reduced.csv"
    convert.ingest_export(store, export, options=AdapterOptions(tier="central"))
    again = convert.ingest_export(store, export, options=AdapterOptions(tier="province"))
    assert {(c.file, c.field) for c in again.conflicts} == {(str(export), "account_id")}
    assert "tracer-staging" not in orjson.dumps(again.to_json()).decode()


def test_the_ingest_report_counts_skips_by_reason_with_the_first_places(store: Store) -> None:
    report = convert.ingest_export(store, UNZIPPED)
    skipped = report.to_json()["skipped"]
    chat = UNZIPPED / f"{UNZIPPED.name}.txt"
    assert skipped == {
        EMPTY: {"count": 2, "first": [f"{chat}:7", f"{chat}:8"]},
        "a WhatsApp notice, not a message": {"count": 1, "first": [f"{chat}:1"]},
    }


def test_cli_convert_shows_skips_and_takes_the_date_order(tmp_path: Path) -> None:
    table = run_tracer("convert", str(SPANISH), "--out", str(tmp_path / "a"))
    assert table.returncode == 0, table.stderr
    assert "skipped (not posts)" in table.stdout
    assert f"1 skipped: {EMPTY} (first: {SPANISH}:5)" in table.stderr
    result = run_tracer(
        "convert", str(SPANISH), "--out", str(tmp_path / "b"), "--month-first", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert report["skipped"]["a deleted message"] == {"count": 1, "first": [f"{SPANISH}:6"]}
    first = orjson.loads((tmp_path / "b" / "posts.jsonl").read_bytes().splitlines()[0])
    assert first["published_at"].startswith("2022-09-10")  # month first, as asked


def test_cli_ingest_shows_skips(tmp_path: Path) -> None:
    result = run_tracer("--db", str(tmp_path / "t.db"), "ingest", str(UNZIPPED), "--no-ocr")
    assert result.returncode == 0, result.stderr
    assert "skipped (not posts)" in result.stdout
    assert f"2 skipped: {EMPTY}" in result.stderr
