"""Use case: the recipient sends a letter on to an e-mail address (Altinn's forwarding, §5.6).

The request is one event (``forwarding_requested``) and one ``shipment.forward`` job in the same
transaction; the job sends the letter by the e-mail channel — its subject, the recipient's own text,
a Markdown body as the message's text and every other document attached — and records ``forwarded``
(or ``forwarding_failed`` when the mail server refuses it for good). Only a letter its recipient has
read may be forwarded, and once per address (compared without regard to case or surrounding space).
Whether a letter may be forwarded at all is the dialect's rule (Altinn's ``allowForwarding``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from postbud.channels.email import EmailChannel, attachment_names
from postbud.channels.faults import Rejected
from postbud.domain.channels import Channel
from postbud.domain.documents import Sensitivity
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.ids import new_id
from postbud.domain.letter_actions import Caller, require_available, require_recipient
from postbud.domain.letter_presentation import RECIPIENT_NAME_PLACEHOLDER
from postbud.domain.shipments import Shipment
from postbud.services.letters.locked_letter import lock_letter
from postbud.services.letters.record_event import record_events, record_events_for
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job

FORWARD_JOB = "shipment.forward"
MARKDOWN = "md"


def normalised(address: str) -> str:
    return address.strip().lower()


def forwarded_to(events: Iterable[ShipmentEvent]) -> set[str]:
    """The addresses the letter was forwarded to (or is being), normalised."""
    return {normalised(str(e.data.get("to", ""))) for e in events if e.type is EventType.FORWARDING_REQUESTED}


async def forward_letter(
    runtime: Runtime, caller: Caller, shipment_id: uuid.UUID, to: str, text: str | None
) -> uuid.UUID:
    """The forwarding's id. Refused unless read (NOT_YET), and a second time to one address
    (ALREADY_DONE)."""
    now = runtime.clock.now()
    address = normalised(to)
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        require_recipient(caller, letter.shipment)
        require_available(letter.facts)
        if not letter.facts.opened:
            raise Conflict("letter", "the letter must be read before it is forwarded", ConflictCode.NOT_YET)
        if address in forwarded_to(letter.events):
            raise Conflict(
                "forward_to", "the letter was forwarded to this address already", ConflictCode.ALREADY_DONE
            )
        forwarding_id = new_id()
        data = {"forwarding_id": str(forwarding_id), "to": address, "text": text}
        draft = EventDraft(EventType.FORWARDING_REQUESTED, Channel.EMAIL, data, f"forward:{forwarding_id}")
        await record_events(uow, letter.shipment, [draft], now=now)
        await uow.jobs.enqueue(
            FORWARD_JOB,
            {"shipment_id": str(shipment_id), "forwarding_id": str(forwarding_id)},
            now=now,
            idempotency_key=f"forward:{forwarding_id}",
        )
    return forwarding_id


async def _message(
    runtime: Runtime, shipment: Shipment, text: str | None
) -> tuple[str, str, list[tuple[str, str, bytes]]]:
    documents = sorted(shipment.documents, key=lambda d: d.position)
    primary = documents[0] if documents else None
    body = ""
    if primary is not None and primary.file_type.lower() == MARKDOWN:
        body = (await runtime.blobs.get(primary.sha256)).decode("utf-8", "replace")
        documents = documents[1:]
    sensitive = shipment.primary.sensitivity is Sensitivity.SENSITIVE if shipment.documents else False
    subject = "A letter for you" if sensitive or not shipment.subject else shipment.subject
    name = shipment.recipient_name or ""
    body = body.replace(RECIPIENT_NAME_PLACEHOLDER, name)
    subject = subject.replace(RECIPIENT_NAME_PLACEHOLDER, name)
    intro = f"{name or 'Its recipient'} forwarded this letter to you through Postbud."
    parts = [intro, *([text] if text else []), *([body] if body else [])]
    files = [
        (file_name, d.mime, await runtime.blobs.get(d.sha256))
        for d, file_name in zip(documents, attachment_names(documents), strict=True)
    ]
    return subject, "\n\n".join(parts), files


async def send_forwarding(shipment_id: uuid.UUID, forwarding_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``shipment.forward`` job: idempotent (the outcome event's key), retried on transient failure."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None:
            raise NotFound("letter", shipment_id)
        events = await uow.events.for_shipment(shipment_id)
    key = str(forwarding_id)
    if any(e.dedup_key in {f"forwarded:{key}", f"forwarding_failed:{key}"} for e in events):
        return
    request = next(
        (
            e
            for e in events
            if e.type is EventType.FORWARDING_REQUESTED and e.data.get("forwarding_id") == key
        ),
        None,
    )
    if request is None:
        raise NotFound("forwarding", forwarding_id)
    to = str(request.data["to"])
    channel = runtime.channels.get(Channel.EMAIL)
    try:
        if not isinstance(channel, EmailChannel):
            raise Rejected("this deployment has no e-mail channel")
        subject, text, files = await _message(runtime, shipment, request.data.get("text"))
        sent = await channel.send_with_files(to, subject, text, files, f"forward.{forwarding_id}")
    except Rejected as exc:
        data = {"forwarding_id": key, "to": to, "reason": exc.reason}
        draft = EventDraft(EventType.FORWARDING_FAILED, Channel.EMAIL, data, f"forwarding_failed:{key}")
    else:
        data = {"forwarding_id": key, **sent, "to": to}
        draft = EventDraft(EventType.FORWARDED, Channel.EMAIL, data, f"forwarded:{key}")
    await record_events_for(runtime, shipment_id, [draft])


async def run_forward_job(job: Job, runtime: Runtime) -> None:
    await send_forwarding(
        uuid.UUID(job.payload["shipment_id"]), uuid.UUID(job.payload["forwarding_id"]), runtime
    )


async def give_up_forwarding(job: Job, runtime: Runtime, error: str) -> None:
    key = str(job.payload["forwarding_id"])
    data = {"forwarding_id": key, "reason": error}
    draft = EventDraft(EventType.FORWARDING_FAILED, Channel.EMAIL, data, f"forwarding_failed:{key}")
    await record_events_for(runtime, uuid.UUID(job.payload["shipment_id"]), [draft])
