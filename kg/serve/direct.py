"""The short way through the HTTP face for the requests most clients send: the routes that :mod:`kg.serve.routes`
marks ``direct`` (queries at ``/sparql``, named queries at ``/api/NAME``), from a client that sends no ``Origin``
header (not a browser reading across origins).

Such a request goes straight to its route's handler, the very function Starlette's router would call (errors and
headers included, see :func:`kg.serve.app.create_app`); it skips the layers that would do nothing for it (the CORS
middleware passes a request without an ``Origin`` through untouched, and the router would only find the handler).
Everything else, and every request from a browser, goes the whole way through the Starlette application. Measured:
the layers cost ~30 µs a request, a sixth of what the server spent on a small SELECT.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request], Awaitable[Response]]


class Direct:
    """An ASGI application that answers the requests of some routes itself and hands every other request to ``app``.

    Args:
        app: the whole application.
        routes: the routes answered directly: each a path as Starlette spells it (``/api/{name}``), its methods and
            its handler, which answers every request (its errors too).

    >>> direct = Direct(None, [("/api/{name}", ("GET",), print)])  # type: ignore[arg-type]
    >>> scope = {"path": "/api/models", "method": "GET", "headers": []}
    >>> direct.handler(scope) is print, scope["path_params"]
    (True, {'name': 'models'})
    >>> direct.handler({"path": "/api/a/b", "method": "GET", "headers": []}) is None
    True
    """

    def __init__(self, app: ASGIApp, routes: Sequence[tuple[str, tuple[str, ...], Handler]]) -> None:
        self.app = app
        #: The routes without parameters by their path (one look-up), the others as Starlette matches them.
        self.exact = {path: (frozenset(methods), handler) for path, methods, handler in routes if "{" not in path}
        self.routes = [(_pattern(p), frozenset(methods), handler) for p, methods, handler in routes if "{" in p]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handler(scope) if scope["type"] == "http" else None
        if handler is None:
            await self.app(scope, receive, send)
            return
        response = await handler(Request(scope, receive))
        await response(scope, receive, send)

    def handler(self, scope: Scope) -> Handler | None:
        """The handler that answers the request ``scope`` describes directly (its path's parameters then in the
        scope, as the router would put them); None when it goes the whole way."""
        if any(name == b"origin" for name, _ in scope["headers"]):
            return None
        path, method = scope["path"], scope["method"]
        exact = self.exact.get(path)
        if exact is not None:
            return exact[1] if method in exact[0] else None
        for pattern, methods, handler in self.routes:
            if method in methods:
                found = pattern.match(path)
                if found is not None:
                    scope["path_params"] = found.groupdict()
                    return handler
        return None


def _pattern(path: str) -> re.Pattern[str]:
    """The regular expression Starlette's router matches ``path`` with (its parameters as named groups)."""
    pattern, _, _ = compile_path(path)
    return pattern
