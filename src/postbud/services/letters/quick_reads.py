"""A dialect's per-request look-ups, run inline on SQLite: one batch and one of its letters (Ekopost
reads its campaign and envelope on every request, three or four an envelope), the recipients a
request names (Altinn's initialize checks them before it sends).

On a SQLite file these are statements compiled once and run on the event loop's own connection
(``storage/hot_reads_letters.py``, ``storage/hot_reads_send_many.py``); elsewhere ordinary
repository reads. The answers are the same as find_batch's, get_shipment's and the registry's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from postbud.domain.batches import Batch
from postbud.domain.errors import NotFound
from postbud.domain.identifiers import PartyId
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment
from postbud.services.letters.query import ShipmentDetails
from postbud.services.runtime import Runtime
from postbud.storage.hot_reads_letters import batch_by_external_id, stored_letter
from postbud.storage.hot_reads_send_many import recipients_and_subscriptions


async def find_batch_quickly(runtime: Runtime, sender_id: uuid.UUID, dialect: str, external_id: str) -> Batch:
    """The sender's batch of this dialect with this external id; NotFound for anyone else's."""
    batch = await batch_by_external_id(runtime.database, sender_id, dialect, external_id)
    if batch is None:
        raise NotFound("batch", external_id)
    return batch


@dataclass(frozen=True, slots=True)
class QuickLetter:
    """A letter as one read found it: with its events and, for a draft, its stored request (what
    closing it needs, so a close handed this read does not read the draft again)."""

    details: ShipmentDetails
    draft_request: dict[str, Any]

    @property
    def shipment(self) -> Shipment:
        return self.details.shipment


async def get_letter_quickly(
    runtime: Runtime, shipment_id: uuid.UUID, *, sender_id: uuid.UUID
) -> QuickLetter:
    """The sender's letter, its events (oldest first) and a draft's stored request; NotFound for
    another sender's."""
    letter = await stored_letter(runtime.database, shipment_id, with_events=True)
    if letter is None or letter.shipment.sender_id != sender_id:
        raise NotFound("shipment", shipment_id)
    return QuickLetter(ShipmentDetails(letter.shipment, letter.events or []), letter.request)


async def get_shipment_quickly(
    runtime: Runtime, shipment_id: uuid.UUID, *, sender_id: uuid.UUID
) -> ShipmentDetails:
    """The sender's shipment and its events, oldest first; NotFound for another sender's."""
    return (await get_letter_quickly(runtime, shipment_id, sender_id=sender_id)).details


async def registered_recipients(
    runtime: Runtime, party_ids: Sequence[PartyId | None]
) -> list[Recipient | None]:
    """Each recipient as the registry has it (None for None, or where it has none)."""
    found, _ = await recipients_and_subscriptions(runtime.database, None, [(p, None) for p in party_ids])
    return found
