"""What an MCP call costs beside the same named query at ``/api``: one ``kg serve`` on loopback, one ``kg mcp`` over
stdio, asked in turn, side by side in one run.

Cases, each asked ``--calls`` times one after another (one client, so the figures are latencies, not throughput):

- ``api``: ``GET /api/models`` (SPARQL JSON results): the baseline;
- ``mcp-http``: the tool ``models`` at ``/mcp`` of the same server, through the SDK's client (one connection);
- ``mcp-stdio``: the tool ``models`` through ``kg mcp`` over stdio, through the SDK's client;
- ``sparql-mcp-http``: the tool ``sparql`` with a small SELECT, at ``/mcp``.

An MCP answer does more than ``/api``'s: it adds the labels of the IRIs in its rows and the graphs (with their sources)
that state something about them, two more queries per answer. The ratio to ``api`` says what that and the protocol
cost together. Rounds alternate between the cases, so that a busy machine weighs on each alike. Run:

    .venv/bin/python -m bench.mcp [--calls 200] [--out bench/results/mcp.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).parent / "kg")
ROUNDS = 4
SELECT = "SELECT ?model ?label WHERE { ?model a sce:SocialCommerceModel ; rdfs:label ?label }"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("kg serve exited")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise SystemExit("kg serve did not answer")


async def _timed(calls: int, once: Callable[[], Awaitable[object]]) -> list[float]:
    taken = []
    for _ in range(calls):
        started = time.perf_counter()
        await once()
        taken.append(time.perf_counter() - started)
    return taken


async def _measure(base: str, calls: int) -> dict[str, list[float]]:
    import httpx

    times: dict[str, list[float]] = {"api": [], "mcp-http": [], "mcp-stdio": [], "sparql-mcp-http": []}
    stdio = StdioServerParameters(command=KG, args=["mcp"], env=dict(os.environ))
    async with httpx.AsyncClient() as http, Client(base + "/mcp") as remote, Client(stdio) as local:

        async def api() -> object:
            answer = await http.get(base + "/api/models", headers={"Accept": "application/sparql-results+json"})
            answer.raise_for_status()
            return answer

        async def tool(client: Client, name: str, arguments: dict[str, object]) -> object:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, result.content
            return result

        cases: dict[str, Callable[[], Awaitable[object]]] = {
            "api": api,
            "mcp-http": lambda: tool(remote, "models", {}),
            "mcp-stdio": lambda: tool(local, "models", {}),
            "sparql-mcp-http": lambda: tool(remote, "sparql", {"query": SELECT}),
        }
        for once in cases.values():  # warm up: the first answers open caches and connections
            await _timed(5, once)
        for _ in range(ROUNDS):
            for name, once in cases.items():
                times[name] += await _timed(calls // ROUNDS, once)
    return times


def _row(name: str, taken: list[float], baseline: float) -> str:
    ordered = sorted(taken)
    p50, p99 = statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"| {name} | {len(taken)} | {p50 * 1000:.2f} | {p99 * 1000:.2f} | {p50 / baseline:.2f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "mcp.md")
    options = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([KG, "serve", "--port", str(port), "--workers", "1", "--cache", "0"], cwd=ROOT)
    try:
        _wait(base + "/api/models", server)
        times = anyio.run(_measure, base, options.calls)
    finally:
        server.terminate()
        server.wait(30)
    baseline = statistics.median(times["api"])
    lines = [
        "# An MCP call beside /api (bench/mcp.py)",
        "",
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; one client, calls one "
        f"after another; `kg serve --workers 1 --cache 0`, `kg mcp` (1 worker).",
        "",
        "| case | calls | p50 ms | p99 ms | p50 / api |",
        "|---|---|---|---|---|",
        *(_row(name, taken, baseline) for name, taken in times.items()),
        "",
    ]
    options.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
