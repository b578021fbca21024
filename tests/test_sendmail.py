"""`lint-reply-sendmail`: what reaches COMMAND is always the input, byte for byte, or nothing with a kept copy.

The end-to-end tests use the real msmtp delivering to an SMTP server started here on
127.0.0.1 (aiosmtpd), and the real neomutt in batch mode. On a machine without
msmtp/neomutt they skip, unless LINT_REPLY_REQUIRE_MAIL_TOOLS=1 (as in CI).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import smtp_sink as local_smtp

ROOT = Path(__file__).resolve().parent.parent
# Child processes import the same `linter` as the tests (the source tree, or the installed copy).
CHILD_PATH = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

BAD_BODY = "Beste meneer Bos,\n\nHier valt niet over te discussiëren. Einde discussie.\n\nMet vriendelijke groet,\nAnna\n"
GOOD_BODY = (
    "Beste meneer Bos,\n\nIk begrijp dat u teleurgesteld bent. Helaas kunnen wij de huur niet verlagen. "
    "Wat ik wel voor u kan doen, is een betalingsregeling voorstellen. Heeft u nog vragen, dan hoor ik het graag.\n\n"
    "Met vriendelijke groet,\nAnna\n"
)


def message(body: str, crlf: bool = False, extra: bytes = b"") -> bytes:
    head = (
        "From: Anna <anna@example.nl>\nTo: Bos <bos@example.com>\nSubject: Re: uw huur\n"
        "Date: Tue, 04 Jun 2024 11:00:00 +0200\nMessage-ID: <t1@example.nl>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    )
    data = (head + body).encode("utf-8") + extra
    return data.replace(b"\n", b"\r\n") if crlf else data


def run_hook(tmp_path: Path, data: bytes, *options: str, command: list[str] | None = None) -> tuple[int, bytes, str]:
    """Run the hook as a process with COMMAND = copy stdin to a file; return (status, bytes delivered, stderr)."""
    sink = tmp_path / "delivered.bin"
    if sink.exists():
        sink.unlink()
    command = command or [sys.executable, "-c", f"import sys,shutil; shutil.copyfileobj(sys.stdin.buffer, open({str(sink)!r}, 'wb'))"]
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "LINT_REPLY_MODEL": "embedded", "PYTHONPATH": CHILD_PATH}
    env.pop("LINT_REPLY_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", *options, "--", *command],
        input=data, capture_output=True, env=env, cwd=tmp_path, timeout=120,
    )
    delivered = sink.read_bytes() if sink.exists() else None
    return result.returncode, delivered, result.stderr.decode("utf-8", "replace")


def recovered(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "state" / "lint-reply" / "recovery"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


@pytest.mark.parametrize(
    "data",
    [
        message(GOOD_BODY),
        message(GOOD_BODY, crlf=True),
        message(GOOD_BODY, extra=b"\n" + b"x" * 20000),  # a very long line
        message(GOOD_BODY).rstrip(b"\n"),  # no trailing newline
        message("Met vriendelijke groet,\nAnna\n\nOp di 4 jun. 2024 schreef Bos <bos@example.com>:\n> Dit is SCHANDALIG\n"),
    ],
    ids=["lf", "crlf", "long-line", "no-final-newline", "no-new-text"],
)
def test_clean_messages_reach_command_byte_for_byte(tmp_path: Path, data: bytes) -> None:
    status, delivered, err = run_hook(tmp_path, data, "--mode", "block")
    assert status == 0, err
    assert delivered == data
    assert recovered(tmp_path) == []


def test_binary_attachment_is_passed_on_unchanged(tmp_path: Path) -> None:
    boundary = "==b=="
    body = (
        "From: a@example.nl\nTo: b@example.com\nSubject: bijlage\nDate: Tue, 04 Jun 2024 11:00:00 +0200\n"
        f"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\n\n"
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\nHierbij het overzicht dat u vroeg.\n"
        f"--{boundary}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: 8bit\n\n"
    ).encode() + bytes(range(256)) + f"\n--{boundary}--\n".encode()
    status, delivered, err = run_hook(tmp_path, body, "--mode", "block")
    assert status == 0, err
    assert delivered == body


def test_block_keeps_the_message_and_a_private_copy(tmp_path: Path) -> None:
    data = message(BAD_BODY)
    status, delivered, err = run_hook(tmp_path, data, "--mode", "block")
    assert status == 75 and delivered is None
    [copy] = recovered(tmp_path)
    assert copy.read_bytes() == data
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert "abrupt-closing" in err and str(copy) in err


def test_warn_prints_and_sends(tmp_path: Path) -> None:
    data = message(BAD_BODY)
    status, delivered, err = run_hook(tmp_path, data, "--mode", "warn")
    assert status == 0 and delivered == data and "abrupt-closing" in err


def test_confirm_without_a_terminal_blocks(tmp_path: Path) -> None:
    data = message(BAD_BODY)
    status, delivered, _ = run_hook(tmp_path, data)  # default mode: confirm; no /dev/tty in a test process
    if delivered is not None:
        pytest.skip("this test process has a controlling terminal")
    assert status == 75 and recovered(tmp_path)


def test_command_failure_is_passed_through(tmp_path: Path) -> None:
    status, _, _ = run_hook(tmp_path, message(GOOD_BODY), command=[sys.executable, "-c", "raise SystemExit(3)"])
    assert status == 3
    status, _, err = run_hook(tmp_path, message(GOOD_BODY), command=["/nonexistent/sendmail"])
    assert status == 127 and "niet gevonden" in err


def test_a_crash_in_the_linter_never_stops_mail(tmp_path: Path) -> None:
    data = message(BAD_BODY)
    status, delivered, err = run_hook(tmp_path, data, "--model", "/nonexistent/model")
    assert status == 0 and delivered == data and "toch verzonden" in err
    status, delivered, err = run_hook(tmp_path, data, "--model", "/nonexistent/model", "--on-error", "block")
    assert status == 75 and delivered is None and recovered(tmp_path)


# --- with real mail software --------------------------------------------------

REQUIRE = os.environ.get("LINT_REPLY_REQUIRE_MAIL_TOOLS") == "1"


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        if REQUIRE:
            pytest.fail(f"{program} is required here (LINT_REPLY_REQUIRE_MAIL_TOOLS=1) but not installed")
        pytest.skip(f"{program} not installed")
    return path


@pytest.fixture
def smtp_server():
    with local_smtp() as sink:
        yield sink


def msmtp_config(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "msmtprc"
    path.write_text(
        textwrap.dedent(
            f"""\
            defaults
            auth off
            tls off
            account test
            host 127.0.0.1
            port {port}
            from anna@example.nl
            account default : test
            """
        )
    )
    path.chmod(0o600)
    return path


def normalise(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").rstrip(b"\n")


def test_msmtp_delivers_a_good_reply_unchanged(tmp_path: Path, smtp_server) -> None:
    msmtp = need("msmtp")
    port, received = smtp_server
    data = message(GOOD_BODY)
    status, _, err = run_hook(tmp_path, data, "--mode", "block", command=[msmtp, "-C", str(msmtp_config(tmp_path, port)), "-t"])
    assert status == 0, err
    [delivered] = received
    assert normalise(delivered) == normalise(data)


def test_msmtp_never_delivers_a_blocked_reply(tmp_path: Path, smtp_server) -> None:
    msmtp = need("msmtp")
    port, received = smtp_server
    data = message(BAD_BODY)
    status, _, _ = run_hook(tmp_path, data, "--mode", "block", command=[msmtp, "-C", str(msmtp_config(tmp_path, port)), "-t"])
    assert status == 75 and received == []
    assert [copy.read_bytes() for copy in recovered(tmp_path)] == [data]


@pytest.mark.parametrize("body, delivered_expected", [(GOOD_BODY, True), (BAD_BODY, False)], ids=["good", "bad"])
def test_neomutt_sends_through_the_hook(tmp_path: Path, smtp_server, body: str, delivered_expected: bool) -> None:
    neomutt = need("neomutt")
    msmtp = need("msmtp")
    port, received = smtp_server
    hook = tmp_path / "lint-reply-sendmail"
    hook.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'from linter.frontends.hook import main; raise SystemExit(main())' \"$@\"\n")
    hook.chmod(0o755)
    muttrc = tmp_path / "muttrc"
    muttrc.write_text(
        textwrap.dedent(
            f"""\
            set sendmail="{hook} --mode block -- {msmtp} -C {msmtp_config(tmp_path, port)} -t"
            set from="anna@example.nl"
            set realname="Anna"
            set use_from=yes
            set record=""
            set charset="utf-8"
            set send_charset="utf-8"
            set folder="{tmp_path}"
            set spoolfile="{tmp_path}/inbox"
            """
        )
    )
    (tmp_path / "inbox").touch()
    env = {
        **os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "LINT_REPLY_MODEL": "embedded",
        "HOME": str(tmp_path), "PYTHONPATH": CHILD_PATH,
    }  # fmt: skip
    result = subprocess.run(
        [neomutt, "-n", "-F", str(muttrc), "-s", "Re: uw huur", "bos@example.com"],
        input=body.encode(), capture_output=True, env=env, cwd=tmp_path, timeout=120,
    )
    if delivered_expected:
        assert result.returncode == 0, result.stderr.decode()
        [delivered] = received
        assert "betalingsregeling" in delivered.decode("utf-8", "replace")
    else:
        assert result.returncode != 0
        assert received == []
        assert recovered(tmp_path)
