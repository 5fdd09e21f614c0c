"""Render benchmark: `kg render` against pyvis's own defaults, from Python to the first complete draw in Chromium.

For synthetic graphs of 500, 2,000 and 5,000 nodes (social-commerce-like: typed nodes with English and Chinese
labels, scale-free links), it times

- kg: the command ``kg --data FILE render --sparql QUERY`` in a fresh process (store, query, network, layout, HTML),
  then Chromium opening the file until the page's first complete draw (``body[data-ready]``);
- pyvis defaults: ``Network()`` + ``from_nx`` + ``write_html`` (scripts in line, so that it can draw offline at all),
  then Chromium until vis-network's stabilisation is done and the next frame is drawn, capped at ``--cap`` seconds.

Prints the figures side by side and writes ``bench/results/render.md``. Never run as a test:

    .venv/bin/python bench/render_bench.py [--sizes 500 2000 5000] [--cap 60]
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


def open_until(browser: Any, path: Path, ready: str, cap: float) -> float | None:
    """Seconds from navigation until ``ready`` (a JS expression giving a Promise) resolves; None past ``cap``."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    started = time.perf_counter()
    try:
        page.goto(path.as_uri(), timeout=cap * 1000)
        page.wait_for_selector("body", timeout=cap * 1000)
        page.evaluate(ready, cap * 1000)
        return time.perf_counter() - started
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
    options = parser.parse_args()
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
