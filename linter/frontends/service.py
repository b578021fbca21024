"""`lint-reply-serve`: a local HTTP service and web page with the same feedback as the command line.

    lint-reply-serve [--host 127.0.0.1] [--port 8765] [--model M] [--config FILE] [--cors-origin URL]...

Endpoints: POST /v1/lint, POST /v1/lint-message, GET /v1/rules, GET /healthz,
GET /openapi.json, and the page at /. The pipeline and rules load once at start;
linting runs in a pool of worker processes, one per core (spaCy is not made for
concurrent use of one pipeline, so each worker has its own), or with --workers 0
in a thread of this process, one at a time; the event loop keeps serving. Request texts are never
logged or stored: the log has method, path, status, size and time only.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import json
import logging
import os
import socket
import stat
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..config import FAIL_ON, Config, apply_overrides, find_config, load_config
from ..input.reader import Source
from ..names import CHANNELS, LONE_SURROGATE
from ..paths import socket_path
from ..report import report_schema
from .command import run_command
from .warm import HELLO_PATH, LINT_PATH, identity
from .workers import JobFailed, LintPool, default_size, perform

DEFAULT_PORT = 8765
DEFAULT_MAX_BODY = 1_000_000
LOCAL_MAX_BODY = 64_000_000  # the hook's and the CLI's inputs (text and bytes) up to their own --max-size
log = logging.getLogger("lint-reply.serve")

if TYPE_CHECKING:
    from ..api import Linter


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _page() -> str:
    packaged = resources.files("linter.frontends") / "static" / "index.html"
    return packaged.read_text(encoding="utf-8")


def openapi_spec(max_body: int) -> dict:
    report = report_schema()  # derived from the report's own dataclasses, shared with the CLI and the audit
    error = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    errors = {
        str(code): {"description": text, "content": {"application/json": {"schema": error}}}
        for code, text in ((400, "Geen geldige JSON"), (413, f"Meer dan {max_body} bytes"), (422, "Ontbrekend of ongeldig veld"), (500, "Fout in de linter"))
    }  # fmt: skip
    lint_request = {
        "type": "object", "required": ["text"], "additionalProperties": False,
        "properties": {"text": {"type": "string"}, "channel": {"type": "string", "enum": list(CHANNELS)}},
    }  # fmt: skip
    message_request = {
        "type": "object", "required": ["message"], "additionalProperties": False,
        "properties": {"message": {"type": "string", "description": "Een RFC 5322-bericht als tekst"},
                       "channel": {"type": "string", "enum": list(CHANNELS)}},
    }  # fmt: skip
    ok = {"200": {"description": "Het rapport", "content": {"application/json": {"schema": report}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "lint-reply", "version": __version__, "description": "Coachende feedback op Nederlandse antwoorden aan klanten."},
        "paths": {
            "/v1/lint": {"post": {"summary": "Controleer een tekst", "requestBody": {"required": True, "content": {"application/json": {"schema": lint_request}}},
                                  "responses": {**ok, **errors}}},
            "/v1/lint-message": {"post": {"summary": "Controleer de nieuwe tekst van een e-mail", "requestBody": {"required": True, "content": {"application/json": {"schema": message_request}}},
                                          "responses": {**ok, **errors}}},
            "/v1/rules": {"get": {"summary": "De regels", "responses": {"200": {"description": "Alle regels", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/healthz": {"get": {"summary": "Gezondheid", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
    }  # fmt: skip


DEFAULT_TIME_LIMIT = 20.0  # seconds per request, waiting in the queue included
DEFAULT_MAX_QUEUE = 16  # requests that may wait for the linter; more get 503 at once
BODY_TIMEOUT = 10.0  # seconds to receive a request body
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


def host_allowed(host_header: str, allowed: tuple[str, ...]) -> bool:
    """Is the Host header one of `allowed` (any port)? Refusing other names stops DNS rebinding."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in allowed


def over_unix_socket(scope: dict) -> bool:
    """Did the request come over a Unix socket? uvicorn gives such a server address no port."""
    server = scope.get("server")
    return isinstance(server, (tuple, list)) and len(server) == 2 and server[1] is None


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


LOCAL_FIELDS = {
    "identity": lambda v: isinstance(v, dict),
    "channel": lambda v: v in CHANNELS,
    "select": _strings,
    "ignore": _strings,
    "min_words": lambda v: _count(v) and v >= 0,
    "fail_on": lambda v: v in FAIL_ON,
    "format": lambda v: v in ("text", "json"),
    "colour": lambda v: isinstance(v, bool),
    "width": lambda v: v is None or (_count(v) and 0 < v < 100_000),
    "config": lambda v: v is None or isinstance(v, str),
    "time_limit": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 3600,
    "sources": lambda v: isinstance(v, list) and 0 < len(v) <= 10_000,
}
SOURCE_FIELDS = {"path": str, "text": str, "kind": str, "data": str}


def local_request(data: dict) -> list[Source]:
    """Check a warm-linter request (from this user's own hook or CLI) and decode its sources."""
    if set(data) != set(LOCAL_FIELDS):
        raise ApiError(422, "velden ontbreken of zijn onbekend")
    for key, valid in LOCAL_FIELDS.items():
        if not valid(data[key]):
            raise ApiError(422, f"ongeldig veld: {key}")
    sources = []
    for item in data["sources"]:
        if not (isinstance(item, dict) and set(item) == set(SOURCE_FIELDS)
                and all(isinstance(item[k], t) for k, t in SOURCE_FIELDS.items()) and item["kind"] in ("text", "email", "html")):  # fmt: skip
            raise ApiError(422, "ongeldige bron")
        try:
            raw = base64.b64decode(item["data"], validate=True)
        except binascii.Error:
            raise ApiError(422, "ongeldige bron: data is geen base64") from None
        text = LONE_SURROGATE.sub("\ufffd", item["text"])
        sources.append(Source(path=item["path"], text=text, kind=item["kind"], data=raw))
    return sources


def create_app(linter: Linter, cors_origins: tuple[str, ...] = (), max_body: int = DEFAULT_MAX_BODY,
               allowed_hosts: tuple[str, ...] = LOCAL_HOSTS, config: Config | None = None, token: str | None = None,
               time_limit: float = DEFAULT_TIME_LIMIT, max_queue: int = DEFAULT_MAX_QUEUE,
               local_identity: dict | None = None, pool: LintPool | None = None):
    """The ASGI app (Starlette) around one loaded Linter.

    `config` (select, ignore, min-words, channel from lint-reply.toml) applies to every
    request, as in the CLI; `token`, when set, is required as "Authorization: Bearer ...".
    With `local_identity` (see `warm.identity`) the app also answers the hook and the CLI
    on the Unix socket, with their own settings (routes under /v1/local/). With a `pool`
    the workers lint side by side; without one, `linter` lints one request at a time."""
    config = config or Config()
    options = {"select": config.select, "ignore": config.ignore, "min_words": config.min_words}
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    lock = asyncio.Lock()
    waiting = [0]  # requests waiting for the lock

    async def body_json(request: Request, max_body: int = max_body) -> dict:
        # Only JSON: a cross-origin "simple" request (text/plain, form) cannot reach the linter
        # without a CORS preflight, and the preflight stays closed unless --cors-origin allows it.
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise ApiError(415, "stuur de body als JSON (Content-Type: application/json)")
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body:
            raise ApiError(413, f"het verzoek is groter dan {max_body} bytes")
        body = b""
        try:
            async with asyncio.timeout(BODY_TIMEOUT):  # a client that trickles its body is cut off
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > max_body:
                        raise ApiError(413, f"het verzoek is groter dan {max_body} bytes")
        except TimeoutError:
            raise ApiError(408, f"de body kwam niet binnen {BODY_TIMEOUT:g} seconden binnen") from None
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(400, "de body is geen geldige JSON (UTF-8)") from None
        except RecursionError:
            raise ApiError(400, "de JSON is te diep genest") from None
        if not isinstance(data, dict):
            raise ApiError(422, "de body moet een JSON-object zijn")
        return data

    def field(data: dict, name: str, allowed: set[str]) -> tuple[str, str]:
        unknown = set(data) - allowed
        if unknown:
            raise ApiError(422, f"onbekend veld: {sorted(unknown)[0]}")
        value = data.get(name)
        if not isinstance(value, str):
            raise ApiError(422, f"het veld '{name}' (tekst) ontbreekt")
        channel = data.get("channel", config.channel)
        if channel not in CHANNELS:
            raise ApiError(422, f"'channel' moet een van {', '.join(CHANNELS)} zijn")
        # A lone surrogate cannot be written back as UTF-8; the same length keeps positions.
        return LONE_SURROGATE.sub("\ufffd", value), channel

    async def run_job(request: Request, job: tuple, limit: float) -> dict:
        """The answer to `job` when a linter is free (a worker of the pool, or the one in this
        process); within `limit` seconds, waiting included."""
        # A bounded queue: when too many requests wait, say so at once instead of piling them up.
        if waiting[0] >= max_queue:
            raise ApiError(503, "de dienst is bezet; probeer het zo opnieuw")
        waiting[0] += 1
        queued = True
        try:
            # Waiting for a linter counts too: every request is answered within `limit`.
            async with asyncio.timeout(limit):
                if pool is not None:
                    worker = await pool.acquire()
                    try:
                        waiting[0] -= 1
                        queued = False
                        await skip_if_gone(request)
                    except BaseException:
                        pool.release(worker)
                        raise
                    return await pool.call(worker, job)  # over the limit: the worker is replaced
                async with lock:  # one lint at a time, off the event loop
                    waiting[0] -= 1
                    queued = False
                    await skip_if_gone(request)
                    return await run_in_threadpool(perform, linter, job)
        except TimeoutError:
            raise ApiError(503, f"het controleren duurde langer dan {limit:g} seconden; probeer het later opnieuw") from None
        except ApiError:
            raise
        except Exception as error:  # noqa: BLE001 - a bug must not stop the service
            log.error("fout in de linter: %s", error if isinstance(error, JobFailed) else type(error).__name__)
            raise ApiError(500, "interne fout in de linter") from None
        finally:
            if queued:
                waiting[0] -= 1

    async def skip_if_gone(request: Request) -> None:
        if await request.is_disconnected():  # the client left while queued: skip the work
            raise ApiError(499, "de client is weg")

    async def lint_text(request: Request) -> Response:
        text, channel = field(await body_json(request), "text", {"text", "channel"})
        return JSONResponse(await run_job(request, ("text", text, {"channel": channel, **options}), time_limit))

    async def lint_message(request: Request) -> Response:
        message, channel = field(await body_json(request), "message", {"message", "channel"})
        data = message.encode("utf-8", errors="surrogatepass")
        source = Source(path="<bericht>", text=message, kind="email", data=data)
        return JSONResponse(await run_job(request, ("source", source, {"channel": channel, **options}), time_limit))

    served = [0]  # lints answered for the hook and the CLI; `hello` reports it

    def local_only(request: Request) -> None:
        # The warm linter's routes exist only on the Unix socket, whose file mode is the access control.
        if local_identity is None or not over_unix_socket(request.scope):
            raise ApiError(404, "niet gevonden")

    async def local_hello(request: Request) -> Response:
        local_only(request)
        return JSONResponse({"identity": local_identity, "pipeline": linter.pipeline.describe(),
                             "rules": sorted(linter.ruleset.by_id()), "served": served[0]})

    async def local_lint(request: Request) -> Response:
        local_only(request)
        data = await body_json(request, LOCAL_MAX_BODY)
        if data.get("identity") != local_identity:
            raise ApiError(409, "deze dienst heeft een andere versie, pijplijn of andere regels")
        sources = local_request(data)
        options = {"channel": data["channel"], "select": data["select"], "ignore": data["ignore"], "min_words": data["min_words"]}
        render = {key: data[key] for key in ("format", "colour", "config", "width")}
        job = ("local", sources, options, render, data["fail_on"])
        answer = await run_job(request, job, min(time_limit, data["time_limit"]))
        served[0] += 1
        return JSONResponse(answer)

    async def rules(request: Request) -> Response:
        return JSONResponse({"rules": [
            {"id": r.id, "kind": r.kind, "severity": r.severity, "title": r.title, "why": r.why,
             "handle": r.handle, "suggestions": r.suggestions}
            for r in linter.ruleset.rules
        ]})  # fmt: skip

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "pipeline": {"name": linter.pipeline.name, "version": linter.pipeline.version}})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_spec(max_body))

    async def page(request: Request) -> Response:
        return HTMLResponse(_page(), headers={"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    async def api_error(request: Request, error: ApiError) -> Response:
        return JSONResponse({"error": error.message}, status_code=error.status)

    async def http_error(request: Request, error) -> Response:
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code, headers=getattr(error, "headers", None))

    async def server_error(request: Request, error: Exception) -> Response:
        return JSONResponse({"error": "interne fout"}, status_code=500)

    async def access_log(request: Request, call_next):
        if not host_allowed(request.headers.get("host", ""), allowed_hosts):
            return JSONResponse({"error": "onbekende host; deze dienst antwoordt alleen op zijn eigen adres"}, status_code=421)
        local = request.url.path.startswith("/v1/local/") and over_unix_socket(request.scope)
        if token and not local and request.url.path.startswith("/v1/") and not hmac.compare_digest(
            request.headers.get("authorization", ""), f"Bearer {token}"
        ):
            return JSONResponse({"error": "toegang geweigerd: geef het token mee (Authorization: Bearer ...)"}, status_code=401)
        started = time.monotonic()
        response = await call_next(request)
        size = request.headers.get("content-length", "0")
        log.info("%s %s %s %sB %.0fms", request.method, request.url.path, response.status_code, size, (time.monotonic() - started) * 1000)
        return response

    from starlette.exceptions import HTTPException
    from starlette.middleware.base import BaseHTTPMiddleware

    middleware = [Middleware(BaseHTTPMiddleware, dispatch=access_log)]
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"], allow_headers=["content-type"]))
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/v1/lint", lint_text, methods=["POST"]),
        Route("/v1/lint-message", lint_message, methods=["POST"]),
        Route("/v1/rules", rules, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
        Route(HELLO_PATH, local_hello, methods=["GET"]),
        Route(LINT_PATH, local_lint, methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: api_error, HTTPException: http_error, 500: server_error},
    )


class ServeError(Exception):
    """A reason not to start, for the user (Dutch)."""


def _socket_answers(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        probe.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def bind_unix_socket(path: Path) -> socket.socket:
    """A listening socket at `path`, mode 0600, in a folder of this user's that nobody else can write.

    A socket left behind by a stopped service is replaced; a live one, or any other file, is an error."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = os.stat(folder)
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise ServeError(f"{folder}: de map is niet alleen van u; kies met --socket een eigen map")
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    if existing is not None:
        if not stat.S_ISSOCK(existing.st_mode):
            raise ServeError(f"{path} bestaat al en is geen socket")
        if _socket_answers(path):
            raise ServeError(f"op {path} luistert al een lint-reply-dienst")
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)  # the socket is born 0600: no moment in which others may connect
    try:
        listener.bind(str(path))
    except OSError:
        listener.close()
        raise
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)
    listener.listen(128)
    return listener


def activated_socket() -> socket.socket | None:
    """The socket systemd passed (socket activation: LISTEN_FDS for this process), or None."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()) or int(os.environ.get("LISTEN_FDS", "0") or 0) < 1:
        return None
    for name in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):  # not for child processes
        os.environ.pop(name, None)
    return socket.socket(fileno=3)  # SD_LISTEN_FDS_START


def _remove_socket(path: Path, inode: int) -> None:
    # Only our own: a newer service may have replaced the file in the meantime.
    with contextlib.suppress(OSError):
        if os.lstat(path).st_ino == inode:
            path.unlink()


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres; standaard alleen deze computer.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--no-port", is_flag=True, help="Geen poort, alleen de Unix-socket (de achtergronddienst voor de hook en de opdrachtregel).")
@click.option("--socket", "socket_option", default=None, metavar="PAD",
              help="Unix-socket voor de hook en de opdrachtregel (standaard $XDG_RUNTIME_DIR/lint-reply/lint-reply.sock).")
@click.option("--no-socket", is_flag=True, help="Geen Unix-socket, alleen de poort.")
@click.option("--model", default=None, metavar="NAAM_OF_PAD")
@click.option("--config", "config_path", default=None, metavar="BESTAND")
@click.option("--cors-origin", multiple=True, metavar="URL", help="Toegestane herkomst (de add-ins); standaard geen.")
@click.option("--max-body", default=DEFAULT_MAX_BODY, show_default=True, type=int, help="Grootste verzoek in bytes.")
@click.option("--token", envvar="LINT_REPLY_TOKEN", default=None, metavar="TOKEN",
              help="Vereis 'Authorization: Bearer TOKEN' op /v1/ (verplicht buiten deze computer). Ook: LINT_REPLY_TOKEN.")
@click.option("--allow-host", multiple=True, metavar="NAAM", help="Extra toegestane Host-naam (naast localhost en 127.0.0.1).")
@click.option("--time-limit", default=DEFAULT_TIME_LIMIT, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconden per verzoek; daarna antwoordt de dienst 503.")
@click.option("--workers", type=click.IntRange(0, 64), default=None, metavar="N",
              help="Processen die naast elkaar controleren (standaard: een per processorkern; 0: alles in dit proces, een tegelijk).")
@click.option("--install-user-service", is_flag=True,
              help="Schrijf een systemd-gebruikersdienst (socket-geactiveerd) met deze --model, --config, --workers (standaard 1) en --time-limit, en stop.")
def cli(host, port, no_port, socket_option, no_socket, model, config_path, cors_origin, max_body, token, allow_host, time_limit,
        workers, install_user_service):
    """Start de lokale dienst en webpagina van lint-reply.

    Naast de poort luistert de dienst op een Unix-socket; lint-reply en lint-reply-sendmail
    gebruiken die vanzelf als de dienst dezelfde versie en regels heeft (sneller, zelfde antwoord).
    """
    if install_user_service:
        from .user_service import install

        click.echo(install(model, config_path, time_limit, workers))
        return 0
    import uvicorn

    if not (hasattr(socket, "AF_UNIX") and hasattr(os, "getuid")):  # Windows: the port only
        if socket_option or no_port:
            raise click.UsageError("Unix-sockets zijn op dit systeem niet beschikbaar; gebruik de poort")
        no_socket = True
    if no_port and no_socket:
        raise click.UsageError("--no-port en --no-socket samen laten niets over om op te luisteren")
    loopback = host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")
    if not no_port and not loopback and not token:
        raise click.ClickException(
            f"'{host}' is bereikbaar voor andere computers; start dan met --token (of LINT_REPLY_TOKEN), "
            "want klantteksten mogen niet onbeveiligd over het netwerk"
        )
    config = load_config(find_config(config_path))
    apply_overrides(config, model=model)
    size = default_size() if workers is None else workers
    pool = LintPool(config, size) if size else None  # the workers load while this process does
    try:
        from ..api import linter_for  # loads spaCy: not for --help or --install-user-service

        linter = linter_for(config)
        linter.warm_up()
        if pool:
            pool.wait_ready()
    except BaseException:
        if pool:
            pool.close()
        raise
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    listeners, where, own_socket = [], [], None
    server_config = uvicorn.Config(None, host=host, port=port, access_log=False, log_level="warning",
                                   timeout_graceful_shutdown=int(time_limit) + 5)
    if not no_port:
        bound = server_config.bind_socket()
        # asyncio sets TCP_NODELAY only on sockets that say IPPROTO_TCP; without it every
        # keep-alive response waits ~40 ms for a delayed ACK (Nagle).
        listeners.append(socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach()))
        where.append(f"http://{host}:{port}/")
        if not loopback:
            click.echo(f"LET OP: lint-reply-serve luistert op {host}, ook voor andere computers; alleen verzoeken met het token worden beantwoord.", err=True)
    if not no_socket:
        activated = activated_socket()
        path = Path(socket_option) if socket_option else socket_path()
        try:
            listener = activated or bind_unix_socket(path)
        except (ServeError, OSError) as error:
            if socket_option or no_port:
                raise
            # Another service already answers on the default socket: serve the port only.
            click.echo(f"lint-reply-serve: geen Unix-socket ({error})", err=True)
        else:
            own_socket = None if activated else (path, os.lstat(path).st_ino)
            listeners.append(listener)
            where.append(str(listener.getsockname()) if activated else str(path))
    hosts = LOCAL_HOSTS + tuple(name.lower() for name in allow_host) + (() if loopback else (host.lower(),))
    server_config.app = create_app(linter, tuple(cors_origin), max_body, allowed_hosts=hosts, config=config, token=token,
                                   time_limit=time_limit, local_identity=identity(config), pool=pool)
    how = f"{size} processen naast elkaar" if pool else "een controle tegelijk"
    click.echo(f"lint-reply {__version__} op {' en '.join(where)} (pijplijn: {linter.pipeline.describe()}; {how})", err=True)
    # Shutdown waits longer than any request may take, so requests in flight always get their answer.
    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            await super().shutdown(sockets)
            # here, not after run(): uvicorn re-raises SIGTERM once it has shut down
            if pool:
                pool.close()
            if own_socket:
                _remove_socket(*own_socket)

    Server(server_config).run(sockets=listeners)


def main(argv: list[str] | None = None) -> int:
    try:
        return run_command(cli, "lint-reply-serve", argv)
    except Exception as error:  # noqa: BLE001 - a failure to start (port in use, ...) is one line, no traceback
        click.echo(f"lint-reply-serve: fout: {error}", err=True)
        return 2
