"""Search: every name of every node, in both languages, ranked exact > prefix > contains > closest.

A node is found by its English or Chinese label, any alternative label (the seed's own wording among them) or the
seed's words about it. Each node comes back once, under its best match, with its class and the models it belongs to,
so that a reader can tell Kuaishou the enterprise from a form of the same name.

>>> from kg.stores import open_store
>>> store = open_store()
>>> [(hit.curie, hit.match) for hit in search(store, "拼多")][:1]
[('id:pinduoduo', 'prefix')]
>>> [hit.curie for hit in search(store, "Aauto Faster")]
['id:kuaishou']
>>> suggestions(store, "拼多", lang="zh-Hans")[0]["label"]
'拼多多'
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from .errors import KGError
from .lang import is_chinese
from .names import normalise, pick
from .results import Result
from .stores import GraphStore
from .vocab import LABEL_PROPERTIES, OWL, PROV, RDFS, SCE, SCHEMA, SKOS, curie

#: The kinds of match, best first; a node's rank is the index of its best.
MATCHES = ("exact", "prefix", "contains", "closest")
#: The kinds of match as a reader of each language sees them.
MATCH_WORDS = {"en": MATCHES, "zh-Hans": ("完全一致", "开头一致", "包含", "相近")}
#: The most a search answers unless told otherwise.
LIMIT = 20
#: The longest text a search takes: longer text names nothing and would only cost time.
MAX_TEXT = 200
#: How alike a name must be to count as closest (difflib's ratio).
CUTOFF = 0.6

NAMES = """
SELECT ?node ?property ?name WHERE {{
    VALUES ?property {{ {properties} }}
    ?node ?property ?name FILTER (isIRI(?node) && isLiteral(?name))
}}
"""
CLASSES = "SELECT ?node ?class WHERE { ?node a ?class FILTER (isIRI(?node) && isIRI(?class)) }"
MODELS = """
SELECT DISTINCT ?node ?model WHERE {
    ?model a sce:SocialCommerceModel .
    { ?model ?link ?node } UNION { ?node ?link ?model }
    FILTER (isIRI(?node) && ?link != rdf:type)
}
"""
#: Names of the standard vocabularies' classes that the graph uses without labelling them.
STANDARD_CLASSES: dict[str, tuple[str, str]] = {
    PROV.Entity: ("source document", "来源文献"),
    SCHEMA.CreativeWork: ("creative work", "作品"),
    SCHEMA.GovernmentOrganization: ("government organisation", "政府机构"),
    OWL.Class: ("class", "类"),
    OWL.ObjectProperty: ("object property", "对象属性"),
    OWL.DatatypeProperty: ("datatype property", "数据属性"),
    OWL.AnnotationProperty: ("annotation property", "注释属性"),
    OWL.FunctionalProperty: ("functional property", "函数型属性"),
    SKOS.Concept: ("concept", "概念"),
    SKOS.ConceptScheme: ("concept scheme", "概念体系"),
}
#: Classes that say nothing to a reader about what a node is.
BARE_CLASSES = frozenset({OWL.NamedIndividual, RDFS.Resource, OWL.Thing})


@dataclass
class Entry:
    """One node as search knows it: its labels, every name it answers to (normalised), its class and models."""

    iri: str
    labels: list[tuple[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    models: set[str] = field(default_factory=set)

    def label(self, lang: str) -> str:
        """The node's label in ``lang``, else in English, else its CURIE."""
        return pick(self.labels, lang) or pick(self.labels, "en") or curie(self.iri)

    @property
    def cls(self) -> str:
        """The class a reader is told: one of the ontology's own first, else any other but the bare ones."""
        ours = sorted(c for c in self.classes if c.startswith(str(SCE)))
        others = sorted(c for c in self.classes if c not in BARE_CLASSES)
        return (ours or others or [""])[0]


@dataclass(frozen=True)
class Hit:
    """One node found: its IRI, the name that matched (as written), how it matched, and its labels, class, models."""

    iri: str
    matched: str
    match: str
    label_en: str
    label_zh: str
    cls: str
    models: tuple[str, ...]

    @property
    def curie(self) -> str:
        return curie(self.iri)

    def label(self, lang: str) -> str:
        """The label a reader of ``lang`` sees."""
        return (self.label_zh if lang.lower().startswith("zh") else self.label_en) or self.label_en or self.label_zh


class Index:
    """Every name of a store's nodes, normalised, with the nodes that carry it: built once, asked many times."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self.names: dict[str, set[str]] = {}
        for entry in entries.values():
            for key in entry.names:
                self.names.setdefault(key, set()).add(entry.iri)
        self.keys = sorted(self.names)

    @classmethod
    def of(cls, store: GraphStore) -> Index:
        """The index of ``store``'s names, classes and models (three queries)."""
        entries: dict[str, Entry] = {}
        properties = " ".join(f"<{p}>" for p in (*LABEL_PROPERTIES, SCE.seedQuote))
        for row in store.query(NAMES.format(properties=properties)).stream():
            node, prop, name = row[0], row[1], row[2]
            if not isinstance(name, ox.Literal):
                continue
            entry = entries.setdefault(node.value, Entry(node.value))
            entry.names.setdefault(normalise(name.value), name.value)
            if prop.value == RDFS.label:
                entry.labels.append((name.value, name.language or ""))
        for row in store.query(CLASSES).stream():
            if row[0].value in entries:
                entries[row[0].value].classes.add(row[1].value)
        for row in store.query(MODELS).stream():
            if row[0].value in entries:
                entries[row[0].value].models.add(row[1].value)
        for entry in entries.values():
            if SCE.SocialCommerceModel in entry.classes:  # a model belongs to itself
                entry.models.add(entry.iri)
        return cls(entries)

    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` (a class's, a model's); a standard class by its name; else its CURIE.

        >>> from kg.stores import open_store
        >>> Index.of(open_store()).label(PROV.Entity, "zh-Hans")
        '来源文献'
        """
        entry = self.entries.get(iri)
        if entry is not None:
            return entry.label(lang)
        if iri in STANDARD_CLASSES:
            return STANDARD_CLASSES[iri][1 if lang.lower().startswith("zh") else 0]
        return curie(iri)

    def find(self, text: str, *, limit: int = LIMIT, closest: bool = True) -> list[Hit]:
        """The nodes ``text`` names, best first: exact, then prefix, then contains, then (with ``closest``) the
        closest names; within a kind, shorter names first, then by name.

        Raises:
            KGError: ``text`` is empty, or longer than :data:`MAX_TEXT` characters.
        """
        wanted = checked(text)
        best: dict[str, tuple[int, int, str, str]] = {}
        for key in self.keys:
            rank = _rank(key, wanted)
            if rank is not None:
                for iri in self.names[key]:
                    _keep(best, iri, (rank, len(key), key, iri))
        if closest and len(best) < limit:
            for key in difflib.get_close_matches(wanted, _near(self.keys, wanted), n=limit, cutoff=CUTOFF):
                for iri in self.names[key]:
                    _keep(best, iri, (3, len(key), key, iri))
        ranked = sorted(best.values())[:limit]
        return [self._hit(iri, key, rank) for rank, _, key, iri in ranked]

    def _hit(self, iri: str, key: str, rank: int) -> Hit:
        entry = self.entries[iri]
        return Hit(
            iri=iri,
            matched=entry.names[key],
            match=MATCHES[rank],
            label_en=entry.label("en"),
            label_zh=entry.label("zh-Hans"),
            cls=entry.cls,
            models=tuple(sorted(entry.models)),
        )


def _rank(key: str, wanted: str) -> int | None:
    """How the normalised name ``key`` matches ``wanted``: 0 exact, 1 prefix, 2 contains, None not at all.

    >>> _rank("拼多多", "拼多"), _rank("kuaishou", "kuaishou"), _rank("taobao live", "live"), _rank("a", "b")
    (1, 0, 2, None)
    """
    if wanted not in key:
        return None
    if key == wanted:
        return 0
    return 1 if key.startswith(wanted) else 2


def _near(keys: Iterable[str], wanted: str) -> list[str]:
    """The names that could be close to ``wanted`` at all: of a length that allows difflib's cutoff, sharing a
    character with it (difflib is slow; this keeps it to a few names).

    >>> _near(["kuaishou", "kuai", "a name far longer than the word", "xyz"], "kuaishuo")
    ['kuaishou', 'kuai']
    """
    letters = set(wanted)
    size = len(wanted)
    # ratio = 2M / (a + b) <= 2 min(a, b) / (a + b): below the cutoff when one length is far from the other
    low, high = size * CUTOFF / (2 - CUTOFF), size * (2 - CUTOFF) / CUTOFF
    return [key for key in keys if low <= len(key) <= high and not letters.isdisjoint(key)]


def _keep(best: dict[str, tuple[int, int, str, str]], iri: str, found: tuple[int, int, str, str]) -> None:
    if iri not in best or found < best[iri]:
        best[iri] = found


def checked(text: str) -> str:
    """``text`` normalised for searching.

    Raises:
        KGError: it is empty (or only spaces), or longer than :data:`MAX_TEXT` characters.

    >>> checked("  KuaiShou ")
    'kuaishou'
    """
    wanted = normalise(text)
    if not wanted:
        raise KGError("give some text to search for")
    if len(wanted) > MAX_TEXT:
        raise KGError(f"the text to search for is {len(wanted)} characters long; at most {MAX_TEXT} are taken")
    return wanted


#: Indexes kept per store (by identity and size, so that a store changed by a write is indexed again).
_KEPT: dict[int, tuple[int, Index]] = {}
Built = TypeVar("Built")


def size_of(store: GraphStore) -> int:
    """How many statements ``store`` holds, as cheaply as it can tell (the embedded engine counts its quads, journal
    included, in about a tenth of the time the store's own count takes): what tells a changed store."""
    engine = getattr(store, "engine", None)
    return len(engine) if engine is not None else len(store)


def index(store: GraphStore) -> Index:
    """The index of ``store``, built on first use and kept while the store keeps its size."""
    return kept(store, _KEPT, Index.of)


def kept(store: GraphStore, cache: dict[int, tuple[int, Built]], build: Callable[[GraphStore], Built]) -> Built:
    """What ``build`` makes of ``store``, kept in ``cache`` (a few stores at most) while the store keeps its size."""
    size = size_of(store)
    held = cache.get(id(store))
    if held is not None and held[0] == size:
        return held[1]
    built = build(store)
    if len(cache) >= 4:
        cache.clear()
    cache[id(store)] = (size, built)
    keep_out_of_collections()
    return built


def keep_out_of_collections() -> None:
    """Move what lives now (a new index among it) out of the garbage collector's walks: kg serve's workers collect
    after every job, and walking an index of 10,000 nodes cost them 100 ms a request. An index a changed store left
    behind then stays in memory; stores change seldom, by writes."""

    gc.freeze()


def search(store: GraphStore, text: str, *, limit: int = LIMIT, closest: bool = True) -> list[Hit]:
    """The nodes of ``store`` that ``text`` names, best first (see :meth:`Index.find`).

    Raises:
        KGError: ``text`` is empty or too long; ``limit`` is not positive.
    """
    if limit < 1:
        raise KGError(f"the limit is {limit}; give a positive number")
    return index(store).find(text, limit=limit, closest=closest)


def suggestions(store: GraphStore, text: str, *, lang: str = "en", limit: int = 10) -> list[dict[str, str]]:
    """What a search box offers as ``text`` is typed: exact, prefix and contains matches (never merely close ones),
    each with its label in ``lang``, the name that matched, its class's label and its CURIE.

    Raises:
        KGError: ``text`` is empty or too long.
    """
    found = index(store)
    return [
        {
            "iri": hit.iri,
            "curie": hit.curie,
            "label": hit.label(lang),
            "matched": hit.matched,
            "class": found.label(hit.cls, lang) if hit.cls else "",
        }
        for hit in found.find(text, limit=limit, closest=False)
    ]


#: The Chinese titles of the columns a table shows.
TITLES_ZH = {
    "node": "节点", "name": "名称", "matched": "匹配的名称", "match": "匹配方式", "class": "类别", "model": "模式",
}  # fmt: skip


def as_result(hits: Iterable[Hit], *, lang: str = "en") -> Result:
    """The hits as a SELECT result: ``node``, ``name`` (in ``lang``), ``matched``, ``match`` (in ``lang``),
    ``class``, ``model`` (the models' CURIEs joined by ", " when a node belongs to several). Tables leave ``name``
    out: they show each node by its label already."""
    words = dict(zip(MATCHES, MATCH_WORDS["zh-Hans" if is_chinese(lang) else "en"], strict=True))
    rows = []
    for hit in hits:
        model: ox.NamedNode | ox.Literal | None = None
        if len(hit.models) == 1:
            model = ox.NamedNode(hit.models[0])
        elif hit.models:
            model = ox.Literal(", ".join(curie(m) for m in hit.models))
        rows.append(
            (
                ox.NamedNode(hit.iri),
                ox.Literal(hit.label(lang)),
                ox.Literal(hit.matched),
                ox.Literal(words[hit.match]),
                ox.NamedNode(hit.cls) if hit.cls else None,
                model,
            )
        )
    names = ["node", "name", "matched", "match", "class", "model"]
    return Result.select(names, rows, shown=[n for n in names if n != "name"], titles=TITLES_ZH)
