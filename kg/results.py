r"""The result of a query, and the one registry of writers that turn it into bytes.

A SELECT gives rows, an ASK a boolean, a CONSTRUCT or DESCRIBE a graph. A Result read from a store streams: its rows
(or triples) go from the engine to a writer as they come, and are held in memory only when a caller asks for them
(``.rows``, ``len()``, iterating the Result). Every writer writes to a binary stream, row by row.

The writers are registered once (:data:`WRITERS`): their names, file endings, media types and the kinds of result
they serve. ``--format`` choices, ``--output`` endings and the content types of the HTTP face all come from there.

>>> import pyoxigraph as ox
>>> r = Result.select(["name"], [(ox.Literal("快手", language="zh-Hans"),)])
>>> r.serialize("csv")
'name\r\n快手\r\n'
>>> r.serialize("tsv")
'?name\n"快手"@zh-Hans\n'
>>> r.vars, len(r)
(['name'], 1)
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from html import escape as esc
from typing import IO, TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

import pyoxigraph as ox

from .errors import EngineError, KGError
from .lang import is_chinese
from .tables import Table
from .vocab import PREFIXES, XSD, curie, written_tag

if TYPE_CHECKING:
    import pandas
    import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]
Kind = Literal["select", "ask", "graph"]


class Labeller(Protocol):
    """A function from IRIs to the label each has in the chosen language (IRIs without one left out)."""

    def __call__(self, iris: Sequence[str], /) -> Mapping[str, str]: ...


class Result:
    """What a query gives back.

    Attributes:
        kind: "select", "ask" or "graph".
        vars: the SELECT variables, in order (empty otherwise).
        boolean: the ASK answer (None otherwise).
        headers: column headings for people, when they differ from ``vars`` (tables, Markdown, HTML).
        heading: lines written above a table (a node's names, for ``describe``).
        title: the title of a page written for it (HTML).
        shown: the variables that tables for people show (all of them when None).
        given: the IRIs a named query's parameters named: a drawing shows them besides the answer.
        titles: the Chinese titles of the columns people read, by variable name without ``_en``/``_zh`` (a named
            query's ``columns_zh``).

    ``rows`` (SELECT) and ``triples`` (CONSTRUCT, DESCRIBE) hold the answer in memory, read on first use; a writer
    given a Result that nobody has read takes the answer straight from the engine instead.
    """

    def __init__(
        self,
        kind: Kind,
        *,
        vars: Sequence[str] = (),
        rows: Iterable[Sequence[Term | None]] | None = None,
        boolean: bool | None = None,
        triples: Iterable[ox.Triple] | None = None,
        source: Any = None,
        headers: Sequence[str] | None = None,
        heading: str = "",
        title: str = "kg",
        shown: Sequence[str] | None = None,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.vars = list(vars)
        self.boolean = boolean
        self.headers = list(headers) if headers is not None else None
        self.heading = heading
        self.title = title
        self.shown = list(shown) if shown is not None else None
        self.given: list[str] = []
        self.titles: dict[str, str] = dict(titles or {})
        given = rows if kind == "select" else triples if kind == "graph" else None
        self._items: list[Any] | None = None
        self._source: Any = None
        if given is not None:
            self._items = [tuple(r) for r in given] if kind == "select" else list(given)
        elif kind != "ask":
            self._source = source if source is not None else iter(())

    @classmethod
    def select(cls, names: Sequence[str], rows: Iterable[Sequence[Term | None]], **options: Any) -> Result:
        """A SELECT result from variable names and rows."""
        return cls("select", vars=names, rows=rows, **options)

    @classmethod
    def ask(cls, answer: bool) -> Result:
        """An ASK result."""
        return cls("ask", boolean=bool(answer))

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple]) -> Result:
        """A CONSTRUCT or DESCRIBE result from its triples (read lazily when ``triples`` is an iterator)."""
        if isinstance(triples, list | tuple):
            return cls("graph", triples=triples)
        return cls("graph", source=triples)

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Result:
        """A dataset's statements with their graphs (read lazily), for the writers that keep graphs (N-Quads, TriG);
        the other writers of graphs take only triples."""
        return cls("graph", source=quads)

    @classmethod
    def from_oxigraph(cls, raw: Any) -> Result:
        """Wrap what ``pyoxigraph`` gave back (solutions, a boolean or triples), without reading it yet."""
        if isinstance(raw, ox.QuerySolutions):
            return cls("select", vars=[v.value for v in raw.variables], source=raw)
        if isinstance(raw, ox.QueryBoolean):
            return cls.ask(bool(raw))
        return cls("graph", source=raw)

    # --- Reading the answer ---------------------------------------------------------------------------------------

    def _take(self) -> Iterator[Any]:
        """The answer, once: from memory when it is there, else straight from the engine."""
        if self._items is not None:
            return iter(self._items)
        source, self._source = self._source, None
        if source is None:
            raise KGError("this result has been written out already; run the query again to read it twice")
        return _answered(source, whole_rows=self.kind == "select")

    def stream(self) -> Iterator[Any]:
        """The rows (or triples) one by one, without keeping them: for answers too big to hold."""
        return self._take()

    def native(self) -> Any:
        """The engine's own unread answer (pyoxigraph solutions or triples), taken; None when it is gone or in
        memory. Writers use it to let the engine serialise."""
        if self._items is not None or not hasattr(self._source, "serialize"):  # rows from Python, not the engine
            return None
        source, self._source = self._source, None
        if source is None:
            raise KGError("this result has been written out already; run the query again to read it twice")
        return source

    def _held(self) -> list[Any]:
        if self._items is None:
            self._items = list(self._take())
        return self._items

    @property
    def rows(self) -> list[Row]:
        """The SELECT solutions, one tuple per row, None where a variable is unbound."""
        return self._held() if self.kind == "select" else []

    @property
    def triples(self) -> list[ox.Triple]:
        """The CONSTRUCT or DESCRIBE triples."""
        return self._held() if self.kind == "graph" else []

    def __iter__(self) -> Iterator[Any]:
        """Rows of a SELECT as tuples, triples of a graph, the one boolean of an ASK."""
        if self.kind == "ask":
            return iter([self.boolean])
        return iter(self._held())

    def __len__(self) -> int:
        return 1 if self.kind == "ask" else len(self._held())

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"<Result ASK {self.boolean}>"
        size = f"{len(self._items)}" if self._items is not None else "unread"
        what = f"vars={self.vars}" if self.kind == "select" else "graph"
        return f"<Result {self.kind.upper()} {what} rows={size}>"

    def column(self, name: str) -> list[Term | None]:
        """The values of one SELECT variable, row by row."""
        index = self.vars.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Term]]:
        """SELECT rows as dicts (unbound variables left out)."""
        return [{n: v for n, v in zip(self.vars, row, strict=True) if v is not None} for row in self.rows]

    @property
    def graph(self) -> rdflib.Graph:
        """A CONSTRUCT or DESCRIBE result as an rdflib graph."""
        import rdflib  # late: importing rdflib costs ~128 ms

        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        graph.parse(data=self.serialize("nt"), format="nt")
        return graph

    def serialize(self, format: str | None = None, *, labels: Labeller | None = None) -> str:
        """The result as text in ``format`` (by default json for rows and booleans, turtle for graphs).

        Args:
            format: the name of a writer in WRITERS that serves this kind of result.
            labels: for tables, a function from IRIs to their labels, shown instead of the IRIs.

        Raises:
            KGError: the format does not fit this kind of result.
        """
        if self.kind != "ask":
            self._held()  # a text in memory is for answers that fit in memory: keep them, so they can be read again
        out = io.BytesIO()
        self.write(out, format, options=WriteOptions(labels=labels))
        return out.getvalue().decode("utf-8")

    def write(self, out: IO[bytes], format: str | None = None, *, options: WriteOptions | None = None) -> None:
        """Write the result to the binary stream ``out`` in ``format``, row by row as the engine gives them.

        Raises:
            KGError: the format does not fit this kind of result.
        """
        writer = writer_for(self, format or default_format(self))
        writer.write(self, out, options or WriteOptions())

    def to_dataframe(self) -> pandas.DataFrame:
        """SELECT rows as a pandas DataFrame of Python values (IRIs as strings, literals as their values).

        Raises:
            KGError: pandas is not installed (``pip install 'kg[pandas]'``).
        """
        try:
            import pandas  # late: importing pandas costs ~511 ms
        except ImportError:
            raise KGError("to_dataframe needs pandas: pip install 'kg[pandas]'") from None
        if self.kind == "graph":
            rows = [(str_value(t.subject), str_value(t.predicate), python_value(t.object)) for t in self.triples]
            return pandas.DataFrame(rows, columns=["subject", "predicate", "object"])
        if self.kind == "ask":
            return pandas.DataFrame({"boolean": [self.boolean]})
        return pandas.DataFrame([[python_value(v) for v in row] for row in self.rows], columns=self.vars)


def _answered(source: Iterable[Any], *, whole_rows: bool) -> Iterator[Any]:
    """The items of an engine's (or a server's) answer; a failure while reading them is one clear error."""
    try:
        for item in source:
            yield tuple(item) if whole_rows else item
    except (SyntaxError, ValueError, OSError, RuntimeError) as error:
        raise EngineError.of(error) from None


# --- Values -----------------------------------------------------------------------------------------------------------


def str_value(term: Term | None) -> str:
    """A term's plain value: an IRI, a literal's lexical form, a blank node's ``_:id``; "" when unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


_NUMERIC: dict[str, Callable[[str], Any]] = {
    XSD.integer: int, XSD.int: int, XSD.long: int, XSD.decimal: float, XSD.double: float, XSD.float: float,
}  # fmt: skip


def python_value(term: Term | None) -> Any:
    """A term as a Python value: numbers and booleans typed, everything else as its plain string."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            try:
                return _NUMERIC[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == XSD.boolean:
            return term.value in ("true", "1")
    return str_value(term) if term is not None else None


def language(term: ox.Literal) -> str:
    """A literal's language tag as the sources write it (``zh-Hans``; the engine keeps tags in lower case)."""
    return written_tag(term.language) if term.language else ""


def term_text(term: Term) -> str:
    """A term in N-Triples/Turtle syntax, its language tag as written (``"快手"@zh-Hans``)."""
    text = str(term)
    if isinstance(term, ox.Literal) and term.language:
        return text[: len(text) - len(term.language)] + written_tag(term.language)
    return text


# --- The registry -------------------------------------------------------------------------------------------------


class WriteOptions(NamedTuple):
    """What a writer may be told besides the result: labels for IRIs, the width of the terminal (0: any), the
    language of the words people read, the layout of a terminal answer ("auto", "table" or "records"), and whether
    people see a node's name in both languages (``both``) or in ``lang`` only; ``people`` shows a named query's columns
    as people read them (see :func:`columns`) rather than as its variables."""

    labels: Labeller | None = None
    width: int = 0
    lang: str = "en"
    layout: str = "auto"
    both: bool = False
    people: bool = False


class Writer(NamedTuple):
    """One output format: its name, the file endings that mean it, its media type, the result kinds it serves."""

    name: str
    media_type: str
    endings: tuple[str, ...]
    kinds: frozenset[str]
    write: Callable[[Result, IO[bytes], WriteOptions], None]
    description: str = ""


def default_format(result: Result) -> str:
    """json for rows and booleans, turtle for graphs."""
    return "turtle" if result.kind == "graph" else "json"


def writer_for(result: Result, name: str) -> Writer:
    """The writer called ``name``, checked against the kind of ``result``.

    Raises:
        KGError: no such writer, or it does not serve this kind of result.
    """
    writer = WRITERS.get(name)
    if writer is None or result.kind not in writer.kinds:
        fitting = ", ".join(w.name for w in WRITERS.values() if result.kind in w.kinds)
        kinds = "CONSTRUCT and DESCRIBE" if result.kind == "graph" else result.kind.upper()
        raise KGError(f"format {name!r} does not fit a {result.kind.upper()} result; {kinds} take: {fitting}")
    return writer


def format_for_ending(ending: str) -> str | None:
    """The format a file ending means (``.srj`` → json), or None."""
    for writer in WRITERS.values():
        if ending.lower() in writer.endings:
            return writer.name
    return None


def format_names() -> list[str]:
    """Every writer's name, in the order of the registry."""
    return list(WRITERS)


# --- Language tags as written -------------------------------------------------------------------------------------


class _TagCase(io.RawIOBase):
    """A binary stream that writes language tags back in the case the sources use, on their way to ``out``.

    The engine keeps tags in lower case (``zh-hans``); BCP 47 and our sources write ``zh-Hans``. Each format's
    ``TagSyntax`` finds the tags where they are syntax (never inside a string) and rewrites each distinct tag that
    needs it in one pass of the regular expression engine. Data is cut only after a character that no tag's syntax
    holds, so that a tag never straddles two pieces.
    """

    CUTS = (b"\n", b",", b"}", b">")
    PIECE = 1 << 16

    def __init__(self, out: IO[bytes], syntax: TagSyntax) -> None:
        super().__init__()
        self.out = out
        self.syntax = syntax
        self.pieces: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pieces.append(bytes(data))
        self.size += len(data)
        if self.size >= self.PIECE:
            buffer = b"".join(self.pieces)
            cut = max(buffer.rfind(c, 0, len(buffer) - 256) for c in self.CUTS) + 1
            if cut <= 0:
                cut = len(buffer) - 256
            self.out.write(self.syntax.rewrite(buffer[:cut]))
            self.pieces, self.size = [buffer[cut:]], len(buffer) - cut
        return len(data)

    def flush(self) -> None:
        if self.pieces:
            self.out.write(self.syntax.rewrite(b"".join(self.pieces)))
        self.pieces, self.size = [], 0
        self.out.flush()


class TagSyntax(NamedTuple):
    """Where language tags stand in one output format.

    ``before`` is the literal text that comes before a tag wherever a tag is syntax; ``escapable`` says that the text
    may also stand inside a string, after a backslash (N-Triples, Turtle, TSV: ``\"@zh``), where it is data and left
    alone; ``pattern`` (RDF/XML) is a regular expression for the text before a tag when no literal will do.
    """

    before: bytes
    escapable: bool = False
    pattern: bytes = b""

    def rewrite(self, data: bytes) -> bytes:
        """``data`` with every tag that BCP 47 writes otherwise (``zh-hans``) written as the sources write it."""
        if self.before not in data:
            return data
        for tag in set(_compiled(re.escape(self.before) + _TAG).findall(data)):
            fixed = written_tag(tag.decode("ascii")).encode("ascii")
            if fixed != tag:
                data = self._swap(data, tag, fixed)
        return data

    def _swap(self, data: bytes, tag: bytes, fixed: bytes) -> bytes:
        if self.pattern:
            return _compiled(b"(" + self.pattern + b")" + re.escape(tag) + b'(?=")').sub(rb"\g<1>" + fixed, data)
        old, new = self.before + tag, self.before + fixed
        parts = data.split(old)
        out = [parts[0]]
        for previous, part in itertools.pairwise(parts):
            longer = part[:1].isalnum() or part[:1] == b"-"  # a longer tag that starts the same: not this one
            escaped = self.escapable and (len(previous) - len(previous.rstrip(b"\\"))) % 2 == 1
            out.append((old if longer or escaped else new) + part)
        return b"".join(out)


_TAG = rb"([A-Za-z]+-[A-Za-z0-9-]+)"


@cache
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


# A quote inside a JSON string is escaped, and a '<' never stands raw in XML text, so the literal text before a tag
# appears only as syntax in those formats; in N-Triples, Turtle and TSV a quote inside a literal follows a backslash.
_TAGS: dict[str, TagSyntax] = {
    "json": TagSyntax(b'"xml:lang":"'),
    "xml": TagSyntax(b'<literal xml:lang="'),
    "terms": TagSyntax(b'"@', escapable=True),
    "jsonld": TagSyntax(b'"@language":"'),
    "rdfxml": TagSyntax(b'xml:lang="', pattern=rb'<[^<>]*\sxml:lang="'),
}


def _retagged(out: IO[bytes], kind: str, write: Callable[[IO[bytes]], None]) -> None:
    stream = _TagCase(out, _TAGS[kind])
    write(stream)  # type: ignore[arg-type]
    stream.flush()


# --- W3C SPARQL 1.1 result formats ----------------------------------------------------------------------------------


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = written_tag(term.language)
        elif term.datatype.value != XSD.string:
            out["datatype"] = term.datatype.value
        return out
    raise KGError("RDF-star triple terms cannot be written in this format")


def _native_results(result: Result, out: IO[bytes], fmt: ox.QueryResultsFormat, tags: str | None) -> bool:
    """Let the engine write an unread answer in ``fmt``; False when the answer is not the engine's any more."""
    raw = result.native()
    if raw is None:
        return False
    with _engine_reading():
        if tags is None:
            raw.serialize(out, fmt)
        else:
            _retagged(out, tags, lambda stream: raw.serialize(stream, fmt))
    return True


@contextlib.contextmanager
def _engine_reading() -> Iterator[None]:
    """The engine writing its own answer: its failure on the way (a SERVICE that did not answer) as one EngineError;
    a reader that went away stays what it is."""
    try:
        yield
    except BrokenPipeError:
        raise
    except (OSError, RuntimeError) as error:
        raise EngineError.of(error) from None


def write_json(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """SPARQL 1.1 Query Results JSON, compact, one binding after another."""
    if result.kind == "ask":
        out.write(b'{"head":{},"boolean":' + (b"true" if result.boolean else b"false") + b"}\n")
        return
    if _native_results(result, out, ox.QueryResultsFormat.JSON, "json"):
        out.write(b"\n")
        return

    import json  # late: kept off kg's start-up (~1-2 ms)

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write(b'{"head":{"vars":' + dumps(result.vars).encode() + b'},"results":{"bindings":[')
    for i, row in enumerate(result.stream()):
        binding = {n: _json_term(v) for n, v in zip(result.vars, row, strict=True) if v is not None}
        out.write((b"," if i else b"") + dumps(binding).encode())
    out.write(b"]}}\n")


def escape(text: str) -> str:
    """Escape ``text`` for XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return '"' + escape(text).replace('"', "&quot;").replace("'", "&#x27;") + '"'


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(written_tag(term.language))}"
        elif term.datatype.value != XSD.string:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(term.value)}</literal>"
    raise KGError("RDF-star triple terms cannot be written in this format")


def write_xml(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """SPARQL Query Results XML."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if result.kind == "ask":
        answer = "true" if result.boolean else "false"
        out.write(f"{head}  <head/>\n  <boolean>{answer}</boolean>\n</sparql>\n".encode())
        return
    if _native_results(result, out, ox.QueryResultsFormat.XML, "xml"):
        out.write(b"\n")
        return
    variables = "".join(f"    <variable name={quoteattr(n)}/>\n" for n in result.vars)
    out.write(f"{head}  <head>\n{variables}  </head>\n  <results>\n".encode())
    for row in result.stream():
        cells = "".join(
            f"      <binding name={quoteattr(n)}>{_xml_term(v)}</binding>\n"
            for n, v in zip(result.vars, row, strict=True)
            if v is not None
        )
        out.write(f"    <result>\n{cells}    </result>\n".encode())
    out.write(b"  </results>\n</sparql>\n")


def _need_rows(result: Result, fmt: str) -> None:
    if result.kind == "ask":
        raise KGError(f"the {fmt.upper()} result format has no form for an ASK answer; use json or xml")


def write_csv(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    _need_rows(result, "csv")
    if _native_results(result, out, ox.QueryResultsFormat.CSV, None):
        return
    text = io.StringIO()

    import csv  # late: kept off kg's start-up (~1-2 ms)

    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(result.vars)
    for rows in _batches(result.stream()):
        writer.writerows([str_value(v) for v in row] for row in rows)
        out.write(text.getvalue().encode())
        text.seek(0)
        text.truncate()
    out.write(text.getvalue().encode())


def write_tsv(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax, tabs and newlines escaped."""
    _need_rows(result, "tsv")
    if _native_results(result, out, ox.QueryResultsFormat.TSV, "terms"):
        return
    out.write(("\t".join("?" + n for n in result.vars) + "\n").encode())
    for rows in _batches(result.stream()):
        out.write("".join("\t".join(_tsv_term(v) for v in row) + "\n" for row in rows).encode())


def _tsv_term(term: Term | None) -> str:
    return "" if term is None else term_text(term).replace("\t", "\\t")


def _batches(items: Iterator[Any], size: int = 1000) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


# --- Tables for people: terminal, Markdown, HTML ----------------------------------------------------------------------


class Column(NamedTuple):
    """A column people read: its title, and the variables (by index) whose first bound value it shows."""

    title: str
    sources: tuple[int, ...]


_SUFFIX = re.compile(r"_(en|zh)$")
_BOTH_TITLES = {"en": ("{} (English)", "{} (Chinese)"), "zh-Hans": ("{}（英文）", "{}（中文）")}


def columns(
    names: Sequence[str], *, lang: str = "en", both: bool = False, titles: Mapping[str, str] | None = None
) -> list[Column]:
    """The columns people read for a SELECT's variables: a node and its names (``model``, ``model_en``, ``model_zh``)
    are one column in ``lang`` (two with ``both``: English and Chinese); a ``name`` right after a node names it.
    Titles are the variables without ``_en``/``_zh``, in Chinese from ``titles`` when ``lang`` is Chinese.

    >>> [c.title for c in columns(["date", "event", "event_en", "event_zh", "fine_yuan"])]
    ['date', 'event', 'fine_yuan']
    >>> columns(["model", "name_en", "name_zh"], lang="zh-Hans", titles={"model": "模式"})
    [Column(title='模式', sources=(2, 0, 1))]
    >>> [c.title for c in columns(["model", "model_en", "model_zh"], lang="zh-Hans", both=True)]
    ['model（英文）', 'model（中文）']
    """
    chinese = is_chinese(lang)
    where = {n: i for i, n in enumerate(names)}
    bases: dict[str, list[str]] = {}
    for name in names:
        bases.setdefault(_SUFFIX.sub("", name), []).append(name)
    for base in list(bases):  # ?enterprise ?name_en ?name_zh, ?source ?source_title: the names of the node before them
        first = names.index(bases[base][0])
        node = names[first - 1] if first else ""
        naming = base == f"{node}_title" or (base == "name" and base not in where)
        if naming and node in bases and len(bases[node]) == 1:
            bases[node] += bases.pop(base)
    out: list[Column] = []
    for base, group in bases.items():
        title = (titles or {}).get(base, base) if chinese else base
        own = [where[n] for n in group if not _SUFFIX.search(n) and not n.endswith("_title")]
        en = [where[n] for n in group if n.endswith("_en") or n.endswith("_title")]  # titles of sources are English
        zh = [where[n] for n in group if n.endswith("_zh")]
        if both and en and zh:
            english, chinese_title = _BOTH_TITLES["zh-Hans" if chinese else "en"]
            out += [Column(english.format(title), (*en, *own)), Column(chinese_title.format(title), (*zh, *own))]
        else:
            order = (zh + own + en) if chinese and (zh or not en) else (en + own + zh) if not chinese else (own + en)
            out.append(Column(title, tuple(order)))
    return out


def _headers_and_rows(result: Result, options: WriteOptions | None = None) -> tuple[list[str], Iterator[Row]]:
    if result.kind == "graph":
        return ["subject", "predicate", "object"], ((t.subject, t.predicate, t.object) for t in result.stream())
    if result.headers is None and result.shown is None and options is not None and options.people:
        chosen = columns(result.vars, lang=options.lang, both=options.both, titles=result.titles)
        return [c.title for c in chosen], (_picked(row, chosen) for row in result.stream())
    headers = list(result.headers or result.vars)
    if options is not None and options.people and result.headers is None and is_chinese(options.lang):
        headers = [result.titles.get(name, name) for name in headers]
    if result.shown is None:
        return headers, result.stream()
    keep = [result.vars.index(v) for v in result.shown]
    return [headers[i] for i in keep], (tuple(row[i] for i in keep) for row in result.stream())


def _picked(row: Row, chosen: Sequence[Column]) -> Row:
    return tuple(next((row[i] for i in c.sources if row[i] is not None), None) for c in chosen)


def _cells(rows: Iterable[Row], labels: Labeller | None, lang: str = "en") -> Iterator[list[str]]:
    """Rows as text, IRIs shown by their labels when ``labels`` is given (looked up a batch at a time), else as
    CURIEs; true and false as a reader of ``lang`` says them (是, 否 in Chinese).

    >>> rows = [(ox.Literal("false", datatype=ox.NamedNode(XSD.boolean)), ox.Literal("false"))]
    >>> list(_cells(rows, None, "zh-Hans")), list(_cells(rows, None))
    ([['否', 'false']], [['false', 'false']])
    """
    said = _YES_NO_ZH if is_chinese(lang) else {}
    for batch in _batches(iter(rows), 200):
        iris = sorted({v.value for row in batch for v in row if isinstance(v, ox.NamedNode)})
        names = labels(iris) if labels else {}
        for row in batch:
            yield [_cell(v, names, said) for v in row]


#: How a reader of Chinese says an xsd:boolean's value.
_YES_NO_ZH = {"true": "是", "1": "是", "false": "否", "0": "否"}


def _cell(value: Term | None, names: Mapping[str, str], said: Mapping[str, str]) -> str:
    """One value as text for people: an IRI by its label (else its CURIE), a boolean in words of ``said``."""
    if isinstance(value, ox.NamedNode):
        return names.get(value.value) or curie(value.value)
    if said and isinstance(value, ox.Literal) and value.datatype.value == XSD.boolean:
        return said.get(value.value, value.value)
    return str_value(value)


def write_table(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """A table for the terminal, streamed: column widths from the first rows, fitted to ``options.width``."""
    if result.kind == "ask":
        chinese = is_chinese(options.lang)
        out.write((("是" if chinese else "yes") if result.boolean else ("否" if chinese else "no")).encode() + b"\n")
        return
    if result.heading:
        out.write(result.heading.encode())
    headers, rows = _headers_and_rows(result, options)
    table = Table(headers, width=options.width, layout=options.layout, lang=options.lang)
    for line in table.lines(_cells(rows, options.labels, options.lang)):
        out.write(line.encode() + b"\n")


def write_markdown(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """A SELECT result as a Markdown (GitHub) table; ``|`` escaped, line breaks as spaces.

    >>> print(Result.select(["a", "b"], [(ox.Literal("x|y"), None)]).serialize("markdown"), end="")
    | a | b |
    | --- | --- |
    | x\\|y |  |
    """
    _need_rows(result, "markdown")

    def line(values: Iterable[str]) -> bytes:
        cells = [" ".join(v.split("\n")).replace("\\", "\\\\").replace("|", "\\|") for v in values]
        return ("| " + " | ".join(cells) + " |\n").encode()

    headers, rows = _headers_and_rows(result, options)
    out.write(line(headers) + ("| " + " | ".join("---" for _ in headers) + " |\n").encode())
    for cells in _cells(rows, options.labels, options.lang):
        out.write(line(cells))


#: The one style of the HTML table (inline: the page stands alone); kg serve's policy lets it apply by its hash.
TABLE_STYLE = "table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px;vertical-align:top}"


def write_html(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """A SELECT result as a standalone UTF-8 HTML page holding one table; every text escaped.

    >>> "<td>&lt;script&gt;</td>" in Result.select(["a"], [(ox.Literal("<script>"),)]).serialize("html")
    True
    """
    _need_rows(result, "html")

    headers, rows = _headers_and_rows(result, options)
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    out.write(
        (
            f'<!DOCTYPE html>\n<html lang="{esc(options.lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(result.title)}</title>\n"
            f"<style>{TABLE_STYLE}</style>"
            f"\n</head>\n<body>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        ).encode()
    )
    for cells in _cells(rows, options.labels, options.lang):
        out.write(("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>\n").encode())
    out.write(b"</tbody>\n</table>\n</body>\n</html>\n")


# --- Excel ----------------------------------------------------------------------------------------------------------


def write_xlsx(result: Result, out: IO[bytes], options: WriteOptions) -> None:
    """A SELECT result as an Excel workbook, streamed (see :mod:`kg.xlsx`): one column per variable (both languages'
    labels side by side), numbers as numbers, dates as dates, IRIs as hyperlinks shown as CURIEs."""
    _need_rows(result, "xlsx")
    from .xlsx import write_workbook  # late: importing kg.xlsx costs ~17 ms

    chinese = is_chinese(options.lang)
    headings = _titled(result.vars, result.titles) if chinese else result.vars
    write_workbook(out, headings, result.stream(), sheet_name="工作表" if chinese else "Sheet")


def _titled(names: Sequence[str], titles: Mapping[str, str]) -> list[str]:
    """Variables by their Chinese titles, one column each: a name's language said after its node's title.

    >>> _titled(["event", "event_en", "event_zh", "fine_yuan", "other"], {"event": "事件", "fine_yuan": "罚款（元）"})
    ['事件', '事件（英文）', '事件（中文）', '罚款（元）', 'other']
    """
    english, chinese = _BOTH_TITLES["zh-Hans"]
    out = []
    for name in names:
        base = _SUFFIX.sub("", name)
        if name in titles or base == name:
            out.append(titles.get(name, name))
        else:
            out.append((english if name.endswith("_en") else chinese).format(titles.get(base, base)))
    return out


# --- Graph formats ----------------------------------------------------------------------------------------------------

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_RDF_TAGS = {"turtle": "terms", "nt": "terms", "nq": "terms", "trig": "terms", "jsonld": "jsonld", "rdfxml": "rdfxml"}


def _rdf_writer(name: str) -> Callable[[Result, IO[bytes], WriteOptions], None]:
    fmt = RDF_FORMATS[name]

    def write(result: Result, out: IO[bytes], options: WriteOptions) -> None:
        triples: Iterable[Any] = result.native() or result.stream()
        if fmt.supports_datasets:  # triples go into the default graph; quads (a dataset's) keep their graphs
            triples = (
                t if isinstance(t, ox.Quad) else ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                for t in triples
            )
        prefixes = PREFIXES if name in ("turtle", "trig") else None

        def serialize(stream: IO[bytes]) -> None:
            ox.serialize(triples, stream, fmt, prefixes=prefixes)

        with _engine_reading():
            _retagged(out, _RDF_TAGS[name], serialize)

    write.__doc__ = f"The graph as {fmt.name}, streamed by the engine."
    return write


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _writer(name: str, media: str, endings: str, kinds: str, write: Any, description: str) -> Writer:
    return Writer(name, media, tuple(endings.split()), frozenset(kinds.split()), write, description)


#: Every output format kg writes, in the order ``--format`` lists them.
WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        _writer("table", "text/plain", ".txt", "select ask graph", write_table, "aligned columns, labels shown"),
        _writer("json", "application/sparql-results+json", ".json .srj", "select ask", write_json, "W3C JSON"),
        _writer("xml", "application/sparql-results+xml", ".xml .srx", "select ask", write_xml, "W3C XML"),
        _writer("csv", "text/csv", ".csv", "select", write_csv, "W3C CSV"),
        _writer("tsv", "text/tab-separated-values", ".tsv", "select", write_tsv, "W3C TSV"),
        _writer("markdown", "text/markdown", ".md", "select", write_markdown, "a Markdown table"),
        _writer("html", "text/html", ".html .htm", "select", write_html, "an HTML page with a table"),
        _writer("xlsx", XLSX, ".xlsx", "select", write_xlsx, "an Excel workbook"),
        _writer("turtle", "text/turtle", ".ttl", "graph", _rdf_writer("turtle"), "Turtle"),
        _writer("nt", "application/n-triples", ".nt", "graph", _rdf_writer("nt"), "N-Triples"),
        _writer("nq", "application/n-quads", ".nq", "graph dataset", _rdf_writer("nq"), "N-Quads"),
        _writer("trig", "application/trig", ".trig", "graph dataset", _rdf_writer("trig"), "TriG"),
        _writer("jsonld", "application/ld+json", ".jsonld", "graph", _rdf_writer("jsonld"), "JSON-LD"),
        _writer("rdfxml", "application/rdf+xml", ".rdf .owl", "graph", _rdf_writer("rdfxml"), "RDF/XML"),
    )
}
