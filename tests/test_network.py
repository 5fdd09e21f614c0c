"""RDF to networkx: resources are nodes, links are edges, literals and types are attributes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import KGError
from kg.network import from_result, from_store, from_triples, neighbourhood
from kg.results import Result
from kg.stores import Store
from kg.vocab import DCT, ID, RDF, SCE

KUAISHOU = ID.kuaishou


def test_whole_graph_nodes_carry_both_labels_class_and_definition(store: Store) -> None:
    graph = from_store(store)
    kuaishou = graph.nodes[KUAISHOU]
    assert (kuaishou["label_en"], kuaishou["label_zh"]) == ("Kuaishou", "快手")
    assert "Aauto Faster" in kuaishou["labels"]
    assert kuaishou["class"] == SCE.Enterprise and kuaishou["class_zh"] == "企业"
    content = graph.nodes[ID.content]
    assert content["definition_en"].startswith("Uses the fragmented spread")
    assert content["definition_zh"].startswith("利用互联网")


def test_literals_types_and_annotations_never_become_nodes_or_edges(store: Store) -> None:
    graph = from_store(store)
    assert all(n.startswith(("http", "_:", "urn:")) for n in graph.nodes)
    predicates = {k for _, _, k in graph.edges(keys=True)}
    assert RDF.type not in predicates and DCT.source not in predicates
    assert SCE.Enterprise not in graph, "classes are attributes, not nodes"
    assert [DCT.source, ID.term("seed-document")] in graph.nodes[ID.content]["links"]


def test_edges_carry_the_property_label_in_both_languages(store: Store) -> None:
    edge = from_store(store).edges[ID.content, KUAISHOU, SCE.representedBy]
    assert (edge["label_en"], edge["label_zh"]) == ("represented by", "代表企业")


def test_shared_nodes_are_one_node(store: Store) -> None:
    graph = from_store(store)
    pointing = sorted(u for u, _, k in graph.in_edges(ID.term("price-sensitive-users"), keys=True) if k == SCE.targets)
    assert pointing == [ID.term("community-group-buying"), ID.term("group-buying")]


def test_construct_result_is_drawn_as_it_is_with_names_from_the_store(store: Store) -> None:
    raw = store.query("CONSTRUCT { ?m sce:targets ?u } WHERE { ?m sce:targets ?u }")
    graph = from_result(raw, store)
    assert graph.number_of_edges() == 5
    assert {k for _, _, k in graph.edges(keys=True)} == {SCE.targets}
    assert graph.nodes[ID.term("price-sensitive-users")]["label_zh"] == "价格敏感型用户"


def test_select_result_draws_its_resources_and_the_links_among_them(store: Store) -> None:
    raw = store.query("SELECT ?x WHERE { VALUES ?x { id:content id:kuaishou id:douyin id:pinduoduo } }")
    graph = from_result(raw, store)
    assert sorted(graph.nodes) == sorted([ID.content, KUAISHOU, ID.douyin, ID.pinduoduo])
    assert sorted((u, v) for u, v in graph.edges()) == [(ID.content, ID.douyin), (ID.content, KUAISHOU)]


def test_ask_result_has_no_graph(store: Store) -> None:
    with pytest.raises(KGError, match="ASK"):
        from_result(Result("ask", boolean=True), store)


def test_triples_without_a_store_fall_back_to_local_names() -> None:
    a, b = ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/b")
    graph = from_triples([ox.Triple(a, ox.NamedNode("https://example.org/knows"), b)])
    assert graph.nodes["https://example.org/a"]["label_en"] == "a"
    assert (
        graph.edges["https://example.org/a", "https://example.org/b", "https://example.org/knows"]["label_en"]
        == "knows"
    )


def test_neighbourhood_of_a_model_holds_its_enterprises(store: Store) -> None:
    part = neighbourhood(from_store(store), ID.content)
    assert KUAISHOU in part and ID.pinduoduo not in part
    assert list(part.nodes) == sorted(part.nodes)


def test_literals_keep_their_language_tags_as_the_sources_write_them(store: Store) -> None:
    """pyoxigraph lowercases tags; the network view gives them back as written (``zh-Hans``)."""
    node = from_store(store).nodes[ID.kuaishou]
    tags = {language for _, _, language in node["literals"]}
    assert "zh-Hans" in tags and "zh-hans" not in tags
