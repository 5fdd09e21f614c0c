"""``kg serve`` under attack: each break a hostile probe found, with the test that failed before its fix.

(a) The target-graph check reads the IRIs the engine will write (a prefixed name with a backslash escape, a relative
IRI that ``urljoin`` and RFC 3986 resolve differently). (b) A huge query is lexed off the event loop, in bounded
memory.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.stores import Store
from kg.stores.embedded import memory_store
from kg.updates import OwnGraphError

from .servers import Server, call, start_kg_serve

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
