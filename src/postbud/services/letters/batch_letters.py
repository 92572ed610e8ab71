"""A batch's letters in full, in one read: what an Ekopost envelope list shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class LetterOfBatch:
    shipment: Shipment
    updated_at: datetime
    """When its status last changed (the row's update time)."""


async def letters_of_batch(runtime: Runtime, batch_id: uuid.UUID) -> list[LetterOfBatch]:
    """Every letter of the batch with its documents, oldest first."""
    async with runtime.reader() as uow:
        shipments = {s.id: s for s in await uow.shipments.in_batch(batch_id)}
        letters = await uow.batches.letters(batch_id)
    return [
        LetterOfBatch(shipments[letter.id], letter.updated_at) for letter in letters if letter.id in shipments
    ]
