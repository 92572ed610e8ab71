"""A message sent in steps (the legacy flow, reference §5.5), as it waits for its documents.

``POST /messages`` with the ``message`` alone (no multipart) makes a core draft whose properties keep
the message as the sender wrote it; each document's content is then uploaded to its ``add_content``
link, and ``POST {send}`` sends the letter. Until then the message is ``NOT_COMPLETE``: its
``message-delivery`` repeats the declared documents, each with its ``add_content`` link while its
content is missing (and ``get_encryption_key`` when it is to be pre-encrypted), and the message's
``send`` and ``self`` links.
"""

from __future__ import annotations

import base64
import copy
import uuid
from dataclasses import dataclass

from lxml import etree

from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.render import link
from postbud.dialects.digipost.request_in import xml_element
from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime

MESSAGE_PROPERTY = "digipost.stepwise-message"
"""The shipment property holding the message XML of a letter sent in steps."""


@dataclass(frozen=True, slots=True)
class Declared:
    """The message a draft was made from: its root element and its documents' uuids (primary first)."""

    root: etree._Element
    version: int
    uuids: tuple[str, ...]

    @property
    def primary(self) -> str:
        return self.uuids[0]

    def document(self, document_uuid: str) -> etree._Element:
        for element in self._documents():
            if _uuid_of(element) == document_uuid:
                return element
        raise DigipostError("DOCUMENT_NOT_FOUND", f"the message has no document {document_uuid}", 404)

    def encrypted(self, document_uuid: str) -> bool:
        return _child(self.document(document_uuid), "encrypted") is not None

    def _documents(self) -> list[etree._Element]:
        return [el for el in self.root if _local(el) in ("primary-document", "attachment")]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if _local(c) == name), None)


def _uuid_of(document: etree._Element) -> str:
    found = _child(document, "uuid")
    return (found.text or "").strip() if found is not None else ""


def declared_uuids(root: etree._Element) -> tuple[str, ...]:
    """The documents' uuids (primary first); each must be there, as it names the upload."""
    uuids = []
    for element in root:
        if _local(element) not in ("primary-document", "attachment"):
            continue
        found = _uuid_of(element)
        if not found:
            raise DigipostError(
                "VALIDATION_FAILED", f"{_local(element)}/uuid is required in a message sent in steps"
            )
        uuids.append(found)
    return tuple(uuids)


def declared(shipment: Shipment) -> Declared:
    """The message of a draft made by the stepwise flow (any other letter: MESSAGE_NOT_FOUND)."""
    xml = shipment.properties.get(MESSAGE_PROPERTY)
    if xml is None:
        raise DigipostError("MESSAGE_NOT_FOUND", f"message {shipment.id} was not sent in steps", 404)
    root = etree.fromstring(xml.encode())  # our own copy of XML that passed the XSD
    version = 7 if "v7" in (etree.QName(root).namespace or "") else 8
    return Declared(root, version, declared_uuids(root))


def message_of(data: bytes, version: int) -> etree._Element:
    return xml_element(data, "message", 8 if version == 8 else 7, what="the message")


async def own_letter(runtime: Runtime, sender_id: uuid.UUID, message: str) -> Shipment:
    """The sender's letter named by the id in its links, draft or sent; else MESSAGE_NOT_FOUND."""
    try:
        shipment_id = uuid.UUID(message)
    except ValueError:
        shipment_id = None
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id) if shipment_id is not None else None
    if shipment is None or shipment.sender_id != sender_id:
        raise DigipostError("MESSAGE_NOT_FOUND", f"no message {message}", 404)
    return shipment


def links_base(base: str, shipment: Shipment) -> str:
    return f"{base}/messages/{shipment.id}"


def not_complete(shipment: Shipment, message: Declared, *, sender_id: int, base: str) -> etree._Element:
    """``message-delivery`` with status ``NOT_COMPLETE``: what is declared, what still needs content."""
    root_ns = etree.QName(message.root).namespace or ""

    def q(name: str) -> str:
        return f"{{{root_ns}}}{name}"

    delivery = etree.Element(q("message-delivery"), nsmap={None: root_ns})
    if shipment.external_id:
        etree.SubElement(delivery, q("message-id")).text = shipment.external_id
    direct_to_print = not shipment.channels and shipment.print_instructions is not None
    etree.SubElement(delivery, q("delivery-method")).text = "PRINT" if direct_to_print else "DIGIPOST"
    etree.SubElement(delivery, q("sender-id")).text = str(sender_id)
    etree.SubElement(delivery, q("status")).text = "NOT_COMPLETE"
    uploaded = {d.external_id: d for d in shipment.documents}
    here = links_base(base, shipment)
    for document_uuid in message.uuids:
        source = message.document(document_uuid)
        element = copy.deepcopy(source)
        element.tag = q(_local(source))
        for stale in [c for c in element if _local(c) in ("content-hash", "link")]:
            element.remove(stale)
        data_type = _child(element, "data-type")
        if data_type is not None:
            element.remove(data_type)
        stored = uploaded.get(document_uuid)
        if stored is not None:
            digest = base64.b64encode(bytes.fromhex(stored.sha256)).decode()
            etree.SubElement(element, q("content-hash"), {"hash-algorithm": "SHA256"}).text = digest
        else:
            link(
                element,
                root_ns,
                base,
                "add_content",
                f"{here}/documents/{document_uuid}/content",
                message.version,
            )
        if message.encrypted(document_uuid):
            key_uri = f"{here}/documents/{document_uuid}/encryption-key"
            link(element, root_ns, base, "get_encryption_key", key_uri, message.version)
        if data_type is not None:
            element.append(data_type)
        delivery.append(element)
    link(delivery, root_ns, base, "send", f"{here}/send", message.version)
    link(delivery, root_ns, base, "self", here, message.version)
    return delivery
