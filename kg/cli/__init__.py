"""The ``kg`` command line: each command parses its arguments, calls one library function, and writes the result.

``kg.cli.app`` holds the group and its error handling; each module beside it registers its commands on ``main`` when
imported, here. Heavy libraries are imported inside the commands that need them, so that ``kg`` starts fast.
"""

from . import analytics, graph, mcp, query, remote, render, serve, store
from .app import main

__all__ = ["analytics", "graph", "main", "mcp", "query", "remote", "render", "serve", "store"]
