"""A deterministic generator of social-commerce-shaped RDF for the benchmarks.

The data has the shape of the real graph, scaled up: social commerce models (the four built-in ones and synthetic
ones), their forms, social chains and ties, target user segments, a product category hierarchy (SKOS broader),
enterprises with English and Simplified Chinese labels and parent organisations, and products with categories, makers
and prices.
The same size and seed always give the same bytes.

Usage::

    python -m bench.generate 100000 bench/data/social-100k.ttl
    python -m bench.generate --sizes            # writes 10k, 100k and 1M into bench/data/

>>> import io
>>> out = io.StringIO()
>>> n = write_turtle(out, 400)
>>> n >= 400 and out.getvalue().count(" .\\n") >= 40
True
>>> first = out.getvalue(); out2 = io.StringIO(); _ = write_turtle(out2, 400); out2.getvalue() == first
True
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

#: The sizes the benchmark runs at, by name.
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DATA_DIR = Path(__file__).resolve().parent / "data"

SCE = "https://w3id.org/sce/ontology#"
ID = "https://w3id.org/sce/id/"
BENCH = "https://w3id.org/sce/bench/"

HEADER = f"""@prefix sce: <{SCE}> .
@prefix id: <{ID}> .
@prefix b: <{BENCH}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

BUILTIN_MODELS = ("group-buying", "distribution", "content", "community-group-buying")
TIES = ("acquaintance-social", "pan-social", "light-social")
SYLLABLES_EN = ("pin", "duo", "kuai", "shou", "jing", "xi", "you", "zan", "bei", "dian", "hua", "sheng", "xing", "tao")
SYLLABLES_ZH = ("拼", "多", "快", "手", "京", "喜", "有", "赞", "贝", "店", "花", "生", "兴", "淘")
WORDS_EN = ("fresh", "daily", "home", "beauty", "digital", "kids", "sport", "food", "tea", "silk", "smart", "green")
WORDS_ZH = ("生鲜", "日用", "家居", "美妆", "数码", "母婴", "运动", "食品", "茶叶", "丝绸", "智能", "绿色")


def _name(rng: random.Random, n: int) -> tuple[str, str]:
    """An English and a Chinese brand-like name of ``n`` syllables, chosen in step."""
    picks = [rng.randrange(len(SYLLABLES_EN)) for _ in range(n)]
    return "".join(SYLLABLES_EN[i] for i in picks).capitalize(), "".join(SYLLABLES_ZH[i] for i in picks)


def _lit(text: str, lang: str) -> str:
    return f'"{text}"@{lang}'


class Plan:
    """How many nodes of each kind a graph of about ``triples`` triples holds."""

    def __init__(self, triples: int) -> None:
        self.models = max(4, triples // 20_000)
        self.segments = max(4, triples // 20_000)
        self.categories = max(15, triples // 2_000)
        self.enterprises = max(20, triples // 100)
        self.products = max(10, triples // 5)  # more than needed: the writer stops at the target


def _models(plan: Plan) -> Iterator[tuple[str, int]]:
    """The models: the four built-in ones extended, then synthetic ones, each with forms, a chain and targets."""
    rng = random.Random(1)
    for m in range(plan.models):
        iri = f"id:{BUILTIN_MODELS[m]}" if m < len(BUILTIN_MODELS) else f"b:model-{m}"
        en, zh = _name(rng, 3)
        forms = ", ".join(f"b:form-{m}-{f}" for f in range(4))
        other = (m + 1 + plan.categories // 2) % plan.categories
        yield (
            f"{iri} a sce:SocialCommerceModel ;\n"
            f"    rdfs:label {_lit(en + ' model', 'en')}, {_lit(zh + '模式', 'zh-Hans')} ;\n"
            f"    sce:hasForm {forms} ; sce:hasSocialChain b:chain-{m} ;\n"
            f"    sce:targets b:segment-{m % plan.segments}, b:segment-{(m + 1) % plan.segments} ;\n"
            f"    sce:coreProduct b:category-{m % plan.categories}, b:category-{other} .\n"
            f"b:chain-{m} a sce:SocialChain ;\n"
            f"    rdfs:label {_lit(en + ' chain', 'en')}, {_lit(zh + '链', 'zh-Hans')} ;\n"
            f"    sce:tieType id:{TIES[m % len(TIES)]} .\n",
            16,
        )
        for f in range(4):
            yield (
                f"b:form-{m}-{f} a sce:Form ;\n"
                f"    rdfs:label {_lit(f'{en} form {f}', 'en')}, {_lit(f'{zh}形式{f}', 'zh-Hans')} .\n",
                3,
            )


def _segments(plan: Plan) -> Iterator[tuple[str, int]]:
    for s in range(plan.segments):
        word = s % len(WORDS_EN)
        yield (
            f"b:segment-{s} a sce:UserSegment ; rdfs:label {_lit(f'{WORDS_EN[word]} shoppers {s}', 'en')}, "
            f"{_lit(f'{WORDS_ZH[word]}用户{s}', 'zh-Hans')} .\n",
            3,
        )


def _categories(plan: Plan) -> Iterator[tuple[str, int]]:
    """A category hierarchy: each category below one about a quarter of its number (a tree four to six deep)."""
    for c in range(plan.categories):
        word = c % len(WORDS_EN)
        broader = f" ; skos:broader b:category-{(c - 1) // 4}" if c else ""
        yield (
            f"b:category-{c} a sce:ProductCategory, skos:Concept ;\n"
            f"    rdfs:label {_lit(f'{WORDS_EN[word]} goods {c}', 'en')}, "
            f"{_lit(f'{WORDS_ZH[word]}商品{c}', 'zh-Hans')}{broader} .\n",
            5 if c else 4,
        )


def _enterprises(plan: Plan) -> Iterator[tuple[str, int]]:
    """Enterprises: English, Chinese and alternative labels, a parent for most, the model they represent."""
    rng = random.Random(2)
    for e in range(plan.enterprises):
        en, zh = _name(rng, 2 + e % 3)
        model = e % plan.models
        miri = f"id:{BUILTIN_MODELS[model]}" if model < len(BUILTIN_MODELS) else f"b:model-{model}"
        parent = f" ;\n    schema:parentOrganization b:enterprise-{e // 10}" if e >= 10 else ""
        yield (
            f"b:enterprise-{e} a sce:Enterprise, schema:Organization ;\n"
            f"    rdfs:label {_lit(f'{en} {e}', 'en')}, {_lit(f'{zh}{e}', 'zh-Hans')} ;\n"
            f"    skos:altLabel {_lit(en.upper(), 'en')} ;\n"
            f"    sce:represents {miri}{parent} .\n"
            f"{miri} sce:representedBy b:enterprise-{e} .\n",
            8 if parent else 7,
        )


def _products(plan: Plan) -> Iterator[tuple[str, int]]:
    """Products: a label in each language, a category (a leaf-heavy choice), a maker and a price."""
    rng = random.Random(3)
    for p in range(plan.products):
        word = rng.randrange(len(WORDS_EN))
        category = plan.categories // 4 + rng.randrange(plan.categories - plan.categories // 4)
        price = rng.randrange(100, 1_000_000) / 100
        yield (
            f"b:product-{p} a schema:Product ; rdfs:label {_lit(f'{WORDS_EN[word]} item {p}', 'en')}, "
            f"{_lit(f'{WORDS_ZH[word]}商品{p}', 'zh-Hans')} ;\n"
            f"    schema:category b:category-{category} ;\n"
            f"    schema:manufacturer b:enterprise-{rng.randrange(plan.enterprises)} ;\n"
            f'    schema:price "{price:.2f}"^^xsd:decimal .\n',
            6,
        )


def statements(triples: int) -> Iterator[tuple[str, int]]:
    """The Turtle statements of a graph of about ``triples`` triples, in a fixed order, each with its triple count."""
    plan = Plan(triples)
    for part in (_models, _segments, _categories, _enterprises, _products):
        yield from part(plan)


def write_turtle(out: TextIO, triples: int) -> int:
    """Write a graph of at least ``triples`` triples as Turtle to ``out``; return the number of triples written.

    Products are cut off once the target is reached, so the count lands within one product of ``triples``.
    """
    out.write(HEADER)
    written = 0
    for text, count in statements(triples):
        if written >= triples:
            break
        out.write(text)
        written += count
    return written


def generate(triples: int, path: Path) -> int:
    """Write the graph of ``triples`` triples to ``path`` (Turtle, UTF-8); return the triple count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return write_turtle(out, triples)


def data_file(size: str) -> Path:
    """The path of the generated file of ``size`` ("10k", "100k" or "1m"), generating it when missing."""
    path = DATA_DIR / f"social-{size}.ttl"
    if not path.exists():
        generate(SIZES[size], path)
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: ``triples path``, or ``--sizes`` for every benchmark size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", nargs="?", type=int)
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--sizes", action="store_true", help="write every benchmark size into bench/data/")
    args = parser.parse_args(argv)
    if args.sizes:
        for size in SIZES:
            print(data_file(size), file=sys.stderr)
    elif args.triples and args.path:
        print(generate(args.triples, args.path), file=sys.stderr)
    else:
        parser.error("give TRIPLES and PATH, or --sizes")


if __name__ == "__main__":
    main()
