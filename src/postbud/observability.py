"""Logs, metrics and probes: structlog (JSON or console), a request id per request, Prometheus.

Metrics live in one registry for the process. ``letter_accepted`` is the hook every dialect calls
after a letter was accepted; the job backlog is read from the database at scrape time.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
import uuid
from functools import cache
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from postbud.domain.channels import Channel
from postbud.metrics_exposure import exposure, refusal
from postbud.services.runtime import Runtime

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

REGISTRY = CollectorRegistry()
HTTP_REQUESTS = Counter(
    "postbud_http_requests_total",
    "HTTP requests by route and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "postbud_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
LETTERS_ACCEPTED = Counter(
    "postbud_letters_accepted_total",
    "Letters accepted, by dialect and the channel chosen",
    ["dialect", "channel"],
    registry=REGISTRY,
)
JOBS = Gauge(
    "postbud_jobs", "Jobs in the queue by status (read at scrape time)", ["status"], registry=REGISTRY
)
WORKERS = Gauge(
    "postbud_workers",
    "Processes with job workers in the worker registry (read at scrape time)",
    registry=REGISTRY,
)

log = structlog.get_logger(__name__)


def letter_accepted(dialect: str, channel: Channel | None) -> None:
    LETTERS_ACCEPTED.labels(dialect=dialect, channel=channel.value if channel else "none").inc()


# --- Logging ------------------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time, so swapped streams (tests) keep working."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


_handler: logging.Handler | None = None
_request_line: RequestLine | None = None


class RequestLine:
    """The request log line rendered and written straight to stderr, without the standard library's
    logger, record, handler and formatter: the same processors in the same order (so the same
    line), for a fraction of the CPU. Used only while the handler ``configure_logging`` set up is
    the root logger's only one; otherwise (a test capturing logs, a handler added by an embedder)
    the line goes through the standard library like any other."""

    def __init__(self, shared: list[Any], rendering: list[Any], handler: logging.Handler) -> None:
        self._processors = [*shared, *rendering]
        self._handler = handler
        self._logger = logging.getLogger(__name__)

    def emit(self, **fields: Any) -> None:
        logger = self._logger
        if not logger.isEnabledFor(logging.INFO):
            return
        handlers = logging.getLogger().handlers
        if len(handlers) != 1 or handlers[0] is not self._handler or logger.handlers or not logger.propagate:
            log.info("request", **fields)
            return
        event: Any = {**fields, "event": "request"}
        for processor in self._processors:
            event = processor(logger, "info", event)
        # As the handler would: a log line that cannot be written (a closed or broken stderr) never
        # fails the request.
        with self._handler.lock or contextlib.nullcontext(), contextlib.suppress(OSError, ValueError):
            stream = sys.stderr
            stream.write(event + "\n")
            stream.flush()


def configure_logging(*, json_logs: bool = False, level: int | str = logging.INFO) -> None:
    """Route structlog and stdlib logging (uvicorn, SQLAlchemy) through one renderer on stderr."""
    global _handler, _request_line
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_logs
        # Plain tracebacks: rich's would print every frame's local variables (keys, certificates, letters).
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    rendering: list[Any] = [structlog.processors.format_exc_info] if json_logs else []
    rendering.append(renderer)
    handler = _StderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
        )
    )
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    _request_line = RequestLine(shared, rendering, handler)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # The middleware below logs each request with its id; uvicorn's own access log would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
    for chatty in ("alembic", "httpx2", "httpcore"):  # per-migration-check and per-call lines
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))


# --- Request context and HTTP metrics ----------------------------------------------------------


def _route_of(scope: Scope) -> str:
    """The route template (``/api/v1/shipments/{shipment_id}``), never the raw path: bounded labels."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return str(scope.get("root_path", "")) + path
    return "unmatched"


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER.encode():
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Gives each request an id (kept from ``X-Request-ID`` when sane), logs it and counts it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route, method = _route_of(scope), scope["method"]
                HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
                HTTP_LATENCY.labels(method=method, route=route).observe(elapsed)
                if scope["path"] not in _QUIET_PATHS:
                    fields = {
                        "method": method,
                        "path": scope["path"],
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    }
                    if _request_line is not None:
                        _request_line.emit(**fields)
                    else:
                        log.info("request", **fields)


# --- Probes and /metrics -----------------------------------------------------------------------


@cache
def head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from postbud.storage.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


async def readiness(runtime: Runtime) -> tuple[bool, dict[str, str]]:
    from postbud.storage.migrate import current_revision

    try:
        async with runtime.database.reading() as conn:
            await conn.execute(text("SELECT 1"))
        revision = await current_revision(runtime.database)
    except Exception as exc:
        return False, {"database": f"unreachable: {type(exc).__name__}"}
    head = head_revision()
    if revision != head:
        return False, {"database": "reachable", "schema": f"at {revision}, expected {head}"}
    return True, {"database": "reachable", "schema": str(revision)}


async def _refresh_job_gauge(runtime: Runtime) -> None:
    async with runtime.reader() as uow:
        counts = await uow.jobs.counts()
        WORKERS.set(len(await uow.workers.all()))
    for status in ("ready", "running", "dead", "done"):
        JOBS.labels(status=status).set(counts.get(status, 0))


ops_router = APIRouter(tags=["operations"])


@ops_router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@ops_router.get("/readyz", summary="The database is reachable and migrated", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    ready, checks = await readiness(request.app.state.runtime)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503
    )


@ops_router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    mode = exposure(settings)
    refused = refusal(
        mode,
        client_host=request.client.host if request.client else None,
        headers=request.headers,
        token=(settings.metrics_token or request.app.state.admin_token) if mode == "token" else "",
    )
    if refused is not None:
        status, reason = refused
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return Response(reason + "\n", status_code=status, media_type="text/plain", headers=headers)
    try:
        await _refresh_job_gauge(request.app.state.runtime)
    except Exception:  # a scrape must still answer while the database is down
        log.warning("could not read the job queue for /metrics", exc_info=True)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
