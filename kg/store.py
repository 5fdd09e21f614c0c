"""Where the graph lives: an embedded Oxigraph store, in memory or on disk, holding the built-in graph and user files.

A store spec names the store: None for a new store in memory, a directory for an embedded store on disk (created when
missing), and later an ``http(s)://`` URL for a remote SPARQL endpoint. Every file is loaded into a named graph of its
own (the built-in files into ``https://w3id.org/sce/graph/…``), and queries see the union of all graphs.

Loading is all or nothing per file. Small files and files added to a graph that already holds statements go through
one Oxigraph transaction. A large file loaded into a new graph of a store on disk goes through Oxigraph's bulk loader,
guarded by a journal entry committed first: a syntax error drops the half-written graph before the error is reported,
and a process killed half-way leaves the entry behind, so that the next process to open the store drops the graph
before anything else happens. Either way the store holds all of the file or none of it.

>>> store = open_store()
>>> sorted(iri.rsplit("/", 1)[1] for iri, _ in store.graphs())
['curation', 'ontology', 'seed']
>>> bool(store.ask("ASK { id:kuaishou a sce:Enterprise }"))
True
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, KGError, from_syntax_error
from .sparqltext import bind_values
from .vocab import BUILTIN_FILES, GRAPH, PREFIXES, ontology_dir

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

#: Formats that hold triples only, so that everything a file says lands in the one graph it is loaded into.
TRIPLE_FORMATS = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.N3})

#: SPARQL prefix declarations prepended to every query, so that queries may use the known prefixes undeclared.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: kg's own bookkeeping graph on disk: one entry per graph a bulk load is writing. Hidden from ``graphs()``.
JOURNAL = GRAPH.term("kg-journal")
LOADING = GRAPH.term("kg-journal#loading")

#: The size of each named graph (or of one, with ?g bound).
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
DEFAULT_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

#: A callback told how many more bytes of a file have been read.
Progress = Callable[[int], None]


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF format of ``path``, from its name's ending.

    Raises:
        InputError: when the ending names no RDF format kg reads.

    >>> rdf_format("products.nt") == ox.RdfFormat.N_TRIPLES
    True
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"cannot tell the RDF format from the ending {suffix!r}; use one of {known}", source=str(path))
    return FORMATS[suffix]


def graph_name(path: str | Path) -> str:
    """The named graph a user's file goes into by default: the file's own ``file:`` IRI.

    >>> graph_name("/data/shops.ttl")
    'file:///data/shops.ttl'
    """
    return Path(path).resolve().as_uri()


def parse_file(path: str | Path, *, graph: str | None = None) -> list[ox.Quad]:
    """Read every statement of ``path`` into a list; triples go into ``graph`` (by default the file's own graph).

    Meant for small files: loading into a store never builds this list (see ``Store.load``).

    Raises:
        InputError: the file is missing, unreadable, or has a syntax error (with its line and column).
    """
    fmt = rdf_format(path)
    target = ox.NamedNode(graph or graph_name(path))
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(path)
    with reading_errors(path):
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=Path(path).resolve().as_uri()))
    return [_into_graph(q, target) for q in quads]


def _into_graph(quad: ox.Quad, target: ox.NamedNode) -> ox.Quad:
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return ox.Quad(quad.subject, quad.predicate, quad.object, target)
    return quad


def check_xml(path: str | Path) -> None:
    """Check that an RDF/XML file is well-formed XML (pyoxigraph accepts a document cut short).

    Raises:
        InputError: it is not, with line and column.
    """
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    with reading_errors(path), open(path, "rb") as handle:
        try:
            parser.ParseFile(handle)
        except xml.parsers.expat.ExpatError as error:
            message = xml.parsers.expat.errors.messages[error.code] if error.code else str(error)
            raise InputError(
                f"not well-formed XML: {message}", source=str(path), line=error.lineno, column=error.offset + 1
            ) from None


@contextlib.contextmanager
def reading_errors(path: str | Path) -> Iterator[None]:
    """Turn what goes wrong while reading ``path`` into an InputError naming the file (and line and column).

    >>> with reading_errors("shops.ttl"):
    ...     _ = list(ox.parse(b"<a> <b> .", format=ox.RdfFormat.TURTLE, base_iri="http://x/"))
    Traceback (most recent call last):
    kg.errors.InputError: shops.ttl:1:9: . is not a valid RDF object
    """
    try:
        yield
    except SyntaxError as error:
        raise from_syntax_error(error, str(path)) from None
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("a directory, not a file", source=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(str(error), source=str(path)) from None


class _CountingReader(io.RawIOBase):
    """A binary file that tells ``progress`` how many bytes each read took."""

    def __init__(self, raw: io.BufferedReader, progress: Progress) -> None:
        super().__init__()
        self.raw = raw
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.progress(n)
        return n


@contextlib.contextmanager
def _source(path: str | Path, fmt: ox.RdfFormat, progress: Progress | None) -> Iterator[dict[str, Any]]:
    """The keyword arguments that make pyoxigraph read ``path``: by path, or through a counting reader."""
    common = {"format": fmt, "base_iri": Path(path).resolve().as_uri()}
    if progress is None:
        yield {"path": str(path), **common}
        return
    with open(path, "rb") as raw:
        yield {"input": _CountingReader(raw, progress), **common}


class GraphStore:
    """What every kind of store answers: SPARQL over the union of its graphs. Subclasses supply ``query``."""

    def query(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, source: str = "query") -> Any:
        """Run ``sparql`` and return pyoxigraph's own kind of result (solutions, boolean or triples)."""
        raise NotImplementedError

    def select(self, sparql: str, **substitutions: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of variable name → pyoxigraph term (unbound variables left out)."""
        solutions = self.query(sparql, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]

    def ask(self, sparql: str, **substitutions: Any) -> bool:
        """The answer of an ASK query."""
        return bool(self.query(sparql, substitutions=substitutions))

    def has_node(self, node: ox.NamedNode) -> bool:
        """Whether ``node`` is the subject or object of any statement."""
        return self.ask("ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }", node=node)

    @property
    def inner(self) -> Any:
        """The engine underneath: something with pyoxigraph's ``quads_for_pattern``."""
        raise NotImplementedError

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement, with its graph."""
        raise NotImplementedError

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct statement of the union of all graphs."""
        raise NotImplementedError

    def triple_count(self) -> int:
        """How many distinct statements the union of all graphs holds."""
        raise NotImplementedError

    def graphs(self) -> list[tuple[str, int]]:
        """Each named graph and how many statements it holds."""
        raise NotImplementedError

    def load(self, path: str | Path, *, graph: str | None = None, progress: Progress | None = None) -> int:
        """Add the statements of ``path`` into ``graph``; return how many."""
        raise NotImplementedError

    def load_all(self, paths: Iterable[str | Path], *, graph: str | None = None) -> None:
        """Load each of ``paths``, each file all or nothing."""
        raise NotImplementedError

    def drop(self, graph: str) -> int:
        """Remove the named ``graph``; return how many statements it held."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the store (its lock, its connections)."""

    def __len__(self) -> int:
        raise NotImplementedError


class Store(GraphStore):
    """An embedded Oxigraph store: the graph kg asks.

    Args:
        inner: the pyoxigraph store to wrap; a new one in memory when None.
        path: the directory of a store on disk, or None for a store in memory.

    A store on disk holds a lock on its directory until it is closed (or garbage-collected).
    """

    #: Files at least this big, loaded into a new graph of a store on disk, go through the bulk loader.
    bulk_threshold = 1 << 20

    def __init__(self, inner: ox.Store | None = None, *, path: Path | None = None) -> None:
        self._inner: ox.Store | None = inner if inner is not None else ox.Store()
        self.path = path

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store itself.

        Raises:
            KGError: the store has been closed.
        """
        if self._inner is None:
            raise KGError("the store has been closed")
        return self._inner

    def close(self) -> None:
        """Let go of the store (and of the lock on its directory, for a store on disk)."""
        if self._inner is not None and self.path is not None:
            self._inner.flush()
        self._inner = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, path: str | Path, *, graph: str | None = None, progress: Progress | None = None) -> int:
        """Add the statements of ``path`` into ``graph`` (by default, one named after the file); return how many.

        All or nothing: a file with an error anywhere adds nothing. Triples already in the graph are not added twice.

        Args:
            path: an RDF file; its format comes from its name's ending (see FORMATS).
            graph: the IRI of the named graph that the file's triples go into.
            progress: told the number of bytes read, as the file is read.

        Raises:
            InputError: the file cannot be read or parsed (with file, line and column), or ``graph`` is no IRI.
        """
        fmt = rdf_format(path)
        target = _graph_node(graph or graph_name(path))
        if fmt not in TRIPLE_FORMATS:
            before = len(self.inner)
            self._load(path, graph=graph, progress=progress)
            return len(self.inner) - before
        before = self._size(target)
        self._load(path, graph=graph, progress=progress)
        return self._size(target) - before

    def _size(self, graph: ox.NamedNode) -> int:
        """How many statements the named ``graph`` holds (0 without a walk when it is empty)."""
        if not self.holds(graph):
            return 0
        rows: Any = self.inner.query(GRAPH_SIZES, substitutions={ox.Variable("g"): graph})
        return int(next(iter(rows))[1].value)

    def load_all(self, paths: Iterable[str | Path], *, graph: str | None = None) -> None:
        """Load each of ``paths`` into ``graph``, or each into its own graph; each file is all or nothing.

        Every file's format and existence is checked before any is loaded.
        """
        paths = list(paths)
        for path in paths:
            rdf_format(path)
            if not Path(path).is_file():
                raise InputError("no such file", source=str(path))
        for path in paths:
            self._load(path, graph=graph, progress=None)

    def _load(self, path: str | Path, *, graph: str | None, progress: Progress | None) -> None:
        fmt = rdf_format(path)
        target = _graph_node(graph or graph_name(path))
        if fmt == ox.RdfFormat.RDF_XML:
            check_xml(path)
        if fmt not in TRIPLE_FORMATS:
            self._load_quads(path, target, keep_graphs=graph is None)
            return
        if self._bulk_worthy(path, fmt, target):
            self._bulk_load(path, fmt, target, progress)
            return
        with reading_errors(path), _source(path, fmt, progress) as source:
            self.inner.load(**source, to_graph=target)

    def _load_quads(self, path: str | Path, target: ox.NamedNode, *, keep_graphs: bool) -> None:
        """Load a file that may name graphs (TriG, N-Quads, JSON-LD) in one transaction.

        Its default graph goes into ``target``; its named graphs stay as they are, unless ``keep_graphs`` is False,
        when everything goes into ``target``. A file may not write into kg's own graphs (the built-in graph, the
        journal), so that what the seed says stays what the seed says.

        Raises:
            InputError: the file cannot be parsed, or it names one of kg's own graphs.
        """
        quads = parse_file(path, graph=target.value)
        if not keep_graphs:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        for quad in quads:
            name = quad.graph_name
            if isinstance(name, ox.NamedNode) and name.value.startswith(str(GRAPH)) and name != target:
                raise InputError(
                    f"writes into kg's own graph <{name.value}>; load it into a graph of yours", source=str(path)
                )
        self.inner.extend(quads)

    def _bulk_worthy(self, path: str | Path, fmt: ox.RdfFormat, target: ox.NamedNode) -> bool:
        """Whether the bulk loader may load ``path``: a big file of triples into an empty graph of a store on disk."""
        if self.path is None or fmt not in TRIPLE_FORMATS or self.holds(target):
            return False
        with reading_errors(path):
            return Path(path).stat().st_size >= self.bulk_threshold

    def _bulk_load(self, path: str | Path, fmt: ox.RdfFormat, target: ox.NamedNode, progress: Progress | None) -> None:
        """Bulk-load ``path`` into the empty graph ``target``, journalled so that a failure or a crash drops it."""
        entry = ox.Quad(target, ox.NamedNode(LOADING), ox.Literal(str(path)), ox.NamedNode(JOURNAL))
        self.inner.add(entry)
        try:
            with reading_errors(path), _source(path, fmt, progress) as source:
                self.inner.bulk_load(**source, to_graph=target)
        except BaseException:
            self._roll_back(entry)
            raise
        self.inner.remove(entry)

    def _roll_back(self, entry: ox.Quad) -> None:
        """Drop the graph a bulk load was writing when it failed, then its journal entry."""
        graph = entry.subject
        assert isinstance(graph, ox.NamedNode)
        if self.inner.contains_named_graph(graph):
            self.inner.remove_graph(graph)
        self.inner.remove(entry)

    def recover(self) -> list[str]:
        """Drop every graph that a bulk load killed half-way was writing; return their names."""
        entries = list(self.inner.quads_for_pattern(None, None, None, ox.NamedNode(JOURNAL)))
        for entry in entries:
            self._roll_back(entry)
        return [str(e.subject.value) for e in entries if isinstance(e.subject, ox.NamedNode)]

    def has_node(self, node: ox.NamedNode) -> bool:
        """Whether ``node`` is the subject or object of any statement (two index look-ups, no query)."""
        for pattern in ((node, None, None, None), (None, None, node, None)):
            if next(iter(self.inner.quads_for_pattern(*pattern)), None) is not None:
                return True
        return False

    def holds(self, graph: ox.NamedNode) -> bool:
        """Whether the named ``graph`` holds at least one statement."""
        return next(iter(self.inner.quads_for_pattern(None, None, None, graph)), None) is not None

    def drop(self, graph: str) -> int:
        """Remove the named ``graph``; return how many statements it held.

        Raises:
            KGError: no graph of that name is in the store.
        """
        node = _graph_node(graph)
        if graph == JOURNAL or not self.inner.contains_named_graph(node):
            raise KGError(f"no graph named <{graph}> in the store; `kg graphs` lists them")
        size = sum(1 for _ in self.inner.quads_for_pattern(None, None, None, node))
        self.inner.remove_graph(node)
        return size

    def query(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, source: str = "query") -> Any:
        """Run ``sparql`` over the union of all graphs and return pyoxigraph's own result.

        Args:
            sparql: the query; the known prefixes (``sce:``, ``id:``, ``rdfs:`` …) need no declaration.
            substitutions: variable name → pyoxigraph term, bound before the query runs (no user text reaches the
                query: the terms are bound as substitutions and in a VALUES block written from the checked terms).
            source: what to call the query in an error message.

        Raises:
            InputError: a syntax error, with line and column.
        """
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        # The terms are bound twice over: as pyoxigraph substitutions, and in a VALUES block at the start of the WHERE
        # group written from the same checked terms. Oxigraph pushes substitutions into subqueries but not into property
        # paths, and a VALUES block the other way round; with both, every named query runs at its best (at 100k
        # triples model-channels takes 0.2 ms instead of 110 ms, connection 60 ms instead of 22 s).
        text = bind_values(sparql, substitutions) if substitutions else sparql
        try:
            return self.inner.query(
                text, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs or None
            )
        except SyntaxError as error:
            if text is not sparql:
                self._raise_syntax_error(sparql, source)
            raise from_syntax_error(error, source) from None
        except (OSError, RuntimeError) as error:
            raise KGError(f"{source}: the store could not answer: {' '.join(str(error).split())}") from None

    @staticmethod
    def _raise_syntax_error(sparql: str, source: str) -> None:
        """Report a syntax error where the user's own text has it (not where the VALUES block moved it)."""
        try:
            ox.Store().query(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise from_syntax_error(error, source) from None
        except Exception:  # it parses on its own: the error is the binding's, reported below
            return

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement, with its graph."""
        return iter(self.inner)

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct statement of the union of all graphs, streamed (no set of all triples is built).

        The biggest graph's statements come first; a statement of a later graph only when no earlier graph has it.
        """
        order = self._graphs_by_size()
        for i, graph in enumerate(order):
            for quad in self._unseen(graph, order[:i]):
                yield quad.triple

    def triple_count(self) -> int:
        """How many distinct statements the union of all graphs holds.

        Only the graphs other than the biggest are walked, to find statements that an earlier graph also has.
        """
        sizes = dict(self._sizes())
        order = sorted(sizes, key=lambda g: -sizes[g])
        if not order:
            return 0
        return sizes[order[0]] + sum(sum(1 for _ in self._unseen(g, order[:i])) for i, g in enumerate(order) if i)

    def _unseen(self, graph: ox.NamedNode | ox.DefaultGraph, earlier: Sequence[Any]) -> Iterator[ox.Quad]:
        """The statements of ``graph`` that none of the ``earlier`` graphs holds."""
        seen = set(earlier)
        for quad in self.inner.quads_for_pattern(None, None, None, graph):
            if not seen or not any(
                q.graph_name in seen for q in self.inner.quads_for_pattern(quad.subject, quad.predicate, quad.object)
            ):
                yield quad

    def _sizes(self) -> list[tuple[ox.NamedNode | ox.DefaultGraph, int]]:
        """Each graph holding statements (the default graph too) with its size; kg's journal left out."""
        rows: Any = self.inner.query(GRAPH_SIZES)
        sizes: list[tuple[ox.NamedNode | ox.DefaultGraph, int]] = [
            (row[0], int(row[1].value)) for row in rows if row[0].value != JOURNAL
        ]
        default_rows: Any = self.inner.query(DEFAULT_GRAPH_SIZE)
        default = int(next(iter(default_rows))[0].value)
        return sizes + ([(ox.DefaultGraph(), default)] if default else [])

    def _graphs_by_size(self) -> list[ox.NamedNode | ox.DefaultGraph]:
        return [g for g, _ in sorted(self._sizes(), key=lambda item: -item[1])]

    def graphs(self) -> list[tuple[str, int]]:
        """Each named graph and how many statements it holds, by name ("" is the default graph, when not empty)."""
        return sorted((g.value if isinstance(g, ox.NamedNode) else "", n) for g, n in self._sizes())

    def __len__(self) -> int:
        return len(self.inner)


def _graph_node(iri: str) -> ox.NamedNode:
    """The named graph ``iri``.

    Raises:
        KGError: ``iri`` is not an absolute IRI.
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        node = None
    if node is None or ":" not in iri:
        raise KGError(f"a graph is named by an absolute IRI, not {iri!r}")
    return node


def load_builtin(store: Store, *, only_missing: bool = False) -> None:
    """Load the built-in graph (ontology, seed knowledge, curation) into its named graphs.

    Args:
        only_missing: load only the graphs the store does not hold yet (so reopening a store adds nothing).
    """
    folder = ontology_dir()
    for name, graph in BUILTIN_FILES.items():
        if not (only_missing and store.holds(ox.NamedNode(graph))):
            store.load(folder / name, graph=graph)


def open_store(spec: str | None = None, *, data: Sequence[str | Path] = (), **options: Any) -> GraphStore:
    """Open the store ``spec`` names, with the built-in graph and the ``data`` files in it.

    Args:
        spec: None for a new store in memory; a directory for a store on disk (created when missing); an
            ``http(s)://`` URL for a remote SPARQL endpoint.
        data: the user's own RDF files, each loaded into a graph named after it (into the store itself, for a
            store on disk).
        options: passed on to the kind of store ``spec`` names (``wait``: seconds to wait for a store on disk
            that another process holds); options meant for other kinds are ignored.

    Raises:
        InputError: a data file cannot be read.
        KGError: the store cannot be opened (in use by another process, not a store, no remote support).
    """
    if spec is not None and spec.startswith(("http://", "https://")):
        return _open_remote(spec, data=data, **options)
    if spec is None:
        store = Store()
        load_builtin(store)
    else:
        store = open_disk(spec, wait=float(options.get("wait", 0.0)))
    store.load_all(data)
    return store


def _open_remote(spec: str, **options: Any) -> GraphStore:
    """Open the remote SPARQL endpoint at ``spec`` through ``kg.remote``, once that module exists."""
    try:
        remote = importlib.import_module(f"{__package__}.remote")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.remote":
            raise
        raise KGError("remote stores are not available yet") from None
    store: GraphStore = remote.open_remote(spec, **options)
    return store


def open_disk(directory: str | Path, *, wait: float = 0.0) -> Store:
    """Open (or create) the embedded store on disk in ``directory``, after recovering from any killed load.

    The built-in graph goes into its named graphs the first time; a built-in graph that was dropped comes back fresh.

    Args:
        directory: the store's own directory; created when missing.
        wait: how many seconds to wait while another process holds the store.

    Raises:
        KGError: ``directory`` is a file or a folder of other files, or another process holds the store.
    """
    path = Path(directory).expanduser()
    _check_store_dir(path)
    store = Store(_open_locked(path, wait), path=path)
    store.recover()
    load_builtin(store, only_missing=True)
    return store


def _check_store_dir(path: Path) -> None:
    """Refuse a path that is a file, or a non-empty folder that is not an Oxigraph store."""
    if path.exists() and not path.is_dir():
        raise KGError(f"the store {path} is a file; a store on disk is a directory")
    if path.is_dir() and not (path / "CURRENT").exists() and any(path.iterdir()):
        raise KGError(f"{path} holds other files and is not an Oxigraph store; name a new or empty directory")


def _open_locked(path: Path, wait: float) -> ox.Store:
    """Open the RocksDB store in ``path``, waiting up to ``wait`` seconds for another process to let go of it."""
    deadline = time.monotonic() + wait
    collected = False
    while True:
        try:
            return ox.Store(str(path))
        except OSError as error:
            if "lock" not in str(error).lower():
                raise KGError(f"cannot open the store at {path}: {error}") from None
            if not collected:  # the holder may be an unreachable Store of this very process
                collected = bool(gc.collect()) or True
                continue
            if time.monotonic() >= deadline:
                raise KGError(f"the store at {path} is in use by another process") from None
            time.sleep(0.1)
