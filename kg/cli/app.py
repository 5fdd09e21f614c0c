"""The ``kg`` group itself: its global options, the App they make, and how every command fails and stops.

User errors (bad files, bad queries, unknown names) become one line on stderr and exit code 2; ``--debug`` shows the
traceback instead. The command modules import ``main`` from here and register themselves on it.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys
import threading
from typing import Any, NoReturn

import click

from ..errors import KGError
from ..files import abandon_outputs
from ..sparqltext import ENGINE_STACK
from ..stores import GraphStore, is_remote, open_store
from ..stores.locks import wait_from_env


class App:
    """What the global options say, and the store they open (opened once, on first use)."""

    def __init__(
        self,
        *,
        data: tuple[str, ...] = (),
        store_spec: str | None = None,
        debug: bool = False,
        update_endpoint: str | None = None,
        strict: bool = False,
    ) -> None:
        self.data = data
        self.strict = strict
        self.store_spec = store_spec
        self.debug = debug
        self.update_endpoint = update_endpoint
        self._store: GraphStore | None = None

    def store(self, *, write: bool = False) -> GraphStore:
        """The store named by ``--store`` (the built-in graph in memory by default), with ``--data`` files added.

        A store on disk is opened read-only, beside other readers, unless the command ``write``s (or ``--data`` files
        go into it); it waits up to ``KG_STORE_WAIT`` seconds for a writer to finish.
        """
        if self._store is None:
            wait = wait_from_env() if self.store_spec and not is_remote(self.store_spec) else 0.0
            remote = is_remote(self.store_spec)
            self._store = open_store(
                self.store_spec,
                data=self.data if remote else (),
                write=write or bool(self.data),
                wait=wait,
                update_endpoint=self.update_endpoint,
            )
            click.get_current_context().call_on_close(self._store.close)
            if self.data and not remote:
                from ..validate import add_checked  # late: importing kg.validate costs ~8 ms

                add_checked(self._store, self.data, strict=self.strict, warn=_warn, lang=command_language())
        return self._store


def _warn(line: str) -> None:
    click.echo(f"kg: warning: {line}", err=True)


def command_language() -> str:
    """The language the running command was asked to speak (its ``--lang``), English when it has none.

    Messages that describe results (``kg: warning: …``) are in it; their ``kg: warning:`` and ``kg: error:`` prefixes
    stay as they are, for programs that read them.
    """
    context = click.get_current_context(silent=True)
    return str(context.params.get("lang") or "en") if context is not None else "en"


class KGGroup(click.Group):
    """A click group whose every failure is one line on stderr and an exit code, and which Ctrl-C stops at once.

    The command runs in a worker thread while the main thread waits for it, so that Ctrl-C reaches kg even while the
    engine computes (pyoxigraph looks at no signal and cannot be cancelled): the main thread removes any output file
    being written and ends the process.
    """

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Run kg; click's usage errors in kg's own one-line form (``kg: error: …``, exit 2)."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)  # without standalone mode, click returns the code ctx.exit() gave
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.ClickException as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # bare `kg` (click 8.2+): the help, as click prints it
                print(error.format_message(), file=sys.stderr)
                sys.exit(error.exit_code)
            print(f"kg: error: {one_line(error.format_message())}{_hint(error)}", file=sys.stderr)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                with ctx:
                    outcome["value"] = click.Group.invoke(self, ctx)
            except BaseException as error:  # handed to the main thread
                app = ctx.find_object(App)
                outcome["error"] = error if app is not None and app.debug else _without_frames(error)
            finally:
                # The engine's answers belong to the thread that asked for them: let go of them here.
                gc.collect()

        threading.stack_size(ENGINE_STACK)  # this thread and any the command starts: the engine recurses on it
        worker = threading.Thread(target=work, name="kg-command", daemon=True)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminated)
        worker.start()
        stopping = False
        while worker.is_alive():
            try:
                worker.join(0.1)
            except KeyboardInterrupt:
                if stopping or not _stop_servers():
                    interrupted()
                stopping = True
        error = outcome.get("error")
        if error is None:
            return outcome.get("value")
        return self._fail(ctx, error)

    def _fail(self, ctx: click.Context, error: BaseException) -> Any:
        app = ctx.find_object(App)
        if app is not None and app.debug:
            raise error
        if isinstance(error, KGError):
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)
        if isinstance(error, UnicodeError):
            click.echo("kg: error: an argument or a name is not valid UTF-8", err=True)
            ctx.exit(2)
        if isinstance(error, BrokenPipeError):
            quiet_stdout()
            ctx.exit(141)
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            click.echo("kg: error: standard output: the disk is full", err=True)
            ctx.exit(2)
        raise error


def _without_frames(error: BaseException) -> BaseException:
    """``error`` without its traceback (nor those of the errors it came from), so that nothing the command held
    lives on in the main thread."""
    seen: BaseException | None = error
    for _ in range(100):  # a chain of causes is short; the bound keeps a cycle from holding kg
        if seen is None:
            break
        seen.__traceback__ = None
        seen = seen.__cause__ or seen.__context__
    return error


def one_line(text: str) -> str:
    """``text`` with its whitespace collapsed."""
    return " ".join(text.split())


def _hint(error: click.ClickException) -> str:
    if isinstance(error, click.UsageError) and error.ctx is not None:
        return f" (see {error.ctx.command_path} --help)"
    return ""


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python says nothing more when it flushes a pipe nobody reads."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def interrupted() -> NoReturn:
    """Ctrl-C: remove what kg was writing and end the process now (exit 130, as shells report SIGINT)."""

    abandon_outputs()
    sys.stderr.flush()
    os._exit(130)


pass_app = click.make_pass_decorator(App)

#: Servers a command runs, told to stop (``should_exit``) on SIGTERM or a first Ctrl-C instead of ending kg at once.
stop_hooks: list[Any] = []


def _stop_servers() -> bool:
    """Tell every running server to stop; False when there is none."""
    for server in stop_hooks:
        server.should_exit = True
    return bool(stop_hooks)


def _terminated(signum: int, frame: object) -> None:
    if not _stop_servers():
        raise KeyboardInterrupt


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="An RDF file of your own to add on top of the built-in graph (repeatable).",
)
@click.option(
    "--store", "store_spec", default=None, help="Where the graph lives (default: the built-in graph in memory)."
)
@click.option(
    "--update-endpoint",
    "update_endpoint",
    default=None,
    metavar="URL",
    help="Where SPARQL updates go when --store is a remote endpoint that takes them elsewhere.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse --data files (and kg load's) that break the shapes, instead of loading them with a warning.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(package_name="kg", prog_name="kg")
@click.pass_context
def main(
    ctx: click.Context,
    data: tuple[str, ...],
    store_spec: str | None,
    update_endpoint: str | None,
    strict: bool,
    debug: bool,
) -> None:
    """Ask, draw and check the knowledge graph of China's social e-commerce models."""
    ctx.obj = App(data=data, store_spec=store_spec, debug=debug, update_endpoint=update_endpoint, strict=strict)
