"""The dataset whole over HTTP: ``GET /store`` as TriG or N-Quads with every named graph, the union as a graph, a
graph's page as N-Quads keeping its name; a round trip into Oxigraph's server and Virtuoso keeps every graph with its
count, and rdflib reads every graph."""

from __future__ import annotations

import http.server
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main
from kg.stores import Store
from kg.stores.remote import Credentials, RemoteStore
from kg.vocab import GRAPH

from .conftest import need
from .servers import Server, call, oxigraph_program, start_kg_serve, start_oxigraph, virtuoso_server  # noqa: F401

pytestmark = pytest.mark.server
EXPORTS = Path(__file__).resolve().parent.parent / "exports"


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


# --- JSON-LD for web developers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,accept",
    [("/id/kuaishou", "application/json"), ("/id/kuaishou", "application/ld+json"), ("/id/kuaishou.jsonld", "")],
)
def test_a_node_as_json_is_compact_json_ld_with_the_published_context(served: Server, path: str, accept: str) -> None:
    status, headers, body = call(_root(served) + path, headers={"Accept": accept} if accept else {})
    assert status == 200 and _media(headers) == "application/ld+json"
    document = json.loads(body)
    assert document["@context"] == json.loads((EXPORTS / "context.jsonld").read_bytes())["@context"]
    kuaishou = next(node for node in document["@graph"] if node["@id"] == "id:kuaishou")
    assert kuaishou["label"] == {"en": "Kuaishou", "zh-Hans": "快手"}
    assert "sce:Enterprise" in kuaishou["@type"]
    turtle = call(_root(served) + "/id/kuaishou", headers={"Accept": "text/turtle"})[2]
    as_json = rdflib.Graph().parse(data=body.decode("utf-8"), format="json-ld")
    assert isomorphic(as_json, rdflib.Graph().parse(data=turtle.decode("utf-8"), format="turtle"))


def test_the_context_is_served_at_a_stable_address_as_exported(served: Server) -> None:
    status, headers, body = call(_root(served) + "/context.jsonld")
    assert status == 200 and _media(headers) == "application/ld+json"
    assert body == (EXPORTS / "context.jsonld").read_bytes()


def test_the_jsonld_export_is_compact_with_the_same_context() -> None:
    document = json.loads((EXPORTS / "sce.jsonld").read_bytes())
    assert document["@context"] == json.loads((EXPORTS / "context.jsonld").read_bytes())["@context"]
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids) and "id:kuaishou" in ids
    parsed = set(ox.parse(path=str(EXPORTS / "sce.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert parsed == set(ox.parse(path=str(EXPORTS / "sce.nt"), format=ox.RdfFormat.N_TRIPLES))


def test_a_remote_context_is_never_fetched(tmp_path: Path, runner: CliRunner) -> None:
    """A user's JSON-LD file naming its context by address is refused in one line; nothing asks the address."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {"name": "https://schema.org/name"}}')

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        remote = f"http://127.0.0.1:{httpd.server_address[1]}/context.jsonld"
        data = tmp_path / "remote.jsonld"
        data.write_text(json.dumps({"@context": remote, "@id": "urn:a", "name": "x"}), encoding="utf-8")
        result = runner.invoke(main, ["--data", str(data), "sparql", "ASK { ?s ?p ?o }"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert "remote.jsonld" in result.output and asked == []
