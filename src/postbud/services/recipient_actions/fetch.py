"""Use case: the recipient looks a letter up. Noted as ``fetched``, never a change of status."""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import Caller, fetch_counts, is_sender, require_available, require_party
from postbud.services.letters.locked_letter import LockedLetter, lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime


async def record_fetched(runtime: Runtime, caller: Caller, shipment_id: uuid.UUID) -> bool:
    """Note that the recipient fetched the letter; True if this fetch was recorded.

    The sender's own look-ups are not fetches. A recipient's fetch within ``FETCH_DEBOUNCE`` of the
    last one is not recorded again.
    """
    now = runtime.clock.now()
    async with runtime.reader() as uow:  # most look-ups change nothing: no write lock for them
        letter = await lock_letter(uow, shipment_id, lock=False)
        if not _records(caller, letter, now):
            return False
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        if not _records(caller, letter, now):
            return False  # another look-up was recorded meanwhile
        draft = EventDraft(EventType.FETCHED, letter.shipment.channel, {"by": "recipient"})
        return bool(await record_events(uow, letter.shipment, [draft], now=now))


def _records(caller: Caller, letter: LockedLetter, now: datetime) -> bool:
    require_party(caller, letter.shipment)
    if is_sender(caller, letter.shipment):
        return False
    require_available(letter.facts)
    return fetch_counts(letter.facts, now)
