"""kg serve of two checkouts side by side, A/B alternated: the server's CPU time per request, before and after a change.

Both run ``kg serve --cache 0`` (every answer computed) over the built-in graph from the same virtual environment,
each with its checkout's code first on the path. Round after round, each case of ``bench.serve`` (the small SELECT,
the named query, the CONSTRUCT) is asked of both with wrk (8 connections, ``--seconds`` each), the order swapped
every round so that a shared machine's noise falls on both alike. The CPU time the server and its workers spent per
request (from /proc) is the steadier figure; the medians over the rounds and their ratio are written to
``--out`` (printed when not given). With ``--cache`` both keep answers (their default): the benchmark asks the same
query again and again, so that measures the front alone (routing, headers, the cache), not the workers. Run:

    .venv/bin/python -m bench.serve_ab --before DIR [--rounds 3] [--seconds 5] [--cache] [--out FILE]

DIR is a checkout of the code to compare with, e.g. ``git worktree add /tmp/base COMMIT``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path

from bench.serve import BIN, DATA, KG, Measure, Served, accept, free_port, need_wrk, start, stop, url, wrk

ROOT = Path(__file__).resolve().parent.parent
CASES = ("select", "named", "construct")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the checkout of kg to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--cache", action="store_true", help="keep answers (the front alone)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    program = need_wrk()
    folder = DATA / "serve-ab"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    servers: list[Served] = []
    results: dict[tuple[str, str], list[Measure]] = {}
    load = os.getloadavg()[0]
    try:
        for name, code in (("before", args.before.resolve()), ("after", ROOT)):
            port = free_port()
            command = [str(BIN / "kg"), "serve", "--port", str(port), *([] if args.cache else ["--cache", "0"])]
            env = {**os.environ, "PYTHONPATH": str(code)}
            servers.append(start(name, command, port, "/sparql", folder, env))
        for turn in range(args.rounds):
            for case in CASES:
                for served in servers if turn % 2 == 0 else servers[::-1]:
                    address = url(Served(KG, served.base, served.sparql, served.process), case)
                    m = wrk(program, address, accept(case), 8, args.seconds, served.process.pid)
                    results.setdefault((case, served.name), []).append(m)
                    print(f"round {turn} {case:9} {served.name:6} {m.rps:8,.0f} req/s  cpu {m.cpu_us:6,.0f} us/req")
    finally:
        for served in servers:
            stop(served)
    text = table(results, args, load, os.getloadavg()[0])
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


def table(results: dict[tuple[str, str], list[Measure]], args: argparse.Namespace, load: float, after: float) -> str:
    lines = [
        f"`python -m bench.serve_ab --before {args.before} --rounds {args.rounds} --seconds {args.seconds}"
        f"{' --cache' if args.cache else ''}`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load:.1f} before and {after:.1f} after; medians over "
        "the rounds (each value in brackets)",
        "",
        "| case | before CPU µs/req | after CPU µs/req | after / before | before req/s | after req/s |",
        "|---|---|---|---|---|---|",
    ]
    for case in CASES:
        old, new = results[(case, "before")], results[(case, "after")]
        cpu_old, cpu_new = (statistics.median(m.cpu_us for m in ms) for ms in (old, new))
        rps_old, rps_new = (statistics.median(m.rps for m in ms) for ms in (old, new))
        lines.append(
            f"| {case} | {cpu_old:,.0f} ({', '.join(f'{m.cpu_us:,.0f}' for m in old)}) "
            f"| {cpu_new:,.0f} ({', '.join(f'{m.cpu_us:,.0f}' for m in new)}) | {cpu_new / cpu_old:.2f}x "
            f"| {rps_old:,.0f} | {rps_new:,.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
