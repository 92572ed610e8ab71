"""The Digipost dialect as an ASGI app, mounted under ``/digipost`` by ``postbud.app``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.dialects.digipost import (
    additional_data,
    archive_http,
    batches_http,
    document_events,
    document_status,
    identification,
    inbox_http,
    print_certificate_http,
    render,
    search,
    sender_information,
    sharing_http,
    stepwise_http,
    tags_http,
    user_accounts_http,
)
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError, from_domain, no_such_resource
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


async def _no_such_resource(dialect: DigipostDialect, request: Request) -> Response:
    raise no_such_resource(f"{request.method} {request.url.path}")


def _archive_routes(dialect: DigipostDialect) -> list[Route]:
    """The archive API, each sender-scoped path also without ``/{senderId}`` (the broker's own)."""
    routes = [
        Route("/archives/documents", _guarded(dialect, archive_http.archive_documents), methods=["POST"])
    ]
    for scope in ("", "/{sender_id:int}"):
        documents = f"{scope}/archives/documents"
        routes += [
            Route(f"{scope}/archives", _guarded(dialect, archive_http.get_archives), methods=["GET"]),
            Route(f"{documents}/uuid/{{uuid}}", _guarded(dialect, archive_http.by_uuid), methods=["GET"]),
            Route(
                f"{documents}/referenceid/{{reference:path}}",
                _guarded(dialect, archive_http.by_reference_id),
                methods=["GET"],
            ),
        ]
    documents = "/{sender_id:int}/archives/documents/{uuid}"
    routes += [
        Route(documents, _guarded(dialect, archive_http.update), methods=["PUT"]),
        Route(documents, _guarded(dialect, archive_http.delete), methods=["DELETE"]),
        Route(f"{documents}/uuids", _guarded(dialect, archive_http.add_unique_uuid), methods=["POST"]),
        Route(f"{documents}/content", _guarded(dialect, archive_http.content), methods=["GET"]),
        Route(f"{documents}/content/stream", _guarded(dialect, archive_http.content_stream), methods=["GET"]),
        Route(
            "/{sender_id:int}/archives/{archive_id}/documents",
            _guarded(dialect, archive_http.next_documents),
            methods=["GET"],
        ),
        Route("/archived/{token}", _guarded(dialect, archive_http.view), methods=["GET"]),
    ]
    return routes


def _inbox_routes(dialect: DigipostDialect) -> list[Route]:
    """The organisation's inbox; the one-time content links carry no sender."""
    document = "/{sender_id:int}/inbox/{document}"
    return [
        Route("/inbox/content/{token}", _guarded(dialect, inbox_http.open_content), methods=["GET"]),
        Route("/inbox", _guarded(dialect, inbox_http.get_inbox), methods=["GET"]),
        Route("/{sender_id:int}/inbox", _guarded(dialect, inbox_http.get_inbox), methods=["GET"]),
        Route(f"{document}/content", _guarded(dialect, inbox_http.content), methods=["GET"]),
        Route(document, _guarded(dialect, inbox_http.delete), methods=["DELETE"]),
    ]


def _stepwise_routes(dialect: DigipostDialect) -> list[Route]:
    """The legacy stepwise send's links (a message alone posted to ``/messages`` starts it)."""
    message = "/messages/{message}"
    document = f"{message}/documents/{{document}}"
    return [
        Route(message, _guarded(dialect, stepwise_http.get_message), methods=["GET"]),
        Route(f"{message}/send", _guarded(dialect, stepwise_http.send), methods=["POST"]),
        Route(f"{document}/content", _guarded(dialect, stepwise_http.add_content), methods=["POST"]),
        Route(f"{document}/encryption-key", _guarded(dialect, stepwise_http.encryption_key), methods=["GET"]),
    ]


def create_digipost_app(runtime_of: Callable[[], Runtime]) -> Starlette:
    dialect = DigipostDialect(runtime_of)
    send_route = Route("/messages", _guarded(dialect, send_message), methods=["POST"])
    routes = [
        Route("/", _guarded(dialect, _entrypoint), methods=["GET"]),
        send_route,
        Route("/{sender_id:int}", _guarded(dialect, _sender_entrypoint), methods=["GET"]),
        *_stepwise_routes(dialect),
        Route("/identification", _guarded(dialect, identification.identify_recipient), methods=["POST"]),
        Route(
            "/identification/with-encryption-key",
            _guarded(dialect, identification.identify_recipient_with_encryption_key),
            methods=["POST"],
        ),
        Route(
            "/recipients/search/{query:path}", _guarded(dialect, search.search_recipients), methods=["GET"]
        ),
        Route(
            "/recipients/suggest/{query:path}", _guarded(dialect, search.suggest_recipients), methods=["GET"]
        ),
        Route("/recipients/{address}", _guarded(dialect, search.recipient_by_address), methods=["GET"]),
        Route("/batches", _guarded(dialect, batches_http.create_batch), methods=["POST"]),
        Route("/batches/{batch_uuid}", _guarded(dialect, batches_http.get_batch), methods=["GET"]),
        Route("/batches/{batch_uuid}", _guarded(dialect, batches_http.cancel), methods=["DELETE"]),
        Route("/batches/{batch_uuid}/complete", _guarded(dialect, batches_http.complete), methods=["POST"]),
        Route(
            "/senders/information", _guarded(dialect, sender_information.sender_information), methods=["GET"]
        ),
        Route(
            "/senders/information/{sender_id}",
            _guarded(dialect, sender_information.sender_information),
            methods=["GET"],
        ),
        Route("/documents/events", _guarded(dialect, document_events.document_events), methods=["GET"]),
        Route("/documents/{uuid}", _guarded(dialect, document_status.document_status), methods=["GET"]),
        Route(
            "/documents/{sender_id}/{uuid}/status",
            _guarded(dialect, document_status.document_status),
            methods=["GET"],
        ),
        Route(
            "/documents/{sender_id}/{uuid}",
            _guarded(dialect, document_status.document_status),
            methods=["GET"],
        ),
        Route(
            "/documents/{sender_id}/{uuid}/add-data",
            _guarded(dialect, additional_data.add_additional_data),
            methods=["POST"],
        ),
        Route(
            "/{sender_id:int}/share-documents-requests/uuid/{uuid}",
            _guarded(dialect, sharing_http.get_state),
            methods=["GET"],
        ),
        Route(
            "/{sender_id:int}/share-documents-requests/uuid/{uuid}/stop",
            _guarded(dialect, sharing_http.stop),
            methods=["POST"],
        ),
        Route(
            "/{sender_id:int}/share-documents-requests/uuid/{uuid}/documents/{document_id}/content",
            _guarded(dialect, sharing_http.get_content),
            methods=["GET"],
        ),
        Route(
            "/{sender_id:int}/share-documents-requests/uuid/{uuid}/documents/{document_id}/content/stream",
            _guarded(dialect, sharing_http.get_content_stream),
            methods=["GET"],
        ),
        Route("/shared/{token}", _guarded(dialect, sharing_http.view_shared_document), methods=["GET"]),
        *_archive_routes(dialect),
        *_inbox_routes(dialect),
        Route(
            "/print-encryption-certificate",
            _guarded(dialect, print_certificate_http.print_encryption_certificate),
            methods=["GET"],
        ),
        Route("/tags/add", _guarded(dialect, tags_http.add), methods=["POST"]),
        Route("/tags/remove", _guarded(dialect, tags_http.remove), methods=["POST"]),
        Route("/tags", _guarded(dialect, tags_http.get), methods=["GET"]),
        *(
            Route(path, _guarded(dialect, user_accounts_http.create_or_activate), methods=["POST"])
            for path in ("/user-accounts", "/{sender_id:int}/user-accounts")
        ),
        Route(
            "/{rest:path}",
            _guarded(dialect, _no_such_resource),
            methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        ),
    ]
    app = Starlette(routes=routes)
    app.state.dialect = dialect
    # Guarded (every failure answered as a signed error) and body-limited: fit for a direct lane.
    app.state.direct_routes = [send_route]
    return app
