"""The graph for assistants: a Model Context Protocol server, over stdio (``kg mcp``) and streamable HTTP (``/mcp`` in
``kg serve``), built on the official SDK's low-level server.

Its tools (:mod:`kg.mcptools`) are every named query (one tool each, its parameters typed, its descriptions in English
and Chinese) and four more: search names, describe one node, the path between two nodes and read-only SPARQL. Its
resources are the ontology, the shapes, the VoID description and the example queries. Nothing inside guesses: every
answer is what the store gives, the same each time.

Every call runs in a worker process (:mod:`kg.serve.workers`) as a job of kind ``mcp``, so that one running past the
timeout is stopped by killing its worker, as ``kg serve`` stops a query.
"""

from __future__ import annotations

import contextlib
import hmac
import json
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

import anyio

from .catalog import check_network_reach
from .errors import KGError
from .mcptools import (
    UPDATE,
    UPDATE_TOOL,
    WRITES_NEED,
    WRITES_OFF,
    checked,
    resource_specs,
    resource_text,
    tool_specs,
)

if TYPE_CHECKING:
    import mcp.types as types
    from mcp.server.lowlevel import Server

    from .serve.workers import Pool, StoreSpec


class Calls:
    """What the server does with a call: sends it to ``pool`` as an ``mcp`` job and reads the answer.

    Args:
        pool: the workers.
        allow_service: let SPARQL's SERVICE reach the network.
        token: the bearer token that lets an HTTP request write (None: writes are off, as over stdio).
    """

    def __init__(self, pool: Pool, *, allow_service: bool = False, token: str | None = None) -> None:
        self.pool = pool
        self.allow_service = allow_service
        self.token = token

    async def run(self, tool: str, arguments: Mapping[str, Any], *, endpoint: str = "") -> bytes:
        """The answer's bytes (``endpoint``: the SPARQL endpoint VoID names, "" where there is none).

        Raises:
            HTTPError: the call failed (400 for a bad argument), or ran past the timeout (503).
        """
        from .serve.jobs import Job  # late: importing kg.serve.jobs costs ~1152 ms

        params = (("allow_service", "1" if self.allow_service else "0"), ("endpoint", endpoint))
        job = Job("mcp", tool, body=json.dumps(dict(arguments)).encode(), params=params)
        given = await self.pool.run(job)
        return b"".join([piece async for piece in given.body])

    def writes(self, request: Any) -> bool:
        """Whether ``request`` (an HTTP request; None over stdio) carries the write token as a bearer token."""
        headers = getattr(request, "headers", None)
        if self.token is None or headers is None:
            return False
        scheme, _, value = str(headers.get("authorization", "")).partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token.encode())

    async def update(self, arguments: Mapping[str, Any]) -> bytes:
        """Run a SPARQL update (the pool takes every worker for it, as for ``/sparql``); its answer as JSON bytes.

        Raises:
            HTTPError: the update is refused or fails (400, 403 for kg's own graphs), or ran past the timeout.
        """
        from .serve.jobs import HTTPError, Job  # late: importing kg.serve.jobs costs ~1152 ms

        try:
            values = checked(UPDATE_TOOL, arguments)
            check_network_reach(str(values["update"]), allow_service=self.allow_service, source="update")
        except KGError as error:
            raise HTTPError(400, str(error)) from None
        given = await self.pool.run(Job("update", str(values["update"])))
        async for _ in given.body:
            pass
        return json.dumps({"updated": True, "truncated": False, "sources": []}).encode()

    async def call_tool(
        self, name: str, arguments: Mapping[str, Any] | None, *, request: Any = None
    ) -> types.CallToolResult:
        """A tool's answer as structured content (and its JSON as text); an error as one line."""
        import mcp.types as types  # late: importing mcp.types costs ~981 ms

        from .serve.jobs import HTTPError  # late: importing kg.serve.jobs costs ~1152 ms

        try:
            if name == UPDATE:
                if not self.writes(request):
                    raise HTTPError(403, f"{UPDATE}: {WRITES_OFF if self.token is None else WRITES_NEED}")
                data = await self.update(arguments or {})
            else:
                data = await self.run(name, arguments or {})
        except HTTPError as error:
            line = " ".join(str(error).split())
            return types.CallToolResult(content=[types.TextContent(type="text", text=line)], is_error=True)
        text = data.decode()
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structured_content=json.loads(text)
        )

    async def read_resource(self, uri: str, *, endpoint: str = "") -> types.ReadResourceResult:
        """A resource's text, from the files or (VoID, naming ``endpoint``) the store."""
        import mcp.types as types  # late: importing mcp.types costs ~981 ms

        from .serve.jobs import HTTPError  # late: importing kg.serve.jobs costs ~1152 ms

        try:
            text = resource_text(uri)
            if text is None:
                text = (await self.run("@void", {}, endpoint=endpoint)).decode()
        except (HTTPError, KGError) as error:
            from mcp.shared.exceptions import MCPError  # late: importing mcp.shared.exceptions costs ~1849 ms

            raise MCPError(code=types.INVALID_PARAMS, message=" ".join(str(error).split())) from None
        mime = next(r["mime_type"] for r in resource_specs() if r["uri"] == uri)
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=text)])


def create_server(calls: Calls) -> Server[Any]:
    """The MCP server answering with ``calls``: its tools, resources, and nothing else."""
    from importlib.metadata import PackageNotFoundError, version  # late: importing importlib.metadata costs ~55 ms

    import mcp.types as types  # late: importing mcp.types costs ~981 ms
    from mcp.server.lowlevel import Server  # late: importing mcp.server.lowlevel costs ~1753 ms

    try:
        release = version("kg")
    except PackageNotFoundError:  # a checkout that was never installed
        release = ""
    tools = [types.Tool.model_validate(spec, by_name=True) for spec in tool_specs()]
    for tool in tools:
        tool.annotations = types.ToolAnnotations(read_only_hint=True, open_world_hint=False, idempotent_hint=True)
    writer = types.Tool.model_validate(UPDATE_TOOL, by_name=True)
    writer.annotations = types.ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)
    resources = [types.Resource.model_validate(spec, by_name=True) for spec in resource_specs()]

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[*tools, writer] if calls.writes(ctx.request) else tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await calls.call_tool(params.name, params.arguments, request=ctx.request)

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=resources)

    async def read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await calls.read_resource(str(params.uri), endpoint=_sparql_endpoint(ctx.request))

    return Server(
        "kg",
        version=release,
        title="The social e-commerce knowledge graph (社交电商知识图谱)",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


def _sparql_endpoint(request: Any) -> str:
    """The ``/sparql`` beside the ``/mcp`` an HTTP request came to; "" over stdio."""
    if request is None or not hasattr(request, "scope"):
        return ""
    from .serve.app import endpoint  # late: importing kg.serve.app costs ~337 ms

    return endpoint(request).removesuffix("/mcp") + "/sparql"


INSTRUCTIONS = (
    "A knowledge graph of China's social e-commerce models (group buying, distribution, content, community group "
    "buying), their enterprises, users, products and events, in English and Chinese. Find a node with search_names, "
    "read it with describe_node, link two with path_between; the other tools are the graph's named queries, and "
    "sparql takes your own read-only query. Every answer lists the sources of its statements."
)


def run_stdio(spec: StoreSpec, *, timeout: float = 30.0, workers: int = 1, allow_service: bool = False) -> None:
    """Answer MCP over stdin and stdout until the client closes stdin, each call run by one of ``workers`` worker
    processes holding the store ``spec`` names, and stopped past ``timeout`` seconds.

    Raises:
        RuntimeError: a worker could not open the store.
    """

    from .serve.workers import Pool  # late: importing kg.serve.workers costs ~315 ms

    async def main() -> None:
        pool = Pool(spec, size=workers, timeout=timeout)
        try:
            await pool.start()
            await serve_stdio(pool, allow_service=allow_service)
        finally:
            pool.close()

    anyio.run(main)


async def serve_stdio(pool: Pool, *, allow_service: bool = False) -> None:
    """Answer MCP over stdin and stdout with ``pool``'s workers until the client closes stdin."""
    from mcp.server.stdio import stdio_server  # late: importing mcp.server.stdio costs ~1381 ms

    server = create_server(Calls(pool, allow_service=allow_service))
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class HTTPEndpoint:
    """The streamable-HTTP face of the MCP server, an ASGI application that ``kg serve`` routes ``/mcp`` to.

    It answers while :meth:`running` lasts (``kg serve`` runs its application without a lifespan, so it enters that
    block itself). Each request stands alone (the SDK's stateless mode, answers as JSON): no session to keep.
    """

    def __init__(self, pool: Pool, *, allow_service: bool = False, token: str | None = None) -> None:
        from mcp.server.streamable_http_manager import (
            StreamableHTTPSessionManager,  # late: importing mcp.server.streamable_http_manager costs ~2052 ms
        )

        self.server = create_server(Calls(pool, allow_service=allow_service, token=token))
        self.manager = StreamableHTTPSessionManager(app=self.server, json_response=True, stateless=True)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Answer requests for as long as the block lasts."""
        async with self.manager.run():
            yield

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.manager.handle_request(scope, receive, send)
