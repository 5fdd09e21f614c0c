"""Reads of a store on disk, and answers of any size, through kg against pyoxigraph's own serialisers, side by side.

Every row is a whole process, as a user runs it, on the same store on disk (1M triples of the generated data, loaded
with `kg load`): kg's command against a script that opens the store with ``pyoxigraph.Store.read_only`` and writes
the same answer with pyoxigraph's ``serialize``. Output goes to /dev/null for both. Rounds run the two in turn, so
that the shared machine's noise falls on both alike; the table gives the median wall time and the peak RSS (from
``wait4``) and their ratios. Run:

    .venv/bin/python -m bench.streaming [--rounds 3] [--out bench/results/streaming.md]

Targets: the two reads (a label filter and a GROUP BY over all labels) within 1.25x of the script; every 1M-row
SELECT (json, csv, tsv, xml) and the 1M-triple CONSTRUCT (nt, turtle) within 1.3x of its time and 1.5x of its peak
memory, memory flat from 100k to 1M rows; `kg … | head -5` on 1M rows back in under a second.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import data_file

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STORE = ROOT / "bench" / "data" / "store-1m"

RAW = """
import sys, pyoxigraph as ox
from kg.vocab import PREFIXES
store = ox.Store.read_only(sys.argv[1])
answer = store.query(sys.argv[2], prefixes=PREFIXES, use_default_graph_as_union=True)
fmt, out = sys.argv[3], sys.stdout.buffer
if isinstance(answer, ox.QueryTriples):
    rdf = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}[fmt]
    ox.serialize(answer, out, rdf, prefixes=PREFIXES if fmt == "turtle" else None)
else:
    answer.serialize(out, {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt])
out.flush()
"""

LABEL_FILTER = 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER (CONTAINS(STR(?l), "7")) }'
GROUP_LABELS = "SELECT ?lang (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l BIND (LANG(?l) AS ?lang) } GROUP BY ?lang"
ALL_ROWS = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {n}"
ALL_TRIPLES = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {n}"


@dataclass
class Run:
    seconds: float
    cpu: float
    rss_mb: float


def run(command: list[str]) -> Run:
    """Run ``command`` with its output into /dev/null; its wall time and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {proc.stderr.read().decode()[-500:] if proc.stderr else ''}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def kg(query: str, fmt: str) -> list[str]:
    return [str(BIN / "kg"), "--store", str(STORE), "sparql", query, "-f", fmt]


def raw(query: str, fmt: str) -> list[str]:
    return [sys.executable, "-c", RAW, str(STORE), query, fmt]


def pair(query: str, fmt: str, rounds: int) -> tuple[Run, Run]:
    """kg's and the script's median runs, taken in turn."""
    kg_runs, raw_runs = [], []
    for _ in range(rounds):
        kg_runs.append(run(kg(query, fmt)))
        raw_runs.append(run(raw(query, fmt)))
    return median(kg_runs), median(raw_runs)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.rss_mb for r in runs),
    )


def head_seconds(query: str, fmt: str, rounds: int) -> float:
    """Median seconds of `kg … | head -5`: until the pipeline ends."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        first = subprocess.Popen(kg(query, fmt), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        subprocess.run(["head", "-5"], stdin=first.stdout, stdout=subprocess.DEVNULL, check=True)
        assert first.stdout is not None
        first.stdout.close()
        first.wait()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ensure_store() -> None:
    if (STORE / "CURRENT").exists():
        return
    data = data_file("1m")
    subprocess.run([str(BIN / "kg"), "--store", str(STORE), "load", str(data)], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "streaming.md")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kg")], check=True)
    ensure_store()
    lines = [
        "# Reads of a store on disk and answers of any size",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}. Store on disk: 1M generated triples plus the built-in graph. "
        f"{args.rounds} rounds, kg and the script in turn; medians. Output into /dev/null.",
        "",
        "CPU is user + system time of the process (steadier than wall time on a shared machine).",
        "",
        "| case | format | kg wall (s) | pyoxigraph wall (s) | wall ratio | kg CPU (s) | pyoxigraph CPU (s) "
        "| CPU ratio | kg peak (MB) | pyoxigraph peak (MB) | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    cases = [
        ("label filter", LABEL_FILTER, "csv"),
        ("GROUP BY over all labels", GROUP_LABELS, "csv"),
        *((f"SELECT {n:,} rows", ALL_ROWS.format(n=n), f) for n in (100_000, 1_000_000) for f in ("json", "csv")),
        *(("SELECT 1,000,000 rows", ALL_ROWS.format(n=1_000_000), f) for f in ("tsv", "xml")),
        *(("CONSTRUCT 1,000,000 triples", ALL_TRIPLES.format(n=1_000_000), f) for f in ("nt", "turtle")),
    ]
    for name, query, fmt in cases:
        mine, theirs = pair(query, fmt, args.rounds)
        lines.append(
            f"| {name} | {fmt} | {mine.seconds:.2f} | {theirs.seconds:.2f} | {mine.seconds / theirs.seconds:.2f}x "
            f"| {mine.cpu:.2f} | {theirs.cpu:.2f} | {mine.cpu / theirs.cpu:.2f}x "
            f"| {mine.rss_mb:.0f} | {theirs.rss_mb:.0f} | {mine.rss_mb / theirs.rss_mb:.2f}x |"
        )
        print(lines[-1], flush=True)
    head = head_seconds(ALL_ROWS.format(n=1_000_000), "csv", args.rounds)
    lines += ["", f"`kg --store DIR sparql '{ALL_ROWS.format(n=1_000_000)}' -f csv | head -5`: {head:.2f} s (median)."]
    print(lines[-1])
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
