"""RDF as a networkx graph: resources become nodes, links between resources become edges.

Literals and ``rdf:type`` become attributes of their node, never nodes of their own (rdflib's ``rdflib_to_networkx_*``
makes them nodes, which distorts every graph measure). Values of annotation properties (``dct:source``,
``rdfs:isDefinedBy`` and every property the graph declares an ``owl:AnnotationProperty``) are kept as the node's
``links`` rather than drawn as edges, so that provenance does not turn two documents into hubs of everything.

Each node carries ``iri``, ``curie``, ``label_en``, ``label_zh``, ``labels`` (every label and alternative label),
``types``, ``class`` (the main class), ``class_en``, ``class_zh``, ``definition_en``, ``definition_zh``, ``literals``
(``[predicate, value, language]`` triples) and ``links`` (``[predicate, IRI]`` pairs). Each edge is keyed by its
property's IRI and carries ``predicate``, ``label_en`` and ``label_zh``. The graph's own ``terms`` attribute names every
property used, by IRI: ``[English, Chinese]``.

>>> from kg.stores import open_store
>>> graph = from_store(open_store())
>>> node = graph.nodes["https://w3id.org/sce/id/kuaishou"]
>>> node["label_en"], node["label_zh"], node["class_en"]
('Kuaishou', '快手', 'enterprise')
>>> graph.edges["https://w3id.org/sce/id/content", "https://w3id.org/sce/id/kuaishou", SCE.representedBy]["label_en"]
'represented by'
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from .errors import KGError
from .lang import is_chinese
from .names import pick, resolve
from .results import Result
from .stores import GraphStore
from .vocab import DCT, GRAPH, OWL, RDF, RDFS, SCE, SKOS, curie, written_tag

#: Properties whose IRI values are annotations (kept as links), besides those the graph declares.
ANNOTATION_PROPERTIES = frozenset({RDFS.isDefinedBy, RDFS.seeAlso, DCT.source, DCT.license, OWL.versionIRI})

#: Classes whose members describe the vocabulary rather than the domain; the whole-graph view leaves them out.
SCHEMA_CLASSES = (
    OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.Ontology, OWL.AllDisjointClasses, OWL.FunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty,
)  # fmt: skip

#: The whole graph as the views draw it: every statement except those about the vocabulary, RDF list cells and the
#: named graphs themselves.
WHOLE_GRAPH = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
    ?s ?p ?o .
    FILTER NOT EXISTS {{ ?s a ?meta VALUES ?meta {{ {" ".join(f"<{c}>" for c in SCHEMA_CLASSES)} }} }}
    FILTER NOT EXISTS {{ ?s <{RDF.first}> ?item }}
    FILTER (!isIRI(?s) || !STRSTARTS(STR(?s), "{GRAPH}"))
}}
"""

_LABEL = (RDFS.label, SKOS.prefLabel)
_ALT = (SKOS.altLabel,)
_DEFINITION = (SKOS.definition, RDFS.comment)
Node = ox.NamedNode | ox.BlankNode


def node_id(term: Node) -> str:
    """The networkx node of a resource: its IRI, or ``_:id`` for a blank node.

    >>> node_id(ox.BlankNode("b0")), node_id(ox.NamedNode("https://w3id.org/sce/id/content"))
    ('_:b0', 'https://w3id.org/sce/id/content')
    """
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


@dataclass
class _Description:
    """What is known about one resource while the graph is built."""

    types: set[str] = field(default_factory=set)
    literals: set[tuple[str, str, str]] = field(default_factory=set)
    links: set[tuple[str, str]] = field(default_factory=set)

    def add(self, predicate: str, obj: Any, annotations: frozenset[str]) -> bool:
        """Record one statement about this resource; return True when it is a link to draw as an edge."""
        if isinstance(obj, ox.Literal):
            self.literals.add((predicate, obj.value, written_tag(obj.language or "")))
        elif predicate == RDF.type:
            self.types.add(node_id(obj))
        elif predicate in annotations or isinstance(obj, ox.Triple):
            self.links.add((predicate, str(obj) if isinstance(obj, ox.Triple) else node_id(obj)))
        else:
            return True
        return False

    def values(self, predicates: tuple[str, ...]) -> list[tuple[str, str]]:
        """(value, language) of the literals of ``predicates``, the first predicate that has any."""
        for predicate in predicates:
            found = [(v, lang) for p, v, lang in self.literals if p == predicate]
            if found:
                return found
        return []


class _Builder:
    """Collects statements into node descriptions and edges, then writes the networkx graph."""

    def __init__(self, store: GraphStore | None) -> None:
        self.store = store
        self.annotations = ANNOTATION_PROPERTIES | declared_annotations(store)
        self.nodes: dict[str, _Description] = {}
        self.edges: set[tuple[str, str, str]] = set()

    def node(self, term: Node) -> _Description:
        """The description of ``term``, created empty on first use."""
        return self.nodes.setdefault(node_id(term), _Description())

    def add(self, triple: ox.Triple, *, draw: bool = True) -> None:
        """Add one statement; its link becomes an edge when ``draw`` and the object is a resource."""
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            return
        predicate, obj = triple.predicate.value, triple.object
        is_link = self.node(subject).add(predicate, obj, self.annotations)
        if is_link and draw and isinstance(obj, ox.NamedNode | ox.BlankNode):
            self.node(obj)
            self.edges.add((node_id(subject), node_id(obj), predicate))

    def describe(self, restrict: set[str] | None = None) -> None:
        """Add the store's literals, types and annotations of every node (and its links into ``restrict``)."""
        if self.store is None:
            return
        for key in list(self.nodes):
            term = ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)
            for quad in self.store.match(term):
                obj = quad.object
                inside = isinstance(obj, ox.NamedNode | ox.BlankNode) and node_id(obj) in (restrict or ())
                self.add(ox.Triple(term, quad.predicate, obj), draw=inside)

    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph, nodes and edges added in sorted order so that every run gives the same graph."""
        terms = Labels(self.store, self.nodes)
        graph = nx.MultiDiGraph()
        for key in sorted(self.nodes):
            graph.add_node(key, **_attributes(key, self.nodes[key], terms))
        for source, target, predicate in sorted(self.edges):
            label_en, label_zh = terms.names(predicate)
            graph.add_edge(source, target, key=predicate, predicate=predicate, label_en=label_en, label_zh=label_zh)
        used = {p for d in self.nodes.values() for p, *_ in d.literals | d.links} | {p for *_, p in self.edges}
        graph.graph["terms"] = {p: list(terms.names(p)) for p in sorted(used)}
        return graph


class Labels:
    """English and Chinese names of classes and properties, from the nodes being built and from the store."""

    def __init__(self, store: GraphStore | None, known: dict[str, _Description]) -> None:
        self.store = store
        self.known = known
        self.cache: dict[str, tuple[str, str]] = {}

    def names(self, iri: str) -> tuple[str, str]:
        """(English, Chinese) name of ``iri``; its CURIE's local part when it has no label."""
        if iri not in self.cache:
            found = self._labels(iri)
            fallback = local_name(iri)
            self.cache[iri] = (pick(found, "en") or fallback, pick(found, "zh-Hans") or pick(found, "en") or fallback)
        return self.cache[iri]

    def _labels(self, iri: str) -> list[tuple[str, str]]:
        if iri in self.known and self.known[iri].values(_LABEL):
            return self.known[iri].values(_LABEL)
        if self.store is None or iri.startswith("_:"):
            return []
        quads = self.store.match(ox.NamedNode(iri), ox.NamedNode(RDFS.label))
        literals = [q.object for q in quads if isinstance(q.object, ox.Literal)]
        return [(literal.value, written_tag(literal.language or "")) for literal in literals]


def local_name(iri: str) -> str:
    """The readable end of an IRI: after its last ``#``, ``/`` or ``:``.

    >>> local_name("https://w3id.org/sce/ontology#hasForm"), local_name("_:b1")
    ('hasForm', '_:b1')
    """
    if iri.startswith("_:"):
        return iri
    for sep in ("#", "/", ":"):
        _, found, tail = iri.rstrip("/#").rpartition(sep)
        if found and tail:
            return tail
    return iri


#: Classes that say nothing of what a node is (OWL's marker of an individual, its top class): drawn by only when a node
#: has no other.
BARE_CLASSES = frozenset({str(OWL.NamedIndividual), str(OWL.Thing)})


def main_class(types: set[str]) -> str:
    """The class a node is drawn as: one of the project's own classes when it has one, else the first by IRI that
    says more than ``owl:NamedIndividual``.

    >>> main_class({"https://schema.org/Organization", SCE.Enterprise}) == SCE.Enterprise
    True
    >>> main_class({str(OWL.NamedIndividual), "https://schema.org/CreativeWork"})
    'https://schema.org/CreativeWork'
    """
    own = sorted(t for t in types if t.startswith(str(SCE)))
    telling = sorted(t for t in types if t not in BARE_CLASSES)
    return (own or telling or sorted(types) or [""])[0]


def _attributes(key: str, node: _Description, terms: Labels) -> dict[str, Any]:
    """The networkx attributes of one node."""
    labels = node.values(_LABEL)
    fallback = local_name(key)
    cls = main_class(node.types)
    class_en, class_zh = terms.names(cls) if cls else ("", "")
    definitions = node.values(_DEFINITION)
    every = {v for p, v, _ in node.literals if p in _LABEL + _ALT}
    return {
        "iri": key,
        "curie": curie(key),
        "label_en": pick(labels, "en") or fallback,
        "label_zh": pick(labels, "zh-Hans") or pick(labels, "en") or fallback,
        "labels": sorted(every),
        "types": sorted(node.types),
        "class": cls,
        "class_en": class_en,
        "class_zh": class_zh,
        "definition_en": pick(definitions, "en"),
        "definition_zh": pick(definitions, "zh-Hans"),
        "literals": [list(t) for t in sorted(node.literals)],
        "links": [list(t) for t in sorted(node.links)],
    }


def declared_annotations(store: GraphStore | None) -> frozenset[str]:
    """The properties ``store`` declares ``owl:AnnotationProperty``."""
    if store is None:
        return frozenset()
    quads = store.match(None, ox.NamedNode(RDF.type), ox.NamedNode(OWL.AnnotationProperty))
    return frozenset(q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode))


# --- Entry points -----------------------------------------------------------------------------------------------------


def from_triples(
    triples: Iterable[ox.Triple], *, store: GraphStore | None = None, describe: bool = True
) -> nx.MultiDiGraph:
    """The graph of ``triples`` as they are: their resources as nodes, their links as edges.

    Args:
        triples: the statements, e.g. a CONSTRUCT or DESCRIBE result.
        store: where to look up labels of classes and properties, and (with ``describe``) each node's own labels,
            types and literals, so that a result that only links nodes still shows their names.
        describe: add what ``store`` says about each node as attributes (never as edges).
    """
    builder = _Builder(store)
    for triple in triples:
        builder.add(triple)
    if describe:
        builder.describe()
    return builder.graph()


def from_resources(store: GraphStore, resources: Iterable[Node]) -> nx.MultiDiGraph:
    """The graph of ``resources`` (e.g. the IRIs of a SELECT result) and the links among them in ``store``."""
    builder = _Builder(store)
    for term in resources:
        builder.node(term)
    builder.describe(restrict=set(builder.nodes))
    return builder.graph()


def from_store(store: GraphStore) -> nx.MultiDiGraph:
    """The whole graph of ``store``: every resource and link, except the vocabulary's own declarations."""
    triples = store.query(WHOLE_GRAPH, source="whole graph").stream()
    return from_triples(triples, store=store, describe=False)


def from_result(result: Result, store: GraphStore, *, also: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The graph of a query's result: a CONSTRUCT or DESCRIBE graph as it is; the resources of SELECT rows and the
    links among them.

    Args:
        also: IRIs to draw besides the rows' resources, such as the nodes a named query's parameters name (a query
            leaves its parameters out of its rows).

    Raises:
        KGError: an ASK result, which has no graph.
    """
    if result.kind == "graph":
        return from_triples(result.triples, store=store)
    if result.kind == "select":
        cells = [v for row in result.rows for v in row if isinstance(v, ox.NamedNode)]
        return from_resources(store, [*cells, *map(ox.NamedNode, also)])
    raise KGError("an ASK query answers yes or no and has no graph to draw; use SELECT, CONSTRUCT or DESCRIBE")


def neighbourhood(graph: nx.MultiDiGraph, centre: str, *, radius: int = 1) -> nx.MultiDiGraph:
    """The part of ``graph`` within ``radius`` links of ``centre``, either direction, with the links among it."""
    reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=radius)
    part = nx.MultiDiGraph(**graph.graph)
    part.add_nodes_from((n, graph.nodes[n]) for n in sorted(reach))
    part.add_edges_from(
        sorted((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if u in reach and v in reach)
    )
    return part


# --- Labelled views for people and tools -----------------------------------------------------------------------------


def with_labels(graph: nx.MultiDiGraph, *, lang: str = "en") -> nx.MultiDiGraph:
    """``graph`` with ``label`` (in ``lang``) and ``title`` (both names, class, CURIE) on every node and edge.

    ``label`` and ``title`` are what pyvis draws and Gephi shows. ``title`` is text with ``<``, ``>`` and ``&``
    written as HTML entities: pyvis's own page puts a title that holds "href" into ``innerHTML``.
    """
    zh = is_chinese(lang)
    for _, data in graph.nodes(data=True):
        data["label"] = (data.get("label_zh") if zh else data.get("label_en")) or data.get("curie") or ""
        about = [_both(data), data.get("class_zh" if zh else "class_en", ""), data.get("curie", "")]
        about.append(data.get("definition_zh" if zh else "definition_en", ""))
        data["title"] = html.escape("\n".join(a for a in about if a), quote=False)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["label"] = (data.get("label_zh") if zh else data.get("label_en")) or curie(key)
        data["title"] = html.escape("\n".join(a for a in (_both(data), curie(key)) if a), quote=False)
    return graph


def _both(data: dict[str, Any]) -> str:
    """The English and Chinese names of a node or edge, once when they are the same."""
    names = [data.get("label_en") or "", data.get("label_zh") or ""]
    return " · ".join(dict.fromkeys(n for n in names if n))


def result_network(result: Result, store: GraphStore | None, *, lang: str = "en") -> nx.MultiDiGraph:
    """The network view of ``result`` (see ``from_result``) from the ``store`` it came from, with ``label`` and
    ``title``.

    Raises:
        KGError: an ASK result, or SELECT rows without the store they came from.
    """
    if store is None:
        if result.kind != "graph":
            raise KGError("drawing SELECT rows needs the store they came from: ask through kg.open().query(...)")
        return with_labels(from_triples(result.triples), lang=lang)
    return with_labels(from_result(result, store, also=result.given), lang=lang)


def store_network(
    store: GraphStore, centre: str | None = None, *, radius: int = 1, lang: str = "en"
) -> nx.MultiDiGraph:
    """The whole graph of ``store``, or the part within ``radius`` links of the node ``centre`` names, labelled."""
    graph = from_store(store)
    if centre is not None:
        graph = neighbourhood(graph, resolve(store, centre), radius=radius)
    return with_labels(graph, lang=lang)
