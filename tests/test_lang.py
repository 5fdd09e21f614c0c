"""kg.lang: one notion of language for the command line, the pages, the API and MCP."""

from __future__ import annotations

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
