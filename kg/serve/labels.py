"""Where a node lives on this server and how a page names it: the paths of IRIs, safe links, and labels in the
page's language. The pages and their panels both build on it.

>>> server_path("https://w3id.org/sce/id/kuaishou"), server_path("https://w3id.org/sce/ontology#targets")
('/id/kuaishou', '/ontology#targets')
>>> href("javascript:alert(1)"), href("https://w3id.org/sce/graph/seed")
('/node?iri=javascript%3Aalert%281%29', '/graph/seed')
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..lang import ENGLISH, tag
from ..names import pick
from ..stores import GraphStore
from ..vocab import BASE, curie

#: The spaces of IRIs that are paths of the server.
SPACES = ("id/", "graph/", "ontology")


def server_path(iri: str) -> str | None:
    """The path of this server where ``iri`` lives, or None when it is not one of the project's IRIs."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE) :]
    if not rest.startswith(SPACES) or (rest.startswith("ontology") and rest[8:9] not in ("", "#", "/")):
        return None
    return "/" + urllib.parse.quote(rest, safe="/#:@!$&'()*+,;=-._~")


def href(iri: str) -> str:
    """Where a page links to show ``iri``: its path on this server, or ``/node?iri=…`` for any other IRI (whose page
    then says what the store holds about it). Never the IRI itself, so no scheme a browser runs can reach a link."""
    return server_path(iri) or "/node?" + urllib.parse.urlencode({"iri": iri})


def web_link(url: str) -> str | None:
    """``url`` when it is an http(s) address, safe to link to; else None (shown as text)."""
    return url if url.startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class Value:
    """One end of a statement as a page shows it: a link (to a path of this server) with a label, or a literal."""

    text: str
    link: str | None = None
    lang: str = ""
    note: str = ""


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the kind (seed, curation, a public source …), its title, its page and address."""

    kind: str
    title: str
    page: str | None = None
    url: str | None = None


def tag_of(lang: str) -> str:
    """The label language of a page's language: ``zh`` → ``zh-Hans``."""
    return tag(lang) or ENGLISH


class Labeller:
    """Labels of IRIs in the page's language (else English, else the CURIE), looked up once each."""

    def __init__(self, store: GraphStore, lang: str) -> None:
        self.store = store
        self.tag = tag_of(lang)
        self.known: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        if iri not in self.known:
            values = [(v.value, v.language or "") for v in self.store.labels([iri]).get(iri, [])]
            self.known[iri] = pick(values, self.tag) or pick(values, "en") or curie(iri)
        return self.known[iri]

    def node(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | Any) -> Value:
        """A statement's end as a page shows it: a node's label linked to its page, a literal as text."""
        if isinstance(term, ox.NamedNode):
            return Value(self(term.value), href(term.value), note=curie(term.value))
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            plain = datatype.endswith(("#string", "#langString"))
            return Value(term.value, lang=term.language or "", note="" if plain else curie(datatype))
        return Value(str(term))
