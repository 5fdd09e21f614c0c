"""The graph store (SPARQL 1.1 Graph Store HTTP Protocol) as jobs a worker runs: reading a graph or the whole
dataset, and writing one (PUT replaces it, POST adds to it, DELETE drops it).

A write's body is RDF in the format its media type names; kg's own graphs are never written.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pyoxigraph as ox

from ..results import RDF_FORMATS, WRITERS, Result
from ..stores import GraphStore
from ..stores.rdffiles import parse_data
from ..vocab import is_own_graph
from .work import HTTPError, Job, Sink, holds, write_described, write_result


def graph_get(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is not None and not holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    if job.graph and keeps_graphs(job.format):  # N-Quads or TriG: the graph's statements with its name
        write_result(Result.from_quads(store.match(graph=ox.NamedNode(job.graph))), job, sink)
        return
    if job.graph and job.format == "jsonld":  # a graph's page or the ontology: compact, as the nodes' pages
        write_described([q.triple for q in store.match(graph=ox.NamedNode(job.graph))], job, sink)
        return
    dataset = [job.graph] if job.graph else []
    write_result(store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=dataset, named_graphs=[]), job, sink)


def keeps_graphs(format: str) -> bool:
    """Whether the writer ``format`` writes statements with their graphs (N-Quads, TriG).

    >>> keeps_graphs("trig"), keeps_graphs("turtle")
    (True, False)
    """
    return "dataset" in WRITERS[format].kinds


def dataset_get(store: GraphStore, job: Job, sink: Sink) -> None:
    """The whole dataset: every statement with its graph (N-Quads, TriG), or in a format of triples the union of the
    graphs, each statement once, as ``/sparql``'s default graph holds them."""
    whole = Result.from_quads(store.quads()) if keeps_graphs(job.format) else Result.from_triples(store.triples())
    write_result(whole, job, sink)


def graph_head(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is not None and not holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    sink.start(200, WRITERS[job.format].media_type)


def _parsed(job: Job) -> list[ox.Triple]:
    """The triples of a write's body, read as ``kg load`` reads a file (RDF 1.2, RDF/XML checked first); an error
    names the body's own line and column."""
    fmt = ox.RdfFormat.from_media_type(job.format)
    if fmt is None:
        raise HTTPError(415, f"cannot read {job.format!r}; send one of: {', '.join(_readable())}")
    return [q.triple for q in parse_data(job.body, fmt, source="body", base_iri=job.graph or job.base or None)]


def _readable() -> list[str]:
    return [WRITERS[name].media_type for name in RDF_FORMATS]


def _graph_write(store: GraphStore, job: Job, sink: Sink, *, replace: bool) -> None:
    if job.graph and is_own_graph(job.graph):
        raise HTTPError(403, f"<{job.graph}> is one of kg's own graphs; write into a graph of yours")
    triples = _parsed(job)
    existed = holds(store, job.graph)
    checked = _shapes_checked(store, job, triples, replace=replace)
    store.write_graph(job.graph, triples, replace=replace)
    sink.start(200 if existed or not job.graph else 201, "text/plain")
    if not (report := checked()).conforms:
        sink.write(f"{report.counted()}; save the body as FILE and run kg validate FILE\n".encode())


def _shapes_checked(store: GraphStore, job: Job, triples: list[ox.Triple], *, replace: bool) -> Any:
    """Check a graph-store write against the shapes, with the nodes it touches: refused now (422) when the server is
    strict, else a function that, once the write is done, says what it broke."""
    from ..validate import Report, check, check_arrival, touched  # late: importing kg.validate costs ~9 ms

    if job.strict:
        graph = ox.NamedNode(job.graph) if job.graph else ox.DefaultGraph()
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        report = check_arrival(store, quads, replacing=graph if replace else None)
        if not report.conforms:
            raise HTTPError(
                422,
                report.counted()
                + "; nothing written (kg serve --strict); save the body as FILE and run kg validate FILE",
            )
        return lambda: Report(True, [])
    focus = touched(triples)  # the statements themselves are the store's once written
    return lambda: check(store, focus=focus)


def graph_put(store: GraphStore, job: Job, sink: Sink) -> None:
    _graph_write(store, job, sink, replace=True)


def graph_post(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph is None and job.base:  # POST to the graph store itself: a new graph, named here
        graph = f"{job.base.rstrip('/')}/store/{uuid.uuid4()}"
        fresh = dataclasses.replace(job, graph=graph, base="")
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


def graph_delete(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.graph and is_own_graph(job.graph):
        raise HTTPError(403, f"<{job.graph}> is one of kg's own graphs; it cannot be deleted")
    if job.graph is not None and not holds(store, job.graph):
        raise HTTPError(404, f"no graph <{job.graph}> in the store")
    store.update(f"DROP SILENT GRAPH {ox.NamedNode(job.graph)}" if job.graph else "DROP SILENT DEFAULT")
    sink.start(204, "text/plain")
