"""A parsed Digipost message as the core's send command: the sender it is for (a broker acts only
for itself), its documents opened (pre-encrypted) and checked for print, its batch; shared by the
atomic send and the legacy stepwise flow."""

from __future__ import annotations

from dataclasses import replace

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.identification import by_name_and_address
from postbud.dialects.digipost.message_in import ParsedMessage
from postbud.dialects.digipost.pdf_check import check_printable
from postbud.dialects.digipost.preencrypted import decrypted
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.parties import Sender
from postbud.services.letters.batches import find_batch
from postbud.services.letters.send_letter import SendLetter, Undeliverable


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


async def letter_command(
    dialect: DigipostDialect, broker: Sender, parsed: ParsedMessage
) -> tuple[Sender, ParsedMessage, SendLetter]:
    """The sender the message is for, the message with its documents opened (pre-encrypted ones) and
    checked for print, and the core's command; what the sender may not do is refused here."""
    sender = await _resolve_sender(dialect, broker, parsed)
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
    return sender, parsed, command


def undeliverable(parsed: ParsedMessage, exc: Undeliverable) -> DigipostError:
    if parsed.channels == (Channel.EINVOICE,):
        return DigipostError(
            "UNKNOWN_PEPPOL_RECIPIENT", f"no Peppol participant {parsed.recipient} takes e-invoices", 404
        )
    return DigipostError("UNKNOWN_RECIPIENT", "The recipient does not have a Digipost account.", 404)
