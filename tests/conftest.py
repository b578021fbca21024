"""Shared fixtures: the linter on each pipeline the machine has.

`embedded` always runs; `standin` is the trained stand-in pipeline in
../shared/models (or $LINT_REPLY_STANDIN) and is skipped cleanly when absent.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from linter import Linter

ROOT = Path(__file__).resolve().parent.parent
STANDIN = Path(os.environ.get("LINT_REPLY_STANDIN", ROOT.parent / "shared" / "models" / "nl_ud_standin_sm"))
PIPELINES = ["embedded", "standin"]


def _load(name: str) -> Linter:
    if name == "standin":
        if not (STANDIN / "config.cfg").is_file():
            pytest.skip(f"trained stand-in pipeline not found at {STANDIN}")
        return Linter(str(STANDIN))
    return Linter("embedded")


_cache: dict[str, Linter] = {}


def get_linter(name: str) -> Linter:
    if name not in _cache:
        _cache[name] = _load(name)
    return _cache[name]


@pytest.fixture(params=PIPELINES)
def any_linter(request) -> Linter:
    """The linter on every available pipeline (the test runs once per pipeline)."""
    return get_linter(request.param)


@pytest.fixture
def linter() -> Linter:
    """The linter on the embedded default (always available)."""
    return get_linter("embedded")


def labels(report) -> set[str]:
    return report.rules_fired() | report.element_names()


@pytest.fixture(autouse=True)
def _no_user_configuration(monkeypatch, tmp_path_factory):
    """Tests never pick up a developer's own lint-reply.toml, user configuration or running
    warm linter: each test has its own empty runtime folder for the daemon's socket."""
    monkeypatch.delenv("LINT_REPLY_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for name in ("LINT_REPLY_SOCKET", "LINT_REPLY_NO_DAEMON"):
        monkeypatch.delenv(name, raising=False)
    runtime = tmp_path_factory.mktemp("xdg-runtime")
    runtime.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))


def require(module: str):
    """Import a test dependency: skip where it is missing, but fail in CI (CI=true or
    LINT_REPLY_REQUIRE_TEST_DEPS=1), where a missing test extra must never pass silently."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        if os.environ.get("CI") == "true" or os.environ.get("LINT_REPLY_REQUIRE_TEST_DEPS") == "1":
            pytest.fail(f"test dependency {module!r} is missing: {error}", pytrace=False)
        pytest.skip(f"{module} is not installed", allow_module_level=True)


def starlette_test_client():
    """Starlette's TestClient (it needs httpx, a test dependency)."""
    require("httpx")
    with warnings.catch_warnings():  # newer Starlette prefers httpx2 for its test client; httpx still works
        warnings.filterwarnings("ignore", message=r".*httpx.*starlette\.testclient", category=UserWarning)
        from starlette.testclient import TestClient
    return TestClient


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[int, list[bytes]]]:
    """A local SMTP server (aiosmtpd) on a free loopback port: yields (port, messages received)."""
    controller_module = require("aiosmtpd.controller")
    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            received.append(envelope.original_content or envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_module.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
