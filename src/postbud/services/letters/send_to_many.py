"""Use case: one request, one letter to each of many recipients (Altinn initialize: up to 500).

The documents are shared: each content is hashed and stored once, and every letter gets document
rows of its own pointing at the same blobs (their ids scoped to the letter, so one attachment can
be in every letter). Each letter is planned on its own — its own route, events and jobs — and all
of them, with the request's row (its idempotency key), go into one WriteSet: one transaction, all
or nothing. A bad recipient refuses the whole request before anything is written; a duplicate
found by the database when writing leaves nothing behind either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from postbud.domain.documents import Document, DocumentIdScope
from postbud.domain.errors import Conflict, ConflictCode, FieldError, RuleCode, ValidationFailed
from postbud.domain.identifiers import PartyId
from postbud.domain.ids import new_id
from postbud.domain.shipments import PrintInstructions
from postbud.services.letters.attachments import attached_documents
from postbud.services.letters.letter_request import Accepted, SendLetter
from postbud.services.letters.plan_letter import (
    check_letter,
    documents_of,
    facts_of,
    letter_rows,
    plan_letter,
    require_open_batch,
)
from postbud.services.letters.submit import submit_letters
from postbud.services.registration.at_send import registration_errors
from postbud.services.runtime import Runtime
from postbud.storage.blobs import compute_refs
from postbud.storage.hot_reads_send_many import recipients_and_subscriptions
from postbud.storage.repos.shipments import send_request_row
from postbud.storage.writeset import WriteSet

MAX_IDEMPOTENCY_KEY = 200


@dataclass(frozen=True, slots=True)
class LetterRecipient:
    """Who one of the letters goes to, and what differs for them from the shared letter."""

    recipient: PartyId | None = None
    mailbox_address: str | None = None
    recipient_name: str | None = None
    print_instructions: PrintInstructions | None = None
    """Their postal address, when the letter may go on paper."""
    email_address: str | None = None
    external_id: str | None = None
    """This letter's own id, if the dialect gives each letter one."""


@dataclass(frozen=True, slots=True)
class SendToMany:
    letter: SendLetter
    """What every letter shares: sender, dialect, documents, attachments, channels, times, the
    sender's reference. Its recipient fields are not used."""
    recipients: tuple[LetterRecipient, ...]
    idempotency_key: str | None = None
    """A second request with the same key is refused (ConflictCode.DUPLICATE)."""


@dataclass(frozen=True, slots=True)
class AcceptedMany:
    request_id: uuid.UUID
    letters: list[Accepted]
    """In the order of the recipients."""


def _letters(cmd: SendToMany) -> list[SendLetter]:
    template = cmd.letter
    return [
        replace(
            template,
            recipient=r.recipient,
            mailbox_address=r.mailbox_address,
            recipient_name=r.recipient_name,
            print_instructions=r.print_instructions or template.print_instructions,
            email_address=r.email_address or template.email_address,
            external_id=r.external_id,
        )
        for r in cmd.recipients
    ]


def _request_errors(cmd: SendToMany, letters: list[SendLetter], runtime: Runtime) -> list[FieldError]:
    errors: list[FieldError] = []
    limit = runtime.settings.max_letters_per_send
    if not cmd.recipients:
        errors.append(FieldError("recipients", "at least one recipient", RuleCode.TOO_FEW))
    elif len(cmd.recipients) > limit:
        errors.append(FieldError("recipients", f"at most {limit} recipients", RuleCode.TOO_MANY))
    seen: set[tuple[str | None, str | None]] = set()
    for i, r in enumerate(cmd.recipients):
        key = (
            str(r.recipient) if r.recipient else None,
            r.mailbox_address.lower() if r.mailbox_address else None,
        )
        if key == (None, None) and r.print_instructions is None and r.email_address is None:
            errors.append(FieldError(f"recipients[{i}]", "names no recipient", RuleCode.REQUIRED))
        elif key != (None, None):
            if key in seen:
                errors.append(
                    FieldError(f"recipients[{i}]", "a recipient is named twice", RuleCode.NOT_UNIQUE)
                )
            seen.add(key)
    if cmd.idempotency_key is not None and not 0 < len(cmd.idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        errors.append(
            FieldError("idempotency_key", f"1 to {MAX_IDEMPOTENCY_KEY} characters", RuleCode.INVALID)
        )
    now = runtime.clock.now()
    for i, letter in enumerate(letters[1:], start=1):
        for error in registration_errors(letter.registration, letter.recipient, now):
            errors.append(FieldError(f"recipients[{i}].{error.field}", error.rule, error.code))
    return errors


async def send_to_many(cmd: SendToMany, runtime: Runtime) -> AcceptedMany:
    now = runtime.clock.now()
    template = cmd.letter
    letters = _letters(cmd)
    errors = _request_errors(cmd, letters, runtime)
    if errors:
        raise ValidationFailed(errors)
    if cmd.idempotency_key is not None or template.batch_id is not None:
        async with runtime.quick_reader() as uow:
            if cmd.idempotency_key is not None and await uow.shipments.by_idempotency_key(
                template.sender_id, template.dialect, cmd.idempotency_key
            ):
                raise Conflict(
                    "idempotency_key",
                    "a request with this idempotency key was already made",
                    ConflictCode.DUPLICATE,
                )
            await require_open_batch(uow, template)
    # Its recipients and the sender's webhooks: prepared reads on the event loop on SQLite.
    recipients, subscriptions = await recipients_and_subscriptions(
        runtime.database,
        template.sender_id,
        [(letter.recipient, letter.mailbox_address) for letter in letters],
    )
    attached: tuple[Document, ...] = ()
    if template.attachment_ids:
        attached = await attached_documents(
            template.sender_id,
            template.attachment_ids,
            runtime,
            first_position=len(template.documents),
            now=now,
        )
    check_letter(letters[0], facts_of(template.documents) + facts_of(attached), runtime.settings, now)

    contents = [d.content for d in template.documents]
    refs = await compute_refs(contents)  # each content once, however many letters carry it
    shared = documents_of(template.documents, refs) + attached
    ws = WriteSet(blobs=contents, blob_refs=refs)
    accepted: list[Accepted] = []
    for letter, recipient in zip(letters, recipients, strict=True):
        documents = tuple(replace(d, id=new_id(), id_scope=DocumentIdScope.LETTER) for d in shared)
        plan = await plan_letter(
            letter, documents, [*contents, *(None for _ in attached)], recipient, runtime, now=now
        )
        letter_rows(plan, subscriptions, ws, now=now)
        accepted.append(plan.accepted)
    request_id = new_id()
    send_request_row(
        ws,
        request_id=request_id,
        sender_id=template.sender_id,
        dialect=template.dialect,
        idempotency_key=cmd.idempotency_key,
        shipment_ids=[a.shipment.id for a in accepted],
        now=now,
    )
    await submit_letters(ws, runtime)
    return AcceptedMany(request_id, accepted)
