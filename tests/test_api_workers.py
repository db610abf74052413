"""`tracer serve --workers 2`: worker processes build the app from the environment,
with the database the CLI was given."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from .processes import TRACER, free_port


def test_two_workers_serve_the_database_of_db(scenario_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(scenario_db, db)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env["TRACER_DB"] = str(tmp_path / "not-this-one.db")  # --db wins, in every worker
    log = tmp_path / "serve.log"
    command = [TRACER, "--db", str(db), "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        statuses = set()
        for _ in range(20):  # new connections, so both workers answer some
            response = httpx.get(f"{base}/trace", params={"post": "serang-20240127"}, timeout=10)
            statuses.add(response.status_code)
            assert response.json()["release"]["post_id"] == "kominfo-20240126"
        assert statuses == {200}
        assert "Started parent process" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert not (tmp_path / "not-this-one.db").exists()
