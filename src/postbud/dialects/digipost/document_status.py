"""GET /documents/{senderId}/{uuid}/status: where a sent document is, as Digipost reports it.

Java calls that path; .NET appends the uuid to the entrypoint's ``document_status`` link, so
``/documents/{senderId}/{uuid}`` (sender entrypoint) and ``/documents/{uuid}`` (root entrypoint,
the broker's own documents) answer the same.

``status`` is DELIVERED once the letter has left Postbud's hands for the recipient: it reached an
inbox, e-mail or e-invoice (a `delivered` event; a failing print-if-unread copy does not undo that),
its status is in print, printed, posted or opened, or it is routed to print, e-mail or e-invoice
with the delivery job under way — the send answer already said DELIVERED_TO_PRINT or DELIVERED.
Everything else is NOT_DELIVERED: accepted, held (future delivery-time, open batch, waiting for
registration), failed, not delivered, cancelled, expired. ``delivered`` is the first delivery or
hand-over to print (else the routing time); ``channel`` follows the letter (PENDING while none is
decided). A client polling a print-if-unread letter sees DELIVERED/DIGIPOST, then DELIVERED/PRINT
once the unread letter has gone to print; one polling a held or request-for-registration letter
sees NOT_DELIVERED until it is delivered. ``read`` (Y/N) is given only for documents sent with an
opening receipt, and is Y once the letter was opened.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate
from postbud.dialects.digipost.context import Broker, DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.event_vocabulary import CHANNEL_NAME, PENDING, xml_time
from postbud.dialects.digipost.responses import MEDIA_TYPE, negotiated_version, signed, xml_bytes
from postbud.dialects.digipost.schema import SchemaVersion, namespace
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.parties import Sender
from postbud.domain.shipments import Shipment
from postbud.domain.status import TERMINAL, ShipmentStatus

_HANDED_OVER = frozenset(
    {ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED, ShipmentStatus.POSTED, ShipmentStatus.OPENED}
)
_OUTSIDE_CHANNELS = frozenset({Channel.PRINT, Channel.EMAIL, Channel.EINVOICE, Channel.SMS})


@dataclass(frozen=True, slots=True)
class OwnDocument:
    sender: Sender
    shipment: Shipment
    document: Document
    events: list[ShipmentEvent]


async def find_own_document(
    dialect: DigipostDialect, broker: Broker, sender_segment: str, document_uuid: str
) -> OwnDocument:
    """The broker's own sender's document sent through this dialect, or 404 DOCUMENT_NOT_FOUND."""
    not_found = DigipostError(
        "DOCUMENT_NOT_FOUND", f"no document {document_uuid} for sender {sender_segment}", 404
    )
    sender = broker.sender
    if sender is None or _number(sender_segment) != sender.digipost_id:
        raise not_found
    wanted = document_uuid.lower()
    async with dialect.runtime.reader() as uow:
        shipment = await uow.shipments.by_document_external_id(sender.id, wanted)
        if shipment is None or shipment.dialect != "digipost":
            raise not_found
        events = await uow.events.for_shipment(shipment.id)
    document = next(d for d in shipment.documents if d.external_id == wanted)
    return OwnDocument(sender, shipment, document, events)


@dataclass(frozen=True, slots=True)
class Delivery:
    delivered: bool
    delivered_at: datetime | None
    channel: str | None
    opened: bool


def delivery_of(shipment: Shipment, events: list[ShipmentEvent], version: int = 8) -> Delivery:
    """The shipment's delivery in Digipost's terms (see the module docstring for the rules)."""
    reached = next((e for e in events if e.type in (EventType.DELIVERED, EventType.SENT_TO_PRINT)), None)
    on_its_way = shipment.status is ShipmentStatus.ROUTED and shipment.channel in _OUTSIDE_CHANNELS
    delivered = (
        any(e.type is EventType.DELIVERED for e in events) or shipment.status in _HANDED_OVER or on_its_way
    )
    delivered_at = None
    if delivered:
        routed = [e for e in events if e.type is EventType.ROUTED]
        handed = reached or (routed[-1] if routed else None)
        delivered_at = handed.at if handed else None
    if shipment.channel is not None:
        channel = CHANNEL_NAME.get(shipment.channel)
    else:
        channel = PENDING if version >= 8 and shipment.status not in TERMINAL else None
    opened = any(e.type is EventType.OPENED for e in events)
    return Delivery(delivered, delivered_at, channel, opened)


def _status_element(
    parent: etree._Element | None,
    ns: str,
    found: OwnDocument,
    document: Document,
    delivery: Delivery,
) -> etree._Element:
    tag = f"{{{ns}}}document-status" if parent is None else f"{{{ns}}}attachments"
    el = etree.Element(tag, nsmap={None: ns}) if parent is None else etree.SubElement(parent, tag)
    el.set("uuid", document.external_id or str(document.id))
    el.set("sender-id", str(found.sender.digipost_id))
    el.set("status", "DELIVERED" if delivery.delivered else "NOT_DELIVERED")
    el.set("created", xml_time(found.shipment.created_at))
    if delivery.delivered_at is not None:
        el.set("delivered", xml_time(delivery.delivered_at))
    if document.opening_receipt:
        el.set("read", "Y" if delivery.opened else "N")
    if delivery.channel is not None:
        el.set("channel", delivery.channel)
    el.set("is-primary-document", "true" if document.is_primary else "false")
    el.set("content-hash", base64.b64encode(bytes.fromhex(document.sha256)).decode())
    el.set("content-hash-algorithm", "SHA256")
    return el


def render_document_status(found: OwnDocument, version: SchemaVersion = 8) -> etree._Element:
    """The ``document-status`` element; a primary document lists its attachments inside."""
    ns = namespace(version)
    delivery = delivery_of(found.shipment, found.events, version)
    root = _status_element(None, ns, found, found.document, delivery)
    if found.document.is_primary:
        for attachment in found.shipment.documents[1:]:
            _status_element(root, ns, found, attachment, delivery)
    return root


async def document_status(dialect: DigipostDialect, request: Request) -> Response:
    broker = await authenticate(dialect, request, None)
    version = negotiated_version(request)
    # Without a sender segment (the root entrypoint's link) the document is the broker's own.
    own = str(broker.sender.digipost_id) if broker.sender is not None else ""
    sender_segment = request.path_params.get("sender_id", own)
    found = await find_own_document(dialect, broker, sender_segment, request.path_params["uuid"])
    body = xml_bytes(render_document_status(found, version))
    return signed(dialect, request, body, media_type=MEDIA_TYPE[version])


def _number(segment: str) -> int | None:
    """A path segment as a sender id: ASCII digits that fit a long, else None (never an int() error)."""
    if not (segment.isascii() and segment.isdigit()) or len(segment) > 18:
        return None
    return int(segment)
