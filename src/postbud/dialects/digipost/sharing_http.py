"""Document sharing ("Digipost Control") for the sender: state, content, content stream, stop.

- ``GET /{senderId}/share-documents-requests/uuid/{uuid}`` → ``share-documents-request-state``
  (``uuid`` is the request's primary document uuid).
- ``GET …/documents/{id}/content`` → ``shared-document-content``: the content type and a URL on
  this server (``/digipost/shared/{token}``, standing in for digipostdata.no) where a browser can
  view the document. The token is signed with a key derived from the server key and names the
  request and the document; it works exactly as long as the sharing is active.
- ``GET …/documents/{id}/content/stream`` → the raw bytes, signed like every response.
- ``POST …/stop`` with ``additional-data`` carrying ``share-documents-request-sharing-stopped``.

Once a sharing has expired, been withdrawn or stopped, fetching a document answers 404
``DOCUMENT_NOT_FOUND`` saying how the sharing ended (the real catalogue has no sharing-specific
code). Stopping a sharing that has already ended answers 409 ``INVALID_TRANSACTION``, as for other
operations on something already closed.
"""

from __future__ import annotations

import hashlib
import uuid

from cryptography.hazmat.primitives import serialization
from itsdangerous import BadSignature, URLSafeSerializer
from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.datatypes_xml import parse_datatype
from postbud.dialects.digipost.errors import DigipostError, datatype_invalid
from postbud.dialects.digipost.request_in import xml_element
from postbud.dialects.digipost.responses import signed, signed_file, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.dialects.digipost.sharing_render import share_documents_request_state, shared_document_content
from postbud.domain.datatypes import DataTypeInvalid, ShareDocumentsRequestSharingStopped
from postbud.domain.errors import Conflict, NotFound
from postbud.domain.parties import Sender
from postbud.services.inbox import sharing
from postbud.services.inbox.sharing import SharedContent

_STOP_BODY_LIMIT = 64 * 1024
_TOKEN_SALT = "postbud.digipost.shared-document"
V8 = namespace(8)


# ------------------------------------------------------------------------------------------ handlers


async def get_state(dialect: DigipostDialect, request: Request) -> Response:
    sender = await _sender(dialect, request, None)
    shipment_id = await _request_id(dialect, sender, request)
    state = await sharing.sharing_state(dialect.runtime, shipment_id)
    return _state_response(dialect, request, state)


async def get_content(dialect: DigipostDialect, request: Request) -> Response:
    sender = await _sender(dialect, request, None)
    shipment_id = await _request_id(dialect, sender, request)
    content = await _content(dialect, shipment_id, _document_id(request))
    token = _serializer(dialect).dumps([str(shipment_id), str(content.document.id)])
    root = shared_document_content(content.document.mime, f"{dialect.base_url}/shared/{token}")
    return signed(dialect, request, xml_bytes(root))


async def get_content_stream(dialect: DigipostDialect, request: Request) -> Response:
    sender = await _sender(dialect, request, None)
    shipment_id = await _request_id(dialect, sender, request)
    content = await _content(dialect, shipment_id, _document_id(request))
    return _document_response(dialect, request, content, disposition="attachment")


async def stop(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, _STOP_BODY_LIMIT)
    sender = await _sender(dialect, request, body_sha256)
    content_type = request.headers.get("content-type", "")
    if content_type and "xml" not in content_type.lower():
        raise DigipostError(
            "ILLEGAL_CONTENT_TYPE",
            f"stop_sharing takes application/vnd.digipost-v8+xml, not {content_type!r}",
            415,
        )
    _check_stop_body(body, sender)
    shipment_id = await _request_id(dialect, sender, request)
    try:
        state = await sharing.stop_sharing(dialect.runtime, shipment_id, sender.id)
    except Conflict as exc:
        raise DigipostError("INVALID_TRANSACTION", f"cannot stop sharing: {exc.rule}", 409) from exc
    return _state_response(dialect, request, state)


async def view_shared_document(dialect: DigipostDialect, request: Request) -> Response:
    """The browser view behind ``shared-document-content/uri``: no Digipost headers, the token is the key."""
    try:
        request_id, document_id = _serializer(dialect).loads(request.path_params["token"])
        shipment_id, shared_id = uuid.UUID(request_id), uuid.UUID(document_id)
    except (BadSignature, ValueError, TypeError) as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", "this shared-document link is not valid", 404) from exc
    content = await _content(dialect, shipment_id, shared_id)
    return _document_response(dialect, request, content, disposition="inline")


# ------------------------------------------------------------------------------------------ helpers


async def _sender(dialect: DigipostDialect, request: Request, body_sha256: str | None) -> Sender:
    """The authenticated broker, which must be the sender named in the path."""
    sender = (await authenticate(dialect, request, body_sha256)).sender
    assert sender is not None
    if sender.digipost_id != request.path_params["sender_id"]:
        raise DigipostError(
            "BROKER_NOT_AUTHORIZED",
            f"the broker may not act for sender {request.path_params['sender_id']}",
            403,
        )
    return sender


async def _request_id(dialect: DigipostDialect, sender: Sender, request: Request) -> uuid.UUID:
    request_uuid = request.path_params["uuid"]
    try:
        return await sharing.find_request(dialect.runtime, sender.id, request_uuid)
    except NotFound as exc:
        raise DigipostError(
            "DOCUMENT_NOT_FOUND", f"the sender has no share-documents-request with uuid {request_uuid}", 404
        ) from exc


def _document_id(request: Request) -> uuid.UUID:
    raw = request.path_params["document_id"]
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", f"no shared document {raw}", 404) from exc


async def _content(dialect: DigipostDialect, shipment_id: uuid.UUID, document_id: uuid.UUID) -> SharedContent:
    try:
        return await sharing.shared_document_content(dialect.runtime, shipment_id, document_id)
    except NotFound as exc:
        raise DigipostError(
            "DOCUMENT_NOT_FOUND", f"no shared document {document_id} in this request", 404
        ) from exc
    except Conflict as exc:
        raise DigipostError(
            "DOCUMENT_NOT_FOUND", f"the shared document is no longer available: {exc.rule}", 404
        ) from exc


def _state_response(dialect: DigipostDialect, request: Request, state: sharing.SharingState) -> Response:
    root = share_documents_request_state(
        state,
        base=dialect.base_url,
        sender_id=request.path_params["sender_id"],
        request_uuid=request.path_params["uuid"],
    )
    return signed(dialect, request, xml_bytes(root))


def _document_response(
    dialect: DigipostDialect, request: Request, content: SharedContent, *, disposition: str
) -> Response:
    doc = content.document
    filename = f"{doc.subject}.{doc.file_type}" if doc.file_type else doc.subject
    return signed_file(
        dialect,
        request,
        content.content,
        filename=filename,
        media_type=doc.mime,
        disposition=disposition,
        extra_headers={"referrer-policy": "no-referrer"},
    )


def _serializer(dialect: DigipostDialect) -> URLSafeSerializer:
    key = dialect.server_key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return URLSafeSerializer(
        hashlib.sha256(b"postbud shared-document links\0" + key).digest(), salt=_TOKEN_SALT
    )


def _check_stop_body(body: bytes, sender: Sender) -> None:
    root = xml_element(body, "additional-data")
    data_type = root.find(f"{{{V8}}}data-type")
    if data_type is None or not len(data_type):
        raise DigipostError("SCHEMA_VALIDATION_ERROR", "additional-data/data-type must hold one datatype")
    try:
        datatype = parse_datatype(data_type[0])
    except DataTypeInvalid as exc:
        raise datatype_invalid("additional-data/data-type", exc) from exc
    if not isinstance(datatype, ShareDocumentsRequestSharingStopped):
        raise DigipostError(
            "VALIDATION_FAILED",
            f"stop_sharing takes share-documents-request-sharing-stopped, not {datatype.kind}",
        )
    _check_named_sender(root, sender)


def _check_named_sender(root: etree._Element, sender: Sender) -> None:
    sender_id = root.findtext(f"{{{V8}}}sender-id")
    organisation = root.findtext(f"{{{V8}}}sender-organization/{{{V8}}}organization-id")
    if sender_id is not None and sender_id.strip() != str(sender.digipost_id):
        raise DigipostError("BROKER_NOT_AUTHORIZED", f"the body names sender {sender_id.strip()}", 403)
    if organisation is not None and organisation.strip() != sender.organisation_number:
        raise DigipostError(
            "BROKER_NOT_AUTHORIZED", f"the body names organisation {organisation.strip()}", 403
        )
