"""The package's layers: no import cycle among kg's modules, and no library module that imports a face.

Imports are read from the source, wherever they stand: at the top of a module, inside a function (imported late to
keep start-up fast) and under ``TYPE_CHECKING`` (for the type checker only). All three count, because a cycle hidden
in a function or behind ``TYPE_CHECKING`` is still two concepts that cannot be understood apart.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parent.parent / "kg"

#: The faces of kg: they call the library; the library never calls them.
FACES = ("kg.cli", "kg.serve", "kg.mcp")


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """``kg/stores/base.py`` → ``kg.stores.base``; a package's ``__init__.py`` is the package itself."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """The modules of kg that ``name`` (at ``path``) imports, with the line of each import."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            # ``from . import query`` names a module; ``from .app import main`` names something in one.
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        for target in targets:
            if target in known and target != name:
                yield target, node.lineno


def import_graph(root: Path = PACKAGE) -> nx.DiGraph:
    found = modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        for target, line in imported(name, path, set(found)):
            graph.add_edge(name, target, line=line)
    return graph


def is_face(name: str) -> bool:
    return any(name == face or name.startswith(face + ".") for face in FACES)


def test_the_reader_sees_imports_inside_functions_and_under_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "kg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from . import b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n")
    graph = import_graph(package)
    assert set(graph.edges) == {("kg.a", "kg.b"), ("kg.b", "kg.a")}
    assert list(nx.simple_cycles(graph))


def test_kg_has_no_import_cycle() -> None:
    graph = import_graph()
    assert graph.number_of_nodes() > 40, "the reader found kg's modules"
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    shown = []
    for cycle in cycles:
        loop = nx.find_cycle(graph.subgraph(cycle))
        shown.append(" → ".join(f"{a} (line {graph.edges[a, b]['line']})" for a, b in loop) + f" → {loop[0][0]}")
    assert not cycles, "import cycles:\n" + "\n".join(shown)


@pytest.mark.parametrize("face", FACES)
def test_no_library_module_imports_a_face(face: str) -> None:
    graph = import_graph()
    wrong = [
        f"{a} imports {b} (line {data['line']})"
        for a, b, data in graph.edges(data=True)
        if not is_face(a) and (b == face or b.startswith(face + "."))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_server_does_not_import_the_command_line() -> None:
    graph = import_graph()
    wrong = [(a, b) for a, b in graph.edges if a.startswith("kg.serve") and b.startswith("kg.cli")]
    assert not wrong


def late_imports(root: Path = PACKAGE) -> Iterator[tuple[str, int, str]]:
    """Every import inside a function of kg: its file, its line, and the comment that says why it is there (on its
    own lines or the line above; "" when none)."""
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        seen = set()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno not in seen:
                    seen.add(node.lineno)
                    end = node.end_lineno or node.lineno
                    above = lines[node.lineno - 2].strip()
                    around = [above if above.startswith("#") else "", *lines[node.lineno - 1 : end]]
                    comments = [line.split("#", 1)[1].strip() for line in around if "#" in line]
                    yield str(path.relative_to(root.parent)), node.lineno, " ".join(comments)


def test_the_reader_of_late_imports_sees_each_comment(tmp_path: Path) -> None:
    package = tmp_path / "kg"
    package.mkdir()
    (package / "a.py").write_text(
        "import os  # top\n\n\ndef f():\n    import json\n\n\n"
        "def g():\n    from x import (\n        y,  # late: x costs\n    )\n"
    )
    assert list(late_imports(package)) == [("kg/a.py", 5, ""), ("kg/a.py", 9, "late: x costs")]


def test_every_import_inside_a_function_says_what_it_saves() -> None:
    """An import stays inside a function only to spare start-up a real cost; its comment says which. Cheap imports
    belong at the top of their module, where a reader sees what it depends on."""
    found = list(late_imports())
    assert len(found) > 20, "the reader found kg's late imports"
    silent = [f"{path}:{line}" for path, line, comment in found if not comment]
    assert not silent, f"imports inside functions without a comment saying what they save: {silent}"
