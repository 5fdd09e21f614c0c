"""kg mcp with the official SDK's own client: over stdio (``kg mcp`` spawned as a subprocess) and over streamable HTTP
(``/mcp`` of a real ``kg serve`` on loopback). Every named query's tool, search, describe, path, a refused SERVICE, a
runaway query stopped at the timeout, a bad argument given one clear error."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from kg.catalog import catalog
from kg.mcptools import DESCRIBE, PATH, SEARCH, SPARQL, UPDATE, answer, resource_specs, tool_specs
from kg.stores import Store
from kg.vocab import ID, curie

from .servers import Server, call, kg_program, start_kg_serve

EXPECTED = Path(__file__).parent / "expected"
#: The timeout both servers run with: long enough for every named query on a busy machine, short for a runaway.
TIMEOUT = 6.0
#: A query no engine finishes soon: the graph joined with itself three times, counted.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

Scenario = Callable[[Client], Awaitable[None]]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kg serve`` on loopback with one worker, so that a runaway query holds the only one until it is stopped."""
    with start_kg_serve(tmp_path_factory.mktemp("mcp"), "--workers", "1", "--timeout", str(TIMEOUT)) as server:
        yield server


@pytest.fixture(params=["stdio", "http"])
def connect(request: pytest.FixtureRequest) -> Callable[[Scenario], None]:
    """Runs a scenario with a client connected over stdio or over HTTP."""
    target: StdioServerParameters | str
    if request.param == "stdio":
        # The SDK hands the server only a few variables of its own; this checkout's (PYTHONPATH …) go along.
        target = StdioServerParameters(
            command=kg_program(), args=["mcp", "--timeout", str(TIMEOUT)], env=dict(os.environ)
        )
    else:
        served: Server = request.getfixturevalue("served")
        target = served.url.removesuffix("/sparql") + "/mcp"

    def run(scenario: Scenario) -> None:
        async def main() -> None:
            async with Client(target) as client:
                await scenario(client)

        anyio.run(main)

    return run


def _structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content[0].text
    data: dict[str, Any] = result.structured_content
    assert json.loads(result.content[0].text) == data  # the same answer as text, for clients that read only text
    return data


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return curie(text) if "://" in text else text


def test_lists_every_named_query_as_a_typed_bilingual_tool(connect: Callable[[Scenario], None]) -> None:
    async def scenario(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == set(catalog()) | {SEARCH, DESCRIBE, PATH, SPARQL}
        targeting = tools["models-targeting"]
        assert targeting.input_schema["required"] == ["segment"]
        assert targeting.input_schema["properties"]["limit"]["type"] == "integer"
        assert "Models that target a user segment" in (targeting.description or "")
        assert "面向某一用户群的模式" in (targeting.description or "")
        assert all(t.annotations is not None and t.annotations.read_only_hint for t in tools.values())
        resources = {str(r.uri) for r in (await client.list_resources()).resources}
        assert {"kg://ontology", "kg://shapes", "kg://void", "kg://queries/models"} <= resources
        void = (await client.read_resource("kg://void")).contents[0]
        assert "<http://rdfs.org/ns/void#Dataset>" in void.text and "https://w3id.org/sce/graph/seed" in void.text  # type: ignore[union-attr]
        example = (await client.read_resource("kg://queries/models")).contents[0]
        assert example.text == catalog()["models"].text  # type: ignore[union-attr]

    connect(scenario)


def test_every_named_query_tool_gives_the_expected_rows(connect: Callable[[Scenario], None]) -> None:
    """Each named query's tool, called with the values of tests/expected, gives the rows checked by hand there."""

    async def scenario(client: Client) -> None:
        for name in catalog():
            expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
            data = _structured(await client.call_tool(name, expected.get("params", {})))
            columns = expected["columns"]
            got = {tuple(_cell(row.get(c, "")) for c in columns) for row in data["rows"]}
            wanted = {tuple(_cell(v) for v in row) for row in expected["rows"]}
            if expected.get("subset") or data["truncated"]:
                assert wanted <= got or data["truncated"], name
                assert wanted & got, name
            else:
                assert got == wanted, name
            nodes = [v for row in data["rows"] for v in row.values() if str(v).startswith("https://w3id.org/sce/id/")]
            assert bool(data["sources"]) == bool(nodes), name  # the graphs stating something about the nodes

    connect(scenario)


def test_search_describe_and_path_carry_their_sources(connect: Callable[[Scenario], None]) -> None:
    async def scenario(client: Client) -> None:
        found = _structured(await client.call_tool(SEARCH, {"text": "快手", "lang": "zh-Hans", "limit": 3}))
        assert found["matches"][0] == {"iri": ID.kuaishou, "label": "快手", "name": "快手"}
        node = _structured(await client.call_tool(DESCRIBE, {"node": "Pinduoduo"}))
        assert node["node"] == ID.pinduoduo and node["label"] == "Pinduoduo"
        founded = [s for s in node["statements"] if s["property"] == "https://schema.org/foundingDate"]
        assert founded and all(s["graph"] and s.get("url", "").startswith("https://") for s in founded)
        assert {s["graph"] for s in node["statements"]} == {s["graph"] for s in node["sources"]}
        way = _structured(await client.call_tool(PATH, {"from": "Pinduoduo", "to": "group buying"}))
        assert way["paths"][0]["nodes"] == [ID.pinduoduo, ID.term("group-buying")]
        link = way["paths"][0]["links"][0]
        assert link["graphs"] == ["https://w3id.org/sce/graph/seed"]
        assert "Pinduoduo" in way["paths"][0]["chain"]

    connect(scenario)


def test_sparql_reads_and_refuses_service_and_updates(connect: Callable[[Scenario], None]) -> None:
    async def scenario(client: Client) -> None:
        asked = _structured(await client.call_tool(SPARQL, {"query": "ASK { id:kuaishou a sce:Enterprise }"}))
        assert asked["boolean"] is True
        rows = _structured(
            await client.call_tool(SPARQL, {"query": "SELECT ?s WHERE { ?s a sce:Enterprise }", "limit": 2})
        )
        assert len(rows["rows"]) == 2 and rows["truncated"] is True
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        refused = await client.call_tool(SPARQL, {"query": service})
        assert refused.is_error and "SERVICE would reach out to the network" in refused.content[0].text
        update = await client.call_tool(SPARQL, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        assert update.is_error and "not a SPARQL query" in update.content[0].text
        still = _structured(await client.call_tool(SPARQL, {"query": "ASK { <urn:a> <urn:b> <urn:c> }"}))
        assert still["boolean"] is False

    connect(scenario)


def test_a_runaway_query_is_stopped_at_the_timeout(connect: Callable[[Scenario], None]) -> None:
    async def scenario(client: Client) -> None:
        started = time.monotonic()
        stopped = await client.call_tool(SPARQL, {"query": RUNAWAY})
        took = time.monotonic() - started
        assert stopped.is_error and f"ran past the timeout of {TIMEOUT:g} s" in stopped.content[0].text
        assert TIMEOUT - 0.5 < took < TIMEOUT + 10
        again = _structured(await client.call_tool(SEARCH, {"text": "kuaishou", "limit": 1}))  # a fresh worker
        assert again["matches"][0]["iri"] == ID.kuaishou

    connect(scenario)


def test_a_bad_argument_gets_one_clear_line(connect: Callable[[Scenario], None]) -> None:
    async def scenario(client: Client) -> None:
        cases = {
            ("models", json.dumps({"limit": "ten"})): "models: the argument 'limit' must be an integer, not 'ten'",
            ("models-targeting", json.dumps({})): "models-targeting: the argument 'segment' is required",
            ("models", json.dumps({"colour": "red"})): "models: no argument 'colour'",
            (
                DESCRIBE,
                json.dumps({"node": "kuaishuo"}),
            ): "nothing in the graph is named 'kuaishuo'; closest: 'kuaishou'",
            ("no-such-tool", json.dumps({})): "no tool 'no-such-tool'",
        }
        for (tool, arguments), line in cases.items():
            result = await client.call_tool(tool, json.loads(arguments))
            text = result.content[0].text
            assert result.is_error and line in text and "\n" not in text and "Traceback" not in text, text

    connect(scenario)


def test_writes_need_the_servers_token_as_a_bearer_token(tmp_path: Path) -> None:
    """Over HTTP, sparql_update is listed and answered only for a request carrying kg serve's write token."""
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    token = "mcp-test-token"
    update = "INSERT DATA { GRAPH <urn:mcp:test> { <urn:mcp:a> <urn:mcp:b> <urn:mcp:c> } }"
    ask = "ASK { <urn:mcp:a> <urn:mcp:b> <urn:mcp:c> }"
    with start_kg_serve(tmp_path, "--workers", "1", token=token) as server:
        url = server.url.removesuffix("/sparql") + "/mcp"
        status, headers, _ = call(url, headers={"Accept": "text/event-stream"})
        assert status == 405 and headers["allow"] == "POST"  # the server sends nothing unasked: no stream held open

        async def main() -> None:
            async with Client(url) as reader:
                assert UPDATE not in {t.name for t in (await reader.list_tools()).tools}
                refused = await reader.call_tool(UPDATE, {"update": update})
                assert refused.is_error
                assert (
                    refused.content[0].text
                    == f"{UPDATE}: this write needs the header Authorization: Bearer <KG_SERVE_TOKEN>"
                )
                assert _structured(await reader.call_tool(SPARQL, {"query": ask}))["boolean"] is False
            headers = {"Authorization": f"Bearer {token}"}
            http = httpx2.AsyncClient(headers=headers, timeout=30)
            async with http, Client(streamable_http_client(url, http_client=http)) as writer:
                tools = {t.name: t for t in (await writer.list_tools()).tools}
                assert tools[UPDATE].annotations is not None and tools[UPDATE].annotations.destructive_hint
                assert _structured(await writer.call_tool(UPDATE, {"update": update}))["updated"] is True
                own = await writer.call_tool(UPDATE, {"update": "DROP GRAPH <https://w3id.org/sce/graph/seed>"})
                assert own.is_error and "would write kg's own graph" in own.content[0].text
            async with Client(url) as reader:
                assert _structured(await reader.call_tool(SPARQL, {"query": ask}))["boolean"] is True
                void = (await reader.read_resource("kg://void")).contents[0]
                assert f"<http://rdfs.org/ns/void#sparqlEndpoint> <{server.url}>" in void.text  # type: ignore[union-attr]

        anyio.run(main)


# --- In one process --------------------------------------------------------------------------------------------------


def test_tools_and_resources_are_generated_from_the_catalogue() -> None:
    names = [t["name"] for t in tool_specs()]
    assert names[4:] == list(catalog())
    assert all(t["description"] and t["input_schema"]["additionalProperties"] is False for t in tool_specs())
    assert [r["uri"] for r in resource_specs()][3:] == [f"kg://queries/{n}" for n in catalog()]


def test_an_answer_is_cut_to_its_limit_and_says_so(store: Store) -> None:
    everything = answer(store, SPARQL, {"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(everything["rows"]) == 200 and everything["truncated"] is True
    assert len(json.dumps(everything).encode()) < 400_000
    triples = answer(store, SPARQL, {"query": "CONSTRUCT WHERE { id:kuaishou ?p ?o }", "limit": 3})
    assert len(triples["triples"]) == 3 and triples["truncated"] is True
    assert all(t[0] == ID.kuaishou for t in triples["triples"])


# --- docs/mcp.md ---------------------------------------------------------------------------------------------------

DOC = Path(__file__).parent.parent / "docs" / "mcp.md"


def _json_blocks() -> list[str]:
    return re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_docs_configuration_starts_kg_mcp() -> None:
    configs = [json.loads(b) for b in _json_blocks() if not b.startswith("//")]
    assert configs and configs[0]["mcpServers"]["kg"]["args"] == ["mcp"]
    assert configs[0]["mcpServers"]["kg"]["command"].endswith("/.venv/bin/kg")


def test_the_docs_answers_are_the_answers_given(store: Store) -> None:
    calls = [b for b in _json_blocks() if b.startswith("//")]
    assert len(calls) >= 5
    for block in calls:
        call, _, shown = block.partition("\n")
        tool, _, arguments = call[3:].partition(" ")
        assert answer(store, tool, json.loads(arguments)) == json.loads(shown), call


def test_the_docs_name_every_tool_of_kgs_own() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Tools", 1)[1].split("\n\n", 2)[1]
    named = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.MULTILINE))
    assert named == {SEARCH, DESCRIBE, PATH, SPARQL, UPDATE}
