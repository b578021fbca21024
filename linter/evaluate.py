"""Measure accuracy on a labelled corpus: `python -m linter.evaluate FILE.jsonl`.

Each line: {"id", "text", "labels": [rule and element ids], "channel"?, "unit"?}.
A text is linted as a whole; its predicted labels are the rule ids of its findings
plus the names of its elements. Prints precision, recall and F1 per rule and
element, and the false-alarm rate on neutral items (labels empty).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from .api import Linter


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    scores: dict[str, Score]
    items: int
    neutral: int
    neutral_with_findings: int
    neutral_with_anything: int
    reply_pitfalls_present: int = 0  # pitfall labels on whole replies
    reply_pitfalls_found: int = 0
    neutral_with_pitfalls: int = 0  # fine texts accused of a pitfall (a missing handle not counted)

    @property
    def reply_pitfall_recall(self) -> float:
        """Of the pitfalls present in whole replies, the share lint-reply found."""
        return self.reply_pitfalls_found / self.reply_pitfalls_present if self.reply_pitfalls_present else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Fine texts (no label at all) with any finding, a missing handle included."""
        return self.neutral_with_findings / self.neutral if self.neutral else 0.0

    @property
    def pitfall_alarm_rate(self) -> float:
        """Fine texts with a pitfall finding (capitulation, distancing, defending, cutting off)."""
        return self.neutral_with_pitfalls / self.neutral if self.neutral else 0.0

    def to_json(self) -> dict:
        return {
            "items": self.items,
            "neutral": self.neutral,
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "pitfall_alarm_rate": round(self.pitfall_alarm_rate, 4),
            "neutral_with_any_label": self.neutral_with_anything,
            "reply_pitfall_recall": round(self.reply_pitfall_recall, 4),
            "rules": {
                name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                       "tp": s.tp, "fp": s.fp, "fn": s.fn}
                for name, s in sorted(self.scores.items())
            },
        }


def load_corpus(path: Path) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: geen geldige JSON: {error.msg}") from None
            if not isinstance(item.get("text"), str) or not isinstance(item.get("labels"), list):
                raise ValueError(f"{path}:{number}: 'text' (tekst) en 'labels' (lijst) zijn verplicht")
            items.append(item)
    return items


def evaluate(linter: Linter, items: list[dict]) -> Evaluation:
    ids = [rule.id for rule in linter.ruleset.rules]
    pitfalls = {rule.id for rule in linter.ruleset.rules if rule.kind == "pitfall"}
    scores = {rule_id: Score() for rule_id in ids}
    neutral = neutral_findings = neutral_anything = neutral_pitfalls = 0
    reply_present = reply_found = 0
    for item in items:
        report = linter.lint(item["text"], channel=item.get("channel", "email"))
        predicted = report.rules_fired() | report.element_names()
        gold = set(item["labels"])
        name = item.get("id", item["text"][:40])
        for rule_id in ids:
            score = scores[rule_id]
            if rule_id in predicted and rule_id in gold:
                score.tp += 1
            elif rule_id in predicted:
                score.fp += 1
                score.false_positives.append(name)
            elif rule_id in gold:
                score.fn += 1
                score.false_negatives.append(name)
        if item.get("unit") == "reply":
            reply_present += len(gold & pitfalls)
            reply_found += len(gold & pitfalls & predicted)
        if not gold:
            neutral += 1
            neutral_findings += bool(report.findings)
            neutral_anything += bool(predicted)
            neutral_pitfalls += bool(predicted & pitfalls)
    return Evaluation(scores, len(items), neutral, neutral_findings, neutral_anything, reply_present, reply_found, neutral_pitfalls)


def format_table(evaluation: Evaluation, title: str) -> str:
    lines = [title, f"{'regel':36} {'prec':>6} {'recall':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, score in sorted(evaluation.scores.items()):
        lines.append(
            f"{name:36} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {score.tp:4} {score.fp:4} {score.fn:4}"
        )
    lines.append(
        f"vals alarm op neutrale teksten: {evaluation.false_alarm_rate:.3f} "
        f"({evaluation.neutral_with_findings} van {evaluation.neutral}; met een valkuil: "
        f"{evaluation.neutral_with_pitfalls}); items: {evaluation.items}"
    )
    if evaluation.reply_pitfalls_present:
        lines.append(
            f"valkuilen in hele antwoorden gevonden: {evaluation.reply_pitfall_recall:.3f} "
            f"({evaluation.reply_pitfalls_found} van {evaluation.reply_pitfalls_present})"
        )
    return "\n".join(lines)


@click.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="spaCy-pijplijn (naam of pad); standaard zoals lint-reply kiest.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--errors", is_flag=True, help="Toon per regel de ids van gemiste en onterechte items.")
def main(corpus: tuple[Path, ...], model: str | None, as_json: bool, errors: bool) -> None:
    """Meet precisie en recall van lint-reply op een gelabeld corpus (JSONL)."""
    linter = Linter(model)
    results = {}
    for path in corpus:
        evaluation = evaluate(linter, load_corpus(path))
        results[str(path)] = evaluation
        if not as_json:
            click.echo(format_table(evaluation, f"{path} ({linter.pipeline.describe()})"))
            if errors:
                for name, score in sorted(evaluation.scores.items()):
                    if score.false_positives or score.false_negatives:
                        click.echo(f"  {name}: onterecht {score.false_positives} gemist {score.false_negatives}")
            click.echo("")
    if as_json:
        click.echo(json.dumps({"pipeline": linter.pipeline.name, **{k: v.to_json() for k, v in results.items()}}, indent=2))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
