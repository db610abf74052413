"""The `tracer` command end to end, as a subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from .conftest import RELEASE_FAMILY, SCENARIO, CorpusBuilder, post_line
from .processes import run_tracer, serving


@pytest.fixture(scope="module")
def api(scenario_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("cli-serve") / "serve.log"
    with serving(scenario_db, log) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def as_json(stdout: str) -> Any:
    return orjson.loads(stdout)


def assert_clean_error(result: Any, code: int, *needles: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


# --- ingest ---------------------------------------------------------------------------


def test_ingest_prints_the_summary_table(scenario_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = run_tracer("--db", str(db), "ingest", str(scenario_dir))
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip("│|┃ ").split("│")]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    assert rows["ingested"] == str(len(SCENARIO))
    assert rows["unchanged"] == "0"
    assert rows["conflicts"] == "0"
    assert rows["errors"] == "0"
    assert db.is_file()
    # Again: nothing new, still a success.
    again = run_tracer("--db", str(db), "ingest", str(scenario_dir), "--json")
    assert again.returncode == 0
    report = as_json(again.stdout)
    assert (report["ingested"], report["unchanged"]) == (0, len(SCENARIO))


def test_ingest_json_report_lists_errors_by_line(
    corpus_builder: CorpusBuilder, tmp_path: Path
) -> None:
    folder = (
        corpus_builder.add(post_line("ok", "banten", "2024-01-27T08:15:00+07:00", "Teks yang sah"))
        .raw("{not json")
        .add(post_line("naive", "banten", "2024-01-27T08:15:00", "Teks tanpa zona"))
        .write()
    )
    result = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    report = as_json(result.stdout)
    assert report["ingested"] == 1
    assert report["unchanged"] == 0
    assert report["conflicts"] == []
    assert [e.split(": ", 1)[0].rsplit("/", 1)[-1] for e in report["errors"]] == [
        "posts.jsonl:2",
        "posts.jsonl:3",
    ]
    assert "published_at" in report["errors"][1]
    assert report["errors_by_kind"] == {"posts.jsonl: (line)": 1, "posts.jsonl: published_at": 1}
    assert isinstance(report["seconds"], float)


def test_ingest_assume_tz(corpus_builder: CorpusBuilder, tmp_path: Path) -> None:
    folder = corpus_builder.add(
        post_line("naive", "banten", "2024-01-27T08:15:00", "Teks tanpa zona")
    ).write()
    db = str(tmp_path / "x.db")
    result = run_tracer("--db", db, "ingest", str(folder), "--assume-tz", "WIB", "--json")
    assert result.returncode == 0, result.stderr
    assert as_json(result.stdout)["ingested"] == 1
    traced = as_json(run_tracer("--db", db, "trace", "naive", "--json").stdout)
    assert traced["post"]["published_at"] == "2024-01-27T01:15:00Z"


def test_ingest_with_an_unknown_zone_is_refused(
    corpus_builder: CorpusBuilder, tmp_path: Path
) -> None:
    folder = corpus_builder.write()
    result = run_tracer(
        "--db", str(tmp_path / "x.db"), "ingest", str(folder), "--assume-tz", "Mars/Base"
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Mars/Base" in result.stderr


def test_ingest_of_a_missing_folder_fails_with_a_message(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    result = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(missing))
    assert_clean_error(result, 2, str(missing), "not a folder")


def test_ingest_of_nothing_readable_exits_non_zero(
    corpus_builder: CorpusBuilder, tmp_path: Path
) -> None:
    folder = corpus_builder.raw("{broken").write()
    result = run_tracer("--db", str(tmp_path / "x.db"), "ingest", str(folder), "--json")
    assert result.returncode == 1
    assert as_json(result.stdout)["ingested"] == 0


def test_db_from_the_environment(scenario_db: Path) -> None:
    result = run_tracer("verify", "serang-20240127", "--json", env={"TRACER_DB": str(scenario_db)})
    assert result.returncode == 0, result.stderr
    assert as_json(result.stdout)["verdict"] == "supported"


# --- trace, verify, export ---------------------------------------------------------------


@pytest.mark.parametrize("post_id", ["serang-20240127", "lebak-jembatan", "detik-cuti"])
def test_trace_and_verify_json_equal_the_api(
    scenario_db: Path, api: httpx.Client, post_id: str
) -> None:
    for command in ("trace", "verify"):
        result = run_tracer("--db", str(scenario_db), command, post_id, "--json")
        assert result.returncode == 0, result.stderr
        response = api.get(f"/{command}", params={"post": post_id})
        assert response.status_code == 200
        assert as_json(result.stdout) == response.json()


def test_trace_prints_the_tree(scenario_db: Path) -> None:
    result = run_tracer("--db", str(scenario_db), "trace", "serang-20240127")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "release: kominfo-20240126 · kominfo" in out
    assert "path: kominfo-20240126 → banten-ig-20240127 → serang-20240127" in out
    assert "2024-01-26 19:33:00 WIB" in out  # shown in the viewer's zone
    assert "◀ this post" in out
    for post_id in RELEASE_FAMILY:
        assert post_id in out


def test_verify_prints_the_verdict(scenario_db: Path) -> None:
    result = run_tracer("--db", str(scenario_db), "verify", "detik-cuti")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Tidak didukung — diunggah sebelum rilis pusatnya" in out
    assert "Not supported — posted before its central release" in out
    assert "• Rilis / Release: kominfo-wa-cuti" in out
    assert "WIB" in out and "['" not in out  # local times, no Python lists


def test_trace_by_url(scenario_db: Path) -> None:
    result = run_tracer(
        "--db", str(scenario_db), "trace", "https://instagram.com/p/C2bantenPemilu?igsh=1", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert as_json(result.stdout)["post"]["post_id"] == "banten-ig-20240127"


def test_export_json_is_node_link(scenario_db: Path, tmp_path: Path) -> None:
    family_id = as_json(
        run_tracer("--db", str(scenario_db), "trace", "serang-20240127", "--json").stdout
    )["family_id"]
    result = run_tracer("--db", str(scenario_db), "export", family_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    graph = as_json(result.stdout)
    assert graph["directed"] is True
    assert {n["id"] for n in graph["nodes"]} == RELEASE_FAMILY
    assert "edges" in graph and "links" not in graph
    assert len(graph["edges"]) == len(RELEASE_FAMILY) - 1
    assert all(
        {"source", "target", "lag_seconds", "modality", "scores"} <= set(e) for e in graph["edges"]
    )
    out = tmp_path / "family.json"
    written = run_tracer(
        "--db", str(scenario_db), "export", family_id, "--format", "json", "--out", str(out)
    )
    assert written.returncode == 0
    assert orjson.loads(out.read_bytes()) == graph


def test_export_of_an_unknown_family(scenario_db: Path) -> None:
    result = run_tracer("--db", str(scenario_db), "export", "F424242", "--format", "json")
    assert_clean_error(result, 1, "F424242")


def test_export_with_an_unsupported_format(scenario_db: Path) -> None:
    result = run_tracer("--db", str(scenario_db), "export", "F1", "--format", "pdf")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "pdf" in result.stderr


@pytest.mark.parametrize("command", ["trace", "verify"])
def test_unknown_post_exits_1_with_one_line(scenario_db: Path, command: str) -> None:
    result = run_tracer("--db", str(scenario_db), command, "no-such-post")
    assert_clean_error(result, 1, "no-such-post")
    assert result.stdout == ""


def test_missing_database_is_not_created_by_trace(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = run_tracer("--db", str(db), "trace", "x")
    assert_clean_error(result, 2, str(db))
    assert not db.exists()


def test_help_lists_the_commands() -> None:
    result = run_tracer("--help")
    assert result.returncode == 0
    for command in ("ingest", "trace", "verify", "export", "serve"):
        assert command in result.stdout
