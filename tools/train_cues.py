"""Train the learned cues (rules/learned/cues.json) from the labelled corpora.

    pip install scikit-learn   # only needed here, not at run time
    python tools/train_cues.py [--check]

Training data: the tuning part of the real corpus (tests/corpus/real/tuning.jsonl) and
the project's own tuning corpora, and the examples inside the rules. The real test part and the held-out corpus are never
read. For every rule with `learned_cues: true` a logistic regression is fitted on the
words and word pairs of each text (tf-idf, as `linter.cues` scores them). Its threshold
is chosen by 5-fold cross-validation grouped by source on the real tuning part: the
lowest threshold at which the cues alone are right at least PRECISION_TARGET of the
time and fire on at most FINE_BUDGET of the texts without any label. A rule whose cues never reach that target, or with fewer than MIN_POSITIVES real
examples, gets no model.

`--check` retrains and fails when the result differs from the file (a stale model).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np
import scipy.sparse
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.engine.analysis import analyse  # noqa: E402
from linter.api import Linter  # noqa: E402
from linter.engine.cues import features  # noqa: E402
from linter.evaluate import load_corpus  # noqa: E402
from linter.engine.match import body_tokens  # noqa: E402
from linter.engine.rules import CUES_FILE, load_rules  # noqa: E402

REAL_TUNING = ROOT / "tests/corpus/real/tuning.jsonl"
OWN_TUNING = [ROOT / "tests/corpus" / name for name in ("tuning.jsonl", "tuning-extra.jsonl", "tuning-extra2.jsonl")]
PRECISION_TARGET = 0.85  # the precision target for each pitfall
FINE_BUDGET = 0.01  # share of label-free texts one rule's cues may fire on
REGULARISATION = 4.0
FOLDS = 5
EXAMPLE_WEIGHT = 4.0
MIN_POSITIVES = 30  # fewer real examples than this give no reliable estimate of precision (20 let distancing in: 0.89 in cross-validation, 1 of 6 right on the next round)


def text_features(linter: Linter, text: str) -> str:
    """The features of a text exactly as the linter scores them (`match.body_tokens`)."""
    tokens = [word for _, words in body_tokens(analyse(linter.nlp, text)) for word in words]
    return " ".join(sorted(features(tokens)))


def fit(matrix, labels, weights) -> LogisticRegression:
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
    return model.fit(matrix, labels, sample_weight=weights)


def choose_threshold(probabilities: np.ndarray, gold: np.ndarray, fine: np.ndarray) -> tuple[float | None, float, float]:
    """The lowest threshold that meets both targets on held-out folds (with at least three hits).

    Precision of the cues alone at least PRECISION_TARGET, and firing on at most
    FINE_BUDGET of the texts that carry no label at all (the issue's false-alarm target
    is 5 % for all rules together; one rule's cues may spend a part of it).
    """
    for threshold in np.arange(0.30, 0.99, 0.0125):
        predicted = probabilities >= threshold
        if predicted.sum() >= 3:
            precision = (predicted & gold).sum() / predicted.sum()
            fine_rate = (predicted & fine).sum() / max(fine.sum(), 1)
            if precision >= PRECISION_TARGET and fine_rate <= FINE_BUDGET:
                return round(float(threshold), 4), float(precision), float((predicted & gold).sum() / max(gold.sum(), 1))
    return None, 0.0, 0.0


def train() -> dict:
    linter = Linter("embedded")
    rules = [rule.id for rule in load_rules().rules if rule.learned_cues]
    # sentences and short passages only: a whole reply's label may rest on its shape (a bare
    # refusal is abrupt as a reply, not as a sentence), which words cannot show
    real = [item for item in load_corpus(REAL_TUNING) if item.get("unit") != "reply"]
    own = [item for path in OWN_TUNING for item in load_corpus(path) if item.get("unit") != "reply"]
    real_docs = [text_features(linter, item["text"]) for item in real]
    own_docs = [text_features(linter, item["text"]) for item in own]
    # the rules' own examples say for certain whether one rule applies: each counts for that rule
    # only (a `missing-x` example that must fire is a text without element x)
    examples: dict[str, list[tuple[str, bool]]] = {}
    for rule in linter.ruleset.rules:
        target, flag_means = (rule.element, False) if rule.kind == "missing" else (rule.id, True)
        for text in rule.examples_flag:
            examples.setdefault(target, []).append((text_features(linter, text), flag_means))
        if rule.kind != "missing":
            for text in rule.examples_pass:
                examples.setdefault(target, []).append((text_features(linter, text), False))
    example_docs = [doc for pairs in examples.values() for doc, _ in pairs]
    groups = np.array([item.get("source", item["id"]) for item in real])
    fine = np.array([not item["labels"] for item in real])
    # one vocabulary and one set of word rarities for all rules (unsupervised: no labels used)
    vectoriser = TfidfVectorizer(analyzer=str.split, min_df=2, sublinear_tf=True).fit(real_docs + own_docs + example_docs)
    real_matrix, own_matrix = vectoriser.transform(real_docs), vectoriser.transform(own_docs)
    terms = sorted(vectoriser.vocabulary_.items())
    idf = [round(float(vectoriser.idf_[index]), 4) for _, index in terms]
    models, report = {}, {}
    for rule in rules:
        gold_real = np.array([rule in item["labels"] for item in real])
        rule_examples = examples.get(rule, [])
        own_matrix_rule = scipy.sparse.vstack([own_matrix, vectoriser.transform([doc for doc, _ in rule_examples])]) if rule_examples else own_matrix
        gold_own = np.array([rule in item["labels"] for item in own] + [label for _, label in rule_examples])
        # an example in a rule is a promise that the tests keep: it weighs more than one corpus text
        weight_own = np.array([1.0] * len(own) + [EXAMPLE_WEIGHT] * len(rule_examples))
        held_out = np.zeros(len(real))
        for train_index, test_index in GroupKFold(FOLDS).split(real_docs, groups=groups):
            fold = fit(
                scipy.sparse.vstack([real_matrix[train_index], own_matrix_rule]),
                np.concatenate([gold_real[train_index], gold_own]),
                np.concatenate([np.ones(len(train_index)), weight_own]),
            )
            held_out[test_index] = fold.predict_proba(real_matrix[test_index])[:, 1]
        if gold_real.sum() < MIN_POSITIVES:
            report[rule] = {"skipped": f"{int(gold_real.sum())} real examples, fewer than {MIN_POSITIVES}"}
            continue
        threshold, precision, recall = choose_threshold(held_out, gold_real, fine)
        report[rule] = {"cv_precision": round(precision, 3), "cv_recall": round(recall, 3), "threshold": threshold}
        if threshold is None:
            continue
        final = fit(scipy.sparse.vstack([real_matrix, own_matrix_rule]), np.concatenate([gold_real, gold_own]), np.concatenate([np.ones(len(real)), weight_own]))
        models[rule] = {
            "bias": round(float(final.intercept_[0]), 4),
            "threshold": threshold,
            "weights": [round(float(final.coef_[0][index]), 4) for _, index in terms],
        }
    about = {
        "trained_on": [str(REAL_TUNING.relative_to(ROOT))] + [str(p.relative_to(ROOT)) for p in OWN_TUNING],
        "texts": len(real) + len(own),
        "precision_target": PRECISION_TARGET,
        "fine_budget": FINE_BUDGET,
        "cross_validation": report,
        "scikit_learn": sklearn.__version__,
    }
    return {"about": about, "terms": [term for term, _ in terms], "idf": idf, "models": models}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when the shipped model is stale")
    args = parser.parse_args()
    result = train()
    path = ROOT / "rules" / CUES_FILE
    if args.check:
        shipped = json.loads(path.read_text(encoding="utf-8"))
        shipped["about"].pop("trained", None)
        if shipped != result:
            print(f"{path} is stale: run python tools/train_cues.py")
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(exist_ok=True)
    result["about"]["trained"] = datetime.date.today().isoformat()
    path.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    for rule, figures in result["about"]["cross_validation"].items():
        print(f"{rule}: {figures}")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
