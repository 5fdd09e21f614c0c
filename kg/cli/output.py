"""One output dispatcher for every command that gives a Result: ``--format``, ``--output``, ``--lang``.

The choices come from the one registry of writers (:data:`kg.results.WRITERS`). The answer streams from the engine to
stdout or to a temporary file that replaces ``--output`` only when all of it was written.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from ..errors import KGError, shown
from ..files import atomic_output, check_target
from ..lang import SPELLINGS, hint, tag
from ..names import labeller
from ..results import WRITERS, Result, WriteOptions, default_format, format_for_ending
from ..stores import GraphStore
from .app import quiet_stdout

F = TypeVar("F", bound=Callable[..., Any])

#: Writers that show IRIs by their labels.
FOR_PEOPLE = ("table", "markdown", "html")
#: The format that writes a terminal answer as records (the table writer, one field per line).
RECORDS = "records"
#: Where ``--both`` is kept in the command's context.
BOTH = "kg.both"


if TYPE_CHECKING:
    _ParamType = click.ParamType[str, Any]  # generic from click 8.3; a plain class before
else:
    _ParamType = click.ParamType


class Language(_ParamType):
    """A language as ``--lang`` takes it: any spelling :mod:`kg.lang` accepts, given to the command as its tag."""

    name = "language"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        found = tag(str(value))
        if found is None:
            self.fail(f"{value!r} is not a language kg writes; use {hint()}", param, ctx)
        return found

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[en|zh-Hans]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem  # late: kept off kg's start-up (~1-2 ms)

        return [CompletionItem(s) for s in SPELLINGS if s.lower().startswith(incomplete.lower())]


def lang_option(command: F) -> F:
    """Add ``--lang``: the language of labels and messages (``en`` or ``zh-Hans``, under any of their spellings)."""
    return click.option(
        "--lang",
        type=Language(),
        default="en",
        show_default=True,
        help="Language of the labels shown: en or zh-Hans (also zh, zh-CN, zh_CN, in any case).",
    )(command)


def output_options(command: F) -> F:
    """Add ``--format``, ``--output`` and ``--lang`` to a command."""
    command = lang_option(command)
    command = click.option(
        "--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout."
    )(command)
    kinds = {"select": "SELECT", "graph": "CONSTRUCT/DESCRIBE"}
    listed = "; ".join(
        f"{', '.join(w.name for w in WRITERS.values() if kind in w.kinds)} for {label}" for kind, label in kinds.items()
    )
    command = click.option(
        "--both",
        is_flag=True,
        expose_value=False,
        callback=_remember_both,
        help="Show each node's name in English and Chinese (tables and records).",
    )(command)
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice([*WRITERS, RECORDS]),
        default=None,
        help=f"{listed}; records (one field per line) for any. Default: table on a terminal (records when a "
        "table cannot fit), else json (turtle for graphs), or from the --output file's ending.",
    )(command)


def _remember_both(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Keep ``--both`` where :func:`emit` reads it, so that no command has to pass it on."""
    ctx.meta[BOTH] = value


def choose_format(result: Result, fmt: str | None, output: str | None, *, listing: bool = False) -> str:
    """The format to write: the one asked for, else the output file's ending, else by terminal and result kind
    (a ``listing`` for people is a table wherever it goes)."""
    if fmt:
        return fmt
    if output:
        check_target(Path(output))  # a folder, device or fifo is refused for what it is, before its name is read
        ending = Path(output).suffix
        by_ending = format_for_ending(ending)
        if by_ending is None:
            known = " ".join(e for w in WRITERS.values() if result.kind in w.kinds for e in w.endings)
            said = f"ending {ending!r}" if ending else "no ending"
            raise KGError(f"{shown(output)}: {said} names no format; use -f FORMAT, or one of: {known}")
        if result.kind in WRITERS[by_ending].kinds:
            return by_ending
    if listing or (output is None and sys.stdout.isatty()):
        return "table"
    return default_format(result)


def table_width() -> int:
    """The width tables fit: the terminal's, or ``COLUMNS`` when set; 0 (no limit) in a pipe or a file."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 0


def emit(
    result: Result,
    *,
    fmt: str | None,
    output: str | None,
    lang: str,
    store: GraphStore | None,
    listing: bool = False,
    both: bool | None = None,
) -> None:
    """Write ``result`` in the chosen format to ``output`` (atomically) or stdout, as the engine gives it.

    ``both`` (default: as ``--both`` said) shows each node's name in both languages.

    Raises:
        KGError: the format does not fit the result, the output cannot be written, or the engine fails part-way.
    """
    if both is None:
        context = click.get_current_context(silent=True)
        both = bool(context and context.meta.get(BOTH))
    layout = {"table": "table", RECORDS: "records"}.get(fmt or "", "auto")
    chosen = choose_format(result, "table" if fmt == RECORDS else fmt, output, listing=listing)
    options = WriteOptions(
        labels=labeller(store, lang) if store is not None and chosen in FOR_PEOPLE else None,
        width=table_width() if chosen == "table" and output is None else 0,
        lang=lang,
        layout=layout,
        both=both,
        people=chosen in FOR_PEOPLE,
    )
    if output is None:
        _to_stdout(result, chosen, options)
        return
    with atomic_output(output) as handle:
        _write(result, handle, chosen, options, where=output)


#: Formats whose bytes are no text: written to files and pipes, never to a terminal.
BINARY = frozenset({"xlsx"})


def _to_stdout(result: Result, chosen: str, options: WriteOptions) -> None:
    stdout: IO[bytes] = sys.stdout.buffer
    if chosen in BINARY and sys.stdout.isatty():  # a terminal would show the bytes as garbage, and may be left askew
        raise KGError(
            f"{WRITERS[chosen].description} is not for a terminal; use -o FILE{WRITERS[chosen].endings[0]} or a pipe"
        )
    try:
        _write(result, stdout, chosen, options, where="standard output")
        stdout.flush()
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, as Unix tools do, and keep Python from complaining at exit
        quiet_stdout()
        raise click.exceptions.Exit(141) from None


class _Output:
    """The stream a writer writes to, telling the writer's own failures (a full disk) from the engine's."""

    def __init__(self, out: IO[bytes], where: str) -> None:
        self.out = out
        self.where = where

    def write(self, data: Any) -> int:
        try:
            return self.out.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise KGError(f"{self.where}: the disk is full") from None
            raise KGError(f"{self.where}: cannot write: {error.strerror or error}") from None

    def flush(self) -> None:
        self.out.flush()

    def writable(self) -> bool:
        return True


def _write(result: Result, out: IO[bytes], chosen: str, options: WriteOptions, *, where: str) -> None:
    try:
        result.write(_Output(out, where), chosen, options=options)  # type: ignore[arg-type]
    except (KGError, BrokenPipeError, KeyboardInterrupt):
        raise
    except (OSError, RuntimeError, SyntaxError, ValueError) as error:
        raise KGError(f"the store could not answer: {' '.join(str(error).split())[:300]}") from None
