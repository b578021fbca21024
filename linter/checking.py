"""Run rules' embedded examples and explain every failure in Dutch (tests and `--check-rules`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .api import Linter
from .engine.analysis import analyse
from .engine.rules import Rule


@dataclass
class ExampleResult:
    rule: str
    expected: str  # "flag" (must trigger) or "pass" (must not)
    number: int
    text: str
    found: set[str] = field(default_factory=set)  # rule ids and element names the text got
    matched: list[str] = field(default_factory=list)  # the words the rule matched
    reasons: list[str] = field(default_factory=list)  # why matches of this rule were dropped

    @property
    def ok(self) -> bool:
        return (self.rule in self.found) == (self.expected == "flag")


def check_example(linter: Linter, rule: Rule, expected: str, number: int, text: str) -> ExampleResult:
    report = linter.lint(text)
    result = ExampleResult(rule.id, expected, number, text, report.rules_fired() | report.element_names())
    result.matched = [f.text for f in report.findings if f.rule == rule.id]
    result.matched += [e.text for e in report.elements if e.name == rule.id]
    if not result.ok:
        trace: list[str] = []
        linter.matcher.run(analyse(linter.nlp, text), trace)
        result.reasons = [line for line in trace if line.startswith(f"{rule.id}:")]
    return result


def check_rules(linter: Linter, rules: list[Rule]) -> list[ExampleResult]:
    results = []
    for rule in rules:
        for expected, texts in (("flag", rule.examples_flag), ("pass", rule.examples_pass)):
            results.extend(check_example(linter, rule, expected, n, text) for n, text in enumerate(texts, 1))
    return results


def explain_failure(result: ExampleResult) -> str:
    """A failed example, for a trainer: the sentence, what was expected, what happened and why."""
    text = " ".join(result.text.split())
    if result.expected == "flag":
        expected = "de regel gaat af"
        happened = "de regel ging niet af"
        why = "; ".join(result.reasons) or "geen enkel patroon van de regel paste op deze zin"
    else:
        expected = "de regel gaat niet af"
        happened = f"de regel ging af op: {', '.join(repr(m) for m in result.matched) or '(de hele tekst)'}"
        why = "een patroon paste en geen uitzondering ('unless') of bewaker hield het tegen"
    soort = "moet afgaan" if result.expected == "flag" else "mag niet afgaan"
    return "\n".join(
        [
            f"✗ {result.rule}: voorbeeld {result.number} ({soort}) klopt niet",
            f"    zin:      “{text}”",
            f"    verwacht: {expected}",
            f"    gebeurd:  {happened}",
            f"    waarom:   {why}",
        ]
    )


def format_check(results: list[ExampleResult], rules: list[Rule]) -> str:
    lines = []
    for rule in rules:
        own = [r for r in results if r.rule == rule.id]
        failed = [r for r in own if not r.ok]
        if failed:
            lines.extend(explain_failure(r) for r in failed)
        else:
            lines.append(f"✓ {rule.id}: alle {len(own)} voorbeelden kloppen")
    total_failed = sum(1 for r in results if not r.ok)
    summary = (
        f"Resultaat: {len(rules)} regels, {len(results)} voorbeelden, "
        + ("alles klopt." if not total_failed else f"{total_failed} voorbeelden kloppen niet.")
    )
    return "\n".join(lines + ["", summary])
