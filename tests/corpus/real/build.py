"""Build the real-reply corpus: check collected items, export blind sheets, measure
agreement, and merge and split by source.

    python tests/corpus/real/build.py check raw/BATCH.jsonl
    python tests/corpus/real/build.py sheet BATCH        # blind/BATCH.sheet.jsonl: text only
    python tests/corpus/real/build.py agreement [BATCH ...]
    python tests/corpus/real/build.py merge              # tuning.jsonl and test.jsonl

Collectors write raw/BATCH.jsonl with their own labels; a second person labels the
sheet blind into blind/BATCH.jsonl ({"id", "labels"}) and settles disagreements in
blind/BATCH.settled.jsonl ({"id", "labels", "why"}). Gold is the settled label set
where there is one, else the agreed one. The split is by source, never by item.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PITFALLS = ["capitulation", "distancing", "defensive-justification", "abrupt-closing"]
ELEMENTS = ["bad-news", "clear-refusal", "emotion-acknowledgement", "alternative", "closing"]
LABELLED = PITFALLS + ELEMENTS
FIELDS = {"id", "source", "source_kind", "context", "lang", "unit", "channel", "text", "labels"}
MAX_PER_SOURCE = 8
TEST_SHARE = 45  # percent of sources (by stable hash) that form the test part


def read_jsonl(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{number}: invalid JSON: {error.msg}")
    return items


def write_jsonl(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")


def check(path: Path) -> list[str]:
    problems = []
    items = read_jsonl(path)
    per_source = Counter(item.get("source") for item in items)
    seen = set()
    for item in items:
        where = f"{path.name}:{item.get('id')}"
        missing = FIELDS - item.keys()
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
            continue
        if item["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(item["id"])
        if item["unit"] not in ("sentence", "reply") or item["channel"] not in ("email", "chat"):
            problems.append(f"{where}: unit must be sentence|reply, channel email|chat")
        if item["lang"] not in ("nl", "be"):
            problems.append(f"{where}: lang must be nl or be")
        unknown = set(item["labels"]) - set(LABELLED)
        if unknown:
            problems.append(f"{where}: unknown labels {sorted(unknown)} (missing-* labels are derived)")
        if "clear-refusal" in item["labels"] and "bad-news" not in item["labels"]:
            problems.append(f"{where}: clear-refusal without bad-news")
        if not str(item["source"]).startswith(("http://", "https://", "description:")):
            problems.append(f"{where}: source must be a URL or 'description: ...'")
    for source, count in per_source.items():
        if count > MAX_PER_SOURCE:
            problems.append(f"{path.name}: {count} items from {source} (at most {MAX_PER_SOURCE})")
    return problems


def with_missing(labels: set[str], channel: str) -> list[str]:
    """The missing-* labels follow from the elements (docs/labelling.md)."""
    full = set(labels)
    if "bad-news" in full:
        if "emotion-acknowledgement" not in full:
            full.add("missing-emotion-acknowledgement")
        if "alternative" not in full:
            full.add("missing-alternative")
        if "closing" not in full and channel == "email":
            full.add("missing-closing")
    return sorted(full)


def sheet(batch: str) -> None:
    items = read_jsonl(HERE / "raw" / f"{batch}.jsonl")
    blind = [{key: item[key] for key in ("id", "unit", "channel", "text")} for item in items]
    write_jsonl(HERE / "blind" / f"{batch}.sheet.jsonl", blind)
    print(f"blind/{batch}.sheet.jsonl: {len(blind)} items")


def labels_of(path: Path) -> dict[str, set[str]]:
    return {item["id"]: set(item["labels"]) for item in read_jsonl(path)} if path.exists() else {}


def agreement(batches: list[str]) -> dict:
    """Per-label Cohen's kappa and exact-match rate between writer and blind labeller."""
    pairs = []
    for batch in batches:
        writer = labels_of(HERE / "raw" / f"{batch}.jsonl")
        blind = labels_of(HERE / "blind" / f"{batch}.jsonl")
        pairs += [(writer[key], blind[key]) for key in writer if key in blind]
    result = {"items": len(pairs), "exact": round(sum(a == b for a, b in pairs) / max(len(pairs), 1), 3), "kappa": {}}
    for label in LABELLED:
        a = [label in x for x, _ in pairs]
        b = [label in y for _, y in pairs]
        n = len(pairs) or 1
        observed = sum(x == y for x, y in zip(a, b)) / n
        pa, pb = sum(a) / n, sum(b) / n
        expected = pa * pb + (1 - pa) * (1 - pb)
        kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
        result["kappa"][label] = {"kappa": round(kappa, 3), "agree": round(observed, 3), "writer": sum(a), "blind": sum(b)}
    return result


def disagreements(batch: str) -> None:
    writer = {item["id"]: item for item in read_jsonl(HERE / "raw" / f"{batch}.jsonl")}
    blind = labels_of(HERE / "blind" / f"{batch}.jsonl")
    for key, item in writer.items():
        if key in blind and set(item["labels"]) != blind[key]:
            print(json.dumps({"id": key, "text": item["text"], "writer": sorted(item["labels"]),
                              "blind": sorted(blind[key])}, ensure_ascii=False))


def in_test_part(source: str) -> bool:
    return int(hashlib.sha256(source.encode()).hexdigest(), 16) % 100 < TEST_SHARE


def merge() -> None:
    parts: dict[str, list[dict]] = defaultdict(list)
    for raw in sorted((HERE / "raw").glob("*.jsonl")):
        batch = raw.stem
        blind = labels_of(HERE / "blind" / f"{batch}.jsonl")
        settled = labels_of(HERE / "blind" / f"{batch}.settled.jsonl")
        for item in read_jsonl(raw):
            key = item["id"]
            if key in settled:
                gold = settled[key]
            elif key in blind and blind[key] == set(item["labels"]):
                gold = blind[key]
            else:
                continue  # not yet labelled blind, or a disagreement not yet settled
            merged = {k: item[k] for k in ("id", "unit", "channel", "text")}
            merged["labels"] = with_missing(gold, item["channel"])
            merged.update({k: item[k] for k in ("source", "source_kind", "lang", "context")})
            parts["test" if in_test_part(item["source"]) else "tuning"].append(merged)
    for name in ("tuning", "test"):
        write_jsonl(HERE / f"{name}.jsonl", parts[name])
    total = sum(len(v) for v in parts.values())
    for name in ("tuning", "test"):
        items = parts[name]
        print(f"{name}: {len(items)} items ({len(items) / max(total, 1):.0%}), "
              f"{len({i['source'] for i in items})} sources, "
              f"{sum(i['unit'] == 'reply' for i in items)} replies, "
              f"{sum(not i['labels'] or set(i['labels']) <= {'closing', 'alternative', 'emotion-acknowledgement'} for i in items)} without bad news")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "check":
        found = [p for arg in args for p in check(Path(arg))]
        print("\n".join(found) or "ok")
        sys.exit(1 if found else 0)
    elif command == "sheet":
        sheet(args[0])
    elif command == "agreement":
        batches = args or sorted(p.stem for p in (HERE / "raw").glob("*.jsonl"))
        print(json.dumps(agreement(batches), indent=1))
    elif command == "disagreements":
        disagreements(args[0])
    elif command == "merge":
        merge()
    else:
        print(__doc__)
