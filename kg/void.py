"""The dataset described as data: VoID (the dataset, its graphs as subsets, and its partitions by class, by property
and by class–property–class link, with counts) and the SPARQL service description that includes it.

The partitions follow the shape that the SIB's void-generator writes and sparql-llm reads to learn an endpoint's
schema: each class partition holds property partitions, and each of those says what class (``void:classPartition``)
or datatype (``void-ext:datatypePartition``) its objects have, with how many statements. Every count is the one a
SPARQL ``COUNT`` over ``/sparql``'s default graph (the union of the graphs, each statement once) gives.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence

import pyoxigraph as ox

from .examples import EXAMPLES_PATH, examples
from .results import str_value
from .stores import GraphStore
from .vocab import BASE, DCT, FORMATS, ONTOLOGY_IRI, PREFIXES, RDF, RDFS, SD, VOID, VOID_EXT, XSD

#: Where the server describes its dataset with VoID (RFC 5785's well-known place for it).
VOID_PATH = "/.well-known/void"
#: The licence the data is published under, as the ontology states it.
LICENCE = "SELECT ?licence WHERE { ?ontology dct:license ?licence }"
#: Every property and class the statements use.
TERMS_USED = "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } }"

#: Each class with how many distinct instances it has.
CLASS_COUNTS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER isIRI(?class) } GROUP BY ?class"
#: Each property with how many distinct statements use it.
PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } } GROUP BY ?p"
#: Each class of subjects, property and class of objects, with how many distinct statements link them (the union
#: default graph gives a statement once per graph that holds it: hence the DISTINCT).
LINK_COUNTS = """SELECT ?class ?p ?target (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?class ?s ?p ?o ?target WHERE { ?s ?p ?o . ?s a ?class . ?o a ?target
    FILTER (isIRI(?class) && isIRI(?target)) } }
GROUP BY ?class ?p ?target"""
#: Each class of subjects, property and datatype of literal objects, with how many distinct statements.
DATATYPE_COUNTS = """SELECT ?class ?p ?datatype (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?class ?s ?p ?o ?datatype WHERE { ?s ?p ?o . ?s a ?class
    FILTER (isLiteral(?o) && isIRI(?class)) BIND (DATATYPE(?o) AS ?datatype) } }
GROUP BY ?class ?p ?datatype"""
#: The W3C's names of the formats kg writes, for the service description.
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG",
    "jsonld": "JSON-LD", "rdfxml": "RDF_XML",
}  # fmt: skip


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def description(store: GraphStore, endpoint: str) -> list[ox.Triple]:
    """The SPARQL service description of ``endpoint``: ``sd:Service``, its formats and features, and its dataset,
    described both as ``sd:Dataset`` (the default graph and each named graph with its triples) and by VoID (as
    ``VOID_PATH`` serves it), and the named queries as examples (as ``EXAMPLES_PATH`` serves them)."""
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    iri = _iri
    triples = [
        ox.Triple(service, iri(RDF.type), iri(SD + "Service")),
        ox.Triple(service, iri(SD + "endpoint"), iri(endpoint)),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Update")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "BasicFederatedQuery")),
        ox.Triple(service, iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, iri(RDF.type), iri(SD + "Dataset")),
        ox.Triple(dataset, iri(SD + "defaultGraph"), default),
        ox.Triple(default, iri(RDF.type), iri(SD + "Graph")),
        ox.Triple(default, iri(VOID + "triples"), _count(store.triple_count())),
    ]
    for key in FORMAT_IRIS.values():
        triples.append(ox.Triple(service, iri(SD + "resultFormat"), iri(FORMATS + key)))
    sizes = store.graphs()
    for index, (graph, size) in enumerate(sizes):
        if not graph:
            continue
        named, inner = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, iri(SD + "namedGraph"), named),
            _graph_name(named, graph),
            ox.Triple(named, iri(SD + "graph"), inner),
            ox.Triple(inner, iri(RDF.type), iri(SD + "Graph")),
            ox.Triple(inner, iri(VOID + "triples"), _count(size)),
        ]
    listing = ox.NamedNode(endpoint.rsplit("/", 1)[0] + EXAMPLES_PATH)
    triples.append(ox.Triple(service, iri(RDFS.seeAlso), listing))
    triples += examples(listing.value, endpoint=endpoint)
    return triples + void_dataset(store, dataset, endpoint=endpoint, sizes=sizes)


def void_dataset(
    store: GraphStore,
    dataset: ox.NamedNode | ox.BlankNode,
    *,
    endpoint: str,
    sizes: Sequence[tuple[str, int]] | None = None,
) -> list[ox.Triple]:
    """A VoID description of the store as the dataset ``dataset``: its title, licence (as the ontology states it),
    SPARQL endpoint, triples (of the union of its graphs, each triple once, as the endpoint's default graph holds
    them), the vocabularies its statements use, and each named graph as a subset with its triples
    (the subset is named by the graph's IRI, but for a ``file:`` graph: see :func:`_subset`).

    Args:
        sizes: the store's graphs with their triples, when the caller has them already.
    """
    iri = _iri
    triples = [
        ox.Triple(dataset, iri(RDF.type), iri(VOID + "Dataset")),
        ox.Triple(dataset, iri(DCT.term("title")), ox.Literal("Social e-commerce knowledge graph", language="en")),
        ox.Triple(dataset, iri(DCT.term("title")), ox.Literal("社交电商知识图谱", language="zh-Hans")),
        ox.Triple(dataset, iri(VOID + "sparqlEndpoint"), iri(endpoint)),
        ox.Triple(dataset, iri(VOID + "uriSpace"), ox.Literal(BASE)),
        ox.Triple(dataset, iri(VOID + "triples"), _count(store.triple_count())),
    ]
    for licence in store.select(LICENCE, ontology=iri(ONTOLOGY_IRI)):
        triples.append(ox.Triple(dataset, iri(DCT.license), licence["licence"]))
    triples += [ox.Triple(dataset, iri(VOID + "vocabulary"), iri(v)) for v in vocabularies(store)]
    for index, (graph, size) in enumerate(store.graphs() if sizes is None else sizes):
        if graph:
            subset = _subset(graph, index)
            triples += [
                ox.Triple(dataset, iri(VOID + "subset"), subset),
                ox.Triple(subset, iri(RDF.type), iri(VOID + "Dataset")),
                ox.Triple(subset, iri(VOID + "triples"), _count(size)),
            ]
            if isinstance(subset, ox.BlankNode):
                triples.append(ox.Triple(subset, iri(DCT.term("title")), ox.Literal(_file_name(graph))))
    return triples + partitions(store, dataset)


def _counted(store: GraphStore, sparql: str) -> list[tuple[tuple[str, ...], int]]:
    """The rows of a counting query: the values of its grouping variables (as text), and the count; sorted."""
    rows = []
    for row in store.query(sparql).rows:
        if None not in row:
            rows.append((tuple(str_value(term) for term in row[:-1]), int(str_value(row[-1]))))
    return sorted(rows)


def partitions(store: GraphStore, dataset: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
    """The partitions of ``dataset``: one ``void:propertyPartition`` per property (``void:triples``), one
    ``void:classPartition`` per class (``void:entities``), and inside each class partition one property partition per
    property its instances use with a class or a datatype of objects (``void:triples``).

    The nodes are blank, named in a fixed order (``class3``, ``class3-link5`` …), so that the same store always
    gives the same description."""
    iri, triples = _iri, []
    for index, ((prop,), count) in enumerate(_counted(store, PROPERTY_COUNTS)):
        node = ox.BlankNode(f"property{index}")
        triples += [
            ox.Triple(dataset, iri(VOID + "propertyPartition"), node),
            ox.Triple(node, iri(VOID + "property"), iri(prop)),
            ox.Triple(node, iri(VOID + "triples"), _count(count)),
        ]
    classes: dict[str, ox.BlankNode] = {}
    for index, ((cls,), count) in enumerate(_counted(store, CLASS_COUNTS)):
        node = classes[cls] = ox.BlankNode(f"class{index}")
        triples += [
            ox.Triple(dataset, iri(VOID + "classPartition"), node),
            ox.Triple(node, iri(VOID + "class"), iri(cls)),
            ox.Triple(node, iri(VOID + "entities"), _count(count)),
        ]
    links = [(key, n, VOID + "classPartition", VOID + "class") for key, n in _counted(store, LINK_COUNTS)]
    typed = _counted(store, DATATYPE_COUNTS)
    links += [(key, n, VOID_EXT + "datatypePartition", VOID_EXT + "datatype") for key, n in typed]
    for index, ((cls, prop, target), count, partition, kind) in enumerate(links):
        node, inner = ox.BlankNode(f"link{index}"), ox.BlankNode(f"link{index}-objects")
        triples += [
            ox.Triple(classes[cls], iri(VOID + "propertyPartition"), node),
            ox.Triple(node, iri(VOID + "property"), iri(prop)),
            ox.Triple(node, iri(VOID + "triples"), _count(count)),
            ox.Triple(node, iri(partition), inner),
            ox.Triple(inner, iri(kind), iri(target)),
        ]
    return triples


def _graph_name(named: ox.BlankNode, graph: str) -> ox.Triple:
    """The name of a named graph in the service description: ``sd:name``, except for a ``file:`` graph (a ``--data``
    file's), whose IRI is a path on the server's disk: titled by the file's name only, as VoID's subset is.

    >>> _graph_name(ox.BlankNode("n"), "file:///home/me/shops.ttl").object.value
    'shops.ttl'
    """
    if graph.startswith("file:"):
        return ox.Triple(named, _iri(DCT.term("title")), ox.Literal(_file_name(graph)))
    return ox.Triple(named, _iri(SD + "name"), _iri(graph))


def _file_name(graph: str) -> str:
    """The name of the file a ``file:`` graph was read from, without its folders.

    >>> _file_name("file:///home/me/%E5%BA%97.ttl")
    '店.ttl'
    """
    return urllib.parse.unquote(graph.rstrip("/").rsplit("/", 1)[-1])


def _subset(graph: str, index: int) -> ox.NamedNode | ox.BlankNode:
    """The VoID subset of a named graph: named by the graph's IRI, except a ``file:`` graph (a ``--data`` file's),
    whose IRI is a path on the server's disk that VoID would publish: a blank node, titled by the file's name.

    >>> _subset("https://w3id.org/sce/graph/seed", 3), _subset("file:///home/me/shops.ttl", 3)
    (<NamedNode value=https://w3id.org/sce/graph/seed>, <BlankNode value=subset3>)
    """
    return ox.BlankNode(f"subset{index}") if graph.startswith("file:") else ox.NamedNode(graph)


def vocabularies(store: GraphStore) -> list[str]:
    """The vocabularies (of the prefixes kg knows) whose properties or classes the store's statements use, each named
    as VoID advises: a hash namespace without its ``#`` (``http://www.w3.org/2004/02/skos/core``), a slash namespace
    as it is (``https://schema.org/``)."""
    used = {str_value(row[0]) for row in store.query(TERMS_USED).rows}
    found = set()
    for prefix, namespace in PREFIXES.items():
        if prefix != "id" and any(term.startswith(namespace) for term in used):
            found.add(namespace.removesuffix("#"))
    return sorted(found)


def _count(size: int) -> ox.Literal:
    return ox.Literal(str(size), datatype=_INTEGER)


_INTEGER = ox.NamedNode(XSD.integer)
