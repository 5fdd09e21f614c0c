"""The graph on the web, for people and programs: every IRI of the graph dereferences on ``kg serve`` — a page for a
browser (opened in Debian's Chromium, every request to another host aborted and counted), RDF by ``Accept`` or by
ending with the canonical IRIs — and the dataset is described by VoID. Payloads in a file of yours run nowhere."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import rdflib

from kg.network import from_store, neighbourhood
from kg.stores import Store
from kg.vocab import BASE, GRAPH, ID, ONTOLOGY_IRI, SCE

from .servers import Server, start_kg_serve
from .test_browser import ARGS, CHROMIUM, READY, browser, drawn_pixels, hover_and_click  # noqa: F401

pytestmark = [pytest.mark.server, pytest.mark.browser]

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
KUAISHOU = rdflib.URIRef(ID.kuaishou)
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
#: What Chromium sends as Accept when it follows a link.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml"}


def base_of(server: Server) -> str:
    return server.url.rsplit("/", 1)[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """kg serve over the built-in graph; yields its base URL."""
    server = start_kg_serve(tmp_path_factory.mktemp("pages"), "--workers", "2", "--timeout", "30")
    try:
        yield base_of(server)
    finally:
        server.stop()


def call(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def sparql_rows(base: str, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT asked of the server's own endpoint, as plain strings."""
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    status, _, body = call(url, "application/sparql-results+json")
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


# --- RDF for programs -------------------------------------------------------------------------------------------------


def canonical_only(graph: rdflib.Graph, base: str) -> None:
    """Every IRI in ``graph`` is a canonical one: none names a path of the server."""
    terms = {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    assert terms and not [t for t in terms if t.startswith(base) or str(t).startswith("/")]


@pytest.mark.parametrize("accept", sorted(RDF_TYPES))
def test_a_node_as_rdf_by_accept(served: str, accept: str) -> None:
    """/id/kuaishou answers each RDF type it is asked for, with the canonical IRIs, Vary and Content-Location."""
    status, headers, body = call(f"{served}/id/kuaishou", accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    assert "Accept" in headers["vary"]
    assert headers["content-location"].startswith("/id/kuaishou.")
    graph = rdflib.Graph().parse(data=body.decode(), format=RDF_TYPES[accept])
    assert (KUAISHOU, rdflib.RDFS.label, rdflib.Literal("快手", lang="zh-Hans")) in graph
    assert (rdflib.URIRef(ID.content), rdflib.URIRef(SCE.representedBy), KUAISHOU) in graph
    canonical_only(graph, served)


@pytest.mark.parametrize("suffix", sorted(SUFFIXES))
def test_a_node_as_rdf_by_suffix(served: str, suffix: str) -> None:
    """/id/kuaishou.ttl (…) answers that format, whatever Accept says, with the node's statements."""
    status, headers, body = call(f"{served}/id/kuaishou{suffix}", "text/html")
    assert status == 200 and "Accept" in headers["vary"]
    graph = rdflib.Graph().parse(data=body.decode(), format=SUFFIXES[suffix])
    assert (KUAISHOU, rdflib.RDF.type, rdflib.URIRef(SCE.Enterprise)) in graph
    canonical_only(graph, served)


def test_a_browser_gets_the_page_and_a_client_that_takes_anything_turtle(served: str) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = call(f"{served}/id/kuaishou", browser_accept)
    assert status == 200 and headers["content-type"].startswith("text/html") and "快手" in body.decode()
    assert headers["content-location"] == "/id/kuaishou.html" and "Accept" in headers["vary"]
    status, headers, _ = call(f"{served}/id/kuaishou", "*/*")
    assert status == 200 and headers["content-type"].startswith("text/turtle")


def test_406_when_no_format_fits(served: str) -> None:
    status, headers, body = call(f"{served}/id/kuaishou", "image/png")
    assert status == 406 and "Accept" in headers["vary"]
    assert body.decode().count("\n") == 1 and "text/turtle" in body.decode()


def test_404_names_the_closest_nodes(served: str) -> None:
    """An IRI that names nothing: a page offering the closest names (for a browser), one line (for a program)."""
    status, headers, body = call(f"{served}/id/kuaishuo", "text/html")
    assert status == 404 and "Accept" in headers["vary"] and "content-location" not in headers
    assert re.search(r'<a href="/id/kuaishou">Kuaishou</a>', body.decode())
    status, _, body = call(f"{served}/id/kuaishuo", "text/turtle")
    assert status == 404 and "id:kuaishou" in body.decode() and body.decode().count("\n") == 1


@pytest.mark.parametrize(
    "path", ["/node", "/node?iri=not%20an%20iri", "/id/", "/id/a%20b", "/graph/", "/id/%00", "/ontology/nothing"]
)
def test_bad_requests_get_a_4xx_never_a_500(served: str, path: str) -> None:
    for accept in ("text/html", "text/turtle"):
        status, _, body = call(served + path, accept)
        assert 400 <= status < 500, (path, accept, body[:200])


def test_ontology_as_page_and_as_rdf(served: str, store: Store) -> None:
    """/ontology: the ontology page with links to the server's paths; as RDF, the ontology graph's triples."""
    status, headers, body = call(f"{served}/ontology", "text/html")
    page = body.decode()
    assert status == 200 and 'id="SocialCommerceModel"' in page
    links = re.findall(r'href="([^"]*)"', page)
    assert "/id/content" in links and not [link for link in links if link.startswith(BASE)]
    assert (
        "'sha256-" in headers["content-security-policy"] and "unsafe-inline" not in headers["content-security-policy"]
    )
    status, headers, body = call(f"{served}/ontology.ttl")
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert (rdflib.URIRef(SCE.SocialCommerceModel), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert len(graph) == dict(store.graphs())[GRAPH.ontology]
    canonical_only(graph, served)


def test_a_named_graph_as_page_and_as_rdf(served: str) -> None:
    """/graph/seed: what the graph is and how many triples it holds, its nodes listed; as RDF, its triples."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH.seed}> {{ ?s ?p ?o }} }}"
    count = int(sparql_rows(served, query)[0]["n"])
    status, _, body = call(f"{served}/graph/seed", "text/html")
    page = body.decode()
    assert status == 200 and f'<dd id="kg-triples">{count}</dd>' in page
    assert 'href="/id/seed-document"' in page and 'href="/id/content"' in page
    status, headers, body = call(f"{served}/graph/seed", "application/n-triples")
    assert status == 200 and headers["content-location"] == "/graph/seed.nt"
    assert len(rdflib.Graph().parse(data=body.decode(), format="nt")) == count
    assert call(f"{served}/graph/seeed", "text/html")[0] == 404


def test_a_source_graph_names_its_source(served: str) -> None:
    """/graph/source/KEY: the source it was derived from, with its title and address, and its triples."""
    graph = GRAPH.term("source/wikipedia-kuaishou")
    source = sparql_rows(
        served,
        f"SELECT ?url ?n WHERE {{ <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom>/<https://schema.org/url> ?url "
        f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} }}",
    )[0]
    status, _, body = call(f"{served}/graph/source/wikipedia-kuaishou", "text/html")
    page = body.decode()
    assert status == 200 and f'href="{source["url"]}"' in page and 'href="/id/src-wikipedia-kuaishou"' in page
    assert f'<dd id="kg-triples">{source["n"]}</dd>' in page


def test_the_service_description_holds_the_same_void(served: str) -> None:
    """GET /sparql describes its dataset with the VoID of /.well-known/void: the same endpoint, subsets and counts."""
    description = rdflib.Graph().parse(data=call(f"{served}/sparql", "text/turtle")[2].decode(), format="turtle")
    void = rdflib.Graph().parse(data=call(f"{served}/.well-known/void")[2].decode(), format="turtle")
    endpoint = rdflib.URIRef(f"{served}/sparql")
    described = next(description.subjects(VOID.sparqlEndpoint, endpoint))
    dataset = next(void.subjects(VOID.sparqlEndpoint, endpoint))

    def subsets(graph: rdflib.Graph, node: rdflib.term.Node) -> dict[str, int]:
        return {str(s): int(str(graph.value(s, VOID.triples))) for s in graph.objects(node, VOID.subset)}

    assert subsets(description, described) == subsets(void, dataset) != {}


def vary_of(headers: dict[str, str]) -> set[str]:
    return {v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(
    ("path", "accept", "varies"),
    [
        ("/query", "text/html", {"accept-language", "cookie"}),
        ("/", "application/json", {"accept", "accept-language", "cookie"}),
        ("/docs", "text/html", {"accept-language", "cookie"}),
    ],
)
def test_the_query_page_and_the_docs_say_what_they_vary_by(
    served: str, path: str, accept: str, varies: set[str]
) -> None:
    """/query is the query page and / JSON for programs, and both pages are written in the language of the cookie or of
    Accept-Language: each says so in Vary, beside the Origin of CORS."""
    status, headers, _ = call(served + path, accept)
    assert status == 200 and vary_of(headers) >= varies | {"origin"}, headers.get("vary")
    if accept == "text/html":  # what Vary names does change the page
        english = call(served + path, accept)[2].decode()
        chinese = urllib.request.Request(served + path, headers={"Accept": accept, "Accept-Language": "zh-CN"})
        with urllib.request.urlopen(chinese, timeout=60) as answer:
            assert answer.read().decode() != english
        cookie = urllib.request.Request(served + path, headers={"Accept": accept, "Cookie": "kg_lang=zh"})
        with urllib.request.urlopen(cookie, timeout=60) as answer:
            assert 'lang="zh-Hans"' in answer.read().decode() and 'lang="en"' in english


@pytest.mark.parametrize(
    "path", ["/id/a%0d%0ab", "/graph/seed%0a", "/ontology%0d%0a", "/id/%0a", "/id/kuai%0ashou", "/id/kuaishou%09"]
)
def test_a_line_break_in_an_iri_path_gets_kgs_404_with_vary(served: str, path: str) -> None:
    """A path of the graph's IRIs holding a line break (which no route matches) gets kg's answer for an IRI that names
    nothing, with Vary: Accept, not Starlette's bare "Not Found"."""
    for accept in ("text/html", "text/turtle"):
        status, headers, body = call(served + path, accept)
        assert status == 404 and "accept" in vary_of(headers), (path, headers)
        if accept == "text/turtle" or b"<html" not in body:
            assert body.decode().count("\n") == 1 and "IRI" in body.decode(), body
        else:
            assert '<code id="kg-iri">' in body.decode() and headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/nothing", "/nothing%0d%0a", "/static/nothing.js"])
def test_a_path_of_nothing_gets_kgs_404(served: str, path: str) -> None:
    status, _, body = call(served + path)
    assert status == 404 and body != b"Not Found" and "/openapi.json" in body.decode(), body


# --- VoID -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "application/ld+json"])
def test_void_counts_each_graph_as_the_store_does(served: str, accept: str | None) -> None:
    status, headers, body = call(f"{served}/.well-known/void", accept)
    assert status == 200 and "Accept" in headers["vary"]
    assert headers["content-type"].startswith(accept or "text/turtle")
    void = rdflib.Graph().parse(data=body.decode(), format="json-ld" if accept else "turtle")
    dataset = next(void.subjects(VOID.sparqlEndpoint, rdflib.URIRef(f"{served}/sparql")))
    rows = sparql_rows(served, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert len(rows) > 10
    subsets = set(void.objects(dataset, VOID.subset))
    assert subsets == {rdflib.URIRef(r["g"]) for r in rows}
    for row in rows:
        assert int(str(void.value(rdflib.URIRef(row["g"]), VOID.triples))) == int(row["n"]), row["g"]
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    total = int(sparql_rows(served, distinct)[0]["n"])  # the union of the graphs, each triple once
    assert int(str(void.value(dataset, VOID.triples))) == total
    licence = sparql_rows(served, f"SELECT ?l WHERE {{ <{ONTOLOGY_IRI}> <{DCT.license}> ?l }}")[0]["l"]
    assert void.value(dataset, DCT.license) == rdflib.URIRef(licence)
    vocabularies = set(void.objects(dataset, VOID.vocabulary))
    assert {rdflib.URIRef(ONTOLOGY_IRI), rdflib.URIRef("http://www.w3.org/2004/02/skos/core")} <= vocabularies


# --- Pages in the browser ---------------------------------------------------------------------------------------------


@dataclass
class Browsing:
    """A browser context that lets requests reach only the server: the rest is aborted and counted."""

    context: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def dismiss(self, dialog: Any) -> None:
        """Note a dialog a page opened (a payload that ran would), and close it."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str, *, drawn: bool = False) -> Any:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", self.dismiss)
        page.goto(url)
        if drawn:
            page.wait_for_selector(READY, state="attached", timeout=30_000)
        return page


def browsing(browser: Any, base: str, *, bypass_csp: bool = False) -> Iterator[Browsing]:  # noqa: F811
    """A fresh context that aborts, and lists, every request to a host other than the server at ``base``."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=bypass_csp)
    seen = Browsing(context)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url == base or url.startswith(base + "/"):
            request_route.continue_()
        else:
            seen.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    yield seen
    context.close()


@pytest.fixture(params=[False, True], ids=["with-csp", "without-csp"])
def web(browser: Any, served: str, request: pytest.FixtureRequest) -> Iterator[Browsing]:  # noqa: F811
    """A browsing context on the built-in graph's server, once with the pages' CSP and once without it: with it, the
    browser refuses a request to another host before the route could count it; without it, the request is really
    attempted, and counted."""
    yield from browsing(browser, served, bypass_csp=request.param)


PAGES = [
    *("/id/kuaishou", "/id/content", "/id/pinduoduo", "/id/src-wikipedia-kuaishou", "/ontology", "/graph/seed"),
    *("/graph/source/wikipedia-kuaishou", "/id/kuaishuo", "/node?iri=" + urllib.parse.quote(SCE.targets)),
]


def test_every_page_asks_nothing_of_another_host(web: Browsing, served: str) -> None:
    """Each page, its styles, scripts and drawing come from the server alone: no request elsewhere, no error."""
    for path in PAGES:
        page = web.open(served + path, drawn=path in ("/id/kuaishou", "/id/content"))
        page.wait_for_load_state("load")
        assert page.locator("h1").count() >= 1, path
        page.close()
    assert web.blocked == []
    assert [e for e in web.errors if "404" not in e] == []  # the not-found page is itself a 404


def test_kuaishou_names_and_links_walk_the_graph(web: Browsing, served: str) -> None:
    """/id/kuaishou shows both names and links to the content model; following links walks the graph."""
    page = web.open(f"{served}/id/kuaishou?lang=en", drawn=True)
    assert page.locator("#kg-label-en").inner_text() == "Kuaishou"
    assert page.locator("#kg-label-zh").inner_text() == "快手"
    assert page.locator("#kg-class a").inner_text() == "enterprise"
    page.locator("#kg-in a[href='/id/content']").first.click()
    page.wait_for_url(f"{served}/id/content")
    assert page.locator("h1").inner_text() == "content" and page.locator("#kg-label-zh").inner_text() == "内容型"
    page.locator("#kg-out a[href='/id/douyin']").first.click()
    page.wait_for_url(f"{served}/id/douyin")
    assert page.locator("#kg-label-zh").inner_text() == "抖音"
    page.locator("#kg-class a").click()
    page.wait_for_url(f"{served}/ontology#Enterprise")
    assert page.locator("#Enterprise h3").inner_text().startswith("enterprise")
    assert web.blocked == [] and web.errors == []


def test_the_language_switch_is_remembered_across_pages(web: Browsing, served: str) -> None:
    page = web.open(f"{served}/id/kuaishou?lang=en")
    assert page.locator("h1").inner_text() == "Kuaishou"
    page.click(".kg-switch a[data-lang='zh']")
    page.wait_for_url(f"{served}/id/kuaishou?lang=zh")
    assert page.locator("h1").inner_text() == "快手"
    assert page.locator("#kg-class a").inner_text() == "企业", "linked labels follow the language"
    assert page.locator("#kg-in a[href='/id/content']").first.inner_text() == "内容型"
    page.locator("#kg-in a[href='/id/content']").first.click()
    page.wait_for_url(f"{served}/id/content")
    assert page.locator("h1").inner_text() == "内容型", "the next page keeps the language"
    assert page.locator(".kg-switch a[aria-current='true']").inner_text() == "中文"
    page.click(".kg-switch a[data-lang='en']")
    page.wait_for_url(f"{served}/id/content?lang=en")
    page.goto(f"{served}/id/kuaishou")
    assert page.locator("h1").inner_text() == "Kuaishou"


def test_a_node_page_draws_its_neighbourhood(web: Browsing, served: str, store: Store) -> None:
    """The drawing on /id/content: the canvas is drawn with the node's neighbours; double-click opens a node."""
    page = web.open(f"{served}/id/content", drawn=True)
    expected = neighbourhood(from_store(store), ID.content)
    assert drawn_pixels(page) > 1000
    assert page.evaluate("() => window.kg.nodes.length") == expected.number_of_nodes() > 5
    page.evaluate("(id) => window.kg.network.fit({nodes: [id], animation: false})", ID.kuaishou)
    spot = page.evaluate(
        "(id) => { const n = window.kg.network; const p = n.canvasToDOM(n.getPosition(id));"
        " const r = document.getElementById('kg-graph').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        ID.kuaishou,
    )
    page.mouse.dblclick(spot[0], spot[1])
    page.wait_for_url(f"{served}/id/kuaishou")
    assert web.blocked == [] and web.errors == []


def test_a_node_page_lists_statements_with_their_sources_and_timeline(served: str) -> None:
    """Every statement with its source (seed, curation, a public source with its address); the seed's wording; the
    dated events in date order."""
    status, _, body = call(f"{served}/id/kuaishou?lang=en", "text/html")
    page = body.decode()
    assert status == 200
    assert '<span class="kind">seed document</span>' in page and '<span class="kind">curation notes</span>' in page
    assert 'href="https://en.wikipedia.org/wiki/Kuaishou"' in page
    assert '<q lang="en">Aauto Faster</q>' in page
    dates = re.findall(r'<td class="date">([^<]*)</td>', page)
    rows = sparql_rows(
        served,
        f"SELECT DISTINCT ?date WHERE {{ {{ <{ID.kuaishou}> <https://schema.org/foundingDate> ?date }} UNION "
        f"{{ ?event <{SCE.concerns}> <{ID.kuaishou}> ; <https://schema.org/startDate> ?date }} }}",
    )
    assert dates == sorted(dates) and set(dates) == {r["date"] for r in rows} and dates


# --- The browsing loop: node pages, the query page, the ontology ----------------------------------------------------

SITE = {"/", "/query", "/ontology", "/.well-known/void", "/docs"}


@pytest.mark.parametrize("path", ["/id/kuaishou", "/graph/seed", "/id/kuaishuo", "/ontology", "/query"])
def test_every_page_links_to_the_query_page_the_ontology_void_and_the_docs(served: str, path: str) -> None:
    """Node, graph, not-found, ontology and query pages all lead to the rest of the site; none sends a browser to
    /sparql (which answers it with Turtle)."""
    status, _, body = call(served + path, BROWSER)
    links = set(re.findall(r'href="([^"#]*)', body.decode()))
    assert status in (200, 404) and SITE - {path, "/"} <= links and "/sparql" not in links, sorted(links)
    assert path == "/query" or "/query" in links or "/" in links


def test_the_exported_ontology_page_links_to_no_server(store: Store) -> None:
    """The nav is the served page's alone: the file of exports/ links to no path of a server."""
    from kg.ontodoc import ontology_page

    exported = ontology_page(store)
    assert not re.findall(r'href="/', exported) and 'id="kg-site-nav"' not in exported


def wait_ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)


def labelled_results(page: Any) -> None:
    """Run the editor's query and wait until the table's IRIs are links with their labels."""
    page.click(".yasqe .yasqe_queryButton")
    page.wait_for_selector(".yasr_results table a.iri[data-kg-label='true']", state="attached", timeout=30_000)


def test_from_a_node_page_to_the_query_page_and_back_in_one_language(web: Browsing, served: str) -> None:
    """Clicking only: a node page in Chinese → the site title (the home page) → the query page, in Chinese (the cookie
    is shared) → English there → a result's link → its node page, in English → the nav's query link → the query page
    again."""
    page = web.open(f"{served}/id/kuaishou?lang=zh")
    assert page.locator("h1").inner_text() == "快手"
    page.click("a.kg-home")
    page.wait_for_url(f"{served}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"  # the home page, in the reader's language
    page.click("#kg-nav-query")
    page.wait_for_url(f"{served}/query")
    wait_ready(page)
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#kg-header h1").inner_text() == "社交电商知识图谱"
    page.click("#kg-lang a[data-lang='en']")
    page.wait_for_url(f"{served}/query?lang=en")
    wait_ready(page)
    labelled_results(page)
    link = page.locator(".yasr_results table a.iri[href='/id/content']").first
    assert link.inner_text() == "content"
    if link.get_attribute("target") == "_blank":
        with web.context.expect_page() as opened:
            link.click()
        node = opened.value
    else:
        link.click()
        node = page
    node.wait_for_url(f"{served}/id/content")
    assert node.locator("h1").inner_text() == "content", "the language chosen on the query page holds"
    node.click("#kg-nav-query")
    node.wait_for_url(f"{served}/query")
    wait_ready(node)
    assert node.locator("html").get_attribute("lang") == "en"
    node.click("#kg-ontology-link")
    node.wait_for_url(f"{served}/ontology")
    node.click("#kg-site-nav a[href='/query']")
    node.wait_for_url(f"{served}/query")
    assert web.blocked == [] and web.errors == []


# --- A file of yours full of payloads ---------------------------------------------------------------------------------

PAYLOADS = r"""@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix sce:    <https://w3id.org/sce/ontology#> .
@prefix x:      <https://example.org/xss/> .

<> prov:wasDerivedFrom x:source .
x:source rdfs:label "<img src=x onerror=\"window.__pwned='source'\">"@en ;
    schema:url "javascript:window.__pwned='url'" .

x:evil a sce:Enterprise ;
    rdfs:label "<script>window.__pwned='label'</script>"@en , "\"><img src=x onerror=\"window.__pwned='zh'\">"@zh-Hans ;
    skos:definition "</script><script>window.__pwned='definition'</script>"@en ;
    skos:altLabel "javascript:window.__pwned='alt'" ;
    sce:represents <https://w3id.org/sce/id/content> ;
    rdfs:seeAlso <javascript:window.__pwned='iri'//> .

<https://w3id.org/sce/id/content> sce:representedBy x:evil .

<javascript:window.__pwned='iri'//> rdfs:label "<a href=\"javascript:window.__pwned='href'\">click me</a>"@en ;
    rdfs:comment "\u2028</SCRIPT ><!--<script>window.__pwned='comment'</script>" .
"""
SHOWN = ["<script>window.__pwned='label'</script>", "</script><script>window.__pwned='definition'</script>",
         "<img src=x onerror=\"window.__pwned='source'\">", "javascript:window.__pwned='alt'"]  # fmt: skip


def serve_data(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> Iterator[str]:
    """kg serve with one worker and a ``--data`` file ``name`` holding ``text``: its base URL, until the test ends."""
    folder = tmp_path_factory.mktemp(name.split(".")[0])
    data = folder / name
    data.write_text(text, encoding="utf-8")
    server = start_kg_serve(folder, "--workers", "1", "--timeout", "30", global_args=("--data", str(data)))
    try:
        yield base_of(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_data(tmp_path_factory, "payloads.ttl", PAYLOADS)


EVIL = "https://example.org/xss/evil"
EVIL_IRI = "javascript:window.__pwned='iri'//"


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_payloads_run_nowhere(browser: Any, payload_server: str, bypass_csp: bool) -> None:  # noqa: F811
    """Labels, definitions, sources and IRIs that are script: shown as text on every page that shows them, on load,
    hover and click, with the CSP and without it (the escaping alone holds)."""
    base = payload_server
    pages = ["/id/content", "/node?iri=" + urllib.parse.quote(EVIL), "/node?iri=" + urllib.parse.quote(EVIL_IRI)]
    for seen in browsing(browser, base, bypass_csp=bypass_csp):
        for path in pages:
            page = seen.open(base + path, drawn=path == "/id/content" or EVIL in urllib.parse.unquote(path))
            links = page.eval_on_selector_all("a[href]", "(as) => as.map((a) => a.getAttribute('href'))")
            assert links and [link for link in links if not re.match(r"(/([^/]|$)|https?://|\?|#)", link)] == []
            text = page.locator("body").inner_text()
            if path == "/id/content":
                hover_and_click(page, EVIL)
                assert "<script>window.__pwned='label'</script>" in page.locator("#kg-panel").inner_text()
                page.locator(f"#kg-out a[href='/node?iri={urllib.parse.quote(EVIL, safe='')}']").click()
                page.wait_for_url(f"{base}/node?iri=*")
                text = page.locator("body").inner_text()
            if EVIL in urllib.parse.unquote(path) or path == "/id/content":
                for payload in SHOWN:
                    assert payload in text, payload
            for link in page.locator("a").all()[:60]:
                link.hover()
            assert page.evaluate("() => typeof window.__pwned") == "undefined", path
            assert page.locator("main img, main script:not([src]):not([type='application/json'])").count() == 0
            page.close()
        assert seen.dialogs == [] and seen.blocked == []


# --- A file of yours: IRIs beyond ASCII, a graph named by its path ----------------------------------------------------

LOCAL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sce:  <https://w3id.org/sce/ontology#> .

<https://w3id.org/sce/id/快手x> a sce:Enterprise ; rdfs:label "Kuaishou x"@en , "快手x"@zh-Hans .
<https://w3id.org/sce/id/café> a sce:Enterprise ; rdfs:label "Café"@en , "咖啡馆"@zh-Hans .
"""
LOCAL_NAMES = ["快手x", "café"]


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """kg serve with a ``--data`` file of nodes whose IRIs are not ASCII; its graph is named by the file's path."""
    yield from serve_data(tmp_path_factory, "local.ttl", LOCAL)


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
@pytest.mark.parametrize("name", LOCAL_NAMES)
def test_an_iri_beyond_latin_1_gets_an_ascii_content_location(local_server: str, name: str, accept: str) -> None:
    """A node whose IRI holds Chinese or Latin-1 letters: 200, and a Content-Location in ASCII that names the same
    document (it used to be a 500, or a raw byte in the header)."""
    iri = BASE + "id/" + name
    status, headers, body = call(f"{local_server}/id/{urllib.parse.quote(name)}", accept)
    assert status == 200, body[:300]
    location = headers["content-location"]
    assert location.isascii() and urllib.parse.unquote(location).startswith(f"/id/{name}.")
    again, again_headers, document = call(local_server + location, accept)
    assert again == 200 and again_headers["content-type"] == headers["content-type"]
    if accept == "text/html":
        assert (
            f'<code id="kg-iri">{iri}</code>' in body.decode()
            and f'<code id="kg-iri">{iri}</code>' in document.decode()
        )
    else:
        graph = rdflib.Graph().parse(data=document.decode(), format="turtle")
        assert (rdflib.URIRef(iri), rdflib.RDF.type, rdflib.URIRef(SCE.Enterprise)) in graph
        assert document == body


def local_links(base: str, path: str) -> set[str]:
    """The links of a page to paths of the server, without their fragments."""
    page = call(base + path, "text/html")[2].decode()
    return {html.unescape(link).split("#")[0] for link in re.findall(r'href="(/[^"]*)"', page)} - {""}


@pytest.mark.parametrize("name", ["快手x", "kuaishou"])
def test_no_link_of_a_node_page_is_dead(local_server: str, name: str) -> None:
    """Every link of a node page leads to a page: rdf:type (a property, used as one), the graph of a --data file
    (named by its file: path), the classes, the sources, the other nodes."""
    links = local_links(local_server, "/id/" + urllib.parse.quote(name))
    type_link = "/node?" + urllib.parse.urlencode({"iri": str(rdflib.RDF.type)})
    assert type_link in links and any(link.startswith("/node?iri=file") for link in links) == (name != "kuaishou")
    dead = [link for link in sorted(links) if call(local_server + link, BROWSER)[0] != 200]
    assert dead == []


def test_a_data_files_graph_has_a_page(local_server: str) -> None:
    """/node?iri=file:///…/local.ttl is the page of that graph: its triples counted, its nodes listed."""
    graph = next(
        r["g"] for r in sparql_rows(local_server, "SELECT DISTINCT ?g { GRAPH ?g {} }") if "local.ttl" in r["g"]
    )
    status, _, body = call(f"{local_server}/node?" + urllib.parse.urlencode({"iri": graph}), "text/html")
    page = body.decode()
    assert status == 200 and '<dd id="kg-triples">6</dd>' in page and LOCAL.count(" a sce:Enterprise") == 2
    assert urllib.parse.quote("/id/快手x", safe="/") in page and "/id/caf%C3%A9" in page


def test_void_names_no_local_path(local_server: str) -> None:
    """VoID describes a --data file's graph by its file name and triples; the folder it lies in appears nowhere."""
    graph = next(
        r["g"] for r in sparql_rows(local_server, "SELECT DISTINCT ?g { GRAPH ?g {} }") if "local.ttl" in r["g"]
    )
    folder = urllib.parse.unquote(graph.removeprefix("file://")).rsplit("/", 1)[0]
    text = call(f"{local_server}/.well-known/void")[2].decode()
    assert folder not in text and urllib.parse.quote(folder) not in text
    void = rdflib.Graph().parse(data=text, format="turtle")
    dataset = next(void.subjects(rdflib.RDF.type, VOID.Dataset))
    titled = [s for s in void.objects(None, VOID.subset) if void.value(s, DCT.title) == rdflib.Literal("local.ttl")]
    assert len(titled) == 1 and int(str(void.value(titled[0], VOID.triples))) == 6
    subsets = set(void.objects(None, VOID.subset))
    assert len(subsets) == len(sparql_rows(local_server, "SELECT DISTINCT ?g { GRAPH ?g {} }")) and dataset


def payload_graph(base: str) -> str:
    """The named graph of the payloads file (its file: IRI)."""
    rows = sparql_rows(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return next(r["g"] for r in rows if r["g"].endswith("/payloads.ttl"))


ALT = "javascript:window.__pwned='alt'"


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_payloads_run_nowhere_on_the_other_pages(browser: Any, payload_server: str, bypass_csp: bool) -> None:  # noqa: F811
    """The served ontology page (the payload node is an enterprise), the --data graph's page, a 404 page whose path is
    a payload and whose closest names are payloads, and the search box of a node page given payloads: each shows
    them as text, and nothing runs, with the CSP and without it."""
    base = payload_server
    label = "<script>window.__pwned='label'</script>"
    pages = {
        "/ontology": [label],
        "/node?iri=" + urllib.parse.quote(payload_graph(base), safe=""): [label, SHOWN[2]],
        "/id/" + urllib.parse.quote(ALT, safe=":"): [f"{BASE}id/{ALT}", label, ALT],
    }
    for seen in browsing(browser, base, bypass_csp=bypass_csp):
        for path, shown in pages.items():
            page = seen.open(base + path)
            page.wait_for_load_state("load")
            links = page.eval_on_selector_all("a[href]", "(as) => as.map((a) => a.getAttribute('href'))")
            assert links and [link for link in links if not re.match(r"(/([^/]|$)|https?://|\?|#)", link)] == []
            text = page.locator("body").inner_text()
            for payload in shown:
                assert payload in text, (path, payload)
            for link in page.locator("a").all()[:60]:
                link.hover()
            assert page.evaluate("() => typeof window.__pwned") == "undefined", path
            assert page.locator("main img, main script:not([src]):not([type='application/json'])").count() == 0
            page.close()
        page = seen.open(base + "/id/content", drawn=True)
        for typed in ("<img src=x onerror=\"window.__pwned='search'\">", label[:20]):
            page.fill("#kg-search", typed)
            page.click("#kg-search-form button[type='submit']")
            page.wait_for_timeout(200)
        assert label in page.locator("#kg-panel").inner_text(), "the second search found the payload node"
        assert page.locator("#kg-search").input_value() == label[:20]
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("#kg-panel img, #kg-panel script").count() == 0
        page.close()
        assert seen.dialogs == [] and seen.blocked == []
        assert [e for e in seen.errors if "404" not in e] == []  # the not-found page is itself a 404
