"""The dataset whole over HTTP: ``GET /store`` as TriG or N-Quads with every named graph, the union as a graph, a
graph's page as N-Quads keeping its name; a round trip into Oxigraph's server and Virtuoso keeps every graph with its
count, and rdflib reads every graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib

from kg.stores import Store
from kg.stores.remote import Credentials, RemoteStore
from kg.vocab import GRAPH

from .conftest import need
from .servers import Server, call, oxigraph_program, start_kg_serve, start_oxigraph, virtuoso_server  # noqa: F401

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_kg_serve(tmp_path_factory.mktemp("datasets"), "--workers", "1")
    try:
        yield server
    finally:
        server.stop()


def _root(server: Server) -> str:
    return server.url.rsplit("/", 1)[0]


def _media(headers: dict[str, str]) -> str:
    return next(v for k, v in headers.items() if k.lower() == "content-type").split(";")[0]


def _counts(quads: Iterator[ox.Quad] | list[ox.Quad]) -> list[tuple[str, int]]:
    found = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    return sorted(found.items())


@pytest.mark.parametrize(
    "accept,media,fmt",
    [
        ("", "application/trig", ox.RdfFormat.TRIG),
        ("*/*", "application/trig", ox.RdfFormat.TRIG),
        ("application/trig", "application/trig", ox.RdfFormat.TRIG),
        ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
    ],
)
def test_the_store_without_a_graph_gives_the_dataset_with_every_graph(
    served: Server, store: Store, accept: str, media: str, fmt: ox.RdfFormat
) -> None:
    status, headers, body = call(_root(served) + "/store", headers={"Accept": accept} if accept else {})
    assert status == 200 and _media(headers) == media
    assert _counts(list(ox.parse(body, format=fmt))) == store.graphs()


def test_the_store_as_triples_is_the_union_as_sparql_sees_it(served: Server, store: Store) -> None:
    """Asked for Turtle, the dataset has no place for graph names: the union, each statement once."""
    status, headers, body = call(_root(served) + "/store", headers={"Accept": "text/turtle"})
    assert status == 200 and _media(headers) == "text/turtle"
    assert len(set(ox.parse(body, format=ox.RdfFormat.TURTLE))) == store.triple_count()


def test_the_default_graph_is_what_a_put_to_it_wrote(served: Server) -> None:
    """``?default`` is the store's own default graph, as the Graph Store Protocol reads it back after a PUT (the W3C
    test put_get_default); kg keeps every statement in a named graph, so it is empty."""
    status, _, body = call(_root(served) + "/store?default", headers={"Accept": "application/n-triples"})
    assert (status, body.strip()) == (200, b"")


def test_the_dataset_refuses_an_accept_it_cannot_give(served: Server) -> None:
    status, _, body = call(_root(served) + "/store", headers={"Accept": "image/png"})
    assert status == 406 and b"application/trig" in body


def test_a_graph_as_nquads_keeps_its_name(served: Server, store: Store) -> None:
    path = GRAPH.seed.removeprefix("https://w3id.org/sce")
    for accept, fmt in [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)]:
        status, _, body = call(_root(served) + path, headers={"Accept": accept})
        assert status == 200
        assert _counts(list(ox.parse(body, format=fmt))) == [(GRAPH.seed, dict(store.graphs())[GRAPH.seed])]
    status, _, body = call(_root(served) + f"/store?graph={GRAPH.seed}", headers={"Accept": "application/n-quads"})
    assert status == 200 and {q.graph_name for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)} == {
        ox.NamedNode(GRAPH.seed)
    }


@pytest.mark.parametrize("accept,fmt", [("application/trig", "trig"), ("application/n-quads", "nquads")])
def test_rdflib_reads_every_graph_of_the_dataset(served: Server, store: Store, accept: str, fmt: str) -> None:
    body = call(_root(served) + "/store", headers={"Accept": accept})[2]
    dataset = rdflib.Dataset()
    dataset.parse(data=body.decode("utf-8"), format=fmt)
    assert sorted((str(g.identifier), len(g)) for g in dataset.graphs() if len(g)) == store.graphs()


def test_a_round_trip_into_oxigraphs_server_keeps_every_graph(
    served: Server, store: Store, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The dataset as kg serves it, sent whole to a fresh Oxigraph server's graph store, holds every graph there."""
    need(oxigraph_program() is not None, "the oxigraph server program (pip install oxigraph)")
    body = call(_root(served) + "/store", headers={"Accept": "application/trig"})[2]
    with start_oxigraph(tmp_path_factory.mktemp("roundtrip")) as oxigraph:
        target = oxigraph.url.rsplit("/", 1)[0] + "/store"
        status, _, answer = call(target, data=body, method="POST", headers={"Content-Type": "application/trig"})
        assert status in (200, 204), answer
        assert RemoteStore(oxigraph.url, timeout=60).graphs() == store.graphs()


def test_a_round_trip_into_virtuoso_keeps_every_graph(
    served: Server,
    store: Store,
    virtuoso_server: Server,  # noqa: F811
) -> None:
    """The dataset as kg serves it, pushed graph by graph into Virtuoso (each graph replacing its namesake there)."""
    body = call(_root(served) + "/store", headers={"Accept": "application/n-quads"})[2]
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    remote = RemoteStore(virtuoso_server.url, credentials=Credentials.from_env(virtuoso_server.env), timeout=60)
    assert remote.push_quads(quads) == dict(store.graphs())
    ours = {g for g, _ in store.graphs()}
    assert [(g, n) for g, n in remote.graphs() if g in ours] == store.graphs()
