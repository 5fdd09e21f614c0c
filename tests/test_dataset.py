"""SPARQL's dataset semantics through every face of kg: with no FROM or FROM NAMED (and no protocol dataset) the
default graph is the union of all graphs; with them, a query sees exactly the graphs it names. And the base IRI
relative IRIs are resolved against: ``--base`` on the command line, ``base_iri`` in the API, the endpoint over HTTP."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.stores import Store
from kg.stores.remote import Credentials, RemoteStore

from .servers import Server, call, oxigraph_server, start_kg_serve  # noqa: F401

SEED = "https://w3id.org/sce/graph/seed"
NOTHING = "http://example.org/nothing"
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
NAMED = "SELECT ?g (COUNT(*) AS ?n) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"


def count(store: Store, clause: str = "") -> int:
    return int(store.query(COUNT.format(**{"from": clause})).rows[0][0].value)


def seed_size(store: Store) -> int:
    return dict(store.graphs())[SEED]


def test_without_from_the_default_graph_is_the_union(store: Store) -> None:
    assert count(store) >= store.triple_count() > seed_size(store)


def test_from_a_graph_the_store_lacks_sees_nothing(store: Store) -> None:
    assert count(store, f"FROM <{NOTHING}>") == 0


def test_from_one_graph_sees_that_graph_only(store: Store) -> None:
    assert count(store, f"FROM <{SEED}>") == seed_size(store)


def test_from_named_alone_leaves_the_default_graph_empty(store: Store) -> None:
    assert count(store, f"FROM NAMED <{SEED}>") == 0
    rows = store.query(NAMED.format(**{"from": f"FROM NAMED <{SEED}>"})).rows
    assert [(row[0].value, int(row[1].value)) for row in rows] == [(SEED, seed_size(store))]


def test_from_in_a_string_an_iri_or_a_comment_is_no_dataset(store: Store) -> None:
    text = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o BIND ("FROM <x>" AS ?from) } # FROM <http://example.org/x>'
    assert int(store.query(text).rows[0][0].value) == count(store)


def test_the_protocol_dataset_wins_over_the_querys(store: Store) -> None:
    text = COUNT.format(**{"from": f"FROM <{NOTHING}>"})
    assert int(store.query(text, default_graphs=[SEED]).rows[0][0].value) == seed_size(store)


def test_the_api_keeps_the_dataset_and_takes_a_base(store: Store) -> None:
    graph = kg.Graph(store)
    assert graph.query(COUNT.format(**{"from": "FROM <seed>"}), base_iri="https://w3id.org/sce/graph/").rows[0][
        0
    ].value == str(seed_size(store))


def test_kg_sparql_keeps_the_dataset_and_takes_a_base(runner: CliRunner, store: Store) -> None:
    text = COUNT.format(**{"from": "FROM <seed>"})
    done = runner.invoke(main, ["sparql", text, "--base", "https://w3id.org/sce/graph/", "-f", "csv"])
    assert done.exit_code == 0, done.output
    assert done.output.split() == ["n", str(seed_size(store))]
    done = runner.invoke(main, ["sparql", COUNT.format(**{"from": f"FROM <{NOTHING}>"}), "-f", "csv"])
    assert done.output.split() == ["n", "0"]


@pytest.mark.parametrize("base", ["sce/graph/", "http://example.org/a b", "\udcff"])
def test_a_base_that_is_no_absolute_iri_is_one_line(runner: CliRunner, base: str) -> None:
    done = runner.invoke(main, ["sparql", "ASK {}", "--base", base])
    assert done.exit_code == 2
    assert done.output.startswith("kg: error: --base: ") and done.output.count("\n") == 1


def test_a_relative_from_needs_a_base(runner: CliRunner) -> None:
    done = runner.invoke(main, ["sparql", COUNT.format(**{"from": "FROM <seed>"})])
    assert done.exit_code == 2 and "Traceback" not in done.output


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_kg_serve(tmp_path_factory.mktemp("dataset"), "--workers", "1") as server:
        yield server


def _served_count(server: Server, query: str, **extra: str) -> int:
    url = server.url + "?" + urllib.parse.urlencode({"query": query, **extra})
    status, _, body = call(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_kg_serve_keeps_the_dataset(served: Server, store: Store) -> None:
    assert _served_count(served, COUNT.format(**{"from": f"FROM <{NOTHING}>"})) == 0
    assert _served_count(served, COUNT.format(**{"from": f"FROM <{SEED}>"})) == seed_size(store)
    assert _served_count(served, COUNT.format(**{"from": ""})) == count(store)
    with_protocol = _served_count(served, COUNT.format(**{"from": f"FROM <{NOTHING}>"}), **{"default-graph-uri": SEED})
    assert with_protocol == seed_size(store)


def test_a_remote_store_keeps_the_dataset(oxigraph_server: Server, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "shops.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1, 2, 3 .\n", encoding="utf-8")
    graph = "http://example.org/dataset-test/shops"
    remote = RemoteStore(oxigraph_server.url, credentials=Credentials.from_env(oxigraph_server.env), timeout=60)
    remote.push([data], graph=graph)
    try:
        assert int(remote.query(COUNT.format(**{"from": f"FROM <{graph}>"})).rows[0][0].value) == 3
        assert int(remote.query(COUNT.format(**{"from": f"FROM <{NOTHING}>"})).rows[0][0].value) == 0
        assert int(remote.query(COUNT.format(**{"from": ""})).rows[0][0].value) > 3
    finally:
        remote.drop(graph)
