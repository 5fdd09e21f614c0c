"""The W3C SPARQL 1.1 Protocol tests (34) and Graph Store Protocol tests with indirect graph identification (9),
replayed request by request against a live ``kg serve`` (the manifests and their licence are in ``tests/w3c/``).

Each test starts from a store holding only kg's built-in graph: its own graphs are dropped (``DROP ALL`` leaves kg's
graphs in place), then the graphs the test names are loaded through the Graph Store Protocol.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from .servers import Server, start_kg_serve

W3C = Path(__file__).parent / "w3c"
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-runner-token"
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}


def _tests(manifest: Path) -> list[tuple[str, rdflib.Graph, rdflib.term.Node]]:
    graph = rdflib.Graph().parse(manifest, format="turtle")
    entries = next(graph.objects(None, MF.entries))
    return [(str(t).rsplit("#", 1)[-1], graph, t) for t in Collection(graph, entries)]


PROTOCOL = _tests(W3C / "protocol" / "manifest.ttl")
GRAPH_STORE = _tests(W3C / "graph-store-protocol" / "manifest-indirect.ttl")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve with writes allowed."""
    started = start_kg_serve(tmp_path_factory.mktemp("w3c"), "--workers", "2", token=TOKEN)
    try:
        yield started
    finally:
        started.stop()


def _send(server: Server, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Any:
    parts = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request(method, path, body=body, headers={"Authorization": f"Bearer {TOKEN}", **headers})
    answer = connection.getresponse()
    answer.data = answer.read()
    connection.close()
    return answer


def _reset(server: Server, graph: rdflib.Graph, test: rdflib.term.Node, folder: Path) -> None:
    answer = _send(server, "POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"DROP ALL")
    assert answer.status == 204, answer.data
    for data in graph.objects(test, UT.graphData):
        file = folder / str(next(graph.objects(data, UT.graph))).rsplit("/", 1)[-1]
        name = urllib.parse.quote(str(next(graph.objects(data, rdflib.RDFS.label))), safe="")
        answer = _send(
            server, "PUT", f"/store?graph={name}", {"Content-Type": "application/n-triples"}, file.read_bytes()
        )
        assert answer.status in (200, 201), answer.data


def _expected_statuses(graph: rdflib.Graph, response: rdflib.term.Node) -> list[str]:
    return [str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus)]


def _status_fits(status: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and str(status)[0] == name[len("StatusCode")]:
            return True
        if STATUS.get(name) == status:
            return True
    return False


def _check_body(graph: rdflib.Graph, response: rdflib.term.Node, answer: Any) -> None:
    media = answer.getheader("Content-Type", "").split(";")[0]
    expected_format = next(graph.objects(response, MF.expectedFormat), None)
    boolean = next(graph.objects(response, MF.expectedBoolean), None)
    if expected_format is not None:
        kind = str(expected_format)
        fits = {
            "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
            "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv"),
            "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
        }[kind]
        assert media in fits, (kind, media)
    if boolean is not None:
        assert json.loads(answer.data)["boolean"] is boolean.toPython()
    body = next(graph.objects(response, HT.body), None)
    if body is not None and answer.status == 200:
        wanted = rdflib.Graph().parse(data=str(next(graph.objects(body, CNT.chars))), format="turtle")
        got = rdflib.Graph().parse(data=answer.data.decode(), format="turtle")
        assert isomorphic(wanted, got), answer.data.decode()


def _replay(server: Server, graph: rdflib.Graph, test: rdflib.term.Node, folder: Path) -> None:
    _reset(server, graph, test, folder)
    action = next(graph.objects(test, MF.action))
    location = ""
    for request in Collection(graph, next(graph.objects(action, HT.requests))):
        method = str(next(graph.objects(request, HT.methodName)))
        path = str(next(graph.objects(request, HT.absolutePath)))
        path = path.replace("/sparql/", "/sparql", 1) if path.startswith("/sparql/") else "/store" + path[4:]
        path = path.replace("$LOCATION$", urllib.parse.quote(location, safe=""))
        headers = {}
        for header_list in graph.objects(request, HT.headers):
            for header in Collection(graph, header_list):
                name = str(next(graph.objects(header, HT.fieldName)))
                headers[name] = str(next(graph.objects(header, HT.fieldValue)))
        body_node = next(graph.objects(request, HT.body), None)
        body = None
        if body_node is not None:
            chars = str(next(graph.objects(body_node, CNT.chars)))
            encoding = str(next(graph.objects(body_node, CNT.characterEncoding), "UTF-8"))
            body = chars.encode(encoding)
        answer = _send(server, method, path, headers, body)
        response = next(graph.objects(request, HT.resp))
        expected = _expected_statuses(graph, response)
        assert _status_fits(answer.status, expected), (path, answer.status, expected, answer.data[:300])
        if answer.getheader("Location"):
            location = answer.getheader("Location")
        if answer.status < 300 and method != "HEAD":
            _check_body(graph, response, answer)


@pytest.mark.server
@pytest.mark.parametrize("name,graph,test", PROTOCOL, ids=[t[0] for t in PROTOCOL])
def test_protocol(server: Server, name: str, graph: rdflib.Graph, test: rdflib.term.Node) -> None:
    """Each SPARQL 1.1 Protocol test: every request answered with the status and result the W3C expects."""
    _replay(server, graph, test, W3C / "protocol")


@pytest.mark.server
@pytest.mark.parametrize("name,graph,test", GRAPH_STORE, ids=[t[0] for t in GRAPH_STORE])
def test_graph_store(server: Server, name: str, graph: rdflib.Graph, test: rdflib.term.Node) -> None:
    """Each Graph Store Protocol test (indirect identification)."""
    _replay(server, graph, test, W3C / "graph-store-protocol")


def test_the_suites_are_whole() -> None:
    """All 34 protocol tests and 9 graph-store tests are replayed."""
    assert (len(PROTOCOL), len(GRAPH_STORE)) == (34, 9)
