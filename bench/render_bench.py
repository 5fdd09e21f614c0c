"""Render benchmark: `kg render` against pyvis's own defaults, from Python to the first complete draw in Chromium.

For synthetic graphs of 500, 2,000 and 5,000 nodes (social-commerce-like: typed nodes with English and Chinese
labels, scale-free links), it times

- kg: the command ``kg --data FILE render --sparql QUERY`` in a fresh process (store, query, network, layout, HTML),
  then Chromium opening the file until the page's first complete draw (``body[data-ready]``);
- pyvis defaults: ``Network()`` + ``from_nx`` + ``write_html`` (scripts in line, so that it can draw offline at all),
  then Chromium until vis-network's stabilisation is done and the next frame is drawn, capped at ``--cap`` seconds.

Prints the figures side by side and writes ``bench/results/render.md``. Never run as a test:

    .venv/bin/python bench/render_bench.py [--sizes 500 2000 5000] [--cap 60]

With ``--overview`` it times instead the first view of the whole graph, the overview (``kg.overview.drawing``), for
the built-in graph and for the built-in graph with a generated one of ``--triples`` statements (``bench/generate.py``,
10,000 nodes and more), against the same page opened on the whole drawing, side by side: the Python that writes each
page, and Chromium at 1366x900 from navigation to the first complete draw. It rewrites that section of the results:

    .venv/bin/python bench/render_bench.py --overview [--triples 62000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KG = Path(sys.executable).with_name("kg")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
NS = "https://example.org/bench/"
CLASSES = ["SocialCommerceModel", "Form", "Enterprise", "ProductCategory", "UserSegment", "Channel", "Role"]
PROPERTIES = ["hasForm", "representedBy", "coreProduct", "targets", "usesChannel", "involvesRole"]
QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), '{NS}')) }}"


def synthetic_turtle(size: int, path: Path, *, seed: int = 1) -> None:
    """A scale-free graph of ``size`` typed, labelled nodes (each new node links to two earlier ones) as Turtle."""
    rng = random.Random(seed)
    lines = [
        "@prefix sce: <https://w3id.org/sce/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    targets: list[int] = [0, 1]
    for i in range(size):
        cls = CLASSES[min(len(CLASSES) - 1, int(rng.expovariate(0.5)))]
        lines.append(f'<{NS}n{i}> a sce:{cls} ; rdfs:label "node {i}"@en , "节点{i}"@zh-Hans .')
        if i >= 2:
            for j in {rng.choice(targets), rng.choice(targets)}:
                lines.append(f"<{NS}n{i}> sce:{rng.choice(PROPERTIES)} <{NS}n{j}> .")
                targets += [i, j]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_until(
    browser: Any, path: Path, ready: str, cap: float, *, viewport: tuple[int, int] = (1280, 800)
) -> float | None:
    """Seconds from navigation until ``ready`` (a JS expression giving a Promise) resolves; None past ``cap``."""
    context = browser.new_context(offline=True, viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    started = time.perf_counter()
    try:
        page.goto(path.as_uri(), timeout=cap * 1000)
        page.wait_for_selector("body", timeout=cap * 1000)
        noted = page.evaluate(ready, cap * 1000)
        return float(noted) if isinstance(noted, (int, float)) else time.perf_counter() - started
    except Exception:  # a timeout, or a page that never settles: both mean "past the cap"
        return None
    finally:
        context.close()


KG_READY = """(cap) => new Promise((ok, fail) => {
  const t0 = performance.now();
  (function poll() { if (document.body.dataset.ready === 'true') ok(); else if (performance.now() - t0 > cap) fail();
    else setTimeout(poll, 10); })();
})"""
PYVIS_READY = """(cap) => new Promise((ok, fail) => {
  setTimeout(fail, cap);
  network.once('stabilizationIterationsDone', () => network.once('afterDrawing', ok));
})"""


def run_kg(browser: Any, data: Path, out: Path, cap: float) -> tuple[float, float | None]:
    """kg's Python time (a fresh ``kg render`` process) and the browser's time to the first complete draw."""
    started = time.perf_counter()
    subprocess.run([str(KG), "--data", str(data), "render", "--sparql", QUERY, "-o", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    python = time.perf_counter() - started
    return python, open_until(browser, out, KG_READY, cap)


def run_pyvis(browser: Any, data: Path, out: Path, cap: float) -> tuple[float, float | None]:
    """pyvis with its defaults (scripts in line): Python time from the same networkx graph, and the browser's."""
    from pyvis.network import Network

    from kg.network import from_triples
    from kg.stores import Store

    store = Store()
    store.load(data)
    graph = from_triples(store.query(QUERY), store=store, describe=False)
    started = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for key, attrs in graph.nodes(data=True):
        net.add_node(key, label=attrs["label_en"], title=attrs["class_en"])
    for source, target, _ in graph.edges(keys=True):
        net.add_edge(source, target)
    net.write_html(str(out))
    python = time.perf_counter() - started
    return python, open_until(browser, out, PYVIS_READY, cap)


OVERVIEW_HEADING = "## The overview's first paint"
#: Browser runs of each page; the median is reported.
RUNS = 3


def time_pages(browser: Any, graph: Any, folder: Path, cap: float) -> list[tuple[float, float | None]]:
    """Python seconds to write the page opening on the overview, then on the whole drawing, and Chromium's seconds
    from navigation to each one's first complete draw at 1366x900, as the page notes it (``window.__kgPainted``; the
    median of ``RUNS``, each in a fresh context).
    A small page is written first, so that neither pays for the imports and the template alone."""
    import statistics

    import networkx as nx

    from kg.render import render_html

    render_html(nx.MultiDiGraph(nx.path_graph(300)), overview=True)  # a large graph's path: layout, scipy
    times = []
    for overview in (True, False):
        started = time.perf_counter()
        page = render_html(graph, overview=overview)
        python = time.perf_counter() - started
        path = folder / f"page-{overview}.html"
        path.write_text(page, encoding="utf-8")
        runs = [open_until(browser, path, KG_PAINTED, cap, viewport=(1366, 900)) for _ in range(RUNS)]
        painted = None if None in runs else statistics.median(r for r in runs if r is not None)
        times.append((python, painted))
    return times


#: Seconds from navigation to the page's first complete draw, which the page notes (``window.__kgPainted``).
KG_PAINTED = KG_READY.replace("ok();", "ok(window.__kgPainted / 1000);")


def run_overview(options: argparse.Namespace) -> None:
    """Time the overview of the built-in graph and of a generated one beside the whole drawing; rewrite its section."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE.parent))
    from bench.generate import generate
    from kg.network import from_store
    from kg.stores import open_store

    header = ("| graph | nodes | overview: Python | overview: first paint | whole: Python | whole: first paint | "
              "first paint whole / overview |")  # fmt: skip
    rows = [header, "|---|---:|---:|---:|---:|---:|---:|"]
    print(header)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        generated = Path(tmp) / "generated.ttl"
        generate(options.triples, generated)
        for name, data in (("built-in", None), (f"built-in + generated ({options.triples:,} triples)", generated)):
            store = open_store()
            if data is not None:
                store.load(data)
            graph = from_store(store)
            (ov_py, ov_br), (wh_py, wh_br) = time_pages(browser, graph, Path(tmp), options.cap)
            ratio = "n/a" if ov_br is None or wh_br is None else f"{wh_br / ov_br:.1f}×"
            row = (f"| {name} | {graph.number_of_nodes():,} | {ov_py:.2f} s | {fmt(ov_br, options.cap)} | "
                   f"{wh_py:.2f} s | {fmt(wh_br, options.cap)} | {ratio} |")  # fmt: skip
            print(row, flush=True)
            rows.append(row)
        browser.close()
    section = [
        OVERVIEW_HEADING,
        "",
        "graph.html (`kg render`, `exports/sce.html`, the notebook's `draw()`) opens on the overview: the models and",
        "their dimensions, the rest folded into counts. Chromium at 1366x900, from navigation to the first complete",
        "draw (`window.__kgPainted`), median of 3 fresh contexts, against the same graph's page opened on the whole",
        "drawing (layout computed in Python, physics off). Python: `kg.render.render_html` on the network already",
        "built (both pages hold the whole graph, so that it is one click away: the Python is the same work).",
        f"Command: `.venv/bin/python bench/render_bench.py --overview --triples {options.triples}`",
        "",
        f"Machine: {machine()}; load average before the run {os.getloadavg()[0]:.1f}.",
        "",
        *rows,
        "",
        "Target (issue 24): the overview's first paint under 2 s, the built-in graph and a 10,000-node one.",
        "",
    ]
    target = HERE / "results" / "render.md"
    before = target.read_text(encoding="utf-8").split(OVERVIEW_HEADING)[0].rstrip("\n")
    target.write_text(before + "\n\n" + "\n".join(section), encoding="utf-8")


def machine() -> str:
    """nproc, CPU model, memory, OS, Chromium."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} CPUs ({cpu}), {int(mem) // 1024 // 1024} GiB memory, {platform.platform()}, "
            f"Python {platform.python_version()}, {chromium}")  # fmt: skip


def fmt(value: float | None, cap: float) -> str:
    return f">{cap:.0f} s" if value is None else f"{value:.2f} s"


def main() -> None:
    """Run the benchmark, print the table and write ``bench/results/render.md``."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a browser run counts as '>cap'")
    parser.add_argument("--overview", action="store_true", help="time the overview's first paint instead")
    parser.add_argument("--triples", type=int, default=62_000, help="statements of the generated graph (--overview)")
    options = parser.parse_args()
    if options.overview:
        run_overview(options)
        return
    header = "| nodes | kg Python | kg browser | kg total | pyvis Python | pyvis browser | pyvis total | pyvis / kg |"
    rows = [header, "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    print(header)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for size in options.sizes:
            data = Path(tmp) / f"synthetic-{size}.ttl"
            synthetic_turtle(size, data)
            kg_py, kg_br = run_kg(browser, data, Path(tmp) / f"kg-{size}.html", options.cap)
            pv_py, pv_br = run_pyvis(browser, data, Path(tmp) / f"pyvis-{size}.html", options.cap)
            kg_total = None if kg_br is None else kg_py + kg_br
            pv_total = None if pv_br is None else pv_py + pv_br
            ratio = "n/a" if kg_total is None else (f">{(pv_py + options.cap) / kg_total:.0f}×" if pv_total is None
                                                     else f"{pv_total / kg_total:.1f}×")  # fmt: skip
            row = (f"| {size:,} | {kg_py:.2f} s | {fmt(kg_br, options.cap)} | {fmt(kg_total, options.cap)} | "
                   f"{pv_py:.2f} s | {fmt(pv_br, options.cap)} | {fmt(pv_total, options.cap)} | {ratio} |")  # fmt: skip
            print(row, flush=True)
            rows.append(row)
        browser.close()
    report = [
        "# Render benchmark",
        "",
        "`kg render` (fresh process: store, query, network, layout, HTML) and Chromium to the first complete draw,",
        "against pyvis's defaults (physics on, stabilisation of 1,000 iterations; scripts in line so it can draw",
        f"offline) on the same graphs, capped at {options.cap:.0f} s. Synthetic scale-free graphs, two links per node.",
        f"Command: `.venv/bin/python bench/render_bench.py --sizes {' '.join(map(str, options.sizes))}`",
        "",
        f"Machine: {machine()}.",
        "",
        *rows,
        "",
        "Targets (issue 4): 2,000 nodes <= 3 s end to end, 5,000 nodes <= 8 s.",
        "",
    ]
    (HERE / "results" / "render.md").write_text("\n".join(report), encoding="utf-8")


if __name__ == "__main__":
    main()
