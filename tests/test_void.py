"""VoID with partitions and the named queries as examples: every count the description gives is the count a SPARQL
``COUNT`` gives, and sparql-llm's own queries over the description and the examples find what they look for."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib

from kg.catalog import catalog, in_language
from kg.examples import EXAMPLES_PATH
from kg.stores import Store
from kg.void import VOID, VOID_EXT, description, void_dataset

from .servers import Server, call, start_kg_serve

DATASET = ox.NamedNode("http://127.0.0.1/.well-known/void#dataset")
ENDPOINT = "http://127.0.0.1/sparql"
#: How sparql-llm's examples loader asks an endpoint for its examples.
EXAMPLES_QUERY = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX spex: <https://purl.expasy.org/sparql-examples/ontology#>
SELECT DISTINCT ?sq ?comment ?query WHERE {
    ?sq a sh:SPARQLExecutable ; rdfs:comment ?comment ; sh:select|sh:ask|sh:construct|spex:describe ?query .
} ORDER BY ?sq"""


@pytest.fixture(scope="module")
def void(store: Store) -> ox.Store:
    described = ox.Store()
    described.extend(ox.Quad(*t, ox.DefaultGraph()) for t in void_dataset(store, DATASET, endpoint=ENDPOINT))  # type: ignore[misc]
    return described


def _count(store: Store, distinct: str) -> int:
    """What SPARQL's COUNT gives for the rows of ``distinct`` (a SELECT DISTINCT), asked of ``store``."""
    return _number(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} }}")[0]["n"])


def _number(term: object) -> int:
    assert isinstance(term, ox.Literal)
    return int(term.value)


def test_each_property_partition_counts_what_sparql_counts(void: ox.Store, store: Store) -> None:
    rows = list(
        void.query(
            f"SELECT ?p ?n WHERE {{ {DATASET} <{VOID}propertyPartition> [ <{VOID}property> ?p ; <{VOID}triples> ?n ] }}"
        )
    )  # type: ignore[union-attr]
    assert len(rows) > 30
    for row in rows:
        counted = _count(store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s {row['p']} ?o }}")
        assert _number(row["n"]) == counted, row["p"]


def test_each_class_partition_counts_what_sparql_counts(void: ox.Store, store: Store) -> None:
    rows = list(
        void.query(
            f"SELECT ?c ?n WHERE {{ {DATASET} <{VOID}classPartition> [ <{VOID}class> ?c ; <{VOID}entities> ?n ] }}"
        )
    )  # type: ignore[union-attr]
    classes = {row["c"].value for row in rows}  # type: ignore[union-attr]
    assert "https://w3id.org/sce/ontology#Enterprise" in classes and len(classes) > 10
    for row in rows:
        counted = _count(store, f"SELECT DISTINCT ?s WHERE {{ ?s a {row['c']} }}")
        assert _number(row["n"]) == counted, row["c"]


def test_each_class_property_class_link_counts_what_sparql_counts(void: ox.Store, store: Store) -> None:
    links = f"""SELECT ?c ?p ?target ?n WHERE {{
        {DATASET} <{VOID}classPartition> [ <{VOID}class> ?c ; <{VOID}propertyPartition> ?pp ] .
        ?pp <{VOID}property> ?p ; <{VOID}triples> ?n ; <{VOID}classPartition> [ <{VOID}class> ?target ] }}"""
    rows = list(void.query(links))  # type: ignore[union-attr]
    assert len(rows) > 20
    for row in rows:
        pattern = f"?s {row['p']} ?o . ?s a {row['c']} . ?o a {row['target']}"
        counted = _count(store, f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}")
        assert _number(row["n"]) == counted, (row["c"], row["p"], row["target"])
    represented = [r for r in rows if r["p"].value.endswith("#representedBy")]  # type: ignore[union-attr]
    assert represented, "the link from a model to the enterprises that represent it is described"


def test_each_datatype_link_counts_what_sparql_counts(void: ox.Store, store: Store) -> None:
    links = f"""SELECT ?c ?p ?datatype ?n WHERE {{
        {DATASET} <{VOID}classPartition> [ <{VOID}class> ?c ; <{VOID}propertyPartition> ?pp ] .
        ?pp <{VOID}property> ?p ; <{VOID}triples> ?n ;
            <{VOID_EXT}datatypePartition> [ <{VOID_EXT}datatype> ?datatype ] }}"""
    rows = list(void.query(links))  # type: ignore[union-attr]
    assert any(r["datatype"].value.endswith("#gYear") for r in rows)  # type: ignore[union-attr]
    for row in rows:
        pattern = f"?s {row['p']} ?o . ?s a {row['c']} FILTER (isLiteral(?o) && DATATYPE(?o) = {row['datatype']})"
        counted = _count(store, f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}")
        assert _number(row["n"]) == counted, (row["c"], row["p"], row["datatype"])


def test_the_service_description_lists_every_named_query_as_an_example(store: Store) -> None:
    described = ox.Store()
    described.extend(ox.Quad(*t, ox.DefaultGraph()) for t in description(store, ENDPOINT))  # type: ignore[misc]
    found = list(described.query(EXAMPLES_QUERY))  # type: ignore[union-attr]
    names = {row["sq"].value.rsplit("#", 1)[1] for row in found}  # type: ignore[union-attr]
    assert names == set(catalog())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_kg_serve(tmp_path_factory.mktemp("void"), "--workers", "1")
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.server
def test_the_examples_are_served_with_comments_in_both_languages(served: Server) -> None:
    root = served.url.rsplit("/", 1)[0]
    status, _, body = call(root + EXAMPLES_PATH, headers={"Accept": "text/turtle"})
    assert status == 200
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")
    rows = list(graph.query(EXAMPLES_QUERY))
    assert len({row[0] for row in rows}) == len(catalog())
    models = rdflib.URIRef(f"{root}{EXAMPLES_PATH}#models")
    comments = {c.language: str(c) for c in graph.objects(models, rdflib.RDFS.comment)}  # type: ignore[union-attr]
    summary_en, summary_zh = in_language(catalog()["models"], "en")[0], in_language(catalog()["models"], "zh")[0]
    assert comments["en"].startswith(summary_en) and comments["zh-Hans"].startswith(summary_zh)
    target = graph.value(models, rdflib.URIRef("https://schema.org/target"))
    assert str(target) == served.url
    text = str(graph.value(models, rdflib.URIRef("http://www.w3.org/ns/shacl#select")))
    status, _, answer = call(served.url, data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and len(json.loads(answer)["results"]["bindings"]) == 4


@pytest.mark.server
def test_the_service_description_links_the_examples(served: Server) -> None:
    root = served.url.rsplit("/", 1)[0]
    body = call(served.url, headers={"Accept": "text/turtle"})[2]
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")
    service = next(
        graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#Service"))
    )
    assert rdflib.URIRef(root + EXAMPLES_PATH) in set(graph.objects(service, rdflib.RDFS.seeAlso))
