"""Every rule carries its own proof: run each rule's `examples` (like LanguageTool's rule tests)."""

from __future__ import annotations

import pytest

from linter.analysis import analyse
from linter.rules import load_rules

from .conftest import PIPELINES, get_linter, labels

RULES = load_rules().rules
CASES = [
    pytest.param(pipeline, rule.id, expected, text, id=f"{pipeline}-{rule.id}-{expected}-{number}")
    for pipeline in PIPELINES
    for rule in RULES
    for expected, texts in (("flag", rule.examples_flag), ("pass", rule.examples_pass))
    for number, text in enumerate(texts, 1)
]


@pytest.mark.parametrize("pipeline, rule_id, expected, text", CASES)
def test_rule_example(pipeline: str, rule_id: str, expected: str, text: str) -> None:
    linter = get_linter(pipeline)
    report = linter.lint(text)
    found = labels(report)
    if (rule_id in found) == (expected == "flag"):
        return
    trace: list[str] = []
    linter.compiled.run(analyse(linter.nlp, text), trace)
    why = "; ".join(line for line in trace if line.startswith(rule_id)) or "geen patroon paste"
    verb = "moet afgaan maar gaat niet af" if expected == "flag" else "mag niet afgaan maar gaat af"
    pytest.fail(f"[{rule_id}] {verb} op: {text!r}\n  gevonden: {sorted(found)}\n  reden: {why}")


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
