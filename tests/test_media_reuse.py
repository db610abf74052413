"""Identical files once: a picture posted under several names is decoded, fingerprinted
and read once, in one ingest and across ingests; a bare photo is not read, and is stored
as read and found empty, never as not read."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import service
from tracer.corpus import write_corpus
from tracer.media import ocr
from tracer.models import Post
from tracer.store import Store
from tracer.store.migrations import SCHEMA_VERSION

from .conftest import ACCOUNTS
from .media_samples import sm, width

pytestmark = pytest.mark.skipif(ocr.unavailable() is not None, reason="no tesseract 'ind'")
HEADLINE = "Pekan imunisasi nasional polio untuk anak usia nol sampai tujuh tahun"


def corpus(folder: Path, prefix: str) -> Path:
    """A poster posted by three offices under three names, and one bare photo."""
    media = folder / "media"
    media.mkdir(parents=True)
    sm.ministry_poster(HEADLINE, None, art="chart").save(media / "poster.jpg", quality=85)
    for copy in ("kab.jpg", "kota.jpg"):
        shutil.copyfile(media / "poster.jpg", media / copy)
    width(sm.photo("rocket"), 720).save(media / "rocket.jpg", quality=85)
    at = datetime(2024, 6, 1, 3, tzinfo=UTC)
    posts = [
        Post(f"{prefix}-1", "kominfo", at, "Imunisasi polio.", ("media/poster.jpg",)),
        Post(f"{prefix}-2", "banten", at, "Ayo imunisasi.", ("media/kab.jpg",)),
        Post(f"{prefix}-3", "serang", at, "Imunisasi anak.", ("media/kota.jpg",)),
        Post(f"{prefix}-4", "lebak", at, "Peluncuran roket.", ("media/rocket.jpg",)),
    ]
    write_corpus(folder, ACCOUNTS, posts)
    return folder


def stored_ocr(db: Path) -> dict[str, str | None]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT path, ocr FROM media ORDER BY idx"))


def test_one_file_under_three_names_is_read_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tracer.db")
    try:
        report = service.ingest(store, corpus(tmp_path / "a", "a"))
        items = store.media.items_by_post(["a-1", "a-3", "a-4"])
    finally:
        store.close()
    assert (report.pictures, report.media_reused, report.ocr_calls) == (4, 2, 1)
    assert report.to_json()["ocr_calls_per_picture"] == 0.25
    texts = stored_ocr(tmp_path / "tracer.db")
    assert "IMUNISASI" in (texts["media/poster.jpg"] or "")
    assert texts["media/kota.jpg"] == texts["media/poster.jpg"]
    assert texts["media/rocket.jpg"] == ""  # read and empty, not "OCR did not run"
    (rocket,) = items["a-4"]
    assert rocket.ocr == ()
    (poster,), (copy,) = items["a-1"], items["a-3"]
    assert copy.path == "media/kota.jpg" and copy.image == poster.image
    assert copy.ocr == poster.ocr and len(poster.ocr or ()) >= 6


def test_a_file_already_stored_is_not_decoded_again(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tracer.db")
    try:
        service.ingest(store, corpus(tmp_path / "a", "a"))
        again = service.ingest(store, corpus(tmp_path / "b", "b"))
        off = service.ingest(store, corpus(tmp_path / "c", "c"), ocr_lang=None)
        items = store.media.items_by_post(["b-1", "c-1"])
    finally:
        store.close()
    assert again.ingested == 4 and (again.media_reused, again.ocr_calls) == (4, 0)
    # With OCR off a picture is decoded again (its reading would differ); once per file.
    assert off.ingested == 4 and (off.media_reused, off.ocr_calls) == (2, 0)
    assert items["b-1"][0].ocr and items["c-1"][0].ocr is None


def test_a_database_from_before_gains_the_reading_params(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE media DROP COLUMN ocr_params")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    store = Store.open(db)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        report = service.ingest(store, corpus(tmp_path / "a", "a"))
    finally:
        store.close()
    assert report.media_reused == 2


def test_a_file_of_the_run_being_prepared_is_copied_from_it(tmp_path: Path) -> None:
    """The next run's files are looked up while the run before is still being prepared
    (and not yet stored): a file of both is prepared once, in the earlier run."""
    folder = tmp_path / "c"
    (folder / "media").mkdir(parents=True)
    names = ["rocket", "coffee", "chelsea", "astronaut", "camera"]
    for n, name in enumerate(names):
        width(sm.photo(name), 480).save(folder / f"media/{n}.jpg", quality=85)
        shutil.copyfile(folder / f"media/{n}.jpg", folder / f"media/copy-{n}.jpg")
    at = datetime(2024, 6, 1, 3, tzinfo=UTC)
    posts = [
        Post(f"p{n}", "kominfo", at.replace(minute=n), "Foto.", (f"media/{n}.jpg",))
        for n in range(5)
    ] + [
        Post(f"q{n}", "banten", at.replace(hour=5, minute=n), "Foto.", (f"media/copy-{n}.jpg",))
        for n in range(5)
    ]
    write_corpus(folder, ACCOUNTS, posts)
    store = Store.open(tmp_path / "tracer.db")
    try:
        report = service.ingest(store, folder, media_batch=5, ocr_lang=None)
        items = store.media.items_by_post([*(f"p{n}" for n in range(5)), "q0", "q4"])
    finally:
        store.close()
    assert (report.ingested, report.pictures, report.media_reused) == (10, 10, 5)
    assert items["q0"][0].image == items["p0"][0].image
    assert items["q4"][0].image == items["p4"][0].image != items["p0"][0].image
