"""Boundaries that hold, tried as a hostile or careless user would: what reaches the network, what writes where, how
kg fails. Each class of failure found in the field has its regression test here, with the real thing: a listener on
loopback that counts the requests reaching it, a slow server, a device node, a fifo, a corrupt store, Oxigraph's
server behind a proxy that fails."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .servers import Server, oxigraph_server  # noqa: F401

KG = str(Path(sys.executable).parent / "kg")
PWN = (
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/sce/id/kuaishou> rdfs:label "pwned"@en .\n'
)


def kg(*args: str, env: dict[str, str] | None = None, **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, **options)


def one_line_error(done: subprocess.CompletedProcess[str], *, code: int = 2) -> str:
    """The one error line of a failed run (and a check that it is all there is)."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.startswith("kg: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


class Listener:
    """An HTTP server on loopback that counts requests; ``respond`` writes each answer."""

    def __init__(self, respond: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None) -> None:
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                listener.requests += 1
                (respond or _empty)(self)

            do_GET = do_PUT = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.requests = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _empty(handler: http.server.BaseHTTPRequestHandler) -> None:
    body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


# --- 1. SERVICE through every door ------------------------------------------------------------------------------------


def escaped_service(url: str) -> str:
    return f"SELECT * WHERE {{ BIND(id:a\\# AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }}"


def test_service_behind_an_escape_is_refused_and_nothing_is_sent(listener: Listener, tmp_path: Path) -> None:
    query = escaped_service(listener.url)
    file = tmp_path / "q.rq"
    file.write_text(query, encoding="utf-8")
    for args in (
        ["sparql", query],
        ["sparql", f"@{file}"],
        ["render", "--sparql", query, "-o", str(tmp_path / "r.html")],
        ["--store", "http://127.0.0.1:9/query", "sparql", query],
    ):
        error = one_line_error(kg(*args))
        assert "SERVICE would reach out to the network" in error
    assert listener.requests == 0
    done = kg("sparql", query, "--allow-service", "-f", "csv")
    assert done.returncode == 0 and listener.requests == 1  # the listener works: allowed, the call is made


# --- 2. kg's own graphs -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("graph", ["https://w3id.org/sce/graph/seed", "https://w3id.org/sce/graph/kg-journal"])
def test_a_load_into_kgs_own_graphs_is_refused(tmp_path: Path, graph: str) -> None:
    pwn = tmp_path / "pwn.ttl"
    pwn.write_text(PWN, encoding="utf-8")
    store = tmp_path / "store"
    error = one_line_error(kg("--store", str(store), "load", "--graph", graph, str(pwn)))
    assert "one of kg's own graphs" in error
    labels = kg("--store", str(store), "sparql", "SELECT ?l WHERE { id:kuaishou rdfs:label ?l }", "-f", "csv")
    assert "pwned" not in labels.stdout and "Kuaishou" in labels.stdout


def test_a_push_into_kgs_own_graphs_is_refused_before_any_request(listener: Listener, tmp_path: Path) -> None:
    pwn = tmp_path / "pwn.ttl"
    pwn.write_text(PWN, encoding="utf-8")
    error = one_line_error(kg("--store", listener.url, "--data", str(pwn), "push", "--graph", GRAPH_SEED))
    assert "one of kg's own graphs" in error
    error = one_line_error(kg("--store", listener.url, "load", "--graph", GRAPH_SEED, str(pwn)))
    assert "one of kg's own graphs" in error
    assert listener.requests == 0


GRAPH_SEED = "https://w3id.org/sce/graph/seed"


# --- 3. Remote work is bounded ----------------------------------------------------------------------------------------


def test_a_server_that_trickles_is_cut_off_at_the_deadline() -> None:
    def trickle(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        for char in b'{"head":{"vars":["s"]},"results":{"bindings":[' + b" " * 100:
            handler.wfile.write(bytes([char]))
            handler.wfile.flush()
            time.sleep(0.2)

    server = Listener(trickle)
    try:
        start = time.monotonic()
        error = one_line_error(kg("--store", server.url, "query", "models", env={"KG_SPARQL_TIMEOUT": "1"}))
        elapsed = time.monotonic() - start
    finally:
        server.close()
    assert "did not answer within 1 s" in error
    assert elapsed < 6  # a byte every 0.2 s would hold a per-read timeout for over 30 s


def test_an_endless_answer_is_cut_off_at_the_byte_cap() -> None:
    def endless(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        handler.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[')
        row = b'{"s":{"type":"literal","value":"' + b"x" * 1000 + b'"}},'
        try:
            for _ in range(100_000):
                handler.wfile.write(row)
        except OSError:
            pass

    server = Listener(endless)
    try:
        error = one_line_error(kg("--store", server.url, "query", "models", env={"KG_SPARQL_MAX_BYTES": "200000"}))
    finally:
        server.close()
    assert "sent more than 200,000 bytes (set KG_SPARQL_MAX_BYTES for more)" in error


def test_the_remote_syntax_check_never_computes_the_query() -> None:
    values = " ".join(str(i) for i in range(3000))
    query = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }} ORDER BY ?a"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    start = time.monotonic()
    error = one_line_error(kg("--store", f"http://127.0.0.1:{port}/query", "sparql", query))
    assert "cannot reach" in error
    assert time.monotonic() - start < 10  # evaluated here, the 9M-row sort takes over 20 s


def test_rows_a_server_garbles_half_way_are_one_line() -> None:
    def garbled(handler: http.server.BaseHTTPRequestHandler) -> None:
        body = b'{"head":{"vars":["model"]},"results":{"bindings":[{"model":{"type":"uri","value":"urn:a"}},{"mo'
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server = Listener(garbled)
    try:
        for fmt in ("json", "csv", "table"):
            one_line_error(kg("--store", server.url, "query", "models", "-f", fmt))
    finally:
        server.close()


# --- 5. --output writes regular files only --------------------------------------------------------------------------


def test_output_onto_a_device_a_fifo_or_a_folder_is_refused_and_nothing_is_replaced(tmp_path: Path) -> None:
    device, fifo, folder = tmp_path / "null", tmp_path / "fifo", tmp_path / "folder"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mkfifo(fifo)
    folder.mkdir()
    for target, said in ((device, "not a regular file (a device)"), (fifo, "(a fifo)"), (folder, "is a directory")):
        error = one_line_error(kg("query", "models", "-o", str(target)))
        assert said in error
    assert stat.S_ISCHR(device.stat().st_mode) and stat.S_ISFIFO(fifo.stat().st_mode) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "folder", "null"]


def test_a_full_disk_on_stdout_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([KG, "query", "models", "-f", "csv"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr == "kg: error: standard output: the disk is full\n"


# --- 6. No tracebacks -------------------------------------------------------------------------------------------------


def test_bad_bytes_and_bad_places_are_one_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b'SELECT * WHERE { ?s ?p "\xff" }')
    assert "bad.rq: not valid UTF-8 at byte 24" in one_line_error(kg("sparql", f"@{bad}"))
    assert "stdin: not valid UTF-8 at byte 7" in one_line_error(kg("sparql", "-", input=None, **_stdin(b"SELECT \xff")))
    assert "not valid UTF-8" in one_line_error(subprocess_bytes([KG, "sparql", b"SELECT \xff"]))
    long = tmp_path / "long.nt"
    long.write_text('<urn:a> <urn:b> "' + "x" * 17_000_000 + '" .\n', encoding="utf-8")
    assert "longer than the parser takes (16 MB)" in one_line_error(kg("--data", str(long), "stats"))
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("garbage\n")
    assert "cannot open the store" in one_line_error(kg("--store", str(corrupt), "stats"))
    error = one_line_error(
        kg("--store", "http://127.0.0.1:9/query", "query", "models", env={"KG_SPARQL_TIMEOUT": "inf"})
    )
    assert "KG_SPARQL_TIMEOUT must be a positive number" in error
    assert "is not in the range" in one_line_error(kg("path", "a", "b", "--max", "1" + "0" * 30))


def _stdin(data: bytes) -> dict[str, Any]:
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return {"stdin": read}


def subprocess_bytes(command: list[Any]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


# --- 7. Remote loads all or nothing -----------------------------------------------------------------------------------


class FailingProxy:
    """Forwards requests to a real server, but answers 500 to the ``fail_at``-th PUT."""

    def __init__(self, target: str, fail_at: int) -> None:
        proxy = self
        self.puts = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "PUT":
                    proxy.puts += 1
                    if proxy.puts == fail_at:
                        self.send_response(500)
                        self.send_header("Content-Length", "4")
                        self.end_headers()
                        self.wfile.write(b"boom")
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                request = urllib.request.Request(target + self.path, data=body or None, method=self.command)
                for name, value in headers.items():
                    request.add_header(name, value)
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        status, data, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
                except urllib.error.HTTPError as error:
                    status, data, kind = error.code, error.read(), error.headers.get("Content-Type", "")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.server
def test_a_push_that_fails_half_way_leaves_the_server_as_it_was(
    oxigraph_server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first.ttl", tmp_path / "second.ttl"
    first.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    second.write_text("<urn:x:d> <urn:x:e> <urn:x:f> .\n", encoding="utf-8")
    base = oxigraph_server.url.rsplit("/", 1)[0]
    before = _all_quads(base)
    proxy = FailingProxy(base, fail_at=4)  # three graphs are staged, the fourth upload fails
    try:
        error = one_line_error(
            kg("--store", proxy.base + "/query", "--data", str(first), "--data", str(second), "push")
        )
    finally:
        proxy.close()
    assert "500" in error and error.endswith("nothing was changed on the server\n")
    assert _all_quads(base) == before  # no graph replaced, no staging graph left behind


def _all_quads(base: str) -> str:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    request = urllib.request.Request(
        base + "/query", data=urllib.parse.urlencode({"query": query}).encode(), headers={"Accept": "text/csv"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return str(answer.read().decode())


# --- 8. One line, names quoted ----------------------------------------------------------------------------------------


def test_usage_errors_are_one_line() -> None:
    assert "Missing argument 'NAME'" in one_line_error(kg("query"))
    assert "No such option" in one_line_error(kg("--nope"))


def test_names_with_control_characters_are_quoted(tmp_path: Path) -> None:
    error = one_line_error(kg("--data", str(tmp_path / "a\nb.ttl"), "stats"))
    assert "a\\nb.ttl" in error


# --- 9. Ctrl-C --------------------------------------------------------------------------------------------------------


def test_ctrl_c_stops_a_running_aggregate_at_once(tmp_path: Path) -> None:
    values = " ".join(str(i) for i in range(2000))
    blocks = f"VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ 1 2 3 4 5 6 7 8 }}"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {blocks} }}"
    target = tmp_path / "count.csv"
    running = subprocess.Popen([KG, "sparql", query, "-o", str(target)], stderr=subprocess.PIPE)
    time.sleep(1.5)
    assert running.poll() is None  # still counting
    start = time.monotonic()
    running.send_signal(signal.SIGINT)
    code = running.wait(timeout=30)
    assert code == 130 and time.monotonic() - start < 3  # the count alone takes far longer
    assert list(tmp_path.iterdir()) == []
