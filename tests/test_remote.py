"""The remote store: kg against real SPARQL servers (Oxigraph's server, Virtuoso) and against servers that fail.

Every named query must give the same rows on the embedded store and on both servers. Engines differ in two documented
ways that the comparison allows for: GROUP_CONCAT gives a plain string on Virtuoso (Oxigraph keeps a shared language
tag) and gives "" where Oxigraph leaves the column unbound for an empty group; language tags compare without case.
"""

from __future__ import annotations

import http.server
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.catalog import catalog, get_query, resolve, run_query
from kg.cli import main
from kg.describe import describe
from kg.errors import InputError, KGError
from kg.stats import stats
from kg.stores import Store
from kg.stores.rdffiles import builtin_graphs, graph_name, parse_file
from kg.stores.remote import (
    Credentials,
    RemoteError,
    RemoteStore,
    batches,
    bind_values,
    endpoints,
    open_remote,
    query_form,
    redact,
)
from kg.vocab import BUILTIN_FILES, GRAPH, ID, ontology_dir

from .conftest import DATA
from .servers import Server, free_port, oxigraph_server, virtuoso_server  # noqa: F401

PARAMETERS = {
    "model": "group buying",
    "enterprise": "Kuaishou",
    "segment": "price-sensitive users",
    "tie": "acquaintance social",
    "node": "Kuaishou",
    "text": "WeChat",
    "from": "Pinduoduo",
    "to": "Xiaohongshu",
    "kind": "penalty",
}
EXTRA = DATA / "remote_extra.ttl"
EXTRA_TRIPLES = 5
INJECTIONS = [
    'x" } ; DROP ALL ; #',
    "x' } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
    'WeChat") } UNION { ?node ?p ?matched } #',
    '"""\\u0022 ?node <urn:p> ?x',
]


# --- Fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each real server in turn, already running."""
    found: Server = request.getfixturevalue(f"{request.param}_server")
    return found


@pytest.fixture(scope="session")
def pushed(server: Server) -> tuple[RemoteStore, dict[str, int]]:
    """A remote store holding the built-in graph, pushed once per server, and what the push reported."""
    remote = RemoteStore(server.url, credentials=Credentials.from_env(server.env), timeout=60)
    return remote, remote.push()


@pytest.fixture(scope="session")
def remote(pushed: tuple[RemoteStore, dict[str, int]]) -> RemoteStore:
    return pushed[0]


def _serve(respond: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A throwaway HTTP server on loopback whose every answer ``respond`` writes; yields its /sparql URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            respond(self)

        do_GET = do_PUT = do_POST

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _answer(status: int, body: bytes, media_type: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", media_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


@pytest.fixture
def failing_server() -> Iterator[str]:
    yield from _serve(_answer(500, b"Internal error\n  SR325: boom", "text/plain"))


@pytest.fixture
def forbidding_server() -> Iterator[str]:
    yield from _serve(_answer(403, b"go away", "text/plain"))


@pytest.fixture
def garbage_server() -> Iterator[str]:
    yield from _serve(_answer(200, b"<html>not results</html>", "text/html"))


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


# --- Comparing answers ----------------------------------------------------------------------------------------------

_NUMERIC = ("integer", "decimal", "int", "long", "short", "double", "float")
_CONCAT = re.compile(r"GROUP_CONCAT\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", re.IGNORECASE)


def comparable(term: Any, *, concatenated: bool = False) -> Any:
    """A term reduced to what every engine must agree on."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if concatenated:
        return None if term.value == "" else ("concat", tuple(sorted(re.split(r", |; ", term.value))))
    if term.datatype.value.rsplit("#", 1)[-1] in _NUMERIC:
        return ("number", Decimal(term.value))
    if term.datatype.value.endswith("#boolean"):  # "1" and "true" are one value (Virtuoso writes 1 and 0)
        return ("boolean", term.value.strip() in ("1", "true"))
    return ("literal", term.value, (term.language or "").lower(), term.datatype.value)


def row_set(result: Any, text: str) -> set[tuple[Any, ...]]:
    concatenated = set(_CONCAT.findall(text))
    return {
        tuple(comparable(t, concatenated=v in concatenated) for v, t in zip(result.vars, row, strict=True))
        for row in result
    }


# --- Against real servers -------------------------------------------------------------------------------------------


@pytest.mark.server
def test_push_reports_the_triples_sent_into_each_graph(pushed: tuple[RemoteStore, dict[str, int]]) -> None:
    _, sent = pushed
    expected = Counter(
        q.graph_name.value for name, iri in BUILTIN_FILES.items() for q in parse_file(ontology_dir() / name, graph=iri)
    )
    assert sent == dict(expected)
    assert list(sent) == list(builtin_graphs())
    assert sum(sent.values()) > 900


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_named_query_gives_the_embedded_rows(store: Store, remote: RemoteStore, name: str) -> None:
    query = get_query(name)
    params = {p.name: PARAMETERS[p.name] for p in query.parameters}
    here = run_query(store, name, params)
    there = run_query(remote, name, params)
    assert there.vars == here.vars
    assert row_set(there, query.text) == row_set(here, query.text)


@pytest.mark.server
def test_parametrised_queries_find_something(remote: RemoteStore) -> None:
    """Guards the comparison above against a binding that silently matches nothing on both sides."""
    for name in (
        "search",
        "models-targeting",
        "connection",
        "model-profile",
        "enterprise-model",
        "provenance",
        "timeline",
        "events-of-kind",
    ):
        query = get_query(name)
        assert len(run_query(remote, name, {p.name: PARAMETERS[p.name] for p in query.parameters})) > 0, name


@pytest.mark.server
def test_graphs_counts_and_triples_match_the_embedded_store(store: Store, remote: RemoteStore) -> None:
    assert remote.graphs() == store.graphs()
    assert remote.triple_count() == store.triple_count()
    assert len(remote) == len(store)
    assert {t for t in remote.triples() if not _has_blank(t)} == {t for t in store.triples() if not _has_blank(t)}


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


@pytest.mark.server
def test_ask_construct_and_names_work_remotely(store: Store, remote: RemoteStore) -> None:
    assert remote.ask("ASK { id:kuaishou a sce:Enterprise }") is True
    assert remote.ask("ASK { id:kuaishou a sce:Role }") is False
    assert remote.ask("ASK { ?node a sce:Enterprise }", node=ox.NamedNode(ID.kuaishou)) is True
    construct = "CONSTRUCT { ?m sce:targets ?u } WHERE { ?m sce:targets ?u }"
    assert set(remote.query(construct)) == set(store.query(construct))
    assert [resolve(remote, w) for w in ("快手", "kuaishou", "id:kuaishou")] == [ID.kuaishou] * 3


@pytest.mark.server
def test_describe_stats_and_network_match_the_embedded_store(store: Store, remote: RemoteStore) -> None:
    from kg.network import from_store

    here, there = describe(store, ID.kuaishou), describe(remote, ID.kuaishou)
    assert there.vars == here.vars
    assert row_set(there, "") == row_set(here, "")
    assert stats(remote) == stats(store)
    local, far = from_store(store), from_store(remote)  # type: ignore[arg-type]
    assert dict(far.nodes(data=True)) == dict(local.nodes(data=True))
    assert sorted(far.edges(keys=True)) == sorted(local.edges(keys=True))


@pytest.mark.server
@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_shaped_values_stay_one_literal(remote: RemoteStore, text: str) -> None:
    before = remote.triple_count()
    result = run_query(remote, "search", {"text": text})
    assert len(result) == 0
    assert remote.triple_count() == before
    echoed = remote.select("SELECT ?t WHERE { }", t=ox.Literal(text))
    assert [row["t"].value for row in echoed] == [text]


@pytest.mark.server
def test_an_iri_that_tries_to_close_the_term_is_refused(remote: RemoteStore) -> None:
    with pytest.raises(KGError, match="not a valid IRI"):
        run_query(remote, "model-profile", {"model": "<https://w3id.org/sce/id/x> } DROP ALL #>"})


@pytest.mark.server
def test_push_by_sparql_update_keeps_blank_nodes_whole(
    server: Server, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the Graph Store Protocol, INSERT DATA in batches; a batch never cuts through a blank node."""
    import kg.stores.remote

    monkeypatch.setattr(kg.stores.remote, "BATCH_SIZE", 7)
    target = "https://example.org/remote-test/update-push"
    remote = RemoteStore(server.url, credentials=Credentials.from_env(server.env), use_graph_store=False, graphs=[])
    quads = parse_file(ontology_dir() / "sce.ttl", graph=target)
    assert remote.push_quads(quads) == {target: len(quads)}
    assert remote.push_quads(quads) == {target: len(quads)}  # a second push replaces, it does not add
    assert remote.graphs() == [(target, len(quads))]
    lists = "SELECT (COUNT(*) AS ?n) WHERE { ?x a owl:AllDisjointClasses ; owl:members/rdf:rest*/rdf:first ?c }"
    assert int(next(iter(remote.query(lists)))[0].value) == int(next(iter(store.query(lists)))[0].value) > 1


@pytest.mark.server
def test_cli_push_then_query_a_data_file(server: Server, runner: CliRunner) -> None:
    pushed = runner.invoke(main, ["--store", server.url, "--data", str(EXTRA), "push"], env=server.env)
    assert pushed.exit_code == 0, pushed.output
    lines = pushed.output.splitlines()
    builtin = sum(len(parse_file(ontology_dir() / name)) for name in BUILTIN_FILES)
    assert lines[len(builtin_graphs()) :] == [
        f"{EXTRA_TRIPLES} triples into <{graph_name(EXTRA)}>",
        f"pushed {builtin + EXTRA_TRIPLES} triples into {len(builtin_graphs()) + 1} graphs at {server.url}",
    ]
    city = "SELECT ?city WHERE { ?shop ex:address/ex:city ?city }".replace("ex:", "<https://example.org/remote-test#")
    city = re.sub(r"(#\w+)", r"\1>", city)
    asked = runner.invoke(main, ["--store", server.url, "--data", str(EXTRA), "sparql", "-f", "csv", city])
    assert asked.exit_code == 0, asked.output
    assert asked.output.splitlines() == ["city", "Hangzhou"]
    without = runner.invoke(main, ["--store", server.url, "sparql", "-f", "csv", city])
    assert without.output.splitlines() == ["city"]


@pytest.mark.server
def test_cli_push_into_one_named_graph(server: Server, runner: CliRunner) -> None:
    graph = "https://example.org/remote-test/mine"
    pushed = runner.invoke(
        main, ["--store", server.url, "--data", str(EXTRA), "push", "--graph", graph], env=server.env
    )
    assert pushed.exit_code == 0, pushed.output
    assert f"{EXTRA_TRIPLES} triples into <{graph}>" in pushed.output.splitlines()
    remote = RemoteStore(server.url, graphs=[graph])
    assert remote.graphs() == [(graph, EXTRA_TRIPLES)]


@pytest.mark.server
def test_cli_load_adds_and_drop_removes(server: Server, runner: CliRunner) -> None:
    graph = "https://example.org/remote-test/loaded"
    for _ in range(2):  # loading adds: the second load of the same file adds only its blank node again
        loaded = runner.invoke(main, ["--store", server.url, "load", str(EXTRA), "--graph", graph], env=server.env)
        assert loaded.output == f"{EXTRA}: {EXTRA_TRIPLES} triples into <{graph}>\n"
    assert RemoteStore(server.url, graphs=[graph]).graphs() == [(graph, EXTRA_TRIPLES + 3)]
    dropped = runner.invoke(main, ["--store", server.url, "drop", graph], env=server.env)
    assert dropped.output == f"dropped <{graph}>: {EXTRA_TRIPLES + 3} triples\n"
    again = runner.invoke(main, ["--store", server.url, "drop", graph], env=server.env)
    assert again.exit_code == 2
    assert again.output == f"kg: error: no graph named <{graph}> on the server; `kg graphs` lists them\n"


@pytest.mark.server
def test_cli_query_against_a_server_prints_the_embedded_answer(server: Server, remote: RemoteStore) -> None:
    runner = CliRunner()
    args = ["query", "models-targeting", "-p", "segment=price-sensitive users", "-f", "csv"]
    here = runner.invoke(main, args)
    there = runner.invoke(main, ["--store", server.url, *args])
    assert there.exit_code == 0, there.output
    assert there.output == here.output


@pytest.mark.server
def test_virtuoso_refuses_a_push_without_credentials(virtuoso_server: Server, runner: CliRunner) -> None:  # noqa: F811
    result = runner.invoke(main, ["--store", virtuoso_server.url, "push"], env={"KG_SPARQL_USER": None})
    assert result.exit_code == 2
    crud = virtuoso_server.url.replace("/sparql", "/sparql-graph-crud-auth")
    assert result.output == (
        f"kg: error: {crud} refused access (401 Unauthorized); "
        "set KG_SPARQL_USER and KG_SPARQL_PASSWORD, or KG_SPARQL_TOKEN; nothing was changed on the server\n"
    )


@pytest.mark.server
def test_a_wrong_password_is_refused_and_never_shown(virtuoso_server: Server, runner: CliRunner) -> None:  # noqa: F811
    env = {"KG_SPARQL_USER": "dba", "KG_SPARQL_PASSWORD": "not-the-Secret-42"}
    result = runner.invoke(main, ["--debug", "--store", virtuoso_server.url, "push"], env=env)
    assert isinstance(result.exception, RemoteError)
    assert "/sparql-graph-crud-auth refused access (401 " in str(result.exception)
    quiet = runner.invoke(main, ["--store", virtuoso_server.url, "push"], env=env)
    assert quiet.exit_code == 2
    assert "not-the-Secret-42" not in quiet.output + str(result.exception) + repr(Credentials.from_env(env))


@pytest.mark.server
def test_a_query_the_server_rejects_is_one_line(server: Server, runner: CliRunner) -> None:
    """pyoxigraph parses it here; the server rejects the unknown function: one line, exit code 2."""
    query = "SELECT ?x WHERE { BIND (<urn:kg-test:no-such-function>(1) AS ?x) }"
    result = runner.invoke(main, ["--store", server.url, "sparql", query])
    assert result.exit_code == 2
    assert result.output.startswith(f"kg: error: {server.url} answered 500 ")
    assert "no-such-function" in result.output
    assert result.output.count("\n") == 1


# --- Failures that need no real server ------------------------------------------------------------------------------


def _kg(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env)


def test_a_server_that_is_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = _kg("--store", url, "query", "models")
    assert result.exit_code == 2
    assert result.output == f"kg: error: cannot reach {url}: connection refused (is the server running?)\n"


def test_a_server_that_is_too_slow(silent_server: str) -> None:
    result = _kg("--store", silent_server, "query", "models", env={"KG_SPARQL_TIMEOUT": "0.5"})
    assert result.exit_code == 2
    assert result.output == f"kg: error: {silent_server} did not answer within 0.5 s (set KG_SPARQL_TIMEOUT for more)\n"


def test_a_server_that_answers_with_an_error(failing_server: str) -> None:
    result = _kg("--store", failing_server, "query", "models")
    assert result.exit_code == 2
    assert result.output == (
        f"kg: error: {failing_server} answered 500 Internal Server Error: Internal error SR325: boom\n"
    )


def test_a_server_that_refuses(forbidding_server: str) -> None:
    result = _kg("--store", forbidding_server, "query", "models", env={"KG_SPARQL_TOKEN": "tok-Secret-9"})
    assert result.exit_code == 2
    assert result.output == (
        f"kg: error: {forbidding_server} refused access (403 Forbidden); "
        "set KG_SPARQL_USER and KG_SPARQL_PASSWORD, or KG_SPARQL_TOKEN\n"
    )


def test_a_server_that_answers_something_else(garbage_server: str) -> None:
    result = _kg("--store", garbage_server, "query", "models")
    assert result.exit_code == 2
    assert result.output.startswith(f"kg: error: {garbage_server} sent an answer kg cannot read: ")
    assert result.output.count("\n") == 1


def test_a_bad_timeout_setting() -> None:
    result = _kg("--store", "http://127.0.0.1:9/sparql", "query", "models", env={"KG_SPARQL_TIMEOUT": "soon"})
    assert result.exit_code == 2
    assert result.output == "kg: error: KG_SPARQL_TIMEOUT must be a positive number of seconds, not 'soon'\n"


def test_credentials_in_the_url_are_refused_and_not_repeated() -> None:
    result = _kg("--store", "http://alice:Pa55word@127.0.0.1:9/sparql", "query", "models")
    assert result.exit_code == 2
    assert result.output == (
        "kg: error: put credentials in KG_SPARQL_USER and KG_SPARQL_PASSWORD (or KG_SPARQL_TOKEN), not in the URL\n"
    )


def test_a_bad_update_endpoint_is_refused() -> None:
    result = _kg("--store", "http://127.0.0.1:9/query", "--update-endpoint", "ftp://127.0.0.1/u", "push")
    assert result.exit_code == 2
    assert result.output == "kg: error: ftp://127.0.0.1/u is not an http:// or https:// URL\n"


def test_a_syntax_error_is_found_before_any_request() -> None:
    """The port is closed: the error is the query's line and column, not a connection failure."""
    result = _kg("--store", f"http://127.0.0.1:{free_port()}/query", "sparql", "SELECT ?x WHERE {\n ?x ?y }")
    assert result.exit_code == 2
    assert result.output.startswith("kg: error: query:2:")
    assert "syntax error" in result.output


def test_push_needs_a_remote_store() -> None:
    result = _kg("push")
    assert result.exit_code == 2
    assert result.output == "kg: error: kg push needs --store with the URL of a SPARQL endpoint (http:// or https://)\n"


# --- Units ----------------------------------------------------------------------------------------------------------


def test_values_go_at_the_start_of_the_where_group() -> None:
    text = 'CONSTRUCT { ?s <urn:p> "{" } WHERE { ?s ?p ?o FILTER (?o = ?v) } ORDER BY ?s'
    bound = bind_values(text, {"v": ox.Literal('a"}b', language="en")})
    assert (
        bound
        == 'CONSTRUCT { ?s <urn:p> "{" } WHERE { VALUES (?v) { ("a\\"}b"@en) } ?s ?p ?o FILTER (?o = ?v) } ORDER BY ?s'
    )
    projected = "SELECT ?x (EXISTS { ?x ?p ?o } AS ?e) WHERE { ?x a ?t }"
    assert bind_values(projected, {"t": ox.NamedNode("urn:t")}).endswith("WHERE { VALUES (?t) { (<urn:t>) } ?x a ?t }")
    assert bind_values("DESCRIBE ?x", {"x": ox.NamedNode("urn:x")}) == "DESCRIBE ?x\nVALUES (?x) { (<urn:x>) }"


@pytest.mark.parametrize("text", INJECTIONS)
def test_a_bound_literal_parses_back_to_the_same_value(text: str) -> None:
    bound = bind_values("SELECT ?t WHERE { }", {"t": ox.Literal(text)})
    rows = list(ox.Store().query(bound))
    assert [row["t"].value for row in rows] == [text]


def test_only_iris_and_literals_and_plain_names_can_be_bound() -> None:
    with pytest.raises(KGError, match="only IRIs and literals"):
        bind_values("SELECT * WHERE { }", {"x": ox.BlankNode("b")})
    with pytest.raises(KGError, match="not a SPARQL variable name"):
        bind_values("SELECT * WHERE { }", {"x) {} } DROP ALL #": ox.Literal("1")})


def test_query_forms_ignore_strings_iris_and_comments() -> None:
    assert query_form('SELECT ("ASK" AS ?x) WHERE { }') == "select"
    assert query_form("PREFIX c: <http://example.org/construct/>\n# SELECT\nASK { }") == "ask"
    assert query_form("describe <urn:x>") == "graph"
    with pytest.raises(KGError, match="not a SPARQL query"):
        query_form("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_endpoints_follow_each_server_layout() -> None:
    assert endpoints("http://h:3030/ds/query").graph_store == "http://h:3030/ds/data"
    assert endpoints("http://h:3030/ds/query").update == "http://h:3030/ds/update"
    assert endpoints("http://h:8890/sparql").update == "http://h:8890/sparql-auth"
    graphdb = endpoints("http://h:7200/repositories/kg")
    assert (graphdb.update, graphdb.graph_store) == (
        "http://h:7200/repositories/kg/statements",
        "http://h:7200/repositories/kg/rdf-graphs/service",
    )
    other = endpoints("https://h/bigdata/sparql-endpoint", update="https://h/bigdata/update")
    assert (other.update, other.graph_store) == ("https://h/bigdata/update", None)


def test_redacted_urls_and_credentials_show_no_secret() -> None:
    assert redact("https://u:Secret@h:8443/sparql?key=Secret#x") == "https://h:8443/sparql"
    shown = repr(Credentials("u", "Secret", "Secret"))
    assert "Secret" not in shown


def test_batches_never_split_a_blank_node_chain() -> None:
    a = ox.NamedNode("urn:a")
    chain = [ox.Triple(ox.BlankNode(f"b{i}"), a, ox.BlankNode(f"b{i + 1}")) for i in range(5)]
    loose = [ox.Triple(a, a, ox.Literal(str(i))) for i in range(5)]
    split = batches(loose[:2] + chain + loose[2:], 3)
    assert sorted(len(b) for b in split) == [2, 3, 5]
    assert any(set(b) == set(chain) for b in split)


def test_open_remote_sees_the_builtin_and_data_graphs() -> None:
    remote = open_remote("http://127.0.0.1:9/query", data=[EXTRA], graphs=["urn:g"])
    assert remote.dataset == [*builtin_graphs(), graph_name(EXTRA), "urn:g"]
    assert set(BUILTIN_FILES.values()) < set(remote.dataset)
    assert GRAPH.seed in remote.dataset
    with pytest.raises(KGError, match="no such file"):
        open_remote("http://127.0.0.1:9/query", data=[Path("missing.ttl")])


def test_a_missing_data_file_pushes_nothing() -> None:
    with pytest.raises(InputError):
        RemoteStore("http://127.0.0.1:9/query").push([DATA / "no-such-file.ttl"])
