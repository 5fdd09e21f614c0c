"""The SHACL shapes of ``ontology/shapes.ttl`` in plain words, by the terms each applies to (for the ontology page).

A shape applies to: the class it targets (``sh:targetClass``), the property whose subjects or objects it targets
(``sh:targetSubjectsOf``, ``sh:targetObjectsOf``), the classes of the graph's nodes that such a target, or a SPARQL
target (``sh:target``), selects, the property of its path (an inverse path too), and the class its values must belong
to (``sh:class``). A property shape applies as well to everything its node shape applies to. A SPARQL constraint that
``kg validate`` runs on its own (``shape:FactSource``) applies to the properties its query lists.

Each rule is said by the shape's own ``sh:message`` (or its SPARQL constraints' messages), with ``{?var}`` shown as
"…"; a node shape without a message of its own is said by short fixed phrases: what it checks, and what each node
must be.

>>> from kg.stores import open_store
>>> rules = shape_rules(open_store())
>>> [(r.shape, r.text) for r in rules["https://w3id.org/sce/ontology#tieType"]]
[('shape:ChainShape', 'a social chain has exactly one tie type, a sce:SocialTie')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .lang import is_chinese
from .results import Term
from .stores import GraphStore
from .vocab import PREFIXES, RDF, SCE, SH, SHAPE, SHAPES_FILE, curie, ontology_dir

#: The statements that name a node shape's targets.
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
#: The ``sce:`` classes of the nodes that a property's subjects (or objects) are.
SUBJECT_CLASSES = "SELECT DISTINCT ?class WHERE { ?node ?property ?value . ?node a ?class }"
OBJECT_CLASSES = "SELECT DISTINCT ?class WHERE { ?value ?property ?node . ?node a ?class }"
#: How many targets a node shape's words name before "and N more".
MANY = 4
#: The fixed phrases that say a node shape without a message of its own, in each language.
PHRASES = {
    "en": {
        "every": "every {}",
        "subjects": "everything that has a {}",
        "objects": "everything that is a value of {}",
        "selected": "what its SPARQL target selects",
        "a": "a {}",
        "iri": "named by an IRI",
        "more": "{} more",
        "checks": "checks {}",
        "must": ": each must be {}",
        "and": " and ",
        "comma": ", ",
        "constrains": "constrains {}",
    },
    "zh": {
        "every": "每个 {}",
        "subjects": "所有带有 {} 的节点",
        "objects": "所有作为 {} 取值的节点",
        "selected": "其 SPARQL 目标所选的节点",
        "a": "{}",
        "iri": "以 IRI 命名",
        "more": "另外 {} 项",
        "checks": "检查{}",
        "must": "：每个都须是{}",
        "and": "且",
        "comma": "、",
        "constrains": "约束 {}",
    },
}


@dataclass(frozen=True, order=True)
class Rule:
    """One shape in plain words: its name (a blank property shape goes by its node shape's) and what it says."""

    shape: str
    text: str


class _Shapes:
    """The shapes graph, read once, with the look-ups the rules need."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.words = PHRASES["zh" if is_chinese(lang) else "en"]
        self.graph = ox.Store()
        self.graph.load(path=str(ontology_dir() / SHAPES_FILE), format=ox.RdfFormat.TURTLE)

    def objects(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[Term]:
        found = self.graph.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)
        return sorted((q.object for q in found), key=str)

    def subjects(self, predicate: str, value: str | None = None) -> list[ox.NamedNode | ox.BlankNode]:
        target = ox.NamedNode(value) if value else None
        found = {q.subject for q in self.graph.quads_for_pattern(None, ox.NamedNode(predicate), target, None)}
        return sorted((s for s in found if isinstance(s, (ox.NamedNode, ox.BlankNode))), key=str)

    def texts(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]

    def iris(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode)]

    def said(self, subject: ox.NamedNode | ox.BlankNode) -> list[str]:
        """The subject's messages in the language of the rules (each message is written in English, and may be in
        Chinese as well: the English stands where the Chinese is missing)."""
        found = [o for o in self.objects(subject, SH.message) if isinstance(o, ox.Literal)]
        chinese = [o.value for o in found if is_chinese(o.language or "")]
        english = [o.value for o in found if not is_chinese(o.language or "")]
        return chinese or english if is_chinese(self.lang) else english

    def messages(self, shape: ox.NamedNode | ox.BlankNode) -> list[str]:
        """The shape's messages, and those of its SPARQL constraints, with ``{?var}`` as "…"."""
        found = self.said(shape)
        for constraint in self.objects(shape, SH.sparql):
            if isinstance(constraint, (ox.NamedNode, ox.BlankNode)):
                found += self.said(constraint)
        return [re.sub(r"\{[?$]\w+\}", "…", text) for text in found]

    def path_terms(self, path: Term) -> Iterator[str]:
        """Every property a path names: itself, or those of an inverse, alternative or sequence path."""
        if isinstance(path, ox.NamedNode):
            if path.value != RDF.nil:
                yield path.value
        elif isinstance(path, ox.BlankNode):
            for quad in self.graph.quads_for_pattern(path, None, None, None):
                yield from self.path_terms(quad.object)

    def prefixes(self, node: ox.NamedNode | ox.BlankNode) -> str:
        """The ``PREFIX`` lines a SPARQL target or constraint declares through ``sh:prefixes``."""
        lines = []
        for declared in self.objects(node, SH.prefixes):
            for entry in self.objects(declared, SH.declare) if isinstance(declared, ox.NamedNode) else []:
                if isinstance(entry, ox.BlankNode):
                    prefix, namespace = self.texts(entry, SH.prefix), self.texts(entry, SH.namespace)
                    lines += [f"PREFIX {p}: <{n}>" for p, n in zip(prefix, namespace, strict=False)]
        return "\n".join(lines)


def _name(shape: ox.NamedNode | ox.BlankNode) -> str | None:
    """A named shape's short name (``shape:ModelForm``); None for a blank one."""
    if not isinstance(shape, ox.NamedNode):
        return None
    return "shape:" + shape.value.removeprefix(str(SHAPE)) if shape.value.startswith(str(SHAPE)) else curie(shape.value)


def _classes(store: GraphStore, query: str, **bindings: Term) -> set[str]:
    """The ``sce:`` classes a query of the graph finds (its variable ``?class``)."""
    found = {row["class"] for row in store.select(query, **bindings)}
    return {c.value for c in found if isinstance(c, ox.NamedNode) and c.value.startswith(str(SCE))}


def _node_terms(shapes: _Shapes, store: GraphStore, node: ox.NamedNode | ox.BlankNode) -> tuple[set[str], list[str]]:
    """What a node shape applies to, and the fixed phrases that say whom it checks."""
    terms, whom = set(), []
    for target in shapes.iris(node, SH.targetClass):
        terms.add(target)
        whom.append(shapes.words["every"].format(curie(target)))
    for key, query, words in ((SH.targetSubjectsOf, SUBJECT_CLASSES, shapes.words["subjects"]),
                              (SH.targetObjectsOf, OBJECT_CLASSES, shapes.words["objects"])):  # fmt: skip
        for target in shapes.iris(node, key):
            terms |= {target} | _classes(store, query, property=ox.NamedNode(target))
            whom.append(words.format(curie(target)))
    for chosen in shapes.objects(node, SH.target):
        if isinstance(chosen, (ox.NamedNode, ox.BlankNode)):
            for select in shapes.texts(chosen, SH.select):
                query = f"{shapes.prefixes(chosen)}\nSELECT DISTINCT ?class WHERE {{ {{ {select} }} ?this a ?class }}"
                terms |= _classes(store, query)
            whom.append(shapes.words["selected"])
    return terms, whom


def _node_rule(shapes: _Shapes, node: ox.NamedNode | ox.BlankNode, whom: list[str]) -> Rule:
    """A node shape in words: its messages, else whom it checks and what each must be."""
    text = "; ".join(shapes.messages(node))
    if not text:
        said = shapes.words
        musts = [said["a"].format(curie(c)) for c in shapes.iris(node, SH.term("class"))]
        musts += [said["iri"]] if SH.IRI in shapes.iris(node, SH.nodeKind) else []
        listed = whom if len(whom) <= MANY else [*whom[: MANY - 1], said["more"].format(len(whom) - MANY + 1)]
        text = said["checks"].format(said["comma"].join(listed))
        text += said["must"].format(said["and"].join(musts)) if musts else ""
    return Rule(_name(node) or "", text)


def _property_rule(shapes: _Shapes, prop: ox.NamedNode | ox.BlankNode, holder: Rule) -> tuple[set[str], Rule]:
    """What a property shape applies to of its own (its path's properties, its values' class) and its words."""
    terms = {t for path in shapes.objects(prop, SH.path) for t in shapes.path_terms(path)}
    terms |= set(shapes.iris(prop, SH.term("class")))
    text = "; ".join(shapes.messages(prop)) or shapes.words["constrains"].format(
        shapes.words["comma"].join(curie(t) for t in sorted(terms))
    )
    return terms, Rule(_name(prop) or holder.shape, text)


def _listed_properties(shapes: _Shapes, constraint: ox.NamedNode) -> set[str]:
    """The properties a standalone SPARQL constraint lists in its query's ``VALUES ?property { … }``."""
    found = set()
    for select in shapes.texts(constraint, SH.select):
        block = re.search(r"VALUES\s+\?property\s*\{([^}]*)\}", select)
        for token in block.group(1).split() if block else []:
            prefix, _, local = token.partition(":")
            if token.startswith("<") and token.endswith(">"):
                found.add(token[1:-1])
            elif prefix in PREFIXES:
                found.add(PREFIXES[prefix] + local)
    return found


def shape_rules(store: GraphStore, lang: str = "en") -> dict[str, list[Rule]]:
    """Every shape of ``shapes.ttl`` in plain words, under each term (IRI) it applies to; each term's rules sorted.

    Args:
        store: the graph whose nodes tell which classes a shape's non-class targets reach.
        lang: the language of the shapes' messages (English where a shape has none in that language).
    """
    shapes = _Shapes(lang)
    found: dict[str, set[Rule]] = {}

    def add(terms: set[str], rule: Rule) -> None:
        for term in terms:
            found.setdefault(term, set()).add(rule)

    holders = {s for key in TARGETS for s in shapes.subjects(key)} | set(shapes.subjects(RDF.type, SH.NodeShape))
    attached: set[ox.NamedNode | ox.BlankNode] = set()
    for node in sorted(holders, key=str):
        terms, whom = _node_terms(shapes, store, node)
        terms |= set(shapes.iris(node, SH.term("class")))
        holder = _node_rule(shapes, node, whom)
        add(terms, holder)
        for prop in shapes.objects(node, SH.property):
            if isinstance(prop, (ox.NamedNode, ox.BlankNode)):
                attached.add(prop)
                own, rule = _property_rule(shapes, prop, holder)
                add(terms | own, rule)
    for prop in shapes.subjects(RDF.type, SH.PropertyShape):
        if prop not in attached:
            own, rule = _property_rule(shapes, prop, Rule(_name(prop) or "", ""))
            add(own, rule)
    for constraint in shapes.subjects(RDF.type, SH.SPARQLConstraint):
        if isinstance(constraint, ox.NamedNode) and constraint.value.startswith(str(SHAPE)):
            rule = Rule(_name(constraint) or "", "; ".join(shapes.messages(constraint)))
            add(_listed_properties(shapes, constraint), rule)
    return {term: sorted(rules) for term, rules in sorted(found.items())}
