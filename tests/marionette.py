"""A minimal client for Marionette, the remote protocol built into Gecko (Firefox, Thunderbird).

Just enough for tests/test_thunderbird.py: open a session, switch to the chrome
context, run JavaScript, install a temporary add-on. The protocol is JSON over
TCP, each packet prefixed with its length and a colon: the server greets with
{"applicationType": "gecko", "marionetteProtocol": 3}; a command is
[0, id, name, params] and its answer [1, id, error, result].
"""

from __future__ import annotations

import json
import socket
import time


class MarionetteError(RuntimeError):
    pass


class Marionette:
    def __init__(self, port: int, timeout: float = 60.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""
        self.last_id = 0
        hello = self._read()
        if not isinstance(hello, dict) or hello.get("marionetteProtocol") != 3:
            raise MarionetteError(f"unexpected greeting: {hello!r}")

    def _recv(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise MarionetteError("the application closed the Marionette connection")
        self.buffer += chunk

    def _read(self):
        while b":" not in self.buffer:
            self._recv()
        length, _, rest = self.buffer.partition(b":")
        size = int(length)
        self.buffer = rest
        while len(self.buffer) < size:
            self._recv()
        packet, self.buffer = self.buffer[:size], self.buffer[size:]
        return json.loads(packet)

    def command(self, name: str, params: dict | None = None):
        self.last_id += 1
        data = json.dumps([0, self.last_id, name, params or {}]).encode("utf-8")
        self.sock.sendall(str(len(data)).encode("ascii") + b":" + data)
        while True:
            answer = self._read()
            if isinstance(answer, list) and answer[:2] == [1, self.last_id]:
                if answer[2]:
                    error = answer[2]
                    raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
                return answer[3]

    def start_chrome_session(self) -> None:
        """A session whose scripts run with chrome privileges (needs -remote-allow-system-access)."""
        self.command("WebDriver:NewSession", {"capabilities": {}})
        self.command("Marionette:SetContext", {"value": "chrome"})

    def script(self, source: str, *args, timeout_ms: int = 30_000):
        """Run `source` as a function body (arguments in `arguments`) and return its result;
        a returned promise is awaited."""
        result = self.command("WebDriver:ExecuteScript", {"script": source, "args": list(args), "scriptTimeout": timeout_ms})
        return result.get("value") if isinstance(result, dict) else result

    def wait_for(self, source: str, *args, timeout: float = 30.0, what: str = "condition"):
        """Run `source` until it returns something truthy; that value is returned."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.script(source, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"Thunderbird: {what} not reached within {timeout:.0f}s")
            time.sleep(0.2)

    def install_addon(self, path: str, temporary: bool = False) -> str:
        """Install an add-on from an .xpi file (or, temporary, from an unpacked folder); returns its id."""
        return self.command("Addon:Install", {"path": path, "temporary": temporary})["value"]

    def uninstall_addon(self, addon_id: str) -> None:
        self.command("Addon:Uninstall", {"id": addon_id})

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
