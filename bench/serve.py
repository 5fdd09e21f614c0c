"""kg serve against Oxigraph's own server and rdflib-endpoint, side by side in one run, measured with wrk on loopback.

The same triples for all: kg serves its built-in graph (in memory, as `kg serve` does by default); the two others
get that graph's union as N-Triples (dumped by kg into ``bench/data/serve-graph.nt``): Oxigraph loads it with
``oxigraph load`` into a store on disk and serves it with ``serve-read-only``; rdflib-endpoint reads the file into an
rdflib graph in memory. Cases:

- ``select``: the models with their labels, a small SELECT at each server's SPARQL endpoint (GET, JSON results);
- ``named``: the named query ``models``: kg through ``/api/models``, the others given the same SPARQL text;
- ``construct``: one model's neighbourhood (what it points at and what points at it) as N-Triples.

kg serve runs twice, side by side: ``kg serve --cache 0`` computes every answer (the engine's figures, which the
targets are judged on), and ``kg serve`` with its defaults keeps small answers for the next client asking the same
(a cache emptied by every write): the benchmark asks one query again and again, so that row measures the cache, not
the engine.

Each case runs at 8 and 64 connections for ``--seconds`` (wrk with 2 threads, a 10-second request timeout), the
servers in turn. Requests/s, p50/p99 latency and the CPU time the server's processes spent per request (read from
/proc for the server and its children: steadier than requests/s on a shared machine) go into
``bench/results/serve.md`` with the ratios of kg to the others. Targets: kg at least 0.5x Oxigraph's requests/s and 10x
rdflib-endpoint's; p99 under 50 ms at 8 connections for the small SELECT.

Needs ``wrk`` (Debian package ``wrk``, which the benchmark installs with apt-get on first use: the test suite does not
need it, so setup does not install it) and rdflib-endpoint, which this installs with pip into a virtual environment of
its own (``bench/data/rdflib-endpoint-venv``: it brings FastAPI and its own uvicorn, none of which kg needs).

``--before DIR`` runs a fifth server in turn with the others: ``kg serve --cache 0`` of another checkout of kg (say the
main branch before a change, made with ``git worktree add DIR COMMIT``), its code first on the path, and adds a table
of it beside this checkout's. Run:

    .venv/bin/python -m bench.serve [--seconds 10] [--out bench/results/serve.md] [--before DIR]
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
    cpu_us: float = 0.0  # CPU time of the server's processes per request


#: The engine's figures (every answer computed), and with the cache (the same query asked again and again).
KG = "kg serve"
KG_CACHE = "kg serve (cache)"
#: kg serve --cache 0 of the checkout given with --before.
KG_BEFORE = "kg serve (before)"
SERVERS = (KG, KG_CACHE, "oxigraph", "rdflib-endpoint")


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


def start(
    name: str, command: list[str], port: int, sparql: str, folder: Path, env: dict[str, str] | None = None
) -> Served:
    log = (folder / f"{name}.log").open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder, env=env
    )
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
def servers(folder: Path, before: Path | None = None) -> Iterator[list[Served]]:
    graph = graph_file()
    started: list[Served] = []
    try:
        if before is not None:  # the other checkout's code first on the path; the same virtual environment
            port = free_port()
            command = [str(BIN / "kg"), "serve", "--port", str(port), "--cache", "0"]
            env = {**os.environ, "PYTHONPATH": str(before.resolve())}
            started.append(start(KG_BEFORE, command, port, "/sparql", folder, env))
        port = free_port()
        command = [str(BIN / "kg"), "serve", "--port", str(port), "--cache", "0"]
        started.append(start(KG, command, port, "/sparql", folder))
        port = free_port()
        command = [str(BIN / "kg"), "serve", "--port", str(port)]
        started.append(start(KG_CACHE, command, port, "/sparql", folder))
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
    if case == "named" and served.name.startswith(KG):
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


def wrk(program: str, address: str, media: str, connections: int, seconds: int, pid: int) -> Measure:
    """One wrk run against ``address``; the CPU time spent by process ``pid`` and its descendants meanwhile."""
    command = [program, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    processes = tree(pid)
    before = sum(cpu_seconds(p) for p in processes)
    done = subprocess.run([*command, "-H", f"Accept: {media}", address], check=True, capture_output=True, text=True)
    spent = sum(cpu_seconds(p) for p in processes) - before
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)\s*:?\s*(\d+)", out)
    )
    cpu_us = 1e6 * spent / max(rps * seconds, 1.0)
    return Measure(rps, _latency(out, "50%"), _latency(out, "99%"), errors, cpu_us)


def _latency(out: str, percentile: str) -> float:
    distribution = out.partition("Latency Distribution")[2]
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", distribution).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process ``pid`` has used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """Process ``pid`` and its descendants (kg serve's workers), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += parents.get(found[-1], [])
    return found


def check_answers(started: list[Served]) -> None:
    """Every server answers every case with a 200 and some content before anything is measured."""
    for served in started:
        for case in ("select", "named", "construct"):
            status, body = fetch(served, url(served, case), accept(case))
            if status != 200 or len(body) < 50:
                sys.exit(f"{served.name} answers {case} with {status}: {body[:200]!r}")


def table(results: dict[tuple[str, int, str], Measure]) -> list[str]:
    lines = [
        "| case | connections | server | requests/s | p50 ms | p99 ms | server CPU µs/request | errors | / oxigraph "
        "| / rdflib-endpoint |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in ("select", "named", "construct"):
        for connections in CONNECTIONS:
            ox = results[(case, connections, "oxigraph")].rps
            rd = results[(case, connections, "rdflib-endpoint")].rps
            for name in SERVERS:
                m = results[(case, connections, name)]
                ratios = ["", ""]
                if name.startswith(KG):
                    ratios = [f"{m.rps / ox:.2f}x", f"{m.rps / rd:.1f}x" if rd else "inf"]
                lines.append(
                    f"| {case} | {connections} | {name} | {m.rps:,.0f} | {m.p50_ms:.1f} | {m.p99_ms:.1f} | "
                    f"{m.cpu_us:,.0f} | {m.errors} | {ratios[0]} | {ratios[1]} |"
                )
    return lines


def verdict(results: dict[tuple[str, int, str], Measure]) -> list[str]:
    """The targets, judged on the engine's figures (kg serve --cache 0); the cache's beside them, for what they are."""
    lines = []
    for case in ("select", "named", "construct"):
        for connections in CONNECTIONS:
            kg, cached, ox, rd = (results[(case, connections, n)] for n in SERVERS)
            lines.append(
                f"- {case} at {connections}: {kg.rps / ox.rps:.2f}x Oxigraph's server (target 0.5x: "
                f"{'met' if kg.rps >= 0.5 * ox.rps else 'NOT met'}), {kg.rps / max(rd.rps, 1e-9):.1f}x "
                f"rdflib-endpoint's (target 10x: {'met' if kg.rps >= 10 * rd.rps else 'NOT met'}); "
                f"answered from the cache: {cached.rps / ox.rps:.2f}x and {cached.rps / max(rd.rps, 1e-9):.1f}x"
            )
    p99 = results[("select", 8, KG)].p99_ms
    lines.append(f"- p99 of the small SELECT at 8 connections: {p99:.1f} ms (target under 50 ms: "
                 f"{'met' if p99 < 50 else 'NOT met'})")  # fmt: skip
    return lines


def compared(results: dict[tuple[str, int, str], Measure], before: Path) -> list[str]:
    """This checkout's kg serve --cache 0 beside the one of ``before``, measured in turn in the same run."""
    lines = [
        f"## Before and after: `kg serve --cache 0` of `{before}` and of this checkout, in turn in one run",
        "",
        "| case | connections | before req/s | after req/s | after / before | before CPU µs/req | after CPU µs/req "
        "| CPU after / before |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in ("select", "named", "construct"):
        for connections in CONNECTIONS:
            old, new = results[(case, connections, KG_BEFORE)], results[(case, connections, KG)]
            lines.append(
                f"| {case} | {connections} | {old.rps:,.0f} | {new.rps:,.0f} | {new.rps / old.rps:.2f}x | "
                f"{old.cpu_us:,.0f} | {new.cpu_us:,.0f} | {new.cpu_us / old.cpu_us:.2f}x |"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "serve.md")
    parser.add_argument("--before", type=Path, help="another checkout of kg, measured beside this one")
    args = parser.parse_args()
    program = need_wrk()
    folder = DATA / "serve-run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    results: dict[tuple[str, int, str], Measure] = {}
    load_before = os.getloadavg()
    with servers(folder, args.before) as started:
        check_answers(started)
        for case in ("select", "named", "construct"):
            for connections in CONNECTIONS:
                for served in started:  # in turn, so that the shared machine's noise falls on all alike
                    fetch(served, url(served, case), accept(case))
                    m = wrk(program, url(served, case), accept(case), connections, args.seconds, served.process.pid)
                    results[(case, connections, served.name)] = m
                    print(f"{case:9} c={connections:<3} {served.name:16} {m.rps:9,.0f} req/s  "
                          f"p50 {m.p50_ms:7.1f} ms  p99 {m.p99_ms:7.1f} ms  cpu {m.cpu_us:6,.0f} us/req  "
                          f"errors {m.errors}", flush=True)  # fmt: skip
    load_after = os.getloadavg()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    load = f"load average {load_before[0]:.2f} before the run, {load_after[0]:.2f} after"
    text = [
        "# kg serve against Oxigraph's server and rdflib-endpoint",
        "",
        f"`python -m bench.serve --seconds {args.seconds}`, {time.strftime('%Y-%m-%d %H:%M')}, {machine}, {load}; "
        "wrk with 2 threads on the same machine, all on loopback. kg serve with its defaults (2 worker processes, the "
        "built-in graph in memory), once with `--cache 0` (every answer computed: the engine's figures, on which the "
        "targets are judged) and once with its cache (the benchmark asks the same query again and again, so those "
        "rows measure answers kept, not the engine); Oxigraph's server read-only on disk; rdflib-endpoint in memory, "
        "the same triples. Server CPU is the user and system time of the server's processes (kg: with its workers) "
        "per request, read from /proc.",
        "",
        *table(results),
        "",
        *verdict(results),
        "",
        *([*compared(results, args.before), ""] if args.before else []),
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
