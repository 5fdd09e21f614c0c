"""The ontology documented, in both languages: one page naming every class and property of ``sce:``.

Each term gets its English and Chinese labels as separate fields, its definitions, its kind, domain and range, the
terms above and below it, the SHACL rules that apply to it in plain words (their ``sh:message``), and how many nodes
(or statements) of the graph use it, with links to some of them. Existing tools (pyLODE, Widoco, Ontospy) show one
language or run the two together; this page is bilingual by design.

The page is one self-contained HTML file with no script at all and a Content-Security-Policy that allows none; every
text from the graph is escaped by the template. ``link`` says where a term or node links to: the canonical IRI in
``exports/ontology.html``, a page of the server under ``kg serve``.

>>> from kg.stores import open_store
>>> terms = ontology_terms(open_store())
>>> model = next(t for t in terms if t.anchor == "SocialCommerceModel")
>>> model.label_en, model.label_zh, model.kind, model.uses
('social commerce model', '社交电商模式', 'class', 4)
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .files import write_atomically
from .names import pick
from .results import str_value
from .stores import GraphStore
from .vocab import ONTOLOGY_IRI, OWL, SCE, curie

if TYPE_CHECKING:
    from .shapes import Rule

#: The kinds of term, in the order the page lists them.
KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}
KINDS_ZH = {
    "class": "类",
    "object property": "对象属性",
    "datatype property": "数据属性",
    "annotation property": "注释属性",
}
#: The headings of the kinds (plural) in English.
KINDS_PLURAL = {
    "class": "Classes",
    "object property": "Object properties",
    "datatype property": "Datatype properties",
    "annotation property": "Annotation properties",
}
#: The page's own words, in each language: the file in ``exports/`` shows both side by side, the served page the
#: reader's one (``?lang``).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Social e-commerce ontology", "prefix": "prefix", "definition": "definition",
        "subclass of": "subclass of", "subproperty of": "subproperty of", "superclass of": "superclass of",
        "superproperty of": "superproperty of", "domain": "domain", "range": "range", "inverse of": "inverse of",
        "note": "note", "rules": "rules (SHACL)", "none": "none", "nodes of this class": "nodes of this class",
        "statements using it": "statements using it", "other rules": "Rules on terms of other vocabularies only",
        "language": "Language",
        **{kind: kind for kind in KINDS_ZH}, **{f"{kind}:plural": words for kind, words in KINDS_PLURAL.items()},
    },
    "zh": {
        "title": "社交电商本体", "prefix": "前缀", "definition": "定义", "subclass of": "上位类",
        "subproperty of": "上位属性", "superclass of": "下位类", "superproperty of": "下位属性", "domain": "定义域",
        "range": "值域", "inverse of": "逆属性", "note": "注释", "rules": "规则（SHACL）", "none": "无",
        "nodes of this class": "此类的节点", "statements using it": "使用它的陈述",
        "other rules": "仅涉及其他词汇的规则", "language": "语言",
        **KINDS_ZH, **{f"{kind}:plural": words for kind, words in KINDS_ZH.items()},
    },
}  # fmt: skip

#: How many nodes using a term the page links to.
EXAMPLES = 12

TERMS = """
SELECT ?term ?kind WHERE {
    ?term a ?kind ; rdfs:isDefinedBy ?ontology .
    FILTER (?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty))
}
"""
FACTS = """
SELECT ?p ?o WHERE {
    ?term ?p ?o .
    FILTER (?p IN (rdfs:label, skos:definition, rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain, rdfs:range,
                   owl:inverseOf, skos:note))
}
"""
BELOW = "SELECT DISTINCT ?sub WHERE { { ?sub rdfs:subClassOf ?term } UNION { ?sub rdfs:subPropertyOf ?term } }"
INSTANCES = "SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a ?term }"
STATEMENTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?term ?o }"
SOME_INSTANCES = (
    f"SELECT DISTINCT ?node WHERE {{ ?node a ?term FILTER (isIRI(?node)) }} ORDER BY ?node LIMIT {EXAMPLES}"
)
SOME_SUBJECTS = (
    f"SELECT DISTINCT ?node WHERE {{ ?node ?term ?o FILTER (isIRI(?node)) }} ORDER BY ?node LIMIT {EXAMPLES}"
)


@dataclass
class Term:
    """One class or property of the ontology, as the page shows it."""

    iri: str
    kind: str
    label_en: str = ""
    label_zh: str = ""
    definition_en: str = ""
    definition_zh: str = ""
    notes: list[str] = field(default_factory=list)
    above: list[str] = field(default_factory=list)
    below: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    uses: int = 0
    examples: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The term's fragment on the page: its local name (``SocialCommerceModel``)."""
        return self.iri.rsplit("#", 1)[-1] if self.iri.startswith(str(SCE)) else curie(self.iri).replace(":", "-")


def ontology_terms(store: GraphStore, *, rules: Mapping[str, list[Rule]] | None = None) -> list[Term]:
    """Every class and property the ontology defines, with what the page says of each, sorted by kind and label.

    Args:
        rules: the shapes in words by term (:func:`kg.shapes.shape_rules`), when the caller has them already.
    """
    from .shapes import shape_rules  # late: importing kg.shapes costs ~6 ms

    rules = shape_rules(store) if rules is None else rules
    terms = []
    defined_by = ox.NamedNode(ONTOLOGY_IRI)
    for row in store.query(TERMS, substitutions={"ontology": defined_by}).rows:
        iri, kind = str_value(row[0]), KINDS[str_value(row[1])]
        term = Term(iri, kind)
        _describe(store, term)
        term.rules = sorted(rules.get(iri, []))
        terms.append(term)
    order = list(KINDS.values())
    return sorted(terms, key=lambda t: (order.index(t.kind), t.label_en.casefold() or t.iri))


def _describe(store: GraphStore, term: Term) -> None:
    node = {"term": ox.NamedNode(term.iri)}
    labels: list[tuple[str, str]] = []
    definitions: list[tuple[str, str]] = []
    lists = {"subClassOf": term.above, "subPropertyOf": term.above, "domain": term.domain, "range": term.range}
    for p, o in store.query(FACTS, substitutions=node).rows:
        name = str_value(p).rsplit("#", 1)[-1]
        if isinstance(o, ox.Literal):
            entry = (o.value, o.language or "")
            if name == "label":
                labels.append(entry)
            elif name == "definition":
                definitions.append(entry)
            elif name == "note" and (o.language or "en") == "en":
                term.notes.append(o.value)
        elif isinstance(o, ox.NamedNode):
            lists.get(name, term.inverse if name == "inverseOf" else []).append(o.value)
    term.label_en, term.label_zh = pick(labels, "en"), pick(labels, "zh-Hans")
    term.definition_en, term.definition_zh = pick(definitions, "en"), pick(definitions, "zh-Hans")
    term.below = sorted(str_value(r[0]) for r in store.query(BELOW, substitutions=node).rows)
    counted = INSTANCES if term.kind == "class" else STATEMENTS
    term.uses = int(str_value(store.query(counted, substitutions=node).rows[0][0]) or 0)
    some = SOME_INSTANCES if term.kind == "class" else SOME_SUBJECTS
    found = [str_value(r[0]) for r in store.query(some, substitutions=node).rows]
    names = {i: [(v.value, v.language or "") for v in values] for i, values in store.labels(found).items()}
    term.examples = [(i, pick(names.get(i, []), "en") or curie(i), pick(names.get(i, []), "zh-Hans")) for i in found]
    for values in lists.values():
        values.sort()


def ontology_page(
    store: GraphStore,
    *,
    link: Callable[[str], str] = str,
    title: str = "",
    nav: Sequence[tuple[str, str]] = (),
    lang: str | None = None,
    switch: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The ontology page as HTML text.

    Args:
        link: the address of a node (its canonical IRI by default).
        nav: links to put above the page, as (address, words): the server's pages under ``kg serve``; none in the
            file of ``exports/``, which stands alone.
        lang: ``en`` or ``zh`` for a page in that language alone (labels, definitions and the page's words), as
            ``kg serve`` answers ``/ontology?lang=``; None for both side by side, as the file of ``exports/`` is.
        switch: the language switch, as (code, name, address), beside the nav.
    """
    from .render import _environment  # late: importing kg.render costs ~344 ms
    from .shapes import shape_rules  # late: importing kg.shapes costs ~6 ms

    rules = shape_rules(store, lang or "en")
    terms = ontology_terms(store, rules=rules)
    known = {t.iri: t for t in terms}
    shown = {rule for t in terms for rule in t.rules}
    others: dict[Rule, list[str]] = {}
    for iri, applying in rules.items():
        for rule in applying:
            if rule not in shown:
                others.setdefault(rule, []).append(iri)

    def term_link(iri: str) -> str:
        return f"#{known[iri].anchor}" if iri in known else link(iri)

    def name(iri: str) -> str:
        term = known.get(iri)
        if term is None:
            return curie(iri)
        return (term.label_zh if lang == "zh" else "") or term.label_en or curie(iri)

    template = _environment().get_template("ontology.html.j2")
    return str(
        template.render(
            title=title or (WORDS[lang]["title"] if lang else "Social e-commerce ontology · 社交电商本体"),
            lang=lang,
            words=WORDS,
            switch=switch,
            ontology=ONTOLOGY_IRI,
            terms=terms,
            other_rules=sorted(others.items()),
            nav=nav,
            kinds=[(k, KINDS_ZH[k], [t for t in terms if t.kind == k]) for k in KINDS.values()],
            term_link=term_link,
            node_link=link,
            name=name,
            curie=curie,
            style=STYLE,
            style_hash=_style_hash(),
        )
    )


STYLE = (
    "body{font:15px/1.5 system-ui,'Noto Sans CJK SC',sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;"
    "color:#222}h1{font-size:1.6rem}h2{font-size:1.1rem;margin:.8rem 0 .2rem}h3{margin:0 0 .2rem}"
    ".toc ul{columns:3;padding-left:1.2rem;margin:.2rem 0}article{border-top:1px solid #ccc;padding:1rem 0}"
    ".label-zh{color:#555;margin-left:.5rem}.meta{color:#666;font-size:.9rem;margin:0 0 .5rem}"
    "dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem;margin:0}dt{color:#666}dd{margin:0}"
    "dd ul{margin:0;padding-left:1.2rem}code{font-size:.9em}a{color:#1a5fb4}"
    "#kg-lang a[aria-current=true]{color:#222;font-weight:700;text-decoration:none}"
)


def _style_hash() -> str:
    import hashlib  # late: importing hashlib costs ~9 ms

    return "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii") + "'"


def write_ontology_page(store: GraphStore, path: str | Path) -> Path:
    """Write the ontology page to ``path`` (atomically)."""

    return write_atomically(path, ontology_page(store))


def class_anchors(terms: Sequence[Term]) -> set[str]:
    """The anchors of the classes on the page."""
    return {t.anchor for t in terms if t.kind == "class"}
