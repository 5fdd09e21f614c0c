"""The notebook face: a Result as an HTML table, drawings in an iframe that run offline, networkx views that pyvis
reads with labels, and the tour notebook run by a real Jupyter kernel."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg
from kg.errors import KGError
from kg.network import result_network
from kg.notebook import Drawing, NotebookResult, table_html
from kg.results import Result
from kg.vocab import ID, SCE

from .conftest import DATA
from .test_render import Page

EVIL = "https://example.org/notebook-xss/evil"


class Cells(HTMLParser):
    """The header and data cells of an HTML fragment, as text, with the attributes of each data cell."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.cells: list[tuple[str, dict[str, str | None]]] = []
        self.tags: list[str] = []
        self._cell: str | None = None
        self._open: list[str | dict[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._cell, self._open = tag, ["", dict(attrs)]

    def handle_endtag(self, tag: str) -> None:
        if tag == self._cell:
            text, attrs = str(self._open[0]), self._open[1]
            assert isinstance(attrs, dict)
            if tag == "th":
                self.headers.append(text)
            else:
                self.cells.append((text, attrs))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._open[0] = str(self._open[0]) + data


@pytest.fixture(scope="module")
def graph() -> kg.Graph:
    return kg.open()


@pytest.fixture(scope="module")
def hostile() -> kg.Graph:
    return kg.open(data=[DATA / "notebook_xss.ttl"])


# --- Tables ---------------------------------------------------------------------------------------------------------


def test_table_shows_labels_in_the_chosen_language(graph: kg.Graph) -> None:
    result = graph.query("enterprise-model", enterprise="快手")
    english = Cells(result._repr_html_())
    assert english.headers == result.vars
    assert ("content", {"title": ID.content}) in english.cells
    result.lang = "zh-Hans"
    chinese = Cells(result._repr_html_())
    assert ("内容型", {"title": ID.content}) in chinese.cells
    assert ("快手", {"lang": "zh-Hans"}) in chinese.cells


def test_a_graph_in_chinese_shows_chinese_labels(graph: kg.Graph) -> None:
    result = kg.open(lang="zh-Hans").query("SELECT ?m WHERE { ?m a sce:SocialCommerceModel } ORDER BY ?m")
    assert sorted(text for text, _ in Cells(result._repr_html_()).cells) == ["内容型", "分销型", "拼购型", "社区团购型"]


def test_table_escapes_hostile_labels_in_both_languages(hostile: kg.Graph) -> None:
    for lang, label in (("en", "</td><script>"), ("zh-Hans", "<img src=x onerror=")):
        result = hostile.query("SELECT ?e WHERE { id:content sce:representedBy ?e }")
        result.lang = lang
        fragment = result._repr_html_()
        assert "<script" not in fragment and "<img" not in fragment
        cells = Cells(fragment)
        assert set(cells.tags) <= {"style", "table", "thead", "tbody", "tr", "th", "td", "p"}
        evil = [text for text, attrs in cells.cells if attrs.get("title") == EVIL]
        assert len(evil) == 1 and evil[0].startswith(label)


def test_table_keeps_a_streaming_result_readable(graph: kg.Graph) -> None:
    result = graph.query("models")
    assert "unread" in repr(result)
    assert len(Cells(result._repr_html_()).cells) == 4 * len(result.vars)
    assert len(list(result)) == 4
    out = io.BytesIO()
    result.write(out, "csv")
    assert out.getvalue().count(b"\r\n") == 5


def test_table_of_ask_and_describe(graph: kg.Graph) -> None:
    assert [c for c, _ in Cells(graph.query("ASK { id:kuaishou a sce:Enterprise }")._repr_html_()).cells] == ["yes"]
    assert [c for c, _ in Cells(graph.query("ASK { id:kuaishou a sce:Model }")._repr_html_()).cells] == ["no"]
    described = graph.query("DESCRIBE id:kuaishou")
    cells = Cells(described._repr_html_())
    assert cells.headers == ["subject", "predicate", "object"]
    assert ("Kuaishou", {"title": ID.kuaishou}) in cells.cells
    assert len(cells.cells) == 3 * len(described.triples)


def test_table_without_a_store_shows_curies_and_counts_what_it_leaves_out() -> None:
    rows = [(ox.NamedNode(ID.term(f"n{i}")),) for i in range(250)]
    fragment = table_html(Result.select(["node"], rows))
    cells = Cells(fragment)
    assert cells.cells[0] == ("id:n0", {"title": ID.n0}) and len(cells.cells) == 200
    assert "(250 rows, the first 200 shown)" in fragment


def test_table_of_a_result_written_out_already_says_so(graph: kg.Graph) -> None:
    result = graph.query("models")
    result.write(io.BytesIO(), "json")
    assert "run the query again" in result._repr_html_()


# --- Drawings -------------------------------------------------------------------------------------------------------


def frame(drawing: Drawing) -> dict[str, str | None]:
    """The attributes of the one iframe a drawing shows as (srcdoc unescaped, as the browser reads it)."""
    page = Page(drawing._repr_html_())
    assert [t for t, _ in page.tags] == ["iframe"]
    return page.tags[0][1]


def assert_offline_page_under_csp(document: str) -> None:
    """The page fetches nothing and every inline script is one its Content-Security-Policy lets run by hash."""
    page = Page(document)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", document, re.IGNORECASE)
    assert [t for t, a in page.tags if "src" in a or t == "link"] == []
    csp = [a.get("content") or "" for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and "default-src 'none'" in csp[0] and "'unsafe-inline'" not in csp[0].split(";")[1]
    hashes = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp[0]))
    running = [s for s, (t, a) in zip(page.scripts, [x for x in page.tags if x[0] == "script"], strict=True)
               if a.get("type") != "application/json"]  # fmt: skip
    assert running and {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in running} == hashes
    assert "vis-network" in document and "window.kg" in document


def test_drawing_is_a_sized_sandboxed_iframe_holding_the_offline_page(graph: kg.Graph) -> None:
    drawing = graph.query("enterprise-model", enterprise="快手").draw(width=800, height="70vh")
    attrs = frame(drawing)
    assert attrs["srcdoc"] == drawing.page
    assert "width:800px;height:70vh" in (attrs["style"] or "")
    assert attrs["sandbox"] == "allow-scripts allow-forms"
    assert attrs["title"] == "The model an enterprise represents"
    assert_offline_page_under_csp(drawing.page)
    assert (drawing.nodes, drawing.edges) == (2, 1), "Kuaishou, the parameter, is drawn with its model"


def test_graph_draws_a_neighbourhood_and_the_whole(graph: kg.Graph) -> None:
    around = graph.draw("快手", lang="zh-Hans")
    assert around.nodes < graph.draw().nodes
    assert '<html lang="zh-Hans">' in around.page and "快手" in around.page
    assert_offline_page_under_csp(graph.draw().page)


def test_hostile_labels_stay_inside_the_frame_as_data(hostile: kg.Graph) -> None:
    drawing = hostile.query("SELECT ?e WHERE { id:content sce:representedBy ?e }").draw()
    shown = drawing._repr_html_()
    assert shown.count("<") == 2 and "<script" not in shown, "the notebook sees one iframe, nothing else"
    assert "</td><script>" not in drawing.page
    assert_offline_page_under_csp(drawing.page)


def test_drawing_saves_its_page(graph: kg.Graph, tmp_path: Path) -> None:
    drawing = graph.draw("Pinduoduo")
    path = drawing.save(tmp_path / "pdd.html")
    assert path.read_text(encoding="utf-8") == drawing.page


@pytest.mark.parametrize("size", ["100%;background:url(x)", "-5px", "", "1e3px", True])
def test_a_bad_size_is_refused(graph: kg.Graph, size: object) -> None:
    with pytest.raises(KGError, match="is not a size"):
        graph.query("models").draw(height=size)  # type: ignore[arg-type]


def test_what_cannot_be_drawn_says_why(graph: kg.Graph) -> None:
    with pytest.raises(KGError, match="ASK"):
        graph.query("ASK { ?s ?p ?o }").draw()
    with pytest.raises(KGError, match="store"):
        result_network(Result.select(["n"], [(ox.NamedNode(ID.kuaishou),)]), None)
    with pytest.raises(KGError, match="label language"):
        graph.draw(lang="fr")


# --- networkx for pyvis and Gephi ----------------------------------------------------------------------------------


def test_every_node_and_edge_has_a_label_and_a_title(graph: kg.Graph) -> None:
    network = graph.to_networkx()
    assert network.number_of_nodes() > 100 and network.number_of_edges() > 100
    for key, data in network.nodes(data=True):
        assert data["label"] and data["title"] and data["label"] != key
    for _, _, data in network.edges(data=True):
        assert data["label"] and data["title"]
    node = network.nodes[ID.kuaishou]
    assert node["label"] == "Kuaishou" and "快手" in node["title"] and "id:kuaishou" in node["title"]
    chinese = graph.to_networkx(lang="zh-Hans")
    assert chinese.nodes[ID.kuaishou]["label"] == "快手"
    link = (ID.content, ID.kuaishou, SCE.representedBy)
    assert (network.edges[link]["label"], chinese.edges[link]["label"]) == ("represented by", "代表企业")


def test_result_network_carries_labels(graph: kg.Graph) -> None:
    network = graph.query("DESCRIBE id:content").to_networkx(lang="zh-Hans")
    assert network.nodes[ID.content]["label"] == "内容型"
    assert all(d["label"] and d["title"] for _, _, d in network.edges(data=True))


def test_titles_hold_no_markup_for_pyvis_pages(hostile: kg.Graph) -> None:
    network = hostile.to_networkx(EVIL, lang="zh-Hans")
    assert network.nodes[EVIL]["label"].startswith("<img src=x"), "labels are drawn on a canvas, as text"
    assert all("<" not in d["title"] for _, d in network.nodes(data=True))
    assert "&lt;/td&gt;&lt;script&gt;" in network.nodes[EVIL]["title"]


def test_pyvis_from_nx_keeps_readable_labels(graph: kg.Graph) -> None:
    from pyvis.network import Network

    net = Network(directed=True)
    net.from_nx(graph.to_networkx("content"))
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes[ID.kuaishou]["label"] == "Kuaishou" and "enterprise" in nodes[ID.kuaishou]["title"]
    assert all(n["label"] and not n["label"].startswith("http") for n in net.nodes)
    labels = {(e["from"], e["to"]): e.get("label") for e in net.edges}
    assert labels[(ID.content, ID.kuaishou)] == "represented by"
    assert all(e.get("label") for e in net.edges)


# --- The tour, run by a real Jupyter kernel ---------------------------------------------------------------------------

TOUR = Path(__file__).resolve().parent.parent / "docs" / "tour.ipynb"
KERNEL = "kg-tour"


def run_tour(workdir: Path) -> Any:
    """The tour notebook executed cell by cell by an IPython kernel of this Python (its kernel spec written into
    ``workdir``, which is also the kernel's working directory), as nbclient runs notebooks."""
    import nbformat
    from nbclient import NotebookClient

    spec = workdir / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "kg", "language": "python"}))
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
    os.environ.update(
        JUPYTER_PATH=str(workdir / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        IPYTHONDIR=str(workdir / "ipython"),
    )
    try:
        notebook = nbformat.read(TOUR, as_version=4)
        client = NotebookClient(
            notebook, kernel_name=KERNEL, timeout=300, record_timing=False, resources={"metadata": {"path": workdir}}
        )
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def outputs(notebook: Any) -> list[list[dict[str, Any]]]:
    """Each code cell's outputs, without execution counts."""
    return [
        [{k: v for k, v in out.items() if k != "execution_count"} for out in cell.outputs]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return run_tour(tmp_path_factory.mktemp("tour"))


def html_of(cell_outputs: list[dict[str, Any]]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell_outputs)


def test_tour_runs_without_errors_and_shows_tables(tour: Any) -> None:
    cells = outputs(tour)
    assert all(o["output_type"] != "error" for c in cells for o in c)
    assert all(c for c in cells), "every code cell shows something"
    first = Cells(html_of(cells[1]))
    assert ("Kuaishou", {"lang": "en"}) in first.cells and ("快手", {"lang": "zh-Hans"}) in first.cells
    assert ("content", {"title": ID.content}) in first.cells
    assert ("内容型", {"title": ID.content}) in Cells(html_of(cells[2])).cells
    assert "Kuaishou,快手" in cells[3][0]["text"]
    assert ("邻里鲜", {"lang": "zh-Hans"}) in Cells(html_of(cells[8])).cells


def test_tour_drawing_is_an_offline_vis_network_page(tour: Any) -> None:
    shown = [html_of(c) for c in outputs(tour) if "<iframe" in html_of(c)]
    assert len(shown) == 1
    srcdoc = Page(shown[0]).tags[0][1]["srcdoc"] or ""
    assert "vis-network" in srcdoc and "内容型" in srcdoc
    assert not re.search(r"<script[^>]*\ssrc\s*=\s*[\"']?https?:", srcdoc, re.IGNORECASE)
    assert_offline_page_under_csp(srcdoc)


def test_tour_as_committed_shows_what_it_gives_when_run(tour: Any) -> None:
    import nbformat

    assert outputs(nbformat.read(TOUR, as_version=4)) == outputs(tour), "run: python -m tests.test_notebook"


if __name__ == "__main__":
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        nbformat.write(run_tour(Path(folder)), TOUR)
    print(f"{TOUR}: run and written with its outputs")


def test_readme_notebook_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = (TOUR.parent / "reference.md").read_text(encoding="utf-8")  # the README's reference, in docs/
    section = reference.split("## In a notebook", 1)[1].split("\n## ", 1)[0]
    assert "tour.ipynb" in section
    block = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(block) == 1
    monkeypatch.chdir(tmp_path)
    names: dict[str, Any] = {}
    exec(block[0], names)
    assert names["result"]._repr_html_().count("内容型") >= 1
    assert (tmp_path / "kuaishou.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert names["network"].nodes[ID.kuaishou]["label"] == "快手"


# --- Layers ----------------------------------------------------------------------------------------------------------


def test_a_result_holds_no_display_code_and_kg_open_answers_with_a_result_that_shows_itself(graph: kg.Graph) -> None:
    assert not {"_repr_html_", "draw", "to_networkx", "store", "lang"} & set(vars(Result))
    answer = graph.query("models")
    assert isinstance(answer, Result) and isinstance(answer, NotebookResult)
    assert answer.store is graph.store and answer.lang == "en"
    assert len(Cells(answer._repr_html_()).cells) == 4 * len(answer.vars)
