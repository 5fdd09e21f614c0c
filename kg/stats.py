"""Figures about a graph: how many triples, which named graphs, how many nodes of each class.

>>> from kg.store import open_store
>>> figures = stats(open_store())
>>> dict((c, n) for c, _, n in figures.classes)["sce:SocialCommerceModel"]
4
"""

from __future__ import annotations

from dataclasses import dataclass

from .store import GraphStore
from .vocab import curie

CLASS_COUNTS = """
SELECT ?class ?lang (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?node) AS ?nodes) WHERE {
    ?node a ?class .
    OPTIONAL { ?class rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), ?lang)) }
} GROUP BY ?class ?lang ORDER BY DESC(?nodes) ?class
"""


@dataclass(frozen=True)
class Stats:
    """Triples in the union of all graphs; each named graph with its size; each class (CURIE, label, node count)."""

    triples: int
    graphs: list[tuple[str, int]]
    classes: list[tuple[str, str, int]]


def stats(store: GraphStore, *, lang: str = "en") -> Stats:
    """Count what ``store`` holds; class labels in ``lang``."""
    import pyoxigraph as ox

    rows = store.select(CLASS_COUNTS, lang=ox.Literal(lang))
    classes = [(curie(r["class"].value), r["label"].value if "label" in r else "", int(r["nodes"].value)) for r in rows]
    return Stats(triples=store.triple_count(), graphs=store.graphs(), classes=classes)
