"""``kg serve`` under attack: each break a hostile probe found, with the test that failed before its fix.

(a) The target-graph check reads the IRIs the engine will write (a prefixed name with a backslash escape, a relative
IRI that ``urljoin`` and RFC 3986 resolve differently). (b) A huge query is lexed off the event loop, in bounded
memory.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.stores import Store
from kg.stores.embedded import memory_store
from kg.updates import OwnGraphError

from .servers import Server, call, free_port, kg_program, start_kg_serve

TOKEN = "attack-test-token"
SEED = "https://w3id.org/sce/graph/seed"
#: Updates that reach kg's seed graph by the engine's reading, and not by rdflib's.
SNEAKY = [
    "PREFIX w: <https://w3id.org/sce/> INSERT DATA { GRAPH w:graph\\/seed { <urn:a> <urn:b> <urn:c> } }",
    "BASE <https://w3id.org/> INSERT DATA { GRAPH <sce/graph//../seed> { <urn:a> <urn:b> <urn:c> } }",
    "BASE <https://w3id.org/sce/graph/x/> DROP GRAPH <..//../seed>",
    "PREFIX w: <https://w3id.org/sce/> DROP GRAPH w:graph\\/seed",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_kg_serve(tmp_path_factory.mktemp("attack"), "--workers", "2", "--timeout", "20", token=TOKEN) as server:
        yield server


def seed_size(store: Store) -> int:
    return dict(store.graphs()).get(SEED, 0)


@pytest.mark.parametrize("update", SNEAKY)
def test_an_update_cannot_reach_kgs_graphs_by_the_engines_reading(update: str) -> None:
    store = memory_store()
    before = seed_size(store)
    with pytest.raises(OwnGraphError, match=re.escape(f"kg's own graph <{SEED}>")):
        store.update(update)
    assert seed_size(store) == before > 0


def test_an_escape_outside_a_string_is_refused_in_an_update() -> None:
    store = memory_store()
    with pytest.raises(Exception, match="a backslash outside a string"):
        store.update("INSERT DATA { GRAPH <https://w3id.org/sce/graph/\\u0073eed> { <urn:a> <urn:b> <urn:c> } }")


def _seed_count(server: Server) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SEED}> {{ ?s ?p ?o }} }}"
    status, _, body = call(server.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"})
    assert status == 200
    return int(body.split()[1])


@pytest.mark.parametrize("update", SNEAKY)
def test_kg_serve_keeps_its_graphs_from_sneaky_updates(served: Server, update: str) -> None:
    before = _seed_count(served)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    status, _, body = call(served.url, data=update.encode(), headers=headers, method="POST")
    assert status == 403, body
    assert _seed_count(served) == before


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_huge_query_stops_no_one_and_leaves_no_memory_behind(served: Server) -> None:
    """Half a million tiny tokens (1.5 MB): others are answered meanwhile, and the main process keeps no tokens."""
    huge = ("SELECT * WHERE { " + "?a " * 500_000 + "}").encode()
    before = _rss_kb(served.process.pid)
    outcome: dict[str, int] = {}

    def send() -> None:
        status, _, _ = call(served.url, data=huge, headers={"Content-Type": "application/sparql-query"}, method="POST")
        outcome["status"] = status

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.5)
    slowest = 0.0
    while sender.is_alive():
        start = time.monotonic()
        assert _seed_count(served) > 0
        slowest = max(slowest, time.monotonic() - start)
        time.sleep(0.2)
    sender.join()
    assert outcome["status"] < 500
    assert slowest < 2.0, f"a small query waited {slowest:.1f} s behind the huge one"
    grown = _rss_kb(served.process.pid) - before
    assert grown < 150_000, f"the main process grew by {grown // 1024} MB"


def test_a_long_text_is_read_token_by_token_as_a_short_one_is() -> None:
    """Past CACHED_TEXT the lexer keeps nothing, and reads what it reads for a short text."""
    from kg.sparqltext import CACHED_TEXT, _lex, _tokens, iter_tokens, tokens

    text = "SELECT * WHERE { " + "?名 sce:name '快手' . " * (CACHED_TEXT // 10) + "}"
    assert len(text) > CACHED_TEXT
    held = _tokens.cache_info().currsize
    assert tokens(text) == _lex(text, wide=True)
    assert _tokens.cache_info().currsize == held
    assert not isinstance(iter_tokens(text), tuple)


# --- (c) A slow reader, (g) faults ------------------------------------------------------------------------------------

#: A query whose answer is far bigger than any socket buffer (every pair of statements).
BIG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
#: A query that computes for minutes and says nothing meanwhile (every triple of statements, counted).
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: 1 KB doubled forty times: a terabyte, if nothing stops it.
DOUBLING = (
    'SELECT (STRLEN(?v40) AS ?n) WHERE { BIND("'
    + "x" * 1024
    + '" AS ?v0) '
    + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(40))
    + " }"
)


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("one-worker")
    with start_kg_serve(folder, "--workers", "1", "--timeout", "5", "--worker-memory", "512") as server:
        yield server


def _never_read(server: Server, query: str) -> socket.socket:
    """A client that asks for ``query``'s answer and never reads it."""
    parts = urllib.parse.urlsplit(server.url)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect((parts.hostname, parts.port))
    target = parts.path + "?" + urllib.parse.urlencode({"query": query})
    client.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n".encode())
    return client


def test_a_client_that_never_reads_holds_no_worker_past_the_timeout(one_worker: Server) -> None:
    with _never_read(one_worker, BIG):
        time.sleep(7)  # the timeout (5 s) has passed
        start = time.monotonic()
        assert _seed_count(one_worker) > 0
        assert time.monotonic() - start < 10


def test_a_query_past_the_worker_memory_fails_alone_and_says_why(one_worker: Server) -> None:
    start = time.monotonic()
    status, _, body = call(one_worker.url + "?" + urllib.parse.urlencode({"query": DOUBLING}))
    assert status == 503 and b"more than the 512 MB a worker may take" in body, body
    assert time.monotonic() - start < 5
    assert _seed_count(one_worker) > 0


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [kg_program(), "serve", "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path
        )
    assert done.returncode == 2
    assert done.stderr.startswith(f"kg: error: cannot listen on 127.0.0.1:{port}: ") and done.stderr.count("\n") == 1
    assert "serving" not in done.stderr


def test_a_second_server_on_one_store_refuses_to_start(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    with start_kg_serve(tmp_path, "--workers", "1", global_args=("--store", store)):
        done = subprocess.run(
            [kg_program(), "--store", store, "serve", "--port", str(free_port()), "--workers", "1"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    assert done.returncode == 2
    assert done.stderr == f"kg: error: the store at {store} is served by another kg serve already\n"


def _workers(server: Server) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                status = (entry / "status").read_text()
                command = (entry / "cmdline").read_bytes()
                if f"PPid:\t{server.process.pid}\n" in status and b"spawn_main" in command:
                    found.append(int(entry.name))
    return found


def _gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "State:\tZ" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "State:\tZ"


def _ask_quietly(url: str) -> None:
    with contextlib.suppress(OSError, http.client.HTTPException):
        call(url)


def test_workers_die_with_the_server_even_by_sigkill(tmp_path: Path) -> None:
    with start_kg_serve(tmp_path, "--workers", "2", "--timeout", "60") as server:
        workers = _workers(server)
        assert len(workers) == 2
        busy = threading.Thread(target=_ask_quietly, args=(server.url + "?" + urllib.parse.urlencode({"query": LONG}),))
        busy.start()
        time.sleep(1)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        assert _gone(workers, 5), "a worker outlived the server"


def test_sigterm_ends_the_server_while_a_client_holds_an_answer(tmp_path: Path) -> None:
    with start_kg_serve(tmp_path, "--workers", "1", "--timeout", "60") as server, _never_read(server, BIG):
        time.sleep(1)
        start = time.monotonic()
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(30)
        assert time.monotonic() - start < 15


def test_a_connection_that_sends_no_head_is_closed(served: Server) -> None:
    parts = urllib.parse.urlsplit(served.url)
    with socket.create_connection((parts.hostname, parts.port)) as idle:
        idle.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")  # and never the blank line that ends the head
        idle.settimeout(30)
        start = time.monotonic()
        assert idle.recv(1024) == b""
        assert time.monotonic() - start < 15


def test_a_head_of_megabytes_is_refused_without_the_server_growing(served: Server) -> None:
    parts = urllib.parse.urlsplit(served.url)
    before = _rss_kb(served.process.pid)
    with socket.create_connection((parts.hostname, parts.port)) as client:
        client.settimeout(30)
        with contextlib.suppress(OSError):
            client.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
            for _ in range(64):
                client.sendall(b"X-Filler: " + b"y" * (1 << 20) + b"\r\n")
        answer = b""
        with contextlib.suppress(OSError):
            answer = client.recv(1024)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer
    assert _rss_kb(served.process.pid) - before < 20_000
    assert _seed_count(served) > 0


@pytest.mark.parametrize(
    "path", ["/sparql?query=ASK%20%7B%7D", "/sparql", "/api/models", "/store?default", "/store?graph=" + SEED]
)
def test_negotiated_answers_vary_on_accept(served: Server, path: str) -> None:
    root = served.url.removesuffix("/sparql")
    status, headers, _ = call(root + path, headers={"Accept": "application/json, text/turtle;q=0.9, */*;q=0.1"})
    assert status == 200
    vary = {k.lower(): v for k, v in headers.items()}.get("vary", "")
    assert "Accept" in vary, headers
