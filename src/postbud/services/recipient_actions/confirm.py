"""Use case: the recipient confirms a fetched letter (once)."""

from __future__ import annotations

import uuid

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import Caller, check_confirm, require_recipient
from postbud.services.letters.locked_letter import lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

CONFIRMED_KEY = "confirmed"


async def confirm_letter(runtime: Runtime, caller: Caller, shipment_id: uuid.UUID) -> None:
    """Refused before a fetch (NOT_YET) and the second time (ALREADY_DONE)."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        require_recipient(caller, letter.shipment)
        check_confirm(letter.facts)
        draft = EventDraft(EventType.CONFIRMED, letter.shipment.channel, {"by": "recipient"}, CONFIRMED_KEY)
        await record_events(uow, letter.shipment, [draft], now=now)
