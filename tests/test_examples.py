"""The example drafts in examples/ report exactly what examples/expected.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter import Linter

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))


def test_there_are_enough_examples() -> None:
    assert len(EXPECTED) >= 8
    assert any(not e["findings"] for e in EXPECTED.values()) and any(e["findings"] for e in EXPECTED.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(any_linter: Linter, name: str) -> None:
    expected = EXPECTED[name]
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    report = any_linter.lint(text, channel=expected["channel"])
    assert sorted(report.rules_fired()) == sorted(expected["findings"]), name
    assert sorted(report.element_names()) == sorted(expected["elements"]), name
