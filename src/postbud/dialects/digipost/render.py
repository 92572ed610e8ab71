"""Core state rendered as Digipost XML: entrypoint and message-delivery."""

from __future__ import annotations

import base64

from lxml import etree

from postbud.dialects.digipost.event_vocabulary import PENDING
from postbud.dialects.digipost.schema import namespace
from postbud.domain.channels import Channel
from postbud.domain.datatypes import COMPLEMENTED_BY
from postbud.domain.documents import AuthenticationLevel, Document, Sensitivity
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus

AUTHENTICATION_NAME = {
    AuthenticationLevel.PASSWORD: "PASSWORD",
    AuthenticationLevel.TWO_FACTOR: "TWO_FACTOR",
    AuthenticationLevel.IDPORTEN_3: "IDPORTEN_3",
    AuthenticationLevel.IDPORTEN_4: "IDPORTEN_4",
}
SENSITIVITY_NAME = {Sensitivity.NORMAL: "NORMAL", Sensitivity.SENSITIVE: "SENSITIVE"}

# Relations every client looks up in the root entrypoint; the value is the path under the base URL.
ROOT_LINKS = {
    "create_message": "/messages",
    "search": "/recipients/search",
    "autocomplete": "/recipients/suggest",
    "identify_recipient": "/identification",
    "identify_recipient_with_encryption_key": "/identification/with-encryption-key",
    "document_events": "/documents/events",
    "create_batch": "/batches",
    "get_batch": "/batches/",
    "get_sender_information": "/senders/information",
    "archive_documents": "/archives/documents",
    "add_tag": "/tags/add",
    "remove_tag": "/tags/remove",
    "get_tags": "/tags",
    "create_or_activate_user_account": "/user-accounts",
    "get_print_encryption_certificate": "/print-encryption-certificate",
}

# Sender-scoped relations; in the root entrypoint (no sender id) they are the broker's own.
SENDER_LINKS = {
    "get_archives": "/archives",
    "get_archive_document_by_uuid": "/archives/documents/uuid/",
    "get_archive_documents_by_referenceid": "/archives/documents/referenceid/",
    "get_inbox": "/inbox",
}


def _el(parent: etree._Element, ns: str, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        child.text = text
    return child


def link(parent: etree._Element, ns: str, base: str, rel: str, uri: str, version: int = 8) -> None:
    el = _el(parent, ns, "link")
    el.set("rel", f"{base}/relations/{rel}")
    el.set("uri", uri)
    el.set("media-type", f"application/vnd.digipost-v{version}+xml")


def entrypoint(base: str, certificate_pem: str, *, sender_id: int | None = None) -> etree._Element:
    ns = namespace(8)
    root = etree.Element(f"{{{ns}}}entrypoint", nsmap={None: ns})
    _el(root, ns, "certificate", certificate_pem)
    for rel, path in ROOT_LINKS.items():
        link(root, ns, base, rel, base + path)
    scope = f"{base}/{sender_id}" if sender_id is not None else base
    for rel, path in SENDER_LINKS.items():
        link(root, ns, base, rel, scope + path)
    if sender_id is not None:
        link(
            root, ns, base, "get_share_documents_request_state",
            f"{base}/{sender_id}/share-documents-requests/uuid/",
        )  # fmt: skip
        link(root, ns, base, "document_status", f"{base}/documents/{sender_id}/")
    else:  # .NET's DocumentsApi() without a sender reads the root entrypoint: the broker's own documents
        link(root, ns, base, "document_status", f"{base}/documents/")
    link(root, ns, base, "self", base + (f"/{sender_id}" if sender_id is not None else "/"))
    return root


def delivery_status(shipment: Shipment) -> tuple[str, str]:
    """(delivery-method, status) as Digipost reports them for a just-accepted message."""
    if shipment.channel is Channel.PRINT:
        return "PRINT", "DELIVERED_TO_PRINT"
    if shipment.channel is Channel.EMAIL:
        return "EPOST", "DELIVERED"
    if shipment.channel is Channel.EINVOICE:
        return "PEPPOL", "DELIVERED"
    held = shipment.status is ShipmentStatus.SCHEDULED
    if shipment.channel is None and held:
        # Waiting for the recipient to register. COMPLETE: the content is all there (NOT_COMPLETE
        # meant "upload the documents" in the old stepwise flow) and it is not delivered yet.
        return PENDING, "COMPLETE"
    return "DIGIPOST", "COMPLETE" if held else "DELIVERED"


def add_data_uri(base: str, sender_id: int, doc: Document) -> str | None:
    """Where additional data for ``doc`` is posted, if its datatype can be complemented at all."""
    kind = str((doc.datatype or {}).get("kind"))
    if not doc.external_id or not COMPLEMENTED_BY.get(kind):
        return None
    return f"{base}/documents/{sender_id}/{doc.external_id}/add-data"


def _document(
    parent: etree._Element,
    ns: str,
    tag: str,
    doc: Document,
    *,
    add_data: tuple[str, str] | None = None,
) -> None:
    """``add_data``, when given, is (base URL, URI) of the document's ``add_data`` link."""
    el = _el(parent, ns, tag)
    if doc.external_id:
        _el(el, ns, "uuid", doc.external_id)
    _el(el, ns, "subject", doc.title or "")
    _el(el, ns, "file-type", doc.file_type)
    if doc.opening_receipt:
        _el(el, ns, "opening-receipt", "true")
    _el(el, ns, "authentication-level", AUTHENTICATION_NAME[doc.authentication])
    _el(el, ns, "sensitivity-level", SENSITIVITY_NAME[doc.sensitivity])
    digest = base64.b64encode(bytes.fromhex(doc.sha256)).decode()
    _el(el, ns, "content-hash", digest).set("hash-algorithm", "SHA256")
    if add_data is not None:
        link(el, ns, add_data[0], "add_data", add_data[1])


def message_delivery(
    shipment: Shipment, *, sender_id: int, version: int = 8, base: str | None = None
) -> etree._Element:
    """With ``base`` (v8), documents whose datatype can be complemented get an ``add_data`` link."""
    ns = namespace(8 if version == 8 else 7)
    root = etree.Element(f"{{{ns}}}message-delivery", nsmap={None: ns})
    if shipment.external_id:
        _el(root, ns, "message-id", shipment.external_id)
    method, status = delivery_status(shipment)
    _el(root, ns, "delivery-method", method)
    _el(root, ns, "sender-id", str(sender_id))
    _el(root, ns, "status", status)
    if method != PENDING:  # not delivered, and when it will be is not known yet
        delivered_at = shipment.publish_at or shipment.created_at
        _el(root, ns, "delivery-time", delivered_at.isoformat(timespec="milliseconds"))
    for doc in shipment.documents:
        tag = "primary-document" if doc.is_primary else "attachment"
        uri = add_data_uri(base, sender_id, doc) if base is not None and version == 8 else None
        _document(root, ns, tag, doc, add_data=(base, uri) if base and uri else None)
    return root
