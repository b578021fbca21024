"""The service's lint jobs, and a pool of worker processes that runs them side by side.

spaCy is not made for concurrent use of one pipeline, so concurrency comes from processes:
each worker loads its own linter from the same configuration and lints one job at a time.
A job is plain data (picklable), and `perform` is the one function that turns a job into an
answer, in a worker or, without a pool, in the service's own thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import signal
import threading

from ..render import render_reports
from ..report import reports_to_json

# ("text", text, options) | ("source", Source, options) | ("local", [Source], options, render, fail_on)
Job = tuple


def perform(linter, job: Job) -> dict:
    """The JSON answer to one job with `linter` (options: channel, select, ignore, min_words)."""
    kind, *rest = job
    if kind == "text":
        text, options = rest
        return reports_to_json([linter.lint(text, **options)], linter.pipeline)
    if kind == "source":
        source, options = rest
        return reports_to_json([linter.lint_source(source, **options)], linter.pipeline)
    if kind == "local":
        sources, options, render, fail_on = rest
        reports = [linter.lint_source(source, **options) for source in sources]
        return {
            "output": render_reports(reports, linter.pipeline, render["format"], render["colour"], render["config"], render["width"]),
            "reports": [{"findings": bool(report.findings), "fails": report.fails(fail_on)} for report in reports],
        }
    raise ValueError(f"unknown job {kind!r}")


class JobFailed(Exception):
    """The job raised in the worker, or the worker died; the text is the exception's class name only."""


def _serve_jobs(connection, config) -> None:
    """A worker's life: load the linter, then answer jobs until the service closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the service's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from ..api import linter_for

        linter = linter_for(config)
        linter.warm_up()
    except Exception as error:  # noqa: BLE001 - the service says it in one line
        connection.send(("failed", str(error)))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", perform(linter, job))
        except Exception as error:  # noqa: BLE001 - reported to the service, which answers 500
            answer = ("error", type(error).__name__)
        connection.send(answer)


class Worker:
    def __init__(self, config):
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads and a loaded pipeline
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve_jobs, args=(child, config), daemon=True, name="lint-reply-worker")
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        kind, value = self._receive()
        if kind != "ready":
            raise JobFailed(f"een werkproces start niet: {value}")

    def call(self, job: Job) -> dict:
        """Blocking: send the job and wait for its answer (run in a thread)."""
        try:
            self.connection.send(job)
        except OSError:  # the worker is gone (killed, out of memory)
            raise JobFailed("WorkerDied") from None
        kind, value = self._receive()
        if kind != "ok":
            raise JobFailed(value)
        return value

    def _receive(self):
        try:
            return self.connection.recv()
        except (EOFError, OSError):
            raise JobFailed("WorkerDied") from None

    def stop(self) -> None:
        # Kill first: a thread still waiting on the pipe then sees end-of-file; closing our end
        # under it first could hand its descriptor number to another file.
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.connection.close()


class LintPool:
    """`size` workers; `run` waits for a free one. A job over its time limit costs its worker,
    which is killed (its lint cannot be interrupted otherwise) and replaced in the background."""

    def __init__(self, config, size: int):
        """Start the workers; they load their linters while the caller does other work."""
        self.config, self.size = config, size
        self.workers = [Worker(config) for _ in range(size)]
        self._idle: asyncio.Queue | None = None
        self._loop = None
        self._busy: set[Worker] = set()
        self._replacing: set[Worker] = set()
        self._lock = threading.Lock()

    def wait_ready(self) -> None:
        """Every worker has loaded its linter (or the first failure, as JobFailed)."""
        for worker in self.workers:
            worker.wait_ready()

    def _queue(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a queue belongs to one event loop: made on the service's, at first use
            self._loop, self._idle = loop, asyncio.Queue()
            for worker in self.workers:
                if worker not in self._busy and worker not in self._replacing:
                    self._idle.put_nowait(worker)
        return self._idle

    async def acquire(self) -> Worker:
        queue = self._queue()
        while True:
            worker = await queue.get()
            if worker.process.is_alive():
                self._busy.add(worker)
                return worker
            self._replace(worker)  # died while idle (killed, out of memory): replace it, take the next

    def release(self, worker: Worker) -> None:
        self._busy.discard(worker)
        self._queue().put_nowait(worker)

    async def call(self, worker: Worker, job: Job) -> dict:
        """Run `job` on `worker`; on cancellation (the time limit) the worker is replaced."""
        from starlette.concurrency import run_in_threadpool

        try:
            answer = await run_in_threadpool(worker.call, job)
        except asyncio.CancelledError:
            self._replace(worker)
            raise
        except JobFailed as failure:
            if not worker.process.is_alive():
                self._replace(worker)
            else:
                self.release(worker)
            raise failure
        self.release(worker)
        return answer

    def _replace(self, worker: Worker) -> None:
        """Kill `worker` and start another in a thread; it joins the idle queue once loaded."""
        self._busy.discard(worker)
        self._replacing.add(worker)
        worker.stop()

        def start() -> None:
            try:
                fresh = Worker(self.config)
                fresh.wait_ready()
            except Exception as error:  # noqa: BLE001 - the pool goes on with one worker fewer
                logging.getLogger("lint-reply.serve").error("geen nieuw werkproces: %s", error)
                return
            with self._lock:
                self.workers = [fresh if w is worker else w for w in self.workers]
                self._replacing.discard(worker)
            try:
                self._loop.call_soon_threadsafe(self._add_idle, fresh)
            except RuntimeError:  # that loop has closed; a new loop's queue is filled from self.workers
                pass

        threading.Thread(target=start, daemon=True, name="lint-reply-respawn").start()

    def _add_idle(self, worker: Worker) -> None:
        if worker not in self._busy and self._idle is not None:
            self._idle.put_nowait(worker)

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self.workers]

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


def default_size() -> int:
    """One worker per core."""
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))

