r"""SPARQL as text: what is code and what is data in a query, and binding variables to RDF terms.

The tools here never read a user's value as text. A value arrives as a pyoxigraph term, whose constructor has checked
it (an IRI without spaces or ``>``, a literal whose quotes and backslashes it escapes), and is written back in
N-Triples syntax, so nothing in it can end the term early.

>>> import pyoxigraph as ox
>>> print(bind_values("SELECT ?x WHERE { ?x a ?t }", {"t": ox.NamedNode("https://w3id.org/sce/ontology#Role")}))
SELECT ?x WHERE { VALUES (?t) { (<https://w3id.org/sce/ontology#Role>) } ?x a ?t }
>>> network_reach("SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
('SERVICE', 2, 3)
>>> network_reach('SELECT ?service WHERE { ?service ?p "SERVICE" }') is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from .errors import KGError
from .vocab import PREFIXES

#: SPARQL prefix declarations for a query sent to a server, so that queries may use the known prefixes undeclared.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# Strings, IRIs and comments, which may hold any character a query's structure is made of.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_REACH = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)


_VARIABLE = re.compile(r"[?$][A-Za-z0-9_]+")


def blank_opaque(sparql: str, *, variables: bool = False) -> str:
    """``sparql`` with strings, IRIs and comments (and variables, if asked) blanked out, character positions kept."""
    code = _OPAQUE.sub(lambda m: " " * len(m.group(0)), sparql)
    return _VARIABLE.sub(lambda m: " " * len(m.group(0)), code) if variables else code


@lru_cache(maxsize=256)
def network_reach(sparql: str) -> tuple[str, int, int] | None:
    """The first SERVICE or LOAD keyword of ``sparql`` in code (not in a string, IRI, comment or variable name), with
    its line and column; None when there is none."""
    code = blank_opaque(sparql, variables=True)
    match = _REACH.search(code)
    if not match:
        return None
    line = code.count("\n", 0, match.start()) + 1
    column = match.start() - (code.rfind("\n", 0, match.start()) + 1) + 1
    return match.group(1).upper(), line, column


def query_form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE), from the query's first keyword.

    >>> query_form("PREFIX ex: <http://example.org/select#> # ASK\\nCONSTRUCT WHERE { ?s ex:p ?o }")
    'graph'

    Raises:
        KGError: no query form keyword at all (an update, or not SPARQL).
    """
    match = _FORM.search(blank_opaque(sparql))
    if match is None:
        raise KGError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE (updates go through kg push)")
    form = match.group(1).upper()
    return {"SELECT": "select", "ASK": "ask"}.get(form, "graph")


def term_text(term: Any) -> str:
    """A pyoxigraph IRI or literal in N-Triples syntax, fit to stand in a query.

    pyoxigraph's constructors have checked the IRI and escape the literal's quotes and backslashes, so nothing in the
    value can end the term early.

    >>> term_text(ox.Literal('x" } ; DROP ALL #'))
    '"x\\\\" } ; DROP ALL #"'

    Raises:
        KGError: anything but a NamedNode or a Literal (a blank node names nothing on a server).
    """
    if isinstance(term, ox.NamedNode):
        return str(ox.NamedNode(term.value))
    if isinstance(term, ox.Literal):
        return str(term)
    raise KGError(f"only IRIs and literals can be bound as parameters on a remote store, not {term!r}")


def bind_values(sparql: str, substitutions: Mapping[str, Any]) -> str:
    """``sparql`` with each variable bound to its term by a ``VALUES`` block at the start of the outermost group.

    At the start of the WHERE group, the binding reaches every FILTER and OPTIONAL of that group (a trailing VALUES
    would come after them: ``FILTER (CONTAINS(?name, ?_text_literal))`` would see it unbound). A query without a group
    (``DESCRIBE <iri>``) gets a trailing VALUES block.

    Raises:
        KGError: a variable name that is not a SPARQL variable name, or a term that is not an IRI or literal.
    """
    if not substitutions:
        return sparql
    for name in substitutions:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise KGError(f"{name!r} is not a SPARQL variable name")
    variables = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(term_text(term) for term in substitutions.values())
    block = f"VALUES ({variables}) {{ ({terms}) }}"
    start = _where_group(blank_opaque(sparql))
    if start is None:
        return f"{sparql}\n{block}"
    return f"{sparql[: start + 1]} {block}{sparql[start + 1 :]}"


def _where_group(code: str) -> int | None:
    """Position of the ``{`` opening the last top-level group (the WHERE clause), or None when there is none."""
    depth, parens, last = 0, 0, None
    for index, char in enumerate(code):
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{":
            if depth == 0 and parens == 0:
                last = index
            depth += 1
        elif char == "}":
            depth -= 1
    return last
