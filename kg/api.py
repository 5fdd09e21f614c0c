"""The Python face of kg: open the graph, ask it questions, name its nodes.

>>> import kg
>>> graph = kg.open()
>>> result = graph.query("enterprise-model", enterprise="快手")
>>> [row[3].value for row in result]
['content']
>>> result.vars[:2]
['enterprise_en', 'enterprise_zh']
>>> graph.query("ASK { id:kuaishou a sce:Enterprise }").boolean
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .catalog import NamedQuery, catalog, run_query
from .describe import describe
from .names import resolve
from .results import Result
from .stores import GraphStore, open_store


class Graph:
    """The knowledge graph as a Python object, over one store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def query(self, name_or_sparql: str, /, *, allow_service: bool = False, **params: str) -> Result:
        """Run a named query (with its parameters as keywords) or your own SPARQL.

        Raises:
            KGError: an unknown query or parameter, an unresolvable name, SERVICE without ``allow_service``.
            InputError: a SPARQL syntax error, with line and column.
        """
        return run_query(self.store, name_or_sparql, params, allow_service=allow_service)

    def resolve(self, word: str) -> str:
        """The IRI of the node ``word`` names (IRI, CURIE, or any label in either language)."""
        return resolve(self.store, word)

    def describe(self, word: str, *, lang: str = "en") -> Result:
        """Every statement about the node ``word`` names, in and out, with labels and graphs."""
        return describe(self.store, self.resolve(word), lang=lang)

    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name."""
        return catalog()

    def __len__(self) -> int:
        return len(self.store)

    def path(self, source: str, target: str, /, *, limit: int = 10, lang: str = "en") -> Result:
        """The shortest paths between two named nodes, at most ``limit``: rows of ``path``, ``length``, ``chain``.

        >>> [row[1].value for row in open().path("Pinduoduo", "Xiaohongshu")]
        ['5']
        """
        from .analytics import path

        return path(self.store, source, target, limit=limit, lang=lang)

    def compare(self, *models: str, lang: str = "en") -> Result:
        """The models (all of them when none is named) side by side: one row per dimension, one column per model."""
        from .analytics import compare

        return compare(self.store, models, lang=lang)

    def similar(self, word: str, /, *, top: int = 10, lang: str = "en") -> Result:
        """The ``top`` nodes most like the one ``word`` names (Jaccard over typed links), with what they share."""
        from .analytics import similar

        return similar(self.store, word, top=top, lang=lang)

    def central(self, *, cls: str | None = None, top: int = 10, lang: str = "en") -> Result:
        """The ``top`` most central nodes (betweenness, then degree), only those of class ``cls`` when given."""
        from .analytics import central

        return central(self.store, cls=cls, top=top, lang=lang)


def open(store: str | None = None, *, data: Sequence[str | Path] = (), **options: Any) -> Graph:
    """Open the graph: the built-in one in memory by default, with your ``data`` files added on top.

    Args:
        store: where the graph lives (see ``kg --store``); None for the built-in graph in memory.
        data: RDF files of your own (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD).

    Raises:
        InputError: a data file cannot be read (file, line and column in the message).
    """
    return Graph(open_store(store, data=data, **options))
