"""The real-reply corpus keeps its promises: size, provenance, hard negatives, a split by source."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from linter.evaluate import load_corpus

REAL = Path(__file__).resolve().parent / "corpus" / "real"
PITFALLS = {"capitulation", "distancing", "defensive-justification", "abrupt-closing"}


def items(part: str) -> list[dict]:
    return load_corpus(REAL / f"{part}.jsonl")


def test_size_and_mix() -> None:
    every = items("tuning") + items("test")
    units = Counter(item["unit"] for item in every)
    assert units["sentence"] >= 500 and units["reply"] >= 100, units
    assert {item["lang"] for item in every} == {"nl", "be"}
    assert {item["channel"] for item in every} == {"email", "chat"}
    hard = [i for i in every if not set(i["labels"]) & PITFALLS and any(
        word in i["text"].lower() for word in ("helaas", "regel", "begrijp", "gelijk", "niet"))]
    assert len(hard) >= len(every) / 4


def test_every_item_has_a_source_and_no_source_gives_more_than_eight() -> None:
    every = items("tuning") + items("test")
    assert all(item["source"].startswith(("http://", "https://", "description:")) and item["context"] for item in every)
    assert max(Counter(item["source"] for item in every).values()) <= 8


def test_split_is_by_source_and_the_test_part_is_at_least_forty_percent() -> None:
    tuning, test = items("tuning"), items("test")
    assert not {i["source"] for i in tuning} & {i["source"] for i in test}
    assert len(test) >= 0.4 * (len(tuning) + len(test))


def test_merged_files_match_the_labelling_files() -> None:
    """tuning/test hold exactly the gold of raw + blind + settled (rebuild with build.py merge)."""
    gold = {}
    for raw in (REAL / "raw").glob("*.jsonl"):
        settled = {json.loads(line)["id"]: set(json.loads(line)["labels"])
                   for line in (REAL / "blind" / f"{raw.stem}.settled.jsonl").read_text().splitlines() if line.strip()}
        blind = {json.loads(line)["id"]: set(json.loads(line)["labels"])
                 for line in (REAL / "blind" / f"{raw.stem}.jsonl").read_text().splitlines() if line.strip()}
        for line in raw.read_text().splitlines():
            item = json.loads(line)
            key = item["id"]
            gold[key] = settled.get(key, blind[key] if blind[key] == set(item["labels"]) else None)
    merged = {item["id"]: item for item in items("tuning") + items("test")}
    assert set(merged) == {key for key, labels in gold.items() if labels is not None}
    for key, item in merged.items():
        elements = {label for label in item["labels"] if not label.startswith("missing-")}
        assert elements == gold[key], key
