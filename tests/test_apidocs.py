"""The API docs in one language at a time: ``/openapi.json?lang=zh`` is all Chinese and the machine document stays
English; ``/docs`` in Chromium, after Swagger UI drew an operation, tried it out and showed the answer, holds no word of
Swagger UI's in the other language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from kg.catalog import catalog, in_language
from kg.serve.openapi import SWAGGER_ZH, TAGS_ZH, WORDS, docs_config, openapi
from kg.serve.querypage import STRINGS

from .servers import Server, start_kg_serve
from .test_browser import browser, offline_context  # noqa: F401

SERVER = "http://127.0.0.1:8000"
#: Words that are names in either language: of a protocol, a header, a format, a tool, a method.
NAMES = {"GET", "OAS", "curl", "IRI", "CURIE", "SPARQL", "HTTP", "API", "Accept", "JSON", "openapi", "json"}
#: Where the docs page shows data or names rather than words of its own: the answer and the code shown, paths,
#: parameter names and their values, media types, the descriptions of the queries (checked against the catalog), the
#: language switch (each language in its own name).
DATA_PARTS = (
    "pre, code, textarea, input, select, .opblock-summary-path, .parameter__name, .info .url, .info .link, "
    ".opblock-summary-description, .opblock-description-wrapper, .renderedMarkdown, .info .description, "
    ".opblock-tag small, #kg-lang a[data-lang], script, style"
)


def test_every_tag_of_the_named_queries_has_a_chinese_name() -> None:
    tags = {t for q in catalog().values() for t in q.tags} | {"queries"}
    assert sorted(tags - set(TAGS_ZH)) == []


def test_the_machine_document_is_english_and_the_chinese_one_chinese() -> None:
    english, chinese = openapi(SERVER), openapi(SERVER, lang="zh-Hans")
    assert english == openapi(SERVER, lang="en") == openapi(SERVER, lang="fr")  # anything but Chinese: the machine one
    assert english["paths"].keys() == chinese["paths"].keys()
    assert chinese["info"]["title"] == WORDS["zh"]["title"] and english["info"]["title"] == WORDS["en"]["title"]
    for name, query in catalog().items():
        en, zh = english["paths"][f"/api/{name}"]["get"], chinese["paths"][f"/api/{name}"]["get"]
        assert (en["summary"], en["description"]) == in_language(query, "en")
        assert (zh["summary"], zh["description"]) == in_language(query, "zh")
        assert en["tags"] == list(query.tags or ["queries"]) and zh["tags"] == [TAGS_ZH[t] for t in en["tags"]]
        for parameter in zh["parameters"]:
            assert parameter["description"].startswith(f"{parameter['name']}（") and not _english(
                parameter["description"].removeprefix(parameter["name"])
            )
        for code, response in zh["responses"].items():
            assert response["description"] == WORDS["zh"][code] and not _english(response["description"])
            assert en["responses"][code]["description"] == WORDS["en"][code]
        assert {
            k: v for k, v in en.items() if k not in ("summary", "description", "tags", "parameters", "responses")
        } == {
            k: v for k, v in zh.items() if k not in ("summary", "description", "tags", "parameters", "responses")
        }  # the rest (operation ids, schemas, media types) is the same machine document


def test_the_docs_page_asks_for_the_document_in_its_language() -> None:
    assert docs_config("zh_CN")["url"] == "/openapi.json?lang=zh" and docs_config("en")["url"] == "/openapi.json"
    assert docs_config("en")["ui"] == {} and set(docs_config("zh")["ui"]) == set(SWAGGER_ZH)
    assert not any(_english(words) for words in SWAGGER_ZH.values())


def _english(text: str) -> list[str]:
    """The English words of ``text``: runs of two or more Latin letters that are no name of :data:`NAMES`."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in NAMES]


# --- In Chromium ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_kg_serve(tmp_path_factory.mktemp("apidocs"), "--workers", "2")
    try:
        yield server
    finally:
        server.stop()


def shown_words(browser: Any, server: Server, lang: str) -> tuple[list[str], list[str], list[str]]:  # noqa: F811
    """Open ``/docs?lang=…``, draw an operation, try it out with a value and run it, open each schema tab; every text
    and title, placeholder and aria-label Swagger UI and the page showed on the way outside the parts that show data,
    the summaries shown, and the errors the page logged."""
    origin = server.url.rsplit("/", 1)[0]
    context, blocked = offline_context(browser, server=origin, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    seen: set[str] = set()

    def look() -> None:
        seen.update(page.evaluate(_WORDS, DATA_PARTS))

    try:
        page.goto(f"{origin}/docs?lang={lang}")
        page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
        page.wait_for_selector(".opblock", timeout=30_000)
        look()
        page.locator(".opblock-summary-path[data-path='/api/enterprise-model']").first.click()
        page.wait_for_selector(".try-out__btn", timeout=10_000)
        look()
        page.click(".try-out__btn")
        page.wait_for_selector(".execute", timeout=10_000)
        look()
        page.fill(".parameters input[type=text]", "快手")
        page.click(".execute")
        page.wait_for_selector(".live-responses-table", timeout=30_000)
        page.wait_for_selector(".btn-clear", timeout=10_000)
        look()
        tabs = page.locator(".responses-wrapper .tablinks")
        for i in range(tabs.count()):
            tabs.nth(i).click()
            look()
        summaries = page.locator(".opblock-summary-description").all_inner_texts()
    finally:
        context.close()
    assert blocked == []
    return sorted(seen), summaries, errors


_WORDS = """(data) => { const body = document.body.cloneNode(true);
    body.querySelectorAll(data).forEach(e => e.remove());
    const w = document.createTreeWalker(body, NodeFilter.SHOW_TEXT); const out = [];
    while (w.nextNode()) { const t = w.currentNode.nodeValue.trim(); if (t) out.push(t); }
    body.querySelectorAll('[title], [placeholder], [aria-label]').forEach(e => ['title', 'placeholder', 'aria-label']
        .forEach(a => { const v = e.getAttribute(a); if (v && !/^get\\s/.test(v)) out.push(v.trim()); }));
    document.querySelectorAll('#swagger-ui *').forEach(e => ['::before', '::after'].forEach(p => {
        const c = getComputedStyle(e, p).content;  // words a stylesheet writes: "none", or a quoted string
        if (/^".*[^\\s"].*"$/.test(c)) out.push(JSON.parse(c).trim()); }));
    out.push(document.title); return out; }"""


@pytest.mark.server
@pytest.mark.browser
def test_the_chinese_docs_page_shows_no_english_word(browser: Any, served: Server) -> None:  # noqa: F811
    words, summaries, errors = shown_words(browser, served, "zh")
    english = {w: _english(w) for w in words if _english(w)}
    assert english == {}
    assert not set(SWAGGER_ZH) & set(words)  # the list of Swagger UI's words: none is left in English
    assert {"试用", "执行", "参数", "响应", "服务器响应", "响应正文", "必填"} <= set(words)  # all was drawn
    assert set(summaries) == {in_language(q, "zh")[0] for q in catalog().values()}
    assert errors == []


@pytest.mark.server
@pytest.mark.browser
def test_the_english_docs_page_shows_no_chinese_word(browser: Any, served: Server) -> None:  # noqa: F811
    words, summaries, errors = shown_words(browser, served, "en")
    chinese = (
        set(SWAGGER_ZH.values())
        | set(TAGS_ZH.values())
        | set(WORDS["zh"].values())
        | {str(v) for v in STRINGS["zh"].values()}
    )
    assert sorted(chinese & set(words)) == []
    assert [w for w in words if re.search(r"[\u3400-\u9fff]", w)] == []  # nor any other Chinese
    shown = set(SWAGGER_ZH) & set(words)
    assert {"Try it out", "Execute", "Parameters", "Responses", "Server response", "Response body", "required"} <= shown
    assert set(summaries) == {in_language(q, "en")[0] for q in catalog().values()}
    assert errors == []
