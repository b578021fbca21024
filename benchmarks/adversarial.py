"""Adversarial growth: a gap pattern's first word repeated N times; time per repetition must stay flat.

    python benchmarks/adversarial.py [--model embedded] [--out benchmarks/adversarial-results.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linter import Linter  # noqa: E402

WORDS = ["ik", "omdat", "helaas niet", "ik snap boos", "u heeft gelijk niet", "Dat kan niet."]
# repeated clause starts that all reach one ", dan" at the end (the condition guard's worst case)
TAILS = {"lukt het ;": ", dan bellen wij."}
WORDS.append("lukt het ;")
COUNTS = [1_000, 5_000, 20_000, 50_000]


def measure(linter: Linter, word: str, count: int, repeats: int = 3) -> float:
    text = (word + " ") * count + TAILS.get(word, "")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        linter.lint(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("adversarial-results.json"))
    args = parser.parse_args()
    linter = Linter(args.model)
    linter.lint("warm-up")
    results = {}
    print(f"{'woord':22} " + " ".join(f"{c:>10}" for c in COUNTS) + "   groei (µs/herhaling bij max / bij 5k)")
    for word in WORDS:
        per_rep = {count: measure(linter, word, count) / count * 1e6 for count in COUNTS}
        growth = per_rep[COUNTS[-1]] / per_rep[5_000]
        results[word] = {"microseconds_per_repetition": per_rep, "growth": growth}
        print(f"{word:22} " + " ".join(f"{per_rep[c]:9.1f}µ" for c in COUNTS) + f"   {growth:.2f}")
    args.out.write_text(json.dumps({"model": linter.pipeline.name, "results": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
