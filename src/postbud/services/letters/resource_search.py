"""A resource's letters newest publish time first, one page at a time (Altinn's search): the letters
of its sender or to one recipient, the time range and the sender's reference in the walk, and
optionally only letters that had an event of some types — so a search reads the pages it answers
from, not every letter of the resource."""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.identifiers import InvalidIdentifier, parse_party_id
from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime
from postbud.storage.repos.resource_letters import ResourceLetters as ResourceLetters

PublishedLetter = tuple[datetime, Shipment]
"""A letter with its publish time (``publish_at``, else when it was created)."""


async def resource_letters_page(
    which: ResourceLetters, runtime: Runtime, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[PublishedLetter]:
    """Up to ``limit`` letters, newest publish time first, after ``before`` (the publish time and id
    of the last letter of the page before)."""
    async with runtime.reader() as uow:
        return await uow.resource_letters.page(which, before=before, limit=limit)


async def recipient_id_of(party: str, runtime: Runtime) -> uuid.UUID | None:
    """The registered recipient with this party identifier (or mailbox address), if any."""
    try:
        parsed = parse_party_id(party, allow_synthetic=True)
    except InvalidIdentifier:
        return None
    async with runtime.reader() as uow:
        found = await uow.recipients.by_party_id(parsed) or await uow.recipients.by_mailbox_address(
            parsed.value
        )
    return found.id if found is not None else None


async def letters_of_idempotency_key(
    sender_id: uuid.UUID, dialect: str, key: str, runtime: Runtime
) -> list[Shipment]:
    """The letters the sender's request with this idempotency key made, in its order."""
    async with runtime.reader() as uow:
        found = [
            await uow.shipments.get(i)
            for i in await uow.shipments.by_idempotency_key(sender_id, dialect, key)
        ]
    return [shipment for shipment in found if shipment is not None]
