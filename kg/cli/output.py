"""One output dispatcher for every command that gives a Result: ``--format``, ``--output``, ``--lang``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox

from ..files import write_atomically
from ..results import EXTENSIONS, GRAPH_FORMATS, TABULAR_FORMATS, Result
from ..store import GraphStore

F = TypeVar("F", bound=Callable[..., Any])
LABELS = "SELECT ?node ?label WHERE { ?node rdfs:label ?label }"
ALL_FORMATS = sorted(set(TABULAR_FORMATS) | set(GRAPH_FORMATS))


def output_options(command: F) -> F:
    """Add ``--format``, ``--output`` and ``--lang`` to a command."""
    command = click.option(
        "--lang",
        type=click.Choice(["en", "zh-Hans"], case_sensitive=False),
        default="en",
        show_default=True,
        help="Language of the labels shown in tables.",
    )(command)
    command = click.option(
        "--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout."
    )(command)
    command = click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(ALL_FORMATS),
        default=None,
        help="table, json, csv, tsv, xml for SELECT and ASK; turtle, nt, nq, trig, jsonld, rdfxml for graphs. "
        "Default: table on a terminal, else json (turtle for graphs), or from the --output file's ending.",
    )(command)
    return command


def choose_format(result: Result, fmt: str | None, output: str | None) -> str:
    """The format to write: the one asked for, else the output file's ending, else by terminal and result kind."""
    if fmt:
        return fmt
    if output and Path(output).suffix.lower() in EXTENSIONS:
        return EXTENSIONS[Path(output).suffix.lower()]
    if output is None and sys.stdout.isatty():
        return "table"
    return "turtle" if result.kind == "graph" else "json"


def labeller(store: GraphStore, lang: str) -> Callable[[Sequence[str]], Mapping[str, str]]:
    """A function giving the ``lang`` label (else the English one) of each IRI, for tables."""

    def labels(iris: Sequence[str]) -> Mapping[str, str]:
        names: dict[str, str] = {}
        for iri in iris:
            rows = store.select(LABELS, node=ox.NamedNode(iri))
            found = {(r["label"].language or "").lower(): r["label"].value for r in rows}
            name = found.get(lang.lower()) or found.get("en")
            if name:
                names[iri] = name
        return names

    return labels


def emit(result: Result, *, fmt: str | None, output: str | None, lang: str, store: GraphStore | None) -> None:
    """Write ``result`` in the chosen format to ``output`` (atomically) or stdout."""
    chosen = choose_format(result, fmt, output)
    labels = labeller(store, lang) if store is not None and chosen == "table" else None
    text = result.serialize(chosen, labels=labels)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(Path(output), text)
