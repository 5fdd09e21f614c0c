"""Commands that ask the graph: queries, query, sparql, describe, search."""

from __future__ import annotations

import sys

import click

from ..catalog import check_network_reach, get_query, listing, run_query
from ..describe import describe
from ..errors import KGError, decoded, shown
from ..names import resolve
from ..sparqltext import check_base, check_graphs
from .app import App, main, pass_app
from .output import emit, output_options


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KGError(f"parameter {pair!r} is not NAME=VALUE")
        values[name.strip()] = value
    return values


@main.command("queries")
@output_options
@pass_app
def queries_command(app: App, fmt: str | None, output: str | None, lang: str) -> None:
    """List the named queries: name, summary (in the --lang language), parameters."""

    emit(listing(lang=lang), fmt=fmt, output=output, lang=lang, store=None, listing=True)


@main.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@output_options
@pass_app
def query_command(app: App, name: str, params: tuple[str, ...], fmt: str | None, output: str | None, lang: str) -> None:
    """Run the named query NAME (see `kg queries`); a value can be an IRI, a CURIE or any name of a node."""

    get_query(name)
    store = app.store()
    result = run_query(store, name, _params(params))
    emit(result, fmt=fmt, output=output, lang=lang, store=store)


def _read_query(text: str) -> str:
    """The query the argument names: its own text, ``@FILE`` or ``-`` (stdin), read as UTF-8.

    Raises:
        KGError: the file cannot be read, or the text is not UTF-8.
    """
    if text == "-":
        return decoded(sys.stdin.buffer.read(), source="stdin")
    if text.startswith("@"):
        path = text[1:]
        try:
            with open(path, "rb") as handle:
                return decoded(handle.read(), source=path)
        except OSError as error:
            raise KGError(f"{shown(path)}: {error.strerror or error}") from None
    return text


@main.command("sparql")
@click.argument("query")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses reach other endpoints over the network.")
@click.option("--base", "base", metavar="IRI", default=None, help="Resolve the query's relative IRIs against IRI.")
@click.option(
    "--default-graph",
    "defaults",
    multiple=True,
    metavar="IRI",
    help="A graph of the default graph, instead of the query's FROM (repeatable; the protocol's default-graph-uri).",
)
@click.option(
    "--named-graph",
    "named",
    multiple=True,
    metavar="IRI",
    help="A graph GRAPH sees, instead of the query's FROM NAMED (repeatable; the protocol's named-graph-uri).",
)
@output_options
@pass_app
def sparql_command(
    app: App,
    query: str,
    allow_service: bool,
    base: str | None,
    defaults: tuple[str, ...],
    named: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    lang: str,
) -> None:
    """Run your own SPARQL: QUERY as text, @FILE, or - for stdin. The usual prefixes (sce:, id:, rdfs: …) are known.

    The query sees the union of all graphs, unless it names its own with FROM and FROM NAMED, or --default-graph and
    --named-graph name them.
    """

    check_base(base)
    dataset = (check_graphs(defaults, source="--default-graph"), check_graphs(named, source="--named-graph"))
    text = _read_query(query)
    source = query[1:] if query.startswith("@") else "query"
    check_network_reach(text, allow_service=allow_service, source=source)
    store = app.store()
    if defaults or named:
        result = store.query(text, source=source, base_iri=base, default_graphs=dataset[0], named_graphs=dataset[1])
    else:
        result = store.query(text, source=source, base_iri=base)
    emit(result, fmt=fmt, output=output, lang=lang, store=store)


@main.command("describe")
@click.argument("term")
@output_options
@pass_app
def describe_command(app: App, term: str, fmt: str | None, output: str | None, lang: str) -> None:
    """Show a node: its names in both languages, definition, every link in and out, and their sources.

    TERM is an IRI, a CURIE (id:kuaishou) or any name ("Kuaishou", "快手", "Aauto Faster").
    """

    store = app.store()
    emit(describe(store, resolve(store, term), lang=lang), fmt=fmt, output=output, lang=lang, store=store)


@main.command("search")
@click.argument("text")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many nodes."
)
@output_options
@pass_app
def search_command(app: App, text: str, limit: int, fmt: str | None, output: str | None, lang: str) -> None:
    """Find nodes by any of their names, in either language: exact matches first, then names that start with TEXT,
    then names that contain it, then the closest names. One row per node, with its class and model."""
    from ..search import as_result, search  # late: importing kg.search costs ~6 ms

    store = app.store()
    emit(as_result(search(store, text, limit=limit), lang=lang), fmt=fmt, output=output, lang=lang, store=store)
