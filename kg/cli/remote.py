"""The command that fills a remote SPARQL store: push."""

from __future__ import annotations

import click
import pyoxigraph as ox

from ..errors import KGError
from .app import App, main, pass_app


@main.command("push")
@click.option(
    "--graph",
    "graph",
    default=None,
    metavar="IRI",
    help="The named graph for the --data files (default: one graph per file, named after it).",
)
@pass_app
def push_command(app: App, graph: str | None) -> None:
    """Upload the built-in graph and the --data files into named graphs on the --store SPARQL endpoint.

    Each graph pushed replaces the server's graph of the same name. Credentials come from the environment:
    KG_SPARQL_USER and KG_SPARQL_PASSWORD, or KG_SPARQL_TOKEN.
    """

    from ..stores.remote import RemoteStore, redact  # urllib and http load only when a command needs them

    store = app.store()
    if not isinstance(store, RemoteStore):
        raise KGError("kg push needs --store with the URL of a SPARQL endpoint (http:// or https://)")
    if graph is not None:
        try:
            graph = ox.NamedNode(graph).value
        except ValueError:
            raise KGError(f"--graph {graph!r} is not a valid IRI") from None
    sent = store.push(app.data, graph=graph)
    for iri, count in sent.items():
        click.echo(f"{count} triples into <{iri}>")
    total = sum(sent.values())
    click.echo(f"pushed {total} triples into {len(sent)} graphs at {redact(store.endpoints.query)}")
