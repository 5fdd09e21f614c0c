"""Graph-store writes and the server's faults (issue 21): each break a hostile probe found, with the test that failed
before its fix.

Writes go to the store as parsed triples (never as SPARQL text for rdflib to read), RDF 1.2 as ``kg load`` takes it,
errors at the body's own line, RDF/XML checked by expat first, stopped at ``--timeout``; a chunked multipart body is
read. A store that cannot be written (its disk full, its folder read-only) fails the write in one line, the server
says so in one line, and nothing is half-written.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.serve.jobs import HTTPError, Job, perform
from kg.stores import Store
from kg.stores.embedded import JOURNAL, LOADING, memory_store, open_disk
from kg.stores.remote import RemoteError, RemoteStore
from kg.vocab import GRAPH

from .conftest import DATA, need
from .servers import Server, call, oxigraph_server, start_kg_serve  # noqa: F401

TOKEN = "writes-test-token"
#: Valid RDF 1.2 Turtle, as `kg load` reads it: a triple term, a reifier with an annotation, a literal with a direction.
RDF_1_2 = b"""PREFIX : <urn:rdf12:>

:a :says <<( :x :y :z )>> .
:a :b :c ~ :r {| :since 2020 |} .
:a :name "\xd9\x83\xd9\x88\xd8\xa7\xd9\x8a"@ar--rtl .
"""
#: Entities that ask for a literal of 100 MB in about 600 bytes.
ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e0 "aaaaaaaaaa">'
    + "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 8))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">'
    + '<rdf:Description rdf:about="urn:x"><e:p>&e7;</e:p></rdf:Description></rdf:RDF>'
).encode()


def n_triples(count: int, width: int = 0) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "{"x" * width}{i}" .\n' for i in range(count)).encode()


def send(
    server: Server, method: str, target: str, body: bytes, media: str, *, chunked: bool = False
) -> tuple[int, bytes]:
    """One request to the server's graph store (``target``: its query, ``graph=…`` or ``default``)."""
    port = urllib.parse.urlsplit(server.url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": media}
    try:
        connection.request(method, f"/store?{target}", body=iter([body]) if chunked else body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def count_in(server: Server, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    status, _, body = call(server.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"})
    assert status == 200, body
    return int(body.split()[1])


def graph_of(server: Server, graph: str) -> ox.Store:
    status, _, body = call(
        server.url.rsplit("/", 1)[0] + "/store?" + urllib.parse.urlencode({"graph": graph}),
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200, body
    held = ox.Store()
    held.load(body, format=ox.RdfFormat.N_TRIPLES)
    return held


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_kg_serve(tmp_path_factory.mktemp("writes"), "--workers", "2", "--timeout", "60", token=TOKEN) as server:
        yield server


# --- Writes as parsed triples ---------------------------------------------------------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.status = 0
        self.body = b""

    def start(self, status: int, media_type: str, headers: dict[str, str] | None = None) -> None:
        self.status = status

    def write(self, data: bytes) -> int:
        self.body += data
        return len(data)


def test_a_graph_store_write_never_goes_through_rdflibs_sparql_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The write that took 26 s for 2,000 triples: rdflib's parser read them as one INSERT DATA first."""
    import rdflib.plugins.sparql.parser as parser

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a graph-store write was handed to rdflib's SPARQL parser")

    monkeypatch.setattr(parser, "parseUpdate", refused)
    store = memory_store()
    for kind in ("graph-put", "graph-post", "graph-put"):
        sink = _Sink()
        perform(store, Job(kind, format="application/n-triples", graph="urn:g", body=n_triples(50)), sink)
        assert sink.status in (200, 201)
    assert dict(store.graphs())["urn:g"] == 50


def test_a_put_replaces_a_graph_and_a_post_adds_to_it_in_the_default_graph_too() -> None:
    store = memory_store()
    a, b = (ox.Triple(ox.NamedNode(f"urn:{x}"), ox.NamedNode("urn:p"), ox.Literal("快手")) for x in "ab")
    for graph in ("urn:g", None):
        store.write_graph(graph, [a], replace=True)
        store.write_graph(graph, [b], replace=False)
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        assert {q.triple for q in store.match(graph=target)} == {a, b}
        store.write_graph(graph, [b], replace=True)
        assert {q.triple for q in store.match(graph=target)} == {b}
        store.write_graph(graph, [], replace=True)
        assert next(store.match(graph=target), None) is None
    assert not store.journal()


def test_a_remote_store_writes_a_graph_and_the_default_graph(oxigraph_server: Server) -> None:  # noqa: F811
    remote = RemoteStore(oxigraph_server.url, timeout=60)
    a, b = (ox.Triple(ox.NamedNode(f"urn:remote:{x}"), ox.NamedNode("urn:p"), ox.Literal("快手")) for x in "ab")

    def held(graph: str | None) -> set[str]:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        query = f"SELECT ?s WHERE {{ {pattern} FILTER(STRSTARTS(STR(?s), 'urn:remote:')) }}"
        status, _, body = call(
            oxigraph_server.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"}
        )
        assert status == 200, body
        return set(body.decode().split()[1:])

    for graph in ("urn:remote:g", None):
        remote.write_graph(graph, [a], replace=True)
        remote.write_graph(graph, [b], replace=False)
        assert held(graph) == {"urn:remote:a", "urn:remote:b"}
        remote.write_graph(graph, [b], replace=True)
        assert held(graph) == {"urn:remote:b"}
    assert "urn:remote:g" in remote.dataset


def test_a_remote_answer_in_rdf_xml_is_checked_as_a_file_is() -> None:
    """A server that answers a CONSTRUCT with RDF/XML (asked for N-Triples) whose entities would swell it."""

    class Bomb(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/rdf+xml")
            self.send_header("Content-Length", str(len(ENTITY_BOMB)))
            self.end_headers()
            self.wfile.write(ENTITY_BOMB)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Bomb)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        remote = RemoteStore(f"http://127.0.0.1:{httpd.server_address[1]}/sparql", timeout=30)
        with pytest.raises(RemoteError, match="not well-formed XML: limit on input amplification factor"):
            remote.query("CONSTRUCT WHERE { ?s ?p ?o }")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_replace_killed_before_it_moved_its_staging_graph_leaves_the_old_graph(tmp_path: Path) -> None:
    """A process killed between the two steps of a replace: the next writer drops the staging graph, and the graph
    holds what it held."""
    old = ox.Quad(ox.NamedNode("urn:old"), ox.NamedNode("urn:p"), ox.Literal("old"), ox.NamedNode("urn:g"))
    store = open_disk(tmp_path / "store")
    store.engine.extend([old])
    staging = ox.NamedNode(GRAPH.term("kg-staging/killed"))
    entry = ox.Quad(staging, ox.NamedNode(LOADING), ox.Literal("a graph replaced"), ox.NamedNode(JOURNAL))
    new = ox.Quad(ox.NamedNode("urn:new"), ox.NamedNode("urn:p"), ox.Literal("new"), staging)
    store.engine.extend([entry, new])  # what write_graph commits first; the process dies here
    store.close()
    reopened = open_disk(tmp_path / "store", write=False)
    try:
        assert list(reopened.match(graph=ox.NamedNode("urn:g"))) == [old]
        assert next(reopened.match(graph=staging), None) is None and not reopened.journal()
    finally:
        reopened.close()


def test_the_blank_nodes_of_a_body_are_new_ones() -> None:
    store = memory_store()
    store.write_graph("urn:one", [ox.Triple(ox.BlankNode("b0"), ox.NamedNode("urn:p"), ox.Literal("1"))], replace=False)
    sink = _Sink()
    perform(store, Job("graph-put", format="text/turtle", graph="urn:two", body=b'_:b0 <urn:p> "2" .'), sink)
    ones = [q.subject for q in store.match(graph=ox.NamedNode("urn:one"))]
    twos = [q.subject for q in store.match(graph=ox.NamedNode("urn:two"))]
    assert len(ones) == len(twos) == 1 and ones != twos


def test_kg_load_takes_rdf_1_2_and_checks_the_rest_against_the_shapes(tmp_path: Path, runner: CliRunner) -> None:
    """The shapes check read the store's dump with a reader that knows no RDF 1.2: a traceback before."""
    path = tmp_path / "rdf12.ttl"
    path.write_bytes(RDF_1_2)
    result = runner.invoke(main, ["--store", str(tmp_path / "store"), "load", str(path)])
    assert (result.exit_code, result.output) == (0, f"{path}: 5 triples into <{path.as_uri()}>\n")


def test_a_put_of_valid_rdf_1_2_turtle_is_taken(served: Server) -> None:
    """Refused before with rdflib's message about kg's own generated text."""
    status, body = send(served, "PUT", "graph=urn%3Ardf12", RDF_1_2, "text/turtle")
    assert status == 201, body
    held = graph_of(served, "urn:rdf12")
    assert held.query("ASK { <urn:rdf12:a> <urn:rdf12:says> <<( <urn:rdf12:x> <urn:rdf12:y> <urn:rdf12:z> )>> }")
    assert held.query('ASK { <urn:rdf12:a> <urn:rdf12:name> "كواي"@ar--rtl }')
    assert held.query("ASK { <urn:rdf12:r> <urn:rdf12:since> 2020 }")
    status, body = send(served, "PUT", "graph=urn%3Aafter", b"<urn:a> <urn:b> <urn:c> .", "text/turtle")
    assert status == 201, body  # the store holding RDF 1.2 takes the next write too (its shapes check reads it)


def test_a_syntax_error_names_the_bodys_own_line(served: Server) -> None:
    body = b"PREFIX : <urn:x:>\n:a :b :c .\n:a :b .\n"
    status, answer = send(served, "PUT", "graph=urn%3Abad", body, "text/turtle")
    assert (status, answer) == (400, b"body:3:7: . is not a valid RDF object\n")


def test_an_rdf_xml_entity_bomb_is_refused_before_it_swells(served: Server) -> None:
    """537 bytes took a worker to 19 GB: the CLI checked XML first, the server did not."""
    status, answer = send(served, "PUT", "graph=urn%3Abomb", ENTITY_BOMB, "application/rdf+xml")
    assert status == 400, answer
    assert answer.startswith(b"body:") and b"not well-formed XML: limit on input amplification factor" in answer
    assert answer.count(b"\n") == 1
    assert count_in(served, "urn:bomb") == 0


def test_a_chunked_multipart_upload_is_read(served: Server) -> None:
    """It got 500 ("Stream consumed")."""
    body = (
        b'--kg\r\nContent-Disposition: form-data; name="file"; filename="a.ttl"\r\nContent-Type: text/turtle\r\n\r\n'
        b"<urn:a> <urn:b> <urn:c> .\n\r\n--kg--\r\n"
    )
    media = "multipart/form-data; boundary=kg"
    assert send(served, "PUT", "graph=urn%3Amultipart", body, media, chunked=True) == (201, b"")
    assert count_in(served, "urn:multipart") == 1
    status, answer = send(served, "PUT", "graph=urn%3Amultipart", b"--kg\r\nbroken", media, chunked=True)
    assert 400 <= status < 500 and answer.count(b"\n") == 1, answer


def test_a_post_to_the_store_keeps_strict(tmp_path: Path) -> None:
    """A POST to /store (a new graph, named by the server) was taken whatever --strict said."""
    with start_kg_serve(tmp_path, "--workers", "1", "--strict", token=TOKEN) as server:
        body = (DATA / "broken" / "enterprise-two-parents.ttl").read_bytes()
        port = urllib.parse.urlsplit(server.url).port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request(
            "POST", "/store", body=body, headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
        )
        answer = connection.getresponse()
        assert answer.status == 422 and b"nothing written (kg serve --strict)" in answer.read()


def test_a_write_past_the_timeout_is_stopped_and_writes_nothing(tmp_path: Path) -> None:
    """Writes were allowed an hour, every read getting 503 meanwhile. Two million triples take any machine far past
    the timeout (a fast one wrote 200,000 within it)."""
    with start_kg_serve(
        tmp_path, "--workers", "2", "--timeout", "5", "--max-body", str(100 << 20), token=TOKEN
    ) as server:
        status, answer = send(server, "PUT", "graph=urn%3Aslow", n_triples(2_000_000), "application/n-triples")
        assert status == 503, answer
        assert answer == b"the write ran past the timeout of 5 s and was stopped; nothing was written\n"
        assert count_in(server, "urn:slow") == 0
        deadline = time.monotonic() + 60
        while (answered := send(server, "PUT", "graph=urn%3Aquick", n_triples(3), "application/n-triples"))[0] != 201:
            assert answered == (503, b"every worker stayed busy for 5 s; try again later\n")  # one is starting anew
            assert time.monotonic() < deadline
        assert count_in(server, "urn:quick") == 3


# --- Faults ---------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, size_mb: int) -> Iterator[Path]:
    """A real file system of ``size_mb`` MB (tmpfs) mounted at ``folder``."""
    need(os.geteuid() == 0 and shutil.which("mount") is not None, "mounting a small tmpfs needs root")
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def used_mb(folder: Path) -> float:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize / 2**20


def assert_one_clean_line(log: Path, line: str) -> None:
    text = log.read_text()
    assert "Traceback" not in text, text
    assert [x for x in text.splitlines() if x.startswith("kg serve: ")] == [line], text


def test_a_full_disk_fails_the_write_in_one_line_and_frees_the_disk(tmp_path: Path) -> None:
    """It was a traceback on the server's stderr, "try again" to the client, and a write-ahead log that kept the disk
    full."""
    with small_disk(tmp_path / "disk", 40) as disk:
        store = disk / "store"
        with start_kg_serve(tmp_path, "--workers", "2", token=TOKEN, global_args=("--store", str(store))) as server:
            status, answer = send(server, "PUT", "graph=urn%3Abig", n_triples(60_000, 200), "application/n-triples")
            line = f"the store at {store} could not be written: its disk is full; nothing was written"
            assert (status, answer) == (503, f"{line}\n".encode())
            assert used_mb(disk) < 20  # the failed write's log is gone
            assert count_in(server, "urn:big") == 0
            assert send(server, "PUT", "graph=urn%3Asmall", n_triples(10), "application/n-triples")[0] == 201
            assert count_in(server, "urn:small") == 10
        assert_one_clean_line(server.log, f"kg serve: a write failed: {line}")


def test_a_read_only_store_fails_the_write_in_one_line(tmp_path: Path) -> None:
    """Two worker tracebacks (~45 lines) before. The folder is made immutable (``chattr +i``: no new file in it, for
    root too)."""
    need(os.geteuid() == 0 and shutil.which("chattr") is not None, "an immutable folder needs root and chattr")
    store = tmp_path / "store"
    with start_kg_serve(tmp_path, "--workers", "2", token=TOKEN, global_args=("--store", str(store))) as server:
        subprocess.run(["chattr", "+i", str(store)], check=True)
        try:
            status, answer = send(server, "PUT", "graph=urn%3Ag", n_triples(10), "application/n-triples")
            line = f"cannot open the store at {store}: its folder cannot be written (read-only); nothing was written"
            assert (status, answer) == (503, f"{line}\n".encode())
            assert count_in(server, "urn:g") == 0  # reads go on
        finally:
            subprocess.run(["chattr", "-i", str(store)], check=True)
        assert send(server, "PUT", "graph=urn%3Ag", n_triples(10), "application/n-triples")[0] == 201
    assert_one_clean_line(server.log, f"kg serve: a write failed: {line}")


def test_a_store_that_cannot_write_fails_the_job_with_503_and_one_line() -> None:
    class FullDisk:  # an engine whose disk is full: it reads, and every write fails as RocksDB's does
        def quads_for_pattern(self, *pattern: object) -> list[ox.Quad]:
            return []

        def extend(self, quads: object) -> None:
            raise OSError("IO error: No space left on device: While appending to file: /srv/kg/000012.log")

    job = Job("graph-put", format="text/turtle", graph="urn:g", body=b"<urn:a> <urn:b> <urn:c> .")
    with pytest.raises(HTTPError) as refused:
        perform(Store(FullDisk()), job, _Sink())  # type: ignore[arg-type]
    assert refused.value.status == 503
    assert str(refused.value) == "the store in memory could not be written: its disk is full; nothing was written"
