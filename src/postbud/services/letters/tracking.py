"""Use case: a registered letter's tracking moves on (the postal operator, or the sandbox operator, says so).

The print house gives a registered letter its tracking number when it is posted (state "registered",
in the POSTED event). Each later state is a TRACKING_UPDATED event with the number and the state, once
each and never backwards; the letter's status does not change. Ekopost shows the latest state as the
envelope's ``tracking.trackingState``.
"""

from __future__ import annotations

import uuid

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.print_layout import TrackingState
from postbud.domain.tracking import check_tracking_step, current_tracking
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

_TRACKED = frozenset({EventType.POSTED, EventType.TRACKING_UPDATED})


async def record_tracking(runtime: Runtime, shipment_id: uuid.UUID, state: TrackingState) -> ShipmentEvent:
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None:
            raise NotFound("shipment", shipment_id)
        events = await uow.events.for_shipment(shipment_id)
        tracked = current_tracking(e.data for e in events if e.type in _TRACKED)
        if tracked is None:
            raise Conflict("letter", "only a posted registered letter is tracked", ConflictCode.WRONG_STATE)
        number, current = tracked
        check_tracking_step(current, state)
        data = {"tracking": {"number": number, "state": state.value}}
        draft = EventDraft(EventType.TRACKING_UPDATED, Channel.PRINT, data, f"tracking:{state.value}")
        [recorded] = await record_events(uow, shipment, [draft], now=runtime.clock.now())
    return recorded
