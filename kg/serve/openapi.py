"""The OpenAPI 3.1 document of ``/api``: one GET operation per named query in ``queries/``, generated from them.

>>> doc = openapi("http://127.0.0.1:8000")
>>> doc["openapi"], "/api/models-targeting" in doc["paths"]
('3.1.0', True)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..catalog import NamedQuery, catalog
from ..results import WRITERS
from ..sparqltext import query_form

_SCHEMAS = {
    "integer": {"type": "string", "pattern": "^[+-]?[0-9]+$"},
    "boolean": {"type": "string", "enum": ["true", "false", "1", "0"]},
}


def openapi(server: str) -> dict[str, Any]:
    """The OpenAPI document for a server at ``server``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "The social e-commerce knowledge graph",
            "version": "1",
            "description": "Every named query of the graph as a GET endpoint; SPARQL 1.1 at /sparql.",
        },
        "servers": [{"url": server}],
        "paths": _paths(),
    }


@cache
def _paths() -> dict[str, Any]:
    return {f"/api/{q.name}": {"get": _operation(q)} for q in catalog().values()}


def _operation(query: NamedQuery) -> dict[str, Any]:
    kind = query_form(query.text)
    media = {w.media_type: {"schema": {"type": "string"}} for w in WRITERS.values() if kind in w.kinds}
    text = {"text/plain": {"schema": {"type": "string"}}}
    return {
        "operationId": query.name,
        "summary": query.summary or query.name,
        "description": query.description or query.summary or query.name,
        "tags": list(query.tags) or ["queries"],
        "parameters": [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": f"{p.describe()}: a name, CURIE or IRI" if p.kind == "iri" else p.describe(),
                "schema": _SCHEMAS.get(p.kind, {"type": "string"}),
            }
            for p in query.parameters
        ],
        "responses": {
            "200": {"description": "the answer", "content": media},
            "400": {"description": "a parameter missing, unknown or not fitting", "content": text},
            "404": {"description": "no such query", "content": text},
            "406": {"description": "no format fits the Accept header", "content": text},
            "503": {"description": "stopped at the timeout, or every worker busy", "content": text},
        },
    }
