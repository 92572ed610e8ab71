"""Use case: a recipient moves a letter between the inbox and archive folders (their own filing only)."""

from __future__ import annotations

import uuid

from postbud.domain.errors import NotFound
from postbud.services.runtime import Runtime


async def set_archived(
    runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID, *, archived: bool
) -> None:
    """Idempotent either way; NotFound unless the letter is in this recipient's inbox."""
    async with runtime.unit_of_work() as uow:
        inbox = uow.inbox
        shipment = (
            await uow.shipments.get(shipment_id) if await inbox.holds(recipient_id, shipment_id) else None
        )
        if shipment is None:
            raise NotFound("letter", shipment_id)
        if archived:
            await inbox.archive(
                shipment_id, recipient_id, letter_created_at=shipment.created_at, now=runtime.clock.now()
            )
        else:
            await inbox.unarchive(shipment_id)
