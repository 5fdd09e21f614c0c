"""SHACL validation: pySHACL as kg ran it, pySHACL with each SPARQL text parsed once (kg's fallback), and
pyshacl-turbo on kg's own store (kg's engine), side by side in one run.

Each round runs every engine once as a new process, in turn, on each graph, so that noise from the shared machine
falls on all of them alike: the built-in graph; the built-in graph with tests/data/violations/every-kind.ttl (every
kind of constraint the shapes check, broken); the built-in graph with bench/generate.py's 100k triples (and with
--big its 1M; minutes with the fast engines, about an hour with pySHACL, which then runs once). Run:

    .venv/bin/python bench/validate.py [--rounds 3] [--big-rounds 1] [--big]

It prints the engine table (whole process wall and CPU, the engine's own CPU, peak memory), each engine's speed-up
over pySHACL, whether its report text is pySHACL's word for word (blank node ids aside), and the targets: `kg validate`
of the built-in graph within 0.5 s whole process; at 100k at least 10x faster than pySHACL; the same report text.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cold_start import machine  # noqa: E402

BIN = Path(sys.executable).parent
DATA = ROOT / "bench" / "data"
#: Engine name → what it is, as the table says it.
ENGINES = {
    "pyshacl": "pySHACL, as kg ran it",
    "pyshacl-cached": "pySHACL, each SPARQL text parsed once (kg's fallback)",
    "pyshacl-turbo": "pyshacl-turbo on kg's store (kg's engine)",
}
#: A blank node's id, which each engine makes its own.
BLANK = re.compile(r"\b(?:N?[0-9a-f]{12,32})\b")


def one(engine: str, files: list[str]) -> None:
    """In this process: validate with ``engine``; print the report's size, hash and the engine's own CPU as JSON."""
    from kg import validate as v

    if engine == "pyshacl":  # as before: rdflib parses each SPARQL text once per focus node
        v.prepared_queries = contextlib.nullcontext  # type: ignore[assignment]
    chosen = "pyshacl-turbo" if engine == "pyshacl-turbo" else "pyshacl"
    store = v.open_store(data=files)
    start = time.process_time()
    report = v.check(store, engine=chosen)
    cpu = time.process_time() - start
    text = BLANK.sub("_:b", str(report))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    print(json.dumps({"violations": len(report.violations), "digest": digest, "engine_cpu": cpu}))


def run(command: list[str]) -> dict[str, float | str | int]:
    """One whole process: its wall and CPU seconds, peak memory (MB), and what it printed last (JSON)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed")
    found: dict[str, float | str | int] = json.loads(out.splitlines()[-1]) if out.strip().startswith("{") else {}
    return {**found, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def graphs(big: bool) -> dict[str, list[str]]:
    """Each graph of the benchmark by name: the files that go on top of the built-in graph."""
    DATA.mkdir(exist_ok=True)
    sizes = {"100k": 100_000, **({"1M": 1_000_000} if big else {})}
    chosen = {"built-in (2.4k)": [], "built-in + every-kind.ttl": [str(ROOT / "tests/data/violations/every-kind.ttl")]}
    for name, size in sizes.items():
        path = DATA / f"validate-{name.lower()}.ttl"
        if not path.exists():
            subprocess.run([sys.executable, "-m", "bench.generate", str(size), str(path)], cwd=ROOT, check=True)
        chosen[f"built-in + {name} generated"] = [str(path)]
    return chosen


def median(values: list[dict[str, float | str | int]], key: str) -> float:
    return statistics.median(float(v[key]) for v in values)


def table(name: str, runs: dict[str, list[dict[str, float | str | int]]]) -> list[str]:
    """The rows of one graph: each engine's medians, speed-up over pySHACL and whether its text is pySHACL's."""
    base = runs["pyshacl"]
    lines = []
    for engine, values in runs.items():
        wall, cpu, own = median(values, "wall"), median(values, "cpu"), median(values, "engine_cpu")
        speed = median(base, "cpu") / cpu
        same = "yes" if values[0]["digest"] == base[0]["digest"] else "**no**"
        lines.append(
            f"| {name} | {ENGINES[engine]} | {len(values)} | {wall:.2f} | {cpu:.2f} | {own:.2f}"
            f" | {median(values, 'rss'):.0f} | {values[0]['violations']} | {same} | {speed:.1f}x |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs="+", metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help="rounds on the built-in graph and the violations")
    parser.add_argument("--big-rounds", type=int, default=1, help="rounds on the generated graphs")
    parser.add_argument("--big", action="store_true", help="also the 1M graph (pySHACL there: about an hour)")
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "results" / "validate.md")
    args = parser.parse_args()
    if args.one:
        one(args.one[0], args.one[1:])
        return
    rows = []
    results: dict[str, dict[str, list[dict[str, float | str | int]]]] = {}
    for name, files in graphs(args.big).items():
        rounds = args.rounds if "generated" not in name else args.big_rounds
        runs: dict[str, list[dict[str, float | str | int]]] = {engine: [] for engine in ENGINES}
        for _ in range(rounds):
            for engine in ENGINES:
                runs[engine].append(run([sys.executable, __file__, "--one", engine, *files]))
                print(name, engine, runs[engine][-1], file=sys.stderr, flush=True)
        results[name] = runs
        rows += table(name, runs)
    kg_validate = [run([str(BIN / "kg"), "validate"]) for _ in range(max(args.rounds, 5))]
    whole = median(kg_validate, "wall")
    hundred = results["built-in + 100k generated"]
    speed = median(hundred["pyshacl"], "cpu") / median(hundred["pyshacl-turbo"], "cpu")
    same = all(r["pyshacl-turbo"][0]["digest"] == r["pyshacl"][0]["digest"] for r in results.values())
    mark = {True: "met", False: "**missed**"}
    lines = [
        "# SHACL validation: pySHACL, pySHACL with its SPARQL parsed once, pyshacl-turbo",
        "",
        f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end. Engines in turn within each round;",
        "medians. Whole process: a new Python opening the store (built-in graph + the files), validating and writing",
        "the report, wall and CPU (user + system); engine CPU: the validation call alone; memory: peak RSS.",
        "Same text: the report word for word as pySHACL's (blank node ids aside). Speed-up: pySHACL's CPU / the row's.",
        "",
        "| graph | engine | rounds | wall (s) | CPU (s) | engine CPU (s) | peak RSS (MB) | violations | same text "
        "| speed-up (CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Targets:",
        "",
        f"- `kg validate` of the built-in graph, whole process, median of {len(kg_validate)}: {whole:.2f} s wall "
        f"({median(kg_validate, 'cpu'):.2f} s CPU); target <= 0.5 s: {mark[whole <= 0.5]}",
        f"- 100k: pyshacl-turbo {speed:.0f}x faster than pySHACL (CPU); target >= 10x: {mark[speed >= 10]}",
        f"- the same report text as pySHACL's on every graph: {mark[same]}",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
