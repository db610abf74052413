"""Shared by the page tests: the sample corpus served by a real `tracer serve`, and a
second tiny server that plays a third-party site embedding tracer in an iframe."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .conftest import TRACER, free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "corpus"


def _wait(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log.read_text()}")
        time.sleep(0.05)


@contextmanager
def _running(command: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _wait(process, probe, log)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def tracer_server(db: Path, log: Path, **settings: str) -> Iterator[str]:
    """`tracer serve` with the given TRACER_* settings; yields its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update({f"TRACER_{k.upper()}": v for k, v in settings.items()})
    base = f"http://127.0.0.1:{port}"
    command = [TRACER, "--db", str(db), "serve", "--port", str(port)]
    with _running(command, env, f"{base}/openapi.json", log):
        yield base


@contextmanager
def static_server(folder: Path, port: int, log: Path) -> Iterator[str]:
    """Python's own http.server on `folder`: the host page of the iframe test."""
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(folder),
    ]
    (folder / "ping.txt").write_text("ok\n", encoding="utf-8")
    with _running(command, dict(os.environ), f"{base}/ping.txt", log):
        yield base
