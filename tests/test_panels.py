"""The panels of a node's page in Chromium, in both languages: figures (a table and a chart drawn on the server) read
back and compared with the graph by SPARQL, disagreements shown with both values and both sources, a model's groups,
the sources cited, the drawing's legend; panels absent where they do not apply; data that is script stays text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kg.network import from_store, neighbourhood
from kg.stores import Store
from kg.styles import CLASS_STYLES
from kg.vocab import ID, SCE

from .servers import start_kg_serve
from .test_browser import browser  # noqa: F401
from .test_pages import Browsing, base_of, browsing, serve_data, sparql_rows

pytestmark = [pytest.mark.server, pytest.mark.browser]

LANGS = ["en", "zh"]
#: Any Latin letter: a heading or word of the page's own, in Chinese, has none.
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """kg serve over the built-in graph; yields its base URL."""
    server = start_kg_serve(tmp_path_factory.mktemp("panels"), "--workers", "2", "--timeout", "60")
    try:
        yield base_of(server)
    finally:
        server.stop()


@pytest.fixture
def web(browser: Any, served: str) -> Iterator[Browsing]:  # noqa: F811
    yield from browsing(browser, served)


def figures_in_graph(base: str, node: str) -> dict[str, tuple[str, Decimal, str]]:
    """The figures about ``node`` (for a model, also about its enterprises) as the graph holds them: period,
    normalised value and the title of the source's record, by figure."""
    rows = sparql_rows(base, f"""
        SELECT ?figure ?period ?normalised ?title WHERE {{
            <{node}> sce:representedBy? ?about .
            GRAPH ?graph {{ ?figure schema:observationAbout ?about ; schema:temporalCoverage ?period ;
                                    sce:normalisedValue ?normalised }}
            ?graph prov:wasDerivedFrom ?origin . ?origin rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), "en"))
        }}""")  # fmt: skip
    return {r["figure"]: (r["period"], Decimal(r["normalised"]), r["title"]) for r in rows}


def figures_on_page(page: Any) -> dict[str, tuple[str, Decimal, str]]:
    """The figures table as the reader sees it: period, normalised value and source title, by figure."""
    rows = page.eval_on_selector_all(
        "#kg-figures tbody tr",
        """(rows) => rows.map((r) => [r.dataset.figure, r.dataset.period, r.dataset.normalised,
                                      r.querySelector('td.source a').textContent])""",
    )
    return {figure: (period, Decimal(value), title) for figure, period, value, title in rows}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node", ["pinduoduo", "social-ecommerce-market", "content"])
def test_the_figures_panel_holds_the_graphs_figures(web: Browsing, served: str, node: str, lang: str) -> None:
    """Every figure about the node (a model's: its enterprises' too) is a row with its period, value and source, and
    a point of a chart wherever its measure's figures differ in period or value; the value is written in the
    reader's way."""
    iri = ID.term(node)
    page = web.open(f"{served}/id/{node}?lang={lang}")
    graph = figures_in_graph(served, iri)
    shown = figures_on_page(page)
    assert graph and set(shown) == set(graph)
    for figure, (period, value, title) in graph.items():
        assert shown[figure][:2] == (period, value)
        if lang == "en":
            assert shown[figure][2] == title
    points = page.eval_on_selector_all("#kg-figures .kg-point", "(gs) => gs.map((g) => g.dataset.figure)")
    measures = page.eval_on_selector_all(
        "#kg-figures tbody tr",
        "(rs) => rs.map((r) => [r.querySelector('td:nth-last-child(4) a').href, r.dataset.period, "
        "r.dataset.normalised])",
    )
    distinct: dict[str, set[tuple[str, str]]] = {}
    for measure, period, value in measures:
        distinct.setdefault(measure, set()).add((period, value))
    charted = {m for m, seen in distinct.items() if len(seen) > 1}
    assert len(points) == sum(1 for m, *_ in measures if m in charted) and set(points) <= set(graph)
    assert page.locator("#kg-figures figure.kg-chart").count() == len(charted)
    amounts = page.locator("#kg-figures td.kg-amount > a").all_inner_texts()
    words = ("亿", "万") if lang == "zh" else ("billion", "million")
    assert any(word in text for text in amounts for word in words)
    heading = page.locator("#kg-figures h2").inner_text()
    assert heading.startswith("数据" if lang == "zh" else "Figures") and str(len(graph)) in heading
    assert web.errors == [] and web.blocked == []
    page.close()


def disagreeing_figures(base: str) -> dict[str, list[dict[str, str]]]:
    """The figures the graph records as disagreeing, by disagreement, with their normalised values and sources."""
    rows = sparql_rows(base, """
        SELECT ?disagreement ?figure ?normalised ?title WHERE {
            ?disagreement a sce:Disagreement ; sce:figure ?figure .
            GRAPH ?graph { ?figure sce:normalisedValue ?normalised }
            ?graph prov:wasDerivedFrom ?origin . ?origin rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), "en"))
        }""")  # fmt: skip
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        found.setdefault(row["disagreement"], []).append(row)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_a_disagreement_shows_both_values_each_with_its_source(web: Browsing, served: str, lang: str) -> None:
    """Where two sources give a figure different values, both rows stay, each with its own value and source, both
    marked and linked to the disagreement; the chart marks the gap between them; no value is averaged."""
    page = web.open(f"{served}/id/social-ecommerce-market?lang={lang}")
    disagreements = disagreeing_figures(served)
    assert len(disagreements) >= 2
    mark = "来源不一" if lang == "zh" else "sources differ"
    for disagreement, figures in disagreements.items():
        assert len(figures) == 2 and figures[0]["normalised"] != figures[1]["normalised"]
        for figure in figures:
            row = page.locator(f"#kg-figures tr[data-figure='{figure['figure']}']")
            assert row.get_attribute("class") == "kg-differs"
            assert Decimal(row.get_attribute("data-normalised") or "") == Decimal(figure["normalised"])
            link = row.locator("a.kg-differs-mark")
            assert mark in link.inner_text()
            assert link.get_attribute("href") == "/id/" + disagreement.rsplit("/", 1)[-1]
            if lang == "en":
                assert row.locator("td.source a").first.inner_text() == figure["title"]
            point = page.locator(f"#kg-figures .kg-point[data-figure='{figure['figure']}'] circle")
            assert point.get_attribute("stroke") == "#c01c28"
    values = {Decimal(v) for v in page.eval_on_selector_all("#kg-figures tr[data-normalised]",
                                                            "(rs) => rs.map((r) => r.dataset.normalised)")}  # fmt: skip
    for figures in disagreements.values():
        middle = sum(Decimal(f["normalised"]) for f in figures) / 2
        assert middle not in values
    assert page.locator("#kg-figures .kg-chart-differs").count() == len(disagreements)
    assert mark in (page.locator("#kg-figures .kg-chart-differs").first.text_content() or "")
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_nodes_own_disagreements_show_every_value_with_its_source(web: Browsing, served: str, lang: str) -> None:
    """Where sources give Xingsheng Youxuan different founding dates, the panel lists every date the graph holds,
    each beside its own source, under the disagreement's name in the reader's language."""
    node = ID.term("xingsheng-youxuan")
    rows = sparql_rows(served, f"""
        SELECT ?d ?value ?title WHERE {{
            ?d a sce:Disagreement ; sce:about <{node}> ; sce:onProperty ?p .
            GRAPH ?g {{ <{node}> ?p ?value }}
            ?g prov:wasDerivedFrom ?origin . ?origin rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), "en"))
        }}""")  # fmt: skip
    assert len({r["value"] for r in rows}) > 1
    page = web.open(f"{served}/id/xingsheng-youxuan?lang={lang}")
    panel = page.locator("#kg-differences")
    shown = panel.locator("tr").evaluate_all(
        "(rs) => rs.map((r) => [r.querySelector('.kg-value').textContent, r.querySelector('td.source a').textContent])"
    )
    assert sorted(value for value, _ in shown) == sorted(r["value"] for r in rows)
    if lang == "en":
        assert sorted(map(tuple, shown)) == sorted((r["value"], r["title"]) for r in rows)
    heading = panel.locator("h2").inner_text()
    assert heading.startswith("来源分歧" if lang == "zh" else "Where the sources differ")
    names = sparql_rows(
        served,
        f"""SELECT ?name WHERE {{ <{rows[0]["d"]}> rdfs:label ?name
                                     FILTER (LANGMATCHES(LANG(?name), "{"zh-Hans" if lang == "zh" else "en"}")) }}""",
    )
    assert names[0]["name"] in panel.locator("h3").first.inner_text()
    page.close()


def test_panels_are_absent_where_they_do_not_apply(web: Browsing, served: str) -> None:
    """A node without figures has no figures panel; only a model's page groups dimensions and enterprises; a page
    that cites sources lists them, each once."""
    for path, figures, model in (("/id/price-sensitive-users", False, False), ("/id/pinduoduo", True, False),
                                 ("/id/group-buying", True, True)):  # fmt: skip
        page = web.open(served + path)
        assert page.locator("#kg-figures").count() == int(figures), path
        assert page.locator("#kg-model").count() == int(model), path
        assert page.locator("#kg-differences").count() == 0, path
        cited = page.locator("#kg-sources li").all_inner_texts()
        assert cited and len(cited) == len(set(cited)), path
        page.close()


PROFILE = {"form": "hasForm", "social chain": "hasSocialChain", "target users": "targets",
           "core product": "coreProduct", "channel": "usesChannel"}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_a_models_page_groups_its_dimensions_and_enterprises(web: Browsing, served: str, lang: str) -> None:
    """Each dimension of community group buying is a group with its count, each item a link to its page; its
    enterprises are grouped by parent organisation, the seed's own marked; the headings are in the reader's
    language."""
    model = ID.term("community-group-buying")
    page = web.open(f"{served}/id/community-group-buying?lang={lang}")
    for key, prop in PROFILE.items():
        values = {r["v"] for r in sparql_rows(served, f"SELECT ?v WHERE {{ <{model}> sce:{prop} ?v }}")}
        group = page.locator(f"#kg-model .kg-group[data-dimension='{key}']")
        links = group.locator("li a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
        assert sorted(links) == sorted("/id/" + v.rsplit("/", 1)[-1] for v in values), key
        heading = group.locator("h3").inner_text()
        assert heading.endswith(f"({len(values)})")
        assert bool(LATIN.search(heading)) == (lang == "en"), heading
    rows = sparql_rows(served, f"""SELECT ?e ?parent ?g WHERE {{ GRAPH ?g {{ <{model}> sce:representedBy ?e }}
                                    OPTIONAL {{ ?e schema:parentOrganization ?parent }} }}""")  # fmt: skip
    enterprises = {r["e"] for r in rows}
    heading = page.locator("#kg-enterprises-heading").inner_text()
    assert heading.endswith(f"({len(enterprises)})")
    for row in rows:
        parent = row.get("parent", "")
        group = page.locator(f"#kg-enterprises .kg-group[data-parent='{parent}']")
        item = group.locator(f"li:has(a[href='/id/{row['e'].rsplit('/', 1)[-1]}'])")
        assert item.count() == 1, row
        if row["g"].endswith("/graph/seed"):
            assert item.locator(".kg-note").first.inner_text() == (
                "源文档所列" if lang == "zh" else "named by the seed"
            )
    page.close()


def test_the_drawing_has_a_legend_of_the_renderers_classes(web: Browsing, served: str, store: Store) -> None:
    """The legend under a node's drawing names each class drawn, with the renderer's colour and shape for it and
    how many nodes of it are drawn."""
    part = neighbourhood(from_store(store), ID.pinduoduo)
    counts: dict[str, int] = {}
    for _, data in part.nodes(data=True):
        counts[data.get("class", "")] = counts.get(data.get("class", ""), 0) + 1
    page = web.open(f"{served}/id/pinduoduo?lang=zh")
    items = page.eval_on_selector_all(
        "#kg-node-legend li",
        "(ls) => ls.map((l) => [l.dataset.class, l.dataset.colour, l.dataset.shape, "
        "l.querySelector('.count').textContent])",
    )
    assert {cls: int(n) for cls, _, _, n in items} == counts
    for cls, colour, shape, _ in items:
        if cls in CLASS_STYLES:
            assert (colour, shape) == CLASS_STYLES[cls]
    assert SCE.Enterprise in {cls for cls, *_ in items}
    assert "企业" in page.locator("#kg-node-legend").inner_text()
    page.close()


# --- Data that is script ----------------------------------------------------------------------------------------------

FIGURE_PAYLOADS = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sce: <https://w3id.org/sce/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix x: <https://example.org/xss/> .

x:firm a sce:Enterprise ; rdfs:label "<img src=x onerror=\\"window.__pwned='firm'\\">"@en .
x:measure a sce:Measure ; rdfs:label "</text><script>window.__pwned='measure'</script>"@en .
x:f1 a sce:Figure ; schema:observationAbout x:firm ; sce:measure x:measure ; schema:value 1.0 ;
    schema:unitText "<script>window.__pwned='unit'</script>" ; sce:normalisedValue 1000000.0 ;
    schema:temporalCoverage "2020" .
x:f2 a sce:Figure ; schema:observationAbout x:firm ; sce:measure x:measure ; schema:value 2.0 ;
    schema:unitText "million" ; sce:normalisedValue 2000000.0 ; schema:temporalCoverage "2021" .
"""


@pytest.fixture(scope="module")
def figure_payloads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_data(tmp_path_factory, "figure-payloads.ttl", FIGURE_PAYLOADS)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_figures_that_are_script_stay_text(browser: Any, figure_payloads: str, bypass_csp: bool) -> None:  # noqa: F811
    """A figure's unit, its measure's name and its subject's name that are script: shown as text in the table and
    in the chart's SVG, run nowhere, with the CSP and without it (the escaping alone holds)."""
    for seen in browsing(browser, figure_payloads, bypass_csp=bypass_csp):
        page = seen.open(figure_payloads + "/node?iri=https%3A%2F%2Fexample.org%2Fxss%2Ffirm")
        table = page.locator("#kg-figures table").inner_text()
        assert "<script>window.__pwned='unit'</script>" in table
        assert "</text><script>window.__pwned='measure'</script>" in table
        caption = page.locator("#kg-figures figcaption").inner_text()
        assert "</text><script>window.__pwned='measure'</script>" in caption
        titles = page.eval_on_selector_all("#kg-figures svg title", "(ts) => ts.map((t) => t.textContent)")
        assert len(titles) == 2 and all("<img src=x onerror=" in t for t in titles)
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("#kg-figures script, #kg-figures img").count() == 0
        assert seen.dialogs == []
        page.close()
