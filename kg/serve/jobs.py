"""What a worker process does for one request: run it on its store and write the answer to a sink.

Every job is plain data (a :class:`Job`), so that it can travel to a worker process; the worker calls :func:`perform`
with its store. A job fails with :class:`HTTPError` (a status and one line) before it writes anything; the HTTP face
turns that into the response.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from ..catalog import bound_text, catalog, run_query
from ..errors import EngineError, KGError
from ..examples import EXAMPLES_PATH, examples
from ..names import UnknownName
from ..results import Result
from ..sparqltext import services
from ..stores import GraphStore
from ..stores.base import WriteFailed
from ..updates import OwnGraphError, UpdateConflict
from ..vocab import GRAPH
from ..void import VOID_PATH, description, void_dataset
from . import (
    browse,  # the pages' templates (Jinja): only a worker asked for a page loads them
    pages,
)
from .graphstore import dataset_get, graph_delete, graph_get, graph_head, graph_post, graph_put
from .routes import JobKind
from .work import HTTPError, Job, Sink
from .work import holds as _holds
from .work import write_described as _write_described
from .work import write_result as _write

__all__ = ["HTTPError", "Job", "Sink", "graph_list", "perform"]


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
    except WriteFailed as error:  # the store's fault, not the request's (its disk full, its folder read-only)
        raise HTTPError(503, str(error)) from None
    except EngineError as error:
        raise engine_failure(job, error) from None
    except UnknownName as error:  # the line for the command line would send the client to `kg sparql`
        raise HTTPError(400, error.served) from None
    except KGError as error:
        raise HTTPError(400, str(error)) from None


def engine_failure(job: Job, error: EngineError) -> HTTPError:
    """The engine's failure as an answer: 502 naming the services the query calls, for the fault is most likely
    theirs (a SERVICE that did not answer, or answered with an error); else 400, as any error of the query."""
    called = services(job.text) if job.kind in ("query", "update", "named-text") else []
    if not called:
        return HTTPError(400, str(error))
    reason = re.sub(r"^.*?the store could not (answer|apply it): ", "", str(error))
    return HTTPError(502, f"SERVICE {' or '.join(called)} failed: {reason}")


def _query(store: GraphStore, job: Job, sink: Sink) -> None:
    result = store.query(
        job.text, default_graphs=job.default_graphs, named_graphs=job.named_graphs, base_iri=job.base or None
    )
    _write(result, job, sink)


def _named(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.text not in catalog():
        raise HTTPError(404, f"no named query {job.text!r}; /openapi.json lists them")
    _write(run_query(store, job.text, dict(job.params)), job, sink)


def _named_text(store: GraphStore, job: Job, sink: Sink) -> None:
    """The SPARQL a named query runs with the job's values (``application/sparql-query``), for the query page's
    editor: what is shown is what ran."""

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


def _mcp(store: GraphStore, job: Job, sink: Sink) -> None:
    from ..mcptools import perform as perform_call  # late: importing kg.mcptools costs ~12 ms

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


def _graph_page(store: GraphStore, job: Job, sink: Sink) -> None:
    lang, here = _page_options(job)
    if job.format != "html":
        graph_get(store, job, sink)
    elif not job.graph or not _holds(store, job.graph):
        _html(sink, pages.not_found_page(store, job.graph or "", lang=lang, here=here, graphs=True), 404)
    else:
        _html(sink, pages.graph_page(store, job.graph, lang=lang, here=here))


def _ontology(store: GraphStore, job: Job, sink: Sink) -> None:
    if job.format == "html":
        given = dict(job.params)
        _html(sink, pages.ontology_html(store, lang=given.get("lang", "en"), here=given.get("here", "/ontology")))
    else:
        graph_get(store, Job(JobKind.GRAPH_GET, format=job.format, graph=GRAPH.ontology), sink)


def _browse(store: GraphStore, job: Job, sink: Sink) -> None:
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
        given = dict(job.params)
        triples = void_dataset(store, dataset, endpoint=job.graph or "")
        _html(sink, pages.void_html(triples, lang=given.get("lang", "en"), here=given.get("here", VOID_PATH)))
        return
    _write(Result.from_triples(void_dataset(store, dataset, endpoint=job.graph or "")), job, sink)


def _examples(store: GraphStore, job: Job, sink: Sink) -> None:
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
    JobKind.GRAPH_GET: graph_get,
    JobKind.DATASET_GET: dataset_get,
    JobKind.GRAPH_HEAD: graph_head,
    JobKind.GRAPH_PUT: graph_put,
    JobKind.GRAPH_POST: graph_post,
    JobKind.GRAPH_DELETE: graph_delete,
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
