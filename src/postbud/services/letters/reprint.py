"""Use case: print a letter again after its print failed — the console's "print again".

The print house does not retry a refused print by itself, since the same letter would fail the same
way. Once the cause is dealt with (a paper jam, a fault injected in the sandbox), an operator sends
the letter to print again. Each attempt has a number: a ROUTED event records that it was asked for,
and a job keyed by the attempt carries it out, so a double click queues one print and each attempt's
outcome (SENT_TO_PRINT … POSTED, or PRINT_FAILED again) is recorded as events of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Final

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events, record_events_for
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.errors import DuplicateKey
from postbud.storage.repos.jobs import READY, RUNNING

REASON: Final = "printing again, as an operator asked after the print failed"
_FAILURES: Final = (EventType.PRINT_FAILED, EventType.DELIVERY_FAILED)


def attempt_suffix(attempt: int) -> str:
    return f"again-{attempt}"


def reprint_job_key(shipment_id: uuid.UUID, attempt: int) -> str:
    return f"reprint:{shipment_id}:{attempt}"


def _requested_key(attempt: int) -> str:
    return f"routed:print:{attempt_suffix(attempt)}"


def attempts_of(events: list[ShipmentEvent]) -> int:
    """How many times the letter was sent to print again."""
    return sum(
        1
        for e in events
        if e.type is EventType.ROUTED and (e.dedup_key or "").startswith("routed:print:again-")
    )


def print_failed(shipment: Shipment, events: list[ShipmentEvent]) -> bool:
    """Its last print attempt failed (refused by the print house, or the job gave up)."""
    if shipment.status is not ShipmentStatus.FAILED or shipment.channel is not Channel.PRINT:
        return False
    return any(e.type in _FAILURES and e.channel is Channel.PRINT for e in events)


def reprint_keys(shipment_id: uuid.UUID, events: list[ShipmentEvent]) -> dict[str, uuid.UUID]:
    """The job keys of the letter's attempts so far (for finding their jobs)."""
    return {reprint_job_key(shipment_id, n): shipment_id for n in range(1, attempts_of(events) + 1)}


async def print_again(runtime: Runtime, shipment_id: uuid.UUID) -> int:
    """Queue a new print of a letter whose print failed; returns the attempt's number."""
    now = runtime.clock.now()
    try:
        async with runtime.unit_of_work() as uow:
            shipment = await uow.shipments.get(shipment_id, for_update=True)
            if shipment is None:
                raise NotFound("shipment", shipment_id)
            events = await uow.events.for_shipment(shipment_id)
            if not print_failed(shipment, events):
                raise Conflict(
                    "letter",
                    "only a letter whose print failed can be printed again",
                    ConflictCode.WRONG_STATE,
                )
            queued = await uow.shipment_jobs.by_keys(reprint_keys(shipment_id, events))
            if any(job.status in (READY, RUNNING) for job in queued.values()):
                raise Conflict(
                    "letter", "a new print of this letter is already queued", ConflictCode.ALREADY_DONE
                )
            attempt = attempts_of(events) + 1
            data = {"channel": Channel.PRINT.value, "reason": REASON, "attempt": attempt}
            draft = EventDraft(EventType.ROUTED, Channel.PRINT, data, _requested_key(attempt))
            await record_events(uow, shipment, [draft], now=now)
            await uow.jobs.enqueue(
                job_kinds.REPRINT,
                {"shipment_id": str(shipment_id), "attempt": attempt},
                now=now,
                idempotency_key=reprint_job_key(shipment_id, attempt),
            )
    except DuplicateKey:  # two clicks at once: the unique keys let one through
        raise Conflict(
            "letter", "a new print of this letter is already queued", ConflictCode.ALREADY_DONE
        ) from None
    runtime.jobs_available()
    return attempt


def _for_attempt(draft: EventDraft, attempt: int) -> EventDraft:
    key = f"{draft.dedup_key}:{attempt_suffix(attempt)}" if draft.dedup_key else None
    return replace(draft, dedup_key=key, data={**draft.data, "attempt": attempt})


async def reprint(shipment_id: uuid.UUID, attempt: int, runtime: Runtime) -> None:
    """The ``shipment.reprint`` job: hand the letter to the print house once more."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None:
            return
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
        events = await uow.events.for_shipment(shipment_id)
    outcome = f":{attempt_suffix(attempt)}"
    done = any(e.type is not EventType.ROUTED and (e.dedup_key or "").endswith(outcome) for e in events)
    if done or shipment.status is not ShipmentStatus.FAILED:  # a run before this one, or cancelled
        return
    drafts = await runtime.channel(Channel.PRINT).deliver(shipment, recipient)  # DeliveryFailed: retry
    await record_events_for(runtime, shipment_id, [_for_attempt(d, attempt) for d in drafts])


async def give_up_reprint(shipment_id: uuid.UUID, attempt: int, runtime: Runtime, error: str) -> None:
    draft = EventDraft(EventType.DELIVERY_FAILED, Channel.PRINT, {"reason": error}, "delivery_failed")
    await record_events_for(runtime, shipment_id, [_for_attempt(draft, attempt)])
