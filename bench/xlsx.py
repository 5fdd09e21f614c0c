"""``-f xlsx`` against ``-f csv``: the same streamed answer written by each writer, side by side.

Each measurement is a whole process that builds a SELECT answer of N rows as a stream (an IRI, an integer, a date,
an English and a Chinese label per row, as named queries give them) and writes it with kg's writer to /dev/null.
Rounds run CSV and XLSX in turn, so that the shared machine's noise falls on both alike; the table gives the median
wall time and the peak RSS (from ``wait4``) and their ratios. Run:

    .venv/bin/python -m bench.xlsx [--rows 100000 1000000] [--rounds 3] [--out bench/results/xlsx.md]

Targets: XLSX within 2x CSV's time; memory flat (peak RSS at 1M rows within 1.2x of 100k).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRITE = """
import sys, pyoxigraph as ox
from kg.results import Result
from kg.vocab import ID, XSD
n, fmt = int(sys.argv[1]), sys.argv[2]
integer, date = ox.NamedNode(XSD.integer), ox.NamedNode(XSD.date)
rows = (
    (ox.NamedNode(ID.term(f"node-{i}")), ox.Literal(str(i), datatype=integer),
     ox.Literal(f"20{i % 25:02d}-0{i % 9 + 1}-1{i % 10}", datatype=date),
     ox.Literal(f"enterprise {i}", language="en"), ox.Literal(f"企业{i}", language="zh-Hans"))
    for i in range(n)
)
result = Result("select", vars=["node", "n", "date", "name_en", "name_zh"], source=rows)
with open("/dev/null", "wb") as out:
    result.write(out, fmt)
"""


def measure(rows: int, fmt: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process writing ``rows`` rows as ``fmt``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", WRITE, str(rows), fmt], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{fmt} with {rows} rows failed")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = [
        f"# -f xlsx against -f csv ({platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, rounds {args.rounds})",
        "",
        "| rows | csv s | xlsx s | time ratio | csv peak MiB | xlsx peak MiB | memory ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rows in args.rows:
        runs: dict[str, list[tuple[float, int]]] = {"csv": [], "xlsx": []}
        for _ in range(args.rounds):
            for fmt in runs:
                runs[fmt].append(measure(rows, fmt))
        (ct, cm), (xt, xm) = (
            (statistics.median(t for t, _ in runs[f]), statistics.median(m for _, m in runs[f])) for f in runs
        )
        lines.append(
            f"| {rows:,} | {ct:.2f} | {xt:.2f} | {xt / ct:.2f}x | {cm / 1024:.0f} | {xm / 1024:.0f} | {xm / cm:.2f}x |"
        )
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
