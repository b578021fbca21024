"""Property-based and adversarial tests: whatever lint-reply is fed, it answers sanely.

Covers the reader, the engine and the command line on generated text and bytes
(emoji, combining marks, right-to-left text, zero-width spaces, control
characters, lone surrogates, mixed line endings), the sendmail wrapper on
generated messages, and the size and linear-time limits.
"""

from __future__ import annotations

import os
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import require

hypothesis = require("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from linter.frontends.cli import main as cli_main  # noqa: E402
from linter.input.reader import InputError, decode  # noqa: E402
from linter.report import Position  # noqa: E402

from .conftest import get_linter  # noqa: E402

NASTY = [
    "a", "é", "e\u0301", "🙂", "👩\u200d👩\u200d👧", "\u200b", "\u200f", "\u202e", "\ufeff", "\x00", "\x07", "\x1b",
    "\r", "\n", "\r\n", "\t", " ", ".", ",", "!", "?", '"', "'", "«", "»", ">", "\ud800", "\udfff", "ש", "ا",
    "helaas", "niet", "kan", "u", "gelijk", "ik", "begrijp", "boos", "einde discussie", "Beste Jan,", "Met vriendelijke groet,",
]  # fmt: skip
texts = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(NASTY), max_size=80).map("".join))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def check_report(report, text: str) -> None:
    position = Position(text)
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert (finding.line, finding.column) == position.at(finding.start)
        assert finding.end_line >= finding.line
    for element in report.elements:
        assert 0 <= element.start <= element.end <= len(text)
        assert text[element.start : element.end] == element.text
    document = json.loads(json.dumps(report.to_json()))
    assert isinstance(document["findings"], list)


@FAST
@given(texts, st.sampled_from(["email", "chat"]))
def test_engine_on_any_text(text: str, channel: str) -> None:
    check_report(get_linter("embedded").lint(text, channel=channel), text)


@settings(max_examples=30, deadline=None)
@given(texts)
def test_trained_pipeline_on_any_text(text: str) -> None:
    check_report(get_linter("standin").lint(text), text)


@FAST
@given(st.binary(max_size=400))
def test_reader_on_any_bytes(data: bytes) -> None:
    try:
        text = decode(data, "x")
    except InputError as error:
        assert str(error).startswith("x: ")
        return
    assert isinstance(text, str)


@FAST
@given(data=st.one_of(st.binary(max_size=300), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_cli_exit_status_is_always_0_1_or_2(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("cli") / "draft.txt"
    path.write_bytes(data)
    for options in (["--format", "json"], []):
        out, err = io.StringIO(), io.StringIO()
        real_out, real_err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            status = cli_main(["--model", "embedded", *options, str(path)])
        finally:
            sys.stdout, sys.stderr = real_out, real_err
        assert status in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
        if status in (0, 1) and options:
            json.loads(out.getvalue())


headers = st.lists(
    st.tuples(st.sampled_from(["From", "To", "Subject", "Date", "Content-Type", "X-Junk", "MIME-Version"]),
              st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)),
    max_size=6,
)  # fmt: skip
bodies = st.one_of(st.binary(max_size=500), texts.map(lambda t: t.encode("utf-8", "surrogatepass")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers, bodies, st.sampled_from([b"\n", b"\r\n"]), st.booleans())
def test_sendmail_passes_bytes_unchanged_or_keeps_a_copy(tmp_path_factory, head, body, newline, multipart) -> None:
    from linter.frontends import hook

    folder = tmp_path_factory.mktemp("hook")
    lines = [f"{name}: {value}".encode() for name, value in head]
    if multipart:
        lines.append(b'Content-Type: multipart/mixed; boundary="b"')
        body = b"--b" + newline + b"Content-Type: application/octet-stream" + newline + newline + body + newline + b"--b--"
    data = newline.join(lines) + newline + newline + body
    sink = folder / "out.bin"
    state = folder / "state"
    real_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    real_state = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(state)  # a kept copy goes to this example's own folder
    try:
        status = hook.main(["--mode", "block", "--model", "embedded", "--", "sh", "-c", f'cat > "{sink}"'])
    finally:
        sys.stdin = real_stdin
        if real_state is None:
            os.environ.pop("XDG_STATE_HOME", None)
        else:
            os.environ["XDG_STATE_HOME"] = real_state
    copies = list((state / "lint-reply" / "recovery").glob("*.eml")) if state.exists() else []
    if status == 0:
        assert sink.read_bytes() == data and copies == []
    else:
        assert status == 75 and not sink.exists()
        assert [copy.read_bytes() for copy in copies] == [data]


# --- limits and linear time ---------------------------------------------------


def test_huge_token_and_many_short_lines() -> None:
    linter = get_linter("embedded")
    for text in ("x" * 100_000, "ja\n" * 100_000, "Helaas.\r" * 20_000 + "\n" * 5):
        check_report(linter.lint(text), text)


def test_input_over_the_limit_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "groot.txt"
    path.write_bytes(b"helaas " * 800_000)  # 5.6 MB
    status = cli_main(["--model", "embedded", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and "te groot" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("word", ["ik", "omdat", "helaas niet", "ik snap boos"])
def test_gap_patterns_on_adversarial_text(word: str) -> None:
    """A gap pattern's first word repeated 50,000 times is linted correctly.

    That the time stays linear is shown by `benchmarks/adversarial.py` (no timings in tests).
    """
    text = (word + " ") * 50_000
    check_report(get_linter("embedded").lint(text), text)


def test_ctrl_c_and_broken_pipe(tmp_path: Path) -> None:
    draft = Path(__file__).resolve().parent.parent / "examples" / "huurverhoging-slecht.txt"
    code = "from linter.frontends.cli import main; raise SystemExit(main(['--model', 'embedded', %r]))" % str(draft)
    env_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [env_root, os.environ.get("PYTHONPATH")]))}
    piped = subprocess.run(f'{sys.executable} -c "{code}" | head -n 1', shell=True, capture_output=True, env=env, timeout=120)
    assert b"Traceback" not in piped.stderr and b"BrokenPipeError" not in piped.stderr
    assert piped.returncode == 0 or b"Traceback" not in piped.stderr

def test_ctrl_c_while_linting_ends_with_130_and_one_line(tmp_path: Path) -> None:
    """The CLI waits for the draft on a pipe (inside main()), and Ctrl-C arrives there."""
    import signal

    env_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [env_root, os.environ.get("PYTHONPATH")]))}
    ready = tmp_path / "in-main"
    code = (
        "import pathlib, sys; from linter.frontends import cli\n"
        "real = cli.read_source\n"
        f"def marked(*a, **k):\n    pathlib.Path({str(ready)!r}).touch()\n    return real(*a, **k)\n"
        "cli.read_source = marked\n"
        "raise SystemExit(cli.main(['--model', 'embedded']))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)  # fmt: skip
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the CLI never started reading"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().strip() == "lint-reply: afgebroken"
