"""POST {add_data}: additional data for a sent document (``/documents/{senderId}/{uuid}/add-data``).

The body is an ``additional-data`` element: one datatype, optionally the sender. Success is 200
with an empty (signed) body. Once the document is known, every refusal is also recorded on its
letter as a REJECTED event, so the sender's log shows what was turned away and why.
"""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.datatypes_xml import parse_datatype
from postbud.dialects.digipost.document_status import OwnDocument, find_own_document
from postbud.dialects.digipost.errors import DigipostError, datatype_invalid
from postbud.dialects.digipost.request_in import xml_element
from postbud.dialects.digipost.responses import signed
from postbud.dialects.digipost.schema import DEFAULT_MAX_BYTES, namespace
from postbud.domain.datatypes import DataType, DataTypeInvalid
from postbud.domain.errors import Conflict, NotFound, ValidationFailed
from postbud.services.letters.add_data import AddData, add_data, reject_data

_V8 = namespace(8)
# .NET sends "application/vnd.digipost-v8+xml; boundary=…"; only the media type itself counts.
_XML_MEDIA_TYPES = frozenset({"application/vnd.digipost-v8+xml", "application/xml", "text/xml", ""})


def _check_media_type(content_type: str) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in _XML_MEDIA_TYPES:
        raise DigipostError(
            "ILLEGAL_CONTENT_TYPE",
            f"additional data is sent as application/vnd.digipost-v8+xml, not {content_type!r}",
            415,
        )


def _envelope(body: bytes) -> etree._Element:
    return xml_element(body, "additional-data")


def _check_sender(root: etree._Element, found: OwnDocument) -> None:
    sender_id = root.findtext(f"{{{_V8}}}sender-id")
    organisation = root.findtext(f"{{{_V8}}}sender-organization/{{{_V8}}}organization-id")
    if sender_id is not None and int(sender_id) != found.sender.digipost_id:
        raise DigipostError("BROKER_NOT_AUTHORIZED", f"the document was not sent by sender {sender_id}", 403)
    if organisation is not None and organisation != found.sender.organisation_number:
        raise DigipostError(
            "BROKER_NOT_AUTHORIZED", f"the document was not sent by organisation {organisation}", 403
        )


def _datatype(root: etree._Element) -> DataType:
    holder = root.find(f"{{{_V8}}}data-type")
    assert holder is not None  # the schema requires one data-type holding exactly one datatype element
    try:
        return parse_datatype(holder[0])
    except DataTypeInvalid as exc:
        raise datatype_invalid("additional-data/data-type", exc) from exc


def _read(request: Request, body: bytes, found: OwnDocument) -> DataType:
    _check_media_type(request.headers.get("content-type", ""))
    root = _envelope(body)
    _check_sender(root, found)
    return _datatype(root)


async def add_additional_data(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, DEFAULT_MAX_BYTES)
    broker = await authenticate(dialect, request, body_sha256)
    found = await find_own_document(
        dialect, broker, request.path_params["sender_id"], request.path_params["uuid"]
    )
    shipment_id, document_id = found.shipment.id, found.document.id
    try:
        datatype = _read(request, body, found)
    except DigipostError as exc:
        reason = f"{exc.code}: {exc.message}"
        await reject_data(dialect.runtime, found.sender.id, shipment_id, document_id, reason)
        raise
    try:
        await add_data(AddData(found.sender.id, shipment_id, document_id, datatype), dialect.runtime)
    except ValidationFailed as exc:
        raise DigipostError("VALIDATION_FAILED", str(exc)) from exc
    except Conflict as exc:  # as stop_sharing answers: the sharing is already over
        raise DigipostError("INVALID_TRANSACTION", f"cannot stop sharing: {exc.rule}", 409) from exc
    except NotFound as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", str(exc), 404) from exc
    return signed(dialect, request, b"")
