"""RDF files: telling their format from their names, reading them whole or as a stream, and one-line errors.

>>> rdf_format("products.nt") == ox.RdfFormat.N_TRIPLES
True
>>> graph_name("/data/shops.ttl")
'file:///data/shops.ttl'
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError, KGError, from_syntax_error
from ..vocab import BUILTIN_FILES, is_own_graph, ontology_dir
from .base import Progress

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
    """Check that an RDF/XML file is well-formed XML (pyoxigraph accepts a document cut short), and that its entities
    do not swell it past what expat allows (a few hundred bytes asking for a 100 MB literal).

    Raises:
        InputError: it is not, with line and column.
    """
    with reading_errors(path), open(path, "rb") as handle:
        _check_well_formed(lambda parser: parser.ParseFile(handle), source=str(path))


def check_xml_data(data: bytes, *, source: str) -> None:
    """:func:`check_xml` for RDF/XML in hand (a request's body).

    >>> check_xml_data(b"<a><b></a>", source="body")
    Traceback (most recent call last):
    kg.errors.InputError: body:1:9: not well-formed XML: mismatched tag
    """
    _check_well_formed(lambda parser: parser.Parse(data, True), source=source)


def _check_well_formed(read: Callable[[Any], object], *, source: str) -> None:
    import xml.parsers.expat  # late: kept off kg's start-up (~1-2 ms)

    parser = xml.parsers.expat.ParserCreate()
    try:
        read(parser)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.errors.messages[error.code] if error.code else str(error)
        raise InputError(
            f"not well-formed XML: {message}", source=source, line=error.lineno, column=error.offset + 1
        ) from None


def parse_data(data: bytes, fmt: ox.RdfFormat, *, source: str, base_iri: str | None = None) -> list[ox.Quad]:
    """Every statement of ``data`` (RDF in hand, such as a request's body), read as ``kg load`` reads a file: RDF 1.2
    included, RDF/XML checked first. Its blank nodes are new ones, whatever their labels, so that they cannot meet
    the blank nodes of a store they go into.

    Raises:
        InputError: a syntax error, at the line and column of ``data`` itself.

    >>> body = '<a> <b> "快手"@zh-Hans, <<( <a> <b> <c> )>> .'.encode()
    >>> [str(q.object) for q in parse_data(body, ox.RdfFormat.TURTLE, source="body", base_iri="http://x/")]
    ['"快手"@zh-hans', '<http://x/a> <http://x/b> <http://x/c>']
    >>> parse_data(b"<a> <b> <c> .\\n<a> <b> .", ox.RdfFormat.TURTLE, source="body", base_iri="http://x/")
    Traceback (most recent call last):
    kg.errors.InputError: body:2:9: . is not a valid RDF object
    """
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml_data(data, source=source)
    with reading_errors(source):
        return list(ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True))


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
    except MemoryError:
        raise InputError("a line or a term longer than the parser takes (16 MB)", source=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(" ".join(str(error).split())[:200], source=str(path)) from None


class CountingReader(io.RawIOBase):
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
def source_arguments(path: str | Path, fmt: ox.RdfFormat, progress: Progress | None) -> Iterator[dict[str, Any]]:
    """The keyword arguments that make pyoxigraph read ``path``: by path, or through a counting reader."""
    common = {"format": fmt, "base_iri": Path(path).resolve().as_uri()}
    if progress is None:
        yield {"path": str(path), **common}
        return
    with open(path, "rb") as raw:
        yield {"input": CountingReader(raw, progress), **common}


def check_user_graph(iri: str, *, source: str) -> None:
    """Refuse to let a user's data go into one of kg's own graphs, so that what the seed says stays what it says.

    Raises:
        KGError: ``iri`` is one of kg's own graphs.
    """
    if is_own_graph(iri):
        raise KGError(f"{source}: <{iri}> is one of kg's own graphs; load your data into a graph of yours")


def graph_node(iri: str) -> ox.NamedNode:
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


@functools.cache
@cache
def builtin_quads() -> tuple[ox.Quad, ...]:
    """Every statement of the built-in graph in its named graph: each file's default graph goes into the graph
    ``BUILTIN_FILES`` names, and the sources file keeps its own graphs (one per public source).

    Only kg's own files are read this way; a user's file that names one of kg's graphs is refused.
    """
    folder = ontology_dir()
    return tuple(q for name, graph in BUILTIN_FILES.items() for q in parse_file(folder / name, graph=graph))


@cache
def builtin_graphs() -> tuple[str, ...]:
    """The names of the built-in graphs, in the order their files list them.

    >>> builtin_graphs()[:2]
    ('https://w3id.org/sce/graph/ontology', 'https://w3id.org/sce/graph/seed')
    """
    return tuple(dict.fromkeys(q.graph_name.value for q in builtin_quads() if isinstance(q.graph_name, ox.NamedNode)))
