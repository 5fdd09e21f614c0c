"""The OpenAPI 3.1 document of ``/api``: one GET operation per named query in ``queries/``, generated from them; and
the words of the API docs page (``/docs``, Swagger UI) in Chinese.

An operation's ``summary`` and ``description`` are the query's English; OpenAPI has one language, so its Chinese goes in
the extension fields ``x-summary-zh`` and ``x-description-zh``. Asked for in Chinese (``/openapi.json?lang=zh``), the
document is all Chinese instead: its title, summaries, descriptions, tags, parameters and responses; the machine
document (no ``lang``) stays as it is.

>>> doc = openapi("http://127.0.0.1:8000")
>>> doc["openapi"], "/api/models-targeting" in doc["paths"]
('3.1.0', True)
>>> operation = doc["paths"]["/api/models"]["get"]
>>> operation["summary"], operation["x-summary-zh"]
('The social e-commerce models', '社交电商模式')
>>> chinese = openapi("http://127.0.0.1:8000", lang="zh")["paths"]["/api/enterprise-model"]["get"]
>>> chinese["summary"], chinese["tags"], chinese["parameters"][0]["description"]
('某企业所代表的模式', ['企业', '模式'], 'enterprise（IRI）：名称、CURIE 或 IRI')
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..catalog import NamedQuery, catalog, in_language
from ..lang import is_chinese
from ..results import WRITERS
from ..sparqltext import query_form

#: The shape of the SPARQL 1.1 Query Results JSON Format: a SELECT's head and bindings, or an ASK's boolean.
_TERM = {
    "type": "object",
    "required": ["type", "value"],
    "properties": {
        "type": {"enum": ["uri", "literal", "bnode", "triple"]},
        "value": {},
        "xml:lang": {"type": "string"},
        "datatype": {"type": "string"},
    },
}
_RESULTS_JSON = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {
                "bindings": {"type": "array", "items": {"type": "object", "additionalProperties": _TERM}},
            },
        },
        "boolean": {"type": "boolean"},
    },
}
#: Body schemas by media type: JSON answers have their shape; every other format is text.
_BODIES: dict[str, dict[str, Any]] = {
    "application/sparql-results+json": _RESULTS_JSON,
    "application/ld+json": {"type": ["object", "array"]},
}

_SCHEMAS = {
    "integer": {"type": "string", "pattern": "^[+-]?[0-9]+$"},
    "boolean": {"type": "string", "enum": ["true", "false", "1", "0"]},
}


#: The document's own words, in English and Chinese.
WORDS = {
    "en": {
        "title": "The social e-commerce knowledge graph",
        "description": "Every named query of the graph as a GET endpoint; SPARQL 1.1 at /sparql.",
        "iri": "{}: a name, CURIE or IRI",
        "200": "the answer",
        "400": "a parameter missing, unknown or not fitting",
        "404": "no such query",
        "406": "no format fits the Accept header",
        "503": "stopped at the timeout, or every worker busy",
    },
    "zh": {
        "title": "社交电商知识图谱",
        "description": "图谱的每个命名查询都是一个 GET 接口；SPARQL 1.1 查询接口在 /sparql。",
        "iri": "{}：名称、CURIE 或 IRI",
        "200": "查询结果",
        "400": "参数缺失、未知或不合要求",
        "404": "没有这个命名查询",
        "406": "没有符合 Accept 请求头的格式",
        "503": "超时停止，或所有工作进程都在忙",
    },
}
#: The tags of the named queries in Chinese (a test holds that every tag of ``queries/`` has one).
TAGS_ZH = {
    "analysis": "分析",
    "channels": "渠道",
    "comparison": "比较",
    "disagreements": "来源分歧",
    "enterprises": "企业",
    "events": "市场事件",
    "figures": "数据",
    "market": "市场",
    "models": "模式",
    "names": "名称",
    "overview": "概览",
    "paths": "路径",
    "products": "商品",
    "profile": "概况",
    "provenance": "来源",
    "quality": "数据质量",
    "queries": "查询",
    "roles": "角色",
    "search": "搜索",
    "social chains": "社交链",
    "timeline": "时间线",
    "users": "用户",
}


def openapi(server: str, lang: str = "en") -> dict[str, Any]:
    """The OpenAPI document for a server at ``server``, its words in ``lang`` (English unless it names Chinese)."""
    short = "zh" if is_chinese(lang) else "en"
    words = WORDS[short]
    return {
        "openapi": "3.1.0",
        "info": {"title": words["title"], "version": "1", "description": words["description"]},
        "servers": [{"url": server}],
        "paths": _paths(short),
    }


@cache
def _paths(lang: str) -> dict[str, Any]:
    return {f"/api/{q.name}": {"get": _operation(q, lang)} for q in catalog().values()}


def _operation(query: NamedQuery, lang: str = "en") -> dict[str, Any]:
    kind = query_form(query.text)
    media = {
        w.media_type: {"schema": _BODIES.get(w.media_type, {"type": "string"})}
        for w in WRITERS.values()
        if kind in w.kinds
    }
    text = {"text/plain": {"schema": {"type": "string"}}}
    summary_zh, description_zh = in_language(query, "zh")  # OpenAPI has one language: the Chinese goes in extensions
    chinese = lang == "zh"
    words = WORDS[lang]
    summary = (summary_zh if chinese else query.summary) or query.name
    tags = list(query.tags) or ["queries"]
    return {
        "operationId": query.name,
        "summary": summary,
        "description": (description_zh if chinese else query.description) or summary,
        "x-summary-zh": summary_zh or query.name,
        "x-description-zh": description_zh or summary_zh or query.name,
        "tags": [TAGS_ZH.get(t, t) for t in tags] if chinese else tags,
        "parameters": [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": words["iri"].format(p.describe(lang)) if p.kind == "iri" else p.describe(lang),
                "schema": _SCHEMAS.get(p.kind, {"type": "string"}),
            }
            for p in query.parameters
        ],
        "responses": {
            "200": {"description": words["200"], "content": media},
            **{code: {"description": words[code], "content": text} for code in ("400", "404", "406", "503")},
        },
    }


#: Swagger UI's own words (its controls, headings and labels, texts and titles alike) in Chinese, as the docs page
#: shows them when it is Chinese; the bundle stays as published (``static/docs.js`` replaces each as it appears).
SWAGGER_ZH = {
    "Try it out": "试用",
    "Cancel": "取消",
    "Execute": "执行",
    "Clear": "清除",
    "Parameters": "参数",
    "No parameters": "无参数",
    "Responses": "响应",
    "Response": "响应",
    "Servers": "服务器",
    "Name": "名称",
    "Description": "说明",
    "Code": "状态码",
    "Links": "链接",
    "No links": "无链接",
    "Media type": "媒体类型",
    "Media Type": "媒体类型",
    "Controls": "决定",
    "header.": "请求头。",
    "Example Value": "示例值",
    "Schema": "结构",
    "Schemas": "结构",
    "Request URL": "请求地址",
    "Server response": "服务器响应",
    "Response body": "响应正文",
    "Response headers": "响应头",
    "Details": "详情",
    "Download": "下载",
    "Download file": "下载文件",
    "Curl": "curl 命令",
    "Undocumented": "未记载",
    "required": "必填",
    "query": "查询参数",
    "string": "字符串",
    "integer": "整数",
    "boolean": "布尔值",
    "object": "对象",
    "array": "数组",
    "Available values": "可选值",
    "Default value": "默认值",
    "Send empty value": "发送空值",
    "Expand all": "全部展开",
    "Collapse all": "全部收起",
    "Expand operation": "展开接口",
    "Collapse operation": "收起接口",
    "Copy to clipboard": "复制",
    "Copy cURL command to clipboard": "复制 curl 命令",
    "Copy code to clipboard": "复制代码",
    "Copy path to clipboard": "复制路径",
    "Loading...": "正在加载……",
    "Failed to load API definition.": "未能加载接口定义。",
    "Fetch error": "获取出错",
    "Errors": "错误",
    "Hide": "隐藏",
    "Failed to fetch.": "请求失败。",
    "Possible Reasons:": "可能的原因：",
    "Network Failure": "网络故障",
    "Unknown response type": "未知的响应类型",
    "Can't parse JSON.  Raw result:": "无法解析 JSON。原始结果：",
}
#: Swagger UI's words around a value, in Chinese: a regular expression and its Chinese, ``{0}`` for the value.
SWAGGER_ZH_PATTERNS = {
    "^Error: response status is ([0-9]+)$": "错误：响应状态码为 {0}",
    "^Error: (.+)$": "错误：{0}",
    "^Copy to clipboard: (.+), Enter$": "复制：{0}",
}


def docs_config(lang: str) -> dict[str, Any]:
    """What the API docs page needs in ``lang``: where the document is (in that language), and Swagger UI's words.

    >>> docs_config("zh")["url"], docs_config("zh")["ui"]["Try it out"], docs_config("en")
    ('/openapi.json?lang=zh', '试用', {'url': '/openapi.json', 'ui': {}, 'ui_patterns': {}})
    """
    chinese = is_chinese(lang)
    return {
        "url": "/openapi.json?lang=zh" if chinese else "/openapi.json",
        "ui": SWAGGER_ZH if chinese else {},
        "ui_patterns": SWAGGER_ZH_PATTERNS if chinese else {},
    }
