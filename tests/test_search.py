"""Search: every name in both languages, ranked exact > prefix > contains > closest, one row per node; the same in
``kg search``, the Python API and (in test_browse.py) over HTTP."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import KGError
from kg.search import Index, search, suggestions
from kg.stores import GraphStore, open_store
from kg.vocab import ID, SCE


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return open_store()


@pytest.mark.parametrize(
    ("word", "node"),
    [
        ("拼多多", "pinduoduo"),
        ("Pinduoduo", "pinduoduo"),
        ("Aauto Faster", "kuaishou"),  # the seed's wording
        ("快手", "kuaishou"),
        ("  KUAISHOU ", "kuaishou"),
        ("Tik Tok", "douyin"),
        ("prosperity optimization", "xingsheng-youxuan"),
    ],
)
def test_a_name_in_either_language_or_the_seeds_wording_finds_its_node_first(
    store: GraphStore, word: str, node: str
) -> None:
    first = search(store, word)[0]
    assert (first.iri, first.match) == (ID.term(node), "exact")


def test_a_prefix_ranks_before_a_name_that_only_contains_the_text(store: GraphStore) -> None:
    hits = search(store, "拼多")
    assert hits[0].iri == ID.pinduoduo and hits[0].match == "prefix"
    kinds = [h.match for h in hits]
    assert kinds == sorted(kinds, key=["exact", "prefix", "contains", "closest"].index)
    assert "contains" in kinds  # e.g. 维基百科：拼多多


def test_each_node_comes_back_once_under_its_best_match(store: GraphStore) -> None:
    hits = search(store, "kuaishou", limit=50)
    iris = [h.iri for h in hits]
    assert len(iris) == len(set(iris))
    assert hits[0].iri == ID.kuaishou and hits[0].matched == "Kuaishou"


def test_a_misspelling_finds_the_closest_name(store: GraphStore) -> None:
    hits = search(store, "kuaishuo")
    assert [(h.iri, h.match) for h in hits][:1] == [(ID.kuaishou, "closest")]


def test_a_hit_carries_its_class_and_model(store: GraphStore) -> None:
    pinduoduo = search(store, "Pinduoduo")[0]
    assert pinduoduo.cls == SCE.Enterprise
    assert pinduoduo.models == (ID.term("group-buying"),)
    assert (pinduoduo.label_en, pinduoduo.label_zh) == ("Pinduoduo", "拼多多")
    price = search(store, "price-sensitive users")[0]
    assert price.models == (
        ID.term("community-group-buying"),
        ID.term("group-buying"),
    )  # one node that two models point at
    model = search(store, "内容型")[0]
    assert model.cls == SCE.SocialCommerceModel and model.models == (ID.content,)


def test_the_limit_holds(store: GraphStore) -> None:
    assert len(search(store, "a", limit=3)) == 3


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_empty_or_overlong_text_is_a_user_error(store: GraphStore, text: str) -> None:
    with pytest.raises(KGError):
        search(store, text)


def test_suggestions_complete_a_chinese_prefix_in_the_readers_language(store: GraphStore) -> None:
    offered = suggestions(store, "拼多", lang="zh-Hans")
    assert offered[0] == {
        "iri": ID.pinduoduo,
        "curie": "id:pinduoduo",
        "label": "拼多多",
        "matched": "拼多多",
        "class": "企业",
    }
    assert suggestions(store, "拼多", lang="en")[0]["label"] == "Pinduoduo"


def test_suggestions_offer_no_merely_close_names(store: GraphStore) -> None:
    assert suggestions(store, "kuaishuo") == []


def test_the_index_follows_a_store_that_changes() -> None:
    changing = open_store()
    assert search(changing, "Zzyzx Mart", closest=False) == []
    changing.update(
        'INSERT DATA { <https://example.org/z> <http://www.w3.org/2000/01/rdf-schema#label> "Zzyzx Mart"@en }'
    )
    assert [h.iri for h in search(changing, "zzyzx")] == ["https://example.org/z"]


def test_an_index_of_a_tiny_graph_ranks_by_kind_then_length() -> None:
    import pyoxigraph as ox

    from kg.stores import Store

    tiny = Store(ox.Store())
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for name, text in [("a", "tea house"), ("b", "tea"), ("c", "green tea"), ("d", "teahouse long name")]:
        tiny.engine.add(ox.Quad(ox.NamedNode(f"https://example.org/{name}"), label, ox.Literal(text)))
    found = Index.of(tiny).find("tea")
    assert [(h.iri[-1], h.match) for h in found] == [
        ("b", "exact"),
        ("a", "prefix"),
        ("d", "prefix"),
        ("c", "contains"),
    ]


def test_kg_search_prints_one_row_per_node_with_class_and_model() -> None:
    result = CliRunner().invoke(main, ["search", "拼多", "-n", "2", "--lang", "zh-Hans", "-f", "table"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["节点", "匹配的名称", "匹配方式", "类别", "模式"]  # one language: titles too
    assert lines[2].split() == ["拼多多", "拼多多", "开头一致", "企业", "拼购型"]
    assert lines[-1] == "（共 2 行）"


def test_kg_search_as_json_names_the_node_and_how_it_matched() -> None:
    result = CliRunner().invoke(main, ["search", "Aauto Faster", "-f", "json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["results"]["bindings"][0]
    assert first["node"]["value"] == ID.kuaishou
    assert (first["name"]["value"], first["match"]["value"]) == ("Kuaishou", "exact")
    assert first["model"]["value"] == ID.content


def test_kg_search_without_text_says_so_in_one_line() -> None:
    result = CliRunner().invoke(main, ["search", " "])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["kg: error: give some text to search for"]


def test_the_python_api_searches_in_its_language() -> None:
    result = kg.open(lang="zh-Hans").search("拼多", limit=1)
    assert [(row[0].value, row[1].value, row[3].value) for row in result] == [(ID.pinduoduo, "拼多多", "开头一致")]
