"""The later steps of the legacy stepwise send (§5.5), under ``/messages/{message}``:

- ``GET`` (``self``): the ``message-delivery`` as it stands (``NOT_COMPLETE`` until sent);
- ``POST …/documents/{uuid}/content`` (``add_content``): one document's bytes, as the body (any
  content type); checked as the atomic send checks them (file type, PDF, print, pre-encryption);
  a second upload is ``400 CONTENT_ALREADY_UPLOADED``;
- ``GET …/documents/{uuid}/encryption-key`` (``get_encryption_key``): the recipient's public key for
  a document marked ``encrypted`` (a recipient without a Digipost mailbox: ``404
  ENCRYPTION_KEY_NOT_FOUND``; encrypt for print with the print encryption certificate);
- ``POST …/send`` (``send``): sends the letter, as the atomic send would have (``200``
  ``message-delivery``); a document still without content is ``400 MISSING_CONTENT``, a message
  sent already ``400 MESSAGE_ALREADY_SENT``.

Attachments keep the order of their uploads, not of the message.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.message_command import letter_command, undeliverable
from postbud.dialects.digipost.message_in import ParsedMessage, read_message
from postbud.dialects.digipost.pdf_check import invalid_pdf_content
from postbud.dialects.digipost.render import message_delivery
from postbud.dialects.digipost.request_in import authenticated_sender
from postbud.dialects.digipost.responses import MEDIA_TYPE, negotiated_version, signed, xml_bytes
from postbud.dialects.digipost.stepwise_message import (
    MESSAGE_PROPERTY,
    Declared,
    declared,
    not_complete,
    own_letter,
)
from postbud.domain.errors import ValidationFailed
from postbud.domain.parties import Sender
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.inbox.recipient_keys import encryption_key_for
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, close_draft
from postbud.services.letters.send_letter import Undeliverable


def _delivery(dialect: DigipostDialect, request: Request, shipment: Shipment, sender: Sender) -> Response:
    sender_id = sender.digipost_id or 0
    if shipment.status is ShipmentStatus.DRAFT:
        message = declared(shipment)
        root = not_complete(shipment, message, sender_id=sender_id, base=dialect.base_url)
        return signed(dialect, request, xml_bytes(root), media_type=MEDIA_TYPE[message.version])
    version = (
        declared(shipment).version if MESSAGE_PROPERTY in shipment.properties else negotiated_version(request)
    )
    root = message_delivery(shipment, sender_id=sender_id, version=version, base=dialect.base_url)
    return signed(dialect, request, xml_bytes(root), media_type=MEDIA_TYPE[version])


def _parsed(message: Declared, contents: dict[str, bytes]) -> ParsedMessage:
    placeholders = dict.fromkeys(message.uuids, b"") | contents
    return read_message(message.root, etree.QName(message.root).namespace or "", placeholders)


async def _draft(dialect: DigipostDialect, sender: Sender, request: Request) -> tuple[Shipment, Declared]:
    shipment = await own_letter(dialect.runtime, sender.id, request.path_params["message"])
    message = declared(shipment)
    if shipment.status is not ShipmentStatus.DRAFT:
        raise DigipostError("MESSAGE_ALREADY_SENT", f"message {shipment.external_id or shipment.id} is sent")
    return shipment, message


async def get_message(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    shipment = await own_letter(dialect.runtime, sender.id, request.path_params["message"])
    return _delivery(dialect, request, shipment, sender)


async def add_content(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, dialect.runtime.settings.max_document_bytes)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None
    shipment, message = await _draft(dialect, broker.sender, request)
    document_uuid = request.path_params["document"]
    message.document(document_uuid)  # declared, or DOCUMENT_NOT_FOUND
    if any(d.external_id == document_uuid for d in shipment.documents):
        raise DigipostError("CONTENT_ALREADY_UPLOADED", f"document {document_uuid} has its content already")
    parsed = _parsed(message, {document_uuid: body})
    (document,) = [d for d in parsed.documents if d.external_id == document_uuid]
    one = replace(parsed, documents=(document,), encrypted=parsed.encrypted & {document_uuid})
    sender, one, _ = await letter_command(dialect, broker.sender, one)
    try:
        await add_draft_document(
            AddDraftDocument(
                sender.id, shipment.id, one.documents[0], primary=document_uuid == message.primary
            ),
            dialect.runtime,
        )
    except ValidationFailed as exc:  # the core names the one document "document"; the check, "documents[0]"
        as_listed = [replace(e, field=e.field.replace("document.", "documents[0].", 1)) for e in exc.errors]
        if (not_a_pdf := invalid_pdf_content(ValidationFailed(as_listed), one.documents)) is not None:
            raise not_a_pdf from exc
        raise
    updated = await own_letter(dialect.runtime, sender.id, str(shipment.id))
    return _delivery(dialect, request, updated, sender)


async def send(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    shipment, message = await _draft(dialect, sender, request)
    uploaded = {d.external_id for d in shipment.documents}
    missing = [u for u in message.uuids if u not in uploaded]
    if missing:
        raise DigipostError(
            "MISSING_CONTENT", f"no content uploaded yet for document(s) {', '.join(missing)}"
        )
    try:
        accepted = await close_draft(sender.id, shipment.id, dialect.runtime)
    except Undeliverable as exc:
        raise undeliverable(_parsed(message, {}), exc) from exc
    return _delivery(dialect, request, accepted.shipment, sender)


async def encryption_key(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    shipment, message = await _draft(dialect, sender, request)
    document_uuid = request.path_params["document"]
    if not message.encrypted(document_uuid):
        raise DigipostError("CANNOT_PREENCRYPT", f"document {document_uuid} is not marked encrypted")
    parsed = _parsed(message, {})
    async with dialect.runtime.reader() as uow:
        if parsed.recipient is not None:
            recipient = await uow.recipients.by_party_id(parsed.recipient)
        elif parsed.mailbox_address is not None:
            recipient = await uow.recipients.by_mailbox_address(parsed.mailbox_address)
        else:
            recipient = None
    if recipient is None or not recipient.capabilities.digital_mailbox:
        raise DigipostError(
            "ENCRYPTION_KEY_NOT_FOUND",
            f"message {shipment.external_id or shipment.id} has no Digipost user as recipient; "
            "encrypt for print with the print encryption certificate",
            404,
        )
    key = await encryption_key_for(dialect.runtime, recipient.id)
    ns = etree.QName(message.root).namespace or ""
    root = etree.Element(f"{{{ns}}}encryption-key", nsmap={None: ns})
    root.set("key-id", key.key_id)
    root.text = key.public_key_pem
    return signed(dialect, request, xml_bytes(root), media_type=MEDIA_TYPE[message.version])
