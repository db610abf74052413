"""Tracer as a user runs it, for the tests: the `tracer` command in a subprocess (a
server until it answers, an ingest, one command and its output), on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
TRACER = str(BIN / "tracer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(command: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[None]:
    """A server subprocess (output to `log`) until `probe` answers 200; stopped on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {log.read_text()}")
                try:
                    if httpx.get(probe, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text()}")
                time.sleep(0.05)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def serving(db: Path, log: Path, settings: dict[str, str] | None = None) -> Iterator[str]:
    """`tracer --db DB serve` on a free port, as a subprocess; yields its base URL.
    `settings` are extra `TRACER_*` environment variables."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(settings or {})
    base = f"http://127.0.0.1:{port}"
    command = [TRACER, "--db", str(db), "serve", "--port", str(port)]
    with running(command, env, f"{base}/livez", log):
        yield base


def start_ingest(db: Path | str, corpus: Path, **settings: str) -> subprocess.Popen[str]:
    """`tracer --db DB ingest CORPUS --json` started as a subprocess (text pipes for its
    report and its messages); `settings` are `TRACER_*` variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(settings)
    return subprocess.Popen(
        [TRACER, "--db", str(db), "ingest", str(corpus), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def run_tracer(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    return subprocess.run(
        [TRACER, *args], capture_output=True, text=True, env=full_env, timeout=timeout, check=False
    )
