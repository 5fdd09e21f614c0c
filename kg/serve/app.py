"""The HTTP face: the SPARQL 1.1 Protocol at ``/sparql``, the Graph Store Protocol at ``/store``, every named query at
``/api/NAME`` with ``/openapi.json``. Each request becomes one :class:`~kg.serve.jobs.Job` run in a worker process.

Errors are a status and one line of text; nothing a client sends gets a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import sys
import urllib.parse
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..catalog import catalog, check_network_reach
from ..errors import InputError, KGError, decoded
from ..jsonld import context_document
from ..sparqltext import CACHED_TEXT, query_form
from . import pages
from .cache import matches
from .direct import Direct, Handler
from .jobs import HTTPError, Job, graph_list
from .negotiate import acceptable, choose, choose_page, page_acceptable
from .openapi import openapi
from .querypage import docs_page, prefers_html, query_page
from .routes import ROUTES, JobKind, RouteKind, Row, varies
from .web import CSP, TABLE_CSP, language, page, secure
from .workers import Cut, Pool

T = TypeVar("T")
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
#: The files the pages use (scripts, styles, vendored libraries with their licences), served at ``/static``.
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Settings:
    """How the server answers: the token writes need (None: writes are off), SERVICE allowed, the body limit."""

    token: str | None = None
    allow_service: bool = False
    max_body: int = 16 << 20
    cors: tuple[str, ...] = ("*",)
    #: Refuse a graph-store write that breaks the shapes (422), instead of taking it with a line saying so.
    strict: bool = False


def _asks_for_text(request: Request) -> bool:
    """Whether a request to ``/api/NAME`` asks for the query's SPARQL itself (``Accept: application/sparql-query``)
    rather than its answer."""
    return request.headers.get("accept", "").split(";")[0].strip().lower() == QUERY


def create_app(
    pool: Pool, settings: Settings, *, mcp: ASGIApp | None = None, table: tuple[Row, ...] = ROUTES
) -> ASGIApp:
    """The application answering with ``pool``'s workers: Starlette's, its routes built from ``table`` (see
    :mod:`kg.serve.routes`), with the rows marked ``direct`` taking the short way for clients other than browsers
    (:mod:`kg.serve.direct`), and the MCP endpoint ``mcp`` (see :mod:`kg.mcp`) at ``/mcp`` (none without it)."""
    server = _Server(pool, settings)
    routes: list[BaseRoute] = []
    short: list[tuple[str, tuple[str, ...], Handler]] = []
    for row in table:
        if row.handler == "static":
            routes.append(Mount(row.path, StaticFiles(directory=STATIC), name="static"))
        elif row.kind is RouteKind.MCP:
            if mcp is not None:
                routes.append(Route(row.path, mcp, methods=list(row.methods)))
        else:
            handler = _finishing(row, getattr(server, row.handler, None) or FILES[row.handler])
            routes.append(Route(row.path, handler, methods=list(row.methods)))
            if row.direct:
                short.append((row.path, row.methods, handler))
    cors = Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors),
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Accept"],
        expose_headers=["Location"],
    )
    handlers = {HTTPError: _error, KGError: _error, 404: server.nowhere}
    app = Starlette(routes=routes, middleware=[cors], exception_handlers=handlers)
    return Direct(app, short)


def _finishing(row: Row, handler: Handler) -> Handler:
    """``handler`` answering ``row``'s requests, its errors answered as kg's one line, with the headers the row's
    kind asks for (see :func:`finish`)."""
    negotiated = varies(row)
    cache_control = row.keep.cache_control

    async def answer(request: Request) -> Response:
        try:
            response = await handler(request)
        except KGError as error:
            response = await _error(request, error)
        return finish(response, vary=request.method in negotiated, cache_control=cache_control)

    answer.__name__ = answer.__qualname__ = row.handler
    return answer


def finish(response: Response, *, vary: bool, cache_control: str | None = None) -> Response:
    """Give ``response`` the headers every answer of its route carries: ``Vary: Accept`` when its format followed
    ``Accept`` (``vary``), the pages' policy on any HTML (a SPARQL result or a named query opened by a browser as
    well as the pages), no MIME sniffing, and the route's ``Cache-Control``. (One pass over the headers as sent:
    this runs on every answer.)"""
    raw = response.raw_headers
    given = {name: value for name, value in raw}
    if vary:
        if b"vary" not in given:
            raw.append((b"vary", b"Accept"))
        else:
            _vary(response, "Accept")
    if given.get(b"content-type", b"").startswith(b"text/html") and b"content-security-policy" not in given:
        secure(response, TABLE_CSP)  # the pages set their own: this is a result as an HTML table (nosniff too)
    elif b"x-content-type-options" not in given:
        raw.append((b"x-content-type-options", b"nosniff"))
    if cache_control is not None and b"cache-control" not in given:
        raw.append((b"cache-control", cache_control.encode("latin-1")))
    return response


def _vary(response: Response, field: str) -> None:
    """Add ``field`` to the ``Vary`` header of ``response`` (once)."""
    given = response.headers.get("vary")
    if given is None:
        response.headers["Vary"] = field
    elif field.lower() not in (f.strip().lower() for f in given.split(",")):
        response.headers["Vary"] = f"{given}, {field}"


def _query_kind(text: str, allow_service: bool) -> str:
    """The form of the query ``text`` (see :func:`query_form`), once it is known to call no other server unasked.

    Raises:
        KGError: it does (SERVICE without ``--allow-service``), or it is no query.
    """
    check_network_reach(text, allow_service=allow_service)
    try:
        return query_form(text)
    except KGError:
        raise InputError("syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE", source="query", line=1) from None


def _update_checked(text: str, allow_service: bool) -> None:
    """Refuse an update that would call another server unasked (LOAD, SERVICE)."""
    check_network_reach(text, allow_service=allow_service, source="update")


async def _read(reader: Callable[[str, bool], T], text: str, allow_service: bool) -> T:
    """``reader(text, allow_service)``: a short text at once, a long one in a thread, so that lexing megabytes of
    query never holds the event loop (the lexer reads a long text token by token, in constant memory)."""
    if len(text) <= CACHED_TEXT:
        return reader(text, allow_service)
    return await run_in_threadpool(reader, text, allow_service)


async def _error(request: Request, error: Exception) -> Response:
    status = error.status if isinstance(error, HTTPError) else 400
    # The rest of a body over the limit is never read: close the connection rather than leave the sender waiting.
    headers = {"Connection": "close"} if status == 413 else {}
    if isinstance(error, HTTPError):
        headers.update((k, v) for k, v in error.headers.items() if k == "Vary")
    return PlainTextResponse(" ".join(str(error).split()) + "\n", status_code=status, headers=headers)


class _Server:
    def __init__(self, pool: Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings

    # --- Bodies and parameters --------------------------------------------------------------------------------------

    async def body(self, request: Request) -> bytes:
        """The request's body, read no further than the limit.

        Raises:
            HTTPError: 413 past the limit.
        """
        limit = self.settings.max_body
        too_big = HTTPError(413, f"the body is over the server's limit of {limit} bytes (kg serve --max-body)")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        data = bytearray()
        async for piece in request.stream():
            data += piece
            if len(data) > limit:
                raise too_big
        return bytes(data)

    async def fields(self, request: Request) -> list[tuple[str, str]]:
        """The fields of a URL-encoded form body."""
        text = decoded(await self.body(request), source="body")
        try:
            return urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise HTTPError(400, "a field of the form is percent-encoded bytes that are not UTF-8") from None

    def check_writer(self, request: Request) -> None:
        """Refuse a write without the server's bearer token (401), or when writes are off (403)."""
        token = self.settings.token
        if token is None:
            raise HTTPError(403, "writes are off; start kg serve with KG_SERVE_TOKEN set to allow them")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise HTTPError(401, "this write needs the header Authorization: Bearer <KG_SERVE_TOKEN>")

    # --- /sparql ----------------------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        params = list(request.query_params.multi_items())
        media, *options = (p.strip().lower() for p in request.headers.get("content-type", "").split(";"))
        charset = next((o.partition("=")[2].strip('"') for o in options if o.startswith("charset=")), "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise HTTPError(415, f"a query or update is sent in UTF-8, not {charset}")
        if request.method == "POST":
            if media == FORM:
                params += await self.fields(request)
            elif media == QUERY:
                params.append(("query", decoded(await self.body(request), source="query")))
            elif media == UPDATE:
                params.append(("update", decoded(await self.body(request), source="update")))
            elif not media:
                raise HTTPError(400, f"a POST needs a Content-Type: {FORM}, {QUERY} or {UPDATE}")
            else:
                raise HTTPError(415, f"cannot read {media!r}; send {FORM}, {QUERY} or {UPDATE}")
        values: dict[str, list[str]] = {}
        for key, value in params:
            values.setdefault(key, []).append(value)
        queries, updates = values.get("query", []), values.get("update", [])
        if len(queries) + len(updates) > 1:
            raise HTTPError(400, "one request carries one query or one update")
        if updates:
            if request.method != "POST":
                raise HTTPError(400, "an update goes by POST")
            return await self.update(request, updates[0], values)
        if not queries:
            return await self.describe(request)
        return await self.query(request, queries[0], values)

    async def query(self, request: Request, text: str, values: dict[str, list[str]]) -> Response:
        kind = await _read(_query_kind, text, self.settings.allow_service)
        fmt = self.negotiate(request, kind)
        defaults, named = values.get("default-graph-uri"), values.get("named-graph-uri")
        job = Job(
            JobKind.QUERY,
            text,
            format=fmt,
            default_graphs=graph_list(defaults) if defaults is not None else None,
            named_graphs=graph_list(named) if named is not None else (() if defaults is not None else None),
            base=endpoint(request),
        )
        return await self.answer(job, request=request)

    def negotiate(self, request: Request, kind: str) -> str:
        fmt = choose(request.headers.get("accept", ""), kind)
        if fmt is None:
            raise HTTPError(406, f"no format of this answer fits the Accept header; offered: {acceptable(kind)}")
        return fmt

    async def update(self, request: Request, text: str, values: dict[str, list[str]]) -> Response:
        self.check_writer(request)
        await _read(_update_checked, text, self.settings.allow_service)
        if values.get("default-graph-uri") or values.get("named-graph-uri"):
            raise HTTPError(400, "an update takes using-graph-uri and using-named-graph-uri, not default-graph-uri")
        job = Job(
            JobKind.UPDATE,
            text,
            default_graphs=graph_list(values.get("using-graph-uri", [])),
            named_graphs=graph_list(values.get("using-named-graph-uri", [])),
            base=endpoint(request),
        )
        return await self.answer(job)

    async def describe(self, request: Request) -> Response:
        job = Job(JobKind.DESCRIBE, format=self.negotiate(request, "graph"), graph=endpoint(request))
        return await self.answer(job, request=request)

    async def answer(self, job: Job, *, head: bool = False, request: Request | None = None) -> Response:
        """Run ``job`` and answer with what it gives: ``304 Not Modified`` when the ``request`` holds the answer's
        ETag in ``If-None-Match``, no body for ``head``, the answer whole when it came whole, else streamed."""
        answer = await self.pool.run(job)
        headers = dict(answer.headers)
        tag = headers.get("ETag")
        if tag is not None and request is not None:
            condition = request.headers.get("if-none-match")
            if condition is not None and matches(condition, tag):
                return Response(status_code=304, headers={k: v for k, v in headers.items() if k in ("ETag", "Vary")})
        media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
        if answer.status == 204 or head:
            size = await _drain(answer.body)
            if head:  # the headers GET would send: its Content-Length (and its ETag, when GET has one)
                headers["Content-Length"] = str(size)
                return Response(status_code=answer.status, headers=headers, media_type=media)
            return Response(status_code=answer.status, headers=headers)
        if answer.whole is not None:
            return Response(answer.whole, status_code=answer.status, headers=headers, media_type=media)
        streamed = _Streamed(answer.body, status_code=answer.status, headers=headers, media_type=media)
        streamed.deadline, streamed.timeout = answer.deadline, self.pool.timeout
        return streamed

    # --- /store -----------------------------------------------------------------------------------------------------

    async def store(self, request: Request) -> Response:
        query = request.query_params
        graphs = query.getlist("graph")
        if len(graphs) > 1 or (graphs and "default" in query):
            raise HTTPError(400, "name one graph: ?graph=IRI or ?default")
        graph = graph_list(graphs)[0] if graphs else None
        named = graph is not None or "default" in query
        if request.method in ("GET", "HEAD"):
            if not named:
                return await self.dataset(request)
            # HEAD runs GET's job (kept in the cache alike), so that it answers GET's Content-Length and ETag
            job = Job(JobKind.GRAPH_GET, format=self.negotiate(request, "graph"), graph=graph)
            return await self.answer(job, head=request.method == "HEAD", request=request)
        self.check_writer(request)
        if request.method == "DELETE":
            if not named:
                raise HTTPError(400, "name the graph: ?graph=IRI or ?default")
            return await self.answer(Job(JobKind.GRAPH_DELETE, graph=graph))
        media, body = await self.graph_body(request)
        if request.method == "PUT" and not named:
            raise HTTPError(400, "name the graph: ?graph=IRI or ?default")
        kind = JobKind.GRAPH_PUT if request.method == "PUT" else JobKind.GRAPH_POST
        base = str(request.base_url) if not named else ""
        job = Job(kind, format=media, graph=graph, body=body, base=base, strict=self.settings.strict)
        return await self.answer(job)

    async def dataset(self, request: Request) -> Response:
        """``GET /store`` without a graph: the whole dataset, as Jena's Fuseki and Oxigraph's server give it — TriG
        (the default) or N-Quads with every graph named, or, when ``Accept`` takes only formats of triples, the union
        of the graphs, which is ``/sparql``'s default graph."""
        fmt = choose(request.headers.get("accept", ""), "dataset") or self.negotiate(request, "graph")
        return await self.answer(Job(JobKind.DATASET_GET, format=fmt), head=request.method == "HEAD", request=request)

    async def graph_body(self, request: Request) -> tuple[str, bytes]:
        """The RDF a graph-store write sends: the body itself, or each file of a multipart/form-data body."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "multipart/form-data":
            if not media:
                raise HTTPError(400, "a graph-store write needs a Content-Type (text/turtle, application/n-triples …)")
            return media, await self.body(request)
        return await self.multipart(request)

    async def multipart(self, request: Request) -> tuple[str, bytes]:
        data = await self.body(request)  # refuses past the limit, with a length declared or sent in chunks

        async def whole() -> AsyncGenerator[bytes, None]:
            yield data

        try:
            form = await MultiPartParser(request.headers, whole(), max_files=100, max_fields=100).parse()
        except MultiPartException as error:
            raise HTTPError(400, f"the multipart/form-data body cannot be read: {error.message}") from None
        parts: list[tuple[str, bytes]] = []
        try:
            for _, value in form.multi_items():
                if isinstance(value, str):
                    continue
                media = (value.content_type or "").split(";")[0].strip().lower()
                parts.append((media, await value.read()))
        finally:
            await form.close()
        if not parts:
            raise HTTPError(400, "the multipart/form-data body holds no file")
        medias = {m for m, _ in parts}
        if len(medias) > 1:
            raise HTTPError(415, "the files of one multipart/form-data body must share one media type")
        return parts[0][0], b"\n".join(data for _, data in parts)

    # --- /api and the rest -------------------------------------------------------------------------------------------

    async def api(self, request: Request) -> Response:
        name = request.path_params["name"]
        query = catalog().get(name)
        if query is None:
            raise HTTPError(404, f"no named query {name!r}; /openapi.json lists them")
        values = list(request.query_params.multi_items())
        if len({k for k, _ in values}) != len(values):
            raise HTTPError(400, "give each parameter once")
        try:
            kind = query_form(query.text)
        except KGError as error:
            raise HTTPError(404, str(error)) from None
        if _asks_for_text(request):
            return await self.answer(Job(JobKind.NAMED_TEXT, name, params=tuple(values)), request=request)
        fmt = self.negotiate(request, kind)
        return await self.answer(Job(JobKind.NAMED, name, format=fmt, params=tuple(values)), request=request)

    # --- The graph's IRIs, dereferenced ------------------------------------------------------------------------------

    async def resource(self, request: Request) -> Response:
        """The thing an IRI of the graph names, at its path: a page for a browser, RDF by ``Accept`` or by the path's
        ending (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` …; ``.html`` the page). 200 with a ``Content-Location`` naming
        the document sent, ``Vary: Accept`` on every answer."""
        headers = {"Vary": "Accept"}
        try:
            job, location = _resource_job(request)
            if location:
                headers["Content-Location"] = location
            if job.format != "html":
                response = await self.answer(job, head=request.method == "HEAD")
                response.headers.update(headers)
                return response
            answer = await self.pool.run(job)
        except HTTPError as error:
            raise _varied(error, headers) from None
        body = answer.whole if answer.whole is not None else b"".join([piece async for piece in answer.body])
        headers["Vary"] = "Accept, Accept-Language, Cookie"
        if answer.status != 200:  # the page says what is missing; it is no representation of the resource
            headers.pop("Content-Location", None)
        # The ontology page (kg.ontodoc) keeps its styles inline, as the file in exports/ must: its policy lets that
        # one style element apply, by its hash, and nothing else inline.
        csp = (
            CSP.replace("style-src 'self'", f"style-src 'self' {_style_hash()}")
            if job.kind == JobKind.ONTOLOGY
            else CSP
        )
        return page(body.decode("utf-8"), request, status=answer.status, csp=csp, headers=headers)

    async def void(self, request: Request) -> Response:
        """The VoID description of the dataset: a page for a browser (in the reader's language), else Turtle unless
        ``Accept`` asks for another RDF format."""
        endpoint = str(request.base_url).rstrip("/") + "/sparql"
        if prefers_html(request.headers.get("accept", "")) and request.method == "GET":
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            params = (("lang", language(request)), ("here", here))
            job = Job(JobKind.VOID, format="html", graph=endpoint, base=str(request.base_url), params=params)
            answer = await self.pool.run(job)
            body = answer.whole if answer.whole is not None else b"".join([piece async for piece in answer.body])
            return page(body.decode("utf-8"), request, headers={"Vary": "Accept, Accept-Language, Cookie"})
        return await self.described(request, JobKind.VOID, endpoint)

    async def examples(self, request: Request) -> Response:
        """The named queries as SPARQL examples (SHACL's ``sh:SPARQLExecutable``), Turtle unless ``Accept`` asks for
        another RDF format."""
        return await self.described(request, JobKind.EXAMPLES, str(request.base_url).rstrip("/") + "/sparql")

    async def described(self, request: Request, kind: JobKind, endpoint: str) -> Response:
        """A description of this service made by the job ``kind`` (VoID, the examples), in the RDF format ``Accept``
        asks for (Turtle by default), naming ``endpoint``; the answer varies by ``Accept``, errors included."""
        try:
            fmt = self.negotiate(request, "graph")
            job = Job(kind, format=fmt, graph=endpoint, base=str(request.base_url))
            response = await self.answer(job, head=request.method == "HEAD")
        except HTTPError as error:
            raise _varied(error, {"Vary": "Accept"}) from None
        response.headers["Vary"] = "Accept"
        return response

    async def openapi(self, request: Request) -> Response:
        """The OpenAPI document; in Chinese with ``?lang=zh`` (any spelling), else the machine document in English."""
        lang = request.query_params.get("lang", "en")
        return JSONResponse(openapi(str(request.base_url).rstrip("/"), lang=lang))

    async def query_page(self, request: Request) -> Response:
        """The query page, in the reader's language (varying by the language cookie and ``Accept-Language``)."""
        response = await query_page(request)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    async def index(self, request: Request) -> Response:
        """The home page for a browser, in the reader's language; for other clients, where things are. Either way
        the answer varies by ``Accept``, and the page by the language cookie and ``Accept-Language``. The home page's
        figures as JSON are at ``/?format=json``."""
        if prefers_html(request.headers.get("accept", "")) or "format" in request.query_params:
            response = await self.browse(request)
        else:
            response = JSONResponse(
                {
                    "sparql": "/sparql",
                    "store": "/store",
                    "api": "/api/{name}",
                    "openapi": "/openapi.json",
                    "docs": "/docs",
                    "query": "/query",
                }
            )
        response.headers["Vary"] = "Accept, Accept-Language, Cookie"
        return response

    async def browse(self, request: Request) -> Response:
        """A page of :mod:`kg.serve.browse` (home, search, suggest, browse, timeline, overview): HTML for a browser,
        JSON for a program (by ``Accept``, or ``?format=json``/``html``); suggestions are always JSON."""
        name = _path(request).strip("/") or "home"
        wanted = request.query_params.get("format", "")
        if wanted not in ("", "json", "html"):
            raise HTTPError(400, f"format {wanted!r} is not json or html")
        html = wanted == "html" or (not wanted and prefers_html(request.headers.get("accept", "")))
        fmt = "html" if html and name != "suggest" else "json"
        here = header_path(_path(request)) + (f"?{request.url.query}" if request.url.query else "")
        asked = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "here", "format")]
        params = (*asked, ("lang", language(request)), ("here", here))
        answer = await self.pool.run(Job(JobKind.BROWSE, name, format=fmt, params=params))
        body = answer.whole if answer.whole is not None else b"".join([piece async for piece in answer.body])
        headers = {"Vary": "Accept, Accept-Language, Cookie"}
        if "ETag" in answer.headers:
            headers["ETag"] = answer.headers["ETag"]
        if fmt == "json":
            return Response(body, media_type="application/json", headers=headers)
        return page(body.decode("utf-8"), request, headers=headers)

    async def docs(self, request: Request) -> Response:
        """The API docs, in the reader's language: one page whatever ``Accept`` says, varying by language only."""
        response = await docs_page(request)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    async def nowhere(self, request: Request, error: Exception) -> Response:
        """A path no route takes: under the graph's IRIs (one holding a line break, which Starlette's routes never
        match), the answer of :meth:`resource` for an IRI that names nothing; elsewhere kg's one line. Never
        Starlette's bare 404."""
        try:
            if _path(request).startswith(("/id/", "/graph/", "/ontology")) and request.method in ("GET", "HEAD"):
                return await self.resource(request)
            raise HTTPError(
                404, "nothing is at this path; / is the home page, /query the query page, /openapi.json lists the API"
            )
        except HTTPError as missing:
            return await _error(request, missing)


async def vis_network(request: Request) -> Response:
    """The project renderer's vis-network script, for the pages that draw graphs (never from a CDN)."""
    from ..render import TEMPLATES, VIS_SCRIPT  # late: importing kg.render costs ~310 ms

    return FileResponse(TEMPLATES / VIS_SCRIPT, media_type="text/javascript")


async def json_ld_context(request: Request) -> Response:
    """The JSON-LD context of the graph's compact documents, published at a stable address (never fetched by kg)."""
    return Response(context_document(), media_type="application/ld+json")


#: The project renderer's files (``kg/templates``) that kg serve's pages use as well, at ``/static/<name>``: its page
#: script, which the node pages' drawings run, and the parts of a drawing it shares with the query page's Graph view.
RENDERER_FILES = {"graph.js": "text/javascript", "graph-ui.js": "text/javascript", "graph-ui.css": "text/css"}


async def renderer_file(request: Request) -> Response:
    """One of :data:`RENDERER_FILES`, named by the last part of the path."""
    from ..render import TEMPLATES  # late: importing kg.render costs ~310 ms

    name = request.url.path.rsplit("/", 1)[-1]
    return FileResponse(TEMPLATES / name, media_type=RENDERER_FILES[name])


#: The handlers of the routes (see :mod:`kg.serve.routes`) that need no server: files.
FILES: dict[str, Handler] = {
    "vis_network": vis_network,
    "json_ld_context": json_ld_context,
    "renderer_file": renderer_file,
}


def _resource_job(request: Request) -> tuple[Job, str]:
    """The job answering a request for one of the graph's IRIs, and the ``Content-Location`` of a negotiated answer.

    Raises:
        HTTPError: no IRI named (400), a path that is no IRI (404), no format fits ``Accept`` (406).
    """

    path = _path(request)
    if path == "/node":
        stem, fmt, iri = "", None, request.query_params.get("iri", "")
        if not iri:
            raise HTTPError(400, "name the node: /node?iri=IRI")
    else:
        stem, fmt = pages.split_suffix(path)
        iri = pages.iri_of_path(stem)
    try:
        iri = ox.NamedNode(iri).value
    except ValueError:
        raise HTTPError(404 if stem else 400, f"{iri!r} is not an IRI") from None
    location = ""
    if fmt is None:
        fmt = choose_page(request.headers.get("accept", ""))
        if fmt is None:
            raise HTTPError(406, f"no format fits the Accept header; offered: {page_acceptable()}")
        location = header_path(stem + pages.ending(fmt)) if stem else ""
    here = header_path(path) + (f"?{request.url.query}" if request.url.query else "")
    params = (("lang", language(request)), ("here", here))
    if stem == "/ontology":
        return Job(JobKind.ONTOLOGY, format=fmt, params=params), location
    if stem.startswith("/graph/"):
        return Job(JobKind.GRAPH_PAGE, format=fmt, graph=iri, params=params), location
    return Job(JobKind.NODE, iri, format=fmt, params=params), location


def _path(request: Request) -> str:
    """The request's path, decoded, as the routes saw it. Not ``request.url.path``: parsing the URL drops line breaks
    and tabs, so that ``/id/kuai%0Ashou`` would name Kuaishou."""
    path: str = request.scope["path"]
    return path


def header_path(path: str) -> str:
    """``path`` (decoded, as Starlette gives it) percent-encoded for a header: ASCII only, naming the same resource.

    >>> header_path("/id/快手x.html"), header_path("/id/café.ttl"), header_path("/id/a%b")
    ('/id/%E5%BF%AB%E6%89%8Bx.html', '/id/caf%C3%A9.ttl', '/id/a%25b')
    """
    return urllib.parse.quote(path, safe="/:@!$&'()*+,;=-._~")


def _varied(error: HTTPError, headers: dict[str, str]) -> HTTPError:
    """``error``, to be answered with ``headers`` (``Vary: Accept`` on every answer of a negotiated resource)."""
    error.headers = dict(headers)
    return error


def _style_hash() -> str:
    from ..ontodoc import _style_hash as style_hash  # late: importing kg.ontodoc costs ~14 ms

    return style_hash()


def endpoint(request: Request) -> str:
    """The request's URL without its query: the endpoint, the base of the IRIs a query or update makes relative."""
    scope = request.scope
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    return _endpoint(scope["scheme"], scope.get("server"), scope.get("root_path", ""), scope["path"], host)


@functools.lru_cache(maxsize=64)
def _endpoint(scheme: str, server: tuple[str, int] | None, root: str, path: str, host: bytes | None) -> str:
    """Starlette's URL of a request made of these parts, remembered: clients ask the same few endpoints."""
    headers = [] if host is None else [(b"host", host)]
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root, "path": path, "headers": headers}
    return str(URL(scope=scope))


class _Streamed(StreamingResponse):
    """An answer sent as it comes; one that is :class:`~kg.serve.workers.Cut` part-way ends without its last chunk.

    Its status (200) went out first and cannot change: a chunked answer that stops without its terminating chunk is
    how HTTP says it is incomplete (curl: "transfer closed with outstanding read data remaining"; Python's http.client:
    IncompleteRead), where ending it as usual would hand the client a short answer as if whole. The connection is then
    closed, and the server says why in one line on its standard error.
    """

    #: The event loop's time by which the whole answer must have been sent (None: none). A client that reads too
    #: slowly (or not at all) has its connection closed then, and the worker giving the answer is stopped.
    deadline: float | None = None
    #: The seconds that deadline gave, for the server's message.
    timeout: float = 0.0

    async def stream_response(self, send: Send) -> None:
        try:
            await self._send(
                send, {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            async for chunk in self.body_iterator:
                await self._send(send, {"type": "http.response.body", "body": chunk, "more_body": True})
        except Cut as cut:
            print(f"kg serve: {cut}; its client gets it cut short", file=sys.stderr, flush=True)
            raise _Abandoned from None
        except TimeoutError:
            stopped = f"an answer still streaming at the timeout of {self.timeout:g} s was stopped"
            print(f"kg serve: {stopped}; its client gets it cut short", file=sys.stderr, flush=True)
            raise _Abandoned from None
        finally:
            closing = getattr(self.body_iterator, "aclose", None)
            if closing is not None:
                await closing()  # the worker still giving the answer, if any, is stopped
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send(self, send: Send, message: Message) -> None:
        if self.deadline is None:
            await send(message)
            return
        left = self.deadline - asyncio.get_running_loop().time()
        await asyncio.wait_for(send(message), max(0.0, left))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with contextlib.suppress(_Abandoned):
            await super().__call__(scope, receive, send)


class _Abandoned(Exception):
    """A streamed answer given up: the application returns with the response unfinished, and the server closes the
    connection."""


async def _drain(body: AsyncIterator[bytes]) -> int:
    """Read ``body`` to its end; how many bytes it held."""
    size = 0
    async for piece in body:
        size += len(piece)
    return size
