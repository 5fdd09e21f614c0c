"""The W3C SPARQL 1.1 query evaluation tests, replayed through kg: ``kg sparql``, the Python API and ``kg serve``, in
every result format kg writes for the query's form.

Each test's dataset is its data files (the default graph) and its graph data (named graphs), as the W3C's manifest
gives them; kg holds them beside its built-in graph, so the dataset is named as a SPARQL client names it: by the
protocol (``--default-graph``/``--named-graph``, ``default_graphs``/``named_graphs``, ``default-graph-uri``/
``named-graph-uri``), or by the query's own ``FROM``. Through kg the answer must be pyoxigraph's own answer over the
same dataset (so every test that pyoxigraph passes, kg passes). The tests left out, and why, are in docs/w3c.md. The
files come from https://github.com/w3c/rdf-tests (sparql/sparql11), under the W3C's licence (w3c/LICENSE.md).
"""

from __future__ import annotations

import gc
import io
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.results import RDF_FORMATS, WRITERS
from kg.stores import Store
from kg.stores.embedded import memory_store

from .servers import Server, call, start_kg_serve

SUITE = Path(__file__).parent / "w3c" / "sparql11-query"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
EVALUATION = (MF.QueryEvaluationTest, MF.CSVResultFormatTest)
#: The formats kg writes for each form of query (table, markdown and html are for people, not for machines).
FORMATS = {"select": ("json", "xml", "csv", "tsv"), "ask": ("json", "xml"), "graph": tuple(RDF_FORMATS)}
RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: A graph no test has: the default graph of a test that gives no data file.
EMPTY = "urn:x-kg-test:empty"


@dataclass(frozen=True)
class Case:
    """One evaluation test: its query, its default graph's files and its named graphs' files."""

    name: str
    query: Path
    data: tuple[Path, ...]
    named: tuple[Path, ...]

    @property
    def text(self) -> str:
        return self.query.read_text(encoding="utf-8")

    @property
    def base(self) -> str:
        return self.query.as_uri()

    @property
    def names_dataset(self) -> bool:
        """Whether the query has a FROM of its own (the test's data files are then not its dataset)."""
        return re.search(r"^\s*FROM\b", self.text, re.MULTILINE | re.IGNORECASE) is not None

    def dataset(self) -> tuple[list[str], list[str]] | None:
        """The protocol's dataset: the default graph's graphs and the named graphs (None: the query's own)."""
        if self.names_dataset:
            return None
        return [p.as_uri() for p in self.data] or [EMPTY], [p.as_uri() for p in self.named]


def _path(node: rdflib.term.Node) -> Path:
    return Path(urllib.parse.unquote(str(node).removeprefix("file://")))


@cache
def cases() -> list[Case]:
    found = []
    for manifest in sorted(SUITE.glob("*/manifest.ttl")):
        graph = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        for kind in EVALUATION:
            for test in graph.subjects(rdflib.RDF.type, kind):
                action = graph.value(test, MF.action)
                found.append(
                    Case(
                        f"{manifest.parent.name}/{str(test).rsplit('#', 1)[1]}",
                        _path(graph.value(action, QT.query)),
                        tuple(sorted(_path(o) for o in graph.objects(action, QT.data))),
                        tuple(sorted(_path(o) for o in graph.objects(action, QT.graphData))),
                    )
                )
    return sorted(found, key=lambda c: c.name)


def data_files() -> list[Path]:
    return sorted({p for case in cases() for p in case.data + case.named})


# --- pyoxigraph's own answer, and kg's read back ----------------------------------------------------------------------


def _term(term: Any) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def canonical(answer: Any) -> tuple[Any, ...]:
    """An answer as comparable data: blank nodes made alike, rows and triples in sorted order."""
    if isinstance(answer, ox.QueryBoolean):
        return ("ask", bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = sorted(tuple(_term(row[n]) if row[n] is not None else "" for n in names) for row in answer)
        return ("select", tuple(names), tuple(rows))
    triples = sorted(tuple(_term(x) for x in (t.subject, t.predicate, t.object)) for t in answer)
    return ("graph", tuple(triples))


def engine_store(case: Case) -> ox.Store:
    store = ox.Store()
    for path in case.data:
        store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]), base_iri=path.as_uri())
    for path in case.named:
        fmt = ox.RdfFormat.from_extension(path.suffix[1:])
        store.load(path=str(path), format=fmt, base_iri=path.as_uri(), to_graph=ox.NamedNode(path.as_uri()))
    return store


def direct(case: Case, fmt: str) -> tuple[Any, ...] | None:
    """pyoxigraph's own answer in ``fmt``, as data (None: pyoxigraph refuses the query)."""
    try:
        answer = engine_store(case).query(case.text, base_iri=case.base)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        return None
    if fmt in ("csv",):
        return _lines(answer.serialize(format=RESULTS[fmt]))  # type: ignore[union-attr]
    return canonical(answer)


def _lines(data: bytes) -> tuple[Any, ...]:
    """CSV as data: its header, then its lines sorted, blank node labels made alike (CSV keeps nothing else)."""
    lines = re.sub(rb"_:[A-Za-z0-9]+", b"_:", data).decode("utf-8").splitlines()
    return ("csv", lines[0], tuple(sorted(lines[1:])))


def read_back(data: bytes, fmt: str) -> tuple[Any, ...]:
    """kg's answer in ``fmt``, read back as data."""
    if fmt == "csv":
        return _lines(data)
    if fmt in RESULTS:
        return canonical(ox.parse_query_results(data, format=RESULTS[fmt]))
    return canonical(q.triple for q in ox.parse(data, format=RDF_FORMATS[fmt]))


def form(case: Case) -> str:
    answer = engine_store(case).query(case.text, base_iri=case.base)
    return (
        "ask" if isinstance(answer, ox.QueryBoolean) else "select" if isinstance(answer, ox.QuerySolutions) else "graph"
    )


def formats(case: Case) -> tuple[str, ...]:
    try:
        return FORMATS[form(case)]
    except (SyntaxError, OSError, RuntimeError, ValueError):
        return ("json",)


PARAMS = [pytest.param(case, id=case.name) for case in cases()]


# --- Through the Python API ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def everything() -> Store:
    """The built-in graph with every test file, each in its own graph, as ``kg --data`` loads them."""
    return memory_store(data_files())


@pytest.fixture(autouse=True, scope="module")
def _frozen_heap() -> Iterator[None]:
    gc.freeze()  # each command ends with a full collection: keep the session's objects out of its sight
    yield
    gc.unfreeze()


@pytest.mark.parametrize("case", PARAMS)
def test_through_the_api(everything: Store, case: Case) -> None:
    dataset = case.dataset()
    options: dict[str, Any] = {} if dataset is None else {"default_graphs": dataset[0], "named_graphs": dataset[1]}
    for fmt in formats(case):
        expected = direct(case, fmt)
        try:
            result = everything.query(case.text, base_iri=case.base, **options)
            out = io.BytesIO()
            result.write(out, fmt)
        except KGError as error:
            assert expected is None, f"{fmt}: {error}"
            continue
        assert read_back(out.getvalue(), fmt) == expected, fmt


# --- Through kg sparql -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", PARAMS)
def test_through_kg_sparql(case: Case) -> None:
    """Each test in one format (in turn, across the suite: a command costs more than a call), the dataset named on
    the command line."""
    arguments = [a for path in case.data + case.named for a in ("--data", str(path))]
    arguments += ["sparql", f"@{case.query}", "--base", case.base]
    dataset = case.dataset()
    if dataset is not None:
        arguments += [a for g in dataset[0] for a in ("--default-graph", g)]
        arguments += [a for g in dataset[1] for a in ("--named-graph", g)]
    choices = formats(case)
    for fmt in [choices[cases().index(case) % len(choices)]]:
        expected = direct(case, fmt)
        done = CliRunner().invoke(main, [*arguments, "-f", fmt])
        if expected is None:
            assert done.exit_code == 2 and done.stderr.startswith("kg: error: "), done.output
            continue
        assert done.exit_code == 0, done.output
        assert read_back(done.stdout_bytes, fmt) == expected, fmt


# --- Through kg serve ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = [a for path in data_files() for a in ("--data", str(path))]
    with start_kg_serve(tmp_path_factory.mktemp("w3c-query"), "--workers", "2", global_args=tuple(data)) as server:
        yield server


@pytest.mark.parametrize("case", PARAMS)
def test_through_kg_serve(served: Server, case: Case) -> None:
    fields = [("query", f"BASE <{case.base}>\n{case.text}")]
    dataset = case.dataset()
    if dataset is not None:
        fields += [("default-graph-uri", g) for g in dataset[0]] + [("named-graph-uri", g) for g in dataset[1]]
    body = urllib.parse.urlencode(fields).encode("utf-8")
    for fmt in formats(case):
        expected = direct(case, fmt)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": WRITERS[fmt].media_type}
        status, _, answer = call(served.url, data=body, headers=headers)
        if expected is None:
            assert status == 400, answer
            continue
        assert status == 200, answer
        assert read_back(answer, fmt) == expected, fmt


def test_the_suite_is_whole() -> None:
    """Every evaluation test of the copied manifests is replayed, and every file they name is here."""
    assert len(cases()) == 235
    assert all(case.query.is_file() for case in cases())
    assert all(path.is_file() for path in data_files())
