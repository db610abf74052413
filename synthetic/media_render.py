"""Draw and write a planned media corpus: `accounts.csv`, `posts.jsonl`, `media/` and
`truth.json`, in the canonical format (docs/corpus-format.md).

Files are drawn in a process pool, grouped by the picture or clip they derive from so
each worker draws a root once; every recipe is self-contained, so the bytes do not
depend on the number of workers or the order they run in.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson
from PIL import Image

from synthetic.clips import write_clip
from synthetic.media_corpus import truth_document
from synthetic.media_edits import apply_all, encode
from synthetic.media_plan import Plan, Spec
from synthetic.offices import accounts_of
from synthetic.photos import collage, draw_scene, inset, series_view
from synthetic.posters import ministry_poster, photo_post, regional_poster
from synthetic.rendering import post_json_local
from tracer.corpus import POSTS_FILE, write_corpus

TRUTH_FILE = "truth.json"


def draw(spec: Spec) -> Image.Image:
    """The picture a root spec describes (before any edit)."""
    return _draw(orjson.dumps(spec, option=orjson.OPT_SORT_KEYS)).copy()


@functools.lru_cache(maxsize=32)
def _draw(key: bytes) -> Image.Image:
    spec: dict[str, Any] = orjson.loads(key)
    kind = spec["type"]
    if kind == "scene":
        return draw_scene(int(spec["seed"]), (int(spec["size"][0]), int(spec["size"][1])))
    if kind == "series":
        return series_view(int(spec["seed"]), int(spec["view"]))
    if kind == "photo_post":
        return photo_post(draw(spec["picture"]), spec["headline"])
    if kind == "ministry_poster":
        picture = draw(spec["picture"]) if spec["picture"] else None
        return ministry_poster(spec["headline"], spec["body"], picture, spec["art"])
    if kind == "regional_poster":
        picture = draw(spec["picture"]) if spec["picture"] else None
        return regional_poster(
            int(spec["template"]), spec["office"], spec["headline"], spec["body"], picture
        )
    if kind == "collage":
        return collage([draw(t) for t in spec["tiles"]], spec["layout"])
    if kind == "inset":
        return inset(draw(spec["base"]), draw(spec["small"]), int(spec["corner"]))
    raise ValueError(f"unknown picture spec {kind!r}")


def render_file(out: Path, path: str, job: Spec) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if job["kind"] == "video":
        write_clip(target, job["root"], job["ops"])
        return
    img = apply_all(draw(job["root"]), job["ops"])
    target.write_bytes(encode(img, job["final"]))


def _render_group(out: str, items: list[tuple[str, Spec]]) -> int:
    for path, job in items:
        render_file(Path(out), path, job)
    return len(items)


def write_media_corpus(plan: Plan, out: Path, workers: int = 2) -> None:
    """Write the plan's corpus into `out` (posts in time order), truth.json last."""
    out.mkdir(parents=True, exist_ok=True)
    write_corpus(out, accounts_of(plan.offices), ())
    posts = sorted(plan.posts, key=lambda p: (p.timestamp, p.post_id))
    with (out / POSTS_FILE).open("wb") as lines:
        for post in posts:
            lines.write(orjson.dumps(post_json_local(post)) + b"\n")
    groups: dict[bytes, list[tuple[str, Spec]]] = defaultdict(list)
    for path, job in plan.jobs.items():
        groups[orjson.dumps(job["root"], option=orjson.OPT_SORT_KEYS)].append((path, job))
    batches = sorted(groups.values(), key=len, reverse=True)
    if workers <= 1:
        for items in batches:
            _render_group(str(out), items)
    else:
        with ProcessPoolExecutor(workers) as pool:
            for _ in pool.map(_render_group, [str(out)] * len(batches), batches, chunksize=4):
                pass
    # Last: a folder with truth.json is a complete corpus (the bench caches on it).
    document = json.dumps(truth_document(plan), ensure_ascii=False, indent=1)
    (out / TRUTH_FILE).write_text(document, "utf-8")
