"""The command that serves the graph over HTTP: serve."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import KGError
from ..stores import is_remote
from .app import App, main, pass_app, stop_hooks


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 86400),
    help="Seconds a request may run before it is stopped (503).",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes running the queries (default: the CPUs, at least 2).",
)
@click.option(
    "--cors", default=None, metavar="ORIGINS", help="Comma-separated origins browsers may read from (default *)."
)
@click.option("--allow-service", is_flag=True, help="Let SERVICE and LOAD reach other endpoints over the network.")
@click.option(
    "--max-body",
    default=16 << 20,
    show_default=True,
    type=click.IntRange(1024, 1 << 34),
    help="The largest request body, in bytes (413 past it).",
)
@click.option(
    "--cache",
    default=64 << 20,
    show_default=True,
    type=click.IntRange(0, 1 << 40),
    help="Bytes of small answers kept for clients asking the same again, emptied by every write (0: none).",
)
@click.option(
    "--strict", is_flag=True, help="Refuse a graph-store write that breaks the shapes (422), instead of a warning."
)
@click.option(
    "--worker-memory",
    "worker_memory",
    default=None,
    type=click.IntRange(0, 1 << 30),
    metavar="MB",
    help="Megabytes of memory each worker may take; a query past it fails (default: the memory shared by the "
    "workers, at least 1024; 0: no limit).",
)
@pass_app
def serve_command(
    app: App,
    host: str,
    port: int,
    timeout: float,
    workers: int | None,
    cors: str | None,
    allow_service: bool,
    max_body: int,
    cache: int,
    strict: bool,
    worker_memory: int | None,
) -> None:
    """Serve the graph over HTTP: SPARQL 1.1 at /sparql, graphs at /store, named queries at /api/NAME, MCP at /mcp.

    Writes (updates, graph-store PUT/POST/DELETE) are off unless KG_SERVE_TOKEN is set; then they need the header
    Authorization: Bearer <token>.
    """
    from ..serve import serve  # late: importing kg.serve costs ~173 ms
    from ..serve.workers import StoreSpec, default_worker_memory  # late: importing kg.serve.workers costs ~219 ms

    origins = tuple(o.strip() for o in cors.split(",") if o.strip()) if cors is not None else ("*",)
    if not origins:
        raise KGError("--cors needs at least one origin")
    on_disk = app.store_spec is not None and not is_remote(app.store_spec)
    if on_disk and (app.data or not (Path(app.store_spec or "").expanduser() / "CURRENT").exists()):
        # The files go into the store on disk once, and a new store is made once, before the workers open it (two
        # workers making one store at the same time found each other's files and refused it).
        app.store(write=True).close()
        app._store = None
    elif app.data and app.store_spec is None:  # the files are checked against the shapes once, here
        app.store()
        app._store = None
    spec = StoreSpec(app.store_spec, tuple(app.data) if not app.store_spec or is_remote(app.store_spec) else ())
    count = workers or max(2, os.cpu_count() or 2)
    serve(
        spec,
        host=host,
        port=port,
        timeout=timeout,
        workers=count,
        cors=origins,
        allow_service=allow_service,
        max_body=max_body,
        cache=cache,
        strict=strict or app.strict,
        on_stop=stop_hooks,
        worker_memory=default_worker_memory(count) if worker_memory is None else worker_memory << 20,
    )
