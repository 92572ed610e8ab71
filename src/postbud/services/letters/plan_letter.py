"""Plan one letter: validate it, route it, and say which rows store it and start its delivery.

Pure apart from what it is handed (the recipient read from the registry, the channel adapters,
and for a stored document its first bytes when print must check it is a PDF). The same plan
serves a single send, each letter of a send to many recipients, and the closing of a draft;
`submit.py` makes the rows durable.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from postbud.channels.notify import wants_notice
from postbud.config import Settings
from postbud.domain.channel_options import DEFAULT_CHANNEL_OPTIONS, channel_options_errors
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.event_drafts import EventDraft, realise
from postbud.domain.events import EventType
from postbud.domain.ids import new_id
from postbud.domain.letter_terms import Deadlines
from postbud.domain.parties import Recipient
from postbud.domain.routing import RouteDecision, RoutingRequest, decide_route
from postbud.domain.shipments import Shipment
from postbud.domain.status import derive_status
from postbud.services.letters.deadlines import deadlines_into
from postbud.services.letters.document_content import document_errors
from postbud.services.letters.letter_request import (
    MAX_SENDERS_REFERENCE,
    Accepted,
    DocumentInput,
    SendLetter,
    Undeliverable,
)
from postbud.services.registration.at_send import enqueue_registration_jobs, registration_errors
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.blobs import BlobRef
from postbud.storage.repos.events import Subscription, event_rows
from postbud.storage.repos.jobs import enqueue_into
from postbud.storage.repos.shipments import shipment_rows
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.storage.writeset import WriteSet

# A publish time this close to now counts as now: clocks of client and server differ a little.
PUBLISH_TOLERANCE = timedelta(seconds=30)
_PDF_MAGIC = b"%PDF-"


DocumentFacts = tuple[int, str | None, str | None]
"""What validation needs of a document: its size, its id and its title."""
# The widths of the columns that store them: PostgreSQL refuses longer values (SQLite kept them),
# so both refuse them here first. Digipost's schema caps a subject at 255; its message-id is unbounded.
MAX_TITLE = 255
MAX_EXTERNAL_ID = 100


def facts_of(documents: Sequence[DocumentInput | Document]) -> list[DocumentFacts]:
    return [
        (len(d.content) if isinstance(d, DocumentInput) else d.size, d.external_id, d.title)
        for d in documents
    ]


def letter_errors(
    cmd: SendLetter, documents: Sequence[DocumentFacts], settings: Settings, now: datetime
) -> list[FieldError]:
    """What is wrong with a letter; ``documents``: each document's facts, primary first."""
    errors: list[FieldError] = []
    if not documents:
        errors.append(FieldError("documents", "a letter needs a primary document", RuleCode.REQUIRED))
    if len(documents) > 1 + settings.max_attachments:
        errors.append(
            FieldError("documents", f"at most {settings.max_attachments} attachments", RuleCode.TOO_MANY)
        )
    seen: set[str] = set()
    for i, (size, external_id, title) in enumerate(documents):
        if size > settings.max_document_bytes:
            errors.append(
                FieldError(
                    f"documents[{i}]", f"larger than {settings.max_document_bytes} bytes", RuleCode.TOO_LARGE
                )
            )
        if not size:
            errors.append(FieldError(f"documents[{i}]", "document is empty", RuleCode.EMPTY))
        if title is not None and len(title) > MAX_TITLE:
            errors.append(
                FieldError(f"documents[{i}].title", f"at most {MAX_TITLE} characters", RuleCode.TOO_LONG)
            )
        if external_id:
            if len(external_id) > MAX_EXTERNAL_ID:
                errors.append(
                    FieldError(
                        f"documents[{i}].id", f"at most {MAX_EXTERNAL_ID} characters", RuleCode.TOO_LONG
                    )
                )
            if external_id in seen:
                errors.append(
                    FieldError(
                        f"documents[{i}].id", "document ids must be unique in a letter", RuleCode.NOT_UNIQUE
                    )
                )
            seen.add(external_id)
    if cmd.external_id is not None and len(cmd.external_id) > MAX_EXTERNAL_ID:
        errors.append(FieldError("external_id", f"at most {MAX_EXTERNAL_ID} characters", RuleCode.TOO_LONG))
    if cmd.publish_at is not None and cmd.publish_at < now - PUBLISH_TOLERANCE:
        errors.append(FieldError("publish_at", "must not be in the past", RuleCode.IN_PAST))
    if cmd.senders_reference is not None and len(cmd.senders_reference) > MAX_SENDERS_REFERENCE:
        errors.append(
            FieldError("senders_reference", f"at most {MAX_SENDERS_REFERENCE} characters", RuleCode.TOO_LONG)
        )
    errors.extend(document_errors(cmd.documents, cmd.dialect))
    errors.extend(registration_errors(cmd.registration, cmd.recipient, now))
    if cmd.channel_options is not DEFAULT_CHANNEL_OPTIONS:
        errors.extend(channel_options_errors(cmd.channel_options))
    return errors


def check_letter(
    cmd: SendLetter, documents: Sequence[DocumentFacts], settings: Settings, now: datetime
) -> None:
    errors = letter_errors(cmd, documents, settings, now)
    if errors:
        raise ValidationFailed(errors)


def documents_of(
    inputs: Sequence[DocumentInput], refs: Sequence[BlobRef], *, first_position: int = 0
) -> tuple[Document, ...]:
    """The documents of a letter, new ids each, from its inputs and their contents' hashes."""
    return tuple(
        Document(
            id=new_id(),
            position=first_position + i,
            external_id=d.external_id,
            title=d.title,
            file_type=d.file_type,
            mime=d.mime,
            sha256=ref.sha256,
            size=ref.size,
            pages=d.pages,
            authentication=d.authentication,
            sensitivity=d.sensitivity,
            datatype=d.datatype,
            opening_receipt=d.opening_receipt,
            id_scope=d.id_scope,
        )
        for i, (d, ref) in enumerate(zip(inputs, refs, strict=True))
    )


@dataclass(frozen=True, slots=True)
class LetterPlan:
    shipment: Shipment
    decision: RouteDecision
    held: bool
    events: list[EventDraft]
    inline: bool
    """Delivered in the request itself (its channel adapter is inline and the letter not held)."""
    deadlines: Deadlines | None = None

    @property
    def accepted(self) -> Accepted:
        return Accepted(self.shipment, self.decision, self.held)


async def plan_letter(
    cmd: SendLetter,
    documents: tuple[Document, ...],
    contents: Sequence[bytes | None],
    recipient: Recipient | None,
    runtime: Runtime,
    *,
    now: datetime,
    shipment_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
) -> LetterPlan:
    """Route one validated letter and decide its events; ``contents``: each document's bytes, or
    None when it is stored already (its first bytes are then read only if print must check them).
    ``shipment_id``/``created_at``: those of a draft being closed."""
    decision = decide_route(
        RoutingRequest(
            channels=cmd.channels,
            has_print_instructions=cmd.print_instructions is not None,
            email_address=cmd.email_address,
            ignore_reservation=cmd.ignore_reservation,
            registration_requested=cmd.registration is not None,
            mailbox_providers=cmd.channel_options.mailbox_providers,
            business_inbox_for_persons=cmd.channel_options.business_inbox_for_persons,
            bank_invoice=cmd.channel_options.bank_invoice,
        ),
        recipient,
    )
    if decision.channel is None and not decision.pending and cmd.reject_if_undeliverable:
        raise Undeliverable(decision)
    if decision.channel is Channel.PRINT:
        await _require_pdf(documents, contents, runtime)

    held = cmd.batch_id is not None or (
        cmd.publish_at is not None and cmd.publish_at > now + PUBLISH_TOLERANCE
    )
    drafts = [EventDraft(EventType.CREATED, data={"dialect": cmd.dialect}, dedup_key="created")]
    if decision.pending:  # waiting for the recipient to register a mailbox
        drafts.append(EventDraft(EventType.HELD, None, decision.as_data(), "held"))
    elif decision.channel is None:
        drafts.append(EventDraft(EventType.NOT_DELIVERED, None, decision.as_data(), "not_delivered"))
    else:
        drafts.append(EventDraft(EventType.ROUTED, decision.channel, decision.as_data(), "routed"))
        if held:
            reason = "waiting for its batch" if cmd.batch_id else "waiting for its publish time"
            drafts.append(EventDraft(EventType.HELD, decision.channel, {"reason": reason}, "held"))

    shipment = shipment_of(
        cmd,
        recipient,
        documents,
        shipment_id=shipment_id or new_id(),
        created_at=created_at or now,
        channel=decision.channel,
    )
    adapter = runtime.channel(decision.channel) if decision.channel else None
    inline = adapter is not None and adapter.inline and not held
    if inline:
        assert adapter is not None
        drafts.extend(await adapter.deliver(shipment, recipient))
    shipment = replace(shipment, status=derive_status(d.type for d in drafts) or shipment.status)
    return LetterPlan(shipment, decision, held, drafts, inline, cmd.deadlines)


async def require_open_batch(uow: SqlUnitOfWork, cmd: SendLetter) -> None:
    """The batch ``cmd`` names, if any, is its sender's own (NotFound otherwise) and still open."""
    if cmd.batch_id is None:
        return
    batch = await uow.batches.get(cmd.batch_id)
    if batch is None or batch.sender_id != cmd.sender_id:
        raise NotFound("batch", cmd.batch_id)
    batch.require_open()


def shipment_of(
    cmd: SendLetter,
    recipient: Recipient | None,
    documents: tuple[Document, ...],
    *,
    shipment_id: uuid.UUID,
    created_at: datetime,
    channel: Channel | None,
) -> Shipment:
    """The letter ``cmd`` asks for, to ``recipient`` as the registry has it (None: as ``cmd`` names
    it), sent by ``channel``: the one record a send, a letter of many and a draft all begin with."""
    return Shipment(
        id=shipment_id,
        sender_id=cmd.sender_id,
        dialect=cmd.dialect,
        external_id=cmd.external_id,
        recipient_id=recipient.id if recipient else None,
        recipient_party=str(cmd.recipient) if cmd.recipient else cmd.mailbox_address,
        recipient_name=recipient.name if recipient else cmd.recipient_name or _envelope_name(cmd),
        channels=cmd.channels,
        documents=documents,
        created_at=created_at,
        publish_at=cmd.publish_at,
        print_instructions=cmd.print_instructions,
        print_if_unread_after=cmd.print_if_unread_after,
        notifications=cmd.notifications,
        email_address=cmd.email_address,
        batch_id=cmd.batch_id,
        invoice_reference=cmd.invoice_reference,
        channel=channel,
        ignore_reservation=cmd.ignore_reservation,
        properties=cmd.properties,
        registration=cmd.registration,
        senders_reference=cmd.senders_reference,
        channel_options=cmd.channel_options,
    )


def _envelope_name(cmd: SendLetter) -> str | None:
    """A letter for print alone is known by the name on its envelope."""
    address = cmd.print_instructions.recipient if cmd.print_instructions else None
    return address.name.strip() or None if address else None


async def _require_pdf(
    documents: Sequence[Document], contents: Sequence[bytes | None], runtime: Runtime
) -> None:
    errors = []
    for i, (doc, content) in enumerate(zip(documents, contents, strict=True)):
        head = (
            content if content is not None else await runtime.blobs.open_range(doc.sha256, 0, len(_PDF_MAGIC))
        )
        if not (doc.file_type.lower() == "pdf" and head.startswith(_PDF_MAGIC)):
            errors.append(
                FieldError(
                    f"documents[{i}].file_type", "print requires PDF documents", RuleCode.PRINT_NEEDS_PDF
                )
            )
    if errors:
        raise ValidationFailed(errors)


def letter_rows(plan: LetterPlan, subscriptions: list[Subscription], ws: WriteSet, *, now: datetime) -> None:
    """Every row of a planned letter: the letter and its documents, then `effect_rows`."""
    shipment_rows(plan.shipment, ws)
    effect_rows(plan, subscriptions, ws, now=now)


def effect_rows(plan: LetterPlan, subscriptions: list[Subscription], ws: WriteSet, *, now: datetime) -> None:
    """The events of a planned letter (with their webhook deliveries), the jobs that carry it on,
    and its deadlines (refused with ValidationFailed before anything is added if they cannot hold)."""
    shipment, decision = plan.shipment, plan.decision
    if plan.deadlines is not None:
        deadlines_into(ws, plan.deadlines, shipment, now=now)
    for draft in plan.events:
        event_rows(realise(shipment, draft, now), subscriptions, ws)
    if decision.pending:
        enqueue_registration_jobs(ws, shipment, now=now)
    if decision.channel is None:
        return
    sid = {"shipment_id": str(shipment.id)}
    if plan.held and shipment.batch_id is None:
        enqueue_into(
            ws,
            job_kinds.PUBLISH,
            sid,
            now=now,
            run_at=shipment.publish_at,
            idempotency_key=f"publish:{shipment.id}",
        )
    elif not plan.held and not plan.inline:
        enqueue_into(ws, job_kinds.DELIVER, sid, now=now, idempotency_key=f"deliver:{shipment.id}")
    if plan.inline and wants_notice(shipment):
        enqueue_into(ws, job_kinds.NOTIFY, sid, now=now, idempotency_key=f"notify:{shipment.id}")
    if shipment.print_if_unread_after is not None and shipment.print_instructions is not None:
        enqueue_into(
            ws,
            job_kinds.PRINT_IF_UNREAD,
            sid,
            now=now,
            run_at=shipment.print_if_unread_after,
            idempotency_key=f"print-if-unread:{shipment.id}",
        )
