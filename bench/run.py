"""The engine benchmark: kg against raw pyoxigraph and rdflib's own engine, in one run, at 10k, 100k and 1M triples.

One command runs everything and writes ``bench/results/engine.md``::

    .venv/bin/python -m bench.run                      # every size; about a quarter of an hour on 2 cores
    .venv/bin/python -m bench.run --sizes 10k,100k     # a quick look

What it measures, each as a whole process where a user would run one (wall time from start to exit, peak RSS from
``wait4``), unless it says otherwise:

- load: ``kg --store DIR load FILE`` into a new store against ``Store(DIR).bulk_load(path=FILE)`` in pyoxigraph and
  ``Graph().parse(FILE)`` in rdflib (which has no store on disk of its own);
- queries: every named query in ``queries/*.rq`` (parameters bound to nodes of the generated data) and three of the
  benchmark's own (a label filter, an aggregate, a two-hop join); the median of warm runs inside one process per query
  and engine (kg: ``run_query``, as ``kg query`` calls it; raw: ``pyoxigraph.Store.query``), plus the whole
  ``kg query`` process against a raw script doing the same;
- rendering a neighbourhood with ``kg render`` (when ``kg.render`` exists);
- cold start: the first answer of a new process;
- peak memory of ``kg --data FILE stats`` against pyoxigraph holding the same file in memory.

rdflib is slow at 1M triples, so there it runs only the filter, aggregate and join queries (the named queries run on
rdflib up to 100k); a query that passes the time limit is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import SIZES, data_file

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PY = sys.executable
KG = str(Path(sys.executable).parent / "kg")
SCE, ID, B = "https://w3id.org/sce/ontology#", "https://w3id.org/sce/id/", "https://w3id.org/sce/bench/"

#: The benchmark's own queries; the targets name the filter and the aggregate.
OWN_QUERIES = {
    "filter": """SELECT ?e ?label WHERE {
    ?e a sce:Enterprise ; rdfs:label ?label .
    FILTER (LANGMATCHES(LANG(?label), "en") && CONTAINS(LCASE(STR(?label)), "kuaishou"))
}""",
    "aggregate": """SELECT ?category (COUNT(?product) AS ?products) (AVG(?price) AS ?mean) (MAX(?price) AS ?top) WHERE {
    ?product a schema:Product ; schema:category ?category ; schema:price ?price .
} GROUP BY ?category ORDER BY DESC(?products) LIMIT 20""",
    "join": """SELECT ?enterprise ?product WHERE {
    id:content sce:representedBy ?enterprise .
    ?product schema:manufacturer ?enterprise .
}""",
}
TARGETED = ("filter", "aggregate")
#: Queries at least this slow in raw pyoxigraph are where kg's fixed per-query cost (reading the .rq file, checking
#: parameters, building the Result) no longer dominates the ratio.
HEAVY = 0.010
#: rdflib's time limit for a named query (the benchmark's own queries get --rdflib-limit).
NAMED_LIMIT = 20.0
NEIGHBOURHOOD = (
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?n {{ <{B}enterprise-7> }} "
    "{ ?n ?p ?o BIND (?n AS ?s) } UNION { ?s ?p ?n BIND (?n AS ?o) } }"
)

#: A value from the generated data for each parameter name of the named queries.
PARAM_VALUES = {
    "model": f"{ID}content",
    "enterprise": f"{B}enterprise-7",
    "node": f"{B}enterprise-7",
    "from": f"{B}enterprise-7",
    "to": f"{B}enterprise-12",
    "segment": f"{B}segment-1",
    "tie": f"{ID}acquaintance-social",
    "text": "kuai",
}


@dataclass
class Query:
    """A query to time: its name, text, and parameter values (by kg parameter name, with the SPARQL variable)."""

    name: str
    text: str
    params: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name -> (var, kind, value)
    named: bool = False


# --- measuring processes ------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One process: wall seconds, peak RSS in MB, exit code, what it printed."""

    seconds: float
    rss_mb: float
    code: int
    out: str = ""
    err: str = ""


def run(command: list[str], *, timeout: float = 600, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end and measure it; a process past ``timeout`` is killed (code -9)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env, text=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read())


def median_run(command: list[str], rounds: int, **kwargs: Any) -> Run:
    """The run of median wall time out of ``rounds``; fails loudly when a run fails."""
    runs = [run(command, **kwargs) for _ in range(rounds)]
    for r in runs:
        if r.code != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({r.code}): {r.err[-500:]}")
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def script(code: str, *args: str) -> list[str]:
    """A python command running ``code`` with ``args``."""
    return [PY, "-c", code, *args]


# --- the workers: small programs each run in a process of its own --------------------------------------------------

RAW_LOAD = """
import sys, pyoxigraph as ox
ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(sys.argv[3]))
"""
RAW_HOLD = """
import sys, pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(sys.argv[2]))
print(len(store))
"""
RDFLIB_LOAD = """
import sys, rdflib
print(len(rdflib.Graph().parse(sys.argv[1], format="turtle")))
"""
RAW_ANSWER = """
import sys, json, pyoxigraph as ox
from bench.run import raw_terms
store = ox.Store(sys.argv[1])
spec = json.loads(sys.argv[2])
result = store.query(spec["text"], prefixes=spec["prefixes"], use_default_graph_as_union=True,
                     substitutions=raw_terms(spec["params"]) or None)
if isinstance(result, ox.QueryTriples):
    sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")
else:
    sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
"""


def raw_terms(params: dict[str, list[str]]) -> dict[Any, Any]:
    """pyoxigraph terms for ``params`` (name -> [var, kind, value]), keyed by variable."""
    import pyoxigraph as ox

    terms: dict[Any, Any] = {}
    for var, kind, value in params.values():
        if kind == "iri":
            term: Any = ox.NamedNode(value)
        elif re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", kind) and kind != "literal":
            term = ox.Literal(value, language=kind)
        else:
            term = ox.Literal(value)
        terms[ox.Variable(var)] = term
    return terms


def time_query(engine: str, store_dir: str, spec: dict[str, Any], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` runs of the query ``spec`` through ``engine`` (kg or raw), all rows read."""
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    if engine.startswith("kg"):
        from kg.catalog import run_query
        from kg.stores import open_store

        store = open_store(None, data=[store_dir]) if engine == "kg-memory" else open_store(store_dir)
        values = {name: v[2] for name, v in spec["params"].items()}

        def once() -> int:
            if spec["named"]:
                return len(run_query(store, spec["name"], values))
            return len(store.query(spec["text"]))
    else:
        raw = ox.Store(store_dir) if engine == "raw" else _raw_memory(store_dir)
        subs = raw_terms(spec["params"]) or None

        def once() -> int:
            result = raw.query(spec["text"], prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs)
            return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in (tuple(r) for r in result))

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return times


def _raw_memory(path: str) -> Any:
    """A pyoxigraph store in memory holding the built-in files and ``path``, each in its graph, as kg's does."""
    import pyoxigraph as ox

    from kg.vocab import BUILTIN_FILES, ontology_dir

    store = ox.Store()
    for name, graph in [*((ontology_dir() / n, g) for n, g in BUILTIN_FILES.items()), (Path(path), None)]:
        iri = graph or Path(name).resolve().as_uri()
        store.load(path=str(name), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
    return store


def rdflib_queries(path: str, builtin: list[str], queries: list[dict[str, Any]], limit: float) -> dict[str, Any]:
    """Parse ``path`` and the built-in files into one rdflib graph, then time each query once (cut at ``limit`` s)."""
    import signal

    import rdflib

    from kg.sparqltext import PROLOGUE

    start = time.perf_counter()
    graph = rdflib.Graph()
    for file in [*builtin, path]:
        graph.parse(file, format="turtle")
    out: dict[str, Any] = {"parse": time.perf_counter() - start, "triples": len(graph), "queries": {}}

    def stop(*_: Any) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, stop)
    for spec in queries:
        bindings = {v[0]: _rdflib_term(v) for v in spec["params"].values()}
        signal.setitimer(signal.ITIMER_REAL, limit if spec["name"] in OWN_QUERIES else min(limit, NAMED_LIMIT))
        start = time.perf_counter()
        try:
            result = graph.query(PROLOGUE + spec["text"], initBindings=bindings)
            sum(1 for _ in result)
            out["queries"][spec["name"]] = time.perf_counter() - start
        except TimeoutError:
            out["queries"][spec["name"]] = None
        except Exception as error:  # rdflib fails on some SPARQL: report it and go on
            out["queries"][spec["name"]] = f"error: {type(error).__name__}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return out


def _rdflib_term(value: list[str]) -> Any:
    """The rdflib term of a parameter value [var, kind, text]."""
    import rdflib

    _, kind, text = value
    if kind == "iri":
        return rdflib.URIRef(text)
    return rdflib.Literal(text, lang=None if kind == "literal" else kind)


def worker(argv: list[str]) -> None:
    """``worker query ENGINE STORE SPEC REPEAT`` or ``worker rdflib FILE SPECS LIMIT``: print JSON of the timings."""
    if argv[0] == "query":
        print(json.dumps(time_query(argv[1], argv[2], json.loads(argv[3]), int(argv[4]))))
    elif argv[0] == "rdflib":
        from kg.vocab import BUILTIN_FILES, ontology_dir

        builtin = [str(ontology_dir() / name) for name in BUILTIN_FILES]
        print(json.dumps(rdflib_queries(argv[1], builtin, json.loads(argv[2]), float(argv[3]))))


# --- the queries --------------------------------------------------------------------------------------------------


def all_queries() -> list[Query]:
    """The benchmark's own queries, then every named query with its parameters bound to generated nodes."""
    queries = [Query(name, text) for name, text in OWN_QUERIES.items()]
    try:
        from kg.catalog import catalog
    except ImportError:
        return queries
    for name, named in sorted(catalog().items()):
        params = {p.name: (p.var, p.kind, PARAM_VALUES.get(p.name, f"{B}enterprise-7")) for p in named.parameters}
        queries.append(Query(name, named.text, params, named=True))
    return queries


def spec_of(query: Query) -> dict[str, Any]:
    from kg.vocab import PREFIXES

    return {"name": query.name, "text": query.text, "params": query.params, "named": query.named, "prefixes": PREFIXES}


# --- the measurements ---------------------------------------------------------------------------------------------


@dataclass
class Size:
    """Everything measured at one size."""

    name: str
    triples: int
    rows: list[list[str]] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)
    raw_seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def measure_load(size: Size, path: Path, work: Path, rounds: int, with_rdflib: bool) -> str:
    """Load throughput of the three; returns the directory of the kg store left for the queries."""
    graph = path.resolve().as_uri()
    kg_runs, raw_runs = [], []
    for i in range(rounds):
        raw_dir, kg_dir = work / f"raw-{i}", work / f"kg-{i}"
        raw_runs.append(run(script(RAW_LOAD, str(raw_dir), str(path), graph)))
        kg_runs.append(run([KG, "--store", str(kg_dir), "load", str(path)]))
        shutil.rmtree(raw_dir)
        if i < rounds - 1:
            shutil.rmtree(kg_dir)
    for r in kg_runs + raw_runs:
        if r.code:
            raise RuntimeError(r.err)
    kg_s = statistics.median(r.seconds for r in kg_runs)
    raw_s = statistics.median(r.seconds for r in raw_runs)
    rdf_s = run(script(RDFLIB_LOAD, str(path)), timeout=1800).seconds if with_rdflib else None
    size.ratios["load throughput kg / pyoxigraph"] = raw_s / kg_s
    size.rows.append(
        ["load (whole process)", f"{fmt(kg_s)} ({size.triples / kg_s / 1000:.0f}k t/s)",
         f"{fmt(raw_s)} bulk_load ({size.triples / raw_s / 1000:.0f}k t/s)",
         f"{fmt(rdf_s)} parse" if rdf_s else "—", f"{raw_s / kg_s:.2f}× throughput", ratio(rdf_s, kg_s)]
    )  # fmt: skip
    return str(work / f"kg-{rounds - 1}")


def measure_queries(
    size: Size, where: dict[str, str], queries: list[Query], repeat: int, rdflib: dict[str, Any]
) -> None:
    """Each query: median warm time through kg and raw (one process each), rdflib's single run where it ran.

    ``where`` maps a place ("disk", "memory") to what the engines open there (a store directory, a data file); the
    named queries run on disk only.
    """
    for place, target in where.items():
        for query in queries:
            if query.named and place != "disk":
                continue
            times = _warm_times(size, place, target, query, repeat)
            _query_row(size, place, query, times, rdflib)


def _warm_times(size: Size, place: str, target: str, query: Query, repeat: int) -> dict[str, float | None]:
    spec = json.dumps(spec_of(query))
    times: dict[str, float | None] = {}
    for engine in ("kg", "raw"):
        name = engine if place == "disk" else f"{engine}-{place}"
        r = run([PY, "-m", "bench.run", "worker", "query", name, target, spec, str(repeat)], timeout=600)
        times[engine] = statistics.median(json.loads(r.out)) if r.code == 0 else None
        if r.code:
            size.notes.append(f"{query.name} via {name}: {'time limit' if r.code < 0 else r.err.strip()[-200:]}")
    return times


def _query_row(size: Size, place: str, query: Query, times: dict[str, float | None], rdflib: dict[str, Any]) -> None:
    rdf = rdflib.get("queries", {}).get(query.name, "not run")
    rdf_text = fmt(rdf) if isinstance(rdf, float) else ("past the time limit" if rdf is None else rdf)
    kg_s, raw_s = times["kg"], times["raw"]
    key = f"{query.name} ({place})"
    if kg_s and raw_s:
        size.raw_seconds[key] = raw_s
        size.ratios[f"query {key}: kg / pyoxigraph"] = kg_s / raw_s
    if isinstance(rdf, float) and kg_s:
        size.ratios[f"query {key}: rdflib / kg"] = rdf / kg_s
    kind = "named query" if query.named else "query"
    size.rows.append(
        [f"{kind} {query.name}, store {'on disk' if place == 'disk' else 'in memory'} (warm, median)", fmt(kg_s),
         fmt(raw_s), rdf_text, ratio(kg_s, raw_s), ratio(rdf if isinstance(rdf, float) else None, kg_s)]
    )  # fmt: skip


def measure_processes(size: Size, store_dir: str, queries: list[Query], rounds: int) -> None:
    """Whole processes: a cold ``kg query`` against a raw script giving the same answer, for the targeted queries."""
    from kg.vocab import PREFIXES

    for query in queries:
        if query.named and query.name != "models":
            continue
        if query.named:
            kg_cmd = [KG, "--store", store_dir, "query", query.name, "--format", "json"]
        else:
            kg_cmd = [KG, "--store", store_dir, "sparql", query.text, "--format", "json"]
        spec = json.dumps({"text": query.text, "params": query.params, "prefixes": PREFIXES})
        command = f"query {query.name}" if query.named else "sparql"
        kg_run = median_run(kg_cmd, rounds)
        raw_run = median_run(script(RAW_ANSWER, store_dir, spec), rounds, env={**os.environ, "PYTHONPATH": str(ROOT)})
        size.ratios[f"process {query.name}: kg / pyoxigraph"] = kg_run.seconds / raw_run.seconds
        size.rows.append(
            [f"`kg {command}` ({query.name}) whole process, cold", fmt(kg_run.seconds), fmt(raw_run.seconds), "—",
             ratio(kg_run.seconds, raw_run.seconds), "—"]
        )  # fmt: skip


def measure_render(size: Size, store_dir: str, work: Path, rounds: int) -> None:
    """``kg render`` of one enterprise's neighbourhood (a CONSTRUCT), when kg has a renderer."""
    try:
        import kg.render  # noqa: F401
    except ImportError:
        size.notes.append("render: kg.render does not exist in this checkout; row skipped")
        return
    out = str(work / "neighbourhood.html")
    r = median_run([KG, "--store", store_dir, "render", "--sparql", NEIGHBOURHOOD, "-o", out], rounds)
    size.rows.append(
        ["`kg render` of a neighbourhood (whole process)", fmt(r.seconds), "— (no renderer)", "—", "—", "—"]
    )


def measure_memory(size: Size, path: Path, rdflib: dict[str, Any]) -> None:
    """Peak RSS of ``kg --data FILE stats`` (in memory) against pyoxigraph holding the file, and rdflib."""
    kg_run = median_run([KG, "--data", str(path), "stats"], 1)
    raw_run = median_run(script(RAW_HOLD, str(path), path.resolve().as_uri()), 1)
    rdf_mb = rdflib.get("rss_mb")
    size.ratios["peak RSS kg stats / pyoxigraph holding the file"] = kg_run.rss_mb / raw_run.rss_mb
    size.rows.append(
        ["peak RSS: `kg --data FILE stats` vs holding the file", f"{kg_run.rss_mb:.0f} MB ({fmt(kg_run.seconds)})",
         f"{raw_run.rss_mb:.0f} MB ({fmt(raw_run.seconds)})", f"{rdf_mb:.0f} MB (parse + queries)" if rdf_mb else "—",
         ratio(kg_run.rss_mb, raw_run.rss_mb), ratio(rdf_mb, kg_run.rss_mb)]
    )  # fmt: skip


def measure_rdflib(path: Path, queries: list[Query], named_too: bool, limit: float) -> dict[str, Any]:
    """One rdflib process: parse, then each query once; with its peak RSS."""
    chosen = [spec_of(q) for q in queries if named_too or not q.named]
    r = run([PY, "-m", "bench.run", "worker", "rdflib", str(path), json.dumps(chosen), str(limit)], timeout=3600)
    if r.code:
        return {"notes": f"rdflib process failed: {r.err.strip()[-300:]}"}
    result: dict[str, Any] = json.loads(r.out)
    result["rss_mb"] = r.rss_mb
    return result


def measure_size(name: str, args: argparse.Namespace, queries: list[Query]) -> Size:
    """Every measurement at one size."""
    path = data_file(name)
    size = Size(name, triples=sum(1 for _ in _ntriples(path)))
    print(f"[{name}] {size.triples} triples in {path}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        rdflib = measure_rdflib(path, queries, SIZES[name] <= SIZES[args.rdflib_named_max], args.rdflib_limit)
        if "notes" in rdflib:
            size.notes.append(rdflib["notes"])
        else:
            size.rows.append(["rdflib: parse the file (its cold start)", "—", "—", fmt(rdflib["parse"]), "—", "—"])
        store_dir = measure_load(size, path, work, args.rounds, with_rdflib=False)
        print(f"[{name}] loaded", file=sys.stderr)
        measure_queries(size, {"disk": store_dir, "memory": str(path)}, queries, args.repeat, rdflib)
        print(f"[{name}] queried", file=sys.stderr)
        measure_processes(size, store_dir, queries, args.rounds)
        measure_render(size, store_dir, work, args.rounds)
        measure_memory(size, path, rdflib)
    return size


def _ntriples(path: Path) -> Any:
    import pyoxigraph as ox

    return ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)


# --- the report ---------------------------------------------------------------------------------------------------


def machine() -> str:
    """nproc, CPU model, memory, OS and the versions that matter."""
    from importlib.metadata import version

    cpu = next((ln.split(":", 1)[1].strip() for ln in _lines("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((ln.split(":", 1)[1].strip() for ln in _lines("/proc/meminfo") if ln.startswith("MemTotal")), "?")
    versions = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib", "click"))
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem} memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def targets(size: Size) -> list[str]:
    """The issue's four targets, judged on this size's figures."""
    r = size.ratios
    out = []
    load = r.get("load throughput kg / pyoxigraph")
    out.append(_verdict("load throughput ≥ 0.8× pyoxigraph bulk load", load, load is not None and load >= 0.8))
    warm = {k[6:-17]: v for k, v in r.items() if k.startswith("query ") and k.endswith("kg / pyoxigraph")}
    heavy = {k: v for k, v in warm.items() if size.raw_seconds.get(k, 0) >= HEAVY}
    for label, chosen in ((f"queries taking ≥ {HEAVY * 1000:.0f} ms raw", heavy), ("all queries", warm)):
        name, worst = max(chosen.items(), key=lambda kv: kv[1]) if chosen else ("", None)
        ok = worst is not None and worst <= 1.25
        median = f"median {statistics.median(chosen.values()):.2f}×, " if chosen else ""
        out.append(_verdict(f"{label} through kg ≤ 1.25× raw ({median}worst {name})", worst, ok))
    for name in TARGETED:
        for place in ("memory", "disk"):
            speed = r.get(f"query {name} ({place}): rdflib / kg")
            what = f"{name} ≥ 10× faster than rdflib (kg's store {'in memory' if place == 'memory' else 'on disk'})"
            out.append(_verdict(what, speed, speed is not None and speed >= 10))
    mem = r.get("peak RSS kg stats / pyoxigraph holding the file")
    out.append(_verdict("peak RSS of kg --data FILE stats ≤ 1.3× pyoxigraph", mem, mem is not None and mem <= 1.3))
    return out


def _verdict(what: str, value: float | None, ok: bool) -> str:
    shown = f"{value:.2f}×" if value is not None else "not measured"
    return f"- {'reached' if ok else 'NOT reached'}: {what} — {shown}"


def report(sizes: list[Size], args: argparse.Namespace) -> str:
    """The Markdown results page."""
    head = ["measurement", "kg", "raw pyoxigraph", "rdflib", "kg vs raw", "rdflib / kg"]
    parts = [
        "# Engine benchmark: kg against raw pyoxigraph and rdflib",
        "",
        f"Run on {time.strftime('%Y-%m-%d')} with `python -m bench.run {' '.join(args.argv)}`".rstrip() + ".",
        f"Machine: {machine()}.",
        f"Warm query times are medians of {args.repeat} runs in one process per query and engine; whole-process times"
        f" are medians of {args.rounds}; rdflib runs each query once, cut at {args.rdflib_limit:.0f} s"
        f" ({NAMED_LIMIT:.0f} s for named queries).",
        "",
    ]
    for size in sizes:
        parts += [f"## {size.name}: {size.triples:,} triples (plus the built-in graph)", ""]
        parts += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        parts += ["| " + " | ".join(row) + " |" for row in size.rows]
        parts += ["", "Targets at this size:", "", *targets(size), ""]
        parts += [f"- note: {n}" for n in size.notes] + ([""] if size.notes else [])
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark at the chosen sizes, print the ratios and write ``bench/results/engine.md``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "worker":
        worker(argv[1:])
        return
    parser = argparse.ArgumentParser(description="kg's engine benchmark (see bench/README.md)")
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m")
    parser.add_argument("--rounds", type=int, default=3, help="whole-process runs per measurement (median)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per query (median)")
    parser.add_argument("--rdflib-limit", type=float, default=180, help="seconds before an rdflib query is cut")
    parser.add_argument("--rdflib-named-max", default="100k", help="largest size at which rdflib runs named queries")
    parser.add_argument("--output", type=Path, default=RESULTS / "engine.md")
    args = parser.parse_args(argv)
    args.argv = argv
    queries = all_queries()
    sizes = [measure_size(name, args, queries) for name in args.sizes.split(",")]
    text = report(sizes, args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    for size in sizes:
        print(f"\n{size.name}:")
        for key, value in size.ratios.items():
            print(f"  {key}: {value:.2f}")
        print("\n".join(targets(size)))
    print(f"\nwrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
