"""Ekopost's one vocabulary of states: campaigns from the core's batch states, envelopes from the
core's letter statuses.

An envelope delivered to a digital inbox or by e-mail reached its end as a posted paper letter
does, so it is ``posted``; a letter routed but not yet handed to the print house is ``closed``.
"""

from __future__ import annotations

from typing import Final

from postbud.domain.batches import BatchState
from postbud.domain.status import ShipmentStatus

CAMPAIGN_STATES: Final[dict[BatchState, str]] = {
    BatchState.OPENED: "opened",
    BatchState.CLOSED: "closed",
    BatchState.TRANSFERRED: "transferred",
    BatchState.COMPLETED: "completed",
    BatchState.FAILED: "failed",
    BatchState.CANCELLED: "cancelled",
}

ENVELOPE_STATES: Final[dict[ShipmentStatus, str]] = {
    ShipmentStatus.DRAFT: "opened",
    ShipmentStatus.ACCEPTED: "closed",
    ShipmentStatus.SCHEDULED: "closed",
    ShipmentStatus.ROUTED: "closed",
    ShipmentStatus.IN_PRINT: "transferred",
    ShipmentStatus.PRINTED: "printed",
    ShipmentStatus.POSTED: "posted",
    ShipmentStatus.DELIVERED: "posted",
    ShipmentStatus.OPENED: "posted",
    ShipmentStatus.PURGED: "posted",
    ShipmentStatus.CANCELLED: "cancelled",
    ShipmentStatus.FAILED: "failed",
    ShipmentStatus.NOT_DELIVERED: "failed",
    ShipmentStatus.EXPIRED: "failed",
}

CAMPAIGN_STATE_NAMES: Final = frozenset(CAMPAIGN_STATES.values())
ENVELOPE_STATE_NAMES: Final = frozenset(ENVELOPE_STATES.values())


def campaign_state(state: BatchState) -> str:
    return CAMPAIGN_STATES[state]


def envelope_state(status: ShipmentStatus) -> str:
    return ENVELOPE_STATES[status]
