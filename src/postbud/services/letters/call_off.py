"""Calling off the waiting work of a letter that is cancelled or purged: nothing runs for it any more."""

from __future__ import annotations

from datetime import datetime

from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.services.letters.deadlines import deadline_job_keys
from postbud.services.letters.reminders import reminder_keys
from postbud.storage.repos.shipment_jobs import letter_job_keys
from postbud.storage.unit_of_work import SqlUnitOfWork


async def refuse_if_under_way(uow: SqlUnitOfWork, shipment: Shipment) -> None:
    """A worker handing the letter to its channel right now could not be stopped: refuse instead."""
    keys = [f"{kind}:{shipment.id}" for kind in ("deliver", "deliver-print", "publish")]
    if await uow.waiting_jobs.running(keys):
        raise Conflict(
            "letter", "the letter is being handed to its channel right now", ConflictCode.WRONG_STATE
        )


async def call_off_letter_jobs(
    uow: SqlUnitOfWork, shipment: Shipment, events: list[ShipmentEvent], *, reason: str, now: datetime
) -> int:
    """Mark every waiting job of the letter done unrun: delivery, publication, print-if-unread,
    registration, notices and reminders, due date and document expiry. How many there were."""
    keys = [*letter_job_keys(shipment.id), f"notify:{shipment.id}"]
    keys += reminder_keys(shipment, events)
    keys += deadline_job_keys(await uow.letter_terms.get(shipment.id))
    return await uow.waiting_jobs.call_off(keys, reason=reason, now=now)
