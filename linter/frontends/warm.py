"""The warm linter's client: the hook and the CLI ask a running `lint-reply-serve` on a Unix socket first.

Nothing here imports spaCy or the linter engine, so asking the daemon costs milliseconds.
The daemon is used only when every check passes: the socket is a socket owned by this
user with no group or other permission bits, in a folder only this user can change; it
connects within `CONNECT_TIMEOUT`; it says who it is within `HELLO_TIMEOUT` and that is
exactly who this process would be (package version, engine code, pipeline, rule-set digest
of the rule files, packs, word lists and severities); and it answers the lint, with this
process's own settings, within the time limit plus a margin, in the expected shape. On any
doubt the functions return None and the caller lints in process as before: the daemon can
make an answer faster, never different, and never costs a message.

`LINT_REPLY_NO_DAEMON=1` (or `--no-daemon`) skips the lookup.

Hashing the package's code and the rule files on every send costs the hook more than its
exchange with the daemon, so the client keeps the digests in the user's cache under a
fingerprint of those files: every file's and folder's name, size, modification and change
times and inode. Changing a file's bytes changes its change time (which cannot be set back),
replacing it changes its inode; a fingerprint taken while a file is younger than
`SETTLE_SECONDS` is not stored, so an edit within the file system's clock tick of the
fingerprint cannot hide. The daemon itself always hashes, and refuses a request that names
another identity, so a wrong cache entry could only cost the warm path, never change an answer.
"""

from __future__ import annotations

import binascii
import importlib.util
import json
import os
import socket
import stat
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..names import builtin_rules_dir, resolve_model
from ..paths import read_cache, socket_path, write_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs the hook's start-up; these names are for annotations only
    from typing import Any, Iterable

NO_DAEMON_ENV = "LINT_REPLY_NO_DAEMON"
CONNECT_TIMEOUT = 0.1  # seconds: a local socket connects at once or not at all
HELLO_TIMEOUT = 0.5  # the daemon answers "hello" from its event loop, even while it lints
CLI_TIME_LIMIT = 60.0  # seconds the daemon may take for the command line (its own --time-limit may be less)
LINT_MARGIN = 1.0  # seconds beyond the time limit the daemon was given, for the round trip
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # an answer larger than this is not one of ours
MAX_LINE_BYTES = 64 * 1024  # nor is a status or header line longer than this
IDENTITY_CACHE = "identity"  # digests of the code and rule files by their fingerprint (see above)
IDENTITY_CACHE_ENTRIES = 8
SETTLE_SECONDS = 2.0
HELLO_PATH = "/v1/local/hello"
LINT_PATH = "/v1/local/lint"


def daemon_disabled(flag: bool = False) -> bool:
    """`--no-daemon`, or `LINT_REPLY_NO_DAEMON` set to anything but "" or "0"."""
    return flag or os.environ.get(NO_DAEMON_ENV, "") not in ("", "0")


def trusted_socket(path: Path) -> bool:
    """A socket this user owns without group or other permission bits, in a folder that
    only this user can change (so nobody swaps the socket between this check and connect)."""
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return False
    try:
        info, folder = os.lstat(path), os.stat(path.parent)
    except OSError:
        return False
    uid = os.getuid()
    return (stat.S_ISSOCK(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077
            and stat.S_ISDIR(folder.st_mode) and folder.st_uid == uid and not folder.st_mode & 0o022)  # fmt: skip


# --- who a linter is -----------------------------------------------------------------


def _hash_files(digest, folder: Path, files: Iterable[Path]) -> None:
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:  # both sides fail the same way later; the digest records it
            data = f"<{error.strerror}>".encode()
        name = str(path.relative_to(folder)).encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)) + data)


def _tree(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    except OSError:
        return []


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """The linter's own code and the versions of the libraries that shape its answer."""
    import hashlib

    digest = hashlib.sha256(sys.version.encode())
    package = _package()
    # every module of the package, sub-packages included: the engine lives in linter/engine/
    _hash_files(digest, package, [path for path in _tree(package) if path.suffix == ".py"])
    for origin, file in _library_files():
        _hash_files(digest, origin, [origin / file])
    return digest.hexdigest()[:24]


def _package() -> Path:
    return Path(__file__).resolve().parent.parent  # the whole `linter` package


def _library_files() -> list[tuple[Path, str]]:
    """(folder, file) of each library whose version shapes the answer."""
    found = []
    for library, file in (("spacy", "about.py"), ("simplemma", "__init__.py")):
        spec = importlib.util.find_spec(library)  # finds without importing
        if spec and spec.origin:
            found.append((Path(spec.origin).parent, file))
    return found


def _rule_folders(rule_dirs: Iterable[Path]) -> list[Path]:
    return [builtin_rules_dir(), *rule_dirs]


def _settings_json(words: dict[str, list[str]], severity: dict[str, str]) -> str:
    return json.dumps([sorted(words.items()), sorted(severity.items())], ensure_ascii=False)


def rules_digest(rule_dirs: Iterable[Path], words: dict[str, list[str]], severity: dict[str, str]) -> str:
    """The rule set as the linter would load it: the built-in rules, each pack, words and severities."""
    import hashlib

    digest = hashlib.sha256()
    for folder in _rule_folders(rule_dirs):
        digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
        _hash_files(digest, folder, _tree(folder))
    digest.update(_settings_json(words, severity).encode())
    return digest.hexdigest()[:24]


def _stamp(name: str, info: os.stat_result, settled_before: int) -> list | None:
    """What changes when a file's bytes, name or place change; None when it changed too recently."""
    if max(info.st_mtime_ns, info.st_ctime_ns) >= settled_before:
        return None
    return [name, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _fingerprint(folder: Path, settled_before: int) -> list | None:
    """The stamps of everything under `folder` (but __pycache__), sorted; None when something there
    is too recent or cannot be listed surely (a folder behind a symbolic link): then the digests
    are computed, not looked up."""
    entries: list = []
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(folder / relative if relative else folder) as listing:
                for entry in listing:
                    if entry.name == "__pycache__":
                        continue
                    info = entry.stat()
                    name = f"{relative}/{entry.name}" if relative else entry.name
                    stamp = _stamp(name, info, settled_before)
                    if stamp is None or (stat.S_ISDIR(info.st_mode) and entry.is_symlink()):
                        return None
                    entries.append(stamp)
                    if stat.S_ISDIR(info.st_mode):
                        pending.append(name)
        except OSError:
            return None
    return sorted(entries)


def _digests(rule_dirs: list[Path], words: dict[str, list[str]], severity: dict[str, str]) -> tuple[str, str]:
    """(engine digest, rule-set digest), from the user's cache when the files' fingerprint is known."""
    import time

    settled_before = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    try:
        stamps = [_stamp(str(origin / file), os.stat(origin / file), settled_before) for origin, file in _library_files()]
    except OSError:
        stamps = [None]
    stamps += [_fingerprint(folder, settled_before) for folder in [_package(), *_rule_folders(rule_dirs)]]
    key = None if None in stamps else [sys.version, __version__, _settings_json(words, severity),
                                       [str(folder) for folder in _rule_folders(rule_dirs)], stamps]
    cached = read_cache(IDENTITY_CACHE, private=True) if key is not None else None
    entries = cached if isinstance(cached, list) else []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("key") == key and all(isinstance(entry.get(k), str) for k in ("engine", "rules")):
            return entry["engine"], entry["rules"]
    engine, rules = engine_digest(), rules_digest(rule_dirs, words, severity)
    if key is not None:
        kept = [entry for entry in entries if isinstance(entry, dict)][: IDENTITY_CACHE_ENTRIES - 1]
        write_cache(IDENTITY_CACHE, [{"key": key, "engine": engine, "rules": rules}, *kept])
    return engine, rules


def identity(config, cached: bool = False) -> dict[str, str]:
    """Everything that decides a linter's answer besides the per-request options (`Config`).

    With `cached`, the digests come from the user's cache when the files are unchanged (the
    clients); the daemon hashes."""
    model = resolve_model(config.model)
    if model != "embedded" and Path(model).exists():
        model = str(Path(model).resolve())
    if cached:
        engine, rules = _digests(list(config.rule_dirs), config.words, config.severity)
    else:
        engine, rules = engine_digest(), rules_digest(config.rule_dirs, config.words, config.severity)
    return {"version": __version__, "engine": engine, "model": model, "rules": rules}


# --- talking to the daemon -------------------------------------------------------------


class _UnixConnection:
    """HTTP/1.1 over a Unix socket, with a short connect and a total deadline per request.

    Written on the socket directly: `http.client` imports the `email` package, which costs
    the hook more time than the whole exchange with the daemon."""

    def __init__(self, path: Path):
        self.unix_path = path
        self.sock: socket.socket | None = None

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(CONNECT_TIMEOUT)
            sock.connect(str(self.unix_path))
        except BaseException:
            sock.close()
            raise
        self.sock = sock

    def call(self, method: str, path: str, body: dict | None, seconds: float) -> Any:
        """One request; the answer's JSON when the status is 200, else an exception."""
        if self.sock is None:
            self.connect()
        # A per-read time-out alone lets a trickling answer run on: every read gets only what is
        # left of `seconds` (sendall's time-out already bounds the whole send).
        deadline = time.monotonic() + seconds
        self.sock.settimeout(seconds)
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(payload)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        self.sock.sendall(head.encode("ascii") + b"\r\n" + payload)
        status, data = _Response(self.sock, deadline).read()
        if status != 200:
            raise ValueError(f"status {status}")
        return json.loads(data.decode("utf-8"))

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class _Response:
    """Reads one HTTP/1.1 response: by Content-Length, chunked, or up to the close.
    A cut-off, malformed or oversized answer raises ValueError; it is never taken as an answer.

    The buffer is a bytearray consumed from the front, and a line is searched for only in
    what arrived since the last search, so reading stays linear in the size of the answer."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.buffer, self.deadline = sock, bytearray(), deadline

    def _fill(self) -> bool:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer in time")
        self.sock.settimeout(left)
        chunk = self.sock.recv(1 << 16)
        self.buffer += chunk
        if len(self.buffer) > MAX_ANSWER_BYTES + (1 << 16):
            raise ValueError("answer too large")
        return bool(chunk)

    def _take_line(self) -> bytes:
        searched = 0
        while (end := self.buffer.find(b"\r\n", searched)) < 0:
            if len(self.buffer) > MAX_LINE_BYTES:
                raise ValueError("line too long")
            searched = max(0, len(self.buffer) - 1)  # a CR at the end may pair with the next LF
            if not self._fill():
                raise ValueError("cut off")
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 2]
        return line

    def _take(self, size: int) -> bytes:
        if size < 0:
            raise ValueError("negative size")
        while len(self.buffer) < size:
            if not self._fill():
                raise ValueError("cut off")
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def read(self) -> tuple[int, bytes]:
        version, status, *_ = self._take_line().decode("latin-1").split(" ", 2)
        if not version.startswith("HTTP/1."):
            raise ValueError("not HTTP")
        headers = {}
        while line := self._take_line():
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while size := int(self._take_line().split(b";")[0], 16):
                parts.append(self._take(size))
                self._take_line()
            while self._take_line():  # trailer fields, up to the blank line
                pass
            return int(status), b"".join(parts)
        if "content-length" in headers:
            return int(status), self._take(int(headers["content-length"]))
        while self._fill():
            pass
        return int(status), bytes(self.buffer)


@dataclass(frozen=True)
class Answer:
    """What the daemon said about the sources: the rendered output and, per source, findings and failure."""

    output: str
    findings: list[bool]
    fails: list[bool]


class Daemon:
    """A daemon that said it is exactly the linter this process would load."""

    def __init__(self, connection: _UnixConnection, me: dict[str, str], hello: dict):
        self._connection, self._identity = connection, me
        self.pipeline: str = hello["pipeline"]
        self.rule_ids: frozenset[str] = frozenset(hello["rules"])

    def lint(self, sources: list, options: dict[str, Any], render: dict[str, Any], time_limit: float) -> Answer | None:
        """Lint `sources` (reader.Source) with this process's options; None when anything is off."""
        body = {
            "identity": self._identity, **options, **render, "time_limit": time_limit,
            "sources": [{"path": s.path, "text": s.text, "kind": s.kind,
                         "data": binascii.b2a_base64(s.data, newline=False).decode("ascii")} for s in sources],
        }  # fmt: skip
        try:
            answer = self._connection.call("POST", LINT_PATH, body, time_limit + LINT_MARGIN)
            reports = answer["reports"]
            findings = [item["findings"] for item in reports]
            fails = [item["fails"] for item in reports]
            output = answer["output"]
        except Exception:  # noqa: BLE001 - whatever the daemon did wrong, the caller lints in process
            return None
        finally:
            self.close()
        if not (isinstance(output, str) and len(reports) == len(sources)
                and all(isinstance(v, bool) for v in [*findings, *fails])):  # fmt: skip
            return None
        return Answer(output, findings, fails)

    def close(self) -> None:
        self._connection.close()


def find_daemon(config, disabled: bool = False) -> Daemon | None:
    """The warm linter for `config` (the merged settings), or None: then lint in process."""
    if daemon_disabled(disabled):
        return None
    path = socket_path()
    if not trusted_socket(path):
        return None
    connection = _UnixConnection(path)
    try:
        me = identity(config, cached=True)
        hello = connection.call("GET", HELLO_PATH, None, HELLO_TIMEOUT)
        if hello.get("identity") != me or not isinstance(hello.get("pipeline"), str):
            raise ValueError("another linter")
        if not (isinstance(hello.get("rules"), list) and all(isinstance(r, str) for r in hello["rules"])):
            raise ValueError("no rule list")
        return Daemon(connection, me, hello)
    except Exception:  # noqa: BLE001 - no daemon, a hung or wrong one: the caller lints in process
        connection.close()
        return None
