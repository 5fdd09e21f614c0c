"""Analytics: paths, comparison, similarity, centrality — answers checked by hand on the built-in graph and on
tests/data/analytics_extra.ttl (a made-up fifth model, "live commerce", that shares five links with content)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.analytics import compare, jaccard, path, view
from kg.cli import main
from kg.errors import KGError
from kg.stores import Store
from kg.vocab import ID, SCHEMA, SKOS

from .conftest import DATA

EXTRA = str(DATA / "analytics_extra.ttl")
PINDUODUO_TO_XIAOHONGSHU = (
    "Pinduoduo ← represented by ← group buying → core product → regional famous-brand products ← narrower ← "
    "famous brands ← core product ← content → represented by → Xiaohongshu"
)


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fails(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 2, result.output
    return result.output


# --- The analysis view ------------------------------------------------------------------------------------------------


def test_view_leaves_out_scheme_sources_and_classes(store: Store) -> None:
    graph = view(store)
    for hub in (ID.term("product-categories"), ID.term("seed-document"), ID.term("curation-notes")):
        assert hub not in graph
    assert not any(n.startswith("https://w3id.org/sce/ontology") for n in graph)
    assert {k for _, _, k in graph.edges(keys=True)} & {SKOS.inScheme, SKOS.hasTopConcept} == set()


def test_inverse_links_are_folded_into_the_one_the_data_uses(store: Store) -> None:
    graph = view(store)
    keys = {k for _, _, k in graph.edges(keys=True)}
    assert SKOS.broader not in keys and SKOS.narrower in keys
    # curation.ttl says "regional famous-brand products broader famous brands"
    assert graph.has_edge(ID.term("famous-brands"), ID.term("regional-famous-brand-products"), SKOS.narrower)


def test_inverse_links_keep_the_direction_the_data_states(runner: CliRunner) -> None:
    # sce.ttl declares "schema:subOrganization owl:inverseOf schema:parentOrganization"; the data only states
    # parentOrganization, so that is the one kept (an early version turned every parent link around).
    out = run(runner, "--data", EXTRA, "path", "Test Live Shop", "Douyin", "-f", "csv")
    assert out.splitlines() == [
        "path,length,chain",
        "1,2,Test Live Shop → parent organisation → ByteDance ← parent organisation ← Douyin",
    ]
    assert SCHEMA.subOrganization not in {k for _, _, k in view(kg.open(data=[EXTRA]).store).edges(keys=True)}


# --- kg path ----------------------------------------------------------------------------------------------------------


def test_path_pinduoduo_to_xiaohongshu_meets_at_famous_brands(runner: CliRunner) -> None:
    # Pinduoduo links only to group buying (and its operator), Xiaohongshu only to content. Group buying and content
    # share no neighbour; the one 3-link way between them is regional famous-brand products ⊂ famous brands.
    out = run(runner, "path", "Pinduoduo", "Xiaohongshu", "-f", "table")
    assert out.splitlines()[2] == f"1     5       {PINDUODUO_TO_XIAOHONGSHU}"
    assert out.endswith("(1 row)\n")


def test_path_in_chinese_and_by_chinese_names(store: Store) -> None:
    rows = path(store, "拼多多", "小红书", lang="zh-Hans").rows
    assert [r[2].value for r in rows] == [
        "拼多多 ← 代表企业 ← 拼购型 → 核心商品 → 区域性名牌产品 ← 下位品类 ← 名牌商品 "
        "← 核心商品 ← 内容型 → 代表企业 → 小红书"
    ]
    assert rows[0][2].language.lower() == "zh-hans"


def test_path_lists_every_shortest_path_up_to_max(store: Store) -> None:
    # group buying and distribution both involve the consumer role, and that is their only common neighbour
    two = path(store, "group buying", "distribution")
    assert [(r[1].value, r[2].value) for r in two] == [
        ("2", "group buying → involves role → consumer ← involves role ← distribution")
    ]
    # Douyin to Taobao Live: through content (2 links) only
    assert len(path(store, "Douyin", "Taobao Live", limit=5)) == 1
    # community group buying reaches distribution through consumer; price-sensitive users lead to group buying
    many = path(store, "Xingsheng Youxuan", "Beidian", limit=1)
    assert len(many) == 1 and many.rows[0][1].value == "4"


def test_path_json_gives_rows(runner: CliRunner) -> None:
    doc = json.loads(run(runner, "path", "Pinduoduo", "Xiaohongshu", "-f", "json"))
    assert doc["head"]["vars"] == ["path", "length", "chain"]
    binding = doc["results"]["bindings"][0]
    assert binding["length"]["value"] == "5" and binding["chain"]["value"] == PINDUODUO_TO_XIAOHONGSHU


def test_path_between_unconnected_nodes_has_no_rows(runner: CliRunner, tmp_path: Path) -> None:
    lonely = tmp_path / "lonely.ttl"
    lonely.write_text(
        "@prefix sce: <https://w3id.org/sce/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:x:lonely> a sce:Enterprise ; rdfs:label "Lonely Shop"@en .\n',
        encoding="utf-8",
    )
    out = run(runner, "--data", str(lonely), "path", "Lonely Shop", "Kuaishou", "-f", "csv")
    assert out.splitlines() == ["path,length,chain"]


def test_path_to_a_hub_or_an_unknown_name_is_one_error_line(runner: CliRunner) -> None:
    out = fails(runner, "path", "core product categories", "Kuaishou")
    assert "id:product-categories is not part of the network view" in out
    assert "nothing in the graph is named 'Nobody'" in fails(runner, "path", "Nobody", "Kuaishou")
    assert "Traceback" not in out


def test_path_html_draws_the_paths(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "path.html"
    out = run(runner, "path", "Pinduoduo", "Xiaohongshu", "--html", str(page), "-f", "csv")
    assert out.splitlines()[1] == f"1,5,{PINDUODUO_TO_XIAOHONGSHU}"
    text = page.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    for label in ("Pinduoduo", "famous brands", "Xiaohongshu"):
        assert label in text
    assert "Kuaishou" not in text, "only the nodes on the paths are drawn"


# --- kg compare -------------------------------------------------------------------------------------------------------


def test_compare_all_models_one_column_each(store: Store) -> None:
    result = compare(store)
    assert result.vars == ["dimension", "group_buying", "distribution", "content", "community_group_buying"]
    rows = {r[0].value: [v.value if v else None for v in r[1:]] for r in result}
    assert list(rows) == [
        "definition", "forms", "social chain", "social tie", "target users", "core products", "channels", "enterprises",
    ]  # fmt: skip
    assert rows["social tie"] == ["acquaintance social", "acquaintance social", "pan-social", "light social"]
    assert rows["target users"][0] == "price-sensitive users"
    assert rows["target users"][3] == "community residents; price-sensitive users"
    assert rows["channels"] == [None, None, "live streaming; short video",
                                "H5 page; mini program; WeChat group; WeChat service account"]  # fmt: skip
    # the seed's three, and JD Pingou and Taobao Deals from their sources
    assert rows["enterprises"][0] == "JD Pingou; Jingxi; Pinduoduo; Suning Pingou; Taobao Deals"
    assert rows["forms"][0] == "group purchase; invite friends to help; price chopping; share for mutual benefit"
    assert rows["definition"][2].startswith("Uses the fragmented spread")


def test_compare_named_models_in_chinese(runner: CliRunner) -> None:
    out = run(runner, "compare", "内容型", "拼购型", "--lang", "zh-Hans", "-f", "csv")
    lines = out.splitlines()
    assert lines[0] == "dimension,content,group_buying"
    assert "社交关系,泛社交,熟人社交" in lines
    assert "目标用户,兴趣与品质导向型用户,价格敏感型用户" in lines


def test_compare_markdown_names_models_in_the_header(runner: CliRunner) -> None:
    out = run(runner, "compare", "group buying", "content", "-f", "markdown")
    lines = out.splitlines()
    assert lines[:2] == ["| dimension | group buying | content |", "| --- | --- | --- |"]
    assert "| social tie | acquaintance social | pan-social |" in lines
    assert len(lines) == 10


def test_compare_html_by_file_ending_is_escaped(runner: CliRunner, tmp_path: Path) -> None:
    evil = tmp_path / "evil.ttl"
    evil.write_text(
        "@prefix sce: <https://w3id.org/sce/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:x:evil> a sce:SocialCommerceModel ; rdfs:label "<script>alert(1)</script>"@en ;\n'
        '    sce:targets <urn:x:users> .\n<urn:x:users> rdfs:label "a & b"@en .\n',
        encoding="utf-8",
    )
    page = tmp_path / "compare.html"
    run(runner, "--data", str(evil), "compare", "urn:x:evil", "content", "-o", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "<th>&lt;script&gt;alert(1)&lt;/script&gt;</th>" in text
    assert "<td>a &amp; b</td>" in text


def test_compare_with_data_file_adds_a_model(runner: CliRunner) -> None:
    out = run(runner, "--data", EXTRA, "compare", "-f", "csv")
    lines = out.splitlines()
    assert lines[0] == "dimension,group_buying,distribution,content,community_group_buying,live_commerce"
    assert lines[4].endswith(",pan-social,light social,pan-social")


def test_compare_refuses_what_is_not_a_model(runner: CliRunner) -> None:
    assert "Kuaishou (id:kuaishou) is not a social commerce model" in fails(runner, "compare", "Kuaishou")


def test_writers_escape_their_syntax() -> None:
    import pyoxigraph as ox

    from kg.results import Result

    result = Result.select(["a", "b"], [(ox.Literal("x | y\nz"), ox.Literal("<i>"))], title="<t>")
    assert result.serialize("markdown").splitlines()[2] == "| x \\| y z | <i> |"
    page = result.serialize("html")
    assert "<td>&lt;i&gt;</td>" in page and "<title>&lt;t&gt;</title>" in page


# --- kg similar -------------------------------------------------------------------------------------------------------


def test_similar_to_community_group_buying_is_group_buying(runner: CliRunner) -> None:
    # community group buying has 14 typed links, group buying 12; they share "targets price-sensitive users" and
    # "involves role consumer": 2 / (23 + 14 - 2) = 0.0571 (community group buying: 14 links from the seed and the
    # curation notes, 8 sourced enterprises and the 九不得 rules that regulate it; group buying: 12 and 2).
    # S2B2C (5 links, consumer) 1/27; distribution (17 and 5 sourced enterprises) 1/44.
    out = run(runner, "similar", "community group buying", "-f", "csv")
    assert out.splitlines() == [
        "node,class,jaccard,shared",
        f"{ID.term('group-buying')},https://w3id.org/sce/ontology#SocialCommerceModel,0.0571,"
        "consumer (involves role); price-sensitive users (targets)",
        f"{ID.s2b2c},https://w3id.org/sce/ontology#SupplyPattern,0.0370,consumer (involves role)",
        f"{ID.distribution},https://w3id.org/sce/ontology#SocialCommerceModel,0.0227,consumer (involves role)",
    ]


def test_similar_table_shows_labels_and_top_cuts(runner: CliRunner) -> None:
    out = run(runner, "similar", "社区团购型", "--top", "1", "--lang", "zh-Hans", "-f", "table")
    cells = out.splitlines()[2].split("  ")
    assert [c.strip() for c in cells if c.strip()] == [
        "拼购型",
        "社交电商模式",
        "0.0571",
        "价格敏感型用户 (目标用户); 消费者 (涉及角色)",
    ]
    assert out.endswith("（共 1 行）\n")


def test_similar_on_data_file(runner: CliRunner) -> None:
    # live commerce: 8 typed links; content: 18, and 3 sourced enterprises; shared: interest-driven users, cosmetics,
    # live streaming, short video, KOL — 5 / (8 + 21 - 5) = 0.2083, and nothing else shares a link with it.
    doc = json.loads(run(runner, "--data", EXTRA, "similar", "live commerce", "-f", "json"))
    rows = doc["results"]["bindings"]
    assert [(r["node"]["value"], r["jaccard"]["value"]) for r in rows] == [(ID.content, "0.2083")]
    assert rows[0]["jaccard"]["datatype"].endswith("#decimal")
    assert rows[0]["shared"]["value"].count(";") == 4 and "KOL (involves role)" in rows[0]["shared"]["value"]


def test_jaccard() -> None:
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard(set(), set()) == 0.0


# --- kg central -------------------------------------------------------------------------------------------------------


def test_central_top_nodes_are_the_models_and_the_shared_consumer(runner: CliRunner) -> None:
    out = run(runner, "central", "--top", "5", "-f", "csv")
    nodes = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert nodes[:3] == [ID.term("community-group-buying"), ID.distribution, ID.content]
    assert ID.consumer in nodes
    models = {ID.content, ID.distribution, ID.term("group-buying"), ID.term("community-group-buying")}
    assert set(nodes) - {ID.consumer} <= models
    # community group buying: 14 links from the seed and the curation notes, 8 enterprises from public sources, and
    # the 九不得 rules that regulate it (sce:regulates)
    assert out.splitlines()[1].endswith(",23")


def test_central_leaves_hubs_out(store: Store) -> None:
    listed = {row[0].value for row in kg.Graph(store).central(top=1000)}
    assert ID.term("product-categories") not in listed and ID.term("seed-document") not in listed
    assert not any(n.startswith("https://w3id.org/sce/ontology") for n in listed)


def test_central_by_class(runner: CliRunner) -> None:
    out = run(runner, "central", "--class", "social tie", "-f", "csv")
    rows = [line.split(",") for line in out.splitlines()[1:]]
    # acquaintance social joins two chains; light and pan-social are leaves (1 neighbour of 246 other nodes), by label
    assert [r[0] for r in rows] == [ID.term("acquaintance-social"), ID.term("light-social"), ID.term("pan-social")]
    assert rows[0][4] == "2" and float(rows[0][2]) > 0
    assert rows[1][2:] == rows[2][2:] == ["0.0000", "0.0041", "1"]
    assert "id:kuaishou is not a class" in fails(runner, "central", "--class", "Kuaishou")


def test_central_with_data_file_counts_the_new_model(runner: CliRunner) -> None:
    out = run(runner, "--data", EXTRA, "central", "--class", "sce:SocialCommerceModel", "-f", "csv")
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert len(rows) == 5
    assert rows["https://example.org/analytics-test/live-commerce"][4] == "8"


# --- Python API and start-up ------------------------------------------------------------------------------------------


def test_python_api_faces() -> None:
    graph = kg.open(data=[EXTRA])
    assert graph.similar("直播电商").rows[0][0].value == ID.content
    assert graph.path("Pinduoduo", "Xiaohongshu").rows[0][2].value == PINDUODUO_TO_XIAOHONGSHU
    assert graph.compare("live commerce").vars == ["dimension", "live_commerce"]
    assert graph.central(cls="user segment", top=1).rows[0][0].value == ID.term("price-sensitive-users")
    with pytest.raises(KGError):
        graph.similar("Nobody")


def test_analytics_commands_do_not_load_networkx_at_start() -> None:
    code = "import sys, kg.cli; print('networkx' in sys.modules, 'kg.analytics' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_every_analytics_command_has_help(runner: CliRunner) -> None:
    for command in ("path", "compare", "similar", "central"):
        assert main.commands[command].help, command
        assert "Usage:" in run(runner, command, "--help")
