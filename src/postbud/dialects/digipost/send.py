"""POST /messages: the atomic multipart send (v7 and v8)."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.identification import by_name_and_address
from postbud.dialects.digipost.message_in import ParsedMessage, read_message
from postbud.dialects.digipost.multipart import MultipartReader, Part, boundary_of
from postbud.dialects.digipost.pdf_check import check_printable, invalid_pdf_content
from postbud.dialects.digipost.preencrypted import decrypted
from postbud.dialects.digipost.render import message_delivery
from postbud.dialects.digipost.request_in import xml_element
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound, ValidationFailed
from postbud.domain.parties import Sender
from postbud.services.letters.batches import find_batch
from postbud.services.letters.send_letter import SendLetter, Undeliverable, send_letter


def _version(content_type: str) -> int:
    lowered = content_type.lower()
    if "digipost-v7" in lowered:
        return 7
    if lowered.startswith("multipart/"):
        return 8
    raise DigipostError(
        "ILLEGAL_CONTENT_TYPE",
        f"POST /messages takes multipart/vnd.digipost-v8+xml, not {content_type!r}",
        415,
    )


def _message_element(part: Part, version: int) -> etree._Element:
    return xml_element(bytes(part.body), "message", 8 if version == 8 else 7, what="the message part")


def _contents(parts: list[Part]) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for index, part in enumerate(parts, start=2):
        if "content-disposition" not in part.headers:
            raise DigipostError(
                "MISSING_BODYPART_CONTENT_DISPOSITION", f"body part {index} has no Content-Disposition"
            )
        name = part.filename
        if not name:
            raise DigipostError("MISSING_BODYPART_FILENAME", f"body part {index} has no filename")
        if name in contents:
            raise DigipostError("DOCUMENTS_AND_FILES_MISMATCH", f"two body parts are named {name}")
        contents[name] = bytes(part.body)
    return contents


async def _resolve_sender(dialect: DigipostDialect, broker: Sender, parsed: ParsedMessage) -> Sender:
    if parsed.sender_id is None and parsed.sender_organisation is None:
        return broker
    async with dialect.runtime.reader() as uow:
        if parsed.sender_id is not None:
            sender = await uow.senders.by_digipost_id(parsed.sender_id)
        else:
            sender = await uow.senders.by_organisation_number(parsed.sender_organisation or "")
    if sender is None:
        raise DigipostError("UNKNOWN_SENDER", "the message's sender is not a known Digipost sender", 404)
    if sender.id != broker.id:
        raise DigipostError("BROKER_NOT_AUTHORIZED", "the broker may not send on behalf of this sender", 403)
    return sender


async def _identified(dialect: DigipostDialect, parsed: ParsedMessage) -> ParsedMessage:
    """A letter to a name and address goes to the recipient identification finds there (its mailbox,
    else print by the letter's print-details); one nobody or several fit stays as it came."""
    named = parsed.name_and_address
    if named is None:
        return parsed
    found = await by_name_and_address(dialect.runtime, named.fullname, named.postal_code, named.addressline1)
    if found.recipient is None:
        return parsed
    return replace(parsed, recipient=found.recipient.party_id, channels=found.channels, direct_to_print=False)


async def send_message(dialect: DigipostDialect, request: Request) -> Response:
    settings = dialect.runtime.settings
    version = _version(request.headers.get("content-type", ""))
    reader = MultipartReader(
        boundary_of(request.headers["content-type"]),
        max_parts=2 + settings.max_attachments,
        max_part_bytes=settings.max_document_bytes,
    )
    _, body_sha256 = await read_body(request, settings.max_request_bytes, reader)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None
    parts = reader.finish()
    if not parts:
        raise DigipostError("MISSING_CONTENT", "the request has no body parts")
    root = _message_element(parts[0], version)
    contents = _contents(parts[1:])
    parsed = read_message(root, etree.QName(root).namespace or namespace(8), contents)
    if len(contents) != len(parsed.documents):
        raise DigipostError(
            "DOCUMENTS_AND_FILES_MISMATCH",
            f"{len(parsed.documents)} documents but {len(contents)} file parts",
        )
    sender = await _resolve_sender(dialect, broker.sender, parsed)
    parsed = await _identified(dialect, parsed)
    parsed = await decrypted(dialect, parsed)
    if parsed.print_instructions is not None and not sender.may_print:
        raise DigipostError("NOT_APPROVED_FOR_PRINT", "the sender has no print agreement", 403)
    if parsed.direct_to_print and not sender.may_direct_print:
        raise DigipostError("NOT_APPROVED_FOR_DIRECT_PRINT", "the sender may not send direct to print", 403)
    if parsed.print_instructions is not None:
        check_printable(parsed.documents)
    batch_id = None
    if parsed.batch_uuid is not None:
        try:
            batch_id = (await find_batch(dialect.runtime, sender.id, "digipost", parsed.batch_uuid)).id
        except NotFound as exc:
            raise DigipostError("UNKNOWN_BATCH", f"no batch with uuid {parsed.batch_uuid}", 404) from exc
    command = SendLetter(
        sender_id=sender.id,
        dialect="digipost",
        documents=parsed.documents,
        channels=parsed.channels,
        external_id=parsed.message_id,
        recipient=parsed.recipient,
        mailbox_address=parsed.mailbox_address,
        recipient_name=parsed.recipient_name,
        print_instructions=parsed.print_instructions,
        print_if_unread_after=parsed.print_if_unread_after,
        publish_at=parsed.publish_at,
        notifications=parsed.notifications,
        email_address=parsed.email_address,
        batch_id=batch_id,
        invoice_reference=parsed.invoice_reference,
        registration=parsed.registration,
        reject_if_undeliverable=True,
    )
    try:
        accepted = await send_letter(command, dialect.runtime)
    except Undeliverable as exc:
        if parsed.channels == (Channel.EINVOICE,):
            raise DigipostError(
                "UNKNOWN_PEPPOL_RECIPIENT", f"no Peppol participant {parsed.recipient} takes e-invoices", 404
            ) from exc
        raise DigipostError(
            "UNKNOWN_RECIPIENT", "The recipient does not have a Digipost account.", 404
        ) from exc
    except ValidationFailed as exc:
        if (not_a_pdf := invalid_pdf_content(exc, parsed.documents)) is not None:
            raise not_a_pdf from exc
        raise
    shipment = accepted.shipment
    delivery = message_delivery(
        shipment, sender_id=sender.digipost_id or 0, version=version, base=dialect.base_url
    )
    body = xml_bytes(delivery)
    location = f"{dialect.base_url}/messages/{shipment.id}"
    return signed(dialect, request, body, status=201, extra_headers={"location": location})
