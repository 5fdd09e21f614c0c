"""Docs that cannot rot: the README's console blocks are run and their output compared, its command table matches
`kg --help`, and every command has help text."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

README = Path(__file__).parent.parent / "README.md"
#: The pages whose console blocks are run as the README's are.
RUN_PAGES = (README, README.parent / "docs" / "browse.md")
#: The terminal width the README's examples were written at.
README_COLUMNS = "120"


def console_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ kg …`` command of the console blocks of the README (and of docs/browse.md), with the lines it is
    shown to print."""
    examples: list[tuple[str, list[str]]] = []
    text = "\n".join(page.read_text(encoding="utf-8") for page in RUN_PAGES)
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return [(command, _trimmed(lines)) for command, lines in examples]


def _trimmed(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


EXAMPLES = console_examples()


def test_the_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_prints_what_the_readme_shows(command: str, expected: list[str]) -> None:
    words = shlex.split(command)
    assert words[0] == "kg"
    result = CliRunner().invoke(main, words[1:], env={"COLUMNS": README_COLUMNS})
    assert result.exit_code == 0, result.output
    assert _trimmed(result.stdout.splitlines()) == expected


def test_the_readme_command_table_names_exactly_the_commands_of_kg() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Commands") :]
    table = table[: table.index("\n\n", table.index("| command"))]
    named = set(re.findall(r"`kg ([a-z]+)", table))
    assert named == set(main.commands)


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_text(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help.split()) >= 5
    assert all(p.help for p in command.params if hasattr(p, "help") and p.param_type_name == "option")


def test_the_readme_python_examples_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an example may save a file
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "content" in printed and "Kuaishou" in printed


def test_the_readme_layout_names_every_module_of_kg() -> None:
    text = README.read_text(encoding="utf-8")
    layout = text[text.index("## Layout") :]
    package = Path(__file__).parent.parent / "kg"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = sorted(m for m in modules if not re.search(rf"\b{m}\b", layout))
    assert missing == []


@pytest.mark.server
def test_the_readme_http_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    from .conftest import need
    from .servers import start_kg_serve

    need(shutil.which("curl") is not None, "curl")
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)]
    examples = [b for b in blocks if b.startswith("$ ") and "127.0.0.1:8000" in b]
    assert len(examples) >= 2
    server = start_kg_serve(tmp_path)
    try:
        port = server.url.split(":")[2].split("/")[0]
        for block in examples:
            command, _, shown = block.partition("\n")
            body, expected = command[2:], shown
            if "<<'EOF'" in command:  # a heredoc: its lines up to EOF belong to the command
                script, _, expected = shown.partition("EOF\n")
                body = command[2:] + "\n" + script + "EOF"
            body = body.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace("python -", f"{sys.executable} -")
            done = subprocess.run(["bash", "-c", body], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
            assert _trimmed(done.stdout.splitlines()) == _trimmed(expected.splitlines())
    finally:
        server.stop()
