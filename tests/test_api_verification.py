"""`POST /verify` and `GET /verify/card` against a real server on the sample corpus, and
the card drawn by headless chromium."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from .conftest import copy_db
from .processes import serving
from .test_verification import CASES, POSTER, RELEASE, phone_screenshot

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, sample_db_file: Path
) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("verify-api")
    db = copy_db(sample_db_file, folder)
    with (
        serving(db, folder / "serve.log", {"TRACER_RATE_LIMIT": "0"}) as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        yield http


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_post_verify_finds_the_release_of_a_screenshot(client: httpx.Client) -> None:
    shot = phone_screenshot(POSTER, "diskominfo.banten", ["Halo Sahabat Banten!", "..."])
    answer = client.post(
        "/verify",
        data={"claimed_at": "2024-01-27T12:00:00+07:00", "account": "nobody"},
        files={"files": ("screenshot.png", png(shot), "image/png")},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verdict"] == "supported"
    assert body["release"]["post_id"] == RELEASE
    assert body["post_id"] == "(submitted)"
    assert body["times"]["post"]["utc"] == "2024-01-27T05:00:00Z"


def test_post_verify_with_a_caption_only(client: httpx.Client) -> None:
    answer = client.post("/verify", data={"text": "Jadwal posyandu di balai warga pukul 8."})
    assert answer.status_code == 200, answer.text
    assert answer.json()["verdict"] == "not_found"


@pytest.mark.parametrize(
    ("data", "files", "status"),
    [
        ({}, None, 400),  # nothing to verify
        ({"text": "x", "claimed_at": "yesterday"}, None, 400),
        ({}, {"files": ("notes.txt", b"hello", "text/plain")}, 415),
        ({}, {"files": ("broken.jpg", b"\xff\xd8\xff\xe0 nope", "image/jpeg")}, 400),
    ],
)
def test_post_verify_refuses_bad_input_as_a_problem(
    client: httpx.Client, data: dict[str, str], files: dict[str, Any] | None, status: int
) -> None:
    answer = client.post("/verify", data=data, files=files)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert "/tmp" not in answer.text and "Traceback" not in answer.text


def test_the_card_in_html_and_markdown(client: httpx.Client) -> None:
    html = client.get("/verify/card", params={"post": CASES["banten_repost"]})
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert 'data-verdict="supported"' in html.text
    assert "/verify/card.css" in html.text and "<style>" not in html.text  # CSP: no inline
    css = client.get("/verify/card.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    md = client.get("/verify/card", params={"post": CASES["banten_repost"], "format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Didukung — salinan diubah: 6 kalimat")
    missing = client.get("/verify/card", params={"post": "no-such-post"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)


def test_the_card_renders_in_chromium(client: httpx.Client, tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM_ARGS

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        # Every resource the card asks for must load (the browser's own favicon probe aside).
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and not r.url.endswith("/favicon.ico")
                and errors.append(f"{r.status} {r.url}")
            ),
        )
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        url = f"{client.base_url}/verify/card?post={CASES['banten_repost']}"
        page.goto(url)
        assert page.locator(".verdict.supported").is_visible()
        thumbnails = page.locator(".thumbs img")
        assert thumbnails.count() >= 2
        loaded = page.evaluate(
            "[...document.querySelectorAll('.thumbs img')].every(i => i.naturalWidth > 0)"
        )
        assert loaded  # data: thumbnails are allowed by the CSP
        shot = tmp_path / "card.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert not errors, errors
    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB").resize((200, 280))).reshape(-1, 3)
        colours = len(np.unique(pixels, axis=0))
    assert colours > 200  # a drawn card with pictures, not a blank page


def test_search_with_a_picture_finds_the_release_family(client: httpx.Client) -> None:
    shot = phone_screenshot(POSTER, "diskominfo.banten", ["Halo Sahabat Banten!", "..."])
    answer = client.post(
        "/search", data={"limit": "5"}, files={"files": ("shot.png", png(shot), "image/png")}
    )
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert items and len(items) <= 5
    release_family = client.get("/trace", params={"post": RELEASE}).json()["family_id"]
    best = items[0]
    assert best["family_id"] == release_family
    assert set(best["modality"].split("+")) & {"image", "ocr"}
    assert best["evidence"]["source_media"].startswith("media/")
    assert best["size"] > 1


def test_search_refuses_what_it_cannot_read(client: httpx.Client) -> None:
    text_file = client.post("/search", files={"files": ("a.txt", b"hi", "text/plain")})
    assert text_file.status_code == 415
    assert (
        client.post("/search", content=b"x", headers={"content-type": "text/plain"}).status_code
        == 415
    )
    bad_limit = client.post("/search", data={"text": "pemilu", "limit": "500"})
    assert bad_limit.status_code == 422
    assert client.post("/search", json={"text": ""}).status_code == 422


def chromium_or_skip() -> str:
    """Debian's chromium, or a skip (a failure when TRACER_REQUIRE_BROWSER is set)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("TRACER_REQUIRE_BROWSER"):
            pytest.fail("TRACER_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (make system-deps installs it)")
    return chromium


BANTEN_PICTURE = {
    CASES["banten_repost"],
    CASES["serang_copy_of_banten"],
    CASES["kota_serang_copy_of_banten"],
}
"""The posts that carry Banten's bordered picture (its copy and two regency copies)."""


def banten_screenshot(app: str = "instagram", theme: str = "light") -> bytes:
    """Banten's copy as a phone shows it (the seeded generator)."""
    from synthetic.sample_case import BANTEN_TEXT
    from synthetic.screenshots import ScreenshotSpec, render

    media = Path(__file__).resolve().parent.parent / "sample_data" / "corpus" / "media"
    with Image.open(media / "banten_hak_politik.jpg") as picture:
        spec = ScreenshotSpec(app, theme, "none", True, "diskominfo_banten", BANTEN_TEXT, 7)  # type: ignore[arg-type]
        return render(picture, spec).jpeg


def test_post_verify_names_the_copy_a_screenshot_shows(client: httpx.Client) -> None:
    shot = banten_screenshot()
    answer = client.post("/verify", files={"files": ("wa.jpg", shot, "image/jpeg")})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verdict"] == "supported"
    assert body["release"]["post_id"] == RELEASE
    # Banten's bordered picture: Banten's copy or a regency's re-encoding of it, not the
    # release's borderless poster.
    assert body["shown"]["post_id"] in BANTEN_PICTURE
    assert body["shown"]["is_release"] is False
    assert "picture" in body["shown"]["paths"] and body["shown"]["sure"]
    assert body["headline"]["en"].startswith("Supported")


def test_post_verify_card_for_a_screenshot(client: httpx.Client) -> None:
    shot = banten_screenshot("whatsapp", "dark")
    files = {"files": ("dari-grup.jpg", shot, "image/jpeg")}
    html = client.post("/verify/card", files=files)
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    digest = hashlib.sha256(shot).hexdigest()
    assert digest in html.text and "dari-grup.jpg" in html.text
    assert "Didukung" in html.text and "Supported" in html.text
    assert RELEASE in html.text and "Cocok lewat / Matched by" in html.text
    assert "Yang dikirim / Submitted" in html.text and "data:image/jpeg;base64," in html.text
    md = client.post("/verify/card", files=files, data={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# Didukung") and digest in md.text
    bad = client.post("/verify/card", data={"format": "pdf", "text": "x"})
    assert bad.status_code in (400, 422) and bad.headers["content-type"].startswith(PROBLEM)


def test_the_screenshot_card_is_drawn_in_chromium(client: httpx.Client, tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM_ARGS

    card = client.post(
        "/verify/card", files={"files": ("s.jpg", banten_screenshot(), "image/jpeg")}
    )
    assert card.status_code == 200, card.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(f"{client.base_url}/verify/card.css")  # same origin: the stylesheet loads
        page.set_content(card.text, wait_until="load")
        assert page.locator(".verdict.supported h1").inner_text().startswith("Didukung")
        assert page.locator(".sides.three .side").count() == 3  # release, copy, submitted
        loaded = page.evaluate(
            "[...document.querySelectorAll('.thumbs img')].every(i => i.naturalWidth > 0)"
        )
        assert loaded and page.locator(".thumbs img").count() >= 3
        shot = tmp_path / "card.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB").resize((200, 280))).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 200
