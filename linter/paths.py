"""Where lint-reply keeps things on this computer; no spaCy, so every front end can import it cheaply."""

from __future__ import annotations

import os
from pathlib import Path

SOCKET_ENV = "LINT_REPLY_SOCKET"
SOCKET_NAME = "lint-reply.sock"


def cache_dir() -> Path:
    """Where lint-reply keeps what it derives from its rules (never customer text)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lint-reply"


def socket_path() -> Path:
    """The warm linter's Unix socket: `$LINT_REPLY_SOCKET`, else in `$XDG_RUNTIME_DIR/lint-reply/`,
    else (no runtime dir, as on macOS or in a bare container) in the user's cache folder."""
    explicit = os.environ.get(SOCKET_ENV)
    if explicit:
        return Path(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "lint-reply" if runtime else cache_dir() / "run"
    return folder / SOCKET_NAME
