"""Where an ingest's time goes between the `tracer` process and its database server:
`tracer ingest` run in a child process, timed by wall clock, with the CPU seconds of
the tracer process (and its preparing workers), of PostgreSQL, and of the machine.

    python -m bench.ingest_cpu --db postgresql://postgres@127.0.0.1/NAME CORPUS
    python -m bench.ingest_cpu --db /tmp/x.db CORPUS

PostgreSQL's CPU is read from /proc: the backends of the database named in the URL
(sampled every `--every` seconds, so a backend's last fraction of a sample may be
missed) and every `postgres` process (the running ones' deltas plus what the
postmaster collected from the children that ended: the server's own writers and
autovacuum too, and other databases' backends: an upper bound). `cores busy` is the
machine's busy time over wall × cores: an ingest whose process waits on the server
leaves cores idle that no one else used.
Prints one JSON object; the load average before and after is in it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _postgres() -> dict[int, str]:
    """pid → command line of every process named postgres."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if Path(f"/proc/{entry}/comm").read_text().strip() != "postgres":
                continue
            out[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
    return out


def _cpu(pid: int, children: bool = False) -> float:
    """CPU seconds of a process (with `children`: only those of its ended children)."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    first = 13 if children else 11  # cutime, cstime | utime, stime
    return (int(fields[first]) + int(fields[first + 1])) / TICK


def _machine() -> tuple[float, float]:
    """(busy, all) seconds of every core so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--db", required=True)
    parser.add_argument("--every", type=float, default=0.1)
    args = parser.parse_args()
    dbname = args.db.rsplit("/", 1)[-1] if args.db.startswith("postgres") else None
    pg = _postgres()
    postmaster = min(pg, default=0)  # the oldest, whose children the others are
    live_before = {pid: _cpu(pid) for pid in pg}
    reaped_before = _cpu(postmaster, children=True) if postmaster else 0.0
    busy0, all0 = _machine()
    load_before = _load()
    command = [sys.executable, "-c", "import sys; from tracer.cli import main; sys.exit(main())"]
    command += ["--db", args.db, "ingest", args.corpus, "--json"]
    # The report goes to a file, not a pipe: a long one (every line refused) would fill
    # the pipe and the child would wait for a reader while this waits for the child.
    with tempfile.TemporaryFile() as report_file:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=report_file)
        ours: dict[int, float] = {}
        while child.poll() is None:
            for pid, cmd in _postgres().items():
                if dbname and f" {dbname} " in cmd.replace("\x00", " ") + " ":
                    ours[pid] = _cpu(pid)
            time.sleep(args.every)
        wall = time.perf_counter() - started
        report_file.seek(0)
        out = report_file.read()
    busy1, all1 = _machine()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(out)
    # The processes still running, and what the postmaster collected from those that ended.
    every_pg = sum(_cpu(pid) - live_before.get(pid, 0.0) for pid in _postgres())
    every_pg += (_cpu(postmaster, children=True) - reaped_before) if postmaster else 0.0
    print(
        json.dumps(
            {
                "ingested": report["ingested"],
                "wall_s": round(wall, 1),
                "posts_per_s": round(report["ingested"] / wall),
                "tracer_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "tracer_user_s": round(usage.ru_utime, 1),
                "db_backends_cpu_s": round(sum(ours.values()), 1) if dbname else None,
                "all_postgres_cpu_s": round(every_pg, 1) if postmaster else None,
                "cores_busy": round((busy1 - busy0) / (all1 - all0), 3),
                "load_before": load_before,
                "load_after": _load(),
                "peak_rss_mb": round(usage.ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
