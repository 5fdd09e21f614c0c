"""Named queries: headers, parameters, expected answers; naming nodes; values that try to break out of a query."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.catalog import bind, catalog, check_network_reach, in_language, parse_parameter, resolve, run_query
from kg.errors import InputError, KGError
from kg.results import Result, str_value
from kg.stores import Store, open_store
from kg.vocab import ID, curie, queries_dir

from .conftest import DATA

EXPECTED = Path(__file__).parent / "expected"
QUERIES = sorted(catalog())


def test_there_are_at_least_15_named_queries() -> None:
    assert len(QUERIES) >= 15


def test_every_query_has_an_expected_answer() -> None:
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_has_a_grlc_header(name: str) -> None:
    query = catalog()[name]
    assert query.text.startswith("#+ summary: ")
    assert query.summary and query.description and query.tags


@pytest.mark.parametrize("name", QUERIES)
def test_every_header_reads_as_grlc_reads_it(name: str) -> None:
    """grlc reads the ``#+`` lines as YAML: kg must read the same summary, description and list of tags."""
    import yaml

    query = catalog()[name]
    header = yaml.safe_load("\n".join(line.lstrip("#+") for line in query.text.split("\n") if line.startswith("#+")))
    assert (header["summary"], header["description"]) == (query.summary, query.description)
    assert (header["summary_zh"], header["description_zh"]) == (query.summary_zh, query.description_zh)
    assert isinstance(header["tags"], list) and header["tags"] == list(query.tags)


#: A character of the CJK Unified Ideographs block.
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_has_its_summary_and_description_in_chinese(name: str) -> None:
    """The graph is bilingual, and so are its queries: each has a Chinese summary and description of its own."""
    query = catalog()[name]
    for chinese, english in ((query.summary_zh, query.summary), (query.description_zh, query.description)):
        assert chinese.strip() and CJK.search(chinese), f"{name}: no Chinese"
        assert chinese != english


def test_the_text_of_a_query_is_chosen_by_language_with_english_to_fall_back_on() -> None:
    query = catalog()["enterprise-model"]
    assert in_language(query, "en") == (query.summary, query.description)
    assert in_language(query, "zh") == in_language(query, "zh-Hans") == (query.summary_zh, query.description_zh)
    assert in_language(query, "fr") == (query.summary, query.description)
    assert in_language(query._replace(summary_zh=""), "zh")[0] == query.summary


def _without_header(text: str) -> str:
    """The query as grlc hands it to rdflib's parser: without its ``#+`` lines."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("#+"))


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_declares_its_prefixes(name: str) -> None:
    """grlc parses each query with rdflib's parser, which knows none of kg's prefixes: the file declares them."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    translateQuery(Query.parse_string(_without_header(catalog()[name].text), parse_all=True))


def test_a_query_without_its_prefixes_fails_that_parse() -> None:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    with pytest.raises(Exception, match="sce"):
        translateQuery(Query.parse_string("SELECT ?m WHERE { ?m a sce:SocialCommerceModel }", parse_all=True))


def _grlc_rewrite(text: str, values: dict[str, str]) -> str:
    """What grlc does with a parameter: its value written as a term in place of every occurrence of the variable."""
    for var, term in values.items():
        text = text.replace(f"?{var}", term)
    return text


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_stays_valid_and_answers_alike_with_values_written_in_place(store: Store, name: str) -> None:
    """Parameters are never projected nor grouped by, so grlc's rewriting gives a valid query with kg's own rows."""
    query = catalog()[name]
    spec = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    bound = bind(store, query, spec.get("params", {}))
    rewritten = _grlc_rewrite(_without_header(query.text), {var: str(term) for var, term in bound.items()})
    assert not any(f"?{p.var}" in rewritten for p in query.parameters)
    expected = run_query(store, name, spec.get("params", {}))
    got = store.query(rewritten)
    assert got.vars == expected.vars
    assert sorted(map(str, got.rows)) == sorted(map(str, expected.rows))
    assert len(expected) > 0 or not spec["rows"]  # a comparison of two empty answers only where none is expected


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    return str_value(term)


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_gives_its_expected_answer(store: Store, name: str) -> None:
    spec = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    result = run_query(store, name, spec.get("params", {}))
    assert result.kind == "select"
    columns = [result.vars.index(c) for c in spec["columns"]]
    got = [tuple(_cell(row[i]) for i in columns) for row in result.rows]
    expected = {tuple(r) for r in spec["rows"]}
    if spec.get("subset"):
        assert expected <= set(got), sorted(expected - set(got))
    else:
        assert set(got) == expected
    if "count" in spec:
        assert len(got) == spec["count"]
    if "first" in spec:
        assert got[0][: len(spec["first"])] == tuple(spec["first"])


MODEL_ENTERPRISES = (
    "SELECT ?m ?e WHERE { ?m a sce:SocialCommerceModel ; sce:representedBy/schema:parentOrganization? ?e }"
)


# Every seat SOURCES.md gives for an enterprise the graph holds, with the address of each source that gives it;
# checked by hand against ../shared/design/SOURCES.md. (Xingyin's "(Shanghai)" is part of a name; PDD Holdings' Dublin
# is the "principal executive offices" of its filings, not its headquarters, which the company says stay in Shanghai.)
SEATS = {
    (
        "id:pdd-holdings",
        "id:shanghai",
        "https://asiantechpress.com/pinduoduo-denies-moving-headquarters-from-china-to-ireland.html",
    ),
    ("id:pinduoduo", "id:shanghai", "https://cryer.org.uk/Pinduoduo"),
    ("id:suning-com", "id:nanjing", "https://en.wikipedia.org/wiki/Suning.com"),
    (
        "id:jd-com",
        "id:beijing",
        "https://technode.com/2019/07/31/jd-spins-off-group-buying-platform-as-pinduoduo-competition-intensifies/",
    ),
    ("id:youzan", "id:hangzhou", "https://blakeir.com/abridged-youzan-deep-dive"),
    ("id:beibei-group", "id:hangzhou", "https://80kuku.com/itzs/286575.shtml"),
    ("id:gegejia", "id:hangzhou", "https://eqbang.com/dzsw/7422918.html"),
    ("id:gegejia", "id:hangzhou", "https://caijied.cn/jingji/arc5090.html"),
    ("id:huasheng-riji-network", "id:guangzhou", "https://news.jingpinquan.com/news/show-29820.html"),
    ("id:bytedance", "id:beijing", "https://en.wikipedia.org/wiki/ByteDance"),
    ("id:mogujie", "id:hangzhou", "https://www.capitalwatch.com/article-3141-1.html"),
    ("id:thinking-creation", "id:beijing", "https://www.laitimes.com/en/article/3ke5s_4136i.html"),
    ("id:yunji", "id:hangzhou", "http://pdf.dfcfw.com/pdf/H2_AN201905041326422523_1.html"),
    ("id:aikucun", "id:shanghai", "https://shine.cn/biz/tech/2006059616"),
    ("id:koudai-shopping", "id:beijing", "https://technode.com/2018/04/25/micro-shop-weidian-staff/"),
    (
        "id:hunan-xingsheng-youxuan",
        "id:changsha",
        "https://www.caixinglobal.com/2020-12-12/jdcom-increases-presence-in-virtual-supermarket-aisle-101638672.html",
    ),
    (
        "id:hunan-xingsheng-youxuan",
        "id:changsha",
        "https://amp.kr-asia.com/jd-pours-usd-700-million-into-xingsheng-as-neighborhood-group-buying-draws-attention-from-state",
    ),
}


def test_every_seat_the_sources_give_is_held_with_its_source(store: Store) -> None:
    every = run_query(store, "enterprise-seats").records()
    got = [(curie(str_value(r["enterprise"])), curie(str_value(r["place"])), str_value(r["url"])) for r in every]
    assert set(got) == SEATS and len(got) == len(SEATS)
    places = store.select("SELECT ?p ?en ?zh WHERE { ?e schema:location ?p . ?p a schema:City ; rdfs:label ?en , ?zh "
                          "FILTER (LANGMATCHES(LANG(?en), 'en') && LANGMATCHES(LANG(?zh), 'zh-Hans')) }")  # fmt: skip
    assert {curie(r["p"].value) for r in places} == {place for _, place, _ in SEATS}


def test_the_seats_of_a_model_are_those_of_its_enterprises_and_their_operators(store: Store) -> None:
    """enterprise-seats with a model gives the rows of the whole answer whose enterprise that model reaches."""
    every = run_query(store, "enterprise-seats")
    reached: dict[str, set[str]] = {}
    for row in store.select(MODEL_ENTERPRISES):
        reached.setdefault(row["m"].value, set()).add(row["e"].value)
    assert len(reached) == 4
    for model, enterprises in reached.items():
        rows = run_query(store, "enterprise-seats", {"model": model}).rows
        assert sorted(map(str, rows)) == sorted(str(r) for r in every.rows if r[0].value in enterprises), model
    assert sum(len(run_query(store, "enterprise-seats", {"model": m}).rows) for m in reached) >= len(every) > 0


def test_pdd_holdings_offices_in_dublin_are_a_dated_restructuring_not_a_seat(store: Store) -> None:
    """SOURCES.md (corrected 2026-12-03): PDD Holdings' filings from 2023 give Dublin as its "principal executive
    offices" (quarterlytics' 20-F); its headquarters stay in Shanghai (asiantechpress); no "legal domicile" moved."""
    rows = run_query(store, "timeline", {"model": "拼购型"}).records()
    moves = [(str_value(r["date"]), curie(str_value(r["kind"])), curie(str_value(r["enterprise"])), str_value(r["url"]))
             for r in rows if curie(str_value(r["item"])) == "id:event-pdd-offices-dublin"]  # fmt: skip
    url = "https://quarterlytics.com/company/pdd-holdings_pdd/annual-report-2022/"
    assert moves == [("2023", "id:restructuring", "id:pdd-holdings", url)]
    assert not store.ask("ASK { ?e schema:location ?dublin }", dublin=ox.NamedNode(ID.term("dublin")))


def test_a_parameter_follows_grlc_naming() -> None:
    assert parse_parameter("_model_iri") is not None
    optional = parse_parameter("__lang_en")
    assert optional is not None and not optional.required and optional.kind == "en" and optional.name == "lang"
    typed = parse_parameter("_limit_integer")
    assert typed is not None and typed.kind == "integer"
    assert parse_parameter("model") is None


def test_a_bare_identifier_names_its_node(store: Store) -> None:
    assert resolve(store, "community-group-buying") == ID.term("community-group-buying")


@pytest.mark.parametrize(
    "word",
    ["Aauto Faster", "kuaishou", "KUAISHOU", "  Kuaishou ", "快手", "id:kuaishou", ID.kuaishou, f"<{ID.kuaishou}>",
     "aauto  faster"],
)  # fmt: skip
def test_any_name_of_kuaishou_leads_to_it(store: Store, word: str) -> None:
    assert resolve(store, word) == ID.kuaishou


def test_an_unknown_name_lists_the_closest(store: Store) -> None:
    with pytest.raises(KGError, match=r"nothing in the graph is named 'Kuaishuo'; closest: 'kuaishou'"):
        resolve(store, "Kuaishuo")


def test_a_name_shared_by_two_nodes_lists_both(tmp_path: Path) -> None:
    extra = tmp_path / "twin.ttl"
    extra.write_text('<https://w3id.org/sce/id/twin> <http://www.w3.org/2000/01/rdf-schema#label> "Kuaishou"@en .\n')
    with pytest.raises(KGError, match=r"'kuaishou' names 2 nodes: id:kuaishou, id:twin"):
        resolve(open_store(data=[extra]), "kuaishou")


def test_an_unknown_iri_is_an_error(store: Store) -> None:
    with pytest.raises(KGError, match="no node id:nowhere in the graph"):
        resolve(store, "id:nowhere")


def test_unknown_query_missing_and_unknown_parameters(store: Store) -> None:
    with pytest.raises(KGError, match="unknown query 'model-profil'; did you mean model-profile"):
        run_query(store, "model-profil")
    with pytest.raises(KGError, match="needs the parameter 'model'; it takes: model \\(iri\\)"):
        run_query(store, "model-profile")
    with pytest.raises(KGError, match="has no parameter 'colour'; it takes: model \\(iri\\)"):
        run_query(store, "model-profile", {"model": "content", "colour": "red"})


BREAKOUTS = [
    'Kuaishou" } ; DROP ALL ; #',
    "Kuaishou' } UNION { ?s ?p ?o } #",
    "id:kuaishou> } SELECT * WHERE { ?s ?p ?o",
    "https://w3id.org/sce/id/kuaishou> . ?x ?y ?z . <http://x",
    "Kuaishou\n} SELECT * { ?s ?p ?o }",
    "Kuaishou # comment",
    "content } ; SELECT * WHERE { ?s ?p ?o }",
    '" . } INSERT DATA { <http://evil/> <http://evil/> "x" } #',
    "Kuaishou\\u0022 } SELECT * { ?s ?p ?o } #",
    'Kuaishou\\\\" } #',
    'Kuaishou\\" ) } } SELECT * WHERE { ?s ?p ?o } #',
]


@pytest.mark.parametrize("value", BREAKOUTS)
def test_an_iri_parameter_cannot_break_out(value: str) -> None:
    store = open_store()
    before = len(store)
    with pytest.raises(KGError):
        run_query(store, "enterprise-model", {"enterprise": value})
    assert len(store) == before


@pytest.mark.parametrize("value", BREAKOUTS)
def test_a_literal_parameter_is_only_ever_a_literal(value: str) -> None:
    store = open_store()
    before = len(store)
    assert run_query(store, "search", {"text": value}).rows == []  # no name contains these strings
    echo = run_query(store, "echo", {"text": value}, folder=DATA / "queries")
    assert echo.rows == [(ox.Literal(value),)]
    assert len(store) == before


def test_a_literal_parameter_matches_what_it_says(store: Store) -> None:
    rows = run_query(store, "search", {"text": "快"}).rows
    assert {curie(r[0].value) for r in rows} >= {"id:kuaishou", "id:kuaishou-technology", "id:household-fmcg"}


def test_service_is_refused_unless_allowed() -> None:
    with pytest.raises(InputError, match=r"query:2:5: SERVICE would reach out to the network"):
        check_network_reach("SELECT * WHERE {\n    SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", allow_service=False)
    check_network_reach("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", allow_service=True)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s rdfs:label "SERVICE" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "# SERVICE in a comment\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
    ],
)
def test_service_in_a_string_iri_comment_or_variable_is_not_refused(text: str) -> None:
    check_network_reach(text, allow_service=False)


def test_service_is_refused_in_any_case_and_spacing() -> None:
    with pytest.raises(InputError):
        check_network_reach("SELECT * { service\n<http://x/> { ?s ?p ?o } }", allow_service=False)
    with pytest.raises(InputError):
        run_query(open_store(), "SELECT * WHERE { SeRvIcE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_a_sparql_syntax_error_has_line_and_column(store: Store) -> None:
    with pytest.raises(InputError) as caught:
        run_query(store, "SELECT * WHERE {\n  ?s ?p \n}")
    assert (caught.value.line, caught.value.column) == (3, 1)  # the "}" where an object was expected
    assert str(caught.value).startswith("query:3:1: syntax error")


def test_the_result_api(store: Store) -> None:
    result = run_query(store, "models")
    assert isinstance(result, Result)
    assert len(result) == 4 and result.vars[0] == "model"
    assert {curie(t.value) for t in result.column("model") if t is not None} == {
        "id:group-buying", "id:distribution", "id:content", "id:community-group-buying"}  # fmt: skip
    frame = result.to_dataframe()
    assert list(frame.columns) == result.vars and len(frame) == 4
    graph = run_query(store, "CONSTRUCT { ?m a sce:SocialCommerceModel } WHERE { ?m a sce:SocialCommerceModel }").graph
    assert len(graph) == 4


def test_queries_folder_is_found() -> None:
    assert (queries_dir() / "models.rq").exists()
