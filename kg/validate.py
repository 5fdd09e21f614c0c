"""Check a graph: every file parses, and the whole conforms to the SHACL shapes in ``ontology/shapes.ttl``.

A violation is told in words: the node by its label and CURIE, and the rule it breaks.

>>> report = validate()
>>> report.conforms, report.violations
(True, [])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .lang import LANGUAGES
from .results import str_value
from .stores import GraphStore, Store, open_store
from .vocab import RDFS, SH, SHAPES_FILE, curie, ontology_dir

if TYPE_CHECKING:
    import rdflib


@dataclass(frozen=True)
class Violation:
    """One way the graph breaks a shape.

    Attributes:
        node: the IRI (or blank node id) of the node at fault.
        label: its English label, or its CURIE when it has none.
        message: the rule broken, in words.
        path: the property concerned, as a CURIE, or "" when the rule is about the node as a whole.
        shape: the shape that holds the rule, as a CURIE.
        severity: "Violation", "Warning" or "Info".
    """

    node: str
    label: str
    message: str
    path: str
    shape: str
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        return f"{self.severity}: {self.label} ({curie(self.node)}): {self.message}{where}"


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: whether the graph conforms, and each violation."""

    conforms: bool
    violations: list[Violation]

    def __str__(self) -> str:
        if self.conforms:
            return "The graph conforms to its shapes."
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violation(s): the graph does not conform to its shapes.")
        return "\n".join(lines)


def validate(files: Sequence[str | Path] = (), *, store: GraphStore | None = None) -> Report:
    """Validate the built-in graph, with ``files`` on top of it, against the shapes.

    Args:
        files: RDF files of the user's to add before validating.
        store: the store to validate instead of the built-in graph; ``files`` go on top of a copy of it in memory,
            so the store itself is never changed.

    Raises:
        InputError: a file does not parse (file, line and column in the message).
    """
    if store is None:
        store = open_store(data=files)
    elif files:
        copy = Store()
        copy.engine.extend(store.quads())
        copy.load_all(files)
        store = copy
    data = to_rdflib(store)
    report = check(data)
    unsourced = dataset_violations(store, data)
    if not unsourced:
        return report
    violations = sorted({*report.violations, *unsourced}, key=lambda v: (v.label.lower(), v.node, v.message, v.path))
    return Report(conforms=False, violations=violations)


def to_rdflib(store: GraphStore) -> rdflib.Graph:
    """The union of the store's graphs as one rdflib graph (shapes and reasoners work on rdflib graphs)."""
    import rdflib

    graph = rdflib.Graph()
    text = "".join(f"{t} .\n" for t in store.triples())
    graph.parse(data=text, format="nt")
    return graph


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes as an rdflib graph."""
    import rdflib

    return rdflib.Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle")


def check(data: rdflib.Graph) -> Report:
    """Run pySHACL with the project's shapes over ``data``; SHACL-AF SPARQL constraints are on."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True)
    unique = set(_violations(results, data))
    violations = sorted(unique, key=lambda v: (v.label.lower(), v.node, v.message, v.path))
    return Report(conforms=bool(conforms), violations=violations)


def dataset_violations(store: GraphStore, data: rdflib.Graph) -> list[Violation]:
    """The rules about named graphs that SHACL cannot see: each ``sh:SPARQLConstraint`` of the shapes that no shape
    holds (``shape:FactSource``: every fact beyond the seed comes from a source with a web address), run over the
    store's whole dataset; each row a violation of that rule."""
    import rdflib

    sh = rdflib.Namespace(str(SH))
    shapes = shapes_graph()
    out = []
    for rule in shapes.subjects(rdflib.RDF.type, sh.SPARQLConstraint):
        if not isinstance(rule, rdflib.URIRef) or (None, sh.sparql, rule) in shapes:
            continue
        message = str(shapes.value(rule, sh.message))
        for row in store.select(str(shapes.value(rule, sh.select))):
            node, prop = str_value(row["this"]), row.get("property")
            path = curie(str_value(prop)) if prop is not None else ""
            text = message.replace("{?property}", path)
            out.append(Violation(node, label_of(data, rdflib.URIRef(node)), text, path, curie(str(rule))))
    return out


def _violations(results: rdflib.Graph, data: rdflib.Graph) -> list[Violation]:
    import rdflib

    out = []
    sh = rdflib.Namespace(str(SH))
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        node = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        shape = results.value(result, sh.sourceShape)
        severity = results.value(result, sh.resultSeverity)
        message = results.value(result, sh.resultMessage)
        out.append(
            Violation(
                node=str(node),
                label=label_of(data, node),
                message=str(message) if message is not None else "breaks " + curie(str(shape)),
                path=curie(str(path)) if isinstance(path, rdflib.URIRef) else "",
                shape=curie(str(shape)) if isinstance(shape, rdflib.URIRef) else "",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    return out


def label_of(data: rdflib.Graph, node: object) -> str:
    """The node's label, English first, else its CURIE."""
    import rdflib

    found = data.objects(node, rdflib.URIRef(RDFS.label))  # type: ignore[arg-type]
    labels = {(lit.language or "").lower(): str(lit) for lit in found if isinstance(lit, rdflib.Literal)}
    for lang in (*(code.lower() for code in LANGUAGES), ""):
        if lang in labels:
            return labels[lang]
    return curie(str(node))
