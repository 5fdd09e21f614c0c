"""kg serve's short ways and their guarantees: the pool handing a freed worker the next job at once, the direct path
for queries, the result cache with its ETags, and the store on disk after a write that failed."""

from __future__ import annotations

import concurrent.futures
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, call, start_kg_serve

TOKEN = "fast-test-token"
pytestmark = pytest.mark.server
JSON = "application/sparql-results+json"


def query_url(server: Server, text: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": text})


def update(server: Server, text: str) -> int:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    return call(server.url, data=text.encode(), headers=headers)[0]


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve on a store on disk, 2 workers, writes allowed."""
    folder = tmp_path_factory.mktemp("fast-disk")
    with start_kg_serve(
        folder, "--workers", "2", "--timeout", "10", token=TOKEN, global_args=("--store", str(folder / "store"))
    ) as server:
        yield server


def test_a_failed_update_on_disk_leaves_every_worker_reading(on_disk: Server) -> None:
    """An update the engine refuses (400) on a store on disk: the workers that let go of the store for it open it again,
    so that every later query answers (one worker in two said "the store has been closed")."""
    assert update(on_disk, "INSERT DATA { <urn:a> <urn:b> ") == 400
    for _ in range(8):
        status, _, body = call(query_url(on_disk, "ASK {}"), headers={"Accept": JSON})
        assert (status, body) == (200, b'{"head":{},"boolean":true}\n')


def test_many_clients_at_once_get_their_own_answers(on_disk: Server) -> None:
    """32 requests at once on 2 workers, each asking for a different literal: each gets its own back (the worker freed
    by one answer takes the next job while that answer is still being read)."""

    def ask(index: int) -> bytes:
        status, _, body = call(
            query_url(on_disk, f"SELECT ?n WHERE {{ BIND({index} AS ?n) }}"), headers={"Accept": "text/csv"}
        )
        assert status == 200
        return body

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(ask, range(200)))
    assert answers == [f"n\r\n{index}\r\n".encode() for index in range(200)]


def test_a_write_on_disk_is_read_by_every_worker(on_disk: Server, tmp_path: Path) -> None:
    """After an INSERT through one worker, every later query (on either worker) sees it."""
    assert update(on_disk, "INSERT DATA { GRAPH <urn:fast:g> { <urn:fast:s> <urn:fast:p> 'one' } }") == 204
    for _ in range(6):
        status, _, body = call(
            query_url(on_disk, "SELECT ?o WHERE { <urn:fast:s> <urn:fast:p> ?o }"), headers={"Accept": "text/csv"}
        )
        assert (status, body) == (200, b"o\r\none\r\n")


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve on the built-in graph in memory with its defaults (the cache on), writes allowed."""
    with start_kg_serve(tmp_path_factory.mktemp("fast-memory"), "--workers", "2", token=TOKEN) as server:
        yield server


def test_an_answer_asked_again_comes_from_the_cache(in_memory: Server) -> None:
    """The second asking of a query and of a named query is answered from the cache, with the same bytes and ETag."""
    for url in (
        query_url(in_memory, "SELECT ?m WHERE { ?m a ?t } LIMIT 3"),
        in_memory.url[: -len("/sparql")] + "/api/models",
    ):
        first = call(url, headers={"Accept": JSON})
        second = call(url, headers={"Accept": JSON})
        assert first[0] == second[0] == 200
        assert "x-cache" not in first[1] and second[1]["x-cache"] == "hit"
        assert first[2] == second[2] and first[1]["etag"] == second[1]["etag"]


def test_a_write_empties_the_cache(in_memory: Server) -> None:
    """A query answered from the cache, then an update: the same query answers with the update in it (read your
    writes), and the ETag of the old answer no longer gives a 304."""
    url = query_url(in_memory, "SELECT ?o WHERE { <urn:cache:s> <urn:cache:p> ?o }")
    call(url, headers={"Accept": "text/csv"})
    status, headers, body = call(url, headers={"Accept": "text/csv"})
    assert (status, headers["x-cache"], body) == (200, "hit", b"o\r\n")
    assert update(in_memory, "INSERT DATA { GRAPH <urn:cache:g> { <urn:cache:s> <urn:cache:p> 'new' } }") == 204
    status, fresh, body = call(url, headers={"Accept": "text/csv", "If-None-Match": headers["etag"]})
    assert (status, body) == (200, b"o\r\nnew\r\n") and "x-cache" not in fresh
    assert update(in_memory, "DELETE DATA { GRAPH <urn:cache:g> { <urn:cache:s> <urn:cache:p> 'new' } }") == 204
    assert call(url, headers={"Accept": "text/csv"})[2] == b"o\r\n"


def test_etag_gives_304(in_memory: Server) -> None:
    """An answer's ETag sent back in If-None-Match (alone, weak, in a list, or *) gives 304 with no body; another
    format of the same answer has another ETag."""
    url = query_url(in_memory, "SELECT ?m WHERE { ?m a ?t } LIMIT 2")
    status, headers, _ = call(url, headers={"Accept": JSON})
    tag = headers["etag"]
    for condition in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        status, headers, body = call(url, headers={"Accept": JSON, "If-None-Match": condition})
        assert (status, headers["etag"], body) == (304, tag, b"")
    status, headers, _ = call(url, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert status == 200 and headers["etag"] != tag


def test_head_on_a_graph_says_whether_it_is_there(in_memory: Server) -> None:
    """HEAD on /store: 200 with the graph's media type and no body for a graph that is there, 404 for one that
    is not."""
    store = in_memory.url[: -len("/sparql")] + "/store"
    assert update(in_memory, "INSERT DATA { GRAPH <urn:head:g> { <urn:head:s> <urn:head:p> 'o' } }") == 204
    graph = urllib.parse.quote("urn:head:g", safe="")
    status, headers, body = call(f"{store}?graph={graph}", headers={"Accept": "application/n-triples"}, method="HEAD")
    assert (status, headers["content-type"], body) == (200, "application/n-triples", b"")
    missing = urllib.parse.quote("urn:head:none", safe="")
    assert call(f"{store}?graph={missing}", method="HEAD")[0] == 404


def test_without_the_cache_every_answer_is_computed(tmp_path: Path) -> None:
    """--cache 0: nothing is kept (no answer says it came from the cache), and ETags still give 304."""
    server = start_kg_serve(tmp_path, "--workers", "2", "--cache", "0")
    try:
        url = query_url(server, "ASK { ?s ?p ?o }")
        answers = [call(url, headers={"Accept": JSON}) for _ in range(3)]
        assert all(status == 200 and "x-cache" not in headers for status, headers, _ in answers)
        tag = answers[0][1]["etag"]
        assert call(url, headers={"Accept": JSON, "If-None-Match": tag})[0] == 304
    finally:
        server.stop()


def test_an_answer_streaming_past_the_timeout_is_cut_not_shortened(tmp_path: Path) -> None:
    """A SELECT streaming rows when --timeout comes: its 200 went out first, so the answer ends without its last chunk
    (the client sees it incomplete, never a short answer as if whole), the server says so in one line, and answers
    the next query."""
    server = start_kg_serve(tmp_path, "--workers", "2", "--timeout", "1")
    try:
        values = " ".join(str(i) for i in range(1000))
        text = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
        parts = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        connection.request(
            "POST",
            "/sparql",
            body=text.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        )
        answer = connection.getresponse()
        assert answer.status == 200 and answer.getheader("transfer-encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead):
            while answer.read(1 << 20):
                pass
        connection.close()
        assert call(query_url(server, "ASK {}"), headers={"Accept": JSON})[0] == 200
        log = server.log.read_text()
        assert "an answer still streaming at the timeout of 1 s was stopped; its client gets it cut short" in log
        assert "Traceback" not in log
    finally:
        server.stop()


def test_a_form_field_that_is_not_utf8_is_a_400(in_memory: Server) -> None:
    """A form whose field is percent-encoded bytes that are not UTF-8 gets 400 with a message, from a browser (through
    Starlette's middleware) or not (the direct path): it was a 500."""
    for headers in ({}, {"Origin": "http://example.org"}):
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = call(in_memory.url, data=b"query=%ff", headers=headers)
        assert (status, body) == (400, b"a field of the form is percent-encoded bytes that are not UTF-8\n")
