"""Ways into the graph for people who do not write SPARQL: the home page, search with suggestions, facets and the
served timeline. Each is a page for a browser and JSON for a program, at an address that holds its whole state
(``/search?q=拼多``, ``/browse?class=sce:Enterprise&model=id:content``, ``/timeline?model=id:content``).

Like every page, these are built in the worker processes (:mod:`kg.serve.jobs` hands a ``browse`` job here), by
Jinja templates with autoescape on; the search box's script builds its list with ``textContent`` only.

>>> toggled("/browse", {"class": ["sce:Enterprise"]}, "model", "id:content")
'/browse?class=sce%3AEnterprise&model=id%3Acontent'
>>> toggled("/browse", {"class": ["sce:Enterprise"]}, "class", "sce:Enterprise")
'/browse'
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

import pyoxigraph as ox

from ..catalog import run_query
from ..errors import KGError
from ..facets import FACETS, Facets, facets
from ..names import labeller, pick, resolve
from ..results import str_value
from ..search import MATCH_WORDS, MATCHES, Hit, Index, index, search, suggestions
from ..stores import GraphStore
from ..vocab import GRAPH, SCE, SOURCE_GRAPHS, curie, expand
from .labels import href, tag_of
from .pages import WORDS as PAGE_WORDS
from .pages import _render, sources

#: How many nodes a facet page lists, and how many values of a facet it shows before "more".
LISTED = 200
SHOWN_VALUES = 12

#: The words of these pages, in each language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home", "search": "Search", "search_hint": "Search any name: 拼多多, Kuaishou, Aauto Faster…",
        "browse": "Browse", "timeline": "Timeline", "overview": "Overview", "query": "Query (SPARQL)",
        "about": "A knowledge graph of China's social e-commerce: four models, each described along the same "
        "dimensions (forms, social chain, target users, core products, channels, enterprises), with the enterprises, "
        "their parents and dated market events, every fact traced to its source.",
        "models": "The four models", "figures": "Figures", "ways": "Ways in", "nodes": "nodes",
        "enterprises": "enterprises", "sources": "sources", "events": "dated events", "triples": "triples",
        "by_class": "Nodes by class", "results": "{n} nodes found for “{q}”", "none": "Nothing is named “{q}”.",
        "name": "Name", "matched": "Matched name", "match": "Match", "class": "Class", "model": "Model",
        "facet_class": "Class", "facet_model": "Model", "facet_source": "Source", "facet_year": "Year",
        "held": "{n} nodes", "clear_all": "Clear all", "listed": "The first {n} are listed.", "json": "JSON",
        "way_timeline": "Dated events of every model, a model or an enterprise",
        "way_overview": "The whole graph, drawn: the four models and their dimensions",
        "way_browse": "Nodes by class, model, source and year, with counts",
        "way_ontology": "Classes and properties, in both languages", "way_query": "Ask in SPARQL, or run a named query",
        "way_docs": "Every named query as a REST call (OpenAPI)", "way_void": "The dataset described in VoID",
        "all_models": "All models", "date": "Date", "kind": "Kind", "event": "Event", "enterprise": "Enterprise",
        "source": "Source", "item_count": "{n} dated events, each with the public source of its date",
        "timeline_of": "Timeline: {name}", "timeline_all": "Timeline of social e-commerce", "founded": " is founded",
        "seed": "seed document", "curation": "curation notes", "ontology_graph": "ontology",
        "sources_graph": "source records", "more_values": "{n} more", "search_button": "Search",
        "overview_lede": "The four models side by side, one row per dimension; a node that models share is marked "
        "with how many share it. Click any node for its page.",
        "legend": "Legend", "shared_key": "shared by this many models", "events_n": "events: {n}",
        "folded": "Folded away: {sources} sources, {events} dated events, {identifiers} external identifiers",
        "identifiers": "external identifiers (Wikidata)",
    },
    "zh": {
        "home": "首页", "search": "搜索", "search_hint": "搜索任意名称：拼多多、快手、Aauto Faster……",
        "browse": "分面浏览", "timeline": "时间线", "overview": "全图概览", "query": "查询（SPARQL）",
        "about": "中国社交电商知识图谱：四种模式，每种都按相同的维度描述（具体形式、社交链、目标用户、核心产品、渠道、"
        "代表企业），并收录企业、其母公司和有日期的市场事件，每条事实都可追溯到来源。",
        "models": "四种模式", "figures": "数据概况", "ways": "入口", "nodes": "个节点",
        "enterprises": "家企业", "sources": "个来源", "events": "个有日期的事件", "triples": "条三元组",
        "by_class": "各类别的节点数", "results": "“{q}”找到 {n} 个节点", "none": "没有名为“{q}”的节点。",
        "name": "名称", "matched": "匹配的名称", "match": "匹配方式", "class": "类别", "model": "模式",
        "facet_class": "类别", "facet_model": "模式", "facet_source": "来源", "facet_year": "年份",
        "held": "{n} 个节点", "clear_all": "全部清除", "listed": "仅列出前 {n} 个。", "json": "JSON",
        "way_timeline": "所有模式、某一模式或某一企业的事件时间线",
        "way_overview": "整张图：四种模式及其各个维度",
        "way_browse": "按类别、模式、来源和年份浏览节点，附计数",
        "way_ontology": "类与属性，中英双语", "way_query": "用 SPARQL 提问，或运行预设查询",
        "way_docs": "每个预设查询都是一个 REST 接口（OpenAPI）", "way_void": "用 VoID 描述的数据集",
        "all_models": "所有模式", "date": "日期", "kind": "类型", "event": "事件", "enterprise": "企业",
        "source": "来源", "item_count": "{n} 个有日期的事件，每个都附有其日期的公开来源",
        "timeline_of": "时间线：{name}", "timeline_all": "社交电商时间线", "founded": "成立",
        "seed": "源文档", "curation": "整理说明", "ontology_graph": "本体",
        "sources_graph": "来源记录", "more_values": "另有 {n} 项", "search_button": "搜索",
        "overview_lede": "四种模式并列，每行一个维度；多个模式共有的节点标出共有的模式数。点击任一节点打开其页面。",
        "legend": "图例", "shared_key": "共有此节点的模式数", "events_n": "{n} 个事件",
        "folded": "已折叠：{sources} 个来源、{events} 个有日期的事件、{identifiers} 个外部标识符",
        "identifiers": "个外部标识符（Wikidata）",
    },
}  # fmt: skip

#: The ways in that the home page offers: path, word, description.
WAYS = (
    ("/browse", "browse", "way_browse"),
    ("/timeline", "timeline", "way_timeline"),
    ("/overview", "overview", "way_overview"),
    ("/ontology", "ontology", "way_ontology"),
    ("/query", "query", "way_query"),
    ("/docs", "docs", "way_docs"),
    ("/.well-known/void", "void", "way_void"),
)

COUNT_OF = "SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a ?class }"
DEFINITIONS = "SELECT ?model ?text WHERE { ?model a sce:SocialCommerceModel ; skos:definition ?text }"


def answer(store: GraphStore, page: str, fmt: str, params: Sequence[tuple[str, str]]) -> tuple[str, bytes]:
    """A ``browse`` job's answer, its media type and bytes: ``page`` names the page (home, search, suggest, browse,
    timeline), ``fmt`` is ``html`` or ``json``, ``params`` the request's query with the page's ``lang`` and ``here``.

    Raises:
        KGError: a bad parameter, or a name that names nothing (the job makes it a 400 or a 404).
    """
    options = dict(params)
    lang, here = options.pop("lang", "en"), options.pop("here", "/")
    asked = [(k, v) for k, v in params if k not in ("lang", "here")]
    data = BUILDERS[page](store, asked, lang)
    if fmt == "json":
        return "application/json", json.dumps(data.pop("json"), ensure_ascii=False).encode("utf-8")
    template = data.pop("template")
    data.pop("json", None)
    text = _render(template, lang, here, w=WORDS[lang], ways=WAYS, **data)
    return "text/html", text.encode("utf-8")


def _one(asked: Sequence[tuple[str, str]], name: str) -> str:
    """The one value of the parameter ``name`` (empty when absent).

    Raises:
        KGError: it is given more than once.
    """
    values = [v for k, v in asked if k == name]
    if len(values) > 1:
        raise KGError(f"give {name} once")
    return values[0] if values else ""


# --- Home ------------------------------------------------------------------------------------------------------------


def home(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The home page: what the graph is, the four models, figures, a search box and the ways in."""
    tag = tag_of(lang)
    found = facets(store)
    everything = found.select({})
    counts = dict(found.counts(everything)["class"])
    definitions: dict[str, list[tuple[str, str]]] = {}
    for row in store.select(DEFINITIONS):
        text = row["text"]
        if isinstance(text, ox.Literal):
            definitions.setdefault(str_value(row["model"]), []).append((text.value, text.language or ""))
    models = []
    for iri in sorted(definitions, key=_model_order):
        entry = found.names.entries[iri]
        enterprises = found.select({"class": [SCE.Enterprise], "model": [iri]})
        models.append(
            {
                "iri": iri,
                "href": href(iri),
                "zh": entry.label("zh-Hans"),
                "en": entry.label("en"),
                "definition": pick(definitions[iri], tag) or pick(definitions[iri], "en"),
                "enterprises": len(enterprises),
                "browse": toggled("/browse", {}, "model", curie(iri)),
                "timeline": "/timeline?" + urllib.parse.urlencode({"model": curie(iri)}),
            }
        )
    classes = [
        {"iri": c, "label": found.names.label(c, tag), "count": n, "browse": toggled("/browse", {}, "class", curie(c))}
        for c, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if c.startswith(str(SCE))
    ]
    graphs = store.graphs()
    figures = {
        "nodes": len(everything),
        "triples": len(store),
        "sources": sum(1 for g, _ in graphs if g.startswith(SOURCE_GRAPHS)),
        "events": counts.get(SCE.MarketEvent, 0),
        "enterprises": counts.get(SCE.Enterprise, 0),
    }
    title = PAGE_WORDS[lang]["site"]
    return {
        "template": "home.html.j2",
        "title": title,
        "q": "",
        "models": models,
        "classes": classes,
        "figures": figures,
        "json": {"title": title, "models": models, "figures": figures, "classes": classes},
    }


def _model_order(iri: str) -> int:
    """The models in the seed's order: group buying, distribution, content, community group buying."""
    order = ("group-buying", "distribution", "content", "community-group-buying")
    local = iri.rsplit("/", 1)[-1]
    return order.index(local) if local in order else len(order)


# --- Search ----------------------------------------------------------------------------------------------------------


def search_page(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The hits of ``?q=``, best first, each with its class and models; with no ``q``, the empty search form."""
    text = _one(asked, "q")
    tag = tag_of(lang)
    names = index(store)
    hits = [_hit(h, names, lang) for h in search(store, text, limit=_limit(asked))] if text.strip() else []
    title = WORDS[lang]["search"] + (f": {text}" if text.strip() else "")
    return {
        "template": "search.html.j2",
        "title": title,
        "q": text,
        "hits": hits,
        "tag": tag,
        "json": {"q": text, "hits": hits},
    }


def _limit(asked: Sequence[tuple[str, str]]) -> int:
    given = _one(asked, "limit") or "50"
    if not given.isdigit() or not 1 <= int(given) <= 500:
        raise KGError(f"limit {given!r} is not a number from 1 to 500")
    return int(given)


def _hit(hit: Hit, names: Index, lang: str) -> dict[str, Any]:
    tag = tag_of(lang)
    words = dict(zip(MATCHES, MATCH_WORDS[tag], strict=True))
    return {
        "iri": hit.iri,
        "curie": hit.curie,
        "href": href(hit.iri),
        "label": hit.label(tag),
        "label_en": hit.label_en,
        "label_zh": hit.label_zh,
        "matched": hit.matched,
        "match": hit.match,
        "match_label": words[hit.match],
        "class": hit.cls,
        "class_label": names.label(hit.cls, tag) if hit.cls else "",
        "models": [{"iri": m, "label": names.label(m, tag), "href": href(m)} for m in hit.models],
    }


def suggest(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """What the search box offers for ``?q=``: at most ten names, each with its page."""
    text = _one(asked, "q")
    offered = suggestions(store, text, lang=tag_of(lang), limit=10) if text.strip() else []
    for item in offered:
        item["href"] = href(item["iri"])
    return {"json": offered}


# --- Facets ----------------------------------------------------------------------------------------------------------


def selection(asked: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """The facet values a request selects, as IRIs (a CURIE is expanded; a year stays a year).

    Raises:
        KGError: a parameter that is no facet, or a value that is no IRI, CURIE or year.

    >>> selection([("class", "sce:Enterprise"), ("year", "2015")])
    {'class': ['https://w3id.org/sce/ontology#Enterprise'], 'year': ['2015']}
    """
    chosen: dict[str, list[str]] = {}
    for key, value in asked:
        if key in ("format", "lang"):
            continue
        if key not in FACETS:
            raise KGError(f"{key!r} is no facet; the facets are {', '.join(FACETS)}")
        if key == "year":
            if not (len(value) == 4 and value.isdigit()):
                raise KGError(f"year {value!r} is not a year of four digits")
            chosen.setdefault(key, []).append(value)
            continue
        iri = expand(value) or value
        try:
            chosen.setdefault(key, []).append(ox.NamedNode(iri).value)
        except ValueError:
            raise KGError(f"{key} {value!r} is not an IRI or a CURIE") from None
    return chosen


def toggled(path: str, chosen: Mapping[str, Sequence[str]], facet: str, value: str) -> str:
    """The address of the selection ``chosen`` with ``value`` of ``facet`` added, or taken away when it is there."""
    pairs = [(f, curie(v)) for f in FACETS for v in chosen.get(f, ())]
    pair = (facet, curie(value))
    pairs = [p for p in pairs if p != pair] if pair in pairs else [*pairs, pair]
    return path + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def browse(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The nodes the facets select, the counts of every facet among them, and the address of each next state."""
    tag = tag_of(lang)
    found = facets(store)
    chosen = selection(asked)
    held = found.select(chosen)
    counts = found.counts(held)
    graph_names = _graph_names(store, lang)
    groups: list[dict[str, Any]] = []
    picked: list[dict[str, str]] = []
    for facet in FACETS:
        values: list[dict[str, Any]] = []
        for value, n in counts[facet]:
            label = value if facet == "year" else graph_names.get(value) or found.names.label(value, tag)
            values.append(
                {
                    "value": value if facet == "year" else curie(value),
                    "label": label,
                    "count": n,
                    "selected": value in chosen.get(facet, ()),
                    "href": toggled("/browse", chosen, facet, value),
                }
            )
        values.sort(key=lambda v: not v["selected"])  # the chosen values stay in sight
        groups.append({"facet": facet, "values": values})
        picked += [{"facet": facet, "label": v["label"], "href": v["href"]} for v in values if v["selected"]]
    nodes = [_listed(found, iri, tag) for iri in held[:LISTED]]
    nodes.sort(key=lambda n: n["label"].casefold())
    title = WORDS[lang]["browse"]
    return {
        "template": "browse.html.j2",
        "title": title,
        "groups": groups,
        "nodes": nodes,
        "count": len(held),
        "picked": picked,
        "listed": LISTED,
        "json": {"selected": chosen, "count": len(held), "facets": groups, "nodes": nodes},
    }


def _listed(found: Facets, iri: str, tag: str) -> dict[str, str]:
    entry = found.names.entries[iri]
    cls = entry.cls
    return {
        "iri": iri,
        "href": href(iri),
        "label": entry.label(tag),
        "class": cls,
        "class_label": found.names.label(cls, tag) if cls else "",
    }


def _graph_names(store: GraphStore, lang: str) -> dict[str, str]:
    """A name for each named graph: the title of the source it was derived from, else what kind of graph it is."""
    words = WORDS[lang]
    names = {g: s.title for g, s in sources(store, lang).items() if s.title}
    kinds = {GRAPH.seed: "seed", GRAPH.curation: "curation", GRAPH.ontology: "ontology_graph"}
    names.update({g: words[k] for g, k in kinds.items()})
    names[GRAPH.sources] = words["sources_graph"]
    return names


# --- Timeline --------------------------------------------------------------------------------------------------------


def timeline(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The dated events of every model, of ``?model=`` or of ``?enterprise=`` (each named by any of its names), in
    date order, each with the public source of its date."""

    tag = tag_of(lang)
    words = WORDS[lang]
    model, enterprise = _one(asked, "model"), _one(asked, "enterprise")
    model_iri = resolve(store, model) if model else ""
    enterprise_iri = resolve(store, enterprise) if enterprise else ""
    result = run_query(store, "timeline", {"model": model_iri} if model_iri else {})
    label = labeller(store, tag)
    items = []
    for record in result.records():
        item, owner = str_value(record["item"]), str_value(record["enterprise"])
        if enterprise_iri and enterprise_iri not in (item, owner):
            continue
        name = str_value(record["item_zh" if lang == "zh" else "item_en"])
        kind, source = str_value(record["kind"]), str_value(record["source"])
        items.append(
            {
                "date": str_value(record["date"]),
                "kind": kind.rsplit("/", 1)[-1],
                "kind_label": label([kind]).get(kind, curie(kind)),
                "label": name + words["founded"] if item == owner else name,
                "href": href(item),
                "enterprise": label([owner]).get(owner, curie(owner)),
                "enterprise_href": href(owner),
                "source": label([source]).get(source) or str_value(record["source_title"]),
                "url": _web(str_value(record["url"])),
            }
        )
    items = list({json.dumps(i, sort_keys=True): i for i in items}.values())
    focus = enterprise_iri or model_iri
    names = index(store)
    heading = words["timeline_of"].format(name=names.label(focus, tag)) if focus else words["timeline_all"]
    models = [
        {"label": names.label(m, tag), "href": "/timeline?" + urllib.parse.urlencode({"model": curie(m)}),
         "current": m == model_iri and not enterprise_iri}
        for m in sorted((m for m, e in names.entries.items() if SCE.SocialCommerceModel in e.classes),
                        key=_model_order)
    ]  # fmt: skip
    years: dict[str, list[dict[str, str]]] = {}
    for entry in items:
        years.setdefault(entry["date"][:4], []).append(entry)
    kinds = sorted({(i["kind"], i["kind_label"]) for i in items})
    return {
        "template": "timeline_page.html.j2",
        "title": heading,
        "years": years,
        "kinds": kinds,
        "count": len(items),
        "models": models,
        "all_current": not focus,
        "json": {"title": heading, "model": model_iri, "enterprise": enterprise_iri, "items": items},
    }


def _web(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def overview_page(store: GraphStore, asked: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The whole graph's first view (:mod:`kg.overview`): the models side by side, one row per dimension."""

    from ..overview import overview  # late: importing kg.overview costs ~420 ms

    view = overview(store, lang=tag_of(lang), href=href)
    title = WORDS[lang]["overview"]
    return {"template": "overview.html.j2", "title": title, "view": view, "json": asdict(view)}


BUILDERS = {
    "overview": overview_page,
    "home": home,
    "search": search_page,
    "suggest": suggest,
    "browse": browse,
    "timeline": timeline,
}
