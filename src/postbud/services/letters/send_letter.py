"""Use case: accept a letter, store it durably, route it, and start its delivery.

The hot path of every dialect. A few indexed reads go to a quick read connection; the writes
(document contents, shipment, documents, events, jobs, webhook deliveries) form one WriteSet that
the group-commit writer makes durable together with other requests' WriteSets: the contents of a
whole batch behind one blob barrier, then its rows in one transaction, before anyone is answered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel, Document, Sensitivity
from postbud.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from postbud.domain.event_drafts import EventDraft, realise
from postbud.domain.events import EventType
from postbud.domain.identifiers import PartyId
from postbud.domain.ids import new_id
from postbud.domain.routing import RouteDecision, RoutingRequest, decide_route
from postbud.domain.shipments import (
    NotificationRequest,
    PrintInstructions,
    RegistrationRequest,
    Shipment,
)
from postbud.domain.status import derive_status
from postbud.services.registration.at_send import enqueue_registration_jobs, registration_errors
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds, schema
from postbud.storage.blobs import compute_refs
from postbud.storage.repos.events import event_rows
from postbud.storage.repos.jobs import enqueue_into
from postbud.storage.repos.shipments import shipment_rows
from postbud.storage.writeset import WriteSet

# A publish time this close to now counts as now: clocks of client and server differ a little.
_PUBLISH_TOLERANCE = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class DocumentInput:
    content: bytes
    file_type: str
    mime: str
    title: str | None = None
    external_id: str | None = None
    authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity: Sensitivity = Sensitivity.NORMAL
    datatype: dict[str, Any] | None = None
    opening_receipt: bool = False
    pages: int | None = None


@dataclass(frozen=True, slots=True)
class SendLetter:
    sender_id: uuid.UUID
    dialect: str
    documents: tuple[DocumentInput, ...]
    channels: tuple[Channel, ...] = (Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX)
    external_id: str | None = None
    recipient: PartyId | None = None
    mailbox_address: str | None = None
    recipient_name: str | None = None
    print_instructions: PrintInstructions | None = None
    print_if_unread_after: datetime | None = None
    publish_at: datetime | None = None
    notifications: tuple[NotificationRequest, ...] = ()
    email_address: str | None = None
    batch_id: uuid.UUID | None = None
    invoice_reference: str | None = None
    ignore_reservation: bool = False
    reject_if_undeliverable: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    registration: RegistrationRequest | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    shipment: Shipment
    decision: RouteDecision
    held: bool


class Undeliverable(NotFound):
    """No channel can take the letter and the sender asked to be told at once."""

    def __init__(self, decision: RouteDecision) -> None:
        super().__init__("recipient", decision.reason)
        self.decision = decision


def _validate(cmd: SendLetter, runtime: Runtime, now: datetime) -> None:
    errors: list[FieldError] = []
    settings = runtime.settings
    if not cmd.documents:
        errors.append(FieldError("documents", "a letter needs a primary document"))
    if len(cmd.documents) > 1 + settings.max_attachments:
        errors.append(FieldError("documents", f"at most {settings.max_attachments} attachments"))
    seen: set[str] = set()
    for i, doc in enumerate(cmd.documents):
        if len(doc.content) > settings.max_document_bytes:
            errors.append(FieldError(f"documents[{i}]", f"larger than {settings.max_document_bytes} bytes"))
        if not doc.content:
            errors.append(FieldError(f"documents[{i}]", "document is empty"))
        if doc.external_id:
            if doc.external_id in seen:
                errors.append(FieldError(f"documents[{i}].id", "document ids must be unique in a letter"))
            seen.add(doc.external_id)
    if cmd.publish_at is not None and cmd.publish_at < now - _PUBLISH_TOLERANCE:
        errors.append(FieldError("publish_at", "must not be in the past"))
    errors.extend(registration_errors(cmd.registration, cmd.recipient, now))
    if errors:
        raise ValidationFailed(errors)


def _print_needs_pdf(cmd: SendLetter) -> None:
    errors = [
        FieldError(f"documents[{i}].file_type", "print requires PDF documents")
        for i, doc in enumerate(cmd.documents)
        if not (doc.file_type.lower() == "pdf" and doc.content.startswith(b"%PDF-"))
    ]
    if errors:
        raise ValidationFailed(errors)


def _conflict(exc: IntegrityError) -> Conflict:
    # Both SQLite ("documents.sender_id, …") and PostgreSQL ("uq_documents_…") name the table.
    if schema.documents.name in str(exc.orig):
        return Conflict("documents.id", "a document id of this letter was already used")
    return Conflict("external_id", "a letter with this id was already sent")


async def send_letter(cmd: SendLetter, runtime: Runtime) -> Accepted:
    now = runtime.clock.now()
    _validate(cmd, runtime, now)
    # A reused letter or document id is caught by the unique constraints when the rows are written.
    if cmd.batch_id is not None:
        async with runtime.quick_reader() as uow:
            batch = await uow.batches.get(cmd.batch_id)
        if batch is None or batch.sender_id != cmd.sender_id:
            raise NotFound("batch", cmd.batch_id)
        batch.require_open()
    recipient, subscriptions = await runtime.hot_reads.for_send(
        cmd.sender_id, party_id=cmd.recipient, mailbox_address=cmd.mailbox_address
    )

    routing = RoutingRequest(
        channels=cmd.channels,
        has_print_instructions=cmd.print_instructions is not None,
        email_address=cmd.email_address,
        ignore_reservation=cmd.ignore_reservation,
        registration_requested=cmd.registration is not None,
    )
    decision = decide_route(routing, recipient)
    if decision.channel is None and not decision.pending and cmd.reject_if_undeliverable:
        raise Undeliverable(decision)
    if decision.channel is Channel.PRINT:
        _print_needs_pdf(cmd)

    contents = [d.content for d in cmd.documents]
    refs = await compute_refs(contents)  # the writer stores the contents with the rows
    documents = tuple(
        Document(
            id=new_id(),
            position=i,
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
        )
        for i, (d, ref) in enumerate(zip(cmd.documents, refs, strict=True))
    )
    held = cmd.batch_id is not None or (
        cmd.publish_at is not None and cmd.publish_at > now + _PUBLISH_TOLERANCE
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

    shipment = Shipment(
        id=new_id(),
        sender_id=cmd.sender_id,
        dialect=cmd.dialect,
        external_id=cmd.external_id,
        recipient_id=recipient.id if recipient else None,
        recipient_party=str(cmd.recipient) if cmd.recipient else cmd.mailbox_address,
        recipient_name=recipient.name if recipient else cmd.recipient_name,
        channels=cmd.channels,
        documents=documents,
        created_at=now,
        publish_at=cmd.publish_at,
        print_instructions=cmd.print_instructions,
        print_if_unread_after=cmd.print_if_unread_after,
        notifications=cmd.notifications,
        email_address=cmd.email_address,
        batch_id=cmd.batch_id,
        invoice_reference=cmd.invoice_reference,
        channel=decision.channel,
        ignore_reservation=cmd.ignore_reservation,
        properties=cmd.properties,
        registration=cmd.registration,
    )
    adapter = runtime.channel(decision.channel) if decision.channel else None
    if adapter is not None and adapter.inline and not held:
        drafts.extend(await adapter.deliver(shipment, recipient))

    ws = WriteSet(blobs=contents, blob_refs=refs)
    shipment = replace(shipment, status=derive_status(d.type for d in drafts) or shipment.status)
    shipment_rows(shipment, ws)
    for draft in drafts:
        event_rows(realise(shipment, draft, now), subscriptions, ws)
    sid = {"shipment_id": str(shipment.id)}
    if decision.pending:
        enqueue_registration_jobs(ws, shipment, now=now)
    if decision.channel is not None:
        if held and cmd.batch_id is None:
            enqueue_into(
                ws,
                job_kinds.PUBLISH,
                sid,
                now=now,
                run_at=cmd.publish_at,
                idempotency_key=f"publish:{shipment.id}",
            )
        elif not held and not (adapter and adapter.inline):
            enqueue_into(ws, job_kinds.DELIVER, sid, now=now, idempotency_key=f"deliver:{shipment.id}")
        if not held and adapter and adapter.inline and cmd.notifications:
            enqueue_into(ws, job_kinds.NOTIFY, sid, now=now, idempotency_key=f"notify:{shipment.id}")
        if cmd.print_if_unread_after is not None and cmd.print_instructions is not None:
            enqueue_into(
                ws,
                job_kinds.PRINT_IF_UNREAD,
                sid,
                now=now,
                run_at=cmd.print_if_unread_after,
                idempotency_key=f"print-if-unread:{shipment.id}",
            )
    try:
        await runtime.writer.submit(ws)
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    if ws.rows.get(schema.jobs.name):  # waking idle workers for nothing costs them a write lock
        runtime.jobs_available()
    return Accepted(shipment, decision, held)
