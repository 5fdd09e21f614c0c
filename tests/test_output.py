"""The one set of writers: every listing in every fitting format, tables that fit, readable syntax errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.cli import main
from kg.cli.output import choose_format
from kg.errors import KGError
from kg.results import WRITERS, Result, format_for_ending
from kg.stores import GraphStore
from kg.tables import Table, width

LISTINGS = {
    "stats": ["stats"],
    "queries": ["queries"],
    "graphs": ["graphs"],
    "compare": ["compare"],
    "describe": ["describe", "快手"],
}
ROW_FORMATS = [w.name for w in WRITERS.values() if "select" in w.kinds]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ROW_FORMATS)
@pytest.mark.parametrize("command", sorted(LISTINGS))
def test_every_listing_takes_every_row_format(command: str, fmt: str) -> None:
    if fmt == "xlsx":
        answer = CliRunner().invoke(main, [*LISTINGS[command], "-f", fmt])
        assert (answer.exit_code, answer.stderr) == (0, "")
        rows = list(load_workbook(io.BytesIO(answer.stdout_bytes)).worksheets[0].iter_rows(values_only=True))
        assert len(rows) > 1 and len({len(r) for r in rows}) == 1
        return
    code, out, err = invoke(*LISTINGS[command], "-f", fmt)
    assert (code, err) == (0, "")
    if fmt == "json":
        rows = json.loads(out)["results"]["bindings"]
        assert rows and all(isinstance(r, dict) for r in rows)
    elif fmt == "xml":
        root = ElementTree.fromstring(out)
        assert root.findall(".//{http://www.w3.org/2005/sparql-results#}result")
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(out)))
        assert len(table) > 1 and len({len(r) for r in table}) == 1
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0].startswith("?") and len(lines) > 1
    elif fmt == "markdown":
        assert out.splitlines()[1].startswith("| ---")
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and "<td>" in out
    else:
        assert out.rstrip().splitlines()[-1].endswith(("row)", "rows)"))


def test_stats_json_holds_the_same_figures_as_the_table() -> None:
    _, out, _ = invoke("stats", "-f", "json")
    figures = {b["figure"]["value"]: b for b in json.loads(out)["results"]["bindings"] if "item" not in b}
    _, table, _ = invoke("stats")
    assert figures["triples"]["count"]["value"] == table.splitlines()[2].split()[-1]


def test_a_graph_listing_is_a_table_in_a_pipe_and_json_when_asked() -> None:
    _, out, _ = invoke("queries")
    assert out.splitlines()[0].split() == ["name", "summary", "parameters"]
    _, out, _ = invoke("queries", "-f", "json")
    assert json.loads(out)["head"]["vars"] == ["name", "summary", "parameters"]


# describe 快手 names sources by web addresses up to 93 characters long, which a table of five columns cannot hold
# in 100 without cutting one: it is shown as records, where only such an address may pass the width.
@pytest.mark.parametrize("args", [["compare", "-f", "table"], ["describe", "快手", "-f", "records"]])
def test_tables_fit_the_width_they_are_given(args: list[str]) -> None:
    from .test_tables import fits

    code, out, _ = invoke(*args, env={"COLUMNS": "100"})
    assert code == 0
    assert all(fits(line, 100) for line in out.splitlines())
    _, unfitted, _ = invoke(*args, env={"COLUMNS": ""})
    assert max(width(line) for line in unfitted.splitlines()) > 100  # the limit did something


def test_a_wrapped_table_keeps_every_character() -> None:
    cells = [["内容型" * 9, "a b c d e f g h i j k l m n o p"]]
    lines = list(Table(["模式", "words"], width=30, layout="table").lines(cells))
    assert all(width(line) <= 30 for line in lines)
    body = lines[2:-1]
    assert "".join(line[: line.index("  ")] if "  " in line else line for line in body).replace(" ", "") == cells[0][0]


def test_a_long_table_takes_its_widths_from_the_first_rows_and_counts_every_row() -> None:
    rows = [["short"]] * 150 + [["a much longer cell than the first rows had"]]
    lines = list(Table(["c"]).lines(rows))
    assert lines[-1] == "(151 rows)"
    assert max(width(line) for line in lines[2:-1]) == len("longer")  # wrapped to five columns, no word cut
    assert lines[-2] == "had"


def test_cjk_characters_count_as_two_columns() -> None:
    assert width("内容型") == 6 and width("content") == 7 and width("e\u0301") == 1


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (LANG(?l) AS ?x) (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l } GROUP BY (LANG(?l))",
        "SELECT * WHERE { ?s ?p ?o ",
        "SELECT * WHERE { ?s <a b> ?o }",
        "SELECT * WHERE { ?s ?p ?o } GROUP BY",
        "ASK { ?s ?p " + "é" * 500 + " }",
    ],
)
def test_syntax_errors_are_one_short_line_in_words(query: str) -> None:
    code, out, err = invoke("sparql", query)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and len(err) <= 200
    assert err.startswith("kg: error: query:1:") and "syntax error" in err
    assert "..=" not in err and "\\u{" not in err


def test_the_reason_the_parser_gives_is_kept() -> None:
    query = "SELECT (LANG(?l) AS ?x) WHERE { ?s rdfs:label ?l } GROUP BY (LANG(?l))"
    _, _, err = invoke("sparql", query)
    assert (
        err
        == "kg: error: query:1:70: syntax error: The SELECT contains an expression with a variable that is unbound\n"
    )


def test_formats_and_endings_come_from_one_registry() -> None:
    assert format_for_ending(".srj") == "json" and format_for_ending(".TTL") == "turtle"
    assert format_for_ending(".md") == "markdown" and format_for_ending(".exe") is None
    rows = Result.select(["a"], [(ox.Literal("x"),)])
    assert choose_format(rows, None, "out.md") == "markdown"
    assert choose_format(Result.from_triples([]), None, "out.csv") == "turtle"  # an ending that does not fit
    assert len({w.media_type for w in WRITERS.values()}) == len(WRITERS)


def test_language_tags_are_written_as_the_sources_write_them(tmp_path: Path) -> None:
    for fmt, needle in [("json", '"xml:lang":"zh-Hans"'), ("xml", 'xml:lang="zh-Hans"'), ("tsv", '"快手"@zh-Hans')]:
        _, out, _ = invoke("sparql", "SELECT ?l WHERE { id:kuaishou rdfs:label ?l }", "-f", fmt)
        assert needle in out and "zh-hans" not in out
    _, out, _ = invoke("sparql", "CONSTRUCT WHERE { id:kuaishou rdfs:label ?l }", "-f", "nt")
    assert '"快手"@zh-Hans .' in out


def test_a_tag_inside_a_string_is_left_as_it_is() -> None:
    text = 'say "x"@zh-hans \\" and "xml:lang":"zh-hans"'
    result = Result.select(["v"], [(ox.Literal(text, language="zh-hans"),)])
    for fmt in ("json", "xml", "tsv"):
        written = result.serialize(fmt)
        assert written.count("zh-Hans") == 1, (fmt, written)


def test_a_streamed_result_is_not_kept_and_says_so_when_read_again(store: GraphStore) -> None:
    streamed = store.query("SELECT ?s WHERE { ?s a sce:SocialCommerceModel }")
    out = io.BytesIO()
    streamed.write(out, "csv")
    assert len(out.getvalue().splitlines()) == 5
    with pytest.raises(KGError, match="written out already"):
        streamed.write(io.BytesIO(), "csv")
    held = store.query("SELECT ?s WHERE { ?s a sce:SocialCommerceModel }")
    assert held.serialize("csv") == held.serialize("csv") and len(held) == 4


def test_tags_are_rewritten_only_where_they_are_syntax() -> None:
    from kg.results import _TAGS

    text = b'<a> <b> "x\\"@zh-hans" . <a> <b> "y"@zh-hans . <a> <b> "z"@zh-hant-tw . <a> <b> "w"@zh-hant .'
    rewritten = _TAGS["terms"].rewrite(text)
    assert rewritten == (
        b'<a> <b> "x\\"@zh-hans" . <a> <b> "y"@zh-Hans . <a> <b> "z"@zh-Hant-TW . <a> <b> "w"@zh-Hant .'
    )
    assert _TAGS["json"].rewrite(b'{"xml:lang":"en","v":"\\"xml:lang\\":\\"zh-hans\\""}') == (
        b'{"xml:lang":"en","v":"\\"xml:lang\\":\\"zh-hans\\""}'
    )
