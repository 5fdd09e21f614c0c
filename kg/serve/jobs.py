"""What a worker process does for one request: run it on its store and write the answer to a sink.

Every job is plain data (a :class:`Job`), so that it can travel to a worker process; the worker calls :func:`perform`
with its store. A job fails with :class:`HTTPError` (a status and one line) before it writes anything; the HTTP face
turns that into the response.
"""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import InputError, KGError
from ..results import RDF_FORMATS, WRITERS, Result, WriteOptions, str_value
from ..stores import GraphStore
from ..stores.rdffiles import is_own_graph
from ..updates import OwnGraphError, UpdateConflict
from ..vocab import BASE, DCT, GRAPH, ONTOLOGY_IRI, PREFIXES

#: Where the server describes its dataset with VoID (RFC 5785's well-known place for it).
VOID_PATH = "/.well-known/void"
#: The licence the data is published under, as the ontology states it.
LICENCE = "SELECT ?licence WHERE { ?ontology dct:license ?licence }"
#: Every property and class the statements use.
TERMS_USED = "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } }"

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
#: The W3C's names of the formats kg writes, for the service description.
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG",
    "jsonld": "JSON-LD", "rdfxml": "RDF_XML",
}  # fmt: skip


class HTTPError(KGError):
    """A request that cannot be answered: its HTTP status and one line saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        #: Headers the answer carries besides the status (``Vary`` on a negotiated resource).
        self.headers: dict[str, str] = {}


class Sink(Protocol):
    """Where a job writes its answer: the status and media type first, then the bytes."""

    def start(self, status: int, media_type: str, headers: dict[str, str] | None = None) -> None: ...

    def write(self, data: bytes) -> int: ...


@dataclass(frozen=True)
class Job:
    """One request for a worker.

    Attributes:
        kind: ``query``, ``named``, ``describe``, ``void``, ``update``, ``graph-get``, ``graph-head`` (whether the
            graph is there, without its triples), ``graph-put``, ``graph-post``, ``graph-delete``; for the pages:
            ``node``, ``graph-page``, ``ontology``, ``browse`` (home, search, suggest, browse, timeline: text names
            which).
        text: the SPARQL, the named query's name, the body of a graph-store write, or the IRI of a node's page.
        format: the writer to use (a name in WRITERS, or ``html`` for a page), or the media type of a body written.
        graph: the graph of a graph-store request or graph page (None: the default graph); the endpoint's URL for
            ``describe`` and ``void``.
        params: a named query's values; a page's ``lang`` and ``here`` (its path and query, for the language
            switch).
    """

    kind: str
    text: str = ""
    format: str = ""
    graph: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    params: tuple[tuple[str, str], ...] = ()
    body: bytes = field(default=b"", repr=False)
    base: str = ""

    @property
    def writes(self) -> bool:
        """Whether the job changes the store."""
        return self.kind in ("update", "graph-put", "graph-post", "graph-delete")


def perform(store: GraphStore, job: Job, sink: Sink) -> None:
    """Run ``job`` on ``store``, writing its answer to ``sink``.

    Raises:
        HTTPError: the request cannot be answered (nothing has been written yet).
    """
    try:
        _JOBS[job.kind](store, job, sink)
    except HTTPError:
        raise
    except OwnGraphError as error:
        raise HTTPError(403, str(error)) from None
    except UpdateConflict as error:
        raise HTTPError(400, str(error)) from None
    except KGError as error:
        raise HTTPError(400, str(error)) from None


def _write(result: Result, job: Job, sink: Sink) -> None:
    sink.start(200, WRITERS[job.format].media_type)
    result.write(sink, job.format, options=WriteOptions())  # type: ignore[arg-type]


def _query(store: GraphStore, job: Job, sink: Sink) -> None:
    result = store.query(
        job.text, default_graphs=job.default_graphs, named_graphs=job.named_graphs, base_iri=job.base or None
    )
    _write(result, job, sink)


def _named(store: GraphStore, job: Job, sink: Sink) -> None:
    from ..catalog import catalog, run_query

    if job.text not in catalog():
        raise HTTPError(404, f"no named query {job.text!r}; /openapi.json lists them")
    _write(run_query(store, job.text, dict(job.params)), job, sink)


def _update(store: GraphStore, job: Job, sink: Sink) -> None:
    store.update(
        job.text,
        using_graphs=job.default_graphs or (),
        using_named_graphs=job.named_graphs or (),
        base_iri=job.base or None,
    )
    sink.start(204, "text/plain")


def _holds(store: GraphStore, graph: str | None) -> bool:
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return next(store.match(graph=target), None) is not None


def _graph_get(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is not None and not _holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    dataset = [job.graph] if job.graph else []
    _write(store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=dataset, named_graphs=[]), job, sink)


def _graph_head(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is not None and not _holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    sink.start(200, WRITERS[job.format].media_type)


def _parsed(job: Job) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_media_type(job.format)
    if fmt is None:
        raise HTTPError(415, f"cannot read {job.format!r}; send one of: {', '.join(_readable())}")
    try:
        quads = list(ox.parse(job.body, format=fmt, base_iri=job.graph or job.base or None))
    except (SyntaxError, ValueError) as error:
        raise InputError(" ".join(str(error).split())[:200], source="body") from None
    return [q.triple for q in quads]


def _readable() -> list[str]:
    return [WRITERS[name].media_type for name in RDF_FORMATS]


def _graph_write(store: GraphStore, job: Job, sink: Sink, *, replace: bool) -> None:
    if job.graph and is_own_graph(job.graph):
        raise HTTPError(403, f"<{job.graph}> is one of kg's own graphs; write into a graph of yours")
    triples = _parsed(job)
    existed = _holds(store, job.graph)
    target = f"GRAPH {ox.NamedNode(job.graph)}" if job.graph else "DEFAULT"
    lines = "".join(f"{t} .\n" for t in triples)
    inside = f"GRAPH {ox.NamedNode(job.graph)} {{\n{lines}}}" if job.graph else lines
    operations = [f"DROP SILENT {target}"] if replace else []
    operations.append(f"INSERT DATA {{ {inside} }}")
    store.update(" ;\n".join(operations), source="body")
    sink.start(200 if existed or not job.graph else 201, "text/plain")


def _graph_put(store: GraphStore, job: Job, sink: Sink) -> None:
    _graph_write(store, job, sink, replace=True)


def _graph_post(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is None and job.base:  # POST to the graph store itself: a new graph, named here
        graph = f"{job.base.rstrip('/')}/store/{uuid.uuid4()}"
        fresh = Job("graph-post", format=job.format, graph=graph, body=job.body)
        _graph_write(store, fresh, _Created(sink, graph), replace=False)
        return
    _graph_write(store, job, sink, replace=False)


class _Created:
    def __init__(self, sink: Sink, location: str) -> None:
        self.sink = sink
        self.location = location

    def start(self, status: int, media_type: str, headers: dict[str, str] | None = None) -> None:
        self.sink.start(201, media_type, {"Location": self.location})

    def write(self, data: bytes) -> int:
        return self.sink.write(data)


def _graph_delete(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph and is_own_graph(job.graph):
        raise HTTPError(403, f"<{job.graph}> is one of kg's own graphs; it cannot be deleted")
    if job.graph is not None and not _holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    store.update(f"DROP SILENT GRAPH {ox.NamedNode(job.graph)}" if job.graph else "DROP SILENT DEFAULT")
    sink.start(204, "text/plain")


def _describe(store: GraphStore, job: Job, sink: Sink) -> None:
    _write(Result.from_triples(description(store, job.graph or "")), job, sink)


def _page_options(job: Job) -> tuple[str, str]:
    """A page's language and its own path with its query."""
    options = dict(job.params)
    return options.get("lang", "en"), options.get("here", "/")


def _html(sink: Sink, text: str, status: int = 200) -> None:
    sink.start(status, "text/html")
    sink.write(text.encode("utf-8"))


def _node(store: GraphStore, job: Job, sink: Sink) -> None:
    from . import pages

    if not pages.exists(store, job.text):
        if job.format != "html":
            raise HTTPError(404, pages.close_line(store, job.text))
        lang, here = _page_options(job)
        _html(sink, pages.not_found_page(store, job.text, lang=lang, here=here), 404)
    elif job.format == "html":
        lang, here = _page_options(job)
        if pages.names_graph(store, job.text):  # /node?iri=G for a graph G outside kg's paths (a --data file's)
            _html(sink, pages.graph_page(store, job.text, lang=lang, here=here))
        else:
            _html(sink, pages.node_page(store, job.text, lang=lang, here=here))
    else:
        _write(Result.from_triples(list(pages.resource_triples(store, job.text))), job, sink)


def _graph_page(store: GraphStore, job: Job, sink: Sink) -> None:
    from . import pages

    lang, here = _page_options(job)
    if job.format != "html":
        _graph_get(store, job, sink)
    elif not job.graph or not _holds(store, job.graph):
        _html(sink, pages.not_found_page(store, job.graph or "", lang=lang, here=here, graphs=True), 404)
    else:
        _html(sink, pages.graph_page(store, job.graph, lang=lang, here=here))


def _ontology(store: GraphStore, job: Job, sink: Sink) -> None:
    from . import pages

    if job.format == "html":
        _html(sink, pages.ontology_html(store))
    else:
        _graph_get(store, Job("graph-get", format=job.format, graph=GRAPH.ontology), sink)


def _browse(store: GraphStore, job: Job, sink: Sink) -> None:
    from . import browse

    browse.perform(store, job, sink)


def _void(store: GraphStore, job: Job, sink: Sink) -> None:
    dataset = ox.NamedNode(job.base + VOID_PATH.lstrip("/") + "#dataset")
    _write(Result.from_triples(void_dataset(store, dataset, endpoint=job.graph or "")), job, sink)


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def description(store: GraphStore, endpoint: str) -> list[ox.Triple]:
    """The SPARQL service description of ``endpoint``: ``sd:Service``, its formats and features, and its dataset,
    described both as ``sd:Dataset`` (the default graph and each named graph with its triples) and by VoID (as
    ``VOID_PATH`` serves it)."""
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    iri = _iri
    triples = [
        ox.Triple(service, iri(RDF_TYPE), iri(SD + "Service")),
        ox.Triple(service, iri(SD + "endpoint"), iri(endpoint)),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Update")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "BasicFederatedQuery")),
        ox.Triple(service, iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, iri(RDF_TYPE), iri(SD + "Dataset")),
        ox.Triple(dataset, iri(SD + "defaultGraph"), default),
        ox.Triple(default, iri(RDF_TYPE), iri(SD + "Graph")),
        ox.Triple(default, iri(VOID + "triples"), _count(store.triple_count())),
    ]
    for key in FORMAT_IRIS.values():
        triples.append(ox.Triple(service, iri(SD + "resultFormat"), iri(W3C_FORMATS + key)))
    sizes = store.graphs()
    for index, (graph, size) in enumerate(sizes):
        if not graph:
            continue
        named, inner = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, iri(SD + "namedGraph"), named),
            ox.Triple(named, iri(SD + "name"), iri(graph)),
            ox.Triple(named, iri(SD + "graph"), inner),
            ox.Triple(inner, iri(RDF_TYPE), iri(SD + "Graph")),
            ox.Triple(inner, iri(VOID + "triples"), _count(size)),
        ]
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
        ox.Triple(dataset, iri(RDF_TYPE), iri(VOID + "Dataset")),
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
                ox.Triple(subset, iri(RDF_TYPE), iri(VOID + "Dataset")),
                ox.Triple(subset, iri(VOID + "triples"), _count(size)),
            ]
            if isinstance(subset, ox.BlankNode):
                title = urllib.parse.unquote(graph.rstrip("/").rsplit("/", 1)[-1])
                triples.append(ox.Triple(subset, iri(DCT.term("title")), ox.Literal(title)))
    return triples


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


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

_JOBS: dict[str, Any] = {
    "query": _query,
    "named": _named,
    "describe": _describe,
    "void": _void,
    "node": _node,
    "graph-page": _graph_page,
    "ontology": _ontology,
    "browse": _browse,
    "update": _update,
    "graph-get": _graph_get,
    "graph-head": _graph_head,
    "graph-put": _graph_put,
    "graph-post": _graph_post,
    "graph-delete": _graph_delete,
}


def graph_list(values: Sequence[str]) -> tuple[str, ...]:
    """The graph IRIs a request names, checked.

    Raises:
        HTTPError: one of them is not an IRI (400).
    """
    checked = []
    for value in values:
        try:
            checked.append(ox.NamedNode(value).value)
        except ValueError:
            raise HTTPError(400, f"{value!r} is not an IRI") from None
    return tuple(checked)
