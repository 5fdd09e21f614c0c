"""The overview as graph.html's first view (kg.overview.drawing): what it shows and folds, and in Chromium at 1366×900
in both languages: no two labels overlap, each is legible and inside the view, a fold opens on a click, the whole graph
is one click away, and every word of the page's own is in the language shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.network import from_store
from kg.overview import CELL, DIMENSIONS, drawing
from kg.render import PAGE_WORDS
from kg.stores import Store
from kg.vocab import PROV, SCE

from .test_browser import browser  # noqa: F401

READY = "body[data-ready='true']"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

#: Every label box vis-network drew (canvas units), and the pairs of them that overlap.
LABEL_BOXES = """() => {
    const net = window.kg.network, boxes = [];
    window.kg.nodes.getIds().forEach(id => {
        const node = net.body.nodes[id];
        if (!node || !node.options.label) return;
        const s = node.labelModule.size;
        boxes.push({id: id, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height,
                    font: node.labelModule.fontOptions.size});
    });
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([a.id, b.id]);
    }
    const box = document.getElementById('kg-graph').getBoundingClientRect();
    const outside = boxes.filter(b => {
        const p = net.canvasToDOM({x: b.left, y: b.top}), q = net.canvasToDOM({x: b.right, y: b.bottom});
        return p.x < 0 || p.y < 0 || q.x > box.width || q.y > box.height;
    }).map(b => b.id);
    return {count: boxes.length, overlaps: overlaps, outside: outside, scale: net.getScale(),
            smallest: Math.min(...boxes.map(b => b.font)) * net.getScale()};
}"""


def graph_page(tmp_path: Path, lang: str) -> Path:
    out = tmp_path / f"graph-{lang}.html"
    result = CliRunner().invoke(main, ["render", "--lang", lang, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def opened(browser: Any, path: Path, width: int = 1366, height: int = 900) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(offline=True, viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    yield page
    assert errors == []
    context.close()


# --- What the overview shows and folds ---------------------------------------------------------------------------


def test_every_node_is_drawn_or_in_one_fold(store: Store) -> None:
    """The first view holds the four models and their dimensions' values (at most CELL a model a row); every other
    node is in exactly one fold, sources and events in their own."""
    graph = from_store(store)
    view = drawing(graph)
    shown = [n["id"] for n in view["nodes"] if "kind" not in n]
    folded = [m[0] for members in view["folds"].values() for m in members]
    assert sorted(shown + folded) == sorted(graph.nodes) and len(set(shown + folded)) == len(shown) + len(folded)
    models = [n for n, d in graph.nodes(data=True) if d.get("class") == SCE.SocialCommerceModel]
    assert len(models) == 4 and set(models) <= set(shown)
    for prop, _ in DIMENSIONS:
        values = {v for m in models for _, v, k in graph.out_edges(m, keys=True) if k == prop}
        assert values <= set(shown) or len(values) > CELL, prop
    sources = {n for n, d in graph.nodes(data=True) if d.get("class") == PROV.Entity}
    events = {n for n, d in graph.nodes(data=True) if d.get("class") == SCE.MarketEvent}
    assert {m[0] for m in view["folds"]["fold:sources"]} == sources and len(sources) > 40
    assert {m[0] for m in view["folds"]["fold:events"]} == events and len(events) > 20
    labels = {n["id"]: n["label_en"] for n in view["nodes"] if n.get("kind") == "fold"}
    assert labels["fold:sources"] == f"{len(sources)} sources ▸"
    assert labels["fold:events"] == f"{len(events)} market events ▸"


def test_a_graph_without_models_has_no_overview_and_a_part_of_one_opens_on_itself(store: Store) -> None:
    graph = kg.open()
    assert '"overview":{"folds"' in graph.draw().page
    assert '"overview":{}' in graph.draw("快手").page


# --- In Chromium ---------------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_the_first_view_at_1366x900_has_no_two_labels_overlapping(
    browser: Any,  # noqa: F811
    tmp_path: Path,
    store: Store,
    lang: str,
) -> None:
    """Measured in the browser from vis-network's own label boxes: none overlaps another, none is cut off by the
    view's edges, none is drawn smaller than 10 px; the models and a heading per dimension are among them."""
    graph = from_store(store)
    expected = drawing(graph)
    for page in opened(browser, graph_page(tmp_path, lang)):
        boxes = page.evaluate(LABEL_BOXES)
        assert boxes["count"] == len(expected["nodes"]) > 60
        assert boxes["overlaps"] == [], boxes["overlaps"]
        assert boxes["outside"] == [] and boxes["smallest"] >= 10, boxes
        assert page.evaluate("() => window.kg.view()") == "overview"
        labels = page.evaluate("() => window.kg.nodes.get().map(n => n.label)")
        models = ["拼购型", "分销型", "内容型", "社区团购型"] if lang == "zh-Hans" else ["group buying", "content"]
        assert set(models) <= set(labels)
        assert ("企业" if lang == "zh-Hans" else "enterprise") in labels


@pytest.mark.browser
def test_a_fold_opens_on_a_click_and_the_whole_graph_is_one_click_away(
    browser: Any,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    graph = from_store(store)
    events = len(drawing(graph)["folds"]["fold:events"])
    for page in opened(browser, graph_page(tmp_path, "zh-Hans")):
        before = page.evaluate("() => window.kg.nodes.length")
        spot = page.evaluate(
            "() => { const n = window.kg.network, p = n.canvasToDOM(n.getPosition('fold:events'));"
            " const r = document.getElementById('kg-graph').getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }"
        )
        page.mouse.click(spot[0], spot[1])
        page.wait_for_function(f"() => window.kg.nodes.length === {before + events}")
        boxes = page.evaluate(LABEL_BOXES)
        assert boxes["overlaps"] == [], boxes["overlaps"]
        page.evaluate("() => window.kg.toggleFold('fold:events')")
        assert page.evaluate("() => window.kg.nodes.length") == before
        page.click("#kg-view button[data-view='whole']")
        assert page.evaluate("() => [window.kg.view(), window.kg.nodes.length, window.kg.edges.length]") == [
            "whole", graph.number_of_nodes(), graph.number_of_edges()
        ]  # fmt: skip
        page.click("#kg-view button[data-view='overview']")
        assert page.evaluate("() => window.kg.nodes.length") == before


# --- One language at a time ----------------------------------------------------------------------------------------

#: Every word the page shows of its own: texts but the graph's data and the query, and titles, placeholders and
#: accessible names, then the labels drawn of the overview's own nodes (row headings, folds).
WORDS_SHOWN = """() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('script, style, #kg-query pre, #kg-lang, #kg-panel-body, #kg-tooltip')
        .forEach(e => e.remove());
    const attributes = [...body.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap(e =>
        ['title', 'placeholder', 'aria-label'].map(a => e.getAttribute(a)).filter(Boolean));
    const made = window.kg.nodes.get().filter(n => n.kind).map(n => n.label);
    return [body.innerText, ...attributes, document.title, ...made].join('\\n');
}"""


def left_over(words: str, lang: str) -> list[str]:
    """The page's own words of the other language that ``words`` still holds."""
    other = PAGE_WORDS["en" if lang == "zh-Hans" else "zh-Hans"]
    return [w.strip() for w in other.values() if w.strip() and w.strip() in words]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_graph_html_shows_its_own_words_in_one_language(browser: Any, tmp_path: Path, lang: str) -> None:  # noqa: F811
    """Written in one language and switched to the other, the page's title, buttons, counts, legend, row headings and
    folds are all in the language shown: none of the other's words (PAGE_WORDS) is left, and in English no Chinese."""
    other = "en" if lang == "zh-Hans" else "zh-Hans"
    for page in opened(browser, graph_page(tmp_path, lang)):
        for shown in (lang, other):
            if shown != lang:
                page.click(f"#kg-lang button[data-lang='{shown}']")
            words = page.evaluate(WORDS_SHOWN)
            assert left_over(words, shown) == [], (shown, left_over(words, shown))
            if shown == "en":
                assert CJK.findall(words) == [], CJK.findall(words)
            else:
                assert re.findall(r"[A-Za-z]{3,}", words) == [], re.findall(r"[A-Za-z]{3,}", words)
            assert PAGE_WORDS[shown]["whole"] in words and PAGE_WORDS[shown]["title"] in words


@pytest.mark.browser
def test_the_page_reads_the_rest_of_the_graph_only_when_asked(browser: Any, tmp_path: Path, store: Store) -> None:  # noqa: F811
    """The overview paints from its own nodes; finding a node it does not show reads the rest, switches to the whole
    graph and selects that node."""
    graph = from_store(store)
    event = next(n for n, d in graph.nodes(data=True) if d.get("class") == SCE.MarketEvent)
    for page in opened(browser, graph_page(tmp_path, "en")):
        assert page.evaluate("(id) => window.kg.nodes.get(id)", event) is None
        page.fill("#kg-search", graph.nodes[event]["label_en"])
        page.press("#kg-search", "Enter")
        assert page.evaluate("() => [window.kg.view(), window.kg.network.getSelectedNodes()]") == ["whole", [event]]
        assert page.evaluate("() => window.kg.nodes.length") == graph.number_of_nodes()


@pytest.mark.browser
def test_on_a_narrow_screen_the_overview_starts_legible_with_the_first_model_in_view(
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """At 760 px the whole overview would be drawn at half size: it starts at a scale that reads (labels of 9.5 px and
    more), the rows' names and the first model in view, and still no two labels overlap."""
    for page in opened(browser, graph_page(tmp_path, "zh-Hans"), width=760, height=900):
        boxes = page.evaluate(LABEL_BOXES)
        assert boxes["overlaps"] == [] and boxes["smallest"] >= 9.5, boxes["smallest"]
        in_view = {"https://w3id.org/sce/id/group-buying", "row:hasForm", "row:representedBy"}
        assert not in_view & set(boxes["outside"]), boxes["outside"]
