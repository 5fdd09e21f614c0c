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

import kg as kg_api
from kg.catalog import catalog
from kg.errors import InputError
from kg.sparqltext import LIMITS, MAX_CLAUSES, MAX_DEPTH, check_limits

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


# --- The engine's limits, construct by construct ---------------------------------------------------------------------

T = "?s <urn:p> ?o"


def _nested(opening: str, inner: str, closing: str, n: int) -> str:
    return opening * n + inner + closing * n


#: For each construct: a query of size n, and the size at kg's limit (the largest it lets through). Each depth is
#: counted by hand: ``{ SELECT * WHERE {`` is two brackets a level, the WHERE group one more.
QUERIES = {
    "braces": (lambda n: "SELECT * WHERE " + _nested("{ ", T, " }", n), MAX_DEPTH),
    "optional": (lambda n: "SELECT * WHERE { " + _nested(f"{T} OPTIONAL {{ ", T, " }", n) + " }", MAX_DEPTH - 1),
    "union": (lambda n: "SELECT * WHERE { " + _nested(f"{{ {T} }} UNION {{ ", T, " }", n) + " }", MAX_DEPTH - 1),
    "minus": (lambda n: "SELECT * WHERE { " + _nested(f"{T} MINUS {{ ", T, " }", n) + " }", MAX_DEPTH - 1),
    "subquery": (lambda n: "SELECT * WHERE { " + _nested("{ SELECT * WHERE { ", T, " } }", n) + " }", 99),
    "exists": (lambda n: "SELECT * WHERE { " + _nested(f"{T} FILTER EXISTS {{ ", T, " }", n) + " }", MAX_DEPTH - 1),
    "function-calls": (lambda n: f"SELECT * WHERE {{ BIND({_nested('STR(', '1', ')', n)} AS ?x) }}", MAX_DEPTH - 2),
    "parentheses": (lambda n: f"SELECT * WHERE {{ BIND({_nested('(', '1', ')', n)} AS ?x) }}", MAX_DEPTH - 2),
    "path-nesting": (lambda n: f"SELECT * WHERE {{ ?s {_nested('(', '<urn:p>', ')', n)} ?o }}", MAX_DEPTH - 1),
    "binds": (lambda n: "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(n)) + " }", MAX_CLAUSES),
    "filters": (lambda n: f"SELECT * WHERE {{ {T} " + " ".join(f"FILTER(?o != {i})" for i in range(n)) + " }", 750),
    "optionals": (
        lambda n: f"SELECT * WHERE {{ {T} " + " ".join(f"OPTIONAL {{ ?s <urn:p{i}> ?o{i} }}" for i in range(n)) + " }",
        LIMITS["triples"].most - 1,
    ),
    "union-branches": (lambda n: "SELECT * WHERE { " + " UNION ".join([f"{{ {T} }}"] * n) + " }", 751),
    "triple-patterns": (
        lambda n: "SELECT * WHERE { " + " ".join(f"?s <urn:p{i}> ?o{i} ." for i in range(n)) + " }",
        LIMITS["triples"].most,
    ),
    "and-chain": (lambda n: "ASK { FILTER(" + " && ".join(["true"] * n) + ") }", LIMITS["operators"].most + 1),
    "plus-chain": (lambda n: "SELECT * { BIND(" + " + ".join(["1"] * n) + " AS ?x) }", LIMITS["operators"].most + 1),
    "path-sequence": (
        lambda n: "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * n) + " ?o }",
        LIMITS["path-steps"].most + 1,
    ),
    "path-alternatives": (
        lambda n: "SELECT * WHERE { ?s " + "|".join(["<urn:p>"] * n) + " ?o }",
        LIMITS["path-alternatives"].most + 1,
    ),
}
#: What the line refusing each says.
REFUSED = {
    **dict.fromkeys(
        ["braces", "optional", "union", "minus", "subquery", "exists", "function-calls", "parentheses", "path-nesting"],
        f"nested more than {MAX_DEPTH} brackets deep",
    ),
    **dict.fromkeys(["binds", "filters", "union-branches"], f"more than {MAX_CLAUSES} clauses"),
    **dict.fromkeys(["triple-patterns", "optionals"], f"more than {LIMITS['triples'].most} triple patterns joined"),
    **dict.fromkeys(["and-chain", "plus-chain"], f"more than {LIMITS['operators'].most:,} operators"),
    "path-sequence": f"more than {LIMITS['path-steps'].most} steps of property paths",
    "path-alternatives": f"more than {LIMITS['path-alternatives'].most:,} alternatives of property paths",
}


@pytest.mark.parametrize("construct", sorted(QUERIES))
def test_a_query_at_the_limit_runs_and_one_past_it_is_refused_on_the_command_line(
    tmp_path: Path, construct: str
) -> None:
    text, most = QUERIES[construct]
    file = tmp_path / "q.rq"
    file.write_text(text(most), encoding="utf-8")
    done = kg("sparql", f"@{file}", "-f", "json")
    assert done.returncode == 0, (done.returncode, done.stderr[-300:])
    file.write_text(text(most + 1), encoding="utf-8")
    line = one_line(kg("sparql", f"@{file}", "-f", "json"))
    assert line.startswith(f"{file}:1:") and REFUSED[construct] in line, line
    assert "kg's limit" in line


def _post(server: Server, field: str, text: str, **headers: str) -> tuple[int, str]:
    body = urllib.parse.urlencode({field: text}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json", **headers}
    status, _, answer = call(server.url, data=body, headers=form)
    return status, answer.decode("utf-8")


@pytest.mark.parametrize("construct", sorted(QUERIES))
def test_a_query_at_the_limit_runs_and_one_past_it_is_refused_over_http(open_server: Server, construct: str) -> None:
    text, most = QUERIES[construct]
    status, answer = _post(open_server, "query", text(most))
    assert status == 200, (status, answer[:300])
    status, answer = _post(open_server, "query", text(most + 1))
    assert status == 400 and answer.count("\n") <= 1, (status, answer[:300])
    assert answer.startswith("query:1:") and REFUSED[construct] in answer, answer


UPDATE_DEPTH = LIMITS["update-depth"].most
UPDATES = {
    "update-braces": (
        lambda n: "INSERT { GRAPH <urn:g> { ?s <urn:q> 1 } } WHERE " + _nested("{ ", T, " }", n),
        UPDATE_DEPTH,
    ),
    "update-optional": (
        lambda n: "DELETE { GRAPH <urn:g> { ?s ?p ?o } } WHERE { " + _nested(f"{T} OPTIONAL {{ ", T, " }", n) + " }",
        UPDATE_DEPTH - 1,
    ),
    "update-patterns": (
        lambda n: "DELETE WHERE { GRAPH <urn:g> { " + " ".join(f"?s <urn:p{i}> ?o{i} ." for i in range(n)) + " } }",
        LIMITS["triples"].most,
    ),
}


@pytest.mark.parametrize("construct", sorted(UPDATES))
def test_an_update_at_the_limit_runs_and_one_past_it_is_refused(open_server: Server, construct: str) -> None:
    text, most = UPDATES[construct]
    writer = {"Authorization": "Bearer t0ken"}
    status, answer = _post(open_server, "update", text(most), **writer)
    assert status == 204, (status, answer[:300])
    status, answer = _post(open_server, "update", text(most + 1), **writer)
    assert status == 400 and answer.startswith("update:1:"), (status, answer[:300])
    refused = (
        "triple patterns joined" if "patterns" in construct else f"more than {UPDATE_DEPTH} brackets deep in an update"
    )
    assert refused in answer, answer


def test_data_of_any_size_is_no_pattern() -> None:
    """INSERT DATA, a CONSTRUCT template and VALUES rows are not joined: no limit on them but the body's size."""
    data = " ".join(f"<urn:s> <urn:p> {i} ." for i in range(5_000))
    check_limits(f"INSERT DATA {{ GRAPH <urn:g> {{ {data} }} }}", source="update")
    check_limits(f"CONSTRUCT {{ {data} }} WHERE {{ }}")
    check_limits("SELECT * { VALUES ?v { " + " ".join(str(i) for i in range(50_000)) + " } }")


def test_every_named_query_is_within_the_limits() -> None:
    for name, query in catalog().items():
        check_limits(query.text, source=name)


def test_the_api_refuses_past_a_limit_with_a_kg_error() -> None:
    graph = kg_api.open()
    text, most = QUERIES["exists"]
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} brackets deep"):
        graph.query(text(most + 1))
    assert graph.query(text(most)).kind == "select"
    with pytest.raises(InputError, match="triple patterns"):
        graph.store.update(UPDATES["update-patterns"][0](LIMITS["triples"].most + 1))


def test_the_engine_runs_on_its_own_stack_whatever_ulimit_says(tmp_path: Path) -> None:
    """A thread of 1 MiB crashed on 150 nested FILTER EXISTS (exit 139, no message); kg gives the engine its own."""
    file = tmp_path / "deep.rq"
    file.write_text(QUERIES["exists"][0](MAX_DEPTH - 1), encoding="utf-8")
    command = f"ulimit -S -s 1024 && exec {kg_program()} sparql @{file} -f csv"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr[-300:]


def test_the_mcp_sparql_tool_refuses_past_a_limit_with_an_error(open_server: Server) -> None:
    import anyio
    from mcp import Client

    from kg.mcptools import SPARQL

    text, most = QUERIES["exists"]

    async def main() -> None:
        async with Client(open_server.url.removesuffix("/sparql") + "/mcp") as client:
            refused = await client.call_tool(SPARQL, {"query": text(most + 1)})
            assert refused.is_error and f"nested more than {MAX_DEPTH} brackets deep" in refused.content[0].text
            answered = await client.call_tool(SPARQL, {"query": text(most)})
            assert not answered.is_error, answered.content

    anyio.run(main)
