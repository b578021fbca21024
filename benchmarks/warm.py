"""Issue 12's targets, each with its baseline measured in the same run, printed as ratios.

    python benchmarks/warm.py                 # all targets (about 6 minutes on 2 cores)
    python benchmarks/warm.py --reps 3        # fewer process repetitions
    python benchmarks/warm.py --out FILE      # JSON (default benchmarks/warm-results.json)

What runs: a `lint-reply-serve --no-port` on a Unix socket in a private temporary
runtime folder (the warm linter), then, interleaved, whole new processes: `cat`, the
hook `lint-reply-sendmail --mode warn -- cat` with and without the warm linter, the
CLI on one draft with and without it, `--help`/`--version`, and the spaCy floors
(`spacy.blank("nl")` + sentencizer; `spacy.load` of the stand-in); in this process,
warm lint per reply against `nlp.pipe` of the floor pipeline on the same replies; and
the service's throughput with 8 concurrent clients against 1 (its default pool of one
worker per core); and the peak memory of one 1 MB input on the stand-in. Medians throughout.
Standard library only, plus lint-reply and what it depends on.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402
from run import ROOT, STANDIN, child_env, log, machine, run_child, source_digest  # noqa: E402

FLOOR_BLANK = "import spacy; nlp = spacy.blank('nl'); nlp.add_pipe('sentencizer'); nlp('x')"
HOOK = "from linter.frontends.hook import main; raise SystemExit(main())"
SERVE = "from linter.frontends.service import main; raise SystemExit(main())"
MESSAGE = (
    "From: Anna <anna@example.nl>\nTo: Bos <bos@example.com>\nSubject: Re: uw huur\n"
    "Date: Tue, 04 Jun 2024 11:00:00 +0200\nMessage-ID: <bench@example.nl>\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
)


def median_time(argv: list[str], env: dict, workdir: str, stdin: Path | None = None, ok=(0, 1)) -> float:
    return run_child(argv, workdir, env, ok, stdin=stdin)[0]


def start_daemon(env: dict, workdir: str, *options: str) -> subprocess.Popen:
    """A warm linter on the runtime folder's socket; returns once it answers."""
    from linter.frontends import warm
    from linter.config import Config

    process = subprocess.Popen([sys.executable, "-c", SERVE, "--no-port", *options], cwd=workdir, env=env,
                               stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    saved = dict(os.environ)
    os.environ.update({k: env[k] for k in ("XDG_RUNTIME_DIR", "LINT_REPLY_MODEL")})
    try:
        for _ in range(1200):
            daemon = warm.find_daemon(Config())
            if daemon:
                daemon.close()
                return process
            if process.poll() is not None:
                raise RuntimeError("lint-reply-serve stopped")
            time.sleep(0.1)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    process.terminate()
    raise RuntimeError("lint-reply-serve did not answer within 120 s")


def processes(reps: int, workdir: str) -> dict:
    """Whole new processes, interleaved so that no variant always runs first."""
    runtime = Path(workdir) / "runtime"
    runtime.mkdir(mode=0o700)
    base = {**child_env(), "LINT_REPLY_MODEL": "embedded", "XDG_RUNTIME_DIR": str(runtime), "NO_COLOR": "1"}
    base.pop("LINT_REPLY_NO_DAEMON", None)
    cold = {**base, "LINT_REPLY_NO_DAEMON": "1"}
    draft = Path(workdir) / "concept.txt"
    draft.write_text(corpus.COLD_START_DRAFT, encoding="utf-8")
    mail = Path(workdir) / "bericht.eml"
    mail.write_text(MESSAGE + corpus.COLD_START_DRAFT, encoding="utf-8")
    cli = [sys.executable, "-m", "linter"]
    hook = [sys.executable, "-c", HOOK, "--mode", "warn", "--", "cat"]
    variants = {
        "cat": (["cat"], base, mail),
        "hook_warm": (hook, base, mail),
        "hook_cold": (hook, cold, mail),
        "cli_warm": ([*cli, str(draft)], base, None),
        "cli_cold": ([*cli, str(draft)], cold, None),
        "floor_blank": ([sys.executable, "-c", FLOOR_BLANK], base, None),
        "help_cli": ([*cli, "--help"], base, None),
        "help_hook": ([sys.executable, "-c", HOOK, "--help"], base, None),
        "help_serve": ([sys.executable, "-c", SERVE, "--help"], base, None),
        "version_warm": ([*cli, "--version"], base, None),
        "version_cold": ([*cli, "--version"], cold, None),
    }
    if (STANDIN / "config.cfg").is_file():
        variants["cli_cold_standin"] = ([*cli, "--model", str(STANDIN), str(draft)], cold, None)
        variants["floor_standin"] = ([sys.executable, "-c", f"import spacy; nlp = spacy.load({str(STANDIN)!r}); nlp('x')"], base, None)
    times: dict[str, list[float]] = {name: [] for name in variants}
    daemon = start_daemon(base, workdir)
    try:
        for name, (argv, env, stdin) in variants.items():  # warm-up: file cache, lint-reply's rule caches
            median_time(argv, env, workdir, stdin)
        for number in range(reps):
            order = list(variants) if number % 2 == 0 else list(reversed(variants))
            for name in order:
                argv, env, stdin = variants[name]
                times[name].append(median_time(argv, env, workdir, stdin))
            log(f"  processes {number + 1}/{reps}: " + ", ".join(f"{n} {times[n][-1]:.3f}" for n in variants))
    finally:
        daemon.terminate()
        daemon.wait(30)
    return {name: {"runs_s": runs, "median_s": statistics.median(runs)} for name, runs in times.items()}


def per_reply(count: int, rounds: int) -> dict:
    """Warm lint per reply against nlp.pipe of the floor pipeline, on the same replies, in this process."""
    import spacy

    from linter import Linter

    texts = corpus.generate_replies(count)
    result = {"replies": count, "rounds": rounds}
    pairs = {"embedded": (lambda: Linter("embedded"), lambda: _blank())}
    if (STANDIN / "config.cfg").is_file():
        pairs["standin"] = (lambda: Linter(str(STANDIN)), lambda: spacy.load(STANDIN))
    for name, (make_linter, make_floor) in pairs.items():
        linter, floor = make_linter(), make_floor()
        for text in texts[:50]:  # warm-up
            linter.lint(text)
        list(floor.pipe(texts[:50]))
        lint_s, pipe_s = [], []
        for number in range(rounds):
            for which in (("lint", "pipe") if number % 2 == 0 else ("pipe", "lint")):
                start = time.perf_counter()
                if which == "lint":
                    for text in texts:
                        linter.lint(text)
                    lint_s.append(time.perf_counter() - start)
                else:
                    for _ in floor.pipe(texts):
                        pass
                    pipe_s.append(time.perf_counter() - start)
        lint, pipe = statistics.median(lint_s), statistics.median(pipe_s)
        result[name] = {"lint_ms_per_reply": lint / count * 1000, "pipe_ms_per_reply": pipe / count * 1000,
                        "ratio": lint / pipe, "lint_s": lint_s, "pipe_s": pipe_s}
        log(f"  per reply, {name}: lint {lint / count * 1000:.2f} ms, floor nlp.pipe {pipe / count * 1000:.2f} ms")
    return result


def _blank():
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def _post(port: int, bodies: list[bytes], take) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while (index := take()) is not None:
        connection.request("POST", "/v1/lint", body=bodies[index % len(bodies)],
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
    connection.close()


def concurrency(requests: int, workdir: str) -> dict:
    """The service's throughput with 8 concurrent clients against 1 (the same requests)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**child_env(), "LINT_REPLY_MODEL": "embedded"}
    process = subprocess.Popen([sys.executable, "-c", SERVE, "--no-socket", "--port", str(port)], cwd=workdir, env=env,
                               stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        bodies = [json.dumps({"text": text}).encode() for text in corpus.generate_replies(200, seed=12)]
        result = {"requests": requests}
        for clients in (1, 8, 1, 8):
            lock, counter = threading.Lock(), iter(range(requests))

            def take():
                with lock:
                    return next(counter, None)

            threads = [threading.Thread(target=_post, args=(port, bodies, take)) for _ in range(clients)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rate = requests / (time.perf_counter() - start)
            result.setdefault(f"clients_{clients}_per_s", []).append(rate)
            log(f"  service, {clients} client(s): {rate:.0f} requests/s")
        result.setdefault("machine_parallelism", []).append(machine_parallelism())
        log(f"  plain CPU work, 2 processes / 1: {result['machine_parallelism'][-1]:.2f}x")
        one, eight = statistics.median(result["clients_1_per_s"]), statistics.median(result["clients_8_per_s"])
        result["ratio"] = eight / one
        return result
    finally:
        process.terminate()
        process.wait(60)


LONG_CHILD = """
import sys
sys.path.insert(0, {bench!r})
import corpus
from linter import Linter
Linter({model!r}).lint(corpus.text_of_size(1_000_000))
"""


def long_input(workdir: str) -> dict | None:
    """Peak memory of a new process that loads the stand-in and lints one 1 MB input."""
    if not (STANDIN / "config.cfg").is_file():
        return None
    code = LONG_CHILD.format(bench=str(BENCH_DIR), model=str(STANDIN))
    seconds, maxrss_kb = run_child([sys.executable, "-c", code], workdir, child_env())
    log(f"  1 MB on the stand-in: {seconds:.1f} s, peak {maxrss_kb / 1024:.0f} MiB")
    return {"seconds": seconds, "peak_mib": maxrss_kb / 1024}


def _burn(count: int) -> int:
    total = 0
    for number in range(count):
        total += number
    return total


def machine_parallelism(workers: int = 2, count: int = 5_000_000) -> float:
    """How much faster `workers` processes finish `workers` pieces of pure CPU work than one
    process does them in turn: what this (possibly shared) machine allows the pool right now."""
    import multiprocessing

    start = time.perf_counter()
    for _ in range(workers):
        _burn(count)
    alone = time.perf_counter() - start
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_burn, [1] * workers)
        start = time.perf_counter()
        pool.map(_burn, [count] * workers)
        side_by_side = time.perf_counter() - start
    return alone / side_by_side


def targets(p: dict, r: dict, c: dict | None, big: dict | None = None) -> list[tuple[str, str, float, str, bool]]:
    """(target, how measured, ratio or figure, unit, met)."""
    m = {name: value["median_s"] for name, value in p.items()}
    rows = [
        ("hook with warm linter vs cat: added s per message < 0.15", f"{m['hook_warm']:.3f} s - {m['cat']:.3f} s",
         m["hook_warm"] - m["cat"], "s", m["hook_warm"] - m["cat"] < 0.15),
        ("hook without / with warm linter >= 20x", f"{m['hook_cold']:.3f} s / {m['hook_warm']:.3f} s",
         m["hook_cold"] / m["hook_warm"], "x", m["hook_cold"] / m["hook_warm"] >= 20),
        ("CLI through the warm linter < 0.15 s per file", f"{m['cli_warm']:.3f} s", m["cli_warm"], "s", m["cli_warm"] < 0.15),
        ("cold start (no daemon) / blank+sentencizer floor <= 1.2x", f"{m['cli_cold']:.3f} s / {m['floor_blank']:.3f} s",
         m["cli_cold"] / m["floor_blank"], "x", m["cli_cold"] / m["floor_blank"] <= 1.2),
    ]
    if "cli_cold_standin" in m:
        ratio = m["cli_cold_standin"] / m["floor_standin"]
        rows.append(("cold start stand-in / spacy.load <= 1.1x", f"{m['cli_cold_standin']:.3f} s / {m['floor_standin']:.3f} s",
                     ratio, "x", ratio <= 1.1))
    for name, label in (("help_cli", "lint-reply --help"), ("help_hook", "lint-reply-sendmail --help"),
                        ("help_serve", "lint-reply-serve --help"), ("version_warm", "lint-reply --version (warm linter)"),
                        ("version_cold", "lint-reply --version (no daemon)")):
        rows.append((f"{label} < 0.3 s", f"{m[name]:.3f} s", m[name], "s", m[name] < 0.3))
    limits = {"embedded": ("warm lint per reply / blank+sentencizer nlp.pipe <= 5x", 5.0),
              "standin": ("warm lint per reply / stand-in nlp.pipe <= 1.3x", 1.3)}
    for name, (label, limit) in limits.items():
        if name in r:
            x = r[name]
            rows.append((label, f"{x['lint_ms_per_reply']:.2f} ms / {x['pipe_ms_per_reply']:.2f} ms", x["ratio"], "x",
                         x["ratio"] <= limit))
    if c:
        one, eight = statistics.median(c["clients_1_per_s"]), statistics.median(c["clients_8_per_s"])
        rows.append(("service, 8 concurrent clients / 1 >= 1.7x", f"{eight:.0f}/s / {one:.0f}/s", c["ratio"], "x", c["ratio"] >= 1.7))
        floor = statistics.median(c["machine_parallelism"])
        rows.append(("  (what the machine allowed: 2 CPU processes / 1)", "plain Python loop", floor, "x", floor >= 1.7))
    if big:
        rows.append(("1 MB on the stand-in: peak < 400 MiB", f"{big['seconds']:.1f} s", big["peak_mib"], "MiB", big["peak_mib"] < 400))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="repetitions of every process measurement")
    parser.add_argument("--replies", type=int, default=1000, help="replies for the per-reply measurement")
    parser.add_argument("--requests", type=int, default=1000, help="service requests per concurrency round")
    parser.add_argument("--out", default=str(BENCH_DIR / "warm-results.json"))
    args = parser.parse_args(argv)
    started = source_digest()
    with tempfile.TemporaryDirectory(prefix="lint-reply-warm-") as workdir:
        log(f"processes ({args.reps} interleaved rounds)")
        p = processes(args.reps, workdir)
        log("service under concurrent clients")
        c = concurrency(args.requests, workdir)
        log("one 1 MB input on the stand-in (child process)")
        big = long_input(workdir)
    log(f"warm lint per reply ({args.replies} replies)")
    r = per_reply(args.replies, 3)
    rows = targets(p, r, c, big)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:  # the machine may be shared: a load above the core count slows every figure
        print(f"load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores")
    width = max(len(row[0]) for row in rows)
    print(f"{'target':{width}}  {'measured':32} {'figure':>8}  met")
    for label, how, figure, unit, met in rows:
        print(f"{label:{width}}  {how:32} {figure:7.3f}{unit}  {'yes' if met else 'NO'}")
    document = {"command": "python benchmarks/warm.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                "machine": machine(), "load_average": load, "source_digest": started, "processes": p, "per_reply": r, "concurrency": c, "long_input": big,
                "targets": [{"target": t, "measured": h, "figure": f, "unit": u, "met": ok} for t, h, f, u, ok in rows]}
    if source_digest() != started:
        log("WARNING: the code changed during the run")
    Path(args.out).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
