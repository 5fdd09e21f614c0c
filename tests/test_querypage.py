"""The query page at ``/`` and the API docs at ``/docs`` of a live ``kg serve``, in Debian's Chromium through
Playwright: they ask no other host, a typed query shows its rows, a CONSTRUCT opens on the graph view, a named query
runs from the menu, the language switch changes the words and the labels, the downloads are the server's formats,
labels that carry script run nothing, and Swagger UI shows every operation of /openapi.json."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.catalog import catalog
from kg.results import WRITERS
from kg.stores import Store
from kg.vocab import RDF

from .servers import Server, start_kg_serve
from .test_browser import browser, hover_until, offline_context  # noqa: F401
from .test_serve import call

pytestmark = [pytest.mark.server, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "kg" / "serve" / "static" / "vendor"
XSS = "https://example.org/xss/"
#: Labels, a comment and IRIs of a file of the reader's own that try to run script wherever they are shown.
PAYLOADS = f"""\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sce: <https://w3id.org/sce/ontology#> .
@prefix x: <{XSS}> .

x:evil a sce:Enterprise ;
    rdfs:label "<img src=x onerror=window.__pwned=1>"@en , "</script><script>window.__pwned=2</script>"@zh-Hans ;
    rdfs:comment "<svg onload=window.__pwned=3></svg>" ;
    x:link x:other , <{XSS}a'onmouseover='window.__pwned=4'> .
x:other rdfs:label "\\"><img src=x onerror=window.__pwned=5>"@en ;
    x:link <{XSS}evil> .
<{XSS}a'onmouseover='window.__pwned=4'> rdfs:label "<iframe src=javascript:window.__pwned=6></iframe>"@en .
"""
PAYLOAD_LABEL = "<img src=x onerror=window.__pwned=1>"
MODELS_GRAPH = (
    "PREFIX sce: <https://w3id.org/sce/ontology#>\n"
    "CONSTRUCT { ?m ?p ?o } WHERE { ?m a sce:SocialCommerceModel ; ?p ?o . FILTER(isIRI(?o)) }"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve with a ``--data`` file whose labels carry script."""
    folder = tmp_path_factory.mktemp("querypage")
    data = folder / "payloads.ttl"
    data.write_text(PAYLOADS, encoding="utf-8")
    server = start_kg_serve(folder, "--workers", "2", global_args=("--data", str(data)))
    try:
        yield server
    finally:
        server.stop()


def origin(server: Server) -> str:
    return server.url.rsplit("/", 1)[0]


@dataclass
class Visit:
    """A page of the server opened in a context that aborts every request to another host, and counts it."""

    page: Any
    blocked: list[str]
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def visit(browser: Any, server: Server, path: str, *, bypass_csp: bool = False) -> Iterator[Visit]:  # noqa: F811
    context, blocked = offline_context(
        browser, server=origin(server), viewport={"width": 1280, "height": 1000}, bypass_csp=bypass_csp,
        accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    seen = Visit(page, blocked)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.goto(origin(server) + path)
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
    yield seen
    context.close()


@pytest.fixture
def query_page(browser: Any, served: Server) -> Iterator[Visit]:  # noqa: F811
    yield from visit(browser, served, "/query?lang=en")


def set_query(page: Any, text: str) -> None:
    page.evaluate("(text) => { window.kgQuery.yasgui.getTab().setQuery(text); }", text)


def run_editor(page: Any) -> None:
    page.click(".yasqe .yasqe_queryButton")


def wait_for_view(page: Any, view: str) -> None:
    page.wait_for_selector(f"body[data-drawn='{view}']", state="attached", timeout=30_000)
    if view == "graph":
        page.wait_for_selector(".kg-graph-view[data-drawn='true']", state="attached", timeout=30_000)


def iri_labels(page: Any) -> list[str]:
    page.wait_for_function(
        """() => { const links = [...document.querySelectorAll('.yasr_results table a.iri')];
        return links.length > 0 && links.every(a => ['true', 'false'].includes(a.dataset.kgLabel)); }""",
        timeout=15_000,
    )
    return [str(text) for text in page.locator(".yasr_results table a.iri[data-kg-label='true']").all_inner_texts()]


# --- Without a browser ----------------------------------------------------------------------------------------------


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "link" and dict(attrs).get("rel") == "stylesheet":
            self.styles.append(dict(attrs)["href"] or "")


@pytest.mark.parametrize("path", ["/query", "/docs"])
def test_pages_for_browsers_run_only_scripts_of_this_server(served: Server, path: str) -> None:
    """Each page has the strict policy (script-src 'self'), every script a file of this server or JSON data, and each
    file it names is there."""
    status, headers, body = call(origin(served) + path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    policy = headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "'unsafe-inline'" not in policy, "no page lets any inline style or script run without naming its hash"
    named = "only the query page names inline styles (YASR's grips) by hash"
    assert ("'sha256-" in policy) == (path == "/query"), named
    parsed = _Scripts()
    parsed.feed(body.decode())
    assert parsed.scripts and all(s.get("src") or s.get("type") == "application/json" for s in parsed.scripts)
    for name in [str(s["src"]) for s in parsed.scripts if s.get("src")] + parsed.styles:
        assert name.startswith("/static/")
        assert call(origin(served) + name)[0] == 200, name


def test_other_clients_keep_the_json_index(served: Server) -> None:
    for accept in ("", "*/*", "application/json", "text/html;q=0.5, application/json"):
        status, headers, body = call(origin(served) + "/", headers={"Accept": accept} if accept else {})
        assert status == 200 and headers["content-type"] == "application/json", accept
        assert json.loads(body)["sparql"] == "/sparql"


def test_the_vendored_files_are_the_published_ones() -> None:
    """Every vendored file matches its recorded sum (as scripts/vendor.sh checks them), with its licence beside it."""
    sums = [line.split("  ", 1) for line in (VENDOR / "SHA256SUMS").read_text().splitlines() if line.strip()]
    assert {name for _, name in sums} >= {
        "yasgui/yasgui.min.js", "yasgui/LICENSE", "swagger-ui/LICENSE", "chartjs/chart.umd.min.js", "chartjs/LICENSE.md"
    }  # fmt: skip
    for digest, name in sums:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    listed = (VENDOR / "VENDORED.md").read_text(encoding="utf-8")
    assert "`@zazuko/yasgui` | 4.6.2" in listed and "`swagger-ui-dist` | 5.35.0" in listed
    assert "`chart.js` | 4.5.1" in listed


# --- In the browser -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/query?lang=en", "/query?lang=zh", "/docs"])
def test_pages_ask_no_other_host(browser: Any, served: Server, path: str) -> None:  # noqa: F811
    """Opened, typed into (where the class and property completers would ask the LOV API) and run: no request leaves
    the server. The policy is bypassed here, so that a request elsewhere would be made, and counted, rather than
    refused by the browser before it is made."""
    for seen in visit(browser, served, path, bypass_csp=True):
        page = seen.page
        if path != "/docs":
            prefixes = (
                "PREFIX sce: <https://w3id.org/sce/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            )
            set_query(page, prefixes + "SELECT * WHERE {\n\n} LIMIT 3")
            page.click(".CodeMirror-code")
            page.keyboard.press("Control+Home")
            for _ in range(3):
                page.keyboard.press("ArrowDown")
            for typed in ("?s a sce:Soc", "ialCommerceModel ; rdfs:lab", "el ?label"):
                page.keyboard.type(typed)
                page.keyboard.press("Control+Space")
                page.wait_for_timeout(300)
                page.keyboard.press("Escape")
            run_editor(page)
            wait_for_view(page, "table")
        else:
            page.wait_for_selector(".opblock", timeout=30_000)
        assert seen.blocked == []
        assert all(url.startswith(origin(served) + "/") for url in seen.requests)
        assert seen.errors == []
        if path != "/docs":
            yasqe = "window.kgQuery.yasgui.getTab().getYasqe()"
            assert page.evaluate(f"() => {yasqe}.config.autocompleters") == ["kg-prefixes", "variables"]


def test_a_typed_query_shows_its_rows(query_page: Visit) -> None:
    page = query_page.page
    page.click(".CodeMirror-code")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(
        "SELECT ?name WHERE { <https://w3id.org/sce/id/kuaishou> <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    )
    page.keyboard.press("Escape")
    run_editor(page)
    wait_for_view(page, "table")
    rows = page.locator(".yasr_results table tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert any("快手" in row for row in rows) and any("Kuaishou" in row for row in rows)
    # Dragging a column's grip adds column-resizer's cursor style: the policy lets it in by its hash, or the browser
    # logs a refusal, an error here.
    grip = page.locator(".yasr_results .grip-handle").first
    box = grip.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + box["height"] / 2, steps=5)
    dragging = page.evaluate("() => [...document.querySelectorAll('style')].map(s => s.textContent)")
    page.mouse.up()
    assert "*{cursor:col-resize!important}" in dragging
    assert query_page.errors == []


def graph_nodes(store: Store, construct: str) -> set[str]:
    """The nodes the graph view draws for ``construct``: subjects and objects that are not literals or classes."""
    triples = list(store.query(construct))
    nodes = {t.subject.value for t in triples}
    return nodes | {
        t.object.value for t in triples if not isinstance(t.object, ox.Literal) and t.predicate.value != RDF.type
    }


def drawn_pixels(page: Any) -> int:
    """How many pixels of the graph view's canvas are not blank."""
    return int(
        page.evaluate(
            """() => { const c = document.querySelector('.kg-graph-canvas canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
        )
    )


@pytest.mark.parametrize(
    ("lang", "tab", "content", "classes"),
    [
        ("en", "Graph", "content", ["social commerce model", "enterprise"]),
        ("zh", "图", "内容型", ["社交电商模式", "企业"]),
    ],
)
def test_a_construct_opens_on_the_graph_view(
    browser: Any,  # noqa: F811
    served: Server,
    store: Store,
    lang: str,
    tab: str,
    content: str,
    classes: list[str],
) -> None:
    """The Graph tab is chosen and named in the page's language; every node is drawn, labelled in that language, and
    the legend names the classes."""
    for seen in visit(browser, served, f"/query?lang={lang}"):
        page = seen.page
        set_query(page, MODELS_GRAPH)
        run_editor(page)
        wait_for_view(page, "graph")
        selector = page.locator(".yasr .select_graph")
        assert "selected" in (selector.get_attribute("class") or "") and selector.inner_text().strip() == tab
        expected = graph_nodes(store, MODELS_GRAPH)
        assert page.evaluate("() => window.kgQuery.graph().nodes.getIds()") == sorted(expected)
        label = "() => window.kgQuery.graph().nodes.get('https://w3id.org/sce/id/content').label"
        assert page.evaluate(label) == content
        assert drawn_pixels(page) > 1000
        page.evaluate("() => window.kgQuery.graph().focus('https://w3id.org/sce/id/content')")
        assert page.locator(".kg-panel a.page").get_attribute("href") == "/id/content"
        legend = page.locator(".kg-legend").inner_text()
        assert all(name in legend for name in classes)
        assert seen.errors == []


def test_a_describe_opens_on_the_graph_view(query_page: Visit, store: Store) -> None:
    page = query_page.page
    describe = "DESCRIBE <https://w3id.org/sce/id/kuaishou>"
    set_query(page, describe)
    run_editor(page)
    wait_for_view(page, "graph")
    assert page.evaluate("() => window.kgQuery.graph().nodes.getIds()") == sorted(graph_nodes(store, describe))
    assert page.evaluate("() => window.kgQuery.graph().nodes.get('https://w3id.org/sce/id/kuaishou').label") == (
        "Kuaishou"
    )
    assert drawn_pixels(page) > 1000


def links_between(store: Store, nodes: set[str]) -> set[tuple[str, str]]:
    """The pairs of ``nodes`` that a statement of the graph links (types and loops aside)."""
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    rows = store.query(
        f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {values} }} VALUES ?o {{ {values} }} ?s ?p ?o "
        f"FILTER (?p != <{RDF.type}> && ?s != ?o) }}"
    )
    return {(row[0].value, row[1].value) for row in rows}


def test_a_select_of_iris_draws_in_the_graph_view(query_page: Visit, store: Store) -> None:
    """A SELECT opens on the table; its Graph tab draws each row's IRIs, linked as the graph links them."""
    page = query_page.page
    select = (
        "PREFIX sce: <https://w3id.org/sce/ontology#>\n"
        "SELECT ?model ?enterprise WHERE { ?model a sce:SocialCommerceModel ; sce:representedBy ?enterprise }"
    )
    set_query(page, select)
    run_editor(page)
    wait_for_view(page, "table")
    page.click(".yasr .select_graph")
    page.wait_for_selector(".kg-graph-view[data-drawn='true']", state="attached", timeout=30_000)
    rows = [(row[0].value, row[1].value) for row in store.query(select)]
    nodes = {iri for row in rows for iri in row}
    assert page.evaluate("() => window.kgQuery.graph().nodes.getIds()") == sorted(nodes)
    edges = page.evaluate("() => window.kgQuery.graph().edges.get().map(e => [e.from, e.to])")
    assert {(a, b) for a, b in edges} == links_between(store, nodes) >= set(rows)
    labels = page.evaluate("() => window.kgQuery.graph().edges.get().map(e => e.label)")
    assert "represented by" in labels, "a link is named by its property"
    assert page.locator(".kg-graph-no-links").count() == 0
    assert drawn_pixels(page) > 1000


def test_the_graph_of_a_named_select_holds_the_node_it_asks_about(query_page: Visit, store: Store) -> None:
    """model-profile for the content model: the graph view draws the model (which no row names) with the answer's
    nodes and the graph's links between them; an answer whose nodes the graph does not link says so in one line."""
    page = query_page.page
    run_named(page, "model-profile", model="content")
    wait_for_view(page, "table")
    page.click(".yasr .select_graph")
    page.wait_for_selector(".kg-graph-view[data-drawn='true']", state="attached", timeout=30_000)
    ids = set(page.evaluate("() => window.kgQuery.graph().nodes.getIds()"))
    content = "https://w3id.org/sce/id/content"
    assert content in ids
    edges = {(a, b) for a, b in page.evaluate("() => window.kgQuery.graph().edges.get().map(e => [e.from, e.to])")}
    assert edges == links_between(store, ids) and any(content in pair for pair in edges)
    set_query(
        page,
        "SELECT ?s WHERE { VALUES ?s { <https://w3id.org/sce/id/content> <http://www.w3.org/2002/07/owl#Thing> } }",
    )
    run_editor(page)
    wait_for_view(page, "table")
    page.click(".yasr .select_graph")
    page.wait_for_selector(".kg-graph-no-links", state="attached", timeout=30_000)
    assert (
        page.locator(".kg-graph-no-links").inner_text() == "The graph holds no links between the nodes of this answer."
    )
    assert query_page.errors == []


def run_named(page: Any, name: str, **values: str) -> None:
    page.select_option("#kg-named-select", name)
    for key, value in values.items():
        page.fill(f"input[data-param='{key}']", value)
    page.click("#kg-named-run")


def test_a_named_query_runs_from_the_menu(query_page: Visit) -> None:
    """enterprise-model with 快手 calls /api/enterprise-model and shows the content model, by its label."""
    page = query_page.page
    run_named(page, "enterprise-model", enterprise="快手")
    wait_for_view(page, "table")
    assert iri_labels(page) == ["content"]
    table = page.locator(".yasr_results table").inner_text()
    assert "内容型" not in table and "@" not in table, "one language, plain values: the model by its English label"
    page.click(".yasr .tableControls .switch input")  # "Simple view" off: every column, quotes and tags
    page.wait_for_function("() => document.querySelector('.yasr_results table').innerText.includes('内容型')")
    assert "@zh-Hans" in page.locator(".yasr_results table").inner_text()
    page.click(".yasr .tableControls .switch input")
    link = page.locator(".yasr_results table a.iri").first.get_attribute("href")
    assert link == "/id/content", "an IRI links to its page on this server"
    assert call(origin_of(query_page) + link, headers={"Accept": "text/html"})[0] == 200
    asked = origin_of(query_page) + "/api/enterprise-model?enterprise=" + urllib.parse.quote("快手")
    assert asked in query_page.requests
    assert query_page.errors == []


@pytest.mark.parametrize(("lang", "shown", "hidden"), [("zh", "status_zh", "status"), ("en", "status", "status_zh")])
def test_words_beside_their_chinese_show_in_the_pages_language(
    browser: Any,  # noqa: F811
    served: Server,
    lang: str,
    shown: str,
    hidden: str,
) -> None:
    """enterprises-by-status gives each status as English words (``status``) and Chinese (``status_zh``): the simple
    view shows the one in the page's language."""
    for seen in visit(browser, served, f"/query?lang={lang}&name=enterprises-by-status&view=table"):
        page = seen.page
        wait_for_view(page, "table")
        names = "() => window.kgQuery.yasgui.getTab().getYasr().plugins.table.getColumns()"
        columns = page.evaluate(f"() => ({names})().filter(c => c.visible !== false).map(c => c.name)")
        assert shown in columns and hidden not in columns
        table = page.locator(".yasr_results table tbody").inner_text()
        assert ("运营中" in table) == (lang == "zh") and ("active" in table) == (lang == "en")
        assert seen.errors == []


def origin_of(seen: Visit) -> str:
    return re.match(r"https?://[^/]+", seen.page.url).group(0)  # type: ignore[union-attr]


def test_a_named_query_refused_says_why(query_page: Visit) -> None:
    page = query_page.page
    run_named(page, "enterprise-model", enterprise="no such enterprise at all")
    page.wait_for_function("() => document.getElementById('kg-named-status').textContent.includes('400')")
    assert "no such enterprise at all" in page.locator("#kg-named-status").inner_text()


def test_the_language_switch_changes_words_and_labels(query_page: Visit) -> None:
    page = query_page.page
    run_named(page, "enterprise-model", enterprise="快手")
    wait_for_view(page, "table")
    assert page.locator(".yasr .select_graph").inner_text().strip() == "Graph"
    assert iri_labels(page) == ["content"]
    page.wait_for_selector("#kg-names option[value='Kuaishou']", state="attached", timeout=10_000)
    page.click("#kg-lang a[data-lang='zh']")
    page.wait_for_selector("html[lang='zh-Hans'] body[data-ready='true']", state="attached", timeout=30_000)
    assert page.locator(".yasr .select_graph").inner_text().strip() == "图"
    assert page.locator("#kg-named-heading").inner_text() == "命名查询"
    assert iri_labels(page) == ["内容型"], "the answer kept across the switch, its IRIs labelled in Chinese"
    assert page.locator(".yasr_response_chip").inner_text().startswith("1 条结果")
    assert page.input_value("input[data-param='enterprise']") == "快手"
    page.wait_for_selector("#kg-names option[value='快手']", state="attached", timeout=10_000)
    assert page.locator("#kg-names option[value='Kuaishou']").count() == 0, "the names offered are in Chinese"
    page.goto(origin_of(query_page) + "/query")
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
    assert page.locator("html").get_attribute("lang") == "zh-Hans", "the cookie remembers the language"
    assert query_page.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_menu_speaks_the_pages_language(browser: Any, served: Server, lang: str) -> None:  # noqa: F811
    """On ``/?lang=zh`` the menu gives each named query its Chinese summary, and the text under it the Chinese
    description; on ``/?lang=en`` the English ones."""
    query = catalog()["enterprise-model"]
    summary, description = (
        (query.summary_zh, query.description_zh) if lang == "zh" else (query.summary, query.description)
    )
    for seen in visit(browser, served, f"/query?lang={lang}"):
        page = seen.page
        option = page.locator("#kg-named-select option[value='enterprise-model']")
        assert option.inner_text() == f"enterprise-model — {summary}"
        page.select_option("#kg-named-select", "enterprise-model")
        assert page.locator("#kg-named-description").inner_text() == description
        assert seen.errors == []


def test_downloads_in_the_servers_formats(query_page: Visit, store: Store) -> None:
    import rdflib

    page = query_page.page
    set_query(page, MODELS_GRAPH)
    run_editor(page)
    wait_for_view(page, "graph")
    offered = page.locator("#kg-download-buttons button").evaluate_all("(bs) => bs.map(b => b.dataset.format)")
    assert offered == [w.name for w in WRITERS.values() if "graph" in w.kinds]
    expected = len(list(store.query(MODELS_GRAPH)))
    for name, fmt in (("jsonld", "json-ld"), ("rdfxml", "xml"), ("nt", "nt")):
        with page.expect_download() as download:
            page.click(f"#kg-download-buttons button[data-format='{name}']")
        path = download.value.path()
        assert len(rdflib.Graph().parse(path, format=fmt)) == expected, name
    with page.expect_download() as download:
        page.click(".yasr .yasr_downloadIcon")
    assert len(rdflib.Graph().parse(download.value.path(), format="turtle")) == expected
    run_named(page, "models")
    wait_for_view(page, "table")
    with page.expect_download() as download:
        page.click("#kg-download-buttons button[data-format='csv']")
    assert download.value.suggested_filename == "models.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("model") and len(lines) == 5
    buttons = "#kg-download-buttons button"
    page.click(".yasgui .addTab")
    page.wait_for_function("() => document.querySelectorAll('.yasgui .tabsList .tab').length === 2")
    assert page.locator(buttons).count() == 0, "a new tab has nothing to download yet"
    page.locator(".yasgui .tabsList .tab a").first.click()
    page.wait_for_selector(f"{buttons}[data-format='csv']", state="attached", timeout=5000)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_payloads_in_labels_run_no_script(browser: Any, served: Server, bypass_csp: bool) -> None:  # noqa: F811
    """Labels, comments and IRIs carrying script, in the table and in the graph view, hovered and clicked: nothing
    runs, and the payloads show as text (even without the policy: the page writes them only as text)."""
    for seen in visit(browser, served, "/query?lang=en", bypass_csp=bypass_csp):
        page = seen.page
        set_query(page, f"SELECT ?s ?label WHERE {{ ?s ?p ?label FILTER(STRSTARTS(STR(?s), '{XSS}')) }}")
        run_editor(page)
        wait_for_view(page, "table")
        labels = iri_labels(page)
        assert PAYLOAD_LABEL in labels
        links = page.locator(".yasr_results table a.iri")
        hrefs = links.evaluate_all("(links) => links.map(a => a.getAttribute('href'))")
        assert all(h.startswith("/") and not h.startswith("//") for h in hrefs), "links are paths of this server"
        assert "/node?iri=" + urllib.parse.quote(XSS + "evil", safe="") in hrefs and "/ontology#Enterprise" in hrefs
        table = page.locator(".yasr_results table").inner_text()
        assert "<svg onload=window.__pwned=3></svg>" in table
        set_query(page, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{XSS}')) }}")
        run_editor(page)
        wait_for_view(page, "graph")
        nodes = page.evaluate("() => window.kgQuery.graph().nodes.getIds()")
        assert len(nodes) == 3
        for node in nodes:
            spot = page.evaluate(
                """(id) => { const g = window.kgQuery.graph(); g.network.stopSimulation();
                g.network.fit({nodes: [id], animation: false});
                const p = g.network.canvasToDOM(g.network.getPosition(id));
                const r = g.view.querySelector('.kg-graph-canvas').getBoundingClientRect();
                return [p.x + r.left, p.y + r.top]; }""",
                node,
            )
            hover_until(page, spot, ".kg-tooltip:not([hidden])")
            page.mouse.click(spot[0], spot[1])
            page.wait_for_selector(".kg-panel:not([hidden])", timeout=5000)
            page.locator(".kg-panel button.link").first.click()
        evil = XSS + "evil"
        assert page.evaluate("(id) => window.kgQuery.graph().nodes.get(id).label", evil) == PAYLOAD_LABEL
        page.evaluate("(id) => window.kgQuery.graph().focus(id)", evil)
        panel = page.locator(".kg-panel").inner_text()
        assert PAYLOAD_LABEL in panel and "<svg onload=window.__pwned=3></svg>" in panel
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        found = page.locator(".yasr_results img, .yasr_results iframe, .yasr_results script, .kg-graph-view svg")
        assert found.count() == 0
        run_named(page, "enterprise-model", enterprise='"><img src=x onerror=window.__pwned=7>')
        page.wait_for_function("() => document.getElementById('kg-named-status').textContent.includes('400')")
        assert "<img src=x onerror=window.__pwned=7>" in page.locator("#kg-named-status").inner_text()
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("#kg-named img, .yasr_results img").count() == 0
        # YASR's table passes each cell through DOMPurify, which parses it in an inert document of this page before it
        # removes the handlers; Chromium reports each handler attribute it meets there as refused by the policy. Those
        # reports are the only errors; that nothing would run even without the policy is the other half of this test.
        # The other expected error is the 400 of the refused parameter.
        refused = ("violates the following Content Security Policy directive 'script-src 'self''", "status of 400")
        assert seen.blocked == [] and [e for e in seen.errors if not any(r in e for r in refused)] == []


def test_swagger_ui_shows_every_operation_offline(browser: Any, served: Server) -> None:  # noqa: F811
    for seen in visit(browser, served, "/docs"):
        page = seen.page
        page.wait_for_selector(".opblock", timeout=30_000)
        shown = set(page.locator(".opblock .opblock-summary-path").evaluate_all("(ps) => ps.map(p => p.dataset.path)"))
        document = json.loads(call(origin(served) + "/openapi.json")[2])
        assert shown == set(document["paths"]) == {f"/api/{name}" for name in catalog()}
        page.locator(".opblock-summary-path[data-path='/api/enterprise-model']").first.click()
        page.wait_for_selector(".parameters-container .parameter__name", timeout=10_000)
        assert "enterprise" in page.locator(".parameters-container").first.inner_text()
        assert page.locator("#kg-query-link").get_attribute("href") == "/query"
        assert seen.blocked == [] and seen.errors == []


# --- For analysts: plain values, the SPARQL that ran, addresses to share, views that fit ----------------------------

TYPED = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?event_date ?fine_yuan ?address ?name WHERE {
  VALUES (?event_date ?fine_yuan ?address ?name) {
    ("2019-03-14"^^xsd:date 74565800 "https://example.org/a/b"^^xsd:anyURI "Huasheng Riji fined for pyramid selling"@en)
    ("2021-03-03"^^xsd:date 1500000 "https://example.org/c" "Chengxin Youxuan fined by SAMR"@en)
  }
}"""


def test_values_are_plain_whole_and_linked(query_page: Visit) -> None:
    """Dates, numbers and words without quotes, tags or datatypes (one click away), never cut short; a web address is
    a link; headers whole and readable; row numbers clear of the first cell."""
    page = query_page.page
    set_query(page, TYPED)
    run_editor(page)
    wait_for_view(page, "timeline")  # dated rows open on the timeline; the table is a click away
    page.click(".yasr .select_table")
    wait_for_view(page, "table")
    cells = page.locator(".yasr_results tbody tr").first.locator("td").all_inner_texts()
    assert [c.strip() for c in cells] == [
        "1", "2019-03-14", "74565800", "example.org/a/b", "Huasheng Riji fined for pyramid selling"
    ]  # fmt: skip
    assert page.locator(".yasr_results a.url").first.get_attribute("href") == "https://example.org/a/b"
    headers = page.locator(".yasr_results thead th").all_inner_texts()
    assert [h.strip() for h in headers][1:] == ["event date", "fine yuan", "address", "name"]
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.yasr_results th, .yasr_results td')]
            .filter(c => c.scrollWidth > c.clientWidth + 1 || c.innerText.includes('…')).map(c => c.innerText)"""
    )
    assert clipped == [], "nothing cut short"
    gap = page.evaluate(
        """() => { const text = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                                        return r.getBoundingClientRect(); };
        const n = text(document.querySelector('.yasr_results tbody .rowNumber'));
        const first = text(document.querySelector('.yasr_results tbody tr td:nth-child(2) span'));
        return first.left - n.right; }"""
    )
    assert gap >= 4, f"the row number runs into the first cell ({gap} px apart)"
    assert "Huasheng Riji fined for" in page.locator(".yasr_results tbody tr").first.inner_text()
    page.click(".yasr .tableControls .switch input")
    page.wait_for_function("() => document.querySelector('.yasr_results tbody').innerText.includes('@en')")
    assert "xsd:date" in page.locator(".yasr_results tbody").inner_text()


def test_a_named_query_puts_the_sparql_that_ran_in_the_editor(query_page: Visit) -> None:
    """The editor shows the named query with its value in place (no header, no unused prefixes), and the address
    names the query, its value and the view."""
    page = query_page.page
    run_named(page, "enterprise-model", enterprise="快手")
    wait_for_view(page, "table")
    text = page.evaluate("() => window.kgQuery.yasgui.getTab().getYasqe().getValue()")
    assert "<https://w3id.org/sce/id/kuaishou>" in text and "?_enterprise_iri" not in text and "#+" not in text
    assert text.startswith("PREFIX") and text.count("PREFIX") <= 3
    address = page.evaluate("() => window.kgQuery.address()")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(address).query) == {
        "name": ["enterprise-model"], "enterprise": ["快手"], "view": ["table"], "lang": ["en"]
    }  # fmt: skip
    assert query_page.errors == []


def shared_address(page: Any) -> str:
    page.click("#kg-share-button")
    page.wait_for_selector("#kg-share-address:not([hidden])")
    return str(page.input_value("#kg-share-address"))


def shown_rows(page: Any) -> list[str]:
    selector = ".kg-timeline-item" if page.evaluate("document.body.dataset.drawn") == "timeline" else "tbody tr"
    return [str(r) for r in page.locator(f".yasr_results {selector}").all_inner_texts()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_shared_address_opens_the_same_answer_in_a_fresh_browser(
    browser: Any,  # noqa: F811
    served: Server,
    lang: str,
) -> None:
    """The Share button gives the address of what is on screen: a named query with its value on its timeline, then
    a typed query on its chart; each opened in a new browser context (nothing stored) shows the same rows in the same
    view, in the same language."""
    for seen in visit(browser, served, f"/query?lang={lang}"):
        page = seen.page
        run_named(page, "timeline", model="拼购型")
        wait_for_view(page, "timeline")
        first = shared_address(page), shown_rows(page)
        set_query(page, COUNTS)
        run_editor(page)
        wait_for_view(page, "chart")
        second = shared_address(page), page.evaluate("() => window.KgViews.Chart.current.labels")
        assert seen.errors == []
    for (address, rows), view in ((first, "timeline"), (second, "chart")):
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)["view"] == [view]
        for fresh in visit(browser, served, address.removeprefix(origin(served))):
            wait_for_view(fresh.page, view)
            if view == "timeline":
                fresh.page.wait_for_selector(".kg-timeline[data-drawn='true']", state="attached")
                assert shown_rows(fresh.page) == rows and len(rows) > 3
            else:
                fresh.page.wait_for_selector(".kg-chart[data-drawn='true']", state="attached")
                assert fresh.page.evaluate("() => window.KgViews.Chart.current.labels") == rows
            assert fresh.page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh" else "en")
            assert fresh.errors == [] and fresh.blocked == []


COUNTS = """PREFIX sce: <https://w3id.org/sce/ontology#>
SELECT ?model (COUNT(DISTINCT ?enterprise) AS ?enterprises) WHERE {
  ?model a sce:SocialCommerceModel ; sce:representedBy ?enterprise .
} GROUP BY ?model ORDER BY ?model"""


def test_an_answer_opens_on_the_view_that_fits_it(query_page: Visit, store: Store) -> None:
    """Dated rows open on the timeline, labelled numbers on the chart (bars, switchable to a line), the rest on the
    table; each view can still be chosen by hand."""
    page = query_page.page
    set_query(page, COUNTS)
    run_editor(page)
    wait_for_view(page, "chart")
    page.wait_for_selector(".kg-chart[data-drawn='true']", state="attached")
    chart = page.evaluate("() => ({type: window.KgViews.Chart.current.type, data: window.KgViews.Chart.current.datasets"
                          ".map(d => d.data), labels: window.KgViews.Chart.current.labels})")  # fmt: skip
    counts = {row[0].value: int(row[1].value) for row in store.query(COUNTS)}
    assert chart["type"] == "bar" and chart["data"] == [list(counts.values())]
    assert sorted(chart["labels"]) == sorted(["content", "distribution", "group buying", "community group buying"])
    assert drawn_chart(page) > 500
    page.click(".kg-chart-controls button[data-type='line']")
    page.wait_for_function("() => window.KgViews.Chart.current && window.KgViews.Chart.current.type === 'line'")
    page.click(".yasr .select_table")
    wait_for_view(page, "table")
    run_named(page, "timeline", model="group buying")
    wait_for_view(page, "timeline")
    page.wait_for_selector(".kg-timeline[data-drawn='true']", state="attached")
    years = page.locator(".kg-timeline-year").all_inner_texts()
    assert years == sorted(years) and "2015" in years
    assert "Pinduoduo" in page.locator(".kg-timeline").inner_text()
    run_named(page, "models")
    wait_for_view(page, "table")
    assert query_page.errors == []


def drawn_chart(page: Any) -> int:
    return int(
        page.evaluate(
            """() => { const c = document.querySelector('.kg-chart canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
        )
    )


#: A typed answer with three series: a count, the same count doubled (its scale) and a share of 1 (another scale).
SHARES = """PREFIX sce: <https://w3id.org/sce/ontology#>
SELECT ?model (COUNT(DISTINCT ?e) AS ?enterprises) (2 * COUNT(DISTINCT ?e) AS ?doubled)
       (COUNT(DISTINCT ?e) / 1000.0 AS ?share_of_1000) WHERE {
  ?model a sce:SocialCommerceModel ; sce:representedBy ?e .
} GROUP BY ?model ORDER BY ?model"""


def chart_said(page: Any) -> dict[str, Any]:
    """What the chart on screen says: its series' titles and axes, the title across, the titles of its value axes."""
    page.wait_for_selector(".kg-chart[data-drawn='true']", state="attached", timeout=30_000)
    return dict(
        page.evaluate(
            """() => { const c = window.KgViews.Chart.current; const scales = c.chart.options.scales;
            return {titles: c.datasets.map(d => d.label), axes: c.datasets.map(d => d.yAxisID), across: c.across,
                    sides: Object.keys(scales).filter(k => k !== 'x').map(k => [k, scales[k].position,
                           scales[k].title.text])}; }"""
        )
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_speaks_the_pages_language_and_gives_each_scale_its_axis(
    browser: Any,  # noqa: F811
    served: Server,
    lang: str,
) -> None:
    """market-size on its chart: the series and the axes are titled as the CLI titles the columns (``#+ columns_zh``
    in Chinese, the variables in English); the value in 亿元 and the normalised yuan (10⁸ apart) each on an axis of
    its own. The language switch keeps the query and the view, and says the chart in the other language."""
    titles = dict(catalog()["market-size"].columns_zh)
    said = {"zh": [titles["value"], titles["normalised"], titles["year"]], "en": ["value", "normalised", "year"]}
    other = "en" if lang == "zh" else "zh"
    for seen in visit(browser, served, f"/query?lang={lang}&name=market-size&view=chart"):
        page = seen.page
        wait_for_view(page, "chart")
        chart = chart_said(page)
        assert chart["titles"] == said[lang][:2] and chart["across"] == said[lang][2]
        assert chart["axes"] == ["y", "y2"]
        assert chart["sides"] == [["y", "left", said[lang][0]], ["y2", "right", said[lang][1]]]
        switch = page.locator(f"#kg-lang a[data-lang='{other}']").get_attribute("href") or ""
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(switch).query) == {
            "name": ["market-size"], "view": ["chart"], "lang": [other]
        }  # fmt: skip
        page.click(f"#kg-lang a[data-lang='{other}']")
        page.wait_for_selector(f"html[lang='{'zh-Hans' if other == 'zh' else 'en'}']", state="attached")
        wait_for_view(page, "chart")
        assert chart_said(page)["titles"] == said[other][:2]
        assert seen.errors == []


def test_a_typed_answer_keeps_its_variables_and_parts_its_scales(query_page: Visit) -> None:
    """The reader's own SPARQL: the series are titled by its variables; two of one scale share the left axis, the
    share (a thousand times smaller) has the right one; a single series has a single axis, a count's stepping by
    whole numbers."""
    page = query_page.page
    set_query(page, SHARES)
    run_editor(page)
    wait_for_view(page, "chart")
    chart = chart_said(page)
    assert chart["titles"] == ["enterprises", "doubled", "share of 1000"]
    assert chart["axes"] == ["y", "y", "y2"]
    assert chart["sides"] == [["y", "left", "enterprises · doubled"], ["y2", "right", "share of 1000"]]
    set_query(page, COUNTS)
    run_editor(page)
    page.wait_for_function("() => window.KgViews.Chart.current && window.KgViews.Chart.current.datasets.length === 1")
    assert chart_said(page)["sides"] == [["y", "left", "enterprises"]]
    run_named(page, "shared-categories")  # counts of two at most: Chart.js alone would step by 0.2
    page.wait_for_function("() => window.KgViews.Chart.current && window.KgViews.Chart.current.across === 'category'")
    ticks = page.evaluate("() => window.KgViews.Chart.current.chart.scales.y.ticks.map(t => t.value)")
    assert len(ticks) > 1 and all(float(t).is_integer() for t in ticks), f"counts step by whole numbers: {ticks}"
    assert query_page.errors == []


def test_the_address_holds_the_kind_of_chart_chosen(browser: Any, served: Server) -> None:  # noqa: F811
    """A chart switched to a line says so in its address (&chart=line); that address opens on the line in a fresh
    browser, and switched back to bars the address says bars."""
    for seen in visit(browser, served, "/query?lang=en&name=market-size&view=chart"):
        page = seen.page
        wait_for_view(page, "chart")
        assert "chart" not in urllib.parse.parse_qs(urllib.parse.urlsplit(shared_address(page)).query)
        page.click(".kg-chart-controls button[data-type='line']")
        page.wait_for_function("() => window.KgViews.Chart.current.type === 'line'")
        address = shared_address(page)
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)["chart"] == ["line"]
        for fresh in visit(browser, served, address.removeprefix(origin(served))):
            wait_for_view(fresh.page, "chart")
            fresh.page.wait_for_selector(".kg-chart[data-drawn='true']", state="attached")
            assert fresh.page.evaluate("() => window.KgViews.Chart.current.type") == "line"
            fresh.page.click(".kg-chart-controls button[data-type='bar']")
            fresh.page.wait_for_function("() => window.KgViews.Chart.current.type === 'bar'")
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(shared_address(fresh.page)).query)
            assert query["chart"] == ["bar"] and query["view"] == ["chart"]
            assert fresh.errors == []
        assert seen.errors == []


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Search", "Browse", "Timeline", "Overview"]), ("zh", ["搜索", "分面浏览", "时间线", "全图概览"])
])  # fmt: skip
def test_the_query_pages_header_has_the_sites_links(served: Server, lang: str, words: list[str]) -> None:
    """The header links the site's pages as the home page's does, in the page's language, and each answers."""
    status, _headers, body = call(origin(served) + f"/query?lang={lang}", headers={"Accept": "text/html"})
    assert status == 200
    page = body.decode()
    for target, word in zip(["search", "browse", "timeline", "overview"], words, strict=True):
        assert re.search(rf'<a id="kg-nav-{target}" href="/{target}">{word}</a>', page), target
        assert call(origin(served) + f"/{target}?lang={lang}", headers={"Accept": "text/html"})[0] == 200
    assert '<a id="kg-home-link" href="/">' in page


# --- One language at a time ----------------------------------------------------------------------------------------

#: The words the query page shows of its own, YASGUI's and DataTables' in English: none may be on the Chinese page.
QUERY_PAGE_ENGLISH = (
    "Simple view", "Ellipse", "Filter query results", "Page size", "Showing", "entries", "Table", "Graph", "Timeline",
    "Chart", "Response", "Download as", "Download result", "Named queries", "Run", "Open in the editor", "Share",
    "results", "seconds", "Query", "Ontology", "API docs", "Dataset", "Run query", "Share query", "Add tab",
    "Close tab", "New Tab", "Rename Tab", "Copy Tab", "Close other tabs", "required", "optional", "All", "Bars",
    "Line", "Text", "Language", "SPARQL endpoint", "Choose a named query", "Settings", "Open settings",
    "Clear endpoint", "Request method", "Accept Headers", "Arguments", "Default Graphs", "Named Graphs", "help",
    "First", "Last", "Next", "Previous", "Activate to sort", "pagination", "No data available", "syntax error",
    "found", "expected one of", "the end of the query", "This line is invalid", "Search", "Browse", "Overview",
    "Response in", "True", "False",
)  # fmt: skip
#: Where a page shows data (answers, SPARQL, identifiers of queries and parameters), not words of its own.
DATA_PARTS = (
    ".yasr_results tbody, .yasr_results canvas, .kg-timeline-what, .kg-timeline-date, .CodeMirror, #kg-named-select, "
    "#kg-params label > span:first-child, #kg-named-description, .kg-endpoint, .kg-graph-canvas, script, style, "
    "#kg-lang a[data-lang]"
)


def words_shown(page: Any) -> str:
    """Every text and title, placeholder and aria-label of the page outside the parts that show data, hidden or not."""
    return str(
        page.evaluate(
            """(data) => { const body = document.body.cloneNode(true);
            body.querySelectorAll(data).forEach(e => e.remove());
            const attributes = [...body.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap(e =>
                ['title', 'placeholder', 'aria-label'].map(a => e.getAttribute(a))
                .filter(v => v && !/^[a-z]+\\/[a-z0-9.+-]+$/.test(v)));  // a media type is no word
            return body.textContent + '\\n' + attributes.join('\\n') + '\\n' + document.title; }""",
            DATA_PARTS,
        )
    )


#: A query the server refuses (its message one the page knows), and one with an empty answer.
UNFINISHED = "SELECT * WHERE { ?s ?p ?o "
EMPTY = "SELECT * WHERE { ?s ?p ?o } LIMIT 0"
#: What the browser logs of the refused query.
REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


@pytest.mark.parametrize(
    "query",
    [
        UNFINISHED,
        "SELECT ?x WHERE { BIND(?y AS ?x) BIND(1 AS ?x) }",
        "",
        "SELECT * { SERVICE <http://example.org/> {} }",
    ],
)
def test_each_refusal_of_the_server_has_one_chinese_pattern(served: Server, query: str) -> None:
    """The server's message for a query it refuses matches exactly one of the page's patterns (the page tries them in
    no set order), and the Chinese it becomes keeps no English word but SPARQL's own."""
    from kg.serve.querypage import YASGUI_ZH, YASGUI_ZH_PATTERNS

    status, _headers, body = call(origin(served) + "/sparql?" + urllib.parse.urlencode({"query": query}))
    message = body.decode().strip()
    assert status == 400
    matching = [(p, zh) for p, zh in YASGUI_ZH_PATTERNS.items() if re.search(p, message)]
    assert len(matching) == 1, (message, matching)
    pattern, chinese = matching[0]
    values = re.search(pattern, message).groups()  # type: ignore[union-attr]
    said = re.sub(r"\{(\d)\}", lambda m: YASGUI_ZH.get(values[int(m[1])], values[int(m[1])]), chinese)
    assert re.findall(r"[a-z]{3,}", said.replace("allow-service", "")) == [], said


def show_every_control(page: Any) -> str:
    """Run a query whose answer every view but the timeline takes, open each view, a second tab, the tab menu; in it a
    query the server refuses, one with an empty answer and an ASK; then a dated answer on the timeline. The words
    shown on the way (the table's controls, its pages, the error, the yes) and at the end."""
    set_query(page, COUNTS)
    run_editor(page)
    wait_for_view(page, "chart")
    for view in ("table", "graph", "response", "chart"):
        page.click(f".yasr .select_{view}")
        page.wait_for_selector(f"body[data-drawn='{view}']", state="attached", timeout=30_000)
    page.click(".yasr .select_table")
    wait_for_view(page, "table")
    page.click(".yasgui .addTab")
    page.wait_for_function("() => document.querySelectorAll('.yasgui .tabsList .tab').length === 2")
    page.locator(".yasgui .tabsList .tab a").first.click()
    page.locator(".yasgui .tabsList .tab a").first.click(button="right")
    page.wait_for_selector(".yasgui .context-menu", state="attached")
    on_the_way = words_shown(page)
    page.keyboard.press("Escape")
    for query in (UNFINISHED, EMPTY, "ASK { ?s ?p ?o }"):  # a refused query, an empty answer, a yes, in the 2nd tab
        set_query(page, query)
        page.evaluate("() => { delete document.body.dataset.drawn; }")
        run_editor(page)
        page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)
        on_the_way += "\n" + words_shown(page)
    run_named(page, "timeline", model="拼购型")
    wait_for_view(page, "timeline")
    page.wait_for_selector(".kg-timeline[data-drawn='true']", state="attached")
    return on_the_way + "\n" + words_shown(page)


def test_the_chinese_query_page_shows_no_english_word_of_its_own(browser: Any, served: Server) -> None:  # noqa: F811
    """With ?lang=zh, after every view, a second tab and the tab menu: none of the page's, YASGUI's or DataTables'
    English words is left; then the switch to English and back names the tabs in the language chosen."""
    for seen in visit(browser, served, "/query?lang=zh"):
        page = seen.page
        shown = show_every_control(page)
        left = [w for w in QUERY_PAGE_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", shown)]
        assert left == [], f"English on the Chinese page: {left}"
        assert "筛选查询结果" in shown and "简洁视图" in shown and "时间线" in shown and "图表" in shown
        page.click("#kg-lang a[data-lang='en']")
        page.wait_for_selector("html[lang='en'] body[data-ready='true']", state="attached", timeout=30_000)
        wait_for_view(page, "timeline")
        tabs = page.locator(".yasgui .tabsList .tab a").all_inner_texts()
        assert [t.split("\n")[0].strip() for t in tabs][:2] == ["Query", "Query 1"], tabs
        page.click("#kg-lang a[data-lang='zh']")
        page.wait_for_selector("html[lang='zh-Hans'] body[data-ready='true']", state="attached", timeout=30_000)
        tabs = page.locator(".yasgui .tabsList .tab a").all_inner_texts()
        assert [t.split("\n")[0].strip() for t in tabs][:2] == ["查询", "查询 1"], tabs
        assert seen.errors == [REFUSED], "nothing failed but the query the server refuses"


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "此行有误，应为其中之一："), ("en", "This line is invalid. Expected:")]
)
def test_the_editors_tooltip_on_a_wrong_line_speaks_the_pages_language(
    browser: Any,  # noqa: F811
    served: Server,
    lang: str,
    said: str,
) -> None:
    """The editor marks a line it cannot parse; the tooltip over the mark is in the page's language (the tokens it
    expects are SPARQL's own)."""
    for seen in visit(browser, served, f"/query?lang={lang}"):
        page = seen.page
        set_query(page, "SELECT * WHERE { ?s ?p }")
        page.hover(".parseErrorIcon")
        page.wait_for_selector(".yasqe_tooltip", state="visible")
        page.wait_for_function(
            "(said) => document.querySelector('.yasqe_tooltip').innerText.startsWith(said)", arg=said
        )
        assert "VAR1" in page.locator(".yasqe_tooltip").inner_text()
        assert seen.errors == []


def test_the_english_query_page_shows_no_chinese_word_of_its_own(browser: Any, served: Server) -> None:  # noqa: F811
    """With ?lang=en, the same controls: no Chinese outside the data (the language switch's 中文 aside)."""
    for seen in visit(browser, served, "/query?lang=en"):
        page = seen.page
        shown = show_every_control(page)
        assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", shown) == []
        assert all(w in shown for w in ("Simple view", "Filter query results", "Timeline", "Chart", "Share"))
        assert seen.errors == [REFUSED], "nothing failed but the query the server refuses"


@pytest.mark.parametrize(
    ("lang", "heading", "nav"), [("zh", "社交电商本体", "查询"), ("en", "Social e-commerce ontology", "Query")]
)
def test_the_served_ontology_page_takes_the_language_asked(served: Server, lang: str, heading: str, nav: str) -> None:
    """/ontology?lang= answers in that language, its nav and language switch keeping the page."""
    status, _, body = call(origin(served) + f"/ontology?lang={lang}", headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200 and f"<h1>{heading}</h1>" in page and "propertyes" not in page
    assert re.search(rf'<a href="/query">{nav}', page), "the nav leads to the query page, in the page's language"
    other = "en" if lang == "zh" else "zh"
    assert f'href="/ontology?lang={other}" data-lang="{other}"' in page


def test_a_named_query_chooses_its_view_by_its_header(tmp_path: Path) -> None:
    """``#+ defaultView: timeline`` (as Wikidata's ``#defaultView:``) is read into the query and handed to the page."""
    from kg.catalog import read_query

    path = tmp_path / "dated.rq"
    path.write_text("#+ summary: Dated\n#+ defaultView: Timeline\nSELECT ?d WHERE { ?s ?p ?d }\n", encoding="utf-8")
    assert read_query(path).default_view == "timeline"
    assert read_query(path).text.startswith("#+ summary")
    path.write_text("#+ summary: Plain\nSELECT ?d WHERE { ?s ?p ?d }\n", encoding="utf-8")
    assert read_query(path).default_view == ""


@pytest.mark.parametrize(("lang", "heading", "title", "other"), [
    ("zh", "数据集（VoID）", "社交电商知识图谱", "Social e-commerce knowledge graph"),
    ("en", "Dataset (VoID)", "Social e-commerce knowledge graph", "社交电商知识图谱"),
])  # fmt: skip
def test_void_answers_a_browser_with_a_page_and_programs_with_rdf(
    served: Server, lang: str, heading: str, title: str, other: str
) -> None:
    """/.well-known/void: a page in the reader's language for a browser (the dataset's title in that language, its
    parts linked to their pages on this server), Turtle for a program, the same statements either way."""
    status, headers, body = call(origin(served) + f"/.well-known/void?lang={lang}", headers={"Accept": BROWSER_ACCEPT})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"] and "accept" in headers["vary"].lower()
    assert f"<h1>{heading}</h1>" in page and f"<td>{title}</td>" in page and other not in page.split("<main>")[1]
    assert 'href="/graph/seed"' in page and "void:subset" in page and "<script" not in page
    status, headers, body = call(origin(served) + "/.well-known/void", headers={})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert b"void:subset" in body or b"http://rdfs.org/ns/void#subset" in body


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
