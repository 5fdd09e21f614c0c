"""Facets: the graph's nodes by class, model, source (each source is a named graph) and year of their events, with
counts, combinable.

A selection is a mapping of facet to values: a node is in it when, for every facet named, it has one of the values.
The counts of each facet are those of the nodes the selection holds, so that a reader sees what narrowing further
would leave.

>>> from kg.stores import open_store
>>> from kg.vocab import ID, SCE
>>> found = facets(open_store())
>>> held = found.select({"class": [SCE.Enterprise], "model": [ID.content]})
>>> ID.kuaishou in held, ID.pinduoduo in held
(True, False)
>>> dict(found.counts(held)["class"])[SCE.Enterprise] == len(held)
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .search import BARE_CLASSES, Index, index, kept
from .stores import GraphStore

#: The facets, in the order pages show them.
FACETS = ("class", "model", "source", "year")

GRAPHS = "SELECT DISTINCT ?node ?graph WHERE { GRAPH ?graph { ?node ?p ?o } FILTER (isIRI(?node)) }"
YEARS = """
SELECT DISTINCT ?node ?date WHERE {
    { ?node schema:startDate|schema:foundingDate|schema:endDate|schema:dissolutionDate ?date }
    UNION { ?event sce:concerns ?node ; schema:startDate ?date }
    FILTER (isIRI(?node) && isLiteral(?date))
}
"""


@dataclass
class Facets:
    """Each node's values of every facet, over the nodes that search knows (those with a name)."""

    names: Index
    values: dict[str, dict[str, frozenset[str]]]

    @classmethod
    def of(cls, store: GraphStore) -> Facets:
        """The facets of ``store`` (built on the search index, with two more queries)."""
        names = index(store)
        values: dict[str, dict[str, frozenset[str]]] = {facet: {} for facet in FACETS}
        graphs: dict[str, set[str]] = {}
        for row in store.query(GRAPHS).stream():
            graphs.setdefault(row[0].value, set()).add(row[1].value)
        years: dict[str, set[str]] = {}
        for row in store.query(YEARS).stream():
            year = row[1].value[:4]
            if year.isdigit():
                years.setdefault(row[0].value, set()).add(year)
        for iri, entry in names.entries.items():
            values["class"][iri] = frozenset(entry.classes - BARE_CLASSES)
            values["model"][iri] = frozenset(entry.models)
            values["source"][iri] = frozenset(graphs.get(iri, ()))
            values["year"][iri] = frozenset(years.get(iri, ()))
        return cls(names, values)

    def select(self, selection: Mapping[str, Sequence[str]]) -> list[str]:
        """The nodes that, for every facet ``selection`` names, have one of its values; sorted by IRI.

        Raises:
            KeyError: ``selection`` names a facet that is not one of :data:`FACETS`.
        """
        held = []
        for iri in sorted(self.names.entries):
            if all(self.values[facet][iri] & set(wanted) for facet, wanted in selection.items() if wanted):
                held.append(iri)
        return held

    def counts(self, nodes: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """For each facet, its values among ``nodes`` with how many of them have each: most first, then by value."""
        found: dict[str, list[tuple[str, int]]] = {}
        for facet in FACETS:
            counted = Counter(value for iri in nodes for value in self.values[facet][iri])
            order = (lambda item: (item[0],)) if facet == "year" else (lambda item: (-item[1], item[0]))
            found[facet] = sorted(counted.items(), key=order)
        return found


#: Facets kept per store (by identity and size, as the search index is).
_KEPT: dict[int, tuple[int, Facets]] = {}


def facets(store: GraphStore) -> Facets:
    """The facets of ``store``, built on first use and kept while the store keeps its size."""
    return kept(store, _KEPT, Facets.of)
