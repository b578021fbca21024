"""The learned cues (rules/learned/cues.json): loading, scoring, and how they reach a finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.api import Linter
from linter.engine.cues import Cues, features
from linter.engine.rules import CUES_FILE, load_rules
from linter.names import RuleError, builtin_rules_dir

SHIPPED = builtin_rules_dir() / CUES_FILE


def test_features_are_words_and_pairs_without_punctuation() -> None:
    assert features(["Dat", "kost", "€", "12,50", "."]) == {"dat", "kost", "<getal>", "dat_kost", "kost_<getal>"}


def test_shipped_models_belong_to_rules_that_ask_for_them() -> None:
    ruleset = load_rules()
    asking = {rule.id for rule in ruleset.rules if rule.learned_cues}
    assert ruleset.cues.models, "no learned cue models shipped"
    assert set(ruleset.cues.models) <= asking
    for model in ruleset.cues.models.values():
        assert 0.3 <= model.threshold < 1


def test_probability_rises_with_a_strong_cue() -> None:
    cues = load_rules().cues
    rule = "defensive-justification"
    weights = cues.models[rule].weights
    strongest = max(weights, key=lambda term: weights[term] * cues.idf[term])
    weakest = min(weights, key=lambda term: weights[term] * cues.idf[term])
    assert cues.probability(rule, {strongest}) > cues.probability(rule, {weakest})
    assert cues.strongest(rule, {strongest, weakest}) == [strongest.replace("_", " ")]


def test_a_learned_hit_names_its_words_and_a_pattern_hit_does_not(linter: Linter) -> None:
    cues = linter.ruleset.cues
    rule = "defensive-justification"
    # a sentence of the model's strongest single words must reach the threshold; words that a
    # phrase pattern catches ("nogmaals") are left out, so that only the cues can fire
    weights = cues.models[rule].weights
    words = sorted((t for t in weights if "_" not in t and t.isalpha()), key=lambda t: -weights[t] * cues.idf[t])[:40]
    for _ in range(20):
        report = linter.lint(" ".join(words[:12]).capitalize() + ".", select=[rule])
        assert report.findings and {f.rule for f in report.findings} == {rule}
        if "Herkend aan" in report.findings[0].message:
            break
        for finding in report.findings:  # a phrase pattern caught these words (two patterns may each take one)
            words.remove(finding.text.lower().split()[0])
    assert "Herkend aan woorden als" in report.findings[0].message
    pattern_report = linter.lint("Dat is niet onze fout, de storing lag bij de netbeheerder.", select=[rule])
    assert pattern_report.findings and "Herkend aan" not in pattern_report.findings[0].message


@pytest.mark.parametrize("decision", ["Uw aanvraag is afgewezen.", "Uw aanvraag voor een tweede parkeervergunning is afgewezen."])
def test_plain_decision_sentence_is_not_abrupt(linter: Linter, decision: str) -> None:
    # abrupt-closing's learned cues may not flag a sentence that is a clear refusal (learned_not_with)
    assert "abrupt-closing" not in linter.lint(decision).rules_fired()


def test_a_broken_cue_file_is_one_clear_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "learned").mkdir()
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["idf"] = data["idf"][:-1]
    (rules / CUES_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuleError, match="geleerde signalen"):
        load_rules([rules])


def test_no_cue_file_means_no_learned_hits(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    assert load_rules([rules]).cues.models == {}
    assert Cues.empty().models == {}


def test_strongest_words_do_not_depend_on_the_hash_seed() -> None:
    """Equal weights are ordered by the word, so the explanation is the same in every process."""
    import os
    import subprocess
    import sys

    code = (
        "from linter.engine.cues import Cues, CueModel;"
        "c = Cues(models={'r': CueModel('r', 0.0, 0.5, {'b': 1.0, 'a': 1.0, 'c': 1.0})}, idf={'a': 1.0, 'b': 1.0, 'c': 1.0}, about={});"
        "print(c.strongest('r', {'c', 'b', 'a'}))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert outputs == {"['a', 'b', 'c']\n"}
