"""Benchmark lint-reply on the machine at hand: cold start, warm latency, throughput, memory, growth.

    python benchmarks/run.py                    # embedded default + the stand-in (when present)
    python benchmarks/run.py --model embedded   # one pipeline only (repeatable; a path works too)
    python benchmarks/run.py --quick            # smoke run: fewer repetitions, 300 replies
    python benchmarks/run.py --out FILE         # JSON results (default benchmarks/results.json)

See benchmarks/README.md for what is measured and how. Standard library only
(plus lint-reply and what it depends on); the project itself is not changed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402  (benchmarks/corpus.py; standard library only)

STANDIN = Path(os.environ.get("LINT_REPLY_STANDIN", ROOT.parent / "shared" / "models" / "nl_ud_standin_sm"))

TARGETS = {
    "cold_start_ratio": 1.2,  # lint-reply / bare pipeline load, at most
    "rules_ratio": 0.77,  # nlp.pipe time / lint time, at least
    "peak_rss_mb_embedded": 300.0,  # MB (10^6 bytes), below; embedded default only
    "growth_ratio": 1.5,  # time per KB at 1 MB / at 10 KB, at most
}

# Input sizes for the growth measurement, in decimal units (1 KB = 1,000 bytes, 1 MB =
# 1,000,000 bytes), so that the largest input stays within spaCy's default
# nlp.max_length of 1,000,000 characters.
GROWTH_SIZES = [("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)]

FULL = {"pairs": 9, "replies": 2000, "rounds": 3, "memory_replies": 200,
        "growth_reps": {1_000: 30, 10_000: 10, 100_000: 3, 1_000_000: 3}}
QUICK = {"pairs": 3, "replies": 300, "rounds": 1, "memory_replies": 200,
         "growth_reps": {1_000: 5, 10_000: 3, 100_000: 1, 1_000_000: 1}}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- child processes ---------------------------------------------------------


def child_env(cache_home: str | None = None) -> dict[str, str]:
    """The environment of every child: this checkout first on the path, no lint-reply overrides."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    for name in ("LINT_REPLY_MODEL", "LINT_REPLY_CONFIG"):
        env.pop(name, None)
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = cache_home
    return env


def run_child(argv: list[str], cwd: str, env: dict[str, str], ok: tuple[int, ...] = (0,),
              stdout=subprocess.DEVNULL, stdin: Path | None = None) -> tuple[float, int]:
    """Run a whole new process (standard input from the file `stdin`, else none); return
    (wall seconds, its own peak RSS in KB).

    os.wait4 gives the rusage of exactly this child (not of all children so far).
    """
    with tempfile.TemporaryFile() as err, open(stdin or os.devnull, "rb") as source:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=source, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(argv[:4])} ... exited with {process.returncode}:\n{tail}")
    maxrss_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return elapsed, maxrss_kb


def floor_code(model: str) -> str:
    """The floor: a bare Python process that loads the same spaCy pipeline and runs it once."""
    if model == "embedded":
        # load_pipeline so that the same components and the simplemma lemmatizer load.
        return "import spacy; from linter.engine.pipeline import load_pipeline; nlp = load_pipeline('embedded')[0]; nlp('x')"
    return f"import spacy; nlp = spacy.load({model!r}); nlp('x')"


def bench_cold_start(model: str, pairs: int, workdir: str) -> dict:
    draft = Path(workdir) / "concept.txt"
    draft.write_text(corpus.COLD_START_DRAFT, encoding="utf-8")
    env = child_env()
    floor_argv = [sys.executable, "-c", floor_code(model)]
    lint_argv = [sys.executable, "-m", "linter", "--model", model, "--no-color", str(draft)]
    # Findings give exit status 1; that is a normal run.
    lint_ok = (0, 1)

    # Warm-up pair (not counted): the OS file cache, and lint-reply's lemma-forms cache on disk.
    run_child(floor_argv, workdir, env)
    run_child(lint_argv, workdir, env, lint_ok)

    floors, lints, floor_rss, lint_rss, ratios = [], [], [], [], []
    for number in range(pairs):
        f_time, f_rss = run_child(floor_argv, workdir, env)
        l_time, l_rss = run_child(lint_argv, workdir, env, lint_ok)
        floors.append(f_time)
        lints.append(l_time)
        floor_rss.append(f_rss)
        lint_rss.append(l_rss)
        ratios.append(l_time / f_time)
        log(f"  cold start pair {number + 1}/{pairs}: floor {f_time:.3f} s, lint-reply {l_time:.3f} s")

    # Once more with an empty cache directory: the very first run after installing (for information).
    with tempfile.TemporaryDirectory() as empty_cache:
        first_time, _ = run_child(lint_argv, workdir, child_env(empty_cache), lint_ok)

    return {
        "draft_words": len(corpus.COLD_START_DRAFT.split()),
        "pairs": pairs,
        "floor_command": floor_argv[1:],
        "lint_command": ["-m", "linter", "--model", model, "--no-color", "<draft>"],
        "floor_s": floors,
        "lint_s": lints,
        "ratios": ratios,
        "floor_median_s": statistics.median(floors),
        "lint_median_s": statistics.median(lints),
        "median_ratio": statistics.median(ratios),
        "floor_maxrss_mb": statistics.median(floor_rss) * 1024 / 1e6,
        "lint_maxrss_mb": statistics.median(lint_rss) * 1024 / 1e6,
        "lint_first_run_empty_cache_s": first_time,
    }


MEMORY_CHILD = """
import sys
sys.path.insert(0, {bench!r})
import corpus
from linter import Linter
linter = Linter({model!r})
for text in corpus.generate_replies({count}, seed={seed}):
    linter.lint(text)
try:  # Linux: the peak RSS of this process's own memory, as a cross-check of ru_maxrss
    status = open("/proc/self/status").read()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
except (OSError, StopIteration):
    pass
"""


def bench_memory(model: str, count: int, seed: int, workdir: str) -> dict:
    import resource

    code = MEMORY_CHILD.format(bench=str(BENCH_DIR), model=model, count=count, seed=seed)
    with tempfile.NamedTemporaryFile(mode="w+", suffix=".out") as out:
        elapsed, maxrss_kb = run_child([sys.executable, "-c", code], workdir, child_env(), stdout=out)
        out.seek(0)
        printed = out.read().split()
    vmhwm_kb = int(printed[-1]) if printed and printed[-1].isdigit() else None
    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"replies": count, "maxrss_kb": maxrss_kb, "maxrss_mb": maxrss_kb * 1024 / 1e6,
            "maxrss_mib": maxrss_kb / 1024, "vmhwm_mb": vmhwm_kb * 1024 / 1e6 if vmhwm_kb else None,
            "parent_maxrss_mb": parent_kb * 1024 / 1e6, "child_wall_s": elapsed}


# --- in-process measurements -------------------------------------------------


def bench_throughput(linter, texts: list[str], rounds: int) -> dict:
    """Linter.lint per text vs nlp.pipe over the same texts; also nlp(text) per text (to separate
    the cost of the rules from the gain of batching) and, when the API has one, the batch method
    Linter.lint_many."""
    nlp = linter.nlp
    batch = getattr(linter, "lint_many", None)
    # Warm-up: lemma caches, matcher, allocator.
    for text in texts[:100]:
        linter.lint(text)
    for _ in nlp.pipe(texts[:100]):
        pass
    if batch is not None:
        for _ in batch(texts[:100]):
            pass

    def run_pipe() -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        return time.perf_counter() - start

    def run_nlp_loop() -> float:
        start = time.perf_counter()
        for text in texts:
            nlp(text)
        return time.perf_counter() - start

    per_reply: list[float] = []

    def run_lint() -> float:
        clock = time.perf_counter
        start = clock()
        for text in texts:
            t0 = clock()
            linter.lint(text)
            per_reply.append(clock() - t0)
        return clock() - start

    def run_batch() -> float:
        start = time.perf_counter()
        count = sum(1 for _ in batch(texts))
        elapsed = time.perf_counter() - start
        if count != len(texts):
            raise RuntimeError(f"lint_many returned {count} reports for {len(texts)} texts")
        return elapsed

    runs = {"pipe": (run_pipe, []), "nlp": (run_nlp_loop, []), "lint": (run_lint, [])}
    if batch is not None:
        runs["lint_many"] = (run_batch, [])
    for number in range(rounds):
        order = list(runs)
        if number % 2:
            order.reverse()  # interleave so that no side always runs first
        for name in order:
            run, sink = runs[name]
            sink.append(run())
        log(f"  throughput round {number + 1}/{rounds}: "
            + ", ".join(f"{name} {sink[-1]:.2f} s" for name, (_, sink) in runs.items()) + f" ({len(texts)} replies)")

    n = len(texts)
    pipe_s, loop_s, lint_s = runs["pipe"][1], runs["nlp"][1], runs["lint"][1]
    pipe, loop, lint = statistics.median(pipe_s), statistics.median(loop_s), statistics.median(lint_s)
    rules_s = max(0.0, lint - loop)  # what lint adds on top of running the pipeline
    result = {
        "replies": n,
        "rounds": rounds,
        "mean_words_per_reply": statistics.mean(len(t.split()) for t in texts),
        "pipe_s": pipe_s,
        "nlp_per_text_s": loop_s,
        "lint_s": lint_s,
        "pipe_replies_per_s": n / pipe,
        "nlp_per_text_replies_per_s": n / loop,
        "lint_replies_per_s": n / lint,
        "rules_ratio": pipe / lint,
        "rules_ms_per_reply": rules_s / n * 1000,
        # What a batch API (nlp.pipe + the same rule work per doc) would reach, estimated.
        "batched_ratio_estimate": pipe / (pipe + rules_s),
        "has_batch_api": batch is not None,
        "latency_ms": {
            "samples": len(per_reply),
            "median": statistics.median(per_reply) * 1000,
            "p95": percentile(per_reply, 0.95) * 1000,
            "p99": percentile(per_reply, 0.99) * 1000,
            "max": max(per_reply) * 1000,
        },
    }
    if batch is not None:
        many_s = runs["lint_many"][1]
        many = statistics.median(many_s)
        result.update({"lint_many_s": many_s, "lint_many_replies_per_s": n / many, "rules_ratio_batch": pipe / many})
    return result


def bench_growth(linter, reps: dict[int, int]) -> dict:
    rows = []
    for label, size in GROWTH_SIZES:
        text = corpus.text_of_size(size)
        nbytes = len(text.encode("utf-8"))
        count = reps[size]
        lint_times, nlp_times = [], []
        for number in range(count):
            if number < max(1, count // 3):  # the pipeline alone, for comparison (fewer runs)
                start = time.perf_counter()
                linter.nlp(text)
                nlp_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            linter.lint(text)
            lint_times.append(time.perf_counter() - start)
        lint_s, nlp_s = statistics.median(lint_times), statistics.median(nlp_times)
        rows.append({
            "label": label, "bytes": nbytes, "chars": len(text), "reps": count,
            "lint_s": lint_s, "nlp_s": nlp_s,
            "lint_ms_per_kb": lint_s * 1000 / (nbytes / 1000),
            "nlp_ms_per_kb": nlp_s * 1000 / (nbytes / 1000),
            "lint_runs_s": lint_times, "nlp_runs_s": nlp_times,
        })
        log(f"  growth {label}: lint {lint_s:.3f} s ({rows[-1]['lint_ms_per_kb']:.2f} ms/KB), "
            f"nlp alone {nlp_s:.3f} s")
    by_label = {row["label"]: row for row in rows}
    return {
        "sizes": rows,
        "growth_ratio": by_label["1 MB"]["lint_ms_per_kb"] / by_label["10 KB"]["lint_ms_per_kb"],
        "nlp_growth_ratio": by_label["1 MB"]["nlp_ms_per_kb"] / by_label["10 KB"]["nlp_ms_per_kb"],
        "nlp_max_length": linter.nlp.max_length,
    }


# --- driver --------------------------------------------------------------------


def _attempt(result: dict, name: str, measure) -> None:
    """Run one measurement; a failure is recorded (and shown in the table) instead of ending the run."""
    try:
        result[name] = measure()
    except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not crash
        log(f"  {name} failed: {error}")
        result.setdefault("errors", {})[name] = f"{type(error).__name__}: {error}"


def bench_children(key: str, model: str, settings: dict, seed: int, skip: set[str], result: dict) -> None:
    """Cold start and peak memory: whole new processes.

    These run before this process loads any pipeline: on Linux a child's ru_maxrss starts
    from the RSS of the process that spawned it (the kernel keeps the pre-exec high-water
    mark), so a large parent would inflate every child's peak.
    """
    with tempfile.TemporaryDirectory(prefix="lint-reply-bench-") as workdir:
        if "cold" not in skip:
            log(f"{key}: cold start ({settings['pairs']} interleaved pairs)")
            _attempt(result, "cold_start", lambda: bench_cold_start(model, settings["pairs"], workdir))
        if "memory" not in skip:
            log(f"{key}: peak memory (child process, {settings['memory_replies']} replies)")
            _attempt(result, "memory", lambda: bench_memory(model, settings["memory_replies"], seed, workdir))


def bench_in_process(key: str, model: str, settings: dict, seed: int, skip: set[str], result: dict) -> None:
    """Warm latency, throughput and growth, in this process."""
    from linter import Linter

    log(f"{key}: loading the linter in this process")
    try:
        start = time.perf_counter()
        linter = Linter(model)
        result["load_in_process_s"] = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001
        log(f"  loading failed: {error}")
        result.setdefault("errors", {})["load"] = f"{type(error).__name__}: {error}"
        return
    result["pipeline"] = {"name": linter.pipeline.name, "version": linter.pipeline.version,
                          "kind": linter.pipeline.kind, "components": list(linter.nlp.pipe_names)}
    if "throughput" not in skip:
        texts = corpus.generate_replies(settings["replies"], seed)
        log(f"{key}: warm latency and throughput ({len(texts)} replies, {settings['rounds']} rounds)")
        _attempt(result, "throughput", lambda: bench_throughput(linter, texts, settings["rounds"]))
    if "growth" not in skip:
        log(f"{key}: growth (1 KB to 1 MB)")
        _attempt(result, "growth", lambda: bench_growth(linter, settings["growth_reps"]))


def source_digest() -> str:
    """A fingerprint of the code and rules measured (linter/, rules/, pyproject.toml)."""
    import hashlib

    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", *sorted((ROOT / "linter").rglob("*.py")), *sorted((ROOT / "rules").rglob("*.yaml"))]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("OK" if ok else "MISSED")


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str, str]] = []
    for key, r in results["models"].items():
        for name, error in r.get("errors", {}).items():
            rows.append((key, f"{name}: FAILED", error.splitlines()[0][:90], "", "ERROR"))
        if "cold_start" in r:
            c = r["cold_start"]
            rows.append((key, "cold start: bare pipeline load (floor), median", f"{c['floor_median_s']:.3f} s", "", ""))
            rows.append((key, "cold start: lint-reply CLI, median", f"{c['lint_median_s']:.3f} s", "", ""))
            rows.append((key, "cold start: median ratio lint/floor", f"{c['median_ratio']:.2f}x",
                         f"<= {TARGETS['cold_start_ratio']}x", verdict(c["median_ratio"] <= TARGETS["cold_start_ratio"])))
            rows.append((key, "cold start: first run, empty lemma cache", f"{c['lint_first_run_empty_cache_s']:.3f} s", "", ""))
        if "throughput" in r:
            t = r["throughput"]
            lat = t["latency_ms"]
            rows.append((key, "warm latency per reply: median", f"{lat['median']:.2f} ms", "", ""))
            rows.append((key, "warm latency per reply: p95", f"{lat['p95']:.2f} ms", "", ""))
            rows.append((key, f"throughput nlp.pipe ({t['replies']} replies)", f"{t['pipe_replies_per_s']:.1f} /s", "", ""))
            rows.append((key, "throughput nlp(text) per text", f"{t['nlp_per_text_replies_per_s']:.1f} /s", "", ""))
            rows.append((key, "throughput Linter.lint per text", f"{t['lint_replies_per_s']:.1f} /s", "", ""))
            rows.append((key, "rules ratio nlp.pipe / Linter.lint", f"{t['rules_ratio']:.3f}",
                         f">= {TARGETS['rules_ratio']}", verdict(t["rules_ratio"] >= TARGETS["rules_ratio"])))
            rows.append((key, "  rules cost per reply (lint - nlp(text))", f"{t['rules_ms_per_reply']:.2f} ms", "", ""))
            if t.get("has_batch_api"):
                rows.append((key, "throughput Linter.lint_many (batch API)", f"{t['lint_many_replies_per_s']:.1f} /s", "", ""))
                rows.append((key, "rules ratio nlp.pipe / lint_many", f"{t['rules_ratio_batch']:.3f}",
                             f">= {TARGETS['rules_ratio']}", verdict(t["rules_ratio_batch"] >= TARGETS["rules_ratio"])))
            else:
                rows.append((key, "  est. ratio with a batch API", f"{t['batched_ratio_estimate']:.3f}",
                             f">= {TARGETS['rules_ratio']}", verdict(t["batched_ratio_estimate"] >= TARGETS["rules_ratio"])))
        if "memory" in r:
            m = r["memory"]
            if key == "embedded":
                target = f"< {TARGETS['peak_rss_mb_embedded']:.0f} MB"
                ok = m["maxrss_mb"] < TARGETS["peak_rss_mb_embedded"]
            else:
                target, ok = "(none)", None
            rows.append((key, f"peak RSS, load + {m['replies']} replies", f"{m['maxrss_mb']:.1f} MB", target, verdict(ok)))
            if m.get("vmhwm_mb"):
                rows.append((key, "  same, VmHWM seen by the child itself", f"{m['vmhwm_mb']:.1f} MB", "", ""))
            if "cold_start" in r:
                rows.append((key, "  peak RSS of the floor process", f"{r['cold_start']['floor_maxrss_mb']:.1f} MB", "", ""))
        if "growth" in r:
            g = r["growth"]
            for row in g["sizes"]:
                rows.append((key, f"growth {row['label']}: lint (nlp alone)",
                             f"{row['lint_s']:.3f} s ({row['nlp_s']:.3f} s)", f"{row['lint_ms_per_kb']:.2f} ms/KB", ""))
            rows.append((key, "growth ratio ms/KB at 1 MB / at 10 KB", f"{g['growth_ratio']:.2f}",
                         f"<= {TARGETS['growth_ratio']}", verdict(g["growth_ratio"] <= TARGETS["growth_ratio"])))
            rows.append((key, "  same ratio for nlp alone", f"{g['nlp_growth_ratio']:.2f}", "", ""))
    header = ("model", "measure", "value", "target", "status")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    line = lambda row: "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()  # noqa: E731
    out = [line(header), line(tuple("-" * w for w in widths))]
    previous = None
    for row in rows:
        if previous is not None and row[0] != previous:
            out.append("")
        out.append(line(row))
        previous = row[0]
    return "\n".join(out)


def machine() -> dict:
    # Versions from the package metadata: importing spaCy here would make this process big
    # before the child processes are measured.
    from importlib.metadata import version

    def package_version(name: str) -> str:
        try:
            return version(name)
        except Exception:  # noqa: BLE001
            return "unknown"
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "spacy": package_version("spacy"),
        "simplemma": package_version("simplemma"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def resolve_models(requested: list[str] | None) -> dict[str, str]:
    """Keys for the report -> the --model value lint-reply gets."""
    standin_present = (STANDIN / "config.cfg").is_file()
    if not requested:
        models = {"embedded": "embedded"}
        if standin_present:
            models["standin"] = str(STANDIN)
        else:
            log(f"stand-in pipeline not found at {STANDIN}; benchmarking the embedded default only")
        return models
    models = {}
    for name in requested:
        if name in ("embedded", "default", "blank"):
            models["embedded"] = "embedded"
        elif name in ("standin", "stand-in"):
            if not standin_present:
                sys.exit(f"run.py: the stand-in pipeline is not at {STANDIN} (set LINT_REPLY_STANDIN)")
            models["standin"] = str(STANDIN)
        else:
            path = Path(name)
            models[path.name if path.exists() else name] = str(path.resolve()) if path.exists() else name
    return models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", metavar="NAME",
                        help="'embedded', 'standin' or a pipeline name/path (repeatable; default: embedded + standin)")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repetitions and 300 replies")
    parser.add_argument("--out", default=str(BENCH_DIR / "results.json"), help="JSON output (default: %(default)s)")
    parser.add_argument("--pairs", type=int, help="cold-start pairs (default 9; --quick 3)")
    parser.add_argument("--replies", type=int, help="replies for throughput (default 2000; --quick 300)")
    parser.add_argument("--rounds", type=int, help="throughput rounds (default 3; --quick 1)")
    parser.add_argument("--seed", type=int, default=20240601, help="corpus seed (default %(default)s)")
    parser.add_argument("--skip", action="append", default=[], choices=["cold", "memory", "throughput", "growth"],
                        help="leave a measurement out (repeatable)")
    args = parser.parse_args(argv)

    settings = dict(QUICK if args.quick else FULL)
    for name in ("pairs", "replies", "rounds"):
        if getattr(args, name) is not None:
            settings[name] = getattr(args, name)
    models = resolve_models(args.model)

    started = datetime.now(timezone.utc)
    results = {
        "generated": started.isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "settings": {**settings, "growth_reps": {str(k): v for k, v in settings["growth_reps"].items()},
                     "seed": args.seed},
        "targets": TARGETS,
        "machine": machine(),
        "source_digest": source_digest(),
        "models": {},
    }
    skip = set(args.skip)
    for key, model in models.items():  # child processes first, while this process is small
        results["models"][key] = {"model": model}
        bench_children(key, model, settings, args.seed, skip, results["models"][key])
    for key, model in models.items():
        bench_in_process(key, model, settings, args.seed, skip, results["models"][key])
    results["duration_s"] = (datetime.now(timezone.utc) - started).total_seconds()
    results["source_digest_at_end"] = source_digest()
    results["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    if results["source_digest_at_end"] != results["source_digest"]:
        log("warning: linter/ or rules/ changed while the benchmark ran; the figures mix two versions")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    m = results["machine"]
    load = m["load_average"]
    print(f"lint-reply benchmark ({results['mode']}), Python {m['python']}, spaCy {m['spacy']}, "
          f"{m['cpu']} x{m['cpu_count']}, {results['duration_s']:.0f} s"
          + (f", load average {load[0]:.2f} at start, {results['load_average_at_end'][0]:.2f} at end" if load else ""))
    print()
    print(table(results))
    if results["source_digest_at_end"] != results["source_digest"]:
        print("\nwarning: linter/ or rules/ changed during the run; the figures mix two versions of the code")
    print()
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
