"""Positions for large graphs, computed in Python: pivot MDS refined by a few force-directed steps.

vis-network's physics takes minutes on thousands of nodes; these positions take a fraction of a second, and the page
draws them at once with physics off. Each connected part is laid out on its own, and the parts are packed side by
side. The result depends only on the graph and the seed, so pages are reproducible.

>>> import networkx as nx
>>> positions = layout(nx.path_graph(["a", "b", "c"]))
>>> sorted(positions)
['a', 'b', 'c']
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np


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
    from scipy.sparse import coo_matrix  # late: importing scipy.sparse costs ~147 ms
    from scipy.sparse.csgraph import connected_components  # late: importing scipy.sparse.csgraph costs ~613 ms

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
    from scipy.sparse.csgraph import shortest_path  # late: importing scipy.sparse.csgraph costs ~613 ms

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
    from scipy.spatial import cKDTree  # late: importing scipy.spatial costs ~865 ms

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


# --- Labels side by side --------------------------------------------------------------------------------------------

#: Widths of characters in vis-network's default label font (14 px sans-serif), a little generous, in pixels.
WIDE_CHARACTERS = frozenset("mwMWOQGDHNU@%")
NARROW_CHARACTERS = frozenset("iljtfr.,:;'|!() ·-")


def label_width(text: str, *, size: float = 14.0) -> float:
    """How wide ``text`` is drawn at ``size`` px, estimated a little generously (a Chinese character is one em).

    >>> label_width("快手"), label_width("Kuaishou") > label_width("快手")
    (28.0, True)
    """
    em = 0.0
    for char in text:
        if ord(char) >= 0x2E80:
            em += 1.0
        elif char in WIDE_CHARACTERS:
            em += 0.85
        elif char in NARROW_CHARACTERS:
            em += 0.36
        else:
            em += 0.62
    return round(em * size, 1)


def pack_lines(
    wanted: list[tuple[str, float, float]], *, gap: float = 16.0, slack: float = 150.0
) -> dict[str, tuple[float, int]]:
    """Boxes side by side on as few lines as it takes, each close to where it wants to be and none overlapping.

    Args:
        wanted: ``(key, x, width)``: each box's wanted centre and its width.
        gap: the least room between two boxes on a line.
        slack: how far right of its wanted place a box may go before it opens a line of its own.

    Returns: each key's centre and line (0 first).

    >>> pack_lines([("a", 0, 100), ("b", 10, 100), ("c", 400, 50)])
    {'a': (0.0, 0), 'b': (116.0, 0), 'c': (400.0, 0)}
    >>> pack_lines([("a", 0, 100), ("b", 0, 100)], slack=50)
    {'a': (0.0, 0), 'b': (0.0, 1)}
    """
    ends: list[float] = []
    placed: dict[str, tuple[float, int]] = {}
    for key, x, width in sorted(wanted, key=lambda w: (w[1], w[0])):
        left = x - width / 2
        line = next((i for i, end in enumerate(ends) if max(left, end + gap) - left <= slack), len(ends))
        if line == len(ends):
            ends.append(-math.inf)
        start = max(left, ends[line] + gap)
        ends[line] = start + width
        placed[key] = (round(start + width / 2, 1), line)
    return placed


def flow(widths: list[tuple[str, float]], *, line_width: float, gap: float = 16.0) -> dict[str, tuple[float, int]]:
    """Boxes left to right in their order, a new line when the next would pass ``line_width``: each centre and line.

    >>> flow([("a", 100), ("b", 100), ("c", 100)], line_width=250)
    {'a': (50.0, 0), 'b': (166.0, 0), 'c': (50.0, 1)}
    """
    placed: dict[str, tuple[float, int]] = {}
    x, line = 0.0, 0
    for key, width in widths:
        if x > 0 and x + width > line_width:
            x, line = 0.0, line + 1
        placed[key] = (round(x + width / 2, 1), line)
        x += width + gap
    return placed
