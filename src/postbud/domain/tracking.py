"""Where a registered letter is: its tracking states follow one another, each at most once.

Registered → in transit → awaiting pickup → delivered; returned ends it from any state before delivery.
A state may be skipped (the operator does not always report each one), never gone back to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.print_layout import TrackingState

_RANK: Mapping[TrackingState, int] = MappingProxyType(
    {
        TrackingState.REGISTERED: 0,
        TrackingState.IN_TRANSIT: 1,
        TrackingState.AWAITING_PICKUP: 2,
        TrackingState.DELIVERED: 3,
        TrackingState.RETURNED: 3,
    }
)


def check_tracking_step(current: TrackingState, new: TrackingState) -> None:
    """Refuse a state the letter has had (ALREADY_DONE) or one behind it (WRONG_STATE)."""
    if new is current:
        raise Conflict("state", f"the letter is {new.value} already", ConflictCode.ALREADY_DONE)
    if _RANK[new] <= _RANK[current]:
        raise Conflict(
            "state", f"a letter {current.value} cannot become {new.value}", ConflictCode.WRONG_STATE
        )


def current_tracking(updates: Iterable[Mapping[str, Any]]) -> tuple[str, TrackingState] | None:
    """(tracking number, latest state) from the letter's tracking data, oldest first; None if untracked."""
    latest: tuple[str, TrackingState] | None = None
    for data in updates:
        tracking = data.get("tracking")
        if isinstance(tracking, Mapping) and "number" in tracking and "state" in tracking:
            latest = (str(tracking["number"]), TrackingState(tracking["state"]))
    return latest
