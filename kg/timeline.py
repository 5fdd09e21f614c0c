"""The timeline view: the market events of a model (or of the whole field) as one self-contained HTML page.

The page is plain HTML and CSS written by a Jinja template with autoescape on; it runs no script at all, so its
Content-Security-Policy forbids every script, and it fetches nothing. Each item is coloured by its kind and links to
the public source of its date; a source address that is not http(s) is shown as text, never as a link.

>>> from kg.stores import open_store
>>> items = timeline_items(open_store(), model="https://w3id.org/sce/id/community-group-buying")
>>> items[0].date, items[0].kind
('2013', 'launch')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .catalog import run_query
from .errors import KGError
from .files import write_atomically
from .lang import is_chinese
from .names import resolve
from .results import str_value
from .stores import GraphStore
from .vocab import ID, SCE, curie

#: The colour of each kind of event (the local name of its concept in id:event-kinds).
KIND_COLOURS = {
    "launch": "#2e7d32",
    "penalty": "#c62828",
    "withdrawal": "#ef6c00",
    "closure": "#424242",
    "restructuring": "#6a1b9a",
    "listing": "#1565c0",
    "listing-withdrawn": "#00838f",
    "funding": "#9e9d24",
    "strategy": "#ad1457",
    "regulation": "#4e342e",
    "investigation": "#d84315",
}
OTHER_COLOUR = "#757575"


_KIND = "SELECT ?kind WHERE { ?node a ?kind }"


@dataclass(frozen=True)
class Item:
    """One dated row of the timeline: what happened, to whom, of what kind, and where the date comes from."""

    date: str
    kind: str
    kind_label: str
    label: str
    enterprise: str
    source: str
    url: str

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def link(self) -> str | None:
        """The source's address when it is safe to link to (http or https), else None."""
        return self.url if self.url.startswith(("https://", "http://")) else None

    @property
    def colour(self) -> str:
        return KIND_COLOURS.get(self.kind, OTHER_COLOUR)


def timeline_items(store: GraphStore, *, model: str | None = None, lang: str = "en") -> list[Item]:
    """The rows of the ``timeline`` named query for ``model`` (an IRI or any name of a model, or of an enterprise:
    then that enterprise's items only; None for every model, each item once even where its enterprise belongs to two
    models).

    Raises:
        KGError: ``model`` names no node, or more than one, or a node that is neither a model nor an enterprise.
    """
    enterprise = None
    if model:
        iri = resolve(store, model)
        kinds = {str_value(r["kind"]) for r in store.select(_KIND, node=ox.NamedNode(iri))}
        if SCE.SocialCommerceModel not in kinds:
            if SCE.Enterprise not in kinds:
                raise KGError(f"{model!r} ({curie(iri)}) is neither a model nor an enterprise; --timeline takes one")
            model, enterprise = None, iri
    result = run_query(store, "timeline", {"model": model} if model else {})
    label = "item_zh" if is_chinese(lang) else "item_en"
    founded = "成立" if is_chinese(lang) else " is founded"
    items = []
    for record in result.records():
        if enterprise is not None and str_value(record["enterprise"]) != enterprise:
            continue
        kind = str_value(record["kind"])
        name = str_value(record[label])
        items.append(
            Item(
                date=str_value(record["date"]),
                kind=kind[len(ID) :] if kind.startswith(str(ID)) else kind,
                kind_label=str_value(record["kind_en"]),
                label=name + founded if record["item"] == record["enterprise"] else name,
                enterprise=str_value(record["enterprise_en"]),
                source=str_value(record["source_title"]),
                url=str_value(record["url"]),
            )
        )
    return list(dict.fromkeys(items))


def render_timeline(items: list[Item], *, title: str, lang: str = "en") -> str:
    """The HTML page of ``items``: a legend of the kinds, then the items year by year."""
    from .render import _environment

    template = _environment().get_template("timeline.html.j2")
    years: dict[str, list[Item]] = {}
    for item in items:
        years.setdefault(item.year, []).append(item)
    kinds = sorted({(i.kind, i.kind_label, i.colour) for i in items})
    return str(template.render(title=title, lang=lang, years=years, kinds=kinds, count=len(items)))


def write_timeline(items: list[Item], path: str | Path, *, title: str, lang: str = "en") -> Path:
    """Write the timeline page to ``path`` (UTF-8, never half-written); return the path."""
    return write_atomically(path, render_timeline(items, title=title, lang=lang))
