"""What a worker is asked and how it answers: the :class:`Job`, the :class:`Sink` its answer goes to, and the
:class:`HTTPError` it fails with before it writes anything.

Both :mod:`kg.serve.jobs` (queries and pages) and :mod:`kg.serve.graphstore` (the graph store's reads and writes)
build on these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from .. import jsonld
from ..errors import KGError
from ..results import WRITERS, Result, WriteOptions
from ..stores import GraphStore
from .routes import WRITES


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


def write_result(result: Result, job: Job, sink: Sink) -> None:
    """Write ``result`` to ``sink`` with the job's writer, status 200."""
    sink.start(200, WRITERS[job.format].media_type)
    result.write(sink, job.format, options=WriteOptions())  # type: ignore[arg-type]


def write_described(triples: list[ox.Triple], job: Job, sink: Sink) -> None:
    """What the server says about one of the graph's IRIs: as JSON-LD, compact with kg's context (for web
    developers, who read it as JSON); in the other formats, by their writers."""
    if job.format != "jsonld":
        write_result(Result.from_triples(triples), job, sink)
        return

    sink.start(200, WRITERS["jsonld"].media_type)
    sink.write(jsonld.compact(triples))


def holds(store: GraphStore, graph: str | None) -> bool:
    """Whether the named ``graph`` (None: the default graph) holds at least one statement."""
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return next(store.match(graph=target), None) is not None
