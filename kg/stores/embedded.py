"""The embedded store: Oxigraph in memory, or on disk in a directory of the user's, holding the built-in graph and
user files.

Every file is loaded into a named graph of its own (the built-in files into ``https://w3id.org/sce/graph/…``), and
queries see the union of all graphs.

Loading is all or nothing per file. Small files and files added to a graph that already holds statements go through
one Oxigraph transaction. A large file loaded into a new graph of a store on disk goes through Oxigraph's bulk loader,
guarded by a journal entry committed first: a syntax error drops the half-written graph before the error is reported,
and a process killed half-way leaves the entry behind, so that the next process to open the store for writing drops
the graph before anything else happens. Either way the store holds all of the file or none of it.

A store on disk is opened read-only by commands that only read, and many of them run side by side; a writer is
alone (see :mod:`kg.stores.locks`). A reader that finds a killed load's journal entry has it recovered first.

>>> store = memory_store()
>>> sorted(iri.rsplit("/", 1)[1] for iri, _ in store.graphs() if "/graph/source/" not in iri)
['curation', 'ontology', 'seed', 'sources']
>>> sum("/graph/source/" in iri for iri, _ in store.graphs())  # one graph per public source
96
>>> store.ask("ASK { id:kuaishou a sce:Enterprise }")
True
"""

from __future__ import annotations

import contextlib
import errno
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import EngineError, InputError, KGError, from_syntax_error
from ..results import Result, Term
from ..sparqltext import bind_values, check_base, check_depth, names_dataset, network_reach
from ..updates import plan_update
from ..vocab import BUILTIN_FILES, GRAPH, PREFIXES, is_own_graph, ontology_dir
from .base import GraphName, GraphStore, Node, Progress, WriteFailed
from .locks import StoreLock
from .rdffiles import (
    TRIPLE_FORMATS,
    builtin_graphs,
    builtin_quads,
    check_xml,
    graph_name,
    graph_node,
    parse_file,
    rdf_format,
    reading_errors,
    source_arguments,
)

#: kg's own bookkeeping graph on disk: one entry per graph a bulk load is writing. Hidden from ``graphs()``.
JOURNAL = GRAPH.term("kg-journal")
LOADING = GRAPH.term("kg-journal#loading")

#: The size of each named graph (or of one, with ?g bound).
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
DEFAULT_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Store(GraphStore):
    """An embedded Oxigraph store: the graph kg asks.

    Args:
        inner: the pyoxigraph store to wrap; a new one in memory when None.
        path: the directory of a store on disk, or None for a store in memory.
        lock: kg's lock on that directory, let go of when the store is closed.
        writable: False for a store on disk opened read-only.
    """

    #: Files at least this big, loaded into a new graph of a store on disk, go through the bulk loader.
    bulk_threshold = 1 << 20

    def __init__(
        self,
        inner: ox.Store | None = None,
        *,
        path: Path | None = None,
        lock: StoreLock | None = None,
        writable: bool = True,
    ) -> None:
        self._inner: ox.Store | None = inner if inner is not None else ox.Store()
        self.path = path
        self.lock = lock
        self.writable = writable

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"<Store {where}{'' if self.writable else ' read-only'}>"

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself.

        Raises:
            KGError: the store has been closed.
        """
        if self._inner is None:
            raise KGError("the store has been closed")
        return self._inner

    def close(self) -> None:
        """Let go of the store (and of the lock on its directory, for a store on disk), even when what it holds in
        memory cannot be written out.

        Raises:
            WriteFailed: a store open for writing could not be flushed (its disk full); what was committed stays in
                its write-ahead log.
        """
        engine, self._inner = self._inner, None
        try:
            if engine is not None and self.path is not None and self.writable:
                with self._write_errors():
                    engine.flush()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def __enter__(self) -> Store:
        return self

    def _writing(self) -> ox.Store:
        if not self.writable:
            raise KGError(f"the store at {self.path} is open for reading only")
        return self.engine

    # --- Loading --------------------------------------------------------------------------------------------------

    def load(self, path: str | Path, *, graph: str | None = None, progress: Progress | None = None) -> int:
        """Add the statements of ``path`` into ``graph`` (by default, one named after the file); return how many.

        All or nothing: a file with an error anywhere adds nothing. Triples already in the graph are not added twice.

        Args:
            path: an RDF file; its format comes from its name's ending (see FORMATS).
            graph: the IRI of the named graph that the file's triples go into.
            progress: told the number of bytes read, as the file is read.

        Raises:
            InputError: the file cannot be read or parsed (with file, line and column), or ``graph`` is no IRI.
            KGError: ``graph`` is one of kg's own graphs.
        """
        fmt = rdf_format(path)
        target = graph_node(graph or graph_name(path))
        engine = self._writing()
        if fmt not in TRIPLE_FORMATS:
            before = len(engine)
            self._load(path, graph=graph, progress=progress)
            return len(engine) - before
        before = self._size(target)
        self._load(path, graph=graph, progress=progress)
        return self._size(target) - before

    def _size(self, graph: ox.NamedNode) -> int:
        """How many statements the named ``graph`` holds (0 without a walk when it is empty)."""
        if not self.holds(graph):
            return 0
        rows: Any = self.engine.query(GRAPH_SIZES, substitutions={ox.Variable("g"): graph})
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

    def _load(self, path: str | Path, *, graph: str | None, progress: Progress | None, own: bool = False) -> None:
        fmt = rdf_format(path)
        target = graph_node(graph or graph_name(path))
        if is_own_graph(target.value) and not own:
            raise KGError(f"{path}: <{target.value}> is one of kg's own graphs; load your data into a graph of yours")
        if fmt == ox.RdfFormat.RDF_XML:
            check_xml(path)
        if fmt not in TRIPLE_FORMATS:
            self._load_quads(path, target, keep_graphs=graph is None, own=own)
            return
        if self._bulk_worthy(path, fmt, target):
            self._bulk_load(path, fmt, target, progress)
            return
        with reading_errors(path), source_arguments(path, fmt, progress) as source:
            self._writing().load(**source, to_graph=target)

    def _load_quads(self, path: str | Path, target: ox.NamedNode, *, keep_graphs: bool, own: bool) -> None:
        """Load a file that may name graphs (TriG, N-Quads, JSON-LD) in one transaction.

        Its default graph goes into ``target``; its named graphs stay as they are, unless ``keep_graphs`` is False,
        when everything goes into ``target``. A user's file may not write into kg's own graphs (the built-in graph,
        the journal), so that what the seed says stays what the seed says.

        Raises:
            InputError: the file cannot be parsed, or it names one of kg's own graphs.
        """
        quads = parse_file(path, graph=target.value)
        if not keep_graphs:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        for quad in quads:
            name = quad.graph_name
            if isinstance(name, ox.NamedNode) and is_own_graph(name.value) and not (own and name.value != JOURNAL):
                raise InputError(
                    f"writes into kg's own graph <{name.value}>; load it into a graph of yours", source=str(path)
                )
        self._writing().extend(quads)

    def _bulk_worthy(self, path: str | Path, fmt: ox.RdfFormat, target: ox.NamedNode) -> bool:
        """Whether the bulk loader may load ``path``: a big file of triples into an empty graph of a store on disk."""
        if self.path is None or fmt not in TRIPLE_FORMATS or self.holds(target):
            return False
        with reading_errors(path):
            return Path(path).stat().st_size >= self.bulk_threshold

    def _bulk_load(self, path: str | Path, fmt: ox.RdfFormat, target: ox.NamedNode, progress: Progress | None) -> None:
        """Bulk-load ``path`` into the empty graph ``target``, journalled so that a failure or a crash drops it."""
        entry = ox.Quad(target, ox.NamedNode(LOADING), ox.Literal(str(path)), ox.NamedNode(JOURNAL))
        engine = self._writing()
        engine.add(entry)
        try:
            with reading_errors(path), source_arguments(path, fmt, progress) as source:
                engine.bulk_load(**source, to_graph=target)
        except BaseException:
            self._roll_back(entry)
            raise
        engine.remove(entry)

    def _roll_back(self, entry: ox.Quad) -> None:
        """Drop the graph a bulk load was writing when it failed, then its journal entry."""
        graph = entry.subject
        assert isinstance(graph, ox.NamedNode)
        engine = self._writing()
        if engine.contains_named_graph(graph):
            engine.remove_graph(graph)
        engine.remove(entry)

    def write_graph(self, graph: str | None, triples: Iterable[ox.Triple], *, replace: bool) -> None:
        """Put ``triples`` into ``graph`` (None: the default graph) in place of what it holds, or beside it; all of
        them or none.

        Added triples go in one transaction. A graph that holds statements is replaced through a staging graph: the
        triples go there in one transaction, beside a journal entry, and one update moves the staging graph into
        place and removes the entry. A process killed in between leaves the entry, and the next writer drops the
        staging graph (see :meth:`recover`): the graph holds what it held, or all of ``triples``.

        Raises:
            KGError: ``graph`` is one of kg's own graphs.
            WriteFailed: the store cannot write (read-only, its disk full).

        >>> store = Store()
        >>> a = ox.NamedNode("http://example.org/a")
        >>> store.write_graph("http://example.org/g", [ox.Triple(a, a, a)], replace=False)
        >>> store.write_graph("http://example.org/g", [ox.Triple(a, a, ox.Literal("快手"))], replace=True)
        >>> [str(q.object) for q in store.match(graph=ox.NamedNode("http://example.org/g"))]
        ['"快手"']
        """
        target: GraphName = graph_node(graph) if graph else ox.DefaultGraph()
        if graph and is_own_graph(graph):
            raise KGError(f"<{graph}> is one of kg's own graphs; write into a graph of yours")
        engine = self._writing()
        with self._write_errors():
            if not replace or not self._holds_any(target):
                engine.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
                return
            staging = ox.NamedNode(GRAPH.term(f"kg-staging/{uuid.uuid4()}"))
            entry = ox.Quad(staging, ox.NamedNode(LOADING), ox.Literal("a graph replaced"), ox.NamedNode(JOURNAL))
            engine.extend([entry, *(ox.Quad(t.subject, t.predicate, t.object, staging) for t in triples)])
            place = f"GRAPH {target}" if isinstance(target, ox.NamedNode) else "DEFAULT"
            try:
                done = f"DELETE DATA {{ GRAPH {entry.graph_name} {{ {entry.triple} }} }}"
                engine.update(f"MOVE SILENT GRAPH {staging} TO {place} ; {done}")
            except BaseException:
                with contextlib.suppress(OSError, RuntimeError):
                    self._roll_back(entry)
                raise

    def _holds_any(self, graph: GraphName) -> bool:
        return next(iter(self.engine.quads_for_pattern(None, None, None, graph)), None) is not None

    @contextlib.contextmanager
    def _write_errors(self) -> Iterator[None]:
        """Turn the engine's failure to write into one line saying why (its disk full, its folder read-only)."""
        try:
            yield
        except (OSError, RuntimeError) as error:
            raise WriteFailed(write_failure(self.path, error)) from None

    def journal(self) -> list[ox.Quad]:
        """The journal entries of bulk loads under way (or killed half-way)."""
        return list(self.engine.quads_for_pattern(None, None, None, ox.NamedNode(JOURNAL)))

    def recover(self) -> list[str]:
        """Drop every graph that a bulk load killed half-way was writing; return their names."""
        entries = self.journal()
        for entry in entries:
            self._roll_back(entry)
        return [str(e.subject.value) for e in entries if isinstance(e.subject, ox.NamedNode)]

    def holds(self, graph: ox.NamedNode) -> bool:
        """Whether the named ``graph`` holds at least one statement."""
        return next(iter(self.engine.quads_for_pattern(None, None, None, graph)), None) is not None

    def drop(self, graph: str) -> int:
        """Remove the named ``graph``; return how many statements it held.

        Raises:
            KGError: no graph of that name is in the store.
        """
        node = graph_node(graph)
        engine = self._writing()
        if graph == JOURNAL or not engine.contains_named_graph(node):
            raise KGError(f"no graph named <{graph}> in the store; `kg graphs` lists them")
        size = sum(1 for _ in engine.quads_for_pattern(None, None, None, node))
        engine.remove_graph(node)
        return size

    # --- Reading --------------------------------------------------------------------------------------------------

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
        """Run ``sparql`` over the union of all graphs, or over the graphs named: by the protocol (``default_graphs``,
        ``named_graphs``), else by the query's own ``FROM`` and ``FROM NAMED``. The Result streams from the engine.

        Args:
            sparql: the query; the known prefixes (``sce:``, ``id:``, ``rdfs:`` …) need no declaration.
            substitutions: variable name → pyoxigraph term, bound before the query runs (no user text reaches the
                query: the terms are bound as substitutions and in a VALUES block written from the checked terms).
            source: what to call the query in an error message.
            default_graphs: the graphs whose union is the default graph, instead of all of them.
            named_graphs: the graphs ``GRAPH`` sees, instead of all of them.
            base_iri: the IRI relative IRIs in the query are resolved against.

        Raises:
            InputError: a syntax error, with line and column.
        """
        check_depth(sparql, source=source)
        check_base(base_iri, source="base IRI")
        dataset: dict[str, Any] = {}  # the query's own FROM and FROM NAMED
        if default_graphs is None and named_graphs is None and not names_dataset(sparql):
            dataset = {"use_default_graph_as_union": True}
        elif default_graphs is not None or named_graphs is not None:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs or ()] or ox.DefaultGraph(),
                "named_graphs": [ox.NamedNode(g) for g in named_graphs] if named_graphs is not None else None,
            }
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        # The terms are bound twice over: as pyoxigraph substitutions, and in a VALUES block at the start of the WHERE
        # group written from the same checked terms. Oxigraph pushes substitutions into subqueries but not into property
        # paths, and a VALUES block the other way round; with both, every named query runs at its best (at 100k
        # triples model-channels takes 0.2 ms instead of 110 ms, connection 60 ms instead of 22 s).
        text = bind_values(sparql, substitutions) if substitutions else sparql
        try:
            try:
                raw = self.engine.query(
                    text, prefixes=PREFIXES, substitutions=subs or None, base_iri=base_iri, **dataset
                )
            except (OSError, RuntimeError) as error:
                if not subs or "projection" not in str(error):
                    raise
                # pyoxigraph substitutes only projected variables; the VALUES block binds the others
                raw = self.engine.query(text, prefixes=PREFIXES, base_iri=base_iri, **dataset)
        except SyntaxError as error:
            if text is not sparql:
                self._raise_syntax_error(sparql, source)
            raise from_syntax_error(error, source, sparql) from None
        except (OSError, RuntimeError) as error:
            raise EngineError(f"{source}: the store could not answer: {' '.join(str(error).split())}") from None
        return Result.from_oxigraph(raw)

    def update(
        self,
        sparql: str,
        *,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        source: str = "update",
        base_iri: str | None = None,
    ) -> None:
        """Run the SPARQL Update ``sparql`` in one transaction; kg's own graphs stay as they are.

        Raises:
            InputError: a syntax error, with line and column.
            KGError: the update would write one of kg's own graphs, or the store is read-only or cannot apply it.
        """
        check_depth(sparql, source=source)
        engine = self._writing()
        if network_reach(sparql) is None:  # Oxigraph's own parser first, for its line and column; on nothing
            try:
                ox.Store().update(sparql, prefixes=PREFIXES, base_iri=base_iri)
            except SyntaxError as error:
                raise from_syntax_error(error, source, sparql) from None
            except (OSError, RuntimeError):
                pass
        mine = [g.value for g in engine.named_graphs() if isinstance(g, ox.NamedNode) and not is_own_graph(g.value)]
        text = plan_update(
            sparql, user_graphs=mine, using=using_graphs, using_named=using_named_graphs, source=source, base=base_iri
        )
        try:
            engine.update(text, prefixes=PREFIXES, base_iri=base_iri)
        except SyntaxError as error:
            raise from_syntax_error(error, source, sparql) from None
        except OSError as error:
            said = " ".join(str(error).split())
            if network_reach(sparql) is not None and _why_not_written(error) == said[:200]:
                # not the disk nor the folder: the SERVICE or LOAD the update calls failed
                raise EngineError(f"{source}: the store could not apply it: {said[:300]}") from None
            raise WriteFailed(f"{source}: {write_failure(self.path, error)}") from None
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"{source}: the store could not apply it: {' '.join(str(error).split())[:300]}") from None

    @staticmethod
    def _raise_syntax_error(sparql: str, source: str) -> None:
        """Report a syntax error where the user's own text has it (not where the VALUES block moved it)."""
        try:
            ox.Store().query(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise from_syntax_error(error, source, sparql) from None
        except Exception:  # it parses on its own: the error is the binding's, reported below
            return

    def match(
        self,
        subject: Node | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The statements that match the pattern (None matches anything): one index look-up."""
        return iter(self.engine.quads_for_pattern(subject, predicate, object, graph))

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement, with its graph (kg's journal left out)."""
        journal = ox.NamedNode(JOURNAL)
        return (q for q in self.engine if q.graph_name != journal)

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

    def _unseen(self, graph: GraphName, earlier: Sequence[GraphName]) -> Iterator[ox.Quad]:
        """The statements of ``graph`` that none of the ``earlier`` graphs holds."""
        seen = set(earlier)
        engine = self.engine
        for quad in engine.quads_for_pattern(None, None, None, graph):
            if not seen or not any(
                q.graph_name in seen for q in engine.quads_for_pattern(quad.subject, quad.predicate, quad.object)
            ):
                yield quad

    def _sizes(self) -> list[tuple[GraphName, int]]:
        """Each graph holding statements (the default graph too) with its size; kg's journal left out."""
        rows: Any = self.engine.query(GRAPH_SIZES)
        sizes: list[tuple[GraphName, int]] = [(row[0], int(row[1].value)) for row in rows if row[0].value != JOURNAL]
        default_rows: Any = self.engine.query(DEFAULT_GRAPH_SIZE)
        default = int(next(iter(default_rows))[0].value)
        return sizes + ([(ox.DefaultGraph(), default)] if default else [])

    def _graphs_by_size(self) -> list[GraphName]:
        return [g for g, _ in sorted(self._sizes(), key=lambda item: -item[1])]

    def graphs(self) -> list[tuple[str, int]]:
        """Each named graph and how many statements it holds, by name ("" is the default graph, when not empty)."""
        return sorted((g.value if isinstance(g, ox.NamedNode) else "", n) for g, n in self._sizes())

    def __len__(self) -> int:
        return sum(n for _, n in self._sizes())


def load_builtin(store: Store, *, only_missing: bool = False) -> None:
    """Load the built-in graph (ontology, seed knowledge, curation, sourced facts) into its named graphs; the sources
    file keeps its graphs, one per public source.

    Args:
        only_missing: load only the graphs the store does not hold yet (so reopening a store adds nothing).
    """
    engine = store._writing()
    if not only_missing:  # a new store: the engine reads the files itself, the quickest way to a first answer
        folder = ontology_dir()
        for name, graph in BUILTIN_FILES.items():
            path = folder / name
            engine.load(path=str(path), format=rdf_format(path), to_graph=ox.NamedNode(graph), base_iri=path.as_uri())
        return
    quads = builtin_quads()
    named = {_graph_value(q) for q in quads}
    held = {g for g in named if g and store.holds(ox.NamedNode(g))}
    engine.extend(q for q in quads if _graph_value(q) not in held)


def write_failure(path: Path | None, error: BaseException) -> str:
    """One line saying why the store at ``path`` (None: in memory) could not be written.

    >>> write_failure(Path("/srv/kg"), OSError("IO error: No space left on device: While appending to file: x.log"))
    'the store at /srv/kg could not be written: its disk is full; nothing was written'
    """
    where = f"the store at {path}" if path is not None else "the store in memory"
    return f"{where} could not be written: {_why_not_written(error)}; nothing was written"


def _why_not_written(error: BaseException) -> str:
    """Why the engine could not write, in words: its disk full, its folder read-only, or what the engine said.

    >>> _why_not_written(OSError("IO error: While open a file for appending: /s/000065.log: Operation not permitted"))
    'its folder cannot be written (read-only)'
    """
    text = " ".join(str(error).split())
    lowered = text.lower()
    if "no space left" in lowered or getattr(error, "errno", None) == errno.ENOSPC:
        return "its disk is full"
    if any(word in lowered for word in ("read-only file system", "permission denied", "operation not permitted")):
        return "its folder cannot be written (read-only)"
    if "file too large" in lowered:
        return "a file of it would pass the size a process may write"
    return text[:200]


def _graph_value(quad: ox.Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""


def memory_store(data: Sequence[str | Path] = ()) -> Store:
    """A new store in memory holding the built-in graph and the ``data`` files.

    Raises:
        InputError: a data file cannot be read (file, line and column in the message).
    """
    store = Store()
    load_builtin(store)
    store.load_all(data)
    return store


def _needs_repair(store: Store) -> bool:
    """Whether a store on disk needs a writer before it can be read: a killed load, or a built-in graph missing."""
    return bool(store.journal()) or not all(store.holds(ox.NamedNode(g)) for g in builtin_graphs())


def open_disk(directory: str | Path, *, wait: float = 0.0, write: bool = True) -> Store:
    """Open (or create) the embedded store on disk in ``directory``.

    A writer (``write=True``) is alone: it recovers from any killed load first, and puts the built-in graph into its
    named graphs the first time (a built-in graph that was dropped comes back fresh). A reader opens the store
    read-only beside other readers; a store that needs repair is repaired by a writer first.

    Args:
        directory: the store's own directory; created when missing.
        wait: how many seconds to wait while another process holds the store.
        write: False to open for reading only.

    Raises:
        KGError: ``directory`` is a file or a folder of other files, or another process holds the store.
    """
    path = Path(directory).expanduser()
    _check_store_dir(path)
    if write or not (path / "CURRENT").exists():
        store = _open_writer(path, wait)
        if write:
            return store
        store.close()
    reader = _open_reader(path, wait)
    if not _needs_repair(reader):
        return reader
    reader.close()
    _open_writer(path, wait).close()
    return _open_reader(path, wait)


def _open_writer(path: Path, wait: float) -> Store:
    path.mkdir(parents=True, exist_ok=True)
    lock = StoreLock(path)
    lock.acquire(exclusive=True, wait=wait)
    try:
        store = Store(_open_engine(path, wait, read_only=False), path=path, lock=lock)
        store.recover()
        load_builtin(store, only_missing=True)
    except BaseException:
        lock.release()
        raise
    return store


def _open_reader(path: Path, wait: float) -> Store:
    lock = StoreLock(path)
    lock.acquire(exclusive=False, wait=wait)
    try:
        return Store(_open_engine(path, wait, read_only=True), path=path, lock=lock, writable=False)
    except BaseException:
        lock.release()
        raise


def _check_store_dir(path: Path) -> None:
    """Refuse a path that is a file, or a non-empty folder that is not an Oxigraph store."""
    if path.exists() and not path.is_dir():
        raise KGError(f"the store {path} is a file; a store on disk is a directory")
    if path.is_dir() and not (path / "CURRENT").exists() and any(p.name != "kg.lock" for p in path.iterdir()):
        raise KGError(f"{path} holds other files and is not an Oxigraph store; name a new or empty directory")


def _open_engine(path: Path, wait: float, *, read_only: bool) -> ox.Store:
    """Open the RocksDB store in ``path``, waiting up to ``wait`` seconds for a process that kg's lock does not know
    (an older kg, a script) to let go of it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as error:
            if "lock" not in str(error).lower() or isinstance(error, RuntimeError):
                reason = _why_not_written(error) if not read_only else " ".join(str(error).split())[:200]
                raise KGError(f"cannot open the store at {path}: {reason}") from None
            if time.monotonic() >= deadline:
                raise KGError(f"the store at {path} is in use by another process") from None
            time.sleep(0.1)
