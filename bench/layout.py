"""kg's layout of a 2,000-node graph against networkx's spring layout of the same graph, side by side.

The graph is the one ``tests/test_render.py`` checks for spread (a Barabási–Albert graph of 2,000 nodes with 300
leaves hung on it). Each round times both in this process, in turn; the table gives medians and kg's ratio to the
baseline. The figure the renderer was built to: kg's layout under 2 s for 2,000 nodes. Run:

    .venv/bin/python bench/layout.py [--rounds 5] [--out bench/results/layout.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.layout import layout


def graph() -> nx.Graph:
    built = nx.barabasi_albert_graph(2000, 2, seed=1)
    built.add_edges_from((i, 2000 + i) for i in range(300))
    return built


def timed(function: object, g: nx.Graph) -> float:
    started = time.process_time()
    function(g)  # type: ignore[operator]
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    g = graph()
    layout(nx.path_graph(50))  # scipy's first import is not the layout's time
    kg_times, nx_times = [], []
    for _ in range(args.rounds):
        kg_times.append(timed(layout, g))
        nx_times.append(timed(lambda h: nx.spring_layout(h, seed=7), g))
    kg_s, nx_s = statistics.median(kg_times), statistics.median(nx_times)
    lines = [
        f"# Layout of {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges"
        f" (CPU seconds, median of {args.rounds})",
        "",
        "| layout | CPU s | ratio to networkx |",
        "| --- | ---: | ---: |",
        f"| networkx spring_layout (baseline) | {nx_s:.2f} | 1.00x |",
        f"| kg.layout.layout | {kg_s:.2f} | {kg_s / nx_s:.2f}x |",
        "",
        f"Target: kg's layout under 2 s. Load average at the end: {os.getloadavg()[0]:.1f}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
