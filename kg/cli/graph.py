"""Commands about the graph as a whole: validate, stats."""

from __future__ import annotations

import click

from ..results import format_table
from ..stats import stats
from . import App, main, pass_app


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@pass_app
def validate(app: App, files: tuple[str, ...]) -> None:
    """Check syntax and SHACL shapes of the built-in graph, or of FILES on top of it.

    Exit code 0 when the graph conforms, 1 when it has violations, 2 when a file cannot be read.
    """
    from ..validate import validate as run

    report = run(tuple(app.data) + files, store=app.store() if app.store_spec else None)
    click.echo(str(report))
    if not report.conforms:
        raise click.exceptions.Exit(1)


@main.command("stats")
@click.option("--lang", type=click.Choice(["en", "zh-Hans"]), default="en", help="Language of the class names.")
@pass_app
def stats_command(app: App, lang: str) -> None:
    """Count triples, named graphs and nodes per class."""
    figures = stats(app.store(), lang=lang)
    click.echo(f"triples: {figures.triples}")
    click.echo(f"named graphs: {len(figures.graphs)}")
    click.echo(format_table(["graph", "triples"], [[g, str(n)] for g, n in figures.graphs]))
    click.echo("nodes per class:")
    click.echo(format_table(["class", "label", "nodes"], [[c, label, str(n)] for c, label, n in figures.classes]))
