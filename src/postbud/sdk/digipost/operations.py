"""Every API operation as data: which request to make and how to read the answer (no I/O here).

The sync and async clients both build these `Call`s and differ only in how they send them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import quote, urljoin
from uuid import UUID

from postbud.domain.datatypes import DataType, ShareDocumentsRequestSharingStopped

from . import xml_in, xml_out
from .batch import Batch
from .config import DigipostConfig
from .delivery import DeliveredDocument, MessageDelivery
from .errors import InvalidRequestError, MissingLinkError
from .events import DocumentEvents
from .identification import IdentificationResult
from .links import Entrypoint, Link, Relation
from .message import Document, Message, SenderOrganization
from .multipart import XML_V8, multipart_body
from .recipients import IdentificationTarget
from .sender_information import SenderInformation
from .sharing import SharedDocument, SharedDocumentContent, ShareDocumentsRequestState
from .status import DocumentStatus
from .transport import ApiRequest, ApiResponse

__all__ = [
    "Call",
    "ContentSource",
    "add_data",
    "cancel_batch",
    "complete_batch",
    "create_batch",
    "document_events",
    "document_status",
    "entrypoint",
    "get_batch",
    "identify",
    "match_contents",
    "send",
    "sender_information",
    "share_documents_request_state",
    "shared_document_content",
    "shared_document_stream",
    "stop_sharing",
    "with_default_sender",
]

T = TypeVar("T")
ContentSource = bytes | str | os.PathLike[str]
"""Document content: the bytes themselves, or a path to a file holding them."""


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    request: ApiRequest
    read: Callable[[ApiResponse], T]


def _required(link: Link | None, relation: str, where: str) -> Link:
    if link is None:
        raise MissingLinkError(relation, where)
    return link


def _root_link(root: Entrypoint, relation: Relation) -> Link:
    return _required(root.link(relation), relation, "the entrypoint")


def _nothing(_: ApiResponse) -> None:
    return None


def entrypoint(config: DigipostConfig, sender_id: int | None = None) -> Call[Entrypoint]:
    """``GET /`` or the sender-scoped ``GET /{senderId}``."""
    url = config.base_url + ("/" if sender_id is None else f"/{sender_id}")
    return Call(ApiRequest("GET", url), lambda response: xml_in.entrypoint(response.body))


# ------------------------------------------------------------------------------------ sending


def match_contents(
    message: Message, contents: Mapping[UUID | str, ContentSource]
) -> list[tuple[Document, ContentSource]]:
    """Pair every document with its content, by uuid; every document needs one and no extras."""
    by_uuid: dict[UUID, ContentSource] = {}
    for key, source in contents.items():
        try:
            by_uuid[key if isinstance(key, UUID) else UUID(str(key))] = source
        except ValueError:
            raise InvalidRequestError("DOCUMENTS_AND_FILES_MISMATCH", [f"{key!r} is not a uuid"]) from None
    missing = [str(d.uuid) for d in message.documents if d.uuid not in by_uuid]
    extra = sorted(str(u) for u in set(by_uuid) - {d.uuid for d in message.documents})
    problems = [f"no content for document {u}" for u in missing] + [
        f"content for unknown document {u}" for u in extra
    ]
    if problems:
        raise InvalidRequestError("DOCUMENTS_AND_FILES_MISMATCH", problems)
    return [(document, by_uuid[document.uuid]) for document in message.documents]


def with_default_sender(config: DigipostConfig, message: Message) -> Message:
    """A message naming no sender is sent as the configured sender (when one is configured)."""
    if message.sender_id is not None or message.sender_organization is not None or config.sender_id is None:
        return message
    return replace(message, sender_id=config.sender_id)


def send(
    config: DigipostConfig, root: Entrypoint, message: Message, documents: Sequence[tuple[Document, bytes]]
) -> Call[MessageDelivery]:
    link = _root_link(root, Relation.CREATE_MESSAGE)
    body, content_type = multipart_body(xml_out.message_xml(with_default_sender(config, message)), documents)
    request = ApiRequest("POST", link.uri, body, content_type, extra_headers={"MIME-Version": "1.0"})
    return Call(request, lambda response: xml_in.message_delivery(response.body))


# ------------------------------------------------------------------------------------ identification


def identify(
    root: Entrypoint, target: IdentificationTarget, *, include_person_alias: bool
) -> Call[IdentificationResult]:
    link = _root_link(root, Relation.IDENTIFY_RECIPIENT)
    body = xml_out.identification_xml(target, include_person_alias=include_person_alias)
    request = ApiRequest("POST", link.uri, body, XML_V8)
    return Call(request, lambda response: xml_in.identification_result(response.body))


# ------------------------------------------------------------------------------------ status and events


def document_status(
    config: DigipostConfig, document: UUID | str | Link, sender_id: int
) -> Call[DocumentStatus]:
    """A status link as given, or the documented ``/documents/{senderId}/{uuid}/status`` (as Java)."""
    if isinstance(document, Link):
        url = document.uri
    else:
        url = f"{config.base_url}/documents/{sender_id}/{UUID(str(document))}/status"
    return Call(ApiRequest("GET", url), lambda response: xml_in.document_status(response.body))


def _timestamp(value: datetime) -> str:
    if value.utcoffset() is None:
        raise InvalidRequestError("INVALID_DATE", [f"{value!r} has no time zone"])
    # Java: yyyy-MM-dd'T'HH:mm:ss.SSSxxx, percent-encoded (':' and '+' included) by URIBuilder.
    return quote(value.isoformat(timespec="milliseconds"), safe="")


def document_events(
    root: Entrypoint,
    start: datetime,
    end: datetime,
    *,
    offset: int,
    max_results: int,
    sender_id: int | None,
) -> Call[DocumentEvents]:
    if offset < 0 or max_results < 1:
        raise InvalidRequestError("INVALID_QUERY_PARAMETER", ["offset must be ≥ 0 and max_results ≥ 1"])
    if end < start:
        raise InvalidRequestError("INVALID_DATE_RANGE", ["'to' is before 'from'"])
    link = _root_link(root, Relation.DOCUMENT_EVENTS)
    query = f"from={_timestamp(start)}&to={_timestamp(end)}&offset={offset}&maxResults={max_results}"
    if sender_id is not None:
        query += f"&sender={sender_id}"
    separator = "&" if "?" in link.uri else "?"
    return Call(ApiRequest("GET", link.uri + separator + query), lambda r: xml_in.document_events(r.body))


# ------------------------------------------------------------------------------------ sharing


def share_documents_request_state(
    sender_root: Entrypoint, request_uuid: UUID | str
) -> Call[ShareDocumentsRequestState]:
    link = _required(
        sender_root.link(Relation.GET_SHARE_DOCUMENTS_REQUEST_STATE),
        Relation.GET_SHARE_DOCUMENTS_REQUEST_STATE,
        "the sender entrypoint",
    )
    url = link.uri + str(UUID(str(request_uuid)))
    return Call(ApiRequest("GET", url), lambda response: xml_in.share_documents_request_state(response.body))


def _shared_link(document: SharedDocument | Link, relation: Relation) -> Link:
    if isinstance(document, Link):
        return document
    link = (
        document.content_link
        if relation is Relation.GET_SHARED_DOCUMENT_CONTENT
        else document.content_stream_link
    )
    return _required(link, relation, "the shared document")


def shared_document_content(document: SharedDocument | Link) -> Call[SharedDocumentContent]:
    link = _shared_link(document, Relation.GET_SHARED_DOCUMENT_CONTENT)
    return Call(ApiRequest("GET", link.uri), lambda response: xml_in.shared_document_content(response.body))


def shared_document_stream(document: SharedDocument | Link) -> Call[bytes]:
    link = _shared_link(document, Relation.GET_SHARED_DOCUMENT_CONTENT_STREAM)
    return Call(ApiRequest("GET", link.uri, accept="*/*"), lambda response: response.body)


def stop_sharing(state: ShareDocumentsRequestState | Link, sender_id: int) -> Call[None]:
    link = (
        state
        if isinstance(state, Link)
        else _required(state.stop_sharing_link, Relation.STOP_SHARING, "the state")
    )
    return add_data(link, ShareDocumentsRequestSharingStopped(), sender_id=sender_id)


# ------------------------------------------------------------------------------------ additional data


def add_data(
    document: DeliveredDocument | Link,
    datatype: DataType,
    *,
    sender_id: int | None = None,
    sender_organization: SenderOrganization | None = None,
) -> Call[None]:
    link = (
        document
        if isinstance(document, Link)
        else _required(document.add_data_link, Relation.ADD_DATA, "the document")
    )
    body = xml_out.additional_data_xml(datatype, sender_id=sender_id, sender_organization=sender_organization)
    return Call(ApiRequest("POST", link.uri, body, XML_V8), _nothing)


# ------------------------------------------------------------------------------------ batches


def create_batch(root: Entrypoint, batch_uuid: UUID) -> Call[Batch]:
    link = _root_link(root, Relation.CREATE_BATCH)
    request = ApiRequest("POST", link.uri, xml_out.batch_xml(batch_uuid), XML_V8)
    return Call(request, lambda response: xml_in.batch(response.body))


def get_batch(root: Entrypoint, batch_uuid: UUID | str) -> Call[Batch]:
    link = _root_link(root, Relation.GET_BATCH)
    url = urljoin(link.uri, str(UUID(str(batch_uuid))))  # Java: URI.resolve
    return Call(ApiRequest("GET", url), lambda response: xml_in.batch(response.body))


def _batch_or_none(response: ApiResponse) -> Batch | None:
    return xml_in.batch(response.body) if response.body.strip() else None


def complete_batch(batch: Batch) -> Call[Batch | None]:
    """POST without a body; the answer is the batch, or empty (the client then fetches it)."""
    link = _required(batch.complete_link, Relation.COMPLETE_BATCH, "the batch")
    return Call(ApiRequest("POST", link.uri), _batch_or_none)


def cancel_batch(batch: Batch) -> Call[None]:
    link = _required(batch.cancel_link, Relation.SELF_DELETE, "the batch")
    return Call(ApiRequest("DELETE", link.uri), _nothing)


# ------------------------------------------------------------------------------------ sender information


def sender_information(root: Entrypoint, sender_id: int) -> Call[SenderInformation]:
    link = _root_link(root, Relation.GET_SENDER_INFORMATION)
    return Call(ApiRequest("GET", f"{link.uri}/{sender_id}"), lambda r: xml_in.sender_information(r.body))
