"""kg render --timeline: the dated events of a model as one offline page, coloured by kind, each linked to its source;
markup in the data stays text; Chromium draws it with no request to any other host and no script run."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.catalog import run_query
from kg.cli import main
from kg.results import str_value
from kg.stores import Store
from kg.timeline import KIND_COLOURS, TAKES, WORDS, timeline_items

from .conftest import DATA, need
from .test_browser import CHROMIUM, offline_context

XSS = DATA / "timeline_xss.trig"


class Items(HTMLParser):
    """The timeline items of a page: each item's kind, its text, and the links inside it; every script element."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self.scripts = 0
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "li" and "kg-item" in (found.get("class") or ""):
            self.items.append({"kind": found.get("data-kind"), "text": "", "links": [], "colours": []})
            self.depth = 1
        elif self.depth and tag == "li":
            self.depth += 1
        if self.depth and tag == "a":
            self.items[-1]["links"].append(found.get("href"))
        if self.depth and "background" in (found.get("style") or ""):
            self.items[-1]["colours"].append((found.get("style") or "").split(":")[1].strip())

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "li":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.items[-1]["text"] += data


def render(runner: CliRunner, tmp_path: Path, *args: str) -> tuple[str, Items]:
    out = tmp_path / "timeline.html"
    result = runner.invoke(main, ["render", "--timeline", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = Items()
    parsed.feed(out.read_text(encoding="utf-8"))
    return result.output, parsed


def test_a_model_timeline_has_one_item_per_dated_row_in_date_order(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    output, page = render(runner, tmp_path, "社区团购型")
    rows = run_query(store, "timeline", {"model": "community group buying"}).records()
    assert output == f"{tmp_path / 'timeline.html'}: {len(rows)} dated items\n"
    assert len(page.items) == len(rows) >= 15
    dates = [re.search(r"\d{4}(-\d\d){0,2}", item["text"]).group(0) for item in page.items]  # type: ignore[union-attr]
    assert dates == [str_value(r["date"]) for r in rows] == sorted(dates)
    assert page.scripts == 0


def test_each_item_is_coloured_by_its_kind_and_links_to_its_source(runner: CliRunner, tmp_path: Path) -> None:
    _, page = render(runner, tmp_path, "community group buying")
    penalties = [item for item in page.items if item["kind"] == "penalty"]
    assert len(penalties) == 5  # the five companies SAMR fined on 2021-03-03
    for item in penalties:
        assert "2021-03-03" in item["text"]
        assert item["links"] == ["https://17nai.com/p/230226.html"]
    for item in page.items:
        assert set(item["colours"]) == {KIND_COLOURS[item["kind"]]}
        assert len(item["links"]) == 1 and item["links"][0].startswith(("https://", "http://"))  # as SOURCES.md has it
    # funding: JD.com in Xingsheng Youxuan; regulation: the nine prohibitions (九不得), which regulate the model itself
    kinds = {"launch", "restructuring", "withdrawal", "penalty", "closure", "funding", "regulation"}
    assert {item["kind"] for item in page.items} == kinds


def test_disagreeing_dates_are_two_items_each_with_its_source(store: Store) -> None:
    items = [i for i in timeline_items(store, model="content") if "short-video community" in i.label]
    assert [(i.date, i.url) for i in items] == [
        ("2012-11", "https://en.wikipedia.org/wiki/Kuaishou"),
        ("2013-07", "https://m.baogao8.com/p-112870.html"),
    ]


def test_markup_in_the_data_stays_text_and_a_javascript_address_is_no_link(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "timeline.html"
    result = runner.invoke(main, ["--data", str(XSS), "render", "--timeline", "group buying", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = Items()
    page.feed(html)
    assert page.scripts == 0
    (planted,) = [item for item in page.items if "1999" in item["text"]]
    assert "<script>window.pwned=4</script>" in planted["text"]
    assert planted["links"] == []
    assert "javascript:" not in " ".join(str(link) for item in page.items for link in item["links"])
    assert "<script>window" not in html and "&lt;script&gt;window.pwned=4&lt;/script&gt;" in html


def test_an_unknown_model_is_one_line_with_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", "--timeline", "no such model", "-o", str(tmp_path / "t.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: nothing in the graph is named 'no such model'")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "t.html").exists()


def test_timeline_takes_no_sparql(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", "--timeline", "--sparql", "SELECT * {}", "-o", str(tmp_path / "t.html")])
    assert result.exit_code == 2
    assert result.stderr == "kg: error: --timeline takes a model NAME only, not --sparql or --param\n"


@pytest.mark.browser
def test_chromium_draws_the_timeline_offline_and_runs_no_planted_script(runner: CliRunner, tmp_path: Path) -> None:
    need(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    out = tmp_path / "timeline.html"
    result = runner.invoke(main, ["--data", str(XSS), "render", "--timeline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    errors: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context, blocked = offline_context(chromium)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(out.as_uri())
        items = page.locator("li.kg-item")
        assert items.count() == int(page.inner_text("#kg-item-count")) >= 50
        penalty = page.locator("li.kg-item[data-kind='penalty'] .kg-dot").first
        assert penalty.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
        assert page.locator("li.kg-item a[href='https://17nai.com/p/230226.html']").count() == 5
        page.locator("li.kg-item").filter(has_text="1999").first.hover()
        assert page.evaluate("window.pwned") is None
        assert page.locator("li.kg-item").filter(has_text="<script>window.pwned=4</script>").count() == 1
        context.close()
        chromium.close()
    assert blocked == []
    assert errors == []


# --- One language at a time -------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def own_text(page: str) -> str:
    """What a reader of ``page`` reads, but the items' own text and their sources (data: the seed writes some of
    its Chinese labels with Latin letters, such as "B2C"): title, counts, legend, badges, enterprises."""
    page = re.sub(r'<span class="kg-(label|source)">.*?</span>\s*(?=<|$)', " ", page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    return re.sub(r"<[^>]+>", " ", page) + " " + attributes


@pytest.mark.parametrize("name", [None, "社区团购型", "快手"])
def test_the_chinese_timeline_has_no_english_word_of_its_own(
    runner: CliRunner, tmp_path: Path, name: str | None
) -> None:
    """With --lang zh-Hans the heading, counts, legend, kind badges and enterprises are Chinese: no word of the English
    page's own (WORDS) and no English kind label is left."""
    out = tmp_path / "timeline.html"
    named = [name] if name else []
    result = runner.invoke(main, ["render", "--timeline", *named, "--lang", "zh-Hans", "-o", str(out)])
    assert result.exit_code == 0, result.output
    words = own_text(out.read_text(encoding="utf-8"))
    english = [w for w in WORDS["en"].values() for part in w.split("{") if (piece := part.split("}")[-1].strip())
               and piece in words]  # fmt: skip
    assert english == [], english
    assert re.findall(r"[A-Za-z]{3,}", words) == []
    assert "时间线" in words and "条有日期的条目" in words and CJK.search(words)


def test_the_english_timeline_has_no_chinese_word_of_its_own(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    """No Chinese on the English page but an enterprise's English name where the graph writes it in Chinese."""
    out = tmp_path / "timeline.html"
    result = runner.invoke(main, ["render", "--timeline", "content", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    words = own_text(out.read_text(encoding="utf-8"))
    names = "SELECT ?name WHERE { ?e a sce:Enterprise ; rdfs:label ?name FILTER (langMatches(lang(?name), 'en')) }"
    for row in store.select(names):
        words = words.replace(f"({str_value(row['name'])})", " ") if CJK.search(str_value(row["name"])) else words
    assert CJK.findall(words) == [] and "Timeline: content" in words and "dated items" in words


def test_an_enterprise_timeline_draws_its_own_events_only(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    _, page = render(runner, tmp_path, "快手", "--lang", "zh-Hans")
    rows = [r for r in run_query(store, "timeline", {"model": "content"}).records()
            if str_value(r["enterprise"]) == "https://w3id.org/sce/id/kuaishou"]  # fmt: skip
    assert len(page.items) == len({(str_value(r["date"]), str_value(r["item"]), str_value(r["url"])) for r in rows}) > 0
    assert all("（快手）" in item["text"] for item in page.items)


def test_a_node_neither_model_nor_enterprise_gets_one_line_saying_what_the_timeline_takes(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["render", "--timeline", "直播", "-o", str(tmp_path / "t.html")])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "neither a model nor an enterprise" in result.stderr and TAKES in result.stderr
    assert not (tmp_path / "t.html").exists()
