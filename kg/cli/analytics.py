"""Commands about how things connect: path, compare, similar, central.

networkx and the analytics module are imported inside each command, so that ``kg`` starts fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..files import write_atomically
from ..results import TABULAR_FORMATS
from . import App, main, pass_app
from .output import choose_format, emit, output_options

#: Formats of `kg compare`: the tabular ones, and Markdown and HTML pages.
COMPARE_FORMATS = (*TABULAR_FORMATS, "markdown", "html")
COMPARE_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@main.command("path")
@click.argument("source")
@click.argument("target")
@click.option(
    "--max", "limit", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most this many paths."
)
@click.option("--html", "html_file", type=click.Path(dir_okay=False), default=None, help="Also draw the paths here.")
@output_options
@pass_app
def path_command(
    app: App,
    source: str,
    target: str,
    limit: int,
    html_file: str | None,
    fmt: str | None,
    output: str | None,
    lang: str,
) -> None:
    """The shortest paths between SOURCE and TARGET, as chains of labelled links (arrows show each link's direction).

    SOURCE and TARGET are IRIs, CURIEs or any names, as in `kg describe`. Links count in either direction; classes
    and vocabulary hubs (the concept scheme, the source documents) are left out.
    """
    from ..analytics import draw_paths, find_paths

    store = app.store()
    paths = find_paths(store, source, target, limit=limit)
    if html_file:
        draw_paths(paths, html_file, lang=lang)
    emit(paths.result(lang), fmt=fmt, output=output, lang=lang, store=store)


@main.command("compare")
@click.argument("models", nargs=-1)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(COMPARE_FORMATS),
    default=None,
    help="table, json, csv, tsv, xml, markdown or html. Default: table on a terminal, else json, "
    "or from the --output file's ending.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file, not stdout.")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-Hans"], case_sensitive=False),
    default="en",
    show_default=True,
    help="Language of the dimensions and values.",
)
@pass_app
def compare_command(app: App, models: tuple[str, ...], fmt: str | None, output: str | None, lang: str) -> None:
    """The models side by side: one row per dimension, one column per model (all four when no MODEL is named).

    Dimensions: definition, forms, social chain, social tie, target users, core products, channels, enterprises.
    """
    from ..analytics import comparison, write_html, write_markdown

    store = app.store()
    table = comparison(store, models, lang=lang)
    result = table.result()
    if fmt is None and output is not None:
        fmt = COMPARE_EXTENSIONS.get(Path(output).suffix.lower())
    if fmt not in ("markdown", "html"):
        emit(result, fmt=choose_format(result, fmt, output), output=output, lang=lang, store=store)
        return
    if fmt == "markdown":
        text = write_markdown(result, headers=table.headers())
    else:
        text = write_html(result, headers=table.headers(), title="kg compare", lang=lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(Path(output), text)


@main.command("similar")
@click.argument("node")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Show this many nodes.")
@output_options
@pass_app
def similar_command(app: App, node: str, top: int, fmt: str | None, output: str | None, lang: str) -> None:
    """The nodes most like NODE: Jaccard similarity of their typed links, with the neighbours they share.

    A typed link is (property, direction, neighbour): two models that both target price-sensitive users share one.
    """
    from ..analytics import similar

    store = app.store()
    emit(similar(store, node, top=top, lang=lang), fmt=fmt, output=output, lang=lang, store=store)


@main.command("central")
@click.option("--class", "cls", default=None, help="List only nodes of this class (a name, CURIE or IRI).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Show this many nodes.")
@output_options
@pass_app
def central_command(app: App, cls: str | None, top: int, fmt: str | None, output: str | None, lang: str) -> None:
    """The most central nodes: betweenness and degree centrality, with classes and vocabulary hubs left out."""
    from ..analytics import central

    store = app.store()
    emit(central(store, cls=cls, top=top, lang=lang), fmt=fmt, output=output, lang=lang, store=store)
