"""The service's pool of worker processes: the same answers as one linter in the service's own
thread, side by side on separate processes, and a worker over the time limit or killed is
replaced without stopping the service."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from pathlib import Path

import pytest

from linter.config import Config
from linter.input.reader import Source
from linter.frontends.service import create_app
from linter.frontends.workers import LintPool, perform

from .conftest import get_linter, starlette_test_client

TestClient = starlette_test_client()

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "examples" / "huurverhoging-goed.txt").read_text(encoding="utf-8")
MESSAGE = "From: a@example.nl\nTo: b@example.com\nSubject: x\n\n" + BAD
LONG = "Helaas kan dat niet. Ik begrijp dat u boos bent. " * 20_000


def start_pool(size: int) -> LintPool:
    pool = LintPool(Config(model="embedded"), size)
    pool.wait_ready()
    return pool


@pytest.fixture(scope="module")
def pool():
    started = start_pool(2)
    yield started
    started.close()


@pytest.fixture
def one_worker():
    started = start_pool(1)
    yield started
    started.close()


def client(pool: LintPool | None, **settings) -> TestClient:
    return TestClient(create_app(get_linter("embedded"), pool=pool, **settings), base_url="http://localhost",
                      raise_server_exceptions=False)


def test_the_pool_gives_the_same_answers_as_the_service_thread(pool) -> None:
    requests = [("/v1/lint", {"text": BAD}), ("/v1/lint", {"text": GOOD, "channel": "chat"}),
                ("/v1/lint-message", {"message": MESSAGE})]
    with client(pool) as pooled, client(None) as threaded:
        for path, body in requests:
            first, second = pooled.post(path, json=body), threaded.post(path, json=body)
            assert first.status_code == second.status_code == 200
            assert first.json() == second.json()


def test_local_jobs_are_the_same_in_a_worker(pool) -> None:
    source = Source(path="concept.txt", text=BAD)
    job = ("local", [source], {"channel": "email", "select": [], "ignore": [], "min_words": 0},
           {"format": "text", "colour": False, "config": None, "width": None}, "warning")

    async def in_worker() -> dict:
        worker = await pool.acquire()
        return await pool.call(worker, job)

    assert asyncio.run(in_worker()) == perform(get_linter("embedded"), job)


def test_two_jobs_run_on_two_processes(pool) -> None:
    async def both() -> tuple[list[int], list[dict]]:
        first, second = await pool.acquire(), await pool.acquire()
        pids = [first.process.pid, second.process.pid]
        answers = await asyncio.gather(pool.call(first, ("text", BAD, {})), pool.call(second, ("text", GOOD, {})))
        return pids, answers

    pids, answers = asyncio.run(both())
    assert len(set(pids)) == 2 and os.getpid() not in pids
    assert answers[0]["files"][0]["findings"] and answers[1]["files"][0]["handles"]


def test_a_full_queue_is_503_with_a_pool(pool) -> None:
    with client(pool, max_queue=0) as full:
        response = full.post("/v1/lint", json={"text": "Helaas kan dat niet."})
    assert response.status_code == 503 and "bezet" in response.json()["error"]


def test_a_worker_over_the_time_limit_is_replaced(one_worker) -> None:
    before = one_worker.pids()
    with client(one_worker, time_limit=0.1) as limited:
        response = limited.post("/v1/lint", json={"text": LONG})
    assert response.status_code == 503 and "seconden" in response.json()["error"]
    with client(one_worker, time_limit=120) as patient:  # waits for the replacement to load
        again = patient.post("/v1/lint", json={"text": BAD})
    assert again.status_code == 200 and again.json()["files"][0]["findings"]
    assert one_worker.pids() != before


def test_a_worker_killed_while_idle_is_replaced_unseen(one_worker) -> None:
    before = one_worker.pids()
    os.kill(before[0], signal.SIGKILL)
    one_worker.workers[0].process.join(10)
    with client(one_worker, time_limit=120) as service:
        response = service.post("/v1/lint", json={"text": BAD})
    assert response.status_code == 200 and one_worker.pids() != before


def test_a_worker_killed_during_a_lint_is_500_and_the_next_request_is_answered(one_worker) -> None:
    victim = one_worker.pids()[0]
    # The long lint takes seconds; the worker is killed half a second into it.
    killer = threading.Timer(0.5, os.kill, (victim, signal.SIGKILL))
    with client(one_worker, time_limit=120) as service:
        killer.start()
        failed = service.post("/v1/lint", json={"text": LONG})
        again = service.post("/v1/lint", json={"text": BAD})
    assert failed.status_code == 500 and failed.json() == {"error": "interne fout in de linter"}
    assert again.status_code == 200 and victim not in one_worker.pids()
