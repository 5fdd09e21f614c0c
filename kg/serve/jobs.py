"""What a worker process does for one request: run it on its store and write the answer to a sink.

Every job is plain data (a :class:`Job`), so that it can travel to a worker process; the worker calls :func:`perform`
with its store. A job fails with :class:`HTTPError` (a status and one line) before it writes anything; the HTTP face
turns that into the response.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import InputError, KGError
from ..names import UnknownName
from ..results import RDF_FORMATS, WRITERS, Result, WriteOptions
from ..stores import GraphStore
from ..updates import OwnGraphError, UpdateConflict
from ..vocab import GRAPH, is_own_graph
from ..void import VOID_PATH, description, void_dataset
from .routes import WRITES, JobKind


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
        kind: what to do, a :class:`~kg.serve.routes.JobKind` (for ``browse``, text names the page).
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
    strict: bool = False

    @property
    def writes(self) -> bool:
        """Whether the job changes the store."""
        return self.kind in WRITES


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
    except UnknownName as error:  # the line for the command line would send the client to `kg sparql`
        raise HTTPError(400, error.served) from None
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


def _named_text(store: GraphStore, job: Job, sink: Sink) -> None:
    """The SPARQL a named query runs with the job's values (``application/sparql-query``), for the query page's
    editor: what is shown is what ran."""
    from ..catalog import bound_text, catalog

    query = catalog().get(job.text)
    if query is None:
        raise HTTPError(404, f"no named query {job.text!r}; /openapi.json lists them")
    text = bound_text(store, query, dict(job.params))
    sink.start(200, "application/sparql-query; charset=utf-8")
    sink.write(text.encode())


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
    if job.graph and _keeps_graphs(job.format):  # N-Quads or TriG: the graph's statements with its name
        _write(Result.from_quads(store.match(graph=ox.NamedNode(job.graph))), job, sink)
        return
    if job.graph and job.format == "jsonld":  # a graph's page or the ontology: compact, as the nodes' pages
        _write_described([q.triple for q in store.match(graph=ox.NamedNode(job.graph))], job, sink)
        return
    dataset = [job.graph] if job.graph else []
    _write(store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=dataset, named_graphs=[]), job, sink)


def _keeps_graphs(format: str) -> bool:
    """Whether the writer ``format`` writes statements with their graphs (N-Quads, TriG).

    >>> _keeps_graphs("trig"), _keeps_graphs("turtle")
    (True, False)
    """
    return "dataset" in WRITERS[format].kinds


def _dataset_get(store: GraphStore, job: Job, sink: Sink) -> None:
    """The whole dataset: every statement with its graph (N-Quads, TriG), or in a format of triples the union of the
    graphs, each statement once, as ``/sparql``'s default graph holds them."""
    whole = Result.from_quads(store.quads()) if _keeps_graphs(job.format) else Result.from_triples(store.triples())
    _write(whole, job, sink)


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
    checked = _shapes_checked(store, job, triples, replace=replace)
    store.update(" ;\n".join(operations), source="body")
    sink.start(200 if existed or not job.graph else 201, "text/plain")
    if not (report := checked()).conforms:
        sink.write(f"{report.counted()}; save the body as FILE and run kg validate FILE\n".encode())


def _shapes_checked(store: GraphStore, job: Job, triples: list[ox.Triple], *, replace: bool) -> Any:
    """Check a graph-store write against the shapes, with the nodes it touches: refused now (422) when the server is
    strict, else a function that, once the write is done, says what it broke."""
    from ..validate import Report, check_added, check_arrival

    graph = ox.NamedNode(job.graph) if job.graph else ox.DefaultGraph()
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    if job.strict:
        report = check_arrival(store, quads, replacing=graph if replace else None)
        if not report.conforms:
            raise HTTPError(
                422,
                report.counted()
                + "; nothing written (kg serve --strict); save the body as FILE and run kg validate FILE",
            )
        return lambda: Report(True, [])
    return lambda: check_added(store, quads)


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


def _mcp(store: GraphStore, job: Job, sink: Sink) -> None:
    from ..mcptools import perform as perform_call

    perform_call(store, job, sink)


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
        _write_described(list(pages.resource_triples(store, job.text)), job, sink)


def _write_described(triples: list[ox.Triple], job: Job, sink: Sink) -> None:
    """What the server says about one of the graph's IRIs: as JSON-LD, compact with kg's context (for web
    developers, who read it as JSON); in the other formats, by their writers."""
    if job.format != "jsonld":
        _write(Result.from_triples(triples), job, sink)
        return
    from .. import jsonld

    sink.start(200, WRITERS["jsonld"].media_type)
    sink.write(jsonld.compact(triples))


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
        given = dict(job.params)
        _html(sink, pages.ontology_html(store, lang=given.get("lang", "en"), here=given.get("here", "/ontology")))
    else:
        _graph_get(store, Job(JobKind.GRAPH_GET, format=job.format, graph=GRAPH.ontology), sink)


def _browse(store: GraphStore, job: Job, sink: Sink) -> None:
    from . import browse  # the pages' templates (Jinja): only a worker asked for a page loads them

    try:
        media, body = browse.answer(store, job.text, job.format or "html", job.params)
    except UnknownName as error:
        raise HTTPError(404, error.served) from None
    except KGError as error:
        raise HTTPError(404 if "named" in str(error) else 400, str(error)) from None
    sink.start(200, media)
    sink.write(body)


def _void(store: GraphStore, job: Job, sink: Sink) -> None:
    dataset = ox.NamedNode(job.base + VOID_PATH.lstrip("/") + "#dataset")
    if job.format == "html":
        from . import pages

        given = dict(job.params)
        triples = void_dataset(store, dataset, endpoint=job.graph or "")
        _html(sink, pages.void_html(triples, lang=given.get("lang", "en"), here=given.get("here", VOID_PATH)))
        return
    _write(Result.from_triples(void_dataset(store, dataset, endpoint=job.graph or "")), job, sink)


def _examples(store: GraphStore, job: Job, sink: Sink) -> None:
    from ..examples import EXAMPLES_PATH, examples

    listing = job.base.rstrip("/") + EXAMPLES_PATH
    _write(Result.from_triples(examples(listing, endpoint=job.graph or "")), job, sink)


#: What a worker does for each kind of job.
_JOBS: dict[str, Any] = {
    JobKind.QUERY: _query,
    JobKind.NAMED: _named,
    JobKind.NAMED_TEXT: _named_text,
    JobKind.DESCRIBE: _describe,
    JobKind.MCP: _mcp,
    JobKind.VOID: _void,
    JobKind.EXAMPLES: _examples,
    JobKind.NODE: _node,
    JobKind.GRAPH_PAGE: _graph_page,
    JobKind.ONTOLOGY: _ontology,
    JobKind.BROWSE: _browse,
    JobKind.UPDATE: _update,
    JobKind.GRAPH_GET: _graph_get,
    JobKind.DATASET_GET: _dataset_get,
    JobKind.GRAPH_HEAD: _graph_head,
    JobKind.GRAPH_PUT: _graph_put,
    JobKind.GRAPH_POST: _graph_post,
    JobKind.GRAPH_DELETE: _graph_delete,
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
