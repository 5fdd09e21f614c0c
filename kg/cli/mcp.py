"""The command that lets an assistant use the graph: mcp (the Model Context Protocol over stdin and stdout)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError
from ..stores import is_remote
from .app import App, main, pass_app


@main.command("mcp")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 86400),
    help="Seconds a call may run before it is stopped.",
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes answering calls."
)
@click.option("--allow-service", is_flag=True, help="Let SERVICE and LOAD reach other endpoints over the network.")
@pass_app
def mcp_command(app: App, timeout: float, workers: int, allow_service: bool) -> None:
    """Serve the graph to an assistant over the Model Context Protocol, on stdin and stdout.

    Tools: every named query, search_names, describe_node, path_between and read-only sparql; resources: the ontology,
    the shapes, VoID and the example queries. A desktop assistant starts it as its command: see docs/mcp.md.
    """
    from ..mcp import run_stdio  # late: importing kg.mcp costs ~12 ms
    from ..serve.workers import StoreSpec  # late: importing kg.serve.workers costs ~135 ms

    on_disk = app.store_spec is not None and not is_remote(app.store_spec)
    if on_disk and (app.data or not (Path(app.store_spec or "").expanduser() / "CURRENT").exists()):
        app.store(write=True).close()  # the files go in once, before the workers open the store
        app._store = None
    elif app.data and not on_disk:
        app.store().close()  # a bad file is one line here, before each worker would stumble on it
        app._store = None
    spec = StoreSpec(app.store_spec, tuple(app.data) if not app.store_spec or is_remote(app.store_spec) else ())
    try:
        run_stdio(spec, timeout=timeout, workers=workers, allow_service=allow_service)
    except RuntimeError as error:
        raise KGError(str(error)) from None
