"""kg.lang: one notion of language for the command line, the pages, the API and MCP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.requests import Request

from kg.cli import main
from kg.errors import KGError
from kg.lang import CHINESE, ENGLISH, choose, is_chinese, parse, short, tag
from kg.serve.web import language

CHINESE_SPELLINGS = ["zh", "ZH", "zh-Hans", "zh-hans", "ZH-HANS", "zh-CN", "zh_CN", "zh_cn", "zh-SG", "zh-Hans-CN"]
ENGLISH_SPELLINGS = ["en", "EN", "en-US", "en_US", "en-GB", "En-gb"]


@pytest.mark.parametrize("spelling", CHINESE_SPELLINGS)
def test_every_spelling_of_chinese_is_one_language(spelling: str) -> None:
    assert tag(spelling) == parse(spelling) == CHINESE and is_chinese(spelling) and short(spelling) == "zh"


@pytest.mark.parametrize("spelling", ENGLISH_SPELLINGS)
def test_every_spelling_of_english_is_one_language(spelling: str) -> None:
    assert tag(spelling) == parse(spelling) == ENGLISH and not is_chinese(spelling) and short(spelling) == "en"


@pytest.mark.parametrize("spelling", ["fr", "zh-Hant", "zh-TW", "", "english"])
def test_other_languages_are_refused_in_one_line(spelling: str) -> None:
    with pytest.raises(KGError) as caught:
        parse(spelling)
    assert "\n" not in str(caught.value) and "zh-Hans" in str(caught.value)


def test_a_label_falls_back_to_english_then_to_no_language() -> None:
    both = [("Kuaishou", "en"), ("快手", "zh-hans")]  # the engine reports tags in lower case
    assert choose(both, "zh_CN") == "快手" and choose(both, "en-US") == "Kuaishou"
    assert choose([("Kuaishou", "en")], "zh") == "Kuaishou"
    assert choose([("plain", "")], "zh") == "plain" and choose([], "zh") == ""


@pytest.mark.parametrize("spelling", ["zh", "zh-CN", "zh_CN", "ZH-HANS", "zh-hans"])
def test_the_command_line_takes_every_spelling_of_chinese(runner: CliRunner, spelling: str) -> None:
    result = runner.invoke(
        main, ["query", "enterprise-model", "-p", "enterprise=快手", "-f", "table", "--lang", spelling]
    )
    assert result.exit_code == 0, result.output
    assert "内容型" in result.stdout


def test_the_command_line_refuses_another_language_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "models", "--lang", "fr"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "'fr'" in result.stderr


def _request(query: str = "", cookie: str = "", accept: str = "") -> Request:
    headers = [(b"accept-language", accept.encode()), (b"cookie", cookie.encode())]
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


def test_pages_take_the_same_spellings_as_the_command_line() -> None:
    for spelling in ("zh", "zh-Hans", "zh_CN", "ZH-cn"):
        assert language(_request(f"lang={spelling}")) == "zh"
    assert language(_request("lang=en-US", cookie="kg_lang=zh")) == "en"
    assert language(_request(cookie="kg_lang=zh-Hans")) == "zh"
    assert language(_request(accept="fr;q=1, zh-TW;q=0.8")) == "zh"  # a reader of any Chinese reads ours
    assert language(_request("lang=fr", accept="de")) == "en"


# --- The command line in one language at a time ----------------------------------------------------------------------

#: Commands whose answer is a table for people, each run in both languages.
TABLES = [
    ["stats"], ["graphs"], ["queries"], ["query", "models"], ["query", "timeline", "-p", "model=拼购型"], ["central"],
    ["compare"], ["describe", "快手"], ["describe", "拼多多"], ["path", "快手", "拼多多"], ["similar", "快手"],
    ["search", "快手"],
]  # fmt: skip
#: Words that are names in either language (of a format, an identifier scheme), not words of one language.
NAMES = {"IRI", "CURIE", "RDF", "SPARQL", "kg", "validate", "strict"}
#: The words of the messages that describe results, in each language: a language shows its own and none of the other's.
MESSAGE_WORDS = {
    ENGLISH: [
        "violations (first:",
        "; run kg validate",
        "does not conform",
        "triples into",
        "dropped <",
        "Violation:",
        " nodes, ",
        " links",
        " dated items",
    ],
    CHINESE: [
        "处违反约束（第一处：",
        "；请运行 kg validate",
        "图谱不符合其约束",
        "个三元组载入",
        "已删除 <",
        "违反：",
        " 个节点，",
        " 条连线",
        " 条带日期的条目",
    ],
}
#: A file that breaks the shapes: a model with a name and nothing else.
BROKEN = """@prefix sce: <https://w3id.org/sce/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/sce/id/bare> a sce:SocialCommerceModel ; rdfs:label "Bare"@en , "光秃模式"@zh-Hans .
"""


def english_words(text: str) -> list[str]:
    """The English words of ``text``: runs of two or more Latin letters that are no name of :data:`NAMES`."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in NAMES]


def chinese_words(text: str) -> list[str]:
    return re.findall(r"[\u3400-\u9fff\uff01-\uff5e]+", text)


def own_words(out: str) -> list[str]:
    """What a table for people says in its own words: the heading's names (before ``:``), the column titles, the
    row count; not the values, which are the graph's (a source's English title, a Chinese name)."""
    lines = out.rstrip("\n").splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+( +-+)*", line))
    keys = [re.split(r":|：", line, maxsplit=1)[0] for line in lines[: rule - 1] if not line.startswith(("  ", "id:"))]
    return [*keys, lines[rule - 1], lines[-1]]


@pytest.mark.parametrize("columns", ["80", "120"])
@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_a_table_speaks_one_language(runner: CliRunner, args: list[str], columns: str) -> None:
    for lang, foreign in ((CHINESE, english_words), (ENGLISH, chinese_words)):
        result = runner.invoke(main, [*args, "-f", "table", "--lang", lang], env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        words = own_words(result.stdout)
        assert [w for w in words if foreign(w)] == [], (lang, words)


def test_what_kg_stats_counts_is_named_in_the_language_asked_for(runner: CliRunner) -> None:
    first = {lang: {line.split()[0] for line in runner.invoke(main, ["stats", "-f", "table", "--lang", lang]).stdout
                    .splitlines()[2:-1]} for lang in (ENGLISH, CHINESE)}  # fmt: skip
    assert first == {ENGLISH: {"triples", "graph", "class"}, CHINESE: {"三元组总数", "命名图", "类"}}


def _messages(runner: CliRunner, folder: Path, lang: str) -> str:
    """Everything the commands that check, load and draw data say about it, in ``lang``: a validation, a warning
    about a --data file, a load, a refused load, a drop, a drawing, a timeline."""
    broken = folder / "broken.ttl"
    broken.write_text(BROKEN, encoding="utf-8")
    store = str(folder / f"store-{lang}")
    runs = [
        ["validate", str(broken)],
        ["--data", str(broken), "stats", "-f", "json"],
        ["--store", store, "load", str(broken)],
        ["--store", store, "load", "--strict", str(broken)],
        ["--store", store, "drop", str(broken)],
        ["render", "models", "-o", str(folder / f"models-{lang}.html")],
        ["render", "--timeline", "拼购型", "-o", str(folder / f"timeline-{lang}.html")],
    ]
    said = []
    for args in runs:
        result = runner.invoke(main, [*args, "--lang", lang])
        assert "Traceback" not in result.output
        said.append(result.stderr + (result.stdout if args[-2:] != ["-f", "json"] else ""))
    return "\n".join(said)


def test_messages_about_results_speak_one_language(runner: CliRunner, tmp_path: Path) -> None:
    for lang, other in ((ENGLISH, CHINESE), (CHINESE, ENGLISH)):
        said = _messages(runner, tmp_path, lang)
        assert [w for w in MESSAGE_WORDS[lang] if w not in said] == [], said
        assert [w for w in MESSAGE_WORDS[other] if w in said] == [], said
        warnings = [line for line in said.splitlines() if line.startswith(("kg: warning: ", "kg: error: "))]
        assert len(warnings) == 3  # the prefixes programs read stay as they are: --data, load, load --strict
        assert ("光秃模式（id:bare）" if lang == CHINESE else "Bare (id:bare)") in said  # the node by its name in lang


@pytest.mark.parametrize("name", ["enterprises", "enterprise-parents", "social-ties"])
def test_a_named_query_names_its_nodes_in_the_language_asked_for(runner: CliRunner, name: str) -> None:
    """The models (and chains) these queries list are named in Chinese in a Chinese table, in English in an English
    one."""
    for lang, foreign in ((CHINESE, english_words), (ENGLISH, chinese_words)):
        result = runner.invoke(main, ["query", name, "-f", "markdown", "--lang", lang])
        assert result.exit_code == 0, result.output
        lines = [[cell.strip() for cell in line.strip("|").split("|")] for line in result.stdout.splitlines()]
        titles, rows = lines[0], lines[2:]
        column = titles.index("模式" if lang == CHINESE else "model")
        models = {row[column] for row in rows if row[column]}
        assert models and [m for m in models if foreign(m)] == [], (lang, models)
