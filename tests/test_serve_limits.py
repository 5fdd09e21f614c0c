"""kg serve under pressure, each against the real server on loopback: many clients at once, slow clients, a body far
over the limit, an answer of a million rows, a client that hangs up, and a SIGKILL in the middle of an update.

Memory is read from /proc (VmRSS and VmHWM of the server and of its worker processes); no assertion here is about
speed beyond generous bounds on responsiveness (the figures are in bench/serve.py).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, kg_program, start_kg_serve
from .test_remote import PARAMETERS

TOKEN = "limits-test-token"
pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve on the built-in graph: 2 workers, a 60-second timeout, a 1 MB body limit."""
    server = start_kg_serve(
        tmp_path_factory.mktemp("limits"), "--workers", "2", "--timeout", "60", "--max-body", str(1 << 20)
    )
    try:
        yield server
    finally:
        server.stop()


# --- Reading /proc --------------------------------------------------------------------------------------------------


def memory_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of process ``pid`` from /proc/PID/status, in kB (VmRSS: now; VmHWM: its peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


def children(pid: int) -> list[int]:
    """The worker processes of the server ``pid``: its children started by multiprocessing's spawn (not its resource
    tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid and b"spawn_main" in (entry / "cmdline").read_bytes():
            found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process ``pid`` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def address(server: Server) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(server.url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def get(server: Server, path: str, *, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    """One GET on a fresh connection: status and body."""
    connection = http.client.HTTPConnection(*address(server), timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def ask(server: Server) -> bool:
    status, body = get(server, "/sparql?query=" + urllib.parse.quote("ASK { ?s a ?t }"))
    return status == 200 and json.loads(body)["boolean"] is True


# --- Many clients ---------------------------------------------------------------------------------------------------

#: What the load test asks for, in turn: named queries through /api and SPARQL through /sparql.
LOAD_PATHS = [
    "/api/models",
    "/api/enterprise-model?enterprise=" + urllib.parse.quote(PARAMETERS["enterprise"]),
    "/api/models-targeting?segment=" + urllib.parse.quote(PARAMETERS["segment"]),
    "/sparql?query="
    + urllib.parse.quote(
        "SELECT ?m ?l WHERE { ?m a <https://w3id.org/sce/ontology#SocialCommerceModel> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    ),
]


def test_64_clients_for_20_seconds_get_no_error(served: Server) -> None:
    """64 clients, each on its own keep-alive connection, ask named queries and SPARQL for 20 s: every answer is a
    200 holding rows."""
    done = [0] * 64
    errors: list[str] = []
    stop = time.monotonic() + 20

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(*address(served), timeout=60)
        try:
            while time.monotonic() < stop:
                path = LOAD_PATHS[(index + done[index]) % len(LOAD_PATHS)]
                connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                answer = connection.getresponse()
                body = answer.read()
                if answer.status != 200 or not json.loads(body)["results"]["bindings"]:
                    errors.append(f"{path}: {answer.status} {body[:200]!r}")
                    return
                done[index] += 1
        except (OSError, http.client.HTTPException, ValueError) as error:
            errors.append(f"client {index}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    print(f"64 clients, 20 s: {sum(done)} requests answered, {len(errors)} errors")
    assert errors == []
    assert all(count > 0 for count in done), "a client got no answer at all"


# --- Slow clients ---------------------------------------------------------------------------------------------------


def test_clients_sending_a_byte_a_second_block_no_one(served: Server) -> None:
    """Eight clients send their request a byte a second; meanwhile a normal query answers within a second, every
    time, and the slow requests are answered once they are complete."""
    request = b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    slow = [socket.create_connection(address(served), timeout=30) for _ in range(8)]
    try:
        for second in range(5):
            for sock in slow:
                sock.sendall(request[second : second + 1])
            started = time.monotonic()
            assert ask(served)
            assert time.monotonic() - started < 1.0
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        for sock in slow:
            sock.sendall(request[5:])
        for sock in slow:
            assert _read_all(sock).startswith(b"HTTP/1.1 200")
    finally:
        for sock in slow:
            sock.close()


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while piece := sock.recv(65536):
        data += piece
    return data


# --- A body far over the limit ------------------------------------------------------------------------------------


def test_a_200_mb_body_is_refused_without_the_server_growing(served: Server) -> None:
    """200 MB sent as a query (declared, and chunked without a length) get 413 and the server's memory stays where it
    was: it reads no further than its 1 MB limit."""
    pid = served.process.pid
    assert ask(served)
    before = memory_kb(pid)
    chunk = b"#" * (1 << 20)
    for framing in ("declared", "chunked"):
        with socket.create_connection(address(served), timeout=30) as sock:
            head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            if framing == "declared":
                sock.sendall(head + f"Content-Length: {200 << 20}\r\n\r\n".encode())
            else:
                sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
            sent = 0
            try:
                while sent < 200 << 20:
                    piece = chunk if framing == "declared" else b"100000\r\n" + chunk + b"\r\n"
                    sock.sendall(piece)
                    sent += len(chunk)
            except OSError:  # the server answered and closed: it read no more
                pass
            answer = _read_all_tolerant(sock)
        assert answer.startswith(b"HTTP/1.1 413"), (framing, answer[:200])
        assert b"1048576" in answer
        assert sent < 200 << 20, "the server read the whole body"
    after = memory_kb(pid)
    assert after - before < 20 * 1024, f"the server grew from {before} kB to {after} kB"
    assert ask(served)


def _read_all_tolerant(sock: socket.socket) -> bytes:
    data = b""
    try:
        while piece := sock.recv(65536):
            data += piece
    except OSError:
        pass
    return data


# --- A million rows, and a client that hangs up ----------------------------------------------------------------------


def cross_product(sizes: tuple[int, ...], width: int) -> str:
    """A SELECT of the product of ``sizes`` rows, built from VALUES alone; the first column a string of ``width``."""
    blocks = []
    for column, size in enumerate(sizes):
        if column == 0:
            values = " ".join(f'"{index:0{width}d}"' for index in range(size))
        else:
            values = " ".join(str(index) for index in range(size))
        blocks.append(f"VALUES ?v{column} {{ {values} }}")
    return f"SELECT * WHERE {{ {' '.join(blocks)} }}"


def test_a_million_rows_stream_with_bounded_memory(served: Server) -> None:
    """A SELECT of 1,000,000 rows (about 90 MB of CSV) reaches the client whole, while neither the server nor its
    workers grow by more than a fraction of the answer."""
    pid = served.process.pid
    assert ask(served)
    workers = children(pid)
    assert len(workers) == 2
    before = {p: memory_kb(p) for p in (pid, *workers)}
    peak = dict(before)
    streaming = True

    def watch() -> None:  # the highest RSS of each process while the answer streams
        while streaming:
            for p in peak:
                peak[p] = max(peak[p], memory_kb(p))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    query = cross_product((100, 100, 100), 80)
    connection = http.client.HTTPConnection(*address(served), timeout=120)
    try:
        body = urllib.parse.urlencode({"query": query})
        headers = {"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/sparql", body=body, headers=headers)
        answer = connection.getresponse()
        assert answer.status == 200
        rows = size = 0
        while piece := answer.read(1 << 20):
            rows += piece.count(b"\n")
            size += len(piece)
    finally:
        connection.close()
        streaming = False
        watcher.join()
    assert rows == 1_000_000 + 1  # and the header
    assert size > 80_000_000
    grown = {p: peak[p] - before[p] for p in before}
    print(f"{size / 1e6:.0f} MB answered; RSS grew at most by (kB): {grown}")
    assert all(kb < 40 * 1024 for kb in grown.values()), grown


def test_a_client_hanging_up_stops_the_work(served: Server) -> None:
    """A client that reads the start of a billion-row answer and hangs up has its worker stopped: that process is
    gone within a few seconds, and a small query answers meanwhile."""
    pid = served.process.pid
    assert ask(served)
    before = set(children(pid))
    query = cross_product((1000, 1000, 1000), 20)
    sock = socket.create_connection(address(served), timeout=30)
    body = urllib.parse.urlencode({"query": query}).encode()
    head = (
        "POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    sock.sendall(head.encode() + body)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    sock.close()
    started = time.monotonic()
    while set(children(pid)) >= before and time.monotonic() - started < 10:
        time.sleep(0.1)
    gone = before - set(children(pid))
    assert len(gone) == 1, f"workers before {before}, now {children(pid)}"
    assert ask(served)
    deadline = time.monotonic() + 30  # the pool starts a worker in the stopped one's place
    while len(children(pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(children(pid)) == 2


# --- SIGKILL in the middle of an update ------------------------------------------------------------------------------

BIG = 200_000
GRAPH = "urn:test:killed"


def test_a_store_on_disk_is_all_or_nothing_through_a_sigkill(tmp_path: Path) -> None:
    """An INSERT DATA of 200,000 triples into a store on disk, the server and its workers SIGKILLed while it runs:
    the store reopens with all of the update or none of it, and the graph as it was before is whole."""
    store = tmp_path / "store"
    subprocess.run([kg_program(), "--store", str(store), "graphs"], check=True, capture_output=True)
    before = _count(store, "")
    server = start_kg_serve(
        tmp_path, "--workers", "2", "--timeout", "120", "--max-body", str(64 << 20),
        token=TOKEN, global_args=("--store", str(store)),
    )  # fmt: skip
    try:
        pid = server.process.pid
        lines = "".join(f"<urn:test:s{i}> <urn:test:p> 'value {i}' .\n" for i in range(BIG))
        update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{\n{lines}}} }}".encode()
        sock = socket.create_connection(address(server), timeout=120)
        head = (
            f"POST /sparql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/sparql-update\r\nContent-Length: {len(update)}\r\n\r\n"
        )
        sock.sendall(head.encode() + update)
        workers = children(pid)
        spent = {p: cpu_seconds(p) for p in workers}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and all(cpu_seconds(p) - spent[p] < 0.5 for p in workers):
            time.sleep(0.05)  # until a worker has spent half a second on the update
        for victim in (pid, *workers):
            os.kill(victim, signal.SIGKILL)
        server.process.wait(10)
        answer = _read_all_tolerant(sock)
        sock.close()
    finally:
        server.stop()
    assert not answer.startswith(b"HTTP/1.1 204"), "the update finished before the kill: make it bigger"
    written = _count(store, GRAPH)
    print(f"after the SIGKILL the store holds {written} of the {BIG} triples")
    assert written in (0, BIG)
    assert _count(store, "") - _count(store, GRAPH) == before


def _count(store: Path, graph: str) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    done = subprocess.run(
        [kg_program(), "--store", str(store), "sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", "-f", "csv"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return int(done.stdout.split()[1])
