"""kg serve against Oxigraph's own server and rdflib-endpoint, side by side in one run, measured with wrk on loopback.

The same triples for all three: kg serves its built-in graph (in memory, as `kg serve` does by default); the two others
get that graph's union as N-Triples (dumped by kg into ``bench/data/serve-graph.nt``): Oxigraph loads it with
``oxigraph load`` into a store on disk and serves it with ``serve-read-only``; rdflib-endpoint reads the file into an
rdflib graph in memory. Cases:

- ``select``: the models with their labels, a small SELECT at each server's SPARQL endpoint (GET, JSON results);
- ``named``: the named query ``models``: kg through ``/api/models``, the others given the same SPARQL text;
- ``construct``: one model's neighbourhood (what it points at and what points at it) as N-Triples.

Each case runs at 8 and 64 connections for ``--seconds`` (wrk with 2 threads, a 10-second request timeout), the
servers in turn. Requests/s and p50/p99 latency go into ``bench/results/serve.md`` with the ratios of kg to the others.
Targets: kg at least 0.5x Oxigraph's requests/s and 10x rdflib-endpoint's; p99 under 50 ms at 8 connections for the
small SELECT.

Needs ``wrk`` (Debian package ``wrk``, which the benchmark installs with apt-get on first use: the test suite does not
need it, so setup does not install it) and rdflib-endpoint, which this installs with pip into a virtual environment of
its own (``bench/data/rdflib-endpoint-venv``: it brings FastAPI and its own uvicorn, none of which kg needs). Run:

    .venv/bin/python -m bench.serve [--seconds 10] [--out bench/results/serve.md]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = ROOT / "bench" / "data"
GRAPH = DATA / "serve-graph.nt"
RDFLIB_ENDPOINT = DATA / "rdflib-endpoint-venv"
RDFLIB_ENDPOINT_VERSION = "0.6.3"

PREFIXES = (
    "PREFIX sce: <https://w3id.org/sce/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
SMALL_SELECT = PREFIXES + "SELECT ?model ?label WHERE { ?model a sce:SocialCommerceModel ; rdfs:label ?label }"
MODEL = "https://w3id.org/sce/id/group-buying"
NEIGHBOURHOOD = (
    f"CONSTRUCT {{ <{MODEL}> ?p ?o . ?s ?q <{MODEL}> }} WHERE {{ {{ <{MODEL}> ?p ?o }} UNION {{ ?s ?q <{MODEL}> }} }}"
)
JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
CONNECTIONS = (8, 64)


@dataclass
class Served:
    name: str
    base: str  # scheme, host and port
    sparql: str  # the SPARQL endpoint's path
    process: subprocess.Popen[bytes]


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


# --- Preparing ------------------------------------------------------------------------------------------------------


def need_wrk() -> str:
    """wrk, installed from Debian's packages on first use (as setup.sh installs what the tests need)."""
    program = shutil.which("wrk")
    if program is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("bench.serve: installing the Debian package wrk", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env)
        program = shutil.which("wrk")
    if program is None:
        sys.exit("bench.serve needs wrk and could not install it: apt-get install wrk (Debian package wrk)")
    return program


def rdflib_endpoint() -> Path:
    """The rdflib-endpoint program, installed into its own virtual environment on first use."""
    program = RDFLIB_ENDPOINT / "bin" / "rdflib-endpoint"
    if not program.exists():
        print(f"installing rdflib-endpoint {RDFLIB_ENDPOINT_VERSION} into {RDFLIB_ENDPOINT}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(RDFLIB_ENDPOINT)], check=True)
        pip = [str(RDFLIB_ENDPOINT / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"rdflib-endpoint[cli]=={RDFLIB_ENDPOINT_VERSION}"], check=True)
    return program


def graph_file() -> Path:
    """The built-in graph's union as N-Triples, as kg serves it."""
    if not GRAPH.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        subprocess.run([str(BIN / "kg"), "sparql", query, "-f", "nt", "--output", str(GRAPH)], check=True)
    return GRAPH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- The servers ----------------------------------------------------------------------------------------------------


def start(name: str, command: list[str], port: int, sparql: str, folder: Path) -> Served:
    log = (folder / f"{name}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder)
    served = Served(name, f"http://127.0.0.1:{port}", sparql, process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited: {(folder / f'{name}.log').read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            status, _ = fetch(served, url(served, "select"), JSON)
            if status == 200:
                return served
        time.sleep(0.3)
    stop(served)
    sys.exit(f"{name} did not answer within 120 s")


def stop(served: Served) -> None:
    if served.process.poll() is None:
        served.process.terminate()
        try:
            served.process.wait(30)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(10)


@contextlib.contextmanager
def servers(folder: Path) -> Iterator[list[Served]]:
    graph = graph_file()
    started: list[Served] = []
    try:
        port = free_port()
        command = [str(BIN / "kg"), "serve", "--port", str(port)]
        started.append(start("kg serve", command, port, "/sparql", folder))
        oxigraph = str(BIN / "oxigraph")
        store = folder / "oxigraph"
        subprocess.run([oxigraph, "load", "--location", str(store), "--file", str(graph)], check=True)
        port = free_port()
        command = [oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
        started.append(start("oxigraph", command, port, "/query", folder))
        port = free_port()
        command = [str(rdflib_endpoint()), "serve", "--host", "127.0.0.1", "--port", str(port), str(graph)]
        started.append(start("rdflib-endpoint", command, port, "/", folder))
        yield started
    finally:
        for served in started:
            stop(served)


def url(served: Served, case: str) -> str:
    if case == "named" and served.name == "kg serve":
        return served.base + "/api/models"
    query = {"select": SMALL_SELECT, "named": (ROOT / "queries" / "models.rq").read_text(), "construct": NEIGHBOURHOOD}
    return served.base + served.sparql + "?" + urllib.parse.urlencode({"query": query[case]})


def accept(case: str) -> str:
    return NTRIPLES if case == "construct" else JSON


def fetch(served: Served, address: str, media: str) -> tuple[int, bytes]:
    request = urllib.request.Request(address, headers={"Accept": media})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, answer.read()


# --- Measuring ------------------------------------------------------------------------------------------------------


def wrk(program: str, address: str, media: str, connections: int, seconds: int) -> Measure:
    command = [program, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    done = subprocess.run([*command, "-H", f"Accept: {media}", address], check=True, capture_output=True, text=True)
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)\s*:?\s*(\d+)", out)
    )
    return Measure(rps, _latency(out, "50%"), _latency(out, "99%"), errors)


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def check_answers(started: list[Served]) -> None:
    """Every server answers every case with a 200 and some content before anything is measured."""
    for served in started:
        for case in ("select", "named", "construct"):
            status, body = fetch(served, url(served, case), accept(case))
            if status != 200 or len(body) < 50:
                sys.exit(f"{served.name} answers {case} with {status}: {body[:200]!r}")


def table(results: dict[tuple[str, int, str], Measure]) -> list[str]:
    lines = [
        "| case | connections | server | requests/s | p50 ms | p99 ms | errors | kg / oxigraph "
        "| kg / rdflib-endpoint |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case in ("select", "named", "construct"):
        for connections in CONNECTIONS:
            kg = results[(case, connections, "kg serve")]
            for name in ("kg serve", "oxigraph", "rdflib-endpoint"):
                m = results[(case, connections, name)]
                ratios = ["", ""]
                if name == "kg serve":
                    ox = results[(case, connections, "oxigraph")].rps
                    rd = results[(case, connections, "rdflib-endpoint")].rps
                    ratios = [f"{kg.rps / ox:.2f}x", f"{kg.rps / rd:.1f}x" if rd else "inf"]
                lines.append(
                    f"| {case} | {connections} | {name} | {m.rps:,.0f} | {m.p50_ms:.1f} | {m.p99_ms:.1f} | "
                    f"{m.errors} | {ratios[0]} | {ratios[1]} |"
                )
    return lines


def verdict(results: dict[tuple[str, int, str], Measure]) -> list[str]:
    lines = []
    for case in ("select", "named", "construct"):
        for connections in CONNECTIONS:
            kg, ox, rd = (results[(case, connections, n)] for n in ("kg serve", "oxigraph", "rdflib-endpoint"))
            lines.append(
                f"- {case} at {connections}: {kg.rps / ox.rps:.2f}x Oxigraph's server (target 0.5x: "
                f"{'met' if kg.rps >= 0.5 * ox.rps else 'NOT met'}), {kg.rps / max(rd.rps, 1e-9):.1f}x "
                f"rdflib-endpoint's (target 10x: {'met' if kg.rps >= 10 * rd.rps else 'NOT met'})"
            )
    p99 = results[("select", 8, "kg serve")].p99_ms
    lines.append(f"- p99 of the small SELECT at 8 connections: {p99:.1f} ms (target under 50 ms: "
                 f"{'met' if p99 < 50 else 'NOT met'})")  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "serve.md")
    args = parser.parse_args()
    program = need_wrk()
    folder = DATA / "serve-run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    results: dict[tuple[str, int, str], Measure] = {}
    with servers(folder) as started:
        check_answers(started)
        for case in ("select", "named", "construct"):
            for connections in CONNECTIONS:
                for served in started:  # in turn, so that the shared machine's noise falls on all alike
                    fetch(served, url(served, case), accept(case))
                    m = wrk(program, url(served, case), accept(case), connections, args.seconds)
                    results[(case, connections, served.name)] = m
                    print(f"{case:9} c={connections:<3} {served.name:16} {m.rps:9,.0f} req/s  "
                          f"p50 {m.p50_ms:7.1f} ms  p99 {m.p99_ms:7.1f} ms  errors {m.errors}", flush=True)  # fmt: skip
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = [
        "# kg serve against Oxigraph's server and rdflib-endpoint",
        "",
        f"`python -m bench.serve --seconds {args.seconds}`, {time.strftime('%Y-%m-%d')}, {machine}; wrk with 2 "
        "threads on the same machine, all on loopback. kg serve with its defaults (2 worker processes, the built-in "
        "graph in memory); Oxigraph's server read-only on disk; rdflib-endpoint in memory, the same triples.",
        "",
        *table(results),
        "",
        *verdict(results),
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
