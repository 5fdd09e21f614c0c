"""Namespaces, graph names and the vocabulary terms the code refers to.

Every IRI the package uses is spelled here once; other modules import these constants. The module imports nothing
heavy, so that the command line starts fast.

>>> SCE.hasForm
'https://w3id.org/sce/ontology#hasForm'
>>> curie("https://w3id.org/sce/id/kuaishou")
'id:kuaishou'
>>> expand("sce:targets")
'https://w3id.org/sce/ontology#targets'
>>> written_tag("zh-hans")
'zh-Hans'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


class Namespace(str):
    """An IRI prefix whose attributes are the IRIs under it, as plain strings."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def term(self, name: str) -> str:
        """The IRI of ``name`` in this namespace (for names that are not Python identifiers)."""
        return str(self) + name


#: What every IRI the project mints starts with; ``kg serve`` answers the rest as a path of its own.
BASE = "https://w3id.org/sce/"
SCE = Namespace("https://w3id.org/sce/ontology#")
ID = Namespace("https://w3id.org/sce/id/")
GRAPH = Namespace("https://w3id.org/sce/graph/")
SHAPE = Namespace("https://w3id.org/sce/shapes#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
#: The SPARQL service description, VoID and its extension for datatypes, and the W3C's names of formats: what
#: ``kg serve`` says of itself (kg.void).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
VOID_EXT = Namespace("http://ldf.fi/void-ext#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: The SIB's terms for SPARQL examples (kg.examples).
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")

ONTOLOGY_IRI = "https://w3id.org/sce/ontology"

#: Prefixes known everywhere: in queries, CURIEs typed by users, and serialisations.
PREFIXES: dict[str, str] = {
    "sce": str(SCE),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "dct": str(DCT),
    "prov": str(PROV),
    "sh": str(SH),
    "vann": str(VANN),
}

#: Properties whose values name a node, most preferred first.
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)

#: The built-in graph: each hand-edited file and the named graph its default graph is loaded into. The sources file
#: also names one graph per public source (under ``SOURCE_GRAPHS``), each described in its default graph.
BUILTIN_FILES: dict[str, str] = {
    "sce.ttl": GRAPH.ontology,
    "seed.ttl": GRAPH.seed,
    "curation.ttl": GRAPH.curation,
    "sources.trig": GRAPH.sources,
}
#: Where the built-in sources file keeps each source's facts: ``SOURCE_GRAPHS + key``.
SOURCE_GRAPHS = GRAPH.term("source/")
SHAPES_FILE = "shapes.ttl"


@cache
def _project_dir(name: str) -> Path:
    """The folder ``name`` (``ontology`` or ``queries``) of a checkout, or its copy inside an installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation of kg")


def ontology_dir() -> Path:
    """The folder holding the built-in Turtle files and the shapes."""
    return _project_dir("ontology")


def queries_dir() -> Path:
    """The folder holding the named queries."""
    return _project_dir("queries")


def curie(iri: str) -> str:
    """Shorten ``iri`` with the known prefixes; return it unchanged when none fits."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if not best:
        return iri
    local = iri[len(PREFIXES[best]) :]
    return f"{best}:{local}" if _is_local_name(local) else iri


def _is_local_name(local: str) -> bool:
    return bool(local) and all(c.isalnum() or c in "-_." for c in local) and not local.endswith(".")


def expand(name: str) -> str | None:
    """The IRI of the CURIE ``name`` (``prefix:local``) when its prefix is known, else None."""
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    return PREFIXES[prefix] + local


def written_tag(tag: str) -> str:
    """A language tag in the case BCP 47 recommends and our sources use: the engine keeps tags in lower case.

    The language in lower case, a script (four letters) in title case, a region (two letters) in upper case; the
    rest (variants, extensions, private use) in lower case.

    >>> written_tag("zh-hans"), written_tag("EN-us"), written_tag("zh-hant-tw"), written_tag("x-kg")
    ('zh-Hans', 'en-US', 'zh-Hant-TW', 'x-kg')
    """
    parts = tag.lower().split("-")
    for i, part in enumerate(parts[1:], start=1):
        if len(parts[i - 1]) == 1:  # after a singleton (x-, u-, …) the subtags are not scripts or regions
            break
        if len(part) == 4 and part.isalpha():
            parts[i] = part.title()
        elif len(part) == 2 and part.isalpha():
            parts[i] = part.upper()
    return "-".join(parts)


#: kg's own graphs: the built-in graph, the sourced facts and the journal. A user's file may not write into them.
OWN_GRAPHS = str(GRAPH)


def is_own_graph(iri: str) -> bool:
    """Whether ``iri`` names one of kg's own graphs (under ``https://w3id.org/sce/graph/``).

    >>> is_own_graph("https://w3id.org/sce/graph/seed"), is_own_graph("file:///data/shops.ttl")
    (True, False)
    """
    return iri.startswith(OWN_GRAPHS)
