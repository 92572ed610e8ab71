"""A letter read for an action under its row lock, with what its events say about it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from postbud.domain.errors import NotFound
from postbud.domain.events import ShipmentEvent
from postbud.domain.letter_actions import LetterFacts, facts_of
from postbud.domain.shipments import Shipment
from postbud.storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class LockedLetter:
    shipment: Shipment
    events: list[ShipmentEvent]
    facts: LetterFacts


async def lock_letter(uow: SqlUnitOfWork, shipment_id: uuid.UUID, *, lock: bool = True) -> LockedLetter:
    """The letter, locked for ``uow``'s transaction, so two actions on it take turns (``lock``
    False: a plain read, for deciding whether an action needs a write at all)."""
    shipment = await uow.shipments.get(shipment_id, for_update=lock)
    if shipment is None:
        raise NotFound("letter", shipment_id)
    events = await uow.events.for_shipment(shipment_id)
    return LockedLetter(shipment, events, facts_of(shipment.status, events))
