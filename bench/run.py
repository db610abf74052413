"""Text-spine benchmark: ingest throughput and memory, /trace latency over HTTP, and the
quality of release attribution, each against a naive all-pairs rapidfuzz baseline
measured in the same run.

    python -m bench.run --posts 100000            # generates bench/out/corpus-100000 if missing
    python -m bench.run --posts 1000000 --trace-requests 1000

Prints a table of figures and writes them as JSON to bench/out/results-<posts>.json.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from rapidfuzz import fuzz, process

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def generate(out: Path, posts: int, seed: int) -> None:
    if (out / "truth.csv").is_file():
        return
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.gen_corpus",
            str(out),
            "--posts",
            str(posts),
            "--seed",
            str(seed),
        ],
        check=True,
        cwd=HERE.parent,
    )


def read_truth(corpus: Path) -> dict[str, str | None]:
    with (corpus / "truth.csv").open(newline="") as stream:
        return {row["post_id"]: row["release_id"] or None for row in csv.DictReader(stream)}


def timed_ingest(db: Path, corpus: Path) -> dict[str, Any]:
    """Ingest in a child process so its peak RSS is its own."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "tracer"), "--db", str(db), "ingest", str(corpus), "--json"],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"ingest failed with status {status}")
    report = orjson.loads(output)
    return {
        "posts": report["ingested"],
        "seconds": round(seconds, 2),
        "posts_per_s": round(report["ingested"] / seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "errors": len(report["errors"]),
    }


def predicted_releases(db: Path) -> dict[str, str | None]:
    """Each post's release as tracer attributes it: the earliest central post of its
    family, when published no later than the post (what `verify` calls supported)."""
    con = sqlite3.connect(db)
    rows = con.execute(
        """
        SELECT p.post_id, r.post_id, p.ts, r.ts
        FROM posts p
        LEFT JOIN families f ON f.family_id = p.family_id
        LEFT JOIN posts r ON r.idx = f.release_idx
        """
    ).fetchall()
    con.close()
    return {pid: (rid if rid is not None and rts <= ts else None) for pid, rid, ts, rts in rows}


def family_sizes(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT p.post_id, coalesce(f.size, 1) FROM posts p "
        "LEFT JOIN families f ON f.family_id = p.family_id"
    ).fetchall()
    con.close()
    return dict(rows)


def quality(
    truth: dict[str, str | None], predicted: dict[str, str | None], linked: dict[str, bool]
) -> dict[str, Any]:
    """Precision and recall of release attribution over copies (releases themselves
    excluded), and the share of unrelated posts linked to anything."""
    tp = fp = fn = 0
    unrelated = unrelated_linked = 0
    for pid, true_release in truth.items():
        if pid not in predicted or true_release == pid:
            continue
        guess = predicted[pid]
        if guess is not None and guess == true_release:
            tp += 1
        else:
            if guess is not None:
                fp += 1
            if true_release is not None:
                fn += 1
        if true_release is None:
            unrelated += 1
            unrelated_linked += linked.get(pid, False)
    return {
        "precision": round(tp / (tp + fp), 5) if tp + fp else None,
        "recall": round(tp / (tp + fn), 5) if tp + fn else None,
        "unrelated_linked_pct": round(100 * unrelated_linked / unrelated, 4) if unrelated else None,
        "copies": tp + fn,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def trace_latency(db: Path, post_ids: list[str], requests: int, seed: int) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "tracer"), "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TRACER_RATE_LIMIT": "0"},  # a benchmark, not a client to limit
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        with httpx.Client(base_url=base, timeout=10) as client:
            while True:  # until the warm-up (indexes, summaries) is done
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not get ready")
                time.sleep(0.2)
            rng = random.Random(seed)
            sample = [rng.choice(post_ids) for _ in range(requests)]
            for pid in sample[:20]:  # warm-up: connection, caches
                client.get("/trace", params={"post": pid})
            timings: list[float] = []
            failures = 0
            for pid in sample:
                t0 = time.perf_counter()
                response = client.get("/trace", params={"post": pid})
                timings.append((time.perf_counter() - t0) * 1000)
                failures += response.status_code != 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    timings.sort()
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "non_200": failures,
    }


def subset_corpus(corpus: Path, out: Path, n: int) -> list[dict[str, Any]]:
    """The first `n` posts of the corpus (file order), as their own corpus folder."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(corpus / "accounts.csv", out / "accounts.csv")
    lines: list[dict[str, Any]] = []
    with (corpus / "posts.jsonl").open("rb") as src, (out / "posts.jsonl").open("wb") as dst:
        for raw in src:
            if len(lines) == n:
                break
            dst.write(raw)
            lines.append(orjson.loads(raw))
    return lines


def baseline(
    posts: list[dict[str, Any]], tiers: dict[str, str], threshold: float
) -> tuple[dict[str, str | None], dict[str, bool], float]:
    """Naive all-pairs: rapidfuzz token_set_ratio between every pair, pairs at or above
    `threshold` joined into components, release = earliest central post of a component."""
    texts = [p["text"].lower() for p in posts]
    started = time.perf_counter()
    scores = process.cdist(
        texts, texts, scorer=fuzz.token_set_ratio, workers=-1, score_cutoff=threshold, dtype="uint8"
    )
    seconds = time.perf_counter() - started
    parent = list(range(len(posts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, cols = scores.nonzero()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if i < j:
            parent[find(i)] = find(j)
    order = sorted(range(len(posts)), key=lambda i: posts[i]["published_at_ts"])
    release_of: dict[int, int] = {}
    size: dict[int, int] = {}
    for i in order:
        root = find(i)
        size[root] = size.get(root, 0) + 1
        if tiers[posts[i]["account_id"]] == "central" and root not in release_of:
            release_of[root] = i
    predicted: dict[str, str | None] = {}
    linked: dict[str, bool] = {}
    for i, p in enumerate(posts):
        root = find(i)
        r = release_of.get(root)
        ok = r is not None and posts[r]["published_at_ts"] <= p["published_at_ts"]
        predicted[p["post_id"]] = posts[r]["post_id"] if ok and r is not None else None
        linked[p["post_id"]] = size[root] > 1
    return predicted, linked, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trace-requests", type=int, default=1000)
    parser.add_argument("--baseline-posts", type=int, default=5000)
    parser.add_argument("--baseline-threshold", type=float, default=80.0)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    from tracer.normalize import parse_instant

    out: Path = args.out
    corpus = out / f"corpus-{args.posts}"
    generate(corpus, args.posts, args.seed)
    truth = read_truth(corpus)
    results: dict[str, Any] = {"posts": args.posts, "seed": args.seed}

    db = out / f"bench-{args.posts}.db"
    results["ingest"] = timed_ingest(db, corpus)
    predicted = predicted_releases(db)
    linked = {pid: n > 1 for pid, n in family_sizes(db).items()}
    results["quality"] = quality(truth, predicted, linked)
    results["trace"] = trace_latency(db, list(predicted), args.trace_requests, args.seed)

    # Same-run comparison on a subset small enough for all pairs.
    sub = out / f"subset-{args.baseline_posts}"
    shutil.rmtree(sub, ignore_errors=True)
    lines = subset_corpus(corpus, sub, args.baseline_posts)
    for line in lines:
        line["published_at_ts"] = parse_instant(line["published_at"]).timestamp()
    with (corpus / "accounts.csv").open(newline="") as stream:
        tiers = {row["account_id"]: row["tier"] for row in csv.DictReader(stream)}
    sub_truth = {p["post_id"]: truth[p["post_id"]] for p in lines}
    sub_db = out / f"subset-{args.baseline_posts}.db"
    tracer_sub = timed_ingest(sub_db, sub)
    tracer_q = quality(
        sub_truth,
        predicted_releases(sub_db),
        {pid: n > 1 for pid, n in family_sizes(sub_db).items()},
    )
    base_pred, base_linked, base_seconds = baseline(lines, tiers, args.baseline_threshold)
    base_q = quality(sub_truth, base_pred, base_linked)
    n = len(lines)
    results["subset"] = {
        "posts": n,
        "tracer": {**tracer_sub, **tracer_q},
        "baseline": {
            "scorer": f"token_set_ratio >= {args.baseline_threshold}, all pairs",
            "pairs": n * n,
            "seconds": round(base_seconds, 2),
            "posts_per_s": round(n / base_seconds, 1),
            **base_q,
        },
        "speed_ratio": round(tracer_sub["posts_per_s"] / (n / base_seconds), 2),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / f"results-{args.posts}.json").write_bytes(
        orjson.dumps(results, option=orjson.OPT_INDENT_2)
    )
    print(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
