"""JSON-LD for web developers: the graph's published ``@context`` and compact documents written with it.

A compact document reads as plain JSON: ``"@id": "id:kuaishou"``, labels as a map from language to text
(``"label": {"en": "Kuaishou", "zh-Hans": "快手"}``), one value bare and several in a list. The context travels inside
every document kg writes, so that no reader has to fetch it (rdflib and other JSON-LD processors fetch a context given
by address); the same context is published on its own (``exports/context.jsonld``, ``/context.jsonld`` on ``kg serve``)
for those who write documents of their own against it.

The writer is kg's own, not a general JSON-LD compaction: it knows the one context, so that it can write the same bytes
for the same statements whatever order they come in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .vocab import PREFIXES, RDF, RDFS, SKOS, curie, written_tag

#: Where the context is published, beside the graph's IRIs (kg serve answers it at ``/context.jsonld``).
CONTEXT_PATH = "context.jsonld"
#: Properties whose values are text in several languages, written as a map from language to text.
LANGUAGE_MAPS: dict[str, str] = {
    "label": str(RDFS.label),
    "prefLabel": str(SKOS.prefLabel),
    "altLabel": str(SKOS.altLabel),
    "definition": str(SKOS.definition),
    "note": str(SKOS.note),
}
_TERMS = {iri: term for term, iri in LANGUAGE_MAPS.items()}
_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context() -> dict[str, Any]:
    """The ``@context``: kg's prefixes, and a language map for each property of :data:`LANGUAGE_MAPS`.

    >>> context()["id"], context()["label"]
    ('https://w3id.org/sce/id/', {'@id': 'rdfs:label', '@container': '@language'})
    """
    terms: dict[str, Any] = dict(PREFIXES)
    for term, iri in LANGUAGE_MAPS.items():
        terms[term] = {"@id": curie(iri), "@container": "@language"}
    return terms


def context_document() -> bytes:
    """The context as a document of its own, as it is published."""
    return _dumps({"@context": context()})


def compact(triples: Iterable[ox.Triple]) -> bytes:
    """``triples`` as a compact JSON-LD document with the context inline: one object per subject, in IRI order.

    >>> s = ox.NamedNode("https://w3id.org/sce/id/kuaishou")
    >>> label = ox.Literal("快手", language="zh-Hans")
    >>> document = json.loads(compact([ox.Triple(s, ox.NamedNode(str(RDFS.label)), label)]))
    >>> document["@graph"]
    [{'@id': 'id:kuaishou', 'label': {'zh-Hans': '快手'}}]
    """
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        subject = _node_id(triple.subject)
        node = nodes.setdefault(subject, {})
        key, value = _entry(triple.predicate.value, triple.object)
        node.setdefault(key, []).append(value)
    graph = [_node(subject, nodes[subject]) for subject in sorted(nodes)]
    return _dumps({"@context": context(), "@graph": graph})


def _node(subject: str, entries: dict[str, list[Any]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": subject}
    for key in sorted(entries, key=lambda k: (k != "@type", k)):
        values = entries[key]
        if key in LANGUAGE_MAPS:
            node[key] = _language_map(values)
        else:
            ordered = sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            node[key] = ordered[0] if len(ordered) == 1 else ordered
    return node


def _language_map(values: list[Any]) -> dict[str, Any]:
    """``(language, text)`` pairs as a map, several texts of one language in a sorted list."""
    by_language: dict[str, list[str]] = {}
    for language, text in values:
        by_language.setdefault(language, []).append(text)
    return {lang: texts[0] if len(texts) == 1 else sorted(texts) for lang, texts in sorted(by_language.items())}


def _entry(predicate: str, obj: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> tuple[str, Any]:
    """The key and value of one statement in its subject's object."""
    if predicate == str(RDF.type) and not isinstance(obj, ox.Literal):
        return "@type", _node_id(obj)
    term = _TERMS.get(predicate)
    if term is not None and isinstance(obj, ox.Literal) and obj.language:
        return term, (written_tag(obj.language), obj.value)
    return curie(predicate), _value(obj)  # a language map holds only tagged text: the rest by the property's name


def _value(obj: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    """A value object: a node reference, a plain string, or text with its language or datatype."""
    if isinstance(obj, ox.Literal):
        if obj.language:
            return {"@language": written_tag(obj.language), "@value": obj.value}
        if obj.datatype.value == _STRING:
            return obj.value
        return {"@type": curie(obj.datatype.value), "@value": obj.value}
    return {"@id": _node_id(obj)}


def _node_id(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    if isinstance(node, ox.NamedNode):
        return curie(node.value)
    raise ValueError(f"JSON-LD 1.1 has no place for {node} as a node")


def _dumps(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
