"""The Digipost dialect as an ASGI app, mounted under ``/digipost`` by ``postbud.app``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.dialects.digipost import render
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError, from_domain, not_implemented
from postbud.dialects.digipost.multipart import MultipartInvalid
from postbud.dialects.digipost.responses import error_response, signed, xml_bytes
from postbud.dialects.digipost.send import send_message
from postbud.domain.errors import DomainError
from postbud.services.runtime import Runtime

log = structlog.get_logger(__name__)
Handler = Callable[[DigipostDialect, Request], Awaitable[Response]]


def _guarded(dialect: DigipostDialect, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Every failure becomes a signed ``error`` element in Digipost's vocabulary."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(dialect, request)
        except DigipostError as exc:
            return error_response(dialect, request, exc)
        except MultipartInvalid as exc:
            status = 415 if exc.code == "ILLEGAL_CONTENT_TYPE" else 400
            return error_response(dialect, request, DigipostError(exc.code, exc.message, status))
        except DomainError as exc:
            return error_response(dialect, request, from_domain(exc))
        except Exception:
            log.exception("digipost request failed")
            error = DigipostError("SERVER_ERROR", "an unexpected error occurred; see the server log", 500)
            return error_response(dialect, request, error)

    return endpoint


async def _entrypoint(dialect: DigipostDialect, request: Request) -> Response:
    root = render.entrypoint(dialect.base_url, dialect.server_key.certificate_pem)
    return signed(dialect, request, xml_bytes(root))


async def _sender_entrypoint(dialect: DigipostDialect, request: Request) -> Response:
    sender_id = int(request.path_params["sender_id"])
    root = render.entrypoint(dialect.base_url, dialect.server_key.certificate_pem, sender_id=sender_id)
    return signed(dialect, request, xml_bytes(root))


async def _not_implemented(dialect: DigipostDialect, request: Request) -> Response:
    raise not_implemented(f"{request.method} {request.url.path}")


def create_digipost_app(runtime_of: Callable[[], Runtime]) -> Starlette:
    dialect = DigipostDialect(runtime_of)
    routes = [
        Route("/", _guarded(dialect, _entrypoint), methods=["GET"]),
        Route("/messages", _guarded(dialect, send_message), methods=["POST"]),
        Route("/{sender_id:int}", _guarded(dialect, _sender_entrypoint), methods=["GET"]),
        Route(
            "/{rest:path}",
            _guarded(dialect, _not_implemented),
            methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        ),
    ]
    app = Starlette(routes=routes)
    app.state.dialect = dialect
    return app
