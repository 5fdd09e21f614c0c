"""Where pyoxigraph's SPARQL engine crashes or stalls, construct by construct, measured one probe per process.

The engine parses and plans by recursion on the native stack: a query nested deep enough kills the process with
SIGSEGV (no Python exception can catch it), and a query with enough triple patterns in one group makes the planner
run for minutes. Each probe therefore runs in a process of its own with a time limit, on a store holding a few
triples, and is one of:

- ``ok``: the engine answered (all rows read, or the update applied);
- ``error``: the engine raised an exception (its own refusal: a clean failure);
- ``crash``: the process died by a signal (SIGSEGV: the stack overflowed);
- ``slow``: no answer within the time limit.

For each construct the size is doubled until a probe is not ``ok``, then bisected to the first size that is not.
The table records that size, what happened there, and the time of the largest size that still answered. Run:

    .venv/bin/python bench/engine_limits.py [--timeout 10] [--only braces,optional] [--output FILE]

kg's own limits (``kg.sparqltext.LIMITS``) are set well under these figures; ``bench/results/engine-limits.md``
holds the last run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparqltext import ENGINE_STACK  # noqa: E402

CAP = 1 << 16

#: The program each probe runs: a store with three triples, then the text from stdin as a query (every row read) or
#: an update, in a thread with the stack kg gives the engine (the depth the engine reaches grows with the stack).
PROBE = """
import json, sys, threading
import pyoxigraph as ox
job = json.load(sys.stdin)

def run():
    store = ox.Store()
    for i in range(3):
        store.add(ox.Quad(ox.NamedNode(f"s:{i}"), ox.NamedNode("p:x"), ox.Literal(str(i))))
    try:
        if job["update"]:
            store.update(job["text"])
        else:
            for _ in store.query(job["text"]):
                pass
    except Exception as error:
        print("error", type(error).__name__, str(error)[:120].replace("\\n", " "))
    else:
        print("ok")

threading.stack_size(job["stack"])
worker = threading.Thread(target=run)
worker.start()
worker.join()
"""

T = "?s <p:x> ?o"


def _nest(opening: str, inner: str, closing: str) -> Callable[[int], str]:
    return lambda n: opening * n + inner + closing * n


def _chain(separator: str, term: str) -> Callable[[int], str]:
    return lambda n: separator.join([term] * n)


@dataclass(frozen=True)
class Construct:
    """One construct probed: its name, what its size counts, and the text of a query or update of size n."""

    name: str
    counts: str
    text: Callable[[int], str]
    update: bool = False


def _select(body: Callable[[int], str]) -> Callable[[int], str]:
    return lambda n: "SELECT * WHERE { " + body(n) + " }"


CONSTRUCTS = [
    Construct(
        "parentheses", "depth of ( ) in an expression", _select(lambda n: f"BIND({_nest('(', '1', ')')(n)} AS ?x)")
    ),
    Construct("braces", "depth of nested { } groups", _select(_nest("{ ", T, " }"))),
    Construct("optional", "depth of nested OPTIONAL", _select(_nest(f"{T} OPTIONAL {{ ", T, " }"))),
    Construct("union-nested", "depth of nested UNION", _select(_nest(f"{{ {T} }} UNION {{ ", T, " }"))),
    Construct("minus", "depth of nested MINUS", _select(_nest(f"{T} MINUS {{ ", T, " }"))),
    Construct("subquery", "depth of nested subqueries", _select(_nest("{ SELECT * WHERE { ", T, " } }"))),
    Construct("exists", "depth of nested FILTER EXISTS", _select(_nest(f"{T} FILTER EXISTS {{ ", T, " }"))),
    Construct(
        "function-calls",
        "depth of nested calls STR(STR(…))",
        _select(lambda n: f"BIND({_nest('STR(', '1', ')')(n)} AS ?x)"),
    ),
    Construct("negations", "length of !!!…true", _select(lambda n: f"FILTER({'!' * n}true)")),
    Construct("and-chain", "operands of a && b && …", _select(lambda n: f"FILTER({_chain(' && ', 'true')(n)})")),
    Construct("or-chain", "operands of a || b || …", _select(lambda n: f"FILTER({_chain(' || ', 'false')(n)})")),
    Construct("plus-chain", "operands of 1 + 1 + …", _select(lambda n: f"BIND({_chain(' + ', '1')(n)} AS ?x)")),
    Construct(
        "triple-patterns",
        "triple patterns in one group",
        _select(lambda n: " ".join(f"?s <p:{i}> ?o{i} ." for i in range(n))),
    ),
    Construct(
        "optionals",
        "OPTIONAL groups side by side",
        _select(lambda n: T + " " + " ".join(f"OPTIONAL {{ ?s <p:{i}> ?o{i} }}" for i in range(n))),
    ),
    Construct("union-branches", "branches of one UNION", _select(_chain(" UNION ", f"{{ {T} }}"))),
    Construct(
        "values-rows",
        "rows of one VALUES block",
        _select(lambda n: "VALUES ?v { " + " ".join(str(i) for i in range(n)) + " }"),
    ),
    Construct(
        "binds", "BIND clauses in one group", _select(lambda n: " ".join(f"BIND({i} AS ?v{i})" for i in range(n)))
    ),
    Construct(
        "filters",
        "FILTER clauses in one group",
        _select(lambda n: T + " " + " ".join(f"FILTER(?o != {i})" for i in range(n))),
    ),
    Construct(
        "path-nesting", "depth of ( ) in a property path", _select(lambda n: f"?s {_nest('(', '<p:x>', ')')(n)} ?o")
    ),
    Construct("path-sequence", "steps of p/p/…", _select(lambda n: f"?s {_chain('/', '<p:x>')(n)} ?o")),
    Construct("path-alternatives", "alternatives of p|p|…", _select(lambda n: f"?s {_chain('|', '<p:x>')(n)} ?o")),
    Construct(
        "update-braces",
        "depth of { } in an update's WHERE",
        lambda n: f"INSERT {{ ?s <p:y> 1 }} WHERE {{ {_nest('{ ', T, ' }')(n)} }}",
        update=True,
    ),
    Construct(
        "update-parentheses",
        "depth of ( ) in an update",
        lambda n: f"INSERT {{ ?s <p:y> ?x }} WHERE {{ {T} BIND({_nest('(', '1', ')')(n)} AS ?x) }}",
        update=True,
    ),
    Construct(
        "update-optional",
        "depth of OPTIONAL in an update",
        lambda n: f"DELETE {{ ?s <p:x> ?o }} WHERE {{ {_nest(f'{T} OPTIONAL {{ ', T, ' }')(n)} }}",
        update=True,
    ),
    Construct(
        "update-operations",
        "operations joined by ;",
        lambda n: " ; ".join(f"INSERT DATA {{ <s:a> <p:y> {i} }}" for i in range(n)),
        update=True,
    ),
    Construct(
        "update-data",
        "triples of one INSERT DATA",
        lambda n: "INSERT DATA { " + " ".join(f"<s:a> <p:y> {i} ." for i in range(n)) + " }",
        update=True,
    ),
    Construct(
        "update-patterns",
        "triple patterns of one DELETE WHERE",
        lambda n: "DELETE WHERE { " + " ".join(f"?s <p:{i}> ?o{i} ." for i in range(n)) + " }",
        update=True,
    ),
]


@dataclass(frozen=True)
class Outcome:
    """What one probe came to, and how long it took."""

    kind: str  # ok, error, crash, slow
    detail: str
    seconds: float


def probe(construct: Construct, n: int, timeout: float) -> Outcome:
    """Run ``construct`` at size ``n`` in a process of its own."""
    job = json.dumps({"update": construct.update, "text": construct.text(n), "stack": ENGINE_STACK})
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE], input=job, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome("slow", f"no answer in {timeout:g} s", timeout)
    seconds = time.perf_counter() - start
    if done.returncode < 0:
        return Outcome("crash", signal.Signals(-done.returncode).name, seconds)
    answer = done.stdout.strip() or (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    if answer == "ok":
        return Outcome("ok", "", seconds)
    return Outcome("error", answer.removeprefix("error "), seconds)


@dataclass(frozen=True)
class Limit:
    """The first size of a construct that failed (None: none up to the cap), and the largest that answered."""

    construct: Construct
    first_failure: int | None
    failure: Outcome | None
    largest_ok: int
    ok_seconds: float


def find_limit(construct: Construct, timeout: float, *, cap: int = CAP) -> Limit:
    """Double, then bisect, to the first size at which ``construct`` is not ``ok``."""
    good, good_outcome = 1, probe(construct, 1, timeout)
    if good_outcome.kind != "ok":
        raise RuntimeError(f"{construct.name} fails at size 1: {good_outcome}")
    bad, bad_outcome = None, None
    n = 8
    while n <= cap:
        outcome = probe(construct, n, timeout)
        if outcome.kind != "ok":
            bad, bad_outcome = n, outcome
            break
        good, good_outcome = n, outcome
        n *= 2
    while bad is not None and bad - good > max(1, good // 100):
        middle = (good + bad) // 2
        outcome = probe(construct, middle, timeout)
        if outcome.kind == "ok":
            good, good_outcome = middle, outcome
        else:
            bad, bad_outcome = middle, outcome
    return Limit(construct, bad, bad_outcome, good, good_outcome.seconds)


def _row(limit: Limit) -> str:
    c = limit.construct
    if limit.failure is None:
        failed = f"none up to {CAP:,}"
    else:
        failed = f"{limit.first_failure:,}: {limit.failure.kind}" + (
            f" ({limit.failure.detail})" if limit.failure.detail else ""
        )
    kind = "update" if c.update else "query"
    counts = c.counts.replace("|", "\\|")
    return f"| {c.name} | {kind} | {counts} | {failed} | {limit.largest_ok:,} in {limit.ok_seconds:.1f} s |"


def report(limits: list[Limit], timeout: float) -> str:
    """The Markdown page of a run."""
    import pyoxigraph

    lines = [
        "# pyoxigraph's limits per construct",
        "",
        f"pyoxigraph {pyoxigraph.__version__}; {machine()}; time limit {timeout:g} s per probe; the engine in a"
        f" thread of {ENGINE_STACK >> 20} MiB of stack, as kg runs it (`kg.sparqltext.ENGINE_STACK`). Written by"
        " `.venv/bin/python bench/engine_limits.py`.",
        "",
        "Each probe is one process on a store of three triples (see the script's docstring). *First failure* is the",
        "smallest size that was not answered (crash: the process died by that signal; slow: no answer in the time",
        "limit; error: the engine raised); *largest answered* is the largest size that was, with its time (a",
        "whole process: about 0.2 s of it is starting Python).",
        "",
        "| construct | kind | size counts | first failure | largest answered |",
        "|---|---|---|---|---|",
        *(_row(limit) for limit in limits),
        "",
    ]
    return "\n".join(lines)


def machine() -> str:
    """One line on this machine."""
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a probe counts as slow")
    parser.add_argument("--only", default="", help="comma-separated construct names")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "engine-limits.md")
    args = parser.parse_args()
    chosen = [c for c in CONSTRUCTS if not args.only or c.name in args.only.split(",")]
    limits = []
    for construct in chosen:
        limit = find_limit(construct, args.timeout)
        print(_row(limit), flush=True)
        limits.append(limit)
    args.output.write_text(report(limits, args.timeout), encoding="utf-8")
    print(f"written: {args.output}")


if __name__ == "__main__":
    main()
