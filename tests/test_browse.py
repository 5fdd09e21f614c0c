"""The ways in for people on ``kg serve``: the home page, search with suggestions, facets and the timeline — each a page
for a browser (opened in Debian's Chromium, offline but for the server, under its Content-Security-Policy) and JSON
for a program, at an address that holds its state. The server also holds a file of payload labels: none of them runs.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from kg.timeline import KIND_COLOURS
from kg.vocab import ID, SCE

from .conftest import DATA
from .servers import start_kg_serve
from .test_browser import browser, offline_context  # noqa: F401

pytestmark = [pytest.mark.server]

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """kg serve over the built-in graph and a file of payload labels; yields its base URL."""
    xss = str(DATA / "render_xss.ttl")
    server = start_kg_serve(tmp_path_factory.mktemp("browse"), "--workers", "2", global_args=("--data", xss))
    try:
        yield server.url.rsplit("/", 1)[0]
    finally:
        server.stop()


def call(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_json(url: str) -> Any:
    status, headers, body = call(url, "application/json")
    assert status == 200 and "json" in headers["content-type"], (status, body[:200])
    return json.loads(body)


def count(served: str, sparql: str) -> int:
    query = urllib.parse.urlencode({"query": sparql})
    rows = get_json(f"{served}/sparql?{query}")["results"]["bindings"]
    return int(rows[0]["n"]["value"])


class Text(HTMLParser):
    """The text a reader sees on a page (scripts and styles left out), and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style")
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def read(body: bytes) -> Text:
    parsed = Text()
    parsed.feed(body.decode("utf-8"))
    return parsed


# --- The home page ----------------------------------------------------------------------------------------------------


def test_a_browser_at_the_root_gets_the_home_page_and_a_program_what_it_got_before(served: str) -> None:
    status, headers, body = call(served + "/?lang=en", BROWSER)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"]
    page = read(body)
    for path in ("/search", "/browse", "/timeline", "/overview", "/ontology", "/query", "/docs", "/.well-known/void"):
        assert path in page.links, path
    assert get_json(served + "/") == {
        "sparql": "/sparql", "store": "/store", "api": "/api/{name}", "openapi": "/openapi.json", "docs": "/docs",
        "query": "/query",
    }  # fmt: skip


def test_the_home_page_names_the_four_models_in_both_languages_and_counts_right(served: str) -> None:
    home = get_json(served + "/?format=json&lang=zh")
    names = [(m["zh"], m["en"]) for m in home["models"]]
    assert names == [("拼购型", "group buying"), ("分销型", "distribution"), ("内容型", "content"),
                     ("社区团购型", "community group buying")]  # fmt: skip
    events = count(served, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sce:MarketEvent }")
    enterprises = count(served, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sce:Enterprise }")
    sources = count(served, SOURCES)
    assert (home["figures"]["events"], home["figures"]["enterprises"], home["figures"]["sources"]) == (
        events, enterprises, sources,
    )  # fmt: skip
    assert enterprises > 40 and events > 20 and sources > 40
    content = next(m for m in home["models"] if m["iri"] == ID.content)
    assert content["enterprises"] == count(served, CONTENT_ENTERPRISES)


SOURCES = """
SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {
    GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), "https://w3id.org/sce/graph/source/")
}
"""
CONTENT_ENTERPRISES = """
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sce:Enterprise . { id:content ?p ?e } UNION { ?e ?p id:content } }
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_home_page_is_in_one_language_at_a_time(served: str, lang: str) -> None:
    """Every word of the Chinese page is Chinese but the models' English names (which the page shows beside their
    Chinese ones), numbers, and names such as SPARQL; the English page holds no Chinese but the models' names and
    the search box's example."""
    _, _, body = call(f"{served}/?lang={lang}", BROWSER)
    text = read(body).parts
    english_names = {"group buying", "distribution", "content", "community group buying"}
    if lang == "zh":
        latin = [p for p in text if not CJK.search(p) and re.search(r"[A-Za-z]{4,}", p)]
        assert set(latin) <= english_names | {"English", "API 文档", "SPARQL"}, latin
    else:
        chinese = [p for p in text if CJK.search(p)]
        assert set(chinese) <= {"拼购型", "分销型", "内容型", "社区团购型", "中文"}, chinese


# --- Search -----------------------------------------------------------------------------------------------------------


def test_search_answers_a_program_with_ranked_hits_and_a_browser_with_a_page(served: str) -> None:
    query = urllib.parse.quote("拼多")
    hits = get_json(f"{served}/search?q={query}")["hits"]
    assert (hits[0]["iri"], hits[0]["match"], hits[0]["class"]) == (ID.pinduoduo, "prefix", SCE.Enterprise)
    assert [m["iri"] for m in hits[0]["models"]] == [ID.term("group-buying")]
    status, headers, body = call(f"{served}/search?q={query}&lang=zh", BROWSER)
    assert status == 200 and "default-src 'none'" in headers["content-security-policy"]
    page = read(body)
    assert "/id/pinduoduo" in page.links and "开头一致" in page.parts and "企业" in page.parts


def test_search_shows_a_payload_query_as_text(served: str) -> None:
    payload = "<script>window.__pwned=1</script>"
    _, _, body = call(f"{served}/search?q={urllib.parse.quote(payload)}", BROWSER)
    assert payload.encode() not in body and b"&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body


@pytest.mark.parametrize(
    ("path", "status"),
    [("/search?q=" + "x" * 300, 400), ("/search?q=a&q=b", 400), ("/search?q=a&limit=0", 400),
     ("/browse?colour=red", 400), ("/browse?year=20x5", 400), ("/timeline?model=nothing-at-all", 404),
     ("/search?q=a&format=xml", 400)],
)  # fmt: skip
def test_bad_parameters_get_one_line_and_a_4xx(served: str, path: str, status: int) -> None:
    got, headers, body = call(served + path, BROWSER)
    assert got == status and headers["content-type"].startswith("text/plain")
    assert body.decode().count("\n") == 1 and "Traceback" not in body.decode()


def test_suggestions_complete_a_prefix_in_the_readers_language(served: str) -> None:
    query = urllib.parse.quote("拼多")
    chinese = get_json(f"{served}/suggest?q={query}&lang=zh")
    english = get_json(f"{served}/suggest?q={query}&lang=en")
    assert (chinese[0]["label"], chinese[0]["href"], chinese[0]["class"]) == ("拼多多", "/id/pinduoduo", "企业")
    assert english[0]["label"] == "Pinduoduo" and len(chinese) <= 10
    assert get_json(f"{served}/suggest?q=") == []


# --- Facets -----------------------------------------------------------------------------------------------------------


def test_facets_combine_and_each_value_leads_to_a_state_holding_its_count(served: str) -> None:
    both = get_json(f"{served}/browse?class=sce:Enterprise&model=id:content")
    assert both["count"] == count(served, CONTENT_ENTERPRISES)
    assert {n["iri"] for n in both["nodes"]} >= {ID.kuaishou, ID.douyin}
    assert ID.pinduoduo not in {n["iri"] for n in both["nodes"]}
    facets = {g["facet"]: g["values"] for g in both["facets"]}
    assert list(facets) == ["class", "model", "source", "year"]
    for value in facets["year"][:3] + facets["source"][:2]:
        narrowed = get_json(served + value["href"])
        assert narrowed["count"] == value["count"], value
    model = next(v for v in facets["model"] if v["value"] == "id:content")
    assert model["selected"] and get_json(served + model["href"])["selected"] == {"class": [SCE.Enterprise]}


def test_the_facet_page_in_chinese_names_sources_and_classes_in_chinese(served: str) -> None:
    _, headers, body = call(f"{served}/browse?class=sce:Enterprise&lang=zh", BROWSER)
    page = read(body)
    assert "类别" in page.parts and "模式" in page.parts and "来源" in page.parts and "年份" in page.parts
    assert "企业" in page.parts and "源文档" in page.parts and "拼多多" in page.parts
    assert "default-src 'none'" in headers["content-security-policy"]


# --- Timeline ---------------------------------------------------------------------------------------------------------


def test_the_timeline_of_one_enterprise_holds_only_its_events_in_date_order(served: str) -> None:
    items = get_json(f"{served}/timeline?enterprise={urllib.parse.quote('快手')}")["items"]
    assert items and all("kuaishou" in i["enterprise_href"] for i in items)
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    assert any(i["label"] == "Kuaishou is founded" for i in items)


def test_the_timeline_of_a_model_and_of_all_models(served: str) -> None:
    everything = get_json(f"{served}/timeline")["items"]
    content = get_json(f"{served}/timeline?model=id:content")["items"]
    assert 0 < len(content) < len(everything)
    keys = {(i["date"], i["href"], i["source"]) for i in everything}
    assert {(i["date"], i["href"], i["source"]) for i in content} <= keys


def test_the_chinese_timeline_names_kinds_and_events_in_chinese(served: str) -> None:
    _, _, body = call(f"{served}/timeline?model=id:content&lang=zh", BROWSER)
    page = read(body)
    assert "时间线：内容型" in page.parts
    assert "快手成立" in page.parts
    kinds = re.findall(r'<span class="kg-kind kind-[a-z-]+">([^<]+)</span>', body.decode())
    assert kinds and all(CJK.search(k) for k in kinds), kinds


def test_every_kind_of_event_has_its_timeline_colour_in_the_stylesheet(served: str) -> None:
    _, _, css = call(f"{served}/static/browse.css")
    for kind, colour in KIND_COLOURS.items():
        assert f".kind-{kind} {{ background: {colour}; }}" in css.decode(), kind


# --- In a browser -----------------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "first", "offered"), [("en", "Pinduoduo", "Pinduoduo (拼多多)"), ("zh", "拼多多", "拼多多")]
)
def test_the_search_box_suggests_as_you_type_and_opens_the_node(
    browser: Any,  # noqa: F811
    served: str,
    lang: str,
    first: str,
    offered: str,
) -> None:
    context, blocked = offline_context(browser, server=served, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" and "favicon" not in msg.text else None
    )
    page.goto(f"{served}/?lang={lang}")
    page.fill("#kg-q", "拼多")
    page.wait_for_selector("#kg-suggest li", timeout=10_000)
    assert page.locator("#kg-suggest li .kg-s-name").first.inner_text() == offered
    page.press("#kg-q", "ArrowDown")
    page.press("#kg-q", "Enter")
    page.wait_for_url(f"{served}/id/pinduoduo")
    assert page.locator("#kg-name").inner_text() == first
    context.close()
    assert blocked == [] and [e for e in errors if "404" not in e] == []


@pytest.mark.browser
def test_payload_labels_in_suggestions_and_pages_are_only_text(browser: Any, served: str) -> None:  # noqa: F811
    context, blocked = offline_context(browser, server=served, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{served}/?lang=en")
    page.fill("#kg-q", "<img")
    page.wait_for_selector("#kg-suggest li", timeout=10_000)
    shown = page.locator("#kg-suggest").inner_text()
    assert "<img src=x onerror=" in shown
    for path in ("/search?q=%3Cimg", "/browse?class=sce:Enterprise", "/search?q=javascript"):
        page.goto(served + path)
        page.locator("a").first.hover()
    assert page.evaluate("window.__pwned") is None
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("/", "http://", "https://")) and not h.startswith("//") for h in hrefs), hrefs
    context.close()
    assert blocked == []


# --- The overview -----------------------------------------------------------------------------------------------------


def test_the_overview_puts_each_dimension_of_each_model_in_one_row(served: str) -> None:
    from kg.styles import CLASS_STYLES

    view = get_json(f"{served}/overview?lang=en")
    seed_order = ("group-buying", "distribution", "content", "community-group-buying")
    assert [m["iri"] for m in view["models"]] == [ID.term(m) for m in seed_order]
    rows = {r["key"]: r for r in view["rows"]}
    assert list(rows)[:2] == ["hasForm", "hasSocialChain"] and "representedBy" in rows
    targets = [[i["label"] for i in cell] for cell in rows["targets"]["cells"]]
    assert "price-sensitive users" in targets[0] and "price-sensitive users" in targets[3]
    price = next(i for i in rows["targets"]["cells"][0] if i["label"] == "price-sensitive users")
    assert price["shared"] == 2
    for glyph in view["legend"]:  # one colour and one shape per class, the renderer's
        assert (glyph["colour"], glyph["shape"]) == CLASS_STYLES[glyph["cls"]], glyph
    sources = count(served, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a prov:Entity }")
    assert view["folded"]["sources"] == sources and view["folded"]["events"] > 20


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_two_labels_of_the_overviews_first_view_overlap(browser: Any, served: str, lang: str) -> None:  # noqa: F811
    """At 1366×900, the bounding boxes of the labels in the first view (the models, the nodes, the legend) are
    measured in Chromium: no two intersect, and the page has a legend with the renderer's colours."""
    context, blocked = offline_context(browser, server=served, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{served}/overview?lang={lang}")
    boxes = page.eval_on_selector_all(
        "#kg-overview a.kg-node, #kg-overview-legend li, #kg-overview th",
        """els => els.map(e => { const r = e.getBoundingClientRect();
              return [r.left, r.top, r.right, r.bottom, e.textContent.trim()]; })
             .filter(b => b[1] < 900 && b[3] > 0 && b[2] > b[0])""",
    )
    labels = [b for b in boxes if not any(b is not other and _inside(b, other) for other in boxes)]
    assert len(labels) > 40
    overlaps = [
        (a[4], b[4]) for i, a in enumerate(labels) for b in labels[i + 1 :]
        if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
    ]  # fmt: skip
    assert overlaps == []
    legend = page.eval_on_selector_all("#kg-overview-legend li[data-colour]", "els => els.length")
    assert legend >= 8
    assert page.locator("#kg-folded").get_attribute("open") is None  # folded until asked
    page.click("#kg-folded summary")
    assert page.locator("#kg-folded li").first.is_visible()
    context.close()
    assert blocked == []


def _inside(box: list[Any], other: list[Any]) -> bool:
    """Whether ``other`` holds ``box`` (a header cell holds its link): only the innermost labels are compared."""
    return other[0] <= box[0] and other[1] <= box[1] and other[2] >= box[2] and other[3] >= box[3] and box != other
