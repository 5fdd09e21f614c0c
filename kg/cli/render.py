"""Commands that draw and hand on the graph: render, export.

networkx, pyvis and Jinja are imported inside the commands, so that ``kg`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..catalog import get_query, in_language, is_query_name, run_query
from ..errors import KGError
from ..lang import is_chinese
from .app import App, main, pass_app
from .output import lang_option
from .query import _params, _read_query

if TYPE_CHECKING:
    import networkx as nx


#: What kg render says as it works, in each language (the pages' own titles come from kg.render and kg.timeline).
WORDS = {
    "en": {
        "running": "running the query",
        "drawing": "drawing {} nodes and {} links",
        "drawn": "{}: {} nodes, {} links",
        "dated": "{}: {} dated items",
    },
    "zh": {
        "running": "正在运行查询",
        "drawing": "正在绘制 {} 个节点和 {} 条连线",
        "drawn": "{}：{} 个节点，{} 条连线",
        "dated": "{}：{} 条带日期的条目",
    },
}


def _words(lang: str) -> dict[str, str]:
    return WORDS["zh" if is_chinese(lang) else "en"]


def _progress(message: str) -> None:
    """Tell a person at a terminal what is happening; stay quiet in pipes."""
    if sys.stderr.isatty():
        click.echo(f"kg: {message}…", err=True)


@main.command("render")
@click.argument("name", required=False)
@click.option("--sparql", "sparql", metavar="QUERY", help="Your own query: its text, @FILE, or - for stdin.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="The HTML file [default: graph.html, or timeline.html with --timeline].",
)
@lang_option
@click.option("--title", default=None, help="The page's heading (default: the query's summary).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses reach other endpoints over the network.")
@click.option(
    "--timeline",
    is_flag=True,
    help="Draw the timeline of NAME, a model or an enterprise (or of every model): dated events, by source.",
)
@pass_app
def render_command(
    app: App,
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    output: str | None,
    lang: str,
    title: str | None,
    allow_service: bool,
    timeline: bool,
) -> None:
    """Draw the graph, or the answer to query NAME or --sparql, as one interactive HTML page that works offline.

    A CONSTRUCT or DESCRIBE answer is drawn as it is; a SELECT answer draws the resources in its rows and the links
    among them. With no query, the whole graph, opening on its overview: the models and their dimensions, the rest
    folded into counts that open on a click. With --timeline, NAME is a model or an enterprise (any of its names)
    and the page is its timeline: founding dates and market events in date order, coloured by kind, each linked to
    its source.
    """
    from ..network import WHOLE_GRAPH, from_store  # late: importing kg.network costs ~114 ms
    from ..render import write_html  # late: importing kg.render costs ~227 ms

    if name and sparql is not None:
        raise KGError("give a query NAME or --sparql, not both")
    if timeline:
        if sparql is not None or params:
            raise KGError("--timeline takes a model NAME only, not --sparql or --param")
        _timeline(app, name, "timeline.html" if output is None else output, lang, title)
        return
    output = "graph.html" if output is None else output
    store = app.store()
    words = _words(lang)
    _progress(words["running"])
    whole = not name and sparql is None
    if whole:
        graph, text, heading = from_store(store), WHOLE_GRAPH.strip(), None
    else:
        graph, text, heading = _query_graph(app, name, sparql, params, allow_service, lang)
    _progress(words["drawing"].format(graph.number_of_nodes(), graph.number_of_edges()))
    path = write_html(graph, output, title=title or heading, query=text, lang=lang, overview=whole)
    click.echo(words["drawn"].format(path, graph.number_of_nodes(), graph.number_of_edges()))


def _timeline(app: App, model: str | None, output: str, lang: str, title: str | None) -> None:
    """Write the timeline page of ``model`` (every model when None) and say how many items it holds."""
    from ..timeline import timeline_items, title_of, write_timeline  # late: importing kg.timeline costs ~8 ms

    items = timeline_items(app.store(), model=model, lang=lang)
    words = _words(lang)
    heading = title or title_of(app.store(), model, lang)
    path = write_timeline(items, output, title=heading, lang=lang)
    click.echo(words["dated"].format(path, len(items)))


def _query_graph(
    app: App, name: str | None, sparql: str | None, params: tuple[str, ...], allow_service: bool, lang: str = "en"
) -> tuple[nx.MultiDiGraph, str, str]:
    """Run the named query or the user's SPARQL; return its graph, its text and a heading in ``lang``."""
    from ..network import from_result  # late: importing kg.network costs ~114 ms
    from ..render import page_word  # late: importing kg.render costs ~227 ms

    store = app.store()
    text = _read_query(sparql) if sparql is not None else (name or "")
    result = run_query(store, text, _params(params), allow_service=allow_service)
    if name and is_query_name(name):
        named = get_query(name)
        return from_result(result, store, also=result.given), named.text, in_language(named, lang)[0] or named.name
    return from_result(result, store), text, page_word("query_result", lang)


@main.command("export")
@click.option(
    "--dir", "folder", type=click.Path(file_okay=False), default="exports", show_default=True, help="Where to write."
)
@pass_app
def export_command(app: App, folder: str) -> None:
    """Write the graph as Turtle, N-Triples, JSON-LD, RDF/XML and GraphML, the dataset with its named graphs as TriG
    and N-Quads, and the graph's HTML views, into --dir.

    The files are byte-for-byte reproducible: the same graph always gives the same bytes.
    """
    from ..export import export  # late: importing kg.export costs ~499 ms

    written = export(app.store(), Path(folder), progress=_progress)
    for path in written:
        click.echo(str(path))
