"""What every store answers, whatever holds the graph: the one interface the rest of kg uses.

A store runs SPARQL over the union of its graphs and gives back kg's own :class:`~kg.results.Result`; ``match`` walks
statements by pattern for the few places that need quads rather than a query. The embedded store (memory, disk) and
the remote store (any SPARQL 1.1 endpoint) are the two kinds; both implement every abstract method here.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import KGError
from ..results import Result, Term
from ..vocab import RDFS

#: Something that names a statement's graph: a named graph or the default graph.
GraphName = ox.NamedNode | ox.DefaultGraph
#: Something that may stand in a statement's subject or object.
Node = ox.NamedNode | ox.BlankNode
#: A callback told how many more bytes of a file have been read.
Progress = Callable[[int], None]


class WriteFailed(KGError):
    """The store could not write what it was given, for a reason of its own (its folder read-only, its disk full), not
    of the request's; nothing was written."""


class GraphStore(abc.ABC):
    """A store of named graphs that kg asks and fills.

    Queries see the union of all graphs as their default graph, and the known prefixes (``sce:``, ``id:`` …) need no
    declaration.
    """

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        source: str = "query",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> Result:
        """Run ``sparql`` (with variables bound to checked terms) and return its Result, unread.

        Args:
            sparql: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
            substitutions: variable name → RDF term, bound before the query runs; no user text reaches the query.
            source: what to call the query in an error message.
            default_graphs: the graphs whose union is the default graph (the protocol's ``default-graph-uri``);
                by default the union of all graphs.
            named_graphs: the graphs ``GRAPH`` may see (``named-graph-uri``); by default all of them.
            base_iri: the IRI relative IRIs in the query are resolved against.

        Raises:
            InputError: a syntax error, with line and column.
            KGError: the store cannot answer.
        """

    @abc.abstractmethod
    def update(
        self,
        sparql: str,
        *,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        source: str = "update",
        base_iri: str | None = None,
    ) -> None:
        """Run the SPARQL Update ``sparql``, all of it or nothing; kg's own graphs stay as they are.

        ``CLEAR ALL`` and ``DROP ALL`` (or ``NAMED``) mean the user's graphs; an operation that names one of kg's own
        graphs, or writes ``GRAPH ?variable`` in a template, is refused before anything runs.

        Args:
            sparql: one or more update operations; the known prefixes need no declaration.
            using_graphs: the protocol's ``using-graph-uri``: the default graph of every DELETE/INSERT … WHERE.
            using_named_graphs: the protocol's ``using-named-graph-uri``.
            source: what to call the update in an error message.
            base_iri: the IRI relative IRIs in the update are resolved against.

        Raises:
            InputError: a syntax error.
            KGError: the update would write one of kg's own graphs, or the store cannot apply it.
        """

    @abc.abstractmethod
    def write_graph(self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool) -> None:
        """Put ``triples`` into ``graph`` (None: the default graph), all of them or none: in place of what the graph
        holds (``replace``, as a graph-store PUT) or beside it (as a POST). The triples go to the store as terms,
        never as SPARQL text; their blank nodes are new ones.

        Raises:
            KGError: ``graph`` is one of kg's own graphs.
            WriteFailed: the store cannot write (read-only, its disk full); the graph holds what it held.
        """

    @abc.abstractmethod
    def match(
        self,
        subject: Node | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The statements that match the pattern (None matches anything), with their graphs."""

    @abc.abstractmethod
    def quads(self) -> Iterator[ox.Quad]:
        """Every statement, with its graph."""

    @abc.abstractmethod
    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct statement of the union of all graphs."""

    @abc.abstractmethod
    def triple_count(self) -> int:
        """How many distinct statements the union of all graphs holds."""

    @abc.abstractmethod
    def graphs(self) -> list[tuple[str, int]]:
        """Each named graph and how many statements it holds, sorted by name."""

    @abc.abstractmethod
    def load(self, path: str | Path, *, graph: str | None = None, progress: Progress | None = None) -> int:
        """Add the statements of ``path`` into ``graph`` (by default one named after the file); return how many."""

    @abc.abstractmethod
    def load_all(self, paths: Iterable[str | Path], *, graph: str | None = None) -> None:
        """Load each of ``paths``, each file all or nothing."""

    @abc.abstractmethod
    def drop(self, graph: str) -> int:
        """Remove the named ``graph``; return how many statements it held."""

    @abc.abstractmethod
    def close(self) -> None:
        """Let go of the store (its lock, its connections)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return sum(n for _, n in self.graphs())

    # Built on the methods above.

    def select(self, sparql: str, **substitutions: Term) -> list[dict[str, Term]]:
        """Rows of a SELECT query as dicts of variable name → term (unbound variables left out)."""
        return self.query(sparql, substitutions=substitutions).records()

    def ask(self, sparql: str, **substitutions: Term) -> bool:
        """The answer of an ASK query."""
        return bool(self.query(sparql, substitutions=substitutions).boolean)

    def has_node(self, node: ox.NamedNode) -> bool:
        """Whether ``node`` is the subject or object of any statement."""
        return any(next(self.match(*pattern), None) is not None for pattern in ((node,), (None, None, node)))

    def labels(self, iris: Sequence[str]) -> dict[str, list[ox.Literal]]:
        """The ``rdfs:label`` literals of each of ``iris`` (IRIs without one left out)."""
        found: dict[str, list[ox.Literal]] = {}
        label = ox.NamedNode(RDFS.label)
        for iri in iris:
            values = [q.object for q in self.match(ox.NamedNode(iri), label) if isinstance(q.object, ox.Literal)]
            if values:
                found[iri] = values
        return found
