"""Every rule carries its own proof: run each rule's `examples` (like LanguageTool's rule tests)."""

from __future__ import annotations

import pytest

from linter.checking import check_example, explain_failure
from linter.engine.rules import load_rules

from .conftest import PIPELINES, get_linter

RULES = load_rules().rules
CASES = [
    pytest.param(pipeline, rule.id, expected, number, text, id=f"{pipeline}-{rule.id}-{expected}-{number}")
    for pipeline in PIPELINES
    for rule in RULES
    for expected, texts in (("flag", rule.examples_flag), ("pass", rule.examples_pass))
    for number, text in enumerate(texts, 1)
]


@pytest.mark.parametrize("pipeline, rule_id, expected, number, text", CASES)
def test_rule_example(pipeline: str, rule_id: str, expected: str, number: int, text: str) -> None:
    linter = get_linter(pipeline)
    result = check_example(linter, linter.ruleset.by_id()[rule_id], expected, number, text)
    if not result.ok:
        pytest.fail(explain_failure(result) + f"\n    gevonden: {sorted(result.found)}")


def test_every_rule_has_enough_examples() -> None:
    for rule in RULES:
        assert len(rule.examples_flag) >= 8, rule.id
        assert len(rule.examples_pass) >= 8, rule.id
        if rule.kind != "element":
            assert len(rule.suggestions) >= 2, rule.id


def test_public_rule_ids_are_stable() -> None:
    assert {rule.id for rule in RULES} == {
        "capitulation", "distancing", "defensive-justification", "abrupt-closing",
        "missing-emotion-acknowledgement", "missing-alternative", "missing-closing",
        "bad-news", "emotion-acknowledgement", "clear-refusal", "alternative", "closing",
    }  # fmt: skip
