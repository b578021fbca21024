"""Learned cues: a weighted word lexicon per rule, learned from labelled real replies.

Phrase patterns catch the stock formulas; real writers reach the same pitfall with
ordinary words ("u heeft ons slechts drie dagen gegeven"). A logistic regression over
the words and word pairs of labelled replies (tools/train_cues.py) gives each word a
weight per rule. At run time the writer's text is scored as a whole: each word that the
model knows counts with its rarity (idf), the vector is normalised to length one, and
the score is the bias plus the weighted sum. A text that reaches the rule's threshold
(chosen so that the cues alone were right at least 85 % of the time on held-out
sources) gets one hit, on the sentence that scores highest on its own, and the words
that weighed most are shown to the writer.

The model is data (`rules/learned/cues.json`), read with the rule set; this module only
scores. Scoring is pure Python and linear in the length of the text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

NUMBER = re.compile(r"^(?=.*\d)[\d.,:/-]+$")
WORD = re.compile(r"\w", re.UNICODE)


def words(tokens: list[str]) -> list[str]:
    """The lower-cased words of a text; numbers become one word, punctuation is left out."""
    result = []
    for token in tokens:
        lower = token.lower()
        if NUMBER.match(lower):
            result.append("<getal>")
        elif WORD.search(lower):
            result.append(lower)
    return result


def features(tokens: list[str]) -> set[str]:
    """Words and adjacent word pairs (a pair is written "a_b")."""
    seen = words(tokens)
    return set(seen) | {f"{a}_{b}" for a, b in zip(seen, seen[1:])}


@dataclass
class CueModel:
    """One rule's learned cues: weights per feature, a bias and the threshold chosen on held-out folds."""

    rule: str
    bias: float
    threshold: float
    weights: dict[str, float] = field(default_factory=dict)


@dataclass
class Cues:
    """All learned cue models of a rule set, the shared word rarities (idf), and where they came from."""

    models: dict[str, CueModel]
    idf: dict[str, float]
    about: dict

    @classmethod
    def load(cls, path: Path) -> "Cues":
        # stored as one list of terms with parallel lists of rarities and weights (compact)
        data = json.loads(path.read_text(encoding="utf-8"))
        terms = data["terms"]
        if len(data["idf"]) != len(terms) or any(len(m["weights"]) != len(terms) for m in data["models"].values()):
            raise ValueError("de lijsten met woorden en gewichten zijn niet even lang")
        models = {
            rule: CueModel(rule, float(m["bias"]), float(m["threshold"]), {t: float(w) for t, w in zip(terms, m["weights"]) if w})
            for rule, m in data["models"].items()
        }
        return cls(models, dict(zip(terms, map(float, data["idf"]))), data.get("about", {}))

    @staticmethod
    def empty() -> "Cues":
        return Cues({}, {}, {})

    def probability(self, rule: str, feats: set[str]) -> float:
        """The model's probability that a text with these features carries `rule`."""
        model = self.models[rule]
        known = [f for f in feats if f in self.idf]
        norm = math.sqrt(sum(self.idf[f] ** 2 for f in known)) or 1.0
        score = model.bias + sum(model.weights.get(f, 0.0) * self.idf[f] for f in known) / norm
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))

    def fires(self, rule: str, feats: set[str]) -> bool:
        return rule in self.models and self.probability(rule, feats) >= self.models[rule].threshold

    def strongest(self, rule: str, feats: set[str], count: int = 3) -> list[str]:
        """The words that pushed the score up most, for the explanation (pairs shown with a space)."""
        weights = self.models[rule].weights
        # ties broken by the word itself: a set's order changes with Python's hash seed
        ranked = sorted(
            (f for f in feats if f in self.idf and weights.get(f, 0.0) > 0), key=lambda f: (-weights[f] * self.idf[f], f)
        )
        return [f.replace("_", " ") for f in ranked[:count]]
