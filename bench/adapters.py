"""Streaming ingest of a large Zeeschuimer export: memory and speed.

    .venv/bin/python -m bench.adapters                      # 256 MB, 512 MB and 1 GB
    .venv/bin/python -m bench.adapters --sizes-mb 64        # a quick look

For each size it writes a seeded Zeeschuimer NDJSON export (Instagram items about as
large as real ones, ~15 KB, their captions from `synthetic`: releases, copies
and local posts), streamed to `bench/out/adapters/`, then measures in child processes,
polling the resident memory of each process tree:

- the empty process: Python with `tracer.cli` imported, doing nothing (the baseline
  every peak is reported above);
- baseline: one plain `json.loads` pass over the file (read a line, decode it);
- `tracer convert --format zeeschuimer`: the adapter and the corpus writer alone;
- `tracer ingest --format zeeschuimer` into a new database that holds the offices'
  accounts (as `tracer accounts import` would store them; `--no-registry` leaves every
  author `other`): the whole road (convert to a staging corpus, then the canonical
  ingest with its worker process).

The target (issue 6): peak RSS of the ingest at most 500 MB above the empty process.
Results go to stdout and `bench/out/adapters-results.json`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import psutil

from synthetic import accounts_of, iter_scale_corpus, scale_offices
from tracer.corpus import POSTS_FILE, write_corpus
from tracer.models import Account

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "adapters"
BIN = Path(sys.executable).parent
POLL = 0.05
TARGET_MB = 500

JSON_PASS = """
import json, sys, time
started = time.perf_counter()
n = 0
with open(sys.argv[1], "rb") as stream:
    for line in stream:
        if line.strip():
            json.loads(line)
            n += 1
print(n, time.perf_counter() - started)
"""


# --- the export ------------------------------------------------------------------------


def _candidates(rng: random.Random, pk: int) -> list[dict[str, Any]]:
    """Image renditions as Instagram's web app lists them: signed CDN URLs, ~350 B each."""
    out = []
    for width in (1080, 750, 640, 480, 320, 240, 150):
        token = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=180))
        out.append(
            {
                "width": width,
                "height": width,
                "url": f"https://scontent-cgk1-1.cdninstagram.com/v/t51.29350-15/{pk}_n.jpg"
                f"?stp=dst-jpg_e35_s{width}x{width}&_nc_ht=scontent&_nc_ohc={token}&oe=65B8",
                "scans_profile": "e35",
            }
        )
    return out


def _item(post: Any, number: int, rng: random.Random) -> dict[str, Any]:
    pk = 3_200_000_000_000_000_000 + number
    handle = post.account_id
    user = {
        "pk": str(1_000_000 + zlib.crc32(handle.encode()) % 1_000_000),
        "username": handle,
        "full_name": handle.replace("-", " ").title(),
        "is_private": False,
        "is_verified": True,
        "profile_pic_url": "https://scontent.cdninstagram.com/v/t51.2885-19/" + "p" * 120,
    }
    carousel = [
        {
            "id": f"{pk + i}_{user['pk']}",
            "media_type": 1,
            "image_versions2": {"candidates": _candidates(rng, pk + i)},
            "original_width": 1080,
            "original_height": 1080,
        }
        for i in range(rng.randint(1, 4))
    ]
    return {
        "nav_index": f"1:{number}:0",
        "item_id": f"{pk}_{user['pk']}",
        "timestamp_collected": (post.timestamp + 86_400) * 1000,
        "source_platform": "instagram.com",
        "source_platform_url": f"https://www.instagram.com/{handle}/",
        "source_url": "https://www.instagram.com/api/v1/feed/user/" + user["pk"] + "/",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "data": {
            "id": f"{pk}_{user['pk']}",
            "pk": pk,
            "code": f"C{number:010d}",
            "taken_at": post.timestamp,
            "media_type": 8,
            "caption": {"text": post.text, "created_at": post.timestamp, "pk": str(pk + 7)},
            "user": user,
            "owner": user,
            "like_count": rng.randint(0, 50_000),
            "comment_count": rng.randint(0, 2_000),
            "carousel_media_count": len(carousel),
            "carousel_media": carousel,
            "image_versions2": {"candidates": _candidates(rng, pk)},
        },
    }


def write_export(path: Path, size_mb: int, seed: int) -> tuple[int, int]:
    """Stream items until the file reaches `size_mb`; returns (records, bytes)."""
    rng = random.Random(seed)
    limit = size_mb << 20
    written = records = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for number, (post, _release) in enumerate(iter_scale_corpus(seed, 10**8)):
            line = orjson.dumps(_item(post, number, rng)) + b"\n"
            out.write(line)
            written += len(line)
            records += 1
            if written >= limit:
                break
    return records, written


def export_for(size_mb: int, seed: int) -> tuple[Path, int]:
    """The export of this size, written once and reused (a stamp keeps its count)."""
    path = OUT / f"zeeschuimer-{size_mb}mb-seed{seed}.ndjson"
    stamp = path.with_suffix(".count")
    if not (path.is_file() and stamp.is_file()):
        started = time.perf_counter()
        records, size = write_export(path, size_mb, seed)
        stamp.write_text(str(records))
        print(
            f"wrote {path.name}: {records} records, {size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    return path, int(stamp.read_text())


def write_registry(folder: Path, seed: int) -> Path:
    """The offices' accounts under the ids the adapter gives their authors
    (`instagram:<handle>`), with tiers and parents: what `tracer accounts import` does
    before an analyst ingests an export. Without it every author would be tier `other`."""

    def renamed(account_id: str) -> str:
        return f"instagram:{account_id.casefold()}"

    accounts = [
        Account(
            renamed(a.account_id),
            "instagram",
            a.account_id,
            a.name,
            a.tier,
            a.region,
            renamed(a.parent_id) if a.parent_id else None,
        )
        for a in accounts_of(scale_offices(seed))
    ]
    write_corpus(folder, accounts, ())
    (folder / POSTS_FILE).write_bytes(b"")
    return folder


# --- measuring a child -------------------------------------------------------------------


def run_measured(command: list[str]) -> tuple[float, float, float, str]:
    """Run a command; returns (seconds, peak RSS of its main process, peak RSS of its
    whole process tree, in MB, sampled every 50 ms) and its stdout."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    main = psutil.Process(child.pid)
    peak_main = peak_tree = 0
    while child.poll() is None:
        try:
            rss_main = main.memory_info().rss
            rss_tree = rss_main + sum(_rss(p) for p in main.children(recursive=True))
        except psutil.NoSuchProcess:
            break
        peak_main, peak_tree = max(peak_main, rss_main), max(peak_tree, rss_tree)
        time.sleep(POLL)
    stdout = child.communicate()[0].decode()
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return seconds, peak_main / 2**20, peak_tree / 2**20, stdout


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.NoSuchProcess:
        return 0


def measure(size_mb: int, seed: int, empty_mb: float, registry: bool) -> dict[str, Any]:
    path, records = export_for(size_mb, seed)
    python, tracer = str(BIN / "python"), str(BIN / "tracer")
    seconds, json_mb, _, _ = run_measured([python, "-c", JSON_PASS, str(path)])
    row: dict[str, Any] = {
        "size_mb": size_mb,
        "records": records,
        "json_loads_records_per_s": round(records / seconds),
        "json_loads_peak_mb": round(json_mb),
    }
    converted = OUT / f"converted-{size_mb}"
    shutil.rmtree(converted, ignore_errors=True)
    seconds, convert_mb, _, _ = run_measured(
        [tracer, "convert", str(path), "--format", "zeeschuimer", "--out", str(converted), "--json"]
    )
    shutil.rmtree(converted, ignore_errors=True)
    row.update(convert_records_per_s=round(records / seconds), convert_peak_mb=round(convert_mb))
    db = OUT / f"ingest-{size_mb}.db"
    for stale in OUT.glob(f"ingest-{size_mb}.db*"):
        stale.unlink()
    if registry:
        offices = write_registry(OUT / "registry", seed)
        run_measured([tracer, "--db", str(db), "ingest", str(offices), "--json"])
    seconds, ingest_mb, tree_mb, stdout = run_measured(
        [tracer, "--db", str(db), "ingest", str(path), "--format", "zeeschuimer", "--json"]
    )
    report = orjson.loads(stdout)
    row.update(
        ingested=report["ingested"],
        ingest_errors=len(report["errors"]),
        ingest_records_per_s=round(records / seconds),
        ingest_seconds=round(seconds, 1),
        ingest_peak_mb=round(ingest_mb),
        ingest_tree_peak_mb=round(tree_mb),
        ingest_above_empty_mb=round(ingest_mb - empty_mb),
        ingest_tree_above_empty_mb=round(tree_mb - empty_mb),
        speed_vs_json_loads=round(row["json_loads_records_per_s"] / (records / seconds), 1),
    )
    for stale in OUT.glob(f"ingest-{size_mb}.db*"):
        stale.unlink()
    return row


def _table(rows: list[dict[str, Any]], empty_mb: float) -> Iterator[str]:
    yield f"empty process (python + tracer.cli imported): {empty_mb:.0f} MB"
    columns = [
        ("size_mb", "MB"),
        ("records", "records"),
        ("json_loads_records_per_s", "json.loads rec/s"),
        ("json_loads_peak_mb", "json.loads peak"),
        ("convert_records_per_s", "convert rec/s"),
        ("convert_peak_mb", "convert peak"),
        ("ingest_records_per_s", "ingest rec/s"),
        ("ingest_peak_mb", "ingest peak"),
        ("ingest_above_empty_mb", "above empty"),
        ("ingest_tree_above_empty_mb", "tree above empty"),
    ]
    yield " | ".join(title for _, title in columns)
    for row in rows:
        yield " | ".join(str(row[key]) for key, _ in columns)
    worst = max(r["ingest_tree_above_empty_mb"] for r in rows)
    verdict = "met" if worst <= TARGET_MB else "MISSED"
    yield f"target: ingest peak ≤ {TARGET_MB} MB above the empty process (whole tree): {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", default="256,512,1024", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated exports")
    parser.add_argument(
        "--no-registry",
        action="store_true",
        help="ingest without first storing the offices' accounts (every author `other`)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes_mb.split(",") if s.strip()]
    _, empty_mb, _, _ = run_measured(
        [str(BIN / "python"), "-c", "import time, tracer.cli; time.sleep(1)"]
    )
    rows = []
    for size in sizes:
        rows.append(measure(size, args.seed, empty_mb, not args.no_registry))
        print(orjson.dumps(rows[-1]).decode(), file=sys.stderr)
    for line in _table(rows, empty_mb):
        print(line)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"empty_mb": round(empty_mb), "registry": not args.no_registry, "rows": rows}
    (OUT.parent / "adapters-results.json").write_bytes(
        orjson.dumps(results, option=orjson.OPT_INDENT_2)
    )
    if not args.keep:
        for size in sizes:
            for stale in OUT.glob(f"zeeschuimer-{size}mb-*"):
                stale.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
