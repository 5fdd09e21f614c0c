"""The graph for people: the HTML pages of ``kg serve``, and where each IRI of the graph lives on the server.

Every IRI the project mints starts with ``https://w3id.org/sce/``; the rest is a path of the server: ``id:kuaishou``
is ``/id/kuaishou``, ``sce:SocialCommerceModel`` is ``/ontology#SocialCommerceModel``, the seed's named graph is
``/graph/seed``. A node outside that space that the store describes (a file of yours added with ``--data``) is
``/node?iri=IRI``. Pages link to these paths, so that a reader clicks from node to node; the RDF the server sends
always holds the canonical IRIs.

The functions building pages run in the worker processes (:mod:`kg.serve.jobs` calls them), like every query. Every
page is written by a Jinja template with autoescape on; an IRI becomes a link only as a path of this server or an
http(s) address, never as anything a browser would run.

>>> server_path("https://w3id.org/sce/id/kuaishou"), server_path("https://w3id.org/sce/ontology#targets")
('/id/kuaishou', '/ontology#targets')
>>> href("javascript:alert(1)"), href("https://w3id.org/sce/graph/seed")
('/node?iri=javascript%3Aalert%281%29', '/graph/seed')
>>> split_suffix("/id/kuaishou.ttl"), split_suffix("/id/kuaishou")
(('/id/kuaishou', 'turtle'), ('/id/kuaishou', None))
"""

from __future__ import annotations

import difflib
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from ..catalog import run_query
from ..names import closest, pick
from ..results import WRITERS, str_value
from ..stores import GraphStore
from ..vocab import BASE, GRAPH, ONTOLOGY_IRI, OWL, RDF, RDFS, SCE, SKOS, SOURCE_GRAPHS, curie
from . import panels
from .labels import Labeller, Source, Value, href, server_path, tag_of, web_link

#: A path's ending that asks for one format: ``.html`` the page, the rest an RDF writer's own endings.
SUFFIXES: dict[str, str] = {".html": "html"} | {
    ending: writer.name for writer in WRITERS.values() if "graph" in writer.kinds for ending in writer.endings
}
#: The formats a page offers as links, by ending.
OFFERED = (".ttl", ".jsonld", ".nt", ".rdf")
#: How many nodes a graph's page lists.
LISTED = 2000

#: The words of the pages, in each language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "site": "Social e-commerce knowledge graph", "ontology": "Ontology", "void": "Dataset (VoID)",
        "sparql": "Query (SPARQL)", "docs": "API docs", "name_en": "English name", "name_zh": "Chinese name",
        "also": "Also called",
        "class": "Class", "definition": "Definition", "iri": "IRI", "formats": "As RDF",
        "seed_wording": "The seed's own wording", "seed_label": "its name for it", "seed_quote": "its words",
        "timeline": "Timeline", "drawing": "Neighbourhood", "find": "Find", "find_hint": "Find a node in the drawing",
        "drawing_hint": "Hover over a node for its summary, click it for its links, double-click it to open its page.",
        "out": "Statements about it", "in": "Statements pointing at it", "property": "Property", "value": "Value",
        "subject": "Node", "source": "Source", "seed": "seed document", "curation": "curation notes",
        "ontology_graph": "ontology", "sources_graph": "source records", "graph": "graph", "not_found": "Not found",
        "names_nothing": "names nothing in this graph.", "closest": "The closest names:", "none_close":
        "No name in the graph comes close; the SPARQL endpoint can look for it.", "triples": "triples",
        "derived": "Derived from", "nodes": "Nodes described in it", "more": "and more (the first {n} are listed)",
        "graphs": "Named graphs", "event": "Event", "date": "Date", "kind": "Kind", "founded": " is founded",
        "void_intro": "This dataset described in the VoID vocabulary. Programs get the same statements as RDF (Turtle, "
        "JSON-LD, N-Triples …) from this address by their Accept header.",
        "search_nav": "Search", "browse_nav": "Browse", "overview_nav": "Overview",
    },
    "zh": {
        "site": "社交电商知识图谱", "ontology": "本体", "void": "数据集（VoID）", "sparql": "查询（SPARQL）",
        "docs": "API 文档",
        "name_en": "英文名", "name_zh": "中文名", "also": "又称", "class": "类别", "definition": "定义",
        "iri": "IRI", "formats": "RDF 格式", "seed_wording": "源文档原文", "seed_label": "原文名称",
        "seed_quote": "原文", "timeline": "时间线", "drawing": "邻近节点", "find": "查找",
        "find_hint": "在图中查找节点", "drawing_hint": "悬停查看摘要，单击查看链接，双击打开节点页面。",
        "out": "关于它的陈述", "in": "指向它的陈述", "property": "属性", "value": "值", "subject": "节点",
        "source": "来源", "seed": "源文档", "curation": "整理说明", "ontology_graph": "本体",
        "sources_graph": "来源记录", "graph": "图", "not_found": "未找到", "names_nothing": "在本图中没有对应的节点。",
        "closest": "最接近的名称：",
        "none_close": "图中没有相近的名称；可以用 SPARQL 端点查找。", "triples": "条三元组",
        "derived": "来源", "nodes": "其中描述的节点", "more": "等（仅列出前 {n} 个）", "graphs": "命名图",
        "event": "事件", "date": "日期", "kind": "类型", "founded": "成立",
        "void_intro": "用 VoID 词汇描述的本数据集。程序按 Accept 请求头从同一地址获得同样的陈述"
        "（Turtle、JSON-LD、N-Triples 等 RDF 格式）。",
        "search_nav": "搜索", "browse_nav": "分面浏览", "overview_nav": "全图概览",
    },
}  # fmt: skip


# --- Addresses --------------------------------------------------------------------------------------------------------


def split_suffix(path: str) -> tuple[str, str | None]:
    """``path`` without an ending that asks for a format, and that format (None when it has no such ending)."""
    stem, dot, ending = path.rpartition(".")
    if dot and "/" not in ending and f".{ending.lower()}" in SUFFIXES and stem.rstrip("/") not in ("", "/id", "/graph"):
        return stem, SUFFIXES[f".{ending.lower()}"]
    return path, None


def ending(fmt: str) -> str:
    """The path ending that asks for the format ``fmt`` (``turtle`` → ``.ttl``, ``html`` → ``.html``)."""
    return next(e for e, name in SUFFIXES.items() if name == fmt)


def iri_of_path(path: str) -> str:
    """The canonical IRI that a path of this server stands for (``/id/kuaishou`` → ``https://w3id.org/sce/id/…``)."""
    return BASE + path.lstrip("/")


# --- What a page shows ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One statement in or out of a node, with its source."""

    prop: Value
    value: Value
    source: Source


@dataclass(frozen=True)
class Event:
    """One dated row of a node's timeline."""

    date: str
    kind: str
    what: Value
    source: Source


@dataclass
class NodeView:
    """Everything a node's page shows."""

    iri: str
    label: str
    label_en: str
    label_zh: str
    also: list[Value] = field(default_factory=list)
    classes: list[Value] = field(default_factory=list)
    definition: str = ""
    seed_wording: list[tuple[str, str]] = field(default_factory=list)
    out: list[Statement] = field(default_factory=list)
    into: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    drawing: dict[str, Any] | None = None
    links: dict[str, str] = field(default_factory=dict)
    legend: list[Any] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    charts: list[Any] = field(default_factory=list)
    model: Any = None
    differences: list[Any] = field(default_factory=list)
    cited: list[tuple[Source, int]] = field(default_factory=list)


SOURCES = """
SELECT ?graph ?origin ?title ?url WHERE {
    ?graph prov:wasDerivedFrom ?origin .
    OPTIONAL { ?origin rdfs:label ?title FILTER (LANGMATCHES(LANG(?title), ?language)) }
    OPTIONAL { ?origin schema:url ?url }
}
"""


def sources(store: GraphStore, lang: str) -> dict[str, Source]:
    """The source of each named graph: what it was derived from, its title (in ``lang``, else English) and address."""
    words = WORDS[lang]
    found: dict[str, Source] = {}
    for language in ("en", tag_of(lang)):
        for row in store.select(SOURCES, language=ox.Literal(language)):
            graph, origin = str_value(row["graph"]), str_value(row["origin"])
            title = str_value(row.get("title")) or (found[graph].title if graph in found else curie(origin))
            found[graph] = Source(_kind(graph, words), title, href(origin), web_link(str_value(row.get("url"))))
    return found


def _kind(graph: str, words: Mapping[str, str]) -> str:
    kinds = {GRAPH.seed: "seed", GRAPH.curation: "curation", GRAPH.ontology: "ontology_graph"}
    if graph in kinds:
        return words[kinds[graph]]
    if graph == GRAPH.sources:
        return words["sources_graph"]
    return words["source"] if graph.startswith(SOURCE_GRAPHS) else words["graph"]


def _source(graph: str, known: Mapping[str, Source], words: Mapping[str, str]) -> Source:
    if graph in known:
        return known[graph]
    return Source(_kind(graph, words), curie(graph), href(graph)) if graph else Source(_kind(graph, words), "")


STATEMENTS = """
SELECT ?direction ?property ?value ?graph WHERE {
    { GRAPH ?graph { ?node ?property ?value } BIND ("out" AS ?direction) }
    UNION { GRAPH ?graph { ?value ?property ?node } BIND ("in" AS ?direction) }
}
ORDER BY ?property ?value ?graph
"""


def node_view(store: GraphStore, iri: str, lang: str) -> NodeView:
    """What the page of ``iri`` shows, in ``lang`` (``en`` or ``zh``)."""
    label = Labeller(store, lang)
    words = WORDS[lang]
    known = sources(store, lang)
    node = ox.NamedNode(iri)
    names: list[tuple[str, str]] = []
    definitions: list[tuple[str, str]] = []
    view = NodeView(iri, "", "", "")
    for row in store.query(STATEMENTS, substitutions={"node": node}).records():
        prop, value, graph = str_value(row["property"]), row["value"], str_value(row.get("graph"))
        statement = Statement(label.node(row["property"]), label.node(value), _source(graph, known, words))
        if str_value(row["direction"]) == "in":
            view.into.append(statement)
            continue
        view.out.append(statement)
        if isinstance(value, ox.Literal):
            entry = (value.value, value.language or "")
            if prop == RDFS.label:
                names.append(entry)
            elif prop == SKOS.definition:
                definitions.append(entry)
            elif prop == SKOS.altLabel and statement.value not in view.also:
                view.also.append(statement.value)
            if graph == GRAPH.seed and prop in (SKOS.altLabel, SCE.seedQuote):
                view.seed_wording.append((words["seed_label" if prop == SKOS.altLabel else "seed_quote"], value.value))
        elif prop == RDF.type and str_value(value) != OWL.NamedIndividual and statement.value not in view.classes:
            view.classes.append(statement.value)
    view.label_en, view.label_zh = pick(names, "en"), pick(names, "zh-Hans")
    view.label = (view.label_zh if lang == "zh" else view.label_en) or view.label_en or view.label_zh or curie(iri)
    view.definition = pick(definitions, tag_of(lang)) or pick(definitions, "en")
    view.events = events(store, iri, lang, known)
    view.drawing, view.links, view.legend = drawing(store, iri, lang)
    _panels(store, view, lang, label, known)
    return view


def _panels(store: GraphStore, view: NodeView, lang: str, label: Labeller, known: Mapping[str, Source]) -> None:
    """The panels that apply to the node: its figures and their charts, the values its sources disagree on, a
    model's groups, the sources cited."""

    view.figures = panels.figures(store, view.iri, lang, label, known)
    view.charts = panels.charts(view.figures, lang)
    view.differences = panels.differences(store, view.iri, label, known)
    if any(v.link == href(SCE.SocialCommerceModel) for v in view.classes):
        view.model = panels.model_view(store, view.iri, lang, label)
    sources = [s.source for s in (*view.out, *view.into)] + [e.source for e in view.events]
    view.cited = panels.cited(sources, view.figures)


def events(store: GraphStore, iri: str, lang: str, known: Mapping[str, Source] | None = None) -> list[Event]:
    """The dated events of the ``timeline`` query that are about ``iri``: an enterprise's own, its founding, or every
    one of a model's enterprises; in date order. Each source is named as the page's other panels name it (``known``,
    by graph: its title in the page's language), else by the query's English title."""

    is_model = store.ask("ASK { ?node a ?model }", node=ox.NamedNode(iri), model=ox.NamedNode(SCE.SocialCommerceModel))
    result = run_query(store, "timeline", {"model": iri} if is_model else {})
    words, label = WORDS[lang], Labeller(store, lang)
    by_page = {source.page: source for source in (known or {}).values() if source.page}
    found = []
    for record in result.records():
        item, enterprise = str_value(record["item"]), str_value(record["enterprise"])
        if not is_model and iri not in (item, enterprise):
            continue
        name = str_value(record["item_zh" if lang == "zh" else "item_en"])
        if item == enterprise:  # the row of a founding date: the item is the enterprise itself
            name += words["founded"]
        page = href(str_value(record["source"]))
        title, url = str_value(record["source_title"]), web_link(str_value(record["url"]))
        source = by_page.get(page) or Source(words["source"], title, page, url)
        kind = label(str_value(record["kind"]))
        found.append(Event(str_value(record["date"]), kind, Value(name, href(item)), source))
    return sorted(dict.fromkeys(found), key=lambda e: e.date)


def drawing(store: GraphStore, iri: str, lang: str) -> tuple[dict[str, Any] | None, dict[str, str], list[Any]]:
    """The neighbourhood of ``iri`` as the project's renderer draws it (its nodes, links and details), the path of
    each node's page, and the legend of its classes; None when the drawn graph does not hold the node."""
    from ..network import from_store, neighbourhood  # late: importing kg.network costs ~139 ms
    from ..render import network_data  # late: importing kg.render costs ~336 ms
    from .panels import legend  # late: importing kg.serve.panels costs ~20 ms

    whole = from_store(store)
    if iri not in whole:
        return None, {}, []
    part = neighbourhood(whole, iri)
    links = {key: href(key) for key in part.nodes if not key.startswith("_:")}
    return network_data(part, lang=tag_of(lang)), links, legend(part, lang)


# --- Pages ------------------------------------------------------------------------------------------------------------


def _render(template: str, lang: str, here: str, **values: Any) -> str:
    from ..render import _environment  # late: importing kg.render costs ~336 ms

    words = WORDS[lang]
    switch = [(code, name, _with_lang(here, code)) for code, name in (("en", "English"), ("zh", "中文"))]
    page = _environment().get_template(template)
    return str(page.render(t=words, lang=lang, html_lang=tag_of(lang), switch=switch, here=here, **values))


def _with_lang(here: str, lang: str) -> str:
    """``here`` (a path with its query) asking for ``lang``: the language switch's links keep the rest of the query."""
    path, _, query = here.partition("?")
    kept = [(k, v) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True) if k != "lang"]
    return path + "?" + urllib.parse.urlencode([*kept, ("lang", lang)])


def node_page(store: GraphStore, iri: str, *, lang: str, here: str) -> str:
    """The page of the node ``iri``: names, class, definition, the seed's wording, timeline, drawing, statements."""

    from ..render import script_json  # late: importing kg.render costs ~336 ms

    view = node_view(store, iri, lang)
    path = server_path(iri)
    formats = [(ending, path + ending) for ending in OFFERED] if path and "#" not in path and "?" not in path else []
    from .panels import WORDS as PANEL_WORDS  # late: importing kg.serve.panels costs ~20 ms

    return _render(
        "node.html.j2",
        lang,
        here,
        p=PANEL_WORDS[lang],
        title=view.label,
        view=view,
        curie=curie(iri),
        formats=formats,
        drawing_json=Markup(script_json(view.drawing)) if view.drawing else None,
        links_json=Markup(script_json(view.links)),
    )


GRAPH_NODES = f"""
SELECT DISTINCT ?node WHERE {{ GRAPH ?graph {{ ?node ?p ?o }} FILTER (isIRI(?node)) }} ORDER BY ?node LIMIT {LISTED + 1}
"""


def graph_page(store: GraphStore, graph: str, *, lang: str, here: str) -> str:
    """The page of a named graph: where it comes from, its triples, and the nodes it describes."""
    label = Labeller(store, lang)
    target = {"graph": ox.NamedNode(graph)}
    count = int(str_value(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } }",
                                      substitutions=target).rows[0][0]))  # fmt: skip
    found = [str_value(r[0]) for r in store.query(GRAPH_NODES, substitutions=target).rows]
    nodes = sorted((label.node(ox.NamedNode(i)) for i in found[:LISTED]), key=lambda v: v.text.casefold())
    source = sources(store, lang).get(graph)
    return _render(
        "named_graph.html.j2", lang, here, title=graph.removeprefix(GRAPH), graph=graph, count=count, nodes=nodes,
        source=source, more=len(found) > LISTED, listed=LISTED, rdf=server_path(graph),
    )  # fmt: skip


#: The served ontology page's links to the rest of the site (the page is bilingual, so are they).
ONTOLOGY_NAV = (("/", "site"), ("/query", "sparql"), ("/.well-known/void", "void"), ("/docs", "docs"))


def ontology_html(store: GraphStore, *, lang: str = "en", here: str = "/ontology") -> str:
    """The ontology page (:func:`kg.ontodoc.ontology_page`) in ``lang`` alone, with its links pointing at this
    server's paths, a navigation to the query page, VoID and the API docs, and the language switch (which the file in
    ``exports/``, in both languages, has not)."""
    from ..ontodoc import ontology_page  # late: importing kg.ontodoc costs ~6 ms

    nav = [(path, WORDS[lang][key]) for path, key in ONTOLOGY_NAV]
    switch = [(code, name, _with_lang(here, code)) for code, name in (("en", "English"), ("zh", "中文"))]
    return ontology_page(store, link=href, nav=nav, lang=lang, switch=switch)


def void_html(triples: Sequence[ox.Triple], *, lang: str, here: str) -> str:
    """The VoID description (:func:`kg.serve.jobs.void_dataset`) as a page: one table per thing described (the dataset
    and its parts), a row per statement, IRIs as links; programs get the same statements as RDF by ``Accept``."""
    void = "http://rdfs.org/ns/void#"

    def short(iri: str) -> str:
        return "void:" + iri.removeprefix(void) if iri.startswith(void) else curie(iri)

    def tag(triple: ox.Triple) -> str:
        return (triple.object.language or "").lower() if isinstance(triple.object, ox.Literal) else ""

    # A text in the other language is left out where the page's language has one for the same property.
    in_own = {t.predicate for t in triples if tag(t).startswith(lang)}

    def other_language(triple: ox.Triple) -> bool:
        return bool(tag(triple)) and not tag(triple).startswith(lang) and triple.predicate in in_own

    things: dict[str, list[tuple[str, str, str]]] = {}
    for triple in triples:
        if other_language(triple):
            continue
        subject = triple.subject.value if isinstance(triple.subject, ox.NamedNode) else str(triple.subject)
        value = triple.object
        link = href(value.value) if isinstance(value, ox.NamedNode) else ""
        if isinstance(value, ox.NamedNode):
            shown = short(value.value)
        else:
            shown = value.value if isinstance(value, ox.Literal) else str(value)
        things.setdefault(subject, []).append((short(triple.predicate.value), shown, link))
    described = [(curie(s) if not s.startswith("_:") else s, sorted(rows)) for s, rows in things.items()]
    return _render("void.html.j2", lang, here, title=WORDS[lang]["void"], described=described)


def not_found_page(store: GraphStore, iri: str, *, lang: str, here: str, graphs: bool = False) -> str:
    """The page for an IRI that names nothing, offering the closest names (as ``kg describe`` does) or graphs."""
    word = urllib.parse.unquote(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    label = Labeller(store, lang)
    offers: list[tuple[str, Value]] = []
    if graphs:
        offers = [(curie(g), Value(curie(g), href(g))) for g in close_graphs(store, iri)]
    else:
        for name, nodes in closest(store, word):
            offers += [(name, label.node(ox.NamedNode(n))) for n in nodes]
    return _render("not_found.html.j2", lang, here, title=WORDS[lang]["not_found"], iri=iri, offers=offers)


def close_graphs(store: GraphStore, graph: str) -> list[str]:
    """The named graphs whose IRIs are closest to ``graph``."""

    names = [g for g, _ in store.graphs() if g]
    return difflib.get_close_matches(graph, names, n=5, cutoff=0.6)


def close_line(store: GraphStore, iri: str) -> str:
    """One line naming the IRI that names nothing and the closest names, for a client that asked for RDF."""
    word = urllib.parse.unquote(iri.rstrip("/").rsplit("/", 1)[-1])
    offers = [curie(n) for _, nodes in closest(store, word) for n in nodes]
    hint = f"; closest: {', '.join(dict.fromkeys(offers))}" if offers else ""
    return f"nothing in the graph is named <{iri}>{hint}"


def exists(store: GraphStore, iri: str) -> bool:
    """Whether the store uses ``iri`` at all: as a subject or object, as a property (``rdf:type`` has a page), or as
    the name of one of its graphs (a ``--data`` file's ``file:`` graph has one too)."""
    node = ox.NamedNode(iri)
    used = store.has_node(node) or next(store.match(None, node), None) is not None
    return used or names_graph(store, iri) or iri == ONTOLOGY_IRI


def names_graph(store: GraphStore, iri: str) -> bool:
    """Whether ``iri`` is the name of a graph of the store that holds something."""
    return next(store.match(graph=ox.NamedNode(iri)), None) is not None


def resource_triples(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The statements about ``iri`` and pointing at it, in every graph: what its RDF document holds, in a fixed order
    (its own statements first), so that the same graph always reads the same."""
    query = "CONSTRUCT { ?node ?p ?o . ?s ?q ?node } WHERE { { ?node ?p ?o } UNION { ?s ?q ?node } }"
    triples = store.query(query, substitutions={"node": ox.NamedNode(iri)}).triples
    return sorted(triples, key=lambda t: (t.subject != ox.NamedNode(iri), str(t)))
