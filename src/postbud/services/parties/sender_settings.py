"""Use cases: a sender's own region (time zone, country) and its set-up for protected mailing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from postbud.domain.errors import NotFound
from postbud.domain.parties import Sender
from postbud.services.runtime import Runtime


async def set_sender_region(
    runtime: Runtime, sender_id: uuid.UUID, *, time_zone: str | None, country: str | None
) -> Sender:
    """Give the sender its own zone and country (None: the deployment's). ValidationFailed if unknown."""
    zone = time_zone.strip() if time_zone else None
    code = country.strip().upper() if country else None
    runtime.settings.regional().overridden(time_zone=zone, country=code)  # refuses an unknown zone or country
    return await _change(runtime, sender_id, lambda s: replace(s, time_zone=zone, country=code))


async def allow_protected_mailing(runtime: Runtime, sender_id: uuid.UUID, *, allowed: bool = True) -> Sender:
    return await _change(runtime, sender_id, lambda s: replace(s, may_protected_print=allowed))


async def _change(runtime: Runtime, sender_id: uuid.UUID, change: Callable[[Sender], Sender]) -> Sender:
    async with runtime.unit_of_work() as uow:
        sender = await uow.senders.get(sender_id)
        if sender is None:
            raise NotFound("sender", sender_id)
        changed = change(sender)
        await uow.senders.update(changed)
    return changed
