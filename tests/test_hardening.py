"""Hardening: no network needed, signals and pipes handled, size limits, the service under fuzzing.

The network test runs the command line, the pre-send hook and the service in a
network namespace without connectivity (`unshare -n`; only loopback is brought
up for the service). On a machine without unshare it is skipped, unless
LINT_REPLY_REQUIRE_ISOLATION=1 (as in CI).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import require

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
       "LINT_REPLY_MODEL": "embedded"}  # fmt: skip
BAD = ROOT / "examples" / "huurverhoging-slecht.txt"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def can_isolate() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def test_everything_works_without_a_network(tmp_path: Path) -> None:
    if not can_isolate():
        if os.environ.get("LINT_REPLY_REQUIRE_ISOLATION") == "1":
            pytest.fail("unshare -n is required here but does not work")
        pytest.skip("cannot make a network namespace here (unshare -n)")
    port = free_port()
    script = tmp_path / "offline.sh"
    script.write_text(
        textwrap.dedent(
            f"""\
            set -u
            ip link set lo up 2>/dev/null || true
            # no route to the outside world: a connection attempt fails at once
            {sys.executable} -c "import socket,sys; s=socket.socket(); s.settimeout(2); sys.exit(0 if s.connect_ex(('1.1.1.1', 80)) else 9)" || exit 9
            export XDG_STATE_HOME={tmp_path}/state XDG_CACHE_HOME={tmp_path}/cache
            {sys.executable} -m linter --format json {BAD} > {tmp_path}/cli.json; echo "cli $?"
            {sys.executable} -c "from linter.frontends.hook import main; raise SystemExit(main(['--mode','block','--','sh','-c','cat > {tmp_path}/sent.eml']))" < {ROOT}/tests/mail/fixtures/25-outlook-en-plain-woningruil-latin1-crlf.eml; echo "hook $?"
            {sys.executable} -c "from linter.frontends.service import main; main(['--port','{port}'])" 2>{tmp_path}/serve.log &
            server=$!
            for i in $(seq 1 100); do {sys.executable} -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/healthz', timeout=1)" 2>/dev/null && break; sleep 0.2; done
            {sys.executable} -c "import json,urllib.request; r=urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:{port}/v1/lint', data=json.dumps({{'text':'Einde discussie.'}}).encode(), headers={{'content-type':'application/json'}})); print('service', r.status)"
            kill $server; wait $server || true
            """
        )
    )
    result = subprocess.run(["unshare", "-n", "bash", str(script)], capture_output=True, env=ENV, timeout=300)
    output = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "cli 1" in output and "hook 0" in output and "service 200" in output, output + result.stderr.decode()
    assert json.loads((tmp_path / "cli.json").read_text())["files"][0]["findings"]
    fixture = ROOT / "tests" / "mail" / "fixtures" / "25-outlook-en-plain-woningruil-latin1-crlf.eml"
    assert (tmp_path / "sent.eml").read_bytes() == fixture.read_bytes()


def test_ctrl_c_ends_with_130_and_one_line(tmp_path: Path) -> None:
    big = tmp_path / "groot.txt"
    big.write_text("Helaas kan dat niet, want het is zo. " * 60_000, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "linter", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err.decode()
    assert err.decode().strip().splitlines() == ["lint-reply: afgebroken"]


def test_output_into_head_ends_quietly() -> None:
    files = " ".join([str(BAD)] * 40)
    result = subprocess.run(f"{sys.executable} -m linter {files} | head -n 2", shell=True, capture_output=True, env=ENV, timeout=300)
    assert result.stdout.count(b"\n") == 2
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr


def test_service_finishes_requests_in_flight_on_sigterm() -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", f"from linter.frontends.service import main; main(['--port', '{port}'])"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)  # fmt: skip
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        result: dict = {}

        def slow_request() -> None:
            body = json.dumps({"text": "Helaas kan dat niet. Ik begrijp dat u boos bent. " * 8000}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/lint", data=body, headers={"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:
                result["status"] = response.status
                result["report"] = json.loads(response.read())

        thread = threading.Thread(target=slow_request)
        thread.start()
        time.sleep(0.5)  # the request is being linted
        server.send_signal(signal.SIGTERM)
        thread.join(timeout=120)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert result.get("status") == 200 and result["report"]["files"][0]["bad_news"] is True
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status says SIGTERM
    assert server.returncode in (0, -signal.SIGTERM)
    assert b"Traceback" not in server.stderr.read()


def test_hook_passes_an_oversized_message_on_unlinted(tmp_path: Path) -> None:
    config = tmp_path / "lint-reply.toml"
    config.write_text("max-size = 2000\n")
    data = b"From: a@example.nl\nTo: b@example.com\nSubject: x\n\n" + b"Einde discussie. " * 300
    sink = tmp_path / "out.eml"
    hook = [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", "--config", str(config)]
    env = {**ENV, "XDG_STATE_HOME": str(tmp_path / "state")}
    sent = subprocess.run([*hook, "--mode", "block", "--", "sh", "-c", f'cat > "{sink}"'], input=data, capture_output=True, env=env)
    assert sent.returncode == 0 and sink.read_bytes() == data and b"max-size" in sent.stderr
    sink.unlink()
    kept = subprocess.run([*hook, "--mode", "block", "--on-error", "block", "--", "sh", "-c", f'cat > "{sink}"'], input=data, capture_output=True, env=env)
    assert kept.returncode == 75 and not sink.exists()


def test_service_under_property_based_fuzzing() -> None:
    schemathesis = require("schemathesis")
    from hypothesis import HealthCheck, settings

    from linter.api import get_linter
    from linter.frontends.service import create_app

    from linter.frontends.service import LOCAL_HOSTS

    app = create_app(get_linter("embedded"), max_body=20_000, allowed_hosts=LOCAL_HOSTS + ("testserver",))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = []
    for operation in schema.get_all_operations():
        operation = operation.ok()
        strategy = operation.as_strategy()

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @schemathesis_given(strategy)
        def run(case) -> None:
            response = case.call()
            assert response.status_code < 500, response.text
            case.validate_response(response)

        run()
        checked.append(operation.path)
    assert {"/v1/lint", "/v1/lint-message", "/v1/rules", "/healthz"} <= set(checked)


def schemathesis_given(strategy):
    from hypothesis import given

    return given(case=strategy)
