"""The overview: the whole graph's first view as a reader wants it — the four models side by side, one row per
dimension (forms, social chain and its tie, roles, target users, core products, channels, supply, origins,
enterprises), each node once per model that has it and marked where models share it. Sources, dated events and
identifiers are folded into counts that open on demand.

Every node is drawn with its class's colour and shape from :data:`kg.render.CLASS_STYLES`, the one table every drawing
uses, and the page has a legend of them. A cell lists at most :data:`CELL` nodes and links to the rest, so that the
overview of a graph of any size is read (and painted) at once.

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

from .render import CLASS_STYLES, NO_CLASS
from .results import str_value
from .search import index
from .stores import GraphStore
from .vocab import SCE

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
#: The shapes a legend and a cell draw, as SVG paths in a 12×12 box (vis-network's shape names).
SHAPES = {
    "dot": "M6 1a5 5 0 1 0 0.01 0z",
    "diamond": "M6 0.5 11.5 6 6 11.5 0.5 6z",
    "square": "M1.5 1.5h9v9h-9z",
    "triangle": "M6 1 11.5 11H0.5z",
    "triangleDown": "M0.5 1h11L6 11z",
    "hexagon": "M3 1h6l3 5-3 5H3L0 6z",
    "star": "M6 0.5l1.6 3.6 3.9.4-2.9 2.6.8 3.9L6 9 2.6 11l.8-3.9L.5 4.5l3.9-.4z",
}

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
class Glyph:
    """How a class is drawn: its colour, its shape's name and SVG path, and its name in the reader's language."""

    cls: str
    colour: str
    shape: str
    path: str
    name: str


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
    """The glyph of ``cls`` (the no-class glyph for one that the table does not name)."""
    colour, shape = CLASS_STYLES.get(cls, NO_CLASS)
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
