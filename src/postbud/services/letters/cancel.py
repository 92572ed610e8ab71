"""Use case: the sender cancels one letter before it reached a channel or its recipient."""

from __future__ import annotations

import uuid

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import Caller, check_cancel, require_sender
from postbud.services.letters.call_off import call_off_letter_jobs, refuse_if_under_way
from postbud.services.letters.locked_letter import lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

CANCELLED_KEY = "cancelled"


async def cancel_letter(
    runtime: Runtime, caller: Caller, shipment_id: uuid.UUID, *, reason: str | None = None
) -> None:
    """Cancel it and call off its waiting jobs. Too late (WRONG_STATE) once a channel has it."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        require_sender(caller, letter.shipment)
        check_cancel(letter.facts)
        await refuse_if_under_way(uow, letter.shipment)
        data = {"by": "sender", "reason": reason or "cancelled by its sender"}
        await record_events(
            uow, letter.shipment, [EventDraft(EventType.CANCELLED, None, data, CANCELLED_KEY)], now=now
        )
        await call_off_letter_jobs(
            uow, letter.shipment, letter.events, reason="its letter was cancelled", now=now
        )
    runtime.jobs_available()
