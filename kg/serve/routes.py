"""Every route of ``kg serve`` in one table: its path, methods, kind, handler, jobs, whether the short way may answer
it, and what is kept of its answers.

The application (:func:`kg.serve.app.create_app`) builds Starlette's routes from :data:`ROUTES`, the short way past
Starlette (:mod:`kg.serve.direct`) takes the rows marked ``direct``, the pool keeps the answers of the jobs that
:data:`KEPT` names, and the headers an answer carries follow from its route's kind (:func:`varies`). A new route is
one row here and its handler.

>>> [row.path for row in ROUTES if row.direct]
['/sparql', '/api/{name}']
>>> JobKind.GRAPH_GET in KEPT, JobKind.UPDATE in KEPT, JobKind.NODE in KEPT
(True, False, False)
>>> sorted(varies(ROUTES[0]))
['GET', 'POST']
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..examples import EXAMPLES_PATH
from ..jsonld import CONTEXT_PATH
from ..vocab import ID
from ..void import VOID_PATH


class JobKind(str, enum.Enum):
    """What a worker is asked to do (see :class:`kg.serve.jobs.Job`); each kind is one function of the worker.

    A kind is its name as a string, in every way: equal, hashed and printed alike, so that a job made with either is
    the same job (in the cache, in the worker's table).

    >>> JobKind.GRAPH_GET == "graph-get", hash(JobKind.GRAPH_GET) == hash("graph-get"), f"{JobKind.GRAPH_GET}"
    (True, True, 'graph-get')
    >>> import pickle; type(pickle.loads(pickle.dumps(JobKind.QUERY)))
    <class 'str'>
    """

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return str.__str__(self)

    def __reduce_ex__(self, protocol: object) -> tuple[type[str], tuple[str]]:
        """A job crosses the pipe to its worker with its kind as the plain string (~5 µs less a request)."""
        return str, (str.__str__(self),)

    QUERY = "query"
    NAMED = "named"
    #: A named query's SPARQL with its values in place (``Accept: application/sparql-query`` at ``/api/NAME``).
    NAMED_TEXT = "named-text"
    #: The SPARQL service description (``GET /sparql`` without a query).
    DESCRIBE = "describe"
    VOID = "void"
    EXAMPLES = "examples"
    UPDATE = "update"
    GRAPH_GET = "graph-get"
    #: Whether a graph is there, without its triples.
    GRAPH_HEAD = "graph-head"
    #: Every graph of the store (``GET /store``).
    DATASET_GET = "dataset-get"
    GRAPH_PUT = "graph-put"
    GRAPH_POST = "graph-post"
    GRAPH_DELETE = "graph-delete"
    NODE = "node"
    GRAPH_PAGE = "graph-page"
    ONTOLOGY = "ontology"
    #: The pages of :mod:`kg.serve.browse`: home, search, suggest, browse, timeline, overview.
    BROWSE = "browse"
    #: A call of an MCP tool (see :mod:`kg.mcptools`).
    MCP = "mcp"


#: The jobs that change the store: each takes every worker, and empties the cache of answers.
WRITES = frozenset({JobKind.UPDATE, JobKind.GRAPH_PUT, JobKind.GRAPH_POST, JobKind.GRAPH_DELETE})


class RouteKind(enum.Enum):
    """What a route answers, which decides the headers of its answers besides the handler's own."""

    #: The protocols and named queries: the format follows ``Accept`` (``Vary: Accept`` on every answer, errors
    #: included), and an answer in HTML (a browser's) carries the pages' policy.
    PROTOCOL = "protocol"
    #: One of the graph's IRIs: a page for a browser, RDF by ``Accept`` or by the path's ending.
    RESOURCE = "resource"
    #: A description of the service (VoID, the SPARQL examples): RDF by ``Accept``, a page for a browser.
    DESCRIPTION = "description"
    #: A page for people (and its figures as JSON for programs).
    PAGE = "page"
    #: A document that is the same for everyone: the OpenAPI description, the JSON-LD context, a script.
    FILE = "file"
    #: The MCP endpoint (an application of its own).
    MCP = "mcp"


class Keep(enum.Enum):
    """What is kept of a route's answers: by the server (the pool's cache, with ETags), or by clients, for how long."""

    #: Whole answers of reads kept by the server until the next write, each with an ETag.
    ANSWERS = "answers"
    #: Nothing kept by the server, nothing said to clients (pages made for each reader, MCP calls).
    NOTHING = "nothing"
    #: Clients keep it an hour (the JSON-LD context, the renderer's files).
    HOUR = "max-age=3600"
    #: Clients keep it a day (the vendored vis-network).
    DAY = "max-age=86400"

    @property
    def cache_control(self) -> str | None:
        """The ``Cache-Control`` header this rule sends, None when the handler decides.

        >>> Keep.DAY.cache_control, Keep.ANSWERS.cache_control
        ('max-age=86400', None)
        """
        return self.value if self.value.startswith("max-age=") else None


@dataclass(frozen=True)
class Row:
    """One route.

    Attributes:
        path: Starlette's path pattern (``/api/{name}``).
        methods: the methods it answers; any other gets 405.
        kind: what it answers (see :class:`RouteKind`).
        handler: the name of the method of the application's server that answers it (``static`` and ``mcp``: the
            application of that name).
        jobs: the jobs its handler may ask a worker for.
        direct: clients other than browsers (no ``Origin``) are answered the short way, past Starlette's layers.
        keep: what is kept of its answers.
        example: a path that reaches it, for the tests and the docs (the path itself when it has no parameter).
        negotiated: the methods whose answers follow ``Accept`` (all of ``methods`` when empty, for a kind that is).
    """

    path: str
    methods: tuple[str, ...]
    kind: RouteKind
    handler: str
    jobs: tuple[JobKind, ...] = ()
    direct: bool = False
    keep: Keep = Keep.NOTHING
    example: str = ""
    negotiated: tuple[str, ...] = ()

    @property
    def sample(self) -> str:
        """A path this route answers."""
        return self.example or self.path


_READ = ("GET", "HEAD")
_BROWSE = ("/search", "/suggest", "/browse", "/timeline", "/overview")
_GRAPH_STORE = (
    JobKind.GRAPH_GET,
    JobKind.DATASET_GET,
    JobKind.GRAPH_PUT,
    JobKind.GRAPH_POST,
    JobKind.GRAPH_DELETE,
)
_RESOURCE_JOBS = (JobKind.NODE, JobKind.GRAPH_PAGE, JobKind.ONTOLOGY)

#: The routes, in the order Starlette tries them.
ROUTES: tuple[Row, ...] = (
    Row("/sparql", ("GET", "POST"), RouteKind.PROTOCOL, "sparql",
        (JobKind.QUERY, JobKind.DESCRIBE, JobKind.UPDATE), direct=True, keep=Keep.ANSWERS),
    Row("/store", ("GET", "HEAD", "PUT", "POST", "DELETE"), RouteKind.PROTOCOL, "store", _GRAPH_STORE,
        keep=Keep.ANSWERS, negotiated=_READ),
    Row("/api/{name}", ("GET",), RouteKind.PROTOCOL, "api", (JobKind.NAMED, JobKind.NAMED_TEXT), direct=True,
        keep=Keep.ANSWERS, example="/api/models"),
    Row("/openapi.json", ("GET",), RouteKind.FILE, "openapi"),
    Row("/", ("GET",), RouteKind.PAGE, "index", (JobKind.BROWSE,), keep=Keep.ANSWERS),
    Row("/query", ("GET",), RouteKind.PAGE, "query_page"),
    *(Row(path, ("GET",), RouteKind.PAGE, "browse", (JobKind.BROWSE,), keep=Keep.ANSWERS) for path in _BROWSE),
    Row("/docs", ("GET",), RouteKind.PAGE, "docs"),
    Row("/id/{rest:path}", _READ, RouteKind.RESOURCE, "resource", _RESOURCE_JOBS, example="/id/kuaishou"),
    Row("/graph/{rest:path}", _READ, RouteKind.RESOURCE, "resource", _RESOURCE_JOBS, example="/graph/seed"),
    Row("/ontology{rest:path}", _READ, RouteKind.RESOURCE, "resource", _RESOURCE_JOBS, example="/ontology"),
    Row("/node", _READ, RouteKind.RESOURCE, "resource", _RESOURCE_JOBS, example=f"/node?iri={ID.kuaishou}"),
    Row(VOID_PATH, _READ, RouteKind.DESCRIPTION, "void", (JobKind.VOID,), keep=Keep.ANSWERS),
    Row(EXAMPLES_PATH, _READ, RouteKind.DESCRIPTION, "examples", (JobKind.EXAMPLES,), keep=Keep.ANSWERS),
    Row(f"/{CONTEXT_PATH}", _READ, RouteKind.FILE, "json_ld_context", keep=Keep.HOUR),
    Row("/static/vis-network.min.js", _READ, RouteKind.FILE, "vis_network", keep=Keep.DAY),
    Row("/static/graph.js", _READ, RouteKind.FILE, "renderer_file", keep=Keep.HOUR),
    Row("/static/graph-ui.js", _READ, RouteKind.FILE, "renderer_file", keep=Keep.HOUR),
    Row("/static/graph-ui.css", _READ, RouteKind.FILE, "renderer_file", keep=Keep.HOUR),
    Row("/static", _READ, RouteKind.FILE, "static", example="/static/query.js"),
    Row("/mcp", ("POST",), RouteKind.MCP, "mcp", (JobKind.MCP, JobKind.UPDATE)),  # no stream to GET: 405
)  # fmt: skip

#: The jobs whose answers the pool may keep (and tag with an ETag): the reads of the routes that keep answers.
KEPT = frozenset(job for row in ROUTES if row.keep is Keep.ANSWERS for job in row.jobs if job not in WRITES)


def varies(row: Row) -> frozenset[str]:
    """The methods of ``row`` whose answers follow the ``Accept`` header (and so carry ``Vary: Accept``)."""
    if row.kind is not RouteKind.PROTOCOL:
        return frozenset()
    return frozenset(row.negotiated or row.methods)
