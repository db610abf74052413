# ruff: noqa: F811  (fixtures imported from test_browser are parameters here)
"""The analysts' pages in a real browser (Debian's chromium driven by playwright, as in
test_browser.py, against a real `tracer serve` on the sample corpus): the neutrality
watch page and its embed, the overview's post/URL look-up and its times in WIB, and an
embed's error page inside a frame."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx

from .browser_support import SAMPLE, static_server
from .test_browser import (  # noqa: F401  (fixtures)
    Watched,
    api,
    base,
    browser,
    chromium,
    host_port,
    open_overview,
    watched,
)

TRUTH = json.loads((SAMPLE.parent / "truth.json").read_text(encoding="utf-8"))
BANTEN = TRUTH["cases"]["banten_repost"]
RELEASE = TRUTH["cases"]["release"]
PERIOD = "from=2023-11-28&to=2024-02-10"


def rows(page: Any) -> list[dict[str, str]]:
    """The watch table as shown: one dict per row, by column key."""
    keys = page.eval_on_selector_all("#watch th", "ths => ths.map(th => th.dataset.key)")
    cells = page.eval_on_selector_all(
        "#watch-rows tr[data-post-id]",
        "trs => trs.map(tr => [tr.dataset.postId, ...[...tr.cells].map(td => td.textContent)])",
    )
    return [{"post_id": c[0], **dict(zip(keys, c[1:], strict=True))} for c in cells]


def open_watch(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#watch-rows tr[data-post-id]")


def lag_minutes(text: str) -> int:
    hours, minutes = text.lstrip("+").split("h")
    return int(hours) * 60 + int(minutes.rstrip("m"))


def test_watch_page_lists_sorts_filters_and_exports(
    watched: Watched, base: str, api: httpx.Client
) -> None:
    expected = api.get(f"/watch?{PERIOD}").json()["items"]
    page = watched.page
    open_watch(page, f"{base}/watch?{PERIOD}")
    shown = rows(page)
    assert [r["post_id"] for r in shown] == [i["post_id"] for i in expected]
    banten = next(r for r in shown if r["post_id"] == BANTEN)
    assert banten["published_at"] == "2024-01-27 09:15:00 WIB"
    assert banten["status"] == "traced to a release" and banten["province"] == "Banten"
    assert banten["release"].startswith(RELEASE) and banten["lag"] == "+13h42m"
    # A click on "lag" sorts by lag, a second click reverses.
    page.click("#watch th[data-key=lag] button")
    page.click("#watch th[data-key=lag] button")
    lags = [lag_minutes(r["lag"]) for r in rows(page)]
    assert lags == sorted(lags, reverse=True)
    assert page.get_attribute("#watch th[data-key=lag]", "aria-sort") == "descending"
    # Filtering by province keeps Banten's posts only; the CSV link follows the filter.
    page.select_option("#watch-province", "36")
    banten_rows = rows(page)
    assert {r["province"] for r in banten_rows} == {"Banten"}
    assert len(banten_rows) == len([i for i in expected if i["province_code"] == "36"])
    href = page.get_attribute("#watch-csv", "href")
    assert href is not None and "province=36" in href and "format=csv" in href
    table = list(csv.DictReader(io.StringIO(api.get(href).text)))
    assert sorted(r["post_id"] for r in table) == sorted(r["post_id"] for r in banten_rows)
    page.select_option("#watch-tier", "regency")
    assert {r["tier"] for r in rows(page)} == {"regency"}


def test_watch_form_sets_the_period(watched: Watched, base: str) -> None:
    page = watched.page
    open_watch(page, f"{base}/watch?{PERIOD}")
    page.fill("#watch-from", "2024-02-01")
    page.fill("#watch-to", "2024-02-10")
    page.click("#watch-form button[type=submit]")
    page.wait_for_url("**/watch?from=2024-02-01*")
    page.wait_for_selector("#watch-rows tr[data-post-id]")
    dates = {r["published_at"][:10] for r in rows(page)}
    assert dates and all("2024-02-01" <= d <= "2024-02-10" for d in dates)
    assert page.input_value("#watch-from") == "2024-02-01"


def test_watch_embeds_in_a_host_page(
    watched: Watched, base: str, api: httpx.Client, host_port: int, tmp_path: Path
) -> None:
    expected = api.get(f"/watch?{PERIOD}&tier=province").json()["items"]
    (tmp_path / "host.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Watchdog</title></head><body>"
        f"<iframe id='watch' src='{base}/embed/watch?{PERIOD}&amp;tier=province' width='900' "
        "height='600' title='watch'></iframe></body></html>",
        encoding="utf-8",
    )
    with static_server(tmp_path, host_port, tmp_path / "host.log") as host:
        page = watched.page
        page.goto(f"{host}/host.html")
        frame = page.frame_locator("#watch")
        frame.locator("#watch-rows tr[data-post-id]").first.wait_for()
        embedded = next(f for f in page.frames if "/embed/watch" in f.url)
        assert len(rows(embedded)) == len(expected)
        assert embedded.evaluate("document.getElementById('watch-form')") is None
        assert embedded.input_value("#watch-tier") == "province"


def test_overview_looks_up_a_post_by_url_and_shows_wib(
    watched: Watched, base: str, api: httpx.Client
) -> None:
    page = watched.page
    open_overview(page, base)
    assert "first seen (WIB)" in page.inner_text("#families thead")
    family = api.get("/families", params={"sort": "size", "limit": 1}).json()["items"][0]
    row = page.locator(f"#family-rows tr[data-family='{family['family_id']}'] td.time").first
    first_seen = api.get(f"/posts/{family['origin']['post_id']}").json()["published_at"]
    # The origin's time, shown in WIB (UTC+7), as the CLI shows it.
    hour = (int(first_seen[11:13]) + 7) % 24
    assert row.inner_text().endswith(f"{hour:02d}:{first_seen[14:16]}")
    page.fill("#lookup-post", "https://www.instagram.com/p/banten-ig-20240127/?igsh=abc")
    page.click("#lookup button[type=submit]")
    page.wait_for_selector(f"#lookup-result[data-post-id='{BANTEN}']")
    text = page.inner_text("#lookup-result")
    assert "2024-01-27 09:15:00 WIB" in text and RELEASE in text and "(+13h42m)" in text
    assert "supported" in text and "campaign_period" in text
    assert page.get_attribute("#lookup-adoption", "href") == f"/adoption?post={BANTEN}"
    assert page.get_attribute("#lookup-embed", "href") == f"/embed/trace?post={BANTEN}"
    csv_link = page.get_attribute("#export-families", "href")
    assert csv_link == "/families?format=csv"


def test_overview_lookup_of_an_unknown_post_says_so(browser: Any, base: str) -> None:
    page = browser.new_page()
    try:
        open_overview(page, base)
        page.fill("#lookup-post", "no-such-post")
        page.click("#lookup button[type=submit]")
        page.wait_for_selector("#lookup-result .error")
        assert page.inner_text("#lookup-result") == "no post 'no-such-post'"
    finally:
        page.close()


def test_an_embed_error_inside_a_frame_is_a_page(
    browser: Any, base: str, host_port: int, tmp_path: Path
) -> None:
    (tmp_path / "host.html").write_text(
        f"<!doctype html><iframe id='cascade' src='{base}/embed/families/F999999'></iframe>",
        encoding="utf-8",
    )
    with static_server(tmp_path, host_port, tmp_path / "host.log") as host:
        page = browser.new_page()
        try:
            page.goto(f"{host}/host.html")
            frame = page.frame_locator("#cascade")
            frame.locator("#tracer-error").wait_for()
            assert frame.locator("#tracer-error").get_attribute("data-status") == "404"
            assert "no family 'F999999'" in frame.locator("#tracer-error").inner_text()
        finally:
            page.close()
