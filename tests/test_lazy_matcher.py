"""Matchers are built per anchor bucket on first use: a cold command builds only what its text needs."""

from __future__ import annotations

from pathlib import Path

from linter import Linter

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted((ROOT / "examples").glob("*.txt"))


def _reports(linter: Linter) -> list[str]:
    return [repr(linter.lint(path.read_text(encoding="utf-8")).to_json()) for path in DRAFTS]


def test_lazy_matchers_find_what_all_matchers_find() -> None:
    lazy, eager = Linter("embedded"), Linter("embedded")
    eager.warm_up()
    assert all(matcher is not None for matcher in eager.matcher._anchored)
    assert _reports(lazy) == _reports(eager)
    assert lazy.matcher.pattern_count == eager.matcher.pattern_count
    assert any(matcher is None for matcher in lazy.matcher._anchored)  # a few drafts need only some buckets
