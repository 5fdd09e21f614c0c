"""networkx to one self-contained, interactive HTML page, through pyvis and the project's own template.

pyvis builds the nodes' and edges' vis-network options; the page itself comes from ``templates/graph.html.j2``
rendered by a Jinja environment with autoescape on, with vis-network's script and every style inlined, so the file
opens offline and makes no request. The graph's data goes in as JSON whose ``<``, ``>`` and ``&`` are escaped, and
the page's script writes data into the page only through ``textContent``, so no label, comment or IRI can run script.

Small graphs settle with vis-network's physics; large ones (``PHYSICS_LIMIT`` nodes and more) get positions computed
here by ``layout`` (pivot MDS refined by a few force-directed steps, a fraction of a second for thousands of nodes)
and are drawn at once with physics off.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("urn:x:a", label_en="</script><b>", label_zh="甲")
>>> page = render_html(graph, title="A <test>")
>>> "<title>A &lt;test&gt;</title>" in page, "</script><b>" in page, "\\\\u003c/script\\\\u003e" in page
(True, False, True)
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from .errors import KGError
from .files import write_atomically
from .lang import is_chinese, parse
from .layout import layout
from .search import STANDARD_CLASSES
from .styles import CLASS_STYLES, style_of
from .vocab import curie

TEMPLATES = Path(__file__).parent / "templates"
VIS_SCRIPT = "vis-network-9.1.2.min.js"
#: The page's styles, inlined in this order: its frame, then the parts of a drawing kg serve's pages share.
PAGE_STYLES = ("graph.css", "graph-ui.css")
#: The page's script after vis-network, inlined as one: the parts of a drawing kg serve's pages share, then the page's.
PAGE_SCRIPTS = ("graph-ui.js", "graph.js")

#: From this many nodes on, positions are computed in Python and physics is off.
PHYSICS_LIMIT = 200

#: The page's own words in each language; the page's script switches them with the labels.
PAGE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Social e-commerce knowledge graph",
        "query_result": "Query result",
        "nodes": " nodes · ",
        "links": " links",
        "find_hint": "Find a node by any of its labels",
        "find": "Find",
        "not_found": "not found",
        "language": "Label language",
        "query": "Query",
        "graph": "The graph",
        "legend": "Legend",
        "classes": "Classes",
        "close": "Close",
        "views": "What to draw",
        "overview": "Overview",
        "whole": "Whole graph",
        "hint": "Click a count ▸ to open it",
    },
    "zh-Hans": {
        "title": "社交电商知识图谱",
        "query_result": "查询结果",
        "nodes": " 个节点 · ",
        "links": " 条连接",
        "find_hint": "按任一名称查找节点",
        "find": "查找",
        "not_found": "未找到",
        "language": "标签语言",
        "query": "查询",
        "graph": "图",
        "legend": "图例",
        "classes": "类别",
        "close": "关闭",
        "views": "显示内容",
        "overview": "概览",
        "whole": "整张图",
        "hint": "点击带 ▸ 的计数即可展开",
    },
}


def page_word(key: str, lang: str) -> str:
    """One of the page's own words in ``lang``.

    >>> page_word("title", "zh")
    '社交电商知识图谱'
    """
    return PAGE_WORDS[parse(lang)][key]


@dataclass(frozen=True)
class Style:
    """How one class is drawn, and its name in both languages for the legend."""

    iri: str
    colour: str
    shape: str
    name_en: str
    name_zh: str
    count: int


def class_styles(graph: nx.MultiDiGraph) -> dict[str, Style]:
    """The style of every class in ``graph`` ("" for nodes without one), the table's classes first.

    >>> from kg.vocab import SCE
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", **{"class": SCE.Form, "class_en": "form", "class_zh": "具体形式"})
    >>> class_styles(g)[SCE.Form].shape
    'diamond'
    """
    counts: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}
    for _, data in graph.nodes(data=True):
        cls = data.get("class", "")
        counts[cls] = counts.get(cls, 0) + 1
        own = (data.get("class_en") or curie(cls) or "(no class)", data.get("class_zh") or "(无类别)")
        names[cls] = STANDARD_CLASSES.get(cls) or own
    styles: dict[str, Style] = {}
    for cls in sorted(counts, key=lambda c: (c not in CLASS_STYLES, c == "", c)):
        colour, shape = style_of(cls)
        styles[cls] = Style(cls, colour, shape, names[cls][0], names[cls][1], counts[cls])
    return styles


# --- Layout -------------------------------------------------------------------------------------------------------


def network_data(
    graph: nx.MultiDiGraph, *, lang: str = "en", positions: bool | None = None, overview: bool = False
) -> dict[str, Any]:
    """What the page draws: vis-network nodes, edges and options built with pyvis, each node's details, the legend,
    and (with ``overview``) the first view of the whole graph, ``kg.overview.drawing``.

    Args:
        graph: a graph from ``kg.network``.
        lang: the language the labels start in ("en" or "zh-Hans").
        positions: compute positions and turn physics off; by default for graphs of ``PHYSICS_LIMIT`` nodes and more.
        overview: open on the overview (the models and their dimensions, the rest folded) when the graph has models.
    """

    from .overview import drawing  # late: importing kg.overview costs ~11 ms

    large = graph.number_of_nodes() >= PHYSICS_LIMIT if positions is None else positions
    styles = class_styles(graph)
    net = _pyvis_network(graph, styles, lang=lang, large=large)
    for number, edge in enumerate(net.edges):
        edge["id"] = f"e{number}"
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net, large=large),
        "details": {key: _details(data) for key, data in graph.nodes(data=True)},
        "terms": _terms(graph),
        "legend": [asdict(style) for style in styles.values()],
        "overview": drawing(graph) if overview else {},
        "words": PAGE_WORDS,
        "lang": lang,
        "large": large,
    }


def _pyvis_network(graph: nx.MultiDiGraph, styles: Mapping[str, Style], *, lang: str, large: bool) -> Any:
    """A pyvis Network of ``graph``: nodes styled by class, sized by degree, placed when ``large``."""
    from pyvis.network import Network  # late: importing pyvis.network costs ~139 ms

    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _IdList()  # pyvis checks membership in a list for every node and edge: quadratic on large graphs
    places = layout(graph) if large else {}
    degree = dict(graph.degree())
    for key, data in sorted(graph.nodes(data=True)):
        style = styles[data.get("class", "")]
        options: dict[str, Any] = {"size": round(10 + 4 * math.sqrt(degree[key]), 1)}
        if key in places:
            options.update(x=round(places[key][0], 1), y=round(places[key][1], 1), physics=False)
        net.add_node(key, label=_label(data, lang), shape=style.shape, color=style.colour, **options)
    for source, target, predicate, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        label = data.get("label_zh" if is_chinese(lang) else "label_en") or ""
        net.add_edge(source, target, predicate=predicate, **({} if large else {"label": label}))
    return net


class _IdList(list[Any]):
    """A list that answers ``in`` from a set, for pyvis's node id list."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        """Add ``item`` at the end."""
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _label(data: Mapping[str, Any], lang: str) -> str:
    """A node's label in ``lang``, falling back to English, then to its CURIE."""
    text = data.get("label_zh") if is_chinese(lang) else data.get("label_en")
    return str(text or data.get("label_en") or data.get("curie") or data.get("iri") or "")


def _options(net: Any, *, large: bool) -> dict[str, Any]:
    """vis-network options: pyvis's, with physics settling small graphs and off for large ones."""
    if large:
        net.toggle_physics(False)
        net.set_edge_smooth("false")
    net.toggle_hide_edges_on_drag(large)
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["edges"].update(
        arrows={"to": {"enabled": True, "scaleFactor": 0.5}},
        color={"color": "#9aa5b1", "highlight": "#3b4a5a", "hover": "#3b4a5a"},
        font={"size": 10, "color": "#5b6670", "strokeWidth": 2, "align": "middle"},
        smooth=False if large else {"enabled": True, "type": "continuous"},
    )
    options["nodes"] = {
        "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "borderWidth": 1,
    }
    options["interaction"].update(hover=True, tooltipDelay=100_000, navigationButtons=False, keyboard=False)
    options["layout"] = {"improvedLayout": not large, "randomSeed": 7}
    if not large:
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
        }
    return options


def _details(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the hover summary, the side panel and the search need about one node."""
    keys = ("iri", "curie", "label_en", "label_zh", "labels", "types", "class", "class_en", "class_zh")
    out = {k: data.get(k, "") for k in keys}
    out.update(
        definition_en=data.get("definition_en", ""),
        definition_zh=data.get("definition_zh", ""),
        literals=data.get("literals", []),
        links=data.get("links", []),
    )
    return out


def _terms(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """English and Chinese names of the properties on edges and in node details, by IRI."""
    terms: dict[str, list[str]] = {k: list(v) for k, v in graph.graph.get("terms", {}).items()}
    for _, _, key, data in graph.edges(keys=True, data=True):
        terms.setdefault(key, [data.get("label_en") or key, data.get("label_zh") or data.get("label_en") or key])
    return dict(sorted(terms.items()))


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators escaped.

    >>> script_json({"a": "</script>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


@cache
def _environment() -> Any:
    """The Jinja environment of the page templates, autoescape on."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # late: importing jinja2 costs ~37 ms

    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


@cache
def vis_script() -> str:
    """vis-network's standalone script (vendored from pyvis), checked to be safe to inline in a ``<script>``."""
    text = (TEMPLATES / VIS_SCRIPT).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise KGError(f"{VIS_SCRIPT} cannot be inlined: it contains '</script' or '<!--'")
    return text


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    query: str = "",
    lang: str = "en",
    positions: bool | None = None,
    overview: bool = False,
) -> str:
    """The page showing ``graph``: one self-contained HTML document, its own words in ``lang`` (and in the other
    language when the reader switches).

    Args:
        graph: a graph from ``kg.network``.
        title: the page's heading (default: the knowledge graph's name, in the language shown).
        query: the query that produced the graph, shown under the heading.
        lang: the language labels start in ("en" or "zh-Hans").
        positions: compute the layout in Python with physics off (default: for ``PHYSICS_LIMIT`` nodes and more).
        overview: open on the overview of the models and their dimensions, the whole graph one click away.
    """

    lang = parse(lang)
    data = network_data(graph, lang=lang, positions=positions, overview=overview)
    data["title"] = title
    data, whole = first_view(data)
    scripts = [vis_script(), "".join((TEMPLATES / name).read_text(encoding="utf-8") for name in PAGE_SCRIPTS)]
    page = _environment().get_template("graph.html.j2")
    return str(
        page.render(
            script_hashes=Markup(" ".join(_csp_hash(js) for js in scripts)),
            title=title or PAGE_WORDS[lang]["title"],
            query=query,
            lang=lang,
            w=PAGE_WORDS[lang],
            overview=bool(data["overview"]),
            node_count=graph.number_of_nodes(),
            edge_count=graph.number_of_edges(),
            styles=list(class_styles(graph).values()),
            data_json=Markup(script_json(data)),
            whole_json=Markup(script_json(whole)) if whole else "",
            vis_js=Markup(scripts[0]),
            page_js=Markup(scripts[1]),
            page_css=Markup("".join((TEMPLATES / name).read_text(encoding="utf-8") for name in PAGE_STYLES)),
        )
    )


def first_view(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the page needs to paint its overview, and the rest of the graph, which it reads (``JSON.parse``) only when
    the reader asks for more: the whole graph, a fold, a search. A page without an overview needs all at once.

    >>> first, rest = first_view({"nodes": [{"id": "a"}, {"id": "b"}], "edges": [], "details": {"a": {}, "b": {}},
    ...                           "overview": {"nodes": [{"id": "a"}, {"id": "row:x", "kind": "heading"}]}})
    >>> [n["id"] for n in first["nodes"]], list(first["details"]), [n["id"] for n in rest["nodes"]]
    (['a'], ['a'], ['a', 'b'])
    """
    if not data.get("overview"):
        return data, {}
    shown = {n["id"] for n in data["overview"]["nodes"] if "kind" not in n}
    first = dict(data)
    first.update(
        nodes=[n for n in data["nodes"] if n["id"] in shown],
        edges=[e for e in data["edges"] if e["from"] in shown and e["to"] in shown],
        details={k: v for k, v in data["details"].items() if k in shown},
        partial=True,
    )
    return first, {key: data[key] for key in ("nodes", "edges", "details")}


def _csp_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run (the template puts it between two
    newlines); any other script, injected or not, is refused by the browser."""

    digest = hashlib.sha256(("\n" + script + "\n").encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def write_html(graph: nx.MultiDiGraph, path: str | Path, **options: Any) -> Path:
    """Render ``graph`` (options as for ``render_html``) and write it to ``path`` as UTF-8; return the path."""
    text = render_html(graph, **options)
    return write_atomically(path, text)
