"""The pages in a real browser (Debian's Chromium through Playwright), offline: they draw, count right, search,
switch language, and run no script from the data on load, hover or click."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.network import from_store, neighbourhood
from kg.render import write_html
from kg.stores import Store
from kg.vocab import ID

from .conftest import DATA, need

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
EXPORTS = Path(__file__).resolve().parent.parent / "exports"
READY = "body[data-ready='true']"


@dataclass
class Visit:
    """A page opened offline, with what it tried to fetch and the errors it raised."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def offline_context(browser: Any, *, server: str | None = None, **options: Any) -> tuple[Any, list[str]]:
    """A fresh browser context that aborts, and lists, every request that is not for a local file or, given ``server``
    (an origin such as ``http://127.0.0.1:8000``), for that server. Without a server the context is offline as well.
    ``options`` go to the context (``viewport``, ``bypass_csp`` …)."""
    context = browser.new_context(offline=server is None, **options)
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file:") or (server is not None and (url == server or url.startswith(server + "/"))):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    return context, blocked


def visit(browser: Any, path: Path, *, bypass_csp: bool = False) -> Iterator[Visit]:
    """Open ``path`` in a fresh offline context that aborts every request that is not a local file."""
    context = browser.new_context(offline=True, bypass_csp=bypass_csp, viewport={"width": 1200, "height": 800})
    page = context.new_page()
    seen = Visit(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file:"):
            request_route.continue_()
        else:
            seen.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    yield seen
    context.close()


@pytest.fixture
def whole(browser: Any) -> Iterator[Visit]:
    yield from visit(browser, EXPORTS / "sce.html")


def drawn_pixels(page: Any) -> int:
    """How many pixels of the graph's canvas are not blank."""
    return int(
        page.evaluate(
            """() => {
            const canvas = document.querySelector('#kg-graph canvas');
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
            return count;
        }"""
        )
    )


def expected_graph(store: Store, name: str) -> nx.MultiDiGraph:
    graph = from_store(store)
    return graph if name == "sce.html" else neighbourhood(graph, ID.term(name[len("model-") : -len(".html")]))


PAGES = ["sce.html", "model-group-buying.html", "model-distribution.html", "model-content.html",
         "model-community-group-buying.html"]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_exported_page_draws_offline_with_every_node(browser: Any, store: Store, name: str) -> None:
    """Each page draws offline; the whole graph's opens on its overview, and its "whole graph" button draws every
    node."""
    for seen in visit(browser, EXPORTS / name):
        assert drawn_pixels(seen.page) > 1000
        if name == "sce.html":
            assert seen.page.evaluate("() => window.kg.view()") == "overview"
            seen.page.click("#kg-view button[data-view='whole']")
            assert drawn_pixels(seen.page) > 1000
        assert seen.page.evaluate("() => window.kg.nodes.length") == expected_graph(store, name).number_of_nodes()
        assert seen.page.locator("#kg-node-count").inner_text() == str(expected_graph(store, name).number_of_nodes())
        assert seen.blocked == [] and seen.errors == []


@pytest.mark.parametrize("word", ["Kuaishou", "快手", "Aauto Faster"])
def test_search_finds_a_node_by_any_label(whole: Visit, word: str) -> None:
    page = whole.page
    page.fill("#kg-search", word)
    page.press("#kg-search", "Enter")
    assert page.evaluate("() => window.kg.network.getSelectedNodes()") == [ID.kuaishou]
    assert page.locator("#kg-panel").is_visible()
    assert "Kuaishou" in page.locator("#kg-panel-body").inner_text()
    assert whole.errors == []


def test_language_toggle_changes_the_labels(whole: Visit) -> None:
    page = whole.page
    label = "() => window.kg.nodes.get('https://w3id.org/sce/id/kuaishou').label"
    assert page.evaluate(label) == "Kuaishou"
    page.click("#kg-lang button[data-lang='zh-Hans']")
    assert page.evaluate(label) == "快手"
    legend = page.locator("#kg-legend").inner_text()
    assert "企业" in legend and "enterprise" not in legend
    page.click("#kg-lang button[data-lang='en']")
    assert page.evaluate(label) == "Kuaishou"


def hover_until(page: Any, spot: list[float], shown: str) -> None:
    """Move the mouse onto ``spot`` of a drawing whose simulation has stopped until ``shown`` (a selector) appears:
    a loaded machine may miss the first hover event, so the mouse is nudged a pixel or two before giving up."""
    for nudge in (0, 1, -1, 2):
        page.mouse.move(spot[0] + nudge, spot[1] + nudge)
        if page.locator(shown).count():
            return
        page.wait_for_timeout(300)
    page.wait_for_selector(shown, timeout=10000)


def hover_and_click(page: Any, node: str) -> None:
    """Move the mouse onto ``node`` (its summary shows), then click it (its panel opens)."""
    spot = page.evaluate(
        "(id) => { const n = window.kg.network; n.stopSimulation(); const p = n.canvasToDOM(n.getPosition(id));"
        " const r = document.getElementById('kg-graph').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        node,
    )
    hover_until(page, spot, "#kg-tooltip:not([hidden])")
    page.mouse.click(spot[0], spot[1])
    page.wait_for_selector("#kg-panel:not([hidden])", timeout=5000)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_payloads_in_labels_comments_and_iris_run_no_script(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    store = Store()
    store.load(DATA / "render_xss.ttl")
    graph = from_store(store)
    path = write_html(graph, tmp_path / "xss.html", title="<img src=x onerror=\"window.__pwned='title'\">")
    for seen in visit(browser, path, bypass_csp=bypass_csp):
        page = seen.page
        page.evaluate("() => window.kg.network.moveTo({scale: 1.5})")
        for node in sorted(graph.nodes):
            page.evaluate("(id) => window.kg.network.fit({nodes: [id], animation: false})", node)
            hover_and_click(page, node)
            page.click("#kg-lang button[data-lang='zh-Hans']")
            page.click("#kg-lang button[data-lang='en']")
        tooltip = page.locator("#kg-tooltip").inner_text()
        assert "<" in tooltip or "&" in tooltip, "payloads are shown as text"
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("#kg-panel img, #kg-panel svg, #kg-panel iframe, #kg-panel a, #kg-tooltip img").count() == 0
        assert seen.blocked == [] and seen.errors == []


def test_notebook_drawing_draws_inside_its_sandboxed_frame(browser: Any, tmp_path: Path) -> None:
    import kg

    drawing = kg.open(data=[DATA / "notebook_xss.ttl"]).draw("content", height=500)
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{drawing._repr_html_()}</body></html>", encoding="utf-8")
    context, blocked = offline_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(host.as_uri())
    inner = page.frame_locator("iframe.kg-drawing")
    inner.locator(READY).wait_for(state="attached", timeout=30_000)
    frame = next(f for f in page.frames if f != page.main_frame)
    assert frame.evaluate("() => window.kg.nodes.length") == drawing.nodes
    assert page.locator("iframe.kg-drawing").bounding_box()["height"] == pytest.approx(500, abs=2)
    assert frame.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => typeof window.kg") == "undefined", "the page's scripts stay inside the frame"
    assert blocked == [] and errors == []
    context.close()
