"""Incoming XML: the server's v8 elements → typed models.

Bodies are parsed without DTDs, entities or network access. Anything that does not read as the
promised element raises :class:`UnexpectedResponseError`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from lxml import etree

from postbud.dialects.digipost.datatypes_xml import parse_datatype
from postbud.domain.datatypes import DataType, DataTypeInvalid

from .batch import Batch, BatchStatus
from .delivery import Channel, ContentHash, DeliveredDocument, MessageDelivery, MessageStatus
from .errors import DigipostApiError, ErrorType, UnexpectedResponseError
from .events import (
    DocumentEvent,
    DocumentEvents,
    DocumentEventType,
    DocumentMetadata,
    EmailDeliveredMetadata,
    EmailNotificationFailedMetadata,
    EventMetadata,
    FailedPeppolMetadata,
    FailedPrintMetadata,
    MoveFilesFromPublicSectorMetadata,
    PostmarkedMetadata,
    RequestForRegistrationExpiredMetadata,
    SmsNotificationFailedMetadata,
)
from .identification import IdentificationResult, IdentificationResultCode, InvalidReason, UnidentifiedReason
from .links import Entrypoint, Link
from .message import AuthenticationLevel, SensitivityLevel
from .sender_information import SenderFeature, SenderInformation, SenderStatus
from .sharing import (
    OrganisationOrigin,
    PrivatePersonOrigin,
    SharedDocument,
    SharedDocumentContent,
    SharedDocumentOrigin,
    ShareDocumentsRequestState,
)
from .status import DeliveryStatus, DocumentStatus, HashAlgorithm
from .xml_elements import child_elements, child_text

__all__ = [
    "api_error",
    "batch",
    "document_events",
    "document_status",
    "entrypoint",
    "identification_result",
    "message_delivery",
    "parse",
    "sender_information",
    "share_documents_request_state",
    "shared_document_content",
]

_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
E = TypeVar("E", bound=StrEnum)


def parse(body: bytes, expected: str) -> etree._Element:
    """The root element of ``body``, which must be ``expected`` (any namespace version)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise UnexpectedResponseError(f"the response is not XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise UnexpectedResponseError("the response carries a DOCTYPE")
    if etree.QName(root).localname != expected:
        raise UnexpectedResponseError(f"expected a {expected} element, got {etree.QName(root).localname}")
    return root


# ------------------------------------------------------------------------------------ helpers


def _child(el: etree._Element, name: str) -> etree._Element | None:
    found = child_elements(el, name)
    return found[0] if found else None


def _required(value: str | None, what: str) -> str:
    if value is None:
        raise UnexpectedResponseError(f"the response lacks {what}")
    return value


def _datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise UnexpectedResponseError(f"{value!r} is not an ISO-8601 date-time") from None


def _required_datetime(value: str | None, what: str) -> datetime:
    parsed = _datetime(_required(value, what))
    assert parsed is not None
    return parsed


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise UnexpectedResponseError(f"{value!r} is not a number") from None


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip() in ("true", "1")


def _uuid(value: str | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        raise UnexpectedResponseError(f"{value!r} is not a uuid") from None


def _required_uuid(value: str | None, what: str) -> UUID:
    parsed = _uuid(_required(value, what))
    assert parsed is not None
    return parsed


def _required_int(value: str | None, what: str) -> int:
    parsed = _int(_required(value, what))
    assert parsed is not None
    return parsed


def _enum(kind: type[E], value: str | None) -> E | None:
    if value is None:
        return None
    try:
        return kind(value.strip())
    except ValueError:
        raise UnexpectedResponseError(f"{value!r} is not a known {kind.__name__}") from None


def _required_enum(kind: type[E], value: str | None, what: str) -> E:
    parsed = _enum(kind, _required(value, what))
    assert parsed is not None
    return parsed


def _links(el: etree._Element) -> tuple[Link, ...]:
    return tuple(
        Link(
            rel=link.get("rel") or "",
            uri=_required(link.get("uri"), "link/@uri"),
            media_type=link.get("media-type"),
        )
        for link in child_elements(el, "link")
    )


def _data_type(el: etree._Element) -> DataType | None:
    wrapper = _child(el, "data-type")
    if wrapper is None:
        return None
    elements = [child for child in wrapper if isinstance(child.tag, str)]
    if len(elements) != 1:
        raise UnexpectedResponseError("data-type must hold exactly one datatype element")
    try:
        return parse_datatype(elements[0])
    except DataTypeInvalid as exc:
        raise UnexpectedResponseError(f"the response's datatype is invalid: {exc}") from None


# ------------------------------------------------------------------------------------ elements


def entrypoint(body: bytes) -> Entrypoint:
    root = parse(body, "entrypoint")
    certificate = child_text(root, "certificate")
    return Entrypoint(certificate_pem=certificate.strip() if certificate else None, links=_links(root))


def api_error(status: int, body: bytes) -> DigipostApiError:
    """The ``error`` element of a failed response; derived from the status when there is none."""
    try:
        root = parse(body, "error")
    except UnexpectedResponseError:
        return _error_without_body(status, body)
    error_type = _enum(ErrorType, child_text(root, "error-type"))
    return DigipostApiError(
        status,
        child_text(root, "error-code") or "GENERAL_ERROR",
        child_text(root, "error-message") or "",
        error_type or (ErrorType.SERVER if status >= 500 else ErrorType.CLIENT_TECHNICAL),
    )


def _error_without_body(status: int, body: bytes) -> DigipostApiError:
    text = body[:500].decode("utf-8", "replace")
    if status == 503:
        return DigipostApiError(status, "API_UNAVAILABLE", text, ErrorType.SERVER)
    if status >= 500:
        return DigipostApiError(status, "SERVER_ERROR", text, ErrorType.SERVER)
    return DigipostApiError(status, "CLIENT_ERROR", text, ErrorType.CLIENT_TECHNICAL)


def _delivered_document(el: etree._Element) -> DeliveredDocument:
    hash_el = _child(el, "content-hash")
    return DeliveredDocument(
        uuid=_uuid(child_text(el, "uuid")),
        subject=child_text(el, "subject"),
        file_type=_required(child_text(el, "file-type"), "document/file-type"),
        authentication_level=_enum(AuthenticationLevel, child_text(el, "authentication-level")),
        sensitivity_level=_enum(SensitivityLevel, child_text(el, "sensitivity-level")),
        content_hash=None
        if hash_el is None
        else ContentHash(hash_el.text or "", hash_el.get("hash-algorithm")),
        opening_receipt=child_text(el, "opening-receipt"),
        data_type=_data_type(el),
        links=_links(el),
    )


def message_delivery(body: bytes) -> MessageDelivery:
    root = parse(body, "message-delivery")
    primary = _child(root, "primary-document")
    if primary is None:
        raise UnexpectedResponseError("the message-delivery has no primary-document")
    return MessageDelivery(
        message_id=child_text(root, "message-id"),
        delivery_method=_required_enum(Channel, child_text(root, "delivery-method"), "delivery-method"),
        sender_id=_required_int(child_text(root, "sender-id"), "sender-id"),
        status=_required_enum(MessageStatus, child_text(root, "status"), "status"),
        delivery_time=_datetime(child_text(root, "delivery-time")),
        primary_document=_delivered_document(primary),
        attachments=tuple(_delivered_document(el) for el in child_elements(root, "attachment")),
        links=_links(root),
    )


def identification_result(body: bytes) -> IdentificationResult:
    root = parse(body, "identification-result")
    return IdentificationResult(
        result=_required_enum(IdentificationResultCode, child_text(root, "result"), "result"),
        digipost_address=child_text(root, "digipost-address"),
        person_alias=child_text(root, "person-alias"),
        unidentified_reason=_enum(UnidentifiedReason, child_text(root, "unidentified-reason")),
        invalid_reason=_enum(InvalidReason, child_text(root, "invalid-reason")),
    )


def _document_status(el: etree._Element) -> DocumentStatus:
    read = el.get("read")
    return DocumentStatus(
        uuid=_uuid(el.get("uuid")),
        sender_id=_int(el.get("sender-id")),
        status=_enum(DeliveryStatus, el.get("status")),
        created=_datetime(el.get("created")),
        delivered=_datetime(el.get("delivered")),
        read=None if read is None else read.strip() == "Y",
        channel=_enum(Channel, el.get("channel")),
        is_primary_document=_bool(el.get("is-primary-document")),
        content_hash=el.get("content-hash"),
        content_hash_algorithm=_enum(HashAlgorithm, el.get("content-hash-algorithm")),
        attachments=tuple(_document_status(child) for child in child_elements(el, "attachments")),
        links=_links(el),
    )


def document_status(body: bytes) -> DocumentStatus:
    return _document_status(parse(body, "document-status"))


def _metadata_documents(el: etree._Element) -> tuple[DocumentMetadata, ...]:
    return tuple(
        DocumentMetadata(
            uuid=_required_uuid(doc.get("uuid"), "document-metadata/@uuid"),
            technical_type=doc.get("technical-type"),
            links=_links(doc),
        )
        for doc in child_elements(el, "document")
    )


def _attr(el: etree._Element, name: str) -> str:
    return _required(el.get(name), f"metadata/@{name}")


_METADATA: dict[str, Callable[[etree._Element], EventMetadata]] = {
    "email-delivered-metadata": lambda el: EmailDeliveredMetadata(_attr(el, "email-address")),
    "email-notification-failed-metadata": lambda el: EmailNotificationFailedMetadata(
        _attr(el, "email-address"), _attr(el, "error-code")
    ),
    "sms-notification-failed-metadata": lambda el: SmsNotificationFailedMetadata(
        _attr(el, "mobile-number"), _attr(el, "error-code")
    ),
    "failed-print-metadata": lambda el: FailedPrintMetadata(_attr(el, "error-code")),
    "failed-peppol-metadata": lambda el: FailedPeppolMetadata(_attr(el, "error-code")),
    "postmarked-metadata": lambda el: PostmarkedMetadata(
        _required_datetime(el.get("postmarked-date"), "metadata/@postmarked-date")
    ),
    "request-for-registration-expired-metadata": lambda el: RequestForRegistrationExpiredMetadata(
        el.get("fallback-channel")
    ),
    "move-files-from-public-sector-metadata": lambda el: MoveFilesFromPublicSectorMetadata(
        opened=bool(_bool(_attr(el, "opened"))),
        delivery_time=_required_datetime(el.get("delivery-time"), "metadata/@delivery-time"),
        subject=_attr(el, "subject"),
        authentication_level=_required_enum(
            AuthenticationLevel, el.get("authentication-level"), "metadata/@authentication-level"
        ),
        sensitivity_level=_required_enum(
            SensitivityLevel, el.get("sensitivity-level"), "metadata/@sensitivity-level"
        ),
        destination_mailbox=_attr(el, "destination-mailbox"),
        destination_mailbox_address=_attr(el, "destination-mailbox-address"),
        documents=_metadata_documents(el),
        x509_certificate=child_text(el, "x509Certificate") or "",
    ),
}


def _metadata(el: etree._Element | None) -> EventMetadata | None:
    if el is None:
        return None
    declared = el.get(_XSI_TYPE) or ""
    local = declared.rsplit(":", 1)[-1]
    reader = _METADATA.get(local)
    if reader is None:
        raise UnexpectedResponseError(f"unknown event metadata type {declared!r}")
    return reader(el)


def document_events(body: bytes) -> DocumentEvents:
    root = parse(body, "document-events")
    return DocumentEvents(
        tuple(
            DocumentEvent(
                uuid=_required_uuid(event.get("uuid"), "event/@uuid"),
                type=_required_enum(DocumentEventType, event.get("type"), "event/@type"),
                created=_required_datetime(event.get("created"), "event/@created"),
                document_created=_required_datetime(event.get("document-created"), "event/@document-created"),
                metadata=_metadata(_child(event, "metadata")),
            )
            for event in child_elements(root, "event")
        )
    )


def _origin(el: etree._Element | None) -> SharedDocumentOrigin:
    organisation = None if el is None else _child(el, "organisation")
    if organisation is not None:
        return OrganisationOrigin(
            _required(organisation.get("organisation-number"), "organisation/@organisation-number"),
            organisation.get("name"),
        )
    person = None if el is None else _child(el, "private-person")
    if person is not None:
        return PrivatePersonOrigin(person.get("name"))
    raise UnexpectedResponseError("a shared-document has no origin")


def _shared_document(el: etree._Element) -> SharedDocument:
    return SharedDocument(
        delivery_time=_required_datetime(child_text(el, "delivery-time"), "shared-document/delivery-time"),
        subject=child_text(el, "subject") or "",
        file_type=child_text(el, "file-type") or "",
        file_size_bytes=_required_int(child_text(el, "file-size-bytes"), "shared-document/file-size-bytes"),
        origin=_origin(_child(el, "origin")),
        links=_links(el),
    )


def share_documents_request_state(body: bytes) -> ShareDocumentsRequestState:
    root = parse(body, "share-documents-request-state")
    wrapper = _child(root, "shared-documents")
    documents = (
        ()
        if wrapper is None
        else tuple(_shared_document(el) for el in child_elements(wrapper, "shared-document"))
    )
    return ShareDocumentsRequestState(
        shared_documents=documents,
        shared_at_time=_datetime(child_text(root, "shared-at-time")),
        expiry_time=_datetime(child_text(root, "expiry-time")),
        withdrawn_time=_datetime(child_text(root, "withdrawn-time")),
        links=_links(root),
    )


def shared_document_content(body: bytes) -> SharedDocumentContent:
    root = parse(body, "shared-document-content")
    return SharedDocumentContent(
        content_type=_required(child_text(root, "content-type"), "content-type"),
        uri=_required(child_text(root, "uri"), "uri"),
    )


def batch(body: bytes) -> Batch:
    root = parse(body, "batch")
    return Batch(
        uuid=_required_uuid(child_text(root, "uuid"), "batch/uuid"),
        status=_enum(BatchStatus, child_text(root, "status")),
        count_digipost=_int(child_text(root, "count-digipost")),
        count_print=_int(child_text(root, "count-print")),
        links=_links(root),
    )


def sender_information(body: bytes) -> SenderInformation:
    root = parse(body, "sender-information")
    features = _child(root, "supported-features")
    return SenderInformation(
        sender_id=_int(child_text(root, "sender-id")),
        status=_required_enum(SenderStatus, child_text(root, "status"), "status"),
        features=()
        if features is None
        else tuple(
            SenderFeature((f.text or "").strip(), f.get("param")) for f in child_elements(features, "feature")
        ),
    )
