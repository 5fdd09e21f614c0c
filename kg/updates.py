"""SPARQL Update as data: which graphs an update writes, kept off kg's own graphs.

An update is read by a real SPARQL parser (rdflib's grammar, with prefixes and BASE resolved), and each operation's
targets are checked: the graphs of ``INSERT DATA``/``DELETE DATA``, the templates of ``DELETE``/``INSERT`` (a
``GRAPH ?variable`` in a template could write any graph, so it is refused), ``WITH``, ``LOAD … INTO``, ``CLEAR``,
``DROP``, ``CREATE``, and ``ADD``/``MOVE``/``COPY``. ``CLEAR ALL``/``DROP ALL`` (and ``NAMED``) mean the user's own
graphs: they are narrowed, on the tokens of the text, to one operation per user graph (IRIs written from checked
terms). The protocol's ``using-graph-uri``/``using-named-graph-uri`` become ``USING`` clauses of every
``DELETE``/``INSERT … WHERE`` operation.

>>> plan_update("CLEAR ALL", user_graphs=["http://example.org/mine"])
'CLEAR SILENT GRAPH <http://example.org/mine> ; CLEAR SILENT DEFAULT'
>>> plan_update("DROP GRAPH <https://w3id.org/sce/graph/seed>", user_graphs=[])  # doctest: +ELLIPSIS
Traceback (most recent call last):
kg.updates.OwnGraphError: update: DROP would write kg's own graph <https://w3id.org/sce/graph/seed>; ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from .errors import InputError, KGError
from .sparqltext import absolute_iris, code
from .vocab import PREFIXES, is_own_graph


class OwnGraphError(KGError):
    """An update or a graph-store write that would change one of kg's own graphs."""


class UpdateConflict(KGError):
    """The protocol names a dataset for an update that names its own (``USING``, ``WITH``)."""


def plan_update(
    sparql: str,
    *,
    user_graphs: Sequence[str],
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    source: str = "update",
    base: str | None = None,
) -> str:
    """The text to run for ``sparql``: checked to write no graph of kg's, ``ALL``/``NAMED`` narrowed to
    ``user_graphs``, the protocol's USING graphs written in.

    Raises:
        InputError: the update cannot be parsed.
        KGError: it writes (or could write) one of kg's own graphs.
        UpdateConflict: ``using``/``using_named`` given for an update with its own USING or WITH.
    """
    sparql = absolute_iris(sparql, base, source=source)  # the IRIs the engine reads, whatever rdflib would make of them
    operations = _operations(sparql, source, base)
    segments = _segments(sparql)
    if len(segments) != len(operations):  # the two readers disagree: trust neither with a rewrite
        raise InputError("cannot tell this update's operations apart", source=source)
    pieces: list[str] = []
    for op, (start, end) in zip(operations, segments, strict=True):
        _check(op, source)
        text = sparql[start:end]
        if op.name in ("Clear", "Drop") and op.graphiri in ("ALL", "NAMED"):
            text = _narrowed(sparql, start, end, op, user_graphs)
        elif using or using_named:
            text = _with_using(sparql, start, end, op, using, using_named, source)
        pieces.append(text)
    return ";".join(pieces)


def _operations(sparql: str, source: str, base: str | None = None) -> list[Any]:
    from rdflib.plugins.sparql.algebra import (
        translateUpdate,  # late: importing rdflib.plugins.sparql.algebra costs ~308 ms
    )
    from rdflib.plugins.sparql.parser import parseUpdate  # late: importing rdflib.plugins.sparql.parser costs ~304 ms

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    try:
        parsed = translateUpdate(parseUpdate(prologue + sparql), base=base)
    except Exception as error:  # pyparsing's and rdflib's many errors: the text is not an update rdflib reads
        message = " ".join(str(error).split())[:160]
        raise InputError(f"syntax error: {message}", source=source) from None
    return list(parsed.algebra)


def _segments(sparql: str) -> list[tuple[int, int]]:
    """The spans of the update's operations: the text between top-level ``;`` tokens (a trailing empty one left out)."""
    spans, depth, start = [], 0, 0
    for token in code(sparql):
        if token.text in "{([":
            depth += 1
        elif token.text in "})]":
            depth -= 1
        elif token.text == ";" and depth == 0:
            spans.append((start, token.start))
            start = token.start + 1
    spans.append((start, len(sparql)))
    return [s for s in spans if any(t.start >= s[0] and t.start < s[1] for t in code(sparql))] or [(0, len(sparql))]


def _targets(op: Any) -> list[Any]:
    """The graphs ``op`` writes (IRIs, variables, or the words DEFAULT, ALL, NAMED)."""
    name = op.name
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        return list(op.quads or {})
    if name == "Modify":
        found = [g for clause in (op.delete, op.insert) if clause for g in (clause.quads or {})]
        return found + ([op.withClause] if op.withClause is not None else [])
    if name == "Load":
        return [op.graphiri] if op.graphiri is not None else []
    if name in ("Clear", "Drop", "Create"):
        return [op.graphiri]
    if name == "Move":
        return list(op.graph)
    if name in ("Add", "Copy"):
        return [op.graph[1]]
    return []


def _check(op: Any, source: str) -> None:
    from rdflib.term import URIRef, Variable  # late: importing rdflib.term costs ~142 ms

    keyword = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}.get(
        op.name, op.name.upper().replace("MODIFY", "DELETE/INSERT")
    )
    for target in _targets(op):
        if isinstance(target, Variable):
            raise OwnGraphError(
                f"{source}: {keyword} with GRAPH ?{target} in its template could write kg's own graphs; name the graph"
            )
        if isinstance(target, URIRef) and is_own_graph(str(target)):
            raise OwnGraphError(
                f"{source}: {keyword} would write kg's own graph <{target}>; write into a graph of yours"
            )


def _narrowed(sparql: str, start: int, end: int, op: Any, user_graphs: Sequence[str]) -> str:
    """``CLEAR``/``DROP`` ``ALL``/``NAMED`` as one operation per user graph (and the default graph, for ALL)."""
    tokens = [t for t in code(sparql) if start <= t.start < end]
    verb = next(t for t in tokens if t.text.upper() in ("CLEAR", "DROP"))
    prologue = sparql[start : verb.start]
    word = verb.text.upper()
    parts = [f"{word} SILENT GRAPH {ox.NamedNode(g)}" for g in user_graphs if not is_own_graph(g)]
    if op.graphiri == "ALL":
        parts.append(f"{word} SILENT DEFAULT")
    if not parts:
        parts = ["CLEAR SILENT DEFAULT"] if op.graphiri == "ALL" else ["INSERT DATA { }"]
    return prologue + " ; ".join(parts)


def _with_using(
    sparql: str, start: int, end: int, op: Any, using: Sequence[str], using_named: Sequence[str], source: str
) -> str:
    """A DELETE/INSERT … WHERE operation with the protocol's USING graphs written in before its WHERE."""
    if op.name != "Modify":
        return sparql[start:end]
    if op.using or op.withClause is not None:
        raise UpdateConflict(
            f"{source}: the update names its own dataset (USING or WITH) and the request names one too"
        )
    depth = 0
    for token in code(sparql):
        if token.start < start or token.start >= end:
            continue
        if token.text in "{([":
            depth += 1
        elif token.text in "})]":
            depth -= 1
        elif depth == 0 and token.text.upper() == "WHERE":
            clauses = [f"USING {ox.NamedNode(g)}" for g in using] + [
                f"USING NAMED {ox.NamedNode(g)}" for g in using_named
            ]
            return sparql[start : token.start] + " ".join(clauses) + " " + sparql[token.start : end]
    return sparql[start:end]
