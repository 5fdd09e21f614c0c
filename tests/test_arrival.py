"""Data is checked against the shapes where it arrives: kg load, --data, the Python API and the graph store's PUT and
POST report what a file breaks (and load it), or with --strict refuse it and change nothing."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import InputError
from kg.validate import ShapeWarning

from .conftest import DATA
from .servers import call, start_kg_serve

BROKEN = DATA / "broken"
TWO_PARENTS = BROKEN / "enterprise-two-parents.ttl"
SHARED_NAME = BROKEN / "shared-name.ttl"
FIRST = "(first: Douyin (id:douyin): "
TOKEN = "arrival-test-token"
# A file that breaks no shape: a node of its own, complete, with a source.
GOOD = """@prefix sce: <https://w3id.org/sce/ontology#> .
@prefix id: <https://w3id.org/sce/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
id:arrival-city a <https://schema.org/Place> ; rdfs:label "arrival city"@en , "到达城市"@zh-Hans ;
    dct:source id:seed-document .
"""


def graphs(runner: CliRunner, folder: Path) -> str:
    result = runner.invoke(main, ["--store", str(folder), "graphs"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_kg_load_loads_a_file_that_breaks_the_shapes_and_says_so_in_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--store", str(tmp_path / "s"), "load", str(TWO_PARENTS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{TWO_PARENTS}: 1 triples into <")
    warning = f"kg: warning: {TWO_PARENTS}: 2 violations {FIRST}"
    assert result.stderr.startswith(warning), result.stderr
    assert result.stderr.rstrip().endswith(f"; run kg validate {TWO_PARENTS}")
    assert len(result.stderr.splitlines()) == 1
    assert TWO_PARENTS.resolve().as_uri() in graphs(runner, tmp_path / "s")


def test_kg_load_strict_refuses_the_file_with_exit_2_and_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    before = graphs(runner, folder)
    result = runner.invoke(main, ["--store", str(folder), "load", "--strict", str(TWO_PARENTS)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"kg: error: {TWO_PARENTS}: 2 violations {FIRST}"), result.stderr
    assert "nothing loaded (--strict)" in result.stderr and len(result.stderr.splitlines()) == 1
    assert graphs(runner, folder) == before


def test_a_file_that_conforms_loads_without_a_word_even_when_strict(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(main, ["--store", str(tmp_path / "s"), "load", "--strict", str(good)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_only_what_a_file_touches_counts_against_it(runner: CliRunner, tmp_path: Path) -> None:
    """The store's earlier faults (a node the new file does not name) are not the new file's."""
    folder = str(tmp_path / "s")
    assert runner.invoke(main, ["--store", folder, "load", str(TWO_PARENTS)]).exit_code == 0
    good = tmp_path / "good.ttl"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(main, ["--store", folder, "load", "--strict", str(good)])
    assert result.exit_code == 0 and result.stderr == ""


def test_data_files_are_checked_too_and_strict_refuses_them(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--data", str(SHARED_NAME), "query", "models", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"kg: warning: {SHARED_NAME}: 1 violation (first: Kuaishou (id:other-kuaishou): ")
    assert "group buying" in result.stdout
    strict = runner.invoke(main, ["--strict", "--data", str(SHARED_NAME), "query", "models"])
    assert strict.exit_code == 2 and strict.stdout == ""
    assert strict.stderr.startswith(f"kg: error: {SHARED_NAME}: 1 violation") and "Traceback" not in strict.stderr


def test_the_python_api_warns_or_with_strict_raises() -> None:
    with pytest.warns(ShapeWarning, match=r"shared-name.ttl: 1 violation \(first: Kuaishou \(id:other-kuaishou\)"):
        graph = kg.open(data=[SHARED_NAME])
    assert graph.resolve("id:other-kuaishou").endswith("other-kuaishou")
    with pytest.raises(InputError, match=r"1 violation .*nothing loaded \(--strict\)"):
        kg.open(data=[SHARED_NAME], strict=True)


def _put(store_url: str, graph: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    url = f"{store_url}?graph={urllib.parse.quote(graph, safe='')}"
    headers = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    return call(url, data=body, method="PUT", headers=headers)


@pytest.mark.server
@pytest.mark.parametrize("strict", [False, True])
def test_a_put_that_breaks_the_shapes_is_reported_or_with_strict_refused(tmp_path: Path, strict: bool) -> None:
    server = start_kg_serve(tmp_path, "--workers", "1", *(["--strict"] if strict else []), token=TOKEN)
    try:
        store_url = server.url.rsplit("/", 1)[0] + "/store"
        status, _, body = _put(store_url, "urn:test:two-parents", TWO_PARENTS.read_bytes())
        graph_there = call(f"{store_url}?graph=urn%3Atest%3Atwo-parents", method="HEAD")[0]
        if strict:
            assert status == 422, body
            assert body.decode().startswith("2 violations (first: Douyin (id:douyin): ")
            assert "nothing written (kg serve --strict)" in body.decode() and body.count(b"\n") <= 1
            assert graph_there == 404
        else:
            assert status == 201, body
            assert body.decode().startswith("2 violations (first: Douyin (id:douyin): ")
            assert graph_there == 200
        status, _, body = _put(store_url, "urn:test:good", GOOD.encode())
        assert (status, body) == (201, b"")
    finally:
        server.stop()
