"""Check a graph: every file parses, and the whole conforms to the SHACL shapes in ``ontology/shapes.ttl``.

A violation is told in words, in English or Chinese (:meth:`Report.text`): the node by its label and CURIE, and the
rule it breaks (in Chinese where the shape gives its message in Chinese). The shapes run on
pyshacl-turbo (a SHACL engine in Rust, given kg's own pyoxigraph store) where it is installed, else on pySHACL, the
reference, with each SPARQL text parsed once; both give the same results on kg's shapes (tests/test_validate.py).

>>> report = validate()
>>> report.conforms, report.violations
(True, [])
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import InputError, shown
from .lang import CHINESE, LANGUAGES, is_chinese
from .results import str_value
from .stores import GraphStore, Store, open_store
from .stores.rdffiles import graph_name, parse_file, rdf_format
from .vocab import RDFS, SH, SHAPES_FILE, curie, ontology_dir

if TYPE_CHECKING:
    import rdflib

#: The SHACL engines kg can run, fastest first: the first one installed is the default.
ENGINES = ("pyshacl-turbo", "pyshacl")
#: How grave a violation is, in Chinese.
SEVERITIES_ZH = {"Violation": "违反", "Warning": "警告", "Info": "提示"}


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
        label_zh: its Chinese label, "" when it has none.
        message_zh: the rule in Chinese, "" when the shape gives none.
    """

    node: str
    label: str
    message: str
    path: str
    shape: str
    severity: str = "Violation"
    label_zh: str = ""
    message_zh: str = ""

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """The violation in one line, in ``lang``.

        >>> v = Violation("https://w3id.org/sce/id/x", "X", "a rule", "rdfs:label", "shape:S", label_zh="叉")
        >>> v.text(), v.text("zh-Hans")
        ('Violation: X (id:x): a rule [rdfs:label]', '违反：叉（id:x）：a rule [rdfs:label]')
        """
        where = f" [{self.path}]" if self.path else ""
        if is_chinese(lang):
            severity = SEVERITIES_ZH.get(self.severity, self.severity)
            label, message = self.label_zh or self.label, self.message_zh or self.message
            return f"{severity}：{label}（{curie(self.node)}）：{message}{where}"
        return f"{self.severity}: {self.label} ({curie(self.node)}): {self.message}{where}"

    def described(self, lang: str = "en") -> str:
        """The violation without its severity (the node and the rule), in ``lang``."""
        if is_chinese(lang):
            return self.text(lang).split("：", 1)[1]
        return self.text(lang).split(": ", 1)[1]


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: whether the graph conforms, and each violation."""

    conforms: bool
    violations: list[Violation]

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """Each violation on a line, then whether the graph conforms, in ``lang``.

        >>> print(Report(True, []).text("zh"))
        图谱符合其约束。
        """
        chinese = is_chinese(lang)
        if self.conforms:
            return "图谱符合其约束。" if chinese else "The graph conforms to its shapes."
        lines = [v.text(lang) for v in self.violations]
        count = len(self.violations)
        lines.append(
            f"{count} 处违反约束：图谱不符合其约束。"
            if chinese
            else f"{count} violation(s): the graph does not conform to its shapes."
        )
        return "\n".join(lines)

    def counted(self, lang: str = "en") -> str:
        """How many violations, and the first, in ``lang``.

        >>> report = Report(False, [Violation("https://w3id.org/sce/id/x", "X", "a rule", "", "shape:S")])
        >>> report.counted(), report.counted("zh")
        ('1 violation (first: X (id:x): a rule)', '1 处违反约束（第一处：X（id:x）：a rule）')
        """
        count = len(self.violations)
        if is_chinese(lang):
            first = self.violations[0].described(lang) if self.violations else "无"
            return f"{count} 处违反约束（第一处：{first}）"
        first = self.violations[0].described(lang) if self.violations else "none"
        return f"{count} violation{'' if count == 1 else 's'} (first: {first})"

    def summary(self, source: str, lang: str = "en") -> str:
        """One line for a load that added ``source``: how many violations, the first, and what to run, in ``lang``.

        >>> report = Report(False, [Violation("https://w3id.org/sce/id/x", "X", "a rule", "", "shape:S")])
        >>> report.summary("a.ttl")
        'a.ttl: 1 violation (first: X (id:x): a rule); run kg validate a.ttl'
        >>> report.summary("a.ttl", "zh-Hans")
        'a.ttl：1 处违反约束（第一处：X（id:x）：a rule）；请运行 kg validate a.ttl 查看'
        """
        if is_chinese(lang):
            return f"{shown(source)}：{self.counted(lang)}；请运行 kg validate {shown(source)} 查看"
        return f"{shown(source)}: {self.counted()}; run kg validate {shown(source)}"


def default_engine() -> str:
    """The engine kg validates with: pyshacl-turbo where it is installed (it needs Python >= 3.11), else pySHACL."""
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return "pyshacl"
    return "pyshacl-turbo"


def validate(files: Sequence[str | Path] = (), *, store: GraphStore | None = None, engine: str | None = None) -> Report:
    """Validate the built-in graph, with ``files`` on top of it, against the shapes.

    Args:
        files: RDF files of the user's to add before validating.
        store: the store to validate instead of the built-in graph; ``files`` go on top of a copy of it in memory,
            so the store itself is never changed.
        engine: one of :data:`ENGINES`; by default :func:`default_engine`.

    Raises:
        InputError: a file does not parse (file, line and column in the message).
    """
    if store is None:
        store = open_store(data=files)
    elif files:
        store = _copy_with(store, files)
    return check(store, engine=engine)


def check(store: GraphStore, *, engine: str | None = None, focus: Collection[str] | None = None) -> Report:
    """Run the shapes over ``store`` (SHACL-AF SPARQL constraints on), and kg's own rules about named graphs.

    Args:
        store: the graph to check (the union of its graphs).
        engine: one of :data:`ENGINES`; by default :func:`default_engine`.
        focus: report only the violations of these nodes (IRIs; blank nodes are always reported).
    """
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    results = _run_turbo(store) if engine == "pyshacl-turbo" else _run_pyshacl(store)
    labels = _Labels(store)
    found = {*_violations(results, labels), *dataset_violations(store, labels)}
    if focus is not None:
        found = {v for v in found if v.node in focus or not _is_iri(v.node)}
    violations = sorted(found, key=lambda v: (v.label.lower(), v.node, v.message, v.path))
    return Report(conforms=not violations, violations=violations)


def check_arrival(
    store: GraphStore, quads: Sequence[ox.Quad], *, replacing: ox.NamedNode | ox.DefaultGraph | None = None
) -> Report:
    """What ``quads`` would add to ``store``, checked together with the nodes they touch; ``store`` is not changed.

    The quads go on top of a copy of the store in memory; only the violations of a node that they name (as subject
    or object; blank nodes always) are reported, so that the store's own earlier faults do not count against them.

    Args:
        replacing: the graph the quads replace (emptied in the copy first).
    """
    copy = _copy_with(store, [])
    if replacing is not None:
        copy.engine.clear_graph(replacing)
    copy.engine.extend(quads)
    return check(copy, focus=touched(quads))


def check_added(store: GraphStore, quads: Sequence[ox.Quad]) -> Report:
    """After ``quads`` went into ``store``: the violations of the nodes they touch."""
    return check(store, focus=touched(quads))


def touched(quads: Sequence[ox.Quad] | Sequence[ox.Triple]) -> set[str]:
    """The IRIs the statements name as subject or object: the nodes whose shapes an addition can change."""
    return {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}


def load_checked(
    store: GraphStore,
    path: str | Path,
    *,
    graph: str | None = None,
    strict: bool = False,
    load: Any = None,
    lang: str = "en",
) -> Report:
    """Load the file at ``path`` into ``store`` (each file into its own graph, or ``graph``), checked against the
    shapes with the nodes it touches: by default it is loaded whatever the report says; ``strict`` refuses it. A
    remote store is not checked (the check would copy all of it here); ``kg validate`` checks it on demand.

    Args:
        load: what loads the file (called with the path), by default ``store.load(path, graph=graph)``.
        lang: the language of the error that refuses the file.

    Raises:
        InputError: the file does not parse; or, ``strict``, it breaks the shapes (nothing loaded then).
    """

    if not isinstance(store, Store):  # a remote store: checking it would copy the whole of it here, at every load
        (load or (lambda p: store.load(p, graph=graph)))(path)
        return Report(True, [])
    quads = parse_file(path, graph=graph or graph_name(path))
    if strict:
        report = check_arrival(store, quads)
        if not report.conforms:
            raise refused(report, str(path), lang=lang)
    (load or (lambda p: store.load(p, graph=graph)))(path)
    return check_added(store, quads) if not strict else Report(True, [])


def add_checked(
    store: GraphStore,
    files: Sequence[str | Path],
    *,
    graph: str | None = None,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
    lang: str = "en",
) -> list[Report]:
    """Load ``files`` into ``store``, each checked against the shapes with the nodes it touches: a file that breaks
    them is loaded and told to ``warn`` in one line in ``lang`` (by default a :class:`ShapeWarning`), or, ``strict``,
    refused.

    Raises:
        InputError: a file is missing or does not parse (checked for every file before any is loaded); or,
            ``strict``, a file breaks the shapes (the files before it stay loaded, nothing of it).
    """

    for path in files:
        rdf_format(path)
        if not Path(path).is_file():
            raise InputError("no such file", source=str(path))
    reports = []
    for path in files:
        report = load_checked(
            store, path, graph=graph, strict=strict, load=lambda p: store.load_all([p], graph=graph), lang=lang
        )
        if not report.conforms:
            (warn or _warning)(report.summary(str(path), lang))
        reports.append(report)
    return reports


class ShapeWarning(UserWarning):
    """Data was loaded that breaks the shapes (the Python API's report of it)."""


def _warning(line: str) -> None:
    warnings.warn(line, ShapeWarning, stacklevel=4)


def refused(report: Report, source: str, *, lang: str = "en") -> InputError:
    """The error of a strict load that ``report`` refuses: one line, what broke first and what to run, in ``lang``."""
    if is_chinese(lang):
        said = f"{report.counted(lang)}；未载入任何内容（--strict）；请运行 kg validate {shown(source)} 查看"
        return InputError(said, source=source)
    return InputError(f"{report.counted()}; nothing loaded (--strict); run kg validate {shown(source)}", source=source)


def _copy_with(store: GraphStore, files: Sequence[str | Path]) -> Store:
    copy = Store()
    copy.engine.extend(store.quads())
    copy.load_all(files)
    return copy


@functools.cache
def shapes_text() -> str:
    """The SHACL shapes, as Turtle."""
    return (ontology_dir() / SHAPES_FILE).read_text(encoding="utf-8")


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes as an rdflib graph."""
    import rdflib  # late: importing rdflib costs ~176 ms

    return rdflib.Graph().parse(data=shapes_text(), format="turtle")


def to_rdflib(store: GraphStore) -> rdflib.Graph:
    """The union of the store's graphs as one rdflib graph (shapes and reasoners work on rdflib graphs); blank nodes
    keep the store's ids, so that a result about one can be told by the store's labels."""
    import rdflib  # late: importing rdflib costs ~176 ms

    graph = rdflib.Graph()
    graph.addN(
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object), graph) for t in store.triples()
    )
    return graph


def _rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as rdflib's (a plain literal, not ``xsd:string``, as rdflib reads one from N-Triples)."""
    import rdflib  # late: importing rdflib costs ~176 ms

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype == _XSD_STRING else datatype)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _run_turbo(store: GraphStore) -> rdflib.Graph:
    """pyshacl-turbo's results graph, given the store as :func:`turbo_input` hands it."""
    import pyshacl_turbo  # late: importing pyshacl_turbo costs ~204 ms

    _, results, _ = pyshacl_turbo.validate(
        turbo_input(store), shacl_graph=shapes_text(), shacl_graph_format="turtle", advanced=True, allow_warnings=True
    )
    return results  # type: ignore[no-any-return]


def turbo_input(store: GraphStore) -> Any:
    """The store as pyshacl-turbo reads it best: its N-Quads, blank node ids kept (so a result about a blank node can
    be told by the store's label for it).

    pyshacl-turbo 0.6.5 given a pyoxigraph Store itself takes the same dump through another reader, which compares
    some literals wrongly with the shapes' (W3C core ``in-001``, ``hasValue-001``); this one passes them
    (tests/test_shacl_w3c.py).
    """
    from pyshacl_turbo.rdf import Input  # late: importing pyshacl_turbo.rdf costs ~214 ms

    engine = store.engine if isinstance(store, Store) else _copy_with(store, []).engine
    text = shacl_readable(engine)
    return Input(text.decode("utf-8"), "nquads", None, {}, preserve_ids=True)


#: Whether a store holds statements of RDF 1.2 that SHACL 1.0 does not speak of and pyshacl-turbo cannot read.
_HOLDS_RDF_1_2 = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isTRIPLE(?o) || hasLANGDIR(?o)) }"


def shacl_readable(engine: ox.Store) -> bytes:
    """The N-Quads of ``engine`` for a SHACL 1.0 validator: without the statements of RDF 1.2 (a triple term as
    object, a literal with a base direction), which it would not read, and which no shape speaks of.

    >>> engine = ox.Store()
    >>> turtle = b'<urn:a> <urn:b> "x"@ar--rtl, "y", <<( <urn:a> <urn:b> <urn:c> )>> .'
    >>> engine.extend(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    >>> shacl_readable(engine)
    b'<urn:a> <urn:b> "y" .\\n'
    """
    if not bool(engine.query(_HOLDS_RDF_1_2)):
        return engine.dump(format=ox.RdfFormat.N_QUADS) or b""
    kept = (q for q in engine if not isinstance(q.object, ox.Triple) and getattr(q.object, "direction", None) is None)
    return ox.serialize(kept, format=ox.RdfFormat.N_QUADS) or b""


def _run_pyshacl(store: GraphStore) -> rdflib.Graph:
    """pySHACL's results graph, each SPARQL text of the shapes parsed once."""
    import pyshacl  # late: importing pyshacl costs ~475 ms

    with prepared_queries():
        _, results, _ = pyshacl.validate(
            to_rdflib(store), shacl_graph=shapes_graph(), advanced=True, allow_warnings=True
        )
    return results  # type: ignore[no-any-return]


@contextlib.contextmanager
def prepared_queries() -> Iterator[None]:
    """While it lasts, rdflib parses each distinct SPARQL text once and reuses it: pySHACL hands the same text over
    once per focus node, and the parse is most of its time (SHACL-ENGINES.md). The answers are rdflib's own."""
    import rdflib  # late: importing rdflib costs ~176 ms

    original = rdflib.Graph.query

    def query(
        self: rdflib.Graph,
        q: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # rdflib's names
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(q, str) and processor == "sparql":
            namespaces = {**dict(self.namespaces()), **(initNs or {})}
            with contextlib.suppress(Exception):  # what cannot be prepared goes through as before
                q = _prepared(q, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
        return original(self, q, processor, result, initNs, initBindings, use_store_provided, **kwargs)

    rdflib.Graph.query = query  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        rdflib.Graph.query = original  # type: ignore[method-assign]


@functools.lru_cache(maxsize=1024)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...]) -> Any:
    from rdflib.plugins.sparql import prepareQuery  # late: importing rdflib.plugins.sparql costs ~238 ms

    return prepareQuery(text, initNs=dict(namespaces))


class _Labels:
    """Each node's label read from the store, English first, else its CURIE."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @functools.cache  # noqa: B019 (one _Labels per check)
    def __call__(self, node: str) -> str:
        labels = self._labels(node)
        for lang in (*(code.lower() for code in LANGUAGES), ""):
            if lang in labels:
                return labels[lang]
        return curie(node)

    def zh(self, node: str) -> str:
        """The node's Chinese label, "" when it has none."""
        return self._labels(node).get(CHINESE.lower(), "")

    @functools.cache  # noqa: B019 (one _Labels per check)
    def _labels(self, node: str) -> dict[str, str]:
        term = ox.NamedNode(node) if _is_iri(node) else ox.BlankNode(node)
        found = [q.object for q in self.store.match(term, ox.NamedNode(RDFS.label)) if isinstance(q.object, ox.Literal)]
        return {(lit.language or "").lower(): lit.value for lit in found}


def _is_iri(node: str) -> bool:
    """Whether a result's node is an IRI (else a blank node's id)."""
    return ":" in node


def dataset_violations(store: GraphStore, labels: _Labels) -> list[Violation]:
    """The rules about named graphs that SHACL cannot see: each ``sh:SPARQLConstraint`` of the shapes that no shape
    holds (``shape:FactSource``: every fact beyond the seed comes from a source with a web address), run over the
    store's whole dataset; each row a violation of that rule."""
    import rdflib  # late: importing rdflib costs ~176 ms

    sh = rdflib.Namespace(str(SH))
    shapes = _shapes()
    out = []
    for rule in shapes.subjects(rdflib.RDF.type, sh.SPARQLConstraint):
        if not isinstance(rule, rdflib.URIRef) or (None, sh.sparql, rule) in shapes:
            continue
        message, message_zh = _messages(shapes.objects(rule, sh.message))
        for row in store.select(str(shapes.value(rule, sh.select))):
            node, prop = str_value(row["this"]), row.get("property")
            path = curie(str_value(prop)) if prop is not None else ""
            text, text_zh = (m.replace("{?property}", path) for m in (message, message_zh))
            out.append(
                Violation(
                    node, labels(node), text, path, curie(str(rule)), label_zh=labels.zh(node), message_zh=text_zh
                )
            )
    return out


@functools.cache
def _shapes() -> rdflib.Graph:
    return shapes_graph()


def _violations(results: rdflib.Graph, labels: _Labels) -> list[Violation]:
    import rdflib  # late: importing rdflib costs ~176 ms

    out = []
    sh = rdflib.Namespace(str(SH))
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        node = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        shape = results.value(result, sh.sourceShape)
        severity = results.value(result, sh.resultSeverity)
        message, message_zh = _messages(results.objects(result, sh.resultMessage))
        out.append(
            Violation(
                node=str(node),
                label=labels(str(node)),
                label_zh=labels.zh(str(node)),
                message=message or "breaks " + curie(str(shape)),
                message_zh=message_zh,
                path=curie(str(path)) if isinstance(path, rdflib.URIRef) else "",
                shape=curie(str(shape)) if isinstance(shape, rdflib.URIRef) else "",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    return out


def _messages(literals: Iterable[Any]) -> tuple[str, str]:
    """Of a shape's messages (rdflib literals), the English one and the Chinese one ("" when there is none). The
    engines drop the language of a message whose ``{?var}`` they fill in: a message in no language is Chinese when
    it is written mostly in Chinese characters.

    >>> import rdflib
    >>> _messages([rdflib.Literal("一条规则", lang="zh-Hans"), rdflib.Literal("a rule", lang="en")])
    ('a rule', '一条规则')
    >>> _messages([rdflib.Literal("名称（Kuaishou）只属于一个节点；https://w3id.org/sce/id/x 也是"),
    ...            rdflib.Literal("a name (快手) is one node's")])
    ("a name (快手) is one node's", '名称（Kuaishou）只属于一个节点；https://w3id.org/sce/id/x 也是')
    >>> _messages([rdflib.Literal("a rule")])
    ('a rule', '')
    """
    english, chinese = "", ""
    for literal in literals:
        text, tag = str(literal), getattr(literal, "language", None) or ""
        words = re.sub(r"\S+://\S+|\w+:\w+", "", text)  # without the IRIs and CURIEs filled in
        if is_chinese(tag) or (not tag and len(_HAN.findall(words)) > len(re.findall(r"[A-Za-z]", words))):
            chinese = chinese or text
        else:
            english = english or text
    return english, chinese


#: A Chinese character.
_HAN = re.compile(r"[\u3400-\u9fff]")
