"""A design evaluated and not built: "disposable fronts", measured against ``kg serve --cache 0`` and Oxigraph's server.

The prototype: N front processes (``--fronts``, default 2) share one listening socket (bound once by the parent, which
forks them), each holding the built-in graph in memory and answering with kg serve's own application
(:func:`kg.serve.app.create_app`), a query running in the front itself instead of crossing a pipe to a worker process:

- ``fronts``: in a thread of the front (the event loop keeps serving while pyoxigraph, which releases the GIL while it
  evaluates, computes), the design that could stop a runaway by ending its front;
- ``inline``: on the event loop itself, which nothing could stop: the ceiling of any in-process design, not a design.

Both buffer each answer whole and keep nothing (no cache, no timeout, no supervision): they measure the cost of a
computed answer, nothing else. The same wrk runs as ``bench/serve.py``, side by side in one run with ``kg serve
--cache 0`` (today's worker pool) and ``oxigraph serve-read-only``. Results in ``bench/results/serve.md``
("Evaluated: disposable in-process fronts"). Run:

    .venv/bin/python -m bench.serve_fronts [--seconds 5] [--fronts 2] [--cases select,named,construct]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

from bench import serve as bs


class _Buffer:
    """The sink a job writes to (:class:`kg.serve.jobs.Sink`): the answer kept whole."""

    def __init__(self) -> None:
        self.head: tuple[int, str, dict[str, str]] | None = None
        self.data = bytearray()

    def start(self, status: int, media_type: str, headers: dict[str, str] | None = None) -> None:
        self.head = (status, media_type, dict(headers or {}))

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True


INLINE = os.environ.get("KG_BENCH_INLINE") == "1"


class Local:
    """What the application asks of kg serve's pool (``run`` a job, ``cache``), answered in this process: in a thread,
    or on the event loop itself when ``KG_BENCH_INLINE=1``."""

    cache = None

    def __init__(self, store: Any) -> None:
        self.store = store
        self.executor = concurrent.futures.ThreadPoolExecutor(4)  # a few queries at once, as a front would run them

    async def run(self, job: Any) -> Any:
        from kg.serve.cache import etag
        from kg.serve.jobs import perform
        from kg.serve.workers import Answer

        sink = _Buffer()
        if INLINE:
            perform(self.store, job, sink)
        else:
            await asyncio.get_running_loop().run_in_executor(self.executor, perform, self.store, job, sink)
        status, media, headers = sink.head or (204, "text/plain", {})
        whole = bytes(sink.data)
        if status == 200:
            headers["ETag"] = etag(whole)
        return Answer(status, media, headers, _once(whole), whole)


async def _once(body: bytes) -> AsyncIterator[bytes]:
    if body:
        yield body


def front(sock: socket.socket) -> None:
    """One front's life: the built-in graph in memory, uvicorn serving kg's application on the shared socket."""
    import uvicorn

    from kg.serve import _event_loop_runner
    from kg.serve.app import Settings, create_app
    from kg.serve.workers import StoreSpec, _open

    store = _open(StoreSpec())

    async def main() -> None:
        app = create_app(Local(store), Settings())  # type: ignore[arg-type]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        await uvicorn.Server(config).serve(sockets=[sock])

    _event_loop_runner()(main())


def run_fronts(port: int, count: int) -> None:
    """Bind ``port``, fork ``count`` fronts sharing it, stop them on SIGTERM."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    sock.set_inheritable(True)
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            front(sock)
            os._exit(0)
        children.append(pid)

    def stop(*_: object) -> None:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    for pid in children:
        os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--fronts", type=int, default=2)
    parser.add_argument("--cases", default="select,named,construct")
    parser.add_argument("--connections", default="8,64")
    parser.add_argument("--serve-fronts", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fronts:
        run_fronts(args.serve_fronts, args.fronts)
        return
    program = bs.need_wrk()
    folder = bs.DATA / "serve-fronts-run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    graph = bs.graph_file()
    started: list[bs.Served] = []
    load_before = os.getloadavg()
    results: dict[tuple[str, int, str], bs.Measure] = {}
    try:
        for name, inline in (("fronts", "0"), ("inline", "1")):
            port = bs.free_port()
            command = [sys.executable, "-m", "bench.serve_fronts", "--fronts", str(args.fronts)]
            os.environ["KG_BENCH_INLINE"] = inline
            started.append(bs.start(name, [*command, "--serve-fronts", str(port)], port, "/sparql", folder))
        os.environ.pop("KG_BENCH_INLINE")
        port = bs.free_port()
        started.append(
            bs.start(bs.KG, [str(bs.BIN / "kg"), "serve", "--port", str(port), "--cache", "0"], port, "/sparql", folder)
        )
        store = folder / "oxigraph"
        subprocess.run([str(bs.BIN / "oxigraph"), "load", "--location", str(store), "--file", str(graph)], check=True)
        port = bs.free_port()
        command = [str(bs.BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
        started.append(bs.start("oxigraph", command, port, "/query", folder))
        for case in args.cases.split(","):
            for connections in map(int, args.connections.split(",")):
                for served in started:
                    bs.fetch(served, bs.url(served, case), bs.accept(case))
                    m = bs.wrk(
                        program, bs.url(served, case), bs.accept(case), connections, args.seconds, served.process.pid
                    )
                    results[(case, connections, served.name)] = m
                    print(
                        f"{case:9} c={connections:<3} {served.name:10} {m.rps:9,.0f} req/s p50 {m.p50_ms:6.1f} "
                        f"p99 {m.p99_ms:6.1f} cpu {m.cpu_us:6,.0f} us/req errors {m.errors}",
                        flush=True,
                    )
    finally:
        for served in started:
            bs.stop(served)
    print(f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after, {time.strftime('%H:%M')}")
    for case in args.cases.split(","):
        for connections in map(int, args.connections.split(",")):
            ox = results[(case, connections, "oxigraph")].rps
            f = results[(case, connections, "fronts")].rps
            k = results[(case, connections, bs.KG)].rps
            i = results[(case, connections, "inline")].rps
            print(
                f"{case} c={connections}: fronts/oxigraph {f / ox:.2f}x, inline/oxigraph {i / ox:.2f}x, "
                f"kg/oxigraph {k / ox:.2f}x, fronts/kg {f / k:.2f}x, inline/kg {i / k:.2f}x"
            )


if __name__ == "__main__":
    main()
