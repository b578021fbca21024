"""Where lint-reply keeps things on this computer, and how its caches are read and written safely.

No spaCy, so every front end can import it cheaply.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs the hook's start-up; these names are for annotations only
    from typing import Any

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


def _read_bounded(path: Path, private: bool = False) -> bytes | None:
    """The bytes of a regular file of bounded size, or None.

    A FIFO or a link to /dev/zero in the cache would hang or flood a read, so only a regular
    file is opened. With `private`, only a file that no other user can have written (a pickle):
    one this user owns and only this user may write, in a folder this user owns that other
    users may not write (group write is allowed there: with a umask of 002 a home folder's
    group is the user's own; the file itself is still checked)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        if private and not (_own(info, stat.S_IWGRP | stat.S_IWOTH) and _own(os.stat(path.parent), stat.S_IWOTH)):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _own(info: os.stat_result, forbidden_bits: int) -> bool:
    """Owned by this user, and none of `forbidden_bits` (write permission for others) set."""
    return info.st_uid == os.geteuid() and not info.st_mode & forbidden_bits


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a private temporary file beside `path`, then rename it into place: a reader
    never sees half a file, and a read-only home only costs start-up time next time."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()  # left by a crashed process with this id; O_EXCL below gives a fresh 0600 file
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temporary.replace(path)
    except OSError:
        pass


def read_cache(name: str, private: bool = False):
    """JSON stored by `write_cache`, or None when absent, unreadable or not a plain file (with
    `private`, also when another user could have written it, see `_read_bounded`); callers
    check the shape of what they get."""
    data = _read_bounded(cache_dir() / f"{name}.json", private)
    try:
        return None if data is None else json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def write_cache(name: str, data) -> None:
    """Store JSON atomically."""
    _write_atomic(cache_dir() / f"{name}.json", json.dumps(data).encode("utf-8"))


PICKLE_PREFIX = "compiled-"
KEEP_PICKLES = 8  # one per rule set, pipeline and configuration in use; older ones are removed


def read_private_pickle(name: str) -> Any:
    """The object stored by `write_private_pickle`, or None when absent, not this user's own
    (see `_read_bounded`), or not a whole pickle; callers check the type of what they get.

    Unpickling can run code, so a file that another user could have written is never read."""
    data = _read_bounded(cache_dir() / f"{PICKLE_PREFIX}{name}.pickle", private=True)
    if data is None:
        return None
    import pickle  # only where a compiled rule set is read (not on the warm linter's client)

    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a truncated or corrupt file raises almost anything; it is rebuilt
        return None


def write_private_pickle(name: str, data: Any) -> None:
    """Store `data` as a pickle only this user can read or write, and drop the oldest others
    (each changed rule file leaves one behind)."""
    import pickle

    path = cache_dir() / f"{PICKLE_PREFIX}{name}.pickle"
    _write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    try:
        others = sorted(path.parent.glob(f"{PICKLE_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP_PICKLES:]:
            old.unlink()
    except OSError:
        pass
