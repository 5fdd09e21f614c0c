r"""The result of a query, and the writers that turn it into text.

A SELECT gives rows, an ASK a boolean, a CONSTRUCT or DESCRIBE a graph. SELECT and ASK results are written in the W3C
SPARQL 1.1 result formats (``json``, ``xml``, ``csv``, ``tsv``) or as a terminal ``table``; graphs in ``turtle``,
``nt``, ``nq``, ``trig``, ``jsonld`` or ``rdfxml``. Terms stay pyoxigraph terms; they become rdflib terms only when a
caller asks (``.graph``, ``.to_dataframe()``).

>>> import pyoxigraph as ox
>>> r = Result.select(["name"], [(ox.Literal("快手", language="zh-Hans"),)])
>>> r.serialize("csv")
'name\r\n快手\r\n'
>>> r.vars, len(r)
(['name'], 1)
"""

from __future__ import annotations

import csv
import html
import io
import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from .errors import KGError
from .vocab import PREFIXES, RDF, XSD, curie

if TYPE_CHECKING:
    import pandas
    import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

TABULAR_FORMATS = ("table", "json", "csv", "tsv", "xml")
GRAPH_FORMATS = ("turtle", "nt", "nq", "trig", "jsonld", "rdfxml", "table")
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: Media types of every format, for HTTP and for guessing a format from a file name.
EXTENSIONS = {
    ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml", ".csv": "csv", ".tsv": "tsv",
    ".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld", ".rdf": "rdfxml",
}  # fmt: skip

Labeller = Callable[[Sequence[str]], Mapping[str, str]]


@dataclass
class Result:
    """What a query gives back.

    Attributes:
        kind: "select", "ask" or "graph".
        vars: the SELECT variables, in order (empty otherwise).
        rows: the SELECT solutions, one tuple per row, None where a variable is unbound.
        boolean: the ASK answer (None otherwise).
        triples: the CONSTRUCT or DESCRIBE triples.
    """

    kind: Literal["select", "ask", "graph"]
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def select(cls, names: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> Result:
        """A SELECT result from variable names and rows."""
        return cls("select", vars=list(names), rows=[tuple(r) for r in rows])

    @classmethod
    def from_oxigraph(cls, raw: Any) -> Result:
        """Materialise what ``pyoxigraph.Store.query`` returned."""
        if isinstance(raw, ox.QuerySolutions):
            names = [v.value for v in raw.variables]
            return cls("select", vars=names, rows=[tuple(s) for s in raw])
        if isinstance(raw, ox.QueryBoolean):
            return cls("ask", boolean=bool(raw))
        return cls("graph", triples=list(raw))

    def __iter__(self) -> Iterator[Any]:
        """Rows of a SELECT as tuples, triples of a graph, the one boolean of an ASK."""
        if self.kind == "select":
            return iter(self.rows)
        if self.kind == "graph":
            return iter(self.triples)
        return iter([self.boolean])

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

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
        import rdflib

        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        graph.parse(data=_serialize(self.triples, ox.RdfFormat.N_TRIPLES), format="nt")
        return graph

    def serialize(self, format: str | None = None, *, labels: Labeller | None = None) -> str:
        """The result as text in ``format`` (by default json for rows and booleans, turtle for graphs).

        Args:
            format: one of TABULAR_FORMATS for SELECT and ASK, GRAPH_FORMATS for graphs.
            labels: for ``table``, a function from IRIs to their labels, shown instead of the IRIs.

        Raises:
            KGError: the format does not fit this kind of result.
        """
        fmt = format or ("turtle" if self.kind == "graph" else "json")
        writers = GRAPH_WRITERS if self.kind == "graph" else TABULAR_WRITERS
        if fmt not in writers:
            kinds = "CONSTRUCT and DESCRIBE" if self.kind == "graph" else "SELECT and ASK"
            raise KGError(
                f"format {fmt!r} does not fit a {self.kind.upper()} result; {kinds} take: {', '.join(writers)}"
            )
        return writers[fmt](self, labels)

    def to_dataframe(self) -> pandas.DataFrame:
        """SELECT rows as a pandas DataFrame of Python values (IRIs as strings, literals as their values).

        Raises:
            KGError: pandas is not installed (``pip install 'kg[pandas]'``).
        """
        try:
            import pandas
        except ImportError:
            raise KGError("to_dataframe needs pandas: pip install 'kg[pandas]'") from None
        if self.kind == "graph":
            rows = [(str_value(t.subject), str_value(t.predicate), python_value(t.object)) for t in self.triples]
            return pandas.DataFrame(rows, columns=["subject", "predicate", "object"])
        if self.kind == "ask":
            return pandas.DataFrame({"boolean": [self.boolean]})
        return pandas.DataFrame([[python_value(v) for v in row] for row in self.rows], columns=self.vars)


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


# --- W3C SPARQL 1.1 result formats ----------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape ``text`` for XML character data."""
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return '"' + html.escape(text, quote=True) + '"'


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD.string:
            out["datatype"] = term.datatype.value
        return out
    raise KGError("RDF-star triple terms cannot be written in this format")


def write_json(result: Result, _: Labeller | None = None) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {n: _json_term(v) for n, v in zip(result.vars, row, strict=True) if v is not None} for row in result.rows
        ]
        doc = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD.string:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(term.value)}</literal>"
    raise KGError("RDF-star triple terms cannot be written in this format")


def write_xml(result: Result, _: Labeller | None = None) -> str:
    """SPARQL Query Results XML."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(n)}/>" for n in result.vars]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            lines.append("    <result>")
            for name, value in zip(result.vars, row, strict=True):
                if value is not None:
                    lines.append(f"      <binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _need_rows(result: Result, fmt: str) -> None:
    if result.kind == "ask":
        raise KGError(f"the {fmt.upper()} result format has no form for an ASK answer; use json or xml")


def write_csv(result: Result, _: Labeller | None = None) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    _need_rows(result, "csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.vars)
    writer.writerows([str_value(v) for v in row] for row in result.rows)
    return out.getvalue()


def write_tsv(result: Result, _: Labeller | None = None) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax, tabs and newlines escaped."""
    _need_rows(result, "tsv")
    lines = ["\t".join("?" + n for n in result.vars)]
    lines += ["\t".join(_tsv_term(v) for v in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")


# --- Terminal table -------------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns; Chinese characters count as two columns wide.

    >>> print(format_table(["model", "模式"], [["content", "内容型"]]))
    model    模式
    -------  ------
    content  内容型
    """
    cells = [[c.replace("\n", " ") for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _table_value(term: Term | None, labels: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return labels.get(term.value) or curie(term.value)
    return str_value(term)


def write_table(result: Result, labels: Labeller | None = None) -> str:
    """A terminal table; IRIs shown by their labels when ``labels`` is given, else as CURIEs."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    if result.kind == "graph":
        headers = ["subject", "predicate", "object"]
        rows: list[tuple[Term | None, ...]] = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        headers, rows = result.vars, result.rows
    iris = sorted({v.value for row in rows for v in row if isinstance(v, ox.NamedNode)})
    names = labels(iris) if labels else {}
    body = [[_table_value(v, names) for v in row] for row in rows]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return format_table(headers, body) + "\n" + count + "\n"


# --- Graph formats ----------------------------------------------------------------------------------------------------


def _serialize(statements: Sequence[Any], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> str:
    data = ox.serialize(statements, format=fmt, prefixes=prefixes)
    return data.decode("utf-8") if data is not None else ""


def _rdf_writer(fmt: str) -> Callable[[Result, Labeller | None], str]:
    def write(result: Result, _: Labeller | None = None) -> str:
        prefixes = PREFIXES if fmt in ("turtle", "trig") else None
        triples: list[Any] = result.triples
        if RDF_FORMATS[fmt].supports_datasets:
            triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result.triples]
        return _serialize(triples, RDF_FORMATS[fmt], prefixes)

    write.__doc__ = f"The graph as {fmt}."
    return write


TABULAR_WRITERS: dict[str, Callable[[Result, Labeller | None], str]] = {
    "table": write_table,
    "json": write_json,
    "csv": write_csv,
    "tsv": write_tsv,
    "xml": write_xml,
}
GRAPH_WRITERS: dict[str, Callable[[Result, Labeller | None], str]] = {
    **{name: _rdf_writer(name) for name in RDF_FORMATS},
    "table": write_table,
}

_ = RDF  # the rdf: namespace is part of PREFIXES; kept imported for writers that test datatypes
