"""`lint-reply-sendmail`: a sendmail-compatible pre-send hook that never loses or alters a message.

    lint-reply-sendmail [--mode confirm|warn|block] [--on-error send|block] [lint options] -- COMMAND [ARG]...

Reads the whole message from standard input as bytes, lints the writer's new
text, and then either runs COMMAND with exactly the same bytes (exiting with
COMMAND's status) or keeps the message: a copy goes to the recovery folder and
the exit status is EX_TEMPFAIL (75), so mutt, neomutt and aerc report a failed
send and keep the draft.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..config import apply_overrides, find_config, load_config
from ..input.reader import Source
from .command import Option, OptionTable, echo, run_table_command
from .startup import collector_paused
from .warm import Answer, find_daemon

EX_TEMPFAIL = 75  # sendmail's "try again later": clients keep the message
EX_USAGE = 64


class Interrupted(BaseException):
    """SIGTERM, SIGINT or SIGHUP arrived: keep the message instead of delivering part of it.

    A BaseException, so that the linting path's catch-all cannot turn it into "send anyway"."""


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _interrupt(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    for number in STOP_SIGNALS:  # the first signal decides; keeping the copy must not be interrupted
        signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signal.Signals(signum).name)


def _tell(message: str, nl: bool = True) -> None:
    """A line on standard error. When it cannot be written (a closed or unread pipe), the message
    goes on as it would have: a diagnostic must not decide between delivering and keeping, and the
    dead stream is swapped for /dev/null so that Python's exit does not fail on flushing it."""
    try:
        echo(message, nl=nl)
    except OSError:
        with contextlib.suppress(OSError):
            sys.stderr = open(os.devnull, "w", encoding="utf-8")


def recovery_dirs() -> list[Path]:
    """Where a kept message may go, best first: the state dir, the cache dir, home, a private /tmp folder."""
    import tempfile  # only when a message is kept

    home = Path.home()
    state = os.environ.get("XDG_STATE_HOME") or str(home / ".local" / "state")
    cache = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    return [
        Path(state) / "lint-reply" / "recovery",
        Path(cache) / "lint-reply" / "recovery",
        home / "lint-reply-recovery",
        Path(tempfile.gettempdir()) / f"lint-reply-{os.getuid()}" / "recovery",
    ]


def _write_complete(folder: Path, name: str, data: bytes) -> Path:
    """Write to a temporary name, fsync, check the size, then rename: a copy is whole or absent."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    final = folder / name
    partial = folder / f".{name}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        if os.stat(partial).st_size != len(data):
            raise OSError(f"kopie onvolledig ({os.stat(partial).st_size} van {len(data)} bytes)")
        os.replace(partial, final)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    return final


def save_copy(data: bytes) -> tuple[Path | None, list[str]]:
    """Store the message unchanged, owner-only (folder 0700, file 0600), in the first place that works.

    Returns the path (None when no place could be written) and why earlier places failed."""
    import hashlib  # only when a message is kept

    name = time.strftime("%Y%m%d-%H%M%S") + "-" + hashlib.sha256(data).hexdigest()[:12] + ".eml"
    failures = []
    for folder in recovery_dirs():
        try:
            return _write_complete(folder, name, data), failures
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(folder / f".{name}.part")
            failures.append(f"{folder}: {error.strerror or error}")
    return None, failures


def deliver(command: list[str], data: bytes) -> int:
    """Run COMMAND with the whole message on its standard input; its status is ours.

    COMMAND gets its own process group and sees end-of-input only after the whole
    message is written, so a signal can stop it before it acts on part of a message."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        _tell(f"lint-reply-sendmail: opdracht niet gevonden: {command[0]}")
        return 127
    except PermissionError:
        _tell(f"lint-reply-sendmail: opdracht niet uitvoerbaar: {command[0]}")
        return 126
    try:
        try:
            process.stdin.write(data)
            process.stdin.close()
        except BrokenPipeError:
            pass  # COMMAND stopped reading; its status tells what happened
        return process.wait()
    except BaseException:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            process.wait(timeout=5)
        raise


def ask_on_terminal(report_text: str) -> bool | None:
    """Show the report on the controlling terminal and ask; None when there is no terminal.

    /dev/tty is not seekable, so it is opened as a raw descriptor (a text-mode "r+" file
    object refuses it)."""
    try:
        descriptor = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None
    try:
        os.write(descriptor, (report_text + "\nToch versturen? [j/N] ").encode("utf-8", "replace"))
        answer = b""
        while not answer.endswith(b"\n") and len(answer) < 256:
            chunk = os.read(descriptor, 1)
            if not chunk:
                break
            answer += chunk
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return answer.decode("utf-8", "replace").strip().lower() in ("j", "ja", "y", "yes")


def keep(data: bytes, report_text: str, why: str) -> int:
    """Keep the message: a complete copy where one can be written, and always exit 75."""
    path, failures = save_copy(data)
    _tell(report_text, nl=False)
    for failure in failures:
        _tell(f"lint-reply-sendmail: kopie niet bewaard in {failure}")
    if path is None:
        _tell(f"lint-reply-sendmail: {why}; niet verzonden. Er kon nergens een kopie worden bewaard: "
             "het bericht staat alleen nog in uw mailprogramma.")
    else:
        _tell(f"lint-reply-sendmail: {why}; niet verzonden. Een kopie staat in {path}")
    return EX_TEMPFAIL


OPTIONS = OptionTable(
    (
        Option("--mode", choices=("confirm", "warn", "block"), default="confirm", show_default=True,
               help="Bij bevindingen: vragen (confirm), waarschuwen en versturen (warn) of tegenhouden (block)."),
        Option("--on-error", choices=("send", "block"), default="send", show_default=True,
               help="Als het controleren zelf misgaat: toch versturen (send) of tegenhouden (block)."),
        Option("--channel", choices=("email", "chat"), default=None),
        Option("--model", default=None, metavar="NAAM_OF_PAD"),
        Option("--config", "config_path", default=None, metavar="BESTAND"),
        Option("--no-config", flag=True, help="Geen lint-reply.toml zoeken: alleen de standaard en deze opties gelden."),
        Option("--time-budget", float_range=(0.1, 600), default=10.0, show_default=True,
               help="Seconden die het controleren mag duren; daarna geldt --on-error."),
        Option("--select", multiple=True, metavar="REGEL"),
        Option("--ignore", multiple=True, metavar="REGEL"),
        Option("--fail-on", choices=("info", "warning", "error"), default=None),
        Option("--no-daemon", flag=True,
               help="Niet de draaiende lint-reply-serve gebruiken, altijd zelf controleren. Ook: LINT_REPLY_NO_DAEMON=1."),
    ),
    argument="command", argument_metavar="-- OPDRACHT [ARG]...",
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": False}, options_metavar="[OPTIES]",
)


def cli(mode, on_error, channel, model, config_path, no_config, time_budget, select, ignore, fail_on, no_daemon, command):
    """Controleer een uitgaande mail en geef hem door aan OPDRACHT (bijvoorbeeld msmtp)."""
    for number in STOP_SIGNALS:
        signal.signal(number, _interrupt)
    data = None
    try:
        data = sys.stdin.buffer.read()
        return check_and_deliver(data, mode, on_error, channel, model, config_path, no_config, select, ignore, fail_on,
                                 list(command), time_budget, no_daemon)
    except Interrupted as stop:
        if data is None:
            _tell(f"lint-reply-sendmail: onderbroken ({stop}) voordat het bericht binnen was; niet verzonden.")
            return EX_TEMPFAIL
        return keep(data, "", f"onderbroken ({stop})")


class OverBudget(Exception):
    """Linting took longer than the hook's time budget."""


def within_budget(work, seconds: float):
    """Run `work` in a daemon thread and wait at most `seconds`: a slow lint must not hold a send.

    On time-out the thread is left behind (it ends with the process) and `OverBudget` is raised,
    so the hook follows --on-error like for any other failure."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise OverBudget(f"het controleren duurde langer dan {seconds:g} seconden (--time-budget)")
    if "error" in result:
        raise result["error"]
    return result["value"]


def _mail_source(data: bytes) -> Source:
    """The message as the linter reads it (the body part is decoded from `data` by its own charset)."""
    return Source(path="<mail>", text=data.decode("utf-8", errors="replace"), kind="email", data=data)


def _lint(config, data: bytes):
    with collector_paused():
        from ..api import linter_for  # loads spaCy: only on the in-process path

        linter = linter_for(config)
    report = linter.lint_source(
        _mail_source(data),
        channel=config.channel, select=config.select, ignore=config.ignore, min_words=config.min_words,
    )  # fmt: skip
    return linter, report


def _config_name(config) -> str | None:
    return str(config.path) if config.path else None


def _lint_warm(config, data: bytes, time_budget: float, disabled: bool) -> Answer | None:
    """The warm linter's answer for this message, or None (then lint in process)."""
    daemon = find_daemon(config, disabled)
    if daemon is None:
        return None
    source = _mail_source(data)
    options = {"channel": config.channel, "select": config.select, "ignore": config.ignore,
               "min_words": config.min_words, "fail_on": config.fail_on}
    render = {"format": "text", "colour": False, "config": _config_name(config), "width": None}
    return daemon.lint([source], options, render, time_budget)


def check_and_deliver(data: bytes, mode: str, on_error: str, channel, model, config_path, no_config: bool, select,
                      ignore, fail_on, command: list[str], time_budget: float = 10.0, no_daemon: bool = False) -> int:
    """Lint the message and deliver it, ask about it, or keep it (see the module docstring)."""
    try:
        # A lint-reply.toml in any parent folder could switch checks off unnoticed: the report
        # names the file used, and --no-config makes a mail setup independent of the folder.
        config = load_config(None if no_config else find_config(config_path))
        if config.path and not config_path:
            _tell(f"lint-reply-sendmail: configuratie uit {config.path}")
        apply_overrides(config, select=select, ignore=ignore, fail_on=fail_on, channel=channel, model=model)
        if len(data) > config.max_size:
            raise ValueError(f"bericht groter dan {config.max_size} bytes (max-size)")
        # The warm linter first; when it is absent or answers wrongly or late, the in-process
        # lint below gets its full time budget, so the daemon never changes the outcome.
        answer = _lint_warm(config, data, time_budget, no_daemon)
        if answer is None:
            from ..render import render_text

            linter, report = within_budget(lambda: _lint(config, data), time_budget)
            answer = Answer(render_text([report], linter.pipeline, config=_config_name(config)),
                            [bool(report.findings)], [report.fails(config.fail_on)])
    except Exception as error:  # noqa: BLE001 - whatever breaks in linting must not stop mail
        if on_error == "block":
            return keep(data, "", f"controleren mislukt ({type(error).__name__}: {error})")
        _tell(f"lint-reply-sendmail: controleren mislukt ({type(error).__name__}: {error}); toch verzonden.")
        return deliver(command, data)
    if not answer.findings[0] or not answer.fails[0]:
        return deliver(command, data)
    report_text = answer.output
    if mode == "warn":
        _tell(report_text, nl=False)
        return deliver(command, data)
    if mode == "confirm":
        answer = ask_on_terminal(report_text)
        if answer:
            return deliver(command, data)
        if answer is False:
            return keep(data, "", "u koos om niet te versturen")
    return keep(data, report_text, "het antwoord heeft bevindingen")


def main(argv: list[str] | None = None) -> int:
    # a usage error is sendmail's EX_USAGE; an interrupted prompt keeps the message (the client retries)
    return run_table_command(OPTIONS, cli, "lint-reply-sendmail", argv, usage_error=EX_USAGE, interrupted=EX_TEMPFAIL,
                             interrupted_message="")
