"""kg serve's short ways and their guarantees: the pool handing a freed worker the next job at once, the direct path
for queries, the result cache with its ETags, and the store on disk after a write that failed."""

from __future__ import annotations

import concurrent.futures
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, start_kg_serve

TOKEN = "fast-test-token"
pytestmark = pytest.mark.server
JSON = "application/sparql-results+json"


def call(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def query_url(server: Server, text: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": text})


def update(server: Server, text: str) -> int:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    return call(server.url, data=text.encode(), headers=headers)[0]


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """kg serve on a store on disk, 2 workers, writes allowed."""
    folder = tmp_path_factory.mktemp("fast-disk")
    server = start_kg_serve(
        folder, "--workers", "2", "--timeout", "10", token=TOKEN, global_args=("--store", str(folder / "store"))
    )
    try:
        yield server
    finally:
        server.stop()


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
