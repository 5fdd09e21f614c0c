"""Commands about the store on disk: load, graphs, drop.

Loading shows a progress bar when stderr is a terminal and stays quiet in pipes.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import KGError
from ..lang import is_chinese
from ..stores.rdffiles import graph_name
from .app import App, main, pass_app
from .output import emit, lang_option, output_options

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from ..stores import GraphStore

#: Redraw the progress bar at most once per this many bytes read.
PROGRESS_STEP = 1 << 20


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", "graph", default=None, help="Load every file into this named graph (an IRI).")
@click.option("--strict", is_flag=True, help="Refuse a file that breaks the shapes (exit 2, nothing of it loaded).")
@lang_option
@pass_app
def load_command(app: App, files: tuple[str, ...], graph: str | None, strict: bool, lang: str) -> None:
    """Load RDF FILES into the store given by --store, each into a graph named after it.

    Each file is all or nothing: a file with an error anywhere adds nothing and the error names file, line and column.
    Each is checked against the shapes with the nodes it touches: one that breaks them is loaded with a warning
    ("N violations (first: …); run kg validate FILE"), or with --strict refused.
    """
    from ..validate import load_checked  # late: importing kg.validate costs ~17 ms

    if app.store_spec is None:
        raise KGError("kg load needs a store to keep the data in: give --store DIR")
    store = _opened(app, write=True)
    for path in files:
        added = 0

        def load(path: str) -> None:
            nonlocal added
            with _progress(path) as progress:
                added = store.load(path, graph=graph, progress=progress)

        report = load_checked(store, path, graph=graph, strict=strict or app.strict, load=load, lang=lang)
        into = graph or _graph_name(path)
        click.echo(
            f"{path}：{added} 个三元组载入 <{into}>" if is_chinese(lang) else f"{path}: {added} triples into <{into}>"
        )
        if not report.conforms:
            click.echo(f"kg: warning: {report.summary(path, lang)}", err=True)


def _opened(app: App, *, write: bool = False) -> GraphStore:
    """The app's store, for writing when asked; closed (its lock on disk let go) when the command ends."""
    return app.store(write=write)


def _graph_name(path: str) -> str:
    return graph_name(path)


@contextlib.contextmanager
def _progress(path: str) -> Iterator[_Bar | None]:
    """A progress callback drawing a bar on stderr for ``path``, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    with click.progressbar(length=size, label=Path(path).name, file=sys.stderr) as bar:
        yield _Bar(bar)


class _Bar:
    """Adds up bytes read and moves a click progress bar in steps of PROGRESS_STEP."""

    def __init__(self, bar: ProgressBar[int]) -> None:
        self.bar = bar
        self.pending = 0

    def __call__(self, n: int) -> None:
        self.pending += n
        if self.pending >= PROGRESS_STEP or n == 0:
            self.bar.update(self.pending)
            self.pending = 0


@main.command("graphs")
@output_options
@pass_app
def graphs_command(app: App, fmt: str | None, output: str | None, lang: str) -> None:
    """List the named graphs of the store with their triple counts ("" is the default graph)."""

    from ..stats import graph_listing  # late: kept off kg's start-up (~1-2 ms)

    emit(graph_listing(_opened(app), lang), fmt=fmt, output=output, lang=lang, store=None, listing=True)


@main.command("drop")
@click.argument("graph")
@lang_option
@pass_app
def drop_command(app: App, graph: str, lang: str) -> None:
    """Remove the named GRAPH (an IRI, or the file it was loaded from) from the store given by --store.

    A built-in graph comes back fresh from the installed files the next time the store is opened.
    """
    if app.store_spec is None:
        raise KGError("kg drop needs a store to change: give --store DIR")
    store = _opened(app, write=True)
    iri = graph if ":" in graph and not Path(graph).exists() else _graph_name(graph)
    removed = store.drop(iri)
    click.echo(f"已删除 <{iri}>：{removed} 个三元组" if is_chinese(lang) else f"dropped <{iri}>: {removed} triples")
