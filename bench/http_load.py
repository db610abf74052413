"""HTTP load: requests/s and latency of `/trace` and `/families/{id}/graph` under
concurrent clients, from this process against `tracer serve` in another, on loopback.

    python -m bench.http_load --db bench/out/bench-100000.db --clients 16 --requests 4000
    python -m bench.http_load --db postgresql://postgres@127.0.0.1/bench --replicas 2

`--db` is an SQLite file or a PostgreSQL URL; `--replicas N` starts N `tracer serve`
processes on the same database (ports `--port`, `--port`+1, …) and spreads the clients
over them round-robin, as a load balancer would; each replica's time from start to a
ready `/readyz` is reported.

The server runs with rate limiting off. Clients are asyncio tasks, each on its own
keep-alive connection with a minimal HTTP/1.1 exchange, so the client costs little of
the two cores the server also needs. Baseline, same run and load: `GET /livez`, the
framework's floor (no database). Bounded: `--requests` per route and `--seconds` each,
in `--rounds` interleaved rounds (the machine is shared: the median round is reported).
Each round also says what a request cost in CPU milliseconds: this process (the
clients), the servers, and every `postgres` process on the machine (other users'
backends included: an upper bound), and how busy the cores were meanwhile (1.0: all of
them all the time), to tell a slow route from a saturated machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
TRACER = str(Path(sys.executable).parent / "tracer")


@dataclass
class Result:
    route: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> dict[str, float | int | str]:
        ms = sorted(x * 1000 for x in self.latencies)
        q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
        return {
            "route": self.route,
            "requests": len(ms),
            "rps": round(len(ms) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(q[49], 2),
            "p95_ms": round(q[94], 2),
            "p99_ms": round(q[98], 2),
            "max_ms": round(ms[-1], 2),
            "5xx": sum(n for s, n in self.statuses.items() if s >= 500),
            "non_200": sum(n for s, n in self.statuses.items() if s != 200),
        }


async def _exchange(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    path: str,
    extra: str = "",
) -> int:
    """One GET; `extra`: more header lines (each ending with CRLF)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    if status in (204, 304):  # no body
        return status
    length = next(
        (
            int(v)
            for k, _, v in (ln.partition(":") for ln in lines[1:])
            if k.lower() == "content-length"
        ),
        None,
    )
    if length is None:
        raise RuntimeError(f"{path}: no content-length")
    await reader.readexactly(length)
    return status


async def _client(
    host: str,
    port: int,
    paths: list[str],
    deadline: float,
    budget: list[int],
    out: Result,
    headers: Mapping[str, str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            path = random.choice(paths)
            started = time.perf_counter()
            status = await _exchange(reader, writer, host, path, headers.get(path, ""))
            out.latencies.append(time.perf_counter() - started)
            out.statuses[status] = out.statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(
    host: str,
    ports: list[int],
    route: str,
    paths: list[str],
    clients: int,
    requests: int,
    seconds: float,
    headers: Mapping[str, str] | None = None,
) -> Result:
    """`clients` keep-alive clients spread round-robin over the servers on `ports`;
    `headers`: extra header lines to send with a path."""
    result = Result(route)
    budget = [requests]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(host, ports[n % len(ports)], paths, deadline, budget, result, headers or {})
            for n in range(clients)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def sample_ids(db: str, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Random posts, and random families (any size) of the database."""
    from tracer.store import Store
    from tracer.store.schema import families, posts

    rng = random.Random(seed)
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            top = conn.execute(sa.select(sa.func.max(posts.c.idx))).scalar_one()
            picks = [rng.randint(1, top) for _ in range(count)]
            found = conn.execute(sa.select(posts.c.post_id).where(posts.c.idx.in_(picks)))
            post_ids = [r[0] for r in found]
            shared = conn.execute(
                sa.select(families.c.family_id)
                .where(families.c.size > 1)
                .order_by(families.c.family_id)
            )
            family_ids = [f"F{r[0]}" for r in shared]
    finally:
        store.close()
    return post_ids, rng.sample(family_ids, min(count, len(family_ids)))


@dataclass
class Started:
    """A server started, when it first answered (any status), when `/readyz` said 200,
    and the CPU seconds it had used by then (its own and its workers')."""

    process: subprocess.Popen[bytes]
    answered: float
    ready: float
    cpu: float


def start_server(
    db: str, port: int, workers: int, log: Path, settings: Mapping[str, str] | None = None
) -> Started:
    """`tracer serve` with rate limiting off; `settings`: more `TRACER_*` variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env["TRACER_RATE_LIMIT"] = "0"
    env.update(settings or {})
    command = [TRACER, "--db", str(db), "serve", "--port", str(port), "--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 600
    ready = 0  # consecutive answers, on new connections, so that every worker is warm
    answered = ready_at = cpu = 0.0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                answered = answered or time.perf_counter() - started
                ready += 1
                if ready == 1:
                    ready_at, cpu = time.perf_counter() - started, _cpu_seconds(process.pid)
                if r.status == 200 and ready >= 20:
                    return Started(process, answered, ready_at, cpu)
        except urllib.error.HTTPError:  # 503 while warming up
            answered = answered or time.perf_counter() - started
            ready = 0
            time.sleep(0.05)
        except OSError:  # not listening yet
            ready = 0
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("server did not become ready")


def cpu_snapshot(servers: list[subprocess.Popen[bytes]]) -> dict[str, float]:
    """CPU seconds so far of this process (the clients), of the servers, of every
    PostgreSQL process (backends and the server's own), and of the whole machine
    (busy and all, from /proc/stat)."""
    import psutil

    def pg_cpu() -> dict[int, float]:
        found = {}
        for p in psutil.process_iter(["name"]):
            if p.info["name"] == "postgres":
                try:
                    t = p.cpu_times()
                except psutil.Error:
                    continue
                found[p.pid] = t.user + t.system
        return found

    own = psutil.Process().cpu_times()
    machine = psutil.cpu_times()
    total = sum(machine)
    snap = {
        "client": own.user + own.system,
        "servers": sum(_cpu_seconds(s.pid) for s in servers),
        "machine_busy": total - machine.idle - machine.iowait,
        "machine_all": total,
    }
    snap.update({f"pg{pid}": t for pid, t in pg_cpu().items()})
    return snap


def cpu_spent(before: dict[str, float], after: dict[str, float], run: Result) -> dict[str, float]:
    """CPU milliseconds a request of `run` cost the clients, the servers and PostgreSQL,
    and how busy the machine's cores were meanwhile (1.0: every core all the time)."""
    n = max(len(run.latencies), 1)
    pg = sum(t - before.get(k, 0.0) for k, t in after.items() if k.startswith("pg"))
    all_ = after["machine_all"] - before["machine_all"]
    return {
        "client_cpu_ms": round((after["client"] - before["client"]) * 1000 / n, 3),
        "server_cpu_ms": round((after["servers"] - before["servers"]) * 1000 / n, 3),
        "pg_cpu_ms": round(pg * 1000 / n, 3),
        "machine_busy": round((after["machine_busy"] - before["machine_busy"]) / all_, 3)
        if all_
        else 0.0,
    }


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) of a server and its worker processes so far."""
    import psutil

    process = psutil.Process(pid)
    times = [p.cpu_times() for p in [process, *process.children(recursive=True)]]
    return round(sum(t.user + t.system for t in times), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "bench-100000.db"))
    parser.add_argument("--replicas", type=int, default=1, help="servers on one database")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000, help="per route")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most, per route")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of every route; the median run is kept"
    )
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).is_file():
        parser.error(f"{args.db}: no database (bench/run.py or `tracer ingest` makes one)")
    posts, families = sample_ids(args.db, 2000, args.seed)
    routes = {
        "/livez (baseline)": ["/livez"],
        "/trace": [f"/trace?post={urllib.parse.quote(p, safe='')}" for p in posts],
        "/families/{id}/graph": [f"/families/{f}/graph" for f in families],
    }
    load_before = os.getloadavg()[0]
    label = _label(args.db)
    ports = [args.port + n for n in range(args.replicas)]
    starts = []
    for port in ports:  # one after the other: each start is timed on its own
        log = ROOT / "bench" / "out" / f"{label}-{port}.serve.log"
        starts.append(start_server(args.db, port, args.workers, log))
    servers = [s.process for s in starts]
    ready_seconds = [round(s.ready, 2) for s in starts]
    answered_seconds = [round(s.answered, 2) for s in starts]
    ready_cpu = [s.cpu for s in starts]
    try:
        for route, paths in routes.items():
            asyncio.run(load("127.0.0.1", ports, route, paths, args.clients, 200, 10))  # warm
        rounds: dict[str, list[dict[str, float | int | str]]] = {r: [] for r in routes}
        for _ in range(args.rounds):  # interleaved, so a burst of other load hits every route
            for route, paths in routes.items():
                before = cpu_snapshot(servers)
                run = asyncio.run(
                    load(
                        "127.0.0.1",
                        ports,
                        route,
                        paths,
                        args.clients,
                        args.requests,
                        args.seconds,
                    )
                )
                rounds[route].append(run.summary() | cpu_spent(before, cpu_snapshot(servers), run))
        results = [
            sorted(runs, key=lambda r: float(r["rps"]))[len(runs) // 2] for runs in rounds.values()
        ]
        rss_mb = [_rss_mb(server.pid) for server in servers]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    baseline = float(results[0]["rps"]) or 1.0
    load_avg = (load_before, os.getloadavg()[0])
    print(
        f"db={label} replicas={args.replicas} (answering after {answered_seconds} s, ready "
        f"after {ready_seconds} s, having used {ready_cpu} CPU s; "
        f"RSS after the load {rss_mb} MB) "
        f"clients={args.clients} workers={args.workers} (rate limit off); "
        f"median of {args.rounds} rounds; load average {load_avg[0]:.1f} before, "
        f"{load_avg[1]:.1f} after, on {os.cpu_count()} cores"
    )
    print(
        f"{'route':24} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'5xx':>4} {'vs baseline':>11}  CPU ms/request: client server pg; busy"
    )
    for r in results:
        print(
            f"{r['route']:24} {r['requests']:>8} {r['rps']:>8} {r['p50_ms']:>7} {r['p95_ms']:>7} "
            f"{r['p99_ms']:>7} {r['max_ms']:>7} {r['5xx']:>4} {float(r['rps']) / baseline:>10.2f}x"
            f"  {r['client_cpu_ms']} {r['server_cpu_ms']} {r['pg_cpu_ms']}; {r['machine_busy']}"
        )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    name = f"http-{label}-r{args.replicas}-c{args.clients}-w{args.workers}.json"
    record = {
        "args": vars(args),
        "load_average": load_avg,
        "ready_seconds": ready_seconds,
        "answered_seconds": answered_seconds,
        "ready_cpu_seconds": ready_cpu,
        "rss_mb": rss_mb,
    }
    (out / name).write_text(json.dumps(record | {"results": results, "rounds": rounds}, indent=2))
    return 1 if any(int(r["5xx"]) for runs in rounds.values() for r in runs) else 0


def _rss_mb(pid: int) -> int:
    """Resident memory of a server and its worker processes, in MB."""
    import psutil

    process = psutil.Process(pid)
    total = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
    return round(total / 1e6)


def _label(db: str) -> str:
    """A file-name-safe name of the database: the file's stem, or `pg-DBNAME`."""
    if "://" in db:
        return "pg-" + db.rsplit("/", 1)[-1].split("?")[0]
    return Path(db).stem


if __name__ == "__main__":
    raise SystemExit(main())
