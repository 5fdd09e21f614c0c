"""The ontology page: every class and property in both languages, as separate fields, with its rules and uses;
escaped, script-free, and drawn offline by a real browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.ontodoc import ontology_page, ontology_terms
from kg.stores import Store, open_store
from kg.vocab import OWL

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


def declared(store: Store, kind: str) -> set[str]:
    rows = store.select(
        "SELECT ?t WHERE { ?t a ?kind ; rdfs:isDefinedBy <https://w3id.org/sce/ontology> }", kind=ox.NamedNode(kind)
    )
    return {r["t"].value for r in rows if isinstance(r["t"], ox.NamedNode)}


def test_every_class_and_property_has_an_entry_with_both_labels(store: Store) -> None:
    page = parsed(ontology_page(store))
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for iri in declared(store, kind):
            anchor = iri.rsplit("#", 1)[1]
            assert anchor in page.articles, f"{iri} has no entry on the ontology page"
            entry = page.articles[anchor]
            assert entry.get("label-en", "").strip() and entry.get("label-zh", "").strip(), (anchor, entry)
            assert entry["label-en"] != entry["label-zh"]
            assert entry.get("definition-en", "").strip() and entry.get("definition-zh", "").strip(), anchor


def test_a_class_without_an_entry_would_be_caught(store: Store) -> None:
    page = ontology_page(store).replace('id="SocialChain"', 'id="gone"')
    assert "SocialChain" not in parsed(page).articles  # the check above reads anchors, so it would fail


def test_entries_say_rules_domain_range_and_uses(store: Store) -> None:
    page = parsed(ontology_page(store))
    model = page.articles["SocialCommerceModel"]
    assert "a model has exactly one social chain" in model["rules"]
    assert model["uses"].startswith("4:")
    assert "social commerce model" in page.articles["hasForm"]["domain"]
    assert "form" in page.articles["hasForm"]["range"]
    counted = {t.anchor: t.uses for t in ontology_terms(store)}
    assert counted["Enterprise"] == len(store.select("SELECT DISTINCT ?e WHERE { ?e a sce:Enterprise }"))


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
    assert page.locator("article.class").count() == len(declared(open_store(), OWL.Class))
    page.click("a[href='#SocialChain']")
    assert page.evaluate("location.hash") == "#SocialChain"
    assert blocked == []
    context.close()
