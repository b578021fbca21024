"""Where lint-reply keeps things on this computer, and how its caches are read and written safely.

No spaCy, so every front end can import it cheaply.
"""

from __future__ import annotations

import json
import os
import stat
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


MAX_CACHE_BYTES = 64 * 1024 * 1024


def read_cache(name: str):
    """JSON stored by `write_cache`, or None when absent, unreadable or not a plain file.

    A FIFO or a link to /dev/zero in the cache would hang or flood a read, so only a
    regular file of bounded size is opened; callers check the shape of what they get."""
    path = cache_dir() / f"{name}.json"
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return json.loads(handle.read(MAX_CACHE_BYTES + 1).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(descriptor)


def write_cache(name: str, data) -> None:
    """Store JSON atomically; a read-only home only costs start-up time next time."""
    path = cache_dir() / f"{name}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass
