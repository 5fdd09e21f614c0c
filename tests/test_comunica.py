"""Comunica, a federated SPARQL engine, as a client of ``kg serve``: through ``npx`` on loopback it joins what kg
serves with what a second endpoint (Oxigraph's server) holds about the same enterprises.

scripts/setup.sh installs Comunica into the project's own ``.node-comunica/`` folder (an npm install, not global).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.vocab import ID

from .conftest import need
from .servers import Server, call, oxigraph_program, start_kg_serve, start_oxigraph

COMUNICA = Path(__file__).resolve().parent.parent / ".node-comunica"
pytestmark = pytest.mark.server

#: What the second endpoint knows: a rating kg does not hold, for two enterprises kg names.
RATINGS = f"""<{ID.kuaishou}> <urn:example:rating> "4" .
<{ID.pinduoduo}> <urn:example:rating> "5" .
<urn:example:elsewhere> <urn:example:rating> "1" .
"""
JOIN = """SELECT ?name ?rating WHERE {
  ?e a <https://w3id.org/sce/ontology#Enterprise> ;
     <http://www.w3.org/2000/01/rdf-schema#label> ?name ;
     <urn:example:rating> ?rating .
  FILTER (LANG(?name) = "en")
} ORDER BY ?name"""


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """kg serve, and Oxigraph's server holding the ratings in its default graph."""
    need(oxigraph_program() is not None, "the oxigraph server program (pip install oxigraph)")
    kg = start_kg_serve(tmp_path_factory.mktemp("comunica-kg"), "--workers", "1")
    oxigraph = start_oxigraph(tmp_path_factory.mktemp("comunica-oxigraph"))
    try:
        store = oxigraph.url.rsplit("/", 1)[0] + "/store?default"
        status = call(store, data=RATINGS.encode(), method="PUT", headers={"Content-Type": "application/n-triples"})[0]
        assert status in (200, 201, 204)
        yield kg, oxigraph
    finally:
        oxigraph.stop()
        kg.stop()


def comunica(query: str, *sources: str) -> list[dict[str, str]]:
    """The rows Comunica finds for ``query`` over the SPARQL endpoints ``sources``, each value as text.

    Comunica 4.5 on Node 20 writes language-tagged literals without their tag (``xml:lang``), whatever the endpoint
    sent; a stub endpoint answering ``"xml:lang": "en"`` shows the same. So the values are compared as text.
    """
    need(shutil.which("npx") is not None, "npx (Debian package npm)")
    need((COMUNICA / "node_modules" / ".bin" / "comunica-sparql").exists(), "Comunica (scripts/setup.sh)")
    command = [
        "npx",
        "--no-install",
        "comunica-sparql",
        *(f"sparql@{s}" for s in sources),
        "-t",
        "application/sparql-results+json",
    ]
    done = subprocess.run([*command, query], cwd=COMUNICA, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    bindings = json.loads(done.stdout)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def test_comunica_joins_kg_serve_with_a_second_endpoint(endpoints: tuple[Server, Server]) -> None:
    kg, oxigraph = endpoints
    rows = comunica(JOIN, kg.url, oxigraph.url)
    found = sorted((row["name"], row["rating"]) for row in rows)
    assert found == [("Kuaishou", "4"), ("Pinduoduo", "5")], rows


def test_comunica_reads_kg_serve_alone(endpoints: tuple[Server, Server]) -> None:
    kg, _ = endpoints
    query = "SELECT ?m WHERE { ?m a <https://w3id.org/sce/ontology#SocialCommerceModel> }"
    assert len(comunica(query, kg.url)) == 4
