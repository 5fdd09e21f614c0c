"""Real SPARQL servers for tests: Oxigraph's server and Virtuoso, each on a free loopback port in a temporary folder.

Each fixture starts its server once per test session, waits until it answers a query, and stops it by its process id
when the session ends (SIGTERM, then SIGKILL if it lingers). A missing server program skips its tests on a developer's
machine and fails them in CI (see ``need`` in conftest).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import need

#: Virtuoso's database administrator, as a fresh database creates it.
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"
START_TIMEOUT = 90.0


@dataclass
class Server:
    """A running SPARQL server: its query endpoint, the environment holding its credentials, and its process."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server by its pid: SIGTERM, then SIGKILL after 30 s."""
        if self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def call(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request: the status, headers and body of the answer, an error status included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_answering(server: Server, timeout: float = START_TIMEOUT) -> None:
    """Block until ``server`` answers an ASK query; fail with its log if it exits or takes too long."""
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with {server.process.returncode}:\n{server.log.read_text()[-3000:]}")
        request = urllib.request.Request(server.url, data=body, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    server.stop()
    pytest.fail(f"{server.name} did not answer within {timeout:g} s:\n{server.log.read_text()[-3000:]}")


def _start(name: str, command: list[str], folder: Path, url: str, env: dict[str, str] | None = None) -> Server:
    log = folder / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=folder, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server(name, url, process, log, env or {})
    wait_until_answering(server)
    return server


def oxigraph_program() -> str | None:
    """The ``oxigraph`` server program beside this Python, or on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, *options: str) -> Server:
    """Oxigraph's server on a free loopback port, with its database in ``folder`` and ``options`` for ``serve``
    (``--union-default-graph`` for clients that name no graphs)."""
    program = oxigraph_program()
    assert program is not None
    port = free_port()
    command = [program, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}", *options]
    return _start("oxigraph", command, folder, f"http://127.0.0.1:{port}/query")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
; kg names every graph of its dataset in each request (the built-in graph is one graph per public source, some 50),
; and Virtuoso's cost estimate grows with them: at 400 it now and then refuses a property-path query it answers in
; milliseconds. 0 turns the estimate off, as docs/remote.md advises; the execution limit above still holds.
MaxQueryCostEstimationTime = 0
"""


def start_virtuoso(folder: Path) -> Server:
    """Virtuoso in the foreground with a fresh database in ``folder``, SQL and HTTP on free loopback ports.

    A fresh database has the administrator ``dba`` with password ``dba``; updates go through the endpoints that ask
    for digest authentication (``/sparql-auth``, ``/sparql-graph-crud-auth``).
    """
    program = shutil.which("virtuoso-t")
    assert program is not None
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=http_port), encoding="utf-8")
    command = [program, "+foreground", "+configfile", str(ini)]
    env = {"KG_SPARQL_USER": VIRTUOSO_USER, "KG_SPARQL_PASSWORD": VIRTUOSO_PASSWORD}
    return _start("virtuoso", command, folder, f"http://127.0.0.1:{http_port}/sparql", env)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Oxigraph's server, empty, for the whole session."""
    need(oxigraph_program() is not None, "the oxigraph server program (pip install oxigraph)")
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso, with a fresh database, for the whole session."""
    need(shutil.which("virtuoso-t") is not None, "virtuoso-t (Debian package virtuoso-opensource-7-bin)")
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


#: grlc's own virtual environment (scripts/setup.sh makes it: grlc pins versions of its own).
GRLC_VENV = Path(__file__).resolve().parent.parent / ".venv-grlc"

GRLC_CONFIG = """\
[defaults]
sparql_endpoint = {endpoint}
user = none
password = none
server_name = 127.0.0.1:{port}
debug = False

[local]
local_sparql_dir = {queries}
"""


def start_grlc(folder: Path, queries: Path, endpoint: str) -> Server:
    """grlc serving the folder ``queries`` in its local mode (``/api-local/``) over ``endpoint``, on a loopback port.

    grlc reads ``config.ini`` from its working folder. Its own ``grlc-server`` script runs gunicorn with 20 workers on
    every interface; this runs the same application (``grlc.server:app``) in gunicorn with one worker on loopback.
    """
    port = free_port()
    (folder / "config.ini").write_text(
        GRLC_CONFIG.format(endpoint=endpoint, port=port, queries=queries.resolve()), encoding="utf-8"
    )
    command = [str(GRLC_VENV / "bin" / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}", "--timeout", "90"]
    log = folder / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [*command, "grlc.server:app"], cwd=folder, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server("grlc", f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"grlc exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/api-local/swagger", timeout=30) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    server.stop()
    pytest.fail(f"grlc did not answer within {START_TIMEOUT:g} s:\n{log.read_text()[-3000:]}")


def kg_program() -> str:
    """The ``kg`` command beside this Python."""
    return str(Path(sys.executable).parent / "kg")


def start_kg_serve(folder: Path, *args: str, token: str | None = None, global_args: tuple[str, ...] = ()) -> Server:
    """``kg serve`` on a free loopback port, with ``args`` after ``serve`` and writes allowed with ``token``."""
    port = free_port()
    command = [kg_program(), *global_args, "serve", "--port", str(port), *args]
    env = {k: v for k, v in os.environ.items() if k != "KG_SERVE_TOKEN"}
    if token is not None:
        env["KG_SERVE_TOKEN"] = token
    log = folder / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(command, cwd=folder, stdout=handle, stderr=subprocess.STDOUT, env=env)
    server = Server("kg serve", f"http://127.0.0.1:{port}/sparql", process, log)
    wait_until_answering(server)
    return server
