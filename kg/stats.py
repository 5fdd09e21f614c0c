"""Figures about a graph: how many triples, which named graphs, how many nodes of each class.

>>> from kg.stores import open_store
>>> figures = stats(open_store())
>>> dict((c, n) for c, _, n in figures.classes)["sce:SocialCommerceModel"]
4
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .lang import CHINESE, ENGLISH, is_chinese
from .results import Result, str_value
from .stores import GraphStore
from .vocab import XSD, curie, expand

CLASS_COUNTS = """
SELECT ?class ?lang (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?node) AS ?nodes) WHERE {
    ?node a ?class .
    OPTIONAL { ?class rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), ?lang)) }
} GROUP BY ?class ?lang ORDER BY DESC(?nodes) ?class
"""


#: What a row of ``kg stats`` counts, in each language (the English words are the machine-readable ones).
FIGURES = {
    ENGLISH: {"triples": "triples", "graph": "graph", "class": "class"},
    CHINESE: {"triples": "三元组总数", "graph": "命名图", "class": "类"},
}
#: The Chinese titles of the columns of ``kg stats`` and ``kg graphs``, by variable.
TITLES = {"figure": "项目", "item": "对象", "label": "名称", "count": "数量", "graph": "命名图", "triples": "三元组数"}
#: The default graph, as a listing of graphs names it.
DEFAULT_GRAPH = {ENGLISH: "(default graph)", CHINESE: "（默认图）"}


@dataclass(frozen=True)
class Stats:
    """Triples in the union of all graphs; each named graph with its size; each class (CURIE, label, node count)."""

    triples: int
    graphs: list[tuple[str, int]]
    classes: list[tuple[str, str, int]]

    def result(self, lang: str = ENGLISH) -> Result:
        """The figures as rows: what is counted (all triples, a named graph, a class), its IRI, label and count; what
        is counted and the column titles in ``lang``.

        >>> figures = Stats(triples=7, graphs=[("https://w3id.org/sce/graph/seed", 7)], classes=[])
        >>> [str_value(row[0]) for row in figures.result("zh-Hans").stream()], figures.result("zh").titles["count"]
        (['三元组总数', '命名图'], '数量')
        """
        words = FIGURES[CHINESE if is_chinese(lang) else ENGLISH]
        rows: list[tuple[ox.Literal, ox.NamedNode | None, ox.Literal | None, ox.Literal]] = [
            (ox.Literal(words["triples"]), None, None, _count(self.triples))
        ]
        rows += [(ox.Literal(words["graph"]), _iri(g), None, _count(n)) for g, n in self.graphs]
        rows += [
            (ox.Literal(words["class"]), _iri(expand(c) or c), ox.Literal(label), _count(n))
            for c, label, n in self.classes
        ]
        return Result.select(
            ["figure", "item", "label", "count"], rows, shown=["figure", "item", "count"], titles=TITLES
        )


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD.integer))


def _iri(iri: str) -> ox.NamedNode | None:
    return ox.NamedNode(iri) if iri else None


def stats(store: GraphStore, *, lang: str = "en") -> Stats:
    """Count what ``store`` holds; class labels in ``lang``."""
    rows = store.select(CLASS_COUNTS, lang=ox.Literal(lang))
    classes = [(curie(str_value(r["class"])), str_value(r.get("label")), int(str_value(r["nodes"]))) for r in rows]
    return Stats(triples=store.triple_count(), graphs=store.graphs(), classes=classes)


def graph_listing(store: GraphStore, lang: str = ENGLISH) -> Result:
    """Each named graph of ``store`` (its IRI, or "(default graph)" in ``lang``) with its triple count."""
    default = DEFAULT_GRAPH[CHINESE if is_chinese(lang) else ENGLISH]
    rows = [(ox.Literal(g or default), _count(n)) for g, n in store.graphs()]
    return Result.select(["graph", "triples"], rows, titles=TITLES)
