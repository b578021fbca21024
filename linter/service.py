"""`lint-reply-serve`: a local HTTP service and web page with the same feedback as the command line.

    lint-reply-serve [--host 127.0.0.1] [--port 8765] [--model M] [--config FILE] [--cors-origin URL]...

Endpoints: POST /v1/lint, POST /v1/lint-message, GET /v1/rules, GET /healthz,
GET /openapi.json, and the page at /. The pipeline and rules load once at start;
linting runs in a worker thread (one at a time: spaCy is not made for concurrent
use of one pipeline), so the event loop keeps serving. Request texts are never
logged or stored: the log has method, path, status, size and time only.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from importlib import resources

import click

from . import __version__
from .frontend import run_command
from .api import CHANNELS, LONE_SURROGATE, Linter, linter_for
from .config import Config, apply_overrides, find_config, load_config
from .reader import Source
from .report import report_schema, reports_to_json

DEFAULT_PORT = 8765
DEFAULT_MAX_BODY = 1_000_000
log = logging.getLogger("lint-reply.serve")


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _page() -> str:
    packaged = resources.files("linter") / "static" / "index.html"
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


def create_app(linter: Linter, cors_origins: tuple[str, ...] = (), max_body: int = DEFAULT_MAX_BODY,
               allowed_hosts: tuple[str, ...] = LOCAL_HOSTS, config: Config | None = None, token: str | None = None,
               time_limit: float = DEFAULT_TIME_LIMIT, max_queue: int = DEFAULT_MAX_QUEUE):
    """The ASGI app (Starlette) around one loaded Linter.

    `config` (select, ignore, min-words, channel from lint-reply.toml) applies to every
    request, as in the CLI; `token`, when set, is required as "Authorization: Bearer ..."."""
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

    async def body_json(request: Request) -> dict:
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

    async def run_lint(request: Request, work) -> JSONResponse:
        # A bounded queue: when too many requests wait, say so at once instead of piling them up.
        if waiting[0] >= max_queue:
            raise ApiError(503, "de dienst is bezet; probeer het zo opnieuw")
        waiting[0] += 1
        queued = True
        try:
            # Waiting for the lock counts too: every request is answered within `time_limit`.
            async with asyncio.timeout(time_limit):
                async with lock:  # one lint at a time, off the event loop
                    waiting[0] -= 1
                    queued = False
                    if await request.is_disconnected():  # the client left while queued: skip the work
                        raise ApiError(499, "de client is weg")
                    report = await run_in_threadpool(work)
        except TimeoutError:
            raise ApiError(503, f"het controleren duurde langer dan {time_limit:g} seconden; probeer het later opnieuw") from None
        except ApiError:
            raise
        except Exception as error:  # noqa: BLE001 - a bug must not stop the service
            log.error("fout in de linter: %s", type(error).__name__)
            raise ApiError(500, "interne fout in de linter") from None
        finally:
            if queued:
                waiting[0] -= 1
        document = reports_to_json([report], linter.pipeline)
        return JSONResponse(document)

    async def lint_text(request: Request) -> Response:
        text, channel = field(await body_json(request), "text", {"text", "channel"})
        return await run_lint(request, lambda: linter.lint(text, channel=channel, **options))

    async def lint_message(request: Request) -> Response:
        message, channel = field(await body_json(request), "message", {"message", "channel"})
        data = message.encode("utf-8", errors="surrogatepass")
        source = Source(path="<bericht>", text=message, encoding="utf-8", kind="email", data=data)
        return await run_lint(request, lambda: linter.lint_source(source, channel=channel, **options))

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
        if token and request.url.path.startswith("/v1/") and not hmac.compare_digest(
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
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: api_error, HTTPException: http_error, 500: server_error},
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres; standaard alleen deze computer.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--model", default=None, metavar="NAAM_OF_PAD")
@click.option("--config", "config_path", default=None, metavar="BESTAND")
@click.option("--cors-origin", multiple=True, metavar="URL", help="Toegestane herkomst (de add-ins); standaard geen.")
@click.option("--max-body", default=DEFAULT_MAX_BODY, show_default=True, type=int, help="Grootste verzoek in bytes.")
@click.option("--token", envvar="LINT_REPLY_TOKEN", default=None, metavar="TOKEN",
              help="Vereis 'Authorization: Bearer TOKEN' op /v1/ (verplicht buiten deze computer). Ook: LINT_REPLY_TOKEN.")
@click.option("--allow-host", multiple=True, metavar="NAAM", help="Extra toegestane Host-naam (naast localhost en 127.0.0.1).")
@click.option("--time-limit", default=DEFAULT_TIME_LIMIT, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconden per verzoek; daarna antwoordt de dienst 503.")
def cli(host, port, model, config_path, cors_origin, max_body, token, allow_host, time_limit):
    """Start de lokale dienst en webpagina van lint-reply."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")
    if not loopback and not token:
        raise click.ClickException(
            f"'{host}' is bereikbaar voor andere computers; start dan met --token (of LINT_REPLY_TOKEN), "
            "want klantteksten mogen niet onbeveiligd over het netwerk"
        )
    config = load_config(find_config(config_path))
    apply_overrides(config, model=model)
    linter = linter_for(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not loopback:
        click.echo(f"LET OP: lint-reply-serve luistert op {host}, ook voor andere computers; alleen verzoeken met het token worden beantwoord.", err=True)
    hosts = LOCAL_HOSTS + tuple(name.lower() for name in allow_host) + (() if loopback else (host.lower(),))
    app = create_app(linter, tuple(cors_origin), max_body, allowed_hosts=hosts, config=config, token=token,
                     time_limit=time_limit)
    click.echo(f"lint-reply {__version__} op http://{host}:{port}/ (pijplijn: {linter.pipeline.describe()})", err=True)
    # Shutdown waits longer than any request may take, so requests in flight always get their answer.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning",
                timeout_graceful_shutdown=int(time_limit) + 5)


def main(argv: list[str] | None = None) -> int:
    try:
        return run_command(cli, "lint-reply-serve", argv)
    except Exception as error:  # noqa: BLE001 - a failure to start (port in use, ...) is one line, no traceback
        click.echo(f"lint-reply-serve: fout: {error}", err=True)
        return 2
