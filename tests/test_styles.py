"""One colour and one shape per class in every drawing, and a legend in each: read in Chromium from what each drawing
drew (vis-network's own node options, the overview's glyphs) and compared with kg.styles.style_of — graph.html (its
overview and the whole graph), the notebook's drawing, a node page's, the query page's graph view, the served
overview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.network import from_store
from kg.render import class_styles
from kg.stores import Store
from kg.styles import CLASS_STYLES, NO_CLASS, SPARE_STYLES, style_of
from kg.vocab import SCE

from .servers import Server, start_kg_serve
from .test_browser import EXPORTS, browser, offline_context  # noqa: F401

READY = "body[data-ready='true']"

#: Each drawn node's id, colour and shape as vis-network holds them, given the network.
DRAWN = """(net) => Object.keys(net.body.nodes).filter(id => net.body.nodes[id].options.kind === undefined)
    .map(id => { const o = net.body.nodes[id].options; return [id, o.color.background, o.shape]; })"""
#: The legend's entries: class, colour, shape.
LEGEND = """(selector) => [...document.querySelectorAll(selector + ' li[data-class]')]
    .map(li => [li.getAttribute('data-class'), li.getAttribute('data-colour'), li.getAttribute('data-shape')])"""


def test_the_table_gives_each_class_its_own_pair_and_spares_depend_on_the_iri_alone() -> None:
    pairs = [*CLASS_STYLES.values(), NO_CLASS]
    assert len(set(pairs)) == len(pairs) and not set(SPARE_STYLES) & set(pairs)
    alone, crowded = nx.MultiDiGraph(), nx.MultiDiGraph()
    alone.add_node("a", **{"class": "https://example.org/Zebra"})
    for i, name in enumerate(["Aardvark", "Bee", "Cat", "Zebra"]):
        crowded.add_node(str(i), **{"class": f"https://example.org/{name}"})
    zebra = "https://example.org/Zebra"
    assert (class_styles(alone)[zebra].colour, class_styles(alone)[zebra].shape) == style_of(zebra)
    assert (class_styles(crowded)[zebra].colour, class_styles(crowded)[zebra].shape) == style_of(zebra)


def test_every_class_of_the_built_in_graph_is_in_the_table(store: Store) -> None:
    classes = {d.get("class", "") for _, d in from_store(store).nodes(data=True)} - {""}
    assert classes <= set(CLASS_STYLES), classes - set(CLASS_STYLES)


def classes_of(store: Store) -> dict[str, str]:
    return {n: d.get("class", "") for n, d in from_store(store).nodes(data=True)}


def assert_styled(drawn: list[list[str]], legend: list[list[str]], classes: dict[str, str]) -> None:
    """Every node drawn in its class's pair; the legend names each class drawn with the same pair."""
    assert drawn and legend
    wrong = [(i, c, s, style_of(classes[i])) for i, c, s in drawn if (c, s) != style_of(classes[i])]
    assert wrong == []
    assert all((c, s) == style_of(cls) for cls, c, s in legend), legend
    assert {classes[i] for i, _, _ in drawn} <= {cls for cls, _, _ in legend}


def open_page(browser: Any, url: str, *, server: str | None = None, ready: str = READY) -> Iterator[Any]:  # noqa: F811
    context, blocked = offline_context(browser, server=server, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=30_000)
    yield page
    assert blocked == [] and errors == []
    context.close()


@pytest.mark.browser
def test_graph_html_and_the_notebook_draw_each_class_as_the_table_says(
    browser: Any,  # noqa: F811
    store: Store,
    tmp_path: Path,
) -> None:
    classes = classes_of(store)
    notebook = kg.open().draw().save(tmp_path / "notebook.html")
    for path in (EXPORTS / "sce.html", notebook):
        for page in open_page(browser, path.as_uri()):
            for view in ("overview", "whole"):
                page.evaluate("(view) => window.kg.showView(view)", view)
                drawn = page.evaluate(f"() => ({DRAWN})(window.kg.network)")
                assert len(drawn) == page.evaluate("() => window.kg.nodes.get().filter(n => !n.kind).length")
                assert_styled(drawn, page.evaluate(LEGEND, "#kg-legend"), classes)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_kg_serve(tmp_path_factory.mktemp("styles"))
    try:
        yield server
    finally:
        server.stop()


def origin(server: Server) -> str:
    return server.url.rsplit("/", 1)[0]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_node_page_draws_each_class_as_the_table_says_with_a_legend(
    browser: Any,  # noqa: F811
    served: Server,
    store: Store,
    lang: str,
) -> None:
    for page in open_page(browser, f"{origin(served)}/id/kuaishou?lang={lang}", server=origin(served)):
        drawn = page.evaluate(f"() => ({DRAWN})(window.kg.network)")
        assert_styled(drawn, page.evaluate(LEGEND, "#kg-node-legend"), classes_of(store))
        assert page.locator(".kg-stage .kg-legend").count() == 0, "one legend, under the drawing, none over it"
        legend = page.locator("#kg-node-legend").inner_text()
        assert ("企业" in legend and "enterprise" not in legend) if lang == "zh" else "enterprise" in legend


CONSTRUCT = (
    "PREFIX sce: <https://w3id.org/sce/ontology#>\n"
    "CONSTRUCT { ?m ?p ?o } WHERE { ?m a sce:SocialCommerceModel ; ?p ?o . FILTER(isIRI(?o)) }"
)


@pytest.mark.browser
def test_the_query_pages_graph_view_draws_each_class_as_the_table_says(
    browser: Any,  # noqa: F811
    served: Server,
    store: Store,
) -> None:
    for page in open_page(browser, f"{origin(served)}/query?lang=en", server=origin(served)):
        page.evaluate("(text) => { window.kgQuery.yasgui.getTab().setQuery(text); }", CONSTRUCT)
        page.click(".yasqe .yasqe_queryButton")
        page.wait_for_selector(".kg-graph-view[data-drawn='true']", state="attached", timeout=30_000)
        drawn = page.evaluate(f"() => ({DRAWN})(window.kgQuery.graph().network)")
        classes = classes_of(store)
        drawn = [d for d in drawn if d[0] in classes]  # a value the graph holds only as an object has no class here
        assert len(drawn) > 20 and any(classes[d[0]] == SCE.Enterprise for d in drawn)
        assert_styled(drawn, page.evaluate(LEGEND, ".kg-graph-view .kg-legend"), classes)


@pytest.mark.browser
def test_the_served_overview_marks_each_class_as_the_table_says(
    browser: Any,  # noqa: F811
    served: Server,
    store: Store,
) -> None:
    classes = classes_of(store)
    url = f"{origin(served)}/overview?lang=zh"
    for page in open_page(browser, url, server=origin(served), ready="#kg-overview"):  # a page without script
        glyphs = page.evaluate(
            """() => [...document.querySelectorAll('#kg-overview a.kg-node[data-iri]')].map(a => {
                const path = a.querySelector('svg path');
                return [a.getAttribute('data-iri'), path.getAttribute('fill'), path.getAttribute('d')]; })"""
        )
        legend = page.evaluate(LEGEND, "#kg-overview-legend")
        shapes = {cls: d for cls, _, d in legend}
        assert len(glyphs) > 50
        paths = {cls: page.evaluate(
            "(cls) => document.querySelector(`#kg-overview-legend li[data-class='${cls}'] svg path`).getAttribute('d')",
            cls) for cls in shapes}  # fmt: skip
        assert [(i, c) for i, c, _ in glyphs if c != style_of(classes[i])[0]] == []
        assert [(i, d) for i, _, d in glyphs if d != paths[classes[i]]] == []
        assert all((c, s) == style_of(cls) for cls, c, s in legend)
