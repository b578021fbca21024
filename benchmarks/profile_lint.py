"""Profile the lint path with cProfile, to see which functions dominate a benchmark figure.

    python benchmarks/profile_lint.py lint   [--model M] [--replies 300]   # warm Linter.lint per reply
    python benchmarks/profile_lint.py pipe   [--model M] [--replies 300]   # nlp.pipe alone, for comparison
    python benchmarks/profile_lint.py growth [--model M] [--size 1000000]  # one large input
    python benchmarks/profile_lint.py cold   [--model M]                   # the whole CLI process
    python benchmarks/profile_lint.py stages [--model M] [--replies 300]   # time per stage, no profiler
    python benchmarks/profile_lint.py startup [--model M] [--runs 5]       # start-up steps of a new process

Prints the top functions by own time (tottime) and by cumulative time. `--dump FILE`
keeps the raw profile for `python -m pstats FILE` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402
from run import STANDIN, child_env  # noqa: E402


def show(stats: pstats.Stats, top: int) -> None:
    stats.strip_dirs()
    for key in ("tottime", "cumulative"):
        print(f"\n=== top {top} by {key} ===")
        stats.sort_stats(key).print_stats(top)


STARTUP_CHILD = """
import json, sys, time
clock = time.perf_counter
steps = []
def step(name, start):
    steps.append((name, clock() - start))
    return clock()
s = clock()
import spacy
s = step("import spacy", s)
import linter
s = step("import linter (package: api, rules, compile, match, yaml, ...)", s)
import linter.frontends.cli, linter.render
s = step("import linter.frontends.cli + render (click, ...)", s)
from linter.engine.pipeline import load_pipeline
nlp, info = load_pipeline({model!r})
s = step("load_pipeline", s)
nlp("x")
s = step("first nlp('x') (lazy tables: simplemma, ...)", s)
from linter.api import Linter
lt = Linter({model!r})
s = step("Linter(): load_rules + compile_rules + RuleMatcher (pipeline cached)", s)
report = lt.lint({draft!r})
s = step("first lint of the draft", s)
lt.lint({draft!r})
s = step("second lint of the draft (warm)", s)
linter.render.render_text([report], lt.pipeline, colour=False)
s = step("render_text", s)
from linter.engine.rules import load_rules
from linter.engine.compile import compile_rules
from linter.engine.match import RuleMatcher
rs = load_rules(None)
s = step("  breakdown, again: load_rules (YAML)", s)
patterns = compile_rules(rs, nlp)
s = step("  breakdown, again: compile_rules (the disk cache, else notation and lemma forms)", s)
RuleMatcher(rs, nlp, patterns, use_dependencies=info.has_parser)
s = step("  breakdown, again: RuleMatcher (Matcher.add)", s)
print(json.dumps(steps))
"""


def startup(model: str, runs: int) -> int:
    """Time the start-up steps of the lint path in fresh processes (medians), and bare interpreter start."""
    import json
    import statistics

    code = STARTUP_CHILD.format(model=model, draft=corpus.COLD_START_DRAFT)
    collected: dict[str, list[float]] = {}
    bare = []
    with tempfile.TemporaryDirectory() as workdir:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], cwd=workdir, env=child_env(), check=True)
            bare.append(time.perf_counter() - start)
            out = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=child_env(), check=True,
                                 capture_output=True, text=True).stdout
            for name, seconds in json.loads(out.strip().splitlines()[-1]):
                collected.setdefault(name, []).append(seconds)
    print(f"start-up steps, {model}, median of {runs} fresh processes (ms)")
    print(f"  {'python -c pass (interpreter start + exit)':62} {statistics.median(bare) * 1000:8.1f}")
    for name, values in collected.items():
        print(f"  {name:62} {statistics.median(values) * 1000:8.1f}")
    return 0


def stages(linter, texts: list[str], _unused=None) -> int:
    """Where the time of one Linter.lint goes, without profiler overhead (sums over all texts).

    analyse = nlp(text) + clauses/quotes/frame; rules.run = the spaCy Matcher + guards;
    judge/report = the rest of Linter.lint.
    """
    from linter.engine.analysis import analyse

    nlp, matcher = linter.nlp, linter.matcher
    # The token matching step inside RuleMatcher.run.
    raw_matches = matcher._matches
    patterns = matcher.pattern_count
    for text in texts[:50]:
        linter.lint(text)
    clock = time.perf_counter
    totals = dict.fromkeys(["lint", "nlp.pipe", "nlp(text)", "analyse", "matcher", "rules.run"], 0.0)  # matcher = raw matching
    start = clock()
    for _ in nlp.pipe(texts):
        pass
    totals["nlp.pipe"] = clock() - start
    for text in texts:
        t0 = clock(); linter.lint(text); t1 = clock()  # noqa: E702
        nlp(text); t2 = clock()  # noqa: E702
        analysis = analyse(nlp, text); t3 = clock()  # noqa: E702
        raw_matches(analysis.doc); t4 = clock()  # noqa: E702
        matcher.run(analysis); t5 = clock()  # noqa: E702
        totals["lint"] += t1 - t0
        totals["nlp(text)"] += t2 - t1
        totals["analyse"] += t3 - t2
        totals["matcher"] += t4 - t3
        totals["rules.run"] += t5 - t4
    n = len(texts)
    derived = {
        "analysis beyond nlp (clauses, quotes, frame)": totals["analyse"] - totals["nlp(text)"],
        "token matching (inside rules.run)": totals["matcher"],
        "guards, vetoes, dedupe (rules.run - matching)": totals["rules.run"] - totals["matcher"],
        "judge + report (lint - analyse - rules.run)": totals["lint"] - totals["analyse"] - totals["rules.run"],
    }
    print(f"{n} replies, pipeline {linter.pipeline.describe()}, {patterns} Matcher patterns")
    print(f"{'stage':48} {'total s':>9} {'ms/reply':>9} {'% of lint':>9}")
    for name, value in [*totals.items(), *derived.items()]:
        print(f"{name:48} {value:9.3f} {value / n * 1000:9.3f} {100 * value / totals['lint']:8.1f}%")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["lint", "pipe", "growth", "cold", "stages", "startup"])
    parser.add_argument("--model", default="embedded", help="'embedded', 'standin' or a path")
    parser.add_argument("--replies", type=int, default=300)
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes, for growth")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes, for startup")
    parser.add_argument("--dump", help="write the raw profile here")
    args = parser.parse_args()
    model = str(STANDIN) if args.model in ("standin", "stand-in") else args.model

    if args.what == "startup":
        return startup(model, args.runs)
    profile_path = args.dump or tempfile.mktemp(suffix=".prof")
    if args.what == "cold":
        with tempfile.TemporaryDirectory() as workdir:
            draft = Path(workdir) / "concept.txt"
            draft.write_text(corpus.COLD_START_DRAFT, encoding="utf-8")
            argv = [sys.executable, "-m", "cProfile", "-o", profile_path, "-m", "linter",
                    "--model", model, "--no-color", str(draft)]
            subprocess.run(argv, cwd=workdir, env=child_env(), stdout=subprocess.DEVNULL, check=False)
        show(pstats.Stats(profile_path), args.top)
        if not args.dump:
            os.unlink(profile_path)
        return 0

    from linter import Linter

    linter = Linter(model)
    if args.what == "stages":
        return stages(linter, corpus.generate_replies(args.replies, args.seed), args.size if args.size != 1_000_000 else None)
    if args.what == "growth":
        texts = [corpus.text_of_size(args.size)]
    else:
        texts = corpus.generate_replies(args.replies, args.seed)
    for text in corpus.generate_replies(50, args.seed + 1):  # warm caches outside the profile
        linter.lint(text)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    if args.what == "pipe":
        for _ in linter.nlp.pipe(texts):
            pass
    else:
        for text in texts:
            linter.lint(text)
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(f"{args.what} on {model}: {len(texts)} text(s), {elapsed:.2f} s under the profiler")
    profiler.dump_stats(profile_path)
    show(pstats.Stats(profile_path), args.top)
    if not args.dump:
        os.unlink(profile_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
