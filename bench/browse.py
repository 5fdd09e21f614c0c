"""Browse benchmark: how fast the ways in answer on ``kg serve``, for the built-in graph and a generated graph.

For the built-in graph, and for it with a generated graph of 10,000 nodes on top (``bench.generate``), it starts
``kg serve`` on loopback and times, one request after another (after one warm-up each, with ``--cache 0`` so that
every answer is computed):

- the home page (HTML), a search (JSON) and suggestions as you type (``/suggest``, JSON): time to answer, p50 and
  p95 over ``--repeat`` requests, as the client sees it on loopback (an upper bound of the server's own time);
- suggestions computed in process (``kg.search.suggestions`` on the store, index built): the server's own work;
- the overview (``/overview``) in Chromium: time to first contentful paint from navigation start.

Targets: suggestions under 50 ms on the server; the overview's first paint under 2 s at 10,000 nodes. Writes
``bench/results/browse.md``. ``--before DIR`` adds a row for the built-in graph served by another checkout of kg
(its code first on the path, e.g. ``git worktree add DIR COMMIT``), measured in the same run. Never run as a test::

    .venv/bin/python -m bench.browse [--repeat 30] [--before DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.generate import DATA_DIR, write_turtle
from bench.serve import free_port

KG = Path(sys.executable).with_name("kg")
RESULTS = Path(__file__).resolve().parent / "results" / "browse.md"
WORDS = ("拼多", "kuai", "Pinduoduo", "daily", "社区团购")


#: Triples per node of bench.generate's graphs (measured: 40,001 triples hold 6,546 nodes).
TRIPLES_PER_NODE = 6.12


def generated(size: int) -> Path:
    """The generated graph of about ``size`` nodes, written once into bench/data/."""
    path = DATA_DIR / f"browse-{size}.ttl"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            write_turtle(out, int(size * TRIPLES_PER_NODE))
    return path


def serve(data: Path | None, folder: Path, code: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """``kg serve`` on a free loopback port (computing every answer), of the checkout ``code`` when given; its process
    and base URL, once it answers."""
    port = free_port()
    extra = ["--data", str(data)] if data else []
    command = [str(KG), *extra, "serve", "--port", str(port), "--workers", "2", "--cache", "0", "--timeout", "120"]
    log = (folder / f"serve-{port}.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(code.resolve())} if code else None
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/openapi.json", timeout=5).read()
            return process, base
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"kg serve did not start; see {log.name}")


def timed(url: str, accept: str) -> float:
    request = urllib.request.Request(url, headers={"Accept": accept})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        answer.read()
    return time.perf_counter() - start


def times(base: str, path: str, accept: str, repeat: int) -> list[float]:
    timed(base + path, accept)  # warm-up: the index is built on first use
    return [timed(base + path, accept) for _ in range(repeat)]


def suggest_paths() -> list[str]:
    return ["/suggest?" + urllib.parse.urlencode({"q": w[:n], "lang": "zh"}) for w in WORDS for n in (1, 2, len(w))]


def in_process(data: Path | None, repeat: int) -> list[float]:
    from kg.search import index, suggestions
    from kg.stores import open_store

    store = open_store(data=[data] if data else [])
    index(store)
    found = []
    for _ in range(repeat):
        for path in suggest_paths():
            text = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)["q"][0]
            start = time.perf_counter()
            suggestions(store, text, lang="zh-Hans")
            found.append(time.perf_counter() - start)
    return found


def first_paint(base: str, browser: Any) -> float:
    """Seconds from navigation start to the overview's first contentful paint, in a fresh page (best of three)."""
    best = float("inf")
    for _ in range(3):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "/overview?lang=en", wait_until="load")
        # the first contentful paint when Chromium reports one; else the first frame drawn after load (two frames on)
        paint = page.evaluate(
            """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
                const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
                done(fcp ? fcp.startTime : performance.now());
            })))"""
        )
        page.close()
        best = min(best, paint / 1000)
    return best


def ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="another checkout of kg, served for the built-in graph too")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    graphs: list[tuple[str, Path | None, Path | None]] = [("built-in", None, None)]
    if args.before:
        graphs.append((f"built-in, served by {args.before}", None, args.before))
    graphs.append((f"built-in + {args.size:,} generated nodes", generated(args.size), None))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, data, code in graphs:
            process, base = serve(data, folder, code)
            try:
                home = times(base, "/", "text/html", args.repeat)
                search = times(base, "/search?q=" + urllib.parse.quote("拼多"), "application/json", args.repeat)
                suggest = [t for p in suggest_paths() for t in times(base, p, "application/json", 3)]
                overview = times(base, "/overview", "text/html", max(5, args.repeat // 3))
                paint = first_paint(base, browser)
            finally:
                process.terminate()
                process.wait(30)
            local = in_process(data, 3)
            rows.append((name, home, search, suggest, local, overview, paint))
            print(name, "done", file=sys.stderr)
        browser.close()
    lines = [
        "# Browse: time to answer of the home page, search and suggestions; the overview's first paint",
        "",
        f"`python -m bench.browse --repeat {args.repeat}` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} CPUs, shared), {time.strftime('%Y-%m-%d', time.gmtime())}. kg serve with 2 workers and "
        "`--cache 0`; times over loopback as the client sees them, one request at a time; p50 / p95 in ms.",
        "",
        "| graph | home page | search | suggestions (HTTP) | suggestions (server's own work) | overview (HTML) "
        "| overview first paint |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, home, search, suggest, local, overview, paint in rows:
        cells = [f"{ms(v, 0.5)} / {ms(v, 0.95)}" for v in (home, search, suggest, local, overview)]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {paint:.2f} s |")
    judged = [r for r in rows if "served by" not in r[0]]  # this checkout's rows; --before's is for comparison
    worst_suggest = max(float(ms(r[4], 0.95)) for r in judged)
    worst_http = max(float(ms(r[3], 0.95)) for r in judged)
    worst_paint = max(r[6] for r in judged)
    lines += [
        "",
        f"Targets: suggestions under 50 ms on the server — p95 of the server's own work {worst_suggest:.1f} ms "
        f"({'met' if worst_suggest < 50 else 'missed'}; over HTTP, worker round trip included, p95 {worst_http:.1f} "
        f"ms on this shared machine); the overview's first paint under 2 s at "
        f"{args.size:,} nodes — {worst_paint:.2f} s ({'met' if worst_paint < 2 else 'missed'}).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
