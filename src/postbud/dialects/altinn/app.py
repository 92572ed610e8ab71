"""The Altinn Correspondence dialect as an ASGI app, mounted at ``/correspondence/api/v1`` — the
real service's own path, so clients change only their base URL's host."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.dialects.altinn import (
    attachments_http,
    confidential_reminders_http,
    correspondence_http,
    download_all_http,
    forwarding_http,
    notification_check,
    search_http,
)
from postbud.dialects.altinn.auth import AltinnAuthError, Policy, authenticate
from postbud.dialects.altinn.context import AltinnApiSettings, AltinnDialect
from postbud.dialects.altinn.errors import (
    AltinnError,
    FrameworkProblem,
    PlainError,
    ValidationProblem,
    from_domain,
    server_error,
)
from postbud.dialects.altinn.http_in import check_accept, form_body, json_body
from postbud.dialects.altinn.initialize import initialize
from postbud.dialects.altinn.initialize_in import TemplateInvalid, read_initialize
from postbud.domain.errors import DomainError
from postbud.services.runtime import Runtime

log = structlog.get_logger(__name__)
Handler = Callable[[AltinnDialect, Request], Awaitable[Response]]
JSON = ("application/json", "text/json", "text/plain")
FILES = ("application/octet-stream",)
TEXT = ("text/plain",)
ZIP = ("application/zip", "application/json")


def _guarded(
    dialect: AltinnDialect, handler: Handler, produces: Sequence[str]
) -> Callable[[Request], Awaitable[Response]]:
    """Every failure answered in Altinn's words: ProblemDetails, or the plain answers it gives."""

    async def endpoint(request: Request) -> Response:
        try:
            check_accept(request, produces)
            return await handler(dialect, request)
        except (AltinnError, AltinnAuthError, ValidationProblem, PlainError, FrameworkProblem) as exc:
            return exc.response()
        except TemplateInvalid:
            return PlainError(400, "Invalid notification template", as_json=True).response()
        except DomainError as exc:
            return from_domain(exc).response()
        except Exception:
            log.exception("altinn request failed")
            return server_error().response()

    return endpoint


async def _initialize_json(dialect: AltinnDialect, request: Request) -> Response:
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    return await initialize(dialect.runtime, caller, read_initialize(await json_body(request)))


async def _initialize_form(dialect: AltinnDialect, request: Request) -> Response:
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    tree, uploads = await form_body(request)
    return await initialize(dialect.runtime, caller, read_initialize(tree), uploads)


def create_altinn_app(runtime_of: Callable[[], Runtime]) -> Starlette:
    dialect = AltinnDialect(runtime_of)

    def route(path: str, handler: Handler, method: str, produces: Sequence[str] = JSON) -> Route:
        return Route(path, _guarded(dialect, handler, produces), methods=[method])

    c = "/correspondence/{correspondenceId}"
    a = "/attachment/{attachmentId}"
    # Guarded (every failure a ProblemDetails or Altinn's plain answer) and, as Altinn's, without a
    # body limit above it: fit for a direct lane (which leaves requests with an Origin to CORS).
    initialize_route = route("/correspondence", _initialize_json, "POST")
    routes = [
        initialize_route,
        route("/correspondence/upload", _initialize_form, "POST"),
        route("/correspondence", search_http.search, "GET"),
        route(c, correspondence_http.get_overview, "GET"),
        route(f"{c}/details", correspondence_http.get_details, "GET"),
        route(f"{c}/markasread", correspondence_http.mark_as_read, "POST"),
        route(f"{c}/confirm", correspondence_http.confirm, "POST"),
        route(f"{c}/purge", correspondence_http.purge, "DELETE"),
        route(f"{c}/content", correspondence_http.content, "GET", TEXT),
        route(f"{c}/attachment/{{attachmentId}}/download", correspondence_http.download, "GET", ("*/*",)),
        route(f"{c}/attachments/downloadall", download_all_http.download_all, "GET", ZIP),
        route(f"{c}/forward", forwarding_http.forward, "POST"),
        route(f"{c}/forward/check", forwarding_http.forward_check, "GET"),
        route(f"{c}/notification/check", notification_check.check_reminder, "GET"),
        route(f"{c}/notification/check/main", notification_check.check_main, "GET"),
        route("/confidential-reminders", confidential_reminders_http.confidential_reminders, "GET", TEXT),
        route("/attachment", attachments_http.initialize, "POST"),
        route(f"{a}/upload", attachments_http.upload, "POST"),
        route(a, attachments_http.get_overview, "GET"),
        route(f"{a}/details", attachments_http.get_details, "GET"),
        route(a, attachments_http.purge, "DELETE"),
        route(f"{a}/download", attachments_http.download, "GET", FILES),
    ]
    settings = AltinnApiSettings()
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "request-id", "request-context", "traceparent", "prefer"],
            allow_credentials=True,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.dialect = dialect
    app.state.direct_routes = [initialize_route]
    return app
