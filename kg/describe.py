"""Everything the graph says about one node: its names, definition, links out and in, and where each comes from.

>>> from kg.stores import open_store
>>> result = describe(open_store(), "https://w3id.org/sce/id/kuaishou")
>>> ("in", "https://w3id.org/sce/ontology#representedBy", "https://w3id.org/sce/id/content") in {
...     (r["direction"].value, r["property"].value, r["value"].value) for r in result.records()}
True
>>> for line in result.heading.splitlines()[-4:-2]:
...     print(line)
figure: GMV, 2021-01/2021-03: 118559.4 RMB million
  — Reportify, 2022-05-24: Kuaishou's 2022 Q1 results (summary)
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from .lang import is_chinese
from .results import Result, str_value
from .results import language as language_of
from .stores import GraphStore
from .vocab import RDFS, SCHEMA, SKOS, curie

#: Facts beyond the seed that the heading shows, each followed by its source.
SOURCED_LINES = {SCHEMA.foundingDate: "founded", SCHEMA.dissolutionDate: "closed", SCHEMA.tickerSymbol: "listed"}
#: The words of the heading in Chinese.
WORDS_ZH = {
    "figure": "数据",
    "sources differ": "来源不一",
    "founded": "成立",
    "closed": "关闭",
    "listed": "上市",
    "seat": "所在地",
    "name": "名称",
    "also": "又名",
    "definition": "定义",
}
#: The languages of names in the heading, in Chinese, by tag.
LANGUAGES_ZH = {"en": "英文", "zh-Hans": "中文"}
#: Which way a statement goes (the ``direction`` column), in Chinese: out of the node, or into it.
DIRECTIONS_ZH = {"out": "出边", "in": "入边"}
#: The units figures are given in, as a reader of Chinese counts: by how much to multiply, and the Chinese unit (a unit
#: the sources write in Chinese already is shown as it is).
UNITS_ZH = {
    "RMB trillion": (1, "万亿元"),
    "RMB billion": (10, "亿元"),
    "billion yuan": (10, "亿元"),
    "RMB million": (1, "百万元"),
    "million yuan": (1, "百万元"),
    "US$ billion": (10, "亿美元"),
    "US$ million": (1, "百万美元"),
    "million": (100, "万"),
}
#: The Chinese titles of the columns people read.
TITLES_ZH = {"direction": "方向", "property": "属性", "value": "值", "source": "来源", "url": "网址"}

# ?language is projected because pyoxigraph binds only projected variables; describe() drops that column.
DESCRIBE = """
SELECT ?language ?node ?direction ?property ?property_label ?value ?value_label ?graph ?source ?url WHERE {
    {
        GRAPH ?graph { ?node ?property ?value }
        BIND ("out" AS ?direction)
    } UNION {
        GRAPH ?graph { ?value ?property ?node }
        BIND ("in" AS ?direction)
    }
    OPTIONAL { ?property rdfs:label ?property_label FILTER (LANGMATCHES(LANG(?property_label), ?language)) }
    OPTIONAL { ?value rdfs:label ?value_label FILTER (LANGMATCHES(LANG(?value_label), ?language)) }
    OPTIONAL {
        ?graph prov:wasDerivedFrom ?origin .
        ?origin rdfs:label ?source FILTER (LANGMATCHES(LANG(?source), ?language))
        OPTIONAL { ?origin schema:url ?url }
    }
}
ORDER BY DESC(?direction) ?property ?value
"""


# The figures about a node (sce:Figure, schema:observationAbout), each with what it measures and its source, in the
# order of the period they cover; and the disagreements about it. ?language is projected for the reason given above.
FIGURES = """
SELECT ?language ?period ?measure ?value ?unit ?source WHERE {
    GRAPH ?graph {
        ?figure schema:observationAbout ?node ; sce:measure ?m ; schema:value ?value ; schema:unitText ?unit ;
            schema:temporalCoverage ?period .
    }
    OPTIONAL { ?m rdfs:label ?measure FILTER (LANGMATCHES(LANG(?measure), ?language)) }
    OPTIONAL {
        ?graph prov:wasDerivedFrom ?origin .
        ?origin rdfs:label ?source FILTER (LANGMATCHES(LANG(?source), ?language))
    }
}
ORDER BY ?period ?measure ?source
"""

DISAGREEMENTS = """
SELECT ?language ?disagreement WHERE {
    ?d sce:about ?node .
    OPTIONAL { ?d rdfs:label ?disagreement FILTER (LANGMATCHES(LANG(?disagreement), ?language)) }
}
ORDER BY ?disagreement
"""


def describe(store: GraphStore, iri: str, *, lang: str = "en") -> Result:
    """Every statement with ``iri`` at either end, with the labels (in ``lang``) of the property and the other end.

    Columns: node, direction ("out" or "in"), property, property_label, value, value_label, graph, and the source the
    graph was derived from (its label in ``lang``) with its web address where it has one.
    """
    result = store.query(DESCRIBE, substitutions={"node": ox.NamedNode(iri), "language": ox.Literal(lang)})
    names = result.vars[1:]
    rows = [row[1:] for row in result.stream()]
    shown = ["direction", "property", "value", "source", "url"]
    described = Result.select(names, rows, shown=shown, titles=TITLES_ZH)
    lines = heading(described, lang=lang) + "".join(line + "\n" for line in figure_lines(store, iri, lang=lang))
    if is_chinese(lang):  # the direction in words a reader of Chinese reads
        at = names.index("direction")
        rows = [(*row[:at], _direction_zh(row[at]), *row[at + 1 :]) for row in rows]
        described = Result.select(names, rows, shown=shown, titles=TITLES_ZH)
    described.heading = lines
    return described


def _direction_zh(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> ox.Literal | None:
    """The direction ``term`` ("out" or "in") in Chinese.

    >>> _direction_zh(ox.Literal("in"))
    <Literal value=入边 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    return ox.Literal(DIRECTIONS_ZH.get(str_value(term), str_value(term))) if term is not None else None


def figure_lines(store: GraphStore, iri: str, *, lang: str = "en") -> list[str]:
    """Two lines for each figure about ``iri`` — the figure ("figure: GMV, 2020: 1667.6 RMB billion"), then its source
    ("  — Pinduoduo's results for 2020"), so that a long source name does not widen the heading — and a line for each
    disagreement about it ("sources differ: When Xingsheng Youxuan started")."""
    bound: dict[str, ox.NamedNode | ox.Literal] = {"node": ox.NamedNode(iri), "language": ox.Literal(lang)}
    word = (lambda w: WORDS_ZH.get(w, w)) if is_chinese(lang) else (lambda w: w)
    lines = []
    for row in store.query(FIGURES, substitutions=bound).records():
        what = f"{str_value(row.get('measure'))}, {str_value(row['period'])}"
        amount = f"{str_value(row['value'])} {str_value(row['unit'])}"
        if is_chinese(lang):
            amount = amount_zh(str_value(row["value"]), str_value(row["unit"]))
        lines += [f"{word('figure')}: {what}: {amount}", f"  — {str_value(row.get('source'))}"]
    for row in store.query(DISAGREEMENTS, substitutions=bound).records():
        lines.append(f"{word('sources differ')}: {str_value(row.get('disagreement'))}")
    return lines


def amount_zh(value: str, unit: str) -> str:
    """An amount as a reader of Chinese counts it: in 亿 rather than billions.

    >>> amount_zh("10", "billion yuan"), amount_zh("1667.6", "RMB billion"), amount_zh("3.2", "万人")
    ('100 亿元', '16676 亿元', '3.2 万人')
    """
    times, chinese = UNITS_ZH.get(unit, (1, unit))
    try:
        number = Decimal(value) * times
    except InvalidOperation:
        return f"{value} {chinese}"
    text = format(number, "f")
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text} {chinese}"


def heading(result: Result, *, lang: str = "en") -> str:
    """A few lines naming the node: its labels in both languages, alternative labels, definitions, and its dates and
    tickers and seats each with its source ("founded: 2015-09 — Wikipedia: Pinduoduo")."""
    lines = []
    node = ""
    word = (lambda w: WORDS_ZH.get(w, w)) if is_chinese(lang) else (lambda w: w)
    for record in result.records():
        node = str_value(record["node"])
        value = record["value"]
        prop = str_value(record["property"])
        if str_value(record["direction"]) == "out" and prop == SCHEMA.location and isinstance(value, ox.NamedNode):
            place = str_value(record.get("value_label")) or curie(value.value)
            lines.append(
                f"{word('seat')}: {place} — {str_value(record.get('source')) or curie(str_value(record['graph']))}"
            )
            continue
        if str_value(record["direction"]) != "out" or not isinstance(value, ox.Literal):
            continue
        sourced = SOURCED_LINES.get(prop)
        if sourced:
            source = str_value(record.get("source")) or curie(str_value(record["graph"]))
            lines.append(f"{word(sourced)}: {value.value} — {source}")
            continue
        name = {RDFS.label: "name", SKOS.altLabel: "also", SKOS.definition: "definition"}.get(prop)
        if name:
            language = language_of(value)
            if language and is_chinese(lang):
                lines.append(f"{word(name)}（{LANGUAGES_ZH.get(language, language)}）: {value.value}")
            else:
                lines.append(
                    f"{word(name)} ({language}): {value.value}" if language else f"{word(name)}: {value.value}"
                )
    return "\n".join([curie(node), *lines, ""])
