"""`/docs` in a real browser: Swagger UI draws the operations of `/openapi.json` from
the app's own files, with no CSP violation (Debian's chromium, headless)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .browser_support import tracer_server
from .conftest import copy_db

ROOT = Path(__file__).resolve().parent.parent
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, sample_db_file: Path) -> Iterator[str]:
    if not (ROOT / "node_modules" / "swagger-ui-dist").is_dir():
        pytest.skip("swagger-ui-dist is not installed (npm install)")
    folder = tmp_path_factory.mktemp("swagger")
    with tracer_server(
        copy_db(sample_db_file, folder), folder / "serve.log", rate_limit="0"
    ) as url:
        yield url


def test_swagger_ui_draws_the_api(base: str) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("TRACER_REQUIRE_BROWSER"):
            pytest.fail("TRACER_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (make system-deps installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.add_init_script(WATCH_CSP)
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{base}/docs")
            page.wait_for_selector(".opblock-summary-path", timeout=15_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert {"/trace", "/families", "/ingest", "/search"} <= {p.strip() for p in paths}
            assert page.evaluate("window.__csp") == []
            assert errors == []
            assert all(url.startswith(base) for url in requested), requested
        finally:
            browser.close()
