"""`lint-reply-serve --install-user-service` in a temporary home, and the service started the way
systemd starts it (socket activation: the socket on descriptor 3, LISTEN_PID and LISTEN_FDS)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linter.frontends import warm
from linter.config import Config
from linter.frontends.service import main as serve_main

from .test_sendmail import CHILD_PATH


def _install(capsys, *options: str) -> tuple[int, str]:
    status = serve_main(["--install-user-service", *options])
    return status, capsys.readouterr().out


def test_install_writes_a_socket_activated_unit_pair_in_a_temporary_home(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("LINT_REPLY_MODEL", raising=False)
    status, out = _install(capsys, "--time-limit", "15")
    folder = tmp_path / ".config" / "systemd" / "user"
    socket_unit = (folder / "lint-reply.socket").read_text()
    service_unit = (folder / "lint-reply.service").read_text()
    assert status == 0
    assert "ListenStream=%t/lint-reply/lint-reply.sock" in socket_unit and "SocketMode=0600" in socket_unit
    assert "DirectoryMode=0700" in socket_unit and "WantedBy=sockets.target" in socket_unit
    command = next(line for line in service_unit.splitlines() if line.startswith("ExecStart="))[len("ExecStart="):].split()
    assert Path(command[0]).is_absolute() and command[0].endswith("lint-reply-serve")
    assert command[1:] == ["--no-port", "--workers", "1", "--time-limit", "15"] and "Environment" not in service_unit
    assert "systemctl --user enable --now lint-reply.socket" in out and "systemctl --user daemon-reload" in out
    assert str(folder / "lint-reply.service") in out


def test_install_honours_xdg_config_home_model_and_config(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    config = tmp_path / "lint-reply.toml"
    config.write_text('fail-on = "error"\n')
    status, _ = _install(capsys, "--model", "embedded", "--config", str(config), "--workers", "2")
    service_unit = (tmp_path / "cfg" / "systemd" / "user" / "lint-reply.service").read_text()
    assert status == 0 and f"--workers 2 --time-limit 20 --model embedded --config {config}" in service_unit
    monkeypatch.setenv("LINT_REPLY_MODEL", "/opt/models/nl 100%")
    _install(capsys)
    service_unit = (tmp_path / "cfg" / "systemd" / "user" / "lint-reply.service").read_text()
    # the clients resolve the pipeline with this variable, so the service gets it too (systemd-quoted)
    assert "Environment='LINT_REPLY_MODEL=/opt/models/nl 100%%'" in service_unit


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("LINT_REPLY_MODEL", raising=False)
    _install(capsys)
    folder = tmp_path / "cfg" / "systemd" / "user"
    if not Path(sys.executable).with_name("lint-reply-serve").is_file() and not shutil.which("lint-reply-serve"):
        pytest.skip("lint-reply-serve is not installed")
    result = subprocess.run(["systemd-analyze", "--user", "verify", str(folder / "lint-reply.socket"), str(folder / "lint-reply.service")],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_socket_activated_service_answers_the_clients(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LINT_REPLY_MODEL", "embedded")
    path = warm.socket_path()
    path.parent.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # what systemd's .socket unit holds
    listener.bind(str(path))
    path.chmod(0o600)
    listener.listen(16)
    # As systemd does: the socket on descriptor 3 and LISTEN_PID set to the service's own pid.
    start = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.environ['LISTEN_PID'] = str(os.getpid()); "
             "os.environ['LISTEN_FDS'] = '1'; from linter.frontends.service import main; raise SystemExit(main(['--no-port']))")
    service = subprocess.Popen([sys.executable, "-c", start, str(listener.fileno())], pass_fds=[listener.fileno()],
                               env={**os.environ, "PYTHONPATH": CHILD_PATH}, stderr=subprocess.PIPE)
    listener.close()
    try:
        daemon = None
        for _ in range(600):  # the service loads its pipeline first
            daemon = warm.find_daemon(Config())
            if daemon or service.poll() is not None:
                break
            time.sleep(0.1)
        assert daemon is not None, service.stderr.read1().decode() if service.poll() is not None else "no answer"
        daemon.close()
    finally:
        service.terminate()
        service.wait(30)
    assert path.exists()  # the socket belongs to systemd: the service leaves it in place


def test_without_unix_sockets_the_service_keeps_to_the_port(monkeypatch, capsys) -> None:
    # As on Windows: no AF_UNIX (and no getuid). Asking for the socket alone is one line, exit 2.
    from linter.frontends import service

    monkeypatch.delattr(service.socket, "AF_UNIX")
    assert serve_main(["--no-port"]) == 2
    assert "Unix-sockets zijn op dit systeem niet beschikbaar" in capsys.readouterr().err
    assert serve_main(["--socket", "/tmp/x.sock"]) == 2
