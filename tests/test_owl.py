"""The exports as OWL and SKOS tools read them: the OWL API's OWL 2 DL profile checker and HermiT (both inside the
HermiT.jar that owlready2 ships), owlready2 itself, and SKOS's integrity conditions read without any inference."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from kg.stores import Store
from kg.vocab import ID, SCE

from .conftest import need

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "exports"
OWL_CHECK = Path(__file__).parent / "java" / "OwlCheck.java"


def _hermit_jar() -> Path:
    import owlready2

    return Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


def owl_api_check(path: Path) -> list[str]:
    """What ``OwlCheck.java`` prints for ``path``: the OWL API's profile violations, HermiT's verdict, counts."""
    need(shutil.which("java") is not None, "java (Debian package default-jdk-headless)")
    command = ["java", "-cp", str(_hermit_jar()), str(OWL_CHECK), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("path", [EXPORTS / "sce.rdf", EXPORTS / "sce.ttl", ROOT / "ontology" / "sce.ttl"])
def test_the_owl_api_finds_owl_2_dl_and_hermit_finds_it_consistent(path: Path) -> None:
    lines = owl_api_check(path)
    assert [line for line in lines if line.startswith("violation:")] == []
    assert "consistent: true" in lines
    assert any(line.startswith("logical axioms: ") and int(line.split(": ")[1]) > 20 for line in lines)


@pytest.mark.slow
def test_the_owl_api_checker_reports_an_undeclared_term(tmp_path: Path) -> None:
    """Guards the test above: the same checker on a file that uses an undeclared class reports it."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<urn:o> a owl:Ontology .\n"
        "<urn:x> a <urn:UndeclaredClass> .\n",
        encoding="utf-8",
    )
    assert any("UndeclaredClass" in line for line in owl_api_check(bad) if line.startswith("violation:"))


def _individuals(graph: rdflib.Graph) -> set[str]:
    """IRIs typed with a class the graph declares an ``owl:Class`` (found without any reasoner)."""
    classes = set(graph.subjects(RDF.type, OWL.Class))
    typed = graph.triples((None, RDF.type, None))
    return {str(s) for s, _, c in typed if c in classes and isinstance(s, rdflib.URIRef)}


def test_owlready2_finds_every_individual_and_reads_tags_as_written() -> None:
    import owlready2

    world = owlready2.World()
    world.get_ontology((EXPORTS / "sce.rdf").as_uri()).load()
    found = {entity.iri for entity in world.individuals()}
    expected = _individuals(rdflib.Graph().parse(EXPORTS / "sce.ttl"))
    assert len(expected) > 80
    assert found == expected
    kuaishou = world[ID.kuaishou]
    assert {(str(label), label.lang) for label in kuaishou.label} == {("Kuaishou", "en"), ("快手", "zh-Hans")}


@pytest.fixture(scope="module")
def exported() -> rdflib.Graph:
    """The Turtle export as a SKOS tool reads it: no inference, so ``sce:ProductCategory ⊑ skos:Concept`` gives
    nothing."""
    return rdflib.Graph().parse(EXPORTS / "sce.ttl")


def test_skos_tools_without_inference_find_the_15_categories(exported: rdflib.Graph, store: Store) -> None:
    concepts = set(exported.subjects(RDF.type, SKOS.Concept))
    categories = {r["c"].value for r in store.select("SELECT ?c WHERE { ?c a sce:ProductCategory }")}
    scheme = rdflib.URIRef(ID.term("product-categories"))
    in_scheme = {c for c in exported.subjects(SKOS.inScheme, scheme) if c in concepts}
    assert {str(c) for c in in_scheme} == categories and len(categories) == 15
    assert set(exported.objects(scheme, SKOS.hasTopConcept)) <= in_scheme
    for other in exported.subjects(RDF.type, SKOS.ConceptScheme):  # every scheme's members are concepts too
        assert set(exported.subjects(SKOS.inScheme, other)) <= concepts, other


def test_skos_integrity_conditions_hold(exported: rdflib.Graph) -> None:
    """The integrity conditions of the SKOS reference (S9, S13, S14, S27) and a hierarchy without cycles."""
    concepts = set(exported.subjects(RDF.type, SKOS.Concept))
    assert not concepts & set(exported.subjects(RDF.type, SKOS.ConceptScheme))  # S9
    for concept in concepts:
        pref = list(exported.objects(concept, SKOS.prefLabel))
        alt, hidden = set(exported.objects(concept, SKOS.altLabel)), set(exported.objects(concept, SKOS.hiddenLabel))
        assert not (set(pref) & alt or set(pref) & hidden or alt & hidden), concept  # S13
        languages = [label.language for label in pref if isinstance(label, rdflib.Literal)]
        assert len(languages) == len(set(languages)), concept  # S14
    broader = {(a, b) for a, b in exported.subject_objects(SKOS.broader)}
    broader |= {(b, a) for a, b in exported.subject_objects(SKOS.narrower)}
    assert broader and all(a in concepts and b in concepts for a, b in broader)
    closure = set(broader)
    while True:
        more = {(a, d) for a, b in closure for c, d in broader if b == c} - closure
        if not more:
            break
        closure |= more
    assert not any(a == b for a, b in closure), "a category is broader than itself"
    related = set(exported.subject_objects(SKOS.related))
    assert not related & closure  # S27


def test_a_category_is_a_concept_in_the_sources_too(store: Store) -> None:
    assert store.ask(f"ASK {{ ?c a <{SCE.ProductCategory}> FILTER NOT EXISTS {{ ?c a skos:Concept }} }}") is False
