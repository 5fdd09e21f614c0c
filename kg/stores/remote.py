"""A SPARQL 1.1 endpoint as the store: Virtuoso, Fuseki, GraphDB, QLever, Oxigraph's server, Neptune …

:class:`RemoteStore` implements the store interface (:class:`~kg.stores.base.GraphStore`) over the standard
protocols:

- queries go to the query endpoint (SPARQL 1.1 Protocol, POST form) with the known prefixes prepended, and they name
  the graphs kg pushed through ``default-graph-uri`` and ``named-graph-uri``, so the default graph is the union of
  those graphs on every server (Virtuoso and Oxigraph otherwise disagree on what the default graph is);
- parameters are bound as RDF terms: each pyoxigraph term is written in N-Triples syntax (which its constructor has
  validated) into a ``VALUES`` block at the start of the query's outermost group, never as user text;
- ``push`` uploads graphs through the Graph Store Protocol where the server offers one (Oxigraph ``/store``, Virtuoso
  ``/sparql-graph-crud-auth``), else through SPARQL Update ``INSERT DATA`` in batches;
- credentials come only from the environment (``KG_SPARQL_USER`` and ``KG_SPARQL_PASSWORD`` for HTTP basic or digest
  authentication, or ``KG_SPARQL_TOKEN`` for a bearer token) and never appear in messages;
- every request has a timeout (``KG_SPARQL_TIMEOUT`` seconds, 30 by default); a server that is down, slow, refuses
  or answers with an error raises :class:`RemoteError`, one line that the command line prints before exiting with 2.

>>> endpoints("http://127.0.0.1:7878/query")
Endpoints(query='http://127.0.0.1:7878/query', update='http://127.0.0.1:7878/update', graph_store='http://127.0.0.1:7878/store')
>>> print(bind_values("SELECT ?x WHERE { ?x a ?t }", {"t": ox.NamedNode("https://w3id.org/sce/ontology#Role")}))
SELECT ?x WHERE { VALUES (?t) { (<https://w3id.org/sce/ontology#Role>) } ?x a ?t }
"""

from __future__ import annotations

import contextlib
import http.client
import io
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError, KGError, from_syntax_error
from ..results import Result, Row, Term, str_value
from ..sparqltext import (
    PROLOGUE,
    bind_values,
    check_depth,
    names_dataset,
    network_reach,
    query_form,
    term_text,
    without_values_rows,
)
from ..updates import plan_update
from ..vocab import BUILTIN_FILES, PREFIXES, ontology_dir
from .base import GraphName, GraphStore, Node
from .rdffiles import builtin_graphs, check_user_graph, graph_name, parse_data, parse_file

# Virtuoso answers with one X-SPARQL-default-graph and one X-SPARQL-named-graph header per graph of the dataset, and
# the built-in graph alone has one graph per public source: allow that many headers, still a bounded number.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 2000)  # type: ignore[attr-defined]

ENV_USER = "KG_SPARQL_USER"
ENV_PASSWORD = "KG_SPARQL_PASSWORD"
ENV_TOKEN = "KG_SPARQL_TOKEN"
ENV_TIMEOUT = "KG_SPARQL_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
ENV_MAX_BYTES = "KG_SPARQL_MAX_BYTES"
#: The most an answer may hold by default: far more than any answer kg holds in memory, and a stop to one that never
#: ends. Answers stream, so memory does not grow with them.
DEFAULT_MAX_BYTES = 4 << 30
#: Triples per SPARQL Update request when a server has no Graph Store Protocol endpoint.
BATCH_SIZE = 2000

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_USER_AGENT = "kg (social e-commerce knowledge graph)"


class RemoteError(KGError):
    """A SPARQL server that cannot be reached, is too slow, refuses, or answers with an error."""


# --- Endpoints and credentials --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    """Where queries, updates and Graph Store Protocol requests go (``graph_store`` None when there is none)."""

    query: str
    update: str
    graph_store: str | None


def endpoints(query: str, *, update: str | None = None, graph_store: str | None = None) -> Endpoints:
    """The endpoints of a server, guessed from its query endpoint's layout where not given.

    Oxigraph's server answers queries at ``/query``, updates at ``/update`` and graphs at ``/store``; Fuseki uses
    ``/ds/query``, ``/ds/update`` and ``/ds/data``; Virtuoso answers at ``/sparql`` and takes authenticated updates at
    ``/sparql-auth`` and graphs at ``/sparql-graph-crud-auth``; GraphDB answers at ``/repositories/NAME`` and takes
    updates at ``…/statements`` and graphs at ``…/rdf-graphs/service``. Other layouts send updates to the query
    endpoint and have no graph store unless one is given.

    >>> endpoints("http://127.0.0.1:8890/sparql").graph_store
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    """
    check_url(query)
    base, _, last = query.rstrip("/").rpartition("/")
    guessed: tuple[str, str | None] = (query, None)
    if base.endswith("/repositories"):
        guessed = (f"{query.rstrip('/')}/statements", f"{query.rstrip('/')}/rdf-graphs/service")
    elif last == "query":
        guessed = (f"{base}/update", f"{base}/store" if _is_oxigraph_layout(base) else f"{base}/data")
    elif last == "sparql":
        guessed = (f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth")
    for url in (update, graph_store):
        if url:
            check_url(url)
    return Endpoints(query, update or guessed[0], graph_store or guessed[1])


def _is_oxigraph_layout(base: str) -> bool:
    """Oxigraph's server serves ``/query`` at the root of its address; Fuseki under a dataset name."""
    return urllib.parse.urlsplit(base).path in ("", "/")


def check_url(url: str) -> None:
    """Refuse anything but an ``http(s)://`` URL, and any URL with a user name or password in it.

    Raises:
        KGError: the URL is not HTTP, or it carries credentials (which belong in the environment).
    """
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # urllib checks the port only when asked
    except ValueError as error:
        raise KGError(f"{url!r} is not a usable URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KGError(f"{redact(url)} is not an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise KGError(f"put credentials in {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}), not in the URL")


def redact(url: str) -> str:
    """``url`` without any user name, password, query string or fragment, fit to show in a message.

    >>> redact("https://alice:secret@example.org/sparql?token=x")
    'https://example.org/sparql'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    host = parts.hostname or ""
    if port:
        host = f"{host}:{port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True, repr=False)
class Credentials:
    """A user and password, or a bearer token; shown nowhere (its repr hides them)."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """Read ``KG_SPARQL_USER``, ``KG_SPARQL_PASSWORD`` and ``KG_SPARQL_TOKEN``."""
        env = os.environ if environ is None else environ
        return cls(env.get(ENV_USER) or None, env.get(ENV_PASSWORD) or None, env.get(ENV_TOKEN) or None)

    def __repr__(self) -> str:
        return f"Credentials(user={'set' if self.user else None}, token={'set' if self.token else None})"


def timeout_from_env(environ: Mapping[str, str] | None = None) -> float:
    """Seconds to wait for a server, from ``KG_SPARQL_TIMEOUT`` (default 30).

    Raises:
        KGError: the variable is set but is not a positive number.
    """
    text = (os.environ if environ is None else environ).get(ENV_TIMEOUT)
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise KGError(f"{ENV_TIMEOUT} must be a positive number of seconds, not {text!r}")
    return value


def max_bytes_from_env(environ: Mapping[str, str] | None = None) -> int:
    """The most bytes one answer may hold, from ``KG_SPARQL_MAX_BYTES`` (default 4 GiB).

    Raises:
        KGError: the variable is set but is not a positive whole number.
    """
    text = (os.environ if environ is None else environ).get(ENV_MAX_BYTES, "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    if not text.isdigit() or int(text) == 0:
        raise KGError(f"{ENV_MAX_BYTES} must be a positive whole number of bytes, not {text!r}")
    return int(text)


# --- HTTP -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """What a server answered: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


class Http:
    """A small HTTP client with a timeout, authentication from :class:`Credentials`, and one-line errors."""

    def __init__(self, credentials: Credentials, *, timeout: float, max_bytes: int | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes if max_bytes is not None else max_bytes_from_env()
        self.token = credentials.token
        self.credentials = credentials
        self.passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        handlers: list[urllib.request.BaseHandler] = []
        if credentials.user is not None:
            handlers += [
                urllib.request.HTTPDigestAuthHandler(self.passwords),
                urllib.request.HTTPBasicAuthHandler(self.passwords),
            ]
        self.opener = urllib.request.build_opener(*handlers)

    def _offer_password(self, url: str) -> None:
        """Let the user's password answer a challenge from the server of ``url`` (and no other)."""
        if self.credentials.user is None:
            return
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}/"
        self.passwords.add_password(None, origin, self.credentials.user, self.credentials.password or "")  # type: ignore[arg-type]

    def request(
        self, method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        """Send one request and return the whole answer, read within the deadline and the byte cap.

        Raises:
            RemoteError: no answer (refused, unknown host, past the deadline), an answer with an error status, or
                one bigger than the cap.
        """
        stream = self.open(method, url, body=body, headers=headers)
        with stream:
            return Response(stream.status, stream.media_type, stream.read())

    def open(
        self, method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        """Send one request and return its answer as a stream, to be read within the deadline and the byte cap.

        Raises:
            RemoteError: no answer (refused, unknown host, past the deadline) or an answer with an error status.
        """
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": _USER_AGENT})
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if self.token:
            request.add_unredirected_header("Authorization", f"Bearer {self.token}")
        where = redact(url)
        self._offer_password(url)
        deadline = time.monotonic() + self.timeout
        with self._errors(where):
            answer = self.opener.open(request, timeout=self.timeout)
        return Answer(answer, where=where, deadline=deadline, timeout=self.timeout, cap=self.max_bytes)

    @contextlib.contextmanager
    def _errors(self, where: str) -> Iterator[None]:
        try:
            yield
        except urllib.error.HTTPError as error:
            raise RemoteError(_http_error(where, error)) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise RemoteError(_too_slow(where, self.timeout)) from None
            raise RemoteError(f"cannot reach {where}: {_reason(error.reason)}") from None
        except TimeoutError:
            raise RemoteError(_too_slow(where, self.timeout)) from None
        except (OSError, HTTPException, ValueError) as error:
            raise RemoteError(
                f"{where}: the connection failed: {one_line(str(error)) or type(error).__name__}"
            ) from None


def _too_slow(where: str, timeout: float) -> str:
    return f"{where} did not answer within {timeout:g} s (set {ENV_TIMEOUT} for more)"


class Answer(io.RawIOBase):
    """A server's answer as a binary stream: every read within one overall deadline, and no more than ``cap`` bytes.

    A server that sends a byte every few seconds, or never stops sending, is cut off with one clear error, whatever
    the timeout of each read.
    """

    def __init__(self, answer: Any, *, where: str, deadline: float, timeout: float, cap: int) -> None:
        super().__init__()
        self.answer = answer
        self.status: int = answer.status
        self.media_type: str = answer.headers.get_content_type()
        self.where = where
        self.deadline = deadline
        self.timeout = timeout
        self.cap = cap
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RemoteError(_too_slow(self.where, self.timeout))
        _socket_timeout(self.answer, left)
        try:
            # read1: at most one read of the socket, so that a server sending a byte at a time meets the deadline
            data = self.answer.read1(len(buffer))
            count = len(data)
            buffer[:count] = data
        except TimeoutError:
            raise RemoteError(_too_slow(self.where, self.timeout)) from None
        except (OSError, HTTPException) as error:
            raise RemoteError(f"{self.where}: the connection failed: {one_line(str(error))}") from None
        self.received += count
        if self.received > self.cap:
            raise RemoteError(f"{self.where} sent more than {self.cap:,} bytes (set {ENV_MAX_BYTES} for more)")
        return count

    def close(self) -> None:
        self.answer.close()
        super().close()


def _socket_timeout(answer: Any, seconds: float) -> None:
    """Let the next read of ``answer`` wait no longer than ``seconds`` (the time left before the deadline)."""
    sock = getattr(getattr(getattr(answer, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    return one_line(str(getattr(reason, "strerror", None) or reason))


def _http_error(where: str, error: urllib.error.HTTPError) -> str:
    try:
        detail = one_line(error.read().decode("utf-8", "replace"))
    except (OSError, HTTPException):
        detail = ""
    if error.code in (401, 403):
        hint = f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}"
        return f"{where} refused access ({error.code} {error.reason}); {hint}"
    message = f"{where} answered {error.code} {error.reason}"
    return f"{message}: {detail}" if detail else message


def one_line(text: str, limit: int = 300) -> str:
    """``text`` with its whitespace collapsed, cut to ``limit`` characters.

    >>> one_line("Virtuoso 37000 Error\\n  SP030: syntax error")
    'Virtuoso 37000 Error SP030: syntax error'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Queries --------------------------------------------------------------------------------------------------------


def check_syntax(sparql: str, *, source: str) -> None:
    """Parse ``sparql`` here, so a syntax error gets the same line and column as on the embedded store.

    pyoxigraph parses a query only to evaluate it, so the query runs on an empty store with the rows of its VALUES
    blocks taken out (positions kept): with no data and no rows there is nothing to compute, whatever the query. One
    that calls SERVICE is left to the server, lest it reach out from here.

    Raises:
        InputError: a syntax error, with line and column, or a query nested too deep for the engine.
    """
    check_depth(sparql, source=source)
    if network_reach(sparql):
        return
    try:
        ox.Store().query(without_values_rows(sparql), prefixes=PREFIXES)
    except SyntaxError as error:
        raise from_syntax_error(error, source, sparql) from None
    except Exception:  # it parsed; what evaluating it here makes of it (an unknown function …) is the server's to judge
        return


# --- The store ------------------------------------------------------------------------------------------------------


class RemoteStore(GraphStore):
    """A SPARQL 1.1 service used as kg's store.

    Args:
        endpoint: the query endpoint (``http://host:7878/query``, ``http://host:8890/sparql`` …).
        update_endpoint: where updates go, when not where :func:`endpoints` guesses.
        graph_store: the Graph Store Protocol endpoint, when not where :func:`endpoints` guesses.
        use_graph_store: False to push through SPARQL Update only.
        graphs: the named graphs queries see (their union is the default graph); by default the built-in graphs.
        credentials: by default from the environment.
        timeout: seconds to wait for each answer; by default ``KG_SPARQL_TIMEOUT`` or 30.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        use_graph_store: bool = True,
        graphs: Sequence[str] | None = None,
        credentials: Credentials | None = None,
        timeout: float | None = None,
    ) -> None:
        self.endpoints = endpoints(endpoint, update=update_endpoint, graph_store=graph_store)
        self.use_graph_store = use_graph_store and self.endpoints.graph_store is not None
        self.dataset: list[str] = list(dict.fromkeys(graphs if graphs is not None else builtin_graphs()))
        self.http = Http(credentials or Credentials.from_env(), timeout=timeout or timeout_from_env())

    def __repr__(self) -> str:
        return f"RemoteStore({redact(self.endpoints.query)!r})"

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Queries

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        source: str = "query",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> Result:
        """Run ``sparql`` on the server over the union of this store's graphs (or the graphs named).

        Raises:
            InputError: a syntax error, with line and column.
            RemoteError: the server is down, slow, refuses or answers with an error.
        """
        check_syntax(sparql, source=source)
        text = bind_values(sparql, substitutions or {})
        if base_iri:
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        if default_graphs is None and named_graphs is None:
            if names_dataset(sparql):  # the query's own FROM and FROM NAMED: no protocol dataset to override them
                return self._query(text, [], [])
            return self._query(text, self.dataset)
        return self._query(text, default_graphs or [], named_graphs or [])

    def _query(self, sparql: str, dataset: Sequence[str], named: Sequence[str] | None = None) -> Result:
        """Send ``sparql`` (parameters already bound) over the union of ``dataset``; read the answer."""
        form = query_form(sparql)
        fields = [("query", PROLOGUE + sparql)]
        named = dataset if named is None else named
        fields += [("default-graph-uri", g) for g in dataset] + [("named-graph-uri", g) for g in named]
        accept = N_TRIPLES if form == "graph" else RESULTS_JSON
        answer = self.http.open(
            "POST",
            self.endpoints.query,
            body=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            return self._read(answer, form)
        except BaseException:
            answer.close()
            raise

    def _read(self, answer: Answer, form: str) -> Result:
        """A Result streaming from the server's answer: rows (or triples) are parsed as they arrive."""
        try:
            if form == "graph":
                fmt = ox.RdfFormat.from_media_type(answer.media_type) or ox.RdfFormat.N_TRIPLES
                if fmt == ox.RdfFormat.RDF_XML:  # asked for N-Triples, sent RDF/XML: checked as a file of it would be
                    return Result.from_triples(q.triple for q in _checked_xml(answer))
                return Result.from_triples(quad.triple for quad in ox.parse(answer, format=fmt))  # type: ignore[arg-type]
            results = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]
            if isinstance(results, ox.QueryBoolean):
                return Result.ask(bool(results))
            if form == "ask":
                return Result.ask(_truth([tuple(s) for s in results]))
        except (SyntaxError, ValueError, OSError) as error:
            raise RemoteError(f"{answer.where} sent an answer kg cannot read: {one_line(str(error))}") from None
        return Result.from_oxigraph(results)

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct statement of the union of this store's graphs."""
        yield from self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", source="all triples").triples

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement of this store's graphs, with its graph."""
        return self.match()

    def match(
        self,
        subject: Node | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The statements of this store's graphs that match the pattern (None matches anything).

        Raises:
            RemoteError: the server is down, slow, refuses or answers with an error.
        """
        if isinstance(graph, ox.DefaultGraph):  # every statement kg sees on a server is in a named graph
            return iter(())
        pattern = {"s": subject, "p": predicate, "o": object, "g": graph}
        bound: dict[str, Term] = {name: term for name, term in pattern.items() if term is not None}
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=bound, source="pattern")
        return iter([quad_from_row(row, where=redact(self.endpoints.query)) for row in rows.rows])

    def labels(self, iris: Sequence[str]) -> dict[str, list[ox.Literal]]:
        """The ``rdfs:label`` literals of each of ``iris``, in one request per few hundred IRIs."""
        found: dict[str, list[ox.Literal]] = {}
        for start in range(0, len(iris), 300):
            nodes = " ".join(term_text(ox.NamedNode(i)) for i in iris[start : start + 300])
            result = self.query(f"SELECT ?node ?label WHERE {{ VALUES ?node {{ {nodes} }} ?node rdfs:label ?label }}")
            for node, label in result.rows:
                if isinstance(node, ox.NamedNode) and isinstance(label, ox.Literal):
                    found.setdefault(node.value, []).append(label)
        return found

    def triple_count(self) -> int:
        """How many distinct statements the union of this store's graphs holds."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows
        return sum(int(str_value(row[0])) for row in rows if row[0] is not None)

    def graphs(self) -> list[tuple[str, int]]:
        """Each of this store's graphs that holds anything, and how many statements it holds."""
        rows = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        return sorted((str_value(row[0]), int(str_value(row[1]))) for row in rows if None not in row)

    # Pushing

    def load(self, path: str | Path, *, graph: str | None = None, progress: Any = None) -> int:
        """Add the statements of ``path`` to ``graph`` (by default the file's own) on the server; return how many.

        Args:
            path: an RDF file; it is parsed completely before anything is sent.
            graph: the named graph to add to.
            progress: accepted for the embedded store's sake; the upload is one request per graph.

        Raises:
            InputError: the file cannot be read or parsed (nothing is sent).
            RemoteError: the server refuses or fails.
        """
        sent = self.push_quads(user_quads([path], graph), replace=False)
        return sum(sent.values())

    def load_all(self, paths: Iterable[str | Path], *, graph: str | None = None) -> None:
        """Add each of ``paths`` to its own graph (or to ``graph``); every file is parsed before anything is sent."""
        self.push_quads(user_quads(paths, graph), replace=False)

    def drop(self, graph: str) -> int:
        """Remove the named ``graph`` from the server; return how many statements it held.

        Raises:
            KGError: the server holds no statement in that graph.
            RemoteError: the server refuses or fails.
        """
        node = term_text(ox.NamedNode(graph))
        rows = self._query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}", [graph]).rows
        size = sum(int(str_value(row[0])) for row in rows if row[0] is not None)
        if size == 0:
            raise KGError(f"no graph named <{graph}> on the server; `kg graphs` lists them")
        self._send_update(f"DROP SILENT GRAPH {node}")
        return size

    def push(self, data: Sequence[str | Path] = (), *, graph: str | None = None) -> dict[str, int]:
        """Upload the built-in graph and the ``data`` files, each graph replacing its namesake on the server.

        Args:
            data: the user's RDF files; each goes into its own graph, or all into ``graph`` when given.
            graph: the named graph for the ``data`` files.

        Returns:
            Each graph pushed and how many triples were sent into it.

        Raises:
            InputError: a file cannot be read or parsed (nothing is sent).
            RemoteError: the server refuses or fails.
        """
        folder = ontology_dir()
        quads = [q for name, iri in BUILTIN_FILES.items() for q in parse_file(folder / name, graph=iri)]
        quads += user_quads(data, graph)
        return self.push_quads(quads)

    def push_quads(self, quads: Iterable[ox.Quad], *, replace: bool = True) -> dict[str, int]:
        """Send ``quads`` into their graphs, all or nothing, and add those graphs to the ones queries see; return
        triples per graph.

        Every graph is first uploaded into a staging graph of its own (which no query of kg sees); then one update
        request moves (or, to add, copies) each staging graph into place. A failure before that request drops the
        staging graphs and leaves the server's graphs as they were.

        Args:
            quads: statements in named graphs.
            replace: each graph sent replaces the server's graph of that name; when False, the statements are added.

        Raises:
            RemoteError: the server refused or failed; the message says that nothing was changed.
        """
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for quad in quads:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise KGError("only statements in named graphs can be pushed")
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        self._put_in_place(by_graph, replace=replace)
        return {iri: len(triples) for iri, triples in by_graph.items() if iri is not None}

    def write_graph(self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool) -> None:
        """Put ``triples`` into ``graph`` (None: the server's default graph), all of them or none, through a staging
        graph as :meth:`push_quads` does: no SPARQL text of kg's is parsed on the way.

        Raises:
            KGError: ``graph`` is one of kg's own graphs.
            RemoteError: the server refused or failed; nothing was changed.
        """
        if graph is not None:
            check_user_graph(graph, source="graph store")
        self._put_in_place({graph: list(triples)}, replace=replace)

    def _put_in_place(self, by_graph: Mapping[str | None, Sequence[ox.Triple]], *, replace: bool) -> None:
        """Upload each graph's triples into a staging graph, then move (or add) them all into place in one update;
        a failure on the way drops the staging graphs."""
        staged = {iri: f"urn:kg:staging:{uuid.uuid4()}" for iri in by_graph}
        try:
            for iri, triples in by_graph.items():
                if self.use_graph_store:
                    self._send_graph(staged[iri], triples, method="PUT")
                else:
                    self._update_graph(staged[iri], triples, replace=True)
            self._send_update(" ;\n".join(_into_place(tmp, iri, replace=replace) for iri, tmp in staged.items()))
        except RemoteError as error:
            self._drop_quietly(staged.values())
            raise RemoteError(f"{error}; nothing was changed on the server") from None
        for iri in by_graph:
            if iri is not None and iri not in self.dataset:
                self.dataset.append(iri)

    def _drop_quietly(self, graphs: Iterable[str]) -> None:
        """Drop the staging ``graphs``, as far as the server lets us (it may be the thing that failed)."""
        with contextlib.suppress(RemoteError):
            self._send_update(" ;\n".join(f"DROP SILENT GRAPH {term_text(ox.NamedNode(g))}" for g in graphs))

    def _send_graph(self, iri: str, triples: Sequence[ox.Triple], *, method: str) -> None:
        """Graph Store Protocol: PUT replaces the graph, POST adds to it."""
        assert self.endpoints.graph_store is not None
        url = self.endpoints.graph_store + "?" + urllib.parse.urlencode({"graph": iri})
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self.http.request(method, url, body=body, headers={"Content-Type": N_TRIPLES})

    def _update_graph(self, iri: str, triples: Sequence[ox.Triple], *, replace: bool) -> None:
        graph = term_text(ox.NamedNode(iri))
        if replace:
            self._send_update(f"DROP SILENT GRAPH {graph}")
        for batch in batches(triples, BATCH_SIZE):
            lines = "".join(f"{t} .\n" for t in batch)
            if any(_has_blank(t) for t in batch):
                # Virtuoso refuses blank nodes in INSERT DATA; a template makes each label one new node everywhere.
                self._send_update(f"INSERT {{ GRAPH {graph} {{\n{lines}}} }} WHERE {{ }}")
            else:
                self._send_update(f"INSERT DATA {{ GRAPH {graph} {{\n{lines}}} }}")

    def update(
        self,
        sparql: str,
        *,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        source: str = "update",
        base_iri: str | None = None,
    ) -> None:
        """Run a SPARQL Update on the server; it may not write kg's own graphs (``ALL`` means this store's others).

        Raises:
            InputError: a syntax error.
            KGError: the update would write one of kg's own graphs.
            RemoteError: the server refuses or fails.
        """
        check_depth(sparql, source=source)
        text = plan_update(
            sparql,
            user_graphs=self.dataset,
            using=using_graphs,
            using_named=using_named_graphs,
            source=source,
            base=base_iri,
        )
        self._send_update((f"BASE {ox.NamedNode(base_iri)}\n" if base_iri else "") + PROLOGUE + text)

    def _send_update(self, sparql: str) -> None:
        """Send one SPARQL Update request to the update endpoint.

        Raises:
            RemoteError: the server refuses or fails.
        """
        self.http.request(
            "POST",
            self.endpoints.update,
            body=urllib.parse.urlencode({"update": sparql}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def _checked_xml(answer: Answer) -> list[ox.Quad]:
    """The statements of an answer in RDF/XML (read whole, within the size limit), checked by expat as ``kg load``
    checks a file first: a well-formed document whose entities do not swell it.

    Raises:
        RemoteError: it is not.
    """
    data = answer.read()
    try:
        return parse_data(data, ox.RdfFormat.RDF_XML, source="the answer")
    except InputError as error:
        raise RemoteError(f"{answer.where} sent an answer kg cannot read: {error}") from None


def _into_place(staging: str, target: str | None, *, replace: bool) -> str:
    """The update that puts a staging graph in place (``target`` None: the default graph): MOVE replaces the
    target, ADD then DROP adds to it.

    >>> _into_place("urn:kg:staging:1", "urn:g", replace=True)
    'MOVE SILENT GRAPH <urn:kg:staging:1> TO GRAPH <urn:g>'
    >>> _into_place("urn:kg:staging:1", None, replace=True)
    'MOVE SILENT GRAPH <urn:kg:staging:1> TO DEFAULT'
    """
    source = term_text(ox.NamedNode(staging))
    graph = "DEFAULT" if target is None else "GRAPH " + term_text(ox.NamedNode(target))
    if replace:
        return f"MOVE SILENT GRAPH {source} TO {graph}"
    return f"ADD SILENT GRAPH {source} TO {graph} ;\nDROP SILENT GRAPH {source}"


def user_quads(paths: Iterable[str | Path], graph: str | None) -> list[ox.Quad]:
    """Every statement of the user's ``paths``, each file's triples in ``graph`` or in its own graph.

    Raises:
        InputError: a file cannot be read or parsed.
        KGError: a file (or ``graph``) would write into one of kg's own graphs.
    """
    quads: list[ox.Quad] = []
    for path in paths:
        if graph is not None:
            check_user_graph(graph, source=str(path))
        for quad in parse_file(path, graph=graph):
            if isinstance(quad.graph_name, ox.NamedNode):
                check_user_graph(quad.graph_name.value, source=str(path))
            quads.append(quad)
    return quads


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def quad_from_row(row: Row, *, where: str) -> ox.Quad:
    """The statement a row of ``?s ?p ?o ?g`` stands for.

    Raises:
        RemoteError: the row is not a statement in a named graph.
    """
    s, p, o, g = row
    named = isinstance(g, ox.NamedNode) and isinstance(p, ox.NamedNode)
    if named and isinstance(s, ox.NamedNode | ox.BlankNode) and o is not None:
        return ox.Quad(s, p, o, g)  # type: ignore[arg-type]
    raise RemoteError(f"{where} sent a row that is no statement in a named graph: {row!r}")


def _truth(rows: Sequence[Sequence[Term | None]]) -> bool:
    """Virtuoso answers ASK in JSON as one row with one number; the boolean it means."""
    values = [row[0] for row in rows]
    return bool(values) and values[0] is not None and str_value(values[0]) not in ("0", "false")


def batches(triples: Sequence[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Split ``triples`` into lists of about ``size``, keeping triples that share a blank node in one list.

    A blank node's label means the same node only within one request, so a batch never cuts through one.

    >>> a, b = ox.NamedNode("http://example.org/a"), ox.BlankNode("b1")
    >>> [len(x) for x in batches([ox.Triple(a, a, b), ox.Triple(a, a, a), ox.Triple(b, a, a)], 1)]
    [2, 1]
    """
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            label = parent[label]
        return label

    groups: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        labels = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        for label in labels[1:]:
            parent[root(label)] = root(labels[0])
    for index, triple in enumerate(triples):
        labels = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        groups.setdefault(root(labels[0]) if labels else f" {index}", []).append(triple)
    result: list[list[ox.Triple]] = []
    for group in groups.values():
        if not result or (result[-1] and len(result[-1]) + len(group) > size):
            result.append([])
        result[-1].extend(group)
    return result


def open_remote(
    spec: str,
    *,
    data: Sequence[str | Path] = (),
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    graphs: Sequence[str] | None = None,
    timeout: float | None = None,
) -> RemoteStore:
    """Open the SPARQL endpoint at ``spec`` as kg's store.

    Queries see the built-in graphs, the graph of each ``data`` file (as ``kg push --data`` names it) and ``graphs``.
    Nothing is uploaded here: ``kg push`` (:meth:`RemoteStore.push`) does that.

    Raises:
        KGError: ``spec`` is not an http(s) URL or carries credentials; a data file does not exist.
    """
    for path in data:
        if not Path(path).is_file():
            raise KGError(f"{path}: no such file")
    seen = [*builtin_graphs(), *(graph_name(p) for p in data), *(graphs or ())]
    return RemoteStore(spec, update_endpoint=update_endpoint, graph_store=graph_store, graphs=seen, timeout=timeout)
