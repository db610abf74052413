"""The embeddable cascade view and the overview page in a real browser: Debian's
chromium, headless, driven by the Python `playwright` package (never `playwright
install`), against a real `tracer serve` on the sample corpus.

Skipped only when chromium is missing and TRACER_REQUIRE_BROWSER is not set (CI sets it).
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from .browser_support import static_server, tracer_server
from .conftest import copy_db
from .processes import free_port

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Collects Content-Security-Policy violations before any script of the page runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""
TIER_RGB = {"central": (0xC0, 0x39, 0x2B), "province": (0x24, 0x71, 0xA3)}


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("TRACER_REQUIRE_BROWSER"):
            pytest.fail("TRACER_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (make system-deps installs it)")
    return path


@pytest.fixture(scope="module")
def host_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, host_port: int, sample_db_file: Path
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    # The host page of the iframe test runs on another origin, which the CSP must allow;
    # rate limits are off so that a slow run's page loads are never refused.
    ancestors = f"'self',http://127.0.0.1:{host_port}"
    with tracer_server(
        copy_db(sample_db_file, folder),
        folder / "serve.log",
        frame_ancestors=ancestors,
        rate_limit="0",
    ) as url:
        yield url


@pytest.fixture(scope="module")
def api(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, uncaught errors and CSP violations are collected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def problems(self) -> list[str]:
        violations = [
            v for frame in self.page.frames for v in frame.evaluate("window.__cspViolations || []")
        ]
        return self.errors + [f"CSP: {v}" for v in violations]


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1000, "height": 640})
    context.add_init_script(WATCH_CSP)
    # No request may leave the machine: post URLs opened by a click are answered here.
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.fulfill(status=200, content_type="text/plain", body="post"),
    )
    page = Watched(context.new_page())
    yield page
    problems = page.problems()
    context.close()
    assert not problems, problems


def largest_family(api: httpx.Client) -> str:
    items = api.get("/families", params={"sort": "size", "limit": 1}).json()["items"]
    return str(items[0]["family_id"])


def cytoscape_elements(api: httpx.Client, family_id: str) -> dict[str, Any]:
    response = api.get(f"/families/{family_id}/graph", params={"format": "cytoscape"})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def open_embed(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#tracer-embed[data-ready]")
    assert page.get_attribute("#tracer-embed", "data-ready") == "true"


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    point = page.evaluate(
        """(id) => {
          const box = document.getElementById("tracer-graph").getBoundingClientRect();
          const p = window.tracerGraph.getElementById(id).renderedPosition();
          return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    return float(point[0]), float(point[1])


def center_on(page: Any, node_id: str) -> None:
    # The function returns nothing: Playwright would serialise the whole Cytoscape core.
    page.evaluate(
        "(id) => { window.tracerGraph.center(window.tracerGraph.getElementById(id)); }", node_id
    )


# --- the embed page ---------------------------------------------------------------


def test_embed_draws_every_node_the_api_returns(
    watched: Watched, base: str, api: httpx.Client
) -> None:
    family_id = largest_family(api)
    elements = cytoscape_elements(api, family_id)
    page = watched.page
    open_embed(page, f"{base}/embed/families/{family_id}")
    drawn = page.evaluate(
        """() => window.tracerGraph.nodes().map((n) => [
             n.id(), n.data("timestamp"), n.data("tier"), n.position("x"), n.position("y")])"""
    )
    assert len(drawn) == len(elements["nodes"])
    assert {d[0] for d in drawn} == {n["data"]["id"] for n in elements["nodes"]}
    assert page.evaluate("window.tracerGraph.edges().length") == len(elements["edges"])
    # Time runs left to right …
    by_time = sorted(drawn, key=lambda d: d[1])
    assert all(a[3] <= b[3] for a, b in itertools.pairwise(by_time))
    # … and tiers top to bottom, each in its own lane.
    lanes = {tier: [d[4] for d in drawn if d[2] == tier] for tier in ("central", "province")}
    assert max(lanes["central"]) < min(lanes["province"])
    legend = page.locator("#tracer-legend li").all_inner_texts()
    assert [t.strip() for t in legend] == ["central", "province", "regency / city", "other"]


def test_hover_shows_account_time_and_evidence(
    watched: Watched, base: str, api: httpx.Client
) -> None:
    family_id = largest_family(api)
    elements = cytoscape_elements(api, family_id)
    copy = next(e["data"] for e in elements["edges"])
    target = next(n["data"] for n in elements["nodes"] if n["data"]["id"] == copy["target"])
    page = watched.page
    open_embed(page, f"{base}/embed/families/{family_id}")
    center_on(page, target["id"])
    page.mouse.move(*node_point(page, target["id"]))
    tooltip = page.locator("#tracer-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert target["account_id"] in text
    assert target["local_time"] in text and "WIB" in text
    assert f"{copy['modality']} match" in text and copy["reason"] in text
    assert "containment" in text
    page.mouse.move(2, 2)
    tooltip.wait_for(state="hidden")


def test_click_opens_the_post_in_a_new_tab(watched: Watched, base: str, api: httpx.Client) -> None:
    family_id = largest_family(api)
    elements = cytoscape_elements(api, family_id)
    node = next(n["data"] for n in elements["nodes"] if n["data"]["url"])
    page = watched.page
    open_embed(page, f"{base}/embed/families/{family_id}")
    center_on(page, node["id"])
    with page.context.expect_page() as opened:
        page.mouse.click(*node_point(page, node["id"]))
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url == node["url"]


def test_zoom_and_pan_move_the_view(watched: Watched, base: str, api: httpx.Client) -> None:
    page = watched.page
    open_embed(page, f"{base}/embed/families/{largest_family(api)}")
    before = page.evaluate("[window.tracerGraph.zoom(), window.tracerGraph.pan().x]")
    box = page.locator("#tracer-graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"window.tracerGraph.zoom() > {before[0]}")
    ticks = page.locator("#tracer-axis .tick").count()
    assert ticks >= 2


def test_screenshot_is_not_blank(watched: Watched, base: str, api: httpx.Client) -> None:
    page = watched.page
    open_embed(page, f"{base}/embed/families/{largest_family(api)}")
    page.wait_for_timeout(200)  # one more animation frame for the canvas
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20
    counts = {rgb: n for n, rgb in colours}
    for tier, rgb in TIER_RGB.items():
        assert counts.get(rgb, 0) > 50, f"no {tier} node drawn"


def test_embed_trace_marks_the_post_and_its_path(
    watched: Watched, base: str, api: httpx.Client
) -> None:
    elements = cytoscape_elements(api, largest_family(api))
    parents = {e["data"]["target"]: e["data"]["source"] for e in elements["edges"]}
    post = max(parents, key=lambda p: len(_path(parents, p)))
    page = watched.page
    open_embed(page, f"{base}/embed/trace?post={post}")
    assert page.evaluate("window.tracerGraph.$('node.highlighted').map((n) => n.id())") == [post]
    on_path = page.evaluate("window.tracerGraph.$('edge.path').map((e) => e.data('target'))")
    assert sorted(on_path) == sorted(_path(parents, post)[1:])


def _path(parents: dict[str, str], post: str) -> list[str]:
    path = [post]
    while path[-1] in parents:
        path.append(parents[path[-1]])
    return path[::-1]


def test_embed_of_a_post_that_is_alone(watched: Watched, base: str, api: httpx.Client) -> None:
    lone = api.get("/posts", params={"limit": 500}).json()["items"]
    post = next(p for p in lone if p["family_id"] is None)
    page = watched.page
    open_embed(page, f"{base}/embed/trace?post={post['post_id']}")
    assert page.evaluate("window.tracerGraph.nodes().map((n) => n.id())") == [post["post_id"]]


def test_host_page_embeds_the_view_in_an_iframe(
    watched: Watched,
    base: str,
    api: httpx.Client,
    host_port: int,
    tmp_path: Path,
) -> None:
    family_id = largest_family(api)
    expected = len(cytoscape_elements(api, family_id)["nodes"])
    (tmp_path / "host.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>A dashboard</title></head>"
        "<body><h1>Provincial dashboard</h1>"
        f"<iframe id='cascade' src='{base}/embed/families/{family_id}?legend=0' "
        "width='900' height='500' title='cascade'></iframe></body></html>",
        encoding="utf-8",
    )
    with static_server(tmp_path, host_port, tmp_path / "host.log") as host:
        page = watched.page
        page.goto(f"{host}/host.html")
        frame = page.frame_locator("#cascade")
        frame.locator("#tracer-embed[data-ready='true']").wait_for()
        embedded = next(f for f in page.frames if "/embed/families/" in f.url)
        assert embedded.evaluate("window.tracerGraph.nodes().length") == expected
        assert embedded.evaluate("document.getElementById('tracer-legend').hidden") is True
        shot = Image.open(io.BytesIO(page.locator("#cascade").screenshot())).convert("RGB")
        colours = shot.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20


# --- the overview page -------------------------------------------------------------


def all_families(api: httpx.Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = api.get("/families", params=params).json()
        items.extend(page["items"])
        cursor = page["next"]
        if not cursor:
            return items


def open_overview(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    page.wait_for_selector("#tracer-overview[data-ready]")
    assert page.get_attribute("#tracer-overview", "data-ready") == "true"


def test_overview_lists_every_family(watched: Watched, base: str, api: httpx.Client) -> None:
    families = all_families(api)
    page = watched.page
    open_overview(page, base)
    rows = page.locator("#family-rows tr[data-family]")
    assert rows.count() == len(families)
    shown = {rows.nth(i).get_attribute("data-family") for i in range(rows.count())}
    assert shown == {f["family_id"] for f in families}
    assert page.locator("#timeline svg g[data-family]").count() == min(len(families), 40)
    accounts = api.get("/accounts", params={"limit": 500}).json()["items"]
    province_of = {a["region"]: a["province"] for a in accounts if a["province"]}
    provinces = {province_of.get(r, r) for f in families for r in f["regions"]}
    shown_provinces = page.locator("#coverage .region .name").all_inner_texts()
    assert set(shown_provinces) == provinces
    assert len(shown_provinces) < len({r for f in families for r in f["regions"]})


def test_overview_sorts_and_searches(watched: Watched, base: str, api: httpx.Client) -> None:
    families = all_families(api)
    page = watched.page
    open_overview(page, base)
    page.click("th[data-key='size'] button")  # largest first
    first = page.locator("#family-rows tr[data-family]").first.get_attribute("data-family")
    assert first == max(families, key=lambda f: (f["size"], -int(f["family_id"][1:])))["family_id"]
    page.click("th[data-key='size'] button")  # smallest first
    sizes = [
        int(t)
        for t in page.locator("#family-rows tr[data-family] td.num:nth-child(5)").all_inner_texts()
    ]
    assert sizes == sorted(sizes)
    target = families[0]
    page.fill("#family-search", target["family_id"])
    shown = page.locator("#family-rows tr[data-family]")
    assert target["family_id"] in shown.first.inner_text()
    page.fill("#family-search", "no-such-thing-anywhere")
    assert page.locator("#family-rows tr[data-family]").count() == 0
    assert "No family matches" in page.locator("#family-rows").inner_text()


def test_overview_links_open_the_embeds(watched: Watched, base: str, api: httpx.Client) -> None:
    page = watched.page
    open_overview(page, base)
    link = page.locator("#family-rows a.embed-link").first
    family_id = link.inner_text()
    link.click()
    page.wait_for_url(f"**/embed/families/{family_id}")
    open_embed(page, page.url)
    expected = len(cytoscape_elements(api, family_id)["nodes"])
    assert page.evaluate("window.tracerGraph.nodes().length") == expected


def test_a_site_not_in_frame_ancestors_cannot_embed(
    browser: Any, tmp_path: Path, host_port: int, sample_db_file: Path
) -> None:
    # A server with the default `frame-ancestors 'self'`: the browser refuses the frame.
    db = copy_db(sample_db_file, tmp_path / "db")
    with tracer_server(db, tmp_path / "serve.log", rate_limit="0") as other:
        with httpx.Client(base_url=other, timeout=10) as client:
            family_id = largest_family(client)
        site = tmp_path / "site"
        site.mkdir()
        (site / "host.html").write_text(
            f"<!doctype html><iframe id='cascade' src='{other}/embed/families/{family_id}'>"
            "</iframe>",
            encoding="utf-8",
        )
        with static_server(site, host_port, tmp_path / "host.log") as host:
            page = browser.new_page()
            refusals: list[str] = []
            page.on("console", lambda m: "frame-ancestors" in m.text and refusals.append(m.text))
            page.goto(f"{host}/host.html")
            page.wait_for_timeout(1500)
            embedded = [f for f in page.frames if "/embed/families/" in f.url]
            drawn = [f for f in embedded if f.evaluate("typeof window.tracerGraph") == "object"]
            page.close()
    assert refusals, "chromium did not report the frame-ancestors refusal"
    assert not drawn
