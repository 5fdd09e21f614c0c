"""The named queries as RDF examples, in the terms the SIB's SPARQL endpoints publish and sparql-llm reads.

Each query of ``queries/`` becomes one ``sh:SPARQLExecutable`` (and ``sh:SPARQLSelectExecutable`` or its kin for its
form) with its text under ``sh:select`` (``sh:ask``, ``sh:construct``, ``spex:describe``), its summary and description
as ``rdfs:comment`` in English and Chinese, its tags as ``schema:keywords`` and the endpoint as ``schema:target``.
``kg serve`` answers them at ``/.well-known/sparql-examples`` and includes them in its service description.
"""

from __future__ import annotations

import pyoxigraph as ox

from .catalog import NamedQuery, catalog
from .sparqltext import query_form
from .vocab import RDF, RDFS, SCHEMA, SH, SPEX

#: Where kg serve lists its examples (beside VoID, at RFC 5785's well-known place).
EXAMPLES_PATH = "/.well-known/sparql-examples"

RDF_TYPE = ox.NamedNode(RDF.type)
RDFS_COMMENT = ox.NamedNode(RDFS.comment)
RDFS_LABEL = ox.NamedNode(RDFS.label)
#: The class and the property of each form of query (DESCRIBE has no property in SHACL: the SIB's own).
FORMS = {
    "SELECT": (SH + "SPARQLSelectExecutable", SH + "select"),
    "ASK": (SH + "SPARQLAskExecutable", SH + "ask"),
    "CONSTRUCT": (SH + "SPARQLConstructExecutable", SH + "construct"),
    "DESCRIBE": (SPEX + "SPARQLDescribeExecutable", SPEX + "describe"),
}


def examples(listing: str, *, endpoint: str) -> list[ox.Triple]:
    """Every named query as an example named ``listing#NAME``, run at ``endpoint``.

    >>> found = examples("http://127.0.0.1:8000/.well-known/sparql-examples", endpoint="http://127.0.0.1:8000/sparql")
    >>> models = ox.NamedNode("http://127.0.0.1:8000/.well-known/sparql-examples#models")
    >>> sorted(t.object.language for t in found if t.subject == models and t.predicate == RDFS_COMMENT)
    ['en', 'zh-hans']

    (pyoxigraph holds tags in lower case; kg's writers put them back as written, ``zh-Hans``.)
    """
    triples: list[ox.Triple] = []
    for name, query in sorted(catalog().items()):
        triples += example(ox.NamedNode(f"{listing}#{name}"), query, endpoint=endpoint)
    return triples


def example(node: ox.NamedNode, query: NamedQuery, *, endpoint: str) -> list[ox.Triple]:
    """One named query as an example: its types, text, comments in both languages, keywords and target."""
    text = query_text(query)
    kind, holds = FORMS[_form(text)]
    triples = [
        ox.Triple(node, RDF_TYPE, ox.NamedNode(SH + "SPARQLExecutable")),
        ox.Triple(node, RDF_TYPE, ox.NamedNode(kind)),
        ox.Triple(node, ox.NamedNode(holds), ox.Literal(text)),
        ox.Triple(node, RDFS_LABEL, ox.Literal(query.name)),
        ox.Triple(node, ox.NamedNode(SCHEMA + "target"), ox.NamedNode(endpoint)),
    ]
    for words, lang in ((_comment(query.summary, query.description), "en"),
                        (_comment(query.summary_zh, query.description_zh), "zh-Hans")):  # fmt: skip
        if words:
            triples.append(ox.Triple(node, RDFS_COMMENT, ox.Literal(words, language=lang)))
    triples += [ox.Triple(node, ox.NamedNode(SCHEMA + "keywords"), ox.Literal(tag)) for tag in query.tags]
    return triples


def query_text(query: NamedQuery) -> str:
    """The query's SPARQL without its ``#+`` header (its summary and description are said as comments instead)."""
    lines = query.text.splitlines()
    while lines and (lines[0].startswith("#+") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _comment(summary: str, description: str) -> str:
    """The summary and the description as one comment: ``Summary. Description``."""
    if summary and description:
        return f"{summary.rstrip('.')}. {description}"
    return summary or description


def _form(text: str) -> str:
    """The form of the query: SELECT, ASK, CONSTRUCT or DESCRIBE.

    >>> _form("PREFIX x: <urn:x#> DESCRIBE <urn:a>"), _form("SELECT * WHERE { ?s ?p ?o }")
    ('DESCRIBE', 'SELECT')
    """
    form = query_form(text)
    if form != "graph":
        return form.upper()
    return "DESCRIBE" if _first_keyword(text) == "DESCRIBE" else "CONSTRUCT"


def _first_keyword(text: str) -> str:
    for word in text.replace("{", " ").split():
        if word.upper() in ("CONSTRUCT", "DESCRIBE"):
            return word.upper()
    return ""
