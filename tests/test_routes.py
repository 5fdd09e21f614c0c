"""kg serve's routes, described once (kg/serve/routes.py), and the headers its answers carry; in this process over
httpx's ASGI transport where no socket is needed."""

from __future__ import annotations

import asyncio
import gc
import json
import urllib.parse
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from kg.serve.app import FILES, Settings, _Server, create_app
from kg.serve.jobs import _JOBS
from kg.serve.routes import KEPT, ROUTES, WRITES, JobKind, Keep, RouteKind, Row
from kg.serve.web import TABLE_CSP
from kg.serve.workers import Pool, StoreSpec, _collected
from kg.vocab import GRAPH

from .servers import start_kg_serve
from .test_browser import browser  # noqa: F401  (the fixture)

T = TypeVar("T")


class _Node:
    """Something a cycle can be made of, and a weak reference can watch."""

    other: object = None


def test_what_outlives_a_job_is_frozen_and_a_thaw_frees_a_cycle_that_died_since() -> None:
    """A worker's collection after a job walks only what that job made (bench/browse.py: suggestions after the home
    page took ~50 ms over HTTP, ~20 ms of it a collection walking the home page's caches)."""
    try:
        kept = [[n] for n in range(2000)]
        before = gc.get_freeze_count()
        _collected()
        assert gc.get_freeze_count() >= before + len(kept)
        node = _Node()
        node.other = node
        watched = weakref.ref(node)
        _collected()
        del node
        gc.collect()
        assert watched() is not None  # frozen: an ordinary collection leaves it
        _collected(thawed=True)
        assert watched() is None
    finally:
        gc.unfreeze()


# --- The table --------------------------------------------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@asynccontextmanager
async def client(spec: StoreSpec | None = None, table: tuple[Row, ...] = ROUTES) -> AsyncIterator[httpx.AsyncClient]:
    pool = Pool(spec or StoreSpec(), size=1, timeout=30.0, cache=1 << 20)
    await pool.start()
    try:
        app = create_app(pool, Settings(), table=table)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kg.test") as http:
            yield http
    finally:
        pool.close()


def varies_by_accept(response: httpx.Response) -> bool:
    return "accept" in [field.strip().lower() for field in response.headers.get("vary", "").split(",")]


def run(test: Callable[[httpx.AsyncClient], Awaitable[T]], **options: Any) -> T:
    async def main() -> T:
        async with client(**options) as http:
            return await test(http)

    return asyncio.run(main())


def test_every_route_of_the_table_is_reachable_and_every_job_it_names_exists() -> None:
    """Each row answers each of its methods itself (not the 404 of a path no route takes, nor 405, nor a crash)."""
    rows = [row for row in ROUTES if row.kind is not RouteKind.MCP]  # /mcp: tests/test_mcp.py, with its endpoint

    async def ask(http: httpx.AsyncClient) -> list[tuple[str, str, httpx.Response]]:
        answers = []
        for row in rows:
            for method in row.methods:
                for accept in ("*/*", BROWSER):
                    response = await http.request(method, row.sample, headers={"Accept": accept})
                    answers.append((method, row.sample, response))
        return answers

    for method, path, response in run(ask):
        status, text = response.status_code, response.text
        assert status in (200, 400, 403), (method, path, status, text)
        if status != 200:  # a write without the token, or a POST without a body: the handler's own line
            assert "nothing is at this path" not in text and text.endswith("\n"), (method, path, text)
        if response.headers.get("content-type", "").startswith("text/html"):
            assert "content-security-policy" in response.headers, (method, path)
            assert response.headers["x-content-type-options"] == "nosniff", (method, path)
    assert set(JobKind) == set(_JOBS), "every kind of job is one function of the worker"
    assert {job for row in ROUTES for job in row.jobs} <= set(_JOBS)
    handlers = {row.handler for row in ROUTES} - {"static", "mcp"}
    assert all(callable(getattr(_Server, name, None) or FILES.get(name)) for name in handlers)
    assert {job for row in ROUTES if row.keep is Keep.ANSWERS for job in row.jobs} - WRITES == KEPT


def test_a_route_is_one_row_of_the_table_for_starlette_and_the_short_way_alike() -> None:
    added = (
        Row("/ask", ("GET",), RouteKind.PROTOCOL, "sparql", (JobKind.QUERY,), direct=True),
        Row("/api-description", ("GET",), RouteKind.FILE, "openapi"),
    )

    async def ask(http: httpx.AsyncClient) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        short = await http.get("/ask", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
        across = await http.get("/ask", params={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.test"})
        described = await http.get("/api-description")
        return short, across, described

    short, across, described = run(ask, table=ROUTES + added)
    for answer in (short, across):
        assert answer.status_code == 200 and json.loads(answer.text)["boolean"] is True
        assert varies_by_accept(answer)
    assert across.headers["access-control-allow-origin"] == "*"  # the whole way, through the CORS layer
    assert "access-control-allow-origin" not in short.headers  # the short way
    assert described.status_code == 200 and "/api/models" in described.json()["paths"]


# --- Headers (issue 21): each of these failed before the route table gave them ----------------------------------------


def test_the_whole_dataset_varies_by_accept() -> None:
    """``GET /store`` gives TriG or N-Quads or triples by ``Accept``: a cache must keep one answer per Accept."""
    dataset = run(lambda http: http.get("/store", headers={"Accept": "application/n-quads"}))
    assert dataset.status_code == 200 and varies_by_accept(dataset)


def test_a_refusal_of_the_accept_header_varies_by_it() -> None:
    refused = run(lambda http: http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}))
    assert refused.status_code == 406 and varies_by_accept(refused)


def test_a_named_querys_text_varies_by_accept() -> None:
    text = run(lambda http: http.get("/api/models", headers={"Accept": "application/sparql-query"}))
    assert text.status_code == 200 and "SELECT" in text.text and varies_by_accept(text)


def test_a_query_and_a_named_query_opened_by_a_browser_keep_to_the_pages_policy() -> None:
    async def ask(http: httpx.AsyncClient) -> list[httpx.Response]:
        query = "SELECT ?m WHERE { ?m a sce:SocialCommerceModel }"
        return [
            await http.get("/sparql", params={"query": query}, headers={"Accept": BROWSER}),
            await http.get("/api/models", headers={"Accept": BROWSER}),
            await http.get("/api/models", headers={"Accept": BROWSER, "Origin": "http://elsewhere.test"}),
        ]

    for answer in run(ask):
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
        assert answer.headers["content-security-policy"] == TABLE_CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert varies_by_accept(answer)


def test_head_on_the_graph_store_answers_gets_length_and_etag() -> None:
    async def ask(http: httpx.AsyncClient) -> list[tuple[httpx.Response, httpx.Response]]:
        pairs = []
        for params in ({"graph": GRAPH.seed}, {"graph": GRAPH.curation}, {}):
            head = await http.head("/store", params=params, headers={"Accept": "text/turtle"})
            get = await http.get("/store", params=params, headers={"Accept": "text/turtle"})
            pairs.append((head, get))
        return pairs

    pairs = run(ask)
    for head, get in pairs:
        assert head.status_code == get.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) == len(get.content) > 100
        assert head.headers.get("etag") == get.headers.get("etag")
        assert varies_by_accept(head) and varies_by_accept(get)
    assert any("etag" in get.headers for _, get in pairs)  # a whole small answer has one (the dataset streams)


def test_an_unknown_name_over_http_points_at_the_servers_pages_not_the_command_line() -> None:
    async def ask(http: httpx.AsyncClient) -> list[httpx.Response]:
        word = {"enterprise": "qqqqqqqqqqqq"}
        return [
            await http.get("/api/enterprise-model", params=word, headers={"Accept": "text/csv"}),
            await http.get("/api/enterprise-model", params=word, headers={"Accept": BROWSER}),
        ]

    for answer in run(ask):
        assert answer.status_code == 400, answer.text
        assert "kg sparql" not in answer.text and "/search?q=qqqqqqqqqqqq" in answer.text, answer.text


def test_the_service_description_names_no_file_of_the_servers_disk(tmp_path: Path) -> None:
    data = tmp_path / "private-shops.ttl"
    data.write_text("<https://example.org/shop> <https://example.org/sells> <https://example.org/tea> .\n")
    spec = StoreSpec(data=(str(data),))
    described = run(lambda http: http.get("/sparql", headers={"Accept": "application/n-triples"}), spec=spec)
    assert described.status_code == 200
    assert str(tmp_path) not in described.text and "file:" not in described.text
    assert '"private-shops.ttl"' in described.text  # titled by the file's name, as VoID's subset is
    assert "<http://www.w3.org/ns/sparql-service-description#name> <https://w3id.org/sce/graph/seed>" in described.text


def test_the_routes_page_names_every_route() -> None:
    text = (Path(__file__).parent.parent / "docs" / "routes.md").read_text(encoding="utf-8")
    assert [row.path for row in ROUTES if f"`{row.path}`" not in text] == []


def test_files_carry_the_cache_control_of_their_row() -> None:
    async def ask(http: httpx.AsyncClient) -> dict[str, str | None]:
        paths = ("/static/vis-network.min.js", "/context.jsonld", "/static/graph.js", "/openapi.json")
        return {path: (await http.get(path)).headers.get("cache-control") for path in paths}

    assert run(ask) == {
        "/static/vis-network.min.js": "max-age=86400",
        "/context.jsonld": "max-age=3600",
        "/static/graph.js": "max-age=3600",
        "/openapi.json": None,
    }


# --- In Chromium (last: Playwright's synchronous API keeps an event loop running while its browser lives) ------------


@pytest.mark.server
@pytest.mark.browser
def test_a_result_opened_in_a_browser_keeps_its_table_style_under_the_policy(
    browser: Any,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The policy on a result as an HTML table lets its one inline style apply (by its hash), and nothing else."""
    server = start_kg_serve(tmp_path_factory.mktemp("routes"), "--workers", "1")
    try:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else 0)
        query = "SELECT ?m ?label WHERE { ?m a sce:SocialCommerceModel ; rdfs:label ?label }"
        base = server.url.rsplit("/", 1)[0]
        answer = page.goto(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}))
        assert answer is not None and answer.headers["content-type"].startswith("text/html")
        assert page.eval_on_selector("table", "t => getComputedStyle(t).borderCollapse") == "collapse"
        assert page.locator("tbody tr").count() >= 4 and refused == []
        page.close()
    finally:
        server.stop()
