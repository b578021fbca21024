"""The package's structure: no import cycle, and no rule knowledge written in Python."""

from __future__ import annotations

import ast
from pathlib import Path

from linter.engine.rules import load_rules

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


def test_no_rule_id_or_handle_title_in_python() -> None:
    """Rule ids, rule titles and handle titles live in rules/; Python reads them through the rule set."""
    ruleset = load_rules()
    known = {rule.id for rule in ruleset.rules} | {rule.title for rule in ruleset.rules}
    known |= {f"{rule.handle}. {rule.title}" for rule in ruleset.handle_elements()}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}  # prose may name rules
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                words = set(node.value.replace(",", " ").replace("'", " ").split())
                if node.value in known or words & {rule.id for rule in ruleset.rules}:
                    found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, found
