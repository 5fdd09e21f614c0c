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

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from .errors import KGError
from .files import write_atomically
from .vocab import SCE, curie

TEMPLATES = Path(__file__).parent / "templates"
VIS_SCRIPT = "vis-network-9.1.2.min.js"

#: From this many nodes on, positions are computed in Python and physics is off.
PHYSICS_LIMIT = 200

#: Colour and shape of the project's own classes; other classes get the remaining pairs in IRI order.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    SCE.SocialCommerceModel: ("#e15759", "star"),
    SCE.Form: ("#4e79a7", "diamond"),
    SCE.SocialChain: ("#f28e2b", "triangle"),
    SCE.SocialTie: ("#b07aa1", "triangleDown"),
    SCE.UserSegment: ("#59a14f", "square"),
    SCE.ProductCategory: ("#edc948", "hexagon"),
    SCE.Enterprise: ("#76b7b2", "dot"),
    SCE.Channel: ("#ff9da7", "square"),
    SCE.Role: ("#9c755f", "diamond"),
    SCE.SupplyPattern: ("#86bcb6", "triangle"),
    SCE.BusinessPractice: ("#d4a6c8", "hexagon"),
}
SPARE_STYLES = [
    (colour, shape)
    for shape in ("dot", "diamond", "square", "triangle", "hexagon", "triangleDown")
    for colour in ("#8cd17d", "#499894", "#f1ce63", "#a0cbe8", "#ffbe7d", "#d37295", "#79706e", "#fabfd2")
]
NO_CLASS = ("#bab0ac", "dot")


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
    """The style of every class in ``graph`` ("" for nodes without one), the project's classes first.

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
        names[cls] = (data.get("class_en") or curie(cls) or "(no class)", data.get("class_zh") or "(无类别)")
    spare = iter(SPARE_STYLES)
    styles: dict[str, Style] = {}
    for cls in sorted(counts, key=lambda c: (c not in CLASS_STYLES, c == "", c)):
        colour, shape = CLASS_STYLES.get(cls) or (NO_CLASS if cls == "" else next(spare, NO_CLASS))
        styles[cls] = Style(cls, colour, shape, names[cls][0], names[cls][1], counts[cls])
    return styles


# --- Layout -------------------------------------------------------------------------------------------------------


def layout(graph: nx.Graph, *, scale: float = 90.0, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for every node, fast enough for thousands of nodes: each connected part by pivot MDS, its leaves
    placed around their neighbour, a few force-directed steps to part overlapping nodes, the parts packed in rows.

    Args:
        graph: any networkx graph; direction and parallel edges are ignored.
        scale: the length of a typical edge, in vis-network units.
        seed: seed of the small jitter that parts nodes MDS puts on one spot.

    >>> pos = layout(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos), round(math.dist(pos["a"], pos["b"]) / 90)
    (['a', 'b', 'c'], 1)
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = list(graph.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    size = len(nodes)
    adjacency = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(size, size)).tocsr()
    adjacency = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
    _, part_of = connected_components(adjacency, directed=False)
    rng = np.random.default_rng(seed)
    order = np.argsort(part_of, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(part_of[order])) + 1)
    placed = [(members, _part_layout(adjacency[members][:, members], rng)) for members in parts]
    positions = _pack(placed, size)
    return {nodes[i]: (float(x * scale), float(y * scale)) for i, (x, y) in enumerate(positions)}


def _part_layout(adjacency: Any, rng: np.random.Generator) -> np.ndarray:
    """Positions of one connected part, with edges about one unit long."""
    size = adjacency.shape[0]
    if size <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]][:size])
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    leaves = np.flatnonzero(degree == 1)
    parent = adjacency[leaves].indices if len(leaves) else np.array([], dtype=np.int64)
    keep = np.ones(size, dtype=bool)
    keep[leaves[degree[parent] > 1]] = False
    core = np.flatnonzero(keep)
    positions = np.zeros((size, 2))
    positions[core] = _pivot_mds(adjacency[core][:, core], rng)
    _place_leaves(positions, leaves[~keep[leaves]], parent[~keep[leaves]])
    return _relax(positions, adjacency, iterations=40 if size < 3000 else 30)


def _pivot_mds(adjacency: Any, rng: np.random.Generator) -> np.ndarray:
    """Pivot MDS (Brandes and Pich): classical MDS of the graph distances to a few far-apart pivots."""
    from scipy.sparse.csgraph import shortest_path

    size = adjacency.shape[0]
    if size <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]][:size])
    count = min(50, size)
    distances = np.empty((count, size))
    nearest = np.full(size, np.inf)
    pivot = int(np.argmax(np.asarray(adjacency.sum(axis=1)).ravel()))
    for k in range(count):
        distances[k] = shortest_path(adjacency, unweighted=True, indices=pivot)
        nearest = np.minimum(nearest, distances[k])
        pivot = int(np.argmax(nearest))
    squared = distances**2
    centred = squared - squared.mean(axis=1, keepdims=True) - squared.mean(axis=0) + squared.mean()
    _, vectors = np.linalg.eigh(centred @ centred.T)
    coords = -0.5 * centred.T @ vectors[:, [-1, -2]]
    coords *= np.where(coords[np.argmax(np.abs(coords), axis=0), [0, 1]] < 0, -1.0, 1.0)
    coords += rng.normal(scale=1e-3 * (np.abs(coords).max() + 1), size=coords.shape)
    spread = np.ptp(coords, axis=0) + 1e-9
    by_density = math.sqrt(1.5 * size / float(spread[0] * spread[1]))
    scaled: np.ndarray = coords * max(1.0 / _edge_length(coords, adjacency), by_density)
    return scaled


def _edge_length(positions: np.ndarray, adjacency: Any) -> float:
    """The median length of the edges of ``adjacency`` drawn at ``positions`` (1 when there is none)."""
    rows, cols = adjacency.nonzero()
    if len(rows) == 0:
        return 1.0
    median = float(np.median(np.linalg.norm(positions[rows] - positions[cols], axis=1)))
    return median if median > 1e-9 else 1.0


def _place_leaves(positions: np.ndarray, leaves: np.ndarray, parents: np.ndarray) -> None:
    """Put each node with a single neighbour on a ring around that neighbour, pointing away from the part's centre."""
    if len(leaves) == 0:
        return
    centre = positions[np.setdiff1d(np.arange(len(positions)), leaves)].mean(axis=0)
    order = np.argsort(parents, kind="stable")
    leaves, parents = leaves[order], parents[order]
    starts = np.r_[0, np.flatnonzero(np.diff(parents)) + 1]
    counts = np.diff(np.r_[starts, len(parents)])
    rank = np.arange(len(leaves)) - np.repeat(starts, counts)
    total = np.repeat(counts, counts)
    away = positions[parents] - centre
    base = np.arctan2(away[:, 1], away[:, 0])
    spread = np.where(total > 1, np.minimum(2 * np.pi, 0.6 * total), 0.0)
    angle = base + spread * (rank / np.maximum(total, 1) - 0.5 + 0.5 / np.maximum(total, 1))
    radius = 0.8 + 0.15 * np.sqrt(total)
    positions[leaves] = positions[parents] + radius[:, None] * np.c_[np.cos(angle), np.sin(angle)]


def _relax(positions: np.ndarray, adjacency: Any, *, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold steps with repulsion only between nodes closer than 1.5 units (a k-d tree finds them),
    which parts overlapping nodes without the quadratic cost of all pairs."""
    from scipy.spatial import cKDTree

    rows, cols = (np.asarray(a) for a in adjacency.nonzero())
    upper = rows < cols
    rows, cols = rows[upper], cols[upper]
    size = len(positions)
    pos = positions.copy()
    for step in range(iterations):
        force = np.zeros_like(pos)
        delta = pos[cols] - pos[rows]
        length = np.maximum(np.linalg.norm(delta, axis=1), 1e-3)
        pull = delta * length[:, None]
        _accumulate(force, rows, pull, size)
        _accumulate(force, cols, -pull, size)
        near = cKDTree(pos).query_pairs(1.5, output_type="ndarray")
        if len(near):
            a, b = near[:, 0], near[:, 1]
            delta = pos[b] - pos[a]
            dist2 = np.maximum((delta**2).sum(axis=1), 1e-4)
            push = delta / dist2[:, None]
            _accumulate(force, a, -push, size)
            _accumulate(force, b, push, size)
        limit = 0.3 * (1 - step / iterations) + 0.02
        norm = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        pos += force * (np.minimum(norm, limit) / norm)[:, None]
    centred: np.ndarray = pos - pos.mean(axis=0)
    return centred


def _accumulate(force: np.ndarray, index: np.ndarray, values: np.ndarray, size: int) -> None:
    """``force[index] += values`` with repeated indices summed (``np.bincount`` is far faster than ``np.add.at``)."""
    force[:, 0] += np.bincount(index, weights=values[:, 0], minlength=size)
    force[:, 1] += np.bincount(index, weights=values[:, 1], minlength=size)


def _pack(placed: list[tuple[np.ndarray, np.ndarray]], size: int) -> np.ndarray:
    """Place the parts' layouts side by side in rows, largest first, in a roughly square block."""
    positions = np.zeros((size, 2))
    boxes = []
    for members, pos in placed:
        low = pos.min(axis=0)
        boxes.append((members, pos - low, pos.max(axis=0) - low + 1.0))
    boxes.sort(key=lambda box: (-len(box[0]), int(box[0].min())))
    width = max(math.sqrt(sum(float(b[2][0] * b[2][1]) for b in boxes)) * 1.2, float(boxes[0][2][0]))
    x = y = row = 0.0
    for members, pos, extent in boxes:
        if x > 0 and x + extent[0] > width:
            x, y, row = 0.0, y + row, 0.0
        positions[members] = pos + np.array([x, y])
        x, row = x + extent[0], max(row, float(extent[1]))
    centred: np.ndarray = positions - positions.mean(axis=0)
    return centred


# --- Page -------------------------------------------------------------------------------------------------------------


def network_data(graph: nx.MultiDiGraph, *, lang: str = "en", positions: bool | None = None) -> dict[str, Any]:
    """What the page draws: vis-network nodes, edges and options built with pyvis, plus each node's details.

    Args:
        graph: a graph from ``kg.network``.
        lang: the language the labels start in ("en" or "zh-Hans").
        positions: compute positions and turn physics off; by default for graphs of ``PHYSICS_LIMIT`` nodes and more.
    """
    large = graph.number_of_nodes() >= PHYSICS_LIMIT if positions is None else positions
    styles = class_styles(graph)
    net = _pyvis_network(graph, styles, lang=lang, large=large)
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net, large=large),
        "details": {key: _details(data) for key, data in graph.nodes(data=True)},
        "terms": _terms(graph),
        "lang": lang,
        "large": large,
    }


def _pyvis_network(graph: nx.MultiDiGraph, styles: Mapping[str, Style], *, lang: str, large: bool) -> Any:
    """A pyvis Network of ``graph``: nodes styled by class, sized by degree, placed when ``large``."""
    from pyvis.network import Network

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
        label = data.get("label_zh" if lang == "zh-Hans" else "label_en") or ""
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
    text = data.get("label_zh") if lang == "zh-Hans" else data.get("label_en")
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
    options["nodes"] = {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1}
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
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

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
    title: str = "Social e-commerce knowledge graph",
    query: str = "",
    lang: str = "en",
    positions: bool | None = None,
) -> str:
    """The page showing ``graph``: one self-contained HTML document.

    Args:
        graph: a graph from ``kg.network``.
        title: the page's heading.
        query: the query that produced the graph, shown under the heading.
        lang: the language labels start in ("en" or "zh-Hans").
        positions: compute the layout in Python with physics off (default: for ``PHYSICS_LIMIT`` nodes and more).
    """
    from markupsafe import Markup

    if lang not in ("en", "zh-Hans"):
        raise KGError(f"unknown label language {lang!r}; use en or zh-Hans")
    data = network_data(graph, lang=lang, positions=positions)
    scripts = [vis_script(), (TEMPLATES / "graph.js").read_text(encoding="utf-8")]
    page = _environment().get_template("graph.html.j2")
    return str(
        page.render(
            script_hashes=Markup(" ".join(_csp_hash(js) for js in scripts)),
            title=title,
            query=query,
            lang=lang,
            node_count=graph.number_of_nodes(),
            edge_count=graph.number_of_edges(),
            styles=list(class_styles(graph).values()),
            data_json=Markup(script_json(data)),
            vis_js=Markup(scripts[0]),
            page_js=Markup(scripts[1]),
            page_css=Markup((TEMPLATES / "graph.css").read_text(encoding="utf-8")),
        )
    )


def _csp_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run (the template puts it between two
    newlines); any other script, injected or not, is refused by the browser."""
    import base64
    import hashlib

    digest = hashlib.sha256(("\n" + script + "\n").encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def write_html(graph: nx.MultiDiGraph, path: str | Path, **options: Any) -> Path:
    """Render ``graph`` (options as for ``render_html``) and write it to ``path`` as UTF-8; return the path."""
    text = render_html(graph, **options)
    return write_atomically(path, text)
