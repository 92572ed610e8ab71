"""Use case: purge a letter. Its sender may before it is published (or once it failed), its
recipient after (having confirmed it first, if the sender asked for that). The letter then ends:
its waiting jobs are called off and its references to stored documents are dropped."""

from __future__ import annotations

import uuid

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import (
    Caller,
    check_recipient_purge,
    check_sender_purge,
    is_sender,
    require_party,
)
from postbud.services.letters.blob_release import release_letter_blobs
from postbud.services.letters.call_off import call_off_letter_jobs, refuse_if_under_way
from postbud.services.letters.locked_letter import lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

PURGED_KEY = "purged"


async def purge_letter(runtime: Runtime, caller: Caller, shipment_id: uuid.UUID) -> None:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        require_party(caller, letter.shipment)
        if is_sender(caller, letter.shipment):
            by = "sender"
            check_sender_purge(letter.facts)
            await refuse_if_under_way(uow, letter.shipment)
        else:
            by = "recipient"
            terms = await uow.letter_terms.get(shipment_id)
            check_recipient_purge(letter.facts, needs_confirmation=bool(terms and terms.needs_confirmation))
        draft = EventDraft(EventType.PURGED, None, {"by": by}, PURGED_KEY)
        await record_events(uow, letter.shipment, [draft], now=now)
        await call_off_letter_jobs(uow, letter.shipment, letter.events, reason=f"purged by its {by}", now=now)
        await release_letter_blobs(uow, shipment_id, now=now)
    runtime.jobs_available()
