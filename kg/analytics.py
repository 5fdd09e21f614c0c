"""How things connect: shortest paths, side-by-side comparison, similarity and centrality over the network view.

Every measure runs on one *analysis view* of the graph (:func:`view`): the network view of :mod:`kg.network` with the
hubs that would distort it left out — classes and vocabulary terms, the SKOS concept scheme, the documents that
``dct:source`` points at — and each pair of inverse properties (``skos:narrower``/``skos:broader``,
``sce:representedBy``/``sce:represents``) folded into the one the graph uses more, so that a link stated both
ways counts once. Every answer is a :class:`~kg.results.Result` of rows, so every output format works.

>>> from kg.stores import open_store
>>> store = open_store()
>>> chain = path(store, "Pinduoduo", "Xiaohongshu").rows[0][2].value
>>> chain.split(" famous brands ")
['Pinduoduo ← represented by ← group buying → core product → regional famous-brand products ← narrower ←', \
'← core product ← content → represented by → Xiaohongshu']
>>> row = similar(store, "community group buying", top=1).rows[0]
>>> row[0].value, row[3].value
('https://w3id.org/sce/id/group-buying', 'consumer (involves role); price-sensitive users (targets)')
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import KGError
from .lang import is_chinese
from .names import resolve
from .results import Result, str_value
from .stores import GraphStore
from .vocab import DCT, ID, ONTOLOGY_IRI, OWL, RDF, RDFS, SCE, SH, SKOS, XSD, curie

if TYPE_CHECKING:
    import networkx as nx

#: Namespaces whose terms describe the vocabulary, never the domain: their IRIs are never nodes of the view.
VOCABULARY_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SKOS), str(SH), str(SCE))
#: Nodes of these types are hubs of the vocabulary, not of the domain.
HUB_TYPES = frozenset({SKOS.ConceptScheme, OWL.Ontology})
#: The targets of these annotations (sources, defining documents) are provenance, not domain nodes.
PROVENANCE_LINKS = frozenset({DCT.source, RDFS.isDefinedBy})
#: Links that tie nodes to the vocabulary's bookkeeping rather than to each other.
VOCABULARY_LINKS = frozenset({SKOS.inScheme, SKOS.hasTopConcept, SKOS.topConceptOf})
#: The built-in models in the order the seed document gives them; other models follow by label.
MODEL_ORDER = (ID.term("group-buying"), ID.distribution, ID.content, ID.term("community-group-buying"))

#: Betweenness is exact up to this many nodes, and estimated from ``SAMPLE`` sources above it.
EXACT_LIMIT = 2000
SAMPLE = 200

INVERSES = "SELECT ?p ?q WHERE { ?p owl:inverseOf ?q FILTER (isIRI(?p) && isIRI(?q)) }"
SUBCLASSES = "SELECT DISTINCT ?class ?sub WHERE { ?sub rdfs:subClassOf* ?class }"
IS_CLASS = "ASK { { ?class a owl:Class } UNION { ?class a rdfs:Class } UNION { ?member a ?class } }"


# --- The analysis view ------------------------------------------------------------------------------------------------


def view(store: GraphStore) -> nx.MultiDiGraph:
    """The network view of ``store`` with classes and vocabulary hubs left out and inverse links folded into one.

    >>> from kg.stores import open_store
    >>> graph = view(open_store())
    >>> "https://w3id.org/sce/id/product-categories" in graph, "https://w3id.org/sce/id/seed-document" in graph
    (False, False)
    >>> graph.has_edge("https://w3id.org/sce/id/famous-brands", "https://w3id.org/sce/id/clothing", SKOS.narrower)
    True
    """
    from .network import from_store  # late: importing kg.network costs ~145 ms

    graph = from_store(store)
    graph.remove_nodes_from(hubs(graph))
    graph.remove_edges_from([(u, v, k) for u, v, k in graph.edges(keys=True) if k in VOCABULARY_LINKS])
    fold_inverses(graph, inverses(store), store)
    return graph


def hubs(graph: nx.MultiDiGraph) -> list[str]:
    """The nodes of ``graph`` that belong to the vocabulary or to provenance rather than to the domain.

    That is: terms of the vocabulary namespaces and the ontology itself, every class (anything used as a type), nodes
    typed as a concept scheme or an ontology, and the targets of ``dct:source`` and ``rdfs:isDefinedBy``.
    """
    classes = {t for _, types in graph.nodes(data="types", default=[]) for t in types}
    sources = {
        target for _, links in graph.nodes(data="links", default=[]) for p, target in links if p in PROVENANCE_LINKS
    }
    found = []
    for node, data in graph.nodes(data=True):
        vocabulary = node == ONTOLOGY_IRI or node.startswith(VOCABULARY_NAMESPACES)
        if vocabulary or node in classes or node in sources or HUB_TYPES & set(data.get("types", ())):
            found.append(node)
    return found


def inverses(store: GraphStore) -> list[tuple[str, str]]:
    """The pairs of properties that ``owl:inverseOf`` declares inverse, sorted.

    >>> from kg.stores import open_store
    >>> (SKOS.narrower, SKOS.broader) in inverses(open_store())
    True
    """
    return sorted({(str_value(row["p"]), str_value(row["q"])) for row in store.select(INVERSES)})


def fold_inverses(graph: nx.MultiDiGraph, pairs: Iterable[tuple[str, str]], store: GraphStore) -> None:
    """Of each pair of inverse properties keep the one the graph uses more (the first on a tie), and turn every link of
    the other around into it, in place: ``B broader A`` becomes ``A narrower B``."""
    from .network import Labels  # late: importing kg.network costs ~145 ms

    names = Labels(store, {})
    for first, second in pairs:
        used = Counter(k for _, _, k in graph.edges(keys=True) if k in (first, second))
        kept, dropped = (second, first) if used[second] > used[first] else (first, second)
        label_en, label_zh = names.names(kept)
        graph.graph.setdefault("terms", {})[kept] = [label_en, label_zh]
        for source, target, key in [(u, v, k) for u, v, k in graph.edges(keys=True) if k == dropped]:
            graph.remove_edge(source, target, key)
            graph.add_edge(target, source, key=kept, predicate=kept, label_en=label_en, label_zh=label_zh)


def name(graph: nx.MultiDiGraph, node: str, lang: str = "en") -> str:
    """The label of ``node`` in ``lang`` (``en`` or ``zh-Hans``)."""
    return str(graph.nodes[node]["label_zh" if is_chinese(lang) else "label_en"])


def link_name(graph: nx.MultiDiGraph, source: str, target: str, key: str, lang: str = "en") -> str:
    """The label of the link ``key`` from ``source`` to ``target`` in ``lang``."""
    return str(graph.edges[source, target, key]["label_zh" if is_chinese(lang) else "label_en"])


def locate(store: GraphStore, graph: nx.MultiDiGraph, word: str) -> str:
    """The node of ``graph`` that ``word`` names (an IRI, a CURIE or any label).

    Raises:
        KGError: nothing has that name, or the node is a class or vocabulary hub, which the view leaves out.
    """
    iri = resolve(store, word)
    if iri not in graph:
        raise KGError(f"{curie(iri)} is not part of the network view: classes, vocabulary and sources are left out")
    return iri


def _text(value: str, lang: str) -> ox.Literal:
    return ox.Literal(value, language="zh-Hans" if is_chinese(lang) else "en")


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD.integer))


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.4f}", datatype=ox.NamedNode(XSD.decimal))


def _class(graph: nx.MultiDiGraph, node: str) -> ox.NamedNode | None:
    cls = graph.nodes[node].get("class")
    return ox.NamedNode(cls) if cls else None


# --- Paths ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    """The shortest paths between two nodes of a view, each a list of nodes (links in either direction).

    Attributes:
        graph: the analysis view the paths run through.
        source, target: the two end nodes.
        nodes: each path as its nodes, from ``source`` to ``target``.
    """

    graph: nx.MultiDiGraph
    source: str
    target: str
    nodes: list[list[str]]

    def links(self, a: str, b: str) -> list[tuple[str, str, str]]:
        """The links between ``a`` and ``b``, either direction, as (source, target, property), sorted."""
        found = [(a, b, k) for k in self.graph.get_edge_data(a, b, default={})]
        found += [(b, a, k) for k in self.graph.get_edge_data(b, a, default={})]
        return sorted(found)

    def chain(self, nodes: Sequence[str], lang: str = "en") -> str:
        """One path as text: node labels joined by labelled arrows that point the way each link is stated."""
        parts = [name(self.graph, nodes[0], lang)]
        for a, b in itertools.pairwise(nodes):
            steps = []
            for source, target, key in self.links(a, b):
                arrow = "→" if source == a else "←"
                steps.append(f"{arrow} {link_name(self.graph, source, target, key, lang)} {arrow}")
            parts += [" / ".join(steps), name(self.graph, b, lang)]
        return " ".join(parts)

    def result(self, lang: str = "en") -> Result:
        """The paths as rows: path number, length in links, the chain as text."""
        rows = [
            (_integer(i), _integer(len(p) - 1), _text(self.chain(p, lang), lang)) for i, p in enumerate(self.nodes, 1)
        ]
        return Result.select(
            ["path", "length", "chain"], rows, titles={"path": "路径", "length": "长度", "chain": "链"}
        )

    def subgraph(self) -> nx.MultiDiGraph:
        """The nodes and links of the paths, with their attributes, for drawing."""
        import networkx as nx  # late: importing networkx costs ~124 ms

        drawn = nx.MultiDiGraph(**self.graph.graph)
        for nodes in self.nodes:
            drawn.add_nodes_from((n, self.graph.nodes[n]) for n in nodes)
            for a, b in itertools.pairwise(nodes):
                for source, target, key in self.links(a, b):
                    drawn.add_edge(source, target, key=key, **self.graph.edges[source, target, key])
        return drawn


def shortest_paths(graph: nx.MultiDiGraph, source: str, target: str, *, limit: int = 10) -> list[list[str]]:
    """All shortest paths from ``source`` to ``target`` following links either way, at most ``limit``, sorted.

    >>> from kg.stores import open_store
    >>> graph = view(open_store())
    >>> [[curie(n) for n in p] for p in shortest_paths(graph, ID.pinduoduo, ID.term("group-buying"))]
    [['id:pinduoduo', 'id:group-buying']]
    """
    import networkx as nx  # late: importing networkx costs ~124 ms

    try:
        found = itertools.islice(nx.all_shortest_paths(graph.to_undirected(as_view=True), source, target), limit)
        return sorted(list(p) for p in found)
    except nx.NetworkXNoPath:
        return []


def find_paths(store: GraphStore, source: str, target: str, *, limit: int = 10) -> Paths:
    """The shortest paths between the nodes that ``source`` and ``target`` name, at most ``limit`` of them.

    Raises:
        KGError: a name matches no node, or only a class or vocabulary hub; ``limit`` is below 1.
    """
    if limit < 1:
        raise KGError(f"the number of paths must be at least 1, not {limit}")
    graph = view(store)
    start, end = locate(store, graph, source), locate(store, graph, target)
    return Paths(graph, start, end, shortest_paths(graph, start, end, limit=limit))


def path(store: GraphStore, source: str, target: str, *, limit: int = 10, lang: str = "en") -> Result:
    """The shortest paths between two named nodes as rows: ``path``, ``length`` (links), ``chain`` (text in ``lang``).

    No rows when the nodes are not connected.

    >>> from kg.stores import open_store
    >>> path(open_store(), "Kuaishou", "快手").rows[0][2].value
    'Kuaishou'
    """
    return find_paths(store, source, target, limit=limit).result(lang)


def draw_paths(paths: Paths, file: str | Path, *, lang: str = "en") -> None:
    """Draw ``paths`` as an interactive HTML page in ``file``, through :mod:`kg.render`."""
    from .render import write_html  # late: importing kg.render costs ~252 ms

    title = f"{name(paths.graph, paths.source, lang)} — {name(paths.graph, paths.target, lang)}"
    write_html(
        paths.subgraph(), file, title=title, lang=lang, query=f"kg path {curie(paths.source)} {curie(paths.target)}"
    )


# --- Comparison -------------------------------------------------------------------------------------------------------

#: The rows of a comparison: English and Chinese name, and the chain of properties leading to the values
#: (empty for the model's own definition).
DIMENSIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("definition", "定义", ()),
    ("forms", "具体形式", (SCE.hasForm,)),
    ("social chain", "社交链", (SCE.hasSocialChain,)),
    ("social tie", "社交关系", (SCE.hasSocialChain, SCE.tieType)),
    ("target users", "目标用户", (SCE.targets,)),
    ("core products", "核心商品", (SCE.coreProduct,)),
    ("channels", "渠道", (SCE.usesChannel,)),
    ("enterprises", "代表企业", (SCE.representedBy,)),
)


def models(graph: nx.MultiDiGraph) -> list[str]:
    """The models of ``graph``: the built-in four in the seed's order, then any others by label."""
    found = [n for n, types in graph.nodes(data="types", default=[]) if SCE.SocialCommerceModel in types]
    rank = {iri: i for i, iri in enumerate(MODEL_ORDER)}
    return sorted(found, key=lambda n: (rank.get(n, len(rank)), name(graph, n)))


def reach(graph: nx.MultiDiGraph, node: str, chain: Sequence[str]) -> set[str]:
    """The nodes reached from ``node`` by following the properties of ``chain`` forwards, one after another."""
    current = {node}
    for prop in chain:
        current = {v for u in current for _, v, k in graph.out_edges(u, keys=True) if k == prop}
    return current


def dimension(graph: nx.MultiDiGraph, model: str, chain: Sequence[str], lang: str = "en") -> str:
    """The values of one dimension of ``model`` as text: its definition, or the labels reached, sorted, "; "-joined."""
    if not chain:
        data = graph.nodes[model]
        return str(data["definition_zh"] if is_chinese(lang) and data["definition_zh"] else data["definition_en"])
    return "; ".join(sorted((name(graph, n, lang) for n in reach(graph, model, chain)), key=str.casefold))


def column_names(graph: nx.MultiDiGraph, nodes: Sequence[str]) -> list[str]:
    """Variable names for the columns of ``nodes``: the end of each IRI with non-word characters as ``_``, unique.

    >>> import networkx as nx
    >>> column_names(nx.MultiDiGraph(), [ID.term("group-buying"), ID.content])
    ['group_buying', 'content']
    """
    from .network import local_name  # late: importing kg.network costs ~145 ms

    names: list[str] = []
    for node in nodes:
        base = re.sub(r"\W", "_", local_name(node)) or "model"
        candidate, n = base, 1
        while candidate in names or candidate == "dimension":
            n += 1
            candidate = f"{base}_{n}"
        names.append(candidate)
    return names


@dataclass(frozen=True)
class Comparison:
    """Models side by side: the view, the models compared, and the language of the values."""

    graph: nx.MultiDiGraph
    models: list[str]
    lang: str = "en"

    def result(self) -> Result:
        """One row per dimension: its name, then one column per model (unbound where a model has no value)."""
        rows = []
        for english, chinese, chain in DIMENSIONS:
            values = [dimension(self.graph, m, chain, self.lang) for m in self.models]
            label = chinese if is_chinese(self.lang) else english
            cells: list[ox.Literal | None] = [_text(v, self.lang) if v else None for v in values]
            rows.append([_text(label, self.lang), *cells])
        names = column_names(self.graph, self.models)
        return Result.select(["dimension", *names], rows, headers=self.headers(), title="kg compare")

    def headers(self) -> list[str]:
        """Column headings for people: "dimension" (or 维度), then the models' labels."""
        first = "维度" if is_chinese(self.lang) else "dimension"
        return [first] + [name(self.graph, m, self.lang) for m in self.models]


def comparison(store: GraphStore, names: Sequence[str] = (), *, lang: str = "en") -> Comparison:
    """The models that ``names`` name (all of them when empty), ready to be written side by side.

    Raises:
        KGError: a name matches no node, or a node that is not a social commerce model.
    """
    graph = view(store)
    chosen = [locate(store, graph, word) for word in names] or models(graph)
    for node in chosen:
        if SCE.SocialCommerceModel not in graph.nodes[node].get("types", ()):
            raise KGError(f"{name(graph, node)} ({curie(node)}) is not a social commerce model")
    return Comparison(graph, list(dict.fromkeys(chosen)), lang)


def compare(store: GraphStore, names: Sequence[str] = (), *, lang: str = "en") -> Result:
    """The models side by side: a ``dimension`` column, then one column per model; one row per dimension.

    >>> from kg.stores import open_store
    >>> result = compare(open_store(), ["group buying", "content"])
    >>> result.vars, [row[0].value for row in result][:3]
    (['dimension', 'group_buying', 'content'], ['definition', 'forms', 'social chain'])
    >>> result.rows[4][1].value
    'price-sensitive users'
    """
    return comparison(store, names, lang=lang).result()


# --- Similarity -------------------------------------------------------------------------------------------------------


def typed_links(graph: nx.MultiDiGraph, node: str) -> set[tuple[str, str, str]]:
    """The links of ``node`` as (property, direction, neighbour), direction "out" or "in"."""
    out = {(k, "out", v) for _, v, k in graph.out_edges(node, keys=True)}
    return out | {(k, "in", u) for u, _, k in graph.in_edges(node, keys=True)}


def jaccard(first: set[Any], second: set[Any]) -> float:
    """Size of the intersection over size of the union; 0 for two empty sets.

    >>> jaccard({1, 2}, {2, 3})
    0.3333333333333333
    """
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def similar_nodes(graph: nx.MultiDiGraph, node: str, *, top: int = 10) -> list[tuple[str, float, set[Any]]]:
    """The ``top`` nodes whose typed links overlap most with those of ``node``: (node, Jaccard, shared links).

    Ties are broken by label; nodes that share nothing are left out.
    """
    mine = typed_links(graph, node)
    undirected = graph.to_undirected(as_view=True)
    candidates = {other for _, _, n in mine for other in undirected.neighbors(n)} - {node}
    scored = []
    for other in candidates:
        theirs = typed_links(graph, other)
        if mine & theirs:
            scored.append((other, jaccard(mine, theirs), mine & theirs))
    return sorted(scored, key=lambda s: (-s[1], name(graph, s[0]), s[0]))[:top]


def similar(store: GraphStore, word: str, *, top: int = 10, lang: str = "en") -> Result:
    """The nodes most like the one ``word`` names, by Jaccard similarity of their typed links.

    Rows: ``node``, ``class``, ``jaccard`` (0–1), ``shared`` (the shared neighbours, each with the link's label).

    >>> from kg.stores import open_store
    >>> [row[0].value for row in similar(open_store(), "Pinduoduo", top=3)]  # Temu shares its parent, PDD Holdings
    ['https://w3id.org/sce/id/temu', 'https://w3id.org/sce/id/aikucun', 'https://w3id.org/sce/id/suning-pingou']
    """
    if top < 1:
        raise KGError(f"--top must be at least 1, not {top}")
    graph = view(store)
    node = locate(store, graph, word)
    rows = []
    for other, score, shared in similar_nodes(graph, node, top=top):
        named = sorted(f"{name(graph, n, lang)} ({_link_label(graph, p, lang)})" for p, _, n in shared)
        rows.append((ox.NamedNode(other), _class(graph, other), _decimal(score), _text("; ".join(named), lang)))
    titles = {"node": "节点", "class": "类", "jaccard": "杰卡德相似度", "shared": "共有"}
    return Result.select(["node", "class", "jaccard", "shared"], rows, titles=titles)


def _link_label(graph: nx.MultiDiGraph, prop: str, lang: str) -> str:
    """The label of the property ``prop`` from the graph's ``terms`` (set by :mod:`kg.network`), else its CURIE."""
    names = graph.graph.get("terms", {}).get(prop)
    return str(names[1 if is_chinese(lang) else 0]) if names else curie(prop)


# --- Centrality -------------------------------------------------------------------------------------------------------


def centrality(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float, int]]:
    """Each node's (betweenness, degree centrality, number of neighbours) in ``graph`` as a simple undirected graph.

    Betweenness is exact up to ``EXACT_LIMIT`` nodes; above, it is estimated from ``SAMPLE`` source nodes drawn with a
    fixed seed, so that the same graph always gives the same numbers.

    >>> import networkx as nx
    >>> centrality(nx.MultiDiGraph([("a", "b"), ("b", "c")]))["b"]
    (1.0, 1.0, 2)
    """
    import networkx as nx  # late: importing networkx costs ~124 ms

    simple = nx.Graph(graph.to_undirected(as_view=True))
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    sample = SAMPLE if len(simple) > EXACT_LIMIT else None
    betweenness = nx.betweenness_centrality(simple, k=sample, normalized=True, seed=7)
    degree = nx.degree_centrality(simple)
    return {n: (betweenness[n], degree[n], simple.degree(n)) for n in simple}


def members(store: GraphStore, graph: nx.MultiDiGraph, word: str) -> set[str]:
    """The nodes of ``graph`` that belong to the class ``word`` names, or to one of its subclasses.

    Raises:
        KGError: the name matches no node, or one that is not a class.
    """
    cls = resolve(store, word)
    if not store.ask(IS_CLASS, **{"class": ox.NamedNode(cls)}):
        raise KGError(f"{curie(cls)} is not a class")
    classes = {str_value(row["sub"]) for row in store.select(SUBCLASSES, **{"class": ox.NamedNode(cls)})} | {cls}
    return {n for n, types in graph.nodes(data="types", default=[]) if classes & set(types)}


def central(store: GraphStore, *, cls: str | None = None, top: int = 10, lang: str = "en") -> Result:
    """The most central nodes of the analysis view, by betweenness, then degree.

    Rows: ``node``, ``class``, ``betweenness`` and ``degree`` (both normalised to 0–1), ``links`` (neighbours).
    Centrality is measured on the whole view; ``cls`` (a class's name) only picks which nodes are listed.

    >>> from kg.stores import open_store
    >>> [row[0].value for row in central(open_store(), cls="social tie", top=1)]
    ['https://w3id.org/sce/id/acquaintance-social']
    """
    if top < 1:
        raise KGError(f"--top must be at least 1, not {top}")
    graph = view(store)
    chosen = members(store, graph, cls) if cls else set(graph)
    scores = centrality(graph)
    ranked = sorted(chosen, key=lambda n: (-scores[n][0], -scores[n][1], name(graph, n, lang), n))[:top]
    rows = [
        (ox.NamedNode(n), _class(graph, n), _decimal(scores[n][0]), _decimal(scores[n][1]), _integer(scores[n][2]))
        for n in ranked
    ]
    titles = {"node": "节点", "class": "类", "betweenness": "介数中心性", "degree": "度中心性", "links": "链接数"}
    return Result.select(["node", "class", "betweenness", "degree", "links"], rows, titles=titles)
