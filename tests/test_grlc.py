"""grlc serves queries/ unchanged: every named query listed with its parameters, each answering with kg's own rows.

grlc (installed by scripts/setup.sh in ``.venv-grlc``) runs in its local mode over Oxigraph's server, which holds the
built-in graph (pushed by kg) and answers over the union of its graphs, as grlc names no graph. The rows grlc returns
are compared with those ``kg query`` gives on the embedded store.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.catalog import catalog, get_query, resolve, run_query
from kg.results import Result
from kg.stores import Store
from kg.stores.remote import RemoteStore
from kg.vocab import queries_dir

from .conftest import need
from .servers import GRLC_VENV, Server, oxigraph_program, start_grlc, start_oxigraph
from .test_remote import row_set

pytestmark = pytest.mark.server

#: The expected answers of the named queries, with the parameter values that give them.
EXPECTED = Path(__file__).parent / "expected"


def _params(name: str) -> dict[str, str]:
    params: dict[str, str] = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8")).get("params", {})
    return params


@pytest.fixture(scope="module")
def grlc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """grlc over an Oxigraph server that holds the built-in graph."""
    need((GRLC_VENV / "bin" / "gunicorn").exists(), "grlc in .venv-grlc (bash scripts/setup.sh)")
    need(oxigraph_program() is not None, "the oxigraph server program (pip install oxigraph)")
    oxigraph = start_oxigraph(tmp_path_factory.mktemp("oxigraph-union"), "--union-default-graph")
    try:
        RemoteStore(oxigraph.url, timeout=60).push()
        server = start_grlc(tmp_path_factory.mktemp("grlc"), queries_dir(), oxigraph.url)
        try:
            yield server
        finally:
            server.stop()
    finally:
        oxigraph.stop()


def _get(url: str, accept: str = "application/json") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=90) as answer:
        body: bytes = answer.read()
        return body


@pytest.fixture(scope="module")
def spec(grlc: Server) -> dict[str, Any]:
    """grlc's Swagger description of the API it made from queries/."""
    found: dict[str, Any] = json.loads(_get(f"{grlc.url}/api-local/swagger"))
    return found


def test_grlc_lists_every_named_query(spec: dict[str, Any]) -> None:
    assert sorted(path.lstrip("/") for path in spec["paths"]) == sorted(catalog())


@pytest.mark.parametrize("name", sorted(catalog()))
def test_grlc_lists_each_query_with_its_header_and_parameters(spec: dict[str, Any], name: str) -> None:
    query = get_query(name)
    operation = spec["paths"][f"/{name}"]["get"]
    description = operation["description"].split("\n\n```", 1)[0]  # grlc adds the query's text below a blank line
    assert (operation["summary"], description) == (query.summary, query.description)
    assert operation["tags"] == list(query.tags)
    params = {p["name"]: p for p in operation["parameters"] if p["name"] != "endpoint"}
    assert sorted(params) == sorted(p.name for p in query.parameters)
    for param in query.parameters:
        assert params[param.name]["required"] == param.required
        assert params[param.name].get("format") == ("iri" if param.kind == "iri" else None)


def _value_for_grlc(store: Store, kind: str, word: str) -> str:
    """What a grlc user types: the node's IRI for an IRI parameter (grlc resolves no names), else the text."""
    return resolve(store, word) if kind == "iri" else word


@pytest.mark.parametrize("name", sorted(catalog()))
def test_grlc_answers_each_query_with_the_rows_of_kg_query(grlc: Server, store: Store, name: str) -> None:
    query = get_query(name)
    params = _params(name)
    given = {p.name: _value_for_grlc(store, p.kind, params[p.name]) for p in query.parameters}
    body = _get(f"{grlc.url}/api-local/{name}?{urllib.parse.urlencode(given)}", "application/sparql-results+json")
    answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(answer, ox.QuerySolutions), body[:500]
    served = Result.select([v.value for v in answer.variables], [tuple(solution) for solution in answer])
    expected = run_query(store, name, params)
    assert served.vars == expected.vars
    # compared as the remote tests compare engines: GROUP_CONCAT's order is the engine's choice
    assert row_set(served, query.text) == row_set(expected, query.text)
    assert len(expected) > 0 or name == "missing-labels"  # the built-in graph lacks no label
