"""The HTTP face of kg: ``kg serve``.

Queries, updates and graph-store requests run in worker processes (:mod:`kg.serve.workers`) so that a runaway query
can be stopped; the Starlette application (:mod:`kg.serve.app`) speaks the protocols and negotiates formats from the
one registry of writers.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import KGError
from ..stores.locks import serving_lock
from .app import Settings, create_app
from .workers import Pool, StoreSpec

__all__ = ["Settings", "serve"]

#: The environment variable holding the bearer token that writes need; writes are off without it.
ENV_TOKEN = "KG_SERVE_TOKEN"
#: Connections (and requests) served at once; past it, new ones get 503 at once instead of a socket each.
MAX_CONNECTIONS = 512
#: Seconds an idle connection is kept open between requests.
IDLE_TIMEOUT = 5
#: Seconds SIGTERM or Ctrl-C waits for the answers under way before the server closes their connections.
GRACE = 5
#: Bytes of a request's head (its line and headers) the server reads at most.
MAX_HEADERS = 64 << 10
#: Seconds a client has to send a request's whole head; a connection that sends nothing (or dribbles) is closed.
HEAD_TIMEOUT = 10.0


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
    worker_memory: int = 0,
) -> None:
    """Serve the store ``spec`` names until told to stop (SIGTERM, Ctrl-C).

    ``strict`` refuses a graph-store write that breaks the shapes (422); else it is taken, and its answer says so.
    ``cache`` is the budget in bytes of the answers kept for clients asking the same again (0: none kept; a remote
    store's answers are never kept, since others write it); every write empties it.

    Raises:
        KGError: the store cannot be opened.
    """
    import uvicorn  # late: importing uvicorn costs ~35 ms

    listening = listen(host, port)
    held = serving_lock(Path(spec.spec).expanduser()) if spec.kind == "disk" and spec.spec else None
    settings = Settings(
        token=write_token(os.environ.get(ENV_TOKEN)),
        allow_service=allow_service,
        max_body=max_body,
        cors=tuple(cors),
        strict=strict,
    )

    async def main() -> None:
        pool = Pool(spec, size=workers, timeout=timeout, cache=cache, memory=worker_memory)
        try:
            await pool.start()
        except RuntimeError as error:
            pool.close()
            raise KGError(str(error)) from None
        from ..mcp import HTTPEndpoint  # late: importing kg.mcp costs ~8 ms

        endpoint = HTTPEndpoint(pool, allow_service=allow_service, token=settings.token)
        config = uvicorn.Config(
            create_app(pool, settings, mcp=endpoint),
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
            access_log=False,
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=IDLE_TIMEOUT,
            timeout_graceful_shutdown=GRACE,
            h11_max_incomplete_event_size=MAX_HEADERS,
            http=_guarded_http(),
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
                await server.serve(sockets=[listening])
        finally:
            pool.close()

    try:
        _event_loop_runner()(main())
    finally:
        listening.close()
        if held is not None:
            os.close(held)


def write_token(token: str | None) -> str | None:
    """``token`` as the bearer token writes need (None or empty: writes are off), when an HTTP header can carry it:
    visible ASCII only. A header's other bytes reach the server as Latin-1, never as the UTF-8 an environment
    variable holds, so any other token could never match, although the server would say writes are on.

    >>> write_token("s3cret-Token_1.~+/=")
    's3cret-Token_1.~+/='
    >>> write_token("pässwort")
    Traceback (most recent call last):
    kg.errors.KGError: KG_SERVE_TOKEN: character 2 ('ä') is beyond what an HTTP header carries; use visible ASCII only

    Raises:
        KGError: it holds a space, a control character or a character beyond ASCII, with which.
    """
    if not token:
        return None
    for place, character in enumerate(token, 1):
        if not "!" <= character <= "~":
            raise KGError(
                f"{ENV_TOKEN}: character {place} ({character!r}) is beyond what an HTTP header carries; use visible"
                " ASCII only"
            )
    return token


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``, taken before anything else starts (so that a port in use is one line,
    not a server that says it serves and then dies).

    Raises:
        KGError: the address is in use or cannot be listened on.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise KGError(
                f"cannot listen on {host}:{port}: another program uses that port; choose another with --port"
            ) from None
        raise KGError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def _event_loop_runner() -> Any:
    """uvloop's runner where uvloop is installed (its event loop spends less per request), else asyncio's."""
    try:
        import uvloop  # late: importing uvloop costs ~5 ms
    except ImportError:
        return asyncio.run
    return uvloop.run


def _guarded_http() -> Any:
    """uvicorn's httptools protocol with a deadline and a size limit on each request's head.

    uvicorn closes an idle connection only after a first answer, and httptools reads headers of any size: a client
    could hold a socket for ever, or grow the server by what it sends. Here a connection that has not sent a whole
    head within ``HEAD_TIMEOUT`` seconds is closed, and one whose head passes ``MAX_HEADERS`` bytes is answered 431
    and closed.
    """
    from uvicorn.protocols.http.httptools_impl import (
        HttpToolsProtocol,  # late: importing uvicorn.protocols.http.httptools_impl costs ~32 ms
    )

    class GuardedHttp(HttpToolsProtocol):  # type: ignore[misc]
        head_timer: asyncio.TimerHandle | None = None
        head_size = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            if self.head_timer is None:
                self.head_size = 0
                self.head_timer = self.loop.call_later(HEAD_TIMEOUT, self.transport.close)

        def _disarm(self) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
                self.head_timer = None

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            reading_head = self.head_timer is not None
            super().data_received(data)
            if reading_head and self.head_timer is not None:
                self.head_size += len(data)
                if self.head_size > MAX_HEADERS:
                    self._disarm()
                    message = b"the request's head is longer than %d bytes\n" % MAX_HEADERS
                    self.transport.write(
                        b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(message), message)
                    )
                    self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return GuardedHttp
