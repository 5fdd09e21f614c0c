"""The query page at ``/`` and the API docs at ``/docs``, for browsers.

The query page is YASGUI (vendored, ``static/vendor/yasgui``) asking this server's ``/sparql``, with the named queries
of ``queries/`` as a menu whose form runs ``/api/NAME`` (their summaries and descriptions in the page's language),
results as YASR's table (IRIs shown by their labels in the reader's language) and as a graph drawn with vis-network in
the renderer's look (``static/yasr-graph.js``), and downloads in every format the server writes. The API docs are
Swagger UI (vendored, ``static/vendor/swagger-ui``) over ``/openapi.json``. Neither page asks any other host for
anything.

Both pages come from templates with autoescape. Their scripts are static files and the data they need travels in a
``<script type="application/json">`` element, so the strict policy of :mod:`kg.serve.web` holds: ``script-src 'self'``,
no inline script.

>>> prefers_html("text/html,application/xhtml+xml,*/*;q=0.8"), prefers_html("*/*"), prefers_html("")
(True, False, False)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..results import WRITERS
from ..vocab import PREFIXES
from .negotiate import parse_accept
from .web import CSP, language, page

#: The two ``<style>`` elements of YASGUI 4.6.2 that the query page lets in, by their hashes. YASR's table sizes its
#: columns with column-resizer, which adds the rules of its grips in a ``<style>`` of its own, and another setting the
#: cursor while a column is dragged (``*{cursor:col-resize!important}``). Measured in Chromium: they are the only inline
#: styles of the page; CodeMirror, DataTables and vis-network set styles through the DOM, which the policy allows. A
#: new YASGUI that writes other rules is caught by tests/test_querypage.py, which fails on any refusal the browser logs.
GRIP_STYLES = (
    "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",  # the grips' rules
    "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=",  # *{cursor:col-resize!important} while dragging
)
#: The query page's policy: the shared one, with the grips' two styles named by their hashes; nothing else inline.
QUERY_CSP = CSP.replace("style-src 'self'", "style-src 'self' " + " ".join(f"'{h}'" for h in GRIP_STYLES))

#: Short names of the server's formats for the download buttons (the writers' names otherwise).
FORMAT_LABELS = {
    "json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "markdown": "Markdown", "html": "HTML",
    "table": "Text", "turtle": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
}  # fmt: skip

#: The pages' own words, in English and Chinese.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Query the social e-commerce knowledge graph",
        "heading": "Social e-commerce knowledge graph",
        "docs": "API docs",
        "ontology": "Ontology",
        "void": "Dataset (VoID)",
        "query_page": "Query page",
        "named": "Named queries",
        "choose": "Choose a named query…",
        "run": "Run",
        "query_tab": "Query",
        "edit": "Open in the editor",
        "required": "required",
        "optional": "optional",
        "no_params": "No parameters.",
        "download": "Download as",
        "graph": "Graph",
        "table": "Table",
        "response": "Response",
        "running": "Running…",
        "failed": "The server answered",
        "nodes": "nodes",
        "too_many": "Too many nodes to draw here; the table and the downloads have them all:",
        "links": "links",
        "classes": "Classes",
        "properties": "Properties",
        "links_out": "Links out",
        "links_in": "Links in",
        "types": "Types",
        "open_page": "Open its page",
        "no_class": "(no class)",
        "language": "Language",
        "docs_title": "The HTTP API of the social e-commerce knowledge graph",
    },
    "zh": {
        "title": "查询社交电商知识图谱",
        "heading": "社交电商知识图谱",
        "docs": "API 文档",
        "ontology": "本体",
        "void": "数据集（VoID）",
        "query_page": "查询页面",
        "named": "命名查询",
        "choose": "选择一个命名查询…",
        "run": "运行",
        "query_tab": "查询",
        "edit": "在编辑器中打开",
        "required": "必填",
        "optional": "可选",
        "no_params": "无参数。",
        "download": "下载为",
        "graph": "图",
        "table": "表格",
        "response": "原始响应",
        "running": "运行中…",
        "failed": "服务器返回",
        "nodes": "个节点",
        "results": "{n} 条结果",
        "results_time": "{n} 条结果，用时 {s} 秒",
        "too_many": "节点太多，此处不绘制；表格和下载包含全部：",
        "links": "条连接",
        "classes": "类别",
        "properties": "属性",
        "links_out": "指向",
        "links_in": "来自",
        "types": "类型",
        "open_page": "打开其页面",
        "no_class": "(无类别)",
        "language": "语言",
        "docs_title": "社交电商知识图谱的 HTTP API",
    },
}

#: The query the editor starts with, after the known prefixes: the four models with their labels.
START_QUERY = """SELECT ?model ?label WHERE {
  ?model a sce:SocialCommerceModel ;
         rdfs:label ?label .
}
ORDER BY ?model ?label"""


def prefers_html(accept: str) -> bool:
    """Whether an ``Accept`` header names HTML and likes it at least as well as JSON (a browser's does; ``*/*`` and no
    header do not, so clients that take anything keep getting JSON)."""
    ranges = parse_accept(accept)
    html = max((q for media, q in ranges if media in ("text/html", "application/xhtml+xml")), default=0.0)
    json = max((q for media, q in ranges if media in ("application/json", "application/*", "*/*")), default=0.0)
    return html > 0 and html >= json


@cache
def _environment() -> Any:
    """The Jinja environment of the pages' templates (``kg/templates``), autoescape on."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..render import TEMPLATES

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def _formats() -> dict[str, list[dict[str, str]]]:
    """The server's formats for each kind of result: name, label, media type and file ending."""
    return {
        kind: [
            {"name": w.name, "label": FORMAT_LABELS.get(w.name, w.name), "media": w.media_type, "ending": w.endings[0]}
            for w in WRITERS.values()
            if kind in w.kinds
        ]
        for kind in ("select", "ask", "graph")
    }


@cache
def _queries(lang: str) -> list[dict[str, Any]]:
    """The named queries as the menu shows them, their summaries and descriptions in ``lang`` (English where a query
    has no Chinese)."""
    from ..catalog import catalog, in_language
    from ..sparqltext import query_form

    return [
        {
            "name": q.name,
            "summary": in_language(q, lang)[0],
            "description": in_language(q, lang)[1],
            "kind": query_form(q.text),
            "text": q.text,
            "parameters": [{"name": p.name, "kind": p.kind, "required": p.required} for p in q.parameters],
        }
        for q in catalog().values()
    ]


def _styles() -> dict[str, Any]:
    """The renderer's colours and shapes by class, for the graph view."""
    from ..render import CLASS_STYLES, NO_CLASS, SPARE_STYLES

    return {"classes": CLASS_STYLES, "spare": SPARE_STYLES, "none": NO_CLASS}


def _pages() -> dict[str, Any]:
    """Where the project's IRIs live on this server (``kg.serve.pages``), for links to their pages."""
    from ..vocab import BASE
    from .pages import SPACES

    return {"base": BASE, "spaces": SPACES}


def config(request: Request, lang: str) -> dict[str, Any]:
    """What the query page's scripts need: endpoint, words, prefixes, named queries, formats, class styles, where the
    pages of IRIs are."""
    prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    return {
        "endpoint": str(request.url_for("sparql")),
        "api": str(request.base_url).rstrip("/") + "/api/",
        "lang": lang,
        "strings": STRINGS[lang],
        "prefixes": PREFIXES,
        "start": prefixes + "\n" + START_QUERY,
        "queries": _queries(lang),
        "formats": _formats(),
        "styles": _styles(),
        "pages": _pages(),
    }


def _html(template: str, lang: str, **values: Any) -> str:
    """The page ``template`` in ``lang``, with ``values``."""
    return str(_environment().get_template(template).render(lang=lang, t=STRINGS[lang], **values))


async def query_page(request: Request) -> Response:
    """The query page, in the reader's language, its data in a JSON element that is safe inside ``<script>``."""
    from markupsafe import Markup

    from ..render import script_json

    lang = language(request)
    data = Markup(script_json(config(request, lang)))
    return page(_html("query.html.j2", lang, config_json=data), request, csp=QUERY_CSP)


async def docs_page(request: Request) -> Response:
    """Swagger UI over ``/openapi.json``, in the shared policy."""
    return page(_html("docs.html.j2", language(request)), request)
