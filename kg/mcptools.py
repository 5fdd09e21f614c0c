"""The tools of kg's Model Context Protocol server, as data and answers: what each tool takes (typed, described in
English and Chinese, from the catalogue as ``/openapi.json`` has them) and what it answers. The transports (stdio,
streamable HTTP) are in :mod:`kg.mcp`; a worker of ``kg serve`` answers each call with :func:`perform`.

An answer is small and typed (at most :data:`MAX_ROWS` rows and about :data:`MAX_BYTES` bytes, numbers as numbers) and
carries the sources of what it says: each statement's graph and the source that graph was derived from.

>>> from kg.stores import open_store
>>> found = answer(open_store(), SEARCH, {"text": "快手"})
>>> found["matches"][0]["iri"], found["matches"][0]["label"]
('https://w3id.org/sce/id/kuaishou', 'Kuaishou')
>>> models = answer(open_store(), "models", {"lang": "zh-Hans", "limit": 1})
>>> models["labels"][models["rows"][0]["model"]], models["truncated"]
('社区团购型', True)
"""

from __future__ import annotations

import itertools
import itertools as it
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .catalog import NamedQuery, Parameter, catalog, check_network_reach, in_language, run_query
from .describe import describe
from .errors import KGError
from .names import closest, labeller, resolve
from .results import Result, python_value, str_value
from .sparqltext import query_form, term_text
from .vocab import SHAPES_FILE, VOID, ontology_dir

if TYPE_CHECKING:
    from .stores import GraphStore

#: The tools besides the named queries.
SEARCH, DESCRIBE, PATH, SPARQL = "search_names", "describe_node", "path_between", "sparql"
#: The most rows (statements, triples, matches) an answer holds unless the call asks for fewer.
MAX_ROWS = 200
#: About the most bytes an answer's JSON takes: rows past it are left out, and the answer says so.
MAX_BYTES = 256 << 10
#: The languages labels and descriptions come in.
LANGS = ("en", "zh-Hans")
#: Where the resources live.
ONTOLOGY_URI, SHAPES_URI, VOID_URI, QUERIES_URI = "kg://ontology", "kg://shapes", "kg://void", "kg://queries/"

_LANG = {"type": "string", "enum": list(LANGS), "default": "en", "description": "labels in English or Chinese"}
_LIMIT = {"type": "integer", "minimum": 1, "maximum": MAX_ROWS, "default": MAX_ROWS, "description": "rows at most"}
#: JSON Schema of a named query's parameter by its kind; any other kind is a string.
_KINDS: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "decimal": {"type": "number"},
    "number": {"type": "number"},
    "double": {"type": "number"},
    "float": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}
_SOURCED = {
    "type": "array",
    "description": "the graphs the statements come from, each with the source it was derived from",
    "items": {
        "type": "object",
        "properties": {"graph": {"type": "string"}, "source": {"type": "string"}, "url": {"type": "string"}},
        "required": ["graph"],
    },
}
_TABLE = {
    "type": "object",
    "properties": {
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "object"}},
        "boolean": {"type": "boolean"},
        "triples": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "truncated": {"type": "boolean"},
        "sources": _SOURCED,
    },
    "required": ["truncated", "sources"],
}


# --- The tools, as data ---------------------------------------------------------------------------------------------


def _schema(properties: Mapping[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties), "required": list(required), "additionalProperties": False}


def parameter_schema(param: Parameter) -> dict[str, Any]:
    """The JSON Schema of a named query's parameter, described in both languages.

    >>> from kg.catalog import parse_parameter
    >>> parameter_schema(parse_parameter("_model_iri"))["description"]
    'model: a name, CURIE or IRI (名称、CURIE 或 IRI)'
    >>> parameter_schema(parse_parameter("_count_integer"))["type"]
    'integer'
    """
    schema = dict(_KINDS.get(param.kind, {"type": "string"}))
    if param.kind == "iri":
        schema["description"] = f"{param.name}: a name, CURIE or IRI (名称、CURIE 或 IRI)"
    else:
        schema["description"] = f"{param.name} ({param.kind})"
    return schema


def bilingual(english: str, chinese: str) -> str:
    """One description in both languages: the English, then the Chinese (when there is one and it differs)."""
    return english if not chinese or chinese == english else f"{english}\n\n{chinese}"


def _sentences(parts: Iterable[str], stop: str) -> str:
    """``parts`` as one text, each ended by ``stop`` unless it ends a sentence already.

    >>> _sentences(["The models", "Each with its name."], ". "), _sentences(["模式", "每种模式。"], "。")
    ('The models. Each with its name.', '模式。每种模式。')
    """
    ended = [p if p[-1] in ".。!?！？" else p + stop for p in parts if p]
    return "".join(ended).strip()


def query_tool(query: NamedQuery) -> dict[str, Any]:
    """The tool of a named query, as a plain dict of the MCP ``Tool`` fields.

    >>> tool = query_tool(catalog()["models-targeting"])
    >>> tool["title"], tool["input_schema"]["required"]
    ('Models that target a user segment', ['segment'])
    >>> "面向某一用户群的模式" in tool["description"]
    True
    """
    summary_zh, description_zh = in_language(query, "zh-Hans")
    english = _sentences((query.summary, query.description), ". ") or query.name
    chinese = _sentences((summary_zh, description_zh), "。") if summary_zh else ""
    properties = {p.name: parameter_schema(p) for p in query.parameters}
    clash = set(properties) & {"lang", "limit"}
    if clash:
        raise KGError(f"query {query.name!r} has a parameter named {sorted(clash)[0]!r}, which its tool needs")
    return {
        "name": query.name,
        "title": query.summary or query.name,
        "description": bilingual(english, chinese),
        "input_schema": _schema(
            {**properties, "lang": _LANG, "limit": _LIMIT}, [p.name for p in query.parameters if p.required]
        ),
        "output_schema": _TABLE,
    }


def _fixed_tools() -> list[dict[str, Any]]:
    word = {"type": "string", "description": "a name in English or Chinese, a CURIE or an IRI (名称、CURIE 或 IRI)"}
    return [
        {
            "name": SEARCH,
            "title": "Search names",
            "description": bilingual(
                "Nodes whose names (labels and alternative labels, English and Chinese) come closest to the text, "
                "best first, each with its IRI to pass to the other tools.",
                "按名称（中英文标签及别名）查找最接近的节点，最接近的在前，每个附其 IRI，可交给其他工具使用。",
            ),
            "input_schema": _schema({"text": word, "lang": _LANG, "limit": _LIMIT}, ["text"]),
        },
        {
            "name": DESCRIBE,
            "title": "Describe a node",
            "description": bilingual(
                "Every statement with the node at either end, with labels, and the graph and source of each.",
                "以该节点为主语或宾语的每条陈述，附标签，以及每条陈述所在的图及其来源。",
            ),
            "input_schema": _schema({"node": word, "lang": _LANG, "limit": _LIMIT}, ["node"]),
        },
        {
            "name": PATH,
            "title": "Paths between two nodes",
            "description": bilingual(
                "The shortest paths between two nodes, following links either way, each link with its sources.",
                "两个节点之间的最短路径（沿任一方向的链接），每个链接附其来源。",
            ),
            "input_schema": _schema(
                {"from": word, "to": word, "lang": _LANG, "limit": {**_LIMIT, "maximum": 20, "default": 10}},
                ["from", "to"],
            ),
        },
        {
            "name": SPARQL,
            "title": "Read-only SPARQL",
            "description": bilingual(
                "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the union of the graphs; known prefixes "
                "(sce:, id:, rdfs:, skos:, schema:, prov: …) need no declaration. Updates, SERVICE and LOAD are "
                "refused; a query past the server's timeout is stopped.",
                "对所有图之并集执行 SPARQL 1.1 查询（SELECT、ASK、CONSTRUCT 或 DESCRIBE）；常用前缀无需声明。"
                "不接受更新、SERVICE 和 LOAD；超过服务器时限的查询会被终止。",
            ),
            "input_schema": _schema(
                {"query": {"type": "string", "description": "the SPARQL text"}, "lang": _LANG, "limit": _LIMIT},
                ["query"],
            ),
            "output_schema": _TABLE,
        },
    ]


#: The tool that writes: listed and answered only over HTTP, for a request carrying the server's write token.
UPDATE = "sparql_update"
UPDATE_TOOL: dict[str, Any] = {
    "name": UPDATE,
    "title": "SPARQL update",
    "description": bilingual(
        "A SPARQL 1.1 update, as /sparql takes it with the write token; kg's own graphs cannot be written.",
        "SPARQL 1.1 更新（需写入令牌）；不能写入 kg 自身的图。",
    ),
    "input_schema": _schema({"update": {"type": "string", "description": "the SPARQL update"}}, ["update"]),
}
WRITES_OFF = "writes are off; start kg serve with KG_SERVE_TOKEN set to allow them"
WRITES_NEED = "this write needs the header Authorization: Bearer <KG_SERVE_TOKEN>"


@cache
def tool_specs() -> tuple[dict[str, Any], ...]:
    """Every tool: the four fixed ones, then one per named query.

    >>> [t["name"] for t in tool_specs()][:5]
    ['search_names', 'describe_node', 'path_between', 'sparql', 'category-hierarchy']

    Raises:
        KGError: a named query is called like a fixed tool.
    """
    fixed = _fixed_tools()
    names = {t["name"] for t in fixed} | {UPDATE}
    clash = names & set(catalog())
    if clash:
        raise KGError(f"a named query is called {sorted(clash)[0]!r}, the name of one of kg's own tools")
    return (*fixed, *(query_tool(q) for q in catalog().values()))


# --- Answering a call (in a worker, on its store) -------------------------------------------------------------------


def answer(
    store: GraphStore, tool: str, arguments: Mapping[str, Any], *, allow_service: bool = False
) -> dict[str, Any]:
    """What ``tool`` gives for ``arguments`` on ``store``: a JSON-ready dict, its rows cut to fit.

    Raises:
        KGError: an unknown tool or argument, an argument of the wrong type, a name that names nothing, a query that
            is not read-only SPARQL or that reaches the network.
    """
    spec = {t["name"]: t for t in tool_specs()}.get(tool)
    if spec is None:
        raise KGError(f"no tool {tool!r}; tools/list names them")
    values = checked(spec, arguments)
    lang = str(values.pop("lang", "en"))
    limit = int(values.pop("limit", spec["input_schema"]["properties"]["limit"]["default"]))
    if tool == SEARCH:
        return search(store, str(values["text"]), limit=limit, lang=lang)
    if tool == DESCRIBE:
        return describe_node(store, str(values["node"]), limit=limit, lang=lang)
    if tool == PATH:
        return path_between(store, str(values["from"]), str(values["to"]), limit=limit, lang=lang)
    if tool == SPARQL:
        text = str(values["query"])
        check_network_reach(text, allow_service=allow_service)
        query_form(text)  # an update, or no query at all: refused before the engine sees it
        return table(store, store.query(text), limit=limit, lang=lang)
    params = {name: _lexical(value) for name, value in values.items()}
    return table(store, run_query(store, tool, params), limit=limit, lang=lang)


def checked(spec: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` checked against the tool's input schema: known names, required ones there, types and bounds.

    >>> checked(query_tool(catalog()["models-targeting"]), {"segment": 3})
    Traceback (most recent call last):
    ...
    kg.errors.KGError: models-targeting: the argument 'segment' must be a string, not 3

    Raises:
        KGError: one line naming the tool and the argument.
    """
    schema, name = spec["input_schema"], spec["name"]
    properties: dict[str, Any] = schema["properties"]
    for key in arguments:
        if key not in properties:
            raise KGError(f"{name}: no argument {key!r}; it takes: {', '.join(properties)}")
    for key in schema["required"]:
        if arguments.get(key) is None:
            raise KGError(f"{name}: the argument {key!r} is required")
    for key, value in arguments.items():
        _check_value(name, key, properties[key], value)
    return {key: value for key, value in arguments.items() if value is not None}


_JSON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float)}


def _check_value(tool: str, key: str, schema: Mapping[str, Any], value: Any) -> None:
    if value is None:
        return
    kind = schema["type"]
    fits = isinstance(value, bool) if kind == "boolean" else isinstance(value, _JSON_TYPES[kind])
    if not fits or (kind != "boolean" and isinstance(value, bool)):
        raise KGError(f"{tool}: the argument {key!r} must be a{'n' if kind[0] in 'i' else ''} {kind}, not {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise KGError(f"{tool}: the argument {key!r} is one of {', '.join(schema['enum'])}, not {value!r}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        raise KGError(f"{tool}: the argument {key!r} must be from {low} to {high}, not {value!r}")


def _lexical(value: Any) -> str:
    """A JSON value as the text a named query's parameter takes (``true``, ``3``, ``2.5``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def table(store: GraphStore, result: Result, *, limit: int = MAX_ROWS, lang: str = "en") -> dict[str, Any]:
    """A query's answer, small: the rows (numbers as numbers), the labels of the IRIs in them, and the graphs that
    state something about those IRIs, each with its source."""
    if result.kind == "ask":
        return {"boolean": bool(result.boolean), "truncated": False, "sources": []}
    if result.kind == "graph":
        triples = list(itertools.islice(result.stream(), limit + 1))
        kept = [[str_value(t.subject), str_value(t.predicate), str_value(t.object)] for t in triples[:limit]]
        kept, cut = _fitted(kept)
        iris = {t.subject.value for t in triples[:limit] if isinstance(t.subject, ox.NamedNode)}
        return {
            "triples": kept,
            "labels": labels(store, iris, lang),
            "truncated": len(triples) > limit or cut,
            "sources": sources(store, iris, lang),
        }
    raw = list(itertools.islice(result.stream(), limit + 1))
    rows = [{v: json_value(t) for v, t in zip(result.vars, row, strict=False) if t is not None} for row in raw[:limit]]
    rows, cut = _fitted(rows)
    iris = {t.value for row in raw[: len(rows)] for t in row if isinstance(t, ox.NamedNode)}
    return {
        "columns": result.vars,
        "rows": rows,
        "labels": labels(store, iris, lang),
        "truncated": len(raw) > limit or cut,
        "sources": sources(store, iris, lang),
    }


def json_value(term: Any) -> Any:
    """A term as a JSON value: numbers as numbers (a whole number as an integer, whatever its XSD type), booleans as
    booleans, everything else as its plain string.

    >>> json_value(ox.Literal("74565800", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    74565800
    >>> json_value(ox.Literal("2.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    2.5
    """
    value = python_value(term)
    if isinstance(value, float) and isinstance(term, ox.Literal) and term.value.lstrip("+-").isdigit():
        return int(term.value)
    return value


def _fitted(items: list[Any]) -> tuple[list[Any], bool]:
    """The first of ``items`` whose JSON fits in :data:`MAX_BYTES`, and whether any were left out."""
    size = 0
    for index, item in enumerate(items):
        size += len(json.dumps(item, ensure_ascii=False).encode()) + 1
        if size > MAX_BYTES:
            return items[:index], True
    return items, False


def labels(store: GraphStore, iris: Iterable[str], lang: str) -> dict[str, str]:
    """The label in ``lang`` (else English) of each IRI that has one."""

    return dict(labeller(store, lang)(sorted(iris)))


#: The graphs stating something about the nodes in ``?node``, with the source each was derived from.
SOURCES = """
SELECT DISTINCT ?graph ?source ?url ?fits WHERE {
    GRAPH ?graph { ?node ?property ?value }
    OPTIONAL {
        ?graph prov:wasDerivedFrom ?origin .
        OPTIONAL { ?origin rdfs:label ?source }
        OPTIONAL { ?origin schema:url ?url }
    }
    BIND (COALESCE(LANGMATCHES(LANG(?source), ?language), false) AS ?fits)
}
ORDER BY ?graph DESC(?fits) ?source
"""


def sources(store: GraphStore, iris: Iterable[str], lang: str) -> list[dict[str, str]]:
    """The graphs that state something about the ``iris`` (subjects), each with the source it was derived from: one
    query, the IRIs in a VALUES block of checked terms (one query each took ~1 ms apiece)."""
    nodes = " ".join(term_text(ox.NamedNode(iri)) for iri in sorted(iris)[:MAX_ROWS])
    if not nodes:
        return []
    text = SOURCES.replace("WHERE {", f"WHERE {{\n    VALUES ?node {{ {nodes} }}", 1)
    found: dict[str, dict[str, str]] = {}
    for record in store.query(text, substitutions={"language": ox.Literal(lang)}).records():
        _add_source(found, record)
    return [found[g] for g in sorted(found)]


def _add_source(found: dict[str, dict[str, str]], record: Mapping[str, Any]) -> None:
    graph = str_value(record.get("graph"))
    entry = found.setdefault(graph, {"graph": graph})
    for key in ("source", "url"):
        if record.get(key) is not None:
            entry.setdefault(key, str_value(record[key]))


def search(store: GraphStore, text: str, *, limit: int = 10, lang: str = "en") -> dict[str, Any]:
    """The nodes whose names come closest to ``text``, best first, each with its label in ``lang``: a thin call to
    :func:`kg.names.closest`, the ranking the CLI's errors use."""

    ranked = closest(store, text, n=limit)
    iris = [iri for _, found in ranked for iri in found][:limit]
    named = labels(store, iris, lang)
    matches = [{"iri": iri, "label": named.get(iri, ""), "name": name} for name, found in ranked for iri in found]
    return {"matches": matches[:limit], "truncated": len(matches) > limit, "sources": sources(store, iris, lang)}


def describe_node(store: GraphStore, word: str, *, limit: int = MAX_ROWS, lang: str = "en") -> dict[str, Any]:
    """Every statement about the node ``word`` names (see :func:`kg.describe.describe`), each with its graph and
    source."""

    iri = resolve(store, word)
    records = describe(store, iri, lang=lang).records()
    keys = ("direction", "property", "property_label", "value", "value_label", "graph", "source", "url")
    statements = [{k: json_value(r[k]) for k in keys if r.get(k) is not None} for r in records[:limit]]
    statements, cut = _fitted(statements)
    found: dict[str, dict[str, str]] = {}
    for record in records[: len(statements)]:  # the sources of the statements given, not of those left out
        _add_source(found, record)
    return {
        "node": iri,
        "label": labels(store, [iri], lang).get(iri, ""),
        "statements": statements,
        "truncated": len(records) > len(statements) or cut,
        "sources": [found[g] for g in sorted(found)],
    }


def path_between(store: GraphStore, source: str, target: str, *, limit: int = 10, lang: str = "en") -> dict[str, Any]:
    """The shortest paths between the nodes two words name (see :func:`kg.analytics.find_paths`): each its chain
    as text, its nodes and its links, each link with the graphs that state it."""

    from .analytics import find_paths  # late: importing kg.analytics costs ~5 ms

    paths = find_paths(store, source, target, limit=limit)
    found: dict[str, dict[str, str]] = {}
    rows = []
    for nodes in paths.nodes:
        links = []
        for a, b in it.pairwise(nodes):
            for start, end, prop in paths.links(a, b):
                graphs = _stated_in(store, start, prop, end, lang, found)
                links.append({"from": start, "property": prop, "to": end, "graphs": graphs})
        rows.append({"length": len(nodes) - 1, "chain": paths.chain(nodes, lang), "nodes": nodes, "links": links})
    return {
        "from": paths.source,
        "to": paths.target,
        "paths": rows,
        "truncated": False,
        "sources": [found[g] for g in sorted(found)],
    }


#: The graphs stating a link (either way round: the view folds inverse properties into one).
STATED = """
SELECT DISTINCT ?graph ?source ?url ?fits WHERE {
    { GRAPH ?graph { ?start ?property ?end } }
    UNION
    { GRAPH ?graph { ?end ?inverse ?start } ?property owl:inverseOf|^owl:inverseOf ?inverse }
    OPTIONAL {
        ?graph prov:wasDerivedFrom ?origin .
        OPTIONAL { ?origin rdfs:label ?source }
        OPTIONAL { ?origin schema:url ?url }
    }
    BIND (COALESCE(LANGMATCHES(LANG(?source), ?language), false) AS ?fits)
}
ORDER BY ?graph DESC(?fits) ?source
"""


def _stated_in(
    store: GraphStore, start: str, prop: str, end: str, lang: str, found: dict[str, dict[str, str]]
) -> list[str]:
    bound: dict[str, ox.NamedNode | ox.Literal] = {
        "start": ox.NamedNode(start),
        "property": ox.NamedNode(prop),
        "end": ox.NamedNode(end),
        "language": ox.Literal(lang),
    }
    graphs = []
    for record in store.query(STATED, substitutions=bound).records():
        _add_source(found, record)
        graphs.append(str_value(record["graph"]))
    return sorted(set(graphs))


def void(store: GraphStore, endpoint: str = "") -> str:
    """The VoID description of the store in Turtle (without ``void:sparqlEndpoint`` when there is no endpoint)."""
    from .void import void_dataset  # late: importing kg.void costs ~7 ms

    dataset = ox.NamedNode("https://w3id.org/sce/void#dataset")
    triples = void_dataset(store, dataset, endpoint=endpoint or "urn:kg:no-endpoint")
    if not endpoint:
        triples = [t for t in triples if t.predicate.value != VOID + "sparqlEndpoint"]
    return Result.from_triples(triples).serialize("turtle")


def perform(store: GraphStore, job: Any, sink: Any) -> None:
    """A worker's part of a call: ``job.text`` names the tool (or ``@void``), ``job.body`` holds the arguments as
    JSON, ``job.params`` says whether SERVICE is allowed; the answer goes to ``sink`` as JSON."""
    options = dict(job.params)
    if job.text == "@void":
        sink.start(200, "text/turtle")
        sink.write(void(store, options.get("endpoint", "")).encode())
        return
    arguments = json.loads(job.body or b"{}")
    given = answer(store, job.text, arguments, allow_service=options.get("allow_service") == "1")
    sink.start(200, "application/json")
    sink.write(json.dumps(given, ensure_ascii=False).encode())


# --- The server -----------------------------------------------------------------------------------------------------


def resource_specs() -> list[dict[str, str]]:
    """The resources: the ontology, the shapes, VoID, and each named query's SPARQL as an example.

    >>> [r["uri"] for r in resource_specs()][:4]
    ['kg://ontology', 'kg://shapes', 'kg://void', 'kg://queries/category-hierarchy']
    """
    fixed = [
        {"uri": ONTOLOGY_URI, "name": "ontology", "mime_type": "text/turtle",
         "description": bilingual("The ontology: classes and properties, with labels in both languages.",
                                  "本体：类与属性，附中英文标签。")},
        {"uri": SHAPES_URI, "name": "shapes", "mime_type": "text/turtle",
         "description": bilingual("The SHACL shapes the graph is checked against.", "图所依据的 SHACL 形状。")},
        {"uri": VOID_URI, "name": "void", "mime_type": "text/turtle",
         "description": bilingual("VoID: the dataset, its named graphs and their sizes, the vocabularies used.",
                                  "VoID：数据集、各命名图及其规模、所用词汇。")},
    ]  # fmt: skip
    examples = [
        {
            "uri": QUERIES_URI + q.name,
            "name": q.name,
            "mime_type": "application/sparql-query",
            "description": bilingual(q.summary, in_language(q, "zh-Hans")[0]),
        }
        for q in catalog().values()
    ]
    return fixed + examples


def resource_text(uri: str) -> str | None:
    """The text of a resource read from the project's files (None for VoID, which the store gives)."""
    if uri == ONTOLOGY_URI:
        return (ontology_dir() / "sce.ttl").read_text(encoding="utf-8")
    if uri == SHAPES_URI:
        return (ontology_dir() / SHAPES_FILE).read_text(encoding="utf-8")
    if uri.startswith(QUERIES_URI) and uri[len(QUERIES_URI) :] in catalog():
        return catalog()[uri[len(QUERIES_URI) :]].text
    if uri == VOID_URI:
        return None
    raise KGError(f"no resource {uri!r}; resources/list names them")
