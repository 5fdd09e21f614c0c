"""Panels benchmark: what the panels of a node's page (figures and their charts, a model's groups, disagreements,
sources, the legend) cost, against the same page without them, side by side.

In process, on the built-in graph, it builds the page of a few nodes (an enterprise with figures, a model, the market
with its disagreements, a node with no figures) ``--repeat`` times each way, alternating, after one warm-up; the
baseline is the same code with :func:`kg.serve.pages._panels` left out (and the drawing's legend with it). It reports
the median time of each, their ratio, and the page's size in bytes each way. Writes ``bench/results/panels.md``.
Never run as a test::

    .venv/bin/python -m bench.panels [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from kg.serve import pages
from kg.stores import open_store
from kg.vocab import ID

RESULTS = Path(__file__).resolve().parent / "results" / "panels.md"
NODES = ("pinduoduo", "community-group-buying", "social-ecommerce-market", "price-sensitive-users")


def without_panels() -> Any:
    """The page as it was before the panels: no figures, groups, disagreements, sources or legend."""

    def drawing(store: Any, iri: str, lang: str) -> tuple[Any, Any, list[Any]]:
        data, links, _ = original_drawing(store, iri, lang)
        return data, links, []

    original_drawing = pages.drawing
    return mock.patch.multiple(pages, _panels=lambda *args: None, drawing=drawing)


def timed(build: Callable[[], str]) -> tuple[float, int]:
    """Seconds one page takes to build, and its size in bytes."""
    start = time.perf_counter()
    page = build()
    return time.perf_counter() - start, len(page.encode("utf-8"))


def measure(repeat: int) -> list[tuple[str, float, float, int, int]]:
    """Per node: median seconds with the panels and without, and the page's bytes each way."""
    store = open_store()
    rows = []
    for name in NODES:
        iri = ID.term(name)

        def build(iri: str = iri) -> str:
            return pages.node_page(store, iri, lang="zh", here="/")

        build()
        with without_panels():
            build()
        panelled, plain, size, plain_size = [], [], 0, 0
        for _ in range(repeat):
            seconds, size = timed(build)
            panelled.append(seconds)
            with without_panels():
                seconds, plain_size = timed(build)
            plain.append(seconds)
        rows.append((name, statistics.median(panelled), statistics.median(plain), size, plain_size))
    return rows


def report(rows: list[tuple[str, float, float, int, int]], repeat: int) -> str:
    """The results as Markdown."""
    lines = [
        "# Node pages with and without their panels",
        "",
        f"`python -m bench.panels --repeat {repeat}` on {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; the built-in graph in memory, pages in Chinese, built in process (no HTTP), "
        f"median of {repeat} builds each way, alternating.",
        "",
        "| node | with panels | without | ratio | bytes with | bytes without |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, panelled, plain, size, plain_size in rows:
        lines.append(
            f"| {name} | {panelled * 1000:.0f} ms | {plain * 1000:.0f} ms | {panelled / plain:.2f}x "
            f"| {size:,} | {plain_size:,} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    text = report(measure(args.repeat), args.repeat)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
