"""networkx to one self-contained HTML page: structure, safety, layout speed, and the render command."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.layout import layout
from kg.network import from_store
from kg.render import PHYSICS_LIMIT, network_data, render_html, script_json
from kg.stores import Store

from .conftest import DATA


class Page(HTMLParser):
    """The tags, attributes and script texts of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def xss_graph() -> nx.MultiDiGraph:
    store = Store()
    store.load(DATA / "render_xss.ttl")
    return from_store(store)


def test_page_is_self_contained(store: Store) -> None:
    page = Page(render_html(from_store(store), title="t"))
    assert [t for t, a in page.tags if t == "link" or "src" in a or (t == "a" and "href" in a)] == []
    assert [t for t, a in page.tags if t == "script" and "src" in a] == []
    assert len(page.scripts) == 3
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0] or "") and "unsafe-inline" not in (csp[0] or "").split("style")[0]


def test_embedded_data_matches_the_graph(store: Store) -> None:
    graph = from_store(store)
    page = Page(render_html(graph))
    data = json.loads(page.scripts[0])
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    assert data["details"]["https://w3id.org/sce/id/kuaishou"]["label_zh"] == "快手"


def test_no_payload_reaches_the_page_as_markup() -> None:
    text = render_html(xss_graph(), title="<script>alert(1)</script>", query="</pre><script>x()</script>")
    page = Page(text)
    assert len(page.scripts) == 3, "the data cannot close its script element"
    assert text.lower().count("</script") == 3
    assert "<img src=x" not in text and "<svg" not in text and "<iframe" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    details = json.loads(page.scripts[0])["details"]
    assert details["https://example.org/xss/img"]["label_en"] == "<img src=x onerror=\"window.__pwned='img'\">"


def test_script_json_escapes_what_could_end_a_script() -> None:
    text = script_json({"k": "</script><!-- \u2028 &"})
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == {"k": "</script><!-- \u2028 &"}


def test_small_graphs_settle_with_physics_large_ones_get_positions() -> None:
    small = network_data(nx.MultiDiGraph(nx.path_graph(10)))
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]
    big = network_data(nx.MultiDiGraph(nx.path_graph(PHYSICS_LIMIT)))
    assert big["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in big["nodes"])


def test_layout_of_two_thousand_nodes_is_spread() -> None:
    """Its speed (0.3 s of CPU against networkx's 15 s) is measured by bench/layout.py, not here."""
    graph = nx.barabasi_albert_graph(2000, 2, seed=1)
    graph.add_edges_from((i, 2000 + i) for i in range(300))
    pos = layout(graph)
    assert len(pos) == graph.number_of_nodes()
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.95 * len(pos), "nodes must not pile up"
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in graph.edges())
    assert 20 < lengths[len(lengths) // 2] < 400


def test_layout_is_deterministic_and_handles_parts() -> None:
    graph = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    graph.add_node("lonely")
    assert layout(graph) == layout(graph)
    assert len(set(layout(graph).values())) == 6


def test_render_command_writes_the_whole_graph(runner: CliRunner, tmp_path: Path, store: Store) -> None:
    out = tmp_path / "g.html"
    result = runner.invoke(main, ["render", "--output", str(out), "--lang", "zh-Hans"])
    assert result.exit_code == 0, result.output
    nodes = from_store(store).number_of_nodes()
    assert result.output == f"{out}：{nodes} 个节点，{from_store(store).number_of_edges()} 条连线\n"  # in Chinese too
    data = json.loads(Page(out.read_text(encoding="utf-8")).scripts[0])
    assert data["lang"] == "zh-Hans" and "快手" in {n["label"] for n in data["nodes"]}


def test_render_command_draws_a_named_query(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    result = runner.invoke(main, ["render", "model-profile", "-p", "model=内容型", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "<title>The profile of one model</title>" in text and "VALUES (?order ?dimension ?property)" in text
    data = json.loads(Page(text).scripts[0])
    # the model and its 20 values: 6 enterprises of the seed and 3 from public sources (Douyin and Kuaishou e-commerce,
    # WeChat Channels)
    assert "https://w3id.org/sce/id/kuaishou" in data["details"] and len(data["nodes"]) == 21


def test_render_command_with_sparql_and_data(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), 'https://example.org/xss/')) }"
    args = ["--data", str(DATA / "render_xss.ttl"), "render", "--sparql", query, "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(": 3 nodes, 2 links\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "--sparql", "ASK { ?s ?p ?o }"], "ASK"),
        (["render", "--sparql", "SELECT ?x WHERE { ?x ?y }"], "query:1:"),
        (["render", "no-such-query-name"], "no-such-query-name"),
    ],
)
def test_render_command_errors_are_one_line(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "e.html")])
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "e.html").exists()


def test_the_whole_graph_opens_on_its_overview_and_an_answer_on_itself(runner: CliRunner, tmp_path: Path) -> None:
    whole, answer = tmp_path / "g.html", tmp_path / "a.html"
    assert runner.invoke(main, ["render", "-o", str(whole)]).exit_code == 0
    assert runner.invoke(main, ["render", "model-profile", "-p", "model=content", "-o", str(answer)]).exit_code == 0
    overview = json.loads(Page(whole.read_text(encoding="utf-8")).scripts[0])["overview"]
    assert {"fold:sources", "fold:events"} <= set(overview["folds"]) and len(overview["nodes"]) > 60
    assert json.loads(Page(answer.read_text(encoding="utf-8")).scripts[0])["overview"] == {}


@pytest.mark.parametrize(
    ("args", "title"),
    [([], "社交电商知识图谱"), (["model-profile", "-p", "model=content"], "某种模式的概况"),
     (["--sparql", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1"], "查询结果")],
)  # fmt: skip
def test_the_title_and_buttons_are_chinese_with_chinese(
    runner: CliRunner, tmp_path: Path, args: list[str], title: str
) -> None:
    out = tmp_path / "g.html"
    result = runner.invoke(main, ["render", *args, "--lang", "zh-Hans", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in text and ">查找</button>" in text and 'placeholder="按任一名称查找节点"' in text
    assert "Find" not in text.split("<script")[0] and "nodes ·" not in text.split("<script")[0]
