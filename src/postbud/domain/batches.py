"""Batches group shipments that are released together: a Digipost batch, an Ekopost campaign,
an Altinn multi-recipient request.

A batch has two sides. Its ``status`` is what the sender decided (open, completed = closed by the
sender, cancelled), as Digipost shows it. Its ``state`` is where its letters are, derived from them
(Ekopost's campaign states): opened → closed → transferred (every letter handed to its channel) →
completed (every letter reached an end) or failed (one could not be produced), or cancelled. Each
change of state is a batch event of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.status import ShipmentStatus


class BatchStatus(StrEnum):
    OPEN = "open"
    """Letters may be added; none is released."""
    COMPLETED = "completed"
    """Closed by the sender; its letters are released."""
    CANCELLED = "cancelled"


class BatchState(StrEnum):
    """Where the batch's letters are; each value is also the type of the batch event entering it."""

    OPENED = "opened"
    CLOSED = "closed"
    """Closed by the sender; its letters wait for the output date or for their channels."""
    TRANSFERRED = "transferred"
    """Every letter was handed to its channel (none waits any more)."""
    COMPLETED = "completed"
    """Every letter reached an end: delivered, posted, read, purged or cancelled."""
    FAILED = "failed"
    """Every letter reached an end, and at least one of them failed."""
    CANCELLED = "cancelled"


FINAL_STATES = frozenset({BatchState.COMPLETED, BatchState.FAILED, BatchState.CANCELLED})

_UNDER_WAY = frozenset({ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED})
_DONE = frozenset(
    {ShipmentStatus.DELIVERED, ShipmentStatus.OPENED, ShipmentStatus.POSTED, ShipmentStatus.PURGED}
)
_FAILED = frozenset({ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED, ShipmentStatus.EXPIRED})


def derive_state(current: BatchState, letters: Mapping[ShipmentStatus, int]) -> BatchState:
    """The state a closed batch is in, given how many of its letters have each status.

    An open batch and a final state stay as they are. A letter not yet handed to a channel (any
    status not named above, such as scheduled or routed) keeps the batch where it is.
    """
    if current not in {BatchState.CLOSED, BatchState.TRANSFERRED}:
        return current
    present = {status for status, count in letters.items() if count > 0}
    if present - _UNDER_WAY - _DONE - _FAILED - {ShipmentStatus.CANCELLED}:
        return current
    if present & _UNDER_WAY:
        return BatchState.TRANSFERRED
    if present & _FAILED:
        return BatchState.FAILED
    if present == {ShipmentStatus.CANCELLED}:
        return BatchState.CANCELLED
    return BatchState.COMPLETED


def steps_to(current: BatchState, target: BatchState) -> list[BatchState]:
    """The states passed through from ``current`` to ``target``, each a batch event of its own.

    Letters that end within one step (an inbox delivers at once) still pass "transferred".
    """
    if target == current:
        return []
    if current is BatchState.CLOSED and target in {BatchState.COMPLETED, BatchState.FAILED}:
        return [BatchState.TRANSFERRED, target]
    return [target]


@dataclass(frozen=True, slots=True)
class Batch:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    external_id: str
    status: BatchStatus
    created_at: datetime
    updated_at: datetime
    name: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    output_at: datetime | None = None
    """When its letters are released at the earliest (Ekopost's output date); None: when closed."""
    state: BatchState = BatchState.OPENED
    state_changed_at: datetime | None = None

    def require_open(self) -> None:
        if self.status is not BatchStatus.OPEN:
            raise Conflict(
                "batch", f"batch {self.external_id} is {self.status}, not open", ConflictCode.WRONG_STATE
            )


@dataclass(frozen=True, slots=True)
class BatchEvent:
    """A change of a batch's state, in the batch's own append-only log."""

    id: uuid.UUID
    batch_id: uuid.UUID
    sender_id: uuid.UUID
    type: BatchState
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)


BATCH_EVENT_PREFIX = "batch."
"""Webhook subscriptions name batch events ``batch.<state>`` (``batch.*``: all of them)."""
ALL_BATCH_EVENTS = "batch.*"
BATCH_EVENT_NAMES = frozenset({ALL_BATCH_EVENTS} | {BATCH_EVENT_PREFIX + s.value for s in BatchState})


def batch_event_name(state: BatchState) -> str:
    return BATCH_EVENT_PREFIX + state.value
