"""A letter's deadlines: its due date (was it read, and confirmed, in time?) and the expiry of its
documents (downloads end; the letter itself lives on).

A sender states them as ``LetterTerms`` when it sends the letter: ``terms_into`` adds their rows and
their jobs to the send's WriteSet, so the letter, its terms and the jobs that keep them are durable
together; ``set_letter_terms`` does the same for a stored letter in a transaction of its own. Each job
records its events once (dedup keys), so a job that runs twice changes nothing the second time.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_terms import Deadlines, LetterTerms
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.repos.jobs import enqueue_into
from postbud.storage.repos.letter_terms import terms_rows
from postbud.storage.writeset import WriteSet

NEVER_READ_KEY = "never_read"
NEVER_CONFIRMED_KEY = "never_confirmed"
_OVER = frozenset({ShipmentStatus.PURGED, ShipmentStatus.CANCELLED})


def due_key(shipment_id: uuid.UUID) -> str:
    return f"due:{shipment_id}"


def expiry_key(shipment_id: uuid.UUID, document_id: uuid.UUID) -> str:
    return f"document-expire:{shipment_id}:{document_id}"


def expired_event_key(document_id: uuid.UUID) -> str:
    return f"attachment_expired:{document_id}"


def deadline_job_keys(terms: LetterTerms | None) -> list[str]:
    """The keys of the jobs that keep ``terms`` (to call them off when the letter is gone)."""
    if terms is None:
        return []
    keys = [due_key(terms.shipment_id)] if terms.due_at else []
    keys += [expiry_key(terms.shipment_id, e.document_id) for e in terms.document_expiry]
    return keys


def terms_into(ws: WriteSet, terms: LetterTerms, shipment: Shipment, *, now: datetime) -> None:
    """Check ``terms`` against ``shipment`` and add their rows and jobs to ``ws``."""
    terms.check(now, {d.id for d in shipment.documents}, publish_at=shipment.publish_at)
    terms_rows(terms, ws, now=now)
    sid = str(terms.shipment_id)
    if terms.due_at is not None:
        enqueue_into(
            ws,
            job_kinds.DUE,
            {"shipment_id": sid},
            now=now,
            run_at=terms.due_at,
            idempotency_key=due_key(terms.shipment_id),
        )
    for expiry in terms.document_expiry:
        enqueue_into(
            ws,
            job_kinds.DOCUMENT_EXPIRE,
            {"shipment_id": sid, "document_id": str(expiry.document_id)},
            now=now,
            run_at=expiry.expires_at,
            idempotency_key=expiry_key(terms.shipment_id, expiry.document_id),
        )


def deadlines_into(ws: WriteSet, deadlines: Deadlines, shipment: Shipment, *, now: datetime) -> None:
    """``terms_into`` for a letter being planned: its send stated ``deadlines``."""
    document_ids = [d.id for d in sorted(shipment.documents, key=lambda d: d.position)]
    terms_into(ws, deadlines.for_letter(shipment.id, document_ids), shipment, now=now)


async def set_letter_terms(runtime: Runtime, terms: LetterTerms) -> None:
    """Give a stored letter its terms (once), with their jobs, in one transaction."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(terms.shipment_id, for_update=True)
        if shipment is None:
            raise NotFound("letter", terms.shipment_id)
        ws = WriteSet()
        terms_into(ws, terms, shipment, now=now)
        await uow.apply(ws)
    runtime.jobs_available()


async def note_due_date(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``shipment.due`` job: a delivered letter not read (not confirmed, if asked) gets it noted."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        terms = await uow.letter_terms.get(shipment_id)
        if shipment is None or terms is None or shipment.status in _OVER:
            return
        events = await uow.events.for_shipment(shipment_id)
        if not any(e.type is EventType.DELIVERED for e in events):
            return  # never reached the recipient: nothing they could have read
        kinds = {e.type for e in events}
        reason = {"due_at": terms.due_at.isoformat() if terms.due_at else None}
        drafts: list[EventDraft] = []
        if EventType.OPENED not in kinds:
            drafts.append(EventDraft(EventType.NEVER_READ, None, reason, NEVER_READ_KEY))
        if terms.needs_confirmation and EventType.CONFIRMED not in kinds:
            drafts.append(EventDraft(EventType.NEVER_CONFIRMED, None, reason, NEVER_CONFIRMED_KEY))
        await record_events(uow, shipment, drafts, now=now)


async def expire_document(shipment_id: uuid.UUID, document_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``shipment.document_expire`` job: the document may no longer be downloaded."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None or shipment.status in _OVER:
            return
        if not any(d.id == document_id for d in shipment.documents):
            return
        data = {"document_id": str(document_id), "reason": "its download time is over"}
        draft = EventDraft(EventType.ATTACHMENT_EXPIRED, None, data, expired_event_key(document_id))
        await record_events(uow, shipment, [draft], now=now)
