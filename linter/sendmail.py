"""`lint-reply-sendmail`: a sendmail-compatible pre-send hook that never loses or alters a message.

    lint-reply-sendmail [--mode confirm|warn|block] [--on-error send|block] [lint options] -- COMMAND [ARG]...

Reads the whole message from standard input as bytes, lints the writer's new
text, and then either runs COMMAND with exactly the same bytes (exiting with
COMMAND's status) or keeps the message: a copy goes to the recovery folder and
the exit status is EX_TEMPFAIL (75), so mutt, neomutt and aerc report a failed
send and keep the draft.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import click

from .api import linter_for
from .config import apply_overrides, find_config, load_config
from .reader import Source
from .render import render_text

EX_TEMPFAIL = 75  # sendmail's "try again later": clients keep the message
EX_USAGE = 64


def recovery_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "lint-reply" / "recovery"


def save_copy(data: bytes) -> Path:
    """Store the message unchanged, readable by its owner only (folder 0700, file 0600)."""
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    name = time.strftime("%Y%m%d-%H%M%S") + "-" + hashlib.sha256(data).hexdigest()[:12] + ".eml"
    path = folder / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path


def deliver(command: list[str], data: bytes) -> int:
    """Run COMMAND with the message on its standard input; its status is ours."""
    try:
        return subprocess.run(command, input=data).returncode
    except FileNotFoundError:
        click.echo(f"lint-reply-sendmail: opdracht niet gevonden: {command[0]}", err=True)
        return 127
    except PermissionError:
        click.echo(f"lint-reply-sendmail: opdracht niet uitvoerbaar: {command[0]}", err=True)
        return 126


def ask_on_terminal(report_text: str) -> bool | None:
    """Show the report on /dev/tty and ask; None when there is no terminal."""
    try:
        with open("/dev/tty", "r+", encoding="utf-8", errors="replace") as tty:
            tty.write(report_text)
            tty.write("\nToch versturen? [j/N] ")
            tty.flush()
            answer = tty.readline().strip().lower()
    except OSError:
        return None
    return answer in ("j", "ja", "y", "yes")


def keep(data: bytes, report_text: str, why: str) -> int:
    path = save_copy(data)
    click.echo(report_text, err=True, nl=False)
    click.echo(f"lint-reply-sendmail: {why}; niet verzonden. Een kopie staat in {path}", err=True)
    return EX_TEMPFAIL


@click.command(context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": False})
@click.option("--mode", type=click.Choice(["confirm", "warn", "block"]), default="confirm", show_default=True,
              help="Bij bevindingen: vragen (confirm), waarschuwen en versturen (warn) of tegenhouden (block).")
@click.option("--on-error", type=click.Choice(["send", "block"]), default="send", show_default=True,
              help="Als het controleren zelf misgaat: toch versturen (send) of tegenhouden (block).")
@click.option("--channel", type=click.Choice(["email", "chat"]), default=None)
@click.option("--model", default=None, metavar="NAAM_OF_PAD")
@click.option("--config", "config_path", default=None, metavar="BESTAND")
@click.option("--select", multiple=True, metavar="REGEL")
@click.option("--ignore", multiple=True, metavar="REGEL")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None)
@click.argument("command", nargs=-1, required=True, metavar="-- OPDRACHT [ARG]...")
def cli(mode, on_error, channel, model, config_path, select, ignore, fail_on, command):
    """Controleer een uitgaande mail en geef hem door aan OPDRACHT (bijvoorbeeld msmtp)."""
    data = sys.stdin.buffer.read()
    try:
        config = load_config(find_config(config_path))
        apply_overrides(config, select=select, ignore=ignore, fail_on=fail_on, channel=channel, model=model)
        linter = linter_for(config)
        if len(data) > config.max_size:
            raise ValueError(f"bericht groter dan {config.max_size} bytes (max-size)")
        text = data.decode("utf-8", errors="replace")
        report = linter.lint_source(
            Source(path="<mail>", text=text, encoding="utf-8", kind="email", data=data),
            channel=config.channel, select=config.select, ignore=config.ignore, min_words=config.min_words,
        )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - whatever breaks in linting must not stop mail
        if on_error == "block":
            return keep(data, "", f"controleren mislukt ({type(error).__name__}: {error})")
        click.echo(f"lint-reply-sendmail: controleren mislukt ({type(error).__name__}: {error}); toch verzonden.", err=True)
        return deliver(list(command), data)
    if not report.findings or not report.fails(config.fail_on):
        return deliver(list(command), data)
    report_text = render_text([report], linter.pipeline)
    if mode == "warn":
        click.echo(report_text, err=True, nl=False)
        return deliver(list(command), data)
    if mode == "confirm":
        answer = ask_on_terminal(report_text)
        if answer:
            return deliver(list(command), data)
        if answer is False:
            return keep(data, "", "u koos om niet te versturen")
    return keep(data, report_text, "het antwoord heeft bevindingen")


def main(argv: list[str] | None = None) -> int:
    try:
        status = cli.main(args=argv, prog_name="lint-reply-sendmail", standalone_mode=False)
    except click.ClickException as error:
        click.echo(f"lint-reply-sendmail: fout: {error.format_message()}", err=True)
        return EX_USAGE
    except click.exceptions.Abort:
        return 130
    return status if isinstance(status, int) else 0


def run() -> None:  # pragma: no cover - the console script
    sys.exit(main())
