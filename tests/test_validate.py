"""kg validate: each shape rule, broken by a small file, is reported with the right node and rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.validate import Report, default_engine, validate

from .conftest import DATA

BROKEN = DATA / "broken"

# file → (the node's label and CURIE as reported, words of the rule it breaks)
EXPECTED = {
    "model-without-form": ("trial model (id:trial-model)", "at least one form"),
    "model-with-two-chains": ("trial model (id:trial-model)", "exactly one social chain"),
    "model-without-chain": ("trial model (id:trial-model)", "exactly one social chain"),
    "model-without-target": ("trial model (id:trial-model)", "targets at least one user segment"),
    "model-targets-a-channel": ("trial model (id:trial-model)", "each is a sce:UserSegment"),
    "model-without-core-product": ("trial model (id:trial-model)", "at least one core product"),
    "model-without-enterprise": ("trial model (id:trial-model)", "represented by at least one enterprise"),
    "model-channel-not-a-channel": ("trial model (id:trial-model)", "channels are each a sce:Channel"),
    "chain-without-tie": ("trial chain (id:kuaishou-chain)", "exactly one tie type"),
    "chain-of-no-model": ("orphan chain (id:orphan-chain)", "belongs to at least one model"),
    "missing-english-label": ("试验模式 (id:trial-model)", "exactly one English label"),
    "missing-chinese-label": ("trial model (id:trial-model)", "exactly one Simplified Chinese label"),
    "two-english-labels": ("trial model (id:trial-model)", "exactly one English label"),
    "label-in-another-language": ("trial model (id:trial-model)", "tagged @en or @zh-Hans"),
    "chinese-label-in-latin-letters": ("trial model (id:trial-model)", "written in Chinese characters"),
    "missing-source": ("trial model (id:trial-model)", "names its source"),
    "missing-english-definition": ("trial model (id:trial-model)", "has an English definition"),
    "missing-chinese-definition": ("trial model (id:trial-model)", "has a Simplified Chinese definition"),
    "shared-name": ("Kuaishou (id:other-kuaishou)", "a name (Kuaishou) may belong to one node only"),
    "category-outside-scheme": ("toys (id:toys)", "belongs to the scheme of product categories"),
    "category-cycle": ("clothing (id:clothing)", "has no cycle"),
    "category-broader-not-category": ("bags (id:bags)", "broader category is a sce:ProductCategory"),
    "enterprise-two-parents": ("Douyin (id:douyin)", "at most one parent organisation"),
    "enterprise-own-parent": ("ByteDance (id:bytedance)", "cannot be its own parent organisation"),
    "fact-without-source": ("Pinduoduo (id:pinduoduo)", "(schema:foundingDate) is stated in a graph with no source"),
    "date-not-a-date": ("Pinduoduo (id:pinduoduo)", "founding date is a valid xsd:gYear, xsd:gYearMonth or xsd:date"),
    "event-without-date": ("trial event (id:trial-event)", "an event has a date"),
    "event-without-enterprise": ("trial event (id:trial-event)", "concerns at least one enterprise"),
    "penalty-without-amount": ("trial event (id:trial-event)", "a penalty names its amount in yuan"),
    "penalty-without-authority": ("trial event (id:trial-event)", "a penalty names the authority"),
    "ticker-not-exchange-symbol": ("JD.com (id:jd-com)", "a ticker symbol is written exchange:symbol"),
    "location-not-a-place": ("JD.com (id:jd-com)", "a seat (schema:location) is a place, a schema:Place"),
    "place-without-chinese-label": ("trial city (id:trial-city)", "exactly one Simplified Chinese label"),
    "location-without-source": ("JD.com (id:jd-com)", "(schema:location) is stated in a graph with no source"),
    "figure-not-normalised": ("trial figure (id:trial-figure)", "normalised value is its value times the power of ten"),
    "figure-period-not-iso": ("trial figure (id:trial-figure)", "written in ISO 8601"),
    "figure-two-sources": ("trial figure (id:trial-figure)", "the same figure from two sources is two figures"),
    "disagreement-without-property": ("trial disagreement (id:trial-disagreement)", "names the property whose values"),
}


def test_every_broken_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.ttl")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_rule_is_reported_with_its_node_and_rule(runner: CliRunner, name: str) -> None:
    node, rule = EXPECTED[name]
    result = runner.invoke(main, ["validate", str(BROKEN / f"{name}.ttl")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Violation: ")]
    assert any(line.startswith(f"Violation: {node}: ") and rule in line for line in lines), result.output
    assert result.output.rstrip().endswith("the graph does not conform to its shapes.")


def test_the_built_in_graph_validates_with_exit_code_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.output == "The graph conforms to its shapes.\n"


def test_a_file_that_conforms_adds_no_violation(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(
        (BROKEN / "model-without-form.ttl")
        .read_text(encoding="utf-8")
        .replace("sce:hasSocialChain", "sce:hasForm id:group-purchase ;\n    sce:hasSocialChain")
        # the file's facts beyond the seed (its model's enterprise) come from a source with a web address
        + "<> <http://www.w3.org/ns/prov#wasDerivedFrom> id:src-wikipedia-pinduoduo .\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output


SOURCED = """@prefix id: <https://w3id.org/sce/id/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/mine> prov:wasDerivedFrom <https://example.org/src> .
<https://example.org/src> schema:url "https://example.org/article"^^xsd:anyURI .
<https://example.org/mine> { id:yunji schema:foundingDate "2015"^^xsd:gYear . }
"""


def test_a_fact_in_a_graph_derived_from_a_source_with_an_address_conforms(runner: CliRunner, tmp_path: Path) -> None:
    sourced = tmp_path / "sourced.trig"
    sourced.write_text(SOURCED, encoding="utf-8")
    assert runner.invoke(main, ["validate", str(sourced)]).exit_code == 0
    unsourced = tmp_path / "unsourced.trig"
    unsourced.write_text(
        SOURCED.replace('schema:url "https://example.org/article"', 'schema:name "no address"'), "utf-8"
    )
    result = runner.invoke(main, ["validate", str(unsourced)])
    assert result.exit_code == 1
    assert (
        "Violation: Yunji (id:yunji): a fact beyond the seed (schema:foundingDate) is stated in a graph"
        in result.output
    )


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("@prefix a: <http://a/> .\na:b a:c a:d ;\n  a:e .\n", 3, 7),
        ('@prefix a: <http://a/> .\n\n\na:b a:c "open string .\n', 4, 9),
        ("@prefix a: <http://a/> .\na:b a:c a:d .\nnope:x a:c a:d .\n", 3, 1),
    ],
)
def test_a_syntax_error_names_file_line_and_column_with_exit_2(
    runner: CliRunner, tmp_path: Path, text: str, line: int, column: int
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"kg: error: {bad}:{line}:{column}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_one_line_with_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "absent.ttl")])
    assert result.exit_code == 2
    assert result.stderr == f"kg: error: {tmp_path / 'absent.ttl'}: no such file\n"


@pytest.mark.parametrize("suffix", [".trig", ".nt", ".nq", ".rdf", ".jsonld"])
def test_every_rdf_format_loads(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    import pyoxigraph as ox

    source = BROKEN / "missing-source.ttl"
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.TURTLE))
    target = tmp_path / f"data{suffix}"
    fmt = ox.RdfFormat.from_extension(suffix[1:])
    assert fmt is not None
    triples: list[ox.Quad] | list[ox.Triple] = quads if fmt.supports_datasets else [q.triple for q in quads]
    ox.serialize(triples, str(target), format=fmt)
    result = runner.invoke(main, ["validate", str(target)])
    assert result.exit_code == 1, result.output
    assert "trial model (id:trial-model): every individual names its source" in result.output


def test_files_are_validated_on_top_of_a_store_on_disk_without_changing_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = str(tmp_path / "store")

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).parent / "kg"), "--store", folder, *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    assert kg("validate").returncode == 0
    before = kg("stats").stdout
    result = kg("validate", str(BROKEN / "model-without-form.ttl"))
    assert result.returncode == 1, result.stderr
    assert "Violation: trial model (id:trial-model): a model has at least one form" in result.stdout
    assert kg("stats").stdout == before != ""


VIOLATIONS = DATA / "violations"


def _results(report: Report) -> set[tuple[str, str, str, str, str]]:
    """Each violation as (focus node, path, shape, severity, message), a blank node as "_:" (its id is the engine's)."""
    return {(v.node if ":" in v.node else "_:", v.path, v.shape, v.severity, v.message) for v in report.violations}


@pytest.mark.parametrize("name", ["every-kind", "shared-name", "penalty-without-amount", "category-cycle"])
def test_the_fast_engine_finds_what_pyshacl_finds(name: str) -> None:
    path = VIOLATIONS / f"{name}.ttl" if name == "every-kind" else BROKEN / f"{name}.ttl"
    fast, reference = (validate([path], engine=engine) for engine in ("pyshacl-turbo", "pyshacl"))
    assert not fast.conforms and not reference.conforms
    assert _results(fast) == _results(reference)
    assert len(fast.violations) == len(reference.violations)


def test_every_kind_breaks_every_kind_of_constraint_once_at_least() -> None:
    report = validate([VIOLATIONS / "every-kind.ttl"])
    shapes = {v.shape.rsplit("#", 1)[-1] for v in report.violations}
    assert len(report.violations) == 44, report
    assert {"ListedShape", "IndividualShape", "UniqueNameShape", "EnterpriseShape", "ChineseInHan"} <= shapes
    assert any(v.message.startswith("a penalty names its amount") for v in report.violations)  # the SPARQL target
    blank = [v for v in report.violations if ":" not in v.node]
    assert [(v.label, v.message) for v in blank] == [
        ("probe channel", "an individual is named by an IRI, never a blank node")
    ]


def test_the_fast_engine_also_finds_an_ill_formed_date_that_pyshacl_takes() -> None:
    path = VIOLATIONS / "ill-formed-date.ttl"
    fast, reference = (validate([path], engine=engine) for engine in ("pyshacl-turbo", "pyshacl"))
    date = "Violation: Youzan (id:youzan): a founding date is a valid xsd:gYear, xsd:gYearMonth or xsd:date"
    assert any(str(v).startswith(date) for v in fast.violations), fast
    # pySHACL takes the literal for a gYearMonth, unless a library (owlrl) taught rdflib that datatype's lexical space
    assert _results(reference) <= _results(fast)
    assert _results(fast) - _results(reference) <= {
        ("https://w3id.org/sce/id/youzan", "schema:foundingDate", "", "Violation", date.split("): ")[1])
    }


def test_kg_validates_with_the_fast_engine_where_it_is_installed() -> None:
    assert default_engine() == "pyshacl-turbo"
    with pytest.raises(ValueError, match="unknown SHACL engine 'jena'"):
        validate(engine="jena")
