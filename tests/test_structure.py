"""The package's structure: the layout shows the data flow, layers import only downstream, no import
cycle, and no rule knowledge written in Python."""

from __future__ import annotations

import ast
from pathlib import Path

from linter.engine.rules import load_rules

PACKAGE = Path(__file__).resolve().parent.parent / "linter"
# The top level holds what every part shares; everything else lives in a sub-package.
TOP_LEVEL = {"__init__", "__main__", "api", "config", "report", "render", "names", "paths", "checking", "evaluate", "docs"}
SUB_PACKAGES = {"engine", "input", "frontends"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside `if TYPE_CHECKING:` (annotations only, never run)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            hidden |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return hidden


def _imports() -> dict[str, set[str]]:
    """module -> the package's modules it imports (at the top or inside a function)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                # `from . import x` names a module when x is one
                found |= {f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in modules}
                found.add(target)
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {module for module in found if module in modules and module != name}
    # The package itself only names `Linter`, `lint` and the report classes for users, imported
    # on first use; modules import it for `__version__` alone, so its lazy imports are no edge.
    graph["linter"] = set()
    return graph


def test_the_layout_shows_the_plan() -> None:
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top == TOP_LEVEL, "a new top-level module: does it belong in engine/, input/ or frontends/?"
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages == SUB_PACKAGES
    for name in packages:
        tree = ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"linter/{name}/__init__.py says what it holds and where the data goes next"
        assert all(isinstance(node, ast.Expr) for node in tree.body), "importing a sub-package loads nothing"


def test_no_import_cycle() -> None:
    graph = _imports()
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


def _offending(prefix: str, allowed) -> list[str]:
    return [f"{module} imports {target}" for module, targets in sorted(_imports().items()) if module.startswith(prefix)
            for target in sorted(targets) if not allowed(target)]  # fmt: skip


def test_the_engine_imports_no_input_and_no_front_end() -> None:
    """The engine takes a text and gives a Report; reading input and the front ends come around it."""
    shared = {"linter", "linter.names", "linter.paths", "linter.report"}
    assert not _offending("linter.engine", lambda target: target.startswith("linter.engine") or target in shared)


def test_the_input_does_not_match_or_judge() -> None:
    """Extracting the new text needs no pipeline or rules: only the engine's spaCy-free `analysis` (the sign-off)."""
    shared = {"linter", "linter.names", "linter.paths", "linter.report", "linter.engine", "linter.engine.analysis"}
    assert not _offending("linter.input", lambda target: target.startswith("linter.input") or target in shared)


def test_only_front_ends_import_front_ends() -> None:
    graph = _imports()
    wrong = [f"{module} imports {target}" for module, targets in sorted(graph.items())
             if not module.startswith("linter.frontends") and module != "linter.__main__"
             for target in sorted(targets) if target.startswith("linter.frontends")]  # fmt: skip
    assert not wrong, wrong


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
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, found
