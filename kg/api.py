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
from .notebook import Drawing, NotebookResult, check_lang, drawing
from .results import Result
from .stores import GraphStore, is_remote, open_store

if TYPE_CHECKING:
    import networkx as nx


class Graph:
    """The knowledge graph as a Python object, over one store.

    Attributes:
        store: the store it asks.
        lang: the language labels are shown in by default: "en" or "zh-Hans".
    """

    def __init__(self, store: GraphStore, *, lang: str = "en") -> None:
        self.store = store
        self.lang = check_lang(lang)

    def _ours(self, result: Result, lang: str | None = None) -> NotebookResult:
        """``result``, told where it came from and which language to show, for tables and drawings."""
        return NotebookResult.of(result, self.store, lang=lang or self.lang)

    def query(
        self, name_or_sparql: str, /, *, allow_service: bool = False, base_iri: str | None = None, **params: str
    ) -> NotebookResult:
        """Run a named query (with its parameters as keywords) or your own SPARQL.

        Your SPARQL sees the union of all graphs, unless it names its own with ``FROM`` and ``FROM NAMED``; its
        relative IRIs are resolved against ``base_iri``.

        >>> open().query("SELECT (COUNT(*) AS ?n) FROM <https://example.org/none> WHERE { ?s ?p ?o }").rows[0][0].value
        '0'
        >>> open().query("SELECT ?x WHERE { BIND(<seed> AS ?x) }", base_iri="https://w3id.org/sce/graph/").rows[0][0]
        <NamedNode value=https://w3id.org/sce/graph/seed>

        Raises:
            KGError: an unknown query or parameter, an unresolvable name, SERVICE without ``allow_service``.
            InputError: a SPARQL syntax error, with line and column.
        """
        result = run_query(self.store, name_or_sparql, params, allow_service=allow_service, base_iri=base_iri)
        named = catalog().get(name_or_sparql.strip())
        result.title = (named.summary or named.name) if named is not None else "Query result"
        return self._ours(result)

    def resolve(self, word: str) -> str:
        """The IRI of the node ``word`` names (IRI, CURIE, or any label in either language)."""
        return resolve(self.store, word)

    def describe(self, word: str, *, lang: str | None = None) -> NotebookResult:
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
        from .search import as_result, search  # late: importing kg.search costs ~5 ms

        lang = lang or self.lang
        return self._ours(as_result(search(self.store, text, limit=limit), lang=lang), lang)

    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name."""
        return catalog()

    def __len__(self) -> int:
        return len(self.store)

    def path(self, source: str, target: str, /, *, limit: int = 10, lang: str | None = None) -> NotebookResult:
        """The shortest paths between two named nodes, at most ``limit``: rows of ``path``, ``length``, ``chain``.

        >>> [row[1].value for row in open().path("Pinduoduo", "Xiaohongshu")]
        ['5']
        """
        from .analytics import path  # networkx and scipy (~0.4 s): only for the analyses

        lang = lang or self.lang
        return self._ours(path(self.store, source, target, limit=limit, lang=lang), lang)

    def compare(self, *models: str, lang: str | None = None) -> NotebookResult:
        """The models (all of them when none is named) side by side: one row per dimension, one column per model."""
        from .analytics import compare  # networkx and scipy (~0.4 s): only for the analyses

        lang = lang or self.lang
        return self._ours(compare(self.store, models, lang=lang), lang)

    def similar(self, word: str, /, *, top: int = 10, lang: str | None = None) -> NotebookResult:
        """The ``top`` nodes most like the one ``word`` names (Jaccard over typed links), with what they share."""
        from .analytics import similar  # networkx and scipy (~0.4 s): only for the analyses

        lang = lang or self.lang
        return self._ours(similar(self.store, word, top=top, lang=lang), lang)

    def central(self, *, cls: str | None = None, top: int = 10, lang: str | None = None) -> NotebookResult:
        """The ``top`` most central nodes (betweenness, then degree), only those of class ``cls`` when given."""
        from .analytics import central  # networkx and scipy (~0.4 s): only for the analyses

        lang = lang or self.lang
        return self._ours(central(self.store, cls=cls, top=top, lang=lang), lang)

    def to_networkx(self, centre: str | None = None, /, *, radius: int = 1, lang: str | None = None) -> nx.MultiDiGraph:
        """The whole graph (or the part within ``radius`` links of the node ``centre`` names) as a networkx graph whose
        nodes and edges carry ``label`` (in ``lang``) and ``title``, as pyvis and Gephi expect, besides ``label_en``
        and ``label_zh`` (see ``kg.network``).

        Raises:
            KGError: ``centre`` names no node, or several.
        """
        from .network import store_network  # networkx (~0.2 s): only for a program that asks for a network

        return store_network(self.store, centre, radius=radius, lang=check_lang(lang or self.lang))

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
        names, that a notebook shows inline (``.save(path)`` writes its page, which opens offline). The whole graph
        opens on its overview: the models and their dimensions, the rest folded into counts, the whole one click away.

        Args:
            width, height: the size of the frame: pixels, or a number with a CSS unit ("100%").

        Raises:
            KGError: ``centre`` names no node, or several; a bad size or language.
        """
        lang = lang or self.lang
        graph = self.to_networkx(centre, radius=radius, lang=lang)
        heading = title or (f"Around {centre}" if centre else None)
        return drawing(graph, title=heading, lang=lang, width=width, height=height, overview=centre is None)


def open(
    store: str | None = None,
    *,
    data: Sequence[str | Path] = (),
    lang: str = "en",
    strict: bool = False,
    **options: Any,
) -> Graph:
    """Open the graph: the built-in one in memory by default, with your ``data`` files added on top.

    Args:
        store: where the graph lives (see ``kg --store``); None for the built-in graph in memory.
        data: RDF files of your own (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD).
        lang: the language labels are shown in by default ("en" or "zh-Hans").
        strict: refuse a ``data`` file that breaks the shapes (an InputError), instead of loading it with a
            :class:`~kg.validate.ShapeWarning` ("N violations (first: …); run kg validate FILE").

    Raises:
        InputError: a data file cannot be read (file, line and column in the message), or, ``strict``, breaks the
            shapes.
    """
    from .validate import add_checked  # late: importing kg.validate costs ~9 ms

    remote = is_remote(store)
    opened = open_store(store, data=data if remote else (), write=options.pop("write", True) or bool(data), **options)
    if data and not remote:
        try:
            add_checked(opened, data, strict=strict)
        except BaseException:
            opened.close()
            raise
    return Graph(opened, lang=lang)
