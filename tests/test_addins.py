"""The add-ins' shared JavaScript (examples/addins), tested with Node's test runner against a real lint-reply-serve."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDIN_TESTS = ROOT / "examples" / "addins" / "test"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"lint-reply-serve stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200 and json.load(response).get("status") == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"lint-reply-serve did not answer on {url} within {timeout:.0f}s")


@pytest.fixture(scope="module")
def service_url(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ)
    env["LINT_REPLY_MODEL"] = "embedded"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("LINT_REPLY_CONFIG", None)  # the defaults, never a developer's own configuration
    env["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg-config"))
    log = log_path.open("w")  # a file, not a pipe: the access log can never fill a buffer and stall the service
    process = subprocess.Popen(
        [sys.executable, "-c", f"from linter.frontends.service import main; main(['--port', '{port}'])"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, process)
        except RuntimeError as error:
            process.kill()
            process.wait(timeout=10)
            pytest.fail(f"{error}\n{log_path.read_text(encoding='utf-8', errors='replace')[-3000:]}")
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


def test_lintclient_and_addins_pass_node_tests(service_url) -> None:
    env = dict(os.environ, LINT_REPLY_URL=service_url)
    result = subprocess.run(
        [NODE, "--test", "--test-reporter=tap", str(ADDIN_TESTS.relative_to(ROOT)) + "/"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "# fail 0" in output, output[-3000:]
    # the service part really ran (it is skipped without LINT_REPLY_URL)
    assert "LINT_REPLY_URL is not set" not in output
    assert "thunderbird: findings cancel the send" in output and "outlook: findings stop the send" in output


def test_outlook_bundle_is_up_to_date() -> None:
    result = subprocess.run(
        [NODE, "examples/addins/outlook/build.mjs", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
