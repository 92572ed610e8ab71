"""Use cases of staged letters: a draft built in steps, then closed (sent) or cancelled.

Ekopost builds a letter so: create the envelope, add its content one document at a time, close
it. Until it is closed the letter is a draft (status DRAFT, event DRAFTED): it has no recipient
row and no channel, so no inbox, letter list, channel, job or webhook sees it. Closing it runs the
same plan as a send (validate, route, events, jobs) in one transaction; a draft in an open batch
is then held for its batch like any batched letter. Each step is durable before it is answered,
and each goes through the group commit like a send: a guarded update in the step's write set
fails it (StaleWrite, then Conflict WRONG_STATE) if the letter stopped being the draft it read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from postbud.domain.documents import Document
from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.event_drafts import EventDraft, realise
from postbud.domain.events import EventType
from postbud.domain.identifiers import PartyId, PartyIdKind
from postbud.domain.ids import new_id
from postbud.domain.letter_terms import Deadlines
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.blob_release import release_letter_blobs
from postbud.services.letters.document_content import document_errors
from postbud.services.letters.letter_request import Accepted, DocumentInput, SendLetter
from postbud.services.letters.plan_letter import (
    MAX_EXTERNAL_ID,
    MAX_TITLE,
    check_letter,
    documents_of,
    effect_rows,
    facts_of,
    letter_errors,
    plan_letter,
    shipment_of,
)
from postbud.services.letters.quick_reads import QuickLetter
from postbud.services.letters.record_event import record_events
from postbud.services.letters.submit import submit_letters
from postbud.services.runtime import Runtime
from postbud.storage.blobs import compute_refs
from postbud.storage.errors import DuplicateKey, StaleWrite
from postbud.storage.hot_reads_letters import StoredLetter, batch_by_id, stored_letter
from postbud.storage.repos.events import event_rows
from postbud.storage.repos.shipments import (
    POSITION_TAKEN,
    DraftRevision,
    closed_draft_rows,
    draft_document_rows,
    request_json,
    shipment_rows,
)
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.storage.writeset import WriteSet

_POSITION_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class AddDraftDocument:
    sender_id: uuid.UUID
    shipment_id: uuid.UUID
    document: DocumentInput
    primary: bool = False
    """The letter's main document (position 0; one only); otherwise the next attachment."""
    revise: Callable[[Shipment, Document], Shipment] | None = None
    """What the letter learns from this document (Ekopost: the address in its envelope window), as
    a change to the draft stored in the same transaction as the document."""


def _draft_json(cmd: SendLetter) -> dict[str, Any]:
    """What closing needs that a shipment does not keep: who the letter is for, how to route it."""
    return {
        "recipient": {"kind": cmd.recipient.kind.value, "value": cmd.recipient.value}
        if cmd.recipient
        else None,
        "mailbox_address": cmd.mailbox_address,
        "reject_if_undeliverable": cmd.reject_if_undeliverable,
        "deadlines": _deadlines_json(cmd.deadlines),
    }


def _deadlines_json(deadlines: Deadlines | None) -> dict[str, Any] | None:
    if deadlines is None:
        return None
    return {
        "due_at": deadlines.due_at.isoformat() if deadlines.due_at else None,
        "needs_confirmation": deadlines.needs_confirmation,
        "expiry_by_position": [[position, at.isoformat()] for position, at in deadlines.expiry_by_position],
    }


def _deadlines_of(data: dict[str, Any] | None) -> Deadlines | None:
    if data is None:
        return None
    due_at = data.get("due_at")
    return Deadlines(
        due_at=datetime.fromisoformat(due_at) if due_at else None,
        needs_confirmation=bool(data.get("needs_confirmation")),
        expiry_by_position=tuple(
            (int(p), datetime.fromisoformat(at)) for p, at in data.get("expiry_by_position", ())
        ),
    )


async def start_draft(cmd: SendLetter, runtime: Runtime) -> Shipment:
    """Begin a letter built in steps; ``cmd.documents`` must be empty (add them one by one)."""
    now = runtime.clock.now()
    if cmd.documents or cmd.attachment_ids:
        raise ValidationFailed.of("documents", "a draft gets its documents one by one", RuleCode.INVALID)
    errors = [e for e in letter_errors(cmd, [], runtime.settings, now) if e.field != "documents"]
    if errors:
        raise ValidationFailed(errors)
    if cmd.batch_id is not None:
        batch = await batch_by_id(runtime.database, cmd.batch_id)
        if batch is None or batch.sender_id != cmd.sender_id:
            raise NotFound("batch", cmd.batch_id)
        batch.require_open()
    shipment = replace(
        shipment_of(cmd, None, (), shipment_id=new_id(), created_at=now, channel=None),
        status=ShipmentStatus.DRAFT,
    )
    ws = WriteSet()
    shipment_rows(shipment, ws, request={**request_json(shipment), "draft": _draft_json(cmd)})
    # No webhook deliveries: nothing outside the sender's own API sees a draft.
    event_rows(realise(shipment, EventDraft(EventType.DRAFTED, dedup_key="drafted"), now), [], ws)
    await submit_letters(ws, runtime)
    return shipment


async def sender_draft(
    uow: SqlUnitOfWork, sender_id: uuid.UUID, shipment_id: uuid.UUID, *, lock: bool = True
) -> Shipment:
    """The sender's draft (its row locked for the transaction); a letter no longer a draft refused."""
    shipment = await uow.shipments.get(shipment_id, for_update=lock)
    if shipment is None or shipment.sender_id != sender_id:
        raise NotFound("shipment", shipment_id)
    if shipment.status is not ShipmentStatus.DRAFT:
        raise Conflict(
            "shipment", f"the letter is {shipment.status.value}, not a draft", ConflictCode.WRONG_STATE
        )
    return shipment


async def _stored_draft(
    runtime: Runtime, sender_id: uuid.UUID, shipment_id: uuid.UUID, read: QuickLetter | None = None
) -> StoredLetter:
    """The sender's draft with its stored request, read without a lock (the write that follows is
    guarded: it fails if the letter stopped being this draft); ``read``: the caller's read of it
    just before, used instead of reading again."""
    if read is not None and read.shipment.id == shipment_id:
        letter: StoredLetter | None = StoredLetter(read.shipment, read.draft_request, None)
    else:
        letter = await stored_letter(runtime.database, shipment_id, with_events=False)
    if letter is None or letter.shipment.sender_id != sender_id:
        raise NotFound("shipment", shipment_id)
    if letter.shipment.status is not ShipmentStatus.DRAFT:
        raise Conflict(
            "shipment", f"the letter is {letter.shipment.status.value}, not a draft", ConflictCode.WRONG_STATE
        )
    return letter


async def add_draft_document(cmd: AddDraftDocument, runtime: Runtime) -> Document:
    """Add one document to a draft: its content and row are durable before this returns (through
    the group commit, kept only if the letter is still a draft when they are written)."""
    settings = runtime.settings
    content = cmd.document.content
    if not content:
        raise ValidationFailed.of("document", "document is empty", RuleCode.EMPTY)
    if len(content) > settings.max_document_bytes:
        raise ValidationFailed.of(
            "document", f"larger than {settings.max_document_bytes} bytes", RuleCode.TOO_LARGE
        )
    if cmd.document.title is not None and len(cmd.document.title) > MAX_TITLE:
        raise ValidationFailed.of("document.title", f"at most {MAX_TITLE} characters", RuleCode.TOO_LONG)
    if cmd.document.external_id is not None and len(cmd.document.external_id) > MAX_EXTERNAL_ID:
        raise ValidationFailed.of("document.id", f"at most {MAX_EXTERNAL_ID} characters", RuleCode.TOO_LONG)
    wrong = [
        replace(e, field=e.field.replace("documents[0]", "document"))
        for e in document_errors([cmd.document], "")
    ]
    if wrong:
        raise ValidationFailed(wrong)
    refs = await compute_refs([content])
    for _ in range(_POSITION_ATTEMPTS):
        letter = await _stored_draft(runtime, cmd.sender_id, cmd.shipment_id)
        shipment = letter.shipment
        if len(shipment.documents) >= 1 + settings.max_attachments:
            raise ValidationFailed.of(
                "documents", f"at most {settings.max_attachments} attachments", RuleCode.TOO_MANY
            )
        positions = [d.position for d in shipment.documents]
        if cmd.primary and 0 in positions:
            raise _has_primary()
        position = 0 if cmd.primary else max([0, *positions]) + 1
        (document,) = documents_of([cmd.document], refs, first_position=position)
        ws = WriteSet(blobs=[content], blob_refs=refs)
        revision = None
        if cmd.revise is not None:
            revised = cmd.revise(shipment, document)
            request = {**request_json(revised), "draft": letter.request.get("draft") or {}}
            revision = DraftRevision(request, revised.recipient_name)
        draft_document_rows(document, shipment, ws, now=runtime.clock.now(), revision=revision)
        try:
            await submit_letters(ws, runtime)
        except StaleWrite:
            raise _not_a_draft(cmd.shipment_id) from None
        except DuplicateKey as exc:
            if exc.constraint != POSITION_TAKEN:
                raise
            if cmd.primary:
                raise _has_primary() from None
            continue  # another document took the position a moment ago: read again
        return document
    raise Conflict("documents", "documents are being added too fast to this letter", ConflictCode.WRONG_STATE)


def _has_primary() -> Conflict:
    return Conflict("documents", "the letter has its main document already", ConflictCode.WRONG_STATE)


def _not_a_draft(shipment_id: uuid.UUID) -> Conflict:
    return Conflict("shipment", f"letter {shipment_id} is no longer a draft", ConflictCode.WRONG_STATE)


def _letter_of(shipment: Shipment, draft: dict[str, Any]) -> SendLetter:
    recipient = draft.get("recipient")
    return SendLetter(
        sender_id=shipment.sender_id,
        dialect=shipment.dialect,
        documents=(),
        channels=shipment.channels,
        external_id=shipment.external_id,
        recipient=PartyId(PartyIdKind(recipient["kind"]), recipient["value"]) if recipient else None,
        mailbox_address=draft.get("mailbox_address"),
        recipient_name=shipment.recipient_name,
        print_instructions=shipment.print_instructions,
        print_if_unread_after=shipment.print_if_unread_after,
        publish_at=shipment.publish_at,
        notifications=shipment.notifications,
        email_address=shipment.email_address,
        batch_id=shipment.batch_id,
        invoice_reference=shipment.invoice_reference,
        ignore_reservation=shipment.ignore_reservation,
        reject_if_undeliverable=bool(draft.get("reject_if_undeliverable")),
        properties=shipment.properties,
        registration=shipment.registration,
        senders_reference=shipment.senders_reference,
        channel_options=shipment.channel_options,
        deadlines=_deadlines_of(draft.get("deadlines")),
    )


ExtraRows = Callable[[Shipment, WriteSet, datetime], None]
"""Rows of another concern that belong to the closed letter (a signing request), in its transaction."""


async def close_draft(
    sender_id: uuid.UUID,
    shipment_id: uuid.UUID,
    runtime: Runtime,
    *,
    extra_rows: ExtraRows | None = None,
    read: QuickLetter | None = None,
) -> Accepted:
    """Send the draft: validated, routed, evented and its jobs written, in one transaction through
    the group commit (refused if the draft changed while it was being planned). ``read``: the
    caller's read of the draft just before (`get_letter_quickly`), so it is not read twice; the write
    is guarded either way."""
    now = runtime.clock.now()
    letter = await _stored_draft(runtime, sender_id, shipment_id, read)
    shipment = letter.shipment
    if shipment.batch_id is not None:
        batch = await batch_by_id(runtime.database, shipment.batch_id)
        if batch is not None:
            batch.require_open()
    cmd = _letter_of(shipment, letter.request.get("draft") or {})
    documents = shipment.documents
    check_letter(cmd, facts_of(documents), runtime.settings, now)
    if not any(d.position == 0 for d in documents):
        raise ValidationFailed.of("documents", "a letter needs a primary document", RuleCode.REQUIRED)
    recipient, subscriptions = await runtime.hot_reads.for_send(
        sender_id, party_id=cmd.recipient, mailbox_address=cmd.mailbox_address
    )
    plan = await plan_letter(
        cmd,
        documents,
        [None] * len(documents),
        recipient,
        runtime,
        now=now,
        shipment_id=shipment.id,
        created_at=shipment.created_at,
    )
    ws = WriteSet()
    effect_rows(plan, subscriptions, ws, now=now)
    closed_draft_rows(plan.shipment, len(documents), ws, now=now)
    if extra_rows is not None:
        extra_rows(plan.shipment, ws, now)
    try:
        await submit_letters(ws, runtime)
    except StaleWrite:
        raise _not_a_draft(shipment_id) from None
    return plan.accepted


async def cancel_draft(sender_id: uuid.UUID, shipment_id: uuid.UUID, runtime: Runtime) -> None:
    """Give up a draft (event CANCELLED); its documents' blobs go once nothing else needs them."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        shipment = await sender_draft(uow, sender_id, shipment_id)
        cancelled = EventDraft(
            EventType.CANCELLED, None, {"reason": "draft cancelled by its sender"}, "cancelled"
        )
        await record_events(uow, shipment, [cancelled], now=now)
        await release_letter_blobs(uow, shipment.id, now=now)
