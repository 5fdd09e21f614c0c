"""The ontology page: every class and property in both languages, as separate fields, with its rules and uses;
escaped, script-free, and drawn offline by a real browser."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from kg.ontodoc import ontology_page, ontology_terms
from kg.stores import Store, open_store
from kg.vocab import SCE, ontology_dir

from .test_browser import EXPORTS, browser, offline_context  # noqa: F401

HOSTILE = Path(__file__).parent / "data" / "ontodoc_xss.ttl"


class Sections(HTMLParser):
    """Each article of the page by its id, with the text of each of its fields by class name."""

    def __init__(self) -> None:
        super().__init__()
        self.articles: dict[str, dict[str, str]] = {}
        self.current: str | None = None
        self.fields: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "article" and found.get("id"):
            self.current = found["id"]
            self.articles[self.current] = {}
        if self.current is not None:
            self.fields.append(found.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.fields:
            self.fields.pop()
        if tag == "article":
            self.current = None

    def handle_data(self, data: str) -> None:
        named = [f for f in self.fields if f]
        if self.current is not None and named:
            field = named[-1]  # the nearest enclosing element with a class
            self.articles[self.current][field] = self.articles[self.current].get(field, "") + data


def parsed(page: str) -> Sections:
    sections = Sections()
    sections.feed(page)
    return sections


#: The kinds of term a vocabulary declares, as RDF Schema and OWL name them.
TERM_KINDS = (rdflib.OWL.Class, rdflib.RDFS.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty,
              rdflib.OWL.AnnotationProperty, rdflib.RDF.Property)  # fmt: skip


def sce_terms(store: Store) -> dict[str, str]:
    """Every class and property of ``sce:``, found without the page's own query: each subject of ``sce.ttl`` (read by
    rdflib) typed as a class or property, and each ``sce:`` class or property the built-in graph uses; by IRI, its
    kind (``class`` or ``property``)."""
    ontology = rdflib.Graph().parse(ontology_dir() / "sce.ttl", format="turtle")
    found: dict[str, str] = {}
    for kind in TERM_KINDS:
        for subject in ontology.subjects(rdflib.RDF.type, kind):
            if isinstance(subject, rdflib.URIRef) and subject.startswith(str(SCE)):
                found[str(subject)] = "class" if kind in (rdflib.OWL.Class, rdflib.RDFS.Class) else "property"
    used = "SELECT DISTINCT ?c ?p WHERE { { ?x a ?c } UNION { ?x ?p ?y } }"
    for row in store.select(used):
        for key, kind in (("c", "class"), ("p", "property")):
            term = row.get(key)
            if isinstance(term, ox.NamedNode) and term.value.startswith(str(SCE)):
                found.setdefault(term.value, kind)
    return found


def missing_entries(page: str, terms: Iterable[str]) -> list[str]:
    """What the ontology page ``page`` lacks for ``terms``: an entry, an English or a Chinese label (each its own
    field, not the same text), an English or a Chinese definition; one line per gap, empty when the page is whole."""
    articles = parsed(page).articles
    gaps = []
    for iri in sorted(terms):
        anchor = iri.rsplit("#", 1)[1]
        if anchor not in articles:
            gaps.append(f"{iri}: no entry")
            continue
        entry = {name: text.strip() for name, text in articles[anchor].items()}
        for field in ("label-en", "label-zh", "definition-en", "definition-zh"):
            if not entry.get(field):
                gaps.append(f"{iri}: no {field}")
        if entry.get("label-en") and entry.get("label-en") == entry.get("label-zh"):
            gaps.append(f"{iri}: label-en and label-zh are one text")
    return gaps


def test_the_terms_are_found_without_the_pages_query(store: Store) -> None:
    """The independent list holds the classes and properties of every kind, annotation properties included."""
    terms = sce_terms(store)
    assert {SCE.SocialCommerceModel, SCE.Enterprise, SCE.SocialChain} <= {t for t, k in terms.items() if k == "class"}
    assert {SCE.targets, SCE.fineYuan, SCE.seedQuote, SCE.representedBy} <= set(terms)
    assert len(terms) > 25


def test_every_class_and_property_has_an_entry_with_both_labels(store: Store) -> None:
    assert missing_entries(ontology_page(store), sce_terms(store)) == []


def without_entry(page: str, anchor: str) -> str:
    """``page`` with the entry (the article) of ``anchor`` cut out."""
    start = page.index('<article class="term')
    start = page.index(f'id="{anchor}"', start)
    start = page.rindex("<article", 0, start)
    end = page.index("</article>", start) + len("</article>")
    return page[:start] + page[end:]


@pytest.mark.parametrize("anchor", ["SocialChain", "seedQuote", "fineYuan"])
def test_a_term_without_an_entry_is_caught(store: Store, anchor: str) -> None:
    """The check above fails on a page with one entry cut out (a class, the annotation property, a datatype
    property), and on a page whose entry lost its Chinese label."""
    page = ontology_page(store)
    terms = sce_terms(store)
    assert SCE.term(anchor) in terms
    assert missing_entries(without_entry(page, anchor), terms) == [f"{SCE.term(anchor)}: no entry"]
    entry = parsed(page).articles[anchor]
    label_zh = f'<span class="label-zh" lang="zh-Hans">{html.escape(entry["label-zh"], quote=False)}</span>'
    assert label_zh in page
    gaps = missing_entries(page.replace(label_zh, '<span class="label-zh" lang="zh-Hans"></span>'), terms)
    assert gaps == [f"{SCE.term(anchor)}: no label-zh"]


def test_entries_say_rules_domain_range_and_uses(store: Store) -> None:
    page = parsed(ontology_page(store))
    model = page.articles["SocialCommerceModel"]
    assert "a model has exactly one social chain" in model["rules"]
    assert model["uses"].startswith("4:")
    assert "social commerce model" in page.articles["hasForm"]["domain"]
    assert "form" in page.articles["hasForm"]["range"]
    counted = {t.anchor: t.uses for t in ontology_terms(store)}
    assert counted["Enterprise"] == len(store.select("SELECT DISTINCT ?e WHERE { ?e a sce:Enterprise }"))


SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SHAPE = "https://w3id.org/sce/shapes#"


def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def said(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """How the page names a shape: ``shape:Name``, or for a blank one its first message (``{?x}`` shown as …)."""
    if isinstance(shape, rdflib.URIRef):
        return "shape:" + str(shape).removeprefix(SHAPE)
    messages = sorted(str(m) for m in shapes.objects(shape, SH.message))
    return re.sub(r"\{[?$]\w+\}", "…", messages[0])


def every_shape(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    """Every shape of shapes.ttl: node and property shapes, each sh:property, each named SPARQL constraint."""
    found = set(shapes.subjects(rdflib.RDF.type, SH.NodeShape)) | set(
        shapes.subjects(rdflib.RDF.type, SH.PropertyShape)
    )
    found |= set(shapes.objects(None, SH.property))
    found |= {c for c in shapes.subjects(rdflib.RDF.type, SH.SPARQLConstraint) if isinstance(c, rdflib.URIRef)}
    return found


def test_every_shape_is_shown_on_the_page(store: Store) -> None:
    """Each shape of shapes.ttl, found there by rdflib, is named (or said in its words) in some entry's rules."""
    shapes = shapes_graph()
    rules = [entry.get("rules", "") for entry in parsed(ontology_page(store)).articles.values()]
    found = every_shape(shapes)
    assert len(found) > 40
    missing = sorted(said(shapes, shape) for shape in found if not any(said(shapes, shape) in r for r in rules))
    assert missing == []


def direct_terms(shapes: rdflib.Graph, shape: rdflib.term.Node) -> set[str]:
    """The sce: terms a shape names itself: target class, targeted property, path (inverse too), sh:class."""
    named: set[str] = set()
    for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH["class"]):
        named |= {str(o) for o in shapes.objects(shape, key)}
    for path in shapes.objects(shape, SH.path):
        named |= {str(path)} | {str(o) for o in shapes.objects(path, SH.inversePath)}
    return {t for t in named if t.startswith(str(SCE))}


def test_every_shape_is_shown_under_every_sce_term_it_names(store: Store) -> None:
    """A shape appears in the entry of each sce: term it names as target, path (inverse paths too) or value class;
    a property shape in the entries of its node shape's target classes as well."""
    shapes = shapes_graph()
    articles = parsed(ontology_page(store)).articles
    expected: list[tuple[str, str]] = []
    for shape in every_shape(shapes):
        holders = set(shapes.subjects(SH.property, shape))
        terms = direct_terms(shapes, shape) | {
            t for h in holders for t in direct_terms(shapes, h) if t.startswith(str(SCE))
        }
        expected += [(term.rsplit("#", 1)[1], said(shapes, shape)) for term in terms]
    assert len(expected) > 100
    absent = [(anchor, words) for anchor, words in expected if words not in articles[anchor].get("rules", "")]
    assert absent == []
    inverse = articles["hasSocialChain"]["rules"]  # only an inverse path names it
    assert "a social chain belongs to at least one model" in inverse


def test_text_from_the_graph_is_escaped_and_no_script_is_written() -> None:
    store = open_store(data=[HOSTILE])
    page = ontology_page(store)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert parsed(page).scripts == 0
    assert "Content-Security-Policy" in page and "script-src" not in page and "default-src 'none'" in page


def test_the_page_is_in_the_exports_and_reproducible(store: Store) -> None:
    assert (EXPORTS / "ontology.html").read_text(encoding="utf-8") == ontology_page(store)


@pytest.mark.browser
def test_the_page_opens_offline_in_a_browser_with_both_languages(browser: Any) -> None:  # noqa: F811
    context, blocked = offline_context(browser)
    page = context.new_page()
    page.goto((EXPORTS / "ontology.html").as_uri())
    heading = page.locator("#SocialCommerceModel h3")
    assert heading.locator(".label-en").inner_text() == "social commerce model"
    assert heading.locator(".label-zh").inner_text() == "社交电商模式"
    classes = [t for t, kind in sce_terms(open_store()).items() if kind == "class"]
    assert page.locator("article.class").count() == len(classes)
    page.click("a[href='#SocialChain']")
    assert page.evaluate("location.hash") == "#SocialChain"
    assert blocked == []
    context.close()


#: The ontology page's own words in English (headings, field names): none may be on its Chinese page.
ONTOLOGY_ENGLISH = (
    "Social e-commerce ontology", "Classes", "Object properties", "Datatype properties", "Annotation properties",
    "prefix", "definition", "subclass of", "subproperty of", "superclass of", "superproperty of", "domain", "range",
    "inverse of", "note", "rules", "none", "nodes of this class", "statements using it", "class", "object property",
    "Rules on terms of other vocabularies only", "Language",
)  # fmt: skip


def own_words(page: str) -> str:
    """The words of ``page`` that are its own: its text without the parts that show data (IRIs and CURIEs in
    ``code``, the SHACL rules' messages, the style, the language switch's names)."""
    for pattern in (
        r"<style>.*?</style>",
        r"<code[^>]*>.*?</code>",
        r'<dd class="rules">.*?</dd>',
        r'<a [^>]*class="iri"[^>]*>.*?</a>',
        r'<a href="[^"]*" data-lang="[^"]*"[^>]*>[^<]*</a>',
    ):
        page = re.sub(pattern, " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(text)  # fmt: skip


def test_the_page_is_in_one_language_when_asked(store: Store) -> None:
    """With a language, the page says everything of its own in it: headings, field names, kinds, labels and
    definitions of the terms (English where a term has no Chinese); without one (the file of exports/), both."""
    chinese = ontology_page(store, lang="zh", nav=[("/query", "查询页面")], switch=[("en", "English", "?lang=en")])
    english = ontology_page(store, lang="en", nav=[("/query", "Query page")], switch=[("zh", "中文", "?lang=zh")])
    words = own_words(chinese)
    left = [w for w in ONTOLOGY_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", words)]
    assert left == [], f"English on the Chinese page: {left}"
    assert '<html lang="zh-Hans">' in chinese and "<h1>社交电商本体</h1>" in chinese and "对象属性 (" in chinese
    # The graph's English text may quote Chinese as its sources write it (a label's "… — 深圳商报", a definition's
    # "亿元"), and a figure keeps its source's unit: data, not the page's own words.
    labels = """SELECT ?label WHERE {
        { ?node ?property ?label FILTER (langMatches(lang(?label), 'en')) } UNION { ?node schema:unitText ?label }
    }"""
    mixed = [row[0].value for row in store.query(labels).rows if re.search("[\u4e00-\u9fff]", row[0].value)]
    words_en = own_words(english)
    for label in sorted(mixed, key=len, reverse=True):
        words_en = words_en.replace(label, " ")
    assert re.findall(r"[\u4e00-\u9fff]+", words_en) == []
    assert "<h2>Object properties (" in english and "social commerce model" in english
    for page in (chinese, english, ontology_page(store)):
        assert "propertyes" not in page and parsed(page).scripts == 0
    assert 'data-lang="en" aria-current="false"' in chinese
