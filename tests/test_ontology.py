"""The built-in graph: it parses everywhere, conforms, reasons cleanly, and every seed phrase finds its node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.catalog import resolve
from kg.stores import Store
from kg.validate import to_rdflib, validate
from kg.vocab import BUILTIN_FILES, DCT, GRAPH, ID, PROV, SHAPES_FILE, curie, ontology_dir

from .conftest import need

ALL_FILES = [*BUILTIN_FILES, SHAPES_FILE]

# Every phrase the seed uses for an enterprise, a model, a target-user group and a core product, with the node it must
# find. Checked by hand against ../shared/seed/000_60af96be82ccf50a.txt.
SEED_PHRASES = {
    # representative enterprises, as the seed spells them
    "Pinduoduo": "pinduoduo", "Suning": "suning-pingou", "Jingxi": "jingxi",
    "Zan": "youzan", "Beidian": "beidian", "Global Catcher": "huanqiu-bushou", "Peanut Diary": "huasheng-riji",
    "Taobao Live": "taobao-live", "Tik Tok": "douyin", "Aauto Faster": "kuaishou", "Little Red Book": "xiaohongshu",
    "Mushroom Street": "mogujie", "Logical Thinking": "luoji-siwei", "prosperity optimization": "xingsheng-youxuan",
    # the four models
    "shopping social e-commerce": "group-buying", "collective social e-commerce": "group-buying",
    "distribution social e-commerce": "distribution", "distribution-oriented social e-commerce": "distribution",
    "content social e-commerce": "content",
    "community group purchase social e-commerce": "community-group-buying",
    "community group buying social e-commerce": "community-group-buying",
    # target users
    "price-sensitive people": "price-sensitive-users", "people with distribution ability": "people-able-to-distribute",
    "interested and quality-oriented people": "interest-and-quality-oriented-users",
    "community residents": "community-residents",
    # core products
    "regional famous brand products": "regional-famous-brand-products", "high-end clothing": "high-end-clothing",
    "electronic products": "electronics", "luxury goods": "luxury-goods",
    "daily necessities with high repurchase rate": "high-repurchase-daily-necessities",
    "bath products": "bath-products", "personal care products": "personal-care-products",
    "cosmetics": "cosmetics", "daily necessities": "daily-necessities", "famous brands": "famous-brands",
    "bags": "bags", "clothing": "clothing",
    "just-needed, high-frequency consumer goods": "high-frequency-essentials",
    "household fast-moving consumer goods": "household-fmcg", "fresh and cooked food": "fresh-and-cooked-food",
    # forms, ties, channels
    "grouping": "group-purchase", "sharing and reciprocity": "share-for-mutual-benefit",
    "inviting assistance": "invite-friends-to-help", "innovation system": "new-member-recruitment",
    "commodity sales rebate system": "sales-commission-system", "membership growth system": "membership-growth-system",
    "customized content recommendation": "customised-content-recommendation",
    "acquaintances socialize": "acquaintance-social", "pan-social": "pan-social", "light socialization": "light-social",
    "small programs": "mini-program", "WeChat service numbers": "wechat-service-account", "H5 pages": "h5-page",
    "WeChat group": "wechat-group", "live broadcast": "live-streaming", "short video": "short-video",
}  # fmt: skip


@pytest.mark.parametrize("phrase", sorted(SEED_PHRASES))
def test_every_seed_phrase_finds_its_node(store: Store, phrase: str) -> None:
    assert resolve(store, phrase) == ID.term(SEED_PHRASES[phrase])


def test_the_seed_phrases_appear_in_the_seed(seed_text: str) -> None:
    missing = [p for p in SEED_PHRASES if p.lower() not in seed_text.lower()]
    assert missing == []


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = ontology_dir().parent.parent / "shared" / "seed" / "000_60af96be82ccf50a.txt"
    need(path.exists(), f"the seed document is beside the project at {path}")
    return path.read_text(encoding="utf-8")


def test_the_built_in_graph_conforms_to_its_shapes(store: Store) -> None:
    report = validate(store=store)
    assert report.conforms, str(report)
    assert report.violations == []


INDIVIDUALS = """
SELECT ?node (SAMPLE(?class) AS ?a_class) WHERE {
    ?node a ?class .
    FILTER (STRSTARTS(STR(?class), "https://w3id.org/sce/ontology#") || ?class IN (skos:Concept, prov:Entity))
} GROUP BY ?node
"""


def _labels(store: Store, node: ox.NamedNode) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in store.select("SELECT ?node ?l WHERE { ?node rdfs:label ?l }", node=node):
        out.setdefault(row["l"].language or "", []).append(row["l"].value)
    return out


def test_every_individual_has_one_label_in_each_language(store: Store) -> None:
    rows = store.select(INDIVIDUALS)
    assert len(rows) > 80
    for row in rows:
        labels = _labels(store, row["node"])
        assert len(labels.get("en", [])) == 1, curie(row["node"].value)
        assert len(labels.get("zh-hans", [])) == 1, curie(row["node"].value)


def test_no_two_nodes_share_a_name_in_any_case(store: Store) -> None:
    owners: dict[str, set[str]] = {}
    for row in store.select("SELECT ?s ?l WHERE { ?s rdfs:label|skos:altLabel ?l }"):
        owners.setdefault(row["l"].value.casefold(), set()).add(row["s"].value)
    shared = {name: nodes for name, nodes in owners.items() if len(nodes) > 1}
    assert shared == {}


def test_what_the_seed_says_is_traced_to_the_seed_and_additions_to_their_source(store: Store) -> None:
    sources = {
        row["g"].value: row["src"].value for row in store.select("SELECT ?g ?src WHERE { ?g prov:wasDerivedFrom ?src }")
    }
    assert sources[GRAPH.seed] == ID.term("seed-document")
    assert sources[GRAPH.curation] == ID.term("curation-notes")
    untraced = store.select(
        "SELECT ?g ?src ?s WHERE { GRAPH ?g { ?s a ?c } FILTER NOT EXISTS { GRAPH ?g { ?s ?src ?doc } } }",
        g=ox.NamedNode(GRAPH.seed),
        src=ox.NamedNode(DCT.source),
    )
    assert untraced == []
    parents_in_seed = store.ask("ASK { GRAPH ?g { ?e schema:parentOrganization ?p } }", g=ox.NamedNode(GRAPH.seed))
    assert not parents_in_seed, "parent organisations are not in the seed; they belong to the curation graph"
    chinese_in_seed = store.select(
        "SELECT ?g ?s ?l WHERE { GRAPH ?g { ?s rdfs:label|skos:altLabel ?l } FILTER (LANGMATCHES(LANG(?l), 'zh')) }",
        g=ox.NamedNode(GRAPH.seed),
    )
    assert chinese_in_seed == [], "the seed is in English; Chinese names are additions"


def test_the_seed_document_is_a_node(store: Store) -> None:
    assert store.ask("ASK { ?doc a ?entity ; dct:title ?title }", doc=ox.NamedNode(ID.term("seed-document")),
                     entity=ox.NamedNode(PROV.Entity))  # fmt: skip


def _syntax(name: str) -> str:
    """The syntax of a built-in file: Turtle, or TriG for the file of sourced facts."""
    return "trig" if name.endswith(".trig") else "turtle"


def _rdflib_count(path: Path, syntax: str) -> int:
    if syntax == "trig":
        return len(list(rdflib.Dataset().parse(path, format="trig").quads()))
    return len(rdflib.Graph().parse(path, format="turtle"))


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_file_parses_with_rdflib_and_oxigraph_alike(name: str) -> None:
    path = ontology_dir() / name
    fmt = ox.RdfFormat.TRIG if _syntax(name) == "trig" else ox.RdfFormat.TURTLE
    by_oxigraph = list(ox.parse(path=str(path), format=fmt))
    assert _rdflib_count(path, _syntax(name)) == len(by_oxigraph) > 100


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_file_parses_with_rapper(name: str) -> None:
    need(shutil.which("rapper") is not None, "rapper (Debian package raptor2-utils) is installed")
    path = ontology_dir() / name
    done = subprocess.run(
        ["rapper", "--input", _syntax(name), "--output", "nquads", "--count", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower()
    count = int(done.stderr.split("returned ")[1].split(" ")[0])
    assert count == _rdflib_count(path, _syntax(name))


OWLRL_ERROR = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


def _reason(graph: rdflib.Graph) -> rdflib.Graph:
    import owlrl

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def test_owl_rl_reasoning_finds_no_inconsistency(store: Store) -> None:
    closed = _reason(to_rdflib(store))
    assert list(closed.subjects(rdflib.RDF.type, rdflib.OWL.Nothing)) == []
    assert [str(o) for o in closed.objects(None, OWLRL_ERROR)] == []
    # reasoning does what the ontology promises: the inverse of representedBy and the superclass of enterprises
    kuaishou = rdflib.URIRef(ID.kuaishou)
    assert (kuaishou, rdflib.URIRef("https://w3id.org/sce/ontology#represents"), rdflib.URIRef(ID.content)) in closed
    assert (kuaishou, rdflib.RDF.type, rdflib.URIRef("https://schema.org/Organization")) in closed


def test_owl_rl_reasoning_would_catch_a_broken_disjointness(store: Store) -> None:
    graph = to_rdflib(store)
    graph.add((rdflib.URIRef(ID.kuaishou), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/sce/ontology#Channel")))
    errors = [str(o) for o in _reason(graph).objects(None, OWLRL_ERROR)]
    assert any("Disjoint" in e and "kuaishou" in e for e in errors)
