"""Ingest with media: a copy that keeps the photo under a completely new caption and a
copy that keeps the caption over another photo both join the release's family; an
unrelated photo stays alone; a corrupt file is reported against its post and line,
and stops nothing; a second ingest changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from tracer import service
from tracer.corpus import write_corpus
from tracer.media import ocr
from tracer.models import Post
from tracer.store import Store

from .conftest import (
    ACCOUNTS,
    BANTEN_GREETING,
    LEAK_TEXT,
    REGIONAL_TEXT,
    RELEASE_TEXT,
    family_of,
    partition,
)
from .media_samples import encoded, framed_with_logo, sm, width

OCR = ocr.unavailable() is None
FIELD_DAY = (
    "Kerja bakti membersihkan saluran air di Alun-alun Lebak bersama warga, pelajar dan "
    "relawan sejak pukul tujuh pagi."
)


def at(hour: int) -> datetime:
    return datetime(2024, 2, 1, hour, tzinfo=UTC)


def save(img: Image.Image, path: Path, quality: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(path, "JPEG", quality=quality)
    return f"media/{path.name}"


POSTS_ORDER = ("release", "photo_copy", "caption_copy", "unrelated", "corrupt")


def write_media_corpus(folder: Path) -> None:
    media = folder / "media"
    photo = width(sm.photo("rocket"), 720)
    release = save(photo, media / "release.jpg", 88)
    copy = save(encoded(framed_with_logo(photo), "JPEG", quality=60), media / "banten.jpg", 80)
    other = save(width(sm.photo("coffee"), 720), media / "serang.jpg", 85)
    unrelated = save(width(sm.photo("chelsea"), 720), media / "pandeglang.jpg", 85)
    whole = (media / "release.jpg").read_bytes()
    (media / "rusak.jpg").write_bytes(whole[: len(whole) // 3])
    posts = {
        "release": Post("kominfo-foto", "kominfo", at(2), RELEASE_TEXT, (release,)),
        # The photo, framed and re-encoded, under a caption with no word of the release.
        "photo_copy": Post("banten-foto", "banten", at(4), REGIONAL_TEXT, (copy,)),
        # The caption over a different photo.
        "caption_copy": Post(
            "serang-foto", "serang", at(5), BANTEN_GREETING + RELEASE_TEXT, (other,)
        ),
        "unrelated": Post("pandeglang-foto", "pandeglang", at(6), LEAK_TEXT, (unrelated,)),
        "corrupt": Post("lebak-foto", "lebak", at(7), FIELD_DAY, ("media/rusak.jpg",)),
    }
    write_corpus(folder, ACCOUNTS, (posts[k] for k in POSTS_ORDER))


@dataclass(frozen=True)
class Ingested:
    folder: Path
    store: Store
    report: service.IngestReport


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    folder = tmp_path_factory.mktemp("media_corpus") / "corpus"
    write_media_corpus(folder)
    store = Store.open(folder.parent / "tracer.db")
    report = service.ingest(store, folder)
    yield Ingested(folder, store, report)
    store.close()


def evidence(store: Store, post_id: str, other: str) -> dict[str, object]:
    found = [e for e in store.evidence(post_id) if e["post_id"] == other]
    assert len(found) == 1, store.evidence(post_id)
    return found[0]


def test_every_post_is_ingested_and_every_file_stored(ingested: Ingested) -> None:
    report = ingested.report
    assert report.ingested == len(POSTS_ORDER)
    assert report.errors == [] and report.conflicts == []
    assert report.media_files == len(POSTS_ORDER)
    counts = ingested.store.counts()
    assert counts["posts"] == len(POSTS_ORDER)
    assert counts["media"] == len(POSTS_ORDER)


def test_the_corrupt_file_is_reported_with_file_and_line(ingested: Ingested) -> None:
    (error,) = ingested.report.media_errors
    line = POSTS_ORDER.index("corrupt") + 1
    assert error.line == line and error.field == "media"
    assert error.file.endswith("posts.jsonl")
    assert "media/rusak.jpg" in error.reason
    assert f"posts.jsonl:{line}: media: media/rusak.jpg: " in str(error)
    assert str(error) in ingested.report.to_json()["media_errors"]  # type: ignore[operator]


@pytest.mark.skipif(not OCR, reason="without OCR a framed photo needs the strict radius")
def test_a_photo_copy_under_a_new_caption_joins_by_image(ingested: Ingested) -> None:
    assert {"kominfo-foto", "banten-foto"} <= family_of(ingested.store, "kominfo-foto")
    e = evidence(ingested.store, "banten-foto", "kominfo-foto")
    assert e["modality"] == "image"
    scores = e["scores"]
    assert isinstance(scores, dict)
    media = scores["media"]
    assert media["modality"] == "image"
    assert media["source_media"] == "media/release.jpg"
    assert media["target_media"] == "media/banten.jpg"
    assert scores["image_distance"] <= 8


def test_a_caption_copy_over_another_photo_joins_by_text(ingested: Ingested) -> None:
    assert "serang-foto" in family_of(ingested.store, "kominfo-foto")
    e = evidence(ingested.store, "serang-foto", "kominfo-foto")
    assert e["modality"] == "text"


def test_unrelated_and_corrupt_posts_stay_alone(ingested: Ingested) -> None:
    groups = partition(ingested.store)
    assert frozenset({"pandeglang-foto"}) in groups
    assert frozenset({"lebak-foto"}) in groups


def test_the_family(ingested: Ingested) -> None:
    expected = {"kominfo-foto", "serang-foto"} | ({"banten-foto"} if OCR else set())
    assert family_of(ingested.store, "kominfo-foto") == expected


def test_a_second_ingest_changes_nothing(ingested: Ingested) -> None:
    before = (ingested.store.counts(), partition(ingested.store))
    again = service.ingest(ingested.store, ingested.folder)
    assert again.ingested == 0 and again.unchanged == len(POSTS_ORDER)
    assert again.errors == [] and again.conflicts == []
    assert (ingested.store.counts(), partition(ingested.store)) == before


def test_a_second_ingest_reads_no_media_file(tmp_path: Path) -> None:
    """Posts already stored are set aside before their files are decoded or read: a file
    broken since the first ingest goes unnoticed, because nothing opens it."""
    folder = tmp_path / "corpus"
    write_media_corpus(folder)
    store = Store.open(tmp_path / "tracer.db")
    try:
        first = service.ingest(store, folder, ocr_lang=None)
        assert first.media_files > 0
        for picture in (folder / "media").iterdir():
            picture.write_bytes(b"broken since")
        again = service.ingest(store, folder, ocr_lang=None)
    finally:
        store.close()
    assert again.unchanged == first.ingested
    assert again.media_files == 0 and again.media_errors == []
