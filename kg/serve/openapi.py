"""The OpenAPI 3.1 document of ``/api``: one GET operation per named query in ``queries/``, generated from them.

An operation's ``summary`` and ``description`` are the query's English; OpenAPI has one language, so its Chinese goes in
the extension fields ``x-summary-zh`` and ``x-description-zh``.

>>> doc = openapi("http://127.0.0.1:8000")
>>> doc["openapi"], "/api/models-targeting" in doc["paths"]
('3.1.0', True)
>>> operation = doc["paths"]["/api/models"]["get"]
>>> operation["summary"], operation["x-summary-zh"]
('The social e-commerce models', '社交电商模式')
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..catalog import NamedQuery, catalog, in_language
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
    media = {
        w.media_type: {"schema": _BODIES.get(w.media_type, {"type": "string"})}
        for w in WRITERS.values()
        if kind in w.kinds
    }
    text = {"text/plain": {"schema": {"type": "string"}}}
    summary_zh, description_zh = in_language(query, "zh")  # OpenAPI has one language: the Chinese goes in extensions
    return {
        "operationId": query.name,
        "summary": query.summary or query.name,
        "description": query.description or query.summary or query.name,
        "x-summary-zh": summary_zh or query.name,
        "x-description-zh": description_zh or summary_zh or query.name,
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
