"""Named queries as data: reading ``queries/*.rq``, their headers and parameters, and running them.

Each ``queries/*.rq`` file is one named query. Its ``#+`` header follows grlc's convention (``#+ summary:``,
``#+ description:``, ``#+ tags:``), with the Chinese beside the English as ``#+ summary_zh:`` and
``#+ description_zh:`` (keys grlc does not know and leaves alone). Its parameters follow grlc's naming: ``?_model_iri``
is a required IRI called ``model``, ``?__lang_literal`` an optional literal, ``?_count_integer`` an integer. A
parameter is bound as an RDF term (the user's text is never spliced into the query: the value becomes a pyoxigraph
term, checked by its constructor, and that term, written in N-Triples syntax, takes the place of the variable wherever
the query's code has it). This is what grlc does with the same files, so a parameter must stay out of the query's head
(``SELECT ?_model_iri`` would become ``SELECT <…>``). Each file declares the prefixes it uses, since grlc parses it
with rdflib, which knows none of kg's.

A parameter's value can be a node's name (see :mod:`kg.names`), a CURIE or an IRI.

>>> from kg.stores import open_store
>>> store = open_store()
>>> result = run_query(store, "models-targeting", {"segment": "price-sensitive users"})
>>> sorted(row[0].value.rsplit("/", 1)[1] for row in result)
['community-group-buying', 'group-buying']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from .errors import InputError, KGError, check_text
from .lang import is_chinese
from .names import resolve
from .results import Result
from .sparqltext import blank_opaque, network_reach, term_text, tokens
from .stores import GraphStore
from .vocab import XSD, queries_dir

#: grlc's type suffixes and the XSD datatype each one binds.
_TYPED = {
    "integer": XSD.integer, "decimal": XSD.decimal, "double": XSD.double, "float": XSD.float,
    "boolean": XSD.boolean, "date": XSD.date, "datetime": XSD.dateTime, "number": XSD.decimal,
}  # fmt: skip
_PARAM = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


#: The kinds of parameter in Chinese.
KINDS_ZH = {
    "iri": "IRI",
    "literal": "文本",
    "integer": "整数",
    "decimal": "小数",
    "double": "浮点数",
    "float": "浮点数",
    "number": "数字",
    "boolean": "布尔值",
    "date": "日期",
    "datetime": "日期时间",
}


class Parameter(NamedTuple):
    """A parameter of a named query.

    Attributes:
        name: what users call it (``model`` for ``?_model_iri``).
        var: the SPARQL variable, without ``?``.
        kind: ``iri``, ``literal``, a grlc datatype suffix (``integer`` …) or a language tag (``en``).
        required: False for grlc's optional form (two underscores).
    """

    name: str
    var: str
    kind: str
    required: bool

    def describe(self, lang: str = "en") -> str:
        """``model (iri)``, with ``optional`` added when it may be left out; in Chinese when ``lang`` is.

        >>> optional = Parameter("model", "__model_iri", "iri", False)
        >>> optional.describe(), optional.describe("zh-Hans")
        ('model (iri, optional)', 'model（IRI，可选）')
        """
        if is_chinese(lang):
            return f"{self.name}（{KINDS_ZH.get(self.kind, self.kind)}{'' if self.required else '，可选'}）"
        return f"{self.name} ({self.kind}{', optional' if not self.required else ''})"


class NamedQuery(NamedTuple):
    """A query from ``queries/``: its name (the file's stem), text, header fields and parameters.

    ``summary`` and ``description`` are English; ``summary_zh`` and ``description_zh`` their Chinese (Simplified), empty
    where the header has none. :func:`in_language` chooses between them. ``columns_zh`` are the Chinese titles of the
    columns a table shows people (``#+ columns_zh: {date: 日期, model: 模式}``), by the name of the variable they
    come from without its ``_en``/``_zh``.
    ``default_view`` is the view the query page opens its answer on (``#+ defaultView: timeline``, as Wikidata's
    ``#defaultView:``), empty to let the page choose.
    """

    name: str
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    path: Path
    summary_zh: str = ""
    description_zh: str = ""
    columns_zh: tuple[tuple[str, str], ...] = ()
    default_view: str = ""


def in_language(query: NamedQuery, lang: str) -> tuple[str, str]:
    """The summary and description of ``query`` in ``lang``: the Chinese for any ``zh`` tag (``zh``, ``zh-Hans``, in
    any case), the English otherwise, and the English wherever the Chinese is missing.

    >>> models = get_query("models")
    >>> in_language(models, "en")[0], in_language(models, "zh-Hans")[0], in_language(models, "ZH")[0]
    ('The social e-commerce models', '社交电商模式', '社交电商模式')
    >>> in_language(models._replace(description_zh=""), "zh")[1] == models.description
    True
    """
    if is_chinese(lang):
        return query.summary_zh or query.summary, query.description_zh or query.description
    return query.summary, query.description


def parse_parameter(var: str) -> Parameter | None:
    """The parameter a variable name (without ``?``) stands for, or None when it is an ordinary variable.

    >>> parse_parameter("_model_iri")
    Parameter(name='model', var='_model_iri', kind='iri', required=True)
    >>> parse_parameter("__lang_en").required
    False
    >>> parse_parameter("model") is None
    True
    """
    match = _PARAM.fullmatch("?" + var)
    if not match:
        return None
    required = match.group(1) == "_"
    parts = match.group(2).split("_")
    kind = parts[-1].lower() if len(parts) > 1 else "literal"
    if kind not in ("iri", "literal", *_TYPED) and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", parts[-1]):
        return Parameter("_".join(parts), var, "literal", required)
    name = "_".join(parts[:-1]) if len(parts) > 1 else parts[0]
    return Parameter(name, var, parts[-1] if kind not in ("iri", "literal", *_TYPED) else kind, required)


def _header(text: str) -> dict[str, str | list[str]]:
    r"""The ``#+`` lines at the top of a query, read as grlc reads them (YAML): ``key: value`` lines, and lists written
    as ``#+   - item`` lines under their key.

    >>> _header("#+ summary: Models\n#+ tags:\n#+   - models\n#+   - overview\nSELECT")
    {'summary': 'Models', 'tags': ['models', 'overview']}
    """
    fields: dict[str, str | list[str]] = {}
    key = ""
    for line in text.splitlines():
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        item = re.fullmatch(r"\s+-\s+(.*)", line[2:])
        if item and key:
            listed = fields.get(key)
            fields[key] = [*(listed if isinstance(listed, list) else []), item.group(1).strip()]
            continue
        name, _, value = line[2:].partition(":")
        key = name.strip().lower()
        fields[key] = value.strip()
    return fields


def _text(value: str | list[str] | None) -> str:
    return value if isinstance(value, str) else " ".join(value or [])


def read_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file into a NamedQuery."""
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    seen: dict[str, Parameter] = {}
    for match in _PARAM.finditer(blank_opaque(text)):
        param = parse_parameter(match.group(0)[1:])
        if param and param.var not in seen:
            seen[param.var] = param
    listed = header.get("tags") or []
    if isinstance(listed, str):  # the flow forms ``tags: [a, b]`` and ``tags: a, b``
        listed = [t.strip() for t in listed.strip("[]").split(",") if t.strip()]
    tags = tuple(listed)
    return NamedQuery(
        name=path.stem,
        text=text,
        summary=_text(header.get("summary")),
        description=_text(header.get("description")),
        tags=tags,
        parameters=tuple(seen.values()),
        path=path,
        summary_zh=_text(header.get("summary_zh")),
        description_zh=_text(header.get("description_zh")),
        columns_zh=tuple(_mapping(header.get("columns_zh")).items()),
        default_view=_text(header.get("defaultview")).lower(),
    )


def _mapping(value: str | list[str] | None) -> dict[str, str]:
    """A YAML flow mapping of plain words, as a header writes it: ``{date: 日期, model: 模式}``.

    >>> _mapping("{date: 日期, fine_yuan: 罚款（元）}")
    {'date': '日期', 'fine_yuan': '罚款（元）'}
    """
    pairs = (part.partition(":") for part in _text(value).strip().strip("{}").split(","))
    return {k.strip(): v.strip() for k, sep, v in pairs if sep and k.strip() and v.strip()}


@cache
def _catalog(folder: Path) -> dict[str, NamedQuery]:
    return {p.stem: _read_cached(p) for p in sorted(folder.glob("*.rq"))}


@cache
def _read_cached(path: Path) -> NamedQuery:
    return read_query(path)


def catalog(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (by default the project's ``queries/``), by name."""
    return _catalog(folder.resolve() if folder else _queries())


@cache
def _queries() -> Path:
    """The project's ``queries/``, resolved once: resolving walks every part of the path (~15 µs, which the server
    spent up to three times on each named query)."""
    return queries_dir().resolve()


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name``.

    Raises:
        KGError: no query has that name (the message lists the closest names, or all of them).
    """
    path = (folder.resolve() if folder else _queries()) / f"{name}.rq"
    if _NAME.match(name) and path.is_file():
        return _read_cached(path)  # one file, not the whole folder: a named query starts fast
    queries = catalog(folder)

    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else f"available: {', '.join(queries)}"
    raise KGError(f"unknown query {name!r}; {hint}")


# --- Binding and running ------------------------------------------------------------------------------------------


def bind(store: GraphStore, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Any]:
    """The RDF term of each parameter value, keyed by SPARQL variable.

    Raises:
        KGError: an unknown parameter, a required one missing, or a value that does not fit its kind.
    """
    for name, text in values.items():
        check_text(text, what=f"parameter {name!r}")
    by_name = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(by_name) - {p.var for p in query.parameters})
    if unknown:
        raise KGError(f"query {query.name!r} has no parameter {unknown[0]!r}; it takes: {_param_list(query)}")
    missing = [p.name for p in query.parameters if p.required and p.name not in values and p.var not in values]
    if missing:
        raise KGError(f"query {query.name!r} needs the parameter {missing[0]!r}; it takes: {_param_list(query)}")
    bound = {}
    for param in query.parameters:
        value = values.get(param.name, values.get(param.var))
        if value is not None:
            bound[param.var] = term_for(store, param, value)
    return bound


def _param_list(query: NamedQuery) -> str:
    return ", ".join(p.describe() for p in query.parameters) or "no parameters"


def term_for(store: GraphStore, param: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term ``value`` stands for, given the parameter's kind."""
    if param.kind == "iri":
        return ox.NamedNode(resolve(store, value))
    if param.kind == "literal":
        return ox.Literal(value)
    if param.kind in _TYPED:
        if not _fits(param.kind, value):
            raise KGError(f"parameter {param.name!r}: {value!r} is not a valid {param.kind}")
        return ox.Literal(value, datatype=ox.NamedNode(_TYPED[param.kind]))
    return ox.Literal(value, language=param.kind)


_CHECKS = {
    "integer": r"[+-]?[0-9]+",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "number": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)",
    "float": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)",
    "boolean": r"true|false|1|0",
    "date": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?",
    "datetime": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?",
}


def _fits(kind: str, value: str) -> bool:
    """Whether ``value`` is a lexical form of the XSD type ``kind`` stands for."""
    return re.fullmatch(_CHECKS[kind], value) is not None


def is_query_name(text: str) -> bool:
    """Whether ``text`` looks like the name of a query rather than SPARQL."""
    return bool(_NAME.match(text.strip()))


def run_query(
    store: GraphStore,
    name_or_sparql: str,
    params: Mapping[str, str] | None = None,
    *,
    allow_service: bool = False,
    folder: Path | None = None,
    base_iri: str | None = None,
) -> Result:
    """Run a named query (by name, with ``params``) or a SPARQL text, and return its Result.

    A SPARQL text's relative IRIs are resolved against ``base_iri`` (when it has no BASE of its own).

    Raises:
        KGError: an unknown query or parameter, an unresolvable name, a SERVICE call not allowed.
        InputError: a SPARQL syntax error (with line and column).
    """
    if not name_or_sparql.strip():
        raise KGError("the query is empty")
    if is_query_name(name_or_sparql):
        query = get_query(name_or_sparql.strip(), folder)
        text, source, bound = query.text, str(query.path), bind(store, query, params or {})
    else:
        if params:
            raise KGError("parameters go with named queries; bind values inside your own SPARQL instead")
        text, source, bound = name_or_sparql, "query", {}
    check_network_reach(text, allow_service=allow_service, source=source)
    result = store.query(write_in_place(text, bound), source=source, base_iri=base_iri)
    result.given = [term.value for term in bound.values() if isinstance(term, ox.NamedNode)]
    if is_query_name(name_or_sparql):
        result.titles = dict(query.columns_zh)
    return result


def bound_text(store: GraphStore, query: NamedQuery, values: Mapping[str, str]) -> str:
    """The SPARQL that runs for ``query`` with ``values``: its text with each parameter written in place, its ``#+``
    header left out (what a person reads in an editor).

    Raises:
        KGError: as :func:`bind` does.
    """
    text = write_in_place(query.text, bind(store, query, values))
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("#+") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def write_in_place(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with each variable named in ``terms`` replaced by its term in N-Triples syntax, as grlc does.

    Only variable tokens are replaced, never text inside a string, an IRI or a comment. A constant in place of the
    variable lets the engine start its paths and subqueries there (at 100k triples, ``connection`` takes tens of
    milliseconds this way and seconds with a VALUES block).

    >>> write_in_place('SELECT ?n WHERE { ?_m_iri ?p ?n FILTER (?n != "?_m_iri") }', {"_m_iri": ox.NamedNode("urn:x")})
    'SELECT ?n WHERE { <urn:x> ?p ?n FILTER (?n != "?_m_iri") }'

    Raises:
        KGError: a variable to replace stands in the query's head, where a constant is not allowed.
    """
    if not terms:
        return sparql
    pieces, in_head = [], True
    for token in tokens(sparql):
        in_head = in_head and token.text != "{"
        name = token.text[1:]
        if token.kind == "var" and name in terms:
            if in_head:
                raise KGError(f"the parameter ?{name} stands in the query's head; a value cannot take its place there")
            pieces.append(term_text(terms[name]))
        else:
            pieces.append(token.text)
    return "".join(pieces)


# --- Safety ---------------------------------------------------------------------------------------------------------


def check_network_reach(text: str, *, allow_service: bool, source: str = "query") -> None:
    """Refuse a query that would make the engine fetch from the network (SERVICE), unless allowed.

    Strings, IRIs and comments are skipped, so a label that says "service" is no reason to refuse.

    Raises:
        InputError: the query calls SERVICE (or LOAD) and ``allow_service`` is False.
    """
    if allow_service:
        return
    found = network_reach(text)
    if found:
        keyword, line, column = found
        raise InputError(
            f"{keyword} would reach out to the network; pass --allow-service to permit it",
            source=source,
            line=line,
            column=column,
        )


def listing(folder: Path | None = None, lang: str = "en") -> Result:
    """The named queries as rows: name, summary (in ``lang``, see :func:`in_language`), parameters.

    >>> listing().vars
    ['name', 'summary', 'parameters']
    >>> [row[1].value for row in listing(lang="zh-Hans") if row[0].value == "models"]
    ['社交电商模式']
    """
    rows = [
        (
            ox.Literal(q.name),
            ox.Literal(in_language(q, lang)[0]),
            ox.Literal(("、" if is_chinese(lang) else ", ").join(p.describe(lang) for p in q.parameters)),
        )
        for q in catalog(folder).values()
    ]
    return Result.select(
        ["name", "summary", "parameters"], rows, titles={"name": "名称", "summary": "简介", "parameters": "参数"}
    )
