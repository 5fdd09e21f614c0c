"""The colour and shape of every class, the one table every drawing takes: the renderer's pages, the overview, the
node pages, the query page's graph view and the notebook.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocab import PROV, SCE, SCHEMA, SKOS

__all__ = ["CLASS_STYLES", "NO_CLASS", "SHAPES", "SPARE_STYLES", "Glyph", "style_of"]

#: Colour and shape of every class the graph holds, the one table of them that every drawing takes (the renderer's
#: pages, the node pages, the query page's graph view, the served overview, the notebook); a class it does not name
#: gets a spare pair chosen by its IRI alone (:func:`style_of`), so that it too looks the same in every drawing.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    SCE.SocialCommerceModel: ("#e15759", "star"),
    SCE.Form: ("#4e79a7", "diamond"),
    SCE.SocialChain: ("#f28e2b", "triangle"),
    SCE.SocialTie: ("#b07aa1", "triangleDown"),
    SCE.UserSegment: ("#59a14f", "square"),
    SCE.ProductCategory: ("#edc948", "hexagon"),
    SCE.Enterprise: ("#76b7b2", "dot"),
    SCE.Channel: ("#ff9da7", "square"),
    SCE.Role: ("#9c755f", "diamond"),
    SCE.SupplyPattern: ("#86bcb6", "triangle"),
    SCE.BusinessPractice: ("#d4a6c8", "hexagon"),
    SCE.MarketEvent: ("#8cd17d", "diamond"),
    SCE.EventKind: ("#d37295", "dot"),
    SCE.Figure: ("#79706e", "dot"),
    SCE.Measure: ("#499894", "diamond"),
    SCE.Disagreement: ("#ffbe7d", "triangleDown"),
    SCE.Market: ("#fabfd2", "dot"),
    PROV.Entity: ("#499894", "dot"),
    SCHEMA.GovernmentOrganization: ("#a0cbe8", "dot"),
    SCHEMA.City: ("#f1ce63", "dot"),
    SKOS.ConceptScheme: ("#8cd17d", "square"),
    SKOS.Concept: ("#a0cbe8", "diamond"),
}
NO_CLASS = ("#bab0ac", "dot")
#: The pairs left for other classes: none that the table gives a class of its own.
SPARE_STYLES = [
    (colour, shape)
    for shape in ("dot", "diamond", "square", "triangle", "hexagon", "triangleDown")
    for colour in ("#8cd17d", "#499894", "#f1ce63", "#a0cbe8", "#ffbe7d", "#d37295", "#79706e", "#fabfd2")
    if (colour, shape) not in CLASS_STYLES.values() and (colour, shape) != NO_CLASS
]


def style_of(cls: str) -> tuple[str, str]:
    """The colour and shape of class ``cls`` in every drawing: the table's, the no-class pair for "", else a spare
    pair chosen by the FNV-1a hash of the IRI's UTF-16 code units (``yasr-graph.js`` computes the same in the browser).

    >>> style_of(SCE.Form), style_of("")
    (('#4e79a7', 'diamond'), ('#bab0ac', 'dot'))
    >>> style_of("https://example.org/Thing") == style_of("https://example.org/Thing") in SPARE_STYLES
    True
    """
    if cls in CLASS_STYLES:
        return CLASS_STYLES[cls]
    if not cls:
        return NO_CLASS
    code = cls.encode("utf-16-le")
    hashed = 2166136261
    for i in range(0, len(code), 2):
        hashed = ((hashed ^ int.from_bytes(code[i : i + 2], "little")) * 16777619) & 0xFFFFFFFF
    return SPARE_STYLES[hashed % len(SPARE_STYLES)]


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


@dataclass(frozen=True)
class Glyph:
    """How a class is drawn in a legend: its colour, its shape's name and SVG path (in a 12×12 box), its name in the
    reader's language, and how many nodes of it the drawing holds (0: not counted)."""

    cls: str
    colour: str
    shape: str
    path: str
    name: str
    count: int = 0
