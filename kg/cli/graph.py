"""Commands about the graph as a whole: validate, stats."""

from __future__ import annotations

import click

from .app import App, main, pass_app
from .output import emit, lang_option, output_options


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@lang_option
@pass_app
def validate(app: App, files: tuple[str, ...], lang: str) -> None:
    """Check syntax and SHACL shapes of the built-in graph, or of FILES on top of it.

    Exit code 0 when the graph conforms, 1 when it has violations, 2 when a file cannot be read.
    """
    from ..validate import validate as run  # late: importing kg.validate costs ~12 ms

    report = run(tuple(app.data) + files, store=app.store() if app.store_spec else None)
    click.echo(report.text(lang))
    if not report.conforms:
        raise click.exceptions.Exit(1)


@main.command("stats")
@output_options
@pass_app
def stats_command(app: App, fmt: str | None, output: str | None, lang: str) -> None:
    """Count triples, named graphs and nodes per class."""
    from ..stats import stats  # late: kept off kg's start-up (~2 ms)

    store = app.store()
    emit(stats(store, lang=lang).result(lang), fmt=fmt, output=output, lang=lang, store=store, listing=True)
