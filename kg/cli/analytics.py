"""Commands about how things connect: path, compare, similar, central.

networkx and the analytics module are imported inside each command, so that ``kg`` starts fast.
"""

from __future__ import annotations

import click

from .app import App, main, pass_app
from .output import emit, output_options


@main.command("path")
@click.argument("source")
@click.argument("target")
@click.option(
    "--max", "limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Show at most this many paths."
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
    from ..analytics import draw_paths, find_paths  # late: kg.analytics (networkx, scipy) costs ~100 ms at start-up

    store = app.store()
    paths = find_paths(store, source, target, limit=limit)
    if html_file:
        draw_paths(paths, html_file, lang=lang)
    emit(paths.result(lang), fmt=fmt, output=output, lang=lang, store=store)


@main.command("compare")
@click.argument("models", nargs=-1)
@output_options
@pass_app
def compare_command(app: App, models: tuple[str, ...], fmt: str | None, output: str | None, lang: str) -> None:
    """The models side by side: one row per dimension, one column per model (all four when no MODEL is named).

    Dimensions: definition, forms, social chain, social tie, target users, core products, channels, enterprises.
    """
    from ..analytics import comparison  # late: kg.analytics (networkx, scipy) costs ~100 ms at start-up

    store = app.store()
    table = comparison(store, models, lang=lang)
    emit(table.result(), fmt=fmt, output=output, lang=lang, store=store)


@main.command("similar")
@click.argument("node")
@click.option("--top", type=click.IntRange(1, 100_000), default=10, show_default=True, help="Show this many nodes.")
@output_options
@pass_app
def similar_command(app: App, node: str, top: int, fmt: str | None, output: str | None, lang: str) -> None:
    """The nodes most like NODE: Jaccard similarity of their typed links, with the neighbours they share.

    A typed link is (property, direction, neighbour): two models that both target price-sensitive users share one.
    """
    from ..analytics import similar  # late: kg.analytics (networkx, scipy) costs ~100 ms at start-up

    store = app.store()
    emit(similar(store, node, top=top, lang=lang), fmt=fmt, output=output, lang=lang, store=store)


@main.command("central")
@click.option("--class", "cls", default=None, help="List only nodes of this class (a name, CURIE or IRI).")
@click.option("--top", type=click.IntRange(1, 100_000), default=10, show_default=True, help="Show this many nodes.")
@output_options
@pass_app
def central_command(app: App, cls: str | None, top: int, fmt: str | None, output: str | None, lang: str) -> None:
    """The most central nodes: betweenness and degree centrality, with classes and vocabulary hubs left out."""
    from ..analytics import central  # late: kg.analytics (networkx, scipy) costs ~100 ms at start-up

    store = app.store()
    emit(central(store, cls=cls, top=top, lang=lang), fmt=fmt, output=output, lang=lang, store=store)
