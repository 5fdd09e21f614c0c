"""Graph-store writes: ``PUT /store?graph=…`` of 2,000, 5,000 and 50,000 triples, this checkout against a baseline
checkout, side by side in one run.

Each side is a real ``kg serve`` (the built-in graph in memory, 2 workers) started from its own checkout on a free
loopback port, one side at a time so that they do not share the CPU. Each size is PUT into a new graph (the write as
a user makes it: parse, write, the shapes check of the nodes it touches, the other workers brought up to date) and
timed from the request to the answer, best of ``--repeats``. The baseline wrote each body as one ``INSERT DATA`` that
rdflib's SPARQL parser read first; a baseline write that has not answered within ``--cap`` seconds is cut and shown as
``> cap``. Run:

    git worktree add /tmp/basew 70da068      # the baseline, once
    .venv/bin/python -m bench.graphstore --baseline /tmp/basew [--sizes 2000,5000,50000] [--cap 300]

Results in ``bench/results/graphstore.md``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).parent.parent
TOKEN = "bench-graphstore"


def body(count: int) -> bytes:
    """``count`` triples as N-Triples, each with a literal of its own."""
    return "".join(f'<urn:bench:s{i}> <urn:bench:p> "value {i}" .\n' for i in range(count)).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(checkout: Path, port: int, timeout: float) -> subprocess.Popen[bytes]:
    """``kg serve`` from ``checkout`` (its code first on the path), answering once it says so."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "KG_SERVE_TOKEN": TOKEN}
    command = [
        str(Path(sys.executable).parent / "kg"),
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        "--timeout",
        f"{timeout:g}",
    ]
    process = subprocess.Popen(command, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"kg serve from {checkout} did not start")


def put(port: int, graph: str, data: bytes, cap: float) -> float | None:
    """Seconds the PUT took, or None when it had not answered within ``cap`` seconds (or failed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=cap)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
    began = time.perf_counter()
    try:
        connection.request("PUT", "/store?" + urllib.parse.urlencode({"graph": graph}), body=data, headers=headers)
        answer = connection.getresponse()
        answer.read()
    except TimeoutError:
        return None
    finally:
        connection.close()
    if answer.status not in (200, 201):
        print(f"  PUT answered {answer.status}", file=sys.stderr)
        return None
    return time.perf_counter() - began


def measure(checkout: Path, sizes: list[int], repeats: int, cap: float) -> dict[int, float | None]:
    """Best time of ``repeats`` PUTs of each size into a new graph, on a server started from ``checkout``."""
    port = free_port()
    process = start(checkout, port, timeout=cap)
    found: dict[int, float | None] = {}
    try:
        for size in sizes:
            data = body(size)
            times: list[float | None] = []
            for attempt in range(repeats):
                seconds = put(port, f"urn:bench:{size}:{attempt}", data, cap)
                times.append(seconds)
                print(f"  {checkout.name}: {size} triples: {_shown(seconds, cap)}", file=sys.stderr)
                if seconds is None:
                    break  # the server is still busy with it: a restart would be needed for another try
            taken = [t for t in times if t is not None]
            found[size] = min(taken) if taken else None
            if found[size] is None:  # a bigger body takes longer still: cut too, without another wait
                found.update((bigger, None) for bigger in sizes if bigger > size)
                break
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    return found


def _shown(seconds: float | None, cap: float) -> str:
    return f"> {cap:g} s" if seconds is None else f"{seconds:.2f} s"


def table(sizes: list[int], now: dict[int, float | None], before: dict[int, float | None], cap: float) -> str:
    lines = ["| triples | this checkout | baseline | ratio (this / baseline) |", "|---:|---:|---:|---:|"]
    for size in sizes:
        mine, base = now.get(size), before.get(size)
        if mine is not None and base is not None:
            ratio = f"{mine / base:.3f}x"
        elif mine is not None:
            ratio = f"< {mine / cap:.3f}x"
        else:
            ratio = "—"
        lines.append(f"| {size:,} | {_shown(mine, cap)} | {_shown(base, cap) if size in before else '—'} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the baseline (git worktree add)")
    parser.add_argument("--sizes", default="2000,5000,50000", help="triples per PUT, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="PUTs of each size; the best counts")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds after which a PUT is cut")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    now = measure(ROOT, sizes, args.repeats, args.cap)
    before = measure(args.baseline.resolve(), sizes, 1, args.cap)
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print(table(sizes, now, before, args.cap))


if __name__ == "__main__":
    main()
