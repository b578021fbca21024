"""The warm linter: the hook and the CLI use a running `lint-reply-serve` on the Unix socket when it is
exactly their own linter, and otherwise lint in process with the same output and exit codes.

Broken daemons are small socket servers in a thread: one that never answers, one that closes
the connection, one with another rule-set digest, one that answers "hello" and then stalls,
one that answers in the wrong shape; and a real daemon behind a socket with wrong permissions.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from linter.frontends import warm
from linter.config import Config
from linter.paths import socket_path
from linter.input.reader import read_source

from .conftest import get_linter
from .test_sendmail import BAD_BODY, CHILD_PATH, GOOD_BODY, message

uvicorn = pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "examples" / "huurverhoging-slecht.txt"
GOOD = ROOT / "examples" / "huurverhoging-goed.txt"


@pytest.fixture(autouse=True)
def _embedded(monkeypatch) -> None:
    monkeypatch.setenv("LINT_REPLY_MODEL", "embedded")


def _listen(path: Path) -> socket.socket:
    from linter.frontends.service import bind_unix_socket

    return bind_unix_socket(path)


class Daemon:
    """The real service app on the socket, in a thread, on the shared embedded linter."""

    def __init__(self, path: Path, config: Config | None = None):
        from linter.frontends.service import create_app

        config = config or Config()
        self.path = path
        app = create_app(get_linter("embedded"), local_identity=warm.identity(config))
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.listener = _listen(path)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.listener]}, daemon=True)

    def __enter__(self) -> Daemon:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def served(self) -> int:
        connection = warm._UnixConnection(self.path)
        try:
            return connection.call("GET", warm.HELLO_PATH, None, 5)["served"]
        finally:
            connection.close()


class FakeDaemon:
    """A socket server that misbehaves: `handle(conn)` decides what each connection gets."""

    def __init__(self, path: Path, handle):
        self.listener = _listen(path)
        self.handle, self.connections = handle, []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def __enter__(self) -> FakeDaemon:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0)
    while len(body) < length:
        body += conn.recv(65536)
    return head


def _reply(conn: socket.socket, document) -> None:
    body = json.dumps(document).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


def _hello(identity: dict) -> dict:
    return {"identity": identity, "pipeline": "x", "rules": [], "served": 0}


def hangs(conn: socket.socket) -> None:
    _read_request(conn)  # accepts, reads, never answers


def closes(conn: socket.socket) -> None:
    _read_request(conn)
    conn.close()


def other_digest(conn: socket.socket) -> None:
    _read_request(conn)
    _reply(conn, _hello({**warm.identity(Config()), "rules": "another-rule-set"}))


def stalls_after_hello(conn: socket.socket) -> None:
    _read_request(conn)
    _reply(conn, _hello(warm.identity(Config())))
    _read_request(conn)  # the lint: never answered


def wrong_shape(conn: socket.socket) -> None:
    _read_request(conn)
    _reply(conn, _hello(warm.identity(Config())))
    _read_request(conn)
    _reply(conn, {"output": "alles goed", "reports": [{"findings": "nee"}]})


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": CHILD_PATH, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "linter", *args], capture_output=True, env=environment,
                          cwd=ROOT, timeout=120)


def run_hook(data: bytes, tmp_path: Path, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": CHILD_PATH, "XDG_STATE_HOME": str(tmp_path / "state"), **(env or {})}
    command = [sys.executable, "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"]
    return subprocess.run([sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())",
                           *options, "--", *command], input=data, capture_output=True, env=environment,
                          cwd=tmp_path, timeout=120)  # fmt: skip


def same(first: subprocess.CompletedProcess, second: subprocess.CompletedProcess) -> bool:
    """Same status and output; a kept copy's name has the time in it, so that part is masked."""
    def masked(run: subprocess.CompletedProcess) -> tuple:
        return run.returncode, run.stdout, re.sub(rb"\d{8}-\d{6}-", b"<time>-", run.stderr)

    return masked(first) == masked(second)


IN_PROCESS = {"LINT_REPLY_NO_DAEMON": "1"}


# --- a working daemon --------------------------------------------------------------------


def test_cli_and_hook_use_a_running_daemon_with_identical_output(tmp_path: Path) -> None:
    with Daemon(socket_path()) as daemon:
        cases = [
            lambda env: run_cli("--no-color", str(BAD), str(GOOD), env=env),
            lambda env: run_cli("--format", "json", str(BAD), env=env),
            lambda env: run_cli("--select", "abrupt-closing", "--min-words", "3", "--channel", "chat", str(BAD), env=env),
            lambda env: run_cli("--version", env=env),
            lambda env: run_hook(message(BAD_BODY), tmp_path, "--mode", "warn", env=env),
            lambda env: run_hook(message(BAD_BODY), tmp_path, "--mode", "block", env=env),
            lambda env: run_hook(message(GOOD_BODY), tmp_path, "--mode", "block", env=env),
        ]
        for number, case in enumerate(cases):
            before = daemon.served()
            warm_run = case({})
            lints = daemon.served() - before
            cold_run = case(IN_PROCESS)
            assert same(warm_run, cold_run), (number, warm_run, cold_run)
            assert lints == (0 if number == 3 else 1), number  # --version asks "hello" only
        assert warm_run.stdout == message(GOOD_BODY)  # delivered byte for byte
        count = daemon.served()
        assert run_cli("--no-daemon", str(BAD)).returncode == 1 and daemon.served() == count


def test_a_daemon_with_other_settings_is_not_used_for_them(tmp_path: Path) -> None:
    # A severity change is part of the rule set: the daemon (default rules) must not answer it.
    config = tmp_path / "lint-reply.toml"
    config.write_text('[severity]\nmissing-closing = "error"\n', encoding="utf-8")
    with Daemon(socket_path()) as daemon:
        before = daemon.served()
        warm_run = run_cli("--config", str(config), str(BAD))
        assert daemon.served() == before
    assert same(warm_run, run_cli("--config", str(config), str(BAD), env=IN_PROCESS))


def test_an_unknown_rule_id_is_the_same_error_with_a_daemon(tmp_path: Path) -> None:
    with Daemon(socket_path()):
        warm_run = run_cli("--select", "abrupt-closin", str(BAD))
    assert warm_run.returncode == 2 and b"onbekende regel" in warm_run.stderr
    assert same(warm_run, run_cli("--select", "abrupt-closin", str(BAD), env=IN_PROCESS))


# --- no daemon, or a broken one: in process, same answer --------------------------------


@pytest.mark.parametrize("handle", [None, hangs, closes, other_digest, wrong_shape])
def test_a_missing_or_broken_daemon_is_not_used(handle) -> None:
    source = read_source(str(BAD))
    if handle is None:
        assert warm.find_daemon(Config()) is None
        return
    with FakeDaemon(socket_path(), handle):
        daemon = warm.find_daemon(Config())
        answer = daemon.lint([source], {}, {}, 0.5) if daemon else None
    assert answer is None


def test_a_daemon_that_stalls_after_hello_is_given_up_after_the_time_limit() -> None:
    options = {"channel": "email", "select": [], "ignore": [], "min_words": 0, "fail_on": "warning"}
    render = {"format": "text", "colour": False, "config": None, "width": None}
    with FakeDaemon(socket_path(), stalls_after_hello):
        daemon = warm.find_daemon(Config())
        assert daemon is not None  # it said the right things ...
        assert daemon.lint([read_source(str(BAD))], options, render, 0.3) is None  # ... and then nothing


@pytest.mark.parametrize("handle", [hangs, closes, other_digest, wrong_shape])
def test_the_hook_keeps_the_same_with_a_broken_daemon(tmp_path: Path, handle) -> None:
    data = message(BAD_BODY)
    with FakeDaemon(socket_path(), handle):
        broken = run_hook(data, tmp_path, "--mode", "block")
    cold = run_hook(data, tmp_path, "--mode", "block", env=IN_PROCESS)
    assert cold.returncode == 75 and same(broken, cold)


def test_the_cli_prints_the_same_with_a_broken_daemon() -> None:
    with FakeDaemon(socket_path(), closes):
        broken = run_cli("--no-color", str(BAD))
    assert broken.returncode == 1 and same(broken, run_cli("--no-color", str(BAD), env=IN_PROCESS))


@pytest.mark.parametrize("mode", [0o660, 0o604, 0o666])
def test_a_socket_with_group_or_other_bits_is_refused(mode: int) -> None:
    path = socket_path()
    with Daemon(path) as daemon:
        path.chmod(mode)
        assert warm.find_daemon(Config()) is None
        path.chmod(0o600)
        found = warm.find_daemon(Config())
        assert found is not None
        found.close()
        assert daemon.served() == 0


def test_a_socket_in_a_folder_others_can_write_is_refused() -> None:
    path = socket_path()
    with Daemon(path):
        path.parent.chmod(0o777)
        try:
            assert warm.find_daemon(Config()) is None
        finally:
            path.parent.chmod(0o700)


def test_a_socket_of_another_user_is_refused(monkeypatch) -> None:
    with Daemon(socket_path()):
        monkeypatch.setattr(warm.os, "getuid", lambda: os.geteuid() + 1)
        assert warm.find_daemon(Config()) is None


def test_a_file_that_is_not_a_socket_is_refused() -> None:
    path = socket_path()
    path.parent.mkdir(mode=0o700)
    path.write_text("not a socket")
    path.chmod(0o600)
    assert warm.find_daemon(Config()) is None


def test_no_daemon_switch(monkeypatch) -> None:
    with Daemon(socket_path()):
        assert warm.find_daemon(Config(), disabled=True) is None
        monkeypatch.setenv("LINT_REPLY_NO_DAEMON", "1")
        assert warm.find_daemon(Config()) is None
        monkeypatch.setenv("LINT_REPLY_NO_DAEMON", "0")
        found = warm.find_daemon(Config())
        assert found is not None
        found.close()


# --- the server side of the socket ----------------------------------------------------------


def test_the_serve_socket_is_private_and_a_live_one_is_not_taken_over(tmp_path: Path) -> None:
    from linter.frontends.service import ServeError, bind_unix_socket

    path = tmp_path / "run" / "lint.sock"
    listener = bind_unix_socket(path)
    try:
        assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
        with pytest.raises(ServeError, match="luistert al"):
            bind_unix_socket(path)
    finally:
        listener.close()
    bind_unix_socket(path).close()  # a socket nobody listens on any more is replaced
    other = tmp_path / "file"
    other.write_text("x")
    with pytest.raises(ServeError, match="geen socket"):
        bind_unix_socket(other)


def test_local_routes_are_not_on_the_port() -> None:
    import warnings

    with warnings.catch_warnings():  # newer Starlette prefers httpx2 for its test client; httpx still works
        warnings.filterwarnings("ignore", message=r".*httpx.*starlette\.testclient", category=UserWarning)
        from starlette.testclient import TestClient

    from linter.frontends.service import create_app

    app = create_app(get_linter("embedded"), local_identity=warm.identity(Config()))
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get(warm.HELLO_PATH).status_code == 404
        assert client.post(warm.LINT_PATH, json={}).status_code == 404


def test_the_client_does_not_load_spacy() -> None:
    code = ("import sys; from linter.frontends.cli import main; from linter.frontends import hook, warm; "
            "warm.identity(__import__('linter.config').config.Config()); print('spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": CHILD_PATH}, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
