"""Chat-export adapters: throughput and peak memory of reading a large Telegram
`result.json` and a large WhatsApp `.txt`, each in a child process, against baselines
measured in the same run: an empty process (imports only) and `json.load` of the same
Telegram file (what a non-streaming reader would hold).

    python -m bench.chat_adapters --messages 300000     # ~200 MB of Telegram JSON

Writes its files under bench/out/chat-<messages>/ and prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORDS = [
    "presiden",
    "menegaskan",
    "hak",
    "politik",
    "pemilu",
    "undang-undang",
    "kampanye",
    "netralitas",
    "aparatur",
    "negara",
    "vaksinasi",
    "polio",
    "imunisasi",
    "jadwal",
    "kabupaten",
    "kota",
    "provinsi",
    "diskominfo",
    "siaran",
    "pers",
]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_telegram(path: Path, messages: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Bench Channel",\n "type": "public_channel",\n "id": 42,\n')
        out.write(' "messages": [\n')
        for i in range(1, messages + 1):
            title = _sentence(rng, 8)
            body = " ".join(_sentence(rng, 20) for _ in range(3))
            message = {
                "id": i,
                "type": "service" if i % 500 == 0 else "message",
                "date": "2024-01-26T19:33:05",
                "date_unixtime": str(1706272385 + i * 60),
                "from": "Bench Channel",
                "from_id": "channel42",
                "text": [
                    {"type": "bold", "text": title},
                    "\n\n" + body + " ",
                    {"type": "hashtag", "text": "#PemiluDamai"},
                ],
                "text_entities": [
                    {"type": "bold", "text": title},
                    {"type": "plain", "text": "\n\n" + body + " "},
                    {"type": "hashtag", "text": "#PemiluDamai"},
                ],
            }
            out.write(("  " if i == 1 else ",\n  ") + json.dumps(message, ensure_ascii=False))
        out.write("\n ]\n}\n")


def write_whatsapp(path: Path, messages: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("26/01/24 19.00 - Pesan dan panggilan dienkripsi secara end-to-end.\n")
        for i in range(messages):
            day, minute = 1 + (i // 1440) % 28, i % 1440
            stamp = f"{day:02d}/02/24 {minute // 60:02d}.{minute % 60:02d}"
            out.write(f"{stamp} - Admin Kominfo: {_sentence(rng, 8)}\n\n")
            out.write(" ".join(_sentence(rng, 20) for _ in range(3)) + "\n#PemiluDamai\n")


def child(kind: str, path: str) -> None:
    """Run in a child process: read the file one way and report time, items, peak RSS."""
    from tracer.adapters import telegram, whatsapp
    from tracer.adapters.base import AdapterOptions
    from tracer.corpus import PostRecord

    started = time.perf_counter()
    posts = 0
    if kind == "telegram":
        posts = sum(isinstance(i, PostRecord) for i in telegram.read(Path(path), AdapterOptions()))
    elif kind == "whatsapp":
        posts = sum(isinstance(i, PostRecord) for i in whatsapp.read(Path(path), AdapterOptions()))
    elif kind == "json_load":
        with open(path, encoding="utf-8") as stream:
            posts = len(json.load(stream)["messages"])
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"posts": posts, "seconds": seconds, "peak_rss_mb": rss_mb}))


def measure(kind: str, path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    return dict(json.loads(result.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = HERE / "out" / f"chat-{args.messages}"
    folder.mkdir(parents=True, exist_ok=True)
    tg, wa = folder / "result.json", folder / "WhatsApp Chat with Bench.txt"
    if not tg.is_file():
        write_telegram(tg, args.messages, args.seed)
    if not wa.is_file():
        write_whatsapp(wa, args.messages, args.seed)
    empty = measure("empty", tg)
    rows = [
        ("telegram (ijson stream)", tg, measure("telegram", tg)),
        ("telegram baseline: json.load", tg, measure("json_load", tg)),
        ("whatsapp (two line passes)", wa, measure("whatsapp", wa)),
    ]
    print(f"empty process: peak RSS {empty['peak_rss_mb']:.0f} MB")
    print(
        f"{'reader':32} {'file MB':>8} {'items':>8} {'s':>7} {'items/s':>9} {'MB/s':>6} "
        f"{'RSS above empty MB':>19}"
    )
    above: dict[str, float] = {}
    for label, path, m in rows:
        size = path.stat().st_size / 2**20
        above[label] = m["peak_rss_mb"] - empty["peak_rss_mb"]
        print(
            f"{label:32} {size:8.0f} {m['posts']:8d} {m['seconds']:7.1f} "
            f"{m['posts'] / m['seconds']:9.0f} {size / m['seconds']:6.1f} {above[label]:19.0f}"
        )
    stream, whole = above["telegram (ijson stream)"], above["telegram baseline: json.load"]
    print(
        f"telegram memory above the empty process: stream {stream:.0f} MB, json.load {whole:.0f} MB"
        f" (json.load holds {whole - stream:.0f} MB more)"
    )


if __name__ == "__main__":
    main()
