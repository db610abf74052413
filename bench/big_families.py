"""Big families served fast: `/trace` and `/families/{id}/graph` on families of ~600
posts against families of ~20, with the family graph cache on and off, same run.

    python -m bench.big_families                       # 10,000 posts + 4 releases × 650 copies
    python -m bench.big_families --db postgresql://postgres@127.0.0.1/tracer_bigfam

The corpus is the seeded scale corpus with `--big` releases that `--size` regional
accounts each re-post (`bench.gen_corpus --big-families`); it is written and ingested
once (an SQLite file under bench/out/, or an empty PostgreSQL database). Two servers
(`tracer serve --workers N`) run side by side: the cache off (`TRACER_GRAPH_CACHE_MB=0`,
every answer built afresh: the baseline) and on (the default bound). Each route is
loaded on one, then on the other, by `--clients` keep-alive clients (`bench.http_load`):
`/livez` (the framework's floor), `/trace` of posts of big and of small families, their
families' node-link graph, the big ones' Cytoscape elements, and the big graph asked
again with its `If-None-Match` (304).
Rounds are interleaved, so a burst of other work on the shared machine hits both modes;
the median round per route and mode is kept. Beside latency and throughput, which move
with whatever else the machine runs, the server's CPU time per request (its worker
processes' user + system time over the requests answered) is reported. Writes
`bench/out/bigfam-<db>-w<workers>-c<clients>.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.gen_corpus import generate
from bench.http_load import ROOT, TRACER, _label, _rss_mb, load, start_server

OUT = ROOT / "bench" / "out"
MODES = {"off": {"TRACER_GRAPH_CACHE_MB": "0"}, "on": {}}
"""The cache off (the baseline) and on, as the deployment sets it (default bound)."""


def prepare(db: str, posts: int, big: int, size: int, seed: int) -> None:
    """Write the corpus and ingest it, unless the database holds posts already."""
    from tracer.store import Store
    from tracer.store.schema import posts as posts_table

    if "://" in db or Path(db).is_file():
        store = Store.open(db)
        try:
            with store.engine.connect() as conn:
                if conn.execute(sa.select(posts_table.c.idx).limit(1)).first():
                    return
        finally:
            store.close()
    corpus = OUT / f"bigfam-corpus-{posts}-{big}x{size}"
    generate(corpus, posts, seed, big, size)
    command = [TRACER, "--db", db, "ingest", str(corpus), "--json"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def pick(db: str, seed: int) -> dict[str, list[str]]:
    """Family ids and post ids of the big families (400 posts or more) and of small
    ones (15 to 30 posts)."""
    from tracer.store import Store
    from tracer.store.schema import families, posts

    rng = random.Random(seed)
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            sizes = dict(conn.execute(sa.select(families.c.family_id, families.c.size)).all())
            big = sorted(f for f, n in sizes.items() if n >= 400)
            small = sorted(f for f, n in sizes.items() if 15 <= n <= 30)
            small = rng.sample(small, min(len(small), 40))
            stmt = sa.select(posts.c.post_id, posts.c.family_id)
            family_of = dict(conn.execute(stmt.where(posts.c.family_id.in_(big + small))).all())
    finally:
        store.close()
    if not big or not small:
        raise SystemExit(f"{db}: no big families (400+ posts) or no small ones (15-30)")
    big_posts = [p for p, f in family_of.items() if f in set(big)]
    small_posts = [p for p, f in family_of.items() if f not in set(big)]
    return {
        "big_families": [f"F{f}" for f in big],
        "small_families": [f"F{f}" for f in small],
        "big_posts": rng.sample(sorted(big_posts), min(2000, len(big_posts))),
        "small_posts": sorted(small_posts),
        "big_sizes": [sizes[f] for f in big],
        "small_sizes": [sizes[f] for f in small],
    }


def trace_path(post: str) -> str:
    return f"/trace?post={urllib.parse.quote(post, safe='')}"


def routes(ids: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        "/livez (baseline)": ["/livez"],
        "/trace big": [trace_path(p) for p in ids["big_posts"]],
        "/trace small": [trace_path(p) for p in ids["small_posts"]],
        "graph big": [f"/families/{f}/graph" for f in ids["big_families"]],
        "graph small": [f"/families/{f}/graph" for f in ids["small_families"]],
        "cytoscape big": [f"/families/{f}/graph?format=cytoscape" for f in ids["big_families"]],
        "graph big, 304": [f"/families/{f}/graph" for f in ids["big_families"]],
    }


def etags(port: int, paths: list[str]) -> dict[str, str]:
    """`If-None-Match` header lines naming each path's current entity tag."""
    out: dict[str, str] = {}
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            out[path] = f"If-None-Match: {r.headers['ETag']}\r\n"
    return out


def run_all(
    args: argparse.Namespace, paths: dict[str, list[str]]
) -> tuple[dict[str, dict[str, list[dict[str, Any]]]], dict[str, int]]:
    """Both servers (cache off and on) up at once, each route loaded on one then the
    other, round after round: a burst of other work on the shared machine hits both."""
    ports = {mode: args.port + n for n, mode in enumerate(MODES)}
    servers = {}
    try:
        for mode, port in ports.items():
            log = OUT / f"bigfam-{_label(args.db)}-{mode}.serve.log"
            servers[mode] = start_server(args.db, port, args.workers, log, MODES[mode]).process
        headers = {mode: etags(port, paths["graph big, 304"]) for mode, port in ports.items()}

        def run(mode: str, route: str, requests: int, seconds: float) -> dict[str, Any]:
            sent = headers[mode] if route.endswith("304") else None
            some, port = paths[route], ports[mode]
            server, client = cpu_seconds(servers[mode].pid), cpu_seconds(os.getpid())
            done = asyncio.run(
                load("127.0.0.1", [port], route, some, args.clients, requests, seconds, sent)
            )
            count = max(1, len(done.latencies))
            server = (cpu_seconds(servers[mode].pid) - server) * 1000 / count
            client = (cpu_seconds(os.getpid()) - client) * 1000 / count
            return done.summary() | {
                "server_cpu_ms": round(server, 3),
                "client_cpu_ms": round(client, 3),
            }

        for mode in MODES:  # warm: every worker builds what it serves
            for route in paths:
                run(mode, route, 200, 10)
        rounds: dict[str, dict[str, list[dict[str, Any]]]] = {
            mode: {r: [] for r in paths} for mode in MODES
        }
        for _ in range(args.rounds):
            for route in paths:
                for mode in MODES:
                    rounds[mode][route].append(run(mode, route, args.requests, args.seconds))
        rss = {mode: _rss_mb(server.pid) for mode, server in servers.items()}
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    return rounds, rss


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (a server's workers)."""
    import psutil

    process = psutil.Process(pid)
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        times = p.cpu_times()
        total += times.user + times.system
    return total


def median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: float(r["rps"]))[len(runs) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file or PostgreSQL URL (default: under bench/out)")
    parser.add_argument("--posts", type=int, default=10_000, help="scale corpus posts")
    parser.add_argument("--big", type=int, default=4, help="releases every office re-posts")
    parser.add_argument("--size", type=int, default=650, help="copies of each big release")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=3000, help="per route and round")
    parser.add_argument("--seconds", type=float, default=10.0, help="at most, per route/round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=18865)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    args.db = args.db or str(OUT / f"bigfam-{args.posts}-{args.big}x{args.size}.db")
    prepare(args.db, args.posts, args.big, args.size, args.seed)
    ids = pick(args.db, args.seed)
    paths = routes(ids)
    load_before = os.getloadavg()[0]
    raw, rss = run_all(args, paths)
    results = {mode: {r: median(runs) for r, runs in raw[mode].items()} for mode in MODES}
    load_after = os.getloadavg()[0]
    print(
        f"db={_label(args.db)}: big families {ids['big_sizes']} posts, "
        f"{len(ids['small_families'])} small ones of {min(ids['small_sizes'])}-"
        f"{max(ids['small_sizes'])}; clients={args.clients} workers={args.workers}; median "
        f"of {args.rounds} rounds; load average {load_before:.1f} before, {load_after:.1f} "
        f"after, {os.cpu_count()} cores; RSS after the load: off {rss['off']} MB, "
        f"on {rss['on']} MB"
    )
    print(
        f"{'route':18} {'cache':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'non-2xx':>7} {'CPU ms/req':>10} {'on/off req/s':>12} {'p95 off/on':>10}"
    )
    for route in paths:
        for mode in MODES:
            r = results[mode][route]
            off = results["off"][route]
            bad = int(r["non_200"]) - (int(r["requests"]) if route.endswith("304") else 0)
            ratio = f"{float(r['rps']) / max(float(off['rps']), 0.1):.2f}x" if mode == "on" else ""
            p95 = f"{float(off['p95_ms']) / max(float(r['p95_ms']), 0.01):.2f}x" if ratio else ""
            print(
                f"{route:18} {mode:>5} {r['rps']:>7} {r['p50_ms']:>7} {r['p95_ms']:>7} "
                f"{r['p99_ms']:>7} {bad:>7} {r['server_cpu_ms']:>10} {ratio:>12} {p95:>10}"
            )
    for mode in MODES:
        big, small = results[mode]["/trace big"], results[mode]["/trace small"]
        print(
            f"cache {mode}: /trace big / small: p50 {big['p50_ms']} / {small['p50_ms']} ms "
            f"({float(big['p50_ms']) / max(float(small['p50_ms']), 0.01):.2f}x), req/s "
            f"{big['rps']} / {small['rps']}, server CPU {big['server_cpu_ms']} / "
            f"{small['server_cpu_ms']} ms a request "
            f"({float(big['server_cpu_ms']) / max(float(small['server_cpu_ms']), 0.001):.2f}x)"
        )
    name = f"bigfam-{_label(args.db)}-w{args.workers}-c{args.clients}.json"
    record = {
        "args": vars(args),
        "load_average": (load_before, load_after),
        "rss_mb": rss,
        "big_sizes": ids["big_sizes"],
        "results": results,
        "rounds": raw,
    }
    (OUT / name).write_text(json.dumps(record, indent=2))
    return 1 if any(int(r["5xx"]) for m in results.values() for r in m.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
