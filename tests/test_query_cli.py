"""kg queries / query / sparql / describe: output formats as other tools read them, errors as one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from rdflib.query import Result as RdflibResult

from kg.catalog import catalog
from kg.cli import main

SELECT = ["query", "models-targeting", "-p", "segment=价格敏感型用户"]
EXPECTED_MODELS = {"https://w3id.org/sce/id/group-buying", "https://w3id.org/sce/id/community-group-buying"}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_kg_queries_lists_every_query_with_its_parameters(runner: CliRunner) -> None:
    code, out, _ = run(runner, "queries")
    assert code == 0
    for query in catalog().values():
        assert query.name in out and query.summary in out
    assert "model-profile          The profile of one model" in out  # names padded to enterprises-by-status
    assert "from (iri), to (iri)" in out


def test_kg_queries_lists_the_chinese_summaries_in_chinese(runner: CliRunner) -> None:
    code, out, _ = run(runner, "queries", "--lang", "zh-Hans", "--format", "tsv")
    assert code == 0
    for query in catalog().values():
        assert query.summary_zh in out and query.summary not in out


def test_json_is_the_default_in_a_pipe(runner: CliRunner) -> None:
    code, out, _ = run(runner, *SELECT)
    assert code == 0
    doc = json.loads(out)
    assert {b["model"]["value"] for b in doc["results"]["bindings"]} == EXPECTED_MODELS


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_round_trip_through_rdflibs_parsers(runner: CliRunner, fmt: str) -> None:
    code, out, _ = run(runner, *SELECT, "--format", fmt)
    assert code == 0
    parsed = RdflibResult.parse(io.BytesIO(out.encode("utf-8")), format=fmt)
    assert [str(v) for v in parsed.vars or []] == ["model", "model_en", "model_zh"]
    rows = list(parsed)
    assert {str(r[0]) for r in rows} == EXPECTED_MODELS  # type: ignore[index]
    chinese = {str(r[2]) for r in rows}  # type: ignore[index]
    assert chinese == {"拼购型", "社区团购型"}
    if fmt in ("json", "xml", "tsv"):
        assert {r[2].language.lower() for r in rows} == {"zh-hans"}  # type: ignore[index,union-attr]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results_round_trip(runner: CliRunner, fmt: str) -> None:
    code, out, _ = run(runner, "sparql", "ASK { id:kuaishou sce:represents|^sce:representedBy id:content }", "-f", fmt)
    assert code == 0
    assert RdflibResult.parse(io.BytesIO(out.encode()), format=fmt).askAnswer is True


def test_tsv_escapes_tabs_and_newlines_in_literals(runner: CliRunner) -> None:
    code, out, _ = run(runner, "sparql", 'SELECT ?x WHERE { BIND ("a\\tb\\nc" AS ?x) }', "-f", "tsv")
    assert code == 0
    assert out.splitlines()[1] == '"a\\tb\\nc"'
    parsed = list(RdflibResult.parse(io.BytesIO(out.encode()), format="tsv"))
    assert str(parsed[0][0]) == "a\tb\nc"  # type: ignore[index]


CONSTRUCT = "CONSTRUCT { ?m sce:targets ?s . ?s rdfs:label ?l } WHERE { ?m sce:targets ?s . ?s rdfs:label ?l }"


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                   ("rdfxml", "xml"), ("trig", "trig"), ("nq", "nquads")])  # fmt: skip
def test_graph_results_round_trip_through_rdflib(runner: CliRunner, fmt: str, rdflib_format: str) -> None:
    code, out, _ = run(runner, "sparql", CONSTRUCT, "--format", fmt)
    assert code == 0
    reference = rdflib.Graph().parse(data=run(runner, "sparql", CONSTRUCT, "-f", "nt")[1], format="nt")
    assert len(reference) == 5 + 4 * 2  # five targets links (one segment shared by two models), two labels each
    if fmt in ("trig", "nq"):
        graph = rdflib.Dataset()
        graph.parse(data=out, format=rdflib_format)
        union = rdflib.Graph()
        for triple in graph.triples((None, None, None, None)):  # type: ignore[arg-type]
            union.add(triple[:3])
        assert isomorphic(union, reference)
    else:
        assert isomorphic(rdflib.Graph().parse(data=out, format=rdflib_format), reference)


def test_a_table_shows_labels_in_the_chosen_language(runner: CliRunner) -> None:
    code, out, _ = run(runner, "query", "enterprise-model", "-p", "enterprise=Aauto Faster", "-f", "table", "--lang",
                       "zh-Hans")  # fmt: skip
    assert code == 0
    assert out.splitlines()[0].split() == ["企业", "模式"]
    assert out.splitlines()[2].split() == ["快手", "内容型"]
    assert out.rstrip().endswith("（共 1 行）") and "Kuaishou" not in out and "content" not in out


def test_both_shows_each_node_in_both_languages(runner: CliRunner) -> None:
    code, out, _ = run(runner, "query", "enterprise-model", "-p", "enterprise=快手", "-f", "table", "--both")
    assert code == 0
    assert out.splitlines()[0].split("  ")[:2] == ["enterprise (English)", "enterprise (Chinese)"]
    assert out.splitlines()[2].split() == ["Kuaishou", "快手", "content", "内容型"]


def test_machines_keep_the_variables_of_a_named_query(runner: CliRunner) -> None:
    for fmt in ("csv", "tsv"):
        code, out, _ = run(runner, "query", "enterprise-model", "-p", "enterprise=快手", "-f", fmt, "--lang", "zh")
        assert code == 0
        assert out.splitlines()[0].replace("?", "").split("\t" if fmt == "tsv" else ",") == [
            "enterprise_en", "enterprise_zh", "model", "model_en", "model_zh"
        ]  # fmt: skip


def test_a_format_that_does_not_fit_the_result_is_an_error(runner: CliRunner) -> None:
    code, out, err = run(runner, "query", "models", "-f", "turtle")
    assert code == 2 and out == ""
    assert err.startswith("kg: error: format 'turtle' does not fit a SELECT result")


def test_output_goes_to_a_file_in_the_format_its_name_says(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "models.csv"
    code, out, _ = run(runner, "query", "models", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"model,name_en,name_zh,definition_en,definition_zh\r\n")
    assert [p.name for p in tmp_path.iterdir()] == ["models.csv"]


def test_output_into_a_missing_folder_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "query", "models", "--output", str(tmp_path / "no" / "models.csv"))
    assert code == 2
    assert "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_sparql_from_a_file_and_from_stdin(runner: CliRunner, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?m a sce:SocialCommerceModel }", encoding="utf-8")
    result = runner.invoke(main, ["sparql", f"@{query}", "-f", "csv"])
    assert (result.exit_code, result.stdout_bytes) == (0, b"n\r\n4\r\n")  # click's .stdout folds CRLF; bytes do not
    result = runner.invoke(main, ["sparql", "-", "-f", "csv"], input=query.read_text())
    assert result.stdout_bytes == b"n\r\n4\r\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "kg: error: unknown query 'nope'; available: "),
        (["query", "model-profile"], "kg: error: query 'model-profile' needs the parameter 'model'"),
        (["query", "model-profile", "-p", "model"], "kg: error: parameter 'model' is not NAME=VALUE"),
        (["query", "model-profile", "-p", "mode=content"], "kg: error: query 'model-profile' has no parameter 'mode'"),
        (["query", "model-profile", "-p", "model=Kuaishuo"], "kg: error: nothing in the graph is named 'Kuaishuo'"),
        (["sparql", "SELECT * WHERE { ?s ?p }"], "kg: error: query:1:24: syntax error"),
        (["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
         "kg: error: query:1:18: SERVICE would reach out to the network; pass --allow-service"),
        (["sparql", "@/nonexistent/q.rq"], "kg: error: /nonexistent/q.rq: No such file or directory"),
        (["describe", "nobody at all"], "kg: error: nothing in the graph is named 'nobody at all'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    code, out, err = run(runner, *args)
    assert code == 2
    assert out == ""
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_debug_shows_the_traceback(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--debug", "query", "nope"])
    assert result.exit_code != 0
    assert result.exception is not None and "unknown query" in str(result.exception)


def test_describe_shows_names_links_and_sources(runner: CliRunner) -> None:
    code, out, _ = run(runner, "describe", "Aauto Faster", "-f", "table")
    assert code == 0
    assert out.splitlines()[0] == "id:kuaishou"
    assert "name (en): Kuaishou" in out and "name (zh-Hans): 快手" in out and "also (en): Aauto Faster" in out
    assert "represented by" in out and "content" in out  # the link in, with the other end's label
    assert "Kuaishou Technology" in out  # the link out
    # each statement with the title and address of its source, not the graph it sits in
    assert "(seed document)" in out and "https://en.wikipedia.org/wiki/Kuaishou" in out
    assert "https://w3id.org/sce/graph/" not in out


def test_describe_as_json(runner: CliRunner) -> None:
    code, out, _ = run(runner, "describe", "id:content", "-f", "json")
    assert code == 0
    rows = json.loads(out)["results"]["bindings"]
    links = {(r["direction"]["value"], r["property"]["value"], r["value"]["value"]) for r in rows}
    assert ("out", "https://w3id.org/sce/ontology#representedBy", "https://w3id.org/sce/id/kuaishou") in links


def test_data_files_are_queried_with_the_built_in_graph(runner: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix id: <https://w3id.org/sce/id/> . @prefix sce: <https://w3id.org/sce/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'id:meituan-youxuan a sce:Enterprise ; rdfs:label "Meituan Youxuan"@en , "美团优选"@zh-Hans .\n'
        "id:community-group-buying sce:representedBy id:meituan-youxuan .\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--data", str(extra), "query", "enterprise-model", "-p", "enterprise=美团优选", "-f",
                                  "csv"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "https://w3id.org/sce/id/community-group-buying" in result.stdout


def test_every_command_has_help_text(runner: CliRunner) -> None:
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), f"kg {name} has no help text"
        assert runner.invoke(main, [name, "--help"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "models", "-o", "/proc/kg-test.json"], "kg: error: /proc/kg-test.json: cannot write there"),
        (["render", "-o", "/nonexistent/x.html"], "kg: error: /nonexistent/x.html: the folder /nonexistent does not"),
        (["render", "-o", ""], "kg: error: '' names no file"),
        (["render", "--sparql", ""], "kg: error: the query is empty"),
        (["export", "--dir", "/proc/kg-test"], "kg: error: /proc/kg-test: cannot create the folder"),
        (["path", "Pinduoduo", "Xiaohongshu", "--html", "/nonexistent/p.html"], "kg: error: /nonexistent/p.html"),
        (["--store", "http://[::1", "graphs"], "kg: error: 'http://[::1' is not a usable URL"),
        (["--store", "http://127.0.0.1:99999/sparql", "stats"], "kg: error: 'http://127.0.0.1:99999/sparql' is not"),
    ],
)
def test_unwritable_places_and_unusable_urls_are_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    code, _, err = run(runner, *args)
    assert code == 2, err
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1


def test_describe_writes_its_heading_into_a_file_too(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "kuaishou.txt"
    code, out, _ = run(runner, "describe", "快手", "-f", "table", "-o", str(target))
    assert (code, out) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("id:kuaishou\nname (en): Kuaishou\n")
    assert "represented by" in text


def test_describe_heads_with_sourced_dates_tickers_and_seats(runner: CliRunner) -> None:
    code, out, _ = run(runner, "describe", "Pinduoduo", "-f", "table")
    assert code == 0 and "founded: 2015-09 — Wikipedia: Pinduoduo" in out.splitlines()
    code, out, _ = run(runner, "describe", "PDD Holdings", "-f", "table")
    heading = out.split("direction")[0].splitlines()
    assert "seat: Shanghai — Asian Tech Press, 2023-05-05: Pinduoduo's headquarters" in heading
    assert any(line.startswith("listed: NASDAQ:PDD — ") for line in heading)


def test_describe_heads_with_the_figures_about_a_node_each_with_its_source(runner: CliRunner) -> None:
    """SOURCES.md, "Figures": two sources give Xingsheng Youxuan's 2019 GMV, so it is two lines, each with its source;
    the three start years of "Disagreements" make a line that says the sources differ."""
    code, out, _ = run(runner, "describe", "兴盛优选", "-f", "table")
    heading = out.split("direction")[0].splitlines()
    assert code == 0
    gmv = [heading[i + 1] for i, line in enumerate(heading) if line == "figure: GMV, 2019: 10 billion yuan"]
    assert gmv == ["  — 36Kr (copy), 2020: Xingsheng Youxuan", "  — KrASIA, 2020-12-11: JD.com invests in Xingsheng"]
    assert "sources differ: When Xingsheng Youxuan started" in heading
    code, out, _ = run(runner, "describe", "兴盛优选", "-f", "table", "--lang", "zh-Hans")
    lines = out.splitlines()
    source = lines[lines.index("数据: 成交总额, 2019: 100 亿元") + 1]  # the heading's words in Chinese too
    assert code == 0 and source == "  — 36氪（转载）2020：兴盛优选"
    assert "来源不一: 兴盛优选的起始时间" in lines
