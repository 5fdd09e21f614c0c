"""``-f xlsx`` against ``-f csv``: the same streamed answer written by each writer, side by side, and by the XLSX
writer of an earlier revision (the baseline: by default 70da068's, XlsxWriter in constant-memory mode).

Each measurement is a whole process that builds a SELECT answer of N rows as a stream (an IRI, an integer, a date,
an English and a Chinese label per row, as named queries give them) and writes it with kg's writer to /dev/null.
Rounds run CSV and XLSX in turn, so that the shared machine's noise falls on both alike; the table gives the median
wall time, the median CPU time (user and system, from ``wait4``: what the writer costs, whatever else the machine
runs) and the peak RSS, and their ratios to CSV's. The baseline runs once a size (it is slow) and needs the XlsxWriter
package (``pip install XlsxWriter``); ``--baseline ''`` leaves it out. Run:

    .venv/bin/python -m bench.xlsx [--rows 100000 300000 1000000] [--rounds 3] [--out bench/results/xlsx.md]

Targets: XLSX within 2x CSV's time; memory flat (peak RSS at 1M rows within 1.2x of 100k).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

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


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds, user and system
    peak: int  # KiB


def measure(rows: int, fmt: str, code: Path = ROOT) -> Run:
    """One process writing ``rows`` rows as ``fmt`` with the kg found in ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", WRITE, str(rows), fmt], env=env, cwd=code)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{fmt} with {rows} rows failed (kg from {code})")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(values) for values in zip(*runs, strict=True)))


def baseline_code(revision: str, folder: Path) -> Path | None:
    """kg as it was at ``revision``, unpacked into ``folder``; None when its writer's package is missing."""
    if importlib.util.find_spec("xlsxwriter") is None:
        print("the baseline needs XlsxWriter (pip install XlsxWriter); left out", file=sys.stderr)
        return None
    archive = subprocess.run(["git", "archive", revision, "kg"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    for data in ("queries", "ontology"):  # kg finds its data beside its code
        (folder / data).symlink_to(ROOT / data)
    return folder


def line(rows: int, csv: Run, xlsx: Run, before: Run | None) -> str:
    """One row of the table."""
    then = (
        f" {before.wall:.2f} | {before.cpu / csv.cpu:.2f}x | {before.peak / 1024:.0f} |" if before else " – | – | – |"
    )
    return (
        f"| {rows:,} | {csv.wall:.2f} | {xlsx.wall:.2f} | {xlsx.wall / csv.wall:.2f}x | {csv.cpu:.2f} | {xlsx.cpu:.2f} "
        f"| {xlsx.cpu / csv.cpu:.2f}x | {csv.peak / 1024:.0f} | {xlsx.peak / 1024:.0f} | {xlsx.peak / csv.peak:.2f}x |"
        + then
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default="70da068", help="the git revision whose XLSX writer is the baseline")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = [
        f"# -f xlsx against -f csv ({platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, rounds {args.rounds}, baseline {args.baseline or 'none'})",
        "",
        "| rows | csv s | xlsx s | time ratio | csv CPU s | xlsx CPU s | CPU ratio | csv peak MiB | xlsx peak MiB "
        "| memory ratio | baseline xlsx s | baseline CPU ratio | baseline peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory(prefix="kg-bench-xlsx-") as folder:
        old = baseline_code(args.baseline, Path(folder)) if args.baseline else None
        for rows in args.rows:
            runs: dict[str, list[Run]] = {"csv": [], "xlsx": []}
            for _ in range(args.rounds):
                for fmt in runs:
                    runs[fmt].append(measure(rows, fmt))
            before = measure(rows, "xlsx", old) if old else None
            lines.append(line(rows, median(runs["csv"]), median(runs["xlsx"]), before))
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
