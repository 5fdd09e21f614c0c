"""The query page at ``/query`` and the API docs at ``/docs``, for browsers.

The query page is YASGUI (vendored, ``static/vendor/yasgui``) asking this server's ``/sparql``, with the named queries
of ``queries/`` as a menu whose form runs ``/api/NAME`` (their summaries and descriptions in the page's language),
results as YASR's table (IRIs shown by their labels in the reader's language, columns titled as the CLI titles them),
as a graph drawn with vis-network in the renderer's look (``static/yasr-graph.js``), as a timeline or a chart
(``static/yasr-views.js``), and downloads in every format the server writes. Its header links the site's pages.
The API docs are Swagger UI (vendored, ``static/vendor/swagger-ui``) over ``/openapi.json``. Neither page asks any
other host for anything.

Both pages come from templates with autoescape. Their scripts are static files and the data they need travels in a
``<script type="application/json">`` element, so the strict policy of :mod:`kg.serve.web` holds: ``script-src 'self'``,
no inline script.

>>> prefers_html("text/html,application/xhtml+xml,*/*;q=0.8"), prefers_html("*/*"), prefers_html("")
(True, False, False)
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from ..catalog import catalog, in_language
from ..lang import is_chinese
from ..results import WRITERS
from ..sparqltext import query_form
from ..styles import CLASS_STYLES, NO_CLASS, SPARE_STYLES
from ..vocab import BASE, PREFIXES
from .negotiate import parse_accept
from .openapi import docs_config
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
#: The one style attribute of YASQE 4.6.2: the editor's tooltip over a line it cannot parse underlines each token it
#: expects (``<strong style='text-decoration:underline'>``), by the hash of the attribute's value. Only a policy with
#: ``'unsafe-hashes'`` lets a style attribute in by its hash (CSP Level 3); no other attribute passes.
TOOLTIP_STYLES = ("sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk=",)  # text-decoration:underline
#: The query page's policy: the shared one, with the grips' two styles and the tooltip's attribute named by their
#: hashes; nothing else inline.
QUERY_CSP = CSP.replace(
    "style-src 'self'",
    "style-src 'self' 'unsafe-hashes' " + " ".join(f"'{h}'" for h in GRIP_STYLES + TOOLTIP_STYLES),
)

#: Short names of the server's formats for the download buttons (the writers' names otherwise).
FORMAT_LABELS = {
    "json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "markdown": "Markdown", "html": "HTML",
    "table": "Text", "turtle": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML", "xlsx": "Excel",
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
        "share": "Share",
        "share_hint": "The address of what is on screen: open it anywhere for the same answer.",
        "copied": "Address copied",
        "timeline": "Timeline",
        "chart": "Chart",
        "bar": "Bars",
        "line": "Line",
        "no_links": "The graph holds no links between the nodes of this answer.",
        "undated": "no date",
        "tab_pattern": "Query",
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
        "response_time": "响应用时 {s} 秒",
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
        "share": "分享",
        "share_hint": "当前所见内容的地址：在任何地方打开都得到同样的结果。",
        "copied": "地址已复制",
        "timeline": "时间线",
        "chart": "图表",
        "bar": "柱状",
        "line": "折线",
        "no_links": "图谱中没有连接本结果各节点的关系。",
        "undated": "无日期",
        "tab_pattern": "查询",
    },
}

#: YASGUI's and YASR's own words (4.6.2) as a reader meets them, and what the Chinese page says instead. The page
#: translates them where they are drawn (``static/query.js``), around the vendored bundle, which stays as published.
YASGUI_ZH = {
    "Simple view": "简洁视图",
    "Ellipse": "截断长文本",
    "Filter query results": "筛选查询结果",
    "Page size: ": "每页行数：",
    "All": "全部",
    "Run query": "运行查询",
    "Share query": "分享查询",
    "Add tab": "新建标签页",
    "Add a new tab": "新建标签页",
    "Close tab": "关闭标签页",
    "New Tab": "新建标签页",
    "Rename Tab": "重命名标签页",
    "Copy Tab": "复制标签页",
    "Close Tab": "关闭标签页",
    "Close other tabs": "关闭其他标签页",
    "Undo close Tab": "撤销关闭标签页",
    "Download result": "下载结果",
    "Download Results": "下载结果",
    "Download not supported": "不支持下载",
    "Show all": "全部显示",
    "Shorten": "缩短",
    "cannot render result": "无法显示结果",
    "Unable to get response from endpoint. Possible reasons:": "无法从端点获得响应。可能的原因：",
    "Try query in a new browser window": "在新的浏览器窗口中重试查询",
    "Incorrect endpoint URL": "端点地址有误",
    "Endpoint is down": "端点不可用",
    "CORS-enabled": "已启用 CORS",
    "Response": "原始响应",
    "Table": "表格",
    "Query": "查询",
    "SPARQL endpoint": "SPARQL 端点",
    "Settings": "设置",
    "Open settings": "打开设置",
    "Close settings": "关闭设置",
    "Clear endpoint": "清除端点",
    "Request method": "请求方法",
    "Accept Headers": "Accept 请求头",
    "Ask / Select": "ASK / SELECT",
    "Construct / Describe": "CONSTRUCT / DESCRIBE",
    "Arguments": "参数",
    "Header Arguments": "请求头参数",
    "Default Graphs": "默认图",
    "Named Graphs": "命名图",
    "Delete": "删除",
    "Remove": "移除",
    'Press "enter" to add this endpoint': "按回车键添加此端点",
    "pagination": "分页",
    "True": "是",
    "False": "否",
    "This line is invalid. Expected:": "此行有误，应为其中之一：",
    "the end of the query": "查询末尾",
    "This plugin doesn't have a help reference yet. Please contact the maintainer to fix this": "此视图暂无帮助文档",
}
#: YASGUI's words with a value inside, as patterns (``{0}`` the value; a value that is one of :data:`YASGUI_ZH`'s words
#: is said in Chinese too) and their Chinese. The page tries them in no set order: no two may match the same words.
YASGUI_ZH_PATTERNS = {
    "^([0-9]+) results? in ([0-9.]+) seconds?$": "{0} 条结果，用时 {1} 秒",
    "^([0-9]+) results?$": "{0} 条结果",
    "^Response in ([0-9.]+) seconds?$": "响应用时 {0} 秒",
    "^Shows (.+) view$": "显示{0}视图",
    "^View documentation of (.+)$": "查看{0}的文档",
    "^Query ([0-9]+)$": "查询 {0}",
    # The server's refusals of a query (kg.sparqltext, pyoxigraph's parser) as the error view shows them.
    "^query:([0-9]+):([0-9]+): syntax error: found (.+), expected one of (.+)$": (
        "查询第 {0} 行第 {1} 列语法错误：遇到 {2}，应为其中之一：{3}"
    ),
    "^query:([0-9]+):([0-9]+): syntax error: found ((?:(?!, expected one of ).)+)$": (
        "查询第 {0} 行第 {1} 列语法错误：遇到 {2}"
    ),
    "^query:([0-9]+): syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE$": (
        "查询第 {0} 行语法错误：没有 SELECT、ASK、CONSTRUCT 或 DESCRIBE"
    ),
    "^query:([0-9]+):([0-9]+): SERVICE would reach out to the network; pass --allow-service to permit it$": (
        "查询第 {0} 行第 {1} 列：SERVICE 会访问外部网络；服务须以 --allow-service 启动才允许"
    ),
}
#: DataTables' words (the table's pages and counts) in Chinese; English is its own.
DATATABLES_ZH = {
    "sEmptyTable": "表中没有数据",
    "sInfo": "第 _START_ 至 _END_ 行，共 _TOTAL_ 行",
    "sInfoEmpty": "共 0 行",
    "sInfoFiltered": "（从 _MAX_ 行中筛选）",
    "sLengthMenu": "每页 _MENU_ 行",
    "sLoadingRecords": "加载中…",
    "sProcessing": "处理中…",
    "sSearch": "搜索：",
    "sZeroRecords": "没有匹配的结果",
    "oPaginate": {"sFirst": "«", "sLast": "»", "sNext": "›", "sPrevious": "‹"},
    "oAria": {
        "sSortAscending": "：升序排列",
        "sSortDescending": "：降序排列",
        "orderable": "：点击排序",
        "orderableReverse": "：点击反向排序",
        "orderableRemove": "：点击取消排序",
        "paginate": {"first": "第一页", "last": "最后一页", "next": "下一页", "previous": "上一页", "number": ""},
    },
    "entries": {"_": "行", "1": "行"},
    "lengthLabels": {"-1": "全部"},
}

#: Column headers of the named queries' answers in Chinese, by variable name without its language suffix (``_en``,
#: ``_zh``); a name not listed shows as written, its underscores as spaces.
COLUMNS_ZH = {
    "enterprise": "企业", "dimension": "维度", "name": "名称", "model": "模式", "text": "文本", "via": "经由",
    "url": "网址", "category": "品类", "source_title": "来源标题", "value": "值", "tie": "关系纽带", "role": "角色",
    "place": "地点", "parent": "母公司", "node": "节点", "item": "条目", "event": "事件", "date": "日期",
    "class": "类别", "channel": "渠道", "chain": "路径", "source": "来源", "shared": "共有", "operates": "运营",
    "kind": "类型",
    "in": "所属", "definition": "定义", "broader": "上位", "ticker": "股票代码", "status": "状态",
    "seed_wording": "种子原文", "seed_spelling": "种子拼写", "relation": "关系", "publisher": "发布者",
    "published": "发布日期", "property": "属性", "models": "模式", "model_a": "模式甲", "model_b": "模式乙",
    "missing": "缺少", "matched": "匹配", "listed": "上市", "length": "长度", "graph": "图", "fine_yuan": "罚款（元）",
    "evidence": "证据", "authority": "处罚机关", "label": "名称", "from_links": "来自的连接", "to_links": "指向的连接",
    "content": "内容型", "distribution": "分销型", "group_buying": "拼购型", "community_group_buying": "社区团购型",
}  # fmt: skip

#: The query the editor starts with, after the prefixes it uses: the four models with their labels.
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
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # late: importing jinja2 costs ~25 ms

    from ..render import TEMPLATES  # late: importing kg.render costs ~388 ms

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def _formats(lang: str) -> dict[str, list[dict[str, str]]]:
    """The server's formats for each kind of result: name, label (in ``lang`` where it is a word), media type and file
    ending."""
    labels = {**FORMAT_LABELS, "table": "文本"} if lang == "zh" else FORMAT_LABELS
    return {
        kind: [
            {"name": w.name, "label": labels.get(w.name, w.name), "media": w.media_type, "ending": w.endings[0]}
            for w in WRITERS.values()
            if kind in w.kinds
        ]
        for kind in ("select", "ask", "graph")
    }


@cache
def _queries(lang: str) -> list[dict[str, Any]]:
    """The named queries as the menu shows them, their summaries and descriptions in ``lang`` (English where a query
    has no Chinese), and, in Chinese, the titles of their columns (``#+ columns_zh``), as the CLI's tables have them."""

    return [
        {
            "name": q.name,
            "summary": in_language(q, lang)[0],
            "description": in_language(q, lang)[1],
            "kind": query_form(q.text),
            "text": q.text,
            "view": q.default_view,
            "columns": dict(q.columns_zh) if is_chinese(lang) else {},
            "parameters": [{"name": p.name, "kind": p.kind, "required": p.required} for p in q.parameters],
        }
        for q in catalog().values()
    ]


def _styles() -> dict[str, Any]:
    """The renderer's colours and shapes by class, for the graph view."""

    return {"classes": CLASS_STYLES, "spare": SPARE_STYLES, "none": NO_CLASS}


def _pages() -> dict[str, Any]:
    """Where the project's IRIs live on this server (``kg.serve.pages``), for links to their pages."""
    from .labels import SPACES  # late: importing kg.serve.labels costs ~5 ms

    return {"base": BASE, "spaces": SPACES}


def used_prefixes(query: str) -> str:
    r"""The ``PREFIX`` lines of the known prefixes that ``query`` uses, and no others (the editor does not open on a
    page of them).

    >>> used_prefixes("SELECT ?m WHERE { ?m a sce:SocialCommerceModel }")
    'PREFIX sce: <https://w3id.org/sce/ontology#>\n'
    """

    return "".join(
        f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if re.search(rf"(?<![\w:]){name}:", query)
    )


def config(request: Request, lang: str) -> dict[str, Any]:
    """What the query page's scripts need: endpoint, words (its own, YASGUI's and DataTables' in the page's
    language), prefixes, named queries, formats, class styles, where the pages of IRIs are."""
    return {
        "endpoint": str(request.url_for("sparql")),
        "api": str(request.base_url).rstrip("/") + "/api/",
        "lang": lang,
        "strings": STRINGS[lang],
        "ui": YASGUI_ZH if lang == "zh" else {},
        "ui_patterns": YASGUI_ZH_PATTERNS if lang == "zh" else {},
        "datatables": DATATABLES_ZH if lang == "zh" else None,
        "columns": COLUMNS_ZH if lang == "zh" else {},
        "prefixes": PREFIXES,
        "start": used_prefixes(START_QUERY) + "\n" + START_QUERY,
        "queries": _queries(lang),
        "formats": _formats(lang),
        "styles": _styles(),
        "pages": _pages(),
    }


def _html(template: str, lang: str, **values: Any) -> str:
    """The page ``template`` in ``lang``, with ``values``."""
    return str(_environment().get_template(template).render(lang=lang, t=STRINGS[lang], **values))


async def query_page(request: Request) -> Response:
    """The query page, in the reader's language, its data in a JSON element that is safe inside ``<script>``."""

    from ..render import script_json  # late: importing kg.render costs ~388 ms
    from .pages import WORDS  # late: importing kg.serve.pages costs ~20 ms

    lang = language(request)
    data = Markup(script_json(config(request, lang)))
    return page(_html("query.html.j2", lang, config_json=data, w=WORDS[lang]), request, csp=QUERY_CSP)


async def docs_page(request: Request) -> Response:
    """Swagger UI over ``/openapi.json`` in the reader's language (:func:`kg.serve.openapi.docs_config`), in the
    shared policy."""

    from ..render import script_json  # late: importing kg.render costs ~388 ms

    lang = language(request)
    return page(_html("docs.html.j2", lang, config_json=Markup(script_json(docs_config(lang)))), request)
