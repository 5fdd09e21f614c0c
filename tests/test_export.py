"""kg export: every format written, and the committed exports/ equal what a fresh export writes, byte for byte."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import export
from kg.network import from_store
from kg.stores import Store
from kg.vocab import GRAPH, ID, SOURCE_GRAPHS

EXPORTS = Path(__file__).resolve().parent.parent / "exports"
EXPECTED = [
    "context.jsonld", "model-community-group-buying.html", "model-content.html", "model-distribution.html",
    "model-group-buying.html", "ontology.html", "sce.graphml", "sce.html", "sce.jsonld", "sce.nq", "sce.nt",
    "sce.rdf", "sce.trig", "sce.ttl",
]  # fmt: skip


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, store: Store) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    export(store, folder)
    return folder


def test_export_writes_every_format(fresh: Path) -> None:
    assert sorted(p.name for p in fresh.iterdir()) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_exports_equal_a_fresh_export(fresh: Path, name: str) -> None:
    assert (EXPORTS / name).read_bytes() == (fresh / name).read_bytes(), f"run `kg export` and commit exports/{name}"


@pytest.mark.parametrize("name", ["sce.ttl", "sce.nt", "sce.jsonld", "sce.rdf"])
def test_rdf_exports_hold_the_whole_graph(fresh: Path, name: str, store: Store) -> None:
    from kg.stores.rdffiles import rdf_format

    parsed = set(ox.parse(path=str(fresh / name), format=rdf_format(fresh / name)))
    assert len(parsed) == store.triple_count()


@pytest.mark.parametrize("name", ["sce.trig", "sce.nq"])
def test_dataset_exports_keep_every_graph_with_its_statements(fresh: Path, name: str, store: Store) -> None:
    """pyoxigraph and rdflib each read every named graph of the dataset, with as many statements as the store's."""
    import rdflib

    from kg.stores.rdffiles import rdf_format

    by_graph: dict[str, int] = {}
    for quad in ox.parse(path=str(fresh / name), format=rdf_format(fresh / name)):
        assert isinstance(quad.graph_name, ox.NamedNode), quad
        by_graph[quad.graph_name.value] = by_graph.get(quad.graph_name.value, 0) + 1
    assert sorted(by_graph.items()) == store.graphs()
    dataset = rdflib.Dataset()
    dataset.parse(fresh / name, format={"sce.trig": "trig", "sce.nq": "nquads"}[name])
    read = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert read == dict(store.graphs()) and len(read) > 40


def test_the_dataset_export_holds_the_source_records(store: Store) -> None:
    """Each source's facts stay in its own graph, beside the graph of source records that says where they come from."""
    quads = list(ox.parse(path=str(EXPORTS / "sce.nq"), format=ox.RdfFormat.N_QUADS))
    records = [q for q in quads if q.graph_name == ox.NamedNode(GRAPH.sources)]
    assert len(records) == dict(store.graphs())[GRAPH.sources] > 100
    facts = [q for q in quads if q.graph_name.value.startswith(SOURCE_GRAPHS)]  # type: ignore[union-attr]
    assert {str(q.graph_name.value) for q in facts} <= {str(q.subject.value) for q in records}  # type: ignore[union-attr]


def test_graphml_has_labels_and_classes_for_gephi(fresh: Path, store: Store) -> None:
    graph = nx.read_graphml(fresh / "sce.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == from_store(store).number_of_nodes()
    kuaishou = graph.nodes["https://w3id.org/sce/id/kuaishou"]
    assert (kuaishou["label"], kuaishou["label_zh"], kuaishou["class_curie"]) == ("Kuaishou", "快手", "sce:Enterprise")
    assert "Aauto Faster" in kuaishou["labels"].split(" | ")


def test_export_command_writes_into_dir(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(tmp_path / "out" / n) for n in EXPECTED]
    assert (tmp_path / "out" / "sce.ttl").read_bytes() == (EXPORTS / "sce.ttl").read_bytes()


@pytest.mark.parametrize(
    "name", ["sce.ttl", "sce.nt", "sce.jsonld", "sce.rdf", "sce.trig", "sce.nq", "sce.html", "model-content.html"]
)
def test_exports_write_language_tags_as_the_sources_do(name: str) -> None:
    text = (EXPORTS / name).read_text(encoding="utf-8")
    assert "zh-Hans" in text and "zh-hans" not in text


@pytest.mark.parametrize("name", ["sce.ttl", "sce.nt", "sce.jsonld", "sce.rdf"])
def test_rdflib_reads_each_rdf_export_as_the_very_graph_of_the_sources(name: str) -> None:
    """rdflib compares language tags as written: a tag in another case would make the graphs differ."""
    import rdflib
    from rdflib.compare import isomorphic

    from kg.vocab import BUILTIN_FILES, ontology_dir

    formats = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".trig": "trig"}
    dataset = rdflib.Dataset()
    for source in BUILTIN_FILES:
        dataset.parse(ontology_dir() / source, format=formats[Path(source).suffix])
    sources = rdflib.Graph()
    for subject, predicate, obj, _ in dataset.quads():
        sources.add((subject, predicate, obj))  # the export is the union of the named graphs
    exported = rdflib.Graph().parse(EXPORTS / name, format=formats[Path(name).suffix])
    assert len(exported) == len(sources)
    assert isomorphic(_canonical_numbers(exported), _canonical_numbers(sources))


def _canonical_numbers(graph: Any) -> Any:
    """``graph`` with each decimal in one lexical form: the engine writes ``1500000.0`` as ``1500000``, the same value
    (tags are left as they are, since they are what the comparison is about)."""
    import rdflib
    from rdflib.namespace import XSD

    out = rdflib.Graph()
    for subject, predicate, obj in graph:
        if isinstance(obj, rdflib.Literal) and obj.datatype == XSD.decimal:
            obj = rdflib.Literal(format(Decimal(str(obj)).normalize(), "f"), datatype=XSD.decimal)
        out.add((subject, predicate, obj))
    return out


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def test_graphml_reads_whole_as_gephis_importer_reads_it() -> None:
    """Keys declared before use and for the right domain, unique node and edge ids (Gephi skips an edge whose id it
    has seen), edges between declared nodes, and labels in both languages on every node and edge."""
    root = ET.parse(EXPORTS / "sce.graphml").getroot()
    children = list(root)
    first_graph = next(i for i, child in enumerate(children) if child.tag == f"{GRAPHML}graph")
    keys = {k.get("id"): k for k in root.iter(f"{GRAPHML}key")}
    assert all(children.index(k) < first_graph for k in keys.values())
    graph = children[first_graph]
    nodes = graph.findall(f"{GRAPHML}node")
    edges = graph.findall(f"{GRAPHML}edge")
    node_ids = [n.get("id") for n in nodes]
    edge_ids = [e.get("id") for e in edges]
    assert len(set(node_ids)) == len(node_ids) > 80
    assert None not in edge_ids and len(set(edge_ids)) == len(edge_ids) > 100
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in edges)
    for element, domain in [(n, "node") for n in nodes] + [(e, "edge") for e in edges]:
        data = {d.get("key"): (d.text or "") for d in element.findall(f"{GRAPHML}data")}
        assert all(keys[key].get("for") in (domain, "all") for key in data)
        label = {name: data.get(_key(keys, name, domain), "") for name in ("label", "label_en", "label_zh")}
        assert all(label.values()), (element.get("id"), label)
        assert domain == "node" or label["label_zh"] != label["label_en"], (element.get("id"), label)


def _key(keys: dict[str | None, ET.Element], name: str, domain: str) -> str | None:
    """The id of the GraphML key holding the attribute ``name`` of nodes or edges."""
    return next(k for k, v in keys.items() if v.get("attr.name") == name and v.get("for") == domain)


def test_networkx_and_igraph_read_the_same_graphml(store: Store) -> None:
    import igraph

    expected = from_store(store)
    by_networkx = nx.read_graphml(EXPORTS / "sce.graphml", force_multigraph=True)
    by_igraph = igraph.Graph.Read_GraphML(str(EXPORTS / "sce.graphml"))
    counts = (expected.number_of_nodes(), expected.number_of_edges())
    assert (by_networkx.number_of_nodes(), by_networkx.number_of_edges()) == counts
    assert (by_igraph.vcount(), by_igraph.ecount()) == counts
    assert by_igraph.is_directed()
    kuaishou = by_igraph.vs.find(id=ID.kuaishou)
    assert (kuaishou["label_en"], kuaishou["label_zh"]) == ("Kuaishou", "快手")
