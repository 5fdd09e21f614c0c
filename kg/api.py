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

In a notebook a Result shows itself as a table, and ``draw()`` shows it as an interactive graph:

>>> network = kg.open(lang="zh-Hans").query("enterprise-model", enterprise="快手").to_networkx()
>>> network.nodes["https://w3id.org/sce/id/kuaishou"]["label"], network.nodes["https://w3id.org/sce/id/content"]["label"]
('快手', '内容型')
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import NamedQuery, catalog, run_query
from .describe import describe
from .names import resolve
from .results import Result
from .stores import GraphStore, open_store

if TYPE_CHECKING:
    import networkx as nx

    from .notebook import Drawing


class Graph:
    """The knowledge graph as a Python object, over one store.

    Attributes:
        store: the store it asks.
        lang: the language labels are shown in by default: "en" or "zh-Hans".
    """

    def __init__(self, store: GraphStore, *, lang: str = "en") -> None:
        from .notebook import check_lang

        self.store = store
        self.lang = check_lang(lang)

    def _ours(self, result: Result, lang: str | None = None) -> Result:
        """``result``, told where it came from and which language to show, for tables and drawings."""
        result.store = self.store
        result.lang = lang or self.lang
        return result

    def query(self, name_or_sparql: str, /, *, allow_service: bool = False, **params: str) -> Result:
        """Run a named query (with its parameters as keywords) or your own SPARQL.

        Raises:
            KGError: an unknown query or parameter, an unresolvable name, SERVICE without ``allow_service``.
            InputError: a SPARQL syntax error, with line and column.
        """
        result = run_query(self.store, name_or_sparql, params, allow_service=allow_service)
        named = catalog().get(name_or_sparql.strip())
        result.title = (named.summary or named.name) if named is not None else "Query result"
        return self._ours(result)

    def resolve(self, word: str) -> str:
        """The IRI of the node ``word`` names (IRI, CURIE, or any label in either language)."""
        return resolve(self.store, word)

    def describe(self, word: str, *, lang: str | None = None) -> Result:
        """Every statement about the node ``word`` names, in and out, with labels and graphs."""
        lang = lang or self.lang
        return self._ours(describe(self.store, self.resolve(word), lang=lang), lang)

    def search(self, text: str, /, *, limit: int = 20, lang: str | None = None) -> Result:
        """The nodes ``text`` names, best first: exact, prefix, contains, then the closest names; one row per node
        (``node``, ``name``, ``matched``, ``match``, ``class``, ``model``).

        Raises:
            KGError: ``text`` is empty or too long, or ``limit`` is not positive.

        >>> [row[0].value for row in open().search("拼多", limit=1)]
        ['https://w3id.org/sce/id/pinduoduo']
        """
        from .search import as_result, search

        lang = lang or self.lang
        return self._ours(as_result(search(self.store, text, limit=limit), lang=lang), lang)

    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name."""
        return catalog()

    def __len__(self) -> int:
        return len(self.store)

    def path(self, source: str, target: str, /, *, limit: int = 10, lang: str | None = None) -> Result:
        """The shortest paths between two named nodes, at most ``limit``: rows of ``path``, ``length``, ``chain``.

        >>> [row[1].value for row in open().path("Pinduoduo", "Xiaohongshu")]
        ['5']
        """
        from .analytics import path

        lang = lang or self.lang
        return self._ours(path(self.store, source, target, limit=limit, lang=lang), lang)

    def compare(self, *models: str, lang: str | None = None) -> Result:
        """The models (all of them when none is named) side by side: one row per dimension, one column per model."""
        from .analytics import compare

        lang = lang or self.lang
        return self._ours(compare(self.store, models, lang=lang), lang)

    def similar(self, word: str, /, *, top: int = 10, lang: str | None = None) -> Result:
        """The ``top`` nodes most like the one ``word`` names (Jaccard over typed links), with what they share."""
        from .analytics import similar

        lang = lang or self.lang
        return self._ours(similar(self.store, word, top=top, lang=lang), lang)

    def central(self, *, cls: str | None = None, top: int = 10, lang: str | None = None) -> Result:
        """The ``top`` most central nodes (betweenness, then degree), only those of class ``cls`` when given."""
        from .analytics import central

        lang = lang or self.lang
        return self._ours(central(self.store, cls=cls, top=top, lang=lang), lang)

    def to_networkx(self, centre: str | None = None, /, *, radius: int = 1, lang: str | None = None) -> nx.MultiDiGraph:
        """The whole graph (or the part within ``radius`` links of the node ``centre`` names) as a networkx graph whose
        nodes and edges carry ``label`` (in ``lang``) and ``title``, as pyvis and Gephi expect, besides ``label_en``
        and ``label_zh`` (see ``kg.network``).

        Raises:
            KGError: ``centre`` names no node, or several.
        """
        from .notebook import store_network

        return store_network(self.store, centre, radius=radius, lang=lang or self.lang)

    def draw(
        self,
        centre: str | None = None,
        /,
        *,
        radius: int = 1,
        lang: str | None = None,
        width: int | str = "100%",
        height: int | str = 600,
        title: str | None = None,
    ) -> Drawing:
        """An interactive drawing of the whole graph, or of the part within ``radius`` links of the node ``centre``
        names, that a notebook shows inline (``.save(path)`` writes its page, which opens offline).

        Args:
            width, height: the size of the frame: pixels, or a number with a CSS unit ("100%").

        Raises:
            KGError: ``centre`` names no node, or several; a bad size or language.
        """
        from .notebook import drawing

        lang = lang or self.lang
        graph = self.to_networkx(centre, radius=radius, lang=lang)
        heading = title or (f"Around {centre}" if centre else "Social e-commerce knowledge graph")
        return drawing(graph, title=heading, lang=lang, width=width, height=height)


def open(store: str | None = None, *, data: Sequence[str | Path] = (), lang: str = "en", **options: Any) -> Graph:
    """Open the graph: the built-in one in memory by default, with your ``data`` files added on top.

    Args:
        store: where the graph lives (see ``kg --store``); None for the built-in graph in memory.
        data: RDF files of your own (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD).
        lang: the language labels are shown in by default ("en" or "zh-Hans").

    Raises:
        InputError: a data file cannot be read (file, line and column in the message).
    """
    return Graph(open_store(store, data=data, **options), lang=lang)
