"""What a newcomer meets first: bare `kg`, a timeline asked of an enterprise, language tags in queries."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.catalog import catalog
from kg.cli import main
from kg.stores import open_store

ROOT = Path(__file__).resolve().parent.parent


def test_bare_kg_shows_the_help_as_click_prints_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main(prog_name='kg')"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode in (0, 2) and "kg: error" not in done.stderr
    shown = done.stdout + done.stderr
    assert shown.startswith("Usage: kg [OPTIONS] COMMAND [ARGS]...")
    assert max(len(line) for line in shown.splitlines()) <= 100 and "\nCommands:\n" in shown


def test_a_timeline_of_an_enterprise_draws_its_events(tmp_path: Path) -> None:
    target = tmp_path / "pdd.html"
    result = CliRunner().invoke(main, ["render", "--timeline", "Pinduoduo", "-o", str(target)])
    assert result.exit_code == 0
    count = int(re.fullmatch(r".*: (\d+) dated items\n", result.stdout).group(1))  # type: ignore[union-attr]
    assert count >= 1 and "Pinduoduo" in target.read_text(encoding="utf-8")
    every = CliRunner().invoke(main, ["render", "--timeline", "group buying", "-o", str(tmp_path / "m.html")])
    assert int(every.stdout.split(": ")[1].split()[0]) >= count  # the model holds its enterprises' items


def test_a_timeline_of_something_else_says_what_it_takes(tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["render", "--timeline", "价格敏感型用户", "-o", str(target)])
    assert result.exit_code == 2 and not target.exists()
    assert result.stderr.count("\n") == 1 and "neither a model nor an enterprise" in result.stderr


@pytest.mark.parametrize("query", sorted(catalog().values()), ids=lambda q: q.name)
def test_no_named_query_compares_a_language_tag_with_equals(query: object) -> None:
    text = query.text  # type: ignore[attr-defined]
    assert not re.search(r"lang\s*\([^()]*\)\s*(=|!=)", text, re.IGNORECASE), "use langMatches: the engine lowercases"


def test_why_queries_use_langmatches() -> None:
    """The engine reports tags in lower case, so ``lang(?l) = "zh-Hans"`` matches nothing; langMatches matches."""
    store = open_store()
    base = "SELECT (COUNT(*) AS ?n) WHERE {{ <https://w3id.org/sce/id/kuaishou> rdfs:label ?l FILTER ({}) }}"
    count = lambda test: int(store.query(base.format(test)).rows[0][0].value)  # noqa: E731
    assert count('lang(?l) = "zh-Hans"') == 0
    assert count('langMatches(lang(?l), "zh-Hans")') == count('lang(?l) = "zh-hans"') >= 1
