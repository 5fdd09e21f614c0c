"""The ``kg`` command line: each command parses its arguments, calls one library function, and writes the result.

User errors (bad files, bad queries, unknown names) become one line on stderr and exit code 2; ``--debug`` shows the
traceback instead. Heavy libraries are imported inside the commands that need them, so that ``kg`` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from ..errors import KGError
from ..stores import GraphStore, is_remote, open_store


@dataclass
class App:
    """What the global options say, and the store they open (opened once, on first use)."""

    data: tuple[str, ...] = ()
    store_spec: str | None = None
    debug: bool = False
    update_endpoint: str | None = None
    _store: GraphStore | None = None

    def store(self, *, write: bool = False) -> GraphStore:
        """The store named by ``--store`` (the built-in graph in memory by default), with ``--data`` files added.

        A store on disk is opened read-only, beside other readers, unless the command ``write``s (or ``--data`` files
        go into it); it waits up to ``KG_STORE_WAIT`` seconds for a writer to finish.
        """
        if self._store is None:
            from ..stores.locks import wait_from_env

            wait = wait_from_env() if self.store_spec and not is_remote(self.store_spec) else 0.0
            self._store = open_store(
                self.store_spec, data=self.data, write=write, wait=wait, update_endpoint=self.update_endpoint
            )
            click.get_current_context().call_on_close(self._store.close)
        return self._store


class KGGroup(click.Group):
    """A click group that turns a KGError into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as error:
            app = ctx.find_object(App)
            if app is not None and app.debug:
                raise
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)


pass_app = click.make_pass_decorator(App)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="An RDF file of your own to add on top of the built-in graph (repeatable).",
)
@click.option(
    "--store", "store_spec", default=None, help="Where the graph lives (default: the built-in graph in memory)."
)
@click.option(
    "--update-endpoint",
    "update_endpoint",
    default=None,
    metavar="URL",
    help="Where SPARQL updates go when --store is a remote endpoint that takes them elsewhere.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(package_name="kg", prog_name="kg")
@click.pass_context
def main(
    ctx: click.Context, data: tuple[str, ...], store_spec: str | None, update_endpoint: str | None, debug: bool
) -> None:
    """Ask, draw and check the knowledge graph of China's social e-commerce models."""
    ctx.obj = App(data=data, store_spec=store_spec, debug=debug, update_endpoint=update_endpoint)


# The command modules register themselves on ``main`` when imported.
from . import analytics as _analytics  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import query as _query  # noqa: E402,F401
from . import remote as _remote  # noqa: E402,F401
from . import render as _render  # noqa: E402,F401
from . import store as _store  # noqa: E402,F401
