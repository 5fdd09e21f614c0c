"""The store on disk: opening, loading atomically into named graphs, dropping, counting; the load/graphs/drop CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError, KGError
from kg.stores import Store, open_store
from kg.stores.embedded import JOURNAL, LOADING, open_disk
from kg.stores.rdffiles import builtin_graphs
from kg.vocab import BUILTIN_FILES, SOURCE_GRAPHS

SHOPS = """@prefix b: <https://w3id.org/sce/bench/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
b:shop-1 rdfs:label "Shop one"@en , "一号店"@zh-Hans .
b:shop-2 rdfs:label "Shop two"@en .
"""


def turtle(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def big_turtle(folder: Path, name: str, statements: int, *, broken: bool = False) -> Path:
    """A Turtle file of ``statements`` triples, optionally ending in a statement with no object."""
    lines = ["@prefix b: <https://w3id.org/sce/bench/> ."]
    lines += [f'b:p{i} b:price "{i}" .' for i in range(statements)]
    if broken:
        lines.append("b:last b:price .")
    return turtle(folder, name, "\n".join(lines) + "\n")


def snapshot(store: Store) -> set[ox.Quad]:
    return set(store.quads())


@pytest.fixture
def disk(tmp_path: Path) -> Store:
    with open_disk(tmp_path / "store") as store:
        yield store  # type: ignore[misc]


def test_a_new_store_on_disk_holds_the_built_in_graph(disk: Store) -> None:
    assert sorted(g for g, _ in disk.graphs()) == sorted(builtin_graphs())
    assert set(BUILTIN_FILES.values()) < set(builtin_graphs())
    assert sum(1 for g in builtin_graphs() if g.startswith(SOURCE_GRAPHS)) >= 40
    assert disk.ask("ASK { id:kuaishou a sce:Enterprise }")


def test_reopening_does_not_add_the_built_in_graph_again(tmp_path: Path) -> None:
    with open_disk(tmp_path / "store") as first:
        before = first.graphs()
    with open_disk(tmp_path / "store") as second:
        assert second.graphs() == before


def test_a_dropped_built_in_graph_comes_back_on_the_next_open(tmp_path: Path) -> None:
    seed = BUILTIN_FILES["seed.ttl"]
    with open_disk(tmp_path / "store") as store:
        size = dict(store.graphs())[seed]
        assert store.drop(seed) == size
        assert seed not in dict(store.graphs())
    with open_disk(tmp_path / "store") as store:
        assert dict(store.graphs())[seed] == size


def test_load_puts_a_file_into_a_graph_named_after_it(disk: Store, tmp_path: Path) -> None:
    path = turtle(tmp_path, "shops.ttl", SHOPS)
    assert disk.load(path) == 3
    assert dict(disk.graphs())[path.resolve().as_uri()] == 3


def test_load_into_a_given_graph_adds_each_triple_once(disk: Store, tmp_path: Path) -> None:
    path = turtle(tmp_path, "shops.ttl", SHOPS)
    assert disk.load(path, graph="https://example.org/shops") == 3
    assert disk.load(path, graph="https://example.org/shops") == 0
    assert dict(disk.graphs())["https://example.org/shops"] == 3


def test_a_graph_name_must_be_an_iri(disk: Store, tmp_path: Path) -> None:
    path = turtle(tmp_path, "shops.ttl", SHOPS)
    with pytest.raises(KGError, match="absolute IRI"):
        disk.load(path, graph="shops")


@pytest.mark.parametrize("bulk", [False, True], ids=["transaction", "bulk-loader"])
def test_a_file_broken_at_the_end_leaves_the_store_as_it_was(
    disk: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    monkeypatch.setattr(Store, "bulk_threshold", 0 if bulk else 1 << 40)
    disk.load(turtle(tmp_path, "shops.ttl", SHOPS))
    before = snapshot(disk)
    path = big_turtle(tmp_path, "prices.ttl", 20_000, broken=True)
    with pytest.raises(InputError) as error:
        disk.load(path)
    assert str(error.value) == f"{path}:20002:16: . is not a valid RDF object"
    assert snapshot(disk) == before


def test_the_bulk_loader_leaves_no_journal_entry(disk: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "bulk_threshold", 0)
    assert disk.load(big_turtle(tmp_path, "prices.ttl", 1_000)) == 1_000
    assert not list(disk.engine.quads_for_pattern(None, None, None, ox.NamedNode(JOURNAL)))


def test_opening_drops_the_graph_of_a_bulk_load_that_was_killed(tmp_path: Path) -> None:
    """What a process killed inside the bulk loader leaves: its journal entry and part of the graph."""
    target = ox.NamedNode("https://example.org/half")
    with open_disk(tmp_path / "store") as store:
        before = snapshot(store)
        store.engine.add(ox.Quad(target, ox.NamedNode(LOADING), ox.Literal("big.ttl"), ox.NamedNode(JOURNAL)))
        store.engine.add(ox.Quad(target, target, ox.Literal("half-written"), target))
    with open_disk(tmp_path / "store") as store:
        assert snapshot(store) == before


def test_load_all_checks_every_file_before_loading_any(disk: Store, tmp_path: Path) -> None:
    before = snapshot(disk)
    with pytest.raises(InputError, match=r"missing\.ttl: no such file"):
        disk.load_all([turtle(tmp_path, "shops.ttl", SHOPS), tmp_path / "missing.ttl"])
    assert snapshot(disk) == before


def test_drop_of_an_unknown_graph_is_an_error(disk: Store) -> None:
    with pytest.raises(KGError, match=r"no graph named <https://example\.org/none>"):
        disk.drop("https://example.org/none")


def test_triples_and_their_count_see_a_statement_in_two_graphs_once(tmp_path: Path) -> None:
    store = open_store()
    alone, quads = store.triple_count(), len(store)
    path = turtle(tmp_path, "shops.ttl", SHOPS)
    store.load(path, graph="https://example.org/a")
    store.load(path, graph="https://example.org/b")
    assert len(store) == quads + 6
    assert store.triple_count() == alone + 3
    assert sum(1 for _ in store.triples()) == alone + 3
    assert len(set(store.triples())) == alone + 3


def test_data_files_of_a_store_in_memory_are_atomic(tmp_path: Path) -> None:
    path = big_turtle(tmp_path, "prices.ttl", 500, broken=True)
    with pytest.raises(InputError, match=r"prices\.ttl:502:16"):
        open_store(data=[path])


def test_a_store_is_a_directory_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="is a file"):
        open_store(str(turtle(tmp_path, "shops.ttl", SHOPS)))


def test_a_folder_of_other_files_is_not_a_store(tmp_path: Path) -> None:
    turtle(tmp_path, "shops.ttl", SHOPS)
    with pytest.raises(KGError, match="not an Oxigraph store"):
        open_store(str(tmp_path))


def test_a_remote_spec_is_dispatched_to_the_remote_module() -> None:
    from kg.stores.remote import RemoteStore

    assert isinstance(open_store("http://localhost:1/sparql", wait=3), RemoteStore)


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys, pyoxigraph; s = pyoxigraph.Store({str(tmp_path)!r}); print(1); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "1\n"
        with pytest.raises(KGError) as error:
            open_store(str(tmp_path))
        assert str(error.value) == f"the store at {tmp_path} is in use by another process"
    finally:
        holder.communicate("")
    with open_disk(tmp_path, wait=5) as store:
        assert store.graphs()


# --- the command line -------------------------------------------------------------------------------------------------


def test_cli_load_graphs_drop(tmp_path: Path) -> None:
    runner = CliRunner()
    path = turtle(tmp_path, "shops.ttl", SHOPS)
    spec = str(tmp_path / "store")
    loaded = runner.invoke(main, ["--store", spec, "load", str(path)])
    assert (loaded.exit_code, loaded.stdout) == (0, f"{path}: 3 triples into <{path.resolve().as_uri()}>\n")
    assert loaded.stderr == ""  # no progress bar outside a terminal
    listed = runner.invoke(main, ["--store", spec, "graphs"])
    assert listed.exit_code == 0
    assert f"{path.resolve().as_uri()}  3" in listed.stdout
    dropped = runner.invoke(main, ["--store", spec, "drop", str(path)])
    assert (dropped.exit_code, dropped.stdout) == (0, f"dropped <{path.resolve().as_uri()}>: 3 triples\n")
    again = runner.invoke(main, ["--store", spec, "drop", str(path)])
    assert again.exit_code == 2
    assert again.stderr.startswith("kg: error: no graph named")


def test_cli_load_of_a_broken_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = big_turtle(tmp_path, "prices.ttl", 10, broken=True)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "load", str(path)])
    assert (result.exit_code, result.stderr) == (2, f"kg: error: {path}:12:16: . is not a valid RDF object\n")
    assert result.stdout == ""


def test_cli_load_needs_a_store_on_disk(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(turtle(tmp_path, "shops.ttl", SHOPS))])
    assert (result.exit_code, result.stderr) == (
        2,
        "kg: error: kg load needs a store to keep the data in: give --store DIR\n",
    )


FORGED = """<https://w3id.org/sce/graph/seed> {
    <https://w3id.org/sce/id/kuaishou> <http://www.w3.org/2004/02/skos/core#altLabel> "Forged"@en .
}
"""


def test_a_file_may_not_write_into_the_built_in_graphs(tmp_path: Path) -> None:
    forged = tmp_path / "forged.trig"
    forged.write_text(FORGED, encoding="utf-8")
    with pytest.raises(InputError, match=r"writes into kg's own graph <https://w3id\.org/sce/graph/seed>"):
        open_store(data=[forged])
    store = open_disk(tmp_path / "store")
    seed_before = dict(store.graphs())["https://w3id.org/sce/graph/seed"]
    with pytest.raises(InputError):
        store.load(forged)
    assert dict(store.graphs())["https://w3id.org/sce/graph/seed"] == seed_before
    store.close()


def test_graph_puts_every_statement_of_a_quad_file_into_that_graph(tmp_path: Path) -> None:
    forged = tmp_path / "mine.trig"
    forged.write_text(FORGED.replace("graph/seed", "graph/elsewhere").replace("sce/graph", "example/graph"), "utf-8")
    store = open_store()
    assert store.load(forged, graph="urn:mine") == 1
    assert dict(store.graphs())["urn:mine"] == 1
    assert "https://w3id.org/example/graph/elsewhere" not in dict(store.graphs())


def test_rdf_xml_cut_short_is_a_syntax_error_with_line_and_column(tmp_path: Path) -> None:
    cut = tmp_path / "cut.rdf"
    cut.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="http://x/">\n'
        ' <rdf:Description rdf:about="http://x/a"><x:p>1</x:p></rdf:Description>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"cut.rdf:4:1: not well-formed XML: no element found"):
        open_store(data=[cut])


def test_an_engine_error_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(
        KGError, match=r"query: the store could not answer: The custom function <urn:x> is not supported"
    ):
        open_store().query("SELECT ?x WHERE { BIND (<urn:x>(1) AS ?x) }")


def test_a_file_may_not_write_into_a_built_in_source_graph(tmp_path: Path) -> None:
    source = SOURCE_GRAPHS + "wikipedia-pinduoduo"
    forged = tmp_path / "forged.trig"
    forged.write_text(FORGED.replace("https://w3id.org/sce/graph/seed", source), encoding="utf-8")
    with pytest.raises(InputError, match=f"writes into kg's own graph <{source}>"):
        open_store(data=[forged])


def test_a_dropped_source_graph_comes_back_when_the_store_reopens(tmp_path: Path) -> None:
    source = SOURCE_GRAPHS + "wikipedia-pinduoduo"
    with open_disk(tmp_path / "store") as store:
        size = dict(store.graphs())[source]
        store.drop(source)
        assert source not in dict(store.graphs())
    with open_disk(tmp_path / "store") as store:
        assert dict(store.graphs())[source] == size
