"""The notebook face: a result as an HTML table, the graph drawn inline, and networkx views that pyvis and Gephi read.

Jupyter (JupyterLab, Notebook 7, VS Code) shows an object through its ``_repr_html_``. A Result's table shows the
labels of IRIs in the chosen language (the IRI on hover) with every text escaped. A drawing is the whole offline page
of ``kg.render`` inside an ``<iframe srcdoc>``: the page keeps its own Content-Security-Policy and script hashes,
fetches nothing, runs sandboxed away from the notebook, and has the height it is given (a page inlined without a
frame would collapse to a strip and share the notebook's scripts).

>>> import kg
>>> graph = kg.open()
>>> table = graph.query("enterprise-model", enterprise="快手")._repr_html_()
>>> "<td title=\\"https://w3id.org/sce/id/content\\">content</td>" in table
True
>>> drawing = graph.draw("快手", height=400)
>>> drawing._repr_html_().startswith("<iframe "), "height:400px" in drawing._repr_html_()
(True, True)
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import KGError
from .lang import parse
from .names import labeller
from .vocab import curie, written_tag

if TYPE_CHECKING:
    import networkx as nx

    from .results import Labeller, Result, Term
    from .stores import GraphStore

#: Rows a table in a notebook shows at most; the rest are counted below it.
TABLE_LIMIT = 200

_STYLE = (
    "<style>table.kg-result{border-collapse:collapse}"
    "table.kg-result th,table.kg-result td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
    "</style>"
)


def check_lang(lang: str) -> str:
    """``lang`` when kg shows labels in it.

    Raises:
        KGError: any other language.
    """
    return parse(lang)


# --- Tables ---------------------------------------------------------------------------------------------------------


def table_html(result: Result, *, lang: str = "en", limit: int = TABLE_LIMIT) -> str:
    """``result`` as an HTML fragment for a notebook: a table whose IRIs show their ``lang`` labels.

    The answer is held in memory (``result.rows``), so the result can still be read, iterated and written after.
    Labels come from ``result.store``; without one, IRIs are shown as CURIEs.
    """
    check_lang(lang)
    if result.kind == "ask":
        return _table(["answer"], [[_text("yes" if result.boolean else "no")]], "")
    labels = labeller(result.store, lang) if result.store is not None else None
    headers, rows = _columns(result)
    shown = rows[:limit]
    cells = _cell_rows(shown, labels)
    count = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
    if len(rows) > len(shown):
        count += f", the first {len(shown)} shown"
    heading = f'<pre class="kg-heading">{html.escape(result.heading)}</pre>' if result.heading else ""
    return heading + _table(headers, cells, f"({count})")


def _columns(result: Result) -> tuple[list[str], list[Sequence[Term | None]]]:
    """The headings and rows a person sees: a graph's triples as subject, predicate, object; ``shown`` columns."""
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in result.triples]
    headers = list(result.headers or result.vars)
    if result.shown is None:
        return headers, list(result.rows)
    keep = [result.vars.index(v) for v in result.shown]
    return [headers[i] for i in keep], [tuple(row[i] for i in keep) for row in result.rows]


def _cell_rows(rows: Sequence[Sequence[Term | None]], labels: Labeller | None) -> list[list[str]]:
    iris = sorted({v.value for row in rows for v in row if isinstance(v, ox.NamedNode)})
    names = labels(iris) if labels is not None and iris else {}
    return [[_cell(v, names) for v in row] for row in rows]


def _cell(term: Term | None, names: Any) -> str:
    """One ``<td>``: an IRI by its label (or CURIE) with the IRI as its title; a literal in its language."""
    esc = html.escape
    if term is None:
        return "<td></td>"
    if isinstance(term, ox.NamedNode):
        return f'<td title="{esc(term.value)}">{esc(names.get(term.value) or curie(term.value))}</td>'
    if isinstance(term, ox.Literal) and term.language:
        return f'<td lang="{esc(written_tag(term.language))}">{esc(term.value)}</td>'
    if isinstance(term, ox.BlankNode):
        return _text("_:" + term.value)
    return _text(str(term) if isinstance(term, ox.Triple) else term.value)


def _text(value: str) -> str:
    return f"<td>{html.escape(value)}</td>"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], footer: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>\n" for row in rows)
    foot = f"<p>{html.escape(footer)}</p>" if footer else ""
    return f'{_STYLE}<table class="kg-result">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>{foot}'


# --- Network views for people and tools -----------------------------------------------------------------------------


def with_labels(graph: nx.MultiDiGraph, *, lang: str = "en") -> nx.MultiDiGraph:
    """``graph`` with ``label`` (in ``lang``) and ``title`` (both names, class, CURIE) on every node and edge.

    ``label`` and ``title`` are what pyvis draws and Gephi shows. ``title`` is text with ``<``, ``>`` and ``&``
    written as HTML entities: pyvis's own page puts a title that holds "href" into ``innerHTML``.
    """
    zh = check_lang(lang) == "zh-Hans"
    for _, data in graph.nodes(data=True):
        data["label"] = (data.get("label_zh") if zh else data.get("label_en")) or data.get("curie") or ""
        about = [_both(data), data.get("class_zh" if zh else "class_en", ""), data.get("curie", "")]
        about.append(data.get("definition_zh" if zh else "definition_en", ""))
        data["title"] = html.escape("\n".join(a for a in about if a), quote=False)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["label"] = (data.get("label_zh") if zh else data.get("label_en")) or curie(key)
        data["title"] = html.escape("\n".join(a for a in (_both(data), curie(key)) if a), quote=False)
    return graph


def _both(data: dict[str, Any]) -> str:
    """The English and Chinese names of a node or edge, once when they are the same."""
    names = [data.get("label_en") or "", data.get("label_zh") or ""]
    return " · ".join(dict.fromkeys(n for n in names if n))


def result_network(result: Result, *, lang: str = "en") -> nx.MultiDiGraph:
    """The network view of ``result`` (see ``kg.network.from_result``), with ``label`` and ``title``.

    Raises:
        KGError: an ASK result, or SELECT rows without the store they came from.
    """
    from .network import from_result, from_triples

    if result.store is None:
        if result.kind != "graph":
            raise KGError("drawing SELECT rows needs the store they came from: ask through kg.open().query(...)")
        return with_labels(from_triples(result.triples), lang=lang)
    return with_labels(from_result(result, result.store, also=result.given), lang=lang)


def store_network(
    store: GraphStore, centre: str | None = None, *, radius: int = 1, lang: str = "en"
) -> nx.MultiDiGraph:
    """The whole graph of ``store``, or the part within ``radius`` links of the node ``centre`` names, labelled."""
    from .names import resolve
    from .network import from_store, neighbourhood

    graph = from_store(store)
    if centre is not None:
        graph = neighbourhood(graph, resolve(store, centre), radius=radius)
    return with_labels(graph, lang=lang)


# --- Drawings -------------------------------------------------------------------------------------------------------

_SIZE = re.compile(r"[0-9]{1,5}(\.[0-9]{1,3})?(px|%|em|rem|vh|vw)")


def css_size(value: int | str) -> str:
    """A width or height for CSS: a number of pixels, or a number with a unit (``"100%"``, ``"40em"``).

    >>> css_size(600), css_size("100%")
    ('600px', '100%')

    Raises:
        KGError: anything else (a size is never pasted into the page unchecked).
    """
    text = f"{value}px" if isinstance(value, int) and not isinstance(value, bool) else str(value).strip()
    if not _SIZE.fullmatch(text):
        raise KGError(f"{value!r} is not a size: give pixels (600) or a number with px, %, em, rem, vh or vw")
    return text


@dataclass(frozen=True)
class Drawing:
    """An interactive drawing of a graph: shown inline by a notebook, or saved as a page that opens offline.

    Attributes:
        page: the whole self-contained HTML page (``kg.render.render_html``).
        width, height: the size of the frame in the notebook, as CSS.
        title: the page's title, also the frame's accessible name.
        nodes, edges: how many of each the drawing shows.
    """

    page: str
    width: str
    height: str
    title: str
    nodes: int
    edges: int

    def _repr_html_(self) -> str:
        """The page in an ``<iframe srcdoc>``, sandboxed: its scripts run, but apart from the notebook's."""
        return (
            f'<iframe class="kg-drawing" title="{html.escape(self.title)}" '
            f'style="width:{self.width};height:{self.height};border:1px solid #d8dde2" '
            f'sandbox="allow-scripts allow-forms" srcdoc="{html.escape(self.page, quote=True)}"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` as UTF-8 (all of it or nothing) and return the path."""
        from .files import write_atomically

        return write_atomically(path, self.page)

    def __repr__(self) -> str:
        return f"<Drawing {self.title!r}: {self.nodes} nodes, {self.edges} links>"


def drawing(
    graph: nx.MultiDiGraph, *, title: str, lang: str = "en", width: int | str = "100%", height: int | str = 600
) -> Drawing:
    """The drawing of ``graph``: its page from ``kg.render``, framed at ``width`` × ``height``."""
    from .render import render_html

    size = css_size(width), css_size(height)
    page = render_html(graph, title=title, lang=check_lang(lang))
    return Drawing(page, size[0], size[1], title, graph.number_of_nodes(), graph.number_of_edges())
