"""Answers people read on a terminal: no token cut, Chinese wrapped by its rules, records when a table cannot fit.

The outputs are parsed: a table's columns by its rule of dashes, records by their ``name | value`` lines.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.tables import CLOSING, OPENING, Table, units, width, wrap

ROOT = Path(__file__).resolve().parent.parent
#: Named queries whose answers hold long text, dates, numbers, URLs and Chinese, as people run them.
QUERIES = [
    ["events-of-kind", "-p", "kind=处罚"],
    ["timeline"],
    ["models"],
    ["enterprise-seats"],
    ["listed-enterprises"],
    ["provenance", "-p", "node=快手"],
]
#: A piece of text no table may cut: a run of letters, digits and signs with no CJK character or space in it.
TOKEN = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def invoke(*args: str, columns: int | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": str(columns) if columns else ""}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def slice_columns(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between terminal columns ``start`` and ``end`` (CJK counted as two)."""
    out, at = "", 0
    for char in line:
        if start <= at < end:
            out += char
        at += width(char)
    return out.strip()


def table_cells(text: str) -> list[list[str]]:
    """Every line of a table's body cut into its cells, by the columns its rule of dashes marks."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and line)
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    return [[slice_columns(line, a, b) for a, b in spans] for line in lines[rule + 1 : -1]]


def body(text: str) -> str:
    """A table's rows: the lines between its rule of dashes and its row count."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and line)
    return "\n".join(lines[rule + 1 : -1])


def tokens(text: str) -> set[str]:
    return set(TOKEN.findall(text))


def fits(line: str, columns: int) -> bool:
    """Whether a line of records keeps within ``columns``: only a token wider than the room its value has beside the
    field's name (a long web address) may take a line past it, since a token is never cut."""
    name, bar, value = line.rpartition(" | ")
    room = columns - width(name + bar)
    return width(line) <= columns or any(width(token) > room for token in TOKEN.findall(value))


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[0])
def test_a_fitted_table_cuts_no_number_date_iri_or_word(query: list[str], lang: str) -> None:
    code, whole, _ = invoke("query", *query, "-f", "table", "--lang", lang)
    assert code == 0
    rows = tokens(body(whole))
    for columns in (80, 120):
        code, fitted, _ = invoke("query", *query, "-f", "table", "--lang", lang, columns=columns)
        assert code == 0
        shown = tokens(body(fitted))
        assert shown == rows, f"cut: {sorted(shown - rows)[:5]}"
        code, records, _ = invoke("query", *query, "-f", "records", "--lang", lang, columns=columns)
        assert code == 0 and all(fits(line, columns) for line in records.splitlines())
        values = tokens("\n".join(line.split(" | ", 1)[1] for line in records.splitlines() if " | " in line))
        assert values == rows, f"cut: {sorted(values - rows)[:5]}"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[0])
def test_chinese_lines_never_start_with_closing_or_end_with_opening_punctuation(query: list[str]) -> None:
    for columns in (60, 80, 120):
        code, out, _ = invoke("query", *query, "-f", "table", "--lang", "zh", columns=columns)
        assert code == 0
        for cells in table_cells(out):
            for cell in cells:
                assert not cell or cell[0] not in CLOSING, f"{cell!r} starts with closing punctuation"
                assert not cell or cell[-1] not in OPENING, f"{cell!r} ends with opening punctuation"


def test_chinese_wraps_between_characters_and_keeps_punctuation_with_its_word() -> None:
    text = "以社区为单位，商家招募社区居民成为团长（“团长”）。罚款 745658.00 元，2019-03-14 公布。"
    for limit in range(4, 30):
        lines = wrap(text, limit)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(line[0] not in CLOSING and line[-1] not in OPENING for line in lines), lines
        assert "745658.00" in " ".join(lines).split() or any("745658.00" in line for line in lines)
        assert any("2019-03-14" in line for line in lines)
    assert units("（2019）。") == [("（2019）。", False)]


def test_a_table_that_cannot_fit_its_tokens_becomes_records() -> None:
    headers, row = ["date", "url"], ["2019-03-14", "https://w3id.org/sce/id/kuaishou"]
    lines = list(Table(headers, width=30).lines([row]))
    assert lines[0].startswith("-[ RECORD 1 ]")
    assert lines[1:3] == ["date | 2019-03-14", "url  | https://w3id.org/sce/id/kuaishou"]
    assert lines[-1] == "(1 row)"
    assert next(Table(headers, width=60).lines([row])).split() == headers  # wide enough: a table


def test_records_and_table_can_be_forced(runner: CliRunner) -> None:
    code, out, _ = invoke("query", "enterprise-model", "-p", "enterprise=快手", "-f", "records", "--lang", "zh")
    assert code == 0
    assert out.splitlines()[0].startswith("-[ 第 1 条 ]")
    assert out.splitlines()[1:] == ["企业 | 快手", "模式 | 内容型", "（共 1 行）"]
    code, out, _ = invoke("query", "events-of-kind", "-p", "kind=penalty", "-f", "table", columns=40)
    assert code == 0 and out.splitlines()[0].split()[:2] == ["date", "event"]  # forced, though it is tall


def test_records_wrap_long_values_under_their_field() -> None:
    text = "Takes a residential community as the unit: merchants recruit residents as group leaders"
    lines = list(Table(["model", "definition"], width=40, layout="records").lines([["community", text]]))
    values = [line.split(" | ", 1)[1] for line in lines[1:-1]]
    assert " ".join(values[1:]) == text and all(width(line) <= 40 for line in lines)
    assert all(line.startswith(("model      | ", "definition | ", "           | ")) for line in lines[1:-1])


def _on_a_terminal(columns: int, *args: str) -> str:
    """``kg ARGS`` run on a pseudo-terminal ``columns`` wide, as a person runs it."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", *args],
        stdout=follower,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_on_a_narrow_terminal_a_wide_answer_is_shown_as_records() -> None:
    narrow = _on_a_terminal(80, "query", "events-of-kind", "-p", "kind=处罚", "--lang", "zh-Hans")
    assert narrow.startswith("-[ 第 1 条 ]")
    fields = [line.split(" | ")[0].strip() for line in narrow.splitlines() if " | " in line]
    assert [f for f in fields if f][:7] == ["日期", "事件", "企业", "处罚机关", "罚款（元）", "来源标题", "网址"]
    assert "2019-03-14" in narrow.split() and all(fits(line, 80) for line in narrow.splitlines())
    wide = _on_a_terminal(120, "query", "models", "--lang", "zh-Hans")
    assert wide.splitlines()[0].split() == ["模式", "定义"]  # fits: a table
