"""kg serve's application in this process, over httpx's ASGI transport (as datasette tests its views): no socket, no
uvicorn, the same routes, negotiation and worker pool as a real server. Protocol suites and limits that need a real
socket stay in tests/test_serve*.py."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from kg.serve.app import Settings, create_app
from kg.serve.workers import Pool, StoreSpec
from kg.vocab import ID


@asynccontextmanager
async def client(settings: Settings | None = None) -> AsyncIterator[httpx.AsyncClient]:
    pool = Pool(StoreSpec(), size=1, timeout=30.0, cache=1 << 20)
    await pool.start()
    try:
        app = create_app(pool, settings or Settings(token=None, allow_service=False))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kg.test") as http:
            yield http
    finally:
        pool.close()


def run(test: Callable[[httpx.AsyncClient], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with client() as http:
            return await test(http)

    return asyncio.run(main())


def test_a_select_is_answered_in_process_in_the_format_asked() -> None:
    async def ask(http: httpx.AsyncClient) -> tuple[httpx.Response, httpx.Response]:
        query = "SELECT ?m WHERE { ?m a sce:SocialCommerceModel } ORDER BY ?m"
        as_json = await http.get(
            "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        as_csv = await http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        return as_json, as_csv

    as_json, as_csv = run(ask)
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/sparql-results+json")
    models = [b["m"]["value"] for b in json.loads(as_json.text)["results"]["bindings"]]
    assert models == sorted(models) and len(models) == 4 and ID.content in models
    assert as_csv.text.splitlines()[0] == "m" and len(as_csv.text.splitlines()) == 5


def test_a_named_query_and_a_node_page_are_answered_in_process() -> None:
    async def ask(http: httpx.AsyncClient) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        api = await http.get("/api/enterprise-model", params={"enterprise": "快手"}, headers={"Accept": "text/csv"})
        page = await http.get("/id/kuaishou", headers={"Accept": "text/html"})
        missing = await http.get("/id/no-such-node", headers={"Accept": "text/turtle"})
        return api, page, missing

    api, page, missing = run(ask)
    assert api.status_code == 200 and ID.content in api.text
    assert page.status_code == 200 and "快手" in page.text and "Content-Security-Policy" in page.headers
    assert missing.status_code == 404


def test_an_update_without_the_token_is_refused_in_process() -> None:
    async def ask(http: httpx.AsyncClient) -> httpx.Response:
        return await http.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})

    refused = run(ask)
    assert refused.status_code in (401, 403)
