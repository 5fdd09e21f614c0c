"""Writing ``exports/``: the graph in the formats other tools read, and its HTML views, byte for byte reproducible.

Every file is a function of the graph alone: statements are sorted, nodes and attributes come in IRI order, no file
holds a date or a random number, and small HTML views leave the layout to vis-network's seeded physics. Running
``kg export`` twice, or on another checkout, gives the same bytes.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from . import jsonld
from .files import make_folder, write_atomically
from .network import WHOLE_GRAPH, from_store, neighbourhood
from .ontodoc import write_ontology_page
from .render import write_html
from .stores import GraphStore
from .vocab import PREFIXES, SCE, curie, written_tag

#: The file name stem of the exported graph.
STEM = "sce"

#: The RDF serialisations written, by file ending.
RDF_EXPORTS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
}
#: The dataset serialisations written, by file ending: every named graph keeps its name.
DATASET_EXPORTS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}


def sorted_triples(store: GraphStore) -> list[ox.Triple]:
    """Every distinct statement of ``store`` in a fixed order, blank nodes named canonically (rdflib's RGDA1), so
    that the same graph always gives the same text whatever names its parser gave the blank nodes."""
    triples = list(store.triples())
    if any(isinstance(term, ox.BlankNode) for t in triples for term in (t.subject, t.object)):
        triples = _canonical(triples)
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    """``triples`` with their blank nodes renamed by rdflib's canonical labelling."""
    import rdflib  # late: importing rdflib costs ~128 ms
    from rdflib.compare import to_canonical_graph  # late: importing rdflib.compare costs ~241 ms

    graph = rdflib.Graph()
    graph.parse(data=(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"), format="nt")
    text = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8")
    return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def sorted_quads(store: GraphStore) -> list[ox.Quad]:
    """Every statement of ``store`` with its graph, in a fixed order (graph, subject, predicate, object), blank nodes
    named canonically as in :func:`sorted_triples`."""
    quads = list(store.quads())
    if any(isinstance(term, ox.BlankNode) for q in quads for term in (q.subject, q.object)):
        quads = _canonical_quads(quads)
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


#: The predicate that carries a quad's graph through rdflib's canonical labelling, which works on graphs only.
_IN_GRAPH = "urn:kg:in-graph:"


def _canonical_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with their blank nodes renamed by rdflib's canonical labelling: each quad becomes a triple whose
    predicate also names its graph (``urn:kg:in-graph:``, the graph's IRI percent-encoded, ``/``, the predicate), so
    that the labelling sees the graphs.

    >>> q = ox.Quad(ox.BlankNode("x"), ox.NamedNode("urn:p"), ox.Literal("v"), ox.NamedNode("urn:g"))
    >>> _canonical_quads([q])[0].graph_name, _canonical_quads([q])[0].predicate
    (<NamedNode value=urn:g>, <NamedNode value=urn:p>)
    """
    encoded = [
        ox.Triple(q.subject, ox.NamedNode(f"{_IN_GRAPH}{_graph_text(q.graph_name)}/{q.predicate.value}"), q.object)
        for q in quads
    ]
    return [_decoded(t) for t in _canonical(encoded)]


def _graph_text(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    return urllib.parse.quote(graph.value, safe="") if isinstance(graph, ox.NamedNode) else ""


def _decoded(triple: ox.Triple) -> ox.Quad:
    graph, _, predicate = triple.predicate.value.removeprefix(_IN_GRAPH).partition("/")
    name = ox.NamedNode(urllib.parse.unquote(graph)) if graph else ox.DefaultGraph()
    return ox.Quad(triple.subject, ox.NamedNode(predicate), triple.object, name)


def write_dataset(store: GraphStore, folder: Path) -> list[Path]:
    """The dataset, every named graph with its name (the ontology, the seed, the curation notes, the source records
    and each source's facts), as TriG and N-Quads."""
    quads = sorted_quads(store)
    written = []
    for ending, fmt in DATASET_EXPORTS.items():
        prefixes = PREFIXES if fmt == ox.RdfFormat.TRIG else None
        data = ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
        text = tags_as_written(data.decode("utf-8"), fmt)
        written.append(_write_bytes(folder / f"{STEM}{ending}", text.encode("utf-8")))
    return written


def write_rdf(store: GraphStore, folder: Path) -> list[Path]:
    """The whole graph (ontology and knowledge) as Turtle, N-Triples, RDF/XML and compact JSON-LD, and the JSON-LD
    context on its own."""
    triples = sorted_triples(store)
    written = []
    for ending, fmt in RDF_EXPORTS.items():
        prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else PREFIXES
        data = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        text = tags_as_written(data.decode("utf-8"), fmt)
        written.append(_write_bytes(folder / f"{STEM}{ending}", text.encode("utf-8")))
    written.append(_write_bytes(folder / f"{STEM}.jsonld", jsonld.compact(triples)))
    written.append(_write_bytes(folder / jsonld.CONTEXT_PATH, jsonld.context_document()))
    return written


# Tokens that may hold a language tag, each alternative consuming a whole string so that no match starts inside one.
_TURTLE_STRING = re.compile(r'("""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*")(@[A-Za-z0-9-]+)?')
_JSON_STRING = re.compile(r'("@language"\s*:\s*)"([A-Za-z0-9-]*)"|"(?:[^"\\]|\\.)*"')
_XML_TAG = re.compile(r"<[^<>]*>")
_XML_LANG = re.compile(r'(\sxml:lang=)"([A-Za-z0-9-]*)"')


def _json_language(match: re.Match[str]) -> str:
    return f'{match.group(1)}"{written_tag(match.group(2))}"' if match.group(1) else match.group(0)


def _xml_lang(match: re.Match[str]) -> str:
    return f'{match.group(1)}"{written_tag(match.group(2))}"'


def tags_as_written(text: str, fmt: ox.RdfFormat) -> str:
    r"""``text`` in ``fmt`` with every language tag as the sources write it (``zh-Hans``), where pyoxigraph's writer
    gave it in lower case. Only tags are touched: the values of literals stay as they are.

    >>> tags_as_written('<a> <b> "x\\"@zh-hans"@zh-hans .', ox.RdfFormat.N_TRIPLES)
    '<a> <b> "x\\"@zh-hans"@zh-Hans .'
    """
    if fmt == ox.RdfFormat.JSON_LD:
        return _JSON_STRING.sub(_json_language, text)
    if fmt == ox.RdfFormat.RDF_XML:
        return _XML_TAG.sub(lambda m: _XML_LANG.sub(_xml_lang, m.group(0)), text)
    return _TURTLE_STRING.sub(lambda m: m.group(1) + ("@" + written_tag(m.group(2)[1:]) if m.group(2) else ""), text)


def graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes GraphML can hold: lists joined into text, a ``label`` for Gephi and yEd.

    Each edge gets an id of its own (``e0``, ``e1`` … in the graph's sorted order): Gephi's importer skips an edge
    whose id it has seen, so the predicate, which many edges share, goes into the ``predicate`` attribute instead.
    """
    flat = nx.MultiDiGraph()
    for key, data in graph.nodes(data=True):
        flat.add_node(key, **_flat_node(data))
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        flat.add_edge(source, target, key=f"e{index}", label=data["label_en"], **_text(data))
    return flat


def _flat_node(data: dict[str, Any]) -> dict[str, str]:
    """One node's attributes as text: labels and classes as named attributes, lists joined by `` | ``."""
    out = {"label": data["label_en"], "class_curie": curie(data["class"]) if data["class"] else ""}
    out.update(_text({k: v for k, v in data.items() if k not in ("literals", "links")}))
    out["types"] = " | ".join(curie(t) for t in data["types"])
    return out


def _text(data: dict[str, Any]) -> dict[str, str]:
    """Attributes as strings; lists joined by `` | ``."""
    return {k: " | ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in sorted(data.items())}


def write_graphml(graph: nx.MultiDiGraph, folder: Path) -> Path:
    """The network view as GraphML, for Gephi and yEd."""
    target = folder / f"{STEM}.graphml"
    lines = nx.generate_graphml(graphml_graph(graph), encoding="utf-8", prettyprint=True)
    return _write_bytes(target, ("\n".join(lines) + "\n").encode("utf-8"))


def model_pages(store: GraphStore, graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """One HTML page per model: the model, everything one link away, and the links among them."""
    models = sorted(n for n, d in graph.nodes(data=True) if SCE.SocialCommerceModel in d["types"])
    written = []
    for model in models:
        data = graph.nodes[model]
        title = f"{data['label_en']} · {data['label_zh']} — neighbourhood"
        query = f"The neighbourhood of {data['curie']}: every node one link away, either direction, of\n{WHOLE_GRAPH}"
        name = f"model-{model.rsplit('/', 1)[-1]}.html"
        written.append(write_html(neighbourhood(graph, model), folder / name, title=title, query=query))
    return written


def export(store: GraphStore, folder: str | Path, *, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every export of ``store`` into ``folder`` (created when missing); return the files written, sorted.

    The files: the graph as ``sce.ttl``, ``sce.nt``, ``sce.jsonld`` (compact, with ``context.jsonld``), ``sce.rdf``
    (RDF/XML); the dataset with its named graphs as ``sce.trig`` and ``sce.nq``; ``sce.graphml``; the
    whole graph as ``sce.html``; ``model-*.html``, one per model; ``ontology.html``, the ontology documented.
    """
    say = progress or (lambda _: None)
    target = make_folder(folder)
    say("RDF serialisations")
    written = write_rdf(store, target)
    say("the dataset with its graphs")
    written += write_dataset(store, target)
    graph = from_store(store)
    say("GraphML")
    written.append(write_graphml(graph, target))
    say("HTML of the whole graph")
    written.append(write_html(graph, target / f"{STEM}.html", query=WHOLE_GRAPH.strip(), overview=True))
    say("HTML per model")
    written += model_pages(store, graph, target)
    say("the ontology page")
    written.append(write_ontology_page(store, target / "ontology.html"))
    return sorted(written)


def _write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so that no half-written file is left."""
    return write_atomically(path, data)
