"""Use case: the recipient marks a fetched letter as read (``opened``, the first time only)."""

from __future__ import annotations

import uuid

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import Caller, check_read, require_recipient
from postbud.services.inbox.open_letter import OPENED_KEY
from postbud.services.letters.locked_letter import lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime


async def mark_read(runtime: Runtime, caller: Caller, shipment_id: uuid.UUID) -> None:
    """Refused before a fetch (NOT_YET) and the second time (ALREADY_DONE)."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        require_recipient(caller, letter.shipment)
        check_read(letter.facts)
        draft = EventDraft(EventType.OPENED, letter.shipment.channel, {"by": "recipient"}, OPENED_KEY)
        await record_events(uow, letter.shipment, [draft], now=now)
