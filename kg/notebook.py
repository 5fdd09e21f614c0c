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
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from .errors import KGError
from .files import write_atomically
from .lang import parse
from .names import labeller
from .results import Labeller, Result, Term
from .vocab import curie, written_tag

if TYPE_CHECKING:
    import networkx as nx

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


def table_html(result: Result, store: GraphStore | None = None, *, lang: str = "en", limit: int = TABLE_LIMIT) -> str:
    """``result`` as an HTML fragment for a notebook: a table whose IRIs show their ``lang`` labels.

    The answer is held in memory (``result.rows``), so the result can still be read, iterated and written after.
    Labels come from ``store``; without one, IRIs are shown as CURIEs.
    """
    check_lang(lang)
    if result.kind == "ask":
        return _table(["answer"], [[_text("yes" if result.boolean else "no")]], "")
    labels = labeller(store, lang) if store is not None else None
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
        return write_atomically(path, self.page)

    def __repr__(self) -> str:
        return f"<Drawing {self.title!r}: {self.nodes} nodes, {self.edges} links>"


def drawing(
    graph: nx.MultiDiGraph,
    *,
    title: str | None,
    lang: str = "en",
    width: int | str = "100%",
    height: int | str = 600,
    overview: bool = False,
) -> Drawing:
    """The drawing of ``graph``: its page from ``kg.render``, framed at ``width`` × ``height``; with ``overview`` it
    opens on the overview of the models and their dimensions (``kg.overview.drawing``), the whole graph one click
    away. Without a title, the page names the graph in the language shown."""
    from .render import page_word, render_html  # Jinja and the page's assets: only a notebook that draws pays for them

    size = css_size(width), css_size(height)
    page = render_html(graph, title=title, lang=check_lang(lang), overview=overview)
    title = title or page_word("title", lang)
    return Drawing(page, size[0], size[1], title, graph.number_of_nodes(), graph.number_of_edges())


# --- The result a notebook shows -----------------------------------------------------------------------------------


class NotebookResult(Result):
    """A Result that knows the store it came from and the language to show, so that a notebook can show it.

    ``kg.open()`` answers with these; everything a Result does (rows, writers, pandas) is unchanged. The display
    lives here, a layer above ``kg.results``, as rdflib keeps display code out of its own Result.

    Attributes:
        store: the store the answer came from, for labels and drawings.
        lang: the language labels are shown in ("en" or "zh-Hans").
    """

    store: GraphStore
    lang: str

    @classmethod
    def of(cls, result: Result, store: GraphStore, *, lang: str = "en") -> NotebookResult:
        """``result`` itself, now shown in a notebook with the labels of ``store`` in ``lang``."""
        result.__class__ = cls
        shown = cast(NotebookResult, result)
        shown.store, shown.lang = store, check_lang(lang)
        return shown

    def _repr_html_(self) -> str:
        """The answer as an HTML table for a notebook, IRIs shown by their labels in ``lang`` (held in memory, so
        the result can still be read after)."""
        try:
            return table_html(self, self.store, lang=self.lang)
        except KGError as error:
            return f"<p>{html.escape(str(error))}</p>"

    def draw(self, *, lang: str | None = None, width: int | str = "100%", height: int | str = 600) -> Drawing:
        """An interactive drawing of the answer that a notebook shows inline (``.save(path)`` writes its page).

        A CONSTRUCT or DESCRIBE graph is drawn as it is; SELECT rows draw their resources (and the nodes the
        query's parameters named) with the links among them.

        Args:
            lang: the language labels start in (default: ``self.lang``).
            width, height: the size of the frame: pixels, or a number with a CSS unit ("100%").

        Raises:
            KGError: an ASK result, a bad size or language.
        """
        lang = check_lang(lang or self.lang)
        graph = self.to_networkx(lang=lang)
        return drawing(graph, title=self.title, lang=lang, width=width, height=height)

    def to_networkx(self, *, lang: str | None = None) -> nx.MultiDiGraph:
        """The answer as a networkx graph (see ``kg.network``) whose nodes and edges carry ``label`` (in ``lang``,
        default ``self.lang``) and ``title``, as pyvis and Gephi expect, besides ``label_en`` and ``label_zh``.

        Raises:
            KGError: an ASK result, or a bad language.
        """
        from .network import result_network  # networkx (~0.2 s): only for an answer that is drawn

        return result_network(self, self.store, lang=check_lang(lang or self.lang))
