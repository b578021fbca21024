"""The hook's contract is total: every path ends delivered complete, or kept complete with exit 75.

Covers what an attack run broke: an unwritable recovery folder, a disk that fills up
while the copy is written, SIGTERM while COMMAND is being fed, and the default
`confirm` mode answering through a real terminal (a pty, as under neomutt).
"""

from __future__ import annotations

import errno
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linter.frontends import hook

from .test_sendmail import BAD_BODY, CHILD_PATH, message, recovered, run_hook


def test_recovery_folder_blocked_by_a_file_falls_back_to_the_next_place(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "lint-reply").write_text("a file where the folder should be")
    data = message(BAD_BODY)
    status, delivered, err = run_hook(tmp_path, data, "--mode", "block")
    assert status == 75 and delivered is None
    copies = list((tmp_path / "cache" / "lint-reply" / "recovery").glob("*.eml"))
    assert [c.read_bytes() for c in copies] == [data], err
    assert str(copies[0]) in err and "niet bewaard" in err


def test_no_writable_place_still_keeps_the_message_with_exit_75(tmp_path: Path, monkeypatch, capsys) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    monkeypatch.setattr(hook, "recovery_dirs", lambda: [blocked / "a", blocked / "b"])
    assert hook.keep(b"message", "", "het antwoord heeft bevindingen") == 75
    err = capsys.readouterr().err
    assert "nergens een kopie" in err and "Traceback" not in err


def test_disk_full_leaves_no_truncated_copy(tmp_path: Path, monkeypatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setattr(hook, "recovery_dirs", lambda: [first, second])
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[:65536]))
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(hook.os, "write", full_disk)
    data = b"x" * 270_000
    path, failures = hook.save_copy(data)
    assert list(first.iterdir()) == []  # neither a truncated copy nor a leftover partial file
    assert path is not None and path.parent == second and path.read_bytes() == data
    assert failures and "No space left" in failures[0]


def test_sigterm_while_feeding_the_command_delivers_nothing_partial(tmp_path: Path) -> None:
    """COMMAND reads slowly; the hook is stopped halfway: COMMAND must never see end-of-input."""
    sink, done = tmp_path / "delivered.bin", tmp_path / "done"
    slow_reader = (
        "import sys, time\n"
        f"out = open({str(sink)!r}, 'wb')\n"
        "while True:\n"
        "    chunk = sys.stdin.buffer.read(4096)\n"
        "    if not chunk: break\n"
        "    out.write(chunk); out.flush(); time.sleep(0.01)\n"
        f"open({str(done)!r}, 'w').write('sent')\n"
    )
    data = message("Beste meneer Bos,\n\nDank voor uw bericht.\n\nMet vriendelijke groet,\nAnna\n", extra=b"\n" + b"y" * 400_000)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "LINT_REPLY_MODEL": "embedded", "PYTHONPATH": CHILD_PATH}
    hook = subprocess.Popen(
        [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", "--mode", "warn",
         "--", sys.executable, "-c", slow_reader],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    hook.stdin.write(data)
    hook.stdin.close()
    deadline = time.monotonic() + 60
    while not (sink.exists() and sink.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    hook.send_signal(signal.SIGTERM)
    status = hook.wait(timeout=60)
    err = hook.stderr.read().decode()
    time.sleep(0.5)
    assert status == 75, err
    assert not done.exists(), "COMMAND saw the end of a partial message"
    [copy] = recovered(tmp_path)
    assert copy.read_bytes() == data
    assert "onderbroken (SIGTERM)" in err


def _hook_on_a_terminal(tmp_path: Path, answer: bytes) -> tuple[int, bytes | None, bytes]:
    """Run the hook with a pty as its controlling terminal and the message on a pipe, as neomutt does."""
    sink = tmp_path / "delivered.bin"
    master, slave = os.openpty()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "LINT_REPLY_MODEL": "embedded", "PYTHONPATH": CHILD_PATH}

    def controlling_terminal() -> None:
        os.setsid()
        import fcntl
        import termios

        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    copy = f"import sys,shutil; shutil.copyfileobj(sys.stdin.buffer, open({str(sink)!r}, 'wb'))"
    hook = subprocess.Popen(
        [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", "--", sys.executable, "-c", copy],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path,
        preexec_fn=controlling_terminal, pass_fds=(slave,),
    )  # fmt: skip
    os.close(slave)
    hook.stdin.write(message(BAD_BODY))
    hook.stdin.close()
    screen = b""
    deadline = time.monotonic() + 90
    while b"Toch versturen?" not in screen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                screen += os.read(master, 65536)
            except OSError:
                break
    os.write(master, answer)
    status = hook.wait(timeout=60)
    os.close(master)
    return status, sink.read_bytes() if sink.exists() else None, screen


@pytest.mark.parametrize("answer, delivered_expected", [(b"j\n", True), (b"y\n", True), (b"n\n", False), (b"\n", False)])
def test_confirm_asks_on_the_terminal(tmp_path: Path, answer: bytes, delivered_expected: bool) -> None:
    status, delivered, screen = _hook_on_a_terminal(tmp_path, answer)
    assert b"Toch versturen? [j/N]" in screen and b"discussie" in screen
    if delivered_expected:
        assert status == 0 and delivered == message(BAD_BODY)
    else:
        assert status == 75 and delivered is None
        assert [c.read_bytes() for c in recovered(tmp_path)] == [message(BAD_BODY)]


def test_the_hook_names_its_configuration_and_can_ignore_it(tmp_path: Path) -> None:
    """A lint-reply.toml in a parent folder that switches checks off is visible, and --no-config ignores it."""
    (tmp_path / "lint-reply.toml").write_text('ignore = ["abrupt-closing"]\n')
    data = message(BAD_BODY)
    status, _, err = run_hook(tmp_path, data, "--mode", "warn")
    assert status == 0 and "abrupt-closing" not in err and "lint-reply.toml" in err
    status, _, err = run_hook(tmp_path, data, "--mode", "warn", "--no-config")
    assert status == 0 and "abrupt-closing" in err


@pytest.mark.parametrize("on_error, status_expected", [("send", 0), ("block", 75)])
def test_a_lint_over_the_time_budget_follows_on_error(tmp_path: Path, on_error: str, status_expected: int) -> None:
    data = message("Beste meneer Bos,\n\n" + "Helaas kan dat niet. " * 20_000 + "\n\nMet vriendelijke groet,\nAnna\n")
    status, delivered, err = run_hook(tmp_path, data, "--mode", "block", "--on-error", on_error, "--time-budget", "0.2")
    assert status == status_expected and "--time-budget" in err
    if status_expected == 0:
        assert delivered == data
    else:
        assert delivered is None and [c.read_bytes() for c in recovered(tmp_path)] == [data]


@pytest.mark.parametrize("shape", ["abbreviations", "quoted-printable"])
def test_hostile_shapes_pass_well_within_the_budget(tmp_path: Path, shape: str) -> None:
    """Once quadratic (a 100 KB "u. u. u." held the hook 215 s; a few MB of quoted-printable for
    minutes): with a generous budget and --on-error block, the message must still be delivered."""
    import quopri

    if shape == "abbreviations":
        data = message("u. " * 40_000)
    else:
        body = quopri.encodestring(("Helaas kan dat niet, omdat u te laat was. " * 50_000).encode()).decode()
        data = (
            "From: a@example.nl\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + body
        ).encode()
    status, delivered, err = run_hook(tmp_path, data, "--mode", "warn", "--on-error", "block", "--time-budget", "120")
    assert status == 0 and delivered == data, err


@pytest.mark.parametrize("mode, status_expected", [("warn", 0), ("block", 75)])
def test_a_standard_error_nobody_reads_does_not_decide_the_message(tmp_path: Path, mode: str, status_expected: int) -> None:
    """A mail client that closed its end of stderr: every diagnostic write fails (EPIPE), and the
    message is still delivered complete (warn) or kept complete with exit 75 (block)."""
    sink = tmp_path / "delivered.bin"
    data = message(BAD_BODY)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "LINT_REPLY_MODEL": "embedded", "LINT_REPLY_NO_DAEMON": "1", "PYTHONPATH": CHILD_PATH}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", "--mode", mode,
             "--no-config", "--", sys.executable, "-c",
             f"import sys,shutil; shutil.copyfileobj(sys.stdin.buffer, open({str(sink)!r}, 'wb'))"],
            input=data, stdout=subprocess.DEVNULL, stderr=write_end, env=env, cwd=tmp_path, timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == status_expected
    if mode == "warn":
        assert sink.read_bytes() == data and not recovered(tmp_path)
    else:
        assert not sink.exists() and [path.read_bytes() for path in recovered(tmp_path)] == [data]
