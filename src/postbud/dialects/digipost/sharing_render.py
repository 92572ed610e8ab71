"""A sharing request's state as Digipost XML: ``share-documents-request-state`` and its content links.

Documents are listed, with their content links, only while the sharing is active; once it has
expired, been withdrawn or stopped, the list is empty (the wrapper is always there) and only the
times remain. The Java client dereferences a shared document's content links unconditionally, so a
listed document without links would break it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from lxml import etree

from postbud.dialects.digipost.render import link
from postbud.dialects.digipost.schema import namespace
from postbud.services.inbox.sharing import OriginKind, SharedDocument, SharingState

NS = namespace(8)


def request_uri(base: str, sender_id: int, request_uuid: str) -> str:
    return f"{base}/{sender_id}/share-documents-requests/uuid/{request_uuid}"


def content_uri(base: str, sender_id: int, request_uuid: str, document_id: uuid.UUID) -> str:
    return f"{request_uri(base, sender_id, request_uuid)}/documents/{document_id}/content"


def stop_uri(base: str, sender_id: int, request_uuid: str) -> str:
    return f"{request_uri(base, sender_id, request_uuid)}/stop"


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        child.text = text
    return child


def _time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def _shared_document(
    parent: etree._Element, doc: SharedDocument, *, base: str, sender_id: int, request_uuid: str
) -> None:
    el = _el(parent, "shared-document")
    _el(el, "delivery-time", _time(doc.delivered_at))
    _el(el, "subject", doc.subject)
    _el(el, "file-type", doc.file_type)
    _el(el, "file-size-bytes", str(doc.size))
    origin = _el(el, "origin")
    if doc.origin_kind is OriginKind.ORGANISATION:
        organisation = _el(origin, "organisation")
        organisation.set("organisation-number", doc.origin_organisation_number or "")
        if doc.origin_name:
            organisation.set("name", doc.origin_name)
    else:
        person = _el(origin, "private-person")
        if doc.origin_name:
            person.set("name", doc.origin_name)
    content = content_uri(base, sender_id, request_uuid, doc.id)
    link(el, NS, base, "get_shared_document_content", content)
    link(el, NS, base, "get_shared_document_content_stream", content + "/stream")


def share_documents_request_state(
    state: SharingState, *, base: str, sender_id: int, request_uuid: str
) -> etree._Element:
    root = etree.Element(f"{{{NS}}}share-documents-request-state", nsmap={None: NS})
    documents = _el(root, "shared-documents")
    if state.active:
        for doc in state.documents:
            _shared_document(documents, doc, base=base, sender_id=sender_id, request_uuid=request_uuid)
    if state.shared_at is not None:
        _el(root, "shared-at-time", _time(state.shared_at))
    if state.expires_at is not None:
        _el(root, "expiry-time", _time(state.expires_at))
    if state.withdrawn_at is not None:
        _el(root, "withdrawn-time", _time(state.withdrawn_at))
    if state.active:
        link(root, NS, base, "stop_sharing", stop_uri(base, sender_id, request_uuid))
    return root


def shared_document_content(content_type: str, uri: str) -> etree._Element:
    root = etree.Element(f"{{{NS}}}shared-document-content", nsmap={None: NS})
    _el(root, "content-type", content_type)
    _el(root, "uri", uri)
    return root
