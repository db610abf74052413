"""Embed page: how long Debian's chromium takes to draw a family's cascade, by family size,
against Cytoscape's own `grid` layout on the same elements (baseline, same run).

    python -m bench.embed_render                      # families of 50, 300 and 1,200 posts
    python -m bench.embed_render --sizes 100 1000 --runs 5

Writes a corpus with one release per size, each re-posted by that many accounts of the
synthetic scale offices, ingests it, serves it with `tracer serve`, and times, in a
headless chromium, from navigation to the page's `data-ready="true"` (fetch, layout,
first draw, overlays). The baseline page, served by a second local server, loads the
same cytoscape file and the same elements and draws them with `grid`: the ratio is what
tracer's lanes, time axis, tooltips and legend cost over a bare Cytoscape drawing.
Bounded: `--runs` loads per page and size; everything stays on loopback.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from synthetic import accounts_of, scale_offices
from tracer.corpus import write_corpus

BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Three unrelated releases, so that each size is a family of its own.
RELEASES = [
    "Pemerintah membuka pendaftaran beasiswa pendidikan tinggi bagi lulusan sekolah menengah "
    "dari keluarga prasejahtera. Pendaftaran dilakukan secara daring melalui laman resmi "
    "kementerian hingga akhir bulan, dengan seleksi berkas, tes potensi akademik dan "
    "wawancara yang dijadwalkan di setiap ibu kota provinsi.",
    "Menjelang musim hujan, badan penanggulangan bencana mengimbau warga di bantaran sungai "
    "memeriksa saluran air, menyiapkan tas siaga berisi dokumen penting, obat dan senter, "
    "serta mengikuti informasi peringatan dini cuaca dari kanal resmi pemerintah daerah.",
    "Program vaksinasi hewan peliharaan gratis digelar di puskesmas hewan seluruh kabupaten "
    "selama dua pekan. Pemilik kucing dan anjing diminta membawa buku catatan kesehatan "
    "hewan, sementara petugas akan mendata hewan yang belum pernah divaksin rabies.",
]
BASELINE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>html,body,#g{{height:100%;margin:0}}</style></head><body><div id="g"></div>
<script src="{base}/assets/cytoscape/cytoscape.min.js"></script>
<script>
const params = new URLSearchParams(location.search);
fetch("{base}/families/" + params.get("family") + "/graph?format=cytoscape")
  .then((r) => r.json())
  .then((g) => {{
    window.cy = cytoscape({{container: document.getElementById("g"),
      elements: g.nodes.concat(g.edges), layout: {{name: "grid", fit: true}},
      style: [{{selector: "node", style: {{"background-color": "data(color)"}}}},
              {{selector: "edge", style: {{"target-arrow-shape": "triangle",
                                           "curve-style": "bezier"}}}}]}});
    document.body.dataset.ready = "true";
  }});
</script></body></html>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write(folder: Path, sizes: list[int], seed: int) -> None:
    accounts = accounts_of(scale_offices(seed))
    write_corpus(folder, accounts, ())
    central = [a for a in accounts if a.tier == "central"]
    others = [a for a in accounts if a.tier != "central"]
    rnd = random.Random(seed)
    start = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
    lines: list[dict[str, Any]] = []
    for n, (size, text) in enumerate(zip(sizes, RELEASES, strict=False)):
        released = start + timedelta(days=7 * n)
        lines.append(_line(f"r{n}", central[n % len(central)].account_id, released, text))
        for i, account in enumerate(rnd.sample(others, min(size - 1, len(others)))):
            when = released + timedelta(minutes=rnd.randint(15, 60 * 48))
            copy = f"Halo warga {account.region}! {text} #info"
            lines.append(_line(f"r{n}-c{i}", account.account_id, when, copy))
    (folder / "posts.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))


def _line(post_id: str, account_id: str, when: datetime, text: str) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "account_id": account_id,
        "published_at": when.isoformat(),
        "text": text,
        "media": [],
        "url": f"https://example.test/{post_id}",
    }


@contextmanager
def running(command: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(probe, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def time_page(page: Any, url: str, ready: str, runs: int) -> float:
    """Median seconds from navigation to `ready` over `runs` loads (after one warm-up)."""
    seconds = []
    for i in range(runs + 1):
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(ready, timeout=120_000)
        if i:
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 1200])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if len(args.sizes) > len(RELEASES):
        parser.error(f"at most {len(RELEASES)} sizes")
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="tracer-embed-bench-") as tmp:
        folder = Path(tmp)
        write(folder / "corpus", args.sizes, args.seed)
        db = folder / "bench.db"
        subprocess.run(
            [str(BIN / "tracer"), "--db", str(db), "ingest", str(folder / "corpus"), "--json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port, host_port = free_port(), free_port()
        base, host = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{host_port}"
        (folder / "site").mkdir()
        (folder / "site" / "baseline.html").write_text(BASELINE_HTML.format(base=base))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
        env.update({"TRACER_RATE_LIMIT": "0", "TRACER_CORS_ORIGINS": host})
        serve = [str(BIN / "tracer"), "--db", str(db), "serve", "--port", str(port)]
        site = [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1"]
        site += ["--directory", str(folder / "site")]
        with (
            running(serve, env, f"{base}/livez"),
            running(site, dict(os.environ), f"{host}/baseline.html"),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            families = httpx.get(f"{base}/families", params={"sort": "size", "limit": 50})
            rows = []
            for family in sorted(families.json()["items"], key=lambda f: f["size"]):
                fid, size = family["family_id"], family["size"]
                ours = time_page(
                    page, f"{base}/embed/families/{fid}", "#tracer-embed[data-ready]", args.runs
                )
                bare = time_page(
                    page, f"{host}/baseline.html?family={fid}", "body[data-ready]", args.runs
                )
                rows.append((size, ours, bare))
            browser.close()
    print(f"{'posts':>6} {'embed (s)':>10} {'baseline grid (s)':>18} {'ratio':>6}")
    for size, ours, bare in rows:
        print(f"{size:>6} {ours:>10.3f} {bare:>18.3f} {ours / bare:>6.2f}")


if __name__ == "__main__":
    main()
