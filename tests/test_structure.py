"""The package's modules import each other without a cycle (module level)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "linter"


def test_no_import_cycle() -> None:
    modules = {path.stem: path for path in PACKAGE.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imports: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imports |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
        graph[name] = imports & set(modules)
    cycles: list[list[str]] = []

    def visit(name: str, stack: list[str], done: set[str]) -> None:
        if name in stack:
            cycles.append(stack[stack.index(name):] + [name])
            return
        if name in done:
            return
        done.add(name)
        for other in sorted(graph[name]):
            visit(other, stack + [name], done)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert not cycles, cycles
