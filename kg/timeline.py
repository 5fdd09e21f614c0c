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
from .lang import is_chinese, parse
from .names import resolve
from .results import str_value
from .search import index
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

#: The page's own words in each language: the heading when none is given, the counts line, the legend's name.
WORDS = {
    "en": {
        "title_all": "Timeline of China's social e-commerce",
        "title_of": "Timeline: {name}",
        "counts": "{n} dated items · each links to the public source of its date",
        "legend": "Kinds of event",
        "founded": " is founded",
    },
    "zh-Hans": {
        "title_all": "中国社交电商时间线",
        "title_of": "时间线：{name}",
        "counts": "{n} 条有日期的条目 · 每条链接到其日期的公开来源",
        "legend": "事件类型",
        "founded": "成立",
    },
}
#: What ``--timeline`` takes, said when it is given something else.
TAKES = "--timeline takes a model (such as 内容型 or content) or an enterprise (such as 快手 or Kuaishou), by any name"


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


def focus(store: GraphStore, name: str) -> tuple[str, bool]:
    """The node ``name`` names for a timeline, and whether it is a model (else it is an enterprise).

    >>> from kg.stores import open_store
    >>> focus(open_store(), "快手")
    ('https://w3id.org/sce/id/kuaishou', False)

    Raises:
        KGError: ``name`` names no node, or more than one, or a node that is neither a model nor an enterprise.
    """
    iri = resolve(store, name)
    kinds = {str_value(r["kind"]) for r in store.select(_KIND, node=ox.NamedNode(iri))}
    if SCE.SocialCommerceModel not in kinds and SCE.Enterprise not in kinds:
        raise KGError(f"{name!r} ({curie(iri)}) is neither a model nor an enterprise: {TAKES}")
    return iri, SCE.SocialCommerceModel in kinds


def timeline_items(store: GraphStore, *, model: str | None = None, lang: str = "en") -> list[Item]:
    """The rows of the ``timeline`` named query for ``model`` (an IRI or any name of a model, or of an enterprise:
    then that enterprise's items only; None for every model, each item once even where its enterprise belongs to two
    models), every word in ``lang``: the items, their kinds, enterprises and sources (English where one has no
    Chinese label).

    Raises:
        KGError: ``model`` names no node, or more than one, or a node that is neither a model nor an enterprise.
    """
    enterprise = None
    if model:
        iri, is_model = focus(store, model)
        if not is_model:
            model, enterprise = None, iri
    result = run_query(store, "timeline", {"model": model} if model else {})
    lang = parse(lang)
    names = index(store)
    label = "item_zh" if is_chinese(lang) else "item_en"
    founded = WORDS[lang]["founded"]
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
                kind_label=names.label(kind, lang),
                label=name + founded if record["item"] == record["enterprise"] else name,
                enterprise=names.label(str_value(record["enterprise"]), lang),
                source=names.label(str_value(record["source"]), lang),
                url=str_value(record["url"]),
            )
        )
    return list(dict.fromkeys(items))


def title_of(store: GraphStore, name: str | None, lang: str) -> str:
    """The heading of the timeline of ``name`` (a model's or an enterprise's name; None for every model) in ``lang``:
    the node by its label in that language.

    >>> from kg.stores import open_store
    >>> title_of(open_store(), "Kuaishou", "zh-Hans"), title_of(open_store(), None, "en")
    ('时间线：快手', "Timeline of China's social e-commerce")
    """
    words = WORDS[parse(lang)]
    if not name:
        return words["title_all"]
    return words["title_of"].format(name=index(store).label(focus(store, name)[0], parse(lang)))


def render_timeline(items: list[Item], *, title: str, lang: str = "en") -> str:
    """The HTML page of ``items``: a legend of the kinds, then the items year by year, the page's words in ``lang``."""
    from .render import _environment  # late: importing kg.render costs ~373 ms

    lang = parse(lang)
    template = _environment().get_template("timeline.html.j2")
    years: dict[str, list[Item]] = {}
    for item in items:
        years.setdefault(item.year, []).append(item)
    kinds = sorted({(i.kind, i.kind_label, i.colour) for i in items})
    return str(template.render(title=title, lang=lang, years=years, kinds=kinds, count=len(items), w=WORDS[lang]))


def write_timeline(items: list[Item], path: str | Path, *, title: str, lang: str = "en") -> Path:
    """Write the timeline page to ``path`` (UTF-8, never half-written); return the path."""
    return write_atomically(path, render_timeline(items, title=title, lang=lang))
