"""The panels of a node's page beyond its statements: its figures (a table and a chart drawn on the server), the
groups of a model's dimensions and enterprises, the sources the page cites, and the legend of its drawing.

Figures are read as the graph holds them (``docs/figures.md``): one figure per source, each in its source's graph.
Where the graph records that two figures disagree (a ``sce:Disagreement`` naming them with ``sce:figure``), both stay
on the page, each with its source, and both are marked; nothing is averaged or chosen.

The chart is an SVG the template writes from numbers computed here (positions, ticks, labels), so every text in it
passes through Jinja's autoescape like the rest of the page, and the page needs no script to show it.

>>> span("2019"), span("2022-01/2022-03")
((2019.0, 2020.0), (2022.0, 2022.25))
>>> amount(Decimal("1006600000000"), "CNY", "en"), amount(Decimal("1006600000000"), "CNY", "zh")
('RMB 1,006.6 billion', '10,066亿元')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..catalog import run_query
from ..results import str_value
from ..stores import GraphStore
from ..styles import SHAPES, Glyph
from ..vocab import GRAPH, ID, curie
from .labels import Labeller, Source, href

#: The words of the panels, in each language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "figures": "Figures", "figure": "Measure", "period": "Period", "amount": "Value", "about": "Of",
        "as_written": "as the source writes it", "forecast": "forecast", "differs": "sources differ",
        "agree": "sources agree", "chart": "{measure} over the years", "sources_panel": "Sources",
        "statements": "statements", "figures_count": "figures", "legend": "Classes in the drawing",
        "dimensions": "The model's dimensions", "enterprises": "Its enterprises, by parent organisation",
        "no_parent": "No parent organisation recorded", "named_by_seed": "named by the seed",
        "closed": "closed", "withdrawn": "withdrawn", "to": " to ",
        "form": "Forms", "social chain": "Social chain", "social tie": "Social tie", "target users": "Target users",
        "core product": "Core products", "channel": "Channels", "differences": "Where the sources differ",
    },
    "zh": {
        "figures": "数据", "figure": "指标", "period": "时期", "amount": "数值", "about": "对象",
        "as_written": "来源原文", "forecast": "预测", "differs": "来源不一", "agree": "来源一致",
        "chart": "历年{measure}", "sources_panel": "来源", "statements": "条陈述", "figures_count": "条数据",
        "legend": "图中的类别", "dimensions": "模式的各个维度", "enterprises": "代表企业（按母公司分组）",
        "no_parent": "未记录母公司", "named_by_seed": "源文档所列", "closed": "已关闭", "withdrawn": "已撤出",
        "to": " 至 ",
        "form": "具体形式", "social chain": "社交链", "social tie": "社交关系类型", "target users": "目标用户",
        "core product": "核心商品", "channel": "渠道", "differences": "来源分歧",
    },
}  # fmt: skip


# --- Numbers ----------------------------------------------------------------------------------------------------------

#: The scales a value is written in, largest first: billion and million in English, as the English sources write
#: sums (RMB 1,006.6 billion); in Chinese 亿 and 万, as the sources write sums
#: (20,605.8亿元 rather than 2.06058万亿元).
SCALES = {
    "en": ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million")),
    "zh": ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")),
}
#: How a sum of money is written: a prefix in English, a suffix in Chinese.
MONEY = {"en": {"CNY": ("RMB ", ""), "USD": ("US$ ", "")}, "zh": {"CNY": ("", "元"), "USD": ("", "美元")}}


def plain(number: Decimal) -> str:
    """``number`` with thousands separated, no exponent and no trailing zeros.

    >>> plain(Decimal("1006.60")), plain(Decimal("8E+2")), plain(Decimal("0.25"))
    ('1,006.6', '800', '0.25')
    """
    text = format(number.normalize(), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value: Decimal, currency: str, lang: str, *, percent: bool = False) -> str:
    """A normalised value (units of one) as a reader of ``lang`` writes it: scaled to trillions, billions, millions
    (English) or 万亿, 亿, 万 (Chinese), with the currency of a sum of money.

    >>> amount(Decimal("788400000"), "", "en"), amount(Decimal("788400000"), "", "zh")
    ('788.4 million', '7.884亿')
    >>> amount(Decimal("800"), "", "en", percent=True), amount(Decimal("800000000"), "USD", "zh")
    ('800%', '8亿美元')
    """
    if percent:
        return plain(value) + "%"
    if not value:
        return "0"
    scaled = next(((value / size, word) for size, word in SCALES[lang] if abs(value) >= size), (value, ""))
    before, after = MONEY[lang].get(currency, ("", ""))
    return f"{before}{plain(scaled[0])}{scaled[1]}{after}"


def span(period: str) -> tuple[float, float]:
    """The start and end of an ISO 8601 period (a year, a month, a day, or ``start/end``) in years.

    >>> span("2022-06"), span("2017-04/2018-03")
    ((2022.4166666666667, 2022.5), (2017.25, 2018.25))
    """
    first, _, last = period.partition("/")
    return _start(first), _end(last or first)


def _parts(date: str) -> tuple[int, int, int]:
    year, month, day = ([int(p) for p in date.split("-")[:3]] + [0, 0])[:3]
    return year, month, day


def _start(date: str) -> float:
    year, month, day = _parts(date)
    return year + (max(month, 1) - 1) / 12 + (max(day, 1) - 1) / 365


def _end(date: str) -> float:
    year, month, day = _parts(date)
    if not month:
        return year + 1.0
    return year + (month - 1) / 12 + (1 / 12 if not day else day / 365)


def shown_period(period: str, lang: str) -> str:
    """A period as the page shows it: ``2019``; an interval with the reader's word between its ends.

    >>> shown_period("2022-01/2022-03", "zh")
    '2022-01 至 2022-03'
    """
    first, _, last = period.partition("/")
    return first + WORDS[lang]["to"] + last if last else first


# --- Figures ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A text that links to a path of this server (or, for a source's address, to an http(s) address)."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class FigureRow:
    """One figure as the table shows it, with the numbers the chart needs."""

    iri: str
    page: str
    about: Link
    measure: Link
    period: str
    shown_period: str
    amount: str
    as_written: str
    normalised: Decimal
    currency: str
    forecast: bool
    source: Source
    disagreement: Link | None = None


FIGURES = """
SELECT ?figure ?about ?measure ?value ?unit ?normalised ?currency ?forecast ?period ?graph ?disagreement WHERE {
    { ?node sce:representedBy? ?about } UNION { ?node sce:figure ?figure }
    GRAPH ?graph {
        ?figure a sce:Figure ; schema:observationAbout ?about ; sce:measure ?measure ; schema:value ?value ;
            schema:unitText ?unit ; sce:normalisedValue ?normalised ; schema:temporalCoverage ?period .
        OPTIONAL { ?figure schema:currency ?currency }
        OPTIONAL { ?figure sce:forecast ?forecast }
    }
    OPTIONAL { ?disagreement a sce:Disagreement ; sce:figure ?figure }
}
ORDER BY ?measure ?about ?period ?normalised ?graph
"""


def figures(store: GraphStore, iri: str, lang: str, label: Labeller, sources: Mapping[str, Source]) -> list[FigureRow]:
    """The figures about ``iri`` — for a model, about the model and each enterprise that represents it; for a
    disagreement, the figures it names — each with its source and, where the graph records that sources disagree on
    it, that disagreement."""
    rows = [_figure_row(row, lang, label, sources) for row in
            store.query(FIGURES, substitutions={"node": ox.NamedNode(iri)}).records()]  # fmt: skip
    return list({r.iri: r for r in rows}.values())


def _figure_row(row: Mapping[str, Any], lang: str, label: Labeller, sources: Mapping[str, Source]) -> FigureRow:
    figure, graph, about, measure = (str_value(row[key]) for key in ("figure", "graph", "about", "measure"))
    normalised, unit, currency = (
        _decimal(str_value(row["normalised"])),
        str_value(row["unit"]),
        str_value(row.get("currency")),
    )
    source = sources.get(graph) or Source("", curie(graph), href(graph))
    differs = str_value(row.get("disagreement"))
    return FigureRow(
        iri=figure,
        page=href(figure),
        about=Link(label(about), href(about)),
        measure=Link(label(measure), href(measure)),
        period=str_value(row["period"]),
        shown_period=shown_period(str_value(row["period"]), lang),
        amount=amount(normalised, currency, lang, percent=unit == "%"),
        as_written=f"{str_value(row['value'])} {unit}",
        normalised=normalised,
        currency=currency,
        forecast=str_value(row.get("forecast")) == "true",
        source=source,
        disagreement=Link(label(differs), href(differs)) if differs else None,
    )


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(0)


# --- The chart --------------------------------------------------------------------------------------------------------

#: The chart's box and margins, in SVG units (the left margin grows to hold the axis's labels).
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 40, 16, 12, 30
#: The colours of a chart's series, in order.
SERIES_COLOURS = ("#1a5fb4", "#c64600", "#26a269", "#813d9c", "#a51d2d", "#986a44", "#1c71d8", "#5e5c64")


@dataclass(frozen=True)
class Point:
    """One figure drawn: where, the bar of the period it covers, its colour and the words of its tooltip."""

    x: float
    y: float
    x0: float
    x1: float
    colour: str
    title: str
    figure: str
    differs: bool


@dataclass(frozen=True)
class Tick:
    """A mark on an axis: where, and its label."""

    at: float
    text: str


@dataclass
class Chart:
    """One measure's figures over the years: a series per subject, axes, and where the sources differ."""

    title: str
    measure: str
    series: list[tuple[str, str]] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)
    differs: list[tuple[float, float, float]] = field(default_factory=list)
    xticks: list[Tick] = field(default_factory=list)
    yticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def charts(rows: Sequence[FigureRow], lang: str) -> list[Chart]:
    """A chart per measure (and currency) whose figures differ in period or value: two sources agreeing on one
    year's figure make no chart (the table shows them)."""
    groups: dict[tuple[str, str], list[FigureRow]] = {}
    for row in rows:
        groups.setdefault((row.measure.href, row.currency), []).append(row)
    return [chart(group, lang) for group in groups.values() if len({(r.period, r.normalised) for r in group}) > 1]


def nice_top(high: float) -> tuple[float, float]:
    """The top of an axis from 0 that holds ``high``, and its step: at most five round steps.

    >>> nice_top(2224.7e9)
    (2500000000000.0, 500000000000.0)
    """
    if high <= 0:
        return 1.0, 0.25
    raw = high / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    return step * math.ceil(high / step - 1e-9), step


def text_width(text: str) -> int:
    """About how wide ``text`` is in the chart's 11-unit font: a Chinese character a full em, the rest about 0.6.

    >>> text_width("RMB 4,000 billion"), text_width("20,000亿元")
    (112, 62)
    """
    return round(sum(11 if ord(c) > 0x2E7F else 6.6 for c in text))


def chart(rows: Sequence[FigureRow], lang: str) -> Chart:
    """The chart of one measure's figures: x the years their periods cover, y their normalised values."""
    first = rows[0]
    drawn = Chart(WORDS[lang]["chart"].format(measure=first.measure.text), first.measure.href)
    starts, ends = [span(r.period)[0] for r in rows], [span(r.period)[1] for r in rows]
    low, high = math.floor(min(starts)), math.ceil(max(ends))
    top, step = nice_top(float(max(r.normalised for r in rows)))

    def y(value: float) -> float:
        return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM)

    percent = first.as_written.endswith(" %")
    drawn.yticks = [
        Tick(y(i * step), amount(Decimal(repr(i * step)), first.currency, lang, percent=percent))
        for i in range(round(top / step) + 1)
    ]
    drawn.left = left = max(LEFT, 12 + max(text_width(t.text) for t in drawn.yticks))

    def x(year: float) -> float:
        return left + (year - low) / max(high - low, 1) * (WIDTH - left - RIGHT)

    every = max(1, math.ceil((high - low) / 10))
    drawn.xticks = [Tick(x(year + 0.5), str(year)) for year in range(low, high, every)]
    subjects = list(dict.fromkeys(r.about for r in rows))
    colours = {s: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, s in enumerate(subjects)}
    drawn.series = [(s.text, colours[s]) for s in subjects]
    for row in rows:
        start, end = span(row.period)
        title = f"{row.about.text}, {row.shown_period}: {row.amount} — {row.source.title}"
        value = y(float(row.normalised))
        point = Point(x((start + end) / 2), value, x(start), x(end), colours[row.about], title, row.iri,
                      row.disagreement is not None)  # fmt: skip
        drawn.points.append(point)
    drawn.lines = _lines(drawn.points, rows, colours)
    drawn.differs = _differs(drawn.points)
    return drawn


def _lines(points: Sequence[Point], rows: Sequence[FigureRow], colours: Mapping[Link, str]) -> list[tuple[str, str]]:
    """A line per series through its periods in order, broken where a period has more than one value (a line through
    one of them would choose)."""
    lines = []
    for subject, colour in colours.items():
        by_period: dict[float, set[float]] = {}
        for point, row in zip(points, rows, strict=True):
            if row.about == subject:
                by_period.setdefault(point.x, set()).add(point.y)
        run: list[str] = []
        for at in sorted(by_period):
            values = by_period[at]
            if len(values) == 1:
                run.append(f"{at:.1f},{next(iter(values)):.1f}")
                continue
            lines += [(" ".join(run), colour)] if len(run) > 1 else []
            run = []
        lines += [(" ".join(run), colour)] if len(run) > 1 else []
    return lines


def _differs(points: Sequence[Point]) -> list[tuple[float, float, float]]:
    """Where figures the graph records as disagreeing stand at the same place: x, and the two ends of the gap."""
    at: dict[float, list[float]] = {}
    for point in points:
        if point.differs:
            at.setdefault(point.x, []).append(point.y)
    return [(x, min(ys), max(ys)) for x, ys in at.items() if len(ys) > 1]


# --- Disagreements on the node's own values ---------------------------------------------------------------------------


@dataclass
class Differs:
    """Sources that give the node different values of one property: the disagreement, the property, and each
    value with its source."""

    disagreement: Link
    prop: Link
    values: list[tuple[str, Source]] = field(default_factory=list)


DIFFERS = """
SELECT ?disagreement ?property ?value ?graph WHERE {
    ?disagreement a sce:Disagreement ; sce:about ?node ; sce:onProperty ?property .
    GRAPH ?graph { ?node ?property ?value }
}
ORDER BY ?disagreement STR(?value) ?graph
"""


def differences(store: GraphStore, iri: str, label: Labeller, sources: Mapping[str, Source]) -> list[Differs]:
    """Where the graph records that sources disagree on a value of ``iri`` (a date, a name): each value with its
    source, none chosen."""
    found: dict[str, Differs] = {}
    for row in store.query(DIFFERS, substitutions={"node": ox.NamedNode(iri)}).records():
        disagreement, prop, graph = (str_value(row[key]) for key in ("disagreement", "property", "graph"))
        differs = found.setdefault(
            disagreement, Differs(Link(label(disagreement), href(disagreement)), Link(label(prop), href(prop)))
        )
        differs.values.append((str_value(row["value"]), sources.get(graph) or Source("", curie(graph), href(graph))))
    return list(found.values())


# --- A model's dimensions and enterprises -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One node in a group: its label and page, and a few words about it (named by the seed, closed…)."""

    text: str
    href: str
    notes: tuple[str, ...] = ()


@dataclass
class Group:
    """A heading and the nodes under it."""

    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    link: str = ""


@dataclass
class ModelView:
    """A model's page: its dimensions grouped (forms, social chain and tie, target users, core products, channels),
    and its enterprises grouped by their parent organisation."""

    dimensions: list[Group] = field(default_factory=list)
    enterprises: list[Group] = field(default_factory=list)

    @property
    def enterprise_count(self) -> int:
        """How many enterprises represent the model (one under two parents counts once)."""
        return len({item.href for group in self.enterprises for item in group.items})


def model_view(store: GraphStore, iri: str, lang: str, label: Labeller) -> ModelView:
    """The groups of the model ``iri``'s page, in ``lang``."""
    return ModelView(dimensions(store, iri, lang, label), enterprises(store, iri, lang, label))


def dimensions(store: GraphStore, iri: str, lang: str, label: Labeller) -> list[Group]:
    """The model's dimensions as the ``model-profile`` query gives them, one group per dimension, enterprises aside."""

    groups: dict[str, Group] = {}
    for row in run_query(store, "model-profile", {"model": iri}).records():
        key, value = str_value(row["dimension"]), str_value(row["value"])
        if key == "enterprise":
            continue
        group = groups.setdefault(key, Group(key, WORDS[lang].get(key, key)))
        item = Item(label(value), href(value))
        if item not in group.items:
            group.items.append(item)
    for group in groups.values():
        group.items.sort(key=lambda item: item.text.casefold())
    return list(groups.values())


REPRESENTED = """
SELECT ?enterprise ?parent ?graph WHERE {
    GRAPH ?graph { ?model sce:representedBy ?enterprise }
    OPTIONAL { ?enterprise schema:parentOrganization ?parent }
}
"""


def enterprises(store: GraphStore, iri: str, lang: str, label: Labeller) -> list[Group]:
    """The model's enterprises grouped by parent organisation (those without one last), each marked where the seed
    names it and where the sources record it closed or withdrawn."""

    words = WORDS[lang]
    parents: dict[str, set[str]] = {}
    seeded: set[str] = set()
    for row in store.query(REPRESENTED, substitutions={"model": ox.NamedNode(iri)}).records():
        enterprise = str_value(row["enterprise"])
        parents.setdefault(enterprise, set()).update([str_value(row.get("parent"))] if row.get("parent") else [])
        if str_value(row["graph"]) == GRAPH.seed:
            seeded.add(enterprise)
    status = {
        str_value(r["enterprise"]): str_value(r["status"]) for r in run_query(store, "enterprises-by-status").records()
    }
    groups: dict[str, Group] = {}
    for enterprise, theirs in parents.items():
        notes = ([words["named_by_seed"]] if enterprise in seeded else []) + (
            [words[status[enterprise]]] if status.get(enterprise) in ("closed", "withdrawn") else []
        )
        for parent in sorted(theirs) or [""]:
            heading = label(parent) if parent else words["no_parent"]
            group = groups.setdefault(parent, Group(parent, heading, link=href(parent) if parent else ""))
            group.items.append(Item(label(enterprise), href(enterprise), tuple(notes)))
    for group in groups.values():
        group.items.sort(key=lambda item: item.text.casefold())
    return sorted(groups.values(), key=lambda g: (not g.key, -len(g.items), g.heading.casefold()))


# --- Sources and the legend -------------------------------------------------------------------------------------------


def cited(statements: Sequence[Source], rows: Sequence[FigureRow]) -> list[tuple[Source, int]]:
    """Each source the page cites, with how many of its statements and figures come from it: the seed first, then
    the curation notes, then the public sources by title."""
    counts: dict[Source, int] = {}
    for source in statements:
        if source.title:
            counts[source] = counts.get(source, 0) + 1
    for row in rows:
        counts[row.source] = counts.get(row.source, 0) + 1
    return sorted(counts.items(), key=lambda pair: (_rank(pair[0]), pair[0].title.casefold()))


def _rank(source: Source) -> int:
    first = (href(ID.term("seed-document")), href(ID.term("curation-notes")))
    return first.index(source.page) if source.page in first else len(first)


def legend(graph: object, lang: str) -> list[Glyph]:
    """The classes drawn in ``graph`` (a :mod:`kg.network` graph) with the renderer's colours and shapes."""
    from ..render import class_styles  # late: importing kg.render costs ~393 ms

    styles = class_styles(graph)  # type: ignore[arg-type]
    shapes = {s.iri: SHAPES.get(s.shape, SHAPES["dot"]) for s in styles.values()}
    names = {s.iri: s.name_zh if lang == "zh" else s.name_en for s in styles.values()}
    return [Glyph(s.iri, s.colour, s.shape, shapes[s.iri], names[s.iri], s.count) for s in styles.values()]
