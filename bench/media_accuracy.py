"""Media accuracy: how right tracer is on the seeded media corpus of issue 10.

    .venv/bin/python -m bench.media_accuracy [--posts 2000] [--seed 7] [--db FILE_OR_URL]
        [--skip-ingest]

Generates the corpus once (cached in bench/out/media-<posts>-<seed>/), ingests it with
`tracer ingest` in a child process (posts/s, peak RSS), reads every post's family,
parent, verdict and `altered` back through tracer's library, and prints each figure
beside the issue's goal, then the worst offenders: the largest predicted families that
hold several true families, with the stored matches that joined them. Writes
bench/out/media-accuracy-<posts>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from synthetic.media_corpus import plan_media_corpus
from synthetic.media_render import TRUTH_FILE, write_media_corpus
from synthetic.scoring import Ratio, mixed_families, score
from tracer.store import Store
from tracer.store.listings import list_posts
from tracer.verification import verify_post as verify

OUT = Path(__file__).resolve().parent / "out"
GOALS = {
    "pair_precision": ">= 0.99",
    "pair_recall": ">= 0.97",
    "release_named": ">= 0.98",
    "unrelated_in_family": "<= 0.005",
    "unrelated_template_poster": "<= 0.01",
    "chain_parent": ">= 0.95",
    "verdict": ">= 0.98",
    "altered": ">= 0.95",
}


def corpus(posts: int, seed: int) -> Path:
    """The corpus folder, generated on first use."""
    folder = OUT / f"media-{posts}-{seed}"
    if not (folder / TRUTH_FILE).is_file():
        started = time.perf_counter()
        write_media_corpus(plan_media_corpus(seed, posts), folder)
        print(f"generated {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def ingest(folder: Path, db: str) -> dict[str, Any]:
    """`tracer ingest` in a child process: its report, wall time and peak RSS (of the
    child and the workers it waited for, not of this process's corpus drawing). A
    SQLite file is removed first; a database server's database must be new (createdb)."""
    if "://" not in db:
        for stale in (db, f"{db}-wal", f"{db}-shm"):
            Path(stale).unlink(missing_ok=True)
    tracer = Path(sys.executable).with_name("tracer")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [str(tracer), "--db", str(db), "ingest", str(folder), "--json"], stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            sys.exit(f"tracer ingest failed ({child.returncode}): {err.read()[-2000:].decode()}")
        report: dict[str, Any] = json.loads(out.read())
    rss = usage.ru_maxrss / 1024
    # The child's own time and its workers' (reaped by it): the work done, whatever else
    # the machine was running.
    cpu = usage.ru_utime + usage.ru_stime
    load = round(os.getloadavg()[0], 1)
    return {
        "report": report,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "load_after": load,
        "peak_rss_mb": round(rss),
    }


def predictions(store: Store) -> dict[str, dict[str, Any]]:
    """Every stored post's family, parent, verdict, `altered`, time and tier."""
    out: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        page = list_posts(store, limit=1000, cursor=cursor)
        for item in page.items:
            out[item["post_id"]] = {
                "family": item["family_id"],
                "tier": item["tier"],
                "parent": None,
                "ts": int(_seconds(item["published_at"])),
            }
        if not page.next:
            break
        cursor = page.next
    families = {p["family"] for p in out.values() if p["family"]}
    for family in sorted(families):
        for post, _edge in store.family_posts(int(family[1:])):
            out[post.post_id]["parent"] = post.parent_id
    for post_id, p in out.items():
        report = verify(store, post_id)
        p["verdict"], p["altered"] = report.verdict, report.altered
    return out


def _seconds(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def offenders(
    store: Store, truth: dict[str, Any], pred: dict[str, Any], top: int
) -> list[dict[str, Any]]:
    """The worst mixed families, with the stored matches between their true families."""
    true_family = {p: t["family"] for p, t in truth.items()}
    worst = mixed_families(true_family, {p: v["family"] for p, v in pred.items()}, top)
    for family in worst:
        members = {p for p, v in pred.items() if v["family"] == family["family"]}
        joins: Counter[str] = Counter()
        examples: list[dict[str, Any]] = []
        for post in sorted(members):
            for match in store.evidence(post):
                other = match["post_id"]
                if other not in members or other < post:
                    continue
                a, b = true_family.get(post), true_family.get(other)
                if a is not None and a == b:
                    continue
                kinds = f"{_kind(truth[post])}~{_kind(truth[other])}"
                joins[f"{match['modality']}: {kinds}"] += 1
                if len(examples) < 4:
                    examples.append(
                        {
                            "posts": [post, other],
                            "families": [a, b],
                            "modality": match["modality"],
                            "scores": match["scores"],
                        }
                    )
        family["wrong_matches"] = dict(joins.most_common(8))
        family["examples"] = examples
    return worst


def _kind(info: dict[str, Any]) -> str:
    return str(info["subtype"] or info["kind"])


def _fmt(ratio: Ratio) -> str:
    value = ratio.value
    return "n/a" if value is None else f"{value:.3f} ({ratio.right}/{ratio.total})"


def table(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = [
        ("same-family pairs: precision", _fmt(figures["pair_precision"]), GOALS["pair_precision"]),
        ("same-family pairs: recall", _fmt(figures["pair_recall"]), GOALS["pair_recall"]),
    ]
    for key, ratio in figures["release_named"].items():
        rows.append((f"release named right: {key} copies", _fmt(ratio), GOALS["release_named"]))
    for key, ratio in figures["unrelated_in_family"].items():
        goal = GOALS[
            "unrelated_template_poster" if key == "template_poster" else "unrelated_in_family"
        ]
        rows.append(
            (
                f"unrelated in a family: {key}",
                _fmt(ratio),
                goal if key in ("all", "template_poster") else "",
            )
        )
    for key in ("chain_parent", "verdict", "altered"):
        rows.append((key.replace("_", " "), _fmt(figures[key]), GOALS[key]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", default=None, help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--skip-ingest", action="store_true", help="score an existing --db")
    parser.add_argument("--top", type=int, default=5, help="worst offenders to show")
    args = parser.parse_args(argv)
    folder = corpus(args.posts, args.seed)
    db = args.db or str(OUT / f"media-{args.posts}-{args.seed}.db")
    run: dict[str, Any] = {
        "posts": args.posts,
        "seed": args.seed,
        "corpus": str(folder),
        "db": str(db),
    }
    if not args.skip_ingest:
        run["ingest"] = ingest(folder, db)
        report = run["ingest"]["report"]
        run["ingest"]["posts_per_s"] = round(
            report["ingested"] / max(run["ingest"]["seconds"], 1e-9), 2
        )
        for key, value in report.items():  # OCR calls per picture, when the report has them
            if "ocr" in key:
                run["ingest"][key] = value
                print(f"ingest report: {key} = {value}")
        print(
            f"ingest: {report['ingested']} posts, {report['media_files']} files"
            f" in {run['ingest']['seconds']} s ({run['ingest']['posts_per_s']} posts/s),"
            f" {run['ingest']['cpu_seconds']} CPU-s (user+sys, workers included),"
            f" load {run['ingest']['load_after']} at the end,"
            f" peak RSS {run['ingest']['peak_rss_mb']} MB"
        )
    truth = json.loads((folder / TRUTH_FILE).read_text("utf-8"))["posts"]
    run["corpus_kinds"] = dict(sorted(Counter(_kind(t) for t in truth.values()).items()))
    files = Counter(m["kind"] for t in truth.values() for m in t["media"])
    run["corpus_files"] = dict(files)
    run["corpus_mb"] = round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6)
    print(
        f"corpus: {len(truth)} posts, {files['image']} pictures, {files['video']} clips,"
        f" {run['corpus_mb']} MB"
    )
    store = Store.open(db)
    try:
        pred = predictions(store)
        if len(pred) < len(truth):  # an ingest still under way, or stopped: score what is stored
            print(f"note: {len(pred)} of {len(truth)} posts are stored; scoring those")
            truth = {p: t for p, t in truth.items() if p in pred}
        run["scored_posts"] = len(truth)
        figures = score(
            truth,
            {p: v["family"] for p, v in pred.items()},
            {p: v["parent"] for p, v in pred.items()},
            {p: v["verdict"] for p, v in pred.items()},
            {p: v["altered"] for p, v in pred.items()},
            {p: v["ts"] for p, v in pred.items()},
            {p: v["tier"] for p, v in pred.items()},
        )
        worst = offenders(store, truth, pred, args.top)
    finally:
        store.close()
    print(f"\n{'figure':52} {'measured':28} goal")
    for name, value, goal in table(figures):
        print(f"{name:52} {value:28} {goal}")
    print("\nworst offenders (predicted families holding several true families):")
    for family in worst:
        print(
            f"  {family['family']}: {family['size']} posts,"
            f" {family['true_families']} true families {family['holds']}"
        )
        for join, n in family["wrong_matches"].items():
            print(f"    {n:4} × {join}")
    run["figures"] = {
        k: ({kk: r.to_json() for kk, r in v.items()} if isinstance(v, dict) else v.to_json())
        for k, v in figures.items()
    }
    run["worst_offenders"] = worst
    out = OUT / f"media-accuracy-{args.posts}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(run, indent=1, ensure_ascii=False), "utf-8")
    print(f"\nwritten {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
