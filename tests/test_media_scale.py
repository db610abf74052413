"""The media corpus generator: deterministic, decodable, and its truth consistent."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from synthetic.media_corpus import plan_media_corpus
from synthetic.media_plan import COSMETIC_EDITS
from synthetic.media_render import TRUTH_FILE, render_file, write_media_corpus
from synthetic.scoring import pair_scores, unrelated_scores
from tracer import service
from tracer.corpus import AccountRecord, PostRecord, read_accounts, read_posts
from tracer.store import Store

POSTS = 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media300")
    write_media_corpus(plan_media_corpus(5, POSTS), folder)
    return folder


@pytest.fixture(scope="module")
def truth(corpus: Path) -> dict[str, Any]:
    posts: dict[str, Any] = json.loads((corpus / TRUTH_FILE).read_text("utf-8"))["posts"]
    return posts


def test_the_plan_is_a_function_of_the_seed() -> None:
    a, b, c = plan_media_corpus(5, POSTS), plan_media_corpus(5, POSTS), plan_media_corpus(6, POSTS)
    assert a.posts == b.posts and a.truth == b.truth and a.jobs == b.jobs
    assert [p.text for p in a.posts] != [p.text for p in c.posts]


def test_files_are_the_same_bytes_for_a_seed(tmp_path: Path, corpus: Path) -> None:
    plan = plan_media_corpus(5, POSTS)
    picked = [p for p, j in plan.jobs.items() if j["kind"] == "video"][:2]
    picked += [p for p, j in plan.jobs.items() if j["kind"] == "image" and j["ops"]][:4]
    for path in picked:
        render_file(tmp_path, path, plan.jobs[path])
        assert (tmp_path / path).read_bytes() == (corpus / path).read_bytes(), path


def test_every_file_decodes(corpus: Path, truth: dict[str, Any]) -> None:
    kinds: Counter[str] = Counter()
    for info in truth.values():
        for media in info["media"]:
            path = corpus / media["path"]
            if media["kind"] == "video":
                with av.open(str(path)) as container:
                    frames = sum(1 for _ in container.decode(video=0))
                assert frames >= 30, path
            else:
                with Image.open(path) as img:
                    img.load()
                    assert max(img.size) >= 200, path
            kinds[media["kind"]] += 1
    assert kinds["image"] > 100 and kinds["video"] > 10


def test_truth_matches_the_corpus(corpus: Path, truth: dict[str, Any]) -> None:
    with (corpus / "accounts.csv").open(encoding="utf-8") as stream:
        records = list(read_accounts(stream))
    assert all(isinstance(r, AccountRecord) for r in records)
    accounts = {r.account.account_id: r.account for r in records if isinstance(r, AccountRecord)}
    with (corpus / "posts.jsonl").open("rb") as stream:
        read = list(read_posts(stream, root=corpus, accounts=set(accounts)))
    assert all(isinstance(r, PostRecord) for r in read), [
        r for r in read if not isinstance(r, PostRecord)
    ][:3]
    posts = {r.post.post_id: r.post for r in read if isinstance(r, PostRecord)}
    assert set(posts) == set(truth) and len(posts) == POSTS
    for post_id, info in truth.items():
        post = posts[post_id]
        assert [m["path"] for m in info["media"]] == list(post.media)
        if info["parent"] is not None:
            parent = posts[info["parent"]]
            assert parent.published_at <= post.published_at, post_id
            assert truth[info["parent"]]["family"] == info["family"]
        if info["release"] is not None:
            release = posts[info["release"]]
            assert accounts[release.account_id].tier == "central"
            expected = "supported" if release.published_at <= post.published_at else "contradicted"
            assert info["verdict"] == expected, post_id
        if info["chain"]:
            assert accounts[post.account_id].parent_id == posts[info["parent"]].account_id
        if info["caption"] == "edited" and info["altered"] is not None:
            assert info["altered"] == bool(set(info["edits"]) - COSMETIC_EDITS), post_id


def test_the_corpus_has_every_kind_it_promises(truth: dict[str, Any]) -> None:
    kinds = Counter(t["subtype"] or t["kind"] for t in truth.values())
    for kind in (
        "photo_copy",
        "poster_copy",
        "clip_copy",
        "text_copy",
        "distinct_photo",
        "photo_series",
        "collage",
        "framed_local",
        "template_poster",
        "regional_poster",
        "regional_copy",
    ):
        assert kinds[kind] > 0, kind
    negatives = sum(1 for t in truth.values() if t["family"] is None)
    assert negatives >= POSTS // 4
    assert sum(t["chain"] for t in truth.values()) > 0
    assert {t["caption"] for t in truth.values()} >= {"edited", "new", "generic"}


def test_tracer_keeps_families_apart_on_the_corpus(
    corpus: Path, truth: dict[str, Any], tmp_path: Path
) -> None:
    """The accuracy floor on a small media corpus (the bench runs the large one): one
    weak picture or caption match must not join families. Main before issue 10 gave
    pair precision 0.595 here."""
    db = tmp_path / "t.db"
    store = Store.open(db)
    try:
        service.ingest(store, corpus)
    finally:
        store.close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT post_id, family_id FROM posts").fetchall()
    sizes = Counter(family for _, family in rows)
    predicted = {post: (str(f) if sizes[f] > 1 else None) for post, f in rows}
    precision, recall = pair_scores({p: info.get("family") for p, info in truth.items()}, predicted)
    unrelated = unrelated_scores(truth, predicted)["all"]
    assert precision.value is not None and precision.value >= 0.97, precision
    assert recall.value is not None and recall.value >= 0.9, recall
    assert unrelated.value is not None and unrelated.value <= 0.05, unrelated
