"""`lint-reply-serve --install-user-service`: a systemd user unit pair that keeps the warm linter ready.

The `.socket` unit owns the socket (`%t` is `$XDG_RUNTIME_DIR`, where the hook and the CLI
look), so nothing runs until the first lint; systemd then starts the `.service`, which
receives the socket (socket activation) and keeps the pipeline loaded from then on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from ..names import MODEL_ENV
from ..paths import SOCKET_NAME

UNIT = "lint-reply"

SOCKET_UNIT = f"""\
[Unit]
Description=lint-reply: socket of the warm linter for lint-reply and lint-reply-sendmail

[Socket]
ListenStream=%t/lint-reply/{SOCKET_NAME}
SocketMode=0600
DirectoryMode=0700

[Install]
WantedBy=sockets.target
"""

SERVICE_UNIT = """\
[Unit]
Description=lint-reply: warm linter for lint-reply and lint-reply-sendmail
Requires={unit}.socket

[Service]
ExecStart={command}
{environment}Restart=on-failure
"""


def unit_dir() -> Path:
    """Where systemd looks for this user's own units."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def serve_command() -> str:
    """This installation's `lint-reply-serve` (the one next to this Python first), as an absolute path."""
    beside = Path(sys.executable).parent / "lint-reply-serve"
    found = str(beside) if beside.is_file() else shutil.which("lint-reply-serve")
    if not found:
        raise FileNotFoundError("lint-reply-serve niet gevonden naast deze Python of op het PATH")
    return str(Path(found).absolute())


def _systemd_quote(argument: str) -> str:
    # systemd splits ExecStart like a shell would for quotes; '%' and '$' are its own specifiers.
    return shlex.quote(argument).replace("%", "%%").replace("$", "$$")


def install(model: str | None, config: str | None, time_limit: float, workers: int | None = None) -> str:
    """Write both units; returns what to tell the user (Dutch).

    One worker by default: one person's hook and command line rarely lint at the same time,
    and a worker (unlike the service's own thread) can be replaced when a lint runs too long."""
    arguments = [serve_command(), "--no-port", "--workers", str(1 if workers is None else workers),
                 "--time-limit", f"{time_limit:g}"]
    if model:
        arguments += ["--model", str(Path(model).absolute()) if Path(model).exists() else model]
    if config:
        arguments += ["--config", str(Path(config).absolute())]
    # The clients resolve the pipeline with $LINT_REPLY_MODEL; the service must see the same one.
    chosen = os.environ.get(MODEL_ENV)
    environment = f"Environment={_systemd_quote(f'{MODEL_ENV}={chosen}')}\n" if chosen and not model else ""
    folder = unit_dir()
    folder.mkdir(parents=True, exist_ok=True)
    units = {
        f"{UNIT}.socket": SOCKET_UNIT,
        f"{UNIT}.service": SERVICE_UNIT.format(unit=UNIT, command=" ".join(map(_systemd_quote, arguments)), environment=environment),
    }
    for name, text in units.items():
        partial = folder / f".{name}.tmp"
        partial.write_text(text, encoding="utf-8")
        partial.replace(folder / name)
    lines = [
        "De gebruikersdienst van lint-reply staat klaar:",
        *(f"  {folder / name}" for name in units),
        "",
        "Zet hem aan met:",
        "  systemctl --user daemon-reload",
        f"  systemctl --user enable --now {UNIT}.socket",
        "",
        "Daarna gebruiken lint-reply en lint-reply-sendmail de dienst vanzelf. De eerste controle start hem",
        "(een paar seconden); daarna is elke controle direct klaar.",
        f"Uitzetten: systemctl --user disable --now {UNIT}.socket {UNIT}.service",
    ]
    if not shutil.which("systemctl"):
        lines += ["", "Let op: systemctl is hier niet gevonden. Zonder systemd (macOS, Windows): zie de README, 'The warm linter'."]
    return "\n".join(lines)
