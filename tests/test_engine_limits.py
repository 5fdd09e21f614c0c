"""The engine's limits (issue 21): kg refuses, before the engine sees it, a query or update that would crash or stall
it, construct by construct, with one line naming the construct and the limit; a SERVICE that fails is a 502 naming it;
a write token an HTTP header cannot carry is refused at start.

Figures from ``bench/engine_limits.py`` (``bench/results/engine-limits.md``).
"""

from __future__ import annotations

import os
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, call, free_port, kg_program, start_kg_serve


def kg(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``kg`` as a user runs it: a process of its own (a crash of the engine would end it)."""
    return subprocess.run([kg_program(), *args], capture_output=True, text=True, timeout=timeout, env=env)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one line of a refusal: exit 2, nothing on stdout, one line on stderr."""
    assert (done.returncode, done.stdout) == (2, ""), (done.returncode, done.stderr[-500:])
    assert done.stderr.startswith("kg: error: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.removeprefix("kg: error: ").strip()


# --- The write token ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "place"), [("pässwort", 2), ("口令", 1), ("two words", 4), ("tab\there", 4)])
def test_a_token_no_header_can_carry_is_refused_at_start(tmp_path: Path, token: str, place: int) -> None:
    env = {**os.environ, "KG_SERVE_TOKEN": token}
    done = kg("serve", "--port", str(free_port()), env=env, timeout=60)
    line = one_line(done)
    assert line.startswith(f"KG_SERVE_TOKEN: character {place} (") and "visible ASCII" in line


def test_a_token_of_visible_ascii_lets_writes_in(tmp_path: Path) -> None:
    token = "s3cret-Token_1.~+/="
    with start_kg_serve(tmp_path, "--workers", "1", token=token) as server:
        update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }"}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = call(server.url, data=update, headers={**form, "Authorization": "Bearer wrong"})
        assert status == 401, body
        status, _, body = call(server.url, data=update, headers={**form, "Authorization": f"Bearer {token}"})
        assert status == 204, body
    assert "writes with a bearer token" in server.log.read_text("utf-8")


# --- A SERVICE that fails -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("limits")
    with start_kg_serve(folder, "--workers", "1", "--allow-service", token="t0ken") as server:
        yield server


def _failing_services(server: Server) -> list[str]:
    closed = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    missing = server.url.removesuffix("/sparql") + "/no-such-endpoint"  # answers 404
    return [closed, missing, "ftp://127.0.0.1/sparql"]


@pytest.mark.parametrize(
    ("form", "accept"),
    [
        ("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "application/sparql-results+json"),
        ("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "text/csv"),
        ("ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "application/sparql-results+xml"),
        ("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "text/turtle"),
    ],
)
def test_a_failing_service_is_a_502_naming_it(open_server: Server, form: str, accept: str) -> None:
    for url in _failing_services(open_server):
        body = urllib.parse.urlencode({"query": form.format(url=url)}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        status, _, answer = call(open_server.url, data=body, headers=headers)
        text = answer.decode("utf-8")
        assert status == 502, (url, status, text)
        assert text.startswith(f"SERVICE <{url}> failed: ") and text.count("\n") <= 1, text


def test_an_update_through_a_failing_service_is_a_502_naming_it(open_server: Server) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    update = f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer t0ken"}
    status, _, answer = call(open_server.url, data=update.encode(), headers=headers)
    assert status == 502 and answer.decode("utf-8").startswith(f"SERVICE <{url}> failed: "), answer


def test_a_silent_service_that_fails_is_no_error(open_server: Server) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    body = urllib.parse.urlencode({"query": f"ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    status, _, answer = call(open_server.url, data=body, headers=headers)
    assert (status, b'"boolean":true' in answer) == (200, True), answer
