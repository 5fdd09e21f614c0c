"""The HTTP face of kg: ``kg serve``.

Queries, updates and graph-store requests run in worker processes (:mod:`kg.serve.workers`) so that a runaway query
can be stopped; the Starlette application (:mod:`kg.serve.app`) speaks the protocols and negotiates formats from the
one registry of writers.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from typing import Any

from .app import Settings, create_app
from .workers import Pool, StoreSpec

__all__ = ["Settings", "serve"]

#: The environment variable holding the bearer token that writes need; writes are off without it.
ENV_TOKEN = "KG_SERVE_TOKEN"


def serve(
    spec: StoreSpec,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 30.0,
    workers: int = 2,
    cors: Sequence[str] = ("*",),
    allow_service: bool = False,
    max_body: int = 16 << 20,
    cache: int = 64 << 20,
    strict: bool = False,
    on_stop: list[object] | None = None,
) -> None:
    """Serve the store ``spec`` names until told to stop (SIGTERM, Ctrl-C).

    ``strict`` refuses a graph-store write that breaks the shapes (422); else it is taken, and its answer says so.
    ``cache`` is the budget in bytes of the answers kept for clients asking the same again (0: none kept; a remote
    store's answers are never kept, since others write it); every write empties it.

    Raises:
        KGError: the store cannot be opened.
    """
    import uvicorn

    settings = Settings(
        token=os.environ.get(ENV_TOKEN) or None,
        allow_service=allow_service,
        max_body=max_body,
        cors=tuple(cors),
        strict=strict,
    )

    async def main() -> None:
        pool = Pool(spec, size=workers, timeout=timeout, cache=cache)
        try:
            await pool.start()
        except RuntimeError as error:
            pool.close()
            from ..errors import KGError

            raise KGError(str(error)) from None
        from ..mcp import HTTPEndpoint

        endpoint = HTTPEndpoint(pool, allow_service=allow_service, token=settings.token)
        config = uvicorn.Config(
            create_app(pool, settings, mcp=endpoint),
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
            access_log=False,
        )
        server = uvicorn.Server(config)
        if on_stop is not None:
            on_stop.append(server)
        where = spec.spec or "the built-in graph in memory"
        writes = "writes with a bearer token" if settings.token else "read-only"
        kept = f", answers kept up to {cache >> 20} MB" if pool.cache is not None else ""
        print(
            f"serving {where} at http://{host}:{port}/ ({workers} workers, {writes}{kept})", file=sys.stderr, flush=True
        )
        try:
            async with endpoint.running():
                await server.serve()
        finally:
            pool.close()

    _event_loop_runner()(main())


def _event_loop_runner() -> Any:
    """uvloop's runner where uvloop is installed (its event loop spends less per request), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run
