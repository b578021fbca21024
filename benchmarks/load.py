"""Load check of lint-reply-serve (not a test): many POST /v1/lint from concurrent clients.

    python benchmarks/load.py                         # 2,000 requests from 8 clients
    python benchmarks/load.py --requests 500 --clients 4 --out /tmp/load.json

Starts the service as its own process (`lint-reply-serve` on the embedded
pipeline) on a free loopback port, waits for /healthz, sends a few uncounted
warm-up requests, then the requests: seeded generated replies (benchmarks/corpus.py;
every fifth on the chat channel), spread over CLIENTS threads that each keep one
HTTP/1.1 connection open (http.client). Every answer must be 200 with a report;
prints the median, p95, p99 and max latency and requests/s, and writes the figures
to benchmarks/load-results.json. Exit status 1 when any request failed.
Traffic goes to 127.0.0.1 only; the run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402  (benchmarks/corpus.py; standard library only)

HOST = "127.0.0.1"
WARM_UP = 16
REQUEST_TIMEOUT = 60.0  # seconds, per request
RUN_DEADLINE = 900.0  # seconds, the whole measured run


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_service(port: int, log_file, config_home: str) -> subprocess.Popen:
    env = dict(os.environ, LINT_REPLY_MODEL="embedded", XDG_CONFIG_HOME=config_home)  # default settings
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("LINT_REPLY_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-c", f"from linter.frontends.service import main; main(['--host', '{HOST}', '--port', '{port}'])"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file,
    )  # fmt: skip


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 120.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"load.py: the service stopped with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status == 200 and json.loads(body).get("status") == "ok":
                return time.monotonic() - started
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"load.py: the service did not answer /healthz within {timeout:.0f}s")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(fraction * len(sorted_values))))
    return sorted_values[rank - 1]


class Client(threading.Thread):
    """One client: one keep-alive connection, requests taken from the shared work list."""

    def __init__(self, port: int, bodies: list[bytes], next_index, deadline: float):
        super().__init__(daemon=True)
        self.port, self.bodies, self.next_index, self.deadline = port, bodies, next_index, deadline
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors: list[str] = []

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)

    def run(self) -> None:
        connection = self._connect()
        while True:
            index = self.next_index()
            if index is None:
                break
            if time.monotonic() > self.deadline:
                self.errors.append("deadline")
                self.statuses["deadline"] = self.statuses.get("deadline", 0) + 1
                continue
            body = self.bodies[index]
            started = time.perf_counter()
            try:
                connection.request("POST", "/v1/lint", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                status = str(response.status)
                if response.status == 200:
                    document = json.loads(payload)
                    if document.get("version") != 1 or len(document.get("files", [])) != 1:
                        status = "bad-report"
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
                    connection = self._connect()
            except (OSError, http.client.HTTPException, ValueError) as error:
                elapsed = time.perf_counter() - started
                status = type(error).__name__
                connection.close()
                connection = self._connect()
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == "200":
                self.latencies.append(elapsed)
            else:
                self.errors.append(status)
        connection.close()


def work_list(count: int) -> list[bytes]:
    texts = corpus.generate_replies(count)
    return [
        json.dumps({"text": text, "channel": "chat" if i % 5 == 4 else "email"}, ensure_ascii=False).encode("utf-8")
        for i, text in enumerate(texts)
    ]


def run(requests: int, clients: int) -> dict:
    bodies = work_list(requests)
    port = free_port()
    with tempfile.TemporaryFile() as log_file, tempfile.TemporaryDirectory() as config_home:
        process = start_service(port, log_file, config_home)
        try:
            startup = wait_healthy(port, process)
            warm = Client(port, work_list(WARM_UP), _counter(WARM_UP), time.monotonic() + 120)
            warm.run()  # in this thread, uncounted
            if warm.errors:
                raise SystemExit(f"load.py: warm-up failed: {warm.statuses}")

            next_index = _counter(requests)
            deadline = time.monotonic() + RUN_DEADLINE
            workers = [Client(port, bodies, next_index, deadline) for _ in range(clients)]
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(RUN_DEADLINE + REQUEST_TIMEOUT)
            wall = time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log_file.seek(0)
        log_lines = log_file.read().decode("utf-8", "replace").splitlines()

    latencies = sorted(x for w in workers for x in w.latencies)
    statuses: dict[str, int] = {}
    for worker in workers:
        for status, count in worker.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    ok = statuses.get("200", 0)
    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "service": {"pipeline": "embedded", "startup_s": round(startup, 2), "log_lines": len(log_lines)},
        "requests": requests,
        "clients": clients,
        "answered_200": ok,
        "all_200": ok == requests,
        "statuses": statuses,
        "wall_s": round(wall, 2),
        "requests_per_s": round(ok / wall, 1) if wall else None,
        "latency_ms": {
            "median": ms(statistics.median(latencies)) if latencies else None,
            "p95": ms(percentile(latencies, 0.95)),
            "p99": ms(percentile(latencies, 0.99)),
            "min": ms(latencies[0]) if latencies else None,
            "max": ms(latencies[-1]) if latencies else None,
            "mean": ms(statistics.fmean(latencies)) if latencies else None,
        },
        "request_bytes": {"median": int(statistics.median(len(b) for b in bodies)), "max": max(len(b) for b in bodies)},
    }


def _counter(limit: int):
    """A thread-safe source of the indices 0..limit-1, then None."""
    lock = threading.Lock()
    state = {"next": 0}

    def take():
        with lock:
            if state["next"] >= limit:
                return None
            state["next"] += 1
            return state["next"] - 1

    return take


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "load-results.json")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1 or args.requests > 100_000 or args.clients > 64:
        parser.error("--requests must be 1..100000 and --clients 1..64")
    result = run(args.requests, args.clients)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lat = result["latency_ms"]
    print(f"{result['answered_200']}/{result['requests']} answered 200 from {result['clients']} clients in {result['wall_s']} s")
    print(f"latency ms: median {lat['median']}, p95 {lat['p95']}, p99 {lat['p99']}, max {lat['max']}")
    print(f"throughput: {result['requests_per_s']} requests/s")
    if not result["all_200"]:
        print(f"NOT ALL 200: {result['statuses']}")
    print(f"written to {args.out}")
    return 0 if result["all_200"] else 1


if __name__ == "__main__":
    sys.exit(main())
