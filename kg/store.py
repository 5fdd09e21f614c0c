"""Where the graph lives: an embedded Oxigraph store holding the built-in graph and the user's own files.

Every file is loaded into a named graph of its own (the built-in files into ``https://w3id.org/sce/graph/…``), and
queries see the union of all graphs. A file is parsed completely before anything is added, so a file with an error
anywhere leaves the store as it was.

>>> store = open_store()
>>> sorted(iri.rsplit("/", 1)[1] for iri, _ in store.graphs())
['curation', 'ontology', 'seed']
>>> bool(store.ask("ASK { id:kuaishou a sce:Enterprise }"))
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, KGError, from_syntax_error
from .vocab import BUILTIN_FILES, PREFIXES, ontology_dir

#: File name endings and the RDF format each means.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}

#: SPARQL prefix declarations prepended to every query, so that queries may use the known prefixes undeclared.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF format of ``path``, from its name's ending.

    Raises:
        InputError: when the ending names no RDF format kg reads.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"cannot tell the RDF format from the ending {suffix!r}; use one of {known}", source=str(path))
    return FORMATS[suffix]


def graph_name(path: str | Path) -> str:
    """The named graph a user's file goes into by default: the file's own ``file:`` IRI."""
    return Path(path).resolve().as_uri()


def parse_file(path: str | Path, *, graph: str | None = None) -> list[ox.Quad]:
    """Read every statement of ``path``; triples go into ``graph`` (by default the file's own graph).

    Raises:
        InputError: the file is missing, unreadable, or has a syntax error (with its line and column).
    """
    fmt = rdf_format(path)
    target = ox.NamedNode(graph or graph_name(path))
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=Path(path).resolve().as_uri()))
    except SyntaxError as error:
        raise from_syntax_error(error, str(path)) from None
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(str(error), source=str(path)) from None
    return [_into_graph(q, target) for q in quads]


def _into_graph(quad: ox.Quad, target: ox.NamedNode) -> ox.Quad:
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return ox.Quad(quad.subject, quad.predicate, quad.object, target)
    return quad


class Store:
    """An embedded Oxigraph store: the graph kg asks.

    Args:
        inner: the pyoxigraph store to wrap; a new one in memory when None.
    """

    def __init__(self, inner: ox.Store | None = None) -> None:
        self.inner = inner if inner is not None else ox.Store()

    def load(self, path: str | Path, *, graph: str | None = None) -> int:
        """Add the statements of ``path`` into ``graph`` (by default, one named after the file); return how many.

        All or nothing: a file with an error anywhere adds nothing.

        Raises:
            InputError: the file cannot be read or parsed.
        """
        quads = parse_file(path, graph=graph)
        self.inner.extend(quads)
        return len(quads)

    def load_all(self, paths: Iterable[str | Path]) -> None:
        """Load each of ``paths``, each into its own graph; every file is parsed before any is added."""
        parsed = [parse_file(p) for p in paths]
        for quads in parsed:
            self.inner.extend(quads)

    def query(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, source: str = "query") -> Any:
        """Run ``sparql`` over the union of all graphs and return pyoxigraph's own result.

        Args:
            sparql: the query; the known prefixes (``sce:``, ``id:``, ``rdfs:`` …) need no declaration.
            substitutions: variable name → pyoxigraph term, bound before the query runs (never spliced into text).
            source: what to call the query in an error message.

        Raises:
            InputError: a syntax error, with line and column.
        """
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            return self.inner.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs or None
            )
        except SyntaxError as error:
            raise from_syntax_error(error, source) from None
        except OSError as error:
            raise KGError(f"the store could not answer: {error}") from None

    def select(self, sparql: str, **substitutions: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of variable name → pyoxigraph term (unbound variables left out)."""
        solutions = self.query(sparql, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]

    def ask(self, sparql: str, **substitutions: Any) -> bool:
        """The answer of an ASK query."""
        return bool(self.query(sparql, substitutions=substitutions))

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement, with its graph."""
        return iter(self.inner)

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct statement of the union of all graphs."""
        for row in self.inner.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True):
            yield ox.Triple(row[0], row[1], row[2])

    def triple_count(self) -> int:
        """How many distinct statements the union of all graphs holds."""
        rows = self.inner.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(rows))[0].value)

    def graphs(self) -> list[tuple[str, int]]:
        """Each named graph and how many statements it holds, by name ("" is the default graph, when not empty)."""
        rows = self.inner.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = [(row[0].value, int(row[1].value)) for row in rows]
        default = int(next(iter(self.inner.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)
        return sorted(counts + ([("", default)] if default else []))

    def __len__(self) -> int:
        return len(self.inner)


def load_builtin(store: Store) -> None:
    """Load the built-in graph (ontology, seed knowledge, curation) into its named graphs."""
    folder = ontology_dir()
    for name, graph in BUILTIN_FILES.items():
        store.load(folder / name, graph=graph)


def open_store(spec: str | None = None, *, data: Sequence[str | Path] = ()) -> Store:
    """Open the store ``spec`` names, with the built-in graph and the ``data`` files in it.

    Args:
        spec: None for a new store in memory.
        data: the user's own RDF files, each loaded into a graph named after it.

    Raises:
        InputError: a data file cannot be read.
    """
    if spec is not None:
        raise KGError(f"unknown store {spec!r}: only the built-in store in memory is available")
    store = Store()
    load_builtin(store)
    store.load_all(data)
    return store
