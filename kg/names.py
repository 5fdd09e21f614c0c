"""Names: resolving a user's word to a node, and a node's label in a language (chosen as :mod:`kg.lang` says).

A node can be named by a full IRI, a CURIE (``id:kuaishou``) or any of its labels, in any case and either language.

>>> from kg.stores import open_store
>>> store = open_store()
>>> [curie(resolve(store, w)) for w in ("Aauto Faster", "kuaishou", "快手", "id:kuaishou")]
['id:kuaishou', 'id:kuaishou', 'id:kuaishou', 'id:kuaishou']
>>> labeller(store, "zh-Hans")(["https://w3id.org/sce/id/kuaishou"])
{'https://w3id.org/sce/id/kuaishou': '快手'}
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import KGError
from .lang import choose, pick

__all__ = ["Labels", "closest", "labeller", "normalise", "pick", "resolve"]
from .vocab import ID, LABEL_PROPERTIES, curie, expand

if TYPE_CHECKING:
    from .stores import GraphStore


def normalise(word: str) -> str:
    """Fold case, width and spacing so that "  KuaiShou " and "kuaishou" compare equal."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


def _names(store: GraphStore) -> dict[str, set[str]]:
    """Every label and alternative label, normalised, with the nodes that carry it."""
    paths = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
    index: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?node ?name WHERE {{ ?node {paths} ?name FILTER (isIRI(?node)) }}").stream():
        index.setdefault(normalise(row[1].value), set()).add(row[0].value)
    return index


def _exists(store: GraphStore, iri: str) -> bool:
    return store.has_node(ox.NamedNode(iri))


def resolve(store: GraphStore, word: str) -> str:
    """The IRI of the one node that ``word`` names: an IRI (bare or in <>), a CURIE, or a label in any case.

    Raises:
        KGError: nothing has that name (the closest names are listed), or several nodes share it (they are listed).
    """
    word = word.strip()
    iri = _as_iri(word)
    if iri is not None:
        if not _exists(store, iri):
            raise KGError(f"no node {curie(iri)} in the graph")
        return iri
    names = _names(store)
    nodes = names.get(normalise(word), set())
    if len(nodes) == 1:
        return next(iter(nodes))
    if nodes:
        listed = ", ".join(sorted(curie(n) for n in nodes))
        raise KGError(f"{word!r} names {len(nodes)} nodes: {listed}; give one as a CURIE or IRI")
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", word) and _exists(store, ID.term(word)):
        return ID.term(word)
    close = [name for name, _ in closest(store, word, names=names)]
    if not close:
        raise UnknownName(word)
    raise KGError(f"nothing in the graph is named {word!r}; closest: {', '.join(repr(c) for c in close)}")


class UnknownName(KGError):
    """Nothing in the graph has the name ``word``, nor any name close to it: the line points at ``kg sparql``, and
    :attr:`served` at the server's pages, for a client of ``kg serve``.

    >>> error = UnknownName("拼 团")
    >>> str(error)
    "nothing in the graph is named '拼 团'; try `kg sparql` to look for it"
    >>> error.served
    "nothing in the graph is named '拼 团'; look for it at /search?q=%E6%8B%BC%20%E5%9B%A2 or ask at /query"
    """

    def __init__(self, word: str) -> None:
        self.word = word
        super().__init__(f"nothing in the graph is named {word!r}; try `kg sparql` to look for it")

    @property
    def served(self) -> str:
        """The line for a client of ``kg serve``: the search page, the query page."""

        search = "/search?q=" + urllib.parse.quote(self.word, safe="")
        return f"nothing in the graph is named {self.word!r}; look for it at {search} or ask at /query"


def closest(
    store: GraphStore, word: str, *, n: int = 5, names: Mapping[str, set[str]] | None = None
) -> list[tuple[str, list[str]]]:
    """The names closest to ``word`` (normalised, best first), each with the IRIs of the nodes it names: what an error
    about an unknown name offers instead.

    >>> from kg.stores import open_store
    >>> closest(open_store(), "kuaishuo", n=1)
    [('kuaishou', ['https://w3id.org/sce/id/kuaishou'])]
    """

    index = _names(store) if names is None else names
    close = difflib.get_close_matches(normalise(word), list(index), n=n, cutoff=0.5)
    return [(name, sorted(index[name])) for name in close]


def _as_iri(word: str) -> str | None:
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1]
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", word) is None and not word.startswith("urn:"):
        word = expand(word) or ""
        if not word:
            return None
    try:
        return ox.NamedNode(word).value
    except ValueError:
        raise KGError(f"{word!r} is not a valid IRI") from None


def labeller(store: GraphStore, lang: str) -> Labels:
    """A function giving the ``lang`` label (else the English one) of each IRI, for tables."""
    return Labels(store, lang)


class Labels:
    """The ``lang`` label of IRIs, looked up in ``store`` and remembered."""

    def __init__(self, store: GraphStore, lang: str) -> None:
        self.store = store
        self.lang = lang
        self.known: dict[str, str] = {}

    def __call__(self, iris: Sequence[str], /) -> Mapping[str, str]:
        missing = [i for i in iris if i not in self.known]
        if missing:
            found = self.store.labels(missing)
            for iri in missing:
                values = [(v.value, v.language or "") for v in found.get(iri, [])]
                self.known[iri] = choose(values, self.lang)
        return {i: self.known[i] for i in iris if self.known.get(i)}
