"""The overview: the whole graph's first view as a reader wants it — the four models side by side, one row per
dimension (forms, social chain and its tie, roles, target users, core products, channels, supply, origins,
enterprises), each node once per model that has it and marked where models share it. Sources, dated events and
identifiers are folded into counts that open on demand.

Every node is drawn with its class's colour and shape from :data:`kg.styles.CLASS_STYLES`, the one table every drawing
uses, and the page has a legend of them. A cell lists at most :data:`CELL` nodes and links to the rest, so that the
overview of a graph of any size is read (and painted) at once.

:func:`drawing` is the same first view for the renderer's page (``graph.html``, ``exports/sce.html``, the notebook):
the models as columns of a vis-network drawing, the rows under them laid out here so that no two labels overlap, and
the rest folded into counts that open on a click.

>>> from kg.stores import open_store
>>> view = overview(open_store(), lang="en")
>>> [m.label for m in view.models]
['group buying', 'distribution', 'content', 'community group buying']
>>> price = next(i for r in view.rows if r.key == "targets" for i in r.cells[0] if i.label == "price-sensitive users")
>>> price.shared
2
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .layout import flow, label_width, pack_lines
from .results import str_value
from .search import index
from .stores import GraphStore
from .styles import SHAPES, Glyph, style_of
from .vocab import PROV, SCE, SCHEMA

if TYPE_CHECKING:
    import networkx as nx

#: The dimensions, in the order the rows show them: the property from a model, and the class its values belong to.
DIMENSIONS: tuple[tuple[str, str], ...] = (
    (SCE.hasForm, SCE.Form),
    (SCE.hasSocialChain, SCE.SocialChain),
    (SCE.involvesRole, SCE.Role),
    (SCE.targets, SCE.UserSegment),
    (SCE.coreProduct, SCE.ProductCategory),
    (SCE.usesChannel, SCE.Channel),
    (SCE.usesSupplyPattern, SCE.SupplyPattern),
    (SCE.originatedFrom, SCE.BusinessPractice),
    (SCE.representedBy, SCE.Enterprise),
)
#: At most this many nodes in one cell; the rest are a link.
CELL = 14

LINKS = """
SELECT ?model ?property ?value WHERE {
    ?model a sce:SocialCommerceModel ; ?property ?value FILTER (isIRI(?value))
}
"""
TIES = "SELECT ?chain ?tie WHERE { ?chain sce:tieType ?tie }"
EVENTS = "SELECT ?node (COUNT(DISTINCT ?event) AS ?n) WHERE { ?event sce:concerns ?node } GROUP BY ?node"
FOLDED = """
SELECT
    (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?same) AS ?identifiers)
WHERE {
    { ?source a prov:Entity } UNION { ?event a sce:MarketEvent } UNION { ?node schema:sameAs ?same }
}
"""


@dataclass(frozen=True)
class Item:
    """One node in a cell: its label, page, glyph, how many models share it, what is folded into it (events)."""

    iri: str
    label: str
    href: str
    glyph: Glyph
    shared: int = 1
    events: int = 0
    tie: str = ""


@dataclass
class Row:
    """One dimension: its key (the property's local name), its name, and one cell of items per model."""

    key: str
    name: str
    cells: list[list[Item]] = field(default_factory=list)
    more: list[int] = field(default_factory=list)


@dataclass
class Overview:
    """The models (as items), the rows, the legend, and the counts folded away."""

    models: list[Item]
    rows: list[Row]
    legend: list[Glyph]
    folded: dict[str, int]


def glyph(cls: str, name: str) -> Glyph:
    """The glyph of ``cls``: its colour and shape as every drawing has them (:func:`kg.styles.style_of`)."""
    colour, shape = style_of(cls)
    return Glyph(cls, colour, shape, SHAPES.get(shape, SHAPES["dot"]), name)


def _order(iri: str) -> tuple[int, str]:
    seed_order = ("group-buying", "distribution", "content", "community-group-buying")
    local = iri.rsplit("/", 1)[-1]
    return (seed_order.index(local) if local in seed_order else len(seed_order), iri)


def overview(store: GraphStore, *, lang: str = "en", href: Callable[[str], str] | None = None) -> Overview:
    """The overview of ``store`` with labels in ``lang`` (``en`` or ``zh-Hans``); ``href`` maps an IRI to the link a
    page gives it (by default the IRI itself)."""
    link: Callable[[str], str] = href or str
    names = index(store)
    glyphs = {cls: glyph(cls, names.label(cls, lang)) for _, cls in DIMENSIONS}
    glyphs[SCE.SocialCommerceModel] = glyph(SCE.SocialCommerceModel, names.label(SCE.SocialCommerceModel, lang))
    links: dict[str, dict[str, list[str]]] = {}
    for row in store.query(LINKS).stream():
        links.setdefault(row[0].value, {}).setdefault(row[1].value, []).append(row[2].value)
    ties = {str_value(r["chain"]): str_value(r["tie"]) for r in store.select(TIES)}
    events = {str_value(r["node"]): int(str_value(r["n"])) for r in store.select(EVENTS)}
    models = sorted(links, key=_order)
    model_glyph = glyphs[SCE.SocialCommerceModel]
    items = [Item(m, names.label(m, lang), link(m), model_glyph) for m in models]
    rows = []
    for prop, cls in DIMENSIONS:
        shared = Counter(v for m in models for v in set(links[m].get(prop, ())))
        if not shared:
            continue
        row = Row(prop.rsplit("#", 1)[-1], names.label(prop, lang))
        for model in models:
            values = sorted(
                set(links[model].get(prop, ())), key=lambda v: (-shared[v], names.label(v, lang).casefold())
            )
            cell = [
                Item(v, names.label(v, lang), link(v), glyphs[cls], shared[v], events.get(v, 0),
                     names.label(ties[v], lang) if v in ties else "")
                for v in values[:CELL]
            ]  # fmt: skip
            row.cells.append(cell)
            row.more.append(max(0, len(values) - CELL))
        rows.append(row)
    legend = [glyphs[SCE.SocialCommerceModel]] + [glyphs[cls] for prop, cls in DIMENSIONS if _has(rows, prop)]
    counts = store.select(FOLDED)[0]
    folded = {key: int(str_value(counts[key])) for key in ("sources", "events", "identifiers")}
    return Overview(items, rows, legend, folded)


def _has(rows: list[Row], prop: str) -> bool:
    return any(r.key == prop.rsplit("#", 1)[-1] for r in rows)


# --- The overview as a drawing (graph.html's first view) ------------------------------------------------------------

#: Most models drawn as columns; the others are folded.
COLUMNS = 6
#: Room between two models' columns, between two lines of a row, and between two rows, in vis-network units.
COLUMN, LINE, ROW_GAP = 320.0, 40.0, 14.0
#: The size of a node of a row (a model's is twice as large).
SIZE = 8
#: The folds that hold a class's nodes, besides identifiers (what ``schema:sameAs`` names) and every other node.
FOLD_CLASSES = (("sources", PROV.Entity), ("events", SCE.MarketEvent))
#: A fold's name in each language, with its count.
FOLD_WORDS = {
    "sources": ("{n} sources", "{n} 个来源"),
    "events": ("{n} market events", "{n} 个市场事件"),
    "identifiers": ("{n} identifiers", "{n} 个外部标识"),
    "models": ("{n} more models", "另有 {n} 个模式"),
    "other": ("{n} other nodes", "另外 {n} 个节点"),
    "more": ("{n} more", "另有 {n} 个"),
}
FOLD_STYLE = {
    "shape": "box",
    "color": {"background": "#f2f4f6", "border": "#8a949c"},
    "margin": 6,
    "font": {"size": 14, "color": "#1f2a33"},
}
HEADING_STYLE = {"shape": "text", "font": {"size": 14, "color": "#5b6670", "strokeWidth": 0}}


def drawing(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The first view of ``graph`` as the renderer draws it: the models as columns, one row per dimension under them
    (each value once, between the models that share it), and folds that hold the rest — sources, events,
    identifiers, a row's values past :data:`CELL` a model, and every other node — as counts that open on demand,
    one at a time.

    Every label is given the room of the wider of its two languages, so that no two overlap in either.

    Returns: ``nodes`` (a node of the graph by its ``id`` and position; a row heading or a fold in full, with
    ``label_en`` and ``label_zh``) and ``folds`` (each fold's nodes with their places when it opens); empty when the
    graph has no model.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("m", **{"class": SCE.SocialCommerceModel, "label_en": "content", "label_zh": "内容型"})
    >>> g.add_node("f", **{"class": SCE.Form, "label_en": "live", "label_zh": "直播", "class_en": "form"})
    >>> _ = g.add_edge("m", "f", key=SCE.hasForm)
    >>> [n["id"] for n in drawing(g)["nodes"]]
    ['m', 'f', 'row:hasForm']
    """
    models = sorted((n for n, d in graph.nodes(data=True) if d.get("class") == SCE.SocialCommerceModel), key=_order)
    if not models:
        return {}
    column = {m: i * COLUMN for i, m in enumerate(models[:COLUMNS])}
    nodes = [{"id": m, "x": x, "y": 0.0, "size": 2 * SIZE, "font": {"size": 16}} for m, x in column.items()]
    folds: dict[str, list[str]] = {}
    y = 74.0
    for prop, _cls in DIMENSIONS:
        row, more = _row(graph, column, prop)
        if not row:
            continue
        key = prop.rsplit("#", 1)[-1]
        wanted = [(v, sum(column[m] for m in ms) / len(ms), _width(graph, v)) for v, ms in row.items()]
        if more:
            folds[f"more:{key}"] = more
            wanted.append((f"more:{key}", max(column.values()) + COLUMN / 2, _fold_width("more", len(more))))
        placed = pack_lines(wanted, slack=COLUMN * 0.55)
        for k, (x, line) in placed.items():
            spot = (x, y + line * LINE)
            nodes.append(_fold("more", len(more), *spot, key=k) if k in folds else _place(k, *spot))
        nodes.append(_heading(graph, key, next(iter(row)), y))
        y += (max(line for _, line in placed.values()) + 1) * LINE + ROW_GAP
    shown = {n["id"] for n in nodes} | {m for ms in folds.values() for m in ms}
    folds.update(_folds(graph, models, shown))
    return _finish(graph, nodes, folds, y + 10)


def _row(graph: nx.MultiDiGraph, column: dict[str, float], prop: str) -> tuple[dict[str, set[str]], list[str]]:
    """The values of ``prop`` the models of ``column`` have, each with its models, at most :data:`CELL` a model
    (those most models share first); and the values left out."""
    owners: dict[str, set[str]] = {}
    for model in column:
        for _, value, key in graph.out_edges(model, keys=True):
            if key == prop:
                owners.setdefault(value, set()).add(model)
    kept: set[str] = set()
    for model in column:
        mine = sorted((v for v, ms in owners.items() if model in ms), key=lambda v: (-len(owners[v]), _name(graph, v)))
        kept.update(mine[:CELL])
    more = sorted(set(owners) - kept, key=lambda v: _name(graph, v))
    return {v: owners[v] for v in sorted(kept, key=lambda v: _name(graph, v))}, more


def _folds(graph: nx.MultiDiGraph, models: list[str], shown: set[str]) -> dict[str, list[str]]:
    """The folds of every node not shown: by class, identifiers, models past :data:`COLUMNS`, the rest."""
    folds: dict[str, list[str]] = {name: [] for name, _ in FOLD_CLASSES}
    folds.update(identifiers=[], models=[m for m in models[COLUMNS:]], other=[])
    by_class = dict((cls, name) for name, cls in FOLD_CLASSES)
    same = {target for _, target, key in graph.edges(keys=True) if key == SCHEMA.sameAs}
    for node, data in graph.nodes(data=True):
        if node in shown or node in folds["models"]:
            continue
        name = by_class.get(data.get("class", "")) or ("identifiers" if node in same else "other")
        folds[name].append(node)
    return {name: sorted(members, key=lambda n: _name(graph, n)) for name, members in folds.items() if members}


def _finish(
    graph: nx.MultiDiGraph, nodes: list[dict[str, Any]], folds: dict[str, list[str]], y: float
) -> dict[str, Any]:
    """The fold nodes in a line under the rows, and the places of each fold's nodes under them (one fold is open at
    a time, so every fold's nodes take the same place)."""
    headings = [n for n in nodes if n.get("kind") == "heading"]
    left = min(n["x"] - _box(graph, n) / 2 for n in nodes if n.get("kind") != "heading")
    for heading in headings:  # right-aligned, left of the rows
        heading["x"] = round(left - 36 - _box(graph, heading) / 2, 1)
    left = min([left] + [n["x"] - _box(graph, n) / 2 for n in headings])
    right = max(n["x"] + _box(graph, n) / 2 for n in nodes)
    counts = [name for name in folds if not name.startswith("more:")]
    line = flow([(name, _fold_width(name, len(folds[name]))) for name in counts], line_width=right - left)
    for name, (x, row) in line.items():
        nodes.append(_fold(name, len(folds[name]), left + x, y + 10 + row * LINE))
    top = y + 10 + (max((r for _, r in line.values()), default=0) + 1) * LINE + 30
    places: dict[str, list[list[Any]]] = {}
    for name, members in folds.items():
        spots = flow([(m, _width(graph, m)) for m in members], line_width=max(right - left, 1200.0))
        places["fold:" + name if not name.startswith("more:") else name] = [
            [m, round(left + x, 1), round(top + row * LINE, 1), SIZE] for m, (x, row) in spots.items()
        ]
    return {"nodes": nodes, "folds": places}


def _fold(name: str, count: int, x: float, y: float, *, key: str = "") -> dict[str, Any]:
    en, zh = FOLD_WORDS[name]
    return {"id": key or f"fold:{name}", "x": round(x, 1), "y": round(y, 1), "kind": "fold", "physics": False,
            "label_en": en.format(n=count) + " ▸", "label_zh": zh.format(n=count) + " ▸", **FOLD_STYLE}  # fmt: skip


def _heading(graph: nx.MultiDiGraph, key: str, value: str, y: float) -> dict[str, Any]:
    """The name of a row (its values' class), placed left of the row later."""
    data = graph.nodes[value]
    names = {"label_en": data.get("class_en") or key, "label_zh": data.get("class_zh") or key}
    return {"id": f"row:{key}", "x": 0.0, "y": y, "kind": "heading", "physics": False, **names, **HEADING_STYLE}


def _place(key: str, x: float, y: float) -> dict[str, Any]:
    return {"id": key, "x": round(x, 1), "y": round(y, 1), "size": SIZE}


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    return str(data.get("label_en") or data.get("curie") or node).casefold()


def _width(graph: nx.MultiDiGraph, node: str) -> float:
    """The room a node's label takes in the wider of its languages."""
    data = graph.nodes[node]
    size = 16.0 if data.get("class") == SCE.SocialCommerceModel else 14.0
    names = [data.get("label_en") or data.get("curie") or node, data.get("label_zh") or data.get("label_en") or ""]
    return max(label_width(str(n), size=size) for n in names)


def _fold_width(name: str, count: int) -> float:
    return max(label_width(w.format(n=count) + " ▸") for w in FOLD_WORDS[name]) + 16


def _box(graph: nx.MultiDiGraph, node: dict[str, Any]) -> float:
    """The room a node of the drawing takes across: a fold's box with its margins, a heading's text, a node's label."""
    if "label_en" in node:
        text = max(label_width(node["label_en"]), label_width(node["label_zh"]))
        return text + (16 if node.get("kind") == "fold" else 0)
    return _width(graph, node["id"])
