"""Shared by the page tests: the sample corpus served by a real `tracer serve`, and a
second tiny server that plays a third-party site embedding tracer in an iframe."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import TRACER, free_port, running

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "corpus"


@contextmanager
def tracer_server(db: Path, log: Path, **settings: str) -> Iterator[str]:
    """`tracer serve` with the given TRACER_* settings; yields its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update({f"TRACER_{k.upper()}": v for k, v in settings.items()})
    base = f"http://127.0.0.1:{port}"
    command = [TRACER, "--db", str(db), "serve", "--port", str(port)]
    with running(command, env, f"{base}/openapi.json", log):
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
    with running(command, dict(os.environ), f"{base}/ping.txt", log):
        yield base
